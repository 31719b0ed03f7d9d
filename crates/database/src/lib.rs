//! Opening tnw's database by its address, as the application ([`tnw_app::App`]): the
//! embedded SQLite file (the default) or a PostgreSQL server. The HTTP layer and the
//! command line get an `App` from here and never a connection; what is specific to a
//! backend (SQLite's writer gate and background checkpoints, a PostgreSQL read
//! replica, each backend's backups) stays in this crate and the backends.

pub mod backup;

use std::path::PathBuf;
use std::sync::Arc;
use tnw_app::{App, Connection, Connections, Opener};
use tnw_domain::RuleBook;
use tnw_storage::StorageError;
use tnw_storage_postgres::PgStore;
use tnw_storage_sqlite::SqliteStore;

#[derive(Debug, thiserror::Error)]
pub enum DatabaseError {
    #[error("{0}")]
    Address(String),
    #[error("opening database {path}: {source}")]
    Sqlite {
        path: String,
        #[source]
        source: StorageError,
    },
    /// The URL is not echoed: it may hold a password.
    #[error("connecting to the PostgreSQL database: {0}")]
    Postgres(#[source] StorageError),
    #[error(transparent)]
    Storage(#[from] StorageError),
    #[error("{0}")]
    Backup(String),
}

pub type Result<T> = std::result::Result<T, DatabaseError>;

/// Where `--db` points: a SQLite file (a path, `sqlite:PATH` or `sqlite://PATH`) or a
/// PostgreSQL server (`postgres://…`, `postgresql://…`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Address {
    Sqlite(PathBuf),
    Postgres(String),
}

impl Address {
    pub fn parse(db: &str) -> Result<Address> {
        if db.starts_with("postgres://") || db.starts_with("postgresql://") {
            return Ok(Address::Postgres(db.to_owned()));
        }
        let path = db
            .strip_prefix("sqlite://")
            .or_else(|| db.strip_prefix("sqlite:"))
            .unwrap_or(db);
        if path.is_empty() {
            return Err(DatabaseError::Address("--db: empty database path".into()));
        }
        Ok(Address::Sqlite(PathBuf::from(path)))
    }

    pub fn is_postgres(&self) -> bool {
        matches!(self, Address::Postgres(_))
    }
}

fn open_sqlite(path: &std::path::Path) -> Result<SqliteStore> {
    SqliteStore::open(path).map_err(|source| DatabaseError::Sqlite {
        path: path.display().to_string(),
        source,
    })
}

fn connect_postgres(url: &str) -> Result<PgStore> {
    PgStore::connect(url).map_err(DatabaseError::Postgres)
}

/// The application over the database at `address`, created and migrated on first use,
/// for a command: connections opened as needed, each committing with the backend's
/// full durability.
pub fn open(address: &Address, book: RuleBook) -> Result<App> {
    let open: Opener = match address {
        Address::Sqlite(path) => {
            let first = open_sqlite(path)?;
            let path = path.clone();
            return Ok(App::new(
                Connections {
                    open: Box::new(move || Ok(Box::new(SqliteStore::open(&path)?) as Connection)),
                    first: Some(Box::new(first)),
                    replica: None,
                    companion: None,
                },
                book,
            ));
        }
        Address::Postgres(url) => {
            let url = url.clone();
            Box::new(move || Ok(Box::new(PgStore::connect(&url)?) as Connection))
        }
    };
    let first = open().map_err(DatabaseError::Postgres)?;
    Ok(App::new(
        Connections {
            open,
            first: Some(first),
            replica: None,
            companion: None,
        },
        book,
    ))
}

/// How a server runs on its database.
#[derive(Debug, Clone, Default)]
pub struct ServerOptions {
    /// SQLite: every commit waits for the disk (otherwise a commit survives a crash of
    /// the process, not a power cut: docs/operations.md).
    pub full_sync: bool,
    /// PostgreSQL: a streaming replica for the reads that write nothing.
    pub read_replica: Option<String>,
}

/// The application over the database at `address` for a server: a pool of
/// connections (on SQLite behind one writer gate, with background checkpoints), on
/// PostgreSQL optionally with a read replica.
pub fn open_server(address: &Address, book: RuleBook, opts: &ServerOptions) -> Result<App> {
    match address {
        Address::Sqlite(path) => {
            if opts.read_replica.is_some() {
                return Err(DatabaseError::Address(
                    "--read-db needs a PostgreSQL primary (--db postgres://…)".into(),
                ));
            }
            Ok(App::new(sqlite_server(path, opts.full_sync)?, book))
        }
        Address::Postgres(url) => {
            // Every commit waits for the server's disk: PostgreSQL's own durability.
            let url = url.clone();
            let open: Opener =
                Box::new(move || Ok(Box::new(PgStore::connect(&url)?) as Connection));
            let first = open().map_err(DatabaseError::Postgres)?;
            let replica = opts.read_replica.clone().map(|replica| -> Opener {
                Box::new(move || Ok(Box::new(PgStore::connect_replica(&replica)?) as Connection))
            });
            Ok(App::new(
                Connections {
                    open,
                    first: Some(first),
                    replica,
                    companion: None,
                },
                book,
            ))
        }
    }
}

/// A server's SQLite connections: writers of all pooled connections of the file queue
/// at one gate; the first connection creates and migrates the file, then the
/// checkpointer opens it.
fn sqlite_server(path: &std::path::Path, full_sync: bool) -> Result<Connections> {
    let gate = SqliteStore::new_gate();
    let first = pooled_sqlite(path, &gate, full_sync).map_err(|source| DatabaseError::Sqlite {
        path: path.display().to_string(),
        source,
    })?;
    let checkpointer = SqliteStore::start_checkpointer(path, gate.clone())?;
    let path = path.to_owned();
    Ok(Connections {
        open: Box::new(move || Ok(Box::new(pooled_sqlite(&path, &gate, full_sync)?) as Connection)),
        first: Some(Box::new(first)),
        replica: None,
        companion: Some(Box::new(checkpointer)),
    })
}

fn pooled_sqlite(
    path: &std::path::Path,
    gate: &Arc<tnw_storage_sqlite::WriterGate>,
    full_sync: bool,
) -> std::result::Result<SqliteStore, StorageError> {
    let mut s = SqliteStore::open_shared(path, gate.clone())?;
    s.server_tuning()?;
    if !full_sync {
        s.relax_sync()?;
    }
    Ok(s)
}

/// The schema version of the database, migrated to the current one first.
pub fn migrate(address: &Address) -> Result<i64> {
    Ok(match address {
        Address::Sqlite(path) => open_sqlite(path)?.schema_version()?,
        Address::Postgres(url) => connect_postgres(url)?.schema_version()?,
    })
}
