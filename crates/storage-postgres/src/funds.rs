//! The funds of an installation and what they hold.

use crate::rows::{count, Col};
use crate::PgStore;
use tnw_storage::{Counts, FundStore, Result, StorageError};

impl FundStore for PgStore {
    fn orgs(&mut self) -> Result<Vec<String>> {
        self.query("SELECT code FROM orgs ORDER BY code COLLATE \"C\"", &[])?
            .into_iter()
            .map(|r| r.col(0))
            .collect()
    }

    fn counts(&mut self, org: Option<&str>) -> Result<Counts> {
        // One statement: the three counts agree with each other.
        let rows = self.query(
            "WITH o AS (SELECT id FROM orgs WHERE code = $1)
             SELECT (SELECT count(*) FROM cases
                     WHERE $1::text IS NULL OR org_id = (SELECT id FROM o)),
                    (SELECT coalesce(sum(events), 0)::bigint FROM case_logs
                     WHERE $1::text IS NULL OR org_id = (SELECT id FROM o)),
                    (SELECT count(*) FROM imports
                     WHERE $1::text IS NULL OR org_id = (SELECT id FROM o))",
            &[&org],
        )?;
        let r = rows
            .first()
            .ok_or_else(|| StorageError::Backend("no counts returned".into()))?;
        Ok(Counts {
            cases: count(r.col(0)?),
            events: count(r.col(1)?),
            imports: count(r.col(2)?),
        })
    }
}
