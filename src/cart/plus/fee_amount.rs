//! Reading a fee amount sent as text.
//!
//! Live CoCart reads `"1,234.00"` as 1 (PHP `floatval` stops at the comma). cartd reads the
//! amount in the store's number format instead and refuses text whose meaning depends on
//! the reader (compatibility-policy.md): more than one separator, or a lone separator that
//! could be the store's thousands separator.

use rust_decimal::Decimal;
use rust_decimal::prelude::FromStr;

use crate::cart::error::CartError;
use crate::cart::totals::limits::MAX_AMOUNT;
use crate::catalog::model::StoreSettings;

/// `400 cocart_fee_invalid_amount`.
fn invalid_amount(text: &str) -> CartError {
    CartError::new(
        "cocart_fee_invalid_amount",
        400,
        format!(
            "Fee amount \"{text}\" is not a valid amount. Send digits with at most one decimal separator and no thousands separators, e.g. \"1234.50\"."
        ),
    )
}

/// Reads `text` as an amount: an optional sign, digits, and at most one decimal separator
/// (`.` or the store's decimal separator). A separator that is also the store's thousands
/// separator and is followed by exactly three digits (`1,234` in a `1,234.50` store,
/// `1.234` in a `1.234,50` store) is ambiguous and refused, as is any text with two or more
/// separators or other characters, and amounts beyond the totals engine's range.
pub fn parse_fee_amount(text: &str, settings: &StoreSettings) -> Result<Decimal, CartError> {
    let trimmed = text.trim();
    let (negative, unsigned) = match trimmed.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, trimmed.strip_prefix('+').unwrap_or(trimmed)),
    };
    let is_separator = |c: char| c == '.' || settings.decimal_separator.starts_with(c);
    let separators: Vec<(usize, char)> = unsigned
        .char_indices()
        .filter(|(_, c)| !c.is_ascii_digit())
        .collect();
    let (whole, fraction) = match separators.as_slice() {
        [] => (unsigned, ""),
        [(index, separator)] if is_separator(*separator) => {
            let fraction = &unsigned[index + separator.len_utf8()..];
            let thousands = settings.thousand_separator.starts_with(*separator);
            if thousands && fraction.len() == 3 {
                return Err(invalid_amount(text));
            }
            (&unsigned[..*index], fraction)
        }
        _ => return Err(invalid_amount(text)),
    };
    if whole.is_empty() && fraction.is_empty() {
        return Err(invalid_amount(text));
    }
    let canonical = format!(
        "{}{}.{}",
        if negative { "-" } else { "" },
        if whole.is_empty() { "0" } else { whole },
        if fraction.is_empty() { "0" } else { fraction }
    );
    Decimal::from_str(&canonical)
        .ok()
        .filter(|amount| amount.abs() <= MAX_AMOUNT)
        .ok_or_else(|| invalid_amount(text))
}
