//! The CoCart Products API (`/cocart/v{1,2}/products*`) as pure functions.
//!
//! Storefronts browse the catalog through these routes before they ever touch a cart, and
//! they parse CoCart's JSON field by field, so this module reproduces the 4.4 shapes
//! exactly (products.md). It stays free of HTTP: the lead's handlers pass the merged
//! request parameters in, and get `serde_json::Value` bodies, paging numbers and
//! [`ApiError`]s back.
//!
//! A v2 collection handler, for instance, reads:
//!
//! ```text
//! let catalog = CatalogView::new(&snapshot);            // snapshot: &crate::catalog::Catalog
//! let query = ProductQuery::parse(&params, CollectionRoute::Products,
//!                                 &catalog.settings().default_catalog_orderby)?;
//! let page = query_products(&catalog, &query, now)?;   // X-WP-Total / X-WP-TotalPages
//! let ctx = RenderContext { catalog: &catalog, base_url, now };
//! let items = page.items.iter().map(|p| render_product_or_variation_v2(&ctx, p, query.show_reviews));
//! let links = paging_links(base_url, "/cocart/v2/products", &query_pairs, query.page, page.total_pages);
//! let body = collection_envelope_v2(items.collect(), query.page, page.total_pages, page.total, &links);
//! // one `Link` header per links.link_header_values()
//! ```

pub mod common;
pub mod error;
mod handlers;
pub mod money;
pub mod paging;
pub mod params;
pub mod query;
pub mod render_v1;
pub mod render_v2;
pub mod reviews;
pub mod terms;
pub mod view;

#[cfg(test)]
mod replay_tests;
#[cfg(test)]
mod test_fixtures;

pub use common::RenderContext;
pub use handlers::{Resource, Route, Version, handle};
pub use paging::{PagingLinks, paging_links};
pub use params::undeclared_flag;
pub use query::{CollectionRoute, ProductPage, ProductQuery, query_products};
pub use render_v1::{
    find_product_v1, find_variation_v1, render_product_v1, render_variation_data_v1,
    render_variation_route_v1,
};
pub use render_v2::{
    VariationLinks, collection_envelope_v2, find_product_v2, find_variation,
    render_product_or_variation_v2, render_product_v2, render_variation_v2,
};
pub use reviews::{
    ReviewPage, ReviewQuery, embedded_reviews, find_review, query_reviews, render_review,
};
pub use terms::{
    TermPage, TermQuery, TermRoute, find_attribute, find_term, list_attributes, query_terms,
    render_attribute, render_term,
};
pub use view::CatalogView;
