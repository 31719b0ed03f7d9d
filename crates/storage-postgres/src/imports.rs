//! The record of import runs.

use crate::rows::Col;
use crate::PgStore;
use tnw_storage::{ImportLog, ImportRecord, Result, StorageError};

impl ImportLog for PgStore {
    fn begin_import(&mut self, org: &str, record: &ImportRecord) -> Result<i64> {
        let org_id = self.org_id_created(org)?;
        let row = self
            .query(
                "INSERT INTO imports (org_id, source, strict) VALUES ($1, $2, $3) RETURNING id",
                &[&org_id, &record.source, &record.strict],
            )?
            .into_iter()
            .next()
            .ok_or_else(|| StorageError::Backend("no import id returned".into()))?;
        row.col(0)
    }

    fn finish_import(&mut self, import_id: i64, r: &ImportRecord) -> Result<()> {
        let n = |v: u64| i64::try_from(v).unwrap_or(i64::MAX);
        self.execute(
            "UPDATE imports SET finished_at = now(), lines = $2, imported = $3, duplicates = $4,
                    rejected = $5
             WHERE id = $1",
            &[
                &import_id,
                &n(r.lines),
                &n(r.imported),
                &n(r.duplicates),
                &n(r.rejected),
            ],
        )?;
        Ok(())
    }
}
