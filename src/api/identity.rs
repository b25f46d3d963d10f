//! Who is calling: authentication once per request, and the permission a route declares.
//!
//! Credentials are checked on every route, public ones included (a wrong password fails
//! the request, as on WordPress). Requests without credentials skip all of it; requests
//! with them run the password check on the blocking pool, since argon2 is deliberately
//! slow.

use std::sync::Arc;

use super::App;
use crate::accounts::StoreDirectory;
use crate::auth::{AuthInput, Principal, Requirement, authenticate, authorize};
use crate::error::ApiError;
use crate::http::wp::ApiRequest;

impl App {
    /// Authenticates the request: `None` for a guest.
    pub(crate) async fn identify(
        self: &Arc<Self>,
        req: &ApiRequest,
    ) -> Result<Option<Principal>, ApiError> {
        let param = |name: &str| {
            req.params
                .get(name)
                .and_then(|v| v.as_str())
                .map(str::to_owned)
        };
        let authorization = req.header("authorization").map(str::to_owned);
        let consumer_key = req
            .params
            .query
            .get("consumer_key")
            .and_then(|v| v.as_str())
            .map(str::to_owned);
        let consumer_secret = req
            .params
            .query
            .get("consumer_secret")
            .and_then(|v| v.as_str())
            .map(str::to_owned);
        let (username, password) = (param("username"), param("password"));
        if authorization.is_none()
            && consumer_key.is_none()
            && username.is_none()
            && password.is_none()
        {
            return Ok(None);
        }
        let app = self.clone();
        let method = req.method.as_str().to_owned();
        let client_addr = Some(req.peer.ip());
        tokio::task::spawn_blocking(move || {
            let input = AuthInput {
                authorization: authorization.as_deref(),
                consumer_key: consumer_key.as_deref(),
                consumer_secret: consumer_secret.as_deref(),
                username: username.as_deref(),
                password: password.as_deref(),
                method: &method,
                client_addr,
                credentials_accepted: true,
            };
            authenticate(
                &input,
                &StoreDirectory(&app.store),
                &app.throttle,
                app.clock.now(),
            )
        })
        .await
        .map_err(|_| ApiError::internal())?
        .map_err(ApiError::from)
    }
}

/// Checks the permission a route declares (`guest`, `logged_in`, `manage_woocommerce`,
/// `administrator`; none = public).
pub(crate) fn check_permission(
    permission: Option<&str>,
    principal: Option<&Principal>,
) -> Result<(), ApiError> {
    let requirement = match permission {
        None => Requirement::Public,
        Some("guest") => Requirement::Guest,
        Some("logged_in") => Requirement::LoggedIn,
        Some("manage_woocommerce") => Requirement::ManageWoocommerce,
        Some("administrator") => Requirement::Administrator,
        Some(other) => {
            tracing::error!(permission = other, "route declares an unknown permission");
            return Err(ApiError::internal());
        }
    };
    authorize(principal, requirement).map_err(ApiError::from)
}
