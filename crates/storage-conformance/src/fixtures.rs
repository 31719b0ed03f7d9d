//! Builders shared by the checks (dossiers, events, tasks, audit entries) and the small
//! setups a check makes on its own fresh store.

use tnw_domain::date::parse_date;
use tnw_domain::event::EventType;
use tnw_domain::CaseKey;
use tnw_storage::{AuditEntry, CaseSummary, CaseWrite, OpenTask, Store, StoredEvent};

pub(crate) fn summary(start: &str) -> CaseSummary {
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
        employer_id: None,
        facts: vec![1, 2, 3],
    }
}

pub(crate) fn event(seq: u32, date: &str, kind: EventType) -> StoredEvent {
    StoredEvent {
        seq,
        date: parse_date(date).unwrap_or(tnw_domain::date::MIN_DATE),
        kind,
        fingerprint: u64::from(seq) * 7919 + u64::MAX / 3,
        body: format!(r#"{{"type":"{kind}"}}"#),
    }
}

pub(crate) fn new_case(key: &str, events: Vec<StoredEvent>) -> CaseWrite {
    CaseWrite {
        key: CaseKey::from_str_id(key),
        existing_id: None,
        events,
        summary: summary("2023-01-01"),
        tasks: Vec::new(),
    }
}

pub(crate) fn task(code: &str, actor: &str, window: &str, due: &str) -> OpenTask {
    OpenTask {
        code: code.into(),
        actor: actor.into(),
        rule: "R6".into(),
        window_start: parse_date(window).unwrap_or(tnw_domain::date::MIN_DATE),
        due: parse_date(due).unwrap_or(tnw_domain::date::MIN_DATE),
    }
}

pub(crate) fn entry(user: &str, action: &str) -> AuditEntry {
    AuditEntry {
        username: user.into(),
        role: "coordinator".into(),
        action: action.into(),
        what: "dossier".into(),
        purpose: "coordination".into(),
    }
}

/// Case `i` of `a_large_batch`: every summary column varies, some keys are numbers.
pub(crate) fn large_case(i: u32) -> CaseWrite {
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
    summary.ended = i
        .is_multiple_of(5)
        .then(|| parse_date("2024-06-30").unwrap_or(tnw_domain::date::MIN_DATE));
    summary.assignee = i.is_multiple_of(2).then(|| "coach-l".to_string());
    summary.quick_scan_returned = i
        .is_multiple_of(7)
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

/// Stores dossier `key` in `org`, opened on 2023-01-01, without tasks. A check that asks
/// another fund makes it first, so the question reaches a fund that exists (a backend
/// answers an unknown fund before it looks at any data).
pub(crate) fn a_fund_with_a_case(store: &mut dyn Store, org: &str, key: &str) {
    store
        .write_cases(
            org,
            None,
            &[new_case(
                key,
                vec![event(1, "2023-01-01", EventType::CaseOpened)],
            )],
            &[],
        )
        .unwrap_or_else(|e| panic!("setup: {key} in {org}: {e}"));
}
