//! Typed case events (docs/domain.md 7.1) and their parsing from one JSON line.
//!
//! Parsing is "parse, don't validate": a line either becomes an [`EventLine`] whose
//! every field is in range, or an error that names the field and the reason.

mod canonical;
mod fields;
mod model;
mod parse;
mod raw;
mod values;

pub use canonical::fingerprint;
pub use model::{
    CaseKey, CaseOpened, Employer, Event, EventLine, EventType, HandOff, Person, Plan, PlanStep,
};
pub use parse::{parse_line, ParseError, MAX_LINE_BYTES};
pub use values::{
    Activity, Condition, ConsentRole, ConsentScope, ContactMode, Decision, Extent, Initiative,
    Language, LetterKind, Partner, PartnerOutcome, PlanStatus, PlanWork, Regime, Region, Requester,
    Scheme, Service, Sex, SocioResult, StepOwner, StopReason, WorkType,
};
