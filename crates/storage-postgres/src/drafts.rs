//! Questionnaire answers saved before they are sent.

use crate::rows::Col;
use crate::PgStore;
use tnw_domain::CaseKey;
use tnw_storage::{DraftStore, Result, StorageError};

impl DraftStore for PgStore {
    fn save_draft(
        &mut self,
        org: &str,
        case: &CaseKey,
        instrument: &str,
        answers: &str,
        now: i64,
    ) -> Result<()> {
        let org_id = self
            .org_id(org, false)?
            .ok_or_else(|| StorageError::Invalid(format!("no fund {org}")))?;
        self.execute(
            "INSERT INTO drafts (org_id, case_key, instrument, answers, updated_at)
             VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (org_id, case_key, instrument)
             DO UPDATE SET answers = excluded.answers, updated_at = excluded.updated_at",
            &[&org_id, &case.token(), &instrument, &answers, &now],
        )?;
        Ok(())
    }

    fn load_draft(
        &mut self,
        org: &str,
        case: &CaseKey,
        instrument: &str,
    ) -> Result<Option<String>> {
        let Some(org_id) = self.org_id(org, false)? else {
            return Ok(None);
        };
        self.query_opt(
            "SELECT answers FROM drafts WHERE org_id = $1 AND case_key = $2 AND instrument = $3",
            &[&org_id, &case.token(), &instrument],
        )?
        .map(|r| r.col(0))
        .transpose()
    }

    fn delete_draft(&mut self, org: &str, case: &CaseKey, instrument: &str) -> Result<()> {
        let Some(org_id) = self.org_id(org, false)? else {
            return Ok(());
        };
        self.execute(
            "DELETE FROM drafts WHERE org_id = $1 AND case_key = $2 AND instrument = $3",
            &[&org_id, &case.token(), &instrument],
        )?;
        Ok(())
    }
}
