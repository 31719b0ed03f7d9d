//! The import use case against real SQLite files.

use tnw_app::import::{import_events, ImportOptions, ImportReport};
use tnw_domain::date::parse_date;
use tnw_domain::RuleBook;
use tnw_storage::prelude::*;
use tnw_storage_sqlite::SqliteStore;

static BOOK: std::sync::LazyLock<RuleBook> =
    std::sync::LazyLock::new(|| RuleBook::builtin().unwrap());

fn opened(case: &str, date: &str) -> String {
    format!(
        r#"{{"case":"{case}","type":"case_opened","date":"{date}","person":{{"id":"P-{case}","name":"Jan Janssens","birth_date":"1975-03-01","sex":"m","language":"nl","region":"flanders"}},"scheme":"employee","employer":{{"id":"E1","name":"Acme NV"}},"regime":"full_time","work_type":"manual","sector":"C","condition":"musculoskeletal","incapacity_start":"{date}"}}"#
    )
}

fn ev(case: &str, date: &str, rest: &str) -> String {
    format!(r#"{{"case":"{case}","type":{rest},"date":"{date}"}}"#)
}

fn store() -> (tempfile::TempDir, SqliteStore) {
    let dir = tempfile::tempdir().unwrap();
    let s = SqliteStore::open(&dir.path().join("tnw.db")).unwrap();
    (dir, s)
}

fn run(store: &mut SqliteStore, lines: &[String], strict: bool, batch: usize) -> ImportReport {
    let data = lines.join("\n") + "\n";
    let opts = ImportOptions {
        strict,
        batch_cases: batch,
        source: "test".into(),
        ..Default::default()
    };
    import_events(store, &BOOK, data.as_bytes(), &opts, &|_| {}).unwrap()
}

fn good_file() -> Vec<String> {
    vec![
        opened("C1", "2023-01-02"),
        ev("C1", "2023-03-08", r#""quick_scan_sent""#),
        ev(
            "C1",
            "2023-03-15",
            r#""quick_scan_returned","answers":{"health":"better"}"#,
        ),
        ev("C1", "2023-04-12", r#""capacity_assessed","category":4"#),
        ev(
            "C1",
            "2023-04-12",
            r#""referred_to_coordinator","initiative":"advisory_doctor""#,
        ),
        opened("C2", "2023-02-01"),
        ev(
            "C1",
            "2023-04-20",
            r#""coordinator_contact","mode":"phone","first":true"#,
        ),
        ev("C2", "2023-04-07", r#""quick_scan_sent""#),
    ]
}

#[test]
fn imports_a_file_and_reimporting_it_adds_nothing() {
    let (_d, mut s) = store();
    let r = run(&mut s, &good_file(), false, 1000);
    assert_eq!(
        (r.lines, r.imported, r.duplicates, r.cases_created),
        (8, 8, 0, 2)
    );
    assert!(r.rejected.is_empty(), "{:?}", r.rejected);
    assert!(r.committed);
    let r = run(&mut s, &good_file(), false, 1000);
    assert_eq!(
        (r.imported, r.duplicates, r.cases_created, r.cases_updated),
        (0, 8, 0, 0)
    );
    assert_eq!(s.counts(None).unwrap().events, 8);
    // A file that overlaps: old lines are recognised, the new one is added.
    let mut more = good_file();
    more.push(ev(
        "C1",
        "2023-05-02",
        r#""coordinator_contact","mode":"video","first":false"#,
    ));
    let r = run(&mut s, &more, false, 1000);
    assert_eq!((r.imported, r.duplicates, r.cases_updated), (1, 8, 1));
    assert_eq!(s.counts(None).unwrap().events, 9);
}

#[test]
fn bad_lines_are_rejected_with_line_and_reason_and_the_rest_is_imported() {
    let (_d, mut s) = store();
    let mut lines = good_file();
    lines.insert(2, "{not json".into()); // line 3
    lines.push(ev("C1", "2023-02-30", r#""quick_scan_reminder""#)); // line 10: bad date
    lines.push(ev("C9", "2023-05-01", r#""quick_scan_sent""#)); // line 11: unknown case
    lines.push(ev(
        "C2",
        "2023-05-01",
        r#""coordinator_contact","mode":"phone","first":true"#,
    )); // 12: no referral
    lines.push(ev(
        "C2",
        "2023-05-01",
        r#""capacity_assessed","category":9"#,
    )); // 13: out of range
    lines.push(ev("C2", "2023-05-01", r#""teleported""#)); // 14
    lines.push(String::new()); // blank: ignored
    let r = run(&mut s, &lines, false, 1000);
    let got: Vec<(u64, &str)> = r
        .rejected
        .iter()
        .map(|x| (x.line, x.reason.as_str()))
        .collect();
    assert_eq!(got.len(), 6, "{got:?}");
    assert_eq!(got[0].0, 3);
    assert!(got[0].1.contains("not valid JSON"));
    assert_eq!(got[1].0, 10);
    assert!(got[1].1.contains("not a real calendar date"));
    assert_eq!(got[2].0, 11);
    assert!(got[2].1.contains("no case_opened"), "{}", got[2].1);
    assert_eq!(got[3].0, 12);
    assert!(got[3].1.contains("no coaching is running"));
    assert_eq!(got[4].0, 13);
    assert!(got[4].1.contains("out of range 1–4"));
    assert_eq!(got[5].0, 14);
    assert!(got[5].1.contains("unknown event type"));
    assert_eq!(r.imported, 8);
    assert_eq!(s.counts(None).unwrap().events, 8);
}

#[test]
fn strict_rejects_the_whole_file_atomically() {
    let (_d, mut s) = store();
    let mut lines = good_file();
    lines.push(ev(
        "C2",
        "2023-05-01",
        r#""coordinator_contact","mode":"phone","first":true"#,
    ));
    let r = run(&mut s, &lines, true, 1);
    assert!(!r.committed);
    assert_eq!(r.rejected.len(), 1);
    assert_eq!(r.rejected[0].line, 9);
    assert_eq!(s.counts(None).unwrap().events, 0);
    assert_eq!(s.counts(None).unwrap().cases, 0);
    // A parse error too.
    let mut lines = good_file();
    lines.insert(1, "[]".into());
    let r = run(&mut s, &lines, true, 1);
    assert_eq!((r.committed, r.rejected[0].line), (false, 2));
    assert_eq!(s.counts(None).unwrap().events, 0);
    // And a clean file goes in whole.
    let r = run(&mut s, &good_file(), true, 1);
    assert!(r.committed);
    assert_eq!(s.counts(None).unwrap().events, 8);
}

#[test]
fn out_of_order_lines_and_small_batches_give_the_same_result() {
    let (_d1, mut a) = store();
    let (_d2, mut b) = store();
    // case_opened last, the other case first: dates decide the order, and same-day
    // lines of a case keep their file order (that is how ties are broken).
    let mut rev = good_file();
    let first = rev.remove(0);
    rev.sort_by_key(|l| !l.contains("\"C2\""));
    rev.push(first);
    let ra = run(&mut a, &good_file(), false, 1000);
    let rb = run(&mut b, &rev, false, 1);
    assert_eq!(ra.imported, rb.imported);
    assert!(rb.rejected.is_empty(), "{:?}", rb.rejected);
    let book = RuleBook::builtin().unwrap();
    let as_of = parse_date("2023-05-01").unwrap();
    let due = |s: &mut SqliteStore| {
        let mut v = Vec::new();
        tnw_app::due::sweep(s, &book, None, as_of, None, &mut |t| {
            v.extend(
                t.into_iter()
                    .map(|t| (t.case.display().into_owned(), t.task.to_owned(), t.due)),
            );
            Ok(())
        })
        .unwrap();
        v.sort();
        v
    };
    assert_eq!(due(&mut a), due(&mut b));
}

#[test]
fn a_late_line_that_breaks_the_stored_history_is_blamed() {
    let (_d, mut s) = store();
    run(&mut s, &good_file(), false, 1000);
    // Ending the incapacity before the stored contact would make that contact impossible.
    let late = vec![ev("C1", "2023-04-15", r#""incapacity_ended""#)];
    let r = run(&mut s, &late, false, 1000);
    assert_eq!(r.imported, 0);
    assert_eq!(r.rejected.len(), 1);
    assert!(
        r.rejected[0]
            .reason
            .contains("would make the stored coordinator_contact of 2023-04-20 impossible"),
        "{}",
        r.rejected[0].reason
    );
    // A late line that fits is accepted and the deadlines follow it.
    let fits = vec![ev("C1", "2023-03-20", r#""quick_scan_reminder""#)];
    assert!(
        !run(&mut s, &fits, false, 1000).rejected.is_empty(),
        "a reminder after the return is impossible"
    );
    let ok = vec![ev(
        "C2",
        "2023-03-01",
        r#""consent_given","to":"employer","scope":"dossier""#,
    )];
    assert_eq!(run(&mut s, &ok, false, 1000).imported, 1);
}

#[test]
fn identical_lines_in_one_file_are_kept_but_never_doubled() {
    let (_d, mut s) = store();
    let mut lines = good_file();
    let contact = ev(
        "C1",
        "2023-05-02",
        r#""coordinator_contact","mode":"phone","first":false"#,
    );
    lines.push(contact.clone());
    lines.push(contact);
    let r = run(&mut s, &lines, false, 1000);
    assert_eq!(r.imported, 10);
    let r = run(&mut s, &lines, false, 1000);
    assert_eq!((r.imported, r.duplicates), (0, 10));
    assert_eq!(s.counts(None).unwrap().events, 10);
}

#[test]
fn funds_are_kept_apart() {
    let (_d, mut s) = store();
    let data = good_file().join("\n");
    for org in ["fund-a", "fund-b"] {
        let opts = ImportOptions {
            org: org.into(),
            ..Default::default()
        };
        let r = import_events(&mut s, &BOOK, data.as_bytes(), &opts, &|_| {}).unwrap();
        assert_eq!(
            r.imported, 8,
            "the same ids in another fund are other dossiers"
        );
    }
    assert_eq!(s.counts(Some("fund-a")).unwrap().events, 8);
    assert_eq!(s.counts(None).unwrap().cases, 4);
}

#[test]
fn invalid_utf8_crlf_and_bom_are_handled() {
    let (_d, mut s) = store();
    let mut data = b"\xEF\xBB\xBF".to_vec();
    data.extend(opened("C1", "2023-01-02").as_bytes());
    data.extend(b"\r\n{\"case\":\"C1\",\"type\":\"quick_scan_sent\",\"date\":\"2023-03-08\",\"x\":\"\xFF\"}\r\n");
    data.extend(ev("C1", "2023-03-08", r#""quick_scan_sent""#).as_bytes());
    let r = import_events(&mut s, &BOOK, &data, &ImportOptions::default(), &|_| {}).unwrap();
    assert_eq!(r.imported, 2);
    assert_eq!(r.rejected.len(), 1);
    assert_eq!(r.rejected[0].line, 2);
    assert!(r.rejected[0].reason.contains("UTF-8"));
}
