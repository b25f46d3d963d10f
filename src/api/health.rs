//! `GET /wp-json/cartd/v1/health`: a cheap answer for monitors and load balancers.

use serde_json::json;

use crate::http::response::ApiResponse;

/// `GET /cartd/v1/health`
pub fn get() -> ApiResponse {
    ApiResponse::ok(json!({"status": "ok", "version": env!("CARGO_PKG_VERSION")}))
}
