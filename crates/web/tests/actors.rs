//! The actors outside the fund, end to end through the API on both backends: each
//! account acts for a named party; what each sees of each dossier follows the consents'
//! scopes (the matrix of docs/access.md) and never betrays the category or the medical
//! track; a withdrawn or ended consent closes access at once; every actor's worklist
//! holds the deadlines the rules give their party; the shared events are recorded by
//! whom they belong to, and refused with a reason otherwise.

mod common;

use common::{Backend, Db, Server};
use reqwest::StatusCode;
use serde_json::{json, Value};
use tnw_domain::RuleBook;
use tnw_testkit::on_both_backends;

const PW: &str = "correct horse battery";
const EMPLOYER: &str = "0202239951";
const EMPLOYER2: &str = "0409536968";

fn opened(case: &str, person: &str, employer: &str, region: &str) -> String {
    format!(
        r#"{{"case":"{case}","type":"case_opened","date":"2026-01-05","person":{{"id":"{person}","name":"Sara Janssens","birth_date":"1985-02-03","sex":"f","language":"nl","region":"{region}"}},"scheme":"employee","employer":{{"id":"{employer}","name":"Acme NV"}},"regime":"full_time","work_type":"mental","sector":"Q","condition":"musculoskeletal","incapacity_start":"2026-01-05"}}"#
    )
}

fn ev(case: &str, date: &str, rest: &str) -> String {
    format!(r#"{{"case":"{case}","date":"{date}","type":{rest}}}"#)
}

fn consent(case: &str, date: &str, to: &str, scope: &str, party: &str) -> String {
    ev(
        case,
        date,
        &format!(r#""consent_given","to":"{to}","scope":"{scope}","party":"{party}""#),
    )
}

/// S1: the whole story in Flanders at the first employer, with named consents to the
/// employer (plan), its occupational health service (dossier, medical), the member's
/// physician (medical) and VDAB (socio-professional); category 3, coaching stopped for
/// health, a codex decision A, a hand-off to VDAB.
/// S2: the second employer's worker, consenting to that employer.
/// S3: consents that ended (until) or were withdrawn.
/// S4: a codex request by the treating physician, shared with the occupational health
/// service and the physician.
fn dossiers() -> String {
    let oh = "occupational_health:0403170701";
    let gp = "physician:10000000001";
    [
        opened("S1", "P-S1", EMPLOYER, "flanders"),
        ev("S1", "2026-02-01", r#""quick_scan_sent""#),
        ev(
            "S1",
            "2026-02-10",
            r#""quick_scan_returned","answers":{"pain":"back, left side"}"#,
        ),
        ev("S1", "2026-03-01", r#""capacity_assessed","category":3"#),
        consent("S1", "2026-03-02", "employer", "reintegration_plan", &format!("employer:{EMPLOYER}")),
        consent("S1", "2026-03-02", "occupational_physician", "dossier", oh),
        consent("S1", "2026-03-02", "occupational_physician", "medical", oh),
        consent("S1", "2026-03-02", "treating_physician", "medical", gp),
        consent("S1", "2026-03-02", "employment_service", "socio_professional", "employment_service:vdab"),
        ev("S1", "2026-03-05", r#""referred_to_coordinator","initiative":"member""#),
        ev("S1", "2026-03-06", r#""coordinator_contact","mode":"phone","first":true,"notes":"Talked about the back pain""#),
        ev("S1", "2026-03-20", r#""coaching_stopped","reason":"health""#),
        ev("S1", "2026-03-25", r#""codex_requested","by":"worker""#),
        ev("S1", "2026-04-20", r#""work_restrictions","restrictions":["no lifting over 10 kg","no night shifts"],"hours_per_day":4"#),
        ev("S1", "2026-05-10", r#""codex_decision","decision":"A","reasons":"Own work possible with less lifting""#),
        ev("S1", "2026-05-12", r#""socio_professional_referred","service":"vdab","goals":["Find part-time work"],"restrictions":["no night shifts"]"#),
        opened("S2", "P-S2", EMPLOYER2, "flanders"),
        consent("S2", "2026-03-02", "employer", "dossier", &format!("employer:{EMPLOYER2}")),
        opened("S3", "P-S3", EMPLOYER, "flanders"),
        ev("S3", "2026-03-02", &format!(r#""consent_given","to":"employer","scope":"dossier","party":"employer:{EMPLOYER}","until":"2026-05-01""#)),
        consent("S3", "2026-03-02", "occupational_physician", "dossier", oh),
        ev("S3", "2026-04-02", &format!(r#""consent_withdrawn","to":"occupational_physician","scope":"dossier","party":"{oh}""#)),
        opened("S4", "P-S4", EMPLOYER, "wallonia"),
        consent("S4", "2026-04-01", "treating_physician", "dossier", gp),
        consent("S4", "2026-04-01", "occupational_physician", "dossier", oh),
        ev("S4", "2026-05-01", r#""codex_requested","by":"treating_physician""#),
    ]
    .join("\n")
}

/// Users: name, role, party, employer id served.
const USERS: &[(&str, &str, Option<&str>, Option<&str>)] = &[
    ("coordinator", "coordinator", None, None),
    ("doctor", "advisory_doctor", None, None),
    ("member", "member", None, None),
    (
        "employer",
        "employer",
        Some("employer:0202239951"),
        Some(EMPLOYER),
    ),
    (
        "employer2",
        "employer",
        Some("employer:0409536968"),
        Some(EMPLOYER2),
    ),
    (
        "op",
        "occupational_physician",
        Some("occupational_health:0403170701"),
        Some(EMPLOYER),
    ),
    (
        "op_other",
        "occupational_physician",
        Some("occupational_health:0411935343"),
        Some(EMPLOYER2),
    ),
    (
        "gp",
        "treating_physician",
        Some("physician:10000000001"),
        None,
    ),
    (
        "gp_other",
        "treating_physician",
        Some("physician:10000000002"),
        None,
    ),
    (
        "vdab",
        "employment_service",
        Some("employment_service:vdab"),
        None,
    ),
    (
        "forem",
        "employment_service",
        Some("employment_service:forem"),
        None,
    ),
];

async fn start(backend: Backend) -> Server {
    let db = Db::new(backend);
    let book = RuleBook::builtin().unwrap();
    db.with_store(|store| {
        let opts = tnw_app::import::ImportOptions {
            org: "fund-a".into(),
            ..Default::default()
        };
        let r = tnw_app::import::import_events(store, &book, dossiers().as_bytes(), &opts, &|_| {})
            .unwrap();
        assert_eq!(r.rejected.len(), 0, "{:?}", r.rejected);
        for (name, role, party, employer) in USERS {
            let user = tnw_storage::User {
                id: 0,
                org: "fund-a".into(),
                username: (*name).into(),
                display_name: (*name).into(),
                role: (*role).into(),
                password_hash: tnw_app::auth::hash_password(PW).unwrap(),
                language: "en".into(),
                person_id: (*role == "member").then(|| "P-S1".to_owned()),
                employer_id: employer.map(Into::into),
                party: party.map(Into::into),
                active: true,
                email: None,
            };
            store.create_user("fund-a", &user).unwrap();
        }
    });
    Server::start(db, tnw_domain::date::parse_date("2026-05-20").ok()).await
}

on_both_backends!(
    what_each_party_sees_of_each_dossier,
    every_actor_finds_their_deadlines,
    shared_events_are_recorded_by_whom_they_belong_to,
    every_event_a_role_may_record_has_a_form,
    bad_shared_events_in_an_import_are_rejected_with_their_line_and_reason,
    every_demo_user_finds_work,
);

async fn login(s: &Server, user: &str) -> String {
    s.login_as(user, PW).await
}

async fn what_each_party_sees_of_each_dossier(backend: Backend) {
    let s = start(backend).await;
    let dossier = [
        "identity",
        "reintegration",
        "restrictions",
        "socio_professional",
        "return",
    ];
    let plan = ["identity", "reintegration", "restrictions", "return"];
    let socio = ["identity", "restrictions", "socio_professional", "return"];
    let medical = ["identity", "restrictions", "medical"];
    let op_s1: Vec<&str> = vec![
        "identity",
        "reintegration",
        "restrictions",
        "socio_professional",
        "return",
        "medical",
    ];
    type Row<'a> = (&'a str, &'a str, Option<Vec<&'a str>>);
    let rows: Vec<Row> = vec![
        ("employer", "S1", Some(plan.to_vec())),
        ("employer2", "S1", None),
        ("employer2", "S2", Some(dossier.to_vec())),
        ("employer", "S2", None),
        ("op", "S1", Some(op_s1)),
        ("op_other", "S1", None),
        ("gp", "S1", Some(medical.to_vec())),
        ("gp_other", "S1", None),
        ("vdab", "S1", Some(socio.to_vec())),
        ("forem", "S1", None),
        // The employer's consent ended on 1 May, the service's was withdrawn.
        ("employer", "S3", None),
        ("op", "S3", None),
        ("gp", "S4", Some(dossier.to_vec())),
    ];
    let mut failures = Vec::new();
    for (user, case, want) in rows {
        let c = login(&s, user).await;
        let (st, body) = s.get(&c, &format!("/api/v1/cases/{case}")).await;
        match &want {
            None if st != StatusCode::FORBIDDEN => {
                failures.push(format!("{user} on {case}: {st}, want 403"))
            }
            None => {}
            Some(parts) => {
                if st != StatusCode::OK {
                    failures.push(format!("{user} on {case}: {st}: {body}"));
                    continue;
                }
                let mut v: Value = serde_json::from_str(&body).unwrap();
                let got: Vec<&str> = v["grant"]["parts"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|p| p.as_str().unwrap())
                    .collect();
                if got != *parts {
                    failures.push(format!("{user} on {case}: parts {got:?}, want {parts:?}"));
                }
                // What is shown, without the grant's own flags (`"category":false`).
                v.as_object_mut().unwrap().remove("grant");
                let body = v.to_string();
                // Nothing lets an outside actor infer the category or the medical
                // track: no category, assessment or category-specific deadline, no
                // fund step, no stop reason, no coaching notes.
                for leak in [
                    "\"category\"",
                    "capacity_assessed",
                    "reassess_capacity",
                    "coaching_stopped",
                    "(health)",
                    "back pain",
                    "send_quick_scan",
                    "quick_scan_sent",
                    "referred_to_coordinator",
                    "coordinator_contact",
                    "\"consents\"",
                ] {
                    if body.contains(leak) {
                        failures.push(format!("{user} on {case} reads {leak}: {body}"));
                    }
                }
                let medical_shown =
                    body.contains("musculoskeletal") || body.contains("back, left side");
                if medical_shown != parts.contains(&"medical") {
                    failures.push(format!("{user} on {case}: medical shown {medical_shown}"));
                }
                // What the advisory doctor passed on reaches those with restrictions.
                if parts.contains(&"restrictions")
                    && case == "S1"
                    && !body.contains("no lifting over 10 kg")
                {
                    failures.push(format!("{user} on {case}: restrictions missing: {body}"));
                }
            }
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
    // The fund's team and the member still see everything but the medical part (the
    // doctor that too), the category included.
    let c = login(&s, "coordinator").await;
    let (_, body) = s.get(&c, "/api/v1/cases/S1").await;
    let v: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v["category"], 3);
    assert!(body.contains("reassess_capacity") && body.contains("no lifting over 10 kg"));
    assert!(v.get("medical").is_none());
    // Every read, granted or refused, is in the audit log with the parts read.
    let audit = s.with_store(|st| {
        st.audit_log("fund-a", None, 1000)
            .unwrap()
            .into_iter()
            .filter(|a| a.entry.username == "vdab")
            .map(|a| (a.entry.action, a.entry.what))
            .collect::<Vec<_>>()
    });
    assert!(
        audit
            .iter()
            .any(|(a, w)| a == "read" && w == "identity,restrictions,socio_professional,return"),
        "{audit:?}"
    );
}

async fn every_actor_finds_their_deadlines(backend: Backend) {
    let s = start(backend).await;
    type Row<'a> = (&'a str, &'a [(&'a str, &'a str, &'a str)]);
    let rows: Vec<Row> = vec![
        (
            "employer",
            // S1's codex request closed the month-6 milestone; S3's consent ended.
            &[("S1", "reintegration_plan", "open")],
        ),
        ("employer2", &[("S2", "trajectory_by_month_6", "upcoming")]),
        ("op", &[("S4", "codex_assessment", "open")]),
        ("vdab", &[("S1", "accept_hand_off", "open")]),
        ("gp", &[("S4", "codex_decision_expected", "upcoming")]),
        ("forem", &[]),
        ("op_other", &[]),
        ("gp_other", &[]),
    ];
    let mut failures = Vec::new();
    for (user, want) in rows {
        let c = login(&s, user).await;
        let (st, body) = s.get(&c, "/api/v1/worklist").await;
        assert_eq!(st, StatusCode::OK, "{user}: {body}");
        let items: Vec<Value> = serde_json::from_str(&body).unwrap();
        let mut got: Vec<(String, String, String)> = items
            .iter()
            .map(|i| {
                (
                    i["case"].as_str().unwrap().to_owned(),
                    i["task"].as_str().unwrap().to_owned(),
                    i["state"].as_str().unwrap().to_owned(),
                )
            })
            .collect();
        got.sort();
        let mut want: Vec<(String, String, String)> = want
            .iter()
            .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()))
            .collect();
        want.sort();
        if got != want {
            failures.push(format!("{user}: got {got:?}, want {want:?}"));
        }
        for i in &items {
            assert!(
                i["due"].is_string() && i.get("category").is_none_or(Value::is_null),
                "{i}"
            );
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

async fn shared_events_are_recorded_by_whom_they_belong_to(backend: Backend) {
    let s = start(backend).await;
    let post = |user: &'static str, case: &'static str, body: Value| {
        let s = &s;
        async move {
            let c = login(s, user).await;
            s.post(&c, &format!("/api/v1/cases/{case}/events"), body)
                .await
        }
    };
    let count = |s: &Server| s.with_store(|st| st.counts(Some("fund-a")).unwrap().events);
    let before = count(&s);
    // Bad input: a clear reason, nothing stored.
    for (user, body, want) in [
        (
            "doctor",
            json!({"type": "work_restrictions", "date": "2026-05-20", "restrictions": []}),
            StatusCode::BAD_REQUEST,
        ),
        (
            "doctor",
            json!({"type": "work_restrictions", "date": "2026-05-20", "restrictions": ["x"], "hours_per_day": 30}),
            StatusCode::BAD_REQUEST,
        ),
        (
            "employer",
            json!({"type": "reintegration_plan", "date": "2026-05-20", "status": "drafted", "tasks": "counter"}),
            StatusCode::BAD_REQUEST,
        ),
        // The worker's answer is the worker's; the plan is the employer's.
        (
            "employer",
            json!({"type": "reintegration_plan", "date": "2026-05-20", "status": "accepted"}),
            StatusCode::FORBIDDEN,
        ),
        (
            "member",
            json!({"type": "reintegration_plan", "date": "2026-05-20", "status": "drafted"}),
            StatusCode::FORBIDDEN,
        ),
        // Forem reads nothing of S1; VDAB may not start Forem's trajectory.
        (
            "forem",
            json!({"type": "socio_professional_started", "date": "2026-05-20", "service": "forem", "activity": "training"}),
            StatusCode::FORBIDDEN,
        ),
        (
            "vdab",
            json!({"type": "socio_professional_started", "date": "2026-05-20", "service": "forem", "activity": "training"}),
            StatusCode::FORBIDDEN,
        ),
        // No hand-off to a service the member did not consent to.
        (
            "coordinator",
            json!({"type": "socio_professional_referred", "date": "2026-05-20", "service": "actiris"}),
            StatusCode::FORBIDDEN,
        ),
        (
            "coordinator",
            json!({"type": "work_restrictions", "date": "2026-05-20", "restrictions": ["x"]}),
            StatusCode::FORBIDDEN,
        ),
    ] {
        let (st, body) = post(user, "S1", body.clone()).await;
        assert_eq!(st, want, "{user}: {body}");
        assert!(!body.is_empty(), "{user}: a reason");
    }
    assert_eq!(count(&s), before, "nothing stored");
    // The good path: restrictions, the plan with its content, the worker's answer, the
    // service's start, report and result.
    for (user, body) in [
        (
            "doctor",
            json!({"type": "work_restrictions", "date": "2026-05-20", "restrictions": ["no lifting over 10 kg"], "hours_per_day": 4, "until": "2026-09-01"}),
        ),
        (
            "employer",
            json!({"type": "reintegration_plan", "date": "2026-05-20", "status": "drafted", "work": "adapted", "tasks": "Counter work", "hours_per_week": 19, "percent": 50, "start": "2026-06-01", "weeks": 12, "permanent": false, "adjustments": "A stool"}),
        ),
        (
            "member",
            json!({"type": "reintegration_plan", "date": "2026-05-20", "status": "accepted"}),
        ),
        (
            "vdab",
            json!({"type": "socio_professional_started", "date": "2026-05-20", "service": "vdab", "activity": "training"}),
        ),
        (
            "vdab",
            json!({"type": "socio_professional_report", "date": "2026-05-20", "activity": "training", "note": "Started the course"}),
        ),
        (
            "vdab",
            json!({"type": "socio_professional_ended", "date": "2026-05-20", "result": "work_found"}),
        ),
    ] {
        let (st, resp) = post(user, "S1", body.clone()).await;
        assert_eq!(st, StatusCode::CREATED, "{user} {body}: {resp}");
    }
    assert_eq!(count(&s), before + 6);
    // What was recorded shows to whom its part is granted: the employer reads the
    // plan's percentage and the service's result, not the report's note.
    let c = login(&s, "employer").await;
    let (_, body) = s.get(&c, "/api/v1/cases/S1").await;
    assert!(
        body.contains("reintegration_plan") && !body.contains("socio_professional_report"),
        "{body}"
    );
}

/// Whatever the dossier says a reader may record today has a form on the page: the
/// dossier page for the fund's team and the outside actors, the member's own page for
/// the member. Where a type has its own screen the page links to it (the quick scan,
/// the letters, the contact form).
async fn every_event_a_role_may_record_has_a_form(backend: Backend) {
    let s = start(backend).await;
    let mut failures = Vec::new();
    let mut checked = 0;
    for (user, role, _, _) in USERS {
        let c = login(&s, user).await;
        for case in ["S1", "S2", "S3", "S4"] {
            let (st, body) = s.get(&c, &format!("/api/v1/cases/{case}")).await;
            if st != StatusCode::OK {
                continue;
            }
            let v: Value = serde_json::from_str(&body).unwrap();
            let page = if *role == "member" {
                "/me".to_owned()
            } else {
                format!("/cases/{case}")
            };
            let (_, html) = s.get(&c, &page).await;
            // A member answers a plan once one is drafted.
            let drafted = v["reintegration"]["plans"]
                .as_array()
                .and_then(|p| p.last())
                .is_some_and(|p| p["status"] == "drafted");
            for t in v["recordable"].as_array().unwrap() {
                let t = t.as_str().unwrap();
                if (t, *role, drafted) == ("reintegration_plan", "member", false) {
                    continue;
                }
                let marker = match (t, *role) {
                    ("coordinator_contact", _) => "id=\"contact-form\"".to_owned(),
                    ("quick_scan_returned", "member") => "fill-quick-scan".to_owned(),
                    ("quick_scan_returned", _) => "id=\"assisted-quick-scan\"".to_owned(),
                    ("letter_sent", _) => "id=\"letters\"".to_owned(),
                    ("consent_given", "member") => "class=\"give\"".to_owned(),
                    ("consent_withdrawn", "member") => "class=\"withdraw\"".to_owned(),
                    ("referred_to_coordinator", "member") => "ask-coaching-button".to_owned(),
                    ("codex_requested", "member") => "class=\"ask-codex\"".to_owned(),
                    ("reintegration_plan", "member") => "class=\"answer-plan\"".to_owned(),
                    (t, _) => format!("id=\"form-{t}\""),
                };
                checked += 1;
                if !html.contains(&marker) {
                    failures.push(format!("{user} on {case}: no form for {t} ({marker})"));
                }
            }
        }
    }
    assert!(checked > 20, "{checked} forms");
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

/// The new events and fields through the import: each bad line is rejected with its
/// line number and why, and stores nothing; the good ones next to them are stored.
async fn bad_shared_events_in_an_import_are_rejected_with_their_line_and_reason(backend: Backend) {
    let s = start(backend).await;
    let lines = [
        // 1: fine.
        ev("S2", "2026-05-01", r#""work_restrictions","restrictions":["no lifting over 10 kg"],"until":"2026-08-01""#),
        // 2: no restriction at all.
        ev("S2", "2026-05-02", r#""work_restrictions","restrictions":[]"#),
        // 3: a plan's content on an answer.
        ev("S2", "2026-05-03", r#""reintegration_plan","status":"accepted","percent":50"#),
        // 4: a plan before any codex decision (the validator).
        ev("S2", "2026-05-04", r#""reintegration_plan","status":"drafted","work":"adapted""#),
        // 5: a report without a trajectory.
        ev("S2", "2026-05-05", r#""socio_professional_report","note":"x""#),
        // 6: an unknown result.
        ev("S2", "2026-05-06", r#""socio_professional_ended","result":"fired""#),
        // 7: a consent naming a party of another role.
        ev("S2", "2026-05-07", r#""consent_given","to":"treating_physician","scope":"medical","party":"employer:0202239951""#),
        // 8: a hand-off to a service that does not exist.
        ev("S2", "2026-05-08", r#""socio_professional_referred","service":"ups""#),
        // 9: fine.
        ev("S2", "2026-05-09", r#""socio_professional_referred","service":"vdab","goals":["A job nearby"]"#),
    ]
    .join("\n");
    let before = s.with_store(|st| st.counts(Some("fund-a")).unwrap().events);
    let report = s.with_store(|st| {
        let opts = tnw_app::import::ImportOptions {
            org: "fund-a".into(),
            ..Default::default()
        };
        tnw_app::import::import_events(
            st,
            &RuleBook::builtin().unwrap(),
            lines.as_bytes(),
            &opts,
            &|_| {},
        )
        .unwrap()
    });
    let rejected: Vec<(u64, &str)> = report
        .rejected
        .iter()
        .map(|r| (r.line, r.reason.as_str()))
        .collect();
    let want: &[(u64, &str)] = &[
        (2, "at least one"),
        (3, "belongs to a drafted plan"),
        (4, "no codex decision"),
        (5, "no socio-professional trajectory was started"),
        (6, "`result`"),
        (7, "acts as employer"),
        (8, "`service`"),
    ];
    assert_eq!(rejected.len(), want.len(), "{rejected:?}");
    for ((line, reason), (wl, wr)) in rejected.iter().zip(want) {
        assert_eq!(line, wl, "{rejected:?}");
        assert!(reason.contains(wr), "line {line}: {reason}");
    }
    assert_eq!(report.imported, 2);
    assert_eq!(
        s.with_store(|st| st.counts(Some("fund-a")).unwrap().events),
        before + 2
    );
}

/// `serve --demo`: every role has a user, the treating physician and a second employer
/// among them, and each finds work on their worklist (the study service and the admin
/// have none: they work with figures and accounts).
async fn every_demo_user_finds_work(backend: Backend) {
    let db = Db::new(backend);
    let today = tnw_domain::date::parse_date("2026-11-20").unwrap();
    let book = RuleBook::builtin().unwrap();
    db.with_store(|st| assert!(tnw_app::demo::seed(st, &book, PW, 40, today).unwrap()));
    let s = Server::start(db, Some(today)).await;
    let mut users: Vec<String> = tnw_app::access::Role::ALL
        .iter()
        .map(|r| match r {
            tnw_app::access::Role::AdvisoryDoctor => "doctor".to_owned(),
            r => r.as_str().to_owned(),
        })
        .collect();
    users.push("employer2".into());
    for user in users {
        let c = login(&s, &user).await;
        let (st, body) = s.get(&c, "/api/v1/worklist").await;
        assert_eq!(st, StatusCode::OK, "{user}: {body}");
        let items: Vec<Value> = serde_json::from_str(&body).unwrap();
        let none_expected = matches!(user.as_str(), "admin" | "analyst");
        assert_eq!(items.is_empty(), none_expected, "{user}: {body}");
    }
}
