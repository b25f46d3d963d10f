//! The one error a client ever sees, in WordPress REST form.
//!
//! Every failure that leaves the server is an [`ApiError`], rendered in one place
//! ([`ApiError::to_json`]) as `{"code","message","data":{"status",...}}`, so handlers never
//! build error bodies by hand and no internal detail (paths, storage errors) reaches a
//! client. Internal failures convert into a generic 500 and are logged where they happen.

use serde_json::{Map, Value, json};

/// A WordPress-style REST error: a stable code, a human message and an HTTP status, plus
/// any extra `data` members (`params`, `details`, ...).
#[derive(Debug, Clone, PartialEq)]
pub struct ApiError {
    /// HTTP status, also sent as `data.status`.
    pub status: u16,
    /// Machine-readable code, e.g. `rest_no_route`.
    pub code: String,
    /// Message for humans, copied from CoCart or WordPress where they define one.
    pub message: String,
    /// Extra members of `data`, after `status`, in order (boxed: errors travel in
    /// `Result`s on the hot path and should stay small).
    pub data: Option<Box<Map<String, Value>>>,
    /// Rarely needed extras: response headers (`Retry-After`, `WWW-Authenticate`) and a
    /// body in another shape (CoCart's registered-user guard).
    pub extras: Option<Box<ErrorExtras>>,
}

/// Headers and an alternative body some errors carry.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ErrorExtras {
    /// Extra response headers.
    pub headers: Vec<(&'static str, String)>,
    /// A body to send instead of the WordPress shape.
    pub body: Option<Value>,
}

impl ApiError {
    /// An error with no extra data.
    pub fn new(status: u16, code: impl Into<String>, message: impl Into<String>) -> Self {
        ApiError {
            status,
            code: code.into(),
            message: message.into(),
            data: None,
            extras: None,
        }
    }

    /// Adds a member to `data` (after `status`).
    pub fn with_data(mut self, key: &str, value: Value) -> Self {
        self.data
            .get_or_insert_with(Default::default)
            .insert(key.to_owned(), value);
        self
    }

    /// Adds a response header.
    pub fn with_header(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.extras
            .get_or_insert_with(Default::default)
            .headers
            .push((name, value.into()));
        self
    }

    /// Sends `body` instead of the WordPress shape.
    pub fn with_body(mut self, body: Value) -> Self {
        self.extras.get_or_insert_with(Default::default).body = Some(body);
        self
    }

    /// The extra headers, if any.
    pub fn headers(&self) -> &[(&'static str, String)] {
        self.extras.as_ref().map_or(&[], |e| e.headers.as_slice())
    }

    /// WordPress's answer for an unknown path or a path without that method.
    pub fn no_route() -> Self {
        ApiError::new(
            404,
            "rest_no_route",
            "No route was found matching the URL and request method.",
        )
    }

    /// WordPress's answer for a JSON body that does not parse.
    pub fn invalid_json() -> Self {
        ApiError::new(400, "rest_invalid_json", "Invalid JSON body passed.")
    }

    /// A request body over the configured limit.
    pub fn body_too_large(limit: usize) -> Self {
        ApiError::new(
            413,
            "cartd_request_too_large",
            format!("The request body is larger than the {limit} bytes this server accepts."),
        )
    }

    /// Something failed inside the server. The cause is logged where it happened and never
    /// sent to the client.
    pub fn internal() -> Self {
        ApiError::new(
            500,
            "internal_server_error",
            "There has been a critical error on this website.",
        )
    }

    /// The server is shutting down and takes no new requests.
    pub fn shutting_down() -> Self {
        ApiError::new(
            503,
            "cartd_shutting_down",
            "The server is shutting down; try again shortly.",
        )
    }

    /// The response body: `{"code","message","data":{"status",...}}`.
    pub fn to_json(&self) -> Value {
        if let Some(body) = self.extras.as_ref().and_then(|e| e.body.clone()) {
            return body;
        }
        let mut data = Map::new();
        data.insert("status".into(), json!(self.status));
        if let Some(extra) = &self.data {
            data.extend(extra.iter().map(|(k, v)| (k.clone(), v.clone())));
        }
        json!({"code": self.code, "message": self.message, "data": data})
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}: {}", self.status, self.code, self.message)
    }
}

impl std::error::Error for ApiError {}

impl From<crate::auth::AuthError> for ApiError {
    fn from(err: crate::auth::AuthError) -> Self {
        let mut api = ApiError::new(err.status, err.code, err.message.clone());
        if let Some(seconds) = err.retry_after {
            api = api
                .with_data("retry_after", serde_json::json!(seconds))
                .with_header("retry-after", seconds.to_string());
        }
        if let Some(challenge) = err.www_authenticate {
            api = api.with_header("www-authenticate", challenge);
        }
        if err.shape == crate::auth::ErrorShape::GuardList {
            api = api.with_body(err.to_json());
        }
        api
    }
}

impl From<crate::store::StoreError> for ApiError {
    fn from(err: crate::store::StoreError) -> Self {
        tracing::error!(error = %err, "store failure");
        ApiError::internal()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_wordpress_shape_with_status_first() {
        let err = ApiError::new(
            400,
            "rest_missing_callback_param",
            "Missing parameter(s): id",
        )
        .with_data("params", json!(["id"]));
        assert_eq!(
            serde_json::to_string(&err.to_json()).unwrap(),
            r#"{"code":"rest_missing_callback_param","message":"Missing parameter(s): id","data":{"status":400,"params":["id"]}}"#
        );
    }
}
