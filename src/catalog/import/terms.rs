//! Finding terms and global attributes by name, and creating the ones an export refers
//! to without defining them (the product CSV has no term IDs at all; a JSON folder may
//! lack `attributes.json` or `categories.json`). New IDs follow the highest known one, so
//! importing the same file again yields the same IDs.

use crate::catalog::model::{AttributeTaxonomy, CatalogData, Term};
use crate::catalog::slug::sanitize_title;

/// The ID of the term of `taxonomy` called `name` (or whose slug is `name` or its slug
/// form) under `parent` (`None` = any parent).
pub(super) fn find_term(
    data: &CatalogData,
    taxonomy: &str,
    name: &str,
    parent: Option<u64>,
) -> Option<u64> {
    let candidates = || {
        data.terms
            .iter()
            .filter(move |term| term.taxonomy == taxonomy)
            .filter(move |term| parent.is_none_or(|parent| term.parent == parent))
    };
    let slug = sanitize_title(name);
    candidates()
        .find(|term| term.name == name)
        .or_else(|| candidates().find(|term| term.slug == name || term.slug == slug))
        .map(|term| term.id)
}

/// The ID of the term of `taxonomy` called `name` under `parent`, created when missing.
pub(super) fn ensure_term(data: &mut CatalogData, taxonomy: &str, name: &str, parent: u64) -> u64 {
    if let Some(id) = find_term(data, taxonomy, name, Some(parent)) {
        return id;
    }
    let id = data.terms.iter().map(|term| term.id).max().unwrap_or(0) + 1;
    data.terms.push(Term {
        parent,
        ..Term::new(id, taxonomy, name, &sanitize_title(name))
    });
    id
}

/// Adds a term with a known ID unless one with that ID exists.
pub(super) fn ensure_term_with_id(
    data: &mut CatalogData,
    id: u64,
    taxonomy: &str,
    name: &str,
    slug: &str,
) {
    if data.terms.iter().any(|term| term.id == id) {
        return;
    }
    let slug = if slug.is_empty() {
        sanitize_title(name)
    } else {
        slug.to_string()
    };
    data.terms.push(Term::new(id, taxonomy, name, &slug));
}

/// The global attribute with `id` (when non-zero) or whose label or slug matches `label`,
/// created when missing (with `id` when non-zero, else the next free ID). Returns its ID
/// and taxonomy name.
pub(super) fn ensure_attribute(
    data: &mut CatalogData,
    id: u64,
    label: &str,
    slug_hint: &str,
) -> (u64, String) {
    let slug = if slug_hint.is_empty() {
        sanitize_title(label)
    } else {
        sanitize_title(slug_hint.trim_start_matches("pa_"))
    };
    let found = data.attributes.iter().find(|attribute| {
        if id != 0 {
            attribute.id == id
        } else {
            attribute.label == label || attribute.name == slug
        }
    });
    if let Some(attribute) = found {
        return (attribute.id, attribute.taxonomy());
    }
    let id = if id != 0 {
        id
    } else {
        data.attributes
            .iter()
            .map(|attribute| attribute.id)
            .max()
            .unwrap_or(0)
            + 1
    };
    let attribute = AttributeTaxonomy {
        id,
        name: slug,
        label: label.to_string(),
        attribute_type: "select".to_string(),
        order_by: "menu_order".to_string(),
        has_archives: false,
    };
    let taxonomy = attribute.taxonomy();
    data.attributes.push(attribute);
    (id, taxonomy)
}
