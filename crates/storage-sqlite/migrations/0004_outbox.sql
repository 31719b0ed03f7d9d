-- Where staff reminders go.
ALTER TABLE users ADD COLUMN email TEXT;

-- Messages to send: written in the same transaction as what caused them, delivered
-- at least once by whichever process claims them. `dedup_key` makes enqueueing the
-- same message twice a no-op.
CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY,
    org_id          INTEGER NOT NULL REFERENCES orgs (id),
    dedup_key       TEXT    NOT NULL UNIQUE,
    recipient       TEXT    NOT NULL,
    subject         TEXT    NOT NULL,
    body            TEXT    NOT NULL,
    created_at      INTEGER NOT NULL,  -- unix seconds
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    claimed_until   INTEGER,           -- a sender's lease; expired leases are reclaimed
    sent_at         INTEGER,
    last_error      TEXT
);
CREATE INDEX outbox_pending ON outbox (next_attempt_at) WHERE sent_at IS NULL;
