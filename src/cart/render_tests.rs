//! Rendering tests: the recorded CoCart sessions replayed through the operations, with the
//! totals the recordings show standing in for the totals engine, compared field by field
//! and in order with the recorded bodies (cart hashes aside).

use serde_json::{Value, json};

use crate::cart::hooks::{Hooks, NoHooks};
use crate::cart::model::Cart;
use crate::cart::ops::{
    AddItemRequest, add_item, clear_cart, remove_item, restore_item, update_customer,
    update_item_quantity,
};
use crate::cart::render::{
    RenderOptions, TotalsPresentation, render_cart, render_item, render_item_count,
    render_items_object, render_raw_lines, render_session, render_session_items,
    render_stored_totals, render_totals,
};
use crate::cart::test_support::{
    NOW, RecordingHooks, peer_cart, peer_catalog, peer_store, recorded_totals, recording,
    without_hash,
};
use crate::catalog::Catalog;

const FIRST_CART: &str = "4ae0665ce24d96a94119c12fb1c248";
const TSHIRT: &str = "d3d9446802a44259755d38e6d163e820";

fn options(cart_key: &str) -> RenderOptions<'_> {
    RenderOptions {
        cart_key,
        fields: None,
        thumb: true,
    }
}

/// Serialised comparison, so field order counts.
fn assert_same(actual: &Value, expected: &Value) {
    assert_eq!(actual.to_string(), expected.to_string());
}

/// Fills the totals a recording shows and renders the full cart.
fn render_like(cart: &mut Cart, recorded: &Value, cart_key: &str) -> Value {
    let presentation = recorded_totals(cart, recorded);
    render_cart(
        cart,
        &peer_catalog(),
        &NoHooks,
        &peer_store(),
        &presentation,
        options(cart_key),
        NOW,
    )
    .unwrap()
}

/// The item `key` of `cart` on the peer store, rendered without stored totals.
fn rendered_item(cart: &Cart, catalog: &Catalog, hooks: &dyn Hooks, key: &str) -> Value {
    render_item(
        cart,
        catalog,
        hooks,
        &peer_store(),
        &TotalsPresentation::default(),
        key,
        NOW,
    )
    .unwrap()
    .unwrap()
}

fn add(cart: &mut Cart, id: &str, quantity: &str, variation: Value) {
    let request = AddItemRequest {
        id: id.into(),
        quantity: quantity.into(),
        variation: variation.as_object().cloned().unwrap_or_default(),
        ..AddItemRequest::default()
    };
    add_item(cart, &peer_catalog(), &NoHooks, &request, NOW).unwrap();
}

#[test]
fn an_empty_cart_renders_like_recording_01() {
    let mut cart = peer_cart();
    let body = render_cart(
        &mut cart,
        &peer_catalog(),
        &NoHooks,
        &peer_store(),
        &TotalsPresentation::default(),
        options("ec300e26e6fa44893d3c3347cc922a"),
        NOW,
    )
    .unwrap();
    assert_same(&body, &recording("01"));
}

#[test]
fn the_first_recorded_session_replays_body_for_body() {
    let catalog = peer_catalog();
    let mut cart = peer_cart();
    let step = |cart: &mut Cart, name: &str| {
        let expected = recording(name);
        let actual = render_like(cart, &expected, FIRST_CART);
        assert_same(&without_hash(actual), &without_hash(expected));
    };

    add(&mut cart, "10", "2", Value::Null);
    step(&mut cart, "02");
    add(
        &mut cart,
        "21",
        "1",
        json!({"attribute_pa_color": "blue", "attribute_size": "M"}),
    );
    step(&mut cart, "06");
    add(&mut cart, "22", "1", Value::Null);
    step(&mut cart, "07");
    add(&mut cart, "19", "1", Value::Null);
    step(&mut cart, "08");

    let items = render_items_object(
        &cart,
        &catalog,
        &NoHooks,
        &peer_store(),
        &TotalsPresentation::default(),
        NOW,
    )
    .unwrap();
    assert_same(&items, &recording("13"));
    assert_same(
        &render_item_count(&cart, false, true, "http://127.0.0.1:8081").unwrap(),
        &recording("14"),
    );

    update_item_quantity(&mut cart, &catalog, &NoHooks, TSHIRT, "3", NOW).unwrap();
    step(&mut cart, "17");
    remove_item(&mut cart, &catalog, &NoHooks, TSHIRT, NOW).unwrap();
    step(&mut cart, "18");
    restore_item(&mut cart, &catalog, &NoHooks, TSHIRT, NOW).unwrap();
    step(&mut cart, "19");

    let customer = json!({
        "namespace_free": "", "first_name": "Ann", "email": "ann@example.test", "country": "US", "state": "NY",
        "postcode": "10001", "s_country": "US", "s_state": "NY", "s_postcode": "10001",
    });
    let mut params = customer.as_object().cloned().unwrap();
    params.remove("namespace_free");
    update_customer(&mut cart, &params, &NoHooks).unwrap();
    let mut expected = recording("20");
    // cartd stores the shipping fields sent (CoCart 4.4 writes empty strings).
    let shipping = &mut expected["customer"]["shipping_address"];
    shipping["shipping_country"] = json!("US");
    shipping["shipping_state"] = json!("NY");
    shipping["shipping_postcode"] = json!("10001");
    let actual = render_like(&mut cart, &expected, FIRST_CART);
    assert_same(&without_hash(actual), &without_hash(expected));

    let fields = recording("21");
    let presentation = recorded_totals(&mut cart, &fields);
    let filtered = render_cart(
        &mut cart,
        &catalog,
        &NoHooks,
        &peer_store(),
        &presentation,
        RenderOptions {
            fields: Some("items,totals"),
            ..options(FIRST_CART)
        },
        NOW,
    )
    .unwrap();
    assert_same(&filtered, &fields);

    clear_cart(&mut cart, &NoHooks, false).unwrap();
    let mut expected = recording("29");
    expected["customer"]["shipping_address"]["shipping_postcode"] = json!("10001");
    let actual = render_like(&mut cart, &expected, FIRST_CART);
    assert_same(&actual, &expected);
}

#[test]
fn the_second_recorded_session_replays_items_item_and_calculate() {
    let catalog = peer_catalog();
    let cart_key = "7f74ac843a76dcf7afd156a09fef6d";
    let mut cart = peer_cart();
    add(&mut cart, "10", "2", Value::Null);
    let expected = recording("35");
    assert_same(
        &without_hash(render_like(&mut cart, &expected, cart_key)),
        &without_hash(expected),
    );

    // Recording 36 added the cap with return_item=true; its notice waits for the next cart body.
    add(&mut cart, "12", "1", Value::Null);
    let calculated = recording("43");
    let presentation = recorded_totals(&mut cart, &calculated);
    let items =
        render_items_object(&cart, &catalog, &NoHooks, &peer_store(), &presentation, NOW).unwrap();
    assert_same(&items, &recording("37"));
    let item = render_item(
        &cart,
        &catalog,
        &NoHooks,
        &peer_store(),
        &presentation,
        TSHIRT,
        NOW,
    )
    .unwrap();
    assert_same(&item.unwrap(), &recording("38"));
    let body = render_cart(
        &mut cart,
        &catalog,
        &NoHooks,
        &peer_store(),
        &presentation,
        options(cart_key),
        NOW,
    )
    .unwrap();
    assert_same(&without_hash(body), &without_hash(calculated.clone()));
    assert_same(&render_totals(&cart, 2), &calculated["totals"]);
}

#[test]
fn notices_are_shown_once() {
    let mut cart = peer_cart();
    add(&mut cart, "10", "2", Value::Null);
    let render = |cart: &mut Cart| {
        render_cart(
            cart,
            &peer_catalog(),
            &NoHooks,
            &peer_store(),
            &TotalsPresentation::default(),
            options("k"),
            NOW,
        )
        .unwrap()
    };
    assert_eq!(
        render(&mut cart)["notices"]["success"][0],
        "\u{201c}Basic T-Shirt\u{201d} has been added to your cart."
    );
    assert_eq!(render(&mut cart)["notices"], json!([]));
}

#[test]
fn fields_pick_parts_in_the_order_given() {
    let mut cart = peer_cart();
    add(&mut cart, "10", "2", Value::Null);
    let recorded = recording("02");
    let presentation = recorded_totals(&mut cart, &recorded);
    let render = |cart: &mut Cart, fields: &str| {
        render_cart(
            cart,
            &peer_catalog(),
            &NoHooks,
            &peer_store(),
            &presentation,
            RenderOptions {
                fields: Some(fields),
                ..options("k")
            },
            NOW,
        )
    };
    let body = render(
        &mut cart,
        "totals:total-subtotal,item_count,customer:billing_address,bogus",
    )
    .unwrap();
    assert_eq!(
        body.to_string(),
        json!({
            "totals": {"total": "5500", "subtotal": "4000"},
            "item_count": 2,
            "customer": {"billing_address": recorded["customer"]["billing_address"]},
        })
        .to_string()
    );
    assert_eq!(
        render(&mut cart, "items, totals")
            .unwrap()
            .as_object()
            .unwrap()
            .len(),
        1,
        "no trimming"
    );
    let error = render(&mut cart, "nothing").unwrap_err();
    assert_eq!(
        (error.code.as_str(), error.status),
        ("cocart_response_returned_empty", 400)
    );
    assert_eq!(
        error.message,
        "Request returned nothing for \"http://127.0.0.1:8081/wp-json/cocart/v2/cart/\"! Please seek assistance."
    );
    let mut empty = peer_cart();
    assert_eq!(
        render(&mut empty, "cart_hash").unwrap(),
        json!({"cart_hash": ""})
    );
}

#[test]
fn thumb_false_blanks_images_and_removed_items_drop_extensions() {
    let catalog = peer_catalog();
    let mut cart = peer_cart();
    add(&mut cart, "10", "2", Value::Null);
    add(&mut cart, "12", "1", Value::Null);
    remove_item(
        &mut cart,
        &catalog,
        &NoHooks,
        "c20ad4d76fe97759aa27a0c99bff6710",
        NOW,
    )
    .unwrap();
    let body = render_cart(
        &mut cart,
        &catalog,
        &NoHooks,
        &peer_store(),
        &TotalsPresentation::default(),
        RenderOptions {
            thumb: false,
            ..options("k")
        },
        NOW,
    )
    .unwrap();
    assert_eq!(body["items"][0]["featured_image"], "");
    let removed = &body["removed_items"][0];
    assert_eq!(removed["quantity"], json!(1));
    assert!(removed.get("extensions").is_none());
}

#[test]
fn item_details_for_custom_data_prices_and_backorders() {
    let catalog = peer_catalog();
    let mut cart = peer_cart();
    let request = AddItemRequest {
        id: "94".into(),
        quantity: "3".into(),
        item_data: json!({"engraving": "Ann", "note": ""})
            .as_object()
            .cloned()
            .unwrap(),
        price_override: Some(crate::cart::test_support::dec("9.5")),
        ..AddItemRequest::default()
    };
    let key = add_item(&mut cart, &catalog, &NoHooks, &request, NOW)
        .unwrap()
        .key;
    let item = rendered_item(&cart, &catalog, &NoHooks, &key);
    assert_eq!(item["price"], "950");
    assert_eq!(item["cart_item_data"], json!({"engraving": "Ann"}));
    assert_eq!(item["backorders"], "Available on backorder");
    assert_eq!(
        item["quantity"],
        json!({"value": 3, "min_purchase": 1, "max_purchase": -1})
    );
    assert_eq!(item["meta"]["weight"], "0.0");
}

#[test]
fn counts_raw_lines_and_empty_errors() {
    let catalog = peer_catalog();
    let mut cart = peer_cart();
    let site = "http://127.0.0.1:8081";
    let error = render_item_count(&cart, false, true, site).unwrap_err();
    assert_eq!(
        (error.code.as_str(), error.status),
        ("cocart_response_returned_empty", 400)
    );
    assert_eq!(
        render_item_count(&cart, false, false, site)
            .unwrap_err()
            .code,
        "cocart_no_items_in_cart"
    );
    assert_eq!(
        render_items_object(
            &cart,
            &catalog,
            &NoHooks,
            &peer_store(),
            &TotalsPresentation::default(),
            NOW
        )
        .unwrap_err()
        .message,
        "No items in the cart."
    );
    assert_eq!(
        render_raw_lines(&cart, site).unwrap_err().code,
        "cocart_response_returned_empty"
    );
    add(&mut cart, "10", "2.5", Value::Null);
    assert_eq!(
        render_item_count(&cart, false, true, site).unwrap(),
        json!(2.5)
    );
    let raw = render_raw_lines(&cart, site).unwrap();
    let line = &raw[TSHIRT];
    let names: Vec<&str> = line
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        names,
        [
            "key",
            "product_id",
            "variation_id",
            "variation",
            "quantity",
            "data_hash",
            "line_tax_data",
            "line_subtotal",
            "line_subtotal_tax",
            "line_total",
            "line_tax",
            "data"
        ]
    );
    assert_eq!(
        line["data_hash"],
        format!("{:x}", md5::compute(r#"{"type":"simple","attributes":""}"#))
    );
}

#[test]
fn cross_sells_list_up_to_three_products_not_in_the_cart() {
    let mut cart = peer_cart();
    add(&mut cart, "95", "1", Value::Null);
    add(&mut cart, "12", "1", Value::Null);
    let body = render_cart(
        &mut cart,
        &peer_catalog(),
        &NoHooks,
        &peer_store(),
        &TotalsPresentation::default(),
        options("k"),
        NOW,
    )
    .unwrap();
    let ids: Vec<u64> = body["cross_sells"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_u64().unwrap())
        .collect();
    assert_eq!(ids, [13, 10, 14]);
    assert_eq!(
        body["cross_sells"][0].to_string(),
        json!({"id": 13, "name": "Coffee Mug", "title": "Coffee Mug", "slug": "coffee-mug", "price": "999",
               "regular_price": "999", "sale_price": "", "image": "", "average_rating": "", "on_sale": false,
               "type": "simple"})
        .to_string()
    );
}

#[test]
fn cart_filters_see_the_body() {
    let hooks = RecordingHooks::listening(&["cocart_cart", "cocart_empty_cart", "cocart_get_cart"]);
    let mut cart = peer_cart();
    let render = |cart: &mut Cart| {
        render_cart(
            cart,
            &peer_catalog(),
            &hooks,
            &peer_store(),
            &TotalsPresentation::default(),
            options("k"),
            NOW,
        )
        .unwrap()
    };
    render(&mut cart);
    add(&mut cart, "10", "1", Value::Null);
    render(&mut cart);
    assert_eq!(
        hooks.names(),
        [
            "cocart_get_cart",
            "cocart_empty_cart",
            "cocart_get_cart",
            "cocart_cart"
        ]
    );
    assert!(
        hooks.calls()[0].args.is_empty(),
        "cocart_get_cart fires without arguments in v2"
    );
}

#[test]
fn the_cart_hash_matches_woocommerce_byte_for_byte() {
    let mut cart = peer_cart();
    assert_eq!(cart.hash(2), "");
    let standard_rate = |amount: Value| {
        let amount = crate::cart::test_support::dec(&amount.to_string());
        [("1".to_owned(), amount)].into_iter().collect()
    };
    let check = |cart: &mut Cart, name: &str| {
        let recorded = recording(name);
        recorded_totals(cart, &recorded);
        for (line, item) in cart
            .lines
            .iter_mut()
            .zip(recorded["items"].as_array().unwrap())
        {
            line.totals.subtotal_taxes = standard_rate(item["totals"]["subtotal_tax"].clone());
            line.totals.total_taxes = standard_rate(item["totals"]["tax"].clone());
        }
        assert_eq!(cart.hash(2), recorded["cart_hash"], "recording {name}");
    };
    add(&mut cart, "10", "2", Value::Null);
    check(&mut cart, "02");
    add(
        &mut cart,
        "21",
        "1",
        json!({"attribute_pa_color": "blue", "attribute_size": "M"}),
    );
    check(&mut cart, "06");
    add(&mut cart, "22", "1", Value::Null);
    check(&mut cart, "07");
}

#[test]
fn wordpress_json_escapes_slashes_and_non_ascii() {
    assert_eq!(
        crate::cart::model::wordpress_json(&json!({"note": "a/b “x” 😀"})),
        r#"{"note":"a\/b \u201cx\u201d \ud83d\ude00"}"#
    );
}

#[test]
fn the_thumbnail_size_and_src_filters_pick_the_image() {
    let catalog = peer_catalog();
    let mut cart = peer_cart();
    add(&mut cart, "95", "1", Value::Null);
    let key = cart.lines[0].key.clone();
    let image = |hooks: &dyn crate::cart::hooks::Hooks| {
        rendered_item(&cart, &catalog, hooks, &key)["featured_image"].clone()
    };
    assert_eq!(
        image(&NoHooks),
        "http://127.0.0.1:8081/wp-content/uploads/kit-300x300.jpg"
    );
    let smaller = RecordingHooks::default()
        .with_filter_result("cocart_item_thumbnail_size", json!("thumbnail"));
    assert_eq!(image(&smaller), "https://cdn.example/kit-150x150.jpg");
    let unknown_size =
        RecordingHooks::default().with_filter_result("cocart_item_thumbnail_size", json!("huge"));
    assert_eq!(
        image(&unknown_size),
        "http://127.0.0.1:8081/wp-content/uploads/woocommerce-placeholder.png"
    );
}

#[test]
fn stored_totals_print_like_recording_49() {
    let mut cart = peer_cart();
    let dec = crate::cart::test_support::dec;
    let rate = |amount: &str| [("1".to_owned(), dec(amount))].into_iter().collect();
    let store = peer_store();
    let empty = render_stored_totals(&cart, store.settings, false).unwrap_err();
    assert_eq!(
        (empty.code.as_str(), empty.status, empty.message.as_str()),
        (
            "cocart_cart_totals_empty",
            404,
            "This cart either has no items or was not calculated."
        )
    );
    cart.totals = crate::cart::model::CartTotals {
        subtotal: dec("75"),
        subtotal_tax: dec("7.5"),
        shipping_total: dec("10"),
        shipping_tax: dec("1"),
        shipping_taxes: rate("1"),
        cart_contents_total: dec("75"),
        cart_contents_tax: dec("7.5"),
        cart_contents_taxes: rate("7.5"),
        total: dec("93.5"),
        total_tax: dec("8.5"),
        ..Default::default()
    };
    assert_same(
        &render_stored_totals(&cart, store.settings, false).unwrap(),
        &recording("49"),
    );
    let html = render_stored_totals(&cart, store.settings, true).unwrap();
    assert_eq!(html["total"], "$93.50");
    assert_eq!(html["subtotal_tax"], "$7.50");
    assert_eq!(html["fee_taxes"], json!([]));
    assert_eq!(html["shipping_taxes"], json!({"1": 1}));
}

#[test]
fn the_item_pipeline_fires_in_cocart_order_and_filters_change_the_item() {
    let pipeline = [
        "cocart_cart_item_name",
        "cocart_cart_item_title",
        "cocart_cart_item_price",
        "cocart_cart_item_quantity",
        "cocart_quantity_minimum_requirement",
        "cocart_quantity_maximum_allowed",
        "cocart_cart_item_subtotal",
        "cocart_cart_item_subtotal_tax",
        "cocart_cart_item_total",
        "cocart_cart_item_tax",
        "cocart_item_thumbnail_size",
        "cocart_item_thumbnail_src",
        "cocart_cart_item_extensions",
        "cocart_cart_item_data",
    ];
    let hooks = RecordingHooks::listening(&pipeline)
        .with_filter_result("cocart_cart_item_name", json!("Renamed"))
        .with_filter_result(
            "cocart_cart_item_extensions",
            json!({"loyalty": {"points": 20}}),
        );
    let catalog = peer_catalog();
    let mut cart = peer_cart();
    let request = AddItemRequest {
        id: "10".into(),
        quantity: "1".into(),
        item_data: json!({"engraving": "Ann"}).as_object().cloned().unwrap(),
        ..AddItemRequest::default()
    };
    let key = add_item(&mut cart, &catalog, &NoHooks, &request, NOW)
        .unwrap()
        .key;
    let item = rendered_item(&cart, &catalog, &hooks, &key);
    assert_eq!(hooks.names(), pipeline);
    assert_eq!(item["name"], "Renamed");
    assert_eq!(item["extensions"], json!({"loyalty": {"points": 20}}));
    assert_eq!(item["cart_item_data"], json!({"engraving": "Ann"}));
}

#[test]
fn the_added_notice_goes_through_its_filter() {
    let hooks = RecordingHooks::default()
        .with_filter_result("cocart_add_to_cart_message_html", json!("Nice pick!"));
    let mut cart = peer_cart();
    let request = AddItemRequest {
        id: "22".into(),
        quantity: "1".into(),
        ..AddItemRequest::default()
    };
    add_item(&mut cart, &peer_catalog(), &hooks, &request, NOW).unwrap();
    assert_eq!(cart.notices.success, ["Nice pick!"]);
    assert_eq!(hooks.calls()[0].args, [json!({"21": 1}), json!(false)]);
}

#[test]
fn the_admin_session_view_matches_recordings_24_and_25() {
    let catalog = peer_catalog();
    let mut cart = peer_cart();
    add(&mut cart, "10", "2", Value::Null);
    add(
        &mut cart,
        "21",
        "1",
        json!({"attribute_pa_color": "blue", "attribute_size": "M"}),
    );
    add(&mut cart, "22", "1", Value::Null);
    add(&mut cart, "19", "1", Value::Null);
    update_item_quantity(&mut cart, &catalog, &NoHooks, TSHIRT, "3", NOW).unwrap();
    remove_item(&mut cart, &catalog, &NoHooks, TSHIRT, NOW).unwrap();
    restore_item(&mut cart, &catalog, &NoHooks, TSHIRT, NOW).unwrap();
    cart.customer.billing.email = "admin@example.test".into();

    let expected = recording("24");
    let minor = crate::cart::test_support::from_minor;
    for line in &mut cart.lines {
        let totals = &expected["items"][line.key.as_str()]["totals"];
        line.totals.subtotal = minor(&totals["subtotal"]);
        line.totals.subtotal_tax = minor(&totals["subtotal_tax"]);
        line.totals.total = minor(&totals["total"]);
        line.totals.tax = minor(&totals["tax"]);
    }
    recorded_totals(&mut cart, &json!({"totals": expected["totals"]}));
    let store = peer_store();
    let presentation = TotalsPresentation::default();
    let session = render_session(&cart, &catalog, &store, &presentation, FIRST_CART, NOW).unwrap();
    assert_same(&session, &expected);
    let items = render_session_items(&cart, &catalog, &store, NOW).unwrap();
    assert_same(&items, &recording("25"));
}
