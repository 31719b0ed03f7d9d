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

-- Events: append-only, in arrival order per case. A rowid table (rows are appended
-- in rowid order, the cheapest insert SQLite has) with a small unique index.
CREATE TABLE events (
    id          INTEGER PRIMARY KEY,
    case_id     INTEGER NOT NULL REFERENCES cases (id),
    seq         INTEGER NOT NULL,
    org_id      INTEGER NOT NULL REFERENCES orgs (id),
    date        TEXT    NOT NULL,
    type        TEXT    NOT NULL,
    fingerprint INTEGER NOT NULL,
    body        TEXT    NOT NULL,
    import_id   INTEGER REFERENCES imports (id),
    UNIQUE (case_id, seq)
);
