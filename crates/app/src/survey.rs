//! The experience survey use cases: import a CSV file of responses into a fund (all
//! or nothing per file), and the frequency report (docs/domain.md 7.4) over a fund's
//! responses, as CSV and as a table for XLSX. The rules themselves are `tnw_survey`'s.

use crate::export::{Cell, Table, SMALL};
use crate::handle::App;
use tnw_storage::{SurveyImportCounts, SurveyResponse, SurveyStore};
use tnw_survey::{experience_survey, Instrument, ReportRow, Response};

pub use tnw_survey::ImportError;

#[derive(Debug, thiserror::Error)]
pub enum SurveyError {
    #[error(transparent)]
    Instrument(#[from] tnw_survey::InstrumentError),
    #[error(transparent)]
    Import(#[from] ImportError),
    #[error(transparent)]
    Storage(#[from] tnw_storage::StorageError),
    #[error("stored survey data is corrupt: {0}")]
    Corrupt(String),
    #[error(transparent)]
    Refused(#[from] crate::access::Refusal),
    #[error(transparent)]
    App(#[from] crate::AppError),
}

/// What an import did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Imported {
    /// Respondents in the file.
    pub respondents: u64,
    pub counts: SurveyImportCounts,
}

/// The survey in force.
pub fn instrument() -> Result<&'static Instrument, SurveyError> {
    Ok(experience_survey()?)
}

/// Checks a whole CSV file and stores its responses in `org`, or stores nothing and
/// returns every bad row. Re-importing a file changes nothing; a corrected file
/// replaces the answers of the respondents it holds.
pub fn import<S: SurveyStore + ?Sized>(
    store: &mut S,
    org: &str,
    data: &[u8],
) -> Result<Imported, SurveyError> {
    let i = instrument()?;
    let responses = tnw_survey::parse_csv(i, data)?;
    store_responses(store, org, i, &responses)
}

/// Stores checked responses (the demo's generated ones, an import's parsed ones).
pub fn store_responses<S: SurveyStore + ?Sized>(
    store: &mut S,
    org: &str,
    i: &Instrument,
    responses: &[Response],
) -> Result<Imported, SurveyError> {
    let rows: Vec<SurveyResponse> = responses
        .iter()
        .map(|r| SurveyResponse {
            respondent: r.respondent.clone(),
            answers: r.answers_json(),
        })
        .collect();
    let counts = store.import_survey(org, &i.version, &rows)?;
    Ok(Imported {
        respondents: rows.len() as u64,
        counts,
    })
}

/// The report over a fund's responses to the survey in force.
#[derive(Debug, Clone)]
pub struct SurveyReport {
    pub instrument: &'static Instrument,
    pub respondents: u64,
    pub rows: Vec<ReportRow>,
    /// Mean of each integer question (beside its buckets on the page).
    pub means: Vec<(String, Option<f64>)>,
}

/// The report of `p`'s fund as `p` may see it: the access policy decides whether `p`
/// sees it at all and whether small counts are hidden (`aggregate_only`).
pub fn report_for<S: SurveyStore + ?Sized>(
    store: &mut S,
    p: &crate::access::Principal,
) -> Result<(SurveyReport, crate::access::FigureAccess), SurveyError> {
    let access = crate::access::figures_access(p)?;
    Ok((report(store, &p.org)?, access))
}

/// The report of fund `org`, every count shown (the CLI, for the fund's IT team).
pub fn report<S: SurveyStore + ?Sized>(
    store: &mut S,
    org: &str,
) -> Result<SurveyReport, SurveyError> {
    let i = instrument()?;
    let responses = store
        .survey_responses(org, &i.version)?
        .into_iter()
        .map(|r| Response::from_json(&r.respondent, &r.answers))
        .collect::<Result<Vec<_>, _>>()
        .map_err(SurveyError::Corrupt)?;
    let means = i
        .questions
        .iter()
        .filter(|q| q.kind == tnw_survey::Kind::Integer)
        .map(|q| {
            (
                q.code.clone(),
                tnw_survey::report::mean(&responses, &q.code),
            )
        })
        .collect();
    Ok(SurveyReport {
        instrument: i,
        respondents: responses.len() as u64,
        rows: tnw_survey::report(i, &responses),
        means,
    })
}

/// The small-count threshold for a viewer: aggregate-only viewers (analysts) see
/// counts of 1–4 as `<5`.
pub fn threshold(aggregate_only: bool) -> Option<u64> {
    aggregate_only.then_some(SMALL)
}

/// The report as CSV (docs/domain.md 7.4).
pub fn to_csv(r: &SurveyReport, aggregate_only: bool) -> String {
    tnw_survey::report::to_csv(&r.rows, threshold(aggregate_only))
}

/// The report as one table (the XLSX export): the CSV's columns, numbers as numbers.
pub fn table(r: &SurveyReport, aggregate_only: bool, title: &str) -> Table {
    let small = threshold(aggregate_only);
    let rows = r
        .rows
        .iter()
        .map(|row| {
            let [_, _, percent] = tnw_survey::report::shown(row, small);
            let count = |x: u64| match small {
                Some(k) if (1..k).contains(&x) => Cell::Small,
                _ => Cell::Count(x),
            };
            vec![
                Cell::text(&row.question),
                Cell::text(&row.option),
                count(row.n),
                count(row.base),
                if percent.is_empty() {
                    Cell::Empty
                } else {
                    // Tenths as a number: 803 → 80.3 (the nearest double; shown as 80.3).
                    row.percent_tenths()
                        .map_or(Cell::Empty, |t| Cell::Number(t as f64 / 10.0))
                },
            ]
        })
        .collect();
    Table {
        id: "survey".into(),
        title: title.into(),
        columns: ["question", "option", "n", "base", "percent"]
            .iter()
            .map(|c| (*c).to_owned())
            .collect(),
        rows,
    }
}

impl App {
    /// Checks a whole CSV file of responses and stores them in `org`, or nothing
    /// (docs/survey.md), for the operator's command line.
    pub fn import_survey(
        &self,
        _op: &crate::access::Operator,
        org: &str,
        data: &[u8],
    ) -> Result<Imported, SurveyError> {
        self.primary(|st, _| import(st, org, data))
    }

    /// The report of fund `org`, every count shown (the command line).
    pub fn survey_report_as_operator(
        &self,
        _op: &crate::access::Operator,
        org: &str,
    ) -> Result<SurveyReport, SurveyError> {
        self.primary(|st, _| report(st, org))
    }

    /// The report of `p`'s fund as `p` may see it.
    pub fn survey_report(
        &self,
        p: &crate::access::Principal,
    ) -> Result<(SurveyReport, crate::access::FigureAccess), SurveyError> {
        self.read(Some(p), |st, _| report_for(st, p))
    }
}
