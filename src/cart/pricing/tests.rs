//! Pricing tests: the peer-store recordings priced from scratch (lines added as the
//! recording's requests added them) must give the recorded money blocks to the cent, and
//! hand-derived peer-store scenarios cover coupons, free shipping, the reduced rate and a
//! customer outside the US.

use serde_json::{Value, json};

use super::*;
use crate::cart::hooks::NoHooks;
use crate::cart::model::Fee;
use crate::cart::ops::{AddItemRequest, add_item, update_item_quantity};
use crate::cart::render::{RenderOptions, render_cart};
use crate::cart::test_support::{
    NOW, dec, peer_cart, peer_catalog, peer_data, peer_store, recording,
};
use crate::catalog::model::{Coupon, StoreSettings, TaxDisplay, TaxTotalDisplay};

/// A peer-store cart with `(id, quantity, variation)` lines added in order, notices
/// drained.
pub(crate) fn cart_with(catalog: &Catalog, lines: &[(&str, &str, Value)]) -> Cart {
    let mut cart = peer_cart();
    for (id, quantity, variation) in lines {
        let request = AddItemRequest {
            id: (*id).into(),
            quantity: (*quantity).into(),
            variation: variation.as_object().cloned().unwrap_or_default(),
            ..AddItemRequest::default()
        };
        add_item(&mut cart, catalog, &NoHooks, &request, NOW).unwrap();
    }
    cart.notices.drain();
    cart
}

/// A line without attributes.
pub(crate) fn simple(
    id: &'static str,
    quantity: &'static str,
) -> (&'static str, &'static str, Value) {
    (id, quantity, Value::Null)
}

/// The cart body after pricing, as `GET cart` renders it.
fn priced_body(cart: &mut Cart, catalog: &Catalog) -> Value {
    let presentation = price_cart(cart, catalog, NOW).unwrap();
    let options = RenderOptions {
        cart_key: "key",
        fields: None,
        thumb: true,
    };
    render_cart(
        cart,
        catalog,
        &NoHooks,
        &peer_store(),
        &presentation,
        options,
        NOW,
    )
    .unwrap()
}

/// The peer catalog with extra coupons and changed settings.
pub(crate) fn catalog_with(
    coupons: Vec<Coupon>,
    change: impl FnOnce(&mut StoreSettings),
) -> Catalog {
    let mut data = peer_data();
    data.coupons.extend(coupons);
    let mut settings = data.settings.clone().unwrap_or_default();
    change(&mut settings);
    data.settings = Some(settings);
    Catalog::new(data)
}

/// The money blocks of a body: per-item price and totals, coupons, fees, shipping, taxes,
/// totals.
fn money_blocks(body: &Value) -> Value {
    let items: Vec<Value> = body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| json!([item["item_key"], item["price"], item["totals"]]))
        .collect();
    json!({
        "items": items,
        "coupons": body["coupons"],
        "fees": body["fees"],
        "shipping": body["shipping"],
        "taxes": body["taxes"],
        "totals": body["totals"],
        "needs_payment": body["needs_payment"],
    })
}

fn assert_recorded(cart: &mut Cart, catalog: &Catalog, name: &str) {
    let body = priced_body(cart, catalog);
    assert_eq!(
        money_blocks(&body),
        money_blocks(&recording(name)),
        "recording {name}"
    );
}

fn polo_blue_m() -> (&'static str, &'static str, Value) {
    (
        "21",
        "1",
        json!({"attribute_pa_color": "blue", "attribute_size": "M"}),
    )
}

/// The lines of recordings 06–17: T-shirt ×2, polo blue M, polo red S (by variation id),
/// and the reduced-rate book.
fn recorded_lines(upto: usize) -> Vec<(&'static str, &'static str, Value)> {
    let all = vec![
        simple("10", "2"),
        polo_blue_m(),
        simple("22", "1"),
        simple("19", "1"),
    ];
    all.into_iter().take(upto).collect()
}

#[test]
fn recorded_carts_price_to_the_cent() {
    let catalog = peer_catalog();
    for (name, upto) in [("02", 1), ("06", 2), ("07", 3), ("08", 4)] {
        let mut cart = cart_with(&catalog, &recorded_lines(upto));
        assert_recorded(&mut cart, &catalog, name);
    }
    let mut cart = cart_with(&catalog, &[simple("10", "2"), simple("12", "1")]);
    assert_recorded(&mut cart, &catalog, "43");
}

#[test]
fn updated_quantities_reprice_as_recorded() {
    let catalog = peer_catalog();
    let mut cart = cart_with(&catalog, &recorded_lines(4));
    price_cart(&mut cart, &catalog, NOW).unwrap();
    let key = cart.lines[0].key.clone();
    update_item_quantity(&mut cart, &catalog, &NoHooks, &key, "3", NOW).unwrap();
    assert_recorded(&mut cart, &catalog, "17");
}

#[test]
fn a_customer_without_a_shipping_country_pays_no_tax_and_sees_no_rates() {
    // Recording 20: CoCart 4.4 emptied the shipping address; taxes follow the (empty)
    // shipping address, and no zone offers rates to it.
    let catalog = peer_catalog();
    let mut cart = cart_with(
        &catalog,
        &[
            polo_blue_m(),
            simple("22", "1"),
            simple("19", "1"),
            simple("10", "3"),
        ],
    );
    price_cart(&mut cart, &catalog, NOW).unwrap();
    cart.customer.billing.state = "NY".into();
    cart.customer.billing.postcode = "10001".into();
    cart.customer.shipping = crate::cart::model::Address::default();
    assert_recorded(&mut cart, &catalog, "20");
}

#[test]
fn line_and_cart_totals_are_stored_with_per_rate_taxes() {
    let catalog = peer_catalog();
    let mut cart = cart_with(&catalog, &[simple("10", "2"), simple("19", "1")]);
    price_cart(&mut cart, &catalog, NOW).unwrap();
    let tshirt = &cart.lines[0].totals;
    assert_eq!((tshirt.subtotal, tshirt.tax), (dec("40"), dec("4")));
    assert_eq!(tshirt.total_taxes.get("1"), Some(&dec("4")));
    assert_eq!(cart.lines[1].totals.total_taxes.get("2"), Some(&dec("0.9")));
    assert_eq!(cart.totals.shipping_taxes.get("1"), Some(&dec("1")));
    assert_eq!(cart.totals.total, dec("73.9"));
    assert_eq!(cart.chosen_shipping_methods, ["flat_rate:1"]);
}

#[test]
fn percent_coupon_discounts_before_tax() {
    // peer20: 20 % of 40 = 8 off; tax 10 % of 32 = 3.20; shipping 10 + 1 tax.
    let catalog = peer_catalog();
    let mut cart = cart_with(&catalog, &[simple("10", "2")]);
    cart.applied_coupons.push("peer20".into());
    let body = priced_body(&mut cart, &catalog);
    assert_eq!(
        body["coupons"],
        json!([{"coupon": "peer20", "label": "Coupon: peer20", "discount_type": "percent", "saving": "-800", "saving_html": "-$8.00"}])
    );
    assert_eq!(
        body["totals"],
        json!({"subtotal": "4000", "subtotal_tax": "400", "fee_total": "0", "fee_tax": "0",
               "discount_total": "800", "discount_tax": "80", "shipping_total": "1000",
               "shipping_tax": "100", "total": "4620", "total_tax": "420"})
    );
}

#[test]
fn fixed_cart_coupon_and_free_shipping_over_100() {
    // 6 T-shirts = 120 ≥ 100: free shipping is offered next to the flat rate; peer5off
    // takes 5 off before tax (115 → tax 11.50).
    let catalog = peer_catalog();
    let mut cart = cart_with(&catalog, &[simple("10", "6")]);
    cart.applied_coupons.push("peer5off".into());
    cart.chosen_shipping_methods = vec!["free_shipping:2".into()];
    let body = priced_body(&mut cart, &catalog);
    let rates = &body["shipping"]["packages"]["default"]["rates"];
    assert_eq!(rates["free_shipping:2"]["chosen_method"], json!(true));
    assert_eq!(rates["flat_rate:1"]["chosen_method"], json!(false));
    assert_eq!(
        body["shipping"]["packages"]["default"]["chosen_method"],
        "free_shipping:2"
    );
    assert_eq!(body["totals"]["discount_total"], "500");
    assert_eq!(body["totals"]["total"], "12650");
    assert_eq!(body["coupons"][0]["saving"], "-500");
}

#[test]
fn reduced_rate_alone_leaves_shipping_untaxed_by_it() {
    // The book is 5 % reduced rate; shipping inherits the item class, whose rate does not
    // apply to shipping, so shipping is untaxed.
    let catalog = peer_catalog();
    let mut cart = cart_with(&catalog, &[simple("19", "1")]);
    let body = priced_body(&mut cart, &catalog);
    assert_eq!(
        body["taxes"],
        json!({"US-US REDUCED-1": {"name": "US Reduced", "price": "90"}})
    );
    assert_eq!(body["totals"]["shipping_tax"], "0");
    assert_eq!(
        body["shipping"]["packages"]["default"]["rates"]["flat_rate:1"]["taxes"],
        ""
    );
    assert_eq!(body["totals"]["total"], "2890");
}

#[test]
fn customer_outside_the_us_pays_no_us_tax_and_gets_no_us_rates() {
    let catalog = peer_catalog();
    let mut cart = cart_with(&catalog, &[simple("10", "1")]);
    cart.customer.shipping.country = "DE".into();
    cart.customer.shipping.state = String::new();
    cart.customer.shipping.postcode = "10115".into();
    let body = priced_body(&mut cart, &catalog);
    assert_eq!(body["taxes"], json!([]));
    assert_eq!(body["totals"]["total_tax"], "0");
    assert_eq!(body["totals"]["total"], "2000");
    assert_eq!(body["shipping"]["packages"], json!([]));
    assert_eq!(body["shipping"]["total_packages"], 1);
}

#[test]
fn invalid_coupons_are_dropped_with_woocommerce_notice() {
    let catalog = peer_catalog();
    let mut cart = cart_with(&catalog, &[simple("10", "1")]);
    cart.applied_coupons = vec!["gone".into(), "peer5off".into()];
    price_cart(&mut cart, &catalog, NOW).unwrap();
    assert_eq!(cart.applied_coupons, ["peer5off"]);
    assert_eq!(
        cart.notices.error,
        [
            "Sorry, it seems the coupon \"gone\" is invalid - it has now been removed from your order."
        ]
    );
    assert_eq!(cart.totals.discount_total, dec("5"));
}

#[test]
fn recalculating_keeps_invalid_coupons_applied_but_without_discount() {
    let catalog = peer_catalog();
    let mut cart = cart_with(&catalog, &[simple("10", "1")]);
    cart.applied_coupons = vec!["gone".into()];
    let presentation = recalculate_cart(&mut cart, &catalog, NOW).unwrap();
    let listed = &presentation.coupons[0];
    assert_eq!(
        (listed.code.as_str(), listed.saving),
        ("gone", Decimal::ZERO)
    );
    assert_eq!(cart.applied_coupons, ["gone"]);
    assert!(cart.notices.is_empty());
    assert_eq!(cart.totals.discount_total, Decimal::ZERO);
}

#[test]
fn fees_are_totalled_taxed_and_listed_in_the_order_added() {
    let catalog = peer_catalog();
    let mut cart = cart_with(&catalog, &[simple("10", "1")]);
    let fee = |name: &str, amount: &str, taxable: bool| Fee {
        id: name.to_lowercase(),
        name: name.into(),
        amount: dec(amount),
        taxable,
        tax_class: String::new(),
        total: Decimal::ZERO,
        tax: Decimal::ZERO,
    };
    cart.fees = vec![fee("Gift wrap", "2", true), fee("Handling", "5", false)];
    let body = priced_body(&mut cart, &catalog);
    assert_eq!(
        body["fees"],
        json!({"gift wrap": {"name": "Gift wrap", "fee": "200"}, "handling": {"name": "Handling", "fee": "500"}})
    );
    assert_eq!(cart.fees[0].tax, dec("0.2"));
    // 20 + 2 tax + 10 + 1 tax + 2 + 0.20 tax + 5.
    assert_eq!(body["totals"]["total"], "4020");
}

#[test]
fn an_empty_cart_prices_to_zero_without_blocks() {
    let catalog = peer_catalog();
    let mut cart = peer_cart();
    let presentation = price_cart(&mut cart, &catalog, NOW).unwrap();
    assert_eq!(presentation, TotalsPresentation::default());
    assert_eq!(cart.totals, CartTotals::default());
}

#[test]
fn absurd_numbers_are_refused_cleanly() {
    let catalog = peer_catalog();
    let mut cart = cart_with(&catalog, &[simple("10", "1")]);
    cart.lines[0].price_override = Some(Decimal::MAX);
    let before = cart.clone();
    let error = price_cart(&mut cart, &catalog, NOW).unwrap_err();
    assert_eq!(
        (error.code.as_str(), error.status),
        ("cocart_cart_totals_out_of_range", 400)
    );
    assert_eq!(cart, before);
}

#[test]
fn destinations_are_formatted_like_woocommerce() {
    let address =
        |country: &str, state: &str, postcode: &str, city: &str| crate::cart::model::Address {
            country: country.into(),
            state: state.into(),
            postcode: postcode.into(),
            city: city.into(),
            ..Default::default()
        };
    assert_eq!(
        formatted_destination(&address("US", "CA", "", ""), "US"),
        "CA"
    );
    assert_eq!(
        formatted_destination(&address("US", "NY", "10001", "New York"), "US"),
        "New York, NY 10001"
    );
    assert_eq!(
        formatted_destination(&address("DE", "", "10115", "Berlin"), "US"),
        "Berlin, 10115, DE"
    );
    assert_eq!(formatted_destination(&address("", "", "", ""), "US"), "");
}

#[test]
fn untaxed_lines_sum_exactly() {
    // Stickers (no tax) ×2 and a virtual e-book (no tax): plain sums, no item tax.
    let catalog = peer_catalog();
    let mut cart = cart_with(&catalog, &[simple("14", "2"), simple("15", "1")]);
    price_cart(&mut cart, &catalog, NOW).unwrap();
    assert_eq!(cart.lines[0].totals.subtotal, dec("9.00"));
    assert_eq!(cart.lines[0].totals.tax, Decimal::ZERO);
    assert_eq!(
        (
            cart.totals.subtotal,
            cart.totals.cart_contents_total,
            cart.totals.cart_contents_tax
        ),
        (dec("21"), dec("21"), Decimal::ZERO)
    );
}

#[test]
fn fractional_quantities_are_rounded_per_line() {
    // 1.5 mugs at 9.99: the line keeps WooCommerce's unrounded 14.985, the cart subtotal
    // is line-rounded to 14.99 (half up in minor units).
    let catalog = peer_catalog();
    let mut cart = cart_with(&catalog, &[simple("13", "1.5")]);
    price_cart(&mut cart, &catalog, NOW).unwrap();
    assert_eq!(cart.lines[0].totals.subtotal, dec("14.985"));
    assert_eq!(cart.totals.subtotal, dec("14.99"));
}

#[test]
fn carts_displayed_with_tax_show_gross_prices_and_no_taxes_block() {
    let catalog = catalog_with(Vec::new(), |settings| {
        settings.tax_display_cart = TaxDisplay::Incl
    });
    let mut cart = cart_with(&catalog, &[simple("10", "2")]);
    cart.applied_coupons.push("peer20".into());
    let body = priced_body(&mut cart, &catalog);
    assert_eq!(body["items"][0]["price"], "2200");
    assert_eq!(body["taxes"], json!([]));
    // 20 % of 44 gross = 8.80.
    assert_eq!(body["coupons"][0]["saving"], "-880");
    assert_eq!(
        body["shipping"]["packages"]["default"]["rates"]["flat_rate:1"]["html"],
        "Flat rate: $11.00 (incl. tax)"
    );
}

#[test]
fn single_tax_totals_are_labelled_and_estimated_outside_the_base() {
    let catalog = catalog_with(Vec::new(), |settings| {
        settings.tax_total_display = TaxTotalDisplay::Single
    });
    let mut cart = cart_with(&catalog, &[simple("10", "2")]);
    let body = priced_body(&mut cart, &catalog);
    assert_eq!(body["taxes"], json!({"label": "Tax", "total": "500"}));
    cart.customer.shipping.state = "NY".into();
    let body = priced_body(&mut cart, &catalog);
    assert_eq!(
        body["taxes"],
        json!({"label": "Tax (estimated for US)", "total": "500"})
    );
}
