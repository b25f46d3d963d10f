//! The typed refusal every cart operation returns.
//!
//! CoCart answers a refused cart operation with `{code, message, data: {status}}`; the
//! domain carries exactly those three values so the HTTP layer only has to serialise them.
//! Codes, statuses and messages follow responses-and-errors.md §8.3 and §8.4.

use serde_json::Value;

use crate::cart::hooks::HookError;

/// A refused cart operation: the CoCart error code, the client-facing message and the HTTP
/// status.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{code} ({status}): {message}")]
pub struct CartError {
    /// CoCart's error code, e.g. `cocart_invalid_product`.
    pub code: String,
    /// The message exactly as CoCart words it, names substituted.
    pub message: String,
    /// The HTTP status (`data.status`).
    pub status: u16,
}

impl CartError {
    /// An error with the given code, status and message.
    pub fn new(code: &str, status: u16, message: impl Into<String>) -> Self {
        Self {
            code: code.to_owned(),
            message: message.into(),
            status,
        }
    }

    /// A hook callback failed under the runtime's fail-closed policy. The client sees a
    /// generic server error; the hook name and cause stay in the log.
    pub fn from_hook(error: &HookError) -> Self {
        tracing::warn!(hook = %error.hook, message = %error.message, "hook failed the request");
        Self::new(
            "cocart_unknown_server_error",
            500,
            "A cart extension failed while handling the request.",
        )
    }

    /// Reads an `Error` table a filter returned (`{code, message, status}` or
    /// `{code, message, data: {status}}`, hooks-and-filters.md §1.3/§1.4). `None` when the
    /// value is not shaped like an error.
    pub fn from_filter_value(value: &Value) -> Option<Self> {
        let object = value.as_object()?;
        let code = object.get("code")?.as_str()?;
        let message = object.get("message").and_then(Value::as_str).unwrap_or("");
        let status = object
            .get("status")
            .or_else(|| object.get("data").and_then(|data| data.get("status")))
            .and_then(Value::as_u64)
            .and_then(|status| u16::try_from(status).ok())
            .unwrap_or(500);
        Some(Self::new(code, status, message))
    }

    /// 400 `cocart_response_returned_empty`: a v2 body that came out empty (a `fields`
    /// filter naming nothing valid, `default=true` on an empty cart, a zero item count).
    /// `site_url` is the public site root, `route_base` the route after `cocart/v2/`.
    pub fn response_returned_empty(site_url: &str, route_base: &str) -> Self {
        Self::new(
            "cocart_response_returned_empty",
            400,
            format!(
                "Request returned nothing for \"{}/wp-json/cocart/v2/{route_base}/\"! Please seek assistance.",
                site_url.trim_end_matches('/')
            ),
        )
    }

    /// 404 `cocart_no_items_in_cart` (`GET cart/items` on an empty cart, item count with a
    /// non-numeric `return`).
    pub fn no_items_in_cart() -> Self {
        Self::new("cocart_no_items_in_cart", 404, "No items in the cart.")
    }
}

impl From<HookError> for CartError {
    fn from(error: HookError) -> Self {
        Self::from_hook(&error)
    }
}
