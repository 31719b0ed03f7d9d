//! What the web tests share: a fresh database of either backend (a real SQLite file,
//! or a database on a throw-away PostgreSQL cluster on loopback), the real server on a
//! loopback port over it, logging in through the API, and plain requests with the
//! session cookie.

#![allow(dead_code)] // each test binary uses its own part

use reqwest::StatusCode;
use serde_json::{json, Value};
use tnw_domain::{Date, RuleBook};
use tnw_storage::Store;
pub use tnw_testkit::Backend;

/// A fresh, empty database of either backend ([`tnw_testkit::FreshDb`]), usable from
/// async tests.
pub struct Db(tnw_testkit::FreshDb);

impl Db {
    pub fn new(backend: Backend) -> Db {
        Db(blocking(|| tnw_testkit::FreshDb::new(backend)))
    }

    /// A new connection (creating and migrating the database on first use), for code
    /// outside the async runtime; async tests use [`Db::with_store`].
    pub fn open(&self) -> Box<dyn Store> {
        self.0.open()
    }

    /// Runs `f` on a new connection, which is closed afterwards.
    pub fn with_store<T>(&self, f: impl FnOnce(&mut dyn Store) -> T) -> T {
        blocking(|| f(&mut *self.0.open()))
    }

    /// The server's state over this database, as `tnw serve` builds it.
    pub fn state(&self, today: Option<Date>) -> tnw_web::AppState {
        blocking(|| {
            let address = tnw_database::Address::parse(&self.0.address()).unwrap();
            let book = RuleBook::builtin().unwrap();
            let app = tnw_database::open_server(&address, book, &Default::default()).unwrap();
            tnw_web::AppState::new(app, false, today)
        })
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
