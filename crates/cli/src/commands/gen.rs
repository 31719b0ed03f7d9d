//! `tnw gen`: a synthetic population in the import format.

use anyhow::{Context, Result};
use clap::Args;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Args)]
pub struct GenArgs {
    #[arg(long)]
    cases: u64,
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Output file (default: standard output).
    #[arg(long, short)]
    out: Option<PathBuf>,
    /// Case id prefix (one per fund keeps funds' ids apart).
    #[arg(long, default_value = "C")]
    prefix: String,
}

pub fn run(args: GenArgs) -> Result<ExitCode> {
    let opts = tnw_gen::GenOptions {
        cases: args.cases,
        seed: args.seed,
        case_prefix: args.prefix,
        ..Default::default()
    };
    let stats = match &args.out {
        Some(p) => {
            let f =
                std::fs::File::create(p).with_context(|| format!("creating {}", p.display()))?;
            tnw_gen::generate(&opts, std::io::BufWriter::with_capacity(1 << 20, f))?
        }
        None => tnw_gen::generate(
            &opts,
            std::io::BufWriter::with_capacity(1 << 20, std::io::stdout().lock()),
        )?,
    };
    eprintln!(
        "{} dossiers, {} events, {} persons",
        stats.cases, stats.events, stats.persons
    );
    Ok(ExitCode::SUCCESS)
}
