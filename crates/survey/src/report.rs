//! The frequency report (docs/domain.md 7.4): per question and option the count, the base
//! (respondents asked, i.e. with a non-empty answer) and the percentage of the base
//! with one decimal, rounded half away from zero, in integer arithmetic.

use crate::instrument::{Instrument, Kind};
use crate::responses::Response;
use serde::Serialize;

/// The CSV header of the report.
pub const CSV_HEADER: &str = "question,option,n,base,percent";

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReportRow {
    pub question: String,
    pub option: String,
    pub n: u64,
    pub base: u64,
    /// A Likert group row (`disagree`, `neutral`, `agree`) rather than an option.
    pub group: bool,
}

impl ReportRow {
    /// The percentage in tenths (`803` is 80.3%); `None` over a base of 0.
    pub fn percent_tenths(&self) -> Option<u64> {
        percent_tenths(self.n, self.base)
    }
}

/// 100·n/base in tenths of a percent, rounded half away from zero (all values are
/// non-negative, so: half up). Integers only, so that 0.05 cases round as printed.
pub fn percent_tenths(n: u64, base: u64) -> Option<u64> {
    if base == 0 {
        return None;
    }
    // round(1000·n / base) = floor((2000·n + base) / (2·base)).
    let (n, base) = (u128::from(n), u128::from(base));
    u64::try_from((2000 * n + base) / (2 * base)).ok()
}

/// `803` → `80.3`, `1000` → `100.0`.
pub fn format_tenths(t: u64) -> String {
    format!("{}.{}", t / 10, t % 10)
}

/// The report over `responses`, questions and options in the instrument's order.
pub fn report(i: &Instrument, responses: &[Response]) -> Vec<ReportRow> {
    let mut rows = Vec::new();
    for q in &i.questions {
        let answers: Vec<&str> = responses.iter().filter_map(|r| r.get(&q.code)).collect();
        let base = answers.len() as u64;
        let row = |option: &str, n: usize, group: bool| ReportRow {
            question: q.code.clone(),
            option: option.to_owned(),
            n: n as u64,
            base,
            group,
        };
        match q.kind {
            Kind::Single => {
                for o in &q.options {
                    rows.push(row(
                        &o.code,
                        answers.iter().filter(|a| **a == o.code).count(),
                        false,
                    ));
                }
            }
            Kind::Likert => {
                for o in &i.likert.options {
                    rows.push(row(
                        &o.code,
                        answers.iter().filter(|a| **a == o.code).count(),
                        false,
                    ));
                }
                for g in &i.likert.groups {
                    let n = answers
                        .iter()
                        .filter(|a| g.values.iter().any(|v| v == *a))
                        .count();
                    rows.push(row(&g.code, n, true));
                }
            }
            Kind::Integer => {
                let values: Vec<u32> = answers.iter().filter_map(|a| a.parse().ok()).collect();
                for b in &q.buckets {
                    rows.push(row(
                        &b.code,
                        values.iter().filter(|v| b.contains(**v)).count(),
                        false,
                    ));
                }
            }
        }
    }
    rows
}

/// The mean of an integer question over those who answered it (`None` when nobody
/// did). Shown beside the buckets on the page; not a row of the CSV format.
pub fn mean(responses: &[Response], code: &str) -> Option<f64> {
    let values: Vec<f64> = responses
        .iter()
        .filter_map(|r| r.get(code)?.parse::<u32>().ok())
        .map(f64::from)
        .collect();
    (!values.is_empty()).then(|| values.iter().sum::<f64>() / values.len() as f64)
}

/// A row's `n`, `base` and `percent` as written. With `small = Some(k)`, counts from 1
/// to k − 1 (of `n` or of `base`) are shown as `<k`, and the percentage computed from
/// such a count is left empty: it would give the count back.
pub fn shown(r: &ReportRow, small: Option<u64>) -> [String; 3] {
    let hide = |x: u64| small.is_some_and(|k| (1..k).contains(&x));
    let count = |x: u64| match small {
        Some(k) if hide(x) => format!("<{k}"),
        _ => x.to_string(),
    };
    let percent = if hide(r.n) || hide(r.base) {
        String::new()
    } else {
        r.percent_tenths().map(format_tenths).unwrap_or_default()
    };
    [count(r.n), count(r.base), percent]
}

/// The report as CSV (docs/domain.md 7.4). Codes are plain (letters, digits, `_`: checked
/// when the instrument loads), so no field needs quoting or defusing.
pub fn to_csv(rows: &[ReportRow], small: Option<u64>) -> String {
    let mut out = String::with_capacity(32 * (rows.len() + 1));
    out.push_str(CSV_HEADER);
    out.push('\n');
    for r in rows {
        let [n, base, percent] = shown(r, small);
        out.push_str(&format!(
            "{},{},{n},{base},{percent}\n",
            r.question, r.option
        ));
    }
    out
}
