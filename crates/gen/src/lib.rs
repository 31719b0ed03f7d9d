//! Synthetic, national-scale populations of return-to-work dossiers in the v1 event
//! format (DOMAIN.md 7.1), for demos, tests and benchmarks.
//!
//! The mix follows the sources, approximately: regions and languages as in Belgium
//! (Flanders 57%, Wallonia 31%, Brussels 10%, German-speaking 1%, abroad 1%); employees
//! 80%, unemployed 12%, self-employed 8%; mental disorders 38%, musculoskeletal 30%;
//! about a third of incapacities end before the quick scan in week 10; categories
//! 1/2/3/4 at 30/15/25/30%; coached members return about 22 days sooner, relapse less
//! (12% vs 15% of returners) and more often go from part-time to full-time (about 14%
//! more). Every stream satisfies the transition rules of docs/events.md; generation is
//! deterministic for a seed and never dates an event after the snapshot
//! (`start_to` + 20 days).

use chrono::{Days, Months, NaiveDate};
use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};
use std::collections::VecDeque;
use std::fmt::Write as _;
use std::io::Write;

#[derive(Debug, Clone)]
pub struct GenOptions {
    pub cases: u64,
    pub seed: u64,
    /// Case ids are `{prefix}{n:07}`.
    pub case_prefix: String,
    /// Incapacity starts are spread uniformly over `start_from..=start_to`.
    pub start_from: NaiveDate,
    pub start_to: NaiveDate,
}

impl Default for GenOptions {
    fn default() -> Self {
        GenOptions {
            cases: 1000,
            seed: 1,
            case_prefix: "C".into(),
            start_from: NaiveDate::from_ymd_opt(2022, 1, 1).unwrap_or_default(),
            start_to: NaiveDate::from_ymd_opt(2026, 10, 31).unwrap_or_default(),
        }
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct GenStats {
    pub cases: u64,
    pub events: u64,
    pub persons: u64,
}

const NL_FIRST: &[&str] = &[
    "Jan", "Els", "Pieter", "An", "Tom", "Sofie", "Bart", "Lies", "Wim", "Katrien", "Koen",
    "Nathalie", "Stijn", "Ellen", "Dirk", "Inge", "Joris", "Hanne", "Kristof", "Evi",
];
const NL_LAST: &[&str] = &[
    "Peeters",
    "Janssens",
    "Maes",
    "Jacobs",
    "Mertens",
    "Willems",
    "Claes",
    "Goossens",
    "Wouters",
    "De Smet",
    "Vermeulen",
    "Van den Broeck",
    "Dumont",
    "Hermans",
    "Pauwels",
    "Aerts",
    "Verstraete",
    "De Clercq",
    "Smets",
    "Lambrechts",
];
const FR_FIRST: &[&str] = &[
    "Marie",
    "Pierre",
    "Nathalie",
    "Luc",
    "Isabelle",
    "Michel",
    "Sophie",
    "Philippe",
    "Julie",
    "Olivier",
    "Céline",
    "Thierry",
    "Aurélie",
    "Christophe",
    "Valérie",
    "Nicolas",
    "Sandrine",
    "Laurent",
    "Amélie",
    "François",
];
const FR_LAST: &[&str] = &[
    "Dubois",
    "Lambert",
    "Dupont",
    "Martin",
    "Simon",
    "Laurent",
    "Lefèbvre",
    "Leclercq",
    "Renard",
    "Collard",
    "François",
    "Denis",
    "Gilles",
    "Lejeune",
    "Mathieu",
    "Henry",
    "Noël",
    "Marchal",
    "Piron",
    "Hubert",
];
const DE_FIRST: &[&str] = &[
    "Jürgen", "Monika", "Stefan", "Sabine", "Andreas", "Petra", "Thomas", "Claudia", "Michael",
    "Andrea",
];
const DE_LAST: &[&str] = &[
    "Schmitz",
    "Kessler",
    "Lentz",
    "Margraff",
    "Heinen",
    "Cremer",
    "Jost",
    "Backes",
    "Müller",
    "Schröder",
];
const COMPANY: &[&str] = &[
    "Bouw",
    "Logistiek",
    "Zorg",
    "Transport",
    "Metaal",
    "Voeding",
    "Services",
    "Industries",
    "Retail",
    "Consult",
    "Techniek",
    "Distribution",
];
const SECTORS: &[(char, u32)] = &[
    ('C', 16),
    ('G', 15),
    ('Q', 18),
    ('N', 9),
    ('H', 8),
    ('F', 8),
    ('O', 6),
    ('P', 5),
    ('M', 4),
    ('I', 4),
    ('K', 2),
    ('J', 2),
    ('S', 2),
    ('A', 1),
];

fn weighted<T: Copy>(rng: &mut SmallRng, items: &[(T, u32)]) -> T {
    let total: u32 = items.iter().map(|(_, w)| w).sum();
    let mut r = rng.gen_range(0..total);
    for (item, w) in items {
        if r < *w {
            return *item;
        }
        r -= w;
    }
    items[items.len() - 1].0
}

fn days(d: NaiveDate, n: i64) -> NaiveDate {
    if n >= 0 {
        d.checked_add_days(Days::new(n as u64)).unwrap_or(d)
    } else {
        d.checked_sub_days(Days::new(n.unsigned_abs())).unwrap_or(d)
    }
}

fn months(d: NaiveDate, n: u32) -> NaiveDate {
    d.checked_add_months(Months::new(n)).unwrap_or(d)
}

/// A person, kept for relapses (a new dossier of the same person).
#[derive(Clone)]
struct Person {
    id: u64,
    name: String,
    birth: NaiveDate,
    sex: &'static str,
    language: &'static str,
    region: &'static str,
    scheme: &'static str,
    employer: Option<u32>,
    regime: &'static str,
    work_type: &'static str,
    sector: char,
    condition: &'static str,
}

struct Pending {
    start: NaiveDate,
    person: Person,
}

/// The events of one case, collected then sorted by date (stable: pushes on one day
/// keep their order, which is how ties are applied).
struct Case {
    events: Vec<(NaiveDate, String)>,
    /// Nothing may be dated after this (the snapshot).
    snapshot: NaiveDate,
}

impl Case {
    fn push(&mut self, date: NaiveDate, body: String) -> bool {
        if date > self.snapshot {
            return false;
        }
        self.events.push((date, body));
        true
    }
}

struct Gen {
    rng: SmallRng,
    opts: GenOptions,
    snapshot: NaiveDate,
    next_person: u64,
    relapses: VecDeque<Pending>,
}

impl Gen {
    fn new_person(&mut self, start: NaiveDate) -> Person {
        let rng = &mut self.rng;
        let region = weighted(
            rng,
            &[
                ("flanders", 57),
                ("wallonia", 31),
                ("brussels", 10),
                ("german", 1),
                ("abroad", 1),
            ],
        );
        let language = match region {
            "flanders" => "nl",
            "german" => "de",
            "brussels" => weighted(rng, &[("fr", 80), ("nl", 20)]),
            "abroad" => weighted(rng, &[("fr", 50), ("nl", 50)]),
            _ => "fr",
        };
        let (first, last) = match language {
            "nl" => (NL_FIRST, NL_LAST),
            "de" => (DE_FIRST, DE_LAST),
            _ => (FR_FIRST, FR_LAST),
        };
        let name = format!(
            "{} {}",
            first[rng.gen_range(0..first.len())],
            last[rng.gen_range(0..last.len())]
        );
        let age_days = rng.gen_range(20 * 365..64 * 365);
        let scheme = weighted(
            rng,
            &[("employee", 80), ("unemployed", 12), ("self_employed", 8)],
        );
        self.next_person += 1;
        Person {
            id: self.next_person,
            name,
            birth: days(start, -age_days),
            sex: weighted(rng, &[("f", 520), ("m", 479), ("x", 1)]),
            language,
            region,
            scheme,
            employer: (scheme == "employee").then(|| rng.gen_range(1..=5000)),
            regime: weighted(rng, &[("full_time", 70), ("part_time", 30)]),
            work_type: weighted(rng, &[("manual", 55), ("mental", 45)]),
            sector: weighted(rng, SECTORS),
            condition: weighted(
                rng,
                &[
                    ("mental", 38),
                    ("musculoskeletal", 30),
                    ("injury", 10),
                    ("cancer", 7),
                    ("nervous", 6),
                    ("other", 9),
                ],
            ),
        }
    }

    fn opened_line(&self, p: &Person, start: NaiveDate) -> String {
        let employer = match p.employer {
            Some(e) => {
                let last = match p.language {
                    "nl" => NL_LAST,
                    "de" => DE_LAST,
                    _ => FR_LAST,
                };
                let form = match p.language {
                    "nl" => "NV",
                    "de" => "GmbH",
                    _ => "SA",
                };
                format!(
                    r#"{{"id":"E{e:05}","name":"{} {} {form}"}}"#,
                    last[e as usize % last.len()],
                    COMPANY[e as usize % COMPANY.len()]
                )
            }
            None => "null".into(),
        };
        let (regime, work_type, sector) = if p.scheme == "unemployed" {
            ("null".to_string(), "null".to_string(), "null".to_string())
        } else {
            (
                format!("\"{}\"", p.regime),
                format!("\"{}\"", p.work_type),
                format!("\"{}\"", p.sector),
            )
        };
        format!(
            r#""type":"case_opened","person":{{"id":"P{:07}","name":"{}","birth_date":"{}","sex":"{}","language":"{}","region":"{}"}},"scheme":"{}","employer":{employer},"regime":{regime},"work_type":{work_type},"sector":{sector},"condition":"{}","incapacity_start":"{start}""#,
            p.id, p.name, p.birth, p.sex, p.language, p.region, p.scheme, p.condition
        )
    }

    /// Simulates one dossier; returns its events (unsorted) and whether it was coached.
    fn case(&mut self, person: &Person, start: NaiveDate) -> Vec<(NaiveDate, String)> {
        let snapshot = self.snapshot;
        let mut c = Case {
            events: Vec::with_capacity(16),
            snapshot,
        };
        let opened_line = self.opened_line(person, start);
        let rng = &mut self.rng;
        let opened = days(start, rng.gen_range(0..=20));
        c.push(opened, opened_line);
        // How long the incapacity lasts without coaching.
        let mut duration: i64 = match rng.gen_range(0..100) {
            0..=33 => rng.gen_range(28..63),
            34..=58 => rng.gen_range(63..180),
            59..=79 => rng.gen_range(180..365),
            _ => rng.gen_range(365..1100),
        };
        let employee = person.scheme == "employee";
        // Category the advisory doctor will assign (if the case lasts that long).
        let category: u8 = weighted(rng, &[(1, 30), (2, 15), (3, 25), (4, 30)]);
        let self_referral = category != 2 && rng.gen_bool(0.10);
        let doctor_referral = match category {
            4 => rng.gen_bool(0.65),
            1 => rng.gen_bool(0.35),
            3 => rng.gen_bool(0.25),
            _ => false,
        };
        let coached_intent = (self_referral || doctor_referral) && duration > 120;
        if coached_intent {
            // Coaching shortens the incapacity: ~22 days on average.
            duration -= rng.gen_range(8..=36);
        }
        let end = days(start, duration.max(28));
        let ended = end <= snapshot;
        // Regular events must come strictly before the end.
        let before_end = |d: NaiveDate| d < end;
        let mut last_assessment: Option<(NaiveDate, u8)> = None;

        // Quick scan (R1) and its return.
        let sent = days(
            start,
            63 + if rng.gen_bool(0.1) {
                rng.gen_range(1..25)
            } else {
                rng.gen_range(0..=6)
            },
        );
        if before_end(sent) && c.push(sent, r#""type":"quick_scan_sent""#.into()) {
            let mut back = days(sent, rng.gen_range(2..=14));
            if rng.gen_bool(0.15) {
                let reminder = days(sent, rng.gen_range(15..=21));
                if before_end(reminder) {
                    c.push(reminder, r#""type":"quick_scan_reminder""#.into());
                }
                back = days(reminder, rng.gen_range(1..=10));
            }
            if rng.gen_bool(0.85) && before_end(back) {
                c.push(back, format!(r#""type":"quick_scan_returned","answers":{{"health":{},"expects_return":"{}","wants_support":{}}}"#,
                    rng.gen_range(1..=5), ["yes", "no", "unsure"][rng.gen_range(0..3)], rng.gen_bool(0.5)));
            }
        }
        // Assessment in month 4 (R2), re-assessments of category 3 (R7).
        let assessed = days(months(start, 3), rng.gen_range(0..=30));
        if before_end(assessed)
            && c.push(
                assessed,
                format!(r#""type":"capacity_assessed","category":{category}"#),
            )
        {
            last_assessment = Some((assessed, category));
            let mut cat = category;
            let mut at = assessed;
            while cat == 3 {
                at = days(months(at, 2), rng.gen_range(-5..=10));
                if !before_end(at) || at > snapshot {
                    break;
                }
                cat = weighted(rng, &[(3, 50), (4, 30), (2, 20)]);
                c.push(
                    at,
                    format!(r#""type":"capacity_assessed","category":{cat}"#),
                );
                last_assessment = Some((at, cat));
            }
        }
        // Referral (R4/R5): by the doctor after a category 4 (or 1 at month 6), or the member's own.
        let referral = if self_referral {
            Some((days(start, rng.gen_range(50..150)), "member"))
        } else if doctor_referral {
            match last_assessment {
                Some((d, 4)) => Some((days(d, rng.gen_range(0..=10)), "advisory_doctor")),
                Some((_, 1)) => Some((
                    days(months(start, 6), rng.gen_range(0..=20)),
                    "advisory_doctor",
                )),
                Some((d, 3)) => Some((days(d, rng.gen_range(0..=10)), "advisory_doctor")),
                _ => None,
            }
        } else {
            None
        };
        let mut coached = false;
        if let Some((ref_date, initiative)) = referral {
            // A doctor's referral needs an assessment not in category 2 before it.
            let doctor_ok = initiative == "member"
                || last_assessment.is_some_and(|(d, cat)| d <= ref_date && cat != 2);
            if doctor_ok
                && before_end(ref_date)
                && c.push(
                    ref_date,
                    format!(r#""type":"referred_to_coordinator","initiative":"{initiative}""#),
                )
            {
                let first = days(
                    ref_date,
                    if rng.gen_bool(0.85) {
                        rng.gen_range(3..=30)
                    } else {
                        rng.gen_range(31..70)
                    },
                );
                let stop = if ended { end } else { snapshot };
                if before_end(first)
                    && c.push(
                        first,
                        format!(
                            r#""type":"coordinator_contact","mode":"{}","first":true"#,
                            ["in_person", "phone", "video"][rng.gen_range(0..3)]
                        ),
                    )
                {
                    coached = true;
                    let mut at = first;
                    if rng.gen_bool(0.6) {
                        c.push(days(first, rng.gen_range(3..=28)).min(days(stop, -1)).max(first), r#""type":"action_plan","goals":["Gesprek met werkgever over aangepast werk"]"#.into());
                    }
                    for _ in 0..rng.gen_range(0..=5) {
                        at = days(at, rng.gen_range(20..=80));
                        if !before_end(at) {
                            break;
                        }
                        c.push(
                            at,
                            format!(
                                r#""type":"coordinator_contact","mode":"{}","first":false"#,
                                ["in_person", "phone", "video"][rng.gen_range(0..3)]
                            ),
                        );
                    }
                    if rng.gen_bool(0.4) {
                        let to = weighted(
                            rng,
                            &[
                                ("occupational_physician", 30),
                                ("employment_service", 20),
                                ("career_guidance", 15),
                                ("training_centre", 10),
                                ("psychologist", 15),
                                ("employer", 5),
                                ("other", 5),
                            ],
                        );
                        let d = days(first, rng.gen_range(1..=40));
                        if before_end(d) {
                            c.push(d, format!(r#""type":"partner_referral","to":"{to}""#));
                        }
                    }
                    if rng.gen_bool(0.5) {
                        let to = weighted(
                            rng,
                            &[
                                ("employer", 40),
                                ("occupational_physician", 40),
                                ("employment_service", 20),
                            ],
                        );
                        let scope = weighted(
                            rng,
                            &[
                                ("dossier", 40),
                                ("reintegration_plan", 40),
                                ("socio_professional", 20),
                            ],
                        );
                        let given = days(first, rng.gen_range(0..=14));
                        if c.push(
                            given,
                            format!(r#""type":"consent_given","to":"{to}","scope":"{scope}""#),
                        ) && rng.gen_bool(0.1)
                        {
                            c.push(
                                days(given, rng.gen_range(10..=120)),
                                format!(
                                    r#""type":"consent_withdrawn","to":"{to}","scope":"{scope}""#
                                ),
                            );
                        }
                    }
                    // Socio-professional trajectory with the regional service (R11).
                    if rng.gen_bool(0.12) {
                        let service = match person.region {
                            "flanders" => "vdab",
                            "brussels" => "actiris",
                            "german" => "adg",
                            _ => "forem",
                        };
                        let activity = weighted(
                            rng,
                            &[
                                ("training", 30),
                                ("retraining", 15),
                                ("coaching", 25),
                                ("reorientation", 15),
                                ("workplace_learning", 10),
                                ("unpaid_work", 5),
                            ],
                        );
                        let s = days(first, rng.gen_range(14..=60));
                        if before_end(s) && c.push(s, format!(r#""type":"socio_professional_started","service":"{service}","activity":"{activity}""#)) {
                            let e = days(s, rng.gen_range(30..=200));
                            if ended || e <= snapshot {
                                c.push(e.min(end), r#""type":"socio_professional_ended""#.into());
                            }
                        }
                    }
                    if ended {
                        let reason = weighted(
                            rng,
                            &[
                                ("back_to_work", 55),
                                ("health", 15),
                                ("expectations", 8),
                                ("referred", 10),
                                ("unable_to_work", 7),
                                ("other", 5),
                            ],
                        );
                        c.push(
                            end,
                            format!(r#""type":"coaching_stopped","reason":"{reason}""#),
                        );
                    }
                }
            }
        }
        // Codex re-integration trajectory for some long-absent employees (R9, R10).
        if employee && duration > 150 && rng.gen_bool(0.18) {
            let codex_from = NaiveDate::from_ymd_opt(2022, 10, 1).unwrap_or(start);
            let req = days(months(start, 4), rng.gen_range(0..=90));
            let by = if req < codex_from {
                weighted(
                    rng,
                    &[
                        ("worker", 40),
                        ("employer", 40),
                        ("advisory_doctor", 15),
                        ("treating_physician", 5),
                    ],
                )
            } else {
                weighted(
                    rng,
                    &[("worker", 45), ("employer", 45), ("treating_physician", 10)],
                )
            };
            if before_end(req) && c.push(req, format!(r#""type":"codex_requested","by":"{by}""#)) {
                let visit = days(req, rng.gen_range(1..=10));
                if rng.gen_bool(0.3) && before_end(visit) {
                    c.push(visit, r#""type":"pre_return_visit""#.into());
                }
                let decided = days(req, rng.gen_range(14..=55));
                let decision = if decided < codex_from {
                    weighted(
                        rng,
                        &[("A", 35), ("B", 10), ("C", 15), ("D", 25), ("E", 15)],
                    )
                } else {
                    weighted(rng, &[("A", 50), ("B", 30), ("C", 20)])
                };
                if before_end(decided)
                    && c.push(
                        decided,
                        format!(r#""type":"codex_decision","decision":"{decision}""#),
                    )
                    && decision != "D"
                    && decision != "E"
                {
                    let drafted = days(decided, rng.gen_range(20..=70));
                    if before_end(drafted)
                        && c.push(
                            drafted,
                            r#""type":"reintegration_plan","status":"drafted""#.into(),
                        )
                    {
                        let answer = days(drafted, rng.gen_range(3..=20));
                        let status = weighted(
                            rng,
                            &[
                                ("accepted", 75),
                                ("refused_by_worker", 15),
                                ("refused_by_employer", 10),
                            ],
                        );
                        if before_end(answer) {
                            c.push(
                                answer,
                                format!(r#""type":"reintegration_plan","status":"{status}""#),
                            );
                        }
                    }
                }
            }
        }
        // The end: return to work (possibly part-time first), or not.
        if ended {
            let returns = rng.gen_bool(if duration < 63 { 0.9 } else { 0.75 });
            if returns {
                let part_time_first = duration > 90 && rng.gen_bool(0.3);
                if part_time_first {
                    // Progressive return (R13): authorised activity, then part-time work.
                    let p = days(end, -rng.gen_range(30..=duration.min(120) - 1));
                    let p = p.max(opened);
                    let percent = [40, 50, 60][rng.gen_range(0..3)];
                    c.push(
                        p,
                        format!(r#""type":"authorised_activity","percent":{percent}"#),
                    );
                    c.push(p, format!(r#""type":"work_resumed","extent":"part_time","percent":{percent},"same_employer":{},"same_job":true,"adaptations":true"#, employee));
                    let full = rng.gen_bool(if coached { 0.40 } else { 0.35 });
                    if full {
                        c.push(end, format!(r#""type":"work_resumed","extent":"full_time","same_employer":{},"same_job":{},"adaptations":{}"#, employee, rng.gen_bool(0.8), rng.gen_bool(0.4)));
                    }
                } else {
                    c.push(end, format!(r#""type":"work_resumed","extent":"full_time","same_employer":{},"same_job":{},"adaptations":{}"#,
                        employee && rng.gen_bool(0.85), rng.gen_bool(0.75), rng.gen_bool(0.45)));
                }
                // Relapse: the same person falls ill again within a year.
                if rng.gen_bool(if coached { 0.12 } else { 0.15 }) {
                    let again = days(end, rng.gen_range(14..=365));
                    if again <= self.opts.start_to {
                        self.relapses.push_back(Pending {
                            start: again,
                            person: person.clone(),
                        });
                    }
                }
            }
            c.push(end, r#""type":"incapacity_ended""#.into());
        }
        c.events
    }
}

/// Writes JSON Lines (one event per line), all events of one case consecutively, in
/// date order within the case.
pub fn generate<W: Write>(opts: &GenOptions, mut out: W) -> std::io::Result<GenStats> {
    let mut g = Gen {
        rng: SmallRng::seed_from_u64(opts.seed),
        opts: opts.clone(),
        snapshot: days(opts.start_to, 20),
        next_person: 0,
        relapses: VecDeque::new(),
    };
    let span = (opts.start_to - opts.start_from).num_days().max(0);
    let mut stats = GenStats::default();
    let mut line = String::with_capacity(512);
    for n in 1..=opts.cases {
        // Relapses take the place of new dossiers so that `cases` is exact.
        let (person, start) = match g.relapses.pop_front() {
            Some(p) if g.rng.gen_bool(0.9) => (p.person, p.start),
            other => {
                if let Some(p) = other {
                    g.relapses.push_front(p);
                }
                let start = days(opts.start_from, g.rng.gen_range(0..=span));
                (g.new_person(start), start)
            }
        };
        let mut events = g.case(&person, start);
        events.sort_by_key(|(d, _)| *d);
        for (date, body) in &events {
            line.clear();
            let _ = write!(
                line,
                r#"{{"case":"{}{n:07}","date":"{date}",{body}}}"#,
                opts.case_prefix
            );
            line.push('\n');
            out.write_all(line.as_bytes())?;
        }
        stats.cases += 1;
        stats.events += events.len() as u64;
    }
    stats.persons = g.next_person;
    out.flush()?;
    Ok(stats)
}
