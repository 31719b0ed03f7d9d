//! Funds ([`FundStore`]), and the ids of their rows.

use crate::{db, SqliteStore};
use rusqlite::{params, Connection, OptionalExtension};
use std::collections::HashMap;
use tnw_storage::{Counts, FundStore, Result};

impl FundStore for SqliteStore {
    fn orgs(&mut self) -> Result<Vec<String>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT code FROM orgs ORDER BY code")
            .map_err(db)?;
        let rows = stmt.query_map([], |r| r.get(0)).map_err(db)?;
        rows.map(|r| r.map_err(db)).collect()
    }

    fn counts(&mut self, org: Option<&str>) -> Result<Counts> {
        let q = |sql: &str| -> Result<u64> {
            self.conn
                .query_row(sql, params![org], |r| r.get::<_, i64>(0))
                .map(|n| n as u64)
                .map_err(db)
        };
        Ok(Counts {
            cases: q("SELECT count(*) FROM cases WHERE ?1 IS NULL OR org_id = (SELECT id FROM orgs WHERE code = ?1)")?,
            events: q("SELECT coalesce(sum(events), 0) FROM case_logs WHERE ?1 IS NULL OR org_id = (SELECT id FROM orgs WHERE code = ?1)")?,
            imports: q("SELECT count(*) FROM imports WHERE ?1 IS NULL OR org_id = (SELECT id FROM orgs WHERE code = ?1)")?,
        })
    }
}

impl SqliteStore {
    /// The id of fund `code`, if it exists (funds are created under the writer gate).
    pub(crate) fn org_id(&mut self, code: &str) -> Result<Option<i64>> {
        org_id_in(&self.conn, &mut self.orgs, code, false)
    }
}

/// The id of fund `code` through `conn`, created on first write when `create`;
/// `orgs` caches the ids.
pub(crate) fn org_id_in(
    conn: &Connection,
    orgs: &mut HashMap<String, i64>,
    code: &str,
    create: bool,
) -> Result<Option<i64>> {
    if let Some(id) = orgs.get(code) {
        return Ok(Some(*id));
    }
    if create {
        conn.execute(
            "INSERT INTO orgs (code) VALUES (?1) ON CONFLICT (code) DO NOTHING",
            [code],
        )
        .map_err(db)?;
    }
    let id: Option<i64> = conn
        .query_row("SELECT id FROM orgs WHERE code = ?1", [code], |r| r.get(0))
        .optional()
        .map_err(db)?;
    if let Some(id) = id {
        orgs.insert(code.to_owned(), id);
    }
    Ok(id)
}
