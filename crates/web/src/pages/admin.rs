//! Administration: the fund's users, its rule sets and the latest audit entries.

use super::{dossier_failure, message, render, tr, unavailable, Saved, Who};
use crate::i18n::Tr;
use crate::labels::{moment, Kind};
use crate::security::{csrf_ok, UiSession};
use crate::AppState;
use askama::Template;
use axum::extract::{Form, Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use serde::Deserialize;
use tnw_app::access::Role;
use tnw_app::accounts;
use tnw_app::dossier::DossierError;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin", get(admin_page))
        .route("/admin/users", post(create_user_form))
        .route("/admin/users/{username}", post(change_user_form))
}

#[derive(Template)]
#[template(path = "admin.html")]
struct AdminPage {
    t: Tr,
    title: String,
    user: Option<Who>,
    csrf: String,
    message: Option<String>,
    users: Vec<tnw_app::accounts::User>,
    roles: Vec<&'static str>,
    languages: [&'static str; 4],
    rule_sets: Vec<(String, String, String, usize)>,
    audit: Vec<AuditRow>,
}

/// One audit entry as the page shows it.
struct AuditRow {
    at: String,
    user: String,
    role: String,
    case: String,
    action: String,
    what: String,
    purpose: String,
}

async fn admin_page(
    State(state): State<AppState>,
    UiSession(s): UiSession,
    headers: HeaderMap,
    Query(saved): Query<Saved>,
) -> Response {
    let t = tr(&headers, Some(&s));
    let p = s.principal.clone();
    let res = state
        .run(move |app| -> Result<_, DossierError> {
            let users = app.accounts(&p)?;
            let audit = app.audit_log(&p, None, 100)?;
            Ok((users, audit))
        })
        .await;
    let (users, audit) = match res {
        Ok(Ok(x)) => x,
        // The analyst gets the reason in words: figures, never dossiers.
        Ok(Err(DossierError::Forbidden(_))) if s.principal.role.figures_only() => {
            return message(t, &s, StatusCode::FORBIDDEN, "analyst_note")
        }
        Ok(Err(e)) => return dossier_failure(t, &s, e),
        Err(_) => return unavailable(),
    };
    render(&AdminPage {
        t,
        title: t.get("users").into(),
        user: Some(Who::of(&s)),
        csrf: s.csrf.clone(),
        message: saved.saved.map(|_| t.get("saved").to_owned()),
        users,
        roles: Role::ALL.iter().map(|r| r.as_str()).collect(),
        languages: crate::i18n::LANGUAGES,
        rule_sets: state
            .book()
            .sets()
            .iter()
            .map(|r| {
                (
                    r.name.clone(),
                    r.title.clone(),
                    r.effective_from.to_string(),
                    r.rules.len(),
                )
            })
            .collect(),
        audit: audit
            .into_iter()
            .map(|a| AuditRow {
                at: moment(&a.at),
                user: a.entry.username,
                role: a.entry.role,
                case: a.case.map(|c| c.display().into_owned()).unwrap_or_default(),
                action: a.entry.action,
                what: a.entry.what,
                purpose: a.entry.purpose,
            })
            .collect(),
    })
}

#[derive(Deserialize)]
struct NewUserForm {
    csrf: String,
    username: String,
    display_name: String,
    role: String,
    language: String,
    password: String,
    person_id: Option<String>,
    employer_id: Option<String>,
    /// The kind of party an outside actor acts for, and its number or name.
    party_kind: Option<String>,
    party_id: Option<String>,
    email: Option<String>,
}

/// The party a form names: its kind and identifier, as the domain writes a party
/// (checked by the use case).
fn party_of(kind: Option<&str>, id: Option<&str>) -> Option<String> {
    let kind = kind.map(str::trim).filter(|k| !k.is_empty())?;
    let id = id.map(str::trim).unwrap_or("");
    let id = if kind == "employment_service" {
        id.to_ascii_lowercase()
    } else {
        id.to_owned()
    };
    Some(format!("{kind}:{id}"))
}

async fn create_user_form(
    State(state): State<AppState>,
    UiSession(s): UiSession,
    headers: HeaderMap,
    Form(f): Form<NewUserForm>,
) -> Response {
    let t = tr(&headers, Some(&s));
    if !csrf_ok(&s, &f.csrf) {
        return (StatusCode::FORBIDDEN, "invalid form token").into_response();
    }
    let account = accounts::NewAccount {
        username: f.username.trim().to_owned(),
        display_name: f.display_name,
        role: f.role,
        language: f.language,
        password: f.password,
        person_id: f.person_id,
        employer_id: f.employer_id,
        party: party_of(f.party_kind.as_deref(), f.party_id.as_deref()),
        email: f.email,
    };
    let p = s.principal.clone();
    match state.run(move |app| app.create_account(&p, &account)).await {
        Ok(Ok(())) => Redirect::to("/admin?saved=1").into_response(),
        Ok(Err(e)) => dossier_failure(t, &s, e),
        Err(_) => unavailable(),
    }
}

#[derive(Deserialize)]
struct ChangeUserForm {
    csrf: String,
    display_name: Option<String>,
    role: Option<String>,
    language: Option<String>,
    active: Option<String>,
    email: Option<String>,
    party: Option<String>,
}

async fn change_user_form(
    State(state): State<AppState>,
    UiSession(s): UiSession,
    headers: HeaderMap,
    Path(username): Path<String>,
    Form(f): Form<ChangeUserForm>,
) -> Response {
    let t = tr(&headers, Some(&s));
    if !csrf_ok(&s, &f.csrf) {
        return (StatusCode::FORBIDDEN, "invalid form token").into_response();
    }
    let change = accounts::AccountChange {
        username,
        display_name: f.display_name,
        role: f.role,
        language: f.language,
        email: f.email,
        party: f.party,
        active: match f.active.as_deref() {
            None => None,
            Some("true") => Some(true),
            Some("false") => Some(false),
            Some(_) => return (StatusCode::BAD_REQUEST, "active: true or false").into_response(),
        },
    };
    let p = s.principal.clone();
    match state.run(move |app| app.change_account(&p, &change)).await {
        Ok(Ok(())) => Redirect::to("/admin?saved=1").into_response(),
        Ok(Err(e)) => dossier_failure(t, &s, e),
        Err(_) => unavailable(),
    }
}
