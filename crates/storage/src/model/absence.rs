//! Employers' lists of their absent workers: what the store is asked and returns.

use tnw_domain::{CaseKey, Date};

/// The dossiers an employer's absence list may hold: its employees' dossiers whose
/// incapacity began on or before `started_by` and had not ended (`incapacity_ended`)
/// on or before `absent_on` (`tnw_domain::absence::candidates`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AbsenceQuery {
    /// The employer's id as the dossiers' `case_opened` names it.
    pub employer_id: String,
    pub started_by: Date,
    pub absent_on: Date,
}

/// One dossier of an absence list's candidates: its facts (when the absence began and
/// ended) and the body of its `case_opened` (whose worker).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AbsenceRow {
    pub case: CaseKey,
    pub facts: Vec<u8>,
    /// The canonical body of the dossier's `case_opened` event.
    pub opened: String,
}
