//! Route handlers, one module per CoCart route group, and the [`App`] that dispatches to
//! them.
//!
//! The route table (`routes.json`) declares every route once: path, methods, argument
//! schemas and the [`Handler`] that serves it. Handlers are short: they read validated
//! parameters, call the domain and render its result.

mod health;
mod index;
pub mod products;

use std::str::FromStr;
use std::sync::Arc;
use std::time::Instant;

use bytes::Bytes;
use http_body_util::Full;
use hyper::Response;

use crate::catalog::live::LiveCatalog;
use crate::config::Config;
use crate::error::ApiError;
use crate::hooks::HookHost;
use crate::http::response::{ApiResponse, encode_json};
use crate::http::router::{RouteError, RouteTable};
use crate::http::server::{Application, RawRequest};
use crate::http::wp::{self, ApiRequest, Cors, Prepared};
use crate::store::Store;

/// The route declarations, one file per route group, compiled into the binary.
const ROUTE_FILES: &[&str] = &[
    include_str!("routes.json"),
    include_str!("products/routes.json"),
];

/// Every handler a route can name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Handler {
    /// `GET /wp-json/`
    SiteIndex,
    /// `GET /wp-json/<namespace>`
    NamespaceIndex,
    /// `GET /wp-json/cartd/v1/health`
    Health,
    /// `/wp-json/cocart/v{1,2}/products*`: the Products API.
    Products(products::Route),
}

impl FromStr for Handler {
    type Err = ();

    fn from_str(name: &str) -> Result<Self, ()> {
        if let Some(name) = name.strip_prefix("products.") {
            return products::Route::from_str(name).map(Handler::Products);
        }
        Ok(match name {
            "site_index" => Handler::SiteIndex,
            "namespace_index" => Handler::NamespaceIndex,
            "health" => Handler::Health,
            _ => return Err(()),
        })
    }
}

/// Everything a request may need, shared by all requests.
pub struct App {
    /// The configuration the daemon started with.
    pub config: Config,
    /// The data file.
    pub store: Store,
    /// Merchant scripts; swapped atomically on reload.
    pub hooks: HookHost,
    /// The catalog snapshot.
    pub catalog: LiveCatalog,
    routes: RouteTable<Handler>,
    cors: Cors,
}

impl App {
    /// Builds the application over an open store.
    pub fn new(
        config: Config,
        store: Store,
        hooks: HookHost,
        catalog: LiveCatalog,
    ) -> Result<App, RouteError> {
        Ok(App {
            catalog,
            routes: RouteTable::from_json_parts(ROUTE_FILES)?,
            cors: Cors::new(config.cors.allowed_origins.clone()),
            config,
            store,
            hooks,
        })
    }

    async fn dispatch(&self, handler: Handler, req: ApiRequest) -> Result<ApiResponse, ApiError> {
        match handler {
            Handler::SiteIndex => Ok(index::site(self, &req)),
            Handler::NamespaceIndex => Ok(index::namespace(self, &req)),
            Handler::Health => Ok(health::get()),
            Handler::Products(route) => products::handle(self, route, &req),
        }
    }
}

impl Application for App {
    async fn respond(self: Arc<Self>, raw: RawRequest) -> Response<Full<Bytes>> {
        let started = Instant::now();
        let method = raw.method.clone();
        let path = raw.uri.path().to_owned();
        let (ctx, prepared) = wp::prepare(
            &self.routes,
            &self.cors,
            raw.method,
            &raw.uri,
            raw.headers,
            &raw.body,
            raw.peer,
        );
        let outcome = match prepared {
            Prepared::Respond(outcome) => outcome,
            Prepared::Dispatch {
                handler, request, ..
            } => self.dispatch(*handler, *request).await,
        };
        let (status, headers, body) = wp::finish(ctx, outcome);
        let elapsed_us = started.elapsed().as_micros() as u64;
        match status {
            500.. => tracing::warn!(%method, %path, status, elapsed_us, "request"),
            400..500 => tracing::info!(%method, %path, status, elapsed_us, "request"),
            _ => tracing::debug!(%method, %path, status, elapsed_us, "request"),
        }
        let body = body.map(|b| encode_json(&b)).unwrap_or_default();
        let mut response = Response::new(Full::new(body));
        *response.status_mut() =
            hyper::StatusCode::from_u16(status).unwrap_or(hyper::StatusCode::INTERNAL_SERVER_ERROR);
        *response.headers_mut() = headers;
        response
    }
}
