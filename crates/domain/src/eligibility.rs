//! When a member may start a socio-professional trajectory with the regional employment
//! service, and when a running one must be suspended (docs/domain.md, R11 and R12): a
//! pure reading of the dossier's events.
//!
//! The trajectory is open to an employee who does not (or no longer) follow the
//! occupational physician's codex trajectory: who has not asked for one, who decided
//! after a pre-return visit not to, or whose codex trajectory ended for good (decision
//! C or D, or a plan refused by the worker or the employer) without a plan carried out.
//! Members without an employer are not in the codex trajectory at all. While a codex
//! trajectory runs, a socio-professional one is suspended.

use crate::date::Date;
use crate::event::{Decision, Event, PlanStatus, Scheme};
use serde::Serialize;

/// Why the socio-professional trajectory is open to the member, or not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Ground {
    /// No employer: the codex trajectory does not apply.
    NoEmployer,
    /// The worker has not asked for a pre-return visit or a codex trajectory.
    NoCodexRequested,
    /// After a pre-return visit the worker asked for no codex trajectory.
    NoRequestAfterVisit,
    /// The codex trajectory ended for good (decision C or D) without a plan carried out.
    CodexEndedWithoutPlan,
    /// The plan was refused by the worker or the employer.
    PlanRefused,
    /// Not open: a codex trajectory is running.
    CodexRunning,
    /// Not open: a plan was carried out (the worker went back to adapted or other work).
    PlanCarriedOut,
}

/// The member's eligibility on a day, and whether a running trajectory should be
/// suspended because a codex trajectory was requested.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Eligibility {
    pub eligible: bool,
    pub ground: Ground,
    /// A socio-professional trajectory runs while a codex trajectory was requested:
    /// the coordinator suspends it.
    pub suspend: bool,
}

/// Reads a dossier's events in application order up to `today`.
pub fn socio_professional<'a>(
    events: impl IntoIterator<Item = (Date, &'a Event)>,
    today: Date,
) -> Option<Eligibility> {
    let mut scheme = None;
    let mut requested = false;
    let mut running = false;
    let mut visit = false;
    let mut ended_for_good = false;
    let mut refused = false;
    let mut carried_out = false;
    let mut socio_running = false;
    for (d, e) in events {
        if d > today {
            break;
        }
        match e {
            Event::CaseOpened(o) => scheme = Some(o.scheme),
            Event::PreReturnVisit => visit = true,
            Event::CodexRequested { .. } => {
                requested = true;
                running = true;
                ended_for_good = false;
                refused = false;
                carried_out = false;
            }
            Event::CodexDecision { decision, .. } => {
                if matches!(decision, Decision::C | Decision::D) {
                    ended_for_good = true;
                    running = false;
                }
            }
            Event::ReintegrationPlan(p) => match p.status {
                PlanStatus::RefusedByWorker | PlanStatus::RefusedByEmployer => {
                    refused = true;
                    running = false;
                }
                PlanStatus::CarriedOut => {
                    carried_out = true;
                    running = false;
                }
                PlanStatus::Drafted | PlanStatus::Accepted => {}
            },
            Event::SocioProfessionalStarted { .. } | Event::SocioProfessionalResumed => {
                socio_running = true
            }
            Event::SocioProfessionalSuspended | Event::SocioProfessionalEnded { .. } => {
                socio_running = false
            }
            _ => {}
        }
    }
    let scheme = scheme?;
    let (eligible, ground) = if scheme != Scheme::Employee {
        (true, Ground::NoEmployer)
    } else if running {
        (false, Ground::CodexRunning)
    } else if carried_out {
        (false, Ground::PlanCarriedOut)
    } else if refused {
        (true, Ground::PlanRefused)
    } else if ended_for_good {
        (true, Ground::CodexEndedWithoutPlan)
    } else if requested {
        // A request decided A or B with a plan still to come: the codex trajectory
        // goes on.
        (false, Ground::CodexRunning)
    } else if visit {
        (true, Ground::NoRequestAfterVisit)
    } else {
        (true, Ground::NoCodexRequested)
    };
    Some(Eligibility {
        eligible,
        ground,
        suspend: socio_running && ground == Ground::CodexRunning,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::parse_line;

    fn read(lines: &[&str], today: &str) -> Eligibility {
        let parsed: Vec<_> = lines.iter().map(|l| parse_line(l).unwrap()).collect();
        socio_professional(
            parsed.iter().map(|p| (p.date, &p.event)),
            crate::date::parse_date(today).unwrap(),
        )
        .unwrap()
    }

    const OPENED: &str = r#"{"case":"C","type":"case_opened","date":"2026-01-05","person":{"id":"P","name":"A","birth_date":"1980-01-01","sex":"f","language":"nl","region":"flanders"},"scheme":"employee","employer":{"id":"0202239951","name":"Acme"},"condition":"mental","incapacity_start":"2026-01-05"}"#;

    #[test]
    fn the_grounds_of_the_socio_professional_trajectory() {
        let req = r#"{"case":"C","type":"codex_requested","date":"2026-03-01","by":"worker"}"#;
        let started = r#"{"case":"C","type":"socio_professional_started","date":"2026-02-01","service":"vdab","activity":"training"}"#;
        let visit = r#"{"case":"C","type":"pre_return_visit","date":"2026-02-15"}"#;
        let dec = |d: &str| {
            format!(
                r#"{{"case":"C","type":"codex_decision","date":"2026-04-01","decision":"{d}"}}"#
            )
        };
        let plan = |s: &str| {
            format!(
                r#"{{"case":"C","type":"reintegration_plan","date":"2026-05-01","status":"{s}"}}"#
            )
        };
        let (c, a) = (dec("C"), dec("A"));
        let (refused, done) = (plan("refused_by_worker"), plan("carried_out"));
        let rows: Vec<(Vec<&str>, bool, Ground, bool)> = vec![
            (vec![OPENED], true, Ground::NoCodexRequested, false),
            (
                vec![OPENED, visit],
                true,
                Ground::NoRequestAfterVisit,
                false,
            ),
            (
                vec![OPENED, started, req],
                false,
                Ground::CodexRunning,
                true,
            ),
            (
                vec![OPENED, req, &c],
                true,
                Ground::CodexEndedWithoutPlan,
                false,
            ),
            (vec![OPENED, req, &a], false, Ground::CodexRunning, false),
            (
                vec![OPENED, req, &a, &refused],
                true,
                Ground::PlanRefused,
                false,
            ),
            (
                vec![OPENED, req, &a, &done],
                false,
                Ground::PlanCarriedOut,
                false,
            ),
        ];
        for (lines, eligible, ground, suspend) in rows {
            let got = read(&lines, "2026-06-01");
            assert_eq!(
                (got.eligible, got.ground, got.suspend),
                (eligible, ground, suspend),
                "{lines:?}"
            );
        }
        // Members without an employer are never in the codex trajectory.
        let unemployed = OPENED.replace(
            r#""scheme":"employee","employer":{"id":"0202239951","name":"Acme"}"#,
            r#""scheme":"unemployed""#,
        );
        assert_eq!(
            read(&[&unemployed], "2026-06-01").ground,
            Ground::NoEmployer
        );
        // Events after the day do not count.
        assert_eq!(
            read(&[OPENED, req], "2026-02-01").ground,
            Ground::NoCodexRequested
        );
    }
}
