//! The storage interface. The application layer only talks to [`Store`]; each backend
//! (SQLite today, PostgreSQL next) is its own crate implementing it and passes the
//! same conformance suite (`tnw-storage-sqlite/tests/conformance.rs` calls
//! [`conformance`]).
//!
//! Every table that holds dossier data carries the fund (`org`) it belongs to, and
//! every read takes the org: there is no way to ask for "a case" without saying whose.

pub mod conformance;

use tnw_domain::event::EventType;
use tnw_domain::{CaseKey, Date};

#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    #[error("database error: {0}")]
    Backend(String),
    #[error("the database holds data this version cannot read: {0}")]
    Corrupt(String),
    #[error("the database schema is version {found}, newer than this program's {supported}; upgrade tnw")]
    TooNew { found: i64, supported: i64 },
    #[error("{0}")]
    Invalid(String),
}

pub type Result<T> = std::result::Result<T, StorageError>;

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
    /// [`tnw_domain::CaseFacts::encode`]: what the deadline engine reads.
    pub facts: Vec<u8>,
}

/// New events for one case, with the case's recomputed summary.
#[derive(Debug, Clone)]
pub struct CaseWrite {
    pub key: CaseKey,
    /// `None` for a case that does not exist yet.
    pub existing_id: Option<i64>,
    pub events: Vec<StoredEvent>,
    pub summary: CaseSummary,
}

/// The record of one import run.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportRecord {
    pub source: String,
    pub strict: bool,
    pub lines: u64,
    pub imported: u64,
    pub duplicates: u64,
    pub rejected: u64,
}

/// One row of the due sweep: the case and its facts blob.
#[derive(Debug, Clone)]
pub struct FactsRow {
    pub id: i64,
    pub key: CaseKey,
    pub facts: Vec<u8>,
}

/// Counts for `tnw status` and tests.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub cases: u64,
    pub events: u64,
    pub imports: u64,
}

/// The narrow storage contract. Writes are atomic per call: either every case of a
/// `write_cases` call is stored, or none.
pub trait Store: Send {
    /// Loads the stored cases among `keys` (same order; `None` where unknown).
    fn load_cases(&mut self, org: &str, keys: &[CaseKey]) -> Result<Vec<Option<StoredCase>>>;

    /// Starts an import record and returns its id.
    fn begin_import(&mut self, org: &str, record: &ImportRecord) -> Result<i64>;

    /// Stores new cases and events of one import atomically.
    fn write_cases(&mut self, org: &str, import_id: i64, cases: &[CaseWrite]) -> Result<()>;

    /// Completes an import record with its final counts.
    fn finish_import(&mut self, import_id: i64, record: &ImportRecord) -> Result<()>;

    /// Streams every case's facts, in case order, `chunk` rows at a time (all funds
    /// when `org` is `None`: the nightly sweep of a multi-fund installation).
    fn scan_facts(
        &mut self,
        org: Option<&str>,
        chunk: usize,
        f: &mut dyn FnMut(Vec<FactsRow>) -> Result<()>,
    ) -> Result<()>;

    fn counts(&mut self, org: Option<&str>) -> Result<Counts>;
}
