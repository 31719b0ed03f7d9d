//! Dossiers ([`CaseStore`]): loads and the audited read (`read`), the one-dossier
//! write through the server function (`one`), every other write in one transaction of
//! named steps (`write`), and the batch's columns as arrays (`columns`).

mod columns;
mod one;
mod read;
mod write;

use crate::connection::db;
use crate::rows::Col;
use crate::PgStore;
use postgres::Client;
use tnw_domain::CaseKey;
use tnw_storage::log;
use tnw_storage::{AuditEntry, CaseStore, CaseWrite, Result, StorageError, StoredCase};

/// Up to this many tasks, a write replaces a batch's tasks with one statement; more go
/// through `COPY` (the import's batches).
const FEW_TASKS: usize = 64;

/// Up to this many new dossiers, a write inserts them with one statement; more go
/// through `COPY`.
const FEW_CASES: usize = 64;

impl CaseStore for PgStore {
    fn load_cases(&mut self, org: &str, keys: &[CaseKey]) -> Result<Vec<Option<StoredCase>>> {
        let Some(org_id) = self.org_id(org, false)? else {
            return Ok(vec![None; keys.len()]);
        };
        if let [key] = keys {
            return self.load_one(org, org_id, key).map(|c| vec![c]);
        }
        self.load_many(org, org_id, keys)
    }

    fn write_cases(
        &mut self,
        org: &str,
        import_id: Option<i64>,
        cases: &[CaseWrite],
        audit: &[(Option<CaseKey>, AuditEntry)],
    ) -> Result<()> {
        let org_id = self.org_id_created(org)?;
        let import = import_id.unwrap_or(0);
        if let Some(one) = one_existing_case(cases, audit) {
            return self.write_one_case(org, org_id, import, one, audit);
        }
        self.write_batch(org, org_id, import, cases, audit)
    }

    fn read_case_audited(
        &mut self,
        org: &str,
        key: &CaseKey,
        decide: &mut dyn FnMut(&StoredCase) -> AuditEntry,
    ) -> Result<Option<StoredCase>> {
        let Some(org_id) = self.org_id(org, false)? else {
            return Ok(None);
        };
        self.read_audited(org, org_id, key, decide)
    }

    fn cases_of_person(&mut self, org: &str, person_id: &str) -> Result<Vec<CaseKey>> {
        let Some(org_id) = self.org_id(org, false)? else {
            return Ok(Vec::new());
        };
        let rows = self.query(
            "SELECT key FROM cases WHERE org_id = $1 AND person_id = $2
             ORDER BY incapacity_start DESC, id DESC",
            &[&org_id, &person_id],
        )?;
        rows.into_iter()
            .map(|r| Ok(CaseKey::from_token(r.col(0)?)))
            .collect()
    }
}

/// The length the stored log must have for `c`'s events to continue it.
fn expected_events(c: &CaseWrite) -> Result<i32> {
    i32::try_from(log::expected_len(c))
        .map_err(|_| StorageError::Invalid(format!("case {}: seq out of range", c.key)))
}

/// The number of `c`'s new events, as the log's count column holds it.
fn event_count(c: &CaseWrite) -> Result<i32> {
    i32::try_from(c.events.len()).map_err(|_| StorageError::Invalid("too many events".into()))
}

/// The call's one case and its id, when the call writes one existing case and audits
/// nothing but it (the API's write): the shape `PgStore::write_one_case` takes.
fn one_existing_case<'c>(
    cases: &'c [CaseWrite],
    audit: &[(Option<CaseKey>, AuditEntry)],
) -> Option<(&'c CaseWrite, i64)> {
    let [c] = cases else {
        return None;
    };
    let id = c.existing_id?;
    let others = audit
        .iter()
        .any(|(k, _)| k.as_ref().is_some_and(|k| *k != c.key));
    (!others).then_some((c, id))
}

/// Why an append to an existing case changed no log row: another writer appended
/// first, or the case has no log at all.
fn append_refused(tx: &mut Client, key: &CaseKey, id: i64) -> Result<StorageError> {
    let has_log = tx
        .query_opt("SELECT 1 FROM case_logs WHERE case_id = $1", &[&id])
        .map_err(db)?
        .is_some();
    Ok(log::append_refused(key, has_log))
}
