-- The employer a dossier's worker is absent from (`case_opened.employer.id`), for the
-- employer's monthly list of workers absent four weeks or more (docs/absences.md).
-- Written when a dossier is created; its `case_opened` never changes, so no update
-- of the dossier names this column (updates stay HOT).
ALTER TABLE cases ADD COLUMN employer_id text;
-- Existing dossiers: from their event logs ([seq, "date", fp, import, {event}]).
UPDATE cases c SET employer_id = o.employer
  FROM (SELECT l.case_id, e.value -> 4 -> 'employer' ->> 'id' AS employer
          FROM case_logs l CROSS JOIN LATERAL json_array_elements(l.log::json) AS e(value)
         WHERE e.value -> 4 ->> 'type' = 'case_opened') o
 WHERE o.case_id = c.id AND o.employer IS NOT NULL;
-- One employer's dossiers; the list's other conditions are read from the rows (a
-- large employer has some thousands of dossiers in a national database).
CREATE INDEX cases_employer ON cases (org_id, employer_id) WHERE employer_id IS NOT NULL;
