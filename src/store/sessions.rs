//! Cart sessions on disk: one row per cart key, plus an expiry index.
//!
//! A row mirrors CoCart's `cocart_carts` table (row id, key, created, expiry, source) with
//! the cart itself as the payload; CoCart's hash column is left out because the cart hash
//! derives from the cart and nothing reads it back. The payload type belongs to the cart domain; this
//! module only stores it, so it is generic over any serde type. The expiry index lets
//! the clean-up task delete expired carts without reading the others.

use std::ops::Bound;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

use redb::{ReadableTable, ReadableTableMetadata, WriteTransaction};
use serde::de::{DeserializeOwned, IgnoredAny};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

use super::codec::{decode, encode};
use super::tables::{CARTKEY_SESSION, EXPIRY_CARTKEY, META};
use super::writer::Job;
use super::{Store, StoreError};
use crate::clock::Clock;

/// One stored cart session.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SessionRow<T> {
    /// Row id, assigned once in insertion order (CoCart's `cart_id`).
    pub cart_id: u64,
    /// The cart key: a guest key or a customer's user id as text.
    pub cart_key: String,
    /// Unix time of the first save.
    pub created: u64,
    /// Unix time after which the clean-up task deletes the row.
    pub expiry: u64,
    /// Who created the row (`cocart` for the API).
    pub source: String,
    /// The cart.
    pub cart: T,
}

/// What a save changes: the payload and the expiry.
pub struct SessionUpdate<T> {
    /// The cart key.
    pub cart_key: String,
    /// The new cart.
    pub cart: T,
    /// The new expiry.
    pub expiry: u64,
    /// Now (used as `created` when the row is new).
    pub now: u64,
}

const NEXT_CART_ID: &str = "next_cart_id";

impl Store {
    /// Reads the session stored under `cart_key`.
    pub fn session<T: DeserializeOwned>(
        &self,
        cart_key: &str,
    ) -> Result<Option<SessionRow<T>>, StoreError> {
        let txn = self.read()?;
        let table = txn.open_table(CARTKEY_SESSION)?;
        table
            .get(cart_key)?
            .map(|bytes| decode(bytes.value()))
            .transpose()
    }

    /// Saves a session (insert or update), keeping the row id, creation time and source
    /// of an existing row. Returns once durable.
    pub async fn save_session<T: Serialize>(
        &self,
        update: SessionUpdate<T>,
    ) -> Result<(), StoreError> {
        let cart = RawValue::from_string(
            serde_json::to_string(&update.cart).map_err(|e| StoreError::Codec(e.to_string()))?,
        )
        .map_err(|e| StoreError::Codec(e.to_string()))?;
        let SessionUpdate {
            cart_key,
            expiry,
            now,
            ..
        } = update;
        self.write(Box::new(move |txn| {
            let existing = read_header(txn, &cart_key)?;
            let cart_id = match &existing {
                Some(row) => row.cart_id,
                None => next_cart_id(txn)?,
            };
            let row = SessionRow {
                cart_id,
                cart_key: cart_key.clone(),
                created: existing.as_ref().map_or(now, |r| r.created),
                expiry,
                source: existing
                    .as_ref()
                    .map_or_else(|| "cocart".to_owned(), |r| r.source.clone()),
                cart: &*cart,
            };
            write_row(txn, existing.map(|r| r.expiry), &row)
        }))
        .await
    }

    /// Moves an existing session's expiry; does nothing when there is no row.
    pub async fn touch_session(&self, cart_key: &str, expiry: u64) -> Result<(), StoreError> {
        let cart_key = cart_key.to_owned();
        self.write(Box::new(move |txn| {
            let bytes = {
                let table = txn.open_table(CARTKEY_SESSION)?;
                let row = table.get(cart_key.as_str())?;
                row.map(|b| b.value().to_vec())
            };
            let Some(bytes) = bytes else {
                return Ok(());
            };
            let mut row: SessionRow<Box<RawValue>> = decode(&bytes)?;
            let previous = row.expiry;
            row.expiry = expiry;
            write_row(txn, Some(previous), &row)
        }))
        .await
    }

    /// Deletes a session. Returns whether there was one.
    pub async fn delete_session(&self, cart_key: &str) -> Result<bool, StoreError> {
        let (job, deleted) = Self::delete_session_job(cart_key);
        self.write(job).await?;
        Ok(deleted.load(Ordering::Relaxed))
    }

    /// A job deleting a session, and the flag it sets when there was one (for callers
    /// outside the async runtime, with [`Store::write_blocking`]).
    pub fn delete_session_job(cart_key: &str) -> (Job, Arc<AtomicBool>) {
        let cart_key = cart_key.to_owned();
        let deleted = Arc::new(AtomicBool::new(false));
        let flag = deleted.clone();
        let job: Job = Box::new(move |txn| {
            let existed = remove_row(txn, &cart_key)?;
            flag.store(existed, Ordering::Relaxed);
            Ok(())
        });
        (job, deleted)
    }

    /// Deletes every session whose expiry is before `now`. Returns how many.
    pub async fn purge_expired_sessions(&self, now: u64) -> Result<usize, StoreError> {
        let purged = Arc::new(AtomicUsize::new(0));
        let count = purged.clone();
        self.write(Box::new(move |txn| {
            let expired: Vec<String> = {
                let index = txn.open_table(EXPIRY_CARTKEY)?;
                let range =
                    index.range::<(u64, &str)>((Bound::Unbounded, Bound::Excluded((now, ""))))?;
                range
                    .map(|entry| entry.map(|(key, _)| key.value().1.to_owned()))
                    .collect::<Result<_, _>>()?
            };
            for key in &expired {
                remove_row(txn, key)?;
            }
            count.store(expired.len(), Ordering::Relaxed);
            Ok(())
        }))
        .await?;
        Ok(purged.load(Ordering::Relaxed))
    }

    /// How many sessions are stored.
    pub fn session_count(&self) -> Result<u64, StoreError> {
        let txn = self.read()?;
        Ok(txn.open_table(CARTKEY_SESSION)?.len()?)
    }

    /// Every stored session, ordered by row id.
    pub fn sessions<T: DeserializeOwned>(&self) -> Result<Vec<SessionRow<T>>, StoreError> {
        let txn = self.read()?;
        let table = txn.open_table(CARTKEY_SESSION)?;
        let mut rows = table
            .iter()?
            .map(|entry| {
                let (_, value) = entry?;
                decode::<SessionRow<T>>(value.value())
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        rows.sort_by_key(|r| r.cart_id);
        Ok(rows)
    }
}

/// Deletes expired sessions every `interval` until `stop` resolves.
pub async fn run_expiry_task(
    store: Store,
    clock: Clock,
    interval: Duration,
    stop: impl std::future::Future<Output = ()>,
) {
    tokio::pin!(stop);
    loop {
        tokio::select! {
            () = &mut stop => return,
            () = tokio::time::sleep(interval) => {
                match store.purge_expired_sessions(clock.now()).await {
                    Ok(0) => {}
                    Ok(purged) => tracing::info!(purged, "expired carts deleted"),
                    Err(err) => tracing::warn!(error = %err, "expired cart clean-up failed"),
                }
            }
        }
    }
}

fn read_header(
    txn: &WriteTransaction,
    cart_key: &str,
) -> Result<Option<SessionRow<IgnoredAny>>, StoreError> {
    let table = txn.open_table(CARTKEY_SESSION)?;
    let row = table.get(cart_key)?;
    row.map(|bytes| decode(bytes.value())).transpose()
}

fn next_cart_id(txn: &WriteTransaction) -> Result<u64, StoreError> {
    let mut meta = txn.open_table(META)?;
    let next = match meta.get(NEXT_CART_ID)? {
        Some(bytes) => decode::<u64>(bytes.value())?,
        None => 1,
    };
    meta.insert(NEXT_CART_ID, encode(&(next + 1))?.as_slice())?;
    Ok(next)
}

fn write_row<T: Serialize>(
    txn: &WriteTransaction,
    previous_expiry: Option<u64>,
    row: &SessionRow<T>,
) -> Result<(), StoreError> {
    let mut index = txn.open_table(EXPIRY_CARTKEY)?;
    if let Some(previous) = previous_expiry {
        index.remove((previous, row.cart_key.as_str()))?;
    }
    index.insert((row.expiry, row.cart_key.as_str()), ())?;
    txn.open_table(CARTKEY_SESSION)?
        .insert(row.cart_key.as_str(), encode(row)?.as_slice())?;
    Ok(())
}

fn remove_row(txn: &WriteTransaction, cart_key: &str) -> Result<bool, StoreError> {
    let Some(header) = read_header(txn, cart_key)? else {
        return Ok(false);
    };
    txn.open_table(EXPIRY_CARTKEY)?
        .remove((header.expiry, cart_key))?;
    txn.open_table(CARTKEY_SESSION)?.remove(cart_key)?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn update(key: &str, cart: Vec<u32>, expiry: u64, now: u64) -> SessionUpdate<Vec<u32>> {
        SessionUpdate {
            cart_key: key.into(),
            cart,
            expiry,
            now,
        }
    }

    #[tokio::test]
    async fn save_keeps_identity_and_updates_payload() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("s.redb")).unwrap();
        store
            .save_session(update("a", vec![1], 100, 10))
            .await
            .unwrap();
        store
            .save_session(update("b", vec![2], 100, 11))
            .await
            .unwrap();
        store
            .save_session(update("a", vec![1, 1], 200, 20))
            .await
            .unwrap();
        let a: SessionRow<Vec<u32>> = store.session("a").unwrap().unwrap();
        assert_eq!(
            (a.cart_id, a.created, a.expiry, a.cart),
            (1, 10, 200, vec![1, 1])
        );
        assert_eq!(a.source, "cocart");
        let all: Vec<SessionRow<Vec<u32>>> = store.sessions().unwrap();
        assert_eq!(
            all.iter().map(|r| r.cart_key.as_str()).collect::<Vec<_>>(),
            ["a", "b"]
        );
        assert_eq!(store.session_count().unwrap(), 2);
    }

    #[tokio::test]
    async fn purge_removes_only_expired_rows_and_follows_touches() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("s.redb")).unwrap();
        store
            .save_session(update("old", vec![], 50, 0))
            .await
            .unwrap();
        store
            .save_session(update("new", vec![], 500, 0))
            .await
            .unwrap();
        store
            .save_session(update("touched", vec![], 60, 0))
            .await
            .unwrap();
        store.touch_session("touched", 900).await.unwrap();
        store.touch_session("missing", 900).await.unwrap();
        assert_eq!(store.purge_expired_sessions(100).await.unwrap(), 1);
        assert!(store.session::<Vec<u32>>("old").unwrap().is_none());
        assert!(store.session::<Vec<u32>>("touched").unwrap().is_some());
        assert!(store.session::<Vec<u32>>("missing").unwrap().is_none());
        assert!(store.delete_session("new").await.unwrap());
        assert!(!store.delete_session("new").await.unwrap());
        assert_eq!(store.purge_expired_sessions(1000).await.unwrap(), 1);
    }

    #[tokio::test(start_paused = true)]
    async fn expiry_task_deletes_on_schedule() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("s.redb")).unwrap();
        let clock = Clock::following_tokio(1_000);
        store
            .save_session(update("guest", vec![], 1_000 + 7_200, 1_000))
            .await
            .unwrap();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let task = tokio::spawn(run_expiry_task(
            store.clone(),
            clock,
            Duration::from_secs(3_600),
            async {
                let _ = stopped.await;
            },
        ));
        // The first sweep (t = 1h) finds the cart still valid.
        tokio::time::sleep(Duration::from_secs(3_700)).await;
        assert!(store.session::<Vec<u32>>("guest").unwrap().is_some());
        // The third sweep (t = 3h) runs after its expiry (t = 2h).
        tokio::time::sleep(Duration::from_secs(7_300)).await;
        // Commits happen on the writer thread in real time, during which the paused clock
        // may jump ahead of the task's next timer; step the clock a minute at a time.
        for _ in 0..400 {
            if store.session::<Vec<u32>>("guest").unwrap().is_none() {
                break;
            }
            std::thread::sleep(Duration::from_millis(2));
            tokio::time::sleep(Duration::from_secs(60)).await;
        }
        assert!(store.session::<Vec<u32>>("guest").unwrap().is_none());
        stop.send(()).unwrap();
        task.await.unwrap();
    }
}
