//! `tnw import events`: parse every line into a typed event, validate it against the
//! case's history, drop what was already imported, store the rest.
//!
//! The file is parsed in parallel ([`parse`]), grouped by case (so a case's events may
//! be spread over the file in any order), then processed in batches of cases ([`run`]):
//! load what is stored, decide per case in parallel ([`decide`]), write the batch in
//! one transaction. A crash loses at most the batch in flight, and re-running the
//! import finishes the job because already-stored events are recognised by their
//! fingerprint.

mod decide;
mod parse;
mod run;

pub(crate) use decide::decide_case;
pub use run::import_events;

use crate::handle::App;
use crate::Result;
use tnw_domain::event::Event;
use tnw_domain::{CaseKey, Date};

#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// The fund the events belong to.
    pub org: String,
    /// Reject the whole file on the first error.
    pub strict: bool,
    /// Where the events came from (file name), recorded with the import.
    pub source: String,
    /// Cases per transaction.
    pub batch_cases: usize,
}

impl Default for ImportOptions {
    fn default() -> Self {
        ImportOptions {
            org: "default".into(),
            strict: false,
            source: String::new(),
            batch_cases: 20_000,
        }
    }
}

/// A rejected line: where and why.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Rejection {
    pub line: u64,
    pub reason: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct ImportReport {
    /// Non-blank lines read.
    pub lines: u64,
    /// Events stored by this run.
    pub imported: u64,
    /// Lines already stored (a re-import); not stored again.
    pub duplicates: u64,
    pub cases_created: u64,
    pub cases_updated: u64,
    /// In line order.
    pub rejected: Vec<Rejection>,
    /// False when `--strict` refused the file: nothing was stored.
    pub committed: bool,
}

/// Progress of a long import, for a progress bar.
#[derive(Debug, Clone, Copy)]
pub enum Progress {
    Parsed { lines: u64 },
    Cases { done: u64, total: u64 },
}

pub(crate) struct Parsed {
    pub(crate) line: u64,
    pub(crate) case: CaseKey,
    pub(crate) date: Date,
    pub(crate) event: Event,
}

impl App {
    /// Imports JSON Lines events (docs/events.md) into the database.
    pub fn import_events(
        &self,
        data: &[u8],
        opts: &ImportOptions,
        progress: &(dyn Fn(Progress) + Sync),
    ) -> Result<ImportReport> {
        self.primary(|st, book| import_events(st, book, data, opts, progress))
    }
}
