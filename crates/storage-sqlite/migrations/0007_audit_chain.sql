-- The tamper-evident audit chain (docs/audit.md): each entry's SHA-256 over the
-- previous entry's hash and its own fields. Existing entries are chained by the
-- program right after this migration, in the same transaction.
ALTER TABLE audit ADD COLUMN hash BLOB;
