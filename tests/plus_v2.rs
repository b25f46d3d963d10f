//! The CoCart Plus v2 cart routes over HTTP on the imported peer store: coupons, fees,
//! shipping choice, the mini cart and `formatted`, with every figure derived by hand from
//! totals.md, and every refusal answering Plus's code and message while changing nothing.
//!
//! The peer store (shared/reference/peer-store): prices excluding tax, per-line rounding,
//! customer at the US:CA base; "US Tax" 10% standard (also on shipping), "US Reduced" 5%
//! reduced-rate (not on shipping); shipping tax class `inherit`; zone United States with
//! flat_rate:1 (cost 10, taxable) then free_shipping:2 (minimum 100 after discounts);
//! coupons peer20 (percent 20) and peer5off (fixed_cart 5). Products used: 10 T-shirt
//! 20.00, 13 Coffee Mug 9.99, 15 E-Book 12.00 (virtual, untaxed), 19 Paperback Book 18.00
//! (reduced-rate), 20 Backpack 55.00.

mod common;

use common::recording::peer_store_dir;
use common::{TestResponse, TestServer};
use serde_json::{Value, json};
use tempfile::TempDir;

/// A request as `(method, route, JSON body)`.
type Request<'a> = (&'a str, &'a str, Option<Value>);

/// A refusal as `(status, code, message)`.
type Refusal<'a> = (u16, &'a str, &'a str);

/// A daemon on the peer store, or on a changed copy of it (kept alive with the server).
struct Shop {
    server: TestServer,
    _files: Option<TempDir>,
}

async fn peer_shop() -> Shop {
    shop_from(peer_store_dir(), None).await
}

/// A copy of the peer store's JSON files, each changed by `edit(file name, content)`.
async fn changed_shop(edit: impl Fn(&str, &mut Value)) -> Shop {
    let files = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(peer_store_dir()).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|ext| ext == "json") {
            let name = path.file_name().unwrap().to_str().unwrap().to_owned();
            let mut content: Value =
                serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
            edit(&name, &mut content);
            std::fs::write(files.path().join(&name), content.to_string()).unwrap();
        }
    }
    let dir = files.path().to_owned();
    shop_from(dir, Some(files)).await
}

async fn shop_from(dir: std::path::PathBuf, files: Option<TempDir>) -> Shop {
    let server = TestServer::start_with(|config| {
        config.catalog.demo = false;
        config.catalog.import = vec![dir];
    })
    .await;
    Shop {
        server,
        _files: files,
    }
}

/// Sets the `id` option of a settings.json group to `value`.
fn set_option(settings: &mut Value, group: &str, id: &str, value: &str) {
    let option = settings[group]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|option| option["id"] == id)
        .unwrap();
    option["value"] = json!(value);
}

/// Adds a copy of peer5off as `code`, changed by `change`.
fn add_coupon(coupons: &mut Value, id: u64, code: &str, change: impl Fn(&mut Value)) {
    let list = coupons.as_array_mut().unwrap();
    let mut coupon = list
        .iter()
        .find(|coupon| coupon["code"] == "peer5off")
        .unwrap()
        .clone();
    coupon["id"] = json!(id);
    coupon["code"] = json!(code);
    change(&mut coupon);
    list.push(coupon);
}

impl Shop {
    /// `method /wp-json/cocart/v2/<route>` on cart `key` (query `extra` appended), with a
    /// JSON body when one is given.
    async fn call(
        &self,
        method: &str,
        route: &str,
        key: &str,
        extra: &str,
        body: Option<Value>,
    ) -> TestResponse {
        let path = format!("/wp-json/cocart/v2/{route}?cart_key={key}{extra}");
        match body {
            Some(body) => {
                self.server
                    .request(
                        method,
                        &path,
                        &[("content-type", "application/json")],
                        serde_json::to_vec(&body).unwrap(),
                    )
                    .await
            }
            None => self.server.request(method, &path, &[], Vec::new()).await,
        }
    }

    /// A request that must succeed; its body.
    async fn ok(&self, method: &str, route: &str, key: &str, body: Option<Value>) -> Value {
        let response = self.call(method, route, key, "", body).await;
        assert_eq!(
            response.status,
            200,
            "{method} {route}: {}",
            response.text()
        );
        assert_eq!(response.header("cocart-api-cart-key"), Some(key));
        response.json()
    }

    /// A `POST` with a JSON body that must succeed; its body.
    async fn post(&self, route: &str, key: &str, body: Value) -> Value {
        self.ok("POST", route, key, Some(body)).await
    }

    async fn add(&self, key: &str, id: &str, quantity: &str) -> Value {
        self.post(
            "cart/add-item",
            key,
            json!({"id": id, "quantity": quantity}),
        )
        .await
    }

    async fn apply(&self, key: &str, code: &str) -> Value {
        self.post("cart/apply-coupon", key, json!({"code": code}))
            .await
    }

    /// `GET cart` (which also drains notices, so two reads compare equal when nothing
    /// changed in between).
    async fn cart(&self, key: &str) -> Value {
        self.ok("GET", "cart", key, None).await
    }

    /// Sends a request that must be refused with `expected` (status, code, message), and
    /// checks the stored cart is the same before and after.
    async fn refused(&self, key: &str, (method, route, body): Request<'_>, expected: Refusal<'_>) {
        let before = self.cart(key).await;
        let response = self.call(method, route, key, "", body).await;
        let error = response.json();
        assert_eq!(
            (
                response.status,
                error["code"].as_str().unwrap_or_default(),
                error["message"].as_str().unwrap_or_default(),
            ),
            expected,
            "{method} {route}: {error}"
        );
        assert_eq!(error["data"]["status"], response.status);
        assert_eq!(
            self.cart(key).await,
            before,
            "{method} {route} changed the cart"
        );
    }
}

/// The ten cart totals, in CoCart's order.
fn totals(body: &Value) -> Vec<(String, String)> {
    body["totals"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(name, value)| (name.clone(), value.as_str().unwrap_or_default().to_owned()))
        .collect()
}

/// Asserts the cart totals `[subtotal, subtotal_tax, fee_total, fee_tax, discount_total,
/// discount_tax, shipping_total, shipping_tax, total, total_tax]`.
fn assert_totals(body: &Value, values: [&str; 10]) {
    let expected: Vec<(String, String)> = [
        "subtotal",
        "subtotal_tax",
        "fee_total",
        "fee_tax",
        "discount_total",
        "discount_tax",
        "shipping_total",
        "shipping_tax",
        "total",
        "total_tax",
    ]
    .iter()
    .zip(values)
    .map(|(name, value)| ((*name).to_owned(), value.to_owned()))
    .collect();
    assert_eq!(totals(body), expected);
}

/// The itemised taxes as `(name, price)` pairs.
fn taxes(body: &Value) -> Vec<(String, String)> {
    body["taxes"]
        .as_object()
        .map(|rates| {
            rates
                .values()
                .map(|rate| {
                    (
                        rate["name"].as_str().unwrap().to_owned(),
                        rate["price"].as_str().unwrap().to_owned(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
        .collect()
}

/// The first package's rates as `(rate id, cost, taxes, chosen)` and its chosen rate.
fn rates(body: &Value) -> (Vec<(String, String, String, bool)>, String) {
    let package = &body["shipping"]["packages"]["default"];
    let rates = package["rates"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(id, rate)| {
            (
                id.clone(),
                rate["cost"].as_str().unwrap().to_owned(),
                rate["taxes"].as_str().unwrap().to_owned(),
                rate["chosen_method"].as_bool().unwrap(),
            )
        })
        .collect();
    (rates, package["chosen_method"].as_str().unwrap().to_owned())
}

fn rate(id: &str, cost: &str, taxes: &str, chosen: bool) -> (String, String, String, bool) {
    (id.to_owned(), cost.to_owned(), taxes.to_owned(), chosen)
}

#[tokio::test]
async fn peer20_on_two_t_shirts() {
    let shop = peer_shop().await;
    let key = "peer20";
    shop.add(key, "10", "2").await;
    // Subtotal 2 × 20.00 = 40.00, tax 10% = 4.00. peer20 takes 20% = 8.00 (its tax 0.80),
    // leaving 32.00 taxed 3.20. Flat rate 10.00 (only rate: 32.00 < 100), taxed 10% (the
    // inherited class is standard) = 1.00. Total 32.00 + 3.20 + 10.00 + 1.00 = 46.20; total
    // tax 4.20, all "US Tax".
    let body = shop.apply(key, "PEER20").await;
    assert_totals(
        &body,
        [
            "4000", "400", "0", "0", "800", "80", "1000", "100", "4620", "420",
        ],
    );
    assert_eq!(body["coupons"][0]["coupon"], "peer20");
    assert_eq!(body["coupons"][0]["saving"], "-800");
    assert_eq!(body["coupons"][0]["saving_html"], "-$8.00");
    assert_eq!(taxes(&body), pairs(&[("US Tax", "420")]));
    let line = &body["items"][0]["totals"];
    assert_eq!(
        (&line["subtotal"], &line["total"], &line["tax"]),
        (&json!("4000"), &json!(32), &json!(3.2))
    );
    assert_eq!(
        body["notices"]["success"],
        json!(["Coupon code applied successfully."])
    );
    assert_eq!(
        rates(&body),
        (
            vec![rate("flat_rate:1", "1000", "100", true)],
            "flat_rate:1".into()
        )
    );

    // The applied coupons view: discount 8.00 excluding tax, its tax 0.80.
    let coupons = shop.ok("GET", "cart/coupons", key, None).await;
    assert_eq!(
        coupons,
        json!([{"coupon": "peer20", "label": "Coupon: peer20", "discount_type": "percent",
                "totals": {"discount": "800", "discount_tax": "80"}}])
    );
    let formatted = shop
        .call("GET", "cart/coupons", key, "&formatted=true", None)
        .await
        .json();
    assert_eq!(
        formatted[0]["totals"],
        json!({"discount": "$8.00", "discount_tax": "$0.80"})
    );

    // Applying it again: 200, WooCommerce's "already applied" info notice, same totals.
    let again = shop.apply(key, "peer20").await;
    assert_eq!(
        again["notices"]["info"],
        json!(["Coupon code \"peer20\" already applied!"])
    );
    assert_eq!(totals(&again), totals(&body));

    // Removing it: 40.00 + 4.00 + 10.00 + 1.00 = 55.00.
    let removed = shop.ok("DELETE", "cart/coupons/peer20", key, None).await;
    assert_totals(
        &removed,
        [
            "4000", "400", "0", "0", "0", "0", "1000", "100", "5500", "500",
        ],
    );
    assert_eq!(removed["coupons"], json!([]));
    assert_eq!(
        removed["notices"]["success"],
        json!(["Coupon code removed successfully."])
    );
    assert_eq!(shop.cart(key).await["coupons"], json!([]));
}

#[tokio::test]
async fn reduced_rate_book_with_untaxed_shipping() {
    let shop = peer_shop().await;
    let key = "book";
    shop.add(key, "19", "1").await;
    // 18.00 at 5% = 0.90. The inherited shipping class is reduced-rate, whose only rate is
    // not a shipping rate, so flat rate 10.00 is untaxed. Total 18.00 + 0.90 + 10.00 = 28.90.
    let body = shop
        .post(
            "cart/set-shipping-method",
            key,
            json!({"rate_id": "flat_rate:1", "package_id": 0}),
        )
        .await;
    assert_totals(
        &body,
        ["1800", "90", "0", "0", "0", "0", "1000", "0", "2890", "90"],
    );
    assert_eq!(taxes(&body), pairs(&[("US Reduced", "90")]));
    assert_eq!(
        rates(&body),
        (
            vec![rate("flat_rate:1", "1000", "", true)],
            "flat_rate:1".into()
        )
    );
}

#[tokio::test]
async fn free_shipping_over_100_chosen_with_set_shipping_method() {
    let shop = peer_shop().await;
    let key = "free";
    shop.add(key, "20", "2").await;
    // 2 × 55.00 = 110.00 ≥ 100: both rates offered, the first (flat rate) chosen.
    // Flat: 110.00 + 11.00 + 10.00 + 1.00 = 132.00.
    let body = shop.cart(key).await;
    assert_eq!(
        rates(&body),
        (
            vec![
                rate("flat_rate:1", "1000", "100", true),
                rate("free_shipping:2", "0", "", false)
            ],
            "flat_rate:1".into()
        )
    );
    assert_eq!(body["totals"]["total"], "13200");

    // Free shipping for every package: 110.00 + 11.00 = 121.00.
    let free = shop
        .post(
            "cart/set-shipping-method",
            key,
            json!({"rate_id": "free_shipping:2"}),
        )
        .await;
    assert_totals(
        &free,
        [
            "11000", "1100", "0", "0", "0", "0", "0", "0", "12100", "1100",
        ],
    );
    assert_eq!(rates(&free).1, "free_shipping:2");
    assert_eq!(rates(&shop.cart(key).await).1, "free_shipping:2", "saved");

    // Package 0 by number, then by text.
    let flat = shop
        .post(
            "cart/set-shipping-method",
            key,
            json!({"rate_id": "flat_rate:1", "package_id": 0}),
        )
        .await;
    assert_eq!(flat["totals"]["total"], "13200");
    let free = shop
        .post(
            "cart/set-shipping-method",
            key,
            json!({"rate_id": "free_shipping:2", "package_id": "0"}),
        )
        .await;
    assert_eq!(free["totals"]["total"], "12100");

    // peer20 brings the subtotal after discount to 88.00 < 100: free shipping is no
    // longer offered, so the flat rate is chosen again. 88.00 + 8.80 + 10.00 + 1.00 =
    // 107.80; discount 22.00, its tax 2.20.
    let discounted = shop.apply(key, "peer20").await;
    assert_totals(
        &discounted,
        [
            "11000", "1100", "0", "0", "2200", "220", "1000", "100", "10780", "980",
        ],
    );
    assert_eq!(
        rates(&discounted),
        (
            vec![rate("flat_rate:1", "1000", "100", true)],
            "flat_rate:1".into()
        )
    );
}

#[tokio::test]
async fn peer5off_on_a_small_cart() {
    let shop = peer_shop().await;
    let key = "mug";
    shop.add(key, "13", "1").await;
    // Mug 9.99: subtotal tax 0.999 → 1.00. peer5off takes 5.00 → line 4.99, tax 0.499 →
    // 0.50; the discount's tax is 1.00 − 0.50 = 0.50. Shipping 10.00 + 1.00.
    // Total 4.99 + 0.50 + 10.00 + 1.00 = 16.49; total tax 1.50.
    let body = shop.apply(key, "peer5off").await;
    assert_totals(
        &body,
        [
            "999", "100", "0", "0", "500", "50", "1000", "100", "1649", "150",
        ],
    );
    assert_eq!(body["coupons"][0]["saving"], "-500");
    assert_eq!(body["coupons"][0]["discount_type"], "fixed_cart");
    let coupons = shop.ok("GET", "cart/coupons", key, None).await;
    assert_eq!(
        coupons[0]["totals"],
        json!({"discount": "500", "discount_tax": "50"})
    );

    // Both coupons (non-sequential: each on the full price, percent first): peer20 takes
    // 2.00 (tax 0.20), peer5off 5.00 of the remaining 7.99 → line 2.99, tax 0.299 → 0.30.
    // Total 2.99 + 0.30 + 10.00 + 1.00 = 14.29; total tax 1.30; discount tax 0.70.
    let both = shop.apply(key, "peer20").await;
    assert_totals(
        &both,
        [
            "999", "100", "0", "0", "700", "70", "1000", "100", "1429", "130",
        ],
    );

    // Removing every coupon: 9.99 + 1.00 + 10.00 + 1.00 = 21.99.
    let none = shop.ok("DELETE", "cart/coupons", key, None).await;
    assert_eq!(none["coupons"], json!([]));
    assert_eq!(none["totals"]["total"], "2199");
}

#[tokio::test]
async fn taxable_and_untaxed_fees() {
    let shop = peer_shop().await;
    let key = "fees";
    shop.add(key, "10", "1").await;
    let fee = |name: &str, amount: &str, taxable: bool, class: &str| json!({"name": name, "amount": amount, "taxable": taxable, "tax_class": class});
    shop.post("cart/add-fee", key, fee("Gift wrap", "5.00", true, ""))
        .await;
    shop.post(
        "cart/add-fee",
        key,
        fee("Packaging", "10", true, "reduced-rate"),
    )
    .await;
    let body = shop
        .post("cart/add-fee", key, fee("Handling", "2.50", false, ""))
        .await;
    // T-shirt 20.00 + 2.00 tax, flat rate 10.00 + 1.00. Fees 5.00 taxed 10% = 0.50,
    // 10.00 taxed 5% = 0.50, 2.50 untaxed: fee total 17.50, fee tax 1.00.
    // Total 20 + 2 + 10 + 1 + 17.50 + 1.00 = 51.50; total tax 4.00 = US Tax 3.50
    // (2.00 + 1.00 + 0.50) + US Reduced 0.50.
    assert_totals(
        &body,
        [
            "2000", "200", "1750", "100", "0", "0", "1000", "100", "5150", "400",
        ],
    );
    let mut shown = taxes(&body);
    shown.sort();
    assert_eq!(shown, pairs(&[("US Reduced", "50"), ("US Tax", "350")]));
    assert_eq!(
        body["fees"]["gift-wrap"],
        json!({"name": "Gift wrap", "fee": "500"})
    );
    assert_eq!(
        body["fees"]["packaging"],
        json!({"name": "Packaging", "fee": "1000"})
    );
    assert_eq!(
        body["fees"]["handling"],
        json!({"name": "Handling", "fee": "250"})
    );

    // The same name again: 200, an info notice, nothing added.
    let again = shop
        .post("cart/add-fee", key, fee("Gift Wrap", "9", false, ""))
        .await;
    assert_eq!(
        again["notices"]["info"],
        json!(["Fee has already been added."])
    );
    assert_eq!(totals(&again), totals(&body));

    // Removing every fee: 20 + 2 + 10 + 1 = 33.00.
    let none = shop.ok("POST", "cart/remove-fees", key, None).await;
    assert_eq!(none["fees"], json!([]));
    assert_eq!(none["totals"]["total"], "3300");

    // A negative fee −3.00 is taxed across the positive standard-rate costs (item and
    // shipping): −0.30. Total 20 + 2 + 10 + 1 − 3 − 0.30 = 29.70; total tax 2.70.
    let discount = shop
        .post("cart/add-fee", key, fee("Loyalty", "-3", false, ""))
        .await;
    assert_totals(
        &discount,
        [
            "2000", "200", "-300", "-30", "0", "0", "1000", "100", "2970", "270",
        ],
    );
}

#[tokio::test]
async fn formatted_money_in_the_cart_and_the_mini_cart() {
    let shop = peer_shop().await;
    let key = "formatted";
    shop.add(key, "10", "2").await;
    let body = shop
        .call(
            "POST",
            "cart/apply-coupon",
            key,
            "&formatted=true",
            Some(json!({"code": "peer20"})),
        )
        .await
        .json();
    // The figures of `peer20_on_two_t_shirts` as currency text.
    assert_totals(
        &body,
        [
            "$40.00", "$4.00", "$0.00", "$0.00", "$8.00", "$0.80", "$10.00", "$1.00", "$46.20",
            "$4.20",
        ],
    );
    let item = &body["items"][0];
    assert_eq!(item["price"], "$20.00");
    assert_eq!(
        item["totals"],
        json!({"subtotal": "$40.00", "subtotal_tax": "$4.00", "total": "$32.00", "tax": "$3.20"})
    );
    assert_eq!(body["coupons"][0]["saving"], "-$8.00");
    assert_eq!(taxes(&body), pairs(&[("US Tax", "$4.20")]));
    assert_eq!(
        rates(&body).0,
        vec![rate("flat_rate:1", "$10.00", "$1.00", true)]
    );
    assert_eq!(body["item_count"], 2, "counts stay numbers");

    // The mini cart: 2 × T-shirt + 1 book = 58.00 (subtotal before discount, excl. tax).
    shop.add(key, "19", "1").await;
    let full = shop.cart(key).await;
    let mini = shop.ok("GET", "cart/mini", key, None).await;
    assert_eq!(
        mini.as_object().unwrap().keys().collect::<Vec<_>>(),
        [
            "cart_hash",
            "cart_key",
            "currency",
            "item_count",
            "items",
            "subtotal"
        ]
    );
    assert_eq!(mini["cart_hash"], full["cart_hash"]);
    assert_eq!(mini["cart_key"], key);
    assert_eq!(mini["currency"], full["currency"]);
    assert_eq!(mini["item_count"], 3);
    assert_eq!(mini["subtotal"], "5800");
    let first = &mini["items"][0];
    assert_eq!(
        (
            &first["item_key"],
            &first["id"],
            &first["name"],
            &first["price"],
            &first["quantity"]
        ),
        (
            &full["items"][0]["item_key"],
            &json!(10),
            &full["items"][0]["name"],
            &json!("2000"),
            &json!(2)
        )
    );
    assert_eq!(first["featured_image"], full["items"][0]["featured_image"]);
    let mini = shop
        .call("GET", "cart/mini", key, "&formatted=1&thumb=false", None)
        .await
        .json();
    assert_eq!(mini["subtotal"], "$58.00");
    assert_eq!(mini["items"][1]["price"], "$18.00");
    assert_eq!(mini["items"][0]["featured_image"], "");
}

#[tokio::test]
async fn cart_params_shape_the_returned_cart() {
    let shop = peer_shop().await;
    let key = "params";
    shop.add(key, "10", "1").await;
    let only_totals = shop
        .call(
            "POST",
            "cart/remove-fees",
            key,
            "&fields=totals,item_count",
            None,
        )
        .await
        .json();
    assert_eq!(
        only_totals.as_object().unwrap().keys().collect::<Vec<_>>(),
        ["totals", "item_count"]
    );
    let raw = shop
        .call("POST", "cart/remove-fees", key, "&default=true", None)
        .await
        .json();
    assert_eq!(
        raw,
        shop.call("GET", "cart", key, "&default=true", None)
            .await
            .json()
    );
}

#[tokio::test]
async fn delete_cart_items_empties_the_cart_beside_the_core_get() {
    let shop = peer_shop().await;
    let key = "empty-me";
    shop.add(key, "10", "2").await;
    shop.apply(key, "peer20").await;
    shop.post("cart/add-fee", key, json!({"name": "Wrap", "amount": "1"}))
        .await;
    // The core GET on the same path still answers the items.
    let items = shop.ok("GET", "cart/items", key, None).await;
    assert_eq!(items.as_object().unwrap().len(), 1);
    let body = shop.ok("DELETE", "cart/items", key, None).await;
    assert_eq!(body["items"], json!([]));
    assert_eq!(body["coupons"], json!([]));
    assert_eq!(body["fees"], json!([]));
    assert_eq!(body["totals"]["total"], 0);
    assert_eq!(body["notices"], json!({"notice": ["Cart is cleared."]}));
    assert_eq!(shop.cart(key).await["item_count"], 0);
    // `_method=DELETE` reaches the Plus route too.
    shop.add(key, "10", "1").await;
    let overridden = shop
        .call("POST", "cart/items", key, "&_method=DELETE", None)
        .await;
    assert_eq!(overridden.json()["item_count"], 0);
}

#[tokio::test]
async fn the_namespace_index_lists_the_plus_routes() {
    let shop = peer_shop().await;
    let index = shop.server.get("/wp-json/cocart/v2").await.json();
    let routes = &index["routes"];
    assert_eq!(
        routes["/cocart/v2/cart/items"]["methods"],
        json!(["GET", "DELETE"])
    );
    let apply = &routes["/cocart/v2/cart/apply-coupon"]["endpoints"][0]["args"];
    assert_eq!(apply["code"]["required"], true);
    assert_eq!(apply["formatted"]["type"], "boolean");
    let shipping = &routes["/cocart/v2/cart/set-shipping-method"]["endpoints"][0]["args"];
    assert_eq!(shipping["package_id"]["type"], json!(["integer", "string"]));
    for route in [
        "/cocart/v2/cart/mini",
        "/cocart/v2/cart/coupons",
        "/cocart/v2/cart/coupons/validate",
        "/cocart/v2/cart/coupons/(?P<code>[\\w-]+)",
        "/cocart/v2/cart/add-fee",
        "/cocart/v2/cart/remove-fees",
    ] {
        assert!(routes.get(route).is_some(), "{route} listed");
    }
}

#[tokio::test]
async fn coupon_refusals_change_nothing() {
    let shop = peer_shop().await;
    let key = "coupon-errors";
    // An empty cart first.
    shop.refused(
        key,
        ("POST", "cart/apply-coupon", Some(json!({"code": "peer20"}))),
        (
            404,
            "cocart_coupon_cannot_add",
            "Coupon cannot be applied to cart with no items.",
        ),
    )
    .await;
    shop.add(key, "10", "1").await;
    shop.apply(key, "peer5off").await;
    let cases: Vec<(Request, Refusal)> = vec![
        (
            ("POST", "cart/apply-coupon", Some(json!({}))),
            (
                400,
                "rest_missing_callback_param",
                "Missing parameter(s): code",
            ),
        ),
        (
            ("POST", "cart/apply-coupon", Some(json!({"code": " "}))),
            (
                404,
                "cocart_coupon_code_required",
                "No coupon code provided!",
            ),
        ),
        (
            ("POST", "cart/apply-coupon", Some(json!({"code": "nope"}))),
            (
                404,
                "cocart_coupon_not_exist",
                "Coupon \"nope\" does not exist!",
            ),
        ),
        (
            ("DELETE", "cart/coupons/peer20", None),
            (
                404,
                "cocart_cart_coupon_invalid_code",
                "Coupon does not exist in the cart.",
            ),
        ),
    ];
    for (request, expected) in cases {
        shop.refused(key, request, expected).await;
    }
    let other = "no-coupons";
    shop.add(other, "10", "1").await;
    shop.refused(
        other,
        ("GET", "cart/coupons", None),
        (
            404,
            "cocart_cart_no_coupons_applied",
            "No coupons are applied to the cart!",
        ),
    )
    .await;
}

#[tokio::test]
async fn coupon_rules_minimum_spend_email_and_validation() {
    let shop = changed_shop(|name, content| {
        if name == "coupons.json" {
            add_coupon(content, 90, "big50", |coupon| {
                coupon["minimum_amount"] = json!("50.00");
            });
            add_coupon(content, 91, "vip", |coupon| {
                coupon["email_restrictions"] = json!(["*@vip.test"]);
            });
        }
    })
    .await;
    let key = "rules";
    shop.add(key, "10", "1").await;
    // 20.00 < 50.00: WooCommerce's minimum-spend message.
    shop.refused(
        key,
        ("POST", "cart/apply-coupon", Some(json!({"code": "big50"}))),
        (
            400,
            "cocart_coupon_failed_to_apply",
            "The minimum spend for coupon \"big50\" is $50.00.",
        ),
    )
    .await;
    // An email-restricted coupon needs a matching email.
    shop.refused(
        key,
        ("POST", "cart/apply-coupon", Some(json!({"code": "vip"}))),
        (
            400,
            "cocart_coupon_failed_to_apply",
            "Please enter a valid email at checkout to use coupon code \"vip\".",
        ),
    )
    .await;
    let vip = shop
        .post(
            "cart/apply-coupon",
            key,
            json!({"code": "vip", "email": "ann@vip.test"}),
        )
        .await;
    // 20.00 − 5.00 = 15.00 + 1.50 tax + 10.00 + 1.00 shipping = 27.50.
    assert_eq!(vip["totals"]["total"], "2750");
    assert_eq!(
        vip["customer"]["billing_address"]["billing_email"],
        "ann@vip.test"
    );

    // 3 × 20.00 = 60.00 ≥ 50: big50 applies (5.00 off).
    shop.post(
        &format!(
            "cart/item/{}",
            vip["items"][0]["item_key"].as_str().unwrap()
        ),
        key,
        json!({"quantity": "3"}),
    )
    .await;
    let applied = shop.apply(key, "big50").await;
    assert_eq!(
        applied["coupons"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["coupon"].as_str().unwrap())
            .collect::<Vec<_>>(),
        ["vip", "big50"]
    );
    // Back to one T-shirt (the item route only recalculates), then validation drops big50.
    shop.post(
        &format!(
            "cart/item/{}",
            vip["items"][0]["item_key"].as_str().unwrap()
        ),
        key,
        json!({"quantity": "1"}),
    )
    .await;
    let validated = shop.ok("GET", "cart/coupons/validate", key, None).await;
    assert_eq!(validated["coupons"].as_array().unwrap().len(), 1);
    assert_eq!(validated["coupons"][0]["coupon"], "vip");
    assert_eq!(
        validated["notices"]["error"],
        json!([
            "Sorry, it seems the coupon \"big50\" is invalid - it has now been removed from your order."
        ])
    );
    assert_eq!(validated["totals"]["total"], "2750");
}

#[tokio::test]
async fn coupons_disabled_refuses_every_coupon_route() {
    let shop = changed_shop(|name, content| {
        if name == "settings.json" {
            set_option(content, "general", "woocommerce_enable_coupons", "no");
        }
    })
    .await;
    let key = "no-coupons";
    shop.add(key, "10", "1").await;
    let disabled = (
        404,
        "cocart_coupons_not_enabled",
        "Coupons are not enabled for this store!",
    );
    for request in [
        ("POST", "cart/apply-coupon", Some(json!({"code": "peer20"}))),
        ("GET", "cart/coupons", None),
        ("DELETE", "cart/coupons", None),
        ("GET", "cart/coupons/validate", None),
        ("DELETE", "cart/coupons/peer20", None),
    ] {
        shop.refused(key, request, disabled).await;
    }
}

#[tokio::test]
async fn fee_refusals_change_nothing() {
    let shop = peer_shop().await;
    let key = "fee-errors";
    shop.refused(
        key,
        (
            "POST",
            "cart/add-fee",
            Some(json!({"name": "Wrap", "amount": "1"})),
        ),
        (
            404,
            "cocart_fee_cannot_add",
            "Fee cannot be applied to cart with no items.",
        ),
    )
    .await;
    shop.add(key, "10", "1").await;
    let cases: Vec<(Value, Refusal)> = vec![
        (
            json!({"amount": "1"}),
            (
                400,
                "rest_missing_callback_param",
                "Missing parameter(s): name",
            ),
        ),
        (
            json!({"name": "Wrap"}),
            (
                400,
                "rest_missing_callback_param",
                "Missing parameter(s): amount",
            ),
        ),
        (
            json!({"name": "Wrap", "amount": 5}),
            (400, "rest_invalid_param", "Invalid parameter(s): amount"),
        ),
        (
            json!({"name": " ", "amount": "1"}),
            (404, "cocart_fee_missing_name", "Name of fee is missing!"),
        ),
        (
            json!({"name": "Wrap", "amount": ""}),
            (404, "cocart_fee_missing_amount", "Fee amount is missing!"),
        ),
        (
            json!({"name": "Wrap", "amount": "1,234"}),
            (
                400,
                "cocart_fee_invalid_amount",
                "Fee amount \"1,234\" is not a valid amount. Send digits with at most one decimal separator and no thousands separators, e.g. \"1234.50\".",
            ),
        ),
    ];
    for (body, expected) in cases {
        shop.refused(key, ("POST", "cart/add-fee", Some(body)), expected)
            .await;
    }
}

#[tokio::test]
async fn shipping_refusals_change_nothing() {
    let shop = peer_shop().await;
    let key = "ship-errors";
    shop.refused(
        key,
        (
            "POST",
            "cart/set-shipping-method",
            Some(json!({"rate_id": "flat_rate:1"})),
        ),
        (
            404,
            "cocart_shipping_not_calculated",
            "Customer has not calculated shipping.",
        ),
    )
    .await;
    shop.add(key, "10", "1").await;
    let invalid = (404, "cocart_missing_rate_id", "Invalid Rate ID.");
    let cases: Vec<(Value, Refusal)> = vec![
        (
            json!({"package_id": 0}),
            (
                400,
                "rest_missing_callback_param",
                "Missing parameter(s): rate_id",
            ),
        ),
        (json!({"rate_id": " "}), invalid),
        (json!({"rate_id": "flat_rate:9"}), invalid),
        // 20.00 < 100: free shipping is not offered.
        (json!({"rate_id": "free_shipping:2"}), invalid),
        (json!({"rate_id": "flat_rate:1", "package_id": 1}), invalid),
        (
            json!({"rate_id": "flat_rate:1", "package_id": "first"}),
            invalid,
        ),
        (
            json!({"rate_id": "flat_rate:1", "package_id": true}),
            (
                400,
                "rest_invalid_param",
                "Invalid parameter(s): package_id",
            ),
        ),
    ];
    for (body, expected) in cases {
        shop.refused(
            key,
            ("POST", "cart/set-shipping-method", Some(body)),
            expected,
        )
        .await;
    }

    let disabled = changed_shop(|name, content| {
        if name == "settings.json" {
            set_option(
                content,
                "general",
                "woocommerce_ship_to_countries",
                "disabled",
            );
        }
    })
    .await;
    disabled.add(key, "10", "1").await;
    disabled
        .refused(
            key,
            (
                "POST",
                "cart/set-shipping-method",
                Some(json!({"rate_id": "flat_rate:1"})),
            ),
            (404, "cocart_shipping_disabled", "Shipping is disabled."),
        )
        .await;
}
