//! `formatted=true` on the Plus routes: the money of a rendered v2 cart body as currency
//! text (`"$18.00"`) instead of minor units (`"1800"`).
//!
//! The v2 renderer prints money in two forms (responses-and-errors.md §2): minor-unit
//! strings (prices, totals, fees, taxes, rates, savings) and WooCommerce's raw decimals
//! (an item's `subtotal_tax`, `total` and `tax`). Both are exact, so the body is rewritten
//! after rendering rather than rendered twice; values that are not money in either form
//! (`""` for an unset price, "Free shipping coupon", a script's own text) are left as they
//! are.

use rust_decimal::Decimal;
use rust_decimal::prelude::FromStr;
use serde_json::Value;

use crate::cart::money::price_text;
use crate::catalog::model::StoreSettings;

/// How one field holds its amount.
#[derive(Clone, Copy)]
enum Form {
    /// Integer minor units, as text or the number `0`.
    MinorUnits,
    /// A plain decimal number (`3.6`).
    Decimal,
}

/// The amount `value` holds in `form`, if it holds one.
fn amount(value: &Value, form: Form, decimals: u32) -> Option<Decimal> {
    let text = match value {
        Value::String(text) => text.trim().to_owned(),
        Value::Number(number) => number.to_string(),
        _ => return None,
    };
    match form {
        Form::MinorUnits => {
            let minor = i64::from_str(&text).ok().or_else(|| {
                // `-0` (a zero saving) and similar spellings of whole numbers.
                Decimal::from_str(&text)
                    .ok()
                    .filter(|d| d.fract().is_zero())
                    .and_then(|d| i64::try_from(d).ok())
            })?;
            Some(Decimal::new(minor, decimals))
        }
        Form::Decimal => Decimal::from_str(&text)
            .or_else(|_| Decimal::from_scientific(&text))
            .ok(),
    }
}

/// Rewrites one money field in place.
fn format_field(value: &mut Value, form: Form, settings: &StoreSettings) {
    if let Some(amount) = amount(value, form, settings.price_decimals) {
        *value = Value::from(price_text(amount, settings));
    }
}

/// Rewrites the named fields of `object` (absent names are skipped).
fn format_members(object: &mut Value, names: &[&str], form: Form, settings: &StoreSettings) {
    for name in names {
        if let Some(value) = object.get_mut(*name) {
            format_field(value, form, settings);
        }
    }
}

/// The members of an object map (`fees`, `rates`, …) or the elements of a list.
fn entries(container: &mut Value) -> Vec<&mut Value> {
    match container {
        Value::Object(map) => map.values_mut().collect(),
        Value::Array(list) => list.iter_mut().collect(),
        _ => Vec::new(),
    }
}

/// An item of `items[]` or `removed_items[]`.
fn format_item(item: &mut Value, settings: &StoreSettings) {
    format_members(item, &["price"], Form::MinorUnits, settings);
    if let Some(totals) = item.get_mut("totals") {
        format_members(totals, &["subtotal"], Form::MinorUnits, settings);
        format_members(
            totals,
            &["subtotal_tax", "total", "tax"],
            Form::Decimal,
            settings,
        );
    }
}

/// Rewrites every money field of a v2 cart body (whichever fields it has).
pub fn format_cart(body: &mut Value, settings: &StoreSettings) {
    let minor = Form::MinorUnits;
    for list in ["items", "removed_items"] {
        if let Some(items) = body.get_mut(list) {
            for item in entries(items) {
                format_item(item, settings);
            }
        }
    }
    if let Some(coupons) = body.get_mut("coupons") {
        for coupon in entries(coupons) {
            format_members(coupon, &["saving"], minor, settings);
        }
    }
    if let Some(shipping) = body.get_mut("shipping")
        && let Some(packages) = shipping.get_mut("packages")
    {
        for package in entries(packages) {
            if let Some(rates) = package.get_mut("rates") {
                for rate in entries(rates) {
                    format_members(rate, &["cost", "taxes"], minor, settings);
                }
            }
        }
    }
    if let Some(fees) = body.get_mut("fees") {
        for fee in entries(fees) {
            format_members(fee, &["fee"], minor, settings);
        }
    }
    if let Some(taxes) = body.get_mut("taxes") {
        if taxes.get("label").is_some() {
            format_members(taxes, &["total"], minor, settings);
        } else {
            for tax in entries(taxes) {
                format_members(tax, &["price"], minor, settings);
            }
        }
    }
    if let Some(totals) = body.get_mut("totals") {
        for total in entries(totals) {
            format_field(total, minor, settings);
        }
    }
    if let Some(cross_sells) = body.get_mut("cross_sells") {
        for product in entries(cross_sells) {
            format_members(
                product,
                &["price", "regular_price", "sale_price"],
                minor,
                settings,
            );
        }
    }
}

/// Rewrites the discounts of a `GET cart/coupons` body.
pub fn format_applied_coupons(body: &mut Value, settings: &StoreSettings) {
    for coupon in entries(body) {
        if let Some(totals) = coupon.get_mut("totals") {
            format_members(
                totals,
                &["discount", "discount_tax"],
                Form::MinorUnits,
                settings,
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn usd() -> StoreSettings {
        StoreSettings::default()
    }

    #[test]
    fn every_money_field_of_the_cart_becomes_currency_text() {
        let settings = usd();
        let mut body = json!({
            "cart_key": "k",
            "items": [{"price": "1800", "quantity": {"value": 2}, "totals": {"subtotal": "3600", "subtotal_tax": 3.6, "total": 36, "tax": 0}}],
            "item_count": 2,
            "coupons": [{"coupon": "a", "saving": "-500", "saving_html": "-$5.00"}, {"coupon": "f", "saving": "Free shipping coupon"}],
            "shipping": {"packages": {"default": {"rates": {"flat_rate:1": {"cost": "1000", "taxes": "", "instance_id": 1}}}}},
            "fees": {"wrap": {"name": "Wrap", "fee": "250"}},
            "taxes": {"US-TAX-1": {"name": "US Tax", "price": "360"}},
            "totals": {"subtotal": "3600", "total": "123456", "fee_total": 0},
            "removed_items": [{"price": "", "totals": {"subtotal": 0}}],
            "cross_sells": [{"id": 3, "price": "999", "sale_price": ""}],
        });
        format_cart(&mut body, &settings);
        assert_eq!(
            body,
            json!({
                "cart_key": "k",
                "items": [{"price": "$18.00", "quantity": {"value": 2}, "totals": {"subtotal": "$36.00", "subtotal_tax": "$3.60", "total": "$36.00", "tax": "$0.00"}}],
                "item_count": 2,
                "coupons": [{"coupon": "a", "saving": "-$5.00", "saving_html": "-$5.00"}, {"coupon": "f", "saving": "Free shipping coupon"}],
                "shipping": {"packages": {"default": {"rates": {"flat_rate:1": {"cost": "$10.00", "taxes": "", "instance_id": 1}}}}},
                "fees": {"wrap": {"name": "Wrap", "fee": "$2.50"}},
                "taxes": {"US-TAX-1": {"name": "US Tax", "price": "$3.60"}},
                "totals": {"subtotal": "$36.00", "total": "$1,234.56", "fee_total": "$0.00"},
                "removed_items": [{"price": "", "totals": {"subtotal": "$0.00"}}],
                "cross_sells": [{"id": 3, "price": "$9.99", "sale_price": ""}],
            })
        );
    }

    #[test]
    fn a_single_tax_total_and_the_applied_coupons_view() {
        let settings = usd();
        let mut body = json!({"taxes": {"label": "Tax", "total": "420"}});
        format_cart(&mut body, &settings);
        assert_eq!(body, json!({"taxes": {"label": "Tax", "total": "$4.20"}}));
        let mut coupons =
            json!([{"coupon": "peer20", "totals": {"discount": "800", "discount_tax": "80"}}]);
        format_applied_coupons(&mut coupons, &settings);
        assert_eq!(
            coupons,
            json!([{"coupon": "peer20", "totals": {"discount": "$8.00", "discount_tax": "$0.80"}}])
        );
    }
}
