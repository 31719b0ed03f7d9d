//! Who may read and write what: role + fund + the member's consent + purpose. This is
//! the one place where that is decided; the use cases call it, handlers never do.

mod absences;
mod roles;
#[cfg(test)]
mod tests;

pub use absences::{absence_list_scope, acting_employer};
pub use roles::{Role, Screen};

use serde::Serialize;
use tnw_domain::event::{ConsentRole, ConsentScope, Event, EventType, Initiative, Requester};
use tnw_domain::party::Party;
use tnw_domain::Date;

/// The only dossiers a principal's lists may show, when restricted: a paramedic works on
/// the dossiers assigned to them; a coordinator may ask for their own caseload.
pub fn list_scope(p: &Principal, only_mine: bool) -> Option<String> {
    match p.role {
        Role::Paramedic => Some(p.username.clone()),
        Role::Coordinator if only_mine => Some(p.username.clone()),
        _ => None,
    }
}

/// Who may open dossiers at all: a fund's admin and its study service never see
/// dossier content, so they are refused before a dossier is touched.
pub fn may_read_dossiers(p: &Principal) -> Result<(), Refusal> {
    match p.role {
        Role::Admin | Role::Analyst => Err(Refusal::NoDossierAccess),
        _ => Ok(()),
    }
}

/// Which worklist a principal has.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WorklistScope {
    /// The fund's open tasks of the role's actors (coordinators, paramedics, doctors),
    /// restricted to one assignee's dossiers when set.
    Fund { assignee: Option<String> },
    /// The member's own tasks on their own dossiers (returning the questionnaire,
    /// answering a plan …).
    OwnTasks { person: String },
    /// No fund-wide list: external actors see dossiers one by one, with consent.
    None,
}

/// The worklist `p` gets; `only_mine` is a coordinator's "my dossiers only".
pub fn worklist_scope(p: &Principal, only_mine: bool) -> WorklistScope {
    match p.role {
        Role::Coordinator | Role::Paramedic | Role::AdvisoryDoctor => WorklistScope::Fund {
            assignee: list_scope(p, only_mine),
        },
        Role::Member => match &p.person_id {
            Some(person) => WorklistScope::OwnTasks {
                person: person.clone(),
            },
            None => WorklistScope::None,
        },
        _ => WorklistScope::None,
    }
}

/// Whether the worklist offers `p` the "only my dossiers" filter.
pub fn offers_own_caseload(p: &Principal) -> bool {
    p.role == Role::Coordinator
}

/// The member's own person id: the dossiers that are theirs.
pub fn own_person(p: &Principal) -> Option<&str> {
    match p.role {
        Role::Member => p.person_id.as_deref(),
        _ => None,
    }
}

/// The advisory doctor's queue is the advisory doctor's.
pub fn may_see_doctor_queue(p: &Principal) -> Result<(), Refusal> {
    match p.role {
        Role::AdvisoryDoctor => Ok(()),
        _ => Err(Refusal::NoDossierAccess),
    }
}

/// The audit log of the fund (or of one dossier) is for its admins; members see who
/// opened their own dossier ([`may_see_access_log`]).
pub fn may_read_audit_log(p: &Principal) -> Result<(), Refusal> {
    match p.role {
        Role::Admin => Ok(()),
        _ => Err(Refusal::NoDossierAccess),
    }
}

/// A member may see who opened their own dossiers: `mine` are the member's dossiers,
/// `case` the one asked for.
pub fn may_see_access_log(
    p: &Principal,
    mine: &[tnw_domain::CaseKey],
    case: &tnw_domain::CaseKey,
) -> Result<(), Refusal> {
    match own_person(p) {
        Some(_) if mine.contains(case) => Ok(()),
        _ => Err(Refusal::NotYours),
    }
}

/// The fund's accounts are managed by its admins.
pub fn may_manage_accounts(p: &Principal) -> Result<(), Refusal> {
    match p.role {
        Role::Admin => Ok(()),
        _ => Err(Refusal::NoDossierAccess),
    }
}

/// Whether a change to `username`'s account (to `active`, `role`) would leave `p`,
/// the admin making it, unable to manage the fund: an admin cannot deactivate or
/// demote themselves, so a fund always keeps someone who can manage it.
pub fn locks_out_self(p: &Principal, username: &str, active: bool, role: &str) -> bool {
    username == p.username && (!active || role != Role::Admin.as_str())
}

/// Who may see the fund's coaching team (to assign dossiers): those who assign, and
/// the admins.
pub fn may_see_team(p: &Principal) -> Result<(), Refusal> {
    if p.role.recordable().contains(&EventType::CaseAssigned) || p.role == Role::Admin {
        Ok(())
    } else {
        Err(Refusal::NoDossierAccess)
    }
}

/// The recording forms a role is offered on the dossier page, of the event types that
/// have one (`with_form`): those it may record, except a referral on the member's
/// initiative, whose form is the member's own request; the page's referral form sends
/// the doctor's, so only the doctor gets it. [`may_record`] still decides on submit.
pub fn recording_forms(role: Role, with_form: &[EventType]) -> Vec<EventType> {
    with_form
        .iter()
        .copied()
        .filter(|t| role.recordable().contains(t))
        .filter(|t| *t != EventType::ReferredToCoordinator || role == Role::AdvisoryDoctor)
        .collect()
}

/// Someone at the installation's command line. Whoever can run the commands holds
/// the database itself, so every operator command is allowed; each is audited under
/// the operator's name (`cli:<name>`, role `operator`) like a person's action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Operator {
    pub name: String,
}

impl Operator {
    /// The operator named by the environment (`USER`), `unknown` without one.
    pub fn from_env() -> Operator {
        Operator {
            name: std::env::var("USER").unwrap_or_else(|_| "unknown".into()),
        }
    }

    /// The name the audit log records.
    pub fn username(&self) -> String {
        format!("cli:{}", self.name)
    }
}

/// The role an operator is audited in.
pub const OPERATOR_ROLE: &str = "operator";

/// How a principal may see the fund's figures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FigureAccess {
    /// Pseudonymised aggregates only: small counts suppressed, staff not named.
    pub aggregate_only: bool,
}

/// Who may see the figures (outcomes, operations, survey reports).
pub fn figures_access(p: &Principal) -> Result<FigureAccess, Refusal> {
    match p.role {
        Role::Analyst => Ok(FigureAccess {
            aggregate_only: true,
        }),
        Role::Admin | Role::Coordinator | Role::AdvisoryDoctor => Ok(FigureAccess {
            aggregate_only: false,
        }),
        _ => Err(Refusal::NoDossierAccess),
    }
}

/// Who may see the caseload overview of the fund's team.
pub fn may_see_caseloads(p: &Principal) -> Result<(), Refusal> {
    match p.role {
        Role::Coordinator | Role::Paramedic | Role::Admin => Ok(()),
        _ => Err(Refusal::NoDossierAccess),
    }
}

/// The person acting: authenticated user, fund and role.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    pub username: String,
    pub org: String,
    pub role: Role,
    /// For members: the person whose dossiers are theirs.
    pub person_id: Option<String>,
    /// For employers and occupational physicians: the employer they act for.
    pub employer_id: Option<String>,
}

/// What the policy needs to know about a dossier.
#[derive(Debug, Clone, Default)]
pub struct CaseContext {
    pub person_id: String,
    pub employer_id: Option<String>,
    /// Consents in force on the day of the access.
    pub consents: Vec<(ConsentRole, ConsentScope)>,
    /// The coordinator or paramedic the dossier is assigned to.
    pub assigned_to: Option<String>,
}

impl CaseContext {
    /// Builds the context from a case's events in application order, as of `today`.
    pub fn from_events<'a>(
        events: impl IntoIterator<Item = (Date, &'a Event)>,
        today: Date,
    ) -> CaseContext {
        let mut ctx = CaseContext::default();
        // Every consent given and not withdrawn: role, scope, the party named and the
        // day it ends on (not in force from that day).
        let mut given: Vec<(ConsentRole, ConsentScope, Option<Party>, Option<Date>)> = Vec::new();
        for (date, e) in events {
            if date > today {
                break;
            }
            match e {
                Event::CaseOpened(o) => {
                    ctx.person_id = o.person.id.clone();
                    ctx.employer_id = o.employer.as_ref().map(|x| x.id.clone());
                }
                Event::ConsentGiven {
                    to,
                    scope,
                    party,
                    until,
                } => {
                    // Checked when the event was accepted; a stored one that no longer
                    // passes grants nothing.
                    let Ok(ends) = tnw_domain::party::consent_ends(*to, *scope, date, *until)
                    else {
                        continue;
                    };
                    given.retain(|g| (g.0, g.1, g.2) != (*to, *scope, *party));
                    given.push((*to, *scope, *party, ends));
                }
                Event::ConsentWithdrawn { to, scope, party } => {
                    given.retain(|g| (g.0, g.1, g.2) != (*to, *scope, *party))
                }
                Event::CaseAssigned { to } => ctx.assigned_to = Some(to.clone()),
                _ => {}
            }
        }
        // Until accounts say which party they act for, a consent counts for its role
        // (docs/consent.md).
        for (to, scope, _, ends) in given {
            if ends.is_none_or(|e| today < e) && !ctx.consents.contains(&(to, scope)) {
                ctx.consents.push((to, scope));
            }
        }
        ctx
    }

    fn consented(&self, role: ConsentRole, scopes: &[ConsentScope]) -> bool {
        self.consents
            .iter()
            .any(|(r, s)| *r == role && scopes.contains(s))
    }
}

/// The parts of a dossier a principal may read, and why.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Grant {
    /// Name, birth date, region, scheme, employer, dates of the incapacity.
    pub identity: bool,
    /// Milestones and deadlines.
    pub timeline: bool,
    /// The non-medical events (contacts, referrals, plans, codex, trajectories).
    pub events: bool,
    /// The assigned category, as the advisory doctor passes it on.
    pub category: bool,
    /// The coaching record: contacts with their notes, action plan, partner referrals
    /// and results, stop and outcome. The fund's team and the member; external actors
    /// see the events' summaries only.
    pub coaching: bool,
    /// Condition, questionnaire answers: medical roles only.
    pub medical: bool,
    pub consents: bool,
    pub purpose: &'static str,
}

/// Why a read or write is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error("your role has no access to dossiers")]
    NoDossierAccess,
    #[error("this dossier is not yours")]
    NotYours,
    #[error("this dossier is not assigned to you")]
    NotAssigned,
    #[error("the member has not consented to share this dossier with you")]
    NoConsent,
    #[error("your role may not record {0}")]
    MayNotRecord(EventType),
    #[error("{0}")]
    Inconsistent(String),
    #[error("these figures are another fund's")]
    OtherFund,
    #[error("only an employer reads the list of its absent workers")]
    EmployersOnly,
    #[error("this account does not say which employer it acts for")]
    NoEmployer,
}

/// The read policy: `Ok(grant)` or why not.
pub fn read_grant(p: &Principal, case: &CaseContext) -> Result<Grant, Refusal> {
    use ConsentScope as S;
    let full = Grant {
        identity: true,
        timeline: true,
        events: true,
        category: true,
        coaching: true,
        medical: false,
        consents: true,
        purpose: "coordination",
    };
    match p.role {
        Role::Admin | Role::Analyst => Err(Refusal::NoDossierAccess),
        Role::Member => {
            if p.person_id.as_deref() == Some(case.person_id.as_str()) {
                Ok(Grant {
                    purpose: "own dossier",
                    ..full
                })
            } else {
                Err(Refusal::NotYours)
            }
        }
        Role::AdvisoryDoctor => Ok(Grant {
            medical: true,
            purpose: "medical assessment",
            ..full
        }),
        Role::Coordinator => Ok(full),
        Role::Paramedic => {
            if case.assigned_to.as_deref() == Some(p.username.as_str()) {
                Ok(full)
            } else {
                Err(Refusal::NotAssigned)
            }
        }
        Role::OccupationalPhysician | Role::Employer => {
            let cr = p.role.consent_role().ok_or(Refusal::NoConsent)?;
            if p.employer_id.is_none() || p.employer_id != case.employer_id {
                return Err(Refusal::NoConsent);
            }
            if !case.consented(cr, &[S::Dossier, S::ReintegrationPlan]) {
                return Err(Refusal::NoConsent);
            }
            Ok(Grant {
                identity: true,
                timeline: true,
                events: true,
                category: false,
                coaching: false,
                medical: p.role.is_medical() && case.consented(cr, &[S::Medical]),
                consents: false,
                purpose: "re-integration",
            })
        }
        Role::EmploymentService | Role::TreatingPhysician => {
            let cr = p.role.consent_role().ok_or(Refusal::NoConsent)?;
            let scopes: &[ConsentScope] = if p.role == Role::EmploymentService {
                &[S::Dossier, S::SocioProfessional]
            } else {
                &[S::Dossier, S::Medical]
            };
            if !case.consented(cr, scopes) {
                return Err(Refusal::NoConsent);
            }
            Ok(Grant {
                identity: true,
                timeline: true,
                events: true,
                category: false,
                coaching: false,
                medical: p.role.is_medical() && case.consented(cr, &[S::Medical]),
                consents: false,
                purpose: if p.role == Role::EmploymentService {
                    "socio-professional trajectory"
                } else {
                    "treatment"
                },
            })
        }
    }
}

/// The write policy: may this principal record this event on this dossier?
pub fn may_record(
    p: &Principal,
    case: &CaseContext,
    event: &Event,
) -> Result<&'static str, Refusal> {
    let kind = event.event_type();
    let refuse = || Err(Refusal::MayNotRecord(kind));
    // Writing needs at least read access (consent for external actors).
    let grant = read_grant(p, case)?;
    let allowed = p.role.recordable();
    if !allowed.contains(&kind) {
        return refuse();
    }
    // Who an event says acted must be who is acting.
    match event {
        Event::ReferredToCoordinator { initiative } => {
            let ok = match initiative {
                Initiative::AdvisoryDoctor => p.role == Role::AdvisoryDoctor,
                Initiative::Member => {
                    matches!(p.role, Role::Member | Role::Coordinator | Role::Paramedic)
                }
            };
            if !ok {
                return Err(Refusal::Inconsistent(format!(
                    "a {} cannot record a referral on the {initiative}'s initiative",
                    p.role.as_str()
                )));
            }
        }
        Event::CodexRequested { by } => {
            let ok = matches!(
                (by, p.role),
                (Requester::Worker, Role::Member)
                    | (Requester::Employer, Role::Employer)
                    | (Requester::AdvisoryDoctor, Role::AdvisoryDoctor)
                    | (Requester::TreatingPhysician, Role::TreatingPhysician)
            );
            if !ok {
                return Err(Refusal::Inconsistent(format!(
                    "a {} cannot record a request by the {by}",
                    p.role.as_str()
                )));
            }
        }
        _ => {}
    }
    Ok(grant.purpose)
}
