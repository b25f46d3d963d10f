//! Accounts: the store seen as the user directory authentication needs, and the user
//! and API-key management behind `cartd user` and `cartd key`.
//!
//! `crate::auth` is pure (it only asks a [`UserDirectory`]); `crate::store` only stores
//! serde values. This module joins the two.

use crate::auth::api_key::{self, IssuedKey};
use crate::auth::model::{ApiKey, KeyPermissions, PasswordHash, Role, User};
use crate::auth::password;
use crate::auth::{DirectoryError, UserDirectory};
use crate::store::users::{UserIndex, UserStoreError};
use crate::store::{Store, StoreError};

/// The store as the user directory.
pub struct StoreDirectory<'a>(pub &'a Store);

fn lookup_failed(err: StoreError) -> DirectoryError {
    DirectoryError(err.to_string())
}

impl UserDirectory for StoreDirectory<'_> {
    fn user_by_id(&self, id: u64) -> Result<Option<User>, DirectoryError> {
        self.0.user(id).map_err(lookup_failed)
    }

    fn user_by_login(&self, login: &str) -> Result<Option<User>, DirectoryError> {
        self.0.user_by_index(false, login).map_err(lookup_failed)
    }

    fn user_by_email(&self, email: &str) -> Result<Option<User>, DirectoryError> {
        self.0.user_by_index(true, email).map_err(lookup_failed)
    }

    fn first_user_by_billing_phone(&self, phone: &str) -> Result<Option<User>, DirectoryError> {
        let users: Vec<User> = self.0.users().map_err(lookup_failed)?;
        let mut matches: Vec<User> = users
            .into_iter()
            .filter(|u| !u.billing.phone.is_empty() && u.billing.phone == phone)
            .collect();
        matches.sort_by(|a, b| a.username.cmp(&b.username));
        Ok(matches.into_iter().next())
    }

    fn api_key(&self, key_lookup: &str) -> Result<Option<ApiKey>, DirectoryError> {
        self.0.api_key(key_lookup).map_err(lookup_failed)
    }
}

/// A user or key command that could not be carried out.
#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    /// The user store refused.
    #[error(transparent)]
    Users(#[from] UserStoreError),
    /// Storage failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The password could not be hashed.
    #[error("cannot hash the password: {0}")]
    Hash(String),
    /// No such user.
    #[error("no user {0:?}")]
    UnknownUser(String),
    /// A value is not acceptable.
    #[error("{0}")]
    Invalid(String),
}

/// The new user's details for `cartd user add`.
pub struct NewUser<'a> {
    /// Login name.
    pub username: &'a str,
    /// Email address.
    pub email: &'a str,
    /// Password in clear (hashed here, never stored).
    pub password: &'a str,
    /// Role.
    pub role: Role,
}

/// Creates a user. Returns the new id.
pub fn add_user(store: &Store, new: &NewUser<'_>, now: u64) -> Result<u64, AccountError> {
    if new.username.trim().is_empty() {
        return Err(AccountError::Invalid(
            "the username must not be empty".into(),
        ));
    }
    if new.password.len() < 8 {
        return Err(AccountError::Invalid(
            "the password must have at least 8 characters".into(),
        ));
    }
    let hash = password::hash(new.password).map_err(|e| AccountError::Hash(e.to_string()))?;
    let index = UserIndex {
        id: 0,
        login: new.username.trim().to_owned(),
        email: new.email.trim().to_owned(),
    };
    let id = store.save_user(index, |id| User {
        id,
        username: new.username.trim().to_owned(),
        email: new.email.trim().to_owned(),
        display_name: new.username.trim().to_owned(),
        first_name: String::new(),
        last_name: String::new(),
        password_hash: PasswordHash(hash.clone()),
        role: new.role,
        billing: Default::default(),
        shipping: Default::default(),
        registered: now,
    })?;
    Ok(id)
}

/// Finds a user by id, login or email.
pub fn find_user(store: &Store, who: &str) -> Result<User, AccountError> {
    let directory = StoreDirectory(store);
    let found = match who.parse::<u64>() {
        Ok(id) => directory.user_by_id(id),
        Err(_) if who.contains('@') => directory.user_by_email(who),
        Err(_) => directory.user_by_login(who),
    }
    .map_err(|e| AccountError::Invalid(e.0))?;
    found.ok_or_else(|| AccountError::UnknownUser(who.to_owned()))
}

/// Replaces a user's password.
pub fn set_password(store: &Store, who: &str, new_password: &str) -> Result<(), AccountError> {
    if new_password.len() < 8 {
        return Err(AccountError::Invalid(
            "the password must have at least 8 characters".into(),
        ));
    }
    let mut user = find_user(store, who)?;
    let hash = password::hash(new_password).map_err(|e| AccountError::Hash(e.to_string()))?;
    user.password_hash = PasswordHash(hash);
    let index = UserIndex {
        id: user.id,
        login: user.username.clone(),
        email: user.email.clone(),
    };
    store.save_user(index, |_| user.clone())?;
    Ok(())
}

/// Deletes a user, their API keys and their cart.
pub fn remove_user(store: &Store, who: &str) -> Result<User, AccountError> {
    let user = find_user(store, who)?;
    let keys: Vec<(String, ApiKey)> = store.api_keys()?;
    let owned: Vec<String> = keys
        .into_iter()
        .filter(|(_, key)| key.user_id == user.id)
        .map(|(lookup, _)| lookup)
        .collect();
    store.delete_api_keys(owned)?;
    store.delete_user(user.id)?;
    store.write_blocking(Store::delete_session_job(&user.id.to_string()).0)?;
    Ok(user)
}

/// Issues a consumer key/secret pair for a user. The secret is returned once and only
/// its digest is stored.
pub fn create_key(
    store: &Store,
    who: &str,
    permissions: KeyPermissions,
    description: &str,
) -> Result<(ApiKey, IssuedKey), AccountError> {
    let user = find_user(store, who)?;
    let (key, issued) = api_key::issue(user.id, permissions, description);
    store.write_blocking(Store::save_api_key_job(&key.key_lookup, &key)?)?;
    Ok((key, issued))
}

/// Revokes the keys whose consumer key ends with `truncated` (the last 7 characters
/// shown by `cartd key list`) or equals it. Returns how many.
pub fn revoke_key(store: &Store, truncated: &str) -> Result<usize, AccountError> {
    let wanted = truncated.trim();
    if wanted.is_empty() {
        return Err(AccountError::Invalid("name the key to revoke".into()));
    }
    let lookup = api_key::key_lookup(wanted);
    let keys: Vec<(String, ApiKey)> = store.api_keys()?;
    let matching: Vec<String> = keys
        .into_iter()
        .filter(|(found, key)| *found == lookup || key.truncated_key == wanted)
        .map(|(found, _)| found)
        .collect();
    Ok(store.delete_api_keys(matching)?)
}
