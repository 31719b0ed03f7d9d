//! The record of import runs ([`ImportLog`]).

use crate::{db, SqliteStore};
use rusqlite::params;
use tnw_storage::{ImportLog, ImportRecord, Result};

impl ImportLog for SqliteStore {
    fn begin_import(&mut self, org: &str, record: &ImportRecord) -> Result<i64> {
        let mut w = self.writer()?;
        let org_id = w.org_id_created(org)?;
        w.conn()
            .execute(
                "INSERT INTO imports (org_id, source, strict) VALUES (?1, ?2, ?3)",
                params![org_id, record.source, record.strict],
            )
            .map_err(db)?;
        Ok(w.conn().last_insert_rowid())
    }

    fn finish_import(&mut self, import_id: i64, r: &ImportRecord) -> Result<()> {
        let w = self.writer()?;
        w.conn()
            .execute(
                "UPDATE imports SET finished_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now'),
                        lines = ?2, imported = ?3, duplicates = ?4, rejected = ?5
                 WHERE id = ?1",
                params![
                    import_id,
                    r.lines as i64,
                    r.imported as i64,
                    r.duplicates as i64,
                    r.rejected as i64
                ],
            )
            .map_err(db)?;
        Ok(())
    }
}
