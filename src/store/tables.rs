//! Every redb table cartd keeps, declared in one place.
//!
//! Names follow `key_value` so a reader can tell what a table maps from what to what.
//! Values are always bytes produced by [`super::codec`] (a format version byte, then the
//! payload), so a value's layout can change without a new table.

use redb::TableDefinition;

/// Store-wide facts such as the schema version (`schema_version` → u32 little-endian).
pub const META: TableDefinition<&str, &[u8]> = TableDefinition::new("meta");

/// Cart sessions by cart key (a guest key or a customer's user id as text).
pub const CARTKEY_SESSION: TableDefinition<&str, &[u8]> = TableDefinition::new("cartkey_session");

/// The expiry index of cart sessions: (expiry unix seconds, cart key) → nothing, so the
/// clean-up task reads expired carts in order without scanning every session.
pub const EXPIRY_CARTKEY: TableDefinition<(u64, &str), ()> = TableDefinition::new("expiry_cartkey");

/// Catalog records: (record kind, id) → record.
pub const KIND_ID_CATALOG_RECORD: TableDefinition<(&str, u64), &[u8]> =
    TableDefinition::new("kind_id_catalog_record");

/// Registered users by id.
pub const USERID_USER: TableDefinition<u64, &[u8]> = TableDefinition::new("userid_user");

/// User ids by lower-cased login name.
pub const LOGIN_USERID: TableDefinition<&str, u64> = TableDefinition::new("login_userid");

/// User ids by lower-cased email address.
pub const EMAIL_USERID: TableDefinition<&str, u64> = TableDefinition::new("email_userid");

/// REST API keys by the keyed digest of their consumer key.
pub const KEYLOOKUP_APIKEY: TableDefinition<&str, &[u8]> = TableDefinition::new("keylookup_apikey");
