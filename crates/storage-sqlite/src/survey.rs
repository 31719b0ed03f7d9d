//! Experience survey responses ([`SurveyStore`]).

use crate::{db, SqliteStore};
use rusqlite::{params, OptionalExtension};
use tnw_storage::{Result, SurveyImportCounts, SurveyResponse, SurveyStore};

impl SurveyStore for SqliteStore {
    fn import_survey(
        &mut self,
        org: &str,
        instrument: &str,
        responses: &[SurveyResponse],
    ) -> Result<SurveyImportCounts> {
        let mut w = self.writer()?;
        let org_id = w.org_id_created(org)?;
        let tx = w.begin()?;
        let mut counts = SurveyImportCounts::default();
        {
            let mut stored = tx
                .prepare_cached(
                    "SELECT answers FROM survey_responses
                     WHERE org_id = ?1 AND instrument = ?2 AND respondent = ?3",
                )
                .map_err(db)?;
            let mut upsert = tx
                .prepare_cached(
                    "INSERT INTO survey_responses (org_id, instrument, respondent, answers)
                     VALUES (?1, ?2, ?3, ?4)
                     ON CONFLICT (org_id, instrument, respondent) DO UPDATE
                     SET answers = excluded.answers, imported_at = excluded.imported_at",
                )
                .map_err(db)?;
            for r in responses {
                let before: Option<String> = stored
                    .query_row(params![org_id, instrument, r.respondent], |row| row.get(0))
                    .optional()
                    .map_err(db)?;
                match before {
                    Some(a) if a == r.answers => {
                        counts.unchanged += 1;
                        continue;
                    }
                    Some(_) => counts.updated += 1,
                    None => counts.new += 1,
                }
                upsert
                    .execute(params![org_id, instrument, r.respondent, r.answers])
                    .map_err(db)?;
            }
        }
        tx.commit().map_err(db)?;
        Ok(counts)
    }

    fn survey_responses(&mut self, org: &str, instrument: &str) -> Result<Vec<SurveyResponse>> {
        let Some(org_id) = self.org_id(org)? else {
            return Ok(Vec::new());
        };
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT respondent, answers FROM survey_responses
                 WHERE org_id = ?1 AND instrument = ?2 ORDER BY respondent",
            )
            .map_err(db)?;
        let rows = stmt
            .query_map(params![org_id, instrument], |r| {
                Ok(SurveyResponse {
                    respondent: r.get(0)?,
                    answers: r.get(1)?,
                })
            })
            .map_err(db)?;
        rows.map(|r| r.map_err(db)).collect()
    }
}
