-- The audit table's foreign keys (to its fund and its dossier). Each audited call
-- checked both with a locking lookup, and the fund's one row was share-locked by
-- every concurrent call at once: the server had to keep a shared lock record for it
-- (a MultiXact) that every call rewrote. Measured on the bench server with 50 API
-- clients on 1,000,000 dossiers: event writes 1,560–1,670/s with the keys,
-- 1,840–1,950/s without.
-- What they guarded stays guarded: the entries are written only by
-- `tnw_audit_append` with ids the code took from `orgs` and `cases`, neither is ever
-- deleted, and `tnw audit verify` reads the chain joined to both, so an entry whose
-- fund or dossier were missing would break the chain there.
ALTER TABLE audit DROP CONSTRAINT IF EXISTS audit_org_id_fkey;
ALTER TABLE audit DROP CONSTRAINT IF EXISTS audit_case_id_fkey;
