//! The catalog: products, taxes, shipping zones, coupons and store settings, held as an
//! immutable in-memory snapshot so that cart requests never touch disk for product data.
//!
//! - [`model`]: the plain records (what importers produce and storage persists).
//! - [`data`]: merging and validating [`CatalogData`].
//! - [`Catalog`]: the snapshot with O(1) lookups (this module), [`ProductView`] for the
//!   product rules of product-model §4 ([`product`]), and the variation rules of §5
//!   ([`variation`]).
//! - [`import`]: WooCommerce REST JSON folders, product CSV and tax-rate CSV.
//! - [`demo`]: a small store of our own, loaded through the same importer.

pub mod data;
pub mod demo;
#[cfg(test)]
pub mod fixtures;
pub mod import;
pub mod model;
pub mod product;
pub mod slug;
pub mod variation;

use std::collections::HashMap;

use rust_decimal::Decimal;

pub use data::DataError;
pub use model::*;
pub use product::ProductView;
pub use variation::{IdentifierError, Selection, VariationError};

#[cfg(test)]
mod tests;

/// An immutable, indexed snapshot of [`CatalogData`].
#[derive(Debug, Clone)]
pub struct Catalog {
    data: CatalogData,
    settings: StoreSettings,
    product_by_id: HashMap<u64, usize>,
    product_by_slug: HashMap<String, usize>,
    product_by_sku: HashMap<String, usize>,
    variations_of: HashMap<u64, Vec<u64>>,
    attribute_by_id: HashMap<u64, usize>,
    attribute_by_taxonomy: HashMap<String, usize>,
    term_by_id: HashMap<u64, usize>,
    term_by_slug: HashMap<(String, String), usize>,
    image_by_id: HashMap<u64, usize>,
    coupon_by_id: HashMap<u64, usize>,
    coupon_by_code: HashMap<String, usize>,
    shipping_class_by_id: HashMap<u64, usize>,
}

/// Indexes `records` by `key`; when several records share a key, `prefer(new, old)`
/// decides whether the later one replaces the earlier.
fn index_by<T, K: std::hash::Hash + Eq>(
    records: &[T],
    key: impl Fn(&T) -> Option<K>,
    prefer: impl Fn(&T, &T) -> bool,
) -> HashMap<K, usize> {
    let mut index: HashMap<K, usize> = HashMap::with_capacity(records.len());
    for (position, record) in records.iter().enumerate() {
        let Some(record_key) = key(record) else {
            continue;
        };
        match index.get(&record_key) {
            Some(&old) if !prefer(record, &records[old]) => {}
            _ => {
                index.insert(record_key, position);
            }
        }
    }
    index
}

impl Catalog {
    /// Builds the snapshot and its indexes. Lookups by SKU and slug ignore trashed records;
    /// when a SKU or slug is shared, the lowest ID wins. Coupon codes are indexed
    /// lower-cased, published coupons only, the newest (highest ID) winning.
    pub fn new(data: CatalogData) -> Catalog {
        let settings = data.settings.clone().unwrap_or_default();
        let lower_id = |new: &Product, old: &Product| new.id < old.id;
        let product_by_id = index_by(&data.products, |p| Some(p.id), |_, _| true);
        let product_by_sku = index_by(
            &data.products,
            |p| (!p.sku.is_empty() && p.status != PostStatus::Trash).then(|| p.sku.clone()),
            lower_id,
        );
        let product_by_slug = index_by(
            &data.products,
            |p| {
                (p.product_type != ProductType::Variation && p.status != PostStatus::Trash)
                    .then(|| p.slug.clone())
            },
            lower_id,
        );
        let mut variations_of: HashMap<u64, Vec<(i64, u64)>> = HashMap::new();
        for product in &data.products {
            if product.product_type == ProductType::Variation {
                variations_of
                    .entry(product.parent_id)
                    .or_default()
                    .push((product.menu_order, product.id));
            }
        }
        let variations_of = variations_of
            .into_iter()
            .map(|(parent, mut children)| {
                children.sort();
                (parent, children.into_iter().map(|(_, id)| id).collect())
            })
            .collect();
        Catalog {
            product_by_id,
            product_by_slug,
            product_by_sku,
            variations_of,
            attribute_by_id: index_by(&data.attributes, |a| Some(a.id), |_, _| true),
            attribute_by_taxonomy: index_by(&data.attributes, |a| Some(a.taxonomy()), |_, _| true),
            term_by_id: index_by(&data.terms, |t| Some(t.id), |_, _| true),
            term_by_slug: index_by(
                &data.terms,
                |t| Some((t.taxonomy.clone(), t.slug.clone())),
                |new, old| new.id < old.id,
            ),
            image_by_id: index_by(&data.images, |i| Some(i.id), |_, _| true),
            coupon_by_id: index_by(&data.coupons, |c| Some(c.id), |_, _| true),
            coupon_by_code: index_by(
                &data.coupons,
                |c| (c.status == PostStatus::Publish).then(|| c.code.to_lowercase()),
                |new, old| new.id > old.id,
            ),
            shipping_class_by_id: index_by(&data.shipping_classes, |c| Some(c.id), |_, _| true),
            settings,
            data,
        }
    }

    /// The data the snapshot was built from.
    pub fn data(&self) -> &CatalogData {
        &self.data
    }

    /// The store settings (WooCommerce's defaults when the data carried none).
    pub fn settings(&self) -> &StoreSettings {
        &self.settings
    }

    /// The product or variation with this ID, whatever its status (check
    /// [`ProductView::exists`]).
    pub fn product(&self, id: u64) -> Option<ProductView<'_>> {
        let product = &self.data.products[*self.product_by_id.get(&id)?];
        Some(ProductView::new(self, product))
    }

    /// Every product and variation, in stored order.
    pub fn products(&self) -> impl Iterator<Item = ProductView<'_>> {
        self.data
            .products
            .iter()
            .map(|product| ProductView::new(self, product))
    }

    /// The non-variation product with this slug (not trashed).
    pub fn product_by_slug(&self, slug: &str) -> Option<ProductView<'_>> {
        let product = &self.data.products[*self.product_by_slug.get(slug)?];
        Some(ProductView::new(self, product))
    }

    /// The product or variation with exactly this SKU (not trashed; lowest ID on ties).
    pub fn product_by_sku(&self, sku: &str) -> Option<ProductView<'_>> {
        let product = &self.data.products[*self.product_by_sku.get(sku)?];
        Some(ProductView::new(self, product))
    }

    /// The variation IDs of a variable product, by `menu_order` then ID, whatever their
    /// status.
    pub fn variation_ids(&self, parent_id: u64) -> &[u64] {
        self.variations_of
            .get(&parent_id)
            .map_or(&[], |children| children.as_slice())
    }

    /// The global attribute with this ID.
    pub fn attribute(&self, id: u64) -> Option<&AttributeTaxonomy> {
        Some(&self.data.attributes[*self.attribute_by_id.get(&id)?])
    }

    /// The global attribute whose taxonomy is `taxonomy` (`pa_color`).
    pub fn attribute_by_taxonomy(&self, taxonomy: &str) -> Option<&AttributeTaxonomy> {
        Some(&self.data.attributes[*self.attribute_by_taxonomy.get(taxonomy)?])
    }

    /// The term with this ID (any taxonomy).
    pub fn term(&self, id: u64) -> Option<&Term> {
        Some(&self.data.terms[*self.term_by_id.get(&id)?])
    }

    /// The term of `taxonomy` with this slug.
    pub fn term_by_slug(&self, taxonomy: &str, slug: &str) -> Option<&Term> {
        let key = (taxonomy.to_string(), slug.to_string());
        Some(&self.data.terms[*self.term_by_slug.get(&key)?])
    }

    /// The terms of one taxonomy, in stored order.
    pub fn terms_in<'a>(&'a self, taxonomy: &'a str) -> impl Iterator<Item = &'a Term> {
        self.data
            .terms
            .iter()
            .filter(move |term| term.taxonomy == taxonomy)
    }

    /// The image attachment with this ID.
    pub fn image(&self, id: u64) -> Option<&Image> {
        Some(&self.data.images[*self.image_by_id.get(&id)?])
    }

    /// The reviews of one product, in stored order.
    pub fn reviews_of(&self, product_id: u64) -> impl Iterator<Item = &Review> {
        self.data
            .reviews
            .iter()
            .filter(move |review| review.product_id == product_id)
    }

    /// The coupon with this ID, whatever its status.
    pub fn coupon(&self, id: u64) -> Option<&Coupon> {
        Some(&self.data.coupons[*self.coupon_by_id.get(&id)?])
    }

    /// The published coupon with this code, compared case-insensitively and ignoring
    /// surrounding whitespace.
    pub fn coupon_by_code(&self, code: &str) -> Option<&Coupon> {
        let code = code.trim().to_lowercase();
        Some(&self.data.coupons[*self.coupon_by_code.get(&code)?])
    }

    /// The tax classes, standard first, the others ordered by name (WooCommerce's order,
    /// which decides the shipping tax class of mixed carts).
    pub fn tax_classes(&self) -> Vec<&TaxClass> {
        let mut classes: Vec<&TaxClass> = self.data.tax_classes.iter().collect();
        classes.sort_by(|a, b| {
            (!a.slug.is_empty(), &a.name, &a.slug).cmp(&(!b.slug.is_empty(), &b.name, &b.slug))
        });
        classes
    }

    /// The class slug WooCommerce would store for `slug`: `standard` and unknown classes
    /// become the standard class `""` (totals §1).
    pub fn normalize_tax_class<'a>(&self, slug: &'a str) -> &'a str {
        if self.data.tax_classes.iter().any(|class| class.slug == slug) {
            slug
        } else {
            ""
        }
    }

    /// Every tax rate, in stored order.
    pub fn tax_rates(&self) -> &[TaxRate] {
        &self.data.tax_rates
    }

    /// Every shipping zone, in stored order.
    pub fn shipping_zones(&self) -> &[ShippingZone] {
        &self.data.shipping_zones
    }

    /// The shipping class with this ID.
    pub fn shipping_class(&self, id: u64) -> Option<&ShippingClass> {
        Some(&self.data.shipping_classes[*self.shipping_class_by_id.get(&id)?])
    }

    /// Every shipping class, in stored order.
    pub fn shipping_classes(&self) -> &[ShippingClass] {
        &self.data.shipping_classes
    }

    /// Cart cross-sells (product-model §6.3) before sorting and limiting: the cross-sell
    /// IDs of every line with a positive quantity (variations use their parent's list;
    /// later lines first, as WooCommerce merges them), without duplicates, without the
    /// products already in the cart, keeping only existing, visible products.
    pub fn cross_sells(&self, lines: &[LineRef]) -> Vec<u64> {
        let mut candidates: Vec<u64> = Vec::new();
        let mut in_cart: Vec<u64> = Vec::new();
        for line in lines.iter().filter(|line| line.quantity > Decimal::ZERO) {
            let id = if line.variation_id != 0 {
                line.variation_id
            } else {
                line.product_id
            };
            if let Some(product) = self.product(id) {
                let mut merged = product.cross_sell_ids().to_vec();
                merged.extend(candidates);
                candidates = merged;
            }
            in_cart.push(line.product_id);
        }
        let mut seen = Vec::new();
        for id in candidates {
            if in_cart.contains(&id) || seen.contains(&id) {
                continue;
            }
            if self
                .product(id)
                .is_some_and(|product| product.exists() && product.is_visible())
            {
                seen.push(id);
            }
        }
        seen
    }
}

/// What [`Catalog::cross_sells`] needs from a cart line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineRef {
    /// The line's product (the parent for variations).
    pub product_id: u64,
    /// The line's variation, 0 for none.
    pub variation_id: u64,
    /// The line's quantity.
    pub quantity: Decimal,
}
