//! The `tnw` command line: thin translation between arguments and the use cases.

use anyhow::Result;
use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

use commands::{
    audit, backup, bench, demo, due, gen, import, migrate, outbox, report, restore, rules, serve,
    status, survey, timeline, user,
};
use context::Context;

mod commands;
mod context;
mod dates;
mod output;

// mimalloc: imports allocate and free millions of small strings across threads, where
// it is markedly faster than the system allocator.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "tnw",
    version,
    about = "Return-to-work coordination for Belgian health insurance funds"
)]
struct Cli {
    /// Database: a file path, `sqlite:PATH` (the embedded default), or a
    /// `postgres://user@host/db` URL (every command; backup and restore use pg_dump there).
    #[arg(long, global = true, env = "TNW_DB", default_value = "tnw.db")]
    db: String,
    /// Extra rule sets: every `*.toml` in this directory is added to the built-in ones.
    #[arg(long, global = true, env = "TNW_RULES_DIR")]
    rules_dir: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Import data.
    #[command(subcommand)]
    Import(import::ImportWhat),
    /// Open and overdue tasks of every dossier on a date (docs/domain.md 7.2).
    Due(due::DueArgs),
    /// A dossier's milestones, past and upcoming, with the rule and reason of each.
    Timeline(timeline::TimelineArgs),
    /// Write a synthetic population in the import format.
    Gen(gen::GenArgs),
    /// List the rule sets, or show one.
    Rules(rules::RulesArgs),
    /// Create the database or bring its schema up to date.
    Migrate(migrate::MigrateArgs),
    /// Counts of what the database holds.
    Status(status::StatusArgs),
    /// Benchmarks on generated national-scale data.
    Bench(bench::BenchArgs),
    /// Manage user accounts.
    #[command(subcommand)]
    User(user::UserCommand),
    /// Run the web application and JSON API.
    Serve(serve::ServeArgs),
    /// The figures: coached against not coached (docs/domain.md 7.5), operational figures.
    #[command(subcommand)]
    Report(report::ReportWhat),
    /// The experience survey: import responses (docs/domain.md 7.3), the report (7.4).
    #[command(subcommand)]
    Survey(survey::SurveyCommand),
    /// Staff reminders: plan today's, send what is due, show the outbox.
    #[command(subcommand)]
    Outbox(outbox::OutboxCommand),
    /// The audit log's integrity.
    #[command(subcommand)]
    Audit(audit::AuditCommand),
    /// A consistent copy of the database, taken while it is in use (SQLite
    /// `VACUUM INTO`; PostgreSQL `pg_dump` custom format). Never overwrites FILE.
    Backup(backup::BackupArgs),
    /// Replace the database with a backup, once the backup passes SQLite's integrity
    /// check, has a schema this program reads and an intact audit chain. Stop the
    /// server first: a database in use is not replaced. PostgreSQL: `pg_restore` in one
    /// transaction, then the audit chain is verified.
    Restore(restore::RestoreArgs),
    /// Fill the database with a generated demo population (if empty) and show today's tasks.
    Demo(demo::DemoArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = run(cli);
    if std::env::var_os("TNW_REPORT_PEAK_MEMORY").is_some() {
        if let Some(m) = bench::peak_memory_mib() {
            eprintln!("peak memory: {m:.1} MiB");
        }
    }
    match result {
        Ok(code) => code,
        Err(e) if output::is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> Result<ExitCode> {
    let ctx = Context {
        db: cli.db.as_str(),
        rules_dir: cli.rules_dir.as_deref(),
    };
    match cli.command {
        Command::Import(what) => import::run(&ctx, what),
        Command::Due(args) => due::run(&ctx, args),
        Command::Timeline(args) => timeline::run(&ctx, args),
        Command::Gen(args) => gen::run(args),
        Command::Rules(args) => rules::run(&ctx.book()?, args),
        Command::Migrate(args) => migrate::run(&ctx, args),
        Command::Status(args) => status::run(&ctx, args),
        Command::Bench(args) => bench::run(ctx.db, args),
        Command::Report(what) => report::run(&ctx, what),
        Command::Outbox(what) => outbox::run(&ctx, what),
        Command::Survey(what) => survey::run(&ctx, what),
        Command::User(what) => user::run(&ctx, what),
        Command::Serve(args) => serve::run(&ctx, args),
        Command::Audit(what) => audit::run(&ctx, what),
        Command::Backup(args) => backup::run(&ctx, args),
        Command::Restore(args) => restore::run(&ctx, args),
        Command::Demo(args) => demo::run(&ctx, args),
    }
}
