//! How values are laid out on disk: one format version byte, then JSON.
//!
//! The version byte lets a later cartd read values written by an earlier one (and refuse
//! values from a newer one) value by value, without a table migration. JSON keeps the
//! data file inspectable and the codec shared with the API layer's serde types.

use serde::Serialize;
use serde::de::DeserializeOwned;

use super::StoreError;

/// The format version written today.
pub const FORMAT_V1: u8 = 1;

/// Encodes a value as the format version byte followed by its JSON.
pub fn encode<T: Serialize>(value: &T) -> Result<Vec<u8>, StoreError> {
    let mut bytes = vec![FORMAT_V1];
    serde_json::to_writer(&mut bytes, value).map_err(|e| StoreError::Codec(e.to_string()))?;
    Ok(bytes)
}

/// Decodes bytes written by [`encode`].
pub fn decode<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, StoreError> {
    match bytes.split_first() {
        Some((&FORMAT_V1, payload)) => {
            serde_json::from_slice(payload).map_err(|e| StoreError::Codec(e.to_string()))
        }
        Some((version, _)) => Err(StoreError::Codec(format!(
            "value format version {version} is not known to this cartd"
        ))),
        None => Err(StoreError::Codec("empty value".into())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_refuses_unknown_versions() {
        let bytes = encode(&vec!["a", "b"]).unwrap();
        assert_eq!(bytes[0], FORMAT_V1);
        assert_eq!(decode::<Vec<String>>(&bytes).unwrap(), vec!["a", "b"]);
        let mut future = bytes.clone();
        future[0] = 9;
        assert!(decode::<Vec<String>>(&future).is_err());
        assert!(decode::<Vec<String>>(&[]).is_err());
    }
}
