//! The employer's list of absent workers over HTTP, on a real server over a real SQLite
//! file and a PostgreSQL database: the JSON and CSV answers, bad months and formats,
//! every other role refused, the page with its month picker and download link in the
//! employer's navigation, and one audit entry per read.

mod common;

use common::{Backend, Db, Server};
use reqwest::StatusCode;
use serde_json::Value;
use tnw_app::access::Role;
use tnw_domain::RuleBook;
use tnw_testkit::on_both_backends;

const PW: &str = "absence list password";

fn opened(case: &str, name: &str, employer: &str, start: &str) -> String {
    format!(
        r#"{{"case":"{case}","type":"case_opened","date":"{start}","person":{{"id":"P-{case}","name":"{name}","birth_date":"1980-05-06","sex":"f","language":"nl","region":"flanders"}},"scheme":"employee","employer":{{"id":"{employer}","name":"Bakkerij Claes BV"}},"regime":"full_time","work_type":"manual","sector":"C","condition":"mental","incapacity_start":"{start}"}}"#
    )
}

/// Employer E1 in fund A: a worker absent since January (assessed, category 3), one
/// back on 16 March, one absent for 27 days only in March, and a name a spreadsheet
/// would take for a formula; employer E2's worker; an E1 worker in fund B.
async fn start(backend: Backend) -> Server {
    let db = Db::new(backend);
    let book = RuleBook::builtin().unwrap();
    db.with_store(|store| {
        let a = [
            opened("A1", "Sara Janssens", "E1", "2026-01-05"),
            r#"{"case":"A1","date":"2026-04-10","type":"capacity_assessed","category":3}"#.into(),
            opened("A2", "Émile Dupont, jr.", "E1", "2026-01-10"),
            r#"{"case":"A2","date":"2026-03-16","type":"incapacity_ended"}"#.into(),
            opened("A3", "Kort Geleden", "E1", "2026-03-05"),
            opened("A4", "=HYPERLINK(\\\"x\\\")", "E1", "2026-02-01"),
            opened("A5", "Jan Elders", "E2", "2026-01-05"),
        ]
        .join("\n");
        let opts = |org: &str| tnw_app::import::ImportOptions {
            org: org.into(),
            ..Default::default()
        };
        let r =
            tnw_app::import::import_events(store, &book, a.as_bytes(), &opts("fund-a"), &|_| {})
                .unwrap();
        assert!(r.rejected.is_empty(), "{r:?}");
        let b = opened("B1", "Nina Elders", "E1", "2026-01-05");
        tnw_app::import::import_events(store, &book, b.as_bytes(), &opts("fund-b"), &|_| {})
            .unwrap();
        for role in Role::ALL {
            let (person, employer) = match role {
                Role::Member => (Some("P-A1"), None),
                Role::Employer | Role::OccupationalPhysician => (None, Some("E1")),
                _ => (None, None),
            };
            let lang = if *role == Role::Employer { "fr" } else { "nl" };
            tnw_app::auth::create_user(
                store,
                "fund-a",
                role.as_str(),
                role.as_str(),
                *role,
                PW,
                lang,
                person,
                employer,
            )
            .unwrap();
        }
    });
    let today = tnw_domain::date::parse_date("2026-05-20").ok();
    Server::start(db, today).await
}

on_both_backends!(
    the_list_as_json_and_csv,
    bad_months_and_formats_are_refused_with_the_reason,
    only_the_employer_is_answered,
    the_employers_page_lists_and_links_the_csv,
);

async fn the_list_as_json_and_csv(backend: Backend) {
    let s = start(backend).await;
    let c = s.login_as("employer", PW).await;
    let (status, body) = s.get(&c, "/api/v1/employer/absences?month=2026-03").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let v: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v["month"], "2026-03");
    assert_eq!(v["employer"], "E1");
    assert_eq!(v["counted_until"], "2026-03-31");
    let workers: Vec<String> = v["workers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| format!("{} {} {}", w["name"], w["absent_since"], w["last_day"]))
        .collect();
    assert_eq!(
        workers,
        [
            r#""Sara Janssens" "2026-01-05" null"#,
            r#""Émile Dupont, jr." "2026-01-10" "2026-03-15""#,
            r#""=HYPERLINK(\"x\")" "2026-02-01" null"#,
        ],
        "27 days in March, another employer, another fund: not listed"
    );
    // Nothing of the dossier but who since when.
    for w in v["workers"].as_array().unwrap() {
        let mut keys: Vec<&String> = w.as_object().unwrap().keys().collect();
        keys.sort();
        assert_eq!(keys, ["absent_since", "last_day", "name"]);
    }
    for word in [
        "category",
        "condition",
        "mental",
        "task",
        "A1",
        "P-A1",
        "flanders",
    ] {
        assert!(!body.contains(word), "{word} in {body}");
    }

    let r = s
        .client
        .get(format!(
            "{}/api/v1/employer/absences?month=2026-03&format=csv",
            s.base
        ))
        .header("cookie", &c)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()["content-type"], "text/csv; charset=utf-8");
    assert_eq!(
        r.headers()["content-disposition"],
        "attachment; filename=\"tnw-absences-2026-03.csv\""
    );
    let csv = r.text().await.unwrap();
    // The header in the employer's language (French); quoting by the CSV writer; a
    // formula defused.
    assert_eq!(
        csv.lines().collect::<Vec<_>>(),
        [
            "Nom,Premier jour d'absence,Dernier jour d'absence",
            "Sara Janssens,2026-01-05,",
            "\"Émile Dupont, jr.\",2026-01-10,2026-03-15",
            "\"'=HYPERLINK(\"\"x\"\")\",2026-02-01,",
        ]
    );
    let mut rows = csv::Reader::from_reader(csv.as_bytes());
    assert_eq!(rows.records().count(), 3);

    // Each read is one entry in the fund's audit log, naming the dossiers listed.
    let admin = s.login_as("admin", PW).await;
    let (_, log) = s.get(&admin, "/api/v1/audit?limit=10").await;
    let log: Value = serde_json::from_str(&log).unwrap();
    let reads: Vec<&Value> = log
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["user"] == "employer")
        .collect();
    assert_eq!(reads.len(), 2, "the JSON and the CSV: {log}");
    for e in reads {
        assert_eq!(e["what"], "absence list 2026-03 of employer E1: A1, A2, A4");
        assert_eq!(e["case"], Value::Null);
    }
}

async fn bad_months_and_formats_are_refused_with_the_reason(backend: Backend) {
    let s = start(backend).await;
    let c = s.login_as("employer", PW).await;
    for (query, reason) in [
        ("", "?month=YYYY-MM"),
        ("?month=", "?month=YYYY-MM"),
        ("?month=2026-3", "YYYY-MM"),
        ("?month=march", "YYYY-MM"),
        ("?month=2026-13", "01 to 12"),
        ("?month=1989-12", "between 1990-01 and 2100-12"),
        ("?month=2026-06", "has not begun"),
        ("?month=2026-03&format=xlsx", "json or csv"),
        ("?month=2026-03&month=2026-04", "month"),
    ] {
        let (status, body) = s
            .get(&c, &format!("/api/v1/employer/absences{query}"))
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{query}: {body}");
        let v: Value = serde_json::from_str(&body).unwrap_or_else(|_| panic!("{query}: {body}"));
        let e = v["error"].as_str().unwrap();
        assert!(e.contains(reason), "{query}: {e}");
    }
    let admin = s.login_as("admin", PW).await;
    let (_, log) = s.get(&admin, "/api/v1/audit?limit=50").await;
    assert!(
        !log.contains("absence list"),
        "nothing read, nothing audited: {log}"
    );
}

async fn only_the_employer_is_answered(backend: Backend) {
    let s = start(backend).await;
    for role in Role::ALL.iter().filter(|r| **r != Role::Employer) {
        let c = s.login_as(role.as_str(), PW).await;
        for path in [
            "/api/v1/employer/absences?month=2026-03",
            "/api/v1/employer/absences?month=2026-03&format=csv",
        ] {
            let (status, body) = s.get(&c, path).await;
            assert_eq!(
                status,
                StatusCode::FORBIDDEN,
                "{} {path}: {body}",
                role.as_str()
            );
            assert!(body.contains("only an employer"), "{body}");
            assert!(!body.contains("Sara"), "{body}");
        }
        let (status, body) = s.get(&c, "/absences?month=2026-03").await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{} page", role.as_str());
        assert!(!body.contains("Sara"), "{body}");
    }
    let (status, _) = s
        .get(
            "tnw_session=nothing",
            "/api/v1/employer/absences?month=2026-03",
        )
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    // Documented, with the list's shape.
    let (_, doc) = s.get("", "/api/openapi.json").await;
    let doc: Value = serde_json::from_str(&doc).unwrap();
    let get = &doc["paths"]["/api/v1/employer/absences"]["get"];
    for status in ["200", "400", "401", "403"] {
        assert!(get["responses"][status].is_object(), "{status}: {get}");
    }
    let worker = &doc["components"]["schemas"]["AbsenceList"]["properties"]["workers"]["items"];
    let mut fields: Vec<&String> = worker["properties"].as_object().unwrap().keys().collect();
    fields.sort();
    assert_eq!(fields, ["absent_since", "last_day", "name"]);
}

async fn the_employers_page_lists_and_links_the_csv(backend: Backend) {
    let s = start(backend).await;
    let c = s.login_as("employer", PW).await;
    // In the employer's navigation.
    let (status, home) = s.get(&c, "/worklist").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        home.contains(r#"<a href="/absences">Absents</a>"#),
        "{home}"
    );
    // The current month by default.
    let (status, page) = s.get(&c, "/absences").await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert!(page.contains(r#"value="2026-05""#), "{page}");
    assert!(page.contains(r#"max="2026-05""#), "{page}");
    assert!(
        page.contains("Compté jusqu&#x27;au 2026-05-20")
            || page.contains("Compté jusqu&#39;au 2026-05-20"),
        "{page}"
    );
    assert!(
        page.contains("Kort Geleden"),
        "absent since 5 March: {page}"
    );
    let (status, page) = s.get(&c, "/absences?month=2026-03").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Sara Janssens"), "{page}");
    assert!(page.contains("2026-03-15"), "{page}");
    assert!(page.contains("pas terminée ce mois-ci"), "{page}");
    assert!(!page.contains("Kort Geleden"), "27 days in March: {page}");
    assert!(!page.contains("Jan Elders") && !page.contains("Nina Elders"));
    assert!(
        page.contains(r#"href="/api/v1/employer/absences?month=2026-03&amp;format=csv""#)
            || page.contains(r#"href="/api/v1/employer/absences?month=2026-03&#38;format=csv""#),
        "{page}"
    );
    let (status, none) = s.get(&c, "/absences?month=2025-06").await;
    assert_eq!(status, StatusCode::OK);
    assert!(none.contains("Aucun de vos travailleurs"), "{none}");
    // Bad months: the form again, with the reason in the employer's language.
    let (status, bad) = s.get(&c, "/absences?month=2026-3x").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(bad.contains("au format AAAA-MM"), "{bad}");
    let (status, later) = s.get(&c, "/absences?month=2026-07").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(later.contains("pas encore commencé"), "{later}");
    assert!(!later.contains("Sara"));
}
