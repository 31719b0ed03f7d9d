//! Standard output: a closed pipe as a normal end, and writing to a file or stdout.

use anyhow::{anyhow, Context, Result};
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

/// Stdout writer that treats a closed pipe (`tnw due | head`) as a normal end.
pub fn out_err(e: std::io::Error) -> anyhow::Error {
    anyhow!(e)
}

pub fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.downcast_ref::<std::io::Error>()
        .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
}

/// Writes to the file, or to standard output.
pub fn write_out(out: Option<&Path>, bytes: &[u8]) -> Result<ExitCode> {
    match out {
        Some(p) => std::fs::write(p, bytes).with_context(|| format!("writing {}", p.display()))?,
        None => std::io::stdout().lock().write_all(bytes).map_err(out_err)?,
    }
    Ok(ExitCode::SUCCESS)
}

pub fn mib(bytes: u64) -> String {
    format!("{:.1} MiB", bytes as f64 / f64::from(1 << 20))
}
