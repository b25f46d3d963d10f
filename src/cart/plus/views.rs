//! The CoCart Plus bodies that are not the full cart: the applied coupons with their
//! discounts (`GET cart/coupons`) and the mini cart (`GET cart/mini`), money as minor units
//! or, with `formatted=true`, as currency text (`"$18.00"`).

use rust_decimal::Decimal;
use serde_json::{Map, Value, json};

use crate::cart::error::CartError;
use crate::cart::hooks::Hooks;
use crate::cart::model::Cart;
use crate::cart::money::{decimal_number, minor_units, price_text};
use crate::cart::pricing::{totals_error, totals_input, totals_rules};
use crate::cart::render::{StoreDisplay, TotalsPresentation, render_currency, render_item};
use crate::cart::totals;
use crate::catalog::Catalog;
use crate::catalog::model::{StoreSettings, UnixTime};

/// A money amount as Plus prints it: minor units, or currency text when `formatted`.
pub fn plus_money(amount: Decimal, settings: &StoreSettings, formatted: bool) -> Value {
    if formatted {
        Value::from(price_text(amount, settings))
    } else {
        Value::from(minor_units(amount, settings.price_decimals))
    }
}

/// `GET cart/coupons`: `[{coupon, label, discount_type, totals: {discount, discount_tax}}]`
/// for each applied coupon in application order, the discount excluding tax and its tax
/// in minor units. Refusals: coupons disabled (`cocart_coupons_not_enabled`), nothing
/// applied (`404 cocart_cart_no_coupons_applied`).
pub fn render_applied_coupons(
    cart: &Cart,
    catalog: &Catalog,
    now: UnixTime,
) -> Result<Value, CartError> {
    super::require_coupons_enabled(catalog)?;
    if cart.applied_coupons.is_empty() {
        return Err(CartError::new(
            "cocart_cart_no_coupons_applied",
            404,
            "No coupons are applied to the cart!",
        ));
    }
    let computed = totals::calculate(&totals_input(cart, catalog, now), &totals_rules(catalog))
        .map_err(|error| totals_error(&error))?;
    let settings = catalog.settings();
    let coupons = cart
        .applied_coupons
        .iter()
        .map(|code| {
            let discount = computed.coupons.iter().find(|c| &c.code == code);
            let (amount, tax) = discount.map_or((Decimal::ZERO, Decimal::ZERO), |d| {
                (d.discount_amount, d.discount_tax_amount)
            });
            json!({
                "coupon": code,
                "label": format!("Coupon: {code}"),
                "discount_type": catalog
                    .coupon_by_code(code)
                    .map_or("", |coupon| coupon.discount_type.as_str()),
                "totals": {
                    "discount": plus_money(amount, settings, false),
                    "discount_tax": plus_money(tax, settings, false),
                },
            })
        })
        .collect();
    Ok(Value::Array(coupons))
}

/// What the mini cart is rendered with.
#[derive(Debug, Clone, Copy)]
pub struct MiniCartOptions<'a> {
    /// The active cart key.
    pub cart_key: &'a str,
    /// `thumb`: include item images (default true).
    pub thumb: bool,
    /// `formatted`: money as currency text.
    pub formatted: bool,
}

/// `GET cart/mini`: `{cart_hash, cart_key, currency, item_count, items, subtotal}`, each
/// item `{item_key, id, name, price, quantity, variation, cart_item_data,
/// featured_image}` as the full cart shows it (same filters), `subtotal` the displayed
/// subtotal (with tax when the cart displays prices with tax). Call after
/// [`crate::cart::pricing::price_cart`], with its presentation.
pub fn render_mini_cart(
    cart: &Cart,
    catalog: &Catalog,
    hooks: &dyn Hooks,
    store: &StoreDisplay<'_>,
    presentation: &TotalsPresentation,
    options: MiniCartOptions<'_>,
    now: UnixTime,
) -> Result<Value, CartError> {
    let settings = store.settings;
    let mut items = Vec::with_capacity(cart.lines.len());
    for line in &cart.lines {
        let Some(item) = render_item(cart, catalog, hooks, store, presentation, &line.key, now)?
        else {
            continue;
        };
        let price = if options.formatted {
            let unit = presentation
                .item_prices
                .get(&line.key)
                .copied()
                .or(line.price_override)
                .or_else(|| {
                    catalog
                        .product(line.product_record_id())
                        .and_then(|view| view.price(now))
                })
                .unwrap_or_default();
            plus_money(unit, settings, true)
        } else {
            item["price"].clone()
        };
        let cart_item_data = match &item["cart_item_data"] {
            Value::Array(list) if list.is_empty() => Value::Object(Map::new()),
            other => other.clone(),
        };
        items.push(json!({
            "item_key": line.key,
            "id": item["id"],
            "name": item["name"],
            "price": price,
            "quantity": item["quantity"]["value"],
            "variation": item["meta"]["variation"],
            "cart_item_data": cart_item_data,
            "featured_image": if options.thumb { item["featured_image"].clone() } else { Value::from("") },
        }));
    }
    let subtotal = if cart.is_empty() {
        Decimal::ZERO
    } else if settings.tax_display_cart == crate::catalog::model::TaxDisplay::Incl {
        cart.totals.subtotal + cart.totals.subtotal_tax
    } else {
        cart.totals.subtotal
    };
    Ok(json!({
        "cart_hash": cart.hash(settings.price_decimals),
        "cart_key": options.cart_key,
        "currency": render_currency(settings),
        "item_count": decimal_number(cart.item_count()),
        "items": items,
        "subtotal": plus_money(subtotal, settings, options.formatted),
    }))
}
