//! The events the actors outside the fund and the advisory doctor share in the dossier:
//! work restrictions, the re-integration plan's content and answer, the reasons of a
//! codex decision, the socio-professional hand-off, reports and result. Each through
//! the parser (what is accepted, what is refused and why) and the validator.

use tnw_domain::event::{parse_line, Event, PlanStatus, PlanWork, SocioResult};
use tnw_domain::validate::validate_sequence;

fn ok(line: &str) -> Event {
    parse_line(line)
        .unwrap_or_else(|e| panic!("{line}: {e}"))
        .event
}

fn refused(line: &str) -> String {
    match parse_line(line) {
        Ok(e) => panic!("accepted: {line} as {e:?}"),
        Err(e) => e.0,
    }
}

#[test]
fn work_restrictions_in_plain_terms() {
    let e = ok(
        r#"{"case":"C1","type":"work_restrictions","date":"2026-05-01","restrictions":["no lifting over 10 kg","no night shifts"],"hours_per_day":4,"until":"2026-09-01"}"#,
    );
    let Event::WorkRestrictions {
        restrictions,
        hours_per_day,
        until,
    } = &e
    else {
        panic!("{e:?}")
    };
    assert_eq!(restrictions.len(), 2);
    assert_eq!(*hours_per_day, Some(4));
    assert_eq!(until.map(|d| d.to_string()).as_deref(), Some("2026-09-01"));
    // The canonical body round-trips.
    assert_eq!(Event::from_body(&e.to_body()).unwrap(), e);
    for (line, why) in [
        (
            r#"{"case":"C1","type":"work_restrictions","date":"2026-05-01","restrictions":[]}"#,
            "at least one",
        ),
        (
            r#"{"case":"C1","type":"work_restrictions","date":"2026-05-01"}"#,
            "at least one",
        ),
        (
            r#"{"case":"C1","type":"work_restrictions","date":"2026-05-01","restrictions":["x"],"hours_per_day":13}"#,
            "out of range 1–12",
        ),
        (
            r#"{"case":"C1","type":"work_restrictions","date":"2026-05-01","restrictions":["x"],"until":"2026-05-01"}"#,
            "must be after",
        ),
        (
            r#"{"case":"C1","type":"work_restrictions","date":"2026-05-01","restrictions":["  "]}"#,
            "restrictions[1]",
        ),
        (
            r#"{"case":"C1","type":"work_restrictions","date":"2026-05-01","restrictions":["x"],"diagnosis":"y"}"#,
            "unknown field",
        ),
    ] {
        let r = refused(line);
        assert!(r.contains(why), "{line}: {r}");
    }
}

#[test]
fn a_plan_has_content_and_an_answer_has_a_reason() {
    let e = ok(
        r#"{"case":"C1","type":"reintegration_plan","date":"2026-06-01","status":"drafted","work":"adapted","tasks":"Counter work, no deliveries","hours_per_week":19,"percent":50,"start":"2026-06-15","weeks":12,"permanent":false,"adjustments":"A stool at the counter"}"#,
    );
    let Event::ReintegrationPlan(p) = &e else {
        panic!("{e:?}")
    };
    assert_eq!(
        (p.status, p.work, p.percent, p.weeks),
        (
            PlanStatus::Drafted,
            Some(PlanWork::Adapted),
            Some(50),
            Some(12)
        )
    );
    assert_eq!(Event::from_body(&e.to_body()).unwrap(), e);
    let answer = ok(
        r#"{"case":"C1","type":"reintegration_plan","date":"2026-06-05","status":"refused_by_worker","reason":"The hours start before my treatment ends"}"#,
    );
    assert!(matches!(&answer, Event::ReintegrationPlan(p) if p.reason.is_some()));
    // A v1 plan keeps its body.
    assert_eq!(
        ok(r#"{"case":"C1","type":"reintegration_plan","date":"2026-06-01","status":"accepted"}"#)
            .to_body(),
        r#"{"type":"reintegration_plan","status":"accepted"}"#
    );
    for (line, why) in [
        (
            r#"{"case":"C1","type":"reintegration_plan","date":"2026-06-01","status":"accepted","work":"adapted"}"#,
            "belongs to a drafted plan",
        ),
        (
            r#"{"case":"C1","type":"reintegration_plan","date":"2026-06-01","status":"drafted","tasks":"x"}"#,
            "needs `work`",
        ),
        (
            r#"{"case":"C1","type":"reintegration_plan","date":"2026-06-01","status":"drafted","work":"sideways"}"#,
            "`work`",
        ),
        (
            r#"{"case":"C1","type":"reintegration_plan","date":"2026-06-01","status":"drafted","work":"other","percent":0}"#,
            "out of range 1–100",
        ),
        (
            r#"{"case":"C1","type":"reintegration_plan","date":"2026-06-01","status":"drafted","work":"other","start":"2026-05-01"}"#,
            "before the plan date",
        ),
        (
            r#"{"case":"C1","type":"reintegration_plan","date":"2026-06-01","status":"accepted","reason":"fine"}"#,
            "for a refusal",
        ),
    ] {
        let r = refused(line);
        assert!(r.contains(why), "{line}: {r}");
    }
}

#[test]
fn a_codex_decision_may_give_its_reasons() {
    let e = ok(
        r#"{"case":"C1","type":"codex_decision","date":"2026-06-01","decision":"A","reasons":"Can do the own work with less lifting, half time"}"#,
    );
    assert!(matches!(
        e,
        Event::CodexDecision {
            reasons: Some(_),
            ..
        }
    ));
    assert_eq!(
        ok(r#"{"case":"C1","type":"codex_decision","date":"2026-06-01","decision":"A"}"#).to_body(),
        r#"{"type":"codex_decision","decision":"A"}"#
    );
}

#[test]
fn the_socio_professional_hand_off_report_and_result() {
    let opened = ok(
        r#"{"case":"C1","type":"case_opened","date":"2026-01-05","person":{"id":"P1","name":"A","birth_date":"1980-01-01","sex":"f","language":"nl","region":"flanders"},"scheme":"unemployed","condition":"mental","incapacity_start":"2026-01-05"}"#,
    );
    let referred = ok(
        r#"{"case":"C1","type":"socio_professional_referred","date":"2026-04-01","service":"vdab","goals":["Find part-time work in logistics"],"restrictions":["no night shifts"],"contact":"An, coordinator, 02 000 00 00"}"#,
    );
    let started = ok(
        r#"{"case":"C1","type":"socio_professional_started","date":"2026-04-10","service":"vdab","activity":"training"}"#,
    );
    let report = ok(
        r#"{"case":"C1","type":"socio_professional_report","date":"2026-06-10","activity":"training","note":"Attends the forklift course"}"#,
    );
    let ended = ok(
        r#"{"case":"C1","type":"socio_professional_ended","date":"2026-09-01","result":"work_found"}"#,
    );
    assert!(matches!(
        ended,
        Event::SocioProfessionalEnded {
            result: Some(SocioResult::WorkFound)
        }
    ));
    let d = |s: &str| tnw_domain::date::parse_date(s).unwrap();
    let history = [
        (d("2026-01-05"), &opened),
        (d("2026-04-01"), &referred),
        (d("2026-04-10"), &started),
        (d("2026-06-10"), &report),
        (d("2026-09-01"), &ended),
    ];
    validate_sequence(history.iter().map(|(d, e)| (*d, *e))).unwrap();
    // A report needs a started trajectory; a second hand-off waits for the first.
    let early = [(d("2026-01-05"), &opened), (d("2026-02-01"), &report)];
    let (pos, why) = validate_sequence(early.iter().map(|(d, e)| (*d, *e))).unwrap_err();
    assert_eq!(pos, 1);
    assert!(
        why.contains("no socio-professional trajectory was started"),
        "{why}"
    );
    let twice = [
        (d("2026-01-05"), &opened),
        (d("2026-04-01"), &referred),
        (d("2026-04-02"), &referred),
    ];
    assert!(validate_sequence(twice.iter().map(|(d, e)| (*d, *e))).is_err());
    // v1 ending keeps its body; a report says something.
    assert_eq!(
        ok(r#"{"case":"C1","type":"socio_professional_ended","date":"2026-09-01"}"#).to_body(),
        r#"{"type":"socio_professional_ended"}"#
    );
    assert!(
        refused(r#"{"case":"C1","type":"socio_professional_report","date":"2026-06-10"}"#)
            .contains("needs an `activity` or a `note`")
    );
    assert!(refused(
        r#"{"case":"C1","type":"socio_professional_ended","date":"2026-09-01","result":"fired"}"#
    )
    .contains("`result`"));
    assert!(
        refused(r#"{"case":"C1","type":"socio_professional_referred","date":"2026-04-01"}"#)
            .contains("`service`")
    );
}
