//! The schema migrations; `PRAGMA user_version` records how many ran.

use crate::audit::chain_backfill;
use crate::{db, SqliteStore};
use rusqlite::Connection;
use std::path::Path;
use tnw_storage::{Result, StorageError};

/// Schema migrations, applied in order; `PRAGMA user_version` records how many ran.
const MIGRATIONS: &[&str] = &[
    include_str!("../migrations/0001_init.sql"),
    include_str!("../migrations/0002_access.sql"),
    include_str!("../migrations/0003_caseload.sql"),
    // 0004 was reserved for the survey responses and never used; they came as 0007.
    include_str!("../migrations/0005_outbox.sql"),
    include_str!("../migrations/0006_drafts.sql"),
    include_str!("../migrations/0007_surveys.sql"),
    AUDIT_CHAIN_SQL,
    include_str!("../migrations/0009_worklist_covering.sql"),
];

/// The migration after which existing audit entries are chained ([`chain_backfill`]).
const AUDIT_CHAIN_SQL: &str = include_str!("../migrations/0008_audit_chain.sql");

/// The schema version a database has once migrated.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

impl SqliteStore {
    /// Applies the migrations up to `version` only: builds databases of an older schema,
    /// to test upgrades.
    pub fn migrate_file_to(path: &Path, version: i64) -> Result<()> {
        let mut conn = Connection::open(path).map_err(db)?;
        conn.execute_batch("PRAGMA journal_mode = WAL;")
            .map_err(db)?;
        for (i, sql) in MIGRATIONS.iter().enumerate().take(version.max(0) as usize) {
            apply_migration(&mut conn, i, sql)?;
        }
        Ok(())
    }

    pub(crate) fn migrate(&mut self) -> Result<()> {
        let version: i64 = self
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(db)?;
        let supported = MIGRATIONS.len() as i64;
        if version > supported {
            return Err(StorageError::TooNew {
                found: version,
                supported,
            });
        }
        for (i, sql) in MIGRATIONS.iter().enumerate().skip(version as usize) {
            apply_migration(&mut self.conn, i, sql)?;
        }
        Ok(())
    }

    /// The schema version this file is at.
    pub fn schema_version(&self) -> Result<i64> {
        self.conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(db)
    }
}

/// Applies migration `i` and what goes with it, in one transaction.
fn apply_migration(conn: &mut Connection, i: usize, sql: &str) -> Result<()> {
    // Take the write lock first and look again: another process opening the same file
    // may have applied this migration since we read the version.
    let tx = conn
        .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
        .map_err(db)?;
    let version: i64 = tx
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(db)?;
    if version > i as i64 {
        return Ok(());
    }
    tx.execute_batch(sql).map_err(db)?;
    if sql == AUDIT_CHAIN_SQL {
        // An upgraded database verifies: its existing entries are chained before the
        // new version is recorded.
        chain_backfill(&tx)?;
    }
    // user_version cannot be bound as a parameter; `i + 1` is our own integer.
    tx.pragma_update(None, "user_version", i as i64 + 1)
        .map_err(db)?;
    tx.commit().map_err(db)
}
