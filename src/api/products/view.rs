//! The catalog as the Products API reads it.
//!
//! [`Catalog`] and its [`ProductView`] own the product rules (inheritance, stock, prices,
//! purchasability). The Products API works with plain `&Product` records (it sorts,
//! filters and renders them by the thousand), so [`CatalogView`] answers each question
//! for a record by asking the snapshot, and adds the few rules only this API needs: the
//! embedded-variation visibility of products.md §5.6, grouped price bounds, and prices
//! as the shop displays them (tax added or removed for the store's base location).

use rust_decimal::Decimal;

use crate::catalog::model::{
    AttributeTaxonomy, Backorders, Image, PostStatus, Product, ProductType, Review, StoreSettings,
    TaxDisplay, TaxStatus, Term, UnixTime,
};
use crate::catalog::{Catalog, ProductView};

/// Record-level access to one catalog snapshot.
#[derive(Clone, Copy)]
pub struct CatalogView<'a> {
    catalog: &'a Catalog,
}

impl<'a> CatalogView<'a> {
    /// Wraps a snapshot.
    pub fn new(catalog: &'a Catalog) -> Self {
        Self { catalog }
    }

    /// The rules view of a record (`None` only for records foreign to the snapshot).
    fn view(&self, product: &Product) -> Option<ProductView<'a>> {
        self.catalog.product(product.id)
    }

    /// The store settings.
    pub fn settings(&self) -> &'a StoreSettings {
        self.catalog.settings()
    }

    /// Every product and variation record, in stored order.
    pub fn all_products(&self) -> &'a [Product] {
        &self.catalog.data().products
    }

    /// Every review record.
    pub fn reviews(&self) -> &'a [Review] {
        &self.catalog.data().reviews
    }

    /// Every term (categories, tags, attribute terms).
    pub fn terms(&self) -> &'a [Term] {
        &self.catalog.data().terms
    }

    /// Every global attribute definition, in stored order.
    pub fn attributes(&self) -> &'a [AttributeTaxonomy] {
        &self.catalog.data().attributes
    }

    /// A product or variation by ID, trashed records included.
    pub fn product(&self, id: u64) -> Option<&'a Product> {
        self.catalog.product(id).map(|view| view.record())
    }

    /// The product or variation (not trashed) whose SKU is exactly `sku`.
    pub fn product_by_sku(&self, sku: &str) -> Option<&'a Product> {
        self.catalog.product_by_sku(sku).map(|view| view.record())
    }

    /// The parent record of a variation.
    pub fn parent(&self, product: &Product) -> Option<&'a Product> {
        if product.parent_id == 0 {
            None
        } else {
            self.product(product.parent_id)
        }
    }

    /// A variable product's variations in `menu_order`, then ID order, any status.
    pub fn children(&self, product: &Product) -> Vec<&'a Product> {
        self.catalog
            .variation_ids(product.id)
            .iter()
            .filter_map(|id| self.product(*id))
            .collect()
    }

    /// A term by ID.
    pub fn term(&self, id: u64) -> Option<&'a Term> {
        self.catalog.term(id)
    }

    /// The term of `taxonomy` with `slug`.
    pub fn term_by_slug(&self, taxonomy: &str, slug: &str) -> Option<&'a Term> {
        self.catalog.term_by_slug(taxonomy, slug)
    }

    /// An image attachment by ID.
    pub fn image(&self, id: u64) -> Option<&'a Image> {
        self.catalog.image(id)
    }

    /// A global attribute by ID.
    pub fn attribute(&self, id: u64) -> Option<&'a AttributeTaxonomy> {
        self.catalog.attribute(id)
    }

    /// The global attribute whose taxonomy is `taxonomy` (`pa_color`).
    pub fn attribute_by_taxonomy(&self, taxonomy: &str) -> Option<&'a AttributeTaxonomy> {
        self.catalog.attribute_by_taxonomy(taxonomy)
    }

    // -- inherited fields ------------------------------------------------------------

    /// SKU, the parent's when a variation has none.
    pub fn sku(&self, product: &'a Product) -> &'a str {
        self.view(product).map_or(&product.sku, |view| view.sku())
    }

    /// GTIN/UPC/EAN/ISBN, the parent's when a variation has none.
    pub fn global_unique_id(&self, product: &'a Product) -> &'a str {
        self.view(product)
            .map_or(&product.global_unique_id, |view| view.global_unique_id())
    }

    /// Weight, length, width and height, each inherited when a variation has none.
    pub fn measures(&self, product: &Product) -> [Option<Decimal>; 4] {
        self.view(product).map_or(
            [
                product.weight,
                product.length,
                product.width,
                product.height,
            ],
            |view| [view.weight(), view.length(), view.width(), view.height()],
        )
    }

    /// The featured image ID, the parent's when a variation has none (0 = none).
    pub fn image_id(&self, product: &Product) -> u64 {
        self.view(product)
            .map_or(product.image_id, |view| view.image_id())
    }

    /// Sold individually (variations: the parent's flag).
    pub fn sold_individually(&self, product: &Product) -> bool {
        self.view(product)
            .is_some_and(|view| view.sold_individually())
    }

    /// Tax status (variations: the parent's).
    fn tax_status(&self, product: &Product) -> TaxStatus {
        self.view(product)
            .map_or(product.tax_status, |view| view.tax_status())
    }

    /// Tax class slug with `parent` resolved.
    fn tax_class(&self, product: &'a Product) -> &'a str {
        self.view(product)
            .map_or(&product.tax_class, |view| view.tax_class())
    }

    // -- stock -----------------------------------------------------------------------

    /// Stock is managed (store switch and product or parent setting).
    pub fn managing_stock(&self, product: &Product) -> bool {
        self.view(product).is_some_and(|view| view.managing_stock())
    }

    /// The stock quantity when stock is managed.
    pub fn stock_quantity(&self, product: &Product) -> Option<Decimal> {
        self.view(product)
            .filter(|view| view.managing_stock())
            .and_then(|view| view.stock_quantity())
    }

    /// The effective stock status.
    pub fn stock_status(&self, product: &Product) -> crate::catalog::model::StockStatus {
        self.view(product)
            .map_or(product.stock_status, |view| view.stock_status())
    }

    /// The effective backorder policy.
    pub fn backorders(&self, product: &Product) -> Backorders {
        self.view(product)
            .map_or(product.backorders, |view| view.backorders())
    }

    /// Backorders are allowed (`yes` or `notify`).
    pub fn backorders_allowed(&self, product: &Product) -> bool {
        self.view(product)
            .is_some_and(|view| view.backorders_allowed())
    }

    /// In stock: any status but `outofstock`.
    pub fn is_in_stock(&self, product: &Product) -> bool {
        self.view(product).is_some_and(|view| view.is_in_stock())
    }

    /// On backorder with nothing in the cart.
    pub fn is_on_backorder(&self, product: &Product) -> bool {
        self.view(product)
            .is_some_and(|view| view.is_on_backorder(Decimal::ZERO))
    }

    /// The maximum purchase quantity before filters (`None` = unlimited).
    pub fn max_purchase_quantity(&self, product: &Product) -> Option<Decimal> {
        self.view(product)
            .and_then(|view| view.max_purchase_quantity())
    }

    // -- visibility and prices -------------------------------------------------------

    /// Catalog-visible in a REST context (product-model §4.8).
    pub fn is_visible(&self, product: &Product) -> bool {
        self.view(product).is_some_and(|view| view.is_visible())
    }

    /// Purchasable (product-model §4.2).
    pub fn is_purchasable(&self, product: &Product, now: UnixTime) -> bool {
        self.view(product)
            .is_some_and(|view| view.is_purchasable(now))
    }

    /// On sale now.
    pub fn is_on_sale(&self, product: &Product, now: UnixTime) -> bool {
        self.view(product).is_some_and(|view| view.is_on_sale(now))
    }

    /// The active price now; grouped products take their cheapest priced child.
    pub fn active_price(&self, product: &Product, now: UnixTime) -> Option<Decimal> {
        if product.product_type == ProductType::Grouped {
            return self
                .group_price_bounds(product, now)
                .and_then(|(cheapest, _)| self.active_price(cheapest, now));
        }
        self.view(product).and_then(|view| view.price(now))
    }

    /// The variations a variable product embeds (§5.6): existing, in stock when the store
    /// hides out-of-stock items, and enabled and priced unless the store shows invisible
    /// variations.
    pub fn visible_children(&self, product: &Product, now: UnixTime) -> Vec<&'a Product> {
        let settings = self.settings();
        self.children(product)
            .into_iter()
            .filter(|child| child.status != PostStatus::Trash)
            .filter(|child| !settings.hide_out_of_stock_items || self.is_in_stock(child))
            .filter(|child| {
                !settings.hide_invisible_variations
                    || self
                        .view(child)
                        .is_some_and(|view| view.variation_visible(now))
            })
            .collect()
    }

    /// The cheapest and dearest published, priced children of a grouped product.
    pub fn group_price_bounds(
        &self,
        product: &Product,
        now: UnixTime,
    ) -> Option<(&'a Product, &'a Product)> {
        let priced: Vec<(Decimal, &'a Product)> = product
            .grouped_products
            .iter()
            .filter_map(|id| self.catalog.product(*id))
            .filter(|child| child.record().status == PostStatus::Publish)
            .filter_map(|child| child.price(now).map(|price| (price, child.record())))
            .collect();
        let cheapest = priced.iter().min_by_key(|(price, _)| *price)?;
        let dearest = priced.iter().max_by_key(|(price, _)| *price)?;
        Some((cheapest.1, dearest.1))
    }

    // -- tax display -----------------------------------------------------------------

    /// `amount` as the shop displays it: tax added or removed for the store's base
    /// location when the shop display setting differs from how prices are entered.
    pub fn display_price(&self, product: &'a Product, amount: Decimal) -> Decimal {
        let settings = self.settings();
        let display_incl = settings.tax_display_shop == TaxDisplay::Incl;
        if !settings.calc_taxes
            || self.tax_status(product) != TaxStatus::Taxable
            || settings.prices_include_tax == display_incl
        {
            return amount;
        }
        let rates = self.base_rates(self.tax_class(product));
        if rates.is_empty() {
            return amount;
        }
        let hundred = Decimal::ONE_HUNDRED;
        let simple = rates
            .iter()
            .filter(|(_, compound)| !compound)
            .try_fold(Decimal::ZERO, |sum, (rate, _)| sum.checked_add(*rate));
        let compound: Vec<Decimal> = rates
            .iter()
            .filter(|(_, compound)| *compound)
            .map(|(rate, _)| *rate)
            .collect();
        // Checked arithmetic: absurd rates or amounts leave the price untaxed, never panic.
        let shown = simple.and_then(|simple| {
            if display_incl {
                let mut taxed =
                    amount.checked_add(amount.checked_mul(simple)?.checked_div(hundred)?)?;
                for rate in &compound {
                    taxed = taxed.checked_add(taxed.checked_mul(*rate)?.checked_div(hundred)?)?;
                }
                Some(taxed)
            } else {
                let mut net = amount;
                for rate in compound.iter().rev() {
                    net = net
                        .checked_mul(hundred)?
                        .checked_div(hundred.checked_add(*rate)?)?;
                }
                net.checked_mul(hundred)?
                    .checked_div(hundred.checked_add(simple)?)
            }
        });
        let Some(shown) = shown else {
            return amount;
        };
        shown.round_dp(settings.price_decimals)
    }

    /// The tax rates (percent, compound flag) of `class` at the store's base location,
    /// the first matching rate of each priority, in priority order.
    fn base_rates(&self, class: &str) -> Vec<(Decimal, bool)> {
        let settings = self.settings();
        let city = settings.base_city.to_uppercase();
        let mut matching: Vec<_> = self
            .catalog
            .tax_rates()
            .iter()
            .filter(|rate| rate.class == class)
            .filter(|rate| rate.country.is_empty() || rate.country == settings.base_country)
            .filter(|rate| rate.state.is_empty() || rate.state == settings.base_state)
            .filter(|rate| {
                rate.postcodes.is_empty() || rate.postcodes.contains(&settings.base_postcode)
            })
            .filter(|rate| rate.cities.is_empty() || rate.cities.contains(&city))
            .collect();
        matching.sort_by_key(|rate| (rate.priority, rate.order));
        let mut priorities = Vec::new();
        let mut rates = Vec::new();
        for rate in matching {
            if !priorities.contains(&rate.priority) {
                priorities.push(rate.priority);
                rates.push((rate.rate, rate.compound));
            }
        }
        rates
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::model::{CatalogData, TaxRate};
    use rust_decimal_macros::dec;

    fn rate(rate: Decimal, priority: u32, compound: bool) -> TaxRate {
        TaxRate {
            id: priority.into(),
            country: "US".into(),
            state: String::new(),
            postcodes: Vec::new(),
            cities: Vec::new(),
            rate,
            name: "Tax".into(),
            priority,
            compound,
            shipping: true,
            order: 0,
            class: String::new(),
        }
    }

    #[test]
    fn display_prices_add_or_remove_base_tax() {
        let mut data = CatalogData::default();
        let mut settings = StoreSettings {
            calc_taxes: true,
            tax_display_shop: TaxDisplay::Incl,
            ..StoreSettings::default()
        };
        data.products = vec![Product::new(1, "Taxed")];
        data.tax_rates = vec![rate(dec!(10), 1, false), rate(dec!(5), 2, true)];
        data.settings = Some(settings.clone());
        let catalog = Catalog::new(data.clone());
        let view = CatalogView::new(&catalog);
        let product = view.product(1).unwrap();
        assert_eq!(view.display_price(product, dec!(100)), dec!(115.50));

        settings.prices_include_tax = true;
        settings.tax_display_shop = TaxDisplay::Excl;
        data.settings = Some(settings);
        let catalog = Catalog::new(data);
        let view = CatalogView::new(&catalog);
        let product = view.product(1).unwrap();
        assert_eq!(view.display_price(product, dec!(115.50)), dec!(100.00));
    }
}
