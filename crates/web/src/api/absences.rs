//! `GET /api/v1/employer/absences?month=YYYY-MM[&format=csv]`: the employer's list of
//! its workers absent for at least four weeks in a month (docs/absences.md), as JSON
//! or as a CSV file.

use super::{dossier_error, error, unavailable};
use crate::i18n::{language, t};
use crate::security::ApiSession;
use crate::AppState;
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use tnw_app::absences::AbsenceList;
use tnw_domain::absence::Month;

#[derive(Deserialize)]
pub struct AbsenceParams {
    month: Option<String>,
    format: Option<String>,
}

/// The month asked for, or why it is not one.
pub(crate) fn month_param(month: Option<&str>) -> Result<Month, String> {
    match month.map(str::trim) {
        None | Some("") => Err("give the month as ?month=YYYY-MM (such as 2026-03)".into()),
        Some(m) => Month::parse(m),
    }
}

/// The list as CSV: a header in `lang`, one row per worker; a name that a spreadsheet
/// would read as a formula is defused.
pub(crate) fn to_csv(list: &AbsenceList, lang: &str) -> Result<Vec<u8>, csv::Error> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        t(lang, "absences_name"),
        t(lang, "absences_since"),
        t(lang, "absences_last_day"),
    ])?;
    for worker in &list.workers {
        w.write_record([
            tnw_app::export::defuse(&worker.name),
            worker.absent_since.to_string(),
            worker.last_day.map(|d| d.to_string()).unwrap_or_default(),
        ])?;
    }
    w.into_inner().map_err(|e| csv::Error::from(e.into_error()))
}

/// The list as a CSV download named after its month.
pub(crate) fn csv_download(list: &AbsenceList, lang: &str) -> Response {
    let body = match to_csv(list, lang) {
        Ok(b) => b,
        Err(e) => {
            tracing::error!(error = %e, "absence list csv failed");
            return error(StatusCode::INTERNAL_SERVER_ERROR, "internal error");
        }
    };
    let mut r = body.into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    // The month is checked `YYYY-MM`: always a valid header value.
    let disposition = format!("attachment; filename=\"tnw-absences-{}.csv\"", list.month);
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        r.headers_mut().insert(header::CONTENT_DISPOSITION, v);
    }
    r
}

/// `GET /api/v1/employer/absences`: the caller's (an employer's) list of absent
/// workers for `month`, as JSON, or as CSV with `format=csv`.
pub async fn employer_absences(
    State(state): State<AppState>,
    ApiSession(s): ApiSession,
    headers: HeaderMap,
    q: Result<Query<AbsenceParams>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let Ok(Query(q)) = q else {
        return error(
            StatusCode::BAD_REQUEST,
            "expected ?month=YYYY-MM and optionally &format=json or &format=csv",
        );
    };
    let month = match month_param(q.month.as_deref()) {
        Ok(m) => m,
        Err(m) => return error(StatusCode::BAD_REQUEST, &m),
    };
    let csv = match q.format.as_deref().map(str::trim) {
        None | Some("" | "json") => false,
        Some("csv") => true,
        Some(x) => {
            return error(
                StatusCode::BAD_REQUEST,
                &format!("`format` must be json or csv, not `{x}`"),
            )
        }
    };
    let today = state.today();
    let lang = language(&headers, Some(&s.language));
    match state
        .run(move |app| app.employer_absences(&s.principal, month, today))
        .await
    {
        Ok(Ok(list)) if csv => csv_download(&list, lang),
        Ok(Ok(list)) => Json(list).into_response(),
        Ok(Err(e)) => dossier_error(e),
        Err(_) => unavailable(),
    }
}
