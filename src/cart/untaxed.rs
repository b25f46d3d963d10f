//! Totals for the simple carts whose numbers need no totals engine.
//!
//! The totals engine (`crate::cart::totals`) reproduces WooCommerce's full pipeline. Until a
//! handler has it wired in, and for shops that charge neither tax nor shipping, a cart
//! without coupons or fees has exact totals that are plain sums: each line is unit price ×
//! quantity with no tax. This computes them only when that is exact to the currency's
//! decimals and reports whether it could.

use crate::cart::catalog_view::CartProduct;
use crate::cart::model::{Cart, CartTotals, LineTotals};
use crate::cart::money::leading_decimal;
use crate::catalog::Catalog;
use crate::catalog::model::UnixTime;

/// Fills the line and cart totals of a cart in a shop that charges no tax and no
/// shipping. Returns `false` and leaves the cart untouched when the cart has coupons or
/// fees, a line's product is gone, or a line amount is not exact at `decimals` (then the
/// totals engine's rounding rules are needed).
pub fn apply_untaxed_totals(
    cart: &mut Cart,
    catalog: &Catalog,
    decimals: u32,
    now: UnixTime,
) -> bool {
    if !cart.applied_coupons.is_empty() || !cart.fees.is_empty() {
        return false;
    }
    let mut line_totals = Vec::with_capacity(cart.lines.len());
    for line in &cart.lines {
        let Some(product) = CartProduct::load(catalog, line.product_record_id(), now) else {
            return false;
        };
        let unit_price = line
            .price_override
            .unwrap_or_else(|| leading_decimal(&product.price));
        let Some(amount) = unit_price.checked_mul(line.quantity) else {
            return false;
        };
        if amount.round_dp(decimals) != amount {
            return false;
        }
        line_totals.push(LineTotals {
            subtotal: amount,
            total: amount,
            ..LineTotals::default()
        });
    }
    let sum = crate::cart::model::total(line_totals.iter().map(|totals| totals.total));
    for (line, totals) in cart.lines.iter_mut().zip(line_totals) {
        line.totals = totals;
    }
    cart.totals = CartTotals {
        subtotal: sum,
        cart_contents_total: sum,
        total: sum,
        ..CartTotals::default()
    };
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cart::hooks::NoHooks;
    use crate::cart::ops::{AddItemRequest, add_item};
    use crate::cart::test_support::{NOW, dec, peer_cart, peer_catalog};
    use rust_decimal::Decimal;

    fn cart_with(items: &[(&str, &str)]) -> Cart {
        let mut cart = peer_cart();
        for (id, quantity) in items {
            let request = AddItemRequest {
                id: (*id).into(),
                quantity: (*quantity).into(),
                ..AddItemRequest::default()
            };
            add_item(&mut cart, &peer_catalog(), &NoHooks, &request, NOW).unwrap();
        }
        cart
    }

    #[test]
    fn exact_lines_are_summed() {
        let mut cart = cart_with(&[("14", "2"), ("15", "1")]);
        assert!(apply_untaxed_totals(&mut cart, &peer_catalog(), 2, NOW));
        assert_eq!(cart.lines[0].totals.subtotal, dec("9.00"));
        assert_eq!(cart.lines[0].totals.tax, Decimal::ZERO);
        assert_eq!(
            (cart.totals.subtotal, cart.totals.total),
            (dec("21"), dec("21"))
        );
    }

    #[test]
    fn inexact_lines_coupons_and_fees_are_left_to_the_engine() {
        let mut fractional = cart_with(&[("13", "1.5")]);
        let before = fractional.clone();
        assert!(!apply_untaxed_totals(
            &mut fractional,
            &peer_catalog(),
            2,
            NOW
        ));
        assert_eq!(fractional, before);
        let mut with_coupon = cart_with(&[("14", "1")]);
        with_coupon.applied_coupons.push("peer5off".into());
        assert!(!apply_untaxed_totals(
            &mut with_coupon,
            &peer_catalog(),
            2,
            NOW
        ));
    }
}
