//! One product as the cart sees it: resolved facts at one instant.
//!
//! The cart needs settled answers about a product (its name as the cart shows it, whether
//! it can be bought, its stock and quantity limits, its image) rather than raw records.
//! [`CartProduct::load`] asks the catalog snapshot's own predicates (product-model.md
//! §4–§6) once and keeps the answers as plain values, so the cart rules read them without
//! re-deriving inheritance or sale windows; the selection helpers convert between the cart's
//! stored attribute map and the catalog's [`Selection`].

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde_json::{Map, Value};

use crate::catalog::model::{ProductType, StockStatus, UnixTime};
use crate::catalog::{Catalog, Selection};

/// Resolved facts about one product or variation, as of one instant.
#[derive(Debug, Clone, PartialEq)]
pub struct CartProduct {
    /// Product or variation id.
    pub id: u64,
    /// The variable parent for variations, else 0.
    pub parent_id: u64,
    /// The product type (extension types are added like simple products).
    pub product_type: ProductType,
    /// `name` as the cart shows it (variations: the generated `Parent - Blue, M`).
    pub name: String,
    /// `title`: the product name, or the parent's name for variations.
    pub title: String,
    /// Slug (variations: the parent's).
    pub slug: String,
    /// SKU (variations inherit the parent's when empty).
    pub sku: String,
    /// Active price as stored (`""` = no price).
    pub price: String,
    /// Regular price as stored.
    pub regular_price: String,
    /// Sale price as stored (`""` when none).
    pub sale_price: String,
    /// On sale at this instant.
    pub on_sale: bool,
    /// `is_purchasable` (product-model.md §4.2).
    pub purchasable: bool,
    /// Has a post password: fails add-to-cart validation.
    pub password_protected: bool,
    /// `is_in_stock` (not `outofstock`).
    pub in_stock: bool,
    /// Stock managed (store switch on and the product manages it, possibly via parent).
    pub managing_stock: bool,
    /// Effective stock quantity when managed.
    pub stock_quantity: Option<Decimal>,
    /// The id whose stock this product draws from (`stock_managed_by_id`).
    pub stock_owner_id: u64,
    /// Backorders `yes` or `notify`.
    pub backorders_allowed: bool,
    /// Backorders `notify` while managing stock.
    pub backorders_require_notification: bool,
    /// Stock status is `onbackorder`.
    pub on_backorder_status: bool,
    /// Sold individually (variations: the parent's flag).
    pub sold_individually: bool,
    /// `max_purchase_quantity` before filters; `None` = unlimited (CoCart's −1).
    pub max_purchase: Option<Decimal>,
    /// Weight as stored in the store unit (`""` when none).
    pub weight: String,
    /// Length, width, height as stored.
    pub dimensions: [String; 3],
    /// Not virtual.
    pub needs_shipping: bool,
    /// A weight is set and the product is not virtual.
    pub has_weight: bool,
    /// The cart image per size name (`woocommerce_thumbnail`, `full`…; variations: the
    /// parent's image), each an absolute URL or a path below the site root; empty when the
    /// product has no image (the store placeholder is shown).
    pub thumbnails: BTreeMap<String, String>,
    /// Visible in the catalog (cross-sells list only visible products).
    pub visible: bool,
    /// Average rating as stored (`"0"` when unrated).
    pub average_rating: String,
    /// Cross-sell product ids (variations: the parent's).
    pub cross_sell_ids: Vec<u64>,
    /// For variations: the attribute selection stored on the variation, `attribute_*` →
    /// value, `""` meaning "any"; used for WooCommerce's data hash.
    pub variation_attributes: Map<String, Value>,
}

impl CartProduct {
    /// `has_enough_stock(quantity)`, as [`crate::catalog::ProductView`] defines it.
    pub fn has_enough_stock(&self, quantity: Decimal) -> bool {
        !self.managing_stock
            || self.backorders_allowed
            || self.stock_quantity.unwrap_or(Decimal::ZERO) >= quantity
    }

    /// `is_on_backorder(quantity)`, as [`crate::catalog::ProductView`] defines it.
    pub fn is_on_backorder(&self, quantity: Decimal) -> bool {
        self.on_backorder_status
            || (self.managing_stock
                && self.backorders_allowed
                && self.stock_quantity.unwrap_or(Decimal::ZERO) - quantity < Decimal::ZERO)
    }

    /// WooCommerce's `data_hash` for a line of this product: md5 of
    /// `{"type": …, "attributes": <variation attributes or "">}` as WordPress JSON-encodes it.
    pub fn data_hash(&self) -> String {
        let attributes = if self.product_type == ProductType::Variation {
            crate::cart::model::empty_map_as_list(&self.variation_attributes)
        } else {
            Value::from("")
        };
        let encoded =
            serde_json::json!({"type": self.product_type.as_str(), "attributes": attributes})
                .to_string()
                .replace('/', "\\/");
        format!("{:x}", md5::compute(encoded))
    }
}

impl CartProduct {
    /// The facts about product or variation `id` at `now`; `None` when it does not exist
    /// or is trashed.
    pub fn load(catalog: &Catalog, id: u64, now: UnixTime) -> Option<CartProduct> {
        let view = catalog.product(id).filter(|view| view.exists())?;
        let record = view.record();
        let text =
            |amount: Option<Decimal>| amount.map_or_else(String::new, |amount| amount.to_string());
        // CoCart 4.4 shows the parent's image for variations even when they have their own.
        let image_id = view
            .parent()
            .map_or_else(|| view.image_id(), |parent| parent.image_id());
        let thumbnails = catalog
            .image(image_id)
            .map(|image| image.src.clone())
            .unwrap_or_default();
        let variation_attributes = if view.is_variation() {
            selection_map(&catalog.variation_selection(record))
        } else {
            Map::new()
        };
        Some(CartProduct {
            id,
            parent_id: record.parent_id,
            product_type: view.product_type().clone(),
            name: view.name().to_owned(),
            title: view.title().to_owned(),
            slug: view.cart_slug().to_owned(),
            sku: view.sku().to_owned(),
            price: text(view.price(now)),
            regular_price: text(view.regular_price()),
            sale_price: text(view.sale_price()),
            on_sale: view.is_on_sale(now),
            purchasable: view.is_purchasable(now),
            password_protected: view.password_protected(),
            in_stock: view.is_in_stock(),
            managing_stock: view.managing_stock(),
            stock_quantity: view.stock_quantity(),
            stock_owner_id: view.stock_managed_by_id(),
            backorders_allowed: view.backorders_allowed(),
            backorders_require_notification: view.backorders_require_notification(),
            on_backorder_status: view.stock_status() == StockStatus::OnBackorder,
            sold_individually: view.sold_individually(),
            max_purchase: view.max_purchase_quantity(),
            weight: text(view.weight()),
            dimensions: [text(view.length()), text(view.width()), text(view.height())],
            needs_shipping: view.needs_shipping(),
            has_weight: view.has_weight(),
            thumbnails,
            visible: view.is_visible(),
            average_rating: record.average_rating.to_string(),
            cross_sell_ids: view.cross_sell_ids().to_vec(),
            variation_attributes,
        })
    }
}

/// The cart's stored attribute map as the catalog's [`Selection`] (non-string values are
/// taken as PHP would print them).
pub fn selection_pairs(map: &Map<String, Value>) -> Selection {
    map.iter()
        .map(|(key, value)| (key.clone(), crate::cart::item_key::php_string(value)))
        .collect()
}

/// A catalog [`Selection`] as the attribute map stored on a cart line.
pub fn selection_map(selection: &Selection) -> Map<String, Value> {
    selection
        .iter()
        .map(|(key, value)| (key.clone(), Value::from(value.clone())))
        .collect()
}
