//! The data the storage traits take and return, by aggregate.

mod absence;
mod account;
mod audit;
mod case;
mod fund;
mod import;
mod outbox;
mod scan;
mod survey;
mod work;

pub use absence::{AbsenceQuery, AbsenceRow};
pub use account::{Session, User};
pub use audit::{AuditEntry, AuditRecord};
pub use case::{CaseSummary, CaseWrite, OpenTask, StoredCase, StoredEvent};
pub use fund::Counts;
pub use import::ImportRecord;
pub use outbox::{Message, NewMessage, OutboxCounts};
pub use scan::{FactsRow, FigureRow};
pub use survey::{SurveyImportCounts, SurveyResponse};
pub use work::{CaseloadCase, CaseloadRow, WorkItem, WorklistQuery};
