//! The cart domain: data and pure functions, no HTTP, storage or async types.
//!
//! Everything a storefront can do to a cart is a function here, so the rules can be unit
//! tested without a server and the HTTP layer stays a thin translation.
//!
//! - [`model`]: the stored cart (lines, removed lines, customer, notices, totals) and its
//!   WooCommerce-exact `cart_hash`.
//! - [`item_key`]: WooCommerce's cart item keys.
//! - [`catalog_view`]: a product's facts at one instant, read from the catalog snapshot.
//! - [`ops`]: add, add grouped, update, remove, restore, clear, the `cart/update`
//!   callbacks and the get-cart validity sweep, each validating in CoCart's order.
//! - [`render`] and [`render_v1`]: the v2 cart object and item views, the v1 contents.
//! - [`plus`]: the CoCart Plus coupon, fee, empty-cart and shipping-choice operations and
//!   the Plus coupon list and mini cart views.
//! - [`money`]: minor units, PHP-style numbers and currency text.
//! - [`hooks`] and [`hook_args`]: the seam to merchant scripts and the helpers that fire it.
//! - [`totals`]: the totals engine; [`pricing`] runs it on a stored cart and builds the
//!   money blocks the renderer shows.

pub mod catalog_view;
pub mod error;
pub mod hook_args;
pub mod hooks;
pub mod item_key;
pub mod model;
pub mod money;
pub mod ops;
pub mod plus;
pub mod pricing;
pub mod render;
pub mod render_v1;
pub mod totals;
pub mod v1;

#[cfg(test)]
mod flow_tests;
#[cfg(test)]
mod render_tests;
#[cfg(test)]
mod test_support;
