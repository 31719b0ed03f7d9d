//! The self-employed clock: its own rule set from 2023, no employee items, nothing
//! before 2023, read from an event file in the import format.

use std::collections::BTreeMap;
use tnw_domain::date::parse_date;
use tnw_domain::engine::{evaluate, judge, Item, Relevant, Status};
use tnw_domain::event::{parse_line, Event, Scheme};
use tnw_domain::facts::CaseFacts;
use tnw_domain::rules::RuleBook;
use tnw_domain::validate::validate_sequence;
use tnw_domain::Date;

const FILE: &str = include_str!("data/self-employed.jsonl");

fn d(s: &str) -> Date {
    parse_date(s).unwrap()
}

/// The file's dossiers, each in application order (date, then file order), validated.
fn dossiers() -> BTreeMap<String, CaseFacts> {
    let mut by_case: BTreeMap<String, Vec<(Date, Event)>> = BTreeMap::new();
    for (n, line) in FILE.lines().enumerate() {
        let e = parse_line(line).unwrap_or_else(|e| panic!("line {}: {e}", n + 1));
        by_case
            .entry(e.case.display().into_owned())
            .or_default()
            .push((e.date, e.event));
    }
    by_case
        .into_iter()
        .map(|(id, mut evs)| {
            evs.sort_by_key(|(d, _)| *d);
            validate_sequence(evs.iter().map(|(d, e)| (*d, e))).unwrap();
            let facts = CaseFacts::from_events(evs.iter().map(|(d, e)| (*d, e))).unwrap();
            (id, facts)
        })
        .collect()
}

fn items<'b>(c: &CaseFacts, book: &'b RuleBook, as_of: &str) -> Vec<Item<'b>> {
    let mut out = Vec::new();
    evaluate(c, book, d(as_of), None, &mut out);
    out
}

/// `(code, set, due, status)` as the timeline reads them.
fn timeline(items: &[Item]) -> Vec<(String, String, String, String)> {
    items
        .iter()
        .map(|i| {
            let status = match i.status {
                Status::Done { on, .. } => format!("done {on}"),
                s => format!("{s:?}").to_lowercase(),
            };
            (
                i.rule.code.clone(),
                i.set.name.clone(),
                i.due.to_string(),
                status,
            )
        })
        .collect()
}

fn row(code: &str, set: &str, due: &str, status: &str) -> (String, String, String, String) {
    (code.into(), set.into(), due.into(), status.into())
}

const SE: &str = "tnw-self-employed-2023";

#[test]
fn a_self_employed_dossier_runs_on_its_own_clock() {
    let book = RuleBook::builtin().unwrap();
    let all = dossiers();
    let se = &all["SE-1"];
    assert_eq!(se.scheme, Scheme::SelfEmployed);
    // Week 10: the questionnaire is due; nothing of an employer, no codex.
    assert_eq!(
        timeline(&items(se, &book, "2023-04-12")),
        vec![
            row("send_quick_scan", SE, "2023-04-16", "open"),
            row("assess_capacity", SE, "2023-06-05", "upcoming"),
            row("invalidity", SE, "2024-02-06", "upcoming"),
        ]
    );
    // After the referral: the first contact within the month.
    assert_eq!(
        timeline(&items(se, &book, "2023-05-20")),
        vec![
            row("send_quick_scan", SE, "2023-04-16", "done 2023-04-13"),
            row("refer_to_coordinator", SE, "2023-05-15", "done 2023-05-15"),
            row("assess_capacity", SE, "2023-06-05", "done 2023-05-15"),
            row("first_contact", SE, "2023-06-15", "open"),
            row("invalidity", SE, "2024-02-06", "upcoming"),
        ]
    );
    let later = items(se, &book, "2024-03-01");
    assert!(later
        .iter()
        .all(|i| !matches!(i.status, Status::Open | Status::Overdue | Status::Upcoming)));
    let inv = later.iter().find(|i| i.rule.code == "invalidity").unwrap();
    assert_eq!((inv.rule.id.as_str(), inv.status), ("S7", Status::Reached));
}

#[test]
fn an_employee_of_the_same_day_keeps_the_employee_clock() {
    let book = RuleBook::builtin().unwrap();
    let all = dossiers();
    let emp = items(&all["EMP-1"], &book, "2023-05-20");
    let codes: Vec<&str> = emp.iter().map(|i| i.rule.code.as_str()).collect();
    for c in [
        "on_employer_list",
        "codex_worker_may_request",
        "codex_employer_may_request",
        "force_majeure_possible",
        "first_contact",
    ] {
        assert!(codes.contains(&c), "{c} missing: {codes:?}");
    }
    assert!(emp.iter().all(|i| i.set.name != SE));
    // The self-employed dossier has none of the employee items.
    let se = items(&all["SE-1"], &book, "2023-05-20");
    assert!(se.iter().all(|i| i.set.name == SE
        && !["employer", "occupational_physician"].contains(&i.rule.actor.as_str())
        && !i.rule.code.starts_with("codex")
        && !i.rule.code.contains("reintegration")));
}

#[test]
fn a_self_employed_incapacity_from_before_2023_gets_nothing() {
    let book = RuleBook::builtin().unwrap();
    let all = dossiers();
    let old = &all["SE-OLD"];
    // A questionnaire in January and a self-referral in March 2023: still no task,
    // because the scheme covers incapacities that started from 2023 on.
    for as_of in ["2022-12-01", "2023-01-25", "2023-03-05", "2024-01-01"] {
        assert!(items(old, &book, as_of).is_empty(), "as of {as_of}");
    }
    // Forcing a set of the employees changes nothing: it judges no self-employed.
    for name in ["tnw-2022", "codex-2022-10", "rtw-2026"] {
        let mut out = Vec::new();
        evaluate(old, &book, d("2023-06-01"), book.get(name).ok(), &mut out);
        assert!(out.is_empty(), "{name}");
        let mut out = Vec::new();
        evaluate(
            &all["SE-1"],
            &book,
            d("2023-06-01"),
            book.get(name).ok(),
            &mut out,
        );
        assert!(out.is_empty(), "{name}");
    }
    // Forcing the self-employed set on an employee: nothing either.
    let mut out = Vec::new();
    evaluate(
        &all["EMP-1"],
        &book,
        d("2023-06-01"),
        book.get(SE).ok(),
        &mut out,
    );
    assert!(out.is_empty());
}

#[test]
fn the_self_employed_set_names_its_sources_and_its_sanction() {
    let book = RuleBook::builtin().unwrap();
    let set = book.get(SE).unwrap();
    assert_eq!(set.effective_from, d("2023-01-01"));
    assert_eq!(set.schemes, vec![Scheme::SelfEmployed]);
    assert!(set.sources.iter().any(|s| s.contains("12 January 2023")));
    assert!(set.sources.iter().any(|s| s.contains("12 March 2023")));
    let s = set.sanction.as_ref().unwrap();
    assert_eq!((s.percent, s.after_ignored), (2.5, 1));
    assert!(s.covers("first_contact") && !s.covers("return_quick_scan"));
    // The employees' sets judge no self-employed, the self-employed set no one else.
    for set in book.sets() {
        assert_eq!(
            set.judges(Scheme::SelfEmployed),
            set.name == SE,
            "{}",
            set.name
        );
    }
    // Questionnaire at 10 weeks, assessment after 3 months.
    let r1 = set.rule("send_quick_scan").unwrap();
    assert_eq!(
        (r1.window.to_string(), r1.due.to_string()),
        ("63d".into(), "69d".into())
    );
    let r2 = set.rule("assess_capacity").unwrap();
    assert_eq!(r2.window.to_string(), "3m");
}

#[test]
fn judge_makes_the_engines_choice() {
    let book = RuleBook::builtin().unwrap();
    let at = |anchor: &str, start: &str, traj: Option<&str>| Relevant {
        anchor: d(anchor),
        incapacity_start: d(start),
        trajectory_start: traj.map(d),
    };
    let name = |scheme, key, r| judge(&book, None, scheme, key, r).map(|(s, _)| s.name.clone());
    // The questionnaire's return: only rtw-2026 has it, for employees.
    assert_eq!(
        name(
            Scheme::Employee,
            "return_quick_scan",
            at("2026-03-01", "2025-12-20", None)
        ),
        Some("rtw-2026".into())
    );
    assert_eq!(
        name(
            Scheme::Employee,
            "return_quick_scan",
            at("2025-03-01", "2024-12-20", None)
        ),
        None
    );
    assert_eq!(
        name(
            Scheme::SelfEmployed,
            "return_quick_scan",
            at("2026-03-01", "2025-12-20", None)
        ),
        None
    );
    // rtw-2026's first contact by the trajectory's start.
    assert_eq!(
        name(
            Scheme::Employee,
            "first_contact",
            at("2026-01-10", "2025-06-01", Some("2025-12-15"))
        ),
        Some("codex-2022-10".into())
    );
    assert_eq!(
        name(
            Scheme::SelfEmployed,
            "first_contact",
            at("2026-01-10", "2025-06-01", None)
        ),
        Some(SE.into())
    );
    assert_eq!(
        name(
            Scheme::SelfEmployed,
            "first_contact",
            at("2023-03-01", "2022-11-14", None)
        ),
        None
    );
}

#[test]
fn sets_that_could_give_employee_items_to_the_self_employed_are_refused() {
    let base = |extra: &str| {
        format!(
            r#"name = "se-x"
title = "x"
effective_from = "2030-01-01"
extends = "tnw-self-employed-2023"
{extra}"#
        )
    };
    let rule = |actor: &str, anchor: &str, done: &str, more: &str| {
        format!(
            "[[rule]]\nid = \"X\"\ntask = \"x\"\nactor = \"{actor}\"\nanchor = \"{anchor}\"\ndue = \"1m\"\ndone_by = [\"{done}\"]\n{more}source = \"s\"\nreason.en = \"r\"\n"
        )
    };
    let cases = [
        rule("employer", "incapacity_start", "quick_scan_sent", ""),
        rule(
            "occupational_physician",
            "incapacity_start",
            "quick_scan_sent",
            "",
        ),
        rule("coordinator", "codex_decision", "quick_scan_sent", ""),
        rule("coordinator", "incapacity_start", "reintegration_plan", ""),
        rule(
            "coordinator",
            "incapacity_start",
            "quick_scan_sent",
            "if_employer = true\n",
        ),
    ];
    for text in cases {
        let err = RuleBook::with_extra(vec![("x.toml".into(), base(&text))])
            .unwrap_err()
            .to_string();
        assert!(err.contains("cannot judge self-employed"), "{text}: {err}");
    }
    // Restricted to employees by its own condition, the rule may stay.
    let ok = rule(
        "employer",
        "incapacity_start",
        "quick_scan_sent",
        "if_scheme = [\"employee\"]\n",
    );
    assert!(RuleBook::with_extra(vec![("x.toml".into(), base(&ok))]).is_ok());
    // Widening an employees' set to the self-employed is refused too.
    let widened = r#"name = "all-2030"
title = "x"
effective_from = "2030-01-01"
extends = "rtw-2026"
schemes = ["employee", "unemployed", "self_employed"]
"#;
    let err = RuleBook::with_extra(vec![("w.toml".into(), widened.into())])
        .unwrap_err()
        .to_string();
    assert!(err.contains("cannot judge self-employed"), "{err}");
    // A set of its own must say whom it judges.
    let root = r#"name = "root-2030"
title = "x"
effective_from = "2030-01-01"
ends_all_tasks_on = ["incapacity_ended"]
"#;
    let err = RuleBook::with_extra(vec![("r.toml".into(), root.into())])
        .unwrap_err()
        .to_string();
    assert!(err.contains("names the schemes"), "{err}");
}
