//! `tnw bench`: the import and due-sweep benchmarks on generated national-scale data,
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
            name: "gen".into(),
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

    // The floor: sqlite3 loading the same lines into a one-column table.
    let floor_db = args.dir.join("floor.db");
    let _ = std::fs::remove_file(&floor_db);
    let floor = match Command::new("sqlite3").arg("--version").output() {
        Ok(_) => {
            let script = format!(
                // ASCII mode with the unit separator (0x1F) as column separator: every
                // line is one field, quotes and commas in the JSON are left alone.
                "CREATE TABLE t(line TEXT);\n.mode ascii\n.separator \"\u{1f}\" \"\\n\"\n.import '{}' t\n",
                file_s.replace('\'', "''")
            );
            let started = Instant::now();
            let mut child = Command::new("sqlite3")
                .arg(&floor_db)
                .stdin(Stdio::piped())
                .stdout(Stdio::null())
                .spawn()?;
            if let Some(mut stdin) = child.stdin.take() {
                use std::io::Write;
                stdin.write_all(script.as_bytes())?;
            }
            let status = child.wait()?;
            if !status.success() {
                bail!("sqlite3 .import failed");
            }
            Some(started.elapsed().as_secs_f64())
        }
        Err(_) => {
            eprintln!("sqlite3 not found: skipping the floor (apt-get install sqlite3)");
            None
        }
    };
    let _ = std::fs::remove_file(&floor_db);
    if let Some(f) = floor {
        steps.push(Step {
            name: "sqlite3 .import (floor)".into(),
            seconds: f,
            peak_mib: None,
            note: format!("{:.0} lines/s", lines as f64 / f),
        });
    }

    let db = args.dir.join("bench.db");
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", db.display()));
    }
    let db_s = db.display().to_string();
    let (s, peak, _) = run_tnw(
        &["--db", &db_s, "import", "events", &file_s, "--json"],
        Stdio::null(),
    )?;
    let rate = lines as f64 / s;
    steps.push(Step {
        name: "tnw import events".into(),
        seconds: s,
        peak_mib: peak,
        note: format!(
            "{rate:.0} events/s{}",
            floor
                .map(|f| format!(", {:.2}× the floor", s / f))
                .unwrap_or_default()
        ),
    });
    let (s, peak, _) = run_tnw(
        &["--db", &db_s, "import", "events", &file_s, "--json"],
        Stdio::null(),
    )?;
    steps.push(Step {
        name: "tnw import events (same file again)".into(),
        seconds: s,
        peak_mib: peak,
        note: "all duplicates".into(),
    });
    let (s, peak, _) = run_tnw(
        &["--db", &db_s, "due", "--as-of", &args.as_of, "--json"],
        Stdio::null(),
    )?;
    steps.push(Step {
        name: format!("tnw due --as-of {} --json", args.as_of),
        seconds: s,
        peak_mib: peak,
        note: format!("{:.0} dossiers/s", args.cases as f64 / s),
    });
    let (s, peak, _) = run_tnw(
        &[
            "--db",
            &db_s,
            "due",
            "--as-of",
            &args.as_of,
            "--json",
            "--rules",
            "tnw-2022",
        ],
        Stdio::null(),
    )?;
    steps.push(Step {
        name: "tnw due … --rules tnw-2022".into(),
        seconds: s,
        peak_mib: peak,
        note: String::new(),
    });

    println!("| step | seconds | peak memory | notes |\n|---|---:|---:|---|");
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
        "\n{} dossiers, {lines} events, {:.0} MiB of JSON Lines",
        args.cases,
        bytes as f64 / 1048576.0
    );
    Ok(ExitCode::SUCCESS)
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
