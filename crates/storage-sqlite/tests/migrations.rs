//! The schema migrations: the files, upgrades of databases made by older versions, and
//! the refusal of a database newer than this program.

use rusqlite::Connection;
use std::path::Path;
use tnw_domain::date::parse_date;
use tnw_domain::event::EventType;
use tnw_domain::CaseKey;
use tnw_storage::chain::{verify_store, ChainBreak};
use tnw_storage::prelude::*;
use tnw_storage::{
    AbsenceQuery, AuditEntry, CaseSummary, CaseWrite, OpenTask, StorageError, StoredEvent,
    SurveyResponse, User, WorklistQuery,
};
use tnw_storage_sqlite::{SqliteStore, SCHEMA_VERSION};

/// The shared numbering (the same on every backend): version and name of each file.
const LISTED: [(i64, &str); 15] = [
    (1, "init"),
    (2, "access"),
    (3, "caseload"),
    (4, "outbox"),
    (5, "drafts"),
    (6, "surveys"),
    (7, "audit_chain"),
    (8, "worklist_covering"),
    (9, "import_speed"),
    (10, "import_keys"),
    (11, "audited_calls"),
    (12, "audit_keys"),
    (13, "worklist_columns"),
    (14, "account_party"),
    (15, "employer_absences"),
];

fn user_version(path: &Path) -> i64 {
    Connection::open(path)
        .unwrap()
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap()
}

fn entry(username: &str, action: &str) -> AuditEntry {
    AuditEntry {
        username: username.into(),
        role: "coordinator".into(),
        action: action.into(),
        what: "dossier".into(),
        purpose: "coordination".into(),
    }
}

#[test]
fn the_migration_files_are_the_listed_ones() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations");
    let mut files: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    files.sort();
    let listed: Vec<String> = LISTED
        .iter()
        .map(|(v, name)| format!("{v:04}_{name}.sql"))
        .collect();
    assert_eq!(files, listed);
    assert!(LISTED
        .iter()
        .enumerate()
        .all(|(i, (v, _))| *v == i as i64 + 1));
    assert_eq!(SCHEMA_VERSION, 15);
}

/// A database of the first schema, holding what that schema could hold, opens with
/// its data and every later feature works on it.
#[test]
fn a_database_of_version_1_is_upgraded_with_its_data() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tnw.db");
    SqliteStore::migrate_file_to(&path, 1).unwrap();
    assert_eq!(user_version(&path), 1);
    {
        let c = Connection::open(&path).unwrap();
        assert!(c.prepare("SELECT * FROM users").is_err(), "no users yet");
        c.execute_batch(
            "INSERT INTO orgs (id, code) VALUES (1, 'fund-m');
             INSERT INTO imports (id, org_id, source, strict, lines, imported)
             VALUES (1, 1, 'old.jsonl', 1, 2, 2);
             INSERT INTO cases (id, org_id, key, person_id, incapacity_start, scheme, region, language, condition, facts)
             VALUES (1, 1, '\"M1\"', 'P', '2023-01-01', 'employee', 'flanders', 'nl', 'mental', x'');
             INSERT INTO case_logs (case_id, org_id, events, log) VALUES
               (1, 1, 2, '[[1,\"2023-01-01\",\"00\",1,{\"type\":\"quick_scan_sent\"}],[2,\"2023-03-20\",\"00\",1,{\"type\":\"quick_scan_returned\",\"answers\":{}}]]');",
        )
        .unwrap();
    }
    let mut store = SqliteStore::open(&path).unwrap();
    assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
    let key = CaseKey::from_str_id("M1");

    // The data reads back, with the summary column a later migration filled.
    let counts = store.counts(Some("fund-m")).unwrap();
    assert_eq!((counts.cases, counts.events, counts.imports), (1, 2, 1));
    let case = store
        .load_cases("fund-m", std::slice::from_ref(&key))
        .unwrap()
        .pop()
        .flatten()
        .unwrap();
    assert_eq!(case.id, 1);
    let kinds: Vec<EventType> = case.events.iter().map(|e| e.kind).collect();
    assert_eq!(
        kinds,
        [EventType::QuickScanSent, EventType::QuickScanReturned]
    );
    let returned: Option<String> = Connection::open(&path)
        .unwrap()
        .query_row("SELECT quick_scan_returned FROM cases", [], |r| r.get(0))
        .unwrap();
    assert_eq!(returned.as_deref(), Some("2023-03-20"));

    // A user.
    let user = User {
        id: 0,
        org: "fund-m".into(),
        username: "ann".into(),
        display_name: "Ann".into(),
        role: "coordinator".into(),
        password_hash: "x".into(),
        language: "nl".into(),
        person_id: None,
        employer_id: None,
        party: None,
        active: true,
        email: Some("ann@example.org".into()),
    };
    let id = store.create_user("fund-m", &user).unwrap();
    let got = store.user_by_name("ann").unwrap().unwrap();
    assert_eq!(got, User { id, ..user });

    // The old dossier written again, with an event and an open task: the log grows and
    // the task shows on the worklist.
    let date = |d: &str| parse_date(d).unwrap();
    let write = CaseWrite {
        key: key.clone(),
        existing_id: Some(case.id),
        events: vec![StoredEvent {
            seq: 3,
            date: date("2023-04-01"),
            kind: EventType::CoordinatorContact,
            fingerprint: 3,
            body: r#"{"type":"coordinator_contact"}"#.into(),
        }],
        summary: CaseSummary {
            person_id: "P".into(),
            incapacity_start: date("2023-01-01"),
            ended: None,
            scheme: "employee".into(),
            region: "flanders".into(),
            language: "nl".into(),
            condition: "mental".into(),
            category: None,
            assignee: Some("ann".into()),
            quick_scan_returned: Some(date("2023-03-20")),
            employer_id: None,
            facts: vec![1],
        },
        tasks: vec![OpenTask {
            code: "first_contact".into(),
            actor: "coordinator".into(),
            rule: "r".into(),
            window_start: date("2023-04-01"),
            due: date("2023-05-01"),
        }],
    };
    store
        .write_cases(
            "fund-m",
            None,
            &[write],
            &[(Some(key.clone()), entry("ann", "write"))],
        )
        .unwrap();
    let q = WorklistQuery {
        actors: vec!["coordinator".into()],
        limit: 10,
        ..Default::default()
    };
    let work = store.worklist("fund-m", &q).unwrap();
    assert_eq!(work.len(), 1);
    assert_eq!(
        (&work[0].case, work[0].task.due),
        (&key, date("2023-05-01"))
    );
    assert_eq!(store.counts(None).unwrap().events, 3);

    // Audit entries, chained and verifying.
    store.append("fund-m", &[entry("ops", "admin")]).unwrap();
    store
        .read_case_audited("fund-m", &key, &mut |_| entry("ann", "read"))
        .unwrap()
        .unwrap();
    let head = verify_store(&mut store, None, 2).unwrap().unwrap();
    assert_eq!(head.count, 3);
    assert_eq!(store.audit_log("fund-m", Some(&key), 10).unwrap().len(), 2);
}

/// A database of schema 2 with a quick scan in a log gets the new summary columns
/// filled from its logs when it is opened.
#[test]
fn migration_3_backfills_the_quick_scan_date() {
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
    assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
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
fn migration_6_adds_survey_responses_to_an_existing_database() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tnw.db");
    SqliteStore::migrate_file_to(&path, 5).unwrap();
    {
        let c = Connection::open(&path).unwrap();
        c.execute_batch("INSERT INTO orgs (id, code) VALUES (1, 'fund-m');")
            .unwrap();
        let missing = c.prepare("SELECT * FROM survey_responses").is_err();
        assert!(missing, "schema 5 has no survey table yet");
    }
    let mut store = SqliteStore::open(&path).unwrap();
    assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
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
fn migration_7_chains_the_existing_audit_entries() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tnw.db");
    SqliteStore::migrate_file_to(&path, 6).unwrap();
    {
        let c = Connection::open(&path).unwrap();
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
    store
        .read_case_audited("fund-m", &CaseKey::from_str_id("M1"), &mut |_| {
            entry("cat", "read")
        })
        .unwrap()
        .unwrap();
    let head = verify_store(&mut store, None, 2).unwrap().unwrap();
    assert_eq!((head.count, head.last_id), (4, Some(5)));
    assert_eq!(store.audit_log("fund-m", None, 10).unwrap().len(), 4);
    // And the chain really protects the backfilled entries.
    Connection::open(&path)
        .unwrap()
        .execute("UPDATE audit SET username = 'eve' WHERE id = 2", [])
        .unwrap();
    assert_eq!(
        verify_store(&mut store, None, 2).unwrap(),
        Err(ChainBreak::Altered { id: 2 })
    );
}

/// The last version older programs wrote (8) moves to 13 without any change to the
/// tables: versions 9 to 13 are PostgreSQL's.
#[test]
fn a_database_of_version_8_moves_to_13() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tnw.db");
    SqliteStore::migrate_file_to(&path, 8).unwrap();
    let schema = |path: &Path| -> Vec<String> {
        Connection::open(path)
            .unwrap()
            .prepare("SELECT sql FROM sqlite_schema WHERE sql IS NOT NULL ORDER BY name")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    let before = schema(&path);
    SqliteStore::migrate_file_to(&path, 13).unwrap();
    assert_eq!(user_version(&path), 13);
    assert_eq!(schema(&path), before);
}

/// A backup of an older schema restores, and the restored database is upgraded.
#[test]
fn an_old_backup_is_restored_and_upgraded() {
    let dir = tempfile::tempdir().unwrap();
    let backup = dir.path().join("old.db");
    SqliteStore::migrate_file_to(&backup, 8).unwrap();
    {
        let c = Connection::open(&backup).unwrap();
        c.execute_batch(
            "INSERT INTO orgs (id, code) VALUES (1, 'fund-m');
             INSERT INTO cases (id, org_id, key, person_id, incapacity_start, scheme, region, language, condition, facts)
             VALUES (1, 1, '\"M1\"', 'P', '2023-01-01', 'employee', 'flanders', 'nl', 'mental', x'');",
        )
        .unwrap();
    }
    assert_eq!(tnw_storage_sqlite::check_file(&backup).unwrap(), 8);
    let target = dir.path().join("tnw.db");
    let r = tnw_storage_sqlite::restore(&backup, &target, false).unwrap();
    assert_eq!(r.backup_version, 8);
    assert_eq!(r.info.schema_version, SCHEMA_VERSION);
    assert_eq!(r.info.counts.cases, 1);
    assert_eq!(user_version(&target), SCHEMA_VERSION);
    assert_eq!(
        user_version(&backup),
        8,
        "the backup itself is left as it was"
    );
}

/// A database a newer program wrote is refused, and left as it is.
#[test]
fn a_database_of_a_newer_version_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tnw.db");
    drop(SqliteStore::open(&path).unwrap());
    let newer = SCHEMA_VERSION + 1;
    Connection::open(&path)
        .unwrap()
        .pragma_update(None, "user_version", newer)
        .unwrap();
    let too_new = |e: StorageError| {
        assert!(
            matches!(
                e,
                StorageError::TooNew { found, supported }
                    if found == newer && supported == SCHEMA_VERSION
            ),
            "{e}"
        )
    };
    too_new(SqliteStore::open(&path).err().unwrap());
    too_new(tnw_storage_sqlite::check_file(&path).unwrap_err());
    too_new(SqliteStore::migrate_file_to(&path, 13).unwrap_err());
    assert_eq!(user_version(&path), newer);
}

/// A database of schema 14 gets each dossier's employer from its log on open (the
/// opening found by its type, wherever it is in the log), and its absence list reads.
#[test]
fn migration_15_backfills_the_employer() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tnw.db");
    SqliteStore::migrate_file_to(&path, 14).unwrap();
    {
        let c = Connection::open(&path).unwrap();
        c.execute_batch(
            "INSERT INTO orgs (id, code) VALUES (1, 'fund-m');
             INSERT INTO cases (id, org_id, key, person_id, incapacity_start, scheme, region, language, condition, facts)
             VALUES (1, 1, '\"M1\"', 'P1', '2023-01-01', 'employee', 'flanders', 'nl', 'mental', x'01'),
                    (2, 1, '\"M2\"', 'P2', '2023-01-01', 'self_employed', 'flanders', 'nl', 'mental', x'02'),
                    (3, 1, '\"M3\"', 'P3', '2023-01-01', 'employee', 'flanders', 'nl', 'mental', x'03');
             INSERT INTO case_logs (case_id, org_id, events, log) VALUES
               (1, 1, 1, '[[1,\"2023-01-01\",\"00\",0,{\"type\":\"case_opened\",\"employer\":{\"id\":\"E1\",\"name\":\"Acme\"}}]]'),
               (2, 1, 1, '[[1,\"2023-01-01\",\"00\",0,{\"type\":\"case_opened\",\"employer\":null}]]'),
               (3, 1, 2, '[[1,\"2023-01-01\",\"00\",0,{\"type\":\"quick_scan_sent\"}],[2,\"2023-01-01\",\"00\",0,{\"type\":\"case_opened\",\"employer\":{\"id\":\"E1\",\"name\":\"Acme\"}}]]');",
        )
        .unwrap();
    }
    let mut store = SqliteStore::open(&path).unwrap();
    assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
    let c = Connection::open(&path).unwrap();
    let employers: Vec<Option<String>> = c
        .prepare("SELECT employer_id FROM cases ORDER BY id")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(employers, [Some("E1".into()), None, Some("E1".into())]);
    let q = AbsenceQuery {
        employer_id: "E1".into(),
        started_by: parse_date("2023-03-01").unwrap(),
        absent_on: parse_date("2023-02-01").unwrap(),
    };
    let rows = store
        .employer_absences("fund-m", &q, &mut |_| entry("employer", "read"))
        .unwrap();
    let keys: Vec<String> = rows.iter().map(|r| r.case.to_string()).collect();
    assert_eq!(keys, ["M1", "M3"]);
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
        assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
    }
}
