//! The CoCart Products API (`/cocart/v{1,2}/products*`): queries, renderers and handlers.
//!
//! Storefronts browse the catalog through these routes before they ever touch a cart, and
//! they parse CoCart's JSON field by field, so this module reproduces the 4.4 shapes
//! exactly (products.md). The query and render modules stay free of HTTP; [`handle`] is
//! the thin layer that serves the routes declared in `routes.json`: the HTTP layer has
//! already validated and coerced the arguments against those declared schemas, and the
//! handler reads them, runs the query on the current catalog snapshot, renders the result
//! and adds the paging headers (`X-WP-Total`, `X-WP-TotalPages`, `Link`).

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
mod test_fixtures;

pub use common::RenderContext;
pub use handlers::{Resource, Route, Version, handle};
pub use paging::{Page, PagingLinks, paging_links};
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
