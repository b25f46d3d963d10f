//! WooCommerce-style REST API keys: issuing them and checking a presented secret.
//!
//! A key pair is `ck_` + 40 hex digits and `cs_` + 40 hex digits, as WooCommerce issues
//! them, so storefront SDKs that validate the format accept cartd's keys. The pair is shown
//! once, when issued; the store keeps only keyed BLAKE2b-256 digests (one key per purpose,
//! so a key digest can never be replayed as a secret digest). The secret check compares
//! digests in constant time.

use blake2::Blake2bMac;
use blake2::digest::consts::U32;
use blake2::digest::{KeyInit, Mac};
use subtle::ConstantTimeEq;

use super::model::{ApiKey, KeyPermissions};

/// Digest key for consumer keys (domain separation, not a secret).
const KEY_DOMAIN: &[u8] = b"cartd consumer key v1";
/// Digest key for consumer secrets (domain separation, not a secret).
const SECRET_DOMAIN: &[u8] = b"cartd consumer secret v1";
/// How many trailing characters of the consumer key listings show.
const TRUNCATED_LEN: usize = 7;

/// A freshly issued key pair in clear, to hand to its owner once. `Debug` hides the
/// secret.
#[derive(Clone, PartialEq, Eq)]
pub struct IssuedKey {
    /// `ck_` + 40 lower-case hex digits.
    pub consumer_key: String,
    /// `cs_` + 40 lower-case hex digits.
    pub consumer_secret: String,
}

impl std::fmt::Debug for IssuedKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IssuedKey")
            .field("consumer_key", &self.consumer_key)
            .field("consumer_secret", &"<redacted>")
            .finish()
    }
}

/// Issues a new key pair for `user_id`: the record to store and the pair to show once.
pub fn issue(
    user_id: u64,
    permissions: KeyPermissions,
    description: impl Into<String>,
) -> (ApiKey, IssuedKey) {
    let issued = IssuedKey {
        consumer_key: random_token("ck_"),
        consumer_secret: random_token("cs_"),
    };
    let truncated_start = issued.consumer_key.len() - TRUNCATED_LEN;
    let record = ApiKey {
        key_lookup: key_lookup(&issued.consumer_key),
        secret_digest: digest_hex(SECRET_DOMAIN, &issued.consumer_secret),
        truncated_key: issued.consumer_key[truncated_start..].to_owned(),
        user_id,
        permissions,
        description: description.into(),
        last_access: None,
    };
    (record, issued)
}

/// The lookup digest of a presented consumer key: what [`ApiKey::key_lookup`] holds and
/// what the store indexes keys by.
pub fn key_lookup(consumer_key: &str) -> String {
    digest_hex(KEY_DOMAIN, consumer_key)
}

impl ApiKey {
    /// Whether `consumer_secret` is this key's secret, compared in constant time.
    pub fn secret_matches(&self, consumer_secret: &str) -> bool {
        let presented = digest_hex(SECRET_DOMAIN, consumer_secret);
        presented
            .as_bytes()
            .ct_eq(self.secret_digest.as_bytes())
            .into()
    }
}

/// `prefix` followed by 40 hex digits from 160 random bits.
fn random_token(prefix: &str) -> String {
    let mut bytes = [0u8; 20];
    rand::fill(&mut bytes);
    let mut token = String::with_capacity(prefix.len() + 40);
    token.push_str(prefix);
    push_hex(&mut token, &bytes);
    token
}

/// Keyed BLAKE2b-256 of `text`, as 64 lower-case hex digits.
fn digest_hex(domain: &[u8], text: &str) -> String {
    let mut hex = String::with_capacity(64);
    // The domain constants are shorter than BLAKE2b's 64-byte key limit, so the key is
    // always accepted; were it not, the empty digest would match no stored digest.
    if let Ok(mut mac) = <Blake2bMac<U32> as KeyInit>::new_from_slice(domain) {
        mac.update(text.as_bytes());
        push_hex(&mut hex, &mac.finalize().into_bytes());
    }
    hex
}

fn push_hex(out: &mut String, bytes: &[u8]) {
    use std::fmt::Write;
    for byte in bytes {
        // Writing to a String cannot fail.
        let _ = write!(out, "{byte:02x}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn is_token(value: &str, prefix: &str) -> bool {
        value.len() == 43
            && value.starts_with(prefix)
            && value[3..]
                .chars()
                .all(|c| c.is_ascii_digit() || ('a'..='f').contains(&c))
    }

    #[test]
    fn issued_pair_has_woocommerce_format_and_matching_record() {
        let (record, issued) = issue(7, KeyPermissions::Read, "POS");
        assert!(is_token(&issued.consumer_key, "ck_"), "{issued:?}");
        assert!(is_token(&issued.consumer_secret, "cs_"));
        assert_eq!(record.key_lookup, key_lookup(&issued.consumer_key));
        assert_eq!(record.key_lookup.len(), 64);
        assert_eq!(record.truncated_key, &issued.consumer_key[36..]);
        assert_eq!(record.user_id, 7);
        assert_eq!(record.permissions, KeyPermissions::Read);
        assert_eq!(record.description, "POS");
        assert_eq!(record.last_access, None);
        assert!(record.secret_matches(&issued.consumer_secret));
    }

    #[test]
    fn nothing_in_clear_is_stored_or_printed() {
        let (record, issued) = issue(1, KeyPermissions::ReadWrite, "");
        let stored = serde_json::to_string(&record).unwrap();
        assert!(!stored.contains(&issued.consumer_key));
        assert!(!stored.contains(&issued.consumer_secret[3..]));
        assert!(!format!("{record:?}").contains(&record.secret_digest));
        assert!(!format!("{issued:?}").contains(&issued.consumer_secret));
    }

    #[test]
    fn wrong_secrets_do_not_match() {
        let (record, issued) = issue(1, KeyPermissions::ReadWrite, "");
        assert!(!record.secret_matches(""));
        assert!(!record.secret_matches(&issued.consumer_key));
        assert!(!record.secret_matches(&issued.consumer_secret.to_uppercase()));
    }

    #[test]
    fn key_and_secret_digests_are_domain_separated() {
        assert_ne!(key_lookup("x"), digest_hex(SECRET_DOMAIN, "x"));
        assert_eq!(key_lookup("x"), key_lookup("x"));
    }

    #[test]
    fn every_issue_is_fresh() {
        let (_, first) = issue(1, KeyPermissions::Read, "");
        let (_, second) = issue(1, KeyPermissions::Read, "");
        assert_ne!(first.consumer_key, second.consumer_key);
        assert_ne!(first.consumer_secret, second.consumer_secret);
    }
}
