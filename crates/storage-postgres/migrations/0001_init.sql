-- What SQLite's migrations 0001–0006 create, as one first PostgreSQL migration: the
-- same tables and meanings, PostgreSQL types. Versions 2–6 are therefore empty here;
-- the numbering is shared with every backend (docs/schema.md).

-- Funds (organisations). Dossier tables carry the fund as `org_id`.
CREATE TABLE orgs (
    id   BIGSERIAL PRIMARY KEY,
    code TEXT NOT NULL UNIQUE
);

-- Cases: one dossier per incapacity, owned by one fund.
CREATE TABLE cases (
    id                  BIGSERIAL PRIMARY KEY,
    org_id              BIGINT   NOT NULL REFERENCES orgs (id),
    key                 TEXT     NOT NULL,  -- the case id as its JSON token ("C1" or 17)
    person_id           TEXT     NOT NULL,
    incapacity_start    DATE     NOT NULL,
    ended               DATE,
    scheme              TEXT     NOT NULL,
    region              TEXT     NOT NULL,
    language            TEXT     NOT NULL,
    condition           TEXT     NOT NULL,
    category            SMALLINT,
    facts               BYTEA    NOT NULL,  -- tnw_domain::CaseFacts::encode
    -- Who coaches the dossier (the latest `case_assigned`).
    assignee            TEXT,
    -- When the latest quick scan came back: the advisory doctor's queue.
    quick_scan_returned DATE,
    updated_at          TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (org_id, key)
);
CREATE INDEX cases_person ON cases (org_id, person_id);
CREATE INDEX cases_assignee ON cases (org_id, assignee) WHERE assignee IS NOT NULL;

-- Import runs: where events came from.
CREATE TABLE imports (
    id          BIGSERIAL PRIMARY KEY,
    org_id      BIGINT  NOT NULL REFERENCES orgs (id),
    source      TEXT    NOT NULL,
    strict      BOOLEAN NOT NULL,
    started_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    finished_at TIMESTAMPTZ,
    lines       BIGINT  NOT NULL DEFAULT 0,
    imported    BIGINT  NOT NULL DEFAULT 0,
    duplicates  BIGINT  NOT NULL DEFAULT 0,
    rejected    BIGINT  NOT NULL DEFAULT 0
);

-- Events: each case's events as one append-only JSON array in arrival order, the same
-- format as SQLite's: [[seq, "date", "fingerprint (hex)", import id, {event}], …].
-- TEXT, not JSONB: JSONB would reorder keys and respace the bodies, and the log must
-- keep every stored entry byte for byte.
CREATE TABLE case_logs (
    case_id BIGINT  PRIMARY KEY REFERENCES cases (id),
    org_id  BIGINT  NOT NULL REFERENCES orgs (id),
    events  INTEGER NOT NULL,
    log     TEXT    NOT NULL
);

-- People who log in. A user belongs to one fund; usernames are unique across funds.
CREATE TABLE users (
    id            BIGSERIAL PRIMARY KEY,
    org_id        BIGINT  NOT NULL REFERENCES orgs (id),
    username      TEXT    NOT NULL UNIQUE,
    display_name  TEXT    NOT NULL,
    role          TEXT    NOT NULL,
    password_hash TEXT    NOT NULL,
    language      TEXT    NOT NULL DEFAULT 'nl',
    person_id     TEXT,      -- member: whose dossiers are "mine"
    employer_id   TEXT,      -- employer, occupational physician: which employer
    active        BOOLEAN NOT NULL DEFAULT TRUE,
    email         TEXT,      -- where staff reminders go
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Sessions: only the SHA-256 of the cookie token is stored.
CREATE TABLE sessions (
    token_hash  BYTEA   PRIMARY KEY,
    user_id     BIGINT  NOT NULL REFERENCES users (id),
    csrf        TEXT    NOT NULL,
    created_at  BIGINT  NOT NULL,  -- unix seconds
    last_seen   BIGINT  NOT NULL,
    expires_at  BIGINT  NOT NULL   -- absolute expiry
);
CREATE INDEX sessions_user ON sessions (user_id);

-- Failed logins, for throttling (kept per username, even unknown ones).
CREATE TABLE login_failures (
    username TEXT   NOT NULL,
    at       BIGINT NOT NULL
);
CREATE INDEX login_failures_user ON login_failures (username, at);

-- Who read or wrote which dossier, when, in which role and for what purpose.
CREATE TABLE audit (
    id       BIGSERIAL PRIMARY KEY,
    org_id   BIGINT NOT NULL REFERENCES orgs (id),
    at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    username TEXT   NOT NULL,
    role     TEXT   NOT NULL,
    action   TEXT   NOT NULL,   -- read / write / import
    case_id  BIGINT REFERENCES cases (id),
    what     TEXT   NOT NULL,
    purpose  TEXT   NOT NULL
);
CREATE INDEX audit_case ON audit (case_id, id);
CREATE INDEX audit_org ON audit (org_id, id);

-- Open work: every task instance not yet done or closed, recomputed with each write
-- to the case. The id only orders tasks due the same day the way they were written.
CREATE TABLE tasks (
    id           BIGSERIAL PRIMARY KEY,
    case_id      BIGINT NOT NULL REFERENCES cases (id),
    org_id       BIGINT NOT NULL REFERENCES orgs (id),
    code         TEXT   NOT NULL,
    actor        TEXT   NOT NULL,
    rule         TEXT   NOT NULL,
    window_start DATE   NOT NULL,
    due          DATE   NOT NULL
);
CREATE INDEX tasks_case ON tasks (case_id);
CREATE INDEX tasks_worklist ON tasks (org_id, actor, due);

-- Messages to send, delivered at least once by whichever process claims them
-- (`FOR UPDATE SKIP LOCKED`). `dedup_key` makes enqueueing the same message twice a
-- no-op.
CREATE TABLE outbox (
    id              BIGSERIAL PRIMARY KEY,
    org_id          BIGINT  NOT NULL REFERENCES orgs (id),
    dedup_key       TEXT    NOT NULL UNIQUE,
    recipient       TEXT    NOT NULL,
    subject         TEXT    NOT NULL,
    body            TEXT    NOT NULL,
    created_at      BIGINT  NOT NULL,  -- unix seconds
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at BIGINT  NOT NULL,
    claimed_until   BIGINT,            -- a sender's lease; expired leases are reclaimed
    sent_at         BIGINT,
    last_error      TEXT
);
CREATE INDEX outbox_pending ON outbox (next_attempt_at, id) WHERE sent_at IS NULL;

-- Questionnaires being filled in, saved as the member goes, removed once sent.
CREATE TABLE drafts (
    org_id     BIGINT NOT NULL REFERENCES orgs (id),
    case_key   TEXT   NOT NULL,
    instrument TEXT   NOT NULL,
    answers    TEXT   NOT NULL,  -- JSON object, kept as written
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (org_id, case_key, instrument)
);

-- Experience survey responses: one row per respondent of one survey version in one
-- fund. TEXT, not JSONB: re-imports compare the answers as written.
CREATE TABLE survey_responses (
    org_id      BIGINT NOT NULL REFERENCES orgs (id),
    instrument  TEXT   NOT NULL,
    respondent  TEXT   NOT NULL,
    answers     TEXT   NOT NULL,
    imported_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (org_id, instrument, respondent)
);
