//! Fresh databases for tests: a real SQLite file in a temporary directory, or a new
//! database on the throw-away PostgreSQL cluster on loopback that the first test
//! starts (`tnw_storage_postgres::testing`).

use std::path::{Path, PathBuf};
use std::sync::Arc;
use tnw_storage::Store;
use tnw_storage_postgres::testing::PgCluster;
use tnw_storage_postgres::PgStore;
use tnw_storage_sqlite::SqliteStore;

/// The storage backends the tests run on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A fresh, empty database, kept (file, or cluster) as long as this value lives.
pub enum FreshDb {
    Sqlite {
        path: PathBuf,
        /// `None` when the file lives in a directory the test owns.
        _dir: Option<tempfile::TempDir>,
    },
    Postgres {
        url: String,
        _cluster: Arc<PgCluster>,
    },
}

impl FreshDb {
    /// A new database of `backend`, in a temporary directory of its own (SQLite).
    pub fn new(backend: Backend) -> FreshDb {
        match backend {
            Backend::Sqlite => {
                let dir = tempfile::tempdir().expect("a temporary directory");
                FreshDb::Sqlite {
                    path: dir.path().join("tnw.db"),
                    _dir: Some(dir),
                }
            }
            Backend::Postgres => FreshDb::postgres(),
        }
    }

    /// A new database of `backend`; a SQLite one is the file `name.db` in `dir`, which
    /// the test owns (several databases side by side).
    pub fn named(backend: Backend, dir: &Path, name: &str) -> FreshDb {
        match backend {
            Backend::Sqlite => FreshDb::Sqlite {
                path: dir.join(format!("{name}.db")),
                _dir: None,
            },
            Backend::Postgres => FreshDb::postgres(),
        }
    }

    fn postgres() -> FreshDb {
        let cluster = tnw_storage_postgres::testing::shared().expect("the test cluster");
        FreshDb::Postgres {
            url: cluster.fresh_database().expect("a fresh database"),
            _cluster: cluster,
        }
    }

    pub fn backend(&self) -> Backend {
        match self {
            FreshDb::Sqlite { .. } => Backend::Sqlite,
            FreshDb::Postgres { .. } => Backend::Postgres,
        }
    }

    /// What `--db` takes: the file's path, or the database's URL.
    pub fn address(&self) -> String {
        match self {
            FreshDb::Sqlite { path, .. } => path.display().to_string(),
            FreshDb::Postgres { url, .. } => url.clone(),
        }
    }

    /// The SQLite file, if this is one.
    pub fn sqlite_path(&self) -> Option<&Path> {
        match self {
            FreshDb::Sqlite { path, .. } => Some(path),
            FreshDb::Postgres { .. } => None,
        }
    }

    /// A new connection, creating and migrating the database on first use, to look
    /// behind what a test drives.
    pub fn open(&self) -> Box<dyn Store> {
        match self {
            FreshDb::Sqlite { path, .. } => {
                Box::new(SqliteStore::open(path).expect("the database opens"))
            }
            FreshDb::Postgres { url, .. } => {
                Box::new(PgStore::connect(url).expect("the database connects"))
            }
        }
    }
}

/// Two tests per test body: `fn name(backend: Backend)` becomes `name::sqlite` and
/// `name::postgres` (`sync name`), `async fn name(backend: Backend)` the same on a
/// two-thread tokio runtime (the calling crate depends on tokio).
#[macro_export]
macro_rules! on_both_backends {
    ($(sync $name:ident),* $(,)?) => {$(
        mod $name {
            #[test]
            fn sqlite() {
                super::$name($crate::Backend::Sqlite)
            }
            #[test]
            fn postgres() {
                super::$name($crate::Backend::Postgres)
            }
        }
    )*};
    ($($name:ident),* $(,)?) => {$(
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                super::$name($crate::Backend::Sqlite).await
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                super::$name($crate::Backend::Postgres).await
            }
        }
    )*};
}
