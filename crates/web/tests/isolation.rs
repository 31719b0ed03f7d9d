//! Fund isolation on a real server over a real SQLite file and over a PostgreSQL
//! database: the demo's two funds, every role of fund A crawling every page it can
//! reach (following every link), the JSON API, the exports and reports, and direct
//! attempts on fund B's dossiers. Nothing of fund B (its case ids, its member's and
//! employer's ids, its usernames) may appear in any answer, and no attempt may change
//! fund B's data.

use std::collections::{BTreeSet, VecDeque};

mod common;

use tnw_testkit::on_both_backends;

use common::{Backend, Db, Server};
use reqwest::StatusCode;
use serde_json::{json, Value};
use tnw_app::access::Role;
use tnw_domain::RuleBook;

const PW: &str = "isolation password 1";

async fn start(backend: Backend) -> Server {
    let db = Db::new(backend);
    let book = RuleBook::builtin().unwrap();
    let today = tnw_domain::date::parse_date("2026-11-22").unwrap();
    db.with_store(|store| assert!(tnw_app::demo::seed(store, &book, PW, 60, today).unwrap()));
    Server::start(db, Some(today)).await
}

/// The demo's usernames: `coordinator`, `doctor`, … in fund A, the same with `.b` in B.
fn usernames(suffix: &str) -> Vec<String> {
    Role::ALL
        .iter()
        .filter(|r| **r != Role::TreatingPhysician)
        .map(|r| match r {
            Role::AdvisoryDoctor => format!("doctor{suffix}"),
            r => format!("{}{suffix}", r.as_str()),
        })
        .collect()
}

/// What of fund B would betray a leak: its case ids (`B` and seven digits, and
/// `B-MEMBER`), its member's and employer's ids, its usernames.
fn leak(body: &[u8]) -> Option<String> {
    let text = String::from_utf8_lossy(body);
    for marker in [
        "B-MEMBER", "P-DEMO.b", "E-DEMO.b", ".b\"", ".b<", ".b,", "(fund-b)",
    ] {
        if text.contains(marker) {
            return Some(marker.to_owned());
        }
    }
    let bytes = text.as_bytes();
    for (i, w) in bytes.windows(8).enumerate() {
        let boundary = i == 0 || !bytes[i - 1].is_ascii_alphanumeric();
        let after = bytes.get(i + 8).is_none_or(|c| !c.is_ascii_alphanumeric());
        if boundary && after && w[0] == b'B' && w[1..].iter().all(u8::is_ascii_digit) {
            return Some(String::from_utf8_lossy(w).into_owned());
        }
    }
    None
}

/// Same-origin links of a page (`href="/…"`), minus those that end the session or only
/// switch the language.
fn links(body: &[u8]) -> Vec<String> {
    let text = String::from_utf8_lossy(body);
    text.split("href=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .map(|l| l.replace("&amp;", "&"))
        .filter(|l| l.starts_with('/') && !l.starts_with("//"))
        .filter(|l| !l.starts_with("/logout") && !l.starts_with("/lang/"))
        .collect()
}

on_both_backends!(no_page_api_call_export_or_report_shows_another_funds_data);

async fn no_page_api_call_export_or_report_shows_another_funds_data(backend: Backend) {
    let s = start(backend).await;
    let fund_b_counts = || {
        s.with_store(|store| {
            let c = store.counts(Some("fund-b")).unwrap();
            (c.cases, c.events)
        })
    };
    let fund_b_before = fund_b_counts();
    assert!(fund_b_before.0 > 50, "fund B has dossiers to leak");
    // The markers are real: fund B's own coordinator sees them.
    let b = s.login_as("coordinator.b", PW).await;
    let (status, body) = s.get_bytes(&b, "/worklist").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        leak(&body).is_some(),
        "fund B's worklist names its dossiers"
    );

    let mut pages = 0;
    for user in usernames("") {
        let c = s.login_as(&user, PW).await;
        // Every page reachable from the start page, breadth first.
        let mut seen = BTreeSet::new();
        let mut queue = VecDeque::from(["/".to_owned(), "/api/v1/worklist".to_owned()]);
        while let Some(path) = queue.pop_front() {
            if !seen.insert(path.clone()) || seen.len() > 80 {
                continue;
            }
            let (status, body) = s.get_bytes(&c, &path).await;
            assert!(status.as_u16() < 500, "{user} {path}: {status}");
            if let Some(m) = leak(&body) {
                panic!("{user} saw fund B's {m} on {path}");
            }
            pages += 1;
            for l in links(&body) {
                if !seen.contains(&l) {
                    queue.push_back(l);
                }
            }
        }
        // Exports and reports, whether linked for this role or not.
        for path in [
            "/reports",
            "/reports/figures.csv",
            "/reports/figures.xlsx",
            "/reports/survey",
            "/reports/survey.csv",
            "/reports/survey.xlsx",
            "/api/v1/audit",
            "/caseload",
            "/queue",
            "/admin",
            "/me",
        ] {
            let (status, body) = s.get_bytes(&c, path).await;
            assert!(status.as_u16() < 500, "{user} {path}: {status}");
            assert_eq!(leak(&body), None, "{user} {path}");
        }
        // Fund B's dossiers by id: not found or refused, never shown.
        for id in ["B-MEMBER", "B0000001", "B0000030"] {
            for path in [
                format!("/cases/{id}"),
                format!("/cases/{id}/quick-scan"),
                format!("/cases/{id}/letters/quick_scan_invitation"),
                format!("/api/v1/cases/{id}"),
                format!("/api/v1/audit?case={id}"),
            ] {
                let (status, body) = s.get_bytes(&c, &path).await;
                // The admin's audit query answers an empty list for an unknown case.
                let empty = serde_json::from_slice::<Value>(&body)
                    .ok()
                    .and_then(|v| v.as_array().map(Vec::is_empty))
                    .unwrap_or(false);
                assert!(
                    matches!(status.as_u16(), 400 | 403 | 404)
                        || (status == StatusCode::OK && empty),
                    "{user} {path}: {status} {}",
                    String::from_utf8_lossy(&body)
                );
                assert_eq!(leak(&body), None, "{user} {path}");
            }
            let (status, body) = s
                .post_bytes(
                    &c,
                    &format!("/api/v1/cases/{id}/events"),
                    json!({"type": "coordinator_contact", "date": "2026-11-20", "channel": "phone"}),
                )
                .await;
            assert!(
                matches!(status.as_u16(), 400 | 403 | 404 | 422),
                "{user} writes {id}: {status}"
            );
            assert_eq!(leak(&body), None, "{user} writes {id}");
        }
    }
    assert!(pages > 100, "the crawl reached {pages} pages");

    // The aggregates count fund A only: fund A's analyst sees as many dossiers in the
    // figures as fund A holds.
    let fund_a = s.with_store(|store| store.counts(Some("fund-a")).unwrap().cases);
    let analyst = s.login_as("analyst", PW).await;
    let (_, csv) = s.get_bytes(&analyst, "/reports/figures.csv").await;
    let csv = String::from_utf8(csv).unwrap();
    // The outcome rows: coached and not coached, the dossiers of the period in column 3.
    let counted: u64 = csv
        .lines()
        .filter(|l| l.starts_with("outcomes,"))
        .map(|l| l.split(',').nth(2).unwrap().parse::<u64>().unwrap())
        .sum();
    assert_eq!(
        counted, fund_a,
        "fund A's figures count fund A's dossiers:\n{csv}"
    );
    // And nothing fund A's users did changed fund B.
    assert_eq!(fund_b_counts(), fund_b_before);
}
