//! The parts of a dossier shared with the actors outside the fund, as the reader sees
//! them: what the advisory doctor passed on (restrictions), the re-integration
//! trajectory (decisions, plans and answers) and the socio-professional trajectory
//! (hand-offs, reports, result). Each is built only when the grant holds its part.

use serde::Serialize;
use tnw_domain::event::{Activity, Decision, Event, PlanStatus, PlanWork, Service, SocioResult};
use tnw_domain::Date;

/// The latest restrictions the advisory doctor passed on, while in force.
#[derive(Debug, Clone, Serialize)]
pub struct RestrictionsView {
    pub date: Date,
    pub restrictions: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hours_per_day: Option<u8>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub until: Option<Date>,
}

#[derive(Debug, Clone, Serialize)]
pub struct DecisionView {
    pub date: Date,
    pub decision: Decision,
    /// The occupational physician's reasons: for the fund's team, the member and the
    /// physicians, not for the employer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reasons: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PlanView {
    pub date: Date,
    pub status: PlanStatus,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub work: Option<PlanWork>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tasks: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hours_per_week: Option<u8>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub percent: Option<u8>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start: Option<Date>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub weeks: Option<u16>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub permanent: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub adjustments: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// The re-integration trajectory with the employer.
#[derive(Debug, Clone, Serialize)]
pub struct ReintegrationView {
    pub decisions: Vec<DecisionView>,
    /// Every plan event: drafts with their content, answers with their reason.
    pub plans: Vec<PlanView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct HandOffView {
    pub date: Date,
    pub service: Service,
    pub goals: Vec<String>,
    pub restrictions: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contact: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ReportView {
    pub date: Date,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub activity: Option<Activity>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// The socio-professional trajectory with the regional employment service.
#[derive(Debug, Clone, Serialize)]
pub struct SocioProfessionalView {
    pub hand_offs: Vec<HandOffView>,
    pub reports: Vec<ReportView>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub result: Option<(Date, SocioResult)>,
}

pub(crate) fn restrictions(seen: &[&(Date, u32, Event)], today: Date) -> Option<RestrictionsView> {
    seen.iter().rev().find_map(|(d, _, e)| match e {
        Event::WorkRestrictions {
            restrictions,
            hours_per_day,
            until,
        } if until.is_none_or(|u| today < u) => Some(RestrictionsView {
            date: *d,
            restrictions: restrictions.clone(),
            hours_per_day: *hours_per_day,
            until: *until,
        }),
        _ => None,
    })
}

pub(crate) fn reintegration(seen: &[&(Date, u32, Event)], with_reasons: bool) -> ReintegrationView {
    let mut v = ReintegrationView {
        decisions: Vec::new(),
        plans: Vec::new(),
    };
    for (d, _, e) in seen {
        match e {
            Event::CodexDecision { decision, reasons } => v.decisions.push(DecisionView {
                date: *d,
                decision: *decision,
                reasons: reasons.clone().filter(|_| with_reasons),
            }),
            Event::ReintegrationPlan(p) => v.plans.push(PlanView {
                date: *d,
                status: p.status,
                work: p.work,
                tasks: p.tasks.clone(),
                hours_per_week: p.hours_per_week,
                percent: p.percent,
                start: p.start,
                weeks: p.weeks,
                permanent: p.permanent,
                adjustments: p.adjustments.clone(),
                reason: p.reason.clone(),
            }),
            _ => {}
        }
    }
    v
}

pub(crate) fn socio_professional(seen: &[&(Date, u32, Event)]) -> SocioProfessionalView {
    let mut v = SocioProfessionalView {
        hand_offs: Vec::new(),
        reports: Vec::new(),
        result: None,
    };
    for (d, _, e) in seen {
        match e {
            Event::SocioProfessionalReferred(h) => v.hand_offs.push(HandOffView {
                date: *d,
                service: h.service,
                goals: h.goals.clone(),
                restrictions: h.restrictions.clone(),
                contact: h.contact.clone(),
            }),
            Event::SocioProfessionalReport { activity, note } => v.reports.push(ReportView {
                date: *d,
                activity: *activity,
                note: note.clone(),
            }),
            Event::SocioProfessionalEnded { result: Some(r) } => v.result = Some((*d, *r)),
            _ => {}
        }
    }
    v
}
