//! The labels of what happened: event types, the audit log's actions, purposes and
//! dossier parts, the rule sets' titles; and the audit log's free-text entries that
//! have a known shape, in words.

use super::{Entry, Kind};
use crate::i18n::Tr;
use tnw_app::access::Refusal;

pub const EVENTS: &[Entry] = &[
    (
        "case_opened",
        [
            "Dossier geopend",
            "Dossier ouvert",
            "Akte eröffnet",
            "Dossier opened",
        ],
    ),
    (
        "quick_scan_sent",
        [
            "Quickscan verstuurd",
            "Quick Scan envoyé",
            "Quick-Scan versandt",
            "Quick scan sent",
        ],
    ),
    (
        "quick_scan_returned",
        [
            "Quickscan teruggestuurd",
            "Quick Scan renvoyé",
            "Quick-Scan zurückgesandt",
            "Quick scan returned",
        ],
    ),
    (
        "quick_scan_reminder",
        [
            "Herinnering voor de quickscan",
            "Rappel pour le Quick Scan",
            "Erinnerung an den Quick-Scan",
            "Quick-scan reminder",
        ],
    ),
    (
        "capacity_assessed",
        [
            "Categorie toegekend",
            "Catégorie attribuée",
            "Kategorie zugewiesen",
            "Category assigned",
        ],
    ),
    (
        "referred_to_coordinator",
        [
            "Doorverwezen naar de coördinator",
            "Orienté vers le coordinateur",
            "An den Koordinator verwiesen",
            "Referred to the coordinator",
        ],
    ),
    (
        "coordinator_contact",
        [
            "Contact met de coördinator",
            "Contact avec le coordinateur",
            "Kontakt mit dem Koordinator",
            "Contact with the coordinator",
        ],
    ),
    (
        "partner_referral",
        [
            "Doorverwijzing naar een partner",
            "Orientation vers un partenaire",
            "Überweisung an einen Partner",
            "Referral to a partner",
        ],
    ),
    (
        "codex_requested",
        [
            "Re-integratietraject aangevraagd",
            "Trajet de réintégration demandé",
            "Wiedereingliederung beantragt",
            "Re-integration requested",
        ],
    ),
    (
        "pre_return_visit",
        [
            "Bezoek voorafgaand aan de werkhervatting",
            "Visite de pré-reprise",
            "Besuch vor der Wiederaufnahme",
            "Pre-return visit",
        ],
    ),
    (
        "codex_decision",
        [
            "Beslissing van de arbeidsarts",
            "Décision du médecin du travail",
            "Entscheidung des Arbeitsarztes",
            "Occupational physician's decision",
        ],
    ),
    (
        "reintegration_plan",
        [
            "Re-integratieplan",
            "Plan de réintégration",
            "Wiedereingliederungsplan",
            "Re-integration plan",
        ],
    ),
    (
        "socio_professional_started",
        [
            "Socioprofessioneel traject gestart",
            "Trajet socioprofessionnel commencé",
            "Sozialberufliche Begleitung begonnen",
            "Socio-professional trajectory started",
        ],
    ),
    (
        "socio_professional_suspended",
        [
            "Socioprofessioneel traject opgeschort",
            "Trajet socioprofessionnel suspendu",
            "Sozialberufliche Begleitung ausgesetzt",
            "Socio-professional trajectory suspended",
        ],
    ),
    (
        "socio_professional_resumed",
        [
            "Socioprofessioneel traject hervat",
            "Trajet socioprofessionnel repris",
            "Sozialberufliche Begleitung fortgesetzt",
            "Socio-professional trajectory resumed",
        ],
    ),
    (
        "socio_professional_ended",
        [
            "Socioprofessioneel traject beëindigd",
            "Trajet socioprofessionnel terminé",
            "Sozialberufliche Begleitung beendet",
            "Socio-professional trajectory ended",
        ],
    ),
    (
        "authorised_activity",
        [
            "Toegelaten activiteit",
            "Activité autorisée",
            "Genehmigte Tätigkeit",
            "Authorised activity",
        ],
    ),
    (
        "work_resumed",
        [
            "Werk hervat",
            "Travail repris",
            "Arbeit wieder aufgenommen",
            "Work resumed",
        ],
    ),
    (
        "coaching_stopped",
        [
            "Begeleiding stopgezet",
            "Accompagnement arrêté",
            "Begleitung beendet",
            "Coaching stopped",
        ],
    ),
    (
        "action_plan",
        ["Actieplan", "Plan d'action", "Aktionsplan", "Action plan"],
    ),
    (
        "incapacity_ended",
        [
            "Einde van de arbeidsongeschiktheid",
            "Fin de l'incapacité de travail",
            "Ende der Arbeitsunfähigkeit",
            "Incapacity ended",
        ],
    ),
    (
        "consent_given",
        [
            "Toestemming gegeven",
            "Consentement donné",
            "Einwilligung erteilt",
            "Consent given",
        ],
    ),
    (
        "consent_withdrawn",
        [
            "Toestemming ingetrokken",
            "Consentement retiré",
            "Einwilligung widerrufen",
            "Consent withdrawn",
        ],
    ),
    (
        "partner_result",
        [
            "Resultaat van een doorverwijzing",
            "Résultat d'une orientation",
            "Ergebnis einer Überweisung",
            "Referral result",
        ],
    ),
    (
        "case_assigned",
        [
            "Dossier toegewezen",
            "Dossier attribué",
            "Akte zugewiesen",
            "Dossier assigned",
        ],
    ),
    (
        "letter_sent",
        [
            "Brief verstuurd",
            "Lettre envoyée",
            "Brief versandt",
            "Letter sent",
        ],
    ),
    (
        "work_restrictions",
        [
            "Beperkingen en mogelijkheden doorgegeven",
            "Restrictions et capacités communiquées",
            "Einschränkungen und Möglichkeiten mitgeteilt",
            "Restrictions and capacities passed on",
        ],
    ),
    (
        "socio_professional_referred",
        [
            "Overgedragen aan de arbeidsbemiddelingsdienst",
            "Transmis au service de l'emploi",
            "An den Arbeitsvermittlungsdienst übergeben",
            "Handed over to the employment service",
        ],
    ),
    (
        "socio_professional_report",
        [
            "Verslag over het socioprofessioneel traject",
            "Rapport sur le trajet socioprofessionnel",
            "Bericht über die sozialberufliche Begleitung",
            "Report on the socio-professional trajectory",
        ],
    ),
];

pub const AUDIT_ACTIONS: &[Entry] = &[
    ("read", ["ingezien", "consulté", "eingesehen", "read"]),
    ("refused", ["geweigerd", "refusé", "verweigert", "refused"]),
    (
        "write",
        ["geregistreerd", "enregistré", "erfasst", "recorded"],
    ),
    ("import", ["ingelezen", "importé", "importiert", "imported"]),
    (
        "admin",
        [
            "gebruikersbeheer",
            "gestion des utilisateurs",
            "Benutzerverwaltung",
            "user management",
        ],
    ),
    (
        "export",
        ["geëxporteerd", "exporté", "exportiert", "exported"],
    ),
];

/// The purposes the access policy and the use cases write into the audit log.
pub const PURPOSES: &[Entry] = &[
    (
        "coordination",
        [
            "coördinatie",
            "coordination",
            "Koordination",
            "coordination",
        ],
    ),
    (
        "own dossier",
        [
            "eigen dossier",
            "dossier personnel",
            "eigene Akte",
            "own dossier",
        ],
    ),
    (
        "medical assessment",
        [
            "medische beoordeling",
            "évaluation médicale",
            "medizinische Beurteilung",
            "medical assessment",
        ],
    ),
    (
        "re-integration",
        [
            "re-integratie",
            "réintégration",
            "Wiedereingliederung",
            "re-integration",
        ],
    ),
    ("none", ["geen", "aucune", "keiner", "none"]),
    ("figures", ["cijfers", "chiffres", "Kennzahlen", "figures"]),
    (
        "user management",
        [
            "gebruikersbeheer",
            "gestion des utilisateurs",
            "Benutzerverwaltung",
            "user management",
        ],
    ),
    (
        "data exchange",
        [
            "gegevensuitwisseling",
            "échange de données",
            "Datenaustausch",
            "data exchange",
        ],
    ),
    (
        "operations",
        ["technisch beheer", "exploitation", "Betrieb", "operations"],
    ),
];

/// The parts of a dossier a read showed (`tnw_app::access::Grant`).
pub const DOSSIER_PARTS: &[Entry] = &[
    (
        "identity",
        ["persoonsgegevens", "identité", "Personalien", "identity"],
    ),
    (
        "timeline",
        ["tijdlijn", "ligne du temps", "Zeitleiste", "timeline"],
    ),
    (
        "events",
        ["gebeurtenissen", "événements", "Ereignisse", "events"],
    ),
    (
        "category",
        ["categorie", "catégorie", "Kategorie", "category"],
    ),
    (
        "coaching",
        ["begeleiding", "accompagnement", "Begleitung", "coaching"],
    ),
    (
        "consents",
        [
            "toestemmingen",
            "consentements",
            "Einwilligungen",
            "consents",
        ],
    ),
    (
        "medical",
        [
            "medisch deel",
            "partie médicale",
            "medizinischer Teil",
            "medical part",
        ],
    ),
    (
        "fund",
        [
            "stappen van het ziekenfonds",
            "étapes de la mutualité",
            "Schritte der Krankenkasse",
            "the fund's steps",
        ],
    ),
    (
        "reintegration",
        [
            "re-integratietraject",
            "trajet de réintégration",
            "Wiedereingliederung",
            "re-integration trajectory",
        ],
    ),
    (
        "restrictions",
        [
            "beperkingen en mogelijkheden",
            "restrictions et capacités",
            "Einschränkungen und Möglichkeiten",
            "restrictions and capacities",
        ],
    ),
    (
        "socio_professional",
        [
            "socioprofessioneel traject",
            "trajet socioprofessionnel",
            "sozialberufliche Begleitung",
            "socio-professional trajectory",
        ],
    ),
    (
        "return",
        [
            "werkhervatting",
            "reprise du travail",
            "Wiederaufnahme der Arbeit",
            "return to work",
        ],
    ),
];

/// The rule sets by name: their titles.
pub const RULE_SETS: &[Entry] = &[
    (
        "tnw-2022",
        [
            "Terug naar werk 2022 (basis)",
            "Retour au travail 2022 (base)",
            "Rückkehr zur Arbeit 2022 (Grundlage)",
            "Return to work 2022 (baseline)",
        ],
    ),
    (
        "codex-2022-10",
        [
            "Re-integratietraject van de codex 2.0",
            "Trajet de réintégration du code 2.0",
            "Wiedereingliederung nach dem Kodex 2.0",
            "Codex re-integration trajectory 2.0",
        ],
    ),
    (
        "rtw-2026",
        [
            "Terug naar werk 2026 (arbeidspotentieel)",
            "Retour au travail 2026 (potentiel de travail)",
            "Rückkehr zur Arbeit 2026 (Arbeitspotenzial)",
            "Return to work 2026 (work potential)",
        ],
    ),
    (
        "tnw-self-employed-2023",
        [
            "Terug naar werk voor zelfstandigen (2023)",
            "Retour au travail des indépendants (2023)",
            "Rückkehr zur Arbeit für Selbstständige (2023)",
            "Return to work for the self-employed (2023)",
        ],
    ),
];

/// A refusal the audit log recorded (the refusal's own English words) in words.
pub(super) fn refusal(t: Tr, what: &str) -> String {
    let plain = [
        (Refusal::NoDossierAccess, "refusal_no_dossier_access"),
        (Refusal::NotYours, "refusal_not_yours"),
        (Refusal::NotAssigned, "refusal_not_assigned"),
        (Refusal::NoConsent, "refusal_no_consent"),
        (Refusal::OtherFund, "refusal_other_fund"),
    ];
    if let Some((_, key)) = plain.iter().find(|(r, _)| r.to_string() == what) {
        return t.get(key).to_owned();
    }
    let may_not = Refusal::MayNotRecord(tnw_domain::event::EventType::CaseOpened).to_string();
    let prefix = may_not.trim_end_matches(tnw_domain::event::EventType::CaseOpened.as_str());
    if let Some(kind) = what.strip_prefix(prefix) {
        return t.fill("refusal_may_not_record", &t.label(Kind::Event, kind));
    }
    if what == "unreadable dossier" {
        return t.get("refusal_unreadable").to_owned();
    }
    what.to_owned()
}

/// `absence list 2026-11 of employer 0202239951: A1, A2` in words (month, employer and
/// dossiers as they are).
pub(super) fn absence_list(t: Tr, what: &str) -> String {
    let parts = (|| {
        let rest = what.strip_prefix("absence list ")?;
        let (month, rest) = rest.split_once(" of employer ")?;
        let (employer, cases) = rest.split_once(": ").unwrap_or((rest, ""));
        Some((month, employer, cases))
    })();
    match parts {
        Some((month, employer, cases)) => t
            .get("audit_absence_list")
            .replace("{0}", month)
            .replace("{1}", employer)
            .replace("{2}", cases),
        None => what.to_owned(),
    }
}

/// `account created: nora` in words (the username as it is).
pub(super) fn account_change(t: Tr, what: &str) -> String {
    for (said, key) in [
        ("account created: ", "audit_account_created"),
        ("account changed: ", "audit_account_changed"),
    ] {
        if let Some(user) = what.strip_prefix(said) {
            return t.fill(key, user);
        }
    }
    what.to_owned()
}

/// `import #3: 120 events in 12 dossiers` in words.
pub(super) fn import(t: Tr, what: &str) -> String {
    let numbers: Option<(&str, &str, &str)> = (|| {
        let rest = what.strip_prefix("import #")?;
        let (id, rest) = rest.split_once(": ")?;
        let (events, rest) = rest.split_once(" events in ")?;
        let cases = rest.strip_suffix(" dossiers")?;
        let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        (digits(id) && digits(events) && digits(cases)).then_some((id, events, cases))
    })();
    match numbers {
        Some((id, events, cases)) => t
            .get("audit_import")
            .replace("{0}", id)
            .replace("{1}", events)
            .replace("{2}", cases),
        None => what.to_owned(),
    }
}
