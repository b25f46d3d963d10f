//! The Lua hook runtime: merchant scripts that hook CoCart's actions and filters.
//!
//! CoCart shops customise behaviour with WordPress `add_filter`/`add_action` callbacks;
//! cartd offers the same names to Lua scripts listed in the `[hooks]` configuration
//! section and loaded from the hooks folder. The cart domain fires them through
//! [`crate::cart::hooks::Hooks`], implemented here by [`HookRuntime`] (one loaded script
//! set), [`HookHost`] (the set in force, swappable on reload) and [`ScopedHooks`] (a set
//! bound to one request so scripts can read its cart).
//!
//! # The scripting API
//!
//! Each script runs in its own environment with a `cocart` table:
//! - `cocart.add_filter(name, fn [, priority])` and `cocart.add_action(name, fn [, priority])`
//!   register a callback (priority defaults to 10; lower runs first; equal priorities run
//!   in registration order, scripts in configuration order). Registration is only
//!   possible while the script's top level runs.
//! - A filter callback receives the value then the hook's extra arguments, and returns
//!   the new value. Returning `nil` keeps the value as it was passed in (changes made to
//!   it in place are discarded: return the table to keep them). To produce JSON null,
//!   return `cocart.null`. An action's return value is ignored.
//! - `cocart.settings`: the script's `[hooks.settings.<file stem>]` table (empty when
//!   absent).
//! - `cocart.log.info(msg)`, `.warn(msg)`, `.error(msg)`, or `cocart.log(level, msg)`;
//!   `print(...)` logs at info. Messages go to tracing with the script's name.
//! - `cocart.json.encode(v)`, `cocart.json.decode(s)`, `cocart.json.array([t])` and
//!   `cocart.json.object([t])` (mark a table so it stays `[]` or `{}` when empty),
//!   `cocart.null` (JSON null).
//! - `cocart.ordered_pairs(t)` iterates an object in its JSON key order (cart lines in
//!   the order they were added); plain `pairs` has no order.
//! - `cocart.cart()` and `cocart.context()` return the current request's cart snapshot
//!   and context (`{cart_key, user_id, route, api}`) when the hook was fired through
//!   [`ScopedHooks`], else `nil`.
//! - `cocart_register_extension_callback` receives a registry table:
//!   `registry:register({ name = ..., callback = fn })` adds a `cart/update` namespace
//!   whose `fn(request, nil)` may return an error table. The registry is built afresh for
//!   each request and the callback called in the same state (see `Hooks::run_extension`),
//!   since states are pooled.
//!
//! Values cross as JSON: objects become tables that remember their key order, arrays
//! carry a marker so they stay arrays, nested JSON null is `cocart.null` while a null
//! argument is `nil`, and integers stay integers (see `convert`). A table a script
//! builds becomes an array when it is a sequence (or empty) and an object otherwise.
//!
//! # The sandbox
//!
//! Scripts get the base library without `dofile`, `loadfile` and `collectgarbage`
//! (`load` takes text chunks only), plus `table`, `string` (without `dump`), `math`,
//! `utf8` and `os.time`/`os.clock`/`os.date`. There is no `io`, `debug`, `package` or
//! C module loading. `require("a.b")` loads `a/b.lua` from the hooks folder only. Each
//! callback runs under an instruction budget and a time budget that `pcall` cannot
//! swallow, and each Lua state under a memory limit. A failing callback is logged,
//! counted in [`HookRuntime::error_counts`] and skipped, unless `fail_closed` is set.
//! The time budget is checked between VM instructions, so a single long-running C
//! library call (a pathological `string.find` pattern) is bounded by the memory limit
//! and its input size rather than by the clock.

pub mod config;
mod convert;
mod host;
mod known;
mod runtime;
mod scope;
mod state;

pub use config::HooksConfig;
pub use host::HookHost;
pub use known::{FIRED_HOOKS, HookKind, KNOWN_HOOKS, KnownHook, is_fired};
pub use runtime::{HookLoadError, HookRuntime};
pub use scope::{RequestScope, ScopedHooks};
pub use state::HOOK_ALIASES;

#[cfg(test)]
mod example_scripts;
#[cfg(test)]
mod tests;
