//! `tnw audit`: the audit log's integrity.

use anyhow::{anyhow, Context as _, Result};
use clap::Subcommand;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::context::Context;
use tnw_app::access::Operator;

#[derive(Subcommand)]
pub enum AuditCommand {
    /// Walk the audit chain: every entry must match its hash and follow the one
    /// before it. Exit 1 names the first broken entry.
    Verify {
        /// A file kept out of reach of whoever can write the database (another
        /// machine, write-once storage) holding the chain's head as last verified:
        /// entries cut off the end since then are detected too. Written with the new
        /// head when the chain is intact.
        #[arg(long)]
        anchor: Option<PathBuf>,
    },
}

pub fn run(ctx: &Context, what: AuditCommand) -> Result<ExitCode> {
    match what {
        AuditCommand::Verify { anchor } => audit_verify(ctx, anchor.as_deref()),
    }
}

fn audit_verify(ctx: &Context, anchor_file: Option<&Path>) -> Result<ExitCode> {
    use tnw_app::operator::Anchor;
    let anchor =
        match anchor_file {
            Some(p) if p.exists() => {
                let text = std::fs::read_to_string(p)
                    .with_context(|| format!("reading {}", p.display()))?;
                Some(Anchor::parse(&text).ok_or_else(|| {
                    anyhow!("{}: not an audit anchor (`id count hash`)", p.display())
                })?)
            }
            _ => None,
        };
    match ctx
        .app()?
        .verify_audit_chain(&Operator::from_env(), anchor)?
    {
        Ok(head) => {
            println!("audit chain intact: {} entries", head.count);
            println!("head: {}", head.anchor_line());
            if let Some(p) = anchor_file {
                // Replaced whole (write beside, then rename): a crash never leaves a
                // half-written anchor.
                let tmp = p.with_extension("tmp");
                std::fs::write(&tmp, head.anchor_line() + "\n")
                    .with_context(|| format!("writing {}", tmp.display()))?;
                std::fs::rename(&tmp, p).with_context(|| format!("writing {}", p.display()))?;
            }
            Ok(ExitCode::SUCCESS)
        }
        Err(broken) => {
            println!("audit chain broken: {broken}");
            Ok(ExitCode::FAILURE)
        }
    }
}
