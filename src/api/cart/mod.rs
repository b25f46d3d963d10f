//! The CoCart v2 cart routes (`/cocart/v2/cart...`).
//!
//! Each request opens its cart session (key, lock, load), runs one domain operation from
//! `crate::cart`, prices the cart, renders the answer and saves the session before
//! responding. The domain is synchronous; when merchant scripts are loaded it runs on the
//! blocking pool, since a Lua call may wait for a free interpreter.

pub mod session;

use std::str::FromStr;
use std::sync::Arc;

use rust_decimal::Decimal;
use serde_json::{Map, Value, json};

use super::App;
use crate::auth::Principal;
use crate::cart::error::CartError;
use crate::cart::hooks::Hooks;
use crate::cart::model::Cart;
use crate::cart::ops::{self, AddItemRequest, AddItemsRequest};
use crate::cart::pricing::{price_cart, recalculate_cart};
use crate::cart::render::{self, RenderOptions, StoreDisplay, TotalsPresentation};
use crate::catalog::Catalog;
use crate::catalog::model::UnixTime;
use crate::error::ApiError;
use crate::http::params::Params;
use crate::http::response::ApiResponse;
use crate::http::wp::ApiRequest;

/// WooCommerce's bundled placeholder image, below the site root.
const PLACEHOLDER_IMAGE: &str = "wp-content/uploads/woocommerce-placeholder.png";

/// The message `POST cart` answers with.
const CART_CREATED: &str = "Here is your cart key. Either use it as a global parameter or set the CoCart cart key header for all future Cart API requests. See \"Cart Key\" section in the documentation to learn more.";

/// The v2 cart routes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Route {
    /// `GET /cocart/v2/cart`
    Get,
    /// `POST /cocart/v2/cart`
    Create,
    /// `POST /cocart/v2/cart/add-item`
    AddItem,
    /// `POST /cocart/v2/cart/add-items`
    AddItems,
    /// `GET /cocart/v2/cart/items`
    Items,
    /// `GET /cocart/v2/cart/items/count`
    ItemsCount,
    /// `GET /cocart/v2/cart/item/{item_key}`
    ItemGet,
    /// `POST /cocart/v2/cart/item/{item_key}`
    ItemUpdate,
    /// `DELETE /cocart/v2/cart/item/{item_key}`
    ItemRemove,
    /// `PUT|PATCH /cocart/v2/cart/item/{item_key}`
    ItemRestore,
    /// `POST /cocart/v2/cart/clear`
    Clear,
    /// `POST /cocart/v2/cart/calculate`
    Calculate,
    /// `GET /cocart/v2/cart/totals`
    Totals,
    /// `POST /cocart/v2/cart/update`
    Update,
}

impl FromStr for Route {
    type Err = ();

    fn from_str(name: &str) -> Result<Self, ()> {
        Ok(match name {
            "get" => Route::Get,
            "create" => Route::Create,
            "add_item" => Route::AddItem,
            "add_items" => Route::AddItems,
            "items" => Route::Items,
            "items_count" => Route::ItemsCount,
            "item_get" => Route::ItemGet,
            "item_update" => Route::ItemUpdate,
            "item_remove" => Route::ItemRemove,
            "item_restore" => Route::ItemRestore,
            "clear" => Route::Clear,
            "calculate" => Route::Calculate,
            "totals" => Route::Totals,
            "update" => Route::Update,
            _ => return Err(()),
        })
    }
}

/// Everything a route's domain step reads besides the cart.
struct Step {
    route: Route,
    params: Map<String, Value>,
    cart_key: String,
    site_url: String,
    price_override: Option<Decimal>,
    catalog: Arc<Catalog>,
    now: UnixTime,
}

/// Answers a v2 cart route.
pub async fn handle(
    app: &App,
    route: Route,
    req: &ApiRequest,
    principal: Option<&Principal>,
) -> Result<ApiResponse, ApiError> {
    let now = app.clock.now();
    let mut session = app.open_session(req, principal).await?;
    if route == Route::Create {
        session.mark_created();
        let body = json!({"message": CART_CREATED, "cart_key": session.key});
        let key = session.key.clone();
        app.close_session(session, now).await?;
        return Ok(app.session_headers(ApiResponse::ok(body), &key, now));
    }
    let step = Step {
        route,
        price_override: price_override(app, &req.params, principal)?,
        params: req.params.merged.clone(),
        cart_key: session.key.clone(),
        site_url: req.rest_base.trim_end_matches("/wp-json").to_owned(),
        catalog: app.catalog.snapshot(),
        now: UnixTime(i64::try_from(now).unwrap_or(i64::MAX)),
    };
    let hooks = app.hooks_for(&session, &req.rest_path, "v2");
    let cart = std::mem::take(&mut session.cart);
    let (cart, outcome) = if app.hooks.current().registered_hook_names().is_empty() {
        run(step, cart, hooks.as_ref())
    } else {
        tokio::task::spawn_blocking(move || run(step, cart, hooks.as_ref()))
            .await
            .map_err(|_| ApiError::internal())?
    };
    session.cart = cart;
    let key = session.key.clone();
    // A refused operation changed nothing, but an aged expiry is still refreshed.
    app.close_session(session, now).await?;
    let body = outcome.map_err(cart_error)?;
    Ok(app.session_headers(ApiResponse::ok(body), &key, now))
}

/// `price`: a per-line unit price, honoured only when the shop allows overrides.
fn price_override(
    app: &App,
    params: &Params,
    principal: Option<&Principal>,
) -> Result<Option<Decimal>, ApiError> {
    let Some(price) = params.str("price").filter(|p| !p.trim().is_empty()) else {
        return Ok(None);
    };
    let staff = principal.is_some_and(Principal::can_manage_woocommerce);
    if !(app.config.cart.allow_price_override && staff) {
        return Err(ApiError::new(
            403,
            "cocart_price_override_not_allowed",
            "Setting a custom price for an item is not allowed.",
        ));
    }
    Decimal::from_str(price.trim())
        .ok()
        .filter(|p| *p > Decimal::ZERO)
        .map(Some)
        .ok_or_else(|| {
            ApiError::new(
                400,
                "cocart_price_invalid",
                "The custom price is not a valid amount.",
            )
        })
}

/// The store as cart bodies show it.
pub(crate) fn store_display<'a>(catalog: &'a Catalog, site_url: &'a str) -> StoreDisplay<'a> {
    StoreDisplay {
        settings: catalog.settings(),
        site_url,
        placeholder_image: PLACEHOLDER_IMAGE,
        shipping_enabled: catalog
            .shipping_zones()
            .iter()
            .any(|zone| !zone.methods.is_empty()),
    }
}

pub(crate) fn cart_error(err: CartError) -> ApiError {
    ApiError::new(err.status, err.code, err.message)
}

/// Runs one route's domain step on `cart` and returns the cart with the body.
fn run(step: Step, mut cart: Cart, hooks: &dyn Hooks) -> (Cart, Result<Value, CartError>) {
    let outcome = step.apply(&mut cart, hooks);
    (cart, outcome)
}

impl Step {
    fn flag(&self, name: &str) -> bool {
        self.params
            .get(name)
            .and_then(Value::as_bool)
            .unwrap_or(false)
    }

    fn text(&self, name: &str) -> Option<String> {
        self.params
            .get(name)
            .and_then(Value::as_str)
            .map(str::to_owned)
    }

    fn object(&self, name: &str) -> Map<String, Value> {
        match self.params.get(name) {
            Some(Value::Object(map)) => map.clone(),
            _ => Map::new(),
        }
    }

    fn item_key(&self) -> String {
        self.text("item_key").unwrap_or_default()
    }

    fn store(&self) -> StoreDisplay<'_> {
        store_display(&self.catalog, &self.site_url)
    }

    /// Recalculates the cart's totals and returns what the renderer shows of them. Like
    /// CoCart, the routes that load or add to the cart also drop coupons that no longer
    /// apply; the item, clear and calculate routes only recalculate.
    fn price(&self, cart: &mut Cart) -> Result<TotalsPresentation, CartError> {
        match self.route {
            Route::Get | Route::AddItem | Route::AddItems | Route::Update => {
                price_cart(cart, &self.catalog, self.now)
            }
            _ => recalculate_cart(cart, &self.catalog, self.now),
        }
    }

    fn apply(&self, cart: &mut Cart, hooks: &dyn Hooks) -> Result<Value, CartError> {
        let catalog = &self.catalog;
        match self.route {
            Route::Create => Ok(Value::Null),
            Route::Get => self.validated_cart(cart, hooks),
            Route::AddItem => {
                let request = AddItemRequest {
                    id: self.text("id").unwrap_or_default(),
                    quantity: self.text("quantity").unwrap_or_else(|| "1".into()),
                    variation: self.object("variation"),
                    item_data: self.object("item_data"),
                    email: self.text("email"),
                    phone: self.text("phone"),
                    price_override: self.price_override,
                    hook_request: Value::Object(self.params.clone()),
                };
                let added = ops::add_item(cart, catalog, hooks, &request, self.now)?;
                if self.flag("return_item") {
                    let presentation = self.price(cart)?;
                    return self.item(cart, hooks, &presentation, &added.key);
                }
                self.validated_cart(cart, hooks)
            }
            Route::AddItems => {
                let request = AddItemsRequest {
                    id: self.text("id").unwrap_or_default(),
                    quantities: self.object("quantity"),
                    email: self.text("email"),
                    phone: self.text("phone"),
                    hook_request: Value::Object(self.params.clone()),
                };
                let added = ops::add_items(cart, catalog, hooks, &request, self.now)?;
                if self.flag("return_items") {
                    let presentation = self.price(cart)?;
                    let items = added
                        .iter()
                        .map(|item| self.item(cart, hooks, &presentation, &item.key))
                        .collect::<Result<Vec<_>, _>>()?;
                    return Ok(Value::Array(items));
                }
                self.validated_cart(cart, hooks)
            }
            Route::Items => {
                let presentation = self.price(cart)?;
                render::render_items_object(
                    cart,
                    catalog,
                    hooks,
                    &self.store(),
                    &presentation,
                    self.now,
                )
            }
            Route::ItemsCount => render::render_item_count(
                cart,
                self.flag("removed_items"),
                self.text("return").as_deref() == Some("numeric"),
                &self.site_url,
            ),
            Route::ItemGet => {
                let presentation = self.price(cart)?;
                self.item(cart, hooks, &presentation, &self.item_key())
            }
            Route::ItemUpdate => {
                let quantity = self.text("quantity").unwrap_or_default();
                let update = ops::update_item_quantity(
                    cart,
                    catalog,
                    hooks,
                    &self.item_key(),
                    &quantity,
                    self.now,
                )?;
                if self.flag("return_status") {
                    self.price(cart)?;
                    return Ok(update.status_value());
                }
                self.cart_body(cart, hooks)
            }
            Route::ItemRemove => {
                let message = ops::remove_item(cart, catalog, hooks, &self.item_key(), self.now)?;
                if self.flag("return_status") {
                    self.price(cart)?;
                    return Ok(Value::String(message));
                }
                self.cart_body(cart, hooks)
            }
            Route::ItemRestore => {
                let key = self.item_key();
                ops::restore_item(cart, catalog, hooks, &key, self.now)?;
                if self.flag("return_item") {
                    let presentation = self.price(cart)?;
                    return self.item(cart, hooks, &presentation, &key);
                }
                self.cart_body(cart, hooks)
            }
            Route::Clear => {
                ops::clear_cart(cart, hooks, self.flag("keep_removed_items"))?;
                self.cart_body(cart, hooks)
            }
            Route::Calculate => {
                if self.flag("return_totals") {
                    self.price(cart)?;
                    return Ok(render::render_totals(
                        cart,
                        catalog.settings().price_decimals,
                    ));
                }
                self.cart_body(cart, hooks)
            }
            Route::Totals => {
                render::render_stored_totals(cart, catalog.settings(), self.flag("html"))
            }
            Route::Update => {
                match self.text("namespace").unwrap_or_default().as_str() {
                    "update-cart" => ops::update_cart_quantities(
                        cart,
                        catalog,
                        hooks,
                        &self.object("quantity"),
                        self.now,
                    )?,
                    "update-customer" => ops::update_customer(cart, &self.params)?,
                    other => {
                        return Err(CartError::new(
                            "cocart_update_cart_no_namespace_error",
                            404,
                            format!("There is no such namespace registered: {other}."),
                        ));
                    }
                }
                self.validated_cart(cart, hooks)
            }
        }
    }

    fn item(
        &self,
        cart: &Cart,
        hooks: &dyn Hooks,
        presentation: &TotalsPresentation,
        key: &str,
    ) -> Result<Value, CartError> {
        render::render_item(
            cart,
            &self.catalog,
            hooks,
            &self.store(),
            presentation,
            key,
            self.now,
        )?
        .ok_or_else(|| {
            CartError::new(
                "cocart_item_not_in_cart",
                404,
                "Item specified does not exist in cart.",
            )
        })
    }

    /// The cart body after CoCart's get-cart sweep (lines no longer purchasable removed).
    fn validated_cart(&self, cart: &mut Cart, hooks: &dyn Hooks) -> Result<Value, CartError> {
        ops::validate_cart(cart, &self.catalog, hooks, self.now)?;
        self.cart_body(cart, hooks)
    }

    /// The cart body: raw lines with `default=true`, else the v2 cart object.
    fn cart_body(&self, cart: &mut Cart, hooks: &dyn Hooks) -> Result<Value, CartError> {
        let presentation = self.price(cart)?;
        if self.flag("default") {
            return render::render_raw_lines(cart, &self.site_url);
        }
        let fields = self.text("fields");
        render::render_cart(
            cart,
            &self.catalog,
            hooks,
            &self.store(),
            &presentation,
            RenderOptions {
                cart_key: &self.cart_key,
                fields: fields.as_deref(),
                thumb: self
                    .params
                    .get("thumb")
                    .and_then(Value::as_bool)
                    .unwrap_or(true),
            },
            self.now,
        )
    }
}
