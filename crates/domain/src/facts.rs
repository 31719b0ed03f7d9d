//! The compact facts of a case that the deadline engine reads: one date, one event
//! type and one characteristic value per event. Stored as a small blob per case so
//! that a sweep over a million dossiers never re-reads their full events.

use crate::date::Date;
use crate::event::{Event, EventType, Scheme};
use chrono::Datelike;

/// One dated fact. `attr` is the event's characteristic value, see [`Fact::attr_text`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fact {
    pub date: Date,
    pub kind: EventType,
    pub attr: u8,
}

/// The name of the characteristic field of an event type, if it has one that rules
/// may test.
pub fn attr_field(kind: EventType) -> Option<&'static str> {
    use EventType as T;
    Some(match kind {
        T::CapacityAssessed => "category",
        T::ReferredToCoordinator => "initiative",
        T::CoordinatorContact => "first",
        T::PartnerReferral => "to",
        T::CodexRequested => "by",
        T::CodexDecision => "decision",
        T::ReintegrationPlan => "status",
        T::SocioProfessionalStarted | T::SocioProfessionalReferred => "service",
        T::WorkResumed => "extent",
        T::CoachingStopped => "reason",
        T::AuthorisedActivity => "percent",
        _ => return None,
    })
}

/// The values a rule may test for `kind`'s characteristic field.
pub fn attr_values(kind: EventType) -> Vec<String> {
    use crate::event::*;
    use EventType as T;
    fn all<E: Copy>(v: &[E], f: impl Fn(E) -> &'static str) -> Vec<String> {
        v.iter().map(|e| f(*e).to_owned()).collect()
    }
    match kind {
        T::CapacityAssessed => (1..=4).map(|c: u8| c.to_string()).collect(),
        T::ReferredToCoordinator => all(Initiative::ALL, Initiative::as_str),
        T::CoordinatorContact => vec!["true".into(), "false".into()],
        T::PartnerReferral => all(Partner::ALL, Partner::as_str),
        T::CodexRequested => all(Requester::ALL, Requester::as_str),
        T::CodexDecision => all(Decision::ALL, Decision::as_str),
        T::ReintegrationPlan => all(PlanStatus::ALL, PlanStatus::as_str),
        T::SocioProfessionalStarted | T::SocioProfessionalReferred => {
            all(Service::ALL, Service::as_str)
        }
        T::WorkResumed => all(Extent::ALL, Extent::as_str),
        T::CoachingStopped => all(StopReason::ALL, StopReason::as_str),
        T::AuthorisedActivity => (1..=99).map(|c: u8| c.to_string()).collect(),
        _ => Vec::new(),
    }
}

impl Fact {
    pub fn from_event(date: Date, e: &Event) -> Fact {
        let attr = match e {
            Event::CapacityAssessed { category } => *category,
            Event::ReferredToCoordinator { initiative } => initiative.index(),
            Event::CoordinatorContact { first, .. } => u8::from(*first),
            Event::PartnerReferral { to } => to.index(),
            Event::CodexRequested { by } => by.index(),
            Event::CodexDecision { decision, .. } => decision.index(),
            Event::ReintegrationPlan(p) => p.status.index(),
            Event::SocioProfessionalReferred(h) => h.service.index(),
            Event::SocioProfessionalStarted { service, .. } => service.index(),
            Event::WorkResumed { extent, .. } => extent.index(),
            Event::CoachingStopped { reason } => reason.index(),
            Event::AuthorisedActivity { percent } => *percent,
            _ => 0,
        };
        Fact {
            date,
            kind: e.event_type(),
            attr,
        }
    }

    /// The characteristic value as rule sets write it (`"4"`, `"A"`, `"part_time"`, …).
    pub fn attr_text(&self) -> Option<String> {
        use crate::event::*;
        use EventType as T;
        let a = self.attr;
        Some(match self.kind {
            T::CapacityAssessed | T::AuthorisedActivity => a.to_string(),
            T::CoordinatorContact => (a == 1).to_string(),
            T::ReferredToCoordinator => Initiative::from_index(a)?.as_str().into(),
            T::PartnerReferral => Partner::from_index(a)?.as_str().into(),
            T::CodexRequested => Requester::from_index(a)?.as_str().into(),
            T::CodexDecision => Decision::from_index(a)?.as_str().into(),
            T::ReintegrationPlan => PlanStatus::from_index(a)?.as_str().into(),
            T::SocioProfessionalStarted => Service::from_index(a)?.as_str().into(),
            T::WorkResumed => Extent::from_index(a)?.as_str().into(),
            T::CoachingStopped => StopReason::from_index(a)?.as_str().into(),
            _ => return None,
        })
    }
}

/// Everything the engine needs to know about one case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseFacts {
    pub incapacity_start: Date,
    pub scheme: Scheme,
    pub has_employer: bool,
    /// In application order: by date, ties in arrival order.
    pub facts: Vec<Fact>,
}

#[derive(Debug, thiserror::Error)]
#[error("corrupt facts blob: {0}")]
pub struct DecodeError(&'static str);

const VERSION: u8 = 1;

impl CaseFacts {
    /// Builds the facts from a case's events in application order. Returns `None` when
    /// the first event is not `case_opened`.
    pub fn from_events<'a>(events: impl IntoIterator<Item = (Date, &'a Event)>) -> Option<Self> {
        let mut it = events.into_iter();
        let (date, first) = it.next()?;
        let Event::CaseOpened(o) = first else {
            return None;
        };
        let mut facts = vec![Fact::from_event(date, first)];
        // Consents and questionnaire answers do not drive deadlines.
        facts.extend(
            it.filter(|(_, e)| {
                !matches!(
                    e,
                    Event::ConsentGiven { .. } | Event::ConsentWithdrawn { .. }
                )
            })
            .map(|(d, e)| Fact::from_event(d, e)),
        );
        Some(CaseFacts {
            incapacity_start: o.incapacity_start,
            scheme: o.scheme,
            has_employer: o.employer.is_some(),
            facts,
        })
    }

    /// The facts dated on or before `as_of` ("as of" views count nothing later).
    pub fn until(&self, as_of: Date) -> &[Fact] {
        let n = self.facts.partition_point(|f| f.date <= as_of);
        &self.facts[..n]
    }

    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(7 + 6 * self.facts.len());
        out.push(VERSION);
        out.extend_from_slice(&self.incapacity_start.num_days_from_ce().to_le_bytes());
        out.push(self.scheme.index());
        out.push(u8::from(self.has_employer));
        for f in &self.facts {
            out.extend_from_slice(&f.date.num_days_from_ce().to_le_bytes());
            out.push(f.kind.index());
            out.push(f.attr);
        }
        out
    }

    pub fn decode(b: &[u8]) -> Result<CaseFacts, DecodeError> {
        fn day(b: &[u8]) -> Result<Date, DecodeError> {
            let n = i32::from_le_bytes([b[0], b[1], b[2], b[3]]);
            Date::from_num_days_from_ce_opt(n).ok_or(DecodeError("date out of range"))
        }
        if b.len() < 7 || !(b.len() - 7).is_multiple_of(6) {
            return Err(DecodeError("length"));
        }
        if b[0] != VERSION {
            return Err(DecodeError("unknown version"));
        }
        let incapacity_start = day(&b[1..5])?;
        let scheme = Scheme::from_index(b[5]).ok_or(DecodeError("scheme"))?;
        let has_employer = b[6] == 1;
        let facts = b[7..]
            .chunks_exact(6)
            .map(|c| {
                Ok(Fact {
                    date: day(&c[0..4])?,
                    kind: EventType::from_index(c[4]).ok_or(DecodeError("event type"))?,
                    attr: c[5],
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(CaseFacts {
            incapacity_start,
            scheme,
            has_employer,
            facts,
        })
    }
}
