//! WooCommerce's number model, so every other totals module rounds exactly where and how
//! WooCommerce rounds.
//!
//! WooCommerce moves money into "minor units with extra precision" (`wc_add_number_precision`)
//! before doing cart arithmetic, rounds tax lines half-down on stores whose prices include tax,
//! rounds discounts half-down, and everything else half-up (away from zero). These helpers are
//! the only place those rules live.

use rust_decimal::{Decimal, RoundingStrategy};

/// WooCommerce's `WC_ROUNDING_PRECISION`: the smallest rounding precision it ever uses.
const MIN_ROUNDING_PRECISION: u32 = 6;

/// The store's currency precision and the rounding modes derived from its settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MoneyRules {
    /// `woocommerce_price_num_decimals`: decimals of the minor unit (2 = cents).
    pub decimals: u32,
    /// `woocommerce_prices_include_tax`: selects half-down rounding for tax totals.
    pub prices_include_tax: bool,
    /// `woocommerce_tax_round_at_subtotal`: when true, lines are not rounded.
    pub round_at_subtotal: bool,
}

impl MoneyRules {
    /// `rp`: the rounding precision WooCommerce uses for tax amounts, max(dp + 2, 6).
    pub fn rounding_precision(&self) -> u32 {
        self.decimals.saturating_add(2).max(MIN_ROUNDING_PRECISION)
    }

    /// 10^dp as a decimal (saturating: the engine refuses more than 8 decimals before
    /// computing anything, see [`super::limits`]).
    fn minor_factor(&self) -> Decimal {
        Decimal::from(10u64.saturating_pow(self.decimals))
    }

    /// `wc_add_number_precision`: currency units to minor units, keeping rp − dp decimals.
    pub fn to_minor(&self, value: Decimal) -> Decimal {
        round_half_up(
            value * self.minor_factor(),
            self.rounding_precision().saturating_sub(self.decimals),
        )
    }

    /// `wc_add_number_precision(.., false)`: currency units to minor units without rounding.
    pub fn to_minor_unrounded(&self, value: Decimal) -> Decimal {
        value * self.minor_factor()
    }

    /// `wc_remove_number_precision`: minor units back to currency units, no rounding.
    pub fn from_minor(&self, value: Decimal) -> Decimal {
        (value / self.minor_factor()).normalize()
    }

    /// `WC_Tax::round`: half-up at the rounding precision.
    pub fn tax_round(&self, value: Decimal) -> Decimal {
        round_half_up(value, self.rounding_precision())
    }

    /// The tax rounding mode: half-down when prices include tax, half-up otherwise.
    pub fn round_tax(&self, value: Decimal, decimals: u32) -> Decimal {
        if self.prices_include_tax {
            round_half_down(value, decimals)
        } else {
            round_half_up(value, decimals)
        }
    }

    /// `round_line_tax` (minor units): a line's tax, rounded to a whole minor unit unless
    /// taxes are rounded at subtotal.
    pub fn line_tax_round(&self, value: Decimal) -> Decimal {
        if self.round_at_subtotal {
            value
        } else {
            self.round_tax(value, 0)
        }
    }

    /// `round_item_subtotal` (minor units): a line amount rounded half-up to a whole minor
    /// unit unless taxes are rounded at subtotal.
    pub fn line_round(&self, value: Decimal) -> Decimal {
        if self.round_at_subtotal {
            value
        } else {
            round_half_up(value, 0)
        }
    }

    /// `wc_round_tax_total` (currency units) to the store decimals.
    pub fn round_tax_total(&self, value: Decimal) -> Decimal {
        self.round_tax(value, self.decimals)
    }

    /// Currency units rounded half-up to the store decimals (`round(x, dp)`).
    pub fn round_price(&self, value: Decimal) -> Decimal {
        round_half_up(value, self.decimals)
    }
}

/// Rounds half away from zero (PHP's `round`, WooCommerce's default).
pub fn round_half_up(value: Decimal, decimals: u32) -> Decimal {
    value.round_dp_with_strategy(decimals, RoundingStrategy::MidpointAwayFromZero)
}

/// Rounds half toward zero (`PHP_ROUND_HALF_DOWN`): used for discounts and for tax on
/// stores whose prices include tax.
pub fn round_half_down(value: Decimal, decimals: u32) -> Decimal {
    value.round_dp_with_strategy(decimals, RoundingStrategy::MidpointTowardZero)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    fn rules(decimals: u32, prices_include_tax: bool) -> MoneyRules {
        MoneyRules {
            decimals,
            prices_include_tax,
            round_at_subtotal: false,
        }
    }

    #[test]
    fn to_minor_keeps_four_extra_decimals_of_a_cent() {
        let money = rules(2, false);
        assert_eq!(money.to_minor(dec!(8.99)), dec!(899.0000));
        assert_eq!(money.to_minor(dec!(30.825)), dec!(3082.5000));
        assert_eq!(money.to_minor(dec!(1.234567)), dec!(123.4567));
        assert_eq!(money.to_minor(dec!(1.2345675)), dec!(123.4568));
    }

    #[test]
    fn to_minor_with_zero_decimals_keeps_six() {
        let money = rules(0, false);
        assert_eq!(money.rounding_precision(), 6);
        assert_eq!(money.to_minor(dec!(301.90909)), dec!(301.909090));
    }

    #[test]
    fn round_tax_total_is_half_down_only_when_prices_include_tax() {
        assert_eq!(rules(0, false).round_tax_total(dec!(82.5)), dec!(83));
        assert_eq!(rules(0, true).round_tax_total(dec!(82.5)), dec!(82));
        assert_eq!(rules(0, true).round_tax_total(dec!(82.54)), dec!(83));
        assert_eq!(rules(2, false).round_tax_total(dec!(1.246)), dec!(1.25));
        assert_eq!(rules(2, false).round_tax_total(dec!(19.9997)), dec!(20.00));
    }

    #[test]
    fn tax_round_uses_rounding_precision() {
        assert_eq!(rules(2, false).tax_round(dec!(2.123456789)), dec!(2.123457));
    }

    #[test]
    fn line_rounding_is_switched_off_by_round_at_subtotal() {
        let per_line = rules(2, true);
        let at_subtotal = MoneyRules {
            round_at_subtotal: true,
            ..per_line
        };
        assert_eq!(per_line.line_round(dec!(1877.5)), dec!(1878));
        assert_eq!(per_line.line_tax_round(dec!(1877.5)), dec!(1877));
        assert_eq!(at_subtotal.line_round(dec!(1877.5)), dec!(1877.5));
        assert_eq!(at_subtotal.line_tax_round(dec!(1877.5)), dec!(1877.5));
    }

    #[test]
    fn discount_rounding_is_half_down() {
        assert_eq!(round_half_down(dec!(598.5), 0), dec!(598));
        assert_eq!(round_half_down(dec!(-598.5), 0), dec!(-598));
        assert_eq!(round_half_down(dec!(598.51), 0), dec!(599));
    }
}
