//! The HTTP API end to end: a real server on loopback over a real SQLite file and over
//! a PostgreSQL database, the role × endpoint × consent matrix, sessions, throttling,
//! audit and fund isolation.

mod common;

use tnw_testkit::on_both_backends;

use common::{Backend, Db, Server};
use reqwest::StatusCode;
use serde_json::{json, Value};
use tnw_app::access::Role;
use tnw_domain::RuleBook;

const PW: &str = "correct horse battery";

fn opened(case: &str, person: &str, employer: &str, condition: &str) -> String {
    format!(
        r#"{{"case":"{case}","type":"case_opened","date":"2026-01-05","person":{{"id":"{person}","name":"Sara Janssens","birth_date":"1985-02-03","sex":"f","language":"nl","region":"flanders"}},"scheme":"employee","employer":{{"id":"{employer}","name":"Acme NV"}},"regime":"full_time","work_type":"mental","sector":"Q","condition":"{condition}","incapacity_start":"2026-01-05"}}"#
    )
}

fn ev(case: &str, date: &str, rest: &str) -> String {
    format!(r#"{{"case":"{case}","date":"{date}","type":{rest}}}"#)
}

/// Case X: consents for employer and occupational physician (incl. medical);
/// case Y: no consents; case Z: another fund.
async fn start(backend: Backend) -> Server {
    let db = Db::new(backend);
    let book = RuleBook::builtin().unwrap();
    db.with_store(|store| {
        let a = [
            opened("X", "P-X", "E1", "musculoskeletal"),
            ev("X", "2026-03-10", r#""quick_scan_sent""#),
            ev(
                "X",
                "2026-03-15",
                r#""quick_scan_returned","answers":{"pain":"back, left side"}"#,
            ),
            ev("X", "2026-04-10", r#""capacity_assessed","category":4"#),
            ev(
                "X",
                "2026-04-10",
                r#""referred_to_coordinator","initiative":"advisory_doctor""#,
            ),
            ev("X", "2026-04-11", r#""case_assigned","to":"paramedic""#),
            ev(
                "X",
                "2026-04-12",
                r#""consent_given","to":"employer","scope":"reintegration_plan""#,
            ),
            ev(
                "X",
                "2026-04-12",
                r#""consent_given","to":"occupational_physician","scope":"dossier""#,
            ),
            ev(
                "X",
                "2026-04-12",
                r#""consent_given","to":"occupational_physician","scope":"medical""#,
            ),
            opened("Y", "P-Y", "E1", "mental"),
            ev("Y", "2026-03-10", r#""quick_scan_sent""#),
            // Q: a returned quick scan waiting for the advisory doctor.
            opened("Q", "P-Q", "E2", "mental"),
            ev("Q", "2026-03-10", r#""quick_scan_sent""#),
            ev("Q", "2026-03-20", r#""quick_scan_returned","answers":{}"#),
        ]
        .join("\n");
        let opts = |org: &str| tnw_app::import::ImportOptions {
            org: org.into(),
            ..Default::default()
        };
        tnw_app::import::import_events(store, &book, a.as_bytes(), &opts("fund-a"), &|_| {})
            .unwrap();
        let b = opened("Z", "P-Z", "E9", "cancer");
        tnw_app::import::import_events(store, &book, b.as_bytes(), &opts("fund-b"), &|_| {})
            .unwrap();
        for role in Role::ALL {
            let (person, employer) = match role {
                Role::Member => (Some("P-X"), None),
                Role::Employer | Role::OccupationalPhysician => (None, Some("E1")),
                _ => (None, None),
            };
            tnw_app::auth::create_user(
                store,
                "fund-a",
                role.as_str(),
                role.as_str(),
                *role,
                PW,
                "nl",
                person,
                employer,
            )
            .unwrap();
        }
        tnw_app::auth::create_user(
            store,
            "fund-b",
            "coordinator-b",
            "B",
            Role::Coordinator,
            PW,
            "fr",
            None,
            None,
        )
        .unwrap();
    });
    let today = tnw_domain::date::parse_date("2026-05-20").ok();
    Server::start(db, today).await
}

on_both_backends!(
    every_role_against_every_dossier_part,
    sessions_and_throttling,
    recording_events_validates_authorises_and_audits,
    reads_are_audited_and_members_see_who_read,
    logout_headers_and_openapi,
    pages_record_events_through_the_same_policy,
    worklist_filters_validate,
    coaching_record_assignment_caseload_and_queue,
    admins_manage_the_funds_accounts,
    figures_pages_and_exports_with_suppression_for_analysts,
    letters_in_the_members_language_recorded_in_the_dossier,
    quick_scan_saved_as_you_go_sent_once_and_read_by_the_doctor,
);

/// Logs in through the API and checks the session cookie's flags.
async fn login(s: &Server, user: &str) -> String {
    let cookie = s.login_header(user, PW).await;
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
        "{cookie}"
    );
    cookie.split(';').next().unwrap().to_owned()
}

async fn every_role_against_every_dossier_part(backend: Backend) {
    let s = start(backend).await;
    // (role, X status, Y status, medical visible on X)
    let matrix = [
        (Role::Coordinator, 200, 200, false),
        // Paramedics see the dossiers assigned to them (X), not the others (Y).
        (Role::Paramedic, 200, 403, false),
        (Role::AdvisoryDoctor, 200, 200, true),
        (Role::Member, 200, 403, false),
        (Role::Employer, 200, 403, false),
        // A v1 consent names no physician: nothing medical (docs/consent.md).
        (Role::OccupationalPhysician, 200, 403, false),
        (Role::EmploymentService, 403, 403, false),
        (Role::Analyst, 403, 403, false),
        (Role::Admin, 403, 403, false),
    ];
    for (role, x, y, medical) in matrix {
        let c = login(&s, role.as_str()).await;
        let (sx, bx) = s.get(&c, "/api/v1/cases/X").await;
        assert_eq!(sx.as_u16(), x, "{} on X: {bx}", role.as_str());
        let (sy, by) = s.get(&c, "/api/v1/cases/Y").await;
        assert_eq!(sy.as_u16(), y, "{} on Y: {by}", role.as_str());
        for body in [&bx, &by] {
            let has_medical = body.contains("\"medical\":{")
                || body.contains("back, left side")
                || body.contains("musculoskeletal");
            if !role.is_medical() {
                assert!(
                    !has_medical,
                    "medical data reached {}: {body}",
                    role.as_str()
                );
            }
        }
        if x == 200 {
            let v: Value = serde_json::from_str(&bx).unwrap();
            assert_eq!(v.get("medical").is_some(), medical, "{}", role.as_str());
            if medical {
                assert_eq!(v["medical"]["condition"], "musculoskeletal");
            }
            // Employers never see the category, the consents or the coaching record.
            if role == Role::Employer {
                assert!(
                    v.get("category").is_none()
                        && v.get("consents").is_none()
                        && v.get("coaching").is_none(),
                    "{bx}"
                );
            }
            let fund_team = matches!(
                role,
                Role::Coordinator | Role::Paramedic | Role::AdvisoryDoctor | Role::Member
            );
            assert_eq!(v.get("coaching").is_some(), fund_team, "{}", role.as_str());
        }
        // Another fund's dossier does not exist for anyone here.
        let (sz, _) = s.get(&c, "/api/v1/cases/Z").await;
        assert!(
            matches!(sz.as_u16(), 403 | 404),
            "{} on Z: {sz}",
            role.as_str()
        );
    }
    let b = login(&s, "coordinator-b").await;
    assert_eq!(
        s.get(&b, "/api/v1/cases/X").await.0,
        StatusCode::NOT_FOUND,
        "fund isolation"
    );
    assert_eq!(s.get(&b, "/api/v1/cases/Z").await.0, StatusCode::OK);
}

async fn sessions_and_throttling(backend: Backend) {
    let s = start(backend).await;
    for path in ["/api/v1/worklist", "/api/v1/cases/X", "/api/v1/audit"] {
        assert_eq!(s.get("", path).await.0, StatusCode::UNAUTHORIZED, "{path}");
        assert_eq!(
            s.get("tnw_session=forged", path).await.0,
            StatusCode::UNAUTHORIZED,
            "{path}"
        );
    }
    assert_eq!(
        s.post("", "/api/v1/cases/X/events", json!({})).await.0,
        StatusCode::UNAUTHORIZED
    );
    let bad = |u: &'static str| {
        let client = s.client.clone();
        let url = format!("{}/api/v1/session", s.base);
        async move {
            client
                .post(url)
                .json(&json!({"username": u, "password": "nope"}))
                .send()
                .await
                .unwrap()
                .status()
        }
    };
    assert_eq!(bad("nobody").await, StatusCode::UNAUTHORIZED);
    for _ in 0..5 {
        assert_eq!(bad("coordinator").await, StatusCode::UNAUTHORIZED);
    }
    assert_eq!(bad("coordinator").await, StatusCode::TOO_MANY_REQUESTS);
    let right = s
        .client
        .post(format!("{}/api/v1/session", s.base))
        .json(&json!({"username": "coordinator", "password": PW}))
        .send()
        .await
        .unwrap();
    assert_eq!(
        right.status(),
        StatusCode::TOO_MANY_REQUESTS,
        "throttled even with the right password"
    );
}

async fn recording_events_validates_authorises_and_audits(backend: Backend) {
    let s = start(backend).await;
    let c = login(&s, "coordinator").await;
    let (st, body) = s
        .post(
            &c,
            "/api/v1/cases/X/events",
            json!({"type": "capacity_assessed", "date": "2026-05-01", "category": 3}),
        )
        .await;
    assert_eq!(
        st,
        StatusCode::FORBIDDEN,
        "a coordinator may not assess: {body}"
    );
    let (st, body) = s.post(&c, "/api/v1/cases/X/events", json!({"type": "coordinator_contact", "date": "2026-02-30", "mode": "phone", "first": true})).await;
    assert_eq!(st, StatusCode::BAD_REQUEST, "{body}");
    assert!(body.contains("not a real calendar date"));
    let (st, body) = s.post(&c, "/api/v1/cases/X/events", json!({"type": "coordinator_contact", "date": "2026-05-02", "mode": "phone", "first": false})).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(body.contains("`first` must be true"));
    let contact = json!({"type": "coordinator_contact", "date": "2026-05-02", "mode": "phone", "first": true});
    assert_eq!(
        s.post(&c, "/api/v1/cases/X/events", contact.clone())
            .await
            .0,
        StatusCode::CREATED
    );
    assert_eq!(
        s.post(&c, "/api/v1/cases/X/events", contact).await.0,
        StatusCode::OK,
        "a repeat adds nothing"
    );
    assert_eq!(
        s.post(
            &c,
            "/api/v1/cases/NOPE/events",
            json!({"type": "quick_scan_sent", "date": "2026-05-02"})
        )
        .await
        .0,
        StatusCode::NOT_FOUND
    );
    let (st, body) = s
        .post(
            &c,
            "/api/v1/cases/X/events",
            json!({"case": "Y", "type": "quick_scan_sent", "date": "2026-05-02"}),
        )
        .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    // The first contact is done: it leaves the worklist.
    let (_, wl) = s.get(&c, "/api/v1/worklist").await;
    let items: Vec<Value> = serde_json::from_str(&wl).unwrap();
    assert!(
        !items
            .iter()
            .any(|i| i["case"] == "X" && i["task"] == "first_contact"),
        "{wl}"
    );
    // The doctor may assess.
    let d = login(&s, "advisory_doctor").await;
    assert_eq!(
        s.post(
            &d,
            "/api/v1/cases/Y/events",
            json!({"type": "capacity_assessed", "date": "2026-05-03", "category": 3})
        )
        .await
        .0,
        StatusCode::CREATED
    );
    // Audit: admin only, and it shows the reads and the writes.
    assert_eq!(
        s.get(&c, "/api/v1/audit?case=X").await.0,
        StatusCode::FORBIDDEN
    );
    let a = login(&s, "admin").await;
    let (st, log) = s.get(&a, "/api/v1/audit?case=X").await;
    assert_eq!(st, StatusCode::OK);
    let log: Vec<Value> = serde_json::from_str(&log).unwrap();
    assert!(
        log.iter().any(|e| e["user"] == "coordinator"
            && e["action"] == "write"
            && e["what"] == "coordinator_contact"),
        "{log:?}"
    );
    // A JSON body is required (CSRF protection of the cookie-authenticated API).
    let r = s
        .client
        .post(format!("{}/api/v1/cases/X/events", s.base))
        .header("cookie", &c)
        .header("content-type", "application/x-www-form-urlencoded")
        .body("type=quick_scan_sent&date=2026-05-02")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
}

async fn reads_are_audited_and_members_see_who_read(backend: Backend) {
    let s = start(backend).await;
    let c = login(&s, "employer").await;
    assert_eq!(s.get(&c, "/api/v1/cases/X").await.0, StatusCode::OK);
    assert_eq!(s.get(&c, "/api/v1/cases/Y").await.0, StatusCode::FORBIDDEN);
    let a = login(&s, "admin").await;
    let (_, log) = s.get(&a, "/api/v1/audit?case=Y").await;
    let log: Vec<Value> = serde_json::from_str(&log).unwrap();
    assert!(
        log.iter()
            .any(|e| e["user"] == "employer" && e["action"] == "refused"),
        "refusals are audited too: {log:?}"
    );
    let m = login(&s, "member").await;
    let (st, page) = s.get(&m, "/me").await;
    assert_eq!(st, StatusCode::OK);
    assert!(
        page.contains("employer"),
        "the member sees that the employer opened the dossier"
    );
}

async fn logout_headers_and_openapi(backend: Backend) {
    let s = start(backend).await;
    let c = login(&s, "coordinator").await;
    let r = s
        .client
        .get(format!("{}/api/v1/worklist", s.base))
        .header("cookie", &c)
        .send()
        .await
        .unwrap();
    for h in [
        "content-security-policy",
        "x-frame-options",
        "x-content-type-options",
        "referrer-policy",
    ] {
        assert!(r.headers().contains_key(h), "{h}");
    }
    assert_eq!(r.headers()["cache-control"], "no-store");
    let out = s
        .client
        .delete(format!("{}/api/v1/session", s.base))
        .header("cookie", &c)
        .send()
        .await
        .unwrap();
    assert_eq!(out.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        s.get(&c, "/api/v1/worklist").await.0,
        StatusCode::UNAUTHORIZED
    );
    let (st, doc) = s.get("", "/api/openapi.json").await;
    assert_eq!(st, StatusCode::OK);
    let doc: Value = serde_json::from_str(&doc).unwrap();
    for p in [
        "/api/v1/session",
        "/api/v1/worklist",
        "/api/v1/cases/{id}",
        "/api/v1/cases/{id}/events",
        "/api/v1/audit",
    ] {
        assert!(doc["paths"].get(p).is_some(), "{p}");
    }
    // Real answers use only documented fields, and every event type is documented.
    let c = login(&s, "advisory_doctor").await;
    let schemas = &doc["components"]["schemas"];
    let documented = |schema: &str, v: &Value| {
        for k in v.as_object().unwrap().keys() {
            assert!(
                schemas[schema]["properties"].get(k).is_some(),
                "{schema}.{k} is not in the OpenAPI document"
            );
        }
    };
    let (_, x) = s.get(&c, "/api/v1/cases/X").await;
    let x: Value = serde_json::from_str(&x).unwrap();
    documented("Dossier", &x);
    assert!(x.get("coaching").is_some() && x.get("medical").is_some());
    let (_, w) = s.get(&c, "/api/v1/worklist").await;
    let w: Vec<Value> = serde_json::from_str(&w).unwrap();
    w.iter().for_each(|i| documented("WorkItem", i));
    let types = schemas["Event"]["properties"]["type"]["enum"]
        .as_array()
        .unwrap();
    for t in tnw_domain::event::EventType::ALL {
        assert!(types.iter().any(|x| x == t.as_str()), "{t}");
    }
    assert_eq!(
        s.get("", "/healthz").await,
        (StatusCode::OK, "ok".to_string())
    );
}

async fn pages_record_events_through_the_same_policy(backend: Backend) {
    let s = start(backend).await;
    let login = |user: &'static str| {
        let client = s.client.clone();
        let url = format!("{}/api/v1/session", s.base);
        async move {
            let r = client
                .post(url)
                .json(&json!({"username": user, "password": PW}))
                .send()
                .await
                .unwrap();
            let cookie = r.headers()["set-cookie"]
                .to_str()
                .unwrap()
                .split(';')
                .next()
                .unwrap()
                .to_owned();
            let v: Value = r.json().await.unwrap();
            (cookie, v["csrf"].as_str().unwrap().to_owned())
        }
    };
    let no_redirect = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let form = |cookie: String, fields: Vec<(&'static str, String)>| {
        let c = no_redirect.clone();
        let url = format!("{}/cases/Y/record", s.base);
        async move {
            c.post(url)
                .header("cookie", cookie)
                .form(&fields)
                .send()
                .await
                .unwrap()
                .status()
        }
    };
    let (doctor, csrf) = login("advisory_doctor").await;
    let fields = vec![
        ("csrf", csrf.clone()),
        ("type", "capacity_assessed".into()),
        ("date", "2026-05-04".into()),
        ("category", "2".into()),
    ];
    assert_eq!(form(doctor.clone(), fields).await, StatusCode::SEE_OTHER);
    let (_, body) = s.get(&doctor, "/api/v1/cases/Y").await;
    let v: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v["category"], 2);
    // Without the form token nothing happens.
    let forged = vec![
        ("csrf", "x".repeat(43)),
        ("type", "capacity_assessed".into()),
        ("date", "2026-05-05".into()),
        ("category", "4".into()),
    ];
    assert_eq!(form(doctor, forged).await, StatusCode::FORBIDDEN);
    // A coordinator cannot assess, whatever the page offers.
    let (coord, csrf) = login("coordinator").await;
    let fields = vec![
        ("csrf", csrf),
        ("type", "capacity_assessed".into()),
        ("date", "2026-05-06".into()),
        ("category", "4".into()),
    ];
    assert_eq!(form(coord, fields).await, StatusCode::FORBIDDEN);
}

async fn worklist_filters_validate(backend: Backend) {
    let s = start(backend).await;
    let c = login(&s, "coordinator").await;
    // Empty fields (as an HTML form sends them) mean "no filter".
    let (st, all) = s
        .get(&c, "/api/v1/worklist?task=&within=&region=&category=")
        .await;
    assert_eq!(st, StatusCode::OK, "{all}");
    let (st, one) = s
        .get(
            &c,
            "/api/v1/worklist?task=first_contact&region=flanders&category=4",
        )
        .await;
    assert_eq!(st, StatusCode::OK);
    let items: Vec<Value> = serde_json::from_str(&one).unwrap();
    assert!(items
        .iter()
        .all(|i| i["task"] == "first_contact" && i["region"] == "flanders" && i["category"] == 4));
    assert!(!items.is_empty(), "X has an open first contact: {all}");
    for bad in ["category=9", "within=soon", "limit=-1"] {
        let (st, body) = s.get(&c, &format!("/api/v1/worklist?{bad}")).await;
        assert_eq!(st, StatusCode::BAD_REQUEST, "{bad}: {body}");
    }
}

async fn coaching_record_assignment_caseload_and_queue(backend: Backend) {
    let s = start(backend).await;
    let coord = login(&s, "coordinator").await;
    let post = |body: Value| s.post(&coord, "/api/v1/cases/X/events", body);
    let (st, b) = post(
        json!({"type":"coordinator_contact","date":"2026-05-02","mode":"video","first":true,
        "purpose":"intake","notes":"Wants to try mornings first.\nCall back Friday."}),
    )
    .await;
    assert_eq!(st, StatusCode::CREATED, "{b}");
    let (st, b) = post(json!({"type":"action_plan","date":"2026-05-03","goals":["Back 2 mornings a week"],
        "steps":[{"step":"Ask the employer for adapted hours","owner":"member","due":"2026-05-30"},
                 {"step":"Visit the occupational physician","owner":"occupational_physician","due":"2026-06-15"}]}))
    .await;
    assert_eq!(st, StatusCode::CREATED, "{b}");
    let (st, b) =
        post(json!({"type":"partner_referral","date":"2026-05-04","to":"career_guidance"})).await;
    assert_eq!(st, StatusCode::CREATED, "{b}");
    let (st, b) = post(json!({"type":"partner_result","date":"2026-05-15","to":"career_guidance","result":"started","note":"First session held"})).await;
    assert_eq!(st, StatusCode::CREATED, "{b}");
    // A result for a partner nobody referred to, a step without owner: refused, with why.
    let (st, b) = post(json!({"type":"partner_result","date":"2026-05-15","to":"psychologist","result":"completed"})).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
    assert!(b.contains("not referred to psychologist"), "{b}");
    let (st, b) = post(
        json!({"type":"action_plan","date":"2026-05-03","steps":[{"step":"x","due":"2026-06-01"}]}),
    )
    .await;
    assert!(
        st == StatusCode::BAD_REQUEST && b.contains("steps[1].owner"),
        "{st} {b}"
    );

    let (_, body) = s.get(&coord, "/api/v1/cases/X").await;
    let v: Value = serde_json::from_str(&body).unwrap();
    let c = &v["coaching"];
    assert_eq!(c["assigned_to"], "paramedic");
    assert_eq!(c["contacts"][0]["purpose"], "intake");
    assert!(c["contacts"][0]["notes"]
        .as_str()
        .unwrap()
        .contains("Call back Friday"));
    assert_eq!(c["plan"]["steps"][1]["owner"], "occupational_physician");
    assert_eq!(c["plan"]["steps"][0]["due"], "2026-05-30");
    assert_eq!(c["referrals"][0]["to"], "career_guidance");
    assert_eq!(c["referrals"][0]["results"][0]["result"], "started");
    // The employer (with consent) sees summaries, never the coordinator's notes.
    let employer = login(&s, "employer").await;
    let (st, eb) = s.get(&employer, "/api/v1/cases/X").await;
    assert_eq!(st, StatusCode::OK);
    assert!(
        !eb.contains("Call back Friday") && !eb.contains("adapted hours"),
        "{eb}"
    );

    // Assignment: the paramedic sees Y only once it is assigned to them.
    let para = login(&s, "paramedic").await;
    assert_eq!(
        s.get(&para, "/api/v1/cases/Y").await.0,
        StatusCode::FORBIDDEN
    );
    let (st, b) = s
        .post(
            &para,
            "/api/v1/cases/X/events",
            json!({"type":"case_assigned","date":"2026-05-05","to":"coordinator"}),
        )
        .await;
    assert_eq!(
        st,
        StatusCode::FORBIDDEN,
        "assigning is the coordinators' call: {b}"
    );
    for (who, why) in [
        ("member", "not an active coordinator"),
        ("coordinator-b", "not an active coordinator"),
        ("nobody", "not an active coordinator"),
    ] {
        let (st, b) = s
            .post(
                &coord,
                "/api/v1/cases/Y/events",
                json!({"type":"case_assigned","date":"2026-05-05","to":who}),
            )
            .await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{who}: {b}");
        assert!(b.contains(why), "{b}");
    }
    let (st, b) = s
        .post(
            &coord,
            "/api/v1/cases/Y/events",
            json!({"type":"case_assigned","date":"2026-05-05","to":"paramedic"}),
        )
        .await;
    assert_eq!(st, StatusCode::CREATED, "{b}");
    assert_eq!(s.get(&para, "/api/v1/cases/Y").await.0, StatusCode::OK);
    // The paramedic's worklist holds only their dossiers; the coordinator's "mine" none.
    let (_, w) = s.get(&para, "/api/v1/worklist").await;
    let items: Vec<Value> = serde_json::from_str(&w).unwrap();
    assert!(
        !items.is_empty() && items.iter().all(|i| i["case"] == "X" || i["case"] == "Y"),
        "{w}"
    );
    let (_, all) = s.get(&coord, "/api/v1/worklist").await;
    assert!(
        all.contains("\"Y\""),
        "the coordinator sees the whole fund's work: {all}"
    );
    let (_, mine) = s.get(&coord, "/api/v1/worklist?mine=1").await;
    assert_eq!(mine, "[]");

    // The caseload page: the paramedic's two dossiers, Q unassigned.
    let (st, page) = s.get(&coord, "/caseload").await;
    assert_eq!(st, StatusCode::OK);
    assert!(
        page.contains("data-assignee=\"paramedic\"><td>paramedic</td><td>2</td>"),
        "{page}"
    );
    assert!(
        page.contains("data-assignee=\"\">"),
        "unassigned row: {page}"
    );
    let (_, page) = s.get(&para, "/caseload").await;
    assert!(
        page.contains("data-case=\"X\"") && page.contains("data-case=\"Y\""),
        "{page}"
    );
    let analyst = login(&s, "analyst").await;
    assert_eq!(s.get(&analyst, "/caseload").await.0, StatusCode::FORBIDDEN);

    // The doctor's queue: Q's returned quick scan, not Y's unreturned one.
    let doctor = login(&s, "advisory_doctor").await;
    let (st, page) = s.get(&doctor, "/queue").await;
    assert_eq!(st, StatusCode::OK);
    let to_assess =
        &page[page.find("id=\"to-assess\"").unwrap()..page.find("id=\"reassess\"").unwrap()];
    assert!(
        to_assess.contains("data-case=\"Q\"") && to_assess.contains("2026-03-20"),
        "{to_assess}"
    );
    assert!(!to_assess.contains("data-case=\"Y\""), "{to_assess}");
    assert_eq!(s.get(&coord, "/queue").await.0, StatusCode::FORBIDDEN);
}

async fn admins_manage_the_funds_accounts(backend: Backend) {
    let s = start(backend).await;
    let no_redirect = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let session = |user: &'static str| {
        let client = s.client.clone();
        let url = format!("{}/api/v1/session", s.base);
        async move {
            let r = client
                .post(url)
                .json(&json!({"username": user, "password": PW}))
                .send()
                .await
                .unwrap();
            let cookie = r.headers()["set-cookie"]
                .to_str()
                .unwrap()
                .split(';')
                .next()
                .unwrap()
                .to_owned();
            let v: Value = r.json().await.unwrap();
            (cookie, v["csrf"].as_str().unwrap().to_owned())
        }
    };
    let form = |cookie: String, path: String, fields: Vec<(&'static str, String)>| {
        let c = no_redirect.clone();
        let url = format!("{}{path}", s.base);
        async move {
            let r = c
                .post(url)
                .header("cookie", cookie)
                .form(&fields)
                .send()
                .await
                .unwrap();
            (r.status(), r.text().await.unwrap())
        }
    };
    let (admin, csrf) = session("admin").await;
    let new_user = |username: &str, password: &str| {
        vec![
            ("csrf", csrf.clone()),
            ("username", username.to_owned()),
            ("display_name", "Nora Nieuw".to_owned()),
            ("role", "paramedic".to_owned()),
            ("language", "fr".to_owned()),
            ("password", password.to_owned()),
            ("person_id", String::new()),
            ("employer_id", String::new()),
        ]
    };
    let (st, b) = form(
        admin.clone(),
        "/admin/users".into(),
        new_user("nora", "long enough password"),
    )
    .await;
    assert_eq!(st, StatusCode::SEE_OTHER, "{b}");
    for (bad, why) in [
        (new_user("Nora Bad", "long enough password"), "username"),
        (new_user("nora2", "short"), "password"),
        (new_user("nora", "long enough password"), "already exists"),
    ] {
        let (st, b) = form(admin.clone(), "/admin/users".into(), bad).await;
        assert!(st.is_client_error() && b.contains(why), "{why}: {st} {b}");
    }
    let r = s
        .client
        .post(format!("{}/api/v1/session", s.base))
        .json(&json!({"username":"nora","password":"long enough password"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK, "the new account logs in");
    // Deactivated: the session ends and login fails.
    let deactivate = vec![("csrf", csrf.clone()), ("active", "false".to_owned())];
    let (st, b) = form(admin.clone(), "/admin/users/nora".into(), deactivate).await;
    assert_eq!(st, StatusCode::SEE_OTHER, "{b}");
    let r = s
        .client
        .post(format!("{}/api/v1/session", s.base))
        .json(&json!({"username":"nora","password":"long enough password"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    // Not oneself, not another fund's account, not without being admin.
    let (st, _) = form(
        admin.clone(),
        "/admin/users/admin".into(),
        vec![("csrf", csrf.clone()), ("active", "false".to_owned())],
    )
    .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    let (st, _) = form(
        admin.clone(),
        "/admin/users/coordinator-b".into(),
        vec![("csrf", csrf.clone()), ("role", "admin".to_owned())],
    )
    .await;
    assert_eq!(st, StatusCode::NOT_FOUND);
    let (coord, ccsrf) = session("coordinator").await;
    let (st, _) = form(
        coord,
        "/admin/users/nora".into(),
        vec![("csrf", ccsrf), ("active", "true".to_owned())],
    )
    .await;
    assert_eq!(st, StatusCode::FORBIDDEN);
    // Every change is in the fund's audit log.
    let (_, audit) = s.get(&admin, "/admin").await;
    assert!(
        audit.contains("account aangemaakt: nora") && audit.contains("account gewijzigd: nora"),
        "{audit}"
    );
}

async fn figures_pages_and_exports_with_suppression_for_analysts(backend: Backend) {
    let s = start(backend).await;
    let coord = login(&s, "coordinator").await;
    let (st, page) = s.get(&coord, "/reports").await;
    assert_eq!(st, StatusCode::OK);
    assert!(
        page.contains("<svg") && page.contains("id=\"fig-outcomes\""),
        "charts and tables"
    );
    // Three dossiers in fund-a, none coached: the fund's team sees the exact counts.
    assert!(page.contains("<td>Niet begeleid</td><td>3</td>"), "{page}");
    assert!(!page.contains("&#60;5"));
    let (st, csv) = s.get(&coord, "/reports/figures.csv?region=flanders").await;
    assert_eq!(st, StatusCode::OK);
    assert!(csv.starts_with("table,"), "{csv}");
    assert!(csv.contains("outcomes,Niet begeleid,3,0,"), "{csv}");
    // Each scheme apart: the three are employees, no self-employed among them.
    assert!(csv.contains("schemes,Werknemers,3,0,"), "{csv}");
    assert!(csv.contains("schemes,Zelfstandigen,0,0,"), "{csv}");
    let (st, page) = s.get(&coord, "/reports?scheme=self_employed").await;
    assert_eq!(st, StatusCode::OK);
    assert!(page.contains("<td>Niet begeleid</td><td>0</td>"), "{page}");
    assert_eq!(
        s.get(&coord, "/reports?scheme=freelance").await.0,
        StatusCode::BAD_REQUEST
    );
    assert!(
        csv.contains("caseload,paramedic,1,"),
        "the team sees names: {csv}"
    );

    let analyst = login(&s, "analyst").await;
    let (st, page) = s.get(&analyst, "/reports").await;
    assert_eq!(st, StatusCode::OK);
    assert!(page.contains("id=\"aggregate-note\""));
    assert!(
        page.contains("<td>Niet begeleid</td><td>&#60;5</td>"),
        "{page}"
    );
    let (_, csv) = s.get(&analyst, "/reports/figures.csv").await;
    assert!(csv.contains("outcomes,Niet begeleid,<5,0,"), "{csv}");
    assert!(
        !csv.contains("paramedic"),
        "staff are not named to analysts: {csv}"
    );
    assert!(csv.contains("caseload,#1,<5"), "{csv}");
    let r = s
        .client
        .get(format!("{}/reports/figures.xlsx", s.base))
        .header("cookie", &analyst)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.headers()["content-type"]
        .to_str()
        .unwrap()
        .contains("spreadsheetml"));
    assert_eq!(&r.bytes().await.unwrap()[..2], b"PK");
    // Filters validate; other roles have no figures.
    assert_eq!(
        s.get(&analyst, "/reports?from=2026-02-30").await.0,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        s.get(&analyst, "/reports?region=mars").await.0,
        StatusCode::BAD_REQUEST
    );
    let employer = login(&s, "employer").await;
    assert_eq!(s.get(&employer, "/reports").await.0, StatusCode::FORBIDDEN);
    assert_eq!(
        s.get(&employer, "/reports/figures.csv").await.0,
        StatusCode::FORBIDDEN
    );
    // Exports are in the audit log.
    let admin = login(&s, "admin").await;
    let (_, log) = s.get(&admin, "/api/v1/audit").await;
    assert!(
        log.contains("figures.csv region=flanders") && log.contains("figures.xlsx"),
        "{log}"
    );
}

async fn letters_in_the_members_language_recorded_in_the_dossier(backend: Backend) {
    let s = start(backend).await;
    let no_redirect = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let r = s
        .client
        .post(format!("{}/api/v1/session", s.base))
        .json(&json!({"username": "coordinator", "password": PW}))
        .send()
        .await
        .unwrap();
    let cookie = r.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    let csrf = r.json::<Value>().await.unwrap()["csrf"]
        .as_str()
        .unwrap()
        .to_owned();
    // The print view: Dutch (the member's language), with the member's name.
    let (st, page) = s
        .get(&cookie, "/cases/X/letters/quick_scan_invitation")
        .await;
    assert_eq!(st, StatusCode::OK);
    assert!(
        page.contains("<html lang=\"nl\">") && page.contains("Beste Sara Janssens"),
        "{page}"
    );
    assert!(
        page.contains("letters-v2"),
        "the template version is on the letter"
    );
    // Who reads the answers, as the policy has it (not the advisory doctor alone).
    assert!(
        page.contains("Wie uw antwoorden leest: de adviserend arts")
            && page.contains("de arbeidsarts van uw werkgever"),
        "{page}"
    );
    // X's first contact is judged by rtw-2026: its deadline and its benefit cut.
    let (st, page) = s
        .get(&cookie, "/cases/X/letters/first_contact_invitation")
        .await;
    assert_eq!(st, StatusCode::OK);
    assert!(
        page.contains("uiterlijk op 2026-05-10")
            && page.contains("niet in op 2 uitnodigingen")
            && page.contains("met 10% verminderd"),
        "{page}"
    );
    assert!(!page.contains("geen invloed op uw uitkering"), "{page}");
    // Y was never referred: no first contact to announce.
    assert_eq!(
        s.get(&cookie, "/cases/Y/letters/first_contact_invitation")
            .await
            .0,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    // Sending records it.
    let r = no_redirect
        .post(format!("{}/cases/X/letters/quick_scan_invitation", s.base))
        .header("cookie", &cookie)
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, sent) = s
        .get(&cookie, r.headers()["location"].to_str().unwrap())
        .await;
    assert!(sent.contains("id=\"letter-sent\"") && !sent.contains("id=\"send-letter\""));
    let (_, body) = s.get(&cookie, "/api/v1/cases/X").await;
    let v: Value = serde_json::from_str(&body).unwrap();
    assert!(
        v["events"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["type"] == "letter_sent"),
        "{body}"
    );
    // A reminder about a task the member does not have is refused with the reason;
    // unknown letters do not exist; the employer may not send letters.
    let (st, page) = s
        .get(&cookie, "/cases/X/letters/reminder?task=assess_capacity")
        .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{page}");
    assert_eq!(
        s.get(&cookie, "/cases/X/letters/love_letter").await.0,
        StatusCode::NOT_FOUND
    );
    let employer = login(&s, "employer").await;
    let (st, _) = s
        .post(
            &employer,
            "/api/v1/cases/X/events",
            json!({"type":"letter_sent","date":"2026-05-20","letter":"reminder","task":"x"}),
        )
        .await;
    assert_eq!(st, StatusCode::FORBIDDEN);
}

async fn quick_scan_saved_as_you_go_sent_once_and_read_by_the_doctor(backend: Backend) {
    let s = start(backend).await;
    let no_redirect = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let session = |user: &'static str| {
        let client = s.client.clone();
        let url = format!("{}/api/v1/session", s.base);
        async move {
            let r = client
                .post(url)
                .json(&json!({"username": user, "password": PW}))
                .send()
                .await
                .unwrap();
            let cookie = r.headers()["set-cookie"]
                .to_str()
                .unwrap()
                .split(';')
                .next()
                .unwrap()
                .to_owned();
            let v: Value = r.json().await.unwrap();
            (cookie, v["csrf"].as_str().unwrap().to_owned())
        }
    };
    let post = |cookie: String,
                path: &'static str,
                fields: Vec<(&'static str, &'static str)>,
                htmx: bool| {
        let c = no_redirect.clone();
        let url = format!("{}{path}", s.base);
        async move {
            let mut req = c.post(url).header("cookie", cookie).form(&fields);
            if htmx {
                req = req.header("hx-request", "true");
            }
            let r = req.send().await.unwrap();
            (r.status(), r.text().await.unwrap())
        }
    };
    // Assisted mode: the coordinator fills in Y's quick scan with the member.
    let (coord, csrf) = session("coordinator").await;
    let csrf: &'static str = Box::leak(csrf.into_boxed_str());
    let (st, page) = s.get(&coord, "/cases/Y/quick-scan").await;
    assert_eq!(st, StatusCode::OK);
    assert!(
        page.contains("data-code=\"barriers\"") && !page.contains("quick-scan-closed"),
        "{page}"
    );
    let (st, b) = post(
        coord.clone(),
        "/cases/Y/quick-scan/draft",
        vec![("csrf", csrf), ("health_now", "fair"), ("has_job", "yes")],
        true,
    )
    .await;
    assert_eq!(st, StatusCode::OK, "{b}");
    let (_, page) = s.get(&coord, "/cases/Y/quick-scan").await;
    assert!(
        page.contains(r#"value="fair" checked"#),
        "the draft is kept: {page}"
    );
    // Incomplete: refused with what is missing; invalid: refused with why.
    let (st, b) = post(
        coord.clone(),
        "/cases/Y/quick-scan/send",
        vec![("csrf", csrf), ("health_now", "fair")],
        false,
    )
    .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(b.contains("not answered yet"), "{b}");
    let (st, _) = post(
        coord.clone(),
        "/cases/Y/quick-scan/draft",
        vec![("csrf", csrf), ("health_now", "splendid")],
        false,
    )
    .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    let full = vec![
        ("csrf", csrf),
        ("health_now", "poor"),
        ("has_job", "yes"),
        ("own_job", "partly"),
        ("expected_return", "3_6m"),
        ("barriers", "pain"),
        ("barriers", "commute"),
        ("support", "yes"),
    ];
    let (st, b) = post(
        coord.clone(),
        "/cases/Y/quick-scan/send",
        full.clone(),
        false,
    )
    .await;
    assert_eq!(st, StatusCode::SEE_OTHER, "{b}");
    // Sent once: the same answers again (a double click) add nothing; other answers
    // are refused.
    let (st, _) = post(coord.clone(), "/cases/Y/quick-scan/send", full, false).await;
    assert_eq!(st, StatusCode::SEE_OTHER);
    let (st, b) = post(
        coord.clone(),
        "/cases/Y/quick-scan/send",
        vec![
            ("csrf", csrf),
            ("health_now", "good"),
            ("has_job", "no"),
            ("expected_return", "within_1m"),
            ("barriers", "other"),
            ("support", "no"),
        ],
        false,
    )
    .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
    assert!(b.contains("already returned"), "{b}");
    let (_, body) = s.get(&coord, "/api/v1/cases/Y").await;
    assert_eq!(body.matches("\"quick_scan_returned\"").count(), 1, "{body}");
    let (_, page) = s.get(&coord, "/cases/Y/quick-scan").await;
    assert!(page.contains("quick-scan-closed"));
    // The coordinator never sees the answers; the doctor sees them in words, in the queue.
    let (_, dossier) = s.get(&coord, "/cases/Y").await;
    assert!(!dossier.contains("quick-scan-answers") && !dossier.contains("commute"));
    let doctor = login(&s, "advisory_doctor").await;
    let (_, queue) = s.get(&doctor, "/queue").await;
    let to_assess =
        &queue[queue.find("id=\"to-assess\"").unwrap()..queue.find("id=\"reassess\"").unwrap()];
    assert!(to_assess.contains("data-case=\"Y\""), "{to_assess}");
    let (_, dossier) = s.get(&doctor, "/cases/Y").await;
    assert!(
        dossier.contains("Hoe is uw gezondheid op dit moment?")
            && dossier.contains("<td>slecht</td>")
            && dossier.contains("pijn, verplaatsing"),
        "{dossier}"
    );
    // Others' dossiers: a member cannot open another person's questionnaire.
    let member = login(&s, "member").await;
    assert_eq!(
        s.get(&member, "/cases/Y/quick-scan").await.0,
        StatusCode::FORBIDDEN
    );
}
