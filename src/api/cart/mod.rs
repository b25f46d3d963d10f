//! The CoCart v2 cart routes (`/cocart/v2/cart...`).
//!
//! Each request opens its cart session (key, lock, load), runs one domain operation from
//! `crate::cart`, prices the cart, renders the answer and saves the session before
//! responding. The domain is synchronous; when merchant scripts are loaded it runs on the
//! blocking pool, since a Lua call may wait for a free interpreter.

pub mod session;

use std::str::FromStr;

use rust_decimal::Decimal;
use serde_json::{Value, json};

use super::App;
use crate::auth::Principal;
use crate::cart::error::CartError;
use crate::cart::hook_args::response_filters;
use crate::cart::hooks::Hooks;
use crate::cart::model::Cart;
use crate::cart::ops::{self, AddItemRequest, AddItemsRequest};
use crate::cart::pricing::{price_cart, recalculate_cart};
use crate::cart::render::{self, RenderOptions, StoreDisplay, TotalsPresentation};
use crate::catalog::Catalog;
use crate::error::ApiError;
use crate::http::params::Params;
use crate::http::response::ApiResponse;
use crate::http::wp::ApiRequest;
use session::{Api, CartContext};

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

impl Route {
    /// The route after `cocart/v2/`, as CoCart's response wrapper names it (item routes
    /// share `cart/item`).
    fn base(self) -> &'static str {
        match self {
            Route::Get | Route::Create => "cart",
            Route::AddItem => "cart/add-item",
            Route::AddItems => "cart/add-items",
            Route::Items => "cart/items",
            Route::ItemsCount => "cart/items/count",
            Route::ItemGet | Route::ItemUpdate | Route::ItemRemove | Route::ItemRestore => {
                "cart/item"
            }
            Route::Clear => "cart/clear",
            Route::Calculate => "cart/calculate",
            Route::Totals => "cart/totals",
            Route::Update => "cart/update",
        }
    }
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

/// One v2 cart route's domain step, with what the request decided up front.
struct Step {
    route: Route,
    price_override: Option<Decimal>,
}

/// Answers a v2 cart route.
pub async fn handle(
    app: &App,
    route: Route,
    req: &ApiRequest,
    principal: Option<&Principal>,
) -> Result<ApiResponse, ApiError> {
    let reading = matches!(
        route,
        Route::Get | Route::Items | Route::ItemsCount | Route::ItemGet | Route::Totals
    );
    let mut session = if reading {
        app.open_reading_session(req, principal).await?
    } else {
        app.open_session(req, principal).await?
    };
    let price_override = match route {
        Route::Create => {
            session.mark_created();
            None
        }
        _ => price_override(app, &req.params, principal)?,
    };
    let step = Step {
        route,
        price_override,
    };
    app.with_cart(session, req, Api::V2, move |cart, ctx, hooks| {
        let body = step.apply(cart, ctx, hooks)?;
        response_filters(hooks, route.base(), &ctx.site_url, body)
    })
    .await
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
        money_decimals: catalog.settings().price_decimals,
    }
}

pub(crate) fn cart_error(err: CartError) -> ApiError {
    ApiError::new(err.status, err.code, err.message)
}

impl Step {
    /// Recalculates the cart's totals and returns what the renderer shows of them. Like
    /// CoCart, the routes that load or add to the cart also drop coupons that no longer
    /// apply; the item, clear and calculate routes only recalculate.
    fn price(&self, cart: &mut Cart, ctx: &CartContext) -> Result<TotalsPresentation, CartError> {
        match self.route {
            Route::Get | Route::AddItem | Route::AddItems | Route::Update => {
                price_cart(cart, &ctx.catalog, ctx.now)
            }
            _ => recalculate_cart(cart, &ctx.catalog, ctx.now),
        }
    }

    fn apply(
        &self,
        cart: &mut Cart,
        ctx: &CartContext,
        hooks: &dyn Hooks,
    ) -> Result<Value, CartError> {
        let catalog = &ctx.catalog;
        match self.route {
            Route::Create => Ok(json!({"message": CART_CREATED, "cart_key": ctx.cart_key})),
            Route::Get => self.validated_cart(cart, ctx, hooks),
            Route::AddItem => {
                let request = AddItemRequest {
                    id: ctx.text("id").unwrap_or_default(),
                    quantity: ctx.text("quantity").unwrap_or_else(|| "1".into()),
                    variation: ctx.object("variation"),
                    item_data: ctx.object("item_data"),
                    email: ctx.text("email"),
                    phone: ctx.text("phone"),
                    price_override: self.price_override,
                    hook_request: Value::Object(ctx.params.clone()),
                };
                let added = ops::add_item(cart, catalog, hooks, &request, ctx.now)?;
                if ctx.flag("return_item") {
                    let presentation = self.price(cart, ctx)?;
                    return self.item(ctx, cart, hooks, &presentation, &added.key);
                }
                self.validated_cart(cart, ctx, hooks)
            }
            Route::AddItems => {
                let request = AddItemsRequest {
                    id: ctx.text("id").unwrap_or_default(),
                    quantities: ctx.object("quantity"),
                    email: ctx.text("email"),
                    phone: ctx.text("phone"),
                    hook_request: Value::Object(ctx.params.clone()),
                };
                let added = ops::add_items(cart, catalog, hooks, &request, ctx.now)?;
                if ctx.flag("return_items") {
                    let presentation = self.price(cart, ctx)?;
                    let items = added
                        .iter()
                        .map(|item| self.item(ctx, cart, hooks, &presentation, &item.key))
                        .collect::<Result<Vec<_>, _>>()?;
                    return Ok(Value::Array(items));
                }
                self.validated_cart(cart, ctx, hooks)
            }
            Route::Items => {
                let presentation = self.price(cart, ctx)?;
                render::render_items_object(
                    cart,
                    catalog,
                    hooks,
                    &ctx.store(),
                    &presentation,
                    ctx.now,
                )
            }
            Route::ItemsCount => render::render_item_count(
                cart,
                ctx.flag("removed_items"),
                ctx.text("return").as_deref() == Some("numeric"),
                &ctx.site_url,
            ),
            Route::ItemGet => {
                let presentation = self.price(cart, ctx)?;
                self.item(ctx, cart, hooks, &presentation, &ctx.item_key())
            }
            Route::ItemUpdate => {
                let quantity = ctx.text("quantity").unwrap_or_default();
                let update = ops::update_item_quantity(
                    cart,
                    catalog,
                    hooks,
                    &ctx.item_key(),
                    &quantity,
                    ctx.now,
                )?;
                if ctx.flag("return_status") {
                    self.price(cart, ctx)?;
                    return Ok(update.status_value());
                }
                self.cart_body(cart, ctx, hooks)
            }
            Route::ItemRemove => {
                let message = ops::remove_item(cart, catalog, hooks, &ctx.item_key(), ctx.now)?;
                if ctx.flag("return_status") {
                    self.price(cart, ctx)?;
                    return Ok(Value::String(message));
                }
                self.cart_body(cart, ctx, hooks)
            }
            Route::ItemRestore => {
                let key = ctx.item_key();
                ops::restore_item(cart, catalog, hooks, &key, ctx.now)?;
                if ctx.flag("return_item") {
                    let presentation = self.price(cart, ctx)?;
                    return self.item(ctx, cart, hooks, &presentation, &key);
                }
                self.cart_body(cart, ctx, hooks)
            }
            Route::Clear => {
                ops::clear_cart(cart, hooks, ctx.flag("keep_removed_items"))?;
                self.cart_body(cart, ctx, hooks)
            }
            Route::Calculate => {
                if ctx.flag("return_totals") {
                    self.price(cart, ctx)?;
                    let store = ctx.store().with_money_hooks(hooks)?;
                    return Ok(render::render_totals(cart, store.money_decimals));
                }
                self.cart_body(cart, ctx, hooks)
            }
            Route::Totals => {
                render::render_stored_totals(cart, catalog.settings(), ctx.flag("html"))
            }
            Route::Update => {
                let namespace = ctx.text("namespace").unwrap_or_default();
                let changed = match ops::update_callback(hooks, &namespace, &ctx.params)? {
                    ops::UpdateCallback::UpdateCart => ops::update_cart_quantities(
                        cart,
                        catalog,
                        hooks,
                        &ctx.object("quantity"),
                        ctx.now,
                    )?,
                    ops::UpdateCallback::UpdateCustomer => {
                        ops::update_customer(cart, &ctx.params, hooks)?
                    }
                    ops::UpdateCallback::Extension => false,
                };
                if !changed {
                    return self.validated_cart(cart, ctx, hooks);
                }
                // The get-cart sweep runs first so the cart is priced once, between the
                // totals actions.
                ops::validate_cart(cart, catalog, hooks, ctx.now)?;
                let presentation =
                    ops::with_update_totals_actions(hooks, &ctx.params, || self.price(cart, ctx))?;
                cart_body(cart, ctx, hooks, &presentation)
            }
        }
    }

    fn item(
        &self,
        ctx: &CartContext,
        cart: &Cart,
        hooks: &dyn Hooks,
        presentation: &TotalsPresentation,
        key: &str,
    ) -> Result<Value, CartError> {
        render::render_item(
            cart,
            &ctx.catalog,
            hooks,
            &ctx.store(),
            presentation,
            key,
            ctx.now,
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
    fn validated_cart(
        &self,
        cart: &mut Cart,
        ctx: &CartContext,
        hooks: &dyn Hooks,
    ) -> Result<Value, CartError> {
        ops::validate_cart(cart, &ctx.catalog, hooks, ctx.now)?;
        self.cart_body(cart, ctx, hooks)
    }

    /// The cart body: raw lines with `default=true`, else the v2 cart object.
    fn cart_body(
        &self,
        cart: &mut Cart,
        ctx: &CartContext,
        hooks: &dyn Hooks,
    ) -> Result<Value, CartError> {
        let presentation = self.price(cart, ctx)?;
        cart_body(cart, ctx, hooks, &presentation)
    }
}

/// The body of a route that returns the cart, once priced: raw lines with `default=true`,
/// else the v2 cart object shaped by `fields` and `thumb`. Shared with the Plus routes.
pub(crate) fn cart_body(
    cart: &mut Cart,
    ctx: &CartContext,
    hooks: &dyn Hooks,
    presentation: &TotalsPresentation,
) -> Result<Value, CartError> {
    if ctx.flag("default") {
        return render::render_raw_lines(cart, &ctx.site_url);
    }
    let fields = ctx.text("fields");
    render::render_cart(
        cart,
        &ctx.catalog,
        hooks,
        &ctx.store(),
        presentation,
        RenderOptions {
            cart_key: &ctx.cart_key,
            fields: fields.as_deref(),
            thumb: ctx
                .params
                .get("thumb")
                .and_then(Value::as_bool)
                .unwrap_or(true),
        },
        ctx.now,
    )
}
