//! Checks that need several connections to one database: what one connection sees while
//! another writes. Each takes its connections from the backend's own test, since only
//! the backend knows how to open several onto one fresh database.

use crate::fixtures::{entry, event, new_case, summary};
use tnw_domain::event::EventType;
use tnw_domain::CaseKey;
use tnw_storage::{CaseWrite, Store};

/// Two connections to one database: a dossier that grows between the audited read's
/// first look and its audit transaction is decided on again, and the audit entry and
/// the returned dossier are those of what the transaction saw.
pub fn audited_read_sees_a_concurrent_append(a: &mut dyn Store, b: &mut dyn Store) {
    let key = CaseKey::from_str_id("R1");
    a.write_cases(
        "fund-r",
        None,
        &[new_case(
            "R1",
            vec![event(1, "2023-01-01", EventType::CaseOpened)],
        )],
        &[],
    )
    .expect("write R1");
    let id = a
        .load_cases("fund-r", std::slice::from_ref(&key))
        .expect("load")[0]
        .clone()
        .expect("R1")
        .id;
    let mut looks = Vec::new();
    let read = a
        .read_case_audited("fund-r", &key, &mut |case| {
            looks.push(case.events.len());
            if looks.len() == 1 {
                // Another writer appends while this reader decides.
                let append = CaseWrite {
                    key: key.clone(),
                    existing_id: Some(id),
                    events: vec![event(2, "2023-02-02", EventType::QuickScanSent)],
                    summary: summary("2023-01-01"),
                    tasks: Vec::new(),
                };
                b.write_cases("fund-r", None, &[append], &[])
                    .expect("concurrent append");
            }
            entry("alice", &format!("read {} events", case.events.len()))
        })
        .expect("read")
        .expect("R1");
    assert_eq!(
        read.events.len(),
        2,
        "the returned dossier is the current one"
    );
    assert_eq!(looks.last(), Some(&2), "decided again on the grown dossier");
    let log = a.audit_log("fund-r", Some(&key), 10).expect("audit");
    assert_eq!(log.len(), 1, "one entry per read");
    assert_eq!(log[0].entry.action, "read 2 events");
}

/// Many connections read dossiers at once while one more keeps appending to them: every
/// read leaves exactly one audit entry, naming exactly the events the reader was given,
/// and the audit chain still verifies. `stores[0]` writes; the others read.
pub fn concurrent_audited_reads(mut stores: Vec<Box<dyn Store + Send>>) {
    const CASES: u32 = 5;
    const READS: u32 = 60;
    let mut writer = stores.remove(0);
    let keys: Vec<CaseKey> = (0..CASES)
        .map(|i| CaseKey::from_str_id(&format!("C{i}")))
        .collect();
    let writes: Vec<CaseWrite> = (0..CASES)
        .map(|i| {
            new_case(
                &format!("C{i}"),
                vec![event(1, "2023-01-01", EventType::CaseOpened)],
            )
        })
        .collect();
    writer
        .write_cases("fund-c", None, &writes, &[])
        .expect("write cases");
    let ids: Vec<i64> = writer
        .load_cases("fund-c", &keys)
        .expect("load")
        .into_iter()
        .map(|c| c.expect("stored").id)
        .collect();
    let readers = stores.len() as u32;
    let given = std::thread::scope(|scope| {
        let appends = scope.spawn(|| {
            for seq in 2..=40u32 {
                for (key, id) in keys.iter().zip(&ids) {
                    let append = CaseWrite {
                        key: key.clone(),
                        existing_id: Some(*id),
                        events: vec![event(seq, "2023-02-02", EventType::QuickScanSent)],
                        summary: summary("2023-01-01"),
                        tasks: Vec::new(),
                    };
                    writer
                        .write_cases("fund-c", None, &[append], &[])
                        .expect("append");
                }
            }
        });
        let handles: Vec<_> = stores
            .iter_mut()
            .enumerate()
            .map(|(t, store)| {
                let keys = &keys;
                scope.spawn(move || {
                    let mut given = Vec::new();
                    for i in 0..READS {
                        let key = &keys[(i as usize + t) % keys.len()];
                        let user = format!("reader-{t}-{i}");
                        let case = store
                            .read_case_audited("fund-c", key, &mut |case| {
                                entry(&user, &case.events.len().to_string())
                            })
                            .expect("read")
                            .expect("case");
                        given.push((user, case.events.len().to_string()));
                    }
                    given
                })
            })
            .collect();
        appends.join().expect("appender");
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("reader"))
            .collect::<Vec<_>>()
    });
    let mut logged = std::collections::HashMap::new();
    for key in &keys {
        let log = writer
            .audit_log("fund-c", Some(key), 100_000)
            .expect("audit");
        for r in log
            .into_iter()
            .filter(|r| r.entry.username.starts_with("reader-"))
        {
            let user = r.entry.username;
            assert!(
                logged.insert(user.clone(), r.entry.action).is_none(),
                "two audit entries for {user}"
            );
        }
    }
    assert_eq!(given.len(), (readers * READS) as usize);
    assert_eq!(logged.len(), given.len(), "one audit entry per read");
    for (user, events) in &given {
        assert_eq!(
            logged.get(user),
            Some(events),
            "the entry of {user} names what the read returned"
        );
    }
    let head = tnw_storage::chain::verify_store(writer.as_mut(), None, 97)
        .expect("chain")
        .expect("the chain verifies");
    assert!(head.count >= u64::from(readers * READS));
}

/// Two writers prepared appends from the same stored log: the first is stored, the
/// second (alone or inside a larger batch) is refused as a conflict and leaves nothing,
/// neither its events, its other cases nor its audit entries.
pub fn stale_append_is_refused(a: &mut dyn Store, b: &mut dyn Store) {
    let org = "fund-s";
    a.write_cases(
        org,
        None,
        &[
            new_case("S1", vec![event(1, "2023-01-01", EventType::CaseOpened)]),
            new_case("S2", vec![event(1, "2023-01-01", EventType::CaseOpened)]),
        ],
        &[],
    )
    .expect("write S1, S2");
    let keys = [CaseKey::from_str_id("S1"), CaseKey::from_str_id("S2")];
    let ids: Vec<i64> = a
        .load_cases(org, &keys)
        .expect("load")
        .into_iter()
        .map(|c| c.expect("stored").id)
        .collect();
    let append = |i: usize, seq: u32, date: &str| CaseWrite {
        key: keys[i].clone(),
        existing_id: Some(ids[i]),
        events: vec![event(seq, date, EventType::QuickScanSent)],
        summary: summary("2023-01-01"),
        tasks: Vec::new(),
    };
    a.write_cases(org, None, &[append(0, 2, "2023-02-01")], &[])
        .expect("the first append");
    // b decided on the one-event log too: its seq 2 no longer continues the log.
    for batch in [
        vec![append(0, 2, "2023-02-02")],
        vec![append(1, 2, "2023-02-02"), append(0, 2, "2023-02-02")],
    ] {
        let audit = [(Some(keys[0].clone()), entry("bob", "stale write"))];
        match b.write_cases(org, None, &batch, &audit) {
            Err(tnw_storage::StorageError::Conflict(key)) => assert_eq!(key, "S1"),
            other => panic!("a stale append must be refused as a conflict, got {other:?}"),
        }
    }
    let stored = b.load_cases(org, &keys).expect("load");
    let lens: Vec<usize> = stored
        .iter()
        .map(|c| c.as_ref().expect("stored").events.len())
        .collect();
    assert_eq!(lens, vec![2, 1], "only the first append is stored");
    let log = b.audit_log(org, Some(&keys[0]), 10).expect("audit");
    assert!(log.iter().all(|r| r.entry.action != "stale write"));
    // Decided again on the current log, it continues it.
    b.write_cases(org, None, &[append(0, 3, "2023-02-02")], &[])
        .expect("the append decided on the current log");
}
