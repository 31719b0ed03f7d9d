//! A write to one existing dossier (the API's), in one round trip through the server's
//! `tnw_write_case` (migrations 11 and 13).

use super::{append_refused, event_count, expected_events};
use crate::audit::audit_fields;
use crate::connection::db;
use crate::PgStore;
use postgres::error::SqlState;
use tnw_domain::{CaseKey, Date};
use tnw_storage::chain;
use tnw_storage::log;
use tnw_storage::{AuditEntry, CaseWrite, OpenTask, Result, StorageError};

/// `$1` the fund, `$2` the dossier, `$3…$13` its summary, `$14…$16` the log's tail, its
/// number of events and the length it must continue, `$17…$21` the open tasks,
/// `$22…$29` the audit entries.
const WRITE_CASE: &str =
    "SELECT tnw_write_case($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14,
                                   $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, $26,
                                   $27, $28, $29)";

/// The dossier's open tasks as arrays, one per column.
struct Tasks<'a> {
    code: Vec<&'a str>,
    actor: Vec<&'a str>,
    rule: Vec<&'a str>,
    window: Vec<Date>,
    due: Vec<Date>,
}

impl<'a> Tasks<'a> {
    fn of(t: &'a [OpenTask]) -> Tasks<'a> {
        Tasks {
            code: t.iter().map(|t| t.code.as_str()).collect(),
            actor: t.iter().map(|t| t.actor.as_str()).collect(),
            rule: t.iter().map(|t| t.rule.as_str()).collect(),
            window: t.iter().map(|t| t.window_start).collect(),
            due: t.iter().map(|t| t.due).collect(),
        }
    }
}

/// The call's audit entries as arrays, one per column, each with its encoded fields.
struct Entries<'a> {
    at: String,
    user: Vec<&'a str>,
    role: Vec<&'a str>,
    action: Vec<&'a str>,
    case: Vec<Option<i64>>,
    what: Vec<&'a str>,
    purpose: Vec<&'a str>,
    fields: Vec<Vec<u8>>,
}

impl<'a> Entries<'a> {
    fn of(org: &str, id: i64, audit: &'a [(Option<CaseKey>, AuditEntry)]) -> Entries<'a> {
        let at = chain::timestamp_now();
        let fields = audit
            .iter()
            .map(|(k, a)| audit_fields(org, &at, k.as_ref().map(|k| k.token()), a))
            .collect();
        Entries {
            user: audit.iter().map(|(_, a)| a.username.as_str()).collect(),
            role: audit.iter().map(|(_, a)| a.role.as_str()).collect(),
            action: audit.iter().map(|(_, a)| a.action.as_str()).collect(),
            case: audit.iter().map(|(k, _)| k.as_ref().map(|_| id)).collect(),
            what: audit.iter().map(|(_, a)| a.what.as_str()).collect(),
            purpose: audit.iter().map(|(_, a)| a.purpose.as_str()).collect(),
            fields,
            at,
        }
    }
}

impl PgStore {
    /// A write to one existing dossier (the API's) in one round trip: the server's
    /// `tnw_write_case` (migration 11) updates it, appends, replaces its open tasks and
    /// appends the audit entries, then [`Self::wait_for_disk`]. For calls of that
    /// shape only ([`super::one_existing_case`]).
    pub(super) fn write_one_case(
        &mut self,
        org: &str,
        org_id: i64,
        import: i64,
        (c, id): (&CaseWrite, i64),
        audit: &[(Option<CaseKey>, AuditEntry)],
    ) -> Result<()> {
        let write = self.prep(WRITE_CASE)?;
        let s = &c.summary;
        let n = event_count(c)?;
        let expected = expected_events(c)?;
        let mut tail = String::new();
        if n > 0 {
            tail.push(',');
            log::write_entries(&mut tail, &c.events, import);
            tail.push(']');
        }
        let t = Tasks::of(&c.tasks);
        let a = Entries::of(org, id, audit);
        let done = self.client.execute(
            &write,
            &[
                &org_id,
                &id,
                &s.person_id,
                &s.incapacity_start,
                &s.ended,
                &s.scheme,
                &s.region,
                &s.language,
                &s.condition,
                &s.category.map(i16::from),
                &s.facts,
                &s.assignee,
                &s.quick_scan_returned,
                &tail,
                &n,
                &expected,
                &t.code,
                &t.actor,
                &t.rule,
                &t.window,
                &t.due,
                &a.at,
                &a.user,
                &a.role,
                &a.action,
                &a.case,
                &a.what,
                &a.purpose,
                &a.fields,
            ],
        );
        match done {
            Ok(_) if audit.is_empty() => Ok(()),
            Ok(_) => self.wait_for_disk(),
            Err(e) => Err(self.write_refused(e, org, c, id)?),
        }
    }

    /// What a failed `tnw_write_case` means: its own error codes say which refusal.
    fn write_refused(
        &mut self,
        e: postgres::Error,
        org: &str,
        c: &CaseWrite,
        id: i64,
    ) -> Result<StorageError> {
        match e.code().map(SqlState::code) {
            Some("TN001") => Ok(StorageError::Invalid(format!(
                "case {} does not exist in {org}",
                c.key
            ))),
            Some("TN002") => append_refused(&mut self.client, &c.key, id),
            _ => Ok(db(e)),
        }
    }
}
