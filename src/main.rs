//! The `cartd` command line: `serve` (the default), `check`, `reload`, the management
//! commands, and `--version`.
//!
//! Only argument parsing, logging set-up and signal wiring live here; everything else is
//! in the library so the integration tests run the same code.

use std::io::IsTerminal;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use tracing_subscriber::EnvFilter;

use cartd::config::{Config, LogFormat};
use cartd::daemon::Daemon;

/// cartd: the CoCart cart REST API in one binary.
#[derive(Parser)]
#[command(version = concat!(env!("CARGO_PKG_VERSION"), " (commit ", env!("BUILD_GIT_COMMIT"), ")"), about)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the API (the default when no command is given).
    Serve {
        /// Configuration file (default: ./config/cartd.toml, then /etc/cartd/cartd.toml).
        #[arg(long)]
        config: Option<PathBuf>,
        /// Listen address, overriding the configuration.
        #[arg(long)]
        listen: Option<SocketAddr>,
        /// Data file, overriding the configuration.
        #[arg(long)]
        data: Option<PathBuf>,
    },
    /// Copy the data file consistently, even while the daemon serves.
    Backup {
        /// Where to write the copy (must not exist).
        file: PathBuf,
        /// Configuration file naming the data file.
        #[arg(long)]
        config: Option<PathBuf>,
        /// Data file, overriding the configuration.
        #[arg(long)]
        data: Option<PathBuf>,
    },
    /// Import WooCommerce exports (a REST JSON folder, a product CSV or a tax-rate CSV) into
    /// the catalog, in one transaction. Stop the daemon first: it holds the data file.
    Import {
        /// Folders or CSV files.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Configuration file naming the data file.
        #[arg(long)]
        config: Option<PathBuf>,
        /// Data file, overriding the configuration.
        #[arg(long)]
        data: Option<PathBuf>,
    },
    /// Manage registered users (stop the daemon first: it holds the data file).
    User {
        #[command(subcommand)]
        action: UserAction,
        #[command(flatten)]
        data: DataArgs,
    },
    /// Manage WooCommerce-style REST API keys (stop the daemon first).
    Key {
        #[command(subcommand)]
        action: KeyAction,
        #[command(flatten)]
        data: DataArgs,
    },
    /// Ask a running daemon to reload its hook scripts (sends it SIGHUP). The daemon keeps
    /// its running scripts when the new set does not load; its log says why.
    Reload {
        /// Process id of the daemon.
        #[arg(long, conflicts_with = "pidfile", required_unless_present = "pidfile")]
        pid: Option<u32>,
        /// File holding the daemon's process id (as written by a service manager).
        #[arg(long)]
        pidfile: Option<PathBuf>,
    },
    /// Validate the configuration and exit non-zero if it is not usable.
    Check {
        /// Configuration file (default: ./config/cartd.toml, then /etc/cartd/cartd.toml).
        #[arg(long)]
        config: Option<PathBuf>,
    },
}

/// Which data file a management command works on.
#[derive(clap::Args)]
struct DataArgs {
    /// Configuration file naming the data file.
    #[arg(long, global = true)]
    config: Option<PathBuf>,
    /// Data file, overriding the configuration.
    #[arg(long, global = true)]
    data: Option<PathBuf>,
}

#[derive(Subcommand)]
enum UserAction {
    /// Create a user.
    Add {
        #[arg(long)]
        username: String,
        #[arg(long)]
        email: String,
        #[arg(long)]
        password: String,
        /// administrator, shop_manager or customer.
        #[arg(long, default_value = "customer")]
        role: String,
    },
    /// List users.
    List,
    /// Set a user's password.
    Passwd {
        /// Id, username or email.
        #[arg(long)]
        user: String,
        #[arg(long)]
        password: String,
    },
    /// Delete a user, their keys and their cart.
    Remove {
        /// Id, username or email.
        #[arg(long)]
        user: String,
    },
}

#[derive(Subcommand)]
enum KeyAction {
    /// Issue a consumer key and secret for a user (shown once).
    Create {
        /// Id, username or email of the key's owner.
        #[arg(long)]
        user: String,
        /// read, write or read_write.
        #[arg(long, default_value = "read_write")]
        permissions: String,
        #[arg(long, default_value = "")]
        description: String,
    },
    /// List keys (only their last characters are shown).
    List,
    /// Revoke a key, named by its consumer key or the characters `list` shows.
    Revoke { key: String },
}

/// Rendering a cart allocates many small objects (JSON maps, strings); mimalloc serves
/// them from per-thread pools, where the system allocator contends across threads.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command.unwrap_or(Command::Serve {
        config: None,
        listen: None,
        data: None,
    }) {
        Command::Serve {
            config,
            listen,
            data,
        } => serve(config, listen, data),
        Command::Check { config } => check(config),
        Command::Reload { pid, pidfile } => reload(pid, pidfile),
        Command::User { action, data } => accounts(data, |store| user_command(store, action)),
        Command::Key { action, data } => accounts(data, |store| key_command(store, action)),
        Command::Backup { file, config, data } => backup(file, config, data),
        Command::Import {
            paths,
            config,
            data,
        } => import(paths, config, data),
    }
}

fn load(config: Option<PathBuf>) -> Result<Config, ExitCode> {
    match Config::load(config.as_deref()) {
        Ok(loaded) => {
            for key in &loaded.unknown_keys {
                eprintln!("warning: unknown configuration key {key}");
            }
            Ok(loaded.config)
        }
        Err(err) => {
            eprintln!("error: {err}");
            Err(ExitCode::FAILURE)
        }
    }
}

fn check(config: Option<PathBuf>) -> ExitCode {
    let config = match load(config) {
        Ok(config) => config,
        Err(code) => return code,
    };
    match cartd::hooks::HookRuntime::load(&config.hooks, std::path::Path::new(".")) {
        Ok(runtime) => {
            let registered = runtime.registered_hook_names();
            println!(
                "configuration OK; {} hook script(s) compiled, hooks registered: {}",
                config.hooks.scripts.len(),
                registered.join(", ")
            );
            for name in registered
                .iter()
                .filter(|name| !cartd::hooks::is_fired(name))
            {
                println!("warning: hook {name} is registered but cartd never fires it");
            }
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::FAILURE
        }
    }
}

/// `cartd reload`: sends SIGHUP through the system's `kill` command, as the systemd unit's
/// `ExecReload` does, so no signal crate is needed.
fn reload(pid: Option<u32>, pidfile: Option<PathBuf>) -> ExitCode {
    let pid = match (pid, pidfile) {
        (Some(pid), _) => pid,
        (None, Some(file)) => {
            let read = std::fs::read_to_string(&file).map_err(|err| err.to_string());
            match read.and_then(|text| text.trim().parse::<u32>().map_err(|err| err.to_string())) {
                Ok(pid) => pid,
                Err(err) => {
                    eprintln!("error: no process id in {}: {err}", file.display());
                    return ExitCode::FAILURE;
                }
            }
        }
        (None, None) => {
            eprintln!("error: give --pid or --pidfile");
            return ExitCode::FAILURE;
        }
    };
    match std::process::Command::new("kill")
        .args(["-HUP", &pid.to_string()])
        .status()
    {
        Ok(status) if status.success() => {
            println!("sent SIGHUP to cartd (pid {pid}); see its log for the reload outcome");
            ExitCode::SUCCESS
        }
        Ok(status) => {
            eprintln!("error: kill -HUP {pid} failed ({status})");
            ExitCode::FAILURE
        }
        Err(err) => {
            eprintln!("error: cannot run kill: {err}");
            ExitCode::FAILURE
        }
    }
}

/// The data file a command works on: `--data`, else the configuration's.
fn data_file(config: Option<PathBuf>, data: Option<PathBuf>) -> Result<PathBuf, ExitCode> {
    match data {
        Some(data) => Ok(data),
        None => load(config).map(|config| config.data_path),
    }
}

fn import(paths: Vec<PathBuf>, config: Option<PathBuf>, data: Option<PathBuf>) -> ExitCode {
    let data = match data_file(config, data) {
        Ok(data) => data,
        Err(code) => return code,
    };
    let outcome = cartd::store::Store::open(&data)
        .map_err(|e| e.to_string())
        .and_then(|store| {
            cartd::catalog::live::import_into(&store, &paths).map_err(|e| e.to_string())
        });
    match outcome {
        Ok(catalog) => {
            println!(
                "imported into {}: {} products and variations, {} coupons, {} tax rates, {} shipping zones",
                data.display(),
                catalog.products.len(),
                catalog.coupons.len(),
                catalog.tax_rates.len(),
                catalog.shipping_zones.len()
            );
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::FAILURE
        }
    }
}

fn backup(file: PathBuf, config: Option<PathBuf>, data: Option<PathBuf>) -> ExitCode {
    let data = match data_file(config, data) {
        Ok(data) => data,
        Err(code) => return code,
    };
    match cartd::store::backup::backup(&data, &file) {
        Ok(rows) => {
            println!(
                "backed up {} ({rows} rows) to {}",
                data.display(),
                file.display()
            );
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::FAILURE
        }
    }
}

/// Runs an account command on the data file and reports its outcome.
fn accounts(
    args: DataArgs,
    command: impl FnOnce(&cartd::store::Store) -> Result<String, String>,
) -> ExitCode {
    let data = match data_file(args.config, args.data) {
        Ok(data) => data,
        Err(code) => return code,
    };
    let outcome = cartd::store::Store::open(&data)
        .map_err(|e| e.to_string())
        .and_then(|store| command(&store));
    match outcome {
        Ok(report) => {
            println!("{report}");
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::FAILURE
        }
    }
}

fn unix_now() -> u64 {
    cartd::clock::Clock::system().now()
}

fn user_command(store: &cartd::store::Store, action: UserAction) -> Result<String, String> {
    use cartd::accounts::{self, NewUser};
    use cartd::auth::{Role, User};
    match action {
        UserAction::Add {
            username,
            email,
            password,
            role,
        } => {
            let role = match role.as_str() {
                "administrator" => Role::Administrator,
                "shop_manager" => Role::ShopManager,
                "customer" => Role::Customer,
                other => {
                    return Err(format!(
                        "unknown role {other:?} (administrator, shop_manager, customer)"
                    ));
                }
            };
            let new = NewUser {
                username: &username,
                email: &email,
                password: &password,
                role,
            };
            let id = accounts::add_user(store, &new, unix_now()).map_err(|e| e.to_string())?;
            Ok(format!(
                "user {username} created with id {id} ({})",
                role.slug()
            ))
        }
        UserAction::List => {
            let users: Vec<User> = store.users().map_err(|e| e.to_string())?;
            Ok(users
                .iter()
                .map(|u| format!("{}\t{}\t{}\t{}", u.id, u.username, u.email, u.role.slug()))
                .collect::<Vec<_>>()
                .join("\n"))
        }
        UserAction::Passwd { user, password } => {
            accounts::set_password(store, &user, &password).map_err(|e| e.to_string())?;
            Ok(format!("password of {user} changed"))
        }
        UserAction::Remove { user } => {
            let removed = accounts::remove_user(store, &user).map_err(|e| e.to_string())?;
            Ok(format!(
                "user {} (id {}) removed",
                removed.username, removed.id
            ))
        }
    }
}

fn key_command(store: &cartd::store::Store, action: KeyAction) -> Result<String, String> {
    use cartd::accounts;
    use cartd::auth::{ApiKey, KeyPermissions};
    match action {
        KeyAction::Create {
            user,
            permissions,
            description,
        } => {
            let permissions = match permissions.as_str() {
                "read" => KeyPermissions::Read,
                "write" => KeyPermissions::Write,
                "read_write" => KeyPermissions::ReadWrite,
                other => {
                    return Err(format!(
                        "unknown permissions {other:?} (read, write, read_write)"
                    ));
                }
            };
            let (_, issued) = accounts::create_key(store, &user, permissions, &description)
                .map_err(|e| e.to_string())?;
            Ok(format!(
                "consumer key:    {}\nconsumer secret: {}\n(the secret is shown only now)",
                issued.consumer_key, issued.consumer_secret
            ))
        }
        KeyAction::List => {
            let keys: Vec<(String, ApiKey)> = store.api_keys().map_err(|e| e.to_string())?;
            Ok(keys
                .iter()
                .map(|(_, k)| {
                    format!(
                        "...{}\tuser {}\t{:?}\t{}",
                        k.truncated_key, k.user_id, k.permissions, k.description
                    )
                })
                .collect::<Vec<_>>()
                .join("\n"))
        }
        KeyAction::Revoke { key } => {
            let revoked = accounts::revoke_key(store, &key).map_err(|e| e.to_string())?;
            match revoked {
                0 => Err(format!("no key matches {key:?}")),
                n => Ok(format!("{n} key(s) revoked")),
            }
        }
    }
}

fn init_logging(config: &Config) {
    let filter = EnvFilter::try_from_default_env()
        .or_else(|_| EnvFilter::try_new(&config.log.level))
        .unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter);
    match config.log.format {
        LogFormat::Json => builder.json().init(),
        LogFormat::Pretty => builder.with_ansi(std::io::stderr().is_terminal()).init(),
    }
}

fn serve(config: Option<PathBuf>, listen: Option<SocketAddr>, data: Option<PathBuf>) -> ExitCode {
    let mut config = match load(config) {
        Ok(config) => config,
        Err(code) => return code,
    };
    config.listen = listen.unwrap_or(config.listen);
    config.data_path = data.unwrap_or(config.data_path);
    init_logging(&config);
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(err) => {
            eprintln!("error: cannot start the async runtime: {err}");
            return ExitCode::FAILURE;
        }
    };
    runtime.block_on(async {
        let daemon = match Daemon::start(config).await {
            Ok(daemon) => daemon,
            Err(err) => {
                tracing::error!("{err}");
                return ExitCode::FAILURE;
            }
        };
        serve_until_shutdown(&daemon).await;
        tracing::info!("shutdown requested");
        daemon.stop().await;
        tracing::info!("stopped");
        ExitCode::SUCCESS
    })
}

/// Reloads hook scripts on SIGHUP; returns on SIGINT or SIGTERM.
async fn serve_until_shutdown(daemon: &Daemon) {
    use tokio::signal::unix::{SignalKind, signal};
    let (Ok(mut term), Ok(mut hangup)) = (
        signal(SignalKind::terminate()),
        signal(SignalKind::hangup()),
    ) else {
        tracing::warn!("signal handlers unavailable; only Ctrl-C stops cartd");
        let _ = tokio::signal::ctrl_c().await;
        return;
    };
    loop {
        tokio::select! {
            _ = tokio::signal::ctrl_c() => return,
            _ = term.recv() => return,
            _ = hangup.recv() => match daemon.reload_hooks() {
                Ok(()) => tracing::info!("hook scripts reloaded"),
                Err(err) => tracing::error!("hook reload failed, keeping the running scripts: {err}"),
            },
        }
    }
}
