//! The server store: PostgreSQL through the blocking `postgres` client, its own
//! migrations applied on connect. Same tables, meanings and results as the SQLite store
//! (`tnw-storage-sqlite`); both pass the conformance suite (`tnw-storage-conformance`).
//!
//! Every statement is parameterised; lists travel as arrays (`= ANY($n)`, `unnest`).
//! The audited paths call server functions (migrations 11 and 13) so that each audited
//! read or write is one statement: see docs/storage-postgres.md.
//!
//! One module per storage trait (`cases`, `imports`, `work`, `scans`, `absences`,
//! `accounts`, `sessions`, `audit`, `outbox`, `drafts`, `survey`, `funds`,
//! `replication`); what they share is in `connection` (statements, funds), `tx` (the
//! audited transactions), `rows` (reading columns) and `migrations`.

#[cfg(feature = "testing")]
pub mod testing;

mod absences;
mod accounts;
mod audit;
mod cases;
mod connection;
mod drafts;
mod funds;
mod imports;
mod migrations;
mod outbox;
mod programs;
mod replication;
mod rows;
mod scans;
mod sessions;
mod survey;
mod tx;
mod work;

pub use migrations::SCHEMA_VERSION;
pub use programs::programs_dir;

use postgres::{Client, Statement};
use std::collections::HashMap;

pub struct PgStore {
    client: Client,
    /// Prepared statements by SQL text: each is parsed once per connection.
    stmts: HashMap<&'static str, Statement>,
    /// Fund code → `orgs.id`, filled as funds are used (funds are never deleted).
    orgs: HashMap<String, i64>,
}
