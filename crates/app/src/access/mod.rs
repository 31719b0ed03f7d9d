//! Who may read and write what: role + fund + the member's consent + purpose. This is
//! the one place where that is decided; the use cases call it, handlers never do.

mod absences;
mod parts;
#[cfg(test)]
mod party_tests;
mod roles;
#[cfg(test)]
mod tests;

pub use absences::{absence_list_scope, acting_employer};
pub use parts::{event_part, part_of, rule_part, Part, Parts};
pub use roles::{Role, Screen};

use serde::Serialize;
use tnw_domain::event::{
    ConsentRole, ConsentScope, Event, EventType, Initiative, Region, Requester,
};
use tnw_domain::party::{EmploymentService, EnterpriseNumber, Party};
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
    /// An actor outside the fund: the deadlines the rules give their party (tasks
    /// stored under these qualified actors, [`owned_actor`]), on the dossiers they may
    /// read ([`read_grant`], checked dossier by dossier).
    Party { actors: Vec<String> },
    /// No list.
    None,
}

/// Whether a rule's actor is outside the fund (their deadlines are stored per party).
pub fn is_outside_actor(actor: &str) -> bool {
    matches!(
        actor,
        "employer" | "occupational_physician" | "employment_service" | "treating_physician"
    )
}

/// The stored actor of a deadline of `actor` owned by `owner` (an employer as the
/// dossier names it, an employment service): `employer@0202239951`. Enterprise
/// numbers are written in their canonical digits, however the dossier spells them.
pub fn owned_actor(actor: &str, owner: &str) -> String {
    match EnterpriseNumber::parse(owner) {
        Ok(n) => format!("{actor}@{n}"),
        Err(_) => format!("{actor}@{owner}"),
    }
}

/// The qualified actors whose deadlines an outside principal's worklist shows.
fn party_actors(p: &Principal) -> Vec<String> {
    let mut out = Vec::new();
    let mut add = |actor: &str, owner: Option<String>| {
        if let Some(o) = owner {
            let a = owned_actor(actor, &o);
            if !out.contains(&a) {
                out.push(a);
            }
        }
    };
    match p.role {
        Role::Employer => add("employer", acting_employer(p)),
        // An occupational physician works for the employer it serves.
        Role::OccupationalPhysician => add("occupational_physician", acting_employer(p)),
        Role::EmploymentService => {
            if let Some(Party::EmploymentService(s)) = p.party {
                add("employment_service", Some(s.as_str().to_owned()));
            }
        }
        Role::TreatingPhysician => {
            if let Some(Party::Physician(n)) = p.party {
                add("treating_physician", Some(n.to_string()));
            }
        }
        _ => {}
    }
    out
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
        Role::Employer
        | Role::OccupationalPhysician
        | Role::EmploymentService
        | Role::TreatingPhysician => WorklistScope::Party {
            actors: party_actors(p),
        },
        Role::Admin | Role::Analyst => WorklistScope::None,
    }
}

/// Whether the worklist offers `p` a filter by category: the category is the fund's
/// team's (and the member's), never an outside actor's.
pub fn offers_category_filter(p: &Principal) -> bool {
    matches!(
        p.role,
        Role::Coordinator | Role::Paramedic | Role::AdvisoryDoctor
    )
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
/// have one (`with_form`): those it may record. The member records on their own page
/// (`/me`), not here. [`may_record`] still decides on submit.
pub fn recording_forms(role: Role, with_form: &[EventType]) -> Vec<EventType> {
    if role == Role::Member {
        return Vec::new();
    }
    with_form
        .iter()
        .copied()
        .filter(|t| role.recordable().contains(t))
        .collect()
}

/// On whose initiative a referral recorded by `role` is: the advisory doctor's own, or
/// the member's request the fund's team records for them.
pub fn referral_initiative(role: Role) -> Option<Initiative> {
    match role {
        Role::AdvisoryDoctor => Some(Initiative::AdvisoryDoctor),
        Role::Coordinator | Role::Paramedic | Role::Member => Some(Initiative::Member),
        _ => None,
    }
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
    /// For actors outside the fund: the party they act for.
    pub party: Option<Party>,
}

/// The employer an account acts for, as dossiers name it: an employer's enterprise
/// number, else the employer id the account was given (accounts made before parties,
/// occupational physicians serving one employer).
pub fn employer_of_account(
    role: Role,
    party: Option<&str>,
    employer_id: Option<&str>,
) -> Option<String> {
    let from_party = party.and_then(|p| match Party::parse(p) {
        Ok(Party::Employer(n)) if role == Role::Employer => Some(n.to_string()),
        _ => None,
    });
    from_party.or_else(|| {
        employer_id
            .map(str::trim)
            .filter(|x| !x.is_empty())
            .map(str::to_owned)
    })
}

/// The regional employment service of a member's region: the one a consent to "the
/// employment service" without a party means.
pub fn service_of_region(r: Region) -> Option<EmploymentService> {
    match r {
        Region::Flanders => Some(EmploymentService::Vdab),
        Region::Wallonia => Some(EmploymentService::Forem),
        Region::Brussels => Some(EmploymentService::Actiris),
        Region::German => Some(EmploymentService::Adg),
        Region::Abroad => None,
    }
}

/// A consent in force on the day of an access.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Consent {
    pub to: ConsentRole,
    pub scope: ConsentScope,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub party: Option<Party>,
    /// The day it ends on (not in force from that day).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub until: Option<Date>,
}

/// What the policy needs to know about a dossier.
#[derive(Debug, Clone, Default)]
pub struct CaseContext {
    pub person_id: String,
    pub employer_id: Option<String>,
    pub region: Option<Region>,
    /// Consents in force on the day of the access.
    pub consents: Vec<Consent>,
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
                    ctx.region = Some(o.person.region);
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
        for (to, scope, party, until) in given {
            if until.is_none_or(|e| today < e) {
                ctx.consents.push(Consent {
                    to,
                    scope,
                    party,
                    until,
                });
            }
        }
        ctx
    }

    /// Whether `p`, an actor outside the fund, acts for the dossier's employer.
    fn employer_is(&self, p: &Principal) -> bool {
        let Some(theirs) = self.employer_id.as_deref() else {
            return false;
        };
        let Some(mine) = acting_employer(p) else {
            return false;
        };
        // An enterprise number matches however the dossier spells it.
        mine == theirs
            || matches!(
                (EnterpriseNumber::parse(&mine), EnterpriseNumber::parse(theirs)),
                (Ok(a), Ok(b)) if a == b
            )
    }

    /// Whether consent `c` (to `p`'s role) goes to `p`: a consent naming a party goes to
    /// that party's accounts; one without (docs/consent.md) to the dossier's employer,
    /// to an occupational physician of that employer, to the service of the member's
    /// region, and to no treating physician, whom only a name identifies.
    fn reaches(&self, c: &Consent, p: &Principal) -> bool {
        match c.party {
            Some(named) => p.party == Some(named),
            None => match p.role {
                Role::Employer | Role::OccupationalPhysician => self.employer_is(p),
                Role::EmploymentService => self
                    .region
                    .and_then(service_of_region)
                    .is_some_and(|s| p.party == Some(Party::EmploymentService(s))),
                _ => false,
            },
        }
    }
}

/// The parts a consent of `scope` opens to an actor outside the fund (the matrix of
/// docs/access.md): never the fund's own steps, the category, the working file or the
/// consents; medical data only to a physician the consent names.
pub fn scope_parts(role: Role, scope: ConsentScope, named: bool) -> Parts {
    use ConsentScope as S;
    use Part as P;
    match scope {
        S::Dossier => Parts::of(&[
            P::Identity,
            P::Reintegration,
            P::Restrictions,
            P::SocioProfessional,
            P::Return,
        ]),
        S::ReintegrationPlan => {
            Parts::of(&[P::Identity, P::Reintegration, P::Restrictions, P::Return])
        }
        S::SocioProfessional => Parts::of(&[
            P::Identity,
            P::SocioProfessional,
            P::Restrictions,
            P::Return,
        ]),
        S::Medical | S::QuickScan if role.is_medical() && named => {
            Parts::of(&[P::Identity, P::Medical, P::Restrictions])
        }
        S::Medical | S::QuickScan => Parts::NONE,
    }
}

/// The parts of a dossier a principal may read, and why.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Grant {
    pub parts: Parts,
    pub purpose: &'static str,
    /// The reader is a physician, bound by medical secrecy (the advisory doctor, an
    /// occupational or treating physician): a codex decision's reasons are theirs to
    /// read with the re-integration part.
    pub physician: bool,
}

impl Grant {
    pub fn sees(&self, p: Part) -> bool {
        self.parts.contains(p)
    }
}

// Serialised with the parts, and the flags the API gave before the parts existed
// (`identity`, `category`, `coaching`, `consents`, `medical`; `timeline` and
// `events`, which every grant has, in the parts it holds).
impl Serialize for Grant {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("Grant", 9)?;
        st.serialize_field("identity", &self.sees(Part::Identity))?;
        st.serialize_field("timeline", &true)?;
        st.serialize_field("events", &true)?;
        st.serialize_field("category", &self.sees(Part::Category))?;
        st.serialize_field("coaching", &self.sees(Part::Coaching))?;
        st.serialize_field("medical", &self.sees(Part::Medical))?;
        st.serialize_field("consents", &self.sees(Part::Consents))?;
        st.serialize_field("parts", &self.parts)?;
        st.serialize_field("purpose", self.purpose)?;
        st.end()
    }
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
    let team = Grant {
        parts: Parts::all().without(Part::Medical),
        purpose: "coordination",
        physician: false,
    };
    match p.role {
        Role::Admin | Role::Analyst => Err(Refusal::NoDossierAccess),
        Role::Member => {
            if p.person_id.as_deref() == Some(case.person_id.as_str()) {
                Ok(Grant {
                    purpose: "own dossier",
                    ..team
                })
            } else {
                Err(Refusal::NotYours)
            }
        }
        Role::AdvisoryDoctor => Ok(Grant {
            parts: Parts::all(),
            purpose: "medical assessment",
            physician: true,
        }),
        Role::Coordinator => Ok(team),
        Role::Paramedic => {
            if case.assigned_to.as_deref() == Some(p.username.as_str()) {
                Ok(team)
            } else {
                Err(Refusal::NotAssigned)
            }
        }
        Role::OccupationalPhysician
        | Role::Employer
        | Role::EmploymentService
        | Role::TreatingPhysician => {
            let to = p.role.consent_role().ok_or(Refusal::NoConsent)?;
            let parts = case
                .consents
                .iter()
                .filter(|c| c.to == to && case.reaches(c, p))
                .fold(Parts::NONE, |acc, c| {
                    acc.with(scope_parts(p.role, c.scope, c.party.is_some()))
                });
            if parts.is_empty() {
                return Err(Refusal::NoConsent);
            }
            Ok(Grant {
                parts,
                physician: p.role.is_medical(),
                purpose: match p.role {
                    Role::EmploymentService => "socio-professional trajectory",
                    Role::TreatingPhysician => "treatment",
                    _ => "re-integration",
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
    // An event is written into a part of the dossier the writer may read.
    if !allowed.contains(&kind) || !grant.sees(part_of(event)) {
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
        Event::ReintegrationPlan(plan) => {
            let status = plan.status;
            use tnw_domain::event::PlanStatus as P;
            let ok = match p.role {
                Role::Member => matches!(status, P::Accepted | P::RefusedByWorker),
                Role::Employer => {
                    matches!(status, P::Drafted | P::RefusedByEmployer | P::CarriedOut)
                }
                Role::OccupationalPhysician => matches!(status, P::Drafted | P::CarriedOut),
                _ => false,
            };
            if !ok {
                return Err(Refusal::Inconsistent(format!(
                    "a {} cannot record a plan that is {status}",
                    p.role.as_str()
                )));
            }
        }
        // An employment service records its own trajectories only.
        Event::SocioProfessionalStarted { service, .. }
            if p.role == Role::EmploymentService
                && p.party
                    != EmploymentService::parse(service.as_str()).map(Party::EmploymentService) =>
        {
            return Err(Refusal::Inconsistent(format!(
                "a trajectory with {service} is that service's to record"
            )));
        }
        // The hand-off package goes to a service the member consented to share it with.
        Event::SocioProfessionalReferred(hand_off) => {
            let service = &hand_off.service;
            // Whom the consent reaches decides, as for the service's own reads.
            let receiver = Principal {
                role: Role::EmploymentService,
                party: EmploymentService::parse(service.as_str()).map(Party::EmploymentService),
                employer_id: None,
                ..p.clone()
            };
            let consented = case.consents.iter().any(|c| {
                c.to == ConsentRole::EmploymentService
                    && matches!(
                        c.scope,
                        ConsentScope::SocioProfessional | ConsentScope::Dossier
                    )
                    && case.reaches(c, &receiver)
            });
            if !consented {
                return Err(Refusal::Inconsistent(format!(
                    "the member has not consented to share the hand-off with {service}"
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
