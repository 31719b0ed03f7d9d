//! The labels of the event fields' value sets (`tnw_domain::event::values`). Written
//! to stand in a table cell, a list and in the middle of a sentence alike.

use super::Entry;

pub const SCHEMES: &[Entry] = &[
    (
        "employee",
        ["werknemer", "salarié", "Arbeitnehmer", "employee"],
    ),
    (
        "unemployed",
        ["werkloze", "chômeur", "Arbeitsloser", "unemployed"],
    ),
    (
        "self_employed",
        [
            "zelfstandige",
            "indépendant",
            "Selbstständiger",
            "self-employed",
        ],
    ),
];

pub const REGIONS: &[Entry] = &[
    (
        "flanders",
        ["Vlaanderen", "Flandre", "Flandern", "Flanders"],
    ),
    (
        "wallonia",
        ["Wallonië", "Wallonie", "Wallonien", "Wallonia"],
    ),
    ("brussels", ["Brussel", "Bruxelles", "Brüssel", "Brussels"]),
    (
        "german",
        [
            "Duitstalige Gemeenschap",
            "Communauté germanophone",
            "Deutschsprachige Gemeinschaft",
            "German-speaking Community",
        ],
    ),
    ("abroad", ["buitenland", "étranger", "Ausland", "abroad"]),
];

pub const REGIMES: &[Entry] = &[
    (
        "full_time",
        ["voltijds", "temps plein", "Vollzeit", "full-time"],
    ),
    (
        "part_time",
        ["deeltijds", "temps partiel", "Teilzeit", "part-time"],
    ),
];

pub const WORK_TYPES: &[Entry] = &[
    (
        "manual",
        [
            "handarbeid",
            "travail manuel",
            "körperliche Arbeit",
            "manual work",
        ],
    ),
    (
        "mental",
        [
            "hoofdarbeid",
            "travail intellectuel",
            "geistige Arbeit",
            "intellectual work",
        ],
    ),
];

pub const CONDITIONS: &[Entry] = &[
    (
        "mental",
        [
            "psychische aandoening",
            "trouble psychique",
            "psychische Erkrankung",
            "mental health condition",
        ],
    ),
    (
        "musculoskeletal",
        [
            "aandoening van spieren en skelet",
            "trouble musculosquelettique",
            "Muskel-Skelett-Erkrankung",
            "musculoskeletal condition",
        ],
    ),
    ("injury", ["letsel", "lésion", "Verletzung", "injury"]),
    ("cancer", ["kanker", "cancer", "Krebs", "cancer"]),
    (
        "nervous",
        [
            "aandoening van het zenuwstelsel",
            "affection du système nerveux",
            "Erkrankung des Nervensystems",
            "nervous system condition",
        ],
    ),
    (
        "other",
        [
            "andere aandoening",
            "autre affection",
            "andere Erkrankung",
            "other condition",
        ],
    ),
];

pub const SEXES: &[Entry] = &[
    ("m", ["man", "homme", "Mann", "man"]),
    ("f", ["vrouw", "femme", "Frau", "woman"]),
    ("x", ["X", "X", "divers", "X"]),
];

/// Languages by name, in each language of the interface.
pub const LANGUAGE_NAMES: &[Entry] = &[
    (
        "nl",
        ["Nederlands", "néerlandais", "Niederländisch", "Dutch"],
    ),
    ("fr", ["Frans", "français", "Französisch", "French"]),
    ("de", ["Duits", "allemand", "Deutsch", "German"]),
    ("en", ["Engels", "anglais", "Englisch", "English"]),
];

pub const INITIATIVES: &[Entry] = &[
    (
        "member",
        [
            "op vraag van het lid",
            "à la demande du membre",
            "auf Wunsch des Mitglieds",
            "at the member's request",
        ],
    ),
    (
        "advisory_doctor",
        [
            "op vraag van de adviserend arts",
            "à la demande du médecin-conseil",
            "auf Veranlassung des Vertrauensarztes",
            "at the advisory doctor's request",
        ],
    ),
];

pub const CONTACT_MODES: &[Entry] = &[
    (
        "in_person",
        ["persoonlijk", "en personne", "persönlich", "in person"],
    ),
    ("phone", ["telefoon", "téléphone", "Telefon", "phone"]),
    (
        "video",
        [
            "videogesprek",
            "visioconférence",
            "Videogespräch",
            "video call",
        ],
    ),
];

pub const PARTNERS: &[Entry] = &[
    (
        "occupational_physician",
        [
            "arbeidsarts",
            "médecin du travail",
            "Arbeitsarzt",
            "occupational physician",
        ],
    ),
    (
        "employment_service",
        [
            "dienst voor arbeidsbemiddeling",
            "service de l'emploi",
            "Arbeitsvermittlung",
            "employment service",
        ],
    ),
    (
        "career_guidance",
        [
            "loopbaanbegeleiding",
            "accompagnement de carrière",
            "Laufbahnberatung",
            "career guidance",
        ],
    ),
    (
        "training_centre",
        [
            "opleidingscentrum",
            "centre de formation",
            "Bildungszentrum",
            "training centre",
        ],
    ),
    (
        "psychologist",
        ["psycholoog", "psychologue", "Psychologe", "psychologist"],
    ),
    (
        "employer",
        ["werkgever", "employeur", "Arbeitgeber", "employer"],
    ),
    (
        "other",
        [
            "andere partner",
            "autre partenaire",
            "anderer Partner",
            "other partner",
        ],
    ),
];

pub const PARTNER_OUTCOMES: &[Entry] = &[
    ("started", ["gestart", "commencé", "begonnen", "started"]),
    (
        "completed",
        ["afgerond", "terminé", "abgeschlossen", "completed"],
    ),
    (
        "declined_by_member",
        [
            "geweigerd door het lid",
            "refusé par le membre",
            "vom Mitglied abgelehnt",
            "declined by the member",
        ],
    ),
    (
        "declined_by_partner",
        [
            "geweigerd door de partner",
            "refusé par le partenaire",
            "vom Partner abgelehnt",
            "declined by the partner",
        ],
    ),
    (
        "no_response",
        [
            "geen antwoord",
            "pas de réponse",
            "keine Antwort",
            "no response",
        ],
    ),
    (
        "other",
        [
            "ander resultaat",
            "autre résultat",
            "anderes Ergebnis",
            "other result",
        ],
    ),
];

pub const LETTERS: &[Entry] = &[
    (
        "quick_scan_invitation",
        [
            "uitnodiging quickscan",
            "invitation au Quick Scan",
            "Einladung zum Quick-Scan",
            "quick-scan invitation",
        ],
    ),
    (
        "first_contact_invitation",
        [
            "uitnodiging eerste gesprek",
            "invitation au premier entretien",
            "Einladung zum Erstgespräch",
            "first-contact invitation",
        ],
    ),
    (
        "reminder",
        ["herinnering", "rappel", "Erinnerung", "reminder"],
    ),
];

pub const STEP_OWNERS: &[Entry] = &[
    ("member", ["lid", "membre", "Mitglied", "member"]),
    (
        "coordinator",
        ["coördinator", "coordinateur", "Koordinator", "coordinator"],
    ),
    (
        "advisory_doctor",
        [
            "adviserend arts",
            "médecin-conseil",
            "Vertrauensarzt",
            "advisory doctor",
        ],
    ),
    (
        "occupational_physician",
        [
            "arbeidsarts",
            "médecin du travail",
            "Arbeitsarzt",
            "occupational physician",
        ],
    ),
    (
        "employer",
        ["werkgever", "employeur", "Arbeitgeber", "employer"],
    ),
    (
        "employment_service",
        [
            "dienst voor arbeidsbemiddeling",
            "service de l'emploi",
            "Arbeitsvermittlung",
            "employment service",
        ],
    ),
    (
        "treating_physician",
        [
            "behandelend arts",
            "médecin traitant",
            "behandelnder Arzt",
            "treating physician",
        ],
    ),
    (
        "other",
        [
            "iemand anders",
            "quelqu'un d'autre",
            "jemand anderes",
            "someone else",
        ],
    ),
];

pub const REQUESTERS: &[Entry] = &[
    (
        "worker",
        ["werknemer", "travailleur", "Arbeitnehmer", "worker"],
    ),
    (
        "advisory_doctor",
        [
            "adviserend arts",
            "médecin-conseil",
            "Vertrauensarzt",
            "advisory doctor",
        ],
    ),
    (
        "employer",
        ["werkgever", "employeur", "Arbeitgeber", "employer"],
    ),
    (
        "treating_physician",
        [
            "behandelend arts",
            "médecin traitant",
            "behandelnder Arzt",
            "treating physician",
        ],
    ),
];

/// The occupational physician's decisions keep their letters: what a letter means
/// depends on the rule set in force on the decision's date (docs/domain.md).
pub const DECISIONS: &[Entry] = &[
    ("A", ["A", "A", "A", "A"]),
    ("B", ["B", "B", "B", "B"]),
    ("C", ["C", "C", "C", "C"]),
    ("D", ["D", "D", "D", "D"]),
    ("E", ["E", "E", "E", "E"]),
];

pub const PLAN_STATUSES: &[Entry] = &[
    ("drafted", ["opgesteld", "rédigé", "erstellt", "drafted"]),
    (
        "accepted",
        ["aanvaard", "accepté", "angenommen", "accepted"],
    ),
    (
        "refused_by_worker",
        [
            "geweigerd door de werknemer",
            "refusé par le travailleur",
            "vom Arbeitnehmer abgelehnt",
            "refused by the worker",
        ],
    ),
    (
        "refused_by_employer",
        [
            "geweigerd door de werkgever",
            "refusé par l'employeur",
            "vom Arbeitgeber abgelehnt",
            "refused by the employer",
        ],
    ),
    (
        "carried_out",
        ["uitgevoerd", "mis en œuvre", "umgesetzt", "carried out"],
    ),
];

/// The regional employment services, by their own names.
pub const SERVICES: &[Entry] = &[
    ("vdab", ["VDAB", "VDAB", "VDAB", "VDAB"]),
    ("forem", ["Forem", "Forem", "Forem", "Forem"]),
    ("actiris", ["Actiris", "Actiris", "Actiris", "Actiris"]),
    ("adg", ["ADG", "ADG", "ADG", "ADG"]),
];

pub const ACTIVITIES: &[Entry] = &[
    (
        "training",
        ["opleiding", "formation", "Ausbildung", "training"],
    ),
    (
        "retraining",
        ["omscholing", "reconversion", "Umschulung", "retraining"],
    ),
    (
        "coaching",
        ["begeleiding", "accompagnement", "Coaching", "coaching"],
    ),
    (
        "reorientation",
        [
            "heroriëntering",
            "réorientation",
            "Neuorientierung",
            "reorientation",
        ],
    ),
    (
        "workplace_learning",
        [
            "leren op de werkplek",
            "apprentissage sur le lieu de travail",
            "Lernen am Arbeitsplatz",
            "workplace learning",
        ],
    ),
    (
        "unpaid_work",
        [
            "onbetaald werk",
            "travail non rémunéré",
            "unbezahlte Arbeit",
            "unpaid work",
        ],
    ),
    (
        "other",
        [
            "andere activiteit",
            "autre activité",
            "andere Tätigkeit",
            "other activity",
        ],
    ),
];

pub const EXTENTS: &[Entry] = &[
    (
        "full_time",
        ["voltijds", "à temps plein", "Vollzeit", "full-time"],
    ),
    (
        "part_time",
        ["deeltijds", "à temps partiel", "Teilzeit", "part-time"],
    ),
];

pub const STOP_REASONS: &[Entry] = &[
    ("health", ["gezondheid", "santé", "Gesundheit", "health"]),
    (
        "back_to_work",
        [
            "weer aan het werk",
            "retour au travail",
            "wieder an der Arbeit",
            "back at work",
        ],
    ),
    (
        "unable_to_work",
        [
            "niet in staat te werken",
            "incapable de travailler",
            "nicht arbeitsfähig",
            "unable to work",
        ],
    ),
    (
        "expectations",
        [
            "verwachtingen niet ingelost",
            "attentes non rencontrées",
            "Erwartungen nicht erfüllt",
            "expectations not met",
        ],
    ),
    (
        "referred",
        [
            "elders doorverwezen",
            "orienté ailleurs",
            "anderweitig verwiesen",
            "referred elsewhere",
        ],
    ),
    (
        "other",
        [
            "andere reden",
            "autre raison",
            "anderer Grund",
            "other reason",
        ],
    ),
];

pub const CONSENT_ROLES: &[Entry] = &[
    (
        "coordinator",
        [
            "terug-naar-werk-coördinator",
            "coordinateur retour au travail",
            "Rückkehrkoordinator",
            "return-to-work coordinator",
        ],
    ),
    (
        "paramedic",
        [
            "paramedisch medewerker",
            "collaborateur paramédical",
            "paramedizinische Fachkraft",
            "paramedical staff",
        ],
    ),
    (
        "advisory_doctor",
        [
            "adviserend arts",
            "médecin-conseil",
            "Vertrauensarzt",
            "advisory doctor",
        ],
    ),
    (
        "occupational_physician",
        [
            "arbeidsarts",
            "médecin du travail",
            "Arbeitsarzt",
            "occupational physician",
        ],
    ),
    (
        "employer",
        ["werkgever", "employeur", "Arbeitgeber", "employer"],
    ),
    (
        "employment_service",
        [
            "dienst voor arbeidsbemiddeling",
            "service de l'emploi",
            "Arbeitsvermittlung",
            "employment service",
        ],
    ),
    (
        "treating_physician",
        [
            "behandelend arts",
            "médecin traitant",
            "behandelnder Arzt",
            "treating physician",
        ],
    ),
];

pub const CONSENT_SCOPES: &[Entry] = &[
    ("dossier", ["dossier", "dossier", "Akte", "dossier"]),
    (
        "reintegration_plan",
        [
            "re-integratieplan",
            "plan de réintégration",
            "Wiedereingliederungsplan",
            "re-integration plan",
        ],
    ),
    (
        "quick_scan",
        [
            "vragenlijst (quickscan)",
            "questionnaire (Quick Scan)",
            "Fragebogen (Quick-Scan)",
            "questionnaire (quick scan)",
        ],
    ),
    (
        "medical",
        [
            "medische gegevens",
            "données médicales",
            "medizinische Daten",
            "medical data",
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
];

/// What a re-integration plan offers.
pub const PLAN_WORKS: &[Entry] = &[
    (
        "adapted",
        [
            "Aangepast werk",
            "Travail adapté",
            "Angepasste Arbeit",
            "Adapted work",
        ],
    ),
    (
        "other",
        ["Ander werk", "Autre travail", "Andere Arbeit", "Other work"],
    ),
];

/// How a socio-professional trajectory ended.
pub const SOCIO_RESULTS: &[Entry] = &[
    (
        "work_found",
        [
            "Werk gevonden",
            "Travail trouvé",
            "Arbeit gefunden",
            "Work found",
        ],
    ),
    (
        "training_completed",
        [
            "Opleiding afgerond",
            "Formation terminée",
            "Ausbildung abgeschlossen",
            "Training completed",
        ],
    ),
    (
        "ready_for_work",
        [
            "Klaar voor werk",
            "Prêt pour le travail",
            "Bereit für die Arbeit",
            "Ready for work",
        ],
    ),
    (
        "not_completed",
        [
            "Niet afgerond",
            "Pas terminé",
            "Nicht abgeschlossen",
            "Not completed",
        ],
    ),
];
