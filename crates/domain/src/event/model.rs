//! The event model: the typed events, the case key and the parsed line.

use super::values::*;
use crate::date::Date;
use crate::party::Party;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::fmt;

string_enum!(
    /// The event types of the v1 format.
    EventType {
        CaseOpened = "case_opened",
        QuickScanSent = "quick_scan_sent",
        QuickScanReturned = "quick_scan_returned",
        QuickScanReminder = "quick_scan_reminder",
        CapacityAssessed = "capacity_assessed",
        ReferredToCoordinator = "referred_to_coordinator",
        CoordinatorContact = "coordinator_contact",
        PartnerReferral = "partner_referral",
        CodexRequested = "codex_requested",
        PreReturnVisit = "pre_return_visit",
        CodexDecision = "codex_decision",
        ReintegrationPlan = "reintegration_plan",
        SocioProfessionalStarted = "socio_professional_started",
        SocioProfessionalSuspended = "socio_professional_suspended",
        SocioProfessionalResumed = "socio_professional_resumed",
        SocioProfessionalEnded = "socio_professional_ended",
        AuthorisedActivity = "authorised_activity",
        WorkResumed = "work_resumed",
        CoachingStopped = "coaching_stopped",
        ActionPlan = "action_plan",
        IncapacityEnded = "incapacity_ended",
        ConsentGiven = "consent_given",
        ConsentWithdrawn = "consent_withdrawn",
        // Extensions (appended: the index is stored in compact facts).
        PartnerResult = "partner_result",
        CaseAssigned = "case_assigned",
        LetterSent = "letter_sent",
        WorkRestrictions = "work_restrictions",
        SocioProfessionalReferred = "socio_professional_referred",
        SocioProfessionalReport = "socio_professional_report",
    }
);

/// A case id kept as its JSON token (`"C1"` or `17`) so that it is written back exactly
/// as it came; `1` and `"1"` are different cases.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CaseKey(pub(super) String);

impl CaseKey {
    /// From the stored JSON token; the caller guarantees it came from [`CaseKey::token`].
    pub fn from_token(token: String) -> Self {
        CaseKey(token)
    }
    /// Builds a key from a string id (as typed on a command line).
    pub fn from_str_id(id: &str) -> Self {
        CaseKey(serde_json::Value::String(id.to_owned()).to_string())
    }
    /// The JSON token, ready to be embedded in JSON output.
    pub fn token(&self) -> &str {
        &self.0
    }
    /// The id as a person reads it (without JSON quotes).
    pub fn display(&self) -> Cow<'_, str> {
        if self.0.starts_with('"') {
            match serde_json::from_str::<String>(&self.0) {
                Ok(s) => Cow::Owned(s),
                Err(_) => Cow::Borrowed(&self.0),
            }
        } else {
            Cow::Borrowed(&self.0)
        }
    }
    /// Candidate keys for an id typed by a person: the string, and the number if numeric.
    pub fn candidates(id: &str) -> Vec<CaseKey> {
        let mut v = vec![CaseKey::from_str_id(id)];
        if !id.is_empty() && id.len() <= 19 && id.bytes().all(|b| b.is_ascii_digit()) {
            if let Ok(n) = id.parse::<u64>() {
                v.push(CaseKey(n.to_string()));
            }
        }
        v
    }
}

impl fmt::Display for CaseKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.display())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    pub id: String,
    pub name: String,
    pub birth_date: Date,
    pub sex: Sex,
    pub language: Language,
    pub region: Region,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Employer {
    pub id: String,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseOpened {
    pub person: Person,
    pub scheme: Scheme,
    pub employer: Option<Employer>,
    pub regime: Option<Regime>,
    pub work_type: Option<WorkType>,
    /// NACE section letter A–U.
    pub sector: Option<char>,
    pub condition: Condition,
    pub incapacity_start: Date,
}

/// One typed event. Serialised (internally tagged by `type`) it is the canonical body
/// we store and hash: field order and whitespace of the input do not matter.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum Event {
    CaseOpened(Box<CaseOpened>),
    QuickScanSent,
    QuickScanReturned {
        answers: serde_json::Map<String, serde_json::Value>,
    },
    QuickScanReminder,
    CapacityAssessed {
        category: u8,
    },
    ReferredToCoordinator {
        initiative: Initiative,
    },
    CoordinatorContact {
        mode: ContactMode,
        first: bool,
        /// Why the contact took place (non-medical, free text).
        #[serde(skip_serializing_if = "Option::is_none", default)]
        purpose: Option<String>,
        /// The coordinator's notes (non-medical, free text).
        #[serde(skip_serializing_if = "Option::is_none", default)]
        notes: Option<String>,
    },
    PartnerReferral {
        to: Partner,
    },
    CodexRequested {
        by: Requester,
    },
    PreReturnVisit,
    CodexDecision {
        decision: Decision,
        /// The occupational physician's reasons for the decision, in plain terms (no
        /// diagnosis).
        #[serde(skip_serializing_if = "Option::is_none", default)]
        reasons: Option<String>,
    },
    /// A plan's status; a drafted plan may carry its content, an answer its reason.
    /// Boxed: most events are small, and an import holds millions of them.
    ReintegrationPlan(Box<Plan>),
    SocioProfessionalStarted {
        service: Service,
        activity: Activity,
    },
    SocioProfessionalSuspended,
    SocioProfessionalResumed,
    SocioProfessionalEnded {
        #[serde(skip_serializing_if = "Option::is_none", default)]
        result: Option<SocioResult>,
    },
    AuthorisedActivity {
        percent: u8,
    },
    WorkResumed {
        extent: Extent,
        #[serde(skip_serializing_if = "Option::is_none", default)]
        percent: Option<u8>,
        same_employer: bool,
        same_job: bool,
        adaptations: bool,
    },
    CoachingStopped {
        reason: StopReason,
    },
    ActionPlan {
        #[serde(skip_serializing_if = "Vec::is_empty", default)]
        goals: Vec<String>,
        #[serde(skip_serializing_if = "Option::is_none", default)]
        follow_up: Option<Date>,
        #[serde(skip_serializing_if = "Vec::is_empty", default)]
        steps: Vec<PlanStep>,
    },
    IncapacityEnded,
    /// A consent names its role (`to`) and, since the named parties, may name who
    /// exactly receives it (`party`, of that role) and when it ends (`until`).
    ConsentGiven {
        to: ConsentRole,
        scope: ConsentScope,
        #[serde(skip_serializing_if = "Option::is_none", default)]
        party: Option<Party>,
        #[serde(skip_serializing_if = "Option::is_none", default)]
        until: Option<Date>,
    },
    /// Withdraws the consent given to the same role, scope and party.
    ConsentWithdrawn {
        to: ConsentRole,
        scope: ConsentScope,
        #[serde(skip_serializing_if = "Option::is_none", default)]
        party: Option<Party>,
    },
    PartnerResult {
        to: Partner,
        result: PartnerOutcome,
        #[serde(skip_serializing_if = "Option::is_none", default)]
        note: Option<String>,
    },
    CaseAssigned {
        /// The username of the coordinator or paramedic who takes the dossier.
        to: String,
    },
    LetterSent {
        letter: LetterKind,
        /// For a reminder: the overdue task it is about.
        #[serde(skip_serializing_if = "Option::is_none", default)]
        task: Option<String>,
    },
    /// What the member can and cannot do, in plain terms, as the advisory doctor
    /// passes it on to the fund's team and, with consent, to the employer and the
    /// occupational physician: no diagnosis, no findings.
    WorkRestrictions {
        restrictions: Vec<String>,
        #[serde(skip_serializing_if = "Option::is_none", default)]
        hours_per_day: Option<u8>,
        #[serde(skip_serializing_if = "Option::is_none", default)]
        until: Option<Date>,
    },
    /// The coordinator hands the member over to a regional employment service, with
    /// the package the member consented to share.
    SocioProfessionalReferred(Box<HandOff>),
    /// The employment service reports on a running trajectory.
    SocioProfessionalReport {
        #[serde(skip_serializing_if = "Option::is_none", default)]
        activity: Option<Activity>,
        #[serde(skip_serializing_if = "Option::is_none", default)]
        note: Option<String>,
    },
}

/// A re-integration plan's status, the content of a drafted plan and the reason of a
/// refusal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Plan {
    pub status: PlanStatus,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub work: Option<PlanWork>,
    /// The tasks of the adapted or other work.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub tasks: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub hours_per_week: Option<u8>,
    /// Of the former working time.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub percent: Option<u8>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub start: Option<Date>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub weeks: Option<u16>,
    /// Whether the adaptations are permanent (else temporary).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub permanent: Option<bool>,
    /// Workplace adjustments (equipment, place, schedule).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub adjustments: Option<String>,
    /// Why the worker or the employer refuses the plan.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub reason: Option<String>,
}

/// The coordinator's hand-off package to a regional employment service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HandOff {
    pub service: Service,
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub goals: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub restrictions: Vec<String>,
    /// Who to contact at the fund.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub contact: Option<String>,
}

/// One agreed step of an action plan: what, who, by when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanStep {
    pub step: String,
    pub owner: StepOwner,
    pub due: Date,
}

impl Event {
    /// A plan's status alone, as the v1 format had it (no content, no reason).
    pub fn plan_status(status: PlanStatus) -> Event {
        Event::ReintegrationPlan(Box::new(Plan {
            status,
            work: None,
            tasks: None,
            hours_per_week: None,
            percent: None,
            start: None,
            weeks: None,
            permanent: None,
            adjustments: None,
            reason: None,
        }))
    }

    pub fn event_type(&self) -> EventType {
        match self {
            Event::CaseOpened(_) => EventType::CaseOpened,
            Event::QuickScanSent => EventType::QuickScanSent,
            Event::QuickScanReturned { .. } => EventType::QuickScanReturned,
            Event::QuickScanReminder => EventType::QuickScanReminder,
            Event::CapacityAssessed { .. } => EventType::CapacityAssessed,
            Event::ReferredToCoordinator { .. } => EventType::ReferredToCoordinator,
            Event::CoordinatorContact { .. } => EventType::CoordinatorContact,
            Event::PartnerReferral { .. } => EventType::PartnerReferral,
            Event::CodexRequested { .. } => EventType::CodexRequested,
            Event::PreReturnVisit => EventType::PreReturnVisit,
            Event::CodexDecision { .. } => EventType::CodexDecision,
            Event::ReintegrationPlan(_) => EventType::ReintegrationPlan,
            Event::SocioProfessionalStarted { .. } => EventType::SocioProfessionalStarted,
            Event::SocioProfessionalSuspended => EventType::SocioProfessionalSuspended,
            Event::SocioProfessionalResumed => EventType::SocioProfessionalResumed,
            Event::SocioProfessionalEnded { .. } => EventType::SocioProfessionalEnded,
            Event::AuthorisedActivity { .. } => EventType::AuthorisedActivity,
            Event::WorkResumed { .. } => EventType::WorkResumed,
            Event::CoachingStopped { .. } => EventType::CoachingStopped,
            Event::ActionPlan { .. } => EventType::ActionPlan,
            Event::IncapacityEnded => EventType::IncapacityEnded,
            Event::ConsentGiven { .. } => EventType::ConsentGiven,
            Event::ConsentWithdrawn { .. } => EventType::ConsentWithdrawn,
            Event::PartnerResult { .. } => EventType::PartnerResult,
            Event::CaseAssigned { .. } => EventType::CaseAssigned,
            Event::LetterSent { .. } => EventType::LetterSent,
            Event::WorkRestrictions { .. } => EventType::WorkRestrictions,
            Event::SocioProfessionalReferred(_) => EventType::SocioProfessionalReferred,
            Event::SocioProfessionalReport { .. } => EventType::SocioProfessionalReport,
        }
    }
}

/// One parsed and range-checked line of the import format.
#[derive(Debug, Clone, PartialEq)]
pub struct EventLine {
    pub case: CaseKey,
    pub date: Date,
    pub event: Event,
}
