//! `tnw migrate`: create the database or bring its schema up to date.

use anyhow::Result;
use clap::Args;
use std::process::ExitCode;

use crate::context::Context;

// No options; a struct all the same, so that every command is shaped alike.
#[derive(Args)]
pub struct MigrateArgs {}

pub fn run(ctx: &Context, _args: MigrateArgs) -> Result<ExitCode> {
    println!("schema version {}", tnw_database::migrate(&ctx.address()?)?);
    Ok(ExitCode::SUCCESS)
}
