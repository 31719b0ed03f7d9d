//! `tnw backup`: a consistent copy of the database, taken while it is in use.

use anyhow::{bail, Context, Result};
use clap::Args;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use tnw_storage::FundStore;
use tnw_storage_postgres::PgStore;
use tnw_storage_sqlite::SqliteStore;

use crate::database::{database, sqlite_path, Database};
use crate::output::mib;
use crate::postgres_tools::pg_tool;

#[derive(Args)]
pub struct BackupArgs {
    file: PathBuf,
}

pub fn run(db: &str, args: BackupArgs) -> Result<ExitCode> {
    let file = args.file.as_path();
    if let Database::Postgres(url) = database(db)? {
        return pg_backup(&url, file);
    }
    let path = sqlite_path(db)?;
    if !path.exists() {
        bail!("no database at {}", path.display());
    }
    let mut store =
        SqliteStore::open(&path).with_context(|| format!("opening database {}", path.display()))?;
    let info = store
        .backup_to(file)
        .with_context(|| format!("backing up to {}", file.display()))?;
    println!(
        "backup {}: {}, schema version {}\ncases {}\nevents {}\nimports {}\naudit entries {}",
        file.display(),
        mib(info.bytes),
        info.schema_version,
        info.counts.cases,
        info.counts.events,
        info.counts.imports,
        info.audit_entries
    );
    Ok(ExitCode::SUCCESS)
}

/// PostgreSQL's own dump (`pg_dump --format=custom`), readable by `pg_restore` and so
/// by any PostgreSQL tooling; a consistent snapshot taken while the database is in use.
fn pg_backup(url: &str, file: &Path) -> Result<ExitCode> {
    if file.exists() {
        bail!(
            "{} exists; a backup never overwrites a file",
            file.display()
        );
    }
    let mut store = PgStore::connect(url)?;
    let counts = store.counts(None)?;
    let out = std::process::Command::new(pg_tool("pg_dump")?)
        .args(["--format=custom", "--no-owner", "--no-privileges", "--file"])
        .arg(file)
        .arg(url)
        .output()
        .context("running pg_dump")?;
    if !out.status.success() {
        let _ = std::fs::remove_file(file);
        bail!(
            "pg_dump failed: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    let bytes = std::fs::metadata(file).map(|m| m.len()).unwrap_or(0);
    println!(
        "backup {} (pg_dump custom format): {}, schema version {}\ncases {}\nevents {}\nimports {}",
        file.display(),
        mib(bytes),
        store.schema_version()?,
        counts.cases,
        counts.events,
        counts.imports
    );
    Ok(ExitCode::SUCCESS)
}
