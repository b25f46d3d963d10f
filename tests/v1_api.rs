//! The legacy v1 API over HTTP: the recorded v1 session of live CoCart replayed on the
//! imported peer store, every v1 and Pro v1 refusal with its exact code and message, the
//! Pro v1 routes, and one cart driven through v1 and v2 in turn.

mod common;

use cartd::auth::Role;
use common::recording::{Recording, Replay, assert_json_eq, peer_server, peer_store_dir};
use common::{TestResponse, TestServer, create_users};
use serde_json::{Value, json};

/// Sends `method path` (query included) with an optional JSON body and optional Basic
/// credentials.
async fn call(
    server: &TestServer,
    method: &str,
    path: &str,
    body: Option<Value>,
    credentials: Option<&str>,
) -> TestResponse {
    use base64::Engine;
    let auth = credentials.map(|c| {
        format!(
            "Basic {}",
            base64::engine::general_purpose::STANDARD.encode(c)
        )
    });
    let mut headers = vec![("content-type", "application/json")];
    if let Some(auth) = &auth {
        headers.push(("authorization", auth.as_str()));
    }
    let body = body.map(|b| b.to_string()).unwrap_or_default();
    server
        .request(
            method,
            &format!("/wp-json/cocart/v1/{path}"),
            &headers,
            body,
        )
        .await
}

/// `method cocart/v1/<route>?cart_key=<key>` with a JSON body, expecting 200.
async fn ok(server: &TestServer, method: &str, route: &str, key: &str, body: Value) -> Value {
    let response = v1(server, method, route, key, body).await;
    assert_eq!(
        response.status,
        200,
        "{method} {route}: {}",
        response.text()
    );
    assert!(
        response.header("cocart-api-cart-key").is_none(),
        "v1 sends no CoCart headers"
    );
    response.json()
}

/// `method cocart/v1/<route>?cart_key=<key>` with a JSON body.
async fn v1(
    server: &TestServer,
    method: &str,
    route: &str,
    key: &str,
    body: Value,
) -> TestResponse {
    let separator = if route.contains('?') { '&' } else { '?' };
    let path = format!("{route}{separator}cart_key={key}");
    call(server, method, &path, Some(body), None).await
}

/// `POST cocart/v1/add-item?cart_key=<key>`, expecting 200.
async fn add(server: &TestServer, key: &str, body: Value) -> Value {
    ok(server, "POST", "add-item", key, body).await
}

/// `GET cocart/v1/<route>?cart_key=<key>`, expecting 200.
async fn get(server: &TestServer, route: &str, key: &str) -> Value {
    ok(server, "GET", route, key, json!({})).await
}

/// Asserts a WordPress error body: status, code and message.
fn assert_refusal(response: &TestResponse, status: u16, code: &str, message: &str) {
    let body = response.json();
    assert_eq!(
        (
            response.status,
            body["code"].as_str(),
            body["message"].as_str()
        ),
        (status, Some(code), Some(message)),
        "{body}"
    );
    assert_eq!(body["data"]["status"], status);
}

/// Sends each case of `cases` on the cart `key` and asserts its refusal. A case is
/// `[method, route, body, status, code, message]`.
async fn assert_refusals(server: &TestServer, key: &str, cases: Value) {
    for case in cases.as_array().unwrap() {
        let text = |i: usize| case[i].as_str().unwrap();
        let response = v1(server, text(0), text(1), key, case[2].clone()).await;
        let status = u16::try_from(case[3].as_u64().unwrap()).unwrap();
        assert_refusal(&response, status, text(4), text(5));
    }
}

const SHIRT: &str = "d3d9446802a44259755d38e6d163e820";
const CAP: &str = "c20ad4d76fe97759aa27a0c99bff6710";

#[tokio::test]
async fn recorded_v1_session_replays() {
    let server = peer_server().await;
    let mut replay = Replay::new(&server);
    replay.same("35").await;
    let added = Recording::load("36").replay(&server, &replay.pairs()).await;
    assert_eq!(added.status, 200, "{}", added.text());
    for prefix in ["46", "47", "48", "49"] {
        replay.same(prefix).await;
    }
    // Live CoCart 4.4 answers 404 to a v1 update of an item that is in the cart; cartd
    // updates it as seed 003 documents (the quantity is already 3, so nothing changes).
    let update = Recording::load("50");
    let response = update.replay(&server, &replay.pairs()).await;
    assert_eq!(response.status, 200, "{}", response.text());
    assert_json_eq(
        &response.json(),
        &json!({"message": "The quantity for \"Basic T-Shirt\" has not changed.", "quantity": 3}),
        &update.name,
    );
    replay.same("51").await;
    replay.same("52").await;
}

#[tokio::test]
async fn add_item_refusals_use_the_v1_codes() {
    let server = peer_server().await;
    let key = "v1adds";
    add(&server, key, json!({"product_id": "16"})).await;
    assert_refusals(
        &server,
        key,
        json!([
            ["POST", "add-item", {"quantity": "1"}, 404, "cocart_product_id_required", "Product ID number is required!"],
            ["POST", "add-item", {"product_id": "NO-SUCH-SKU"}, 404, "cocart_product_id_required", "Product ID number is required!"],
            ["POST", "add-item", {"product_id": "9999"}, 404, "cocart_product_does_not_exist", "This product does not exist!"],
            ["POST", "add-item", {"product_id": "18"}, 404, "cocart_product_out_of_stock", "You cannot add \"Sold Out Sneakers\" to the cart because the product is out of stock."],
            ["POST", "add-item", {"product_id": "17", "quantity": "6"}, 403, "cocart_not_enough_in_stock", "You cannot add a quantity of 6 for \"Limited Poster\" to the cart because there is not enough stock. - only 5 remaining!"],
            ["POST", "add-item", {"product_id": "16"}, 403, "cocart_cannot_add_to_cart", "You cannot add \"Gift Box\" to your cart."]
        ]),
    )
    .await;
    let invalid = v1(
        &server,
        "POST",
        "add-item",
        key,
        json!({"product_id": "10", "quantity": "abc"}),
    )
    .await;
    assert_eq!(invalid.status, 400, "{}", invalid.text());
    assert_eq!(invalid.json()["code"], "rest_invalid_param");
    let cart = get(&server, "get-cart", key).await;
    assert_eq!(
        cart.as_object().unwrap().len(),
        1,
        "refusals change nothing"
    );
}

#[tokio::test]
async fn add_item_answers_the_line_or_the_cart() {
    let server = peer_server().await;
    let line = add(
        &server,
        "v1line",
        json!({"product_id": "12", "quantity": "2"}),
    )
    .await;
    assert_eq!(line["key"], CAP);
    assert_eq!(line["quantity"], 2);
    assert_eq!(line["line_subtotal"], 30);
    assert_eq!(line["product_price"], "$15.00");
    let cart = add(
        &server,
        "v1line",
        json!({"product_id": "10", "return_cart": true}),
    )
    .await;
    let keys: Vec<&String> = cart.as_object().unwrap().keys().collect();
    assert_eq!(keys, [CAP, SHIRT]);
    let thumbs = ok(&server, "GET", "get-cart?thumb=true", "v1line", json!({})).await;
    assert!(
        thumbs[SHIRT]["product_image"]
            .as_str()
            .unwrap()
            .starts_with("http://")
    );
}

#[tokio::test]
async fn item_routes_refuse_like_v1() {
    let server = peer_server().await;
    let key = "v1items";
    assert_refusals(
        &server,
        key,
        json!([[
            "DELETE",
            &format!("item?cart_item_key={SHIRT}"),
            {},
            404,
            "cocart_no_items",
            "No items in cart."
        ]]),
    )
    .await;
    add(&server, key, json!({"product_id": "10"})).await;
    let no_key = json!({"quantity": "1"});
    let message = "Cart item key is required!";
    assert_refusals(
        &server,
        key,
        json!([
            [
                "GET",
                "item",
                no_key,
                404,
                "cocart_cart_item_key_required",
                message
            ],
            [
                "POST",
                "item",
                no_key,
                404,
                "cocart_cart_item_key_required",
                message
            ],
            [
                "DELETE",
                "item",
                no_key,
                404,
                "cocart_cart_item_key_required",
                message
            ]
        ]),
    )
    .await;
    let unknown = "00000000000000000000000000000000";
    assert_refusals(
        &server,
        key,
        json!([
            ["POST", "item", {"cart_item_key": unknown, "quantity": "2"}, 404, "cocart_item_not_in_cart", "Item specified does not exist in cart."],
            ["DELETE", &format!("item?cart_item_key={unknown}"), {}, 404, "cocart_item_not_in_cart", "Item specified does not exist in cart."],
            ["GET", &format!("item?cart_item_key={unknown}"), {}, 403, "cocart_can_not_restore_item", "Unable to restore item to the cart."]
        ]),
    )
    .await;
    let no_quantity = v1(&server, "POST", "item", "v1poster", json!({})).await;
    assert_eq!(
        no_quantity.status,
        400,
        "quantity is required: {}",
        no_quantity.text()
    );
    add(
        &server,
        "v1poster",
        json!({"product_id": "17", "quantity": "2"}),
    )
    .await;
    let poster = "70efdf2ec9b086079795c442636b55fb";
    assert_refusals(
        &server,
        "v1poster",
        json!([
            ["POST", "item", {"cart_item_key": poster, "quantity": "9"}, 403, "cocart_not_enough_in_stock", "You cannot add that amount of (9) for \"Limited Poster\" to the cart because there is not enough stock, only (5 remaining)."]
        ]),
    )
    .await;
}

#[tokio::test]
async fn item_update_remove_restore_and_counts() {
    let server = peer_server().await;
    let key = "v1flow";
    add(&server, key, json!({"product_id": "10", "quantity": "2"})).await;
    let up = ok(
        &server,
        "POST",
        "item",
        key,
        json!({"cart_item_key": SHIRT, "quantity": "5"}),
    )
    .await;
    assert_eq!(
        up,
        json!({"message": "The quantity for \"Basic T-Shirt\" has increased to \"5\".", "quantity": 5})
    );
    let down = ok(
        &server,
        "POST",
        "item",
        key,
        json!({"cart_item_key": SHIRT, "quantity": "1", "return_cart": true}),
    )
    .await;
    assert_eq!(down[SHIRT]["quantity"], 1);
    assert_eq!(get(&server, "count-items", key).await, json!(1));
    let removed = ok(
        &server,
        "DELETE",
        &format!("item?cart_item_key={SHIRT}"),
        key,
        json!({}),
    )
    .await;
    assert_eq!(removed, "Item has been removed from cart.");
    assert_eq!(
        get(&server, "count-items?return=text", key).await,
        "There are no items in the cart!"
    );
    assert_eq!(get(&server, "count-items", key).await, json!(0));
    let removed_items = get(&server, "removed-items", key).await;
    assert_eq!(removed_items[SHIRT]["quantity"], 1);
    let empty = get(&server, "get-cart", key).await;
    let nothing = format!(
        "Request returned nothing for \"http://{}/wp-json/cocart/v1/get_cart/\"! Please seek assistance.",
        server.addr
    );
    assert_eq!(empty, json!(nothing));
    let restored = get(&server, &format!("item?cart_item_key={SHIRT}"), key).await;
    assert_eq!(restored, "Item has been restored to the cart.");
    let zero = ok(
        &server,
        "POST",
        "item",
        key,
        json!({"cart_item_key": SHIRT, "quantity": "0"}),
    )
    .await;
    assert_eq!(
        zero,
        json!({"message": "The quantity for \"Basic T-Shirt\" has decreased to \"0\".", "quantity": 0})
    );
    assert_eq!(get(&server, "count-items", key).await, json!(0));
}

#[tokio::test]
async fn totals_calculate_and_clear() {
    let server = peer_server().await;
    let key = "v1totals";
    add(&server, key, json!({"product_id": "10", "quantity": "2"})).await;
    assert_eq!(
        ok(&server, "POST", "calculate", key, json!({})).await,
        "Cart totals have been calculated."
    );
    let totals = ok(&server, "POST", "calculate", key, json!({"return": true})).await;
    assert_eq!(totals, get(&server, "totals", key).await);
    let html = get(&server, "totals?html=true", key).await;
    assert_eq!(html["subtotal"], "$40.00");
    let single = [
        ("totals/subtotal", "40.00"),
        ("totals/subtotal/tax", "4.00"),
        ("totals/shipping", "10.00"),
        ("totals/shipping/tax", "1.00"),
        ("totals/discount", "0.00"),
        ("totals/fee", "0.00"),
        ("totals/fee/tax", "0.00"),
        ("totals/tax", "5.00"),
        ("totals/total", "55.00"),
    ];
    for (route, expected) in single {
        assert_eq!(get(&server, route, key).await, expected, "{route}");
    }
    assert_eq!(
        ok(&server, "POST", "clear", key, json!({})).await,
        "Cart is cleared."
    );
    assert_eq!(get(&server, "count-items", key).await, json!(0));
}

#[tokio::test]
async fn stored_carts_by_key_and_by_customer() {
    let server = TestServer::start_with(|config| {
        config.catalog.demo = false;
        config.catalog.import = vec![peer_store_dir()];
        create_users(
            config,
            &[
                (
                    "admin",
                    "admin@example.test",
                    "peer-admin-pass",
                    Role::Administrator,
                ),
                ("ann", "ann@example.test", "ann-password", Role::Customer),
            ],
        );
    })
    .await;
    let unknown = call(&server, "GET", "get-cart/nosuchcart", None, None).await;
    assert_refusal(
        &unknown,
        404,
        "cocart_cart_in_session_not_valid",
        "Cart in session is not valid!",
    );
    add(&server, "v1stored", json!({"product_id": "11"})).await;
    let stored = call(&server, "GET", "get-cart/v1stored", None, None).await;
    assert_eq!(stored.status, 200);
    assert_eq!(stored.json().as_object().unwrap().len(), 1);
    ok(&server, "POST", "clear", "v1stored", json!({})).await;
    let cleared = call(&server, "GET", "get-cart/v1stored", None, None).await;
    assert_eq!((cleared.status, cleared.json()), (200, json!([])));

    let ann = Some("ann:ann-password");
    let added = call(
        &server,
        "POST",
        "add-item",
        Some(json!({"product_id": "13"})),
        ann,
    )
    .await;
    assert_eq!(added.status, 200, "{}", added.text());
    let whoami = call(&server, "GET", "customer", None, ann).await.json();
    let id = whoami["user"]["ID"].as_u64().unwrap();
    assert!(id > 0);
    let path = format!("get-cart/customer/{id}");
    for caller in [None, ann] {
        let refused = call(&server, "GET", &path, None, caller).await;
        assert_refusal(
            &refused,
            401,
            "cocart_cannot_read_cart",
            "Cannot read cart!",
        );
    }
    let admin = Some("admin:peer-admin-pass");
    let read = call(&server, "GET", &path, None, admin).await;
    assert_eq!(read.status, 200, "{}", read.text());
    let lines: Vec<u64> = read
        .json()
        .as_object()
        .unwrap()
        .values()
        .map(|l| l["product_id"].as_u64().unwrap())
        .collect();
    assert_eq!(lines, [13]);
}

#[tokio::test]
async fn one_cart_through_v1_and_v2() {
    let server = peer_server().await;
    let key = "mixed";
    add(&server, key, json!({"product_id": "10", "quantity": "2"})).await;
    let v2 = |path: &str| format!("/wp-json/cocart/v2/{path}?cart_key={key}");
    let cart = server.get(&v2("cart")).await.json();
    assert_eq!(cart["items"][0]["item_key"], SHIRT);
    assert_eq!(cart["notices"], json!([]), "v1 queues no notices");
    assert_eq!(cart["items"][0]["quantity"]["value"], 2);
    let added = server
        .post_json(&v2("cart/add-item"), &json!({"id": "12", "quantity": "1"}))
        .await;
    assert_eq!(added.status, 200, "{}", added.text());
    let updated = server
        .post_json(
            &v2(&format!("cart/item/{SHIRT}")),
            &json!({"quantity": "4"}),
        )
        .await;
    assert_eq!(updated.status, 200, "{}", updated.text());
    let contents = get(&server, "get-cart", key).await;
    assert_eq!(contents[SHIRT]["quantity"], 4);
    assert_eq!(contents[CAP]["quantity"], 1);
    assert_eq!(get(&server, "count-items", key).await, json!(5));
    ok(
        &server,
        "DELETE",
        &format!("item?cart_item_key={CAP}"),
        key,
        json!({}),
    )
    .await;
    let v2_totals = server.get(&v2("cart/totals")).await.json();
    let v1_totals = get(&server, "totals", key).await;
    assert_eq!(v1_totals, v2_totals);
    let after = server.get(&v2("cart")).await.json();
    assert_eq!(after["items"].as_array().unwrap().len(), 1);
    assert_eq!(after["removed_items"][0]["item_key"], CAP, "{after}");
    let restore = server
        .request("PUT", &v2(&format!("cart/item/{CAP}")), &[], "")
        .await;
    assert_eq!(restore.status, 200, "{}", restore.text());
    assert_eq!(get(&server, "count-items", key).await, json!(5));
    assert_eq!(
        get(&server, "quantities", key).await,
        json!({"10": 4, "12": 1})
    );
}

#[tokio::test]
async fn pro_coupon_routes() {
    let server = peer_server().await;
    let key = "v1coupons";
    assert_refusals(
        &server,
        key,
        json!([
            ["POST", "coupon", {"coupon": "peer5off"}, 400, "cocart_coupon_failed_to_apply", "Coupon failed to apply to cart."]
        ]),
    )
    .await;
    add(&server, key, json!({"product_id": "10", "quantity": "2"})).await;
    assert_refusals(
        &server,
        key,
        json!([
            ["GET", "check-coupons", {}, 404, "cocart_no_coupons_applied", "No coupons have been applied!"],
            ["POST", "coupon", {"coupon": " "}, 404, "cocart_coupon_code_required", "No coupon code provided!"],
            ["POST", "coupon", {"coupon": "nope"}, 400, "cocart_coupon_failed_to_apply", "Coupon failed to apply to cart."]
        ]),
    )
    .await;
    let applied = ok(
        &server,
        "POST",
        "coupon",
        key,
        json!({"coupon": "peer5off"}),
    )
    .await;
    assert_eq!(
        applied,
        json!({"message": "Coupon was successfully added to cart.", "coupon": "peer5off", "response": true})
    );
    assert_eq!(get(&server, "coupon", key).await, json!(["peer5off"]));
    assert_eq!(get(&server, "totals/discount", key).await, "5.00");
    assert_eq!(
        get(&server, "totals/discount/coupon-totals", key).await,
        json!({"peer5off": "5.00"})
    );
    let valid = get(&server, "check-coupons", key).await;
    assert_eq!(
        valid,
        json!({"message": "Coupons applied are still valid!", "response": true})
    );
    assert_refusals(
        &server,
        key,
        json!([[
            "DELETE",
            "coupon?coupon=peer20",
            {},
            404,
            "cocart_cart_coupon_invalid_code",
            "Coupon does not exist in the cart."
        ]]),
    )
    .await;
    let removed = ok(&server, "DELETE", "coupon?coupon=peer5off", key, json!({})).await;
    assert_eq!(
        removed["message"],
        "Coupon was successfully removed from cart."
    );
    assert_eq!(get(&server, "coupon", key).await, json!([]));
}

#[tokio::test]
async fn pro_fee_routes() {
    let server = peer_server().await;
    let key = "v1fees";
    assert_refusals(
        &server,
        key,
        json!([
            ["POST", "fees", {"name": "Gift Wrapping", "amount": "5.00"}, 404, "cocart_cannot_add_fee", "There is nothing in the cart so no fee can be added."]
        ]),
    )
    .await;
    add(&server, key, json!({"product_id": "10"})).await;
    assert_refusals(
        &server,
        key,
        json!([
            ["POST", "fees", {"name": " ", "amount": "5"}, 404, "cocart_fee_missing_name", "The name of the fee is missing!"],
            ["POST", "fees", {"name": "Wrap", "amount": ""}, 404, "cocart_fee_missing_amount", "The amount for the fee is missing!"]
        ]),
    )
    .await;
    let added = ok(
        &server,
        "POST",
        "fees",
        key,
        json!({"name": "Gift Wrapping", "amount": "5.00"}),
    )
    .await;
    assert_eq!(added, "Fee \"Gift Wrapping\" for $5.00 has been added.");
    assert_refusals(
        &server,
        key,
        json!([
            ["POST", "fees", {"name": "Gift Wrapping", "amount": "5.00"}, 403, "cocart_fee_already_exists", "Fee has already been added."]
        ]),
    )
    .await;
    let fees = get(&server, "fees", key).await;
    assert_eq!(fees["gift-wrapping"]["name"], "Gift Wrapping");
    assert_eq!(fees["gift-wrapping"]["total"], 5);
    assert_eq!(get(&server, "totals/fee", key).await, "5.00");
    assert_eq!(get(&server, "totals", key).await["fees"], fees);
    let calculated = ok(
        &server,
        "POST",
        "calculate/fees",
        key,
        json!({"return": true}),
    )
    .await;
    assert_eq!(calculated, fees);
    assert_eq!(
        ok(&server, "POST", "calculate/fees", key, json!({})).await,
        "Cart fees have been calculated."
    );
    assert_eq!(
        ok(&server, "DELETE", "fees", key, json!({})).await,
        "All cart fees have been removed."
    );
    assert_eq!(get(&server, "fees", key).await, json!([]));
}

#[tokio::test]
async fn pro_shipping_routes() {
    let server = peer_server().await;
    let key = "v1ship";
    add(&server, key, json!({"product_id": "10", "quantity": "2"})).await;
    assert_refusals(
        &server,
        key,
        json!([
            ["POST", "calculate/shipping", {"country": "US", "postcode": "ABC"}, 404, "cocart_invalid_postcode", "Please enter a valid postcode / ZIP."]
        ]),
    )
    .await;
    let missing = v1(&server, "POST", "calculate/shipping", key, json!({})).await;
    assert_eq!(missing.status, 400, "country is required");
    let updated = ok(
        &server,
        "POST",
        "calculate/shipping",
        key,
        json!({"country": "US", "state": "NY", "postcode": "10001"}),
    )
    .await;
    assert_eq!(updated, "Shipping costs updated.");
    let customer = get(&server, "customer", key).await;
    assert_eq!(customer["shipping"]["postcode"], "10001");
    assert_eq!(customer["has_calculated_shipping"], true);
    assert_eq!(customer["user"]["ID"], 0);
    let methods = get(&server, "shipping-methods", key).await;
    let rates = methods.as_object().unwrap();
    assert!(!rates.is_empty(), "{methods}");
    let (rate_id, first) = rates.iter().next().unwrap();
    assert_eq!(&first["key"], rate_id);
    let with_methods = ok(
        &server,
        "POST",
        "calculate/shipping",
        key,
        json!({"country": "US", "state": "NY", "postcode": "10001", "return_methods": true}),
    )
    .await;
    assert_eq!(with_methods, methods);
    assert_refusals(
        &server,
        key,
        json!([
            ["GET", "shipping-methods?recurring_cart_key=sub1", {}, 404, "cocart_no_recurring_cart_key", "The recurring cart key does not exists."],
            ["POST", "shipping-methods", {"method_id": "flat_rate"}, 400, "cocart_set_shipping_method_failed", "Both the method ID and instance ID are required to set a shipping method."],
            ["POST", "shipping-methods", {"key": "no_such:9"}, 404, "cocart_shipping_method_incorrect", "The shipping method is either incorrect or does not exist."]
        ]),
    )
    .await;
    let (method, instance) = rate_id.split_once(':').unwrap();
    let chosen = ok(
        &server,
        "POST",
        "shipping-methods",
        key,
        json!({"method_id": method, "instance_id": instance}),
    )
    .await;
    assert_eq!(chosen, true);
    let methods = get(&server, "shipping-methods", key).await;
    assert_eq!(methods[rate_id]["chosen_method"], true);
}

#[tokio::test]
async fn pro_views_payment_weight_and_cross_sells() {
    let server = peer_server().await;
    let key = "v1views";
    add(&server, key, json!({"product_id": "10", "quantity": "3"})).await;
    add(&server, key, json!({"product_id": "12"})).await;
    assert_eq!(get(&server, "weight", key).await, "0.7 kg");
    assert_eq!(get(&server, "cross-sells", key).await, json!([]));
    // No `[payments]` gateways are configured on the test server.
    assert_refusals(
        &server,
        key,
        json!([
            ["GET", "payment-methods", {}, 404, "cocart_no_payment_gateways", "Please fill in your details above to see available payment methods."],
            ["POST", "payment-methods", {"gateway_id": "bacs"}, 404, "cocart_payment_method_incorrect", "The gateway ID is either incorrect or does not exist."]
        ]),
    )
    .await;
}

#[tokio::test]
async fn v1_index_declares_the_recorded_cart_routes() {
    let server = peer_server().await;
    let ours = call(&server, "GET", "", None, None).await.json();
    let recorded = Recording::load("54").json();
    let cart_routes = recorded["routes"]
        .as_object()
        .unwrap()
        .iter()
        .filter(|(path, _)| !path.contains("/products") && path.as_str() != "/cocart/v1");
    let mut compared = 0;
    for (path, route) in cart_routes {
        let mine = &ours["routes"][path.as_str()];
        assert_eq!(mine["methods"], route["methods"], "{path}");
        assert_eq!(mine["endpoints"], route["endpoints"], "{path}");
        compared += 1;
    }
    assert_eq!(
        compared, 10,
        "get-cart (3), add-item, calculate, clear, count-items, item, logout, totals"
    );
    for pro in [
        "/cocart/v1/coupon",
        "/cocart/v1/payment-methods",
        "/cocart/v1/totals/total",
    ] {
        assert!(ours["routes"][pro].is_object(), "{pro} is listed");
    }
}
