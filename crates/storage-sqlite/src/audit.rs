//! The hash-chained audit log ([`AuditStore`]): appending entries within a write
//! transaction, the chain as stored, and chaining the entries of an upgraded database.

use crate::rows::{audit_record_row, chained_audit_row};
use crate::{db, SqliteStore};
use rusqlite::{params, Connection, OptionalExtension};
use tnw_domain::CaseKey;
use tnw_storage::{chain, AuditEntry, AuditRecord, AuditStore, ChainedAudit, Result};

/// Audit entries chained per backfill step: bounded memory on large logs.
const BACKFILL_CHUNK: i64 = 10_000;

impl AuditStore for SqliteStore {
    fn append(&mut self, org: &str, entries: &[AuditEntry]) -> Result<()> {
        let mut w = self.writer()?;
        let org_id = w.org_id_created(org)?;
        let tx = w.begin()?;
        let mut appender = AuditAppender::new();
        for entry in entries {
            appender.append(&tx, org_id, org, None, entry)?;
        }
        tx.commit().map_err(db)
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
            .query_map(
                params![org, case.map(|k| k.token()), limit],
                audit_record_row,
            )
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
        .query_map(params![after_id, limit], chained_audit_row)
        .map_err(db)?;
    rows.map(|r| r.map_err(db)).collect()
}

/// Chains every audit entry in id order, from the genesis hash.
pub(crate) fn chain_backfill(conn: &Connection) -> Result<()> {
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
pub(crate) struct AuditAppender {
    tip: Option<chain::Tip>,
    at: String,
}

impl AuditAppender {
    pub(crate) fn new() -> AuditAppender {
        AuditAppender {
            tip: None,
            at: chain::timestamp_now(),
        }
    }

    /// Appends `entry` of fund `org` (id `org_id`), about `case` (its id and key) if
    /// set.
    pub(crate) fn append(
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
