//! Prices a stored cart: the bridge from the cart domain to the totals engine.
//!
//! Every handler that changes or shows a cart calls [`price_cart`]: it resolves the lines
//! against the catalog snapshot, runs WooCommerce's totals pipeline
//! ([`crate::cart::totals::calculate`]), stores the line and cart totals and the chosen
//! shipping on the cart, drops applied coupons that are no longer valid (with WooCommerce's
//! notice), and hands the renderer the blocks it cannot read from the stored totals
//! ([`TotalsPresentation`]).

mod presentation;

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use crate::cart::error::CartError;
use crate::cart::model::{Cart, CartTotals, LineTotals};
use crate::cart::render::TotalsPresentation;
use crate::cart::totals::{
    self, AppliedCoupon, CouponError, CouponUsage, PerRate, Totals, TotalsError, TotalsInput,
    TotalsRules,
};
use crate::catalog::Catalog;
use crate::catalog::model::UnixTime;

pub use presentation::formatted_destination;

/// The catalog rules a cart of `catalog` is totalled under.
pub fn totals_rules(catalog: &Catalog) -> TotalsRules<'_> {
    let data = catalog.data();
    TotalsRules {
        settings: catalog.settings(),
        tax_classes: &data.tax_classes,
        tax_rates: &data.tax_rates,
        shipping_zones: &data.shipping_zones,
        shipping_classes: &data.shipping_classes,
        terms: &data.terms,
        adjust_non_base_location_prices: true,
    }
}

/// The totals engine's view of `cart`: each live line whose product still exists, with its
/// effective unit price (the line's price override, else the catalog's active price), the
/// customer's addresses, the applied coupons loaded fresh by code, the fees and the chosen
/// shipping rates.
pub fn totals_input(cart: &Cart, catalog: &Catalog, now: UnixTime) -> TotalsInput {
    let lines = cart
        .lines
        .iter()
        .filter_map(|line| {
            let view = catalog
                .product(line.product_record_id())
                .filter(|view| view.exists())?;
            let owner = view.parent().unwrap_or(view);
            Some(totals::CartLine {
                key: line.key.clone(),
                product_id: line.product_id,
                variation_id: line.variation_id,
                name: view.name().to_owned(),
                quantity: line.quantity,
                unit_price: line
                    .price_override
                    .or_else(|| view.price(now))
                    .unwrap_or_default(),
                tax_status: view.tax_status(),
                tax_class: view.tax_class().to_owned(),
                on_sale: view.is_on_sale(now),
                category_ids: owner.record().category_ids.clone(),
                needs_shipping: view.needs_shipping(),
                weight: view.weight().unwrap_or_default(),
                shipping_class_id: view.shipping_class_id(),
            })
        })
        .collect();
    let coupons = cart
        .applied_coupons
        .iter()
        .map(|code| applied_coupon(catalog, code))
        .collect();
    let fees = cart
        .fees
        .iter()
        .map(|fee| totals::Fee {
            name: fee.name.clone(),
            amount: fee.amount,
            taxable: fee.taxable,
            tax_class: fee.tax_class.clone(),
        })
        .collect();
    TotalsInput {
        lines,
        customer: engine_customer(&cart.customer),
        coupons,
        fees,
        chosen_shipping: cart.chosen_shipping_methods.clone(),
        now,
    }
}

/// A coupon code as the engine takes it: the coupon loaded fresh from the catalog (`None`
/// when no coupon has the code).
pub fn applied_coupon(catalog: &Catalog, code: &str) -> AppliedCoupon {
    AppliedCoupon {
        code: code.to_owned(),
        coupon: catalog.coupon_by_code(code).cloned(),
        usage: CouponUsage::default(),
    }
}

fn engine_customer(customer: &crate::cart::model::Customer) -> totals::Customer {
    let address = |address: &crate::cart::model::Address| totals::Address {
        country: address.country.clone(),
        state: address.state.clone(),
        postcode: address.postcode.clone(),
        city: address.city.clone(),
    };
    totals::Customer {
        billing: address(&customer.billing),
        shipping: address(&customer.shipping),
        billing_email: customer.billing.email.clone(),
        account: None,
        is_vat_exempt: false,
        has_calculated_shipping: customer.calculated_shipping,
    }
}

/// The refusal for a cart whose numbers the engine cannot total (absurd quantities, prices
/// or rates): a client error instead of a crash.
pub fn totals_error(error: &TotalsError) -> CartError {
    CartError::new(
        "cocart_cart_totals_out_of_range",
        400,
        format!("The cart totals cannot be calculated: {error}."),
    )
}

/// Calculates `cart`'s totals and stores them on it, then returns what the v2 cart body
/// shows of them. This is the validating recalculation of `GET cart`, add-item(s) and
/// `cart/update`: applied coupons that are no longer valid are removed with WooCommerce's
/// "it has now been removed from your order" error notice (they never count towards the
/// totals). The chosen shipping rate of each package is stored as WooCommerce stores it
/// after a calculation. Numbers out of the engine's range fail with
/// `cocart_cart_totals_out_of_range` and leave the cart untouched.
pub fn price_cart(
    cart: &mut Cart,
    catalog: &Catalog,
    now: UnixTime,
) -> Result<TotalsPresentation, CartError> {
    price(cart, catalog, now, true)
}

/// [`price_cart`] without the coupon check, for the routes that only recalculate
/// (update/remove/restore item, clear, `cart/calculate`, the Plus routes): coupons that
/// are no longer valid stay applied but discount nothing.
pub fn recalculate_cart(
    cart: &mut Cart,
    catalog: &Catalog,
    now: UnixTime,
) -> Result<TotalsPresentation, CartError> {
    price(cart, catalog, now, false)
}

fn price(
    cart: &mut Cart,
    catalog: &Catalog,
    now: UnixTime,
    remove_invalid_coupons: bool,
) -> Result<TotalsPresentation, CartError> {
    let rules = totals_rules(catalog);
    let input = totals_input(cart, catalog, now);
    let totals = totals::calculate(&input, &rules).map_err(|error| totals_error(&error))?;
    store_totals(cart, &totals);
    if remove_invalid_coupons {
        drop_invalid_coupons(cart, &totals.invalid_coupons);
    }
    Ok(presentation::present(cart, catalog, &input, &totals))
}

/// Removes the coupons the engine reported invalid, each with its 101 error notice.
fn drop_invalid_coupons(cart: &mut Cart, invalid: &[(String, CouponError)]) {
    for (code, _) in invalid {
        cart.applied_coupons.retain(|applied| applied != code);
        cart.notices
            .error
            .push(CouponError::invalid_removed(code).message);
    }
}

fn rate_map(taxes: &PerRate) -> BTreeMap<String, Decimal> {
    taxes
        .iter()
        .map(|(rate_id, amount)| (rate_id.to_string(), amount))
        .collect()
}

/// Writes the engine's line, fee and cart totals and the chosen shipping onto the cart.
fn store_totals(cart: &mut Cart, totals: &Totals) {
    for line in &mut cart.lines {
        line.totals = totals
            .lines
            .iter()
            .find(|computed| computed.key == line.key)
            .map(|computed| LineTotals {
                subtotal: computed.subtotal,
                subtotal_tax: computed.subtotal_tax,
                total: computed.total,
                tax: computed.tax,
                subtotal_taxes: rate_map(&computed.subtotal_taxes),
                total_taxes: rate_map(&computed.taxes),
            })
            .unwrap_or_default();
    }
    for fee in &mut cart.fees {
        let computed = totals
            .fees
            .iter()
            .find(|computed| computed.name == fee.name);
        fee.total = computed.map_or(Decimal::ZERO, |computed| computed.total);
        fee.tax = computed.map_or(Decimal::ZERO, |computed| computed.tax);
    }
    if !totals.packages.is_empty() {
        cart.chosen_shipping_methods = totals
            .packages
            .iter()
            .map(|package| package.chosen.clone().unwrap_or_default())
            .collect();
    }
    cart.totals = CartTotals {
        subtotal: totals.subtotal,
        subtotal_tax: totals.subtotal_tax,
        shipping_total: totals.shipping_total,
        shipping_tax: totals.shipping_tax,
        shipping_taxes: rate_map(&totals.shipping_taxes),
        discount_total: totals.discount_total,
        discount_tax: totals.discount_tax,
        cart_contents_total: totals.cart_contents_total,
        cart_contents_tax: totals.cart_contents_tax,
        cart_contents_taxes: rate_map(&totals.cart_contents_taxes),
        fee_total: totals.fee_total,
        fee_tax: totals.fee_tax,
        fee_taxes: rate_map(&totals.fee_taxes),
        total: totals.total,
        total_tax: totals.total_tax,
    };
}

#[cfg(test)]
pub(crate) mod tests;
