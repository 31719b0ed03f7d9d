//! The schema's migrations, applied on connect in one transaction under an advisory
//! lock; `schema_migrations` records each one.

use crate::audit::chain_backfill;
use crate::connection::db;
use crate::rows::Col;
use crate::PgStore;
use postgres::{Client, NoTls};
use tnw_storage::{Result, StorageError};

/// Schema migrations, applied in order; `schema_migrations` records each one.
const MIGRATIONS: &[&str] = &[
    include_str!("../migrations/0001_init.sql"),
    include_str!("../migrations/0002_audit_chain.sql"),
    include_str!("../migrations/0003_import_speed.sql"),
    include_str!("../migrations/0004_import_keys.sql"),
    include_str!("../migrations/0005_audited_calls.sql"),
    include_str!("../migrations/0006_audit_keys.sql"),
    include_str!("../migrations/0007_worklist_columns.sql"),
];

/// The schema version a database has once migrated.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// Advisory lock key held while migrating ("tnw_migr" in ASCII): app instances starting
/// together migrate one after the other, and the later ones find nothing to do.
const MIGRATION_LOCK: i64 = 0x746e_775f_6d69_6772;

/// Applies the migrations after the recorded version, up to `upto` (all when `None`),
/// in one transaction under the migration lock.
pub(crate) fn migrate(client: &mut Client, upto: Option<i64>) -> Result<()> {
    let target = upto.map_or(MIGRATIONS.len(), |v| v.max(0) as usize);
    let mut tx = client.transaction().map_err(db)?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])
        .map_err(db)?;
    tx.batch_execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations (
             version    INTEGER PRIMARY KEY,
             applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
         )",
    )
    .map_err(db)?;
    let found: i32 = tx
        .query_one(
            "SELECT coalesce(max(version), 0) FROM schema_migrations",
            &[],
        )
        .map_err(db)?
        .col(0)?;
    let supported = MIGRATIONS.len() as i64;
    if i64::from(found) > supported {
        return Err(StorageError::TooNew {
            found: found.into(),
            supported,
        });
    }
    for (i, sql) in MIGRATIONS
        .iter()
        .enumerate()
        .take(target)
        .skip(found.max(0) as usize)
    {
        tx.batch_execute(sql).map_err(db)?;
        let version = i as i32 + 1;
        if version == 2 {
            chain_backfill(&mut tx)?;
        }
        tx.execute(
            "INSERT INTO schema_migrations (version) VALUES ($1)",
            &[&version],
        )
        .map_err(db)?;
    }
    tx.commit().map_err(db)
}

impl PgStore {
    /// Applies the migrations up to `version` only: builds databases of an older schema,
    /// to test upgrades.
    pub fn migrate_to(url: &str, version: i64) -> Result<()> {
        let mut client = Client::connect(url, NoTls).map_err(db)?;
        migrate(&mut client, Some(version))
    }

    /// The schema version of the database.
    pub fn schema_version(&mut self) -> Result<i64> {
        let v: i32 = self
            .client
            .query_one(
                "SELECT coalesce(max(version), 0) FROM schema_migrations",
                &[],
            )
            .map_err(db)?
            .col(0)?;
        Ok(v.into())
    }
}
