//! What only a server database has: several app instances on one database (the
//! outbox claimed with SKIP LOCKED, one audit chain), and the bulk write path, against
//! a real cluster on loopback. The migrations have their own tests (`migrations.rs`).

use std::collections::HashSet;
use std::sync::mpsc;
use std::time::Duration;
use tnw_domain::date::parse_date;
use tnw_domain::event::EventType;
use tnw_domain::CaseKey;
use tnw_storage::prelude::*;
use tnw_storage::{
    AuditEntry, CaseSummary, CaseWrite, NewMessage, OpenTask, StorageError, StoredEvent,
    WorklistQuery,
};
use tnw_storage_postgres::{testing, PgStore};

fn fresh() -> (std::sync::Arc<testing::PgCluster>, String) {
    let cluster = testing::shared().unwrap();
    let url = cluster.fresh_database().unwrap();
    (cluster, url)
}

fn message(key: &str) -> NewMessage {
    NewMessage {
        dedup_key: key.into(),
        recipient: "ann@fund.example".into(),
        subject: "reminder".into(),
        body: "…".into(),
    }
}

/// A message another instance holds locked (mid-claim) is passed over, not waited for.
#[test]
fn a_claim_skips_messages_another_instance_has_locked() {
    let (_cluster, url) = fresh();
    let mut store = PgStore::connect(&url).unwrap();
    assert_eq!(
        store
            .enqueue("fund-o", &[message("a"), message("b")], 100)
            .unwrap(),
        2
    );
    let mut other = postgres::Client::connect(&url, postgres::NoTls).unwrap();
    let mut tx = other.transaction().unwrap();
    let locked: i64 = tx
        .query_one(
            "SELECT id FROM outbox WHERE dedup_key = 'a' FOR UPDATE",
            &[],
        )
        .unwrap()
        .get(0);
    // In a thread with a deadline: without SKIP LOCKED the claim would block on the
    // locked row until the other transaction ends.
    let (send, recv) = mpsc::channel();
    let claimer = std::thread::spawn(move || {
        let got = store.claim_messages(100, 60, 10).unwrap();
        send.send(got.iter().map(|m| m.dedup_key.clone()).collect::<Vec<_>>())
            .unwrap();
        store
    });
    let claimed = recv
        .recv_timeout(Duration::from_secs(10))
        .expect("the claim waited for a locked message instead of skipping it");
    assert_eq!(claimed, vec!["b".to_owned()]);
    tx.rollback().unwrap();
    let mut store = claimer.join().unwrap();
    let rest = store.claim_messages(100, 60, 10).unwrap();
    assert_eq!(rest.len(), 1);
    assert_eq!(
        rest[0].id, locked,
        "released once the other instance let go"
    );
}

/// Two instances claiming from the same outbox at once: every message is handed out
/// exactly once.
#[test]
fn concurrent_claimers_never_share_a_message() {
    let (_cluster, url) = fresh();
    let mut store = PgStore::connect(&url).unwrap();
    let messages: Vec<NewMessage> = (0..400).map(|i| message(&format!("m{i}"))).collect();
    assert_eq!(store.enqueue("fund-o", &messages, 100).unwrap(), 400);
    let claimers: Vec<_> = (0..4)
        .map(|_| {
            let url = url.clone();
            std::thread::spawn(move || {
                let mut s = PgStore::connect(&url).unwrap();
                let mut ids = Vec::new();
                loop {
                    let got = s.claim_messages(100, 600, 7).unwrap();
                    if got.is_empty() {
                        break ids;
                    }
                    ids.extend(got.into_iter().map(|m| m.id));
                }
            })
        })
        .collect();
    let mut all = Vec::new();
    let mut busy = 0;
    for c in claimers {
        let ids = c.join().unwrap();
        busy += usize::from(!ids.is_empty());
        all.extend(ids);
    }
    let distinct: HashSet<i64> = all.iter().copied().collect();
    assert_eq!(all.len(), 400, "every message claimed once in all");
    assert_eq!(distinct.len(), 400, "no message claimed twice");
    assert!(busy >= 1);
}

fn summary() -> CaseSummary {
    CaseSummary {
        person_id: "P".into(),
        incapacity_start: parse_date("2023-01-01").unwrap(),
        ended: None,
        scheme: "employee".into(),
        region: "wallonia".into(),
        language: "fr".into(),
        condition: "musculoskeletal".into(),
        category: Some(2),
        assignee: None,
        quick_scan_returned: None,
        employer_id: None,
        facts: vec![0, 255, 7],
    }
}

fn opened(seq: u32) -> StoredEvent {
    StoredEvent {
        seq,
        date: parse_date("2023-01-01").unwrap(),
        kind: EventType::CaseOpened,
        fingerprint: u64::MAX - u64::from(seq),
        body: r#"{"type":"case_opened","note":"é \"quoted\""}"#.into(),
    }
}

fn audit(action: &str) -> AuditEntry {
    AuditEntry {
        username: "import".into(),
        role: "system".into(),
        action: action.into(),
        what: "batch".into(),
        purpose: "import".into(),
    }
}

/// An import-sized batch goes through the multi-row statements: every case, log, task
/// and audit entry is stored, in order, and comes back byte for byte.
#[test]
fn a_large_batch_is_stored_whole_and_in_order() {
    let (_cluster, url) = fresh();
    let mut store = PgStore::connect(&url).unwrap();
    let import = store.begin_import("fund-big", &Default::default()).unwrap();
    let n = 3000;
    let cases: Vec<CaseWrite> = (0..n)
        .map(|i| CaseWrite {
            key: if i % 2 == 0 {
                CaseKey::from_str_id(&format!("B{i:05}"))
            } else {
                CaseKey::from_token(i.to_string())
            },
            existing_id: None,
            events: vec![opened(1), opened(2)],
            summary: summary(),
            tasks: vec![OpenTask {
                code: "first_contact".into(),
                actor: "coordinator".into(),
                rule: "R6".into(),
                window_start: parse_date("2023-01-01").unwrap(),
                due: parse_date("2023-02-01").unwrap() + chrono::Days::new(i as u64 % 50),
            }],
        })
        .collect();
    let key = cases[10].key.clone();
    store
        .write_cases(
            "fund-big",
            Some(import),
            &cases,
            &[(None, audit("import")), (Some(key.clone()), audit("write"))],
        )
        .unwrap();
    let counts = store.counts(Some("fund-big")).unwrap();
    assert_eq!((counts.cases, counts.events), (n as u64, 2 * n as u64));
    let mut keys = Vec::new();
    store
        .scan_facts(Some("fund-big"), 1000, &mut |rows| {
            keys.extend(rows.into_iter().map(|r| {
                assert_eq!(r.facts, vec![0, 255, 7]);
                r.key
            }));
            Ok(())
        })
        .unwrap();
    let written: Vec<CaseKey> = cases.iter().map(|c| c.key.clone()).collect();
    assert_eq!(keys, written, "ids follow the batch order");
    let loaded = store.load_cases("fund-big", &written).unwrap();
    for (c, l) in cases.iter().zip(&loaded) {
        let l = l.as_ref().expect("stored");
        assert_eq!(l.events, c.events, "events come back byte for byte");
    }
    let q = WorklistQuery {
        actors: vec!["coordinator".into()],
        limit: 5000,
        ..Default::default()
    };
    let work = store.worklist("fund-big", &q).unwrap();
    assert_eq!(work.len(), n);
    assert!(work.windows(2).all(|w| w[0].task.due <= w[1].task.due));
    assert_eq!(work[0].category, Some(2));
    let log = store.audit_log("fund-big", Some(&key), 10).unwrap();
    assert_eq!(log.len(), 1);
    assert_eq!(log[0].case.as_ref(), Some(&key));
    assert_eq!(store.audit_log("fund-big", None, 10).unwrap().len(), 2);
}

/// A write naming another fund's case id is refused whole: nothing of the batch stays.
#[test]
fn a_write_to_another_funds_case_is_refused() {
    let (_cluster, url) = fresh();
    let mut store = PgStore::connect(&url).unwrap();
    let case = |key: &str, existing_id| CaseWrite {
        key: CaseKey::from_str_id(key),
        existing_id,
        events: vec![opened(1)],
        summary: summary(),
        tasks: Vec::new(),
    };
    store
        .write_cases("fund-a", None, &[case("A1", None)], &[])
        .unwrap();
    let a1 = store
        .load_cases("fund-a", &[CaseKey::from_str_id("A1")])
        .unwrap()[0]
        .clone()
        .unwrap();
    let err = store
        .write_cases(
            "fund-b",
            None,
            &[case("B1", None), case("A1", Some(a1.id))],
            &[],
        )
        .unwrap_err();
    assert!(
        matches!(&err, StorageError::Invalid(m) if m.contains("does not exist in fund-b")),
        "{err}"
    );
    assert_eq!(store.counts(None).unwrap().cases, 1, "B1 rolled back");
    let again = store
        .load_cases("fund-a", &[CaseKey::from_str_id("A1")])
        .unwrap()[0]
        .clone()
        .unwrap();
    assert_eq!(again.events.len(), 1, "fund a's case untouched");
}

/// A column whose type is not the one the schema promises (a hand-edited database) is
/// reported as corrupt data, never a panic.
#[test]
fn an_unexpected_column_type_is_an_error_not_a_panic() {
    let (_cluster, url) = fresh();
    let mut store = PgStore::connect(&url).unwrap();
    let mut c = CaseWrite {
        key: CaseKey::from_str_id("X1"),
        existing_id: None,
        events: vec![opened(1)],
        summary: summary(),
        tasks: Vec::new(),
    };
    c.tasks.push(OpenTask {
        code: "first_contact".into(),
        actor: "coordinator".into(),
        rule: "R6".into(),
        window_start: parse_date("2023-01-01").unwrap(),
        due: parse_date("2023-02-01").unwrap(),
    });
    store.write_cases("fund-x", None, &[c], &[]).unwrap();
    let q = WorklistQuery {
        actors: vec!["coordinator".into()],
        limit: 10,
        ..Default::default()
    };
    assert_eq!(store.worklist("fund-x", &q).unwrap().len(), 1);
    let mut admin = postgres::Client::connect(&url, postgres::NoTls).unwrap();
    admin
        .batch_execute("ALTER TABLE tasks ALTER COLUMN rule TYPE integer USING 0")
        .unwrap();
    let mut store = PgStore::connect(&url).unwrap();
    match store.worklist("fund-x", &q) {
        Err(StorageError::Corrupt(_)) => {}
        other => panic!("expected corrupt data, got {other:?}"),
    }
}

/// Appending to many existing dossiers in one batch (the multi-row updates), and to one
/// dossier twice in one batch (one statement per case): every append lands, in order,
/// and the open tasks are replaced.
#[test]
fn appends_to_existing_cases_land_in_order() {
    let (_cluster, url) = fresh();
    let mut store = PgStore::connect(&url).unwrap();
    let task = |due: &str| OpenTask {
        code: "first_contact".into(),
        actor: "coordinator".into(),
        rule: "R6".into(),
        window_start: parse_date("2023-01-01").unwrap(),
        due: parse_date(due).unwrap(),
    };
    let keys: Vec<CaseKey> = (0..200)
        .map(|i| CaseKey::from_str_id(&format!("E{i:03}")))
        .collect();
    let first: Vec<CaseWrite> = keys
        .iter()
        .map(|k| CaseWrite {
            key: k.clone(),
            existing_id: None,
            events: vec![opened(1)],
            summary: summary(),
            tasks: vec![task("2023-02-01")],
        })
        .collect();
    store.write_cases("fund-e", None, &first, &[]).unwrap();
    let stored = store.load_cases("fund-e", &keys).unwrap();
    let append = |i: usize, seq: u32| {
        let mut s = summary();
        s.region = format!("r{seq}");
        CaseWrite {
            key: keys[i].clone(),
            existing_id: stored[i].as_ref().map(|c| c.id),
            events: vec![opened(seq)],
            summary: s,
            tasks: vec![task("2023-03-01")],
        }
    };
    let batch: Vec<CaseWrite> = (0..200).map(|i| append(i, 2)).collect();
    store
        .write_cases(
            "fund-e",
            None,
            &batch,
            &[(Some(keys[7].clone()), audit("write"))],
        )
        .unwrap();
    // E000 twice in one batch.
    store
        .write_cases("fund-e", None, &[append(0, 3), append(0, 4)], &[])
        .unwrap();
    let after = store.load_cases("fund-e", &keys).unwrap();
    for (i, c) in after.iter().enumerate() {
        let seqs: Vec<u32> = c.as_ref().unwrap().events.iter().map(|e| e.seq).collect();
        let want = if i == 0 { vec![1, 2, 3, 4] } else { vec![1, 2] };
        assert_eq!(seqs, want, "case {i}");
    }
    assert_eq!(store.counts(None).unwrap().events, 200 * 2 + 2);
    let q = WorklistQuery {
        actors: vec!["coordinator".into()],
        limit: 1000,
        ..Default::default()
    };
    let work = store.worklist("fund-e", &q).unwrap();
    assert_eq!(work.len(), 200, "one open task per case, replaced");
    assert!(work
        .iter()
        .all(|w| w.task.due == parse_date("2023-03-01").unwrap()));
    assert!(work.iter().all(|w| w.region == "r2" || w.case == keys[0]));
    assert_eq!(
        work.iter().find(|w| w.case == keys[0]).unwrap().region,
        "r4",
        "the later write of a case wins"
    );
    assert_eq!(
        store.audit_log("fund-e", Some(&keys[7]), 5).unwrap().len(),
        1
    );
}

/// A case stored without events has no log to append to: the batch is refused whole,
/// whichever path it takes.
#[test]
fn an_append_without_a_log_is_refused_whole() {
    let (_cluster, url) = fresh();
    let mut store = PgStore::connect(&url).unwrap();
    let bare = |key: &str| CaseWrite {
        key: CaseKey::from_str_id(key),
        existing_id: None,
        events: Vec::new(),
        summary: summary(),
        tasks: Vec::new(),
    };
    store
        .write_cases("fund-n", None, &[bare("N1"), bare("N2")], &[])
        .unwrap();
    let ids: Vec<i64> = store
        .load_cases(
            "fund-n",
            &[CaseKey::from_str_id("N1"), CaseKey::from_str_id("N2")],
        )
        .unwrap()
        .into_iter()
        .map(|c| c.unwrap().id)
        .collect();
    let append = |key: &str, id: i64, region: &str| {
        let mut s = summary();
        s.region = region.into();
        CaseWrite {
            key: CaseKey::from_str_id(key),
            existing_id: Some(id),
            events: vec![opened(1)],
            summary: s,
            tasks: Vec::new(),
        }
    };
    for batch in [
        vec![append("N1", ids[0], "x"), append("N2", ids[1], "x")],
        vec![append("N1", ids[0], "x"), append("N1", ids[0], "x")],
    ] {
        let err = store.write_cases("fund-n", None, &batch, &[]).unwrap_err();
        assert!(
            err.to_string().contains("case \"N1\" has no event log")
                || err.to_string().contains("case N1 has no event log"),
            "{err}"
        );
    }
    let mut regions = Vec::new();
    store
        .scan_figures(Some("fund-n"), 10, &mut |rows| {
            regions.extend(rows.into_iter().map(|r| r.region));
            Ok(())
        })
        .unwrap();
    assert_eq!(
        regions,
        vec!["wallonia", "wallonia"],
        "summaries rolled back"
    );
    assert_eq!(store.counts(None).unwrap().events, 0);
}

fn account_entry(n: usize) -> AuditEntry {
    AuditEntry {
        username: format!("u{n}"),
        role: "admin".into(),
        action: "admin".into(),
        what: "account".into(),
        purpose: "administration".into(),
    }
}

/// Instances writing audit entries at the same time keep one chain: the advisory lock
/// orders them, and every entry links to the one before.
#[test]
fn concurrent_instances_keep_one_audit_chain() {
    let (_cluster, url) = fresh();
    let threads: Vec<_> = (0..4)
        .map(|t| {
            let url = url.clone();
            std::thread::spawn(move || {
                let mut s = PgStore::connect(&url).unwrap();
                for n in 0..25 {
                    let k = t * 1000 + n;
                    s.write_cases(
                        "fund-c",
                        None,
                        &[],
                        &[(None, account_entry(k)), (None, account_entry(k + 500))],
                    )
                    .unwrap();
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    let mut s = PgStore::connect(&url).unwrap();
    let head = tnw_storage::chain::verify_store(&mut s, None, 7)
        .unwrap()
        .unwrap();
    assert_eq!((head.count, head.last_id), (200, Some(200)));
}

/// Entries about no dossier appended by instances at the same time, each call in one
/// transaction of its own, join the dossiers' entries in the one chain.
#[test]
fn appended_entries_join_the_chain() {
    let (_cluster, url) = fresh();
    let threads: Vec<_> = (0..4)
        .map(|t| {
            let url = url.clone();
            std::thread::spawn(move || {
                let mut s = PgStore::connect(&url).unwrap();
                for n in 0..20 {
                    let k = t * 1000 + n;
                    if n % 5 == 0 {
                        s.write_cases("fund-p", None, &[], &[(None, account_entry(k))])
                            .unwrap();
                    } else {
                        s.append("fund-p", &[account_entry(k), account_entry(k + 500)])
                            .unwrap();
                    }
                }
                s.append("fund-p", &[]).unwrap();
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    let mut s = PgStore::connect(&url).unwrap();
    let head = tnw_storage::chain::verify_store(&mut s, None, 7)
        .unwrap()
        .unwrap();
    assert_eq!((head.count, head.last_id), (144, Some(144)));
    let log = s.audit_log("fund-p", None, 200).unwrap();
    assert_eq!(log.len(), 144);
    assert!(log.iter().all(|r| r.case.is_none()));
}

/// The entries the server numbers and hashes (`tnw_audit_append`, on every audited
/// path: a dossier write, a read, an entry without a dossier, an import batch) verify
/// with the Rust chain code, and an altered, re-hashed or removed one is named.
#[test]
fn server_hashed_entries_verify_and_tampering_is_found() {
    use tnw_storage::chain::{verify_store, ChainBreak};
    let (_cluster, url) = fresh();
    let mut s = PgStore::connect(&url).unwrap();
    let key = CaseKey::from_str_id("H1");
    s.write_cases(
        "fund-h",
        None,
        &[CaseWrite {
            key: key.clone(),
            existing_id: None,
            events: vec![opened(1)],
            summary: summary(),
            tasks: Vec::new(),
        }],
        &[(Some(key.clone()), account_entry(1))],
    )
    .unwrap();
    let id = s.load_cases("fund-h", std::slice::from_ref(&key)).unwrap()[0]
        .clone()
        .unwrap()
        .id;
    let more = CaseWrite {
        key: key.clone(),
        existing_id: Some(id),
        events: vec![opened(2)],
        summary: summary(),
        tasks: Vec::new(),
    };
    s.write_cases(
        "fund-h",
        None,
        &[more],
        &[(Some(key.clone()), account_entry(2))],
    )
    .unwrap();
    s.read_case_audited("fund-h", &key, &mut |_| account_entry(3))
        .unwrap()
        .unwrap();
    s.write_cases("fund-h", None, &[], &[(None, account_entry(4))])
        .unwrap();
    s.write_cases(
        "fund-h",
        None,
        &[],
        &[(None, account_entry(5)), (None, account_entry(6))],
    )
    .unwrap();
    let head = verify_store(&mut s, None, 2).unwrap().unwrap();
    assert_eq!((head.count, head.last_id), (6, Some(6)));
    let chain = s.audit_chain(0, 10).unwrap();
    assert_eq!(
        chain[1].case.as_deref(),
        Some(key.token()),
        "the dossier is in it"
    );
    assert_eq!(chain[2].entry.username, "u3");

    let mut c = postgres::Client::connect(&url, postgres::NoTls).unwrap();
    c.execute("UPDATE audit SET what = 'nothing' WHERE id = 2", &[])
        .unwrap();
    assert_eq!(
        verify_store(&mut s, None, 2).unwrap(),
        Err(ChainBreak::Altered { id: 2 })
    );
    c.execute("UPDATE audit SET what = 'account' WHERE id = 2", &[])
        .unwrap();
    assert!(verify_store(&mut s, None, 2).unwrap().is_ok(), "put back");
    // An entry given a new hash of its own no longer matches its fields.
    let kept: Vec<u8> = c
        .query_one("SELECT hash FROM audit WHERE id = 3", &[])
        .unwrap()
        .get(0);
    c.execute(
        "UPDATE audit SET username = 'eve', hash = sha256('x'::bytea) WHERE id = 3",
        &[],
    )
    .unwrap();
    assert_eq!(
        verify_store(&mut s, None, 2).unwrap(),
        Err(ChainBreak::Altered { id: 3 })
    );
    c.execute(
        "UPDATE audit SET username = 'u3', hash = $1 WHERE id = 3",
        &[&kept],
    )
    .unwrap();
    assert!(verify_store(&mut s, None, 2).unwrap().is_ok(), "put back");
    c.execute("DELETE FROM audit WHERE id = 5", &[]).unwrap();
    assert_eq!(
        verify_store(&mut s, None, 2).unwrap(),
        Err(ChainBreak::Missing {
            id: 6,
            previous: Some(4)
        })
    );
}
