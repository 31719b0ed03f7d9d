//! The dossier use cases of the workspace: read a dossier as the caller may see it,
//! record an event, the worklist, the audit log. Every one asks [`crate::access`] and
//! audits in the same transaction as the read or write.

use crate::access::{
    list_scope, may_record, may_see_caseloads, read_grant, CaseContext, Grant, Principal, Refusal,
    Role,
};
use crate::import::{decide_case, Parsed};
use crate::timeline::{describe, milestones, parse_events, Milestone};
use crate::AppError;
use serde::Serialize;
use std::sync::Mutex;
use tnw_domain::event::{parse_line, ConsentRole, ConsentScope, Event, EventType, PlanStep};
use tnw_domain::{CaseKey, Date, RuleBook};
use tnw_storage::{AuditEntry, AuditRecord, Store, StoredCase, WorklistQuery};

#[derive(Debug, thiserror::Error)]
pub enum DossierError {
    #[error("no such dossier")]
    NotFound,
    #[error(transparent)]
    Forbidden(#[from] Refusal),
    /// The input is not an event (bad JSON, unknown field, bad date …).
    #[error("{0}")]
    BadRequest(String),
    /// A well-formed event that is not possible in this dossier.
    #[error("{0}")]
    Unprocessable(String),
    #[error(transparent)]
    App(#[from] AppError),
}

impl From<tnw_storage::StorageError> for DossierError {
    fn from(e: tnw_storage::StorageError) -> Self {
        DossierError::App(AppError::Storage(e))
    }
}

pub type Result<T> = std::result::Result<T, DossierError>;

#[derive(Debug, Clone, Serialize)]
pub struct Identity {
    pub name: String,
    pub birth_date: Date,
    pub sex: String,
    pub language: String,
    pub region: String,
    pub scheme: String,
    pub employer: Option<String>,
    pub incapacity_start: Date,
    pub ended: Option<Date>,
}

#[derive(Debug, Clone, Serialize)]
pub struct EventView {
    pub date: Date,
    #[serde(rename = "type")]
    pub kind: EventType,
    pub summary: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ConsentView {
    pub to: ConsentRole,
    pub scope: ConsentScope,
}

#[derive(Debug, Clone, Serialize)]
pub struct QuickScanAnswers {
    pub date: Date,
    pub answers: serde_json::Map<String, serde_json::Value>,
}

/// The medical part: medical roles only.
#[derive(Debug, Clone, Serialize)]
pub struct Medical {
    pub condition: String,
    pub quick_scans: Vec<QuickScanAnswers>,
    pub assessments: Vec<(Date, u8)>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ContactView {
    pub date: Date,
    pub mode: String,
    pub first: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub purpose: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PlanView {
    pub date: Date,
    pub goals: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub follow_up: Option<Date>,
    pub steps: Vec<PlanStep>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PartnerResultView {
    pub date: Date,
    pub result: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ReferralView {
    pub date: Date,
    pub to: String,
    /// Results reported after this referral (and before a later one to the same partner).
    pub results: Vec<PartnerResultView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ReturnView {
    pub date: Date,
    pub extent: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub percent: Option<u8>,
    pub same_employer: bool,
    pub same_job: bool,
    pub adaptations: bool,
}

/// The coaching record (DOMAIN.md 4): the fund's team and the member.
#[derive(Debug, Clone, Serialize)]
pub struct Coaching {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub assigned_to: Option<String>,
    pub contacts: Vec<ContactView>,
    /// The action plan in force: the latest one recorded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub plan: Option<PlanView>,
    pub referrals: Vec<ReferralView>,
    /// The latest stop: date and reason.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stopped: Option<(Date, String)>,
    /// The latest return to work.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub returned: Option<ReturnView>,
}

fn coaching(seen: &[&(Date, u32, Event)]) -> Coaching {
    let mut c = Coaching {
        assigned_to: None,
        contacts: Vec::new(),
        plan: None,
        referrals: Vec::new(),
        stopped: None,
        returned: None,
    };
    for (d, _, e) in seen {
        let d = *d;
        match e {
            Event::CaseAssigned { to } => c.assigned_to = Some(to.clone()),
            Event::CoordinatorContact {
                mode,
                first,
                purpose,
                notes,
            } => c.contacts.push(ContactView {
                date: d,
                mode: mode.as_str().into(),
                first: *first,
                purpose: purpose.clone(),
                notes: notes.clone(),
            }),
            Event::ActionPlan {
                goals,
                follow_up,
                steps,
            } => {
                c.plan = Some(PlanView {
                    date: d,
                    goals: goals.clone(),
                    follow_up: *follow_up,
                    steps: steps.clone(),
                })
            }
            Event::PartnerReferral { to } => c.referrals.push(ReferralView {
                date: d,
                to: to.as_str().into(),
                results: Vec::new(),
            }),
            Event::PartnerResult { to, result, note } => {
                if let Some(r) = c.referrals.iter_mut().rev().find(|r| r.to == to.as_str()) {
                    r.results.push(PartnerResultView {
                        date: d,
                        result: result.as_str().into(),
                        note: note.clone(),
                    });
                }
            }
            Event::CoachingStopped { reason } => c.stopped = Some((d, reason.as_str().into())),
            Event::WorkResumed {
                extent,
                percent,
                same_employer,
                same_job,
                adaptations,
            } => {
                c.returned = Some(ReturnView {
                    date: d,
                    extent: extent.as_str().into(),
                    percent: *percent,
                    same_employer: *same_employer,
                    same_job: *same_job,
                    adaptations: *adaptations,
                })
            }
            _ => {}
        }
    }
    c
}

/// A dossier as one principal may see it: parts they may not see are absent.
#[derive(Debug, Clone, Serialize)]
pub struct DossierView {
    pub case: String,
    pub grant: Grant,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub identity: Option<Identity>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub category: Option<u8>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub events: Option<Vec<EventView>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timeline: Option<Vec<Milestone>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub coaching: Option<Coaching>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub consents: Option<Vec<ConsentView>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub medical: Option<Medical>,
    /// The event types the caller may record on this dossier today: their role allows
    /// them and the dossier's state makes them possible.
    pub recordable: Vec<EventType>,
}

fn audit(p: &Principal, action: &str, what: String, purpose: &str) -> AuditEntry {
    AuditEntry {
        username: p.username.clone(),
        role: p.role.as_str().into(),
        action: action.into(),
        what,
        purpose: purpose.into(),
    }
}

/// What the policy needs of a stored dossier: only its opening and consent events are
/// parsed, because this runs inside the audited read's write transaction.
pub(crate) fn access_context(
    case: &StoredCase,
    today: Date,
) -> std::result::Result<CaseContext, AppError> {
    let mut relevant: Vec<&tnw_storage::StoredEvent> = case
        .events
        .iter()
        .filter(|e| {
            matches!(
                e.kind,
                EventType::CaseOpened
                    | EventType::ConsentGiven
                    | EventType::ConsentWithdrawn
                    | EventType::CaseAssigned
            )
        })
        .collect();
    relevant.sort_by_key(|e| (e.date, e.seq));
    let parsed = relevant
        .iter()
        .map(|e| {
            Event::from_body(&e.body)
                .map(|ev| (e.date, ev))
                .map_err(|err| AppError::Corrupt(format!("case {}: {err}", case.key)))
        })
        .collect::<std::result::Result<Vec<_>, _>>()?;
    Ok(CaseContext::from_events(
        parsed.iter().map(|(d, e)| (*d, e)),
        today,
    ))
}

/// Reads dossier `id` as `p` may see it, as of `today`; audits the read (or refusal).
pub fn view_case(
    store: &mut dyn Store,
    book: &RuleBook,
    p: &Principal,
    id: &str,
    today: Date,
    lang: &str,
) -> Result<DossierView> {
    if matches!(p.role, Role::Admin | Role::Analyst) {
        // No dossier content for these roles: refuse before touching the dossier.
        return Err(Refusal::NoDossierAccess.into());
    }
    let mut decided: Option<std::result::Result<Grant, Refusal>> = None;
    let mut failure: Option<AppError> = None;
    let mut found = None;
    for key in CaseKey::candidates(id) {
        found = store.read_case_audited(&p.org, &key, &mut |case| {
            let ctx = match access_context(case, today) {
                Ok(c) => c,
                Err(e) => {
                    failure = Some(e);
                    return audit(p, "refused", "unreadable dossier".into(), "coordination");
                }
            };
            let grant = read_grant(p, &ctx);
            let entry = match &grant {
                Ok(g) => audit(p, "read", parts(g), g.purpose),
                Err(r) => audit(p, "refused", r.to_string(), "none"),
            };
            decided = Some(grant);
            entry
        })?;
        if found.is_some() {
            break;
        }
    }
    if let Some(e) = failure {
        return Err(e.into());
    }
    let (Some(case), Some(grant)) = (found, decided) else {
        return Err(DossierError::NotFound);
    };
    let grant = grant?;
    let events = parse_events(&case)?;
    let mut view = build_view(book, &case.key, grant, &events, today, lang)?;
    let mut state = tnw_domain::validate::CaseState::default();
    for (d, _, e) in events.iter().filter(|(d, _, _)| *d <= today) {
        state
            .apply(*d, e)
            .map_err(|r| AppError::Corrupt(format!("case {}: {r}", case.key)))?;
    }
    view.recordable = p
        .role
        .recordable()
        .iter()
        .copied()
        .filter(|k| state.could_record(today, *k))
        .collect();
    Ok(view)
}

fn parts(g: &Grant) -> String {
    let mut v = Vec::new();
    for (on, name) in [
        (g.identity, "identity"),
        (g.timeline, "timeline"),
        (g.events, "events"),
        (g.category, "category"),
        (g.coaching, "coaching"),
        (g.consents, "consents"),
        (g.medical, "medical"),
    ] {
        if on {
            v.push(name);
        }
    }
    v.join(",")
}

fn build_view(
    book: &RuleBook,
    key: &CaseKey,
    g: Grant,
    events: &[(Date, u32, Event)],
    today: Date,
    lang: &str,
) -> Result<DossierView> {
    let Some((_, _, Event::CaseOpened(o))) = events.first() else {
        return Err(
            AppError::Corrupt(format!("case {key} does not start with case_opened")).into(),
        );
    };
    let seen: Vec<&(Date, u32, Event)> = events.iter().filter(|(d, _, _)| *d <= today).collect();
    let category = seen.iter().rev().find_map(|(_, _, e)| match e {
        Event::CapacityAssessed { category } => Some(*category),
        _ => None,
    });
    let ended = seen
        .iter()
        .find_map(|(d, _, e)| matches!(e, Event::IncapacityEnded).then_some(*d));
    let ctx = CaseContext::from_events(events.iter().map(|(d, _, e)| (*d, e)), today);
    let visible = |e: &Event| match e {
        Event::CapacityAssessed { .. } => g.category,
        Event::ConsentGiven { .. } | Event::ConsentWithdrawn { .. } => g.consents,
        _ => true,
    };
    Ok(DossierView {
        case: key.display().into_owned(),
        grant: g,
        identity: g.identity.then(|| Identity {
            name: o.person.name.clone(),
            birth_date: o.person.birth_date,
            sex: o.person.sex.as_str().into(),
            language: o.person.language.as_str().into(),
            region: o.person.region.as_str().into(),
            scheme: o.scheme.as_str().into(),
            employer: o.employer.as_ref().map(|e| e.name.clone()),
            incapacity_start: o.incapacity_start,
            ended,
        }),
        category: if g.category { category } else { None },
        events: g.events.then(|| {
            seen.iter()
                .filter(|(_, _, e)| visible(e))
                .map(|(d, _, e)| EventView {
                    date: *d,
                    kind: e.event_type(),
                    summary: describe(e, lang),
                })
                .collect()
        }),
        timeline: if g.timeline {
            Some(milestones(key, events, book, today, None, lang)?.1)
        } else {
            None
        },
        coaching: g.coaching.then(|| coaching(&seen)),
        consents: g.consents.then(|| {
            ctx.consents
                .iter()
                .map(|(to, scope)| ConsentView {
                    to: *to,
                    scope: *scope,
                })
                .collect()
        }),
        recordable: Vec::new(),
        medical: g.medical.then(|| Medical {
            condition: o.condition.as_str().into(),
            quick_scans: seen
                .iter()
                .filter_map(|(d, _, e)| match e {
                    Event::QuickScanReturned { answers } => Some(QuickScanAnswers {
                        date: *d,
                        answers: answers.clone(),
                    }),
                    _ => None,
                })
                .collect(),
            assessments: seen
                .iter()
                .filter_map(|(d, _, e)| match e {
                    Event::CapacityAssessed { category } => Some((*d, *category)),
                    _ => None,
                })
                .collect(),
        }),
    })
}

/// Serialises event writes to one dossier within this process: validation reads the
/// dossier, so two concurrent writes to it must not both validate against the same
/// state. Striped by dossier, so writes to different dossiers validate in parallel.
static WRITES: [Mutex<()>; 64] = [const { Mutex::new(()) }; 64];

fn write_lock(org: &str, id: &str) -> std::sync::MutexGuard<'static, ()> {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    (org, id).hash(&mut h);
    let slot = (h.finish() % WRITES.len() as u64) as usize;
    WRITES[slot].lock().unwrap_or_else(|e| e.into_inner())
}

/// The outcome of recording an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Recorded {
    /// False when the same event was already in the dossier (nothing was added).
    pub created: bool,
}

/// Records one event (DOMAIN.md 7.1 JSON) on dossier `id` as `p`.
pub fn record_event(
    store: &mut dyn Store,
    book: &RuleBook,
    p: &Principal,
    id: &str,
    body: &serde_json::Value,
    today: Date,
) -> Result<Recorded> {
    // The lock below only orders writers of this process. Another server or an import
    // may append to the dossier between our read and our write: the store then refuses
    // a write that does not continue the log it was decided on, and we decide again on
    // the new log (validation, tasks and all).
    let mut attempt = 1;
    loop {
        match record_event_once(store, book, p, id, body, today) {
            Err(DossierError::App(AppError::Storage(tnw_storage::StorageError::Conflict(_))))
                if attempt < WRITE_ATTEMPTS =>
            {
                // A random pause, growing with each try, so that the writers of two
                // processes stop meeting at the same moment (without it the one whose
                // queue is longer kept winning).
                let ceiling = 1u64 << attempt.min(6);
                let jitter = u64::from(
                    std::time::SystemTime::now()
                        .duration_since(std::time::UNIX_EPOCH)
                        .map_or(0, |d| d.subsec_nanos()),
                ) % (ceiling * 1000);
                std::thread::sleep(std::time::Duration::from_micros(jitter));
                attempt += 1;
            }
            other => return other,
        }
    }
}

/// Tries before a write that keeps meeting concurrent appends gives up (with a
/// conflict: the caller may send it again). With the pauses, about a second.
const WRITE_ATTEMPTS: u32 = 16;

fn record_event_once(
    store: &mut dyn Store,
    book: &RuleBook,
    p: &Principal,
    id: &str,
    body: &serde_json::Value,
    today: Date,
) -> Result<Recorded> {
    let serde_json::Value::Object(map) = body else {
        return Err(DossierError::BadRequest(
            "the body must be a JSON object".into(),
        ));
    };
    // Keyed by the id as given: `C1` and its other spellings map to one dossier only
    // through `candidates`, which is deterministic, so one id always takes one stripe.
    let _guard = write_lock(&p.org, id);
    let keys = CaseKey::candidates(id);
    let stored = store
        .load_cases(&p.org, &keys)?
        .into_iter()
        .flatten()
        .next();
    let Some(stored) = stored else {
        return Err(DossierError::NotFound);
    };
    let mut map = map.clone();
    let token: serde_json::Value =
        serde_json::from_str(stored.key.token()).map_err(|e| AppError::Corrupt(e.to_string()))?;
    match map.get("case") {
        None => {
            map.insert("case".into(), token);
        }
        Some(v) if *v == token => {}
        Some(v) => {
            return Err(DossierError::Unprocessable(format!(
                "the body's case {v} is not dossier {id}"
            )))
        }
    }
    let line = serde_json::Value::Object(map).to_string();
    let parsed = parse_line(&line).map_err(|e| DossierError::BadRequest(e.0))?;
    if matches!(parsed.event, Event::CaseOpened(_)) {
        return Err(DossierError::Unprocessable(
            "dossiers are opened by the fund's import, not through this endpoint".into(),
        ));
    }
    // An event records what happened: one dated after today is a typo (or a plan, which
    // the action plan's steps hold), and would skew every deadline computed from it.
    if parsed.date > today {
        return Err(DossierError::Unprocessable(format!(
            "`date`: {} is after today ({today}); record events once they happened",
            parsed.date
        )));
    }
    // The policy needs only the opening and consent events; validation parses the rest.
    let ctx = access_context(&stored, today)?;
    let purpose = may_record(p, &ctx, &parsed.event)?;
    if let Event::CaseAssigned { to } = &parsed.event {
        // Only to someone of the fund's team who coaches dossiers.
        let takes = store
            .user_by_name(to)?
            .filter(|u| u.org == p.org && u.active)
            .and_then(|u| Role::parse(&u.role))
            .is_some_and(Role::takes_assignments);
        if !takes {
            return Err(DossierError::Unprocessable(format!(
                "`to`: {to} is not an active coordinator or paramedic of this fund"
            )));
        }
    }
    let kind = parsed.event.event_type();
    let new = Parsed {
        line: 1,
        case: stored.key.clone(),
        date: parsed.date,
        event: parsed.event,
    };
    let outcome = decide_case(book, &p.org, &stored.key, Some(&stored), &[&new])?;
    if let Some(r) = outcome.rejected.first() {
        return Err(DossierError::Unprocessable(r.reason.clone()));
    }
    let Some(write) = outcome.write else {
        return Ok(Recorded { created: false });
    };
    let entry = audit(p, "write", kind.as_str().into(), purpose);
    store.write_cases(&p.org, None, &[write], &[(Some(stored.key.clone()), entry)])?;
    Ok(Recorded { created: true })
}

/// One row of a caller's worklist.
#[derive(Debug, Clone, Serialize)]
pub struct Work {
    pub case: String,
    pub task: String,
    pub rule: String,
    pub due: Date,
    pub state: &'static str,
    pub region: String,
    pub category: Option<u8>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub quick_scan_returned: Option<Date>,
}

fn work_rows(items: Vec<tnw_storage::WorkItem>, today: Date) -> Vec<Work> {
    items
        .into_iter()
        .map(|w| Work {
            case: w.case.display().into_owned(),
            task: w.task.code,
            rule: w.task.rule,
            due: w.task.due,
            state: if w.task.due < today {
                "overdue"
            } else {
                "open"
            },
            region: w.region,
            // The category is passed on to the fund's team; never medical detail.
            category: w.category,
            quick_scan_returned: w.quick_scan_returned,
        })
        .collect()
}

/// The advisory doctor's queue: returned quick scans waiting for an assessment (also
/// before the assessment window opens: the doctor may assess as soon as one comes
/// back), category-3 re-assessments due within four weeks, and progressive returns
/// to decide on.
#[derive(Debug, Clone, Serialize)]
pub struct DoctorQueue {
    pub to_assess: Vec<Work>,
    pub reassess: Vec<Work>,
    pub progressive: Vec<Work>,
}

pub fn doctor_queue(store: &mut dyn Store, p: &Principal, today: Date) -> Result<DoctorQueue> {
    if p.role != Role::AdvisoryDoctor {
        return Err(Refusal::NoDossierAccess.into());
    }
    let base = WorklistQuery {
        actors: vec!["advisory_doctor".into()],
        limit: 200,
        ..Default::default()
    };
    let to_assess = WorklistQuery {
        task: Some("assess_capacity".into()),
        quick_scan_returned: true,
        ..base.clone()
    };
    let reassess = WorklistQuery {
        task: Some("reassess_capacity".into()),
        due_by: Some(tnw_domain::date::add_days(today, 28)),
        ..base.clone()
    };
    let progressive = WorklistQuery {
        task: Some("decide_progressive_return".into()),
        as_of: Some(today),
        ..base
    };
    Ok(DoctorQueue {
        to_assess: work_rows(store.worklist(&p.org, &to_assess)?, today),
        reassess: work_rows(store.worklist(&p.org, &reassess)?, today),
        progressive: work_rows(store.worklist(&p.org, &progressive)?, today),
    })
}

/// The team's caseloads and, for a coordinator or paramedic, their own dossiers.
#[derive(Debug, Clone, Serialize)]
pub struct Caseload {
    pub team: Vec<CaseloadLine>,
    pub mine: Vec<CaseloadEntry>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CaseloadLine {
    /// `None`: not yet assigned.
    pub assignee: Option<String>,
    pub dossiers: u64,
    pub open_tasks: u64,
    pub overdue_tasks: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct CaseloadEntry {
    pub case: String,
    pub incapacity_start: Date,
    pub region: String,
    pub category: Option<u8>,
    pub next_task: Option<String>,
    pub next_due: Option<Date>,
}

pub fn caseload(store: &mut dyn Store, p: &Principal, today: Date) -> Result<Caseload> {
    may_see_caseloads(p)?;
    let actors = Role::Coordinator.worklist_actors();
    let team = store
        .caseload(&p.org, actors, today)?
        .into_iter()
        .map(|r| CaseloadLine {
            assignee: r.assignee,
            dossiers: r.dossiers,
            open_tasks: r.open_tasks,
            overdue_tasks: r.overdue_tasks,
        })
        .collect();
    let mine = match list_scope(p, true) {
        Some(me) => store
            .assigned_cases(&p.org, &me, actors, 500)?
            .into_iter()
            .map(|c| CaseloadEntry {
                case: c.case.display().into_owned(),
                incapacity_start: c.incapacity_start,
                region: c.region,
                category: c.category,
                next_due: c.next_task.as_ref().map(|t| t.1),
                next_task: c.next_task.map(|t| t.0),
            })
            .collect(),
        None => Vec::new(),
    };
    Ok(Caseload { team, mine })
}

/// Filters a person can set on the worklist.
#[derive(Debug, Clone, Default)]
pub struct WorkFilter {
    pub task: Option<String>,
    pub due_within_days: Option<i64>,
    pub region: Option<String>,
    pub category: Option<u8>,
    /// A coordinator's own caseload only (a paramedic always sees only theirs).
    pub mine: bool,
    pub limit: Option<u32>,
}

/// The caller's open and overdue tasks on `today`.
pub fn worklist(
    store: &mut dyn Store,
    book: &RuleBook,
    p: &Principal,
    f: &WorkFilter,
    today: Date,
) -> Result<Vec<Work>> {
    let state = |due: Date| if due < today { "overdue" } else { "open" };
    match p.role {
        Role::Coordinator | Role::Paramedic | Role::AdvisoryDoctor => {
            let q = WorklistQuery {
                actors: p
                    .role
                    .worklist_actors()
                    .iter()
                    .map(|a| a.to_string())
                    .collect(),
                as_of: Some(today),
                due_by: f
                    .due_within_days
                    .map(|n| tnw_domain::date::add_days(today, n)),
                task: f.task.clone(),
                region: f.region.clone(),
                category: f.category,
                assignee: list_scope(p, f.mine),
                quick_scan_returned: false,
                limit: f.limit.unwrap_or(200).min(1000),
            };
            Ok(work_rows(store.worklist(&p.org, &q)?, today))
        }
        Role::Member => {
            // A member's own tasks (returning the questionnaire, answering a plan …).
            let Some(person) = p.person_id.as_deref() else {
                return Ok(Vec::new());
            };
            let keys = store.cases_of_person(&p.org, person)?;
            let mut out = Vec::new();
            for case in store.load_cases(&p.org, &keys)?.into_iter().flatten() {
                let events = parse_events(&case)?;
                let (_, ms) = milestones(&case.key, &events, book, today, None, "en")?;
                out.extend(
                    ms.into_iter()
                        .filter(|m| {
                            m.kind == "task"
                                && m.actor == "member"
                                && matches!(m.status, "open" | "overdue")
                        })
                        .map(|m| Work {
                            case: case.key.display().into_owned(),
                            task: m.code,
                            rule: m.rule,
                            due: m.due,
                            state: state(m.due),
                            region: String::new(),
                            category: None,
                            quick_scan_returned: None,
                        }),
                );
            }
            Ok(out)
        }
        // External actors see dossiers one by one, with consent; no fund-wide list.
        _ => Ok(Vec::new()),
    }
}

/// The member's own dossiers.
pub fn my_cases(store: &mut dyn Store, p: &Principal) -> Result<Vec<String>> {
    match (p.role, p.person_id.as_deref()) {
        (Role::Member, Some(person)) => Ok(store
            .cases_of_person(&p.org, person)?
            .iter()
            .map(|k| k.display().into_owned())
            .collect()),
        _ => Ok(Vec::new()),
    }
}

/// The audit log of the fund, or of one dossier: admins only; members see who opened
/// their own dossier through [`access_log`].
pub fn audit_log(
    store: &mut dyn Store,
    p: &Principal,
    case: Option<&str>,
    limit: u32,
) -> Result<Vec<AuditRecord>> {
    if p.role != Role::Admin {
        return Err(Refusal::NoDossierAccess.into());
    }
    match case {
        None => Ok(store.audit_log(&p.org, None, limit)?),
        Some(id) => {
            for key in CaseKey::candidates(id) {
                let log = store.audit_log(&p.org, Some(&key), limit)?;
                if !log.is_empty() {
                    return Ok(log);
                }
            }
            Ok(Vec::new())
        }
    }
}

/// The fund's active coordinators and paramedics (username, display name): for whoever
/// assigns dossiers.
pub fn team(store: &mut dyn Store, p: &Principal) -> Result<Vec<(String, String)>> {
    if !p.role.recordable().contains(&EventType::CaseAssigned) && p.role != Role::Admin {
        return Err(Refusal::NoDossierAccess.into());
    }
    Ok(store
        .users(&p.org)?
        .into_iter()
        .filter(|u| u.active && Role::parse(&u.role).is_some_and(Role::takes_assignments))
        .map(|u| (u.username, u.display_name))
        .collect())
}

/// The fund's user accounts: admins only.
pub fn users(store: &mut dyn Store, p: &Principal) -> Result<Vec<tnw_storage::User>> {
    if p.role != Role::Admin {
        return Err(Refusal::NoDossierAccess.into());
    }
    Ok(store.users(&p.org)?)
}

/// Who opened the member's own dossier, when and in which role.
pub fn access_log(store: &mut dyn Store, p: &Principal, id: &str) -> Result<Vec<AuditRecord>> {
    let Some(person) = p.person_id.as_deref() else {
        return Err(Refusal::NotYours.into());
    };
    let mine = store.cases_of_person(&p.org, person)?;
    let Some(key) = CaseKey::candidates(id)
        .into_iter()
        .find(|k| mine.contains(k))
    else {
        return Err(Refusal::NotYours.into());
    };
    Ok(store.audit_log(&p.org, Some(&key), 500)?)
}
