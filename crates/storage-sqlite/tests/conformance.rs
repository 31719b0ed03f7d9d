//! The shared storage conformance suite against a real SQLite file.

use tnw_storage_sqlite::SqliteStore;

/// A store on a new file in a temporary directory of its own, removed after the check
/// (the store is dropped first: fields drop in order).
struct FreshFile {
    store: SqliteStore,
    _dir: tempfile::TempDir,
}

impl tnw_storage_conformance::AsStore for FreshFile {
    fn as_store(&mut self) -> &mut dyn tnw_storage::Store {
        &mut self.store
    }
}

fn fresh_file() -> FreshFile {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(&dir.path().join("tnw.db")).unwrap();
    FreshFile { store, _dir: dir }
}

tnw_storage_conformance::conformance_tests!(fresh_file);

#[test]
fn audited_read_rechecks_under_a_second_connection() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tnw.db");
    let gate = SqliteStore::new_gate();
    let mut a = SqliteStore::open_shared(&path, gate.clone()).unwrap();
    let mut b = SqliteStore::open_shared(&path, gate).unwrap();
    tnw_storage_conformance::audited_read_sees_a_concurrent_append(&mut a, &mut b);
}

#[test]
fn a_stale_append_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tnw.db");
    let mut a = SqliteStore::open(&path).unwrap();
    // Another process (own gate), as an import beside a server.
    let mut b = SqliteStore::open(&path).unwrap();
    tnw_storage_conformance::stale_append_is_refused(&mut a, &mut b);
}

#[test]
fn reopening_keeps_data_and_schema_version() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tnw.db");
    {
        let mut store = SqliteStore::open(&path).unwrap();
        tnw_storage_conformance::write_and_load(&mut store);
    }
    let mut store = SqliteStore::open(&path).unwrap();
    assert_eq!(
        store.schema_version().unwrap(),
        tnw_storage_sqlite::SCHEMA_VERSION
    );
    use tnw_storage::prelude::*;
    assert_eq!(store.counts(None).unwrap().events, 3);
}

/// Reads on several connections of one pool group-commit their audit entries.
#[test]
fn concurrent_audited_reads_on_one_pool() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tnw.db");
    let gate = SqliteStore::new_gate();
    let stores: Vec<Box<dyn tnw_storage::Store + Send>> = (0..6)
        .map(|_| {
            Box::new(SqliteStore::open_shared(&path, gate.clone()).unwrap())
                as Box<dyn tnw_storage::Store + Send>
        })
        .collect();
    tnw_storage_conformance::concurrent_audited_reads(stores);
}
