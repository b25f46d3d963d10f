//! The request a hook call belongs to, as scripts read it through `cocart.cart()` and
//! `cocart.context()`.
//!
//! CoCart's PHP callbacks reach the live cart through `WC()->cart`; several TIER 1 hooks
//! (`cocart_ok_to_add` among them) pass no cart argument, so scripts need the same reach.
//! The API layer builds a [`RequestScope`] per request and fires hooks through
//! [`ScopedHooks`]; hooks fired without a scope see `nil` from both functions.

use std::sync::{Arc, Mutex, PoisonError};

use serde_json::Value;

use super::HookRuntime;
use crate::cart::hooks::{ExtensionOutcome, HookError, Hooks};

/// What `cocart.cart()` and `cocart.context()` return during one request.
#[derive(Debug, Clone, PartialEq)]
pub struct RequestScope {
    /// The cart snapshot (spec `Cart`: `{ contents = { [key] = CartItem }, removed_contents,
    /// applied_coupons, totals, customer, needs_shipping, needs_payment, … }`).
    pub cart: Value,
    /// The request context: `{ cart_key = str, user_id = int, route = str, api = "v1"|"v2" }`.
    pub context: Value,
}

/// A [`HookRuntime`] bound to one request: every call it makes exposes the request's
/// scope to scripts. It holds its own reference to the runtime, so a reload during the
/// request does not change the scripts the request runs.
pub struct ScopedHooks {
    runtime: Arc<HookRuntime>,
    scope: Mutex<Arc<RequestScope>>,
}

impl ScopedHooks {
    /// Binds `runtime` to `scope`.
    pub fn new(runtime: Arc<HookRuntime>, scope: RequestScope) -> ScopedHooks {
        ScopedHooks {
            runtime,
            scope: Mutex::new(Arc::new(scope)),
        }
    }

    /// Replaces the cart snapshot scripts see from now on (call it after the cart changes
    /// when later hooks should see the change).
    pub fn set_cart(&self, cart: Value) {
        let mut scope = self.scope.lock().unwrap_or_else(PoisonError::into_inner);
        let context = scope.context.clone();
        *scope = Arc::new(RequestScope { cart, context });
    }

    fn current_scope(&self) -> Arc<RequestScope> {
        self.scope
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}

impl Hooks for ScopedHooks {
    fn has(&self, name: &str) -> bool {
        self.runtime.has(name)
    }

    fn apply_filters(&self, name: &str, value: Value, args: &[Value]) -> Result<Value, HookError> {
        if !self.runtime.has(name) {
            return Ok(value);
        }
        self.runtime
            .run_filters(name, value, args, Some(self.current_scope()))
    }

    fn do_action(&self, name: &str, args: &[Value]) -> Result<(), HookError> {
        if !self.runtime.has(name) {
            return Ok(());
        }
        self.runtime
            .run_actions(name, args, Some(self.current_scope()))
    }

    fn run_extension(
        &self,
        name: &str,
        reserved: &[&str],
        namespace: &str,
        request: &Value,
    ) -> Result<Option<ExtensionOutcome>, HookError> {
        if !self.runtime.has(name) {
            return Ok(None);
        }
        self.runtime.call_extension(
            name,
            reserved,
            namespace,
            request,
            Some(self.current_scope()),
        )
    }
}
