//! The schema version of the data file and the chain of migrations that brings an older
//! file up to date.
//!
//! `MIGRATIONS[n]` turns a version-`n` file into version `n + 1`; opening a file runs the
//! missing steps in one transaction, so a file is never left half-migrated. A file newer
//! than this binary is refused rather than misread.

use redb::{ReadableTable, WriteTransaction};

use super::StoreError;
use super::tables::{
    CARTKEY_SESSION, EMAIL_USERID, EXPIRY_CARTKEY, KEYLOOKUP_APIKEY, KIND_ID_CATALOG_RECORD,
    LOGIN_USERID, META, USERID_USER,
};

/// One migration step.
type Migration = fn(&WriteTransaction) -> Result<(), StoreError>;

/// The steps, oldest first. The schema version of a file is how many have run.
const MIGRATIONS: &[Migration] = &[create_v1_tables, create_v2_user_tables];

/// The schema version this binary writes.
pub const SCHEMA_VERSION: u32 = MIGRATIONS.len() as u32;

const VERSION_KEY: &str = "schema_version";

/// Version 1: the session, expiry and catalog tables.
fn create_v1_tables(txn: &WriteTransaction) -> Result<(), StoreError> {
    txn.open_table(CARTKEY_SESSION)?;
    txn.open_table(EXPIRY_CARTKEY)?;
    txn.open_table(KIND_ID_CATALOG_RECORD)?;
    Ok(())
}

/// Version 2: users, their login and email indexes, and API keys.
fn create_v2_user_tables(txn: &WriteTransaction) -> Result<(), StoreError> {
    txn.open_table(USERID_USER)?;
    txn.open_table(LOGIN_USERID)?;
    txn.open_table(EMAIL_USERID)?;
    txn.open_table(KEYLOOKUP_APIKEY)?;
    Ok(())
}

/// Reads the file's schema version (0 for a new file) and runs the missing migrations.
pub fn migrate(txn: &WriteTransaction) -> Result<u32, StoreError> {
    let mut meta = txn.open_table(META)?;
    let found = match meta.get(VERSION_KEY)? {
        Some(bytes) => {
            let raw: [u8; 4] = bytes
                .value()
                .try_into()
                .map_err(|_| StoreError::Codec("schema version is not 4 bytes".into()))?;
            u32::from_le_bytes(raw)
        }
        None => 0,
    };
    if found > SCHEMA_VERSION {
        return Err(StoreError::TooNew {
            found,
            supported: SCHEMA_VERSION,
        });
    }
    for step in &MIGRATIONS[found as usize..] {
        step(txn)?;
    }
    meta.insert(VERSION_KEY, SCHEMA_VERSION.to_le_bytes().as_slice())?;
    Ok(found)
}
