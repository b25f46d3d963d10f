//! What the totals engine returns: everything CoCart's cart response renders about money,
//! in currency units. Amounts are kept at WooCommerce's precision (some unrounded, as
//! WooCommerce stores them); the renderer formats them with the store decimals.

use rust_decimal::Decimal;

use super::coupons::CouponError;
use super::rates::PerRate;
use super::shipping::ShippingRate;

/// Totals of one cart line (WooCommerce's `line_*` fields).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineTotals {
    /// The cart item key.
    pub key: String,
    /// `line_subtotal`: before discounts, excluding tax.
    pub subtotal: Decimal,
    /// `line_subtotal_tax`.
    pub subtotal_tax: Decimal,
    /// `line_total`: after discounts, excluding tax.
    pub total: Decimal,
    /// `line_tax`.
    pub tax: Decimal,
    /// `line_tax_data.subtotal`: unrounded tax per rate before discounts.
    pub subtotal_taxes: PerRate,
    /// `line_tax_data.total`: unrounded tax per rate after discounts.
    pub taxes: PerRate,
}

/// The discount one applied coupon gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CouponTotals {
    /// The coupon code.
    pub code: String,
    /// Discount excluding tax, unrounded (`coupon_discount_totals`).
    pub discount: Decimal,
    /// Tax of the discount, unrounded (`coupon_discount_tax_totals`).
    pub discount_tax: Decimal,
    /// `get_coupon_discount_amount(code)`: the discount excluding tax, rounded half-down.
    pub discount_amount: Decimal,
    /// `get_coupon_discount_tax_amount(code)`: the tax, rounded half-down.
    pub discount_tax_amount: Decimal,
    /// `get_coupon_discount_amount(code, false)`: discount with tax, rounded half-down.
    pub discount_amount_with_tax: Decimal,
}

/// A fee after capping and taxation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeeTotals {
    /// The fee ID (slug of the name).
    pub id: String,
    /// The fee name.
    pub name: String,
    /// Whether the fee is taxable.
    pub taxable: bool,
    /// The fee's tax class.
    pub tax_class: String,
    /// The amount (a negative fee is capped so the order total stays ≥ 0).
    pub total: Decimal,
    /// The fee's tax (line-rounded unless taxes round at subtotal).
    pub tax: Decimal,
    /// Unrounded tax per rate.
    pub taxes: PerRate,
}

/// A shipping package with its rates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackageTotals {
    /// Package index (0 = `default`).
    pub index: usize,
    /// Keys of the cart lines in the package.
    pub line_keys: Vec<String>,
    /// The zone the destination fell in (`None` when none, not even zone 0, exists).
    pub zone_id: Option<u64>,
    /// Rates offered, in method order.
    pub rates: Vec<ShippingRate>,
    /// The chosen rate ID: the stored choice if still offered, else the first rate.
    pub chosen: Option<String>,
}

/// One row of the tax summary (`WC_Cart::get_tax_totals`), keyed by rate code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaxTotal {
    /// Rate code (`US-US TAX-1`).
    pub code: String,
    /// Tax rate ID.
    pub rate_id: u64,
    /// Label (`US Tax`).
    pub label: String,
    /// Whether the rate is compound.
    pub compound: bool,
    /// Amount, rounded to the store decimals.
    pub amount: Decimal,
}

/// The cart's totals.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Totals {
    /// Per line, in cart order.
    pub lines: Vec<LineTotals>,
    /// Per applied, valid coupon, in application order.
    pub coupons: Vec<CouponTotals>,
    /// Applied coupons skipped because they are no longer valid (code and reason).
    pub invalid_coupons: Vec<(String, CouponError)>,
    /// Fees, in processing order (amount descending).
    pub fees: Vec<FeeTotals>,
    /// Shipping packages (empty when shipping is not shown).
    pub packages: Vec<PackageTotals>,
    /// Tax summary rows; zero rows are left out.
    pub tax_totals: Vec<TaxTotal>,
    /// Whether the cart needs shipping.
    pub needs_shipping: bool,
    /// Whether shipping is calculated and shown.
    pub show_shipping: bool,
    /// Whether the cart displays prices including tax.
    pub displays_prices_with_tax: bool,
    /// Σ line subtotals excluding tax (line-rounded unless taxes round at subtotal).
    pub subtotal: Decimal,
    /// Σ line-rounded subtotal taxes.
    pub subtotal_tax: Decimal,
    /// Σ line totals after discounts, excluding tax.
    pub cart_contents_total: Decimal,
    /// Σ line-rounded item taxes.
    pub cart_contents_tax: Decimal,
    /// Item taxes per rate.
    pub cart_contents_taxes: PerRate,
    /// Coupon discounts excluding tax (unrounded).
    pub discount_total: Decimal,
    /// Tax of coupon discounts (unrounded).
    pub discount_tax: Decimal,
    /// Σ chosen shipping costs.
    pub shipping_total: Decimal,
    /// Σ shipping taxes.
    pub shipping_tax: Decimal,
    /// Shipping taxes per rate.
    pub shipping_taxes: PerRate,
    /// Σ fees.
    pub fee_total: Decimal,
    /// Σ fee taxes.
    pub fee_tax: Decimal,
    /// Fee taxes per rate (unrounded).
    pub fee_taxes: PerRate,
    /// The grand total, ≥ 0, rounded to the store decimals.
    pub total: Decimal,
    /// The total tax, rounded to the store decimals.
    pub total_tax: Decimal,
}

impl Totals {
    /// The subtotal shown to the customer: with tax when the cart displays prices with tax.
    pub fn displayed_subtotal(&self) -> Decimal {
        if self.displays_prices_with_tax {
            self.subtotal + self.subtotal_tax
        } else {
            self.subtotal
        }
    }

    /// `get_total_ex_tax`: the total less its tax, never below zero.
    pub fn total_ex_tax(&self) -> Decimal {
        (self.total - self.total_tax).max(Decimal::ZERO)
    }

    /// Legacy `tax_total`: item and fee taxes, excluding shipping tax.
    pub fn tax_total(&self) -> Decimal {
        self.cart_contents_tax + self.fee_tax
    }

    /// `WC_Cart::get_taxes`: shipping, item and fee taxes merged per rate (in that order).
    pub fn merged_taxes(&self) -> PerRate {
        let mut taxes = self.shipping_taxes.clone();
        taxes.merge(&self.cart_contents_taxes);
        taxes.merge(&self.fee_taxes);
        taxes
    }
}
