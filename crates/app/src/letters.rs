//! Letters to members from versioned templates (`letters/letters-v1.toml`), in the
//! member's language. The application renders them as print-ready pages; sending one
//! records a `letter_sent` event in the dossier.

use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::OnceLock;
use tnw_domain::event::LetterKind;
use tnw_domain::Date;

#[derive(Debug, Clone, Deserialize)]
struct Template {
    title: String,
    greeting: String,
    paragraphs: Vec<String>,
    closing: String,
}

#[derive(Debug, Deserialize)]
struct File {
    version: String,
    #[serde(flatten)]
    letters: HashMap<String, HashMap<String, Template>>,
}

const LETTERS: &str = include_str!("../letters/letters-v1.toml");

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

/// What fills a template's placeholders.
#[derive(Debug, Clone, Default)]
pub struct Fill<'a> {
    pub name: &'a str,
    pub due: Option<Date>,
    /// The task in plain words (the rule's reason, in the member's language).
    pub task: Option<&'a str>,
}

/// Composes `kind` in `lang` (nl, fr, de, en; others get Dutch, the fund's default).
pub fn compose(
    kind: LetterKind,
    lang: &str,
    date: Date,
    fill: &Fill<'_>,
) -> Result<Letter, String> {
    let file = templates()?;
    let by_lang = file
        .letters
        .get(kind.as_str())
        .ok_or_else(|| format!("no template for {kind}"))?;
    let lang = if by_lang.contains_key(lang) {
        lang
    } else {
        "nl"
    };
    let t = by_lang
        .get(lang)
        .ok_or_else(|| format!("no {lang} template for {kind}"))?;
    let due = fill.due.map(|d| d.to_string()).unwrap_or_default();
    let put = |s: &str| {
        s.replace("{name}", fill.name)
            .replace("{date}", &date.to_string())
            .replace("{due}", &due)
            .replace("{task}", fill.task.unwrap_or(""))
    };
    Ok(Letter {
        version: file.version.clone(),
        lang: lang.to_owned(),
        date,
        title: put(&t.title),
        greeting: put(&t.greeting),
        paragraphs: t.paragraphs.iter().map(|p| put(p)).collect(),
        closing_lines: put(&t.closing).lines().map(str::to_owned).collect(),
    })
}

/// A letter for dossier `id` as `p` prepares it: the dossier is read as `p` may see it
/// (audited), the letter composed in the member's language; with `send`, a
/// `letter_sent` event is recorded (the write policy decides who may).
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
    let milestone = |code: &str| {
        timeline
            .iter()
            .filter(|m| m.code == code && matches!(m.status, "open" | "overdue"))
            .min_by_key(|m| m.due)
    };
    let (due, reason) = match kind {
        LetterKind::QuickScanInvitation => (None, None),
        LetterKind::FirstContactInvitation => (milestone("first_contact").map(|m| m.due), None),
        LetterKind::Reminder => {
            let code = task.ok_or_else(|| {
                DossierError::BadRequest("a reminder needs the task it is about".into())
            })?;
            let m = milestone(code)
                .filter(|m| m.actor == "member")
                .ok_or_else(|| {
                    DossierError::Unprocessable(format!(
                        "the member has no open task `{code}` in this dossier"
                    ))
                })?;
            // The rule's plain-language reason, in the member's language.
            let reason = book
                .sets()
                .iter()
                .find(|s| s.name == m.rule_set)
                .and_then(|s| s.rules.iter().find(|r| r.id == m.rule && r.code == m.code))
                .map(|r| r.reason(lang).to_owned());
            (Some(m.due), reason)
        }
    };
    let letter = compose(
        kind,
        lang,
        today,
        &Fill {
            name: &identity.name,
            due,
            task: reason.as_deref(),
        },
    )
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_letter_exists_in_every_language_and_fills_its_placeholders() {
        let d = tnw_domain::date::parse_date("2026-05-20").unwrap();
        for kind in LetterKind::ALL {
            for lang in ["nl", "fr", "de", "en"] {
                let l = compose(
                    *kind,
                    lang,
                    d,
                    &Fill {
                        name: "Lotte Claes",
                        due: Some(d),
                        task: Some("return the questionnaire"),
                    },
                )
                .unwrap();
                assert_eq!(l.lang, lang);
                let all = format!("{} {} {}", l.title, l.greeting, l.paragraphs.join(" "));
                assert!(!all.contains('{'), "{kind} {lang}: {all}");
                assert!(l.greeting.contains("Lotte Claes"));
            }
        }
        let fr = compose(
            LetterKind::FirstContactInvitation,
            "fr",
            d,
            &Fill {
                name: "X",
                due: Some(d),
                task: None,
            },
        )
        .unwrap();
        assert!(fr.paragraphs[1].contains("au plus tard le 2026-05-20"));
        assert_eq!(
            compose(LetterKind::Reminder, "xx", d, &Fill::default())
                .unwrap()
                .lang,
            "nl"
        );
    }
}
