//! Interface texts in Dutch, French, German and English. The language is the user's
//! explicit choice (the language switch), then their account's preference, then the
//! browser's Accept-Language, then Dutch.

use axum::http::HeaderMap;

pub const LANGUAGES: [&str; 4] = ["nl", "fr", "de", "en"];

/// Every message: key, then nl, fr, de, en.
pub const MESSAGES: &[(&str, [&str; 4])] = &[
    (
        "app_name",
        [
            "Terug naar werk",
            "Retour au travail",
            "Rückkehr zur Arbeit",
            "Return to work",
        ],
    ),
    ("login", ["Aanmelden", "Se connecter", "Anmelden", "Log in"]),
    (
        "logout",
        ["Afmelden", "Se déconnecter", "Abmelden", "Log out"],
    ),
    (
        "username",
        [
            "Gebruikersnaam",
            "Nom d'utilisateur",
            "Benutzername",
            "Username",
        ],
    ),
    (
        "password",
        ["Wachtwoord", "Mot de passe", "Passwort", "Password"],
    ),
    (
        "login_failed",
        [
            "Onbekende gebruiker of verkeerd wachtwoord.",
            "Utilisateur inconnu ou mot de passe erroné.",
            "Unbekannter Benutzer oder falsches Passwort.",
            "Unknown user or wrong password.",
        ],
    ),
    (
        "login_throttled",
        [
            "Te veel mislukte pogingen. Probeer het later opnieuw.",
            "Trop de tentatives échouées. Réessayez plus tard.",
            "Zu viele Fehlversuche. Versuchen Sie es später erneut.",
            "Too many failed attempts. Try again later.",
        ],
    ),
    (
        "worklist",
        ["Werklijst", "Liste de travail", "Arbeitsliste", "Worklist"],
    ),
    ("dossier", ["Dossier", "Dossier", "Akte", "Dossier"]),
    ("task", ["Taak", "Tâche", "Aufgabe", "Task"]),
    ("due", ["Uiterlijk", "Échéance", "Fällig", "Due"]),
    ("state", ["Status", "Statut", "Status", "State"]),
    ("open", ["open", "ouvert", "offen", "open"]),
    ("overdue", ["te laat", "en retard", "überfällig", "overdue"]),
    ("filter", ["Filteren", "Filtrer", "Filtern", "Filter"]),
    ("region", ["Regio", "Région", "Region", "Region"]),
    (
        "category",
        ["Categorie", "Catégorie", "Kategorie", "Category"],
    ),
    ("all", ["alle", "tous", "alle", "all"]),
    (
        "due_within",
        [
            "Uiterlijk binnen (dagen)",
            "Échéance dans (jours)",
            "Fällig innerhalb (Tage)",
            "Due within (days)",
        ],
    ),
    (
        "no_tasks",
        [
            "Geen open taken.",
            "Aucune tâche ouverte.",
            "Keine offenen Aufgaben.",
            "No open tasks.",
        ],
    ),
    (
        "timeline",
        ["Tijdlijn", "Ligne du temps", "Zeitleiste", "Timeline"],
    ),
    (
        "events",
        [
            "Wat er gebeurde",
            "Ce qui s'est passé",
            "Was geschah",
            "What happened",
        ],
    ),
    (
        "consents",
        [
            "Toestemmingen",
            "Consentements",
            "Einwilligungen",
            "Consents",
        ],
    ),
    (
        "medical",
        [
            "Medisch (beroepsgeheim)",
            "Médical (secret médical)",
            "Medizinisch (Schweigepflicht)",
            "Medical (medical secrecy)",
        ],
    ),
    (
        "condition",
        ["Aandoening", "Affection", "Erkrankung", "Condition"],
    ),
    (
        "quick_scan",
        [
            "Vragenlijst (quickscan)",
            "Questionnaire (quick scan)",
            "Fragebogen (Quick-Scan)",
            "Questionnaire (quick scan)",
        ],
    ),
    ("identity", ["Persoon", "Personne", "Person", "Person"]),
    ("name", ["Naam", "Nom", "Name", "Name"]),
    (
        "incapacity_since",
        [
            "Arbeidsongeschikt sinds",
            "En incapacité depuis",
            "Arbeitsunfähig seit",
            "Incapacitated since",
        ],
    ),
    ("ended", ["Beëindigd", "Terminé", "Beendet", "Ended"]),
    ("scheme", ["Statuut", "Statut", "Status", "Scheme"]),
    (
        "employer",
        ["Werkgever", "Employeur", "Arbeitgeber", "Employer"],
    ),
    ("date", ["Datum", "Date", "Datum", "Date"]),
    ("rule", ["Regel", "Règle", "Regel", "Rule"]),
    ("reason", ["Waarom", "Pourquoi", "Warum", "Why"]),
    ("actor", ["Wie", "Qui", "Wer", "Who"]),
    (
        "record_contact",
        [
            "Contact registreren",
            "Enregistrer un contact",
            "Kontakt erfassen",
            "Record a contact",
        ],
    ),
    ("mode", ["Vorm", "Mode", "Art", "Mode"]),
    (
        "in_person",
        ["persoonlijk", "en personne", "persönlich", "in person"],
    ),
    ("phone", ["telefoon", "téléphone", "Telefon", "phone"]),
    ("video", ["video", "vidéo", "Video", "video"]),
    (
        "first_contact",
        [
            "Eerste contact",
            "Premier contact",
            "Erstkontakt",
            "First contact",
        ],
    ),
    ("save", ["Opslaan", "Enregistrer", "Speichern", "Save"]),
    (
        "saved",
        ["Opgeslagen.", "Enregistré.", "Gespeichert.", "Saved."],
    ),
    ("language", ["Taal", "Langue", "Sprache", "Language"]),
    (
        "my_dossiers",
        [
            "Mijn dossiers",
            "Mes dossiers",
            "Meine Akten",
            "My dossiers",
        ],
    ),
    (
        "where_am_i",
        [
            "Waar sta ik, wat komt er, wie doet wat",
            "Où en suis-je, quelle est la suite, qui fait quoi",
            "Wo stehe ich, was kommt, wer macht was",
            "Where am I, what comes next, who does what",
        ],
    ),
    (
        "give_consent",
        [
            "Toestemming geven",
            "Donner mon consentement",
            "Einwilligung erteilen",
            "Give consent",
        ],
    ),
    (
        "withdraw_consent",
        ["Intrekken", "Retirer", "Widerrufen", "Withdraw"],
    ),
    ("to_whom", ["Aan wie", "À qui", "Wem", "To whom"]),
    ("for_what", ["Waarvoor", "Pour quoi", "Wofür", "For what"]),
    (
        "access_log",
        [
            "Wie opende mijn dossier",
            "Qui a ouvert mon dossier",
            "Wer hat meine Akte geöffnet",
            "Who opened my dossier",
        ],
    ),
    ("when", ["Wanneer", "Quand", "Wann", "When"]),
    ("role", ["Rol", "Rôle", "Rolle", "Role"]),
    ("purpose", ["Doel", "Finalité", "Zweck", "Purpose"]),
    (
        "audit_log",
        ["Auditlog", "Journal d'audit", "Prüfprotokoll", "Audit log"],
    ),
    ("users", ["Gebruikers", "Utilisateurs", "Benutzer", "Users"]),
    (
        "rule_sets",
        ["Regelsets", "Jeux de règles", "Regelwerke", "Rule sets"],
    ),
    (
        "in_force_from",
        [
            "Van kracht vanaf",
            "En vigueur depuis",
            "In Kraft ab",
            "In force from",
        ],
    ),
    (
        "no_access",
        [
            "U hebt geen toegang tot dit dossier.",
            "Vous n'avez pas accès à ce dossier.",
            "Sie haben keinen Zugriff auf diese Akte.",
            "You have no access to this dossier.",
        ],
    ),
    (
        "not_found",
        [
            "Niet gevonden.",
            "Introuvable.",
            "Nicht gefunden.",
            "Not found.",
        ],
    ),
    (
        "analyst_note",
        [
            "Analisten zien enkel gepseudonimiseerde cijfers, nooit een dossier.",
            "Les analystes ne voient que des chiffres pseudonymisés, jamais un dossier.",
            "Analysten sehen nur pseudonymisierte Zahlen, nie eine Akte.",
            "Analysts see pseudonymised figures only, never a dossier.",
        ],
    ),
    ("none", ["geen", "aucun", "keine", "none"]),
    (
        "open_dossier",
        [
            "Open dossier",
            "Ouvrir le dossier",
            "Akte öffnen",
            "Open dossier",
        ],
    ),
    (
        "record_event",
        ["Registreren", "Enregistrer", "Erfassen", "Record"],
    ),
    (
        "action_plan",
        ["Actieplan", "Plan d'action", "Aktionsplan", "Action plan"],
    ),
    (
        "partner_referral",
        [
            "Doorverwijzing naar partner",
            "Orientation vers un partenaire",
            "Überweisung an Partner",
            "Referral to a partner",
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
        "work_resumed",
        [
            "Werkhervatting",
            "Reprise du travail",
            "Wiederaufnahme der Arbeit",
            "Return to work",
        ],
    ),
    (
        "capacity_assessed",
        [
            "Categorie toekennen",
            "Attribuer une catégorie",
            "Kategorie zuweisen",
            "Assign a category",
        ],
    ),
    (
        "referred_to_coordinator",
        [
            "Doorverwijzen naar de coördinator",
            "Orienter vers le coordinateur",
            "An den Koordinator überweisen",
            "Refer to the coordinator",
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
        "codex_decision",
        [
            "Beslissing re-integratietraject",
            "Décision trajet de réintégration",
            "Entscheidung Wiedereingliederung",
            "Re-integration decision",
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
        "goals",
        [
            "Doelen (één per regel)",
            "Objectifs (un par ligne)",
            "Ziele (eines pro Zeile)",
            "Goals (one per line)",
        ],
    ),
    (
        "follow_up",
        [
            "Opvolgdatum",
            "Date de suivi",
            "Folgetermin",
            "Follow-up date",
        ],
    ),
    ("extent", ["Omvang", "Ampleur", "Umfang", "Extent"]),
    (
        "same_job",
        ["Zelfde job", "Même fonction", "Gleiche Stelle", "Same job"],
    ),
    (
        "adaptations",
        ["Aanpassingen", "Adaptations", "Anpassungen", "Adaptations"],
    ),
    (
        "decision",
        ["Beslissing", "Décision", "Entscheidung", "Decision"],
    ),
    (
        "caseload",
        [
            "Caseload",
            "Portefeuille de dossiers",
            "Fallbestand",
            "Caseload",
        ],
    ),
    (
        "my_caseload",
        [
            "Mijn dossiers",
            "Mes dossiers",
            "Meine Akten",
            "My dossiers",
        ],
    ),
    (
        "team_caseload",
        [
            "Caseload van het team",
            "Portefeuille de l'équipe",
            "Fallbestand des Teams",
            "Team caseload",
        ],
    ),
    (
        "doctor_queue",
        [
            "Wachtrij adviserend arts",
            "File du médecin-conseil",
            "Warteschlange Vertrauensarzt",
            "Advisory doctor's queue",
        ],
    ),
    (
        "to_assess",
        [
            "Teruggestuurde quickscans om te beoordelen",
            "Quick Scans renvoyés à évaluer",
            "Zurückgesandte Quick-Scans zur Beurteilung",
            "Returned quick scans to assess",
        ],
    ),
    (
        "reassess",
        [
            "Herbeoordelingen categorie 3 (binnen 4 weken)",
            "Réévaluations catégorie 3 (dans les 4 semaines)",
            "Neubewertungen Kategorie 3 (innerhalb von 4 Wochen)",
            "Category-3 re-assessments (within 4 weeks)",
        ],
    ),
    (
        "progressive_return",
        [
            "Progressieve werkhervattingen te beslissen",
            "Reprises progressives à décider",
            "Zu entscheidende schrittweise Wiederaufnahmen",
            "Progressive returns to decide",
        ],
    ),
    (
        "returned_on",
        [
            "Teruggestuurd op",
            "Renvoyé le",
            "Zurückgesandt am",
            "Returned on",
        ],
    ),
    (
        "assigned_to",
        [
            "Toegewezen aan",
            "Attribué à",
            "Zugewiesen an",
            "Assigned to",
        ],
    ),
    (
        "unassigned",
        [
            "Niet toegewezen",
            "Non attribué",
            "Nicht zugewiesen",
            "Unassigned",
        ],
    ),
    (
        "dossiers_count",
        [
            "Lopende dossiers",
            "Dossiers en cours",
            "Laufende Akten",
            "Ongoing dossiers",
        ],
    ),
    (
        "open_tasks",
        [
            "Open taken",
            "Tâches ouvertes",
            "Offene Aufgaben",
            "Open tasks",
        ],
    ),
    (
        "overdue_tasks",
        ["Te laat", "En retard", "Überfällig", "Overdue"],
    ),
    (
        "next_task",
        [
            "Volgende taak",
            "Prochaine tâche",
            "Nächste Aufgabe",
            "Next task",
        ],
    ),
    (
        "only_mine",
        [
            "Alleen mijn dossiers",
            "Seulement mes dossiers",
            "Nur meine Akten",
            "Only my dossiers",
        ],
    ),
    (
        "coaching",
        ["Begeleiding", "Accompagnement", "Begleitung", "Coaching"],
    ),
    (
        "contacts",
        ["Contacten", "Contacts", "Kontakte", "Contacts"],
    ),
    (
        "notes",
        [
            "Notities (niet-medisch)",
            "Notes (non médicales)",
            "Notizen (nicht medizinisch)",
            "Notes (non-medical)",
        ],
    ),
    (
        "steps",
        [
            "Afgesproken stappen",
            "Étapes convenues",
            "Vereinbarte Schritte",
            "Agreed steps",
        ],
    ),
    ("step", ["Stap", "Étape", "Schritt", "Step"]),
    ("owner", ["Wie", "Qui", "Wer", "Owner"]),
    (
        "referrals",
        [
            "Doorverwijzingen",
            "Orientations",
            "Überweisungen",
            "Partner referrals",
        ],
    ),
    ("result", ["Resultaat", "Résultat", "Ergebnis", "Result"]),
    (
        "stopped",
        [
            "Begeleiding gestopt",
            "Accompagnement arrêté",
            "Begleitung beendet",
            "Coaching stopped",
        ],
    ),
    (
        "outcome",
        [
            "Werkhervatting",
            "Reprise du travail",
            "Wiederaufnahme der Arbeit",
            "Return to work",
        ],
    ),
    (
        "partner_result",
        [
            "Resultaat doorverwijzing",
            "Résultat d'une orientation",
            "Ergebnis einer Überweisung",
            "Referral result",
        ],
    ),
    (
        "case_assigned",
        [
            "Dossier toewijzen",
            "Attribuer le dossier",
            "Akte zuweisen",
            "Assign dossier",
        ],
    ),
    (
        "new_user",
        [
            "Nieuwe gebruiker",
            "Nouvel utilisateur",
            "Neuer Benutzer",
            "New user",
        ],
    ),
    (
        "display_name",
        ["Weergavenaam", "Nom affiché", "Anzeigename", "Display name"],
    ),
    ("active", ["Actief", "Actif", "Aktiv", "Active"]),
    (
        "deactivate",
        ["Deactiveren", "Désactiver", "Deaktivieren", "Deactivate"],
    ),
    (
        "activate",
        ["Activeren", "Activer", "Aktivieren", "Activate"],
    ),
    ("create", ["Aanmaken", "Créer", "Anlegen", "Create"]),
    (
        "person_id",
        [
            "Persoon (lid)",
            "Personne (membre)",
            "Person (Mitglied)",
            "Person (member)",
        ],
    ),
    (
        "employer_id",
        [
            "Werkgever-id",
            "Identifiant employeur",
            "Arbeitgeber-ID",
            "Employer id",
        ],
    ),
    ("yes", ["ja", "oui", "ja", "yes"]),
    ("no", ["nee", "non", "nein", "no"]),
    (
        "user_exists",
        [
            "Deze gebruikersnaam bestaat al.",
            "Ce nom d'utilisateur existe déjà.",
            "Dieser Benutzername existiert bereits.",
            "This username already exists.",
        ],
    ),
    (
        "invalid_user",
        [
            "Ongeldige gegevens voor de gebruiker.",
            "Données d'utilisateur invalides.",
            "Ungültige Benutzerdaten.",
            "Invalid user data.",
        ],
    ),
    ("change", ["Wijzigen", "Modifier", "Ändern", "Change"]),
    (
        "figures",
        ["Cijfers", "Chiffres", "Kennzahlen", "Figures"],
    ),
    (
        "aggregate_note",
        ["U ziet enkel gepseudonimiseerde totalen; aantallen onder 5 worden als <5 getoond.", "Vous ne voyez que des totaux pseudonymisés ; les nombres inférieurs à 5 sont affichés comme <5.", "Sie sehen nur pseudonymisierte Summen; Anzahlen unter 5 werden als <5 angezeigt.", "You see pseudonymised aggregates only; counts below 5 are shown as <5."],
    ),
    (
        "fig_from",
        ["Begin arbeidsongeschiktheid vanaf", "Début de l'incapacité à partir du", "Beginn der Arbeitsunfähigkeit ab", "Incapacity started from"],
    ),
    (
        "fig_to",
        ["tot en met", "jusqu'au", "bis einschließlich", "up to"],
    ),
    (
        "fig_outcomes",
        ["Begeleid tegenover niet begeleid", "Accompagnés et non accompagnés", "Begleitet und nicht begleitet", "Coached against not coached"],
    ),
    (
        "fig_cohort",
        ["Groep", "Groupe", "Gruppe", "Cohort"],
    ),
    (
        "fig_dossiers",
        ["Dossiers", "Dossiers", "Akten", "Dossiers"],
    ),
    (
        "fig_returned",
        ["Werk hervat", "Reprise du travail", "Arbeit wieder aufgenommen", "Returned"],
    ),
    (
        "fig_mean_days",
        ["Gemiddeld aantal dagen tot werkhervatting", "Nombre moyen de jours jusqu'à la reprise", "Durchschnittliche Tage bis zur Wiederaufnahme", "Mean days to return"],
    ),
    (
        "fig_relapse_rate",
        ["Herval binnen een jaar", "Rechute dans l'année", "Rückfall innerhalb eines Jahres", "Relapse within a year"],
    ),
    (
        "fig_part_time",
        ["Deeltijdse hervattingen", "Reprises à temps partiel", "Teilzeit-Wiederaufnahmen", "Part-time returns"],
    ),
    (
        "fig_full_rate",
        ["Daarna voltijds", "Ensuite à temps plein", "Danach Vollzeit", "Then full-time"],
    ),
    (
        "fig_coached",
        ["Begeleid", "Accompagnés", "Begleitet", "Coached"],
    ),
    (
        "fig_not_coached",
        ["Niet begeleid", "Non accompagnés", "Nicht begleitet", "Not coached"],
    ),
    (
        "fig_comparison",
        ["Vergelijking", "Comparaison", "Vergleich", "Comparison"],
    ),
    (
        "fig_measure",
        ["Maat", "Mesure", "Maß", "Measure"],
    ),
    (
        "fig_value",
        ["Waarde", "Valeur", "Wert", "Value"],
    ),
    (
        "fig_days_sooner",
        ["Dagen sneller aan het werk", "Jours plus tôt au travail", "Tage früher an der Arbeit", "Days sooner back at work"],
    ),
    (
        "fig_relapse_reduction",
        ["Minder herval", "Moins de rechutes", "Weniger Rückfälle", "Relapse reduction"],
    ),
    (
        "fig_full_increase",
        ["Meer voltijdse hervatting", "Plus de reprises à temps plein", "Mehr Vollzeit-Wiederaufnahmen", "Full-resumption increase"],
    ),
    (
        "fig_timing",
        ["Dagen vanaf het begin van de arbeidsongeschiktheid", "Jours depuis le début de l'incapacité", "Tage seit Beginn der Arbeitsunfähigkeit", "Days from the start of the incapacity"],
    ),
    (
        "fig_step",
        ["Stap", "Étape", "Schritt", "Step"],
    ),
    (
        "fig_median",
        ["Mediaan (dagen)", "Médiane (jours)", "Median (Tage)", "Median (days)"],
    ),
    (
        "fig_p90",
        ["90e percentiel", "90e percentile", "90. Perzentil", "90th percentile"],
    ),
    (
        "fig_to_quick_scan",
        ["Quickscan verstuurd", "Quick Scan envoyé", "Quick-Scan versandt", "Quick scan sent"],
    ),
    (
        "fig_to_assessment",
        ["Beoordeling", "Évaluation", "Beurteilung", "Assessment"],
    ),
    (
        "fig_to_referral",
        ["Doorverwijzing naar de coördinator", "Orientation vers le coordinateur", "Überweisung an den Koordinator", "Referral to the coordinator"],
    ),
    (
        "fig_to_first_contact",
        ["Eerste contact", "Premier contact", "Erstkontakt", "First contact"],
    ),
    (
        "fig_rates",
        ["Termijnen en duurzame hervatting", "Délais et reprise durable", "Fristen und nachhaltige Rückkehr", "Deadlines and sustained return"],
    ),
    (
        "fig_first_contact_month",
        ["Eerste contact binnen een maand na doorverwijzing", "Premier contact dans le mois suivant l'orientation", "Erstkontakt innerhalb eines Monats nach Überweisung", "First contact within a month of referral"],
    ),
    (
        "survey_title",
        ["Ervaringsbevraging", "Enquête sur l'expérience", "Erfahrungsumfrage", "Experience survey"],
    ),
    (
        "survey_intro",
        ["Antwoorden per vraag: n, het aantal gevraagden (basis) en het percentage van de gevraagden, op één decimaal.", "Réponses par question : n, le nombre de personnes interrogées (base) et le pourcentage des personnes interrogées, à une décimale.", "Antworten je Frage: n, die Zahl der Befragten (Basis) und der Anteil der Befragten in Prozent, auf eine Dezimale.", "Answers per question: n, the number asked (base) and the percentage of those asked, to one decimal."],
    ),
    (
        "survey_respondents",
        ["Respondenten", "Répondants", "Befragte", "Respondents"],
    ),
    (
        "survey_none",
        ["Er zijn nog geen antwoorden op de bevraging ingelezen (tnw survey import).", "Aucune réponse à l'enquête n'a encore été importée (tnw survey import).", "Es wurden noch keine Antworten auf die Umfrage eingelesen (tnw survey import).", "No survey responses have been imported yet (tnw survey import)."],
    ),
    (
        "survey_option",
        ["Antwoord", "Réponse", "Antwort", "Answer"],
    ),
    (
        "survey_n",
        ["Aantal", "Nombre", "Anzahl", "Number"],
    ),
    (
        "survey_base",
        ["Gevraagd", "Interrogés", "Befragt", "Asked"],
    ),
    (
        "survey_percent",
        ["%", "%", "%", "%"],
    ),
    (
        "survey_mean",
        ["Gemiddelde", "Moyenne", "Mittelwert", "Mean"],
    ),
    (
        "survey_asked_if",
        ["Gevraagd als", "Posée si", "Gestellt, wenn", "Asked if"],
    ),
    (
        "fig_sustained",
        ["Nog aan het werk", "Toujours au travail", "Noch an der Arbeit", "Still at work"],
    ),
    (
        "fig_base",
        ["Basis", "Base", "Basis", "Base"],
    ),
    (
        "fig_count",
        ["Aantal", "Nombre", "Anzahl", "Count"],
    ),
    (
        "fig_share",
        ["Aandeel", "Part", "Anteil", "Share"],
    ),
    (
        "send_letter",
        ["Versturen en afdrukken", "Envoyer et imprimer", "Versenden und drucken", "Send and print"],
    ),
    (
        "letter_recorded",
        ["De brief is in het dossier opgenomen.", "La lettre a été enregistrée dans le dossier.", "Der Brief wurde in der Akte vermerkt.", "The letter is recorded in the dossier."],
    ),
    (
        "letters",
        ["Brieven", "Lettres", "Briefe", "Letters"],
    ),
    (
        "quick_scan_invitation",
        ["Uitnodiging quickscan", "Invitation au Quick Scan", "Einladung zum Quick-Scan", "Quick-scan invitation"],
    ),
    (
        "first_contact_invitation",
        ["Uitnodiging eerste gesprek", "Invitation au premier entretien", "Einladung zum Erstgespräch", "First-contact invitation"],
    ),
    (
        "reminder",
        ["Herinnering", "Rappel", "Erinnerung", "Reminder"],
    ),
    (
        "quick_scan_intro",
        ["Uw antwoorden worden bewaard terwijl u invult. U verstuurt de vragenlijst één keer. Wie uw antwoorden leest: de adviserend arts van uw ziekenfonds; met uw toestemming voor medische gegevens ook de arbeidsarts van uw werkgever en uw behandelend arts; tot u de vragenlijst verstuurt ook de terug-naar-werk-coördinator of de paramedicus van het ziekenfonds die uw dossier volgt, omdat zij ze samen met u kunnen invullen en zo de bewaarde antwoorden zien.", "Vos réponses sont enregistrées au fur et à mesure. Vous envoyez le questionnaire une seule fois. Qui lit vos réponses : le médecin-conseil de votre mutualité ; avec votre consentement pour les données médicales, aussi le médecin du travail de votre employeur et votre médecin traitant ; jusqu'à l'envoi du questionnaire, aussi le coordinateur retour au travail ou le paramédical de la mutualité qui suit votre dossier, car ils peuvent le remplir avec vous et voient donc les réponses enregistrées.", "Ihre Antworten werden beim Ausfüllen gespeichert. Sie senden den Fragebogen einmal. Wer Ihre Antworten liest: der Vertrauensarzt Ihrer Krankenkasse; mit Ihrer Einwilligung für medizinische Daten auch der Arbeitsarzt Ihres Arbeitgebers und Ihr behandelnder Arzt; bis Sie den Fragebogen senden, auch der Rückkehrkoordinator oder die paramedizinische Fachkraft der Krankenkasse, die Ihre Akte betreut, weil sie ihn mit Ihnen ausfüllen können und so die gespeicherten Antworten sehen.", "Your answers are saved as you go. You send the questionnaire once. Who reads your answers: the advisory doctor of your fund; with your consent for medical information, also your employer's occupational physician and your treating physician; until you send the questionnaire, also the return-to-work coordinator or the fund's paramedic who follows your dossier, because they can fill it in with you and so see the answers saved so far."],
    ),
    (
        "quick_scan_closed",
        ["Er staat geen vragenlijst open in dit dossier (niet verstuurd of al teruggestuurd).", "Aucun questionnaire n'est ouvert dans ce dossier (pas envoyé ou déjà renvoyé).", "In dieser Akte ist kein Fragebogen offen (nicht versandt oder schon zurückgesandt).", "No questionnaire is open in this dossier (not sent, or already returned)."],
    ),
    (
        "only_if_applicable",
        ["Enkel als het op u van toepassing is.", "Seulement si cela vous concerne.", "Nur wenn es auf Sie zutrifft.", "Only if it applies to you."],
    ),
    (
        "draft_saved",
        ["Bewaard.", "Enregistré.", "Gespeichert.", "Saved."],
    ),
    (
        "send_quick_scan",
        ["Vragenlijst versturen", "Envoyer le questionnaire", "Fragebogen senden", "Send the questionnaire"],
    ),
    (
        "fill_quick_scan",
        ["Vragenlijst invullen", "Remplir le questionnaire", "Fragebogen ausfüllen", "Fill in the questionnaire"],
    ),
    (
        "answer",
        ["Antwoord", "Réponse", "Antwort", "Answer"],
    ),
    (
        "question",
        ["Vraag", "Question", "Frage", "Question"],
    ),
];

/// The message for `key` in `lang` (English if `lang` is not one of ours, `?` if the
/// key is missing), from this catalogue or the page texts of `crate::labels`.
pub fn t(lang: &str, key: &str) -> &'static str {
    let i = LANGUAGES.iter().position(|l| *l == lang).unwrap_or(3);
    MESSAGES
        .iter()
        .chain(crate::labels::TEXTS)
        .find(|(k, _)| *k == key)
        .map(|(_, m)| m[i])
        .unwrap_or("?")
}

fn supported(code: &str) -> Option<&'static str> {
    let code = code.trim().to_ascii_lowercase();
    let primary = code.split(['-', '_']).next().unwrap_or("");
    LANGUAGES.iter().copied().find(|l| *l == primary)
}

/// Picks the language for a request.
pub fn language(headers: &HeaderMap, user_pref: Option<&str>) -> &'static str {
    if let Some(l) =
        crate::security::cookie(headers, crate::security::LANG_COOKIE).and_then(supported)
    {
        return l;
    }
    if let Some(l) = user_pref.and_then(supported) {
        return l;
    }
    let accept = headers
        .get(axum::http::header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    // Highest q first; ties keep the header's order.
    let mut offers: Vec<(f32, &'static str)> = accept
        .split(',')
        .filter_map(|part| {
            let mut it = part.split(';');
            let lang = supported(it.next()?)?;
            let q = it
                .find_map(|p| p.trim().strip_prefix("q="))
                .and_then(|q| q.parse().ok())
                .unwrap_or(1.0);
            Some((q, lang))
        })
        .collect();
    offers.sort_by(|a, b| b.0.total_cmp(&a.0));
    offers.first().map(|(_, l)| *l).unwrap_or("nl")
}

/// Translator handed to templates.
#[derive(Clone, Copy)]
pub struct Tr {
    pub lang: &'static str,
}

impl Tr {
    pub fn get(&self, key: &str) -> &'static str {
        t(self.lang, key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_exists_in_every_language_once() {
        let mut keys: Vec<&str> = MESSAGES.iter().map(|(k, _)| *k).collect();
        for (k, m) in MESSAGES {
            for (i, text) in m.iter().enumerate() {
                assert!(!text.trim().is_empty(), "{k} is empty in {}", LANGUAGES[i]);
            }
        }
        let n = keys.len();
        keys.sort();
        keys.dedup();
        assert_eq!(n, keys.len(), "duplicate message keys");
    }

    #[test]
    fn every_key_used_by_a_template_exists() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/templates");
        let mut used = 0;
        for entry in std::fs::read_dir(dir).unwrap() {
            let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
            for part in text.split("t.get(\"").skip(1) {
                let key = &part[..part.find('"').unwrap()];
                assert!(t("en", key) != "?", "template key {key} has no message");
                used += 1;
            }
        }
        assert!(used > 20, "templates use the catalogue");
    }

    #[test]
    fn language_choice() {
        let mut h = HeaderMap::new();
        assert_eq!(language(&h, None), "nl");
        h.insert(
            "accept-language",
            "de-BE;q=0.5, fr-BE, en;q=0.8".parse().unwrap(),
        );
        assert_eq!(language(&h, None), "fr");
        assert_eq!(language(&h, Some("en")), "en");
        h.insert("cookie", "tnw_lang=de".parse().unwrap());
        assert_eq!(language(&h, Some("en")), "de");
        assert_eq!(t("fr", "worklist"), "Liste de travail");
    }
}
