//! The texts members read agree with the rules and the access policy: the
//! questionnaire page says who reads the answers as the policy has it, and no text
//! speaks of "invaliditeit" where the sources ask for "langdurige
//! arbeidsongeschiktheid".

use tnw_domain::event::LetterKind;
use tnw_domain::RuleBook;
use tnw_web::i18n::{t, LANGUAGES, MESSAGES};

#[test]
fn the_questionnaire_page_names_the_readers_the_policy_has() {
    for lang in LANGUAGES {
        let readers = tnw_app::letters::answer_readers_sentence(lang).unwrap();
        let intro = t(lang, "quick_scan_intro");
        assert!(
            intro.ends_with(&readers),
            "{lang}: the introduction must end with the policy's readers\n  {intro}\n  {readers}"
        );
    }
}

/// The words the sources ask to replace in texts for members, in every language.
const RETIRED: [&str; 3] = ["invalidit", "invaliditeit", "invalidität"];

fn retired(text: &str) -> Option<&'static str> {
    let lower = text.to_lowercase();
    RETIRED.into_iter().find(|w| lower.contains(w))
}

#[test]
fn no_member_text_speaks_of_invalidity() {
    for (key, texts) in MESSAGES {
        for text in texts {
            assert_eq!(retired(text), None, "message {key}: {text}");
        }
    }
    let book = RuleBook::builtin().unwrap();
    for set in book.sets() {
        for rule in &set.rules {
            for (lang, reason) in &rule.reason {
                assert_eq!(
                    retired(reason),
                    None,
                    "{} {} {lang}: {reason}",
                    set.name,
                    rule.key
                );
            }
        }
    }
    let day = tnw_domain::date::parse_date("2026-05-20").unwrap();
    let claims = tnw_app::letters::Claims {
        due: Some(day),
        return_by: Some(day),
        task: Some("x".into()),
        readers: Some(tnw_app::letters::answer_readers(true)),
        ..Default::default()
    };
    for kind in LetterKind::ALL {
        for lang in LANGUAGES {
            let l = tnw_app::letters::compose(*kind, lang, day, "X", &claims).unwrap();
            let all = format!("{} {}", l.title, l.paragraphs.join(" "));
            assert_eq!(retired(&all), None, "{kind} {lang}: {all}");
        }
    }
    // And the long-term incapacity is named as asked, in every language.
    let set = book.get("tnw-2022").unwrap();
    let r8 = set.rule("invalidity").unwrap();
    for (lang, words) in [
        ("nl", "langdurige arbeidsongeschiktheid"),
        ("fr", "incapacité de travail de longue durée"),
        ("de", "langfristige Arbeitsunfähigkeit"),
        ("en", "long-term incapacity for work"),
    ] {
        assert!(r8.reason(lang).contains(words), "{lang}");
    }
}
