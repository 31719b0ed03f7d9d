//! The conformance suite every backend must pass. Each function panics with a message
//! on failure; backends call them from their own tests against a fresh store.

use tnw_domain::date::parse_date;
use tnw_domain::event::EventType;
use tnw_domain::CaseKey;
use tnw_storage::{
    AuditEntry, CaseSummary, CaseWrite, ImportRecord, OpenTask, Store, StoredEvent,
    SurveyImportCounts, SurveyResponse, User, WorklistQuery,
};

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
        assignee: None,
        quick_scan_returned: None,
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
        tasks: Vec::new(),
    }
}

/// Runs every check in order on one fresh store.
pub fn run_all(store: &mut dyn Store) {
    empty_store(store);
    write_and_load(store);
    org_isolation(store);
    atomic_batches(store);
    scan_in_chunks(store);
    tasks_and_worklist(store);
    caseloads(store);
    figures_scan(store);
    outbox(store);
    audited_reads_and_writes(store);
    audit_chain_verifies(store);
    users_sessions_and_throttling(store);
    survey_responses(store);
    a_case_twice_in_one_batch(store);
    a_large_batch(store);
}

/// One case written twice in one batch: both writes' events are appended in order, and
/// the open tasks and summary are those of the later write.
pub fn a_case_twice_in_one_batch(store: &mut dyn Store) {
    let key = CaseKey::from_str_id("T1");
    let mut c = new_case("T1", vec![event(1, "2023-01-01", EventType::CaseOpened)]);
    c.tasks = vec![task(
        "first_contact",
        "coordinator",
        "2023-01-01",
        "2023-02-01",
    )];
    store.write_cases("fund-t", None, &[c], &[]).expect("write");
    let id = store
        .load_cases("fund-t", std::slice::from_ref(&key))
        .expect("load")[0]
        .clone()
        .expect("T1")
        .id;
    let write = |seq: u32, due: &str, region: &str| {
        let mut s = summary("2023-01-01");
        s.region = region.into();
        CaseWrite {
            key: key.clone(),
            existing_id: Some(id),
            events: vec![event(seq, "2023-01-20", EventType::QuickScanSent)],
            summary: s,
            tasks: vec![task("first_contact", "coordinator", "2023-01-01", due)],
        }
    };
    store
        .write_cases(
            "fund-t",
            None,
            &[
                write(2, "2023-03-01", "wallonia"),
                write(3, "2023-04-01", "brussels"),
            ],
            &[],
        )
        .expect("the same case twice");
    let seqs: Vec<u32> = store
        .load_cases("fund-t", std::slice::from_ref(&key))
        .expect("load")[0]
        .clone()
        .expect("T1")
        .events
        .iter()
        .map(|e| e.seq)
        .collect();
    assert_eq!(seqs, vec![1, 2, 3], "both appends, in order");
    let q = WorklistQuery {
        actors: vec!["coordinator".into()],
        limit: 10,
        ..Default::default()
    };
    let work: Vec<(String, String)> = store
        .worklist("fund-t", &q)
        .expect("worklist")
        .into_iter()
        .map(|w| (w.task.due.to_string(), w.region))
        .collect();
    assert_eq!(
        work,
        vec![("2023-04-01".to_owned(), "brussels".to_owned())],
        "the later write's tasks and summary"
    );
}

fn task(code: &str, actor: &str, window: &str, due: &str) -> OpenTask {
    OpenTask {
        code: code.into(),
        actor: actor.into(),
        rule: "R6".into(),
        window_start: parse_date(window).unwrap_or(tnw_domain::date::MIN_DATE),
        due: parse_date(due).unwrap_or(tnw_domain::date::MIN_DATE),
    }
}

pub fn tasks_and_worklist(store: &mut dyn Store) {
    let import = store
        .begin_import("fund-w", &ImportRecord::default())
        .expect("begin");
    let mut a = new_case("W1", vec![event(1, "2023-01-01", EventType::CaseOpened)]);
    a.tasks = vec![
        task("first_contact", "coordinator", "2023-02-01", "2023-03-01"),
        task(
            "assess_capacity",
            "advisory_doctor",
            "2023-04-01",
            "2023-04-30",
        ),
    ];
    let mut b = new_case("W2", vec![event(1, "2023-01-01", EventType::CaseOpened)]);
    b.tasks = vec![task(
        "first_contact",
        "coordinator",
        "2023-01-15",
        "2023-02-15",
    )];
    store
        .write_cases("fund-w", Some(import), &[a, b], &[])
        .expect("write");
    let q = WorklistQuery {
        actors: vec!["coordinator".into()],
        as_of: parse_date("2023-02-10").ok(),
        limit: 10,
        ..Default::default()
    };
    let got: Vec<String> = store
        .worklist("fund-w", &q)
        .expect("worklist")
        .into_iter()
        .map(|w| format!("{} {} {}", w.case, w.task.code, w.task.due))
        .collect();
    assert_eq!(
        got,
        vec!["W2 first_contact 2023-02-15", "W1 first_contact 2023-03-01"],
        "by due date"
    );
    let early = WorklistQuery {
        as_of: parse_date("2023-01-20").ok(),
        ..q.clone()
    };
    assert_eq!(
        store.worklist("fund-w", &early).expect("worklist").len(),
        1,
        "windows not yet open are left out"
    );
    assert!(
        store.worklist("fund-a", &q).expect("worklist").is_empty(),
        "another fund's tasks never show"
    );
    // A write replaces the case's open tasks.
    let stored = store
        .load_cases("fund-w", &[CaseKey::from_str_id("W2")])
        .expect("load")[0]
        .clone()
        .expect("W2");
    let update = CaseWrite {
        key: CaseKey::from_str_id("W2"),
        existing_id: Some(stored.id),
        events: vec![event(2, "2023-02-01", EventType::CoordinatorContact)],
        summary: summary("2023-01-01"),
        tasks: Vec::new(),
    };
    store
        .write_cases("fund-w", None, &[update], &[])
        .expect("update");
    assert_eq!(
        store.worklist("fund-w", &q).expect("worklist").len(),
        1,
        "done tasks leave the worklist"
    );
    // A write that keeps one task, moves another and adds two (one of them twice):
    // the stored tasks are exactly the new ones (the backends change only what changed).
    let kept = task("first_contact", "coordinator", "2023-02-01", "2023-03-01");
    let mut t = new_case("K1", vec![event(1, "2023-01-01", EventType::CaseOpened)]);
    t.tasks = vec![
        kept.clone(),
        task(
            "assess_capacity",
            "advisory_doctor",
            "2023-04-01",
            "2023-04-30",
        ),
        task("call_employer", "coordinator", "2023-02-01", "2023-02-20"),
    ];
    store.write_cases("fund-k", None, &[t], &[]).expect("write");
    let stored = store
        .load_cases("fund-k", &[CaseKey::from_str_id("K1")])
        .expect("load")[0]
        .clone()
        .expect("K1");
    let added = task("follow_up", "coordinator", "2023-02-01", "2023-03-05");
    let update = CaseWrite {
        key: CaseKey::from_str_id("K1"),
        existing_id: Some(stored.id),
        events: vec![event(2, "2023-02-01", EventType::CoordinatorContact)],
        summary: summary("2023-01-01"),
        tasks: vec![
            added.clone(),
            kept,
            task(
                "assess_capacity",
                "advisory_doctor",
                "2023-04-01",
                "2023-05-15",
            ),
            added,
        ],
    };
    store
        .write_cases("fund-k", None, &[update], &[])
        .expect("update");
    let all = WorklistQuery {
        actors: vec!["coordinator".into(), "advisory_doctor".into()],
        as_of: parse_date("2023-04-10").ok(),
        limit: 10,
        ..Default::default()
    };
    let mut got: Vec<String> = store
        .worklist("fund-k", &all)
        .expect("worklist")
        .into_iter()
        .map(|w| format!("{} {} {}", w.task.code, w.task.actor, w.task.due))
        .collect();
    got.sort();
    assert_eq!(
        got,
        vec![
            "assess_capacity advisory_doctor 2023-05-15",
            "first_contact coordinator 2023-03-01",
            "follow_up coordinator 2023-03-05",
            "follow_up coordinator 2023-03-05",
        ],
        "the new open tasks replace the old ones"
    );
}

/// Assignment: the caseload overview per assignee, a person's list and the worklist
/// filter; ended dossiers and other funds stay out.
pub fn caseloads(store: &mut dyn Store) {
    let mut cases = Vec::new();
    for (key, who, ended, start) in [
        ("L1", Some("ann"), false, "2023-01-05"),
        ("L2", Some("ann"), false, "2023-01-01"),
        ("L3", Some("bob"), false, "2023-01-01"),
        ("L4", None, false, "2023-01-01"),
        ("L5", Some("ann"), true, "2023-01-01"),
    ] {
        let mut c = new_case(key, vec![event(1, "2023-01-01", EventType::CaseOpened)]);
        c.summary = summary(start);
        c.summary.assignee = who.map(str::to_owned);
        c.summary.ended = ended.then_some(c.summary.incapacity_start);
        c.tasks = vec![
            task("first_contact", "coordinator", "2023-01-01", "2023-02-01"),
            task(
                "assess_capacity",
                "advisory_doctor",
                "2023-01-01",
                "2023-01-10",
            ),
        ];
        if key == "L1" {
            c.tasks.push(task(
                "action_plan",
                "coordinator",
                "2023-01-01",
                "2023-04-01",
            ));
        }
        cases.push(c);
    }
    store
        .write_cases("fund-l", None, &cases, &[])
        .expect("write");
    let rows: Vec<String> = store
        .caseload(
            "fund-l",
            &["coordinator"],
            parse_date("2023-03-01").unwrap_or_default(),
        )
        .expect("caseload")
        .into_iter()
        .map(|r| {
            format!(
                "{} {} {} {}",
                r.assignee.as_deref().unwrap_or("-"),
                r.dossiers,
                r.open_tasks,
                r.overdue_tasks
            )
        })
        .collect();
    rows.iter().for_each(|r| println!("{r}"));
    assert_eq!(
        rows.len(),
        3,
        "one row per assignee and one for nobody: {rows:?}"
    );
    // Sorted by assignee, the unassigned first (as SQLite sorts NULL), on every backend.
    assert_eq!(
        rows,
        vec!["- 1 1 1", "ann 2 3 2", "bob 1 1 1"],
        "per assignee, in order"
    );
    let mine = store
        .assigned_cases("fund-l", "ann", &["coordinator"], 10)
        .expect("assigned");
    let got: Vec<String> = mine
        .iter()
        .map(|c| {
            let (code, due) = c.next_task.clone().unwrap_or_default();
            format!("{} {code} {due}", c.case)
        })
        .collect();
    assert_eq!(
        got,
        vec!["L2 first_contact 2023-02-01", "L1 first_contact 2023-02-01"],
        "oldest incapacity first, ended left out, next task of the actors"
    );
    assert!(store
        .assigned_cases("fund-w", "ann", &["coordinator"], 10)
        .expect("assigned")
        .is_empty());
    let q = WorklistQuery {
        actors: vec!["coordinator".into()],
        assignee: Some("bob".into()),
        limit: 10,
        ..Default::default()
    };
    let work = store.worklist("fund-l", &q).expect("worklist");
    assert_eq!(work.len(), 1);
    assert_eq!(work[0].case, CaseKey::from_str_id("L3"));
    // The doctor's queue: only dossiers whose quick scan came back, with its date.
    let stored = store
        .load_cases("fund-l", &[CaseKey::from_str_id("L4")])
        .expect("load")[0]
        .clone()
        .expect("L4");
    let mut l4 = new_case(
        "L4",
        vec![event(2, "2023-01-20", EventType::QuickScanReturned)],
    );
    l4.existing_id = Some(stored.id);
    l4.summary.quick_scan_returned = parse_date("2023-01-20").ok();
    l4.tasks = vec![task(
        "assess_capacity",
        "advisory_doctor",
        "2023-01-01",
        "2023-01-10",
    )];
    store
        .write_cases("fund-l", None, &[l4], &[])
        .expect("update");
    let q = WorklistQuery {
        actors: vec!["advisory_doctor".into()],
        quick_scan_returned: true,
        limit: 10,
        ..Default::default()
    };
    let work = store.worklist("fund-l", &q).expect("worklist");
    assert_eq!(work.len(), 1, "only returned quick scans");
    assert_eq!(work[0].case, CaseKey::from_str_id("L4"));
    assert_eq!(work[0].quick_scan_returned, parse_date("2023-01-20").ok());
}

/// The outbox: enqueue once per key, claim with a lease, retry, send.
pub fn outbox(store: &mut dyn Store) {
    let msg = |k: &str| tnw_storage::NewMessage {
        dedup_key: k.into(),
        recipient: "ann@fund.example".into(),
        subject: "2 overdue tasks".into(),
        body: "…".into(),
    };
    assert_eq!(
        store
            .enqueue("fund-o", &[msg("a"), msg("b"), msg("a")], 100)
            .expect("enqueue"),
        2,
        "a key is enqueued once"
    );
    assert_eq!(store.enqueue("fund-o", &[msg("a")], 101).expect("again"), 0);
    assert!(
        store.claim_messages(99, 60, 10).expect("claim").is_empty(),
        "not due yet"
    );
    let first = store.claim_messages(100, 60, 1).expect("claim");
    assert_eq!(first.len(), 1);
    let rest = store.claim_messages(100, 60, 10).expect("claim");
    assert_eq!(rest.len(), 1, "a claimed message is not handed out twice");
    assert_ne!(first[0].id, rest[0].id);
    // The first sender fails: retried later; the second dies: its lease runs out.
    store
        .mark_failed(first[0].id, "connection refused", 200)
        .expect("fail");
    assert!(store.claim_messages(150, 60, 10).expect("claim").is_empty());
    let again = store.claim_messages(200, 60, 10).expect("claim");
    assert_eq!(again.len(), 2, "retry due and expired lease");
    let retried = again.iter().find(|m| m.id == first[0].id).expect("retried");
    assert_eq!(retried.attempts, 1);
    for m in &again {
        store.mark_sent(m.id, 201).expect("sent");
    }
    assert!(store
        .claim_messages(10_000, 60, 10)
        .expect("claim")
        .is_empty());
    let c = store.outbox_counts(Some("fund-o")).expect("counts");
    assert_eq!((c.pending, c.sent, c.failing), (0, 2, 0));
    assert!(store.orgs().expect("orgs").contains(&"fund-o".to_owned()));
    // Drafts: saved, replaced, per fund, deleted.
    let k = CaseKey::from_str_id("D1");
    store
        .save_draft("fund-o", &k, "qs", r#"{"a":1}"#, 1)
        .expect("save");
    store
        .save_draft("fund-o", &k, "qs", r#"{"a":2}"#, 2)
        .expect("replace");
    assert_eq!(
        store
            .load_draft("fund-o", &k, "qs")
            .expect("load")
            .as_deref(),
        Some(r#"{"a":2}"#)
    );
    assert_eq!(
        store.load_draft("fund-w", &k, "qs").expect("other fund"),
        None
    );
    assert_eq!(
        store.load_draft("fund-o", &k, "other").expect("other"),
        None
    );
    store.delete_draft("fund-o", &k, "qs").expect("delete");
    assert_eq!(store.load_draft("fund-o", &k, "qs").expect("load"), None);
}

/// The figures' scan: every dossier of a fund with its member and summary columns.
pub fn figures_scan(store: &mut dyn Store) {
    let mut a = new_case("F1", vec![event(1, "2023-01-01", EventType::CaseOpened)]);
    a.summary.person_id = "PF".into();
    a.summary.region = "brussels".into();
    let b = new_case("F2", vec![event(1, "2023-01-01", EventType::CaseOpened)]);
    store
        .write_cases("fund-f", None, &[a, b], &[])
        .expect("write");
    let mut seen = Vec::new();
    store
        .scan_figures(Some("fund-f"), 1, &mut |rows| {
            assert_eq!(rows.len(), 1, "chunks of the asked size");
            seen.extend(rows);
            Ok(())
        })
        .expect("scan");
    let got: Vec<(String, String, String)> = seen
        .iter()
        .map(|r| (r.person_id.clone(), r.region.clone(), r.condition.clone()))
        .collect();
    assert_eq!(
        got,
        vec![
            ("PF".into(), "brussels".into(), "mental".into()),
            ("P1".into(), "flanders".into(), "mental".into())
        ]
    );
    assert_eq!(seen[0].facts, vec![1, 2, 3]);
    assert_eq!(seen[0].fund, seen[1].fund);
    let mut all = 0;
    store
        .scan_figures(None, 1000, &mut |rows| {
            all += rows.len();
            Ok(())
        })
        .expect("scan all");
    assert!(all > 2, "all funds");
}

fn entry(user: &str, action: &str) -> AuditEntry {
    AuditEntry {
        username: user.into(),
        role: "coordinator".into(),
        action: action.into(),
        what: "dossier".into(),
        purpose: "coordination".into(),
    }
}

pub fn audited_reads_and_writes(store: &mut dyn Store) {
    let key = CaseKey::from_str_id("W1");
    let read = store
        .read_case_audited("fund-w", &key, &mut |_| entry("alice", "read"))
        .expect("read");
    assert!(read.is_some_and(|c| c.events.len() == 1));
    assert!(
        store
            .read_case_audited("fund-a", &key, &mut |_| entry("alice", "read"))
            .expect("read")
            .is_none(),
        "not in fund-a"
    );
    let id = store
        .load_cases("fund-w", std::slice::from_ref(&key))
        .expect("load")[0]
        .clone()
        .expect("W1")
        .id;
    let write = CaseWrite {
        key: key.clone(),
        existing_id: Some(id),
        events: vec![event(2, "2023-02-02", EventType::QuickScanSent)],
        summary: summary("2023-01-01"),
        tasks: Vec::new(),
    };
    store
        .write_cases(
            "fund-w",
            None,
            &[write],
            &[(Some(key.clone()), entry("bob", "write"))],
        )
        .expect("write with audit");
    let log = store.audit_log("fund-w", Some(&key), 10).expect("audit");
    let seen: Vec<(String, String)> = log
        .iter()
        .map(|r| (r.entry.username.clone(), r.entry.action.clone()))
        .collect();
    assert_eq!(
        seen,
        vec![
            ("bob".into(), "write".into()),
            ("alice".into(), "read".into())
        ],
        "newest first"
    );
    assert!(store
        .audit_log("fund-a", Some(&key), 10)
        .expect("audit")
        .is_empty());
}

/// Two connections to one database: a dossier that grows between the audited read's
/// first look and its audit transaction is decided on again, and the audit entry and
/// the returned dossier are those of what the transaction saw.
pub fn audited_read_sees_a_concurrent_append(a: &mut dyn Store, b: &mut dyn Store) {
    let key = CaseKey::from_str_id("R1");
    a.write_cases(
        "fund-r",
        None,
        &[new_case(
            "R1",
            vec![event(1, "2023-01-01", EventType::CaseOpened)],
        )],
        &[],
    )
    .expect("write R1");
    let id = a
        .load_cases("fund-r", std::slice::from_ref(&key))
        .expect("load")[0]
        .clone()
        .expect("R1")
        .id;
    let mut looks = Vec::new();
    let read = a
        .read_case_audited("fund-r", &key, &mut |case| {
            looks.push(case.events.len());
            if looks.len() == 1 {
                // Another writer appends while this reader decides.
                let append = CaseWrite {
                    key: key.clone(),
                    existing_id: Some(id),
                    events: vec![event(2, "2023-02-02", EventType::QuickScanSent)],
                    summary: summary("2023-01-01"),
                    tasks: Vec::new(),
                };
                b.write_cases("fund-r", None, &[append], &[])
                    .expect("concurrent append");
            }
            entry("alice", &format!("read {} events", case.events.len()))
        })
        .expect("read")
        .expect("R1");
    assert_eq!(
        read.events.len(),
        2,
        "the returned dossier is the current one"
    );
    assert_eq!(looks.last(), Some(&2), "decided again on the grown dossier");
    let log = a.audit_log("fund-r", Some(&key), 10).expect("audit");
    assert_eq!(log.len(), 1, "one entry per read");
    assert_eq!(log[0].entry.action, "read 2 events");
}

/// Many connections read dossiers at once while one more keeps appending to them: every
/// read leaves exactly one audit entry, naming exactly the events the reader was given,
/// and the audit chain still verifies. `stores[0]` writes; the others read.
pub fn concurrent_audited_reads(mut stores: Vec<Box<dyn Store + Send>>) {
    const CASES: u32 = 5;
    const READS: u32 = 60;
    let mut writer = stores.remove(0);
    let keys: Vec<CaseKey> = (0..CASES)
        .map(|i| CaseKey::from_str_id(&format!("C{i}")))
        .collect();
    let writes: Vec<CaseWrite> = (0..CASES)
        .map(|i| {
            new_case(
                &format!("C{i}"),
                vec![event(1, "2023-01-01", EventType::CaseOpened)],
            )
        })
        .collect();
    writer
        .write_cases("fund-c", None, &writes, &[])
        .expect("write cases");
    let ids: Vec<i64> = writer
        .load_cases("fund-c", &keys)
        .expect("load")
        .into_iter()
        .map(|c| c.expect("stored").id)
        .collect();
    let readers = stores.len() as u32;
    let given = std::thread::scope(|scope| {
        let appends = scope.spawn(|| {
            for seq in 2..=40u32 {
                for (key, id) in keys.iter().zip(&ids) {
                    let append = CaseWrite {
                        key: key.clone(),
                        existing_id: Some(*id),
                        events: vec![event(seq, "2023-02-02", EventType::QuickScanSent)],
                        summary: summary("2023-01-01"),
                        tasks: Vec::new(),
                    };
                    writer
                        .write_cases("fund-c", None, &[append], &[])
                        .expect("append");
                }
            }
        });
        let handles: Vec<_> = stores
            .iter_mut()
            .enumerate()
            .map(|(t, store)| {
                let keys = &keys;
                scope.spawn(move || {
                    let mut given = Vec::new();
                    for i in 0..READS {
                        let key = &keys[(i as usize + t) % keys.len()];
                        let user = format!("reader-{t}-{i}");
                        let case = store
                            .read_case_audited("fund-c", key, &mut |case| {
                                entry(&user, &case.events.len().to_string())
                            })
                            .expect("read")
                            .expect("case");
                        given.push((user, case.events.len().to_string()));
                    }
                    given
                })
            })
            .collect();
        appends.join().expect("appender");
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("reader"))
            .collect::<Vec<_>>()
    });
    let mut logged = std::collections::HashMap::new();
    for key in &keys {
        let log = writer
            .audit_log("fund-c", Some(key), 100_000)
            .expect("audit");
        for r in log
            .into_iter()
            .filter(|r| r.entry.username.starts_with("reader-"))
        {
            let user = r.entry.username;
            assert!(
                logged.insert(user.clone(), r.entry.action).is_none(),
                "two audit entries for {user}"
            );
        }
    }
    assert_eq!(given.len(), (readers * READS) as usize);
    assert_eq!(logged.len(), given.len(), "one audit entry per read");
    for (user, events) in &given {
        assert_eq!(
            logged.get(user),
            Some(events),
            "the entry of {user} names what the read returned"
        );
    }
    let head = tnw_storage::chain::verify_store(writer.as_mut(), None, 97)
        .expect("chain")
        .expect("the chain verifies");
    assert!(head.count >= u64::from(readers * READS));
}

/// Two writers prepared appends from the same stored log: the first is stored, the
/// second (alone or inside a larger batch) is refused as a conflict and leaves nothing,
/// neither its events, its other cases nor its audit entries.
pub fn stale_append_is_refused(a: &mut dyn Store, b: &mut dyn Store) {
    let org = "fund-s";
    a.write_cases(
        org,
        None,
        &[
            new_case("S1", vec![event(1, "2023-01-01", EventType::CaseOpened)]),
            new_case("S2", vec![event(1, "2023-01-01", EventType::CaseOpened)]),
        ],
        &[],
    )
    .expect("write S1, S2");
    let keys = [CaseKey::from_str_id("S1"), CaseKey::from_str_id("S2")];
    let ids: Vec<i64> = a
        .load_cases(org, &keys)
        .expect("load")
        .into_iter()
        .map(|c| c.expect("stored").id)
        .collect();
    let append = |i: usize, seq: u32, date: &str| CaseWrite {
        key: keys[i].clone(),
        existing_id: Some(ids[i]),
        events: vec![event(seq, date, EventType::QuickScanSent)],
        summary: summary("2023-01-01"),
        tasks: Vec::new(),
    };
    a.write_cases(org, None, &[append(0, 2, "2023-02-01")], &[])
        .expect("the first append");
    // b decided on the one-event log too: its seq 2 no longer continues the log.
    for batch in [
        vec![append(0, 2, "2023-02-02")],
        vec![append(1, 2, "2023-02-02"), append(0, 2, "2023-02-02")],
    ] {
        let audit = [(Some(keys[0].clone()), entry("bob", "stale write"))];
        match b.write_cases(org, None, &batch, &audit) {
            Err(tnw_storage::StorageError::Conflict(key)) => assert_eq!(key, "S1"),
            other => panic!("a stale append must be refused as a conflict, got {other:?}"),
        }
    }
    let stored = b.load_cases(org, &keys).expect("load");
    let lens: Vec<usize> = stored
        .iter()
        .map(|c| c.as_ref().expect("stored").events.len())
        .collect();
    assert_eq!(lens, vec![2, 1], "only the first append is stored");
    let log = b.audit_log(org, Some(&keys[0]), 10).expect("audit");
    assert!(log.iter().all(|r| r.entry.action != "stale write"));
    // Decided again on the current log, it continues it.
    b.write_cases(org, None, &[append(0, 3, "2023-02-02")], &[])
        .expect("the append decided on the current log");
}

pub fn users_sessions_and_throttling(store: &mut dyn Store) {
    let user = User {
        id: 0,
        org: "fund-w".into(),
        username: "carla".into(),
        display_name: "Carla Coördinator".into(),
        role: "coordinator".into(),
        password_hash: "$argon2id$…".into(),
        language: "nl".into(),
        person_id: None,
        employer_id: None,
        active: true,
        email: Some("carla@fund.example".into()),
    };
    let id = store.create_user("fund-w", &user).expect("create");
    assert!(
        store.create_user("fund-w", &user).is_err(),
        "usernames are unique"
    );
    let got = store.user_by_name("carla").expect("get").expect("carla");
    assert_eq!(
        (got.id, got.org.as_str(), got.display_name.as_str()),
        (id, "fund-w", "Carla Coördinator")
    );
    assert_eq!(store.users("fund-w").expect("users").len(), 1);
    assert!(store.users("fund-a").expect("users").is_empty());
    let token = [7u8; 32];
    store
        .create_session(&token, id, "csrf-token", 1000, 5000)
        .expect("session");
    let s = store
        .touch_session(&token, 1200)
        .expect("touch")
        .expect("session");
    assert_eq!(
        (
            s.user.username.as_str(),
            s.csrf.as_str(),
            s.created_at,
            s.expires_at
        ),
        ("carla", "csrf-token", 1000, 5000)
    );
    assert_eq!(
        store
            .touch_session(&token, 1300)
            .expect("touch")
            .expect("again")
            .last_seen,
        1200
    );
    // Deactivating a user ends their sessions; other funds cannot touch the account.
    let mut changed = got.clone();
    changed.role = "paramedic".into();
    assert!(
        !store.update_user("fund-a", &changed).expect("update"),
        "another fund's user"
    );
    assert!(store.update_user("fund-w", &changed).expect("update"));
    assert_eq!(
        store
            .user_by_name("carla")
            .expect("get")
            .expect("carla")
            .role,
        "paramedic"
    );
    changed.role = "coordinator".into();
    changed.active = false;
    assert!(store.update_user("fund-w", &changed).expect("deactivate"));
    assert!(
        store.touch_session(&token, 1400).expect("touch").is_none(),
        "sessions of a deactivated user end"
    );
    changed.active = true;
    assert!(store.update_user("fund-w", &changed).expect("reactivate"));
    store
        .create_session(&token, id, "csrf-token", 1000, 5000)
        .expect("session");
    store.delete_session(&token).expect("logout");
    assert!(store.touch_session(&token, 1400).expect("touch").is_none());
    for t in [100, 200, 300] {
        store.record_login_failure("carla", t).expect("failure");
    }
    assert_eq!(store.login_failures_since("carla", 150).expect("count"), 2);
    assert_eq!(store.login_failures_since("nobody", 0).expect("count"), 0);
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

pub fn org_isolation(store: &mut dyn Store) {
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
        store
            .write_cases("fund-a", Some(import), &batch, &[])
            .is_err(),
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
    store
        .write_cases("fund-s", Some(import), &cases, &[])
        .expect("write");
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

/// Case `i` of `a_large_batch`: every summary column varies, some keys are numbers.
fn large_case(i: u32) -> CaseWrite {
    let key = if i.is_multiple_of(4) {
        CaseKey::from_token(format!("{}", 900_000 + i))
    } else {
        CaseKey::from_str_id(&format!("L{i:03}"))
    };
    let mut summary = summary(&format!("2023-{:02}-{:02}", 1 + i % 12, 1 + i % 28));
    summary.person_id = format!("P{}", i % 97);
    summary.region = ["flanders", "wallonia", "brussels"][(i % 3) as usize].into();
    summary.condition = ["mental", "musculoskeletal"][(i % 2) as usize].into();
    summary.category = (!i.is_multiple_of(3)).then_some((i % 4) as u8 + 1);
    summary.ended = (i.is_multiple_of(5))
        .then(|| parse_date("2024-06-30").unwrap_or(tnw_domain::date::MIN_DATE));
    summary.assignee = i.is_multiple_of(2).then(|| "coach-l".to_string());
    summary.quick_scan_returned = (i.is_multiple_of(7))
        .then(|| parse_date("2023-03-03").unwrap_or(tnw_domain::date::MIN_DATE));
    summary.facts = vec![(i % 251) as u8, 0, 255, (i / 251) as u8];
    CaseWrite {
        key,
        existing_id: None,
        events: vec![
            event(1, "2023-01-01", EventType::CaseOpened),
            event(2, "2023-02-01", EventType::QuickScanSent),
        ],
        summary,
        tasks: vec![task(
            "first_contact",
            "coordinator",
            "2023-01-15",
            &format!("2023-03-{:02}", 1 + i % 28),
        )],
    }
}

/// Batches the size of an import's (more than any backend's small-write path takes):
/// every column stored and read back, a refused batch leaves nothing, and a re-import
/// appends to all of them at once.
pub fn a_large_batch(store: &mut dyn Store) {
    const N: u32 = 150;
    let before = store.counts(None).expect("counts");
    let import = store
        .begin_import("fund-big", &ImportRecord::default())
        .expect("begin");
    let cases: Vec<CaseWrite> = (0..N).map(large_case).collect();
    let audited = cases[3].key.clone();
    store
        .write_cases(
            "fund-big",
            Some(import),
            &cases,
            &[(Some(audited.clone()), entry("importer", "import"))],
        )
        .expect("write a large batch");
    let keys: Vec<CaseKey> = cases.iter().map(|c| c.key.clone()).collect();
    let loaded: Vec<_> = store
        .load_cases("fund-big", &keys)
        .expect("load")
        .into_iter()
        .map(|c| c.expect("every case of the batch is stored"))
        .collect();
    let ids: std::collections::HashSet<i64> = loaded.iter().map(|c| c.id).collect();
    assert_eq!(ids.len(), N as usize, "every case has its own id");
    for (c, l) in cases.iter().zip(&loaded) {
        assert_eq!(l.key, c.key);
        assert_eq!(l.events, c.events, "case {}: its events as written", c.key);
    }
    let mut figures = Vec::new();
    store
        .scan_figures(Some("fund-big"), 64, &mut |rows| {
            figures.extend(rows);
            Ok(())
        })
        .expect("scan figures");
    let mut got: Vec<_> = figures
        .iter()
        .map(|f| {
            (
                f.person_id.clone(),
                f.region.clone(),
                f.condition.clone(),
                f.facts.clone(),
            )
        })
        .collect();
    let mut want: Vec<_> = cases
        .iter()
        .map(|c| {
            let s = &c.summary;
            (
                s.person_id.clone(),
                s.region.clone(),
                s.condition.clone(),
                s.facts.clone(),
            )
        })
        .collect();
    got.sort();
    want.sort();
    assert_eq!(got, want, "every summary column as written");
    let coached = store
        .assigned_cases("fund-big", "coach-l", &["coordinator"], 1000)
        .expect("assigned");
    let mut coached: Vec<String> = coached
        .into_iter()
        .map(|c| {
            format!(
                "{} {} {} {:?}",
                c.case, c.incapacity_start, c.region, c.category
            )
        })
        .collect();
    let mut expected: Vec<String> = cases
        .iter()
        .filter(|c| c.summary.assignee.is_some() && c.summary.ended.is_none())
        .map(|c| {
            let s = &c.summary;
            format!(
                "{} {} {} {:?}",
                c.key, s.incapacity_start, s.region, s.category
            )
        })
        .collect();
    coached.sort();
    expected.sort();
    assert_eq!(
        coached, expected,
        "assignee, end, start, region and category as written"
    );
    let q = WorklistQuery {
        actors: vec!["coordinator".into()],
        quick_scan_returned: true,
        limit: 1000,
        ..Default::default()
    };
    let returned = store.worklist("fund-big", &q).expect("worklist").len();
    assert_eq!(
        returned,
        cases
            .iter()
            .filter(|c| c.summary.quick_scan_returned.is_some())
            .count(),
        "every task stored, quick scan dates as written"
    );
    // The default list (no filter but the date) shows each task with its dossier's
    // columns as written.
    let plain = WorklistQuery {
        actors: vec!["coordinator".into()],
        as_of: parse_date("2023-12-31").ok(),
        limit: 1000,
        ..Default::default()
    };
    let listed = |store: &mut dyn Store| -> Vec<String> {
        let mut v: Vec<String> = store
            .worklist("fund-big", &plain)
            .expect("worklist")
            .into_iter()
            .map(|w| {
                format!(
                    "{} {} {} {:?} {:?}",
                    w.case, w.task.due, w.region, w.category, w.quick_scan_returned
                )
            })
            .collect();
        v.sort();
        v
    };
    let row = |c: &CaseWrite| {
        let s = &c.summary;
        format!(
            "{} {} {} {:?} {:?}",
            c.key, c.tasks[0].due, s.region, s.category, s.quick_scan_returned
        )
    };
    let mut want: Vec<String> = cases.iter().map(row).collect();
    want.sort();
    assert_eq!(listed(store), want, "the default worklist as written");
    // Filters, with and without the assignee, give what the written columns say.
    let due_by = parse_date("2023-03-15").ok();
    for assignee in [None, Some("coach-l")] {
        let q = WorklistQuery {
            actors: vec!["coordinator".into()],
            due_by,
            task: Some("first_contact".into()),
            region: Some("wallonia".into()),
            category: Some(3),
            assignee: assignee.map(str::to_string),
            limit: 1000,
            ..Default::default()
        };
        let mut got: Vec<String> = store
            .worklist("fund-big", &q)
            .expect("worklist")
            .into_iter()
            .map(|w| w.case.display().into_owned())
            .collect();
        let mut want: Vec<String> = cases
            .iter()
            .filter(|c| {
                let s = &c.summary;
                s.region == "wallonia"
                    && s.category == Some(3)
                    && Some(c.tasks[0].due) <= due_by
                    && (assignee.is_none() || s.assignee.as_deref() == assignee)
            })
            .map(|c| c.key.display().into_owned())
            .collect();
        got.sort();
        want.sort();
        assert!(!want.is_empty(), "the filters leave some");
        assert_eq!(got, want, "filtered by {assignee:?}");
    }
    let mid = store.counts(None).expect("counts");
    assert_eq!(
        (mid.cases - before.cases, mid.events - before.events),
        (u64::from(N), 2 * u64::from(N))
    );

    // A large batch with one case that already exists: refused whole.
    let mut clash: Vec<CaseWrite> = (N..2 * N).map(large_case).collect();
    clash[N as usize / 2] = large_case(7);
    assert!(
        store
            .write_cases("fund-big", Some(import), &clash, &[])
            .is_err(),
        "a large batch with a case that exists is refused"
    );
    assert_eq!(
        store.counts(None).expect("counts"),
        mid,
        "nothing of it is stored"
    );
    assert_eq!(
        store
            .load_cases("fund-big", &[large_case(N).key])
            .expect("load"),
        vec![None]
    );

    // A re-import appending to every case: new summaries, one more event each.
    let more: Vec<CaseWrite> = cases
        .iter()
        .zip(&loaded)
        .map(|(c, l)| {
            let mut summary = c.summary.clone();
            summary.assignee = Some("coach-m".into());
            summary.ended = None;
            CaseWrite {
                key: c.key.clone(),
                existing_id: Some(l.id),
                events: vec![event(3, "2023-04-01", EventType::ReferredToCoordinator)],
                summary,
                tasks: Vec::new(),
            }
        })
        .collect();
    store
        .write_cases("fund-big", Some(import), &more, &[])
        .expect("append to a large batch");
    let again = store.load_cases("fund-big", &keys).expect("load");
    for (c, l) in cases.iter().zip(again) {
        let seqs: Vec<u32> = l
            .expect("still there")
            .events
            .iter()
            .map(|e| e.seq)
            .collect();
        assert_eq!(seqs, vec![1, 2, 3], "case {}: one more event", c.key);
    }
    assert!(store
        .assigned_cases("fund-big", "coach-l", &["coordinator"], 1000)
        .expect("assigned")
        .is_empty());
    assert_eq!(
        store
            .assigned_cases("fund-big", "coach-m", &["coordinator"], 1000)
            .expect("assigned")
            .len(),
        N as usize,
        "every dossier's new assignee, none ended any more"
    );
    assert!(
        store.worklist("fund-big", &q).expect("worklist").is_empty(),
        "the re-import replaced every task"
    );
    // Later writes change what the list shows: one dossier alone (the API's write),
    // then two at once.
    let rewrite = |i: usize, region: &str, events: u32| {
        let mut w = large_case(i as u32);
        w.existing_id = Some(loaded[i].id);
        w.events = vec![event(
            events,
            "2023-05-01",
            EventType::ReferredToCoordinator,
        )];
        w.summary.region = region.into();
        w.summary.category = Some(4);
        w.summary.quick_scan_returned = parse_date("2023-06-06").ok();
        w
    };
    let one = rewrite(1, "brussels", 4);
    store
        .write_cases(
            "fund-big",
            Some(import),
            std::slice::from_ref(&one),
            &[(Some(one.key.clone()), entry("carla", "write"))],
        )
        .expect("write one");
    assert_eq!(listed(store), vec![row(&one)]);
    let two = [rewrite(1, "wallonia", 5), rewrite(2, "flanders", 4)];
    store
        .write_cases("fund-big", Some(import), &two, &[])
        .expect("write two");
    let mut want: Vec<String> = two.iter().map(row).collect();
    want.sort();
    assert_eq!(listed(store), want);
}

fn response(id: &str, answers: &str) -> SurveyResponse {
    SurveyResponse {
        respondent: id.into(),
        answers: answers.into(),
    }
}

pub fn survey_responses(store: &mut dyn Store) {
    let v1 = "experience-survey-v1";
    assert_eq!(
        store.survey_responses("fund-sv", v1).expect("read"),
        Vec::new(),
        "an unknown fund has no responses"
    );
    let first = [
        response("R2", r#"{"coached":"never"}"#),
        response("R1", r#"{"coached":"ongoing","helped":"4"}"#),
    ];
    let c = store.import_survey("fund-sv", v1, &first).expect("import");
    assert_eq!(
        c,
        SurveyImportCounts {
            new: 2,
            updated: 0,
            unchanged: 0
        }
    );
    // The same file again changes nothing; a corrected answer replaces the old one.
    let again = store
        .import_survey("fund-sv", v1, &first)
        .expect("re-import");
    assert_eq!((again.new, again.updated, again.unchanged), (0, 0, 2));
    let fixed = [
        response("R1", r#"{"coached":"ongoing","helped":"5"}"#),
        response("R3", r#"{"coached":"referred"}"#),
    ];
    let c = store.import_survey("fund-sv", v1, &fixed).expect("update");
    assert_eq!((c.new, c.updated, c.unchanged), (1, 1, 0));
    let stored = store.survey_responses("fund-sv", v1).expect("read");
    assert_eq!(
        stored,
        vec![
            response("R1", r#"{"coached":"ongoing","helped":"5"}"#),
            response("R2", r#"{"coached":"never"}"#),
            response("R3", r#"{"coached":"referred"}"#),
        ],
        "by respondent id, with the newest answers"
    );
    // Funds and survey versions are apart: the same respondent id elsewhere is
    // someone else.
    let other = [response("R1", r#"{"coached":"never"}"#)];
    let c = store
        .import_survey("fund-sv2", v1, &other)
        .expect("other fund");
    assert_eq!(c.new, 1);
    assert_eq!(
        store.survey_responses("fund-sv2", v1).expect("read"),
        other.to_vec()
    );
    assert_eq!(
        store.survey_responses("fund-sv", v1).expect("read").len(),
        3
    );
    assert_eq!(
        store
            .survey_responses("fund-sv", "experience-survey-v2")
            .expect("read"),
        Vec::new()
    );
    // A respondent twice in one call (the survey crate refuses such files; the store
    // stays well defined): the later answers win.
    let twice = [
        response("R9", r#"{"coached":"never"}"#),
        response("R9", r#"{"coached":"ongoing"}"#),
    ];
    let c = store.import_survey("fund-sv", v1, &twice).expect("twice");
    assert_eq!((c.new, c.updated), (1, 1));
    let r9 = store.survey_responses("fund-sv", v1).expect("read");
    assert_eq!(r9.last(), Some(&response("R9", r#"{"coached":"ongoing"}"#)));
}

/// Every audit entry, written by reads and by writes, is chained: the chain verifies
/// in any chunk size, holds exactly what `audit_log` shows, and a later entry extends
/// it without changing the earlier links.
pub fn audit_chain_verifies(store: &mut dyn Store) {
    let key = CaseKey::from_str_id("W1");
    store
        .read_case_audited("fund-w", &key, &mut |_| entry("carol", "read"))
        .expect("read");
    store
        .write_cases("fund-a", None, &[], &[(None, entry("admin", "admin"))])
        .expect("audit without a case");
    let head = tnw_storage::chain::verify_store(store, None, 1000)
        .expect("walk")
        .expect("intact");
    for chunk in [1, 2, 3] {
        assert_eq!(
            tnw_storage::chain::verify_store(store, None, chunk)
                .expect("walk")
                .expect("intact"),
            head,
            "chunk {chunk}"
        );
    }
    let rows = store.audit_chain(0, 1000).expect("chain");
    assert_eq!(rows.len() as u64, head.count);
    assert!(rows.len() >= 4, "reads and writes are all there");
    assert!(rows.windows(2).all(|w| w[0].id < w[1].id), "id order");
    assert_eq!(
        store
            .audit_chain(head.last_id.unwrap_or(0), 10)
            .expect("after")
            .len(),
        0
    );
    let shown = store.audit_log("fund-w", None, 1000).expect("audit");
    for r in &shown {
        let c = rows
            .iter()
            .find(|c| c.id == r.id)
            .unwrap_or_else(|| panic!("entry {} in the chain", r.id));
        assert_eq!(c.org, "fund-w");
        assert_eq!(c.at, r.at);
        assert_eq!(c.entry, r.entry);
        assert_eq!(c.case.as_deref(), r.case.as_ref().map(|k| k.token()));
    }
    assert!(rows
        .iter()
        .any(|c| c.org == "fund-a" && c.case.is_none() && c.entry.username == "admin"));
    let anchor = tnw_storage::chain::Anchor {
        id: head.last_id.unwrap_or(0),
        count: head.count,
        hash: head.hash,
    };
    store
        .read_case_audited("fund-w", &key, &mut |_| entry("dave", "read"))
        .expect("read");
    let later = tnw_storage::chain::verify_store(store, Some(anchor), 2)
        .expect("walk")
        .expect("intact with the earlier anchor");
    assert_eq!(later.count, head.count + 1);
}
