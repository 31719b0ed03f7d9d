//! `tnw timeline CASE`: a dossier's milestones past and upcoming, each with the rule
//! that set it and the plain-language reason, so a coordinator can explain the next
//! step to the member.

use crate::{AppError, Result};
use serde::Serialize;
use tnw_domain::engine::Status;
use tnw_domain::event::{Event, EventType};
use tnw_domain::rules::RuleKind;
use tnw_domain::{evaluate, CaseFacts, CaseKey, Date, RuleBook, RuleSet};
use tnw_storage::Store;

#[derive(Debug, Clone, Serialize)]
pub struct TimelineEvent {
    pub date: Date,
    #[serde(rename = "type")]
    pub kind: EventType,
    /// A short plain-language description (no medical content).
    pub summary: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Milestone {
    /// The date that matters: when it was done or closed, else its due date.
    pub date: Date,
    pub kind: &'static str,
    pub code: String,
    pub rule: String,
    pub rule_set: String,
    pub actor: String,
    pub window_start: Date,
    pub due: Date,
    pub status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub done_on: Option<Date>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub closed_by: Option<EventType>,
    pub reason: String,
    pub source: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Timeline {
    pub case: String,
    pub as_of: Date,
    pub incapacity_start: Date,
    pub events: Vec<TimelineEvent>,
    pub milestones: Vec<Milestone>,
}

/// A short plain-language description of an event (never medical content).
pub fn describe(e: &Event) -> String {
    match e {
        Event::CaseOpened(o) => format!("dossier opened; incapacity since {}", o.incapacity_start),
        Event::QuickScanSent => "quick-scan questionnaire sent".into(),
        Event::QuickScanReturned { .. } => "questionnaire returned".into(),
        Event::QuickScanReminder => "reminder for the questionnaire".into(),
        Event::CapacityAssessed { category } => {
            format!("advisory doctor assigned category {category}")
        }
        Event::ReferredToCoordinator { initiative } => {
            format!("referred to the coordinator ({initiative})")
        }
        Event::CoordinatorContact { mode, first } => {
            format!(
                "{} contact with the coordinator ({mode})",
                if *first { "first" } else { "follow-up" }
            )
        }
        Event::PartnerReferral { to } => format!("referred to partner: {to}"),
        Event::CodexRequested { by } => {
            format!("codex re-integration trajectory requested by {by}")
        }
        Event::PreReturnVisit => "pre-return visit to the occupational physician".into(),
        Event::CodexDecision { decision } => {
            format!("occupational physician's decision {decision}")
        }
        Event::ReintegrationPlan { status } => format!("re-integration plan {status}"),
        Event::SocioProfessionalStarted { service, activity } => {
            format!("socio-professional trajectory started with {service} ({activity})")
        }
        Event::SocioProfessionalSuspended => "socio-professional trajectory suspended".into(),
        Event::SocioProfessionalResumed => "socio-professional trajectory resumed".into(),
        Event::SocioProfessionalEnded => "socio-professional trajectory ended".into(),
        Event::AuthorisedActivity { percent } => format!("authorised activity at {percent}%"),
        Event::WorkResumed {
            extent, percent, ..
        } => match percent {
            Some(p) if *extent == tnw_domain::event::Extent::PartTime => {
                format!("work resumed part time ({p}%)")
            }
            _ => "work resumed full time".into(),
        },
        Event::CoachingStopped { reason } => format!("coaching stopped ({reason})"),
        Event::ActionPlan { goals, follow_up } => {
            let mut s = format!("action plan agreed ({} goal(s)", goals.len());
            if let Some(f) = follow_up {
                s.push_str(&format!(", follow-up {f}"));
            }
            s.push(')');
            s
        }
        Event::IncapacityEnded => "incapacity ended".into(),
        Event::ConsentGiven { to, scope } => format!("consent given to {to} for {scope}"),
        Event::ConsentWithdrawn { to, scope } => format!("consent withdrawn from {to} for {scope}"),
    }
}

/// The milestones and deadlines of a case whose events are in application order.
pub fn milestones(
    key: &CaseKey,
    events: &[(Date, u32, Event)],
    book: &RuleBook,
    as_of: Date,
    forced: Option<&RuleSet>,
    lang: &str,
) -> Result<(CaseFacts, Vec<Milestone>)> {
    let facts = CaseFacts::from_events(events.iter().map(|(d, _, e)| (*d, e)))
        .ok_or_else(|| AppError::Corrupt(format!("case {key} does not start with case_opened")))?;
    let mut items = Vec::new();
    evaluate(&facts, book, as_of, forced, &mut items);
    let mut milestones = items
        .iter()
        .map(|i| {
            let (status, done_on, closed_by, date) = match i.status {
                Status::Done { on, .. } => ("done", Some(on), None, on),
                Status::Closed { on, by } => ("closed", None, Some(by), on),
                Status::Open => ("open", None, None, i.due),
                Status::Overdue => ("overdue", None, None, i.due),
                Status::Upcoming => ("upcoming", None, None, i.due),
                Status::Reached => ("reached", None, None, i.due),
            };
            Milestone {
                date,
                kind: match i.rule.kind {
                    RuleKind::Task => "task",
                    RuleKind::Milestone => "milestone",
                },
                code: i.rule.code.clone(),
                rule: i.rule.id.clone(),
                rule_set: i.set.name.clone(),
                actor: i.rule.actor.clone(),
                window_start: i.window_start,
                due: i.due,
                status,
                done_on,
                closed_by,
                reason: i.rule.reason(lang).to_owned(),
                source: i.rule.source.clone(),
            }
        })
        .collect::<Vec<_>>();
    milestones.sort_by(|a, b| (a.date, &a.code).cmp(&(b.date, &b.code)));
    Ok((facts, milestones))
}

/// Builds the timeline of the case `id` (as a person types it) in `org`.
#[allow(clippy::too_many_arguments)]
pub fn timeline(
    store: &mut dyn Store,
    book: &RuleBook,
    org: &str,
    id: &str,
    as_of: Date,
    forced: Option<&RuleSet>,
    lang: &str,
) -> Result<Timeline> {
    // Operators reading through the command line are audited like everyone else.
    let operator = std::env::var("USER").unwrap_or_else(|_| "unknown".into());
    let mut found = None;
    for key in CaseKey::candidates(id) {
        found = store.read_case_audited(org, &key, &mut |_| tnw_storage::AuditEntry {
            username: format!("cli:{operator}"),
            role: "operator".into(),
            action: "read".into(),
            what: "timeline".into(),
            purpose: "operations".into(),
        })?;
        if found.is_some() {
            break;
        }
    }
    let Some(case) = found else {
        return Err(AppError::CaseNotFound(id.to_owned(), org.to_owned()));
    };
    let mut events: Vec<(Date, u32, Event)> = case
        .events
        .iter()
        .map(|e| {
            Event::from_body(&e.body)
                .map(|ev| (e.date, e.seq, ev))
                .map_err(|err| AppError::Corrupt(format!("case {}: {err}", case.key)))
        })
        .collect::<Result<_>>()?;
    events.sort_by_key(|(d, s, _)| (*d, *s));
    let (facts, milestones) = milestones(&case.key, &events, book, as_of, forced, lang)?;
    Ok(Timeline {
        case: case.key.display().into_owned(),
        as_of,
        incapacity_start: facts.incapacity_start,
        events: events
            .iter()
            .filter(|(d, _, _)| *d <= as_of)
            .map(|(d, _, e)| TimelineEvent {
                date: *d,
                kind: e.event_type(),
                summary: describe(e),
            })
            .collect(),
        milestones,
    })
}
