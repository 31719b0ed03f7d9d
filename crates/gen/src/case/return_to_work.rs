//! The return to work: with whom and how, a pre-return visit, and a progressive
//! (part-time, authorised) return before the full-time one.

use super::{Codex, Course, Sim, Skeleton};
use crate::out::Kind;
use crate::Person;
use rand::Rng;

impl Sim<'_> {
    /// The return on day `rt`. Gives whether it is with the same employer.
    pub(super) fn work_resumed(
        &mut self,
        p: &Person,
        k: &Skeleton,
        rt: i32,
        codex: Option<Codex>,
    ) -> bool {
        let carried = codex.is_some_and(|c| c.carried_out);
        let long = k.course != Course::Short;
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
        if p.scheme == "employee" && codex.is_none() && long && self.chance(0.04) {
            // A pre-return visit to the occupational physician without a codex
            // trajectory.
            let v = rt - self.between(3, 30);
            if v > k.open {
                self.regular(v, Kind::PreReturnVisit);
            }
        }
        if k.part_time {
            self.part_time_return(rt, k.full_day, se, same_job, adaptations);
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
        se
    }

    /// A part-time return within an authorised activity, and the full-time one on
    /// `full_day` if it comes.
    fn part_time_return(
        &mut self,
        rt: i32,
        full_day: Option<i32>,
        se: bool,
        same_job: bool,
        adaptations: bool,
    ) {
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
    }
}
