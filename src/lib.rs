//! cartd: the CoCart cart REST API served from one binary and one redb file.
//!
//! The layers follow a request from the socket to the data file:
//! - [`http`]: the hyper server and the WordPress REST conventions (routing, parameters,
//!   errors, CORS). It knows nothing about carts.
//! - [`api`]: one module per CoCart route group; thin handlers that parse, call the domain
//!   and render.
//! - [`cart`]: the pure cart domain (operations, validation, totals, rendering). No HTTP,
//!   storage or async types; most unit tests live here.
//! - [`hooks`]: the Lua runtime that lets merchant scripts hook CoCart's actions and filters.
//! - [`catalog`]: products, taxes, shipping and coupons as an immutable in-memory snapshot,
//!   and the WooCommerce importers that fill it.
//! - [`store`]: the redb tables, their codecs and the group-commit writer.
//! - [`config`]: figment layering of defaults, the TOML file and `CARTD_*` variables.

pub mod accounts;
pub mod api;
pub mod auth;
pub mod cart;
pub mod catalog;
pub mod clock;
pub mod config;
pub mod daemon;
pub mod error;
pub mod hooks;
pub mod http;
pub mod store;
