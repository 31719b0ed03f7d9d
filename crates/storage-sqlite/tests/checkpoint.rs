//! The background checkpointer keeps the WAL bounded for connections that do not
//! checkpoint themselves, and loses nothing.

use std::path::Path;
use std::time::Duration;
use tnw_domain::date::parse_date;
use tnw_domain::event::EventType;
use tnw_domain::CaseKey;
use tnw_storage::{CaseSummary, CaseWrite, Store, StoredEvent};
use tnw_storage_sqlite::{Checkpointer, SqliteStore};

fn case(i: u32) -> CaseWrite {
    let date = parse_date("2024-01-01").unwrap();
    CaseWrite {
        key: CaseKey::from_str_id(&format!("K{i}")),
        existing_id: None,
        events: vec![StoredEvent {
            seq: 1,
            date,
            kind: EventType::CaseOpened,
            fingerprint: u64::from(i) + 1,
            body: format!(r#"{{"type":"case_opened","n":{i}}}"#),
        }],
        summary: CaseSummary {
            person_id: format!("P{i}"),
            incapacity_start: date,
            ended: None,
            scheme: "employee".into(),
            region: "flanders".into(),
            language: "nl".into(),
            condition: "mental".into(),
            category: None,
            assignee: None,
            quick_scan_returned: None,
            facts: vec![0; 64],
        },
        tasks: Vec::new(),
    }
}

/// Writes `n` dossiers, one transaction each, on a connection without automatic
/// checkpoints; returns the WAL's size on disk afterwards.
fn write_many(path: &Path, store: &mut SqliteStore, n: u32) -> u64 {
    for i in 0..n {
        store.write_cases("f", None, &[case(i)], &[]).unwrap();
        if i % 50 == 0 {
            std::thread::sleep(Duration::from_millis(5));
        }
    }
    std::fs::metadata(path.with_extension("db-wal"))
        .unwrap()
        .len()
}

#[test]
fn the_checkpointer_restarts_the_wal_and_keeps_every_write() {
    let dir = tempfile::tempdir().unwrap();
    // Control: no checkpoints at all, the WAL only grows.
    let plain = dir.path().join("plain.db");
    let mut store = SqliteStore::open(&plain).unwrap();
    store.without_autocheckpoint().unwrap();
    let unbounded = write_many(&plain, &mut store, 600);

    let path = dir.path().join("tnw.db");
    let gate = SqliteStore::new_gate();
    let mut store = SqliteStore::open_shared(&path, gate.clone()).unwrap();
    store.without_autocheckpoint().unwrap();
    let checkpointer =
        Checkpointer::spawn(&path, gate.clone(), Duration::from_millis(2), 64).unwrap();
    let bounded = write_many(&path, &mut store, 600);
    drop(checkpointer);
    assert!(
        bounded * 3 < unbounded,
        "WAL {bounded} bytes with the checkpointer, {unbounded} without"
    );
    // Nothing lost, also for a fresh connection reading the file.
    drop(store);
    let mut again = SqliteStore::open(&path).unwrap();
    assert_eq!(again.counts(None).unwrap().events, 600);
}
