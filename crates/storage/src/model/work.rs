//! Worklists and caseloads: what the open-task projection answers.

use super::OpenTask;
use tnw_domain::{CaseKey, Date};

/// A worklist row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkItem {
    pub case: CaseKey,
    pub task: OpenTask,
    pub region: String,
    pub category: Option<u8>,
    pub quick_scan_returned: Option<Date>,
}

/// Filters of a worklist query.
#[derive(Debug, Clone, Default)]
pub struct WorklistQuery {
    pub actors: Vec<String>,
    /// Tasks whose window has opened by this date.
    pub as_of: Option<Date>,
    /// Only tasks due on or before this date.
    pub due_by: Option<Date>,
    pub task: Option<String>,
    pub region: Option<String>,
    pub category: Option<u8>,
    /// Only dossiers assigned to this username.
    pub assignee: Option<String>,
    /// Only dossiers whose quick scan came back.
    pub quick_scan_returned: bool,
    pub limit: u32,
}

/// One row of the caseload overview: the ongoing dossiers of one assignee (or of
/// nobody) and their open coaching work.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseloadRow {
    pub assignee: Option<String>,
    /// Dossiers whose incapacity has not ended.
    pub dossiers: u64,
    /// Open tasks of the given actors on those dossiers, and how many are past due.
    pub open_tasks: u64,
    pub overdue_tasks: u64,
}

/// A dossier on someone's caseload, with its next task of the given actors.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseloadCase {
    pub case: CaseKey,
    pub incapacity_start: Date,
    pub region: String,
    pub category: Option<u8>,
    pub next_task: Option<(String, Date)>,
}
