//! The application handle: what the HTTP layer and the command line hold instead of a
//! database connection. Every use case is a method of [`App`] (defined beside the use
//! case, in its module); the handle takes a pooled connection for the call, sends the
//! reads that write nothing to a read replica when there is one, and gives each use
//! case only the storage traits it needs.
//!
//! The methods block (storage, password hashing): async callers run them on a
//! blocking thread.

use crate::access::Principal;
use crate::pool::{Connection, Opener, Pool};
use crate::AppError;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tnw_domain::RuleBook;
use tnw_storage::{StorageError, Store};

/// How long the figures may lag behind the dossiers: one load reads every dossier of
/// the fund.
pub const FIGURES_CACHE: Duration = Duration::from_secs(60);

/// The application over one database. Cheap to clone: clones share the pool.
#[derive(Clone)]
pub struct App {
    inner: Arc<Inner>,
}

struct Inner {
    primary: Pool,
    /// A read replica for the reads that write nothing (worklists, caseloads, figures).
    replica: Option<Pool>,
    book: RuleBook,
    /// Per user (fund/username): the primary's log position after their last call
    /// that may have written, until the replica has replayed that far. Until then
    /// their reads go to the primary, so they always see their own writes.
    unreplayed: Mutex<HashMap<String, u64>>,
    /// Each fund's population for the figures, loaded at most every [`FIGURES_CACHE`].
    pub(crate) figures: Mutex<HashMap<String, (Instant, Arc<crate::figures::Population>)>>,
    /// What lives as long as the application (SQLite's background checkpoints).
    _companion: Option<Box<dyn Send + Sync>>,
}

/// What an [`App`] is built from: how to open connections to the database, the first
/// one already open (it created and migrated the database), an optional read replica,
/// and what must live as long as the application.
pub struct Connections {
    pub open: Opener,
    pub first: Option<Connection>,
    pub replica: Option<Opener>,
    pub companion: Option<Box<dyn Send + Sync>>,
}

impl Connections {
    /// Connections opened by `open`, the first at once.
    pub fn opened_by(open: Opener) -> Result<Connections, StorageError> {
        let first = open()?;
        Ok(Connections {
            open,
            first: Some(first),
            replica: None,
            companion: None,
        })
    }
}

impl App {
    pub fn new(connections: Connections, book: RuleBook) -> App {
        App {
            inner: Arc::new(Inner {
                primary: Pool::new(connections.open, connections.first),
                replica: connections.replica.map(|open| Pool::new(open, None)),
                book,
                unreplayed: Mutex::new(HashMap::new()),
                figures: Mutex::new(HashMap::new()),
                _companion: connections.companion,
            }),
        }
    }

    /// The rule sets every deadline is computed with.
    pub fn book(&self) -> &RuleBook {
        &self.inner.book
    }

    pub(crate) fn figures_cache(
        &self,
    ) -> &Mutex<HashMap<String, (Instant, Arc<crate::figures::Population>)>> {
        &self.inner.figures
    }

    /// Runs `f` on a connection to the primary database.
    pub(crate) fn primary<T, E: From<AppError>>(
        &self,
        f: impl FnOnce(&mut dyn Store, &RuleBook) -> Result<T, E>,
    ) -> Result<T, E> {
        self.inner
            .primary
            .with(|st| f(st, &self.inner.book))
            .map_err(|e| E::from(AppError::Unavailable(e.to_string())))?
    }

    /// [`App::primary`] on behalf of `who`: with a read replica, remembers where the
    /// primary's log stood afterwards, so that `who`'s next reads wait for the replica
    /// to have replayed their writes (or go to the primary).
    pub(crate) fn primary_as<T, E: From<AppError>>(
        &self,
        who: &Principal,
        f: impl FnOnce(&mut dyn Store, &RuleBook) -> Result<T, E>,
    ) -> Result<T, E> {
        if self.inner.replica.is_none() {
            return self.primary(f);
        }
        let key = user_key(who);
        self.primary(|st, book| {
            let out = f(st, book);
            let mut map = self
                .inner
                .unreplayed
                .lock()
                .unwrap_or_else(|e| e.into_inner());
            match st.log_position() {
                Ok(Some(pos)) => {
                    let e = map.entry(key).or_insert(pos);
                    *e = (*e).max(pos);
                }
                Ok(None) => {}
                // Not knowing the position, the next reads of this user would risk
                // missing the write: send them to the primary until a later call.
                Err(e) => {
                    tracing::warn!(error = %e, "log position unknown");
                    map.insert(key, u64::MAX);
                }
            }
            out
        })
    }

    /// A read that writes nothing, on behalf of `who` (`None`: no user, such as the
    /// figures, which may lag anyway): on the replica when there is one, it answers
    /// and it has replayed `who`'s own writes; on the primary otherwise.
    pub(crate) fn read<T, E: From<AppError>>(
        &self,
        who: Option<&Principal>,
        f: impl FnOnce(&mut dyn Store, &RuleBook) -> Result<T, E>,
    ) -> Result<T, E> {
        let Some(replica) = self.inner.replica.as_ref() else {
            return self.primary(f);
        };
        let mut store = match replica.take() {
            Ok(s) => s,
            Err(e) => {
                tracing::warn!(error = %e, "read replica unreachable; reading from the primary");
                return self.primary(f);
            }
        };
        // Also the health check: a connection that cannot answer this is dropped.
        let replayed = match store.replayed_position() {
            Ok(p) => p.unwrap_or(0),
            Err(e) => {
                tracing::warn!(error = %e, "read replica failed; reading from the primary");
                return self.primary(f);
            }
        };
        if let Some(key) = who.map(user_key) {
            let mut map = self
                .inner
                .unreplayed
                .lock()
                .unwrap_or_else(|e| e.into_inner());
            match map.get(&key) {
                Some(&pos) if pos > replayed => {
                    drop(map);
                    replica.give(store);
                    return self.primary(f);
                }
                Some(_) => {
                    map.remove(&key);
                }
                None => {}
            }
        }
        let out = f(store.as_mut(), &self.inner.book);
        replica.give(store);
        out
    }
}

/// The key of a user's own-writes position.
fn user_key(p: &Principal) -> String {
    format!("{}/{}", p.org, p.username)
}
