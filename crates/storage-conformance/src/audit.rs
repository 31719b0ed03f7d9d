//! The audit trail on one connection: audited reads and writes, and its hash chain.

use crate::fixtures::{a_fund_with_a_case, entry, event, new_case, summary};
use tnw_domain::event::EventType;
use tnw_domain::CaseKey;
use tnw_storage::{CaseWrite, Store};

/// An audited read returns the dossier and logs the entry it was given; a write logs its
/// entries in the same call; each fund sees only its own.
pub fn audited_reads_and_writes(store: &mut dyn Store) {
    a_fund_with_a_case(store, "fund-w", "W1");
    // Another fund, which holds no W1.
    a_fund_with_a_case(store, "fund-a", "C1");
    let key = CaseKey::from_str_id("W1");
    let read = store
        .read_case_audited("fund-w", &key, &mut |_| entry("alice", "read"))
        .expect("read");
    assert!(read.is_some_and(|c| c.events.len() == 1));
    assert!(
        store
            .read_case_audited("fund-a", &key, &mut |_| entry("alice", "read"))
            .expect("read")
            .is_none(),
        "not in fund-a"
    );
    let id = store
        .load_cases("fund-w", std::slice::from_ref(&key))
        .expect("load")[0]
        .clone()
        .expect("W1")
        .id;
    let write = CaseWrite {
        key: key.clone(),
        existing_id: Some(id),
        events: vec![event(2, "2023-02-02", EventType::QuickScanSent)],
        summary: summary("2023-01-01"),
        tasks: Vec::new(),
    };
    store
        .write_cases(
            "fund-w",
            None,
            &[write],
            &[(Some(key.clone()), entry("bob", "write"))],
        )
        .expect("write with audit");
    let log = store.audit_log("fund-w", Some(&key), 10).expect("audit");
    let seen: Vec<(String, String)> = log
        .iter()
        .map(|r| (r.entry.username.clone(), r.entry.action.clone()))
        .collect();
    assert_eq!(
        seen,
        vec![
            ("bob".into(), "write".into()),
            ("alice".into(), "read".into())
        ],
        "newest first"
    );
    assert!(store
        .audit_log("fund-a", Some(&key), 10)
        .expect("audit")
        .is_empty());
}

/// Every audit entry, written by reads and by writes, is chained: the chain verifies
/// in any chunk size, holds exactly what `audit_log` shows, and a later entry extends
/// it without changing the earlier links.
pub fn audit_chain_verifies(store: &mut dyn Store) {
    let key = CaseKey::from_str_id("W1");
    a_fund_with_a_case(store, "fund-a", "C1");
    // Entries already in the chain: one written with a dossier, one by a read.
    store
        .write_cases(
            "fund-w",
            None,
            &[new_case(
                "W1",
                vec![event(1, "2023-01-01", EventType::CaseOpened)],
            )],
            &[(Some(key.clone()), entry("bob", "write"))],
        )
        .expect("setup: W1 written with audit");
    store
        .read_case_audited("fund-w", &key, &mut |_| entry("alice", "read"))
        .expect("setup: read")
        .expect("setup: W1");
    store
        .read_case_audited("fund-w", &key, &mut |_| entry("carol", "read"))
        .expect("read");
    store
        .write_cases("fund-a", None, &[], &[(None, entry("admin", "admin"))])
        .expect("audit without a case");
    let head = tnw_storage::chain::verify_store(store, None, 1000)
        .expect("walk")
        .expect("intact");
    for chunk in [1, 2, 3] {
        assert_eq!(
            tnw_storage::chain::verify_store(store, None, chunk)
                .expect("walk")
                .expect("intact"),
            head,
            "chunk {chunk}"
        );
    }
    let rows = store.audit_chain(0, 1000).expect("chain");
    assert_eq!(rows.len() as u64, head.count);
    assert!(rows.len() >= 4, "reads and writes are all there");
    assert!(rows.windows(2).all(|w| w[0].id < w[1].id), "id order");
    assert_eq!(
        store
            .audit_chain(head.last_id.unwrap_or(0), 10)
            .expect("after")
            .len(),
        0
    );
    let shown = store.audit_log("fund-w", None, 1000).expect("audit");
    for r in &shown {
        let c = rows
            .iter()
            .find(|c| c.id == r.id)
            .unwrap_or_else(|| panic!("entry {} in the chain", r.id));
        assert_eq!(c.org, "fund-w");
        assert_eq!(c.at, r.at);
        assert_eq!(c.entry, r.entry);
        assert_eq!(c.case.as_deref(), r.case.as_ref().map(|k| k.token()));
    }
    assert!(rows
        .iter()
        .any(|c| c.org == "fund-a" && c.case.is_none() && c.entry.username == "admin"));
    let anchor = tnw_storage::chain::Anchor {
        id: head.last_id.unwrap_or(0),
        count: head.count,
        hash: head.hash,
    };
    store
        .read_case_audited("fund-w", &key, &mut |_| entry("dave", "read"))
        .expect("read");
    let later = tnw_storage::chain::verify_store(store, Some(anchor), 2)
        .expect("walk")
        .expect("intact with the earlier anchor");
    assert_eq!(later.count, head.count + 1);
}
