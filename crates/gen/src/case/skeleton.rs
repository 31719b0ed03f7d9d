//! The skeleton of a dossier, decided before any event is written: the opening, how
//! the incapacity runs, the assessments, the referral and first contact, what
//! coaching changes, the return and the relapse.

use super::{add_months, Course, Sim, Skeleton};
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

impl Sim<'_> {
    /// The skeleton of the dossier whose incapacity starts on day `s`. The steps draw
    /// in a fixed order, which the generator's byte-for-byte determinism rests on.
    pub(super) fn skeleton(&mut self, s: i32) -> Skeleton {
        let open = self.open_day(s);
        let assess_day = self.assessment_day(s);
        let (course, natural_end) = self.course(s, open, assess_day);
        let natural = natural_end.unwrap_or(i32::MAX);
        let (assessments, n_assess) = self.assessments(s, course, assess_day, natural);
        let referral = self.referral(s, open, course, natural, &assessments[..n_assess]);
        let first = self.first_contact(referral);
        let coached = first.is_some_and(|f| f < natural);
        let end = self.coached_end(coached, natural_end, first);
        let returned = self.returned(course, coached, end);
        // A relapse (a new dossier of the same person within a year of the return),
        // decided here so that the incapacity can end in time for it.
        let relapse = returned.is_some()
            && self.chance(if coached {
                P_RELAPSE * (1.0 - RELAPSE_REDUCTION_COACHED)
            } else {
                P_RELAPSE
            });
        let (part_time, ended, full_day) =
            self.progressive_return(s, coached, end, returned, relapse);
        let relapse = self.relapse_day(relapse, returned, ended);
        Skeleton {
            open,
            course,
            assessments,
            n_assess,
            referral,
            first,
            coached,
            returned,
            part_time,
            ended,
            full_day,
            relapse,
        }
    }

    /// The day the fund opens the dossier, mostly within days of the start.
    fn open_day(&mut self, s: i32) -> i32 {
        s + match self.rng.gen_range(0..100) {
            0..=54 => self.between(0, 3),
            55..=84 => self.between(4, 10),
            _ => self.between(11, 20),
        }
    }

    /// R2: in month 4 (start + 3 months … + 28 days is always inside it), ~10% late.
    fn assessment_day(&mut self, s: i32) -> i32 {
        let m3 = add_months(s, 3);
        if self.chance(0.9) {
            m3 + self.between(0, 27)
        } else {
            m3 + self.between(30, 60)
        }
    }

    /// How the incapacity runs without coaching, and the day it would end (`None`:
    /// not within the horizon).
    fn course(&mut self, s: i32, open: i32, assess_day: i32) -> (Course, Option<i32>) {
        let m6 = add_months(s, 6);
        let roll = self.rng.gen_range(0..1000);
        if roll < SHORT_PERMILLE {
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
        }
    }

    /// Assessments: the first in month 4 (3% never happen: overdue tasks exist);
    /// category 3 re-assessed every 2 months (R7) until it changes; a review at the
    /// start of invalidity (R8, one year) for the others still incapacitated.
    fn assessments(
        &mut self,
        s: i32,
        course: Course,
        assess_day: i32,
        natural: i32,
    ) -> ([(i32, u8); 20], usize) {
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
        (assessments, n_assess)
    }

    /// Referral (R4, R5): the advisory doctor's, or the member's own; the earlier one
    /// that comes before the incapacity ends.
    fn referral(
        &mut self,
        s: i32,
        open: i32,
        course: Course,
        natural: i32,
        assessments: &[(i32, u8)],
    ) -> Option<(i32, &'static str)> {
        let m6 = add_months(s, 6);
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
        [
            doctor.map(|d| (d, "advisory_doctor")),
            member.map(|d| (d, "member")),
        ]
        .into_iter()
        .flatten()
        .filter(|&(d, _)| d > open && d < natural && !graver)
        .min_by_key(|&(d, _)| d)
    }

    /// R6: first contact within a month for most, late for some, never for a few.
    fn first_contact(&mut self, referral: Option<(i32, &'static str)>) -> Option<i32> {
        match (referral, self.rng.gen_range(0..100)) {
            (Some((r, _)), 0..=84) => Some(r + self.between(1, 28)),
            (Some((r, _)), 85..=96) => Some(r + self.between(29, 75)),
            _ => None,
        }
    }

    /// Coaching shortens what remains of the incapacity after the first contact (by
    /// 0–58%, 29% on average; docs/domain.md 6: coached members return ~22 days sooner
    /// than the not coached, as the report of docs/domain.md 7.5 compares them), and
    /// lets some whose incapacity would not have ended return after all.
    fn coached_end(
        &mut self,
        coached: bool,
        natural_end: Option<i32>,
        first: Option<i32>,
    ) -> Option<i32> {
        match (coached, natural_end, first) {
            (true, Some(e), Some(f)) => {
                let keep = 1.0 - self.rng.gen::<f64>() * COACHING_GAIN_SHARE;
                let floor = self.between(7, 30);
                Some(f + ((f64::from(e - f) * keep) as i32).max(floor))
            }
            (true, None, Some(f)) if self.chance(P_COACHED_UNBLOCKED) => {
                Some(f + self.between(60, 500))
            }
            _ => natural_end,
        }
    }

    /// The recorded return (`work_resumed`), on the day the incapacity ends.
    fn returned(&mut self, course: Course, coached: bool, end: Option<i32>) -> Option<i32> {
        let p_return = match course {
            Course::Short => P_RECORD_SHORT_RETURN,
            Course::Mid => 0.6,
            Course::Long(1) => 0.92,
            Course::Long(2) => 0.5,
            Course::Long(3) => 0.72,
            Course::Long(_) => 0.86,
        } + if coached { 0.06 } else { 0.0 };
        match end {
            Some(e) if self.chance(p_return) => Some(e),
            _ => None,
        }
    }

    /// A progressive return (R13): part-time within an authorised activity first.
    /// Gives whether the return is part-time, the `incapacity_ended` day and the day
    /// of the full-time resumption.
    fn progressive_return(
        &mut self,
        s: i32,
        coached: bool,
        end: Option<i32>,
        returned: Option<i32>,
        relapse: bool,
    ) -> (bool, Option<i32>, Option<i32>) {
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
        (part_time, ended, full_day)
    }

    /// The start of the relapse: after the incapacity ended, within a year of the
    /// return (else none).
    fn relapse_day(
        &mut self,
        relapse: bool,
        returned: Option<i32>,
        ended: Option<i32>,
    ) -> Option<i32> {
        match (relapse, returned, ended) {
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
        }
    }
}
