//! Test fixtures shared by the auth modules: an in-memory user directory with one user
//! of each role and one API key per permission.

use std::collections::HashMap;

use super::api_key;
use super::authenticator::{AuthMethod, DirectoryError, Principal, UserDirectory};
use super::model::{ApiKey, KeyPermissions, PasswordHash, Role, User};
use super::password::tests::cheap_hash;
use crate::cart::model::Address;

/// Passwords of the fixture users.
pub const ADMIN_PASSWORD: &str = "peer-admin-pass";
pub const CUSTOMER_PASSWORD: &str = "ann:s3cret";

/// Users and keys, searchable the way the store will search them.
pub struct Fixture {
    pub admin: User,
    pub manager: User,
    pub customer: User,
    pub other_customer: User,
    /// Clear consumer key and secret per permission.
    pub keys: HashMap<&'static str, (String, String)>,
    key_records: Vec<ApiKey>,
    /// When set, every lookup fails.
    pub broken: bool,
}

fn user(id: u64, username: &str, email: &str, role: Role, password: &str, phone: &str) -> User {
    User {
        id,
        username: username.into(),
        email: email.into(),
        display_name: username.into(),
        first_name: String::new(),
        last_name: String::new(),
        password_hash: PasswordHash(cheap_hash(password)),
        role,
        billing: Address {
            phone: phone.into(),
            ..Default::default()
        },
        shipping: Default::default(),
        registered: 1_795_315_000,
    }
}

impl Fixture {
    pub fn new() -> Fixture {
        let mut keys = HashMap::new();
        let mut key_records = Vec::new();
        for (name, permissions) in [
            ("read", KeyPermissions::Read),
            ("write", KeyPermissions::Write),
            ("read_write", KeyPermissions::ReadWrite),
        ] {
            let (record, issued) = api_key::issue(1, permissions, name);
            keys.insert(name, (issued.consumer_key, issued.consumer_secret));
            key_records.push(record);
        }
        Fixture {
            admin: user(
                1,
                "admin",
                "admin@example.test",
                Role::Administrator,
                ADMIN_PASSWORD,
                "",
            ),
            manager: user(
                2,
                "manager",
                "manager@example.test",
                Role::ShopManager,
                "mgr-pass",
                "",
            ),
            customer: user(
                3,
                "ann",
                "Ann@Example.test",
                Role::Customer,
                CUSTOMER_PASSWORD,
                "+44 (0)20 7946-0000",
            ),
            other_customer: user(
                4,
                "bob",
                "bob@example.test",
                Role::Customer,
                "bob-pass",
                "555 0100",
            ),
            keys,
            key_records,
            broken: false,
        }
    }

    fn users(&self) -> [&User; 4] {
        [
            &self.admin,
            &self.manager,
            &self.customer,
            &self.other_customer,
        ]
    }

    fn find(&self, matches: impl Fn(&User) -> bool) -> Result<Option<User>, DirectoryError> {
        if self.broken {
            return Err(DirectoryError("disk on fire".into()));
        }
        Ok(self.users().into_iter().find(|u| matches(u)).cloned())
    }
}

impl UserDirectory for Fixture {
    fn user_by_id(&self, id: u64) -> Result<Option<User>, DirectoryError> {
        self.find(|u| u.id == id)
    }
    fn user_by_login(&self, login: &str) -> Result<Option<User>, DirectoryError> {
        assert!(!login.is_empty(), "empty login looked up");
        self.find(|u| u.username.eq_ignore_ascii_case(login))
    }
    fn user_by_email(&self, email: &str) -> Result<Option<User>, DirectoryError> {
        assert!(!email.is_empty(), "empty email looked up");
        self.find(|u| u.email.eq_ignore_ascii_case(email))
    }
    fn first_user_by_billing_phone(&self, phone: &str) -> Result<Option<User>, DirectoryError> {
        assert!(!phone.is_empty(), "empty phone looked up");
        self.find(|u| u.billing.phone == phone)
    }
    fn api_key(&self, key_lookup: &str) -> Result<Option<ApiKey>, DirectoryError> {
        if self.broken {
            return Err(DirectoryError("disk on fire".into()));
        }
        Ok(self
            .key_records
            .iter()
            .find(|k| k.key_lookup == key_lookup)
            .cloned())
    }
}

/// A password-authenticated principal for `user`.
pub fn principal(user: &User) -> Principal {
    Principal {
        user: user.clone(),
        method: AuthMethod::Password,
    }
}
