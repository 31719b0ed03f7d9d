//! Loading dossiers, and the audited read of one.

use crate::audit::audit_fields;
use crate::connection::db;
use crate::rows::{corrupt, Col};
use crate::PgStore;
use tnw_domain::CaseKey;
use tnw_storage::chain;
use tnw_storage::log;
use tnw_storage::{AuditEntry, Result, StorageError, StoredCase};

/// How many times an audited read decides again on a dossier that changed under it.
const READ_ROUNDS: usize = 100;

impl PgStore {
    /// The API's case: a statement without arrays, whose plan the server caches (the
    /// array form is planned again on every call, joins and all: measured, planning
    /// took a quarter of the server's CPU under API writes).
    pub(super) fn load_one(
        &mut self,
        org: &str,
        org_id: i64,
        key: &CaseKey,
    ) -> Result<Option<StoredCase>> {
        let row = self.query_opt(
            "SELECT c.id, l.log FROM cases c LEFT JOIN case_logs l ON l.case_id = c.id
                 WHERE c.org_id = $1 AND c.key = $2",
            &[&org_id, &key.token()],
        )?;
        row.map(|r| {
            let id: i64 = r.col(0)?;
            let log: Option<String> = r.col(1)?;
            Ok(StoredCase {
                id,
                org: org.to_owned(),
                key: key.clone(),
                events: log::parse_stored(id, log.as_deref())?,
            })
        })
        .transpose()
    }

    /// Several cases in one statement: one snapshot for all the cases asked for.
    pub(super) fn load_many(
        &mut self,
        org: &str,
        org_id: i64,
        keys: &[CaseKey],
    ) -> Result<Vec<Option<StoredCase>>> {
        let tokens: Vec<&str> = keys.iter().map(|k| k.token()).collect();
        let rows = self.query(
            "SELECT k.ord, c.id, l.log
             FROM unnest($2::text[]) WITH ORDINALITY AS k(key, ord)
             JOIN cases c ON c.org_id = $1 AND c.key = k.key
             LEFT JOIN case_logs l ON l.case_id = c.id",
            &[&org_id, &tokens],
        )?;
        let mut out = vec![None; keys.len()];
        for r in rows {
            let ord: i64 = r.col(0)?;
            let id: i64 = r.col(1)?;
            let log: Option<String> = r.col(2)?;
            let at = usize::try_from(ord - 1).map_err(|_| corrupt("key position"))?;
            let key = keys.get(at).ok_or_else(|| corrupt("key position"))?;
            out[at] = Some(StoredCase {
                id,
                org: org.to_owned(),
                key: key.clone(),
                events: log::parse_stored(id, log.as_deref())?,
            });
        }
        Ok(out)
    }

    pub(super) fn read_audited(
        &mut self,
        org: &str,
        org_id: i64,
        key: &CaseKey,
        decide: &mut dyn FnMut(&StoredCase) -> AuditEntry,
    ) -> Result<Option<StoredCase>> {
        // Optimistic, as in the SQLite store: read and decide outside any transaction
        // (one statement, so the log and its length agree), then write the audit entry
        // in a transaction that share-locks the case row (writers of the case update it
        // first, so none can append until we commit) and re-reads the log's length. Same
        // length, same events; a dossier that grew in between is decided on again.
        // `decide` may take its time without holding a lock, and may even let another
        // connection write.
        let snapshot = self.query_opt(
            "SELECT c.id, coalesce(l.events, 0), l.log
             FROM cases c LEFT JOIN case_logs l ON l.case_id = c.id
             WHERE c.org_id = $1 AND c.key = $2",
            &[&org_id, &key.token()],
        )?;
        let Some(row) = snapshot else {
            return Ok(None);
        };
        let id: i64 = row.col(0)?;
        let seen: i32 = row.col(1)?;
        let log: Option<String> = row.col(2)?;
        let mut case = StoredCase {
            id,
            org: org.to_owned(),
            key: key.clone(),
            events: log::parse_stored(id, log.as_deref())?,
        };
        let mut audit = decide(&case);
        // The entry is written by the server's `tnw_read_audited` (migration 11), in one
        // round trip, if the dossier still has the events decided on; else it sends
        // the log as it is now, and we decide again. Each round needs a write to the
        // dossier in between: a bound keeps a dossier written without pause from
        // holding the read forever.
        let read_audited = self.prep(
            "SELECT events, log FROM tnw_read_audited($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )?;
        let mut seen = seen;
        for _ in 0..READ_ROUNDS {
            let at = chain::timestamp_now();
            let fields = audit_fields(org, &at, Some(key.token()), &audit);
            let changed = self
                .client
                .query_opt(
                    &read_audited,
                    &[
                        &id,
                        &seen,
                        &org_id,
                        &at,
                        &audit.username,
                        &audit.role,
                        &audit.action,
                        &audit.what,
                        &audit.purpose,
                        &fields,
                    ],
                )
                .map_err(db)?;
            let Some(now) = changed else {
                self.wait_for_disk()?;
                return Ok(Some(case));
            };
            seen = now.col(0)?;
            let log: Option<String> = now.col(1)?;
            case.events = log::parse_stored(id, log.as_deref())?;
            audit = decide(&case);
        }
        Err(StorageError::Backend(format!(
            "dossier {key} changed {READ_ROUNDS} times while it was being read; try again"
        )))
    }
}
