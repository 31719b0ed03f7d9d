//! The survey instrument as data: questions, their kinds and options, texts in four
//! languages, and routing (who is asked what).

use serde::Deserialize;
use std::collections::{BTreeMap, HashSet};
use std::sync::OnceLock;

#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
pub struct Texts {
    pub nl: String,
    pub fr: String,
    pub de: String,
    pub en: String,
}

impl Texts {
    /// The text in `lang` (nl, fr, de, en); Dutch for anything else.
    pub fn get(&self, lang: &str) -> &str {
        match lang {
            "fr" => &self.fr,
            "de" => &self.de,
            "en" => &self.en,
            _ => &self.nl,
        }
    }

    fn all(&self) -> [&str; 4] {
        [&self.nl, &self.fr, &self.de, &self.en]
    }
}

/// An answer option (or a Likert value, or an integer bucket).
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
pub struct Choice {
    pub code: String,
    #[serde(flatten)]
    pub text: Texts,
}

#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// One option code.
    Single,
    /// 1–5 on the instrument's agreement scale.
    Likert,
    /// A whole number in `min..=max`, reported in buckets.
    Integer,
}

/// A range of integer answers reported as one row.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
pub struct Bucket {
    pub code: String,
    pub min: u32,
    /// No upper end when absent.
    pub max: Option<u32>,
    #[serde(flatten)]
    pub text: Texts,
}

impl Bucket {
    pub fn contains(&self, v: u32) -> bool {
        v >= self.min && self.max.is_none_or(|m| v <= m)
    }
}

#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
pub struct Question {
    pub code: String,
    pub section: String,
    pub kind: Kind,
    pub text: Texts,
    #[serde(default)]
    pub options: Vec<Choice>,
    #[serde(default)]
    pub buckets: Vec<Bucket>,
    #[serde(default)]
    pub min: u32,
    #[serde(default)]
    pub max: u32,
    /// Asked only when, for each named question, the answer is one of the listed codes.
    #[serde(default)]
    pub asked_if: BTreeMap<String, Vec<String>>,
}

/// A Likert group row: `disagree` (1–2), `neutral` (3), `agree` (4–5).
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
pub struct Group {
    pub code: String,
    pub values: Vec<String>,
    #[serde(flatten)]
    pub text: Texts,
}

#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
pub struct Likert {
    pub options: Vec<Choice>,
    pub groups: Vec<Group>,
}

#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
pub struct Section {
    pub code: String,
    pub text: Texts,
}

#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
pub struct Instrument {
    pub id: String,
    pub version: String,
    /// The CSV column holding the respondent's id.
    pub id_column: String,
    pub likert: Likert,
    #[serde(rename = "section")]
    pub sections: Vec<Section>,
    #[serde(rename = "question")]
    pub questions: Vec<Question>,
}

#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
#[error("instrument: {0}")]
pub struct InstrumentError(pub String);

const EXPERIENCE_SURVEY_V1: &str = include_str!("../instruments/experience-survey-v1.toml");

/// The experience survey in force.
pub fn experience_survey() -> Result<&'static Instrument, InstrumentError> {
    static I: OnceLock<Result<Instrument, InstrumentError>> = OnceLock::new();
    I.get_or_init(|| Instrument::parse(EXPERIENCE_SURVEY_V1))
        .as_ref()
        .map_err(Clone::clone)
}

/// Codes travel into CSV cells, file names and HTML ids: letters, digits and `_` only
/// (so no cell can start a spreadsheet formula).
fn plain_code(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

impl Instrument {
    /// Parses and checks an instrument (codes, kinds, routing, texts).
    pub fn parse(text: &str) -> Result<Instrument, InstrumentError> {
        let i: Instrument = toml::from_str(text).map_err(|e| InstrumentError(e.to_string()))?;
        i.check()?;
        Ok(i)
    }

    pub fn question(&self, code: &str) -> Option<&Question> {
        self.questions.iter().find(|q| q.code == code)
    }

    /// The answer codes a question accepts as a routing value or reports as rows.
    pub fn option_codes<'a>(&'a self, q: &'a Question) -> Vec<&'a str> {
        match q.kind {
            Kind::Single => q.options.iter().map(|o| o.code.as_str()).collect(),
            Kind::Likert => self
                .likert
                .options
                .iter()
                .map(|o| o.code.as_str())
                .collect(),
            Kind::Integer => q.buckets.iter().map(|b| b.code.as_str()).collect(),
        }
    }

    /// Is `q` asked of a respondent with these answers? (`answer` gives a question's
    /// answer, `None` when empty.)
    pub fn asked<'a>(&self, q: &Question, answer: impl Fn(&str) -> Option<&'a str>) -> bool {
        q.asked_if
            .iter()
            .all(|(code, allowed)| answer(code).is_some_and(|v| allowed.iter().any(|a| a == v)))
    }

    /// The routing of `q` in words, for error messages.
    pub fn routing_text(&self, q: &Question) -> String {
        q.asked_if
            .iter()
            .map(|(code, allowed)| format!("`{code}` is {}", allowed.join(" or ")))
            .collect::<Vec<_>>()
            .join(" and ")
    }

    fn check(&self) -> Result<(), InstrumentError> {
        let err = |m: String| Err(InstrumentError(format!("{}: {m}", self.version)));
        if !plain_code(&self.id_column) {
            return err(format!(
                "id column `{}` is not a plain code",
                self.id_column
            ));
        }
        let likert: Vec<&str> = self
            .likert
            .options
            .iter()
            .map(|o| o.code.as_str())
            .collect();
        if likert != ["1", "2", "3", "4", "5"] {
            return err("the Likert scale must be 1–5".into());
        }
        let mut grouped: Vec<&str> = Vec::new();
        for g in &self.likert.groups {
            grouped.extend(g.values.iter().map(String::as_str));
        }
        grouped.sort_unstable();
        if grouped != likert {
            return err("the Likert groups must cover 1–5 once each".into());
        }
        let sections: HashSet<&str> = self.sections.iter().map(|s| s.code.as_str()).collect();
        let mut seen: HashSet<&str> = HashSet::new();
        seen.insert(&self.id_column);
        let texts = |t: &Texts| t.all().iter().all(|s| !s.trim().is_empty());
        for g in &self.likert.groups {
            if !texts(&g.text) {
                return err(format!("group `{}` lacks a text", g.code));
            }
        }
        for o in &self.likert.options {
            if !texts(&o.text) {
                return err(format!("Likert value `{}` lacks a text", o.code));
            }
        }
        for q in &self.questions {
            let c = q.code.as_str();
            if !plain_code(c) || !seen.insert(c) {
                return err(format!("question code `{c}` is not plain or not unique"));
            }
            if !sections.contains(q.section.as_str()) {
                return err(format!("`{c}`: unknown section `{}`", q.section));
            }
            if !texts(&q.text) {
                return err(format!("`{c}` lacks a text"));
            }
            match q.kind {
                Kind::Single => {
                    let mut codes = HashSet::new();
                    if q.options.is_empty() || !q.buckets.is_empty() {
                        return err(format!("`{c}`: a single choice has options only"));
                    }
                    for o in &q.options {
                        if !plain_code(&o.code) || !codes.insert(&o.code) || !texts(&o.text) {
                            return err(format!(
                                "`{c}`: option `{}` is not plain, unique and labelled",
                                o.code
                            ));
                        }
                    }
                }
                Kind::Likert => {
                    if !q.options.is_empty() || !q.buckets.is_empty() {
                        return err(format!("`{c}`: a Likert question uses the scale"));
                    }
                }
                Kind::Integer => {
                    if !q.options.is_empty() || q.min > q.max {
                        return err(format!("`{c}`: an integer has min ≤ max and buckets"));
                    }
                    // Every allowed value falls in exactly one bucket.
                    let mut next = q.min;
                    for (k, b) in q.buckets.iter().enumerate() {
                        let last = k + 1 == q.buckets.len();
                        if b.min != next || !plain_code(&b.code) || !texts(&b.text) {
                            return err(format!("`{c}`: bucket `{}` must start at {next}", b.code));
                        }
                        match b.max {
                            Some(m) if m >= b.min && (!last || m >= q.max) => next = m + 1,
                            None if last => next = u32::MAX,
                            _ => return err(format!("`{c}`: bucket `{}` ends wrongly", b.code)),
                        }
                    }
                    if q.buckets.is_empty() {
                        return err(format!("`{c}`: no buckets"));
                    }
                }
            }
            for (on, values) in &q.asked_if {
                // Routing only looks back, so a respondent's path is decided in order.
                let Some(prev) = self
                    .questions
                    .iter()
                    .take_while(|p| p.code != q.code)
                    .find(|p| p.code == *on)
                else {
                    return err(format!(
                        "`{c}` is routed on `{on}`, which is not asked before it"
                    ));
                };
                if prev.kind == Kind::Integer {
                    return err(format!("`{c}`: routing on an integer is not supported"));
                }
                let codes = self.option_codes(prev);
                if let Some(v) = values.iter().find(|v| !codes.contains(&v.as_str())) {
                    return err(format!("`{c}`: `{on}` has no answer `{v}`"));
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_experience_survey_loads_with_the_fixed_codes() {
        let i = experience_survey().unwrap();
        assert_eq!(i.version, "experience-survey-v1");
        assert_eq!(i.id_column, "respondent");
        let fixed = [
            "coached",
            "no_contact_reason",
            "initiative",
            "contacts",
            "helped",
            "q_heard",
            "q_understood",
            "q_info_needed",
            "q_info_clear",
            "q_info_helped",
            "q_needs_considered",
            "q_right_referral",
            "q_free_to_decide",
            "q_good_conditions",
            "q_enough_time",
            "back_at_work",
            "authorised_activity",
            "adaptations_needed",
            "ease",
            "difficulty",
            "sex",
            "region",
            "category",
            "condition",
        ];
        for code in fixed {
            assert!(i.question(code).is_some(), "{code}");
        }
        let codes = |c: &str| i.option_codes(i.question(c).unwrap()).join(",");
        assert_eq!(
            codes("coached"),
            "never,stopped_first,stopped_some,referred,ongoing"
        );
        assert_eq!(
            codes("no_contact_reason"),
            "health,not_invited,not_informed,via_employer_or_occupational_physician,on_own,not_ready,already_working,other"
        );
        assert_eq!(codes("initiative"), "own,advisory_doctor");
        assert_eq!(codes("back_at_work"), "no,part_time,full_time");
        assert_eq!(codes("sex"), "m,f");
        assert_eq!(codes("region"), "flanders,wallonia,brussels,abroad");
        assert_eq!(codes("category"), "none,1,3,4");
        assert_eq!(
            codes("condition"),
            "mental,musculoskeletal,injury,cancer,nervous,other"
        );
        for c in ["helped", "q_heard", "q_enough_time", "ease", "difficulty"] {
            assert_eq!(i.question(c).unwrap().kind, Kind::Likert, "{c}");
        }
        assert_eq!(i.question("contacts").unwrap().kind, Kind::Integer);
        let routed = |c: &str| i.routing_text(i.question(c).unwrap());
        assert_eq!(routed("no_contact_reason"), "`coached` is never");
        assert_eq!(
            routed("q_heard"),
            "`coached` is stopped_first or stopped_some or referred or ongoing"
        );
        assert_eq!(routed("ease"), "`back_at_work` is part_time or full_time");
        assert_eq!(routed("sex"), "");
    }

    #[test]
    fn every_text_in_every_language() {
        let i = experience_survey().unwrap();
        for q in &i.questions {
            for l in ["nl", "fr", "de", "en"] {
                assert!(!q.text.get(l).is_empty(), "{} {l}", q.code);
            }
        }
        assert_eq!(i.likert.options[0].text.get("fr"), "pas du tout d'accord");
    }

    #[test]
    fn bad_instruments_are_refused() {
        let base = EXPERIENCE_SURVEY_V1;
        for (from, to, why) in [
            (
                "asked_if = { coached = [\"never\"] }",
                "asked_if = { coached = [\"nope\"] }",
                "no answer",
            ),
            (
                "asked_if = { helped = [\"4\", \"5\"] }",
                "asked_if = { refusal_reason = [\"other\"] }",
                "not asked before",
            ),
            ("code = \"sex\"", "code = \"region\"", "not unique"),
            (
                "{ code = \"4_5\", min = 4, max = 5,",
                "{ code = \"4_5\", min = 4, max = 6,",
                "start at",
            ),
            ("code = \"q_heard\"", "code = \"q-heard\"", "not plain"),
        ] {
            assert!(base.contains(from), "{from}");
            let text = base.replacen(from, to, 1);
            let e = Instrument::parse(&text).unwrap_err();
            assert!(e.0.contains(why), "{why}: {e}");
        }
    }
}
