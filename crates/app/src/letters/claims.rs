//! What a letter claims, taken from the rule set that judges the dossier and from the
//! access policy: deadlines, the benefit cut, who reads the answers. The templates
//! hold none of these facts, so a letter cannot say what the rules do not do.

use super::readers::{answer_readers, AnswerReaders};
use crate::dossier::DossierError;
use crate::timeline::Milestone;
use tnw_domain::engine::{judge, Relevant};
use tnw_domain::event::{LetterKind, Scheme};
use tnw_domain::sanction::Sanction;
use tnw_domain::{Date, RuleBook, RuleSet};

/// What the letter needs to know of the dossier, as its reader may see it.
#[derive(Debug, Clone)]
pub struct DossierFacts<'a> {
    pub scheme: Scheme,
    pub incapacity_start: Date,
    pub has_employer: bool,
    /// The first referral to the coordinator.
    pub trajectory_start: Option<Date>,
    /// The dossier's timeline as of the letter's date.
    pub timeline: &'a [Milestone],
}

/// The facts a letter states, each from the rules or the policy.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Claims {
    /// The deadline of the task the letter is about (first contact, reminded task).
    pub due: Option<Date>,
    /// The reminded task in plain words: its rule's reason, in the member's language.
    pub task: Option<String>,
    /// The questionnaire's return deadline, where the judging set has one.
    pub return_by: Option<Date>,
    /// The benefit cut that ignoring this letter's invitation can lead to.
    pub sanction: Option<Sanction>,
    /// Who reads the questionnaire's answers (the quick-scan letter).
    pub readers: Option<AnswerReaders>,
    /// The rule set the claims come from, if any.
    pub rule_set: Option<String>,
}

/// The open or overdue instance of `code` with the earliest deadline.
fn open<'m>(timeline: &'m [Milestone], code: &str) -> Option<&'m Milestone> {
    timeline
        .iter()
        .filter(|m| m.code == code && matches!(m.status, "open" | "overdue"))
        .min_by_key(|m| m.due)
}

fn set<'b>(book: &'b RuleBook, name: &str) -> Result<&'b RuleSet, DossierError> {
    book.get(name)
        .map_err(|e| DossierError::App(crate::AppError::Rules(e)))
}

/// The cut `set` attaches to ignoring the invitation of task `code`.
fn sanction_for(set: &RuleSet, code: &str) -> Option<Sanction> {
    set.sanction.clone().filter(|s| s.covers(code))
}

/// The claims of letter `kind` (about `task`, for a reminder) written on `today`.
pub fn claims(
    book: &RuleBook,
    kind: LetterKind,
    task: Option<&str>,
    today: Date,
    d: &DossierFacts<'_>,
    lang: &str,
) -> Result<Claims, DossierError> {
    match kind {
        LetterKind::QuickScanInvitation => {
            const RETURN: &str = "return_quick_scan";
            // Sent already: its deadline is on the timeline. Otherwise the
            // questionnaire goes out with the letter, so its deadline counts from today.
            let (set, return_by) = match open(d.timeline, RETURN) {
                Some(m) => (Some(set(book, &m.rule_set)?), Some(m.due)),
                None => {
                    let dates = Relevant {
                        anchor: today,
                        incapacity_start: d.incapacity_start,
                        trajectory_start: d.trajectory_start,
                    };
                    match judge(book, None, d.scheme, RETURN, dates) {
                        Some((s, r)) => (Some(s), Some(r.due.apply(today))),
                        None => (None, None),
                    }
                }
            };
            Ok(Claims {
                return_by,
                sanction: set.and_then(|s| sanction_for(s, RETURN)),
                readers: Some(answer_readers(d.has_employer)),
                rule_set: set.map(|s| s.name.clone()),
                ..Claims::default()
            })
        }
        LetterKind::FirstContactInvitation => {
            let m = open(d.timeline, "first_contact").ok_or_else(|| {
                DossierError::Unprocessable(
                    "no first contact is due in this dossier: the member has not been referred \
                     to the coordinator, or the first contact has taken place"
                        .into(),
                )
            })?;
            let s = set(book, &m.rule_set)?;
            Ok(Claims {
                due: Some(m.due),
                sanction: sanction_for(s, "first_contact"),
                rule_set: Some(s.name.clone()),
                ..Claims::default()
            })
        }
        LetterKind::Reminder => {
            let code = task.ok_or_else(|| {
                DossierError::BadRequest("a reminder needs the task it is about".into())
            })?;
            let m = open(d.timeline, code)
                .filter(|m| m.actor == "member")
                .ok_or_else(|| {
                    DossierError::Unprocessable(format!(
                        "the member has no open task `{code}` in this dossier"
                    ))
                })?;
            let s = set(book, &m.rule_set)?;
            let rule = s.rules.iter().find(|r| r.id == m.rule && r.code == m.code);
            Ok(Claims {
                due: Some(m.due),
                task: rule.map(|r| r.reason(lang).to_owned()),
                sanction: sanction_for(s, code),
                rule_set: Some(s.name.clone()),
                ..Claims::default()
            })
        }
    }
}
