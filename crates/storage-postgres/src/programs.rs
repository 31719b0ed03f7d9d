//! Where PostgreSQL's programs are (the command line's `pg_dump`, the test cluster's
//! `initdb`).

use std::path::{Path, PathBuf};

/// The directory holding all of PostgreSQL's `programs` (`pg_dump`, `initdb` …): the
/// newest of Debian's `/usr/lib/postgresql/<version>/bin` that has them, else the first
/// directory on `PATH` that does. Newest first, so a dump's format matches the server.
pub fn programs_dir(programs: &[&str]) -> Option<PathBuf> {
    let has_all = |d: &Path| programs.iter().all(|p| d.join(p).is_file());
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let v: u32 = e.file_name().to_str()?.parse().ok()?;
            let bin = e.path().join("bin");
            has_all(&bin).then_some((v, bin))
        })
        .collect();
    versions.sort();
    if let Some((_, bin)) = versions.pop() {
        return Some(bin);
    }
    std::env::var_os("PATH")
        .iter()
        .flat_map(std::env::split_paths)
        .find(|d| has_all(d))
}
