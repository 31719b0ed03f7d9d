//! Page texts beside the interface's catalogue (`crate::i18n::MESSAGES`): the member's
//! page, and the words around labels. `Tr::get` finds them like any message.

use super::Entry;

pub const TEXTS: &[Entry] = &[
    (
        "me_dossier",
        ["Uw dossier", "Votre dossier", "Ihre Akte", "Your dossier"],
    ),
    (
        "me_since",
        [
            "U bent arbeidsongeschikt sinds {0}.",
            "Vous êtes en incapacité de travail depuis le {0}.",
            "Sie sind seit dem {0} arbeitsunfähig.",
            "You have been unable to work since {0}.",
        ],
    ),
    (
        "me_todo",
        [
            "Wat u nu moet doen",
            "Ce que vous devez faire maintenant",
            "Was Sie jetzt tun müssen",
            "What you need to do now",
        ],
    ),
    (
        "me_nothing_to_do",
        [
            "U hoeft op dit moment niets te doen. Als er iets van u verwacht wordt, ziet u het hier.",
            "Vous n'avez rien à faire pour le moment. Quand quelque chose sera attendu de vous, vous le verrez ici.",
            "Im Moment müssen Sie nichts tun. Wenn etwas von Ihnen erwartet wird, sehen Sie es hier.",
            "There is nothing you need to do right now. When something is expected of you, you will see it here.",
        ],
    ),
    (
        "me_due_by",
        [
            "uiterlijk op {0}",
            "au plus tard le {0}",
            "bis spätestens {0}",
            "by {0}",
        ],
    ),
    (
        "me_late",
        [
            "Dit is te laat. Doe het zo snel mogelijk of neem contact op met uw ziekenfonds.",
            "Le délai est dépassé. Faites-le au plus vite ou contactez votre mutualité.",
            "Die Frist ist überschritten. Erledigen Sie es so bald wie möglich oder wenden Sie sich an Ihre Krankenkasse.",
            "This is late. Please do it as soon as you can, or contact your fund.",
        ],
    ),
    (
        "me_helpers",
        ["Wie u helpt", "Qui vous aide", "Wer Ihnen hilft", "Who helps you"],
    ),
    (
        "me_coordinator",
        [
            "Uw terug-naar-werk-coördinator: {0}",
            "Votre coordinateur retour au travail : {0}",
            "Ihr Rückkehrkoordinator: {0}",
            "Your return-to-work coordinator: {0}",
        ],
    ),
    (
        "me_no_coordinator",
        [
            "U hebt nog geen terug-naar-werk-coördinator. Als de adviserend arts u doorverwijst, of als u er zelf om vraagt, krijgt u er een.",
            "Vous n'avez pas encore de coordinateur retour au travail. Vous en aurez un si le médecin-conseil vous oriente ou si vous le demandez vous-même.",
            "Sie haben noch keinen Rückkehrkoordinator. Sie bekommen einen, wenn der Vertrauensarzt Sie verweist oder wenn Sie selbst darum bitten.",
            "You do not have a return-to-work coordinator yet. You get one when the advisory doctor refers you, or when you ask for one yourself.",
        ],
    ),
    (
        "me_fund",
        [
            "Uw ziekenfonds: de adviserend arts en het terug-naar-werk-team volgen uw dossier op en beantwoorden uw vragen.",
            "Votre mutualité : le médecin-conseil et l'équipe retour au travail suivent votre dossier et répondent à vos questions.",
            "Ihre Krankenkasse: Der Vertrauensarzt und das Rückkehrteam begleiten Ihre Akte und beantworten Ihre Fragen.",
            "Your health insurance fund: the advisory doctor and the return-to-work team follow your dossier and answer your questions.",
        ],
    ),
    (
        "me_path",
        [
            "Uw traject: wat gebeurde en wat komt",
            "Votre parcours : ce qui s'est passé et ce qui vient",
            "Ihr Weg: was geschah und was kommt",
            "Your path: what happened and what comes next",
        ],
    ),
    (
        "me_consents",
        [
            "Met wie u uw gegevens deelt",
            "Avec qui vous partagez vos données",
            "Mit wem Sie Ihre Daten teilen",
            "Who you share your data with",
        ],
    ),
    (
        "me_no_consents",
        [
            "U deelt uw gegevens met niemand buiten het ziekenfonds.",
            "Vous ne partagez vos données avec personne en dehors de la mutualité.",
            "Sie teilen Ihre Daten mit niemandem außerhalb der Krankenkasse.",
            "You share your data with no one outside the fund.",
        ],
    ),
    (
        "me_access_log",
        [
            "Wie uw dossier opende",
            "Qui a ouvert votre dossier",
            "Wer Ihre Akte geöffnet hat",
            "Who opened your dossier",
        ],
    ),
    (
        "qs_return_by",
        [
            "Stuur de vragenlijst terug uiterlijk op {0}.",
            "Renvoyez le questionnaire au plus tard le {0}.",
            "Bitte senden Sie den Fragebogen bis spätestens {0} zurück.",
            "Please send the questionnaire back by {0}.",
        ],
    ),
    (
        "rules_count",
        ["{0} regels", "{0} règles", "{0} Regeln", "{0} rules"],
    ),
    ("audit_what", ["Wat", "Quoi", "Was", "What"]),
    (
        "audit_absence_list",
        [
            "afwezigheidslijst {0} van werkgever {1}: {2}",
            "liste des absences {0} de l'employeur {1} : {2}",
            "Abwesenheitsliste {0} des Arbeitgebers {1}: {2}",
            "absence list {0} of employer {1}: {2}",
        ],
    ),
    (
        "audit_account_created",
        [
            "account aangemaakt: {0}",
            "compte créé : {0}",
            "Konto angelegt: {0}",
            "account created: {0}",
        ],
    ),
    (
        "audit_account_changed",
        [
            "account gewijzigd: {0}",
            "compte modifié : {0}",
            "Konto geändert: {0}",
            "account changed: {0}",
        ],
    ),
    (
        "audit_import",
        [
            "nr. {0}: {1} gebeurtenissen in {2} dossiers",
            "n° {0} : {1} événements dans {2} dossiers",
            "Nr. {0}: {1} Ereignisse in {2} Akten",
            "#{0}: {1} events in {2} dossiers",
        ],
    ),
    (
        "refusal_no_dossier_access",
        [
            "deze rol heeft geen toegang tot dossiers",
            "ce rôle n'a pas accès aux dossiers",
            "diese Rolle hat keinen Zugang zu Akten",
            "this role has no access to dossiers",
        ],
    ),
    (
        "refusal_not_yours",
        [
            "niet het eigen dossier",
            "pas son propre dossier",
            "nicht die eigene Akte",
            "not their own dossier",
        ],
    ),
    (
        "refusal_not_assigned",
        [
            "dossier niet toegewezen",
            "dossier non attribué",
            "Akte nicht zugewiesen",
            "dossier not assigned to them",
        ],
    ),
    (
        "refusal_no_consent",
        [
            "geen toestemming van het lid",
            "pas de consentement du membre",
            "keine Einwilligung des Mitglieds",
            "no consent from the member",
        ],
    ),
    (
        "refusal_other_fund",
        [
            "cijfers van een ander ziekenfonds",
            "chiffres d'une autre mutualité",
            "Kennzahlen einer anderen Krankenkasse",
            "another fund's figures",
        ],
    ),
    (
        "refusal_may_not_record",
        [
            "deze rol mag niet registreren: {0}",
            "ce rôle ne peut pas enregistrer : {0}",
            "diese Rolle darf nicht erfassen: {0}",
            "this role may not record: {0}",
        ],
    ),
    (
        "refusal_unreadable",
        [
            "dossier onleesbaar",
            "dossier illisible",
            "Akte unlesbar",
            "unreadable dossier",
        ],
    ),
    (
        "form_reasons",
        [
            "Redenen (in gewone woorden, geen diagnose)",
            "Motifs (en termes simples, sans diagnostic)",
            "Gründe (in einfachen Worten, keine Diagnose)",
            "Reasons (in plain terms, no diagnosis)",
        ],
    ),
    (
        "form_plan_content",
        [
            "Inhoud van het plan",
            "Contenu du plan",
            "Inhalt des Plans",
            "What the plan holds",
        ],
    ),
    (
        "form_plan_work",
        [
            "Werk",
            "Travail",
            "Arbeit",
            "Work",
        ],
    ),
    (
        "form_plan_tasks",
        [
            "Taken",
            "Tâches",
            "Aufgaben",
            "Tasks",
        ],
    ),
    (
        "form_hours_per_week",
        [
            "Uren per week",
            "Heures par semaine",
            "Stunden pro Woche",
            "Hours a week",
        ],
    ),
    (
        "form_percent",
        [
            "Percentage van de vroegere arbeidstijd",
            "Pourcentage du temps de travail antérieur",
            "Prozent der früheren Arbeitszeit",
            "Share of the former working time",
        ],
    ),
    (
        "form_start",
        [
            "Start",
            "Début",
            "Beginn",
            "Start",
        ],
    ),
    (
        "form_weeks",
        [
            "Duur (weken)",
            "Durée (semaines)",
            "Dauer (Wochen)",
            "Duration (weeks)",
        ],
    ),
    (
        "form_permanent",
        [
            "Blijvende aanpassingen (anders tijdelijk)",
            "Adaptations définitives (sinon temporaires)",
            "Dauerhafte Anpassungen (sonst vorübergehend)",
            "Permanent adaptations (else temporary)",
        ],
    ),
    (
        "form_adjustments",
        [
            "Aanpassingen van de werkplek",
            "Aménagements du poste de travail",
            "Anpassungen des Arbeitsplatzes",
            "Workplace adjustments",
        ],
    ),
    (
        "form_refusal_reason",
        [
            "Reden van weigering",
            "Motif du refus",
            "Grund der Ablehnung",
            "Why the plan is refused",
        ],
    ),
    (
        "form_restrictions",
        [
            "Beperkingen en mogelijkheden (één per regel)",
            "Restrictions et capacités (une par ligne)",
            "Einschränkungen und Möglichkeiten (eine pro Zeile)",
            "Restrictions and capacities (one per line)",
        ],
    ),
    (
        "form_hours_per_day",
        [
            "Uren per dag",
            "Heures par jour",
            "Stunden pro Tag",
            "Hours a day",
        ],
    ),
    (
        "form_service",
        [
            "Dienst",
            "Service",
            "Dienst",
            "Service",
        ],
    ),
    (
        "form_activity",
        [
            "Activiteit",
            "Activité",
            "Tätigkeit",
            "Activity",
        ],
    ),
    (
        "form_contact",
        [
            "Contactpersoon bij het ziekenfonds",
            "Personne de contact à la mutualité",
            "Ansprechperson bei der Krankenkasse",
            "Contact at the fund",
        ],
    ),
    (
        "sh_hours_per_day",
        [
            "{0} uur per dag",
            "{0} heures par jour",
            "{0} Stunden pro Tag",
            "{0} hours a day",
        ],
    ),
    (
        "sh_eligibility",
        [
            "Socioprofessioneel traject",
            "Trajet socioprofessionnel",
            "Sozialberufliche Begleitung",
            "Socio-professional trajectory",
        ],
    ),
    (
        "sh_eligible",
        [
            "Een traject met de arbeidsbemiddelingsdienst is mogelijk:",
            "Un trajet avec le service de l'emploi est possible :",
            "Eine Begleitung mit dem Arbeitsvermittlungsdienst ist möglich:",
            "A trajectory with the employment service is possible:",
        ],
    ),
    (
        "sh_not_eligible",
        [
            "Nu geen traject met de arbeidsbemiddelingsdienst:",
            "Pas de trajet avec le service de l'emploi pour l'instant :",
            "Zurzeit keine Begleitung mit dem Arbeitsvermittlungsdienst:",
            "No trajectory with the employment service for now:",
        ],
    ),
    (
        "sh_ground_no_employer",
        [
            "er is geen werkgever, dus geen re-integratietraject bij de arbeidsarts.",
            "il n'y a pas d'employeur, donc pas de trajet de réintégration chez le médecin du travail.",
            "es gibt keinen Arbeitgeber, also kein Wiedereingliederungsverfahren beim Arbeitsarzt.",
            "there is no employer, so no re-integration trajectory with the occupational physician.",
        ],
    ),
    (
        "sh_ground_no_codex",
        [
            "er werd geen bezoek voorafgaand aan de werkhervatting of re-integratietraject gevraagd.",
            "aucune visite de pré-reprise ni trajet de réintégration n'a été demandé.",
            "weder ein Besuch vor der Wiederaufnahme noch ein Wiedereingliederungsverfahren wurde beantragt.",
            "no pre-return visit or re-integration trajectory was asked for.",
        ],
    ),
    (
        "sh_ground_after_visit",
        [
            "na het bezoek voorafgaand aan de werkhervatting werd geen re-integratietraject gevraagd.",
            "après la visite de pré-reprise, aucun trajet de réintégration n'a été demandé.",
            "nach dem Besuch vor der Wiederaufnahme wurde kein Wiedereingliederungsverfahren beantragt.",
            "after the pre-return visit no re-integration trajectory was asked for.",
        ],
    ),
    (
        "sh_ground_codex_ended",
        [
            "het re-integratietraject eindigde definitief (beslissing C of D) zonder uitgevoerd plan.",
            "le trajet de réintégration s'est terminé définitivement (décision C ou D) sans plan exécuté.",
            "das Wiedereingliederungsverfahren endete endgültig (Entscheidung C oder D) ohne umgesetzten Plan.",
            "the re-integration trajectory ended for good (decision C or D) without a plan carried out.",
        ],
    ),
    (
        "sh_ground_plan_refused",
        [
            "het re-integratieplan werd geweigerd door de werknemer of de werkgever.",
            "le plan de réintégration a été refusé par le travailleur ou l'employeur.",
            "der Wiedereingliederungsplan wurde vom Arbeitnehmer oder vom Arbeitgeber abgelehnt.",
            "the re-integration plan was refused by the worker or the employer.",
        ],
    ),
    (
        "sh_ground_codex_running",
        [
            "er loopt een re-integratietraject bij de arbeidsarts.",
            "un trajet de réintégration est en cours chez le médecin du travail.",
            "ein Wiedereingliederungsverfahren beim Arbeitsarzt läuft.",
            "a re-integration trajectory with the occupational physician is running.",
        ],
    ),
    (
        "sh_ground_plan_carried_out",
        [
            "een re-integratieplan werd uitgevoerd.",
            "un plan de réintégration a été exécuté.",
            "ein Wiedereingliederungsplan wurde umgesetzt.",
            "a re-integration plan was carried out.",
        ],
    ),
    (
        "sh_suspend_prompt",
        [
            "Er werd een re-integratietraject gevraagd terwijl het socioprofessioneel traject loopt: schort het socioprofessioneel traject op.",
            "Un trajet de réintégration a été demandé pendant le trajet socioprofessionnel : suspendez le trajet socioprofessionnel.",
            "Ein Wiedereingliederungsverfahren wurde während der sozialberuflichen Begleitung beantragt: Setzen Sie die sozialberufliche Begleitung aus.",
            "A re-integration trajectory was asked for while the socio-professional trajectory runs: suspend the socio-professional trajectory.",
        ],
    ),
    (
        "me_ask_coaching",
        [
            "Begeleiding vragen",
            "Demander un accompagnement",
            "Begleitung anfragen",
            "Ask for coaching",
        ],
    ),
    (
        "me_ask_coaching_text",
        [
            "U kunt zelf vragen dat een terug-naar-werkcoördinator van uw ziekenfonds u begeleidt.",
            "Vous pouvez demander vous-même qu'un coordinateur retour au travail de votre mutualité vous accompagne.",
            "Sie können selbst darum bitten, dass ein Rückkehrkoordinator Ihrer Krankenkasse Sie begleitet.",
            "You can ask yourself for a return-to-work coordinator of your fund to coach you.",
        ],
    ),
    (
        "me_support_offer",
        [
            "U antwoordde dat u graag hulp wilt: vraag hieronder begeleiding aan.",
            "Vous avez répondu que vous souhaitez de l'aide : demandez un accompagnement ci-dessous.",
            "Sie haben geantwortet, dass Sie Unterstützung möchten: Fragen Sie unten eine Begleitung an.",
            "You answered that you would like support: ask for coaching below.",
        ],
    ),
    (
        "me_ask_codex",
        [
            "Een re-integratietraject vragen aan de arbeidsarts",
            "Demander un trajet de réintégration au médecin du travail",
            "Ein Wiedereingliederungsverfahren beim Arbeitsarzt beantragen",
            "Ask the occupational physician for a re-integration trajectory",
        ],
    ),
    (
        "me_plan",
        [
            "Het re-integratieplan van uw werkgever",
            "Le plan de réintégration de votre employeur",
            "Der Wiedereingliederungsplan Ihres Arbeitgebers",
            "Your employer's re-integration plan",
        ],
    ),
    (
        "me_plan_answer",
        [
            "Uw antwoord",
            "Votre réponse",
            "Ihre Antwort",
            "Your answer",
        ],
    ),
    (
        "me_plan_reason",
        [
            "Waarom weigert u? (niet verplicht)",
            "Pourquoi refusez-vous ? (facultatif)",
            "Warum lehnen Sie ab? (freiwillig)",
            "Why do you refuse? (optional)",
        ],
    ),
    (
        "me_send",
        [
            "Versturen",
            "Envoyer",
            "Senden",
            "Send",
        ],
    ),
    // Accounts acting for a party, the figures by scheme, the absence list.
    (
        "party",
        ["Handelt voor", "Agit pour", "Handelt für", "Acts for"],
    ),
    (
        "until",
        ["tot", "jusqu'au", "bis", "until"],
    ),
    (
        "my_physician",
        ["Mijn eigen arts (RIZIV-nummer hieronder)", "Mon propre médecin (numéro INAMI ci-dessous)", "Mein eigener Arzt (LIKIV-Nummer unten)", "My own physician (RIZIV/INAMI number below)"],
    ),
    (
        "physician_number",
        ["RIZIV-nummer van uw arts", "Numéro INAMI de votre médecin", "LIKIV-Nummer Ihres Arztes", "Your physician's RIZIV/INAMI number"],
    ),
    (
        "party_hint",
        ["Het ondernemingsnummer (KBO) voor een werkgever of arbeidsgeneeskundige dienst, het RIZIV-nummer voor een arts, VDAB, Forem, Actiris of ADG voor een arbeidsbemiddelingsdienst.", "Le numéro d'entreprise (BCE) pour un employeur ou un service de médecine du travail, le numéro INAMI pour un médecin, VDAB, Forem, Actiris ou ADG pour un service de l'emploi.", "Die Unternehmensnummer für einen Arbeitgeber oder arbeitsmedizinischen Dienst, die LIKIV-Nummer für einen Arzt, VDAB, Forem, Actiris oder ADG für einen Arbeitsvermittlungsdienst.", "The enterprise number (KBO/BCE) for an employer or occupational health service, the RIZIV/INAMI number for a physician, VDAB, Forem, Actiris or ADG for an employment service."],
    ),
    (
        "party_number",
        ["Nummer of naam", "Numéro ou nom", "Nummer oder Name", "Number or name"],
    ),
    (
        "party_employer",
        ["Werkgever", "Employeur", "Arbeitgeber", "Employer"],
    ),
    (
        "party_occupational_health",
        ["Arbeidsgeneeskundige dienst", "Service de médecine du travail", "Arbeitsmedizinischer Dienst", "Occupational health service"],
    ),
    (
        "party_physician",
        ["Behandelend arts of praktijk", "Médecin traitant ou cabinet", "Behandelnder Arzt oder Praxis", "Treating physician or practice"],
    ),
    (
        "party_employment_service",
        ["Arbeidsbemiddelingsdienst", "Service de l'emploi", "Arbeitsvermittlungsdienst", "Employment service"],
    ),
    (
        "fig_by_scheme",
        ["Per stelsel", "Par régime", "Nach System", "By scheme"],
    ),
    (
        "fig_scheme",
        ["Stelsel", "Régime", "System", "Scheme"],
    ),
    (
        "scheme_employee",
        ["Werknemers", "Salariés", "Arbeitnehmer", "Employees"],
    ),
    (
        "scheme_unemployed",
        ["Werklozen", "Chômeurs", "Arbeitslose", "Unemployed"],
    ),
    (
        "scheme_self_employed",
        ["Zelfstandigen", "Indépendants", "Selbstständige", "Self-employed"],
    ),
    (
        "fig_coached_n",
        ["Begeleid", "Accompagnés", "Begleitet", "Coached"],
    ),
    (
        "fig_mean_days_coached",
        ["Gem. dagen tot hervatting, begeleid", "Jours moyens jusqu'à la reprise, accompagnés", "Mittlere Tage bis zur Wiederaufnahme, begleitet", "Mean days to return, coached"],
    ),
    (
        "fig_mean_days_not_coached",
        ["Gem. dagen tot hervatting, niet begeleid", "Jours moyens jusqu'à la reprise, non accompagnés", "Mittlere Tage bis zur Wiederaufnahme, nicht begleitet", "Mean days to return, not coached"],
    ),
    (
        "fig_returned_coached",
        ["Werk hervat, begeleid", "Reprise du travail, accompagnés", "Arbeit wieder aufgenommen, begleitet", "Returned, coached"],
    ),
    (
        "fig_returned_not_coached",
        ["Werk hervat, niet begeleid", "Reprise du travail, non accompagnés", "Arbeit wieder aufgenommen, nicht begleitet", "Returned, not coached"],
    ),
    (
        "fig_referrals",
        ["Doorverwijzingen", "Orientations", "Überweisungen", "Referrals"],
    ),
    // The employer's list of absent workers.
    (
        "absences",
        ["Afwezigen", "Absents", "Abwesende", "Absences"],
    ),
    (
        "absences_title",
        [
            "Werknemers die minstens vier weken afwezig zijn",
            "Travailleurs absents depuis au moins quatre semaines",
            "Seit mindestens vier Wochen abwesende Arbeitnehmer",
            "Workers absent for at least four weeks",
        ],
    ),
    (
        "absences_intro",
        [
            "Uw werknemers met een dossier bij dit ziekenfonds die in deze maand op een dag minstens 28 dagen na elkaar arbeidsongeschikt waren. Bezorg de lijst elke maand aan uw arbeidsarts. Ze vermeldt alleen wie sinds wanneer afwezig is, niets anders uit het dossier.",
            "Vos travailleurs ayant un dossier auprès de cette mutualité qui, un jour de ce mois, étaient en incapacité de travail depuis au moins 28 jours consécutifs. Transmettez la liste chaque mois à votre médecin du travail. Elle indique seulement qui est absent et depuis quand, rien d'autre du dossier.",
            "Ihre Arbeitnehmer mit einer Akte bei dieser Krankenkasse, die an einem Tag dieses Monats seit mindestens 28 aufeinanderfolgenden Tagen arbeitsunfähig waren. Geben Sie die Liste jeden Monat an Ihren Arbeitsarzt weiter. Sie nennt nur, wer seit wann abwesend ist, nichts sonst aus der Akte.",
            "Your workers with a dossier at this health insurance fund who, on some day of this month, had been unfit for work for at least 28 consecutive days. Pass the list to your occupational physician every month. It says only who is absent and since when, nothing else of the dossier.",
        ],
    ),
    ("absences_month", ["Maand", "Mois", "Monat", "Month"]),
    ("absences_show", ["Tonen", "Afficher", "Anzeigen", "Show"]),
    (
        "absences_download",
        [
            "Downloaden als CSV",
            "Télécharger en CSV",
            "Als CSV herunterladen",
            "Download as CSV",
        ],
    ),
    ("absences_name", ["Naam", "Nom", "Name", "Name"]),
    (
        "absences_since",
        [
            "Eerste dag afwezig",
            "Premier jour d'absence",
            "Erster Abwesenheitstag",
            "First day of absence",
        ],
    ),
    (
        "absences_last_day",
        [
            "Laatste dag afwezig",
            "Dernier jour d'absence",
            "Letzter Abwesenheitstag",
            "Last day of absence",
        ],
    ),
    (
        "absences_not_ended",
        [
            "niet beëindigd in deze maand",
            "pas terminée ce mois-ci",
            "in diesem Monat nicht beendet",
            "not ended in this month",
        ],
    ),
    (
        "absences_counted_until",
        [
            "Geteld tot en met",
            "Compté jusqu'au",
            "Gezählt bis einschließlich",
            "Counted up to and including",
        ],
    ),
    (
        "absences_none",
        [
            "Geen van uw werknemers staat op de lijst van deze maand.",
            "Aucun de vos travailleurs ne figure sur la liste de ce mois.",
            "Keiner Ihrer Arbeitnehmer steht auf der Liste dieses Monats.",
            "None of your workers is on this month's list.",
        ],
    ),
    (
        "absences_bad_month",
        [
            "Kies een maand in de vorm JJJJ-MM, bijvoorbeeld 2026-03.",
            "Choisissez un mois au format AAAA-MM, par exemple 2026-03.",
            "Wählen Sie einen Monat im Format JJJJ-MM, zum Beispiel 2026-03.",
            "Choose a month written YYYY-MM, for example 2026-03.",
        ],
    ),
    (
        "absences_not_begun",
        [
            "Die maand is nog niet begonnen: kies deze maand of een eerdere.",
            "Ce mois n'a pas encore commencé : choisissez ce mois-ci ou un mois précédent.",
            "Dieser Monat hat noch nicht begonnen: Wählen Sie diesen oder einen früheren Monat.",
            "That month has not begun yet: choose this month or an earlier one.",
        ],
    ),
];
