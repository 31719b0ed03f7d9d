//! The experience survey report (docs/domain.md 7.4) as a page with tables and bar charts,
//! as CSV and XLSX, and as a standalone HTML file (`tnw survey report --format html`).
//! Who sees it, and whether small counts are hidden, is `tnw_app::access`'s decision.

use super::{message, render, tr, unavailable, Who};
use crate::i18n::Tr;
use crate::security::UiSession;
use crate::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use tnw_app::access::FigureAccess;
use tnw_app::survey::{self, SurveyReport};
use tnw_survey::Kind;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/reports/survey", get(page))
        .route("/reports/survey.{format}", get(download))
}

/// One row of a question's table, as shown to this viewer.
pub struct RowView {
    pub option: String,
    pub label: String,
    pub n: String,
    pub base: String,
    pub percent: String,
    pub group: bool,
}

pub struct QuestionView {
    pub code: String,
    pub text: String,
    pub routing: String,
    pub mean: Option<String>,
    pub chart: String,
    pub rows: Vec<RowView>,
}

pub struct SectionView {
    pub title: String,
    pub questions: Vec<QuestionView>,
}

/// The report in `lang`, grouped by the instrument's sections; with `aggregate_only`
/// counts of 1–4 show as `<5` and percentages over them are left out (also from the
/// charts).
pub fn sections(r: &SurveyReport, lang: &str, aggregate_only: bool) -> Vec<SectionView> {
    let t = Tr {
        lang: crate::i18n::LANGUAGES
            .iter()
            .copied()
            .find(|l| *l == lang)
            .unwrap_or("en"),
    };
    let i = r.instrument;
    let small = survey::threshold(aggregate_only);
    i.sections
        .iter()
        .map(|s| SectionView {
            title: s.text.get(lang).to_owned(),
            questions: i
                .questions
                .iter()
                .filter(|q| q.section == s.code)
                .map(|q| {
                    let label = |code: &str| -> String {
                        let text = match q.kind {
                            Kind::Single => {
                                q.options.iter().find(|o| o.code == code).map(|o| &o.text)
                            }
                            Kind::Integer => {
                                q.buckets.iter().find(|b| b.code == code).map(|b| &b.text)
                            }
                            Kind::Likert => i
                                .likert
                                .options
                                .iter()
                                .find(|o| o.code == code)
                                .map(|o| &o.text)
                                .or_else(|| {
                                    i.likert
                                        .groups
                                        .iter()
                                        .find(|g| g.code == code)
                                        .map(|g| &g.text)
                                }),
                        };
                        text.map_or_else(|| code.to_owned(), |t| t.get(lang).to_owned())
                    };
                    let rows: Vec<RowView> = r
                        .rows
                        .iter()
                        .filter(|row| row.question == q.code)
                        .map(|row| {
                            let [n, base, percent] = tnw_survey::report::shown(row, small);
                            // One decimal, with the language's decimal sign.
                            let percent = match percent.parse::<f64>() {
                                Ok(p) => t.decimal(p, 1),
                                Err(_) => percent,
                            };
                            RowView {
                                option: row.option.clone(),
                                label: label(&row.option),
                                n,
                                base,
                                percent,
                                group: row.group,
                            }
                        })
                        .collect();
                    // The chart draws what the table shows: a hidden percentage, no bar.
                    let bars: Vec<(String, Option<f64>)> = rows
                        .iter()
                        .filter(|row| !row.group)
                        .map(|row| {
                            (
                                row.label.clone(),
                                row.percent
                                    .replace(',', ".")
                                    .parse::<f64>()
                                    .ok()
                                    .map(|p| p / 100.0),
                            )
                        })
                        .collect();
                    let base_shown = r
                        .rows
                        .iter()
                        .find(|row| row.question == q.code)
                        .is_some_and(|row| small.is_none_or(|k| row.base >= k));
                    let mean = r
                        .means
                        .iter()
                        .find(|(c, _)| *c == q.code)
                        .and_then(|(_, m)| *m)
                        .filter(|_| base_shown)
                        .map(|m| t.decimal(m, 1));
                    QuestionView {
                        code: q.code.clone(),
                        text: q.text.get(lang).to_owned(),
                        routing: q
                            .asked_if
                            .iter()
                            .map(|(c, v)| format!("{c} ∈ {{{}}}", v.join(", ")))
                            .collect::<Vec<_>>()
                            .join(" · "),
                        mean,
                        chart: crate::charts::bars(t, q.text.get(lang), &bars, true),
                        rows,
                    }
                })
                .collect(),
        })
        .collect()
}

#[derive(Template)]
#[template(path = "survey.html")]
struct SurveyPage {
    t: Tr,
    title: String,
    user: Option<Who>,
    csrf: String,
    respondents: u64,
    empty: bool,
    version: String,
    aggregate_only: bool,
    sections: Vec<SectionView>,
}

#[derive(Template)]
#[template(path = "survey_standalone.html")]
struct Standalone {
    t: Tr,
    title: String,
    respondents: u64,
    empty: bool,
    version: String,
    aggregate_only: bool,
    sections: Vec<SectionView>,
}

/// The report as one self-contained HTML file (no scripts, no external files).
pub fn standalone_html(
    r: &SurveyReport,
    lang: &str,
    aggregate_only: bool,
) -> Result<String, askama::Error> {
    let lang = crate::i18n::LANGUAGES
        .iter()
        .copied()
        .find(|l| *l == lang)
        .unwrap_or("nl");
    let t = Tr { lang };
    Standalone {
        t,
        title: t.get("survey_title").into(),
        respondents: r.respondents,
        empty: r.respondents == 0,
        version: r.instrument.version.clone(),
        aggregate_only,
        sections: sections(r, lang, aggregate_only),
    }
    .render()
}

/// The report as the session's user may see it; a refusal or failure as a response.
async fn load(
    state: &AppState,
    s: &tnw_app::auth::LoggedIn,
    t: Tr,
) -> Result<(SurveyReport, FigureAccess), Response> {
    let p = s.principal.clone();
    match state.run(move |app| app.survey_report(&p)).await {
        Ok(Ok(r)) => Ok(r),
        Ok(Err(survey::SurveyError::Refused(_))) => {
            Err(message(t, s, StatusCode::FORBIDDEN, "no_access"))
        }
        Ok(Err(e)) => {
            tracing::error!(error = %e, "survey report failed");
            Err((StatusCode::INTERNAL_SERVER_ERROR, "internal error").into_response())
        }
        Err(_) => Err(unavailable()),
    }
}

async fn page(
    State(state): State<AppState>,
    UiSession(s): UiSession,
    headers: HeaderMap,
) -> Response {
    let t = tr(&headers, Some(&s));
    let (r, access) = match load(&state, &s, t).await {
        Ok(r) => r,
        Err(resp) => return resp,
    };
    render(&SurveyPage {
        t,
        title: t.get("survey_title").into(),
        user: Some(Who::of(&s)),
        csrf: s.csrf.clone(),
        respondents: r.respondents,
        empty: r.respondents == 0,
        version: r.instrument.version.clone(),
        aggregate_only: access.aggregate_only,
        sections: sections(&r, t.lang, access.aggregate_only),
    })
}

async fn download(
    State(state): State<AppState>,
    UiSession(s): UiSession,
    headers: HeaderMap,
    Path(format): Path<String>,
) -> Response {
    let t = tr(&headers, Some(&s));
    if format != "csv" && format != "xlsx" {
        return (StatusCode::NOT_FOUND, "csv or xlsx").into_response();
    }
    let (r, access) = match load(&state, &s, t).await {
        Ok(r) => r,
        Err(resp) => return resp,
    };
    // Exports leave the application: the fund's audit log says who took them.
    let p = s.principal.clone();
    let instrument = r.instrument.version.clone();
    let fmt = format.clone();
    match state
        .run(move |app| {
            app.record_export(
                &p,
                &tnw_app::figures::Export::Survey {
                    format: &fmt,
                    instrument: &instrument,
                },
            )
        })
        .await
    {
        Ok(Ok(())) => {}
        _ => return unavailable(),
    }
    let (body, content_type) = if format == "csv" {
        (
            survey::to_csv(&r, access.aggregate_only).into_bytes(),
            "text/csv; charset=utf-8",
        )
    } else {
        let table = survey::table(&r, access.aggregate_only, t.get("survey_title"));
        match tnw_app::export::to_xlsx(&[table]) {
            Ok(b) => (
                b,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            ),
            Err(e) => {
                tracing::error!(error = %e, "xlsx failed");
                return (StatusCode::INTERNAL_SERVER_ERROR, "internal error").into_response();
            }
        }
    };
    let mut resp = body.into_response();
    resp.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    let disposition = format!("attachment; filename=\"tnw-survey.{format}\"");
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        resp.headers_mut().insert(header::CONTENT_DISPOSITION, v);
    }
    resp
}
