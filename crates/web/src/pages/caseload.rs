//! The caseload: the user's own dossiers and the team's, with their open tasks.

use super::{dossier_failure, render, tr, unavailable, Who};
use crate::i18n::Tr;
use crate::labels::Kind;
use crate::security::UiSession;
use crate::AppState;
use askama::Template;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use tnw_app::dossier;
use tnw_domain::Date;

pub fn routes() -> Router<AppState> {
    Router::new().route("/caseload", get(caseload_page))
}

#[derive(Template)]
#[template(path = "caseload.html")]
struct CaseloadPage {
    t: Tr,
    title: String,
    user: Option<Who>,
    csrf: String,
    today: Date,
    show_mine: bool,
    mine: Vec<dossier::CaseloadEntry>,
    team: Vec<dossier::CaseloadLine>,
}

async fn caseload_page(
    State(state): State<AppState>,
    UiSession(s): UiSession,
    headers: HeaderMap,
) -> Response {
    let t = tr(&headers, Some(&s));
    let today = state.today();
    let p = s.principal.clone();
    let c = match state.run(move |app| app.caseload(&p, today)).await {
        Ok(Ok(c)) => c,
        Ok(Err(e)) => return dossier_failure(t, &s, e),
        Err(_) => return unavailable(),
    };
    render(&CaseloadPage {
        t,
        title: t.get("caseload").into(),
        user: Some(Who::of(&s)),
        csrf: s.csrf.clone(),
        today,
        show_mine: s.principal.role.takes_assignments(),
        mine: c.mine,
        team: c.team,
    })
}
