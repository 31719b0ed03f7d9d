//! The generated population: deterministic, well-formed, valid under the transition
//! rules of docs/events.md (checked by a small checker written here, independent of
//! tnw-domain), and shaped like the national mix it claims.

use chrono::NaiveDate;
use serde_json::{Map, Value};
use std::collections::{BTreeMap, BTreeSet};
use tnw_gen::{generate, GenOptions, GenStats};

fn gen_with(opts: &GenOptions) -> (String, GenStats) {
    let mut out = Vec::new();
    let stats = generate(opts, &mut out).unwrap();
    (String::from_utf8(out).unwrap(), stats)
}

fn gen(cases: u64, seed: u64) -> (String, GenStats) {
    gen_with(&GenOptions {
        cases,
        seed,
        ..Default::default()
    })
}

fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

// ---------------------------------------------------------------------------------
// An independent checker of docs/events.md: fields per type, then transitions.
// ---------------------------------------------------------------------------------

fn is_date(v: &Value) -> Option<NaiveDate> {
    let s = v.as_str()?;
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let d = NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()?;
    (date("1990-01-01")..=date("2100-12-31"))
        .contains(&d)
        .then_some(d)
}

fn one_of(v: Option<&Value>, options: &[&str]) -> Result<String, String> {
    match v.and_then(Value::as_str) {
        Some(s) if options.contains(&s) => Ok(s.to_owned()),
        other => Err(format!("{other:?} is not one of {options:?}")),
    }
}

fn need_bool(o: &Map<String, Value>, f: &str) -> Result<bool, String> {
    o.get(f)
        .and_then(Value::as_bool)
        .ok_or_else(|| format!("`{f}` must be a bool"))
}

const ROLES: &[&str] = &[
    "coordinator",
    "paramedic",
    "advisory_doctor",
    "occupational_physician",
    "employer",
    "employment_service",
    "treating_physician",
];
const SCOPES: &[&str] = &[
    "dossier",
    "reintegration_plan",
    "quick_scan",
    "medical",
    "socio_professional",
];

/// Checks one line's fields (docs/events.md "Types and fields"); returns its type.
fn check_fields(o: &Map<String, Value>) -> Result<String, String> {
    let case = o.get("case").ok_or("no case")?;
    match case {
        Value::String(s) => {
            let n = s.chars().count();
            if n == 0 || n > 64 || s.chars().any(char::is_control) {
                return Err(format!("bad case id {s:?}"));
            }
        }
        Value::Number(n) if n.is_u64() => {}
        _ => return Err("case must be a string or a non-negative integer".into()),
    }
    let ty = o.get("type").and_then(Value::as_str).ok_or("no type")?;
    let d = is_date(o.get("date").ok_or("no date")?).ok_or("bad date")?;
    let allowed: &[&str] = match ty {
        "case_opened" => &[
            "person",
            "scheme",
            "employer",
            "regime",
            "work_type",
            "sector",
            "condition",
            "incapacity_start",
        ],
        "quick_scan_sent"
        | "quick_scan_reminder"
        | "pre_return_visit"
        | "incapacity_ended"
        | "socio_professional_suspended"
        | "socio_professional_resumed"
        | "socio_professional_ended" => &[],
        "quick_scan_returned" => &["answers"],
        "capacity_assessed" => &["category"],
        "referred_to_coordinator" => &["initiative"],
        "coordinator_contact" => &["mode", "first"],
        "partner_referral" => &["to"],
        "codex_requested" => &["by"],
        "codex_decision" => &["decision"],
        "reintegration_plan" => &["status"],
        "socio_professional_started" => &["service", "activity"],
        "authorised_activity" => &["percent"],
        "work_resumed" => &[
            "extent",
            "percent",
            "same_employer",
            "same_job",
            "adaptations",
        ],
        "coaching_stopped" => &["reason"],
        "action_plan" => &["goals", "follow_up"],
        "consent_given" | "consent_withdrawn" => &["to", "scope"],
        other => return Err(format!("unknown type {other}")),
    };
    for k in o.keys() {
        if !["case", "type", "date"].contains(&k.as_str()) && !allowed.contains(&k.as_str()) {
            return Err(format!("field {k} does not belong to {ty}"));
        }
    }
    match ty {
        "case_opened" => {
            let p = o
                .get("person")
                .and_then(Value::as_object)
                .ok_or("no person")?;
            for k in p.keys() {
                if !["id", "name", "birth_date", "sex", "language", "region"].contains(&k.as_str())
                {
                    return Err(format!("person field {k}"));
                }
            }
            for f in ["id", "name"] {
                match p.get(f).and_then(Value::as_str) {
                    Some(s) if !s.is_empty() && !s.chars().any(char::is_control) => {}
                    _ => return Err(format!("person.{f}")),
                }
            }
            let birth = p.get("birth_date").and_then(Value::as_str).ok_or("birth")?;
            let birth = NaiveDate::parse_from_str(birth, "%Y-%m-%d").map_err(|e| e.to_string())?;
            one_of(p.get("sex"), &["m", "f", "x"])?;
            one_of(p.get("language"), &["nl", "fr", "de"])?;
            one_of(
                p.get("region"),
                &["flanders", "wallonia", "brussels", "german", "abroad"],
            )?;
            let scheme = one_of(
                o.get("scheme"),
                &["employee", "unemployed", "self_employed"],
            )?;
            match o.get("employer") {
                None | Some(Value::Null) => {
                    if scheme == "employee" {
                        return Err("an employee needs an employer".into());
                    }
                }
                Some(Value::Object(e)) => {
                    if e.len() != 2 || !e["id"].is_string() || !e["name"].is_string() {
                        return Err("employer {id, name}".into());
                    }
                }
                Some(_) => return Err("employer".into()),
            }
            match o.get("regime") {
                None | Some(Value::Null) => {}
                r => {
                    one_of(r, &["full_time", "part_time"])?;
                }
            }
            if o.contains_key("work_type") {
                one_of(o.get("work_type"), &["manual", "mental"])?;
            }
            if let Some(s) = o.get("sector") {
                let s = s.as_str().ok_or("sector")?;
                if s.len() != 1 || !("A"..="U").contains(&s) {
                    return Err(format!("sector {s}"));
                }
            }
            one_of(
                o.get("condition"),
                &[
                    "mental",
                    "musculoskeletal",
                    "injury",
                    "cancer",
                    "nervous",
                    "other",
                ],
            )?;
            let start = is_date(o.get("incapacity_start").ok_or("start")?).ok_or("start")?;
            if start > d {
                return Err("incapacity_start after the date".into());
            }
            if birth >= start {
                return Err("born after the start".into());
            }
        }
        "quick_scan_returned" => {
            if let Some(a) = o.get("answers") {
                a.as_object().ok_or("answers must be an object")?;
            }
        }
        "capacity_assessed" => match o.get("category").and_then(Value::as_u64) {
            Some(1..=4) => {}
            c => return Err(format!("category {c:?}")),
        },
        "referred_to_coordinator" => {
            one_of(o.get("initiative"), &["member", "advisory_doctor"])?;
        }
        "coordinator_contact" => {
            one_of(o.get("mode"), &["in_person", "phone", "video"])?;
            need_bool(o, "first")?;
        }
        "partner_referral" => {
            one_of(
                o.get("to"),
                &[
                    "occupational_physician",
                    "employment_service",
                    "career_guidance",
                    "training_centre",
                    "psychologist",
                    "employer",
                    "other",
                ],
            )?;
        }
        "codex_requested" => {
            one_of(
                o.get("by"),
                &[
                    "worker",
                    "advisory_doctor",
                    "employer",
                    "treating_physician",
                ],
            )?;
        }
        "codex_decision" => {
            one_of(o.get("decision"), &["A", "B", "C", "D", "E"])?;
        }
        "reintegration_plan" => {
            one_of(
                o.get("status"),
                &[
                    "drafted",
                    "accepted",
                    "refused_by_worker",
                    "refused_by_employer",
                    "carried_out",
                ],
            )?;
        }
        "socio_professional_started" => {
            one_of(o.get("service"), &["vdab", "forem", "actiris", "adg"])?;
            one_of(
                o.get("activity"),
                &[
                    "training",
                    "retraining",
                    "coaching",
                    "reorientation",
                    "workplace_learning",
                    "unpaid_work",
                    "other",
                ],
            )?;
        }
        "authorised_activity" => match o.get("percent").and_then(Value::as_u64) {
            Some(1..=99) => {}
            p => return Err(format!("percent {p:?}")),
        },
        "work_resumed" => {
            let extent = one_of(o.get("extent"), &["full_time", "part_time"])?;
            let percent = o.get("percent").map(|p| p.as_u64().ok_or("percent"));
            match (extent.as_str(), percent) {
                ("part_time", Some(Ok(1..=99))) | ("full_time", None | Some(Ok(100))) => {}
                (e, p) => return Err(format!("{e} with percent {p:?}")),
            }
            need_bool(o, "same_employer")?;
            need_bool(o, "same_job")?;
            need_bool(o, "adaptations")?;
        }
        "coaching_stopped" => {
            one_of(
                o.get("reason"),
                &[
                    "health",
                    "back_to_work",
                    "unable_to_work",
                    "expectations",
                    "referred",
                    "other",
                ],
            )?;
        }
        "action_plan" => {
            if let Some(g) = o.get("goals") {
                let g = g.as_array().ok_or("goals must be an array")?;
                if g.is_empty()
                    || g.len() > 20
                    || g.iter()
                        .any(|x| !matches!(x.as_str(), Some(t) if !t.is_empty()))
                {
                    return Err("goals: 1–20 non-empty strings".into());
                }
            }
            if let Some(f) = o.get("follow_up") {
                let f = is_date(f).ok_or("follow_up")?;
                if f < d {
                    return Err("follow_up before the plan".into());
                }
            }
        }
        "consent_given" | "consent_withdrawn" => {
            one_of(o.get("to"), ROLES)?;
            one_of(o.get("scope"), SCOPES)?;
        }
        _ => {}
    }
    Ok(ty.to_owned())
}

#[derive(Default)]
struct CaseState {
    opened: Option<NaiveDate>,
    employee: bool,
    ended: bool,
    qs_sent: bool,
    qs_returned: bool,
    category: Option<u64>,
    coaching: bool,
    contacts_since_referral: u32,
    codex_running: bool,
    codex_decided: bool,
    /// 0 none, 1 running, 2 suspended.
    sp: u8,
    consents: BTreeSet<(String, String)>,
}

impl CaseState {
    /// docs/events.md "Transitions", for one event applied in order.
    fn apply(&mut self, o: &Map<String, Value>, ty: &str, d: NaiveDate) -> Result<(), String> {
        let Some(opened) = self.opened else {
            if ty != "case_opened" {
                return Err("the first event is not case_opened".into());
            }
            self.opened = Some(d);
            self.employee = o["scheme"] == "employee";
            return Ok(());
        };
        if ty == "case_opened" {
            return Err("a second case_opened".into());
        }
        if d < opened {
            return Err("dated before case_opened".into());
        }
        let after_end_ok = [
            "work_resumed",
            "coaching_stopped",
            "socio_professional_ended",
            "consent_given",
            "consent_withdrawn",
        ];
        if self.ended && !after_end_ok.contains(&ty) {
            return Err(format!("{ty} after incapacity_ended"));
        }
        let s = |k: &str| o.get(k).and_then(Value::as_str).unwrap_or("").to_owned();
        match ty {
            "incapacity_ended" => self.ended = true,
            "quick_scan_sent" => self.qs_sent = true,
            "quick_scan_returned" => {
                if !self.qs_sent {
                    return Err("returned before sent".into());
                }
                self.qs_returned = true;
            }
            "quick_scan_reminder" if !self.qs_sent || self.qs_returned => {
                return Err("reminder without an open quick scan".into());
            }
            "capacity_assessed" => self.category = o["category"].as_u64(),
            "referred_to_coordinator" => {
                if self.coaching {
                    return Err("referral while coaching runs".into());
                }
                if s("initiative") == "advisory_doctor" && matches!(self.category, None | Some(2)) {
                    return Err(format!(
                        "doctor's referral with category {:?}",
                        self.category
                    ));
                }
                self.coaching = true;
                self.contacts_since_referral = 0;
            }
            "coordinator_contact" | "partner_referral" | "action_plan" | "coaching_stopped" => {
                if !self.coaching {
                    return Err(format!("{ty} without running coaching"));
                }
                if ty == "coordinator_contact" {
                    let first = o["first"].as_bool() == Some(true);
                    if first != (self.contacts_since_referral == 0) {
                        return Err(format!(
                            "first: {first} after {} contacts",
                            self.contacts_since_referral
                        ));
                    }
                    self.contacts_since_referral += 1;
                }
                if ty == "coaching_stopped" {
                    self.coaching = false;
                }
            }
            "codex_requested" | "pre_return_visit" => {
                if !self.employee {
                    return Err(format!("{ty} for a non-employee"));
                }
                if ty == "codex_requested" {
                    if self.codex_running {
                        return Err("second codex request while one runs".into());
                    }
                    self.codex_running = true;
                    self.codex_decided = false;
                }
            }
            "codex_decision" => {
                if !self.codex_running {
                    return Err("decision without a running codex trajectory".into());
                }
                self.codex_decided = true;
                if s("decision") == "D" {
                    self.codex_running = false;
                }
            }
            "reintegration_plan" => {
                if !self.codex_decided {
                    return Err("plan without a decision".into());
                }
                if s("status") != "drafted" && s("status") != "accepted" {
                    self.codex_running = false;
                }
            }
            "socio_professional_started" => {
                if self.sp != 0 {
                    return Err("socio-professional already running".into());
                }
                self.sp = 1;
            }
            "socio_professional_suspended" => {
                if self.sp != 1 {
                    return Err("suspend: not running".into());
                }
                self.sp = 2;
            }
            "socio_professional_resumed" => {
                if self.sp != 2 {
                    return Err("resume: not suspended".into());
                }
                self.sp = 1;
            }
            "socio_professional_ended" => {
                if self.sp == 0 {
                    return Err("end: none".into());
                }
                self.sp = 0;
            }
            "consent_given" => {
                self.consents.insert((s("to"), s("scope")));
            }
            "consent_withdrawn" => {
                let in_force = self.consents.remove(&(s("to"), s("scope")));
                if !in_force {
                    return Err("withdrawn without a consent in force".into());
                }
            }
            _ => {}
        }
        Ok(())
    }
}

/// Checks a whole stream: every line well-formed, cases consecutive, dates
/// non-decreasing within a case and not after the snapshot, transitions valid.
/// Returns the number of cases.
fn check_stream(data: &str, snapshot: NaiveDate) -> usize {
    let mut seen: BTreeSet<String> = BTreeSet::new();
    let mut current: Option<(String, NaiveDate, CaseState)> = None;
    for (i, line) in data.lines().enumerate() {
        let at = |why: String| format!("line {}: {why}\n{line}", i + 1);
        let v: Value =
            serde_json::from_str(line).unwrap_or_else(|e| panic!("{}", at(e.to_string())));
        let o = v
            .as_object()
            .unwrap_or_else(|| panic!("{}", at("not an object".into())));
        let ty = check_fields(o).unwrap_or_else(|e| panic!("{}", at(e)));
        let d = date(o["date"].as_str().unwrap());
        assert!(d <= snapshot, "{}", at("after the snapshot".into()));
        let case = o["case"].to_string();
        let same = current.as_ref().is_some_and(|(c, _, _)| *c == case);
        if !same {
            assert!(
                seen.insert(case.clone()),
                "{}",
                at("case lines are not consecutive".into())
            );
            current = Some((case, d, CaseState::default()));
        }
        let Some((_, last, state)) = current.as_mut() else {
            unreachable!()
        };
        assert!(d >= *last, "{}", at("dates go back within the case".into()));
        *last = d;
        state
            .apply(o, &ty, d)
            .unwrap_or_else(|e| panic!("{}", at(e)));
    }
    seen.len()
}

#[test]
fn same_seed_same_bytes_other_seed_other_bytes() {
    let (a, sa) = gen(2_000, 9);
    let (b, sb) = gen(2_000, 9);
    assert_eq!(a, b);
    assert_eq!(sa, sb);
    assert_ne!(a, gen(2_000, 10).0);
}

#[test]
fn every_stream_satisfies_the_format_and_the_transition_rules() {
    for seed in [1, 2, 3] {
        let (data, stats) = gen(15_000, seed);
        let cases = check_stream(&data, date("2026-11-20"));
        assert_eq!(cases as u64, stats.cases);
        assert_eq!(stats.cases, 15_000);
        assert_eq!(data.lines().count() as u64, stats.events);
        assert_eq!(data.matches("\"type\":\"case_opened\"").count(), 15_000);
    }
}

#[test]
fn other_windows_prefixes_and_tiny_runs_stay_valid() {
    let opts = GenOptions {
        cases: 5_000,
        seed: 4,
        case_prefix: "TNW-".into(),
        start_from: date("2022-06-01"),
        start_to: date("2022-09-30"),
    };
    let (data, _) = gen_with(&opts);
    assert_eq!(check_stream(&data, date("2022-10-20")), 5_000);
    assert!(data.starts_with("{\"case\":\"TNW-0000001\","));
    // One day only: every case still has its case_opened.
    let opts = GenOptions {
        cases: 300,
        start_from: date("2024-02-29"),
        start_to: date("2024-02-29"),
        ..Default::default()
    };
    let (data, _) = gen_with(&opts);
    assert_eq!(check_stream(&data, date("2024-03-20")), 300);
    let (data, stats) = gen(0, 1);
    assert!(data.is_empty());
    assert_eq!(stats, GenStats::default());
}

/// Stress: many seeds' worth of dossiers. `cargo test --release -p tnw-gen -- --ignored`.
#[test]
#[ignore]
fn a_million_dossiers_are_valid() {
    let (data, _) = gen(1_000_000, 77);
    assert_eq!(check_stream(&data, date("2026-11-20")), 1_000_000);
}

// ---------------------------------------------------------------------------------
// Distributions
// ---------------------------------------------------------------------------------

#[derive(Default, Debug)]
struct Summary {
    cases: u64,
    events: u64,
    regions: BTreeMap<String, u64>,
    first_category: BTreeMap<u64, u64>,
    initiative_member: u64,
    initiative_doctor: u64,
    coached: Cohort,
    not_coached: Cohort,
    /// Mean days to return by (first category or 0, coached): (returners, days).
    by_category: BTreeMap<(u64, bool), (u64, i64)>,
}

#[derive(Default, Debug)]
struct Cohort {
    n: u64,
    returned: u64,
    days: i64,
    relapses: u64,
    part_time: u64,
    full_after_part: u64,
}

impl Cohort {
    fn mean_days(&self) -> f64 {
        self.days as f64 / self.returned.max(1) as f64
    }
    fn relapse_rate(&self) -> f64 {
        self.relapses as f64 / self.returned.max(1) as f64
    }
    fn full_rate(&self) -> f64 {
        self.full_after_part as f64 / self.part_time.max(1) as f64
    }
}

#[derive(Default)]
struct CaseFacts {
    person: String,
    start: Option<NaiveDate>,
    coached: bool,
    first_return: Option<(NaiveDate, bool)>,
    full_later: bool,
    category: u64,
}

/// The figures of docs/domain.md 7.5 (and a few shares) over a whole stream.
fn summarize(data: &str) -> Summary {
    let mut s = Summary::default();
    let mut cases: BTreeMap<String, CaseFacts> = BTreeMap::new();
    let mut first_assessed: BTreeSet<String> = BTreeSet::new();
    for line in data.lines() {
        s.events += 1;
        let v: Value = serde_json::from_str(line).unwrap();
        let case = v["case"].to_string();
        let d = date(v["date"].as_str().unwrap());
        let f = cases.entry(case.clone()).or_default();
        match v["type"].as_str().unwrap() {
            "case_opened" => {
                s.cases += 1;
                *s.regions
                    .entry(v["person"]["region"].as_str().unwrap().into())
                    .or_default() += 1;
                f.person = v["person"]["id"].as_str().unwrap().into();
                f.start = Some(date(v["incapacity_start"].as_str().unwrap()));
            }
            "capacity_assessed" => {
                let first = first_assessed.insert(case);
                if first {
                    f.category = v["category"].as_u64().unwrap();
                    *s.first_category
                        .entry(v["category"].as_u64().unwrap())
                        .or_default() += 1;
                }
            }
            "referred_to_coordinator" => match v["initiative"].as_str() {
                Some("member") => s.initiative_member += 1,
                _ => s.initiative_doctor += 1,
            },
            "coordinator_contact" => f.coached = true,
            "work_resumed" => {
                let full = v["extent"] == "full_time";
                match f.first_return {
                    None => f.first_return = Some((d, full)),
                    Some((_, false)) if full => f.full_later = true,
                    _ => {}
                }
            }
            _ => {}
        }
    }
    let mut starts: BTreeMap<&str, Vec<NaiveDate>> = BTreeMap::new();
    for f in cases.values() {
        if let Some(st) = f.start {
            starts.entry(&f.person).or_default().push(st);
        }
    }
    for f in cases.values() {
        let c = if f.coached {
            &mut s.coached
        } else {
            &mut s.not_coached
        };
        c.n += 1;
        let (Some((rt, full)), Some(st)) = (f.first_return, f.start) else {
            continue;
        };
        c.returned += 1;
        c.days += (rt - st).num_days();
        let b = s.by_category.entry((f.category, f.coached)).or_default();
        b.0 += 1;
        b.1 += (rt - st).num_days();
        let limit = rt + chrono::Days::new(365);
        if starts[f.person.as_str()]
            .iter()
            .any(|&x| x > rt && x <= limit)
        {
            c.relapses += 1;
        }
        if !full {
            c.part_time += 1;
            if f.full_later {
                c.full_after_part += 1;
            }
        }
    }
    s
}

fn report(s: &Summary) -> String {
    let c = &s.coached;
    let nc = &s.not_coached;
    format!(
        "{} cases, {:.2} events/case; regions {:?}; first categories {:?}; referrals member {} doctor {}\n\
         coached n {} returned {} mean days {:.1} relapse {:.3} part-time {} full {:.3}\n\
         not coached n {} returned {} mean days {:.1} relapse {:.3} part-time {} full {:.3}\n\
         days_sooner {:.1}, relapse_reduction {:.3}, full_resumption_increase {:.3}",
        s.cases,
        s.events as f64 / s.cases as f64,
        s.regions,
        s.first_category,
        s.initiative_member,
        s.initiative_doctor,
        c.n,
        c.returned,
        c.mean_days(),
        c.relapse_rate(),
        c.part_time,
        c.full_rate(),
        nc.n,
        nc.returned,
        nc.mean_days(),
        nc.relapse_rate(),
        nc.part_time,
        nc.full_rate(),
        nc.mean_days() - c.mean_days(),
        1.0 - c.relapse_rate() / nc.relapse_rate(),
        c.full_rate() / nc.full_rate() - 1.0,
    ) + &format!(
        "\nreturners and mean days by (category, coached): {:?}",
        s.by_category
            .iter()
            .map(|(k, (n, d))| (*k, *n, *d / (*n).max(1) as i64))
            .collect::<Vec<_>>()
    )
}

#[test]
fn the_mix_looks_like_the_country() {
    let (data, _) = gen(20_000, 11);
    let s = summarize(&data);
    let why = report(&s);
    let share = |n: u64, of: u64| n as f64 / of as f64;
    let region = |r: &str| share(s.regions.get(r).copied().unwrap_or(0), s.cases);
    assert!((0.54..0.60).contains(&region("flanders")), "{why}");
    assert!((0.28..0.34).contains(&region("wallonia")), "{why}");
    assert!((0.08..0.12).contains(&region("brussels")), "{why}");
    assert!((0.004..0.02).contains(&region("german")), "{why}");
    let assessed: u64 = s.first_category.values().sum();
    let cat = |c: u64| share(s.first_category.get(&c).copied().unwrap_or(0), assessed);
    assert!((0.26..0.34).contains(&cat(1)), "{why}");
    assert!((0.12..0.18).contains(&cat(2)), "{why}");
    assert!((0.21..0.29).contains(&cat(3)), "{why}");
    assert!((0.26..0.34).contains(&cat(4)), "{why}");
    let coached = share(s.coached.n, s.cases);
    assert!((0.10..0.40).contains(&coached), "coached {coached}: {why}");
    let member = share(
        s.initiative_member,
        s.initiative_member + s.initiative_doctor,
    );
    assert!(
        (0.35..0.65).contains(&member),
        "member initiative {member}: {why}"
    );
    assert!(
        s.coached.mean_days() < s.not_coached.mean_days(),
        "coached members return sooner: {why}"
    );
    assert!(
        s.coached.relapse_rate() < s.not_coached.relapse_rate(),
        "coached members relapse less: {why}"
    );
    let per_case = share(s.events, s.cases);
    assert!(
        (7.0..10.0).contains(&per_case),
        "{per_case} events per case: {why}"
    );
}

/// The calibration figures on a large run:
/// `cargo test --release -p tnw-gen -- --ignored --nocapture calibration`.
#[test]
#[ignore]
fn calibration_report() {
    for seed in [1, 2] {
        let (data, _) = gen(300_000, seed);
        println!("seed {seed}: {}", report(&summarize(&data)));
    }
}
