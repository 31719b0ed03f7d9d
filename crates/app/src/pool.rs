//! Connections to one database: idle ones kept for the next call, more opened on
//! demand. The pool holds any backend's connections ([`Store`]); how one is opened is
//! the [`Opener`] the application was built with.

use std::sync::Mutex;
use tnw_storage::{StorageError, Store};

/// A connection of any backend, as the pool holds it.
pub type Connection = Box<dyn Store>;

/// Opens one more connection (a SQLite file, a PostgreSQL URL …).
pub type Opener = Box<dyn Fn() -> Result<Connection, StorageError> + Send + Sync>;

/// Idle connections kept at most: more than a few per core only adds contention.
const KEPT: usize = 32;

pub(crate) struct Pool {
    open: Opener,
    idle: Mutex<Vec<Connection>>,
}

impl Pool {
    pub(crate) fn new(open: Opener, first: Option<Connection>) -> Pool {
        Pool {
            open,
            idle: Mutex::new(first.into_iter().collect()),
        }
    }

    /// An idle connection, or a new one.
    pub(crate) fn take(&self) -> Result<Connection, StorageError> {
        let idle = self.idle.lock().unwrap_or_else(|e| e.into_inner()).pop();
        match idle {
            Some(s) => Ok(s),
            None => (self.open)(),
        }
    }

    /// Back for the next call.
    pub(crate) fn give(&self, store: Connection) {
        let mut idle = self.idle.lock().unwrap_or_else(|e| e.into_inner());
        if idle.len() < KEPT {
            idle.push(store);
        }
    }

    /// Runs `f` on a pooled connection. A connection whose call panicked is not given
    /// back (it may be in the middle of a transaction).
    pub(crate) fn with<T>(&self, f: impl FnOnce(&mut dyn Store) -> T) -> Result<T, StorageError> {
        let mut store = self.take()?;
        let out = f(store.as_mut());
        self.give(store);
        Ok(out)
    }
}

impl Drop for Pool {
    fn drop(&mut self) {
        // The application may go with a web server's router, on an async worker at
        // shutdown. Closing a PostgreSQL connection blocks on the client's own runtime,
        // which panics there: the idle connections are closed on a thread of their own.
        let idle = std::mem::take(self.idle.get_mut().unwrap_or_else(|e| e.into_inner()));
        if idle.is_empty() {
            return;
        }
        std::thread::scope(|s| {
            s.spawn(move || drop(idle));
        });
    }
}
