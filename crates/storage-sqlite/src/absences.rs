//! Employers' absence lists ([`AbsenceLists`]): one employer's dossiers from its index,
//! read and audited in one write transaction.

use crate::audit::AuditAppender;
use crate::{db, SqliteStore};
use rusqlite::params;
use tnw_domain::CaseKey;
use tnw_storage::{log, AbsenceLists, AbsenceQuery, AbsenceRow, AuditEntry, Result};

/// `?1` the fund, `?2` the employer, `?3` the latest start, `?4` the day on which the
/// incapacity had not ended. Walks the employer's index (`cases_employer`).
const CANDIDATES: &str = "SELECT c.id, c.key, c.facts, l.log
     FROM cases c JOIN case_logs l ON l.case_id = c.id
     WHERE c.org_id = ?1 AND c.employer_id = ?2 AND c.scheme = 'employee'
       AND c.incapacity_start <= ?3 AND (c.ended IS NULL OR c.ended > ?4)
     ORDER BY c.incapacity_start, c.id";

impl AbsenceLists for SqliteStore {
    fn employer_absences(
        &mut self,
        org: &str,
        q: &AbsenceQuery,
        decide: &mut dyn FnMut(&[AbsenceRow]) -> AuditEntry,
    ) -> Result<Vec<AbsenceRow>> {
        let Some(org_id) = self.org_id(org)? else {
            return Ok(Vec::new());
        };
        // The read and its audit entry in one transaction, under the writer gate: a
        // list is read once a month per employer, and walks one employer's dossiers.
        let w = self.writer()?;
        let tx = w.begin()?;
        let rows = {
            let mut stmt = tx.prepare_cached(CANDIDATES).map_err(db)?;
            let found = stmt
                .query_map(
                    params![
                        org_id,
                        q.employer_id,
                        q.started_by.to_string(),
                        q.absent_on.to_string()
                    ],
                    |r| {
                        Ok((
                            r.get::<_, i64>(0)?,
                            r.get::<_, String>(1)?,
                            r.get::<_, Vec<u8>>(2)?,
                            r.get::<_, String>(3)?,
                        ))
                    },
                )
                .map_err(db)?;
            let mut rows = Vec::new();
            for r in found {
                let (id, key, facts, log) = r.map_err(db)?;
                rows.push(AbsenceRow {
                    case: CaseKey::from_token(key),
                    facts,
                    opened: log::opening(id, &log)?,
                });
            }
            rows
        };
        let entry = decide(&rows);
        AuditAppender::new().append(&tx, org_id, org, None, &entry)?;
        tx.commit().map_err(db)?;
        Ok(rows)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The list walks one employer's entries of its index, not the fund's dossiers.
    #[test]
    fn the_candidates_come_from_the_employers_index() {
        let dir = tempfile::tempdir().unwrap();
        let store = SqliteStore::open(&dir.path().join("tnw.db")).unwrap();
        let sql = format!("EXPLAIN QUERY PLAN {CANDIDATES}");
        let plan: Vec<String> = store
            .conn
            .prepare(&sql)
            .unwrap()
            .query_map(params![1, "E1", "2026-03-04", "2026-03-01"], |r| r.get(3))
            .unwrap()
            .map(|r| r.unwrap())
            .collect();
        assert!(
            plan.iter()
                .any(|l| l.contains("USING INDEX cases_employer")),
            "{plan:?}"
        );
        assert!(!plan.iter().any(|l| l.starts_with("SCAN c")), "{plan:?}");
    }
}
