//! The outbox of messages to send, and the drafts of forms being filled in.

use crate::fixtures::a_fund_with_a_case;
use tnw_domain::CaseKey;
use tnw_storage::Store;

/// The outbox: enqueue once per key, claim with a lease, retry, send; and drafts, saved
/// and replaced per fund, dossier and form.
pub fn outbox(store: &mut dyn Store) {
    // Another fund, which must not see this fund's drafts.
    a_fund_with_a_case(store, "fund-w", "W1");
    let msg = |k: &str| tnw_storage::NewMessage {
        dedup_key: k.into(),
        recipient: "ann@fund.example".into(),
        subject: "2 overdue tasks".into(),
        body: "…".into(),
    };
    assert_eq!(
        store
            .enqueue("fund-o", &[msg("a"), msg("b"), msg("a")], 100)
            .expect("enqueue"),
        2,
        "a key is enqueued once"
    );
    assert_eq!(store.enqueue("fund-o", &[msg("a")], 101).expect("again"), 0);
    assert!(
        store.claim_messages(99, 60, 10).expect("claim").is_empty(),
        "not due yet"
    );
    let first = store.claim_messages(100, 60, 1).expect("claim");
    assert_eq!(first.len(), 1);
    let rest = store.claim_messages(100, 60, 10).expect("claim");
    assert_eq!(rest.len(), 1, "a claimed message is not handed out twice");
    assert_ne!(first[0].id, rest[0].id);
    // The first sender fails: retried later; the second dies: its lease runs out.
    store
        .mark_failed(first[0].id, "connection refused", 200)
        .expect("fail");
    assert!(store.claim_messages(150, 60, 10).expect("claim").is_empty());
    let again = store.claim_messages(200, 60, 10).expect("claim");
    assert_eq!(again.len(), 2, "retry due and expired lease");
    let retried = again.iter().find(|m| m.id == first[0].id).expect("retried");
    assert_eq!(retried.attempts, 1);
    for m in &again {
        store.mark_sent(m.id, 201).expect("sent");
    }
    assert!(store
        .claim_messages(10_000, 60, 10)
        .expect("claim")
        .is_empty());
    let c = store.outbox_counts(Some("fund-o")).expect("counts");
    assert_eq!((c.pending, c.sent, c.failing), (0, 2, 0));
    assert!(store.orgs().expect("orgs").contains(&"fund-o".to_owned()));
    // Drafts: saved, replaced, per fund, deleted.
    let k = CaseKey::from_str_id("D1");
    store
        .save_draft("fund-o", &k, "qs", r#"{"a":1}"#, 1)
        .expect("save");
    store
        .save_draft("fund-o", &k, "qs", r#"{"a":2}"#, 2)
        .expect("replace");
    assert_eq!(
        store
            .load_draft("fund-o", &k, "qs")
            .expect("load")
            .as_deref(),
        Some(r#"{"a":2}"#)
    );
    assert_eq!(
        store.load_draft("fund-w", &k, "qs").expect("other fund"),
        None
    );
    assert_eq!(
        store.load_draft("fund-o", &k, "other").expect("other"),
        None
    );
    store.delete_draft("fund-o", &k, "qs").expect("delete");
    assert_eq!(store.load_draft("fund-o", &k, "qs").expect("load"), None);
}
