//! Every letter against the rules: for each rule set and each scheme it judges, the
//! letters of a dossier it judges state exactly that set's deadlines and benefit cut,
//! and name exactly the readers the access policy lets read the answers.

use super::*;
use crate::access::{may_record, read_grant, CaseContext, Principal, Role};
use crate::timeline::{milestones, Milestone};
use tnw_domain::date::{add_days, parse_date};
use tnw_domain::event::{ConsentRole, ConsentScope, Event};
use tnw_domain::{CaseKey, RuleBook, RuleSet};

const LANGS: [&str; 4] = ["nl", "fr", "de", "en"];

fn d(s: &str) -> Date {
    parse_date(s).unwrap()
}

/// A dossier of `scheme` from day `start`: the questionnaire sent on `sent`, category
/// 4 and the referral on `referral`.
struct Dossier {
    scheme: Scheme,
    start: Date,
    sent: Option<Date>,
    referral: Option<Date>,
}

impl Dossier {
    fn events(&self) -> Vec<(Date, u32, Event)> {
        let employer = if self.scheme == Scheme::Employee {
            r#"{"id":"E1","name":"Acme"}"#
        } else {
            "null"
        };
        let mut lines = vec![format!(
            r#"{{"case":"L1","type":"case_opened","date":"{s}","person":{{"id":"P1","name":"Lotte Claes","birth_date":"1980-01-01","sex":"f","language":"nl","region":"flanders"}},"scheme":"{scheme}","employer":{employer},"condition":"mental","incapacity_start":"{s}"}}"#,
            s = self.start,
            scheme = self.scheme.as_str()
        )];
        if let Some(sent) = self.sent {
            lines.push(format!(
                r#"{{"case":"L1","type":"quick_scan_sent","date":"{sent}"}}"#
            ));
        }
        if let Some(r) = self.referral {
            lines.push(format!(
                r#"{{"case":"L1","type":"capacity_assessed","date":"{r}","category":4}}"#
            ));
            lines.push(format!(
                r#"{{"case":"L1","type":"referred_to_coordinator","date":"{r}","initiative":"advisory_doctor"}}"#
            ));
        }
        lines
            .iter()
            .enumerate()
            .map(|(i, l)| {
                let e = tnw_domain::parse_line(l).unwrap();
                (e.date, i as u32 + 1, e.event)
            })
            .collect()
    }

    fn timeline(&self, book: &RuleBook, today: Date) -> Vec<Milestone> {
        let key = CaseKey::from_str_id("L1");
        milestones(&key, &self.events(), book, today, None, "en")
            .unwrap()
            .1
    }

    fn letter(
        &self,
        book: &RuleBook,
        kind: LetterKind,
        task: Option<&str>,
        today: Date,
        lang: &str,
    ) -> Result<(Claims, Letter), crate::dossier::DossierError> {
        let timeline = self.timeline(book, today);
        let facts = DossierFacts {
            scheme: self.scheme,
            incapacity_start: self.start,
            has_employer: self.scheme == Scheme::Employee,
            trajectory_start: self.referral,
            timeline: &timeline,
        };
        let c = claims(book, kind, task, today, &facts, lang)?;
        let l = compose(kind, lang, today, "Lotte Claes", &c).unwrap();
        Ok((c, l))
    }
}

fn text(l: &Letter) -> String {
    l.paragraphs.join("\n")
}

fn phrases_of(lang: &str) -> &'static Phrases {
    phrases(templates().unwrap(), lang).unwrap()
}

/// The percentage as the test expects to read it, computed from the number itself.
fn percent_in(lang: &str, p: f64) -> String {
    let s = format!("{p}");
    if lang == "en" {
        s
    } else {
        s.replace('.', ",")
    }
}

/// What the letter must say about the cut `set` attaches to `task`.
fn check_sanction(set: &RuleSet, task: &str, lang: &str, body: &str, voluntary_if_none: bool) {
    let p = phrases_of(lang);
    match set.sanction.as_ref().filter(|s| s.covers(task)) {
        Some(s) => {
            let pct = percent_in(lang, s.percent);
            assert!(body.contains(&pct), "{} {lang}: {pct} in {body}", set.name);
            if s.after_ignored > 1 {
                let count = format!(" {} ", s.after_ignored);
                assert!(
                    body.contains(&count),
                    "{} {lang}: the count in {body}",
                    set.name
                );
            }
            assert!(!body.contains(&p.voluntary), "{} {lang}: {body}", set.name);
        }
        None => {
            assert!(
                !body.contains('%'),
                "{} {lang}: no cut, yet {body}",
                set.name
            );
            assert_eq!(
                body.contains(&p.voluntary),
                voluntary_if_none,
                "{} {lang}",
                set.name
            );
        }
    }
    // The promise the first letters made, whatever the set: never again.
    for promise in [
        "does not affect",
        "geen invloed",
        "aucune influence",
        "keinen Einfluss",
    ] {
        assert!(!body.contains(promise), "{lang}: {body}");
    }
}

/// A dossier judged by `set` for `scheme`: opened a week after the set takes effect.
fn dossier_for(set: &RuleSet, scheme: Scheme, sent: bool) -> Dossier {
    let start = add_days(set.effective_from, 7);
    Dossier {
        scheme,
        start,
        sent: sent.then(|| add_days(start, 65)),
        referral: Some(add_days(start, 100)),
    }
}

#[test]
fn the_first_contact_letter_states_the_judging_sets_deadline_and_cut() {
    let book = RuleBook::builtin().unwrap();
    let mut seen = 0;
    for set in book.sets() {
        for &scheme in &set.schemes {
            let dossier = dossier_for(set, scheme, false);
            let referral = dossier.referral.unwrap();
            let today = add_days(referral, 1);
            for lang in LANGS {
                let (c, l) = dossier
                    .letter(&book, LetterKind::FirstContactInvitation, None, today, lang)
                    .unwrap();
                assert_eq!(c.rule_set.as_deref(), Some(set.name.as_str()), "{scheme}");
                // The deadline, computed here from the set's own rule.
                let rule = set.rule("first_contact").unwrap();
                let due = rule.due.apply(referral);
                let body = text(&l);
                assert!(
                    body.contains(&due.to_string()),
                    "{} {lang}: {body}",
                    set.name
                );
                check_sanction(set, "first_contact", lang, &body, true);
                seen += 1;
            }
        }
    }
    assert_eq!(seen, 4 * 7, "every set and scheme");
}

#[test]
fn the_quick_scan_letter_states_the_return_deadline_and_cut_only_where_a_set_has_them() {
    let book = RuleBook::builtin().unwrap();
    for set in book.sets() {
        for &scheme in &set.schemes {
            for sent in [false, true] {
                let dossier = dossier_for(set, scheme, sent);
                let today = add_days(dossier.start, if sent { 66 } else { 64 });
                for lang in LANGS {
                    let (c, l) = dossier
                        .letter(&book, LetterKind::QuickScanInvitation, None, today, lang)
                        .unwrap();
                    let body = text(&l);
                    let ret = set.rule("return_quick_scan");
                    // Counted from the sending, or from the letter if not sent yet.
                    let from = dossier.sent.unwrap_or(today);
                    match ret {
                        Some(r) => {
                            let due = r.due.apply(from).to_string();
                            assert!(body.contains(&due), "{} {lang}: {due} in {body}", set.name);
                            assert_eq!(c.return_by, Some(r.due.apply(from)));
                        }
                        None => {
                            assert_eq!(c.return_by, None, "{}", set.name);
                            assert!(
                                !body.chars().any(|ch| ch.is_ascii_digit()),
                                "{} {lang}: no deadline, yet {body}",
                                set.name
                            );
                        }
                    }
                    if ret.is_some() {
                        check_sanction(set, "return_quick_scan", lang, &body, false);
                    } else {
                        assert!(!body.contains('%'), "{} {lang}: {body}", set.name);
                    }
                    check_readers(scheme == Scheme::Employee, lang, &body);
                }
            }
        }
    }
}

/// The letter names a role iff the access policy lets it read the answers (the
/// medical part, with or without consent) or fill in the questionnaire.
fn check_readers(has_employer: bool, lang: &str, body: &str) {
    let p = phrases_of(lang);
    let employer = has_employer.then(|| "E".to_owned());
    for &role in Role::ALL.iter().filter(|r| **r != Role::Member) {
        // Every consent the member could give, to this very party where the role acts
        // for one (only a named consent shares medical data).
        let party = match role {
            Role::Employer => Some("employer:0409536968"),
            Role::OccupationalPhysician if has_employer => Some("occupational_health:0409536968"),
            Role::TreatingPhysician => Some("physician:10000000002"),
            Role::EmploymentService => Some("employment_service:forem"),
            _ => None,
        }
        .map(|x| tnw_domain::party::Party::parse(x).unwrap());
        let who = Principal {
            username: "u".into(),
            org: "f".into(),
            role,
            person_id: None,
            employer_id: employer.clone(),
            party,
        };
        let ctx = CaseContext {
            person_id: "m".into(),
            employer_id: employer.clone(),
            region: Some(tnw_domain::event::Region::Wallonia),
            consents: ConsentRole::ALL
                .iter()
                .flat_map(|r| {
                    ConsentScope::ALL
                        .iter()
                        .map(move |s| crate::access::Consent {
                            to: *r,
                            scope: *s,
                            party: party.filter(|p| p.role() == *r),
                            until: None,
                        })
                })
                .collect(),
            assigned_to: Some("u".into()),
        };
        let reads = read_grant(&who, &ctx).is_ok_and(|g| g.sees(crate::access::Part::Medical))
            || may_record(
                &who,
                &ctx,
                &Event::QuickScanReturned {
                    answers: Default::default(),
                },
            )
            .is_ok();
        let named = p
            .roles
            .get(role.as_str())
            .is_some_and(|n| body.contains(n.as_str()));
        assert_eq!(named, reads, "{lang} {role:?}: {body}");
    }
}

#[test]
fn a_reminder_states_the_reminded_tasks_rule() {
    let book = RuleBook::builtin().unwrap();
    let rtw = book.get("rtw-2026").unwrap();
    let dossier = dossier_for(rtw, Scheme::Employee, true);
    let sent = dossier.sent.unwrap();
    let today = add_days(sent, 20);
    for lang in LANGS {
        let (c, l) = dossier
            .letter(
                &book,
                LetterKind::Reminder,
                Some("return_quick_scan"),
                today,
                lang,
            )
            .unwrap();
        let rule = rtw.rule("return_quick_scan").unwrap();
        let body = text(&l);
        assert!(body.contains(rule.reason(lang)), "{lang}: {body}");
        assert!(body.contains(&rule.due.apply(sent).to_string()));
        assert_eq!(c.rule_set.as_deref(), Some("rtw-2026"));
        check_sanction(rtw, "return_quick_scan", lang, &body, false);
    }
    // Not the member's task: refused, with the reason.
    let e = dossier
        .letter(
            &book,
            LetterKind::Reminder,
            Some("chase_quick_scan"),
            today,
            "nl",
        )
        .unwrap_err();
    assert!(e.to_string().contains("no open task"), "{e}");
}

#[test]
fn no_first_contact_letter_where_no_first_contact_is_due() {
    let book = RuleBook::builtin().unwrap();
    // Not referred; and a self-employed incapacity from before 2023, referred in 2023.
    let not_referred = Dossier {
        scheme: Scheme::Employee,
        start: d("2024-01-08"),
        sent: None,
        referral: None,
    };
    let old = Dossier {
        scheme: Scheme::SelfEmployed,
        start: d("2022-11-14"),
        sent: None,
        referral: Some(d("2023-03-01")),
    };
    for (dossier, today) in [(not_referred, "2024-06-01"), (old, "2023-03-02")] {
        let e = dossier
            .letter(
                &book,
                LetterKind::FirstContactInvitation,
                None,
                d(today),
                "fr",
            )
            .unwrap_err();
        assert!(
            matches!(e, crate::dossier::DossierError::Unprocessable(_)),
            "{e}"
        );
    }
}

#[test]
fn a_letter_follows_a_changed_rule() {
    // A reform as data: another cut, another deadline. The letter of a dossier it
    // judges says so; an older dossier's letter does not change.
    let reform = r#"
name = "rtw-2030"
title = "A later reform"
effective_from = "2030-01-01"
extends = "rtw-2026"
[sanction]
percent = 12.5
after_ignored = 3
tasks = ["first_contact"]
source = "test"
[[rule]]
id = "R6"
task = "first_contact"
actor = "coordinator"
anchor = "referred_to_coordinator"
select_by = "trajectory_start"
window = "0d"
due = "20d"
done_by = ["coordinator_contact"]
source = "test"
reason.en = "Within 20 days."
"#;
    let book = RuleBook::with_extra(vec![("r.toml".into(), reform.into())]).unwrap();
    let new = Dossier {
        scheme: Scheme::Employee,
        start: d("2030-01-07"),
        sent: None,
        referral: Some(d("2030-04-01")),
    };
    let (c, l) = new
        .letter(
            &book,
            LetterKind::FirstContactInvitation,
            None,
            d("2030-04-02"),
            "nl",
        )
        .unwrap();
    assert_eq!(c.due, Some(d("2030-04-21")));
    let body = text(&l);
    assert!(
        body.contains("2030-04-21") && body.contains("12,5%") && body.contains(" 3 "),
        "{body}"
    );
    // The quick-scan letter of that dossier no longer counts the questionnaire.
    let (c, _) = new
        .letter(
            &book,
            LetterKind::QuickScanInvitation,
            None,
            d("2030-03-10"),
            "nl",
        )
        .unwrap();
    assert_eq!(c.sanction, None);
    assert_eq!(c.return_by, Some(d("2030-03-24")));
    let old = Dossier {
        scheme: Scheme::Employee,
        start: d("2026-01-07"),
        sent: None,
        referral: Some(d("2026-04-01")),
    };
    let (c, l) = old
        .letter(
            &book,
            LetterKind::FirstContactInvitation,
            None,
            d("2026-04-02"),
            "nl",
        )
        .unwrap();
    assert_eq!(c.due, Some(d("2026-05-01")));
    assert!(text(&l).contains("10%"));
}

#[test]
fn the_templates_state_no_fact_of_the_rules_themselves() {
    // Deadlines, counts, percentages and readers come through placeholders: no digit
    // and no word for a number or a span of time in any template or phrase.
    let raw: toml::Table = toml::from_str(LETTERS).unwrap();
    let words = [
        "one", "two", "three", "four", "week", "weeks", "month", "months", "day", "days", "twee",
        "drie", "vier", "weken", "maand", "maanden", "dag", "dagen", "deux", "trois", "quatre",
        "semaine", "semaines", "mois", "jour", "jours", "zwei", "drei", "vier", "woche", "wochen",
        "monat", "monate", "monaten", "tag", "tage", "tagen", "only", "enkel", "alleen", "seul",
        "seule", "nur",
    ];
    let mut checked = 0;
    fn strings(v: &toml::Value, path: &str, out: &mut Vec<(String, String)>) {
        match v {
            toml::Value::String(s) => out.push((path.to_owned(), s.clone())),
            toml::Value::Array(a) => a.iter().for_each(|x| strings(x, path, out)),
            toml::Value::Table(t) => t
                .iter()
                .for_each(|(k, x)| strings(x, &format!("{path}.{k}"), out)),
            _ => {}
        }
    }
    let mut all = Vec::new();
    for (k, v) in raw.iter().filter(|(k, _)| k.as_str() != "version") {
        strings(v, k, &mut all);
    }
    for (path, s) in &all {
        assert!(!s.chars().any(|c| c.is_ascii_digit()), "{path}: {s}");
        let lower = s.to_lowercase();
        for w in lower.split(|c: char| !c.is_alphabetic()) {
            assert!(!words.contains(&w), "{path}: `{w}` in {s}");
        }
        checked += 1;
    }
    assert!(checked > 100, "{checked}");
}

#[test]
fn every_letter_exists_in_every_language_and_fills_its_placeholders() {
    let day = d("2026-05-20");
    let full = Claims {
        due: Some(day),
        task: Some("return the questionnaire".into()),
        return_by: Some(day),
        sanction: RuleBook::builtin()
            .unwrap()
            .get("rtw-2026")
            .unwrap()
            .sanction
            .clone(),
        readers: Some(answer_readers(true)),
        rule_set: None,
    };
    for kind in LetterKind::ALL {
        for lang in LANGS {
            for c in [&full, &Claims::default()] {
                let l = compose(*kind, lang, day, "Lotte Claes", c).unwrap();
                assert_eq!(l.lang, lang);
                let all = format!("{} {} {}", l.title, l.greeting, l.paragraphs.join(" "));
                assert!(!all.contains('{'), "{kind} {lang}: {all}");
                assert!(l.paragraphs.iter().all(|p| !p.trim().is_empty()));
                assert!(l.greeting.contains("Lotte Claes"));
                for w in ["invalidit", "Invalidität"] {
                    assert!(!all.to_lowercase().contains(&w.to_lowercase()), "{all}");
                }
            }
        }
    }
    assert_eq!(
        compose(LetterKind::Reminder, "xx", day, "X", &Claims::default())
            .unwrap()
            .lang,
        "nl"
    );
    // The questionnaire page says who reads the answers in the same words.
    for lang in LANGS {
        let s = answer_readers_sentence(lang).unwrap();
        assert!(
            s.contains(&phrases_of(lang).roles["advisory_doctor"]),
            "{s}"
        );
    }
}
