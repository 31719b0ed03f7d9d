//! `tnw outbox`: staff reminders, planned, sent and counted.

use anyhow::Result;
use clap::Subcommand;
use std::process::ExitCode;
use tnw_domain::Date;

use crate::context::Context;
use crate::dates::{date_arg, today, unix_now};
use tnw_app::access::Operator;

#[derive(Subcommand)]
pub enum OutboxCommand {
    /// Queue today's reminders about overdue work (once per person and day).
    Plan {
        /// One fund (all funds when absent).
        #[arg(long, env = "TNW_ORG")]
        org: Option<String>,
        #[arg(long, value_parser = date_arg)]
        today: Option<Date>,
    },
    /// Send the messages that are due, through an SMTP server.
    Send {
        /// `smtp://host[:port]`
        #[arg(long, env = "TNW_SMTP")]
        smtp: String,
        #[arg(long, env = "TNW_SMTP_FROM", default_value = "tnw@localhost")]
        from: String,
    },
    /// Pending, sent and failing messages.
    Status {
        #[arg(long, env = "TNW_ORG")]
        org: Option<String>,
    },
}

pub fn run(ctx: &Context, what: OutboxCommand) -> Result<ExitCode> {
    let app = ctx.app()?;
    match what {
        OutboxCommand::Plan { org, today: day } => {
            let day = day.unwrap_or_else(today);
            for (o, n) in app.plan_reminders(org.as_deref(), day, unix_now())? {
                println!("{o}: {n} reminders queued");
            }
        }
        OutboxCommand::Send { smtp, from } => {
            let mailer = tnw_app::reminders::SmtpMailer::new(&smtp, &from)?;
            let d = app.deliver_reminders(&mailer, unix_now())?;
            println!("sent {}, failed {} (retried later)", d.sent, d.failed);
            if d.failed > 0 {
                return Ok(ExitCode::from(3));
            }
        }
        OutboxCommand::Status { org } => {
            let c = app.outbox_status(&Operator::from_env(), org.as_deref())?;
            println!(
                "pending {}\nsent {}\nfailing {}",
                c.pending, c.sent, c.failing
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}
