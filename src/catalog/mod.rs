//! The catalog: products, taxes, shipping zones, coupons and store settings.

pub mod model;
