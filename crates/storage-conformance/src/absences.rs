//! Employers' absence lists: one employer's employee dossiers by start and end, each
//! with its `case_opened` body, and the read's audit entry in the same transaction.

use crate::fixtures::{a_fund_with_a_case, event, summary};
use tnw_domain::date::parse_date;
use tnw_domain::event::EventType;
use tnw_domain::{CaseKey, Date};
use tnw_storage::{AbsenceQuery, AbsenceRow, AuditEntry, CaseWrite, Store, StoredEvent};

fn day(s: &str) -> Date {
    parse_date(s).unwrap_or(tnw_domain::date::MIN_DATE)
}

fn opened_body(key: &str) -> String {
    format!(r#"{{"type":"case_opened","person":{{"name":"Worker {key}"}}}}"#)
}

/// Dossier `key` of employer `employer` (scheme `scheme`), its incapacity from
/// `start`, ended on `ended`. Its log holds a quick scan before its opening (arrival
/// order is not date order), so the opening is found by its type.
fn dossier(
    key: &str,
    employer: Option<&str>,
    scheme: &str,
    start: &str,
    ended: Option<&str>,
) -> CaseWrite {
    let mut s = summary(start);
    s.employer_id = employer.map(str::to_owned);
    s.scheme = scheme.into();
    s.ended = ended.map(day);
    s.facts = key.as_bytes().to_vec();
    let opened = StoredEvent {
        body: opened_body(key),
        ..event(2, start, EventType::CaseOpened)
    };
    CaseWrite {
        key: CaseKey::from_str_id(key),
        existing_id: None,
        events: vec![event(1, start, EventType::QuickScanSent), opened],
        summary: s,
        tasks: Vec::new(),
    }
}

fn list(store: &mut dyn Store, org: &str, q: &AbsenceQuery) -> (Vec<AbsenceRow>, Vec<String>) {
    let mut seen = Vec::new();
    let rows = store
        .employer_absences(org, q, &mut |rows| {
            seen = rows.iter().map(|r| r.case.to_string()).collect();
            AuditEntry {
                username: "employer".into(),
                role: "employer".into(),
                action: "read".into(),
                what: format!("absence list: {}", seen.join(",")),
                purpose: "re-integration".into(),
            }
        })
        .expect("absence list");
    (rows, seen)
}

/// Which dossiers an absence list's query returns, with what, in which order; the
/// entry `decide` names is in the fund's audit log, about no dossier; an update of a
/// dossier keeps its employer.
pub fn absence_lists(store: &mut dyn Store) {
    a_fund_with_a_case(store, "fund-x", "X1");
    store
        .write_cases(
            "fund-x",
            None,
            &[dossier("X-E1", Some("E1"), "employee", "2026-01-01", None)],
            &[],
        )
        .expect("another fund's dossier");
    let cases = [
        dossier("A-LATE", Some("E1"), "employee", "2026-02-20", None),
        dossier("A-ON", Some("E1"), "employee", "2026-01-10", None),
        dossier(
            "A-ENDED-IN",
            Some("E1"),
            "employee",
            "2025-12-01",
            Some("2026-03-02"),
        ),
        dossier(
            "A-ENDED-ON",
            Some("E1"),
            "employee",
            "2025-12-01",
            Some("2026-03-01"),
        ),
        dossier(
            "A-ENDED-BEFORE",
            Some("E1"),
            "employee",
            "2025-11-01",
            Some("2026-02-01"),
        ),
        dossier("A-AFTER", Some("E1"), "employee", "2026-03-20", None),
        dossier("A-OTHER", Some("E2"), "employee", "2026-01-01", None),
        dossier("A-UNEMPLOYED", Some("E1"), "unemployed", "2026-01-01", None),
        dossier("A-NONE", None, "self_employed", "2026-01-01", None),
    ];
    store
        .write_cases("fund-a", None, &cases, &[])
        .expect("write the dossiers");
    let march = AbsenceQuery {
        employer_id: "E1".into(),
        started_by: day("2026-03-04"),
        absent_on: day("2026-03-01"),
    };
    let before = store
        .audit_log("fund-a", None, 100)
        .expect("audit log")
        .len();
    let (rows, seen) = list(store, "fund-a", &march);
    let keys: Vec<String> = rows.iter().map(|r| r.case.to_string()).collect();
    assert_eq!(
        keys,
        ["A-ENDED-IN", "A-ON", "A-LATE"],
        "employer E1's employees who began by the 4th and had not ended by the 1st, by start"
    );
    assert_eq!(seen, keys, "decide saw the rows returned");
    for r in &rows {
        assert_eq!(r.opened, opened_body(&r.case.to_string()), "{}", r.case);
        assert_eq!(r.facts, r.case.to_string().as_bytes(), "{}", r.case);
    }
    let log = store.audit_log("fund-a", None, 100).expect("audit log");
    assert_eq!(log.len(), before + 1, "one entry per list read");
    assert_eq!(log[0].case, None, "a list is about no one dossier");
    assert_eq!(log[0].entry.what, "absence list: A-ENDED-IN,A-ON,A-LATE");
    assert_eq!(log[0].entry.role, "employer");

    // The bounds are inclusive of the start and exclusive of the end.
    let (rows, _) = list(
        store,
        "fund-a",
        &AbsenceQuery {
            started_by: day("2026-02-19"),
            absent_on: day("2026-03-02"),
            ..march.clone()
        },
    );
    let keys: Vec<String> = rows.iter().map(|r| r.case.to_string()).collect();
    assert_eq!(
        keys,
        ["A-ON"],
        "A-LATE began after, A-ENDED-IN ended on the 2nd"
    );

    // Another fund, an unknown employer, a fund that does not exist: nothing listed.
    let (rows, _) = list(store, "fund-x", &march);
    assert_eq!(rows.len(), 1, "fund X's own dossier");
    assert_eq!(rows[0].case.to_string(), "X-E1");
    let (rows, _) = list(
        store,
        "fund-a",
        &AbsenceQuery {
            employer_id: "E9".into(),
            ..march.clone()
        },
    );
    assert!(rows.is_empty(), "an employer without dossiers");
    let (rows, _) = list(store, "fund-none", &march);
    assert!(rows.is_empty(), "a fund that does not exist");

    // Later writes to a dossier, alone or in a batch, keep its employer and move its
    // end.
    let stored = store
        .load_cases(
            "fund-a",
            &[CaseKey::from_str_id("A-ON"), CaseKey::from_str_id("A-LATE")],
        )
        .expect("load");
    let ids: Vec<i64> = stored.iter().flatten().map(|c| c.id).collect();
    assert_eq!(ids.len(), 2, "both stored");
    let ended = |key: &str, id: i64, start: &str, on: &str| {
        let mut s = summary(start);
        s.ended = Some(day(on));
        s.facts = key.as_bytes().to_vec();
        CaseWrite {
            key: CaseKey::from_str_id(key),
            existing_id: Some(id),
            events: vec![event(3, on, EventType::IncapacityEnded)],
            summary: s,
            tasks: Vec::new(),
        }
    };
    store
        .write_cases(
            "fund-a",
            None,
            &[ended("A-ON", ids[0], "2026-01-10", "2026-02-15")],
            &[],
        )
        .expect("end A-ON");
    let (rows, _) = list(store, "fund-a", &march);
    let keys: Vec<String> = rows.iter().map(|r| r.case.to_string()).collect();
    assert_eq!(keys, ["A-ENDED-IN", "A-LATE"], "A-ON ended before March");
    let later = AbsenceQuery {
        absent_on: day("2026-02-01"),
        ..march.clone()
    };
    let (rows, _) = list(store, "fund-a", &later);
    let keys: Vec<String> = rows.iter().map(|r| r.case.to_string()).collect();
    assert!(keys.contains(&"A-ON".to_owned()), "still E1's: {keys:?}");
    let stored = store
        .load_cases("fund-a", &[CaseKey::from_str_id("A-ON")])
        .expect("load");
    let on_id = stored[0].as_ref().map(|c| c.id).unwrap_or_default();
    let mut again = ended("A-ON", on_id, "2026-01-10", "2026-02-15");
    again.events = vec![event(4, "2026-02-16", EventType::ConsentGiven)];
    store
        .write_cases(
            "fund-a",
            None,
            &[again, ended("A-LATE", ids[1], "2026-02-20", "2026-03-03")],
            &[],
        )
        .expect("a batch of two");
    let (rows, _) = list(store, "fund-a", &later);
    let keys: Vec<String> = rows.iter().map(|r| r.case.to_string()).collect();
    assert_eq!(
        keys,
        ["A-ENDED-IN", "A-ENDED-ON", "A-ON", "A-LATE"],
        "employers kept through a batch update"
    );
}
