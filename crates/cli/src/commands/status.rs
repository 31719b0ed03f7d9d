//! `tnw status`: counts of what the database holds.

use anyhow::Result;
use clap::Args;
use std::process::ExitCode;

use crate::database::open_store;

#[derive(Args)]
pub struct StatusArgs {
    #[arg(long, env = "TNW_ORG")]
    org: Option<String>,
}

pub fn run(db: &str, args: StatusArgs) -> Result<ExitCode> {
    let mut store = open_store(db)?;
    let c = store.counts(args.org.as_deref())?;
    println!(
        "cases {}\nevents {}\nimports {}",
        c.cases, c.events, c.imports
    );
    Ok(ExitCode::SUCCESS)
}
