//! The generated population: deterministic, valid for the importer, and shaped like
//! the national mix it claims.

use std::collections::BTreeMap;
use tnw_domain::event::{parse_line, Event};
use tnw_domain::validate::validate_sequence;
use tnw_gen::{generate, GenOptions};

fn gen(cases: u64, seed: u64) -> Vec<u8> {
    let mut out = Vec::new();
    generate(
        &GenOptions {
            cases,
            seed,
            ..Default::default()
        },
        &mut out,
    )
    .unwrap();
    out
}

#[test]
fn same_seed_same_bytes_other_seed_other_bytes() {
    assert_eq!(gen(500, 9), gen(500, 9));
    assert_ne!(gen(500, 9), gen(500, 10));
}

#[test]
fn every_case_is_valid_and_dated_within_the_snapshot() {
    let data = String::from_utf8(gen(20_000, 5)).unwrap();
    let snapshot = tnw_domain::date::parse_date("2026-11-20").unwrap();
    let mut cases: BTreeMap<String, Vec<(tnw_domain::Date, Event)>> = BTreeMap::new();
    let mut order = Vec::new();
    for (i, line) in data.lines().enumerate() {
        let e = parse_line(line).unwrap_or_else(|e| panic!("line {}: {e}: {line}", i + 1));
        assert!(
            e.date <= snapshot,
            "line {} dated after the snapshot",
            i + 1
        );
        let key = e.case.token().to_owned();
        if !cases.contains_key(&key) {
            order.push(key.clone());
        }
        let list = cases.entry(key).or_default();
        if let Some((last, _)) = list.last() {
            assert!(
                *last <= e.date,
                "line {}: a case's lines are in date order",
                i + 1
            );
        }
        list.push((e.date, e.event));
    }
    assert_eq!(cases.len(), 20_000);
    for (key, events) in &cases {
        validate_sequence(events.iter().map(|(d, e)| (*d, e)))
            .unwrap_or_else(|(i, r)| panic!("case {key} event {i}: {r}"));
    }
}

#[test]
fn the_mix_looks_like_the_country() {
    let data = String::from_utf8(gen(20_000, 11)).unwrap();
    let mut regions: BTreeMap<String, u32> = BTreeMap::new();
    let mut categories: BTreeMap<u8, u32> = BTreeMap::new();
    let mut coached = std::collections::HashSet::new();
    let mut lines = 0;
    for line in data.lines() {
        lines += 1;
        let e = parse_line(line).unwrap();
        match &e.event {
            Event::CaseOpened(o) => *regions.entry(o.person.region.to_string()).or_default() += 1,
            Event::CapacityAssessed { category } => *categories.entry(*category).or_default() += 1,
            Event::CoordinatorContact { .. } => {
                coached.insert(e.case.token().to_owned());
            }
            _ => {}
        }
    }
    let share = |n: u32| f64::from(n) / 20_000.0;
    assert!(
        (0.52..0.62).contains(&share(regions["flanders"])),
        "{regions:?}"
    );
    assert!(
        (0.26..0.36).contains(&share(regions["wallonia"])),
        "{regions:?}"
    );
    assert!(
        (0.07..0.13).contains(&share(regions["brussels"])),
        "{regions:?}"
    );
    let coached_share = coached.len() as f64 / 20_000.0;
    assert!(
        (0.10..0.40).contains(&coached_share),
        "coached {coached_share}"
    );
    assert!(categories.len() == 4, "{categories:?}");
    let per_case = f64::from(lines) / 20_000.0;
    assert!(
        (4.0..12.0).contains(&per_case),
        "{per_case} events per case"
    );
}
