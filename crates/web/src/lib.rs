//! tnw's web application and JSON API: a thin HTTP layer over the use cases of
//! `tnw-app`. Handlers translate requests and responses; who may see what is decided
//! in `tnw_app::access`, never here.

pub mod api;
pub mod charts;
pub mod demo;
pub mod i18n;
pub mod pages;
pub mod security;

/// The survey report's pages and standalone file, where the command line finds them.
pub use pages::survey;

use axum::routing::{get, post};
use axum::Router;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tnw_app::access::Principal;
use tnw_app::auth::{token_hash, LoggedIn};
use tnw_domain::{Date, RuleBook};
use tnw_storage::Store;
use tnw_storage_sqlite::SqliteStore;

/// Shared state: the rule book and a pool of SQLite connections (WAL: readers run in
/// parallel, SQLite serialises writers).
#[derive(Clone)]
pub struct AppState {
    inner: Arc<Inner>,
}

/// A connection of any backend, as the pool holds it.
pub type PooledStore = Box<dyn Store + Send>;

/// Opens one more connection for the pool (SQLite file, PostgreSQL URL …).
pub type Opener = Box<dyn Fn() -> Result<PooledStore, WebError> + Send + Sync>;

struct Inner {
    primary: Pool,
    book: RuleBook,
    /// `Secure` on cookies; off only for plain-HTTP tests.
    secure_cookies: bool,
    /// A fixed "today" for demos and tests; the clock otherwise.
    today: Option<Date>,
    /// Bounds the connections in use at once: more than a few per core only adds
    /// contention (and page caches).
    permits: tokio::sync::Semaphore,
    /// Sessions checked in the last few seconds, by token hash: spares a database
    /// round trip on almost every request. Logout in this process removes the entry
    /// at once; elsewhere a session ends at the latest [`SESSION_CACHE`] later.
    sessions: Mutex<HashMap<[u8; 32], (Instant, LoggedIn)>>,
    /// Each fund's population for the figures, loaded at most every [`FIGURES_CACHE`]:
    /// one load reads every dossier of the fund.
    figures: Mutex<HashMap<String, (Instant, Arc<tnw_app::figures::Population>)>>,
    /// A read replica for the reads that write nothing (worklists, caseloads, figures).
    replica: Option<Pool>,
    /// Per user (fund/username): the primary's log position after their last call
    /// through [`AppState::with_store_as`], until the replica has replayed that far.
    /// Until then their reads go to the primary, so they always see their own writes.
    unreplayed: Mutex<HashMap<String, u64>>,
    /// SQLite's background checkpoints, for as long as the state lives.
    _checkpointer: Option<tnw_storage_sqlite::Checkpointer>,
}

/// What a state is built from: how to open connections (and the first, already
/// open), an optional read replica, an optional checkpointer.
struct Parts {
    open: Opener,
    first: PooledStore,
    replica: Option<Opener>,
    checkpointer: Option<tnw_storage_sqlite::Checkpointer>,
}

/// Connections to one database: idle ones kept for the next call, more opened on
/// demand.
struct Pool {
    open: Opener,
    idle: Mutex<Vec<PooledStore>>,
}

impl Pool {
    fn new(open: Opener, first: Option<PooledStore>) -> Pool {
        Pool {
            open,
            idle: Mutex::new(first.into_iter().collect()),
        }
    }

    /// An idle connection, or a new one.
    fn take(&self) -> Result<PooledStore, WebError> {
        let idle = self.idle.lock().unwrap_or_else(|e| e.into_inner()).pop();
        match idle {
            Some(s) => Ok(s),
            None => (self.open)(),
        }
    }

    /// Back for the next call (a few dozen are kept at most).
    fn give(&self, store: PooledStore) {
        let mut idle = self.idle.lock().unwrap_or_else(|e| e.into_inner());
        if idle.len() < 32 {
            idle.push(store);
        }
    }

    fn drain(&mut self) -> Vec<PooledStore> {
        std::mem::take(self.idle.get_mut().unwrap_or_else(|e| e.into_inner()))
    }
}

impl Drop for Inner {
    fn drop(&mut self) {
        // The state goes with the router, on an async worker at shutdown. Closing a
        // PostgreSQL connection blocks on the client's own runtime, which panics there:
        // the pooled connections are closed on a thread of their own.
        let primary = self.primary.drain();
        let replica = self.replica.as_mut().map(Pool::drain);
        std::thread::scope(|s| {
            s.spawn(move || drop((primary, replica)));
        });
    }
}

/// How long the figures may lag behind the dossiers.
pub const FIGURES_CACHE: Duration = Duration::from_secs(60);

/// How long a checked session is trusted without asking the database again.
pub const SESSION_CACHE: Duration = Duration::from_secs(5);

#[derive(Debug, thiserror::Error)]
pub enum WebError {
    #[error(transparent)]
    Storage(#[from] tnw_storage::StorageError),
    #[error("the server is shutting down")]
    Join,
}

impl AppState {
    pub fn new(
        db: PathBuf,
        book: RuleBook,
        secure_cookies: bool,
        today: Option<Date>,
    ) -> Result<AppState, WebError> {
        AppState::with_sync(db, book, secure_cookies, today, false)
    }

    pub fn with_sync(
        db: PathBuf,
        book: RuleBook,
        secure_cookies: bool,
        today: Option<Date>,
        full_sync: bool,
    ) -> Result<AppState, WebError> {
        // Writers of all pooled connections of the file queue at one gate.
        let gate = SqliteStore::new_gate();
        // The first connection creates and migrates the file, then the checkpointer
        // opens it.
        let first: PooledStore = Box::new(open_pooled(&db, &gate, full_sync)?);
        let checkpointer = SqliteStore::start_checkpointer(&db, gate.clone())?;
        let open: Opener = Box::new(move || {
            let s: PooledStore = Box::new(open_pooled(&db, &gate, full_sync)?);
            Ok(s)
        });
        let parts = Parts {
            open,
            first,
            replica: None,
            checkpointer: Some(checkpointer),
        };
        Ok(AppState::from_parts(parts, book, secure_cookies, today))
    }

    /// A state whose pool opens its connections with `open` (any [`Store`] backend).
    /// One connection is opened at once: it creates and migrates the database before
    /// the server accepts requests.
    pub fn with_opener(
        open: Opener,
        book: RuleBook,
        secure_cookies: bool,
        today: Option<Date>,
    ) -> Result<AppState, WebError> {
        AppState::with_replica(open, None, book, secure_cookies, today)
    }

    /// [`AppState::with_opener`], and when `replica` is given, the reads that write
    /// nothing go to the read replica it opens (falling back to the primary when the
    /// replica is unreachable or behind the caller's own writes).
    pub fn with_replica(
        open: Opener,
        replica: Option<Opener>,
        book: RuleBook,
        secure_cookies: bool,
        today: Option<Date>,
    ) -> Result<AppState, WebError> {
        let first = open()?;
        let parts = Parts {
            open,
            first,
            replica,
            checkpointer: None,
        };
        Ok(AppState::from_parts(parts, book, secure_cookies, today))
    }

    fn from_parts(
        parts: Parts,
        book: RuleBook,
        secure_cookies: bool,
        today: Option<Date>,
    ) -> AppState {
        AppState {
            inner: Arc::new(Inner {
                primary: Pool::new(parts.open, Some(parts.first)),
                book,
                secure_cookies,
                today,
                permits: tokio::sync::Semaphore::new(PARALLEL_STORE_CALLS),
                sessions: Mutex::new(HashMap::new()),
                figures: Mutex::new(HashMap::new()),
                replica: parts.replica.map(|open| Pool::new(open, None)),
                unreplayed: Mutex::new(HashMap::new()),
                _checkpointer: parts.checkpointer,
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

    /// The population of `who`'s fund for the figures, from the cache or freshly loaded;
    /// refused (by `tnw_app::figures`) to those who may not see figures.
    pub async fn population(
        &self,
        who: &tnw_app::access::Principal,
    ) -> Result<Result<Arc<tnw_app::figures::Population>, tnw_app::dossier::DossierError>, WebError>
    {
        let org = who.org.as_str();
        let cached = {
            let cache = self.inner.figures.lock().unwrap_or_else(|e| e.into_inner());
            cache
                .get(org)
                .filter(|(at, _)| at.elapsed() < FIGURES_CACHE)
                .map(|(_, p)| p.clone())
        };
        if let Some(p) = cached {
            return Ok(tnw_app::figures::may_use(&p, who)
                .map(|_| p)
                .map_err(Into::into));
        }
        let p = who.clone();
        let loaded = self
            .with_read_store(None, move |st, _| tnw_app::figures::load_for(st, &p))
            .await?;
        Ok(loaded.map(|p| {
            let p = Arc::new(p);
            let mut cache = self.inner.figures.lock().unwrap_or_else(|e| e.into_inner());
            cache.insert(org.to_owned(), (Instant::now(), p.clone()));
            p
        }))
    }

    pub fn book(&self) -> &RuleBook {
        &self.inner.book
    }

    pub fn secure_cookies(&self) -> bool {
        self.inner.secure_cookies
    }

    pub fn today(&self) -> Date {
        self.inner
            .today
            .unwrap_or_else(|| chrono::Local::now().date_naive())
    }

    /// [`AppState::with_store`] on behalf of `who`: with a read replica, remembers where
    /// the primary's log stood afterwards, so that `who`'s next reads wait for the
    /// replica to have replayed their writes (or go to the primary).
    pub async fn with_store_as<T, F>(&self, who: &Principal, f: F) -> Result<T, WebError>
    where
        T: Send + 'static,
        F: FnOnce(&mut dyn Store, &RuleBook) -> T + Send + 'static,
    {
        if self.inner.replica.is_none() {
            return self.with_store(f).await;
        }
        let key = user_key(who);
        let inner = self.inner.clone();
        self.with_store(move |st, book| {
            let out = f(st, book);
            match st.log_position() {
                Ok(Some(pos)) => {
                    let mut map = inner.unreplayed.lock().unwrap_or_else(|e| e.into_inner());
                    let e = map.entry(key).or_insert(pos);
                    *e = (*e).max(pos);
                }
                Ok(None) => {}
                // Not knowing the position, the next reads of this user would risk
                // missing the write: send them to the primary until a later call.
                Err(e) => {
                    tracing::warn!(error = %e, "log position unknown");
                    let mut map = inner.unreplayed.lock().unwrap_or_else(|e| e.into_inner());
                    map.insert(key, u64::MAX);
                }
            }
            out
        })
        .await
    }

    /// A read that writes nothing, on behalf of `who` (`None`: no user, such as the
    /// figures, which may lag anyway): on the replica when there is one, it answers
    /// and it has replayed `who`'s own writes; on the primary otherwise.
    pub async fn with_read_store<T, F>(&self, who: Option<&Principal>, f: F) -> Result<T, WebError>
    where
        T: Send + 'static,
        F: FnOnce(&mut dyn Store, &RuleBook) -> T + Send + 'static,
    {
        if self.inner.replica.is_none() {
            return self.with_store(f).await;
        }
        let key = who.map(user_key);
        let inner = self.inner.clone();
        let permit = self
            .inner
            .permits
            .acquire()
            .await
            .map_err(|_| WebError::Join)?;
        // Hands `f` back when the read must go to the primary after all.
        let on_replica = tokio::task::spawn_blocking(move || -> Result<T, F> {
            let Some(replica) = inner.replica.as_ref() else {
                return Err(f);
            };
            let mut store = match replica.take() {
                Ok(s) => s,
                Err(e) => {
                    tracing::warn!(error = %e, "read replica unreachable; reading from the primary");
                    return Err(f);
                }
            };
            // Also the health check: a connection that cannot answer this is dropped.
            let replayed = match store.replayed_position() {
                Ok(p) => p.unwrap_or(0),
                Err(e) => {
                    tracing::warn!(error = %e, "read replica failed; reading from the primary");
                    return Err(f);
                }
            };
            if let Some(key) = &key {
                let mut map = inner.unreplayed.lock().unwrap_or_else(|e| e.into_inner());
                match map.get(key) {
                    Some(&pos) if pos > replayed => {
                        drop(map);
                        replica.give(store);
                        return Err(f);
                    }
                    Some(_) => {
                        map.remove(key);
                    }
                    None => {}
                }
            }
            let out = f(store.as_mut(), &inner.book);
            replica.give(store);
            Ok(out)
        })
        .await
        .map_err(|_| WebError::Join)?;
        drop(permit);
        match on_replica {
            Ok(out) => Ok(out),
            Err(f) => self.with_store(f).await,
        }
    }

    /// Runs blocking storage work on the blocking pool with a pooled connection.
    pub async fn with_store<T, F>(&self, f: F) -> Result<T, WebError>
    where
        T: Send + 'static,
        F: FnOnce(&mut dyn Store, &RuleBook) -> T + Send + 'static,
    {
        let inner = self.inner.clone();
        let _permit = self
            .inner
            .permits
            .acquire()
            .await
            .map_err(|_| WebError::Join)?;
        tokio::task::spawn_blocking(move || {
            let mut store = inner.primary.take()?;
            let out = f(store.as_mut(), &inner.book);
            inner.primary.give(store);
            Ok(out)
        })
        .await
        .map_err(|_| WebError::Join)?
    }
}

/// The key of a user's own-writes position.
fn user_key(p: &Principal) -> String {
    format!("{}/{}", p.org, p.username)
}

fn open_pooled(
    db: &std::path::Path,
    gate: &Arc<tnw_storage_sqlite::WriterGate>,
    full_sync: bool,
) -> Result<SqliteStore, WebError> {
    let mut s = SqliteStore::open_shared(db, gate.clone())?;
    s.server_tuning()?;
    if !full_sync {
        s.relax_sync()?;
    }
    Ok(s)
}

/// Storage calls in flight at once. On two cores, more only adds thread switches and
/// lock contention (measured: 8 gave a worse tail than 4).
const PARALLEL_STORE_CALLS: usize = 4;

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
