//! Bulk reads over every dossier, in chunks from one snapshot.

use crate::connection::db;
use crate::rows::Col;
use crate::PgStore;
use postgres::{Client, IsolationLevel, Row, Statement};
use tnw_domain::CaseKey;
use tnw_storage::{FactsRow, FigureRow, Result, Scans};

impl Scans for PgStore {
    fn scan_facts(
        &mut self,
        org: Option<&str>,
        chunk: usize,
        f: &mut dyn FnMut(Vec<FactsRow>) -> Result<()>,
    ) -> Result<()> {
        let stmt = self.prep(
            "SELECT c.id, c.key, c.facts FROM cases c
             WHERE $1::text IS NULL OR c.org_id = (SELECT id FROM orgs WHERE code = $1)
             ORDER BY c.id",
        )?;
        scan(
            &mut self.client,
            &stmt,
            org,
            chunk,
            &mut |r| {
                Ok(FactsRow {
                    id: r.col(0)?,
                    key: CaseKey::from_token(r.col(1)?),
                    facts: r.col(2)?,
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
        let stmt = self.prep(
            "SELECT c.org_id, c.person_id, c.region, c.condition, c.facts FROM cases c
             WHERE $1::text IS NULL OR c.org_id = (SELECT id FROM orgs WHERE code = $1)
             ORDER BY c.id",
        )?;
        scan(
            &mut self.client,
            &stmt,
            org,
            chunk,
            &mut |r| {
                Ok(FigureRow {
                    fund: r.col(0)?,
                    person_id: r.col(1)?,
                    region: r.col(2)?,
                    condition: r.col(3)?,
                    facts: r.col(4)?,
                })
            },
            f,
        )
    }
}

/// Runs `stmt` (one `$1` parameter: the fund or NULL) in a read-only REPEATABLE READ
/// transaction, one consistent snapshot, fetching `chunk` rows at a time through a
/// portal so a national database is never held in memory at once.
fn scan<T>(
    client: &mut Client,
    stmt: &Statement,
    org: Option<&str>,
    chunk: usize,
    map: &mut dyn FnMut(&Row) -> Result<T>,
    f: &mut dyn FnMut(Vec<T>) -> Result<()>,
) -> Result<()> {
    let chunk = i32::try_from(chunk.max(1)).unwrap_or(i32::MAX);
    let mut tx = client
        .build_transaction()
        .isolation_level(IsolationLevel::RepeatableRead)
        .read_only(true)
        .start()
        .map_err(db)?;
    let portal = tx.bind(stmt, &[&org]).map_err(db)?;
    loop {
        let rows = tx.query_portal(&portal, chunk).map_err(db)?;
        if rows.is_empty() {
            break;
        }
        let last = rows.len() < chunk as usize;
        f(rows.iter().map(&mut *map).collect::<Result<Vec<T>>>()?)?;
        if last {
            break;
        }
    }
    tx.commit().map_err(db)
}
