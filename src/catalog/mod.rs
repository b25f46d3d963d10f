//! The catalog: products, taxes, shipping zones, coupons and store settings.
//!
//! [`model`] holds the plain records that importers produce and storage persists.

pub mod model;
