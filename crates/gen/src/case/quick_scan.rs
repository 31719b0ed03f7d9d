//! The quick scan: the questionnaire sent in week 10, its reminders and its return.

use super::{Course, Sim};
use crate::out::Kind;

impl Sim<'_> {
    /// R1: sent in week 10 (days 63–69), ~10% late, 2% never; returned within two
    /// weeks by ~75%, others after a reminder or never.
    pub(super) fn quick_scan(&mut self, s: i32, course: Course) {
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
                // physician (docs/domain.md 3.1, TRIO).
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
}
