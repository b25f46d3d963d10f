//! Reading the Products API's arguments after the HTTP layer has validated them.
//!
//! The HTTP layer checks every declared argument against its schema and coerces it
//! (`"2"` → `2`, `"true"` → `true`, `"1,2"` → `[1, 2]`) before a handler runs, so this
//! module only reads the coerced values and adds what CoCart does on top of the schema:
//! WooCommerce's `wp_parse_id_list` sanitising of ID lists, the `date-time` format check,
//! PHP truthiness for the undeclared flags, and `wp_parse_list` splitting.

use serde_json::{Map, Value};

use super::error;
use crate::error::ApiError;

/// A validated string argument.
pub fn string(params: &Map<String, Value>, name: &str) -> Option<String> {
    params.get(name).and_then(Value::as_str).map(str::to_string)
}

/// A validated integer argument.
pub fn integer(params: &Map<String, Value>, name: &str) -> Option<i64> {
    params.get(name).and_then(Value::as_i64)
}

/// A validated boolean argument.
pub fn boolean(params: &Map<String, Value>, name: &str) -> Option<bool> {
    params.get(name).and_then(Value::as_bool)
}

/// A validated integer-list argument sanitised like `wp_parse_id_list`: each entry becomes
/// its absolute value and duplicates are dropped.
pub fn id_list(params: &Map<String, Value>, name: &str) -> Vec<u64> {
    let mut ids = Vec::new();
    for entry in params
        .get(name)
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        if let Some(id) = entry.as_i64().map(i64::unsigned_abs)
            && !ids.contains(&id)
        {
            ids.push(id);
        }
    }
    ids
}

/// A `date-time` string argument (RFC 3339, with `T` or a space, zone optional), returned
/// as the local wall-clock part `YYYY-MM-DDTHH:MM:SS`; a malformed value is 400
/// `rest_invalid_param`.
pub fn date_time(params: &Map<String, Value>, name: &str) -> Result<Option<String>, ApiError> {
    match string(params, name) {
        None => Ok(None),
        Some(text) => wall_clock_of_date_time(&text)
            .map(Some)
            .ok_or_else(|| error::invalid_date(name)),
    }
}

/// An undeclared flag read the way CoCart's single-product routes read `show_reviews` and
/// `return_variations`: unsanitised, so PHP truthiness decides (`"false"` counts as true;
/// `""`, `"0"`, `0`, `false` and absence as false).
pub fn undeclared_flag(params: &Map<String, Value>, name: &str) -> bool {
    match params.get(name) {
        None | Some(Value::Null) => false,
        Some(Value::Bool(flag)) => *flag,
        Some(Value::Number(number)) => number.as_f64().is_some_and(|n| n != 0.0),
        Some(Value::String(text)) => !text.is_empty() && text != "0",
        Some(Value::Array(items)) => !items.is_empty(),
        Some(Value::Object(map)) => !map.is_empty(),
    }
}

/// Splits a list argument like `wp_parse_list`: arrays entry by entry, strings on commas
/// and whitespace, empty pieces dropped.
pub fn list_entries(value: Option<&Value>) -> Vec<String> {
    match value {
        Some(Value::Array(items)) => items.iter().filter_map(scalar_text).collect(),
        Some(other) => scalar_text(other)
            .map(|text| {
                text.split(|c: char| c == ',' || c.is_whitespace())
                    .filter(|piece| !piece.is_empty())
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default(),
        None => Vec::new(),
    }
}

/// The text of a scalar JSON value (strings as is, numbers and booleans printed).
pub fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::String(text) => Some(text.clone()),
        Value::Number(number) => Some(number.to_string()),
        Value::Bool(flag) => Some(if *flag { "1" } else { "" }.to_string()),
        _ => None,
    }
}

/// Validates a `date-time` value like `rest_parse_date` and returns its wall-clock part.
fn wall_clock_of_date_time(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    if bytes.len() < 19 {
        return None;
    }
    let digit_at = |positions: &[usize]| positions.iter().all(|&i| bytes[i].is_ascii_digit());
    let shape_ok = digit_at(&[0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18])
        && bytes[4] == b'-'
        && bytes[7] == b'-'
        && matches!(bytes[10], b'T' | b't' | b' ')
        && bytes[13] == b':'
        && bytes[16] == b':';
    if !shape_ok || !valid_zone_suffix(&text[19..]) {
        return None;
    }
    Some(format!("{}T{}", &text[..10], &text[11..19]))
}

/// The optional tail of a date-time: fractional seconds, then `Z` or `±HH[:MM]`.
fn valid_zone_suffix(tail: &str) -> bool {
    let tail = match tail.strip_prefix('.') {
        Some(fraction) => {
            let digits = fraction.chars().take_while(char::is_ascii_digit).count();
            if digits == 0 {
                return false;
            }
            &fraction[digits..]
        }
        None => tail,
    };
    if tail.is_empty() || tail == "Z" || tail == "z" {
        return true;
    }
    let Some(offset) = tail.strip_prefix(['+', '-']) else {
        return false;
    };
    let offset = offset.as_bytes();
    match offset.len() {
        2 => offset.iter().all(u8::is_ascii_digit),
        5 => {
            offset[..2].iter().all(u8::is_ascii_digit)
                && offset[2] == b':'
                && offset[3..].iter().all(u8::is_ascii_digit)
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn map(value: Value) -> Map<String, Value> {
        value.as_object().unwrap().clone()
    }

    #[test]
    fn id_lists_are_absolute_and_unique() {
        let params = map(json!({"a": [3, 5, 3, 0], "b": [7, -8, 8], "c": []}));
        assert_eq!(id_list(&params, "a"), vec![3, 5, 0]);
        assert_eq!(id_list(&params, "b"), vec![7, 8]);
        assert!(id_list(&params, "c").is_empty());
        assert!(id_list(&params, "missing").is_empty());
    }

    #[test]
    fn undeclared_flags_use_php_truthiness() {
        let params = map(json!({"a": "false", "b": "0", "c": "", "d": true, "e": 0}));
        assert!(undeclared_flag(&params, "a"));
        assert!(!undeclared_flag(&params, "b"));
        assert!(!undeclared_flag(&params, "c"));
        assert!(undeclared_flag(&params, "d"));
        assert!(!undeclared_flag(&params, "e"));
        assert!(!undeclared_flag(&params, "missing"));
    }

    #[test]
    fn list_entries_split_like_wp_parse_list() {
        assert_eq!(list_entries(Some(&json!("a, b c"))), ["a", "b", "c"]);
        assert_eq!(list_entries(Some(&json!(["x", 2]))), ["x", "2"]);
        assert!(list_entries(None).is_empty());
    }

    #[test]
    fn date_times_follow_rest_parse_date() {
        let params = map(json!({
            "a": "2026-11-22T02:44:04", "b": "2026-11-22 02:44:04.123+01:00",
            "c": "2026-11-22", "d": "2026-11-22T02:44:04Q"
        }));
        assert_eq!(
            date_time(&params, "a").unwrap().as_deref(),
            Some("2026-11-22T02:44:04")
        );
        assert_eq!(
            date_time(&params, "b").unwrap().as_deref(),
            Some("2026-11-22T02:44:04")
        );
        assert_eq!(date_time(&params, "missing").unwrap(), None);
        let error = date_time(&params, "c").unwrap_err().to_json();
        assert_eq!(error["data"]["params"]["c"], "Invalid date.");
        assert!(date_time(&params, "d").is_err());
    }
}
