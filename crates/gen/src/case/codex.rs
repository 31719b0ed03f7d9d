//! The codex re-integration trajectory: the request, the decisions and the plan.

use super::{add_months, Codex, Sim};
use crate::out::Kind;

impl Sim<'_> {
    /// R9–R12: a codex re-integration trajectory. Requesters and decisions follow the
    /// rules in force: before 1 October 2022 the employer waits 4 months, the advisory
    /// doctor may request, decisions are A–E; from then on the employer waits 3
    /// months, the doctor no longer requests, decisions are A–C.
    pub(super) fn codex(
        &mut self,
        s: i32,
        open: i32,
        codex2: i32,
        returned: Option<i32>,
    ) -> Option<Codex> {
        let (by, requested) = self.codex_request(s, codex2);
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
        self.codex_decisions(&mut codex, codex2, returned);
        Some(codex)
    }

    /// Who requests the trajectory, and when.
    fn codex_request(&mut self, s: i32, codex2: i32) -> (&'static str, i32) {
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
        (by, requested)
    }

    /// The decisions on the request (an old E is re-evaluated, up to three rounds),
    /// and the plan a decision asks for.
    fn codex_decisions(&mut self, codex: &mut Codex, codex2: i32, returned: Option<i32>) {
        // Assessment within 49 days (codex 2.0), mostly on time.
        let mut decided = codex.requested
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
            self.codex_plan(codex, decided, decision, plan_due, returned);
            break;
        }
    }

    /// The re-integration plan after decision `decision` on day `decided`: drafted
    /// (not always when the decision leaves the employer a choice), answered, and
    /// carried out when the member goes back.
    fn codex_plan(
        &mut self,
        codex: &mut Codex,
        decided: i32,
        decision: u8,
        plan_due: i32,
        returned: Option<i32>,
    ) {
        if decision != b'A' && !self.chance(0.68) {
            return;
        }
        let drafted = decided
            + if self.chance(0.88) {
                self.between(7, plan_due)
            } else {
                self.between(plan_due + 1, plan_due + 60)
            };
        if !self.regular(drafted, Kind::Plan("drafted")) {
            return;
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
            return;
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
    }
}
