//! The CoCart Plus cart routes (`/cocart/v2/cart/mini`, `cart/coupons…`,
//! `cart/apply-coupon`, `cart/add-fee`, `cart/remove-fees`, `DELETE cart/items`,
//! `cart/set-shipping-method`; routes.md "cocart/v2 Plus").
//!
//! They run through the same cart pipeline as the v2 cart routes
//! ([`App::with_cart`]: open the session, run the operation, price, render, save durably,
//! send the session headers). The operations and the two bodies that are not the cart
//! live in [`crate::cart::plus`]; this module maps parameters to them, recalculates the
//! cart afterwards (the Plus routes never drop coupons on their own: only
//! `cart/coupons/validate` does) and renders the v2 cart, with money as currency text when
//! `formatted=true`.

mod formatted;

use std::str::FromStr;

use serde_json::Value;

use super::App;
use super::cart::cart_body;
use super::cart::session::{Api, CartContext};
use crate::auth::Principal;
use crate::cart::error::CartError;
use crate::cart::hook_args::response_filters;
use crate::cart::hooks::Hooks;
use crate::cart::model::Cart;
use crate::cart::plus::views::{MiniCartOptions, render_applied_coupons, render_mini_cart};
use crate::cart::plus::{self, FeeRequest};
use crate::cart::pricing::recalculate_cart;
use crate::error::ApiError;
use crate::http::response::ApiResponse;
use crate::http::wp::ApiRequest;

/// The CoCart Plus cart routes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Route {
    /// `GET /cocart/v2/cart/mini`
    Mini,
    /// `GET /cocart/v2/cart/coupons`
    Coupons,
    /// `DELETE /cocart/v2/cart/coupons`
    RemoveCoupons,
    /// `GET /cocart/v2/cart/coupons/validate`
    ValidateCoupons,
    /// `POST /cocart/v2/cart/apply-coupon`
    ApplyCoupon,
    /// `DELETE /cocart/v2/cart/coupons/{code}`
    RemoveCoupon,
    /// `POST /cocart/v2/cart/add-fee`
    AddFee,
    /// `POST /cocart/v2/cart/remove-fees`
    RemoveFees,
    /// `DELETE /cocart/v2/cart/items`
    RemoveItems,
    /// `POST /cocart/v2/cart/set-shipping-method`
    SetShippingMethod,
}

impl FromStr for Route {
    type Err = ();

    fn from_str(name: &str) -> Result<Self, ()> {
        Ok(match name {
            "mini" => Route::Mini,
            "coupons" => Route::Coupons,
            "remove_coupons" => Route::RemoveCoupons,
            "validate_coupons" => Route::ValidateCoupons,
            "apply_coupon" => Route::ApplyCoupon,
            "remove_coupon" => Route::RemoveCoupon,
            "add_fee" => Route::AddFee,
            "remove_fees" => Route::RemoveFees,
            "remove_items" => Route::RemoveItems,
            "set_shipping_method" => Route::SetShippingMethod,
            _ => return Err(()),
        })
    }
}

/// Answers a Plus cart route.
pub async fn handle(
    app: &App,
    route: Route,
    req: &ApiRequest,
    principal: Option<&Principal>,
) -> Result<ApiResponse, ApiError> {
    let session = app.open_session(req, principal).await?;
    app.with_cart(session, req, Api::V2, move |cart, ctx, hooks| {
        let body = route.apply(cart, ctx, hooks)?;
        response_filters(hooks, route.base(), &ctx.site_url, body)
    })
    .await
}

impl Route {
    /// The route after `cocart/v2/` without its path parameters, as the response wrapper
    /// names it (`cocart_cart/apply_coupon_response`, ...).
    fn base(self) -> &'static str {
        match self {
            Route::Mini => "cart/mini",
            Route::Coupons | Route::RemoveCoupons | Route::RemoveCoupon => "cart/coupons",
            Route::ValidateCoupons => "cart/coupons/validate",
            Route::ApplyCoupon => "cart/apply-coupon",
            Route::AddFee => "cart/add-fee",
            Route::RemoveFees => "cart/remove-fees",
            Route::RemoveItems => "cart/items",
            Route::SetShippingMethod => "cart/set-shipping-method",
        }
    }

    /// Runs the route's operation and renders its answer.
    fn apply(
        self,
        cart: &mut Cart,
        ctx: &CartContext,
        hooks: &dyn Hooks,
    ) -> Result<Value, CartError> {
        let catalog = &ctx.catalog;
        match self {
            Route::Mini => {
                let presentation = recalculate_cart(cart, catalog, ctx.now)?;
                let options = MiniCartOptions {
                    cart_key: &ctx.cart_key,
                    thumb: ctx.flag("thumb"),
                    formatted: ctx.flag("formatted"),
                };
                render_mini_cart(
                    cart,
                    catalog,
                    hooks,
                    &ctx.store(),
                    &presentation,
                    options,
                    ctx.now,
                )
            }
            Route::Coupons => {
                let mut body = render_applied_coupons(cart, catalog, ctx.now)?;
                if ctx.flag("formatted") {
                    formatted::format_applied_coupons(&mut body, catalog.settings());
                }
                Ok(body)
            }
            Route::RemoveCoupons => {
                plus::remove_all_coupons(cart, catalog)?;
                priced_cart(cart, ctx, hooks)
            }
            Route::ValidateCoupons => {
                plus::validate_coupons(cart, catalog, ctx.text("email").as_deref(), ctx.now)?;
                priced_cart(cart, ctx, hooks)
            }
            Route::ApplyCoupon => {
                let code = ctx.text("code").unwrap_or_default();
                plus::apply_coupon(cart, catalog, &code, ctx.text("email").as_deref(), ctx.now)?;
                priced_cart(cart, ctx, hooks)
            }
            Route::RemoveCoupon => {
                plus::remove_coupon(cart, catalog, &ctx.text("code").unwrap_or_default())?;
                priced_cart(cart, ctx, hooks)
            }
            Route::AddFee => {
                let request = FeeRequest {
                    name: ctx.text("name").unwrap_or_default(),
                    amount: ctx.text("amount").unwrap_or_default(),
                    taxable: ctx.flag("taxable"),
                    tax_class: ctx.text("tax_class").unwrap_or_default(),
                };
                plus::add_fee(cart, catalog, &request)?;
                priced_cart(cart, ctx, hooks)
            }
            Route::RemoveFees => {
                plus::remove_all_fees(cart);
                priced_cart(cart, ctx, hooks)
            }
            Route::RemoveItems => {
                plus::remove_all_items(cart, hooks)?;
                priced_cart(cart, ctx, hooks)
            }
            Route::SetShippingMethod => {
                let rate_id = ctx.text("rate_id").unwrap_or_default();
                let package_id = package_id(ctx);
                plus::set_shipping_method(cart, catalog, &rate_id, package_id.as_deref(), ctx.now)?;
                priced_cart(cart, ctx, hooks)
            }
        }
    }
}

/// `package_id` as text: validation leaves an integer or a string (blank = all packages).
fn package_id(ctx: &CartContext) -> Option<String> {
    match ctx.params.get("package_id") {
        Some(Value::Number(number)) => Some(number.to_string()),
        Some(Value::String(text)) => Some(text.clone()),
        _ => None,
    }
}

/// Recalculates the cart and renders the v2 cart body, money as currency text when
/// `formatted=true` (the raw lines of `default=true` are left as stored).
fn priced_cart(cart: &mut Cart, ctx: &CartContext, hooks: &dyn Hooks) -> Result<Value, CartError> {
    let presentation = recalculate_cart(cart, &ctx.catalog, ctx.now)?;
    let mut body = cart_body(cart, ctx, hooks, &presentation)?;
    if ctx.flag("formatted") && !ctx.flag("default") {
        formatted::format_cart(&mut body, ctx.catalog.settings());
    }
    Ok(body)
}
