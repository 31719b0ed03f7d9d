-- Questionnaires being filled in: saved as the member goes, removed once sent (the
-- answers then live in the dossier's quick_scan_returned event).
CREATE TABLE drafts (
    org_id     INTEGER NOT NULL REFERENCES orgs (id),
    case_key   TEXT    NOT NULL,
    instrument TEXT    NOT NULL,
    answers    TEXT    NOT NULL,  -- JSON object
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (org_id, case_key, instrument)
);
