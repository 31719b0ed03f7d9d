//! A throw-away PostgreSQL cluster for tests: `initdb` into a temporary directory,
//! `pg_ctl start` listening on 127.0.0.1 (a free port) and on a unix socket in that
//! directory, one database per test, stopped and removed on drop, or by a watchdog
//! process when the test process ends without dropping it (exit, panic, kill -9).
//!
//! The server binaries are Debian's (`/usr/lib/postgresql/<version>/bin`, the newest
//! version found) or `initdb`/`pg_ctl` on the `PATH`. When they are missing this fails
//! with a message saying so: tests never skip silently. `initdb` refuses to run as root,
//! so under uid 0 the server runs as the `postgres` system user (`runuser`), owner of the
//! temporary directory.

use std::os::unix::process::CommandExt;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};

#[derive(Debug, thiserror::Error)]
pub enum ClusterError {
    #[error(
        "PostgreSQL server binaries (initdb, pg_ctl) not found in /usr/lib/postgresql/*/bin \
         or on PATH: install them (`apt-get install -y postgresql`; scripts/test does)"
    )]
    NotInstalled,
    #[error("running as root needs the `postgres` system user to run the server: {0}")]
    NoPostgresUser(String),
    #[error("{what}: {detail}")]
    Failed { what: String, detail: String },
}

fn failed(what: &str, detail: impl std::fmt::Display) -> ClusterError {
    ClusterError::Failed {
        what: what.to_owned(),
        detail: detail.to_string(),
    }
}

/// A running test cluster. Dropping it stops the server and removes its files.
pub struct PgCluster {
    dir: tempfile::TempDir,
    bin: PathBuf,
    /// Run the server binaries through `runuser -u postgres` (we are root).
    as_postgres: bool,
    port: u16,
    next_db: AtomicU32,
    /// Stops the server and removes the directory once its stdin (held by us) closes:
    /// when this process ends, however it ends.
    watchdog: Option<Child>,
}

/// The cluster shared by the tests of one test process.
static SHARED: Mutex<Option<Arc<PgCluster>>> = Mutex::new(None);

/// The cluster of this test process: started by the first test that asks and kept to
/// the end of the process (one `initdb` per test binary, not per test); its watchdog
/// stops and removes it then.
pub fn shared() -> Result<Arc<PgCluster>, ClusterError> {
    let mut slot = SHARED.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(c) = slot.as_ref() {
        return Ok(c.clone());
    }
    let c = Arc::new(PgCluster::start()?);
    *slot = Some(c.clone());
    Ok(c)
}

/// The directory holding `initdb` and `pg_ctl`: Debian's newest version, else `PATH`.
fn find_bin() -> Result<PathBuf, ClusterError> {
    crate::programs_dir(&["initdb", "pg_ctl"]).ok_or(ClusterError::NotInstalled)
}

fn output(cmd: &mut Command, what: &str) -> Result<String, ClusterError> {
    let out = cmd.output().map_err(|e| failed(what, e))?;
    if !out.status.success() {
        return Err(failed(
            what,
            format!(
                "{}\n{}{}",
                out.status,
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            ),
        ));
    }
    Ok(String::from_utf8_lossy(&out.stdout).trim().to_owned())
}

fn id(args: &[&str]) -> Result<u32, ClusterError> {
    let s = output(Command::new("id").args(args), "id")?;
    s.parse().map_err(|e| failed("id", e))
}

/// A port nobody listens on now (the server binds it a moment later; a lost race makes
/// the start fail and it is tried again on another port).
fn free_port() -> Result<u16, ClusterError> {
    let l = std::net::TcpListener::bind("127.0.0.1:0").map_err(|e| failed("free port", e))?;
    Ok(l.local_addr().map_err(|e| failed("free port", e))?.port())
}

impl PgCluster {
    /// A cluster value for a new directory, not yet initialised or started.
    fn unstarted() -> Result<PgCluster, ClusterError> {
        let bin = find_bin()?;
        let as_postgres = id(&["-u"])? == 0;
        let dir = tempfile::Builder::new()
            .prefix("tnw-pg-")
            .tempdir()
            .map_err(|e| failed("temporary directory", e))?;
        if as_postgres {
            let uid =
                id(&["-u", "postgres"]).map_err(|e| ClusterError::NoPostgresUser(e.to_string()))?;
            let gid =
                id(&["-g", "postgres"]).map_err(|e| ClusterError::NoPostgresUser(e.to_string()))?;
            std::os::unix::fs::chown(dir.path(), Some(uid), Some(gid))
                .map_err(|e| failed("chown of the cluster directory", e))?;
        }
        Ok(PgCluster {
            dir,
            bin,
            as_postgres,
            port: 0,
            next_db: AtomicU32::new(0),
            watchdog: None,
        })
    }

    /// Starts on a free port, trying another when the chosen one was taken meanwhile.
    fn start_on_free_port(mut self) -> Result<PgCluster, ClusterError> {
        let mut last = None;
        for _ in 0..5 {
            self.port = free_port()?;
            match self.pg_ctl_start() {
                Ok(()) => {
                    self.watchdog = Some(self.start_watchdog()?);
                    return Ok(self);
                }
                Err(e) => last = Some(e),
            }
        }
        Err(last.unwrap_or_else(|| failed("pg_ctl start", "no attempt")))
    }

    /// A streaming replica of this cluster (a hot standby: `pg_basebackup -R`), on its
    /// own port, for the read-replica tests.
    pub fn start_replica(&self) -> Result<PgCluster, ClusterError> {
        let replica = PgCluster::unstarted()?;
        output(
            replica
                .command("pg_basebackup")
                .args([
                    "-h",
                    "127.0.0.1",
                    "-p",
                    &self.port.to_string(),
                    "-U",
                    "postgres",
                ])
                .arg("-D")
                .arg(replica.data_dir())
                .args(["-R", "-X", "stream", "--no-sync", "--checkpoint=fast"]),
            "pg_basebackup",
        )?;
        replica.start_on_free_port()
    }

    /// Initialises and starts a new cluster.
    pub fn start() -> Result<PgCluster, ClusterError> {
        let cluster = PgCluster::unstarted()?;
        let data = cluster.data_dir();
        output(
            cluster.command("initdb").arg("-D").arg(&data).args([
                "-U",
                "postgres",
                "-A",
                "trust",
                "-E",
                "UTF8",
                "--locale=C",
                "--no-sync",
            ]),
            "initdb",
        )?;
        cluster.start_on_free_port()
    }

    fn data_dir(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    fn command(&self, program: &str) -> Command {
        let exe = self.bin.join(program);
        if self.as_postgres {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(exe);
            c
        } else {
            Command::new(exe)
        }
    }

    fn pg_ctl_start(&self) -> Result<(), ClusterError> {
        // Durability is irrelevant for a throw-away cluster: no fsync, faster tests.
        // Visibility and locking, what the tests check, are unchanged.
        let options = format!(
            "-c listen_addresses=127.0.0.1 -p {} -k {} -c fsync=off \
             -c synchronous_commit=off -c full_page_writes=off",
            self.port,
            self.dir.path().display()
        );
        let log = self.dir.path().join("server.log");
        let started = output(
            self.command("pg_ctl")
                .arg("-D")
                .arg(self.data_dir())
                .arg("-l")
                .arg(&log)
                .args(["-w", "-t", "60", "-o", &options, "start"]),
            "pg_ctl start",
        );
        started.map(|_| ()).map_err(|e| {
            let server = std::fs::read_to_string(&log).unwrap_or_default();
            failed("pg_ctl start", format!("{e}\nserver log:\n{server}"))
        })
    }

    fn pg_ctl_stop(&self) -> Command {
        // Immediate: nothing to keep.
        let mut c = self.command("pg_ctl");
        c.arg("-D")
            .arg(self.data_dir())
            .args(["-m", "immediate", "-w", "stop"]);
        c
    }

    /// A shell that waits for the end of its stdin, then stops the server and removes
    /// the directory. Its own process group and ignored hang-up and interrupt signals:
    /// a Ctrl-C that ends the tests must not end it first. The pipe is close-on-exec,
    /// so processes the tests start do not hold it open.
    fn start_watchdog(&self) -> Result<Child, ClusterError> {
        let stop = self.pg_ctl_stop();
        Command::new("sh")
            .arg("-c")
            .arg(r#"trap '' HUP INT; cat >/dev/null; dir=$1; shift; "$@"; rm -rf "$dir""#)
            .arg("tnw-pg-watchdog")
            .arg(self.dir.path())
            .arg(stop.get_program())
            .args(stop.get_args())
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .process_group(0)
            .spawn()
            .map_err(|e| failed("starting the cluster's watchdog", e))
    }

    /// The port the server listens on (127.0.0.1).
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The URL of database `name` on this cluster.
    pub fn url(&self, name: &str) -> String {
        format!("postgres://postgres@127.0.0.1:{}/{name}", self.port)
    }

    /// Creates a new, empty database and returns its URL.
    pub fn fresh_database(&self) -> Result<String, ClusterError> {
        let n = self.next_db.fetch_add(1, Ordering::Relaxed);
        // The name is ours (a counter), never input: DDL cannot take it as a parameter.
        let name = format!("tnw_test_{n}");
        let mut admin = postgres::Client::connect(&self.url("postgres"), postgres::NoTls)
            .map_err(|e| failed("connecting to the test cluster", e))?;
        admin
            .batch_execute(&format!("CREATE DATABASE {name}"))
            .map_err(|e| failed("CREATE DATABASE", e))?;
        Ok(self.url(&name))
    }
}

impl Drop for PgCluster {
    fn drop(&mut self) {
        // Stopped here instead; the directory goes with `dir` afterwards.
        if let Some(mut w) = self.watchdog.take() {
            let _ = w.kill();
            let _ = w.wait();
        }
        let _ = self.pg_ctl_stop().output();
    }
}
