//! Merchant Lua hooks over HTTP: the real daemon with scripts from a temporary folder.
//! Every hook cartd fires is shown to fire with its documented arguments (a probe script
//! records each call and the `cocart_cart` / `cocart_empty_cart` filters expose the record
//! in the cart body) and every filter's return value is shown to reach the response. The
//! example scripts of `hooks/`, the sandbox budgets, `fail_closed` and reloading are
//! exercised the same way.

mod common;

use std::time::{Duration, Instant};

use cartd::config::Config;
use common::{TestResponse, TestServer, create_users};
use serde_json::{Value, json};
use tempfile::TempDir;

/// Records calls and exposes them: `record(name)` returns a callback that stores its
/// arguments (nil as JSON null), `watch_filter(name)` / `watch_action(name)` register one
/// at the default priority; the cart body gets the calls since the last body under
/// `recorded`.
const PROBE_PRELUDE: &str = r##"
local calls = cocart.json.array()
function record(name)
  return function(...)
    local args = cocart.json.array()
    for i = 1, select("#", ...) do
      local value = select(i, ...)
      if value == nil then value = cocart.null end
      args[i] = value
    end
    calls[#calls + 1] = { hook = name, args = args }
  end
end
function watch_filter(name) cocart.add_filter(name, record(name)) end
function watch_action(name) cocart.add_action(name, record(name)) end
local function expose(body)
  body.recorded = calls
  calls = cocart.json.array()
  return body
end
cocart.add_filter("cocart_cart", expose, 1000)
cocart.add_filter("cocart_empty_cart", expose, 1000)
"##;

/// A daemon on the demo store with `probe.lua` (the prelude, then `script`) loaded in one
/// Lua state, so the probe's record survives between calls.
struct Hooked {
    server: TestServer,
    _scripts: TempDir,
}

async fn hooked(script: &str) -> Hooked {
    hooked_with(script, |_| {}).await
}

async fn hooked_with(script: &str, adjust: impl FnOnce(&mut Config)) -> Hooked {
    let scripts = tempfile::tempdir().unwrap();
    std::fs::write(
        scripts.path().join("probe.lua"),
        format!("{PROBE_PRELUDE}\n{script}"),
    )
    .unwrap();
    let dir = scripts.path().to_path_buf();
    let server = TestServer::start_with(|config| {
        config.hooks.dir = dir;
        config.hooks.scripts = vec!["probe.lua".into()];
        config.hooks.pool_size = 1;
        adjust(config);
    })
    .await;
    Hooked {
        server,
        _scripts: scripts,
    }
}

fn cart_path(key: &str, route: &str) -> String {
    format!("/wp-json/cocart/v2/{route}?cart_key={key}")
}

impl Hooked {
    async fn add(&self, key: &str, body: Value) -> TestResponse {
        add_to(&self.server, key, body).await
    }

    /// Adds `quantity` of `id` and returns the cart body (asserting 200).
    async fn added(&self, key: &str, id: &str, quantity: &str) -> Value {
        ok(self.add(key, json!({"id": id, "quantity": quantity})).await)
    }

    /// Adds `quantity` of `id` and returns the key of the cart's first item.
    async fn added_key(&self, key: &str, id: &str, quantity: &str) -> String {
        let body = self.added(key, id, quantity).await;
        first_item(&body)["item_key"].as_str().unwrap().to_owned()
    }

    async fn cart(&self, key: &str) -> Value {
        ok(self.server.get(&cart_path(key, "cart")).await)
    }

    async fn send(&self, method: &str, key: &str, route: &str, body: Value) -> TestResponse {
        self.server
            .request(
                method,
                &cart_path(key, route),
                &[("content-type", "application/json")],
                serde_json::to_vec(&body).unwrap(),
            )
            .await
    }
}

fn ok(response: TestResponse) -> Value {
    assert_eq!(response.status, 200, "{}", response.text());
    response.json()
}

fn error_of(response: &TestResponse) -> (u16, String, String) {
    let body = response.json();
    (
        response.status,
        body["code"].as_str().unwrap_or_default().to_owned(),
        body["message"].as_str().unwrap_or_default().to_owned(),
    )
}

/// The argument lists of every recorded call of `hook` in a cart body.
fn calls(body: &Value, hook: &str) -> Vec<Vec<Value>> {
    body["recorded"]
        .as_array()
        .unwrap_or_else(|| panic!("no record in {body}"))
        .iter()
        .filter(|call| call["hook"] == hook)
        .map(|call| call["args"].as_array().cloned().unwrap_or_default())
        .collect()
}

/// The single recorded call of `hook`.
fn only_call(body: &Value, hook: &str) -> Vec<Value> {
    let mut found = calls(body, hook);
    assert_eq!(found.len(), 1, "{hook}: {}", body["recorded"]);
    found.remove(0)
}

/// The hook names recorded in a cart body, in the order they fired.
fn hook_order(body: &Value) -> Vec<&str> {
    body["recorded"]
        .as_array()
        .unwrap_or_else(|| panic!("no record in {body}"))
        .iter()
        .filter_map(|call| call["hook"].as_str())
        .collect()
}

fn first_item(body: &Value) -> &Value {
    &body["items"][0]
}

const MUG: &str = "101";

// ---------------------------------------------------------------- TIER 1

#[tokio::test]
async fn cocart_get_cart_fires_without_arguments_on_v2() {
    let shop = hooked(r#"watch_action("cocart_get_cart")"#).await;
    let body = shop.cart("get").await;
    assert_eq!(only_call(&body, "cocart_get_cart"), Vec::<Value>::new());
}

#[tokio::test]
async fn clearing_fires_before_emptied_and_cleared_then_the_message_filter() {
    let shop = hooked(
        r#"
        for _, name in ipairs({"cocart_before_cart_emptied", "cocart_cart_emptied", "cocart_cart_cleared"}) do
          watch_action(name)
        end
        cocart.add_filter("cocart_cart_cleared_message", function(message)
          return message .. " Come back soon."
        end)
        "#,
    )
    .await;
    shop.added("clear", MUG, "1").await;
    let body = ok(shop.send("POST", "clear", "cart/clear", json!({})).await);
    assert_eq!(
        hook_order(&body),
        [
            "cocart_before_cart_emptied",
            "cocart_cart_emptied",
            "cocart_cart_cleared"
        ]
    );
    assert_eq!(only_call(&body, "cocart_cart_cleared"), Vec::<Value>::new());
    assert_eq!(
        body["notices"]["notice"][0], "Cart is cleared. Come back soon.",
        "{body}"
    );
}

#[tokio::test]
async fn cocart_item_added_to_cart_gets_key_line_and_request() {
    let shop = hooked(r#"watch_action("cocart_item_added_to_cart")"#).await;
    let body = shop.added("added", MUG, "2").await;
    let args = only_call(&body, "cocart_item_added_to_cart");
    assert_eq!(args[0], first_item(&body)["item_key"]);
    assert_eq!(args[1]["product_id"], 101);
    assert_eq!(args[1]["variation_id"], 0);
    assert_eq!(args[1]["quantity"], 2);
    assert_eq!(args[2]["id"], MUG);
    assert_eq!(args[2]["quantity"], "2");
}

#[tokio::test]
async fn remove_and_restore_fire_with_the_line() {
    let shop = hooked(
        r#"watch_action("cocart_item_removed")
           watch_action("cocart_item_restored")"#,
    )
    .await;
    let key = shop.added_key("undo", MUG, "3").await;
    let route = format!("cart/item/{key}");
    let removed = ok(shop.send("DELETE", "undo", &route, json!({})).await);
    let line = &only_call(&removed, "cocart_item_removed")[0];
    assert_eq!((&line["key"], &line["quantity"]), (&json!(key), &json!(3)));
    let restored = ok(shop.send("PUT", "undo", &route, json!({})).await);
    let line = &only_call(&restored, "cocart_item_restored")[0];
    assert_eq!(
        (&line["key"], &line["product_id"]),
        (&json!(key), &json!(101))
    );
}

#[tokio::test]
async fn cocart_item_quantity_changed_gets_the_line_after_the_change() {
    let shop = hooked(r#"watch_action("cocart_item_quantity_changed")"#).await;
    let key = shop.added_key("qty", MUG, "1").await;
    let body = ok(shop
        .send(
            "POST",
            "qty",
            &format!("cart/item/{key}"),
            json!({"quantity": "4"}),
        )
        .await);
    let args = only_call(&body, "cocart_item_quantity_changed");
    assert_eq!(args[0], json!(key));
    assert_eq!(args[1]["quantity"], 4);
}

#[tokio::test]
async fn cocart_item_thumbnail_size_gets_the_default_and_the_removed_flag() {
    let shop = hooked(r#"watch_filter("cocart_item_thumbnail_size")"#).await;
    shop.added("thumb", MUG, "1").await;
    let key = shop.added("thumb", "105", "1").await["items"][1]["item_key"]
        .as_str()
        .unwrap()
        .to_owned();
    shop.send("DELETE", "thumb", &format!("cart/item/{key}"), json!({}))
        .await;
    let body = shop.cart("thumb").await;
    assert_eq!(
        calls(&body, "cocart_item_thumbnail_size"),
        [
            vec![json!("woocommerce_thumbnail"), json!(false)],
            vec![json!("woocommerce_thumbnail"), json!(true)]
        ]
    );
    // `thumb=false` builds no image, so the size is not asked for.
    let body = ok(shop
        .server
        .get(&format!("{}&thumb=false", cart_path("thumb", "cart")))
        .await);
    assert!(calls(&body, "cocart_item_thumbnail_size").is_empty());
}

#[tokio::test]
async fn cocart_cart_contents_fires_per_line_with_v2_items_and_may_rewrite_them() {
    let shop = watched(
        "cocart_cart_contents",
        r#"function(contents, key)
             contents[key].checked = true
             return contents
           end"#,
    )
    .await;
    shop.added("contents", MUG, "1").await;
    let body = shop.added("contents", "105", "1").await;
    let recorded = calls(&body, "cocart_cart_contents");
    assert_eq!(recorded.len(), 2);
    let first_key = first_item(&body)["item_key"].clone();
    let [contents, key, line, product] = &recorded[0][..] else {
        panic!("{recorded:?}")
    };
    assert_eq!(key, &first_key);
    assert_eq!(contents[first_key.as_str().unwrap()]["name"], "Ceramic Mug");
    assert_eq!(line["product_id"], 101);
    assert_eq!(product["sku"], "DEMO-MUG");
    assert_eq!(recorded[1][0].as_object().unwrap().len(), 2);
    assert!(
        body["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|item| item["checked"] == true)
    );
}

#[tokio::test]
async fn cocart_ok_to_add_refuses_with_the_response_filter_message() {
    let shop = hooked(
        r#"watch_filter("cocart_ok_to_add_response")
           watch_filter("cocart_ok_to_add")
           cocart.add_filter("cocart_ok_to_add", function(ok, product)
             return product.sku ~= "DEMO-COOKBOOK"
           end, 20)
           cocart.add_filter("cocart_ok_to_add_message", function() return "Not today." end)"#,
    )
    .await;
    let body = shop.added("ok", MUG, "2").await;
    let args = only_call(&body, "cocart_ok_to_add");
    assert_eq!(args[0], true);
    assert_eq!(args[1]["id"], 101);
    assert_eq!((&args[2], &args[3]), (&json!(101), &json!(2)));
    assert_eq!(only_call(&body, "cocart_ok_to_add_response")[0], "");
    let refused = shop.add("ok", json!({"id": "105"})).await;
    assert_eq!(
        error_of(&refused),
        (403, "cocart_not_ok_to_add_item".into(), "Not today.".into())
    );
    assert_eq!(shop.cart("ok").await["items"].as_array().unwrap().len(), 1);
}

// ---------------------------------------------------------------- TIER 2, §6.1 order

#[tokio::test]
async fn cocart_does_product_allow_price_change_can_refuse_a_posted_price() {
    let shop = hooked_with(
        r#"watch_filter("cocart_does_product_allow_price_change")
           cocart.add_filter("cocart_does_product_allow_price_change", function(allow, line)
             return line.product_id ~= 101
           end, 20)"#,
        |config| {
            config.cart.allow_price_override = true;
            add_boss(config);
        },
    )
    .await;
    let body = ok(add_priced_as_admin(&shop.server, MUG).await);
    let args = only_call(&body, "cocart_does_product_allow_price_change");
    assert_eq!(
        (&args[0], &args[1]["product_id"]),
        (&json!(true), &json!(101))
    );
    assert_eq!(args[2]["price"], "1.50");
    assert_ne!(first_item(&body)["price"], "150", "{body}");
    let body = ok(add_priced_as_admin(&shop.server, "105").await);
    let cookbook = body["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|item| item["id"] == 105)
        .unwrap();
    assert_eq!(cookbook["price"], "150", "{body}");
}

/// Adds `id` at a posted price of 1.50 as the administrator `boss`.
/// An `Authorization` header for HTTP Basic credentials.
/// Registers the administrator `boss` (password `boss-password`).
fn add_boss(config: &mut Config) {
    create_users(
        config,
        &[(
            "boss",
            "boss@example.test",
            "boss-password",
            cartd::auth::Role::Administrator,
        )],
    );
}

fn basic_auth(credentials: &str) -> String {
    use base64::Engine;
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(credentials)
    )
}

async fn add_priced_as_admin(server: &TestServer, id: &str) -> TestResponse {
    let auth = basic_auth("boss:boss-password");
    server
        .request(
            "POST",
            "/wp-json/cocart/v2/cart/add-item",
            &[
                ("content-type", "application/json"),
                ("authorization", &auth),
            ],
            serde_json::to_vec(&json!({"id": id, "price": "1.50"})).unwrap(),
        )
        .await
}

#[tokio::test]
async fn cocart_add_to_cart_validation_gets_its_arguments_and_may_return_an_error() {
    let shop = watched(
        "cocart_add_to_cart_validation",
        r#"function(passed, product_id)
             if product_id == 105 then
               return { code = "shop_closed", message = "Cookbooks are sold out.", data = { status = 409 } }
             end
             return passed
           end"#,
    )
    .await;
    let body = ok(shop
        .add(
            "valid",
            json!({"id": MUG, "quantity": "2", "item_data": {"note": "hi"}}),
        )
        .await);
    let args = only_call(&body, "cocart_add_to_cart_validation");
    assert_eq!(
        args[..7],
        [
            json!(true),
            json!(101),
            json!(2),
            json!(0),
            json!({}),
            json!({"note": "hi"}),
            json!("simple")
        ]
    );
    assert_eq!(args[7]["id"], MUG);
    let refused = shop.add("valid", json!({"id": "105"})).await;
    assert_eq!(
        error_of(&refused),
        (409, "shop_closed".into(), "Cookbooks are sold out.".into())
    );
}

#[tokio::test]
async fn cocart_update_cart_validation_false_refuses_the_update() {
    let shop = watched(
        "cocart_update_cart_validation",
        r#"function(passed, key, line, quantity)
             return quantity < 5
           end"#,
    )
    .await;
    let key = shop.added_key("upd", MUG, "1").await;
    let route = format!("cart/item/{key}");
    let body = ok(shop
        .send("POST", "upd", &route, json!({"quantity": "3"}))
        .await);
    let args = only_call(&body, "cocart_update_cart_validation");
    assert_eq!(
        (&args[0], &args[1], &args[3]),
        (&json!(true), &json!(key), &json!(3))
    );
    assert_eq!(args[2]["quantity"], 1);
    let refused = shop
        .send("POST", "upd", &route, json!({"quantity": "7"}))
        .await;
    assert_eq!(error_of(&refused).0, 400);
    assert_eq!(error_of(&refused).1, "cocart_can_not_update_item");
}

#[tokio::test]
async fn cocart_add_cart_item_data_shapes_the_line() {
    let shop = watched(
        "cocart_add_cart_item_data",
        r#"function(data)
             data.engraving = "CARTD"
             return data
           end"#,
    )
    .await;
    let body = shop.added("data", MUG, "1").await;
    let args = only_call(&body, "cocart_add_cart_item_data");
    assert_eq!(
        args[..5],
        [json!({}), json!(101), json!(0), json!(1), json!("simple")]
    );
    assert_eq!(args[5]["id"], MUG);
    assert_eq!(
        first_item(&body)["cart_item_data"],
        json!({"engraving": "CARTD"})
    );
}

#[tokio::test]
async fn cocart_add_to_cart_quantity_changes_the_quantity_added() {
    let shop = watched(
        "cocart_add_to_cart_quantity",
        r#"function(quantity) return quantity * 2 end"#,
    )
    .await;
    let body = shop.added("double", MUG, "2").await;
    let args = only_call(&body, "cocart_add_to_cart_quantity");
    assert_eq!(
        args[..5],
        [json!(2), json!(101), json!(0), json!({}), json!({})]
    );
    assert_eq!(first_item(&body)["quantity"]["value"], 4);
}

#[tokio::test]
async fn cocart_quantity_minimum_requirement_refuses_small_adds_and_shows_in_the_item() {
    let shop = watched(
        "cocart_quantity_minimum_requirement",
        r#"function() return 2 end"#,
    )
    .await;
    let refused = shop.add("min", json!({"id": MUG, "quantity": "1"})).await;
    assert_eq!(error_of(&refused).0, 405);
    assert_eq!(error_of(&refused).1, "cocart_quantity_invalid_amount");
    let body = shop.added("min", MUG, "2").await;
    let args = &calls(&body, "cocart_quantity_minimum_requirement")[0];
    assert_eq!((&args[0], &args[1]["id"]), (&json!(1), &json!(101)));
    assert_eq!(first_item(&body)["quantity"]["min_purchase"], 2);
}

#[tokio::test]
async fn cocart_quantity_maximum_allowed_gets_the_products_maximum() {
    let shop = watched(
        "cocart_quantity_maximum_allowed",
        r#"function() return 6 end"#,
    )
    .await;
    let body = shop.added("max", "103", "1").await;
    let args = &calls(&body, "cocart_quantity_maximum_allowed")[0];
    assert_eq!((&args[0], &args[1]["id"]), (&json!(2), &json!(103)));
    assert_eq!(first_item(&body)["quantity"]["max_purchase"], 6);
}

#[tokio::test]
async fn sold_individually_filters_get_their_arguments_and_decide() {
    let shop = hooked(
        r#"watch_filter("cocart_add_to_cart_sold_individually_quantity")
           cocart.add_filter("cocart_add_to_cart_sold_individually_quantity", function() return 2 end, 20)
           watch_filter("cocart_add_to_cart_sold_individually_found_in_cart")"#,
    )
    .await;
    let body = shop.added("single", "102", "1").await;
    let args = only_call(&body, "cocart_add_to_cart_sold_individually_quantity");
    assert_eq!(
        args[..5],
        [json!(1), json!(1), json!(102), json!(0), json!({})]
    );
    assert_eq!(args[5]["id"], "102");
    assert_eq!(
        only_call(&body, "cocart_add_to_cart_sold_individually_found_in_cart"),
        [json!(false), json!(102), json!(0), json!({}), json!("")]
    );
    assert_eq!(first_item(&body)["quantity"]["value"], 2);
    let refused = shop.add("single", json!({"id": "102"})).await;
    assert_eq!(error_of(&refused).1, "cocart_product_sold_individually");
    // The refused add's calls show in the next body.
    let body = shop.cart("single").await;
    let key = first_item(&body)["item_key"].clone();
    assert_eq!(
        only_call(&body, "cocart_add_to_cart_sold_individually_found_in_cart"),
        [json!(true), json!(102), json!(0), json!({}), key]
    );
}

#[tokio::test]
async fn cocart_before_get_cart_may_drop_lines() {
    let shop = watched(
        "cocart_before_get_cart",
        r#"function(contents)
             for key, line in pairs(contents) do
               if line.product_id == 105 then contents[key] = nil end
             end
             return contents
           end"#,
    )
    .await;
    shop.added("before", MUG, "1").await;
    let body = shop.added("before", "105", "1").await;
    let args = only_call(&body, "cocart_before_get_cart");
    assert_eq!(args[0].as_object().unwrap().len(), 2);
    assert_eq!(args[1]["contents"], args[0]);
    assert_eq!(args[2], Value::Null);
    let ids: Vec<&Value> = body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| &item["id"])
        .collect();
    assert_eq!(ids, [&json!(101)]);
}

#[tokio::test]
async fn cocart_after_get_cart_may_change_quantities() {
    let shop = watched(
        "cocart_after_get_cart",
        r#"function(contents)
             for _, line in pairs(contents) do line.quantity = 5 end
             return contents
           end"#,
    )
    .await;
    let body = shop.added("after", MUG, "1").await;
    let args = only_call(&body, "cocart_after_get_cart");
    assert_eq!(args[0].as_object().unwrap().len(), 1);
    assert_eq!(first_item(&body)["quantity"]["value"], 5);
    assert_eq!(body["item_count"], 5);
}

#[tokio::test]
async fn cocart_cart_and_cocart_empty_cart_shape_the_body() {
    let shop = hooked(
        r#"watch_filter("cocart_cart")
           cocart.add_filter("cocart_cart", function(body) body.greeting = "full" return body end)
           watch_filter("cocart_empty_cart")
           cocart.add_filter("cocart_empty_cart", function(body) body.greeting = "empty" return body end)"#,
    )
    .await;
    let empty = shop.cart("shape").await;
    assert_eq!(empty["greeting"], "empty");
    assert_eq!(
        only_call(&empty, "cocart_empty_cart")[0]["items"],
        json!([])
    );
    let full = shop.added("shape", MUG, "1").await;
    assert_eq!(full["greeting"], "full");
    let args = only_call(&full, "cocart_cart");
    assert_eq!(args[0]["cart_key"], "shape");
    assert_eq!(args[1], Value::Null);
    assert_eq!(args[2]["contents"].as_object().unwrap().len(), 1);
}

/// A daemon recording `hook` and rewriting its value with the Lua function `rewrite`
/// (registered after the recorder, at priority 20).
async fn watched(hook: &str, rewrite: &str) -> Hooked {
    hooked(&format!(
        r#"watch_filter("{hook}")
           cocart.add_filter("{hook}", {rewrite}, 20)"#
    ))
    .await
}

/// Registers a recorder and a rewriting filter on `hook`, adds a mug and returns the body
/// with the recorded arguments of the first call.
async fn item_filter(hook: &str, rewrite: &str) -> (Value, Vec<Value>) {
    let shop = watched(hook, rewrite).await;
    let body = shop
        .add(
            "item",
            json!({"id": MUG, "quantity": "2", "item_data": {"gift": "yes"}}),
        )
        .await;
    let body = ok(body);
    let args = calls(&body, hook).remove(0);
    (body, args)
}

#[tokio::test]
async fn cocart_cart_item_price_changes_the_shown_price() {
    let (body, args) = item_filter(
        "cocart_cart_item_price",
        r#"function(price) return "999" end"#,
    )
    .await;
    let key = &first_item(&body)["item_key"];
    assert_eq!(
        (&args[0], &args[1]["product_id"], &args[2]),
        (&json!("1250"), &json!(101), key)
    );
    assert_eq!(args[3]["sku"], "DEMO-MUG");
    assert_eq!(first_item(&body)["price"], "999");
}

#[tokio::test]
async fn cocart_cart_item_name_and_title_rename_the_item() {
    let (body, args) = item_filter(
        "cocart_cart_item_name",
        r#"function(name, product) return name .. " (" .. product.sku .. ")" end"#,
    )
    .await;
    assert_eq!(
        (&args[0], &args[1]["id"]),
        (&json!("Ceramic Mug"), &json!(101))
    );
    assert_eq!(args[2]["quantity"], 2);
    assert_eq!(args[3], first_item(&body)["item_key"]);
    assert_eq!(first_item(&body)["name"], "Ceramic Mug (DEMO-MUG)");
    let (body, args) = item_filter(
        "cocart_cart_item_title",
        r#"function(title) return string.upper(title) end"#,
    )
    .await;
    assert_eq!(args[0], "Ceramic Mug");
    assert_eq!(first_item(&body)["title"], "CERAMIC MUG");
}

#[tokio::test]
async fn cocart_cart_item_quantity_changes_the_shown_quantity() {
    let (body, args) = item_filter(
        "cocart_cart_item_quantity",
        r#"function(quantity) return quantity * 10 end"#,
    )
    .await;
    assert_eq!(
        (&args[0], &args[1]),
        (&json!(2), &first_item(&body)["item_key"])
    );
    assert_eq!(
        (&args[2]["quantity"], &args[3]["id"]),
        (&json!(2), &json!(101))
    );
    assert_eq!(first_item(&body)["quantity"]["value"], 20);
    assert_eq!(body["item_count"], 2, "display only");
}

#[tokio::test]
async fn cocart_cart_item_data_and_extensions_fill_their_fields() {
    let (body, args) = item_filter(
        "cocart_cart_item_data",
        r#"function(data) data.wrapped = "no" return data end"#,
    )
    .await;
    assert_eq!(args[0], json!({"gift": "yes"}));
    assert_eq!(args[1], first_item(&body)["item_key"]);
    assert_eq!(args[2]["id"], 101);
    assert_eq!(
        first_item(&body)["cart_item_data"],
        json!({"gift": "yes", "wrapped": "no"})
    );
    let (body, args) = item_filter(
        "cocart_cart_item_extensions",
        r#"function(extensions) return { loyalty = { points = 14 } } end"#,
    )
    .await;
    assert_eq!(args[0], json!([]));
    assert_eq!(
        (&args[1]["product_id"], &args[2]),
        (&json!(101), &first_item(&body)["item_key"])
    );
    assert_eq!(args[3]["id"], 101);
    assert_eq!(
        first_item(&body)["extensions"],
        json!({"loyalty": {"points": 14}})
    );
}

#[tokio::test]
async fn cocart_cart_items_may_rewrite_the_items_map() {
    let (body, args) = item_filter(
        "cocart_cart_items",
        r#"function(items, key) items[key].position = 1 return items end"#,
    )
    .await;
    let key = first_item(&body)["item_key"].as_str().unwrap();
    assert_eq!(args[0][key]["name"], "Ceramic Mug");
    assert_eq!(
        (&args[1], &args[2]["quantity"], &args[3]["id"]),
        (&json!(key), &json!(2), &json!(101))
    );
    assert_eq!(first_item(&body)["position"], 1);
}

#[tokio::test]
async fn cocart_item_product_changes_what_the_item_shows() {
    let (body, args) = item_filter(
        "cocart_item_product",
        r#"function(product) product.name = "Mug of the Month" return product end"#,
    )
    .await;
    assert_eq!(
        (&args[0]["id"], &args[1]["quantity"]),
        (&json!(101), &json!(2))
    );
    assert_eq!(args[2], first_item(&body)["item_key"]);
    assert_eq!(first_item(&body)["name"], "Mug of the Month");
}

#[tokio::test]
async fn add_to_cart_handlers_route_and_refuse() {
    let shop = hooked(
        r#"watch_filter("cocart_add_to_cart_handler")
           cocart.add_filter("cocart_add_to_cart_handler", function(handler, product)
             if product.sku == "DEMO-COOKBOOK" then return "grouped" end
             if product.sku == "DEMO-TOTE" then return "preorder" end
             return handler
           end, 20)
           watch_filter("cocart_add_to_cart_handler_preorder")
           cocart.add_filter("cocart_add_to_cart_handler_preorder", function(product, request)
             return { code = "preorder_only", message = "Pre-order " .. product.name .. " by phone.", status = 403 }
           end, 20)"#,
    )
    .await;
    let body = shop.added("handler", MUG, "1").await;
    let args = only_call(&body, "cocart_add_to_cart_handler");
    assert_eq!((&args[0], &args[1]["id"]), (&json!("simple"), &json!(101)));
    let refused = shop.add("handler", json!({"id": "105"})).await;
    assert_eq!(
        error_of(&refused).1,
        "cocart_cannot_add_product_type_to_cart"
    );
    let refused = shop.add("handler", json!({"id": "107"})).await;
    assert_eq!(
        error_of(&refused),
        (
            403,
            "preorder_only".into(),
            "Pre-order Canvas Tote by phone.".into()
        )
    );
}

#[tokio::test]
async fn add_items_handlers_name_the_handler_and_may_refuse() {
    let shop = hooked(
        r#"watch_filter("cocart_add_items_to_cart_handler")
           cocart.add_filter("cocart_add_items_to_cart_handler", function(handler, product)
             if product.sku == "DEMO-TOTE" then return "bundle" end
             return handler
           end, 20)
           watch_filter("cocart_add_items_to_cart_handler_bundle")
           cocart.add_filter("cocart_add_items_to_cart_handler_bundle", function(product, request)
             if request.quantity["105"] == "9" then
               return { code = "bundle_too_big", message = "At most 8 with " .. product.name .. ".", status = 400 }
             end
           end, 20)"#,
    )
    .await;
    let add_items = |id: &str, quantity: &str| json!({"id": id, "quantity": {"105": quantity}});
    let body = ok(shop
        .send("POST", "items", "cart/add-items", add_items(MUG, "1"))
        .await);
    let args = only_call(&body, "cocart_add_items_to_cart_handler");
    assert_eq!((&args[0], &args[1]["id"]), (&json!("simple"), &json!(101)));
    let body = ok(shop
        .send("POST", "items", "cart/add-items", add_items("107", "2"))
        .await);
    let args = only_call(&body, "cocart_add_items_to_cart_handler_bundle");
    assert_eq!(args[0]["id"], 107);
    assert_eq!(args[1]["quantity"], json!({"105": "2"}));
    let refused = shop
        .send("POST", "items", "cart/add-items", add_items("107", "9"))
        .await;
    assert_eq!(
        error_of(&refused),
        (
            400,
            "bundle_too_big".into(),
            "At most 8 with Canvas Tote.".into()
        )
    );
    assert_eq!(
        first_item(&shop.cart("items").await)["quantity"]["value"],
        3
    );
}

#[tokio::test]
async fn after_add_actions_get_the_lines_request_and_handler() {
    let shop = hooked(
        r#"watch_action("cocart_after_item_added_to_cart")
           watch_action("cocart_after_items_added_to_cart")"#,
    )
    .await;
    let body = shop.added("after-add", MUG, "2").await;
    let args = only_call(&body, "cocart_after_item_added_to_cart");
    assert_eq!(
        (&args[0]["product_id"], &args[0]["quantity"]),
        (&json!(101), &json!(2))
    );
    assert_eq!(
        (&args[1]["id"], &args[2], &args[3]),
        (&json!(MUG), &json!("simple"), &Value::Null)
    );
    let body = ok(shop
        .send(
            "POST",
            "after-add",
            "cart/add-items",
            json!({"id": MUG, "quantity": {"105": "3"}}),
        )
        .await);
    let args = only_call(&body, "cocart_after_items_added_to_cart");
    assert_eq!(args[0]["105"]["quantity"], 3);
    assert_eq!(
        (&args[2], &args[3]),
        (&json!("simple"), &Value::Null),
        "the container's handler"
    );
    assert_eq!(args[1]["quantity"], json!({"105": "3"}));
}

#[tokio::test]
async fn the_totals_actions_fire_around_totals_when_update_cart_changes_something() {
    let shop = hooked(
        r#"watch_action("cocart_update_cart_before_totals")
           watch_action("cocart_update_cart_after_totals")"#,
    )
    .await;
    let key = shop.added_key("bulk", MUG, "1").await;
    let mut quantities = serde_json::Map::new();
    quantities.insert(key.clone(), json!("3"));
    let update = json!({"namespace": "update-cart", "quantity": quantities});
    let body = ok(shop
        .send("POST", "bulk", "cart/update", update.clone())
        .await);
    assert_eq!(
        hook_order(&body),
        [
            "cocart_update_cart_before_totals",
            "cocart_update_cart_after_totals"
        ]
    );
    let args = only_call(&body, "cocart_update_cart_before_totals");
    assert_eq!(args[0]["quantity"][&key], "3");
    assert_eq!(args[1], Value::Null);
    assert_eq!(only_call(&body, "cocart_update_cart_after_totals"), args);
    let unchanged = ok(shop.send("POST", "bulk", "cart/update", update).await);
    assert_eq!(hook_order(&unchanged), Vec::<&str>::new());
}

/// `POST cart/update` with the `update-customer` namespace.
async fn update_customer(shop: &Hooked, key: &str, details: Value) -> Value {
    let mut body = json!({"namespace": "update-customer"});
    body.as_object_mut()
        .unwrap()
        .extend(details.as_object().unwrap().clone());
    ok(shop.send("POST", key, "cart/update", body).await)
}

#[tokio::test]
async fn cocart_update_customer_fields_gets_the_validated_details_and_returns_those_applied() {
    let shop = hooked(
        r#"watch_filter("cocart_update_customer_fields")
           watch_action("cocart_update_cart_after_totals")
           cocart.add_filter("cocart_update_customer_fields", function(details)
             details.billing_first_name = string.upper(details.billing_first_name)
             if details.billing_company == "Nobody" then return cocart.json.object() end
             return details
           end, 20)"#,
    )
    .await;
    shop.added("who", MUG, "1").await;
    let body = update_customer(
        &shop,
        "who",
        json!({"first_name": "Ann", "email": "not-an-email", "s_city": "Leeds"}),
    )
    .await;
    let args = only_call(&body, "cocart_update_customer_fields");
    assert_eq!(args[0]["billing_first_name"], "Ann");
    assert_eq!(
        args[0]["billing_email"], "",
        "an invalid email keeps the stored one"
    );
    assert_eq!(args[1]["s_city"], "Leeds");
    assert_eq!(args[2].as_array().unwrap().len(), 11);
    assert_eq!(args[2][0], "first_name");
    assert!(args[3]["billing"].is_object(), "{}", args[3]);
    assert_eq!(args[4], Value::Null);
    assert_eq!(calls(&body, "cocart_update_cart_after_totals").len(), 1);
    let billing = &body["customer"]["billing_address"];
    assert_eq!(billing["billing_first_name"], "ANN", "{body}");
    assert_eq!(
        body["customer"]["shipping_address"]["shipping_city"],
        "Leeds"
    );
    let refused = update_customer(
        &shop,
        "who",
        json!({"first_name": "Bob", "company": "Nobody"}),
    )
    .await;
    assert_eq!(
        refused["customer"]["billing_address"]["billing_first_name"], "ANN",
        "an empty result saves nothing"
    );
    assert!(calls(&refused, "cocart_update_cart_after_totals").is_empty());
}

const SESSION_HOOKS: &str = r#"
for _, name in ipairs({"cocart_requested_cart_key", "cocart_cart_expiring",
                       "cocart_cart_expiration", "cocart_generate_key"}) do
  watch_filter(name)
end
"#;

#[tokio::test]
async fn a_named_key_fires_requested_key_then_the_two_expiry_filters() {
    let shop = hooked(SESSION_HOOKS).await;
    let body = shop.cart("named").await;
    assert_eq!(
        hook_order(&body),
        [
            "cocart_requested_cart_key",
            "cocart_cart_expiring",
            "cocart_cart_expiration"
        ]
    );
    assert_eq!(
        only_call(&body, "cocart_requested_cart_key"),
        [json!("named")]
    );
    assert_eq!(only_call(&body, "cocart_cart_expiring"), [json!(518400)]);
    assert_eq!(only_call(&body, "cocart_cart_expiration"), [json!(604800)]);
}

#[tokio::test]
async fn cocart_requested_cart_key_chooses_the_cart_that_loads() {
    let shop = hooked(
        r#"cocart.add_filter("cocart_requested_cart_key", function(key)
             if key == "alias" then return "Real-Cart" end
             return key
           end)"#,
    )
    .await;
    shop.added("real-cart", MUG, "2").await;
    let response = shop.server.get(&cart_path("alias", "cart")).await;
    assert_eq!(response.header("cocart-api-cart-key"), Some("real-cart"));
    assert_eq!(first_item(&response.json())["quantity"]["value"], 2);
}

#[tokio::test]
async fn without_a_key_a_guest_gets_expiry_filters_then_cocart_generate_key() {
    let shop = hooked(&format!(
        r#"{SESSION_HOOKS}
           cocart.add_filter("cocart_generate_key", function(key) return "shop-" .. key end, 20)"#
    ))
    .await;
    let response = shop.server.get("/wp-json/cocart/v2/cart").await;
    assert_eq!(response.status, 200, "{}", response.text());
    let body = response.json();
    assert_eq!(
        hook_order(&body),
        [
            "cocart_cart_expiring",
            "cocart_cart_expiration",
            "cocart_generate_key"
        ]
    );
    let minted = only_call(&body, "cocart_generate_key")[0].clone();
    assert_eq!(minted.as_str().unwrap().len(), 30);
    assert_eq!(
        response.header("cocart-api-cart-key").unwrap(),
        format!("shop-{}", minted.as_str().unwrap())
    );
}

#[tokio::test]
async fn the_expiry_filters_set_the_session_headers() {
    let shop = hooked(
        r#"cocart.add_filter("cocart_cart_expiring", function() return 60 end)
           cocart.add_filter("cocart_cart_expiration", function() return "120" end)"#,
    )
    .await;
    let response = shop.server.get(&cart_path("short", "cart")).await;
    let header = |name: &str| -> u64 { response.header(name).unwrap().parse().unwrap() };
    let now = header("cocart-timestamp");
    assert_eq!(header("cocart-api-cart-expiring"), now + 60);
    assert_eq!(header("cocart-api-cart-expiration"), now + 120);
}

/// A daemon with the probe and one registered customer, `shopper` (user 1).
async fn hooked_with_customer(script: &str) -> Hooked {
    hooked_with(script, |config| {
        create_users(
            config,
            &[(
                "shopper",
                "shopper@example.test",
                "shopper-password",
                cartd::auth::Role::Customer,
            )],
        );
    })
    .await
}

#[tokio::test]
async fn cocart_set_customer_id_chooses_whose_profile_backs_a_new_cart() {
    let shop = hooked_with_customer(
        r#"watch_filter("cocart_set_customer_id")
           cocart.add_filter("cocart_set_customer_id", function(id) return 1 end, 20)"#,
    )
    .await;
    let body = shop.cart("adopted").await;
    assert_eq!(only_call(&body, "cocart_set_customer_id"), [json!(0)]);
    assert_eq!(
        body["customer"]["billing_address"]["billing_email"], "shopper@example.test",
        "{body}"
    );
}

#[tokio::test]
async fn cocart_secure_registered_users_false_lets_a_guest_open_a_customers_cart() {
    let secured = hooked_with_customer(r#"watch_filter("cocart_secure_registered_users")"#).await;
    let refused = secured.server.get(&cart_path("1", "cart")).await;
    assert_eq!(error_of(&refused).0, 403);
    let opened = hooked_with_customer(
        r#"watch_filter("cocart_secure_registered_users")
           cocart.add_filter("cocart_secure_registered_users", function() return false end, 20)"#,
    )
    .await;
    let body = opened.cart("1").await;
    assert_eq!(
        only_call(&body, "cocart_secure_registered_users"),
        [json!(true)]
    );
}

/// `GET cart` without a key as the `shopper` customer.
async fn cart_as_shopper(shop: &Hooked) -> TestResponse {
    let auth = basic_auth("shopper:shopper-password");
    shop.server
        .request(
            "GET",
            "/wp-json/cocart/v2/cart",
            &[("authorization", &auth)],
            Vec::new(),
        )
        .await
}

#[tokio::test]
async fn cocart_authenticate_keeps_the_authenticated_user_or_denies_them() {
    let kept = hooked_with_customer(r#"watch_filter("cocart_authenticate")"#).await;
    let response = cart_as_shopper(&kept).await;
    assert_eq!(response.header("cocart-api-cart-key"), Some("1"));
    assert_eq!(
        only_call(&response.json(), "cocart_authenticate"),
        [json!(1), json!(false), Value::Null]
    );
    let denied = hooked_with_customer(
        r#"cocart.add_filter("cocart_authenticate", function() return false end)"#,
    )
    .await;
    let response = cart_as_shopper(&denied).await;
    assert_eq!(response.status, 200, "{}", response.text());
    assert_eq!(response.header("cocart-api-cart-key").unwrap().len(), 30);
    let granting = hooked_with_customer(
        r#"cocart.add_filter("cocart_authenticate", function() return 1 end)"#,
    )
    .await;
    let guest = ok(granting.server.get("/wp-json/cocart/v2/cart").await);
    assert_eq!(guest["customer"]["billing_address"]["billing_email"], "");
}

#[tokio::test]
async fn cocart_api_permission_check_locks_listed_routes_for_guests() {
    let shop = hooked_with_customer(
        r#"watch_filter("cocart_api_permission_check_get")
           cocart.add_filter("cocart_api_permission_check_post", function(routes)
             routes[#routes + 1] = "v2/cart/clear"
             return routes
           end)"#,
    )
    .await;
    let body = shop.cart("locked").await;
    assert_eq!(only_call(&body, "cocart_api_permission_check_get").len(), 1);
    let refused = shop.send("POST", "locked", "cart/clear", json!({})).await;
    assert_eq!(
        error_of(&refused),
        (
            401,
            "cocart_rest_permission_error".to_owned(),
            "Permission to WRITE /cocart/v2/cart/clear is only permitted if the user is authenticated."
                .to_owned()
        )
    );
    let auth = basic_auth("shopper:shopper-password");
    let cleared = shop
        .server
        .request(
            "POST",
            "/wp-json/cocart/v2/cart/clear",
            &[("authorization", &auth)],
            Vec::new(),
        )
        .await;
    assert_eq!(cleared.status, 200, "{}", cleared.text());
    assert_eq!(
        shop.send("POST", "locked", "cart/calculate", json!({}))
            .await
            .status,
        200
    );
}

#[tokio::test]
async fn cocart_return_default_response_false_lets_the_endpoint_filters_replace_the_body() {
    let shop = hooked(
        r#"watch_filter("cocart_return_default_response")
           cocart.add_filter("cocart_return_default_response", function() return false end, 20)
           cocart.add_filter("cocart_cart/add_item_response", function(body)
             return { wrapped = body.items[1].name }
           end)
           cocart.add_filter("cocart_cart/items/count_response", function() return 0 end)"#,
    )
    .await;
    let wrapped = ok(shop.add("wrap", json!({"id": MUG})).await);
    assert_eq!(wrapped, json!({"wrapped": "Ceramic Mug"}));
    let body = shop.cart("wrap").await;
    assert_eq!(
        calls(&body, "cocart_return_default_response"),
        [vec![json!(true)]],
        "the earlier add's call is in the record"
    );
    let emptied = shop
        .server
        .get(&cart_path("wrap", "cart/items/count"))
        .await;
    let (status, code, message) = error_of(&emptied);
    assert_eq!(
        (status, code.as_str()),
        (400, "cocart_response_returned_empty")
    );
    assert!(message.ends_with("/wp-json/cocart/v2/cart/items/count/\"! Please seek assistance."));
}

#[tokio::test]
async fn by_default_the_endpoint_filters_do_not_run() {
    let shop = hooked(
        r#"cocart.add_filter("cocart_cart/add_item_response", function() return "replaced" end)"#,
    )
    .await;
    let body = shop.added("plain", MUG, "1").await;
    assert_eq!(first_item(&body)["name"], "Ceramic Mug");
}

/// A daemon with the probe, `script` and one administrator, `boss` (user 1).
async fn hooked_with_admin(script: &str) -> Hooked {
    hooked_with(script, add_boss).await
}

/// `method /wp-json/<path>` as the `boss` administrator.
async fn as_admin(shop: &Hooked, method: &str, path: &str) -> TestResponse {
    let auth = basic_auth("boss:boss-password");
    shop.server
        .request(
            method,
            &format!("/wp-json/{path}"),
            &[("authorization", &auth)],
            Vec::new(),
        )
        .await
}

const WRAP_EVERYTHING: &str = r#"
cocart.add_filter("cocart_return_default_response", function() return false end)
local function wrap(name)
  cocart.add_filter(name, function(body) return { wrapped = name, body = body } end)
end
for _, name in ipairs({"cocart_login_response", "cocart_session_response",
  "cocart_sessions_response", "cocart_cart/apply_coupon_response", "cocart_cart/mini_response",
  "cocart_get_cart_response", "cocart_add_item_response", "cocart_item_response",
  "cocart_clear_response", "cocart_calculate_response"}) do
  wrap(name)
end
"#;

#[tokio::test]
async fn the_endpoint_filters_wrap_login_and_the_session_routes() {
    let shop = hooked_with_admin(WRAP_EVERYTHING).await;
    let login = ok(as_admin(&shop, "POST", "cocart/v2/login").await);
    assert_eq!(login["wrapped"], "cocart_login_response");
    assert_eq!(login["body"]["user_id"], "1", "{login}");
    shop.add("stored", json!({"id": MUG})).await;
    let session = ok(as_admin(&shop, "GET", "cocart/v2/session/stored").await);
    assert_eq!(session["wrapped"], "cocart_session_response");
    assert_eq!(session["body"]["cart_key"], "stored", "{session}");
    let items = ok(as_admin(&shop, "GET", "cocart/v2/session/stored/items").await);
    assert_eq!(items["wrapped"], "cocart_session_response");
    let sessions = ok(as_admin(&shop, "GET", "cocart/v2/sessions").await);
    assert_eq!(sessions["wrapped"], "cocart_sessions_response");
    assert_eq!(sessions["body"][0]["cart_key"], "stored", "{sessions}");
    let deleted = ok(as_admin(&shop, "DELETE", "cocart/v2/session/stored").await);
    assert_eq!(
        deleted,
        json!({"wrapped": "cocart_session_response", "body": "Session successfully deleted!"})
    );
}

#[tokio::test]
async fn the_endpoint_filters_wrap_the_plus_routes() {
    let shop = hooked(WRAP_EVERYTHING).await;
    shop.add("plus", json!({"id": MUG})).await;
    let mini = ok(shop.server.get(&cart_path("plus", "cart/mini")).await);
    assert_eq!(mini["wrapped"], "cocart_cart/mini_response");
    assert_eq!(mini["body"]["cart_key"], "plus", "{mini}");
    let refused = shop
        .send(
            "POST",
            "plus",
            "cart/apply-coupon",
            json!({"code": "nosuchcode"}),
        )
        .await;
    assert_eq!(
        refused.status,
        404,
        "errors are not wrapped: {}",
        refused.text()
    );
}

/// `method /wp-json/cocart/v1/<route>?cart_key=<key>` with a JSON body.
async fn v1_send(shop: &Hooked, method: &str, key: &str, route: &str, body: Value) -> Value {
    ok(shop
        .server
        .request(
            method,
            &format!("/wp-json/cocart/v1/{route}?cart_key={key}"),
            &[("content-type", "application/json")],
            serde_json::to_vec(&body).unwrap(),
        )
        .await)
}

#[tokio::test]
async fn the_v1_endpoint_filters_wrap_the_v1_answers() {
    let shop = hooked(WRAP_EVERYTHING).await;
    let empty = v1_send(&shop, "GET", "v1wrap", "get-cart", json!({})).await;
    assert_eq!(empty["wrapped"], "cocart_get_cart_response");
    let nothing = empty["body"].as_str().unwrap();
    assert!(
        nothing.starts_with("Request returned nothing for \"http://")
            && nothing.ends_with("/wp-json/cocart/v1/get_cart/\"! Please seek assistance."),
        "{nothing}"
    );
    let added = v1_send(
        &shop,
        "POST",
        "v1wrap",
        "add-item",
        json!({"product_id": MUG}),
    )
    .await;
    assert_eq!(added["wrapped"], "cocart_add_item_response");
    assert_eq!(added["body"]["product_name"], "Ceramic Mug", "{added}");
    let item_key = added["body"]["key"].as_str().unwrap().to_owned();
    let contents = v1_send(&shop, "GET", "v1wrap", "get-cart", json!({})).await;
    assert_eq!(contents["body"][&item_key]["quantity"], 1, "{contents}");
    let updated = v1_send(
        &shop,
        "POST",
        "v1wrap",
        "item",
        json!({"cart_item_key": item_key, "quantity": "2"}),
    )
    .await;
    assert_eq!(updated["wrapped"], "cocart_item_response");
    let with_cart = v1_send(
        &shop,
        "POST",
        "v1wrap",
        "item",
        json!({"cart_item_key": item_key, "quantity": "3", "return_cart": true}),
    )
    .await;
    assert!(
        with_cart.get("wrapped").is_none(),
        "return_cart answers unwrapped"
    );
    let calculated = v1_send(&shop, "POST", "v1wrap", "calculate", json!({})).await;
    assert_eq!(
        calculated,
        json!({"wrapped": "cocart_calculate_response", "body": "Cart totals have been calculated."})
    );
    let cleared = v1_send(&shop, "POST", "v1wrap", "clear", json!({})).await;
    assert_eq!(
        cleared,
        json!({"wrapped": "cocart_clear_response", "body": "Cart is cleared."})
    );
}

/// `GET cart` for `key` with extra request headers.
async fn cart_with_headers(shop: &Hooked, key: &str, headers: &[(&str, &str)]) -> TestResponse {
    shop.server
        .request("GET", &cart_path(key, "cart"), headers, Vec::new())
        .await
}

#[tokio::test]
async fn cocart_disable_all_cors_false_puts_cocarts_own_cors_in_charge() {
    let shop = hooked(
        r#"cocart.add_filter("cocart_disable_all_cors", function() return false end)
           watch_filter("cocart_disable_all_cors")
           watch_filter("cocart_allow_origin")
           watch_filter("cocart_http_allowed_safe_ports")
           watch_filter("cocart_allowed_http_origins")
           cocart.add_filter("cocart_allowed_http_origins", function(origins)
             origins[#origins + 1] = "https://app.example"
             return origins
           end, 20)"#,
    )
    .await;
    let allowed = cart_with_headers(&shop, "cors", &[("origin", "https://app.example")]).await;
    assert_eq!(
        allowed.header("access-control-allow-origin"),
        Some("https://app.example")
    );
    assert_eq!(allowed.header("access-control-max-age"), Some("600"));
    assert_eq!(
        allowed.header("access-control-allow-credentials"),
        Some("true")
    );
    let body = shop.cart("cors").await;
    assert_eq!(
        only_call(&body, "cocart_allow_origin"),
        [json!("https://app.example")]
    );
    let ports = only_call(&body, "cocart_http_allowed_safe_ports");
    assert_eq!(
        ports,
        [
            json!([80, 443, 8080]),
            json!("127.0.0.1"),
            json!("http://127.0.0.1")
        ]
    );
    assert_eq!(
        only_call(&body, "cocart_allowed_http_origins"),
        [json!(["http://127.0.0.1", "https://127.0.0.1"])],
        "the test server's port is not a safe port"
    );
    let refused = cart_with_headers(&shop, "cors", &[("origin", "https://evil.example")]).await;
    assert_eq!(refused.status, 200);
    assert_eq!(refused.header("access-control-allow-origin"), None);
    let preflight = shop
        .server
        .request(
            "OPTIONS",
            &cart_path("cors", "cart"),
            &[
                ("origin", "https://evil.example"),
                ("access-control-request-method", "POST"),
                ("access-control-request-headers", "content-type"),
            ],
            Vec::new(),
        )
        .await;
    assert_eq!(
        preflight.header("access-control-allow-origin"),
        Some("https://evil.example"),
        "a preflight always gets its origin back"
    );
    let default_cors = hooked("").await;
    let reflected =
        cart_with_headers(&default_cors, "cors", &[("origin", "https://evil.example")]).await;
    assert_eq!(
        reflected.header("access-control-allow-origin"),
        Some("https://evil.example"),
        "without the filter WordPress's CORS (`[cors]`) applies"
    );
    assert_eq!(reflected.header("access-control-max-age"), None);
}

#[tokio::test]
async fn the_cache_header_filters_shorten_or_privatise_caching() {
    let shop = hooked(
        r##"cocart.add_filter("cocart_send_cache_control_patterns", function(patterns)
             return { "#^/wp-json/cocart/v2/cart#" }
           end)
           cocart.add_filter("cocart_send_cache_control_patterns",
             record("cocart_send_cache_control_patterns"), 1)"##,
    )
    .await;
    let cart = cart_with_headers(&shop, "cache", &[]).await;
    assert_eq!(
        cart.header("cache-control"),
        Some("no-cache, must-revalidate, max-age=0")
    );
    let products = shop.server.get("/wp-json/cocart/v2/products").await;
    assert_eq!(
        products.header("cache-control"),
        Some("no-store, no-cache, must-revalidate")
    );
    let body = shop.cart("cache").await;
    let defaults = &calls(&body, "cocart_send_cache_control_patterns")[0][0];
    assert_eq!(defaults[0], "#^/cocart/v2/cart?#", "{defaults}");
    let private = hooked(
        r#"watch_filter("cocart_send_nocache_headers")
           cocart.add_filter("cocart_send_nocache_headers", function() return true end, 20)"#,
    )
    .await;
    let guest = cart_with_headers(&private, "private", &[]).await;
    assert_eq!(
        guest.header("cache-control"),
        Some("no-cache, must-revalidate, max-age=0, no-store, private")
    );
    assert_eq!(
        guest.header("expires"),
        Some("Wed, 11 Jan 1984 05:00:00 GMT")
    );
    let body = private.cart("private").await;
    assert_eq!(
        calls(&body, "cocart_send_nocache_headers")[0],
        [json!(false)],
        "a guest"
    );
}

/// A minor-units money string in whole currency units, rounded half up (2 decimals).
fn whole_units(minor: &Value) -> String {
    let cents: i64 = minor.as_str().unwrap().parse().unwrap();
    ((cents + 50) / 100).to_string()
}

#[tokio::test]
async fn cocart_prepare_money_disable_decimals_prints_whole_currency_units() {
    let plain = hooked("").await.added("money", MUG, "3").await;
    let shop = hooked(
        r#"watch_filter("cocart_prepare_money_disable_decimals")
           cocart.add_filter("cocart_prepare_money_disable_decimals", function() return true end, 20)"#,
    )
    .await;
    shop.added("money", MUG, "3").await;
    let body = shop.cart("money").await;
    assert_eq!(
        only_call(&body, "cocart_prepare_money_disable_decimals"),
        [json!(false)]
    );
    for pointer in [
        "/items/0/price",
        "/items/0/totals/subtotal",
        "/totals/subtotal",
        "/totals/total",
    ] {
        let whole = whole_units(plain.pointer(pointer).unwrap());
        assert_eq!(body.pointer(pointer).unwrap(), &json!(whole), "{pointer}");
    }
    assert_eq!(body["currency"], plain["currency"]);
    let totals = ok(shop
        .send(
            "POST",
            "money",
            "cart/calculate",
            json!({"return_totals": true}),
        )
        .await);
    assert_eq!(
        totals["total"],
        json!(whole_units(&plain["totals"]["total"])),
        "{totals}"
    );
}

#[tokio::test]
async fn cocart_prepare_money_disable_decimals_reaches_the_session_routes() {
    let shop = hooked_with_admin(
        r#"cocart.add_filter("cocart_prepare_money_disable_decimals", function() return true end)"#,
    )
    .await;
    let plain = hooked("").await.added("money", MUG, "3").await;
    shop.added("money", MUG, "3").await;
    let session = ok(as_admin(&shop, "GET", "cocart/v2/session/money").await);
    assert_eq!(
        session["totals"]["total"],
        json!(whole_units(&plain["totals"]["total"])),
        "{session}"
    );
}

// ---------------------------------------------------------------- other TIER 2 hooks

#[tokio::test]
async fn item_totals_filters_change_the_item_totals() {
    let shop = hooked(
        r#"for _, name in ipairs({"cocart_cart_item_subtotal", "cocart_cart_item_subtotal_tax", "cocart_cart_item_total", "cocart_cart_item_tax"}) do
             watch_filter(name)
             cocart.add_filter(name, function() return name end, 20)
           end"#,
    )
    .await;
    let body = shop.added("totals", MUG, "2").await;
    let item = first_item(&body);
    for (field, hook) in [
        ("subtotal", "cocart_cart_item_subtotal"),
        ("subtotal_tax", "cocart_cart_item_subtotal_tax"),
        ("total", "cocart_cart_item_total"),
        ("tax", "cocart_cart_item_tax"),
    ] {
        assert_eq!(item["totals"][field], hook);
        let args = only_call(&body, hook);
        assert_eq!(
            (&args[1]["product_id"], &args[2]),
            (&json!(101), &item["item_key"])
        );
    }
    assert_eq!(only_call(&body, "cocart_cart_item_subtotal")[0], "2500");
}

#[tokio::test]
async fn cocart_item_thumbnail_src_replaces_the_image_url() {
    let (body, args) = item_filter(
        "cocart_item_thumbnail_src",
        r#"function(url) return "https://cdn.example/mug.png" end"#,
    )
    .await;
    assert!(args[0].as_str().unwrap().starts_with("http"), "{args:?}");
    assert_eq!(
        (&args[1]["product_id"], &args[2], &args[3]),
        (&json!(101), &first_item(&body)["item_key"], &json!(false))
    );
    assert_eq!(
        first_item(&body)["featured_image"],
        "https://cdn.example/mug.png"
    );
}

#[tokio::test]
async fn cocart_cart_item_required_stock_is_not_enough_adds_a_notice() {
    let shop = watched(
        "cocart_cart_item_required_stock_is_not_enough",
        r#"function() return true end"#,
    )
    .await;
    let body = shop.added("stock", "103", "1").await;
    let args = only_call(&body, "cocart_cart_item_required_stock_is_not_enough");
    assert_eq!(
        (&args[0], &args[1]["id"], &args[2]["quantity"]),
        (&json!(false), &json!(103), &json!(1))
    );
    let errors = body["notices"]["error"].as_array().unwrap();
    assert!(
        errors[0].as_str().unwrap().contains("(2 available)"),
        "{errors:?}"
    );
}

#[tokio::test]
async fn cocart_add_to_cart_message_html_rewrites_the_success_notice() {
    let (body, args) = item_filter(
        "cocart_add_to_cart_message_html",
        r#"function(message) return "Nice choice!" end"#,
    )
    .await;
    assert!(
        args[0].as_str().unwrap().contains("Ceramic Mug"),
        "{args:?}"
    );
    assert_eq!(body["notices"]["success"], json!(["Nice choice!"]));
}

/// Hooks no HTTP route of this build reaches: the v1 cart routes (added separately) fire
/// the first four, whose domain tests are in `src/cart/render_v1.rs`; the demo store has
/// no product that can disappear or go on notified backorder.
const NOT_REACHABLE_OVER_HTTP: &[&str] = &[
    "cocart_return_cart_contents",
    "cocart_return_empty_cart",
    "cocart_product_name",
    "cocart_product_title",
    "cocart_cart_item_removed_message",
    "cocart_cart_item_backorder_notification",
];

#[test]
fn every_fired_hook_has_a_test_here() {
    let source = include_str!("hooks_api.rs");
    for name in cartd::hooks::FIRED_HOOKS {
        let tested = match name.split_once('{') {
            Some((prefix, rest)) => {
                let suffix = rest.split_once('}').map_or("", |(_, suffix)| suffix);
                source.match_indices(&format!("\"{prefix}")).any(|(at, _)| {
                    let quoted = source[at + 1..].split('"').next().unwrap_or_default();
                    quoted.len() > prefix.len() + suffix.len() && quoted.ends_with(suffix)
                })
            }
            None => source.contains(&format!("\"{name}\"")),
        };
        assert!(
            tested || NOT_REACHABLE_OVER_HTTP.contains(name),
            "no HTTP test for {name}"
        );
    }
}

// ---------------------------------------------------------------- fail_closed

const FAILING_RULES: &str = r#"
cocart.add_filter("cocart_add_to_cart_validation", function(passed, product_id)
  if product_id == 105 then error("rule service down") end
  return passed
end)
cocart.add_filter("cocart_cart_item_name", function() error("broken label") end)
"#;

#[tokio::test]
async fn fail_closed_fails_validation_hooks_with_500_and_skips_the_rest() {
    let shop = hooked_with(FAILING_RULES, |config| config.hooks.fail_closed = true).await;
    let body = shop.added("closed", MUG, "1").await;
    assert_eq!(first_item(&body)["name"], "Ceramic Mug");
    let failed = shop.add("closed", json!({"id": "105"})).await;
    assert_eq!(error_of(&failed).0, 500);
    assert_eq!(error_of(&failed).1, "cocart_unknown_server_error");
    assert_eq!(
        shop.cart("closed").await["items"].as_array().unwrap().len(),
        1
    );
}

#[tokio::test]
async fn without_fail_closed_a_failing_validation_callback_is_skipped() {
    let shop = hooked(FAILING_RULES).await;
    let body = shop.added("open", "105", "1").await;
    assert_eq!(first_item(&body)["name"], "Seasonal Cookbook");
}

// ---------------------------------------------------------------- example scripts

async fn examples(scripts: &[&str], settings: Value) -> TestServer {
    TestServer::start_with(|config| {
        config.hooks.dir = concat!(env!("CARGO_MANIFEST_DIR"), "/hooks").into();
        config.hooks.scripts = scripts.iter().map(|script| script.to_string()).collect();
        config.hooks.fail_closed = true;
        config.hooks.settings = serde_json::from_value(settings).unwrap();
    })
    .await
}

async fn add_to(server: &TestServer, key: &str, body: Value) -> TestResponse {
    server
        .post_json(&cart_path(key, "cart/add-item"), &body)
        .await
}

#[tokio::test]
async fn require_item_example_refuses_until_the_required_product_is_in_the_cart() {
    let server = examples(
        &["require-item.lua"],
        json!({"require-item": {"required_product_id": 105}}),
    )
    .await;
    let refused = add_to(&server, "required", json!({"id": MUG})).await;
    assert_eq!(
        error_of(&refused),
        (
            403,
            "cocart_not_ok_to_add_item".into(),
            "This item requires a specific item to be added first to the cart.".into()
        )
    );
    ok(add_to(&server, "required", json!({"id": "105"})).await);
    let body = ok(add_to(&server, "required", json!({"id": MUG})).await);
    assert_eq!(body["items"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn add_sku_example_adds_the_sku_to_v2_items() {
    let server = examples(&["add-sku.lua"], json!({})).await;
    let body = ok(add_to(&server, "sku", json!({"id": MUG})).await);
    assert_eq!(first_item(&body)["sku"], "DEMO-MUG");
}

#[tokio::test]
async fn cap_quantity_example_caps_adds_and_reports_the_cap() {
    let server = examples(
        &["cap-quantity.lua"],
        json!({"cap-quantity": {"max_units": 3}}),
    )
    .await;
    let refused = add_to(&server, "cap", json!({"id": MUG, "quantity": "4"})).await;
    assert_eq!(error_of(&refused).1, "cocart_quantity_invalid_amount");
    let body = ok(add_to(&server, "cap", json!({"id": MUG, "quantity": "3"})).await);
    assert_eq!(first_item(&body)["quantity"]["max_purchase"], 3);
}

#[tokio::test]
async fn log_added_and_strip_item_keys_examples_load_and_leave_v2_answers_intact() {
    let server = examples(&["log-added.lua", "strip-item-keys.lua"], json!({})).await;
    let body = ok(add_to(&server, "log", json!({"id": MUG, "quantity": "2"})).await);
    assert_eq!(first_item(&body)["quantity"]["value"], 2);
}

// ---------------------------------------------------------------- sandbox

#[tokio::test]
async fn an_infinite_loop_is_stopped_within_the_budget_and_the_request_answers() {
    let shop = hooked_with(
        r#"cocart.add_filter("cocart_cart_item_name", function() while true do end end)"#,
        |config| {
            config.hooks.instruction_budget = u64::MAX;
            config.hooks.time_budget_ms = 50;
        },
    )
    .await;
    let started = Instant::now();
    let body = shop.added("spin", MUG, "1").await;
    assert!(started.elapsed() < Duration::from_secs(5));
    assert_eq!(first_item(&body)["name"], "Ceramic Mug");
}

#[tokio::test]
async fn a_memory_bomb_is_stopped_and_the_request_answers() {
    let shop = hooked_with(
        r#"cocart.add_filter("cocart_cart_item_name", function(name)
             local hoard = {}
             for i = 1, 1e9 do hoard[i] = string.rep("x", 1000) .. i end
             return name
           end)"#,
        |config| {
            config.hooks.memory_limit_bytes = 4 * 1024 * 1024;
            config.hooks.instruction_budget = u64::MAX;
            config.hooks.time_budget_ms = 60_000;
        },
    )
    .await;
    let body = shop.added("bomb", MUG, "1").await;
    assert_eq!(first_item(&body)["name"], "Ceramic Mug");
    let body = shop.cart("bomb").await;
    assert_eq!(first_item(&body)["name"], "Ceramic Mug");
}

// ---------------------------------------------------------------- reload

fn version_script(version: u32) -> String {
    format!(
        r#"cocart.add_filter("cocart_empty_cart", function(body) body.version = {version} return body end)"#
    )
}

async fn version(server: &TestServer) -> Value {
    ok(server.get(&cart_path("reload", "cart")).await)["version"].clone()
}

#[tokio::test]
async fn reload_swaps_the_scripts_and_a_failed_reload_keeps_them() {
    let scripts = tempfile::tempdir().unwrap();
    let script = scripts.path().join("version.lua");
    std::fs::write(&script, version_script(1)).unwrap();
    let dir = scripts.path().to_path_buf();
    let mut server = TestServer::start_with(|config| {
        config.hooks.dir = dir;
        config.hooks.scripts = vec!["version.lua".into()];
    })
    .await;
    let daemon = server.take_daemon();
    assert_eq!(version(&server).await, 1);
    std::fs::write(&script, version_script(2)).unwrap();
    daemon.reload_hooks().unwrap();
    assert_eq!(version(&server).await, 2);
    std::fs::write(&script, "cocart.add_filter(").unwrap();
    assert!(daemon.reload_hooks().is_err());
    assert_eq!(version(&server).await, 2);
    std::fs::remove_file(&script).unwrap();
    assert!(daemon.reload_hooks().is_err());
    assert_eq!(version(&server).await, 2);
    daemon.stop().await;
}

// ---------------------------------------------------------------- command line

#[test]
fn cartd_check_warns_about_registered_names_cartd_never_fires() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("mixed.lua"),
        r#"cocart.add_filter("cocart_ok_to_add_message", function(m) return m end)
           cocart.add_filter("cocart_add_to_cart_handler_bundle", function(p) return p end)
           cocart.add_filter("cocart_cookie_name", function(n) return n end)"#,
    )
    .unwrap();
    let config = dir.path().join("cartd.toml");
    std::fs::write(
        &config,
        format!(
            "data_path = {:?}\n[hooks]\ndir = {:?}\nscripts = [\"mixed.lua\"]\n",
            dir.path().join("cartd.redb"),
            dir.path()
        ),
    )
    .unwrap();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_cartd"))
        .arg("check")
        .arg("--config")
        .arg(&config)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{stdout}");
    let warnings: Vec<&str> = stdout
        .lines()
        .filter(|line| line.starts_with("warning:"))
        .collect();
    assert_eq!(
        warnings,
        ["warning: hook cocart_cookie_name is registered but cartd never fires it"]
    );
}

#[test]
fn cartd_reload_sends_sighup_to_the_named_process() {
    use std::os::unix::process::ExitStatusExt;
    let dir = tempfile::tempdir().unwrap();
    let mut target = std::process::Command::new("sleep")
        .arg("30")
        .spawn()
        .unwrap();
    let pidfile = dir.path().join("cartd.pid");
    std::fs::write(&pidfile, format!("{}\n", target.id())).unwrap();
    let reload = std::process::Command::new(env!("CARGO_BIN_EXE_cartd"))
        .arg("reload")
        .arg("--pidfile")
        .arg(&pidfile)
        .output()
        .unwrap();
    assert!(
        reload.status.success(),
        "{}",
        String::from_utf8_lossy(&reload.stderr)
    );
    assert_eq!(target.wait().unwrap().signal(), Some(1), "SIGHUP");
    let missing = std::process::Command::new(env!("CARGO_BIN_EXE_cartd"))
        .args(["reload", "--pidfile"])
        .arg(dir.path().join("absent.pid"))
        .output()
        .unwrap();
    assert!(!missing.status.success());
}

// ---------------------------------------------------------------- cart/update extensions

/// Registers `my-namespace` on `"cocart_register_extension_callback"`: its callback records
/// its arguments, or refuses with an error table carrying the request's `data.note` when
/// the request says `refuse`. Also tries to take over `update-cart` (recording whether
/// that registration was accepted) and registers `no-callback` without a callback.
/// `POST cart/update` on `key` naming only `namespace`.
async fn update_namespace(shop: &Hooked, key: &str, namespace: &str) -> TestResponse {
    shop.send("POST", key, "cart/update", json!({"namespace": namespace}))
        .await
}

const EXTENSION: &str = r#"
cocart.add_action("cocart_register_extension_callback", function(registry)
  registry:register({ name = "my-namespace", callback = function(request, controller)
    if request.refuse then
      return { code = "my_namespace_refused", message = "Refused: " .. request.data.note, status = 409 }
    end
    record("my-namespace")(request, controller)
  end })
  record("update-cart registered")(registry.register({ name = "update-cart", callback = function()
    return { code = "hijacked", message = "The built-in was replaced.", status = 418 }
  end }))
  registry:register({ name = "no-callback" })
end)
"#;

#[tokio::test]
async fn a_script_namespace_gets_the_request_and_answers_with_the_cart() {
    let shop = hooked(EXTENSION).await;
    shop.added("ext", MUG, "2").await;
    let body = ok(shop
        .send(
            "POST",
            "ext",
            "cart/update",
            json!({"namespace": "my-namespace", "data": {"note": "gift wrap"}}),
        )
        .await);
    let args = only_call(&body, "my-namespace");
    assert_eq!(args[0]["namespace"], "my-namespace");
    assert_eq!(args[0]["data"], json!({"note": "gift wrap"}));
    assert_eq!(args[0]["cart_key"], "ext");
    assert_eq!(args[1], Value::Null, "the controller is nil");
    assert_eq!(first_item(&body)["quantity"]["value"], 2, "{body}");
    assert_eq!(body["cart_key"], "ext");
}

#[tokio::test]
async fn a_script_namespace_returning_an_error_table_answers_that_error() {
    let shop = hooked(EXTENSION).await;
    shop.added("refuse", MUG, "1").await;
    let refused = shop
        .send(
            "POST",
            "refuse",
            "cart/update",
            json!({"namespace": "my-namespace", "refuse": true, "data": {"note": "out of paper"}}),
        )
        .await;
    assert_eq!(
        error_of(&refused),
        (
            409,
            "my_namespace_refused".into(),
            "Refused: out of paper".into()
        )
    );
}

#[tokio::test]
async fn unregistered_namespaces_and_missing_callbacks_are_refused() {
    let shop = hooked(EXTENSION).await;
    shop.added("nons", MUG, "1").await;
    let unknown = update_namespace(&shop, "nons", "nobody").await;
    assert_eq!(
        error_of(&unknown),
        (
            404,
            "cocart_update_cart_no_namespace_error".into(),
            "There is no such namespace registered: nobody.".into()
        )
    );
    let no_callback = update_namespace(&shop, "nons", "no-callback").await;
    assert_eq!(
        error_of(&no_callback),
        (
            400,
            "cocart_update_cart_invalid_callback_error".into(),
            "There is no valid callback registered for: no-callback.".into()
        )
    );
}

#[tokio::test]
async fn a_script_cannot_replace_the_built_in_update_cart() {
    let shop = hooked(EXTENSION).await;
    let key = shop.added_key("builtin", MUG, "1").await;
    let mut quantities = serde_json::Map::new();
    quantities.insert(key, json!("4"));
    let body = ok(shop
        .send(
            "POST",
            "builtin",
            "cart/update",
            json!({"namespace": "update-cart", "quantity": quantities}),
        )
        .await);
    assert_eq!(
        only_call(&body, "update-cart registered"),
        [json!(false)],
        "the action fires for the built-ins too, and refuses their names"
    );
    assert_eq!(first_item(&body)["quantity"]["value"], 4, "{body}");
    assert!(calls(&body, "my-namespace").is_empty());
}

const BROKEN_EXTENSION: &str = r#"
cocart.add_action("cocart_register_extension_callback", function(registry)
  registry:register({ name = "my-namespace", callback = function() error("backend down") end })
end)
"#;

#[tokio::test]
async fn a_failing_namespace_callback_is_skipped_unless_fail_closed() {
    let shop = hooked(BROKEN_EXTENSION).await;
    shop.added("broken", MUG, "1").await;
    let update = json!({"namespace": "my-namespace"});
    let body = ok(shop
        .send("POST", "broken", "cart/update", update.clone())
        .await);
    assert_eq!(first_item(&body)["quantity"]["value"], 1);
    let strict = hooked_with(BROKEN_EXTENSION, |config| config.hooks.fail_closed = true).await;
    strict.added("broken", MUG, "1").await;
    let failed = strict.send("POST", "broken", "cart/update", update).await;
    assert_eq!(error_of(&failed).0, 500);
    assert_eq!(error_of(&failed).1, "cocart_unknown_server_error");
}
