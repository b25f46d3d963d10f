//! The product and variation collections: argument parsing, filtering, sorting, paging
//! (products.md §3 and §7.1).
//!
//! CoCart hands its collection arguments to `WP_Query`; storefronts rely on the resulting
//! semantics (which records are public, how each `orderby` sorts, when a page number is
//! rejected). [`ProductQuery::parse`] turns the merged request parameters into a typed
//! query with WordPress's validation, and [`query_products`] runs it against the catalog.

use std::cmp::Ordering;

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use serde_json::{Map, Value};

use super::error;
use super::paging::{Page, skip_count};
use super::params::{self, list_entries, scalar_text};
use super::view::CatalogView;
use crate::catalog::model::{
    CATEGORY_TAXONOMY, CatalogVisibility, PostStatus, Product, ProductType, StockStatus,
    TAG_TAXONOMY, UnixTime,
};
use crate::error::ApiError;

/// Which collection route the query serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CollectionRoute {
    /// `GET /products`.
    Products,
    /// `GET /products/{product_id}/variations`: variation records of one parent.
    Variations {
        /// The parent from the path (not validated: an unknown parent lists nothing).
        parent_id: u64,
    },
}

/// The `orderby` values CoCart accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrderBy {
    /// Publish date, then ID.
    Date,
    /// ID.
    Id,
    /// Menu order, then title.
    MenuOrder,
    /// The order of the `include` list.
    Include,
    /// Title.
    Title,
    /// Slug (`slug` and `name`).
    Slug,
    /// Units sold, descending (a fix: 4.4 falls back to the date sort).
    Popularity,
    /// Title ascending.
    Alphabetical,
    /// Title descending.
    ReverseAlpha,
    /// Stock quantity descending, then title.
    ByStock,
    /// Review count descending, then title.
    ReviewCount,
    /// Sale price descending, then title.
    OnSaleFirst,
    /// Featured first, then title (a fix: 4.4 reads a legacy field).
    FeaturedFirst,
    /// Price ascending.
    PriceAsc,
    /// Price descending.
    PriceDesc,
    /// Units sold in the requested direction.
    Sales,
    /// Average rating descending.
    Rating,
}

impl OrderBy {
    /// Reads one of the declared `orderby` names.
    pub fn from_name(name: &str) -> Option<OrderBy> {
        Some(match name {
            "date" => OrderBy::Date,
            "id" => OrderBy::Id,
            "menu_order" => OrderBy::MenuOrder,
            "include" => OrderBy::Include,
            "title" => OrderBy::Title,
            "slug" | "name" => OrderBy::Slug,
            "popularity" => OrderBy::Popularity,
            "alphabetical" => OrderBy::Alphabetical,
            "reverse_alpha" => OrderBy::ReverseAlpha,
            "by_stock" => OrderBy::ByStock,
            "review_count" => OrderBy::ReviewCount,
            "on_sale_first" => OrderBy::OnSaleFirst,
            "featured_first" => OrderBy::FeaturedFirst,
            "price_asc" => OrderBy::PriceAsc,
            "price_desc" => OrderBy::PriceDesc,
            "sales" => OrderBy::Sales,
            "rating" => OrderBy::Rating,
            _ => return None,
        })
    }
}

/// How a term filter combines its terms. CoCart's `not in` is normalised to an unknown
/// operator and falls back to `in` (products.md §3.1), so only two behaviours exist.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TermOperator {
    /// The record has any of the terms.
    In,
    /// The record has all of the terms.
    And,
}

impl TermOperator {
    fn from_name(name: &str) -> TermOperator {
        if name == "and" {
            TermOperator::And
        } else {
            TermOperator::In
        }
    }

    /// Whether the `assigned` term IDs satisfy the `wanted` ones.
    fn matches(self, wanted: &[u64], assigned: &[u64]) -> bool {
        match self {
            TermOperator::In => wanted.iter().any(|id| assigned.contains(id)),
            TermOperator::And => wanted.iter().all(|id| assigned.contains(id)),
        }
    }
}

/// A taxonomy filter: `category`, `tag` or `_unstable_tax_<taxonomy>` (one ID or slug).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaxonomyFilter {
    /// The taxonomy (`product_cat`, `product_tag`, `pa_color`).
    pub taxonomy: String,
    /// A single numeric term ID or slug, as sent (a comma list is not split).
    pub term: String,
    /// How the term (and, for categories, its descendants) must match.
    pub operator: TermOperator,
}

/// One entry of the `attributes` filter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttributeFilter {
    /// The global attribute taxonomy (`pa_color`).
    pub taxonomy: String,
    /// Term IDs (win over slugs when both are sent).
    pub term_ids: Vec<u64>,
    /// Term slugs.
    pub slugs: Vec<String>,
    /// How the terms combine.
    pub operator: TermOperator,
}

/// Which catalog visibilities the collection returns (`catalog_visibility`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VisibilityFilter {
    /// All four.
    Any,
    /// Only `visible` (the default).
    Visible,
    /// `visible` and `catalog`.
    Catalog,
    /// `visible` and `search`.
    Search,
    /// Only `hidden`.
    Hidden,
}

impl VisibilityFilter {
    fn allows(self, visibility: CatalogVisibility) -> bool {
        use CatalogVisibility as V;
        match self {
            VisibilityFilter::Any => true,
            VisibilityFilter::Visible => visibility == V::Visible,
            VisibilityFilter::Catalog => matches!(visibility, V::Visible | V::Catalog),
            VisibilityFilter::Search => matches!(visibility, V::Visible | V::Search),
            VisibilityFilter::Hidden => visibility == V::Hidden,
        }
    }
}

/// A parsed collection request.
#[derive(Debug, Clone, PartialEq)]
pub struct ProductQuery {
    /// The route the query serves.
    pub route: CollectionRoute,
    /// Page number (≥ 1).
    pub page: u64,
    /// Page size (1–100).
    pub per_page: u64,
    /// Results to skip; overrides `page` for the slice (not for the headers).
    pub offset: Option<u64>,
    /// Words that must all appear in the title, short description or description.
    pub search: Option<String>,
    /// Exact slug.
    pub slug: Option<String>,
    /// Created strictly after this local wall-clock time.
    pub after: Option<UnixTime>,
    /// Created strictly before this local wall-clock time.
    pub before: Option<UnixTime>,
    /// Product type filter (`variation` switches to variation records).
    pub product_type: Option<String>,
    /// SKUs to match (each comma piece plus the whole string); empty = no SKU filter.
    pub skus: Vec<String>,
    /// Global unique IDs to match; empty = no filter.
    pub global_unique_ids: Vec<String>,
    /// Featured only / non-featured only.
    pub featured: Option<bool>,
    /// Only on-sale (replaces `include`) / never on-sale (replaces `exclude`).
    pub on_sale: Option<bool>,
    /// Only products with a price above zero.
    pub hide_free: bool,
    /// Embed reviews in each product.
    pub show_reviews: bool,
    /// v1: embed full variation data.
    pub return_variations: bool,
    /// Category, tag and other taxonomy filters.
    pub taxonomy_filters: Vec<TaxonomyFilter>,
    /// Global attribute filters (always combined with AND).
    pub attribute_filters: Vec<AttributeFilter>,
    /// Stock status equality (a fix on the products route; 4.4 ignores it there).
    pub stock_status: Option<StockStatus>,
    /// Lower price bound in whole units.
    pub min_price: Option<Decimal>,
    /// Upper price bound in whole units.
    pub max_price: Option<Decimal>,
    /// Catalog visibility selection.
    pub catalog_visibility: VisibilityFilter,
    /// Rounded average ratings to match; empty = no filter.
    pub rating: Vec<u64>,
    /// The `order` argument (`ASC` or `DESC`).
    pub order: String,
    /// Sort key.
    pub orderby: OrderBy,
    /// Only these IDs (empty = all).
    pub include: Vec<u64>,
    /// Never these IDs.
    pub exclude: Vec<u64>,
    /// Only records whose parent is one of these.
    pub parent: Vec<u64>,
    /// Never records whose parent is one of these.
    pub parent_exclude: Vec<u64>,
}

impl ProductQuery {
    /// Parses and validates the merged request parameters of a collection route.
    /// `default_orderby` is the store's default catalog order (unknown values sort by
    /// date). `params` are the request's arguments after the HTTP layer validated and
    /// coerced them against the route's declared schemas; the only error left is a
    /// malformed `after`/`before` date (400 `rest_invalid_param`).
    pub fn parse(
        params: &Map<String, Value>,
        route: CollectionRoute,
        default_orderby: &str,
    ) -> Result<ProductQuery, ApiError> {
        let products_route = route == CollectionRoute::Products;
        // Arguments the variations route does not declare are not read there.
        let declared = |name: &str| {
            products_route
                .then(|| params::string(params, name))
                .flatten()
        };
        let page = params::integer(params, "page");
        let per_page = params::integer(params, "per_page");
        let search = params::string(params, "search");
        let slug = params::string(params, "slug");
        let after = params::date_time(params, "after")?;
        let before = params::date_time(params, "before")?;
        let product_type = declared("type");
        let sku = params::string(params, "sku");
        let hide_free = params::boolean(params, "hide_free");
        let featured = products_route
            .then(|| params::boolean(params, "featured"))
            .flatten();
        let category = declared("category");
        let category_operator = params::string(params, "category_operator");
        let tag = declared("tag");
        let tag_operator = params::string(params, "tag_operator");
        let stock_status = params::string(params, "stock_status");
        let on_sale = params::boolean(params, "on_sale");
        let min_price = params::string(params, "min_price");
        let max_price = params::string(params, "max_price");
        let show_reviews = params::boolean(params, "show_reviews");
        let return_variations = params::boolean(params, "return_variations");
        let attribute_filters = parse_attribute_filters(params.get("attributes"));
        let catalog_visibility = params::string(params, "catalog_visibility");
        let rating = params::id_list(params, "rating");
        let offset = params::integer(params, "offset");
        let order = params::string(params, "order").unwrap_or_else(|| "DESC".to_string());
        let orderby = params::string(params, "orderby");
        let exclude = params::id_list(params, "exclude");
        let include = params::id_list(params, "include");
        let mut parent = params::id_list(params, "parent");
        let parent_exclude = params::id_list(params, "parent_exclude");
        let global_unique_ids = params
            .get("global_unique_id")
            .and_then(scalar_text)
            .map(|text| comma_values(&text))
            .unwrap_or_default();
        let extra_taxonomies = unstable_taxonomy_filters(params);

        if let CollectionRoute::Variations { parent_id } = route {
            parent = vec![parent_id];
        }
        let mut taxonomy_filters = Vec::new();
        let mut push_filter = |taxonomy: &str, term: Option<String>, operator: Option<String>| {
            if let Some(term) = term.filter(|t| !t.is_empty()) {
                taxonomy_filters.push(TaxonomyFilter {
                    taxonomy: taxonomy.to_string(),
                    term,
                    operator: TermOperator::from_name(operator.as_deref().unwrap_or("in")),
                });
            }
        };
        push_filter(CATEGORY_TAXONOMY, category, category_operator);
        push_filter(TAG_TAXONOMY, tag, tag_operator);
        for (taxonomy, term, operator) in extra_taxonomies {
            push_filter(&taxonomy, Some(term), operator);
        }

        let orderby = orderby
            .as_deref()
            .and_then(OrderBy::from_name)
            .or_else(|| OrderBy::from_name(default_orderby))
            .unwrap_or(OrderBy::Date);
        Ok(ProductQuery {
            route,
            page: page.map_or(1, |p| p.unsigned_abs()),
            per_page: per_page.map_or(10, |p| p.unsigned_abs()),
            offset: offset.map(|o| o.unsigned_abs()),
            search: search.filter(|s| !s.trim().is_empty()),
            slug: slug.filter(|s| !s.is_empty()).map(|s| s.to_lowercase()),
            after: after.as_deref().and_then(UnixTime::parse),
            before: before.as_deref().and_then(UnixTime::parse),
            product_type,
            skus: sku.map(|text| comma_values(&text)).unwrap_or_default(),
            global_unique_ids,
            featured,
            on_sale,
            hide_free: hide_free.unwrap_or(false),
            show_reviews: show_reviews.unwrap_or(false),
            return_variations: return_variations.unwrap_or(false),
            taxonomy_filters,
            attribute_filters,
            stock_status: stock_status.as_deref().and_then(StockStatus::from_name),
            min_price: min_price.map(|text| whole_units(&text)),
            max_price: max_price.map(|text| whole_units(&text)),
            catalog_visibility: match catalog_visibility.as_deref() {
                Some("any") => VisibilityFilter::Any,
                Some("catalog") => VisibilityFilter::Catalog,
                Some("search") => VisibilityFilter::Search,
                Some("hidden") => VisibilityFilter::Hidden,
                _ => VisibilityFilter::Visible,
            },
            rating,
            order,
            orderby,
            include,
            exclude,
            parent,
            parent_exclude,
        })
    }

    /// The number of records skipped before the returned slice.
    fn skip(&self) -> u64 {
        skip_count(self.page, self.per_page, self.offset)
    }
}

/// Splits a comma-separated value into trimmed pieces and also keeps the whole string
/// (CoCart tries both for SKUs and global unique IDs).
fn comma_values(text: &str) -> Vec<String> {
    let mut values: Vec<String> = text
        .split(',')
        .map(|piece| piece.trim().to_string())
        .filter(|piece| !piece.is_empty())
        .collect();
    let whole = text.trim().to_string();
    if !whole.is_empty() && !values.contains(&whole) {
        values.push(whole);
    }
    values
}

/// `floor(floatval(text))` on a decimal string: the leading number cut to whole units.
fn whole_units(text: &str) -> Decimal {
    let trimmed = text.trim();
    let end = trimmed
        .char_indices()
        .find(|&(i, c)| !(c.is_ascii_digit() || c == '.' || (i == 0 && (c == '-' || c == '+'))))
        .map_or(trimmed.len(), |(i, _)| i);
    trimmed[..end]
        .parse::<Decimal>()
        .map(|value| value.floor())
        .unwrap_or_default()
}

/// Reads the `attributes` argument (already checked to be a list of objects): the members
/// of each entry are CoCart's own, sanitised by it, not by the schema. Entries without
/// terms or with a taxonomy that is not `pa_*` are skipped later, at match time.
fn parse_attribute_filters(value: Option<&Value>) -> Vec<AttributeFilter> {
    let Some(Value::Array(entries)) = value else {
        return Vec::new();
    };
    let mut filters = Vec::new();
    for entry in entries {
        let Value::Object(object) = entry else {
            continue;
        };
        let taxonomy = object
            .get("attribute")
            .and_then(scalar_text)
            .unwrap_or_default()
            .trim()
            .to_lowercase();
        let term_ids: Vec<u64> = list_entries(object.get("term_id"))
            .iter()
            .filter_map(|id| id.trim().parse::<u64>().ok())
            .collect();
        let slugs = list_entries(object.get("slug"));
        let operator = object
            .get("operator")
            .and_then(scalar_text)
            .map_or(TermOperator::In, |name| TermOperator::from_name(&name));
        filters.push(AttributeFilter {
            taxonomy,
            term_ids,
            slugs,
            operator,
        });
    }
    filters
}

/// The undeclared `_unstable_tax_<taxonomy>` filters with their `_operator` companions.
fn unstable_taxonomy_filters(params: &Map<String, Value>) -> Vec<(String, String, Option<String>)> {
    const PREFIX: &str = "_unstable_tax_";
    params
        .iter()
        .filter_map(|(key, value)| {
            let taxonomy = key.strip_prefix(PREFIX)?;
            if taxonomy.ends_with("_operator") {
                return None;
            }
            let operator = params
                .get(&format!("{key}_operator"))
                .and_then(scalar_text)
                .map(|op| op.to_lowercase());
            Some((taxonomy.to_string(), scalar_text(value)?, operator))
        })
        .collect()
}

/// One page of a product or variation collection.
pub type ProductPage<'a> = Page<&'a Product>;

/// Runs a collection query: visibility rules, filters, sort, page slice. A page past the
/// last one (while something matches) is 400 `cocart_products_invalid_page_number`.
pub fn query_products<'a>(
    catalog: &CatalogView<'a>,
    query: &ProductQuery,
    now: UnixTime,
) -> Result<ProductPage<'a>, ApiError> {
    let mut matches: Vec<&'a Product> = catalog
        .all_products()
        .iter()
        .filter(|product| matches_query(catalog, query, product, now))
        .collect();
    sort_products(catalog, query, &mut matches, now);

    let page = Page::slice(matches, query.skip(), query.per_page);
    if query.page > page.total_pages && page.total > 0 {
        return Err(error::invalid_page_number());
    }
    Ok(page)
}

/// Which record kinds the query covers.
fn record_kind_allowed(query: &ProductQuery, product: &Product) -> bool {
    let is_variation = product.product_type == ProductType::Variation;
    let variations_only = matches!(query.route, CollectionRoute::Variations { .. })
        || query.product_type.as_deref() == Some("variation");
    if variations_only {
        is_variation
    } else {
        !is_variation || !query.skus.is_empty()
    }
}

fn matches_query<'a>(
    catalog: &CatalogView<'a>,
    query: &ProductQuery,
    product: &'a Product,
    now: UnixTime,
) -> bool {
    if product.status != PostStatus::Publish || !record_kind_allowed(query, product) {
        return false;
    }
    let is_variation = product.product_type == ProductType::Variation;
    if !is_variation && !query.catalog_visibility.allows(product.catalog_visibility) {
        return false;
    }
    if let Some(wanted) = query.product_type.as_deref()
        && wanted != "variation"
        && product.product_type.as_str() != wanted
    {
        return false;
    }
    matches_ids(catalog, query, product, now)
        && matches_text(query, product)
        && matches_dates(catalog, query, product)
        && matches_flags(catalog, query, product, now)
        && matches_prices(catalog, query, product, now)
        && query
            .taxonomy_filters
            .iter()
            .all(|filter| matches_taxonomy(catalog, filter, product))
        && query
            .attribute_filters
            .iter()
            .all(|filter| matches_attribute(catalog, filter, product))
}

fn matches_ids<'a>(
    catalog: &CatalogView<'a>,
    query: &ProductQuery,
    product: &'a Product,
    now: UnixTime,
) -> bool {
    let on_sale = || catalog.is_on_sale(product, now);
    let included = match query.on_sale {
        Some(true) => on_sale(),
        _ => query.include.is_empty() || query.include.contains(&product.id),
    };
    let excluded = match query.on_sale {
        Some(false) => on_sale(),
        _ => query.exclude.contains(&product.id),
    };
    included
        && !excluded
        && (query.parent.is_empty() || query.parent.contains(&product.parent_id))
        && !query.parent_exclude.contains(&product.parent_id)
        && (query.skus.is_empty() || query.skus.contains(&product.sku))
        && (query.global_unique_ids.is_empty()
            || query.global_unique_ids.contains(&product.global_unique_id))
}

fn matches_text(query: &ProductQuery, product: &Product) -> bool {
    if let Some(slug) = &query.slug
        && &product.slug != slug
    {
        return false;
    }
    let Some(search) = &query.search else {
        return true;
    };
    let haystacks = [
        product.name.to_lowercase(),
        product.short_description.to_lowercase(),
        product.description.to_lowercase(),
    ];
    search.split_whitespace().all(|word| {
        let (negated, word) = match word.strip_prefix('-') {
            Some(rest) if !rest.is_empty() => (true, rest),
            _ => (false, word),
        };
        let word = word.to_lowercase();
        haystacks.iter().any(|text| text.contains(&word)) != negated
    })
}

fn matches_dates(catalog: &CatalogView, query: &ProductQuery, product: &Product) -> bool {
    if query.after.is_none() && query.before.is_none() {
        return true;
    }
    let Some(created) = product.date_created else {
        return false;
    };
    let local = created.0 + catalog.settings().utc_offset_seconds;
    within_dates(local, query.after, query.before)
}

/// Whether a local wall-clock instant (seconds) lies strictly between the `after` and
/// `before` arguments, each optional.
pub(super) fn within_dates(local: i64, after: Option<UnixTime>, before: Option<UnixTime>) -> bool {
    after.is_none_or(|after| local > after.0) && before.is_none_or(|before| local < before.0)
}

fn matches_flags<'a>(
    catalog: &CatalogView<'a>,
    query: &ProductQuery,
    product: &'a Product,
    now: UnixTime,
) -> bool {
    if query
        .featured
        .is_some_and(|featured| featured != product.featured)
    {
        return false;
    }
    if query
        .stock_status
        .is_some_and(|status| status != product.stock_status)
    {
        return false;
    }
    if !query.rating.is_empty() {
        let rounded = product
            .average_rating
            .round_dp_with_strategy(0, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
            .to_u64()
            .unwrap_or(0);
        if !query.rating.contains(&rounded) {
            return false;
        }
    }
    if query.hide_free {
        let price = catalog.active_price(product, now);
        if price.is_none_or(|price| price <= Decimal::ZERO) {
            return false;
        }
    }
    true
}

/// The lowest and highest stored active price of a record (variable: over its visible
/// children), as WooCommerce's price lookup keeps them.
fn price_bounds<'a>(
    catalog: &CatalogView<'a>,
    record: &'a Product,
    now: UnixTime,
) -> Option<(Decimal, Decimal)> {
    if record.product_type == ProductType::Variable {
        let prices: Vec<Decimal> = catalog
            .visible_children(record, now)
            .iter()
            .filter_map(|child| catalog.active_price(child, now))
            .collect();
        Some((*prices.iter().min()?, *prices.iter().max()?))
    } else {
        let price = catalog.active_price(record, now)?;
        Some((price, price))
    }
}

fn matches_prices<'a>(
    catalog: &CatalogView<'a>,
    query: &ProductQuery,
    product: &'a Product,
    now: UnixTime,
) -> bool {
    if query.min_price.is_none() && query.max_price.is_none() {
        return true;
    }
    let Some((low, high)) = price_bounds(catalog, product, now) else {
        return false;
    };
    query.min_price.is_none_or(|min| high >= min) && query.max_price.is_none_or(|max| low <= max)
}

/// The term IDs of `taxonomy` assigned to a product.
pub(super) fn assigned_terms(catalog: &CatalogView, taxonomy: &str, product: &Product) -> Vec<u64> {
    match taxonomy {
        CATEGORY_TAXONOMY => product.category_ids.clone(),
        TAG_TAXONOMY => product.tag_ids.clone(),
        _ => product
            .attributes
            .iter()
            .filter(|attribute| attribute.name == taxonomy)
            .flat_map(|attribute| match &attribute.options {
                crate::catalog::model::AttributeOptions::Terms(ids) => ids.clone(),
                crate::catalog::model::AttributeOptions::Values(_) => Vec::new(),
            })
            .filter(|id| {
                catalog
                    .term(*id)
                    .is_some_and(|term| term.taxonomy == taxonomy)
            })
            .collect(),
    }
}

/// A term and, for categories, all its descendants (WordPress's `include_children`).
fn term_with_descendants(catalog: &CatalogView, taxonomy: &str, term_id: u64) -> Vec<u64> {
    let mut ids = vec![term_id];
    if taxonomy == CATEGORY_TAXONOMY {
        let mut cursor = 0;
        while cursor < ids.len() {
            let parent = ids[cursor];
            ids.extend(
                catalog
                    .terms()
                    .iter()
                    .filter(|t| {
                        t.taxonomy == taxonomy && t.parent == parent && !ids.contains(&t.id)
                    })
                    .map(|t| t.id)
                    .collect::<Vec<_>>(),
            );
            cursor += 1;
        }
    }
    ids
}

fn matches_taxonomy(catalog: &CatalogView, filter: &TaxonomyFilter, product: &Product) -> bool {
    let term = match filter.term.trim().parse::<u64>() {
        Ok(id) => catalog.term(id).filter(|t| t.taxonomy == filter.taxonomy),
        Err(_) => catalog.term_by_slug(&filter.taxonomy, filter.term.trim()),
    };
    let Some(term) = term else {
        return false;
    };
    let wanted = term_with_descendants(catalog, &filter.taxonomy, term.id);
    let assigned = assigned_terms(catalog, &filter.taxonomy, product);
    filter.operator.matches(&wanted, &assigned)
}

fn matches_attribute(catalog: &CatalogView, filter: &AttributeFilter, product: &Product) -> bool {
    if catalog.attribute_by_taxonomy(&filter.taxonomy).is_none()
        || (filter.term_ids.is_empty() && filter.slugs.is_empty())
    {
        return true;
    }
    let wanted: Vec<u64> = if filter.term_ids.is_empty() {
        filter
            .slugs
            .iter()
            .filter_map(|slug| catalog.term_by_slug(&filter.taxonomy, slug))
            .map(|term| term.id)
            .collect()
    } else {
        filter.term_ids.clone()
    };
    if wanted.is_empty() {
        return false;
    }
    let assigned = assigned_terms(catalog, &filter.taxonomy, product);
    filter.operator.matches(&wanted, &assigned)
}

/// `orderby=include`: records in the order of the `include` list (absent ones first).
pub(super) fn include_order(include: &[u64], a: u64, b: u64) -> Ordering {
    let position = |id: u64| include.iter().position(|included| *included == id);
    position(a).cmp(&position(b))
}

/// A sort key that may be missing; missing values sort last whatever the direction.
fn missing_last<T: Ord>(a: Option<T>, b: Option<T>, descending: bool) -> Ordering {
    match (a, b) {
        (Some(a), Some(b)) if descending => b.cmp(&a),
        (Some(a), Some(b)) => a.cmp(&b),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    }
}

/// `ordering`, reversed when sorting descending.
pub(super) fn directed(ordering: Ordering, descending: bool) -> Ordering {
    if descending {
        ordering.reverse()
    } else {
        ordering
    }
}

fn sort_products<'a>(
    catalog: &CatalogView<'a>,
    query: &ProductQuery,
    products: &mut [&'a Product],
    now: UnixTime,
) {
    let descending = query.order != "ASC";
    let title = |a: &Product, b: &Product| a.name.to_lowercase().cmp(&b.name.to_lowercase());
    let created = |p: &Product| p.date_created.map_or(i64::MIN, |t| t.0);
    let bounds = |p: &'a Product| price_bounds(catalog, p, now);
    products.sort_by(|a, b| match query.orderby {
        OrderBy::Date => directed(
            created(a).cmp(&created(b)).then(a.id.cmp(&b.id)),
            descending,
        ),
        OrderBy::Id => directed(a.id.cmp(&b.id), descending),
        OrderBy::MenuOrder => directed(
            a.menu_order.cmp(&b.menu_order).then(title(a, b)),
            descending,
        ),
        OrderBy::Include => include_order(&query.include, a.id, b.id),
        OrderBy::Title => directed(title(a, b), query.order == "DESC"),
        OrderBy::Slug => directed(a.slug.cmp(&b.slug), descending),
        OrderBy::Alphabetical => title(a, b),
        OrderBy::ReverseAlpha => title(b, a),
        OrderBy::ByStock => {
            missing_last(catalog.stock_quantity(a), catalog.stock_quantity(b), true)
                .then(title(a, b))
        }
        OrderBy::ReviewCount => b.review_count.cmp(&a.review_count).then(title(a, b)),
        OrderBy::OnSaleFirst => missing_last(a.sale_price, b.sale_price, true).then(title(a, b)),
        OrderBy::FeaturedFirst => b.featured.cmp(&a.featured).then(title(a, b)),
        OrderBy::PriceAsc => missing_last(
            bounds(a).map(|(low, _)| low),
            bounds(b).map(|(low, _)| low),
            false,
        )
        .then(a.id.cmp(&b.id)),
        OrderBy::PriceDesc => missing_last(
            bounds(a).map(|(_, high)| high),
            bounds(b).map(|(_, high)| high),
            true,
        )
        .then(b.id.cmp(&a.id)),
        OrderBy::Sales => directed(
            a.total_sales.cmp(&b.total_sales).then(a.id.cmp(&b.id)),
            descending,
        ),
        OrderBy::Popularity => b.total_sales.cmp(&a.total_sales).then(b.id.cmp(&a.id)),
        OrderBy::Rating => b
            .average_rating
            .cmp(&a.average_rating)
            .then(b.id.cmp(&a.id)),
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::products::render_v2::find_product_v2;
    use crate::api::products::test_fixtures::{peer_store, validated};
    use crate::catalog::model::CatalogData;
    use serde_json::json;

    fn now() -> UnixTime {
        UnixTime::parse("2026-11-22T03:00:00").unwrap()
    }

    fn ids_for(data: &CatalogData, params: Value) -> Result<(Vec<u64>, u64, u64), ApiError> {
        let snapshot = crate::catalog::Catalog::new(data.clone());
        let catalog = CatalogView::new(&snapshot);
        let params = validated("/cocart/v2/products", params)?;
        let query = ProductQuery::parse(&params, CollectionRoute::Products, "date")?;
        let page = query_products(&catalog, &query, now())?;
        Ok((
            page.items.iter().map(|p| p.id).collect(),
            page.total,
            page.total_pages,
        ))
    }

    fn ids(data: &CatalogData, params: Value) -> Vec<u64> {
        ids_for(data, params).unwrap().0
    }

    fn set(data: &mut CatalogData, id: u64, change: impl FnOnce(&mut Product)) {
        change(data.products.iter_mut().find(|p| p.id == id).unwrap());
    }

    #[test]
    fn default_listing_sorts_by_date_then_id_and_pages() {
        let data = peer_store();
        let (first, total, pages) = ids_for(&data, json!({})).unwrap();
        assert_eq!(first, [21, 20, 19, 18, 17, 16, 15, 14, 13, 12]);
        assert_eq!((total, pages), (12, 2));
        assert_eq!(ids(&data, json!({"page": "2"})), [11, 10]);
        assert_eq!(
            ids(&data, json!({"per_page": "5", "offset": "10"})),
            [11, 10]
        );
        assert_eq!(
            ids(&data, json!({"order": "ASC", "per_page": "3"})),
            [10, 11, 12]
        );
    }

    #[test]
    fn a_page_past_the_end_is_an_error_unless_nothing_matches() {
        let data = peer_store();
        let error = ids_for(&data, json!({"page": "3"})).unwrap_err();
        assert_eq!(error.code, "cocart_products_invalid_page_number");
        assert_eq!(error.status, 400);
        let (items, total, pages) =
            ids_for(&data, json!({"page": "3", "search": "nothing-like-this"})).unwrap();
        assert!(items.is_empty());
        assert_eq!((total, pages), (0, 0));
    }

    #[test]
    fn hidden_private_and_draft_products_are_never_listed() {
        let mut data = peer_store();
        set(&mut data, 10, |p| p.status = PostStatus::Private);
        set(&mut data, 11, |p| p.status = PostStatus::Draft);
        set(&mut data, 12, |p| {
            p.catalog_visibility = CatalogVisibility::Hidden
        });
        set(&mut data, 13, |p| {
            p.catalog_visibility = CatalogVisibility::Search
        });
        set(&mut data, 14, |p| {
            p.catalog_visibility = CatalogVisibility::Catalog
        });
        let listed = ids(&data, json!({"per_page": "100"}));
        assert_eq!(listed, [21, 20, 19, 18, 17, 16, 15]);
        assert_eq!(ids(&data, json!({"catalog_visibility": "hidden"})), [12]);
        assert_eq!(
            ids(
                &data,
                json!({"catalog_visibility": "catalog", "include": "12,13,14,15"})
            ),
            [15, 14]
        );
        assert_eq!(
            ids(
                &data,
                json!({"catalog_visibility": "any", "include": [10, 11, 12, 13]})
            ),
            [13, 12]
        );
        let snapshot = crate::catalog::Catalog::new(data.clone());
        let catalog = CatalogView::new(&snapshot);
        assert_eq!(
            find_product_v2(&catalog, "10").unwrap_err().code,
            "cocart_product_invalid_id"
        );
        assert_eq!(find_product_v2(&catalog, "12").unwrap().id, 12);
    }

    #[test]
    fn single_product_lookup_by_id_or_sku() {
        let data = peer_store();
        let snapshot = crate::catalog::Catalog::new(data.clone());
        let catalog = CatalogView::new(&snapshot);
        assert_eq!(find_product_v2(&catalog, "PEER-MUG").unwrap().id, 13);
        assert_eq!(
            find_product_v2(&catalog, "PEER-POLO-BLUE-M").unwrap().id,
            24
        );
        let unknown_sku = find_product_v2(&catalog, "NOPE").unwrap_err();
        assert_eq!(
            (unknown_sku.code.as_str(), unknown_sku.status),
            ("cocart_unknown_product_id", 404)
        );
        assert_eq!(
            find_product_v2(&catalog, "999").unwrap_err().code,
            "cocart_product_invalid_id"
        );
        assert_eq!(
            find_product_v2(&catalog, "").unwrap_err().code,
            "cocart_product_id_required"
        );
    }

    #[test]
    fn filters_narrow_the_collection() {
        let mut data = peer_store();
        set(&mut data, 12, |p| p.featured = true);
        assert_eq!(ids(&data, json!({"featured": "true"})), [12]);
        assert_eq!(ids(&data, json!({"category": "media"})), [19, 17, 15]);
        assert_eq!(ids(&data, json!({"category": "18"})), [19, 17, 15]);
        assert!(ids(&data, json!({"category": "17,18"})).is_empty());
        assert_eq!(ids(&data, json!({"on_sale": true})), [21, 11]);
        assert_eq!(
            ids(&data, json!({"on_sale": "true", "include": "10"})),
            [21, 11]
        );
        assert_eq!(
            ids(&data, json!({"min_price": "40", "max_price": "55.99"})),
            [20, 11]
        );
        assert_eq!(
            ids(&data, json!({"min_price": "27.50"})),
            [21, 20, 18, 17, 11]
        );
        assert_eq!(ids(&data, json!({"max_price": "10"})), [14, 13]);
        assert_eq!(ids(&data, json!({"stock_status": "outofstock"})), [18]);
        assert_eq!(ids(&data, json!({"type": "variable"})), [21]);
        assert_eq!(ids(&data, json!({"type": "variation"})), [25, 24, 23, 22]);
        assert_eq!(
            ids(&data, json!({"sku": "PEER-CAP,PEER-POLO-RED-S"})),
            [22, 12]
        );
        assert_eq!(ids(&data, json!({"search": "sold out"})), [18]);
        assert_eq!(ids(&data, json!({"slug": "Hoodie"})), [11]);
        assert_eq!(
            ids(&data, json!({"include": "13,12", "orderby": "include"})),
            [13, 12]
        );
        assert_eq!(
            ids(
                &data,
                json!({"exclude": [21, 20, 19, 18, 17, 16, 15, 14, 13]})
            ),
            [12, 11, 10]
        );
        assert_eq!(
            ids(&data, json!({"type": "variation", "parent_exclude": "21"})),
            Vec::<u64>::new()
        );
        assert_eq!(
            ids(
                &data,
                json!({"attributes": [{"attribute": "pa_color", "slug": ["red"]}]})
            ),
            [21]
        );
        assert_eq!(
            ids(
                &data,
                json!({"after": "2026-11-22T02:44:03", "per_page": "20"})
            ),
            [21, 20, 19, 18]
        );
    }

    #[test]
    fn sorting_options() {
        let mut data = peer_store();
        set(&mut data, 15, |p| p.total_sales = 7);
        set(&mut data, 13, |p| p.total_sales = 3);
        assert_eq!(
            ids(&data, json!({"orderby": "price_asc", "per_page": "3"})),
            [14, 13, 15]
        );
        assert_eq!(
            ids(&data, json!({"orderby": "price_desc", "per_page": "3"})),
            [18, 20, 11]
        );
        assert_eq!(
            ids(&data, json!({"orderby": "alphabetical", "per_page": "3"})),
            [20, 12, 10]
        );
        assert_eq!(
            ids(
                &data,
                json!({"orderby": "title", "order": "ASC", "per_page": "2"})
            ),
            [20, 12]
        );
        assert_eq!(
            ids(&data, json!({"orderby": "reverse_alpha", "per_page": "2"})),
            [14, 18]
        );
        assert_eq!(
            ids(&data, json!({"orderby": "popularity", "per_page": "3"})),
            [15, 13, 21]
        );
        assert_eq!(
            ids(
                &data,
                json!({"orderby": "id", "order": "ASC", "per_page": "2"})
            ),
            [10, 11]
        );
        assert_eq!(
            ids(&data, json!({"orderby": "by_stock", "per_page": "1"})),
            [17]
        );
    }

    #[test]
    fn arguments_arrive_validated_and_coerced() {
        let data = peer_store();
        let error = ids_for(
            &data,
            json!({"per_page": "500", "featured": "yes", "orderby": "random"}),
        )
        .unwrap_err();
        assert_eq!(
            error.message,
            "Invalid parameter(s): per_page, featured, orderby"
        );
        assert_eq!(
            ids(&data, json!({"featured": "1", "include": "13,12"})),
            ids(&data, json!({"featured": true, "include": [12, 13]}))
        );
        let dates = ids_for(&data, json!({"after": "yesterday"})).unwrap_err();
        assert_eq!(dates.to_json()["data"]["params"]["after"], "Invalid date.");
        let attributes = ids_for(&data, json!({"attributes": 5})).unwrap_err();
        assert_eq!(
            attributes.to_json()["data"]["params"]["attributes"],
            "attributes is not of type array."
        );
    }

    #[test]
    fn variations_route_lists_published_children_of_one_parent() {
        let mut data = peer_store();
        set(&mut data, 23, |p| p.status = PostStatus::Private);
        let snapshot = crate::catalog::Catalog::new(data.clone());
        let catalog = CatalogView::new(&snapshot);
        let query = ProductQuery::parse(
            &Map::new(),
            CollectionRoute::Variations { parent_id: 21 },
            "date",
        )
        .unwrap();
        let page = query_products(&catalog, &query, now()).unwrap();
        let listed: Vec<u64> = page.items.iter().map(|p| p.id).collect();
        assert_eq!(listed, [25, 24, 22]);
        let other = ProductQuery::parse(
            &Map::new(),
            CollectionRoute::Variations { parent_id: 10 },
            "date",
        )
        .unwrap();
        assert_eq!(query_products(&catalog, &other, now()).unwrap().total, 0);
        let in_stock_params = validated(
            "/cocart/v2/products/(?P<product_id>[\\d]+)/variations",
            json!({"stock_status": "instock", "type": "bogus"}),
        )
        .unwrap();
        let filtered = ProductQuery::parse(
            &in_stock_params,
            CollectionRoute::Variations { parent_id: 21 },
            "date",
        )
        .unwrap();
        assert_eq!(filtered.product_type, None);
    }
}
