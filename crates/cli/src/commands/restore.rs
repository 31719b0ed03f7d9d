//! `tnw restore`: replace the database with a checked backup.

use anyhow::{anyhow, bail, Context, Result};
use clap::Args;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use tnw_storage::FundStore;
use tnw_storage_postgres::PgStore;

use crate::database::{database, sqlite_path, Database};
use crate::output::mib;
use crate::postgres_tools::pg_tool;

#[derive(Args)]
pub struct RestoreArgs {
    file: PathBuf,
    /// Replace an existing database.
    #[arg(long)]
    force: bool,
}

pub fn run(db: &str, args: RestoreArgs) -> Result<ExitCode> {
    let RestoreArgs { file, force } = args;
    let file = file.as_path();
    if let Database::Postgres(url) = database(db)? {
        return pg_restore(&url, file, force);
    }
    let target = sqlite_path(db)?;
    let r = tnw_storage_sqlite::restore(file, &target, force)
        .with_context(|| format!("restoring {} from {}", target.display(), file.display()))?;
    println!(
        "restored {} from {}: {}, schema version {} (backup: {})\ncases {}\nevents {}\nimports {}\naudit chain intact: {} entries",
        target.display(),
        file.display(),
        mib(r.info.bytes),
        r.info.schema_version,
        r.backup_version,
        r.info.counts.cases,
        r.info.counts.events,
        r.info.counts.imports,
        r.audit.count
    );
    Ok(ExitCode::SUCCESS)
}

/// `pg_restore` of a `tnw backup` into the database of `url`, in one transaction (all
/// or nothing); then the schema is brought up to date and the audit chain verified. A
/// database that already holds tnw tables is only replaced with `--force`.
fn pg_restore(url: &str, file: &Path, force: bool) -> Result<ExitCode> {
    if !file.is_file() {
        bail!("no backup at {}", file.display());
    }
    let mut client = postgres::Client::connect(url, postgres::NoTls)
        .with_context(|| "connecting to the target database")?;
    let has_tables = client
        .query_one(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'",
            &[],
        )?
        .get::<_, i64>(0)
        > 0;
    drop(client);
    if has_tables && !force {
        bail!("the target database is not empty; add --force to replace what it holds");
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
    let out = cmd
        .arg("--dbname")
        .arg(url)
        .arg(file)
        .output()
        .context("running pg_restore")?;
    if !out.status.success() {
        bail!(
            "pg_restore failed, the database is as it was: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    let mut store = PgStore::connect(url)?;
    let counts = store.counts(None)?;
    let head = tnw_storage::chain::verify_store(&mut store, None, 10_000)?
        .map_err(|b| anyhow!("restored, but the audit chain is broken: {b}"))?;
    println!(
        "restored from {}: schema version {}\ncases {}\nevents {}\nimports {}\naudit chain intact: {} entries",
        file.display(),
        store.schema_version()?,
        counts.cases,
        counts.events,
        counts.imports,
        head.count
    );
    Ok(ExitCode::SUCCESS)
}
