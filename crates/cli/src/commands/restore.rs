//! `tnw restore`: replace the database with a checked backup.

use anyhow::Result;
use clap::Args;
use std::path::PathBuf;
use std::process::ExitCode;
use tnw_database::Address;

use crate::context::Context;
use crate::output::mib;

#[derive(Args)]
pub struct RestoreArgs {
    file: PathBuf,
    /// Replace an existing database.
    #[arg(long)]
    force: bool,
}

pub fn run(ctx: &Context, args: RestoreArgs) -> Result<ExitCode> {
    let RestoreArgs { file, force } = args;
    let address = ctx.address()?;
    let r = tnw_database::backup::restore(&address, &file, force)?;
    match (&address, r.bytes, r.backup_version) {
        (Address::Sqlite(target), Some(bytes), Some(backup_version)) => println!(
            "restored {} from {}: {}, schema version {} (backup: {})\ncases {}\nevents {}\nimports {}\naudit chain intact: {} entries",
            target.display(),
            file.display(),
            mib(bytes),
            r.schema_version,
            backup_version,
            r.counts.cases,
            r.counts.events,
            r.counts.imports,
            r.audit.count
        ),
        _ => println!(
            "restored from {}: schema version {}\ncases {}\nevents {}\nimports {}\naudit chain intact: {} entries",
            file.display(),
            r.schema_version,
            r.counts.cases,
            r.counts.events,
            r.counts.imports,
            r.audit.count
        ),
    }
    Ok(ExitCode::SUCCESS)
}
