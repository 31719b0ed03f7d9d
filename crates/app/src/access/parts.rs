//! The parts of a dossier, and which part every event and every milestone belongs to.
//! A grant is a set of parts; the views show an event, a milestone or a field only when
//! the grant holds its part, so what a party sees follows from one table
//! (docs/access.md, "Who sees what").

use serde::Serialize;
use tnw_domain::event::{Event, EventType};
use tnw_domain::rules::{Anchor, Rule};

/// A part of a dossier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Part {
    /// Name, birth date, region, scheme, employer, first and last day of incapacity.
    Identity,
    /// The fund's own steps: questionnaire sent and returned, referral to the
    /// coordinator, contacts, letters, assignment, the fund's deadlines.
    Fund,
    /// The category the advisory doctor assigns, and every step that depends on it.
    Category,
    /// The coordinator's working file: notes, the action plan's steps, partner results,
    /// why coaching stopped.
    Coaching,
    /// The re-integration trajectory with the employer: codex requests, the
    /// occupational physician's visits and decisions, the plan and its answer, the
    /// employer's deadlines.
    Reintegration,
    /// What the member can and cannot do, in plain terms, as the advisory doctor passes
    /// it on (no diagnosis).
    Restrictions,
    /// The socio-professional trajectory with the regional employment service.
    SocioProfessional,
    /// Return to work and the end of the incapacity.
    Return,
    /// The member's consents.
    Consents,
    /// Condition, questionnaire answers, assessments: medical secrecy.
    Medical,
}

impl Part {
    pub const ALL: [Part; 10] = [
        Part::Identity,
        Part::Fund,
        Part::Category,
        Part::Coaching,
        Part::Reintegration,
        Part::Restrictions,
        Part::SocioProfessional,
        Part::Return,
        Part::Consents,
        Part::Medical,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Part::Identity => "identity",
            Part::Fund => "fund",
            Part::Category => "category",
            Part::Coaching => "coaching",
            Part::Reintegration => "reintegration",
            Part::Restrictions => "restrictions",
            Part::SocioProfessional => "socio_professional",
            Part::Return => "return",
            Part::Consents => "consents",
            Part::Medical => "medical",
        }
    }

    fn bit(self) -> u16 {
        1 << (self as u16)
    }
}

/// A set of parts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub struct Parts(u16);

impl Parts {
    pub const NONE: Parts = Parts(0);

    pub fn of(parts: &[Part]) -> Parts {
        Parts(parts.iter().fold(0, |acc, p| acc | p.bit()))
    }

    pub fn all() -> Parts {
        Parts::of(&Part::ALL)
    }

    pub fn contains(self, p: Part) -> bool {
        self.0 & p.bit() != 0
    }

    pub fn with(self, other: Parts) -> Parts {
        Parts(self.0 | other.0)
    }

    pub fn without(self, p: Part) -> Parts {
        Parts(self.0 & !p.bit())
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    pub fn iter(self) -> impl Iterator<Item = Part> {
        Part::ALL.into_iter().filter(move |p| self.contains(*p))
    }
}

impl Serialize for Parts {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.iter())
    }
}

/// The part an event of type `t` belongs to.
pub fn event_part(t: EventType) -> Part {
    use EventType as T;
    match t {
        T::CaseOpened => Part::Identity,
        T::QuickScanSent
        | T::QuickScanReminder
        | T::QuickScanReturned
        | T::ReferredToCoordinator
        | T::CoordinatorContact
        | T::LetterSent
        | T::CaseAssigned => Part::Fund,
        // A partner referral names a psychologist or a training centre; a stop names
        // health as a reason; the plan's steps are the coordinator's: all the working
        // file's, with the fund's team and the member only.
        T::PartnerReferral | T::PartnerResult | T::ActionPlan | T::CoachingStopped => {
            Part::Coaching
        }
        T::CapacityAssessed => Part::Category,
        // A progressive return's authorised percentage is decided on medical grounds by
        // the advisory doctor, but what the employer needs of it is the work resumed.
        T::AuthorisedActivity | T::WorkResumed | T::IncapacityEnded => Part::Return,
        T::CodexRequested | T::PreReturnVisit | T::CodexDecision | T::ReintegrationPlan => {
            Part::Reintegration
        }
        T::WorkRestrictions => Part::Restrictions,
        T::SocioProfessionalReferred
        | T::SocioProfessionalReport
        | T::SocioProfessionalStarted
        | T::SocioProfessionalSuspended
        | T::SocioProfessionalResumed
        | T::SocioProfessionalEnded => Part::SocioProfessional,
        T::ConsentGiven | T::ConsentWithdrawn => Part::Consents,
    }
}

/// The part of an event.
pub fn part_of(e: &Event) -> Part {
    event_part(e.event_type())
}

/// The part a rule's task or milestone belongs to: a rule that depends on the category
/// (by its condition or its anchor) is the category's, whatever its actor, so that no
/// deadline betrays it; otherwise its anchor's part, and for deadlines counted from
/// the first day of incapacity the part of the actor who owns it.
pub fn rule_part(rule: &Rule) -> Part {
    let on_category = rule.when.as_ref().is_some_and(|c| c.field == "category")
        || rule
            .done_when
            .as_ref()
            .is_some_and(|c| c.field == "category")
        || rule.anchor == Anchor::Event(EventType::CapacityAssessed);
    if on_category {
        return Part::Category;
    }
    match rule.anchor {
        Anchor::Event(t) => match event_part(t) {
            // Only the fund's own parts carry deadlines of the outside actors' when
            // anchored on them; everything else follows its anchor.
            Part::Identity => actor_part(&rule.actor),
            p => p,
        },
        Anchor::IncapacityStart => actor_part(&rule.actor),
    }
}

fn actor_part(actor: &str) -> Part {
    match actor {
        "employer" | "occupational_physician" => Part::Reintegration,
        "employment_service" => Part::SocioProfessional,
        // The member's own deadlines counted from the start are those of the
        // re-integration trajectory (when they may ask for it, force majeure).
        "member" => Part::Reintegration,
        _ => Part::Fund,
    }
}
