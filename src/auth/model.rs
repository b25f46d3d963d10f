//! The people and keys authentication knows about, as stored records.
//!
//! These are plain serde types so the store can persist them in any codec and the
//! authenticator can reason about them without storage types. Secrets never appear in
//! clear: a [`User`] holds an argon2 PHC string and an [`ApiKey`] holds only digests of
//! its consumer key and secret. `Debug` output redacts both, so a stray `?user` in a log
//! line cannot leak them.

use serde::{Deserialize, Serialize};

use crate::cart::model::Address;

/// A WordPress-style role. cartd knows the three roles CoCart's permission checks
/// distinguish; each user has exactly one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Everything, including `GET /cocart/v1/get-cart/customer/{id}`.
    Administrator,
    /// WooCommerce's shop manager: has `manage_woocommerce` (the session routes).
    ShopManager,
    /// A registered customer: owns the cart keyed by their user ID.
    Customer,
}

impl Role {
    /// The WordPress role slug (`administrator`, `shop_manager`, `customer`).
    pub fn slug(self) -> &'static str {
        match self {
            Role::Administrator => "administrator",
            Role::ShopManager => "shop_manager",
            Role::Customer => "customer",
        }
    }

    /// Whether the role carries WooCommerce's `manage_woocommerce` capability.
    pub fn can_manage_woocommerce(self) -> bool {
        matches!(self, Role::Administrator | Role::ShopManager)
    }
}

/// An argon2 PHC string (`$argon2id$v=19$...`). Wrapped so `Debug` never prints it.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct PasswordHash(pub String);

impl std::fmt::Debug for PasswordHash {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PasswordHash(<redacted>)")
    }
}

/// A registered user: a customer, a shop manager or an administrator.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    /// User ID; a customer's cart lives under the key `id.to_string()`.
    pub id: u64,
    /// Login name (WordPress `user_login`).
    pub username: String,
    /// Account email (WordPress `user_email`).
    pub email: String,
    /// Public display name.
    pub display_name: String,
    /// Profile first name.
    pub first_name: String,
    /// Profile last name.
    pub last_name: String,
    /// Argon2 hash of the password.
    pub password_hash: PasswordHash,
    /// The user's role.
    pub role: Role,
    /// Billing address (its `phone` is the one Basic auth looks up).
    #[serde(default)]
    pub billing: Address,
    /// Shipping address.
    #[serde(default)]
    pub shipping: Address,
    /// Registration time, Unix seconds.
    pub registered: u64,
}

/// What a WooCommerce REST API key may do, checked against the request method.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum KeyPermissions {
    /// `GET` and `HEAD` only.
    Read,
    /// `POST`, `PUT`, `PATCH` and `DELETE` only.
    Write,
    /// Every method.
    ReadWrite,
}

/// A WooCommerce-style REST API key (`ck_…` / `cs_…`) acting as its owner.
///
/// Only digests are stored: `key_lookup` (the index the store finds the key by) and
/// `secret_digest`. Both are keyed BLAKE2b digests (see `api_key`): the key and secret
/// are 160 random bits each, so a fast digest protects them as well as a slow password
/// hash would, and checking a key on every request stays cheap.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiKey {
    /// Hex digest of the consumer key; unique, the store's lookup index.
    pub key_lookup: String,
    /// Hex digest of the consumer secret.
    pub secret_digest: String,
    /// The last 7 characters of the consumer key, for listings (as WooCommerce shows).
    pub truncated_key: String,
    /// The user the key acts as.
    pub user_id: u64,
    /// What the key may do.
    pub permissions: KeyPermissions,
    /// Free text naming the key's purpose.
    pub description: String,
    /// Last successful use, Unix seconds; the store updates it.
    pub last_access: Option<u64>,
}

impl std::fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ApiKey")
            .field("truncated_key", &self.truncated_key)
            .field("user_id", &self.user_id)
            .field("permissions", &self.permissions)
            .field("description", &self.description)
            .field("last_access", &self.last_access)
            .finish_non_exhaustive()
    }
}
