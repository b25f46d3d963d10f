//! Identifier resolution (product-model §6.2) and the variation rules of §5: attribute
//! keys, matching a selection to a variation, validating a selection against the chosen
//! variation, and the generated variation name.
//!
//! The errors carry what the cart needs to build CoCart's codes and (filterable) messages.

use thiserror::Error;

use super::Catalog;
use super::model::{AttributeOptions, PostStatus, Product, ProductAttribute};
use super::slug::sanitize_title;

/// A posted or stored attribute selection: `("attribute_<key>", value)` pairs in order
/// (the order takes part in the cart item key).
pub type Selection = Vec<(String, String)>;

/// Why an `id` could not be resolved (product-model §6.2).
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum IdentifierError {
    /// Empty (or `"0"`): 404 `cocart_product_id_required`.
    #[error("Product ID number is required!")]
    Required,
    /// Not numeric and no product or variation has this SKU: 404
    /// `cocart_unknown_product_id` in v2 (v1 treats it as ID 0).
    #[error(
        "Product does not exist! Check that you have submitted a product ID or SKU ID correctly for a product that exists."
    )]
    UnknownSku(String),
}

impl IdentifierError {
    /// CoCart's v2 error code.
    pub fn code(&self) -> &'static str {
        match self {
            IdentifierError::Required => "cocart_product_id_required",
            IdentifierError::UnknownSku(_) => "cocart_unknown_product_id",
        }
    }
}

/// Why a selection does not lead to a variation (product-model §5.3, §5.4).
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum VariationError {
    /// The variation's parent is missing or trashed: 404
    /// `cocart_cart_invalid_parent_product`.
    #[error("This product cannot be added to the cart.")]
    InvalidParent,
    /// No published variation matches: 404 `cocart_no_variation_found`.
    #[error("No matching variation found.")]
    NoMatch,
    /// A posted value is not allowed: 400 `cocart_invalid_variation_data` (message through
    /// `cocart_invalid_variation_data_message(message, label, allowed)`).
    #[error("Invalid value posted for {label}. Allowed values: {}", allowed.join(", "))]
    InvalidValue {
        /// The attribute label.
        label: String,
        /// The allowed values (term slugs or option texts).
        allowed: Vec<String>,
    },
    /// "Any" attributes were not posted: 400 `cocart_missing_variation_data` (message
    /// through `cocart_missing_variation_data_message(message, count, list)`).
    #[error(
        "Missing variation data for variable product. {} {}",
        format_list(labels),
        if labels.len() == 1 { "is a required field." } else { "are required fields." }
    )]
    Missing {
        /// The labels of the missing attributes, in the parent's attribute order.
        labels: Vec<String>,
    },
}

impl VariationError {
    /// CoCart's error code.
    pub fn code(&self) -> &'static str {
        match self {
            VariationError::InvalidParent => "cocart_cart_invalid_parent_product",
            VariationError::NoMatch => "cocart_no_variation_found",
            VariationError::InvalidValue { .. } => "cocart_invalid_variation_data",
            VariationError::Missing { .. } => "cocart_missing_variation_data",
        }
    }

    /// The HTTP status CoCart answers with.
    pub fn status(&self) -> u16 {
        match self {
            VariationError::InvalidParent | VariationError::NoMatch => 404,
            VariationError::InvalidValue { .. } | VariationError::Missing { .. } => 400,
        }
    }
}

/// WooCommerce's `wc_format_list_of_items`: `A`, `A and B`, `A, B and C`.
pub fn format_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [only] => only.clone(),
        [head @ .., last] => format!("{} and {last}", head.join(", ")),
    }
}

/// PHP's `is_numeric` for a request string: optional leading whitespace, sign, digits
/// with an optional fraction, optional exponent, optional trailing whitespace.
fn php_numeric(raw: &str) -> Option<f64> {
    let text = raw.trim_start_matches([' ', '\t', '\n', '\r', '\u{0b}', '\u{0c}']);
    let text = text.trim_end_matches([' ', '\t', '\n', '\r', '\u{0b}', '\u{0c}']);
    let body = text.strip_prefix(['+', '-']).unwrap_or(text);
    let (mantissa, exponent) = match body.find(['e', 'E']) {
        Some(position) => (&body[..position], Some(&body[position + 1..])),
        None => (body, None),
    };
    let (integer, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digits = |part: &str| part.bytes().all(|b| b.is_ascii_digit());
    let valid_mantissa =
        digits(integer) && digits(fraction) && !(integer.is_empty() && fraction.is_empty());
    let valid_exponent = exponent.is_none_or(|exp| {
        let exp = exp.strip_prefix(['+', '-']).unwrap_or(exp);
        !exp.is_empty() && digits(exp)
    });
    if !(valid_mantissa && valid_exponent) {
        return None;
    }
    text.parse().ok()
}

impl Catalog {
    /// Resolves a posted `id` (product-model §6.2): numeric values are IDs (truncated like
    /// PHP's `(int)`; negative ones become 0, which never exists), anything else is looked
    /// up as a SKU among products and variations that are not trashed.
    pub fn resolve_identifier(&self, raw: &str) -> Result<u64, IdentifierError> {
        if raw.is_empty() || raw == "0" {
            return Err(IdentifierError::Required);
        }
        match php_numeric(raw) {
            Some(number) if number >= 1.0 && number < u64::MAX as f64 => Ok(number as u64),
            Some(_) => Ok(0),
            None => self
                .product_by_sku(raw)
                .map(|product| product.id())
                .ok_or_else(|| IdentifierError::UnknownSku(raw.to_string())),
        }
    }

    /// The attribute key of a product attribute: `sanitize_title(name)` (`pa_color`,
    /// `gift-wrap`); the request form prefixes `attribute_`.
    pub fn attribute_key(attribute: &ProductAttribute) -> String {
        sanitize_title(&attribute.name)
    }

    /// The label of a product attribute: the global attribute's label, or the custom name.
    pub fn attribute_label(&self, attribute: &ProductAttribute) -> String {
        match &attribute.options {
            AttributeOptions::Terms(_) => self
                .attribute(attribute.id)
                .or_else(|| {
                    let taxonomy = attribute.name.as_str();
                    self.attribute_by_taxonomy(taxonomy)
                })
                .map_or_else(|| attribute.name.clone(), |found| found.label.clone()),
            AttributeOptions::Values(_) => attribute.name.clone(),
        }
    }

    /// The allowed values of a product attribute (§5.1): the assigned terms' slugs for
    /// global attributes, the option strings for custom ones.
    pub fn attribute_slugs(&self, attribute: &ProductAttribute) -> Vec<String> {
        match &attribute.options {
            AttributeOptions::Terms(ids) => ids
                .iter()
                .filter_map(|&id| self.term(id))
                .map(|term| term.slug.clone())
                .collect(),
            AttributeOptions::Values(values) => values.clone(),
        }
    }

    /// The display name of an attribute value: the term name for a global attribute, the
    /// value itself otherwise.
    pub fn attribute_value_name(&self, attribute: &ProductAttribute, value: &str) -> String {
        match &attribute.options {
            AttributeOptions::Terms(_) => self
                .term_by_slug(&attribute.name, value)
                .map_or_else(|| value.to_string(), |term| term.name.clone()),
            AttributeOptions::Values(_) => value.to_string(),
        }
    }

    /// The parent's attributes used for variations, in the parent's order.
    fn variation_attributes_of(parent: &Product) -> impl Iterator<Item = &ProductAttribute> {
        let mut attributes: Vec<&ProductAttribute> = parent
            .attributes
            .iter()
            .filter(|attribute| attribute.variation)
            .collect();
        attributes.sort_by_key(|attribute| attribute.position);
        attributes.into_iter()
    }

    /// A variation's attributes as `("attribute_<key>", value)` for every variation
    /// attribute of its parent, `""` meaning any (`wc_get_product_variation_attributes`).
    pub fn variation_selection(&self, variation: &Product) -> Selection {
        let Some(parent) = self.product(variation.parent_id) else {
            return Selection::new();
        };
        Self::variation_attributes_of(parent.record())
            .map(|attribute| {
                let key = Self::attribute_key(attribute);
                let value = variation
                    .variation_attributes
                    .iter()
                    .find(|stored| stored.key == key)
                    .map_or_else(String::new, |stored| stored.value.clone());
                (format!("attribute_{key}"), value)
            })
            .collect()
    }

    /// The first published variation of `parent_id` (by `menu_order`, then ID) matching
    /// `selection` (§5.3).
    pub fn find_matching_variation(
        &self,
        parent_id: u64,
        selection: &[(String, String)],
    ) -> Result<u64, VariationError> {
        let posted = |key: &str| {
            selection
                .iter()
                .find(|(posted_key, _)| posted_key == key)
                .map(|(_, value)| value.as_str())
        };
        self.variation_ids(parent_id)
            .iter()
            .filter_map(|&id| self.product(id))
            .filter(|variation| variation.record().status == PostStatus::Publish)
            .find(|variation| {
                self.variation_selection(variation.record())
                    .iter()
                    .all(|(key, stored)| stored.is_empty() || posted(key) == Some(stored))
            })
            .map(|variation| variation.id())
            .ok_or(VariationError::NoMatch)
    }

    /// Validates `selection` against the variation `variation_id` (§5.4) and returns the
    /// selection to store: the posted pairs in their order, followed by the variation's
    /// fixed values that were not posted, in the parent's attribute order.
    pub fn validate_variation_selection(
        &self,
        variation_id: u64,
        selection: &[(String, String)],
    ) -> Result<Selection, VariationError> {
        let variation = self
            .product(variation_id)
            .ok_or(VariationError::InvalidParent)?;
        let parent = variation
            .parent()
            .filter(|parent| parent.exists())
            .ok_or(VariationError::InvalidParent)?;
        let expected = self.variation_selection(variation.record());
        let mut result: Selection = selection.to_vec();
        let mut missing = Vec::new();
        for attribute in Self::variation_attributes_of(parent.record()) {
            let key = format!("attribute_{}", Self::attribute_key(attribute));
            let expected_value = expected
                .iter()
                .find(|(expected_key, _)| *expected_key == key)
                .map_or("", |(_, value)| value.as_str());
            let label = self.attribute_label(attribute);
            match selection.iter().find(|(posted_key, _)| *posted_key == key) {
                Some((_, given)) => {
                    let allowed = self.attribute_slugs(attribute);
                    if given != expected_value
                        && !(expected_value.is_empty() && allowed.contains(given))
                    {
                        return Err(VariationError::InvalidValue { label, allowed });
                    }
                }
                None if expected_value.is_empty() => missing.push(label),
                None => result.push((key, expected_value.to_string())),
            }
        }
        if missing.is_empty() {
            Ok(result)
        } else {
            Err(VariationError::Missing { labels: missing })
        }
    }

    /// The generated name of a variation (§5.6): `"<parent name> - <values>"`, the values
    /// being term names or option texts in the parent's attribute order (any-values
    /// skipped); just the parent name when the variation has 3 or more attributes, or 2 or
    /// more and one of their keys contains `-`.
    pub fn variation_display_name(&self, variation: &Product) -> String {
        let Some(parent) = self.product(variation.parent_id) else {
            return variation.name.clone();
        };
        let parent = parent.record();
        let selection = self.variation_selection(variation);
        let include_values = selection.len() < 3
            && (selection.len() < 2
                || !selection
                    .iter()
                    .any(|(key, _)| key.trim_start_matches("attribute_").contains('-')));
        let values: Vec<String> = Self::variation_attributes_of(parent)
            .zip(&selection)
            .filter(|(_, (_, value))| !value.is_empty())
            .map(|(attribute, (_, value))| self.attribute_value_name(attribute, value))
            .collect();
        if include_values && !values.is_empty() {
            format!("{} - {}", parent.name, values.join(", "))
        } else {
            parent.name.clone()
        }
    }

    /// The label and display value of each pair of a stored selection (cart
    /// `meta.variation`), for the attributes the parent knows.
    pub fn describe_selection(
        &self,
        parent_id: u64,
        selection: &[(String, String)],
    ) -> Vec<(String, String)> {
        let Some(parent) = self.product(parent_id) else {
            return Vec::new();
        };
        selection
            .iter()
            .filter_map(|(key, value)| {
                let attribute = parent.record().attributes.iter().find(|attribute| {
                    key.strip_prefix("attribute_") == Some(&Self::attribute_key(attribute))
                })?;
                Some((
                    self.attribute_label(attribute),
                    self.attribute_value_name(attribute, value),
                ))
            })
            .collect()
    }
}
