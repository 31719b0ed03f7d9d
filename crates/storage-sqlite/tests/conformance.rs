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
    assert_eq!(store.schema_version().unwrap(), 3);
    use tnw_storage::Store;
    assert_eq!(store.counts(None).unwrap().events, 3);
}

/// A database of the previous schema gets the new summary columns filled from its logs.
#[test]
fn migration_3_backfills_the_quick_scan_date() {
    use rusqlite::Connection;
    use tnw_storage::Store;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tnw.db");
    {
        let mut store = SqliteStore::open(&path).unwrap();
        tnw_storage::conformance::write_and_load(&mut store);
        let c = Connection::open(&path).unwrap();
        // Back to version 2 with one quick scan in a log.
        c.execute_batch(
            "DROP INDEX cases_assignee;
             ALTER TABLE cases DROP COLUMN assignee;
             ALTER TABLE cases DROP COLUMN quick_scan_returned;
             UPDATE case_logs SET log = substr(log, 1, length(log) - 1)
                || ',[9,\"2023-03-20\",\"00\",0,{\"type\":\"quick_scan_returned\",\"answers\":{}}]]'
             WHERE case_id = (SELECT min(case_id) FROM case_logs);
             PRAGMA user_version = 2;",
        )
        .unwrap();
        drop(store);
    }
    let mut store = SqliteStore::open(&path).unwrap();
    assert_eq!(store.schema_version().unwrap(), 3);
    assert!(store.counts(None).unwrap().cases > 0);
    let c = Connection::open(&path).unwrap();
    let dates: Vec<Option<String>> = c
        .prepare("SELECT quick_scan_returned FROM cases ORDER BY id")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(dates[0].as_deref(), Some("2023-03-20"), "{dates:?}");
    assert!(dates[1..].iter().all(Option::is_none), "{dates:?}");
}
