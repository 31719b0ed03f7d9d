//! The storage interface. The application layer talks to storage only through the
//! narrow traits of [`store`], one per aggregate (dossiers, imports, work lists, scans,
//! absence lists, accounts, sessions, audit, outbox, drafts, survey, funds,
//! replication); [`Store`] is all of them. Each backend (SQLite, PostgreSQL) is its own crate implementing them
//! and passes the same conformance suite; what both store alike (the event log's
//! format, the audit chain, the open-task diff, the migration runner) is here once.
//!
//! Every table that holds dossier data carries the fund (`org`) it belongs to, and
//! every read takes the org: there is no way to ask for "a case" without saying whose.

pub mod chain;
pub mod log;
pub mod migrate;
pub mod model;
pub mod store;
pub mod tasks;

pub use chain::ChainedAudit;
pub use model::*;
pub use store::{
    AbsenceLists, AccountStore, AuditStore, CaseStore, DraftStore, FundStore, ImportLog,
    ImportStore, Outbox, Replication, Scans, SessionStore, Store, SurveyStore, WorkQueries,
};

#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    #[error("database error: {0}")]
    Backend(String),
    #[error("the database holds data this version cannot read: {0}")]
    Corrupt(String),
    #[error("the database schema is version {found}, newer than this program's {supported}; upgrade tnw")]
    TooNew { found: i64, supported: i64 },
    #[error("{0}")]
    Invalid(String),
    /// Another writer appended to the dossier after this write was prepared from it
    /// (events must continue the stored log: the first new `seq` is the stored count
    /// plus one). Nothing was written; the caller decides again on the new log.
    #[error("dossier {0} changed while this write was prepared; nothing was written")]
    Conflict(String),
}

pub type Result<T> = std::result::Result<T, StorageError>;

/// Every storage trait, for code that calls a whole [`Store`] (tests, the connection
/// pool): `use tnw_storage::prelude::*`.
pub mod prelude {
    pub use crate::store::{
        AbsenceLists, AccountStore, AuditStore, CaseStore, DraftStore, FundStore, ImportLog,
        ImportStore, Outbox, Replication, Scans, SessionStore, Store, SurveyStore, WorkQueries,
    };
}
