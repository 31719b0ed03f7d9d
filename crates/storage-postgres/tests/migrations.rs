//! The schema's migrations on a real cluster: the shared numbering, upgrades from the
//! oldest schema and from the old PostgreSQL-only numbering, the audit chain's
//! backfill, newer schemas refused, several instances migrating at once, replicas.

use postgres::{Client, NoTls};
use tnw_domain::date::parse_date;
use tnw_domain::event::EventType;
use tnw_domain::CaseKey;
use tnw_storage::chain::verify_store;
use tnw_storage::prelude::*;
use tnw_storage::{
    AbsenceQuery, AuditEntry, CaseWrite, StorageError, StoredEvent, SurveyResponse, User,
    WorklistQuery,
};
use tnw_storage_postgres::{testing, PgStore, SCHEMA_VERSION};

/// The shared numbering (both backends), as file names.
const SHARED: [&str; 15] = [
    "0001_init.sql",
    "0002_access.sql",
    "0003_caseload.sql",
    "0004_outbox.sql",
    "0005_drafts.sql",
    "0006_surveys.sql",
    "0007_audit_chain.sql",
    "0008_worklist_covering.sql",
    "0009_import_speed.sql",
    "0010_import_keys.sql",
    "0011_audited_calls.sql",
    "0012_audit_keys.sql",
    "0013_worklist_columns.sql",
    "0014_account_party.sql",
    "0015_employer_absences.sql",
];

/// The old numbering's versions 1–7 under the shared one.
const OLD_TO_NEW: [i64; 7] = [6, 7, 9, 10, 11, 12, 13];

fn fresh() -> (std::sync::Arc<testing::PgCluster>, String) {
    let cluster = testing::shared().unwrap();
    let url = cluster.fresh_database().unwrap();
    (cluster, url)
}

fn client(url: &str) -> Client {
    Client::connect(url, NoTls).unwrap()
}

/// `schema_migrations` as (version, name).
fn recorded(url: &str) -> Vec<(i32, Option<String>)> {
    client(url)
        .query(
            "SELECT version, name FROM schema_migrations ORDER BY version",
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect()
}

/// What a fully migrated database records: every version with its name.
fn all_recorded() -> Vec<(i32, Option<String>)> {
    SHARED
        .iter()
        .enumerate()
        .map(|(i, f)| (i as i32 + 1, Some(f[5..f.len() - 4].to_owned())))
        .collect()
}

/// Rewrites `schema_migrations` as a program of the old numbering left it: no `name`
/// column, rows 1..=`old`.
fn to_old_numbering(url: &str, old: i32) {
    let mut c = client(url);
    c.batch_execute(
        "ALTER TABLE schema_migrations DROP COLUMN name;
         DELETE FROM schema_migrations;",
    )
    .unwrap();
    for v in 1..=old {
        c.execute(
            "INSERT INTO schema_migrations (version, applied_at)
             VALUES ($1, '2024-01-01T00:00:00Z'::timestamptz + $1::int * interval '1 day')",
            &[&v],
        )
        .unwrap();
    }
}

fn entry(username: &str, action: &str) -> AuditEntry {
    AuditEntry {
        username: username.into(),
        role: "admin".into(),
        action: action.into(),
        what: "account".into(),
        purpose: "administration".into(),
    }
}

fn opened(seq: u32, date: &str) -> StoredEvent {
    StoredEvent {
        seq,
        date: parse_date(date).unwrap(),
        kind: EventType::CaseOpened,
        fingerprint: u64::MAX - u64::from(seq),
        body: r#"{"type":"case_opened","note":"é"}"#.into(),
    }
}

#[test]
fn the_migrations_folder_holds_the_shared_numbering() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations");
    let mut files: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    files.sort();
    assert_eq!(files, SHARED);
    assert_eq!(SCHEMA_VERSION, 15);
}

/// Instances starting together on an empty database: one migrates, the others wait
/// for it under the advisory lock and find nothing left to do.
#[test]
fn instances_connecting_at_once_migrate_once() {
    let (_cluster, url) = fresh();
    let starters: Vec<_> = (0..4)
        .map(|_| {
            let url = url.clone();
            std::thread::spawn(move || PgStore::connect(&url).map(|_| ()))
        })
        .collect();
    for s in starters {
        s.join().unwrap().unwrap();
    }
    assert_eq!(recorded(&url), all_recorded());
}

#[test]
fn a_newer_schema_is_refused() {
    let (_cluster, url) = fresh();
    drop(PgStore::connect(&url).unwrap());
    client(&url)
        .execute(
            "INSERT INTO schema_migrations (version, name) VALUES ($1, 'future')",
            &[&(SCHEMA_VERSION as i32 + 1)],
        )
        .unwrap();
    match PgStore::connect(&url) {
        Err(StorageError::TooNew { found, supported }) => {
            assert_eq!((found, supported), (SCHEMA_VERSION + 1, SCHEMA_VERSION));
        }
        Err(e) => panic!("wrong error: {e}"),
        Ok(_) => panic!("a database of a newer schema was opened"),
    }
    assert_eq!(
        recorded(&url).len() as i64,
        SCHEMA_VERSION + 1,
        "left as it was"
    );
}

#[test]
fn migrating_step_by_step_reaches_the_current_schema() {
    let (_cluster, url) = fresh();
    PgStore::migrate_to(&url, 0).unwrap();
    assert!(recorded(&url).is_empty());
    for v in 1..=SCHEMA_VERSION {
        PgStore::migrate_to(&url, v).unwrap();
        assert_eq!(recorded(&url).len() as i64, v, "at version {v}");
    }
    let mut store = PgStore::connect(&url).unwrap();
    assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
    assert_eq!(recorded(&url), all_recorded());
}

fn account_entry(n: usize) -> AuditEntry {
    entry(&format!("u{n}"), "admin")
}

/// Entries written before the chain existed are chained by migration 7, and an entry
/// altered afterwards is named.
#[test]
fn migration_7_chains_existing_entries_and_tampering_is_found() {
    let (_cluster, url) = fresh();
    PgStore::migrate_to(&url, 6).unwrap();
    client(&url)
        .batch_execute(
            "INSERT INTO orgs (code) VALUES ('fund-m');
             INSERT INTO audit (org_id, username, role, action, what, purpose)
             SELECT o.id, 'u' || g, 'admin', 'admin', 'account', 'administration'
             FROM orgs o, generate_series(1, 5) g WHERE o.code = 'fund-m';",
        )
        .unwrap();
    let mut s = PgStore::connect(&url).unwrap();
    s.write_cases("fund-m", None, &[], &[(None, account_entry(9))])
        .unwrap();
    let head = verify_store(&mut s, None, 2).unwrap().unwrap();
    assert_eq!(head.count, 6);
    client(&url)
        .execute("UPDATE audit SET what = 'nothing' WHERE id = 3", &[])
        .unwrap();
    let broken = verify_store(&mut s, None, 2).unwrap().unwrap_err();
    assert!(format!("{broken:?}").contains('3'), "{broken:?}");
}

/// The oldest schema (version 1) with data of every kind it holds, written as a
/// program of that time would have: everything reads back once opened, the later
/// features work on it, and the entries from before the chain verify.
#[test]
fn a_database_at_version_1_upgrades_with_its_data() {
    let (_cluster, url) = fresh();
    PgStore::migrate_to(&url, 1).unwrap();
    let key = CaseKey::from_str_id("C1");
    let events = vec![opened(1, "2023-01-01"), opened(2, "2023-01-03")];
    let mut log = String::from("[");
    tnw_storage::log::write_entries(&mut log, &events, 0);
    log.push(']');
    let mut c = client(&url);
    c.batch_execute("INSERT INTO orgs (code) VALUES ('fund-1')")
        .unwrap();
    c.execute(
        "INSERT INTO cases (org_id, key, person_id, incapacity_start, scheme, region,
                            language, condition, category, facts, assignee)
         SELECT id, $1, 'P1', '2023-01-01', 'employee', 'wallonia', 'fr',
                'musculoskeletal', 2, '\\x00ff07'::bytea, 'coach-a'
         FROM orgs",
        &[&key.token()],
    )
    .unwrap();
    c.execute(
        "INSERT INTO case_logs (case_id, org_id, events, log)
         SELECT id, org_id, 2, $1 FROM cases",
        &[&log],
    )
    .unwrap();
    c.batch_execute(
        "INSERT INTO tasks (case_id, org_id, code, actor, rule, window_start, due)
         SELECT id, org_id, 'first_contact', 'coordinator', 'R6', '2023-01-01', '2023-02-01'
         FROM cases;
         INSERT INTO users (org_id, username, display_name, role, password_hash, email)
         SELECT id, 'ann', 'Ann', 'coordinator', 'hash', 'ann@fund.example' FROM orgs;
         INSERT INTO sessions (token_hash, user_id, csrf, created_at, last_seen, expires_at)
         SELECT '\\x0102'::bytea, id, 'csrf', 100, 100, 10000 FROM users;
         INSERT INTO audit (org_id, username, role, action, case_id, what, purpose)
         SELECT org_id, 'ann', 'coordinator', 'read', id, 'dossier', 'coaching' FROM cases;
         INSERT INTO audit (org_id, username, role, action, what, purpose)
         SELECT id, 'admin', 'admin', 'admin', 'account', 'administration' FROM orgs;
         INSERT INTO outbox (org_id, dedup_key, recipient, subject, body, created_at,
                             next_attempt_at)
         SELECT id, 'reminder-1', 'ann@fund.example', 'reminder', 'body', 50, 50 FROM orgs;
         INSERT INTO drafts (org_id, case_key, instrument, answers, updated_at)
         SELECT org_id, key, 'ssq', '{\"q1\":2}', 60 FROM cases;
         INSERT INTO survey_responses (org_id, instrument, respondent, answers)
         SELECT id, 'exp-v1', 'r1', '{\"a\":1}' FROM orgs;",
    )
    .unwrap();

    let mut s = PgStore::connect(&url).unwrap();
    assert_eq!(s.schema_version().unwrap(), SCHEMA_VERSION);
    assert_eq!(recorded(&url), all_recorded());

    // What version 1 held reads back.
    let stored = s.load_cases("fund-1", std::slice::from_ref(&key)).unwrap()[0]
        .clone()
        .expect("the dossier");
    assert_eq!(stored.events, events);
    let ann = s.user_by_name("ann").unwrap().expect("the user");
    assert_eq!(ann.email.as_deref(), Some("ann@fund.example"));
    let session = s.touch_session(&[1, 2], 120).unwrap().expect("the session");
    assert_eq!(session.user.username, "ann");
    assert_eq!(
        s.load_draft("fund-1", &key, "ssq").unwrap().as_deref(),
        Some(r#"{"q1":2}"#)
    );
    let claimed = s.claim_messages(100, 60, 10).unwrap();
    assert_eq!(claimed.len(), 1);
    assert_eq!(claimed[0].dedup_key, "reminder-1");
    assert_eq!(
        s.survey_responses("fund-1", "exp-v1").unwrap(),
        vec![SurveyResponse {
            respondent: "r1".into(),
            answers: r#"{"a":1}"#.into()
        }]
    );

    // The worklist reads the dossier's columns copied onto its task (migration 13).
    let q = WorklistQuery {
        actors: vec!["coordinator".into()],
        limit: 10,
        ..Default::default()
    };
    let work = s.worklist("fund-1", &q).unwrap();
    assert_eq!(work.len(), 1);
    assert_eq!(
        (
            work[0].case.clone(),
            work[0].region.as_str(),
            work[0].category
        ),
        (key.clone(), "wallonia", Some(2))
    );

    // Later features: the entries from before the chain were chained (migration 7),
    // new ones continue it, through the server functions (migration 11).
    let head = verify_store(&mut s, None, 10).unwrap().unwrap();
    assert_eq!(head.count, 2);
    let user = User {
        id: 0,
        org: "fund-1".into(),
        username: "bob".into(),
        display_name: "Bob".into(),
        role: "coordinator".into(),
        password_hash: "hash".into(),
        language: "nl".into(),
        person_id: None,
        employer_id: None,
        party: None,
        active: true,
        email: None,
    };
    s.create_user("fund-1", &user).unwrap();
    s.append("fund-1", &[entry("admin", "admin")]).unwrap();
    let more = CaseWrite {
        key: key.clone(),
        existing_id: Some(stored.id),
        events: vec![opened(3, "2023-01-05")],
        summary: tnw_storage::CaseSummary {
            person_id: "P1".into(),
            incapacity_start: parse_date("2023-01-01").unwrap(),
            ended: None,
            scheme: "employee".into(),
            region: "flanders".into(),
            language: "fr".into(),
            condition: "musculoskeletal".into(),
            category: Some(2),
            assignee: Some("coach-a".into()),
            quick_scan_returned: None,
            employer_id: None,
            facts: vec![0, 255, 7],
        },
        tasks: Vec::new(),
    };
    s.write_cases(
        "fund-1",
        None,
        &[more],
        &[(Some(key.clone()), entry("ann", "write"))],
    )
    .unwrap();
    s.read_case_audited("fund-1", &key, &mut |_| entry("ann", "read"))
        .unwrap()
        .expect("the dossier");
    let head = verify_store(&mut s, None, 10).unwrap().unwrap();
    assert_eq!(head.count, 5);
    assert_eq!(s.users("fund-1").unwrap().len(), 2);
    assert_eq!(s.counts(Some("fund-1")).unwrap().events, 3);
    assert!(
        s.worklist("fund-1", &q).unwrap().is_empty(),
        "tasks replaced"
    );
}

/// A database an older program migrated, under the old numbering, to its version 2
/// (the audit chain): translated to version 7 once, then migrated on to the current
/// version, with the times the old migrations were applied kept; its chain verifies;
/// older programs (which support 7) now find a newer version and refuse it.
#[test]
fn the_old_numbering_is_translated_once() {
    let (_cluster, url) = fresh();
    PgStore::migrate_to(&url, 6).unwrap();
    client(&url)
        .batch_execute(
            "INSERT INTO orgs (code) VALUES ('fund-o');
             INSERT INTO audit (org_id, username, role, action, what, purpose)
             SELECT o.id, 'u' || g, 'admin', 'admin', 'account', 'administration'
             FROM orgs o, generate_series(1, 3) g;",
        )
        .unwrap();
    PgStore::migrate_to(&url, 7).unwrap();
    to_old_numbering(&url, 2);

    // Instances starting together: one translates, the others find it done.
    let starters: Vec<_> = (0..3)
        .map(|_| {
            let url = url.clone();
            std::thread::spawn(move || PgStore::connect(&url).map(|_| ()))
        })
        .collect();
    for s in starters {
        s.join().unwrap().unwrap();
    }
    assert_eq!(recorded(&url), all_recorded());
    let days: Vec<(i32, Option<String>)> = client(&url)
        .query(
            "SELECT version, CASE WHEN applied_at < '2025-01-01' THEN to_char(applied_at
                     AT TIME ZONE 'UTC', 'YYYY-MM-DD') END
             FROM schema_migrations ORDER BY version",
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect();
    let day = |d: &str| Some(d.to_owned());
    let mut want: Vec<(i32, Option<String>)> = (1..=6).map(|v| (v, day("2024-01-02"))).collect();
    want.push((7, day("2024-01-03")));
    want.extend((8..=SCHEMA_VERSION as i32).map(|v| (v, None)));
    assert_eq!(days, want, "versions 1-7 keep when the old migrations ran");

    let max: i32 = client(&url)
        .query_one("SELECT max(version) FROM schema_migrations", &[])
        .unwrap()
        .get(0);
    assert!(max > 7, "what an older program reads: newer than its 7");

    let mut s = PgStore::connect(&url).unwrap();
    s.append("fund-o", &[entry("admin", "admin")]).unwrap();
    let head = verify_store(&mut s, None, 2).unwrap().unwrap();
    assert_eq!(head.count, 4);
    assert_eq!(recorded(&url), all_recorded(), "translated once");
}

/// Every version of the old numbering translates to the version of its migration under
/// the shared one, and the database then migrates on and works.
#[test]
fn every_old_version_translates() {
    let cluster = testing::shared().unwrap();
    for (i, new) in OLD_TO_NEW.iter().enumerate() {
        let old = i as i32 + 1;
        let url = cluster.fresh_database().unwrap();
        PgStore::migrate_to(&url, *new).unwrap();
        to_old_numbering(&url, old);
        // Translated, nothing applied yet.
        PgStore::migrate_to(&url, 0).unwrap();
        let translated: Vec<_> = all_recorded().into_iter().take(*new as usize).collect();
        assert_eq!(recorded(&url), translated, "old version {old}");
        let mut s = PgStore::connect(&url).unwrap();
        assert_eq!(
            s.schema_version().unwrap(),
            SCHEMA_VERSION,
            "old version {old}"
        );
        assert_eq!(recorded(&url), all_recorded(), "old version {old}");
        let functions: i64 = client(&url)
            .query_one(
                "SELECT count(*) FROM pg_proc
                 WHERE proname IN ('tnw_audit_append', 'tnw_write_case', 'tnw_read_audited')",
                &[],
            )
            .unwrap()
            .get(0);
        assert_eq!(functions, 3, "old version {old}: the server functions");
        tnw_storage_conformance::write_and_load(&mut s);
        s.append("fund-a", &[entry("admin", "admin")]).unwrap();
        assert!(verify_store(&mut s, None, 10).unwrap().is_ok());
    }
}

/// A database of schema 14 gets each dossier's employer from its log on connect (the
/// opening found by its type, wherever it is in the log), and its absence list reads.
#[test]
fn migration_15_backfills_the_employer() {
    let (_cluster, url) = fresh();
    PgStore::migrate_to(&url, 14).unwrap();
    let opening =
        |employer: &str| format!(r#"{{"type":"case_opened","employer":{employer},"note":"é"}}"#);
    let logs = [
        format!(
            r#"[[1,"2023-01-01","00",0,{}]]"#,
            opening(r#"{"id":"E1","name":"Acme"}"#)
        ),
        format!(r#"[[1,"2023-01-01","00",0,{}]]"#, opening("null")),
        format!(
            r#"[[1,"2023-01-01","00",0,{{"type":"quick_scan_sent"}}],[2,"2023-01-01","00",0,{}]]"#,
            opening(r#"{"id":"E1","name":"Acme"}"#)
        ),
    ];
    let mut c = client(&url);
    c.batch_execute("INSERT INTO orgs (code) VALUES ('fund-m')")
        .unwrap();
    for (i, log) in logs.iter().enumerate() {
        let key = CaseKey::from_str_id(&format!("M{}", i + 1));
        let scheme = if i == 1 { "self_employed" } else { "employee" };
        c.execute(
            "WITH c AS (
                 INSERT INTO cases (org_id, key, person_id, incapacity_start, scheme, region,
                                    language, condition, facts)
                 SELECT id, $1, 'P', '2023-01-01', $2, 'flanders', 'nl', 'mental', '\\x01'::bytea
                 FROM orgs RETURNING id, org_id)
             INSERT INTO case_logs (case_id, org_id, events, log)
             SELECT id, org_id, 1, $3 FROM c",
            &[&key.token(), &scheme, log],
        )
        .unwrap();
    }
    let mut s = PgStore::connect(&url).unwrap();
    assert_eq!(s.schema_version().unwrap(), SCHEMA_VERSION);
    let employers: Vec<Option<String>> = client(&url)
        .query("SELECT employer_id FROM cases ORDER BY id", &[])
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(employers, [Some("E1".into()), None, Some("E1".into())]);
    let q = AbsenceQuery {
        employer_id: "E1".into(),
        started_by: parse_date("2023-03-01").unwrap(),
        absent_on: parse_date("2023-02-01").unwrap(),
    };
    let rows = s
        .employer_absences("fund-m", &q, &mut |_| entry("employer", "read"))
        .unwrap();
    let keys: Vec<String> = rows.iter().map(|r| r.case.to_string()).collect();
    assert_eq!(keys, ["M1", "M3"]);
    assert!(rows[1].opened.contains("\"E1\""), "{}", rows[1].opened);
}

/// A table of the old form recording a version no program of the old numbering had is
/// refused, not guessed at.
#[test]
fn an_unknown_old_version_is_refused() {
    let (_cluster, url) = fresh();
    PgStore::migrate_to(&url, 14).unwrap();
    to_old_numbering(&url, 8);
    match PgStore::connect(&url) {
        Err(StorageError::Corrupt(m)) => assert!(m.contains("version 8"), "{m}"),
        Err(e) => panic!("wrong error: {e}"),
        Ok(_) => panic!("an unknown old version was opened"),
    }
    let left: i64 = client(&url)
        .query_one("SELECT count(*) FROM schema_migrations", &[])
        .unwrap()
        .get(0);
    assert_eq!(left, 8, "left as it was");
}

/// A read replica of a migrated primary opens; one whose schema is not this program's
/// is refused. On a cluster of its own: the base backup copies a whole cluster.
#[test]
fn a_replica_opens_only_at_this_schema_version() {
    let primary = testing::PgCluster::start().unwrap();
    let current = primary.fresh_database().unwrap();
    let older = primary.fresh_database().unwrap();
    let mut p = PgStore::connect(&current).unwrap();
    p.append("fund-r", &[entry("admin", "admin")]).unwrap();
    PgStore::migrate_to(&older, 12).unwrap();
    let replica = primary.start_replica().unwrap();
    let on_replica = |url: &str| {
        url.replace(
            &format!(":{}/", primary.port()),
            &format!(":{}/", replica.port()),
        )
    };
    let mut r = PgStore::connect_replica(&on_replica(&current)).unwrap();
    assert_eq!(r.schema_version().unwrap(), SCHEMA_VERSION);
    assert_eq!(r.audit_log("fund-r", None, 10).unwrap().len(), 1);
    match PgStore::connect_replica(&on_replica(&older)) {
        Err(StorageError::Invalid(m)) => assert!(m.contains("version 12"), "{m}"),
        Err(e) => panic!("wrong error: {e}"),
        Ok(_) => panic!("a replica of another schema was opened"),
    }
}
