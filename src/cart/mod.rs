//! The cart domain: data and pure functions, no HTTP, storage or async types.
//!
//! Everything a storefront can do to a cart is a function here, so the rules can be unit
//! tested without a server and the HTTP layer stays a thin translation.

pub mod catalog_view;
pub mod error;
pub mod hook_args;
pub mod hooks;
pub mod item_key;
pub mod model;
pub mod money;
pub mod ops;
pub mod render;
pub mod render_v1;
pub mod totals;
pub mod untaxed;

#[cfg(test)]
mod flow_tests;
#[cfg(test)]
mod render_tests;
#[cfg(test)]
mod test_support;
