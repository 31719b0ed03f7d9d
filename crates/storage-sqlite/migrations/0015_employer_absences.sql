-- The employer a dossier's worker is absent from (`case_opened.employer.id`), for the
-- employer's monthly list of workers absent four weeks or more (docs/absences.md).
-- Written when a dossier is created; its `case_opened` never changes, so an update
-- of the dossier never names this column and never rewrites the index.
ALTER TABLE cases ADD COLUMN employer_id TEXT;
-- Existing dossiers: from their event logs ([seq, "date", fp, import, {event}]).
UPDATE cases SET employer_id = (
    SELECT json_extract(e.value, '$[4].employer.id')
    FROM case_logs l, json_each(l.log) e
    WHERE l.case_id = cases.id
      AND json_extract(e.value, '$[4].type') = 'case_opened'
);
-- One employer's dossiers; the list's other conditions are read from the rows (a
-- large employer has some thousands of dossiers in a national database).
CREATE INDEX cases_employer ON cases (org_id, employer_id) WHERE employer_id IS NOT NULL;
