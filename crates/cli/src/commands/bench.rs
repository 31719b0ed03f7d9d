//! `tnw bench`: the import, due-sweep and figures benchmarks on generated national-scale data,
//! each step run as its own process so its wall time and peak memory are its own.

use anyhow::{bail, Context, Result};
use clap::Args;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::Instant;

#[derive(Args)]
pub struct BenchArgs {
    /// Dossiers to generate.
    #[arg(long, default_value_t = 1_000_000)]
    cases: u64,
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Working directory for the generated file and databases.
    #[arg(long, default_value = "bench-data")]
    dir: PathBuf,
    /// The as-of date of the due sweep.
    #[arg(long, default_value = "2026-11-22")]
    as_of: String,
    /// Runs of the floor, the import and the sweep (alternating); medians are
    /// reported, since a shared machine's timings vary by tens of percent.
    #[arg(long, default_value_t = 3)]
    runs: usize,
    /// Also run every step on PostgreSQL: the URL of a server where the bench may
    /// create and drop the databases `tnw_bench` and `tnw_bench_floor` (its floor is
    /// `psql \copy` of the same lines into a one-column table).
    #[arg(long, value_name = "URL")]
    postgres: Option<String>,
}

/// Where a backend's steps run: a fresh database before each import, and the floor.
enum Backend {
    Sqlite { db: PathBuf, floor_db: PathBuf },
    Postgres { admin: String },
}

impl Backend {
    fn name(&self) -> &'static str {
        match self {
            Backend::Sqlite { .. } => "SQLite",
            Backend::Postgres { .. } => "PostgreSQL",
        }
    }

    /// The `--db` value of the benchmark database.
    fn db(&self) -> String {
        match self {
            Backend::Sqlite { db, .. } => db.display().to_string(),
            Backend::Postgres { admin } => database_url(admin, "tnw_bench"),
        }
    }

    /// Removes the benchmark database, so the next import starts from nothing.
    fn reset(&self) -> Result<()> {
        match self {
            Backend::Sqlite { db, .. } => {
                for suffix in ["", "-wal", "-shm"] {
                    let _ = std::fs::remove_file(format!("{}{suffix}", db.display()));
                }
                Ok(())
            }
            Backend::Postgres { admin } => recreate(admin, "tnw_bench"),
        }
    }

    /// Seconds the database's own bulk loader needs for the file's lines; `None` when
    /// the loader is not installed.
    fn floor(&self, file: &str) -> Result<Option<f64>> {
        match self {
            Backend::Sqlite { floor_db, .. } => {
                if Command::new("sqlite3").arg("--version").output().is_err() {
                    return Ok(None);
                }
                let _ = std::fs::remove_file(floor_db);
                let s = sqlite3_floor(floor_db, file)?;
                let _ = std::fs::remove_file(floor_db);
                Ok(Some(s))
            }
            Backend::Postgres { admin } => {
                if Command::new("psql").arg("--version").output().is_err() {
                    return Ok(None);
                }
                recreate(admin, "tnw_bench_floor")?;
                let url = database_url(admin, "tnw_bench_floor");
                // CSV with separator and quote characters that never occur in the
                // lines: every line is one field, backslashes and quotes left alone.
                let copy = format!(
                    "\\copy t(line) FROM '{}' WITH (FORMAT csv, DELIMITER E'\\x1f', QUOTE E'\\x1e')",
                    file.replace('\'', "''")
                );
                let started = Instant::now();
                let out = Command::new("psql")
                    .args(["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", &url])
                    .args(["-c", "CREATE TABLE t(line text)", "-c", &copy])
                    .output()?;
                if !out.status.success() {
                    bail!(
                        "psql \\copy failed: {}",
                        String::from_utf8_lossy(&out.stderr)
                    );
                }
                let s = started.elapsed().as_secs_f64();
                recreate(admin, "tnw_bench_floor")?;
                Ok(Some(s))
            }
        }
    }
}

/// `url` with its database name replaced by `name`.
fn database_url(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, format!("?{q}")),
        None => (url, String::new()),
    };
    let server = match base.rsplit_once('/') {
        Some((server, _)) if server.contains("://") && server.len() > "postgres://".len() => server,
        _ => base,
    };
    format!("{server}/{name}{query}")
}

/// Drops and creates database `name` (a fixed name of ours, never input).
fn recreate(admin: &str, name: &str) -> Result<()> {
    let mut client = postgres::Client::connect(admin, postgres::NoTls)
        .with_context(|| "connecting to the PostgreSQL server of the bench")?;
    client.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))?;
    client.batch_execute(&format!("CREATE DATABASE {name}"))?;
    Ok(())
}

struct Step {
    name: String,
    seconds: f64,
    peak_mib: Option<f64>,
    note: String,
}

/// Runs `tnw` with `args`, stdout to `out`; returns wall seconds and peak RSS.
fn run_tnw(args: &[&str], out: Stdio) -> Result<(f64, Option<f64>, String)> {
    let exe = std::env::current_exe().context("locating the tnw binary")?;
    let started = Instant::now();
    let child = Command::new(exe)
        .args(args)
        .env("TNW_REPORT_PEAK_MEMORY", "1")
        .stdout(out)
        .stderr(Stdio::piped())
        .spawn()
        .context("starting tnw")?;
    let output = child.wait_with_output()?;
    let secs = started.elapsed().as_secs_f64();
    let stderr = String::from_utf8_lossy(&output.stderr).to_string();
    // Exit 3 = imported with rejected lines: a benchmark input must not have any.
    if !output.status.success() {
        bail!("tnw {} failed: {stderr}", args.join(" "));
    }
    let peak = stderr
        .lines()
        .find_map(|l| l.strip_prefix("peak memory: "))
        .and_then(|v| v.trim_end_matches(" MiB").parse().ok());
    Ok((secs, peak, stderr))
}

fn count_lines(path: &Path) -> Result<u64> {
    let data = std::fs::read(path)?;
    Ok(data.iter().filter(|&&b| b == b'\n').count() as u64)
}

pub fn run(_db: &str, args: BenchArgs) -> Result<ExitCode> {
    std::fs::create_dir_all(&args.dir)?;
    let file = args
        .dir
        .join(format!("events-{}-{}.jsonl", args.cases, args.seed));
    let file_s = file.display().to_string();
    let mut steps = Vec::new();
    if !file.exists() {
        let cases = args.cases.to_string();
        let seed = args.seed.to_string();
        let (s, peak, _) = run_tnw(
            &["gen", "--cases", &cases, "--seed", &seed, "--out", &file_s],
            Stdio::null(),
        )?;
        steps.push(Step {
            name: "tnw gen".into(),
            seconds: s,
            peak_mib: peak,
            note: String::new(),
        });
    }
    let lines = count_lines(&file)?;
    let bytes = std::fs::metadata(&file)?.len();
    eprintln!(
        "{lines} events, {:.0} MiB in {}",
        bytes as f64 / 1048576.0,
        file.display()
    );

    let runs = args.runs.max(1);
    let mut backends = vec![Backend::Sqlite {
        db: args.dir.join("bench.db"),
        floor_db: args.dir.join("floor.db"),
    }];
    if let Some(admin) = &args.postgres {
        backends.push(Backend::Postgres {
            admin: admin.clone(),
        });
    }
    for backend in &backends {
        steps.extend(bench_backend(backend, &args, &file_s, lines, runs)?);
    }
    println!("| step | seconds (median) | peak memory | notes |\n|---|---:|---:|---|");
    for st in &steps {
        println!(
            "| {} | {:.2} | {} | {} |",
            st.name,
            st.seconds,
            st.peak_mib
                .map(|m| format!("{m:.0} MiB"))
                .unwrap_or_else(|| "–".into()),
            st.note
        );
    }
    println!(
        "\n{} dossiers, {lines} events, {:.0} MiB of JSON Lines; {runs} runs per step",
        args.cases,
        bytes as f64 / 1048576.0
    );
    Ok(ExitCode::SUCCESS)
}

/// The import (against the backend's floor), the re-import, the due sweeps and the
/// reports on one backend.
fn bench_backend(
    backend: &Backend,
    args: &BenchArgs,
    file_s: &str,
    lines: u64,
    runs: usize,
) -> Result<Vec<Step>> {
    let name = backend.name();
    let db_s = backend.db();
    let mut steps = Vec::new();
    let (mut floors, mut imports, mut import_peak) = (Vec::new(), Vec::new(), None::<f64>);
    for run in 0..runs {
        if let Some(f) = backend.floor(file_s)? {
            floors.push(f);
        }
        backend.reset()?;
        let (s, peak, _) = run_tnw(
            &["--db", &db_s, "import", "events", file_s, "--json"],
            Stdio::null(),
        )?;
        eprintln!(
            "{name} run {}: floor {:?} s, import {s:.2} s",
            run + 1,
            floors.last()
        );
        imports.push(s);
        import_peak = max_peak(import_peak, peak);
    }
    let floor = (!floors.is_empty()).then(|| median(floors.clone()));
    if let Some(f) = floor {
        let loader = match backend {
            Backend::Sqlite { .. } => "sqlite3 .import",
            Backend::Postgres { .. } => "psql \\copy",
        };
        steps.push(Step {
            name: format!("{name}: {loader} (floor)"),
            seconds: f,
            peak_mib: None,
            note: format!("{:.0} lines/s; {}", lines as f64 / f, spread(&floors)),
        });
    } else {
        eprintln!("{name}: the bulk loader (sqlite3 / psql) is missing: no floor");
    }
    let s = median(imports.clone());
    steps.push(Step {
        name: format!("{name}: tnw import events"),
        seconds: s,
        peak_mib: import_peak,
        note: format!(
            "{:.0} events/s{}; {}",
            lines as f64 / s,
            floor
                .map(|f| format!(", {:.2}× the floor", s / f))
                .unwrap_or_default(),
            spread(&imports)
        ),
    });
    let (s, peak, _) = run_tnw(
        &["--db", &db_s, "import", "events", file_s, "--json"],
        Stdio::null(),
    )?;
    steps.push(Step {
        name: format!("{name}: tnw import events (same file again)"),
        seconds: s,
        peak_mib: peak,
        note: "every line recognised as already present".into(),
    });
    for (label, extra) in [("", None), (" --rules tnw-2022", Some("tnw-2022"))] {
        let mut argv = vec![
            "--db",
            db_s.as_str(),
            "due",
            "--as-of",
            args.as_of.as_str(),
            "--json",
        ];
        if let Some(r) = extra {
            argv.extend(["--rules", r]);
        }
        let (mut sweeps, mut peak) = (Vec::new(), None::<f64>);
        for _ in 0..runs {
            let (s, p, _) = run_tnw(&argv, Stdio::null())?;
            sweeps.push(s);
            peak = max_peak(peak, p);
        }
        let s = median(sweeps.clone());
        steps.push(Step {
            name: format!("{name}: tnw due --as-of {} --json{label}", args.as_of),
            seconds: s,
            peak_mib: peak,
            note: format!(
                "{:.0} dossiers/s; {}",
                args.cases as f64 / s,
                spread(&sweeps)
            ),
        });
    }
    for (what, extra) in [
        ("outcomes", &["--json"][..]),
        (
            "operations",
            &["--json", "--as-of", args.as_of.as_str()][..],
        ),
    ] {
        let mut argv = vec!["--db", db_s.as_str(), "report", what];
        argv.extend(extra);
        let (mut times, mut peak) = (Vec::new(), None::<f64>);
        for _ in 0..runs {
            let (s, p, _) = run_tnw(&argv, Stdio::null())?;
            times.push(s);
            peak = max_peak(peak, p);
        }
        steps.push(Step {
            name: format!("{name}: tnw report {what} --json"),
            seconds: median(times.clone()),
            peak_mib: peak,
            note: format!("every dossier read and compared; {}", spread(&times)),
        });
    }
    Ok(steps)
}

fn max_peak(a: Option<f64>, b: Option<f64>) -> Option<f64> {
    match (a, b) {
        (Some(x), Some(y)) => Some(x.max(y)),
        (x, y) => x.or(y),
    }
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v.get(v.len() / 2).copied().unwrap_or(f64::NAN)
}

fn spread(v: &[f64]) -> String {
    let lo = v.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = v.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    format!("runs {lo:.2}–{hi:.2} s")
}

/// Seconds `sqlite3` needs to `.import` the file's lines into a one-column table.
fn sqlite3_floor(db: &Path, file: &str) -> Result<f64> {
    // ASCII mode with the unit separator (0x1F) between columns: every line is one
    // field, and quotes and commas in the JSON are left alone.
    let script = format!(
        "CREATE TABLE t(line TEXT);\n.mode ascii\n.separator \"\u{1f}\" \"\\n\"\n.import '{}' t\n",
        file.replace('\'', "''")
    );
    let started = Instant::now();
    let mut child = Command::new("sqlite3")
        .arg(db)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()?;
    if let Some(mut stdin) = child.stdin.take() {
        use std::io::Write;
        stdin.write_all(script.as_bytes())?;
    }
    if !child.wait()?.success() {
        bail!("sqlite3 .import failed");
    }
    Ok(started.elapsed().as_secs_f64())
}

/// Peak resident memory of this process, from /proc (Linux).
pub fn peak_memory_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let kb: f64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))?
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()?;
    Some(kb / 1024.0)
}
