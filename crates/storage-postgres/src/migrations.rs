//! The schema's migrations, numbered as on every backend (`tnw_storage::migrate`): a
//! version SQLite needs and PostgreSQL does not is an empty file here, saying why.
//! Applied on connect in one transaction under an advisory lock; `schema_migrations`
//! records each version with its name.
//!
//! Databases migrated before the shared numbering recorded PostgreSQL's own numbers
//! (1–7) in a `schema_migrations` without the `name` column. Such a table is translated
//! once, in the same transaction, to the version its highest migration now has; older
//! programs then find a version above theirs and refuse the database.

use crate::audit::chain_backfill;
use crate::connection::db;
use crate::rows::Col;
use crate::PgStore;
use postgres::{Client, NoTls, Transaction};
use tnw_storage::migrate::{self, Migration, SchemaTarget, AUDIT_CHAIN};
use tnw_storage::{Result, StorageError};

/// Every migration, in the shared numbering (`tnw_storage::schema_migrations!`).
pub(crate) const MIGRATIONS: &[Migration] = tnw_storage::schema_migrations!();

/// The schema version a database has once migrated (the list is numbered 1, 2, 3 …).
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// Advisory lock key held while migrating ("tnw_migr" in ASCII): app instances starting
/// together migrate one after the other, and the later ones find nothing to do. Older
/// programs take the same lock.
const MIGRATION_LOCK: i64 = 0x746e_775f_6d69_6772;

/// The version each migration of the old numbering has now: old version `i + 1` is
/// `OLD_NUMBERING[i]` (the old first migration held what versions 1–6 hold).
const OLD_NUMBERING: [i64; 7] = [6, 7, 9, 10, 11, 12, 13];

/// Brings the database up to `upto` (the newest version when `None`), in one
/// transaction under the migration lock, and returns the version it is at.
pub(crate) fn migrate(client: &mut Client, upto: Option<i64>) -> Result<i64> {
    let mut tx = client.transaction().map_err(db)?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])
        .map_err(db)?;
    tx.batch_execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations (
             version    INTEGER PRIMARY KEY,
             applied_at TIMESTAMPTZ NOT NULL DEFAULT now(),
             name       TEXT
         )",
    )
    .map_err(db)?;
    translate_old_numbering(&mut tx)?;
    let at = migrate::run(&mut Schema { tx: &mut tx }, MIGRATIONS, upto)?;
    tx.commit().map_err(db)?;
    Ok(at)
}

/// A `schema_migrations` without the `name` column records the old numbering: its rows
/// are replaced by one per version of the new numbering up to the one its highest old
/// version has, each with its name and the time the old migration that brought it was
/// applied.
fn translate_old_numbering(tx: &mut Transaction) -> Result<()> {
    let named = tx
        .query_opt(
            "SELECT 1 FROM pg_attribute
             WHERE attrelid = 'schema_migrations'::regclass AND attname = 'name'
               AND NOT attisdropped",
            &[],
        )
        .map_err(db)?
        .is_some();
    if named {
        return Ok(());
    }
    // The times as text: read back in the same session, the same instants.
    let old: Vec<(i32, String)> = tx
        .query(
            "DELETE FROM schema_migrations RETURNING version, applied_at::text",
            &[],
        )
        .map_err(db)?
        .iter()
        .map(|r| Ok((r.col(0)?, r.col(1)?)))
        .collect::<Result<_>>()?;
    let found = old.iter().map(|(v, _)| i64::from(*v)).max().unwrap_or(0);
    let now = match usize::try_from(found) {
        Ok(0) => 0,
        Ok(v) if v <= OLD_NUMBERING.len() => OLD_NUMBERING[v - 1],
        _ => {
            return Err(StorageError::Corrupt(format!(
                "schema_migrations records version {found} without names, \
                 which no version of this program wrote"
            )))
        }
    };
    let mut version: Vec<i32> = Vec::new();
    let mut name: Vec<&str> = Vec::new();
    let mut applied: Vec<Option<&str>> = Vec::new();
    for m in MIGRATIONS.iter().take_while(|m| m.version <= now) {
        let brought_by = OLD_NUMBERING.iter().position(|&v| v >= m.version);
        let at = brought_by.and_then(|i| {
            old.iter()
                .find(|(v, _)| usize::try_from(*v).ok() == Some(i + 1))
                .map(|(_, at)| at.as_str())
        });
        version.push(i32::try_from(m.version).map_err(|_| StorageError::Invalid(m.file_name()))?);
        name.push(m.name);
        applied.push(at);
    }
    tx.batch_execute("ALTER TABLE schema_migrations ADD COLUMN name TEXT")
        .map_err(db)?;
    tx.execute(
        "INSERT INTO schema_migrations (version, applied_at, name)
         SELECT u.version, coalesce(u.applied_at::timestamptz, now()), u.name
         FROM unnest($1::integer[], $2::text[], $3::text[]) AS u(version, applied_at, name)",
        &[&version, &applied, &name],
    )
    .map_err(db)?;
    Ok(())
}

/// The highest version `schema_migrations` records.
fn recorded_version(client: &mut impl postgres::GenericClient) -> Result<i64> {
    let v: i32 = client
        .query_one(
            "SELECT coalesce(max(version), 0) FROM schema_migrations",
            &[],
        )
        .map_err(db)?
        .col(0)?;
    Ok(v.into())
}

/// The migration transaction, as the runner sees it.
struct Schema<'t, 'c> {
    tx: &'t mut Transaction<'c>,
}

impl SchemaTarget for Schema<'_, '_> {
    fn recorded_version(&mut self) -> Result<i64> {
        recorded_version(self.tx)
    }

    fn apply(&mut self, m: &Migration) -> Result<()> {
        let version = i32::try_from(m.version).map_err(|_| StorageError::Invalid(m.file_name()))?;
        let applied = self
            .tx
            .query_opt(
                "SELECT 1 FROM schema_migrations WHERE version = $1",
                &[&version],
            )
            .map_err(db)?
            .is_some();
        if applied {
            return Ok(());
        }
        self.tx.batch_execute(m.sql).map_err(db)?;
        if m.version == AUDIT_CHAIN {
            chain_backfill(self.tx)?;
        }
        self.tx
            .execute(
                "INSERT INTO schema_migrations (version, name) VALUES ($1, $2)",
                &[&version, &m.name],
            )
            .map_err(db)?;
        Ok(())
    }
}

impl PgStore {
    /// Applies the migrations up to `version` only: builds databases of an older schema,
    /// to test upgrades.
    pub fn migrate_to(url: &str, version: i64) -> Result<()> {
        let mut client = Client::connect(url, NoTls).map_err(db)?;
        migrate(&mut client, Some(version)).map(drop)
    }

    /// The schema version of the database.
    pub fn schema_version(&mut self) -> Result<i64> {
        recorded_version(&mut self.client)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each listed migration is the file its number and name say, and the files are
    /// the listed ones.
    #[test]
    fn the_list_is_the_migrations_folder() {
        migrate::check(MIGRATIONS).unwrap();
        assert_eq!(migrate::latest(MIGRATIONS), SCHEMA_VERSION);
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations");
        let mut files: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        files.sort();
        let listed: Vec<String> = MIGRATIONS.iter().map(Migration::file_name).collect();
        assert_eq!(files, listed);
        for m in MIGRATIONS {
            let text = std::fs::read_to_string(dir.join(m.file_name())).unwrap();
            assert_eq!(
                text,
                m.sql,
                "{} is not the file of that name",
                m.file_name()
            );
        }
    }

    /// The old numbering's migrations keep their meaning: each old version's file is
    /// the one its new number names.
    #[test]
    fn the_old_numbering_maps_onto_the_new() {
        let names: Vec<&str> = OLD_NUMBERING
            .iter()
            .map(|v| MIGRATIONS[*v as usize - 1].name)
            .collect();
        assert_eq!(
            names,
            [
                "surveys",
                "audit_chain",
                "import_speed",
                "import_keys",
                "audited_calls",
                "audit_keys",
                "worklist_columns"
            ]
        );
    }
}
