//! The loaded script set: a pool of Lua states behind the [`Hooks`] trait.
//!
//! Every state of the pool holds all scripts, so a call takes whichever state is free and
//! requests on different threads never queue behind one lock. The names with callbacks
//! are computed once at load, so firing a hook nobody registered costs a set lookup and
//! never touches a state. A failing callback is logged and counted per hook name, then
//! skipped (or, with `fail_closed`, returned as [`HookError`]).

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use serde_json::Value;

use super::config::HooksConfig;
use super::scope::{RequestScope, ScopedHooks};
use super::state::{CallbackFailure, ScriptSource, ScriptState};
use crate::cart::hooks::{ExtensionOutcome, HookError, Hooks};

/// Why a script set could not be loaded. The server refuses to start (or a reload keeps
/// the previous set) and prints this.
#[derive(Debug, thiserror::Error)]
pub enum HookLoadError {
    /// A configured script file could not be read.
    #[error("cannot read hook script {path}: {source}")]
    Read {
        /// The file that was tried.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// A script does not compile; the message names file and line.
    #[error("hook script {script} does not compile: {message}")]
    Compile {
        /// The script as configured.
        script: String,
        /// Lua's message, `file:line: text`.
        message: String,
    },
    /// A script's top level raised an error (or ran out of budget) while loading.
    #[error("hook script {script} failed while loading: {message}")]
    Run {
        /// The script as configured.
        script: String,
        /// Lua's message, `file:line: text`, or the budget that ran out.
        message: String,
    },
    /// A script's `[hooks.settings.<stem>]` entry is not a table.
    #[error("settings for hook script {script} must be a table")]
    InvalidSettings {
        /// The script as configured.
        script: String,
    },
    /// The Lua state itself could not be prepared.
    #[error("cannot prepare the Lua sandbox: {0}")]
    Setup(String),
}

/// Merchant Lua scripts, loaded once, answering CoCart's hook calls.
pub struct HookRuntime {
    /// Lua states, each with every script loaded.
    states: Vec<Mutex<ScriptState>>,
    /// Where the next call starts looking for a free state.
    next_state: AtomicUsize,
    /// Hook names that have callbacks, as fired (aliases folded in).
    fired_names: HashSet<String>,
    /// Hook names exactly as the scripts registered them.
    registered_names: Vec<String>,
    /// Failed callbacks per fired hook name.
    error_counts: BTreeMap<String, AtomicU64>,
    /// Whether a failing callback fails the call.
    fail_closed: bool,
}

impl HookRuntime {
    /// Reads and compiles the configured scripts from `config.dir` (relative to
    /// `base_dir`) into `config.pool_size` states.
    pub fn load(config: &HooksConfig, base_dir: &Path) -> Result<HookRuntime, HookLoadError> {
        let dir = config.resolved_dir(base_dir);
        let sources = read_sources(&dir, &config.scripts)?;
        let pool_size = config.states();
        let mut states = Vec::with_capacity(pool_size);
        let mut registered_names = Vec::new();
        for _ in 0..pool_size {
            let (state, registered) = ScriptState::load(config, &dir, &sources)?;
            registered_names = registered;
            states.push(state);
        }
        warn_about_unsupported(&registered_names);
        let fired_names: HashSet<String> = states
            .iter()
            .flat_map(|state| state.fired_names().cloned())
            .collect();
        let error_counts = fired_names
            .iter()
            .map(|name| (name.clone(), AtomicU64::new(0)))
            .collect();
        Ok(HookRuntime {
            states: states.into_iter().map(Mutex::new).collect(),
            next_state: AtomicUsize::new(0),
            fired_names,
            registered_names,
            error_counts,
            fail_closed: config.fail_closed,
        })
    }

    /// A runtime with no scripts (every hook passes its value through).
    pub fn empty() -> HookRuntime {
        HookRuntime {
            states: Vec::new(),
            next_state: AtomicUsize::new(0),
            fired_names: HashSet::new(),
            registered_names: Vec::new(),
            error_counts: BTreeMap::new(),
            fail_closed: false,
        }
    }

    /// Hook names the scripts registered, sorted, exactly as written (including alias
    /// names such as `cocart_ok_to_add_message`). `cartd check` compares them with the
    /// names cartd fires.
    pub fn registered_hook_names(&self) -> Vec<String> {
        self.registered_names.clone()
    }

    /// Whether no script registered anything (cheap; checked on every request).
    pub fn is_empty(&self) -> bool {
        self.registered_names.is_empty()
    }

    /// Failed callbacks so far per hook name (every name with callbacks, zero included),
    /// sorted by name. Counts start at zero for each loaded runtime.
    pub fn error_counts(&self) -> Vec<(String, u64)> {
        self.error_counts
            .iter()
            .map(|(name, count)| (name.clone(), count.load(Ordering::Relaxed)))
            .collect()
    }

    /// Whether failing callbacks fail the call (`fail_closed`). When false this runtime
    /// never returns `Err(HookError)`: a failing callback is logged, counted and skipped.
    /// When true, the first failing callback ends the call with `Err`; callers treat it
    /// as a failed request, or, for hooks that only change presentation, may fall back
    /// to the value they passed in.
    pub fn fail_closed(&self) -> bool {
        self.fail_closed
    }

    /// This runtime bound to one request's scope (see [`ScopedHooks`]).
    pub fn scoped(self: &Arc<Self>, scope: RequestScope) -> ScopedHooks {
        ScopedHooks::new(self.clone(), scope)
    }

    pub(crate) fn run_filters(
        &self,
        name: &str,
        value: Value,
        args: &[Value],
        scope: Option<Arc<RequestScope>>,
    ) -> Result<Value, HookError> {
        let Some(state) = self.acquire_state() else {
            return Ok(value);
        };
        state.apply_filters(name, value, args, scope, &mut |failure| {
            self.record_failure(name, failure)
        })
    }

    pub(crate) fn run_actions(
        &self,
        name: &str,
        args: &[Value],
        scope: Option<Arc<RequestScope>>,
    ) -> Result<(), HookError> {
        let Some(state) = self.acquire_state() else {
            return Ok(());
        };
        state.do_action(name, args, scope, &mut |failure| {
            self.record_failure(name, failure)
        })
    }

    /// Registration and call in one state during one acquire: the registry is rebuilt
    /// for each call, so a callback registered in one state cannot be called in another.
    pub(crate) fn call_extension(
        &self,
        name: &str,
        reserved: &[&str],
        namespace: &str,
        request: &Value,
        scope: Option<Arc<RequestScope>>,
    ) -> Result<Option<ExtensionOutcome>, HookError> {
        let Some(state) = self.acquire_state() else {
            return Ok(None);
        };
        state.run_extension(name, reserved, namespace, request, scope, &mut |failure| {
            self.record_failure(name, failure)
        })
    }

    /// A free state if there is one (trying each once, round-robin), else waits for one.
    fn acquire_state(&self) -> Option<MutexGuard<'_, ScriptState>> {
        let count = self.states.len();
        if count == 0 {
            return None;
        }
        let start = self.next_state.fetch_add(1, Ordering::Relaxed) % count;
        for offset in 0..count {
            if let Ok(state) = self.states[(start + offset) % count].try_lock() {
                return Some(state);
            }
        }
        Some(
            self.states[start]
                .lock()
                .unwrap_or_else(PoisonError::into_inner),
        )
    }

    fn record_failure(&self, hook: &str, failure: CallbackFailure) -> Result<(), HookError> {
        tracing::warn!(hook, script = %failure.script, error = %failure.message, "hook callback failed");
        if let Some(count) = self.error_counts.get(hook) {
            count.fetch_add(1, Ordering::Relaxed);
        }
        if self.fail_closed {
            return Err(HookError {
                hook: hook.to_string(),
                message: format!("{}: {}", failure.script, failure.message),
            });
        }
        Ok(())
    }
}

impl Hooks for HookRuntime {
    fn has(&self, name: &str) -> bool {
        self.fired_names.contains(name)
    }

    fn apply_filters(&self, name: &str, value: Value, args: &[Value]) -> Result<Value, HookError> {
        if !self.has(name) {
            return Ok(value);
        }
        self.run_filters(name, value, args, None)
    }

    fn do_action(&self, name: &str, args: &[Value]) -> Result<(), HookError> {
        if !self.has(name) {
            return Ok(());
        }
        self.run_actions(name, args, None)
    }

    fn run_extension(
        &self,
        name: &str,
        reserved: &[&str],
        namespace: &str,
        request: &Value,
    ) -> Result<Option<ExtensionOutcome>, HookError> {
        if !self.has(name) {
            return Ok(None);
        }
        self.call_extension(name, reserved, namespace, request, None)
    }
}

/// Hook names from older CoCart documentation that CoCart 4.4 no longer fires (spec
/// Appendix C and §6.2), with what to use instead.
const UNSUPPORTED_HOOKS: &[(&str, &str)] = &[
    (
        "cocart_cookie",
        "cookie sessions were removed in CoCart 4.2",
    ),
    (
        "cocart_cookie_name",
        "cookie sessions were removed in CoCart 4.2",
    ),
    (
        "cocart_cart_use_secure_cookie",
        "cookie sessions were removed in CoCart 4.2",
    ),
    ("cocart_customer_id", "use cocart_generate_key"),
    (
        "cocart_cart_loaded_successful_message",
        "removed in CoCart 4.4",
    ),
    ("cocart_merge_cart_content", "removed in CoCart 4.4"),
    (
        "cocart_empty_cart_expiration",
        "deprecated since CoCart 2.7.2; its result was always ignored",
    ),
];

/// Hooks cartd fires that CoCart marks deprecated (spec §5.1), with the replacement.
const DEPRECATED_HOOKS: &[(&str, &str)] = &[(
    "cocart_get_cart",
    "deprecated on v2 since CoCart 3.0.0, where it gets no arguments; use cocart_cart",
)];

/// Warns once per load about registered names that will never fire or are deprecated.
fn warn_about_unsupported(registered: &[String]) {
    let never_fired = UNSUPPORTED_HOOKS.iter().map(|(name, advice)| {
        (
            name,
            "a hook script registers a hook cartd never fires",
            advice,
        )
    });
    let deprecated = DEPRECATED_HOOKS
        .iter()
        .map(|(name, advice)| (name, "a hook script registers a deprecated hook", advice));
    for (name, warning, advice) in never_fired.chain(deprecated) {
        if registered.iter().any(|registered| registered == name) {
            tracing::warn!(hook = name, "{warning}: {advice}");
        }
    }
}

/// Reads every configured script once; the states compile from these copies.
fn read_sources(dir: &Path, scripts: &[String]) -> Result<Vec<ScriptSource>, HookLoadError> {
    scripts
        .iter()
        .map(|file| {
            let path = dir.join(file);
            let code = std::fs::read_to_string(&path).map_err(|source| HookLoadError::Read {
                path: path.clone(),
                source,
            })?;
            let stem = path
                .file_stem()
                .map(|stem| stem.to_string_lossy().into_owned())
                .unwrap_or_else(|| file.clone());
            Ok(ScriptSource {
                file: file.clone(),
                stem,
                code,
            })
        })
        .collect()
}
