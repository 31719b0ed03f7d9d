//! `tnw serve`: the web application and JSON API, and the reminder loop beside it.

use anyhow::Result;
use clap::Args;
use std::process::ExitCode;
use tnw_app::access::Operator;
use tnw_app::App;
use tnw_database::ServerOptions;
use tnw_domain::Date;

use crate::context::Context;
use crate::dates::{date_arg, today, unix_now};

#[derive(Args)]
pub struct ServeArgs {
    #[arg(long, env = "TNW_ADDR", default_value = "127.0.0.1:8080")]
    addr: std::net::SocketAddr,
    /// Fill an empty database with two demo funds and one user per role.
    #[arg(long)]
    demo: bool,
    /// Password of the demo users (printed at start when not given).
    #[arg(long, env = "TNW_DEMO_PASSWORD")]
    demo_password: Option<String>,
    /// Dossiers per demo fund.
    #[arg(long, default_value_t = 300)]
    demo_cases: u64,
    /// Cookies without the Secure flag (plain-HTTP test setups only).
    #[arg(long)]
    insecure_cookies: bool,
    /// Pretend today is this date (demos, tests).
    #[arg(long, value_parser = date_arg)]
    today: Option<Date>,
    /// Wait for the disk on every commit: survives power cuts, at about 3 ms per
    /// write (see docs/operations.md).
    #[arg(long)]
    full_sync: bool,
    /// Send staff reminders through this SMTP server (`smtp://host[:port]`): every
    /// minute the outbox is filled with today's reminders and the due ones are sent.
    #[arg(long, env = "TNW_SMTP")]
    smtp: Option<String>,
    /// Seconds between two reminder rounds.
    #[arg(long, default_value_t = 60, value_name = "SECONDS")]
    reminder_every: u64,
    /// A PostgreSQL read replica (`postgres://…`) for the reads that write nothing
    /// (worklists, caseloads, figures); the primary serves them when the replica is
    /// unreachable or has not yet replayed the caller's own writes.
    #[arg(long, env = "TNW_READ_DB")]
    read_db: Option<String>,
    #[arg(long, env = "TNW_SMTP_FROM", default_value = "tnw@localhost")]
    smtp_from: String,
}

pub fn run(ctx: &Context, args: ServeArgs) -> Result<ExitCode> {
    let mailer = match &args.smtp {
        Some(url) => Some(tnw_app::reminders::SmtpMailer::new(url, &args.smtp_from)?),
        None => None,
    };
    let book = ctx.book()?;
    let ServeArgs {
        addr,
        demo,
        demo_password,
        demo_cases,
        insecure_cookies,
        today,
        full_sync,
        read_db,
        reminder_every,
        ..
    } = args;
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .init();
    let app = tnw_database::open_server(
        &ctx.address()?,
        book,
        &ServerOptions {
            full_sync,
            read_replica: read_db,
        },
    )?;
    if demo {
        seed_demo(&app, demo_password, demo_cases, today)?;
    }
    if let Some(mailer) = mailer {
        let every = std::time::Duration::from_secs(reminder_every.max(1));
        reminder_loop(app.clone(), mailer, today, every);
    }
    let state = tnw_web::AppState::new(app, !insecure_cookies, today);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    eprintln!("tnw listening on http://{addr}");
    rt.block_on(tnw_web::serve(state, addr))?;
    Ok(ExitCode::SUCCESS)
}

/// Fills an empty database with the demo funds and users.
fn seed_demo(
    app: &App,
    password: Option<String>,
    cases: u64,
    fixed_today: Option<Date>,
) -> Result<()> {
    let password = password.unwrap_or_else(|| {
        use rand::Rng;
        let p: String = rand::thread_rng()
            .sample_iter(rand::distributions::Alphanumeric)
            .take(12)
            .map(char::from)
            .collect();
        eprintln!("demo password for every demo user: {p}");
        p
    });
    if app.seed_demo(&password, cases, fixed_today.unwrap_or_else(today))? {
        eprintln!(
            "demo: {} dossiers in funds fund-a and fund-b; users coordinator, doctor, paramedic, occupational_physician, employer, employment_service, member, analyst, admin (fund-b: the same with .b)",
            app.status(&Operator::from_env(), None)?.cases
        );
    } else {
        eprintln!("demo: the database already holds dossiers; left as it is");
    }
    Ok(())
}

/// Plans and sends reminders every minute in the background. Several servers on one
/// database share the work: planning is deduplicated and sending claims messages.
fn reminder_loop(
    app: App,
    mailer: tnw_app::reminders::SmtpMailer,
    fixed_today: Option<Date>,
    every: std::time::Duration,
) {
    std::thread::spawn(move || loop {
        let round = || -> Result<()> {
            let day = fixed_today.unwrap_or_else(today);
            app.plan_reminders(None, day, unix_now())?;
            let d = app.deliver_reminders(&mailer, unix_now())?;
            if d.sent + d.failed > 0 {
                tracing::info!(sent = d.sent, failed = d.failed, "reminders");
            }
            Ok(())
        };
        if let Err(e) = round() {
            tracing::warn!(error = %e, "reminder round failed");
        }
        std::thread::sleep(every);
    });
}
