//! The wire shape of a line: the union of every type's fields, read in one pass, and
//! which of them each event type admits.

use super::model::EventType;
use serde::Deserialize;
use std::borrow::Cow;

/// The union of every type's fields: one pass over the JSON object, then per-type checks.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawLine<'a> {
    pub(super) case: Option<&'a serde_json::value::RawValue>,
    #[serde(rename = "type", borrow)]
    pub(super) kind: Option<Cow<'a, str>>,
    #[serde(borrow)]
    pub(super) date: Option<Cow<'a, str>>,
    #[serde(borrow)]
    pub(super) person: Option<RawPerson<'a>>,
    #[serde(borrow)]
    pub(super) scheme: Option<Cow<'a, str>>,
    #[serde(default, deserialize_with = "present")]
    pub(super) employer: Option<Option<RawEmployer<'a>>>,
    #[serde(default, deserialize_with = "present")]
    pub(super) regime: Option<Option<Cow<'a, str>>>,
    #[serde(default, deserialize_with = "present")]
    pub(super) work_type: Option<Option<Cow<'a, str>>>,
    #[serde(default, deserialize_with = "present")]
    pub(super) sector: Option<Option<Cow<'a, str>>>,
    #[serde(borrow)]
    pub(super) condition: Option<Cow<'a, str>>,
    #[serde(borrow)]
    pub(super) incapacity_start: Option<Cow<'a, str>>,
    pub(super) answers: Option<serde_json::Value>,
    pub(super) category: Option<i64>,
    #[serde(borrow)]
    pub(super) initiative: Option<Cow<'a, str>>,
    #[serde(borrow)]
    pub(super) mode: Option<Cow<'a, str>>,
    pub(super) first: Option<bool>,
    #[serde(borrow)]
    pub(super) party: Option<Cow<'a, str>>,
    #[serde(borrow)]
    pub(super) until: Option<Cow<'a, str>>,
    #[serde(borrow)]
    pub(super) to: Option<Cow<'a, str>>,
    #[serde(borrow)]
    pub(super) by: Option<Cow<'a, str>>,
    #[serde(borrow)]
    pub(super) decision: Option<Cow<'a, str>>,
    #[serde(borrow)]
    pub(super) status: Option<Cow<'a, str>>,
    #[serde(borrow)]
    pub(super) service: Option<Cow<'a, str>>,
    #[serde(borrow)]
    pub(super) activity: Option<Cow<'a, str>>,
    pub(super) percent: Option<i64>,
    #[serde(borrow)]
    pub(super) extent: Option<Cow<'a, str>>,
    pub(super) same_employer: Option<bool>,
    pub(super) same_job: Option<bool>,
    pub(super) adaptations: Option<bool>,
    #[serde(borrow)]
    pub(super) reason: Option<Cow<'a, str>>,
    #[serde(borrow)]
    pub(super) scope: Option<Cow<'a, str>>,
    pub(super) goals: Option<Vec<String>>,
    #[serde(borrow)]
    pub(super) follow_up: Option<Cow<'a, str>>,
    pub(super) steps: Option<Vec<RawStep>>,
    pub(super) purpose: Option<String>,
    pub(super) notes: Option<String>,
    #[serde(borrow)]
    pub(super) result: Option<Cow<'a, str>>,
    pub(super) note: Option<String>,
    #[serde(borrow)]
    pub(super) letter: Option<Cow<'a, str>>,
    pub(super) task: Option<String>,
    pub(super) reasons: Option<String>,
    #[serde(borrow)]
    pub(super) work: Option<Cow<'a, str>>,
    pub(super) tasks: Option<String>,
    pub(super) hours_per_week: Option<i64>,
    #[serde(borrow)]
    pub(super) start: Option<Cow<'a, str>>,
    pub(super) weeks: Option<i64>,
    pub(super) permanent: Option<bool>,
    pub(super) adjustments: Option<String>,
    pub(super) restrictions: Option<Vec<String>>,
    pub(super) hours_per_day: Option<i64>,
    pub(super) contact: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawStep {
    pub(super) step: Option<String>,
    pub(super) owner: Option<String>,
    pub(super) due: Option<String>,
}

/// Distinguishes an absent field (`None`) from an explicit `null` (`Some(None)`).
fn present<'de, D, T>(d: D) -> Result<Option<Option<T>>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(d).map(Some)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawPerson<'a> {
    pub(super) id: Option<String>,
    pub(super) name: Option<String>,
    #[serde(borrow)]
    pub(super) birth_date: Option<Cow<'a, str>>,
    #[serde(borrow)]
    pub(super) sex: Option<Cow<'a, str>>,
    #[serde(borrow)]
    pub(super) language: Option<Cow<'a, str>>,
    #[serde(borrow)]
    pub(super) region: Option<Cow<'a, str>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawEmployer<'a> {
    #[serde(borrow)]
    pub(super) id: Option<Cow<'a, str>>,
    #[serde(borrow)]
    pub(super) name: Option<Cow<'a, str>>,
}

impl RawLine<'_> {
    /// Names of the type-specific fields present on the line.
    pub(super) fn present_fields(&self) -> Vec<&'static str> {
        let mut v = Vec::new();
        macro_rules! chk { ($($f:ident),*) => { $( if self.$f.is_some() { v.push(stringify!($f)); } )* } }
        chk!(
            person,
            scheme,
            employer,
            regime,
            work_type,
            sector,
            condition,
            incapacity_start,
            answers,
            category,
            initiative,
            mode,
            first,
            to,
            by,
            decision,
            status,
            service,
            activity,
            percent,
            extent,
            same_employer,
            same_job,
            adaptations,
            reason,
            scope,
            goals,
            follow_up,
            steps,
            purpose,
            notes,
            result,
            note,
            letter,
            task,
            party,
            until,
            reasons,
            work,
            tasks,
            hours_per_week,
            start,
            weeks,
            permanent,
            adjustments,
            restrictions,
            hours_per_day,
            contact
        );
        v
    }
}

pub(super) fn allowed_fields(kind: EventType) -> &'static [&'static str] {
    use EventType::*;
    match kind {
        CaseOpened => &[
            "person",
            "scheme",
            "employer",
            "regime",
            "work_type",
            "sector",
            "condition",
            "incapacity_start",
        ],
        QuickScanReturned => &["answers"],
        CapacityAssessed => &["category"],
        ReferredToCoordinator => &["initiative"],
        CoordinatorContact => &["mode", "first", "purpose", "notes"],
        PartnerReferral => &["to"],
        CodexRequested => &["by"],
        CodexDecision => &["decision", "reasons"],
        ReintegrationPlan => &[
            "status",
            "work",
            "tasks",
            "hours_per_week",
            "percent",
            "start",
            "weeks",
            "permanent",
            "adjustments",
            "reason",
        ],
        SocioProfessionalStarted => &["service", "activity"],
        AuthorisedActivity => &["percent"],
        WorkResumed => &[
            "extent",
            "percent",
            "same_employer",
            "same_job",
            "adaptations",
        ],
        CoachingStopped => &["reason"],
        ActionPlan => &["goals", "follow_up", "steps"],
        PartnerResult => &["to", "result", "note"],
        CaseAssigned => &["to"],
        LetterSent => &["letter", "task"],
        ConsentGiven => &["to", "scope", "party", "until"],
        ConsentWithdrawn => &["to", "scope", "party"],
        WorkRestrictions => &["restrictions", "hours_per_day", "until"],
        SocioProfessionalReferred => &["service", "goals", "restrictions", "contact"],
        SocioProfessionalReport => &["activity", "note"],
        SocioProfessionalEnded => &["result"],
        QuickScanSent
        | QuickScanReminder
        | PreReturnVisit
        | SocioProfessionalSuspended
        | SocioProfessionalResumed
        | IncapacityEnded => &[],
    }
}
