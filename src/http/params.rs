//! Request parameters the WordPress way: parsed from every source, merged with a fixed
//! precedence, then validated and coerced against the route's declared arguments.
//!
//! Storefronts written for CoCart send the same parameter as JSON, as a form field or in
//! the query string, and rely on WordPress's quirks: PHP-style `name[key]=value`
//! brackets, `"1"` accepted for an integer, `"true"` for a boolean, a JSON number refused
//! for a string. Reproducing them here, once, keeps every handler free of parsing.

use serde_json::{Map, Value, json};

use crate::error::ApiError;

/// The parameters of one request, kept per source (some rules, such as where a cart key
/// may come from, care about the source) and merged.
#[derive(Debug, Default, Clone)]
pub struct Params {
    /// Members of a JSON object body (only with a JSON content type).
    pub json: Map<String, Value>,
    /// Fields of a form-encoded body.
    pub form: Map<String, Value>,
    /// The query string.
    pub query: Map<String, Value>,
    /// Captures of the route pattern.
    pub path: Map<String, Value>,
    /// The merged view handlers read: JSON, then form, then query, then path, then the
    /// declared defaults; the first source that has a name wins.
    pub merged: Map<String, Value>,
}

impl Params {
    /// Merges the sources in WordPress's order and adds the declared defaults.
    pub fn merge(&mut self, args: &Map<String, Value>) {
        let mut merged = Map::new();
        for source in [&self.json, &self.form, &self.query, &self.path] {
            for (name, value) in source {
                if !merged.contains_key(name) {
                    merged.insert(name.clone(), value.clone());
                }
            }
        }
        for (name, schema) in args {
            if let Some(default) = schema.get("default")
                && !merged.contains_key(name)
            {
                merged.insert(name.clone(), default.clone());
            }
        }
        self.merged = merged;
    }

    /// A merged parameter.
    pub fn get(&self, name: &str) -> Option<&Value> {
        self.merged.get(name)
    }

    /// A merged string parameter, if present and a string.
    pub fn str(&self, name: &str) -> Option<&str> {
        self.merged.get(name).and_then(Value::as_str)
    }

    /// A merged boolean parameter (already coerced by validation), `false` when absent.
    pub fn flag(&self, name: &str) -> bool {
        self.merged
            .get(name)
            .and_then(Value::as_bool)
            .unwrap_or(false)
    }

    /// Checks required arguments, validates every declared argument against its schema and
    /// coerces it to its declared type, as WordPress's `has_valid_params` and
    /// `sanitize_params` do.
    pub fn validate(&mut self, args: &Map<String, Value>) -> Result<(), ApiError> {
        let missing: Vec<&String> = args
            .iter()
            .filter(|(name, schema)| {
                schema.get("required") == Some(&Value::Bool(true))
                    && self.merged.get(*name).is_none_or(Value::is_null)
            })
            .map(|(name, _)| name)
            .collect();
        if !missing.is_empty() {
            let names: Vec<&str> = missing.iter().map(|s| s.as_str()).collect();
            return Err(ApiError::new(
                400,
                "rest_missing_callback_param",
                format!("Missing parameter(s): {}", names.join(", ")),
            )
            .with_data("params", json!(names)));
        }
        let mut invalid = Map::new();
        let mut details = Map::new();
        for (name, schema) in args {
            let Some(value) = self.merged.get(name) else {
                continue;
            };
            if value.is_null() {
                continue;
            }
            match check(value, schema, name) {
                Ok(coerced) => {
                    if custom_validator_accepts(schema, &coerced) {
                        self.merged.insert(name.clone(), coerced);
                    } else {
                        invalid.insert(name.clone(), json!("Invalid parameter."));
                    }
                }
                Err(problem) => {
                    invalid.insert(name.clone(), json!(problem.message));
                    details.insert(
                        name.clone(),
                        json!({"code": problem.code, "message": problem.message, "data": {"param": name}}),
                    );
                }
            }
        }
        if invalid.is_empty() {
            return Ok(());
        }
        let names: Vec<&str> = invalid.keys().map(String::as_str).collect();
        let details = if details.is_empty() {
            json!([])
        } else {
            Value::Object(details)
        };
        Err(ApiError::new(
            400,
            "rest_invalid_param",
            format!("Invalid parameter(s): {}", names.join(", ")),
        )
        .with_data("params", Value::Object(invalid))
        .with_data("details", details))
    }
}

/// Why a value does not fit its schema, in WordPress's words.
#[derive(Debug, PartialEq)]
pub struct SchemaProblem {
    /// `rest_invalid_type`, `rest_not_in_enum`, `rest_out_of_bounds`, ...
    pub code: &'static str,
    /// e.g. `id is not of type string.`
    pub message: String,
}

fn problem(code: &'static str, message: String) -> SchemaProblem {
    SchemaProblem { code, message }
}

/// Validates `value` against a WordPress argument schema and returns it coerced to the
/// declared type (`"2"` → `2` for an integer, `"true"` → `true` for a boolean, ...).
pub fn check(value: &Value, schema: &Value, name: &str) -> Result<Value, SchemaProblem> {
    let types: Vec<&str> = match schema.get("type") {
        Some(Value::String(t)) => vec![t.as_str()],
        Some(Value::Array(list)) => list.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    let coerced = if types.is_empty() {
        value.clone()
    } else {
        types.iter().find_map(|t| coerce(value, t)).ok_or_else(|| {
            problem(
                "rest_invalid_type",
                format!("{name} is not of type {}.", types.join(",")),
            )
        })?
    };
    if let Some(Value::Array(allowed)) = schema.get("enum")
        && !allowed.iter().any(|a| loosely_equal(a, &coerced))
    {
        let list: Vec<String> = allowed.iter().map(enum_display).collect();
        return Err(problem(
            "rest_not_in_enum",
            format!("{name} is not one of {}.", list.join(", ")),
        ));
    }
    if let Some(number) = coerced.as_f64() {
        if let Some(min) = schema.get("minimum").and_then(Value::as_f64)
            && number < min
        {
            return Err(problem(
                "rest_out_of_bounds",
                format!("{name} must be greater than or equal to {min}"),
            ));
        }
        if let Some(max) = schema.get("maximum").and_then(Value::as_f64)
            && number > max
        {
            return Err(problem(
                "rest_out_of_bounds",
                format!("{name} must be less than or equal to {max}"),
            ));
        }
    }
    match (&coerced, schema.get("items")) {
        (Value::Array(items), Some(item_schema)) => {
            let checked = items
                .iter()
                .enumerate()
                .map(|(i, item)| check(item, item_schema, &format!("{name}[{i}]")))
                .collect::<Result<Vec<_>, _>>()?;
            Ok(Value::Array(checked))
        }
        _ => Ok(coerced),
    }
}

/// Converts `value` to the WordPress type `ty` if WordPress would accept it as one.
fn coerce(value: &Value, ty: &str) -> Option<Value> {
    match (ty, value) {
        ("string", Value::String(_)) => Some(value.clone()),
        ("integer", Value::Number(n)) => n.as_i64().map(Value::from).or_else(|| {
            n.as_f64()
                .filter(|f| f.fract() == 0.0)
                .map(|f| json!(f as i64))
        }),
        ("integer", Value::String(s)) => s.trim().parse::<i64>().ok().map(Value::from),
        ("number", Value::Number(_)) => Some(value.clone()),
        ("number", Value::String(s)) => {
            let s = s.trim();
            s.parse::<i64>().map(Value::from).ok().or_else(|| {
                s.parse::<f64>()
                    .ok()
                    .filter(|f| f.is_finite())
                    .map(Value::from)
            })
        }
        ("boolean", Value::Bool(_)) => Some(value.clone()),
        ("boolean", Value::Number(n)) => match n.as_i64() {
            Some(0) => Some(Value::Bool(false)),
            Some(1) => Some(Value::Bool(true)),
            _ => None,
        },
        ("boolean", Value::String(s)) => match s.to_ascii_lowercase().as_str() {
            "true" | "1" => Some(Value::Bool(true)),
            "false" | "0" => Some(Value::Bool(false)),
            _ => None,
        },
        ("array", Value::Array(_)) => Some(value.clone()),
        // WordPress reads a comma-separated string as a list.
        ("array", Value::String(s)) => Some(Value::Array(
            s.split(',')
                .map(str::trim)
                .filter(|p| !p.is_empty())
                .map(|p| Value::String(p.to_owned()))
                .collect(),
        )),
        // PHP has one array type, so a list counts as an object and "" as an empty one.
        ("object", Value::Object(_) | Value::Array(_)) => Some(value.clone()),
        ("object", Value::String(s)) if s.is_empty() => Some(Value::Object(Map::new())),
        ("null", Value::Null) => Some(Value::Null),
        ("null", Value::String(s)) if s.is_empty() => Some(Value::Null),
        _ => None,
    }
}

fn loosely_equal(allowed: &Value, value: &Value) -> bool {
    match (allowed, value) {
        (Value::Number(a), Value::Number(b)) => a.as_f64() == b.as_f64(),
        _ => allowed == value,
    }
}

fn enum_display(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// The project's own validators, named in a schema's `validate` member (which the route
/// index never shows). A failure reads "Invalid parameter." as WordPress's custom
/// validate callbacks do.
fn custom_validator_accepts(schema: &Value, value: &Value) -> bool {
    match schema.get("validate").and_then(Value::as_str) {
        Some("numeric") => is_php_numeric(value),
        Some("object_or_empty") => matches!(value, Value::Object(_) | Value::Array(_)),
        _ => true,
    }
}

/// PHP's `is_numeric`: a number, or a string holding one (leading whitespace allowed).
pub fn is_php_numeric(value: &Value) -> bool {
    match value {
        Value::Number(_) => true,
        Value::String(s) => {
            let s = s.trim_start();
            !s.is_empty()
                && !s.ends_with(char::is_whitespace)
                && s.parse::<f64>().is_ok_and(f64::is_finite)
                && !s.contains(['x', 'X', '_'])
                && !s.eq_ignore_ascii_case("inf")
                && !s.eq_ignore_ascii_case("nan")
        }
        _ => false,
    }
}

/// Parses a query string or form body the way PHP fills `$_GET`/`$_POST`: `a[b]=1`
/// makes an object, `a[]=1&a[]=2` a list, and a later plain `a=` replaces earlier ones.
pub fn parse_php_query(input: &str) -> Map<String, Value> {
    let mut out = Map::new();
    for (raw_name, value) in form_urlencoded::parse(input.as_bytes()) {
        let (base, path) = split_brackets(&raw_name);
        if base.is_empty() {
            continue;
        }
        insert_path(&mut out, &base, &path, Value::String(value.into_owned()));
    }
    out
}

/// `a[b][]` → (`a`, [`b`, ``]). PHP turns spaces and dots in the base name into `_`.
fn split_brackets(name: &str) -> (String, Vec<String>) {
    let (base, mut rest) = match name.find('[') {
        Some(i) if name[i..].contains(']') => (&name[..i], &name[i..]),
        _ => (name, ""),
    };
    let base = base.replace([' ', '.'], "_");
    let mut path = Vec::new();
    while let Some(stripped) = rest.strip_prefix('[') {
        match stripped.find(']') {
            Some(end) => {
                path.push(stripped[..end].to_owned());
                rest = &stripped[end + 1..];
            }
            None => break,
        }
    }
    (base, path)
}

fn insert_path(target: &mut Map<String, Value>, key: &str, path: &[String], value: Value) {
    let Some((next, rest)) = path.split_first() else {
        target.insert(key.to_owned(), value);
        return;
    };
    let slot = target
        .entry(key.to_owned())
        .or_insert_with(|| Value::Object(Map::new()));
    if !slot.is_object() {
        *slot = Value::Object(Map::new());
    }
    let Value::Object(inner) = slot else {
        return;
    };
    let next = if next.is_empty() {
        // `a[]`: the next integer index, as PHP appends.
        inner
            .keys()
            .filter_map(|k| k.parse::<u64>().ok())
            .max()
            .map_or(0, |m| m + 1)
            .to_string()
    } else {
        next.clone()
    };
    insert_path(inner, &next, rest, value);
}

/// Turns PHP-style objects whose keys are 0, 1, 2, ... into JSON lists, as PHP's
/// `json_encode` would show them and as array-typed arguments expect.
pub fn listify(value: Value) -> Value {
    match value {
        Value::Object(map) => {
            let is_list = map
                .keys()
                .enumerate()
                .all(|(i, k)| k.parse::<usize>() == Ok(i));
            if is_list && !map.is_empty() {
                Value::Array(map.into_iter().map(|(_, v)| listify(v)).collect())
            } else {
                Value::Object(map.into_iter().map(|(k, v)| (k, listify(v))).collect())
            }
        }
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(value: Value) -> Map<String, Value> {
        value.as_object().unwrap().clone()
    }

    #[test]
    fn php_brackets_build_objects_and_lists() {
        let parsed = parse_php_query(
            "variation[attribute_pa_color]=blue&variation[attribute_size]=M&ids[]=1&ids[]=2&a.b=3",
        );
        assert_eq!(
            Value::Object(parsed).to_string(),
            r#"{"variation":{"attribute_pa_color":"blue","attribute_size":"M"},"ids":{"0":"1","1":"2"},"a_b":"3"}"#
        );
        assert_eq!(listify(json!({"0": "1", "1": "2"})), json!(["1", "2"]));
    }

    #[test]
    fn first_source_wins_and_defaults_fill_gaps() {
        let mut params = Params {
            json: args(json!({"id": "json"})),
            form: args(json!({"id": "form", "q": "form"})),
            query: args(json!({"q": "query", "item_key": "query"})),
            path: args(json!({"item_key": "path"})),
            merged: Map::new(),
        };
        params.merge(&args(
            json!({"thumb": {"type": "boolean", "default": true}}),
        ));
        assert_eq!(
            Value::Object(params.merged.clone()),
            json!({"id": "json", "q": "form", "item_key": "query", "thumb": true})
        );
    }

    #[test]
    fn coercion_follows_wordpress() {
        let int = json!({"type": "integer"});
        assert_eq!(check(&json!("2"), &int, "page"), Ok(json!(2)));
        assert_eq!(
            check(&json!("abc"), &int, "page").unwrap_err().message,
            "page is not of type integer."
        );
        let boolean = json!({"type": "boolean"});
        for (input, out) in [("true", true), ("0", false), ("1", true), ("FALSE", false)] {
            assert_eq!(check(&json!(input), &boolean, "b"), Ok(json!(out)));
        }
        assert!(check(&json!("yes"), &boolean, "b").is_err());
        assert_eq!(
            check(&json!(2), &json!({"type": "string"}), "id")
                .unwrap_err()
                .message,
            "id is not of type string."
        );
        let per_page = json!({"type": "integer", "minimum": 1, "maximum": 100});
        assert_eq!(
            check(&json!("101"), &per_page, "per_page")
                .unwrap_err()
                .message,
            "per_page must be less than or equal to 100"
        );
        let order = json!({"type": "string", "enum": ["asc", "desc"]});
        assert_eq!(
            check(&json!("up"), &order, "order").unwrap_err().message,
            "order is not one of asc, desc."
        );
        assert_eq!(
            check(
                &json!("1,2"),
                &json!({"type": "array", "items": {"type": "integer"}}),
                "include"
            ),
            Ok(json!([1, 2]))
        );
    }

    #[test]
    fn missing_and_invalid_params_answer_like_wordpress() {
        let declared = args(json!({
            "id": {"type": "string", "required": true},
            "quantity": {"type": "string", "default": "1", "required": true, "validate": "numeric"},
        }));
        let mut params = Params::default();
        params.merge(&declared);
        let err = params.validate(&declared).unwrap_err();
        assert_eq!(
            err.to_json().to_string(),
            r#"{"code":"rest_missing_callback_param","message":"Missing parameter(s): id","data":{"status":400,"params":["id"]}}"#
        );

        let mut params = Params {
            json: args(json!({"id": "13", "quantity": "abc"})),
            ..Params::default()
        };
        params.merge(&declared);
        assert_eq!(
            params
                .validate(&declared)
                .unwrap_err()
                .to_json()
                .to_string(),
            r#"{"code":"rest_invalid_param","message":"Invalid parameter(s): quantity","data":{"status":400,"params":{"quantity":"Invalid parameter."},"details":[]}}"#
        );

        let mut params = Params {
            json: args(json!({"id": "13", "quantity": 2})),
            ..Params::default()
        };
        params.merge(&declared);
        assert_eq!(
            params
                .validate(&declared)
                .unwrap_err()
                .to_json()
                .to_string(),
            r#"{"code":"rest_invalid_param","message":"Invalid parameter(s): quantity","data":{"status":400,"params":{"quantity":"quantity is not of type string."},"details":{"quantity":{"code":"rest_invalid_type","message":"quantity is not of type string.","data":{"param":"quantity"}}}}}"#
        );
    }

    #[test]
    fn php_numeric() {
        for ok in ["1", "2.5", " 3", "-1", "1e3", ".5"] {
            assert!(is_php_numeric(&json!(ok)), "{ok}");
        }
        for bad in ["abc", "", "1 ", "0x1A", "inf", "NaN", "1_000"] {
            assert!(!is_php_numeric(&json!(bad)), "{bad}");
        }
    }
}
