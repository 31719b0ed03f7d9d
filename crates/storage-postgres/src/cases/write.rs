//! Every write but one existing dossier's (imports, new dossiers, re-imports, batches
//! of the command line): one transaction of named steps, in this order: the new
//! dossiers (by `COPY` for an import's batch), each case's id and, for existing ones,
//! its summary and log, the multi-row updates of existing ones, the new logs (`COPY`),
//! the open tasks, the audit entries, the commit.

use super::columns::{SummaryColumns, TaskColumns, CASE_TYPES, LOG_TYPES, TASK_TYPES};
use super::{append_refused, event_count, expected_events, FEW_CASES, FEW_TASKS};
use crate::audit::{AuditAppender, APPEND_AUDIT};
use crate::connection::db;
use crate::rows::Col;
use crate::tx::Tx;
use crate::PgStore;
use postgres::binary_copy::BinaryCopyInWriter;
use postgres::{Client, Statement};
use std::collections::{HashMap, HashSet};
use tnw_domain::CaseKey;
use tnw_storage::log;
use tnw_storage::{AuditEntry, CaseWrite, Result, StorageError};

const COPY_CASES: &str = "COPY cases (id, org_id, key, person_id, incapacity_start, ended, scheme,
                                 region, language, condition, category, facts, assignee,
                                 quick_scan_returned, employer_id)
                     FROM STDIN BINARY";

const COPY_LOGS: &str = "COPY case_logs (case_id, org_id, events, log) FROM STDIN BINARY";

const COPY_TASKS: &str = "COPY tasks (case_id, org_id, code, actor, rule, window_start, due,
                                 case_key, region, category, quick_scan_returned)
                     FROM STDIN BINARY";

/// The statements of a batch write, prepared before its transaction begins.
struct Statements {
    insert_cases: Statement,
    update_case: Statement,
    append_log: Statement,
    update_cases: Statement,
    append_logs: Statement,
    delete_tasks: Statement,
    replace_tasks: Statement,
    next_case_ids: Statement,
    append_audit: Statement,
}

impl Statements {
    fn prepare(store: &mut PgStore) -> Result<Statements> {
        let insert_cases = store.prep(
            "INSERT INTO cases (org_id, key, person_id, incapacity_start, ended, scheme, region,
                                language, condition, category, facts, assignee, quick_scan_returned,
                                employer_id)
             SELECT $1, u.key, u.person_id, u.start, u.ended, u.scheme, u.region, u.language,
                    u.condition, u.category, u.facts, u.assignee, u.returned, u.employer
             FROM unnest($2::text[], $3::text[], $4::date[], $5::date[], $6::text[], $7::text[],
                         $8::text[], $9::text[], $10::smallint[], $11::bytea[], $12::text[],
                         $13::date[], $14::text[])
                  WITH ORDINALITY AS u(key, person_id, start, ended, scheme, region, language,
                                       condition, category, facts, assignee, returned, employer,
                                       ord)
             ORDER BY u.ord
             RETURNING id, key",
        )?;
        let update_case = store.prep(
            "UPDATE cases SET person_id = $3, incapacity_start = $4, ended = $5, scheme = $6,
                    region = $7, language = $8, condition = $9, category = $10, facts = $11,
                    assignee = $12, quick_scan_returned = $13, updated_at = now()
             WHERE id = $1 AND org_id = $2",
        )?;
        // Appending keeps every stored entry byte for byte: the log is append-only.
        let append_log = store.prep(
            "UPDATE case_logs SET log = left(log, -1) || $3, events = events + $4
             WHERE case_id = $1 AND org_id = $2 AND events = $5",
        )?;
        // The same two writes for many existing cases at once (a re-import appending to
        // many dossiers): one statement each instead of one per case.
        let update_cases = store.prep(
            "UPDATE cases c SET person_id = u.person_id, incapacity_start = u.start,
                    ended = u.ended, scheme = u.scheme, region = u.region,
                    language = u.language, condition = u.condition, category = u.category,
                    facts = u.facts, assignee = u.assignee, quick_scan_returned = u.returned,
                    updated_at = now()
             FROM unnest($2::bigint[], $3::text[], $4::date[], $5::date[], $6::text[],
                         $7::text[], $8::text[], $9::text[], $10::smallint[], $11::bytea[],
                         $12::text[], $13::date[])
                  AS u(id, person_id, start, ended, scheme, region, language, condition,
                       category, facts, assignee, returned)
             WHERE c.id = u.id AND c.org_id = $1
             RETURNING c.id",
        )?;
        let append_logs = store.prep(
            "UPDATE case_logs l SET log = left(l.log, -1) || u.tail, events = l.events + u.n
             FROM unnest($2::bigint[], $3::text[], $4::integer[], $5::integer[])
                  AS u(case_id, tail, n, expected)
             WHERE l.case_id = u.case_id AND l.org_id = $1 AND l.events = u.expected
             RETURNING l.case_id",
        )?;
        let delete_tasks = store.prep("DELETE FROM tasks WHERE case_id = ANY($1)")?;
        let replace_tasks = store.prep(
            "WITH gone AS (DELETE FROM tasks WHERE case_id = ANY($1))
             INSERT INTO tasks (case_id, org_id, code, actor, rule, window_start, due,
                                case_key, region, category, quick_scan_returned)
             SELECT u.case_id, $2, u.code, u.actor, u.rule, u.window_start, u.due, u.key,
                    u.region, u.category, u.returned
             FROM unnest($3::bigint[], $4::text[], $5::text[], $6::text[], $7::date[],
                         $8::date[], $9::text[], $10::text[], $11::smallint[], $12::date[])
                  AS u(case_id, code, actor, rule, window_start, due, key, region, category,
                       returned)",
        )?;
        let next_case_ids =
            store.prep("SELECT nextval('cases_id_seq') FROM generate_series(1, $1::bigint)")?;
        let append_audit = store.prep(APPEND_AUDIT)?;
        Ok(Statements {
            insert_cases,
            update_case,
            append_log,
            update_cases,
            append_logs,
            delete_tasks,
            replace_tasks,
            next_case_ids,
            append_audit,
        })
    }
}

/// The appends to existing logs collected for the multi-row statement, one array per
/// column.
#[derive(Default)]
struct Appends {
    case: Vec<i64>,
    tail: Vec<String>,
    n: Vec<i32>,
    expected: Vec<i32>,
}

/// One batch write under way: what it writes, and what the steps collect for the
/// later ones.
struct Batch<'c> {
    org: &'c str,
    org_id: i64,
    import: i64,
    cases: &'c [CaseWrite],
    st: Statements,
    /// Every case of the batch with its id, in batch order.
    ids: Vec<(&'c CaseKey, i64)>,
    /// The existing cases, whose open tasks are replaced.
    replaced: Vec<i64>,
    /// Existing cases for the multi-row summary update.
    upd: Vec<&'c CaseWrite>,
    /// Appends to existing logs for the multi-row statement.
    app: Appends,
    /// New cases' logs for `COPY`: the id, the number of events and the case.
    new_logs: Vec<(i64, i32, &'c CaseWrite)>,
    /// Where logs are written out, reused from one case to the next.
    buf: String,
}

impl PgStore {
    /// Writes `cases` and `audit` in one transaction (any call but the one-dossier
    /// write): one named step after the other, each a statement or a `COPY`.
    pub(super) fn write_batch(
        &mut self,
        org: &str,
        org_id: i64,
        import: i64,
        cases: &[CaseWrite],
        audit: &[(Option<CaseKey>, AuditEntry)],
    ) -> Result<()> {
        let st = Statements::prepare(self)?;
        let mut tx = Tx::begin(&mut self.client)?;
        let mut b = Batch {
            org,
            org_id,
            import,
            cases,
            st,
            ids: Vec::with_capacity(cases.len()),
            replaced: Vec::new(),
            upd: Vec::new(),
            app: Appends::default(),
            new_logs: Vec::new(),
            buf: String::with_capacity(4096),
        };
        let new_ids = b.insert_new_cases(&mut tx)?;
        b.write_each_case(&mut tx, &new_ids)?;
        b.update_summaries(&mut tx)?;
        b.append_many(&mut tx)?;
        b.copy_new_logs(&mut tx)?;
        b.write_tasks(&mut tx)?;
        if b.append_audit(&mut tx, audit)? {
            return tx.commit_chained();
        }
        tx.commit()
    }
}

impl<'c> Batch<'c> {
    /// New cases: a few with one statement, many (an import's batch) by COPY. Returns
    /// their ids by key.
    fn insert_new_cases(&self, tx: &mut Client) -> Result<HashMap<&'c str, i64>> {
        let new: Vec<&'c CaseWrite> = self
            .cases
            .iter()
            .filter(|c| c.existing_id.is_none())
            .collect();
        let mut new_ids: HashMap<&'c str, i64> = HashMap::with_capacity(new.len());
        if new.len() > FEW_CASES {
            self.copy_new_cases(tx, &new, &mut new_ids)?;
        } else if !new.is_empty() {
            self.insert_few_cases(tx, &new, &mut new_ids)?;
        }
        Ok(new_ids)
    }

    /// The import's batches: ids drawn from the sequence, then the rows by binary
    /// COPY, which inserts heap rows in groups and skips a statement's per-row
    /// executor work (measured at 1,000,000 dossiers: 16 s of server time in the array
    /// INSERT of [`Self::insert_few_cases`], see docs/performance.md).
    fn copy_new_cases(
        &self,
        tx: &mut Client,
        new: &[&'c CaseWrite],
        new_ids: &mut HashMap<&'c str, i64>,
    ) -> Result<()> {
        let count =
            i64::try_from(new.len()).map_err(|_| StorageError::Invalid("too many cases".into()))?;
        let rows = tx.query(&self.st.next_case_ids, &[&count]).map_err(db)?;
        if rows.len() != new.len() {
            return Err(StorageError::Backend(format!(
                "{} case ids asked for, {} drawn",
                new.len(),
                rows.len()
            )));
        }
        let sink = tx.copy_in(COPY_CASES).map_err(db)?;
        let mut w = BinaryCopyInWriter::new(sink, &CASE_TYPES);
        for (r, c) in rows.iter().zip(new) {
            let id: i64 = r.col(0)?;
            let s = &c.summary;
            w.write(&[
                &id,
                &self.org_id,
                &c.key.token(),
                &s.person_id,
                &s.incapacity_start,
                &s.ended,
                &s.scheme,
                &s.region,
                &s.language,
                &s.condition,
                &s.category.map(i16::from),
                &s.facts,
                &s.assignee,
                &s.quick_scan_returned,
                &s.employer_id,
            ])
            .map_err(db)?;
            new_ids.insert(c.key.token(), id);
        }
        w.finish().map_err(db)?;
        Ok(())
    }

    /// A few new cases with one `INSERT … RETURNING`.
    fn insert_few_cases(
        &self,
        tx: &mut Client,
        new: &[&'c CaseWrite],
        new_ids: &mut HashMap<&'c str, i64>,
    ) -> Result<()> {
        let keys: Vec<&str> = new.iter().map(|c| c.key.token()).collect();
        let cols = SummaryColumns::of(new);
        let rows = tx
            .query(
                &self.st.insert_cases,
                &cols.insert_params(&self.org_id, &keys),
            )
            .map_err(db)?;
        // RETURNING follows the sorted insert; checked, as ids are matched by position.
        if rows.len() != new.len() {
            return Err(StorageError::Backend(format!(
                "{} new cases stored, {} returned",
                new.len(),
                rows.len()
            )));
        }
        for (r, c) in rows.iter().zip(new) {
            let key: &str = r.col(1)?;
            if key != c.key.token() {
                return Err(StorageError::Backend(
                    "new cases came back out of order".into(),
                ));
            }
            new_ids.insert(c.key.token(), r.col(0)?);
        }
        Ok(())
    }

    /// Every case in batch order: its id, and for an existing case its summary and
    /// appended events, by one statement each or collected for the multi-row
    /// statements.
    fn write_each_case(&mut self, tx: &mut Client, new_ids: &HashMap<&str, i64>) -> Result<()> {
        // Existing cases go through the multi-row updates unless one appears twice in
        // the batch (an UPDATE … FROM applies one source row per target row): then one
        // statement per case, in batch order.
        let existing: Vec<i64> = self.cases.iter().filter_map(|c| c.existing_id).collect();
        // One existing case (the API's write) goes through the single-row statements,
        // whose plans the server caches; the array forms are planned on every call.
        let bulk =
            existing.len() > 1 && existing.iter().collect::<HashSet<_>>().len() == existing.len();
        let cases = self.cases;
        for c in cases {
            let id = match c.existing_id {
                None => *new_ids
                    .get(c.key.token())
                    .ok_or_else(|| StorageError::Backend(format!("case {} not stored", c.key)))?,
                Some(id) if bulk => {
                    self.upd.push(c);
                    self.replaced.push(id);
                    id
                }
                Some(id) => {
                    self.update_one(tx, c, id)?;
                    self.replaced.push(id);
                    id
                }
            };
            self.ids.push((&c.key, id));
            if c.events.is_empty() {
                continue;
            }
            let n = event_count(c)?;
            if c.existing_id.is_none() {
                // Written out while the COPY of the new logs streams (the server stores
                // one while this thread writes the next).
                self.new_logs.push((id, n, c));
            } else {
                self.append_one(tx, c, id, n, bulk)?;
            }
        }
        Ok(())
    }

    /// One existing case's summary, by the single-row statement.
    fn update_one(&self, tx: &mut Client, c: &CaseWrite, id: i64) -> Result<()> {
        let s = &c.summary;
        let n = tx
            .execute(
                &self.st.update_case,
                &[
                    &id,
                    &self.org_id,
                    &s.person_id,
                    &s.incapacity_start,
                    &s.ended,
                    &s.scheme,
                    &s.region,
                    &s.language,
                    &s.condition,
                    &s.category.map(i16::from),
                    &s.facts,
                    &s.assignee,
                    &s.quick_scan_returned,
                ],
            )
            .map_err(db)?;
        if n != 1 {
            return Err(StorageError::Invalid(format!(
                "case {} does not exist in {}",
                c.key, self.org
            )));
        }
        Ok(())
    }

    /// The events appended to an existing case: written at once by the single-row
    /// statement, or collected for [`Self::append_many`] (`bulk`).
    fn append_one(
        &mut self,
        tx: &mut Client,
        c: &CaseWrite,
        id: i64,
        n: i32,
        bulk: bool,
    ) -> Result<()> {
        self.buf.clear();
        self.buf.push(',');
        log::write_entries(&mut self.buf, &c.events, self.import);
        self.buf.push(']');
        let expected = expected_events(c)?;
        if bulk {
            self.app.case.push(id);
            self.app.tail.push(self.buf.clone());
            self.app.n.push(n);
            self.app.expected.push(expected);
            return Ok(());
        }
        let changed = tx
            .execute(
                &self.st.append_log,
                &[&id, &self.org_id, &self.buf, &n, &expected],
            )
            .map_err(db)?;
        if changed != 1 {
            return Err(append_refused(tx, &c.key, id)?);
        }
        Ok(())
    }

    /// The summaries of the existing cases collected by [`Self::write_each_case`], in
    /// one statement; a case not of the fund fails the batch.
    fn update_summaries(&self, tx: &mut Client) -> Result<()> {
        if self.upd.is_empty() {
            return Ok(());
        }
        let id: Vec<i64> = self.upd.iter().filter_map(|c| c.existing_id).collect();
        let cols = SummaryColumns::of(&self.upd);
        let rows = tx
            .query(&self.st.update_cases, &cols.params(&self.org_id, &id))
            .map_err(db)?;
        let done = rows
            .iter()
            .map(|r| r.col::<i64>(0))
            .collect::<Result<HashSet<i64>>>()?;
        // The first case of the batch that is not the fund's, as one by one would say.
        let missing = (done.len() != self.upd.len())
            .then(|| {
                self.upd
                    .iter()
                    .find(|c| c.existing_id.is_some_and(|id| !done.contains(&id)))
            })
            .flatten();
        if let Some(c) = missing {
            return Err(StorageError::Invalid(format!(
                "case {} does not exist in {}",
                c.key, self.org
            )));
        }
        Ok(())
    }

    /// The appends collected by [`Self::append_one`], in one statement; a log that
    /// moved on (or is missing) fails the batch.
    fn append_many(&self, tx: &mut Client) -> Result<()> {
        let app = &self.app;
        if app.case.is_empty() {
            return Ok(());
        }
        let rows = tx
            .query(
                &self.st.append_logs,
                &[&self.org_id, &app.case, &app.tail, &app.n, &app.expected],
            )
            .map_err(db)?;
        let done = rows
            .iter()
            .map(|r| r.col::<i64>(0))
            .collect::<Result<HashSet<i64>>>()?;
        let missing = (done.len() != app.case.len())
            .then(|| {
                let appended: HashSet<i64> = app.case.iter().copied().collect();
                self.ids
                    .iter()
                    .find(|(_, id)| appended.contains(id) && !done.contains(id))
            })
            .flatten();
        if let Some((key, id)) = missing {
            return Err(append_refused(tx, key, *id)?);
        }
        Ok(())
    }

    /// New logs, and an import's tasks in [`Self::write_tasks`], by binary COPY: the
    /// bulk of an import's bytes and rows, without a statement's per-row executor work
    /// (see docs/performance.md for 1,000,000 dossiers).
    fn copy_new_logs(&mut self, tx: &mut Client) -> Result<()> {
        if self.new_logs.is_empty() {
            return Ok(());
        }
        let sink = tx.copy_in(COPY_LOGS).map_err(db)?;
        let mut w = BinaryCopyInWriter::new(sink, &LOG_TYPES);
        for (id, n, c) in &self.new_logs {
            self.buf.clear();
            self.buf.push('[');
            log::write_entries(&mut self.buf, &c.events, self.import);
            self.buf.push(']');
            w.write(&[id, &self.org_id, n, &self.buf.as_str()])
                .map_err(db)?;
        }
        w.finish().map_err(db)?;
        Ok(())
    }

    /// The batch's open tasks replace those of its existing cases.
    fn write_tasks(&self, tx: &mut Client) -> Result<()> {
        let t = TaskColumns::of(self.cases, &self.ids);
        if t.case.is_empty() && self.replaced.is_empty() {
            // No dossier in the batch (an audit entry only).
            return Ok(());
        }
        if t.case.len() <= FEW_TASKS {
            // A small write (the API's): the old tasks out and the new ones in with one
            // statement, instead of a DELETE and a COPY (three round trips).
            tx.execute(
                &self.st.replace_tasks,
                &t.params(&self.replaced, &self.org_id),
            )
            .map_err(db)?;
            return Ok(());
        }
        if !self.replaced.is_empty() {
            tx.execute(&self.st.delete_tasks, &[&self.replaced])
                .map_err(db)?;
        }
        let sink = tx.copy_in(COPY_TASKS).map_err(db)?;
        let mut w = BinaryCopyInWriter::new(sink, &TASK_TYPES);
        for i in 0..t.case.len() {
            w.write(&t.row(i, &self.org_id)).map_err(db)?;
        }
        w.finish().map_err(db)?;
        Ok(())
    }

    /// The audit entries, each attached to its case of the batch. True when any was
    /// appended (the commit then waits for the disk after the chain's lock is gone).
    fn append_audit(
        &self,
        tx: &mut Client,
        audit: &[(Option<CaseKey>, AuditEntry)],
    ) -> Result<bool> {
        let mut appender = AuditAppender::new();
        for (key, a) in audit {
            let case = match key {
                None => None,
                Some(k) => Some((self.id_of(k)?, k.token())),
            };
            appender.append(tx, &self.st.append_audit, self.org_id, self.org, case, a)?;
        }
        Ok(appender.appended)
    }

    /// The id of the batch's case `k`.
    fn id_of(&self, k: &CaseKey) -> Result<i64> {
        self.ids
            .iter()
            .find(|(x, _)| *x == k)
            .map(|(_, id)| *id)
            .ok_or_else(|| {
                StorageError::Invalid(format!("audit entry for case {k} outside the batch"))
            })
    }
}
