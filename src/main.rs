//! The `cartd` command line: `serve` (the default), `check`, and `--version`.
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
    /// Validate the configuration and exit non-zero if it is not usable.
    Check {
        /// Configuration file (default: ./config/cartd.toml, then /etc/cartd/cartd.toml).
        #[arg(long)]
        config: Option<PathBuf>,
    },
}

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
            println!(
                "configuration OK; {} hook script(s) compiled, hooks registered: {}",
                config.hooks.scripts.len(),
                runtime.registered_hook_names().join(", ")
            );
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("error: {err}");
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
