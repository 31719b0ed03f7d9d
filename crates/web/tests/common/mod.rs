//! What the web tests share: the real server on a loopback port over a real SQLite
//! file, logging in through the API, and plain requests with the session cookie.

#![allow(dead_code)] // each test binary uses its own part

use reqwest::StatusCode;
use serde_json::{json, Value};
use tnw_domain::{Date, RuleBook};

pub struct Server {
    pub base: String,
    pub client: reqwest::Client,
    pub db: std::path::PathBuf,
    pub _dir: tempfile::TempDir,
}

impl Server {
    /// Serves the database `dir` holds as `tnw.db` (filled by the caller).
    pub async fn start(dir: tempfile::TempDir, today: Option<Date>) -> Server {
        let db = dir.path().join("tnw.db");
        let book = RuleBook::builtin().unwrap();
        let state = tnw_web::AppState::new(db.clone(), book, false, today).unwrap();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move {
            axum::serve(listener, tnw_web::router(state)).await.unwrap();
        });
        Server {
            base: format!("http://{addr}"),
            client: reqwest::Client::new(),
            db,
            _dir: dir,
        }
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
