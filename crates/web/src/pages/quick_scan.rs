//! The quick-scan questionnaire of a dossier: filling it in, saving a draft, sending it.

use super::{dossier_failure, render, tr, unavailable, urlencode, Who};
use crate::i18n::Tr;
use crate::security::{csrf_ok, now, UiSession};
use crate::AppState;
use askama::Template;
use axum::extract::{Form, Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use tnw_app::access::Screen;
use tnw_app::auth::LoggedIn;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/cases/{id}/quick-scan", get(quick_scan_page))
        .route("/cases/{id}/quick-scan/draft", post(quick_scan_draft))
        .route("/cases/{id}/quick-scan/send", post(quick_scan_send))
}

struct QuestionView {
    code: String,
    kind: &'static str,
    text: String,
    /// (code, text, chosen)
    options: Vec<(String, String, bool)>,
    text_answer: String,
    routed: bool,
}

#[derive(Template)]
#[template(path = "quick_scan.html")]
struct QuickScanPage {
    t: Tr,
    title: String,
    user: Option<Who>,
    csrf: String,
    case: String,
    open: bool,
    has_draft: bool,
    questions: Vec<QuestionView>,
    /// For the member: when their questionnaire is due back, and the way back to
    /// their own page.
    return_by: Option<tnw_domain::Date>,
    for_member: bool,
}

fn question_views(
    i: &tnw_app::questionnaire::Instrument,
    a: &tnw_app::questionnaire::Answers,
    lang: &str,
) -> Vec<QuestionView> {
    use tnw_app::questionnaire::Kind;
    i.questions
        .iter()
        .map(|q| {
            let chosen = |code: &str| match a.get(&q.code) {
                Some(serde_json::Value::String(s)) => s == code,
                Some(serde_json::Value::Array(v)) => v.iter().any(|x| x.as_str() == Some(code)),
                _ => false,
            };
            QuestionView {
                code: q.code.clone(),
                kind: match q.kind {
                    Kind::Single => "single",
                    Kind::Multi => "multi",
                    Kind::Text => "text",
                },
                text: q.text.get(lang).to_owned(),
                options: q
                    .options
                    .iter()
                    .map(|o| (o.code.clone(), o.text.get(lang).to_owned(), chosen(&o.code)))
                    .collect(),
                text_answer: a
                    .get(&q.code)
                    .and_then(|v| v.as_str())
                    .unwrap_or_default()
                    .to_owned(),
                routed: !q.asked_if.is_empty(),
            }
        })
        .collect()
}

async fn quick_scan_page(
    State(state): State<AppState>,
    UiSession(s): UiSession,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    let t = tr(&headers, Some(&s));
    let today = state.today();
    let p = s.principal.clone();
    let lang = t.lang;
    let for_member = s.principal.role.home() == Screen::MyDossiers;
    match state
        .run(move |app| {
            let f = app.open_quick_scan(&p, &id, today, lang)?;
            // The member's own task to return it, from their worklist.
            let return_by = if for_member {
                app.worklist(&p, &Default::default(), today)?
                    .into_iter()
                    .find(|w| w.case == f.case && w.task == "return_quick_scan")
                    .map(|w| w.due)
            } else {
                None
            };
            Ok::<_, tnw_app::dossier::DossierError>((f, return_by))
        })
        .await
    {
        Ok(Ok((f, return_by))) => render(&QuickScanPage {
            t,
            title: t.get("quick_scan").into(),
            user: Some(Who::of(&s)),
            csrf: s.csrf.clone(),
            has_draft: !f.answers.is_empty(),
            questions: question_views(f.instrument, &f.answers, lang),
            open: f.open,
            case: f.case,
            return_by,
            for_member,
        }),
        Ok(Err(e)) => dossier_failure(t, &s, e),
        Err(_) => unavailable(),
    }
}

/// Splits the form's token from the answers; `None` without a valid token.
fn answer_fields(s: &LoggedIn, fields: Vec<(String, String)>) -> Option<Vec<(String, String)>> {
    let token_ok = fields.iter().any(|(k, v)| k == "csrf" && csrf_ok(s, v));
    token_ok.then(|| fields.into_iter().filter(|(k, _)| k != "csrf").collect())
}

async fn quick_scan_draft(
    State(state): State<AppState>,
    UiSession(s): UiSession,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let t = tr(&headers, Some(&s));
    let Some(fields) = answer_fields(&s, fields) else {
        return (StatusCode::FORBIDDEN, "invalid form token").into_response();
    };
    let htmx = headers.contains_key("hx-request");
    let today = state.today();
    let p = s.principal.clone();
    let id2 = id.clone();
    match state
        .run(move |app| app.save_quick_scan_draft(&p, &id2, &fields, today, now()))
        .await
    {
        Ok(Ok(_)) if htmx => Html(t.get("draft_saved")).into_response(),
        Ok(Ok(_)) => Redirect::to(&format!("/cases/{}/quick-scan", urlencode(&id))).into_response(),
        Ok(Err(e)) => dossier_failure(t, &s, e),
        Err(_) => unavailable(),
    }
}

async fn quick_scan_send(
    State(state): State<AppState>,
    UiSession(s): UiSession,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let t = tr(&headers, Some(&s));
    let Some(fields) = answer_fields(&s, fields) else {
        return (StatusCode::FORBIDDEN, "invalid form token").into_response();
    };
    let today = state.today();
    let p = s.principal.clone();
    let id2 = id.clone();
    // A member who answers that they would like support is offered coaching next.
    let wants_support = fields.iter().any(|(k, v)| k == "support" && v == "yes");
    match state
        .run(move |app| app.send_quick_scan(&p, &id2, &fields, today))
        .await
    {
        Ok(Ok(())) if s.principal.role.home() == Screen::MyDossiers => {
            Redirect::to(if wants_support {
                "/me?saved=1&support=1"
            } else {
                "/me?saved=1"
            })
            .into_response()
        }
        Ok(Ok(())) => Redirect::to(&format!("/cases/{}?saved=1", urlencode(&id))).into_response(),
        Ok(Err(e)) => dossier_failure(t, &s, e),
        Err(_) => unavailable(),
    }
}
