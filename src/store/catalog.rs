//! The catalog on disk: one row per record, keyed by record kind and position.
//!
//! The catalog type belongs to `crate::catalog`; this module stores any serde value whose
//! JSON form is an object of record lists (`{"products": [...], "coupons": [...]}`) or
//! single records (`{"settings": {...}}`), one row per record, so a large catalog is not
//! one giant value. A catalog change replaces every row in one transaction: an import is
//! all or nothing, and positions keep the merchant's order.

use redb::{ReadableTable, ReadableTableMetadata, WriteTransaction};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use super::codec::{decode, encode};
use super::tables::{KIND_ID_CATALOG_RECORD, META};
use super::writer::Job;
use super::{Store, StoreError};

/// Row id used for a member stored whole: a single record, or an empty list.
const SINGLE: u64 = u64::MAX;

/// The `meta` key recording where the stored catalog came from.
const ORIGIN_KEY: &str = "catalog_origin";

impl Store {
    /// Reads the stored catalog, or `None` when none has been stored yet.
    pub fn load_catalog<T: DeserializeOwned>(&self) -> Result<Option<T>, StoreError> {
        let txn = self.read()?;
        let table = txn.open_table(KIND_ID_CATALOG_RECORD)?;
        if table.is_empty()? {
            return Ok(None);
        }
        let mut object = Map::new();
        for entry in table.iter()? {
            let (key, value) = entry?;
            let (kind, position) = key.value();
            let record: Value = decode(value.value())?;
            if position == SINGLE {
                object.insert(kind.to_owned(), record);
            } else if let Value::Array(list) = object
                .entry(kind.to_owned())
                .or_insert_with(|| Value::Array(Vec::new()))
            {
                list.push(record);
            }
        }
        serde_json::from_value(Value::Object(object))
            .map(Some)
            .map_err(|e| StoreError::Codec(e.to_string()))
    }

    /// Where the stored catalog came from, as given to [`Store::replace_catalog_job`].
    pub fn catalog_origin(&self) -> Result<Option<String>, StoreError> {
        let txn = self.read()?;
        let meta = txn.open_table(META)?;
        let origin = meta.get(ORIGIN_KEY)?;
        origin.map(|bytes| decode(bytes.value())).transpose()
    }

    /// A job replacing the whole stored catalog with `catalog`, recording its `origin`
    /// (such as `demo` or `import`).
    pub fn replace_catalog_job<T: Serialize>(catalog: &T, origin: &str) -> Result<Job, StoreError> {
        let origin = encode(&origin)?;
        let Value::Object(members) =
            serde_json::to_value(catalog).map_err(|e| StoreError::Codec(e.to_string()))?
        else {
            return Err(StoreError::Codec(
                "a catalog must serialize to an object".into(),
            ));
        };
        let mut rows: Vec<(String, u64, Vec<u8>)> = Vec::new();
        for (kind, member) in members {
            match member {
                Value::Array(records) if !records.is_empty() => {
                    for (position, record) in records.iter().enumerate() {
                        rows.push((kind.clone(), position as u64, encode(record)?));
                    }
                }
                Value::Null => {}
                record => rows.push((kind, SINGLE, encode(&record)?)),
            }
        }
        Ok(Box::new(move |txn: &WriteTransaction| {
            let mut table = txn.open_table(KIND_ID_CATALOG_RECORD)?;
            table.retain(|_, _| false)?;
            for (kind, position, bytes) in &rows {
                table.insert((kind.as_str(), *position), bytes.as_slice())?;
            }
            txn.open_table(META)?
                .insert(ORIGIN_KEY, origin.as_slice())?;
            Ok(())
        }))
    }
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    use super::*;

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Shop {
        settings: Option<Map<String, Value>>,
        products: Vec<Value>,
        coupons: Vec<Value>,
    }

    #[tokio::test]
    async fn replaces_whole_catalogs_and_keeps_order() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("c.redb")).unwrap();
        assert_eq!(store.load_catalog::<Shop>().unwrap(), None);
        let first = Shop {
            settings: serde_json::from_str(r#"{"currency":"USD"}"#).unwrap(),
            products: (0..12)
                .map(|i| serde_json::json!({"id": 100 - i}))
                .collect(),
            coupons: vec![serde_json::json!({"code": "x"})],
        };
        store
            .write(Store::replace_catalog_job(&first, "demo").unwrap())
            .await
            .unwrap();
        assert_eq!(store.load_catalog::<Shop>().unwrap().as_ref(), Some(&first));
        assert_eq!(store.catalog_origin().unwrap().as_deref(), Some("demo"));
        let second = Shop {
            settings: None,
            products: vec![serde_json::json!({"id": 1})],
            coupons: vec![],
        };
        store
            .write(Store::replace_catalog_job(&second, "import").unwrap())
            .await
            .unwrap();
        assert_eq!(store.load_catalog::<Shop>().unwrap(), Some(second));
        assert_eq!(store.catalog_origin().unwrap().as_deref(), Some("import"));
    }
}
