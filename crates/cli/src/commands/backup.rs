//! `tnw backup`: a consistent copy of the database, taken while it is in use.

use anyhow::Result;
use clap::Args;
use std::path::PathBuf;
use std::process::ExitCode;

use crate::context::Context;
use crate::output::mib;

#[derive(Args)]
pub struct BackupArgs {
    file: PathBuf,
}

pub fn run(ctx: &Context, args: BackupArgs) -> Result<ExitCode> {
    let file = args.file.as_path();
    let address = ctx.address()?;
    let r = tnw_database::backup::backup(&address, file)?;
    match r.audit_entries {
        Some(audit) => println!(
            "backup {}: {}, schema version {}\ncases {}\nevents {}\nimports {}\naudit entries {}",
            file.display(),
            mib(r.bytes),
            r.schema_version,
            r.counts.cases,
            r.counts.events,
            r.counts.imports,
            audit
        ),
        // PostgreSQL's own dump (`pg_dump --format=custom`), readable by `pg_restore`.
        None => println!(
            "backup {} (pg_dump custom format): {}, schema version {}\ncases {}\nevents {}\nimports {}",
            file.display(),
            mib(r.bytes),
            r.schema_version,
            r.counts.cases,
            r.counts.events,
            r.counts.imports
        ),
    }
    Ok(ExitCode::SUCCESS)
}
