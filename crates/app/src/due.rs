//! `tnw due`: the sweep over every dossier for the tasks open or overdue on a date.

use crate::handle::App;
use crate::{AppError, Result};
use rayon::prelude::*;
use tnw_domain::{evaluate, CaseFacts, CaseKey, Date, RuleBook, RuleSet};
use tnw_storage::Scans;

/// One open or overdue task.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueTask<'b> {
    pub case: CaseKey,
    pub task: &'b str,
    /// The rule that set it (R1 …).
    pub rule: &'b str,
    pub due: Date,
    /// `open` or `overdue`.
    pub state: &'static str,
}

impl DueTask<'_> {
    /// The docs/domain.md 7.2 line: `{"case":…,"task":…,"due":…,"state":…}`.
    pub fn write_json(&self, out: &mut String) {
        use std::fmt::Write;
        out.push_str("{\"case\":");
        out.push_str(self.case.token());
        out.push_str(",\"task\":");
        // Task codes are our own identifiers ([a-z0-9_]); serde_json escapes anyway.
        out.push_str(&serde_json::Value::from(self.task).to_string());
        let _ = write!(
            out,
            ",\"due\":\"{}\",\"state\":\"{}\"}}",
            self.due, self.state
        );
    }
}

/// Sweeps every case of `org` (all funds when `None`) and hands the due tasks, chunk
/// by chunk in case order, to `sink`. Returns how many cases were swept.
pub fn sweep<'b, S: Scans + ?Sized>(
    store: &mut S,
    book: &'b RuleBook,
    org: Option<&str>,
    as_of: Date,
    forced: Option<&'b RuleSet>,
    sink: &mut dyn FnMut(Vec<DueTask<'b>>) -> Result<()>,
) -> Result<u64> {
    let mut cases = 0u64;
    let mut failure: Option<AppError> = None;
    store
        .scan_facts(org, 32_768, &mut |rows| {
            cases += rows.len() as u64;
            let per_case: Vec<Result<Vec<DueTask<'b>>>> = rows
                .into_par_iter()
                .map_init(Vec::new, |scratch, row| {
                    let facts = CaseFacts::decode(&row.facts)
                        .map_err(|e| AppError::Corrupt(format!("case {}: {e}", row.key)))?;
                    scratch.clear();
                    evaluate(&facts, book, as_of, forced, scratch);
                    let mut tasks: Vec<DueTask<'b>> = Vec::new();
                    for item in scratch.iter() {
                        if let Some(state) = item.status.due_state() {
                            tasks.push(DueTask {
                                case: row.key.clone(),
                                task: &item.rule.code,
                                rule: &item.rule.id,
                                due: item.due,
                                state,
                            });
                        }
                    }
                    Ok(tasks)
                })
                .collect();
            let mut chunk = Vec::new();
            for r in per_case {
                match r {
                    Ok(t) => chunk.extend(t),
                    Err(e) => {
                        failure = Some(e);
                        return Err(tnw_storage::StorageError::Invalid("sweep stopped".into()));
                    }
                }
            }
            sink(chunk).map_err(|e| {
                let msg = e.to_string();
                failure = Some(e);
                tnw_storage::StorageError::Invalid(msg)
            })
        })
        .map_err(|e| failure.take().unwrap_or(AppError::Storage(e)))?;
    Ok(cases)
}

impl App {
    /// Sweeps every dossier of `org` (all funds when `None`) as of `as_of`, handing the
    /// due tasks to `sink` chunk by chunk; `rules` forces one rule set (a what-if).
    /// Returns how many dossiers were swept.
    pub fn due_sweep(
        &self,
        org: Option<&str>,
        as_of: Date,
        rules: Option<&str>,
        sink: &mut dyn FnMut(Vec<DueTask<'_>>) -> Result<()>,
    ) -> Result<u64> {
        self.primary(|st, book| {
            let forced = rules.map(|n| book.get(n)).transpose()?;
            sweep(st, book, org, as_of, forced, sink)
        })
    }
}
