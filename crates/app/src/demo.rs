//! `serve --demo`: two funds with a few hundred generated dossiers each, and one user
//! per role named after it.

use crate::access::Role;
use crate::handle::App;
use crate::import::{import_events, ImportOptions};
use crate::AppError;
use tnw_domain::{Date, RuleBook};
use tnw_storage::{AccountStore, FundStore, ImportStore, SurveyStore};

/// What seeding needs: dossiers and imports, accounts, survey responses, the counts.
pub trait DemoStore: FundStore + ImportStore + AccountStore + SurveyStore + Send {}
impl<T: FundStore + ImportStore + AccountStore + SurveyStore + Send + ?Sized> DemoStore for T {}

/// The funds of the demo: code and the suffix of their users' names.
pub const FUNDS: [(&str, &str); 2] = [("fund-a", ""), ("fund-b", ".b")];

/// Fills an empty database; returns false when it already held dossiers.
pub fn seed<S: DemoStore + ?Sized>(
    store: &mut S,
    book: &RuleBook,
    password: &str,
    cases_per_fund: u64,
    today: Date,
) -> Result<bool, AppError> {
    if store.counts(None)?.cases > 0 {
        return Ok(false);
    }
    for (i, (org, suffix)) in FUNDS.iter().enumerate() {
        let mut data = Vec::new();
        let opts = tnw_gen::GenOptions {
            cases: cases_per_fund,
            seed: 42 + i as u64,
            case_prefix: if i == 0 { "A".into() } else { "B".into() },
            ..Default::default()
        };
        tnw_gen::generate(&opts, &mut data).map_err(|e| AppError::Corrupt(e.to_string()))?;
        fresh_referrals(&mut data, today);
        assign(&mut data, suffix);
        import_events(
            store,
            book,
            &data,
            &ImportOptions {
                org: (*org).into(),
                source: "demo".into(),
                ..Default::default()
            },
            &|_| {},
        )?;
        // The member and the outside actors get dossiers of their own, written by hand
        // (member_dossier, actor_dossiers).
        let parties = &PARTIES[i];
        let person = format!("P-DEMO{suffix}");
        let employer = parties.employer.to_owned();
        // Beside them, colleagues of the member absent from the same employer, for the
        // employer's list of the month.
        let own = member_dossier(
            &format!("{}-MEMBER", opts.case_prefix),
            &person,
            parties,
            today,
        ) + "\n"
            + &colleagues(&opts.case_prefix, suffix, &employer, today)
            + "\n"
            + &actor_dossiers(&opts.case_prefix, suffix, parties, today);
        import_events(
            store,
            book,
            own.as_bytes(),
            &ImportOptions {
                org: (*org).into(),
                source: "demo".into(),
                ..Default::default()
            },
            &|_| {},
        )?;
        // A few hundred survey responses, so the survey report has something to show.
        seed_survey(store, org, i)?;
        let person = Some(person);
        for role in Role::ALL {
            // The advisory doctor is `doctor`; everyone else is named after their role.
            let base = if *role == Role::AdvisoryDoctor {
                "doctor"
            } else {
                role.as_str()
            };
            let username = format!("{base}{suffix}");
            let display = format!("{} ({org})", role.as_str().replace('_', " "));
            let person_id = person.as_deref().filter(|_| role.needs_person());
            let party = parties.of(*role);
            // The occupational physician serves the demo employer.
            let employer_id = (*role == Role::OccupationalPhysician).then_some(employer.as_str());
            let mut user = tnw_storage::User {
                id: 0,
                org: (*org).into(),
                username,
                display_name: display,
                role: role.as_str().into(),
                password_hash: crate::auth::hash_password(password)?,
                // The demo member reads French; the staff Dutch.
                language: if *role == Role::Member { "fr" } else { "nl" }.into(),
                person_id: person_id.map(Into::into),
                employer_id: crate::access::employer_of_account(
                    *role,
                    party.as_deref(),
                    employer_id,
                ),
                party,
                active: true,
                email: None,
            };
            store.create_user(org, &user)?;
            if *role == Role::Employer {
                // A second employer, with workers of its own.
                user.username = format!("employer2{suffix}");
                user.display_name = format!("employer 2 ({org})");
                user.party = Some(format!("employer:{}", parties.employer2));
                user.employer_id = Some(parties.employer2.into());
                store.create_user(org, &user)?;
            }
        }
    }
    Ok(true)
}

/// Survey responses per demo fund: a different slice of the study's respondents each.
pub const SURVEY_RESPONSES: usize = 400;

fn seed_survey<S: SurveyStore + ?Sized>(
    store: &mut S,
    org: &str,
    fund: usize,
) -> Result<(), AppError> {
    let failed = |e: String| AppError::Config(format!("demo survey: {e}"));
    let i = crate::survey::instrument().map_err(|e| failed(e.to_string()))?;
    let sample: Vec<_> = tnw_survey::study::respondents(i)
        .map_err(failed)?
        .into_iter()
        .skip(fund * SURVEY_RESPONSES)
        .take(SURVEY_RESPONSES)
        .collect();
    crate::survey::store_responses(store, org, i, &sample).map_err(|e| failed(e.to_string()))?;
    Ok(())
}

/// The generated snapshot ends before today; a demo needs work that is due now. Ten
/// ongoing employee dossiers without coaching get a self-referral three days ago, so
/// that their first contact is open on the worklist.
fn fresh_referrals(data: &mut Vec<u8>, today: Date) {
    let text = String::from_utf8_lossy(data).into_owned();
    let mut by_case: Vec<(String, Vec<&str>)> = Vec::new();
    for line in text.lines() {
        let Some(case) = field(line, "{\"case\":\"") else {
            continue;
        };
        match by_case.last_mut() {
            Some((c, lines)) if *c == case => lines.push(line),
            _ => by_case.push((case, vec![line])),
        }
    }
    let date = tnw_domain::date::add_days(today, -3);
    let mut added = 0;
    for (case, lines) in &by_case {
        let eligible = lines
            .first()
            .is_some_and(|l| l.contains("\"scheme\":\"employee\""))
            && !lines.iter().any(|l| {
                l.contains("\"referred_to_coordinator\"") || l.contains("\"incapacity_ended\"")
            });
        if eligible && added < 10 {
            let line = format!("{{\"case\":\"{case}\",\"date\":\"{date}\",\"type\":\"referred_to_coordinator\",\"initiative\":\"member\"}}\n");
            data.extend_from_slice(line.as_bytes());
            added += 1;
        }
    }
}

/// Coached dossiers are assigned on the day of their referral: two in three to the
/// demo coordinator, one in three to the paramedic; every fifth stays unassigned, so
/// the caseload overview has something to distribute.
fn assign(data: &mut Vec<u8>, suffix: &str) {
    let text = String::from_utf8_lossy(data).into_owned();
    let mut n = 0;
    for line in text.lines() {
        if !line.contains("\"referred_to_coordinator\"") {
            continue;
        }
        n += 1;
        let (Some(case), Some(date)) = (field(line, "{\"case\":\""), field(line, "\"date\":\""))
        else {
            continue;
        };
        let who = match n % 15 {
            0 | 5 | 10 => continue,
            k if k % 3 == 0 => "paramedic",
            _ => "coordinator",
        };
        let line = format!("{{\"case\":\"{case}\",\"date\":\"{date}\",\"type\":\"case_assigned\",\"to\":\"{who}{suffix}\"}}\n");
        data.extend_from_slice(line.as_bytes());
    }
}

/// The parties outside the fund in each demo fund: enterprise numbers (KBO/BCE, with
/// valid check digits) of the two employers and the occupational health service, the
/// treating physician's RIZIV/INAMI number and the employment service.
pub struct DemoParties {
    pub employer: &'static str,
    pub employer2: &'static str,
    pub occupational_health: &'static str,
    pub physician: &'static str,
    pub employment_service: &'static str,
}

pub const PARTIES: [DemoParties; 2] = [
    DemoParties {
        employer: "0202239951",
        employer2: "0409536968",
        occupational_health: "0403170701",
        physician: "10000000001",
        employment_service: "vdab",
    },
    DemoParties {
        employer: "0417597173",
        employer2: "0411935343",
        occupational_health: "0456420830",
        physician: "10000000002",
        employment_service: "vdab",
    },
];

impl DemoParties {
    /// The party the demo account of `role` acts for.
    fn of(&self, role: Role) -> Option<String> {
        Some(match role {
            Role::Employer => format!("employer:{}", self.employer),
            Role::OccupationalPhysician => {
                format!("occupational_health:{}", self.occupational_health)
            }
            Role::TreatingPhysician => format!("physician:{}", self.physician),
            Role::EmploymentService => {
                format!("employment_service:{}", self.employment_service)
            }
            _ => return None,
        })
    }
}

/// The demo member's dossier (JSON Lines): ten weeks into the incapacity, the quick
/// scan waiting, shared with the employer's occupational health service; the member
/// chooses on `/me` whom else to share it with.
fn member_dossier(case: &str, person: &str, parties: &DemoParties, today: Date) -> String {
    let employer = parties.employer;
    let service = parties.occupational_health;
    let d = |n: i64| tnw_domain::date::add_days(today, -n);
    let start = d(72);
    [
        format!(r#"{{"case":"{case}","type":"case_opened","date":"{start}","person":{{"id":"{person}","name":"Camille Lambert","birth_date":"1984-03-12","sex":"f","language":"fr","region":"wallonia"}},"scheme":"employee","employer":{{"id":"{employer}","name":"Boulangerie Lambotte SA"}},"regime":"full_time","work_type":"manual","sector":"G","condition":"musculoskeletal","incapacity_start":"{start}"}}"#),
        format!(r#"{{"case":"{case}","type":"consent_given","date":"{}","to":"occupational_physician","scope":"dossier","party":"occupational_health:{service}"}}"#, d(60)),
        format!(r#"{{"case":"{case}","type":"quick_scan_sent","date":"{}"}}"#, d(5)),
    ]
    .join("\n")
}

/// The demo member's colleagues at the demo employer (JSON Lines): absent for six
/// weeks; for five months, working part-time for the last month; back at work full
/// time today after ten weeks; absent for ten days only (not on the month's list).
fn colleagues(prefix: &str, suffix: &str, employer: &str, today: Date) -> String {
    let d = |n: i64| tnw_domain::date::add_days(today, -n);
    let opened = |n: u32, start: i64, name: &str, sex: &str, region: &str, lang: &str| {
        format!(
            r#"{{"case":"{prefix}-ABS{n}","type":"case_opened","date":"{}","person":{{"id":"P-ABS{n}{suffix}","name":"{name}","birth_date":"1979-06-0{n}","sex":"{sex}","language":"{lang}","region":"{region}"}},"scheme":"employee","employer":{{"id":"{employer}","name":"Boulangerie Lambotte SA"}},"regime":"full_time","work_type":"manual","sector":"G","condition":"musculoskeletal","incapacity_start":"{}"}}"#,
            d(start),
            d(start)
        )
    };
    let event = |n: u32, day: i64, rest: &str| {
        format!(
            r#"{{"case":"{prefix}-ABS{n}","date":"{}","type":{rest}}}"#,
            d(day)
        )
    };
    let resumed = |extent: &str, percent: u8| {
        format!(
            r#""work_resumed","extent":"{extent}","percent":{percent},"same_employer":true,"same_job":true,"adaptations":false"#
        )
    };
    [
        opened(1, 45, "Luc Peeters", "m", "wallonia", "nl"),
        opened(2, 150, "Nadia El Amrani", "f", "brussels", "fr"),
        event(2, 32, r#""authorised_activity","percent":50"#),
        event(2, 30, &resumed("part_time", 50)),
        opened(3, 70, "Tom Maes", "m", "flanders", "nl"),
        event(3, 0, &resumed("full_time", 100)),
        event(3, 0, r#""incapacity_ended""#),
        opened(4, 10, "Julie Dubois", "f", "wallonia", "fr"),
    ]
    .join("\n")
}

/// A dossier at every step an actor outside the fund works on, each shared with that
/// actor by a named consent (JSON Lines): a codex decision A awaiting the employer's
/// plan (`-PLAN`); the second employer's worker nearing month 6 (`-EMP2`); a codex
/// request awaiting the occupational physician (`-CODEX`); a hand-off awaiting the
/// employment service (`-HANDOFF`); a request by the treating physician awaiting its
/// decision (`-GP`).
fn actor_dossiers(prefix: &str, suffix: &str, p: &DemoParties, today: Date) -> String {
    let d = |n: i64| tnw_domain::date::add_days(today, -n);
    let opened = |case: &str,
                  start: i64,
                  name: &str,
                  region: &str,
                  lang: &str,
                  employer: Option<(&str, &str)>| {
        let (scheme, employer) = match employer {
            Some((id, name)) => ("employee", format!(r#"{{"id":"{id}","name":"{name}"}}"#)),
            None => ("unemployed", "null".to_owned()),
        };
        format!(
            r#"{{"case":"{prefix}-{case}","type":"case_opened","date":"{}","person":{{"id":"P-{case}{suffix}","name":"{name}","birth_date":"1981-09-14","sex":"m","language":"{lang}","region":"{region}"}},"scheme":"{scheme}","employer":{employer},"regime":"full_time","work_type":"manual","sector":"C","condition":"musculoskeletal","incapacity_start":"{}"}}"#,
            d(start),
            d(start)
        )
    };
    let ev = |case: &str, day: i64, rest: String| {
        format!(
            r#"{{"case":"{prefix}-{case}","date":"{}","type":{rest}}}"#,
            d(day)
        )
    };
    let consent = |to: &str, scope: &str, party: String| {
        format!(r#""consent_given","to":"{to}","scope":"{scope}","party":"{party}""#)
    };
    let employer = Some((p.employer, "Boulangerie Lambotte SA"));
    let employer2 = Some((p.employer2, "Metaalwerken Claes NV"));
    let hr = format!("employer:{}", p.employer);
    let oh = format!("occupational_health:{}", p.occupational_health);
    let gp = format!("physician:{}", p.physician);
    [
        opened("PLAN", 120, "Marc Wouters", "flanders", "nl", employer),
        ev("PLAN", 90, consent("employer", "reintegration_plan", hr.clone())),
        ev("PLAN", 90, consent("occupational_physician", "dossier", oh.clone())),
        ev("PLAN", 50, r#""codex_requested","by":"worker""#.into()),
        ev("PLAN", 20, r#""work_restrictions","restrictions":["niet meer dan 10 kg tillen","geen nachtdiensten"],"hours_per_day":4"#.into()),
        ev("PLAN", 10, r#""codex_decision","decision":"A","reasons":"Eigen werk mogelijk met minder tillen, eerst halve dagen""#.into()),
        opened("EMP2", 100, "Pieter Claes", "flanders", "nl", employer2),
        ev("EMP2", 60, consent("employer", "dossier", format!("employer:{}", p.employer2))),
        opened("CODEX", 80, "Sofie Jacobs", "flanders", "nl", employer),
        ev("CODEX", 40, consent("occupational_physician", "dossier", oh.clone())),
        ev("CODEX", 40, consent("occupational_physician", "medical", oh.clone())),
        ev("CODEX", 10, r#""codex_requested","by":"worker""#.into()),
        opened("HANDOFF", 200, "Jan Hermans", "flanders", "nl", None),
        ev("HANDOFF", 150, r#""referred_to_coordinator","initiative":"member""#.into()),
        ev("HANDOFF", 140, r#""coordinator_contact","mode":"in_person","first":true"#.into()),
        ev("HANDOFF", 20, consent("employment_service", "socio_professional", format!("employment_service:{}", p.employment_service))),
        ev("HANDOFF", 3, format!(r#""socio_professional_referred","service":"{}","goals":["Deeltijds werk in de logistiek"],"restrictions":["geen nachtdiensten"],"contact":"An Peeters, 02 000 00 00""#, p.employment_service)),
        opened("GP", 60, "Els Wuyts", "flanders", "nl", employer),
        ev("GP", 30, consent("treating_physician", "dossier", gp.clone())),
        ev("GP", 30, consent("treating_physician", "medical", gp)),
        ev("GP", 30, consent("occupational_physician", "dossier", oh)),
        ev("GP", 5, r#""codex_requested","by":"treating_physician""#.into()),
    ]
    .join("\n")
}

fn field(line: &str, prefix: &str) -> Option<String> {
    let rest = &line[line.find(prefix)? + prefix.len()..];
    Some(rest[..rest.find('"')?].to_owned())
}

impl App {
    /// `serve --demo`: fills an empty database with the demo funds and users; false
    /// when it already held dossiers (left as it is).
    pub fn seed_demo(
        &self,
        password: &str,
        cases_per_fund: u64,
        today: Date,
    ) -> Result<bool, AppError> {
        self.primary(|st, book| seed(st, book, password, cases_per_fund, today))
    }
}
