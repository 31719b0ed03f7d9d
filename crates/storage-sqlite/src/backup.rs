//! Online backups (`VACUUM INTO`) and checked, atomic restores of a SQLite database.

use crate::{db, SqliteStore, SCHEMA_VERSION};
use rusqlite::{Connection, OpenFlags};
use std::fs::File;
use std::path::{Path, PathBuf};
use tnw_storage::chain::{self, ChainHead};
use tnw_storage::{Counts, Result, StorageError};

/// What a backup or restored database holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DatabaseInfo {
    pub bytes: u64,
    pub schema_version: i64,
    pub counts: Counts,
    pub audit_entries: u64,
}

/// What a restore put in place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Restored {
    pub info: DatabaseInfo,
    /// The backup's schema version before it was brought up to date.
    pub backup_version: i64,
    pub audit: ChainHead,
}

fn invalid(msg: String) -> StorageError {
    StorageError::Invalid(msg)
}

fn io(what: &str, path: &Path, e: std::io::Error) -> StorageError {
    StorageError::Backend(format!("{what} {}: {e}", path.display()))
}

/// The path of a SQLite side file (`-wal`, `-shm`).
fn side_file(path: &Path, suffix: &str) -> PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push(suffix);
    PathBuf::from(s)
}

fn file_len(path: &Path) -> Result<u64> {
    std::fs::metadata(path)
        .map(|m| m.len())
        .map_err(|e| io("reading", path, e))
}

/// Counts straight from a database of the current schema, on `conn`.
fn counts(conn: &Connection) -> Result<(Counts, u64)> {
    let q = |sql: &str| -> Result<u64> {
        conn.query_row(sql, [], |r| r.get::<_, i64>(0))
            .map(|n| n as u64)
            .map_err(db)
    };
    Ok((
        Counts {
            cases: q("SELECT count(*) FROM cases")?,
            events: q("SELECT coalesce(sum(events), 0) FROM case_logs")?,
            imports: q("SELECT count(*) FROM imports")?,
        },
        q("SELECT count(*) FROM audit")?,
    ))
}

impl SqliteStore {
    /// Writes a consistent copy of the database to `dest` while others keep reading
    /// and writing (`VACUUM INTO` reads one snapshot). Refuses an existing `dest`.
    pub fn backup_to(&mut self, dest: &Path) -> Result<DatabaseInfo> {
        if dest.exists() {
            return Err(invalid(format!(
                "{} exists; a backup never overwrites a file",
                dest.display()
            )));
        }
        let target = dest
            .to_str()
            .ok_or_else(|| invalid(format!("{}: not a UTF-8 path", dest.display())))?;
        self.conn.execute("VACUUM INTO ?1", [target]).map_err(db)?;
        File::open(dest)
            .and_then(|f| f.sync_all())
            .map_err(|e| io("syncing", dest, e))?;
        let conn =
            Connection::open_with_flags(dest, OpenFlags::SQLITE_OPEN_READ_ONLY).map_err(db)?;
        let schema_version = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(db)?;
        let (counts, audit_entries) = counts(&conn)?;
        Ok(DatabaseInfo {
            bytes: file_len(dest)?,
            schema_version,
            counts,
            audit_entries,
        })
    }
}

/// Removes a temporary database and its side files unless it was put in place.
struct TempDb {
    path: PathBuf,
    keep: bool,
}

impl Drop for TempDb {
    fn drop(&mut self) {
        if !self.keep {
            for p in [
                self.path.clone(),
                side_file(&self.path, "-wal"),
                side_file(&self.path, "-shm"),
            ] {
                let _ = std::fs::remove_file(p);
            }
        }
    }
}

/// Checks `backup` and, if it is sound, puts it in place of `target` atomically.
///
/// The backup is copied beside the target and every check runs on that copy, so
/// neither the backup nor the target changes until the final rename: SQLite's
/// integrity check, a schema version this program can read (older ones are brought
/// up to date), and an intact audit chain. An existing target is replaced only with
/// `force`, and only when no other process has it open.
pub fn restore(backup: &Path, target: &Path, force: bool) -> Result<Restored> {
    if target.exists() && !force {
        return Err(invalid(format!(
            "{} exists; restoring over a database needs --force",
            target.display()
        )));
    }
    if !backup.is_file() {
        return Err(invalid(format!(
            "{}: no such backup file",
            backup.display()
        )));
    }
    let dir = target
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = target
        .file_name()
        .ok_or_else(|| invalid(format!("{}: not a file path", target.display())))?;
    let mut tmp_name = std::ffi::OsString::from(".");
    tmp_name.push(name);
    tmp_name.push(format!(".restore-{}", std::process::id()));
    let mut tmp = TempDb {
        path: dir.join(tmp_name),
        keep: false,
    };
    std::fs::copy(backup, &tmp.path).map_err(|e| io("copying the backup to", &tmp.path, e))?;

    let backup_version = check(&tmp.path, backup)?;
    // Opening brings an older backup's schema up to date (and chains its audit).
    let (info, audit) = {
        let mut store = SqliteStore::open(&tmp.path)?;
        let audit = chain::verify_store(&mut store, None, 10_000)?
            .map_err(|b| invalid(format!("the backup's audit chain is broken: {b}")))?;
        let (counts, audit_entries) = counts(&store.conn)?;
        // Back to a single file: nothing of the copy lives in a -wal beside it.
        store
            .conn
            .query_row("PRAGMA journal_mode = DELETE", [], |_| Ok(()))
            .map_err(db)?;
        (
            DatabaseInfo {
                bytes: 0,
                schema_version: store.schema_version()?,
                counts,
                audit_entries,
            },
            audit,
        )
    };
    File::open(&tmp.path)
        .and_then(|f| f.sync_all())
        .map_err(|e| io("syncing", &tmp.path, e))?;

    if target.exists() {
        release(target)?;
    } else {
        // Side files without their database are left-overs; SQLite would apply a stale
        // -wal to the file that takes the name.
        remove_side_files(target)?;
    }
    std::fs::rename(&tmp.path, target).map_err(|e| io("replacing", target, e))?;
    tmp.keep = true;
    // The rename itself survives a power cut only once the directory is synced.
    #[cfg(unix)]
    File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(|e| io("syncing", dir, e))?;
    Ok(Restored {
        info: DatabaseInfo {
            bytes: file_len(target)?,
            ..info
        },
        backup_version,
        audit,
    })
}

/// SQLite's integrity check and the schema version, read-only; the version.
pub fn check_file(path: &Path) -> Result<i64> {
    check(path, path)
}

/// [`check_file`] on `path`, naming `shown` in messages (the backup, not its copy).
fn check(path: &Path, shown: &Path) -> Result<i64> {
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY).map_err(db)?;
    let not_sqlite = |e: rusqlite::Error| {
        invalid(format!(
            "{} is not a readable tnw database: {e}",
            shown.display()
        ))
    };
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(not_sqlite)?;
    let problems: Vec<String> = conn
        .prepare("PRAGMA integrity_check")
        .and_then(|mut s| {
            s.query_map([], |r| r.get::<_, String>(0))?
                .collect::<rusqlite::Result<Vec<_>>>()
        })
        .map_err(not_sqlite)?;
    if problems != ["ok"] {
        return Err(invalid(format!(
            "{} fails SQLite's integrity check: {}",
            shown.display(),
            problems.join("; ")
        )));
    }
    if version == 0 {
        return Err(invalid(format!(
            "{} holds no tnw database",
            shown.display()
        )));
    }
    if version > SCHEMA_VERSION {
        return Err(StorageError::TooNew {
            found: version,
            supported: SCHEMA_VERSION,
        });
    }
    Ok(version)
}

/// Makes sure no one uses the database at `path` and that no `-wal`/`-shm` of it
/// would be applied to the file that replaces it. Leaving WAL mode needs exclusive
/// access, so an open database (a running server) is refused; SQLite then
/// checkpoints and removes the side files itself.
fn release(path: &Path) -> Result<()> {
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_WRITE).map_err(db)?;
    let in_use = |e: rusqlite::Error| {
        invalid(format!(
            "{} is in use (stop the server first): {e}",
            path.display()
        ))
    };
    let mode: String = match conn.query_row("PRAGMA journal_mode = DELETE", [], |r| r.get(0)) {
        Ok(m) => m,
        Err(rusqlite::Error::SqliteFailure(f, m))
            if matches!(
                f.code,
                rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked
            ) =>
        {
            return Err(in_use(rusqlite::Error::SqliteFailure(f, m)));
        }
        // A damaged database is what a restore replaces: nothing of it is kept.
        Err(_) => "delete".to_owned(),
    };
    if !mode.eq_ignore_ascii_case("delete") {
        return Err(invalid(format!(
            "{} is in use (stop the server first): it stays in {mode} mode",
            path.display()
        )));
    }
    drop(conn);
    remove_side_files(path)
}

fn remove_side_files(path: &Path) -> Result<()> {
    for suffix in ["-wal", "-shm"] {
        let side = side_file(path, suffix);
        if side.exists() {
            std::fs::remove_file(&side).map_err(|e| io("removing", &side, e))?;
        }
    }
    Ok(())
}
