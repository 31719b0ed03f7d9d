//! What the CLI tests that run `tnw serve` share: plain HTTP/1.1 over loopback (one
//! request per connection, so a killed server shows as no answer), logging in, and
//! waiting for a server to come up.

#![allow(dead_code)] // each test binary uses its own part

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

/// One request on a fresh connection: status, head and body, or `None` when the
/// server went away before answering.
pub fn http(port: u16, req: &str) -> Option<(u16, String, String)> {
    let mut s = TcpStream::connect(("127.0.0.1", port)).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(20))).ok()?;
    s.write_all(req.as_bytes()).ok()?;
    let mut buf = Vec::new();
    s.read_to_end(&mut buf).ok()?;
    let text = String::from_utf8_lossy(&buf).into_owned();
    let status = text.split(' ').nth(1)?.parse().ok()?;
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    Some((status, head.to_owned(), body.to_owned()))
}

/// A JSON request with the session cookie: status and body, or `None` as [`http`].
pub fn request(
    port: u16,
    method: &str,
    path: &str,
    cookie: &str,
    body: &str,
) -> Option<(u16, String)> {
    http(
        port,
        &format!(
            "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Type: application/json\r\nCookie: {cookie}\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        ),
    )
    .map(|(status, _, body)| (status, body))
}

/// Logs in through the API; the session cookie as a `Cookie` header value.
pub fn login(port: u16, user: &str, password: &str) -> String {
    let body = format!(r#"{{"username":"{user}","password":"{password}"}}"#);
    let (status, head, answer) = http(
        port,
        &format!(
            "POST /api/v1/session HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        ),
    )
    .expect("an answer to the login");
    assert_eq!(status, 200, "login {user}: {answer}");
    let line = head
        .lines()
        .find(|l| l.to_ascii_lowercase().starts_with("set-cookie:"))
        .unwrap_or_else(|| panic!("no session: {head}"));
    let value = line.split_once(':').expect("a header").1;
    value
        .trim()
        .split(';')
        .next()
        .unwrap_or_default()
        .to_owned()
}

/// A loopback port nobody listens on now.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Whether the server on `port` answers `/healthz` within 60 seconds.
pub fn healthy(port: u16) -> bool {
    let deadline = Instant::now() + Duration::from_secs(60);
    let health = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
    while Instant::now() < deadline {
        if let Some((200, _, _)) = http(port, health) {
            return true;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    false
}

/// A server process, killed when dropped (also when an assertion fails).
pub struct Server(pub std::process::Child);

impl Server {
    /// A graceful stop (SIGTERM); how the process ended.
    pub fn stop(mut self) -> std::process::ExitStatus {
        let term = std::process::Command::new("kill")
            .args(["-TERM", &self.0.id().to_string()])
            .status()
            .expect("kill runs");
        assert!(term.success(), "SIGTERM delivered");
        self.0.wait().expect("the server ends")
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.0.kill().ok();
        self.0.wait().ok();
    }
}

/// The password every user the CLI tests create gets (`TNW_PASSWORD`).
pub const PASSWORD: &str = "cli test password";

/// `tnw --db DB ARGS`, users created with [`PASSWORD`].
pub fn tnw(db: &str, args: &[&str]) -> std::process::Command {
    let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_tnw"));
    c.arg("--db")
        .arg(db)
        .args(args)
        .env("TNW_PASSWORD", PASSWORD)
        .stdin(std::process::Stdio::null());
    c
}

/// Runs [`tnw`], which must succeed; its standard output.
pub fn run(db: &str, args: &[&str]) -> String {
    let out = tnw(db, args).output().expect("tnw runs");
    assert!(
        out.status.success(),
        "tnw {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// `tnw serve` on `db` (today fixed to 2026-11-22, plain-HTTP cookies) with `extra`
/// options, on a free port, up and answering; the server and its port.
pub fn serve(db: &str, extra: &[&str]) -> (Server, u16) {
    let port = free_port();
    let addr = format!("127.0.0.1:{port}");
    let mut args = vec![
        "serve",
        "--addr",
        &addr,
        "--insecure-cookies",
        "--today",
        "2026-11-22",
    ];
    args.extend_from_slice(extra);
    let child = tnw(db, &args)
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("tnw serve starts");
    let server = Server(child);
    assert!(healthy(port), "the server did not start");
    (server, port)
}

/// A fresh database on the test cluster filled with `tnw gen --cases N --seed S`; the
/// cluster (kept while the test runs) and the database's URL.
pub fn generated_postgres(
    cases: u32,
    seed: u32,
) -> (
    std::sync::Arc<tnw_storage_postgres::testing::PgCluster>,
    String,
) {
    let cluster = tnw_storage_postgres::testing::shared().expect("the test cluster");
    let url = cluster.fresh_database().expect("a fresh database");
    let dir = tempfile::tempdir().expect("a temporary directory");
    let file = dir.path().join("events.jsonl");
    let file = file.to_str().expect("a UTF-8 path");
    let (cases, seed) = (cases.to_string(), seed.to_string());
    run(
        &url,
        &["gen", "--cases", &cases, "--seed", &seed, "--out", file],
    );
    run(&url, &["import", "events", file]);
    (cluster, url)
}
