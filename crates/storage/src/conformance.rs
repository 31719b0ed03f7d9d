//! The conformance suite every backend must pass. Each function panics with a message
//! on failure; backends call them from their own tests against a fresh store.

use crate::{CaseSummary, CaseWrite, ImportRecord, Store, StoredEvent};
use tnw_domain::date::parse_date;
use tnw_domain::event::EventType;
use tnw_domain::CaseKey;

fn summary(start: &str) -> CaseSummary {
    CaseSummary {
        person_id: "P1".into(),
        incapacity_start: parse_date(start).unwrap_or(tnw_domain::date::MIN_DATE),
        ended: None,
        scheme: "employee".into(),
        region: "flanders".into(),
        language: "nl".into(),
        condition: "mental".into(),
        category: None,
        facts: vec![1, 2, 3],
    }
}

fn event(seq: u32, date: &str, kind: EventType) -> StoredEvent {
    StoredEvent {
        seq,
        date: parse_date(date).unwrap_or(tnw_domain::date::MIN_DATE),
        kind,
        fingerprint: u64::from(seq) * 7919 + u64::MAX / 3,
        body: format!(r#"{{"type":"{kind}"}}"#),
    }
}

fn new_case(key: &str, events: Vec<StoredEvent>) -> CaseWrite {
    CaseWrite {
        key: CaseKey::from_str_id(key),
        existing_id: None,
        events,
        summary: summary("2023-01-01"),
    }
}

/// Runs every check in order on one fresh store.
pub fn run_all(store: &mut dyn Store) {
    empty_store(store);
    write_and_load(store);
    org_isolation(store);
    atomic_batches(store);
    scan_in_chunks(store);
}

pub fn empty_store(store: &mut dyn Store) {
    let keys = [CaseKey::from_str_id("nobody")];
    let got = store.load_cases("fund-a", &keys).expect("load");
    assert_eq!(got, vec![None], "an unknown case loads as None");
    assert_eq!(store.counts(None).expect("counts").cases, 0);
}

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
    store.write_cases("fund-a", import, &[c]).expect("write");
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
    };
    store
        .write_cases("fund-a", import, &[more])
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

pub fn org_isolation(store: &mut dyn Store) {
    let import = store
        .begin_import("fund-b", &ImportRecord::default())
        .expect("begin");
    store
        .write_cases(
            "fund-b",
            import,
            &[new_case(
                "C1",
                vec![event(1, "2023-05-01", EventType::CaseOpened)],
            )],
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

pub fn atomic_batches(store: &mut dyn Store) {
    let before = store.counts(None).expect("counts");
    let import = store
        .begin_import("fund-a", &ImportRecord::default())
        .expect("begin");
    // The second case claims to be new but C1 exists: the whole call must fail.
    let batch = [
        new_case("C-new", vec![event(1, "2023-01-01", EventType::CaseOpened)]),
        new_case("C1", vec![event(1, "2023-01-01", EventType::CaseOpened)]),
    ];
    assert!(
        store.write_cases("fund-a", import, &batch).is_err(),
        "a conflicting batch is refused"
    );
    let after = store.counts(None).expect("counts");
    assert_eq!(
        (before.cases, before.events),
        (after.cases, after.events),
        "nothing of a failed batch is stored"
    );
    assert_eq!(
        store
            .load_cases("fund-a", &[CaseKey::from_str_id("C-new")])
            .expect("load"),
        vec![None]
    );
}

pub fn scan_in_chunks(store: &mut dyn Store) {
    let import = store
        .begin_import("fund-s", &ImportRecord::default())
        .expect("begin");
    let cases: Vec<CaseWrite> = (0..25)
        .map(|i| {
            new_case(
                &format!("S{i:03}"),
                vec![event(1, "2023-01-01", EventType::CaseOpened)],
            )
        })
        .collect();
    store.write_cases("fund-s", import, &cases).expect("write");
    let mut chunks = Vec::new();
    let mut keys = Vec::new();
    store
        .scan_facts(Some("fund-s"), 10, &mut |rows| {
            chunks.push(rows.len());
            keys.extend(rows.into_iter().map(|r| {
                assert_eq!(r.facts, vec![1, 2, 3]);
                r.key.display().into_owned()
            }));
            Ok(())
        })
        .expect("scan");
    assert_eq!(chunks, vec![10, 10, 5]);
    let expected: Vec<String> = (0..25).map(|i| format!("S{i:03}")).collect();
    assert_eq!(keys, expected, "cases come in insertion order");
    let mut all = 0;
    store
        .scan_facts(None, 1000, &mut |rows| {
            all += rows.len();
            Ok(())
        })
        .expect("scan all");
    assert_eq!(all as u64, store.counts(None).expect("counts").cases);
}
