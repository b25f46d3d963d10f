//! The v2 cart routes over HTTP: the recordings of live CoCart replayed on the imported
//! peer store, every validation error, cart-key precedence, expiry headers, concurrency
//! and durability.

mod common;

use common::recording::{Recording, Replay, assert_json_eq, normalise, peer_server};
use common::{TestResponse, TestServer};
use serde_json::{Value, json};

#[tokio::test]
async fn first_recorded_session_replays() {
    let server = peer_server().await;
    let mut replay = Replay::new(&server);
    replay.same("01").await;
    replay.same("02").await;
    for prefix in [
        "03", "04", "05", "06", "07", "08", "09", "10", "11", "12", "13", "14",
    ] {
        replay.same(prefix).await;
    }
    for prefix in ["17", "18", "19"] {
        replay.same(prefix).await;
    }
    // CoCart 4.4 stores empty shipping fields whatever update-customer sends (a defect
    // cartd fixes: it stores what is sent). Sending them empty reproduces the recorded
    // state; `update_customer_stores_the_shipping_address_sent` covers the fix.
    let blank_shipping = [
        (r#""s_country":"US""#, r#""s_country":"""#),
        (r#""s_state":"NY""#, r#""s_state":"""#),
        (r#""s_postcode":"10001""#, r#""s_postcode":"""#),
    ];
    let recording = Recording::load("20");
    let mut swaps = replay.pairs();
    swaps.extend(blank_shipping);
    let response = recording.replay(&server, &swaps).await;
    assert_eq!(response.status, 200, "{}", response.text());
    assert_json_eq(
        &normalise(response.json(), &[]),
        &normalise(recording.json(), &replay.pairs()),
        &recording.name,
    );
    // On this load WooCommerce fills the blank shipping location from billing (US, NY),
    // so the cart is taxed again: CoCart's totals show it, but its items still carry the
    // line taxes of the previous, untaxed calculation. cartd's items and totals agree;
    // everything else matches.
    let (response, recording, expected) = replay.send("21").await;
    let actual = normalise(response.json(), &[]);
    let mut expected_items = expected["items"].clone();
    for (ours, theirs) in actual["items"]
        .as_array()
        .unwrap()
        .iter()
        .zip(expected_items.as_array_mut().unwrap())
    {
        assert!(ours["totals"]["tax"].as_f64().unwrap() > 0.0, "taxed again");
        theirs["totals"]["subtotal_tax"] = ours["totals"]["subtotal_tax"].clone();
        theirs["totals"]["tax"] = ours["totals"]["tax"].clone();
    }
    let mut expected = expected;
    expected["items"] = expected_items;
    assert_json_eq(&actual, &expected, &recording.name);
    replay.same("29").await;
}

#[tokio::test]
async fn update_customer_stores_the_shipping_address_sent() {
    let server = peer_server().await;
    assert_eq!(
        add(&server, "ship", json!({"id": "10", "quantity": "2"}))
            .await
            .status,
        200
    );
    let updated = server
        .post_json(
            "/wp-json/cocart/v2/cart/update?cart_key=ship",
            &json!({"namespace": "update-customer", "country": "US", "state": "NY", "postcode": "10001",
                    "s_country": "US", "s_state": "NY", "s_postcode": "10001"}),
        )
        .await;
    assert_eq!(updated.status, 200, "{}", updated.text());
    let body = updated.json();
    let shipping = &body["customer"]["shipping_address"];
    assert_eq!(
        (&shipping["shipping_state"], &shipping["shipping_postcode"]),
        (&json!("NY"), &json!("10001"))
    );
    // 2 x 20.00 + flat rate 10.00, 10% US tax on both: 40 + 4 + 10 + 1 = 55.00.
    assert_eq!(body["totals"]["total"], "5500");
    assert_eq!(body["totals"]["shipping_tax"], "100");
}

#[tokio::test]
async fn second_recorded_session_replays() {
    let server = peer_server().await;
    let mut replay = Replay::new(&server);
    replay.same("35").await;
    // Live CoCart answers 500 to return_item=true (after adding the item); cartd answers
    // the added item.
    let (response, _, _) = Recording::load("36")
        .replay(&server, &replay.pairs())
        .await
        .pipe_status(200);
    assert_eq!(response.json()["id"], 12);
    assert_eq!(
        response.json()["item_key"],
        "c20ad4d76fe97759aa27a0c99bff6710"
    );
    for prefix in ["37", "38", "39", "40", "41", "42", "43", "44", "45"] {
        replay.same(prefix).await;
    }
}

trait PipeStatus {
    fn pipe_status(self, status: u16) -> (TestResponse, (), ());
}

impl PipeStatus for TestResponse {
    fn pipe_status(self, status: u16) -> (TestResponse, (), ()) {
        assert_eq!(self.status, status, "{}", self.text());
        (self, (), ())
    }
}

async fn add(server: &TestServer, key: &str, body: Value) -> TestResponse {
    server
        .post_json(
            &format!("/wp-json/cocart/v2/cart/add-item?cart_key={key}"),
            &body,
        )
        .await
}

async fn cart(server: &TestServer, key: &str) -> Value {
    let response = server
        .get(&format!("/wp-json/cocart/v2/cart?cart_key={key}"))
        .await;
    assert_eq!(response.status, 200, "{}", response.text());
    response.json()
}

fn error_of(response: &TestResponse) -> (u16, String, String) {
    let body = response.json();
    assert_eq!(body["data"]["status"], response.status, "{body}");
    (
        response.status,
        body["code"].as_str().unwrap_or_default().to_owned(),
        body["message"].as_str().unwrap_or_default().to_owned(),
    )
}

#[tokio::test]
async fn every_add_item_refusal_answers_like_cocart_and_changes_nothing() {
    let server = peer_server().await;
    let key = "refusals";
    assert_eq!(
        add(&server, key, json!({"id": "17", "quantity": "3"}))
            .await
            .status,
        200
    );
    let before = cart(&server, key).await["items"].clone();
    let cases: Vec<(Value, u16, &str, &str)> = vec![
        (
            json!({"quantity": "1"}),
            400,
            "rest_missing_callback_param",
            "Missing parameter(s): id",
        ),
        (
            json!({"id": "0"}),
            404,
            "cocart_product_id_required",
            "Product ID number is required!",
        ),
        (
            json!({"id": "NO-SUCH-SKU"}),
            404,
            "cocart_unknown_product_id",
            "Product does not exist! Check that you have submitted a product ID or SKU ID correctly for a product that exists.",
        ),
        (
            json!({"id": "99999"}),
            400,
            "cocart_invalid_product",
            "This product cannot be added to the cart.",
        ),
        (
            json!({"id": 13}),
            400,
            "rest_invalid_param",
            "Invalid parameter(s): id",
        ),
        (
            json!({"id": "13", "quantity": "abc"}),
            400,
            "rest_invalid_param",
            "Invalid parameter(s): quantity",
        ),
        (
            json!({"id": "13", "quantity": 2}),
            400,
            "rest_invalid_param",
            "Invalid parameter(s): quantity",
        ),
        (
            json!({"id": "13", "quantity": "0"}),
            405,
            "cocart_quantity_invalid_amount",
            "Quantity must be a minimum of 1.",
        ),
        (
            json!({"id": "13", "quantity": "-1"}),
            405,
            "cocart_quantity_invalid_amount",
            "Quantity must be a minimum of 1.",
        ),
        (
            json!({"id": "13", "quantity": "0.5"}),
            405,
            "cocart_quantity_invalid_amount",
            "Quantity must be a minimum of 1.",
        ),
        (
            json!({"id": "16", "quantity": "2"}),
            405,
            "cocart_quantity_invalid_amount",
            "Quantity must be 1 or lower.",
        ),
        (
            json!({"id": "18"}),
            404,
            "cocart_product_out_of_stock",
            "You cannot add \"Sold Out Sneakers\" to the cart because the product is out of stock.",
        ),
        (
            json!({"id": "17", "quantity": "3"}),
            404,
            "cocart_not_enough_stock_remaining",
            "You cannot add that amount of \"Limited Poster\" to the cart &mdash; we have (5) in stock remaining. You already have (3) in your cart.",
        ),
        (
            json!({"id": "21"}),
            404,
            "cocart_no_variation_found",
            "No matching variation found.",
        ),
        (
            json!({"id": "21", "variation": {"attribute_pa_color": "green", "attribute_size": "M"}}),
            404,
            "cocart_no_variation_found",
            "No matching variation found.",
        ),
        (
            json!({"id": "13", "variation": "x"}),
            400,
            "rest_invalid_param",
            "Invalid parameter(s): variation",
        ),
    ];
    for (body, status, code, message) in cases {
        let response = add(&server, key, body.clone()).await;
        assert_eq!(
            error_of(&response),
            (status, code.to_owned(), message.to_owned()),
            "{body}"
        );
        assert!(
            response.header("cocart-api-cart-key").is_none(),
            "errors carry no CoCart headers"
        );
    }
    assert_eq!(
        cart(&server, key).await["items"],
        before,
        "refusals changed nothing"
    );
}

#[tokio::test]
async fn sold_individually_twice_and_absurd_quantities() {
    let server = peer_server().await;
    let key = "individual";
    assert_eq!(add(&server, key, json!({"id": "16"})).await.status, 200);
    let again = add(&server, key, json!({"id": "16"})).await;
    assert_eq!(
        error_of(&again),
        (
            403,
            "cocart_product_sold_individually".into(),
            "You cannot add another 'Gift Box' to your cart.".into()
        )
    );
    for quantity in [
        "1e30",
        "99999999999999999999999999999",
        "1e-30",
        " 2 ",
        "NaN",
    ] {
        let response = add(&server, key, json!({"id": "13", "quantity": quantity})).await;
        assert!(
            response.status >= 200 && response.status < 500,
            "{quantity}: {}",
            response.text()
        );
    }
}

#[tokio::test]
async fn item_routes_refuse_unknown_keys() {
    let server = peer_server().await;
    let key = "items";
    let unknown = "00000000000000000000000000000000";
    assert_eq!(add(&server, key, json!({"id": "13"})).await.status, 200);
    let get = server
        .get(&format!(
            "/wp-json/cocart/v2/cart/item/{unknown}?cart_key={key}"
        ))
        .await;
    assert_eq!(
        error_of(&get),
        (
            404,
            "cocart_item_not_in_cart".into(),
            "Item specified does not exist in cart.".into()
        )
    );
    let update = server
        .post_json(
            &format!("/wp-json/cocart/v2/cart/item/{unknown}?cart_key={key}"),
            &json!({"quantity": "2"}),
        )
        .await;
    assert_eq!(update.status, 404);
    let missing_quantity = server
        .post_json(
            &format!("/wp-json/cocart/v2/cart/item/{unknown}?cart_key={key}"),
            &json!({}),
        )
        .await;
    assert_eq!(error_of(&missing_quantity).1, "rest_missing_callback_param");
    let restore = server
        .request(
            "PATCH",
            &format!("/wp-json/cocart/v2/cart/item/{unknown}?cart_key={key}"),
            &[],
            "",
        )
        .await;
    assert_eq!(restore.status, 404);
}

#[tokio::test]
async fn cart_key_precedence_and_session_headers() {
    let server = peer_server().await;
    assert_eq!(
        add(&server, "from-query", json!({"id": "13"})).await.status,
        200
    );
    let count = |response: TestResponse| response.json()["item_count"].clone();
    // The CoCart header beats Cart-Key, which beats the form field, which beats the query.
    let header_wins = server
        .request(
            "GET",
            "/wp-json/cocart/v2/cart?cart_key=other",
            &[("CoCart-API-Cart-Key", "From-Query"), ("Cart-Key", "other")],
            "",
        )
        .await;
    assert_eq!(
        header_wins.header("cocart-api-cart-key"),
        Some("from-query")
    );
    assert_eq!(header_wins.header("cart-key"), Some("from-query"));
    assert_eq!(count(header_wins), 1);
    let sdk_header = server
        .request(
            "GET",
            "/wp-json/cocart/v2/cart?cart_key=other",
            &[("Cart-Key", "from-query")],
            "",
        )
        .await;
    assert_eq!(count(sdk_header), 1);
    let form_beats_query = server
        .request(
            "POST",
            "/wp-json/cocart/v2/cart/calculate?cart_key=other",
            &[("content-type", "application/x-www-form-urlencoded")],
            "cart_key=from-query",
        )
        .await;
    assert_eq!(
        form_beats_query.header("cocart-api-cart-key"),
        Some("from-query")
    );
    // A key in a JSON body is ignored: a new key is minted.
    let json_key = server
        .post_json(
            "/wp-json/cocart/v2/cart/calculate",
            &json!({"cart_key": "from-query"}),
        )
        .await;
    let minted = json_key.header("cocart-api-cart-key").unwrap().to_owned();
    assert_eq!(minted.len(), 30);
    assert_ne!(minted, "from-query");
    // Expiry headers: now + 6 days and now + 7 days.
    let now: u64 = json_key
        .header("cocart-timestamp")
        .unwrap()
        .parse()
        .unwrap();
    let expiring: u64 = json_key
        .header("cocart-api-cart-expiring")
        .unwrap()
        .parse()
        .unwrap();
    let expiration: u64 = json_key
        .header("cocart-api-cart-expiration")
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!((expiring - now, expiration - now), (518_400, 604_800));
    // Keys over 42 characters are refused.
    let long = "k".repeat(43);
    let refused = server
        .get(&format!("/wp-json/cocart/v2/cart?cart_key={long}"))
        .await;
    assert_eq!(refused.status, 400);
    // POST cart hands out a key.
    let created = server
        .post_json("/wp-json/cocart/v2/cart", &json!({}))
        .await;
    assert_eq!(created.status, 200);
    let body = created.json();
    assert_eq!(body["cart_key"].as_str().unwrap().len(), 30);
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .starts_with("Here is your cart key.")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sixty_four_concurrent_adds_to_one_cart_all_count() {
    let server = peer_server().await;
    let server = std::sync::Arc::new(server);
    let tasks: Vec<_> = (0..64)
        .map(|_| {
            let server = server.clone();
            tokio::spawn(async move {
                add(&server, "busy", json!({"id": "13", "quantity": "1"}))
                    .await
                    .status
            })
        })
        .collect();
    for task in tasks {
        assert_eq!(task.await.unwrap(), 200);
    }
    let body = cart(&server, "busy").await;
    assert_eq!(body["items"][0]["quantity"]["value"], 64);
}

#[tokio::test]
async fn a_restart_between_requests_keeps_the_cart() {
    let server = peer_server().await;
    assert_eq!(
        add(&server, "durable", json!({"id": "19", "quantity": "2"}))
            .await
            .status,
        200
    );
    let server = server.restart().await;
    let body = cart(&server, "durable").await;
    assert_eq!(body["items"][0]["id"], 19);
    assert_eq!(body["items"][0]["quantity"]["value"], 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_reads_never_lose_concurrent_adds() {
    let server = std::sync::Arc::new(peer_server().await);
    // return_item leaves the success notice queued, so each read has a change to save
    // (the drained notices) while adds keep writing the same cart.
    let tasks: Vec<_> = (0..48)
        .map(|i| {
            let server = server.clone();
            tokio::spawn(async move {
                if i % 2 == 0 {
                    add(
                        &server,
                        "mixed",
                        json!({"id": "13", "quantity": "1", "return_item": true}),
                    )
                    .await
                    .status
                } else {
                    server
                        .get("/wp-json/cocart/v2/cart?cart_key=mixed")
                        .await
                        .status
                }
            })
        })
        .collect();
    for task in tasks {
        assert_eq!(task.await.unwrap(), 200);
    }
    let body = cart(&server, "mixed").await;
    assert_eq!(body["items"][0]["quantity"]["value"], 24);
}
