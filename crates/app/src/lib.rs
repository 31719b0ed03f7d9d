//! tnw's use cases. Each does one thing a person or a system asks for, through the
//! narrowest storage traits it needs; [`App`], the application handle, is how the
//! HTTP layer and the command line reach them: they hold an `App`, never a database
//! connection. Who may do what is decided in [`access`] alone.

pub mod absences;
pub mod access;
pub mod accounts;
pub mod audit;
pub mod auth;
pub mod demo;
pub mod dossier;
pub mod due;
pub mod export;
pub mod figures;
mod handle;
pub mod import;
pub mod letters;
pub mod operator;
mod pool;
pub mod projection;
pub mod questionnaire;
pub mod reminders;
pub mod survey;
pub mod timeline;

pub use handle::{App, Connections, FIGURES_CACHE};
pub use pool::{Connection, Opener};

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error(transparent)]
    Storage(#[from] tnw_storage::StorageError),
    #[error(transparent)]
    Rules(#[from] tnw_domain::RuleError),
    #[error("stored data is corrupt: {0}")]
    Corrupt(String),
    #[error("configuration: {0}")]
    Config(String),
    #[error("no case `{0}` in fund `{1}`")]
    CaseNotFound(String, String),
    /// Another writer changed a dossier while this run prepared its write; nothing of
    /// that write was stored.
    #[error("{0}")]
    Concurrent(String),
    /// The database could not be reached (no connection could be opened).
    #[error("the database is unavailable: {0}")]
    Unavailable(String),
}

impl AppError {
    /// Another writer kept changing the dossier while this write was decided: nothing
    /// was stored, and sending it again may succeed.
    pub fn is_conflict(&self) -> bool {
        matches!(
            self,
            AppError::Storage(tnw_storage::StorageError::Conflict(_))
        )
    }
}

pub type Result<T> = std::result::Result<T, AppError>;
