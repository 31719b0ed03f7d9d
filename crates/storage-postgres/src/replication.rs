//! Where a connection stands in the write-ahead log, for read replicas.

use crate::connection::db;
use crate::rows::Col;
use crate::PgStore;
use tnw_storage::{Replication, Result};

impl Replication for PgStore {
    fn log_position(&mut self) -> Result<Option<u64>> {
        let row = self
            .client
            .query_one(
                "SELECT (pg_current_wal_insert_lsn() - '0/0'::pg_lsn)::bigint",
                &[],
            )
            .map_err(db)?;
        Ok(u64::try_from(row.col::<i64>(0)?).ok())
    }

    fn replayed_position(&mut self) -> Result<Option<u64>> {
        let row = self
            .client
            .query_one(
                "SELECT (pg_last_wal_replay_lsn() - '0/0'::pg_lsn)::bigint",
                &[],
            )
            .map_err(db)?;
        Ok(row
            .col::<Option<i64>>(0)?
            .and_then(|p| u64::try_from(p).ok()))
    }
}
