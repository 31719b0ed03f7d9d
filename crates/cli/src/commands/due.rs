//! `tnw due`: the open and overdue tasks of every dossier on a date.

use anyhow::{anyhow, Result};
use clap::Args;
use std::io::Write;
use std::process::ExitCode;
use tnw_domain::Date;

use crate::context::Context;
use crate::dates::date_arg;
use crate::output::out_err;

// Fields public: `tnw demo` ends with this command's listing.
#[derive(Args)]
pub struct DueArgs {
    #[arg(long, value_parser = date_arg)]
    pub as_of: Date,
    /// JSON Lines output.
    #[arg(long)]
    pub json: bool,
    /// Judge every dossier by this rule set (a what-if view).
    #[arg(long)]
    pub rules: Option<String>,
    /// Only this fund's dossiers (default: all funds).
    #[arg(long, env = "TNW_ORG")]
    pub org: Option<String>,
}

pub fn run(ctx: &Context, args: DueArgs) -> Result<ExitCode> {
    let app = ctx.app()?;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::with_capacity(1 << 16, stdout.lock());
    let mut line = String::with_capacity(128);
    let (mut open, mut overdue) = (0u64, 0u64);
    if !args.json {
        writeln!(
            out,
            "{:<14} {:<28} {:<10} {:<8} {:>5}  RULE",
            "CASE", "TASK", "DUE", "STATE", "LATE"
        )
        .map_err(out_err)?;
    }
    let mut io_error: Option<std::io::Error> = None;
    let cases = app.due_sweep(
        args.org.as_deref(),
        args.as_of,
        args.rules.as_deref(),
        &mut |tasks| {
            for t in tasks {
                if t.state == "overdue" {
                    overdue += 1;
                } else {
                    open += 1;
                }
                line.clear();
                if args.json {
                    t.write_json(&mut line);
                } else {
                    let late = (args.as_of - t.due).num_days().max(0);
                    use std::fmt::Write as _;
                    let _ = write!(
                        line,
                        "{:<14} {:<28} {} {:<8} {:>5}  {}",
                        t.case.display(),
                        t.task,
                        t.due,
                        t.state,
                        late,
                        t.rule
                    );
                }
                line.push('\n');
                if let Err(e) = out.write_all(line.as_bytes()) {
                    io_error = Some(e);
                    return Err(tnw_app::AppError::Corrupt("output closed".into()));
                }
            }
            Ok(())
        },
    );
    if let Some(e) = io_error {
        return Err(anyhow!(e));
    }
    cases?;
    out.flush().map_err(out_err)?;
    if !args.json {
        eprintln!("{} open, {} overdue as of {}", open, overdue, args.as_of);
    }
    Ok(ExitCode::SUCCESS)
}
