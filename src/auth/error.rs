//! Every refusal authentication and authorisation can give, with CoCart's exact codes,
//! messages and statuses.
//!
//! The constructors are the only place these texts live. An [`AuthError`] renders
//! itself in one of two body shapes: WordPress's `{"code","message","data":{"status"}}`,
//! or the registered-user guard's `{"success":false,"data":[{"code","message"}]}`
//! (`responses-and-errors.md` §10.1). No constructor takes a password or a secret, so
//! none can end up in a body or a log line.

use serde_json::{Value, json};

/// Which JSON body an error renders as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorShape {
    /// `{"code","message","data":{"status",...}}`.
    WordPress,
    /// `{"success":false,"data":[{"code","message"}]}` with no status in the body.
    GuardList,
}

/// A refused request: what to send back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthError {
    /// HTTP status.
    pub status: u16,
    /// Machine-readable code.
    pub code: &'static str,
    /// Message for humans.
    pub message: String,
    /// Seconds until a throttled caller may try again (429 only); send as `Retry-After`.
    pub retry_after: Option<u64>,
    /// Value for a `WWW-Authenticate` header, sent with WooCommerce API-key failures.
    pub www_authenticate: Option<&'static str>,
    /// The body shape.
    pub shape: ErrorShape,
}

/// `WWW-Authenticate` value for failed API-key requests (WooCommerce sends a Basic
/// challenge on its own authentication failures).
const API_KEY_CHALLENGE: &str = "Basic realm=\"cartd REST API\"";

impl AuthError {
    fn new(status: u16, code: &'static str, message: impl Into<String>) -> Self {
        AuthError {
            status,
            code,
            message: message.into(),
            retry_after: None,
            www_authenticate: None,
            shape: ErrorShape::WordPress,
        }
    }

    fn woocommerce(message: &str) -> Self {
        AuthError {
            www_authenticate: Some(API_KEY_CHALLENGE),
            ..AuthError::new(401, "woocommerce_rest_authentication_error", message)
        }
    }

    fn guard(code: &'static str, message: &str) -> Self {
        AuthError {
            shape: ErrorShape::GuardList,
            ..AuthError::new(403, code, message)
        }
    }

    /// Exactly one of login and password is empty (or the login is empty).
    pub fn authentication_invalid() -> Self {
        AuthError::new(
            401,
            "cocart_authentication_error",
            "Authentication invalid!",
        )
    }

    /// Wrong password or unknown login; the same text for both, naming the login sent.
    pub fn password_incorrect(login: &str) -> Self {
        AuthError::new(
            401,
            "cocart_authentication_error",
            format!("The password you entered for the username \"{login}\" is incorrect."),
        )
    }

    /// A known consumer key with the wrong secret.
    pub fn consumer_secret_invalid() -> Self {
        AuthError::woocommerce("Consumer secret is invalid.")
    }

    /// A write-only key used with `GET`/`HEAD`.
    pub fn key_cannot_read() -> Self {
        AuthError::woocommerce("The API key provided does not have read permissions.")
    }

    /// A read-only key used with `POST`/`PUT`/`PATCH`/`DELETE`.
    pub fn key_cannot_write() -> Self {
        AuthError::woocommerce("The API key provided does not have write permissions.")
    }

    /// An API key used with a method WooCommerce does not classify.
    pub fn key_unknown_method() -> Self {
        AuthError::woocommerce("Unknown request method.")
    }

    /// Too many failed attempts for this login or client address. The message is the same
    /// whether or not the login exists.
    pub fn too_many_attempts(retry_after: u64) -> Self {
        AuthError {
            retry_after: Some(retry_after),
            ..AuthError::new(
                429,
                "cartd_too_many_attempts",
                "Too many failed authentication attempts. Please try again later.",
            )
        }
    }

    /// `POST /cocart/v2/login` without an authenticated user.
    pub fn not_authorized() -> Self {
        AuthError::new(
            401,
            "cocart_rest_not_authorized",
            "Sorry, you are not authorized.",
        )
    }

    /// Session routes without `manage_woocommerce`: 401 when anonymous, 403 when logged in.
    pub fn cannot_view(logged_in: bool) -> Self {
        AuthError::new(
            if logged_in { 403 } else { 401 },
            "cocart_rest_cannot_view",
            "Sorry, you cannot list resources.",
        )
    }

    /// `GET /cocart/v1/get-cart/customer/{id}` by anyone but an administrator.
    pub fn cannot_read_cart() -> Self {
        AuthError::new(401, "cocart_cannot_read_cart", "Cannot read cart!")
    }

    /// `POST /cocart/v2/cart` (create a cart) while authenticated.
    pub fn cart_creation_not_allowed() -> Self {
        AuthError::new(
            403,
            "cocart_rest_cart_creation_not_allowed",
            "You are already logged in so a cart is already created for you.",
        )
    }

    /// A deployment lock-down (`cocart_api_permission_check_<method>`) refuses an
    /// anonymous caller. `access` is `READ`, `WRITE` or `OPTIONS`; `route` the REST route
    /// (`/cocart/v2/cart/clear`).
    pub fn route_needs_authentication(access: &str, route: &str) -> Self {
        AuthError::new(
            401,
            "cocart_rest_permission_error",
            format!(
                "Permission to {access} {route} is only permitted if the user is authenticated."
            ),
        )
    }

    /// The lock-down gate met a method it does not classify (anonymous callers only).
    pub fn route_unknown_method(route: &str) -> Self {
        AuthError::new(
            401,
            "cocart_rest_permission_error",
            format!("Unknown request method for {route}."),
        )
    }

    /// The guard: the cart key names a registered user the caller is not authenticated as.
    pub fn must_authenticate_user() -> Self {
        AuthError::guard(
            "cocart_must_authenticate_user",
            "Must authenticate customer as the cart key provided is a registered customer.",
        )
    }

    /// The guard: an authenticated caller names their own user ID as the cart key.
    pub fn already_authenticating_user() -> Self {
        AuthError::guard(
            "cocart_already_authenticating_user",
            "You are already authenticating as the customer. Cannot set cart key as the user.",
        )
    }

    /// The user directory failed; the cause is logged where it happened.
    pub fn internal() -> Self {
        AuthError::new(
            500,
            "internal_server_error",
            "There has been a critical error on this website.",
        )
    }

    /// The response body.
    pub fn to_json(&self) -> Value {
        match self.shape {
            ErrorShape::WordPress => {
                let mut data = serde_json::Map::new();
                data.insert("status".into(), json!(self.status));
                if let Some(seconds) = self.retry_after {
                    data.insert("retry_after".into(), json!(seconds));
                }
                json!({"code": self.code, "message": self.message, "data": data})
            }
            ErrorShape::GuardList => json!({
                "success": false,
                "data": [{"code": self.code, "message": self.message}],
            }),
        }
    }
}

impl std::fmt::Display for AuthError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}: {}", self.status, self.code, self.message)
    }
}

impl std::error::Error for AuthError {}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(err: &AuthError) -> String {
        serde_json::to_string(&err.to_json()).unwrap()
    }

    #[test]
    fn wordpress_shape_matches_recording_26() {
        assert_eq!(
            body(&AuthError::password_incorrect("admin")),
            r#"{"code":"cocart_authentication_error","message":"The password you entered for the username \"admin\" is incorrect.","data":{"status":401}}"#
        );
    }

    #[test]
    fn cannot_view_matches_recording_22_and_is_403_when_logged_in() {
        assert_eq!(
            body(&AuthError::cannot_view(false)),
            r#"{"code":"cocart_rest_cannot_view","message":"Sorry, you cannot list resources.","data":{"status":401}}"#
        );
        assert_eq!(AuthError::cannot_view(true).status, 403);
    }

    #[test]
    fn guard_shape_has_no_status_in_body() {
        let err = AuthError::must_authenticate_user();
        assert_eq!(err.status, 403);
        assert_eq!(
            body(&err),
            r#"{"success":false,"data":[{"code":"cocart_must_authenticate_user","message":"Must authenticate customer as the cart key provided is a registered customer."}]}"#
        );
        assert_eq!(
            body(&AuthError::already_authenticating_user()),
            r#"{"success":false,"data":[{"code":"cocart_already_authenticating_user","message":"You are already authenticating as the customer. Cannot set cart key as the user."}]}"#
        );
    }

    #[test]
    fn throttle_error_carries_retry_after() {
        let err = AuthError::too_many_attempts(120);
        assert_eq!(err.status, 429);
        assert_eq!(err.retry_after, Some(120));
        assert_eq!(
            body(&err),
            r#"{"code":"cartd_too_many_attempts","message":"Too many failed authentication attempts. Please try again later.","data":{"status":429,"retry_after":120}}"#
        );
    }

    #[test]
    fn api_key_errors_challenge_and_others_do_not() {
        for err in [
            AuthError::consumer_secret_invalid(),
            AuthError::key_cannot_read(),
            AuthError::key_cannot_write(),
            AuthError::key_unknown_method(),
        ] {
            assert_eq!(err.status, 401);
            assert_eq!(err.code, "woocommerce_rest_authentication_error");
            assert!(err.www_authenticate.is_some());
        }
        assert_eq!(AuthError::authentication_invalid().www_authenticate, None);
    }
}
