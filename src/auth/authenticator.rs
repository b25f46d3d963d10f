//! Turning one request's credentials into a user, in CoCart's order and with its errors.
//!
//! Order (`auth.md` §1): a WooCommerce API key first (Basic credentials or the
//! `consumer_key`/`consumer_secret` query parameters), then CoCart's own Basic auth (the
//! `Authorization` header, else `username`/`password` parameters). Absent credentials
//! make a guest; present but wrong ones refuse the request whatever the route.
//!
//! Where live CoCart crashes or leaks, cartd answers differently (`compatibility-policy.md`):
//! an unknown login gets the same 401 as a wrong password (CoCart 4.4 crashes with a 500);
//! an empty login is `Authentication invalid!` (CoCart checks the password of some user
//! who has a phone number); the 401 names the login as the client typed it, not the
//! account's login found by email or phone, so an email address never reveals a login.

use std::net::IpAddr;

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;

use super::api_key;
use super::error::AuthError;
use super::model::{ApiKey, KeyPermissions, Role, User};
use super::password;
use super::throttle::{Subject, Throttle};

/// The credentials one request carries, as raw strings. Fill every field that the request
/// has; the authenticator decides which one counts.
pub struct AuthInput<'a> {
    /// The `Authorization` header value, as sent.
    pub authorization: Option<&'a str>,
    /// `consumer_key` from the query string (WooCommerce reads only the query string).
    pub consumer_key: Option<&'a str>,
    /// `consumer_secret` from the query string.
    pub consumer_secret: Option<&'a str>,
    /// `username` from the query string, a form body or a JSON body (body wins). CoCart
    /// 4.4 reads only the first two; the JSON body is the spec's DECISION
    /// (`store-login-logout.md` §2.2, as CoCart 4.9 documents).
    pub username: Option<&'a str>,
    /// `password`, from the same places as `username`.
    pub password: Option<&'a str>,
    /// The HTTP method, upper-case (`GET`, `POST`, ...): API keys are checked against it.
    pub method: &'a str,
    /// The client's address, for throttling; `None` when unknown.
    pub client_addr: Option<IpAddr>,
    /// Whether credentials are looked at all: true over HTTPS, or over plain HTTP when
    /// the configuration allows it. When false every request is a guest, with no error.
    pub credentials_accepted: bool,
}

/// How the caller proved who they are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuthMethod {
    /// A password (Basic header or `username`/`password` parameters).
    Password,
    /// A WooCommerce API key; `key_lookup` identifies it, e.g. to update `last_access`.
    ApiKey {
        /// The key's lookup digest.
        key_lookup: String,
    },
}

/// An authenticated caller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    /// The user the request acts as (an API key acts as its owner).
    pub user: User,
    /// How they authenticated.
    pub method: AuthMethod,
}

impl Principal {
    /// The user ID.
    pub fn user_id(&self) -> u64 {
        self.user.id
    }

    /// The user's cart key: their ID as a string.
    pub fn cart_key(&self) -> String {
        self.user.id.to_string()
    }

    /// The user's role.
    pub fn role(&self) -> Role {
        self.user.role
    }

    /// Whether the user has `manage_woocommerce` (administrators and shop managers).
    pub fn can_manage_woocommerce(&self) -> bool {
        self.user.role.can_manage_woocommerce()
    }
}

/// The store could not answer a lookup. The text is for the log, never for a client.
#[derive(Debug, thiserror::Error)]
#[error("user directory failed: {0}")]
pub struct DirectoryError(pub String);

impl From<DirectoryError> for AuthError {
    fn from(err: DirectoryError) -> Self {
        tracing::error!(error = %err, "user lookup failed during authentication");
        AuthError::internal()
    }
}

/// Read access to users and API keys, implemented over the store.
///
/// Logins and emails match ignoring ASCII case (WordPress's database collation does);
/// the argument is never empty.
pub trait UserDirectory {
    /// The user with this ID.
    fn user_by_id(&self, id: u64) -> Result<Option<User>, DirectoryError>;
    /// The user with this login.
    fn user_by_login(&self, login: &str) -> Result<Option<User>, DirectoryError>;
    /// The user with this account email.
    fn user_by_email(&self, email: &str) -> Result<Option<User>, DirectoryError>;
    /// Of the users whose billing phone equals `phone` exactly, the first by login.
    fn first_user_by_billing_phone(&self, phone: &str) -> Result<Option<User>, DirectoryError>;
    /// The API key with this lookup digest ([`api_key::key_lookup`]).
    fn api_key(&self, key_lookup: &str) -> Result<Option<ApiKey>, DirectoryError>;
}

/// Authenticates one request at `now` (Unix seconds).
///
/// `Ok(None)` is a guest (no credentials, or credentials not accepted on this
/// transport). `Err` is the refusal to send, whatever the route: 401 for bad credentials,
/// 429 while the login or address is locked out, 500 if the directory failed. This does
/// an argon2 verification (tens of milliseconds): call it from a blocking thread.
pub fn authenticate(
    input: &AuthInput<'_>,
    directory: &dyn UserDirectory,
    throttle: &Throttle,
    now: u64,
) -> Result<Option<Principal>, AuthError> {
    if !input.credentials_accepted {
        return Ok(None);
    }
    let header = BasicHeader::parse(input.authorization);
    let attempt = Attempt {
        input,
        directory,
        throttle,
        now,
    };
    if let Some(principal) = attempt.with_api_key(&header)? {
        return Ok(Some(principal));
    }
    attempt.with_password(header)
}

/// What the `Authorization` header holds.
enum BasicHeader {
    /// No header, or another scheme (left to other methods).
    Absent,
    /// `Basic` whose payload has no colon: no credentials, and the parameters are not
    /// consulted either (CoCart looks no further once it saw a Basic header).
    Unusable,
    /// `Basic` with a login and password, split at the first colon, not trimmed.
    Pair { login: String, password: String },
}

impl BasicHeader {
    fn parse(header: Option<&str>) -> BasicHeader {
        let Some(value) = header else {
            return BasicHeader::Absent;
        };
        let is_basic = value
            .get(..6)
            .is_some_and(|scheme| scheme.eq_ignore_ascii_case("basic "));
        if !is_basic {
            return BasicHeader::Absent;
        }
        let Ok(decoded) = BASE64.decode(value[6..].trim()) else {
            return BasicHeader::Unusable;
        };
        let decoded = String::from_utf8_lossy(&decoded);
        match decoded.split_once(':') {
            Some((login, password)) => BasicHeader::Pair {
                login: login.to_owned(),
                password: password.to_owned(),
            },
            None => BasicHeader::Unusable,
        }
    }
}

/// PHP's `empty()` on a string: `""` and `"0"` count as empty. CoCart and WooCommerce
/// test credentials with it, so a lone `0` is not a login or password.
fn php_empty(value: &str) -> bool {
    value.is_empty() || value == "0"
}

/// One authentication attempt and what it needs.
struct Attempt<'a> {
    input: &'a AuthInput<'a>,
    directory: &'a dyn UserDirectory,
    throttle: &'a Throttle,
    now: u64,
}

impl Attempt<'_> {
    /// The subjects a failure counts against: `login` and the client address.
    fn subjects(&self, login: Option<Subject>) -> Vec<Subject> {
        login
            .into_iter()
            .chain(self.input.client_addr.map(Subject::address))
            .collect()
    }

    fn fail(&self, subjects: &[Subject], err: AuthError) -> AuthError {
        self.throttle.record_failure(subjects, self.now);
        err
    }

    /// WooCommerce's key check. `Ok(None)` when no key pair is present or the key is
    /// unknown (then Basic credentials are tried as a login and password).
    fn with_api_key(&self, header: &BasicHeader) -> Result<Option<Principal>, AuthError> {
        let pair = match header {
            BasicHeader::Pair { login, password } if !php_empty(login) && !php_empty(password) => {
                Some((login.as_str(), password.as_str()))
            }
            _ => None,
        }
        .or(
            match (self.input.consumer_key, self.input.consumer_secret) {
                (Some(key), Some(secret)) if !php_empty(key) && !php_empty(secret) => {
                    Some((key, secret))
                }
                _ => None,
            },
        );
        let Some((consumer_key, consumer_secret)) = pair else {
            return Ok(None);
        };
        let key_lookup = api_key::key_lookup(consumer_key);
        let Some(key) = self.directory.api_key(&key_lookup)? else {
            return Ok(None);
        };
        let Some(user) = self.directory.user_by_id(key.user_id)? else {
            tracing::warn!(truncated_key = %key.truncated_key, "API key of a deleted user ignored");
            return Ok(None);
        };
        let key_subject = Subject::ApiKey(key_lookup.clone());
        let subjects = self.subjects(Some(key_subject.clone()));
        self.throttle.check(&subjects, self.now)?;
        if !key.secret_matches(consumer_secret) {
            return Err(self.fail(&subjects, AuthError::consumer_secret_invalid()));
        }
        self.throttle.record_success(&key_subject);
        key_allows_method(key.permissions, self.input.method)?;
        Ok(Some(Principal {
            user,
            method: AuthMethod::ApiKey { key_lookup },
        }))
    }

    /// CoCart's Basic auth: header, else `username`/`password` parameters.
    fn with_password(&self, header: BasicHeader) -> Result<Option<Principal>, AuthError> {
        let (typed_login, password) = match header {
            BasicHeader::Pair { login, password } => (login, password),
            BasicHeader::Unusable => return Ok(None),
            BasicHeader::Absent => match (self.input.username, self.input.password) {
                (Some(login), Some(password)) if !php_empty(login) && !php_empty(password) => {
                    (login.trim().to_owned(), password.trim().to_owned())
                }
                _ => return Ok(None),
            },
        };
        if typed_login.is_empty() {
            let subjects = self.subjects(None);
            self.throttle.check(&subjects, self.now)?;
            return Err(self.fail(&subjects, AuthError::authentication_invalid()));
        }
        let login = self.resolve_login(&typed_login)?;
        if php_empty(&login) && php_empty(&password) {
            return Ok(None);
        }
        if php_empty(&login) || php_empty(&password) {
            let subjects = self.subjects(None);
            self.throttle.check(&subjects, self.now)?;
            return Err(self.fail(&subjects, AuthError::authentication_invalid()));
        }
        let login_subject = Subject::login(login.trim());
        let subjects = self.subjects(Some(login_subject.clone()));
        self.throttle.check(&subjects, self.now)?;
        let verified = match self.directory.user_by_login(login.trim())? {
            Some(user) if password::verify(&password, &user.password_hash.0) => Some(user),
            Some(_) => None,
            None => {
                password::verify_against_nobody(&password);
                None
            }
        };
        match verified {
            Some(user) => {
                self.throttle.record_success(&login_subject);
                Ok(Some(Principal {
                    user,
                    method: AuthMethod::Password,
                }))
            }
            None => Err(self.fail(&subjects, AuthError::password_incorrect(&typed_login))),
        }
    }

    /// CoCart's `get_username`: a phone-like value becomes the login of the first user
    /// with that billing phone (or `""`); then an email of a known account becomes its
    /// login; anything else is taken as a login.
    fn resolve_login(&self, typed: &str) -> Result<String, AuthError> {
        let mut login = typed.to_owned();
        if looks_like_phone(&login) {
            login = self
                .directory
                .first_user_by_billing_phone(&login)?
                .map(|user| user.username)
                .unwrap_or_default();
        }
        if is_email(&login)
            && let Some(user) = self.directory.user_by_email(&login)?
        {
            login = user.username;
        }
        Ok(login)
    }
}

/// WooCommerce's method check for API keys.
fn key_allows_method(permissions: KeyPermissions, method: &str) -> Result<(), AuthError> {
    let (can_read, can_write) = match permissions {
        KeyPermissions::Read => (true, false),
        KeyPermissions::Write => (false, true),
        KeyPermissions::ReadWrite => (true, true),
    };
    match method {
        "GET" | "HEAD" if !can_read => Err(AuthError::key_cannot_read()),
        "POST" | "PUT" | "PATCH" | "DELETE" if !can_write => Err(AuthError::key_cannot_write()),
        "GET" | "HEAD" | "POST" | "PUT" | "PATCH" | "DELETE" | "OPTIONS" => Ok(()),
        _ => Err(AuthError::key_unknown_method()),
    }
}

/// WooCommerce's phone test, without its quirk: non-empty and made only of digits,
/// whitespace and `# _ - + / ( ) .`.
fn looks_like_phone(value: &str) -> bool {
    !value.is_empty()
        && value
            .chars()
            .all(|c| c.is_ascii_digit() || c.is_ascii_whitespace() || "#_-+/().".contains(c))
}

/// WordPress's `is_email`: `local@domain` with at least 6 characters, a local part of
/// the allowed characters, and a domain of two or more labels made of letters, digits and
/// inner hyphens.
fn is_email(value: &str) -> bool {
    const LOCAL_SPECIALS: &str = "!#$%&'*+/=?^_`{|}~.-";
    if value.len() < 6 {
        return false;
    }
    let Some((local, domain)) = value.split_once('@') else {
        return false;
    };
    if local.is_empty()
        || !local
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || LOCAL_SPECIALS.contains(c))
    {
        return false;
    }
    if domain.contains("..") {
        return false;
    }
    let labels: Vec<&str> = domain
        .trim_matches(|c: char| c == '.' || c.is_whitespace())
        .split('.')
        .collect();
    labels.len() >= 2
        && labels.iter().all(|label| {
            !label.is_empty()
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
}

#[cfg(test)]
mod tests;
