//! The advisory doctor's queue: dossiers to assess, to reassess, and progressive returns.

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
use tnw_app::dossier::Work;

pub fn routes() -> Router<AppState> {
    Router::new().route("/queue", get(queue_page))
}

#[derive(Template)]
#[template(path = "queue.html")]
struct QueuePage {
    t: Tr,
    title: String,
    user: Option<Who>,
    csrf: String,
    sections: Vec<(&'static str, &'static str, Vec<Work>)>,
}

async fn queue_page(
    State(state): State<AppState>,
    UiSession(s): UiSession,
    headers: HeaderMap,
) -> Response {
    let t = tr(&headers, Some(&s));
    let today = state.today();
    let p = s.principal.clone();
    let q = match state.run(move |app| app.doctor_queue(&p, today)).await {
        Ok(Ok(q)) => q,
        Ok(Err(e)) => return dossier_failure(t, &s, e),
        Err(_) => return unavailable(),
    };
    render(&QueuePage {
        t,
        title: t.get("doctor_queue").into(),
        user: Some(Who::of(&s)),
        csrf: s.csrf.clone(),
        sections: vec![
            ("to-assess", "to_assess", q.to_assess),
            ("reassess", "reassess", q.reassess),
            ("progressive", "progressive_return", q.progressive),
        ],
    })
}
