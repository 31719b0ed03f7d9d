//! Parsing one JSON line of the import format into a typed, range-checked event.

use super::fields::{
    case_key, date_field, enum_field, opt_text, opt_text_multiline, plan_step, req, text,
};
use super::model::{CaseOpened, Employer, Event, EventLine, EventType, Person};
use super::raw::{allowed_fields, RawLine};
use super::values::*;
use crate::date::Date;
use crate::party::Party;

/// Why a line was rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ParseError(pub String);

pub(super) fn err<T>(msg: impl Into<String>) -> Result<T, ParseError> {
    Err(ParseError(msg.into()))
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
    let after = |field: &str, d: Option<Date>| match d.filter(|d| *d <= date) {
        Some(d) => err(format!("`{field}` {d} must be after the event date {date}")),
        None => Ok(()),
    };
    match &event {
        Event::WorkRestrictions { until, .. } => after("until", *until)?,
        Event::ReintegrationPlan(p) if p.start.is_some_and(|s| s < date) => {
            let s = p.start.unwrap_or(date);
            return err(format!("`start` {s} is before the plan date {date}"));
        }
        _ => {}
    }
    if let Event::ConsentGiven {
        to, scope, until, ..
    } = &event
    {
        crate::party::consent_ends(*to, *scope, date, *until).map_err(|e| ParseError(e.0))?;
    }
    Ok(EventLine { case, date, event })
}

/// A consent's optional `party`: who exactly receives it, a party of role `to`.
fn party_field(to: ConsentRole, v: Option<&str>) -> Result<Option<Party>, ParseError> {
    let Some(v) = v else {
        return Ok(None);
    };
    let party = Party::parse(v).map_err(|e| ParseError(format!("`party`: {e}")))?;
    party
        .fits(to)
        .map_err(|e| ParseError(format!("`party`: {e}")))?;
    Ok(Some(party))
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
            reasons: opt_text_multiline("reasons", raw.reasons.as_deref(), 2000)?,
        },
        T::ReintegrationPlan => reintegration_plan(raw)?,
        T::SocioProfessionalStarted => Event::SocioProfessionalStarted {
            service: enum_field!(Service, "service", kind, raw.service),
            activity: enum_field!(Activity, "activity", kind, raw.activity),
        },
        T::SocioProfessionalSuspended => Event::SocioProfessionalSuspended,
        T::SocioProfessionalResumed => Event::SocioProfessionalResumed,
        T::SocioProfessionalEnded => Event::SocioProfessionalEnded {
            result: match raw.result {
                None => None,
                Some(_) => Some(enum_field!(SocioResult, "result", kind, raw.result)),
            },
        },
        T::SocioProfessionalReferred => {
            Event::SocioProfessionalReferred(Box::new(super::model::HandOff {
                service: enum_field!(Service, "service", kind, raw.service),
                goals: text_list("goals", raw.goals, 20, 500)?,
                restrictions: text_list("restrictions", raw.restrictions, 20, 200)?,
                contact: opt_text("contact", raw.contact.as_deref(), 200)?,
            }))
        }
        T::SocioProfessionalReport => {
            let activity = match raw.activity {
                None => None,
                Some(_) => Some(enum_field!(Activity, "activity", kind, raw.activity)),
            };
            let note = opt_text_multiline("note", raw.note.as_deref(), 2000)?;
            if activity.is_none() && note.is_none() {
                return err("socio_professional_report needs an `activity` or a `note`");
            }
            Event::SocioProfessionalReport { activity, note }
        }
        T::WorkRestrictions => {
            let restrictions = text_list("restrictions", raw.restrictions, 20, 200)?;
            if restrictions.is_empty() {
                return err("work_restrictions needs at least one item in `restrictions`");
            }
            Event::WorkRestrictions {
                restrictions,
                hours_per_day: bounded("hours_per_day", raw.hours_per_day, 1, 12)?.map(|h| h as u8),
                until: raw
                    .until
                    .as_deref()
                    .map(|u| date_field("until", u))
                    .transpose()?,
            }
        }
        T::AuthorisedActivity => {
            let p = req("percent", kind, raw.percent)?;
            if !(1..=99).contains(&p) {
                return err(format!("`percent`: {p} is out of range 1–99"));
            }
            Event::AuthorisedActivity { percent: p as u8 }
        }
        T::WorkResumed => work_resumed(raw)?,
        T::CoachingStopped => Event::CoachingStopped {
            reason: enum_field!(StopReason, "reason", kind, raw.reason),
        },
        T::ActionPlan => action_plan(raw)?,
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
        T::ConsentGiven => {
            let to = enum_field!(ConsentRole, "to", kind, raw.to);
            Event::ConsentGiven {
                to,
                scope: enum_field!(ConsentScope, "scope", kind, raw.scope),
                party: party_field(to, raw.party.as_deref())?,
                until: raw
                    .until
                    .as_deref()
                    .map(|u| date_field("until", u))
                    .transpose()?,
            }
        }
        T::ConsentWithdrawn => {
            let to = enum_field!(ConsentRole, "to", kind, raw.to);
            Event::ConsentWithdrawn {
                to,
                scope: enum_field!(ConsentScope, "scope", kind, raw.scope),
                party: party_field(to, raw.party.as_deref())?,
            }
        }
    })
}

/// A list of free texts: at most `n`, each at most `max` characters.
fn text_list(
    field: &str,
    v: Option<Vec<String>>,
    n: usize,
    max: usize,
) -> Result<Vec<String>, ParseError> {
    let v = v.unwrap_or_default();
    if v.len() > n {
        return err(format!("`{field}`: at most {n} items"));
    }
    v.iter()
        .enumerate()
        .map(|(i, t)| text(&format!("{field}[{}]", i + 1), t, max))
        .collect()
}

/// An optional whole number within `lo..=hi`.
fn bounded(field: &str, v: Option<i64>, lo: i64, hi: i64) -> Result<Option<i64>, ParseError> {
    match v {
        Some(x) if !(lo..=hi).contains(&x) => {
            err(format!("`{field}`: {x} is out of range {lo}–{hi}"))
        }
        v => Ok(v),
    }
}

/// A plan's status, with the content of a drafted plan and the reason of a refusal.
fn reintegration_plan(raw: RawLine<'_>) -> Result<Event, ParseError> {
    let kind = EventType::ReintegrationPlan;
    let status = enum_field!(PlanStatus, "status", kind, raw.status);
    let work = match raw.work {
        None => None,
        Some(_) => Some(enum_field!(PlanWork, "work", kind, raw.work)),
    };
    let tasks = opt_text_multiline("tasks", raw.tasks.as_deref(), 2000)?;
    let hours_per_week = bounded("hours_per_week", raw.hours_per_week, 1, 60)?.map(|h| h as u8);
    let percent = bounded("percent", raw.percent, 1, 100)?.map(|p| p as u8);
    let start = raw
        .start
        .as_deref()
        .map(|s| date_field("start", s))
        .transpose()?;
    let weeks = bounded("weeks", raw.weeks, 1, 520)?.map(|w| w as u16);
    let adjustments = opt_text_multiline("adjustments", raw.adjustments.as_deref(), 2000)?;
    let reason = opt_text_multiline("reason", raw.reason.as_deref(), 2000)?;
    let content = tasks.is_some()
        || hours_per_week.is_some()
        || percent.is_some()
        || start.is_some()
        || weeks.is_some()
        || raw.permanent.is_some()
        || adjustments.is_some();
    if (content || work.is_some()) && status != PlanStatus::Drafted {
        return err(format!(
            "the plan's content (`work`, `tasks`, hours …) belongs to a drafted plan, not to {status}"
        ));
    }
    if content && work.is_none() {
        return err("a drafted plan with content needs `work`: adapted or other");
    }
    if reason.is_some()
        && !matches!(
            status,
            PlanStatus::RefusedByWorker | PlanStatus::RefusedByEmployer
        )
    {
        return err(format!("`reason` is for a refusal, not for {status}"));
    }
    Ok(Event::ReintegrationPlan(Box::new(super::model::Plan {
        status,
        work,
        tasks,
        hours_per_week,
        percent,
        start,
        weeks,
        permanent: raw.permanent,
        adjustments,
        reason,
    })))
}

/// A return to work: the percent must agree with the extent.
fn work_resumed(raw: RawLine<'_>) -> Result<Event, ParseError> {
    let kind = EventType::WorkResumed;
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
    Ok(Event::WorkResumed {
        extent,
        percent,
        same_employer: req("same_employer", kind, raw.same_employer)?,
        same_job: req("same_job", kind, raw.same_job)?,
        adaptations: req("adaptations", kind, raw.adaptations)?,
    })
}

/// An action plan: goals, a follow-up date and steps, each bounded.
fn action_plan(raw: RawLine<'_>) -> Result<Event, ParseError> {
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
    Ok(Event::ActionPlan {
        goals,
        follow_up,
        steps,
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

    /// The named-party extension of the consent events: optional, checked, and a v1
    /// consent without it keeps its canonical body.
    #[test]
    fn consents_may_name_a_party_and_an_end() {
        let v1 = r#"{"case":"C1","type":"consent_given","date":"2023-06-01","to":"employer","scope":"dossier"}"#;
        assert_eq!(
            parse_line(v1).unwrap().event.to_body(),
            r#"{"type":"consent_given","to":"employer","scope":"dossier"}"#
        );
        let named = parse_line(r#"{"case":"C1","type":"consent_given","date":"2023-06-01","to":"employer","scope":"dossier","party":"employer:0202.239.951","until":"2024-06-01"}"#).unwrap();
        let body = named.event.to_body();
        assert_eq!(
            body,
            r#"{"type":"consent_given","to":"employer","scope":"dossier","party":"employer:0202239951","until":"2024-06-01"}"#
        );
        assert_eq!(Event::from_body(&body).unwrap(), named.event);
        assert!(parse_line(r#"{"case":"C1","type":"consent_withdrawn","date":"2023-07-01","to":"employment_service","scope":"socio_professional","party":"employment_service:forem"}"#).is_ok());
        let line = |extra: &str| {
            format!(
                r#"{{"case":"C1","type":"consent_given","date":"2023-06-01","to":"treating_physician","scope":"medical"{extra}}}"#
            )
        };
        assert!(parse_line(&line(
            r#","party":"physician:10123456004","until":"2025-06-01""#
        ))
        .is_ok());
        for (extra, why) in [
            (
                r#","party":"employer:0202239951""#,
                "acts as employer, not as treating_physician",
            ),
            (r#","party":"physician:123""#, "11 digits"),
            (r#","party":"nobody""#, "kind:identifier"),
            (r#","until":"2025-06-02""#, "at most 2 years"),
            (r#","until":"2023-06-01""#, "must be after the day"),
            (r#","until":"2023-13-01""#, "`until`"),
        ] {
            let r = reason(&line(extra));
            assert!(r.contains(why), "{extra}: {r}");
        }
        assert!(reason(r#"{"case":"C1","type":"consent_withdrawn","date":"2023-07-01","to":"employer","scope":"dossier","until":"2024-01-01"}"#).contains("does not belong"));
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
