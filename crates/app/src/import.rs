//! `tnw import events`: parse every line into a typed event, validate it against the
//! case's history, drop what was already imported, store the rest.
//!
//! The file is parsed in parallel, grouped by case (so a case's events may be spread
//! over the file in any order), then processed in batches of cases: load what is
//! stored, decide per case (in parallel), write the batch in one transaction. A crash
//! loses at most the batch in flight, and re-running the import finishes the job
//! because already-stored events are recognised by their fingerprint.

use crate::audit::{entry, Action, Actor};
use crate::handle::App;
use crate::{AppError, Result};
use rayon::prelude::*;
use std::collections::HashMap;
use tnw_domain::event::{fingerprint, parse_line, Event};
use tnw_domain::validate::validate_sequence;
use tnw_domain::{CaseFacts, CaseKey, Date, RuleBook};
use tnw_storage::{
    AuditEntry, CaseSummary, CaseWrite, ImportLog, ImportRecord, ImportStore, StoredCase,
    StoredEvent,
};
use xxhash_rust::xxh3::Xxh3DefaultBuilder;

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

/// Splits `data` into about `n` pieces that end on line boundaries.
fn split_on_lines(data: &[u8], n: usize) -> Vec<&[u8]> {
    let target = (data.len() / n.max(1)).max(1 << 20);
    let mut pieces = Vec::new();
    let mut rest = data;
    while !rest.is_empty() {
        if rest.len() <= target {
            pieces.push(rest);
            break;
        }
        let cut = match rest[target..].iter().position(|&b| b == b'\n') {
            Some(i) => target + i + 1,
            None => rest.len(),
        };
        pieces.push(&rest[..cut]);
        rest = &rest[cut..];
    }
    pieces
}

/// Parses every line; returns the parsed events (in line order) and the rejections.
fn parse_all(data: &[u8]) -> (Vec<Parsed>, Vec<Rejection>, u64) {
    let data = data.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(data);
    let pieces = split_on_lines(data, rayon::current_num_threads() * 8);
    let line_counts: Vec<u64> = pieces
        .par_iter()
        .map(|p| {
            let n = p.iter().filter(|&&b| b == b'\n').count() as u64;
            n + u64::from(!p.is_empty() && !p.ends_with(b"\n"))
        })
        .collect();
    let mut first_line = Vec::with_capacity(pieces.len());
    let mut acc = 1u64;
    for n in &line_counts {
        first_line.push(acc);
        acc += n;
    }
    let results: Vec<(Vec<Parsed>, Vec<Rejection>, u64)> = pieces
        .par_iter()
        .zip(first_line)
        .map(|(piece, first)| {
            let mut ok = Vec::new();
            let mut bad = Vec::new();
            let mut nonblank = 0u64;
            let body = piece.strip_suffix(b"\n").unwrap_or(piece);
            for (i, raw) in body.split(|&b| b == b'\n').enumerate() {
                let line = first + i as u64;
                let raw = raw.strip_suffix(b"\r").unwrap_or(raw);
                if raw.iter().all(u8::is_ascii_whitespace) {
                    continue;
                }
                nonblank += 1;
                let text = match std::str::from_utf8(raw) {
                    Ok(t) => t,
                    Err(e) => {
                        bad.push(Rejection {
                            line,
                            reason: format!("not valid UTF-8 (byte {})", e.valid_up_to() + 1),
                        });
                        continue;
                    }
                };
                match parse_line(text) {
                    Ok(e) => ok.push(Parsed {
                        line,
                        case: e.case,
                        date: e.date,
                        event: e.event,
                    }),
                    Err(e) => bad.push(Rejection { line, reason: e.0 }),
                }
            }
            (ok, bad, nonblank)
        })
        .collect();
    let mut parsed = Vec::with_capacity(results.iter().map(|r| r.0.len()).sum());
    let mut rejected = Vec::new();
    let mut lines = 0;
    for (ok, bad, n) in results {
        parsed.extend(ok);
        rejected.extend(bad);
        lines += n;
    }
    (parsed, rejected, lines)
}

/// The audit entry of one import transaction: imports are recorded per batch (each
/// event also carries its import's id in the dossier's log).
fn import_audit(import_id: i64, events: usize, cases: usize) -> AuditEntry {
    entry(
        Actor::Import,
        Action::Import,
        format!("import #{import_id}: {events} events in {cases} dossiers"),
        "data exchange",
    )
}

/// Work for the store thread of an import.
enum StoreRequest {
    Load(Vec<CaseKey>),
    Write(i64, Vec<CaseWrite>),
}

/// What happens to one case's new lines.
#[derive(Default)]
pub(crate) struct CaseOutcome {
    pub(crate) write: Option<CaseWrite>,
    pub(crate) rejected: Vec<Rejection>,
    pub(crate) imported: u64,
    pub(crate) duplicates: u64,
}

/// One event in a case's merged history while deciding.
struct Slot<'a> {
    date: Date,
    seq: u32,
    event: &'a Event,
    /// Index into the new events, or `None` for a stored event.
    new: Option<usize>,
}

pub(crate) fn decide_case(
    book: &RuleBook,
    org: &str,
    key: &CaseKey,
    stored: Option<&StoredCase>,
    new: &[&Parsed],
) -> Result<CaseOutcome> {
    let mut out = CaseOutcome::default();
    let stored_events: Vec<(Date, u32, Event, u64)> = match stored {
        None => Vec::new(),
        Some(s) => s
            .events
            .iter()
            .map(|e| {
                Event::from_body(&e.body)
                    .map(|ev| (e.date, e.seq, ev, e.fingerprint))
                    .map_err(|err| {
                        AppError::Corrupt(format!("event {} of case {key} in {org}: {err}", e.seq))
                    })
            })
            .collect::<Result<_>>()?,
    };
    // Recognise lines already stored: the k-th copy of an event in this file is a
    // duplicate if the case already holds k copies (so a file that really has two
    // identical contacts on one day keeps both, and importing it again adds none).
    let mut bodies: Vec<String> = new.iter().map(|p| p.event.to_body()).collect();
    let fps: Vec<u64> = new
        .iter()
        .zip(&bodies)
        .map(|(p, b)| fingerprint(p.date, b))
        .collect();
    let mut seen: HashMap<u64, u32> = HashMap::new();
    let mut candidates: Vec<usize> = Vec::with_capacity(new.len());
    for (i, fp) in fps.iter().enumerate() {
        let k = seen.entry(*fp).or_insert(0);
        *k += 1;
        let stored_copies = stored_events.iter().filter(|e| e.3 == *fp).count() as u32;
        if *k <= stored_copies {
            out.duplicates += 1;
        } else {
            candidates.push(i);
        }
    }
    if candidates.is_empty() {
        return Ok(out);
    }
    let next_seq = stored_events.iter().map(|e| e.1).max().unwrap_or(0) + 1;
    // Validate the merged history; on failure drop the line to blame and try again.
    loop {
        let mut slots: Vec<Slot> = stored_events
            .iter()
            .map(|(d, s, e, _)| Slot {
                date: *d,
                seq: *s,
                event: e,
                new: None,
            })
            .chain(candidates.iter().enumerate().map(|(j, &i)| Slot {
                date: new[i].date,
                seq: next_seq + j as u32,
                event: &new[i].event,
                new: Some(i),
            }))
            .collect();
        slots.sort_by_key(|s| (s.date, s.seq));
        match validate_sequence(slots.iter().map(|s| (s.date, s.event))) {
            Ok(()) => {
                let facts = CaseFacts::from_events(slots.iter().map(|s| (s.date, s.event)))
                    .ok_or_else(|| {
                        AppError::Corrupt(format!("case {key} does not start with case_opened"))
                    })?;
                let tasks = crate::projection::open_tasks(&facts, book);
                let summary = summarise(&slots, facts)?;
                let events = candidates
                    .iter()
                    .enumerate()
                    .map(|(j, &i)| StoredEvent {
                        seq: next_seq + j as u32,
                        date: new[i].date,
                        kind: new[i].event.event_type(),
                        fingerprint: fps[i],
                        body: std::mem::take(&mut bodies[i]),
                    })
                    .collect::<Vec<_>>();
                out.imported = events.len() as u64;
                out.write = Some(CaseWrite {
                    key: key.clone(),
                    existing_id: stored.map(|s| s.id),
                    events,
                    summary,
                    tasks,
                });
                return Ok(out);
            }
            Err((pos, reason)) => {
                let blamed = match slots[pos].new {
                    Some(i) => (i, reason),
                    None => {
                        // A stored event became impossible: the newest line dated before it is to blame.
                        let culprit = slots[..pos].iter().rev().find_map(|s| s.new);
                        let Some(i) = culprit else {
                            return Err(AppError::Corrupt(format!(
                                "stored history of case {key} in {org} is not valid: {reason}"
                            )));
                        };
                        let s = &slots[pos];
                        (
                            i,
                            format!(
                                "it would make the stored {} of {} impossible ({reason})",
                                s.event.event_type(),
                                s.date
                            ),
                        )
                    }
                };
                out.rejected.push(Rejection {
                    line: new[blamed.0].line,
                    reason: format!("case {key}: {}", blamed.1),
                });
                candidates.retain(|&i| i != blamed.0);
                if candidates.is_empty() {
                    return Ok(out);
                }
            }
        }
    }
}

fn summarise(slots: &[Slot], facts: CaseFacts) -> Result<CaseSummary> {
    let Some(Event::CaseOpened(o)) = slots.first().map(|s| s.event) else {
        return Err(AppError::Corrupt(
            "history does not start with case_opened".into(),
        ));
    };
    let mut category = None;
    let mut ended = None;
    let mut assignee = None;
    let mut quick_scan_returned = None;
    for s in slots {
        match s.event {
            Event::CapacityAssessed { category: c } => category = Some(*c),
            Event::IncapacityEnded => ended = Some(s.date),
            Event::CaseAssigned { to } => assignee = Some(to.clone()),
            Event::QuickScanReturned { .. } => quick_scan_returned = Some(s.date),
            _ => {}
        }
    }
    Ok(CaseSummary {
        person_id: o.person.id.clone(),
        incapacity_start: o.incapacity_start,
        ended,
        scheme: o.scheme.as_str().into(),
        region: o.person.region.as_str().into(),
        language: o.person.language.as_str().into(),
        condition: o.condition.as_str().into(),
        category,
        assignee,
        quick_scan_returned,
        facts: facts.encode(),
    })
}

/// Imports JSON Lines events into `store`.
pub fn import_events<S: ImportStore + Send + ?Sized>(
    store: &mut S,
    book: &RuleBook,
    data: &[u8],
    opts: &ImportOptions,
    progress: &(dyn Fn(Progress) + Sync),
) -> Result<ImportReport> {
    let (parsed, mut rejected, lines) = parse_all(data);
    progress(Progress::Parsed { lines });
    let mut report = ImportReport {
        lines,
        ..Default::default()
    };
    if opts.strict && !rejected.is_empty() {
        rejected.sort_by_key(|r| r.line);
        rejected.truncate(1);
        report.rejected = rejected;
        return Ok(report);
    }
    // Group by case in order of first appearance.
    // xxh3 instead of SipHash: keys come from the file being imported, and a
    // million-case grouping is a hot loop.
    let mut index: HashMap<&CaseKey, usize, Xxh3DefaultBuilder> =
        HashMap::with_capacity_and_hasher(parsed.len() / 4, Xxh3DefaultBuilder::new());
    let mut groups: Vec<(&CaseKey, Vec<&Parsed>)> = Vec::new();
    for p in &parsed {
        let g = *index.entry(&p.case).or_insert_with(|| {
            groups.push((&p.case, Vec::new()));
            groups.len() - 1
        });
        groups[g].1.push(p);
    }
    drop(index);
    let total = groups.len() as u64;
    let record = ImportRecord {
        source: opts.source.clone(),
        strict: opts.strict,
        ..Default::default()
    };
    let import_id = if opts.strict {
        None
    } else {
        Some(store.begin_import(&opts.org, &record)?)
    };
    let mut strict_writes: Vec<CaseWrite> = Vec::new();
    let mut done = 0u64;
    let batches: Vec<&[(&CaseKey, Vec<&Parsed>)]> =
        groups.chunks(opts.batch_cases.max(1)).collect();
    let keys_of =
        |b: &[(&CaseKey, Vec<&Parsed>)]| b.iter().map(|(k, _)| (*k).clone()).collect::<Vec<_>>();
    // The store works on its own thread: while it writes batch k (and loads batch
    // k + 1, which holds other cases), this thread decides batch k + 1.
    let (req_tx, req_rx) = std::sync::mpsc::channel::<StoreRequest>();
    let (resp_tx, resp_rx) = std::sync::mpsc::channel::<Result<Vec<Option<StoredCase>>>>();
    let org = opts.org.as_str();
    let store_thread: &mut S = &mut *store;
    let outcome: Result<()> = std::thread::scope(|scope| {
        let worker = scope.spawn(move || -> Result<()> {
            for req in req_rx {
                match req {
                    StoreRequest::Load(keys) => {
                        if resp_tx
                            .send(store_thread.load_cases(org, &keys).map_err(AppError::from))
                            .is_err()
                        {
                            break;
                        }
                    }
                    StoreRequest::Write(id, writes) => {
                        let n: usize = writes.iter().map(|w| w.events.len()).sum();
                        let audit = import_audit(id, n, writes.len());
                        store_thread
                            .write_cases(org, Some(id), &writes, &[(None, audit)])
                            .map_err(import_write_error)?
                    }
                }
            }
            Ok(())
        });
        let main = (|| -> Result<()> {
            let send = |r: StoreRequest| {
                req_tx
                    .send(r)
                    .map_err(|_| AppError::Corrupt("the store thread stopped".into()))
            };
            if let Some(first) = batches.first() {
                send(StoreRequest::Load(keys_of(first)))?;
            }
            for (i, batch) in batches.iter().enumerate() {
                let stored = resp_rx
                    .recv()
                    .map_err(|_| AppError::Corrupt("the store thread stopped".into()))??;
                if let Some(next) = batches.get(i + 1) {
                    send(StoreRequest::Load(keys_of(next)))?;
                }
                let outcomes: Vec<CaseOutcome> = batch
                    .par_iter()
                    .zip(stored.par_iter())
                    .map(|((key, lines), stored)| {
                        decide_case(book, org, key, stored.as_ref(), lines)
                    })
                    .collect::<Result<_>>()?;
                let mut writes = Vec::with_capacity(outcomes.len());
                for o in outcomes {
                    report.imported += o.imported;
                    report.duplicates += o.duplicates;
                    rejected.extend(o.rejected);
                    if let Some(w) = o.write {
                        if w.existing_id.is_some() {
                            report.cases_updated += 1;
                        } else {
                            report.cases_created += 1;
                        }
                        writes.push(w);
                    }
                }
                if opts.strict {
                    if !rejected.is_empty() {
                        break;
                    }
                    strict_writes.extend(writes);
                } else if let Some(id) = import_id {
                    send(StoreRequest::Write(id, writes))?;
                }
                done += batch.len() as u64;
                progress(Progress::Cases { done, total });
            }
            Ok(())
        })();
        drop(req_tx);
        let stored = worker
            .join()
            .unwrap_or_else(|_| Err(AppError::Corrupt("the store thread panicked".into())));
        // A storage error explains a stopped main loop better than the main loop's own.
        stored.and(main)
    });
    outcome?;
    rejected.sort_by_key(|r| r.line);
    if opts.strict {
        if !rejected.is_empty() {
            rejected.truncate(1);
            report.rejected = rejected;
            report.imported = 0;
            report.cases_created = 0;
            report.cases_updated = 0;
            return Ok(report);
        }
        let id = store.begin_import(&opts.org, &record)?;
        let audit = import_audit(id, report.imported as usize, strict_writes.len());
        store
            .write_cases(&opts.org, Some(id), &strict_writes, &[(None, audit)])
            .map_err(import_write_error)?;
        finish(store, id, &mut report, record)?;
    } else if let Some(id) = import_id {
        report.rejected = rejected;
        finish(store, id, &mut report, record)?;
    }
    Ok(report)
}

fn finish<S: ImportLog + ?Sized>(
    store: &mut S,
    id: i64,
    report: &mut ImportReport,
    record: ImportRecord,
) -> Result<()> {
    report.committed = true;
    store.finish_import(
        id,
        &ImportRecord {
            lines: report.lines,
            imported: report.imported,
            duplicates: report.duplicates,
            rejected: report.rejected.len() as u64,
            ..record
        },
    )?;
    Ok(())
}

/// An import racing another writer (a server recording events in the same dossiers):
/// the batch is refused whole, and running the import again finishes the job.
fn import_write_error(e: tnw_storage::StorageError) -> AppError {
    match e {
        tnw_storage::StorageError::Conflict(key) => AppError::Concurrent(format!(
            "dossier {key} was changed by another writer during this import, so the batch \
             holding it was not stored; run the import again (lines already stored are \
             recognised and skipped)"
        )),
        e => AppError::Storage(e),
    }
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
