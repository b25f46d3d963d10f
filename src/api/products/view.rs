//! A read-only view of the catalog shaped for the Products API.
//!
//! The Products API needs lookups (by ID, SKU, term, attribute), a variable product's
//! children in WooCommerce's order, the fields a variation inherits from its parent, and
//! the derived predicates of product-model.md §4 (on sale, active price, purchasable, stock
//! rules). [`CatalogView`] indexes a [`CatalogData`] once and answers all of them, so the
//! query and rendering code reads like the spec.

use std::collections::HashMap;

use rust_decimal::Decimal;

use crate::catalog::model::{
    AttributeTaxonomy, Backorders, CatalogData, Image, ManageStock, PostStatus, Product,
    ProductType, Review, StockStatus, StoreSettings, TaxDisplay, TaxStatus, Term, UnixTime,
};

/// Indexed, read-only access to one catalog snapshot.
pub struct CatalogView<'a> {
    data: &'a CatalogData,
    products: HashMap<u64, &'a Product>,
    children: HashMap<u64, Vec<&'a Product>>,
    terms: HashMap<u64, &'a Term>,
    images: HashMap<u64, &'a Image>,
}

impl<'a> CatalogView<'a> {
    /// Indexes `data`. Variations are grouped under their parent in `menu_order`, then
    /// ID order (the order WooCommerce keeps a variable product's children in).
    pub fn new(data: &'a CatalogData) -> Self {
        let products: HashMap<u64, &Product> = data.products.iter().map(|p| (p.id, p)).collect();
        let mut children: HashMap<u64, Vec<&Product>> = HashMap::new();
        for product in &data.products {
            if product.product_type == ProductType::Variation && product.parent_id != 0 {
                children.entry(product.parent_id).or_default().push(product);
            }
        }
        for list in children.values_mut() {
            list.sort_by_key(|p| (p.menu_order, p.id));
        }
        Self {
            data,
            products,
            children,
            terms: data.terms.iter().map(|t| (t.id, t)).collect(),
            images: data.images.iter().map(|i| (i.id, i)).collect(),
        }
    }

    /// The store settings.
    pub fn settings(&self) -> &'a StoreSettings {
        &self.data.settings
    }

    /// Every product and variation record, in stored order.
    pub fn all_products(&self) -> &'a [Product] {
        &self.data.products
    }

    /// Every review record.
    pub fn reviews(&self) -> &'a [Review] {
        &self.data.reviews
    }

    /// Every term (categories, tags, attribute terms).
    pub fn terms(&self) -> &'a [Term] {
        &self.data.terms
    }

    /// Every global attribute definition.
    pub fn attributes(&self) -> &'a [AttributeTaxonomy] {
        &self.data.attributes
    }

    /// A product or variation by ID, trashed records included.
    pub fn product(&self, id: u64) -> Option<&'a Product> {
        self.products.get(&id).copied()
    }

    /// The first product or variation (any status except trash) whose SKU equals `sku`.
    pub fn product_by_sku(&self, sku: &str) -> Option<&'a Product> {
        if sku.is_empty() {
            return None;
        }
        self.data
            .products
            .iter()
            .find(|p| p.status != PostStatus::Trash && p.sku == sku)
    }

    /// The parent record of a variation.
    pub fn parent(&self, product: &Product) -> Option<&'a Product> {
        if product.parent_id == 0 {
            None
        } else {
            self.product(product.parent_id)
        }
    }

    /// A variable product's variations in `menu_order`, then ID order.
    pub fn children(&self, product: &Product) -> &[&'a Product] {
        self.children
            .get(&product.id)
            .map(Vec::as_slice)
            .unwrap_or_default()
    }

    /// A term by ID.
    pub fn term(&self, id: u64) -> Option<&'a Term> {
        self.terms.get(&id).copied()
    }

    /// An image attachment by ID.
    pub fn image(&self, id: u64) -> Option<&'a Image> {
        self.images.get(&id).copied()
    }

    /// The global attribute whose taxonomy is `taxonomy` (`pa_color`).
    pub fn attribute_by_taxonomy(&self, taxonomy: &str) -> Option<&'a AttributeTaxonomy> {
        let name = taxonomy.strip_prefix("pa_")?;
        self.data.attributes.iter().find(|a| a.name == name)
    }

    /// A global attribute by ID.
    pub fn attribute(&self, id: u64) -> Option<&'a AttributeTaxonomy> {
        self.data.attributes.iter().find(|a| a.id == id)
    }

    /// The term of `taxonomy` with `slug`.
    pub fn term_by_slug(&self, taxonomy: &str, slug: &str) -> Option<&'a Term> {
        self.data
            .terms
            .iter()
            .find(|t| t.taxonomy == taxonomy && t.slug == slug)
    }

    // -- inherited fields ------------------------------------------------------------

    /// SKU, the parent's when a variation has none.
    pub fn sku(&self, product: &'a Product) -> &'a str {
        match self.parent(product) {
            Some(parent) if product.sku.is_empty() => &parent.sku,
            _ => &product.sku,
        }
    }

    /// GTIN/UPC/EAN/ISBN, the parent's when a variation has none.
    pub fn global_unique_id(&self, product: &'a Product) -> &'a str {
        match self.parent(product) {
            Some(parent) if product.global_unique_id.is_empty() => &parent.global_unique_id,
            _ => &product.global_unique_id,
        }
    }

    /// Weight, length, width and height, each the parent's when a variation has none.
    pub fn measures(&self, product: &Product) -> [Option<Decimal>; 4] {
        let own = [
            product.weight,
            product.length,
            product.width,
            product.height,
        ];
        match self.parent(product) {
            Some(parent) => {
                let inherited = [parent.weight, parent.length, parent.width, parent.height];
                [0, 1, 2, 3].map(|i| own[i].or(inherited[i]))
            }
            None => own,
        }
    }

    /// The featured image ID, the parent's when a variation has none (0 = none).
    pub fn image_id(&self, product: &Product) -> u64 {
        match self.parent(product) {
            Some(parent) if product.image_id == 0 => parent.image_id,
            _ => product.image_id,
        }
    }

    /// Sold individually (variations: the parent's flag).
    pub fn sold_individually(&self, product: &Product) -> bool {
        self.parent(product)
            .map_or(product.sold_individually, |parent| parent.sold_individually)
    }

    /// Tax status (variations: the parent's).
    pub fn tax_status(&self, product: &Product) -> TaxStatus {
        self.parent(product)
            .map_or(product.tax_status, |parent| parent.tax_status)
    }

    /// Tax class slug with `parent` resolved.
    pub fn tax_class(&self, product: &'a Product) -> &'a str {
        match self.parent(product) {
            Some(parent) if product.tax_class == "parent" => &parent.tax_class,
            _ => &product.tax_class,
        }
    }

    // -- stock -----------------------------------------------------------------------

    /// The record whose stock fields apply: the parent for a variation whose stock is
    /// managed at parent level, otherwise the record itself.
    fn stock_owner(&self, product: &'a Product) -> &'a Product {
        let parent = self.parent(product);
        let uses_parent = match product.manage_stock {
            ManageStock::Parent => true,
            ManageStock::No => parent.is_some_and(|p| p.manage_stock == ManageStock::Yes),
            ManageStock::Yes => false,
        };
        match parent {
            Some(parent) if uses_parent => parent,
            _ => product,
        }
    }

    /// Stock is managed: the store switch is on and the record (or its parent) tracks stock.
    pub fn managing_stock(&self, product: &'a Product) -> bool {
        self.settings().manage_stock && self.stock_owner(product).manage_stock == ManageStock::Yes
    }

    /// The stock quantity when stock is managed.
    pub fn stock_quantity(&self, product: &'a Product) -> Option<Decimal> {
        if self.managing_stock(product) {
            self.stock_owner(product).stock_quantity
        } else {
            None
        }
    }

    /// The effective backorder policy.
    pub fn backorders(&self, product: &'a Product) -> Backorders {
        self.stock_owner(product).backorders
    }

    /// Backorders are allowed (`yes` or `notify`).
    pub fn backorders_allowed(&self, product: &'a Product) -> bool {
        matches!(
            self.backorders(product),
            Backorders::Yes | Backorders::Notify
        )
    }

    /// In stock: any status but `outofstock`.
    pub fn is_in_stock(&self, product: &Product) -> bool {
        product.stock_status != StockStatus::OutOfStock
    }

    /// On backorder with nothing in the cart.
    pub fn is_on_backorder(&self, product: &'a Product) -> bool {
        product.stock_status == StockStatus::OnBackorder
            || (self.managing_stock(product)
                && self.backorders_allowed(product)
                && self
                    .stock_quantity(product)
                    .is_some_and(|quantity| quantity < Decimal::ZERO))
    }

    /// The maximum purchase quantity before filters: 1 when sold individually, unlimited
    /// (`None`) when backorders are allowed or stock is not managed, else the stock.
    pub fn max_purchase_quantity(&self, product: &'a Product) -> Option<Decimal> {
        if self.sold_individually(product) {
            Some(Decimal::ONE)
        } else if self.backorders_allowed(product) || !self.managing_stock(product) {
            None
        } else {
            Some(self.stock_quantity(product).unwrap_or_default())
        }
    }

    // -- visibility and prices -------------------------------------------------------

    /// Published, and the parent (if any) published too.
    pub fn publicly_viewable(&self, product: &Product) -> bool {
        product.status == PostStatus::Publish
            && self
                .parent(product)
                .is_none_or(|parent| parent.status == PostStatus::Publish)
    }

    /// A variation is visible: enabled and priced.
    pub fn variation_visible(&self, variation: &'a Product, now: UnixTime) -> bool {
        variation.status == PostStatus::Publish && self.active_price(variation, now).is_some()
    }

    /// The variations a variable product shows (and prices itself from): existing, in
    /// stock when the store hides out-of-stock items, visible when the store hides
    /// invisible variations.
    pub fn visible_children(&self, product: &'a Product, now: UnixTime) -> Vec<&'a Product> {
        let settings = self.settings();
        self.children(product)
            .iter()
            .copied()
            .filter(|child| child.status != PostStatus::Trash)
            .filter(|child| !settings.hide_out_of_stock_items || self.is_in_stock(child))
            .filter(|child| {
                !settings.hide_invisible_variations || self.variation_visible(child, now)
            })
            .collect()
    }

    /// The published, priced children of a grouped product.
    fn priced_group_children(&self, product: &Product, now: UnixTime) -> Vec<&'a Product> {
        product
            .grouped_products
            .iter()
            .filter_map(|id| self.product(*id))
            .filter(|child| child.status == PostStatus::Publish)
            .filter(|child| self.active_price(child, now).is_some())
            .collect()
    }

    /// The product's own sale is running: a sale price below the regular price, inside
    /// its sale window.
    fn own_sale_running(&self, product: &Product, now: UnixTime) -> bool {
        let (Some(sale), Some(regular)) = (product.sale_price, product.regular_price) else {
            return false;
        };
        regular > sale
            && product.date_on_sale_from.is_none_or(|from| from <= now)
            && product.date_on_sale_to.is_none_or(|to| to >= now)
    }

    /// On sale now (variable: any visible child; grouped: any purchasable, visible child).
    pub fn is_on_sale(&self, product: &'a Product, now: UnixTime) -> bool {
        match product.product_type {
            ProductType::Variable => self
                .visible_children(product, now)
                .iter()
                .any(|child| self.own_sale_running(child, now)),
            ProductType::Grouped => product
                .grouped_products
                .iter()
                .filter_map(|id| self.product(*id))
                .filter(|child| self.is_purchasable(child, now) && self.is_visible(child))
                .any(|child| self.is_on_sale(child, now)),
            _ => self.own_sale_running(product, now),
        }
    }

    /// The active price: the sale price while on sale, else the regular price. Variable
    /// products: the lowest active price of their visible children. Grouped: the lowest
    /// price of their published, priced children.
    pub fn active_price(&self, product: &'a Product, now: UnixTime) -> Option<Decimal> {
        match product.product_type {
            ProductType::Variable => self
                .visible_children(product, now)
                .iter()
                .filter_map(|child| self.active_price(child, now))
                .min(),
            ProductType::Grouped => self
                .priced_group_children(product, now)
                .iter()
                .filter_map(|child| self.active_price(child, now))
                .min(),
            _ => {
                if self.own_sale_running(product, now) {
                    product.sale_price
                } else {
                    product.regular_price
                }
            }
        }
    }

    /// Min and max active price of a grouped product's published, priced children.
    pub fn group_price_bounds(
        &self,
        product: &'a Product,
        now: UnixTime,
    ) -> Option<(&'a Product, &'a Product)> {
        let children = self.priced_group_children(product, now);
        let price = |child: &&'a Product| self.active_price(child, now).unwrap_or_default();
        let min = children.iter().copied().min_by_key(price)?;
        let max = children.iter().copied().max_by_key(price)?;
        Some((min, max))
    }

    /// Purchasable (product-model §4.2).
    pub fn is_purchasable(&self, product: &'a Product, now: UnixTime) -> bool {
        let base =
            product.status == PostStatus::Publish && self.active_price(product, now).is_some();
        match product.product_type {
            ProductType::Grouped | ProductType::External => false,
            ProductType::Variation => {
                base && self
                    .parent(product)
                    .is_some_and(|parent| parent.status == PostStatus::Publish)
            }
            _ => base,
        }
    }

    /// Catalog-visible in a REST context (product-model §4.8): `visible` or `catalog`,
    /// publicly viewable, and in stock when the store hides out-of-stock items.
    pub fn is_visible(&self, product: &Product) -> bool {
        let visibility = self
            .parent(product)
            .map_or(product.catalog_visibility, |parent| {
                parent.catalog_visibility
            });
        use crate::catalog::model::CatalogVisibility::{Catalog, Visible};
        matches!(visibility, Visible | Catalog)
            && self.publicly_viewable(product)
            && (!self.settings().hide_out_of_stock_items || self.is_in_stock(product))
    }

    // -- tax display -----------------------------------------------------------------

    /// `amount` as the shop displays it: tax added or removed for the store's base
    /// location when the shop display setting differs from how prices are entered.
    pub fn display_price(&self, product: &'a Product, amount: Decimal) -> Decimal {
        let settings = self.settings();
        let entered_incl = settings.prices_include_tax;
        let display_incl = settings.tax_display_shop == TaxDisplay::Incl;
        if !settings.calc_taxes
            || self.tax_status(product) != TaxStatus::Taxable
            || entered_incl == display_incl
        {
            return amount;
        }
        let rates = self.base_rates(self.tax_class(product));
        if rates.is_empty() {
            return amount;
        }
        let dp = settings.price_decimals;
        if display_incl {
            let mut taxed = amount;
            let simple: Decimal = rates.iter().filter(|(_, c)| !c).map(|(r, _)| *r).sum();
            taxed += amount * simple / Decimal::ONE_HUNDRED;
            for (rate, _) in rates.iter().filter(|(_, compound)| *compound) {
                taxed += taxed * *rate / Decimal::ONE_HUNDRED;
            }
            taxed.round_dp(dp)
        } else {
            let mut net = amount;
            for (rate, _) in rates.iter().rev().filter(|(_, compound)| *compound) {
                net = net * Decimal::ONE_HUNDRED / (Decimal::ONE_HUNDRED + *rate);
            }
            let simple: Decimal = rates.iter().filter(|(_, c)| !c).map(|(r, _)| *r).sum();
            net = net * Decimal::ONE_HUNDRED / (Decimal::ONE_HUNDRED + simple);
            net.round_dp(dp)
        }
    }

    /// The tax rates (percent, compound flag) of `class` at the store's base location,
    /// one per priority, in priority order.
    fn base_rates(&self, class: &str) -> Vec<(Decimal, bool)> {
        let settings = self.settings();
        let mut matching: Vec<_> = self
            .data
            .tax_rates
            .iter()
            .filter(|rate| rate.class == class)
            .filter(|rate| rate.country.is_empty() || rate.country == settings.base_country)
            .filter(|rate| rate.state.is_empty() || rate.state == settings.base_state)
            .filter(|rate| {
                rate.postcodes.is_empty() || rate.postcodes.contains(&settings.base_postcode)
            })
            .filter(|rate| {
                rate.cities.is_empty() || rate.cities.contains(&settings.base_city.to_uppercase())
            })
            .collect();
        matching.sort_by_key(|rate| (rate.priority, rate.order));
        let mut seen_priorities = Vec::new();
        let mut rates = Vec::new();
        for rate in matching {
            if !seen_priorities.contains(&rate.priority) {
                seen_priorities.push(rate.priority);
                rates.push((rate.rate, rate.compound));
            }
        }
        rates
    }
}
