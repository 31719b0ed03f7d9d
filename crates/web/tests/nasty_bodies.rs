//! Bad API bodies on a real server over a real SQLite file and over a PostgreSQL
//! database: broken, huge, deep, invalid UTF-8, wrong types, impossible dates,
//! SQL-looking and formula strings. Each gets a 4xx with a JSON error that says why,
//! and the store is left as it was.

mod common;

use tnw_testkit::on_both_backends;

use common::{Backend, Db};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use reqwest::StatusCode;
use serde_json::Value;
use tnw_app::access::Role;
use tnw_domain::RuleBook;

const PW: &str = "nasty bodies password";

const OPENED: &str = r#"{"case":"X","type":"case_opened","date":"2026-01-05","person":{"id":"P-X","name":"Jan Janssens","birth_date":"1975-03-01","sex":"m","language":"nl","region":"flanders"},"scheme":"employee","employer":{"id":"E1","name":"Acme NV"},"regime":"full_time","work_type":"manual","sector":"C","condition":"mental","incapacity_start":"2026-01-05"}"#;

/// The server on its own runtime: proptest drives it from plain (blocking) code.
struct Server {
    base: String,
    client: reqwest::Client,
    db: Db,
    rt: tokio::runtime::Runtime,
}

fn start(backend: Backend) -> Server {
    let db = Db::new(backend);
    let book = RuleBook::builtin().unwrap();
    {
        let mut store = db.open();
        tnw_app::import::import_events(
            &mut *store,
            &book,
            OPENED.as_bytes(),
            &tnw_app::import::ImportOptions {
                org: "fund-a".into(),
                ..Default::default()
            },
            &|_| {},
        )
        .unwrap();
        tnw_app::auth::create_user(
            &mut *store,
            "fund-a",
            "coordinator",
            "C",
            Role::Coordinator,
            PW,
            "en",
            None,
            None,
        )
        .unwrap();
    }
    let today = tnw_domain::date::parse_date("2026-05-20").ok();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let base = rt.block_on(common::listen(db.state(today)));
    Server {
        base,
        // A fresh connection per request: past the body limit the server closes the
        // connection it answered 413 on, and a pooled client could send the next
        // request down that closing connection and see only the close.
        client: reqwest::Client::builder()
            .pool_max_idle_per_host(0)
            .build()
            .unwrap(),
        db,
        rt,
    }
}

impl Server {
    fn cookie(&self) -> String {
        self.rt.block_on(async {
            let r = self
                .client
                .post(format!("{}/api/v1/session", self.base))
                .json(&serde_json::json!({"username": "coordinator", "password": PW}))
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), StatusCode::OK);
            let c = r.headers()["set-cookie"].to_str().unwrap().to_owned();
            c.split(';').next().unwrap().to_owned()
        })
    }

    /// POSTs raw bytes as JSON; returns the status and the body.
    fn post(&self, cookie: Option<&str>, path: &str, body: Vec<u8>) -> (StatusCode, String) {
        let big = body.len() > 1 << 20;
        self.rt.block_on(async {
            let mut req = self
                .client
                .post(format!("{}{path}", self.base))
                .header("content-type", "application/json")
                .body(body);
            if let Some(c) = cookie {
                req = req.header("cookie", c);
            }
            match req.send().await {
                Ok(r) => (r.status(), r.text().await.unwrap()),
                // Past the body limit the server answers 413 and closes the connection
                // without reading the rest; the client may see only the close.
                Err(e) if big => (StatusCode::PAYLOAD_TOO_LARGE, e.to_string()),
                Err(e) => panic!("{path}: {e}"),
            }
        })
    }

    fn events(&self) -> u64 {
        self.db.open().counts(None).unwrap().events
    }
}

/// A refusal: a 4xx whose JSON body has a non-empty `error`.
fn refused(status: StatusCode, body: &str, what: &str) {
    assert!(status.is_client_error(), "{what}: {status} {body}");
    if status != StatusCode::PAYLOAD_TOO_LARGE {
        let v: Value = serde_json::from_str(body)
            .unwrap_or_else(|_| panic!("{what}: not a JSON error: {body}"));
        let e = v["error"].as_str().unwrap_or_default();
        assert!(!e.trim().is_empty(), "{what}: {body}");
    }
}

fn nasty_events() -> Vec<(&'static str, Vec<u8>)> {
    let mut v: Vec<(&'static str, Vec<u8>)> = vec![
        ("empty", b"".to_vec()),
        ("not JSON", b"quick_scan_sent".to_vec()),
        (
            "truncated",
            br#"{"type":"quick_scan_sent","date":"2026-03-0"#.to_vec(),
        ),
        (
            "array",
            br#"[{"type":"quick_scan_sent","date":"2026-03-01"}]"#.to_vec(),
        ),
        (
            "invalid UTF-8",
            b"{\"type\":\"quick_scan_sent\",\"date\":\"\xff\xfe\"}".to_vec(),
        ),
        (
            "lone surrogate",
            br#"{"type":"quick_scan_sent","date":"2026-03-01","x":"\ud800"}"#.to_vec(),
        ),
        (
            "impossible date",
            br#"{"type":"quick_scan_sent","date":"2026-02-30"}"#.to_vec(),
        ),
        (
            "date with time",
            br#"{"type":"quick_scan_sent","date":"2026-03-01T10:00:00Z"}"#.to_vec(),
        ),
        (
            "future date",
            br#"{"type":"quick_scan_sent","date":"2099-03-01"}"#.to_vec(),
        ),
        (
            "unknown type",
            br#"{"type":"quick_scan_sent' OR '1'='1","date":"2026-03-01"}"#.to_vec(),
        ),
        (
            "category as SQL",
            br#"{"type":"capacity_assessed","date":"2026-03-01","category":"4; DROP TABLE cases"}"#
                .to_vec(),
        ),
        (
            "category out of range",
            br#"{"type":"capacity_assessed","date":"2026-03-01","category":7}"#.to_vec(),
        ),
        (
            "number overflow",
            br#"{"type":"capacity_assessed","date":"2026-03-01","category":1e400}"#.to_vec(),
        ),
        (
            "formula status",
            br#"{"type":"work_resumed","date":"2026-03-01","status":"=cmd|' /C calc'!A0"}"#
                .to_vec(),
        ),
        ("null", b"null".to_vec()),
    ];
    let deep = format!(
        r#"{{"type":"quick_scan_returned","date":"2026-03-01","answers":{}{}}}"#,
        "[".repeat(50_000),
        "]".repeat(50_000)
    );
    v.push(("deep JSON", deep.into_bytes()));
    let huge = format!(
        r#"{{"type":"coordinator_contact","date":"2026-03-01","mode":"phone","notes":"{}"}}"#,
        "a".repeat(8 << 20)
    );
    v.push(("8 MiB body", huge.into_bytes()));
    v
}

on_both_backends!(
    sync nasty_event_and_session_bodies_are_refused_and_change_nothing,
    sync arbitrary_event_bodies_never_fail_the_server,
);

fn nasty_event_and_session_bodies_are_refused_and_change_nothing(backend: Backend) {
    let s = start(backend);
    let cookie = s.cookie();
    let before = s.events();
    for (what, body) in nasty_events() {
        let (status, text) = s.post(Some(&cookie), "/api/v1/cases/X/events", body.clone());
        refused(status, &text, what);
        // Without a session the answer is 401 whatever the body (or 413 past the
        // body limit, which is checked while the body is still arriving).
        let (status, _) = s.post(None, "/api/v1/cases/X/events", body);
        assert!(matches!(status.as_u16(), 401 | 413), "{what}: {status}");
    }
    for (what, body) in [
        ("empty", b"".to_vec()),
        (
            "invalid UTF-8",
            b"{\"username\":\"\xff\",\"password\":\"x\"}".to_vec(),
        ),
        (
            "SQL",
            br#"{"username":"' OR 1=1 --","password":"' OR 1=1 --"}"#.to_vec(),
        ),
        (
            "types",
            br#"{"username":["coordinator"],"password":{"a":1}}"#.to_vec(),
        ),
        (
            "huge",
            format!(r#"{{"username":"{}","password":"x"}}"#, "u".repeat(4 << 20)).into_bytes(),
        ),
    ] {
        let (status, text) = s.post(None, "/api/v1/session", body);
        assert!(
            matches!(status.as_u16(), 400 | 401 | 413 | 415 | 422),
            "session {what}: {status} {text}"
        );
    }
    assert_eq!(s.events(), before, "the store changed");
    // The server is still healthy and a good body still works.
    let (status, text) = s.post(
        Some(&cookie),
        "/api/v1/cases/X/events",
        br#"{"type":"quick_scan_sent","date":"2026-03-01"}"#.to_vec(),
    );
    assert!(status.is_success(), "{status} {text}");
    assert_eq!(s.events(), before + 1);
}

/// Arbitrary JSON-ish bodies: never a 5xx; a refusal changes nothing. One server for
/// all cases (a runner rather than `proptest!`, which would start one per case).
fn arbitrary_event_bodies_never_fail_the_server(backend: Backend) {
    let s = start(backend);
    let cookie = s.cookie();
    let mut runner = TestRunner::new(Config {
        cases: 48,
        ..Config::default()
    });
    runner
        .run(&"[{}\\[\\]\":,a-z0-9_ .\\-]{0,200}", |body| {
            let before = s.events();
            let (status, text) = s.post(Some(&cookie), "/api/v1/cases/X/events", body.into_bytes());
            prop_assert!(status.as_u16() < 500, "{} {}", status, text);
            if !status.is_success() {
                prop_assert_eq!(s.events(), before);
            }
            Ok(())
        })
        .unwrap();
}
