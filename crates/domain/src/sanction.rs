//! The benefit cut a rule set attaches to invitations the member ignores without a
//! valid reason. It is data of the set, like its deadlines, so that every text that
//! mentions it (letters above all) takes the figures from here and cannot drift.

use serde::Deserialize;

/// A cut of the daily benefit.
#[derive(Debug, Clone, PartialEq)]
pub struct Sanction {
    /// The share of the daily benefit that may be withheld, in percent.
    pub percent: f64,
    /// How many invitations ignored without a valid reason before it may apply
    /// (1: the first one).
    pub after_ignored: u8,
    /// The task codes of the set whose invitations count (`first_contact` …).
    pub tasks: Vec<String>,
    pub source: String,
}

impl Sanction {
    /// Whether ignoring the invitation of task `code` can lead to the cut.
    pub fn covers(&self, code: &str) -> bool {
        self.tasks.iter().any(|t| t == code)
    }

    /// The percentage as written in a text, with `decimal` as the decimal sign
    /// (`2,5` in Dutch, `2.5` in English; whole numbers without decimals).
    pub fn percent_text(&self, decimal: &str) -> String {
        let hundredths = (self.percent * 100.0).round() as i64;
        let (whole, rest) = (hundredths / 100, hundredths % 100);
        match rest {
            0 => whole.to_string(),
            r if r % 10 == 0 => format!("{whole}{decimal}{}", r / 10),
            r => format!("{whole}{decimal}{r:02}"),
        }
    }
}

#[derive(Deserialize, Clone)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawSanction {
    percent: f64,
    after_ignored: u8,
    tasks: Vec<String>,
    source: String,
}

impl RawSanction {
    /// Checks the sanction against the set's task codes (`task_codes`).
    pub(crate) fn resolve(self, task_codes: &[&str]) -> Result<Sanction, String> {
        let p = self.percent;
        if !(p > 0.0 && p <= 100.0) {
            return Err(format!("sanction: percent {p} is not in (0, 100]"));
        }
        if ((p * 100.0).round() - p * 100.0).abs() > 1e-9 {
            return Err(format!("sanction: percent {p} has more than two decimals"));
        }
        if self.after_ignored == 0 {
            return Err("sanction: after_ignored must be at least 1".into());
        }
        if self.tasks.is_empty() {
            return Err("sanction: name the tasks whose invitations count".into());
        }
        if let Some(t) = self
            .tasks
            .iter()
            .find(|t| !task_codes.contains(&t.as_str()))
        {
            return Err(format!("sanction: `{t}` is not a task of the set"));
        }
        if self.source.trim().is_empty() {
            return Err("sanction: a source is required".into());
        }
        Ok(Sanction {
            percent: p,
            after_ignored: self.after_ignored,
            tasks: self.tasks,
            source: self.source,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(percent: f64, after: u8, tasks: &[&str]) -> RawSanction {
        RawSanction {
            percent,
            after_ignored: after,
            tasks: tasks.iter().map(|t| t.to_string()).collect(),
            source: "s".into(),
        }
    }

    #[test]
    fn percentages_are_written_as_people_write_them() {
        let s = |p| raw(p, 1, &["t"]).resolve(&["t"]).unwrap();
        assert_eq!(s(2.5).percent_text(","), "2,5");
        assert_eq!(s(2.5).percent_text("."), "2.5");
        assert_eq!(s(10.0).percent_text(","), "10");
        assert_eq!(s(0.25).percent_text(","), "0,25");
        assert_eq!(s(100.0).percent_text(","), "100");
    }

    #[test]
    fn bad_sanctions_are_refused_with_the_reason() {
        let cases = [
            (raw(0.0, 1, &["t"]), "not in"),
            (raw(101.0, 1, &["t"]), "not in"),
            (raw(2.555, 1, &["t"]), "two decimals"),
            (raw(2.5, 0, &["t"]), "at least 1"),
            (raw(2.5, 1, &[]), "name the tasks"),
            (raw(2.5, 1, &["x"]), "not a task"),
        ];
        for (r, expect) in cases {
            let e = r.resolve(&["t"]).unwrap_err();
            assert!(e.contains(expect), "{e}");
        }
        assert!(raw(2.5, 2, &["t"]).resolve(&["t"]).unwrap().covers("t"));
    }
}
