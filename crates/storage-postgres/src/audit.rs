//! The hash-chained audit log: entries appended by the server's `tnw_audit_append`
//! (migration 11), the chain read back for verification, and the chaining of entries
//! stored before the chain existed (after migration 7).

use crate::connection::db;
use crate::rows::Col;
use crate::tx::Tx;
use crate::PgStore;
use postgres::{Client, Row, Statement};
use tnw_domain::CaseKey;
use tnw_storage::chain::{self, ChainedAudit};
use tnw_storage::{AuditEntry, AuditRecord, AuditStore, Result};

/// The audit entries of the chain from `after_id` on, as stored (`at` in the SQLite
/// store's text form, which is what is hashed).
const CHAIN_ROWS: &str = "SELECT a.id, o.code,
        to_char(a.at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"'),
        c.key, a.username, a.role, a.action, a.what, a.purpose, a.hash
     FROM audit a JOIN orgs o ON o.id = a.org_id LEFT JOIN cases c ON c.id = a.case_id
     WHERE a.id > $1 ORDER BY a.id LIMIT $2";

fn chain_row(r: &Row) -> Result<ChainedAudit> {
    Ok(ChainedAudit {
        id: r.col(0)?,
        org: r.col(1)?,
        at: r.col(2)?,
        case: r.col(3)?,
        entry: AuditEntry {
            username: r.col(4)?,
            role: r.col(5)?,
            action: r.col(6)?,
            what: r.col(7)?,
            purpose: r.col(8)?,
        },
        hash: r.col(9)?,
    })
}

/// Chains every audit entry in id order, from the genesis hash (after migration
/// [`tnw_storage::migrate::AUDIT_CHAIN`]).
pub(crate) fn chain_backfill(tx: &mut postgres::Transaction) -> Result<()> {
    const CHUNK: i64 = 10_000;
    let mut prev = chain::GENESIS;
    let mut after = 0i64;
    loop {
        let rows = tx.query(CHAIN_ROWS, &[&after, &CHUNK]).map_err(db)?;
        let n = rows.len() as i64;
        for r in &rows {
            let row = chain_row(r)?;
            prev = chain::link(&prev, &row.fields());
            tx.execute(
                "UPDATE audit SET hash = $2 WHERE id = $1",
                &[&row.id, &&prev[..]],
            )
            .map_err(db)?;
            after = row.id;
        }
        if n < CHUNK {
            return Ok(());
        }
    }
}

/// Appends audit entries within one transaction, each with one call of the server's
/// `tnw_audit_append` (migration 11), which takes the chain's lock (held until commit),
/// numbers and hashes the entry.
pub(crate) struct AuditAppender {
    pub(crate) appended: bool,
    at: String,
}

/// `SELECT tnw_audit_append(…)`: `$1` the fund, `$2` the time, `$3…$5` user, role,
/// action, `$6` the case id, `$7` what, `$8` purpose, `$9` the encoded fields.
pub(crate) const APPEND_AUDIT: &str = "SELECT tnw_audit_append($1, $2, $3, $4, $5, $6, $7, $8, $9)";

/// The fields of an entry as `chain::encode_after_id` encodes them: the part of the
/// hashed bytes the server cannot know (it adds the tag and the id it gives).
pub(crate) fn audit_fields(org: &str, at: &str, case: Option<&str>, entry: &AuditEntry) -> Vec<u8> {
    chain::encode_after_id(&chain::AuditFields {
        id: 0,
        org,
        at,
        case,
        entry,
    })
}

impl AuditAppender {
    pub(crate) fn new() -> AuditAppender {
        AuditAppender {
            appended: false,
            at: chain::timestamp_now(),
        }
    }

    pub(crate) fn append(
        &mut self,
        tx: &mut Client,
        append: &Statement,
        org_id: i64,
        org: &str,
        case: Option<(i64, &str)>,
        entry: &AuditEntry,
    ) -> Result<()> {
        let fields = audit_fields(org, &self.at, case.map(|(_, key)| key), entry);
        tx.execute(
            append,
            &[
                &org_id,
                &self.at,
                &entry.username,
                &entry.role,
                &entry.action,
                &case.map(|(id, _)| id),
                &entry.what,
                &entry.purpose,
                &fields,
            ],
        )
        .map_err(db)?;
        self.appended = true;
        Ok(())
    }
}

impl AuditStore for PgStore {
    /// One audited transaction, as a dossier write's entries: one server call per
    /// entry, then the commit that waits for the disk.
    fn append(&mut self, org: &str, entries: &[AuditEntry]) -> Result<()> {
        let org_id = self.org_id_created(org)?;
        if entries.is_empty() {
            return Ok(());
        }
        let append = self.prep(APPEND_AUDIT)?;
        let mut tx = Tx::begin(&mut self.client)?;
        let mut appender = AuditAppender::new();
        for entry in entries {
            appender.append(&mut tx, &append, org_id, org, None, entry)?;
        }
        tx.commit_chained()
    }

    fn audit_log(
        &mut self,
        org: &str,
        case: Option<&CaseKey>,
        limit: u32,
    ) -> Result<Vec<AuditRecord>> {
        // `at` in the SQLite store's text form (UTC, milliseconds).
        let rows = self.query(
            "SELECT a.id, to_char(a.at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"'),
                    c.key, a.username, a.role, a.action, a.what, a.purpose
             FROM audit a JOIN orgs o ON o.id = a.org_id LEFT JOIN cases c ON c.id = a.case_id
             WHERE o.code = $1
               AND ($2::text IS NULL
                    OR a.case_id = (SELECT id FROM cases WHERE org_id = o.id AND key = $2))
             ORDER BY a.id DESC LIMIT $3",
            &[&org, &case.map(|k| k.token()), &i64::from(limit)],
        )?;
        rows.into_iter()
            .map(|r| {
                Ok(AuditRecord {
                    id: r.col(0)?,
                    at: r.col(1)?,
                    case: r.col::<Option<String>>(2)?.map(CaseKey::from_token),
                    entry: AuditEntry {
                        username: r.col(3)?,
                        role: r.col(4)?,
                        action: r.col(5)?,
                        what: r.col(6)?,
                        purpose: r.col(7)?,
                    },
                })
            })
            .collect()
    }

    fn audit_chain(&mut self, after_id: i64, limit: u32) -> Result<Vec<ChainedAudit>> {
        // One statement: a consistent chunk even while writers append.
        let rows = self
            .client
            .query(CHAIN_ROWS, &[&after_id, &i64::from(limit)])
            .map_err(db)?;
        rows.iter().map(chain_row).collect()
    }
}
