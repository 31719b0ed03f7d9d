//! A dossier as stored: its events, the summary columns recomputed on every write,
//! and its open tasks (the worklist projection).

use tnw_domain::event::EventType;
use tnw_domain::{CaseKey, Date};

/// An event as stored: its place in the case (`seq`, arrival order), date, type, the
/// content fingerprint used to recognise re-imports, and the canonical JSON body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredEvent {
    pub seq: u32,
    pub date: Date,
    pub kind: EventType,
    pub fingerprint: u64,
    pub body: String,
}

/// A case as stored, with all its events in arrival order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredCase {
    pub id: i64,
    pub org: String,
    pub key: CaseKey,
    pub events: Vec<StoredEvent>,
}

/// Denormalised columns of a case, recomputed from its events on every write: what
/// lists and filters need without reading events.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseSummary {
    pub person_id: String,
    pub incapacity_start: Date,
    pub ended: Option<Date>,
    pub scheme: String,
    pub region: String,
    pub language: String,
    pub condition: String,
    pub category: Option<u8>,
    /// The username the dossier is assigned to (latest `case_assigned`).
    pub assignee: Option<String>,
    /// The date of the latest `quick_scan_returned`.
    pub quick_scan_returned: Option<Date>,
    /// The employer named by `case_opened`, for the employer's absence list. Stored
    /// when the dossier is created: its `case_opened` never changes.
    pub employer_id: Option<String>,
    /// [`tnw_domain::CaseFacts::encode`]: what the deadline engine reads.
    pub facts: Vec<u8>,
}

/// New events for one case, with the case's recomputed summary and open tasks.
#[derive(Debug, Clone)]
pub struct CaseWrite {
    pub key: CaseKey,
    /// `None` for a case that does not exist yet.
    pub existing_id: Option<i64>,
    pub events: Vec<StoredEvent>,
    pub summary: CaseSummary,
    /// Every task instance not done or closed; replaces the case's previous ones.
    pub tasks: Vec<OpenTask>,
}

/// A task instance still to do (the worklist projection).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenTask {
    pub code: String,
    pub actor: String,
    pub rule: String,
    pub window_start: Date,
    pub due: Date,
}
