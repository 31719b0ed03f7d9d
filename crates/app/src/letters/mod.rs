//! Letters to members from versioned templates (`letters/letters-v2.toml`), in the
//! member's language. What a letter claims — deadlines, the benefit cut, who reads
//! the answers — comes from the rule set that judges the dossier and from the access
//! policy (`claims`, `readers`), never from the template (docs/letters.md). The
//! application renders them as print-ready pages; sending one records a `letter_sent`
//! event in the dossier.

mod claims;
mod readers;
#[cfg(test)]
mod tests;

pub use claims::{claims, Claims, DossierFacts};
pub use readers::{answer_readers, AnswerReaders};

use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::OnceLock;
use tnw_domain::event::{EventType, LetterKind, Scheme};
use tnw_domain::Date;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct Template {
    title: String,
    greeting: String,
    paragraphs: Vec<String>,
    closing: String,
}

/// The sentences the placeholders are made of, per language.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct Phrases {
    decimal: String,
    and: String,
    or: String,
    return_by: String,
    sanction_first: String,
    sanction_after: String,
    voluntary: String,
    readers: String,
    readers_sep: String,
    readers_always: String,
    readers_consent: String,
    readers_until_sent: String,
    /// How a letter names each role (`advisory_doctor` → "the advisory doctor of your
    /// fund").
    roles: HashMap<String, String>,
}

#[derive(Debug, Deserialize)]
struct File {
    version: String,
    phrases: HashMap<String, Phrases>,
    #[serde(flatten)]
    letters: HashMap<String, HashMap<String, Template>>,
}

const LETTERS: &str = include_str!("../../letters/letters-v2.toml");

fn templates() -> Result<&'static File, String> {
    static FILE: OnceLock<Result<File, String>> = OnceLock::new();
    FILE.get_or_init(|| toml::from_str(LETTERS).map_err(|e| e.to_string()))
        .as_ref()
        .map_err(Clone::clone)
}

/// A letter ready to print.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Letter {
    pub version: String,
    pub lang: String,
    pub date: Date,
    pub title: String,
    pub greeting: String,
    pub paragraphs: Vec<String>,
    pub closing_lines: Vec<String>,
}

/// The language a letter is written in: `lang` if the letters have it, else Dutch
/// (the fund's default).
fn language<'a>(file: &File, lang: &'a str) -> &'a str {
    if file.phrases.contains_key(lang) {
        lang
    } else {
        "nl"
    }
}

fn phrases<'f>(file: &'f File, lang: &str) -> Result<&'f Phrases, String> {
    file.phrases
        .get(lang)
        .ok_or_else(|| format!("no {lang} phrases in the letters"))
}

/// `items` joined as a list: `a`, `a and b`, `a, b and c`.
fn list(items: &[&str], last: &str) -> String {
    match items {
        [] => String::new(),
        [one] => (*one).to_owned(),
        [init @ .., end] => format!("{}{last}{end}", init.join(", ")),
    }
}

/// Who reads the answers, in words: one clause per group the policy has, the roles
/// of a group joined with "and" (all of them read) or "or" (whoever helps).
fn readers_text(p: &Phrases, r: &AnswerReaders) -> Result<String, String> {
    let names = |roles: &[crate::access::Role]| -> Result<Vec<&str>, String> {
        roles
            .iter()
            .map(|role| {
                p.roles
                    .get(role.as_str())
                    .map(String::as_str)
                    .ok_or_else(|| format!("the letters do not name the role {}", role.as_str()))
            })
            .collect()
    };
    let mut clauses = Vec::new();
    for (roles, clause, join) in [
        (&r.always, &p.readers_always, &p.and),
        (&r.with_consent, &p.readers_consent, &p.and),
        (&r.until_sent, &p.readers_until_sent, &p.or),
    ] {
        if !roles.is_empty() {
            clauses.push(clause.replace("{roles}", &list(&names(roles)?, join)));
        }
    }
    if clauses.is_empty() {
        return Ok(String::new());
    }
    Ok(p.readers.replace("{list}", &clauses.join(&p.readers_sep)))
}

/// The sentence on the questionnaire's readers in `lang`, as the access policy has
/// them for a member with an employer: the questionnaire page's introduction says the
/// same.
pub fn answer_readers_sentence(lang: &str) -> Result<String, String> {
    let file = templates()?;
    readers_text(phrases(file, language(file, lang))?, &answer_readers(true))
}

fn sanction_text(p: &Phrases, s: &tnw_domain::sanction::Sanction) -> String {
    let phrase = if s.after_ignored == 1 {
        &p.sanction_first
    } else {
        &p.sanction_after
    };
    phrase
        .replace("{percent}", &s.percent_text(&p.decimal))
        .replace("{count}", &s.after_ignored.to_string())
}

/// Composes `kind` for `name` in `lang` (nl, fr, de, en; others get Dutch) from the
/// claims: every deadline, cut and reader the letter names is one of `claims`.
pub fn compose(
    kind: LetterKind,
    lang: &str,
    date: Date,
    name: &str,
    claims: &Claims,
) -> Result<Letter, String> {
    let file = templates()?;
    let lang = language(file, lang);
    let p = phrases(file, lang)?;
    let t = file
        .letters
        .get(kind.as_str())
        .and_then(|by_lang| by_lang.get(lang))
        .ok_or_else(|| format!("no {lang} template for {kind}"))?;
    let day = |d: Option<Date>| d.map(|d| d.to_string()).unwrap_or_default();
    let sanction = claims
        .sanction
        .as_ref()
        .map(|s| sanction_text(p, s))
        .unwrap_or_default();
    let sanction_or_voluntary = if sanction.is_empty() {
        p.voluntary.clone()
    } else {
        sanction.clone()
    };
    let readers = match &claims.readers {
        Some(r) => readers_text(p, r)?,
        None => String::new(),
    };
    let return_by = match claims.return_by {
        Some(d) => p.return_by.replace("{due}", &d.to_string()),
        None => String::new(),
    };
    // The name last: what a member is called never fills a placeholder.
    let put = |s: &str| {
        s.replace("{date}", &date.to_string())
            .replace("{due}", &day(claims.due))
            .replace("{task}", claims.task.as_deref().unwrap_or(""))
            .replace("{readers}", &readers)
            .replace("{return_by}", &return_by)
            .replace("{sanction_or_voluntary}", &sanction_or_voluntary)
            .replace("{sanction}", &sanction)
            .replace("{name}", name)
    };
    Ok(Letter {
        version: file.version.clone(),
        lang: lang.to_owned(),
        date,
        title: put(&t.title),
        greeting: put(&t.greeting),
        paragraphs: t
            .paragraphs
            .iter()
            .map(|x| put(x))
            .filter(|x| !x.trim().is_empty())
            .collect(),
        closing_lines: put(&t.closing).lines().map(str::to_owned).collect(),
    })
}

/// A letter for dossier `id` as `p` prepares it: the dossier is read as `p` may see it
/// (audited), the letter composed in the member's language from the claims of the
/// rule set that judges it; with `send`, a `letter_sent` event is recorded (the write
/// policy decides who may).
#[allow(clippy::too_many_arguments)]
pub fn prepare<S: crate::dossier::recording::RecordStore + ?Sized>(
    store: &mut S,
    book: &tnw_domain::RuleBook,
    p: &crate::access::Principal,
    id: &str,
    kind: LetterKind,
    task: Option<&str>,
    today: Date,
    send: bool,
) -> Result<Letter, crate::dossier::DossierError> {
    use crate::dossier::{record_event, view_case, DossierError};
    let view = view_case(store, book, p, id, today, "en")?;
    let (Some(identity), Some(timeline)) = (&view.identity, &view.timeline) else {
        return Err(crate::access::Refusal::NoDossierAccess.into());
    };
    let lang = identity.language.as_str();
    let scheme = Scheme::parse(&identity.scheme).ok_or_else(|| {
        DossierError::App(crate::AppError::Corrupt(format!(
            "dossier {id}: unknown scheme `{}`",
            identity.scheme
        )))
    })?;
    let trajectory_start = view.events.as_ref().and_then(|evs| {
        evs.iter()
            .find(|e| e.kind == EventType::ReferredToCoordinator)
            .map(|e| e.date)
    });
    let facts = DossierFacts {
        scheme,
        incapacity_start: identity.incapacity_start,
        has_employer: identity.employer.is_some(),
        trajectory_start,
        timeline,
    };
    let claims = claims(book, kind, task, today, &facts, lang)?;
    let letter = compose(kind, lang, today, &identity.name, &claims)
        .map_err(|e| DossierError::App(crate::AppError::Config(e)))?;
    if send {
        let mut body = serde_json::json!({
            "type": "letter_sent",
            "date": today.to_string(),
            "letter": kind.as_str(),
        });
        if let (Some(t), Some(map)) = (task, body.as_object_mut()) {
            map.insert("task".into(), serde_json::Value::from(t));
        }
        record_event(store, book, p, id, &body, today)?;
    }
    Ok(letter)
}

impl crate::App {
    /// A letter for dossier `id` as `p` prepares it; with `send`, recorded as sent.
    #[allow(clippy::too_many_arguments)]
    pub fn prepare_letter(
        &self,
        p: &crate::access::Principal,
        id: &str,
        kind: LetterKind,
        task: Option<&str>,
        today: Date,
        send: bool,
    ) -> Result<Letter, crate::dossier::DossierError> {
        self.primary_as(p, |st, book| {
            prepare(st, book, p, id, kind, task, today, send)
        })
    }
}
