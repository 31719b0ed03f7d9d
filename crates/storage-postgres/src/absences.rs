//! Employers' absence lists ([`AbsenceLists`]): one employer's dossiers from its index,
//! read and audited in one transaction.

use crate::audit::{AuditAppender, APPEND_AUDIT};
use crate::connection::db;
use crate::rows::Col;
use crate::tx::Tx;
use crate::PgStore;
use tnw_domain::CaseKey;
use tnw_storage::{log, AbsenceLists, AbsenceQuery, AbsenceRow, AuditEntry, Result};

/// `$1` the fund, `$2` the employer, `$3` the latest start, `$4` the day on which the
/// incapacity had not ended.
const CANDIDATES: &str = "SELECT c.id, c.key, c.facts, l.log
     FROM cases c JOIN case_logs l ON l.case_id = c.id
     WHERE c.org_id = $1 AND c.employer_id = $2 AND c.scheme = 'employee'
       AND c.incapacity_start <= $3 AND (c.ended IS NULL OR c.ended > $4)
     ORDER BY c.incapacity_start, c.id";

impl AbsenceLists for PgStore {
    fn employer_absences(
        &mut self,
        org: &str,
        q: &AbsenceQuery,
        decide: &mut dyn FnMut(&[AbsenceRow]) -> AuditEntry,
    ) -> Result<Vec<AbsenceRow>> {
        let Some(org_id) = self.org_id(org, false)? else {
            return Ok(Vec::new());
        };
        let candidates = self.prep(CANDIDATES)?;
        let append = self.prep(APPEND_AUDIT)?;
        // The chain's lock is taken by the append, after the read: it is held for the
        // append and the commit only.
        let mut tx = Tx::begin(&mut self.client)?;
        let found = tx
            .query(
                &candidates,
                &[&org_id, &q.employer_id, &q.started_by, &q.absent_on],
            )
            .map_err(db)?;
        let mut rows = Vec::with_capacity(found.len());
        for r in &found {
            let id: i64 = r.col(0)?;
            let log: String = r.col(3)?;
            rows.push(AbsenceRow {
                case: CaseKey::from_token(r.col(1)?),
                facts: r.col(2)?,
                opened: log::opening(id, &log)?,
            });
        }
        let entry = decide(&rows);
        AuditAppender::new().append(&mut tx, &append, org_id, org, None, &entry)?;
        tx.commit_chained()?;
        Ok(rows)
    }
}
