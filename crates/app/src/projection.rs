//! The open-task projection stored with each case: what the worklists read.

use tnw_domain::date::MAX_DATE;
use tnw_domain::engine::Status;
use tnw_domain::event::Event;
use tnw_domain::rules::RuleKind;
use tnw_domain::{evaluate, CaseFacts, Date, RuleBook};
use tnw_storage::OpenTask;

/// Who, outside the fund, owns a dossier's tasks: the dossier's employer (and the
/// occupational physician serving it), the employment service of its latest
/// socio-professional trajectory. Their tasks are stored under the actor qualified by
/// the owner (`employer@0202239951`, [`crate::access::owned_actor`]), so that each
/// party's worklist is an index range, however large the fund.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Owners {
    pub employer: Option<String>,
    pub service: Option<String>,
    /// The member's own physician: the latest one a consent names.
    pub physician: Option<String>,
}

impl Owners {
    pub fn of<'a>(events: impl IntoIterator<Item = (Date, &'a Event)>) -> Owners {
        let mut o = Owners::default();
        for (_, e) in events {
            match e {
                Event::CaseOpened(c) => o.employer = c.employer.as_ref().map(|x| x.id.clone()),
                Event::SocioProfessionalStarted { service, .. } => {
                    o.service = Some(service.as_str().to_owned())
                }
                Event::SocioProfessionalReferred(h) => {
                    o.service = Some(h.service.as_str().to_owned())
                }
                Event::ConsentGiven {
                    party: Some(tnw_domain::party::Party::Physician(n)),
                    ..
                } => o.physician = Some(n.to_string()),
                _ => {}
            }
        }
        o
    }

    fn owner_of(&self, actor: &str) -> Option<&str> {
        match actor {
            "employer" | "occupational_physician" => self.employer.as_deref(),
            "employment_service" => self.service.as_deref(),
            "treating_physician" => self.physician.as_deref(),
            _ => None,
        }
    }
}

/// Every task instance of the case not yet done or closed, whatever its window: the
/// worklist query filters on the window with its own date. Actors outside the fund
/// also get their milestones (the employer's week-8 request, the window for a codex
/// request …), which are their deadlines, under their qualified actor, as long as they
/// can still come: one whose day is before the dossier's latest event (`latest`) is
/// past on any day the dossier is read, and is not stored.
pub fn open_tasks(
    facts: &CaseFacts,
    book: &RuleBook,
    owners: &Owners,
    latest: Date,
) -> Vec<OpenTask> {
    let mut items = Vec::new();
    evaluate(facts, book, MAX_DATE, None, &mut items);
    items
        .iter()
        .filter_map(|i| {
            let outside = crate::access::is_outside_actor(&i.rule.actor);
            let keep = match i.rule.kind {
                RuleKind::Task => {
                    matches!(i.status, Status::Open | Status::Overdue | Status::Upcoming)
                }
                RuleKind::Milestone => {
                    outside
                        && i.due >= latest
                        && matches!(i.status, Status::Reached | Status::Upcoming)
                }
            };
            if !keep {
                return None;
            }
            let actor = if outside {
                // A deadline of nobody we can name (no employer on the dossier) is
                // nobody's worklist.
                crate::access::owned_actor(&i.rule.actor, owners.owner_of(&i.rule.actor)?)
            } else {
                i.rule.actor.clone()
            };
            Some(OpenTask {
                code: i.rule.code.clone(),
                actor,
                rule: i.rule.id.clone(),
                // A milestone is on its actor's list from the day it is known (its
                // anchor) until its day.
                window_start: match i.rule.kind {
                    RuleKind::Milestone => i.anchor_date,
                    RuleKind::Task => i.window_start,
                },
                due: i.due,
            })
        })
        .collect()
}
