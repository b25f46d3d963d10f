//! The CoCart Products API (`/cocart/v{1,2}/products*`) as pure functions.
//!
//! Storefronts browse the catalog through these routes before they ever touch a cart, and
//! they parse CoCart's JSON field by field, so this module reproduces the 4.4 shapes
//! exactly (products.md). It stays free of HTTP: the lead's handlers pass the merged
//! request parameters in, and get `serde_json::Value` bodies, paging numbers and
//! [`ApiError`]s back.

pub mod error;
pub mod money;
pub mod params;
pub mod query;
pub mod view;

pub use error::{ApiError, ParamFailure};
pub use query::{CollectionRoute, ProductPage, ProductQuery, query_products};
pub use view::CatalogView;
