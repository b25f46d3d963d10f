//! The routes around the customer rather than the cart: `POST /cocart/v2/login`,
//! `POST /cocart/v2/logout`, `POST /cocart/v1/logout` and `GET /cocart/v2/store`.

use serde_json::{Value, json};

use super::App;
use crate::auth::Principal;
use crate::auth::render::{StoreAddress, StoreInfo, login_response, store_response};
use crate::error::ApiError;
use crate::http::response::ApiResponse;
use crate::http::wp::ApiRequest;

/// `POST /cocart/v2/login`: the caller's profile (the route declares `logged_in`),
/// through the response wrapper (`cocart_login_response`).
pub async fn login(
    app: &App,
    req: &ApiRequest,
    principal: Option<&Principal>,
) -> Result<ApiResponse, ApiError> {
    let user = &principal.ok_or_else(ApiError::internal)?.user;
    let body = login_response(user, req.params.flag("avatars"), json!([]));
    let body = app.wrapped_response("login", req, body).await?;
    Ok(super::cart_key::with_version_headers(
        ApiResponse::ok(body),
        app.clock.now(),
    ))
}

/// `POST /cocart/v2/logout`: credentials are per request, so there is nothing to end.
pub fn logout() -> ApiResponse {
    ApiResponse::ok(Value::Bool(true))
}

/// `POST /cocart/v1/logout`: also deletes the caller's stored cart.
pub async fn logout_v1(
    app: &App,
    req: &ApiRequest,
    principal: Option<&Principal>,
) -> Result<ApiResponse, ApiError> {
    let session = app.open_session(req, principal).await?;
    let key = session.key.clone();
    drop(session);
    app.store.delete_session(&key).await?;
    Ok(ApiResponse::ok(Value::Bool(true)))
}

/// `GET /cocart/v2/store`: the site's title, URLs and address.
pub fn store(app: &App, req: &ApiRequest) -> ApiResponse {
    let catalog = app.catalog.snapshot();
    let settings = catalog.settings();
    let country = if settings.base_state.is_empty() {
        settings.base_country.clone()
    } else {
        format!("{}:{}", settings.base_country, settings.base_state)
    };
    let offset_hours = settings.utc_offset_seconds as f64 / 3600.0;
    let info = StoreInfo {
        title: app.config.store.title.clone(),
        description: app.config.store.description.clone(),
        home_url: req.site_url().to_owned(),
        language: app.config.store.language.clone(),
        gmt_offset: if offset_hours.fract() == 0.0 {
            json!(offset_hours as i64)
        } else {
            json!(offset_hours)
        },
        timezone_string: app.config.store.timezone.clone(),
        store_address: StoreAddress {
            address: settings.base_address.clone(),
            address_2: settings.base_address_2.clone(),
            city: settings.base_city.clone(),
            country,
            postcode: settings.base_postcode.clone(),
        },
    };
    ApiResponse::ok(store_response(&info, None))
}
