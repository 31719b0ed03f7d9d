//! The import pipeline: group the parsed lines by case, then, batch by batch, load
//! what is stored, decide each case (in parallel) and write the batch in one
//! transaction. The store works on its own thread: while it writes batch k (and loads
//! batch k + 1, which holds other cases), the calling thread decides batch k + 1.

use super::decide::{decide_case, CaseOutcome};
use super::parse::parse_all;
use super::{ImportOptions, ImportReport, Parsed, Progress, Rejection};
use crate::audit::{entry, Action, Actor};
use crate::{AppError, Result};
use rayon::prelude::*;
use std::collections::HashMap;
use std::sync::mpsc::{Receiver, Sender};
use tnw_domain::{CaseKey, RuleBook};
use tnw_storage::{AuditEntry, CaseWrite, ImportLog, ImportRecord, ImportStore, StoredCase};
use xxhash_rust::xxh3::Xxh3DefaultBuilder;

/// One case's key and its new lines, in file order.
type Group<'a> = (&'a CaseKey, Vec<&'a Parsed>);

/// Work for the store thread of an import.
enum StoreRequest {
    Load(Vec<CaseKey>),
    Write(i64, Vec<CaseWrite>),
}

/// What the store thread answers to a load.
type Loaded = Result<Vec<Option<StoredCase>>>;

/// What the deciding thread works through.
struct Job<'a> {
    book: &'a RuleBook,
    opts: &'a ImportOptions,
    /// `None` for a strict import, which begins its import record only at the end.
    import_id: Option<i64>,
    groups: &'a [Group<'a>],
    progress: &'a (dyn Fn(Progress) + Sync),
}

/// What the deciding thread gathers over the batches.
#[derive(Default)]
struct Tally {
    report: ImportReport,
    rejected: Vec<Rejection>,
    /// A strict import's writes, held back until the whole file is known to be valid.
    held: Vec<CaseWrite>,
}

/// Imports JSON Lines events into `store`.
pub fn import_events<S: ImportStore + Send + ?Sized>(
    store: &mut S,
    book: &RuleBook,
    data: &[u8],
    opts: &ImportOptions,
    progress: &(dyn Fn(Progress) + Sync),
) -> Result<ImportReport> {
    let (parsed, rejected, lines) = parse_all(data);
    progress(Progress::Parsed { lines });
    let mut tally = Tally {
        report: ImportReport {
            lines,
            ..Default::default()
        },
        rejected,
        held: Vec::new(),
    };
    if opts.strict && !tally.rejected.is_empty() {
        return Ok(tally.refused());
    }
    let groups = group_by_case(&parsed);
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
    let org = opts.org.as_str();
    let (req_tx, req_rx) = std::sync::mpsc::channel::<StoreRequest>();
    let (resp_tx, resp_rx) = std::sync::mpsc::channel::<Loaded>();
    let store_thread: &mut S = &mut *store;
    std::thread::scope(|scope| {
        let worker = scope.spawn(move || serve(store_thread, org, req_rx, resp_tx));
        let job = Job {
            book,
            opts,
            import_id,
            groups: &groups,
            progress,
        };
        let main = decide_batches(&job, &req_tx, &resp_rx, &mut tally);
        drop(req_tx);
        let stored = worker
            .join()
            .unwrap_or_else(|_| Err(AppError::Corrupt("the store thread panicked".into())));
        // A storage error explains a stopped main loop better than the main loop's own.
        stored.and(main)
    })?;
    tally.rejected.sort_by_key(|r| r.line);
    if let Some(id) = import_id {
        tally.report.rejected = std::mem::take(&mut tally.rejected);
        finish(store, id, &mut tally.report, record)?;
    } else {
        // Strict: the file was valid throughout; its writes go in now, in one call.
        if !tally.rejected.is_empty() {
            return Ok(tally.refused());
        }
        let id = store.begin_import(&opts.org, &record)?;
        let audit = import_audit(id, tally.report.imported as usize, tally.held.len());
        store
            .write_cases(&opts.org, Some(id), &tally.held, &[(None, audit)])
            .map_err(import_write_error)?;
        finish(store, id, &mut tally.report, record)?;
    }
    Ok(tally.report)
}

impl Tally {
    /// The report of a strict import refused at its first rejected line: nothing
    /// stored.
    fn refused(mut self) -> ImportReport {
        self.rejected.sort_by_key(|r| r.line);
        self.rejected.truncate(1);
        ImportReport {
            rejected: self.rejected,
            imported: 0,
            cases_created: 0,
            cases_updated: 0,
            ..self.report
        }
    }

    /// Counts one batch's outcomes and returns its writes.
    fn add(&mut self, outcomes: Vec<CaseOutcome>) -> Vec<CaseWrite> {
        let mut writes = Vec::with_capacity(outcomes.len());
        for o in outcomes {
            self.report.imported += o.imported;
            self.report.duplicates += o.duplicates;
            self.rejected.extend(o.rejected);
            if let Some(w) = o.write {
                if w.existing_id.is_some() {
                    self.report.cases_updated += 1;
                } else {
                    self.report.cases_created += 1;
                }
                writes.push(w);
            }
        }
        writes
    }
}

/// The lines grouped by case, in order of each case's first line.
fn group_by_case(parsed: &[Parsed]) -> Vec<Group<'_>> {
    // xxh3 instead of SipHash: keys come from the file being imported, and a
    // million-case grouping is a hot loop.
    let mut index: HashMap<&CaseKey, usize, Xxh3DefaultBuilder> =
        HashMap::with_capacity_and_hasher(parsed.len() / 4, Xxh3DefaultBuilder::new());
    let mut groups: Vec<Group> = Vec::new();
    for p in parsed {
        let g = *index.entry(&p.case).or_insert_with(|| {
            groups.push((&p.case, Vec::new()));
            groups.len() - 1
        });
        groups[g].1.push(p);
    }
    groups
}

/// The store thread: loads and writes as asked, until the deciding thread hangs up.
fn serve<S: ImportStore + ?Sized>(
    store: &mut S,
    org: &str,
    requests: Receiver<StoreRequest>,
    loaded: Sender<Loaded>,
) -> Result<()> {
    for req in requests {
        match req {
            StoreRequest::Load(keys) => {
                if loaded
                    .send(store.load_cases(org, &keys).map_err(AppError::from))
                    .is_err()
                {
                    break;
                }
            }
            StoreRequest::Write(id, writes) => {
                let n: usize = writes.iter().map(|w| w.events.len()).sum();
                let audit = import_audit(id, n, writes.len());
                store
                    .write_cases(org, Some(id), &writes, &[(None, audit)])
                    .map_err(import_write_error)?
            }
        }
    }
    Ok(())
}

/// The deciding thread: for each batch, takes what the store loaded, asks for the
/// next batch, decides the cases and sends the writes (or holds them, when strict).
fn decide_batches(
    job: &Job,
    requests: &Sender<StoreRequest>,
    loaded: &Receiver<Loaded>,
    tally: &mut Tally,
) -> Result<()> {
    let Job {
        book,
        opts,
        import_id,
        groups,
        progress,
    } = *job;
    let stopped = || AppError::Corrupt("the store thread stopped".into());
    let send = |r: StoreRequest| requests.send(r).map_err(|_| stopped());
    let keys_of = |b: &[Group]| b.iter().map(|(k, _)| (*k).clone()).collect::<Vec<_>>();
    let batches: Vec<&[Group]> = groups.chunks(opts.batch_cases.max(1)).collect();
    let total = groups.len() as u64;
    let mut done = 0u64;
    if let Some(first) = batches.first() {
        send(StoreRequest::Load(keys_of(first)))?;
    }
    for (i, batch) in batches.iter().enumerate() {
        let stored = loaded.recv().map_err(|_| stopped())??;
        if let Some(next) = batches.get(i + 1) {
            send(StoreRequest::Load(keys_of(next)))?;
        }
        let outcomes: Vec<CaseOutcome> = batch
            .par_iter()
            .zip(stored.par_iter())
            .map(|((key, lines), stored)| decide_case(book, &opts.org, key, stored.as_ref(), lines))
            .collect::<Result<_>>()?;
        let writes = tally.add(outcomes);
        match import_id {
            Some(id) => send(StoreRequest::Write(id, writes))?,
            None if !tally.rejected.is_empty() => break,
            None => tally.held.extend(writes),
        }
        done += batch.len() as u64;
        progress(Progress::Cases { done, total });
    }
    Ok(())
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
