//! Cart item keys, computed exactly as WooCommerce's `generate_cart_id` does.
//!
//! The key decides whether an add merges into an existing line, and storefronts keep keys
//! across requests, so the same product must land on the same key as on a WooCommerce
//! store (responses-and-errors.md §4.10): `md5` of the `_`-joined parts product id,
//! variation id (when non-zero), the concatenated `attribute+value` pairs, and the
//! concatenated `key+value` pairs of the custom item data (nested values query-encoded).

use serde_json::{Map, Value};

/// The 32-hex item key of a line.
pub fn item_key(
    product_id: u64,
    variation_id: u64,
    variation: &Map<String, Value>,
    item_data: &Map<String, Value>,
) -> String {
    let mut parts = vec![product_id.to_string()];
    if variation_id != 0 {
        parts.push(variation_id.to_string());
    }
    if !variation.is_empty() {
        parts.push(
            variation
                .iter()
                .map(|(name, value)| format!("{}{}", php_trim(name), php_trim(&php_string(value))))
                .collect(),
        );
    }
    if !item_data.is_empty() {
        parts.push(
            item_data
                .iter()
                .map(|(name, value)| {
                    let text = match value {
                        Value::Array(_) | Value::Object(_) => http_build_query(value),
                        scalar => php_string(scalar),
                    };
                    format!("{}{}", php_trim(name), php_trim(&text))
                })
                .collect(),
        );
    }
    format!("{:x}", md5::compute(parts.join("_")))
}

/// PHP's string conversion of a scalar: `true` → `"1"`, `false`/`null` → `""`.
pub fn php_string(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        Value::Bool(true) => "1".to_owned(),
        Value::Bool(false) | Value::Null => String::new(),
        Value::Number(number) => number.to_string(),
        Value::Array(_) | Value::Object(_) => http_build_query(value),
    }
}

fn php_trim(text: &str) -> &str {
    text.trim_matches([' ', '\t', '\n', '\r', '\0', '\x0B'])
}

/// PHP `http_build_query` of an array or object (RFC 1738 encoding, nested keys as
/// `outer[inner]`; `null` members are skipped as PHP does).
fn http_build_query(value: &Value) -> String {
    let mut pairs = Vec::new();
    collect_query_pairs(None, value, &mut pairs);
    pairs.join("&")
}

fn collect_query_pairs(prefix: Option<&str>, value: &Value, pairs: &mut Vec<String>) {
    let members: Vec<(String, &Value)> = match value {
        Value::Array(items) => items
            .iter()
            .enumerate()
            .map(|(i, v)| (i.to_string(), v))
            .collect(),
        Value::Object(map) => map.iter().map(|(k, v)| (k.clone(), v)).collect(),
        _ => return,
    };
    for (name, member) in members {
        let full_name = match prefix {
            Some(outer) => format!("{outer}[{name}]"),
            None => name,
        };
        match member {
            Value::Null => {}
            Value::Array(_) | Value::Object(_) => {
                collect_query_pairs(Some(&full_name), member, pairs)
            }
            scalar => {
                let text = match scalar {
                    Value::Bool(flag) => if *flag { "1" } else { "0" }.to_owned(),
                    other => php_string(other),
                };
                pairs.push(format!("{}={}", urlencode(&full_name), urlencode(&text)));
            }
        }
    }
}

fn urlencode(text: &str) -> String {
    form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn map(value: Value) -> Map<String, Value> {
        value.as_object().cloned().unwrap()
    }

    #[test]
    fn simple_products_hash_their_id() {
        let empty = Map::new();
        // Recordings 02, 08 and 36/37: products 10, 19 and 12.
        assert_eq!(
            item_key(10, 0, &empty, &empty),
            "d3d9446802a44259755d38e6d163e820"
        );
        assert_eq!(
            item_key(19, 0, &empty, &empty),
            "1f0e3dad99908345f7439f8ffabdffc4"
        );
        assert_eq!(
            item_key(12, 0, &empty, &empty),
            "c20ad4d76fe97759aa27a0c99bff6710"
        );
        // responses-and-errors.md §4.10 example.
        assert_eq!(
            item_key(36, 0, &empty, &empty),
            "19ca14e7ea6328a42e0eb13d585e4c22"
        );
    }

    #[test]
    fn variations_hash_parent_variation_and_attributes() {
        let empty = Map::new();
        let blue_m = map(json!({"attribute_pa_color": "blue", "attribute_size": "M"}));
        let red_s = map(json!({"attribute_pa_color": "red", "attribute_size": "S"}));
        // Recordings 06 and 07.
        assert_eq!(
            item_key(21, 24, &blue_m, &empty),
            "6f3c12c9ea9b5d4b817bd22bce9ad2ef"
        );
        assert_eq!(
            item_key(21, 22, &red_s, &empty),
            "83300a07bb0be2fd1a14c4b0a92acb45"
        );
    }

    #[test]
    fn item_data_changes_the_key_and_nested_values_are_query_encoded() {
        let empty = Map::new();
        let engraving = map(json!({"engraving": " Ann "}));
        assert_eq!(
            item_key(10, 0, &empty, &engraving),
            format!("{:x}", md5::compute("10_engravingAnn"))
        );
        let nested = map(json!({"gift": {"to": "Ann Lee", "wrap": true}}));
        assert_eq!(
            item_key(10, 0, &empty, &nested),
            format!("{:x}", md5::compute("10_giftto=Ann+Lee&wrap=1"))
        );
    }
}
