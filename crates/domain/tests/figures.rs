//! The outcome and operational figures on hand-built dossiers: each definition of
//! docs/domain.md 7.5 and 6 at its edges.

use proptest::prelude::*;
use tnw_domain::date::add_days;
use tnw_domain::date::parse_date;
use tnw_domain::event::{EventType, Extent, Scheme};
use tnw_domain::figures::{by_scheme, operations, outcomes, percentile, CaseRecord, Starts};
use tnw_domain::{parse_line, CaseFacts, Date, Fact};

fn d(s: &str) -> Date {
    parse_date(s).unwrap()
}

/// A dossier from compact lines: `"2024-01-01 case_opened"`, `"2024-02-01 contact"`,
/// `"2024-05-01 full"`, `"2024-05-01 part"`, `"… referral"`, `"… quick_scan"`, `"… assessed"`.
fn dossier(person: &str, lines: &[&str]) -> CaseFacts {
    dossier_of("unemployed", person, lines)
}

/// As [`dossier`], of one scheme (`self_employed` opens without an employer too).
fn dossier_of(scheme: &str, person: &str, lines: &[&str]) -> CaseFacts {
    let mut events = Vec::new();
    let mut first = true;
    for l in lines {
        let (date, what) = l.split_once(' ').unwrap();
        let body = match what {
            "open" => format!(r#""type":"case_opened","person":{{"id":"{person}","name":"X","birth_date":"1980-01-01","sex":"f","language":"nl","region":"flanders"}},"scheme":"{scheme}","condition":"mental","incapacity_start":"{date}""#),
            "contact" => format!(r#""type":"coordinator_contact","mode":"phone","first":{first}"#),
            "full" => r#""type":"work_resumed","extent":"full_time","same_employer":true,"same_job":true,"adaptations":false"#.into(),
            "part" => r#""type":"work_resumed","extent":"part_time","percent":50,"same_employer":true,"same_job":true,"adaptations":false"#.into(),
            "referral" => r#""type":"referred_to_coordinator","initiative":"member""#.into(),
            "quick_scan" => r#""type":"quick_scan_sent""#.into(),
            "assessed" => r#""type":"capacity_assessed","category":4"#.into(),
            other => panic!("{other}"),
        };
        if what == "contact" {
            first = false;
        }
        let line = format!(r#"{{"case":"C","date":"{date}",{body}}}"#);
        events.push(parse_line(&line).unwrap_or_else(|e| panic!("{line}: {e}")));
    }
    CaseFacts::from_events(events.iter().map(|e| (e.date, &e.event))).unwrap()
}

struct Population {
    facts: Vec<CaseFacts>,
    persons: Vec<u32>,
}

impl Population {
    fn new(cases: Vec<(u32, CaseFacts)>) -> Self {
        let (persons, facts) = cases.into_iter().unzip();
        Population { facts, persons }
    }
    fn records(&self) -> Vec<CaseRecord<'_>> {
        self.facts
            .iter()
            .zip(&self.persons)
            .map(|(facts, &person)| CaseRecord { person, facts })
            .collect()
    }
}

const ALL: (&str, &str) = ("2020-01-01", "2030-12-31");

#[test]
fn coached_against_not_coached() {
    let p = Population::new(vec![
        // Coached, back full-time after 121 days.
        (
            1,
            dossier(
                "1",
                &[
                    "2024-01-01 open",
                    "2024-01-20 referral",
                    "2024-02-01 contact",
                    "2024-05-01 full",
                ],
            ),
        ),
        // Referred but never contacted: not coached. Back after 161 days.
        (
            2,
            dossier(
                "2",
                &["2024-01-01 open", "2024-01-20 referral", "2024-06-10 full"],
            ),
        ),
        // Not coached, never back: counts in n, not in returned.
        (3, dossier("3", &["2024-01-01 open"])),
        // Coached, part-time after 91 days then full-time: a full resumption.
        (
            4,
            dossier(
                "4",
                &[
                    "2024-01-01 open",
                    "2024-01-10 referral",
                    "2024-01-15 contact",
                    "2024-04-01 part",
                    "2024-06-01 full",
                ],
            ),
        ),
        // Not coached, part-time, never full-time.
        (5, dossier("5", &["2024-01-01 open", "2024-03-01 part"])),
    ]);
    let cases = p.records();
    let starts = Starts::new(&cases);
    let o = outcomes(&cases, &starts, d(ALL.0), d(ALL.1), &|_, _| true);
    assert_eq!((o.coached.n, o.coached.returned), (2, 2));
    assert_eq!((o.not_coached.n, o.not_coached.returned), (3, 2));
    assert_eq!(o.coached.mean_days_to_return, Some((121.0 + 91.0) / 2.0));
    assert_eq!(
        o.not_coached.mean_days_to_return,
        Some((161.0 + 60.0) / 2.0)
    );
    assert_eq!(o.days_sooner, Some(110.5 - 106.0));
    assert_eq!(
        (o.coached.part_time_returns, o.coached.full_resumption_rate),
        (1, Some(1.0))
    );
    assert_eq!(
        (
            o.not_coached.part_time_returns,
            o.not_coached.full_resumption_rate
        ),
        (1, Some(0.0))
    );
    // No not-coached full resumption: the increase is undefined, not infinite.
    assert_eq!(o.full_resumption_increase, None);
    assert_eq!(o.relapse_reduction, None, "no relapses at all: undefined");
    let json = serde_json::to_value(o).unwrap();
    for k in [
        "coached",
        "not_coached",
        "days_sooner",
        "relapse_reduction",
        "full_resumption_increase",
    ] {
        assert!(json.get(k).is_some(), "{k}");
    }
    for k in [
        "n",
        "returned",
        "mean_days_to_return",
        "relapse_rate",
        "part_time_returns",
        "full_resumption_rate",
    ] {
        assert!(json["coached"].get(k).is_some(), "{k}");
    }
    assert_eq!(
        json["coached"].as_object().unwrap().len(),
        6,
        "exactly the fields of 7.5"
    );
}

#[test]
fn relapse_window_edges() {
    // Each person returns on 2024-03-01 and opens a new dossier some days later.
    let back = |p: u32, new_start: Option<&str>, coached: bool| {
        let mut v = vec![(
            p,
            dossier(
                &p.to_string(),
                &if coached {
                    vec![
                        "2024-01-01 open",
                        "2024-01-05 referral",
                        "2024-01-10 contact",
                        "2024-03-01 full",
                    ]
                } else {
                    vec!["2024-01-01 open", "2024-03-01 full"]
                },
            ),
        )];
        if let Some(s) = new_start {
            let open = format!("{s} open");
            v.push((p, dossier(&p.to_string(), &[open.as_str()])));
        }
        v
    };
    let mut cases = Vec::new();
    cases.extend(back(1, Some("2025-03-01"), false)); // day 365: a relapse
    cases.extend(back(2, Some("2025-03-02"), false)); // day 366: not
    cases.extend(back(3, Some("2024-03-01"), false)); // the return day itself: not after
    cases.extend(back(4, None, false));
    cases.extend(back(5, Some("2024-09-01"), true)); // coached relapse
    cases.extend(back(6, None, true));
    let p = Population::new(cases);
    let records = p.records();
    let starts = Starts::new(&records);
    // Only the first dossiers (started 2024-01-01) are in the period; the new ones
    // still count as relapses.
    let o = outcomes(
        &records,
        &starts,
        d("2024-01-01"),
        d("2024-01-01"),
        &|_, _| true,
    );
    assert_eq!((o.not_coached.n, o.not_coached.returned), (4, 4));
    assert_eq!(o.not_coached.relapse_rate, Some(0.25));
    assert_eq!(o.coached.relapse_rate, Some(0.5));
    assert_eq!(o.relapse_reduction, Some(1.0 - 0.5 / 0.25));
    // The filter narrows the cohorts, never the relapse lookup.
    let o = outcomes(&records, &starts, d(ALL.0), d(ALL.1), &|i, _| {
        p.persons[i] == 1
    });
    assert_eq!(o.not_coached.n, 2, "person 1's two dossiers");
    assert_eq!(o.not_coached.relapses, 1);
}

#[test]
fn percentiles_by_nearest_rank() {
    let v: Vec<i64> = (1..=10).collect();
    assert_eq!(percentile(&v, 50), Some(5));
    assert_eq!(percentile(&v, 90), Some(9));
    assert_eq!(percentile(&[7], 90), Some(7));
    assert_eq!(percentile(&[], 50), None);
    assert_eq!(percentile(&[1, 2, 3], 50), Some(2));
}

#[test]
fn operational_figures() {
    let p = Population::new(vec![
        // Contacted on the last day of the month after the referral (31 Jan → 29 Feb).
        (
            1,
            dossier(
                "1",
                &[
                    "2024-01-01 open",
                    "2024-01-31 quick_scan",
                    "2024-01-31 assessed",
                    "2024-01-31 referral",
                    "2024-02-29 contact",
                    "2024-03-10 full",
                ],
            ),
        ),
        // One day late.
        (
            2,
            dossier(
                "2",
                &[
                    "2024-01-01 open",
                    "2024-01-31 referral",
                    "2024-03-01 contact",
                ],
            ),
        ),
        // Never contacted, the month has passed: counts against.
        (3, dossier("3", &["2024-01-01 open", "2024-02-01 referral"])),
        // Referred yesterday: not judged yet.
        (4, dossier("4", &["2024-01-01 open", "2024-06-29 referral"])),
        // A relapse 40 days after the return on 2024-03-10 of another person: no.
        (5, dossier("5", &["2024-01-01 open", "2024-02-01 full"])),
        (5, dossier("5", &["2024-03-12 open"])),
    ]);
    let records = p.records();
    let starts = Starts::new(&records);
    let today = d("2024-06-30");
    let ops = operations(
        &records,
        &starts,
        d("2024-01-01"),
        d("2024-01-01"),
        today,
        &|_, _| true,
    );
    assert_eq!(ops.dossiers, 5);
    assert_eq!(ops.coached, 2);
    assert_eq!(
        (
            ops.first_contacts.referrals,
            ops.first_contacts.within_month
        ),
        (3, 1)
    );
    assert_eq!(ops.to_referral.n, 4);
    assert_eq!(ops.to_referral.median, Some(30));
    assert_eq!(ops.to_referral.p90, Some(180));
    assert_eq!(
        (ops.to_quick_scan.n, ops.to_quick_scan.median),
        (1, Some(30))
    );
    assert_eq!(
        (ops.to_first_contact.n, ops.to_first_contact.median),
        (2, Some(59))
    );
    // Sustained at 3 months: person 1 back 2024-03-10 → judged on 2024-06-10, still at
    // work; person 5 back 2024-02-01 relapsed on 2024-03-12. At 6 months: not yet judged.
    let three = ops.sustained.iter().find(|s| s.months == 3).unwrap();
    assert_eq!((three.returns, three.sustained), (2, 1));
    let six = ops.sustained.iter().find(|s| s.months == 6).unwrap();
    assert_eq!(six.returns, 0);
}

#[test]
fn the_self_employed_are_counted_apart() {
    let p = Population::new(vec![
        // Two self-employed: one coached, back after 60 days; one not, back after 100.
        (
            1,
            dossier_of(
                "self_employed",
                "1",
                &[
                    "2024-01-01 open",
                    "2024-01-10 referral",
                    "2024-01-20 contact",
                    "2024-03-01 full",
                ],
            ),
        ),
        (
            2,
            dossier_of(
                "self_employed",
                "2",
                &["2024-01-01 open", "2024-04-10 full"],
            ),
        ),
        // One of the unemployed, coached, back after 121 days.
        (
            3,
            dossier(
                "3",
                &[
                    "2024-01-01 open",
                    "2024-01-10 referral",
                    "2024-02-01 contact",
                    "2024-05-01 full",
                ],
            ),
        ),
    ]);
    let cases = p.records();
    let starts = Starts::new(&cases);
    let all = |_: usize, _: &tnw_domain::figures::CaseSummary| true;
    let split = by_scheme(&all, |sel| {
        outcomes(&cases, &starts, d(ALL.0), d(ALL.1), sel)
    });
    let get = |s: Scheme| {
        split
            .iter()
            .find(|(x, _)| *x == s)
            .map(|(_, o)| *o)
            .unwrap()
    };
    let se = get(Scheme::SelfEmployed);
    assert_eq!((se.coached.n, se.not_coached.n), (1, 1));
    assert_eq!(se.days_sooner, Some(100.0 - 60.0));
    let un = get(Scheme::Unemployed);
    assert_eq!((un.coached.n, un.not_coached.n), (1, 0));
    assert_eq!(un.coached.mean_days_to_return, Some(121.0));
    assert_eq!(
        get(Scheme::Employee).coached.n + get(Scheme::Employee).not_coached.n,
        0
    );
    let ops = by_scheme(&all, |sel| {
        operations(&cases, &starts, d(ALL.0), d(ALL.1), d("2024-12-31"), sel)
    });
    let se_ops = &ops
        .iter()
        .find(|(s, _)| *s == Scheme::SelfEmployed)
        .unwrap()
        .1;
    assert_eq!(
        (
            se_ops.dossiers,
            se_ops.coached,
            se_ops.first_contacts.within_month
        ),
        (2, 1, 1)
    );
}

prop_compose! {
    /// A small population: scheme, start, coached or not, days to a return (part- or
    /// full-time) and a later full-time return.
    fn population()(cases in prop::collection::vec(
        (0usize..3, 0i64..700, any::<bool>(), prop::option::of((1i64..400, any::<bool>(), prop::option::of(1i64..200))), 0u32..30),
        0..60,
    )) -> Vec<(u32, CaseFacts)> {
        let base = parse_date("2023-01-02").unwrap();
        cases.into_iter().map(|(scheme, start, coached, back, person)| {
            let start = add_days(base, start);
            let mut facts = vec![Fact { date: start, kind: EventType::CaseOpened, attr: 0 }];
            if coached {
                facts.push(Fact { date: add_days(start, 1), kind: EventType::ReferredToCoordinator, attr: 0 });
                facts.push(Fact { date: add_days(start, 2), kind: EventType::CoordinatorContact, attr: 1 });
            }
            if let Some((days, part, full_later)) = back {
                let extent = if part { Extent::PartTime } else { Extent::FullTime };
                facts.push(Fact { date: add_days(start, 2 + days), kind: EventType::WorkResumed, attr: extent.index() });
                if let Some(more) = full_later {
                    facts.push(Fact { date: add_days(start, 2 + days + more), kind: EventType::WorkResumed, attr: Extent::FullTime.index() });
                }
            }
            let facts = CaseFacts { incapacity_start: start, scheme: Scheme::ALL[scheme], has_employer: false, facts };
            (person, facts)
        }).collect()
    }
}

proptest! {
    #[test]
    fn the_schemes_apart_add_up_to_the_whole(cases in population(), from in 0i64..400, len in 0i64..700) {
        let p = Population::new(cases);
        let records = p.records();
        let starts = Starts::new(&records);
        let from = add_days(parse_date("2023-01-02").unwrap(), from);
        let to = add_days(from, len);
        let all = |_: usize, _: &tnw_domain::figures::CaseSummary| true;
        let whole = outcomes(&records, &starts, from, to, &all);
        let split = by_scheme(&all, |sel| outcomes(&records, &starts, from, to, sel));
        prop_assert_eq!(split.len(), Scheme::ALL.len());
        for c in [|o: &tnw_domain::figures::Outcomes| o.coached, |o: &tnw_domain::figures::Outcomes| o.not_coached] {
            let sum = |f: fn(&tnw_domain::figures::Cohort) -> i64| split.iter().map(|(_, o)| f(&c(o))).sum::<i64>();
            prop_assert_eq!(sum(|x| x.n as i64), c(&whole).n as i64);
            prop_assert_eq!(sum(|x| x.returned as i64), c(&whole).returned as i64);
            prop_assert_eq!(sum(|x| x.days_total), c(&whole).days_total);
            prop_assert_eq!(sum(|x| x.relapses as i64), c(&whole).relapses as i64);
            prop_assert_eq!(sum(|x| x.full_resumptions as i64), c(&whole).full_resumptions as i64);
        }
        // Each part holds only its own scheme's dossiers.
        for (scheme, o) in &split {
            let own = records.iter().filter(|r| r.facts.scheme == *scheme && (from..=to).contains(&r.facts.incapacity_start)).count() as u64;
            prop_assert_eq!(o.coached.n + o.not_coached.n, own);
        }
    }
}
