//! The figures pages: coached against not coached, the operational figures and the
//! team's caseloads, as tables with bar charts, and the same tables as CSV and XLSX.
//! Who sees what (named staff, small counts) is decided by `tnw_app::access`.

use super::{message, render, tr, unavailable, Who};
use crate::i18n::Tr;
use crate::labels::Kind;
use crate::security::UiSession;
use crate::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use serde::Deserialize;
use tnw_app::access::FigureAccess;
use tnw_app::auth::LoggedIn;
use tnw_app::export::{self, suppress, Cell, Table};
use tnw_app::figures::{scheme_table, tables, FigureFilter};
use tnw_domain::event::{Condition, Region, Scheme};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/reports", get(page))
        .route("/reports/figures.{format}", get(download))
}

/// Filters as a form sends them (empty = no filter).
#[derive(Deserialize, Default, Clone)]
pub struct FigureParams {
    from: Option<String>,
    to: Option<String>,
    category: Option<String>,
    condition: Option<String>,
    region: Option<String>,
    /// employee, unemployed or self_employed.
    scheme: Option<String>,
}

impl FigureParams {
    fn filter(&self) -> Result<FigureFilter, String> {
        let text = |v: &Option<String>| {
            v.as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
        };
        let mut f = FigureFilter::default();
        if let Some(d) = text(&self.from) {
            f.from = tnw_domain::date::parse_date(&d).map_err(|e| format!("from: {e}"))?;
        }
        if let Some(d) = text(&self.to) {
            f.to = tnw_domain::date::parse_date(&d).map_err(|e| format!("to: {e}"))?;
        }
        if f.from > f.to {
            return Err(format!("from {} is after to {}", f.from, f.to));
        }
        if let Some(c) = text(&self.category) {
            f.category = Some(
                c.parse::<u8>()
                    .ok()
                    .filter(|c| (1..=4).contains(c))
                    .ok_or_else(|| format!("category: `{c}` is not 1–4"))?,
            );
        }
        if let Some(c) = text(&self.condition) {
            f.condition =
                Some(Condition::parse(&c).ok_or_else(|| format!("condition: `{c}` is unknown"))?);
        }
        if let Some(r) = text(&self.region) {
            f.region = Some(Region::parse(&r).ok_or_else(|| format!("region: `{r}` is unknown"))?);
        }
        if let Some(x) = text(&self.scheme) {
            f.scheme =
                Some(Scheme::parse(&x).ok_or_else(|| {
                    format!("scheme: `{x}` is not one of {}", Scheme::expected())
                })?);
        }
        Ok(f)
    }
}

/// The caseload table: named staff for the fund's team, numbered for analysts.
fn caseload_table(rows: Vec<tnw_app::figures::CaseloadRow>, access: FigureAccess, t: Tr) -> Table {
    let mut n = 0;
    let mut table = Table {
        id: "caseload".into(),
        title: t.get("team_caseload").into(),
        columns: vec![
            t.get("assigned_to").into(),
            t.get("dossiers_count").into(),
            t.get("open_tasks").into(),
            t.get("overdue_tasks").into(),
        ],
        rows: rows
            .into_iter()
            .map(|r| {
                let who = match (&r.assignee, access.aggregate_only) {
                    (None, _) => t.get("unassigned").to_owned(),
                    (Some(a), false) => a.clone(),
                    (Some(_), true) => {
                        n += 1;
                        format!("#{n}")
                    }
                };
                vec![
                    Cell::Text(who),
                    Cell::Count(r.dossiers),
                    Cell::Count(r.open_tasks),
                    Cell::Count(r.overdue_tasks),
                ]
            })
            .collect(),
    };
    if access.aggregate_only {
        suppress(&mut table, &[]);
    }
    table
}

struct Built {
    tables: Vec<Table>,
    charts: Vec<String>,
    aggregate_only: bool,
}

async fn build(state: &AppState, s: &LoggedIn, t: Tr, q: &FigureParams) -> Result<Built, Response> {
    let pop = match state
        .run({
            let p = s.principal.clone();
            move |app| app.population(&p)
        })
        .await
    {
        Ok(Ok(p)) => p,
        Ok(Err(tnw_app::dossier::DossierError::Forbidden(_))) => {
            return Err(message(t, s, StatusCode::FORBIDDEN, "no_access"));
        }
        Ok(Err(e)) => {
            tracing::error!(error = %e, "figures failed");
            return Err((StatusCode::INTERNAL_SERVER_ERROR, "internal error").into_response());
        }
        Err(_) => return Err(unavailable()),
    };
    let filter = q
        .filter()
        .map_err(|m| (StatusCode::BAD_REQUEST, m).into_response())?;
    let today = state.today();
    let (o, ops, access, by_scheme) = {
        let pop = pop.clone();
        let f = filter.clone();
        let p = s.principal.clone();
        tokio::task::spawn_blocking(move || {
            let (o, ops, access) = tnw_app::figures::fund_figures(&pop, &p, &f, today)?;
            let by_scheme = tnw_app::figures::fund_figures_by_scheme(&pop, &p, &f, today)?;
            Ok::<_, tnw_app::access::Refusal>((o, ops, access, by_scheme))
        })
        .await
        .map_err(|_| unavailable())?
        .map_err(|_| message(t, s, StatusCode::FORBIDDEN, "no_access"))?
    };
    let p = s.principal.clone();
    let caseload = state
        .run(move |app| app.team_caseload(&p, today))
        .await
        .map_err(|_| unavailable())?
        .map_err(|_| (StatusCode::INTERNAL_SERVER_ERROR, "internal error").into_response())?;
    let label = |k: &str| t.get(k).to_owned();
    let mut tables = tables(&o, &ops, access.aggregate_only, &label);
    // Charts from the (possibly suppressed) tables: a hidden number draws no bar.
    let value = |c: &Cell| match c {
        Cell::Number(x) | Cell::Rate(x) => Some(*x),
        _ => None,
    };
    let outcome_rows = &tables[0].rows;
    let pair = |col: usize| -> Vec<(String, Option<f64>)> {
        outcome_rows
            .iter()
            .map(|r| (r[0].display(), value(&r[col])))
            .collect()
    };
    let timing: Vec<(String, Option<f64>)> = tables[2]
        .rows
        .iter()
        .map(|r| (r[0].display(), value(&r[2])))
        .collect();
    let rates: Vec<(String, Option<f64>)> = tables[3]
        .rows
        .iter()
        .map(|r| (r[0].display(), value(&r[3])))
        .collect();
    let charts = vec![
        crate::charts::bars(t, t.get("fig_mean_days"), &pair(3), false),
        crate::charts::bars(t, t.get("fig_relapse_rate"), &pair(4), true),
        crate::charts::bars(t, t.get("fig_full_rate"), &pair(6), true),
        crate::charts::bars(t, t.get("fig_median"), &timing, false),
        crate::charts::bars(t, t.get("fig_share"), &rates, true),
    ];
    // The self-employed apart from employees (their own clock since 2023).
    tables.push(scheme_table(&by_scheme, access.aggregate_only, &label));
    tables.push(caseload_table(caseload, access, t));
    Ok(Built {
        tables,
        charts,
        aggregate_only: access.aggregate_only,
    })
}

/// A figures table as the page shows it: each cell in the reader's language, and
/// whether it is a name (a username, never translated) rather than words.
struct ShownTable {
    id: String,
    title: String,
    columns: Vec<String>,
    rows: Vec<Vec<(String, bool)>>,
}

/// A cell in `t`'s language: shares as percentages, numbers with the language's
/// decimal sign (whole numbers without decimals).
fn shown_cell(t: Tr, c: &Cell) -> String {
    match c {
        Cell::Rate(x) => t.percent(*x),
        Cell::Number(x) if x.fract() == 0.0 => t.decimal(*x, 0),
        Cell::Number(x) => t.decimal(*x, 1),
        other => other.display(),
    }
}

fn shown_table(t: Tr, table: Table) -> ShownTable {
    let unassigned = t.get("unassigned");
    let rows = table
        .rows
        .iter()
        .map(|row| {
            row.iter()
                .enumerate()
                .map(|(i, c)| {
                    let text = shown_cell(t, c);
                    // The caseload names staff by their usernames.
                    let name = table.id == "caseload" && i == 0 && text != unassigned;
                    (text, name)
                })
                .collect()
        })
        .collect();
    ShownTable {
        id: table.id,
        title: table.title,
        columns: table.columns,
        rows,
    }
}

#[derive(Template)]
#[template(path = "reports.html")]
struct ReportsPage {
    t: Tr,
    title: String,
    user: Option<Who>,
    csrf: String,
    tables: Vec<ShownTable>,
    charts: Vec<String>,
    aggregate_only: bool,
    query: String,
    f_from: String,
    f_to: String,
    f_category: String,
    f_condition: String,
    f_region: String,
    conditions: Vec<&'static str>,
    regions: Vec<&'static str>,
}

async fn page(
    State(state): State<AppState>,
    UiSession(s): UiSession,
    headers: HeaderMap,
    q: Result<Query<FigureParams>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let t = tr(&headers, Some(&s));
    let q = q.map(|Query(q)| q).unwrap_or_default();
    let built = match build(&state, &s, t, &q).await {
        Ok(b) => b,
        Err(r) => return r,
    };
    let v = |x: &Option<String>| x.clone().unwrap_or_default();
    let query = serde_urlencoded_pairs(&q);
    render(&ReportsPage {
        t,
        title: t.get("figures").into(),
        user: Some(Who::of(&s)),
        csrf: s.csrf.clone(),
        tables: built
            .tables
            .into_iter()
            .map(|tb| shown_table(t, tb))
            .collect(),
        charts: built.charts,
        aggregate_only: built.aggregate_only,
        query,
        f_from: v(&q.from),
        f_to: v(&q.to),
        f_category: v(&q.category),
        f_condition: v(&q.condition),
        f_region: v(&q.region),
        conditions: Condition::ALL.iter().map(|c| c.as_str()).collect(),
        regions: Region::ALL.iter().map(|r| r.as_str()).collect(),
    })
}

/// The filters again, for the download links.
fn serde_urlencoded_pairs(q: &FigureParams) -> String {
    let enc = |s: &str| {
        s.bytes()
            .map(|b| match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => {
                    (b as char).to_string()
                }
                _ => format!("%{b:02X}"),
            })
            .collect::<String>()
    };
    [
        ("from", &q.from),
        ("to", &q.to),
        ("category", &q.category),
        ("condition", &q.condition),
        ("region", &q.region),
        ("scheme", &q.scheme),
    ]
    .iter()
    .filter_map(|(k, v)| {
        v.as_deref()
            .filter(|v| !v.is_empty())
            .map(|v| format!("{k}={}", enc(v)))
    })
    .collect::<Vec<_>>()
    .join("&")
}

async fn download(
    State(state): State<AppState>,
    UiSession(s): UiSession,
    headers: HeaderMap,
    Path(format): Path<String>,
    q: Result<Query<FigureParams>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let t = tr(&headers, Some(&s));
    let q = match q {
        Ok(Query(q)) => q,
        Err(e) => return (StatusCode::BAD_REQUEST, e.body_text()).into_response(),
    };
    if format != "csv" && format != "xlsx" {
        return (StatusCode::NOT_FOUND, "csv or xlsx").into_response();
    }
    let built = match build(&state, &s, t, &q).await {
        Ok(b) => b,
        Err(r) => return r,
    };
    // Exports leave the application: the fund's audit log says who took which figures.
    let filter = serde_urlencoded_pairs(&q);
    let fmt = format.clone();
    let p = s.principal.clone();
    match state
        .run(move |app| {
            app.record_export(
                &p,
                &tnw_app::figures::Export::Figures {
                    format: &fmt,
                    filter: &filter,
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
            export::to_csv(&built.tables).into_bytes(),
            "text/csv; charset=utf-8",
        )
    } else {
        match export::to_xlsx(&built.tables) {
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
    let mut r = body.into_response();
    r.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    let disposition = format!("attachment; filename=\"tnw-figures.{format}\"");
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        r.headers_mut().insert(header::CONTENT_DISPOSITION, v);
    }
    r
}
