//! Whole-table reads in chunks ([`Scans`]), for figures and rule checks.

use crate::{db, SqliteStore};
use rusqlite::{params, Connection, Row};
use tnw_domain::CaseKey;
use tnw_storage::{FactsRow, FigureRow, Result, Scans};

impl Scans for SqliteStore {
    fn scan_facts(
        &mut self,
        org: Option<&str>,
        chunk: usize,
        f: &mut dyn FnMut(Vec<FactsRow>) -> Result<()>,
    ) -> Result<()> {
        scan(
            &mut self.conn,
            "SELECT c.id, c.key, c.facts FROM cases c
             WHERE ?1 IS NULL OR c.org_id = (SELECT id FROM orgs WHERE code = ?1)
             ORDER BY c.id",
            org,
            chunk,
            &mut |r| {
                Ok(FactsRow {
                    id: r.get(0)?,
                    key: CaseKey::from_token(r.get(1)?),
                    facts: r.get(2)?,
                })
            },
            f,
        )
    }

    fn scan_figures(
        &mut self,
        org: Option<&str>,
        chunk: usize,
        f: &mut dyn FnMut(Vec<FigureRow>) -> Result<()>,
    ) -> Result<()> {
        scan(
            &mut self.conn,
            "SELECT c.org_id, c.person_id, c.region, c.condition, c.facts FROM cases c
             WHERE ?1 IS NULL OR c.org_id = (SELECT id FROM orgs WHERE code = ?1)
             ORDER BY c.id",
            org,
            chunk,
            &mut |r| {
                Ok(FigureRow {
                    fund: r.get(0)?,
                    person_id: r.get(1)?,
                    region: r.get(2)?,
                    condition: r.get(3)?,
                    facts: r.get(4)?,
                })
            },
            f,
        )
    }
}

/// Runs `sql` (one `?1` parameter: the fund or NULL) in one read transaction, a
/// consistent snapshot even while imports run, handing `f` `chunk` rows at a time.
fn scan<T>(
    conn: &mut Connection,
    sql: &str,
    org: Option<&str>,
    chunk: usize,
    map: &mut dyn FnMut(&Row) -> rusqlite::Result<T>,
    f: &mut dyn FnMut(Vec<T>) -> Result<()>,
) -> Result<()> {
    let chunk = chunk.max(1);
    let tx = conn.transaction().map_err(db)?;
    {
        let mut stmt = tx.prepare_cached(sql).map_err(db)?;
        let mut rows = stmt.query(params![org]).map_err(db)?;
        let mut buf = Vec::with_capacity(chunk);
        while let Some(r) = rows.next().map_err(db)? {
            buf.push(map(r).map_err(db)?);
            if buf.len() == chunk {
                f(std::mem::replace(&mut buf, Vec::with_capacity(chunk)))?;
            }
        }
        if !buf.is_empty() {
            f(buf)?;
        }
    }
    tx.commit().map_err(db)
}
