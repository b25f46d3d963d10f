//! Categories, tags, global attributes and attribute terms (products.md §9).
//!
//! Storefronts build their navigation (category menus, colour swatches) from these
//! routes. They behave like WordPress term queries: paged with `X-WP-Total` headers,
//! sorted by name by default, and shaped like CoCart's term objects with `_links`.

use serde_json::{Map, Value, json};

use super::common::RenderContext;
use super::error;
use super::paging::{Page, skip_count};
use super::params::{self, scalar_text};
use super::query::{assigned_terms, directed, include_order};
use super::view::CatalogView;
use crate::catalog::model::{AttributeTaxonomy, CATEGORY_TAXONOMY, TAG_TAXONOMY, Term};
use crate::error::ApiError;

/// Which term collection a route serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TermRoute {
    /// `/products/categories` (`product_cat`, hierarchical).
    Categories,
    /// `/products/tags` (`product_tag`).
    Tags,
    /// `/products/attributes/{attribute_id}/terms`.
    AttributeTerms {
        /// The global attribute from the path.
        attribute_id: u64,
    },
}

/// Sort keys of the term collections.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TermOrderBy {
    /// Term ID.
    Id,
    /// The order of the `include` list.
    Include,
    /// Name (the default).
    Name,
    /// Slug.
    Slug,
    /// Term group (always 0 here, so effectively stored order).
    TermGroup,
    /// Description.
    Description,
    /// Product count.
    Count,
}

/// A parsed term collection request.
#[derive(Debug, Clone, PartialEq)]
pub struct TermQuery {
    /// Page number (≥ 1).
    pub page: u64,
    /// Page size (1–100).
    pub per_page: u64,
    /// Explicit offset (wins over `page`).
    pub offset: Option<u64>,
    /// Name/slug search.
    pub search: Option<String>,
    /// Only these IDs.
    pub include: Vec<u64>,
    /// Never these IDs.
    pub exclude: Vec<u64>,
    /// Sort descending (`order=desc`).
    pub descending: bool,
    /// Sort key.
    pub orderby: TermOrderBy,
    /// Hide terms without published products.
    pub hide_empty: bool,
    /// Categories: only children of this term (0 = top level).
    pub parent: Option<u64>,
    /// Only the terms assigned to this product.
    pub product: Option<u64>,
    /// Exact slug.
    pub slug: Option<String>,
}

impl TermQuery {
    /// Reads a term collection request (validated and coerced by the HTTP layer against
    /// the declared schemas).
    pub fn parse(params: &Map<String, Value>, route: TermRoute) -> TermQuery {
        let page = params::integer(params, "page");
        let per_page = params::integer(params, "per_page");
        let search = params::string(params, "search");
        let exclude = params::id_list(params, "exclude");
        let include = params::id_list(params, "include");
        // Only the tags route declares `offset`; the others honour it unsanitised.
        let offset = params::integer(params, "offset").or_else(|| {
            params
                .get("offset")
                .and_then(scalar_text)
                .and_then(|text| text.trim().parse::<i64>().ok())
        });
        let order = params::string(params, "order");
        let orderby = params::string(params, "orderby");
        let hide_empty = params::boolean(params, "hide_empty");
        let parent = if route == TermRoute::Tags {
            None
        } else {
            params::integer(params, "parent")
        };
        let product = params::integer(params, "product");
        let slug = params::string(params, "slug");
        TermQuery {
            page: page.map_or(1, i64::unsigned_abs),
            per_page: per_page.map_or(10, i64::unsigned_abs),
            offset: offset.map(i64::unsigned_abs).filter(|o| *o > 0),
            search: search.filter(|s| !s.is_empty()),
            include,
            exclude,
            descending: order.as_deref() == Some("desc"),
            orderby: match orderby.as_deref() {
                Some("id") => TermOrderBy::Id,
                Some("include") => TermOrderBy::Include,
                Some("slug") => TermOrderBy::Slug,
                Some("term_group") => TermOrderBy::TermGroup,
                Some("description") => TermOrderBy::Description,
                Some("count") => TermOrderBy::Count,
                _ => TermOrderBy::Name,
            },
            hide_empty: hide_empty.unwrap_or(false),
            parent: parent.map(i64::unsigned_abs),
            product: product.map(i64::unsigned_abs).filter(|p| *p > 0),
            slug: slug.filter(|s| !s.is_empty()),
        }
    }

    /// The number of terms skipped.
    pub fn skip(&self) -> u64 {
        skip_count(self.page, self.per_page, self.offset)
    }

    /// The page number the paging links use: `offset / per_page + 1`.
    pub fn link_page(&self) -> u64 {
        self.skip() / self.per_page.max(1) + 1
    }
}

/// One page of terms.
pub type TermPage<'a> = Page<&'a Term>;

/// The taxonomy a term route reads; unknown attributes are 404 `cocart_taxonomy_invalid`.
pub fn route_taxonomy(catalog: &CatalogView, route: TermRoute) -> Result<String, ApiError> {
    match route {
        TermRoute::Categories => Ok(CATEGORY_TAXONOMY.to_string()),
        TermRoute::Tags => Ok(TAG_TAXONOMY.to_string()),
        TermRoute::AttributeTerms { attribute_id } => catalog
            .attribute(attribute_id)
            .map(AttributeTaxonomy::taxonomy)
            .ok_or_else(error::taxonomy_invalid),
    }
}

fn compare_terms(orderby: TermOrderBy, include: &[u64], a: &Term, b: &Term) -> std::cmp::Ordering {
    let name = || a.name.to_lowercase().cmp(&b.name.to_lowercase());
    match orderby {
        TermOrderBy::Id => a.id.cmp(&b.id),
        TermOrderBy::Include => include_order(include, a.id, b.id),
        TermOrderBy::Name | TermOrderBy::TermGroup => name(),
        TermOrderBy::Slug => a.slug.cmp(&b.slug),
        TermOrderBy::Description => a.description.cmp(&b.description),
        TermOrderBy::Count => a.count.cmp(&b.count),
    }
}

/// Runs a term collection query.
pub fn query_terms<'a>(
    catalog: &CatalogView<'a>,
    route: TermRoute,
    query: &TermQuery,
) -> Result<TermPage<'a>, ApiError> {
    let taxonomy = route_taxonomy(catalog, route)?;

    if let Some(product_id) = query.product {
        let assigned: Vec<u64> = catalog
            .product(product_id)
            .map(|product| assigned_terms(catalog, &taxonomy, product))
            .unwrap_or_default();
        let mut terms: Vec<&Term> = assigned
            .iter()
            .filter_map(|id| catalog.term(*id))
            .filter(|term| term.taxonomy == taxonomy)
            .collect();
        if !matches!(query.orderby, TermOrderBy::Name | TermOrderBy::Include) {
            terms.sort_by(|a, b| compare_terms(query.orderby, &query.include, a, b));
        }
        if query.descending {
            terms.reverse();
        }
        return Ok(Page::slice(terms, query.skip(), query.per_page));
    }

    let search = query.search.as_ref().map(|s| s.to_lowercase());
    let mut terms: Vec<&Term> = catalog
        .terms()
        .iter()
        .filter(|term| term.taxonomy == taxonomy)
        .filter(|term| query.include.is_empty() || query.include.contains(&term.id))
        .filter(|term| !query.exclude.contains(&term.id))
        .filter(|term| !query.hide_empty || term.count > 0)
        .filter(|term| query.slug.as_ref().is_none_or(|slug| &term.slug == slug))
        .filter(|term| {
            search.as_ref().is_none_or(|s| {
                term.name.to_lowercase().contains(s) || term.slug.to_lowercase().contains(s)
            })
        })
        .filter(|term| {
            route != TermRoute::Categories
                || query.parent.is_none_or(|parent| term.parent == parent)
        })
        .collect();
    terms.sort_by(|a, b| {
        directed(
            compare_terms(query.orderby, &query.include, a, b),
            query.descending && query.orderby != TermOrderBy::Include,
        )
    });
    Ok(Page::slice(terms, query.skip(), query.per_page))
}

/// A single term of a route; 404 `cocart_term_invalid` when unknown or of another
/// taxonomy (and `cocart_taxonomy_invalid` for an unknown attribute).
pub fn find_term<'a>(
    catalog: &CatalogView<'a>,
    route: TermRoute,
    id: u64,
) -> Result<&'a Term, ApiError> {
    let taxonomy = route_taxonomy(catalog, route)?;
    catalog
        .term(id)
        .filter(|term| term.taxonomy == taxonomy)
        .ok_or_else(error::term_invalid)
}

/// The REST base of a term route, e.g. `/products/attributes/1/terms`.
fn route_base(route: TermRoute) -> String {
    match route {
        TermRoute::Categories => "/products/categories".to_string(),
        TermRoute::Tags => "/products/tags".to_string(),
        TermRoute::AttributeTerms { attribute_id } => {
            format!("/products/attributes/{attribute_id}/terms")
        }
    }
}

fn term_links(ctx: &RenderContext, version: &str, route: TermRoute, term: &Term) -> Value {
    let base = route_base(route);
    let mut links = ctx.item_links(version, &base, term.id);
    if term.parent != 0 && ctx.catalog.term(term.parent).is_some() {
        links.insert(
            "up".into(),
            json!([{ "href": ctx.rest_url(version, &format!("{base}/{}", term.parent)) }]),
        );
    }
    Value::Object(links)
}

/// A category image: v2 `{id, src (thumbnail URL), name, alt}`, v1 with dates and the
/// full-size URL; `null` when the category has no (existing) image.
fn category_image(ctx: &RenderContext, version: &str, term: &Term) -> Value {
    let Some(image) = ctx.catalog.image(term.thumbnail_id) else {
        return Value::Null;
    };
    let full = image.src.get("full").cloned().unwrap_or_default();
    if version == "v1" {
        let (created, created_gmt) = ctx.date_pair(image.date_created);
        let (modified, modified_gmt) = ctx.date_pair(image.date_modified);
        json!({
            "id": image.id,
            "date_created": created,
            "date_created_gmt": created_gmt,
            "date_modified": modified,
            "date_modified_gmt": modified_gmt,
            "src": full,
            "name": image.name,
            "alt": image.alt,
        })
    } else {
        let thumbnail = image
            .src
            .get("woocommerce_thumbnail")
            .cloned()
            .unwrap_or(full);
        json!({ "id": image.id, "src": thumbnail, "name": image.name, "alt": image.alt })
    }
}

/// Renders a term of `route` in `version` (`v1` or `v2`): a category, tag or attribute
/// term object with `_links`.
pub fn render_term(ctx: &RenderContext, version: &str, route: TermRoute, term: &Term) -> Value {
    let links = term_links(ctx, version, route, term);
    match route {
        TermRoute::Categories => json!({
            "id": term.id,
            "name": term.name,
            "slug": term.slug,
            "parent": term.parent,
            "description": term.description,
            "display": if term.display.is_empty() { "default" } else { term.display.as_str() },
            "image": category_image(ctx, version, term),
            "menu_order": term.menu_order,
            "count": term.count,
            "_links": links,
        }),
        TermRoute::Tags => json!({
            "id": term.id,
            "name": term.name,
            "slug": term.slug,
            "description": term.description,
            "count": term.count,
            "_links": links,
        }),
        TermRoute::AttributeTerms { .. } => json!({
            "id": term.id,
            "name": term.name,
            "slug": term.slug,
            "description": term.description,
            "menu_order": term.menu_order,
            "count": term.count,
            "_links": links,
        }),
    }
}

/// A global attribute by ID; 404 `cocart_attribute_invalid` when unknown.
pub fn find_attribute<'a>(
    catalog: &CatalogView<'a>,
    id: u64,
) -> Result<&'a AttributeTaxonomy, ApiError> {
    catalog.attribute(id).ok_or_else(error::attribute_invalid)
}

/// `GET /products/attributes`: every global attribute, unpaged (`X-WP-Total` = the count,
/// `X-WP-TotalPages` = 1).
pub fn list_attributes(ctx: &RenderContext, version: &str) -> Vec<Value> {
    ctx.catalog
        .attributes()
        .iter()
        .map(|attribute| render_attribute(ctx, version, attribute))
        .collect()
}

/// Renders a global attribute definition (§9.4).
pub fn render_attribute(
    ctx: &RenderContext,
    version: &str,
    attribute: &AttributeTaxonomy,
) -> Value {
    json!({
        "id": attribute.id,
        "name": attribute.label,
        "slug": attribute.taxonomy(),
        "type": attribute.attribute_type,
        "order_by": attribute.order_by,
        "has_archives": attribute.has_archives,
        "_links": ctx.item_links(version, "/products/attributes", attribute.id),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::products::test_fixtures::{PEER_BASE_URL, peer_store, validated};
    use crate::catalog::model::UnixTime;

    fn declared_path(route: TermRoute) -> &'static str {
        match route {
            TermRoute::Categories => "/cocart/v2/products/categories",
            TermRoute::Tags => "/cocart/v2/products/tags",
            TermRoute::AttributeTerms { .. } => {
                "/cocart/v2/products/attributes/(?P<attribute_id>[\\d]+)/terms"
            }
        }
    }

    fn names(catalog: &CatalogView, route: TermRoute, params: Value) -> Vec<String> {
        let params = validated(declared_path(route), params).unwrap();
        let query = TermQuery::parse(&params, route);
        query_terms(catalog, route, &query)
            .unwrap()
            .items
            .iter()
            .map(|t| t.slug.clone())
            .collect()
    }

    #[test]
    fn categories_sort_by_name_and_filter() {
        let data = peer_store();
        let snapshot = crate::catalog::Catalog::new(data.clone());
        let catalog = CatalogView::new(&snapshot);
        let route = TermRoute::Categories;
        assert_eq!(
            names(&catalog, route, json!({})),
            ["accessories", "clothing", "media", "uncategorized"]
        );
        assert_eq!(
            names(
                &catalog,
                route,
                json!({"hide_empty": "true", "order": "desc"})
            ),
            ["media", "clothing", "accessories"]
        );
        assert_eq!(
            names(
                &catalog,
                route,
                json!({"orderby": "count", "per_page": "2"})
            ),
            ["uncategorized", "media"]
        );
        assert_eq!(
            names(&catalog, route, json!({"search": "CLOTH"})),
            ["clothing"]
        );
        assert_eq!(
            names(&catalog, route, json!({"product": "21"})),
            ["clothing"]
        );
        let error = validated(declared_path(route), json!({"order": "DESC"})).unwrap_err();
        assert_eq!(error.message, "Invalid parameter(s): order");
    }

    #[test]
    fn attribute_terms_need_a_known_attribute() {
        let data = peer_store();
        let snapshot = crate::catalog::Catalog::new(data.clone());
        let catalog = CatalogView::new(&snapshot);
        let known = TermRoute::AttributeTerms { attribute_id: 1 };
        assert_eq!(names(&catalog, known, json!({})), ["blue", "red"]);
        let query = TermQuery::parse(&Map::new(), known);
        let unknown = TermRoute::AttributeTerms { attribute_id: 9 };
        assert_eq!(
            query_terms(&catalog, unknown, &query).unwrap_err().code,
            "cocart_taxonomy_invalid"
        );
        assert_eq!(
            find_term(&catalog, known, 16).unwrap_err().code,
            "cocart_term_invalid"
        );
        assert_eq!(
            find_attribute(&catalog, 9).unwrap_err().code,
            "cocart_attribute_invalid"
        );
    }

    #[test]
    fn term_objects_have_cocart_shapes() {
        let data = peer_store();
        let snapshot = crate::catalog::Catalog::new(data.clone());
        let catalog = CatalogView::new(&snapshot);
        let ctx = RenderContext {
            catalog: &catalog,
            base_url: PEER_BASE_URL,
            now: UnixTime(0),
        };
        let clothing = find_term(&catalog, TermRoute::Categories, 16).unwrap();
        let body = render_term(&ctx, "v2", TermRoute::Categories, clothing);
        let keys: Vec<&String> = body.as_object().unwrap().keys().collect();
        assert_eq!(
            keys,
            [
                "id",
                "name",
                "slug",
                "parent",
                "description",
                "display",
                "image",
                "menu_order",
                "count",
                "_links"
            ]
        );
        assert_eq!(body["image"], Value::Null);
        assert_eq!(
            body["_links"]["self"][0]["href"],
            "http://127.0.0.1:8081/wp-json/cocart/v2/products/categories/16"
        );
        let route = TermRoute::AttributeTerms { attribute_id: 1 };
        let red = find_term(&catalog, route, 19).unwrap();
        let term = render_term(&ctx, "v1", route, red);
        assert_eq!(
            term["_links"]["collection"][0]["href"],
            "http://127.0.0.1:8081/wp-json/cocart/v1/products/attributes/1/terms"
        );
        assert_eq!(list_attributes(&ctx, "v2").len(), 1);
        let color = render_attribute(&ctx, "v2", find_attribute(&catalog, 1).unwrap());
        assert_eq!(color["slug"], "pa_color");
        assert_eq!(color["name"], "Color");
    }
}
