//! The seam between the cart domain and merchant hook scripts.
//!
//! CoCart lets merchants change behaviour through WordPress actions and filters. The domain
//! fires them through this trait, so `src/cart` stays pure (its tests use [`NoHooks`] or a
//! recording fake) and `src/hooks` provides the Lua implementation.

use serde_json::Value;

/// A hook callback failed in a way that must fail the request (the runtime's
/// `fail_closed` policy for validation hooks). Failures that are merely logged never
/// surface here.
#[derive(Debug, thiserror::Error)]
#[error("hook {hook} failed: {message}")]
pub struct HookError {
    /// The hook name that was being fired.
    pub hook: String,
    /// What went wrong, for the log; never shown to clients.
    pub message: String,
}

/// Fires CoCart's named actions and filters.
pub trait Hooks: Send + Sync {
    /// True when at least one callback is registered for `name`. Callers use it to skip
    /// building arguments for hooks nobody listens to.
    fn has(&self, name: &str) -> bool;

    /// Passes `value` through every filter registered for `name`, in priority order, each
    /// also receiving `args`; returns the final value.
    fn apply_filters(&self, name: &str, value: Value, args: &[Value]) -> Result<Value, HookError>;

    /// Runs every action registered for `name` with `args`.
    fn do_action(&self, name: &str, args: &[Value]) -> Result<(), HookError>;

    /// CoCart's extension registry for `cart/update`: runs the actions registered for
    /// `name` with a fresh registry whose `register(cb)` refuses `reserved` names and
    /// names already registered, then calls the callback registered under `namespace`
    /// with `request` and a `nil` controller. Registration and call happen together
    /// because the registry lives only for this one call. `None` when no callback
    /// registered `namespace`; the default (no scripts) always answers `None`.
    fn run_extension(
        &self,
        _name: &str,
        _reserved: &[&str],
        _namespace: &str,
        _request: &Value,
    ) -> Result<Option<ExtensionOutcome>, HookError> {
        Ok(None)
    }
}

/// What a script-registered `cart/update` namespace did (hooks-and-filters.md V2-UPDCART).
#[derive(Debug, Clone, PartialEq)]
pub enum ExtensionOutcome {
    /// The namespace was registered without a callable `callback`.
    NotCallable,
    /// The callback ran and returned this (JSON null for nothing, or when it failed and
    /// the runtime skips failures).
    Returned(Value),
}

/// The hook runtime of a shop with no scripts: every filter returns its value unchanged.
#[derive(Debug, Default, Clone, Copy)]
pub struct NoHooks;

impl Hooks for NoHooks {
    fn has(&self, _name: &str) -> bool {
        false
    }

    fn apply_filters(
        &self,
        _name: &str,
        value: Value,
        _args: &[Value],
    ) -> Result<Value, HookError> {
        Ok(value)
    }

    fn do_action(&self, _name: &str, _args: &[Value]) -> Result<(), HookError> {
        Ok(())
    }
}
