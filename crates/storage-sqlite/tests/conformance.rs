//! The shared storage conformance suite against a real SQLite file.

use tnw_storage_sqlite::SqliteStore;

#[test]
fn sqlite_passes_the_conformance_suite() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = SqliteStore::open(&dir.path().join("tnw.db")).unwrap();
    tnw_storage::conformance::run_all(&mut store);
}

#[test]
fn reopening_keeps_data_and_schema_version() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tnw.db");
    {
        let mut store = SqliteStore::open(&path).unwrap();
        tnw_storage::conformance::write_and_load(&mut store);
    }
    let mut store = SqliteStore::open(&path).unwrap();
    assert_eq!(store.schema_version().unwrap(), 2);
    use tnw_storage::Store;
    assert_eq!(store.counts(None).unwrap().events, 3);
}
