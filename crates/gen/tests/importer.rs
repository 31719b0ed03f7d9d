//! The generated stream as the importer sees it: every line parses with
//! `tnw_domain::event::parse_line` and every case passes
//! `tnw_domain::validate::validate_sequence`.

use std::collections::BTreeMap;
use tnw_domain::event::{parse_line, Event};
use tnw_domain::validate::validate_sequence;
use tnw_gen::{generate, GenOptions};

fn domain_accepts(cases: u64, seed: u64) {
    let mut out = Vec::new();
    let opts = GenOptions {
        cases,
        seed,
        ..Default::default()
    };
    generate(&opts, &mut out).unwrap();
    let data = String::from_utf8(out).unwrap();
    let mut by_case: BTreeMap<String, Vec<(tnw_domain::Date, Event)>> = BTreeMap::new();
    for (i, line) in data.lines().enumerate() {
        let e = parse_line(line).unwrap_or_else(|e| panic!("line {}: {e}: {line}", i + 1));
        by_case
            .entry(e.case.token().to_owned())
            .or_default()
            .push((e.date, e.event));
    }
    assert_eq!(by_case.len() as u64, cases);
    for (key, events) in &by_case {
        validate_sequence(events.iter().map(|(d, e)| (*d, e)))
            .unwrap_or_else(|(i, r)| panic!("case {key} event {i}: {r}"));
    }
}

#[test]
fn the_domain_accepts_every_line_and_every_case() {
    domain_accepts(20_000, 5);
}

/// `cargo test --release -p tnw-gen -- --ignored`.
#[test]
#[ignore]
fn the_domain_accepts_a_million_dossiers() {
    domain_accepts(1_000_000, 1);
}
