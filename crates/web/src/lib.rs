//! tnw's web application and JSON API: a thin HTTP layer over the use cases of
//! `tnw-app`. Handlers translate requests and responses; who may see what is decided
//! in `tnw_app::access`, never here.

pub mod api;
pub mod charts;
pub mod i18n;
pub mod labels;
pub mod pages;
pub mod security;

/// The survey report's pages and standalone file, where the command line finds them.
pub use pages::survey;

use axum::routing::{get, post};
use axum::Router;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tnw_app::auth::{token_hash, LoggedIn};
use tnw_app::App;
use tnw_domain::{Date, RuleBook};

/// Shared state: the application handle, and what the HTTP layer adds to it (cookie
/// settings, a fixed day for demos, a bound on blocking calls, the session cache).
#[derive(Clone)]
pub struct AppState {
    inner: Arc<Inner>,
}

struct Inner {
    app: App,
    /// `Secure` on cookies; off only for plain-HTTP tests.
    secure_cookies: bool,
    /// A fixed "today" for demos and tests; the clock otherwise.
    today: Option<Date>,
    /// Bounds the application calls in flight at once: more than a few per core only
    /// adds contention (and page caches).
    permits: tokio::sync::Semaphore,
    /// Sessions checked in the last few seconds, by token hash: spares a database
    /// round trip on almost every request. Logout in this process removes the entry
    /// at once; elsewhere a session ends at the latest [`SESSION_CACHE`] later.
    sessions: Mutex<HashMap<[u8; 32], (Instant, LoggedIn)>>,
}

/// How long a checked session is trusted without asking the database again.
pub const SESSION_CACHE: Duration = Duration::from_secs(5);

#[derive(Debug, thiserror::Error)]
pub enum WebError {
    #[error("the server is shutting down")]
    Join,
}

impl AppState {
    pub fn new(app: App, secure_cookies: bool, today: Option<Date>) -> AppState {
        AppState {
            inner: Arc::new(Inner {
                app,
                secure_cookies,
                today,
                permits: tokio::sync::Semaphore::new(PARALLEL_CALLS),
                sessions: Mutex::new(HashMap::new()),
            }),
        }
    }

    pub fn cached_session(&self, token: &str) -> Option<LoggedIn> {
        let cache = self
            .inner
            .sessions
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        cache
            .get(&token_hash(token))
            .filter(|(at, _)| at.elapsed() < SESSION_CACHE)
            .map(|(_, s)| s.clone())
    }

    pub fn cache_session(&self, token: &str, s: LoggedIn) {
        let mut cache = self
            .inner
            .sessions
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        if cache.len() > 10_000 {
            cache.retain(|_, (at, _)| at.elapsed() < SESSION_CACHE);
        }
        cache.insert(token_hash(token), (Instant::now(), s));
    }

    pub fn forget_session(&self, token: &str) {
        let mut cache = self
            .inner
            .sessions
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        cache.remove(&token_hash(token));
    }

    pub fn book(&self) -> &RuleBook {
        self.inner.app.book()
    }

    pub fn secure_cookies(&self) -> bool {
        self.inner.secure_cookies
    }

    pub fn today(&self) -> Date {
        self.inner
            .today
            .unwrap_or_else(|| chrono::Local::now().date_naive())
    }

    /// Runs `f` with the application on the blocking pool (use cases block on storage
    /// and password hashing).
    pub async fn run<T, F>(&self, f: F) -> Result<T, WebError>
    where
        T: Send + 'static,
        F: FnOnce(&App) -> T + Send + 'static,
    {
        let inner = self.inner.clone();
        let _permit = self
            .inner
            .permits
            .acquire()
            .await
            .map_err(|_| WebError::Join)?;
        tokio::task::spawn_blocking(move || f(&inner.app))
            .await
            .map_err(|_| WebError::Join)
    }
}

/// Application calls in flight at once. On two cores, more only adds thread switches
/// and lock contention (measured: 8 gave a worse tail than 4).
const PARALLEL_CALLS: usize = 4;

/// Every route of the application.
pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/healthz", get(|| async { "ok" }))
        .route("/api/openapi.json", get(api::openapi))
        .route("/api/v1/session", post(api::login).delete(api::logout))
        .route("/api/v1/worklist", get(api::worklist))
        .route("/api/v1/cases/{id}", get(api::case))
        .route("/api/v1/cases/{id}/events", post(api::record))
        .route("/api/v1/audit", get(api::audit))
        .route(
            "/api/v1/employer/absences",
            get(api::absences::employer_absences),
        )
        .merge(pages::routes())
        .layer(axum::middleware::from_fn(security::headers))
        .with_state(state)
}

/// Serves until Ctrl-C or SIGTERM, then finishes the requests in flight.
pub async fn serve(state: AppState, addr: std::net::SocketAddr) -> std::io::Result<()> {
    let listener = tokio::net::TcpListener::bind(addr).await?;
    tracing::info!(%addr, "listening");
    axum::serve(listener, router(state))
        .with_graceful_shutdown(shutdown_signal())
        .await
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
    tracing::info!("shutting down");
}
