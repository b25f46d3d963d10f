//! The ranges the totals engine accepts, so that no input can overflow the decimal
//! arithmetic (rust_decimal panics on overflow) or divide by zero. Real shops stay far
//! inside them; anything outside is refused before any arithmetic runs.

use rust_decimal::Decimal;
use rust_decimal_macros::dec;

use crate::catalog::model::ShippingMethodSettings;

use super::input::{TotalsInput, TotalsRules};

/// The largest money amount accepted anywhere (a line, a fee, a coupon, a shipping cost).
pub const MAX_AMOUNT: Decimal = dec!(1_000_000_000_000_000);
/// The largest quantity accepted on a line.
pub const MAX_QUANTITY: Decimal = dec!(1_000_000_000);
/// The largest tax rate accepted, in percent.
pub const MAX_RATE_PERCENT: Decimal = dec!(10_000);
/// The most price decimals accepted.
pub const MAX_PRICE_DECIMALS: u32 = 8;

/// Why a cart cannot be totalled.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TotalsError {
    /// The store's price decimals are more than [`MAX_PRICE_DECIMALS`].
    #[error("{0} price decimals are more than the supported {MAX_PRICE_DECIMALS}")]
    TooManyDecimals(u32),
    /// A value is outside the range the engine accepts.
    #[error("{what} {value} is outside the supported range")]
    OutOfRange {
        /// What the value is.
        what: &'static str,
        /// The value.
        value: Decimal,
    },
}

fn within(
    what: &'static str,
    value: Decimal,
    low: Decimal,
    high: Decimal,
) -> Result<(), TotalsError> {
    if low <= value && value <= high {
        Ok(())
    } else {
        Err(TotalsError::OutOfRange { what, value })
    }
}

fn amount(what: &'static str, value: Decimal) -> Result<(), TotalsError> {
    within(what, value, -MAX_AMOUNT, MAX_AMOUNT)
}

/// Checks every number the calculation will use.
pub fn check_ranges(input: &TotalsInput, rules: &TotalsRules<'_>) -> Result<(), TotalsError> {
    let decimals = rules.settings.price_decimals;
    if decimals > MAX_PRICE_DECIMALS {
        return Err(TotalsError::TooManyDecimals(decimals));
    }
    for line in &input.lines {
        within("quantity", line.quantity, -MAX_QUANTITY, MAX_QUANTITY)?;
        amount("unit price", line.unit_price)?;
        let line_price =
            line.unit_price
                .checked_mul(line.quantity)
                .ok_or(TotalsError::OutOfRange {
                    what: "line price",
                    value: line.unit_price,
                })?;
        amount("line price", line_price)?;
        within("weight", line.weight, -MAX_AMOUNT, MAX_AMOUNT)?;
    }
    for fee in &input.fees {
        amount("fee", fee.amount)?;
    }
    for coupon in input
        .coupons
        .iter()
        .filter_map(|applied| applied.coupon.as_ref())
    {
        amount("coupon amount", coupon.amount)?;
        if let Some(cap) = coupon.maximum_discount {
            amount("maximum discount", cap)?;
        }
    }
    for rate in rules.tax_rates {
        within("tax rate", rate.rate, Decimal::ZERO, MAX_RATE_PERCENT)?;
    }
    for method in rules.shipping_zones.iter().flat_map(|zone| &zone.methods) {
        if let ShippingMethodSettings::LocalPickup(pickup) = &method.settings
            && let Some(cost) = pickup.cost
        {
            amount("pickup cost", cost)?;
        }
    }
    Ok(())
}
