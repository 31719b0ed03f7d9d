//! tnw's use cases. Each takes a [`Store`] and does one thing a person or a system
//! asks for; the CLI and (later) HTTP handlers only translate to and from them.

pub mod access;
pub mod accounts;
pub mod auth;
pub mod dossier;
pub mod due;
pub mod export;
pub mod figures;
pub mod import;
pub mod letters;
pub mod projection;
pub mod questionnaire;
pub mod reminders;
pub mod survey;
pub mod timeline;

pub use tnw_storage::Store;

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
}

pub type Result<T> = std::result::Result<T, AppError>;
