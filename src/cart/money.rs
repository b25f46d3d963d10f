//! Money and number output as CoCart 4.4 prints it in v2 cart bodies.
//!
//! v2 money is a string of integer minor units (`"1800"`), produced by `cocart_format_money`
//! whose rules (responses-and-errors.md §2) include passing "empty" values through
//! unchanged; item totals other than `subtotal` are WooCommerce's raw decimals printed as
//! JSON numbers (`4`, `2.2`). Both are done here with decimal arithmetic, never floats.

use rust_decimal::prelude::{FromStr, ToPrimitive};
use rust_decimal::{Decimal, RoundingStrategy};
use serde_json::{Number, Value};

use crate::catalog::model::{CurrencyPosition, StoreSettings};

/// `amount` × 10^`decimals`, rounded half away from zero (PHP `round`), printed with no
/// decimals: `18.00` → `"1800"`, `-5` → `"-500"`.
pub fn minor_units(amount: Decimal, decimals: u32) -> String {
    let scaled = amount.saturating_mul(Decimal::from(10_i64.pow(decimals.min(18))));
    let rounded = scaled.round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero);
    rounded.normalize().to_string()
}

/// `cocart_format_money` for a computed amount: zero passes through as the JSON number `0`,
/// anything else becomes a minor-units string.
pub fn money_value(amount: Decimal, decimals: u32) -> Value {
    if amount.is_zero() {
        Value::from(0)
    } else {
        Value::String(minor_units(amount, decimals))
    }
}

/// `cocart_format_money` for a stored decimal string such as a product price: `""` and
/// `"0"` pass through unchanged, other text is parsed as a leading decimal number (PHP
/// `floatval`) and converted to minor units.
pub fn money_from_text(text: &str, decimals: u32) -> Value {
    if text.is_empty() || text == "0" {
        return Value::String(text.to_owned());
    }
    Value::String(minor_units(leading_decimal(text), decimals))
}

/// PHP `floatval` on text: the longest leading decimal number, `0` when there is none.
pub fn leading_decimal(text: &str) -> Decimal {
    let trimmed = text.trim_start();
    let mut end = 0;
    let mut seen_digit = false;
    let mut seen_point = false;
    for (index, character) in trimmed.char_indices() {
        match character {
            '-' | '+' if index == 0 => {}
            '0'..='9' => seen_digit = true,
            '.' if !seen_point => seen_point = true,
            _ => break,
        }
        end = index + character.len_utf8();
    }
    if !seen_digit {
        return Decimal::ZERO;
    }
    Decimal::from_str(trimmed[..end].trim_end_matches('.')).unwrap_or(Decimal::ZERO)
}

/// A decimal as a JSON number the way PHP prints a float: whole values without a fraction
/// (`2`, not `2.0`), others as the shortest decimal (`2.2`).
pub fn decimal_number(amount: Decimal) -> Value {
    let normalized = amount.normalize();
    if normalized.scale() == 0
        && let Some(whole) = normalized.to_i64()
    {
        return Value::from(whole);
    }
    normalized
        .to_f64()
        .and_then(Number::from_f64)
        .map_or(Value::from(0), Value::Number)
}

/// A decimal printed as PHP prints a float in text (`1.0` → `"1"`, `0.40` → `"0.4"`).
pub fn decimal_text(amount: Decimal) -> String {
    amount.normalize().to_string()
}

/// Currency text as WooCommerce prints a price without HTML, in the store's format:
/// `-$1,234.50`, `5,00 €`.
pub fn price_text(amount: Decimal, settings: &StoreSettings) -> String {
    let decimals = settings.price_decimals;
    let rounded = amount
        .abs()
        .round_dp_with_strategy(decimals, RoundingStrategy::MidpointAwayFromZero);
    let fixed = format!("{:.*}", decimals as usize, rounded);
    let (whole, fraction) = fixed.split_once('.').unwrap_or((fixed.as_str(), ""));
    let mut grouped = String::new();
    for (index, digit) in whole.chars().enumerate() {
        if index > 0 && (whole.len() - index) % 3 == 0 {
            grouped.push_str(&settings.thousand_separator);
        }
        grouped.push(digit);
    }
    if !fraction.is_empty() {
        grouped.push_str(&settings.decimal_separator);
        grouped.push_str(fraction);
    }
    let sign = if amount.is_sign_negative() && !rounded.is_zero() {
        "-"
    } else {
        ""
    };
    let symbol = &settings.currency_symbol;
    match settings.currency_position {
        CurrencyPosition::Left => format!("{sign}{symbol}{grouped}"),
        CurrencyPosition::LeftSpace => format!("{sign}{symbol}\u{a0}{grouped}"),
        CurrencyPosition::Right => format!("{sign}{grouped}{symbol}"),
        CurrencyPosition::RightSpace => format!("{sign}{grouped}\u{a0}{symbol}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn minor_units_follow_the_spec_table() {
        assert_eq!(money_from_text("18.00", 2), Value::from("1800"));
        assert_eq!(money_value(dec!(8.4), 2), Value::from("840"));
        assert_eq!(money_from_text("0.00", 2), Value::from("0"));
        assert_eq!(money_value(dec!(0), 2), Value::from(0));
        assert_eq!(money_from_text("", 2), Value::from(""));
        assert_eq!(money_from_text("-5", 2), Value::from("-500"));
        assert_eq!(money_from_text("1,234.00", 2), Value::from("100"));
    }

    #[test]
    fn rounding_is_half_up_on_decimals() {
        assert_eq!(minor_units(dec!(0.285), 2), "29");
        assert_eq!(minor_units(dec!(1.005), 2), "101");
    }

    #[test]
    fn numbers_print_like_php_floats() {
        assert_eq!(decimal_number(dec!(4.00)), serde_json::json!(4));
        assert_eq!(decimal_number(dec!(2.20)), serde_json::json!(2.2));
        assert_eq!(decimal_text(dec!(1.0)), "1");
        assert_eq!(decimal_text(dec!(0.40)), "0.4");
    }

    #[test]
    fn currency_text_places_symbol_and_separators() {
        let pounds = StoreSettings {
            currency_symbol: "£".into(),
            ..StoreSettings::default()
        };
        assert_eq!(price_text(dec!(-5), &pounds), "-£5.00");
        assert_eq!(price_text(dec!(1234.5), &pounds), "£1,234.50");
        let euros = StoreSettings {
            currency_symbol: "€".into(),
            currency_position: CurrencyPosition::RightSpace,
            decimal_separator: ",".into(),
            thousand_separator: ".".into(),
            ..StoreSettings::default()
        };
        assert_eq!(price_text(dec!(5), &euros), "5,00\u{a0}€");
        // `wc_price` puts a no-break space between symbol and amount, and groups thousands.
        assert_eq!(price_text(dec!(1234567), &euros), "1.234.567,00\u{a0}€");
        assert_eq!(
            price_text(dec!(-0.001), &pounds),
            "£0.00",
            "no negative zero"
        );
    }
}
