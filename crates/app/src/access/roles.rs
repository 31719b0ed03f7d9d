//! The roles of docs/domain.md 2 and what each role's work is: the events it may
//! record, whose tasks fill its worklist, the screens it works in.

use serde::Serialize;
use tnw_domain::event::{ConsentRole, EventType};

/// The roles of docs/domain.md 2.
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

    /// The consent role whose consents an account of this role receives: the actors
    /// outside the fund, whose accounts act for a party.
    pub fn consent_role(self) -> Option<ConsentRole> {
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
                T::WorkRestrictions,
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
                T::SocioProfessionalReferred,
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
                T::SocioProfessionalReferred,
                T::SocioProfessionalStarted,
                T::SocioProfessionalSuspended,
                T::SocioProfessionalResumed,
                T::SocioProfessionalEnded,
                T::WorkResumed,
                T::IncapacityEnded,
            ],
            // The member answers the employer's plan (accepts or refuses it).
            Role::Member => &[
                T::QuickScanReturned,
                T::ReferredToCoordinator,
                T::ConsentGiven,
                T::ConsentWithdrawn,
                T::CodexRequested,
                T::ReintegrationPlan,
            ],
            // The plan is drafted by the employer with the occupational physician.
            Role::OccupationalPhysician => {
                &[T::PreReturnVisit, T::CodexDecision, T::ReintegrationPlan]
            }
            Role::Employer => &[T::ReintegrationPlan, T::CodexRequested],
            // The service accepts a hand-off by starting the trajectory.
            Role::EmploymentService => &[
                T::SocioProfessionalStarted,
                T::SocioProfessionalReport,
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
            Role::EmploymentService => &["employment_service"],
            Role::TreatingPhysician => &["treating_physician"],
            _ => &[],
        }
    }

    /// Roles that can be given dossiers to coach.
    pub fn takes_assignments(self) -> bool {
        matches!(self, Role::Coordinator | Role::Paramedic)
    }

    /// Accounts of this role belong to a member: they need the person they are.
    pub fn needs_person(self) -> bool {
        self == Role::Member
    }

    /// Accounts of this role act for a party outside the fund (an employer, an
    /// occupational health service, an employment service, a physician): they need
    /// which one.
    pub fn needs_party(self) -> bool {
        self.consent_role().is_some()
    }

    /// Whose overdue tasks a user of this role is reminded of by e-mail: `Some(true)`
    /// the dossiers assigned to them, `Some(false)` the fund's (doctors' tasks are not
    /// assigned), `None` no reminders.
    pub fn reminded_of_own_dossiers(self) -> Option<bool> {
        match self {
            Role::Coordinator | Role::Paramedic => Some(true),
            Role::AdvisoryDoctor => Some(false),
            _ => None,
        }
    }

    /// The screens of the web application this role works in, in menu order.
    pub fn screens(self) -> &'static [Screen] {
        use Screen as S;
        match self {
            Role::Coordinator => &[S::Worklist, S::Caseload, S::Figures],
            Role::Paramedic => &[S::Worklist, S::Caseload],
            Role::AdvisoryDoctor => &[S::DoctorQueue, S::Worklist, S::Figures],
            Role::Member => &[S::MyDossiers],
            Role::Admin => &[S::Accounts, S::Caseload, S::Figures],
            Role::Analyst => &[S::Figures],
            Role::Employer => &[S::Worklist, S::Absences],
            Role::OccupationalPhysician | Role::EmploymentService | Role::TreatingPhysician => {
                &[S::Worklist]
            }
        }
    }

    /// Where signing in leads.
    pub fn home(self) -> Screen {
        match self {
            Role::Member => Screen::MyDossiers,
            Role::Admin => Screen::Accounts,
            Role::AdvisoryDoctor => Screen::DoctorQueue,
            Role::Analyst => Screen::Figures,
            _ => Screen::Worklist,
        }
    }

    /// The fund's study service works with figures only, never with a dossier or an
    /// account: the pages tell it so in words.
    pub fn figures_only(self) -> bool {
        self == Role::Analyst
    }
}

/// A screen of the web application.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Screen {
    Worklist,
    Caseload,
    Figures,
    DoctorQueue,
    MyDossiers,
    Accounts,
    /// The employer's monthly list of its absent workers.
    Absences,
}
