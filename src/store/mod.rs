//! Durable storage: one redb file holding carts, customers and the catalog.
//!
//! Reads open their own read transaction and never wait for writers. Every write goes
//! through the group-commit writer ([`writer`]) and is acknowledged only once durable.
//! Tables live in [`tables`], value layout in [`codec`], schema versions in [`migrate`].
//! Nothing above this module sees a redb type, so another engine can take its place.

pub mod backup;
pub mod catalog;
pub mod codec;
pub mod migrate;
pub mod sessions;
pub mod tables;
pub mod users;
pub mod writer;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::thread::JoinHandle;

use redb::{Database, ReadTransaction, ReadableDatabase};

use writer::{Job, WriterHandle};

/// A storage failure. Details go to the log; clients see a generic 500.
#[derive(Debug, Clone, thiserror::Error)]
pub enum StoreError {
    /// The file could not be opened or created.
    #[error("cannot open data file {path}: {message}")]
    Open {
        /// The data file.
        path: PathBuf,
        /// What redb or the OS said.
        message: String,
    },
    /// The data file was written by a newer cartd.
    #[error("data file schema version {found} is newer than this cartd supports ({supported})")]
    TooNew {
        /// Version in the file.
        found: u32,
        /// Newest version this binary knows.
        supported: u32,
    },
    /// redb failed during a transaction.
    #[error("storage: {0}")]
    Engine(String),
    /// A stored value could not be encoded or decoded.
    #[error("codec: {0}")]
    Codec(String),
    /// The writer has stopped (the store is closing).
    #[error("the store is closed")]
    Closed,
    /// An OS-level failure outside redb.
    #[error("io: {0}")]
    Io(#[source] Arc<std::io::Error>),
}

impl From<std::io::Error> for StoreError {
    fn from(err: std::io::Error) -> Self {
        StoreError::Io(Arc::new(err))
    }
}

macro_rules! engine_errors {
    ($($ty:ty),*) => {$(
        impl From<$ty> for StoreError {
            fn from(err: $ty) -> Self {
                StoreError::Engine(err.to_string())
            }
        }
    )*};
}
engine_errors!(
    redb::Error,
    redb::DatabaseError,
    redb::TransactionError,
    redb::TableError,
    redb::StorageError,
    redb::CommitError,
    redb::SetDurabilityError
);

/// The open data file. Cheap to clone; all clones share one writer. When the last clone
/// is dropped, the writer finishes the jobs already queued and the file is closed.
#[derive(Clone)]
pub struct Store {
    inner: Arc<Inner>,
}

struct Inner {
    db: Arc<Database>,
    writer: Option<WriterHandle>,
    writer_thread: Option<JoinHandle<()>>,
}

impl Drop for Inner {
    fn drop(&mut self) {
        // Closing the queue lets the writer drain it and stop; joining waits for that.
        self.writer.take();
        if let Some(thread) = self.writer_thread.take() {
            let _ = thread.join();
        }
    }
}

impl Store {
    /// Opens (or creates, with parent folders) the data file and brings its schema up to
    /// date.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        let open_error = |message: String| StoreError::Open {
            path: path.to_path_buf(),
            message,
        };
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|e| open_error(e.to_string()))?;
        }
        let db = redb::Builder::new()
            .set_concurrency_mode(backup::SHARING)
            .create(path)
            .map_err(|e| open_error(e.to_string()))?;
        let txn = db.begin_write()?;
        let from = migrate::migrate(&txn)?;
        txn.commit()?;
        if from != migrate::SCHEMA_VERSION {
            tracing::info!(
                from,
                to = migrate::SCHEMA_VERSION,
                "data file schema migrated"
            );
        }
        let db = Arc::new(db);
        let (writer, thread) = WriterHandle::spawn(db.clone())?;
        Ok(Store {
            inner: Arc::new(Inner {
                db,
                writer: Some(writer),
                writer_thread: Some(thread),
            }),
        })
    }

    fn submit(&self, job: Job) -> tokio::sync::oneshot::Receiver<Result<(), StoreError>> {
        match &self.inner.writer {
            Some(writer) => writer.submit(job),
            None => tokio::sync::oneshot::channel().1,
        }
    }

    /// Runs `job` in the next group commit and returns once it is durable.
    pub async fn write(&self, job: Job) -> Result<(), StoreError> {
        self.submit(job).await.unwrap_or(Err(StoreError::Closed))
    }

    /// [`Store::write`] for callers outside the async runtime (CLI commands).
    pub fn write_blocking(&self, job: Job) -> Result<(), StoreError> {
        self.submit(job)
            .blocking_recv()
            .unwrap_or(Err(StoreError::Closed))
    }

    /// A read transaction: a consistent snapshot of everything committed so far.
    pub fn read(&self) -> Result<ReadTransaction, StoreError> {
        Ok(self.inner.db.begin_read()?)
    }
}

#[cfg(test)]
mod tests;
