//! tnw's domain: typed case events, their validation, rule sets as data and the
//! deadline engine. Pure functions only: no files, no database, no clock.

pub mod absence;
pub mod date;
pub mod eligibility;
pub mod engine;
pub mod event;
pub mod facts;
pub mod figures;
pub mod party;
pub mod rules;
pub mod sanction;
pub mod validate;

pub use date::Date;
pub use engine::{evaluate, Item, Status};
pub use event::{parse_line, CaseKey, Event, EventLine, EventType, ParseError};
pub use facts::{CaseFacts, Fact};
pub use rules::{RuleBook, RuleError, RuleSet};
