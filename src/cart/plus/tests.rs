//! Tests of the Plus operations: every refusal's code, status and message with the cart
//! left untouched, the 200-with-notice cases, and the two Plus views.

use rust_decimal::Decimal;
use serde_json::json;

use super::views::{MiniCartOptions, render_applied_coupons, render_mini_cart};
use super::*;
use crate::cart::hooks::NoHooks;
use crate::cart::pricing::price_cart;
use crate::cart::pricing::tests::{catalog_with, simple};
use crate::cart::test_support::{NOW, dec, peer_cart, peer_catalog, peer_store};
use crate::catalog::model::{Coupon, DiscountType, StoreSettings};

fn cart_with(catalog: &Catalog, items: &[(&'static str, &'static str)]) -> Cart {
    let lines: Vec<_> = items
        .iter()
        .map(|(id, quantity)| simple(id, quantity))
        .collect();
    crate::cart::pricing::tests::cart_with(catalog, &lines)
}

fn coupon(id: u64, code: &str, change: impl FnOnce(&mut Coupon)) -> Coupon {
    let mut coupon = peer_catalog().coupon_by_code("peer5off").unwrap().clone();
    coupon.id = id;
    coupon.code = code.into();
    change(&mut coupon);
    coupon
}

fn assert_error(result: Result<(), CartError>, code: &str, status: u16, message: &str) {
    let error = result.unwrap_err();
    assert_eq!(
        (error.code.as_str(), error.status, error.message.as_str()),
        (code, status, message)
    );
}

#[test]
fn apply_coupon_applies_and_queues_the_success_notice() {
    let catalog = peer_catalog();
    let mut cart = cart_with(&catalog, &[("10", "2")]);
    apply_coupon(&mut cart, &catalog, " PEER20 ", None, NOW).unwrap();
    assert_eq!(cart.applied_coupons, ["peer20"]);
    assert_eq!(cart.notices.success, ["Coupon code applied successfully."]);
    price_cart(&mut cart, &catalog, NOW).unwrap();
    assert_eq!(cart.totals.discount_total, dec("8"));
}

#[test]
fn apply_coupon_refusals_in_order() {
    let catalog = peer_catalog();
    let mut empty = peer_cart();
    assert_error(
        apply_coupon(&mut empty, &catalog, "  ", None, NOW),
        "cocart_coupon_code_required",
        404,
        "No coupon code provided!",
    );
    assert_error(
        apply_coupon(&mut empty, &catalog, "peer20", None, NOW),
        "cocart_coupon_cannot_add",
        404,
        "Coupon cannot be applied to cart with no items.",
    );
    let mut cart = cart_with(&catalog, &[("10", "1")]);
    let before = cart.clone();
    assert_error(
        apply_coupon(&mut cart, &catalog, "summer10", None, NOW),
        "cocart_coupon_not_exist",
        404,
        "Coupon \"summer10\" does not exist!",
    );
    assert_eq!(cart, before);
    let disabled = catalog_with(Vec::new(), |settings| settings.enable_coupons = false);
    assert_error(
        apply_coupon(&mut cart, &disabled, "peer20", None, NOW),
        "cocart_coupons_not_enabled",
        404,
        "Coupons are not enabled for this store!",
    );
}

#[test]
fn an_already_applied_coupon_answers_with_an_info_notice() {
    let catalog = peer_catalog();
    let mut cart = cart_with(&catalog, &[("10", "1")]);
    apply_coupon(&mut cart, &catalog, "peer20", None, NOW).unwrap();
    cart.notices.drain();
    apply_coupon(&mut cart, &catalog, "peer20", None, NOW).unwrap();
    assert_eq!(cart.applied_coupons, ["peer20"]);
    assert_eq!(
        cart.notices.info,
        ["Coupon code \"peer20\" already applied!"]
    );
}

#[test]
fn woocommerce_validation_refuses_with_its_message() {
    let big_spender = coupon(900, "big", |c| c.minimum_amount = dec("500"));
    let catalog = catalog_with(vec![big_spender], |_| {});
    let mut cart = cart_with(&catalog, &[("10", "1")]);
    let before = cart.clone();
    assert_error(
        apply_coupon(&mut cart, &catalog, "big", None, NOW),
        "cocart_coupon_failed_to_apply",
        400,
        "The minimum spend for coupon \"big\" is $500.00.",
    );
    assert_eq!(cart, before);
}

#[test]
fn individual_use_replaces_or_blocks_other_coupons() {
    let solo = coupon(901, "solo", |c| c.individual_use = true);
    let catalog = catalog_with(vec![solo], |_| {});
    let mut cart = cart_with(&catalog, &[("10", "2")]);
    apply_coupon(&mut cart, &catalog, "peer20", None, NOW).unwrap();
    apply_coupon(&mut cart, &catalog, "solo", None, NOW).unwrap();
    assert_eq!(cart.applied_coupons, ["solo"]);
    assert_error(
        apply_coupon(&mut cart, &catalog, "peer5off", None, NOW),
        "cocart_coupon_failed_to_apply",
        400,
        "Sorry, coupon \"solo\" has already been applied and cannot be used in conjunction with other coupons.",
    );
}

#[test]
fn email_restricted_coupons_take_the_given_email() {
    let staff = coupon(902, "staff", |c| {
        c.email_restrictions = vec!["*@shop.test".into()]
    });
    let catalog = catalog_with(vec![staff], |_| {});
    let mut cart = cart_with(&catalog, &[("10", "1")]);
    assert!(apply_coupon(&mut cart, &catalog, "staff", Some("ann@else.test"), NOW).is_err());
    assert_eq!(
        cart.customer.billing.email, "",
        "a refused apply stores nothing"
    );
    apply_coupon(&mut cart, &catalog, "staff", Some("ann@shop.test"), NOW).unwrap();
    assert_eq!(cart.customer.billing.email, "ann@shop.test");
    assert_eq!(cart.applied_coupons, ["staff"]);
}

#[test]
fn free_shipping_coupons_choose_free_shipping() {
    let ship_free = coupon(903, "shipfree", |c| {
        c.free_shipping = true;
        c.amount = Decimal::ZERO;
    });
    let catalog = catalog_with(vec![ship_free], |_| {});
    // 120 in T-shirts: both rates are offered and the flat rate is the stored choice.
    let mut cart = cart_with(&catalog, &[("10", "6")]);
    price_cart(&mut cart, &catalog, NOW).unwrap();
    assert_eq!(cart.chosen_shipping_methods, ["flat_rate:1"]);
    apply_coupon(&mut cart, &catalog, "shipfree", None, NOW).unwrap();
    assert_eq!(cart.chosen_shipping_methods, ["free_shipping"]);
    price_cart(&mut cart, &catalog, NOW).unwrap();
    assert_eq!(cart.chosen_shipping_methods, ["free_shipping:2"]);
    assert_eq!(cart.totals.shipping_total, Decimal::ZERO);
}

#[test]
fn removing_coupons() {
    let catalog = peer_catalog();
    let mut cart = cart_with(&catalog, &[("10", "1")]);
    apply_coupon(&mut cart, &catalog, "peer20", None, NOW).unwrap();
    apply_coupon(&mut cart, &catalog, "peer5off", None, NOW).unwrap();
    cart.notices.drain();
    assert_error(
        remove_coupon(&mut cart, &catalog, ""),
        "cocart_coupon_required",
        404,
        "No coupon code provided!",
    );
    assert_error(
        remove_coupon(&mut cart, &catalog, "other"),
        "cocart_cart_coupon_invalid_code",
        404,
        "Coupon does not exist in the cart.",
    );
    remove_coupon(&mut cart, &catalog, "PEER20").unwrap();
    assert_eq!(cart.applied_coupons, ["peer5off"]);
    assert_eq!(cart.notices.success, ["Coupon code removed successfully."]);
    remove_all_coupons(&mut cart, &catalog).unwrap();
    assert!(cart.applied_coupons.is_empty());
}

#[test]
fn validating_drops_coupons_that_no_longer_apply() {
    let big_spender = coupon(904, "big", |c| c.minimum_amount = dec("50"));
    let catalog = catalog_with(vec![big_spender], |_| {});
    let mut cart = cart_with(&catalog, &[("10", "3")]);
    apply_coupon(&mut cart, &catalog, "big", None, NOW).unwrap();
    apply_coupon(&mut cart, &catalog, "peer20", None, NOW).unwrap();
    cart.notices.drain();
    cart.lines[0].quantity = dec("1");
    validate_coupons(&mut cart, &catalog, None, NOW).unwrap();
    assert_eq!(cart.applied_coupons, ["peer20"]);
    assert_eq!(
        cart.notices.error,
        [
            "Sorry, it seems the coupon \"big\" is invalid - it has now been removed from your order."
        ]
    );
}

fn fee_request(name: &str, amount: &str) -> FeeRequest {
    FeeRequest {
        name: name.into(),
        amount: amount.into(),
        ..FeeRequest::default()
    }
}

#[test]
fn add_fee_refusals_in_order() {
    let catalog = peer_catalog();
    let mut empty = peer_cart();
    assert_error(
        add_fee(&mut empty, &catalog, &fee_request(" ", "")),
        "cocart_fee_missing_name",
        404,
        "Name of fee is missing!",
    );
    assert_error(
        add_fee(&mut empty, &catalog, &fee_request("Wrap", "")),
        "cocart_fee_missing_amount",
        404,
        "Fee amount is missing!",
    );
    assert_error(
        add_fee(&mut empty, &catalog, &fee_request("Wrap", "2")),
        "cocart_fee_cannot_add",
        404,
        "Fee cannot be applied to cart with no items.",
    );
    let mut cart = cart_with(&catalog, &[("10", "1")]);
    let error = add_fee(&mut cart, &catalog, &fee_request("Wrap", "1,234.00")).unwrap_err();
    assert_eq!(
        (error.code.as_str(), error.status),
        ("cocart_fee_invalid_amount", 400)
    );
    assert!(cart.fees.is_empty());
}

#[test]
fn fees_are_added_once_priced_and_removed() {
    let catalog = peer_catalog();
    let mut cart = cart_with(&catalog, &[("10", "1")]);
    let request = FeeRequest {
        taxable: true,
        ..fee_request("Gift Wrap", "2.50")
    };
    add_fee(&mut cart, &catalog, &request).unwrap();
    add_fee(&mut cart, &catalog, &fee_request("Discount", "-5")).unwrap();
    add_fee(&mut cart, &catalog, &request).unwrap();
    assert_eq!(cart.notices.info, ["Fee has already been added."]);
    assert_eq!(
        cart.fees
            .iter()
            .map(|fee| (fee.id.as_str(), fee.amount))
            .collect::<Vec<_>>(),
        [("gift-wrap", dec("2.50")), ("discount", dec("-5"))]
    );
    price_cart(&mut cart, &catalog, NOW).unwrap();
    // The negative fee takes its share of the item tax back: 0.25 − 0.50.
    assert_eq!(cart.totals.fee_total, dec("-2.50"));
    assert_eq!(cart.totals.fee_tax, dec("-0.25"));
    remove_all_fees(&mut cart);
    assert!(cart.fees.is_empty());
}

#[test]
fn fee_amounts_are_read_in_the_store_number_format() {
    let us = StoreSettings::default();
    let euro = StoreSettings {
        decimal_separator: ",".into(),
        thousand_separator: ".".into(),
        ..StoreSettings::default()
    };
    for (text, settings, expected) in [
        ("10", &us, "10"),
        ("-3.5", &us, "-3.5"),
        (" 1.234 ", &us, "1.234"),
        ("10,50", &euro, "10.50"),
        ("10.00", &euro, "10.00"),
        (".5", &us, "0.5"),
    ] {
        assert_eq!(
            parse_fee_amount(text, settings).unwrap(),
            dec(expected),
            "{text}"
        );
    }
    for (text, settings) in [
        ("1,234.00", &us),
        ("1,234", &us),
        ("10,5", &us),
        ("1.234", &euro),
        ("1.234,00", &euro),
        ("abc", &us),
        ("-", &us),
        ("1e5", &us),
        ("99999999999999999999", &us),
    ] {
        assert!(parse_fee_amount(text, settings).is_err(), "{text}");
    }
}

#[test]
fn remove_all_items_empties_the_cart() {
    let catalog = peer_catalog();
    let mut cart = cart_with(&catalog, &[("10", "1"), ("12", "1")]);
    cart.applied_coupons.push("peer20".into());
    remove_all_items(&mut cart, &NoHooks).unwrap();
    assert!(cart.is_empty() && cart.applied_coupons.is_empty() && cart.removed_lines.is_empty());
    assert_eq!(cart.notices.notice, ["Cart is cleared."]);
}

#[test]
fn setting_the_shipping_method() {
    let catalog = peer_catalog();
    let mut cart = cart_with(&catalog, &[("10", "6")]);
    set_shipping_method(&mut cart, &catalog, "free_shipping:2", Some("0"), NOW).unwrap();
    assert_eq!(cart.chosen_shipping_methods, ["free_shipping:2"]);
    set_shipping_method(&mut cart, &catalog, "flat_rate:1", None, NOW).unwrap();
    assert_eq!(cart.chosen_shipping_methods, ["flat_rate:1"]);
    price_cart(&mut cart, &catalog, NOW).unwrap();
    assert_eq!(cart.totals.shipping_total, dec("10"));
    let before = cart.clone();
    for (rate, package) in [
        ("", None),
        ("free_shipping:9", None),
        ("flat_rate:1", Some("1")),
        ("flat_rate:1", Some("x")),
    ] {
        assert_error(
            set_shipping_method(&mut cart, &catalog, rate, package, NOW),
            "cocart_missing_rate_id",
            404,
            "Invalid Rate ID.",
        );
    }
    assert_eq!(cart, before);
}

#[test]
fn shipping_method_refusals_for_the_store_and_the_customer() {
    let disabled = catalog_with(Vec::new(), |settings| {
        settings.ship_to_countries = "disabled".into()
    });
    let mut cart = cart_with(&disabled, &[("10", "1")]);
    assert_error(
        set_shipping_method(&mut cart, &disabled, "flat_rate:1", None, NOW),
        "cocart_shipping_disabled",
        404,
        "Shipping is disabled.",
    );
    let needs_address = catalog_with(Vec::new(), |settings| {
        settings.shipping_cost_requires_address = true
    });
    let mut cart = cart_with(&needs_address, &[("10", "1")]);
    cart.customer.shipping.state = String::new();
    assert_error(
        set_shipping_method(&mut cart, &needs_address, "flat_rate:1", None, NOW),
        "cocart_shipping_not_calculated",
        404,
        "Customer has not calculated shipping.",
    );
}

#[test]
fn applied_coupons_view_lists_discounts_in_minor_units() {
    let catalog = peer_catalog();
    let mut cart = cart_with(&catalog, &[("10", "2")]);
    let error = render_applied_coupons(&cart, &catalog, NOW).unwrap_err();
    assert_eq!(
        (error.code.as_str(), error.status, error.message.as_str()),
        (
            "cocart_cart_no_coupons_applied",
            404,
            "No coupons are applied to the cart!"
        )
    );
    apply_coupon(&mut cart, &catalog, "peer20", None, NOW).unwrap();
    assert_eq!(
        render_applied_coupons(&cart, &catalog, NOW).unwrap(),
        json!([{"coupon": "peer20", "label": "Coupon: peer20", "discount_type": "percent",
                "totals": {"discount": "800", "discount_tax": "80"}}])
    );
}

#[test]
fn mini_cart_in_minor_units_and_formatted() {
    let catalog = peer_catalog();
    let mut cart = cart_with(&catalog, &[("10", "2")]);
    let presentation = price_cart(&mut cart, &catalog, NOW).unwrap();
    let render = |formatted: bool| {
        let options = MiniCartOptions {
            cart_key: "abc",
            thumb: true,
            formatted,
        };
        render_mini_cart(
            &cart,
            &catalog,
            &NoHooks,
            &peer_store(),
            &presentation,
            options,
            NOW,
        )
        .unwrap()
    };
    let plain = render(false);
    let names: Vec<&String> = plain.as_object().unwrap().keys().collect();
    assert_eq!(
        names,
        [
            "cart_hash",
            "cart_key",
            "currency",
            "item_count",
            "items",
            "subtotal"
        ]
    );
    assert_eq!(plain["cart_hash"], cart.hash(2));
    assert_eq!(plain["item_count"], 2);
    assert_eq!(plain["subtotal"], "4000");
    assert_eq!(
        plain["items"][0],
        json!({"item_key": "d3d9446802a44259755d38e6d163e820", "id": 10, "name": "Basic T-Shirt",
               "price": "2000", "quantity": 2, "variation": [], "cart_item_data": {},
               "featured_image": "http://127.0.0.1:8081/wp-content/uploads/woocommerce-placeholder.png"})
    );
    let formatted = render(true);
    assert_eq!(formatted["subtotal"], "$40.00");
    assert_eq!(formatted["items"][0]["price"], "$20.00");
}

#[test]
fn coupon_types_show_in_the_views() {
    let fixed = coupon(905, "tenoff", |c| {
        c.discount_type = DiscountType::FixedProduct;
        c.amount = dec("1");
    });
    let catalog = catalog_with(vec![fixed], |_| {});
    let mut cart = cart_with(&catalog, &[("10", "2")]);
    apply_coupon(&mut cart, &catalog, "tenoff", None, NOW).unwrap();
    let view = render_applied_coupons(&cart, &catalog, NOW).unwrap();
    assert_eq!(view[0]["discount_type"], "fixed_product");
    assert_eq!(view[0]["totals"]["discount"], "200");
}
