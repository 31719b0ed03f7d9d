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
];
