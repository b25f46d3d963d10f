//! The legacy CoCart v1 cart routes (`/cocart/v1/...`): the core routes of CoCart 4.4 and
//! the CoCart Pro v1 routes (routes.md "cocart/v1 core" and "cocart/v1 Pro").
//!
//! v1 works on the same stored cart as v2 (same session, same key resolution): every route
//! but the two stored-cart readers runs through the one cart pipeline
//! ([`App::with_cart`] with [`Api::V1`], so no CoCart headers) and the shared domain
//! operations; only the parameters (`product_id`, `cart_item_key`, `return_cart`...), the
//! refusal wording and the bodies (raw WooCommerce lines, plain-string messages) are v1's.

pub mod payments;

use std::str::FromStr;

use rust_decimal::Decimal;
use serde_json::{Value, json};

use super::App;
use super::cart::session::{Api, CartContext};
use super::cart::{cart_error, store_display};
use crate::auth::Principal;
use crate::cart::catalog_view::CartProduct;
use crate::cart::error::CartError;
use crate::cart::hook_args::{php_empty, v1_response_filters};
use crate::cart::hooks::{Hooks, NoHooks};
use crate::cart::model::Cart;
use crate::cart::ops::{self, AddItemRequest, QuantityUpdate};
use crate::cart::plus::{self, FeeRequest};
use crate::cart::pricing::{price_cart, recalculate_cart};
use crate::cart::render::render_stored_totals;
use crate::cart::render_v1::{render_v1_contents, v1_line};
use crate::cart::v1::{self as view, V1Operation, v1_error};
use crate::error::ApiError;
use crate::http::response::ApiResponse;
use crate::http::wp::ApiRequest;
use payments::PaymentsConfig;

/// The v1 routes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Route {
    /// `GET get-cart`
    GetCart,
    /// `GET get-cart/{id}`: any stored cart by its key.
    GetCartByKey,
    /// `GET get-cart/customer/{id}`: a customer's cart (administrators).
    GetCartCustomer,
    /// `POST add-item`
    AddItem,
    /// `GET item`: restore a removed item.
    ItemRestore,
    /// `POST item`: change an item's quantity.
    ItemUpdate,
    /// `DELETE item`
    ItemRemove,
    /// `GET count-items`
    CountItems,
    /// `POST clear`
    Clear,
    /// `POST calculate`
    Calculate,
    /// `GET totals`
    Totals,
    /// Pro `GET coupon`
    Coupons,
    /// Pro `POST coupon`
    ApplyCoupon,
    /// Pro `DELETE coupon`
    RemoveCoupon,
    /// Pro `GET check-coupons`
    CheckCoupons,
    /// Pro `GET cross-sells`
    CrossSells,
    /// Pro `GET customer`
    Customer,
    /// Pro `GET fees`
    Fees,
    /// Pro `POST fees`
    AddFee,
    /// Pro `DELETE fees`
    RemoveFees,
    /// Pro `POST calculate/fees`
    CalculateFees,
    /// Pro `POST calculate/shipping`
    CalculateShipping,
    /// Pro `GET payment-methods`
    PaymentMethods,
    /// Pro `POST payment-methods`
    ChoosePaymentMethod,
    /// Pro `GET quantities`
    Quantities,
    /// Pro `GET removed-items`
    RemovedItems,
    /// Pro `GET shipping-methods`
    ShippingMethods,
    /// Pro `POST shipping-methods`
    ChooseShippingMethod,
    /// Pro `GET totals/...`: one total.
    Total(TotalField),
    /// Pro `GET weight`
    Weight,
}

/// The single totals of Pro's `GET totals/...` routes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TotalField {
    /// `totals/discount`
    Discount,
    /// `totals/discount/coupon-totals`
    CouponTotals,
    /// `totals/discount/coupon-tax`
    CouponTax,
    /// `totals/fee`
    Fee,
    /// `totals/fee/tax`
    FeeTax,
    /// `totals/shipping`
    Shipping,
    /// `totals/shipping/tax`
    ShippingTax,
    /// `totals/subtotal`
    Subtotal,
    /// `totals/subtotal/tax`
    SubtotalTax,
    /// `totals/tax`
    Tax,
    /// `totals/total`
    Total,
}

impl FromStr for TotalField {
    type Err = ();

    fn from_str(name: &str) -> Result<Self, ()> {
        Ok(match name {
            "discount" => TotalField::Discount,
            "coupon_totals" => TotalField::CouponTotals,
            "coupon_tax" => TotalField::CouponTax,
            "fee" => TotalField::Fee,
            "fee_tax" => TotalField::FeeTax,
            "shipping" => TotalField::Shipping,
            "shipping_tax" => TotalField::ShippingTax,
            "subtotal" => TotalField::Subtotal,
            "subtotal_tax" => TotalField::SubtotalTax,
            "tax" => TotalField::Tax,
            "total" => TotalField::Total,
            _ => return Err(()),
        })
    }
}

impl FromStr for Route {
    type Err = ();

    fn from_str(name: &str) -> Result<Self, ()> {
        if let Some(field) = name.strip_prefix("totals.") {
            return TotalField::from_str(field).map(Route::Total);
        }
        Ok(match name {
            "get_cart" => Route::GetCart,
            "get_cart_by_key" => Route::GetCartByKey,
            "get_cart_customer" => Route::GetCartCustomer,
            "add_item" => Route::AddItem,
            "item_restore" => Route::ItemRestore,
            "item_update" => Route::ItemUpdate,
            "item_remove" => Route::ItemRemove,
            "count_items" => Route::CountItems,
            "clear" => Route::Clear,
            "calculate" => Route::Calculate,
            "totals" => Route::Totals,
            "coupons" => Route::Coupons,
            "apply_coupon" => Route::ApplyCoupon,
            "remove_coupon" => Route::RemoveCoupon,
            "check_coupons" => Route::CheckCoupons,
            "cross_sells" => Route::CrossSells,
            "customer" => Route::Customer,
            "fees" => Route::Fees,
            "add_fee" => Route::AddFee,
            "remove_fees" => Route::RemoveFees,
            "calculate_fees" => Route::CalculateFees,
            "calculate_shipping" => Route::CalculateShipping,
            "payment_methods" => Route::PaymentMethods,
            "choose_payment_method" => Route::ChoosePaymentMethod,
            "quantities" => Route::Quantities,
            "removed_items" => Route::RemovedItems,
            "shipping_methods" => Route::ShippingMethods,
            "choose_shipping_method" => Route::ChooseShippingMethod,
            "weight" => Route::Weight,
            _ => return Err(()),
        })
    }
}

/// Answers a v1 route.
pub async fn handle(
    app: &App,
    route: Route,
    req: &ApiRequest,
    principal: Option<&Principal>,
) -> Result<ApiResponse, ApiError> {
    if route == Route::GetCartByKey {
        let key = req.params.str("id").unwrap_or_default();
        return stored_cart(app, req, key)?.ok_or_else(|| {
            ApiError::new(
                404,
                "cocart_cart_in_session_not_valid",
                "Cart in session is not valid!",
            )
        });
    }
    if route == Route::GetCartCustomer {
        let key = req.params.str("id").unwrap_or_default();
        // With no saved cart CoCart falls back to the caller's own cart (a quirk kept).
        if let Some(response) = stored_cart(app, req, key)? {
            return Ok(response);
        }
    }
    let session = app.open_session(req, principal).await?;
    let step = Step {
        route,
        user_id: principal.map_or(0, Principal::user_id),
        // Until `Config` carries the `[payments]` section the shop offers no gateway.
        payments: app.config.payments.clone(),
    };
    app.with_cart(session, req, Api::V1, move |cart, ctx, hooks| {
        let body = step.apply(cart, ctx, hooks)?;
        match step.wrapper_base(ctx) {
            Some(rest_base) => v1_response_filters(hooks, rest_base, &ctx.site_url, body),
            None => Ok(body),
        }
    })
    .await
}

/// `get-cart/{id}` and `get-cart/customer/{id}`: the contents of the cart stored under
/// `key` without changing it (`[]` when it is empty), `None` when no cart is stored.
fn stored_cart(app: &App, req: &ApiRequest, key: &str) -> Result<Option<ApiResponse>, ApiError> {
    let Some(row) = app.store.session::<Cart>(key)? else {
        return Ok(None);
    };
    let mut cart = row.cart;
    let catalog = app.catalog.snapshot();
    let site_url = req.site_url();
    let now = crate::catalog::model::UnixTime::from_unix_seconds(app.clock.now());
    let contents = render_v1_contents(
        &mut cart,
        &catalog,
        &NoHooks,
        &store_display(&catalog, site_url),
        req.params.flag("thumb"),
        now,
    )
    .map_err(cart_error)?;
    let contents = if php_empty(&contents) {
        json!([])
    } else {
        contents
    };
    Ok(Some(ApiResponse::ok(contents)))
}

/// One v1 route's work on the session cart.
struct Step {
    route: Route,
    user_id: u64,
    payments: PaymentsConfig,
}

/// The product a request names (for refusal wording), when it exists.
fn named_product(ctx: &CartContext, id: &str) -> Option<CartProduct> {
    let id = ctx.catalog.resolve_identifier(id).ok()?;
    CartProduct::load(&ctx.catalog, id, ctx.now)
}

/// Runs a shared item operation without the success notice v2 queues for it: v1 changes
/// the cart through WooCommerce's cart methods, which queue none, so a v2 request on the
/// same cart later shows no notice for it.
fn quietly<T>(
    cart: &mut Cart,
    operation: impl FnOnce(&mut Cart) -> Result<T, CartError>,
) -> Result<T, CartError> {
    let queued = cart.notices.success.len();
    let outcome = operation(cart);
    cart.notices.success.truncate(queued);
    outcome
}

/// A quantity parameter already validated as numeric.
fn quantity_of(ctx: &CartContext) -> Decimal {
    ctx.text("quantity")
        .and_then(|quantity| Decimal::from_str(quantity.trim()).ok())
        .unwrap_or(Decimal::ONE)
}

impl Step {
    /// The rest base of CoCart's v1 response wrapper for the answers that go through it
    /// (`cocart_{rest_base}_response`); the rest, and the cart an item route returns with
    /// `return_cart=true`, are sent as they are.
    fn wrapper_base(&self, ctx: &CartContext) -> Option<&'static str> {
        match self.route {
            Route::GetCart => Some("get-cart"),
            Route::AddItem => Some("add-item"),
            Route::Clear => Some("clear"),
            Route::Calculate if !ctx.flag("return") => Some("calculate"),
            Route::ItemRestore | Route::ItemUpdate | Route::ItemRemove
                if !ctx.flag("return_cart") =>
            {
                Some("item")
            }
            _ => None,
        }
    }

    fn apply(
        &self,
        cart: &mut Cart,
        ctx: &CartContext,
        hooks: &dyn Hooks,
    ) -> Result<Value, CartError> {
        let catalog = &ctx.catalog;
        let settings = catalog.settings();
        match self.route {
            Route::GetCart | Route::GetCartByKey | Route::GetCartCustomer => {
                price_cart(cart, catalog, ctx.now)?;
                self.contents(cart, ctx, hooks)
            }
            Route::AddItem => self.add_item(cart, ctx, hooks),
            Route::ItemRestore => {
                let key = ctx.text("cart_item_key").unwrap_or_default();
                quietly(cart, |cart| {
                    ops::restore_item(cart, catalog, hooks, &key, ctx.now)
                })
                .map_err(|e| v1_error(e, V1Operation::Restore, None, Decimal::ONE))?;
                self.done(cart, ctx, hooks, "Item has been restored to the cart.")
            }
            Route::ItemUpdate => self.update_item(cart, ctx, hooks),
            Route::ItemRemove => {
                if cart.lines.is_empty() {
                    return Err(CartError::new("cocart_no_items", 404, "No items in cart."));
                }
                let key = ctx.text("cart_item_key").unwrap_or_default();
                quietly(cart, |cart| {
                    ops::remove_item(cart, catalog, hooks, &key, ctx.now)
                })
                .map_err(|e| v1_error(e, V1Operation::Remove, None, Decimal::ONE))?;
                self.done(cart, ctx, hooks, "Item has been removed from cart.")
            }
            Route::CountItems => Ok(view::count_items(
                cart,
                ctx.text("return").as_deref() == Some("numeric"),
            )),
            Route::Clear => {
                ops::clear_cart(cart, hooks, false)?;
                Ok(Value::from("Cart is cleared."))
            }
            Route::Calculate => {
                recalculate_cart(cart, catalog, ctx.now)?;
                if ctx.flag("return") {
                    return totals_with_fees(cart, settings, false);
                }
                Ok(Value::from("Cart totals have been calculated."))
            }
            Route::Totals => totals_with_fees(cart, settings, ctx.flag("html")),
            Route::Coupons => {
                plus::require_coupons_enabled(catalog)?;
                Ok(json!(cart.applied_coupons))
            }
            Route::ApplyCoupon => {
                let code = ctx.text("coupon").unwrap_or_default();
                plus::apply_coupon(cart, catalog, &code, None, ctx.now).map_err(
                    |error| match error.code.as_str() {
                        "cocart_coupons_not_enabled" | "cocart_coupon_code_required" => error,
                        _ => CartError::new(
                            "cocart_coupon_failed_to_apply",
                            400,
                            "Coupon failed to apply to cart.",
                        ),
                    },
                )?;
                price_cart(cart, catalog, ctx.now)?;
                Ok(coupon_answer(
                    "Coupon was successfully added to cart.",
                    &code,
                ))
            }
            Route::RemoveCoupon => {
                let code = ctx.text("coupon").unwrap_or_default();
                plus::remove_coupon(cart, catalog, &code).map_err(|error| {
                    if error.code == "cocart_coupon_required" {
                        CartError::new("cocart_coupon_code_required", 404, error.message)
                    } else {
                        error
                    }
                })?;
                recalculate_cart(cart, catalog, ctx.now)?;
                Ok(coupon_answer(
                    "Coupon was successfully removed from cart.",
                    &code,
                ))
            }
            Route::CheckCoupons => check_coupons(cart, ctx),
            Route::CrossSells => Ok(view::cross_sells_value(
                cart,
                catalog,
                &ctx.store(),
                ctx.flag("thumb"),
                ctx.now,
            )),
            Route::Customer => Ok(view::customer_value(cart, self.user_id)),
            Route::Fees => Ok(view::fees_value(cart)),
            Route::AddFee => add_fee(cart, ctx),
            Route::RemoveFees => {
                plus::remove_all_fees(cart);
                recalculate_cart(cart, catalog, ctx.now)?;
                Ok(Value::from("All cart fees have been removed."))
            }
            Route::CalculateFees => {
                recalculate_cart(cart, catalog, ctx.now)?;
                if ctx.flag("return") {
                    return Ok(view::fees_value(cart));
                }
                Ok(Value::from("Cart fees have been calculated."))
            }
            Route::CalculateShipping => calculate_shipping(cart, ctx),
            Route::PaymentMethods => self.payments.methods_value(&cart.chosen_payment_method),
            Route::ChoosePaymentMethod => {
                let gateway = ctx.text("gateway_id").unwrap_or_default();
                cart.chosen_payment_method = self.payments.choose(&gateway)?;
                Ok(Value::Bool(true))
            }
            Route::Quantities => Ok(view::quantities_value(cart)),
            Route::RemovedItems => Ok(view::removed_items_value(cart)),
            Route::ShippingMethods => {
                if ctx
                    .text("recurring_cart_key")
                    .is_some_and(|key| !key.trim().is_empty())
                {
                    return Err(CartError::new(
                        "cocart_no_recurring_cart_key",
                        404,
                        "The recurring cart key does not exists.",
                    ));
                }
                shipping_methods(cart, ctx)
            }
            Route::ChooseShippingMethod => choose_shipping_method(cart, ctx),
            Route::Total(field) => total(cart, ctx, field),
            Route::Weight => Ok(view::weight_text(cart, catalog, ctx.now)),
        }
    }

    /// The v1 cart contents, or v1's "Request returned nothing" text for an empty cart.
    /// Lines found no longer purchasable are dropped and the totals recalculated.
    fn contents(
        &self,
        cart: &mut Cart,
        ctx: &CartContext,
        hooks: &dyn Hooks,
    ) -> Result<Value, CartError> {
        let lines = cart.lines.len();
        let contents = render_v1_contents(
            cart,
            &ctx.catalog,
            hooks,
            &ctx.store(),
            ctx.flag("thumb"),
            ctx.now,
        )?;
        if cart.lines.len() != lines {
            recalculate_cart(cart, &ctx.catalog, ctx.now)?;
        }
        Ok(contents)
    }

    /// After an item route: recalculates, then answers the cart (`return_cart=true`) or
    /// `message`.
    fn done(
        &self,
        cart: &mut Cart,
        ctx: &CartContext,
        hooks: &dyn Hooks,
        message: &str,
    ) -> Result<Value, CartError> {
        recalculate_cart(cart, &ctx.catalog, ctx.now)?;
        if ctx.flag("return_cart") {
            return self.contents(cart, ctx, hooks);
        }
        Ok(Value::from(message))
    }

    /// `POST add-item`: `variation_id` (when given) or `product_id` through the shared add
    /// operation; the body is the added line, or the cart with `return_cart=true`.
    fn add_item(
        &self,
        cart: &mut Cart,
        ctx: &CartContext,
        hooks: &dyn Hooks,
    ) -> Result<Value, CartError> {
        let variation_id = ctx
            .params
            .get("variation_id")
            .and_then(Value::as_u64)
            .unwrap_or(0);
        let id = match variation_id {
            0 => ctx.text("product_id").unwrap_or_default(),
            variation => variation.to_string(),
        };
        let request = AddItemRequest {
            id: id.clone(),
            quantity: ctx.text("quantity").unwrap_or_else(|| "1".into()),
            variation: ctx.object("variation"),
            item_data: ctx.object("cart_item_data"),
            hook_request: Value::Object(ctx.params.clone()),
            ..AddItemRequest::default()
        };
        let added = quietly(cart, |cart| {
            ops::add_item(cart, &ctx.catalog, hooks, &request, ctx.now)
        })
        .map_err(|e| {
            let product = named_product(ctx, &id);
            v1_error(e, V1Operation::Add, product.as_ref(), quantity_of(ctx))
        })?;
        price_cart(cart, &ctx.catalog, ctx.now)?;
        if ctx.flag("return_cart") {
            return self.contents(cart, ctx, hooks);
        }
        let line = cart.line(&added.key).cloned().ok_or_else(|| {
            CartError::new(
                "cocart_cannot_add_to_cart",
                403,
                "This item can not be added to the cart.",
            )
        })?;
        let product = CartProduct::load(&ctx.catalog, line.product_record_id(), ctx.now)
            .ok_or_else(|| {
                CartError::new(
                    "cocart_product_does_not_exist",
                    404,
                    "This product does not exist!",
                )
            })?;
        v1_line(hooks, &ctx.store(), &line, &product, false)
    }

    /// `POST item`: sets the quantity and answers `{message, quantity}` (the new quantity,
    /// as seed 003 documents; live 4.4 answers 404 here). Quantity 0 removes the line and
    /// reports the decrease to "0".
    fn update_item(
        &self,
        cart: &mut Cart,
        ctx: &CartContext,
        hooks: &dyn Hooks,
    ) -> Result<Value, CartError> {
        let key = ctx.text("cart_item_key").unwrap_or_default();
        let quantity = quantity_of(ctx);
        let product = cart
            .line(&key)
            .and_then(|line| CartProduct::load(&ctx.catalog, line.product_record_id(), ctx.now));
        let reword = |e| v1_error(e, V1Operation::Update, product.as_ref(), quantity);
        let update = if quantity.is_zero() && cart.line(&key).is_some() {
            let previous = cart.line(&key).map_or(Decimal::ZERO, |line| line.quantity);
            quietly(cart, |cart| {
                ops::remove_item(cart, &ctx.catalog, hooks, &key, ctx.now)
            })
            .map_err(reword)?;
            QuantityUpdate {
                name: product.as_ref().map(|p| p.name.clone()).unwrap_or_default(),
                previous,
                quantity,
            }
        } else {
            let text = ctx.text("quantity").unwrap_or_default();
            ops::update_item_quantity(cart, &ctx.catalog, hooks, &key, &text, ctx.now)
                .map_err(reword)?
        };
        recalculate_cart(cart, &ctx.catalog, ctx.now)?;
        if ctx.flag("return_cart") {
            return self.contents(cart, ctx, hooks);
        }
        Ok(update.status_value())
    }
}

/// `GET totals`: WooCommerce's stored totals; with fees on the cart, CoCart Pro's `fees`
/// object is appended (a cart without fees answers exactly as core v1 does).
fn totals_with_fees(
    cart: &Cart,
    settings: &crate::catalog::model::StoreSettings,
    html: bool,
) -> Result<Value, CartError> {
    let mut totals = render_stored_totals(cart, settings, html)?;
    if let Value::Object(fields) = &mut totals
        && !cart.fees.is_empty()
    {
        fields.insert("fees".into(), view::fees_value(cart));
    }
    Ok(totals)
}

/// The body of Pro's coupon routes.
fn coupon_answer(message: &str, code: &str) -> Value {
    json!({"message": message, "coupon": code.trim(), "response": true})
}

/// Pro `GET check-coupons`: re-validates the applied coupons; invalid ones are removed and
/// named in a 500 `cocart_coupons_expired`.
fn check_coupons(cart: &mut Cart, ctx: &CartContext) -> Result<Value, CartError> {
    plus::require_coupons_enabled(&ctx.catalog)?;
    if cart.applied_coupons.is_empty() {
        return Err(CartError::new(
            "cocart_no_coupons_applied",
            404,
            "No coupons have been applied!",
        ));
    }
    let before = cart.applied_coupons.clone();
    plus::validate_coupons(cart, &ctx.catalog, None, ctx.now)?;
    recalculate_cart(cart, &ctx.catalog, ctx.now)?;
    let removed: Vec<String> = before
        .into_iter()
        .filter(|code| !cart.applied_coupons.contains(code))
        .collect();
    if !removed.is_empty() {
        return Err(CartError::new(
            "cocart_coupons_expired",
            500,
            format!(
                "The following coupons have expired or no longer valid: {}",
                removed.join(", ")
            ),
        ));
    }
    Ok(json!({"message": "Coupons applied are still valid!", "response": true}))
}

/// Pro `POST fees`: the v1 refusals, then the shared fee operation.
fn add_fee(cart: &mut Cart, ctx: &CartContext) -> Result<Value, CartError> {
    let request = FeeRequest {
        name: ctx.text("name").unwrap_or_default(),
        amount: ctx.text("amount").unwrap_or_default(),
        taxable: ctx.flag("taxable"),
        tax_class: ctx.text("tax_class").unwrap_or_default(),
    };
    let id = crate::catalog::slug::sanitize_title(request.name.trim());
    if !request.amount.trim().is_empty() && !cart.is_empty() && cart.fees.iter().any(|f| f.id == id)
    {
        return Err(CartError::new(
            "cocart_fee_already_exists",
            403,
            "Fee has already been added.",
        ));
    }
    plus::add_fee(cart, &ctx.catalog, &request).map_err(|error| match error.code.as_str() {
        "cocart_fee_missing_name" => {
            CartError::new(&error.code, 404, "The name of the fee is missing!")
        }
        "cocart_fee_missing_amount" => {
            CartError::new(&error.code, 404, "The amount for the fee is missing!")
        }
        "cocart_fee_cannot_add" => CartError::new(
            "cocart_cannot_add_fee",
            404,
            "There is nothing in the cart so no fee can be added.",
        ),
        _ => error,
    })?;
    let amount = cart.fees.last().map_or(Decimal::ZERO, |fee| fee.amount);
    recalculate_cart(cart, &ctx.catalog, ctx.now)?;
    Ok(Value::from(view::fee_added(
        &request.name,
        amount,
        ctx.catalog.settings(),
    )))
}

/// Pro `POST calculate/shipping`: sets the shopper's location (billing and shipping, as
/// WooCommerce's shipping calculator does) and recalculates.
fn calculate_shipping(cart: &mut Cart, ctx: &CartContext) -> Result<Value, CartError> {
    let country = ctx
        .text("country")
        .unwrap_or_default()
        .trim()
        .to_uppercase();
    let postcode = ctx
        .text("postcode")
        .unwrap_or_default()
        .trim()
        .to_uppercase();
    if !postcode.is_empty() && !ops::is_valid_postcode(&postcode, &country) {
        return Err(CartError::new(
            "cocart_invalid_postcode",
            404,
            "Please enter a valid postcode / ZIP.",
        ));
    }
    let state = ctx.text("state").unwrap_or_default().trim().to_owned();
    let city = ctx.text("city").unwrap_or_default().trim().to_owned();
    let customer = &mut cart.customer;
    for address in [&mut customer.billing, &mut customer.shipping] {
        address.country.clone_from(&country);
        address.state.clone_from(&state);
        address.city.clone_from(&city);
        address.postcode.clone_from(&postcode);
    }
    customer.calculated_shipping = true;
    recalculate_cart(cart, &ctx.catalog, ctx.now)?;
    if ctx.flag("return_methods") {
        return shipping_methods(cart, ctx);
    }
    Ok(Value::from("Shipping costs updated."))
}

/// `404 cocart_shipping_not_enabled`.
fn shipping_not_enabled() -> CartError {
    CartError::new(
        "cocart_shipping_not_enabled",
        404,
        "Shipping has not been enabled for this store!",
    )
}

/// Pro `GET shipping-methods`: the rates offered to the cart keyed by rate id.
fn shipping_methods(cart: &Cart, ctx: &CartContext) -> Result<Value, CartError> {
    if !ctx.store().shipping_enabled {
        return Err(shipping_not_enabled());
    }
    let totals = view::calculate_totals(cart, &ctx.catalog, ctx.now)?;
    if !totals.needs_shipping {
        return Err(CartError::new(
            "cocart_shipping_not_needed",
            404,
            "Cart does not contain an item that requires shipping.",
        ));
    }
    view::shipping_methods_value(&totals, ctx.catalog.settings()).ok_or_else(|| {
        CartError::new(
            "cocart_no_shipping_methods",
            404,
            "There are no shipping methods available!",
        )
    })
}

/// Pro `POST shipping-methods`: `key` (`flat_rate:1`), or `method_id` + `instance_id`.
fn choose_shipping_method(cart: &mut Cart, ctx: &CartContext) -> Result<Value, CartError> {
    let given = |name: &str| ctx.text(name).filter(|value| !value.trim().is_empty());
    let rate_id = match (given("key"), given("method_id"), given("instance_id")) {
        (Some(key), _, _) => key,
        (None, Some(method), Some(instance)) => format!("{}:{}", method.trim(), instance.trim()),
        _ => {
            return Err(CartError::new(
                "cocart_set_shipping_method_failed",
                400,
                "Both the method ID and instance ID are required to set a shipping method.",
            ));
        }
    };
    plus::set_shipping_method(cart, &ctx.catalog, &rate_id, None, ctx.now).map_err(|error| {
        match error.code.as_str() {
            "cocart_shipping_disabled" => shipping_not_enabled(),
            "cocart_missing_rate_id" => CartError::new(
                "cocart_shipping_method_incorrect",
                404,
                "The shipping method is either incorrect or does not exist.",
            ),
            _ => error,
        }
    })?;
    recalculate_cart(cart, &ctx.catalog, ctx.now)?;
    Ok(Value::Bool(true))
}

/// Pro `GET totals/...`: one total of the last calculation as a decimal string
/// (`calculate=true` on the shipping ones recalculates first).
fn total(cart: &mut Cart, ctx: &CartContext, field: TotalField) -> Result<Value, CartError> {
    let settings = ctx.catalog.settings();
    if ctx.flag("calculate") {
        recalculate_cart(cart, &ctx.catalog, ctx.now)?;
    }
    let totals = &cart.totals;
    let amount = match field {
        TotalField::CouponTotals | TotalField::CouponTax => {
            let engine = view::calculate_totals(cart, &ctx.catalog, ctx.now)?;
            let tax = field == TotalField::CouponTax;
            return Ok(view::coupon_amounts(&engine, settings, tax));
        }
        TotalField::Discount => totals.discount_total,
        TotalField::Fee => totals.fee_total,
        TotalField::FeeTax => totals.fee_tax,
        TotalField::Shipping => totals.shipping_total,
        TotalField::ShippingTax => totals.shipping_tax,
        TotalField::Subtotal => totals.subtotal,
        TotalField::SubtotalTax => totals.subtotal_tax,
        TotalField::Tax => totals.total_tax,
        TotalField::Total => totals.total,
    };
    Ok(view::amount_text(amount, settings))
}
