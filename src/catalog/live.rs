//! The catalog the daemon serves: an immutable snapshot behind an atomic pointer.
//!
//! Request handlers read product data from memory only; a change (an import) is written
//! to the store first and the new snapshot is swapped in after the commit, so readers
//! never see a catalog that is not on disk and never wait for a writer.

use std::sync::Arc;

use arc_swap::ArcSwap;

use super::data::DataError;
use super::import::{self, ImportError};
use super::{Catalog, CatalogData, demo};
use crate::config::CatalogConfig;
use crate::store::{Store, StoreError};

/// Why the catalog could not be loaded or changed.
#[derive(Debug, thiserror::Error)]
pub enum CatalogError {
    /// An import failed; nothing was changed.
    #[error(transparent)]
    Import(#[from] ImportError),
    /// The merged catalog is inconsistent; nothing was changed.
    #[error("catalog rejected: {0}")]
    Invalid(#[from] DataError),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Where a stored catalog came from.
pub const ORIGIN_DEMO: &str = "demo";
/// A catalog built by importing WooCommerce exports.
pub const ORIGIN_IMPORT: &str = "import";

/// The served catalog.
pub struct LiveCatalog {
    current: ArcSwap<Catalog>,
}

impl LiveCatalog {
    /// Loads the stored catalog. A data file without one is seeded first: from the
    /// configured imports if any, else from the demo catalog if enabled, else empty.
    pub async fn open(store: &Store, config: &CatalogConfig) -> Result<LiveCatalog, CatalogError> {
        let data = match store.load_catalog::<CatalogData>()? {
            Some(data) => data,
            None => {
                let (data, origin) = seed(config)?;
                store
                    .write(Store::replace_catalog_job(&data, origin)?)
                    .await?;
                tracing::info!(origin, products = data.products.len(), "catalog seeded");
                data
            }
        };
        Ok(LiveCatalog {
            current: ArcSwap::from_pointee(Catalog::new(data)),
        })
    }

    /// The catalog as of now. Cheap; hold it for the whole request so one request sees
    /// one catalog.
    pub fn snapshot(&self) -> Arc<Catalog> {
        self.current.load_full()
    }
}

fn seed(config: &CatalogConfig) -> Result<(CatalogData, &'static str), CatalogError> {
    if !config.import.is_empty() {
        return Ok((import::load(&config.import)?, ORIGIN_IMPORT));
    }
    if config.demo {
        return Ok((demo::demo(), ORIGIN_DEMO));
    }
    Ok((CatalogData::default(), ORIGIN_IMPORT))
}

/// `cartd import`: merges WooCommerce exports into the stored catalog in one transaction
/// (the demo catalog is replaced, not merged into). Returns the catalog now stored.
pub fn import_into(
    store: &Store,
    paths: &[std::path::PathBuf],
) -> Result<CatalogData, CatalogError> {
    let incoming = import::load(paths)?;
    let mut data = match store.catalog_origin()?.as_deref() {
        Some(ORIGIN_DEMO) | None => CatalogData::default(),
        Some(_) => store.load_catalog::<CatalogData>()?.unwrap_or_default(),
    };
    data.merge(incoming);
    data.validate()?;
    store.write_blocking(Store::replace_catalog_job(&data, ORIGIN_IMPORT)?)?;
    Ok(data)
}
