//! The HTTP handlers of the Products API: one [`Route`] per declared endpoint of
//! `routes.json`, served by [`handle`].
//!
//! Handlers stay thin: the HTTP layer has already matched the route and validated the
//! arguments against the declared schemas, so each handler reads the coerced parameters,
//! calls the query and render functions of this module's siblings, and adds the paging
//! headers. Product routes never load a cart session and send no CoCart headers.

use std::str::FromStr;

use serde_json::{Map, Value};

use super::common::RenderContext;
use super::paging::{Page, PagingLinks, paging_links};
use super::params::undeclared_flag;
use super::query::{CollectionRoute, ProductQuery, query_products};
use super::render_v1::{
    find_product_v1, find_variation_v1, render_product_v1, render_variation_route_v1,
};
use super::render_v2::{
    VariationLinks, collection_envelope_v2, find_product_v2, find_variation,
    render_product_or_variation_v2, render_variation_v2,
};
use super::reviews::{ReviewQuery, find_review, query_reviews, render_review};
use super::terms::{
    TermQuery, TermRoute, find_attribute, find_term, list_attributes, query_terms,
    render_attribute, render_term,
};
use super::view::CatalogView;
use crate::api::App;
use crate::catalog::model::UnixTime;
use crate::error::ApiError;
use crate::http::response::ApiResponse;
use crate::http::wp::ApiRequest;

/// The API version a route belongs to; v1 and v2 share the queries but not the shapes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Version {
    /// `cocart/v1`.
    V1,
    /// `cocart/v2`.
    V2,
}

impl Version {
    /// The version as it appears in route paths (`v1`, `v2`).
    pub fn as_str(self) -> &'static str {
        match self {
            Version::V1 => "v1",
            Version::V2 => "v2",
        }
    }
}

/// What a products route serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resource {
    /// `GET /products`.
    List,
    /// `GET /products/{id}`.
    Single,
    /// `GET /products/{product_id}/variations`.
    Variations,
    /// `GET /products/{product_id}/variations/{id}`.
    Variation,
    /// `GET /products/reviews`.
    Reviews,
    /// `GET /products/reviews/{id}`.
    Review,
    /// `GET /products/categories`.
    Categories,
    /// `GET /products/categories/{id}`.
    Category,
    /// `GET /products/tags`.
    Tags,
    /// `GET /products/tags/{id}`.
    Tag,
    /// `GET /products/attributes`.
    Attributes,
    /// `GET /products/attributes/{id}`.
    Attribute,
    /// `GET /products/attributes/{attribute_id}/terms`.
    AttributeTerms,
    /// `GET /products/attributes/{attribute_id}/terms/{id}`.
    AttributeTerm,
}

impl Resource {
    const NAMES: [(&'static str, Resource); 14] = [
        ("list", Resource::List),
        ("single", Resource::Single),
        ("variations", Resource::Variations),
        ("variation", Resource::Variation),
        ("reviews", Resource::Reviews),
        ("review", Resource::Review),
        ("categories", Resource::Categories),
        ("category", Resource::Category),
        ("tags", Resource::Tags),
        ("tag", Resource::Tag),
        ("attributes", Resource::Attributes),
        ("attribute", Resource::Attribute),
        ("attribute_terms", Resource::AttributeTerms),
        ("attribute_term", Resource::AttributeTerm),
    ];
}

/// One products endpoint, named in `routes.json` as `products.<version>_<resource>`
/// (e.g. `products.v2_list`, `products.v1_attribute_terms`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Route {
    /// The API version.
    pub version: Version,
    /// The resource served.
    pub resource: Resource,
}

impl FromStr for Route {
    type Err = ();

    /// Parses the handler name after `products.`: `v1_list`, `v2_attribute_term`, ...
    fn from_str(name: &str) -> Result<Route, ()> {
        let (version, resource) = name.split_once('_').ok_or(())?;
        let version = match version {
            "v1" => Version::V1,
            "v2" => Version::V2,
            _ => return Err(()),
        };
        let resource = Resource::NAMES
            .iter()
            .find(|(known, _)| *known == resource)
            .map(|(_, resource)| *resource)
            .ok_or(())?;
        Ok(Route { version, resource })
    }
}

/// Serves one products request from the current catalog snapshot.
pub fn handle(app: &App, route: Route, req: &ApiRequest) -> Result<ApiResponse, ApiError> {
    let snapshot = app.catalog.snapshot();
    let catalog = CatalogView::new(&snapshot);
    let site = req.site_url();
    let ctx = RenderContext {
        catalog: &catalog,
        base_url: site,
        now: UnixTime::from_unix_seconds(app.clock.now()),
    };
    let version = route.version.as_str();
    let params = &req.params.merged;
    match (route.resource, route.version) {
        (Resource::List, _) => list_products(&ctx, route.version, req),
        (Resource::Single, Version::V1) => {
            let product = find_product_v1(&catalog, path_id(req, "id"))?;
            Ok(ApiResponse::ok(render_product_v1(
                &ctx,
                product,
                undeclared_flag(params, "show_reviews"),
                undeclared_flag(params, "return_variations"),
            )))
        }
        (Resource::Single, Version::V2) => {
            let id = req.params.path.get("id").and_then(Value::as_str);
            let product = find_product_v2(&catalog, id.unwrap_or_default())?;
            Ok(ApiResponse::ok(render_product_or_variation_v2(
                &ctx,
                product,
                undeclared_flag(params, "show_reviews"),
            )))
        }
        (Resource::Variations, _) => list_variations(&ctx, route.version, req),
        (Resource::Variation, Version::V1) => {
            let variation =
                find_variation_v1(&catalog, path_id(req, "product_id"), path_id(req, "id"))?;
            Ok(ApiResponse::ok(render_variation_route_v1(&ctx, variation)))
        }
        (Resource::Variation, Version::V2) => {
            let variation =
                find_variation(&catalog, path_id(req, "product_id"), path_id(req, "id"))?;
            Ok(ApiResponse::ok(render_variation_v2(
                &ctx,
                variation,
                VariationLinks::VariationsRoute,
            )))
        }
        (Resource::Reviews, _) => {
            let query = ReviewQuery::parse(params)?;
            // Held reviews are for moderators; product routes serve guests.
            let page = query_reviews(&catalog, &query, false);
            Ok(bare_collection(req, &page, query.page, |review| {
                render_review(&ctx, version, review)
            }))
        }
        (Resource::Review, _) => {
            let review = find_review(&catalog, path_id(req, "id"), false)?;
            Ok(ApiResponse::ok(render_review(&ctx, version, review)))
        }
        (Resource::Categories | Resource::Tags | Resource::AttributeTerms, _) => {
            list_terms(&ctx, version, term_route(route.resource, req), req)
        }
        (Resource::Category | Resource::Tag | Resource::AttributeTerm, _) => {
            let term_route = term_route(route.resource, req);
            let term = find_term(&catalog, term_route, path_id(req, "id"))?;
            Ok(ApiResponse::ok(render_term(
                &ctx, version, term_route, term,
            )))
        }
        (Resource::Attributes, _) => {
            let items = list_attributes(&ctx, version);
            let total = items.len() as u64;
            Ok(paged(
                Value::Array(items),
                total,
                1,
                &PagingLinks::default(),
            ))
        }
        (Resource::Attribute, _) => {
            let attribute = find_attribute(&catalog, path_id(req, "id"))?;
            Ok(ApiResponse::ok(render_attribute(&ctx, version, attribute)))
        }
    }
}

/// `GET /products`: v2 wraps the page in its envelope, v1 sends a bare array.
fn list_products(
    ctx: &RenderContext,
    version: Version,
    req: &ApiRequest,
) -> Result<ApiResponse, ApiError> {
    let query = product_query(ctx, CollectionRoute::Products, req)?;
    let page = query_products(ctx.catalog, &query, ctx.now)?;
    let links = links(req, query.page, page.total_pages);
    let body = match version {
        Version::V1 => Value::Array(
            page.items
                .iter()
                .map(|product| {
                    render_product_v1(ctx, product, query.show_reviews, query.return_variations)
                })
                .collect(),
        ),
        Version::V2 => collection_envelope_v2(
            page.items
                .iter()
                .map(|product| render_product_or_variation_v2(ctx, product, query.show_reviews))
                .collect(),
            query.page,
            page.total_pages,
            page.total,
            &links,
        ),
    };
    Ok(paged(body, page.total, page.total_pages, &links))
}

/// `GET /products/{product_id}/variations`: a bare array in both versions.
fn list_variations(
    ctx: &RenderContext,
    version: Version,
    req: &ApiRequest,
) -> Result<ApiResponse, ApiError> {
    let route = CollectionRoute::Variations {
        parent_id: path_id(req, "product_id"),
    };
    let query = product_query(ctx, route, req)?;
    let page = query_products(ctx.catalog, &query, ctx.now)?;
    Ok(bare_collection(
        req,
        &page,
        query.page,
        |variation| match version {
            Version::V1 => render_variation_route_v1(ctx, variation),
            Version::V2 => render_variation_v2(ctx, variation, VariationLinks::VariationsRoute),
        },
    ))
}

/// The collection query of a products route. The declared `orderby` default is the one the
/// recorded index shows; a request that does not send `orderby` gets the store's own
/// default catalog order instead, as CoCart reads it from the store's settings.
fn product_query(
    ctx: &RenderContext,
    route: CollectionRoute,
    req: &ApiRequest,
) -> Result<ProductQuery, ApiError> {
    let sources = &req.params;
    let sent = |name: &str| {
        [&sources.json, &sources.form, &sources.query]
            .iter()
            .any(|source| source.contains_key(name))
    };
    let mut params = sources.merged.clone();
    if !sent("orderby") {
        params.remove("orderby");
    }
    ProductQuery::parse(&params, route, &ctx.settings().default_catalog_orderby)
}

/// A term collection (categories, tags, attribute terms): a bare array.
fn list_terms(
    ctx: &RenderContext,
    version: &str,
    route: TermRoute,
    req: &ApiRequest,
) -> Result<ApiResponse, ApiError> {
    let query = TermQuery::parse(&req.params.merged, route);
    let page = query_terms(ctx.catalog, route, &query)?;
    Ok(bare_collection(req, &page, query.link_page(), |term| {
        render_term(ctx, version, route, term)
    }))
}

/// The taxonomy a term resource reads: categories, tags, or the terms of the global
/// attribute in the path.
fn term_route(resource: Resource, req: &ApiRequest) -> TermRoute {
    match resource {
        Resource::Categories | Resource::Category => TermRoute::Categories,
        Resource::Tags | Resource::Tag => TermRoute::Tags,
        _ => TermRoute::AttributeTerms {
            attribute_id: path_id(req, "attribute_id"),
        },
    }
}

/// A numeric path capture. The route pattern admits digits only; a number too large for
/// any record reads as 0, which matches nothing.
fn path_id(req: &ApiRequest, name: &str) -> u64 {
    req.params
        .path
        .get(name)
        .and_then(Value::as_str)
        .and_then(|digits| digits.parse().ok())
        .unwrap_or(0)
}

/// The prev/next links of a collection page, built from the request's query string.
fn links(req: &ApiRequest, page: u64, total_pages: u64) -> PagingLinks {
    let route = req.rest_path.trim_end_matches('/');
    let site = req.site_url();
    paging_links(
        site,
        route,
        &query_pairs(&req.params.query),
        page,
        total_pages,
    )
}

/// The query-string arguments as decoded `name=value` pairs in request order; PHP-style
/// lists and maps come back as `name[0]=…` / `name[key]=…`.
fn query_pairs(query: &Map<String, Value>) -> Vec<(String, String)> {
    fn push(pairs: &mut Vec<(String, String)>, name: String, value: &Value) {
        match value {
            Value::Array(items) => {
                for (index, item) in items.iter().enumerate() {
                    push(pairs, format!("{name}[{index}]"), item);
                }
            }
            Value::Object(members) => {
                for (key, member) in members {
                    push(pairs, format!("{name}[{key}]"), member);
                }
            }
            Value::String(text) => pairs.push((name, text.clone())),
            Value::Null => pairs.push((name, String::new())),
            other => pairs.push((name, other.to_string())),
        }
    }
    let mut pairs = Vec::new();
    for (name, value) in query {
        push(&mut pairs, name.clone(), value);
    }
    pairs
}

/// A bare-array collection page (every collection but v2 `/products`), each record
/// rendered by `render`, with its paging headers; `link_page` is the page number its
/// links count from.
fn bare_collection<T>(
    req: &ApiRequest,
    page: &Page<T>,
    link_page: u64,
    render: impl Fn(&T) -> Value,
) -> ApiResponse {
    let items = page.items.iter().map(render).collect();
    paged(
        Value::Array(items),
        page.total,
        page.total_pages,
        &links(req, link_page, page.total_pages),
    )
}

/// A collection response with WordPress's paging headers: `X-WP-Total`,
/// `X-WP-TotalPages` and `Link`. WordPress appends a second link to the same header,
/// comma-separated (`<…>; rel="prev", <…>; rel="next"`), and that one header replaces the
/// `rel="https://api.w.org/"` link of other responses (recording 31).
fn paged(body: Value, total: u64, total_pages: u64, links: &PagingLinks) -> ApiResponse {
    let response = ApiResponse::ok(body)
        .header("x-wp-total", total.to_string())
        .header("x-wp-totalpages", total_pages.to_string());
    let link = links.link_header_values().join(", ");
    if link.is_empty() {
        response
    } else {
        response.header("link", link)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::Handler;
    use crate::http::router::{Found, RouteTable};
    use hyper::Method;
    use serde_json::json;

    #[test]
    fn declared_routes_load_and_match_their_handlers() {
        let table = RouteTable::<Handler>::from_json(include_str!("routes.json")).unwrap();
        let handler = |path: &str| match table.find(&Method::GET, path) {
            Found::Endpoint { endpoint, .. } => Some(endpoint.handler),
            _ => None,
        };
        let route = |name: &str| Some(Handler::Products(Route::from_str(name).unwrap()));
        assert_eq!(handler("/cocart/v2/products"), route("v2_list"));
        assert_eq!(handler("/cocart/v2/products/PEER-MUG"), route("v2_single"));
        assert_eq!(handler("/cocart/v2/products/tags"), route("v2_tags"));
        assert_eq!(
            handler("/cocart/v2/products/21/variations/25"),
            route("v2_variation")
        );
        assert_eq!(
            handler("/cocart/v1/products/21/variations"),
            route("v1_variations")
        );
        assert_eq!(
            handler("/cocart/v1/products/attributes/1/terms/5"),
            route("v1_attribute_term")
        );
        assert_eq!(handler("/cocart/v1/products/PEER-MUG"), None);
    }

    #[test]
    fn handler_names_parse_for_every_declared_route() {
        let declared: Value = serde_json::from_str(include_str!("routes.json")).unwrap();
        let mut seen = Vec::new();
        for route in declared.as_array().unwrap() {
            for endpoint in route["endpoints"].as_array().unwrap() {
                let name = endpoint["handler"].as_str().unwrap();
                let parsed = Route::from_str(name.strip_prefix("products.").unwrap())
                    .unwrap_or_else(|()| panic!("{name} does not parse"));
                assert!(!seen.contains(&parsed), "{name} declared twice");
                seen.push(parsed);
            }
        }
        assert_eq!(seen.len(), 2 * Resource::NAMES.len());
        assert!(Route::from_str("v3_list").is_err());
        assert!(Route::from_str("v2_lists").is_err());
        assert!(Route::from_str("list").is_err());
    }

    #[test]
    fn query_pairs_keep_order_and_php_brackets() {
        let query = json!({"per_page": "3", "include": ["1", "2"], "attr": {"a": "x"}, "flag": ""});
        assert_eq!(
            query_pairs(query.as_object().unwrap()),
            [
                ("per_page".to_string(), "3".to_string()),
                ("include[0]".to_string(), "1".to_string()),
                ("include[1]".to_string(), "2".to_string()),
                ("attr[a]".to_string(), "x".to_string()),
                ("flag".to_string(), String::new()),
            ]
        );
    }
}
