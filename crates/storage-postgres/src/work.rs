//! Worklists and caseloads, over the open-task projection.

use crate::connection::db;
use crate::rows::{category_out, count, Col};
use crate::PgStore;
use postgres::types::ToSql;
use tnw_domain::{CaseKey, Date};
use tnw_storage::{
    CaseloadCase, CaseloadRow, OpenTask, Result, WorkItem, WorkQueries, WorklistQuery,
};

impl WorkQueries for PgStore {
    fn worklist(&mut self, org: &str, q: &WorklistQuery) -> Result<Vec<WorkItem>> {
        let Some(org_id) = self.org_id(org, false)? else {
            return Ok(Vec::new());
        };
        // One query per actor walks the (org, actor, due, id) index in order and stops
        // at the limit; the few lists are merged here (as the SQLite store does). The
        // tasks carry their dossiers' listed columns (migration 13): only a filter on
        // the assignee needs the dossiers themselves.
        let plain = match (q.as_of, q.due_by, &q.task, &q.region, q.category) {
            (Some(as_of), None, None, None, None)
                if q.assignee.is_none() && !q.quick_scan_returned =>
            {
                Some(as_of)
            }
            _ => None,
        };
        let stmt = match (plain, &q.assignee) {
            // The default list, with a statement of its own: the one with optional
            // filters is planned again on every call (a cached plan for them is slow),
            // this one is not.
            (Some(_), _) => self.prep(
                "SELECT case_key, code, actor, rule, window_start, due, region, category,
                        quick_scan_returned
                 FROM tasks
                 WHERE org_id = $1 AND actor = $2 AND window_start <= $3
                 ORDER BY due, id LIMIT $4",
            )?,
            (None, None) => self.prep(
                "SELECT case_key, code, actor, rule, window_start, due, region, category,
                        quick_scan_returned
                 FROM tasks
                 WHERE org_id = $1 AND actor = $2
                   AND ($3::date IS NULL OR window_start <= $3)
                   AND ($5::date IS NULL OR due <= $5)
                   AND ($6::text IS NULL OR code = $6)
                   AND ($7::text IS NULL OR region = $7)
                   AND ($8::smallint IS NULL OR category = $8)
                   AND (NOT $9::boolean OR quick_scan_returned IS NOT NULL)
                 ORDER BY due, id
                 LIMIT $4",
            )?,
            (None, Some(_)) => self.prep(
                "SELECT t.case_key, t.code, t.actor, t.rule, t.window_start, t.due, t.region,
                        t.category, t.quick_scan_returned
                 FROM tasks t JOIN cases c ON c.id = t.case_id
                 WHERE t.org_id = $1 AND t.actor = $2
                   AND ($3::date IS NULL OR t.window_start <= $3)
                   AND ($5::date IS NULL OR t.due <= $5)
                   AND ($6::text IS NULL OR t.code = $6)
                   AND ($7::text IS NULL OR t.region = $7)
                   AND ($8::smallint IS NULL OR t.category = $8)
                   AND (NOT $9::boolean OR t.quick_scan_returned IS NOT NULL)
                   AND c.assignee = $10
                 ORDER BY t.due, t.id
                 LIMIT $4",
            )?,
        };
        let category = q.category.map(i16::from);
        let limit = i64::from(q.limit);
        let mut out = Vec::new();
        for actor in &q.actors {
            // `$1…$4` in every statement; the filters only in the statements that use
            // them.
            let mut params: Vec<&(dyn ToSql + Sync)> = vec![&org_id, actor, &q.as_of, &limit];
            if plain.is_none() {
                params.extend([
                    &q.due_by as &(dyn ToSql + Sync),
                    &q.task,
                    &q.region,
                    &category,
                    &q.quick_scan_returned,
                ]);
            }
            if let (None, Some(assignee)) = (plain, &q.assignee) {
                params.push(assignee);
            }
            for r in self.client.query(&stmt, &params).map_err(db)? {
                out.push(WorkItem {
                    case: CaseKey::from_token(r.col(0)?),
                    task: OpenTask {
                        code: r.col(1)?,
                        actor: r.col(2)?,
                        rule: r.col(3)?,
                        window_start: r.col(4)?,
                        due: r.col(5)?,
                    },
                    region: r.col(6)?,
                    category: category_out(r.col(7)?)?,
                    quick_scan_returned: r.col(8)?,
                });
            }
        }
        out.sort_by(|a, b| (a.task.due, &a.case).cmp(&(b.task.due, &b.case)));
        out.truncate(q.limit as usize);
        Ok(out)
    }

    fn caseload(&mut self, org: &str, actors: &[&str], today: Date) -> Result<Vec<CaseloadRow>> {
        let Some(org_id) = self.org_id(org, false)? else {
            return Ok(Vec::new());
        };
        // Byte order and the unassigned first: the order SQLite gives.
        let rows = self.query(
            "SELECT c.assignee, count(*),
                    coalesce(sum(t.open), 0)::bigint, coalesce(sum(t.overdue), 0)::bigint
             FROM cases c
             LEFT JOIN (SELECT case_id, count(*) AS open, count(*) FILTER (WHERE due < $3) AS overdue
                        FROM tasks
                        WHERE org_id = $1 AND actor = ANY($2)
                        GROUP BY case_id) t ON t.case_id = c.id
             WHERE c.org_id = $1 AND c.ended IS NULL
             GROUP BY c.assignee
             ORDER BY c.assignee COLLATE \"C\" NULLS FIRST",
            &[&org_id, &actors, &today],
        )?;
        rows.into_iter()
            .map(|r| {
                Ok(CaseloadRow {
                    assignee: r.col(0)?,
                    dossiers: count(r.col(1)?),
                    open_tasks: count(r.col(2)?),
                    overdue_tasks: count(r.col(3)?),
                })
            })
            .collect()
    }

    fn assigned_cases(
        &mut self,
        org: &str,
        assignee: &str,
        actors: &[&str],
        limit: u32,
    ) -> Result<Vec<CaseloadCase>> {
        let Some(org_id) = self.org_id(org, false)? else {
            return Ok(Vec::new());
        };
        let rows = self.query(
            "SELECT c.key, c.incapacity_start, c.region, c.category, n.code, n.due
             FROM cases c
             LEFT JOIN LATERAL (SELECT t.code, t.due FROM tasks t
                                WHERE t.case_id = c.id AND t.actor = ANY($3)
                                ORDER BY t.due, t.id LIMIT 1) n ON TRUE
             WHERE c.org_id = $1 AND c.assignee = $2 AND c.ended IS NULL
             ORDER BY c.incapacity_start, c.id
             LIMIT $4",
            &[&org_id, &assignee, &actors, &i64::from(limit)],
        )?;
        rows.into_iter()
            .map(|r| {
                let code: Option<String> = r.col(4)?;
                let due: Option<Date> = r.col(5)?;
                Ok(CaseloadCase {
                    case: CaseKey::from_token(r.col(0)?),
                    incapacity_start: r.col(1)?,
                    region: r.col(2)?,
                    category: category_out(r.col(3)?)?,
                    next_task: code.zip(due),
                })
            })
            .collect()
    }
}
