//! `tnw status`: counts of what the database holds.

use anyhow::Result;
use clap::Args;
use std::process::ExitCode;

use crate::context::Context;
use tnw_app::access::Operator;

#[derive(Args)]
pub struct StatusArgs {
    #[arg(long, env = "TNW_ORG")]
    org: Option<String>,
}

pub fn run(ctx: &Context, args: StatusArgs) -> Result<ExitCode> {
    let c = ctx
        .app()?
        .status(&Operator::from_env(), args.org.as_deref())?;
    println!(
        "cases {}\nevents {}\nimports {}",
        c.cases, c.events, c.imports
    );
    Ok(ExitCode::SUCCESS)
}
