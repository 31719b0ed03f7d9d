//! The audit log: the one constructor of its entries, and who reads it. Entries are
//! written by the storage calls they belong to (a dossier's read or write, an import
//! batch) or appended alone (account changes, exports, operator commands); which entry
//! an access gets is decided with the access, in [`crate::access`] and the use cases.

use crate::access::{Operator, Principal, OPERATOR_ROLE};
use crate::dossier::{DossierError, Result};
use crate::handle::App;
use tnw_domain::CaseKey;
use tnw_storage::{AuditEntry, AuditRecord, AuditStore, CaseStore};

/// Who acted.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Actor<'a> {
    Person(&'a Principal),
    Operator(&'a Operator),
    /// The import of an exchange file.
    Import,
}

/// What was done, as the log names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Read,
    Refused,
    Write,
    Import,
    /// Account management.
    Admin,
    /// Figures or reports that leave the application.
    Export,
}

impl Action {
    pub const ALL: [Action; 6] = [
        Action::Read,
        Action::Refused,
        Action::Write,
        Action::Import,
        Action::Admin,
        Action::Export,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Action::Read => "read",
            Action::Refused => "refused",
            Action::Write => "write",
            Action::Import => "import",
            Action::Admin => "admin",
            Action::Export => "export",
        }
    }
}

/// The role the log gives the import of an exchange file.
pub const SYSTEM_ROLE: &str = "system";

/// The audit entry of `actor` doing `action` on `what`, for `purpose`.
pub(crate) fn entry(
    actor: Actor<'_>,
    action: Action,
    what: impl Into<String>,
    purpose: &str,
) -> AuditEntry {
    let (username, role) = match actor {
        Actor::Person(p) => (p.username.clone(), p.role.as_str()),
        Actor::Operator(o) => (o.username(), OPERATOR_ROLE),
        Actor::Import => ("import".to_owned(), SYSTEM_ROLE),
    };
    AuditEntry {
        username,
        role: role.to_owned(),
        action: action.as_str().to_owned(),
        what: what.into(),
        purpose: purpose.to_owned(),
    }
}

/// The audit log of `p`'s fund, or of one dossier: admins only; members see who opened
/// their own dossier through [`access_log`].
pub fn audit_log<S: AuditStore + ?Sized>(
    store: &mut S,
    p: &Principal,
    case: Option<&str>,
    limit: u32,
) -> Result<Vec<AuditRecord>> {
    crate::access::may_read_audit_log(p)?;
    match case {
        None => Ok(store.audit_log(&p.org, None, limit)?),
        Some(id) => {
            for key in CaseKey::candidates(id) {
                let log = store.audit_log(&p.org, Some(&key), limit)?;
                if !log.is_empty() {
                    return Ok(log);
                }
            }
            Ok(Vec::new())
        }
    }
}

/// Who opened the member's own dossier `id`, when and in which role.
pub fn access_log<S: CaseStore + AuditStore + ?Sized>(
    store: &mut S,
    p: &Principal,
    id: &str,
) -> Result<Vec<AuditRecord>> {
    let Some(person) = crate::access::own_person(p) else {
        return Err(crate::access::Refusal::NotYours.into());
    };
    let mine = store.cases_of_person(&p.org, person)?;
    let Some(key) = CaseKey::candidates(id)
        .into_iter()
        .find(|k| mine.contains(k))
    else {
        return Err(crate::access::Refusal::NotYours.into());
    };
    crate::access::may_see_access_log(p, &mine, &key)?;
    Ok(store.audit_log(&p.org, Some(&key), 500)?)
}

impl App {
    /// The audit log of `p`'s fund, newest first, or of one dossier.
    pub fn audit_log(
        &self,
        p: &Principal,
        case: Option<&str>,
        limit: u32,
    ) -> std::result::Result<Vec<AuditRecord>, DossierError> {
        self.primary_as(p, |st, _| audit_log(st, p, case, limit))
    }

    /// Who opened the member's own dossier `id`.
    pub fn access_log(
        &self,
        p: &Principal,
        id: &str,
    ) -> std::result::Result<Vec<AuditRecord>, DossierError> {
        self.primary_as(p, |st, _| access_log(st, p, id))
    }
}
