//! The totals engine: WooCommerce cart totals to the cent.
//!
//! CoCart returns the numbers WooCommerce's `WC_Cart_Totals` computes, so this module
//! reproduces that pipeline (item subtotals, coupon discounts, item totals, shipping, fees,
//! grand totals) with exact decimals. It is pure: the cart domain builds a [`TotalsInput`]
//! from the cart and catalog, and renders the returned [`Totals`].

pub mod coupons;
pub mod discounts;
pub mod formula;
pub mod input;
pub mod matching;
pub mod money;
pub mod postcode;
pub mod rates;
