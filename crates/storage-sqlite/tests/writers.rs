//! Writes through the writer gate from several connections of one pool.

use tnw_storage::prelude::*;
use tnw_storage::AuditEntry;
use tnw_storage_sqlite::SqliteStore;

/// Two connections of one pool (one writer gate) to a new file; keep the directory.
fn two_connections() -> (tempfile::TempDir, SqliteStore, SqliteStore) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tnw.db");
    let gate = SqliteStore::new_gate();
    let a = SqliteStore::open_shared(&path, gate.clone()).unwrap();
    let b = SqliteStore::open_shared(&path, gate).unwrap();
    (dir, a, b)
}

/// An account entry numbered `n`.
fn e(n: usize) -> AuditEntry {
    AuditEntry {
        username: format!("u{n}"),
        role: "admin".into(),
        action: "admin".into(),
        what: "account".into(),
        purpose: "administration".into(),
    }
}

/// Entries appended by two connections of one pool, interleaved, form one chain.
#[test]
fn interleaved_writers_keep_one_chain() {
    let (_dir, mut a, mut b) = two_connections();
    for n in 0..10 {
        let s = if n % 2 == 0 { &mut a } else { &mut b };
        s.write_cases("fund-x", None, &[], &[(None, e(n)), (None, e(n + 100))])
            .unwrap();
    }
    let head = tnw_storage::chain::verify_store(&mut a, None, 3)
        .unwrap()
        .unwrap();
    assert_eq!((head.count, head.last_id), (20, Some(20)));
}

/// `append` (entries about no dossier) from one connection, batch writes from another:
/// one chain, each call's entries together.
#[test]
fn appends_beside_batch_writes_keep_one_chain() {
    let (_dir, mut a, mut b) = two_connections();
    for n in 0..10 {
        if n % 2 == 0 {
            a.append("fund-x", &[e(n), e(n + 100)]).unwrap();
        } else {
            b.write_cases("fund-x", None, &[], &[(None, e(n)), (None, e(n + 100))])
                .unwrap();
        }
    }
    // No entries: nothing appended, the fund exists.
    a.append("fund-y", &[]).unwrap();
    let head = tnw_storage::chain::verify_store(&mut b, None, 3)
        .unwrap()
        .unwrap();
    assert_eq!((head.count, head.last_id), (20, Some(20)));
    let users: Vec<String> = b
        .audit_log("fund-x", None, 100)
        .unwrap()
        .into_iter()
        .rev()
        .map(|r| r.entry.username)
        .collect();
    let expected: Vec<String> = (0..10)
        .flat_map(|n| [format!("u{n}"), format!("u{}", n + 100)])
        .collect();
    assert_eq!(users, expected);
    assert_eq!(a.orgs().unwrap(), ["fund-x", "fund-y"]);
}
