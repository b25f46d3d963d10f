//! The totals engine: WooCommerce cart totals to the cent.
//!
//! CoCart returns the numbers WooCommerce's `WC_Cart_Totals` computes, so this module
//! reproduces that pipeline (item subtotals, coupon discounts, item totals, shipping, fees,
//! grand totals) with exact decimals. It is pure: the cart domain builds a [`TotalsInput`]
//! from the cart and catalog, and renders the returned [`Totals`].

pub mod continents;
pub mod coupons;
pub mod discounts;
mod engine;
pub mod formula;
pub mod input;
pub mod limits;
pub mod matching;
pub mod money;
pub mod output;
pub mod postcode;
pub mod rates;
#[cfg(test)]
mod scenarios;
pub mod shipping;

pub use coupons::CouponError;
pub use engine::{CouponApplication, apply_coupon, calculate, validate_coupon_for_cart};
pub use input::{
    Account, Address, AppliedCoupon, CartLine, CouponUsage, Customer, Fee, TotalsInput, TotalsRules,
};
pub use limits::TotalsError;
pub use output::{CouponTotals, FeeTotals, LineTotals, PackageTotals, TaxTotal, Totals};
pub use rates::PerRate;
pub use shipping::ShippingRate;
