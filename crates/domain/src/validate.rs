//! Which transitions are possible: the state machine of docs/events.md, applied to a
//! case's events in date order (ties in arrival order).

use crate::date::Date;
use crate::event::{ConsentRole, ConsentScope, Event, EventType, PlanStatus, Scheme};
use crate::party::Party;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
enum SocioProfessional {
    #[default]
    None,
    /// Handed over to a service, not yet started.
    Referred,
    Running,
    Suspended,
}

/// What the validator remembers of a case while it walks its events.
#[derive(Debug, Clone, Default)]
pub struct CaseState {
    opened: Option<(Date, Scheme)>,
    ended: Option<Date>,
    quick_scan_sent: bool,
    quick_scan_returned: bool,
    last_category: Option<u8>,
    coaching: bool,
    contacts_since_referral: u32,
    codex_running: bool,
    codex_decided: bool,
    socio_professional: SocioProfessional,
    /// Partners referred to (bit = `Partner::index`), for their results.
    partners_referred: u16,
    /// Consents in force: role, scope and the party named (if any).
    consents: Vec<(ConsentRole, ConsentScope, Option<Party>)>,
}

impl CaseState {
    /// Applies one event, or says why it is not possible in this state.
    pub fn apply(&mut self, date: Date, event: &Event) -> Result<(), String> {
        use EventType as T;
        let kind = event.event_type();
        let Some((opened, scheme)) = self.opened else {
            return match event {
                Event::CaseOpened(o) => {
                    self.opened = Some((date, o.scheme));
                    Ok(())
                }
                _ => Err(format!(
                    "{kind}: the case has no case_opened on or before {date}"
                )),
            };
        };
        if date < opened {
            return Err(format!(
                "{kind} on {date} is dated before the case was opened ({opened})"
            ));
        }
        if let Some(end) = self.ended {
            let allowed = matches!(
                kind,
                T::WorkResumed
                    | T::CoachingStopped
                    | T::SocioProfessionalEnded
                    | T::SocioProfessionalReport
                    | T::ConsentGiven
                    | T::ConsentWithdrawn
                    | T::PartnerResult
                    | T::CaseAssigned
            );
            if !allowed {
                return Err(format!("{kind}: the incapacity ended on {end}"));
            }
        }
        match event {
            Event::CaseOpened(_) => Err(format!("the case was already opened on {opened}")),
            Event::QuickScanSent | Event::QuickScanReturned { .. } | Event::QuickScanReminder => {
                self.quick_scan(event)
            }
            Event::CapacityAssessed { .. }
            | Event::ReferredToCoordinator { .. }
            | Event::CoordinatorContact { .. }
            | Event::PartnerReferral { .. }
            | Event::ActionPlan { .. }
            | Event::PartnerResult { .. }
            | Event::CoachingStopped { .. } => self.coaching(kind, event),
            Event::CodexRequested { .. }
            | Event::PreReturnVisit
            | Event::CodexDecision { .. }
            | Event::ReintegrationPlan { .. } => self.codex(kind, scheme, event),
            Event::SocioProfessionalStarted { .. }
            | Event::SocioProfessionalSuspended
            | Event::SocioProfessionalResumed
            | Event::SocioProfessionalEnded { .. }
            | Event::SocioProfessionalReferred(_)
            | Event::SocioProfessionalReport { .. } => self.socio_professional(event),
            Event::IncapacityEnded => {
                if let Some(end) = self.ended {
                    return Err(format!(
                        "incapacity_ended: the incapacity already ended on {end}"
                    ));
                }
                self.ended = Some(date);
                Ok(())
            }
            Event::ConsentGiven { .. } | Event::ConsentWithdrawn { .. } => self.consent(event),
            Event::CaseAssigned { .. }
            | Event::LetterSent { .. }
            | Event::AuthorisedActivity { .. }
            | Event::WorkRestrictions { .. }
            | Event::WorkResumed { .. } => Ok(()),
        }
    }

    /// The quick scan: sent, reminded, returned once per sending.
    fn quick_scan(&mut self, event: &Event) -> Result<(), String> {
        match event {
            Event::QuickScanSent => {
                self.quick_scan_sent = true;
                // A new questionnaire: it can be returned (once) again.
                self.quick_scan_returned = false;
            }
            Event::QuickScanReturned { .. } => {
                if !self.quick_scan_sent {
                    return Err("quick_scan_returned: no quick scan was sent before".into());
                }
                if self.quick_scan_returned {
                    return Err("quick_scan_returned: this quick scan was already returned".into());
                }
                self.quick_scan_returned = true;
            }
            Event::QuickScanReminder => {
                if !self.quick_scan_sent {
                    return Err("quick_scan_reminder: no quick scan was sent before".into());
                }
                if self.quick_scan_returned {
                    return Err("quick_scan_reminder: the quick scan was already returned".into());
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// The coordinator's coaching: the referral, contacts, partners, the action plan.
    fn coaching(&mut self, kind: EventType, event: &Event) -> Result<(), String> {
        match event {
            Event::CapacityAssessed { category } => self.last_category = Some(*category),
            Event::ReferredToCoordinator { initiative } => {
                if self.coaching {
                    return Err("referred_to_coordinator: coaching is already running".into());
                }
                if *initiative == crate::event::Initiative::AdvisoryDoctor {
                    match self.last_category {
                    None => {
                        return Err("referred_to_coordinator by the advisory doctor needs a capacity_assessed first".into())
                    }
                    Some(2) => {
                        return Err("referred_to_coordinator: the latest category is 2 (no return possible for medical reasons)".into())
                    }
                    Some(_) => {}
                }
                }
                self.coaching = true;
                self.contacts_since_referral = 0;
            }
            Event::CoordinatorContact { first, .. } => {
                self.need_coaching(kind)?;
                match (*first, self.contacts_since_referral) {
                (true, 0) | (false, 1..) => {}
                (true, _) => {
                    return Err("coordinator_contact: `first` is true but the first contact was already held".into())
                }
                (false, 0) => {
                    return Err("coordinator_contact: this is the first contact since the referral; `first` must be true".into())
                }
            }
                self.contacts_since_referral += 1;
            }
            Event::PartnerReferral { to } => {
                self.need_coaching(kind)?;
                self.partners_referred |= 1 << to.index();
            }
            Event::ActionPlan { .. } => self.need_coaching(kind)?,
            // A partner's result may arrive after coaching stopped.
            Event::PartnerResult { to, .. } if self.partners_referred & (1 << to.index()) == 0 => {
                return Err(format!(
                    "partner_result: the member was not referred to {to} before"
                ));
            }
            Event::CoachingStopped { .. } => {
                self.need_coaching(kind)?;
                self.coaching = false;
            }
            _ => {}
        }
        Ok(())
    }

    /// The occupational physician's re-integration trajectory (employees only).
    fn codex(&mut self, kind: EventType, scheme: Scheme, event: &Event) -> Result<(), String> {
        match event {
            Event::CodexRequested { .. } => {
                need_employee(kind, scheme)?;
                // A new request is possible once the previous one was decided: under
                // codex 2.0 decisions B and C do not end the trajectory by themselves.
                if self.codex_running && !self.codex_decided {
                    return Err("codex_requested: an earlier request is still awaiting the occupational physician's decision".into());
                }
                self.codex_running = true;
                self.codex_decided = false;
            }
            Event::PreReturnVisit => need_employee(kind, scheme)?,
            Event::CodexDecision { decision, .. } => {
                if !self.codex_running {
                    return Err("codex_decision: no codex trajectory is running".into());
                }
                self.codex_decided = true;
                if *decision == crate::event::Decision::D {
                    self.codex_running = false;
                }
            }
            Event::ReintegrationPlan(p) => {
                let status = &p.status;
                if !self.codex_decided {
                    return Err("reintegration_plan: no codex decision was taken".into());
                }
                if matches!(
                    status,
                    PlanStatus::CarriedOut
                        | PlanStatus::RefusedByWorker
                        | PlanStatus::RefusedByEmployer
                ) {
                    self.codex_running = false;
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// The socio-professional trajectory: handed over, started (accepted), reported
    /// on, suspended, resumed, ended.
    fn socio_professional(&mut self, event: &Event) -> Result<(), String> {
        use SocioProfessional as S;
        match event {
            Event::SocioProfessionalReferred(_) => {
                if self.socio_professional != S::None {
                    return Err("socio_professional_referred: the member was already handed over, or a socio-professional trajectory is running".into());
                }
                self.socio_professional = S::Referred;
            }
            Event::SocioProfessionalStarted { .. } => {
                if !matches!(self.socio_professional, S::None | S::Referred) {
                    return Err("socio_professional_started: a socio-professional trajectory is already running".into());
                }
                self.socio_professional = SocioProfessional::Running;
            }
            Event::SocioProfessionalReport { .. }
                if !matches!(self.socio_professional, S::Running | S::Suspended) =>
            {
                return Err(
                    "socio_professional_report: no socio-professional trajectory was started"
                        .into(),
                );
            }
            Event::SocioProfessionalSuspended => {
                if self.socio_professional != SocioProfessional::Running {
                    return Err(
                        "socio_professional_suspended: no socio-professional trajectory is running"
                            .into(),
                    );
                }
                self.socio_professional = SocioProfessional::Suspended;
            }
            Event::SocioProfessionalResumed => {
                if self.socio_professional != SocioProfessional::Suspended {
                    return Err("socio_professional_resumed: the socio-professional trajectory is not suspended".into());
                }
                self.socio_professional = SocioProfessional::Running;
            }
            Event::SocioProfessionalEnded { .. } => {
                if self.socio_professional == SocioProfessional::None {
                    return Err(
                        "socio_professional_ended: no socio-professional trajectory was started"
                            .into(),
                    );
                }
                self.socio_professional = SocioProfessional::None;
            }
            _ => {}
        }
        Ok(())
    }

    /// Consents given and withdrawn.
    fn consent(&mut self, event: &Event) -> Result<(), String> {
        match event {
            Event::ConsentGiven {
                to, scope, party, ..
            } if !self.consents.contains(&(*to, *scope, *party)) => {
                self.consents.push((*to, *scope, *party));
            }
            Event::ConsentWithdrawn { to, scope, party } => {
                let given = (*to, *scope, *party);
                let Some(i) = self.consents.iter().position(|c| *c == given) else {
                    let whom = party.map_or_else(|| to.to_string(), |p| format!("{to} ({p})"));
                    return Err(format!(
                        "consent_withdrawn: no consent to {whom} for {scope} is in force"
                    ));
                };
                self.consents.swap_remove(i);
            }
            _ => {}
        }
        Ok(())
    }

    fn need_coaching(&self, kind: EventType) -> Result<(), String> {
        if self.coaching {
            Ok(())
        } else {
            Err(format!("{kind}: no coaching is running (no referral to the coordinator, or coaching stopped)"))
        }
    }
}

fn need_employee(kind: EventType, scheme: Scheme) -> Result<(), String> {
    if scheme == Scheme::Employee {
        Ok(())
    } else {
        Err(format!(
            "{kind}: a codex trajectory needs an employer, but the scheme is {scheme}"
        ))
    }
}

/// Validates a whole case history already in application order. On failure returns
/// the position of the first impossible event and why.
pub fn validate_sequence<'a>(
    events: impl IntoIterator<Item = (Date, &'a Event)>,
) -> Result<(), (usize, String)> {
    let mut state = CaseState::default();
    for (i, (date, e)) in events.into_iter().enumerate() {
        state.apply(date, e).map_err(|r| (i, r))?;
    }
    Ok(())
}

impl CaseState {
    /// Whether an event of `kind` could be recorded on `date` in this state with some
    /// choice of its fields: what a page offers to record.
    pub fn could_record(&self, date: Date, kind: EventType) -> bool {
        samples(kind)
            .iter()
            .any(|e| self.clone().apply(date, e).is_ok())
    }
}

/// Representative events of a type: one per choice that changes what is possible.
fn samples(kind: EventType) -> Vec<Event> {
    use crate::event::*;
    use EventType as T;
    match kind {
        T::CaseOpened => Vec::new(),
        T::QuickScanSent => vec![Event::QuickScanSent],
        T::QuickScanReturned => vec![Event::QuickScanReturned {
            answers: Default::default(),
        }],
        T::QuickScanReminder => vec![Event::QuickScanReminder],
        T::CapacityAssessed => vec![Event::CapacityAssessed { category: 1 }],
        T::ReferredToCoordinator => Initiative::ALL
            .iter()
            .map(|i| Event::ReferredToCoordinator { initiative: *i })
            .collect(),
        T::CoordinatorContact => [true, false]
            .iter()
            .map(|f| Event::CoordinatorContact {
                mode: ContactMode::Phone,
                first: *f,
                purpose: None,
                notes: None,
            })
            .collect(),
        T::PartnerReferral => vec![Event::PartnerReferral { to: Partner::Other }],
        T::PartnerResult => Partner::ALL
            .iter()
            .map(|p| Event::PartnerResult {
                to: *p,
                result: PartnerOutcome::Other,
                note: None,
            })
            .collect(),
        T::CodexRequested => vec![Event::CodexRequested {
            by: Requester::Worker,
        }],
        T::PreReturnVisit => vec![Event::PreReturnVisit],
        T::CodexDecision => vec![Event::CodexDecision {
            decision: Decision::A,
            reasons: None,
        }],
        T::ReintegrationPlan => vec![Event::plan_status(PlanStatus::Drafted)],
        T::SocioProfessionalStarted => vec![Event::SocioProfessionalStarted {
            service: Service::Vdab,
            activity: Activity::Other,
        }],
        T::SocioProfessionalSuspended => vec![Event::SocioProfessionalSuspended],
        T::SocioProfessionalResumed => vec![Event::SocioProfessionalResumed],
        T::SocioProfessionalEnded => vec![Event::SocioProfessionalEnded { result: None }],
        T::SocioProfessionalReferred => vec![Event::SocioProfessionalReferred(Box::new(
            crate::event::HandOff {
                service: Service::Vdab,
                goals: Vec::new(),
                restrictions: Vec::new(),
                contact: None,
            },
        ))],
        T::SocioProfessionalReport => vec![Event::SocioProfessionalReport {
            activity: None,
            note: Some("x".into()),
        }],
        T::WorkRestrictions => vec![Event::WorkRestrictions {
            restrictions: vec!["x".into()],
            hours_per_day: None,
            until: None,
        }],
        T::AuthorisedActivity => vec![Event::AuthorisedActivity { percent: 50 }],
        T::WorkResumed => vec![Event::WorkResumed {
            extent: Extent::FullTime,
            percent: None,
            same_employer: true,
            same_job: true,
            adaptations: false,
        }],
        T::CoachingStopped => vec![Event::CoachingStopped {
            reason: StopReason::Other,
        }],
        T::ActionPlan => vec![Event::ActionPlan {
            goals: Vec::new(),
            follow_up: None,
            steps: Vec::new(),
        }],
        T::IncapacityEnded => vec![Event::IncapacityEnded],
        T::ConsentGiven => vec![Event::ConsentGiven {
            to: ConsentRole::Employer,
            scope: ConsentScope::Dossier,
            party: None,
            until: None,
        }],
        T::ConsentWithdrawn => ConsentRole::ALL
            .iter()
            .flat_map(|to| {
                ConsentScope::ALL
                    .iter()
                    .map(|scope| Event::ConsentWithdrawn {
                        to: *to,
                        scope: *scope,
                        party: None,
                    })
            })
            .collect(),
        T::CaseAssigned => vec![Event::CaseAssigned { to: "x".into() }],
        T::LetterSent => vec![Event::LetterSent {
            letter: LetterKind::QuickScanInvitation,
            task: None,
        }],
    }
}
