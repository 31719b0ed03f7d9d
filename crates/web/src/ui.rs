//! Server-rendered pages (askama), readable without JavaScript.

use crate::api::WorklistParams;
use crate::i18n::{language, Tr};
use crate::security::{clear_session_cookie, csrf_ok, now, session_cookie, UiSession, LANG_COOKIE};
use crate::AppState;
use askama::Template;
use axum::extract::{Form, Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use serde::Deserialize;
use serde_json::json;
use tnw_app::access::Role;
use tnw_app::accounts;
use tnw_app::auth::{self, AuthError, LoggedIn};
use tnw_app::dossier::{self, DossierError, DossierView, Work};
use tnw_domain::event::{ConsentRole, ConsentScope, EventType, PartnerOutcome, StepOwner};
use tnw_domain::Date;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(home))
        .route("/login", get(login_page).post(login_form))
        .route("/logout", post(logout_form))
        .route("/lang/{code}", get(set_language))
        .route("/worklist", get(worklist_page))
        .route("/cases/{id}", get(case_page))
        .route("/cases/{id}/record", post(record_form))
        .route(
            "/cases/{id}/letters/{kind}",
            get(letter_page).post(letter_send),
        )
        .route("/cases/{id}/quick-scan", get(quick_scan_page))
        .route("/cases/{id}/quick-scan/draft", post(quick_scan_draft))
        .route("/cases/{id}/quick-scan/send", post(quick_scan_send))
        .route("/caseload", get(caseload_page))
        .route("/queue", get(queue_page))
        .route("/me", get(me_page))
        .route("/me/consent", post(consent_form))
        .route("/admin", get(admin_page))
        .route("/admin/users", post(create_user_form))
        .route("/admin/users/{username}", post(change_user_form))
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
        let links: &[(&str, &str)] = match s.principal.role {
            Role::Coordinator => &[
                ("/worklist", "worklist"),
                ("/caseload", "caseload"),
                ("/reports", "figures"),
            ],
            Role::Paramedic => &[("/worklist", "worklist"), ("/caseload", "caseload")],
            Role::AdvisoryDoctor => &[
                ("/queue", "doctor_queue"),
                ("/worklist", "worklist"),
                ("/reports", "figures"),
            ],
            Role::Member => &[("/me", "my_dossiers")],
            Role::Admin => &[
                ("/admin", "users"),
                ("/caseload", "caseload"),
                ("/reports", "figures"),
            ],
            Role::Analyst => &[("/reports", "figures")],
            Role::OccupationalPhysician | Role::Employer => &[("/worklist", "worklist")],
            _ => &[],
        };
        Who {
            name: s.display_name.clone(),
            links: links.to_vec(),
        }
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
        include_str!("../static/app.css"),
        "text/css; charset=utf-8",
        "public, max-age=3600",
    )
}

/// htmx 2.0.11 (0BSD), vendored from the npm package `htmx.org`: the pages work without
/// it; with it, filters and forms update in place.
async fn htmx() -> Response {
    asset(
        include_str!("../static/htmx.min.js"),
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
    match s.principal.role {
        Role::Member => Redirect::to("/me"),
        Role::Admin => Redirect::to("/admin"),
        Role::AdvisoryDoctor => Redirect::to("/queue"),
        _ => Redirect::to("/worklist"),
    }
}

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    t: Tr,
    title: String,
    message: Option<String>,
    user: Option<Who>,
    csrf: String,
}

async fn login_page(headers: HeaderMap) -> Response {
    let t = tr(&headers, None);
    render(&LoginPage {
        t,
        title: t.get("login").into(),
        message: None,
        user: None,
        csrf: String::new(),
    })
}

#[derive(Deserialize)]
struct LoginForm {
    username: String,
    password: String,
}

async fn login_form(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(f): Form<LoginForm>,
) -> Response {
    let t = tr(&headers, None);
    let page = |status: StatusCode, key: &str| {
        (
            status,
            render(&LoginPage {
                t,
                title: t.get("login").into(),
                message: Some(t.get(key).into()),
                user: None,
                csrf: String::new(),
            }),
        )
            .into_response()
    };
    if f.username.len() > 200 || f.password.len() > 1000 {
        return page(StatusCode::BAD_REQUEST, "login_failed");
    }
    let secure = state.secure_cookies();
    match state
        .with_store(move |st, _| auth::login(st, &f.username, &f.password, now()))
        .await
    {
        Ok(Ok(s)) => {
            let mut r = Redirect::to("/").into_response();
            r.headers_mut()
                .insert(header::SET_COOKIE, session_cookie(&s.token, secure));
            r
        }
        Ok(Err(AuthError::Throttled)) => page(StatusCode::TOO_MANY_REQUESTS, "login_throttled"),
        Ok(Err(_)) => page(StatusCode::UNAUTHORIZED, "login_failed"),
        Err(_) => unavailable(),
    }
}

#[derive(Deserialize)]
struct CsrfForm {
    csrf: String,
}

async fn logout_form(
    State(state): State<AppState>,
    UiSession(s): UiSession,
    Form(f): Form<CsrfForm>,
) -> Response {
    if !csrf_ok(&s, &f.csrf) {
        return (StatusCode::FORBIDDEN, "invalid form token").into_response();
    }
    let secure = state.secure_cookies();
    let token = s.token.clone();
    state.forget_session(&token);
    let _ = state
        .with_store(move |st, _| auth::logout(st, &token))
        .await;
    let mut r = Redirect::to("/login").into_response();
    r.headers_mut()
        .insert(header::SET_COOKIE, clear_session_cookie(secure));
    r
}

async fn set_language(Path(code): Path<String>) -> Response {
    let Some(lang) = crate::i18n::LANGUAGES.iter().find(|l| **l == code) else {
        return (StatusCode::NOT_FOUND, "unknown language").into_response();
    };
    let mut r = Redirect::to("/").into_response();
    let cookie = format!("{LANG_COOKIE}={lang}; Path=/; SameSite=Lax; Max-Age=31536000");
    if let Ok(v) = HeaderValue::from_str(&cookie) {
        r.headers_mut().insert(header::SET_COOKIE, v);
    }
    r
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
    let res = state
        .with_read_store(Some(&s.principal), move |st, book| {
            dossier::worklist(st, book, &p, &f2, today)
        })
        .await;
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
            r.kind == tnw_domain::rules::RuleKind::Task
                && s.principal
                    .role
                    .worklist_actors()
                    .contains(&r.actor.as_str())
        })
        .map(|r| r.code.clone())
        .collect();
    task_codes.sort();
    task_codes.dedup();
    render(&WorklistPage {
        t,
        title: t.get("worklist").into(),
        user: Some(Who::of(&s)),
        csrf: s.csrf.clone(),
        items,
        task_codes,
        regions: vec!["flanders", "wallonia", "brussels", "german", "abroad"],
        categories: vec![1, 2, 3, 4],
        filter_task: f.task.unwrap_or_default(),
        filter_within: f.due_within_days.map(|d| d.to_string()).unwrap_or_default(),
        filter_region: f.region.unwrap_or_default(),
        filter_category: f.category.unwrap_or(0),
        offer_mine: s.principal.role == Role::Coordinator,
        filter_mine: f.mine,
    })
}

#[derive(Template)]
#[template(path = "case.html")]
struct CasePage {
    t: Tr,
    title: String,
    user: Option<Who>,
    csrf: String,
    v: DossierView,
    message: Option<String>,
    can_contact: bool,
    first_contact_pending: bool,
    today: Date,
    /// Which recording forms this role gets (the policy still decides on submit).
    forms: Vec<&'static str>,
    step_rows: Vec<u8>,
    step_owners: Vec<&'static str>,
    partner_outcomes: Vec<&'static str>,
    /// Partners the member was referred to: the ones a result can be recorded for.
    referred: Vec<String>,
    /// Who a dossier can be assigned to (username, name).
    team: Vec<(String, String)>,
    letter_type: &'static EventType,
    qs_type: &'static EventType,
    /// The returned quick scans with question and answer texts (medical roles).
    qs_answers: Vec<(Date, Vec<(String, String)>)>,
}

/// Quick-scan answers as (question, answer) texts in `lang`; answers to questions the
/// instrument does not know (another version, imported data) are shown as they are.
fn answer_rows(a: &tnw_app::questionnaire::Answers, lang: &str) -> Vec<(String, String)> {
    let Ok(i) = tnw_app::questionnaire::quick_scan() else {
        return Vec::new();
    };
    a.iter()
        .filter(|(k, _)| *k != "instrument")
        .map(|(k, v)| {
            let q = i.questions.iter().find(|q| q.code == *k);
            let option = |code: &str| {
                q.and_then(|q| q.options.iter().find(|o| o.code == code))
                    .map(|o| o.text.get(lang).to_owned())
                    .unwrap_or_else(|| code.to_owned())
            };
            let answer = match v {
                serde_json::Value::String(s) if q.is_some_and(|q| !q.options.is_empty()) => {
                    option(s)
                }
                serde_json::Value::String(s) => s.clone(),
                serde_json::Value::Array(items) => items
                    .iter()
                    .map(|x| x.as_str().map(option).unwrap_or_else(|| x.to_string()))
                    .collect::<Vec<_>>()
                    .join(", "),
                other => other.to_string(),
            };
            (
                q.map(|q| q.text.get(lang).to_owned())
                    .unwrap_or_else(|| k.clone()),
                answer,
            )
        })
        .collect()
}

/// Rows of agreed steps offered by the action-plan form.
const STEP_ROWS: u8 = 3;

/// The events the dossier page has a form for, among those the role may record.
fn record_forms(role: Role) -> Vec<&'static str> {
    const WITH_FORM: &[EventType] = &[
        EventType::CaseAssigned,
        EventType::ActionPlan,
        EventType::PartnerReferral,
        EventType::PartnerResult,
        EventType::CoachingStopped,
        EventType::WorkResumed,
        EventType::CapacityAssessed,
        EventType::ReferredToCoordinator,
        EventType::AuthorisedActivity,
        EventType::CodexDecision,
        EventType::ReintegrationPlan,
    ];
    WITH_FORM
        .iter()
        .filter(|t| role.recordable().contains(t))
        // A member's own referral and a doctor's use other initiatives; the form
        // sends the doctor's, so only the doctor gets it.
        .filter(|t| **t != EventType::ReferredToCoordinator || role == Role::AdvisoryDoctor)
        .map(|t| t.as_str())
        .collect()
}

#[derive(Deserialize)]
struct Saved {
    saved: Option<String>,
}

async fn case_page(
    State(state): State<AppState>,
    UiSession(s): UiSession,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(saved): Query<Saved>,
) -> Response {
    let t = tr(&headers, Some(&s));
    let today = state.today();
    let p = s.principal.clone();
    let lang = t.lang;
    let may_assign = s
        .principal
        .role
        .recordable()
        .contains(&EventType::CaseAssigned);
    let who = s.principal.clone();
    match state
        .with_store_as(&who, move |st, book| {
            let v = dossier::view_case(st, book, &p, &id, today, lang)?;
            let team = if may_assign {
                dossier::team(st, &p)?
            } else {
                Vec::new()
            };
            Ok::<_, DossierError>((v, team))
        })
        .await
    {
        Ok(Ok((v, team))) => {
            let mut referred: Vec<String> = v
                .coaching
                .iter()
                .flat_map(|c| c.referrals.iter().map(|r| r.to.clone()))
                .collect();
            referred.sort();
            referred.dedup();
            // Only what the role may record and the dossier's state allows today.
            let forms = record_forms(s.principal.role)
                .into_iter()
                .filter(|f| v.recordable.iter().any(|k| k.as_str() == *f))
                .collect();
            let first_contact_pending = v.timeline.as_ref().is_some_and(|tl| {
                tl.iter()
                    .any(|m| m.code == "first_contact" && matches!(m.status, "open" | "overdue"))
            });
            render(&CasePage {
                t,
                title: format!("{} {}", t.get("dossier"), v.case),
                user: Some(Who::of(&s)),
                csrf: s.csrf.clone(),
                message: saved.saved.map(|_| t.get("saved").to_owned()),
                can_contact: v.recordable.contains(&EventType::CoordinatorContact),
                first_contact_pending,
                today,
                forms,
                step_rows: (1..=STEP_ROWS).collect(),
                step_owners: StepOwner::ALL.iter().map(|o| o.as_str()).collect(),
                partner_outcomes: PartnerOutcome::ALL.iter().map(|o| o.as_str()).collect(),
                referred,
                team,
                letter_type: &EventType::LetterSent,
                qs_type: &EventType::QuickScanReturned,
                qs_answers: v
                    .medical
                    .iter()
                    .flat_map(|m| m.quick_scans.iter())
                    .map(|q| (q.date, answer_rows(&q.answers, lang)))
                    .collect(),
                v,
            })
        }
        Ok(Err(e)) => dossier_failure(t, &s, e),
        Err(_) => unavailable(),
    }
}

/// One form for every event a page offers: the fields present become the event's
/// fields; the use case validates and authorises exactly as for the API.
async fn record_form(
    State(state): State<AppState>,
    UiSession(s): UiSession,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(f): Form<std::collections::HashMap<String, String>>,
) -> Response {
    let t = tr(&headers, Some(&s));
    if !f.get("csrf").is_some_and(|c| csrf_ok(&s, c)) {
        return (StatusCode::FORBIDDEN, "invalid form token").into_response();
    }
    let mut body = serde_json::Map::new();
    // Agreed steps arrive as numbered fields (step1, owner1, due1 …); a row without
    // a step text is an unused row. A half-filled row goes to validation as it is.
    let mut steps = Vec::new();
    for n in 1..=STEP_ROWS {
        let get = |k: &str| f.get(&format!("{k}{n}")).map(|v| v.trim()).unwrap_or("");
        if get("step").is_empty() {
            continue;
        }
        let mut step = serde_json::Map::new();
        step.insert("step".into(), json!(get("step")));
        for k in ["owner", "due"] {
            if !get(k).is_empty() {
                step.insert(k.into(), json!(get(k)));
            }
        }
        steps.push(serde_json::Value::Object(step));
    }
    if !steps.is_empty() {
        body.insert("steps".into(), serde_json::Value::Array(steps));
    }
    let numbered = |k: &str| {
        ["step", "owner", "due"].iter().any(|p| {
            k.strip_prefix(p)
                .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
        })
    };
    for (k, v) in &f {
        let v = v.trim();
        if k == "csrf" || v.is_empty() || numbered(k) {
            continue;
        }
        let value = match k.as_str() {
            "category" | "percent" => match v.parse::<i64>() {
                Ok(n) => json!(n),
                Err(_) => json!(v),
            },
            "first" | "same_employer" | "same_job" | "adaptations" => json!(v == "true"),
            "goals" => json!(v
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .collect::<Vec<_>>()),
            _ => json!(v),
        };
        body.insert(k.clone(), value);
    }
    // Unticked checkboxes are absent from a form: they mean false.
    let checkboxes: &[&str] = match body.get("type").and_then(|t| t.as_str()) {
        Some("work_resumed") => &["same_employer", "same_job", "adaptations"],
        Some("coordinator_contact") => &["first"],
        _ => &[],
    };
    for k in checkboxes {
        body.entry(*k).or_insert(json!(false));
    }
    let body = serde_json::Value::Object(body);
    let today = state.today();
    let p = s.principal.clone();
    let id2 = id.clone();
    match state
        .with_store_as(&s.principal, move |st, book| {
            dossier::record_event(st, book, &p, &id2, &body, today)
        })
        .await
    {
        Ok(Ok(_)) => Redirect::to(&format!("/cases/{}?saved=1", urlencode(&id))).into_response(),
        Ok(Err(e)) => dossier_failure(t, &s, e),
        Err(_) => unavailable(),
    }
}

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

struct AccessRow {
    at: String,
    user: String,
    role: String,
    purpose: String,
}

struct MyDossier {
    view: DossierView,
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
        .with_store_as(
            &s.principal,
            move |st, book| -> Result<Vec<MyDossier>, DossierError> {
                let mut out = Vec::new();
                for id in dossier::my_cases(st, &p)? {
                    let view = dossier::view_case(st, book, &p, &id, today, lang)?;
                    let access = dossier::access_log(st, &p, &id)?
                        .into_iter()
                        .map(|r| AccessRow {
                            at: r.at,
                            user: r.entry.username,
                            role: r.entry.role,
                            purpose: r.entry.purpose,
                        })
                        .collect();
                    out.push(MyDossier { view, access });
                }
                Ok(out)
            },
        )
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
        .with_store_as(&s.principal, move |st, book| {
            dossier::record_event(st, book, &p, &f.case, &body, today)
        })
        .await
    {
        Ok(Ok(_)) => Redirect::to("/me?saved=1").into_response(),
        Ok(Err(e)) => dossier_failure(t, &s, e),
        Err(_) => unavailable(),
    }
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
    match state
        .with_store_as(&s.principal, move |st, book| {
            tnw_app::questionnaire::open(st, book, &p, &id, today, lang)
        })
        .await
    {
        Ok(Ok(f)) => render(&QuickScanPage {
            t,
            title: t.get("quick_scan").into(),
            user: Some(Who::of(&s)),
            csrf: s.csrf.clone(),
            has_draft: !f.answers.is_empty(),
            questions: question_views(f.instrument, &f.answers, lang),
            open: f.open,
            case: f.case,
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
        .with_store_as(&s.principal, move |st, _| {
            tnw_app::questionnaire::save_draft(st, &p, &id2, &fields, today, now())
        })
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
    match state
        .with_store_as(&s.principal, move |st, book| {
            tnw_app::questionnaire::send(st, book, &p, &id2, &fields, today)
        })
        .await
    {
        Ok(Ok(())) if s.principal.role == Role::Member => {
            Redirect::to("/me?saved=1").into_response()
        }
        Ok(Ok(())) => Redirect::to(&format!("/cases/{}?saved=1", urlencode(&id))).into_response(),
        Ok(Err(e)) => dossier_failure(t, &s, e),
        Err(_) => unavailable(),
    }
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
        .with_store_as(&s.principal, move |st, book| {
            tnw_app::letters::prepare(st, book, &p, &id2, kind, task2.as_deref(), today, send)
        })
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
    let c = match state
        .with_read_store(Some(&s.principal), move |st, _| {
            dossier::caseload(st, &p, today)
        })
        .await
    {
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
    let q = match state
        .with_read_store(Some(&s.principal), move |st, _| {
            dossier::doctor_queue(st, &p, today)
        })
        .await
    {
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

#[derive(Template)]
#[template(path = "admin.html")]
struct AdminPage {
    t: Tr,
    title: String,
    user: Option<Who>,
    csrf: String,
    message: Option<String>,
    users: Vec<tnw_storage::User>,
    roles: Vec<&'static str>,
    rule_sets: Vec<(String, String, String, usize)>,
    audit: Vec<(String, String, String, String, String, String)>,
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
        .with_store_as(&s.principal, move |st, _| -> Result<_, DossierError> {
            let users = dossier::users(st, &p)?;
            let audit = dossier::audit_log(st, &p, None, 100)?;
            Ok((users, audit))
        })
        .await;
    let (users, audit) = match res {
        Ok(Ok(x)) => x,
        // The analyst gets the reason in words: figures, never dossiers.
        Ok(Err(DossierError::Forbidden(_))) if s.principal.role == Role::Analyst => {
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
            .map(|a| {
                (
                    a.at,
                    a.entry.username,
                    a.entry.role,
                    a.case.map(|c| c.display().into_owned()).unwrap_or_default(),
                    format!("{} {}", a.entry.action, a.entry.what),
                    a.entry.purpose,
                )
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
    email: Option<String>,
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
        email: f.email,
    };
    let p = s.principal.clone();
    match state
        .with_store_as(&s.principal, move |st, _| {
            accounts::create(st, &p, &account)
        })
        .await
    {
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
        active: match f.active.as_deref() {
            None => None,
            Some("true") => Some(true),
            Some("false") => Some(false),
            Some(_) => return (StatusCode::BAD_REQUEST, "active: true or false").into_response(),
        },
    };
    let p = s.principal.clone();
    match state
        .with_store_as(&s.principal, move |st, _| accounts::change(st, &p, &change))
        .await
    {
        Ok(Ok(())) => Redirect::to("/admin?saved=1").into_response(),
        Ok(Err(e)) => dossier_failure(t, &s, e),
        Err(_) => unavailable(),
    }
}
