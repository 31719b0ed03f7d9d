//! Typed case events (DOMAIN.md 7.1) and their parsing from one JSON line.
//!
//! Parsing is "parse, don't validate": a line either becomes an [`EventLine`] whose
//! every field is in range, or an error that names the field and the reason.

use crate::date::{parse_date, Date};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::fmt;

/// Declares a closed set of string values with parsing, printing and the value list.
macro_rules! string_enum {
    ($(#[$m:meta])* $name:ident { $($variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        pub enum $name { $(#[serde(rename = $text)] $variant),+ }
        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            pub fn as_str(self) -> &'static str { match self { $($name::$variant => $text),+ } }
            pub fn parse(s: &str) -> Option<Self> { match s { $($text => Some($name::$variant),)+ _ => None } }
            pub fn index(self) -> u8 { self as u8 }
            pub fn from_index(i: u8) -> Option<Self> { Self::ALL.get(usize::from(i)).copied() }
            pub fn expected() -> String { [$($text),+].join(", ") }
        }
        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result { f.write_str(self.as_str()) }
        }
    };
}

string_enum!(
    /// The event types of the v1 format.
    EventType {
        CaseOpened = "case_opened",
        QuickScanSent = "quick_scan_sent",
        QuickScanReturned = "quick_scan_returned",
        QuickScanReminder = "quick_scan_reminder",
        CapacityAssessed = "capacity_assessed",
        ReferredToCoordinator = "referred_to_coordinator",
        CoordinatorContact = "coordinator_contact",
        PartnerReferral = "partner_referral",
        CodexRequested = "codex_requested",
        PreReturnVisit = "pre_return_visit",
        CodexDecision = "codex_decision",
        ReintegrationPlan = "reintegration_plan",
        SocioProfessionalStarted = "socio_professional_started",
        SocioProfessionalSuspended = "socio_professional_suspended",
        SocioProfessionalResumed = "socio_professional_resumed",
        SocioProfessionalEnded = "socio_professional_ended",
        AuthorisedActivity = "authorised_activity",
        WorkResumed = "work_resumed",
        CoachingStopped = "coaching_stopped",
        ActionPlan = "action_plan",
        IncapacityEnded = "incapacity_ended",
        ConsentGiven = "consent_given",
        ConsentWithdrawn = "consent_withdrawn",
        // Extensions (appended: the index is stored in compact facts).
        PartnerResult = "partner_result",
        CaseAssigned = "case_assigned",
        LetterSent = "letter_sent",
    }
);
string_enum!(Sex { M = "m", F = "f", X = "x" });
string_enum!(Language { Nl = "nl", Fr = "fr", De = "de" });
string_enum!(Region { Flanders = "flanders", Wallonia = "wallonia", Brussels = "brussels", German = "german", Abroad = "abroad" });
string_enum!(Scheme { Employee = "employee", Unemployed = "unemployed", SelfEmployed = "self_employed" });
string_enum!(Regime { FullTime = "full_time", PartTime = "part_time" });
string_enum!(WorkType { Manual = "manual", Mental = "mental" });
string_enum!(Condition { Mental = "mental", Musculoskeletal = "musculoskeletal", Injury = "injury", Cancer = "cancer", Nervous = "nervous", Other = "other" });
string_enum!(Initiative { Member = "member", AdvisoryDoctor = "advisory_doctor" });
string_enum!(ContactMode { InPerson = "in_person", Phone = "phone", Video = "video" });
string_enum!(Partner {
    OccupationalPhysician = "occupational_physician",
    EmploymentService = "employment_service",
    CareerGuidance = "career_guidance",
    TrainingCentre = "training_centre",
    Psychologist = "psychologist",
    Employer = "employer",
    Other = "other",
});
string_enum!(
    /// What came of a partner referral.
    PartnerOutcome {
        Started = "started",
        Completed = "completed",
        DeclinedByMember = "declined_by_member",
        DeclinedByPartner = "declined_by_partner",
        NoResponse = "no_response",
        Other = "other",
    }
);
string_enum!(
    /// The letters the fund sends a member from a template.
    LetterKind {
        QuickScanInvitation = "quick_scan_invitation",
        FirstContactInvitation = "first_contact_invitation",
        Reminder = "reminder",
    }
);
string_enum!(
    /// Who carries out a step of the action plan.
    StepOwner {
        Member = "member",
        Coordinator = "coordinator",
        AdvisoryDoctor = "advisory_doctor",
        OccupationalPhysician = "occupational_physician",
        Employer = "employer",
        EmploymentService = "employment_service",
        TreatingPhysician = "treating_physician",
        Other = "other",
    }
);
string_enum!(Requester { Worker = "worker", AdvisoryDoctor = "advisory_doctor", Employer = "employer", TreatingPhysician = "treating_physician" });
string_enum!(Decision { A = "A", B = "B", C = "C", D = "D", E = "E" });
string_enum!(PlanStatus {
    Drafted = "drafted",
    Accepted = "accepted",
    RefusedByWorker = "refused_by_worker",
    RefusedByEmployer = "refused_by_employer",
    CarriedOut = "carried_out",
});
string_enum!(Service { Vdab = "vdab", Forem = "forem", Actiris = "actiris", Adg = "adg" });
string_enum!(Activity {
    Training = "training",
    Retraining = "retraining",
    Coaching = "coaching",
    Reorientation = "reorientation",
    WorkplaceLearning = "workplace_learning",
    UnpaidWork = "unpaid_work",
    Other = "other",
});
string_enum!(Extent { FullTime = "full_time", PartTime = "part_time" });
string_enum!(StopReason {
    Health = "health",
    BackToWork = "back_to_work",
    UnableToWork = "unable_to_work",
    Expectations = "expectations",
    Referred = "referred",
    Other = "other",
});
string_enum!(
    /// Roles a member can consent to share with.
    ConsentRole {
        Coordinator = "coordinator",
        Paramedic = "paramedic",
        AdvisoryDoctor = "advisory_doctor",
        OccupationalPhysician = "occupational_physician",
        Employer = "employer",
        EmploymentService = "employment_service",
        TreatingPhysician = "treating_physician",
    }
);
string_enum!(ConsentScope {
    Dossier = "dossier",
    ReintegrationPlan = "reintegration_plan",
    QuickScan = "quick_scan",
    Medical = "medical",
    SocioProfessional = "socio_professional",
});

/// A case id kept as its JSON token (`"C1"` or `17`) so that it is written back exactly
/// as it came; `1` and `"1"` are different cases.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CaseKey(String);

impl CaseKey {
    /// From the stored JSON token; the caller guarantees it came from [`CaseKey::token`].
    pub fn from_token(token: String) -> Self {
        CaseKey(token)
    }
    /// Builds a key from a string id (as typed on a command line).
    pub fn from_str_id(id: &str) -> Self {
        CaseKey(serde_json::Value::String(id.to_owned()).to_string())
    }
    /// The JSON token, ready to be embedded in JSON output.
    pub fn token(&self) -> &str {
        &self.0
    }
    /// The id as a person reads it (without JSON quotes).
    pub fn display(&self) -> Cow<'_, str> {
        if self.0.starts_with('"') {
            match serde_json::from_str::<String>(&self.0) {
                Ok(s) => Cow::Owned(s),
                Err(_) => Cow::Borrowed(&self.0),
            }
        } else {
            Cow::Borrowed(&self.0)
        }
    }
    /// Candidate keys for an id typed by a person: the string, and the number if numeric.
    pub fn candidates(id: &str) -> Vec<CaseKey> {
        let mut v = vec![CaseKey::from_str_id(id)];
        if !id.is_empty() && id.len() <= 19 && id.bytes().all(|b| b.is_ascii_digit()) {
            if let Ok(n) = id.parse::<u64>() {
                v.push(CaseKey(n.to_string()));
            }
        }
        v
    }
}

impl fmt::Display for CaseKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.display())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    pub id: String,
    pub name: String,
    pub birth_date: Date,
    pub sex: Sex,
    pub language: Language,
    pub region: Region,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Employer {
    pub id: String,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseOpened {
    pub person: Person,
    pub scheme: Scheme,
    pub employer: Option<Employer>,
    pub regime: Option<Regime>,
    pub work_type: Option<WorkType>,
    /// NACE section letter A–U.
    pub sector: Option<char>,
    pub condition: Condition,
    pub incapacity_start: Date,
}

/// One typed event. Serialised (internally tagged by `type`) it is the canonical body
/// we store and hash: field order and whitespace of the input do not matter.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum Event {
    CaseOpened(Box<CaseOpened>),
    QuickScanSent,
    QuickScanReturned {
        answers: serde_json::Map<String, serde_json::Value>,
    },
    QuickScanReminder,
    CapacityAssessed {
        category: u8,
    },
    ReferredToCoordinator {
        initiative: Initiative,
    },
    CoordinatorContact {
        mode: ContactMode,
        first: bool,
        /// Why the contact took place (non-medical, free text).
        #[serde(skip_serializing_if = "Option::is_none", default)]
        purpose: Option<String>,
        /// The coordinator's notes (non-medical, free text).
        #[serde(skip_serializing_if = "Option::is_none", default)]
        notes: Option<String>,
    },
    PartnerReferral {
        to: Partner,
    },
    CodexRequested {
        by: Requester,
    },
    PreReturnVisit,
    CodexDecision {
        decision: Decision,
    },
    ReintegrationPlan {
        status: PlanStatus,
    },
    SocioProfessionalStarted {
        service: Service,
        activity: Activity,
    },
    SocioProfessionalSuspended,
    SocioProfessionalResumed,
    SocioProfessionalEnded,
    AuthorisedActivity {
        percent: u8,
    },
    WorkResumed {
        extent: Extent,
        #[serde(skip_serializing_if = "Option::is_none", default)]
        percent: Option<u8>,
        same_employer: bool,
        same_job: bool,
        adaptations: bool,
    },
    CoachingStopped {
        reason: StopReason,
    },
    ActionPlan {
        #[serde(skip_serializing_if = "Vec::is_empty", default)]
        goals: Vec<String>,
        #[serde(skip_serializing_if = "Option::is_none", default)]
        follow_up: Option<Date>,
        #[serde(skip_serializing_if = "Vec::is_empty", default)]
        steps: Vec<PlanStep>,
    },
    IncapacityEnded,
    ConsentGiven {
        to: ConsentRole,
        scope: ConsentScope,
    },
    ConsentWithdrawn {
        to: ConsentRole,
        scope: ConsentScope,
    },
    PartnerResult {
        to: Partner,
        result: PartnerOutcome,
        #[serde(skip_serializing_if = "Option::is_none", default)]
        note: Option<String>,
    },
    CaseAssigned {
        /// The username of the coordinator or paramedic who takes the dossier.
        to: String,
    },
    LetterSent {
        letter: LetterKind,
        /// For a reminder: the overdue task it is about.
        #[serde(skip_serializing_if = "Option::is_none", default)]
        task: Option<String>,
    },
}

/// One agreed step of an action plan: what, who, by when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanStep {
    pub step: String,
    pub owner: StepOwner,
    pub due: Date,
}

impl Event {
    pub fn event_type(&self) -> EventType {
        match self {
            Event::CaseOpened(_) => EventType::CaseOpened,
            Event::QuickScanSent => EventType::QuickScanSent,
            Event::QuickScanReturned { .. } => EventType::QuickScanReturned,
            Event::QuickScanReminder => EventType::QuickScanReminder,
            Event::CapacityAssessed { .. } => EventType::CapacityAssessed,
            Event::ReferredToCoordinator { .. } => EventType::ReferredToCoordinator,
            Event::CoordinatorContact { .. } => EventType::CoordinatorContact,
            Event::PartnerReferral { .. } => EventType::PartnerReferral,
            Event::CodexRequested { .. } => EventType::CodexRequested,
            Event::PreReturnVisit => EventType::PreReturnVisit,
            Event::CodexDecision { .. } => EventType::CodexDecision,
            Event::ReintegrationPlan { .. } => EventType::ReintegrationPlan,
            Event::SocioProfessionalStarted { .. } => EventType::SocioProfessionalStarted,
            Event::SocioProfessionalSuspended => EventType::SocioProfessionalSuspended,
            Event::SocioProfessionalResumed => EventType::SocioProfessionalResumed,
            Event::SocioProfessionalEnded => EventType::SocioProfessionalEnded,
            Event::AuthorisedActivity { .. } => EventType::AuthorisedActivity,
            Event::WorkResumed { .. } => EventType::WorkResumed,
            Event::CoachingStopped { .. } => EventType::CoachingStopped,
            Event::ActionPlan { .. } => EventType::ActionPlan,
            Event::IncapacityEnded => EventType::IncapacityEnded,
            Event::ConsentGiven { .. } => EventType::ConsentGiven,
            Event::ConsentWithdrawn { .. } => EventType::ConsentWithdrawn,
            Event::PartnerResult { .. } => EventType::PartnerResult,
            Event::CaseAssigned { .. } => EventType::CaseAssigned,
            Event::LetterSent { .. } => EventType::LetterSent,
        }
    }

    /// The canonical JSON body (type and fields, without case and date).
    pub fn to_body(&self) -> String {
        // Serialising our own types to a String cannot fail (no maps with non-string keys).
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Reads back a stored canonical body.
    pub fn from_body(body: &str) -> Result<Event, serde_json::Error> {
        serde_json::from_str(body)
    }
}

/// One parsed and range-checked line of the import format.
#[derive(Debug, Clone, PartialEq)]
pub struct EventLine {
    pub case: CaseKey,
    pub date: Date,
    pub event: Event,
}

impl EventLine {
    /// A content hash of the canonical form, used to recognise an event imported twice.
    pub fn fingerprint(&self, body: &str) -> u64 {
        fingerprint(self.date, body)
    }
}

pub fn fingerprint(date: Date, body: &str) -> u64 {
    use chrono::Datelike;
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    h.update(&date.num_days_from_ce().to_le_bytes());
    h.update(body.as_bytes());
    h.digest()
}

/// Why a line was rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ParseError(pub String);

fn err<T>(msg: impl Into<String>) -> Result<T, ParseError> {
    Err(ParseError(msg.into()))
}

/// The union of every type's fields: one pass over the JSON object, then per-type checks.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLine<'a> {
    case: Option<&'a serde_json::value::RawValue>,
    #[serde(rename = "type", borrow)]
    kind: Option<Cow<'a, str>>,
    #[serde(borrow)]
    date: Option<Cow<'a, str>>,
    #[serde(borrow)]
    person: Option<RawPerson<'a>>,
    #[serde(borrow)]
    scheme: Option<Cow<'a, str>>,
    #[serde(default, deserialize_with = "present")]
    employer: Option<Option<RawEmployer<'a>>>,
    #[serde(default, deserialize_with = "present")]
    regime: Option<Option<Cow<'a, str>>>,
    #[serde(default, deserialize_with = "present")]
    work_type: Option<Option<Cow<'a, str>>>,
    #[serde(default, deserialize_with = "present")]
    sector: Option<Option<Cow<'a, str>>>,
    #[serde(borrow)]
    condition: Option<Cow<'a, str>>,
    #[serde(borrow)]
    incapacity_start: Option<Cow<'a, str>>,
    answers: Option<serde_json::Value>,
    category: Option<i64>,
    #[serde(borrow)]
    initiative: Option<Cow<'a, str>>,
    #[serde(borrow)]
    mode: Option<Cow<'a, str>>,
    first: Option<bool>,
    #[serde(borrow)]
    to: Option<Cow<'a, str>>,
    #[serde(borrow)]
    by: Option<Cow<'a, str>>,
    #[serde(borrow)]
    decision: Option<Cow<'a, str>>,
    #[serde(borrow)]
    status: Option<Cow<'a, str>>,
    #[serde(borrow)]
    service: Option<Cow<'a, str>>,
    #[serde(borrow)]
    activity: Option<Cow<'a, str>>,
    percent: Option<i64>,
    #[serde(borrow)]
    extent: Option<Cow<'a, str>>,
    same_employer: Option<bool>,
    same_job: Option<bool>,
    adaptations: Option<bool>,
    #[serde(borrow)]
    reason: Option<Cow<'a, str>>,
    #[serde(borrow)]
    scope: Option<Cow<'a, str>>,
    goals: Option<Vec<String>>,
    #[serde(borrow)]
    follow_up: Option<Cow<'a, str>>,
    steps: Option<Vec<RawStep>>,
    purpose: Option<String>,
    notes: Option<String>,
    #[serde(borrow)]
    result: Option<Cow<'a, str>>,
    note: Option<String>,
    #[serde(borrow)]
    letter: Option<Cow<'a, str>>,
    task: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawStep {
    step: Option<String>,
    owner: Option<String>,
    due: Option<String>,
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
struct RawPerson<'a> {
    id: Option<String>,
    name: Option<String>,
    #[serde(borrow)]
    birth_date: Option<Cow<'a, str>>,
    #[serde(borrow)]
    sex: Option<Cow<'a, str>>,
    #[serde(borrow)]
    language: Option<Cow<'a, str>>,
    #[serde(borrow)]
    region: Option<Cow<'a, str>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEmployer<'a> {
    #[serde(borrow)]
    id: Option<Cow<'a, str>>,
    #[serde(borrow)]
    name: Option<Cow<'a, str>>,
}

/// Longest line we accept: the biggest legitimate line (a quick scan with answers) is
/// far below; anything longer is a broken export.
pub const MAX_LINE_BYTES: usize = 256 * 1024;

fn clean_serde_message(e: &serde_json::Error) -> String {
    let msg = e.to_string();
    // serde lists every field of every type after "expected one of": noise for a person.
    let msg = match msg.find(", expected one of") {
        Some(i) if msg.starts_with("unknown field") => {
            let tail = msg.rfind(" at line").map(|j| &msg[j..]).unwrap_or("");
            format!("{}{}", &msg[..i], tail)
        }
        _ => msg,
    };
    // We report line numbers of the file ourselves; serde's "line 1 column N" is the column.
    match msg.find(" at line 1 column ") {
        Some(i) => format!("{} (column {})", &msg[..i], &msg[i + 18..]),
        None => msg,
    }
}

fn text(field: &str, v: &str, max: usize) -> Result<String, ParseError> {
    if v.trim().is_empty() {
        return err(format!("`{field}` must not be empty"));
    }
    if v.chars().count() > max {
        return err(format!("`{field}` is longer than {max} characters"));
    }
    if v.chars().any(char::is_control) {
        return err(format!("`{field}` contains control characters"));
    }
    Ok(v.to_owned())
}

fn opt_text(field: &str, v: Option<&str>, max: usize) -> Result<Option<String>, ParseError> {
    v.map(|v| text(field, v, max)).transpose()
}

/// Free text that may span lines (notes): newlines and tabs are allowed, other control
/// characters are not.
fn opt_text_multiline(
    field: &str,
    v: Option<&str>,
    max: usize,
) -> Result<Option<String>, ParseError> {
    let Some(v) = v else { return Ok(None) };
    if v.trim().is_empty() {
        return err(format!("`{field}` must not be empty"));
    }
    if v.chars().count() > max {
        return err(format!("`{field}` is longer than {max} characters"));
    }
    if v.chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    {
        return err(format!("`{field}` contains control characters"));
    }
    Ok(Some(v.to_owned()))
}

fn plan_step(n: usize, s: RawStep) -> Result<PlanStep, ParseError> {
    let field = |f: &str| format!("steps[{n}].{f}");
    let missing = |f: &str| ParseError(format!("`{}` is missing", field(f)));
    let step = text(&field("step"), &s.step.ok_or_else(|| missing("step"))?, 300)?;
    let owner_text = s.owner.ok_or_else(|| missing("owner"))?;
    let owner = StepOwner::parse(&owner_text).ok_or_else(|| {
        ParseError(format!(
            "`{}`: `{owner_text}` is not one of {}",
            field("owner"),
            StepOwner::expected()
        ))
    })?;
    let due = date_field(&field("due"), &s.due.ok_or_else(|| missing("due"))?)?;
    Ok(PlanStep { step, owner, due })
}

fn req<T>(field: &str, kind: EventType, v: Option<T>) -> Result<T, ParseError> {
    match v {
        Some(v) => Ok(v),
        None => err(format!("{kind} needs the field `{field}`")),
    }
}

macro_rules! enum_field {
    ($ty:ident, $field:literal, $kind:expr, $value:expr) => {{
        let v = req($field, $kind, $value)?;
        $ty::parse(&v).ok_or_else(|| {
            ParseError(format!(
                "`{}`: `{}` is not one of {}",
                $field,
                v,
                $ty::expected()
            ))
        })?
    }};
}

fn date_field(field: &str, v: &str) -> Result<Date, ParseError> {
    parse_date(v).map_err(|e| ParseError(format!("`{field}`: {e}")))
}

fn case_key(raw: &serde_json::value::RawValue) -> Result<CaseKey, ParseError> {
    let s = raw.get();
    match serde_json::from_str::<serde_json::Value>(s) {
        Ok(serde_json::Value::String(id)) => {
            text("case", &id, 64)?;
            // Re-encode so that equivalent escapes give one key.
            Ok(CaseKey(serde_json::Value::String(id).to_string()))
        }
        Ok(serde_json::Value::Number(n)) => match n.as_u64() {
            Some(n) => Ok(CaseKey(n.to_string())),
            None => err("`case` must be a string or a non-negative integer"),
        },
        _ => err("`case` must be a string or a non-negative integer"),
    }
}

impl RawLine<'_> {
    /// Names of the type-specific fields present on the line.
    fn present_fields(&self) -> Vec<&'static str> {
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
            task
        );
        v
    }
}

fn allowed_fields(kind: EventType) -> &'static [&'static str] {
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
        CodexDecision => &["decision"],
        ReintegrationPlan => &["status"],
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
        ConsentGiven | ConsentWithdrawn => &["to", "scope"],
        QuickScanSent
        | QuickScanReminder
        | PreReturnVisit
        | SocioProfessionalSuspended
        | SocioProfessionalResumed
        | SocioProfessionalEnded
        | IncapacityEnded => &[],
    }
}

/// Parses one line of the import format into a typed, range-checked event.
pub fn parse_line(line: &str) -> Result<EventLine, ParseError> {
    if line.len() > MAX_LINE_BYTES {
        return err(format!(
            "line is {} bytes long; the limit is {MAX_LINE_BYTES}",
            line.len()
        ));
    }
    // Serde's own words for a non-object ("expected struct RawLine with 38 elements")
    // mean nothing to whoever fixes the file.
    let first = line.trim_start().as_bytes().first().copied();
    if first.is_some_and(|c| c != b'{')
        && serde_json::from_str::<serde::de::IgnoredAny>(line).is_ok()
    {
        return err(if first == Some(b'[') {
            "an event must be a JSON object, not an array"
        } else {
            "an event must be a JSON object"
        });
    }
    let raw: RawLine = serde_json::from_str(line).map_err(|e| {
        if e.is_syntax() || e.is_eof() {
            ParseError(format!("not valid JSON: {}", clean_serde_message(&e)))
        } else {
            ParseError(clean_serde_message(&e))
        }
    })?;
    let case = case_key(
        raw.case
            .ok_or_else(|| ParseError("missing field `case`".into()))?,
    )?;
    let kind_text = raw
        .kind
        .as_deref()
        .ok_or_else(|| ParseError("missing field `type`".into()))?;
    let kind = EventType::parse(kind_text)
        .ok_or_else(|| ParseError(format!("unknown event type `{kind_text}`")))?;
    let date = date_field(
        "date",
        raw.date
            .as_deref()
            .ok_or_else(|| ParseError("missing field `date`".into()))?,
    )?;
    let allowed = allowed_fields(kind);
    if let Some(f) = raw
        .present_fields()
        .into_iter()
        .find(|f| !allowed.contains(f))
    {
        return err(format!("field `{f}` does not belong to {kind}"));
    }
    let event = build_event(kind, raw)?;
    if let Event::CaseOpened(o) = &event {
        if o.incapacity_start > date {
            return err(format!(
                "`incapacity_start` {} is after the event date {date}",
                o.incapacity_start
            ));
        }
    }
    if let Event::ActionPlan {
        follow_up, steps, ..
    } = &event
    {
        if let Some(f) = follow_up.filter(|f| *f < date) {
            return err(format!("`follow_up` {f} is before the plan date {date}"));
        }
        if let Some((i, s)) = steps.iter().enumerate().find(|(_, s)| s.due < date) {
            return err(format!(
                "`steps[{}].due` {} is before the plan date {date}",
                i + 1,
                s.due
            ));
        }
    }
    Ok(EventLine { case, date, event })
}

fn build_event(kind: EventType, raw: RawLine<'_>) -> Result<Event, ParseError> {
    use EventType as T;
    Ok(match kind {
        T::CaseOpened => Event::CaseOpened(Box::new(case_opened(raw)?)),
        T::QuickScanSent => Event::QuickScanSent,
        T::QuickScanReturned => {
            let answers = match raw.answers {
                None => serde_json::Map::new(),
                Some(serde_json::Value::Object(m)) => m,
                Some(_) => return err("`answers` must be a JSON object"),
            };
            Event::QuickScanReturned { answers }
        }
        T::QuickScanReminder => Event::QuickScanReminder,
        T::CapacityAssessed => {
            let c = req("category", kind, raw.category)?;
            if !(1..=4).contains(&c) {
                return err(format!("`category`: {c} is out of range 1–4"));
            }
            Event::CapacityAssessed { category: c as u8 }
        }
        T::ReferredToCoordinator => Event::ReferredToCoordinator {
            initiative: enum_field!(Initiative, "initiative", kind, raw.initiative),
        },
        T::CoordinatorContact => Event::CoordinatorContact {
            mode: enum_field!(ContactMode, "mode", kind, raw.mode),
            first: req("first", kind, raw.first)?,
            purpose: opt_text("purpose", raw.purpose.as_deref(), 200)?,
            notes: opt_text_multiline("notes", raw.notes.as_deref(), 4000)?,
        },
        T::PartnerReferral => Event::PartnerReferral {
            to: enum_field!(Partner, "to", kind, raw.to),
        },
        T::CodexRequested => Event::CodexRequested {
            by: enum_field!(Requester, "by", kind, raw.by),
        },
        T::PreReturnVisit => Event::PreReturnVisit,
        T::CodexDecision => Event::CodexDecision {
            decision: enum_field!(Decision, "decision", kind, raw.decision),
        },
        T::ReintegrationPlan => Event::ReintegrationPlan {
            status: enum_field!(PlanStatus, "status", kind, raw.status),
        },
        T::SocioProfessionalStarted => Event::SocioProfessionalStarted {
            service: enum_field!(Service, "service", kind, raw.service),
            activity: enum_field!(Activity, "activity", kind, raw.activity),
        },
        T::SocioProfessionalSuspended => Event::SocioProfessionalSuspended,
        T::SocioProfessionalResumed => Event::SocioProfessionalResumed,
        T::SocioProfessionalEnded => Event::SocioProfessionalEnded,
        T::AuthorisedActivity => {
            let p = req("percent", kind, raw.percent)?;
            if !(1..=99).contains(&p) {
                return err(format!("`percent`: {p} is out of range 1–99"));
            }
            Event::AuthorisedActivity { percent: p as u8 }
        }
        T::WorkResumed => {
            let extent = enum_field!(Extent, "extent", kind, raw.extent);
            let percent = match (extent, raw.percent) {
                (Extent::PartTime, None) => {
                    return err("a part_time `work_resumed` needs `percent` (1–99)")
                }
                (Extent::PartTime, Some(p)) if !(1..=99).contains(&p) => {
                    return err(format!("`percent`: {p} is out of range 1–99 for part_time"))
                }
                (Extent::FullTime, Some(p)) if p != 100 => {
                    return err(format!(
                        "`percent`: {p} must be 100 (or absent) for full_time"
                    ))
                }
                (_, p) => p.map(|p| p as u8),
            };
            Event::WorkResumed {
                extent,
                percent,
                same_employer: req("same_employer", kind, raw.same_employer)?,
                same_job: req("same_job", kind, raw.same_job)?,
                adaptations: req("adaptations", kind, raw.adaptations)?,
            }
        }
        T::CoachingStopped => Event::CoachingStopped {
            reason: enum_field!(StopReason, "reason", kind, raw.reason),
        },
        T::ActionPlan => {
            let goals = raw.goals.unwrap_or_default();
            if goals.len() > 20 {
                return err("`goals`: at most 20 goals");
            }
            let goals = goals
                .iter()
                .map(|g| text("goals", g, 500))
                .collect::<Result<Vec<_>, _>>()?;
            let follow_up = raw
                .follow_up
                .as_deref()
                .map(|f| date_field("follow_up", f))
                .transpose()?;
            let steps = raw.steps.unwrap_or_default();
            if steps.len() > 30 {
                return err("`steps`: at most 30 steps");
            }
            let steps = steps
                .into_iter()
                .enumerate()
                .map(|(i, s)| plan_step(i + 1, s))
                .collect::<Result<Vec<_>, _>>()?;
            Event::ActionPlan {
                goals,
                follow_up,
                steps,
            }
        }
        T::PartnerResult => Event::PartnerResult {
            to: enum_field!(Partner, "to", kind, raw.to),
            result: enum_field!(PartnerOutcome, "result", kind, raw.result),
            note: opt_text_multiline("note", raw.note.as_deref(), 2000)?,
        },
        T::CaseAssigned => {
            let to = text("to", &req("to", kind, raw.to)?, 64)?;
            if to.chars().any(char::is_whitespace) {
                return err("`to` must be a username (no spaces)");
            }
            Event::CaseAssigned { to }
        }
        T::LetterSent => {
            let letter = enum_field!(LetterKind, "letter", kind, raw.letter);
            let task = opt_text("task", raw.task.as_deref(), 64)?;
            if letter == LetterKind::Reminder && task.is_none() {
                return err("a reminder letter needs the `task` it is about");
            }
            Event::LetterSent { letter, task }
        }
        T::IncapacityEnded => Event::IncapacityEnded,
        T::ConsentGiven => Event::ConsentGiven {
            to: enum_field!(ConsentRole, "to", kind, raw.to),
            scope: enum_field!(ConsentScope, "scope", kind, raw.scope),
        },
        T::ConsentWithdrawn => Event::ConsentWithdrawn {
            to: enum_field!(ConsentRole, "to", kind, raw.to),
            scope: enum_field!(ConsentScope, "scope", kind, raw.scope),
        },
    })
}

fn case_opened(raw: RawLine<'_>) -> Result<CaseOpened, ParseError> {
    let kind = EventType::CaseOpened;
    let p = req("person", kind, raw.person)?;
    let pk = |f: &str| format!("person.{f}");
    let person = Person {
        id: text("person.id", &req(&pk("id"), kind, p.id)?, 64)?,
        name: text("person.name", &req(&pk("name"), kind, p.name)?, 200)?,
        birth_date: {
            let v = req(&pk("birth_date"), kind, p.birth_date)?;
            let min = Date::from_ymd_opt(1900, 1, 1).unwrap_or(Date::MIN);
            crate::date::parse_date_between(&v, min, crate::date::MAX_DATE)
                .map_err(|e| ParseError(format!("`person.birth_date`: {e}")))?
        },
        sex: enum_field!(Sex, "person.sex", kind, p.sex),
        language: enum_field!(Language, "person.language", kind, p.language),
        region: enum_field!(Region, "person.region", kind, p.region),
    };
    let scheme = enum_field!(Scheme, "scheme", kind, raw.scheme);
    let employer = match raw.employer.flatten() {
        None => None,
        Some(e) => Some(Employer {
            id: text("employer.id", &req("employer.id", kind, e.id)?, 64)?,
            name: text("employer.name", &req("employer.name", kind, e.name)?, 200)?,
        }),
    };
    if scheme == Scheme::Employee && employer.is_none() {
        return err("an `employee` case needs an `employer` {id, name}");
    }
    let regime = match raw.regime.flatten() {
        None => None,
        Some(v) => Some(enum_field!(Regime, "regime", kind, Some(v))),
    };
    let work_type = match raw.work_type.flatten() {
        None => None,
        Some(v) => Some(enum_field!(WorkType, "work_type", kind, Some(v))),
    };
    let sector = match raw.sector.flatten() {
        None => None,
        Some(v) => {
            let mut chars = v.chars();
            match (chars.next(), chars.next()) {
                (Some(c @ 'A'..='U'), None) => Some(c),
                _ => return err(format!("`sector`: `{v}` is not a NACE section letter A–U")),
            }
        }
    };
    let condition = enum_field!(Condition, "condition", kind, raw.condition);
    let incapacity_start = date_field(
        "incapacity_start",
        &req("incapacity_start", kind, raw.incapacity_start)?,
    )?;
    if person.birth_date >= incapacity_start {
        return err("`person.birth_date` must be before `incapacity_start`");
    }
    Ok(CaseOpened {
        person,
        scheme,
        employer,
        regime,
        work_type,
        sector,
        condition,
        incapacity_start,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const OPENED: &str = r#"{"case":"C1","type":"case_opened","date":"2023-01-10","person":{"id":"P1","name":"An Peeters","birth_date":"1980-05-01","sex":"f","language":"nl","region":"flanders"},"scheme":"employee","employer":{"id":"E1","name":"Acme"},"regime":"full_time","work_type":"mental","sector":"Q","condition":"mental","incapacity_start":"2023-01-02"}"#;

    #[test]
    fn parses_every_type_and_round_trips_the_body() {
        let lines = [
            OPENED,
            r#"{"case":"C1","type":"quick_scan_sent","date":"2023-03-10"}"#,
            r#"{"date":"2023-03-20","type":"quick_scan_returned","case":"C1","answers":{"b":1,"a":[1,2]}}"#,
            r#"{"case":"C1","type":"capacity_assessed","date":"2023-04-10","category":4}"#,
            r#"{"case":"C1","type":"referred_to_coordinator","date":"2023-04-10","initiative":"advisory_doctor"}"#,
            r#"{"case":"C1","type":"coordinator_contact","date":"2023-04-20","mode":"phone","first":true}"#,
            r#"{"case":"C1","type":"work_resumed","date":"2023-06-01","extent":"part_time","percent":50,"same_employer":true,"same_job":true,"adaptations":false}"#,
            r#"{"case":7,"type":"consent_given","date":"2023-06-01","to":"employer","scope":"reintegration_plan"}"#,
            r#"{"case":"C1","type":"action_plan","date":"2023-05-01","goals":["Try 2 days a week"],"follow_up":"2023-08-01"}"#,
            r#"{"case":"C1","type":"action_plan","date":"2023-05-01","steps":[{"step":"Visit the occupational physician","owner":"member","due":"2023-05-20"}]}"#,
            r#"{"case":"C1","type":"coordinator_contact","date":"2023-05-02","mode":"video","first":false,"purpose":"plan review","notes":"Line one\nline two"}"#,
            r#"{"case":"C1","type":"partner_result","date":"2023-06-02","to":"career_guidance","result":"completed","note":"New direction found"}"#,
            r#"{"case":"C1","type":"case_assigned","date":"2023-04-11","to":"coordinator"}"#,
        ];
        for l in lines {
            let e = parse_line(l).unwrap_or_else(|e| panic!("{l}: {e}"));
            let body = e.event.to_body();
            assert_eq!(Event::from_body(&body).unwrap(), e.event);
        }
        assert_eq!(parse_line(lines[7]).unwrap().case.token(), "7");
        assert_eq!(parse_line(lines[1]).unwrap().case.token(), "\"C1\"");
    }

    #[test]
    fn canonical_body_ignores_field_order() {
        let a = parse_line(r#"{"case":"C1","type":"quick_scan_returned","date":"2023-03-20","answers":{"b":1,"a":2}}"#).unwrap();
        let b = parse_line(r#"{"answers":{"a":2,"b":1}, "date":"2023-03-20","case":"C1","type":"quick_scan_returned"}"#).unwrap();
        assert_eq!(a.event.to_body(), b.event.to_body());
    }

    fn reason(l: &str) -> String {
        parse_line(l).unwrap_err().0
    }

    #[test]
    fn rejects_with_reasons() {
        assert!(reason(
            r#"{"case":"C1","type":"capacity_assessed","date":"2023-04-10","category":5}"#
        )
        .contains("out of range 1–4"));
        assert!(reason(
            r#"{"case":"C1","type":"capacity_assessed","date":"2023-02-30","category":1}"#
        )
        .contains("not a real calendar date"));
        assert!(
            reason(r#"{"case":"C1","type":"teleport","date":"2023-02-01"}"#)
                .contains("unknown event type `teleport`")
        );
        assert!(reason(
            r#"{"case":"C1","type":"quick_scan_sent","date":"2023-02-01","category":1}"#
        )
        .contains("does not belong"));
        assert!(
            reason(r#"{"case":"C1","type":"quick_scan_sent","date":"2023-02-01","colour":1}"#)
                .contains("unknown field `colour`")
        );
        assert!(reason(r#"{"case":"C1","type":"coordinator_contact","date":"2023-02-01","mode":"fax","first":true}"#).contains("`mode`: `fax` is not one of in_person, phone, video"));
        assert!(reason(
            r#"{"case":"C1","type":"coordinator_contact","date":"2023-02-01","mode":"phone"}"#
        )
        .contains("needs the field `first`"));
        assert!(
            reason(r#"{"case":-1,"type":"quick_scan_sent","date":"2023-02-01"}"#)
                .contains("non-negative")
        );
        assert!(
            reason(r#"{"case":"C1","type":"quick_scan_sent"}"#).contains("missing field `date`")
        );
        assert!(reason(r#"{"case":"C1""#).contains("not valid JSON"));
        assert!(reason(
            r#"{"case":"C1","case":"C2","type":"quick_scan_sent","date":"2023-02-01"}"#
        )
        .contains("duplicate"));
        assert!(reason(r#"{"case":"C1","type":"work_resumed","date":"2023-06-01","extent":"part_time","same_employer":true,"same_job":true,"adaptations":false}"#).contains("needs `percent`"));
        assert!(reason(&OPENED.replace(
            "\"employer\":{\"id\":\"E1\",\"name\":\"Acme\"}",
            "\"employer\":null"
        ))
        .contains("needs an `employer`"));
        assert!(
            reason(&OPENED.replace("2023-01-02", "2023-02-02")).contains("after the event date")
        );
        assert!(reason(&OPENED.replace("\"Q\"", "\"Z\"")).contains("NACE"));
        assert!(reason(&"x".repeat(MAX_LINE_BYTES + 1)).contains("limit"));
        assert!(reason("[1,2]").contains("a JSON object, not an array"));
        assert!(reason("42").contains("must be a JSON object"));
        assert!(reason("\"text\"").contains("must be a JSON object"));
        assert!(reason("[1,").contains("not valid JSON"));
    }

    #[test]
    fn extension_fields_are_checked() {
        let plan = |steps: &str| {
            format!(r#"{{"case":"C1","type":"action_plan","date":"2023-05-01","steps":{steps}}}"#)
        };
        assert!(
            reason(&plan(r#"[{"step":"x","owner":"boss","due":"2023-06-01"}]"#))
                .contains("`steps[1].owner`: `boss` is not one of")
        );
        assert!(reason(&plan(r#"[{"step":"x","owner":"member"}]"#))
            .contains("`steps[1].due` is missing"));
        assert!(reason(&plan(
            r#"[{"step":"x","owner":"member","due":"2023-04-01"}]"#
        ))
        .contains("before the plan date"));
        assert!(reason(&plan(
            r#"[{"step":"x","owner":"member","due":"2023-06-01","colour":1}]"#
        ))
        .contains("unknown field `colour`"));
        assert!(reason(r#"{"case":"C1","type":"partner_result","date":"2023-06-02","to":"psychologist","result":"great"}"#)
            .contains("`result`: `great` is not one of"));
        assert!(reason(
            r#"{"case":"C1","type":"case_assigned","date":"2023-06-02","to":"two words"}"#
        )
        .contains("username"));
        assert!(reason(r#"{"case":"C1","type":"coordinator_contact","date":"2023-02-01","mode":"phone","first":true,"notes":"bell\u0007"}"#)
            .contains("control characters"));
        // Contacts without the optional fields keep their canonical body (fingerprints).
        let c = parse_line(r#"{"case":"C1","type":"coordinator_contact","date":"2023-02-01","mode":"phone","first":true}"#).unwrap();
        assert_eq!(
            c.event.to_body(),
            r#"{"type":"coordinator_contact","mode":"phone","first":true}"#
        );
    }
}
