//! `tnw import`: case events from a JSON Lines file.

use anyhow::{Context as _, Result};
use clap::{Args, Subcommand};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use tnw_app::import::{ImportOptions, Progress};

use crate::context::Context;

#[derive(Subcommand)]
pub enum ImportWhat {
    /// Case events, JSON Lines (docs/domain.md 7.1). `-` reads standard input.
    Events(ImportArgs),
}

#[derive(Args)]
pub struct ImportArgs {
    file: PathBuf,
    /// Reject the whole file, storing nothing, on the first bad line.
    #[arg(long)]
    strict: bool,
    /// The fund (organisation) the events belong to.
    #[arg(long, env = "TNW_ORG", default_value = "default")]
    org: String,
    /// Also write every rejected line's number and reason to this file (JSON Lines).
    #[arg(long)]
    rejects: Option<PathBuf>,
    /// Print the summary as JSON.
    #[arg(long)]
    json: bool,
}

pub fn run(ctx: &Context, what: ImportWhat) -> Result<ExitCode> {
    match what {
        ImportWhat::Events(args) => import(ctx, args),
    }
}

fn import(ctx: &Context, args: ImportArgs) -> Result<ExitCode> {
    let data = if args.file.as_os_str() == "-" {
        let mut buf = Vec::new();
        std::io::Read::read_to_end(&mut std::io::stdin(), &mut buf)
            .context("reading standard input")?;
        buf
    } else {
        std::fs::read(&args.file).with_context(|| format!("reading {}", args.file.display()))?
    };
    let app = ctx.app()?;
    let bar = (std::io::stderr().is_terminal() && data.len() > 8 << 20).then(|| {
        let b = indicatif::ProgressBar::new(0);
        b.set_style(
            indicatif::ProgressStyle::with_template("{msg} [{bar:40}] {pos}/{len} cases ({eta})")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        b.set_message("parsing");
        b
    });
    let progress = |p: Progress| {
        if let Some(b) = &bar {
            match p {
                Progress::Parsed { .. } => b.set_message("importing"),
                Progress::Cases { done, total } => {
                    b.set_length(total);
                    b.set_position(done);
                }
            }
        }
    };
    let opts = ImportOptions {
        org: args.org.clone(),
        strict: args.strict,
        source: args.file.display().to_string(),
        ..Default::default()
    };
    let started = std::time::Instant::now();
    let report = app.import_events(&data, &opts, &progress)?;
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    let secs = started.elapsed().as_secs_f64();
    if let Some(path) = &args.rejects {
        let mut f = std::io::BufWriter::new(
            std::fs::File::create(path).with_context(|| format!("creating {}", path.display()))?,
        );
        for r in &report.rejected {
            serde_json::to_writer(&mut f, r)?;
            f.write_all(b"\n")?;
        }
        f.flush()?;
    }
    if args.json {
        let mut v = serde_json::to_value(&report)?;
        v["seconds"] = serde_json::json!(secs);
        println!("{v}");
    } else {
        let mut err = std::io::stderr().lock();
        const SHOWN: usize = 50;
        for r in report.rejected.iter().take(SHOWN) {
            writeln!(err, "line {}: {}", r.line, r.reason)?;
        }
        if report.rejected.len() > SHOWN {
            writeln!(
                err,
                "… and {} more rejected lines (use --rejects FILE for all)",
                report.rejected.len() - SHOWN
            )?;
        }
        if args.strict && !report.committed {
            writeln!(
                err,
                "--strict: the file was rejected as a whole; nothing was imported"
            )?;
        }
        println!(
            "{} lines: {} imported, {} rejected, {} already present ({} new dossiers, {} updated) in {:.1} s",
            report.lines,
            report.imported,
            report.rejected.len(),
            report.duplicates,
            report.cases_created,
            report.cases_updated,
            secs
        );
    }
    Ok(if !report.committed {
        ExitCode::FAILURE
    } else if report.rejected.is_empty() {
        ExitCode::SUCCESS
    } else {
        // Partly imported: make it visible to scripts (documented in docs/operations.md).
        ExitCode::from(3)
    })
}
