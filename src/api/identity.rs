//! Who is calling: authentication once per request, and the permission a route declares.
//!
//! Credentials are checked on every route, public ones included (a wrong password fails
//! the request, as on WordPress). Requests without credentials skip all of it; requests
//! with them run the password check on the blocking pool, since argon2 is deliberately
//! slow.

use std::sync::Arc;

use serde_json::{Value, json};

use super::App;
use super::cart::session::whole_number;
use crate::accounts::StoreDirectory;
use crate::auth::{
    AuthInput, Principal, Requirement, authenticate, authorize, check_route_lockdown,
};
use crate::cart::hook_args::truthy;
use crate::cart::hooks::Hooks;
use crate::error::ApiError;
use crate::http::wp::ApiRequest;

/// The verbs of the `cocart_api_permission_check_{method}` family; a script hooking any
/// of them turns the lock-down gate on.
/// The lock-down family for the verbs CoCart evaluates, named once so a guest's request
/// checks them without building names.
const LOCKDOWN_HOOKS: [(&str, &str); 7] = [
    ("get", "cocart_api_permission_check_get"),
    ("post", "cocart_api_permission_check_post"),
    ("put", "cocart_api_permission_check_put"),
    ("patch", "cocart_api_permission_check_patch"),
    ("delete", "cocart_api_permission_check_delete"),
    ("options", "cocart_api_permission_check_options"),
    ("head", "cocart_api_permission_check_head"),
];

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
        let authenticated = tokio::task::spawn_blocking(move || {
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
        .map_err(ApiError::from)?;
        match authenticated {
            Some(principal) => self.confirmed_by_scripts(req, principal).await,
            None => Ok(None),
        }
    }

    /// `cocart_authenticate` (hooks-and-filters.md P1), fired once credentials identified
    /// a user. Scripts may only keep that user or deny them (a falsy result makes the
    /// request a guest's); they never grant an identity without credentials, so guests
    /// do not fire it and any other user ID keeps the authenticated user (logged).
    async fn confirmed_by_scripts(
        &self,
        req: &ApiRequest,
        principal: Principal,
    ) -> Result<Option<Principal>, ApiError> {
        let user_id = principal.user_id();
        let is_secure = req.rest_base.starts_with("https://");
        let verdict = self
            .unscoped_filter(
                "cocart_authenticate".to_owned(),
                Value::from(user_id),
                vec![Value::Bool(is_secure), Value::Null],
            )
            .await?;
        if !truthy(&verdict) {
            tracing::info!(user_id, "cocart_authenticate denied the authenticated user");
            return Ok(None);
        }
        if whole_number(&verdict) != Some(user_id) {
            tracing::warn!(user_id, value = %verdict, "cocart_authenticate may only keep or deny the authenticated user; kept");
        }
        Ok(Some(principal))
    }

    /// The deployment lock-down gate (P5): for a guest, the route fragments that
    /// `cocart_api_permission_check_{method}` lists (after `cocart/`) need authentication.
    /// The gate is off unless a script hooks one of the family, as CoCart's is empty by
    /// default; once on, a guest's request with any other verb is refused, as in CoCart.
    pub(crate) async fn check_lockdown(
        &self,
        req: &ApiRequest,
        principal: Option<&Principal>,
    ) -> Result<(), ApiError> {
        let runtime = self.request_hooks();
        if principal.is_some() || !LOCKDOWN_HOOKS.iter().any(|(_, hook)| runtime.has(hook)) {
            return Ok(());
        }
        let method = req.method.as_str().to_ascii_lowercase();
        let hook = LOCKDOWN_HOOKS
            .iter()
            .find(|(verb, _)| *verb == method)
            .map_or_else(
                || format!("cocart_api_permission_check_{method}"),
                |(_, hook)| (*hook).to_owned(),
            );
        let locked = self.unscoped_filter(hook, json!([]), Vec::new()).await?;
        let fragments: Vec<String> = match locked {
            Value::Array(items) => items,
            Value::Object(map) => map.into_iter().map(|(_, item)| item).collect(),
            _ => Vec::new(),
        }
        .into_iter()
        .filter_map(|item| item.as_str().map(str::to_owned))
        .collect();
        Ok(check_route_lockdown(
            None,
            &method,
            &req.rest_path,
            &fragments,
        )?)
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
