-- People who log in. A user belongs to one fund; external actors (employer,
-- occupational physician, employment service) are registered by the fund.
CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    org_id        INTEGER NOT NULL REFERENCES orgs (id),
    username      TEXT    NOT NULL UNIQUE,
    display_name  TEXT    NOT NULL,
    role          TEXT    NOT NULL,
    password_hash TEXT    NOT NULL,
    language      TEXT    NOT NULL DEFAULT 'nl',
    person_id     TEXT,      -- member: whose dossiers are "mine"
    employer_id   TEXT,      -- employer, occupational physician: which employer
    active        INTEGER NOT NULL DEFAULT 1,
    created_at    TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

-- Sessions: only the SHA-256 of the cookie token is stored.
CREATE TABLE sessions (
    token_hash  BLOB    PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users (id),
    csrf        TEXT    NOT NULL,
    created_at  INTEGER NOT NULL,  -- unix seconds
    last_seen   INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL   -- absolute expiry
) WITHOUT ROWID;
CREATE INDEX sessions_user ON sessions (user_id);

-- Failed logins, for throttling (kept per username, even unknown ones).
CREATE TABLE login_failures (
    username TEXT    NOT NULL,
    at       INTEGER NOT NULL
);
CREATE INDEX login_failures_user ON login_failures (username, at);

-- Who read or wrote which dossier, when, in which role and for what purpose.
CREATE TABLE audit (
    id       INTEGER PRIMARY KEY,
    org_id   INTEGER NOT NULL REFERENCES orgs (id),
    at       TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    username TEXT    NOT NULL,
    role     TEXT    NOT NULL,
    action   TEXT    NOT NULL,   -- read / write / import
    case_id  INTEGER REFERENCES cases (id),
    what     TEXT    NOT NULL,
    purpose  TEXT    NOT NULL
);
CREATE INDEX audit_case ON audit (case_id, id);

-- Open work: every task instance not yet done or closed, as the engine sees the
-- dossier's full history; recomputed with each write to the case.
CREATE TABLE tasks (
    case_id      INTEGER NOT NULL REFERENCES cases (id),
    org_id       INTEGER NOT NULL REFERENCES orgs (id),
    code         TEXT    NOT NULL,
    actor        TEXT    NOT NULL,
    rule         TEXT    NOT NULL,
    window_start TEXT    NOT NULL,
    due          TEXT    NOT NULL
);
CREATE INDEX tasks_case ON tasks (case_id);
CREATE INDEX tasks_worklist ON tasks (org_id, actor, due);
