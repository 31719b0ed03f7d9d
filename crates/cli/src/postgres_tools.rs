//! PostgreSQL's own client programs, for `tnw backup` and `tnw restore`.

use anyhow::{anyhow, Result};
use std::path::PathBuf;

/// A PostgreSQL client program: Debian's newest (`/usr/lib/postgresql/*/bin`), else
/// the one on `PATH`.
pub fn pg_tool(name: &str) -> Result<PathBuf> {
    tnw_storage_postgres::programs_dir(&[name])
        .map(|d| d.join(name))
        .ok_or_else(|| anyhow!("{name} not found: install PostgreSQL's client programs (apt-get install postgresql-client)"))
}
