//! The open-task projection: worklists, and caseloads per assignee.

use crate::fixtures::{a_fund_with_a_case, event, new_case, summary, task};
use tnw_domain::date::parse_date;
use tnw_domain::event::EventType;
use tnw_domain::CaseKey;
use tnw_storage::{CaseWrite, ImportRecord, Store, WorklistQuery};

/// The worklist: open windows only, by due date, per fund; a write replaces a dossier's
/// open tasks.
pub fn tasks_and_worklist(store: &mut dyn Store) {
    // Another fund, holding a dossier without tasks.
    a_fund_with_a_case(store, "fund-a", "C1");
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
    a_write_replaces_exactly_the_open_tasks(store);
}

/// A write that keeps one task, moves another and adds two (one of them twice): the
/// stored tasks are exactly the new ones (the backends change only what changed).
fn a_write_replaces_exactly_the_open_tasks(store: &mut dyn Store) {
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
    // Another fund, whose dossier nobody is assigned.
    a_fund_with_a_case(store, "fund-w", "W1");
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
    the_doctors_queue(store);
}

/// The doctor's queue: only dossiers whose quick scan came back, with its date (on the
/// dossiers `caseloads` wrote).
fn the_doctors_queue(store: &mut dyn Store) {
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
