//! Bulk reads over every dossier, in chunks: the facts sweep and the figures.

use crate::fixtures::{a_fund_with_a_case, event, new_case};
use tnw_domain::event::EventType;
use tnw_storage::{CaseWrite, ImportRecord, Store};

/// The facts sweep: a fund's dossiers in chunks of the asked size, in insertion order;
/// without a fund, every fund's.
pub fn scan_in_chunks(store: &mut dyn Store) {
    // Another fund, so the sweep of all funds has more than one to cover.
    a_fund_with_a_case(store, "fund-a", "C1");
    let import = store
        .begin_import("fund-s", &ImportRecord::default())
        .expect("begin");
    let cases: Vec<CaseWrite> = (0..25)
        .map(|i| {
            new_case(
                &format!("S{i:03}"),
                vec![event(1, "2023-01-01", EventType::CaseOpened)],
            )
        })
        .collect();
    store
        .write_cases("fund-s", Some(import), &cases, &[])
        .expect("write");
    let mut chunks = Vec::new();
    let mut keys = Vec::new();
    store
        .scan_facts(Some("fund-s"), 10, &mut |rows| {
            chunks.push(rows.len());
            keys.extend(rows.into_iter().map(|r| {
                assert_eq!(r.facts, vec![1, 2, 3]);
                r.key.display().into_owned()
            }));
            Ok(())
        })
        .expect("scan");
    assert_eq!(chunks, vec![10, 10, 5]);
    let expected: Vec<String> = (0..25).map(|i| format!("S{i:03}")).collect();
    assert_eq!(keys, expected, "cases come in insertion order");
    let mut all = 0;
    store
        .scan_facts(None, 1000, &mut |rows| {
            all += rows.len();
            Ok(())
        })
        .expect("scan all");
    assert_eq!(all as u64, store.counts(None).expect("counts").cases);
}

/// The figures' scan: every dossier of a fund with its member and summary columns.
pub fn figures_scan(store: &mut dyn Store) {
    // Another fund, which the scan of all funds must include.
    a_fund_with_a_case(store, "fund-a", "C1");
    let mut a = new_case("F1", vec![event(1, "2023-01-01", EventType::CaseOpened)]);
    a.summary.person_id = "PF".into();
    a.summary.region = "brussels".into();
    let b = new_case("F2", vec![event(1, "2023-01-01", EventType::CaseOpened)]);
    store
        .write_cases("fund-f", None, &[a, b], &[])
        .expect("write");
    let mut seen = Vec::new();
    store
        .scan_figures(Some("fund-f"), 1, &mut |rows| {
            assert_eq!(rows.len(), 1, "chunks of the asked size");
            seen.extend(rows);
            Ok(())
        })
        .expect("scan");
    let got: Vec<(String, String, String)> = seen
        .iter()
        .map(|r| (r.person_id.clone(), r.region.clone(), r.condition.clone()))
        .collect();
    assert_eq!(
        got,
        vec![
            ("PF".into(), "brussels".into(), "mental".into()),
            ("P1".into(), "flanders".into(), "mental".into())
        ]
    );
    assert_eq!(seen[0].facts, vec![1, 2, 3]);
    assert_eq!(seen[0].fund, seen[1].fund);
    let mut all = 0;
    store
        .scan_figures(None, 1000, &mut |rows| {
            all += rows.len();
            Ok(())
        })
        .expect("scan all");
    assert!(all > 2, "all funds");
}
