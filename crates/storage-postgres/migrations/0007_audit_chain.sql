-- The tamper-evident audit chain (docs/audit.md): each entry's SHA-256 over the
-- previous entry's hash and its own fields. Entries written before are chained by the
-- program right after this migration, in the same transaction. Ids are given by the
-- program from now on (they are hashed), under an advisory lock that orders writers.
ALTER TABLE audit ADD COLUMN hash BYTEA;
