//! Referral and coaching: the episode after a referral (contacts, action plan,
//! consents, partner referrals, the stop), and a second request after an early stop.

use super::{Codex, Sim, Skeleton, Stop};
use crate::out::Kind;
use crate::Person;
use rand::Rng;

impl Sim<'_> {
    /// Coaching from the skeleton's referral, if any.
    pub(super) fn coaching(&mut self, p: &Person, k: &Skeleton, codex: Option<Codex>) {
        let Some((r, initiative)) = k.referral else {
            return;
        };
        let stop = self.episode(
            p,
            r,
            initiative,
            k.first,
            k.returned,
            k.part_time,
            codex,
            true,
        );
        // After stopping for health or expectations, some ask again later.
        if let Some((day, "health" | "expectations")) = stop {
            let limit = k.returned.unwrap_or(self.end);
            if limit.saturating_sub(day) > 90 && self.chance(0.2) {
                let r2 = day + self.between(45, 200);
                let f2 = r2 + self.between(1, 28);
                if f2 < limit {
                    self.episode(
                        p,
                        r2,
                        "member",
                        Some(f2),
                        k.returned,
                        k.part_time,
                        None,
                        false,
                    );
                }
            }
        }
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
            let stop = self.stop_without_contact(r, first, returned);
            self.any(stop.0, Kind::CoachingStopped(stop.1));
            return Some(stop);
        };
        let mut stop = self.planned_stop(f, returned, part_time);
        let (contacts, n) = self.contacts(f, &mut stop);
        self.action_plan(p, f, stop);
        let employee = p.scheme == "employee";
        self.first_consents(f, employee);
        self.partner_referrals(employee, &contacts[..n], stop);
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

    /// No contact: never reached, or back at work before the contact.
    fn stop_without_contact(&mut self, r: i32, first: Option<i32>, returned: Option<i32>) -> Stop {
        if first.is_none() {
            let reason = self.pick(&[("other", 50), ("health", 30), ("expectations", 20)]);
            (r + self.between(40, 90), reason)
        } else {
            let reason = if returned.is_some() {
                "back_to_work"
            } else {
                "other"
            };
            (self.end + self.between(0, 30), reason)
        }
    }

    /// When coaching would stop on its own, after the first contact on day `f`.
    fn planned_stop(&mut self, f: i32, returned: Option<i32>, part_time: bool) -> Stop {
        match returned {
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
        }
    }

    /// The contacts from the first on day `f` until the stop; an early stop moves
    /// `stop` forward. Gives the contact days and how many there are.
    fn contacts(&mut self, f: i32, stop: &mut Stop) -> ([i32; 16], usize) {
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
                    *stop = (day, reason);
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
        (contacts, n)
    }

    /// Action plan within a month of the first contact for most (rtw-2026 T3).
    fn action_plan(&mut self, p: &Person, f: i32, stop: Stop) {
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
    }

    /// Consents at the first contact; the employer and the occupational physician
    /// only when there is an employer.
    fn first_consents(&mut self, f: i32, employee: bool) {
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
    }

    /// Partner referrals, at contacts, and the one an episode stopped for.
    fn partner_referrals(&mut self, employee: bool, contacts: &[i32], stop: Stop) {
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
        if !contacts.is_empty() && self.chance(0.45) {
            let k = if self.chance(0.7) { 1 } else { 2 };
            for _ in 0..k {
                let day = contacts[self.rng.gen_range(0..contacts.len())];
                let to = self.pick(partners);
                self.partner(day, to);
            }
        }
        if stop.1 == "referred" && stop.0 <= self.end {
            let to = self.pick(partners);
            self.partner(stop.0, to);
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
}
