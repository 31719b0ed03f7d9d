//! Opening the database file, and the settings of its connections.

use crate::gate::WriterGate;
use crate::{db, lock_ignoring_poison, SqliteStore};
use rusqlite::{Connection, OpenFlags};
use std::path::Path;
use std::sync::Arc;
use tnw_storage::{Result, StorageError};

/// WAL frames after which a server commit checkpoints by itself (64 MiB): only when the
/// [`Checkpointer`](crate::Checkpointer) cannot keep up.
const FALLBACK_CHECKPOINT_FRAMES: i64 = 16_384;

impl SqliteStore {
    /// Opens (creating if needed) the database file and brings its schema up to date.
    pub fn open(path: &Path) -> Result<SqliteStore> {
        SqliteStore::open_shared(path, Arc::new(WriterGate::default()))
    }

    /// Opens a connection that queues its writes behind `gate` with the other
    /// connections of the same pool.
    pub fn open_shared(path: &Path, gate: Arc<WriterGate>) -> Result<SqliteStore> {
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_CREATE
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(db)?;
        // WAL: readers never block the writer. synchronous=FULL: a commit we acknowledged
        // survives a power cut, not only a crash of the process; we commit in large
        // batches, so the extra fsync costs little.
        // 4 KiB pages (SQLite's default, set explicitly because it was measured): with
        // 16 KiB pages the import was no faster, and every small server write put
        // several 16 KiB page images into the WAL (write p99 75 ms against 43 ms).
        conn.execute_batch("PRAGMA busy_timeout = 10000; PRAGMA page_size = 4096;")
            .map_err(db)?;
        switch_to_wal(&conn)?;
        conn.execute_batch(
            "PRAGMA synchronous = FULL;
             PRAGMA foreign_keys = ON;
             PRAGMA cache_size = -65536;
             PRAGMA temp_store = MEMORY;",
        )
        .map_err(db)?;
        let mut store = SqliteStore {
            conn,
            gate,
            orgs: Default::default(),
        };
        store.migrate()?;
        Ok(store)
    }

    /// Settings for the connections of a server pool: a 64 MiB page cache each and no
    /// memory map (SQLite drops a connection's map whenever another connection wrote,
    /// so under writes nearly every read mapped the file again).
    pub fn server_tuning(&mut self) -> Result<()> {
        self.conn
            .pragma_update(None, "cache_size", -65536)
            .map_err(db)?;
        self.conn.pragma_update(None, "mmap_size", 0).map_err(db)?;
        // Checkpoints are the [`Checkpointer`]'s; a commit checkpoints itself only if
        // that thread fell far behind.
        self.conn
            .pragma_update(None, "wal_autocheckpoint", FALLBACK_CHECKPOINT_FRAMES)
            .map_err(db)?;
        self.also_for_writes("wal_autocheckpoint", FALLBACK_CHECKPOINT_FRAMES)
    }

    /// Commits without waiting for the disk (`synchronous = NORMAL` in WAL mode): a
    /// commit survives a crash of the process, not a power cut. The server uses it for
    /// its many small transactions (every audited read is one); see docs/operations.md.
    pub fn relax_sync(&mut self) -> Result<()> {
        // NORMAL is 1.
        self.conn
            .pragma_update(None, "synchronous", 1)
            .map_err(db)?;
        self.also_for_writes("synchronous", 1)
    }

    /// Sets `pragma` on the gate's write connection too, when it is open already: it
    /// took the settings of the store that opened it, which may have been set since.
    fn also_for_writes(&mut self, pragma: &str, value: i64) -> Result<()> {
        let slot = lock_ignoring_poison(&self.gate.writer);
        match &slot.conn {
            Some(conn) => conn.pragma_update(None, pragma, value).map_err(db),
            None => Ok(()),
        }
    }
}

/// Switches the file to WAL. On a new file the switch needs a lock that another
/// process opening the file at the same moment may hold, and SQLite reports that as
/// busy at once instead of waiting; we wait (up to the busy timeout) ourselves.
fn switch_to_wal(conn: &Connection) -> Result<()> {
    let mut waited = std::time::Duration::ZERO;
    loop {
        match conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get::<_, String>(0)) {
            Ok(_) => return Ok(()),
            Err(rusqlite::Error::SqliteFailure(e, _))
                if e.code == rusqlite::ErrorCode::DatabaseBusy
                    && waited < std::time::Duration::from_secs(10) =>
            {
                let pause = std::time::Duration::from_millis(5);
                std::thread::sleep(pause);
                waited += pause;
            }
            Err(e) => return Err(db(e)),
        }
    }
}

/// The dedicated write connection of a shared gate, with the settings of `like`
/// (durability, checkpoint threshold) and a larger page cache: it is the one
/// connection whose cache stays valid.
pub(crate) fn writer_connection(like: &Connection) -> Result<Connection> {
    let path = like
        .path()
        .filter(|p| !p.is_empty())
        .ok_or_else(|| StorageError::Backend("the database has no file to write to".into()))?;
    let synchronous: i64 = like
        .query_row("PRAGMA synchronous", [], |r| r.get(0))
        .map_err(db)?;
    let autocheckpoint: i64 = like
        .query_row("PRAGMA wal_autocheckpoint", [], |r| r.get(0))
        .map_err(db)?;
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(db)?;
    conn.execute_batch(
        "PRAGMA busy_timeout = 10000;
         PRAGMA foreign_keys = ON;
         PRAGMA cache_size = -131072;
         PRAGMA temp_store = MEMORY;
         PRAGMA mmap_size = 0;",
    )
    .map_err(db)?;
    conn.pragma_update(None, "synchronous", synchronous)
        .map_err(db)?;
    conn.pragma_update(None, "wal_autocheckpoint", autocheckpoint)
        .map_err(db)?;
    Ok(conn)
}
