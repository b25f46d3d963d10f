//! Small helpers for firing CoCart hooks from the cart domain.
//!
//! Every hook is skipped when nothing listens (`Hooks::has`), so arguments are built
//! lazily. A callback failure reaches the domain only under the runtime's `fail_closed`
//! policy, and then only validation hooks ([`validation_filter`]) fail the request (500);
//! any other hook logs the failure and carries on with the value it was given, so a
//! broken presentation script never takes a cart down. Products and carts are handed to
//! scripts as read-only snapshot tables (hooks-and-filters.md §1.3).

use serde_json::{Value, json};

use crate::cart::catalog_view::CartProduct;
use crate::cart::error::CartError;
use crate::cart::hooks::{HookError, Hooks};
use crate::cart::model::{Cart, CartLine};
use crate::cart::money::decimal_number;

/// Applies the filter `name` to `value` when something listens; `args` is only built then.
/// A failing callback leaves `value` as it was (logged).
pub fn filter(
    hooks: &dyn Hooks,
    name: &str,
    value: Value,
    args: impl FnOnce() -> Vec<Value>,
) -> Result<Value, CartError> {
    if !hooks.has(name) {
        return Ok(value);
    }
    match hooks.apply_filters(name, value.clone(), &args()) {
        Ok(filtered) => Ok(filtered),
        Err(error) => {
            log_skipped(&error);
            Ok(value)
        }
    }
}

/// Applies a validation filter (one that accepts or refuses a cart change): as [`filter`],
/// but a failing callback fails the request with a 500, so a broken rule never lets a
/// change through.
pub fn validation_filter(
    hooks: &dyn Hooks,
    name: &str,
    value: Value,
    args: impl FnOnce() -> Vec<Value>,
) -> Result<Value, CartError> {
    if !hooks.has(name) {
        return Ok(value);
    }
    Ok(hooks.apply_filters(name, value, &args())?)
}

/// Runs the action `name` when something listens; `args` is only built then. A failing
/// callback is logged and the request carries on.
pub fn action(
    hooks: &dyn Hooks,
    name: &str,
    args: impl FnOnce() -> Vec<Value>,
) -> Result<(), CartError> {
    if hooks.has(name)
        && let Err(error) = hooks.do_action(name, &args())
    {
        log_skipped(&error);
    }
    Ok(())
}

/// Logs a hook failure the request carries on without.
pub(crate) fn log_skipped(error: &HookError) {
    tracing::warn!(hook = %error.hook, message = %error.message, "hook failed; carrying on without it");
}

/// The lines as CoCart's `cart_contents`: an object from item key to `CartItem`.
pub fn contents_value(lines: &[CartLine]) -> Value {
    Value::Object(
        lines
            .iter()
            .map(|line| (line.key.clone(), line.session_value()))
            .collect(),
    )
}

/// The `Cart` table hooks receive as an argument: `{ contents, removed_contents,
/// applied_coupons }`.
pub fn cart_value(cart: &Cart) -> Value {
    json!({
        "contents": contents_value(&cart.lines),
        "removed_contents": contents_value(&cart.removed_lines),
        "applied_coupons": cart.applied_coupons,
    })
}

/// CoCart's v2 response wrapper (hooks-and-filters.md P7): when
/// `cocart_return_default_response` returns false, `cocart_{endpoint}_response` replaces the
/// body (`endpoint` is `route_base`, the route after `cocart/v2/`, with `-` as `_`). An
/// empty result (PHP's `empty()`) answers 400 `cocart_response_returned_empty`. `site_url`
/// is the public site root.
pub fn response_filters(
    hooks: &dyn Hooks,
    route_base: &str,
    site_url: &str,
    body: Value,
) -> Result<Value, CartError> {
    let endpoint = route_base.replace('-', "_");
    match endpoint_filter(hooks, &endpoint, body)? {
        Filtered::Default(body) => Ok(body),
        Filtered::Replaced(body) if php_empty(&body) => {
            Err(CartError::response_returned_empty(site_url, &endpoint))
        }
        Filtered::Replaced(body) => Ok(body),
    }
}

/// CoCart's v1 response wrapper (`cocart_{rest_base}_response`): a body that is empty on
/// any route but `cart` becomes the "Request returned nothing" text first; then, when
/// `cocart_return_default_response` returns false, the endpoint filter's result is the
/// body, whatever it is (v1 always answers 200).
pub fn v1_response_filters(
    hooks: &dyn Hooks,
    rest_base: &str,
    site_url: &str,
    body: Value,
) -> Result<Value, CartError> {
    let rest_base = rest_base.replace('-', "_");
    let body = if rest_base != "cart" && php_empty(&body) {
        Value::from(format!(
            "Request returned nothing for \"{}/wp-json/cocart/v1/{rest_base}/\"! Please seek assistance.",
            site_url.trim_end_matches('/')
        ))
    } else {
        body
    };
    match endpoint_filter(hooks, &rest_base, body)? {
        Filtered::Default(body) | Filtered::Replaced(body) => Ok(body),
    }
}

/// What the wrapper's filters made of a body.
enum Filtered {
    /// `cocart_return_default_response` kept the default: the body as it was.
    Default(Value),
    /// The endpoint filter's result.
    Replaced(Value),
}

/// `cocart_return_default_response(true)`, then `cocart_{endpoint}_response(body)` when
/// that returned false.
fn endpoint_filter(hooks: &dyn Hooks, endpoint: &str, body: Value) -> Result<Filtered, CartError> {
    let default = filter(
        hooks,
        "cocart_return_default_response",
        Value::Bool(true),
        Vec::new,
    )?;
    if truthy(&default) {
        return Ok(Filtered::Default(body));
    }
    let name = format!("cocart_{endpoint}_response");
    Ok(Filtered::Replaced(filter(hooks, &name, body, Vec::new)?))
}

/// PHP's `empty()` on a decoded JSON value: falsy, or an empty array or object (both are
/// PHP arrays).
pub fn php_empty(value: &Value) -> bool {
    !truthy(value) || value.as_object().is_some_and(serde_json::Map::is_empty)
}

/// PHP truthiness of a filter result (`false`, `0`, `""`, `"0"`, `null`, `[]` are false).
pub fn truthy(value: &Value) -> bool {
    match value {
        Value::Null => false,
        Value::Bool(flag) => *flag,
        Value::Number(number) => number.as_f64().is_some_and(|n| n != 0.0),
        Value::String(text) => !text.is_empty() && text != "0",
        Value::Array(items) => !items.is_empty(),
        Value::Object(_) => true,
    }
}

/// The `Product` table scripts receive: identity, prices and the precomputed predicates.
pub fn product_value(product: &CartProduct) -> Value {
    json!({
        "id": product.id,
        "parent_id": product.parent_id,
        "type": product.product_type.as_str(),
        "name": product.name,
        "title": product.title,
        "slug": product.slug,
        "sku": product.sku,
        "price": product.price,
        "regular_price": product.regular_price,
        "sale_price": product.sale_price,
        "is_on_sale": product.on_sale,
        "is_purchasable": product.purchasable,
        "is_in_stock": product.in_stock,
        "managing_stock": product.managing_stock,
        "stock_quantity": product.stock_quantity.map(decimal_number),
        "backorders_allowed": product.backorders_allowed,
        "is_sold_individually": product.sold_individually,
        "needs_shipping": product.needs_shipping,
        "weight": product.weight,
    })
}
