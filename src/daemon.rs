//! Starting and stopping the whole daemon: open the store, build the application, bind,
//! serve, and on shutdown drain requests before the store closes.
//!
//! `cartd serve` and the integration tests use this same path, so the tests exercise the
//! real start-up and shutdown sequence.

use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::api::App;
use crate::catalog::live::{CatalogError, LiveCatalog};
use crate::config::Config;
use crate::hooks::{HookHost, HookLoadError};
use crate::http::router::RouteError;
use crate::http::server::{self, ServerSettings};
use crate::store::sessions::run_expiry_task;
use crate::store::{Store, StoreError};

/// Why the daemon could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    /// The data file could not be opened.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The route table is inconsistent (a bug, caught by the tests).
    #[error(transparent)]
    Routes(#[from] RouteError),
    /// The catalog could not be loaded or seeded.
    #[error(transparent)]
    Catalog(#[from] CatalogError),
    /// A hook script failed to load (the message names file and line).
    #[error(transparent)]
    Hooks(#[from] HookLoadError),
    /// The listen address could not be bound.
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// The configured address.
        addr: SocketAddr,
        /// The OS error.
        source: std::io::Error,
    },
}

/// A running daemon.
pub struct Daemon {
    /// The address actually bound (useful with port 0).
    pub addr: SocketAddr,
    app: Arc<App>,
    stop: oneshot::Sender<()>,
    serving: JoinHandle<()>,
}

impl Daemon {
    /// Opens the store, binds `config.listen` and starts serving in the background.
    pub async fn start(config: Config) -> Result<Daemon, StartError> {
        let hooks = HookHost::load(&config.hooks, Path::new("."))?;
        let store = Store::open(&config.data_path)?;
        let catalog = LiveCatalog::open(&store, &config.catalog).await?;
        let listener =
            TcpListener::bind(config.listen)
                .await
                .map_err(|source| StartError::Bind {
                    addr: config.listen,
                    source,
                })?;
        let addr = listener.local_addr().map_err(|source| StartError::Bind {
            addr: config.listen,
            source,
        })?;
        let settings = ServerSettings {
            max_body_bytes: config.max_body_bytes,
            header_read_timeout: Duration::from_secs(config.header_read_timeout_secs),
            idle_timeout: Duration::from_secs(config.idle_timeout_secs),
            shutdown_timeout: Duration::from_secs(config.shutdown_timeout_secs),
        };
        let app = Arc::new(App::new(config, store, hooks, catalog)?);
        let (stop, stopped) = oneshot::channel::<()>();
        let serving_app = app.clone();
        let (stop_expiry, expiry_stopped) = oneshot::channel::<()>();
        let expiry = tokio::spawn(run_expiry_task(
            app.store.clone(),
            app.clock.clone(),
            Duration::from_secs(app.config.session.cleanup_interval_secs),
            async {
                let _ = expiry_stopped.await;
            },
        ));
        let serving = tokio::spawn(async move {
            server::run(listener, serving_app, settings, async {
                let _ = stopped.await;
            })
            .await;
            let _ = stop_expiry.send(());
            let _ = expiry.await;
            // The last handle to the app (and so to the store) drops here: the writer
            // finishes its queue and the data file closes.
        });
        tracing::info!(%addr, "cartd listening");
        Ok(Daemon {
            addr,
            app,
            stop,
            serving,
        })
    }

    /// Reloads the hook scripts the configuration lists; on failure the running set stays.
    pub fn reload_hooks(&self) -> Result<(), HookLoadError> {
        self.app
            .hooks
            .reload(&self.app.config.hooks, Path::new("."))
    }

    /// Stops accepting, lets in-flight requests finish (up to the configured deadline)
    /// and closes the store.
    pub async fn stop(self) {
        let Daemon {
            app, stop, serving, ..
        } = self;
        drop(app);
        let _ = stop.send(());
        let _ = serving.await;
    }
}
