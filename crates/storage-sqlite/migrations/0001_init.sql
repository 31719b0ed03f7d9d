-- Funds (organisations). Dossier tables carry the fund as `org_id`.
CREATE TABLE orgs (
    id   INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE
);

-- Cases: one dossier per incapacity, owned by one fund.
CREATE TABLE cases (
    id               INTEGER PRIMARY KEY,
    org_id           INTEGER NOT NULL REFERENCES orgs (id),
    key              TEXT    NOT NULL,  -- the case id as its JSON token ("C1" or 17)
    person_id        TEXT    NOT NULL,
    incapacity_start TEXT    NOT NULL,
    ended            TEXT,
    scheme           TEXT    NOT NULL,
    region           TEXT    NOT NULL,
    language         TEXT    NOT NULL,
    condition        TEXT    NOT NULL,
    category         INTEGER,
    facts            BLOB    NOT NULL,  -- tnw_domain::CaseFacts::encode
    updated_at       TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    UNIQUE (org_id, key)
);
CREATE INDEX cases_person ON cases (org_id, person_id);

-- Import runs: where events came from.
CREATE TABLE imports (
    id          INTEGER PRIMARY KEY,
    org_id      INTEGER NOT NULL REFERENCES orgs (id),
    source      TEXT    NOT NULL,
    strict      INTEGER NOT NULL,
    started_at  TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    finished_at TEXT,
    lines       INTEGER NOT NULL DEFAULT 0,
    imported    INTEGER NOT NULL DEFAULT 0,
    duplicates  INTEGER NOT NULL DEFAULT 0,
    rejected    INTEGER NOT NULL DEFAULT 0
);

-- Events: each case's events as one append-only JSON array, in arrival order:
-- [[seq, "date", "fingerprint (hex)", import id, {event}], …]  (seq = arrival order)
-- One row per case, not per event: a dossier is read and written as a whole, and a
-- national import writes a million rows instead of ten million.
CREATE TABLE case_logs (
    case_id INTEGER PRIMARY KEY REFERENCES cases (id),
    org_id  INTEGER NOT NULL REFERENCES orgs (id),
    events  INTEGER NOT NULL,
    log     TEXT    NOT NULL
);
