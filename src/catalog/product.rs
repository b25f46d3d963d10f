//! [`ProductView`]: one product or variation seen through the rules of product-model §4,
//! with variation inheritance (§3 "Var." column) resolved.
//!
//! Records store only what the merchant entered; everything derived (active price,
//! effective stock, purchasability, visibility) is computed here at read time for a given
//! `now`, so sales start and end without anyone rewriting the catalog.

use rust_decimal::Decimal;

use super::Catalog;
use super::model::{
    Backorders, CatalogVisibility, ManageStock, PostStatus, Product, ProductType, StockStatus,
    TaxStatus, UnixTime,
};

/// A product or variation together with its parent (for variations) and the catalog.
#[derive(Debug, Clone, Copy)]
pub struct ProductView<'a> {
    catalog: &'a Catalog,
    product: &'a Product,
    parent: Option<&'a Product>,
}

/// Lowest and highest of a set of prices.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PriceRange {
    /// The lowest price.
    pub min: Decimal,
    /// The highest price.
    pub max: Decimal,
}

impl PriceRange {
    fn of(prices: impl Iterator<Item = Decimal>) -> Option<PriceRange> {
        prices.fold(None, |range, price| {
            Some(match range {
                None => PriceRange {
                    min: price,
                    max: price,
                },
                Some(PriceRange { min, max }) => PriceRange {
                    min: min.min(price),
                    max: max.max(price),
                },
            })
        })
    }
}

/// The price ranges of a variable product's visible variations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VariationPrices {
    /// Active prices.
    pub active: Option<PriceRange>,
    /// Regular prices.
    pub regular: Option<PriceRange>,
    /// Sale prices of the variations on sale.
    pub sale: Option<PriceRange>,
}

impl<'a> ProductView<'a> {
    pub(super) fn new(catalog: &'a Catalog, product: &'a Product) -> ProductView<'a> {
        let parent = (product.product_type == ProductType::Variation)
            .then(|| catalog.product(product.parent_id))
            .flatten()
            .map(|view| view.product);
        ProductView {
            catalog,
            product,
            parent,
        }
    }

    /// The stored record.
    pub fn record(&self) -> &'a Product {
        self.product
    }

    /// The variable parent of a variation.
    pub fn parent(&self) -> Option<ProductView<'a>> {
        self.parent
            .map(|parent| ProductView::new(self.catalog, parent))
    }

    /// The product ID.
    pub fn id(&self) -> u64 {
        self.product.id
    }

    /// The product type.
    pub fn product_type(&self) -> &'a ProductType {
        &self.product.product_type
    }

    /// Whether this is a variation.
    pub fn is_variation(&self) -> bool {
        self.product.product_type == ProductType::Variation
    }

    /// The record if it is its own, else the parent's (for inherited fields).
    fn own_or_parent(&self, own_is_set: impl Fn(&Product) -> bool) -> &'a Product {
        match self.parent {
            Some(parent) if !own_is_set(self.product) => parent,
            _ => self.product,
        }
    }

    // --- names ---------------------------------------------------------------------------

    /// The name (variations: their generated display name).
    pub fn name(&self) -> &'a str {
        &self.product.name
    }

    /// The cart `title`: the name, or the parent's name for a variation.
    pub fn title(&self) -> &'a str {
        self.parent
            .map_or(&self.product.name, |parent| &parent.name)
    }

    /// The slug cart items show: the parent's slug for a variation.
    pub fn cart_slug(&self) -> &'a str {
        self.parent
            .map_or(&self.product.slug, |parent| &parent.slug)
    }

    /// The SKU, or the parent's when a variation has none.
    pub fn sku(&self) -> &'a str {
        &self.own_or_parent(|p| !p.sku.is_empty()).sku
    }

    /// The GTIN/UPC/EAN/ISBN, or the parent's when a variation has none.
    pub fn global_unique_id(&self) -> &'a str {
        &self
            .own_or_parent(|p| !p.global_unique_id.is_empty())
            .global_unique_id
    }

    // --- existence, visibility, purchasability (§4.1, §4.2, §4.8) ------------------------

    /// The record exists and is not trashed.
    pub fn exists(&self) -> bool {
        self.product.status != PostStatus::Trash
    }

    /// Published, and for a variation the parent is published too.
    pub fn publicly_viewable(&self) -> bool {
        self.product.status == PostStatus::Publish
            && self
                .parent
                .is_none_or(|parent| parent.status == PostStatus::Publish)
    }

    /// A variation that is enabled and has a price (`variation_is_visible`).
    pub fn variation_visible(&self, now: UnixTime) -> bool {
        self.product.status == PostStatus::Publish && self.price(now).is_some()
    }

    /// Whether the product can be bought (§4.2).
    pub fn is_purchasable(&self, now: UnixTime) -> bool {
        match self.product.product_type {
            ProductType::Grouped | ProductType::External => false,
            ProductType::Variation => {
                self.variation_visible(now)
                    && self.exists()
                    && self
                        .parent
                        .is_some_and(|parent| parent.status == PostStatus::Publish)
            }
            _ => {
                self.exists()
                    && self.product.status == PostStatus::Publish
                    && self.price(now).is_some()
            }
        }
    }

    /// Catalog visibility (a variation uses its parent's).
    pub fn catalog_visibility(&self) -> CatalogVisibility {
        self.parent
            .map_or(self.product.catalog_visibility, |parent| {
                parent.catalog_visibility
            })
    }

    /// Visible in REST listings, cross-sells and related products (§4.8).
    pub fn is_visible(&self) -> bool {
        matches!(
            self.catalog_visibility(),
            CatalogVisibility::Visible | CatalogVisibility::Catalog
        ) && self.publicly_viewable()
            && (!self.catalog.settings().hide_out_of_stock_items || self.is_in_stock())
    }

    /// Has a post password (adding to the cart fails validation).
    pub fn password_protected(&self) -> bool {
        self.product.password_protected
    }

    // --- stock (§4.3) --------------------------------------------------------------------

    /// The product's stock switch with variation inheritance: a variation that does not
    /// manage stock itself uses its parent's stock when the parent does.
    pub fn manage_stock(&self) -> ManageStock {
        match (self.product.manage_stock, self.parent) {
            (ManageStock::No, Some(parent)) if parent.manage_stock == ManageStock::Yes => {
                ManageStock::Parent
            }
            (ManageStock::Parent, Some(parent)) if parent.manage_stock != ManageStock::Yes => {
                ManageStock::No
            }
            (own, _) => own,
        }
    }

    /// Stock is tracked: the store switch is on and the product (or its parent) manages it.
    pub fn managing_stock(&self) -> bool {
        self.catalog.settings().manage_stock && self.manage_stock() != ManageStock::No
    }

    /// The record whose stock this one uses.
    fn stock_owner(&self) -> &'a Product {
        match (self.manage_stock(), self.parent) {
            (ManageStock::Parent, Some(parent)) => parent,
            _ => self.product,
        }
    }

    /// The ID whose quantities are pooled for stock checks (the parent for a variation
    /// with parent-level stock).
    pub fn stock_managed_by_id(&self) -> u64 {
        self.stock_owner().id
    }

    /// The effective stock quantity.
    pub fn stock_quantity(&self) -> Option<Decimal> {
        self.stock_owner().stock_quantity
    }

    /// The effective backorder policy.
    pub fn backorders(&self) -> Backorders {
        self.stock_owner().backorders
    }

    /// Orders may exceed the stock.
    pub fn backorders_allowed(&self) -> bool {
        matches!(self.backorders(), Backorders::Yes | Backorders::Notify)
    }

    /// Backorders are shown to the customer.
    pub fn backorders_require_notification(&self) -> bool {
        self.managing_stock() && self.backorders() == Backorders::Notify
    }

    /// The stock status: derived from the quantity while stock is managed (as WooCommerce
    /// sets it on every save), from the children for a variable product that does not
    /// manage stock, else as stored.
    pub fn stock_status(&self) -> StockStatus {
        if self.managing_stock() {
            let quantity = self.stock_quantity().unwrap_or(Decimal::ZERO);
            let threshold = self.catalog.settings().notify_no_stock_amount;
            return if self.backorders_allowed() && quantity <= Decimal::ZERO {
                StockStatus::OnBackorder
            } else if !self.backorders_allowed() && quantity <= threshold {
                StockStatus::OutOfStock
            } else {
                StockStatus::InStock
            };
        }
        if self.product.product_type == ProductType::Variable {
            let statuses: Vec<StockStatus> = self
                .published_variations()
                .map(|child| child.stock_status())
                .collect();
            if !statuses.is_empty() {
                return if statuses.contains(&StockStatus::InStock) {
                    StockStatus::InStock
                } else if statuses.contains(&StockStatus::OnBackorder) {
                    StockStatus::OnBackorder
                } else {
                    StockStatus::OutOfStock
                };
            }
        }
        self.product.stock_status
    }

    /// In stock (`onbackorder` counts as in stock).
    pub fn is_in_stock(&self) -> bool {
        self.stock_status() != StockStatus::OutOfStock
    }

    /// On backorder once `quantity` more units are taken.
    pub fn is_on_backorder(&self, quantity: Decimal) -> bool {
        self.stock_status() == StockStatus::OnBackorder
            || (self.managing_stock()
                && self.backorders_allowed()
                && self.stock_quantity().unwrap_or(Decimal::ZERO) < quantity)
    }

    /// Enough stock for `quantity` units.
    pub fn has_enough_stock(&self, quantity: Decimal) -> bool {
        !self.managing_stock()
            || self.backorders_allowed()
            || self.stock_quantity().unwrap_or(Decimal::ZERO) >= quantity
    }

    /// The low-stock threshold as stored (`None` = store default).
    pub fn low_stock_amount(&self) -> Option<i64> {
        self.product.low_stock_amount
    }

    // --- quantities (§4.4, §4.5) ---------------------------------------------------------

    /// At most one unit per cart (a variation uses its parent's flag).
    pub fn sold_individually(&self) -> bool {
        self.parent
            .map_or(self.product.sold_individually, |parent| {
                parent.sold_individually
            })
    }

    /// The minimum purchase quantity before filters: 1.
    pub fn min_purchase_quantity(&self) -> Decimal {
        Decimal::ONE
    }

    /// The maximum purchase quantity before filters; `None` means unlimited (CoCart's −1).
    /// A managed product without a quantity gives `Some(0)` (no maximum in CoCart's check).
    pub fn max_purchase_quantity(&self) -> Option<Decimal> {
        if self.sold_individually() {
            Some(Decimal::ONE)
        } else if self.backorders_allowed() || !self.managing_stock() {
            None
        } else {
            Some(self.stock_quantity().unwrap_or(Decimal::ZERO))
        }
    }

    // --- prices (§4.6) -------------------------------------------------------------------

    /// The stored regular price.
    pub fn regular_price(&self) -> Option<Decimal> {
        self.product.regular_price
    }

    /// The stored sale price.
    pub fn sale_price(&self) -> Option<Decimal> {
        self.product.sale_price
    }

    /// The record's own sale is active at `now`.
    fn own_sale_active(&self, now: UnixTime) -> bool {
        let product = self.product;
        match (product.sale_price, product.regular_price) {
            (Some(sale), Some(regular)) => {
                regular > sale
                    && product.date_on_sale_from.is_none_or(|from| from <= now)
                    && product.date_on_sale_to.is_none_or(|to| to >= now)
            }
            _ => false,
        }
    }

    /// On sale at `now`: own sale for simple products and variations; any visible
    /// variation for variable products; any published, purchasable child for grouped ones.
    pub fn is_on_sale(&self, now: UnixTime) -> bool {
        match self.product.product_type {
            ProductType::Variable => self
                .visible_variations(now)
                .any(|child| child.is_on_sale(now)),
            ProductType::Grouped => self.grouped_children().any(|child| {
                child.publicly_viewable()
                    && child.is_purchasable(now)
                    && child.product.product_type != ProductType::Variable
                    && child.product.product_type != ProductType::Grouped
                    && child.is_on_sale(now)
            }),
            _ => self.own_sale_active(now),
        }
    }

    /// The active price at `now`; `None` means no price (not purchasable). Variable
    /// products: the lowest active price of their visible variations. Grouped: none.
    pub fn price(&self, now: UnixTime) -> Option<Decimal> {
        match self.product.product_type {
            ProductType::Variable => self.variation_prices(now).active.map(|range| range.min),
            ProductType::Grouped => None,
            _ if self.own_sale_active(now) => self.product.sale_price,
            _ => self.product.regular_price,
        }
    }

    /// Price ranges over the visible variations (for `price_range` and variable parents'
    /// `regular_price`).
    pub fn variation_prices(&self, now: UnixTime) -> VariationPrices {
        let children: Vec<ProductView<'a>> = self
            .published_variations()
            .filter(|child| child.own_active_price(now).is_some())
            .collect();
        VariationPrices {
            active: PriceRange::of(children.iter().filter_map(|c| c.own_active_price(now))),
            regular: PriceRange::of(children.iter().filter_map(|c| c.product.regular_price)),
            sale: PriceRange::of(
                children
                    .iter()
                    .filter(|c| c.own_sale_active(now))
                    .filter_map(|c| c.product.sale_price),
            ),
        }
    }

    /// The active price of a record with its own price (not a variable parent).
    fn own_active_price(&self, now: UnixTime) -> Option<Decimal> {
        if self.own_sale_active(now) {
            self.product.sale_price
        } else {
            self.product.regular_price
        }
    }

    // --- children --------------------------------------------------------------------------

    /// Every variation of a variable product, by `menu_order` then ID.
    pub fn variations(&self) -> impl Iterator<Item = ProductView<'a>> + use<'a> {
        let catalog = self.catalog;
        catalog
            .variation_ids(self.product.id)
            .iter()
            .filter_map(move |&id| catalog.product(id))
    }

    /// The published variations, in order.
    pub fn published_variations(&self) -> impl Iterator<Item = ProductView<'a>> + use<'a> {
        self.variations()
            .filter(|child| child.product.status == PostStatus::Publish)
    }

    /// The visible variations (enabled and priced), in order.
    pub fn visible_variations(
        &self,
        now: UnixTime,
    ) -> impl Iterator<Item = ProductView<'a>> + use<'a> {
        self.variations()
            .filter(move |child| child.variation_visible(now))
    }

    /// The children of a grouped product that exist in the catalog, in stored order.
    pub fn grouped_children(&self) -> impl Iterator<Item = ProductView<'a>> + use<'a> {
        let catalog = self.catalog;
        self.product
            .grouped_products
            .iter()
            .filter_map(move |&id| catalog.product(id))
    }

    // --- tax and shipping inputs (§4.7) ---------------------------------------------------

    /// Tax status (a variation uses its parent's).
    pub fn tax_status(&self) -> TaxStatus {
        self.parent
            .map_or(self.product.tax_status, |parent| parent.tax_status)
    }

    /// The tax class slug with `parent` resolved, normalised like WooCommerce (`standard`
    /// and unknown classes are the standard class `""`).
    pub fn tax_class(&self) -> &'a str {
        let class = match self.parent {
            Some(parent) if self.product.tax_class == "parent" => &parent.tax_class,
            _ => &self.product.tax_class,
        };
        self.catalog.normalize_tax_class(class)
    }

    /// Virtual (needs no shipping).
    pub fn is_virtual(&self) -> bool {
        self.product.is_virtual
    }

    /// Needs shipping (not virtual).
    pub fn needs_shipping(&self) -> bool {
        !self.product.is_virtual
    }

    /// Weight, or the parent's when a variation has none.
    pub fn weight(&self) -> Option<Decimal> {
        self.own_or_parent(|p| p.weight.is_some()).weight
    }

    /// Has a weight and needs shipping.
    pub fn has_weight(&self) -> bool {
        self.weight().is_some() && !self.product.is_virtual
    }

    /// Length, or the parent's when a variation has none.
    pub fn length(&self) -> Option<Decimal> {
        self.own_or_parent(|p| p.length.is_some()).length
    }

    /// Width, or the parent's when a variation has none.
    pub fn width(&self) -> Option<Decimal> {
        self.own_or_parent(|p| p.width.is_some()).width
    }

    /// Height, or the parent's when a variation has none.
    pub fn height(&self) -> Option<Decimal> {
        self.own_or_parent(|p| p.height.is_some()).height
    }

    /// Shipping class ID (0 = none), or the parent's when a variation has none.
    pub fn shipping_class_id(&self) -> u64 {
        self.own_or_parent(|p| p.shipping_class_id != 0)
            .shipping_class_id
    }

    /// Shipping class slug (`""` = none), or the parent's when a variation has none.
    pub fn shipping_class(&self) -> &'a str {
        &self
            .own_or_parent(|p| p.shipping_class_id != 0 || !p.shipping_class.is_empty())
            .shipping_class
    }

    // --- images and related products --------------------------------------------------------

    /// Featured image ID (0 = none), or the parent's when a variation has none.
    pub fn image_id(&self) -> u64 {
        self.own_or_parent(|p| p.image_id != 0).image_id
    }

    /// Cross-sell IDs (a variation uses its parent's list).
    pub fn cross_sell_ids(&self) -> &'a [u64] {
        &self.parent.unwrap_or(self.product).cross_sell_ids
    }
}
