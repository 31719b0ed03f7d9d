//! The background checkpointer of a server's database.

use crate::gate::WriterGate;
use crate::{db, lock_ignoring_poison, SqliteStore};
use rusqlite::{Connection, OpenFlags};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use tnw_storage::{Result, StorageError};

/// Pause between two background checkpoints.
const CHECKPOINT_PAUSE: std::time::Duration = std::time::Duration::from_millis(20);

/// WAL frames (32 MiB) after which the checkpointer lets the log start over.
const RESTART_FRAMES: i64 = 8_192;

/// The background checkpoints of a server's database.
///
/// SQLite's automatic checkpoint runs inside the commit that crosses the threshold,
/// under the writer gate: every request queued behind it waited for the copy and the
/// disk flush (measured: dossier-read p99 43–48 ms with, 14 ms without). Here a thread
/// copies the log into the file without holding the gate, concurrently with the
/// writers. The log only starts over (instead of growing) once every frame was copied
/// at a moment no writer is adding new ones, so when the log is long and nearly all
/// copied, the thread takes the gate for the short rest.
pub struct Checkpointer {
    stop: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Drop for Checkpointer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            // A panicked checkpointer has nothing left to clean up.
            let _ = t.join();
        }
    }
}

impl SqliteStore {
    /// Starts a thread that copies the WAL into the database file off the request path
    /// (see [`Checkpointer`]). Runs until the returned value is dropped.
    pub fn start_checkpointer(path: &Path, gate: Arc<WriterGate>) -> Result<Checkpointer> {
        SqliteStore::start_checkpointer_at(path, gate, RESTART_FRAMES)
    }

    /// [`SqliteStore::start_checkpointer`] letting the log start over once it holds
    /// `restart_frames` pages (tests use small logs).
    pub fn start_checkpointer_at(
        path: &Path,
        gate: Arc<WriterGate>,
        restart_frames: i64,
    ) -> Result<Checkpointer> {
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(db)?;
        conn.execute_batch("PRAGMA busy_timeout = 10000;")
            .map_err(db)?;
        let db_file = std::fs::File::open(path)
            .map_err(|e| StorageError::Backend(format!("{}: {e}", path.display())))?;
        let stop = Arc::new(AtomicBool::new(false));
        let flag = stop.clone();
        let thread = std::thread::Builder::new()
            .name("sqlite-checkpoint".into())
            .spawn(move || checkpoint_loop(&conn, &db_file, &gate, &flag, restart_frames))
            .map_err(|e| StorageError::Backend(format!("checkpoint thread: {e}")))?;
        Ok(Checkpointer {
            stop,
            thread: Some(thread),
        })
    }
}

fn checkpoint_loop(
    conn: &Connection,
    db_file: &std::fs::File,
    gate: &WriterGate,
    stop: &AtomicBool,
    restart_frames: i64,
) {
    let passive = || -> Option<(i64, i64)> {
        match conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |r| {
            Ok((r.get(1)?, r.get(2)?))
        }) {
            Ok(v) => Some(v),
            Err(e) => {
                // Retried on the next round; the commits' own fallback checkpoint bounds
                // the log meanwhile.
                tracing::warn!(error = %e, "background checkpoint failed");
                None
            }
        }
    };
    // Flushes the pages the checkpoints copied, outside the gate, so that the flush
    // inside it finds little left to write. A failed flush is harmless: SQLite's own
    // checkpoint syncs the file before the log may start over.
    let flush = || {
        if let Err(e) = db_file.sync_data() {
            tracing::warn!(error = %e, "flushing the database file failed");
        }
    };
    // Frames of the log copied as of the last flush.
    let mut flushed = 0;
    while !stop.load(Ordering::Relaxed) {
        std::thread::sleep(CHECKPOINT_PAUSE);
        let Some((log, copied)) = passive() else {
            continue;
        };
        if copied != flushed {
            // Every round's copies are flushed at once, a few MiB at a time. Left to
            // pile up until the log starts over, they made one flush of tens of MiB
            // that held the disk for 150–250 ms, and every read of a page the
            // operating system had to fetch meanwhile waited behind it.
            flush();
            flushed = copied;
        }
        if log >= restart_frames && log - copied <= restart_frames / 8 {
            // Two rounds without the gate leave only the frames of the last few
            // milliseconds for the round under it.
            flush();
            passive();
            flush();
            let _writers = lock_ignoring_poison(&gate.writer);
            passive();
        }
    }
}
