//! The `[hooks]` section of the configuration: which Lua scripts to load and the limits
//! every script call runs under.
//!
//! It lives next to the runtime so the runtime's defaults and its documentation stay in one
//! place; the main configuration embeds it as its `hooks` field.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Merchant hook scripts and the sandbox limits they run under.
///
/// ```toml
/// [hooks]
/// dir = "hooks"
/// scripts = ["require-item.lua", "add-sku.lua"]
/// [hooks.settings.require-item]
/// required_product_id = 12
/// ```
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(default)]
pub struct HooksConfig {
    /// Folder holding the scripts, relative to the working directory unless absolute. `require` inside a script only loads modules from this folder.
    pub dir: PathBuf,
    /// Script files to load, relative to `dir`, in this order. Callbacks with equal
    /// priorities run in the order the scripts registered them, so this order matters.
    pub scripts: Vec<String>,
    /// Per-script settings, keyed by the script's file stem (`require-item` for
    /// `require-item.lua`). A script reads its own entry as `cocart.settings`; a script
    /// with no entry gets an empty table.
    pub settings: BTreeMap<String, Value>,
    /// Lua VM instructions one callback may execute before it is stopped (counted in
    /// steps of at most 1000 instructions). Also bounds each script's top-level run at
    /// start-up.
    pub instruction_budget: u64,
    /// Wall-clock milliseconds one callback may run before it is stopped.
    pub time_budget_ms: u64,
    /// Bytes of memory each Lua state may allocate (its scripts, their data and every
    /// value passed in). An allocation past the limit fails the running callback. 0
    /// means no limit.
    pub memory_limit_bytes: usize,
    /// When true, a failing callback fails the hook call (`Err(HookError)`) instead of
    /// being skipped. The cart domain turns that error into a 500 for validation hooks
    /// (`crate::cart::hook_args::validation_filter`) and carries on with the unfiltered
    /// value for every other hook.
    pub fail_closed: bool,
    /// Number of Lua states, each with every script loaded, so that concurrent requests
    /// never wait on one another. 0 (the default) means one per CPU.
    pub pool_size: usize,
}

impl HooksConfig {
    /// Default for [`HooksConfig::instruction_budget`].
    pub const DEFAULT_INSTRUCTION_BUDGET: u64 = 1_000_000;
    /// Default for [`HooksConfig::time_budget_ms`].
    pub const DEFAULT_TIME_BUDGET_MS: u64 = 50;
    /// Default for [`HooksConfig::memory_limit_bytes`]: 16 MiB.
    pub const DEFAULT_MEMORY_LIMIT_BYTES: usize = 16 * 1024 * 1024;

    /// The folder scripts are read from: `dir` resolved against `base_dir` (the daemon
    /// passes its working directory) when it is relative.
    pub fn resolved_dir(&self, base_dir: &std::path::Path) -> PathBuf {
        base_dir.join(&self.dir)
    }

    /// How many Lua states to keep: `pool_size`, or the number of CPUs when it is 0.
    pub fn states(&self) -> usize {
        match self.pool_size {
            0 => std::thread::available_parallelism().map_or(1, usize::from),
            n => n,
        }
    }
}

impl Default for HooksConfig {
    fn default() -> Self {
        HooksConfig {
            dir: PathBuf::from("hooks"),
            scripts: Vec::new(),
            settings: BTreeMap::new(),
            instruction_budget: Self::DEFAULT_INSTRUCTION_BUDGET,
            time_budget_ms: Self::DEFAULT_TIME_BUDGET_MS,
            memory_limit_bytes: Self::DEFAULT_MEMORY_LIMIT_BYTES,
            fail_closed: false,
            pool_size: 0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn missing_keys_take_their_defaults() {
        let config: HooksConfig = serde_json::from_value(json!({ "scripts": ["a.lua"] })).unwrap();
        assert_eq!(config.dir, PathBuf::from("hooks"));
        assert_eq!(config.scripts, vec!["a.lua".to_string()]);
        assert_eq!(config.instruction_budget, 1_000_000);
        assert_eq!(config.time_budget_ms, 50);
        assert_eq!(config.memory_limit_bytes, 16 * 1024 * 1024);
        assert!(!config.fail_closed);
        assert_eq!(config.pool_size, 0);
        assert!(config.states() >= 1);
    }

    #[test]
    fn settings_are_keyed_by_script_stem() {
        let config: HooksConfig = serde_json::from_value(json!({
            "settings": { "require-item": { "required_product_id": 12 } }
        }))
        .unwrap();
        assert_eq!(
            config.settings["require-item"],
            json!({ "required_product_id": 12 })
        );
    }

    #[test]
    fn the_documented_toml_section_loads_through_figment() {
        use figment::providers::{Format, Toml};
        #[derive(Deserialize)]
        struct Wrapper {
            hooks: HooksConfig,
        }
        let toml = r#"
            [hooks]
            dir = "hooks"
            scripts = ["require-item.lua", "add-sku.lua"]
            fail_closed = true
            [hooks.settings.require-item]
            required_product_id = 12
        "#;
        let wrapper: Wrapper = figment::Figment::from(Toml::string(toml))
            .extract()
            .unwrap();
        assert_eq!(
            wrapper.hooks.scripts,
            vec!["require-item.lua".to_string(), "add-sku.lua".to_string()]
        );
        assert!(wrapper.hooks.fail_closed);
        assert_eq!(
            wrapper.hooks.settings["require-item"],
            json!({ "required_product_id": 12 })
        );
        assert_eq!(
            wrapper.hooks.time_budget_ms,
            HooksConfig::DEFAULT_TIME_BUDGET_MS
        );
    }

    #[test]
    fn relative_dir_resolves_against_the_base_dir() {
        let config = HooksConfig::default();
        assert_eq!(
            config.resolved_dir(std::path::Path::new("/etc/cartd")),
            PathBuf::from("/etc/cartd/hooks")
        );
    }
}
