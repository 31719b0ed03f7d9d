//! The HTTP API end to end: a real server on loopback over a real SQLite file, the
//! role × endpoint × consent matrix, sessions, throttling, audit and fund isolation.

use reqwest::StatusCode;
use serde_json::{json, Value};
use tnw_app::access::Role;
use tnw_domain::RuleBook;
use tnw_storage_sqlite::SqliteStore;

const PW: &str = "correct horse battery";

fn opened(case: &str, person: &str, employer: &str, condition: &str) -> String {
    format!(
        r#"{{"case":"{case}","type":"case_opened","date":"2026-01-05","person":{{"id":"{person}","name":"Sara Janssens","birth_date":"1985-02-03","sex":"f","language":"nl","region":"flanders"}},"scheme":"employee","employer":{{"id":"{employer}","name":"Acme NV"}},"regime":"full_time","work_type":"mental","sector":"Q","condition":"{condition}","incapacity_start":"2026-01-05"}}"#
    )
}

fn ev(case: &str, date: &str, rest: &str) -> String {
    format!(r#"{{"case":"{case}","date":"{date}","type":{rest}}}"#)
}

struct Server {
    base: String,
    client: reqwest::Client,
    _dir: tempfile::TempDir,
}

/// Case X: consents for employer and occupational physician (incl. medical);
/// case Y: no consents; case Z: another fund.
async fn start() -> Server {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("tnw.db");
    let book = RuleBook::builtin().unwrap();
    {
        let mut store = SqliteStore::open(&db).unwrap();
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
        ]
        .join("\n");
        let opts = |org: &str| tnw_app::import::ImportOptions {
            org: org.into(),
            ..Default::default()
        };
        tnw_app::import::import_events(&mut store, &book, a.as_bytes(), &opts("fund-a"), &|_| {})
            .unwrap();
        let b = opened("Z", "P-Z", "E9", "cancer");
        tnw_app::import::import_events(&mut store, &book, b.as_bytes(), &opts("fund-b"), &|_| {})
            .unwrap();
        for role in Role::ALL {
            let (person, employer) = match role {
                Role::Member => (Some("P-X"), None),
                Role::Employer | Role::OccupationalPhysician => (None, Some("E1")),
                _ => (None, None),
            };
            tnw_app::auth::create_user(
                &mut store,
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
            &mut store,
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
    }
    let today = tnw_domain::date::parse_date("2026-05-20").ok();
    let state = tnw_web::AppState::new(db, book, false, today).unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        axum::serve(listener, tnw_web::router(state)).await.unwrap();
    });
    Server {
        base: format!("http://{addr}"),
        client: reqwest::Client::new(),
        _dir: dir,
    }
}

impl Server {
    async fn login(&self, user: &str) -> String {
        let r = self
            .client
            .post(format!("{}/api/v1/session", self.base))
            .json(&json!({"username": user, "password": PW}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK, "login {user}");
        let cookie = r
            .headers()
            .get("set-cookie")
            .unwrap()
            .to_str()
            .unwrap()
            .to_owned();
        assert!(
            cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
            "{cookie}"
        );
        cookie.split(';').next().unwrap().to_owned()
    }
    async fn get(&self, cookie: &str, path: &str) -> (StatusCode, String) {
        let r = self
            .client
            .get(format!("{}{path}", self.base))
            .header("cookie", cookie)
            .send()
            .await
            .unwrap();
        (r.status(), r.text().await.unwrap())
    }
    async fn post(&self, cookie: &str, path: &str, body: Value) -> (StatusCode, String) {
        let r = self
            .client
            .post(format!("{}{path}", self.base))
            .header("cookie", cookie)
            .json(&body)
            .send()
            .await
            .unwrap();
        (r.status(), r.text().await.unwrap())
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_role_against_every_dossier_part() {
    let s = start().await;
    // (role, X status, Y status, medical visible on X)
    let matrix = [
        (Role::Coordinator, 200, 200, false),
        (Role::Paramedic, 200, 200, false),
        (Role::AdvisoryDoctor, 200, 200, true),
        (Role::Member, 200, 403, false),
        (Role::Employer, 200, 403, false),
        (Role::OccupationalPhysician, 200, 403, true),
        (Role::EmploymentService, 403, 403, false),
        (Role::Analyst, 403, 403, false),
        (Role::Admin, 403, 403, false),
    ];
    for (role, x, y, medical) in matrix {
        let c = s.login(role.as_str()).await;
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
            // Employers never see the category or the consents.
            if role == Role::Employer {
                assert!(
                    v.get("category").is_none() && v.get("consents").is_none(),
                    "{bx}"
                );
            }
        }
        // Another fund's dossier does not exist for anyone here.
        let (sz, _) = s.get(&c, "/api/v1/cases/Z").await;
        assert!(
            matches!(sz.as_u16(), 403 | 404),
            "{} on Z: {sz}",
            role.as_str()
        );
    }
    let b = s.login("coordinator-b").await;
    assert_eq!(
        s.get(&b, "/api/v1/cases/X").await.0,
        StatusCode::NOT_FOUND,
        "fund isolation"
    );
    assert_eq!(s.get(&b, "/api/v1/cases/Z").await.0, StatusCode::OK);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sessions_and_throttling() {
    let s = start().await;
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn recording_events_validates_authorises_and_audits() {
    let s = start().await;
    let c = s.login("coordinator").await;
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
    let d = s.login("advisory_doctor").await;
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
    let a = s.login("admin").await;
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reads_are_audited_and_members_see_who_read() {
    let s = start().await;
    let c = s.login("employer").await;
    assert_eq!(s.get(&c, "/api/v1/cases/X").await.0, StatusCode::OK);
    assert_eq!(s.get(&c, "/api/v1/cases/Y").await.0, StatusCode::FORBIDDEN);
    let a = s.login("admin").await;
    let (_, log) = s.get(&a, "/api/v1/audit?case=Y").await;
    let log: Vec<Value> = serde_json::from_str(&log).unwrap();
    assert!(
        log.iter()
            .any(|e| e["user"] == "employer" && e["action"] == "refused"),
        "refusals are audited too: {log:?}"
    );
    let m = s.login("member").await;
    let (st, page) = s.get(&m, "/me").await;
    assert_eq!(st, StatusCode::OK);
    assert!(
        page.contains("employer"),
        "the member sees that the employer opened the dossier"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn logout_headers_and_openapi() {
    let s = start().await;
    let c = s.login("coordinator").await;
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
    assert_eq!(
        s.get("", "/healthz").await,
        (StatusCode::OK, "ok".to_string())
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_record_events_through_the_same_policy() {
    let s = start().await;
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn worklist_filters_validate() {
    let s = start().await;
    let c = s.login("coordinator").await;
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
