//! What a reader of a dossier is shown: the parts of [`DossierView`] present only
//! where the access grant allows them, built from the dossier's events as of a day.

use crate::access::{part_of, CaseContext, Consent, Grant, Part};
use crate::dossier::Result;
use crate::timeline::{describe, milestones, Milestone};
use crate::AppError;
use serde::Serialize;
use tnw_domain::event::{Event, EventType, PlanStep};
use tnw_domain::{CaseKey, Date, RuleBook};

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
    /// The event itself, for a page that describes it in its own words (labels for
    /// codes); not part of the API's answer.
    #[serde(skip)]
    pub event: Event,
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

/// The coaching record (docs/domain.md 4): the fund's team and the member.
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
    pub consents: Option<Vec<Consent>>,
    /// Who a consent may be given to: the parties involved in the dossier (with the
    /// consents part).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parties: Option<Vec<super::PartyChoice>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub medical: Option<Medical>,
    /// What the advisory doctor passed on, while in force.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub restrictions: Option<super::RestrictionsView>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reintegration: Option<super::ReintegrationView>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub socio_professional: Option<super::SocioProfessionalView>,
    /// Whether a socio-professional trajectory is open to the member, and whether a
    /// running one is to be suspended for a codex trajectory: for the fund's team and
    /// the member (it says where the codex trajectory stands).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub socio_eligibility: Option<tnw_domain::eligibility::Eligibility>,
    /// The event types the caller may record on this dossier today: their role allows
    /// them and the dossier's state makes them possible.
    pub recordable: Vec<EventType>,
}

/// The parts read, as the audit log names them.
pub(crate) fn parts(g: &Grant) -> String {
    g.parts
        .iter()
        .map(Part::as_str)
        .collect::<Vec<_>>()
        .join(",")
}

pub(crate) fn build_view(
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
    let sees = |p: Part| g.sees(p);
    let category = seen.iter().rev().find_map(|(_, _, e)| match e {
        Event::CapacityAssessed { category } => Some(*category),
        _ => None,
    });
    let ended = seen
        .iter()
        .find_map(|(d, _, e)| matches!(e, Event::IncapacityEnded).then_some(*d));
    let ctx = CaseContext::from_events(events.iter().map(|(d, _, e)| (*d, e)), today);
    let visible = |e: &Event| sees(part_of(e));
    Ok(DossierView {
        case: key.display().into_owned(),
        grant: g,
        identity: sees(Part::Identity).then(|| Identity {
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
        category: if sees(Part::Category) { category } else { None },
        events: Some(
            seen.iter()
                .filter(|(_, _, e)| visible(e))
                .map(|(d, _, e)| EventView {
                    date: *d,
                    kind: e.event_type(),
                    summary: describe(e, lang),
                    event: e.clone(),
                })
                .collect(),
        ),
        // Only the milestones of the parts granted, and none closed by an event the
        // reader may not see: a deadline must not betray a step it hides.
        timeline: Some(
            milestones(key, events, book, today, None, lang)?
                .1
                .into_iter()
                .filter(|m| sees(m.part))
                .map(|mut m| {
                    if m.closed_by
                        .is_some_and(|t| !sees(crate::access::event_part(t)))
                    {
                        m.closed_by = None;
                    }
                    m
                })
                .collect(),
        ),
        coaching: sees(Part::Coaching).then(|| coaching(&seen)),
        consents: sees(Part::Consents).then(|| ctx.consents.clone()),
        parties: sees(Part::Consents)
            .then(|| super::involved_parties(seen.iter().map(|(d, _, e)| (*d, e)))),
        recordable: Vec::new(),
        restrictions: if sees(Part::Restrictions) {
            super::shared::restrictions(&seen, today)
        } else {
            None
        },
        reintegration: sees(Part::Reintegration)
            .then(|| super::shared::reintegration(&seen, sees(Part::Fund) || g.physician)),
        socio_professional: sees(Part::SocioProfessional)
            .then(|| super::shared::socio_professional(&seen)),
        socio_eligibility: if sees(Part::Fund) {
            tnw_domain::eligibility::socio_professional(
                events.iter().map(|(d, _, e)| (*d, e)),
                today,
            )
        } else {
            None
        },
        medical: sees(Part::Medical).then(|| Medical {
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
            // The assessments name the category: not for a physician outside the fund.
            assessments: seen
                .iter()
                .filter(|_| sees(Part::Category))
                .filter_map(|(d, _, e)| match e {
                    Event::CapacityAssessed { category } => Some((*d, *category)),
                    _ => None,
                })
                .collect(),
        }),
    })
}
