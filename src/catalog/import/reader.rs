//! Typed reading of one JSON record with errors that name the file, the record and the
//! field. Absent and `null` fields take WooCommerce's defaults; present fields of the
//! wrong shape are errors.

use std::str::FromStr;

use rust_decimal::Decimal;
use serde_json::{Map, Value};

use super::ImportError;
use crate::catalog::model::UnixTime;

/// One JSON object being read.
pub(super) struct RecordReader<'a> {
    file: &'a str,
    record: String,
    object: &'a Map<String, Value>,
}

/// A JSON value as an error message shows it.
fn shown(value: &Value) -> String {
    value.to_string()
}

impl<'a> RecordReader<'a> {
    /// Reads `value`, which must be an object.
    pub(super) fn new(
        file: &'a str,
        record: String,
        value: &'a Value,
    ) -> Result<RecordReader<'a>, ImportError> {
        match value {
            Value::Object(object) => Ok(RecordReader {
                file,
                record,
                object,
            }),
            other => Err(ImportError::Record {
                file: file.to_string(),
                record,
                problem: format!("expected an object, found {}", shown(other)),
            }),
        }
    }

    /// The record label (`product 10`).
    pub(super) fn record(&self) -> &str {
        &self.record
    }

    /// An error about one field.
    pub(super) fn field_error(&self, field: &str, problem: impl Into<String>) -> ImportError {
        ImportError::Field {
            file: self.file.to_string(),
            record: self.record.clone(),
            field: field.to_string(),
            problem: problem.into(),
        }
    }

    /// An error about the record as a whole.
    pub(super) fn record_error(&self, problem: impl Into<String>) -> ImportError {
        ImportError::Record {
            file: self.file.to_string(),
            record: self.record.clone(),
            problem: problem.into(),
        }
    }

    /// The field's value; `None` when absent or `null`.
    pub(super) fn value(&self, field: &str) -> Option<&'a Value> {
        self.object.get(field).filter(|value| !value.is_null())
    }

    /// A string field (numbers are rendered); `""` when absent.
    pub(super) fn string(&self, field: &str) -> Result<String, ImportError> {
        match self.value(field) {
            None => Ok(String::new()),
            Some(Value::String(text)) => Ok(text.clone()),
            Some(Value::Number(number)) => Ok(number.to_string()),
            Some(other) => {
                Err(self.field_error(field, format!("{} is not a string", shown(other))))
            }
        }
    }

    /// A non-negative integer field (numeric strings accepted); `None` when absent or `""`.
    pub(super) fn opt_u64(&self, field: &str) -> Result<Option<u64>, ImportError> {
        let not_id = |value: &Value| {
            self.field_error(
                field,
                format!("{} is not a non-negative integer", shown(value)),
            )
        };
        match self.value(field) {
            None => Ok(None),
            Some(Value::String(text)) if text.trim().is_empty() => Ok(None),
            Some(value @ Value::String(text)) => {
                text.trim().parse().map(Some).map_err(|_| not_id(value))
            }
            Some(value @ Value::Number(number)) => {
                number.as_u64().map(Some).ok_or_else(|| not_id(value))
            }
            Some(other) => Err(not_id(other)),
        }
    }

    /// A non-negative integer field; 0 when absent.
    pub(super) fn u64(&self, field: &str) -> Result<u64, ImportError> {
        Ok(self.opt_u64(field)?.unwrap_or(0))
    }

    /// An integer field (numeric strings accepted); `None` when absent or `""`.
    pub(super) fn opt_i64(&self, field: &str) -> Result<Option<i64>, ImportError> {
        let not_integer =
            |value: &Value| self.field_error(field, format!("{} is not an integer", shown(value)));
        match self.value(field) {
            None => Ok(None),
            Some(Value::String(text)) if text.trim().is_empty() => Ok(None),
            Some(value @ Value::String(text)) => text
                .trim()
                .parse()
                .map(Some)
                .map_err(|_| not_integer(value)),
            Some(value @ Value::Number(number)) => {
                number.as_i64().map(Some).ok_or_else(|| not_integer(value))
            }
            Some(other) => Err(not_integer(other)),
        }
    }

    /// An integer field; 0 when absent.
    pub(super) fn i64(&self, field: &str) -> Result<i64, ImportError> {
        Ok(self.opt_i64(field)?.unwrap_or(0))
    }

    /// A boolean field (`true`/`false`, `"yes"`/`"no"`, `"1"`/`"0"`, 1/0); `default` when
    /// absent.
    pub(super) fn bool(&self, field: &str, default: bool) -> Result<bool, ImportError> {
        match self.value(field) {
            None => Ok(default),
            Some(value) => parse_bool(value).ok_or_else(|| {
                self.field_error(field, format!("{} is not a boolean", shown(value)))
            }),
        }
    }

    /// A decimal field (string or number); `None` when absent or `""`.
    pub(super) fn decimal(&self, field: &str) -> Result<Option<Decimal>, ImportError> {
        match self.value(field) {
            None => Ok(None),
            Some(value) => parse_decimal_value(value)
                .map_err(|()| self.field_error(field, format!("{} is not a number", shown(value)))),
        }
    }

    /// A list of IDs (numbers or numeric strings); empty when absent.
    pub(super) fn ids(&self, field: &str) -> Result<Vec<u64>, ImportError> {
        self.array(field)?
            .iter()
            .map(|value| {
                match value {
                    Value::Number(number) => number.as_u64(),
                    Value::String(text) => text.trim().parse().ok(),
                    _ => None,
                }
                .ok_or_else(|| self.field_error(field, format!("{} is not an ID", shown(value))))
            })
            .collect()
    }

    /// A list of strings; empty when absent or `""` (a comma-separated string is split).
    pub(super) fn strings(&self, field: &str) -> Result<Vec<String>, ImportError> {
        match self.value(field) {
            None => Ok(Vec::new()),
            Some(Value::String(text)) => Ok(text
                .split(',')
                .map(str::trim)
                .filter(|part| !part.is_empty())
                .map(str::to_string)
                .collect()),
            Some(Value::Array(items)) => items
                .iter()
                .map(|item| match item {
                    Value::String(text) => Ok(text.clone()),
                    other => {
                        Err(self.field_error(field, format!("{} is not a string", shown(other))))
                    }
                })
                .collect(),
            Some(other) => Err(self.field_error(field, format!("{} is not a list", shown(other)))),
        }
    }

    /// An array field; empty when absent.
    pub(super) fn array(&self, field: &str) -> Result<&'a [Value], ImportError> {
        match self.value(field) {
            None => Ok(&[]),
            Some(Value::Array(items)) => Ok(items),
            Some(other) => Err(self.field_error(field, format!("{} is not a list", shown(other)))),
        }
    }

    /// An instant from `<field>_gmt` (UTC) or, when that is absent, `<field>` (taken as
    /// UTC); `None` when both are absent or empty.
    pub(super) fn instant(&self, field: &str) -> Result<Option<UnixTime>, ImportError> {
        let gmt_field = format!("{field}_gmt");
        for name in [gmt_field.as_str(), field] {
            let text = self.string(name)?;
            if text.is_empty() {
                continue;
            }
            return UnixTime::parse(&text)
                .map(Some)
                .ok_or_else(|| self.field_error(name, format!("\"{text}\" is not a date")));
        }
        Ok(None)
    }

    /// A field holding one of a fixed set of names; `default` when absent or `""`.
    pub(super) fn name<T>(
        &self,
        field: &str,
        parse: impl Fn(&str) -> Option<T>,
        default: T,
        expected: &str,
    ) -> Result<T, ImportError> {
        let text = self.string(field)?;
        if text.is_empty() {
            return Ok(default);
        }
        parse(&text)
            .ok_or_else(|| self.field_error(field, format!("\"{text}\" is not one of {expected}")))
    }
}

/// Reads a boolean in any of WooCommerce's spellings.
pub(super) fn parse_bool(value: &Value) -> Option<bool> {
    match value {
        Value::Bool(flag) => Some(*flag),
        Value::Number(number) => match number.as_i64() {
            Some(0) => Some(false),
            Some(1) => Some(true),
            _ => None,
        },
        Value::String(text) => parse_bool_text(text),
        _ => None,
    }
}

/// Reads `yes`/`no`, `true`/`false`, `1`/`0` (and `""` as false).
pub(super) fn parse_bool_text(text: &str) -> Option<bool> {
    match text.trim().to_ascii_lowercase().as_str() {
        "yes" | "true" | "1" => Some(true),
        "no" | "false" | "0" | "" => Some(false),
        _ => None,
    }
}

/// Reads a decimal from a JSON string or number; `Ok(None)` for `""`.
pub(super) fn parse_decimal_value(value: &Value) -> Result<Option<Decimal>, ()> {
    match value {
        Value::String(text) => parse_decimal_text(text),
        Value::Number(number) => parse_decimal_text(&number.to_string()),
        _ => Err(()),
    }
}

/// Reads a decimal written the way WooCommerce stores it (`"20.00"`, `".5"`); `Ok(None)`
/// for `""`.
pub(super) fn parse_decimal_text(text: &str) -> Result<Option<Decimal>, ()> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    Decimal::from_str(text)
        .or_else(|_| Decimal::from_scientific(text))
        .map(Some)
        .map_err(|_| ())
}
