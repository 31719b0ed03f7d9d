//! The embedded default store: one SQLite file in WAL mode, created on first use, its
//! migrations applied on open.
//!
//! The modules follow the storage traits, one implementation each (`cases`, `imports`,
//! `work`, `scans`, `absences`, `accounts`, `sessions`, `audit`, `outbox`, `drafts`, `survey`,
//! `funds`), beside what they share: opening a connection and its settings
//! (`connection`), the writer gate with the group commit of reads' audit entries
//! (`gate`), the background checkpointer (`checkpoint`), the schema migrations
//! (`migrations`), row mapping (`rows`), and backups (`backup`).

use rusqlite::Connection;
use std::sync::{Arc, Mutex, MutexGuard};
use tnw_storage::{Replication, StorageError};

mod absences;
mod accounts;
mod audit;
mod backup;
mod case_write;
mod cases;
mod checkpoint;
mod connection;
mod drafts;
mod funds;
mod gate;
mod imports;
mod migrations;
mod outbox;
mod rows;
mod scans;
mod sessions;
mod survey;
mod work;

pub use backup::{check_file, restore, DatabaseInfo, Restored};
pub use checkpoint::Checkpointer;
pub use gate::WriterGate;
pub use migrations::SCHEMA_VERSION;

pub struct SqliteStore {
    conn: Connection,
    /// Shared by the connections of one process: writers queue here, in order, instead
    /// of in SQLite's busy handler, which sleeps and retries (long tail latencies).
    gate: Arc<WriterGate>,
    /// Fund code → `orgs.id`, filled as funds are used.
    orgs: std::collections::HashMap<String, i64>,
}

/// One file, no replicas: the default positions (none).
impl Replication for SqliteStore {}

/// A poisoned lock only means another thread panicked while holding it; the data it
/// guards (a queue, or the write connection between transactions) stays consistent,
/// so we go on.
fn lock_ignoring_poison<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

fn db(e: rusqlite::Error) -> StorageError {
    StorageError::Backend(e.to_string())
}

fn corrupt(what: &str) -> StorageError {
    StorageError::Corrupt(what.to_owned())
}
