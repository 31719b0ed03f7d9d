//! A member's own page (`/me`), spoken to them: per dossier what they must do now
//! (their own open tasks), who helps them, the milestones of the dossier in their
//! words, who they share it with, and who opened it.

use super::{dossier_failure, render, tr, unavailable, Saved, Who};
use crate::i18n::Tr;
use crate::labels::{moment, Kind};
use crate::security::{csrf_ok, UiSession};
use crate::AppState;
use askama::Template;
use axum::extract::{Form, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use serde::Deserialize;
use serde_json::json;
use tnw_app::dossier::{DossierError, DossierView, Work, WorkFilter};
use tnw_domain::event::{ConsentRole, ConsentScope, EventType};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/me", get(me_page))
        .route("/me/consent", post(consent_form))
}

struct AccessRow {
    at: String,
    user: String,
    role: String,
    purpose: String,
}

struct MyDossier {
    view: DossierView,
    /// The member's own open and overdue tasks on this dossier.
    todo: Vec<Work>,
    /// The coordinator the dossier is assigned to (their username).
    coordinator: Option<String>,
    shares_nothing: bool,
    access: Vec<AccessRow>,
}

#[derive(Template)]
#[template(path = "me.html")]
struct MePage {
    t: Tr,
    title: String,
    user: Option<Who>,
    csrf: String,
    message: Option<String>,
    dossiers: Vec<MyDossier>,
    consent_roles: Vec<&'static str>,
    consent_scopes: Vec<&'static str>,
    qs_type: &'static EventType,
    /// The words before and after the coordinator's name.
    coordinator_text: (&'static str, &'static str),
}

async fn me_page(
    State(state): State<AppState>,
    UiSession(s): UiSession,
    headers: HeaderMap,
    Query(saved): Query<Saved>,
) -> Response {
    let t = tr(&headers, Some(&s));
    let today = state.today();
    let p = s.principal.clone();
    let lang = t.lang;
    let res = state
        .run(move |app| -> Result<Vec<MyDossier>, DossierError> {
            // The member's worklist: their own tasks on their own dossiers.
            let mut todo = app.worklist(&p, &WorkFilter::default(), today)?;
            todo.sort_by_key(|w| w.due);
            let mut out = Vec::new();
            for id in app.my_cases(&p)? {
                let view = app.view_case(&p, &id, today, lang)?;
                let access = app
                    .access_log(&p, &id)?
                    .into_iter()
                    .map(|r| AccessRow {
                        at: moment(&r.at),
                        user: r.entry.username,
                        role: r.entry.role,
                        purpose: r.entry.purpose,
                    })
                    .collect();
                out.push(MyDossier {
                    todo: todo
                        .iter()
                        .filter(|w| w.case == view.case)
                        .cloned()
                        .collect(),
                    coordinator: view.coaching.as_ref().and_then(|c| c.assigned_to.clone()),
                    shares_nothing: view.consents.as_ref().is_some_and(Vec::is_empty),
                    view,
                    access,
                });
            }
            Ok(out)
        })
        .await;
    let dossiers = match res {
        Ok(Ok(d)) => d,
        Ok(Err(e)) => return dossier_failure(t, &s, e),
        Err(_) => return unavailable(),
    };
    render(&MePage {
        t,
        title: t.get("my_dossiers").into(),
        user: Some(Who::of(&s)),
        csrf: s.csrf.clone(),
        message: saved.saved.map(|_| t.get("saved").to_owned()),
        dossiers,
        consent_roles: [
            ConsentRole::OccupationalPhysician,
            ConsentRole::Employer,
            ConsentRole::EmploymentService,
            ConsentRole::TreatingPhysician,
        ]
        .iter()
        .map(|r| r.as_str())
        .collect(),
        consent_scopes: ConsentScope::ALL.iter().map(|s| s.as_str()).collect(),
        qs_type: &EventType::QuickScanReturned,
        coordinator_text: t
            .get("me_coordinator")
            .split_once("{0}")
            .unwrap_or(("", "")),
    })
}

#[derive(Deserialize)]
struct ConsentForm {
    csrf: String,
    case: String,
    action: String,
    to: String,
    scope: String,
}

async fn consent_form(
    State(state): State<AppState>,
    UiSession(s): UiSession,
    headers: HeaderMap,
    Form(f): Form<ConsentForm>,
) -> Response {
    let t = tr(&headers, Some(&s));
    if !csrf_ok(&s, &f.csrf) {
        return (StatusCode::FORBIDDEN, "invalid form token").into_response();
    }
    let kind = match f.action.as_str() {
        "give" => "consent_given",
        "withdraw" => "consent_withdrawn",
        _ => return (StatusCode::BAD_REQUEST, "unknown action").into_response(),
    };
    let today = state.today();
    let body = json!({ "type": kind, "date": today.to_string(), "to": f.to, "scope": f.scope });
    let p = s.principal.clone();
    match state
        .run(move |app| app.record_event(&p, &f.case, &body, today))
        .await
    {
        Ok(Ok(_)) => Redirect::to("/me?saved=1").into_response(),
        Ok(Err(e)) => dossier_failure(t, &s, e),
        Err(_) => unavailable(),
    }
}
