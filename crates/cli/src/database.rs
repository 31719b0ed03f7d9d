//! The `--db` address: which backend it names, and opening its store.

use anyhow::{bail, Context, Result};
use std::path::PathBuf;
use tnw_storage::Store;
use tnw_storage_postgres::PgStore;
use tnw_storage_sqlite::SqliteStore;

/// Where `--db` points: a SQLite file (the embedded default) or a PostgreSQL server.
pub enum Database {
    Sqlite(PathBuf),
    Postgres(String),
}

pub fn database(db: &str) -> Result<Database> {
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
pub fn sqlite_path(db: &str) -> Result<PathBuf> {
    match database(db)? {
        Database::Sqlite(path) => Ok(path),
        Database::Postgres(_) => bail!(
            "this command needs a SQLite file (--db PATH or sqlite:PATH); for PostgreSQL \
             use its own tools (pg_dump, pg_restore: docs/storage-postgres.md)"
        ),
    }
}

pub fn open_store(db: &str) -> Result<Box<dyn Store>> {
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
pub fn migrate(db: &str) -> Result<i64> {
    Ok(match database(db)? {
        Database::Sqlite(path) => SqliteStore::open(&path)
            .with_context(|| format!("opening database {}", path.display()))?
            .schema_version()?,
        Database::Postgres(url) => PgStore::connect(&url)
            .context("connecting to the PostgreSQL database")?
            .schema_version()?,
    })
}
