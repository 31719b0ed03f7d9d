//! Dossiers ([`CaseStore`]): loading them, the audited read, and the batch write (its
//! steps in `case_write`).

use crate::audit::AuditAppender;
use crate::case_write::{append_batch_audit, CaseBatch, WARM_CASES};
use crate::gate::{PendingRead, ReadOutcome};
use crate::{db, SqliteStore};
use rusqlite::{params, Connection, OptionalExtension};
use tnw_domain::CaseKey;
use tnw_storage::{
    log, AuditEntry, CaseStore, CaseWrite, Result, StorageError, StoredCase, StoredEvent,
};

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
            let mut batch = CaseBatch::prepare(&tx, org, org_id, import_id)?;
            let mut ids: Vec<(&CaseKey, i64)> = Vec::new();
            for c in cases {
                ids.push((&c.key, batch.write(c)?));
            }
            append_batch_audit(&tx, org_id, org, &ids, audit)?;
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
        match gate.outcome(&w, ticket) {
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
