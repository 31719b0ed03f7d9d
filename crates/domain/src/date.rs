//! Calendar arithmetic of the rule sets: calendar months with end-of-month clamping,
//! weeks, days and Belgian working days.

use chrono::{Datelike, Days, Months, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

pub use chrono::NaiveDate as Date;

/// Earliest and latest dates accepted in any event: anything outside is a typo.
pub const MIN_DATE: NaiveDate = match NaiveDate::from_ymd_opt(1990, 1, 1) {
    Some(d) => d,
    None => panic!("valid constant"),
};
pub const MAX_DATE: NaiveDate = match NaiveDate::from_ymd_opt(2100, 12, 31) {
    Some(d) => d,
    None => panic!("valid constant"),
};

/// Parses exactly `YYYY-MM-DD` into a real calendar date between [`MIN_DATE`] and
/// [`MAX_DATE`].
pub fn parse_date(s: &str) -> Result<NaiveDate, String> {
    parse_date_between(s, MIN_DATE, MAX_DATE)
}

/// Parses exactly `YYYY-MM-DD` into a real calendar date within `min..=max`.
pub fn parse_date_between(s: &str, min: NaiveDate, max: NaiveDate) -> Result<NaiveDate, String> {
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| -> Option<u32> {
        b.get(r)?.iter().try_fold(0u32, |acc, c| {
            c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0'))
        })
    };
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return Err(format!("`{s}` is not a date in the form YYYY-MM-DD"));
    }
    let (Some(y), Some(m), Some(d)) = (digits(0..4), digits(5..7), digits(8..10)) else {
        return Err(format!("`{s}` is not a date in the form YYYY-MM-DD"));
    };
    let date = NaiveDate::from_ymd_opt(y as i32, m, d)
        .ok_or_else(|| format!("{s} is not a real calendar date"))?;
    if !(min..=max).contains(&date) {
        return Err(format!("{s} is outside the accepted range {min} … {max}"));
    }
    Ok(date)
}

/// Adds calendar months; a day that does not exist in the target month becomes that
/// month's last day (31 January + 1 month = 28/29 February), as docs/domain.md 3 requires.
pub fn add_months(d: NaiveDate, months: i32) -> NaiveDate {
    let r = if months >= 0 {
        d.checked_add_months(Months::new(months.unsigned_abs()))
    } else {
        d.checked_sub_months(Months::new(months.unsigned_abs()))
    };
    r.unwrap_or(if months >= 0 {
        NaiveDate::MAX
    } else {
        NaiveDate::MIN
    })
}

pub fn add_days(d: NaiveDate, days: i64) -> NaiveDate {
    let r = if days >= 0 {
        d.checked_add_days(Days::new(days.unsigned_abs()))
    } else {
        d.checked_sub_days(Days::new(days.unsigned_abs()))
    };
    r.unwrap_or(if days >= 0 {
        NaiveDate::MAX
    } else {
        NaiveDate::MIN
    })
}

/// Easter Sunday (Gregorian, anonymous algorithm).
pub fn easter(year: i32) -> NaiveDate {
    let a = year % 19;
    let b = year / 100;
    let c = year % 100;
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    NaiveDate::from_ymd_opt(year, month as u32, day as u32).unwrap_or(NaiveDate::MIN)
}

/// The ten Belgian legal public holidays (law of 4 January 1974): New Year, Easter
/// Monday, Labour Day, Ascension, Whit Monday, National Day, Assumption, All Saints,
/// Armistice, Christmas. Community and sector holidays are not legal holidays.
pub fn is_belgian_holiday(d: NaiveDate) -> bool {
    let fixed = matches!(
        (d.month(), d.day()),
        (1, 1) | (5, 1) | (7, 21) | (8, 15) | (11, 1) | (11, 11) | (12, 25)
    );
    if fixed {
        return true;
    }
    let e = easter(d.year());
    [1, 39, 50].iter().any(|&o| add_days(e, o) == d)
}

/// A working day: not a Saturday, Sunday or Belgian legal holiday.
pub fn is_working_day(d: NaiveDate) -> bool {
    !matches!(d.weekday(), Weekday::Sat | Weekday::Sun) && !is_belgian_holiday(d)
}

/// Moves `n` working days from `d` (n > 0 forward, n < 0 backward, 0 = `d`).
/// "The 30th working day after X" is `add_working_days(X, 30)`; "the working day
/// before X" is `add_working_days(X, -1)`.
pub fn add_working_days(d: NaiveDate, n: i32) -> NaiveDate {
    let step: i64 = if n >= 0 { 1 } else { -1 };
    let mut left = n.unsigned_abs();
    let mut cur = d;
    while left > 0 {
        cur = add_days(cur, step);
        if cur == NaiveDate::MAX || cur == NaiveDate::MIN {
            return cur;
        }
        if is_working_day(cur) {
            left -= 1;
        }
    }
    cur
}

/// One term of an offset: `3m`, `-1d`, `2w`, `30wd` (working days).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Term {
    Days(i32),
    Weeks(i32),
    Months(i32),
    WorkingDays(i32),
}

/// A date offset written as terms applied left to right, e.g. `4m-1d` (start + 4
/// months − 1 day) or `63d`. `0d` is the anchor date itself.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Offset(pub Vec<Term>);

impl Offset {
    pub fn apply(&self, d: NaiveDate) -> NaiveDate {
        self.0.iter().fold(d, |acc, t| match *t {
            Term::Days(n) => add_days(acc, i64::from(n)),
            Term::Weeks(n) => add_days(acc, 7 * i64::from(n)),
            Term::Months(n) => add_months(acc, n),
            Term::WorkingDays(n) => add_working_days(acc, n),
        })
    }
}

impl FromStr for Offset {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let s = s.trim();
        let bad = || format!("`{s}` is not an offset like `63d`, `4m-1d`, `2w` or `30wd`");
        let mut terms = Vec::new();
        let mut rest = s.strip_prefix('+').unwrap_or(s);
        if rest.is_empty() {
            return Err(bad());
        }
        while !rest.is_empty() {
            let (neg, r) = match rest.as_bytes()[0] {
                b'-' => (true, &rest[1..]),
                b'+' => (false, &rest[1..]),
                _ if terms.is_empty() => (false, rest),
                _ => return Err(bad()),
            };
            let n_len = r.bytes().take_while(u8::is_ascii_digit).count();
            if n_len == 0 || n_len > 5 {
                return Err(bad());
            }
            let n: i32 = r[..n_len].parse().map_err(|_| bad())?;
            let n = if neg { -n } else { n };
            let r = &r[n_len..];
            let (term, r) = if let Some(r) = r.strip_prefix("wd") {
                (Term::WorkingDays(n), r)
            } else if let Some(r) = r.strip_prefix('d') {
                (Term::Days(n), r)
            } else if let Some(r) = r.strip_prefix('w') {
                (Term::Weeks(n), r)
            } else if let Some(r) = r.strip_prefix('m') {
                (Term::Months(n), r)
            } else if let Some(r) = r.strip_prefix('y') {
                (Term::Months(12 * n), r)
            } else {
                return Err(bad());
            };
            terms.push(term);
            rest = r;
        }
        Ok(Offset(terms))
    }
}

impl fmt::Display for Offset {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, t) in self.0.iter().enumerate() {
            let (n, unit) = match *t {
                Term::Days(n) => (n, "d"),
                Term::Weeks(n) => (n, "w"),
                Term::Months(n) => (n, "m"),
                Term::WorkingDays(n) => (n, "wd"),
            };
            if i > 0 && n >= 0 {
                write!(f, "+")?;
            }
            write!(f, "{n}{unit}")?;
        }
        Ok(())
    }
}

impl Serialize for Offset {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Offset {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(s: &str) -> NaiveDate {
        parse_date(s).unwrap()
    }

    #[test]
    fn strict_dates() {
        assert!(parse_date("2023-02-30").unwrap_err().contains("not a real"));
        assert!(parse_date("2023-2-3").is_err());
        assert!(parse_date("2023-02-03T00").is_err());
        assert!(parse_date("1989-12-31").unwrap_err().contains("outside"));
        assert_eq!(
            d("2024-02-29"),
            NaiveDate::from_ymd_opt(2024, 2, 29).unwrap()
        );
        assert!(parse_date("2023-02-29").is_err());
        assert!(parse_date("２０２３-01-01").is_err());
    }

    #[test]
    fn month_end_clamping_and_leap_years() {
        assert_eq!(add_months(d("2023-01-31"), 1), d("2023-02-28"));
        assert_eq!(add_months(d("2024-01-31"), 1), d("2024-02-29"));
        assert_eq!(add_months(d("2023-08-31"), 1), d("2023-09-30"));
        assert_eq!(add_months(d("2024-02-29"), 12), d("2025-02-28"));
        // start + 4 months − 1 day
        let o: Offset = "4m-1d".parse().unwrap();
        assert_eq!(o.apply(d("2023-01-31")), d("2023-05-30"));
        assert_eq!(o.apply(d("2023-10-31")), d("2024-02-28"));
        assert_eq!(o.apply(d("2023-10-30")), d("2024-02-28"));
    }

    #[test]
    fn easter_and_holidays() {
        assert_eq!(easter(2024), d("2024-03-31"));
        assert_eq!(easter(2025), d("2025-04-20"));
        assert_eq!(easter(2026), d("2026-04-05"));
        assert!(is_belgian_holiday(d("2025-04-21"))); // Easter Monday
        assert!(is_belgian_holiday(d("2025-05-29"))); // Ascension
        assert!(is_belgian_holiday(d("2025-06-09"))); // Whit Monday
        assert!(is_belgian_holiday(d("2025-07-21")));
        assert!(!is_belgian_holiday(d("2025-07-11"))); // Flemish community day: not legal
        assert!(!is_working_day(d("2025-11-11")));
        assert!(is_working_day(d("2025-11-12")));
    }

    #[test]
    fn working_days() {
        // Friday 2025-10-31, Saturday, Sunday, Monday 3 Nov (1 Nov holiday is a Saturday).
        assert_eq!(add_working_days(d("2025-10-31"), 1), d("2025-11-03"));
        // Monday 10 Nov 2025 → Tue 11 Nov is Armistice → Wed 12 Nov.
        assert_eq!(add_working_days(d("2025-11-10"), 1), d("2025-11-12"));
        // the working day before Monday 22 Dec 2025 is Friday 19 Dec.
        assert_eq!(add_working_days(d("2025-12-22"), -1), d("2025-12-19"));
        // 30 working days after 1 Dec 2025: holidays 25 Dec and 1 Jan skipped.
        assert_eq!(add_working_days(d("2025-12-01"), 30), d("2026-01-14"));
    }

    #[test]
    fn offsets_parse_and_print() {
        for s in ["63d", "4m-1d", "2w", "30wd", "-1wd", "0d", "12m", "1y"] {
            let o: Offset = s.parse().unwrap();
            let again: Offset = o.to_string().parse().unwrap();
            assert_eq!(o, again, "{s}");
        }
        for s in ["", "3", "m", "3x", "3m--1d", "1000000d"] {
            assert!(s.parse::<Offset>().is_err(), "{s}");
        }
    }

    proptest! {
        #[test]
        fn month_addition_clamps_and_stays_in_target_month(y in 1990i32..2090, m in 1u32..=12, day in 1u32..=31, k in 0i32..40) {
            prop_assume!(NaiveDate::from_ymd_opt(y, m, day).is_some());
            let start = NaiveDate::from_ymd_opt(y, m, day).unwrap();
            let r = add_months(start, k);
            let months = (r.year() - y) * 12 + r.month() as i32 - m as i32;
            prop_assert_eq!(months, k);
            prop_assert!(r.day() <= day);
            if r.day() < day {
                // clamped: must be the last day of its month
                prop_assert_eq!(add_days(r, 1).day(), 1);
            }
        }

        #[test]
        fn working_day_steps_land_on_working_days(y in 2000i32..2080, ord in 1u32..=365, n in -60i32..60) {
            let start = NaiveDate::from_yo_opt(y, ord).unwrap();
            let r = add_working_days(start, n);
            if n != 0 { prop_assert!(is_working_day(r)); }
            if n > 0 { prop_assert!(r > start); }
            if n < 0 { prop_assert!(r < start); }
        }
    }
}
