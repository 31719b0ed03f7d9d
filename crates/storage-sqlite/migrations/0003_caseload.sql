-- Who coaches a dossier (the latest `case_assigned`), for caseloads and for paramedics,
-- who see only the dossiers assigned to them.
ALTER TABLE cases ADD COLUMN assignee TEXT;
CREATE INDEX cases_assignee ON cases (org_id, assignee) WHERE assignee IS NOT NULL;
-- When the latest quick scan came back: the advisory doctor's queue of scans to assess.
ALTER TABLE cases ADD COLUMN quick_scan_returned TEXT;
-- Existing dossiers: the date comes from their event logs ([seq, "date", fp, import, {event}]).
UPDATE cases SET quick_scan_returned = (
    SELECT max(json_extract(e.value, '$[1]'))
    FROM case_logs l, json_each(l.log) e
    WHERE l.case_id = cases.id
      AND json_extract(e.value, '$[4].type') = 'quick_scan_returned'
);
