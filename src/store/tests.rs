//! Store tests: durability across reopen, group commit under concurrency, schema checks.

use super::tables::{CARTKEY_SESSION, META};
use super::*;

fn put(key: String, value: Vec<u8>) -> Job {
    Box::new(move |txn| {
        txn.open_table(CARTKEY_SESSION)?
            .insert(key.as_str(), value.as_slice())?;
        Ok(())
    })
}

fn get(store: &Store, key: &str) -> Option<Vec<u8>> {
    let txn = store.read().unwrap();
    let table = txn.open_table(CARTKEY_SESSION).unwrap();
    table.get(key).unwrap().map(|v| v.value().to_vec())
}

#[tokio::test]
async fn reopen_sees_committed_data() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nested/folder/cartd.redb");
    let store = Store::open(&path).unwrap();
    store.write(put("k".into(), b"v".to_vec())).await.unwrap();
    drop(store);
    let store = Store::open(&path).unwrap();
    assert_eq!(get(&store, "k"), Some(b"v".to_vec()));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_writers_all_commit_and_are_visible() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("cartd.redb")).unwrap();
    let tasks: Vec<_> = (0..64)
        .map(|i| {
            let store = store.clone();
            tokio::spawn(async move {
                store
                    .write(put(format!("cart-{i}"), vec![i as u8]))
                    .await
                    .map(|()| get(&store, &format!("cart-{i}")))
            })
        })
        .collect();
    for (i, task) in tasks.into_iter().enumerate() {
        // Visible to a read started right after the acknowledgement.
        assert_eq!(task.await.unwrap().unwrap(), Some(vec![i as u8]));
    }
}

#[tokio::test]
async fn a_failing_job_fails_alone() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("cartd.redb")).unwrap();
    let failing: Job = Box::new(|_| Err(StoreError::Codec("refused".into())));
    let (good, bad, other) = tokio::join!(
        store.write(put("a".into(), vec![1])),
        store.write(failing),
        store.write(put("b".into(), vec![2])),
    );
    assert!(good.is_ok() && other.is_ok());
    assert!(matches!(bad, Err(StoreError::Codec(_))));
    assert_eq!(get(&store, "a"), Some(vec![1]));
    assert_eq!(get(&store, "b"), Some(vec![2]));
}

#[tokio::test]
async fn a_newer_schema_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cartd.redb");
    let store = Store::open(&path).unwrap();
    let future = (migrate::SCHEMA_VERSION + 1).to_le_bytes().to_vec();
    store
        .write(Box::new(move |txn| {
            txn.open_table(META)?
                .insert("schema_version", future.as_slice())?;
            Ok(())
        }))
        .await
        .unwrap();
    drop(store);
    assert!(matches!(Store::open(&path), Err(StoreError::TooNew { .. })));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn backup_under_concurrent_writes_holds_everything_committed_before_it() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("cartd.redb");
    let store = Store::open(&data).unwrap();
    for i in 0..50 {
        store
            .write(put(format!("before-{i}"), vec![1]))
            .await
            .unwrap();
    }
    let writer = {
        let store = store.clone();
        tokio::spawn(async move {
            for i in 0..200 {
                store
                    .write(put(format!("during-{i}"), vec![2]))
                    .await
                    .unwrap();
            }
        })
    };
    let out = dir.path().join("backup.redb");
    let copied = {
        let (data, out) = (data.clone(), out.clone());
        tokio::task::spawn_blocking(move || backup::backup(&data, &out))
            .await
            .unwrap()
            .unwrap()
    };
    writer.await.unwrap();
    assert!(copied >= 50);
    assert!(backup::backup(&data, &out).is_err(), "never overwrites");
    drop(store);
    let restored = Store::open(&out).unwrap();
    for i in 0..50 {
        assert_eq!(get(&restored, &format!("before-{i}")), Some(vec![1]));
    }
}
