//! Rows to values: the columns selected for users, audit entries and tasks, and how a
//! row becomes one.

use tnw_domain::CaseKey;
use tnw_storage::{AuditEntry, AuditRecord, ChainedAudit, OpenTask, User};

pub(crate) const USER_COLUMNS: &str =
    "u.id, o.code, u.username, u.display_name, u.role, u.password_hash, u.language, u.person_id, u.employer_id, u.active, u.email, u.party";
pub(crate) const USER_SELECT: &str = "SELECT u.id, o.code, u.username, u.display_name, u.role, u.password_hash, u.language, u.person_id, u.employer_id, u.active, u.email, u.party FROM users u JOIN orgs o ON o.id = u.org_id";

/// A task as its stored columns (code, actor, rule, window start, due).
pub(crate) fn task_row(t: &OpenTask) -> [String; 5] {
    [
        t.code.clone(),
        t.actor.clone(),
        t.rule.clone(),
        t.window_start.to_string(),
        t.due.to_string(),
    ]
}

/// A list of actors as one bound JSON parameter (no SQL built from values).
pub(crate) fn actors_json(actors: &[&str]) -> String {
    serde_json::Value::from(actors.to_vec()).to_string()
}

pub(crate) fn user_row(r: &rusqlite::Row) -> rusqlite::Result<User> {
    user_row_at(r, 0)
}

/// A user from the [`USER_COLUMNS`] starting at column `at`.
pub(crate) fn user_row_at(r: &rusqlite::Row, at: usize) -> rusqlite::Result<User> {
    Ok(User {
        id: r.get(at)?,
        org: r.get(at + 1)?,
        username: r.get(at + 2)?,
        display_name: r.get(at + 3)?,
        role: r.get(at + 4)?,
        password_hash: r.get(at + 5)?,
        language: r.get(at + 6)?,
        person_id: r.get(at + 7)?,
        employer_id: r.get(at + 8)?,
        active: r.get(at + 9)?,
        email: r.get(at + 10)?,
        party: r.get(at + 11)?,
    })
}

/// An audit entry as a fund's log shows it: id, time, case key, then the entry's
/// fields (username, role, action, what, purpose).
pub(crate) fn audit_record_row(r: &rusqlite::Row) -> rusqlite::Result<AuditRecord> {
    Ok(AuditRecord {
        id: r.get(0)?,
        at: r.get(1)?,
        case: r.get::<_, Option<String>>(2)?.map(CaseKey::from_token),
        entry: audit_entry_at(r, 3)?,
    })
}

/// An audit entry as the chain sees it: id, fund code, time, case key, the entry's
/// fields, and the stored hash.
pub(crate) fn chained_audit_row(r: &rusqlite::Row) -> rusqlite::Result<ChainedAudit> {
    Ok(ChainedAudit {
        id: r.get(0)?,
        org: r.get(1)?,
        at: r.get(2)?,
        case: r.get(3)?,
        entry: audit_entry_at(r, 4)?,
        hash: r.get(9)?,
    })
}

/// An entry's fields (username, role, action, what, purpose) starting at column `at`.
fn audit_entry_at(r: &rusqlite::Row, at: usize) -> rusqlite::Result<AuditEntry> {
    Ok(AuditEntry {
        username: r.get(at)?,
        role: r.get(at + 1)?,
        action: r.get(at + 2)?,
        what: r.get(at + 3)?,
        purpose: r.get(at + 4)?,
    })
}
