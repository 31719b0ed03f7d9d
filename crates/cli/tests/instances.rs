//! Two `tnw serve` processes on one PostgreSQL database (a throw-away cluster on
//! loopback), as a fund would run them behind a load balancer: both plan and send the
//! staff reminders every second to one real SMTP server, and clients record events in
//! the same dossiers through both at once. Each reminder must arrive once, every
//! acknowledged event must be stored once, and each dossier's stored facts (what its
//! tasks are computed from) must be those of its whole stored log.

mod common;

use common::{generated_postgres, login, request, run, Server, PASSWORD};
use std::time::{Duration, Instant};
use tnw_domain::facts::CaseFacts;
use tnw_domain::CaseKey;
use tnw_storage::prelude::*;
use tnw_storage_postgres::PgStore;
use tnw_testkit::Sink;

const DOCTORS: usize = 4;

fn post(port: u16, path: &str, cookie: &str, body: &str) -> (u16, String) {
    request(port, "POST", path, cookie, body)
        .unwrap_or_else(|| panic!("no answer from port {port}"))
}

/// A server with the reminders every second; its port.
fn serve(url: &str, smtp_port: u16) -> (Server, u16) {
    let smtp = format!("smtp://127.0.0.1:{smtp_port}");
    common::serve(url, &["--smtp", &smtp, "--reminder-every", "1"])
}

#[test]
fn two_servers_on_one_postgres_share_reminders_and_writes() {
    let (_cluster, url) = generated_postgres(300, 5);
    run(&url, &["user", "add", "coord", "--role", "coordinator"]);
    for d in 0..DOCTORS {
        let email = format!("doc{d}@fund.example");
        run(
            &url,
            &[
                "user",
                "add",
                &format!("doc{d}"),
                "--role",
                "advisory_doctor",
                "--email",
                &email,
            ],
        );
    }

    let sink = Sink::start(0).unwrap();
    let servers = [serve(&url, sink.port), serve(&url, sink.port)];
    let cookies: Vec<String> = servers
        .iter()
        .map(|s| login(s.1, "coord", PASSWORD))
        .collect();

    // Two dossiers that accept a return to work, written to by eight clients at once,
    // four through each server; every body distinct (the percentage).
    let mut targets = Vec::new();
    for n in 1..=300 {
        let case = format!("C{n:07}");
        let body = r#"{"type":"work_resumed","date":"2026-11-20","extent":"part_time","percent":99,"same_employer":true,"same_job":true,"adaptations":false}"#;
        let (status, _) = post(
            servers[0].1,
            &format!("/api/v1/cases/{case}/events"),
            &cookies[0],
            body,
        );
        if status == 201 {
            targets.push(case);
        }
        if targets.len() == 2 {
            break;
        }
    }
    assert_eq!(targets.len(), 2, "two dossiers accept a return to work");
    const CLIENTS: usize = 8;
    const WRITES: usize = 25;
    let acknowledged: Vec<(String, String, u32)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..CLIENTS)
            .map(|c| {
                let (port, cookie) = (servers[c % 2].1, cookies[c % 2].clone());
                let targets = &targets;
                scope.spawn(move || {
                    let mut acked = Vec::new();
                    for i in 0..WRITES {
                        let case = &targets[i % targets.len()];
                        let percent = (i + 1) as u32;
                        let date = format!("2026-11-{:02}", 10 + c);
                        let body = format!(
                            r#"{{"type":"work_resumed","date":"{date}","extent":"part_time","percent":{percent},"same_employer":true,"same_job":false,"adaptations":true}}"#
                        );
                        let (status, answer) =
                            post(port, &format!("/api/v1/cases/{case}/events"), &cookie, &body);
                        assert_eq!(status, 201, "write {date}/{percent} to {case}: {answer}");
                        acked.push((case.clone(), date, percent));
                    }
                    acked
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap())
            .collect()
    });
    assert_eq!(acknowledged.len(), CLIENTS * WRITES);

    // Reminder rounds run every second on both servers: wait for several.
    let deadline = Instant::now() + Duration::from_secs(20);
    while sink.messages().len() < DOCTORS && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(200));
    }
    std::thread::sleep(Duration::from_secs(3));
    drop(servers);

    let messages = sink.messages();
    for d in 0..DOCTORS {
        let to = format!("doc{d}@fund.example");
        let n = messages.iter().filter(|m| m.contains(&to)).count();
        assert_eq!(n, 1, "{to} got {n} reminders for one day");
    }
    assert_eq!(messages.len(), DOCTORS, "no other reminders");

    let mut store = PgStore::connect(&url).unwrap();
    let keys: Vec<CaseKey> = targets.iter().map(|t| CaseKey::from_str_id(t)).collect();
    let cases: Vec<_> = store
        .load_cases("default", &keys)
        .unwrap()
        .into_iter()
        .map(Option::unwrap)
        .collect();
    for (case, date, percent) in &acknowledged {
        let stored = cases.iter().find(|c| c.key.to_string() == *case).unwrap();
        let needle = format!(r#""percent":{percent},"#);
        let n = stored
            .events
            .iter()
            .filter(|e| e.body.contains(&needle) && e.date.to_string() == *date)
            .count();
        assert_eq!(n, 1, "event {date}/{percent} of {case} stored {n} times");
    }
    let stored_events: usize = cases.iter().map(|c| c.events.len()).sum();
    let mut facts = std::collections::HashMap::new();
    store
        .scan_facts(Some("default"), 1000, &mut |rows| {
            for r in rows {
                facts.insert(r.key.to_string(), r.facts);
            }
            Ok(())
        })
        .unwrap();
    for case in &cases {
        let mut events = tnw_app::timeline::parse_events(case).unwrap();
        events.sort_by_key(|(date, seq, _)| (*date, *seq));
        let whole = CaseFacts::from_events(events.iter().map(|(d, _, e)| (*d, e)))
            .unwrap()
            .encode();
        assert_eq!(
            facts.get(&case.key.to_string()),
            Some(&whole),
            "the stored facts of {} are those of its whole log",
            case.key
        );
    }
    assert!(stored_events >= 2 + CLIENTS * WRITES);
}
