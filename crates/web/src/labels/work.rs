//! The labels of the work: the rule sets' tasks and milestones (for the fund's team,
//! and as one sentence to the member), their states, and the roles.

use super::Entry;

/// Tasks, as a worklist and a timeline name them.
pub const TASKS: &[Entry] = &[
    (
        "send_quick_scan",
        [
            "Quickscan versturen",
            "Envoyer le Quick Scan",
            "Quick-Scan versenden",
            "Send the quick scan",
        ],
    ),
    (
        "return_quick_scan",
        [
            "Quickscan terugsturen",
            "Renvoyer le Quick Scan",
            "Quick-Scan zurücksenden",
            "Return the quick scan",
        ],
    ),
    (
        "chase_quick_scan",
        [
            "Quickscan opvolgen",
            "Relancer le Quick Scan",
            "Quick-Scan nachfassen",
            "Chase the quick scan",
        ],
    ),
    (
        "assess_capacity",
        [
            "Restcapaciteit beoordelen",
            "Évaluer les capacités restantes",
            "Restfähigkeiten beurteilen",
            "Assess remaining capacity",
        ],
    ),
    (
        "reassess_capacity",
        [
            "Opnieuw beoordelen (categorie 3)",
            "Réévaluer (catégorie 3)",
            "Neu beurteilen (Kategorie 3)",
            "Re-assess (category 3)",
        ],
    ),
    (
        "refer_to_coordinator",
        [
            "Doorverwijzen naar de coördinator",
            "Orienter vers le coordinateur",
            "An den Koordinator verweisen",
            "Refer to the coordinator",
        ],
    ),
    (
        "first_contact",
        [
            "Eerste contact",
            "Premier contact",
            "Erstkontakt",
            "First contact",
        ],
    ),
    (
        "action_plan",
        [
            "Actieplan opstellen",
            "Établir le plan d'action",
            "Aktionsplan erstellen",
            "Draw up the action plan",
        ],
    ),
    (
        "follow_up",
        [
            "Opvolgingsgesprek",
            "Entretien de suivi",
            "Folgegespräch",
            "Follow-up contact",
        ],
    ),
    (
        "reintegration_plan",
        [
            "Re-integratieplan opstellen",
            "Établir le plan de réintégration",
            "Wiedereingliederungsplan erstellen",
            "Draw up the re-integration plan",
        ],
    ),
    (
        "codex_reevaluation",
        [
            "Re-integratie opnieuw beoordelen",
            "Réévaluer la réintégration",
            "Wiedereingliederung neu beurteilen",
            "Re-evaluate re-integration",
        ],
    ),
    (
        "codex_assessment",
        [
            "Re-integratiebeoordeling",
            "Évaluation de réintégration",
            "Wiedereingliederungsbeurteilung",
            "Re-integration assessment",
        ],
    ),
    (
        "answer_plan",
        [
            "Re-integratieplan aanvaarden of weigeren",
            "Accepter ou refuser le plan de réintégration",
            "Wiedereingliederungsplan annehmen oder ablehnen",
            "Accept or refuse the re-integration plan",
        ],
    ),
    (
        "decide_progressive_return",
        [
            "Beslissen over de progressieve werkhervatting",
            "Décider de la reprise progressive",
            "Über die schrittweise Wiederaufnahme entscheiden",
            "Decide on the progressive return",
        ],
    ),
    (
        "accept_hand_off",
        [
            "Overdracht aanvaarden",
            "Accepter la transmission",
            "Übergabe annehmen",
            "Accept the hand-off",
        ],
    ),
    (
        "report_on_trajectory",
        [
            "Verslag over het traject",
            "Rapport sur le trajet",
            "Bericht über die Begleitung",
            "Report on the trajectory",
        ],
    ),
];

/// Milestones, as a timeline names them.
pub const MILESTONES: &[Entry] = &[
    (
        "spontaneous_return_expected",
        [
            "Spontane werkhervatting verwacht",
            "Reprise spontanée attendue",
            "Spontane Rückkehr erwartet",
            "Spontaneous return expected",
        ],
    ),
    (
        "invalidity",
        [
            "Begin van de invaliditeit",
            "Début de l'invalidité",
            "Beginn der Invalidität",
            "Invalidity begins",
        ],
    ),
    (
        "codex_worker_may_request",
        [
            "Werknemer mag een re-integratietraject aanvragen",
            "Le travailleur peut demander un trajet de réintégration",
            "Arbeitnehmer kann eine Wiedereingliederung beantragen",
            "Worker may request re-integration",
        ],
    ),
    (
        "codex_doctor_may_request",
        [
            "Adviserend arts mag een re-integratietraject aanvragen",
            "Le médecin-conseil peut demander un trajet de réintégration",
            "Vertrauensarzt kann eine Wiedereingliederung beantragen",
            "Advisory doctor may request re-integration",
        ],
    ),
    (
        "codex_employer_may_request",
        [
            "Werkgever mag een re-integratietraject aanvragen",
            "L'employeur peut demander un trajet de réintégration",
            "Arbeitgeber kann eine Wiedereingliederung beantragen",
            "Employer may request re-integration",
        ],
    ),
    (
        "on_employer_list",
        [
            "Op de maandlijst van de werkgever",
            "Sur la liste mensuelle de l'employeur",
            "Auf der Monatsliste des Arbeitgebers",
            "On the employer's monthly list",
        ],
    ),
    (
        "appeal_deadline",
        [
            "Einde van de beroepstermijn",
            "Fin du délai de recours",
            "Ende der Einspruchsfrist",
            "Appeal deadline",
        ],
    ),
    (
        "force_majeure_possible",
        [
            "Medische overmacht mogelijk",
            "Force majeure médicale possible",
            "Medizinische höhere Gewalt möglich",
            "Medical force majeure possible",
        ],
    ),
    (
        "work_potential_estimate",
        [
            "Inschatting van het arbeidspotentieel",
            "Évaluation du potentiel de travail",
            "Einschätzung des Arbeitspotenzials",
            "Work potential estimate",
        ],
    ),
    (
        "trajectory_by_month_6",
        [
            "Re-integratietraject tegen maand 6",
            "Trajet de réintégration pour le 6e mois",
            "Wiedereingliederung bis Monat 6",
            "Re-integration trajectory by month 6",
        ],
    ),
    (
        "declare_progressive_return",
        [
            "Progressieve werkhervatting aangeven",
            "Déclarer la reprise progressive",
            "Schrittweise Wiederaufnahme melden",
            "Declare the progressive return",
        ],
    ),
    (
        "codex_decision_expected",
        [
            "Beslissing van de arbeidsarts verwacht",
            "Décision du médecin du travail attendue",
            "Entscheidung des Arbeitsarztes erwartet",
            "Occupational physician's decision expected",
        ],
    ),
];

/// Every task and milestone as the member reads it: what happens, said to them. The
/// date and the state stand beside it; the wording holds whichever rule set applies.
pub const FOR_MEMBER: &[Entry] = &[
    (
        "send_quick_scan",
        [
            "Uw ziekenfonds stuurt u een vragenlijst over uw gezondheid en uw werk.",
            "Votre mutualité vous envoie un questionnaire sur votre santé et votre travail.",
            "Ihre Krankenkasse schickt Ihnen einen Fragebogen zu Ihrer Gesundheit und Ihrer Arbeit.",
            "Your health insurance fund sends you a questionnaire about your health and your work.",
        ],
    ),
    (
        "return_quick_scan",
        [
            "U vult de vragenlijst in en stuurt ze terug.",
            "Vous remplissez le questionnaire et vous le renvoyez.",
            "Sie füllen den Fragebogen aus und senden ihn zurück.",
            "You fill in the questionnaire and send it back.",
        ],
    ),
    (
        "chase_quick_scan",
        [
            "Is uw vragenlijst er nog niet, dan neemt de coördinator contact met u op en helpt u bij het invullen.",
            "Si votre questionnaire n'est pas encore arrivé, le coordinateur vous contacte et vous aide à le remplir.",
            "Ist Ihr Fragebogen noch nicht da, meldet sich der Koordinator bei Ihnen und hilft Ihnen beim Ausfüllen.",
            "If your questionnaire has not come back, the coordinator contacts you and helps you fill it in.",
        ],
    ),
    (
        "assess_capacity",
        [
            "De adviserend arts bekijkt met uw vragenlijst wat u nog kunt en hoe het ziekenfonds u kan helpen.",
            "Le médecin-conseil examine, à l'aide de votre questionnaire, ce que vous pouvez encore faire et comment la mutualité peut vous aider.",
            "Der Vertrauensarzt prüft anhand Ihres Fragebogens, was Sie noch können und wie die Krankenkasse Ihnen helfen kann.",
            "The advisory doctor looks at your questionnaire to see what you can still do and how the fund can help you.",
        ],
    ),
    (
        "reassess_capacity",
        [
            "De adviserend arts bekijkt uw situatie opnieuw.",
            "Le médecin-conseil réexamine votre situation.",
            "Der Vertrauensarzt prüft Ihre Situation erneut.",
            "The advisory doctor reviews your situation again.",
        ],
    ),
    (
        "refer_to_coordinator",
        [
            "De adviserend arts brengt u in contact met een terug-naar-werk-coördinator.",
            "Le médecin-conseil vous met en contact avec un coordinateur retour au travail.",
            "Der Vertrauensarzt bringt Sie mit einem Rückkehrkoordinator in Kontakt.",
            "The advisory doctor puts you in touch with a return-to-work coordinator.",
        ],
    ),
    (
        "first_contact",
        [
            "Uw coördinator neemt contact met u op voor een eerste gesprek.",
            "Votre coordinateur vous contacte pour un premier entretien.",
            "Ihr Koordinator meldet sich bei Ihnen für ein erstes Gespräch.",
            "Your coordinator contacts you for a first conversation.",
        ],
    ),
    (
        "action_plan",
        [
            "U en uw coördinator maken samen een plan: doelen, concrete stappen en een datum om op te volgen.",
            "Vous et votre coordinateur établissez ensemble un plan : des objectifs, des étapes concrètes et une date de suivi.",
            "Sie und Ihr Koordinator erstellen gemeinsam einen Plan: Ziele, konkrete Schritte und einen Folgetermin.",
            "You and your coordinator make a plan together: goals, concrete steps and a date to follow up.",
        ],
    ),
    (
        "follow_up",
        [
            "Uw coördinator bespreekt met u hoe het gaat.",
            "Votre coordinateur fait le point avec vous.",
            "Ihr Koordinator bespricht mit Ihnen, wie es Ihnen geht.",
            "Your coordinator checks in with you on how things are going.",
        ],
    ),
    (
        "reintegration_plan",
        [
            "Uw werkgever stelt een re-integratieplan voor u op.",
            "Votre employeur établit un plan de réintégration pour vous.",
            "Ihr Arbeitgeber erstellt einen Wiedereingliederungsplan für Sie.",
            "Your employer draws up a re-integration plan for you.",
        ],
    ),
    (
        "codex_reevaluation",
        [
            "De arbeidsarts bekijkt opnieuw of u kunt re-integreren.",
            "Le médecin du travail réexamine si une réintégration est possible pour vous.",
            "Der Arbeitsarzt prüft erneut, ob eine Wiedereingliederung für Sie möglich ist.",
            "The occupational physician looks again at whether you can return.",
        ],
    ),
    (
        "codex_assessment",
        [
            "De arbeidsarts onderzoekt of en hoe u kunt re-integreren.",
            "Le médecin du travail évalue si et comment vous pouvez être réintégré.",
            "Der Arbeitsarzt beurteilt, ob und wie Sie wieder eingegliedert werden können.",
            "The occupational physician assesses whether and how you can return to work.",
        ],
    ),
    (
        "answer_plan",
        [
            "U aanvaardt of weigert het re-integratieplan van uw werkgever.",
            "Vous acceptez ou refusez le plan de réintégration de votre employeur.",
            "Sie nehmen den Wiedereingliederungsplan Ihres Arbeitgebers an oder lehnen ihn ab.",
            "You accept or refuse your employer's re-integration plan.",
        ],
    ),
    (
        "decide_progressive_return",
        [
            "De adviserend arts beslist over uw progressieve werkhervatting.",
            "Le médecin-conseil se prononce sur votre reprise progressive du travail.",
            "Der Vertrauensarzt entscheidet über Ihre schrittweise Wiederaufnahme der Arbeit.",
            "The advisory doctor decides on your progressive return to work.",
        ],
    ),
    (
        "spontaneous_return_expected",
        [
            "De adviserend arts verwacht dat u tegen deze datum weer aan het werk bent.",
            "Le médecin-conseil s'attend à ce que vous ayez repris le travail à cette date.",
            "Der Vertrauensarzt erwartet, dass Sie bis zu diesem Datum wieder arbeiten.",
            "The advisory doctor expects you to be back at work by this date.",
        ],
    ),
    (
        "invalidity",
        [
            "Na een jaar arbeidsongeschiktheid begint uw invaliditeit.",
            "Après un an d'incapacité de travail, votre invalidité commence.",
            "Nach einem Jahr Arbeitsunfähigkeit beginnt Ihre Invalidität.",
            "After a year of incapacity, your invalidity begins.",
        ],
    ),
    (
        "codex_worker_may_request",
        [
            "U mag de arbeidsarts om een re-integratietraject vragen.",
            "Vous pouvez demander un trajet de réintégration au médecin du travail.",
            "Sie können beim Arbeitsarzt eine Wiedereingliederung beantragen.",
            "You may ask the occupational physician for a re-integration trajectory.",
        ],
    ),
    (
        "codex_doctor_may_request",
        [
            "Vanaf deze datum mag de adviserend arts een re-integratietraject voor u aanvragen.",
            "À partir de cette date, le médecin-conseil peut demander un trajet de réintégration pour vous.",
            "Ab diesem Datum kann der Vertrauensarzt eine Wiedereingliederung für Sie beantragen.",
            "From this date the advisory doctor may request a re-integration trajectory for you.",
        ],
    ),
    (
        "codex_employer_may_request",
        [
            "Vanaf deze datum mag uw werkgever een re-integratietraject voor u aanvragen.",
            "À partir de cette date, votre employeur peut demander un trajet de réintégration pour vous.",
            "Ab diesem Datum kann Ihr Arbeitgeber eine Wiedereingliederung für Sie beantragen.",
            "From this date your employer may request a re-integration trajectory for you.",
        ],
    ),
    (
        "on_employer_list",
        [
            "Uw werkgever zet u op de maandelijkse lijst voor de arbeidsarts.",
            "Votre employeur vous inscrit sur la liste mensuelle transmise au médecin du travail.",
            "Ihr Arbeitgeber setzt Sie auf die monatliche Liste für den Arbeitsarzt.",
            "Your employer puts you on the monthly list for the occupational physician.",
        ],
    ),
    (
        "appeal_deadline",
        [
            "Tot deze datum kunt u beroep aantekenen tegen de beslissing van de arbeidsarts.",
            "Jusqu'à cette date, vous pouvez introduire un recours contre la décision du médecin du travail.",
            "Bis zu diesem Datum können Sie gegen die Entscheidung des Arbeitsarztes Einspruch erheben.",
            "Until this date you can appeal against the occupational physician's decision.",
        ],
    ),
    (
        "force_majeure_possible",
        [
            "Vanaf deze datum kan de procedure medische overmacht starten.",
            "À partir de cette date, la procédure de force majeure médicale peut commencer.",
            "Ab diesem Datum kann das Verfahren wegen medizinischer höherer Gewalt beginnen.",
            "From this date the medical force majeure procedure may start.",
        ],
    ),
    (
        "work_potential_estimate",
        [
            "Uw werkgever vraagt de arbeidsarts in te schatten welk werk u nog kunt doen.",
            "Votre employeur demande au médecin du travail d'évaluer le travail que vous pouvez encore faire.",
            "Ihr Arbeitgeber bittet den Arbeitsarzt einzuschätzen, welche Arbeit Sie noch leisten können.",
            "Your employer asks the occupational physician to estimate what work you can still do.",
        ],
    ),
    (
        "trajectory_by_month_6",
        [
            "Kunt u nog werk doen, dan start uw werkgever tegen deze datum een re-integratietraject.",
            "Si vous pouvez encore travailler, votre employeur lance un trajet de réintégration d'ici cette date.",
            "Können Sie noch arbeiten, leitet Ihr Arbeitgeber bis zu diesem Datum eine Wiedereingliederung ein.",
            "If you can still work, your employer starts a re-integration trajectory by this date.",
        ],
    ),
    (
        "declare_progressive_return",
        [
            "U meldt uw progressieve werkhervatting aan het ziekenfonds, ten laatste de werkdag ervoor.",
            "Vous déclarez votre reprise progressive à la mutualité, au plus tard le jour ouvrable qui précède.",
            "Sie melden Ihre schrittweise Wiederaufnahme der Krankenkasse spätestens am Werktag davor.",
            "You tell the fund about your progressive return, at the latest the working day before.",
        ],
    ),
    (
        "accept_hand_off",
        [
            "De arbeidsbemiddelingsdienst neemt uw begeleiding over van de coördinator.",
            "Le service de l'emploi reprend votre accompagnement du coordinateur.",
            "Der Arbeitsvermittlungsdienst übernimmt Ihre Begleitung vom Koordinator.",
            "The employment service takes over your coaching from the coordinator.",
        ],
    ),
    (
        "report_on_trajectory",
        [
            "De arbeidsbemiddelingsdienst meldt hoe uw traject loopt.",
            "Le service de l'emploi fait savoir comment se déroule votre trajet.",
            "Der Arbeitsvermittlungsdienst meldet, wie Ihre Begleitung verläuft.",
            "The employment service reports how your trajectory is going.",
        ],
    ),
    (
        "codex_decision_expected",
        [
            "De arbeidsarts beslist over de aanvraag van uw arts.",
            "Le médecin du travail décide de la demande de votre médecin.",
            "Der Arbeitsarzt entscheidet über den Antrag Ihres Arztes.",
            "The occupational physician decides on your physician's request.",
        ],
    ),
];

/// Where a task or milestone stands, for the fund's team.
pub const STATES: &[Entry] = &[
    ("upcoming", ["gepland", "à venir", "geplant", "upcoming"]),
    ("open", ["open", "ouvert", "offen", "open"]),
    ("overdue", ["te laat", "en retard", "überfällig", "overdue"]),
    ("done", ["gedaan", "fait", "erledigt", "done"]),
    ("closed", ["vervallen", "sans objet", "entfallen", "closed"]),
    ("reached", ["bereikt", "atteint", "erreicht", "reached"]),
];

/// Where a task or milestone stands, for the member.
pub const MEMBER_STATES: &[Entry] = &[
    (
        "upcoming",
        ["komt nog", "à venir", "kommt noch", "coming up"],
    ),
    ("open", ["nu", "en cours", "jetzt", "now"]),
    ("overdue", ["te laat", "en retard", "verspätet", "late"]),
    ("done", ["gebeurd", "fait", "erledigt", "done"]),
    (
        "closed",
        [
            "niet meer nodig",
            "plus nécessaire",
            "nicht mehr nötig",
            "no longer needed",
        ],
    ),
    (
        "reached",
        [
            "datum bereikt",
            "date atteinte",
            "Datum erreicht",
            "date reached",
        ],
    ),
];

/// Roles, the rule sets' actors, and who acted in the audit log.
pub const ROLES: &[Entry] = &[
    ("member", ["lid", "membre", "Mitglied", "member"]),
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
    ("analyst", ["analist", "analyste", "Analyst", "analyst"]),
    (
        "admin",
        [
            "beheerder",
            "administrateur",
            "Administrator",
            "administrator",
        ],
    ),
    (
        "fund",
        [
            "ziekenfonds",
            "mutualité",
            "Krankenkasse",
            "health insurance fund",
        ],
    ),
    (
        "operator",
        [
            "technisch beheerder",
            "exploitant",
            "Betreiber",
            "system operator",
        ],
    ),
    ("system", ["systeem", "système", "System", "system"]),
];
