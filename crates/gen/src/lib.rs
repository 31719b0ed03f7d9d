//! Synthetic, national-scale populations of return-to-work dossiers in the v1 event
//! format (docs/domain.md 7.1, docs/events.md), for demos, tests and benchmarks.
//!
//! # What a population looks like
//!
//! Numbers are approximate targets (the shares come out within a point or two).
//!
//! **Persons** (new persons; a relapse reuses its person unchanged)
//! - region: Flanders 57% (nl), Wallonia 31% (fr), Brussels 10% (fr 80% / nl 20%),
//!   German-speaking 1% (de, region `german`), abroad 1% (nl 45% / fr 45% / de 10%:
//!   cross-border workers). Names are common Belgian first and last names of the
//!   language community and match the sex; 8% of names (30% in Brussels, 3% in the
//!   German-speaking region) are of other origins.
//! - sex f 52%, m 47.9%, x 0.1%; age at the start 20–64 (20–29 15%, 30–39 22%,
//!   40–49 26%, 50–64 37%).
//! - scheme: employee 80% (an employer from a pool of 4,000 with valid enterprise numbers, `0200000142`…, seated mostly
//!   in the member's region, big employers drawn more often; the sector is the
//!   employer's), unemployed 12% (no employer, no regime, no sector), self-employed 8%.
//!   Sectors by NACE section (of those with one): Q 16%, C 14%, G 14%, N 9%, H 8%,
//!   F 8%, O 7%, P 7%, the rest below 4%. Part-time regime: 42% of women, 12% of men (employees). Manual work 75%
//!   in A, B, C, E, F, H, T, 15% in J, K, L, M, O, P, U, half elsewhere.
//! - condition: mental 38%, musculoskeletal 30%, injury 10%, cancer 8%, nervous 6%,
//!   other 8%.
//!
//! **Timeline** (docs/domain.md 3; day 0 = `incapacity_start`, uniform over
//! `start_from..=start_to`)
//! - `case_opened` 0–3 days after the start for 55%, 4–10 for 30%, 11–20 for 15%.
//! - course without coaching: 22% end before the quick scan (days 21–62), 9% between
//!   week 10 and the assessment, 69% last into month 4 and get a category: 1 30%,
//!   2 15%, 3 25%, 4 30%. Category 1 mostly ends by month 6 (70%); categories 2 and 3
//!   often pass into invalidity (after one year) and 20–25% do not end within the
//!   horizon; category 4 mostly ends within 10 months.
//! - quick scan sent on days 63–69 (90%), late up to day 99 (8%), never (2%);
//!   returned within 2 weeks by 75% (a quarter of them consent to share it with the
//!   treating physician), otherwise a reminder (85%) and a late return (55%) or a
//!   second reminder.
//! - first assessment during month 4 (90%) or month 5 (10%), 3% never; category 3
//!   re-assessed every 2 months (stays 3 55%, becomes 4 20%, 1 13%, 2 12%); the
//!   others still incapacitated are reviewed at one year (invalidity, R8).
//! - referral: by the advisory doctor for 70% of category 4 at the assessment, 50% of
//!   category 1 still incapacitated after month 6, 60% of later assessments finding
//!   category 4; by the member (R5) for 40% of the assessed (12% in category 2) and
//!   8% of those ending before month 4, mostly just after the quick scan; members
//!   whose incapacity would last beyond a year are referred 70% less often. Result:
//!   ~22% of dossiers referred, ~20% coached, half on the member's initiative.
//! - first contact (`first: true`) within 28 days of the referral for 85%, 29–75 days
//!   for 12%, never for 3%; further contacts every 10–42 days (10% longer gaps);
//!   action plan within a month for 80% (late 8%); partner referrals for 45% (1–2,
//!   with the consent the partner needs); consents at the first contact for 65%
//!   (employer and occupational physician only for employees), 8% of consents
//!   withdrawn later; 18% stop early (after the first contact or a few: health,
//!   expectations, referred, other, unable to work), 20% of those stopping for
//!   health or expectations ask again later (a second referral, a new
//!   `first: true`); the others stop when back at work (`back_to_work`), when the
//!   incapacity ends otherwise, or run on.
//! - codex trajectory for 7% of employees incapacitated beyond 4 months (20% if
//!   coached), requested by the worker, employer (from month 4, from month 3 after
//!   1 October 2022), treating physician or (before 1 October 2022) the advisory
//!   doctor; decisions A–E before 1 October 2022, A–C after; plans drafted within
//!   55/63 days (A), 12 months (old C) or 6 months (new B), then accepted (72%,
//!   carried out at the return) or refused. Pre-return visits for 20% of those and
//!   4% of other long employee returns.
//! - socio-professional trajectory (vdab/forem/actiris/adg by region) for coached
//!   members: 35% of the unemployed, 8% of employees (30% of those with a codex
//!   trajectory, suspended while it runs, R12), 5% of the self-employed, and half of
//!   those whose codex trajectory ended without a plan (R11).
//! - return (`work_resumed`): recorded for 5% of the short incapacities (the others
//!   only close: the fund learns no detail of the return), 60% of those ending before
//!   month 4, 92% in category 1, 50% in 2, 72% in 3, 86% in 4; +6 points when
//!   coached. Returns after day 100 are part-time first (authorised activity
//!   decided within ~6 weeks, 45% at 50%) for 35% (60% coached); of those 50% go
//!   full-time 1–6 months later (57% coached: +14%). `incapacity_ended` on the
//!   (full-time) return.
//! - coaching shortens what remains of the incapacity after the first contact by
//!   0–58% (29% on average); 5% of coached members whose incapacity would not have
//!   ended return after all.
//! - relapse: 15% of returners (11.4% coached) open a new dossier, same person,
//!   14–365 days after the return and after the incapacity ended, if that day is
//!   within `start_from..=start_to` and the person is under 65. Relapses take the
//!   next case number, so `cases` counts them (~6% of dossiers).
//! - snapshot: nothing is dated after `start_to` + 20 days; dossiers that started
//!   late are still early in their timeline.
//!
//! **Measured** (300,000 dossiers, default window, seeds 1 and 2): 7.5 events per
//! dossier; 20.5% coached; the comparison of docs/domain.md 7.5 gives `days_sooner` ≈ 21
//! (243 vs 264 days), relapse rates 9.6% vs 12.3% (`relapse_reduction` ≈ 0.21–0.22:
//! relapses falling after `start_to` are not generated, so observed rates are below
//! the nominal ones) and full resumption 53% vs 46% (`full_resumption_increase` ≈
//! 0.14–0.15). `tests/population.rs` (`calibration_report`, ignored) prints them.
//!
//! # Determinism
//! One `SmallRng` seeded with `seed` drives everything (the employer pool has its own,
//! also seeded from `seed`); no clock, no hash-map order. Same options, same bytes —
//! on the same platform and `rand` version (`SmallRng` is not portable across them).

mod case;
mod names;
mod out;

use case::{pick, Sim};
use chrono::{Datelike, NaiveDate};
use names::{EMPLOYER_POOLS, SECTORS};
use out::{Dates, Ev, LineWriter};
use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};
use std::collections::VecDeque;
use std::io::Write;

/// What to generate.
#[derive(Debug, Clone)]
pub struct GenOptions {
    /// Dossiers (`case_opened` lines), relapses included.
    pub cases: u64,
    pub seed: u64,
    /// Case ids are `{prefix}{n:07}` with n from 1 (more digits past 9,999,999).
    /// Keep prefix + digits within the 64 characters a case id may have.
    pub case_prefix: String,
    /// Incapacity starts are spread uniformly over `start_from..=start_to`
    /// (`start_to` before `start_from` is read as `start_from`).
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

/// What was generated.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct GenStats {
    /// Dossiers written (`case_opened` lines).
    pub cases: u64,
    /// Lines written.
    pub events: u64,
    /// Distinct persons (a relapse reuses its person).
    pub persons: u64,
}

/// A member and their job at the start of a dossier.
#[derive(Debug, Clone)]
pub(crate) struct Person {
    pub id: u64,
    pub first: &'static str,
    pub last: &'static str,
    /// Day number (`num_days_from_ce`).
    pub birth: i32,
    pub sex: &'static str,
    pub language: &'static str,
    pub region: &'static str,
    pub scheme: &'static str,
    /// Index into the employer pool (written as `E{index+1:06}`).
    pub employer: Option<u32>,
    pub regime: Option<&'static str>,
    pub work_type: &'static str,
    pub sector: Option<u8>,
    pub condition: &'static str,
}

/// The events written past this many buffered bytes.
const FLUSH_AT: usize = 1 << 16;

/// Writes JSON Lines (one event per line, `\n`), all events of one case consecutively,
/// in date order within the case (same-day events in an order the importer accepts).
pub fn generate<W: Write>(opts: &GenOptions, mut out: W) -> std::io::Result<GenStats> {
    let from = opts.start_from.num_days_from_ce();
    let to = opts.start_to.num_days_from_ce().max(from);
    let snapshot = to + 20;
    let codex2 = NaiveDate::from_ymd_opt(2022, 10, 1).map_or(0, |d| d.num_days_from_ce());
    let pool = names::employers(opts.seed);
    let employer_sectors: Vec<usize> = pool.iter().map(|e| e.sector).collect();
    // Birth dates go back at most 65 years before the first start.
    let dates = Dates::new(from - 65 * 366 - 1, snapshot);
    let mut w = LineWriter::new(&opts.case_prefix, dates, pool);
    let mut rng = SmallRng::seed_from_u64(opts.seed);
    let mut relapses: VecDeque<(Person, i32)> = VecDeque::new();
    let mut events: Vec<Ev> = Vec::with_capacity(64);
    let mut stats = GenStats::default();

    for n in 1..=opts.cases {
        let (person, start) = match relapses.pop_front() {
            Some(pending) => pending,
            None => {
                let start = from + rng.gen_range(0..=to - from);
                stats.persons += 1;
                let p = new_person(&mut rng, stats.persons, start, &employer_sectors);
                (p, start)
            }
        };
        let outcome = Sim::new(&mut rng, &mut events).run(&person, start, codex2);
        // Date order; same-day events by rank, then in the order they were made.
        events.sort_by_key(|e| (e.day, e.kind.rank()));
        for e in events.iter().take_while(|e| e.day <= snapshot) {
            w.line(n, e, &person, start);
            stats.events += 1;
        }
        stats.cases += 1;
        if w.buf.len() >= FLUSH_AT {
            out.write_all(&w.buf)?;
            w.buf.clear();
        }

        // A relapse: the same person falls ill again within a year of the return,
        // as the next dossier, if that is within the window of starts.
        let under_65 = |day: i32| day - person.birth < 65 * 365 + 16;
        if let Some(again) = outcome.relapse.filter(|&d| d <= to && under_65(d)) {
            let next = after_return(&mut rng, person, outcome.same_employer, &employer_sectors);
            relapses.push_back((next, again));
        }
    }
    out.write_all(&w.buf)?;
    out.flush()?;
    Ok(stats)
}

/// A new member whose incapacity starts on day `start`.
fn new_person(rng: &mut SmallRng, id: u64, start: i32, employer_sectors: &[usize]) -> Person {
    let region = pick(
        rng,
        &[
            ("flanders", 570),
            ("wallonia", 310),
            ("brussels", 100),
            ("german", 10),
            ("abroad", 10),
        ],
    );
    let language = match region {
        "flanders" => "nl",
        "wallonia" => "fr",
        "brussels" => pick(rng, &[("fr", 80), ("nl", 20)]),
        "german" => "de",
        _ => pick(rng, &[("nl", 45), ("fr", 45), ("de", 10)]),
    };
    let sex = pick(rng, &[("f", 520), ("m", 479), ("x", 1)]);
    let other_origin = rng.gen_bool(match region {
        "brussels" => 0.30,
        "german" => 0.03,
        _ => 0.08,
    });
    let female = match sex {
        "f" => true,
        "m" => false,
        _ => rng.gen_bool(0.5),
    };
    let (firsts, lasts) = match (other_origin, language, female) {
        (true, _, true) => (names::OTHER_FEMALE, names::OTHER_LAST),
        (true, _, false) => (names::OTHER_MALE, names::OTHER_LAST),
        (_, "nl", true) => (names::NL_FEMALE, names::NL_LAST),
        (_, "nl", false) => (names::NL_MALE, names::NL_LAST),
        (_, "de", true) => (names::DE_FEMALE, names::DE_LAST),
        (_, "de", false) => (names::DE_MALE, names::DE_LAST),
        (_, _, true) => (names::FR_FEMALE, names::FR_LAST),
        (_, _, false) => (names::FR_MALE, names::FR_LAST),
    };
    let first = firsts[rng.gen_range(0..firsts.len())];
    let last = lasts[rng.gen_range(0..lasts.len())];
    // Age in whole years at the start, 20–64: `age` years and 1–364 days.
    let (lo, hi) = pick(
        rng,
        &[
            ((20, 29), 15),
            ((30, 39), 22),
            ((40, 49), 26),
            ((50, 64), 37),
        ],
    );
    let age: i32 = rng.gen_range(lo..=hi);
    let birth = start - (age * 365 + age / 4 + rng.gen_range(1..=364));
    let scheme = pick(
        rng,
        &[("employee", 80), ("unemployed", 12), ("self_employed", 8)],
    );
    let mut p = Person {
        id,
        first,
        last,
        birth,
        sex,
        language,
        region,
        scheme,
        employer: None,
        regime: None,
        work_type: "manual",
        sector: None,
        condition: "other",
    };
    set_job(rng, &mut p, scheme, employer_sectors);
    p.condition = pick(
        rng,
        &[
            ("mental", 380),
            ("musculoskeletal", 300),
            ("injury", 100),
            ("cancer", 80),
            ("nervous", 60),
            ("other", 80),
        ],
    );
    p
}

/// Sets scheme, employer, regime, sector and work type.
fn set_job(rng: &mut SmallRng, p: &mut Person, scheme: &'static str, employer_sectors: &[usize]) {
    p.scheme = scheme;
    let sector = match scheme {
        "employee" => {
            let e = employer(rng, p, employer_sectors);
            p.employer = Some(e);
            employer_sectors.get(e as usize).copied()
        }
        "self_employed" => {
            p.employer = None;
            Some(names::sector(rng))
        }
        _ => {
            p.employer = None;
            None
        }
    };
    p.sector = sector.map(|s| SECTORS[s].0);
    p.regime = match scheme {
        "employee" => {
            let pt = match p.sex {
                "f" => 0.42,
                "m" => 0.12,
                _ => 0.25,
            };
            Some(if rng.gen_bool(pt) {
                "part_time"
            } else {
                "full_time"
            })
        }
        "self_employed" => Some(if rng.gen_bool(0.1) {
            "part_time"
        } else {
            "full_time"
        }),
        _ => None,
    };
    let manual = match p.sector {
        Some(b'A' | b'B' | b'C' | b'E' | b'F' | b'H' | b'T') => 0.75,
        Some(b'J' | b'K' | b'L' | b'M' | b'O' | b'P' | b'U') => 0.15,
        Some(_) => 0.5,
        None => 0.55,
    };
    p.work_type = if rng.gen_bool(manual) {
        "manual"
    } else {
        "mental"
    };
}

/// An employer for `p`: 80% seated in the member's own region, big employers (low
/// ids in each region's range) drawn more often.
fn employer(rng: &mut SmallRng, p: &Person, employer_sectors: &[usize]) -> u32 {
    let own = match (p.region, p.language) {
        ("flanders", _) | ("abroad", "nl") => 0,
        ("wallonia", _) | ("abroad", "fr") => 1,
        ("brussels", _) => 2,
        _ => 3,
    };
    let region = if rng.gen_bool(0.8) {
        own
    } else {
        pick(rng, &[(2usize, 50), (0, 30), (1, 20)])
    };
    let (lo, hi) = EMPLOYER_POOLS[region];
    let u: f64 = rng.gen();
    let id = lo + ((f64::from(hi - lo) * u * u) as u32).min(hi - lo - 1);
    id.min(employer_sectors.len().saturating_sub(1) as u32)
}

/// The person at a relapse: the same person object; the job as it was after the
/// return (another employer, or a job after unemployment); the condition often the
/// same.
fn after_return(
    rng: &mut SmallRng,
    mut p: Person,
    same_employer: bool,
    employer_sectors: &[usize],
) -> Person {
    match p.scheme {
        "employee" if !same_employer => set_job(rng, &mut p, "employee", employer_sectors),
        "unemployed" => set_job(rng, &mut p, "employee", employer_sectors),
        _ => {}
    }
    if rng.gen_bool(0.4) {
        p.condition = pick(
            rng,
            &[
                ("mental", 380),
                ("musculoskeletal", 300),
                ("injury", 100),
                ("cancer", 80),
                ("nervous", 60),
                ("other", 80),
            ],
        );
    }
    p
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::case::add_months;

    #[test]
    fn add_months_clamps_to_the_month_end() {
        let d = |y, m, day| {
            NaiveDate::from_ymd_opt(y, m, day)
                .map(|d| d.num_days_from_ce())
                .unwrap()
        };
        assert_eq!(add_months(d(2023, 1, 31), 1), d(2023, 2, 28));
        assert_eq!(add_months(d(2024, 1, 31), 1), d(2024, 2, 29));
        assert_eq!(add_months(d(2024, 3, 15), 3), d(2024, 6, 15));
    }

    #[test]
    fn numbers_are_zero_padded() {
        let mut b = Vec::new();
        out::push_num(&mut b, 42, 7);
        out::push_num(&mut b, 12_345_678, 7);
        out::push_num(&mut b, 0, 1);
        assert_eq!(b, b"0000042123456780");
    }

    #[test]
    fn a_prefix_is_escaped() {
        let mut out = Vec::new();
        let opts = GenOptions {
            cases: 1,
            case_prefix: "a\"b".into(),
            ..Default::default()
        };
        generate(&opts, &mut out).unwrap();
        let line = String::from_utf8(out).unwrap();
        let first = line.lines().next().unwrap();
        let v: serde_json::Value = serde_json::from_str(first).unwrap();
        assert_eq!(v["case"], "a\"b0000001");
    }
}
