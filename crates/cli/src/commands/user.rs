//! `tnw user`: user accounts.

use anyhow::{anyhow, bail, Result};
use clap::Subcommand;
use std::process::ExitCode;

use crate::database::open_store;

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
        /// For employers and occupational physicians: the employer id.
        #[arg(long)]
        employer: Option<String>,
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

pub fn run(db: &str, what: UserCommand) -> Result<ExitCode> {
    let mut store = open_store(db)?;
    match what {
        UserCommand::Add {
            username,
            role,
            org,
            name,
            language,
            person,
            employer,
            email,
        } => {
            let email = match email {
                Some(e) => tnw_app::accounts::check_email(&e)?,
                None => None,
            };
            let role = tnw_app::access::Role::parse(&role).ok_or_else(|| {
                anyhow!(
                    "unknown role `{role}` (one of {})",
                    tnw_app::access::Role::ALL
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
            if password.chars().count() < 10 {
                bail!("the password must have at least 10 characters");
            }
            let display = name.unwrap_or_else(|| username.clone());
            tnw_app::auth::create_user(
                &mut *store,
                &org,
                &username,
                &display,
                role,
                &password,
                &language,
                person.as_deref(),
                employer.as_deref(),
            )?;
            if email.is_some() {
                if let Some(mut u) = store.user_by_name(&username)? {
                    u.email = email;
                    store.update_user(&org, &u)?;
                }
            }
            println!("user {username} ({}) created in {org}", role.as_str());
        }
        UserCommand::List { org } => {
            for u in store.users(&org)? {
                println!(
                    "{:<24} {:<24} {:<3} {}",
                    u.username, u.role, u.language, u.display_name
                );
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
