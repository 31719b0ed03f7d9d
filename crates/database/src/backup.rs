//! Backups and restores of a whole database, with each backend's own tools: SQLite's
//! online backup into a checked file, PostgreSQL's `pg_dump`/`pg_restore`. Both
//! verify the audit chain of what they restored.

use crate::{connect_postgres, open_sqlite, Address, DatabaseError, Result};
use std::path::{Path, PathBuf};
use tnw_storage::chain::{verify_store, ChainHead};
use tnw_storage::{Counts, FundStore};

/// What a backup holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BackupReport {
    pub bytes: u64,
    pub schema_version: i64,
    pub counts: Counts,
    /// Audit entries in the copy (SQLite; `None` for a PostgreSQL dump).
    pub audit_entries: Option<u64>,
}

/// What a restore put in place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RestoreReport {
    /// The database file's size (SQLite; `None` on PostgreSQL).
    pub bytes: Option<u64>,
    pub schema_version: i64,
    /// The backup's schema version before it was brought up to date (SQLite).
    pub backup_version: Option<i64>,
    pub counts: Counts,
    pub audit: ChainHead,
}

/// Audit entries read per step of a restore's verification.
const VERIFY_CHUNK: u32 = 10_000;

/// Copies the database at `address` into `file`, which must not exist yet; a
/// consistent snapshot taken while the database is in use.
pub fn backup(address: &Address, file: &Path) -> Result<BackupReport> {
    match address {
        Address::Postgres(url) => pg_backup(url, file),
        Address::Sqlite(path) => {
            if !path.exists() {
                return Err(DatabaseError::Backup(format!(
                    "no database at {}",
                    path.display()
                )));
            }
            let info = open_sqlite(path)?.backup_to(file).map_err(|e| {
                DatabaseError::Backup(format!("backing up to {}: {e}", file.display()))
            })?;
            Ok(BackupReport {
                bytes: info.bytes,
                schema_version: info.schema_version,
                counts: info.counts,
                audit_entries: Some(info.audit_entries),
            })
        }
    }
}

/// Replaces the database at `address` by the backup in `file` (only with `force` when
/// it holds data), brings its schema up to date and verifies its audit chain.
pub fn restore(address: &Address, file: &Path, force: bool) -> Result<RestoreReport> {
    match address {
        Address::Postgres(url) => pg_restore(url, file, force),
        Address::Sqlite(target) => {
            let r = tnw_storage_sqlite::restore(file, target, force).map_err(|e| {
                DatabaseError::Backup(format!(
                    "restoring {} from {}: {e}",
                    target.display(),
                    file.display()
                ))
            })?;
            Ok(RestoreReport {
                bytes: Some(r.info.bytes),
                schema_version: r.info.schema_version,
                backup_version: Some(r.backup_version),
                counts: r.info.counts,
                audit: r.audit,
            })
        }
    }
}

/// A PostgreSQL client program: Debian's newest (`/usr/lib/postgresql/*/bin`), else
/// the one on `PATH`.
fn pg_tool(name: &str) -> Result<PathBuf> {
    tnw_storage_postgres::programs_dir(&[name])
        .map(|d| d.join(name))
        .ok_or_else(|| {
            DatabaseError::Backup(format!(
                "{name} not found: install PostgreSQL's client programs (apt-get install postgresql-client)"
            ))
        })
}

fn run(cmd: &mut std::process::Command, name: &str) -> Result<std::process::Output> {
    cmd.output()
        .map_err(|e| DatabaseError::Backup(format!("running {name}: {e}")))
}

/// PostgreSQL's own dump (`pg_dump --format=custom`), readable by `pg_restore` and so
/// by any PostgreSQL tooling.
fn pg_backup(url: &str, file: &Path) -> Result<BackupReport> {
    if file.exists() {
        return Err(DatabaseError::Backup(format!(
            "{} exists; a backup never overwrites a file",
            file.display()
        )));
    }
    let mut store = connect_postgres(url)?;
    let counts = store.counts(None)?;
    let out = run(
        std::process::Command::new(pg_tool("pg_dump")?)
            .args(["--format=custom", "--no-owner", "--no-privileges", "--file"])
            .arg(file)
            .arg(url),
        "pg_dump",
    )?;
    if !out.status.success() {
        let _ = std::fs::remove_file(file);
        return Err(DatabaseError::Backup(format!(
            "pg_dump failed: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        )));
    }
    Ok(BackupReport {
        bytes: std::fs::metadata(file).map(|m| m.len()).unwrap_or(0),
        schema_version: store.schema_version()?,
        counts,
        audit_entries: None,
    })
}

/// Whether the database of `url` holds any table.
fn has_tables(url: &str) -> Result<bool> {
    let failed = |e: postgres::Error| {
        DatabaseError::Backup(format!("connecting to the target database: {e}"))
    };
    let mut client = postgres::Client::connect(url, postgres::NoTls).map_err(failed)?;
    let n: i64 = client
        .query_one(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'",
            &[],
        )
        .map_err(failed)?
        .try_get(0)
        .map_err(failed)?;
    Ok(n > 0)
}

/// `pg_restore` of a `tnw backup` into the database of `url`, in one transaction (all
/// or nothing); then the schema is brought up to date and the audit chain verified. A
/// database that already holds tnw tables is only replaced with `force`.
fn pg_restore(url: &str, file: &Path, force: bool) -> Result<RestoreReport> {
    if !file.is_file() {
        return Err(DatabaseError::Backup(format!(
            "no backup at {}",
            file.display()
        )));
    }
    let has_tables = has_tables(url)?;
    if has_tables && !force {
        return Err(DatabaseError::Backup(
            "the target database is not empty; add --force to replace what it holds".into(),
        ));
    }
    let mut cmd = std::process::Command::new(pg_tool("pg_restore")?);
    cmd.args([
        "--no-owner",
        "--no-privileges",
        "--single-transaction",
        "--exit-on-error",
    ]);
    if has_tables {
        cmd.args(["--clean", "--if-exists"]);
    }
    let out = run(cmd.arg("--dbname").arg(url).arg(file), "pg_restore")?;
    if !out.status.success() {
        return Err(DatabaseError::Backup(format!(
            "pg_restore failed, the database is as it was: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        )));
    }
    let mut store = connect_postgres(url)?;
    let counts = store.counts(None)?;
    let audit = verify_store(&mut store, None, VERIFY_CHUNK)?.map_err(|b| {
        DatabaseError::Backup(format!("restored, but the audit chain is broken: {b}"))
    })?;
    Ok(RestoreReport {
        bytes: None,
        schema_version: store.schema_version()?,
        backup_version: None,
        counts,
        audit,
    })
}
