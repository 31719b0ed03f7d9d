-- Experience survey responses (docs/domain.md 7.3): one row per respondent of one survey
-- version in one fund. `answers` is the JSON object question code → answer code, keys
-- sorted; a re-import of the same respondent replaces it (or leaves it when equal).
CREATE TABLE survey_responses (
    org_id      INTEGER NOT NULL REFERENCES orgs (id),
    instrument  TEXT    NOT NULL,
    respondent  TEXT    NOT NULL,
    answers     TEXT    NOT NULL,
    imported_at TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    PRIMARY KEY (org_id, instrument, respondent)
) WITHOUT ROWID;
