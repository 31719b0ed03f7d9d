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

use crate::out::{Consent, Ev, Kind};
use crate::Person;
use chrono::{Datelike, Months, NaiveDate};
use rand::rngs::SmallRng;
use rand::Rng;

// Calibration. The shares are of all new dossiers; see the crate documentation for
// what they produce.

/// Incapacities that end before the quick scan (week 10), per mille.
const SHORT_PERMILLE: u32 = 220;
/// Incapacities that end between week 10 and the assessment in month 4, per mille.
const MID_PERMILLE: u32 = 90;
/// Doctor's referral: category 4 at the first assessment (R4 "as soon as possible").
const P_REFER_CAT4: f64 = 0.7;
/// Doctor's referral: category 1 still incapacitated at the end of month 6.
const P_REFER_CAT1: f64 = 0.5;
/// Doctor's referral: a category 3 re-assessment that finds return possible.
const P_REFER_CAT3: f64 = 0.6;
/// The member asks for coaching (R5), for assessed dossiers (×0.3 in category 2).
const P_SELF_REFER: f64 = 0.4;
/// The member asks for coaching between week 10 and month 4.
const P_SELF_REFER_MID: f64 = 0.08;
/// Coaching takes up to this share off what remains of the incapacity after the
/// first contact (uniform, so half of it on average).
const COACHING_GAIN_SHARE: f64 = 0.58;
/// Coached members whose incapacity would not have ended in the horizon and who do
/// return after all.
const P_COACHED_UNBLOCKED: f64 = 0.05;
/// Short incapacities whose return is recorded (`work_resumed`); the others only
/// close with `incapacity_ended`, the fund learning no detail of the return.
const P_RECORD_SHORT_RETURN: f64 = 0.05;
/// Part-time returners who later resume full-time, not coached; coached ×1.14.
const P_FULL_AFTER_PART: f64 = 0.50;
const FULL_AFTER_PART_COACHED_FACTOR: f64 = 1.14;
/// Returners who relapse (a new dossier within a year), not coached; coached 24%
/// fewer (22% fewer observed: coached members return later in calendar time, so
/// more of their relapses fall after the window of starts).
const P_RELAPSE: f64 = 0.15;
const RELAPSE_REDUCTION_COACHED: f64 = 0.24;

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

/// Adds calendar months, clamping to the month's last day (DOMAIN.md 3).
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
        // ---- skeleton ----
        let open = s + match self.rng.gen_range(0..100) {
            0..=54 => self.between(0, 3),
            55..=84 => self.between(4, 10),
            _ => self.between(11, 20),
        };
        let m3 = add_months(s, 3);
        let m6 = add_months(s, 6);
        // R2: in month 4 (start + 3 months … + 28 days is always inside it), ~10% late.
        let assess_day = if self.chance(0.9) {
            m3 + self.between(0, 27)
        } else {
            m3 + self.between(30, 60)
        };
        let roll = self.rng.gen_range(0..1000);
        let (course, natural_end) = if roll < SHORT_PERMILLE {
            let lo = (open - s + 3).max(21);
            (Course::Short, Some(s + self.between(lo, 62)))
        } else if roll < SHORT_PERMILLE + MID_PERMILLE {
            (Course::Mid, Some(self.between(s + 63, assess_day - 1)))
        } else {
            let cat = self.pick(&[(1u8, 30), (2, 15), (3, 25), (4, 30)]);
            let r = self.rng.gen_range(0..100);
            let end = match cat {
                // Spontaneous return expected by the end of month 6; not all make it.
                1 if r < 70 => Some(self.between(assess_day + 7, m6 - 1)),
                1 => Some(m6 + self.between(0, 240)),
                // No return possible for medical reasons: long, often invalidity.
                2 if r < 30 => Some(assess_day + self.between(30, 240)),
                2 if r < 75 => Some(s + 365 + self.between(0, 730)),
                3 if r < 35 => Some(assess_day + self.between(40, 270)),
                3 if r < 80 => Some(s + 365 + self.between(0, 700)),
                4 if r < 75 => Some(assess_day + self.between(15, 300)),
                4 if r < 95 => Some(s + 365 + self.between(0, 450)),
                _ => None,
            };
            (Course::Long(cat), end)
        };
        let natural = natural_end.unwrap_or(i32::MAX);

        // Assessments: the first in month 4 (3% never happen: overdue tasks exist);
        // category 3 re-assessed every 2 months (R7) until it changes; a review at
        // the start of invalidity (R8, one year) for the others still incapacitated.
        let mut assessments = [(0i32, 0u8); 20];
        let mut n_assess = 0;
        if let Course::Long(cat) = course {
            if !self.chance(0.03) {
                assessments[0] = (assess_day, cat);
                n_assess = 1;
                let invalidity = add_months(s, 12) + self.between(0, 30);
                let mut reviewed = false;
                let (mut day, mut c) = (assess_day, cat);
                while n_assess < assessments.len() {
                    let (next, next_c) = if c == 3 {
                        let next = add_months(day, 2) + self.between(-3, 10);
                        (next, self.pick(&[(3u8, 55), (4, 20), (1, 13), (2, 12)]))
                    } else if !reviewed && day + 30 < invalidity {
                        reviewed = true;
                        let next_c = match c {
                            2 => self.pick(&[(2u8, 80), (3, 20)]),
                            _ => self.pick(&[(4u8, 50), (3, 30), (2, 20)]),
                        };
                        (invalidity, next_c)
                    } else {
                        break;
                    };
                    if next >= natural {
                        break;
                    }
                    assessments[n_assess] = (next, next_c);
                    n_assess += 1;
                    (day, c) = (next, next_c);
                }
            }
        }
        let assessments = &assessments[..n_assess];

        // Referral (R4, R5): the advisory doctor's, or the member's own; the earlier
        // one that comes before the incapacity ends.
        let doctor = match assessments.first() {
            Some(&(d, 4)) if self.chance(P_REFER_CAT4) => Some(
                d + if self.chance(0.7) {
                    self.between(0, 3)
                } else {
                    self.between(4, 21)
                },
            ),
            Some(&(_, 1)) if natural > m6 && self.chance(P_REFER_CAT1) => {
                Some(m6 + self.between(0, 21))
            }
            // A later assessment that finds return possible (category 3 re-assessed,
            // or the invalidity review).
            _ => match assessments.iter().skip(1).find(|a| a.1 == 4) {
                Some(&(d, _)) if self.chance(P_REFER_CAT3) => Some(d + self.between(0, 14)),
                _ => None,
            },
        };
        let p_self = match course {
            Course::Short => 0.0,
            Course::Mid => P_SELF_REFER_MID,
            Course::Long(2) => P_SELF_REFER * 0.3,
            Course::Long(_) => P_SELF_REFER,
        };
        let member = if self.chance(p_self) {
            // Mostly right after the quick scan, which asks about the wish for support.
            Some(if self.chance(0.7) {
                s + self.between(75, 160)
            } else {
                s + self.between(160, 450)
            })
        } else {
            None
        };
        // The gravest conditions (beyond a year) are referred, and ask, less often.
        let graver = natural - s > 365 && self.chance(0.7);
        let referral = [
            doctor.map(|d| (d, "advisory_doctor")),
            member.map(|d| (d, "member")),
        ]
        .into_iter()
        .flatten()
        .filter(|&(d, _)| d > open && d < natural && !graver)
        .min_by_key(|&(d, _)| d);
        // R6: first contact within a month for most, late for some, never for a few.
        let first = match (referral, self.rng.gen_range(0..100)) {
            (Some((r, _)), 0..=84) => Some(r + self.between(1, 28)),
            (Some((r, _)), 85..=96) => Some(r + self.between(29, 75)),
            _ => None,
        };
        let coached = first.is_some_and(|f| f < natural);

        // Coaching shortens what remains of the incapacity after the first contact
        // (by 0–58%, 29% on average; DOMAIN.md 6: coached members return ~22 days
        // sooner than the not coached, as the report of DOMAIN.md 7.5 compares them),
        // and lets some whose incapacity would not have ended return after all.
        let end = match (coached, natural_end, first) {
            (true, Some(e), Some(f)) => {
                let keep = 1.0 - self.rng.gen::<f64>() * COACHING_GAIN_SHARE;
                let floor = self.between(7, 30);
                Some(f + ((f64::from(e - f) * keep) as i32).max(floor))
            }
            (true, None, Some(f)) if self.chance(P_COACHED_UNBLOCKED) => {
                Some(f + self.between(60, 500))
            }
            _ => natural_end,
        };
        let p_return = match course {
            Course::Short => P_RECORD_SHORT_RETURN,
            Course::Mid => 0.6,
            Course::Long(1) => 0.92,
            Course::Long(2) => 0.5,
            Course::Long(3) => 0.72,
            Course::Long(_) => 0.86,
        } + if coached { 0.06 } else { 0.0 };
        let returned = match end {
            Some(e) if self.chance(p_return) => Some(e),
            _ => None,
        };
        // A relapse (a new dossier of the same person within a year of the return),
        // decided here so that the incapacity can end in time for it.
        let relapse = returned.is_some()
            && self.chance(if coached {
                P_RELAPSE * (1.0 - RELAPSE_REDUCTION_COACHED)
            } else {
                P_RELAPSE
            });
        // A progressive return (R13): part-time within an authorised activity first.
        let part_time = match returned {
            Some(r) if r - s > 100 => self.chance(if coached { 0.6 } else { 0.35 }),
            _ => false,
        };
        let p_full = if coached {
            P_FULL_AFTER_PART * FULL_AFTER_PART_COACHED_FACTOR
        } else {
            P_FULL_AFTER_PART
        };
        let (ended, full_day) = match returned {
            Some(r) if part_time => {
                if self.chance(p_full) {
                    let f = r + self.between(30, 180);
                    (Some(f), Some(f))
                } else if relapse {
                    // Stops working part-time and the incapacity is closed: the
                    // relapse follows as a new dossier.
                    (Some(r + self.between(30, 240)), None)
                } else if self.chance(0.5) {
                    // Stays part-time; the incapacity is closed later.
                    (Some(r + self.between(120, 720)), None)
                } else {
                    (None, None)
                }
            }
            _ => (end, None),
        };
        let relapse = match (relapse, returned, ended) {
            (true, Some(r), Some(e)) => {
                let day = r + self.between(14, 365);
                let day = if day <= e {
                    e + self.between(1, 30)
                } else {
                    day
                };
                (day <= r + 365).then_some(day)
            }
            _ => None,
        };
        self.end = ended.unwrap_or(i32::MAX);

        // ---- events ----
        self.any(open, Kind::Opened);
        self.quick_scan(s, course);
        for &(d, c) in assessments {
            self.regular(d, Kind::Assessed(c));
        }
        let codex = if p.scheme == "employee"
            && self.end - s > 120
            && self.chance(if coached { 0.2 } else { 0.07 })
        {
            self.codex(s, open, codex2, returned)
        } else {
            None
        };
        if let Some((r, initiative)) = referral {
            let stop = self.episode(p, r, initiative, first, returned, part_time, codex, true);
            // After stopping for health or expectations, some ask again later.
            if let Some((day, "health" | "expectations")) = stop {
                let limit = returned.unwrap_or(self.end);
                if limit.saturating_sub(day) > 90 && self.chance(0.2) {
                    let r2 = day + self.between(45, 200);
                    let f2 = r2 + self.between(1, 28);
                    if f2 < limit {
                        self.episode(p, r2, "member", Some(f2), returned, part_time, None, false);
                    }
                }
            }
        }
        let mut same_employer = false;
        if let Some(rt) = returned {
            let carried = codex.is_some_and(|c| c.carried_out);
            let long = course != Course::Short;
            let (se, same_job, adaptations) = match p.scheme {
                "employee" => {
                    let se = carried || self.chance(if long { 0.85 } else { 0.97 });
                    let sj = se && self.chance(if carried { 0.5 } else { 0.85 });
                    let ad = carried || self.chance(if long { 0.5 } else { 0.05 });
                    (se, sj, ad)
                }
                "unemployed" => (false, false, self.chance(0.3)),
                _ => (
                    true,
                    self.chance(0.9),
                    self.chance(if long { 0.4 } else { 0.05 }),
                ),
            };
            same_employer = se;
            if p.scheme == "employee" && codex.is_none() && long && self.chance(0.04) {
                // A pre-return visit to the occupational physician without a codex
                // trajectory.
                let v = rt - self.between(3, 30);
                if v > open {
                    self.regular(v, Kind::PreReturnVisit);
                }
            }
            if part_time {
                let percent = self.pick(&[
                    (20u8, 5),
                    (30, 10),
                    (40, 15),
                    (50, 45),
                    (60, 15),
                    (70, 5),
                    (80, 5),
                ]);
                self.any(
                    rt,
                    Kind::WorkResumed {
                        percent,
                        same_employer: se,
                        same_job,
                        adaptations,
                    },
                );
                // The advisory doctor authorises by the 30th working day (~6 weeks).
                let x = self.rng.gen_range(0..100);
                let decided = match x {
                    0..=87 => Some(rt + self.between(0, 40)),
                    88..=95 => Some(rt + self.between(41, 75)),
                    _ => None,
                };
                if let Some(d) = decided {
                    self.regular(d, Kind::Authorised(percent));
                }
                if let Some(f) = full_day {
                    let adaptations = self.chance(0.4);
                    self.any(
                        f,
                        Kind::WorkResumed {
                            percent: 100,
                            same_employer: se,
                            same_job,
                            adaptations,
                        },
                    );
                }
            } else {
                self.any(
                    rt,
                    Kind::WorkResumed {
                        percent: 100,
                        same_employer: se,
                        same_job,
                        adaptations,
                    },
                );
            }
        }
        if let Some(e) = ended {
            self.any(e, Kind::Ended);
        }
        // Some consents are withdrawn later (allowed even after the end).
        for i in 0..self.n_consents {
            if self.chance(0.08) {
                let (c, day) = self.consents[i];
                let w = day + self.between(14, 240);
                self.any(w, Kind::ConsentWithdrawn(c));
            }
        }
        Outcome {
            same_employer,
            relapse,
        }
    }

    /// R1: sent in week 10 (days 63–69), ~10% late, 2% never; returned within two
    /// weeks by ~75%, others after a reminder or never.
    fn quick_scan(&mut self, s: i32, course: Course) {
        if self.chance(0.02) {
            return;
        }
        let sent = s
            + 63
            + if self.chance(0.9) {
                self.between(0, 6)
            } else {
                self.between(7, 30)
            };
        if !self.regular(sent, Kind::QsSent) {
            return;
        }
        // The answers lean towards the category the doctor will give.
        let (health, expected, support) = match course {
            Course::Long(2) | Course::Long(3) => (
                self.between(1, 3) as u8,
                self.pick(&[("later", 60), ("unknown", 30), ("within_3_months", 10)]),
                self.chance(0.3),
            ),
            Course::Long(4) => (
                self.between(2, 4) as u8,
                self.pick(&[("within_3_months", 50), ("later", 30), ("unknown", 20)]),
                self.chance(0.7),
            ),
            _ => (
                self.between(3, 5) as u8,
                self.pick(&[
                    ("within_1_month", 50),
                    ("within_3_months", 35),
                    ("unknown", 15),
                ]),
                self.chance(0.25),
            ),
        };
        let answers = Kind::QsReturned {
            health,
            expected,
            support,
        };
        if self.chance(0.75) {
            let back = sent + self.between(2, 14);
            if self.regular(back, answers) && self.chance(0.25) {
                // With the questionnaire, consent to share it with the treating
                // physician (DOMAIN.md 3.1, TRIO).
                self.give_consent(back, ("treating_physician", "quick_scan"));
            }
            return;
        }
        let reminder = sent + self.between(15, 21);
        if self.chance(0.85) {
            self.regular(reminder, Kind::QsReminder);
        }
        if self.chance(0.55) {
            let back = reminder + self.between(2, 14);
            self.regular(back, answers);
        } else if self.chance(0.5) {
            // A second invitation (two ignored ones cost part of the benefit).
            let again = reminder + self.between(14, 21);
            self.regular(again, Kind::QsReminder);
        }
    }

    /// R9–R12: a codex re-integration trajectory. Requesters and decisions follow the
    /// rules in force: before 1 October 2022 the employer waits 4 months, the advisory
    /// doctor may request, decisions are A–E; from then on the employer waits 3
    /// months, the doctor no longer requests, decisions are A–C.
    fn codex(&mut self, s: i32, open: i32, codex2: i32, returned: Option<i32>) -> Option<Codex> {
        let by = self.pick(&[
            ("worker", 35),
            ("employer", 40),
            ("advisory_doctor", 12),
            ("treating_physician", 13),
        ]);
        let mut requested = match by {
            "employer" => add_months(s, 3) + self.between(0, 240),
            "advisory_doctor" => add_months(s, 2) + self.between(0, 200),
            _ => s + self.between(45, 330),
        };
        let by = if requested < codex2 && by == "employer" {
            requested = requested.max(add_months(s, 4));
            by
        } else if requested >= codex2 && by == "advisory_doctor" {
            "worker"
        } else {
            by
        };
        if self.chance(0.2) {
            let visit = requested - self.between(5, 40);
            if visit > open {
                self.regular(visit, Kind::PreReturnVisit);
            }
        }
        if !self.regular(requested, Kind::CodexRequested(by)) {
            return None;
        }
        let mut codex = Codex {
            requested,
            closed: None,
            without_plan: false,
            carried_out: false,
        };
        // Assessment within 49 days (codex 2.0), mostly on time.
        let mut decided = requested
            + if self.chance(0.88) {
                self.between(10, 49)
            } else {
                self.between(50, 90)
            };
        for _round in 0..3 {
            let old = decided < codex2;
            let decision = if old {
                self.pick(&[(b'A', 35), (b'B', 10), (b'C', 15), (b'D', 30), (b'E', 10)])
            } else {
                self.pick(&[(b'A', 45), (b'B', 35), (b'C', 20)])
            };
            if !self.regular(decided, Kind::CodexDecision(decision)) {
                break;
            }
            // Days the employer has for a plan: old A 55, old C 12 months, new A 63,
            // new B 6 months; old B / new C / old E have none.
            let plan_due = match (old, decision) {
                (true, b'D') => {
                    codex.closed = Some(decided);
                    codex.without_plan = true;
                    break;
                }
                (true, b'E') => {
                    // Re-evaluation after 2 months.
                    decided = add_months(decided, 2)
                        + if self.chance(0.85) {
                            -self.between(0, 15)
                        } else {
                            self.between(1, 30)
                        };
                    continue;
                }
                (true, b'A') => 55,
                (true, b'C') => 365,
                (false, b'A') => 63,
                (false, b'B') => 183,
                _ => break,
            };
            if decision != b'A' && !self.chance(0.68) {
                break;
            }
            let drafted = decided
                + if self.chance(0.88) {
                    self.between(7, plan_due)
                } else {
                    self.between(plan_due + 1, plan_due + 60)
                };
            if !self.regular(drafted, Kind::Plan("drafted")) {
                break;
            }
            let answered = drafted
                + if self.chance(0.9) {
                    self.between(2, 14)
                } else {
                    self.between(15, 35)
                };
            let status = self.pick(&[
                ("accepted", 72),
                ("refused_by_worker", 14),
                ("refused_by_employer", 14),
            ]);
            if !self.regular(answered, Kind::Plan(status)) {
                break;
            }
            if status != "accepted" {
                codex.closed = Some(answered);
                codex.without_plan = true;
            } else if let Some(rt) = returned {
                // The accepted plan is carried out when the member goes back.
                if rt >= answered && self.regular(rt, Kind::Plan("carried_out")) {
                    codex.closed = Some(rt);
                    codex.carried_out = true;
                }
            }
            break;
        }
        Some(codex)
    }

    /// One coaching episode from a referral on day `r`: contacts, action plan, partner
    /// referrals, consents, a socio-professional trajectory, the stop. Returns how
    /// the episode stopped, if it did.
    #[allow(clippy::too_many_arguments)]
    fn episode(
        &mut self,
        p: &Person,
        r: i32,
        initiative: &'static str,
        first: Option<i32>,
        returned: Option<i32>,
        part_time: bool,
        codex: Option<Codex>,
        allow_sp: bool,
    ) -> Option<Stop> {
        if !self.regular(r, Kind::Referred(initiative)) {
            return None;
        }
        let Some(f) = first.filter(|&f| f <= self.end) else {
            // No contact: never reached, or back at work before the contact.
            let stop = if first.is_none() {
                let reason = self.pick(&[("other", 50), ("health", 30), ("expectations", 20)]);
                (r + self.between(40, 90), reason)
            } else {
                let reason = if returned.is_some() {
                    "back_to_work"
                } else {
                    "other"
                };
                (self.end + self.between(0, 30), reason)
            };
            self.any(stop.0, Kind::CoachingStopped(stop.1));
            return Some(stop);
        };
        // When coaching would stop on its own.
        let mut stop: Stop = match returned {
            Some(rt) if rt >= f => {
                let after = if part_time {
                    self.between(14, 120)
                } else {
                    self.between(0, 30)
                };
                (rt + after, "back_to_work")
            }
            _ if self.end != i32::MAX => {
                let reason = self.pick(&[("unable_to_work", 50), ("other", 30), ("health", 20)]);
                (self.end + self.between(0, 30), reason)
            }
            _ if self.chance(0.6) => {
                let reason = self.pick(&[("unable_to_work", 55), ("health", 45)]);
                (f + self.between(120, 700), reason)
            }
            _ => (i32::MAX, ""),
        };
        // ~22% stop early: after the first contact or after a few.
        let early_after = if self.chance(0.18) {
            if self.chance(0.5) {
                1
            } else {
                self.between(2, 4) as usize
            }
        } else {
            0
        };
        let mut contacts = [0i32; 16];
        let mut n = 0;
        let mut t = f;
        loop {
            let mode = self.pick(&[("in_person", 45), ("phone", 40), ("video", 15)]);
            if !self.regular(
                t,
                Kind::Contact {
                    mode,
                    first: n == 0,
                },
            ) {
                break;
            }
            contacts[n] = t;
            n += 1;
            if n == early_after {
                let day = t + self.between(0, 21);
                if day < stop.0 {
                    let reason = self.pick(&[
                        ("health", 35),
                        ("expectations", 25),
                        ("referred", 20),
                        ("other", 10),
                        ("unable_to_work", 10),
                    ]);
                    stop = (day, reason);
                }
                break;
            }
            if n == contacts.len() {
                break;
            }
            // Follow-up at least every 3 months for most (rtw-2026 T4).
            t += if self.chance(0.9) {
                self.between(10, 42)
            } else {
                self.between(43, 90)
            };
            if t >= stop.0 {
                break;
            }
        }
        // Action plan within a month of the first contact for most (rtw-2026 T3).
        let plan_day = match self.rng.gen_range(0..100) {
            0..=79 => Some(f + self.between(0, 28)),
            80..=87 => Some(f + self.between(29, 60)),
            _ => None,
        };
        if let Some(d) = plan_day.filter(|&d| d <= stop.0) {
            let kind = Kind::ActionPlan {
                lang: match p.language {
                    "nl" => 0,
                    "fr" => 1,
                    _ => 2,
                },
                goal: self.rng.gen_range(0..6),
                goals: self.between(1, 3) as u8,
                follow_up: d + self.between(28, 91),
            };
            self.regular(d, kind);
        }
        // Consents at the first contact; the employer and the occupational physician
        // only when there is an employer.
        let employee = p.scheme == "employee";
        if self.chance(0.65) {
            let k = if self.chance(0.3) { 2 } else { 1 };
            for _ in 0..k {
                let c = if employee {
                    self.pick(&[
                        (("employer", "reintegration_plan"), 30),
                        (("occupational_physician", "dossier"), 25),
                        (("occupational_physician", "medical"), 15),
                        (("employment_service", "socio_professional"), 15),
                        (("treating_physician", "medical"), 10),
                        (("employer", "dossier"), 5),
                    ])
                } else {
                    self.pick(&[
                        (("employment_service", "socio_professional"), 50),
                        (("employment_service", "dossier"), 15),
                        (("treating_physician", "medical"), 35),
                    ])
                };
                self.give_consent(f, c);
            }
        }
        // Partner referrals, at contacts.
        let partners: &[(&'static str, u32)] = if employee {
            &[
                ("occupational_physician", 25),
                ("employment_service", 20),
                ("career_guidance", 12),
                ("training_centre", 8),
                ("psychologist", 20),
                ("employer", 10),
                ("other", 5),
            ]
        } else {
            &[
                ("employment_service", 40),
                ("career_guidance", 20),
                ("training_centre", 12),
                ("psychologist", 20),
                ("other", 8),
            ]
        };
        if n > 0 && self.chance(0.45) {
            let k = if self.chance(0.7) { 1 } else { 2 };
            for _ in 0..k {
                let day = contacts[self.rng.gen_range(0..n)];
                let to = self.pick(partners);
                self.partner(day, to);
            }
        }
        if stop.1 == "referred" && stop.0 <= self.end {
            let to = self.pick(partners);
            self.partner(stop.0, to);
        }
        if allow_sp {
            self.socio_professional(p, f, codex);
        }
        if stop.0 != i32::MAX {
            self.any(stop.0, Kind::CoachingStopped(stop.1));
            Some(stop)
        } else {
            None
        }
    }

    /// A partner referral, with the consent the partner needs.
    fn partner(&mut self, day: i32, to: &'static str) {
        if !self.regular(day, Kind::PartnerReferral(to)) {
            return;
        }
        match to {
            "occupational_physician" => {
                self.give_consent(day, ("occupational_physician", "dossier"))
            }
            "employment_service" => {
                self.give_consent(day, ("employment_service", "socio_professional"))
            }
            "employer" => self.give_consent(day, ("employer", "reintegration_plan")),
            _ => {}
        }
    }

    /// R11/R12: a socio-professional trajectory with the regional employment service,
    /// started by the coordinator; suspended while a codex trajectory requested during
    /// it runs.
    fn socio_professional(&mut self, p: &Person, f: i32, codex: Option<Codex>) {
        let base = match p.scheme {
            "unemployed" => 0.35,
            "self_employed" => 0.05,
            // An employee whose employer will ask for a codex trajectory: the
            // trajectory started before it is suspended (R12).
            _ if codex.is_some() => 0.3,
            _ => 0.08,
        };
        let mut start = match codex {
            Some(Codex {
                closed: Some(c),
                without_plan: true,
                ..
            }) if self.chance(0.5) => c.max(f) + self.between(14, 90),
            _ if self.chance(base) => f + self.between(21, 120),
            _ => return,
        };
        // Not started while a codex trajectory runs: after it, or not at all.
        if let Some(c) = codex {
            if start >= c.requested && !matches!(c.closed, Some(x) if start > x) {
                match c.closed {
                    Some(x) => start = x + self.between(14, 60),
                    None => return,
                }
            }
        }
        let service = match (p.region, p.language) {
            ("flanders", _) | ("abroad", "nl") => "vdab",
            ("brussels", _) => "actiris",
            ("german", _) | ("abroad", "de") => "adg",
            _ => "forem",
        };
        let activity = self.pick(&[
            ("training", 25),
            ("retraining", 15),
            ("coaching", 25),
            ("reorientation", 15),
            ("workplace_learning", 10),
            ("unpaid_work", 5),
            ("other", 5),
        ]);
        if !self.regular(start, Kind::SpStarted { service, activity }) {
            return;
        }
        self.give_consent(start, ("employment_service", "socio_professional"));
        let done = start + self.between(60, 365);
        if let Some(c) = codex {
            if c.requested > start
                && c.requested < done
                && self.regular(c.requested, Kind::SpSuspended)
            {
                if let Some(x) = c.closed {
                    let resumed = x + self.between(1, 30);
                    if resumed < done {
                        self.regular(resumed, Kind::SpResumed);
                    }
                }
            }
        }
        self.any(done, Kind::SpEnded);
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
