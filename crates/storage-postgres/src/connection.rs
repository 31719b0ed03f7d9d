//! Opening a connection, the prepared statement cache and the query helpers over it,
//! the funds' ids, and server errors as storage errors.

use crate::migrations::{self, SCHEMA_VERSION};
use crate::rows::Col;
use crate::PgStore;
use postgres::error::SqlState;
use postgres::types::ToSql;
use postgres::{Client, NoTls, Row, Statement};
use std::collections::HashMap;
use tnw_storage::{Result, StorageError};

pub(crate) fn db(e: postgres::Error) -> StorageError {
    // The plain Display of a server error leaves out its message and detail.
    match e.as_db_error() {
        Some(d) => StorageError::Backend(match d.detail() {
            Some(detail) => format!("{}: {} ({detail})", d.code().code(), d.message()),
            None => format!("{}: {}", d.code().code(), d.message()),
        }),
        None => StorageError::Backend(e.to_string()),
    }
}

pub(crate) fn is_unique_violation(e: &postgres::Error) -> bool {
    e.code() == Some(&SqlState::UNIQUE_VIOLATION)
}

impl PgStore {
    fn with_client(client: Client) -> PgStore {
        PgStore {
            client,
            stmts: HashMap::new(),
            orgs: HashMap::new(),
        }
    }

    /// Connects to `url` (`postgres://user@host:port/db`, or key=value settings) and
    /// brings the schema up to date.
    pub fn connect(url: &str) -> Result<PgStore> {
        let mut client = Client::connect(url, NoTls).map_err(db)?;
        migrations::migrate(&mut client, None)?;
        Ok(PgStore::with_client(client))
    }

    /// Connects to a read replica (a hot standby of the primary): nothing is migrated
    /// there (it replays the primary's schema); one of another schema version is refused.
    pub fn connect_replica(url: &str) -> Result<PgStore> {
        let client = Client::connect(url, NoTls).map_err(db)?;
        let mut store = PgStore::with_client(client);
        let version = store.schema_version()?;
        if version != SCHEMA_VERSION {
            return Err(StorageError::Invalid(format!(
                "the read replica's schema is version {version}, this program's {SCHEMA_VERSION}"
            )));
        }
        Ok(store)
    }

    /// The prepared statement for `sql`, parsed on first use.
    pub(crate) fn prep(&mut self, sql: &'static str) -> Result<Statement> {
        if let Some(s) = self.stmts.get(sql) {
            return Ok(s.clone());
        }
        let s = self.client.prepare(sql).map_err(db)?;
        self.stmts.insert(sql, s.clone());
        Ok(s)
    }

    pub(crate) fn query(
        &mut self,
        sql: &'static str,
        params: &[&(dyn ToSql + Sync)],
    ) -> Result<Vec<Row>> {
        let s = self.prep(sql)?;
        self.client.query(&s, params).map_err(db)
    }

    pub(crate) fn query_opt(
        &mut self,
        sql: &'static str,
        params: &[&(dyn ToSql + Sync)],
    ) -> Result<Option<Row>> {
        let s = self.prep(sql)?;
        self.client.query_opt(&s, params).map_err(db)
    }

    pub(crate) fn execute(
        &mut self,
        sql: &'static str,
        params: &[&(dyn ToSql + Sync)],
    ) -> Result<u64> {
        let s = self.prep(sql)?;
        self.client.execute(&s, params).map_err(db)
    }

    /// The id of fund `code`, created on first write when `create`.
    pub(crate) fn org_id(&mut self, code: &str, create: bool) -> Result<Option<i64>> {
        if let Some(id) = self.orgs.get(code) {
            return Ok(Some(*id));
        }
        if create {
            self.execute(
                "INSERT INTO orgs (code) VALUES ($1) ON CONFLICT (code) DO NOTHING",
                &[&code],
            )?;
        }
        let id: Option<i64> = self
            .query_opt("SELECT id FROM orgs WHERE code = $1", &[&code])?
            .map(|r| r.col(0))
            .transpose()?;
        if let Some(id) = id {
            self.orgs.insert(code.to_owned(), id);
        }
        Ok(id)
    }

    pub(crate) fn org_id_created(&mut self, org: &str) -> Result<i64> {
        self.org_id(org, true)?
            .ok_or_else(|| StorageError::Backend(format!("fund {org} could not be created")))
    }
}
