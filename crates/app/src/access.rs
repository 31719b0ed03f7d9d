//! Who may read and write what: role + fund + the member's consent + purpose. This is
//! the one place where that is decided; the use cases call it, handlers never do.

use serde::Serialize;
use tnw_domain::event::{ConsentRole, ConsentScope, Event, EventType, Initiative, Requester};
use tnw_domain::Date;

/// The roles of DOMAIN.md 2.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Member,
    AdvisoryDoctor,
    Coordinator,
    Paramedic,
    OccupationalPhysician,
    Employer,
    EmploymentService,
    TreatingPhysician,
    Analyst,
    Admin,
}

impl Role {
    pub const ALL: &'static [Role] = &[
        Role::Member,
        Role::AdvisoryDoctor,
        Role::Coordinator,
        Role::Paramedic,
        Role::OccupationalPhysician,
        Role::Employer,
        Role::EmploymentService,
        Role::TreatingPhysician,
        Role::Analyst,
        Role::Admin,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Member => "member",
            Role::AdvisoryDoctor => "advisory_doctor",
            Role::Coordinator => "coordinator",
            Role::Paramedic => "paramedic",
            Role::OccupationalPhysician => "occupational_physician",
            Role::Employer => "employer",
            Role::EmploymentService => "employment_service",
            Role::TreatingPhysician => "treating_physician",
            Role::Analyst => "analyst",
            Role::Admin => "admin",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.iter().copied().find(|r| r.as_str() == s)
    }

    /// Roles bound by medical secrecy who may see the medical part (with consent for
    /// doctors outside the fund).
    pub fn is_medical(self) -> bool {
        matches!(
            self,
            Role::AdvisoryDoctor | Role::OccupationalPhysician | Role::TreatingPhysician
        )
    }

    /// The consent role that covers this role, for actors outside the fund.
    fn consent_role(self) -> Option<ConsentRole> {
        match self {
            Role::OccupationalPhysician => Some(ConsentRole::OccupationalPhysician),
            Role::Employer => Some(ConsentRole::Employer),
            Role::EmploymentService => Some(ConsentRole::EmploymentService),
            Role::TreatingPhysician => Some(ConsentRole::TreatingPhysician),
            _ => None,
        }
    }

    /// The event types this role may record (on dossiers it may read); the pages offer
    /// forms for these and [`may_record`] enforces them.
    pub fn recordable(self) -> &'static [EventType] {
        use EventType as T;
        match self {
            Role::AdvisoryDoctor => &[
                T::CapacityAssessed,
                T::ReferredToCoordinator,
                T::AuthorisedActivity,
                T::CodexRequested,
                T::QuickScanSent,
            ],
            Role::Coordinator => &[
                T::CaseAssigned,
                T::QuickScanSent,
                T::QuickScanReminder,
                T::QuickScanReturned,
                T::ReferredToCoordinator,
                T::CoordinatorContact,
                T::PartnerReferral,
                T::PartnerResult,
                T::LetterSent,
                T::ActionPlan,
                T::CoachingStopped,
                T::SocioProfessionalStarted,
                T::SocioProfessionalSuspended,
                T::SocioProfessionalResumed,
                T::SocioProfessionalEnded,
                T::WorkResumed,
                T::IncapacityEnded,
            ],
            // As the coordinator, on the dossiers assigned to them; assigning is the
            // coordinators' call.
            Role::Paramedic => &[
                T::QuickScanSent,
                T::QuickScanReminder,
                T::QuickScanReturned,
                T::ReferredToCoordinator,
                T::CoordinatorContact,
                T::PartnerReferral,
                T::PartnerResult,
                T::LetterSent,
                T::ActionPlan,
                T::CoachingStopped,
                T::SocioProfessionalStarted,
                T::SocioProfessionalSuspended,
                T::SocioProfessionalResumed,
                T::SocioProfessionalEnded,
                T::WorkResumed,
                T::IncapacityEnded,
            ],
            Role::Member => &[
                T::QuickScanReturned,
                T::ReferredToCoordinator,
                T::ConsentGiven,
                T::ConsentWithdrawn,
                T::CodexRequested,
            ],
            Role::OccupationalPhysician => &[T::PreReturnVisit, T::CodexDecision],
            Role::Employer => &[T::ReintegrationPlan, T::CodexRequested],
            Role::EmploymentService => &[
                T::SocioProfessionalStarted,
                T::SocioProfessionalSuspended,
                T::SocioProfessionalResumed,
                T::SocioProfessionalEnded,
            ],
            Role::TreatingPhysician => &[T::CodexRequested],
            Role::Admin | Role::Analyst => &[],
        }
    }

    /// The task actors whose work shows on this role's worklist.
    pub fn worklist_actors(self) -> &'static [&'static str] {
        match self {
            Role::Coordinator | Role::Paramedic => &["coordinator", "fund"],
            Role::AdvisoryDoctor => &["advisory_doctor"],
            Role::OccupationalPhysician => &["occupational_physician"],
            Role::Employer => &["employer"],
            _ => &[],
        }
    }

    /// Roles that can be given dossiers to coach.
    pub fn takes_assignments(self) -> bool {
        matches!(self, Role::Coordinator | Role::Paramedic)
    }
}

/// The only dossiers a principal's lists may show, when restricted: a paramedic works on
/// the dossiers assigned to them; a coordinator may ask for their own caseload.
pub fn list_scope(p: &Principal, only_mine: bool) -> Option<String> {
    match p.role {
        Role::Paramedic => Some(p.username.clone()),
        Role::Coordinator if only_mine => Some(p.username.clone()),
        _ => None,
    }
}

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
        for (date, e) in events {
            if date > today {
                break;
            }
            match e {
                Event::CaseOpened(o) => {
                    ctx.person_id = o.person.id.clone();
                    ctx.employer_id = o.employer.as_ref().map(|x| x.id.clone());
                }
                Event::ConsentGiven { to, scope } if !ctx.consents.contains(&(*to, *scope)) => {
                    ctx.consents.push((*to, *scope));
                }
                Event::ConsentWithdrawn { to, scope } => {
                    ctx.consents.retain(|c| *c != (*to, *scope))
                }
                Event::CaseAssigned { to } => ctx.assigned_to = Some(to.clone()),
                _ => {}
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
