//! Rule-by-rule tests of the deadline engine on hand-built cases.

use tnw_domain::date::parse_date;
use tnw_domain::engine::{evaluate, Status};
use tnw_domain::event::{parse_line, Event};
use tnw_domain::facts::CaseFacts;
use tnw_domain::rules::RuleBook;
use tnw_domain::validate::validate_sequence;
use tnw_domain::Date;

fn d(s: &str) -> Date {
    parse_date(s).unwrap()
}

fn opened(start: &str, scheme: &str) -> String {
    let employer = if scheme == "employee" {
        r#"{"id":"E1","name":"Acme"}"#
    } else {
        "null"
    };
    format!(
        r#"{{"case":"C1","type":"case_opened","date":"{start}","person":{{"id":"P1","name":"An","birth_date":"1980-01-01","sex":"f","language":"nl","region":"flanders"}},"scheme":"{scheme}","employer":{employer},"condition":"mental","incapacity_start":"{start}"}}"#
    )
}

fn ev(date: &str, rest: &str) -> String {
    format!(r#"{{"case":"C1","date":"{date}",{rest}}}"#)
}

/// Parses, orders by date (stable), validates and folds lines into facts.
fn case(lines: &[String]) -> CaseFacts {
    let mut evs: Vec<(Date, Event)> = lines
        .iter()
        .map(|l| {
            let e = parse_line(l).unwrap_or_else(|e| panic!("{l}: {e}"));
            (e.date, e.event)
        })
        .collect();
    evs.sort_by_key(|(d, _)| *d);
    validate_sequence(evs.iter().map(|(d, e)| (*d, e))).unwrap();
    CaseFacts::from_events(evs.iter().map(|(d, e)| (*d, e))).unwrap()
}

/// `(task, due, state)` of the due view.
fn due(c: &CaseFacts, as_of: &str, rules: Option<&str>) -> Vec<(String, String, String)> {
    let book = RuleBook::builtin().unwrap();
    let forced = rules.map(|r| book.get(r).unwrap());
    let mut out = Vec::new();
    evaluate(c, &book, d(as_of), forced, &mut out);
    out.iter()
        .filter_map(|i| {
            i.status
                .due_state()
                .map(|s| (i.rule.code.clone(), i.due.to_string(), s.to_string()))
        })
        .collect()
}

fn t(task: &str, due: &str, state: &str) -> (String, String, String) {
    (task.into(), due.into(), state.into())
}

#[test]
fn r1_quick_scan_window_is_days_63_to_69() {
    let c = case(&[opened("2023-01-01", "employee")]);
    assert_eq!(due(&c, "2023-03-04", Some("tnw-2022")), vec![]); // day 62
    assert_eq!(
        due(&c, "2023-03-05", Some("tnw-2022")),
        vec![t("send_quick_scan", "2023-03-11", "open")]
    ); // day 63
    assert_eq!(
        due(&c, "2023-03-11", Some("tnw-2022")),
        vec![t("send_quick_scan", "2023-03-11", "open")]
    ); // due day: still open
    assert_eq!(
        due(&c, "2023-03-12", Some("tnw-2022")),
        vec![t("send_quick_scan", "2023-03-11", "overdue")]
    );
}

#[test]
fn r1_done_by_quick_scan_sent_even_early_but_not_after_as_of() {
    let c = case(&[
        opened("2023-01-01", "employee"),
        ev("2023-03-20", r#""type":"quick_scan_sent""#),
    ]);
    // As of 19 March the sending (20 March) has not happened yet.
    assert_eq!(
        due(&c, "2023-03-19", Some("tnw-2022")),
        vec![t("send_quick_scan", "2023-03-11", "overdue")]
    );
    assert_eq!(due(&c, "2023-03-20", Some("tnw-2022")), vec![]);
}

#[test]
fn r2_assessment_during_month_4_with_month_end_clamping() {
    // 31 October + 3 months = 31 January; + 4 months − 1 day = 28 February − 1 = 27 February? No:
    // 31 Oct + 4 months = 28 Feb 2023 (clamped), − 1 day = 27 Feb 2023.
    let c = case(&[
        opened("2022-10-31", "employee"),
        ev("2023-01-02", r#""type":"quick_scan_sent""#),
    ]);
    assert_eq!(due(&c, "2023-01-30", Some("tnw-2022")), vec![]);
    assert_eq!(
        due(&c, "2023-01-31", Some("tnw-2022")),
        vec![t("assess_capacity", "2023-02-27", "open")]
    );
    // Leap year: 30 Nov 2023 + 3 months = 29 Feb 2024 (window); + 4 months − 1 day = 29 Mar 2024.
    let c = case(&[
        opened("2023-11-30", "employee"),
        ev("2024-02-01", r#""type":"quick_scan_sent""#),
    ]);
    assert_eq!(due(&c, "2024-02-28", Some("tnw-2022")), vec![]);
    assert_eq!(
        due(&c, "2024-02-29", Some("tnw-2022")),
        vec![t("assess_capacity", "2024-03-29", "open")]
    );
}

#[test]
fn r7_category_3_reassessed_every_two_months() {
    let c = case(&[
        opened("2023-01-01", "employee"),
        ev("2023-03-06", r#""type":"quick_scan_sent""#),
        ev("2023-04-15", r#""type":"capacity_assessed","category":3"#),
    ]);
    assert_eq!(due(&c, "2023-06-14", Some("tnw-2022")), vec![]);
    assert_eq!(
        due(&c, "2023-06-15", Some("tnw-2022")),
        vec![t("reassess_capacity", "2023-06-15", "open")]
    );
    let c = case(&[
        opened("2023-01-01", "employee"),
        ev("2023-03-06", r#""type":"quick_scan_sent""#),
        ev("2023-04-15", r#""type":"capacity_assessed","category":3"#),
        ev("2023-06-10", r#""type":"capacity_assessed","category":3"#),
    ]);
    // The second assessment did the first re-assessment and starts a new clock.
    assert_eq!(
        due(&c, "2023-08-11", Some("tnw-2022")),
        vec![t("reassess_capacity", "2023-08-10", "overdue")]
    );
}

#[test]
fn r4_referral_category_4_immediately_and_category_1_at_month_6() {
    let base = vec![
        opened("2023-01-31", "employee"),
        ev("2023-04-04", r#""type":"quick_scan_sent""#),
    ];
    let mut c4 = base.clone();
    c4.push(ev(
        "2023-05-10",
        r#""type":"capacity_assessed","category":4"#,
    ));
    assert_eq!(
        due(&case(&c4), "2023-05-10", Some("tnw-2022")),
        vec![t("refer_to_coordinator", "2023-05-10", "open")]
    );
    assert_eq!(
        due(&case(&c4), "2023-05-11", Some("tnw-2022")),
        vec![t("refer_to_coordinator", "2023-05-10", "overdue")]
    );
    let mut c1 = base.clone();
    c1.push(ev(
        "2023-05-10",
        r#""type":"capacity_assessed","category":1"#,
    ));
    // 31 January + 6 months = 31 July.
    assert_eq!(due(&case(&c1), "2023-07-30", Some("tnw-2022")), vec![]);
    assert_eq!(
        due(&case(&c1), "2023-07-31", Some("tnw-2022")),
        vec![t("refer_to_coordinator", "2023-07-31", "open")]
    );
    // Ended before month 6: nothing.
    let mut ended = c1.clone();
    ended.push(ev("2023-06-01", r#""type":"incapacity_ended""#));
    assert_eq!(due(&case(&ended), "2023-08-01", Some("tnw-2022")), vec![]);
    // Category 2: no referral.
    let mut c2 = base;
    c2.push(ev(
        "2023-05-10",
        r#""type":"capacity_assessed","category":2"#,
    ));
    assert_eq!(due(&case(&c2), "2023-12-01", Some("tnw-2022")), vec![]);
}

#[test]
fn r6_first_contact_within_one_month_of_referral() {
    let lines = vec![
        opened("2023-01-01", "employee"),
        ev("2023-03-06", r#""type":"quick_scan_sent""#),
        ev("2023-04-10", r#""type":"capacity_assessed","category":4"#),
        ev(
            "2023-04-12",
            r#""type":"referred_to_coordinator","initiative":"advisory_doctor""#,
        ),
    ];
    assert_eq!(
        due(&case(&lines), "2023-05-12", Some("tnw-2022")),
        vec![t("first_contact", "2023-05-12", "open")]
    );
    assert_eq!(
        due(&case(&lines), "2023-05-13", Some("tnw-2022")),
        vec![t("first_contact", "2023-05-12", "overdue")]
    );
    let mut done = lines.clone();
    done.push(ev(
        "2023-05-20",
        r#""type":"coordinator_contact","mode":"phone","first":true"#,
    ));
    assert_eq!(due(&case(&done), "2023-05-20", Some("tnw-2022")), vec![]);
    // A self-referral before any assessment also starts the clock (R5).
    let own = vec![
        opened("2023-01-01", "employee"),
        ev(
            "2023-02-01",
            r#""type":"referred_to_coordinator","initiative":"member""#,
        ),
    ];
    assert_eq!(
        due(&case(&own), "2023-02-02", Some("tnw-2022")),
        vec![t("first_contact", "2023-03-01", "open")]
    );
}

#[test]
fn r10_codex_decisions_under_baseline_and_codex_2_0() {
    let lines = vec![
        opened("2022-01-03", "employee"),
        ev("2022-03-07", r#""type":"quick_scan_sent""#),
        ev("2022-04-10", r#""type":"capacity_assessed","category":2"#),
        ev("2022-09-01", r#""type":"codex_requested","by":"worker""#),
        ev("2022-09-20", r#""type":"codex_decision","decision":"A""#),
    ];
    // Decided before 1 October 2022: 55 days.
    assert_eq!(
        due(&case(&lines), "2022-09-20", None),
        vec![t("reintegration_plan", "2022-11-14", "open")]
    );
    // Decided after: codex 2.0, 63 days, whatever the start of the incapacity.
    let mut later = lines.clone();
    later[4] = ev("2022-10-03", r#""type":"codex_decision","decision":"A""#);
    assert_eq!(
        due(&case(&later), "2022-10-03", None),
        vec![t("reintegration_plan", "2022-12-05", "open")]
    );
    // What-if: force the baseline.
    assert_eq!(
        due(&case(&later), "2022-10-03", Some("tnw-2022")),
        vec![t("reintegration_plan", "2022-11-27", "open")]
    );
    // Decision E under the baseline: re-evaluation after 2 months, not before.
    let mut e = lines.clone();
    e[4] = ev("2022-09-20", r#""type":"codex_decision","decision":"E""#);
    for before in ["2022-09-20", "2022-10-20", "2022-11-19"] {
        assert_eq!(due(&case(&e), before, None), vec![], "as of {before}");
    }
    assert_eq!(
        due(&case(&e), "2022-11-20", None),
        vec![t("codex_reevaluation", "2022-11-20", "open")]
    );
    assert_eq!(
        due(&case(&e), "2022-11-21", None),
        vec![t("codex_reevaluation", "2022-11-20", "overdue")]
    );
    // Decision C under the baseline: 12 months.
    let mut c = lines;
    c[4] = ev("2022-09-20", r#""type":"codex_decision","decision":"C""#);
    assert_eq!(
        due(&case(&c), "2022-09-21", None),
        vec![t("reintegration_plan", "2023-09-20", "open")]
    );
}

#[test]
fn codex_2_0_assessment_within_49_days() {
    let lines = vec![
        opened("2023-01-02", "employee"),
        ev("2023-03-06", r#""type":"quick_scan_sent""#),
        ev("2023-04-10", r#""type":"capacity_assessed","category":2"#),
        ev("2023-05-01", r#""type":"codex_requested","by":"employer""#),
    ];
    assert_eq!(
        due(&case(&lines), "2023-05-01", None),
        vec![t("codex_assessment", "2023-06-19", "open")]
    );
}

#[test]
fn incapacity_ended_closes_every_task() {
    let lines = vec![
        opened("2023-01-01", "employee"),
        ev(
            "2023-02-01",
            r#""type":"referred_to_coordinator","initiative":"member""#,
        ),
        ev("2023-02-20", r#""type":"incapacity_ended""#),
    ];
    assert_eq!(
        due(&case(&lines), "2023-02-19", None),
        vec![t("first_contact", "2023-03-01", "open")]
    );
    assert_eq!(due(&case(&lines), "2023-02-20", None), vec![]);
    assert_eq!(due(&case(&lines), "2024-02-20", None), vec![]);
}

#[test]
fn ties_on_one_day_follow_file_order() {
    // Assessed category 4 then referred the same day: the referral does the task.
    let lines = vec![
        opened("2023-01-01", "employee"),
        ev("2023-03-06", r#""type":"quick_scan_sent""#),
        ev("2023-04-10", r#""type":"capacity_assessed","category":4"#),
        ev(
            "2023-04-10",
            r#""type":"referred_to_coordinator","initiative":"advisory_doctor""#,
        ),
    ];
    assert_eq!(
        due(&case(&lines), "2023-04-10", None),
        vec![t("first_contact", "2023-05-10", "open")]
    );
    // Re-assessed category 2 and 4 on the same day: the later line (4) counts.
    let lines = vec![
        opened("2023-01-01", "employee"),
        ev("2023-03-06", r#""type":"quick_scan_sent""#),
        ev("2023-04-10", r#""type":"capacity_assessed","category":2"#),
        ev("2023-04-10", r#""type":"capacity_assessed","category":4"#),
    ];
    assert_eq!(
        due(&case(&lines), "2023-04-11", None),
        vec![t("refer_to_coordinator", "2023-04-10", "overdue")]
    );
}

#[test]
fn events_after_the_as_of_date_do_not_count() {
    let lines = vec![
        opened("2023-01-01", "employee"),
        ev("2023-06-01", r#""type":"incapacity_ended""#),
    ];
    assert_eq!(
        due(&case(&lines), "2023-03-06", None),
        vec![t("send_quick_scan", "2023-03-11", "open")]
    );
    // Before the case was opened there is nothing at all.
    assert_eq!(due(&case(&lines), "2022-12-31", None), vec![]);
}

#[test]
fn rtw_2026_plan_follow_up_and_quick_scan_return() {
    let lines = vec![
        opened("2026-01-05", "employee"),
        ev("2026-03-10", r#""type":"quick_scan_sent""#),
    ];
    assert_eq!(
        due(&case(&lines), "2026-03-25", None),
        vec![
            t("return_quick_scan", "2026-03-24", "overdue"),
            t("chase_quick_scan", "2026-03-31", "open")
        ]
    );
    let lines = vec![
        opened("2026-01-05", "employee"),
        ev(
            "2026-02-01",
            r#""type":"referred_to_coordinator","initiative":"member""#,
        ),
        ev(
            "2026-02-10",
            r#""type":"coordinator_contact","mode":"video","first":true"#,
        ),
    ];
    assert_eq!(
        due(&case(&lines), "2026-03-10", None),
        vec![
            t("send_quick_scan", "2026-03-15", "open"),
            t("action_plan", "2026-03-10", "open")
        ]
        .into_iter()
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect::<Vec<_>>()
    );
    // Follow-up window opens two months after the last contact, due at three.
    let mut l2 = lines.clone();
    l2.push(ev(
        "2026-03-01",
        r#""type":"action_plan","goals":["Try two mornings a week"]"#,
    ));
    l2.push(ev("2026-03-12", r#""type":"quick_scan_sent""#));
    l2.push(ev(
        "2026-03-20",
        r#""type":"quick_scan_returned","answers":{}"#,
    ));
    l2.push(ev(
        "2026-03-25",
        r#""type":"capacity_assessed","category":3"#,
    ));
    assert_eq!(due(&case(&l2), "2026-04-09", None), vec![]);
    assert_eq!(
        due(&case(&l2), "2026-04-10", None),
        vec![t("follow_up", "2026-05-10", "open")]
    );
    // Under the baseline there is no plan or follow-up task (what-if).
    assert_eq!(due(&case(&l2), "2026-05-11", Some("tnw-2022")), vec![]);
    // A trajectory started in 2025 keeps the 2025 rules, even in 2026.
    let old = vec![
        opened("2025-06-02", "employee"),
        ev("2025-08-04", r#""type":"quick_scan_sent""#),
        ev(
            "2025-12-01",
            r#""type":"referred_to_coordinator","initiative":"member""#,
        ),
        ev(
            "2026-01-10",
            r#""type":"coordinator_contact","mode":"video","first":true"#,
        ),
    ];
    assert_eq!(
        due(&case(&old), "2026-02-15", None),
        vec![t("assess_capacity", "2025-10-01", "overdue")]
    );
}

#[test]
fn progressive_return_counts_working_days() {
    let lines = vec![
        opened("2026-01-05", "employee"),
        ev("2026-03-09", r#""type":"quick_scan_sent""#),
        ev("2026-03-15", r#""type":"quick_scan_returned","answers":{}"#),
        ev("2026-04-20", r#""type":"capacity_assessed","category":4"#),
        ev(
            "2026-04-20",
            r#""type":"referred_to_coordinator","initiative":"advisory_doctor""#,
        ),
        ev(
            "2026-04-27",
            r#""type":"coordinator_contact","mode":"video","first":true"#,
        ),
        ev("2026-05-04", r#""type":"action_plan""#),
        ev(
            "2026-05-04",
            r#""type":"work_resumed","extent":"part_time","percent":50,"same_employer":true,"same_job":true,"adaptations":true"#,
        ),
    ];
    // 30 working days after Monday 4 May 2026: Ascension (14 May) and Whit Monday (25 May) skipped.
    assert_eq!(
        due(&case(&lines), "2026-05-04", None),
        vec![t("decide_progressive_return", "2026-06-17", "open")]
    );
}

#[test]
fn milestones_and_reasons_for_the_timeline() {
    let c = case(&[opened("2024-01-31", "employee")]);
    let book = RuleBook::builtin().unwrap();
    let mut out = Vec::new();
    evaluate(&c, &book, d("2024-02-01"), None, &mut out);
    let inv = out.iter().find(|i| i.rule.code == "invalidity").unwrap();
    assert_eq!(inv.due, d("2025-01-31"));
    assert_eq!(inv.status, Status::Upcoming);
    assert_eq!(inv.rule.id, "R8");
    // Members read it: named as the sources ask, in every language.
    assert!(inv
        .rule
        .reason("nl")
        .contains("langdurige arbeidsongeschiktheid"));
    assert!(inv
        .rule
        .reason("fr")
        .contains("incapacité de travail de longue durée"));
    assert!(inv
        .rule
        .reason("de")
        .contains("langfristige Arbeitsunfähigkeit"));
    assert!(inv
        .rule
        .reason("en")
        .contains("long-term incapacity for work"));
    let emp = out
        .iter()
        .find(|i| i.rule.code == "codex_employer_may_request")
        .unwrap();
    assert_eq!(emp.due, d("2024-04-30")); // codex 2.0: 3 months, clamped
    assert_eq!(emp.set.name, "codex-2022-10");
    // Not for the unemployed.
    let c = case(&[opened("2024-01-31", "unemployed")]);
    let mut out = Vec::new();
    evaluate(&c, &book, d("2024-02-01"), None, &mut out);
    assert!(out.iter().all(|i| !i.rule.code.starts_with("codex")));
}

#[test]
fn a_rule_set_added_as_data_changes_only_newer_dossiers() {
    let extra = r#"
name = "tnw-2030"
title = "A future reform"
effective_from = "2030-01-01"
extends = "rtw-2026"
[[rule]]
id = "R1"
task = "send_quick_scan"
actor = "fund"
anchor = "incapacity_start"
select_by = "incapacity_start"
window = "28d"
due = "35d"
done_by = ["quick_scan_sent"]
done_scope = "any"
source = "test"
reason.en = "Earlier questionnaire."
"#;
    let book = RuleBook::with_extra(vec![("tnw-2030.toml".into(), extra.into())]).unwrap();
    let new = case(&[opened("2030-02-03", "employee")]);
    let mut out = Vec::new();
    evaluate(&new, &book, d("2030-03-05"), None, &mut out);
    let qs = out
        .iter()
        .find(|i| i.rule.code == "send_quick_scan")
        .unwrap();
    assert_eq!((qs.due, qs.status), (d("2030-03-10"), Status::Open));
    let old = case(&[opened("2029-12-01", "employee")]);
    let mut out = Vec::new();
    evaluate(&old, &book, d("2030-02-02"), None, &mut out);
    let qs = out
        .iter()
        .find(|i| i.rule.code == "send_quick_scan")
        .unwrap();
    assert_eq!((qs.due, qs.status), (d("2030-02-08"), Status::Open));
}

#[test]
fn bad_rule_sets_are_refused_with_the_reason() {
    let cases = [
        (
            "window after due",
            r#"name="x"
title="x"
effective_from="2031-01-01"
extends="rtw-2026"
[[rule]]
id="X"
task="t"
actor="a"
anchor="incapacity_start"
window="2m"
due="1m"
done_by=["quick_scan_sent"]
source="s"
reason.en="r""#,
            "opens after due",
        ),
        (
            "bad condition",
            r#"name="x"
title="x"
effective_from="2031-01-01"
extends="rtw-2026"
[[rule]]
id="X"
task="t"
actor="a"
anchor="capacity_assessed"
when={category=[7]}
due="1m"
done_by=["quick_scan_sent"]
source="s"
reason.en="r""#,
            "not a value",
        ),
        (
            "unknown parent",
            r#"name="x"
title="x"
effective_from="2031-01-01"
extends="nope""#,
            "not known",
        ),
    ];
    for (what, text, expect) in cases {
        let err = RuleBook::with_extra(vec![("x.toml".into(), text.into())])
            .unwrap_err()
            .to_string();
        assert!(err.contains(expect), "{what}: {err}");
    }
    assert!(RuleBook::builtin()
        .unwrap()
        .get("nope")
        .unwrap_err()
        .to_string()
        .contains("tnw-2022"));
}
