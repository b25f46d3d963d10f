//! Route handlers, one module per CoCart route group.

pub mod products;
