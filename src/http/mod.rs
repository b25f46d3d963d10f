//! HTTP and the WordPress REST conventions; nothing here knows about carts.
//!
//! [`server`] accepts connections and turns each request into a [`server::RawRequest`];
//! [`wp`] applies WordPress's rules around a handler (REST path, method override, route
//! match, parameters, `_fields`, headers, CORS) using the route table of [`router`], the
//! parameter rules of [`params`] and the JSON encoding of [`response`].

pub mod params;
pub mod response;
pub mod router;
pub mod server;
pub mod wp;
