//! `tnw user`: user accounts.

use anyhow::{anyhow, Result};
use clap::Subcommand;
use std::process::ExitCode;

use crate::context::Context;
use tnw_app::access::{Operator, Role};
use tnw_app::accounts::NewAccount;

#[derive(Subcommand)]
pub enum UserCommand {
    /// Create a user; the password is read from TNW_PASSWORD or standard input.
    Add {
        username: String,
        #[arg(long)]
        role: String,
        #[arg(long, env = "TNW_ORG", default_value = "default")]
        org: String,
        #[arg(long)]
        name: Option<String>,
        #[arg(long, default_value = "nl")]
        language: String,
        /// For members: their person id.
        #[arg(long)]
        person: Option<String>,
        /// For occupational physicians serving one employer: the employer id as the
        /// dossiers name it.
        #[arg(long)]
        employer: Option<String>,
        /// For actors outside the fund: the party they act for (`employer:<KBO>`,
        /// `occupational_health:<KBO>`, `physician:<RIZIV>`, `employment_service:vdab` …).
        #[arg(long)]
        party: Option<String>,
        /// Where staff reminders go.
        #[arg(long)]
        email: Option<String>,
    },
    /// List a fund's users.
    List {
        #[arg(long, env = "TNW_ORG", default_value = "default")]
        org: String,
    },
}

pub fn run(ctx: &Context, what: UserCommand) -> Result<ExitCode> {
    let app = ctx.app()?;
    let op = Operator::from_env();
    match what {
        UserCommand::Add {
            username,
            role,
            org,
            name,
            language,
            person,
            employer,
            party,
            email,
        } => {
            let role = Role::parse(&role).ok_or_else(|| {
                anyhow!(
                    "unknown role `{role}` (one of {})",
                    Role::ALL
                        .iter()
                        .map(|r| r.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            })?;
            let password = match std::env::var("TNW_PASSWORD") {
                Ok(p) => p,
                Err(_) => {
                    let mut p = String::new();
                    std::io::stdin().read_line(&mut p)?;
                    p.trim_end_matches(['\r', '\n']).to_owned()
                }
            };
            let account = NewAccount {
                display_name: name.unwrap_or_else(|| username.clone()),
                username: username.clone(),
                role: role.as_str().to_owned(),
                language,
                password,
                person_id: person,
                employer_id: employer,
                party,
                email,
            };
            app.create_account_as_operator(&op, &org, &account)?;
            println!("user {username} ({}) created in {org}", role.as_str());
        }
        UserCommand::List { org } => {
            for u in app.accounts_as_operator(&op, &org)? {
                println!(
                    "{:<24} {:<24} {:<3} {}{}",
                    u.username,
                    u.role,
                    u.language,
                    u.display_name,
                    u.party.map(|p| format!(" ({p})")).unwrap_or_default()
                );
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
