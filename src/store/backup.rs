//! `cartd backup`: a consistent copy of the data file, taken while the daemon serves.
//!
//! The daemon opens the file in redb's single-writer mode, which lets another process
//! open it read-only. The backup reads every table inside one read transaction (one
//! snapshot: everything committed before it began, nothing after) and writes them to a
//! new file with one durable commit. Restoring is a file copy while the daemon is stopped.

use std::path::Path;

use redb::{
    Builder, ConcurrencyMode, Database, Key, ReadTransaction, ReadableDatabase, ReadableTable,
    TableDefinition, Value, WriteTransaction,
};

use super::StoreError;
use super::tables::{
    CARTKEY_SESSION, EMAIL_USERID, EXPIRY_CARTKEY, KEYLOOKUP_APIKEY, KIND_ID_CATALOG_RECORD,
    LOGIN_USERID, META, USERID_USER,
};

/// How redb is told to share the data file; the daemon and the backup must agree.
pub const SHARING: ConcurrencyMode = ConcurrencyMode::SingleWriter;

/// Copies the data file at `data` into a new file at `out` (which must not exist).
/// Returns the number of rows copied.
pub fn backup(data: &Path, out: &Path) -> Result<u64, StoreError> {
    if out.exists() {
        return Err(StoreError::Open {
            path: out.to_path_buf(),
            message: "the backup file already exists".into(),
        });
    }
    let source = Builder::new()
        .set_concurrency_mode(SHARING)
        .open_read_only(data)
        .map_err(|e| StoreError::Open {
            path: data.to_path_buf(),
            message: e.to_string(),
        })?;
    let snapshot = source.begin_read()?;
    let target = Database::create(out).map_err(|e| StoreError::Open {
        path: out.to_path_buf(),
        message: e.to_string(),
    })?;
    let txn = target.begin_write()?;
    let rows = copy_table(&snapshot, &txn, META)?
        + copy_table(&snapshot, &txn, CARTKEY_SESSION)?
        + copy_table(&snapshot, &txn, EXPIRY_CARTKEY)?
        + copy_table(&snapshot, &txn, KIND_ID_CATALOG_RECORD)?
        + copy_table(&snapshot, &txn, USERID_USER)?
        + copy_table(&snapshot, &txn, LOGIN_USERID)?
        + copy_table(&snapshot, &txn, EMAIL_USERID)?
        + copy_table(&snapshot, &txn, KEYLOOKUP_APIKEY)?;
    txn.commit()?;
    Ok(rows)
}

fn copy_table<K: Key + 'static, V: Value + 'static>(
    from: &ReadTransaction,
    to: &WriteTransaction,
    table: TableDefinition<K, V>,
) -> Result<u64, StoreError> {
    let source = match from.open_table(table) {
        Ok(source) => source,
        Err(redb::TableError::TableDoesNotExist(_)) => return Ok(0),
        Err(err) => return Err(err.into()),
    };
    let mut target = to.open_table(table)?;
    let mut rows = 0;
    for entry in source.iter()? {
        let (key, value) = entry?;
        target.insert(key.value(), value.value())?;
        rows += 1;
    }
    Ok(rows)
}
