//! Lists over the open tasks ([`WorkQueries`]): worklists and caseloads.

use crate::rows::actors_json;
use crate::{corrupt, db, SqliteStore};
use rusqlite::params;
use tnw_domain::date::parse_date;
use tnw_domain::{CaseKey, Date};
use tnw_storage::{
    CaseloadCase, CaseloadRow, OpenTask, Result, WorkItem, WorkQueries, WorklistQuery,
};

impl WorkQueries for SqliteStore {
    fn worklist(&mut self, org: &str, q: &WorklistQuery) -> Result<Vec<WorkItem>> {
        let Some(org_id) = self.org_id(org)? else {
            return Ok(Vec::new());
        };
        // One query per actor walks the (org, actor, due) index in order and stops at
        // the limit; the few lists are merged here.
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT c.key, t.code, t.actor, t.rule, t.window_start, t.due, c.region, c.category,
                        c.quick_scan_returned
                 FROM tasks t JOIN cases c ON c.id = t.case_id
                 WHERE t.org_id = ?1 AND t.actor = ?2
                   AND (?3 IS NULL OR t.window_start <= ?3)
                   AND (?4 IS NULL OR t.due <= ?4)
                   AND (?5 IS NULL OR t.code = ?5)
                   AND (?6 IS NULL OR c.region = ?6)
                   AND (?7 IS NULL OR c.category = ?7)
                   AND (?9 IS NULL OR c.assignee = ?9)
                   AND (?10 = 0 OR c.quick_scan_returned IS NOT NULL)
                 ORDER BY t.due
                 LIMIT ?8",
            )
            .map_err(db)?;
        let mut out = Vec::new();
        for actor in &q.actors {
            let rows = stmt
                .query_map(
                    params![
                        org_id,
                        actor,
                        q.as_of.map(|d| d.to_string()),
                        q.due_by.map(|d| d.to_string()),
                        q.task,
                        q.region,
                        q.category,
                        q.limit,
                        q.assignee,
                        q.quick_scan_returned
                    ],
                    |r| {
                        Ok((
                            r.get::<_, String>(0)?,
                            r.get::<_, String>(1)?,
                            r.get::<_, String>(2)?,
                            r.get::<_, String>(3)?,
                            r.get::<_, String>(4)?,
                            r.get::<_, String>(5)?,
                            r.get::<_, String>(6)?,
                            r.get::<_, Option<u8>>(7)?,
                            r.get::<_, Option<String>>(8)?,
                        ))
                    },
                )
                .map_err(db)?;
            for r in rows {
                let (key, code, actor, rule, window, due, region, category, returned) =
                    r.map_err(db)?;
                out.push(WorkItem {
                    case: CaseKey::from_token(key),
                    task: OpenTask {
                        code,
                        actor,
                        rule,
                        window_start: parse_date(&window).map_err(|_| corrupt("task window"))?,
                        due: parse_date(&due).map_err(|_| corrupt("task due"))?,
                    },
                    region,
                    category,
                    quick_scan_returned: returned
                        .map(|d| parse_date(&d))
                        .transpose()
                        .map_err(|_| corrupt("quick scan date"))?,
                });
            }
        }
        out.sort_by(|a, b| (a.task.due, &a.case).cmp(&(b.task.due, &b.case)));
        out.truncate(q.limit as usize);
        Ok(out)
    }

    fn caseload(&mut self, org: &str, actors: &[&str], today: Date) -> Result<Vec<CaseloadRow>> {
        let Some(org_id) = self.org_id(org)? else {
            return Ok(Vec::new());
        };
        let actors = actors_json(actors);
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT c.assignee, COUNT(*),
                        COALESCE(SUM(t.open), 0), COALESCE(SUM(t.overdue), 0)
                 FROM cases c
                 LEFT JOIN (SELECT case_id, COUNT(*) AS open, SUM(due < ?3) AS overdue
                            FROM tasks
                            WHERE org_id = ?1 AND actor IN (SELECT value FROM json_each(?2))
                            GROUP BY case_id) t ON t.case_id = c.id
                 WHERE c.org_id = ?1 AND c.ended IS NULL
                 GROUP BY c.assignee
                 ORDER BY c.assignee",
            )
            .map_err(db)?;
        let rows = stmt
            .query_map(params![org_id, actors, today.to_string()], |r| {
                Ok(CaseloadRow {
                    assignee: r.get(0)?,
                    dossiers: r.get::<_, i64>(1)? as u64,
                    open_tasks: r.get::<_, i64>(2)? as u64,
                    overdue_tasks: r.get::<_, i64>(3)? as u64,
                })
            })
            .map_err(db)?;
        rows.map(|r| r.map_err(db)).collect()
    }

    fn assigned_cases(
        &mut self,
        org: &str,
        assignee: &str,
        actors: &[&str],
        limit: u32,
    ) -> Result<Vec<CaseloadCase>> {
        let Some(org_id) = self.org_id(org)? else {
            return Ok(Vec::new());
        };
        let actors = actors_json(actors);
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT c.key, c.incapacity_start, c.region, c.category,
                        (SELECT t.code || ' ' || t.due FROM tasks t
                         WHERE t.case_id = c.id AND t.actor IN (SELECT value FROM json_each(?3))
                         ORDER BY t.due LIMIT 1)
                 FROM cases c
                 WHERE c.org_id = ?1 AND c.assignee = ?2 AND c.ended IS NULL
                 ORDER BY c.incapacity_start, c.id
                 LIMIT ?4",
            )
            .map_err(db)?;
        let rows = stmt
            .query_map(params![org_id, assignee, actors, limit], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, Option<u8>>(3)?,
                    r.get::<_, Option<String>>(4)?,
                ))
            })
            .map_err(db)?;
        let mut out = Vec::new();
        for r in rows {
            let (key, start, region, category, next) = r.map_err(db)?;
            let next_task = match next {
                None => None,
                Some(n) => {
                    let (code, due) = n.rsplit_once(' ').ok_or_else(|| corrupt("task"))?;
                    let due = parse_date(due).map_err(|_| corrupt("task due"))?;
                    Some((code.to_owned(), due))
                }
            };
            out.push(CaseloadCase {
                case: CaseKey::from_token(key),
                incapacity_start: parse_date(&start).map_err(|_| corrupt("incapacity start"))?,
                region,
                category,
                next_task,
            });
        }
        Ok(out)
    }
}
