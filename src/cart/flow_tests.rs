//! Tests of the cart operations: every refusal's code, status and message (and that the
//! cart is untouched afterwards), stock counting, the add/update/remove/restore/clear
//! flows, and where hooks fire.

use rust_decimal::Decimal;
use serde_json::{Map, Value, json};

use crate::cart::error::CartError;
use crate::cart::hooks::NoHooks;
use crate::cart::model::Cart;
use crate::cart::ops::{
    AddItemRequest, AddItemsRequest, add_item, add_items, clear_cart, remove_item, restore_item,
    update_cart_quantities, update_customer, update_item_quantity, validate_cart,
};
use crate::cart::test_support::{
    NOW, RecordingHooks, dec, peer_cart, peer_catalog, peer_catalog_with, peer_data,
};
use crate::catalog::Catalog;
use crate::catalog::model::{PostStatus, StockStatus};

fn request(id: &str, quantity: &str) -> AddItemRequest {
    AddItemRequest {
        id: id.into(),
        quantity: quantity.into(),
        ..AddItemRequest::default()
    }
}

fn with_variation(id: &str, variation: Value) -> AddItemRequest {
    AddItemRequest {
        variation: variation.as_object().cloned().unwrap(),
        ..request(id, "1")
    }
}

fn add(cart: &mut Cart, catalog: &Catalog, id: &str, quantity: &str) -> Result<String, CartError> {
    add_item(cart, catalog, &NoHooks, &request(id, quantity), NOW).map(|added| added.key)
}

/// Asserts the refusal and that the cart did not change.
fn assert_refused<T: std::fmt::Debug>(
    cart: &mut Cart,
    operation: impl FnOnce(&mut Cart) -> Result<T, CartError>,
    code: &str,
    status: u16,
    message: &str,
) {
    let before = cart.clone();
    let error = operation(cart).expect_err("the operation should be refused");
    assert_eq!(
        (error.code.as_str(), error.status, error.message.as_str()),
        (code, status, message)
    );
    assert_eq!(
        *cart, before,
        "a refused operation must leave the cart unchanged"
    );
}

fn refuse_add(
    cart: &mut Cart,
    add_request: AddItemRequest,
    code: &str,
    status: u16,
    message: &str,
) {
    let catalog = peer_catalog();
    assert_refused(
        cart,
        |cart| add_item(cart, &catalog, &NoHooks, &add_request, NOW).map(drop),
        code,
        status,
        message,
    );
}

fn cart_with_tshirt() -> Cart {
    let mut cart = peer_cart();
    add(&mut cart, &peer_catalog(), "10", "2").unwrap();
    cart.notices.drain();
    cart
}

#[test]
fn adding_a_simple_product_creates_the_recorded_line_and_notice() {
    let mut cart = peer_cart();
    let key = add(&mut cart, &peer_catalog(), "10", "2").unwrap();
    assert_eq!(key, "d3d9446802a44259755d38e6d163e820");
    assert_eq!(cart.lines.len(), 1);
    assert_eq!(cart.lines[0].quantity, dec("2"));
    assert_eq!(
        cart.notices.success,
        vec!["\u{201c}Basic T-Shirt\u{201d} has been added to your cart."]
    );
}

#[test]
fn adding_the_same_product_again_merges_into_its_line() {
    let mut cart = cart_with_tshirt();
    add(&mut cart, &peer_catalog(), "10", "1.5").unwrap();
    assert_eq!(cart.lines.len(), 1);
    assert_eq!(cart.lines[0].quantity, dec("3.5"));
}

#[test]
fn a_sku_resolves_to_its_product() {
    let mut cart = peer_cart();
    let key = add(&mut cart, &peer_catalog(), "PEER-BOOK", "1").unwrap();
    assert_eq!(key, "1f0e3dad99908345f7439f8ffabdffc4");
}

#[test]
fn variable_parent_with_attributes_resolves_the_variation() {
    let mut cart = peer_cart();
    let catalog = peer_catalog();
    let added = add_item(
        &mut cart,
        &catalog,
        &NoHooks,
        &with_variation(
            "21",
            json!({"attribute_pa_color": "blue", "attribute_size": "M"}),
        ),
        NOW,
    )
    .unwrap();
    assert_eq!(added.key, "6f3c12c9ea9b5d4b817bd22bce9ad2ef");
    let line = &cart.lines[0];
    assert_eq!((line.product_id, line.variation_id), (21, 24));
    assert_eq!(
        cart.notices.success,
        vec!["\u{201c}Classic Polo\u{201d} has been added to your cart."]
    );
}

#[test]
fn a_variation_id_fills_in_its_fixed_attributes() {
    let mut cart = peer_cart();
    let key = add(&mut cart, &peer_catalog(), "22", "1").unwrap();
    assert_eq!(key, "83300a07bb0be2fd1a14c4b0a92acb45");
    assert_eq!(
        Value::Object(cart.lines[0].variation.clone()),
        json!({"attribute_pa_color": "red", "attribute_size": "S"})
    );
}

#[test]
fn id_errors_come_first() {
    let mut cart = cart_with_tshirt();
    refuse_add(
        &mut cart,
        request("", "1"),
        "cocart_product_id_required",
        404,
        "Product ID number is required!",
    );
    refuse_add(
        &mut cart,
        request("0", "1"),
        "cocart_product_id_required",
        404,
        "Product ID number is required!",
    );
    refuse_add(
        &mut cart,
        request("NO-SUCH-SKU", "1"),
        "cocart_unknown_product_id",
        404,
        "Product does not exist! Check that you have submitted a product ID or SKU ID correctly for a product that exists.",
    );
    // Recording 12.
    refuse_add(
        &mut cart,
        request("99999", "1"),
        "cocart_invalid_product",
        400,
        "This product cannot be added to the cart.",
    );
}

#[test]
fn quantity_errors_match_the_recordings() {
    let mut cart = cart_with_tshirt();
    refuse_add(
        &mut cart,
        request("13", "abc"),
        "cocart_quantity_not_numeric",
        405,
        "Quantity must be integer or a float value!",
    );
    // Recordings 39 and 40.
    for quantity in ["0", "-1", "0.5"] {
        refuse_add(
            &mut cart,
            request("13", quantity),
            "cocart_quantity_invalid_amount",
            405,
            "Quantity must be a minimum of 1.",
        );
    }
    // Recordings 09 and 11: the maximum is 1 when sold individually, else the stock.
    refuse_add(
        &mut cart,
        request("16", "2"),
        "cocart_quantity_invalid_amount",
        405,
        "Quantity must be 1 or lower.",
    );
    refuse_add(
        &mut cart,
        request("17", "6"),
        "cocart_quantity_invalid_amount",
        405,
        "Quantity must be 5 or lower.",
    );
}

#[test]
fn product_type_errors() {
    let mut cart = cart_with_tshirt();
    refuse_add(
        &mut cart,
        request("90", "1"),
        "cocart_cannot_add_product_type_to_cart",
        403,
        "You cannot add \"Affiliate Lamp\" to your cart as it is an \"external\" product.",
    );
    refuse_add(
        &mut cart,
        request("91", "1"),
        "cocart_cannot_add_product_type_to_cart",
        403,
        "You cannot use this route to add \"grouped\" products to the cart. Please use /cocart/v2/cart/add-items instead.",
    );
}

#[test]
fn variation_errors() {
    let mut cart = cart_with_tshirt();
    refuse_add(
        &mut cart,
        with_variation(
            "21",
            json!({"attribute_pa_color": "green", "attribute_size": "M"}),
        ),
        "cocart_no_variation_found",
        404,
        "No matching variation found.",
    );
    refuse_add(
        &mut cart,
        request("21", "1"),
        "cocart_no_variation_found",
        404,
        "No matching variation found.",
    );
    refuse_add(
        &mut cart,
        with_variation("22", json!({"attribute_size": "M"})),
        "cocart_invalid_variation_data",
        400,
        "Invalid value posted for Size. Allowed values: S, M, L",
    );
}

#[test]
fn missing_any_attributes_are_listed() {
    let catalog = peer_catalog_with(22, |variation| {
        variation
            .variation_attributes
            .iter_mut()
            .for_each(|stored| stored.value.clear());
    });
    let mut cart = cart_with_tshirt();
    assert_refused(
        &mut cart,
        |cart| add_item(cart, &catalog, &NoHooks, &request("22", "1"), NOW).map(drop),
        "cocart_missing_variation_data",
        400,
        "Missing variation data for variable product. Color and Size are required fields.",
    );
}

#[test]
fn validation_purchase_and_stock_errors() {
    let mut cart = cart_with_tshirt();
    refuse_add(
        &mut cart,
        request("93", "1"),
        "cocart_product_failed_validation",
        400,
        "Product did not pass validation!",
    );
    refuse_add(
        &mut cart,
        request("92", "1"),
        "cocart_cannot_be_purchased",
        400,
        "&#039;Priceless Vase&#039; is not available for purchase.",
    );
    // Recording 10.
    refuse_add(
        &mut cart,
        request("18", "1"),
        "cocart_product_out_of_stock",
        404,
        "You cannot add \"Sold Out Sneakers\" to the cart because the product is out of stock.",
    );
}

#[test]
fn sold_individually_refuses_a_second_add() {
    let mut cart = peer_cart();
    add(&mut cart, &peer_catalog(), "16", "1").unwrap();
    refuse_add(
        &mut cart,
        request("16", "1"),
        "cocart_product_sold_individually",
        403,
        "You cannot add another 'Gift Box' to your cart.",
    );
}

#[test]
fn stock_checks_count_what_is_already_in_the_cart() {
    let catalog = peer_catalog();
    let mut cart = peer_cart();
    add(&mut cart, &catalog, "17", "3").unwrap();
    refuse_add(
        &mut cart,
        request("17", "3"),
        "cocart_not_enough_stock_remaining",
        404,
        "You cannot add that amount of \"Limited Poster\" to the cart &mdash; we have (5) in stock remaining. You already have (3) in your cart.",
    );
    add(&mut cart, &catalog, "17", "2").unwrap();
    assert_eq!(cart.lines[0].quantity, dec("5"));
}

#[test]
fn not_enough_stock_is_reported_when_the_maximum_is_lifted() {
    let hooks =
        RecordingHooks::default().with_filter_result("cocart_quantity_maximum_allowed", json!(""));
    let catalog = peer_catalog();
    let mut cart = peer_cart();
    assert_refused(
        &mut cart,
        |cart| add_item(cart, &catalog, &hooks, &request("17", "6"), NOW).map(drop),
        "cocart_not_enough_in_stock",
        404,
        "You cannot add that amount of (6) for \"Limited Poster\" to the cart because there is not enough stock, only (5 remaining).",
    );
}

#[test]
fn a_variation_chosen_from_its_parent_is_checked_by_the_woocommerce_step() {
    let catalog = peer_catalog();
    let mut cart = peer_cart();
    let blue_l = || {
        with_variation(
            "21",
            json!({"attribute_pa_color": "blue", "attribute_size": "L"}),
        )
    };
    add_item(
        &mut cart,
        &catalog,
        &NoHooks,
        &AddItemRequest {
            quantity: "2".into(),
            ..blue_l()
        },
        NOW,
    )
    .unwrap();
    assert_refused(
        &mut cart,
        |cart| {
            add_item(
                cart,
                &catalog,
                &NoHooks,
                &AddItemRequest {
                    quantity: "2".into(),
                    ..blue_l()
                },
                NOW,
            )
            .map(drop)
        },
        "cocart_add_to_cart_error",
        400,
        "You cannot add that amount to the cart &mdash; we have 3 in stock and you already have 2 in your cart.",
    );
}

#[test]
fn price_override_email_and_phone_are_applied_after_the_add() {
    let mut cart = peer_cart();
    let add_request = AddItemRequest {
        email: Some("ann@example.test".into()),
        phone: Some("not a phone!".into()),
        price_override: Some(dec("12.50")),
        ..request("10", "1")
    };
    add_item(&mut cart, &peer_catalog(), &NoHooks, &add_request, NOW).unwrap();
    assert_eq!(cart.lines[0].price_override, Some(dec("12.50")));
    assert_eq!(cart.customer.billing.email, "ann@example.test");
    assert_eq!(cart.customer.billing.phone, "");
}

#[test]
fn item_data_makes_a_separate_line() {
    let mut cart = cart_with_tshirt();
    let add_request = AddItemRequest {
        item_data: json!({"engraving": "Ann"}).as_object().cloned().unwrap(),
        ..request("10", "1")
    };
    let added = add_item(&mut cart, &peer_catalog(), &NoHooks, &add_request, NOW).unwrap();
    assert_eq!(added.key, format!("{:x}", md5::compute("10_engravingAnn")));
    assert_eq!(cart.lines.len(), 2);
}

#[test]
fn add_items_adds_children_and_names_them_in_one_notice() {
    let mut cart = peer_cart();
    let items = AddItemsRequest {
        id: "91".into(),
        quantities: json!({"10": "1", "12": 2, "13": "0"})
            .as_object()
            .cloned()
            .unwrap(),
        ..AddItemsRequest::default()
    };
    let added = add_items(&mut cart, &peer_catalog(), &NoHooks, &items, NOW).unwrap();
    assert_eq!(added.len(), 2);
    assert_eq!(cart.lines.len(), 2);
    assert_eq!(
        cart.notices.success,
        vec![
            "\u{201c}Basic T-Shirt\u{201d} and \u{201c}Baseball Cap\u{201d} have been added to your cart."
        ]
    );
}

#[test]
fn add_items_errors() {
    let catalog = peer_catalog();
    let mut cart = peer_cart();
    let items = |quantities: Value| AddItemsRequest {
        id: "91".into(),
        quantities: quantities.as_object().cloned().unwrap_or_default(),
        ..AddItemsRequest::default()
    };
    let run = |cart: &mut Cart, request: AddItemsRequest| {
        add_items(cart, &catalog, &NoHooks, &request, NOW).map(drop)
    };
    assert_refused(
        &mut cart,
        |cart| run(cart, items(json!({}))),
        "cocart_grouped_product_empty",
        404,
        "Please choose a product to add to your cart.",
    );
    assert_refused(
        &mut cart,
        |cart| run(cart, items(json!({"10": "0"}))),
        "cocart_grouped_product_failed",
        404,
        "Please choose the quantity of items you wish to add to your cart.",
    );
    assert_refused(
        &mut cart,
        |cart| run(cart, items(json!({"abc": "1"}))),
        "cocart_invalid_product",
        400,
        "This product cannot be added to the cart.",
    );
    // As in CoCart, children added before a failing child stay in the cart.
    let error = run(&mut cart, items(json!({"10": "1", "18": "1"}))).unwrap_err();
    assert_eq!(error.code, "cocart_product_out_of_stock");
    assert_eq!(cart.lines.len(), 1);
}

#[test]
fn update_quantity_sets_the_line_and_reports_the_new_quantity() {
    let mut cart = cart_with_tshirt();
    let key = cart.lines[0].key.clone();
    let update =
        update_item_quantity(&mut cart, &peer_catalog(), &NoHooks, &key, "3", NOW).unwrap();
    assert_eq!(cart.lines[0].quantity, dec("3"));
    assert_eq!(
        update.status_value(),
        json!({"message": "The quantity for \"Basic T-Shirt\" has increased to \"3\".", "quantity": 3})
    );
    let same = update_item_quantity(&mut cart, &peer_catalog(), &NoHooks, &key, "3", NOW).unwrap();
    assert_eq!(
        same.status_value()["message"],
        "The quantity for \"Basic T-Shirt\" has not changed."
    );
}

#[test]
fn update_quantity_errors() {
    let catalog = &peer_catalog();
    let mut cart = cart_with_tshirt();
    add(&mut cart, catalog, "16", "1").unwrap();
    let tshirt = "d3d9446802a44259755d38e6d163e820";
    let gift_box = cart.lines[1].key.clone();
    let run = |key: &str, quantity: &str| {
        let (key, quantity) = (key.to_owned(), quantity.to_owned());
        move |cart: &mut Cart| {
            update_item_quantity(cart, catalog, &NoHooks, &key, &quantity, NOW).map(drop)
        }
    };
    assert_refused(
        &mut cart,
        run("0", "1"),
        "cocart_cart_item_key_required",
        404,
        "Missing cart item key is required!",
    );
    assert_refused(
        &mut cart,
        run("00000000000000000000000000000000", "1"),
        "cocart_item_not_in_cart",
        404,
        "Item specified does not exist in cart.",
    );
    // Recording 45: quantity 0 is below the minimum.
    assert_refused(
        &mut cart,
        run(tshirt, "0"),
        "cocart_quantity_invalid_amount",
        405,
        "Quantity must be a minimum of 1.",
    );
    assert_refused(
        &mut cart,
        run(&gift_box, "2"),
        "cocart_quantity_invalid_amount",
        405,
        "Quantity must be 1 or lower.",
    );
}

#[test]
fn update_refusals_from_hooks() {
    let catalog = peer_catalog();
    let mut cart = cart_with_tshirt();
    add(&mut cart, &catalog, "16", "1").unwrap();
    let gift_box = cart.lines[1].key.clone();
    let lifted =
        RecordingHooks::default().with_filter_result("cocart_quantity_maximum_allowed", json!(""));
    assert_refused(
        &mut cart,
        |cart| update_item_quantity(cart, &catalog, &lifted, &gift_box, "2", NOW).map(drop),
        "cocart_can_not_increase_quantity",
        405,
        "You can only have 1 \"Gift Box\" in your cart.",
    );
    let vetoed =
        RecordingHooks::default().with_filter_result("cocart_update_cart_validation", json!(false));
    assert_refused(
        &mut cart,
        |cart| {
            update_item_quantity(
                cart,
                &catalog,
                &vetoed,
                "d3d9446802a44259755d38e6d163e820",
                "4",
                NOW,
            )
            .map(drop)
        },
        "cocart_can_not_update_item",
        400,
        "Unable to update item quantity in cart.",
    );
    let erroring = RecordingHooks::default().with_filter_result(
        "cocart_update_cart_validation",
        json!({"code": "shop_limit", "message": "No more than 3.", "status": 409}),
    );
    assert_refused(
        &mut cart,
        |cart| {
            update_item_quantity(
                cart,
                &catalog,
                &erroring,
                "d3d9446802a44259755d38e6d163e820",
                "4",
                NOW,
            )
            .map(drop)
        },
        "shop_limit",
        409,
        "No more than 3.",
    );
}

#[test]
fn remove_and_restore_round_trip() {
    let catalog = peer_catalog();
    let mut cart = cart_with_tshirt();
    add(&mut cart, &catalog, "12", "1").unwrap();
    cart.notices.drain();
    let tshirt = "d3d9446802a44259755d38e6d163e820";
    let message = remove_item(&mut cart, &catalog, &NoHooks, tshirt, NOW).unwrap();
    assert_eq!(message, "\"Basic T-Shirt\" has been removed from cart.");
    assert_eq!(cart.notices.success, vec![message]);
    assert_eq!(cart.removed_lines.len(), 1);
    assert_eq!(cart.lines.len(), 1);
    restore_item(&mut cart, &catalog, &NoHooks, tshirt, NOW).unwrap();
    assert!(cart.removed_lines.is_empty());
    assert_eq!(
        cart.lines.last().map(|line| line.key.as_str()),
        Some(tshirt),
        "restored lines go last"
    );
    assert_eq!(
        cart.notices.success.last().unwrap(),
        "\"Basic T-Shirt\" has been added back to your cart."
    );
}

#[test]
fn remove_errors() {
    let catalog = &peer_catalog();
    let run = |key: &'static str| {
        move |cart: &mut Cart| remove_item(cart, catalog, &NoHooks, key, NOW).map(drop)
    };
    let mut empty = peer_cart();
    assert_refused(
        &mut empty,
        run("d3d9446802a44259755d38e6d163e820"),
        "cocart_no_items",
        404,
        "No items in cart.",
    );
    let mut cart = cart_with_tshirt();
    assert_refused(
        &mut cart,
        run("0"),
        "cocart_cart_item_key_required",
        404,
        "Missing cart item key is required!",
    );
    // Recording 44.
    assert_refused(
        &mut cart,
        run("00000000000000000000000000000000"),
        "cocart_item_not_in_cart",
        404,
        "Item does not exist in cart.",
    );
    remove_item(
        &mut cart,
        catalog,
        &NoHooks,
        "d3d9446802a44259755d38e6d163e820",
        NOW,
    )
    .unwrap();
    assert_refused(
        &mut cart,
        run("d3d9446802a44259755d38e6d163e820"),
        "cocart_item_not_in_cart",
        404,
        "\"Basic T-Shirt\" has already been removed from cart.",
    );
}

#[test]
fn restore_errors() {
    let catalog = &peer_catalog();
    let run = |key: &'static str| {
        move |cart: &mut Cart| restore_item(cart, catalog, &NoHooks, key, NOW).map(drop)
    };
    let mut cart = cart_with_tshirt();
    assert_refused(
        &mut cart,
        run("d3d9446802a44259755d38e6d163e820"),
        "cocart_item_restored_to_cart",
        405,
        "\"Basic T-Shirt\" has already been restored to the cart.",
    );
    assert_refused(
        &mut cart,
        run("00000000000000000000000000000000"),
        "cocart_item_restored_to_cart",
        404,
        "Item does not exist in cart.",
    );
    add(&mut cart, catalog, "12", "1").unwrap();
    remove_item(
        &mut cart,
        catalog,
        &NoHooks,
        "c20ad4d76fe97759aa27a0c99bff6710",
        NOW,
    )
    .unwrap();
    assert_refused(
        &mut cart,
        run("00000000000000000000000000000000"),
        "cocart_can_not_restore_item",
        403,
        "Unable to restore item to the cart.",
    );
}

#[test]
fn clear_empties_the_cart_and_keeps_removed_items_on_request() {
    let catalog = peer_catalog();
    let mut cart = cart_with_tshirt();
    add(&mut cart, &catalog, "12", "1").unwrap();
    remove_item(
        &mut cart,
        &catalog,
        &NoHooks,
        "c20ad4d76fe97759aa27a0c99bff6710",
        NOW,
    )
    .unwrap();
    cart.notices.drain();
    cart.applied_coupons.push("peer20".into());
    let mut kept = cart.clone();
    clear_cart(&mut cart, &NoHooks, false).unwrap();
    assert!(
        cart.lines.is_empty() && cart.removed_lines.is_empty() && cart.applied_coupons.is_empty()
    );
    assert_eq!(cart.notices.notice, vec!["Cart is cleared."]);
    clear_cart(&mut kept, &NoHooks, true).unwrap();
    assert_eq!(kept.removed_lines.len(), 1);
}

#[test]
fn update_cart_callback_sets_strips_and_removes() {
    let catalog = peer_catalog();
    let mut cart = cart_with_tshirt();
    add(&mut cart, &catalog, "12", "1").unwrap();
    add(&mut cart, &catalog, "16", "1").unwrap();
    cart.notices.drain();
    let quantities = json!({
        "d3d9446802a44259755d38e6d163e820": "-4",
        "c20ad4d76fe97759aa27a0c99bff6710": "0",
        "unknown": "3",
        (cart.lines[2].key.clone()): "2",
    });
    update_cart_quantities(
        &mut cart,
        &catalog,
        &NoHooks,
        quantities.as_object().unwrap(),
        NOW,
    )
    .unwrap();
    assert_eq!(cart.lines[0].quantity, dec("4"));
    assert_eq!(cart.removed_lines.len(), 1, "quantity 0 removes the line");
    assert_eq!(
        cart.notices.error,
        vec!["You can only have 1 \"Gift Box\" in your cart."]
    );
    assert!(
        cart.notices.success.is_empty(),
        "no \"Cart updated.\" while an error notice is queued"
    );
    let mut empty = peer_cart();
    assert_refused(
        &mut empty,
        |cart| update_cart_quantities(cart, &catalog, &NoHooks, &Map::new(), NOW),
        "cocart_cart_empty",
        404,
        "Cart is empty. Please add items to cart first.",
    );
}

#[test]
fn update_customer_validates_billing_and_stores_shipping() {
    let mut cart = cart_with_tshirt();
    let params = json!({
        "first_name": "Ann", "email": "ann@example.test", "phone": "call me!", "country": "usa",
        "state": "NY", "postcode": "10001", "s_country": "US", "s_state": "NY", "s_postcode": "10001",
        "billing_vat": "GB123",
    });
    update_customer(&mut cart, params.as_object().unwrap(), &NoHooks).unwrap();
    let billing = &cart.customer.billing;
    assert_eq!(
        (billing.first_name.as_str(), billing.email.as_str()),
        ("Ann", "ann@example.test")
    );
    assert_eq!(
        (
            billing.country.as_str(),
            billing.state.as_str(),
            billing.postcode.as_str()
        ),
        ("US", "NY", "10001")
    );
    assert_eq!(billing.phone, "");
    assert_eq!(cart.customer.shipping.postcode, "10001");
    assert_eq!(
        cart.customer.meta.get("billing_vat").map(String::as_str),
        Some("GB123")
    );
    assert_eq!(
        cart.notices.error,
        vec!["'usa' is not a valid country code."]
    );
    assert_eq!(cart.notices.success, vec!["Cart updated."]);
}

#[test]
fn hooks_fire_where_cocart_fires_them() {
    let hooks = RecordingHooks::listening(&[
        "cocart_add_to_cart_validation",
        "cocart_item_added_to_cart",
        "cocart_item_quantity_changed",
        "cocart_item_removed",
        "cocart_item_restored",
        "cocart_cart_cleared",
    ]);
    let catalog = peer_catalog();
    let mut cart = peer_cart();
    let tshirt = "d3d9446802a44259755d38e6d163e820";
    add_item(&mut cart, &catalog, &hooks, &request("10", "2"), NOW).unwrap();
    update_item_quantity(&mut cart, &catalog, &hooks, tshirt, "3", NOW).unwrap();
    remove_item(&mut cart, &catalog, &hooks, tshirt, NOW).unwrap();
    restore_item(&mut cart, &catalog, &hooks, tshirt, NOW).unwrap();
    clear_cart(&mut cart, &hooks, false).unwrap();
    assert_eq!(
        hooks.names(),
        [
            "cocart_add_to_cart_validation",
            "cocart_item_added_to_cart",
            "cocart_item_quantity_changed",
            "cocart_item_removed",
            "cocart_item_restored",
            "cocart_cart_cleared",
        ]
    );
    let calls = hooks.calls();
    assert_eq!(calls[1].args[0], json!(tshirt));
    assert_eq!(calls[1].args[1]["quantity"], json!(2));
    assert_eq!(
        calls[2].args[1]["quantity"],
        json!(3),
        "the line after the change"
    );
    assert_eq!(calls[3].args[0]["quantity"], json!(3), "the line as it was");
}

#[test]
fn ok_to_add_can_veto_with_its_message() {
    let hooks = RecordingHooks::default()
        .with_filter_result(
            "cocart_ok_to_add_response",
            json!("Add the starter item first."),
        )
        .with_filter_result("cocart_ok_to_add", json!(false));
    let catalog = peer_catalog();
    let mut cart = peer_cart();
    assert_refused(
        &mut cart,
        |cart| add_item(cart, &catalog, &hooks, &request("10", "1"), NOW).map(drop),
        "cocart_not_ok_to_add_item",
        403,
        "Add the starter item first.",
    );
    assert_eq!(
        hooks.names(),
        ["cocart_ok_to_add_response", "cocart_ok_to_add"]
    );
}

#[test]
fn validation_filter_false_or_error_refuses_the_add() {
    let catalog = peer_catalog();
    let mut cart = peer_cart();
    let vetoed =
        RecordingHooks::default().with_filter_result("cocart_add_to_cart_validation", json!(false));
    assert_refused(
        &mut cart,
        |cart| add_item(cart, &catalog, &vetoed, &request("10", "1"), NOW).map(drop),
        "cocart_product_failed_validation",
        400,
        "Product did not pass validation!",
    );
    let erroring = RecordingHooks::default().with_filter_result(
        "cocart_add_to_cart_validation",
        json!({"code": "members_only", "message": "Members only.", "data": {"status": 403}}),
    );
    assert_refused(
        &mut cart,
        |cart| add_item(cart, &catalog, &erroring, &request("10", "1"), NOW).map(drop),
        "members_only",
        403,
        "Members only.",
    );
}

#[test]
fn a_filtered_add_quantity_is_what_lands_in_the_cart() {
    let hooks =
        RecordingHooks::default().with_filter_result("cocart_add_to_cart_quantity", json!(4));
    let mut cart = peer_cart();
    let added = add_item(&mut cart, &peer_catalog(), &hooks, &request("10", "1"), NOW).unwrap();
    assert_eq!(added.quantity, Decimal::from(4));
    assert_eq!(cart.lines[0].quantity, Decimal::from(4));
}

#[test]
fn validation_removes_unavailable_lines_and_flags_stock_problems() {
    let catalog = peer_catalog();
    let mut cart = peer_cart();
    for (id, quantity) in [
        ("10", "1"),
        ("12", "1"),
        ("13", "1"),
        ("17", "4"),
        ("19", "1"),
    ] {
        add(&mut cart, &catalog, id, quantity).unwrap();
    }
    cart.notices.drain();
    let mut data = peer_data();
    for product in &mut data.products {
        match product.id {
            10 => product.status = PostStatus::Trash,
            12 => product.status = PostStatus::Draft,
            13 => product.stock_status = StockStatus::OutOfStock,
            17 => product.stock_quantity = Some(dec("3")),
            _ => {}
        }
    }
    let changed = Catalog::new(data);
    validate_cart(&mut cart, &changed, &NoHooks, NOW).unwrap();
    let live: Vec<u64> = cart.lines.iter().map(|line| line.product_id).collect();
    assert_eq!(live, [13, 17, 19]);
    assert_eq!(cart.removed_lines.len(), 2);
    assert_eq!(
        cart.notices.error,
        [
            "An item which is no longer available was removed from your cart.",
            "Baseball Cap has been removed from your cart because it can no longer be purchased.",
            "Sorry, \"Coffee Mug\" is not in stock. Please edit your cart and try again. We apologize for any inconvenience caused.",
            "Sorry, we do not have enough \"Limited Poster\" in stock to fulfill your order (3 available). We apologize for any inconvenience caused.",
        ]
    );
}

#[test]
fn removing_a_variation_names_its_parent_as_cocart_does() {
    let catalog = peer_catalog();
    let mut cart = peer_cart();
    let key = add(&mut cart, &catalog, "22", "1").unwrap();
    let message = remove_item(&mut cart, &catalog, &NoHooks, &key, NOW).unwrap();
    assert_eq!(message, "\"Classic Polo\" has been removed from cart.");
}

#[test]
fn updating_beyond_the_stock_is_refused_when_the_maximum_is_lifted() {
    let catalog = peer_catalog();
    let lifted =
        RecordingHooks::default().with_filter_result("cocart_quantity_maximum_allowed", json!(""));
    let mut cart = peer_cart();
    let key = add(&mut cart, &catalog, "17", "1").unwrap();
    assert_refused(
        &mut cart,
        |cart| update_item_quantity(cart, &catalog, &lifted, &key, "6", NOW).map(drop),
        "cocart_not_enough_in_stock",
        404,
        "You cannot add that amount of (6) for \"Limited Poster\" to the cart because there is not enough stock, only (5 remaining).",
    );
}

#[test]
fn absurd_quantities_neither_panic_nor_slip_through() {
    let catalog = peer_catalog();
    let mut cart = peer_cart();
    refuse_add(
        &mut cart,
        request("10", "1_000"),
        "cocart_quantity_not_numeric",
        405,
        "Quantity must be integer or a float value!",
    );
    let huge = "79228162514264337593543950335";
    add(&mut cart, &catalog, "10", huge).unwrap();
    add(&mut cart, &catalog, "10", huge).unwrap();
    assert_eq!(cart.item_count(), Decimal::MAX);
    let body = crate::cart::render::render_cart(
        &mut cart,
        &catalog,
        &NoHooks,
        &crate::cart::test_support::peer_store(),
        &Default::default(),
        crate::cart::render::RenderOptions {
            cart_key: "k",
            fields: None,
            thumb: true,
        },
        NOW,
    )
    .unwrap();
    assert_eq!(
        body["items"][0]["quantity"]["value"],
        serde_json::json!(7.922816251426434e28)
    );
}
