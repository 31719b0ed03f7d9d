//! The socio-professional trajectory with the regional employment service.

use super::{Codex, Sim};
use crate::out::Kind;
use crate::Person;

impl Sim<'_> {
    /// R11/R12: a socio-professional trajectory with the regional employment service,
    /// started by the coordinator; suspended while a codex trajectory requested during
    /// it runs.
    pub(super) fn socio_professional(&mut self, p: &Person, f: i32, codex: Option<Codex>) {
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
