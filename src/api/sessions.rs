//! The sessions admin API (`/cocart/v2/sessions`, `/cocart/v2/session/{key}`): stored
//! carts for administrators and shop managers (the routes declare
//! `manage_woocommerce`).

use serde_json::{Map, Value, json};

use super::App;
use super::cart::store_display;
use super::cart_key::with_version_headers;
use crate::cart::hook_args::response_filters;
use crate::cart::model::Cart;
use crate::cart::pricing::recalculate_cart;
use crate::cart::render;
use crate::catalog::model::UnixTime;
use crate::error::ApiError;
use crate::http::response::ApiResponse;
use crate::http::wp::ApiRequest;
use crate::store::sessions::SessionRow;

/// `GET /cocart/v2/sessions`: every stored cart, optionally paged (`page`, `per_page`,
/// with `X-WP-Total` and `X-WP-TotalPages`). Each entry carries the fields of both shapes
/// CoCart has documented. The list goes through the response wrapper
/// (`cocart_sessions_response`).
pub async fn list(app: &App, req: &ApiRequest) -> Result<ApiResponse, ApiError> {
    let rows: Vec<SessionRow<Cart>> = app.store.sessions()?;
    if rows.is_empty() {
        return Err(ApiError::new(
            404,
            "cocart_no_carts_in_session",
            "No carts in session!",
        ));
    }
    let total = rows.len();
    let per_page = req
        .params
        .get("per_page")
        .and_then(Value::as_u64)
        .map_or(total, |n| n as usize)
        .max(1);
    let page = req
        .params
        .get("page")
        .and_then(Value::as_u64)
        .unwrap_or(1)
        .max(1) as usize;
    let entries: Vec<Value> = rows
        .iter()
        .skip((page - 1).saturating_mul(per_page))
        .take(per_page)
        .map(|row| entry(row, &req.rest_base))
        .collect();
    let body = app
        .wrapped_response("sessions", req, Value::Array(entries))
        .await?;
    let response = ApiResponse::ok(body)
        .header("x-wp-total", total.to_string())
        .header("x-wp-totalpages", total.div_ceil(per_page).to_string());
    Ok(with_version_headers(response, app.clock.now()))
}

fn entry(row: &SessionRow<Cart>, rest_base: &str) -> Value {
    let billing = &row.cart.customer.billing;
    let name = if billing.first_name.is_empty() && billing.last_name.is_empty() {
        String::new()
    } else {
        format!("{} {}", billing.first_name, billing.last_name)
    };
    let lines: Map<String, Value> = row
        .cart
        .lines
        .iter()
        .map(|line| (line.key.clone(), line.session_value()))
        .collect();
    json!({
        "cart_id": row.cart_id.to_string(),
        "cart_key": row.cart_key,
        "customers_name": name,
        "customers_email": billing.email,
        "cart_created": us_date(row.created),
        "cart_expiry": us_date(row.expiry),
        "cart_source": row.source,
        "link": format!("{rest_base}/cocart/v2/session/{}", row.cart_key),
        "session_key": row.cart_key,
        "cart": if lines.is_empty() { json!([]) } else { Value::Object(lines) },
        "customer": {
            "billing_email": billing.email,
            "billing_first_name": billing.first_name,
            "billing_last_name": billing.last_name,
        },
        "session_expiry": iso(row.expiry),
    })
}

fn iso(unix: u64) -> String {
    UnixTime::from_unix_seconds(unix).format_iso(0)
}

/// `m/d/Y H:i:s` in UTC, as CoCart lists sessions.
fn us_date(unix: u64) -> String {
    let iso = iso(unix);
    match (
        iso.get(0..4),
        iso.get(5..7),
        iso.get(8..10),
        iso.get(11..19),
    ) {
        (Some(year), Some(month), Some(day), Some(time)) => format!("{month}/{day}/{year} {time}"),
        _ => iso,
    }
}

fn stored_cart(app: &App, req: &ApiRequest) -> Result<(String, Cart), ApiError> {
    let key = req.params.str("session_key").unwrap_or_default().to_owned();
    let row: Option<SessionRow<Cart>> = app.store.session(&key)?;
    match row {
        Some(row) if !row.cart.is_empty() || !row.cart.removed_lines.is_empty() => {
            Ok((key, row.cart))
        }
        _ => Err(ApiError::new(
            404,
            "cocart_cart_in_session_not_valid",
            "Cart in session is not valid!",
        )),
    }
}

/// `GET /cocart/v2/session/{session_key}`: a stored cart, rendered for staff. Money
/// follows `cocart_prepare_money_disable_decimals`; the body goes through the response
/// wrapper (`cocart_session_response`).
pub async fn get(app: &App, req: &ApiRequest) -> Result<ApiResponse, ApiError> {
    let (key, mut cart) = stored_cart(app, req)?;
    let catalog = app.catalog.snapshot();
    let site_url = req.site_url().to_owned();
    let now = now(app);
    let body = app
        .with_unscoped_hooks(move |hooks| {
            let presentation = recalculate_cart(&mut cart, &catalog, now)?;
            let store = store_display(&catalog, &site_url).with_money_hooks(hooks)?;
            let body = render::render_session(&cart, &catalog, &store, &presentation, &key, now)?;
            response_filters(hooks, "session", &site_url, body)
        })
        .await?;
    Ok(with_version_headers(ApiResponse::ok(body), app.clock.now()))
}

/// `GET /cocart/v2/session/{session_key}/items`: a stored cart's items by item key, money
/// and wrapper as [`get`].
pub async fn items(app: &App, req: &ApiRequest) -> Result<ApiResponse, ApiError> {
    let (_, cart) = stored_cart(app, req)?;
    let catalog = app.catalog.snapshot();
    let site_url = req.site_url().to_owned();
    let now = now(app);
    let body = app
        .with_unscoped_hooks(move |hooks| {
            let store = store_display(&catalog, &site_url).with_money_hooks(hooks)?;
            let body = render::render_session_items(&cart, &catalog, &store, now)?;
            response_filters(hooks, "session", &site_url, body)
        })
        .await?;
    Ok(with_version_headers(ApiResponse::ok(body), app.clock.now()))
}

/// `DELETE /cocart/v2/session/{session_key}`.
pub async fn delete(app: &App, req: &ApiRequest) -> Result<ApiResponse, ApiError> {
    let key = req.params.str("session_key").unwrap_or_default();
    if !app.store.delete_session(key).await? {
        return Err(ApiError::new(
            404,
            "cocart_session_not_valid",
            "Session is not valid!",
        ));
    }
    let body = Value::String("Session successfully deleted!".into());
    let body = app.wrapped_response("session", req, body).await?;
    Ok(with_version_headers(ApiResponse::ok(body), app.clock.now()))
}

fn now(app: &App) -> UnixTime {
    UnixTime::from_unix_seconds(app.clock.now())
}
