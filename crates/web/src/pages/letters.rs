//! The letters of a dossier: shown before sending, sent, and shown as sent.

use super::{dossier_failure, render, tr, unavailable, urlencode};
use crate::i18n::Tr;
use crate::security::{csrf_ok, UiSession};
use crate::AppState;
use askama::Template;
use axum::extract::{Form, Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;
use serde::Deserialize;
use tnw_app::auth::LoggedIn;

pub fn routes() -> Router<AppState> {
    Router::new().route(
        "/cases/{id}/letters/{kind}",
        get(letter_page).post(letter_send),
    )
}

#[derive(Template)]
#[template(path = "letter.html")]
struct LetterPage {
    t: Tr,
    csrf: String,
    case: String,
    task: Option<String>,
    sent: bool,
    l: tnw_app::letters::Letter,
}

#[derive(Deserialize)]
struct LetterQuery {
    task: Option<String>,
    sent: Option<String>,
}

#[derive(Deserialize)]
struct LetterForm {
    csrf: String,
    task: Option<String>,
}

#[allow(clippy::too_many_arguments)]
async fn letter_view(
    state: AppState,
    s: LoggedIn,
    headers: HeaderMap,
    id: String,
    kind: String,
    task: Option<String>,
    send: bool,
    shown_as_sent: bool,
) -> Response {
    let t = tr(&headers, Some(&s));
    let Some(kind) = tnw_domain::event::LetterKind::parse(&kind) else {
        return (StatusCode::NOT_FOUND, "unknown letter").into_response();
    };
    let today = state.today();
    let p = s.principal.clone();
    let (id2, task2) = (id.clone(), task.clone());
    match state
        .run(move |app| app.prepare_letter(&p, &id2, kind, task2.as_deref(), today, send))
        .await
    {
        Ok(Ok(_)) if send => {
            let q = task
                .map(|t| format!("&task={}", urlencode(&t)))
                .unwrap_or_default();
            Redirect::to(&format!(
                "/cases/{}/letters/{}?sent=1{q}",
                urlencode(&id),
                kind.as_str()
            ))
            .into_response()
        }
        Ok(Ok(l)) => render(&LetterPage {
            t,
            csrf: s.csrf.clone(),
            case: id,
            task,
            sent: shown_as_sent,
            l,
        }),
        Ok(Err(e)) => dossier_failure(t, &s, e),
        Err(_) => unavailable(),
    }
}

async fn letter_page(
    State(state): State<AppState>,
    UiSession(s): UiSession,
    headers: HeaderMap,
    Path((id, kind)): Path<(String, String)>,
    Query(q): Query<LetterQuery>,
) -> Response {
    let sent = q.sent.is_some();
    letter_view(state, s, headers, id, kind, q.task, false, sent).await
}

async fn letter_send(
    State(state): State<AppState>,
    UiSession(s): UiSession,
    headers: HeaderMap,
    Path((id, kind)): Path<(String, String)>,
    Form(f): Form<LetterForm>,
) -> Response {
    if !csrf_ok(&s, &f.csrf) {
        return (StatusCode::FORBIDDEN, "invalid form token").into_response();
    }
    let task = f.task.filter(|t| !t.trim().is_empty());
    letter_view(state, s, headers, id, kind, task, true, false).await
}
