//! One dossier's story: first a skeleton (how long the incapacity lasts, the category,
//! whether and when the member is referred and coached, when and how they return),
//! then its events.
//!
//! Validity comes from construction, not from filtering afterwards:
//! - every prerequisite of an event is dated on or before it and, on the same day,
//!   ranks before it ([`Kind::rank`]);
//! - events that are not allowed after `incapacity_ended` go through
//!   [`Sim::regular`], which drops them when they fall after the end; an event whose
//!   prerequisite was dropped is never pushed (the `if self.regular(..)` chains);
//! - the snapshot cut made by the caller keeps whole days of a date-sorted list, and
//!   every rule of docs/events.md only looks at earlier events, so a cut stream stays
//!   valid.
//!
//! The steps, in the order they draw: the [`skeleton`] (opening, course, assessments,
//! referral, coaching's effect, return, relapse), then the events: the
//! [`quick_scan`], the assessments, the [`codex`] trajectory, [`coaching`] (with the
//! [`socio_professional`] trajectory it may start), the [`return_to_work`], the end
//! and the withdrawal of consents. The generator is seeded: moving a draw changes
//! every dossier after it.

mod coaching;
mod codex;
mod quick_scan;
mod return_to_work;
mod skeleton;
mod socio_professional;

use crate::out::{Consent, Ev, Kind};
use crate::Person;
use chrono::{Datelike, Months, NaiveDate};
use rand::rngs::SmallRng;
use rand::Rng;

/// How the incapacity runs without coaching.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Course {
    /// Ends before the quick scan is due.
    Short,
    /// Ends between week 10 and the assessment.
    Mid,
    /// Lasts into month 4 and gets a category (1–4).
    Long(u8),
}

/// What the generator needs to know of a dossier afterwards: its relapse.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Outcome {
    /// Back with the same employer (else a relapse comes with another job).
    pub same_employer: bool,
    /// The start of a relapse: a new dossier of the same person.
    pub relapse: Option<i32>,
}

/// A codex re-integration trajectory, as far as the rest of the story cares.
#[derive(Debug, Clone, Copy)]
struct Codex {
    requested: i32,
    /// The day the trajectory ended (decision D, a refused or carried-out plan).
    closed: Option<i32>,
    /// Ended definitively without a plan being carried out (R11 makes the member
    /// eligible for a socio-professional trajectory).
    without_plan: bool,
    carried_out: bool,
}

/// A coaching episode's end: day (`i32::MAX` when it runs on) and reason.
type Stop = (i32, &'static str);
/// The dossier decided before any event is written, so that every event can be
/// dated against it.
#[derive(Debug, Clone, Copy)]
struct Skeleton {
    open: i32,
    course: Course,
    /// Capacity assessments (day, category); the first `n_assess` are used.
    assessments: [(i32, u8); 20],
    n_assess: usize,
    /// The referral that leads to coaching: day and initiative.
    referral: Option<(i32, &'static str)>,
    /// The first contact with the coordinator.
    first: Option<i32>,
    /// The first contact comes before the incapacity would have ended.
    coached: bool,
    /// The recorded return (`work_resumed`).
    returned: Option<i32>,
    /// The return is part-time first (R13).
    part_time: bool,
    /// The `incapacity_ended` day.
    ended: Option<i32>,
    /// The full-time resumption after a part-time return.
    full_day: Option<i32>,
    /// The start of a relapse: a new dossier of the same person.
    relapse: Option<i32>,
}

impl Skeleton {
    fn assessments(&self) -> &[(i32, u8)] {
        &self.assessments[..self.n_assess]
    }
}

/// Adds calendar months, clamping to the month's last day (docs/domain.md 3).
pub(crate) fn add_months(day: i32, n: u32) -> i32 {
    NaiveDate::from_num_days_from_ce_opt(day)
        .and_then(|d| d.checked_add_months(Months::new(n)))
        .map_or(day.saturating_add(31 * n as i32), |d| d.num_days_from_ce())
}

pub(crate) struct Sim<'a> {
    pub rng: &'a mut SmallRng,
    pub ev: &'a mut Vec<Ev>,
    /// The `incapacity_ended` day, `i32::MAX` while the incapacity runs on.
    end: i32,
    /// Consents given in this dossier (role, scope, day), for withdrawals and to
    /// avoid giving the same one twice.
    consents: [(Consent, i32); 8],
    n_consents: usize,
}

impl<'a> Sim<'a> {
    pub(crate) fn new(rng: &'a mut SmallRng, ev: &'a mut Vec<Ev>) -> Sim<'a> {
        ev.clear();
        Sim {
            rng,
            ev,
            end: i32::MAX,
            consents: [(("", ""), 0); 8],
            n_consents: 0,
        }
    }

    /// An event that is not allowed after `incapacity_ended`: dropped (false) when it
    /// falls after the end.
    fn regular(&mut self, day: i32, kind: Kind) -> bool {
        if day > self.end {
            return false;
        }
        self.ev.push(Ev { day, kind });
        true
    }

    /// An event allowed at any time after its prerequisites.
    fn any(&mut self, day: i32, kind: Kind) {
        self.ev.push(Ev { day, kind });
    }

    fn chance(&mut self, p: f64) -> bool {
        self.rng.gen_bool(p.clamp(0.0, 1.0))
    }

    /// Uniform in `lo..=hi` (`lo` when the range is empty).
    fn between(&mut self, lo: i32, hi: i32) -> i32 {
        if hi <= lo {
            lo
        } else {
            self.rng.gen_range(lo..=hi)
        }
    }

    fn pick<T: Copy>(&mut self, items: &[(T, u32)]) -> T {
        pick(self.rng, items)
    }

    fn give_consent(&mut self, day: i32, c: Consent) {
        let known = self.consents[..self.n_consents]
            .iter()
            .any(|(x, _)| *x == c);
        if known || self.n_consents == self.consents.len() {
            return;
        }
        self.consents[self.n_consents] = (c, day);
        self.n_consents += 1;
        self.any(day, Kind::ConsentGiven(c));
    }

    /// Simulates the dossier of `p` whose incapacity starts on day `s`; `codex2` is
    /// 1 October 2022 (codex trajectory 2.0).
    pub(crate) fn run(&mut self, p: &Person, s: i32, codex2: i32) -> Outcome {
        let k = self.skeleton(s);
        self.end = k.ended.unwrap_or(i32::MAX);

        self.any(k.open, Kind::Opened);
        self.quick_scan(s, k.course);
        for &(d, c) in k.assessments() {
            self.regular(d, Kind::Assessed(c));
        }
        let codex = if p.scheme == "employee"
            && self.end - s > 120
            && self.chance(if k.coached { 0.2 } else { 0.07 })
        {
            self.codex(s, k.open, codex2, k.returned)
        } else {
            None
        };
        self.coaching(p, &k, codex);
        let same_employer = match k.returned {
            Some(rt) => self.work_resumed(p, &k, rt, codex),
            None => false,
        };
        if let Some(e) = k.ended {
            self.any(e, Kind::Ended);
        }
        self.withdraw_consents();
        Outcome {
            same_employer,
            relapse: k.relapse,
        }
    }

    /// Some consents are withdrawn later (allowed even after the end).
    fn withdraw_consents(&mut self) {
        for i in 0..self.n_consents {
            if self.chance(0.08) {
                let (c, day) = self.consents[i];
                let w = day + self.between(14, 240);
                self.any(w, Kind::ConsentWithdrawn(c));
            }
        }
    }
}

/// Weighted choice.
pub(crate) fn pick<T: Copy>(rng: &mut SmallRng, items: &[(T, u32)]) -> T {
    let total: u32 = items.iter().map(|(_, w)| w).sum();
    let mut r = rng.gen_range(0..total.max(1));
    for &(item, w) in items {
        if r < w {
            return item;
        }
        r -= w;
    }
    items[items.len() - 1].0
}
