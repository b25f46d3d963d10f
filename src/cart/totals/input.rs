//! What the totals engine is given: the cart as plain data (built by the cart domain from
//! the session and the catalog) and the catalog rules it is computed under.

use rust_decimal::Decimal;

use crate::catalog::model::{
    Coupon, ShippingClass, ShippingZone, StoreSettings, TaxClass, TaxRate, TaxStatus, Term,
    UnixTime,
};

/// A postal address as far as taxes and shipping care.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Address {
    /// Country code (`US`); empty when unknown.
    pub country: String,
    /// State code (`CA`).
    pub state: String,
    /// Postcode.
    pub postcode: String,
    /// City.
    pub city: String,
}

/// A logged-in customer account.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Account {
    /// User ID.
    pub id: u64,
    /// The account email.
    pub email: String,
}

/// The customer the cart belongs to.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Customer {
    /// Billing address.
    pub billing: Address,
    /// Shipping address.
    pub shipping: Address,
    /// Billing email (may be empty).
    pub billing_email: String,
    /// The logged-in account, if any.
    pub account: Option<Account>,
    /// VAT exempt customers pay no tax and get base taxes removed from gross prices.
    pub is_vat_exempt: bool,
    /// The customer has calculated shipping (used the shipping calculator or updated the
    /// shipping address); with `shipping_cost_requires_address` it shows shipping at once.
    pub has_calculated_shipping: bool,
}

/// One cart line, as the cart domain resolves it from the product.
#[derive(Debug, Clone, PartialEq)]
pub struct CartLine {
    /// The cart item key.
    pub key: String,
    /// Product ID (the parent product for a variation).
    pub product_id: u64,
    /// Variation ID, or 0.
    pub variation_id: u64,
    /// Product name (coupon messages list excluded products by name).
    pub name: String,
    /// Quantity; CoCart allows fractional quantities.
    pub quantity: Decimal,
    /// Unit price as entered in the catalog (gross when the store enters prices with tax).
    pub unit_price: Decimal,
    /// The product's tax status.
    pub tax_status: TaxStatus,
    /// The effective tax class slug (a variation's `parent` already resolved; `""` standard).
    pub tax_class: String,
    /// Whether the product is on sale.
    pub on_sale: bool,
    /// Category IDs (a variation's are its parent's).
    pub category_ids: Vec<u64>,
    /// Whether the product needs shipping (not virtual).
    pub needs_shipping: bool,
    /// Weight of one unit.
    pub weight: Decimal,
    /// Shipping class term ID, 0 for none.
    pub shipping_class_id: u64,
}

/// Coupon usage facts the usage-limit rules need, beyond the coupon's own `usage_count`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CouponUsage {
    /// Uses held by orders in progress (WooCommerce's tentative usage).
    pub held: u64,
    /// Uses by the logged-in customer.
    pub by_customer: u64,
    /// Uses held for the logged-in customer by orders in progress.
    pub held_by_customer: u64,
    /// The logged-in customer has a pending or failed order.
    pub customer_has_pending_order: bool,
}

/// An applied coupon, loaded fresh from the catalog.
#[derive(Debug, Clone, PartialEq)]
pub struct AppliedCoupon {
    /// The code as it was applied.
    pub code: String,
    /// The coupon, or `None` when the code no longer exists.
    pub coupon: Option<Coupon>,
    /// Usage facts for the limit rules.
    pub usage: CouponUsage,
}

/// A fee added for this calculation (fees never persist).
#[derive(Debug, Clone, PartialEq)]
pub struct Fee {
    /// Name shown to the customer; the fee ID is its slug.
    pub name: String,
    /// Amount, excluding tax; negative fees are discounts.
    pub amount: Decimal,
    /// Whether a positive fee is taxed.
    pub taxable: bool,
    /// Tax class slug of a taxable fee.
    pub tax_class: String,
}

/// Everything about one cart that the totals depend on.
#[derive(Debug, Clone, PartialEq)]
pub struct TotalsInput {
    /// Cart lines in cart order.
    pub lines: Vec<CartLine>,
    /// The customer.
    pub customer: Customer,
    /// Applied coupons in the order they were applied.
    pub coupons: Vec<AppliedCoupon>,
    /// Fees for this calculation.
    pub fees: Vec<Fee>,
    /// The chosen rate ID per shipping package (index = package), as stored in the session.
    pub chosen_shipping: Vec<String>,
    /// Now, for coupon expiry.
    pub now: UnixTime,
}

/// The catalog data the totals are computed under.
#[derive(Debug, Clone, Copy)]
pub struct TotalsRules<'a> {
    /// Store settings.
    pub settings: &'a StoreSettings,
    /// Tax classes (the standard class `""` included).
    pub tax_classes: &'a [TaxClass],
    /// Tax rates.
    pub tax_rates: &'a [TaxRate],
    /// Shipping zones with their methods.
    pub shipping_zones: &'a [ShippingZone],
    /// Shipping classes.
    pub shipping_classes: &'a [ShippingClass],
    /// Terms; category names appear in coupon messages.
    pub terms: &'a [Term],
    /// The `woocommerce_adjust_non_base_location_prices` filter (default true): whether
    /// gross prices are re-based for customers taxed differently from the store base.
    pub adjust_non_base_location_prices: bool,
}
