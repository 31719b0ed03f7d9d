//! The generated stream as the importer sees it: every line parses with
//! `tnw_domain::event::parse_line` and every case passes
//! `tnw_domain::validate::validate_sequence`.

use std::collections::BTreeMap;
use tnw_domain::event::{parse_line, Event};
use tnw_domain::validate::validate_sequence;
use tnw_gen::{generate, GenOptions};

#[test]
fn the_domain_accepts_every_line_and_every_case() {
    let mut out = Vec::new();
    let opts = GenOptions {
        cases: 20_000,
        seed: 5,
        ..Default::default()
    };
    generate(&opts, &mut out).unwrap();
    let data = String::from_utf8(out).unwrap();
    let mut cases: BTreeMap<String, Vec<(tnw_domain::Date, Event)>> = BTreeMap::new();
    for (i, line) in data.lines().enumerate() {
        let e = parse_line(line).unwrap_or_else(|e| panic!("line {}: {e}: {line}", i + 1));
        cases
            .entry(e.case.token().to_owned())
            .or_default()
            .push((e.date, e.event));
    }
    assert_eq!(cases.len(), 20_000);
    for (key, events) in &cases {
        validate_sequence(events.iter().map(|(d, e)| (*d, e)))
            .unwrap_or_else(|(i, r)| panic!("case {key} event {i}: {r}"));
    }
}
