//! One sandboxed Lua state with every merchant script loaded into it.
//!
//! The runtime keeps a pool of these. Each state:
//! - offers only the base library (without `dofile`, `loadfile`, `collectgarbage`;
//!   `load` accepts text chunks only), `table`, `string` (without `dump`), `math`, `utf8`
//!   and `os.time`/`os.clock`/`os.date`; no `io`, `debug`, `package` or C modules;
//! - offers `require(name)` for modules inside the hooks folder only (`a.b` loads
//!   `<dir>/a/b.lua`; names are letters, digits, `_` and `-` separated by dots);
//! - runs each script in its own environment whose `cocart` table carries that script's
//!   settings, logger and registration functions;
//! - stops any callback past its instruction or time budget (an instruction hook that
//!   `pcall` cannot swallow) and any allocation past the memory limit;
//! - builds CoCart's `cart/update` extension registry afresh for each call that fires its
//!   registration action, so what scripts register lives exactly as long as that call.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use mlua::chunk::ChunkMode;
use mlua::{
    Function, HookTriggers, Lua, LuaOptions, MultiValue, StdLib, Table, Value as LuaValue,
    Variadic, VmState,
};
use serde_json::Value;

use super::HookLoadError;
use super::config::HooksConfig;
use super::convert::JsonBridge;
use super::scope::RequestScope;
use crate::cart::hooks::{ExtensionOutcome, HookError};

/// Hook names whose callbacks also run at the end of another name's chain: (fired name,
/// alias). Seed 003 documents `cocart_ok_to_add_message`, which CoCart 4.4 never fires;
/// its callbacks run right after those of `cocart_ok_to_add_response`.
pub const HOOK_ALIASES: &[(&str, &str)] =
    &[("cocart_ok_to_add_response", "cocart_ok_to_add_message")];

/// Priority of a callback registered without one (WordPress's default).
const DEFAULT_PRIORITY: i64 = 10;

/// Most VM instructions between two budget checks.
const MAX_CHECK_INTERVAL: u64 = 1000;

/// The sandbox limits one state enforces.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Limits {
    /// VM instructions one call may run.
    instruction_budget: u64,
    /// Wall-clock time one call may run.
    time_budget: Duration,
    /// Bytes the state may allocate.
    memory_limit: usize,
}

impl Limits {
    pub(crate) fn from_config(config: &HooksConfig) -> Limits {
        Limits {
            instruction_budget: config.instruction_budget.max(1),
            time_budget: Duration::from_millis(config.time_budget_ms),
            memory_limit: config.memory_limit_bytes,
        }
    }

    /// Instructions between two budget checks.
    fn check_interval(&self) -> u64 {
        self.instruction_budget.min(MAX_CHECK_INTERVAL)
    }
}

/// A script as read from disk, shared by every state of the pool.
pub(crate) struct ScriptSource {
    /// The path as configured, used in messages and as the chunk name.
    pub(crate) file: String,
    /// The file stem, which keys the script's settings.
    pub(crate) stem: String,
    /// The Lua source text.
    pub(crate) code: String,
}

/// A callback that failed; the runtime logs and counts it and applies its policy.
pub(crate) struct CallbackFailure {
    /// The script that registered the callback.
    pub(crate) script: Arc<str>,
    /// What went wrong, with file and line when Lua knows them.
    pub(crate) message: String,
}

/// One registered callback.
struct Callback {
    /// The script that registered it.
    script: Arc<str>,
    /// The Lua function.
    function: Function,
}

/// App data: the registrations made while scripts load. Closed once loading ends, so the
/// set of registered names is fixed for the runtime's lifetime.
struct RegistrationWindow {
    open: bool,
    entries: Vec<(String, i64, Callback)>,
}

/// App data: the budget of the call in progress.
struct CallBudget {
    /// True while a call runs; the instruction hook does nothing otherwise.
    armed: bool,
    /// Budget checks left before the instruction budget is spent.
    checks_left: u64,
    /// When the time budget is spent.
    deadline: Instant,
    /// Which budget ran out during this call, if any.
    spent: Option<BudgetSpent>,
}

#[derive(Debug, Clone, Copy)]
enum BudgetSpent {
    Instructions,
    Time,
}

/// App data: the request the current call belongs to, for `cocart.cart()` and
/// `cocart.context()`.
struct ActiveScope(Option<Arc<RequestScope>>);

/// A Lua state with the scripts loaded and callbacks grouped by hook name.
pub(crate) struct ScriptState {
    lua: Lua,
    bridge: JsonBridge,
    /// Callbacks per fired hook name, in run order (priority, then registration order;
    /// alias callbacks appended).
    chains: HashMap<String, Vec<Callback>>,
    limits: Limits,
    /// Builds an extension registry: `(reserved) -> registry, entries` (see
    /// [`EXTENSION_REGISTRY`]).
    new_registry: Function,
}

impl ScriptState {
    /// Builds a state and runs every script's top level in it. Returns the state and the
    /// hook names the scripts registered (aliases as written).
    pub(crate) fn load(
        config: &HooksConfig,
        dir: &Path,
        sources: &[ScriptSource],
    ) -> Result<(ScriptState, Vec<String>), HookLoadError> {
        let limits = Limits::from_config(config);
        let setup = |error: mlua::Error| HookLoadError::Setup(error.to_string());
        let lua = Lua::new_with(
            StdLib::TABLE | StdLib::STRING | StdLib::MATH | StdLib::UTF8 | StdLib::OS,
            LuaOptions::new(),
        )
        .map_err(setup)?;
        let bridge = JsonBridge::new(&lua).map_err(setup)?;
        lua.set_app_data(RegistrationWindow {
            open: true,
            entries: Vec::new(),
        });
        lua.set_app_data(CallBudget {
            armed: false,
            checks_left: 0,
            deadline: Instant::now(),
            spent: None,
        });
        lua.set_app_data(ActiveScope(None));
        install_budget_hook(&lua, limits).map_err(setup)?;
        let new_registry = registry_builder(&lua).map_err(setup)?;
        let mut state = ScriptState {
            lua,
            bridge,
            chains: HashMap::new(),
            limits,
            new_registry,
        };
        let shared = state.shared_api().map_err(setup)?;
        state
            .restrict_globals(dir, config, &shared)
            .map_err(setup)?;
        state
            .lua
            .set_memory_limit(limits.memory_limit)
            .map_err(setup)?;

        for source in sources {
            state.run_script(source, config, &shared)?;
        }

        let entries = match state.lua.app_data_mut::<RegistrationWindow>() {
            Some(mut window) => {
                window.open = false;
                std::mem::take(&mut window.entries)
            }
            None => Vec::new(),
        };
        let mut registered: Vec<String> = entries.iter().map(|(name, _, _)| name.clone()).collect();
        registered.sort();
        registered.dedup();
        state.chains = build_chains(entries);
        Ok((state, registered))
    }

    /// Hook names that have at least one callback (aliases folded into their fired name).
    pub(crate) fn fired_names(&self) -> impl Iterator<Item = &String> {
        self.chains.keys()
    }

    /// Runs the filter chain for `name`. A failing callback is handed to `report`; when
    /// `report` returns an error the chain stops with it, otherwise the value passes on
    /// as if that callback were absent.
    pub(crate) fn apply_filters(
        &self,
        name: &str,
        value: Value,
        args: &[Value],
        scope: Option<Arc<RequestScope>>,
        report: &mut dyn FnMut(CallbackFailure) -> Result<(), HookError>,
    ) -> Result<Value, HookError> {
        let Some(chain) = self.chains.get(name) else {
            return Ok(value);
        };
        let _scope = self.enter_scope(scope);
        let mut current = value;
        for callback in chain {
            match self.call(callback, Some(&current), args) {
                Ok(LuaValue::Nil) => {}
                Ok(returned) => match self.bridge.to_json(&returned) {
                    Ok(converted) => current = converted,
                    Err(error) => report(self.failure(
                        callback,
                        &error,
                        "its return value cannot become JSON: ",
                    ))?,
                },
                Err(error) => report(self.failure(callback, &error, ""))?,
            }
        }
        Ok(current)
    }

    /// Runs the action chain for `name`, with the same failure handling as filters.
    pub(crate) fn do_action(
        &self,
        name: &str,
        args: &[Value],
        scope: Option<Arc<RequestScope>>,
        report: &mut dyn FnMut(CallbackFailure) -> Result<(), HookError>,
    ) -> Result<(), HookError> {
        let Some(chain) = self.chains.get(name) else {
            return Ok(());
        };
        let _scope = self.enter_scope(scope);
        for callback in chain {
            if let Err(error) = self.call(callback, None, args) {
                report(self.failure(callback, &error, ""))?;
            }
        }
        Ok(())
    }

    /// Runs the action chain for `name` with a fresh extension registry (CoCart's
    /// `cocart_register_extension_callback`), then calls the callback registered under
    /// `namespace` as `callback(request, nil)`, all in this one state. `reserved` names
    /// (CoCart's built-in namespaces) count as registered already. `None` when no
    /// callback registered `namespace`. Failures of the chain and of the callback go to
    /// `report` as in [`ScriptState::do_action`]; a skipped callback failure returns
    /// JSON null, as if the callback returned nothing.
    pub(crate) fn run_extension(
        &self,
        name: &str,
        reserved: &[&str],
        namespace: &str,
        request: &Value,
        scope: Option<Arc<RequestScope>>,
        report: &mut dyn FnMut(CallbackFailure) -> Result<(), HookError>,
    ) -> Result<Option<ExtensionOutcome>, HookError> {
        let Some(chain) = self.chains.get(name) else {
            return Ok(None);
        };
        let _scope = self.enter_scope(scope);
        let (registry, entries) = match self.registry(reserved) {
            Ok(pair) => pair,
            Err(error) => {
                report(CallbackFailure {
                    script: Arc::from("cartd"),
                    message: format!(
                        "cannot build the extension registry: {}",
                        self.describe(&error)
                    ),
                })?;
                return Ok(None);
            }
        };
        // The script whose registration callback registered `namespace`, which answers
        // for the namespace's callback in the log.
        let mut owner = None;
        for callback in chain {
            let args = MultiValue::from_iter([LuaValue::Table(registry.clone())]);
            if let Err(error) = self.invoke(&callback.function, args) {
                report(self.failure(callback, &error, ""))?;
            }
            if owner.is_none() {
                owner =
                    registered(&entries, namespace).map(|entry| (callback.script.clone(), entry));
            }
        }
        let Some((script, entry)) = owner else {
            return Ok(None);
        };
        let Ok(LuaValue::Function(function)) = entry.raw_get::<LuaValue>("callback") else {
            return Ok(Some(ExtensionOutcome::NotCallable));
        };
        let extension = Callback { script, function };
        let returned = match self.call(&extension, Some(request), &[Value::Null]) {
            Ok(returned) => self.bridge.to_json(&returned).map_err(|error| {
                self.failure(&extension, &error, "its return value cannot become JSON: ")
            }),
            Err(error) => Err(self.failure(&extension, &error, "")),
        };
        match returned {
            Ok(value) => Ok(Some(ExtensionOutcome::Returned(value))),
            Err(failure) => {
                report(failure)?;
                Ok(Some(ExtensionOutcome::Returned(Value::Null)))
            }
        }
    }

    /// A fresh extension registry and the table its `register` fills (name → the
    /// registered table).
    fn registry(&self, reserved: &[&str]) -> mlua::Result<(Table, Table)> {
        let taken = self.lua.create_table()?;
        for name in reserved {
            taken.raw_set(*name, true)?;
        }
        self.new_registry.call::<(Table, Table)>(taken)
    }

    /// Calls one callback with fresh Lua copies of the value and arguments, so a callback
    /// that fails half-way leaves nothing behind for the next one.
    fn call(
        &self,
        callback: &Callback,
        value: Option<&Value>,
        args: &[Value],
    ) -> mlua::Result<LuaValue> {
        let mut lua_args = MultiValue::new();
        for argument in value.into_iter().chain(args) {
            lua_args.push_back(self.bridge.argument_to_lua(&self.lua, argument)?);
        }
        self.invoke(&callback.function, lua_args)
    }

    /// Calls `function` under a fresh budget.
    fn invoke(&self, function: &Function, args: MultiValue) -> mlua::Result<LuaValue> {
        self.arm_budget();
        let result = function.call::<LuaValue>(args);
        self.disarm_budget();
        result
    }

    fn failure(&self, callback: &Callback, error: &mlua::Error, prefix: &str) -> CallbackFailure {
        CallbackFailure {
            script: callback.script.clone(),
            message: format!("{prefix}{}", self.describe(error)),
        }
    }

    /// A one-line account of a Lua error: the budget that ran out, the memory limit, or
    /// Lua's own message (file:line: text) without the traceback.
    fn describe(&self, error: &mlua::Error) -> String {
        let spent = self
            .lua
            .app_data_ref::<CallBudget>()
            .and_then(|budget| budget.spent);
        match spent {
            Some(BudgetSpent::Instructions) => {
                format!(
                    "instruction budget of {} exceeded",
                    self.limits.instruction_budget
                )
            }
            Some(BudgetSpent::Time) => format!(
                "time budget of {} ms exceeded",
                self.limits.time_budget.as_millis()
            ),
            None if is_memory_error(error) => format!(
                "memory limit of {} bytes exceeded",
                self.limits.memory_limit
            ),
            None => lua_message(error),
        }
    }

    fn arm_budget(&self) {
        if let Some(mut budget) = self.lua.app_data_mut::<CallBudget>() {
            budget.armed = true;
            budget.checks_left = self
                .limits
                .instruction_budget
                .div_ceil(self.limits.check_interval());
            budget.deadline = Instant::now() + self.limits.time_budget;
            budget.spent = None;
        }
    }

    fn disarm_budget(&self) {
        if let Some(mut budget) = self.lua.app_data_mut::<CallBudget>() {
            budget.armed = false;
        }
    }

    /// Makes `scope` visible to `cocart.cart()`/`cocart.context()` until the guard drops.
    fn enter_scope(&self, scope: Option<Arc<RequestScope>>) -> ScopeGuard<'_> {
        self.lua.set_app_data(ActiveScope(scope));
        ScopeGuard { lua: &self.lua }
    }

    /// Compiles and runs one script's top level in its own environment.
    fn run_script(
        &self,
        source: &ScriptSource,
        config: &HooksConfig,
        shared: &SharedApi,
    ) -> Result<(), HookLoadError> {
        let script: Arc<str> = Arc::from(source.file.as_str());
        let settings = config.settings.get(&source.stem);
        if let Some(settings) = settings
            && !settings.is_object()
        {
            return Err(HookLoadError::InvalidSettings {
                script: source.file.clone(),
            });
        }
        let setup = |error: mlua::Error| HookLoadError::Setup(error.to_string());
        let environment = script_environment(&self.lua, &self.bridge, &script, settings, shared)
            .map_err(setup)?;
        let function = self
            .lua
            .load(source.code.as_str())
            .set_name(format!("@{}", source.file))
            .set_mode(ChunkMode::Text)
            .set_environment(environment)
            .into_function()
            .map_err(|error| HookLoadError::Compile {
                script: source.file.clone(),
                message: lua_message(&error),
            })?;
        self.arm_budget();
        let result = function.call::<()>(());
        self.disarm_budget();
        result.map_err(|error| HookLoadError::Run {
            script: source.file.clone(),
            message: self.describe(&error),
        })
    }

    /// The members every script's `cocart` table shares.
    fn shared_api(&self) -> mlua::Result<SharedApi> {
        let lua = &self.lua;
        let members = lua.create_table()?;
        members.raw_set("null", LuaValue::NULL)?;

        let json = lua.create_table()?;
        let bridge = self.bridge.clone();
        json.raw_set(
            "encode",
            lua.create_function(move |_, value: LuaValue| {
                let converted = bridge.to_json(&value)?;
                serde_json::to_string(&converted).map_err(mlua::Error::external)
            })?,
        )?;
        let bridge = self.bridge.clone();
        json.raw_set(
            "decode",
            lua.create_function(move |lua, text: mlua::LuaString| {
                let parsed: Value =
                    serde_json::from_slice(&text.as_bytes()).map_err(mlua::Error::external)?;
                bridge.value_to_lua(lua, &parsed)
            })?,
        )?;
        let bridge = self.bridge.clone();
        json.raw_set(
            "array",
            lua.create_function(move |lua, table: Option<Table>| {
                let table = match table {
                    Some(table) => table,
                    None => lua.create_table()?,
                };
                bridge.mark_array(&table)?;
                Ok(table)
            })?,
        )?;
        let bridge = self.bridge.clone();
        json.raw_set(
            "object",
            lua.create_function(move |lua, table: Option<Table>| {
                let table = match table {
                    Some(table) => table,
                    None => lua.create_table()?,
                };
                bridge.mark_object(lua, &table)?;
                Ok(table)
            })?,
        )?;
        json.raw_set("null", LuaValue::NULL)?;
        members.raw_set("json", json)?;

        let bridge = self.bridge.clone();
        members.raw_set(
            "ordered_pairs",
            lua.create_function(move |lua, table: Table| {
                let keys = bridge.ordered_keys(&table)?;
                let mut position = 0;
                let step = lua.create_function_mut(move |_, (table, _): (Table, LuaValue)| {
                    while let Some(key) = keys.get(position) {
                        position += 1;
                        let value: LuaValue = table.raw_get(key.clone())?;
                        if !value.is_nil() {
                            return Ok((key.clone(), value));
                        }
                    }
                    Ok((LuaValue::Nil, LuaValue::Nil))
                })?;
                Ok((step, table, LuaValue::Nil))
            })?,
        )?;
        for (member, pick) in [
            ("cart", scope_cart as fn(&RequestScope) -> &Value),
            ("context", scope_context),
        ] {
            let bridge = self.bridge.clone();
            members.raw_set(
                member,
                lua.create_function(move |lua, ()| {
                    let scope = lua
                        .app_data_ref::<ActiveScope>()
                        .and_then(|active| active.0.clone());
                    match scope {
                        Some(scope) => bridge.argument_to_lua(lua, pick(&scope)),
                        None => Ok(LuaValue::Nil),
                    }
                })?,
            )?;
        }
        Ok(SharedApi { members })
    }

    /// Trims the standard library to the sandbox and installs the guarded `pcall`,
    /// `xpcall`, `load` and the hooks-folder `require`.
    fn restrict_globals(
        &self,
        dir: &Path,
        config: &HooksConfig,
        shared: &SharedApi,
    ) -> mlua::Result<()> {
        let lua = &self.lua;
        let globals = lua.globals();
        for name in ["dofile", "loadfile", "collectgarbage", "print"] {
            globals.raw_set(name, LuaValue::Nil)?;
        }
        let string: Table = globals.raw_get("string")?;
        string.raw_set("dump", LuaValue::Nil)?;
        let os: Table = globals.raw_get("os")?;
        let safe_os = lua.create_table()?;
        for name in ["time", "clock", "date"] {
            safe_os.raw_set(name, os.raw_get::<LuaValue>(name)?)?;
        }
        globals.raw_set("os", safe_os)?;

        let budget_spent = lua.create_function(|lua, ()| {
            Ok(lua
                .app_data_ref::<CallBudget>()
                .is_some_and(|budget| budget.spent.is_some()))
        })?;
        lua.load(GUARDS_PRELUDE)
            .set_name("=cartd sandbox")
            .call::<()>((
                globals.raw_get::<Function>("pcall")?,
                globals.raw_get::<Function>("xpcall")?,
                globals.raw_get::<Function>("load")?,
                budget_spent,
            ))?;

        globals.raw_set(
            "require",
            self.module_loader(dir.to_path_buf(), config.settings.clone(), shared.clone())?,
        )?;
        Ok(())
    }

    /// `require(name)`: loads `<dir>/<name with dots as slashes>.lua` once per state.
    fn module_loader(
        &self,
        dir: PathBuf,
        settings: BTreeMap<String, Value>,
        shared: SharedApi,
    ) -> mlua::Result<Function> {
        let loaded = self.lua.create_table()?;
        let bridge = self.bridge.clone();
        self.lua.create_function(move |lua, name: String| {
            if let Some(module) = loaded.raw_get::<Option<LuaValue>>(name.as_str())? {
                return Ok(module);
            }
            let relative = module_path(&name).ok_or_else(|| {
                mlua::Error::runtime(format!(
                    "module '{name}' not allowed: require only loads modules from the hooks folder by dotted name"
                ))
            })?;
            let code = std::fs::read_to_string(dir.join(&relative))
                .map_err(|error| mlua::Error::runtime(format!("module '{name}' not found in the hooks folder: {error}")))?;
            let file = relative.to_string_lossy().into_owned();
            let script: Arc<str> = Arc::from(file.as_str());
            let stem = name.rsplit('.').next().unwrap_or(name.as_str());
            let environment = script_environment(lua, &bridge, &script, settings.get(stem), &shared)?;
            let module: LuaValue = lua
                .load(code)
                .set_name(format!("@{file}"))
                .set_mode(ChunkMode::Text)
                .set_environment(environment)
                .call(())?;
            let module = if module.is_nil() { LuaValue::Boolean(true) } else { module };
            loaded.raw_set(name, module.clone())?;
            Ok(module)
        })
    }
}

/// The environment of one script or module: its own `cocart` table and `print`, with
/// the sandboxed globals behind them.
fn script_environment(
    lua: &Lua,
    bridge: &JsonBridge,
    script: &Arc<str>,
    settings: Option<&Value>,
    shared: &SharedApi,
) -> mlua::Result<Table> {
    let cocart = lua.create_table()?;
    for pair in shared.members.pairs::<LuaValue, LuaValue>() {
        let (key, value) = pair?;
        cocart.raw_set(key, value)?;
    }
    cocart.raw_set("add_filter", registrar(lua, script.clone())?)?;
    cocart.raw_set("add_action", registrar(lua, script.clone())?)?;
    let settings = match settings {
        Some(settings) => bridge.value_to_lua(lua, settings)?,
        None => {
            let empty = lua.create_table()?;
            bridge.mark_object(lua, &empty)?;
            LuaValue::Table(empty)
        }
    };
    cocart.raw_set("settings", settings)?;
    let log = script_logger(lua, script.clone())?;
    cocart.raw_set("log", log.clone())?;

    let environment = lua.create_table()?;
    environment.raw_set("cocart", cocart)?;
    let info: Function = log.raw_get("info")?;
    environment.raw_set(
        "print",
        lua.create_function(move |_, parts: Variadic<LuaValue>| {
            let text = parts
                .iter()
                .map(LuaValue::to_string)
                .collect::<mlua::Result<Vec<_>>>()?
                .join("\t");
            info.call::<()>(text)
        })?,
    )?;
    let fallback = lua.create_table()?;
    fallback.raw_set("__index", lua.globals())?;
    environment.set_metatable(Some(fallback))?;
    Ok(environment)
}

/// Clears the request scope when a chain ends, even on early return.
struct ScopeGuard<'a> {
    lua: &'a Lua,
}

impl Drop for ScopeGuard<'_> {
    fn drop(&mut self) {
        self.lua.set_app_data(ActiveScope(None));
    }
}

/// The `cocart` members that do not depend on the script.
#[derive(Clone)]
struct SharedApi {
    members: Table,
}

fn scope_cart(scope: &RequestScope) -> &Value {
    &scope.cart
}

fn scope_context(scope: &RequestScope) -> &Value {
    &scope.context
}

/// Replaces `pcall`/`xpcall` so a spent budget cannot be caught and ignored, and `load`
/// so it only accepts text. Receives the original functions and a budget probe.
const GUARDS_PRELUDE: &str = r##"
local raw_pcall, raw_xpcall, raw_load, budget_spent = ...
local error, select = error, select
local function rethrow_if_spent(ok, ...)
  if not ok and budget_spent() then error((...), 0) end
  return ok, ...
end
pcall = function(f, ...) return rethrow_if_spent(raw_pcall(f, ...)) end
xpcall = function(f, handler, ...) return rethrow_if_spent(raw_xpcall(f, handler, ...)) end
load = function(chunk, chunkname, _mode, ...)
  if select("#", ...) > 0 then return raw_load(chunk, chunkname, "t", (...)) end
  return raw_load(chunk, chunkname, "t")
end
"##;

/// Builds one `cart/update` extension registry per call, for CoCart's
/// `cocart_register_extension_callback(registry)`. Written in Lua so the registry's
/// `register` closes over its own tables through upvalues the collector can see (a Rust
/// closure holding the registry would keep it alive for good). `register` accepts
/// `registry.register(cb)` and `registry:register(cb)`, where `cb` is
/// `{ name = "...", callback = function(request, controller) ... end }`; a name already
/// registered (or reserved) is refused with `false` and a warning, as CoCart does.
/// Receives the warning function; returns `function(reserved) -> registry, entries`.
const EXTENSION_REGISTRY: &str = r##"
local already_registered = ...
local error, rawequal, type = error, rawequal, type
return function(reserved)
  local entries = {}
  local registry = {}
  function registry.register(first, second)
    local callback = first
    if rawequal(first, registry) then callback = second end
    if type(callback) ~= "table" then
      error("register expects a table { name = ..., callback = function }", 2)
    end
    local name = callback.name
    if type(name) ~= "string" or name == "" then
      error("register expects a table whose name is a non-empty string", 2)
    end
    if reserved[name] or entries[name] ~= nil then
      already_registered(name)
      return false
    end
    entries[name] = callback
    return true
  end
  return registry, entries
end
"##;

/// Compiles [`EXTENSION_REGISTRY`] into the function that builds each registry.
fn registry_builder(lua: &Lua) -> mlua::Result<Function> {
    let already_registered = lua.create_function(|_, name: String| {
        tracing::warn!(
            target: "cartd::hooks::script",
            namespace = %name,
            "extension \"{name}\" is already registered; registration refused"
        );
        Ok(())
    })?;
    lua.load(EXTENSION_REGISTRY)
        .set_name("=cartd extension registry")
        .call::<Function>(already_registered)
}

/// The table registered under `namespace` in an extension registry's entries, if any.
fn registered(entries: &Table, namespace: &str) -> Option<Table> {
    match entries.raw_get::<LuaValue>(namespace) {
        Ok(LuaValue::Table(entry)) => Some(entry),
        _ => None,
    }
}

/// Installs the instruction hook that enforces both budgets of the armed call.
fn install_budget_hook(lua: &Lua, limits: Limits) -> mlua::Result<()> {
    let interval = u32::try_from(limits.check_interval()).unwrap_or(u32::MAX);
    lua.set_hook(
        HookTriggers::new().every_nth_instruction(interval),
        |lua, _debug| {
            let Some(mut budget) = lua.app_data_mut::<CallBudget>() else {
                return Ok(VmState::Continue);
            };
            if !budget.armed {
                return Ok(VmState::Continue);
            }
            if budget.spent.is_none() {
                budget.checks_left = budget.checks_left.saturating_sub(1);
                if budget.checks_left == 0 {
                    budget.spent = Some(BudgetSpent::Instructions);
                } else if Instant::now() >= budget.deadline {
                    budget.spent = Some(BudgetSpent::Time);
                }
            }
            match budget.spent {
                Some(BudgetSpent::Instructions) => {
                    Err(mlua::Error::runtime("instruction budget exceeded"))
                }
                Some(BudgetSpent::Time) => Err(mlua::Error::runtime("time budget exceeded")),
                None => Ok(VmState::Continue),
            }
        },
    )
}

/// `cocart.add_filter` / `cocart.add_action` for one script: `(name, fn [, priority])`.
fn registrar(lua: &Lua, script: Arc<str>) -> mlua::Result<Function> {
    lua.create_function(
        move |lua, (name, function, priority): (String, Function, Option<i64>)| {
            let mut window = lua
                .app_data_mut::<RegistrationWindow>()
                .ok_or_else(|| mlua::Error::runtime("hook registration is unavailable"))?;
            if !window.open {
                return Err(mlua::Error::runtime(
                    "hooks can only be registered while the script loads",
                ));
            }
            if name.is_empty() {
                return Err(mlua::Error::runtime("hook name must not be empty"));
            }
            let callback = Callback {
                script: script.clone(),
                function,
            };
            window
                .entries
                .push((name, priority.unwrap_or(DEFAULT_PRIORITY), callback));
            Ok(())
        },
    )
}

/// `cocart.log` for one script: `info`, `warn` and `error` functions, and callable as
/// `cocart.log(level, message)`.
fn script_logger(lua: &Lua, script: Arc<str>) -> mlua::Result<Table> {
    let log = lua.create_table()?;
    for level in ["info", "warn", "error"] {
        let script = script.clone();
        log.raw_set(
            level,
            lua.create_function(move |_, message: LuaValue| {
                emit_log(level, &script, &message.to_string()?);
                Ok(())
            })?,
        )?;
    }
    let callable = lua.create_table()?;
    callable.raw_set(
        "__call",
        lua.create_function(
            move |_, (_, level, message): (LuaValue, String, LuaValue)| {
                let level = match level.as_str() {
                    "warn" | "warning" => "warn",
                    "error" => "error",
                    _ => "info",
                };
                emit_log(level, &script, &message.to_string()?);
                Ok(())
            },
        )?,
    )?;
    log.set_metatable(Some(callable))?;
    Ok(log)
}

fn emit_log(level: &str, script: &str, message: &str) {
    match level {
        "error" => tracing::error!(target: "cartd::hooks::script", script, "{message}"),
        "warn" => tracing::warn!(target: "cartd::hooks::script", script, "{message}"),
        _ => tracing::info!(target: "cartd::hooks::script", script, "{message}"),
    }
}

/// Groups registrations into run order: ascending priority, registration order within a
/// priority; alias callbacks run after those of the name they alias.
fn build_chains(entries: Vec<(String, i64, Callback)>) -> HashMap<String, Vec<Callback>> {
    let mut grouped: HashMap<String, Vec<(i64, Callback)>> = HashMap::new();
    for (name, priority, callback) in entries {
        grouped.entry(name).or_default().push((priority, callback));
    }
    let mut chains: HashMap<String, Vec<Callback>> = grouped
        .into_iter()
        .map(|(name, mut callbacks)| {
            callbacks.sort_by_key(|(priority, _)| *priority);
            (
                name,
                callbacks
                    .into_iter()
                    .map(|(_, callback)| callback)
                    .collect(),
            )
        })
        .collect();
    for (fired, alias) in HOOK_ALIASES {
        if let Some(aliased) = chains.remove(*alias) {
            chains
                .entry((*fired).to_string())
                .or_default()
                .extend(aliased);
        }
    }
    chains
}

/// The file a module name maps to, or None when the name could leave the hooks folder.
fn module_path(name: &str) -> Option<PathBuf> {
    let allowed = |segment: &str| {
        !segment.is_empty()
            && segment
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    };
    if !name.split('.').all(allowed) {
        return None;
    }
    let mut path: PathBuf = name.split('.').collect();
    path.set_extension("lua");
    Some(path)
}

/// Lua's own message for an error (for syntax and runtime errors: `file:line: text`),
/// without mlua's wrapping or the stack traceback.
fn lua_message(error: &mlua::Error) -> String {
    let message = match error {
        mlua::Error::SyntaxError { message, .. } => message.clone(),
        mlua::Error::RuntimeError(message) | mlua::Error::MemoryError(message) => message.clone(),
        mlua::Error::CallbackError { cause, .. } => return lua_message(cause),
        mlua::Error::WithContext { cause, .. } => return lua_message(cause),
        other => other.to_string(),
    };
    match message.find("\nstack traceback:") {
        Some(end) => message[..end].to_string(),
        None => message,
    }
}

fn is_memory_error(error: &mlua::Error) -> bool {
    match error {
        mlua::Error::MemoryError(_) => true,
        mlua::Error::CallbackError { cause, .. } | mlua::Error::WithContext { cause, .. } => {
            is_memory_error(cause)
        }
        _ => false,
    }
}
