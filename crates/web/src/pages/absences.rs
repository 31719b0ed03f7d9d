//! The employer's list of its workers absent for at least four weeks in a month
//! (docs/absences.md), with a month picker and the list as a CSV file.

use super::{dossier_failure, message, render, tr, unavailable, Who};
use crate::api::absences::month_param;
use crate::i18n::Tr;
use crate::security::UiSession;
use crate::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use serde::Deserialize;
use tnw_app::absences::AbsenceList;
use tnw_app::access::Screen;
use tnw_domain::absence::Month;

pub fn routes() -> Router<AppState> {
    Router::new().route("/absences", get(absences_page))
}

#[derive(Deserialize)]
struct MonthParam {
    month: Option<String>,
}

#[derive(Template)]
#[template(path = "absences.html")]
struct AbsencesPage {
    t: Tr,
    title: String,
    user: Option<Who>,
    csrf: String,
    /// The month shown in the picker (as typed when it is not one).
    month: String,
    /// The latest month that can be listed: this one.
    max_month: String,
    list: Option<AbsenceList>,
    csv_link: String,
    /// Why there is no list (a message key).
    problem: Option<&'static str>,
}

async fn absences_page(
    State(state): State<AppState>,
    UiSession(s): UiSession,
    headers: HeaderMap,
    q: Result<Query<MonthParam>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let t = tr(&headers, Some(&s));
    // Bad input is answered with the form only to those whose screen it is.
    if !s.principal.role.screens().contains(&Screen::Absences) {
        return message(t, &s, StatusCode::FORBIDDEN, "no_access");
    }
    let today = state.today();
    let current = Month::of(today);
    let asked = q.ok().and_then(|Query(q)| q.month);
    let page =
        |month: String, list: Option<AbsenceList>, problem: Option<&'static str>| AbsencesPage {
            t,
            title: t.get("absences").into(),
            user: Some(Who::of(&s)),
            csrf: s.csrf.clone(),
            csv_link: format!("/api/v1/employer/absences?month={month}&format=csv"),
            month,
            max_month: current.to_string(),
            list,
            problem,
        };
    let month = match asked.as_deref().map(str::trim) {
        None | Some("") => current,
        Some(m) => match month_param(Some(m)) {
            Ok(m) => m,
            Err(_) => {
                let shown: String = m.chars().take(20).collect();
                let p = page(shown, None, Some("absences_bad_month"));
                return (StatusCode::BAD_REQUEST, render(&p)).into_response();
            }
        },
    };
    if month > current {
        let p = page(month.to_string(), None, Some("absences_not_begun"));
        return (StatusCode::BAD_REQUEST, render(&p)).into_response();
    }
    let p = s.principal.clone();
    match state
        .run(move |app| app.employer_absences(&p, month, today))
        .await
    {
        Ok(Ok(list)) => render(&page(month.to_string(), Some(list), None)),
        Ok(Err(e)) => dossier_failure(t, &s, e),
        Err(_) => unavailable(),
    }
}
