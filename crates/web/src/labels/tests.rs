use super::*;
use crate::i18n::MESSAGES;
use tnw_app::access::Refusal;
use tnw_domain::event::{ContactMode, EventType, Extent};

fn tr(lang: &'static str) -> Tr {
    Tr { lang }
}

#[test]
fn every_code_the_application_produces_has_a_label_in_every_language() {
    let book = RuleBook::builtin().unwrap();
    let mut checked = 0;
    for kind in Kind::ALL {
        let codes = kind.codes(&book);
        assert!(!codes.is_empty(), "{kind:?} has codes");
        for code in codes {
            for lang in LANGUAGES {
                let label = find(kind, &code, lang);
                assert!(
                    label.is_some_and(|l| !l.trim().is_empty()),
                    "{kind:?} `{code}` has no label in {lang}"
                );
            }
            checked += 1;
        }
    }
    // The rule sets' tasks and milestones, the value sets, the event types …
    assert!(checked > 200, "{checked} codes");
}

#[test]
fn the_catalogue_holds_no_code_the_application_does_not_produce_and_none_twice() {
    let book = RuleBook::builtin().unwrap();
    for kind in Kind::ALL {
        let codes = kind.codes(&book);
        let mut seen = Vec::new();
        for (code, labels) in kind.entries() {
            assert!(
                codes.iter().any(|c| c == code),
                "{kind:?} `{code}` is not a code of the application"
            );
            assert!(!seen.contains(code), "{kind:?} `{code}` twice");
            seen.push(*code);
            for (i, l) in labels.iter().enumerate() {
                assert!(
                    !l.trim().is_empty(),
                    "{kind:?} `{code}` in {}",
                    LANGUAGES[i]
                );
                assert!(
                    !l.contains('_'),
                    "{kind:?} `{code}` in {} reads like a code: {l}",
                    LANGUAGES[i]
                );
            }
        }
    }
}

#[test]
fn page_texts_are_complete_unique_and_apart_from_the_messages() {
    let mut keys = Vec::new();
    for (key, texts) in TEXTS {
        assert!(!keys.contains(key), "{key} twice");
        assert!(
            !MESSAGES.iter().any(|(k, _)| k == key),
            "{key} is also a message"
        );
        keys.push(*key);
        let slots = |s: &str| (s.matches("{0}").count(), s.matches("{1}").count());
        for (i, text) in texts.iter().enumerate() {
            assert!(!text.trim().is_empty(), "{key} in {}", LANGUAGES[i]);
            assert_eq!(slots(text), slots(texts[3]), "{key} in {}", LANGUAGES[i]);
        }
    }
    assert_eq!(tr("de").get("me_helpers"), "Wer Ihnen hilft");
    // Every text a template fills in exists.
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/templates");
    let mut used = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        for part in text.split("t.fill(\"").skip(1) {
            let key = &part[..part.find('"').unwrap()];
            assert_ne!(tr("en").get(key), "?", "template text {key}");
            used += 1;
        }
    }
    assert!(used >= 4, "templates fill texts in");
}

#[test]
fn a_code_without_a_label_is_spelled_out_never_shown_with_underscores() {
    assert_eq!(
        tr("fr").label(Kind::Task, "send_quick_scan"),
        "Envoyer le Quick Scan"
    );
    assert_eq!(tr("nl").label(Kind::Task, "some_new_task"), "some new task");
    assert_eq!(
        tr("en").step("milestone", "invalidity"),
        "Invalidity begins"
    );
    assert_eq!(tr("nl").step("task", "first_contact"), "Eerste contact");
}

#[test]
fn shares_are_percentages_and_numbers_use_the_languages_decimal_sign() {
    assert_eq!(tr("nl").percent(0.0909), "9,1\u{a0}%");
    assert_eq!(tr("fr").percent(0.0909), "9,1\u{a0}%");
    assert_eq!(tr("de").percent(0.5), "50,0\u{a0}%");
    assert_eq!(tr("en").percent(0.0909), "9.1%");
    assert_eq!(tr("en").percent(1.0), "100.0%");
    assert_eq!(tr("de").decimal(152.25, 1), "152,2");
    assert_eq!(tr("en").decimal(-3.0, 1), "-3.0");
}

#[test]
fn event_summaries_put_labels_where_the_codes_were() {
    let contact = Event::CoordinatorContact {
        mode: ContactMode::InPerson,
        first: true,
        purpose: None,
        notes: None,
    };
    assert_eq!(
        tr("nl").summary(&contact),
        "contact met de coördinator (persoonlijk, 1)"
    );
    let back = Event::WorkResumed {
        extent: Extent::PartTime,
        percent: Some(50),
        same_employer: true,
        same_job: true,
        adaptations: false,
    };
    assert_eq!(
        tr("fr").summary(&back),
        "travail repris (à temps partiel 50%)"
    );
    // Every event type's summary is free of codes in every language.
    for lang in LANGUAGES {
        for kind in EventType::ALL {
            let phrase = tr(lang).label(Kind::Event, kind.as_str());
            assert!(!phrase.contains('_'), "{kind} in {lang}");
        }
    }
}

#[test]
fn audit_entries_in_words() {
    let nl = tr("nl");
    assert_eq!(
        nl.audit_what("read", "identity,timeline,medical"),
        "ingezien · persoonsgegevens, tijdlijn, medisch deel"
    );
    assert_eq!(
        nl.audit_what("write", "consent_given"),
        "geregistreerd · Toestemming gegeven"
    );
    assert_eq!(
        nl.audit_what("refused", &Refusal::NoConsent.to_string()),
        "geweigerd · geen toestemming van het lid"
    );
    assert_eq!(
        tr("en").audit_what(
            "refused",
            &Refusal::MayNotRecord(EventType::CodexDecision).to_string()
        ),
        "refused · this role may not record: Occupational physician's decision"
    );
    assert_eq!(
        tr("fr").audit_what("admin", "account created: nora"),
        "gestion des utilisateurs · compte créé : nora"
    );
    assert_eq!(
        tr("de").audit_what("import", "import #3: 120 events in 12 dossiers"),
        "importiert · Nr. 3: 120 Ereignisse in 12 Akten"
    );
    // What has no known shape stays as the log wrote it.
    assert_eq!(
        nl.audit_what("export", "figures.csv region=flanders"),
        "geëxporteerd · figures.csv region=flanders"
    );
    assert_eq!(moment("2026-11-20T09:30:12.345Z"), "2026-11-20 09:30 UTC");
    assert_eq!(moment("yesterday"), "yesterday");
}
