//! `tnw rules`: the rule sets, or one set's rules.

use anyhow::Result;
use clap::Args;
use std::process::ExitCode;
use tnw_domain::RuleBook;

#[derive(Args)]
pub struct RulesArgs {
    /// Show this rule set's rules.
    name: Option<String>,
}

pub fn run(book: &RuleBook, args: RulesArgs) -> Result<ExitCode> {
    match args.name.as_deref() {
        None => {
            for s in book.sets() {
                println!(
                    "{:<16} from {}  {} ({} rules{})",
                    s.name,
                    s.effective_from,
                    s.title,
                    s.rules.len(),
                    s.extends
                        .as_deref()
                        .map(|p| format!(", extends {p}"))
                        .unwrap_or_default()
                );
            }
        }
        Some(n) => {
            let s = book.get(n)?;
            println!(
                "{} — {} (in force from {})",
                s.name, s.title, s.effective_from
            );
            let schemes: Vec<&str> = s.schemes.iter().map(|x| x.as_str()).collect();
            println!("  judges: {}", schemes.join(", "));
            for src in &s.sources {
                println!("  source: {src}");
            }
            if let Some(c) = &s.sanction {
                println!(
                    "  sanction: {}% of the daily benefit after {} ignored invitation(s) of {} ({})",
                    c.percent_text("."),
                    c.after_ignored,
                    c.tasks.join(", "),
                    c.source
                );
            }
            for note in &s.notes {
                println!("  note: {note}");
            }
            for r in &s.rules {
                let kind = match r.kind {
                    tnw_domain::rules::RuleKind::Task => "task",
                    tnw_domain::rules::RuleKind::Milestone => "milestone",
                };
                println!(
                    "\n{:<4} {} {} ({}) — anchor {}{}, window {} → due {}{}",
                    r.id,
                    kind,
                    r.code,
                    r.actor,
                    r.anchor.as_str(),
                    r.when
                        .as_ref()
                        .map(|c| format!(" [{} in {}]", c.field, c.values.join("/")))
                        .unwrap_or_default(),
                    r.window,
                    r.due,
                    if r.from_start {
                        " (from incapacity start)"
                    } else {
                        ""
                    },
                );
                println!("     {}\n     source: {}", r.reason("en"), r.source);
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
