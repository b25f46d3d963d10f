//! A request's cart session: which key, the per-cart lock, loading, saving and the
//! response headers.
//!
//! Every session-loading route (cart-key-and-sessions.md §4) runs the same steps: resolve
//! the key (or mint one), take the cart's lock so two requests on one cart never lose an
//! update, load the stored cart (an unknown key is adopted as an empty cart), run the
//! domain, save if anything changed (the save is durable before the response), and send
//! the CoCart session headers.

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

use serde_json::{Map, Value, json};
use tokio::sync::{Mutex, OwnedMutexGuard};

use super::super::App;
use super::super::cart_key;
use super::super::cart_key::Lifetimes;
use super::{cart_error, store_display};
use crate::accounts::StoreDirectory;
use crate::auth::{CartKeyOwner, Principal, User, check_cart_key};
use crate::cart::error::CartError;
use crate::cart::hook_args::cart_value;
use crate::cart::hook_args::{filter, response_filters, truthy};
use crate::cart::hooks::{Hooks, NoHooks};
use crate::cart::item_key::php_string;
use crate::cart::model::Cart;
use crate::cart::render::StoreDisplay;
use crate::catalog::Catalog;
use crate::catalog::model::UnixTime;
use crate::error::ApiError;
use crate::hooks::{HookRuntime, RequestScope, ScopedHooks};
use crate::http::response::ApiResponse;
use crate::http::wp::ApiRequest;
use crate::store::sessions::SessionUpdate;

/// How many lock shards carts hash into: enough that unrelated carts rarely share one.
const LOCK_SHARDS: usize = 1024;

/// Serialises requests per cart key (sharded, so memory stays fixed).
pub struct CartLocks {
    shards: Vec<Arc<Mutex<()>>>,
}

impl Default for CartLocks {
    fn default() -> Self {
        CartLocks {
            shards: (0..LOCK_SHARDS).map(|_| Arc::new(Mutex::new(()))).collect(),
        }
    }
}

impl CartLocks {
    /// Waits for and takes the lock of `cart_key`.
    pub async fn lock(&self, cart_key: &str) -> OwnedMutexGuard<()> {
        let mut hasher = DefaultHasher::new();
        cart_key.hash(&mut hasher);
        let shard = (hasher.finish() as usize) % self.shards.len();
        self.shards[shard].clone().lock_owned().await
    }
}

/// One request's cart, loaded under its lock.
pub struct CartSession {
    /// The active cart key.
    pub key: String,
    /// The cart the handler works on.
    pub cart: Cart,
    /// The stored cart and its expiry, when a row exists (to tell whether it changed).
    stored: Option<(Cart, u64)>,
    /// Save even if nothing changed.
    force_save: bool,
    /// The cart belongs to a registered customer (it lives longer than a guest's).
    customer: bool,
    /// The session's lifetimes as the expiry filters left them.
    pub lifetimes: Lifetimes,
    /// Keeps other requests on this cart waiting until the session is saved.
    /// Holds the cart's lock for sessions opened to change the cart; reading sessions
    /// take it only if they turn out to need a save (see [`App::close_session`]).
    lock: Option<OwnedMutexGuard<()>>,
}

impl CartSession {
    /// Forces a save even when the cart did not change (`POST cart` hands out a key that
    /// must then be listed).
    pub fn mark_created(&mut self) {
        self.force_save = true;
    }
}

/// Which API a cart request came through: v2 answers carry the CoCart session headers,
/// v1 answers none.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Api {
    /// `cocart/v1`
    V1,
    /// `cocart/v2`
    V2,
}

impl Api {
    fn name(self) -> &'static str {
        match self {
            Api::V1 => "v1",
            Api::V2 => "v2",
        }
    }
}

/// What a cart operation reads besides the cart itself.
pub struct CartContext {
    /// The request's validated parameters.
    pub params: Map<String, Value>,
    /// The active cart key.
    pub cart_key: String,
    /// The public site root (`http://shop.example`).
    pub site_url: String,
    /// The catalog as of this request.
    pub catalog: Arc<Catalog>,
    /// Now.
    pub now: UnixTime,
}

impl CartContext {
    /// A boolean parameter (coerced by validation), `false` when absent.
    pub fn flag(&self, name: &str) -> bool {
        self.params
            .get(name)
            .and_then(Value::as_bool)
            .unwrap_or(false)
    }

    /// A string parameter.
    pub fn text(&self, name: &str) -> Option<String> {
        self.params
            .get(name)
            .and_then(Value::as_str)
            .map(str::to_owned)
    }

    /// An object parameter (`[]` and absent give an empty map).
    pub fn object(&self, name: &str) -> Map<String, Value> {
        match self.params.get(name) {
            Some(Value::Object(map)) => map.clone(),
            _ => Map::new(),
        }
    }

    /// The `item_key` path parameter.
    pub fn item_key(&self) -> String {
        self.text("item_key").unwrap_or_default()
    }

    /// The store as cart bodies show it.
    pub fn store(&self) -> StoreDisplay<'_> {
        store_display(&self.catalog, &self.site_url)
    }
}

impl App {
    /// Runs one cart operation on an opened session: the operation gets the cart, the
    /// request context and the hooks, and returns the body; the session is saved (durably)
    /// before the answer, which carries the session headers on v2. The domain is
    /// synchronous; with merchant scripts loaded it runs on the blocking pool, since a Lua
    /// call may wait for a free interpreter.
    pub(crate) async fn with_cart<F>(
        &self,
        mut session: CartSession,
        req: &ApiRequest,
        api: Api,
        operation: F,
    ) -> Result<ApiResponse, ApiError>
    where
        F: FnOnce(&mut Cart, &CartContext, &dyn Hooks) -> Result<Value, CartError> + Send + 'static,
    {
        let now = self.clock.now();
        let ctx = CartContext {
            params: req.params.merged.clone(),
            cart_key: session.key.clone(),
            site_url: req.site_url().to_owned(),
            catalog: self.catalog.snapshot(),
            now: UnixTime::from_unix_seconds(now),
        };
        let runtime = self.request_hooks();
        let scripted = !runtime.is_empty();
        let hooks = hooks_for(runtime, &session, &req.rest_path, api.name());
        let mut cart = std::mem::take(&mut session.cart);
        let run = move || {
            let outcome = operation(&mut cart, &ctx, hooks.as_ref());
            (cart, outcome)
        };
        let (cart, outcome) = if scripted {
            tokio::task::spawn_blocking(run)
                .await
                .map_err(|_| ApiError::internal())?
        } else {
            run()
        };
        session.cart = cart;
        let (key, lifetimes) = (session.key.clone(), session.lifetimes);
        // A refused operation changed nothing, but an aged expiry is still refreshed.
        self.close_session(session, now).await?;
        let response = ApiResponse::ok(outcome.map_err(cart_error)?);
        Ok(match api {
            Api::V2 => session_headers(response, &key, lifetimes, now),
            Api::V1 => response,
        })
    }

    /// Resolves the request's cart key, takes the cart's lock and loads the cart
    /// (cart-key-and-sessions.md §4): a named key is checked by the registered-user guard
    /// (on every channel); an authenticated caller naming a guest key takes that guest
    /// cart over as their own; without a key a customer gets their own cart and a guest a
    /// freshly minted key. The session hooks fire in CoCart's order (hooks-and-filters.md
    /// P3): with a key `cocart_requested_cart_key`, `cocart_cart_expiring`,
    /// `cocart_cart_expiration`; without one the two expiry filters, then
    /// `cocart_generate_key` for a guest.
    pub(crate) async fn open_session(
        &self,
        req: &ApiRequest,
        principal: Option<&Principal>,
    ) -> Result<CartSession, ApiError> {
        self.open_session_with(req, principal, true).await
    }

    /// [`App::open_session`] for routes that normally only read the cart (`GET cart`,
    /// items, counts, totals): no lock is taken, so reads of one cart run in parallel.
    pub(crate) async fn open_reading_session(
        &self,
        req: &ApiRequest,
        principal: Option<&Principal>,
    ) -> Result<CartSession, ApiError> {
        self.open_session_with(req, principal, false).await
    }

    async fn open_session_with(
        &self,
        req: &ApiRequest,
        principal: Option<&Principal>,
        locking: bool,
    ) -> Result<CartSession, ApiError> {
        let requested = match cart_key::requested(req)? {
            Some(requested) => {
                let filtered = self
                    .session_filter("cocart_requested_cart_key", Value::from(requested.key))
                    .await?;
                cart_key::checked(&php_string(&filtered))?
            }
            None => None,
        };
        let lifetimes = Lifetimes {
            expiring_secs: self
                .seconds_filter("cocart_cart_expiring", self.config.session.expiring_secs)
                .await?,
            expiration_secs: self
                .seconds_filter(
                    "cocart_cart_expiration",
                    self.config.session.expiration_secs,
                )
                .await?,
        };
        let mut transfer_from = None;
        let (key, customer) = match (requested, principal) {
            (Some(requested), _) => match self.key_owner(principal, &requested.key).await? {
                CartKeyOwner::Customer(_) => (requested.key, true),
                CartKeyOwner::Guest => match principal {
                    Some(user) if user.cart_key() != requested.key => {
                        transfer_from = Some(requested.key);
                        (user.cart_key(), true)
                    }
                    Some(_) => (requested.key, true),
                    None => (requested.key, false),
                },
            },
            (None, Some(user)) => (user.cart_key(), true),
            (None, None) => (self.generated_key().await?, false),
        };
        // A guest-to-customer transfer writes, so it always locks.
        let lock = if locking || transfer_from.is_some() {
            Some(self.cart_locks.lock(&key).await)
        } else {
            None
        };
        let row = self.store.session::<Cart>(&key)?;
        let stored = row.map(|row| (row.cart, row.expiry));
        let mut cart = match &stored {
            Some((cart, _)) => {
                let mut cart = cart.clone();
                cart.apply_location_defaults(self.catalog.snapshot().settings());
                cart
            }
            None => self.new_cart(principal).await?,
        };
        let mut force_save = false;
        if let Some(guest_key) = transfer_from
            && let Some(guest) = self.store.session::<Cart>(&guest_key)?
        {
            // The guest cart replaces the customer's (no line merge, as CoCart).
            tracing::info!(cart_key = %key, "guest cart transferred to its customer");
            cart = guest.cart;
            self.store.delete_session(&guest_key).await?;
            force_save = true;
        }
        Ok(CartSession {
            key,
            cart,
            stored,
            force_save,
            customer,
            lifetimes,
            lock,
        })
    }

    /// Fires a filter that runs before any cart is loaded (so scripts see no request
    /// scope). Nothing runs when no script listens; otherwise the call runs on the
    /// blocking pool (it may wait for a free Lua state). A failing callback leaves the
    /// value as it was.
    pub(crate) async fn unscoped_filter(
        &self,
        name: String,
        value: Value,
        args: Vec<Value>,
    ) -> Result<Value, ApiError> {
        if !self.request_hooks().has(&name) {
            return Ok(value);
        }
        self.with_unscoped_hooks(move |hooks| filter(hooks, &name, value, || args))
            .await
    }

    /// CoCart's v2 response wrapper for a route outside the cart pipeline (`login`,
    /// `session`, `sessions`): see [`response_filters`].
    pub(crate) async fn wrapped_response(
        &self,
        route_base: &'static str,
        req: &ApiRequest,
        body: Value,
    ) -> Result<Value, ApiError> {
        if !self.request_hooks().has("cocart_return_default_response") {
            return Ok(body);
        }
        let site_url = req.site_url().to_owned();
        self.with_unscoped_hooks(move |hooks| response_filters(hooks, route_base, &site_url, body))
            .await
    }

    /// Runs `work` with the current scripts and no request scope: inline when no script is
    /// loaded, else on the blocking pool (a Lua call may wait for a free state).
    pub(crate) async fn with_unscoped_hooks<T, F>(&self, work: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&dyn Hooks) -> Result<T, CartError> + Send + 'static,
    {
        let runtime = self.request_hooks();
        let outcome = if runtime.is_empty() {
            work(runtime.as_ref())
        } else {
            tokio::task::spawn_blocking(move || work(runtime.as_ref()))
                .await
                .map_err(|_| ApiError::internal())?
        };
        outcome.map_err(cart_error)
    }

    /// A session filter whose only argument is its value.
    async fn session_filter(&self, name: &str, value: Value) -> Result<Value, ApiError> {
        self.unscoped_filter(name.to_owned(), value, Vec::new())
            .await
    }

    /// A lifetime filter (`cocart_cart_expiring`, `cocart_cart_expiration`): a result that
    /// is not a whole number of seconds keeps the configured value.
    async fn seconds_filter(&self, name: &str, seconds: u64) -> Result<u64, ApiError> {
        let filtered = self.session_filter(name, Value::from(seconds)).await?;
        Ok(whole_number(&filtered).unwrap_or_else(|| {
            tracing::warn!(hook = name, value = %filtered, "not a number of seconds; ignored");
            seconds
        }))
    }

    /// A new guest key through `cocart_generate_key`; a result that normalises to nothing
    /// or is too long for the key column keeps the minted key.
    async fn generated_key(&self) -> Result<String, ApiError> {
        let minted = cart_key::mint();
        let filtered = self
            .session_filter("cocart_generate_key", Value::from(minted.clone()))
            .await?;
        match cart_key::checked(&php_string(&filtered)) {
            Ok(Some(generated)) => Ok(generated.key),
            _ => {
                tracing::warn!(value = %filtered, "cocart_generate_key returned an unusable key; ignored");
                Ok(minted)
            }
        }
    }

    /// The registered-user guard for a named key. A guest naming a customer's ID is let
    /// through to that cart when `cocart_secure_registered_users` returns false.
    async fn key_owner(
        &self,
        principal: Option<&Principal>,
        key: &str,
    ) -> Result<CartKeyOwner, ApiError> {
        let verdict = check_cart_key(principal, key, &StoreDirectory(&self.store));
        match verdict {
            Err(refusal)
                if principal.is_none() && refusal.code == "cocart_must_authenticate_user" =>
            {
                let secure = self
                    .session_filter("cocart_secure_registered_users", Value::Bool(true))
                    .await?;
                if truthy(&secure) {
                    Err(refusal.into())
                } else {
                    Ok(CartKeyOwner::Customer(key.parse().unwrap_or_default()))
                }
            }
            other => Ok(other?),
        }
    }

    /// The registered customer whose profile backs a new cart: the caller, or whom
    /// `cocart_set_customer_id` names instead (0 or an unknown ID: none).
    async fn session_customer(
        &self,
        principal: Option<&Principal>,
    ) -> Result<Option<User>, ApiError> {
        let caller = principal.map(|p| &p.user);
        let caller_id = caller.map_or(0, |user| user.id);
        let chosen = self
            .session_filter("cocart_set_customer_id", Value::from(caller_id))
            .await?;
        match whole_number(&chosen) {
            Some(id) if id == caller_id => Ok(caller.cloned()),
            Some(0) | None => Ok(None),
            Some(id) => Ok(self.store.user::<User>(id)?),
        }
    }

    /// An empty cart; a customer's starts with their account email and their stored
    /// billing and shipping details, as WooCommerce loads its customer.
    async fn new_cart(&self, principal: Option<&Principal>) -> Result<Cart, ApiError> {
        let mut cart = Cart::for_store(self.catalog.snapshot().settings());
        if let Some(user) = self.session_customer(principal).await? {
            let customer = &mut cart.customer;
            customer.billing.email = user.email;
            customer.billing.fill_from(&user.billing);
            customer.shipping.fill_from(&user.shipping);
        }
        Ok(cart)
    }

    /// Saves the session if its cart changed (or it was just created), or refreshes its
    /// expiry when the stored one has aged; returns once durable. A new key whose cart is
    /// still empty is not stored: an unknown key loads as that same empty cart.
    pub(crate) async fn close_session(
        &self,
        session: CartSession,
        now: u64,
    ) -> Result<(), ApiError> {
        let expiration = if session.customer {
            self.config.session.customer_expiration_secs
        } else {
            session.lifetimes.expiration_secs
        };
        let expiry = now.saturating_add(expiration);
        let catalog = self.catalog.snapshot();
        let settings = catalog.settings();
        let changed = session.force_save
            || match &session.stored {
                Some((stored, _)) => *stored != session.cart,
                None => session.cart != Cart::for_store(settings),
            };
        if changed {
            // A reading session that changed the cart (a line swept out, notices shown)
            // takes the lock now and saves only if nobody wrote the cart since it was
            // loaded; otherwise the newer cart wins and the next read sweeps it again.
            let _late_lock = match session.lock {
                Some(_) => None,
                None => Some(self.cart_locks.lock(&session.key).await),
            };
            if session.lock.is_some() || self.unchanged_since_load(&session)? {
                self.store
                    .save_session(SessionUpdate {
                        cart_key: session.key,
                        cart: session.cart,
                        expiry,
                        now,
                    })
                    .await?;
            }
        } else if let Some((_, stored)) = session.stored {
            // CoCart pushes the expiry on every request; writing it durably each time would
            // make every read a write, so it is refreshed once it is a tenth stale.
            if stored < expiry.saturating_sub(expiration / 10) {
                self.store.touch_session(&session.key, expiry).await?;
            }
        }
        Ok(())
    }

    /// Whether the stored cart is still the one `session` loaded.
    fn unchanged_since_load(&self, session: &CartSession) -> Result<bool, ApiError> {
        let current = self.store.session::<Cart>(&session.key)?;
        Ok(match (current, &session.stored) {
            (Some(row), Some((loaded, _))) => row.cart == *loaded,
            (None, None) => true,
            _ => false,
        })
    }
}

/// The hooks a request on `session` fires: none when no script is loaded (so building
/// hook arguments costs nothing), else `runtime`'s scripts bound to this request's cart.
fn hooks_for(
    runtime: Arc<HookRuntime>,
    session: &CartSession,
    route: &str,
    api: &str,
) -> Box<dyn Hooks> {
    if runtime.is_empty() {
        return Box::new(NoHooks);
    }
    let scope = RequestScope {
        cart: cart_value(&session.cart),
        context: json!({"cart_key": session.key, "route": route, "api": api}),
    };
    Box::new(ScopedHooks::new(runtime, scope))
}

/// Adds the CoCart session headers of a successful v2 cart response.
pub(crate) fn session_headers(
    response: ApiResponse,
    cart_key: &str,
    lifetimes: Lifetimes,
    now: u64,
) -> ApiResponse {
    cart_key::with_session_headers(response, cart_key, now, lifetimes)
}

/// A filter result read as a whole non-negative number (a number or numeric text, as PHP
/// casts it).
pub(crate) fn whole_number(value: &Value) -> Option<u64> {
    match value {
        Value::Number(number) => number.as_u64().or_else(|| {
            number
                .as_f64()
                .filter(|n| *n >= 0.0 && n.fract() == 0.0)
                .map(|n| n as u64)
        }),
        Value::String(text) => text.trim().parse().ok(),
        _ => None,
    }
}
