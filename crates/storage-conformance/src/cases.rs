//! Dossiers one at a time: the empty store, writing and loading, and funds kept apart.

use crate::fixtures::{event, new_case, summary};
use tnw_domain::event::EventType;
use tnw_domain::CaseKey;
use tnw_storage::{CaseWrite, ImportRecord, Store};

/// An empty store knows no dossier and counts none.
pub fn empty_store(store: &mut dyn Store) {
    let keys = [CaseKey::from_str_id("nobody")];
    let got = store.load_cases("fund-a", &keys).expect("load");
    assert_eq!(got, vec![None], "an unknown case loads as None");
    assert_eq!(store.counts(None).expect("counts").cases, 0);
}

/// A written dossier loads back whole, an append continues its log in arrival order, and
/// the import record counts it.
pub fn write_and_load(store: &mut dyn Store) {
    let rec = ImportRecord {
        source: "test.jsonl".into(),
        ..Default::default()
    };
    let import = store.begin_import("fund-a", &rec).expect("begin");
    let c = new_case(
        "C1",
        vec![
            event(1, "2023-01-01", EventType::CaseOpened),
            event(2, "2023-03-05", EventType::QuickScanSent),
        ],
    );
    store
        .write_cases("fund-a", Some(import), &[c], &[])
        .expect("write");
    let loaded = store
        .load_cases("fund-a", &[CaseKey::from_str_id("C1")])
        .expect("load")
        .pop()
        .flatten()
        .expect("the written case loads");
    assert_eq!(loaded.org, "fund-a");
    assert_eq!(loaded.events.len(), 2);
    assert_eq!(loaded.events[1].kind, EventType::QuickScanSent);
    assert_eq!(
        loaded.events[1].fingerprint,
        2 * 7919 + u64::MAX / 3,
        "fingerprints keep all 64 bits"
    );
    // Append to the existing case.
    let more = CaseWrite {
        key: CaseKey::from_str_id("C1"),
        existing_id: Some(loaded.id),
        events: vec![event(3, "2023-02-01", EventType::ReferredToCoordinator)],
        summary: summary("2023-01-01"),
        tasks: Vec::new(),
    };
    store
        .write_cases("fund-a", Some(import), &[more], &[])
        .expect("append");
    let again = store
        .load_cases("fund-a", &[CaseKey::from_str_id("C1")])
        .expect("load")
        .pop()
        .flatten()
        .expect("still there");
    let seqs: Vec<u32> = again.events.iter().map(|e| e.seq).collect();
    assert_eq!(seqs, vec![1, 2, 3], "events come back in arrival order");
    let done = ImportRecord {
        lines: 3,
        imported: 3,
        ..rec
    };
    store.finish_import(import, &done).expect("finish");
    let n = store.counts(Some("fund-a")).expect("counts");
    assert_eq!((n.cases, n.events, n.imports), (1, 3, 1));
}

/// The same key in two funds is two dossiers: each fund loads and sweeps only its own.
pub fn org_isolation(store: &mut dyn Store) {
    // Fund a's C1, with more events than fund b's will have.
    store
        .write_cases(
            "fund-a",
            None,
            &[new_case(
                "C1",
                vec![
                    event(1, "2023-01-01", EventType::CaseOpened),
                    event(2, "2023-03-05", EventType::QuickScanSent),
                ],
            )],
            &[],
        )
        .expect("setup: C1 in fund-a");
    let import = store
        .begin_import("fund-b", &ImportRecord::default())
        .expect("begin");
    store
        .write_cases(
            "fund-b",
            Some(import),
            &[new_case(
                "C1",
                vec![event(1, "2023-05-01", EventType::CaseOpened)],
            )],
            &[],
        )
        .expect("same key in another fund is another case");
    let a = store
        .load_cases("fund-a", &[CaseKey::from_str_id("C1")])
        .expect("load");
    let b = store
        .load_cases("fund-b", &[CaseKey::from_str_id("C1")])
        .expect("load");
    let (a, b) = (a[0].clone().expect("a"), b[0].clone().expect("b"));
    assert_ne!(a.id, b.id);
    assert_eq!(b.events.len(), 1, "fund b sees only its own events");
    assert_eq!(
        store
            .load_cases("fund-c", &[CaseKey::from_str_id("C1")])
            .expect("load"),
        vec![None]
    );
    let mut seen = Vec::new();
    store
        .scan_facts(Some("fund-b"), 10, &mut |rows| {
            seen.extend(rows.into_iter().map(|r| r.id));
            Ok(())
        })
        .expect("scan");
    assert_eq!(seen, vec![b.id], "a fund's sweep sees only its own cases");
}
