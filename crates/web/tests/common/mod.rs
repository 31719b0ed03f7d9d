//! What the web tests share: a fresh database of either backend (a real SQLite file,
//! or a database on a throw-away PostgreSQL cluster on loopback), the real server on a
//! loopback port over it, logging in through the API, and plain requests with the
//! session cookie.

#![allow(dead_code)] // each test binary uses its own part

use reqwest::StatusCode;
use serde_json::{json, Value};
use std::sync::Arc;
use tnw_domain::{Date, RuleBook};
use tnw_storage::prelude::*;
use tnw_storage_postgres::testing::PgCluster;
use tnw_storage_postgres::PgStore;
use tnw_storage_sqlite::SqliteStore;

/// The storage backends every web test runs on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Two tests per test body: `async fn name(backend: Backend)` becomes `name::sqlite`
/// and `name::postgres` (`sync name` for a plain function).
macro_rules! on_both_backends {
    ($(sync $name:ident),* $(,)?) => {$(
        mod $name {
            #[test]
            fn sqlite() {
                super::$name(crate::common::Backend::Sqlite)
            }
            #[test]
            fn postgres() {
                super::$name(crate::common::Backend::Postgres)
            }
        }
    )*};
    ($($name:ident),* $(,)?) => {$(
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                super::$name(crate::common::Backend::Sqlite).await
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                super::$name(crate::common::Backend::Postgres).await
            }
        }
    )*};
}

/// A fresh, empty database, kept (file, or cluster) as long as this value lives.
pub enum Db {
    Sqlite {
        path: std::path::PathBuf,
        _dir: tempfile::TempDir,
    },
    Postgres {
        url: String,
        _cluster: Arc<PgCluster>,
    },
}

impl Db {
    pub fn new(backend: Backend) -> Db {
        match backend {
            Backend::Sqlite => {
                let dir = tempfile::tempdir().unwrap();
                Db::Sqlite {
                    path: dir.path().join("tnw.db"),
                    _dir: dir,
                }
            }
            Backend::Postgres => blocking(|| {
                let cluster = tnw_storage_postgres::testing::shared().unwrap();
                Db::Postgres {
                    url: cluster.fresh_database().unwrap(),
                    _cluster: cluster,
                }
            }),
        }
    }

    /// A new connection (creating and migrating the database on first use), for code
    /// outside the async runtime; async tests use [`Db::with_store`].
    pub fn open(&self) -> Box<dyn Store + Send> {
        match self {
            Db::Sqlite { path, .. } => Box::new(SqliteStore::open(path).unwrap()),
            Db::Postgres { url, .. } => Box::new(PgStore::connect(url).unwrap()),
        }
    }

    /// Runs `f` on a new connection, which is closed afterwards.
    pub fn with_store<T>(&self, f: impl FnOnce(&mut dyn Store) -> T) -> T {
        blocking(|| f(&mut *self.open()))
    }

    /// The server's state over this database, as `tnw serve` builds it.
    pub fn state(&self, today: Option<Date>) -> tnw_web::AppState {
        blocking(|| self.state_now(today))
    }

    fn state_now(&self, today: Option<Date>) -> tnw_web::AppState {
        let book = RuleBook::builtin().unwrap();
        let address = match self {
            Db::Sqlite { path, .. } => tnw_database::Address::Sqlite(path.clone()),
            Db::Postgres { url, .. } => tnw_database::Address::Postgres(url.clone()),
        };
        let app = tnw_database::open_server(&address, book, &Default::default()).unwrap();
        tnw_web::AppState::new(app, false, today)
    }
}

/// Runs blocking work from wherever the test is. The PostgreSQL client runs its own
/// small runtime, which may be neither started nor dropped on an async worker thread.
fn blocking<T>(f: impl FnOnce() -> T) -> T {
    if tokio::runtime::Handle::try_current().is_ok() {
        tokio::task::block_in_place(f)
    } else {
        f()
    }
}

/// Serves `state` on a free loopback port (on the current runtime); the base URL.
pub async fn listen(state: tnw_web::AppState) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        axum::serve(listener, tnw_web::router(state)).await.unwrap();
    });
    format!("http://{addr}")
}

pub struct Server {
    pub base: String,
    pub client: reqwest::Client,
    pub db: Db,
}

impl Server {
    /// Serves `db` (filled by the caller).
    pub async fn start(db: Db, today: Option<Date>) -> Server {
        let base = listen(db.state(today)).await;
        Server {
            base,
            client: reqwest::Client::new(),
            db,
        }
    }

    /// Runs `f` on a connection of its own to the served database, to look behind
    /// the API.
    pub fn with_store<T>(&self, f: impl FnOnce(&mut dyn Store) -> T) -> T {
        self.db.with_store(f)
    }

    /// Logs in through the API; the whole `Set-Cookie` header.
    pub async fn login_header(&self, user: &str, password: &str) -> String {
        let r = self
            .client
            .post(format!("{}/api/v1/session", self.base))
            .json(&json!({"username": user, "password": password}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK, "login {user}");
        r.headers()["set-cookie"].to_str().unwrap().to_owned()
    }

    /// Logs in through the API; the session cookie as a `Cookie` header value.
    pub async fn login_as(&self, user: &str, password: &str) -> String {
        let header = self.login_header(user, password).await;
        header.split(';').next().unwrap().to_owned()
    }

    pub async fn get_bytes(&self, cookie: &str, path: &str) -> (StatusCode, Vec<u8>) {
        let r = self
            .client
            .get(format!("{}{path}", self.base))
            .header("cookie", cookie)
            .send()
            .await
            .unwrap();
        (r.status(), r.bytes().await.unwrap().to_vec())
    }

    pub async fn get(&self, cookie: &str, path: &str) -> (StatusCode, String) {
        let (status, body) = self.get_bytes(cookie, path).await;
        (status, String::from_utf8_lossy(&body).into_owned())
    }

    pub async fn post_bytes(&self, cookie: &str, path: &str, body: Value) -> (StatusCode, Vec<u8>) {
        let r = self
            .client
            .post(format!("{}{path}", self.base))
            .header("cookie", cookie)
            .json(&body)
            .send()
            .await
            .unwrap();
        (r.status(), r.bytes().await.unwrap().to_vec())
    }

    pub async fn post(&self, cookie: &str, path: &str, body: Value) -> (StatusCode, String) {
        let (status, body) = self.post_bytes(cookie, path, body).await;
        (status, String::from_utf8_lossy(&body).into_owned())
    }
}
