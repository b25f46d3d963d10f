//! Route handlers, one module per CoCart route group, and the [`App`] that dispatches to
//! them.
//!
//! The route table (`routes.json`) declares every route once: path, methods, argument
//! schemas and the [`Handler`] that serves it. Handlers are short: they read validated
//! parameters, call the domain and render its result.

mod account;
pub mod cart;
mod cart_key;
mod headers;
mod health;
mod identity;
mod index;
mod metrics;
pub mod plus;
pub mod products;
mod sessions;
pub mod v1;

use std::str::FromStr;
use std::sync::Arc;
use std::time::Instant;

use bytes::Bytes;
use http_body_util::Full;
use hyper::Response;
use tracing::Instrument;

use crate::auth::{Principal, Throttle};
use crate::catalog::live::LiveCatalog;
use crate::clock::Clock;
use crate::config::Config;
use crate::error::ApiError;
use crate::hooks::{HookHost, HookRuntime};
use crate::http::response::ApiResponse;
use crate::http::router::{RouteError, RouteTable};
use crate::http::server::{Application, RawRequest};
use crate::http::wp::{self, ApiRequest, Cors, Prepared};
use crate::store::Store;

/// The route declarations, one file per route group, compiled into the binary.
const ROUTE_FILES: &[&str] = &[
    include_str!("routes.json"),
    include_str!("cart/routes.json"),
    include_str!("products/routes.json"),
    include_str!("plus/routes.json"),
    include_str!("v1/routes.json"),
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
    /// `GET /wp-json/cartd/v1/metrics`
    Metrics,
    /// `GET /wp-json/cocart/v2/store`
    Store,
    /// `POST /wp-json/cocart/v2/login`
    Login,
    /// `POST /wp-json/cocart/v2/logout`
    Logout,
    /// `POST /wp-json/cocart/v1/logout`
    LogoutV1,
    /// `GET /wp-json/cocart/v2/sessions`
    SessionsList,
    /// `GET /wp-json/cocart/v2/session/{key}`
    SessionGet,
    /// `GET /wp-json/cocart/v2/session/{key}/items`
    SessionItems,
    /// `DELETE /wp-json/cocart/v2/session/{key}`
    SessionDelete,
    /// The v2 cart routes.
    Cart(cart::Route),
    /// `/wp-json/cocart/v{1,2}/products*`: the Products API.
    Products(products::Route),
    /// The CoCart Plus cart routes (`cart/mini`, coupons, fees, `DELETE cart/items`,
    /// `cart/set-shipping-method`).
    Plus(plus::Route),
    /// `/wp-json/cocart/v1/...`: the legacy v1 cart routes and the CoCart Pro v1 routes.
    V1(v1::Route),
}

impl FromStr for Handler {
    type Err = ();

    fn from_str(name: &str) -> Result<Self, ()> {
        if let Some(name) = name.strip_prefix("cart.") {
            return cart::Route::from_str(name).map(Handler::Cart);
        }
        if let Some(name) = name.strip_prefix("products.") {
            return products::Route::from_str(name).map(Handler::Products);
        }
        if let Some(name) = name.strip_prefix("plus.") {
            return plus::Route::from_str(name).map(Handler::Plus);
        }
        if let Some(name) = name.strip_prefix("v1.") {
            return v1::Route::from_str(name).map(Handler::V1);
        }
        Ok(match name {
            "site_index" => Handler::SiteIndex,
            "namespace_index" => Handler::NamespaceIndex,
            "health" => Handler::Health,
            "metrics" => Handler::Metrics,
            "store" => Handler::Store,
            "login" => Handler::Login,
            "logout" => Handler::Logout,
            "logout_v1" => Handler::LogoutV1,
            "sessions.list" => Handler::SessionsList,
            "sessions.get" => Handler::SessionGet,
            "sessions.items" => Handler::SessionItems,
            "sessions.delete" => Handler::SessionDelete,
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
    /// Now, for expiry, sale schedules and coupon dates.
    pub clock: Clock,
    /// Request counters for `cartd/v1/metrics`.
    metrics: metrics::Metrics,
    /// Failed-login throttle.
    throttle: Throttle,
    /// Per-cart locks serialising requests on one cart.
    cart_locks: cart::session::CartLocks,
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
            clock: Clock::system(),
            metrics: metrics::Metrics::default(),
            throttle: Throttle::new(config.auth.max_failures, config.auth.lockout_secs),
            cart_locks: cart::session::CartLocks::default(),
            routes: RouteTable::from_json_parts(ROUTE_FILES)?,
            cors: Cors::new(config.cors.allowed_origins.clone()),
            config,
            store,
            hooks,
        })
    }

    /// Identifies the caller, checks their access and runs the handler. Also says whether
    /// the caller is signed in (for the no-cache headers).
    async fn dispatch(
        self: &Arc<Self>,
        handler: Handler,
        permission: Option<&str>,
        req: ApiRequest,
    ) -> (Result<ApiResponse, ApiError>, bool) {
        let principal = match self.identify(&req).await {
            Ok(principal) => principal,
            Err(err) => return (Err(err), false),
        };
        let signed_in = principal.is_some();
        let checked = async {
            self.check_lockdown(&req, principal.as_ref()).await?;
            identity::check_permission(permission, principal.as_ref())?;
            self.route(handler, &req, principal.as_ref()).await
        };
        (checked.await, signed_in)
    }

    /// Runs the handler a route declares.
    async fn route(
        self: &Arc<Self>,
        handler: Handler,
        req: &ApiRequest,
        principal: Option<&Principal>,
    ) -> Result<ApiResponse, ApiError> {
        match handler {
            Handler::SiteIndex => Ok(index::site(self, req)),
            Handler::NamespaceIndex => Ok(index::namespace(self, req)),
            Handler::Health => Ok(health::get()),
            Handler::Metrics => metrics::get(self, req, principal),
            Handler::Store => Ok(account::store(self, req)),
            Handler::Login => account::login(self, req, principal).await,
            Handler::Logout => Ok(account::logout()),
            Handler::LogoutV1 => account::logout_v1(self, req, principal).await,
            Handler::SessionsList => sessions::list(self, req).await,
            Handler::SessionGet => sessions::get(self, req).await,
            Handler::SessionItems => sessions::items(self, req).await,
            Handler::SessionDelete => sessions::delete(self, req).await,
            Handler::Cart(route) => cart::handle(self, route, req, principal).await,
            Handler::Products(route) => products::handle(self, route, req),
            Handler::Plus(route) => plus::handle(self, route, req, principal).await,
            Handler::V1(route) => v1::handle(self, route, req, principal).await,
        }
    }
}

impl Application for App {
    async fn respond(self: Arc<Self>, raw: RawRequest) -> Response<Full<Bytes>> {
        let span = tracing::info_span!(
            "request",
            method = %raw.method,
            path = %raw.uri.path(),
            status = tracing::field::Empty,
            elapsed_us = tracing::field::Empty,
        );
        // One script set for the whole request, even if a reload lands meanwhile.
        let runtime = self.hooks.current();
        REQUEST_HOOKS
            .scope(
                runtime,
                self.respond_in_span(raw, span.clone()).instrument(span),
            )
            .await
    }
}

tokio::task_local! {
    /// The hook runtime the request started with (see [`App::request_hooks`]).
    static REQUEST_HOOKS: Arc<HookRuntime>;
}

impl App {
    /// The merchant scripts this request runs with: the set in force when it arrived, so a
    /// reload never mixes two sets within one request. Outside a request (tests driving
    /// `App` directly) the current set.
    pub(crate) fn request_hooks(&self) -> Arc<HookRuntime> {
        REQUEST_HOOKS
            .try_with(Arc::clone)
            .unwrap_or_else(|_| self.hooks.current())
    }
}

impl App {
    /// Answers one request inside its span (one span per request, with method, path,
    /// status and duration).
    async fn respond_in_span(
        self: Arc<Self>,
        raw: RawRequest,
        span: tracing::Span,
    ) -> Response<Full<Bytes>> {
        let started = Instant::now();
        let header_facts = headers::HeaderFacts::capture(&self.request_hooks(), &raw);
        let (ctx, prepared) = wp::prepare(
            &self.routes,
            &self.cors,
            raw.method,
            &raw.uri,
            raw.headers,
            &raw.body,
            raw.peer,
        );
        let (route, (outcome, signed_in)) = match prepared {
            Prepared::Respond(outcome) => ("none", (outcome, false)),
            Prepared::Dispatch {
                handler,
                permission,
                request,
                route,
            } => (
                route.path.as_str(),
                self.dispatch(*handler, permission, *request).await,
            ),
        };
        let (status, mut headers, body) = wp::finish(ctx, outcome);
        self.apply_header_hooks(header_facts, signed_in, &mut headers)
            .await;
        let elapsed = started.elapsed();
        self.metrics.record(route, status, elapsed);
        let elapsed_us = elapsed.as_micros() as u64;
        span.record("status", status);
        span.record("elapsed_us", elapsed_us);
        match status {
            500.. => tracing::warn!(status, elapsed_us, "answered"),
            400..500 => tracing::info!(status, elapsed_us, "answered"),
            _ => tracing::debug!(status, elapsed_us, "answered"),
        }
        let mut response = Response::new(Full::new(body));
        *response.status_mut() =
            hyper::StatusCode::from_u16(status).unwrap_or(hyper::StatusCode::INTERNAL_SERVER_ERROR);
        *response.headers_mut() = headers;
        response
    }
}
