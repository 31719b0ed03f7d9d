//! Experience-survey responses.

use crate::connection::db;
use crate::rows::Col;
use crate::PgStore;
use tnw_storage::{Result, SurveyImportCounts, SurveyResponse, SurveyStore};

impl SurveyStore for PgStore {
    fn import_survey(
        &mut self,
        org: &str,
        instrument: &str,
        responses: &[SurveyResponse],
    ) -> Result<SurveyImportCounts> {
        let org_id = self.org_id_created(org)?;
        // FOR UPDATE: a concurrent import of the same respondent waits, so the counts
        // say what this call changed.
        let stored = self.prep(
            "SELECT answers FROM survey_responses
             WHERE org_id = $1 AND instrument = $2 AND respondent = $3
             FOR UPDATE",
        )?;
        let upsert = self.prep(
            "INSERT INTO survey_responses (org_id, instrument, respondent, answers)
             VALUES ($1, $2, $3, $4)
             ON CONFLICT (org_id, instrument, respondent) DO UPDATE
             SET answers = excluded.answers, imported_at = excluded.imported_at",
        )?;
        let mut tx = self.client.transaction().map_err(db)?;
        let mut counts = SurveyImportCounts::default();
        for r in responses {
            let before: Option<String> = tx
                .query_opt(&stored, &[&org_id, &instrument, &r.respondent])
                .map_err(db)?
                .map(|row| row.col(0))
                .transpose()?;
            match before {
                Some(a) if a == r.answers => {
                    counts.unchanged += 1;
                    continue;
                }
                Some(_) => counts.updated += 1,
                None => counts.new += 1,
            }
            tx.execute(&upsert, &[&org_id, &instrument, &r.respondent, &r.answers])
                .map_err(db)?;
        }
        tx.commit().map_err(db)?;
        Ok(counts)
    }

    fn survey_responses(&mut self, org: &str, instrument: &str) -> Result<Vec<SurveyResponse>> {
        let Some(org_id) = self.org_id(org, false)? else {
            return Ok(Vec::new());
        };
        self.query(
            "SELECT respondent, answers FROM survey_responses
                 WHERE org_id = $1 AND instrument = $2 ORDER BY respondent COLLATE \"C\"",
            &[&org_id, &instrument],
        )?
        .into_iter()
        .map(|r| {
            Ok(SurveyResponse {
                respondent: r.col(0)?,
                answers: r.col(1)?,
            })
        })
        .collect::<Result<_>>()
    }
}
