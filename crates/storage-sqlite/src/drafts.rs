//! Questionnaires being filled in ([`DraftStore`]).

use crate::{db, SqliteStore};
use rusqlite::{params, OptionalExtension};
use tnw_domain::CaseKey;
use tnw_storage::{DraftStore, Result, StorageError};

impl DraftStore for SqliteStore {
    fn save_draft(
        &mut self,
        org: &str,
        case: &CaseKey,
        instrument: &str,
        answers: &str,
        now: i64,
    ) -> Result<()> {
        let mut w = self.writer()?;
        let org_id = w
            .org_id(org, false)?
            .ok_or_else(|| StorageError::Invalid(format!("no fund {org}")))?;
        w.conn()
            .prepare_cached(
                "INSERT INTO drafts (org_id, case_key, instrument, answers, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT (org_id, case_key, instrument)
                 DO UPDATE SET answers = excluded.answers, updated_at = excluded.updated_at",
            )
            .map_err(db)?
            .execute(params![org_id, case.token(), instrument, answers, now])
            .map_err(db)?;
        Ok(())
    }

    fn load_draft(
        &mut self,
        org: &str,
        case: &CaseKey,
        instrument: &str,
    ) -> Result<Option<String>> {
        let Some(org_id) = self.org_id(org)? else {
            return Ok(None);
        };
        self.conn
            .prepare_cached(
                "SELECT answers FROM drafts WHERE org_id = ?1 AND case_key = ?2 AND instrument = ?3",
            )
            .map_err(db)?
            .query_row(params![org_id, case.token(), instrument], |r| r.get(0))
            .optional()
            .map_err(db)
    }

    fn delete_draft(&mut self, org: &str, case: &CaseKey, instrument: &str) -> Result<()> {
        let mut w = self.writer()?;
        let Some(org_id) = w.org_id(org, false)? else {
            return Ok(());
        };
        w.conn()
            .prepare_cached(
                "DELETE FROM drafts WHERE org_id = ?1 AND case_key = ?2 AND instrument = ?3",
            )
            .map_err(db)?
            .execute(params![org_id, case.token(), instrument])
            .map_err(db)?;
        Ok(())
    }
}
