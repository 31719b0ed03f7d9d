//! `tnw timeline CASE`: a dossier's milestones past and upcoming, each with the rule
//! that set it and the plain-language reason, so a coordinator can explain the next
//! step to the member.

use crate::access::Operator;
use crate::audit::{entry, Action, Actor};
use crate::handle::App;
use crate::{AppError, Result};
use serde::Serialize;
use tnw_domain::engine::Status;
use tnw_domain::event::{
    Activity, ConsentRole, ConsentScope, ContactMode, Decision, Event, EventType, Extent,
    Initiative, LetterKind, Partner, PartnerOutcome, PlanStatus, Requester, Service, StopReason,
};
use tnw_domain::rules::RuleKind;
use tnw_domain::{evaluate, CaseFacts, CaseKey, Date, RuleBook, RuleSet};
use tnw_storage::CaseStore;

#[derive(Debug, Clone, Serialize)]
pub struct TimelineEvent {
    pub date: Date,
    #[serde(rename = "type")]
    pub kind: EventType,
    /// A short plain-language description (no medical content).
    pub summary: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Milestone {
    /// The date that matters: when it was done or closed, else its due date.
    pub date: Date,
    pub kind: &'static str,
    pub code: String,
    pub rule: String,
    pub rule_set: String,
    pub actor: String,
    pub window_start: Date,
    pub due: Date,
    pub status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub done_on: Option<Date>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub closed_by: Option<EventType>,
    pub reason: String,
    pub source: String,
    /// The part of the dossier the milestone belongs to (who may see it).
    pub part: crate::access::Part,
}

#[derive(Debug, Clone, Serialize)]
pub struct Timeline {
    pub case: String,
    pub as_of: Date,
    pub incapacity_start: Date,
    pub events: Vec<TimelineEvent>,
    pub milestones: Vec<Milestone>,
}

/// Event descriptions: nl, fr, de, en; `{0}`, `{1}` are the event's values.
const PHRASES: &[(EventType, [&str; 4])] = &[
    (
        EventType::CaseOpened,
        [
            "dossier geopend; arbeidsongeschikt sinds {0}",
            "dossier ouvert ; en incapacité depuis le {0}",
            "Akte eröffnet; arbeitsunfähig seit {0}",
            "dossier opened; incapacity since {0}",
        ],
    ),
    (
        EventType::QuickScanSent,
        [
            "quickscan-vragenlijst verstuurd",
            "questionnaire quick scan envoyé",
            "Quick-Scan-Fragebogen versandt",
            "quick-scan questionnaire sent",
        ],
    ),
    (
        EventType::QuickScanReturned,
        [
            "vragenlijst teruggestuurd",
            "questionnaire renvoyé",
            "Fragebogen zurückgesandt",
            "questionnaire returned",
        ],
    ),
    (
        EventType::QuickScanReminder,
        [
            "herinnering voor de vragenlijst",
            "rappel pour le questionnaire",
            "Erinnerung an den Fragebogen",
            "reminder for the questionnaire",
        ],
    ),
    (
        EventType::CapacityAssessed,
        [
            "adviserend arts kende categorie {0} toe",
            "le médecin-conseil a attribué la catégorie {0}",
            "der Vertrauensarzt hat Kategorie {0} zugewiesen",
            "advisory doctor assigned category {0}",
        ],
    ),
    (
        EventType::ReferredToCoordinator,
        [
            "doorverwezen naar de coördinator ({0})",
            "orienté vers le coordinateur ({0})",
            "an den Koordinator überwiesen ({0})",
            "referred to the coordinator ({0})",
        ],
    ),
    (
        EventType::CoordinatorContact,
        [
            "contact met de coördinator ({0}, {1})",
            "contact avec le coordinateur ({0}, {1})",
            "Kontakt mit dem Koordinator ({0}, {1})",
            "contact with the coordinator ({0}, {1})",
        ],
    ),
    (
        EventType::PartnerReferral,
        [
            "doorverwezen naar partner: {0}",
            "orienté vers un partenaire : {0}",
            "an Partner überwiesen: {0}",
            "referred to partner: {0}",
        ],
    ),
    (
        EventType::CodexRequested,
        [
            "re-integratietraject aangevraagd door {0}",
            "trajet de réintégration demandé par {0}",
            "Wiedereingliederung beantragt von {0}",
            "re-integration trajectory requested by {0}",
        ],
    ),
    (
        EventType::PreReturnVisit,
        [
            "bezoek voorafgaand aan de werkhervatting",
            "visite de pré-reprise du travail",
            "Besuch vor der Wiederaufnahme der Arbeit",
            "pre-return visit to the occupational physician",
        ],
    ),
    (
        EventType::CodexDecision,
        [
            "beslissing {0} van de arbeidsarts",
            "décision {0} du médecin du travail",
            "Entscheidung {0} des Arbeitsarztes",
            "occupational physician's decision {0}",
        ],
    ),
    (
        EventType::ReintegrationPlan,
        [
            "re-integratieplan: {0}",
            "plan de réintégration : {0}",
            "Wiedereingliederungsplan: {0}",
            "re-integration plan: {0}",
        ],
    ),
    (
        EventType::SocioProfessionalStarted,
        [
            "socioprofessioneel traject gestart bij {0} ({1})",
            "trajet socioprofessionnel commencé avec {0} ({1})",
            "sozialberufliche Begleitung begonnen mit {0} ({1})",
            "socio-professional trajectory started with {0} ({1})",
        ],
    ),
    (
        EventType::SocioProfessionalSuspended,
        [
            "socioprofessioneel traject opgeschort",
            "trajet socioprofessionnel suspendu",
            "sozialberufliche Begleitung ausgesetzt",
            "socio-professional trajectory suspended",
        ],
    ),
    (
        EventType::SocioProfessionalResumed,
        [
            "socioprofessioneel traject hervat",
            "trajet socioprofessionnel repris",
            "sozialberufliche Begleitung fortgesetzt",
            "socio-professional trajectory resumed",
        ],
    ),
    (
        EventType::SocioProfessionalEnded,
        [
            "socioprofessioneel traject beëindigd",
            "trajet socioprofessionnel terminé",
            "sozialberufliche Begleitung beendet",
            "socio-professional trajectory ended",
        ],
    ),
    (
        EventType::AuthorisedActivity,
        [
            "toegelaten activiteit aan {0}%",
            "activité autorisée à {0} %",
            "genehmigte Tätigkeit zu {0} %",
            "authorised activity at {0}%",
        ],
    ),
    (
        EventType::WorkResumed,
        [
            "werk hervat ({0})",
            "travail repris ({0})",
            "Arbeit wieder aufgenommen ({0})",
            "work resumed ({0})",
        ],
    ),
    (
        EventType::CoachingStopped,
        [
            "begeleiding stopgezet ({0})",
            "accompagnement arrêté ({0})",
            "Begleitung beendet ({0})",
            "coaching stopped ({0})",
        ],
    ),
    (
        EventType::ActionPlan,
        [
            "actieplan afgesproken ({0} doelen)",
            "plan d'action convenu ({0} objectifs)",
            "Aktionsplan vereinbart ({0} Ziele)",
            "action plan agreed ({0} goals)",
        ],
    ),
    (
        EventType::IncapacityEnded,
        [
            "arbeidsongeschiktheid beëindigd",
            "fin de l'incapacité de travail",
            "Arbeitsunfähigkeit beendet",
            "incapacity ended",
        ],
    ),
    (
        EventType::ConsentGiven,
        [
            "toestemming gegeven aan {0} voor {1}",
            "consentement donné à {0} pour {1}",
            "Einwilligung erteilt an {0} für {1}",
            "consent given to {0} for {1}",
        ],
    ),
    (
        EventType::ConsentWithdrawn,
        [
            "toestemming ingetrokken voor {0} ({1})",
            "consentement retiré pour {0} ({1})",
            "Einwilligung widerrufen für {0} ({1})",
            "consent withdrawn from {0} for {1}",
        ],
    ),
    (
        EventType::PartnerResult,
        [
            "resultaat van de doorverwijzing naar {0}: {1}",
            "résultat de l'orientation vers {0} : {1}",
            "Ergebnis der Überweisung an {0}: {1}",
            "result of the referral to {0}: {1}",
        ],
    ),
    (
        EventType::LetterSent,
        [
            "brief verstuurd: {0}",
            "lettre envoyée : {0}",
            "Brief versandt: {0}",
            "letter sent: {0}",
        ],
    ),
    (
        EventType::CaseAssigned,
        [
            "dossier toegewezen aan {0}",
            "dossier attribué à {0}",
            "Akte zugewiesen an {0}",
            "dossier assigned to {0}",
        ],
    ),
    (
        EventType::WorkRestrictions,
        [
            "beperkingen en mogelijkheden doorgegeven ({0})",
            "restrictions et capacités communiquées ({0})",
            "Einschränkungen und Möglichkeiten mitgeteilt ({0})",
            "restrictions and capacities passed on ({0})",
        ],
    ),
    (
        EventType::SocioProfessionalReferred,
        [
            "overgedragen aan {0} voor een socioprofessioneel traject",
            "transmis à {0} pour un trajet socioprofessionnel",
            "an {0} für eine sozialberufliche Begleitung übergeben",
            "handed over to {0} for a socio-professional trajectory",
        ],
    ),
    (
        EventType::SocioProfessionalReport,
        [
            "voortgang van het socioprofessioneel traject gemeld",
            "avancement du trajet socioprofessionnel communiqué",
            "Fortschritt der sozialberuflichen Begleitung gemeldet",
            "progress of the socio-professional trajectory reported",
        ],
    ),
];

/// A coded value that goes into an event's description: a page shows its label, the
/// command line and the API its code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Coded {
    Initiative(Initiative),
    Mode(ContactMode),
    Partner(Partner),
    Requester(Requester),
    Decision(Decision),
    PlanStatus(PlanStatus),
    Service(Service),
    Activity(Activity),
    Extent(Extent),
    StopReason(StopReason),
    ConsentRole(ConsentRole),
    ConsentScope(ConsentScope),
    Outcome(PartnerOutcome),
    Letter(LetterKind),
}

impl Coded {
    /// The value's code, as the import format writes it.
    pub fn code(self) -> &'static str {
        match self {
            Coded::Initiative(v) => v.as_str(),
            Coded::Mode(v) => v.as_str(),
            Coded::Partner(v) => v.as_str(),
            Coded::Requester(v) => v.as_str(),
            Coded::Decision(v) => v.as_str(),
            Coded::PlanStatus(v) => v.as_str(),
            Coded::Service(v) => v.as_str(),
            Coded::Activity(v) => v.as_str(),
            Coded::Extent(v) => v.as_str(),
            Coded::StopReason(v) => v.as_str(),
            Coded::ConsentRole(v) => v.as_str(),
            Coded::ConsentScope(v) => v.as_str(),
            Coded::Outcome(v) => v.as_str(),
            Coded::Letter(v) => v.as_str(),
        }
    }
}

/// A short plain-language description of an event in `lang` (nl, fr, de, en; others
/// get English), never medical content; coded values as their codes.
pub fn describe(e: &Event, lang: &str) -> String {
    describe_with(e, lang, &|c: Coded| c.code().to_owned())
}

/// [`describe`] with the coded values as `show` writes them (a page: their labels).
pub fn describe_with(e: &Event, lang: &str, show: &dyn Fn(Coded) -> String) -> String {
    let i = ["nl", "fr", "de", "en"]
        .iter()
        .position(|l| *l == lang)
        .unwrap_or(3);
    let kind = e.event_type();
    let template = PHRASES
        .iter()
        .find(|(k, _)| *k == kind)
        .map(|(_, p)| p[i])
        .unwrap_or(kind.as_str());
    let one = |c: Coded| (show(c), String::new());
    let (a, b): (String, String) = match e {
        Event::CaseOpened(o) => (o.incapacity_start.to_string(), String::new()),
        Event::CapacityAssessed { category } => (category.to_string(), String::new()),
        Event::ReferredToCoordinator { initiative } => one(Coded::Initiative(*initiative)),
        Event::CoordinatorContact { mode, first, .. } => (
            show(Coded::Mode(*mode)),
            if *first { "1".into() } else { "2+".into() },
        ),
        Event::PartnerReferral { to } => one(Coded::Partner(*to)),
        Event::CodexRequested { by } => one(Coded::Requester(*by)),
        Event::CodexDecision { decision, .. } => one(Coded::Decision(*decision)),
        Event::ReintegrationPlan(p) => one(Coded::PlanStatus(p.status)),
        Event::WorkRestrictions { restrictions, .. } => {
            (restrictions.len().to_string(), String::new())
        }
        Event::SocioProfessionalReferred(h) => one(Coded::Service(h.service)),
        Event::SocioProfessionalStarted { service, activity } => (
            show(Coded::Service(*service)),
            show(Coded::Activity(*activity)),
        ),
        Event::AuthorisedActivity { percent } => (percent.to_string(), String::new()),
        Event::WorkResumed {
            extent, percent, ..
        } => (
            match percent {
                Some(p) if *extent == Extent::PartTime => {
                    format!("{} {p}%", show(Coded::Extent(*extent)))
                }
                _ => show(Coded::Extent(*extent)),
            },
            String::new(),
        ),
        Event::CoachingStopped { reason } => one(Coded::StopReason(*reason)),
        Event::ActionPlan { goals, .. } => (goals.len().to_string(), String::new()),
        Event::ConsentGiven { to, scope, .. } | Event::ConsentWithdrawn { to, scope, .. } => (
            show(Coded::ConsentRole(*to)),
            show(Coded::ConsentScope(*scope)),
        ),
        Event::PartnerResult { to, result, .. } => {
            (show(Coded::Partner(*to)), show(Coded::Outcome(*result)))
        }
        Event::CaseAssigned { to } => (to.clone(), String::new()),
        Event::LetterSent { letter, .. } => one(Coded::Letter(*letter)),
        _ => (String::new(), String::new()),
    };
    template.replace("{0}", &a).replace("{1}", &b)
}

/// A stored case's events, parsed, in application order (date, then arrival).
pub fn parse_events(case: &tnw_storage::StoredCase) -> Result<Vec<(Date, u32, Event)>> {
    let mut events = case
        .events
        .iter()
        .map(|e| {
            Event::from_body(&e.body)
                .map(|ev| (e.date, e.seq, ev))
                .map_err(|err| AppError::Corrupt(format!("case {}: {err}", case.key)))
        })
        .collect::<Result<Vec<_>>>()?;
    events.sort_by_key(|(d, s, _)| (*d, *s));
    Ok(events)
}

/// Every state a milestone can be in, as [`Milestone::status`] writes it.
pub const STATUSES: [&str; 6] = ["upcoming", "open", "overdue", "done", "closed", "reached"];

/// A task's or milestone's state as a code (one of [`STATUSES`]).
pub fn status_code(s: Status) -> &'static str {
    match s {
        Status::Upcoming => STATUSES[0],
        Status::Open => STATUSES[1],
        Status::Overdue => STATUSES[2],
        Status::Done { .. } => STATUSES[3],
        Status::Closed { .. } => STATUSES[4],
        Status::Reached => STATUSES[5],
    }
}

/// The milestones and deadlines of a case whose events are in application order.
pub fn milestones(
    key: &CaseKey,
    events: &[(Date, u32, Event)],
    book: &RuleBook,
    as_of: Date,
    forced: Option<&RuleSet>,
    lang: &str,
) -> Result<(CaseFacts, Vec<Milestone>)> {
    let facts = CaseFacts::from_events(events.iter().map(|(d, _, e)| (*d, e)))
        .ok_or_else(|| AppError::Corrupt(format!("case {key} does not start with case_opened")))?;
    let mut items = Vec::new();
    evaluate(&facts, book, as_of, forced, &mut items);
    let mut milestones = items
        .iter()
        .map(|i| {
            let (done_on, closed_by, date) = match i.status {
                Status::Done { on, .. } => (Some(on), None, on),
                Status::Closed { on, by } => (None, Some(by), on),
                _ => (None, None, i.due),
            };
            let status = status_code(i.status);
            Milestone {
                date,
                kind: match i.rule.kind {
                    RuleKind::Task => "task",
                    RuleKind::Milestone => "milestone",
                },
                code: i.rule.code.clone(),
                rule: i.rule.id.clone(),
                rule_set: i.set.name.clone(),
                actor: i.rule.actor.clone(),
                window_start: i.window_start,
                due: i.due,
                status,
                done_on,
                closed_by,
                reason: i.rule.reason(lang).to_owned(),
                source: i.rule.source.clone(),
                part: crate::access::rule_part(i.rule),
            }
        })
        .collect::<Vec<_>>();
    milestones.sort_by(|a, b| (a.date, &a.code).cmp(&(b.date, &b.code)));
    Ok((facts, milestones))
}

/// Builds the timeline of the case `id` (as a person types it) in `org`.
#[allow(clippy::too_many_arguments)]
pub fn timeline<S: CaseStore + ?Sized>(
    store: &mut S,
    book: &RuleBook,
    op: &Operator,
    org: &str,
    id: &str,
    as_of: Date,
    forced: Option<&RuleSet>,
    lang: &str,
) -> Result<Timeline> {
    // Operators reading through the command line are audited like everyone else.
    let mut found = None;
    for key in CaseKey::candidates(id) {
        found = store.read_case_audited(org, &key, &mut |_| {
            entry(Actor::Operator(op), Action::Read, "timeline", "operations")
        })?;
        if found.is_some() {
            break;
        }
    }
    let Some(case) = found else {
        return Err(AppError::CaseNotFound(id.to_owned(), org.to_owned()));
    };
    let events = parse_events(&case)?;
    let (facts, milestones) = milestones(&case.key, &events, book, as_of, forced, lang)?;
    Ok(Timeline {
        case: case.key.display().into_owned(),
        as_of,
        incapacity_start: facts.incapacity_start,
        events: events
            .iter()
            .filter(|(d, _, _)| *d <= as_of)
            .map(|(d, _, e)| TimelineEvent {
                date: *d,
                kind: e.event_type(),
                summary: describe(e, lang),
            })
            .collect(),
        milestones,
    })
}

impl App {
    /// The timeline of dossier `id` in fund `org` as of `as_of`, for an operator (the
    /// read is audited under their name); `rules` forces one rule set (a what-if).
    pub fn timeline(
        &self,
        op: &Operator,
        org: &str,
        id: &str,
        as_of: Date,
        rules: Option<&str>,
        lang: &str,
    ) -> Result<Timeline> {
        self.primary(|st, book| {
            let forced = rules.map(|n| book.get(n)).transpose()?;
            timeline(st, book, op, org, id, as_of, forced, lang)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_event_type_is_described_in_every_language() {
        for kind in EventType::ALL {
            let phrases = PHRASES.iter().find(|(k, _)| k == kind).map(|(_, p)| p);
            let phrases = phrases.unwrap_or_else(|| panic!("{kind} has no description"));
            assert!(phrases.iter().all(|p| !p.trim().is_empty()), "{kind}");
        }
        let e = Event::CapacityAssessed { category: 3 };
        assert_eq!(
            describe(&e, "fr"),
            "le médecin-conseil a attribué la catégorie 3"
        );
        assert_eq!(describe(&e, "xx"), "advisory doctor assigned category 3");
        // A page puts its own words for the coded values.
        let e = Event::PartnerResult {
            to: Partner::Psychologist,
            result: PartnerOutcome::NoResponse,
            note: None,
        };
        assert_eq!(
            describe(&e, "en"),
            "result of the referral to psychologist: no_response"
        );
        let shown = describe_with(&e, "en", &|c| format!("<{}>", c.code().replace('_', " ")));
        assert_eq!(
            shown,
            "result of the referral to <psychologist>: <no response>"
        );
    }

    #[test]
    fn every_state_has_one_code() {
        let date = tnw_domain::date::parse_date("2026-01-01").unwrap();
        let by = EventType::CaseOpened;
        let all = [
            Status::Upcoming,
            Status::Open,
            Status::Overdue,
            Status::Done { on: date, by },
            Status::Closed { on: date, by },
            Status::Reached,
        ];
        let mut codes: Vec<&str> = all.into_iter().map(status_code).collect();
        codes.sort();
        let mut expected = STATUSES.to_vec();
        expected.sort();
        assert_eq!(codes, expected);
    }
}
