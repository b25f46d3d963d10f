//! Atomic replacement of the loaded script set, for SIGHUP and `cartd reload`.
//!
//! Requests read the current [`HookRuntime`] through an `ArcSwap`, so a reload never
//! blocks them: a new runtime is built (compiling every script) beside the old one and
//! swapped in only when it loaded completely; on any load error the old one stays.

use std::path::Path;
use std::sync::Arc;

use arc_swap::ArcSwap;
use serde_json::Value;

use super::config::HooksConfig;
use super::runtime::{HookLoadError, HookRuntime};
use super::scope::{RequestScope, ScopedHooks};
use crate::cart::hooks::{ExtensionOutcome, HookError, Hooks};

/// The hook runtime currently in force, replaceable while requests run.
pub struct HookHost {
    current: ArcSwap<HookRuntime>,
}

impl HookHost {
    /// Starts with `runtime`.
    pub fn new(runtime: HookRuntime) -> HookHost {
        HookHost {
            current: ArcSwap::from_pointee(runtime),
        }
    }

    /// Loads the configured scripts (see [`HookRuntime::load`]).
    pub fn load(config: &HooksConfig, base_dir: &Path) -> Result<HookHost, HookLoadError> {
        HookRuntime::load(config, base_dir).map(HookHost::new)
    }

    /// Builds a runtime from `config` and swaps it in. On error the running scripts stay
    /// in force and the error says why the new set was refused.
    pub fn reload(&self, config: &HooksConfig, base_dir: &Path) -> Result<(), HookLoadError> {
        let runtime = HookRuntime::load(config, base_dir)?;
        self.current.store(Arc::new(runtime));
        tracing::info!(hooks = ?self.current.load().registered_hook_names(), "hook scripts reloaded");
        Ok(())
    }

    /// The runtime in force now; requests that must see one script set throughout hold
    /// on to it.
    pub fn current(&self) -> Arc<HookRuntime> {
        self.current.load_full()
    }

    /// The current runtime bound to one request's scope.
    pub fn scoped(&self, scope: RequestScope) -> ScopedHooks {
        ScopedHooks::new(self.current(), scope)
    }
}

impl Hooks for HookHost {
    fn has(&self, name: &str) -> bool {
        self.current.load().has(name)
    }

    fn apply_filters(&self, name: &str, value: Value, args: &[Value]) -> Result<Value, HookError> {
        self.current.load().apply_filters(name, value, args)
    }

    fn do_action(&self, name: &str, args: &[Value]) -> Result<(), HookError> {
        self.current.load().do_action(name, args)
    }

    fn run_extension(
        &self,
        name: &str,
        reserved: &[&str],
        namespace: &str,
        request: &Value,
    ) -> Result<Option<ExtensionOutcome>, HookError> {
        self.current
            .load()
            .run_extension(name, reserved, namespace, request)
    }
}
