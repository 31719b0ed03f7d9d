//! The shared storage conformance suite against a real SQLite file.

use tnw_storage_sqlite::SqliteStore;

/// A store on a new file in a temporary directory of its own, removed after the check
/// (the store is dropped first: fields drop in order).
struct FreshFile {
    store: SqliteStore,
    _dir: tempfile::TempDir,
}

impl tnw_storage_conformance::AsStore for FreshFile {
    fn as_store(&mut self) -> &mut dyn tnw_storage::Store {
        &mut self.store
    }
}

fn fresh_file() -> FreshFile {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(&dir.path().join("tnw.db")).unwrap();
    FreshFile { store, _dir: dir }
}

tnw_storage_conformance::conformance_tests!(fresh_file);

#[test]
fn audited_read_rechecks_under_a_second_connection() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tnw.db");
    let gate = SqliteStore::new_gate();
    let mut a = SqliteStore::open_shared(&path, gate.clone()).unwrap();
    let mut b = SqliteStore::open_shared(&path, gate).unwrap();
    tnw_storage_conformance::audited_read_sees_a_concurrent_append(&mut a, &mut b);
}

#[test]
fn a_stale_append_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tnw.db");
    let mut a = SqliteStore::open(&path).unwrap();
    // Another process (own gate), as an import beside a server.
    let mut b = SqliteStore::open(&path).unwrap();
    tnw_storage_conformance::stale_append_is_refused(&mut a, &mut b);
}

#[test]
fn reopening_keeps_data_and_schema_version() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tnw.db");
    {
        let mut store = SqliteStore::open(&path).unwrap();
        tnw_storage_conformance::write_and_load(&mut store);
    }
    let mut store = SqliteStore::open(&path).unwrap();
    assert_eq!(
        store.schema_version().unwrap(),
        tnw_storage_sqlite::SCHEMA_VERSION
    );
    use tnw_storage::prelude::*;
    assert_eq!(store.counts(None).unwrap().events, 3);
}

/// A database of schema 2 with a quick scan in a log gets the new summary columns
/// filled from its logs when it is opened.
#[test]
fn migration_3_backfills_the_quick_scan_date() {
    use rusqlite::Connection;
    use tnw_storage::prelude::*;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tnw.db");
    SqliteStore::migrate_file_to(&path, 2).unwrap();
    {
        let c = Connection::open(&path).unwrap();
        c.execute_batch(
            "INSERT INTO orgs (id, code) VALUES (1, 'fund-m');
             INSERT INTO cases (id, org_id, key, person_id, incapacity_start, scheme, region, language, condition, facts)
             VALUES (1, 1, '\"M1\"', 'P', '2023-01-01', 'employee', 'flanders', 'nl', 'mental', x''),
                    (2, 1, '\"M2\"', 'P', '2023-01-01', 'employee', 'flanders', 'nl', 'mental', x'');
             INSERT INTO case_logs (case_id, org_id, events, log) VALUES
               (1, 1, 2, '[[1,\"2023-01-01\",\"00\",0,{\"type\":\"quick_scan_sent\"}],[2,\"2023-03-20\",\"00\",0,{\"type\":\"quick_scan_returned\",\"answers\":{}}]]'),
               (2, 1, 1, '[[1,\"2023-01-01\",\"00\",0,{\"type\":\"quick_scan_sent\"}]]');",
        )
        .unwrap();
    }
    let mut store = SqliteStore::open(&path).unwrap();
    assert_eq!(
        store.schema_version().unwrap(),
        tnw_storage_sqlite::SCHEMA_VERSION
    );
    assert_eq!(store.counts(None).unwrap().cases, 2);
    let c = Connection::open(&path).unwrap();
    let dates: Vec<Option<String>> = c
        .prepare("SELECT quick_scan_returned FROM cases ORDER BY id")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(dates, vec![Some("2023-03-20".to_owned()), None]);
}

/// A database from before the surveys (schema 5) gets the survey table on open and
/// keeps what it held.
#[test]
fn migration_7_adds_survey_responses_to_an_existing_database() {
    use tnw_storage::prelude::*;
    use tnw_storage::SurveyResponse;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tnw.db");
    SqliteStore::migrate_file_to(&path, 5).unwrap();
    {
        let c = rusqlite::Connection::open(&path).unwrap();
        c.execute_batch("INSERT INTO orgs (id, code) VALUES (1, 'fund-m');")
            .unwrap();
        let missing = c.prepare("SELECT * FROM survey_responses").is_err();
        assert!(missing, "schema 5 has no survey table yet");
    }
    let mut store = SqliteStore::open(&path).unwrap();
    assert_eq!(
        store.schema_version().unwrap(),
        tnw_storage_sqlite::SCHEMA_VERSION
    );
    let r = SurveyResponse {
        respondent: "R1".into(),
        answers: r#"{"coached":"never"}"#.into(),
    };
    let c = store
        .import_survey("fund-m", "experience-survey-v1", std::slice::from_ref(&r))
        .unwrap();
    assert_eq!(c.new, 1);
    assert_eq!(store.orgs().unwrap(), vec!["fund-m".to_owned()]);
    assert_eq!(
        store
            .survey_responses("fund-m", "experience-survey-v1")
            .unwrap(),
        vec![r]
    );
}

/// A database from before the audit chain (schema 6) with audit entries, one id
/// skipped as SQLite may leave them: opening it chains what it holds, so it verifies,
/// and new entries continue the chain.
#[test]
fn migration_8_chains_the_existing_audit_entries() {
    use tnw_storage::chain::{verify_store, ChainBreak};
    use tnw_storage::prelude::*;
    use tnw_storage::AuditEntry;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tnw.db");
    SqliteStore::migrate_file_to(&path, 6).unwrap();
    {
        let c = rusqlite::Connection::open(&path).unwrap();
        assert!(c.prepare("SELECT hash FROM audit").is_err(), "no chain yet");
        c.execute_batch(
            "INSERT INTO orgs (id, code) VALUES (1, 'fund-m');
             INSERT INTO cases (id, org_id, key, person_id, incapacity_start, scheme, region, language, condition, facts)
             VALUES (1, 1, '\"M1\"', 'P', '2023-01-01', 'employee', 'flanders', 'nl', 'mental', x'');
             INSERT INTO case_logs (case_id, org_id, events, log) VALUES
               (1, 1, 1, '[[1,\"2023-01-01\",\"00\",0,{\"type\":\"quick_scan_sent\"}]]');
             INSERT INTO audit (id, org_id, username, role, action, case_id, what, purpose) VALUES
               (1, 1, 'ann', 'coordinator', 'read', 1, 'dossier', 'coordination'),
               (2, 1, 'ops', 'operator', 'import', NULL, 'import 1', 'import'),
               (4, 1, 'bob', 'coordinator', 'read', 1, 'dossier', 'coordination');",
        )
        .unwrap();
    }
    let mut store = SqliteStore::open(&path).unwrap();
    let head = verify_store(&mut store, None, 2).unwrap().unwrap();
    assert_eq!((head.count, head.last_id), (3, Some(4)));
    let entry = AuditEntry {
        username: "cat".into(),
        role: "coordinator".into(),
        action: "read".into(),
        what: "dossier".into(),
        purpose: "coordination".into(),
    };
    store
        .read_case_audited(
            "fund-m",
            &tnw_domain::CaseKey::from_str_id("M1"),
            &mut |_| entry.clone(),
        )
        .unwrap()
        .unwrap();
    let head = verify_store(&mut store, None, 2).unwrap().unwrap();
    assert_eq!((head.count, head.last_id), (4, Some(5)));
    assert_eq!(store.audit_log("fund-m", None, 10).unwrap().len(), 4);
    // And the chain really protects the backfilled entries.
    rusqlite::Connection::open(&path)
        .unwrap()
        .execute("UPDATE audit SET username = 'eve' WHERE id = 2", [])
        .unwrap();
    assert_eq!(
        verify_store(&mut store, None, 2).unwrap(),
        Err(ChainBreak::Altered { id: 2 })
    );
}

/// Entries appended by two connections of one pool, interleaved, form one chain.
#[test]
fn interleaved_writers_keep_one_chain() {
    use tnw_storage::prelude::*;
    use tnw_storage::AuditEntry;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tnw.db");
    let gate = SqliteStore::new_gate();
    let mut a = SqliteStore::open_shared(&path, gate.clone()).unwrap();
    let mut b = SqliteStore::open_shared(&path, gate).unwrap();
    let e = |n: usize| AuditEntry {
        username: format!("u{n}"),
        role: "admin".into(),
        action: "admin".into(),
        what: "account".into(),
        purpose: "administration".into(),
    };
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

/// Reads on several connections of one pool group-commit their audit entries.
#[test]
fn concurrent_audited_reads_on_one_pool() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tnw.db");
    let gate = SqliteStore::new_gate();
    let stores: Vec<Box<dyn tnw_storage::Store + Send>> = (0..6)
        .map(|_| {
            Box::new(SqliteStore::open_shared(&path, gate.clone()).unwrap())
                as Box<dyn tnw_storage::Store + Send>
        })
        .collect();
    tnw_storage_conformance::concurrent_audited_reads(stores);
}

/// Processes opening a new file at the same moment each migrate it or find it
/// migrated; none fails half-way ("duplicate column").
#[test]
fn concurrent_first_opens_migrate_once() {
    for _ in 0..5 {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("tnw.db");
        std::thread::scope(|scope| {
            let opens: Vec<_> = (0..6)
                .map(|_| scope.spawn(|| SqliteStore::open(&path).map(|_| ())))
                .collect();
            for o in opens {
                o.join().unwrap().unwrap();
            }
        });
        let store = SqliteStore::open(&path).unwrap();
        assert_eq!(
            store.schema_version().unwrap(),
            tnw_storage_sqlite::SCHEMA_VERSION
        );
    }
}
