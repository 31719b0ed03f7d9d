//! `tnw timeline`: a dossier's milestones, past and upcoming, with their reasons.

use anyhow::Result;
use clap::Args;
use std::io::Write;
use std::process::ExitCode;
use tnw_app::access::Operator;
use tnw_domain::Date;

use crate::context::Context;
use crate::dates::{date_arg, today};

#[derive(Args)]
pub struct TimelineArgs {
    case: String,
    /// Default: today.
    #[arg(long, value_parser = date_arg)]
    as_of: Option<Date>,
    #[arg(long)]
    json: bool,
    #[arg(long)]
    rules: Option<String>,
    #[arg(long, env = "TNW_ORG", default_value = "default")]
    org: String,
    /// Language of the reasons and descriptions: nl, fr, de, en.
    #[arg(long, default_value = "en")]
    lang: String,
}

pub fn run(ctx: &Context, args: TimelineArgs) -> Result<ExitCode> {
    let app = ctx.app()?;
    let as_of = args.as_of.unwrap_or_else(today);
    let t = app.timeline(
        &Operator::from_env(),
        &args.org,
        &args.case,
        as_of,
        args.rules.as_deref(),
        &args.lang,
    )?;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    if args.json {
        serde_json::to_writer(&mut out, &t)?;
        writeln!(out)?;
    } else {
        writeln!(
            out,
            "Dossier {} — incapacity since {} — as of {}",
            t.case, t.incapacity_start, t.as_of
        )?;
        writeln!(out, "\nWhat happened")?;
        for e in &t.events {
            writeln!(out, "  {}  {}", e.date, e.summary)?;
        }
        writeln!(out, "\nMilestones and deadlines")?;
        for m in &t.milestones {
            let what = match m.status {
                "done" => format!(
                    "done on {}",
                    m.done_on.map(|d| d.to_string()).unwrap_or_default()
                ),
                "closed" => format!(
                    "no longer needed ({})",
                    m.closed_by.map(|k| k.as_str()).unwrap_or_default()
                ),
                "open" if m.window_start < m.due => {
                    format!("open since {}, due {}", m.window_start, m.due)
                }
                "open" => format!("due {}", m.due),
                "overdue" => format!("OVERDUE since {}", m.due),
                "upcoming" if m.kind == "task" => {
                    format!("upcoming: from {} until {}", m.window_start, m.due)
                }
                other => other.to_string(),
            };
            writeln!(
                out,
                "  {}  {:<28} {:<4} {:<11} {}\n              {} [{} · {} · {}]",
                m.date, m.code, m.rule, m.status, what, m.reason, m.actor, m.rule_set, m.source
            )?;
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
