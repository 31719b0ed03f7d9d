//! The schema migration runner both backends use. A migration is one numbered SQL
//! file, `migrations/NNNN_name.sql` in the backend's crate; its number is its version,
//! and the numbering is the same on every backend: migration 7 chains the audit log on
//! SQLite and on PostgreSQL alike. A migration one backend does not need is an empty
//! file there, with a comment saying why (docs/schema.md lists them).
//!
//! The runner decides what to apply; the backend's [`SchemaTarget`] knows how to run
//! SQL in a transaction and where the version is recorded.

use crate::{Result, StorageError};

/// One migration: its version (the file's number), name and SQL.
#[derive(Debug, Clone, Copy)]
pub struct Migration {
    pub version: i64,
    pub name: &'static str,
    pub sql: &'static str,
}

impl Migration {
    pub const fn new(version: i64, name: &'static str, sql: &'static str) -> Migration {
        Migration { version, name, sql }
    }

    /// The file this migration is read from: `NNNN_name.sql`.
    pub fn file_name(&self) -> String {
        format!("{:04}_{}.sql", self.version, self.name)
    }
}

/// The shared numbering as a backend's list: every migration, its number and name,
/// read from the calling crate's `migrations/NNNN_name.sql` at compile time. The
/// numbering lives here once, so the backends cannot drift apart; a backend's test
/// checks that its folder holds exactly these files.
#[macro_export]
macro_rules! schema_migrations {
    () => {
        $crate::schema_migrations!(
            1 "init" "0001_init.sql",
            2 "access" "0002_access.sql",
            3 "caseload" "0003_caseload.sql",
            4 "outbox" "0004_outbox.sql",
            5 "drafts" "0005_drafts.sql",
            6 "surveys" "0006_surveys.sql",
            7 "audit_chain" "0007_audit_chain.sql",
            8 "worklist_covering" "0008_worklist_covering.sql",
            9 "import_speed" "0009_import_speed.sql",
            10 "import_keys" "0010_import_keys.sql",
            11 "audited_calls" "0011_audited_calls.sql",
            12 "audit_keys" "0012_audit_keys.sql",
            13 "worklist_columns" "0013_worklist_columns.sql",
            14 "account_party" "0014_account_party.sql",
            15 "employer_absences" "0015_employer_absences.sql",
        )
    };
    ($($version:literal $name:literal $file:literal,)+) => {
        &[$($crate::migrate::Migration::new(
            $version,
            $name,
            include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/migrations/", $file)),
        )),+]
    };
}

/// After this migration is applied, and before its version is recorded, the audit
/// entries already stored are chained ([`crate::chain`]): an upgraded database
/// verifies like a new one.
pub const AUDIT_CHAIN: i64 = 7;

/// What the runner needs of a backend's connection.
pub trait SchemaTarget {
    /// The version recorded in the database: 0 for a new one.
    fn recorded_version(&mut self) -> Result<i64>;

    /// Runs `m` and records its version, in one transaction, with what the backend
    /// does after some migrations ([`AUDIT_CHAIN`]). Does nothing when the database
    /// already records `m` (another process applied it since the version was read).
    fn apply(&mut self, m: &Migration) -> Result<()>;
}

/// Checks that `migrations` are numbered 1, 2, 3 … without gaps.
pub fn check(migrations: &[Migration]) -> Result<()> {
    for (i, m) in migrations.iter().enumerate() {
        if m.version != i as i64 + 1 {
            return Err(StorageError::Invalid(format!(
                "migration {} is listed as number {}",
                m.file_name(),
                i + 1
            )));
        }
    }
    Ok(())
}

/// The newest version of `migrations`.
pub fn latest(migrations: &[Migration]) -> i64 {
    migrations.last().map_or(0, |m| m.version)
}

/// Brings the database up to `upto` (the newest version when `None`) and returns the
/// version it is at. A database newer than this program is refused untouched.
pub fn run(
    target: &mut dyn SchemaTarget,
    migrations: &[Migration],
    upto: Option<i64>,
) -> Result<i64> {
    check(migrations)?;
    let supported = latest(migrations);
    let found = target.recorded_version()?;
    if found > supported {
        return Err(StorageError::TooNew { found, supported });
    }
    let upto = upto.unwrap_or(supported).min(supported);
    let mut at = found;
    for m in migrations
        .iter()
        .filter(|m| m.version > found && m.version <= upto)
    {
        target.apply(m)?;
        at = m.version;
    }
    Ok(at)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A database as a list of applied versions.
    struct Recorder {
        applied: Vec<i64>,
    }

    impl SchemaTarget for Recorder {
        fn recorded_version(&mut self) -> Result<i64> {
            Ok(self.applied.last().copied().unwrap_or(0))
        }
        fn apply(&mut self, m: &Migration) -> Result<()> {
            self.applied.push(m.version);
            Ok(())
        }
    }

    const THREE: &[Migration] = &[
        Migration::new(1, "init", "CREATE TABLE a (x)"),
        Migration::new(2, "more", ""),
        Migration::new(3, "last", "CREATE TABLE b (y)"),
    ];

    #[test]
    fn applies_what_is_missing_in_order() {
        let mut db = Recorder { applied: vec![1] };
        assert_eq!(run(&mut db, THREE, None).unwrap(), 3);
        assert_eq!(db.applied, [1, 2, 3]);
        assert_eq!(run(&mut db, THREE, None).unwrap(), 3);
        assert_eq!(db.applied, [1, 2, 3]);
    }

    #[test]
    fn stops_at_the_version_asked_for() {
        let mut db = Recorder { applied: vec![] };
        assert_eq!(run(&mut db, THREE, Some(2)).unwrap(), 2);
        assert_eq!(db.applied, [1, 2]);
    }

    #[test]
    fn refuses_a_newer_database() {
        let mut db = Recorder {
            applied: vec![1, 2, 3, 4],
        };
        let e = run(&mut db, THREE, None).unwrap_err();
        assert!(matches!(
            e,
            StorageError::TooNew {
                found: 4,
                supported: 3
            }
        ));
        assert_eq!(db.applied.len(), 4);
    }

    #[test]
    fn refuses_a_gap_in_the_numbering() {
        let gap = [THREE[0], THREE[2]];
        let mut db = Recorder { applied: vec![] };
        let e = run(&mut db, &gap, None).unwrap_err();
        assert!(e.to_string().contains("0003_last.sql"), "{e}");
        assert!(db.applied.is_empty());
    }
}
