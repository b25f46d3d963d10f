//! What the cart asks of the catalog, as one small trait.
//!
//! The cart needs resolved facts about a product (its name as the cart shows it, whether
//! it can be bought, its stock and quantity limits, its variation rules) rather than raw
//! records. The catalog computes those facts with its own predicates (product-model.md
//! §4–§6); this trait is the seam, so the cart rules can be tested with a small fixture
//! and the catalog snapshot plugs in without the cart re-implementing its predicates.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde_json::{Map, Value};

use crate::catalog::model::ProductType;

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
    /// Weight as stored in the store unit (`""` when none).
    pub weight: String,
    /// Length, width, height as stored.
    pub dimensions: [String; 3],
    /// Not virtual.
    pub needs_shipping: bool,
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
    /// `max_purchase_quantity` before filters: 1 when sold individually, unlimited
    /// (`None`) when backorders are allowed or stock is not managed, else the stock.
    pub fn max_purchase_quantity(&self) -> Option<Decimal> {
        if self.sold_individually {
            Some(Decimal::ONE)
        } else if self.backorders_allowed || !self.managing_stock {
            None
        } else {
            Some(self.stock_quantity.unwrap_or(Decimal::ZERO))
        }
    }

    /// `has_weight`: a weight is set and the product is not virtual.
    pub fn has_weight(&self) -> bool {
        !self.weight.is_empty() && self.needs_shipping
    }

    /// `has_enough_stock(quantity)`.
    pub fn has_enough_stock(&self, quantity: Decimal) -> bool {
        !self.managing_stock
            || self.backorders_allowed
            || self.stock_quantity.unwrap_or(Decimal::ZERO) >= quantity
    }

    /// `is_on_backorder(quantity)`.
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

/// Why a variation selection was refused (product-model.md §5.4).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SelectionError {
    /// A posted value is not allowed for the attribute.
    InvalidValue {
        /// The attribute label (`Color`).
        label: String,
        /// Allowed values, as the message lists them.
        allowed: Vec<String>,
    },
    /// "Any" attributes left out, by label in attribute order.
    Missing(Vec<String>),
}

/// The catalog as the cart domain uses it.
pub trait CartCatalog {
    /// The product or variation with `id` as of `now` (unix seconds); `None` when it does
    /// not exist or is trashed.
    fn product(&self, id: u64, now: i64) -> Option<CartProduct>;

    /// The id of the product or variation whose SKU is exactly `sku` (any status but
    /// trash).
    fn id_by_sku(&self, sku: &str) -> Option<u64>;

    /// The first published variation of `parent_id` matching `selection` (product-model.md
    /// §5.3).
    fn find_variation(&self, parent_id: u64, selection: &Map<String, Value>) -> Option<u64>;

    /// Checks `selection` against the variation's attributes and returns the complete
    /// selection in the parent's attribute order, fixed values filled in (§5.4).
    fn complete_selection(
        &self,
        variation_id: u64,
        selection: &Map<String, Value>,
    ) -> Result<Map<String, Value>, SelectionError>;

    /// `meta.variation` of a line: `(attribute label, value name)` per selected attribute.
    fn selection_labels(
        &self,
        parent_id: u64,
        selection: &Map<String, Value>,
    ) -> Vec<(String, String)>;
}
