//! `tnw outbox`: staff reminders, planned, sent and counted.

use anyhow::Result;
use clap::Subcommand;
use std::process::ExitCode;
use tnw_domain::Date;

use crate::database::open_store;
use crate::dates::{date_arg, today, unix_now};

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

pub fn run(db: &str, what: OutboxCommand) -> Result<ExitCode> {
    let mut store = open_store(db)?;
    match what {
        OutboxCommand::Plan { org, today: day } => {
            let orgs = match org {
                Some(o) => vec![o],
                None => store.orgs()?,
            };
            let day = day.unwrap_or_else(today);
            for o in orgs {
                let n = tnw_app::reminders::plan(&mut *store, &o, day, unix_now())?;
                println!("{o}: {n} reminders queued");
            }
        }
        OutboxCommand::Send { smtp, from } => {
            let mailer = tnw_app::reminders::SmtpMailer::new(&smtp, &from)?;
            let d = tnw_app::reminders::deliver(&mut *store, &mailer, unix_now())?;
            println!("sent {}, failed {} (retried later)", d.sent, d.failed);
            if d.failed > 0 {
                return Ok(ExitCode::from(3));
            }
        }
        OutboxCommand::Status { org } => {
            let c = store.outbox_counts(org.as_deref())?;
            println!(
                "pending {}\nsent {}\nfailing {}",
                c.pending, c.sent, c.failing
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}
