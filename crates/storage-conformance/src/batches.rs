//! Batches of dossiers: all or nothing, one dossier twice, and the size of an import.

use crate::fixtures::{a_fund_with_a_case, entry, event, large_case, new_case, summary, task};
use tnw_domain::date::parse_date;
use tnw_domain::event::EventType;
use tnw_domain::CaseKey;
use tnw_storage::{CaseWrite, Counts, ImportRecord, Store, StoredCase, WorklistQuery};

/// A batch with one case that conflicts is refused whole: nothing of it is stored.
pub fn atomic_batches(store: &mut dyn Store) {
    a_fund_with_a_case(store, "fund-a", "C1");
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

/// How many dossiers `a_large_batch` writes at once.
const N: u32 = 150;

/// Batches the size of an import's (more than any backend's small-write path takes):
/// every column stored and read back, a refused batch leaves nothing, and a re-import
/// appends to all of them at once.
pub fn a_large_batch(store: &mut dyn Store) {
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
    let loaded = read_back_as_written(store, &cases);
    worklists_as_written(store, &cases);
    let mid = store.counts(None).expect("counts");
    assert_eq!(
        (mid.cases - before.cases, mid.events - before.events),
        (u64::from(N), 2 * u64::from(N))
    );
    a_clash_is_refused_whole(store, import, mid);
    a_reimport_appends_to_all(store, import, &cases, &loaded);
    later_writes_show_in_the_list(store, import, &loaded);
}

/// The large batch loads back with its events, its figures and its caseload columns as
/// written; returns the stored dossiers, in the batch's order.
fn read_back_as_written(store: &mut dyn Store, cases: &[CaseWrite]) -> Vec<StoredCase> {
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
    loaded
}

/// The coordinators' tasks of dossiers whose quick scan came back.
fn returned_quick_scans() -> WorklistQuery {
    WorklistQuery {
        actors: vec!["coordinator".into()],
        quick_scan_returned: true,
        limit: 1000,
        ..Default::default()
    }
}

/// The default list (no filter but the date) of the large batch's fund, one line per
/// task with its dossier's columns, sorted.
fn listed(store: &mut dyn Store) -> Vec<String> {
    let plain = WorklistQuery {
        actors: vec!["coordinator".into()],
        as_of: parse_date("2023-12-31").ok(),
        limit: 1000,
        ..Default::default()
    };
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
}

/// The line `listed` shows for the first task of a written dossier.
fn row(c: &CaseWrite) -> String {
    let s = &c.summary;
    format!(
        "{} {} {} {:?} {:?}",
        c.key, c.tasks[0].due, s.region, s.category, s.quick_scan_returned
    )
}

/// The worklists of the large batch: every task stored, each with its dossier's columns
/// as written, and the filters give what those columns say.
fn worklists_as_written(store: &mut dyn Store, cases: &[CaseWrite]) {
    let returned = store
        .worklist("fund-big", &returned_quick_scans())
        .expect("worklist")
        .len();
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
}

/// A large batch with one case that already exists: refused whole.
fn a_clash_is_refused_whole(store: &mut dyn Store, import: i64, mid: Counts) {
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
}

/// A re-import appending to every case: new summaries, one more event each.
fn a_reimport_appends_to_all(
    store: &mut dyn Store,
    import: i64,
    cases: &[CaseWrite],
    loaded: &[StoredCase],
) {
    let more: Vec<CaseWrite> = cases
        .iter()
        .zip(loaded)
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
    let keys: Vec<CaseKey> = cases.iter().map(|c| c.key.clone()).collect();
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
        store
            .worklist("fund-big", &returned_quick_scans())
            .expect("worklist")
            .is_empty(),
        "the re-import replaced every task"
    );
}

/// Later writes change what the list shows: one dossier alone (the API's write), then
/// two at once.
fn later_writes_show_in_the_list(store: &mut dyn Store, import: i64, loaded: &[StoredCase]) {
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
