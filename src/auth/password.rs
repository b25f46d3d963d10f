//! Password hashing for registered users.
//!
//! Passwords are stored as argon2id PHC strings with the crate's recommended parameters
//! (the OWASP baseline). Verification reads the parameters from the stored string, so
//! hashes made with other parameters keep working if the defaults change. Checking a
//! password costs tens of milliseconds by design: callers on an async runtime should run
//! [`verify`] (and the whole authentication) on a blocking thread.

use std::sync::OnceLock;

use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash as PhcString;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};

/// Hashing failed inside argon2 (the OS random source was unavailable or the password
/// is longer than argon2 accepts). The password is never part of the error.
#[derive(Debug, thiserror::Error)]
#[error("password hashing failed: {0}")]
pub struct HashError(String);

/// Hashes `plain` with a fresh random salt into an argon2id PHC string.
pub fn hash(plain: &str) -> Result<String, HashError> {
    Argon2::default()
        .hash_password(plain.as_bytes())
        .map(|hash| hash.to_string())
        .map_err(|err| HashError(err.to_string()))
}

/// Whether `plain` matches the PHC string `hash`. A hash that does not parse, or names an
/// algorithm argon2 does not know, never matches.
pub fn verify(plain: &str, hash: &str) -> bool {
    match PhcString::new(hash) {
        Ok(parsed) => Argon2::default()
            .verify_password(plain.as_bytes(), &parsed)
            .is_ok(),
        Err(_) => false,
    }
}

/// Spends the time of one [`verify`] against a hash no password matches. Called when the
/// login names nobody, so the response time does not tell whether an account exists.
pub fn verify_against_nobody(plain: &str) {
    static DECOY: OnceLock<Option<String>> = OnceLock::new();
    let decoy = DECOY.get_or_init(|| {
        let mut unguessable = [0u8; 32];
        rand::fill(&mut unguessable);
        let decoy_password: String = unguessable.iter().map(|b| format!("{b:02x}")).collect();
        hash(&decoy_password).ok()
    });
    if let Some(decoy) = decoy {
        // The result is always false; only the time spent matters.
        let _ = verify(plain, decoy);
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use argon2::{Algorithm, Params, Version};

    /// A valid argon2id hash with the smallest parameters, so tests of the authenticator
    /// stay fast in debug builds; [`verify`] reads the parameters from the string.
    pub(crate) fn cheap_hash(plain: &str) -> String {
        let params = Params::new(Params::MIN_M_COST, 1, 1, None).unwrap();
        Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
            .hash_password(plain.as_bytes())
            .unwrap()
            .to_string()
    }

    #[test]
    fn hash_produces_an_argon2id_phc_string_that_verifies() {
        let stored = hash("correct horse").unwrap();
        assert!(stored.starts_with("$argon2id$v=19$"), "{stored}");
        assert!(verify("correct horse", &stored));
        assert!(!verify("correct horsE", &stored));
    }

    #[test]
    fn two_hashes_of_one_password_differ_by_salt() {
        assert_ne!(cheap_hash("same"), cheap_hash("same"));
    }

    #[test]
    fn verify_reads_parameters_from_the_stored_string() {
        let stored = cheap_hash("pw:with:colons");
        assert!(verify("pw:with:colons", &stored));
        assert!(!verify("pw", &stored));
    }

    #[test]
    fn garbage_and_foreign_hashes_never_match() {
        assert!(!verify("", ""));
        assert!(!verify("secret", "secret"));
        // A WordPress phpass hash: not a format cartd stores.
        assert!(!verify("secret", "$P$BZlPX7NIx8MYpXokBW2AGsN7i.aUOt0"));
    }
}
