//! CoCart's `Money` formatting for product prices (products.md §5.3).
//!
//! Product prices leave CoCart as strings of integer minor units (`"1899"`), except that
//! an unset price stays `""` and a zero price becomes the JSON number `0`. Storefronts
//! divide by `currency_minor_unit` themselves, so the rounding must match CoCart's
//! half-up rule to the cent; everything here is `rust_decimal`.

use rust_decimal::{Decimal, RoundingStrategy};
use serde_json::Value;

use crate::catalog::model::StoreSettings;

/// Formats a price as `Money`: `None` → `""`, zero → `0`, otherwise the amount times
/// 10^`decimals`, rounded half away from zero, as an integer string.
pub fn money(amount: Option<Decimal>, decimals: u32) -> Value {
    match amount {
        None => Value::String(String::new()),
        Some(value) if value.is_zero() => Value::from(0),
        Some(value) => match value.checked_mul(Decimal::from(10_u64.pow(decimals.min(18)))) {
            Some(scaled) => {
                let rounded =
                    scaled.round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero);
                Value::String(rounded.normalize().to_string())
            }
            // Beyond Decimal's range: show the amount as stored rather than fail.
            None => Value::String(value.to_string()),
        },
    }
}

/// A price as the v1 API prints it: `wc_price` with the HTML removed, e.g. `"$1,234.50"`.
/// An unset price prints as zero. `left_space`/`right_space` use a no-break space.
pub fn price_text(amount: Option<Decimal>, settings: &StoreSettings) -> String {
    crate::cart::money::price_text(amount.unwrap_or_default(), settings)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::model::CurrencyPosition;
    use rust_decimal_macros::dec;
    use serde_json::json;

    #[test]
    fn money_uses_minor_units_with_half_up_rounding() {
        assert_eq!(money(Some(dec!(18.99)), 2), json!("1899"));
        assert_eq!(money(Some(dec!(18)), 2), json!("1800"));
        assert_eq!(money(Some(dec!(0.285)), 2), json!("29"));
        assert_eq!(money(Some(dec!(1.005)), 2), json!("101"));
        assert_eq!(money(Some(dec!(18.99)), 0), json!("19"));
        assert_eq!(money(Some(dec!(-5)), 2), json!("-500"));
    }

    #[test]
    fn v1_prices_are_formatted_currency_strings() {
        let mut settings = StoreSettings::default();
        assert_eq!(price_text(Some(dec!(18)), &settings), "$18.00");
        assert_eq!(price_text(None, &settings), "$0.00");
        assert_eq!(price_text(Some(dec!(1234.5)), &settings), "$1,234.50");
        assert_eq!(price_text(Some(dec!(-5)), &settings), "-$5.00");
        settings.currency_symbol = "£".into();
        settings.currency_position = CurrencyPosition::RightSpace;
        settings.thousand_separator = ".".into();
        settings.decimal_separator = ",".into();
        assert_eq!(
            price_text(Some(dec!(1234567.891)), &settings),
            "1.234.567,89\u{a0}£"
        );
        settings.price_decimals = 0;
        assert_eq!(price_text(Some(dec!(18.5)), &settings), "19\u{a0}£");
    }

    #[test]
    fn money_keeps_empty_and_zero_untouched() {
        assert_eq!(money(None, 2), json!(""));
        assert_eq!(money(Some(dec!(0.00)), 2), json!(0));
        assert_eq!(money(Some(dec!(9.99)), 2), json!("999"));
    }
}
