//! `tnw audit verify`, `tnw backup` and `tnw restore` end to end on real SQLite files,
//! tampered with directly.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

struct Env {
    dir: tempfile::TempDir,
}

impl Env {
    fn new() -> Env {
        Env {
            dir: tempfile::tempdir().unwrap(),
        }
    }
    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }
    fn file(&self, name: &str, lines: &[String]) -> PathBuf {
        let p = self.path(name);
        std::fs::write(&p, lines.join("\n") + "\n").unwrap();
        p
    }
    /// Runs tnw on database `db` (a file name in the directory).
    fn tnw(&self, db: &str, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_tnw"))
            .args(args)
            .env("TNW_DB", self.path(db))
            .env_remove("TNW_ORG")
            .env_remove("TNW_RULES_DIR")
            .current_dir(self.dir.path())
            .output()
            .unwrap()
    }
}

fn s(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn opened(case: &str, date: &str) -> String {
    format!(
        r#"{{"case":"{case}","type":"case_opened","date":"{date}","person":{{"id":"P-{case}","name":"Marie Dubois","birth_date":"1982-07-14","sex":"f","language":"fr","region":"wallonia"}},"scheme":"employee","employer":{{"id":"E7","name":"Boulangerie SA"}},"regime":"part_time","work_type":"manual","sector":"G","condition":"mental","incapacity_start":"{date}"}}"#
    )
}

fn p(path: &Path) -> &str {
    path.to_str().unwrap()
}

fn ok(out: &Output) -> String {
    assert!(
        out.status.success(),
        "{}\n{}",
        s(&out.stdout),
        s(&out.stderr)
    );
    s(&out.stdout)
}

/// A database with audit entries from imports (one per batch) and audited reads
/// (`tnw timeline`): 2 imports + 3 reads = 5 entries.
fn audited_db(env: &Env, db: &str) {
    let first = env.file("first.jsonl", &[opened("A1", "2023-01-02")]);
    let second = env.file(
        "second.jsonl",
        &[opened("A2", "2023-02-01"), opened("A3", "2023-03-01")],
    );
    ok(&env.tnw(db, &["import", "events", p(&first)]));
    ok(&env.tnw(db, &["import", "events", p(&second)]));
    for case in ["A1", "A2", "A3"] {
        ok(&env.tnw(db, &["timeline", case, "--as-of", "2023-05-01"]));
    }
}

fn sql(env: &Env, db: &str, statement: &str) {
    let c = rusqlite::Connection::open(env.path(db)).unwrap();
    assert_eq!(c.execute(statement, []).unwrap(), 1, "{statement}");
}

fn audit_ids(env: &Env, db: &str) -> Vec<i64> {
    let c = rusqlite::Connection::open(env.path(db)).unwrap();
    let mut stmt = c.prepare("SELECT id FROM audit ORDER BY id").unwrap();
    let ids = stmt
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    ids
}

fn copy(env: &Env, from: &str, to: &str) {
    std::fs::copy(env.path(from), env.path(to)).unwrap();
}

#[test]
fn audit_verify_names_an_altered_or_removed_entry() {
    let env = Env::new();
    audited_db(&env, "tnw.db");
    assert_eq!(audit_ids(&env, "tnw.db"), vec![1, 2, 3, 4, 5]);
    let out = ok(&env.tnw("tnw.db", &["audit", "verify"]));
    assert!(out.contains("audit chain intact: 5 entries"), "{out}");
    // Plain copies (no server running: the WAL was checkpointed on close).
    for name in ["altered.db", "removed.db", "rehashed.db"] {
        copy(&env, "tnw.db", name);
    }

    sql(
        &env,
        "altered.db",
        "UPDATE audit SET what = 'nothing to see' WHERE id = 3",
    );
    let out = env.tnw("altered.db", &["audit", "verify"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        s(&out.stdout).contains("audit entry 3 was altered"),
        "{}",
        s(&out.stdout)
    );

    sql(&env, "removed.db", "DELETE FROM audit WHERE id = 2");
    let out = env.tnw("removed.db", &["audit", "verify"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        s(&out.stdout).contains("audit entries before 3 are missing (the previous entry is 1)"),
        "{}",
        s(&out.stdout)
    );

    // Changing the stored hash too moves the break to the next entry, which no
    // longer follows it.
    sql(
        &env,
        "rehashed.db",
        "UPDATE audit SET username = 'eve', hash = zeroblob(32) WHERE id = 4",
    );
    let out = env.tnw("rehashed.db", &["audit", "verify"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        s(&out.stdout).contains("audit entry 4 was altered"),
        "{}",
        s(&out.stdout)
    );

    // The untouched original still verifies, and new entries extend the chain.
    ok(&env.tnw("tnw.db", &["timeline", "A1", "--as-of", "2023-05-01"]));
    let out = ok(&env.tnw("tnw.db", &["audit", "verify"]));
    assert!(out.contains("audit chain intact: 6 entries"), "{out}");
}

/// Removing the newest entries leaves a shorter chain that is intact in itself: only
/// a head recorded outside the database (the anchor) shows it.
#[test]
fn the_anchor_detects_entries_cut_off_the_end() {
    let env = Env::new();
    audited_db(&env, "tnw.db");
    let anchor = env.path("anchor.txt");
    let out = ok(&env.tnw("tnw.db", &["audit", "verify", "--anchor", p(&anchor)]));
    assert!(out.contains("audit chain intact: 5 entries"), "{out}");
    let line = std::fs::read_to_string(&anchor).unwrap();
    assert!(line.starts_with("5 5 "), "{line}");
    assert!(out.contains(line.trim()), "the head is printed: {out}");

    // Growth is fine and moves the anchor on.
    ok(&env.tnw("tnw.db", &["timeline", "A2", "--as-of", "2023-05-01"]));
    ok(&env.tnw("tnw.db", &["audit", "verify", "--anchor", p(&anchor)]));
    assert!(std::fs::read_to_string(&anchor)
        .unwrap()
        .starts_with("6 6 "));

    sql(&env, "tnw.db", "DELETE FROM audit WHERE id = 6");
    let bare = ok(&env.tnw("tnw.db", &["audit", "verify"]));
    assert!(
        bare.contains("audit chain intact: 5 entries"),
        "the known limit of a bare chain: {bare}"
    );
    let out = env.tnw("tnw.db", &["audit", "verify", "--anchor", p(&anchor)]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        s(&out.stdout).contains(
            "the anchored audit entry 6 (entry 6 of the chain) is missing: the log ends at entry 5"
        ),
        "{}",
        s(&out.stdout)
    );
    assert!(
        std::fs::read_to_string(&anchor)
            .unwrap()
            .starts_with("6 6 "),
        "a failed verification leaves the anchor as it was"
    );
}

fn counts(env: &Env, db: &str) -> String {
    ok(&env.tnw(db, &["status"]))
}

#[test]
fn backup_and_restore_round_trip() {
    let env = Env::new();
    audited_db(&env, "tnw.db");
    let before = counts(&env, "tnw.db");
    assert!(before.contains("cases 3\nevents 3\nimports 2"), "{before}");
    let backup = env.path("backup.db");
    let out = ok(&env.tnw("tnw.db", &["backup", p(&backup)]));
    assert!(
        out.contains("cases 3\nevents 3\nimports 2\naudit entries 5"),
        "{out}"
    );
    assert!(out.contains(" MiB"), "{out}");

    // Never overwrites.
    let again = env.tnw("tnw.db", &["backup", p(&backup)]);
    assert!(!again.status.success());
    assert!(s(&again.stderr).contains("exists"), "{}", s(&again.stderr));

    // Later work, and a tampered audit entry in the live database.
    let more = env.file("more.jsonl", &[opened("B1", "2023-04-01")]);
    ok(&env.tnw("tnw.db", &["import", "events", p(&more)]));
    sql(&env, "tnw.db", "UPDATE audit SET what = 'x' WHERE id = 1");
    assert!(counts(&env, "tnw.db").contains("cases 4"));

    // An existing database is replaced only with --force.
    let refused = env.tnw("tnw.db", &["restore", p(&backup)]);
    assert!(!refused.status.success());
    assert!(
        s(&refused.stderr).contains("--force"),
        "{}",
        s(&refused.stderr)
    );
    assert!(counts(&env, "tnw.db").contains("cases 4"), "untouched");

    let out = ok(&env.tnw("tnw.db", &["restore", p(&backup), "--force"]));
    assert!(out.contains("audit chain intact: 5 entries"), "{out}");
    assert_eq!(counts(&env, "tnw.db"), before);
    let out = ok(&env.tnw("tnw.db", &["audit", "verify"]));
    assert!(out.contains("audit chain intact: 5 entries"), "{out}");
    // The restored database is in normal use again, and the backup is unchanged.
    ok(&env.tnw("tnw.db", &["timeline", "A1", "--as-of", "2023-05-01"]));
    ok(&env.tnw("tnw.db", &["import", "events", p(&more)]));
    assert!(counts(&env, "tnw.db").contains("cases 4"));
    assert!(ok(&env.tnw("tnw.db", &["audit", "verify"])).contains("intact: 7 entries"));
    let check = rusqlite::Connection::open(&backup).unwrap();
    let n: i64 = check
        .query_row("SELECT count(*) FROM audit", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 5);

    // Restoring into a new file needs no --force; left-over side files of a
    // database that is gone are removed, not applied to the restored one.
    std::fs::write(env.path("fresh.db-wal"), b"stale").unwrap();
    let out = ok(&env.tnw("fresh.db", &["restore", p(&backup)]));
    assert!(!env.path("fresh.db-wal").exists());
    assert!(out.contains("cases 3"), "{out}");
    assert_eq!(counts(&env, "fresh.db"), before);
}

#[test]
fn a_damaged_or_tampered_backup_is_refused_and_the_database_kept() {
    let env = Env::new();
    audited_db(&env, "tnw.db");
    // Enough data that the file has pages worth cutting off.
    let many: Vec<String> = (0..400)
        .map(|i| opened(&format!("M{i}"), "2023-01-05"))
        .collect();
    let f = env.file("many.jsonl", &many);
    ok(&env.tnw("tnw.db", &["import", "events", p(&f)]));
    let backup = env.path("backup.db");
    ok(&env.tnw("tnw.db", &["backup", p(&backup)]));
    let target = env.path("tnw.db");
    let original = std::fs::read(&target).unwrap();
    let before = counts(&env, "tnw.db");

    let bytes = std::fs::read(&backup).unwrap();
    assert!(bytes.len() > 64 * 1024, "{}", bytes.len());
    let truncated = env.path("truncated.db");
    std::fs::write(&truncated, &bytes[..bytes.len() / 2]).unwrap();
    let out = env.tnw("tnw.db", &["restore", p(&truncated), "--force"]);
    assert!(!out.status.success(), "{}", s(&out.stdout));
    assert!(
        s(&out.stderr).contains("integrity") || s(&out.stderr).contains("malformed"),
        "{}",
        s(&out.stderr)
    );

    let garbage = env.path("garbage.db");
    std::fs::write(&garbage, b"not a database at all, just some bytes").unwrap();
    let out = env.tnw("tnw.db", &["restore", p(&garbage), "--force"]);
    assert!(!out.status.success());

    let tampered = env.path("tampered.db");
    std::fs::copy(&backup, &tampered).unwrap();
    let c = rusqlite::Connection::open(&tampered).unwrap();
    c.execute("DELETE FROM audit WHERE id = 2", []).unwrap();
    drop(c);
    let out = env.tnw("tnw.db", &["restore", p(&tampered), "--force"]);
    assert!(!out.status.success());
    assert!(
        s(&out.stderr).contains("audit chain is broken: audit entries before 3 are missing"),
        "{}",
        s(&out.stderr)
    );

    let newer = env.path("newer.db");
    std::fs::copy(&backup, &newer).unwrap();
    let c = rusqlite::Connection::open(&newer).unwrap();
    c.pragma_update(None, "user_version", 999).unwrap();
    drop(c);
    let out = env.tnw("tnw.db", &["restore", p(&newer), "--force"]);
    assert!(!out.status.success());
    assert!(s(&out.stderr).contains("999"), "{}", s(&out.stderr));

    assert_eq!(std::fs::read(&target).unwrap(), original, "byte for byte");
    assert_eq!(counts(&env, "tnw.db"), before);
    let leftovers: Vec<String> = std::fs::read_dir(env.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".restore-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

/// A database held open by another process (a running server) is not replaced.
#[test]
fn restore_refuses_a_database_in_use() {
    let env = Env::new();
    audited_db(&env, "tnw.db");
    let backup = env.path("backup.db");
    ok(&env.tnw("tnw.db", &["backup", p(&backup)]));
    let holder = rusqlite::Connection::open(env.path("tnw.db")).unwrap();
    holder
        .query_row("PRAGMA journal_mode", [], |_| Ok(()))
        .unwrap();
    let tx = holder.unchecked_transaction().unwrap();
    let _: i64 = tx
        .query_row("SELECT count(*) FROM audit", [], |r| r.get(0))
        .unwrap();
    let out = env.tnw("tnw.db", &["restore", p(&backup), "--force"]);
    assert!(!out.status.success(), "{}", s(&out.stdout));
    assert!(s(&out.stderr).contains("in use"), "{}", s(&out.stderr));
    drop(tx);
    drop(holder);
    ok(&env.tnw("tnw.db", &["restore", p(&backup), "--force"]));
}

/// Runs tnw against a PostgreSQL database URL.
fn pg(url: &str, dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tnw"))
        .args(args)
        .env("TNW_DB", url)
        .env("TNW_PASSWORD", "backup test password")
        .env_remove("TNW_ORG")
        .env_remove("TNW_RULES_DIR")
        .current_dir(dir)
        .output()
        .unwrap()
}

/// PostgreSQL: `tnw backup` (pg_dump custom format) and `tnw restore` (pg_restore in
/// one transaction, audit chain verified) give back the same dossiers, deadlines and
/// audit chain; an occupied target needs --force, and a bad file changes nothing.
#[test]
fn postgres_backup_and_restore_round_trip() {
    let cluster = tnw_storage_postgres::testing::shared().unwrap();
    let (a, b) = (
        cluster.fresh_database().unwrap(),
        cluster.fresh_database().unwrap(),
    );
    let env = Env::new();
    let dir = env.dir.path();
    let events = env.path("events.jsonl");
    ok(&pg(
        &a,
        dir,
        &["gen", "--cases", "150", "--seed", "4", "--out", p(&events)],
    ));
    ok(&pg(&a, dir, &["import", "events", p(&events)]));
    ok(&pg(
        &a,
        dir,
        &["user", "add", "ann", "--role", "coordinator"],
    ));
    let due = |url: &str| ok(&pg(url, dir, &["due", "--as-of", "2026-11-22", "--json"]));
    let before = due(&a);
    assert!(before.lines().count() > 10);

    let file = env.path("tnw.dump");
    let out = ok(&pg(&a, dir, &["backup", p(&file)]));
    assert!(out.contains("pg_dump custom format"), "{out}");
    let again = pg(&a, dir, &["backup", p(&file)]);
    assert!(!again.status.success(), "a backup never overwrites a file");

    let out = ok(&pg(&b, dir, &["restore", p(&file)]));
    assert!(out.contains("audit chain intact"), "{out}");
    assert_eq!(
        due(&b),
        before,
        "the restored database has the same deadlines"
    );
    ok(&pg(&b, dir, &["audit", "verify"]));
    assert_eq!(ok(&pg(&b, dir, &["status"])), ok(&pg(&a, dir, &["status"])));

    // An occupied database is only replaced on request; a file that is no dump changes
    // nothing.
    let refused = pg(&b, dir, &["restore", p(&file)]);
    assert!(!refused.status.success());
    assert!(
        s(&refused.stderr).contains("--force"),
        "{}",
        s(&refused.stderr)
    );
    let junk = env.file("junk.dump", &["not a dump".into()]);
    let bad = pg(&b, dir, &["restore", "--force", p(&junk)]);
    assert!(!bad.status.success());
    assert_eq!(
        due(&b),
        before,
        "a failed restore leaves the database as it was"
    );
    ok(&pg(&b, dir, &["restore", "--force", p(&file)]));
    assert_eq!(due(&b), before);
}
