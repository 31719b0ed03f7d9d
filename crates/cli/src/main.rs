//! The `tnw` command line: thin translation between arguments and the use cases.

use anyhow::{anyhow, bail, Context, Result};
use clap::{Args, Parser, Subcommand};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use tnw_app::import::{ImportOptions, Progress};
use tnw_domain::date::parse_date;
use tnw_domain::{Date, RuleBook};
use tnw_storage::prelude::*;
use tnw_storage_postgres::PgStore;
use tnw_storage_sqlite::SqliteStore;

mod bench;

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
    Import {
        #[command(subcommand)]
        what: ImportWhat,
    },
    /// Open and overdue tasks of every dossier on a date (DOMAIN.md 7.2).
    Due(DueArgs),
    /// A dossier's milestones, past and upcoming, with the rule and reason of each.
    Timeline(TimelineArgs),
    /// Write a synthetic population in the import format.
    Gen(GenArgs),
    /// List the rule sets, or show one.
    Rules {
        /// Show this rule set's rules.
        name: Option<String>,
    },
    /// Create the database or bring its schema up to date.
    Migrate,
    /// Counts of what the database holds.
    Status {
        #[arg(long, env = "TNW_ORG")]
        org: Option<String>,
    },
    /// Benchmarks on generated national-scale data.
    Bench(bench::BenchArgs),
    /// Manage user accounts.
    User {
        #[command(subcommand)]
        what: UserCommand,
    },
    /// Run the web application and JSON API.
    Serve {
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
    },
    /// The figures: coached against not coached (DOMAIN.md 7.5), operational figures.
    Report {
        #[command(subcommand)]
        what: ReportWhat,
    },
    /// The experience survey: import responses (DOMAIN.md 7.3), the report (7.4).
    Survey {
        #[command(subcommand)]
        what: SurveyCommand,
    },
    /// Staff reminders: plan today's, send what is due, show the outbox.
    Outbox {
        #[command(subcommand)]
        what: OutboxCommand,
    },
    /// The audit log's integrity.
    Audit {
        #[command(subcommand)]
        what: AuditCommand,
    },
    /// A consistent copy of the database, taken while it is in use (SQLite
    /// `VACUUM INTO`; PostgreSQL `pg_dump` custom format). Never overwrites FILE.
    Backup { file: PathBuf },
    /// Replace the database with a backup, once the backup passes SQLite's integrity
    /// check, has a schema this program reads and an intact audit chain. Stop the
    /// server first: a database in use is not replaced. PostgreSQL: `pg_restore` in one
    /// transaction, then the audit chain is verified.
    Restore {
        file: PathBuf,
        /// Replace an existing database.
        #[arg(long)]
        force: bool,
    },
    /// Fill the database with a generated demo population (if empty) and show today's tasks.
    Demo {
        #[arg(long, default_value_t = 2000)]
        cases: u64,
        #[arg(long, default_value = "demo")]
        org: String,
    },
}

#[derive(Subcommand)]
enum UserCommand {
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

#[derive(Subcommand)]
enum AuditCommand {
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

#[derive(Subcommand)]
enum OutboxCommand {
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

#[derive(Subcommand)]
enum SurveyCommand {
    /// Import a CSV file of responses (header of question codes, one row per
    /// respondent). All or nothing: a file with a bad row stores nothing and every bad
    /// row is listed. Re-importing is safe: the same answers change nothing, changed
    /// answers replace the respondent's earlier ones. `-` reads standard input.
    Import {
        file: PathBuf,
        /// The fund the responses belong to.
        #[arg(long, env = "TNW_ORG", default_value = "default")]
        org: String,
    },
    /// The frequency report: every question and option with n, base and percent.
    Report {
        #[arg(long, value_enum, default_value = "csv")]
        format: SurveyFormat,
        #[arg(long, env = "TNW_ORG", default_value = "default")]
        org: String,
        /// Output file (default: standard output; XLSX needs a file or a pipe).
        #[arg(long, short)]
        out: Option<PathBuf>,
        /// Language of the HTML page's texts: nl, fr, de, en.
        #[arg(long, default_value = "en")]
        lang: String,
        /// The analyst's view: counts of 1–4 as `<5`, percentages over them left out.
        #[arg(long)]
        aggregate_only: bool,
    },
    /// Write synthetic responses shaped like the CM study of November 2023 (the
    /// 5,100 respondents of docs/survey.md, or the first N of them).
    Sample {
        #[arg(long, default_value_t = tnw_survey::study::RESPONDENTS)]
        respondents: usize,
        #[arg(long, short)]
        out: Option<PathBuf>,
    },
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum SurveyFormat {
    Csv,
    Xlsx,
    Html,
}

#[derive(Subcommand)]
enum ReportWhat {
    /// Coached against not coached: days sooner, relapse reduction, full resumption.
    Outcomes(ReportArgs),
    /// Time to each step, first contacts within a month, sustained return.
    Operations(ReportArgs),
}

#[derive(Args)]
struct ReportArgs {
    /// Dossiers whose incapacity started on or after this date.
    #[arg(long, value_parser = date_arg)]
    from: Option<Date>,
    /// … and on or before this date.
    #[arg(long, value_parser = date_arg)]
    to: Option<Date>,
    /// One fund (all funds when absent).
    #[arg(long, env = "TNW_ORG")]
    org: Option<String>,
    /// Only dossiers whose latest category is this one (1–4).
    #[arg(long, value_parser = clap::value_parser!(u8).range(1..=4))]
    category: Option<u8>,
    /// Only this condition (mental, musculoskeletal, injury, cancer, nervous, other).
    #[arg(long)]
    condition: Option<String>,
    /// Only this region (flanders, wallonia, brussels, german, abroad).
    #[arg(long)]
    region: Option<String>,
    /// The day the operational figures are judged on (default: today).
    #[arg(long, value_parser = date_arg)]
    as_of: Option<Date>,
    /// Print the JSON document instead of a table.
    #[arg(long)]
    json: bool,
}

#[derive(Subcommand)]
enum ImportWhat {
    /// Case events, JSON Lines (DOMAIN.md 7.1). `-` reads standard input.
    Events(ImportArgs),
}

#[derive(Args)]
struct ImportArgs {
    file: PathBuf,
    /// Reject the whole file, storing nothing, on the first bad line.
    #[arg(long)]
    strict: bool,
    /// The fund (organisation) the events belong to.
    #[arg(long, env = "TNW_ORG", default_value = "default")]
    org: String,
    /// Also write every rejected line's number and reason to this file (JSON Lines).
    #[arg(long)]
    rejects: Option<PathBuf>,
    /// Print the summary as JSON.
    #[arg(long)]
    json: bool,
}

#[derive(Args)]
struct DueArgs {
    #[arg(long, value_parser = date_arg)]
    as_of: Date,
    /// JSON Lines output.
    #[arg(long)]
    json: bool,
    /// Judge every dossier by this rule set (a what-if view).
    #[arg(long)]
    rules: Option<String>,
    /// Only this fund's dossiers (default: all funds).
    #[arg(long, env = "TNW_ORG")]
    org: Option<String>,
}

#[derive(Args)]
struct TimelineArgs {
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

#[derive(Args)]
struct GenArgs {
    #[arg(long)]
    cases: u64,
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Output file (default: standard output).
    #[arg(long, short)]
    out: Option<PathBuf>,
    /// Case id prefix (one per fund keeps funds' ids apart).
    #[arg(long, default_value = "C")]
    prefix: String,
}

fn date_arg(s: &str) -> std::result::Result<Date, String> {
    parse_date(s)
}

/// Where `--db` points: a SQLite file (the embedded default) or a PostgreSQL server.
enum Database {
    Sqlite(PathBuf),
    Postgres(String),
}

fn database(db: &str) -> Result<Database> {
    if db.starts_with("postgres://") || db.starts_with("postgresql://") {
        return Ok(Database::Postgres(db.to_owned()));
    }
    let path = db
        .strip_prefix("sqlite://")
        .or_else(|| db.strip_prefix("sqlite:"))
        .unwrap_or(db);
    if path.is_empty() {
        bail!("--db: empty database path");
    }
    Ok(Database::Sqlite(PathBuf::from(path)))
}

/// Resolves `--db` to a SQLite file path, for what runs on SQLite only (the server).
pub(crate) fn sqlite_path(db: &str) -> Result<PathBuf> {
    match database(db)? {
        Database::Sqlite(path) => Ok(path),
        Database::Postgres(_) => bail!(
            "this command needs a SQLite file (--db PATH or sqlite:PATH); for PostgreSQL \
             use its own tools (pg_dump, pg_restore: docs/storage-postgres.md)"
        ),
    }
}

pub(crate) fn open_store(db: &str) -> Result<Box<dyn Store>> {
    Ok(match database(db)? {
        Database::Sqlite(path) => Box::new(
            SqliteStore::open(&path)
                .with_context(|| format!("opening database {}", path.display()))?,
        ),
        // The URL is not echoed: it may hold a password.
        Database::Postgres(url) => {
            Box::new(PgStore::connect(&url).context("connecting to the PostgreSQL database")?)
        }
    })
}

/// The schema version of the database, migrated to the current one first.
fn migrate(db: &str) -> Result<i64> {
    Ok(match database(db)? {
        Database::Sqlite(path) => SqliteStore::open(&path)
            .with_context(|| format!("opening database {}", path.display()))?
            .schema_version()?,
        Database::Postgres(url) => PgStore::connect(&url)
            .context("connecting to the PostgreSQL database")?
            .schema_version()?,
    })
}

fn rule_book(dir: Option<&Path>) -> Result<RuleBook> {
    let Some(dir) = dir else {
        return Ok(RuleBook::builtin()?);
    };
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .with_context(|| format!("reading rule sets from {}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    let extra = files
        .iter()
        .map(|p| {
            let text =
                std::fs::read_to_string(p).with_context(|| format!("reading {}", p.display()))?;
            Ok((p.display().to_string(), text))
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(RuleBook::with_extra(extra)?)
}

fn today() -> Date {
    chrono::Local::now().date_naive()
}

/// Stdout writer that treats a closed pipe (`tnw due | head`) as a normal end.
fn out_err(e: std::io::Error) -> anyhow::Error {
    anyhow!(e)
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.downcast_ref::<std::io::Error>()
        .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
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
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::Import {
            what: ImportWhat::Events(args),
        } => {
            let book = rule_book(cli.rules_dir.as_deref())?;
            import(&cli.db, &book, args)
        }
        Command::Due(args) => {
            let book = rule_book(cli.rules_dir.as_deref())?;
            due(&cli.db, &book, args)
        }
        Command::Timeline(args) => {
            let book = rule_book(cli.rules_dir.as_deref())?;
            timeline(&cli.db, &book, args)
        }
        Command::Gen(args) => gen(args),
        Command::Rules { name } => {
            let book = rule_book(cli.rules_dir.as_deref())?;
            rules(&book, name.as_deref())
        }
        Command::Migrate => {
            println!("schema version {}", migrate(&cli.db)?);
            Ok(ExitCode::SUCCESS)
        }
        Command::Status { org } => {
            let mut store = open_store(&cli.db)?;
            let c = store.counts(org.as_deref())?;
            println!(
                "cases {}\nevents {}\nimports {}",
                c.cases, c.events, c.imports
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Bench(args) => bench::run(&cli.db, args),
        Command::Report { what } => report(&cli.db, what),
        Command::Outbox { what } => outbox(&cli.db, what),
        Command::Survey { what } => survey(&cli.db, what),
        Command::User { what } => user(&cli.db, what),
        Command::Serve {
            addr,
            demo,
            demo_password,
            demo_cases,
            insecure_cookies,
            today,
            full_sync,
            smtp,
            smtp_from,
            reminder_every,
            read_db,
        } => {
            if let Some(url) = smtp {
                let mailer = tnw_app::reminders::SmtpMailer::new(&url, &smtp_from)?;
                let every = std::time::Duration::from_secs(reminder_every.max(1));
                reminder_loop(cli.db.clone(), mailer, today, every);
            }
            let book = rule_book(cli.rules_dir.as_deref())?;
            serve(
                &cli.db,
                book,
                ServeOptions {
                    addr,
                    demo: demo.then_some((demo_password, demo_cases)),
                    secure_cookies: !insecure_cookies,
                    today,
                    full_sync,
                    read_db,
                },
            )
        }
        Command::Audit {
            what: AuditCommand::Verify { anchor },
        } => audit_verify(&cli.db, anchor.as_deref()),
        Command::Backup { file } => backup(&cli.db, &file),
        Command::Restore { file, force } => restore(&cli.db, &file, force),
        Command::Demo { cases, org } => {
            let book = rule_book(cli.rules_dir.as_deref())?;
            demo(&cli.db, &book, cases, org)
        }
    }
}

/// Audit entries read per step of the walk: bounded memory on any log size.
const AUDIT_CHUNK: u32 = 10_000;

fn audit_verify(db: &str, anchor_file: Option<&Path>) -> Result<ExitCode> {
    use tnw_storage::chain::{verify_store, Anchor};
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
    let mut store = open_store(db)?;
    match verify_store(store.as_mut(), anchor, AUDIT_CHUNK)? {
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

fn mib(bytes: u64) -> String {
    format!("{:.1} MiB", bytes as f64 / f64::from(1 << 20))
}

fn backup(db: &str, file: &Path) -> Result<ExitCode> {
    if let Database::Postgres(url) = database(db)? {
        return pg_backup(&url, file);
    }
    let path = sqlite_path(db)?;
    if !path.exists() {
        bail!("no database at {}", path.display());
    }
    let mut store =
        SqliteStore::open(&path).with_context(|| format!("opening database {}", path.display()))?;
    let info = store
        .backup_to(file)
        .with_context(|| format!("backing up to {}", file.display()))?;
    println!(
        "backup {}: {}, schema version {}\ncases {}\nevents {}\nimports {}\naudit entries {}",
        file.display(),
        mib(info.bytes),
        info.schema_version,
        info.counts.cases,
        info.counts.events,
        info.counts.imports,
        info.audit_entries
    );
    Ok(ExitCode::SUCCESS)
}

/// PostgreSQL's own dump (`pg_dump --format=custom`), readable by `pg_restore` and so
/// by any PostgreSQL tooling; a consistent snapshot taken while the database is in use.
fn pg_backup(url: &str, file: &Path) -> Result<ExitCode> {
    if file.exists() {
        bail!(
            "{} exists; a backup never overwrites a file",
            file.display()
        );
    }
    let mut store = PgStore::connect(url)?;
    let counts = store.counts(None)?;
    let out = std::process::Command::new(pg_tool("pg_dump")?)
        .args(["--format=custom", "--no-owner", "--no-privileges", "--file"])
        .arg(file)
        .arg(url)
        .output()
        .context("running pg_dump")?;
    if !out.status.success() {
        let _ = std::fs::remove_file(file);
        bail!(
            "pg_dump failed: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    let bytes = std::fs::metadata(file).map(|m| m.len()).unwrap_or(0);
    println!(
        "backup {} (pg_dump custom format): {}, schema version {}\ncases {}\nevents {}\nimports {}",
        file.display(),
        mib(bytes),
        store.schema_version()?,
        counts.cases,
        counts.events,
        counts.imports
    );
    Ok(ExitCode::SUCCESS)
}

/// `pg_restore` of a `tnw backup` into the database of `url`, in one transaction (all
/// or nothing); then the schema is brought up to date and the audit chain verified. A
/// database that already holds tnw tables is only replaced with `--force`.
fn pg_restore(url: &str, file: &Path, force: bool) -> Result<ExitCode> {
    if !file.is_file() {
        bail!("no backup at {}", file.display());
    }
    let mut client = postgres::Client::connect(url, postgres::NoTls)
        .with_context(|| "connecting to the target database")?;
    let has_tables = client
        .query_one(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'",
            &[],
        )?
        .get::<_, i64>(0)
        > 0;
    drop(client);
    if has_tables && !force {
        bail!("the target database is not empty; add --force to replace what it holds");
    }
    let mut cmd = std::process::Command::new(pg_tool("pg_restore")?);
    cmd.args([
        "--no-owner",
        "--no-privileges",
        "--single-transaction",
        "--exit-on-error",
    ]);
    if has_tables {
        cmd.args(["--clean", "--if-exists"]);
    }
    let out = cmd
        .arg("--dbname")
        .arg(url)
        .arg(file)
        .output()
        .context("running pg_restore")?;
    if !out.status.success() {
        bail!(
            "pg_restore failed, the database is as it was: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    let mut store = PgStore::connect(url)?;
    let counts = store.counts(None)?;
    let head = tnw_storage::chain::verify_store(&mut store, None, 10_000)?
        .map_err(|b| anyhow!("restored, but the audit chain is broken: {b}"))?;
    println!(
        "restored from {}: schema version {}\ncases {}\nevents {}\nimports {}\naudit chain intact: {} entries",
        file.display(),
        store.schema_version()?,
        counts.cases,
        counts.events,
        counts.imports,
        head.count
    );
    Ok(ExitCode::SUCCESS)
}

/// A PostgreSQL client program: Debian's newest (`/usr/lib/postgresql/*/bin`), else
/// the one on `PATH`.
fn pg_tool(name: &str) -> Result<PathBuf> {
    tnw_storage_postgres::programs_dir(&[name])
        .map(|d| d.join(name))
        .ok_or_else(|| anyhow!("{name} not found: install PostgreSQL's client programs (apt-get install postgresql-client)"))
}

fn restore(db: &str, file: &Path, force: bool) -> Result<ExitCode> {
    if let Database::Postgres(url) = database(db)? {
        return pg_restore(&url, file, force);
    }
    let target = sqlite_path(db)?;
    let r = tnw_storage_sqlite::restore(file, &target, force)
        .with_context(|| format!("restoring {} from {}", target.display(), file.display()))?;
    println!(
        "restored {} from {}: {}, schema version {} (backup: {})\ncases {}\nevents {}\nimports {}\naudit chain intact: {} entries",
        target.display(),
        file.display(),
        mib(r.info.bytes),
        r.info.schema_version,
        r.backup_version,
        r.info.counts.cases,
        r.info.counts.events,
        r.info.counts.imports,
        r.audit.count
    );
    Ok(ExitCode::SUCCESS)
}

fn import(db: &str, book: &RuleBook, args: ImportArgs) -> Result<ExitCode> {
    let data = if args.file.as_os_str() == "-" {
        let mut buf = Vec::new();
        std::io::Read::read_to_end(&mut std::io::stdin(), &mut buf)
            .context("reading standard input")?;
        buf
    } else {
        std::fs::read(&args.file).with_context(|| format!("reading {}", args.file.display()))?
    };
    let mut store = open_store(db)?;
    let bar = (std::io::stderr().is_terminal() && data.len() > 8 << 20).then(|| {
        let b = indicatif::ProgressBar::new(0);
        b.set_style(
            indicatif::ProgressStyle::with_template("{msg} [{bar:40}] {pos}/{len} cases ({eta})")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        b.set_message("parsing");
        b
    });
    let progress = |p: Progress| {
        if let Some(b) = &bar {
            match p {
                Progress::Parsed { .. } => b.set_message("importing"),
                Progress::Cases { done, total } => {
                    b.set_length(total);
                    b.set_position(done);
                }
            }
        }
    };
    let opts = ImportOptions {
        org: args.org.clone(),
        strict: args.strict,
        source: args.file.display().to_string(),
        ..Default::default()
    };
    let started = std::time::Instant::now();
    let report = tnw_app::import::import_events(&mut *store, book, &data, &opts, &progress)?;
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    let secs = started.elapsed().as_secs_f64();
    if let Some(path) = &args.rejects {
        let mut f = std::io::BufWriter::new(
            std::fs::File::create(path).with_context(|| format!("creating {}", path.display()))?,
        );
        for r in &report.rejected {
            serde_json::to_writer(&mut f, r)?;
            f.write_all(b"\n")?;
        }
        f.flush()?;
    }
    if args.json {
        let mut v = serde_json::to_value(&report)?;
        v["seconds"] = serde_json::json!(secs);
        println!("{v}");
    } else {
        let mut err = std::io::stderr().lock();
        const SHOWN: usize = 50;
        for r in report.rejected.iter().take(SHOWN) {
            writeln!(err, "line {}: {}", r.line, r.reason)?;
        }
        if report.rejected.len() > SHOWN {
            writeln!(
                err,
                "… and {} more rejected lines (use --rejects FILE for all)",
                report.rejected.len() - SHOWN
            )?;
        }
        if args.strict && !report.committed {
            writeln!(
                err,
                "--strict: the file was rejected as a whole; nothing was imported"
            )?;
        }
        println!(
            "{} lines: {} imported, {} rejected, {} already present ({} new dossiers, {} updated) in {:.1} s",
            report.lines,
            report.imported,
            report.rejected.len(),
            report.duplicates,
            report.cases_created,
            report.cases_updated,
            secs
        );
    }
    Ok(if !report.committed {
        ExitCode::FAILURE
    } else if report.rejected.is_empty() {
        ExitCode::SUCCESS
    } else {
        // Partly imported: make it visible to scripts (documented in docs/operations.md).
        ExitCode::from(3)
    })
}

fn due(db: &str, book: &RuleBook, args: DueArgs) -> Result<ExitCode> {
    let forced = args.rules.as_deref().map(|n| book.get(n)).transpose()?;
    let mut store = open_store(db)?;
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
    let cases = tnw_app::due::sweep(
        &mut *store,
        book,
        args.org.as_deref(),
        args.as_of,
        forced,
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

fn timeline(db: &str, book: &RuleBook, args: TimelineArgs) -> Result<ExitCode> {
    let forced = args.rules.as_deref().map(|n| book.get(n)).transpose()?;
    let mut store = open_store(db)?;
    let as_of = args.as_of.unwrap_or_else(today);
    let t = tnw_app::timeline::timeline(
        &mut *store,
        book,
        &args.org,
        &args.case,
        as_of,
        forced,
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

fn user(db: &str, what: UserCommand) -> Result<ExitCode> {
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

/// How `tnw serve` runs (its command-line options).
struct ServeOptions {
    addr: std::net::SocketAddr,
    /// Demo password (generated when `None`) and dossiers per fund.
    demo: Option<(Option<String>, u64)>,
    secure_cookies: bool,
    today: Option<Date>,
    full_sync: bool,
    read_db: Option<String>,
}

fn serve(db: &str, book: RuleBook, opts: ServeOptions) -> Result<ExitCode> {
    let ServeOptions {
        addr,
        demo,
        secure_cookies,
        today,
        full_sync,
        read_db,
    } = opts;
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .init();
    let database = database(db)?;
    if matches!(database, Database::Sqlite(_)) && read_db.is_some() {
        bail!("--read-db needs a PostgreSQL primary (--db postgres://…)");
    }
    if let Some((password, cases)) = demo {
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
        let mut store = open_store(db)?;
        if tnw_web::demo::seed(
            &mut *store,
            &book,
            &password,
            cases,
            today.unwrap_or_else(self::today),
        )? {
            eprintln!(
                "demo: {} dossiers in funds fund-a and fund-b; users coordinator, doctor, paramedic, occupational_physician, employer, employment_service, member, analyst, admin (fund-b: the same with .b)",
                store.counts(None)?.cases
            );
        } else {
            eprintln!("demo: the database already holds dossiers; left as it is");
        }
    }
    let state = match database {
        Database::Sqlite(path) => {
            tnw_web::AppState::with_sync(path, book, secure_cookies, today, full_sync)?
        }
        Database::Postgres(url) => {
            // Every commit waits for the server's disk: PostgreSQL's own durability.
            let open: tnw_web::Opener = Box::new(move || {
                let s: tnw_web::PooledStore = Box::new(PgStore::connect(&url)?);
                Ok(s)
            });
            let replica = read_db.map(|replica| -> tnw_web::Opener {
                Box::new(move || {
                    let s: tnw_web::PooledStore = Box::new(PgStore::connect_replica(&replica)?);
                    Ok(s)
                })
            });
            tnw_web::AppState::with_replica(open, replica, book, secure_cookies, today)?
        }
    };
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    eprintln!("tnw listening on http://{addr}");
    rt.block_on(tnw_web::serve(state, addr))?;
    Ok(ExitCode::SUCCESS)
}

/// Plans and sends reminders every minute in the background. Several servers on one
/// database share the work: planning is deduplicated and sending claims messages.
fn reminder_loop(
    db: String,
    mailer: tnw_app::reminders::SmtpMailer,
    fixed_today: Option<Date>,
    every: std::time::Duration,
) {
    std::thread::spawn(move || loop {
        let round = || -> Result<()> {
            let mut store = open_store(&db)?;
            let day = fixed_today.unwrap_or_else(today);
            for org in store.orgs()? {
                tnw_app::reminders::plan(&mut *store, &org, day, unix_now())?;
            }
            let d = tnw_app::reminders::deliver(&mut *store, &mailer, unix_now())?;
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

fn demo(db: &str, book: &RuleBook, cases: u64, org: String) -> Result<ExitCode> {
    let mut store = open_store(db)?;
    if store.counts(Some(&org))?.cases == 0 {
        let mut data = Vec::new();
        let opts = tnw_gen::GenOptions {
            cases,
            seed: 1,
            ..Default::default()
        };
        tnw_gen::generate(&opts, &mut data)?;
        let report = tnw_app::import::import_events(
            &mut *store,
            book,
            &data,
            &ImportOptions {
                org: org.clone(),
                source: "demo".into(),
                ..Default::default()
            },
            &|_| {},
        )?;
        eprintln!(
            "demo: {} dossiers with {} events imported into {}",
            report.cases_created, report.imported, db
        );
    }
    drop(store);
    let as_of = today();
    eprintln!("tasks open or overdue today ({as_of}):");
    due(
        db,
        book,
        DueArgs {
            as_of,
            json: false,
            rules: None,
            org: Some(org),
        },
    )
}

fn gen(args: GenArgs) -> Result<ExitCode> {
    let opts = tnw_gen::GenOptions {
        cases: args.cases,
        seed: args.seed,
        case_prefix: args.prefix,
        ..Default::default()
    };
    let stats = match &args.out {
        Some(p) => {
            let f =
                std::fs::File::create(p).with_context(|| format!("creating {}", p.display()))?;
            tnw_gen::generate(&opts, std::io::BufWriter::with_capacity(1 << 20, f))?
        }
        None => tnw_gen::generate(
            &opts,
            std::io::BufWriter::with_capacity(1 << 20, std::io::stdout().lock()),
        )?,
    };
    eprintln!(
        "{} dossiers, {} events, {} persons",
        stats.cases, stats.events, stats.persons
    );
    Ok(ExitCode::SUCCESS)
}

fn rules(book: &RuleBook, name: Option<&str>) -> Result<ExitCode> {
    match name {
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
            for src in &s.sources {
                println!("  source: {src}");
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

fn figure_filter(a: &ReportArgs) -> Result<tnw_app::figures::FigureFilter> {
    use tnw_domain::event::{Condition, Region};
    let mut f = tnw_app::figures::FigureFilter {
        category: a.category,
        ..Default::default()
    };
    if let Some(d) = a.from {
        f.from = d;
    }
    if let Some(d) = a.to {
        f.to = d;
    }
    if f.from > f.to {
        bail!("--from {} is after --to {}", f.from, f.to);
    }
    if let Some(c) = &a.condition {
        f.condition = Some(Condition::parse(c).ok_or_else(|| {
            anyhow!("--condition: `{c}` is not one of {}", Condition::expected())
        })?);
    }
    if let Some(r) = &a.region {
        f.region = Some(
            Region::parse(r)
                .ok_or_else(|| anyhow!("--region: `{r}` is not one of {}", Region::expected()))?,
        );
    }
    Ok(f)
}

fn report(db: &str, what: ReportWhat) -> Result<ExitCode> {
    let (args, outcomes) = match &what {
        ReportWhat::Outcomes(a) => (a, true),
        ReportWhat::Operations(a) => (a, false),
    };
    let filter = figure_filter(args)?;
    let mut store = open_store(db)?;
    let population = tnw_app::figures::load(&mut *store, args.org.as_deref())?;
    let mut out = std::io::stdout().lock();
    if outcomes {
        let o = population.outcomes(&filter);
        let doc = tnw_app::figures::OutcomesJson::from(&o);
        if args.json {
            writeln!(out, "{}", serde_json::to_string(&doc)?).map_err(out_err)?;
        } else {
            let num = |x: Option<f64>| x.map(|v| format!("{v}")).unwrap_or_else(|| "–".into());
            writeln!(out, "{:<22} {:>12} {:>12}", "", "coached", "not coached").map_err(out_err)?;
            for (name, a, b) in [
                (
                    "dossiers",
                    doc.coached.n.to_string(),
                    doc.not_coached.n.to_string(),
                ),
                (
                    "returned",
                    doc.coached.returned.to_string(),
                    doc.not_coached.returned.to_string(),
                ),
                (
                    "mean days to return",
                    num(doc.coached.mean_days_to_return),
                    num(doc.not_coached.mean_days_to_return),
                ),
                (
                    "relapse rate",
                    num(doc.coached.relapse_rate),
                    num(doc.not_coached.relapse_rate),
                ),
                (
                    "part-time returns",
                    doc.coached.part_time_returns.to_string(),
                    doc.not_coached.part_time_returns.to_string(),
                ),
                (
                    "full resumption rate",
                    num(doc.coached.full_resumption_rate),
                    num(doc.not_coached.full_resumption_rate),
                ),
            ] {
                writeln!(out, "{name:<22} {a:>12} {b:>12}").map_err(out_err)?;
            }
            writeln!(
                out,
                "days sooner {}, relapse reduction {}, full-resumption increase {}",
                num(doc.days_sooner),
                num(doc.relapse_reduction),
                num(doc.full_resumption_increase)
            )
            .map_err(out_err)?;
        }
    } else {
        let ops = population.operations(&filter, args.as_of.unwrap_or_else(today));
        if args.json {
            writeln!(out, "{}", serde_json::to_string(&ops)?).map_err(out_err)?;
        } else {
            writeln!(out, "dossiers {} (coached {})", ops.dossiers, ops.coached)
                .map_err(out_err)?;
            for (name, s) in [
                ("days to quick scan", ops.to_quick_scan),
                ("days to assessment", ops.to_assessment),
                ("days to referral", ops.to_referral),
                ("days to first contact", ops.to_first_contact),
            ] {
                let v = |x: Option<i64>| x.map(|v| v.to_string()).unwrap_or_else(|| "–".into());
                writeln!(
                    out,
                    "{name:<22} n {:>8}  median {:>5}  p90 {:>5}",
                    s.n,
                    v(s.median),
                    v(s.p90)
                )
                .map_err(out_err)?;
            }
            let fc = ops.first_contacts;
            writeln!(
                out,
                "first contacts within a month: {} of {}",
                fc.within_month, fc.referrals
            )
            .map_err(out_err)?;
            for s in &ops.sustained {
                writeln!(
                    out,
                    "sustained return at {:>2} months: {} of {}",
                    s.months, s.sustained, s.returns
                )
                .map_err(out_err)?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn survey(db: &str, what: SurveyCommand) -> Result<ExitCode> {
    match what {
        SurveyCommand::Import { file, org } => {
            let data = if file.as_os_str() == "-" {
                let mut buf = Vec::new();
                std::io::Read::read_to_end(&mut std::io::stdin().lock(), &mut buf)?;
                buf
            } else {
                std::fs::read(&file).with_context(|| format!("reading {}", file.display()))?
            };
            let mut store = open_store(db)?;
            match tnw_app::survey::import(&mut *store, &org, &data) {
                Ok(done) => {
                    let c = done.counts;
                    println!(
                        "{} respondents: {} new, {} updated, {} unchanged (fund {org})",
                        done.respondents, c.new, c.updated, c.unchanged
                    );
                    Ok(ExitCode::SUCCESS)
                }
                Err(tnw_app::survey::SurveyError::Import(e)) => {
                    use tnw_app::survey::ImportError;
                    match &e {
                        ImportError::Rows(rows) => {
                            for r in rows {
                                eprintln!("{}: {r}", file.display());
                            }
                            eprintln!(
                                "nothing imported: {} error(s) in {}; fix them and import the file again",
                                rows.len(),
                                file.display()
                            );
                        }
                        other => eprintln!("{}: {other}; nothing imported", file.display()),
                    }
                    Ok(ExitCode::FAILURE)
                }
                Err(e) => Err(e.into()),
            }
        }
        SurveyCommand::Report {
            format,
            org,
            out,
            lang,
            aggregate_only,
        } => {
            let mut store = open_store(db)?;
            let report = tnw_app::survey::report(&mut *store, &org)?;
            let bytes = match format {
                SurveyFormat::Csv => tnw_app::survey::to_csv(&report, aggregate_only).into_bytes(),
                SurveyFormat::Xlsx => {
                    if out.is_none() && std::io::stdout().is_terminal() {
                        bail!("XLSX is binary: give --out FILE or redirect standard output");
                    }
                    let t = tnw_app::survey::table(&report, aggregate_only, "Experience survey");
                    tnw_app::export::to_xlsx(&[t])?
                }
                SurveyFormat::Html => {
                    tnw_web::survey::standalone_html(&report, &lang, aggregate_only)?.into_bytes()
                }
            };
            write_out(out.as_deref(), &bytes)
        }
        SurveyCommand::Sample { respondents, out } => {
            let i = tnw_app::survey::instrument()?;
            let all = tnw_survey::study::respondents(i).map_err(|e| anyhow!(e))?;
            let take = respondents.min(all.len());
            let csv = tnw_survey::responses::to_csv(i, &all[..take]);
            write_out(out.as_deref(), csv.as_bytes())
        }
    }
}

/// Writes to the file, or to standard output.
fn write_out(out: Option<&Path>, bytes: &[u8]) -> Result<ExitCode> {
    match out {
        Some(p) => std::fs::write(p, bytes).with_context(|| format!("writing {}", p.display()))?,
        None => std::io::stdout().lock().write_all(bytes).map_err(out_err)?,
    }
    Ok(ExitCode::SUCCESS)
}

fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

fn outbox(db: &str, what: OutboxCommand) -> Result<ExitCode> {
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
