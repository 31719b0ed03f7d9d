//! Server-rendered pages (askama), readable without JavaScript: one module per
//! screen; what they share (the page header, rendering, failure pages) is here.

pub mod absences;
pub mod admin;
pub mod caseload;
pub mod dossier;
pub mod letters;
pub mod login;
pub mod member;
pub mod queue;
pub mod quick_scan;
pub mod reports;
pub mod survey;
pub mod worklist;

use crate::i18n::{language, Tr};
use crate::security::UiSession;
use crate::AppState;
use askama::Template;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;
use serde::Deserialize;
use tnw_app::access::Screen;
use tnw_app::auth::LoggedIn;
use tnw_app::dossier::DossierError;

/// Every page's routes, and the static files they use.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(home))
        .merge(login::routes())
        .merge(worklist::routes())
        .merge(dossier::routes())
        .merge(letters::routes())
        .merge(quick_scan::routes())
        .merge(caseload::routes())
        .merge(queue::routes())
        .merge(member::routes())
        .merge(admin::routes())
        .merge(reports::routes())
        .merge(survey::routes())
        .merge(absences::routes())
        .route("/static/app.css", get(css))
        .route("/static/htmx.min.js", get(htmx))
}

/// The signed-in person in the page header, with the pages their role has.
pub struct Who {
    pub name: String,
    pub links: Vec<(&'static str, &'static str)>,
}

impl Who {
    pub fn of(s: &LoggedIn) -> Who {
        let links = s
            .principal
            .role
            .screens()
            .iter()
            .map(|&x| link(x))
            .collect();
        Who {
            name: s.display_name.clone(),
            links,
        }
    }
}

/// A screen's address and the message key of its name.
pub(crate) fn link(screen: Screen) -> (&'static str, &'static str) {
    match screen {
        Screen::Worklist => ("/worklist", "worklist"),
        Screen::Caseload => ("/caseload", "caseload"),
        Screen::Figures => ("/reports", "figures"),
        Screen::DoctorQueue => ("/queue", "doctor_queue"),
        Screen::MyDossiers => ("/me", "my_dossiers"),
        Screen::Accounts => ("/admin", "users"),
        Screen::Absences => ("/absences", "absences"),
    }
}

pub(crate) fn render<T: Template>(t: &T) -> Response {
    match t.render() {
        Ok(html) => Html(html).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "template failed");
            (StatusCode::INTERNAL_SERVER_ERROR, "internal error").into_response()
        }
    }
}

fn asset(body: &'static str, content_type: &'static str, cache: &'static str) -> Response {
    let mut r = body.into_response();
    r.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    r
}

async fn css() -> Response {
    asset(
        include_str!("../../static/app.css"),
        "text/css; charset=utf-8",
        "public, max-age=3600",
    )
}

/// htmx 2.0.11 (0BSD), vendored from the npm package `htmx.org`: the pages work without
/// it; with it, filters and forms update in place.
async fn htmx() -> Response {
    asset(
        include_str!("../../static/htmx.min.js"),
        "text/javascript; charset=utf-8",
        "public, max-age=86400",
    )
}

pub(crate) fn tr(headers: &HeaderMap, s: Option<&LoggedIn>) -> Tr {
    Tr {
        lang: language(headers, s.map(|s| s.language.as_str())),
    }
}

#[derive(Template)]
#[template(path = "message.html")]
struct MessagePage {
    t: Tr,
    title: String,
    text: String,
    user: Option<Who>,
    csrf: String,
}

pub(crate) fn message(t: Tr, s: &LoggedIn, status: StatusCode, key: &str) -> Response {
    let page = MessagePage {
        t,
        title: t.get(key).into(),
        text: t.get(key).into(),
        user: Some(Who::of(s)),
        csrf: s.csrf.clone(),
    };
    (status, render(&page)).into_response()
}

pub(crate) fn dossier_failure(t: Tr, s: &LoggedIn, e: DossierError) -> Response {
    match e {
        DossierError::NotFound => message(t, s, StatusCode::NOT_FOUND, "not_found"),
        DossierError::Forbidden(_) => message(t, s, StatusCode::FORBIDDEN, "no_access"),
        DossierError::BadRequest(m) | DossierError::Unprocessable(m) => {
            let page = MessagePage {
                t,
                title: t.get("dossier").into(),
                text: m,
                user: Some(Who::of(s)),
                csrf: s.csrf.clone(),
            };
            (StatusCode::UNPROCESSABLE_ENTITY, render(&page)).into_response()
        }
        DossierError::App(tnw_app::AppError::Unavailable(e)) => {
            tracing::error!(error = %e, "database unavailable");
            unavailable()
        }
        DossierError::App(e) => {
            tracing::error!(error = %e, "page failed");
            (StatusCode::INTERNAL_SERVER_ERROR, "internal error").into_response()
        }
    }
}

pub(crate) fn unavailable() -> Response {
    (StatusCode::SERVICE_UNAVAILABLE, "temporarily unavailable").into_response()
}

async fn home(UiSession(s): UiSession) -> Redirect {
    Redirect::to(link(s.principal.role.home()).0)
}

/// `?saved=1` after a form: the page says the change was saved.
#[derive(Deserialize)]
struct Saved {
    saved: Option<String>,
    /// After a quick scan that asks for support: offer the coaching request.
    support: Option<String>,
}

/// A dossier id or task code as one segment or value of a redirect address.
fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}
