//! Which cart a request names, and the session headers a cart response carries.
//!
//! CoCart 4.4 takes the key from the `CoCart-API-Cart-Key` header, or the `cart_key`
//! query/form parameter (never the JSON body, never a cookie); newer SDKs send and read
//! `Cart-Key`. Keys are normalised (trimmed, lower-cased, only `a-z0-9_-` kept); a request
//! without one gets a freshly minted guest key.

use rand::RngExt;

use crate::error::ApiError;
use crate::http::response::ApiResponse;
use crate::http::wp::ApiRequest;

/// The longest key cartd stores (CoCart's column width).
pub const MAX_KEY_LEN: usize = 42;

/// The CoCart version cartd reports in `CoCart-Version`.
pub const COCART_VERSION: &str = "4.4.0";

/// Where a requested key came from: the registered-user guard treats channels alike, but
/// handlers may want to know.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestedKey {
    /// The normalised key.
    pub key: String,
}

/// CoCart's normalisation: trim, lower-case, keep only `a-z`, `0-9`, `_` and `-`.
pub fn normalise(raw: &str) -> String {
    raw.trim()
        .to_lowercase()
        .chars()
        .filter(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '_' || *c == '-')
        .collect()
}

/// The key a request names, by precedence: `CoCart-API-Cart-Key` header, `Cart-Key`
/// header, `cart_key` form field, `cart_key` query parameter. `None` when none is given
/// (or it normalises to nothing); a 400 when it is longer than [`MAX_KEY_LEN`].
pub fn requested(req: &ApiRequest) -> Result<Option<RequestedKey>, ApiError> {
    let from_params = |source: &serde_json::Map<String, serde_json::Value>| {
        source
            .get("cart_key")
            .and_then(|v| v.as_str())
            .map(str::to_owned)
    };
    let candidates = [
        req.header("cocart-api-cart-key").map(str::to_owned),
        req.header("cart-key").map(str::to_owned),
        from_params(&req.params.form),
        from_params(&req.params.query),
    ];
    match candidates
        .into_iter()
        .flatten()
        .find(|raw| !normalise(raw).is_empty())
    {
        Some(raw) => checked(&raw),
        None => Ok(None),
    }
}

/// A raw key normalised: `None` when nothing is left, a 400 when it is longer than
/// [`MAX_KEY_LEN`]. Keys from the request and from `cocart_requested_cart_key` alike.
pub fn checked(raw: &str) -> Result<Option<RequestedKey>, ApiError> {
    let key = normalise(raw);
    if key.is_empty() {
        return Ok(None);
    }
    if key.len() > MAX_KEY_LEN {
        return Err(ApiError::new(
            400,
            "cocart_cart_key_too_long",
            format!("The cart key cannot be longer than {MAX_KEY_LEN} characters."),
        ));
    }
    Ok(Some(RequestedKey { key }))
}

/// A new guest key: 30 lowercase hex characters (the MD5 of 32 random bytes without its
/// first two digits), as CoCart mints them.
pub fn mint() -> String {
    let mut seed = [0u8; 32];
    rand::rng().fill(&mut seed[..]);
    let hex = format!("{:x}", md5::compute(seed));
    hex[2..].to_owned()
}

/// How long a session lasts from now: when it counts as "expiring soon" and when it
/// expires (`cocart_cart_expiring` / `cocart_cart_expiration` may change both).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lifetimes {
    /// Seconds until `CoCart-API-Cart-Expiring`.
    pub expiring_secs: u64,
    /// Seconds until the cart expires (`CoCart-API-Cart-Expiration`, the stored expiry).
    pub expiration_secs: u64,
}

/// Adds the headers of a successful v2 cart response: the key (as `CoCart-API-Cart-Key`
/// and `Cart-Key`), its expiry marks, the timestamp and the version.
pub fn with_session_headers(
    response: ApiResponse,
    cart_key: &str,
    now: u64,
    lifetimes: Lifetimes,
) -> ApiResponse {
    let response = with_version_headers(response, now);
    let response = if cart_key.is_empty() || cart_key == "0" {
        response
    } else {
        response
            .header("cocart-api-cart-key", cart_key)
            .header("cart-key", cart_key)
    };
    response
        .header(
            "cocart-api-cart-expiring",
            (now + lifetimes.expiring_secs).to_string(),
        )
        .header(
            "cocart-api-cart-expiration",
            (now + lifetimes.expiration_secs).to_string(),
        )
}

/// Adds `CoCart-Timestamp` and `CoCart-Version`, which every response of CoCart's v2
/// response helper carries.
pub fn with_version_headers(response: ApiResponse, now: u64) -> ApiResponse {
    response
        .header("cocart-timestamp", now.to_string())
        .header("cocart-version", COCART_VERSION)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_normalise_like_cocart() {
        assert_eq!(normalise("  ABC.def "), "abcdef");
        assert_eq!(normalise("a_b-C9!"), "a_b-c9");
        assert_eq!(normalise("..."), "");
    }

    #[test]
    fn minted_keys_are_30_hex_characters_and_differ() {
        let (a, b) = (mint(), mint());
        assert_eq!(a.len(), 30);
        assert!(
            a.chars()
                .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase())
        );
        assert_ne!(a, b);
    }
}
