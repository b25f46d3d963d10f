//! WordPress REST argument coercion for the Products API.
//!
//! CoCart declares its arguments with JSON-schema types and lets the WordPress REST
//! framework validate and sanitise them before the handler runs. The storefronts depend on
//! that behaviour (which strings count as booleans, how lists are split, the exact
//! `rest_invalid_param` texts), so this module reproduces it for the handful of schema
//! shapes the product routes use. A [`ParamReader`] reads from the merged request
//! parameters and collects every failure, so one response can name them all.

use serde_json::{Map, Value};

use super::error::{ApiError, ParamFailure};

/// Reads typed arguments from merged request parameters and collects validation failures.
pub struct ParamReader<'a> {
    params: &'a Map<String, Value>,
    failures: Vec<ParamFailure>,
}

impl<'a> ParamReader<'a> {
    /// Starts reading `params` (path, query and body already merged by the HTTP layer).
    pub fn new(params: &'a Map<String, Value>) -> Self {
        Self {
            params,
            failures: Vec::new(),
        }
    }

    /// The raw value of an argument, when sent.
    pub fn raw(&self, name: &str) -> Option<&'a Value> {
        self.params.get(name).filter(|value| !value.is_null())
    }

    /// Ends reading: `Err(rest_invalid_param)` naming every failed argument, if any.
    pub fn finish(self) -> Result<(), ApiError> {
        if self.failures.is_empty() {
            Ok(())
        } else {
            Err(ApiError::invalid_params(&self.failures))
        }
    }

    fn fail(&mut self, param: &str, code: &'static str, message: String) {
        self.failures.push(ParamFailure {
            param: param.to_string(),
            code,
            message,
        });
    }

    /// Records a type failure for `param` (for shapes this reader has no method for).
    pub fn invalid_type(&mut self, param: &str, type_name: &str) {
        self.fail_type(param, type_name);
    }

    fn fail_type(&mut self, param: &str, type_name: &str) {
        self.fail(
            param,
            "rest_invalid_type",
            format!("{param} is not of type {type_name}."),
        );
    }

    /// A `string` argument. Non-strings (a JSON number, say) fail validation.
    pub fn string(&mut self, name: &str) -> Option<String> {
        match self.raw(name)? {
            Value::String(text) => Some(text.clone()),
            _ => {
                self.fail_type(name, "string");
                None
            }
        }
    }

    /// A `string` argument restricted to `allowed` (exact, case-sensitive match).
    pub fn enum_string(&mut self, name: &str, allowed: &[&str]) -> Option<String> {
        let text = self.string(name)?;
        if allowed.contains(&text.as_str()) {
            Some(text)
        } else {
            self.fail(name, "rest_not_in_enum", not_in_enum_message(name, allowed));
            None
        }
    }

    /// A `boolean` argument: JSON booleans, the integers 1/0 and the strings
    /// "true"/"false"/"1"/"0" in any case.
    pub fn boolean(&mut self, name: &str) -> Option<bool> {
        let value = self.raw(name)?;
        let parsed = match value {
            Value::Bool(flag) => Some(*flag),
            Value::Number(number) => match number.as_f64() {
                Some(n) if n.abs() < f64::EPSILON => Some(false),
                Some(n) if (n - 1.0).abs() < f64::EPSILON => Some(true),
                _ => None,
            },
            Value::String(text) => match text.to_ascii_lowercase().as_str() {
                "true" | "1" => Some(true),
                "false" | "0" => Some(false),
                _ => None,
            },
            _ => None,
        };
        if parsed.is_none() {
            self.fail_type(name, "boolean");
        }
        parsed
    }

    /// An `integer` argument with optional inclusive bounds.
    pub fn integer(
        &mut self,
        name: &str,
        minimum: Option<i64>,
        maximum: Option<i64>,
    ) -> Option<i64> {
        let value = self.raw(name)?;
        let Some(number) = integer_value(value) else {
            self.fail_type(name, "integer");
            return None;
        };
        let out_of_bounds = match (minimum, maximum) {
            (Some(min), Some(max)) if number < min || number > max => Some(format!(
                "{name} must be between {min} (inclusive) and {max} (inclusive)"
            )),
            (Some(min), None) if number < min => {
                Some(format!("{name} must be greater than or equal to {min}"))
            }
            (None, Some(max)) if number > max => {
                Some(format!("{name} must be less than or equal to {max}"))
            }
            _ => None,
        };
        match out_of_bounds {
            Some(message) => {
                self.fail(name, "rest_out_of_bounds", message);
                None
            }
            None => Some(number),
        }
    }

    /// A `date-time` string argument (RFC 3339, with `T` or a space, zone optional),
    /// returned as the local wall-clock part `YYYY-MM-DDTHH:MM:SS`.
    pub fn date_time(&mut self, name: &str) -> Option<String> {
        let text = self.string(name)?;
        match wall_clock_of_date_time(&text) {
            Some(wall_clock) => Some(wall_clock),
            None => {
                self.fail(name, "rest_invalid_date", "Invalid date.".to_string());
                None
            }
        }
    }

    /// An ID list sanitised like `wp_parse_id_list`: an array or a comma/space separated
    /// string; each entry becomes its absolute integer value (non-numbers become 0);
    /// duplicates are dropped. Never fails.
    pub fn id_list(&self, name: &str) -> Vec<u64> {
        let mut ids = Vec::new();
        for entry in list_entries(self.raw(name)) {
            let id = leading_integer(&entry).unsigned_abs();
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
        ids
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

/// The WordPress `rest_not_in_enum` message: "X is not one of a, b, and c.".
pub fn not_in_enum_message(name: &str, allowed: &[&str]) -> String {
    match allowed {
        [only] => format!("{name} is not {only}."),
        [first, second] => format!("{name} is not one of {first} and {second}."),
        [rest @ .., last] => format!("{name} is not one of {}, and {last}.", rest.join(", ")),
        [] => format!("{name} is not one of ."),
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

/// PHP `intval` on a string: the leading integer part, 0 when there is none.
fn leading_integer(text: &str) -> i64 {
    let trimmed = text.trim_start();
    let (sign, digits) = match trimmed.strip_prefix('-') {
        Some(rest) => (-1, rest),
        None => (1, trimmed.strip_prefix('+').unwrap_or(trimmed)),
    };
    let end = digits
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(digits.len());
    digits[..end].parse::<i64>().map(|n| sign * n).unwrap_or(0)
}

/// `rest_is_integer`: a JSON integer, an integral float, or a numeric string whose value
/// is integral.
fn integer_value(value: &Value) -> Option<i64> {
    match value {
        Value::Number(number) => number.as_i64().or_else(|| {
            number
                .as_f64()
                .filter(|f| f.fract() == 0.0)
                .map(|f| f as i64)
        }),
        Value::String(text) => {
            let trimmed = text.trim();
            if !is_php_numeric(trimmed) {
                return None;
            }
            trimmed
                .parse::<f64>()
                .ok()
                .filter(|f| f.fract() == 0.0 && f.abs() < 9.0e15)
                .map(|f| f as i64)
        }
        _ => None,
    }
}

/// PHP `is_numeric` on trimmed text: optional sign, digits with an optional fraction,
/// optional exponent.
fn is_php_numeric(text: &str) -> bool {
    let unsigned = text.strip_prefix(['+', '-']).unwrap_or(text);
    let (mantissa, exponent) = match unsigned.find(['e', 'E']) {
        Some(at) => (&unsigned[..at], Some(&unsigned[at + 1..])),
        None => (unsigned, None),
    };
    let (whole, fraction) = match mantissa.split_once('.') {
        Some((whole, fraction)) => (whole, fraction),
        None => (mantissa, ""),
    };
    let all_digits = |part: &str| part.chars().all(|c| c.is_ascii_digit());
    let mantissa_ok =
        (!whole.is_empty() || !fraction.is_empty()) && all_digits(whole) && all_digits(fraction);
    let exponent_ok = exponent.is_none_or(|exp| {
        let digits = exp.strip_prefix(['+', '-']).unwrap_or(exp);
        !digits.is_empty() && all_digits(digits)
    });
    mantissa_ok && exponent_ok
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
    fn booleans_accept_wordpress_spellings_only() {
        let params = map(json!({"a": "TRUE", "b": "0", "c": 1, "d": false, "e": "yes", "f": ""}));
        let mut reader = ParamReader::new(&params);
        assert_eq!(reader.boolean("a"), Some(true));
        assert_eq!(reader.boolean("b"), Some(false));
        assert_eq!(reader.boolean("c"), Some(true));
        assert_eq!(reader.boolean("d"), Some(false));
        assert_eq!(reader.boolean("e"), None);
        assert_eq!(reader.boolean("f"), None);
        assert_eq!(reader.boolean("missing"), None);
        let error = reader.finish().unwrap_err().to_json();
        assert_eq!(error["message"], "Invalid parameter(s): e, f");
        assert_eq!(error["data"]["params"]["e"], "e is not of type boolean.");
    }

    #[test]
    fn integers_check_type_and_bounds() {
        let params = map(
            json!({"page": "0", "per_page": "101", "n": "3.0", "x": "2.5", "y": "abc", "z": 7}),
        );
        let mut reader = ParamReader::new(&params);
        assert_eq!(reader.integer("page", Some(1), None), None);
        assert_eq!(reader.integer("per_page", Some(1), Some(100)), None);
        assert_eq!(reader.integer("n", None, None), Some(3));
        assert_eq!(reader.integer("x", None, None), None);
        assert_eq!(reader.integer("y", None, None), None);
        assert_eq!(reader.integer("z", None, Some(5)), None);
        let error = reader.finish().unwrap_err().to_json();
        let messages = &error["data"]["params"];
        assert_eq!(messages["page"], "page must be greater than or equal to 1");
        assert_eq!(
            messages["per_page"],
            "per_page must be between 1 (inclusive) and 100 (inclusive)"
        );
        assert_eq!(messages["x"], "x is not of type integer.");
        assert_eq!(messages["z"], "z must be less than or equal to 5");
        assert_eq!(
            error["data"]["details"]["page"]["code"],
            "rest_out_of_bounds"
        );
    }

    #[test]
    fn enums_name_the_allowed_values_wordpress_style() {
        assert_eq!(
            not_in_enum_message("order", &["ASC", "DESC"]),
            "order is not one of ASC and DESC."
        );
        assert_eq!(
            not_in_enum_message("op", &["in", "not in", "and"]),
            "op is not one of in, not in, and and."
        );
        assert_eq!(
            not_in_enum_message("context", &["view"]),
            "context is not view."
        );
        let params = map(json!({"type": "bundle", "sku": 12}));
        let mut reader = ParamReader::new(&params);
        assert_eq!(reader.enum_string("type", &["simple", "variable"]), None);
        assert_eq!(reader.string("sku"), None);
        let error = reader.finish().unwrap_err().to_json();
        assert_eq!(error["data"]["details"]["type"]["code"], "rest_not_in_enum");
        assert_eq!(error["data"]["params"]["sku"], "sku is not of type string.");
    }

    #[test]
    fn id_lists_split_like_wp_parse_id_list() {
        let params = map(json!({"a": "3, 5 ,3,abc", "b": ["7", 8, "-9"], "c": ""}));
        let reader = ParamReader::new(&params);
        assert_eq!(reader.id_list("a"), vec![3, 5, 0]);
        assert_eq!(reader.id_list("b"), vec![7, 8, 9]);
        assert!(reader.id_list("c").is_empty());
        assert!(reader.id_list("missing").is_empty());
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
    fn date_times_follow_rest_parse_date() {
        let params = map(json!({
            "a": "2026-11-22T02:44:04", "b": "2026-11-22 02:44:04.123+01:00",
            "c": "2026-11-22", "d": "2026-11-22T02:44:04Q"
        }));
        let mut reader = ParamReader::new(&params);
        assert_eq!(
            reader.date_time("a").as_deref(),
            Some("2026-11-22T02:44:04")
        );
        assert_eq!(
            reader.date_time("b").as_deref(),
            Some("2026-11-22T02:44:04")
        );
        assert_eq!(reader.date_time("c"), None);
        assert_eq!(reader.date_time("d"), None);
        let error = reader.finish().unwrap_err().to_json();
        assert_eq!(error["data"]["params"]["c"], "Invalid date.");
    }
}
