//! The writer gate: the connections of one process take turns writing through it, and
//! the audit entries of dossier reads are committed there in groups.

use crate::audit::AuditAppender;
use crate::connection::writer_connection;
use crate::funds::org_id_in;
use crate::{db, lock_ignoring_poison, SqliteStore};
use rusqlite::Connection;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};
use tnw_storage::{AuditEntry, Result, StorageError};

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
    pub(crate) writer: Mutex<WriterSlot>,
    reads: Mutex<ReadAudits>,
}

/// The connection the writes of a shared gate go through. One connection for all
/// writes keeps its page cache: SQLite drops a connection's cache whenever another
/// connection changed the file, so with writes spread over the pool every write began
/// by reading the b-trees' upper pages again (measured: a sixth of the server's CPU under
/// writes went to reading pages).
#[derive(Default)]
pub(crate) struct WriterSlot {
    /// Whether writes use a connection of their own (shared gates) or the store's.
    dedicated: bool,
    pub(crate) conn: Option<Connection>,
}

/// The writer gate held, and the connection to write through.
pub(crate) struct Writer<'a> {
    slot: MutexGuard<'a, WriterSlot>,
    own: &'a Connection,
    orgs: &'a mut HashMap<String, i64>,
}

impl Writer<'_> {
    pub(crate) fn conn(&self) -> &Connection {
        self.slot.conn.as_ref().unwrap_or(self.own)
    }

    /// A transaction that takes SQLite's write lock at once (so a read-then-write
    /// transaction cannot fail half-way on a concurrent writer).
    pub(crate) fn begin(&self) -> Result<rusqlite::Transaction<'_>> {
        rusqlite::Transaction::new_unchecked(self.conn(), rusqlite::TransactionBehavior::Immediate)
            .map_err(db)
    }

    /// The id of fund `code`, created on first use when `create`.
    pub(crate) fn org_id(&mut self, code: &str, create: bool) -> Result<Option<i64>> {
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

    pub(crate) fn org_id_created(&mut self, org: &str) -> Result<i64> {
        self.org_id(org, true)?
            .ok_or_else(|| StorageError::Backend(format!("fund {org} could not be created")))
    }
}

#[derive(Default)]
struct ReadAudits {
    next_ticket: u64,
    pending: Vec<PendingRead>,
    outcomes: HashMap<u64, ReadOutcome>,
}

/// A read's audit entry waiting for the next group commit. `seen` is the length of the
/// dossier's log the reader decided on.
pub(crate) struct PendingRead {
    /// Set when handed in ([`WriterGate::hand_in`]).
    pub(crate) ticket: u64,
    pub(crate) org_id: i64,
    pub(crate) org: String,
    pub(crate) case_id: i64,
    pub(crate) key: String,
    pub(crate) seen: i64,
    pub(crate) entry: AuditEntry,
}

pub(crate) enum ReadOutcome {
    Written,
    /// The dossier grew after the reader decided: nothing written, the reader decides
    /// again on the new log.
    Grew,
    Failed(String),
}

impl WriterGate {
    /// Queues a read's audit entry for the next group commit; the ticket names its
    /// outcome.
    pub(crate) fn hand_in(&self, mut read: PendingRead) -> u64 {
        let mut reads = lock_ignoring_poison(&self.reads);
        let ticket = reads.next_ticket;
        reads.next_ticket += 1;
        read.ticket = ticket;
        reads.pending.push(read);
        ticket
    }

    /// The outcome of the entry handed in as `ticket`, with the gate held (`w`): a
    /// group committed before may have written it; if not, this reader commits every
    /// entry waiting.
    pub(crate) fn outcome(&self, w: &Writer<'_>, ticket: u64) -> ReadOutcome {
        if let Some(outcome) = self.take_outcome(ticket) {
            return outcome;
        }
        // Our entry is still waiting: we lead this group.
        let group = self.take_pending();
        let outcomes = match w.commit_read_audits(&group) {
            Ok(outcomes) => outcomes,
            Err(e) => group
                .iter()
                .map(|p| (p.ticket, ReadOutcome::Failed(e.to_string())))
                .collect(),
        };
        self.publish(outcomes);
        self.take_outcome(ticket)
            .unwrap_or_else(|| ReadOutcome::Failed("audit entry lost from its group".into()))
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

impl SqliteStore {
    /// A new gate for [`SqliteStore::open_shared`]. Its writes go through a connection
    /// of their own, opened on the first write with the settings of the store that
    /// makes it.
    pub fn new_gate() -> Arc<WriterGate> {
        let gate = WriterGate::default();
        lock_ignoring_poison(&gate.writer).dedicated = true;
        Arc::new(gate)
    }

    /// Takes the writer gate; the connection to write through comes with it.
    pub(crate) fn writer(&mut self) -> Result<Writer<'_>> {
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
}
