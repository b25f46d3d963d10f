//! Configuration: built-in defaults, then a TOML file, then `CARTD_*` environment variables.
//!
//! One [`Config`] value is read at start-up and shared read-only. Every field has a
//! default so `cartd serve` works with no file at all; `config/cartd.example.toml`
//! documents every key and a test keeps it equal to [`Config::default`]. Errors name the
//! key and where its value came from (figment tracks both), and keys that no field reads
//! are reported as warnings so a typo does not pass silently.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use figment::value::{Dict, Value};
use serde::{Deserialize, Serialize};

use crate::hooks::HooksConfig;

/// Where the configuration file is looked for when `--config` is not given, in order.
pub const DEFAULT_CONFIG_PATHS: [&str; 2] = ["config/cartd.toml", "/etc/cartd/cartd.toml"];

/// The prefix of environment variables that override the file; `__` separates sections
/// (`CARTD_SESSION__EXPIRATION_SECS`).
pub const ENV_PREFIX: &str = "CARTD_";

/// Everything cartd can be told. See `config/cartd.example.toml` for each key's meaning.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Config {
    /// Address and port the HTTP server listens on.
    pub listen: SocketAddr,
    /// The redb data file holding carts, customers and the catalog. Parent folders are
    /// created.
    pub data_path: PathBuf,
    /// Request bodies larger than this get 413.
    pub max_body_bytes: usize,
    /// On SIGINT/SIGTERM, how long in-flight requests may take to finish before their
    /// connections are closed.
    pub shutdown_timeout_secs: u64,
    /// A client must send its request headers within this many seconds.
    pub header_read_timeout_secs: u64,
    /// A keep-alive connection with no request for this many seconds is closed.
    pub idle_timeout_secs: u64,
    /// Cart sessions: lifetimes and clean-up.
    pub session: SessionConfig,
    /// How the shop describes itself (`GET /cocart/v2/store`).
    pub store: StoreConfig,
    /// What the catalog is filled from.
    pub catalog: CatalogConfig,
    /// Cart behaviour switches.
    pub cart: CartConfig,
    /// Merchant Lua scripts hooking CoCart's actions and filters.
    pub hooks: HooksConfig,
    /// Authentication throttling.
    pub auth: AuthConfig,
    /// The gateways the CoCart Pro v1 payment-methods routes offer.
    pub payments: crate::api::v1::payments::PaymentsConfig,
    /// Cross-origin requests from browsers.
    pub cors: CorsConfig,
    /// Logging.
    pub log: LogConfig,
}

/// `[session]`: how long carts live (CoCart's `cocart_cart_expiration` and
/// `cocart_cart_expiring`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SessionConfig {
    /// A cart expires this many seconds after the last request that named it.
    pub expiration_secs: u64,
    /// The "expiring" mark reported in `CoCart-API-Cart-Expiring`, seconds from now.
    pub expiring_secs: u64,
    /// How often expired carts are deleted, in seconds.
    pub cleanup_interval_secs: u64,
    /// A registered customer's cart expires this many seconds after their last request.
    pub customer_expiration_secs: u64,
}

/// `[store]`: the site facts WordPress would hold (the address comes from the catalog's
/// store settings).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoreConfig {
    /// Site title.
    pub title: String,
    /// Site tagline.
    pub description: String,
    /// Site language tag.
    pub language: String,
    /// Time zone name.
    pub timezone: String,
}

/// `[catalog]`: what the catalog is filled from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CatalogConfig {
    /// Load the built-in demo catalog into a new, empty data file.
    pub demo: bool,
    /// WooCommerce exports imported at start-up when the catalog is empty (a REST JSON
    /// folder, a product CSV or a tax-rate CSV); they replace the demo catalog.
    pub import: Vec<PathBuf>,
}

/// `[cart]`: switches for behaviour where live CoCart is unsafe.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CartConfig {
    /// Honour add-item's `price` parameter (a custom unit price) from administrators and
    /// shop managers. Off by default: live CoCart lets anyone set it.
    pub allow_price_override: bool,
}

/// `[auth]`: throttling of failed logins.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuthConfig {
    /// Failed attempts for one user or one client address before further attempts get 429.
    pub max_failures: u32,
    /// Seconds a throttled user or address waits (sent as `Retry-After`).
    pub lockout_secs: u64,
}

/// `[cors]`: which browser origins get the `Access-Control-*` headers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CorsConfig {
    /// Origins allowed to call the API from a browser. `"*"` reflects any origin, as
    /// WordPress does.
    pub allowed_origins: Vec<String>,
}

/// `[log]`: what is logged and how.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LogConfig {
    /// Level filter in `RUST_LOG` syntax (`info`, `cartd=debug`); `RUST_LOG` overrides it.
    pub level: String,
    /// `pretty` for people, `json` for log shippers.
    pub format: LogFormat,
}

/// The shape of log lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    /// Human-readable, coloured on a terminal.
    Pretty,
    /// One JSON object per line.
    Json,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            data_path: PathBuf::from("data/cartd.redb"),
            max_body_bytes: 1024 * 1024,
            shutdown_timeout_secs: 10,
            header_read_timeout_secs: 10,
            idle_timeout_secs: 60,
            session: SessionConfig {
                expiration_secs: 7 * 24 * 3600,
                expiring_secs: 6 * 24 * 3600,
                cleanup_interval_secs: 12 * 3600,
                customer_expiration_secs: 365 * 24 * 3600,
            },
            store: StoreConfig {
                title: "cartd".into(),
                description: String::new(),
                language: "en-US".into(),
                timezone: "UTC".into(),
            },
            catalog: CatalogConfig {
                demo: true,
                import: Vec::new(),
            },
            cart: CartConfig {
                allow_price_override: false,
            },
            hooks: HooksConfig::default(),
            auth: AuthConfig {
                max_failures: 5,
                lockout_secs: 300,
            },
            payments: Default::default(),
            cors: CorsConfig {
                allowed_origins: vec!["*".into()],
            },
            log: LogConfig {
                level: "info".into(),
                format: LogFormat::Pretty,
            },
        }
    }
}

/// A configuration that could not be loaded. The message names the key and its source.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// A value has the wrong type or form.
    #[error("invalid configuration: {0}")]
    Invalid(#[from] Box<figment::Error>),
    /// A value has the right type but is not usable.
    #[error("invalid configuration: key {key:?}: {problem}")]
    Rejected {
        /// Dotted key path.
        key: &'static str,
        /// What is wrong with it.
        problem: String,
    },
}

/// A loaded configuration and the keys in its sources that no field reads.
#[derive(Debug)]
pub struct Loaded {
    /// The configuration.
    pub config: Config,
    /// `key (source)` for every unknown key, for warnings.
    pub unknown_keys: Vec<String>,
}

impl Config {
    /// The layers in order: defaults, then `file` (or the first of
    /// [`DEFAULT_CONFIG_PATHS`] that exists), then `CARTD_*` variables.
    pub fn figment(file: Option<&Path>) -> Figment {
        let mut figment = Figment::from(Serialized::defaults(Config::default()));
        let file = file.map(Path::to_path_buf).or_else(|| {
            DEFAULT_CONFIG_PATHS
                .iter()
                .map(PathBuf::from)
                .find(|p| p.exists())
        });
        if let Some(path) = file {
            figment = figment.merge(Toml::file_exact(path));
        }
        figment.merge(Env::prefixed(ENV_PREFIX).split("__"))
    }

    /// Loads and validates the configuration.
    pub fn load(file: Option<&Path>) -> Result<Loaded, ConfigError> {
        Self::from_figment(&Self::figment(file))
    }

    /// Extracts and validates the configuration from any figment (tests build their own).
    pub fn from_figment(figment: &Figment) -> Result<Loaded, ConfigError> {
        let config: Config = figment.extract().map_err(Box::new)?;
        config.validate()?;
        let merged: Dict = figment.extract().map_err(Box::new)?;
        let defaults = Value::serialize(Config::default()).map_err(Box::new)?;
        let mut unknown_keys = Vec::new();
        if let Value::Dict(_, defaults) = defaults {
            collect_unknown_keys(figment, "", &merged, &defaults, &mut unknown_keys);
        }
        Ok(Loaded {
            config,
            unknown_keys,
        })
    }

    /// Checks rules that types alone cannot express.
    fn validate(&self) -> Result<(), ConfigError> {
        let rules: [(&'static str, bool, &str); 4] = [
            ("max_body_bytes", self.max_body_bytes > 0, "must be above 0"),
            (
                "session.expiration_secs",
                self.session.expiration_secs > 0,
                "must be above 0",
            ),
            (
                "session.expiring_secs",
                self.session.expiring_secs <= self.session.expiration_secs,
                "must not exceed session.expiration_secs",
            ),
            (
                "session.cleanup_interval_secs",
                self.session.cleanup_interval_secs > 0,
                "must be above 0",
            ),
        ];
        match rules.into_iter().find(|(_, ok, _)| !ok) {
            Some((key, _, problem)) => Err(ConfigError::Rejected {
                key,
                problem: problem.to_owned(),
            }),
            None => Ok(()),
        }
    }
}

/// Walks the merged configuration and records keys the defaults do not have. A default
/// that is an empty table (such as `hooks.settings`) accepts any keys below it.
fn collect_unknown_keys(
    figment: &Figment,
    prefix: &str,
    merged: &Dict,
    defaults: &Dict,
    out: &mut Vec<String>,
) {
    for (key, value) in merged {
        let path = if prefix.is_empty() {
            key.clone()
        } else {
            format!("{prefix}.{key}")
        };
        match (defaults.get(key), value) {
            (None, _) => {
                let source = figment
                    .find_metadata(&path)
                    .map(|md| match &md.source {
                        Some(source) => format!("{} {}", md.name, source),
                        None => md.name.to_string(),
                    })
                    .unwrap_or_else(|| "unknown source".into());
                out.push(format!("{path} ({source})"));
            }
            (Some(Value::Dict(_, inner_defaults)), Value::Dict(_, inner))
                if !inner_defaults.is_empty() =>
            {
                collect_unknown_keys(figment, &path, inner, inner_defaults, out);
            }
            _ => {}
        }
    }
}

#[cfg(test)]
#[allow(clippy::result_large_err)] // figment's Jail API returns its own large error
mod tests {
    use super::*;
    use figment::Jail;

    #[test]
    fn example_file_parses_and_equals_the_defaults() {
        let example = concat!(env!("CARGO_MANIFEST_DIR"), "/config/cartd.example.toml");
        let figment =
            Figment::from(Serialized::defaults(Config::default())).merge(Toml::file_exact(example));
        let loaded = Config::from_figment(&figment).expect("example parses");
        assert_eq!(loaded.config, Config::default());
        assert!(loaded.unknown_keys.is_empty(), "{:?}", loaded.unknown_keys);
        // Every key of the defaults is documented in the example (and nothing else is).
        let example_dict: Dict = Figment::from(Toml::file_exact(example)).extract().unwrap();
        let Value::Dict(_, defaults) = Value::serialize(Config::default()).unwrap() else {
            panic!("defaults serialize to a table");
        };
        assert_same_keys("", &example_dict, &defaults);
    }

    fn assert_same_keys(prefix: &str, a: &Dict, b: &Dict) {
        let keys = |d: &Dict| d.keys().cloned().collect::<Vec<_>>();
        assert_eq!(keys(a), keys(b), "keys under {prefix:?}");
        for (key, value) in a {
            if let (Value::Dict(_, a), Some(Value::Dict(_, b))) = (value, b.get(key)) {
                assert_same_keys(key, a, b);
            }
        }
    }

    #[test]
    fn env_overrides_file_overrides_defaults() {
        Jail::expect_with(|jail| {
            jail.create_file(
                "cartd.toml",
                "listen = \"127.0.0.1:9000\"\ndata_path = \"from-file.redb\"\n[session]\nexpiration_secs = 100\nexpiring_secs = 50\n",
            )?;
            jail.set_env("CARTD_DATA_PATH", "from-env.redb");
            jail.set_env("CARTD_SESSION__EXPIRING_SECS", "60");
            let loaded = Config::load(Some(Path::new("cartd.toml"))).expect("loads");
            let config = loaded.config;
            assert_eq!(config.listen, "127.0.0.1:9000".parse().unwrap());
            assert_eq!(config.data_path, PathBuf::from("from-env.redb"));
            assert_eq!(config.session.expiration_secs, 100);
            assert_eq!(config.session.expiring_secs, 60);
            assert_eq!(config.max_body_bytes, Config::default().max_body_bytes);
            Ok(())
        });
    }

    #[test]
    fn bad_value_names_its_key_and_source() {
        Jail::expect_with(|jail| {
            jail.create_file("cartd.toml", "listen = \"not an address\"\n")?;
            let err = Config::load(Some(Path::new("cartd.toml")))
                .unwrap_err()
                .to_string();
            assert!(err.contains("listen"), "{err}");
            assert!(err.contains("cartd.toml"), "{err}");
            Ok(())
        });
    }

    #[test]
    fn rejected_value_names_its_key() {
        Jail::expect_with(|jail| {
            jail.set_env("CARTD_SESSION__EXPIRING_SECS", "999999999");
            let err = Config::load(None).unwrap_err().to_string();
            assert!(err.contains("session.expiring_secs"), "{err}");
            Ok(())
        });
    }

    #[test]
    fn unknown_keys_are_reported_with_their_source() {
        Jail::expect_with(|jail| {
            jail.create_file("cartd.toml", "lisen = \"x\"\n[session]\nexpiry = 3\n")?;
            let loaded = Config::load(Some(Path::new("cartd.toml"))).expect("loads");
            assert_eq!(loaded.unknown_keys.len(), 2, "{:?}", loaded.unknown_keys);
            assert!(loaded.unknown_keys[0].starts_with("lisen"));
            assert!(loaded.unknown_keys[1].starts_with("session.expiry"));
            assert!(loaded.unknown_keys[1].contains("cartd.toml"));
            Ok(())
        });
    }
}
