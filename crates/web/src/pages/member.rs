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
use tnw_domain::event::{ConsentScope, EventType};

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
    consent_scopes: Vec<&'static str>,
    qs_type: &'static EventType,
    referral_type: &'static EventType,
    codex_type: &'static EventType,
    plan_type: &'static EventType,
    /// The quick scan just sent says the member would like support.
    support: bool,
    today: tnw_domain::Date,
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
        consent_scopes: ConsentScope::ALL.iter().map(|s| s.as_str()).collect(),
        qs_type: &EventType::QuickScanReturned,
        referral_type: &EventType::ReferredToCoordinator,
        codex_type: &EventType::CodexRequested,
        plan_type: &EventType::ReintegrationPlan,
        support: saved.support.is_some(),
        today,
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
    /// The party chosen (`employer:…`), or `physician` for the RIZIV/INAMI number typed
    /// in `physician`.
    party: Option<String>,
    physician: Option<String>,
    /// For a withdrawal (and v1 consents without a party): the role.
    to: Option<String>,
    scope: String,
    until: Option<String>,
}

/// The consent event a form asks for: the role follows from the party chosen.
fn consent_body(f: &ConsentForm, today: tnw_domain::Date) -> Result<serde_json::Value, String> {
    let kind = match f.action.as_str() {
        "give" => "consent_given",
        "withdraw" => "consent_withdrawn",
        _ => return Err("unknown action".into()),
    };
    fn typed(x: &Option<String>) -> Option<&str> {
        x.as_deref().map(str::trim).filter(|x| !x.is_empty())
    }
    let party = match typed(&f.party) {
        Some("physician") => match typed(&f.physician) {
            Some(n) => Some(format!("physician:{n}")),
            None => return Err("physician: type their RIZIV/INAMI number".into()),
        },
        other => other.map(str::to_owned),
    };
    let mut body = json!({ "type": kind, "date": today.to_string(), "scope": f.scope });
    match &party {
        Some(text) => {
            let parsed = tnw_domain::party::Party::parse(text).map_err(|e| e.to_string())?;
            body["to"] = json!(parsed.role().as_str());
            body["party"] = json!(parsed.to_string());
        }
        None => match typed(&f.to) {
            Some(to) => body["to"] = json!(to),
            None => return Err("choose who receives the consent".into()),
        },
    }
    if let (Some(u), "consent_given") = (typed(&f.until), kind) {
        body["until"] = json!(u);
    }
    Ok(body)
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
    let today = state.today();
    let body = match consent_body(&f, today) {
        Ok(b) => b,
        Err(e) => return dossier_failure(t, &s, DossierError::BadRequest(e)),
    };
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
