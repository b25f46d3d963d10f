//! Merging and validating [`CatalogData`]: importing the same file twice must change
//! nothing, and a snapshot must never be built from records that contradict each other
//! (a variation whose parent is unknown, two products sharing a SKU, …).

use std::collections::{HashMap, HashSet};

use thiserror::Error;

use super::model::{
    AttributeOptions, CATEGORY_TAXONOMY, CatalogData, PostStatus, ProductType, TAG_TAXONOMY,
};

/// A contradiction inside [`CatalogData`], naming the record.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum DataError {
    /// Two records of one kind share an ID.
    #[error("{entity} {id}: the ID is used twice")]
    DuplicateId {
        /// The entity kind (`product`, `term`, …).
        entity: &'static str,
        /// The repeated ID.
        id: String,
    },
    /// A variation points at a product that does not exist.
    #[error("product {variation}: variation of unknown parent {parent}")]
    UnknownParent {
        /// The variation.
        variation: u64,
        /// Its `parent_id`.
        parent: u64,
    },
    /// A variation's parent is not a variable product.
    #[error("product {variation}: parent {parent} is not a variable product")]
    ParentNotVariable {
        /// The variation.
        variation: u64,
        /// Its `parent_id`.
        parent: u64,
    },
    /// Two records that are not trashed share a SKU.
    #[error("product {second}: SKU \"{sku}\" is already used by product {first}")]
    DuplicateSku {
        /// The SKU.
        sku: String,
        /// The record with the lower ID.
        first: u64,
        /// The other record.
        second: u64,
    },
    /// A product uses a global attribute that is not defined.
    #[error("product {product}: unknown global attribute {attribute}")]
    UnknownAttribute {
        /// The product.
        product: u64,
        /// The attribute ID.
        attribute: u64,
    },
    /// A product refers to a term that does not exist in the expected taxonomy.
    #[error("product {product}: unknown {taxonomy} term {term}")]
    UnknownTerm {
        /// The product.
        product: u64,
        /// The taxonomy the term should belong to.
        taxonomy: String,
        /// The term ID.
        term: u64,
    },
    /// A record refers to a product that does not exist.
    #[error("{entity} {id}: unknown product {product}")]
    UnknownProduct {
        /// The referring entity kind.
        entity: &'static str,
        /// The referring record.
        id: u64,
        /// The missing product ID.
        product: u64,
    },
}

/// Replaces the records of `existing` that share a key with one in `incoming`, in place,
/// and appends the others in their incoming order.
fn upsert_by<T, K: std::hash::Hash + Eq>(
    existing: &mut Vec<T>,
    incoming: Vec<T>,
    key: impl Fn(&T) -> K,
) {
    let mut positions: HashMap<K, usize> = existing
        .iter()
        .enumerate()
        .map(|(position, record)| (key(record), position))
        .collect();
    for record in incoming {
        let record_key = key(&record);
        match positions.get(&record_key) {
            Some(&position) => existing[position] = record,
            None => {
                positions.insert(record_key, existing.len());
                existing.push(record);
            }
        }
    }
}

fn check_unique_ids<T>(
    records: &[T],
    entity: &'static str,
    key: impl Fn(&T) -> String,
) -> Result<(), DataError> {
    let mut seen = HashSet::new();
    for record in records {
        let id = key(record);
        if !seen.insert(id.clone()) {
            return Err(DataError::DuplicateId { entity, id });
        }
    }
    Ok(())
}

impl CatalogData {
    /// Upserts every record of `other` by its ID (tax classes by slug): records with a
    /// known ID replace the old record in place, new ones are appended. Settings are
    /// replaced when `other` carries some. Merging the same data twice equals merging once.
    pub fn merge(&mut self, other: CatalogData) {
        if other.settings.is_some() {
            self.settings = other.settings;
        }
        upsert_by(&mut self.products, other.products, |p| p.id);
        upsert_by(&mut self.attributes, other.attributes, |a| a.id);
        upsert_by(&mut self.terms, other.terms, |t| t.id);
        upsert_by(&mut self.images, other.images, |i| i.id);
        upsert_by(&mut self.reviews, other.reviews, |r| r.id);
        upsert_by(&mut self.tax_classes, other.tax_classes, |c| c.slug.clone());
        upsert_by(&mut self.tax_rates, other.tax_rates, |r| r.id);
        upsert_by(&mut self.shipping_zones, other.shipping_zones, |z| z.id);
        upsert_by(&mut self.shipping_classes, other.shipping_classes, |c| c.id);
        upsert_by(&mut self.coupons, other.coupons, |c| c.id);
    }

    /// Checks that the records agree with each other: unique IDs per entity, variations
    /// under existing variable parents, unique SKUs among records that are not trashed,
    /// global attributes and their terms defined, categories and tags known, reviews of
    /// existing products. The first problem found is returned, naming the record.
    pub fn validate(&self) -> Result<(), DataError> {
        check_unique_ids(&self.products, "product", |p| p.id.to_string())?;
        check_unique_ids(&self.attributes, "attribute", |a| a.id.to_string())?;
        check_unique_ids(&self.terms, "term", |t| t.id.to_string())?;
        check_unique_ids(&self.images, "image", |i| i.id.to_string())?;
        check_unique_ids(&self.reviews, "review", |r| r.id.to_string())?;
        check_unique_ids(&self.tax_classes, "tax class", |c| {
            format!("\"{}\"", c.slug)
        })?;
        check_unique_ids(&self.tax_rates, "tax rate", |r| r.id.to_string())?;
        check_unique_ids(&self.shipping_zones, "shipping zone", |z| z.id.to_string())?;
        check_unique_ids(&self.shipping_classes, "shipping class", |c| {
            c.id.to_string()
        })?;
        check_unique_ids(&self.coupons, "coupon", |c| c.id.to_string())?;

        let products: HashMap<u64, _> = self.products.iter().map(|p| (p.id, p)).collect();
        let attributes: HashMap<u64, _> = self.attributes.iter().map(|a| (a.id, a)).collect();
        let terms: HashMap<u64, _> = self.terms.iter().map(|t| (t.id, t)).collect();
        let term_in = |product: u64, term: u64, taxonomy: &str| match terms.get(&term) {
            Some(found) if found.taxonomy == taxonomy => Ok(()),
            _ => Err(DataError::UnknownTerm {
                product,
                taxonomy: taxonomy.to_string(),
                term,
            }),
        };

        let mut sku_owner: HashMap<&str, u64> = HashMap::new();
        let mut by_id: Vec<_> = self.products.iter().collect();
        by_id.sort_by_key(|p| p.id);
        for product in by_id {
            if product.product_type == ProductType::Variation {
                let parent = products
                    .get(&product.parent_id)
                    .ok_or(DataError::UnknownParent {
                        variation: product.id,
                        parent: product.parent_id,
                    })?;
                if parent.product_type != ProductType::Variable {
                    return Err(DataError::ParentNotVariable {
                        variation: product.id,
                        parent: product.parent_id,
                    });
                }
            }
            if !product.sku.is_empty() && product.status != PostStatus::Trash {
                if let Some(&first) = sku_owner.get(product.sku.as_str()) {
                    return Err(DataError::DuplicateSku {
                        sku: product.sku.clone(),
                        first,
                        second: product.id,
                    });
                }
                sku_owner.insert(&product.sku, product.id);
            }
            for attribute in &product.attributes {
                let AttributeOptions::Terms(term_ids) = &attribute.options else {
                    continue;
                };
                let definition =
                    attributes
                        .get(&attribute.id)
                        .ok_or(DataError::UnknownAttribute {
                            product: product.id,
                            attribute: attribute.id,
                        })?;
                let taxonomy = definition.taxonomy();
                for &term in term_ids {
                    term_in(product.id, term, &taxonomy)?;
                }
            }
            for &category in &product.category_ids {
                term_in(product.id, category, CATEGORY_TAXONOMY)?;
            }
            for &tag in &product.tag_ids {
                term_in(product.id, tag, TAG_TAXONOMY)?;
            }
        }
        for review in &self.reviews {
            if !products.contains_key(&review.product_id) {
                return Err(DataError::UnknownProduct {
                    entity: "review",
                    id: review.id,
                    product: review.product_id,
                });
            }
        }
        Ok(())
    }
}
