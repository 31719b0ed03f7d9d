//! The audit log's entries.

use tnw_domain::CaseKey;

/// One audit entry: who did what to which dossier, in which role, for what purpose.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    pub username: String,
    pub role: String,
    /// `read`, `write` or `import`.
    pub action: String,
    pub what: String,
    pub purpose: String,
}

/// A stored audit entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditRecord {
    pub id: i64,
    pub at: String,
    pub case: Option<CaseKey>,
    pub entry: AuditEntry,
}
