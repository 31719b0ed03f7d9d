//! The batch write of dossiers, step by step: each case's row, its open tasks by
//! difference, the append to its log, then the batch's audit entries. An import runs
//! this for every batch, so each statement is prepared once per batch (and cached by
//! the connection across batches).

use crate::audit::AuditAppender;
use crate::rows::task_row;
use crate::{db, SqliteStore};
use rusqlite::{params, CachedStatement, Connection, OptionalExtension};
use tnw_domain::CaseKey;
use tnw_storage::{log, tasks, AuditEntry, CaseWrite, Result, StorageError};

/// Writes of at most this many dossiers (the API's) read their pages before taking the
/// writer gate ([`SqliteStore::warm`]); an import's large batches do not.
pub(crate) const WARM_CASES: usize = 4;

/// The statements of one batch write, in the write transaction `conn`.
pub(crate) struct CaseBatch<'c> {
    conn: &'c Connection,
    org: &'c str,
    org_id: i64,
    import_id: Option<i64>,
    /// The new log entries of one case at a time; one allocation for the batch.
    buf: String,
    insert_case: CachedStatement<'c>,
    update_case: CachedStatement<'c>,
    update_person: CachedStatement<'c>,
    update_assignee: CachedStatement<'c>,
    stored_tasks: CachedStatement<'c>,
    delete_task: CachedStatement<'c>,
    insert_log: CachedStatement<'c>,
    append_log: CachedStatement<'c>,
    insert_task: CachedStatement<'c>,
}

impl<'c> CaseBatch<'c> {
    pub(crate) fn prepare(
        conn: &'c Connection,
        org: &'c str,
        org_id: i64,
        import_id: Option<i64>,
    ) -> Result<CaseBatch<'c>> {
        let insert_case = conn
            .prepare_cached(
                "INSERT INTO cases (org_id, key, person_id, incapacity_start, ended, scheme, region,
                                        language, condition, category, facts, assignee,
                                        quick_scan_returned, employer_id)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
            )
            .map_err(db)?;
        // The indexed columns (person, assignee) are set only when they changed:
        // SQLite rewrites the index entries of every indexed column named in SET.
        let update_case = conn
            .prepare_cached(
                "UPDATE cases SET incapacity_start = ?3, ended = ?4, scheme = ?5,
                            region = ?6, language = ?7, condition = ?8, category = ?9, facts = ?10,
                            quick_scan_returned = ?11, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
                     WHERE id = ?1 AND org_id = ?2",
            )
            .map_err(db)?;
        let update_person = conn
            .prepare_cached("UPDATE cases SET person_id = ?2 WHERE id = ?1 AND person_id IS NOT ?2")
            .map_err(db)?;
        let update_assignee = conn
            .prepare_cached("UPDATE cases SET assignee = ?2 WHERE id = ?1 AND assignee IS NOT ?2")
            .map_err(db)?;
        let stored_tasks = conn
            .prepare_cached(
                "SELECT rowid, code, actor, rule, window_start, due FROM tasks WHERE case_id = ?1",
            )
            .map_err(db)?;
        let delete_task = conn
            .prepare_cached("DELETE FROM tasks WHERE rowid = ?1")
            .map_err(db)?;
        let insert_log = conn
            .prepare_cached(
                "INSERT INTO case_logs (case_id, org_id, events, log) VALUES (?1, ?2, ?3, ?4)",
            )
            .map_err(db)?;
        // Appending keeps every stored entry byte for byte: the log is append-only.
        let append_log = conn
            .prepare_cached(
                "UPDATE case_logs SET log = substr(log, 1, length(log) - 1) || ?3, events = events + ?4
                     WHERE case_id = ?1 AND org_id = ?2 AND events = ?5",
            )
            .map_err(db)?;
        let insert_task = conn
            .prepare_cached(
                "INSERT INTO tasks (case_id, org_id, code, actor, rule, window_start, due)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )
            .map_err(db)?;
        Ok(CaseBatch {
            conn,
            org,
            org_id,
            import_id,
            buf: String::with_capacity(4096),
            insert_case,
            update_case,
            update_person,
            update_assignee,
            stored_tasks,
            delete_task,
            insert_log,
            append_log,
            insert_task,
        })
    }

    /// Writes one case: its row, its open tasks, its new events. Returns its id.
    pub(crate) fn write(&mut self, c: &CaseWrite) -> Result<i64> {
        let id = match c.existing_id {
            None => self.insert_row(c)?,
            Some(id) => {
                self.update_row(id, c)?;
                id
            }
        };
        self.replace_tasks(id, c)?;
        if !c.events.is_empty() {
            self.append_events(id, c)?;
        }
        Ok(id)
    }

    /// Inserts a new case's row; returns its id.
    fn insert_row(&mut self, c: &CaseWrite) -> Result<i64> {
        let s = &c.summary;
        let start = s.incapacity_start.to_string();
        let ended = s.ended.map(|d| d.to_string());
        self.insert_case
            .execute(params![
                self.org_id,
                c.key.token(),
                s.person_id,
                start,
                ended,
                s.scheme,
                s.region,
                s.language,
                s.condition,
                s.category,
                s.facts,
                s.assignee,
                s.quick_scan_returned.map(|d| d.to_string()),
                s.employer_id
            ])
            .map_err(db)?;
        Ok(self.conn.last_insert_rowid())
    }

    /// Updates the summary columns of stored case `id`.
    fn update_row(&mut self, id: i64, c: &CaseWrite) -> Result<()> {
        let s = &c.summary;
        let start = s.incapacity_start.to_string();
        let ended = s.ended.map(|d| d.to_string());
        let n = self
            .update_case
            .execute(params![
                id,
                self.org_id,
                start,
                ended,
                s.scheme,
                s.region,
                s.language,
                s.condition,
                s.category,
                s.facts,
                s.quick_scan_returned.map(|d| d.to_string())
            ])
            .map_err(db)?;
        if n != 1 {
            return Err(StorageError::Invalid(format!(
                "case {} does not exist in {}",
                c.key, self.org
            )));
        }
        self.update_person
            .execute(params![id, s.person_id])
            .map_err(db)?;
        self.update_assignee
            .execute(params![id, s.assignee])
            .map_err(db)?;
        Ok(())
    }

    /// Replaces the open tasks of case `id` with `c.tasks`: a stored case's by
    /// difference (only the tasks that changed are deleted or inserted), a new case's
    /// all inserted.
    fn replace_tasks(&mut self, id: i64, c: &CaseWrite) -> Result<()> {
        let insert = if c.existing_id.is_some() {
            let wanted: Vec<[String; 5]> = c.tasks.iter().map(task_row).collect();
            let stored = self
                .stored_tasks
                .query_map([id], |r| {
                    Ok((
                        r.get::<_, i64>(0)?,
                        [r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?],
                    ))
                })
                .map_err(db)?
                .collect::<rusqlite::Result<Vec<_>>>()
                .map_err(db)?;
            let (delete, insert) = tasks::task_changes(stored, wanted);
            for rowid in delete {
                self.delete_task.execute([rowid]).map_err(db)?;
            }
            insert
        } else {
            c.tasks.iter().map(task_row).collect()
        };
        for [code, actor, rule, window_start, due] in insert {
            self.insert_task
                .execute(params![
                    id,
                    self.org_id,
                    code,
                    actor,
                    rule,
                    window_start,
                    due
                ])
                .map_err(db)?;
        }
        Ok(())
    }

    /// Appends `c.events` to the log of case `id` (a new case's log starts with them).
    /// The append is refused when the log is no longer as long as the write expected.
    fn append_events(&mut self, id: i64, c: &CaseWrite) -> Result<()> {
        self.buf.clear();
        let n = c.events.len() as i64;
        if c.existing_id.is_none() {
            self.buf.push('[');
            log::write_entries(&mut self.buf, &c.events, self.import_id.unwrap_or(0));
            self.buf.push(']');
            self.insert_log
                .execute(params![id, self.org_id, n, self.buf])
                .map_err(db)?;
        } else {
            self.buf.push(',');
            log::write_entries(&mut self.buf, &c.events, self.import_id.unwrap_or(0));
            self.buf.push(']');
            let changed = self
                .append_log
                .execute(params![
                    id,
                    self.org_id,
                    self.buf,
                    n,
                    i64::from(log::expected_len(c))
                ])
                .map_err(db)?;
            if changed != 1 {
                let stored: Option<i64> = self
                    .conn
                    .prepare_cached("SELECT events FROM case_logs WHERE case_id = ?1")
                    .map_err(db)?
                    .query_row([id], |r| r.get(0))
                    .optional()
                    .map_err(db)?;
                return Err(log::append_refused(&c.key, stored.is_some()));
            }
        }
        Ok(())
    }
}

/// Writes the batch's audit entries; an entry naming a case is attached to that case
/// of the batch (`ids`: the batch's keys and ids).
pub(crate) fn append_batch_audit(
    conn: &Connection,
    org_id: i64,
    org: &str,
    ids: &[(&CaseKey, i64)],
    audit: &[(Option<CaseKey>, AuditEntry)],
) -> Result<()> {
    let mut appender = AuditAppender::new();
    for (key, a) in audit {
        let case_id = match key {
            None => None,
            Some(k) => Some(
                ids.iter()
                    .find(|(x, _)| *x == k)
                    .map(|(_, id)| *id)
                    .ok_or_else(|| {
                        StorageError::Invalid(format!("audit entry for case {k} outside the batch"))
                    })?,
            ),
        };
        let case = match (key, case_id) {
            (Some(k), Some(id)) => Some((id, k.token())),
            _ => None,
        };
        appender.append(conn, org_id, org, case, a)?;
    }
    Ok(())
}

impl SqliteStore {
    /// Reads the pages a write to `cases` will change, before it takes the writer gate:
    /// the dossier's row, its tasks and their worklist index entries, and its audit
    /// index entry.
    /// A page the operating system has evicted is then read from disk here, alongside
    /// other requests, and not under the gate, where every writer would wait for it
    /// (measured: reads of evicted pages during a checkpoint's flush took 30–90 ms).
    pub(crate) fn warm(&mut self, org: &str, cases: &[CaseWrite]) -> Result<()> {
        if self.org_id(org)?.is_none() {
            return Ok(());
        }
        let mut tasks = self
            .conn
            .prepare_cached(
                "SELECT count(*), sum((SELECT 1 FROM tasks w INDEXED BY tasks_worklist
                                       WHERE w.org_id = t.org_id AND w.actor = t.actor
                                         AND w.due = t.due AND w.window_start = t.window_start
                                         AND w.code = t.code AND w.rule = t.rule
                                         AND w.case_id = t.case_id AND w.rowid = t.rowid))
                 FROM tasks t WHERE t.case_id = ?1",
            )
            .map_err(db)?;
        let mut audit = self
            .conn
            .prepare_cached("SELECT max(id) FROM audit WHERE case_id = ?1")
            .map_err(db)?;
        let mut row = self
            .conn
            .prepare_cached("SELECT length(facts) FROM cases WHERE id = ?1")
            .map_err(db)?;
        for id in cases.iter().filter_map(|c| c.existing_id) {
            row.query_row([id], |r| r.get::<_, Option<i64>>(0))
                .optional()
                .map_err(db)?;
            tasks.query_row([id], |r| r.get::<_, i64>(0)).map_err(db)?;
            audit
                .query_row([id], |r| r.get::<_, Option<i64>>(0))
                .map_err(db)?;
        }
        Ok(())
    }
}
