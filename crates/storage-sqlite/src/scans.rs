//! Whole-table reads in chunks ([`Scans`]), for figures and rule checks.

use crate::{db, SqliteStore};
use rusqlite::params;
use tnw_domain::CaseKey;
use tnw_storage::{FactsRow, FigureRow, Result, Scans};

impl Scans for SqliteStore {
    fn scan_facts(
        &mut self,
        org: Option<&str>,
        chunk: usize,
        f: &mut dyn FnMut(Vec<FactsRow>) -> Result<()>,
    ) -> Result<()> {
        let chunk = chunk.max(1);
        // One read transaction: a consistent snapshot even while imports run.
        let tx = self.conn.transaction().map_err(db)?;
        {
            let mut stmt = tx
                .prepare_cached(
                    "SELECT c.id, c.key, c.facts FROM cases c
                     WHERE ?1 IS NULL OR c.org_id = (SELECT id FROM orgs WHERE code = ?1)
                     ORDER BY c.id",
                )
                .map_err(db)?;
            let mut rows = stmt.query(params![org]).map_err(db)?;
            let mut buf = Vec::with_capacity(chunk);
            while let Some(r) = rows.next().map_err(db)? {
                buf.push(FactsRow {
                    id: r.get(0).map_err(db)?,
                    key: CaseKey::from_token(r.get(1).map_err(db)?),
                    facts: r.get(2).map_err(db)?,
                });
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

    fn scan_figures(
        &mut self,
        org: Option<&str>,
        chunk: usize,
        f: &mut dyn FnMut(Vec<FigureRow>) -> Result<()>,
    ) -> Result<()> {
        let chunk = chunk.max(1);
        let tx = self.conn.transaction().map_err(db)?;
        {
            let mut stmt = tx
                .prepare_cached(
                    "SELECT c.org_id, c.person_id, c.region, c.condition, c.facts FROM cases c
                     WHERE ?1 IS NULL OR c.org_id = (SELECT id FROM orgs WHERE code = ?1)
                     ORDER BY c.id",
                )
                .map_err(db)?;
            let mut rows = stmt.query(params![org]).map_err(db)?;
            let mut buf = Vec::with_capacity(chunk);
            while let Some(r) = rows.next().map_err(db)? {
                buf.push(FigureRow {
                    fund: r.get(0).map_err(db)?,
                    person_id: r.get(1).map_err(db)?,
                    region: r.get(2).map_err(db)?,
                    condition: r.get(3).map_err(db)?,
                    facts: r.get(4).map_err(db)?,
                });
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
}
