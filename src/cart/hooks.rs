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
}

/// The hook runtime of a shop with no scripts: every filter returns its value unchanged.
#[derive(Debug, Default, Clone, Copy)]
pub struct NoHooks;

impl Hooks for NoHooks {
    fn has(&self, _name: &str) -> bool {
        false
    }

    fn apply_filters(&self, _name: &str, value: Value, _args: &[Value]) -> Result<Value, HookError> {
        Ok(value)
    }

    fn do_action(&self, _name: &str, _args: &[Value]) -> Result<(), HookError> {
        Ok(())
    }
}
