//! Rows of the bulk scans: the due sweep and the figures.

use tnw_domain::CaseKey;

/// One row of the due sweep: the case and its facts blob.
#[derive(Debug, Clone)]
pub struct FactsRow {
    pub id: i64,
    pub key: CaseKey,
    pub facts: Vec<u8>,
}

/// One dossier for the figures: its fund (an opaque number), member, where, and facts.
#[derive(Debug, Clone)]
pub struct FigureRow {
    pub fund: i64,
    pub person_id: String,
    pub region: String,
    pub condition: String,
    pub facts: Vec<u8>,
}
