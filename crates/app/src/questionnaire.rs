//! The quick scan as versioned data (`instruments/quick-scan-v1.toml`): questions,
//! options and texts in four languages, and routing (who is asked what). Answers are
//! checked here, partially while a member fills them in and completely when sent.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::OnceLock;

#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct Texts {
    pub nl: String,
    pub fr: String,
    pub de: String,
    pub en: String,
}

impl Texts {
    pub fn get(&self, lang: &str) -> &str {
        match lang {
            "fr" => &self.fr,
            "de" => &self.de,
            "en" => &self.en,
            _ => &self.nl,
        }
    }
}

#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct Choice {
    pub code: String,
    #[serde(flatten)]
    pub text: Texts,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Single,
    Multi,
    Text,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct Question {
    pub code: String,
    pub kind: Kind,
    pub text: Texts,
    #[serde(default)]
    pub options: Vec<Choice>,
    /// Asked only when each named question's answer is one of the listed codes.
    #[serde(default)]
    pub asked_if: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    pub optional: bool,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct Instrument {
    pub id: String,
    pub version: String,
    #[serde(rename = "question")]
    pub questions: Vec<Question>,
}

/// Longest free-text answer.
pub const MAX_TEXT: usize = 2000;

const QUICK_SCAN: &str = include_str!("../instruments/quick-scan-v1.toml");

/// The quick scan in force.
pub fn quick_scan() -> Result<&'static Instrument, String> {
    static I: OnceLock<Result<Instrument, String>> = OnceLock::new();
    I.get_or_init(|| toml::from_str(QUICK_SCAN).map_err(|e| format!("quick scan: {e}")))
        .as_ref()
        .map_err(Clone::clone)
}

pub type Answers = serde_json::Map<String, serde_json::Value>;

impl Instrument {
    /// Is `q` asked, given the answers so far?
    pub fn asked(&self, q: &Question, a: &Answers) -> bool {
        q.asked_if.iter().all(|(code, allowed)| {
            a.get(code)
                .and_then(|v| v.as_str())
                .is_some_and(|v| allowed.iter().any(|x| x == v))
        })
    }

    /// Checks answers: every answer belongs to a question that is asked, with a valid
    /// value; with `complete`, every asked, non-optional question is answered.
    /// The `instrument` key names the version and is allowed.
    pub fn check(&self, a: &Answers, complete: bool) -> Result<(), String> {
        for (code, v) in a {
            if code == "instrument" {
                if v.as_str() != Some(self.version.as_str()) {
                    return Err(format!("`instrument` must be {}", self.version));
                }
                continue;
            }
            let q = self
                .questions
                .iter()
                .find(|q| q.code == *code)
                .ok_or_else(|| format!("`{code}` is not a question of {}", self.version))?;
            if !self.asked(q, a) {
                return Err(format!("`{code}` is not asked with these answers"));
            }
            let valid = |s: &str| q.options.iter().any(|o| o.code == s);
            match (q.kind, v) {
                (Kind::Single, serde_json::Value::String(s)) if valid(s) => {}
                (Kind::Multi, serde_json::Value::Array(items))
                    if items.iter().all(|i| i.as_str().is_some_and(valid)) => {}
                (Kind::Text, serde_json::Value::String(s))
                    if s.chars().count() <= MAX_TEXT
                        && !s.chars().any(|c| c.is_control() && c != '\n' && c != '\r') => {}
                _ => return Err(format!("`{code}`: not a valid answer")),
            }
        }
        if complete {
            if let Some(q) = self
                .questions
                .iter()
                .find(|q| !q.optional && self.asked(q, a) && !a.contains_key(&q.code))
            {
                return Err(format!("`{}` is not answered yet", q.code));
            }
        }
        Ok(())
    }

    /// Answers from a submitted form (`code` → value; several values for multi).
    pub fn from_form(&self, fields: &[(String, String)]) -> Answers {
        let mut a = Answers::new();
        for q in &self.questions {
            let values: Vec<&str> = fields
                .iter()
                .filter(|(k, v)| *k == q.code && !v.trim().is_empty())
                .map(|(_, v)| v.trim())
                .collect();
            match q.kind {
                Kind::Multi if !values.is_empty() => {
                    a.insert(q.code.clone(), serde_json::json!(values));
                }
                Kind::Single | Kind::Text if !values.is_empty() => {
                    a.insert(q.code.clone(), serde_json::json!(values[0]));
                }
                _ => {}
            }
        }
        // Answers to questions no longer asked (an earlier answer changed) are dropped.
        let snapshot = a.clone();
        a.retain(|code, _| {
            self.questions
                .iter()
                .find(|q| q.code == *code)
                .is_some_and(|q| self.asked(q, &snapshot))
        });
        a
    }
}

impl App {
    /// The quick-scan form of dossier `id` for `p` (an audited read), with its draft.
    pub fn open_quick_scan(
        &self,
        p: &Principal,
        id: &str,
        today: Date,
        lang: &str,
    ) -> Result<QuickScanForm, DossierError> {
        self.primary_as(p, |st, book| open(st, book, p, id, today, lang))
    }

    /// Saves what is filled in so far.
    pub fn save_quick_scan_draft(
        &self,
        p: &Principal,
        id: &str,
        fields: &[(String, String)],
        today: Date,
        now: i64,
    ) -> Result<Answers, DossierError> {
        self.primary_as(p, |st, _| save_draft(st, p, id, fields, today, now))
    }

    /// Sends the quick scan: complete answers become the dossier's event.
    pub fn send_quick_scan(
        &self,
        p: &Principal,
        id: &str,
        fields: &[(String, String)],
        today: Date,
    ) -> Result<(), DossierError> {
        self.primary_as(p, |st, book| send(st, book, p, id, fields, today))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn answers(v: serde_json::Value) -> Answers {
        v.as_object().unwrap().clone()
    }

    #[test]
    fn the_instrument_loads_with_texts_in_every_language() {
        let i = quick_scan().unwrap();
        assert_eq!(i.version, "quick-scan-v1");
        for q in &i.questions {
            for l in ["nl", "fr", "de", "en"] {
                assert!(!q.text.get(l).is_empty(), "{} {l}", q.code);
                for o in &q.options {
                    assert!(!o.text.get(l).is_empty(), "{} {} {l}", q.code, o.code);
                }
            }
            assert_eq!(q.options.is_empty(), q.kind == Kind::Text, "{}", q.code);
        }
    }

    #[test]
    fn routing_partial_and_complete_answers() {
        let i = quick_scan().unwrap();
        let partial = answers(json!({"health_now": "fair", "has_job": "no"}));
        assert!(i.check(&partial, false).is_ok());
        assert!(i
            .check(&partial, true)
            .unwrap_err()
            .contains("not answered"));
        let routed = answers(json!({"has_job": "no", "own_job": "yes"}));
        assert!(i.check(&routed, false).unwrap_err().contains("not asked"));
        let full = answers(
            json!({"instrument": "quick-scan-v1", "health_now": "fair", "has_job": "yes", "own_job": "partly",
            "expected_return": "1_3m", "barriers": ["pain", "fatigue"], "support": "yes"}),
        );
        assert!(i.check(&full, true).is_ok(), "{:?}", i.check(&full, true));
        for bad in [
            json!({"health_now": "great"}),
            json!({"barriers": "pain"}),
            json!({"barriers": ["pain", "x"]}),
            json!({"colour": "red"}),
            json!({"comment": "a\u{7}b"}),
        ] {
            assert!(i.check(&answers(bad.clone()), false).is_err(), "{bad}");
        }
    }

    #[test]
    fn form_fields_become_answers_and_unasked_ones_drop() {
        let i = quick_scan().unwrap();
        let f = |k: &str, v: &str| (k.to_owned(), v.to_owned());
        let a = i.from_form(&[
            f("has_job", "no"),
            f("own_job", "yes"),
            f("barriers", "pain"),
            f("barriers", "commute"),
            f("comment", " "),
        ]);
        assert_eq!(
            serde_json::Value::Object(a),
            json!({"has_job": "no", "barriers": ["pain", "commute"]})
        );
    }
}

/// The quick scan of one dossier as a form: the draft so far, or that it was sent.
#[derive(Debug, Clone)]
pub struct QuickScanForm {
    pub case: String,
    pub instrument: &'static Instrument,
    pub answers: Answers,
    /// The dossier allows a quick scan to be returned now (one was sent, none returned).
    pub open: bool,
}

use crate::access::{may_record, Principal};
use crate::dossier::reading::access_context;
use crate::dossier::recording::RecordStore;
use crate::dossier::DossierError;
use crate::handle::App;
use tnw_domain::{CaseKey, Date, Event, RuleBook};
use tnw_storage::{CaseStore, DraftStore};

fn instrument() -> Result<&'static Instrument, DossierError> {
    quick_scan().map_err(|e| DossierError::App(crate::AppError::Config(e)))
}

/// Loads the dossier and checks that `p` may return its quick scan (member: their own;
/// coordinator or paramedic: assisted). Returns its key.
fn authorise<S: CaseStore + ?Sized>(
    store: &mut S,
    p: &Principal,
    id: &str,
    today: Date,
) -> Result<CaseKey, DossierError> {
    let keys = CaseKey::candidates(id);
    let Some(case) = store
        .load_cases(&p.org, &keys)?
        .into_iter()
        .flatten()
        .next()
    else {
        return Err(DossierError::NotFound);
    };
    let ctx = access_context(&case, today)?;
    let probe = Event::QuickScanReturned {
        answers: Answers::new(),
    };
    may_record(p, &ctx, &probe)?;
    Ok(case.key)
}

/// The form: read as `p` may see the dossier (an audited read), with the saved draft.
pub fn open<S: CaseStore + DraftStore + ?Sized>(
    store: &mut S,
    book: &RuleBook,
    p: &Principal,
    id: &str,
    today: Date,
    lang: &str,
) -> Result<QuickScanForm, DossierError> {
    let i = instrument()?;
    let view = crate::dossier::view_case(store, book, p, id, today, lang)?;
    let key = authorise(store, p, id, today)?;
    let answers = match store.load_draft(&p.org, &key, &i.version)? {
        Some(text) => serde_json::from_str::<Answers>(&text)
            .map_err(|e| DossierError::App(crate::AppError::Corrupt(format!("draft: {e}"))))?,
        None => Answers::new(),
    };
    Ok(QuickScanForm {
        case: view.case.clone(),
        instrument: i,
        answers,
        open: view
            .recordable
            .contains(&tnw_domain::EventType::QuickScanReturned),
    })
}

/// Saves what is filled in so far (checked, but it need not be complete).
pub fn save_draft<S: CaseStore + DraftStore + ?Sized>(
    store: &mut S,
    p: &Principal,
    id: &str,
    fields: &[(String, String)],
    today: Date,
    now: i64,
) -> Result<Answers, DossierError> {
    let i = instrument()?;
    let key = authorise(store, p, id, today)?;
    let answers = i.from_form(fields);
    i.check(&answers, false).map_err(DossierError::BadRequest)?;
    let text = serde_json::Value::Object(answers.clone()).to_string();
    store.save_draft(&p.org, &key, &i.version, &text, now)?;
    Ok(answers)
}

/// Sends the quick scan once: complete answers become the dossier's
/// `quick_scan_returned` event (validated and audited like any write); the draft goes.
pub fn send<S: RecordStore + DraftStore + ?Sized>(
    store: &mut S,
    book: &RuleBook,
    p: &Principal,
    id: &str,
    fields: &[(String, String)],
    today: Date,
) -> Result<(), DossierError> {
    let i = instrument()?;
    let key = authorise(store, p, id, today)?;
    let mut answers = i.from_form(fields);
    answers.insert(
        "instrument".into(),
        serde_json::Value::from(i.version.clone()),
    );
    i.check(&answers, true)
        .map_err(DossierError::Unprocessable)?;
    let body = serde_json::json!({
        "type": "quick_scan_returned",
        "date": today.to_string(),
        "answers": answers,
    });
    crate::dossier::record_event(store, book, p, id, &body, today)?;
    store.delete_draft(&p.org, &key, &i.version)?;
    Ok(())
}
