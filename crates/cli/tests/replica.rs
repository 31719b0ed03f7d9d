//! `tnw serve --read-db`: a real streaming replica (a hot standby of the test cluster).
//! Reads that write nothing go to the replica, a user always reads their own writes,
//! and the primary answers when the replica is gone.

mod common;

use common::{generated_postgres, login, run, serve, PASSWORD};
use std::time::{Duration, Instant};

fn request(port: u16, method: &str, path: &str, cookie: &str, body: &str) -> (u16, String) {
    common::request(port, method, path, cookie, body)
        .unwrap_or_else(|| panic!("no answer to {method} {path}"))
}

/// The caller's worklist rows for `case` (task codes).
fn tasks_of(port: u16, cookie: &str, case: &str) -> Vec<String> {
    let (status, body) = request(port, "GET", "/api/v1/worklist?limit=1000", cookie, "");
    assert_eq!(status, 200, "worklist: {body}");
    let rows: Vec<serde_json::Value> = serde_json::from_str(&body).unwrap();
    rows.iter()
        .filter(|r| r["case"] == case)
        .map(|r| r["task"].as_str().unwrap().to_owned())
        .collect()
}

fn wait_until(what: &str, mut ok: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while !ok() {
        assert!(Instant::now() < deadline, "timed out waiting: {what}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn reads_go_to_the_replica_but_never_miss_the_users_own_writes() {
    let (primary, url) = generated_postgres(200, 9);
    run(&url, &["user", "add", "ann", "--role", "coordinator"]);
    run(&url, &["user", "add", "bob", "--role", "coordinator"]);
    let replica = primary.start_replica().unwrap();
    let replica_url = url.replace(
        &format!(":{}/", primary.port()),
        &format!(":{}/", replica.port()),
    );
    let (server, port) = serve(&url, &["--read-db", &replica_url]);
    let (ann, bob) = (login(port, "ann", PASSWORD), login(port, "bob", PASSWORD));

    // A dossier with an open chase-the-quick-scan task for the coordinators.
    let (_, body) = request(port, "GET", "/api/v1/worklist?limit=1000", &ann, "");
    let rows: Vec<serde_json::Value> = serde_json::from_str(&body).unwrap();
    let case = rows
        .iter()
        .find(|r| r["task"] == "chase_quick_scan")
        .unwrap_or_else(|| panic!("no quick scan to chase in {body}"))["case"]
        .as_str()
        .unwrap()
        .to_owned();
    wait_until("the replica has the data", || {
        tasks_of(port, &bob, &case).contains(&"chase_quick_scan".to_owned())
    });

    // The replica stops replaying: what it serves now stays as it is.
    let mut standby = postgres::Client::connect(&replica_url, postgres::NoTls).unwrap();
    standby
        .batch_execute("SELECT pg_wal_replay_pause()")
        .unwrap();
    let event = r#"{"type":"quick_scan_reminder","date":"2026-11-22"}"#;
    let (status, answer) = request(
        port,
        "POST",
        &format!("/api/v1/cases/{case}/events"),
        &ann,
        event,
    );
    assert_eq!(status, 201, "{answer}");
    assert!(
        !tasks_of(port, &ann, &case).contains(&"chase_quick_scan".to_owned()),
        "ann reads her own write although the replica has not replayed it"
    );
    assert!(
        tasks_of(port, &bob, &case).contains(&"chase_quick_scan".to_owned()),
        "bob's worklist comes from the paused replica"
    );

    standby
        .batch_execute("SELECT pg_wal_replay_resume()")
        .unwrap();
    wait_until("the replica catches up", || {
        !tasks_of(port, &bob, &case).contains(&"chase_quick_scan".to_owned())
    });

    // A graceful stop closes the primary's and the replica's pooled connections.
    let stopped = server.stop();
    assert!(stopped.success(), "the server's exit on SIGTERM: {stopped}");

    // The replica goes away: the primary answers.
    let (_server, port) = serve(&url, &["--read-db", &replica_url]);
    let bob = login(port, "bob", PASSWORD);
    drop(standby);
    drop(replica);
    let (status, body) = request(port, "GET", "/api/v1/worklist?limit=5", &bob, "");
    assert_eq!(status, 200, "without the replica: {body}");
}
