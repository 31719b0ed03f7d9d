//! The employer's monthly list of workers absent for at least four weeks
//! (docs/absences.md): when a dossier's absence from work begins and ends, and
//! whether it belongs on the list of a month.

use crate::date::{add_days, Date, MAX_DATE, MIN_DATE};
use crate::event::{EventType, Extent};
use crate::facts::CaseFacts;
use chrono::Datelike;
use std::fmt;

/// At least four weeks: the first day of absence counts as day 1.
pub const LIST_DAYS: i64 = 28;

/// A calendar month, `YYYY-MM`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month {
    first: Date,
}

impl Month {
    /// Reads `YYYY-MM` (a month of the dates the exchange format allows, 1990–2100),
    /// or says why not.
    pub fn parse(s: &str) -> Result<Month, String> {
        let bad = || format!("the month must be written YYYY-MM (such as 2026-03), not `{s}`");
        let b = s.as_bytes();
        if b.len() != 7
            || b[4] != b'-'
            || !b
                .iter()
                .enumerate()
                .all(|(i, c)| i == 4 || c.is_ascii_digit())
        {
            return Err(bad());
        }
        let year: i32 = s[..4].parse().map_err(|_| bad())?;
        let month: u32 = s[5..].parse().map_err(|_| bad())?;
        if !(1..=12).contains(&month) {
            return Err(format!(
                "the month must be 01 to 12, not {:02} in `{s}`",
                month
            ));
        }
        let first = Date::from_ymd_opt(year, month, 1).ok_or_else(bad)?;
        if first < MIN_DATE || first > MAX_DATE {
            return Err(format!(
                "the month must lie between {} and {}, not `{s}`",
                Month::of(MIN_DATE),
                Month::of(MAX_DATE)
            ));
        }
        Ok(Month { first })
    }

    /// The month `d` lies in.
    pub fn of(d: Date) -> Month {
        Month {
            first: d.with_day(1).unwrap_or(d),
        }
    }

    pub fn first_day(self) -> Date {
        self.first
    }

    pub fn last_day(self) -> Date {
        add_days(crate::date::add_months(self.first, 1), -1)
    }

    /// The last day of the month that counts on `today`: its last day, or today while
    /// the month runs; `None` for a month that has not begun.
    pub fn counted_until(self, today: Date) -> Option<Date> {
        (today >= self.first).then(|| self.last_day().min(today))
    }
}

impl fmt::Display for Month {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.first.year(), self.first.month())
    }
}

/// A dossier's absence from work as known on some day: from the first day of the
/// incapacity up to, not including, `end`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Absence {
    pub start: Date,
    /// The first day the worker is no longer absent: the date of `incapacity_ended`
    /// or of a full-time `work_resumed`, whichever comes first; `None` while it runs.
    pub end: Option<Date>,
}

impl Absence {
    /// The absence of a dossier as known on `today`: events dated later do not count,
    /// and a dossier opened after `today` has none yet. A part-time return (within an
    /// authorised activity) does not end it: the incapacity goes on.
    pub fn of(facts: &CaseFacts, today: Date) -> Option<Absence> {
        let known = facts.until(today);
        known.first().filter(|f| f.kind == EventType::CaseOpened)?;
        let end = known
            .iter()
            .find(|f| match f.kind {
                EventType::IncapacityEnded => true,
                EventType::WorkResumed => f.attr == Extent::FullTime.index(),
                _ => false,
            })
            .map(|f| f.date);
        Some(Absence {
            start: facts.incapacity_start,
            end,
        })
    }

    /// The last day of absence, if it ended.
    pub fn last_day(&self) -> Option<Date> {
        self.end.map(|e| add_days(e, -1))
    }

    /// Whether the absence belongs on `month`'s list on `today`: on some day of the
    /// month up to today the worker was absent and had been for at least
    /// [`LIST_DAYS`] days, counting the first day of absence.
    pub fn on_list(&self, month: Month, today: Date) -> bool {
        let Some(until) = month.counted_until(today) else {
            return false;
        };
        // The last day of the month (up to today) on which the worker was absent.
        let last = self.last_day().map_or(until, |l| l.min(until));
        last >= month.first_day() && last >= add_days(self.start, LIST_DAYS - 1)
    }

    /// The last day of absence when it falls within `month`: the list says when an
    /// absence ended in the month it lists.
    pub fn ended_in(&self, month: Month) -> Option<Date> {
        self.last_day()
            .filter(|l| *l >= month.first_day() && *l <= month.last_day())
    }
}

/// What a store must return at least for `month`'s list on `today`: the dossiers whose
/// incapacity began on or before `.0` and had not ended (`incapacity_ended`) on or
/// before `.1`. `None` when the month has not begun. The dossiers this leaves in are
/// then decided one by one with [`Absence::on_list`].
pub fn candidates(month: Month, today: Date) -> Option<(Date, Date)> {
    let until = month.counted_until(today)?;
    Some((add_days(until, -(LIST_DAYS - 1)), month.first_day()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::date::parse_date;
    use crate::event::Scheme;
    use crate::facts::Fact;
    use proptest::prelude::*;

    fn d(s: &str) -> Date {
        parse_date(s).unwrap()
    }

    fn m(s: &str) -> Month {
        Month::parse(s).unwrap()
    }

    fn facts(start: &str, later: &[(&str, EventType, u8)]) -> CaseFacts {
        let mut facts = vec![Fact {
            date: d(start),
            kind: EventType::CaseOpened,
            attr: 0,
        }];
        facts.extend(later.iter().map(|(date, kind, attr)| Fact {
            date: d(date),
            kind: *kind,
            attr: *attr,
        }));
        CaseFacts {
            incapacity_start: d(start),
            scheme: Scheme::Employee,
            has_employer: true,
            facts,
        }
    }

    fn absent(start: &str, end: Option<&str>) -> Absence {
        Absence {
            start: d(start),
            end: end.map(d),
        }
    }

    #[test]
    fn months_are_read_strictly() {
        assert_eq!(m("2026-03").to_string(), "2026-03");
        assert_eq!(m("2026-02").last_day(), d("2026-02-28"));
        assert_eq!(m("2024-02").last_day(), d("2024-02-29"));
        assert_eq!(m("2026-12").last_day(), d("2026-12-31"));
        for bad in [
            "",
            "2026",
            "2026-3",
            "2026-003",
            "26-03",
            "2026/03",
            "2026-03-01",
            " 2026-03",
            "２０２６-03",
            "+026-03",
        ] {
            let e = Month::parse(bad).unwrap_err();
            assert!(e.contains("YYYY-MM"), "{bad}: {e}");
        }
        assert!(Month::parse("2026-13").unwrap_err().contains("01 to 12"));
        assert!(Month::parse("2026-00").unwrap_err().contains("01 to 12"));
        assert!(Month::parse("1989-12")
            .unwrap_err()
            .contains("1990-01 and 2100-12"));
        assert!(Month::parse("2101-01").is_err());
        assert_eq!(Month::of(d("2026-03-31")), m("2026-03"));
    }

    #[test]
    fn the_absence_ends_on_the_first_full_time_return_or_the_end_of_the_incapacity() {
        let today = d("2026-06-30");
        let full = Extent::FullTime.index();
        let part = Extent::PartTime.index();
        let f = facts("2026-01-05", &[]);
        assert_eq!(Absence::of(&f, today), Some(absent("2026-01-05", None)));
        let f = facts(
            "2026-01-05",
            &[("2026-03-01", EventType::WorkResumed, part)],
        );
        assert_eq!(
            Absence::of(&f, today),
            Some(absent("2026-01-05", None)),
            "part-time"
        );
        let f = facts(
            "2026-01-05",
            &[
                ("2026-03-01", EventType::WorkResumed, part),
                ("2026-04-01", EventType::WorkResumed, full),
                ("2026-04-01", EventType::IncapacityEnded, 0),
            ],
        );
        assert_eq!(
            Absence::of(&f, today),
            Some(absent("2026-01-05", Some("2026-04-01")))
        );
        let f = facts(
            "2026-01-05",
            &[("2026-02-10", EventType::IncapacityEnded, 0)],
        );
        assert_eq!(
            Absence::of(&f, today),
            Some(absent("2026-01-05", Some("2026-02-10")))
        );
        // Not yet known on the day before it.
        assert_eq!(
            Absence::of(&f, d("2026-02-09")),
            Some(absent("2026-01-05", None))
        );
        // A dossier opened after today does not exist yet.
        assert_eq!(Absence::of(&f, d("2026-01-04")), None);
    }

    #[test]
    fn who_is_on_the_list_of_a_month() {
        let march = m("2026-03");
        let after = d("2026-05-20");
        let rows = [
            // (why, start, end, today, on the list)
            (
                "28 days on the month's last day",
                "2026-03-04",
                None,
                after,
                true,
            ),
            (
                "27 days on the month's last day",
                "2026-03-05",
                None,
                after,
                false,
            ),
            (
                "28 days on the month's first day",
                "2026-02-02",
                None,
                after,
                true,
            ),
            ("long before, still absent", "2025-01-01", None, after, true),
            ("started after the month", "2026-04-01", None, after, false),
            (
                "ended before the month",
                "2026-01-01",
                Some("2026-02-15"),
                after,
                false,
            ),
            (
                "ended the day the month began: absent until February",
                "2026-01-01",
                Some("2026-03-01"),
                after,
                false,
            ),
            (
                "absent on the month's first day only",
                "2026-01-01",
                Some("2026-03-02"),
                after,
                true,
            ),
            (
                "28 days reached on the last day of absence",
                "2026-03-01",
                Some("2026-03-29"),
                after,
                true,
            ),
            (
                "27 days in all",
                "2026-03-01",
                Some("2026-03-28"),
                after,
                false,
            ),
            (
                "28 days reached in the month, then ended in it",
                "2026-02-20",
                Some("2026-03-25"),
                after,
                true,
            ),
            (
                "ended after the month",
                "2026-02-01",
                Some("2026-04-10"),
                after,
                true,
            ),
            (
                "the month runs: 28 days by today",
                "2026-02-20",
                None,
                d("2026-03-19"),
                true,
            ),
            (
                "the month runs: 27 days by today",
                "2026-02-21",
                None,
                d("2026-03-19"),
                false,
            ),
            (
                "the month has not begun",
                "2025-01-01",
                None,
                d("2026-02-28"),
                false,
            ),
        ];
        for (why, start, end, today, want) in rows {
            let a = absent(start, end);
            assert_eq!(a.on_list(march, today), want, "{why}");
            if let Some((started_by, absent_on)) = candidates(march, today) {
                // Whatever is on the list is among the store's candidates.
                if want {
                    assert!(a.start <= started_by, "{why}: a candidate by its start");
                    assert!(
                        a.end.is_none_or(|e| e > absent_on),
                        "{why}: a candidate by its end"
                    );
                }
            } else {
                assert!(!want, "{why}");
            }
        }
        assert_eq!(candidates(march, d("2026-02-28")), None);
    }

    #[test]
    fn the_list_shows_an_end_in_its_month() {
        let march = m("2026-03");
        assert_eq!(
            absent("2026-01-01", Some("2026-03-10")).ended_in(march),
            Some(d("2026-03-09"))
        );
        assert_eq!(
            absent("2026-01-01", Some("2026-04-01")).ended_in(march),
            Some(d("2026-03-31"))
        );
        assert_eq!(
            absent("2026-01-01", Some("2026-04-02")).ended_in(march),
            None
        );
        assert_eq!(absent("2026-01-01", None).ended_in(march), None);
    }

    proptest! {
        /// The rule as its definition says it: some day of the month, up to today,
        /// on which the worker was absent for the 28th day or more.
        #[test]
        fn on_list_is_some_day_of_the_month(start in 0i64..200, len in proptest::option::of(1i64..200), today in 0i64..250) {
            let base = d("2026-01-01");
            let month = m("2026-03");
            let a = Absence { start: add_days(base, start), end: len.map(|l| add_days(base, start + l)) };
            let today = add_days(base, today);
            let mut day = month.first_day();
            let mut some = false;
            while day <= month.last_day() && day <= today {
                let absent = day >= a.start && a.end.is_none_or(|e| day < e);
                if absent && (day - a.start).num_days() + 1 >= LIST_DAYS {
                    some = true;
                }
                day = add_days(day, 1);
            }
            prop_assert_eq!(a.on_list(month, today), some);
            if some {
                let (started_by, absent_on) = candidates(month, today).unwrap();
                prop_assert!(a.start <= started_by);
                prop_assert!(a.end.is_none_or(|e| e > absent_on));
            }
        }
    }
}
