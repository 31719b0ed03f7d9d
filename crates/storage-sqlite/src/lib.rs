//! The embedded default store: one SQLite file in WAL mode, created on first use, its
//! migrations applied on open.

use rusqlite::{params, Connection, OpenFlags, OptionalExtension};
use std::path::Path;
use std::sync::{Arc, Mutex, MutexGuard};
use tnw_domain::date::parse_date;
use tnw_domain::{CaseKey, Date};
use tnw_storage::{chain, log, tasks};
use tnw_storage::{
    AccountStore, AuditStore, CaseStore, DraftStore, FundStore, ImportLog, Outbox, Replication,
    Scans, SessionStore, SurveyStore, WorkQueries,
};
use tnw_storage::{
    AuditEntry, AuditRecord, CaseWrite, CaseloadCase, CaseloadRow, ChainedAudit, Counts, FactsRow,
    FigureRow, ImportRecord, Message, NewMessage, OpenTask, OutboxCounts, Result, Session,
    StorageError, StoredCase, StoredEvent, SurveyImportCounts, SurveyResponse, User, WorkItem,
    WorklistQuery,
};

mod backup;
pub use backup::{check_file, restore, DatabaseInfo, Restored};

/// Schema migrations, applied in order; `PRAGMA user_version` records how many ran.
const MIGRATIONS: &[&str] = &[
    include_str!("../migrations/0001_init.sql"),
    include_str!("../migrations/0002_access.sql"),
    include_str!("../migrations/0003_caseload.sql"),
    // 0004 was reserved for the survey responses and never used; they came as 0007.
    include_str!("../migrations/0005_outbox.sql"),
    include_str!("../migrations/0006_drafts.sql"),
    include_str!("../migrations/0007_surveys.sql"),
    AUDIT_CHAIN_SQL,
    include_str!("../migrations/0009_worklist_covering.sql"),
];

/// The migration after which existing audit entries are chained ([`chain_backfill`]).
const AUDIT_CHAIN_SQL: &str = include_str!("../migrations/0008_audit_chain.sql");

/// Audit entries chained per backfill step: bounded memory on large logs.
const BACKFILL_CHUNK: i64 = 10_000;

/// The schema version a database has once migrated.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

pub struct SqliteStore {
    conn: Connection,
    /// Shared by the connections of one process: writers queue here, in order, instead
    /// of in SQLite's busy handler, which sleeps and retries (long tail latencies).
    gate: Arc<WriterGate>,
    /// Fund code → `orgs.id`, filled as funds are used.
    orgs: std::collections::HashMap<String, i64>,
}

/// The write queue of the connections of one process, with a group commit for the audit
/// entries of dossier reads.
///
/// Every read of a dossier writes its audit entry before the dossier is returned, so
/// under load most commits are reads' audit entries, each a transaction with its own
/// WAL sync under the gate. Reads waiting at the gate hand their entry in first;
/// whichever takes the gate commits all entries handed in so far in one transaction
/// (one sync, one WAL append) and leaves each reader its outcome. No reader returns
/// before the transaction holding its entry committed, so "no read without its audit
/// entry" holds as with one transaction per read.
#[derive(Default)]
pub struct WriterGate {
    writer: Mutex<WriterSlot>,
    reads: Mutex<ReadAudits>,
}

/// The connection the writes of a shared gate go through. One connection for all
/// writes keeps its page cache: SQLite drops a connection's cache whenever another
/// connection changed the file, so with writes spread over the pool every write began
/// by reading the b-trees' upper pages again (measured: a sixth of the server's CPU under
/// writes went to reading pages).
#[derive(Default)]
struct WriterSlot {
    /// Whether writes use a connection of their own (shared gates) or the store's.
    dedicated: bool,
    conn: Option<Connection>,
}

/// The writer gate held, and the connection to write through.
struct Writer<'a> {
    slot: MutexGuard<'a, WriterSlot>,
    own: &'a Connection,
    orgs: &'a mut std::collections::HashMap<String, i64>,
}

impl Writer<'_> {
    fn conn(&self) -> &Connection {
        self.slot.conn.as_ref().unwrap_or(self.own)
    }

    /// A transaction that takes SQLite's write lock at once (so a read-then-write
    /// transaction cannot fail half-way on a concurrent writer).
    fn begin(&self) -> Result<rusqlite::Transaction<'_>> {
        rusqlite::Transaction::new_unchecked(self.conn(), rusqlite::TransactionBehavior::Immediate)
            .map_err(db)
    }

    /// The id of fund `code`, created on first use when `create`.
    fn org_id(&mut self, code: &str, create: bool) -> Result<Option<i64>> {
        // Not through `conn()`: the borrow of the cache below must stay apart.
        let conn = self.slot.conn.as_ref().unwrap_or(self.own);
        org_id_in(conn, self.orgs, code, create)
    }

    /// Writes a group of reads' audit entries in one transaction. An entry whose
    /// dossier grew since its reader decided is left out.
    fn commit_read_audits(&self, group: &[PendingRead]) -> Result<Vec<(u64, ReadOutcome)>> {
        let tx = self.begin()?;
        let mut appender = AuditAppender::new();
        let mut outcomes = Vec::with_capacity(group.len());
        for p in group {
            let now: i64 = tx
                .prepare_cached(
                    "SELECT coalesce((SELECT events FROM case_logs WHERE case_id = ?1), 0)",
                )
                .map_err(db)?
                .query_row([p.case_id], |r| r.get(0))
                .map_err(db)?;
            if now == p.seen {
                appender.append(&tx, p.org_id, &p.org, Some((p.case_id, &p.key)), &p.entry)?;
                outcomes.push((p.ticket, ReadOutcome::Written));
            } else {
                outcomes.push((p.ticket, ReadOutcome::Grew));
            }
        }
        tx.commit().map_err(db)?;
        Ok(outcomes)
    }

    fn org_id_created(&mut self, org: &str) -> Result<i64> {
        self.org_id(org, true)?
            .ok_or_else(|| StorageError::Backend(format!("fund {org} could not be created")))
    }
}

#[derive(Default)]
struct ReadAudits {
    next_ticket: u64,
    pending: Vec<PendingRead>,
    outcomes: std::collections::HashMap<u64, ReadOutcome>,
}

/// A read's audit entry waiting for the next group commit. `seen` is the length of the
/// dossier's log the reader decided on.
struct PendingRead {
    ticket: u64,
    org_id: i64,
    org: String,
    case_id: i64,
    key: String,
    seen: i64,
    entry: AuditEntry,
}

enum ReadOutcome {
    Written,
    /// The dossier grew after the reader decided: nothing written, the reader decides
    /// again on the new log.
    Grew,
    Failed(String),
}

impl WriterGate {
    fn hand_in(&self, mut read: PendingRead) -> u64 {
        let mut reads = lock_ignoring_poison(&self.reads);
        let ticket = reads.next_ticket;
        reads.next_ticket += 1;
        read.ticket = ticket;
        reads.pending.push(read);
        ticket
    }

    fn take_outcome(&self, ticket: u64) -> Option<ReadOutcome> {
        lock_ignoring_poison(&self.reads).outcomes.remove(&ticket)
    }

    fn take_pending(&self) -> Vec<PendingRead> {
        std::mem::take(&mut lock_ignoring_poison(&self.reads).pending)
    }

    fn publish(&self, outcomes: Vec<(u64, ReadOutcome)>) {
        lock_ignoring_poison(&self.reads).outcomes.extend(outcomes);
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

/// Writes of at most this many dossiers (the API's) read their pages before taking the
/// writer gate ([`SqliteStore::warm`]); an import's large batches do not.
const WARM_CASES: usize = 4;

/// WAL frames after which a server commit checkpoints by itself (64 MiB): only when the
/// [`Checkpointer`] cannot keep up.
const FALLBACK_CHECKPOINT_FRAMES: i64 = 16_384;

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
    stop: Arc<std::sync::atomic::AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Drop for Checkpointer {
    fn drop(&mut self) {
        self.stop.store(true, std::sync::atomic::Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            // A panicked checkpointer has nothing left to clean up.
            let _ = t.join();
        }
    }
}

fn checkpoint_loop(
    conn: &Connection,
    db_file: &std::fs::File,
    gate: &WriterGate,
    stop: &std::sync::atomic::AtomicBool,
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
    while !stop.load(std::sync::atomic::Ordering::Relaxed) {
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

/// The id of fund `code` through `conn`, created on first write when `create`;
/// `orgs` caches the ids.
fn org_id_in(
    conn: &Connection,
    orgs: &mut std::collections::HashMap<String, i64>,
    code: &str,
    create: bool,
) -> Result<Option<i64>> {
    if let Some(id) = orgs.get(code) {
        return Ok(Some(*id));
    }
    if create {
        conn.execute(
            "INSERT INTO orgs (code) VALUES (?1) ON CONFLICT (code) DO NOTHING",
            [code],
        )
        .map_err(db)?;
    }
    let id: Option<i64> = conn
        .query_row("SELECT id FROM orgs WHERE code = ?1", [code], |r| r.get(0))
        .optional()
        .map_err(db)?;
    if let Some(id) = id {
        orgs.insert(code.to_owned(), id);
    }
    Ok(id)
}

/// The dedicated write connection of a shared gate, with the settings of `like`
/// (durability, checkpoint threshold) and a larger page cache: it is the one
/// connection whose cache stays valid.
fn writer_connection(like: &Connection) -> Result<Connection> {
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

/// A poisoned lock only means another thread panicked while holding it; the data it
/// guards (a queue, or the write connection between transactions) stays consistent,
/// so we go on.
fn lock_ignoring_poison<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

fn db(e: rusqlite::Error) -> StorageError {
    StorageError::Backend(e.to_string())
}

fn corrupt(what: &str) -> StorageError {
    StorageError::Corrupt(what.to_owned())
}

impl SqliteStore {
    /// Opens (creating if needed) the database file and brings its schema up to date.
    pub fn open(path: &Path) -> Result<SqliteStore> {
        SqliteStore::open_shared(path, Arc::new(WriterGate::default()))
    }

    /// A new gate for [`SqliteStore::open_shared`]. Its writes go through a connection
    /// of their own, opened on the first write with the settings of the store that
    /// makes it.
    pub fn new_gate() -> Arc<WriterGate> {
        let gate = WriterGate::default();
        lock_ignoring_poison(&gate.writer).dedicated = true;
        Arc::new(gate)
    }

    /// Takes the writer gate; the connection to write through comes with it.
    fn writer(&mut self) -> Result<Writer<'_>> {
        let mut slot = lock_ignoring_poison(&self.gate.writer);
        if slot.dedicated && slot.conn.is_none() {
            slot.conn = Some(writer_connection(&self.conn)?);
        }
        Ok(Writer {
            slot,
            own: &self.conn,
            orgs: &mut self.orgs,
        })
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

    /// Applies the migrations up to `version` only: builds databases of an older schema,
    /// to test upgrades.
    pub fn migrate_file_to(path: &Path, version: i64) -> Result<()> {
        let mut conn = Connection::open(path).map_err(db)?;
        conn.execute_batch("PRAGMA journal_mode = WAL;")
            .map_err(db)?;
        for (i, sql) in MIGRATIONS.iter().enumerate().take(version.max(0) as usize) {
            apply_migration(&mut conn, i, sql)?;
        }
        Ok(())
    }

    fn migrate(&mut self) -> Result<()> {
        let version: i64 = self
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(db)?;
        let supported = MIGRATIONS.len() as i64;
        if version > supported {
            return Err(StorageError::TooNew {
                found: version,
                supported,
            });
        }
        for (i, sql) in MIGRATIONS.iter().enumerate().skip(version as usize) {
            apply_migration(&mut self.conn, i, sql)?;
        }
        Ok(())
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

    /// Sets `pragma` on the gate's write connection too, when it is open already: it
    /// took the settings of the store that opened it, which may have been set since.
    fn also_for_writes(&mut self, pragma: &str, value: i64) -> Result<()> {
        let slot = lock_ignoring_poison(&self.gate.writer);
        match &slot.conn {
            Some(conn) => conn.pragma_update(None, pragma, value).map_err(db),
            None => Ok(()),
        }
    }

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
        let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
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

    /// The id of fund `code`, if it exists (funds are created under the writer gate).
    fn org_id(&mut self, code: &str) -> Result<Option<i64>> {
        org_id_in(&self.conn, &mut self.orgs, code, false)
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

    /// Reads the pages a write to `cases` will change, before it takes the writer gate:
    /// the dossier's row, its tasks and their worklist index entries, and its audit
    /// index entry.
    /// A page the operating system has evicted is then read from disk here, alongside
    /// other requests, and not under the gate, where every writer would wait for it
    /// (measured: reads of evicted pages during a checkpoint's flush took 30–90 ms).
    fn warm(&mut self, org: &str, cases: &[CaseWrite]) -> Result<()> {
        if self.org_id(org)?.is_none() {
            return Ok(());
        }
        let mut tasks = self
            .conn
            .prepare_cached(
                "SELECT count(*), sum((SELECT 1 FROM tasks w INDEXED BY tasks_worklist
                                       WHERE w.org_id = t.org_id AND w.actor = t.actor
                                         AND w.due = t.due AND w.window_start = t.window_start
                                         AND w.code = t.code AND w.rule = t.rule
                                         AND w.case_id = t.case_id AND w.rowid = t.rowid))
                 FROM tasks t WHERE t.case_id = ?1",
            )
            .map_err(db)?;
        let mut audit = self
            .conn
            .prepare_cached("SELECT max(id) FROM audit WHERE case_id = ?1")
            .map_err(db)?;
        let mut row = self
            .conn
            .prepare_cached("SELECT length(facts) FROM cases WHERE id = ?1")
            .map_err(db)?;
        for id in cases.iter().filter_map(|c| c.existing_id) {
            row.query_row([id], |r| r.get::<_, Option<i64>>(0))
                .optional()
                .map_err(db)?;
            tasks.query_row([id], |r| r.get::<_, i64>(0)).map_err(db)?;
            audit
                .query_row([id], |r| r.get::<_, Option<i64>>(0))
                .map_err(db)?;
        }
        Ok(())
    }

    /// The schema version this file is at.
    pub fn schema_version(&self) -> Result<i64> {
        self.conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(db)
    }
}

/// Applies migration `i` and what goes with it, in one transaction.
fn apply_migration(conn: &mut Connection, i: usize, sql: &str) -> Result<()> {
    // Take the write lock first and look again: another process opening the same file
    // may have applied this migration since we read the version.
    let tx = conn
        .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
        .map_err(db)?;
    let version: i64 = tx
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(db)?;
    if version > i as i64 {
        return Ok(());
    }
    tx.execute_batch(sql).map_err(db)?;
    if sql == AUDIT_CHAIN_SQL {
        // An upgraded database verifies: its existing entries are chained before the
        // new version is recorded.
        chain_backfill(&tx)?;
    }
    // user_version cannot be bound as a parameter; `i + 1` is our own integer.
    tx.pragma_update(None, "user_version", i as i64 + 1)
        .map_err(db)?;
    tx.commit().map_err(db)
}

/// The audit entries after `after_id` with their stored fields, as the chain sees
/// them: the fund's code and the case's key (an entry whose fund or case row is gone
/// still shows, and fails to verify).
fn chain_rows(conn: &Connection, after_id: i64, limit: i64) -> Result<Vec<ChainedAudit>> {
    let mut stmt = conn
        .prepare_cached(
            "SELECT a.id, coalesce(o.code, ''), a.at, c.key, a.username, a.role, a.action,
                    a.what, a.purpose, a.hash
             FROM audit a LEFT JOIN orgs o ON o.id = a.org_id LEFT JOIN cases c ON c.id = a.case_id
             WHERE a.id > ?1 ORDER BY a.id LIMIT ?2",
        )
        .map_err(db)?;
    let rows = stmt
        .query_map(params![after_id, limit], |r| {
            Ok(ChainedAudit {
                id: r.get(0)?,
                org: r.get(1)?,
                at: r.get(2)?,
                case: r.get(3)?,
                entry: AuditEntry {
                    username: r.get(4)?,
                    role: r.get(5)?,
                    action: r.get(6)?,
                    what: r.get(7)?,
                    purpose: r.get(8)?,
                },
                hash: r.get(9)?,
            })
        })
        .map_err(db)?;
    rows.map(|r| r.map_err(db)).collect()
}

/// Chains every audit entry in id order, from the genesis hash.
fn chain_backfill(conn: &Connection) -> Result<()> {
    let mut prev = chain::GENESIS;
    let mut after = 0;
    let mut update = conn
        .prepare_cached("UPDATE audit SET hash = ?2 WHERE id = ?1")
        .map_err(db)?;
    loop {
        let rows = chain_rows(conn, after, BACKFILL_CHUNK)?;
        for r in &rows {
            prev = chain::link(&prev, &r.fields());
            update.execute(params![r.id, &prev[..]]).map_err(db)?;
            after = r.id;
        }
        if (rows.len() as i64) < BACKFILL_CHUNK {
            return Ok(());
        }
    }
}

/// Appends audit entries within one write transaction (which holds SQLite's write
/// lock, so no other writer can append in between): the chain's head is read once,
/// on the first entry, and carried along.
struct AuditAppender {
    tip: Option<chain::Tip>,
    at: String,
}

impl AuditAppender {
    fn new() -> AuditAppender {
        AuditAppender {
            tip: None,
            at: chain::timestamp_now(),
        }
    }

    fn append(
        &mut self,
        conn: &Connection,
        org_id: i64,
        org: &str,
        case: Option<(i64, &str)>,
        entry: &AuditEntry,
    ) -> Result<()> {
        let tip = match &mut self.tip {
            Some(t) => t,
            None => {
                let last = conn
                    .prepare_cached("SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1")
                    .map_err(db)?
                    .query_row([], |r| Ok((r.get(0)?, r.get(1)?)))
                    .optional()
                    .map_err(db)?;
                self.tip.insert(chain::Tip::from_stored(last))
            }
        };
        let (id, hash) = tip.advance(org, &self.at, case.map(|(_, key)| key), entry);
        conn.prepare_cached(
            "INSERT INTO audit (id, org_id, at, username, role, action, case_id, what, purpose, hash)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        )
        .map_err(db)?
        .execute(params![
            id,
            org_id,
            self.at,
            entry.username,
            entry.role,
            entry.action,
            case.map(|(id, _)| id),
            entry.what,
            entry.purpose,
            &hash[..]
        ])
        .map_err(db)?;
        Ok(())
    }
}

fn load_events(conn: &Connection, case_id: i64) -> Result<Vec<StoredEvent>> {
    let mut stmt = conn
        .prepare_cached("SELECT log FROM case_logs WHERE case_id = ?1")
        .map_err(db)?;
    let log: Option<String> = stmt
        .query_row([case_id], |r| r.get(0))
        .optional()
        .map_err(db)?;
    log::parse_stored(case_id, log.as_deref())
}

const USER_COLUMNS: &str =
    "u.id, o.code, u.username, u.display_name, u.role, u.password_hash, u.language, u.person_id, u.employer_id, u.active, u.email";
const USER_SELECT: &str = "SELECT u.id, o.code, u.username, u.display_name, u.role, u.password_hash, u.language, u.person_id, u.employer_id, u.active, u.email FROM users u JOIN orgs o ON o.id = u.org_id";

/// A list of actors as one bound JSON parameter (no SQL built from values).
/// A task as its stored columns (code, actor, rule, window start, due).
fn task_row(t: &OpenTask) -> [String; 5] {
    [
        t.code.clone(),
        t.actor.clone(),
        t.rule.clone(),
        t.window_start.to_string(),
        t.due.to_string(),
    ]
}

fn actors_json(actors: &[&str]) -> String {
    serde_json::Value::from(actors.to_vec()).to_string()
}

fn user_row(r: &rusqlite::Row) -> rusqlite::Result<User> {
    user_row_at(r, 0)
}

fn user_row_at(r: &rusqlite::Row, at: usize) -> rusqlite::Result<User> {
    Ok(User {
        id: r.get(at)?,
        org: r.get(at + 1)?,
        username: r.get(at + 2)?,
        display_name: r.get(at + 3)?,
        role: r.get(at + 4)?,
        password_hash: r.get(at + 5)?,
        language: r.get(at + 6)?,
        person_id: r.get(at + 7)?,
        employer_id: r.get(at + 8)?,
        active: r.get(at + 9)?,
        email: r.get(at + 10)?,
    })
}

impl CaseStore for SqliteStore {
    fn load_cases(&mut self, org: &str, keys: &[CaseKey]) -> Result<Vec<Option<StoredCase>>> {
        let Some(org_id) = self.org_id(org)? else {
            return Ok(vec![None; keys.len()]);
        };
        let tx = self.conn.transaction().map_err(db)?;
        let mut out = Vec::with_capacity(keys.len());
        {
            let mut find = tx
                .prepare_cached("SELECT id FROM cases WHERE org_id = ?1 AND key = ?2")
                .map_err(db)?;
            for key in keys {
                let id: Option<i64> = find
                    .query_row(params![org_id, key.token()], |r| r.get(0))
                    .optional()
                    .map_err(db)?;
                out.push(match id {
                    None => None,
                    Some(id) => Some(StoredCase {
                        id,
                        org: org.to_owned(),
                        key: key.clone(),
                        events: load_events(&tx, id)?,
                    }),
                });
            }
        }
        tx.commit().map_err(db)?;
        Ok(out)
    }

    fn write_cases(
        &mut self,
        org: &str,
        import_id: Option<i64>,
        cases: &[CaseWrite],
        audit: &[(Option<CaseKey>, AuditEntry)],
    ) -> Result<()> {
        if cases.len() <= WARM_CASES {
            self.warm(org, cases)?;
        }
        let mut w = self.writer()?;
        let org_id = w.org_id_created(org)?;
        // IMMEDIATE: take the write lock up front so a concurrent writer cannot make us
        // fail half-way through a read-then-write transaction.
        let tx = w.begin()?;
        {
            let mut insert_case = tx
                .prepare_cached(
                    "INSERT INTO cases (org_id, key, person_id, incapacity_start, ended, scheme, region,
                                        language, condition, category, facts, assignee,
                                        quick_scan_returned)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
                )
                .map_err(db)?;
            // The indexed columns (person, assignee) are set only when they changed:
            // SQLite rewrites the index entries of every indexed column named in SET.
            let mut update_case = tx
                .prepare_cached(
                    "UPDATE cases SET incapacity_start = ?3, ended = ?4, scheme = ?5,
                            region = ?6, language = ?7, condition = ?8, category = ?9, facts = ?10,
                            quick_scan_returned = ?11, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
                     WHERE id = ?1 AND org_id = ?2",
                )
                .map_err(db)?;
            let mut update_person = tx
                .prepare_cached(
                    "UPDATE cases SET person_id = ?2 WHERE id = ?1 AND person_id IS NOT ?2",
                )
                .map_err(db)?;
            let mut update_assignee = tx
                .prepare_cached(
                    "UPDATE cases SET assignee = ?2 WHERE id = ?1 AND assignee IS NOT ?2",
                )
                .map_err(db)?;
            let mut stored_tasks = tx
                .prepare_cached(
                    "SELECT rowid, code, actor, rule, window_start, due FROM tasks WHERE case_id = ?1",
                )
                .map_err(db)?;
            let mut delete_task = tx
                .prepare_cached("DELETE FROM tasks WHERE rowid = ?1")
                .map_err(db)?;
            let mut insert_log = tx
                .prepare_cached(
                    "INSERT INTO case_logs (case_id, org_id, events, log) VALUES (?1, ?2, ?3, ?4)",
                )
                .map_err(db)?;
            // Appending keeps every stored entry byte for byte: the log is append-only.
            let mut append_log = tx
                .prepare_cached(
                    "UPDATE case_logs SET log = substr(log, 1, length(log) - 1) || ?3, events = events + ?4
                     WHERE case_id = ?1 AND org_id = ?2 AND events = ?5",
                )
                .map_err(db)?;
            let mut insert_task = tx
                .prepare_cached(
                    "INSERT INTO tasks (case_id, org_id, code, actor, rule, window_start, due)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                )
                .map_err(db)?;
            let mut ids: Vec<(&CaseKey, i64)> = Vec::new();
            let mut buf = String::with_capacity(4096);
            for c in cases {
                let s = &c.summary;
                let start = s.incapacity_start.to_string();
                let ended = s.ended.map(|d| d.to_string());
                let id = match c.existing_id {
                    None => {
                        insert_case
                            .execute(params![
                                org_id,
                                c.key.token(),
                                s.person_id,
                                start,
                                ended,
                                s.scheme,
                                s.region,
                                s.language,
                                s.condition,
                                s.category,
                                s.facts,
                                s.assignee,
                                s.quick_scan_returned.map(|d| d.to_string())
                            ])
                            .map_err(db)?;
                        tx.last_insert_rowid()
                    }
                    Some(id) => {
                        let n = update_case
                            .execute(params![
                                id,
                                org_id,
                                start,
                                ended,
                                s.scheme,
                                s.region,
                                s.language,
                                s.condition,
                                s.category,
                                s.facts,
                                s.quick_scan_returned.map(|d| d.to_string())
                            ])
                            .map_err(db)?;
                        if n != 1 {
                            return Err(StorageError::Invalid(format!(
                                "case {} does not exist in {org}",
                                c.key
                            )));
                        }
                        update_person
                            .execute(params![id, s.person_id])
                            .map_err(db)?;
                        update_assignee
                            .execute(params![id, s.assignee])
                            .map_err(db)?;
                        id
                    }
                };
                ids.push((&c.key, id));
                let insert = if c.existing_id.is_some() {
                    let wanted: Vec<[String; 5]> = c.tasks.iter().map(task_row).collect();
                    let stored = stored_tasks
                        .query_map([id], |r| {
                            Ok((
                                r.get::<_, i64>(0)?,
                                [r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?],
                            ))
                        })
                        .map_err(db)?
                        .collect::<rusqlite::Result<Vec<_>>>()
                        .map_err(db)?;
                    let (delete, insert) = tasks::task_changes(stored, wanted);
                    for rowid in delete {
                        delete_task.execute([rowid]).map_err(db)?;
                    }
                    insert
                } else {
                    c.tasks.iter().map(task_row).collect()
                };
                for [code, actor, rule, window_start, due] in insert {
                    insert_task
                        .execute(params![id, org_id, code, actor, rule, window_start, due])
                        .map_err(db)?;
                }
                if c.events.is_empty() {
                    continue;
                }
                buf.clear();
                let n = c.events.len() as i64;
                if c.existing_id.is_none() {
                    buf.push('[');
                    log::write_entries(&mut buf, &c.events, import_id.unwrap_or(0));
                    buf.push(']');
                    insert_log
                        .execute(params![id, org_id, n, buf])
                        .map_err(db)?;
                } else {
                    buf.push(',');
                    log::write_entries(&mut buf, &c.events, import_id.unwrap_or(0));
                    buf.push(']');
                    let changed = append_log
                        .execute(params![id, org_id, buf, n, i64::from(log::expected_len(c))])
                        .map_err(db)?;
                    if changed != 1 {
                        let stored: Option<i64> = tx
                            .prepare_cached("SELECT events FROM case_logs WHERE case_id = ?1")
                            .map_err(db)?
                            .query_row([id], |r| r.get(0))
                            .optional()
                            .map_err(db)?;
                        return Err(log::append_refused(&c.key, stored.is_some()));
                    }
                }
            }
            let mut appender = AuditAppender::new();
            for (key, a) in audit {
                let case_id = match key {
                    None => None,
                    Some(k) => Some(
                        ids.iter()
                            .find(|(x, _)| *x == k)
                            .map(|(_, id)| *id)
                            .ok_or_else(|| {
                                StorageError::Invalid(format!(
                                    "audit entry for case {k} outside the batch"
                                ))
                            })?,
                    ),
                };
                let case = match (key, case_id) {
                    (Some(k), Some(id)) => Some((id, k.token())),
                    _ => None,
                };
                appender.append(&tx, org_id, org, case, a)?;
            }
        }
        tx.commit().map_err(db)
    }

    fn read_case_audited(
        &mut self,
        org: &str,
        key: &CaseKey,
        decide: &mut dyn FnMut(&StoredCase) -> AuditEntry,
    ) -> Result<Option<StoredCase>> {
        let Some(org_id) = self.org_id(org)? else {
            return Ok(None);
        };
        // Optimistic: read and decide outside the writer gate on a WAL snapshot (one
        // statement, so the log and its length agree), then write the audit entry in a
        // transaction that re-reads the length of the append-only log. Same length,
        // same events: the transaction vouches for exactly what was decided on. A
        // dossier that grew in between is read again inside the transaction.
        let snapshot: Option<(i64, i64, Option<String>)> = self
            .conn
            .prepare_cached(
                "SELECT c.id, coalesce(l.events, 0), l.log
                 FROM cases c LEFT JOIN case_logs l ON l.case_id = c.id
                 WHERE c.org_id = ?1 AND c.key = ?2",
            )
            .map_err(db)?
            .query_row(params![org_id, key.token()], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })
            .optional()
            .map_err(db)?;
        let Some((id, seen, log)) = snapshot else {
            return Ok(None);
        };
        let mut case = StoredCase {
            id,
            org: org.to_owned(),
            key: key.clone(),
            events: log::parse_stored(id, log.as_deref())?,
        };
        let audit = decide(&case);
        let ticket = self.gate.hand_in(PendingRead {
            ticket: 0,
            org_id,
            org: org.to_owned(),
            case_id: id,
            key: key.token().to_owned(),
            seen,
            entry: audit,
        });
        let gate = self.gate.clone();
        let w = self.writer()?;
        let outcome = match gate.take_outcome(ticket) {
            Some(outcome) => outcome,
            None => {
                // Our entry is still waiting: we lead this group.
                let group = gate.take_pending();
                let outcomes = match w.commit_read_audits(&group) {
                    Ok(outcomes) => outcomes,
                    Err(e) => group
                        .iter()
                        .map(|p| (p.ticket, ReadOutcome::Failed(e.to_string())))
                        .collect(),
                };
                gate.publish(outcomes);
                gate.take_outcome(ticket).unwrap_or_else(|| {
                    ReadOutcome::Failed("audit entry lost from its group".into())
                })
            }
        };
        match outcome {
            ReadOutcome::Written => Ok(Some(case)),
            ReadOutcome::Failed(e) => Err(StorageError::Backend(e)),
            ReadOutcome::Grew => {
                // Rare: decide again on the grown log, alone, still holding the gate.
                let tx = w.begin()?;
                case.events = load_events(&tx, id)?;
                let audit = decide(&case);
                AuditAppender::new().append(&tx, org_id, org, Some((id, key.token())), &audit)?;
                tx.commit().map_err(db)?;
                Ok(Some(case))
            }
        }
    }

    fn cases_of_person(&mut self, org: &str, person_id: &str) -> Result<Vec<CaseKey>> {
        let Some(org_id) = self.org_id(org)? else {
            return Ok(Vec::new());
        };
        let mut stmt = self
            .conn
            .prepare_cached("SELECT key FROM cases WHERE org_id = ?1 AND person_id = ?2 ORDER BY incapacity_start DESC, id DESC")
            .map_err(db)?;
        let rows = stmt
            .query_map(params![org_id, person_id], |r| r.get::<_, String>(0))
            .map_err(db)?;
        rows.map(|r| r.map(CaseKey::from_token).map_err(db))
            .collect()
    }
}

impl ImportLog for SqliteStore {
    fn begin_import(&mut self, org: &str, record: &ImportRecord) -> Result<i64> {
        let mut w = self.writer()?;
        let org_id = w.org_id_created(org)?;
        w.conn()
            .execute(
                "INSERT INTO imports (org_id, source, strict) VALUES (?1, ?2, ?3)",
                params![org_id, record.source, record.strict],
            )
            .map_err(db)?;
        Ok(w.conn().last_insert_rowid())
    }

    fn finish_import(&mut self, import_id: i64, r: &ImportRecord) -> Result<()> {
        let w = self.writer()?;
        w.conn()
            .execute(
                "UPDATE imports SET finished_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now'),
                        lines = ?2, imported = ?3, duplicates = ?4, rejected = ?5
                 WHERE id = ?1",
                params![
                    import_id,
                    r.lines as i64,
                    r.imported as i64,
                    r.duplicates as i64,
                    r.rejected as i64
                ],
            )
            .map_err(db)?;
        Ok(())
    }
}

impl WorkQueries for SqliteStore {
    fn worklist(&mut self, org: &str, q: &WorklistQuery) -> Result<Vec<WorkItem>> {
        let Some(org_id) = self.org_id(org)? else {
            return Ok(Vec::new());
        };
        // One query per actor walks the (org, actor, due) index in order and stops at
        // the limit; the few lists are merged here.
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT c.key, t.code, t.actor, t.rule, t.window_start, t.due, c.region, c.category,
                        c.quick_scan_returned
                 FROM tasks t JOIN cases c ON c.id = t.case_id
                 WHERE t.org_id = ?1 AND t.actor = ?2
                   AND (?3 IS NULL OR t.window_start <= ?3)
                   AND (?4 IS NULL OR t.due <= ?4)
                   AND (?5 IS NULL OR t.code = ?5)
                   AND (?6 IS NULL OR c.region = ?6)
                   AND (?7 IS NULL OR c.category = ?7)
                   AND (?9 IS NULL OR c.assignee = ?9)
                   AND (?10 = 0 OR c.quick_scan_returned IS NOT NULL)
                 ORDER BY t.due
                 LIMIT ?8",
            )
            .map_err(db)?;
        let mut out = Vec::new();
        for actor in &q.actors {
            let rows = stmt
                .query_map(
                    params![
                        org_id,
                        actor,
                        q.as_of.map(|d| d.to_string()),
                        q.due_by.map(|d| d.to_string()),
                        q.task,
                        q.region,
                        q.category,
                        q.limit,
                        q.assignee,
                        q.quick_scan_returned
                    ],
                    |r| {
                        Ok((
                            r.get::<_, String>(0)?,
                            r.get::<_, String>(1)?,
                            r.get::<_, String>(2)?,
                            r.get::<_, String>(3)?,
                            r.get::<_, String>(4)?,
                            r.get::<_, String>(5)?,
                            r.get::<_, String>(6)?,
                            r.get::<_, Option<u8>>(7)?,
                            r.get::<_, Option<String>>(8)?,
                        ))
                    },
                )
                .map_err(db)?;
            for r in rows {
                let (key, code, actor, rule, window, due, region, category, returned) =
                    r.map_err(db)?;
                out.push(WorkItem {
                    case: CaseKey::from_token(key),
                    task: OpenTask {
                        code,
                        actor,
                        rule,
                        window_start: parse_date(&window).map_err(|_| corrupt("task window"))?,
                        due: parse_date(&due).map_err(|_| corrupt("task due"))?,
                    },
                    region,
                    category,
                    quick_scan_returned: returned
                        .map(|d| parse_date(&d))
                        .transpose()
                        .map_err(|_| corrupt("quick scan date"))?,
                });
            }
        }
        out.sort_by(|a, b| (a.task.due, &a.case).cmp(&(b.task.due, &b.case)));
        out.truncate(q.limit as usize);
        Ok(out)
    }

    fn caseload(&mut self, org: &str, actors: &[&str], today: Date) -> Result<Vec<CaseloadRow>> {
        let Some(org_id) = self.org_id(org)? else {
            return Ok(Vec::new());
        };
        let actors = actors_json(actors);
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT c.assignee, COUNT(*),
                        COALESCE(SUM(t.open), 0), COALESCE(SUM(t.overdue), 0)
                 FROM cases c
                 LEFT JOIN (SELECT case_id, COUNT(*) AS open, SUM(due < ?3) AS overdue
                            FROM tasks
                            WHERE org_id = ?1 AND actor IN (SELECT value FROM json_each(?2))
                            GROUP BY case_id) t ON t.case_id = c.id
                 WHERE c.org_id = ?1 AND c.ended IS NULL
                 GROUP BY c.assignee
                 ORDER BY c.assignee",
            )
            .map_err(db)?;
        let rows = stmt
            .query_map(params![org_id, actors, today.to_string()], |r| {
                Ok(CaseloadRow {
                    assignee: r.get(0)?,
                    dossiers: r.get::<_, i64>(1)? as u64,
                    open_tasks: r.get::<_, i64>(2)? as u64,
                    overdue_tasks: r.get::<_, i64>(3)? as u64,
                })
            })
            .map_err(db)?;
        rows.map(|r| r.map_err(db)).collect()
    }

    fn assigned_cases(
        &mut self,
        org: &str,
        assignee: &str,
        actors: &[&str],
        limit: u32,
    ) -> Result<Vec<CaseloadCase>> {
        let Some(org_id) = self.org_id(org)? else {
            return Ok(Vec::new());
        };
        let actors = actors_json(actors);
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT c.key, c.incapacity_start, c.region, c.category,
                        (SELECT t.code || ' ' || t.due FROM tasks t
                         WHERE t.case_id = c.id AND t.actor IN (SELECT value FROM json_each(?3))
                         ORDER BY t.due LIMIT 1)
                 FROM cases c
                 WHERE c.org_id = ?1 AND c.assignee = ?2 AND c.ended IS NULL
                 ORDER BY c.incapacity_start, c.id
                 LIMIT ?4",
            )
            .map_err(db)?;
        let rows = stmt
            .query_map(params![org_id, assignee, actors, limit], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, Option<u8>>(3)?,
                    r.get::<_, Option<String>>(4)?,
                ))
            })
            .map_err(db)?;
        let mut out = Vec::new();
        for r in rows {
            let (key, start, region, category, next) = r.map_err(db)?;
            let next_task = match next {
                None => None,
                Some(n) => {
                    let (code, due) = n.rsplit_once(' ').ok_or_else(|| corrupt("task"))?;
                    let due = parse_date(due).map_err(|_| corrupt("task due"))?;
                    Some((code.to_owned(), due))
                }
            };
            out.push(CaseloadCase {
                case: CaseKey::from_token(key),
                incapacity_start: parse_date(&start).map_err(|_| corrupt("incapacity start"))?,
                region,
                category,
                next_task,
            });
        }
        Ok(out)
    }
}

impl Scans for SqliteStore {
    fn scan_facts(
        &mut self,
        org: Option<&str>,
        chunk: usize,
        f: &mut dyn FnMut(Vec<FactsRow>) -> Result<()>,
    ) -> Result<()> {
        let chunk = chunk.max(1);
        // One read transaction: a consistent snapshot even while imports run.
        let tx = self.conn.transaction().map_err(db)?;
        {
            let mut stmt = tx
                .prepare_cached(
                    "SELECT c.id, c.key, c.facts FROM cases c
                     WHERE ?1 IS NULL OR c.org_id = (SELECT id FROM orgs WHERE code = ?1)
                     ORDER BY c.id",
                )
                .map_err(db)?;
            let mut rows = stmt.query(params![org]).map_err(db)?;
            let mut buf = Vec::with_capacity(chunk);
            while let Some(r) = rows.next().map_err(db)? {
                buf.push(FactsRow {
                    id: r.get(0).map_err(db)?,
                    key: CaseKey::from_token(r.get(1).map_err(db)?),
                    facts: r.get(2).map_err(db)?,
                });
                if buf.len() == chunk {
                    f(std::mem::replace(&mut buf, Vec::with_capacity(chunk)))?;
                }
            }
            if !buf.is_empty() {
                f(buf)?;
            }
        }
        tx.commit().map_err(db)
    }

    fn scan_figures(
        &mut self,
        org: Option<&str>,
        chunk: usize,
        f: &mut dyn FnMut(Vec<FigureRow>) -> Result<()>,
    ) -> Result<()> {
        let chunk = chunk.max(1);
        let tx = self.conn.transaction().map_err(db)?;
        {
            let mut stmt = tx
                .prepare_cached(
                    "SELECT c.org_id, c.person_id, c.region, c.condition, c.facts FROM cases c
                     WHERE ?1 IS NULL OR c.org_id = (SELECT id FROM orgs WHERE code = ?1)
                     ORDER BY c.id",
                )
                .map_err(db)?;
            let mut rows = stmt.query(params![org]).map_err(db)?;
            let mut buf = Vec::with_capacity(chunk);
            while let Some(r) = rows.next().map_err(db)? {
                buf.push(FigureRow {
                    fund: r.get(0).map_err(db)?,
                    person_id: r.get(1).map_err(db)?,
                    region: r.get(2).map_err(db)?,
                    condition: r.get(3).map_err(db)?,
                    facts: r.get(4).map_err(db)?,
                });
                if buf.len() == chunk {
                    f(std::mem::replace(&mut buf, Vec::with_capacity(chunk)))?;
                }
            }
            if !buf.is_empty() {
                f(buf)?;
            }
        }
        tx.commit().map_err(db)
    }
}

impl AccountStore for SqliteStore {
    fn create_user(&mut self, org: &str, u: &User) -> Result<i64> {
        let mut w = self.writer()?;
        let org_id = w.org_id_created(org)?;
        w.conn()
            .execute(
                "INSERT INTO users (org_id, username, display_name, role, password_hash, language, person_id, employer_id, active, email)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                params![org_id, u.username, u.display_name, u.role, u.password_hash, u.language, u.person_id, u.employer_id, u.active, u.email],
            )
            .map_err(|e| match e {
                rusqlite::Error::SqliteFailure(f, _) if f.code == rusqlite::ErrorCode::ConstraintViolation => {
                    StorageError::Invalid(format!("a user named {} already exists", u.username))
                }
                e => db(e),
            })?;
        Ok(w.conn().last_insert_rowid())
    }

    fn user_by_name(&mut self, username: &str) -> Result<Option<User>> {
        self.conn
            .prepare_cached(&format!("{USER_SELECT} WHERE u.username = ?1"))
            .map_err(db)?
            .query_row([username], user_row)
            .optional()
            .map_err(db)
    }

    fn users(&mut self, org: &str) -> Result<Vec<User>> {
        let mut stmt = self
            .conn
            .prepare_cached(&format!(
                "{USER_SELECT} WHERE o.code = ?1 ORDER BY u.username"
            ))
            .map_err(db)?;
        let rows = stmt.query_map([org], user_row).map_err(db)?;
        rows.map(|r| r.map_err(db)).collect()
    }

    fn update_user(&mut self, org: &str, u: &User) -> Result<bool> {
        let mut w = self.writer()?;
        let Some(org_id) = w.org_id(org, false)? else {
            return Ok(false);
        };
        let n = w
            .conn()
            .prepare_cached(
                "UPDATE users SET display_name = ?3, role = ?4, language = ?5, person_id = ?6,
                        employer_id = ?7, active = ?8, email = ?9
                 WHERE org_id = ?1 AND username = ?2",
            )
            .map_err(db)?
            .execute(params![
                org_id,
                u.username,
                u.display_name,
                u.role,
                u.language,
                u.person_id,
                u.employer_id,
                u.active,
                u.email
            ])
            .map_err(db)?;
        if n == 1 && !u.active {
            // A deactivated user's sessions end at once.
            w.conn()
                .prepare_cached(
                    "DELETE FROM sessions WHERE user_id = (SELECT id FROM users WHERE username = ?1)",
                )
                .map_err(db)?
                .execute([&u.username])
                .map_err(db)?;
        }
        Ok(n == 1)
    }
}

impl SessionStore for SqliteStore {
    fn create_session(
        &mut self,
        token_hash: &[u8],
        user_id: i64,
        csrf: &str,
        now: i64,
        expires_at: i64,
    ) -> Result<()> {
        let w = self.writer()?;
        w.conn()
            .execute(
                "INSERT INTO sessions (token_hash, user_id, csrf, created_at, last_seen, expires_at)
                 VALUES (?1, ?2, ?3, ?4, ?4, ?5)",
                params![token_hash, user_id, csrf, now, expires_at],
            )
            .map_err(db)?;
        Ok(())
    }

    fn touch_session(&mut self, token_hash: &[u8], now: i64) -> Result<Option<Session>> {
        let row = self
            .conn
            .prepare_cached(&format!(
                "SELECT s.csrf, s.created_at, s.last_seen, s.expires_at, {USER_COLUMNS}
                 FROM sessions s JOIN users u ON u.id = s.user_id JOIN orgs o ON o.id = u.org_id
                 WHERE s.token_hash = ?1"
            ))
            .map_err(db)?
            .query_row([token_hash], |r| {
                Ok(Session {
                    csrf: r.get(0)?,
                    created_at: r.get(1)?,
                    last_seen: r.get(2)?,
                    expires_at: r.get(3)?,
                    user: user_row_at(r, 4)?,
                })
            })
            .optional()
            .map_err(db)?;
        // Idle expiry is counted in minutes: refreshing last_seen once a minute spares a
        // write on almost every request.
        if row.as_ref().is_some_and(|s| now - s.last_seen >= 60) {
            let w = self.writer()?;
            w.conn()
                .prepare_cached("UPDATE sessions SET last_seen = ?2 WHERE token_hash = ?1")
                .map_err(db)?
                .execute(params![token_hash, now])
                .map_err(db)?;
        }
        Ok(row)
    }

    fn delete_session(&mut self, token_hash: &[u8]) -> Result<()> {
        let w = self.writer()?;
        w.conn()
            .execute("DELETE FROM sessions WHERE token_hash = ?1", [token_hash])
            .map_err(db)?;
        Ok(())
    }

    fn record_login_failure(&mut self, username: &str, now: i64) -> Result<()> {
        let w = self.writer()?;
        w.conn()
            .execute(
                "INSERT INTO login_failures (username, at) VALUES (?1, ?2)",
                params![username, now],
            )
            .map_err(db)?;
        Ok(())
    }

    fn login_failures_since(&mut self, username: &str, since: i64) -> Result<u32> {
        self.conn
            .query_row(
                "SELECT count(*) FROM login_failures WHERE username = ?1 AND at >= ?2",
                params![username, since],
                |r| r.get(0),
            )
            .map_err(db)
    }
}

impl AuditStore for SqliteStore {
    fn append(&mut self, org: &str, entries: &[AuditEntry]) -> Result<()> {
        let audit: Vec<(Option<CaseKey>, AuditEntry)> =
            entries.iter().map(|e| (None, e.clone())).collect();
        self.write_cases(org, None, &[], &audit)
    }

    fn audit_log(
        &mut self,
        org: &str,
        case: Option<&CaseKey>,
        limit: u32,
    ) -> Result<Vec<AuditRecord>> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT a.id, a.at, c.key, a.username, a.role, a.action, a.what, a.purpose
                 FROM audit a JOIN orgs o ON o.id = a.org_id LEFT JOIN cases c ON c.id = a.case_id
                 WHERE o.code = ?1 AND (?2 IS NULL OR a.case_id = (SELECT id FROM cases WHERE org_id = o.id AND key = ?2))
                 ORDER BY a.id DESC LIMIT ?3",
            )
            .map_err(db)?;
        let rows = stmt
            .query_map(params![org, case.map(|k| k.token()), limit], |r| {
                Ok(AuditRecord {
                    id: r.get(0)?,
                    at: r.get(1)?,
                    case: r.get::<_, Option<String>>(2)?.map(CaseKey::from_token),
                    entry: AuditEntry {
                        username: r.get(3)?,
                        role: r.get(4)?,
                        action: r.get(5)?,
                        what: r.get(6)?,
                        purpose: r.get(7)?,
                    },
                })
            })
            .map_err(db)?;
        rows.map(|r| r.map_err(db)).collect()
    }

    fn audit_chain(&mut self, after_id: i64, limit: u32) -> Result<Vec<ChainedAudit>> {
        // One read transaction: a consistent chunk even while writers append.
        let tx = self.conn.transaction().map_err(db)?;
        let rows = chain_rows(&tx, after_id, i64::from(limit))?;
        tx.commit().map_err(db)?;
        Ok(rows)
    }
}

impl Outbox for SqliteStore {
    fn enqueue(&mut self, org: &str, messages: &[NewMessage], now: i64) -> Result<u64> {
        let mut w = self.writer()?;
        let org_id = w.org_id_created(org)?;
        let tx = w.begin()?;
        let mut added = 0;
        {
            let mut insert = tx
                .prepare_cached(
                    "INSERT INTO outbox (org_id, dedup_key, recipient, subject, body, created_at, next_attempt_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)
                     ON CONFLICT (dedup_key) DO NOTHING",
                )
                .map_err(db)?;
            for m in messages {
                added += insert
                    .execute(params![
                        org_id,
                        m.dedup_key,
                        m.recipient,
                        m.subject,
                        m.body,
                        now
                    ])
                    .map_err(db)? as u64;
            }
        }
        tx.commit().map_err(db)?;
        Ok(added)
    }

    fn claim_messages(&mut self, now: i64, lease: i64, limit: u32) -> Result<Vec<Message>> {
        let w = self.writer()?;
        // One statement: claiming is atomic, so two senders never get the same message.
        let mut stmt = w
            .conn()
            .prepare_cached(
                "UPDATE outbox SET claimed_until = ?1 + ?2
                 WHERE id IN (SELECT id FROM outbox
                              WHERE sent_at IS NULL AND next_attempt_at <= ?1
                                AND (claimed_until IS NULL OR claimed_until <= ?1)
                              ORDER BY next_attempt_at, id LIMIT ?3)
                 RETURNING id, dedup_key, recipient, subject, body, attempts",
            )
            .map_err(db)?;
        let rows = stmt
            .query_map(params![now, lease, limit], |r| {
                Ok(Message {
                    id: r.get(0)?,
                    dedup_key: r.get(1)?,
                    recipient: r.get(2)?,
                    subject: r.get(3)?,
                    body: r.get(4)?,
                    attempts: r.get(5)?,
                })
            })
            .map_err(db)?;
        let mut out: Vec<Message> = rows.map(|r| r.map_err(db)).collect::<Result<_>>()?;
        out.sort_by_key(|m| m.id);
        Ok(out)
    }

    fn mark_sent(&mut self, id: i64, now: i64) -> Result<()> {
        let w = self.writer()?;
        w.conn()
            .prepare_cached(
                "UPDATE outbox SET sent_at = ?2, claimed_until = NULL, attempts = attempts + 1 WHERE id = ?1",
            )
            .map_err(db)?
            .execute(params![id, now])
            .map_err(db)?;
        Ok(())
    }

    fn mark_failed(&mut self, id: i64, error: &str, retry_at: i64) -> Result<()> {
        let w = self.writer()?;
        w.conn()
            .prepare_cached(
                "UPDATE outbox SET attempts = attempts + 1, last_error = ?2, next_attempt_at = ?3,
                        claimed_until = NULL
                 WHERE id = ?1 AND sent_at IS NULL",
            )
            .map_err(db)?
            .execute(params![id, error, retry_at])
            .map_err(db)?;
        Ok(())
    }

    fn outbox_counts(&mut self, org: Option<&str>) -> Result<OutboxCounts> {
        self.conn
            .prepare_cached(
                "SELECT COALESCE(SUM(sent_at IS NULL), 0), COALESCE(SUM(sent_at IS NOT NULL), 0),
                        COALESCE(SUM(sent_at IS NULL AND attempts > 0), 0)
                 FROM outbox
                 WHERE ?1 IS NULL OR org_id = (SELECT id FROM orgs WHERE code = ?1)",
            )
            .map_err(db)?
            .query_row(params![org], |r| {
                Ok(OutboxCounts {
                    pending: r.get::<_, i64>(0)? as u64,
                    sent: r.get::<_, i64>(1)? as u64,
                    failing: r.get::<_, i64>(2)? as u64,
                })
            })
            .map_err(db)
    }
}

impl DraftStore for SqliteStore {
    fn save_draft(
        &mut self,
        org: &str,
        case: &CaseKey,
        instrument: &str,
        answers: &str,
        now: i64,
    ) -> Result<()> {
        let mut w = self.writer()?;
        let org_id = w
            .org_id(org, false)?
            .ok_or_else(|| StorageError::Invalid(format!("no fund {org}")))?;
        w.conn()
            .prepare_cached(
                "INSERT INTO drafts (org_id, case_key, instrument, answers, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT (org_id, case_key, instrument)
                 DO UPDATE SET answers = excluded.answers, updated_at = excluded.updated_at",
            )
            .map_err(db)?
            .execute(params![org_id, case.token(), instrument, answers, now])
            .map_err(db)?;
        Ok(())
    }

    fn load_draft(
        &mut self,
        org: &str,
        case: &CaseKey,
        instrument: &str,
    ) -> Result<Option<String>> {
        let Some(org_id) = self.org_id(org)? else {
            return Ok(None);
        };
        self.conn
            .prepare_cached(
                "SELECT answers FROM drafts WHERE org_id = ?1 AND case_key = ?2 AND instrument = ?3",
            )
            .map_err(db)?
            .query_row(params![org_id, case.token(), instrument], |r| r.get(0))
            .optional()
            .map_err(db)
    }

    fn delete_draft(&mut self, org: &str, case: &CaseKey, instrument: &str) -> Result<()> {
        let mut w = self.writer()?;
        let Some(org_id) = w.org_id(org, false)? else {
            return Ok(());
        };
        w.conn()
            .prepare_cached(
                "DELETE FROM drafts WHERE org_id = ?1 AND case_key = ?2 AND instrument = ?3",
            )
            .map_err(db)?
            .execute(params![org_id, case.token(), instrument])
            .map_err(db)?;
        Ok(())
    }
}

impl SurveyStore for SqliteStore {
    fn import_survey(
        &mut self,
        org: &str,
        instrument: &str,
        responses: &[SurveyResponse],
    ) -> Result<SurveyImportCounts> {
        let mut w = self.writer()?;
        let org_id = w.org_id_created(org)?;
        let tx = w.begin()?;
        let mut counts = SurveyImportCounts::default();
        {
            let mut stored = tx
                .prepare_cached(
                    "SELECT answers FROM survey_responses
                     WHERE org_id = ?1 AND instrument = ?2 AND respondent = ?3",
                )
                .map_err(db)?;
            let mut upsert = tx
                .prepare_cached(
                    "INSERT INTO survey_responses (org_id, instrument, respondent, answers)
                     VALUES (?1, ?2, ?3, ?4)
                     ON CONFLICT (org_id, instrument, respondent) DO UPDATE
                     SET answers = excluded.answers, imported_at = excluded.imported_at",
                )
                .map_err(db)?;
            for r in responses {
                let before: Option<String> = stored
                    .query_row(params![org_id, instrument, r.respondent], |row| row.get(0))
                    .optional()
                    .map_err(db)?;
                match before {
                    Some(a) if a == r.answers => {
                        counts.unchanged += 1;
                        continue;
                    }
                    Some(_) => counts.updated += 1,
                    None => counts.new += 1,
                }
                upsert
                    .execute(params![org_id, instrument, r.respondent, r.answers])
                    .map_err(db)?;
            }
        }
        tx.commit().map_err(db)?;
        Ok(counts)
    }

    fn survey_responses(&mut self, org: &str, instrument: &str) -> Result<Vec<SurveyResponse>> {
        let Some(org_id) = self.org_id(org)? else {
            return Ok(Vec::new());
        };
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT respondent, answers FROM survey_responses
                 WHERE org_id = ?1 AND instrument = ?2 ORDER BY respondent",
            )
            .map_err(db)?;
        let rows = stmt
            .query_map(params![org_id, instrument], |r| {
                Ok(SurveyResponse {
                    respondent: r.get(0)?,
                    answers: r.get(1)?,
                })
            })
            .map_err(db)?;
        rows.map(|r| r.map_err(db)).collect()
    }
}

impl FundStore for SqliteStore {
    fn orgs(&mut self) -> Result<Vec<String>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT code FROM orgs ORDER BY code")
            .map_err(db)?;
        let rows = stmt.query_map([], |r| r.get(0)).map_err(db)?;
        rows.map(|r| r.map_err(db)).collect()
    }

    fn counts(&mut self, org: Option<&str>) -> Result<Counts> {
        let q = |sql: &str| -> Result<u64> {
            self.conn
                .query_row(sql, params![org], |r| r.get::<_, i64>(0))
                .map(|n| n as u64)
                .map_err(db)
        };
        Ok(Counts {
            cases: q("SELECT count(*) FROM cases WHERE ?1 IS NULL OR org_id = (SELECT id FROM orgs WHERE code = ?1)")?,
            events: q("SELECT coalesce(sum(events), 0) FROM case_logs WHERE ?1 IS NULL OR org_id = (SELECT id FROM orgs WHERE code = ?1)")?,
            imports: q("SELECT count(*) FROM imports WHERE ?1 IS NULL OR org_id = (SELECT id FROM orgs WHERE code = ?1)")?,
        })
    }
}

/// One file, no replicas: the default positions (none).
impl Replication for SqliteStore {}
