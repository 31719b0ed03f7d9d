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

#[cfg(test)]
mod tests {
    use super::*;
    use tnw_storage::{CaseStore, CaseSummary, CaseWrite, StoredEvent};

    /// With a fund's statistics, the list walks one employer's entries of its index
    /// (`cases_employer`), not the fund's dossiers.
    #[test]
    fn the_candidates_come_from_the_employers_index() {
        let cluster = crate::testing::shared().unwrap();
        let url = cluster.fresh_database().unwrap();
        let mut store = PgStore::connect(&url).unwrap();
        let day = |s: &str| tnw_domain::date::parse_date(s).unwrap();
        let cases: Vec<CaseWrite> = (0..4000)
            .map(|i| CaseWrite {
                key: CaseKey::from_str_id(&format!("C{i}")),
                existing_id: None,
                events: vec![StoredEvent {
                    seq: 1,
                    date: day("2025-01-01"),
                    kind: tnw_domain::EventType::CaseOpened,
                    fingerprint: i,
                    body: r#"{"type":"case_opened"}"#.into(),
                }],
                summary: CaseSummary {
                    person_id: format!("P{i}"),
                    incapacity_start: day("2025-01-01"),
                    ended: None,
                    scheme: "employee".into(),
                    region: "flanders".into(),
                    language: "nl".into(),
                    condition: "mental".into(),
                    category: None,
                    assignee: None,
                    quick_scan_returned: None,
                    employer_id: Some(format!("E{}", i % 400)),
                    facts: vec![1],
                },
                tasks: Vec::new(),
            })
            .collect();
        store.write_cases("fund-p", None, &cases, &[]).unwrap();
        let org_id = store.org_id("fund-p", false).unwrap().unwrap();
        let client = &mut store.client;
        client.batch_execute("ANALYZE cases").unwrap();
        let prepare = format!("PREPARE candidates (bigint, text, date, date) AS {CANDIDATES}");
        client.batch_execute(&prepare).unwrap();
        // A utility statement takes no parameters; the fund's id is our own integer.
        let explain =
            format!("EXPLAIN EXECUTE candidates({org_id}, 'E7', '2026-03-04', '2026-03-01')");
        let plan: Vec<String> = client
            .query(&explain, &[])
            .unwrap()
            .iter()
            .map(|r| r.get(0))
            .collect();
        assert!(
            plan.iter().any(|l| l.contains("cases_employer")),
            "{plan:#?}"
        );
        assert!(
            !plan.iter().any(|l| l.contains("Seq Scan on cases")),
            "{plan:#?}"
        );
    }
}
