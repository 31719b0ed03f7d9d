//! The schema migrations, numbered as on every backend ([`tnw_storage::migrate`]); a
//! database records the version it is at in `PRAGMA user_version`.

use crate::audit::chain_backfill;
use crate::{db, SqliteStore};
use rusqlite::{Connection, TransactionBehavior};
use std::path::Path;
use tnw_storage::migrate::{self, Migration, SchemaTarget, AUDIT_CHAIN};
use tnw_storage::Result;

/// Every migration, in the shared numbering (`tnw_storage::schema_migrations!`). The
/// versions this backend has nothing to do for hold only a comment saying why.
const MIGRATIONS: &[Migration] = tnw_storage::schema_migrations!();

/// The schema version a database has once migrated.
pub const SCHEMA_VERSION: i64 = MIGRATIONS[MIGRATIONS.len() - 1].version;

/// A connection to the file being migrated.
struct UserVersion<'a>(&'a mut Connection);

impl SchemaTarget for UserVersion<'_> {
    fn recorded_version(&mut self) -> Result<i64> {
        user_version(self.0)
    }

    fn apply(&mut self, m: &Migration) -> Result<()> {
        // Take the write lock first and look again: another process opening the same
        // file may have applied this migration since we read the version.
        let tx = self
            .0
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(db)?;
        if user_version(&tx)? >= m.version {
            return Ok(());
        }
        tx.execute_batch(m.sql).map_err(db)?;
        if m.version == AUDIT_CHAIN {
            // An upgraded database verifies: its existing entries are chained before the
            // new version is recorded.
            chain_backfill(&tx)?;
        }
        // user_version cannot be bound as a parameter; the version is our own integer.
        tx.pragma_update(None, "user_version", m.version)
            .map_err(db)?;
        tx.commit().map_err(db)
    }
}

fn user_version(conn: &Connection) -> Result<i64> {
    conn.query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(db)
}

impl SqliteStore {
    /// Applies the migrations up to `version` only: builds databases of an older schema,
    /// to test upgrades.
    pub fn migrate_file_to(path: &Path, version: i64) -> Result<()> {
        let mut conn = Connection::open(path).map_err(db)?;
        conn.execute_batch("PRAGMA journal_mode = WAL;")
            .map_err(db)?;
        migrate::run(&mut UserVersion(&mut conn), MIGRATIONS, Some(version))?;
        Ok(())
    }

    /// Brings the schema up to date; refuses a database newer than this program.
    pub(crate) fn migrate(&mut self) -> Result<()> {
        migrate::run(&mut UserVersion(&mut self.conn), MIGRATIONS, None)?;
        Ok(())
    }

    /// The schema version this file is at.
    pub fn schema_version(&self) -> Result<i64> {
        user_version(&self.conn)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The list names exactly the files of `migrations/`, with their contents.
    #[test]
    fn the_list_is_the_folder() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations");
        let mut files: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        files.sort();
        let listed: Vec<String> = MIGRATIONS.iter().map(Migration::file_name).collect();
        assert_eq!(files, listed);
        for m in MIGRATIONS {
            let text = std::fs::read_to_string(dir.join(m.file_name())).unwrap();
            assert_eq!(text, m.sql, "{}", m.file_name());
        }
        migrate::check(MIGRATIONS).unwrap();
        assert_eq!(SCHEMA_VERSION, migrate::latest(MIGRATIONS));
    }
}
