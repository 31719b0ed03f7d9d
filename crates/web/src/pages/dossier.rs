//! The dossier page, and the form that records an event on a dossier.

use super::{dossier_failure, render, tr, unavailable, urlencode, Saved, Who};
use crate::i18n::Tr;
use crate::labels::Kind;
use crate::security::{csrf_ok, UiSession};
use crate::AppState;
use askama::Template;
use axum::extract::{Form, Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use serde_json::json;
use tnw_app::access::Role;
use tnw_app::dossier::{DossierError, DossierView};
use tnw_domain::event::{
    Activity, ContactMode, Event, EventType, Extent, Partner, PartnerOutcome, PlanStatus, PlanWork,
    Requester, Service, SocioResult, StepOwner, StopReason,
};
use tnw_domain::Date;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/cases/{id}", get(case_page))
        .route("/cases/{id}/record", post(record_form))
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
    partners: Vec<&'static str>,
    contact_modes: Vec<&'static str>,
    stop_reasons: Vec<&'static str>,
    extents: Vec<&'static str>,
    /// The plan's states an employer records (accepting or refusing is the member's).
    plan_statuses: Vec<&'static str>,
    /// Partners the member was referred to: the ones a result can be recorded for.
    referred: Vec<String>,
    /// Who a dossier can be assigned to (username, name).
    team: Vec<(String, String)>,
    letter_type: &'static EventType,
    qs_type: &'static EventType,
    /// The returned quick scans with question and answer texts (medical roles).
    qs_answers: Vec<(Date, Vec<AnswerRow>)>,
    plan_works: Vec<&'static str>,
    /// The services a trajectory may be with: an employment service's own only.
    services: Vec<&'static str>,
    activities: Vec<&'static str>,
    socio_results: Vec<&'static str>,
    /// Who a codex request by this role is by.
    requester: Option<&'static str>,
    /// On whose initiative a referral this role records is.
    referral_initiative: Option<&'static str>,
    /// The restrictions in force, one per line: the hand-off package starts from them.
    restriction_lines: String,
    /// The message key of the socio-professional eligibility's ground.
    ground_key: String,
}

/// A quick-scan answer: question, answer, and whether the instrument knows the
/// question (else both are shown as they were recorded, as codes).
type AnswerRow = (String, String, bool);

/// Quick-scan answers as texts in `lang`; answers to questions the instrument does not
/// know (another version, imported data) are shown as they are.
fn answer_rows(a: &tnw_app::questionnaire::Answers, lang: &str) -> Vec<AnswerRow> {
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
                q.is_some(),
            )
        })
        .collect()
}

/// The plan's states a role records: the employer drafts, carries out or refuses, the
/// occupational physician drafts with it; accepting or refusing is the worker's (on
/// their own page).
fn plan_statuses(role: Role) -> Vec<&'static str> {
    let states: &[PlanStatus] = match role {
        Role::Employer => &[
            PlanStatus::Drafted,
            PlanStatus::CarriedOut,
            PlanStatus::RefusedByEmployer,
        ],
        Role::OccupationalPhysician => &[PlanStatus::Drafted, PlanStatus::CarriedOut],
        Role::Member => &[PlanStatus::Accepted, PlanStatus::RefusedByWorker],
        _ => &[],
    };
    states.iter().map(|x| x.as_str()).collect()
}

/// Who a codex request recorded by `role` is by.
fn requester(role: Role) -> Option<&'static str> {
    match role {
        Role::Member => Some(Requester::Worker.as_str()),
        Role::Employer => Some(Requester::Employer.as_str()),
        Role::AdvisoryDoctor => Some(Requester::AdvisoryDoctor.as_str()),
        Role::TreatingPhysician => Some(Requester::TreatingPhysician.as_str()),
        _ => None,
    }
}

/// The services a trajectory form offers: an employment service records its own.
fn services(p: &tnw_app::access::Principal) -> Vec<&'static str> {
    match p.party {
        Some(tnw_domain::party::Party::EmploymentService(s)) => vec![s.as_str()],
        _ => Service::ALL.iter().map(|x| x.as_str()).collect(),
    }
}

fn ground_code(g: tnw_domain::eligibility::Ground) -> &'static str {
    use tnw_domain::eligibility::Ground as G;
    match g {
        G::NoEmployer => "no_employer",
        G::NoCodexRequested => "no_codex",
        G::NoRequestAfterVisit => "after_visit",
        G::CodexEndedWithoutPlan => "codex_ended",
        G::PlanRefused => "plan_refused",
        G::CodexRunning => "codex_running",
        G::PlanCarriedOut => "plan_carried_out",
    }
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
        EventType::CodexRequested,
        EventType::PreReturnVisit,
        EventType::QuickScanSent,
        EventType::QuickScanReminder,
        EventType::WorkRestrictions,
        EventType::SocioProfessionalReferred,
        EventType::SocioProfessionalStarted,
        EventType::SocioProfessionalReport,
        EventType::SocioProfessionalSuspended,
        EventType::SocioProfessionalResumed,
        EventType::SocioProfessionalEnded,
        EventType::IncapacityEnded,
    ];
    tnw_app::access::recording_forms(role, WITH_FORM)
        .into_iter()
        .map(|t| t.as_str())
        .collect()
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
    match state
        .run(move |app| {
            let v = app.view_case(&p, &id, today, lang)?;
            // Whoever may assign this dossier today chooses from the team.
            let team = if v.recordable.contains(&EventType::CaseAssigned) {
                app.team(&p)?
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
                partners: Partner::ALL.iter().map(|o| o.as_str()).collect(),
                contact_modes: ContactMode::ALL.iter().map(|m| m.as_str()).collect(),
                // The usual reason first.
                stop_reasons: [
                    StopReason::BackToWork,
                    StopReason::Health,
                    StopReason::UnableToWork,
                    StopReason::Expectations,
                    StopReason::Referred,
                    StopReason::Other,
                ]
                .iter()
                .map(|r| r.as_str())
                .collect(),
                extents: Extent::ALL.iter().map(|x| x.as_str()).collect(),
                plan_statuses: plan_statuses(s.principal.role),
                plan_works: PlanWork::ALL.iter().map(|x| x.as_str()).collect(),
                services: services(&s.principal),
                activities: Activity::ALL.iter().map(|x| x.as_str()).collect(),
                socio_results: SocioResult::ALL.iter().map(|x| x.as_str()).collect(),
                requester: requester(s.principal.role),
                referral_initiative: tnw_app::access::referral_initiative(s.principal.role)
                    .map(|i| i.as_str()),
                restriction_lines: v
                    .restrictions
                    .as_ref()
                    .map(|r| r.restrictions.join("\n"))
                    .unwrap_or_default(),
                ground_key: v
                    .socio_eligibility
                    .as_ref()
                    .map(|e| format!("sh_ground_{}", ground_code(e.ground)))
                    .unwrap_or_default(),
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
        if k == "csrf" || k == "back" || v.is_empty() || numbered(k) {
            continue;
        }
        let value = match k.as_str() {
            "category" | "percent" | "hours_per_day" | "hours_per_week" | "weeks" => {
                match v.parse::<i64>() {
                    Ok(n) => json!(n),
                    Err(_) => json!(v),
                }
            }
            "first" | "same_employer" | "same_job" | "adaptations" | "permanent" => {
                json!(v == "true")
            }
            "goals" | "restrictions" => json!(v
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
    let back_to_me = f.get("back").is_some_and(|b| b == "me");
    let body = serde_json::Value::Object(body);
    let today = state.today();
    let p = s.principal.clone();
    let id2 = id.clone();
    match state
        .run(move |app| app.record_event(&p, &id2, &body, today))
        .await
    {
        // The member records from their own page, and goes back to it.
        Ok(Ok(_)) if back_to_me => Redirect::to("/me?saved=1").into_response(),
        Ok(Ok(_)) => Redirect::to(&format!("/cases/{}?saved=1", urlencode(&id))).into_response(),
        Ok(Err(e)) => dossier_failure(t, &s, e),
        Err(_) => unavailable(),
    }
}
