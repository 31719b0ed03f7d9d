//! The worklist: the open tasks of the dossiers the user works on, with filters.

use super::{dossier_failure, render, tr, unavailable, Who};
use crate::api::WorklistParams;
use crate::i18n::Tr;
use crate::labels::Kind;
use crate::security::UiSession;
use crate::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use tnw_app::dossier::Work;

pub fn routes() -> Router<AppState> {
    Router::new().route("/worklist", get(worklist_page))
}

#[derive(Template)]
#[template(path = "worklist.html")]
struct WorklistPage {
    t: Tr,
    title: String,
    user: Option<Who>,
    csrf: String,
    items: Vec<Work>,
    task_codes: Vec<String>,
    regions: Vec<&'static str>,
    categories: Vec<u8>,
    filter_task: String,
    filter_within: String,
    filter_region: String,
    filter_category: u8,
    offer_mine: bool,
    filter_mine: bool,
}

async fn worklist_page(
    State(state): State<AppState>,
    UiSession(s): UiSession,
    headers: HeaderMap,
    q: Result<Query<WorklistParams>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let t = tr(&headers, Some(&s));
    let q = q.map(|Query(q)| q).unwrap_or_default();
    // A hand-edited address with a bad number shows the unfiltered list.
    let f = q.filter().unwrap_or_default();
    let today = state.today();
    let p = s.principal.clone();
    let f2 = f.clone();
    let res = state.run(move |app| app.worklist(&p, &f2, today)).await;
    let items = match res {
        Ok(Ok(items)) => items,
        Ok(Err(e)) => return dossier_failure(t, &s, e),
        Err(_) => return unavailable(),
    };
    let mut task_codes: Vec<String> = state
        .book()
        .sets()
        .iter()
        .flat_map(|set| set.rules.iter())
        .filter(|r| {
            // Outside actors' milestones are on their lists too.
            (r.kind == tnw_domain::rules::RuleKind::Task
                || tnw_app::access::is_outside_actor(&r.actor))
                && s.principal
                    .role
                    .worklist_actors()
                    .contains(&r.actor.as_str())
        })
        .map(|r| r.code.clone())
        .collect();
    task_codes.sort();
    task_codes.dedup();
    // In the order a person reads them: by label.
    task_codes.sort_by_cached_key(|c| t.label(Kind::Task, c).into_owned());
    render(&WorklistPage {
        t,
        title: t.get("worklist").into(),
        user: Some(Who::of(&s)),
        csrf: s.csrf.clone(),
        items,
        task_codes,
        regions: tnw_domain::event::Region::ALL
            .iter()
            .map(|r| r.as_str())
            .collect(),
        categories: if tnw_app::access::offers_category_filter(&s.principal) {
            vec![1, 2, 3, 4]
        } else {
            Vec::new()
        },
        filter_task: f.task.unwrap_or_default(),
        filter_within: f.due_within_days.map(|d| d.to_string()).unwrap_or_default(),
        filter_region: f.region.unwrap_or_default(),
        filter_category: f.category.unwrap_or(0),
        offer_mine: tnw_app::access::offers_own_caseload(&s.principal),
        filter_mine: f.mine,
    })
}
