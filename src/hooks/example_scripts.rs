//! The example scripts shipped in the top-level `hooks/` folder, each loaded through
//! [`HookRuntime`] and fired with values shaped like CoCart's recorded responses
//! (recordings 02, 46 and 47 of the peer store).

use std::io::Write;
use std::path::Path;
use std::sync::{Arc, Mutex};

use serde_json::{Value, json};

use super::*;
use crate::cart::hooks::Hooks;

/// Loads one shipped script with `settings` as its `[hooks.settings.<stem>]` entry.
fn example(script: &str, settings: Option<Value>) -> Arc<HookRuntime> {
    let mut config = HooksConfig {
        scripts: vec![script.to_string()],
        pool_size: 1,
        fail_closed: true,
        ..HooksConfig::default()
    };
    if let Some(settings) = settings {
        let stem = script.trim_end_matches(".lua").to_string();
        config.settings.insert(stem, settings);
    }
    Arc::new(HookRuntime::load(&config, Path::new(env!("CARGO_MANIFEST_DIR"))).unwrap())
}

const TSHIRT_KEY: &str = "d3d9446802a44259755d38e6d163e820";
const CAP_KEY: &str = "c20ad4d76fe97759aa27a0c99bff6710";

/// A stored v1 line as recording 47 returns it.
fn v1_line(key: &str, product_id: i64, quantity: i64, name: &str, price: &str) -> Value {
    json!({
        "key": key, "product_id": product_id, "variation_id": 0, "variation": [], "quantity": quantity,
        "data_hash": "b5c1d5ca8bae6d4896cf1807cdf763f0",
        "line_tax_data": { "subtotal": { "1": 6 }, "total": { "1": 6 } },
        "line_subtotal": 60, "line_subtotal_tax": 6, "line_total": 60, "line_tax": 6, "data": {},
        "product_name": name, "product_title": name, "product_price": price
    })
}

/// The v1 contents map of recording 47: a T-shirt line, then a cap line.
fn v1_contents() -> Value {
    json!({
        TSHIRT_KEY: v1_line(TSHIRT_KEY, 10, 3, "Basic T-Shirt", "$20.00"),
        CAP_KEY: v1_line(CAP_KEY, 12, 1, "Baseball Cap", "$15.00"),
    })
}

/// The Lua view of a simple product (product-model §7), trimmed to what scripts read.
fn product(id: i64, name: &str, sku: &str) -> Value {
    json!({
        "id": id, "type": "simple", "parent_id": 0, "name": name, "title": name, "sku": sku,
        "price": "20", "stock_status": "instock", "is_purchasable": true,
        "min_purchase_quantity": 1, "max_purchase_quantity": -1
    })
}

fn cart_with(contents: Value) -> RequestScope {
    RequestScope {
        cart: json!({ "contents": contents, "removed_contents": {}, "applied_coupons": [] }),
        context: json!({ "cart_key": "4ae0665ce24d96a94119c12fb1c248", "user_id": 0, "route": "/cocart/v1/add-item", "api": "v1" }),
    }
}

/// Fires CoCart's v1 add-to-cart checks in their order: the message, then the verdict.
fn ok_to_add(hooks: &dyn Hooks, product_id: i64, name: &str, sku: &str) -> (Value, Value) {
    let args = [product(product_id, name, sku), json!(product_id), json!(1)];
    let message = hooks
        .apply_filters("cocart_ok_to_add_response", json!(""), &args)
        .unwrap();
    let verdict = hooks
        .apply_filters("cocart_ok_to_add", json!(true), &args)
        .unwrap();
    (verdict, message)
}

#[test]
fn require_item_refuses_other_products_until_the_required_one_is_in_the_cart() {
    let runtime = example(
        "require-item.lua",
        Some(json!({ "required_product_id": 12 })),
    );
    let refusal = json!("This item requires a specific item to be added first to the cart.");

    let empty_cart = runtime.scoped(cart_with(json!({})));
    assert_eq!(
        ok_to_add(&empty_cart, 10, "Basic T-Shirt", "PEER-TSHIRT"),
        (json!(false), refusal.clone())
    );
    assert_eq!(
        ok_to_add(&empty_cart, 12, "Baseball Cap", "PEER-CAP"),
        (json!(true), json!(""))
    );

    let with_cap = runtime.scoped(cart_with(v1_contents()));
    assert_eq!(
        ok_to_add(&with_cap, 10, "Basic T-Shirt", "PEER-TSHIRT"),
        (json!(true), json!(""))
    );

    let tshirt_only = runtime.scoped(cart_with(
        json!({ TSHIRT_KEY: v1_line(TSHIRT_KEY, 10, 3, "Basic T-Shirt", "$20.00") }),
    ));
    assert_eq!(
        ok_to_add(&tshirt_only, 13, "Coffee Mug", "PEER-MUG"),
        (json!(false), refusal)
    );
}

#[test]
fn require_item_keeps_an_earlier_refusal_and_uses_a_configured_message() {
    let runtime = example(
        "require-item.lua",
        Some(json!({ "required_product_id": 12, "message": "Add a cap first." })),
    );
    let with_cap = runtime.scoped(cart_with(v1_contents()));
    let args = [
        product(10, "Basic T-Shirt", "PEER-TSHIRT"),
        json!(10),
        json!(1),
    ];
    assert_eq!(
        with_cap
            .apply_filters("cocart_ok_to_add", json!(false), &args)
            .unwrap(),
        json!(false)
    );
    let empty_cart = runtime.scoped(cart_with(json!({})));
    assert_eq!(
        ok_to_add(&empty_cart, 10, "Basic T-Shirt", "PEER-TSHIRT").1,
        json!("Add a cap first.")
    );
}

#[test]
fn add_sku_adds_the_sku_to_the_current_line_only_and_keeps_field_order() {
    let runtime = example("add-sku.lua", None);
    let line = v1_contents()[TSHIRT_KEY].clone();
    let args = [
        json!(TSHIRT_KEY),
        line,
        product(10, "Basic T-Shirt", "PEER-TSHIRT"),
    ];
    let contents = runtime
        .apply_filters("cocart_cart_contents", v1_contents(), &args)
        .unwrap();

    let mut expected = v1_contents();
    expected[TSHIRT_KEY]["sku"] = json!("PEER-TSHIRT");
    assert_eq!(
        serde_json::to_string(&contents).unwrap(),
        serde_json::to_string(&expected).unwrap()
    );
    assert!(contents[CAP_KEY].get("sku").is_none());
}

#[test]
fn cap_quantity_limits_the_maximum_and_the_quantity_added() {
    let runtime = example("cap-quantity.lua", None);
    let tshirt = product(10, "Basic T-Shirt", "PEER-TSHIRT");
    let maximum = |max: Value| {
        runtime
            .apply_filters(
                "cocart_quantity_maximum_allowed",
                max,
                std::slice::from_ref(&tshirt),
            )
            .unwrap()
    };
    assert_eq!(maximum(json!("")), json!(10));
    assert_eq!(maximum(json!(-1)), json!(10));
    assert_eq!(maximum(json!(25)), json!(10));
    assert_eq!(maximum(json!(5)), json!(5));

    let added = |quantity: Value| {
        let args = [json!(10), json!(0), json!([]), json!({}), json!({})];
        runtime
            .apply_filters("cocart_add_to_cart_quantity", quantity, &args)
            .unwrap()
    };
    assert_eq!(added(json!(12)), json!(10));
    assert_eq!(added(json!(2)), json!(2));
    assert_eq!(added(json!(1.5)), json!(1.5));
}

#[test]
fn cap_quantity_reads_its_cap_from_settings() {
    let runtime = example("cap-quantity.lua", Some(json!({ "max_units": 3 })));
    assert_eq!(
        runtime
            .apply_filters("cocart_add_to_cart_quantity", json!(4), &[])
            .unwrap(),
        json!(3)
    );
}

/// Collects formatted log lines written while it is the default subscriber.
#[derive(Clone, Default)]
struct CapturedLog(Arc<Mutex<Vec<u8>>>);

impl Write for CapturedLog {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[test]
fn log_added_logs_each_added_item_with_the_script_name() {
    let runtime = example("log-added.lua", None);
    let log = CapturedLog::default();
    let writer = log.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    tracing::subscriber::with_default(subscriber, || {
        let line = json!({ "key": TSHIRT_KEY, "product_id": 10, "variation_id": 0, "variation": {}, "quantity": 2, "data": product(10, "Basic T-Shirt", "PEER-TSHIRT") });
        let request = json!({ "method": "POST", "route": "/cocart/v2/cart/add-item", "params": { "id": "10", "quantity": "2" } });
        runtime
            .do_action(
                "cocart_item_added_to_cart",
                &[json!(TSHIRT_KEY), line, request],
            )
            .unwrap();
        let variation_line =
            json!({ "key": "k2", "product_id": 21, "variation_id": 23, "quantity": 1 });
        runtime
            .do_action("cocart_item_added_to_cart", &[json!("k2"), variation_line])
            .unwrap();
    });
    let text = String::from_utf8(log.0.lock().unwrap().clone()).unwrap();
    assert!(
        text.contains(&format!("added product 10 x2 as line {TSHIRT_KEY} (v2)")),
        "{text}"
    );
    assert!(
        text.contains("added product 21 (variation 23) x1 as line k2 (v1)"),
        "{text}"
    );
    assert!(
        text.contains("script=\"log-added.lua\"") || text.contains("script=log-added.lua"),
        "{text}"
    );
}

#[test]
fn strip_item_keys_returns_the_lines_as_a_list_in_cart_order() {
    let runtime = example("strip-item-keys.lua", None);
    let body = runtime
        .apply_filters("cocart_return_cart_contents", v1_contents(), &[])
        .unwrap();
    let contents = v1_contents();
    assert_eq!(body, json!([contents[TSHIRT_KEY], contents[CAP_KEY]]));
    assert_eq!(
        runtime
            .apply_filters("cocart_return_cart_contents", json!({}), &[])
            .unwrap(),
        json!([])
    );
}
