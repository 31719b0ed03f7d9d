//! Crash safety on real SQLite files and on PostgreSQL databases (a throw-away cluster
//! on loopback): `kill -9` of `tnw` at random moments during an import and during API
//! writes, then restart. No partial event, no duplicate, no lost acknowledged write; an
//! interrupted import re-run finishes the job.

use std::collections::BTreeMap;
mod common;

use common::{free_port, healthy, login, request};

use std::process::{Child, Command, Output, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tnw_domain::CaseKey;
use tnw_testkit::{on_both_backends, Backend, FreshDb as Db};

on_both_backends!(
    sync an_import_killed_at_random_moments_resumes_to_the_same_result,
    sync api_writes_acknowledged_before_a_kill_survive_it_once,
);

fn tnw(db: &Db, args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_tnw"));
    c.args(args)
        .env("TNW_DB", db.address())
        .env_remove("TNW_ORG")
        .env_remove("TNW_RULES_DIR")
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    c
}

fn run(db: &Db, args: &[&str]) -> Output {
    let out = tnw(db, args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "tnw {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// A small deterministic generator of random delays (no dependency needed).
struct Lcg(u64);
impl Lcg {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % n.max(1)
    }
}

/// Every stored dossier: a whole history starting with its opening. Returns each
/// case's events (fingerprint and body), sorted: a multiset to compare.
fn check_store(db: &Db) -> BTreeMap<String, Vec<(u64, String)>> {
    // Opening first: a process killed before its first migration committed leaves a
    // database without tables, which opening migrates (migrations are transactions).
    let mut store = db.open();
    if let Some(path) = db.sqlite_path() {
        let conn = rusqlite::Connection::open(path).unwrap();
        let ok: String = conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .unwrap();
        assert_eq!(ok, "ok");
    }
    // Every stored dossier, of any fund (the imports here all go to `default`).
    let mut keys: Vec<CaseKey> = Vec::new();
    store
        .scan_facts(None, 500, &mut |rows| {
            keys.extend(rows.into_iter().map(|r| r.key));
            Ok(())
        })
        .unwrap();
    let mut out = BTreeMap::new();
    for chunk in keys.chunks(500) {
        let loaded = store.load_cases("default", chunk).unwrap();
        assert!(
            loaded.iter().all(Option::is_some),
            "a stored dossier that loads as unknown"
        );
        for case in loaded.into_iter().flatten() {
            assert!(
                case.events
                    .first()
                    .is_some_and(|e| e.kind.as_str() == "case_opened"),
                "{}: a dossier without its opening",
                case.key
            );
            let mut events: Vec<(u64, String)> = case
                .events
                .iter()
                .map(|e| (e.fingerprint, e.body.clone()))
                .collect();
            events.sort();
            out.insert(case.key.to_string(), events);
        }
    }
    out
}

/// `part` holds no event more often than `whole` does.
fn contained(part: &[(u64, String)], whole: &[(u64, String)]) -> bool {
    let mut rest = whole.to_vec();
    part.iter().all(|e| match rest.iter().position(|w| w == e) {
        Some(i) => {
            rest.swap_remove(i);
            true
        }
        None => false,
    })
}

fn an_import_killed_at_random_moments_resumes_to_the_same_result(backend: Backend) {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("events.jsonl");
    let scratch = Db::named(Backend::Sqlite, dir.path(), "scratch");
    run(
        &scratch,
        &[
            "gen",
            "--cases",
            "4000",
            "--seed",
            "7",
            "--out",
            data.to_str().unwrap(),
        ],
    );
    // The reference: one uninterrupted import.
    let reference = Db::named(backend, dir.path(), "reference");
    let started = Instant::now();
    run(&reference, &["import", "events", data.to_str().unwrap()]);
    let clean_time = started.elapsed();
    let expected = check_store(&reference);
    let expected_due = run(&reference, &["due", "--as-of", "2026-11-22", "--json"]).stdout;

    let db = Db::named(backend, dir.path(), "crashed");
    let mut rng = Lcg(0x7e57);
    let mut killed_midway = 0;
    for round in 0..10 {
        let mut child: Child = tnw(&db, &["import", "events", data.to_str().unwrap()])
            .spawn()
            .unwrap();
        let ms = rng.below(clean_time.as_millis() as u64 + 50);
        std::thread::sleep(Duration::from_millis(ms));
        if child.try_wait().unwrap().is_none() {
            killed_midway += 1;
        }
        child.kill().ok(); // SIGKILL
        child.wait().unwrap();
        // Whatever made it in is whole: every dossier opened, no event twice, and never
        // more than the file holds.
        let now = check_store(&db);
        for (case, events) in &now {
            let whole = expected.get(case).map(Vec::as_slice).unwrap_or(&[]);
            assert!(
                contained(events, whole),
                "round {round}: {case} holds events the file does not, or one twice"
            );
        }
    }
    assert!(
        killed_midway >= 3,
        "only {killed_midway} kills hit a running import"
    );
    // Re-running the import finishes the job: the same dossiers, events and deadlines.
    run(&db, &["import", "events", data.to_str().unwrap()]);
    assert_eq!(check_store(&db), expected);
    let due = run(&db, &["due", "--as-of", "2026-11-22", "--json"]).stdout;
    assert!(
        due == expected_due,
        "the deadlines differ after the crashes"
    );
}

fn opened(case: &str) -> String {
    format!(
        r#"{{"case":"{case}","type":"case_opened","date":"2026-01-05","person":{{"id":"P-{case}","name":"Jan Janssens","birth_date":"1975-03-01","sex":"m","language":"nl","region":"flanders"}},"scheme":"employee","employer":{{"id":"E1","name":"Acme NV"}},"regime":"full_time","work_type":"manual","sector":"C","condition":"mental","incapacity_start":"2026-01-05"}}"#
    )
}

fn serve(db: &Db, port: u16) -> Child {
    let mut child = tnw(
        db,
        &[
            "serve",
            "--addr",
            &format!("127.0.0.1:{port}"),
            "--insecure-cookies",
            "--today",
            "2026-11-22",
        ],
    )
    .spawn()
    .unwrap();
    if !healthy(port) {
        child.kill().ok();
        child.wait().ok();
        panic!("the server did not start");
    }
    child
}

fn api_writes_acknowledged_before_a_kill_survive_it_once(backend: Backend) {
    let dir = tempfile::tempdir().unwrap();
    let db = Db::named(backend, dir.path(), "tnw");
    let cases: Vec<String> = (1..=8).map(|i| format!("K{i}")).collect();
    let mut lines = Vec::new();
    for c in &cases {
        lines.push(opened(c));
        lines.push(format!(r#"{{"case":"{c}","type":"referred_to_coordinator","date":"2026-02-01","initiative":"member"}}"#));
        lines.push(format!(r#"{{"case":"{c}","type":"coordinator_contact","date":"2026-02-02","mode":"phone","first":true}}"#));
    }
    let file = dir.path().join("setup.jsonl");
    std::fs::write(&file, lines.join("\n") + "\n").unwrap();
    run(&db, &["import", "events", file.to_str().unwrap()]);
    let out = tnw(
        &db,
        &[
            "user",
            "add",
            "coordinator",
            "--role",
            "coordinator",
            "--org",
            "default",
        ],
    )
    .env("TNW_PASSWORD", "crash test password")
    .status()
    .unwrap();
    assert!(out.success());

    let acknowledged = Arc::new(Mutex::new(Vec::<String>::new()));
    let mut rng = Lcg(0xdead);
    for round in 0..6 {
        let port = free_port();
        let mut server = serve(&db, port);
        let cookie = login(port, "coordinator", "crash test password");
        let workers: Vec<_> = (0..4)
            .map(|t| {
                let (cookie, cases, acked) =
                    (cookie.clone(), cases.clone(), acknowledged.clone());
                std::thread::spawn(move || {
                    for i in 0.. {
                        let note = format!("r{round}-t{t}-{i}");
                        let case = &cases[(t + i) % cases.len()];
                        let body = format!(
                            r#"{{"type":"coordinator_contact","date":"2026-03-01","mode":"phone","first":false,"notes":"{note}"}}"#
                        );
                        match request(port, "POST", &format!("/api/v1/cases/{case}/events"), &cookie, &body) {
                            Some((201, _)) => acked.lock().unwrap().push(note),
                            Some((status, body)) => panic!("{note}: {status} {body}"),
                            None => break, // the server is gone
                        }
                    }
                })
            })
            .collect();
        std::thread::sleep(Duration::from_millis(150 + rng.below(500)));
        server.kill().unwrap(); // SIGKILL, mid-write
        server.wait().unwrap();
        for w in workers {
            w.join().unwrap();
        }
    }
    let acked = acknowledged.lock().unwrap().clone();
    assert!(acked.len() > 50, "only {} writes acknowledged", acked.len());
    // After the last kill: every acknowledged write is there exactly once, the rest
    // (sent, never answered) at most once, and every dossier whole.
    check_store(&db);
    let mut store = db.open();
    let keys: Vec<CaseKey> = cases.iter().map(|c| CaseKey::from_str_id(c)).collect();
    let mut notes: BTreeMap<String, usize> = BTreeMap::new();
    for case in store
        .load_cases("default", &keys)
        .unwrap()
        .into_iter()
        .flatten()
    {
        for e in &case.events {
            let v: serde_json::Value = serde_json::from_str(&e.body).unwrap();
            if let Some(n) = v.get("notes").and_then(|n| n.as_str()) {
                *notes.entry(n.to_owned()).or_default() += 1;
            }
        }
    }
    for note in &acked {
        assert_eq!(notes.get(note), Some(&1), "acknowledged write {note}");
    }
    assert!(notes.values().all(|n| *n == 1), "a write stored twice");
    drop(store);
    // And the server starts again on the crashed database.
    let port = free_port();
    let mut server = serve(&db, port);
    server.kill().unwrap();
    server.wait().unwrap();
}
