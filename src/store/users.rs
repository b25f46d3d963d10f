//! Registered users and REST API keys on disk.
//!
//! Users are stored by id with unique, case-insensitive indexes on login and email; API
//! keys by the digest of their consumer key (the key itself is never stored). The record
//! types belong to `crate::auth`; this module stores any serde value, given the index
//! values it needs.

use redb::{ReadableTable, WriteTransaction};
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::codec::{decode, encode};
use super::tables::{EMAIL_USERID, KEYLOOKUP_APIKEY, LOGIN_USERID, META, USERID_USER};
use super::writer::Job;
use super::{Store, StoreError};

const NEXT_USER_ID: &str = "next_user_id";

/// What identifies a user besides the id: the unique login and email.
#[derive(Debug, Clone)]
pub struct UserIndex {
    /// The user id (0 asks for the next free id).
    pub id: u64,
    /// Login name.
    pub login: String,
    /// Email address.
    pub email: String,
}

/// A user could not be saved.
#[derive(Debug, thiserror::Error)]
pub enum UserStoreError {
    /// Another user has this login.
    #[error("the username {0:?} is taken")]
    LoginTaken(String),
    /// Another user has this email address.
    #[error("the email address {0:?} is taken")]
    EmailTaken(String),
    /// No user has this id.
    #[error("no user with id {0}")]
    UnknownUser(u64),
    /// Storage failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl Store {
    /// Inserts or replaces a user, keeping the login and email indexes unique. Returns the
    /// user id (assigned when `index.id` is 0). Built by `make`, which receives the id.
    pub fn save_user<T: Serialize>(
        &self,
        index: UserIndex,
        make: impl Fn(u64) -> T,
    ) -> Result<u64, UserStoreError> {
        let txn = self.read()?;
        let login_key = index.login.to_lowercase();
        let email_key = index.email.to_lowercase();
        let logins = txn.open_table(LOGIN_USERID).map_err(StoreError::from)?;
        if let Some(owner) = logins.get(login_key.as_str()).map_err(StoreError::from)?
            && owner.value() != index.id
        {
            return Err(UserStoreError::LoginTaken(index.login));
        }
        let emails = txn.open_table(EMAIL_USERID).map_err(StoreError::from)?;
        if !email_key.is_empty()
            && let Some(owner) = emails.get(email_key.as_str()).map_err(StoreError::from)?
            && owner.value() != index.id
        {
            return Err(UserStoreError::EmailTaken(index.email));
        }
        let previous: Option<(String, String)> = if index.id == 0 {
            None
        } else {
            let users = txn.open_table(USERID_USER).map_err(StoreError::from)?;
            if users.get(index.id).map_err(StoreError::from)?.is_none() {
                return Err(UserStoreError::UnknownUser(index.id));
            }
            let login = logins
                .iter()
                .map_err(StoreError::from)?
                .filter_map(Result::ok)
                .find(|(_, id)| id.value() == index.id)
                .map(|(login, _)| login.value().to_owned());
            let email = emails
                .iter()
                .map_err(StoreError::from)?
                .filter_map(Result::ok)
                .find(|(_, id)| id.value() == index.id)
                .map(|(email, _)| email.value().to_owned());
            Some((login.unwrap_or_default(), email.unwrap_or_default()))
        };
        drop((logins, emails, txn));
        let id = if index.id == 0 {
            self.next_user_id()?
        } else {
            index.id
        };
        let record = encode(&make(id))?;
        self.write_blocking(Box::new(move |txn: &WriteTransaction| {
            let mut logins = txn.open_table(LOGIN_USERID)?;
            let mut emails = txn.open_table(EMAIL_USERID)?;
            if let Some((old_login, old_email)) = &previous {
                logins.remove(old_login.as_str())?;
                emails.remove(old_email.as_str())?;
            }
            logins.insert(login_key.as_str(), id)?;
            if !email_key.is_empty() {
                emails.insert(email_key.as_str(), id)?;
            }
            txn.open_table(USERID_USER)?.insert(id, record.as_slice())?;
            Ok(())
        }))?;
        Ok(id)
    }

    fn next_user_id(&self) -> Result<u64, StoreError> {
        let txn = self.read()?;
        let users = txn.open_table(USERID_USER)?;
        let highest = users.last()?.map(|(id, _)| id.value()).unwrap_or(0);
        let reserved = match txn.open_table(META)?.get(NEXT_USER_ID)? {
            Some(bytes) => decode::<u64>(bytes.value())?,
            None => 1,
        };
        let id = reserved.max(highest + 1);
        drop((users, txn));
        let next = encode(&(id + 1))?;
        self.write_blocking(Box::new(move |txn: &WriteTransaction| {
            txn.open_table(META)?
                .insert(NEXT_USER_ID, next.as_slice())?;
            Ok(())
        }))?;
        Ok(id)
    }

    /// A user by id.
    pub fn user<T: DeserializeOwned>(&self, id: u64) -> Result<Option<T>, StoreError> {
        let txn = self.read()?;
        let table = txn.open_table(USERID_USER)?;
        let row = table.get(id)?;
        row.map(|bytes| decode(bytes.value())).transpose()
    }

    /// A user by login name or email (case-insensitive).
    pub fn user_by_index<T: DeserializeOwned>(
        &self,
        by_email: bool,
        value: &str,
    ) -> Result<Option<T>, StoreError> {
        let txn = self.read()?;
        let index = txn.open_table(if by_email { EMAIL_USERID } else { LOGIN_USERID })?;
        let id = index
            .get(value.to_lowercase().as_str())?
            .map(|id| id.value());
        drop(index);
        drop(txn);
        match id {
            Some(id) => self.user(id),
            None => Ok(None),
        }
    }

    /// Every user, by id.
    pub fn users<T: DeserializeOwned>(&self) -> Result<Vec<T>, StoreError> {
        let txn = self.read()?;
        let table = txn.open_table(USERID_USER)?;
        table
            .iter()?
            .map(|entry| {
                let (_, value) = entry?;
                decode(value.value())
            })
            .collect()
    }

    /// Deletes a user and their index entries. Returns whether there was one.
    pub fn delete_user(&self, id: u64) -> Result<bool, StoreError> {
        if self.user::<serde::de::IgnoredAny>(id)?.is_none() {
            return Ok(false);
        }
        self.write_blocking(Box::new(move |txn: &WriteTransaction| {
            txn.open_table(USERID_USER)?.remove(id)?;
            for table in [LOGIN_USERID, EMAIL_USERID] {
                let mut index = txn.open_table(table)?;
                index.retain(|_, owner| owner != id)?;
            }
            Ok(())
        }))?;
        Ok(true)
    }

    /// Stores an API key under the digest of its consumer key.
    pub fn save_api_key_job<T: Serialize>(lookup: &str, key: &T) -> Result<Job, StoreError> {
        let lookup = lookup.to_owned();
        let record = encode(key)?;
        Ok(Box::new(move |txn: &WriteTransaction| {
            txn.open_table(KEYLOOKUP_APIKEY)?
                .insert(lookup.as_str(), record.as_slice())?;
            Ok(())
        }))
    }

    /// An API key by the digest of its consumer key.
    pub fn api_key<T: DeserializeOwned>(&self, lookup: &str) -> Result<Option<T>, StoreError> {
        let txn = self.read()?;
        let table = txn.open_table(KEYLOOKUP_APIKEY)?;
        let row = table.get(lookup)?;
        row.map(|bytes| decode(bytes.value())).transpose()
    }

    /// Every API key with its lookup digest.
    pub fn api_keys<T: DeserializeOwned>(&self) -> Result<Vec<(String, T)>, StoreError> {
        let txn = self.read()?;
        let table = txn.open_table(KEYLOOKUP_APIKEY)?;
        table
            .iter()?
            .map(|entry| {
                let (key, value) = entry?;
                Ok((key.value().to_owned(), decode(value.value())?))
            })
            .collect()
    }

    /// Deletes the API keys with these lookup digests. Returns how many were named.
    pub fn delete_api_keys(&self, lookups: Vec<String>) -> Result<usize, StoreError> {
        let count = lookups.len();
        self.write_blocking(Box::new(move |txn: &WriteTransaction| {
            let mut table = txn.open_table(KEYLOOKUP_APIKEY)?;
            for lookup in &lookups {
                table.remove(lookup.as_str())?;
            }
            Ok(())
        }))?;
        Ok(count)
    }
}
