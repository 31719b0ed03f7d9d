//! The experience survey (docs/domain.md 5, 7.3, 7.4) as pure rules: the instrument as
//! versioned data, the CSV import checks with routing, and the frequency report. No
//! I/O here: callers hand in bytes and get back responses, errors or report rows.

pub mod instrument;
pub mod report;
pub mod responses;
pub mod study;

pub use instrument::{experience_survey, Instrument, InstrumentError, Kind, Question};
pub use report::{format_tenths, percent_tenths, report, ReportRow};
pub use responses::{parse_csv, ImportError, Response, RowError};
