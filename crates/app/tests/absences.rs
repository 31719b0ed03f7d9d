//! The employer's monthly list of absent workers, through the application on a real
//! SQLite file and a real PostgreSQL database: who is on a month's list (the 28-day
//! boundary, ends before and within the month, starts after it, part-time and
//! full-time returns, other employers and funds), that only the employer reads it,
//! that each read is audited, and that it carries nothing else of the dossiers.

use std::path::PathBuf;
use tnw_app::access::{Principal, Refusal, Role};
use tnw_app::dossier::DossierError;
use tnw_app::import::{import_events, ImportOptions};
use tnw_app::{App, Connection, Connections, Opener};
use tnw_domain::absence::Month;
use tnw_domain::date::parse_date;
use tnw_domain::{Date, RuleBook};
use tnw_storage::StorageError;
use tnw_storage_postgres::PgStore;
use tnw_storage_sqlite::SqliteStore;
use tnw_testkit::{on_both_backends, Backend, FreshDb};

fn d(s: &str) -> Date {
    parse_date(s).unwrap()
}

fn month(s: &str) -> Month {
    Month::parse(s).unwrap()
}

/// The application over `db`, as the server opens it: connections on demand.
fn app(db: &FreshDb) -> App {
    let address = db.address();
    let open: Opener = match db.backend() {
        Backend::Sqlite => {
            let path = PathBuf::from(address);
            Box::new(move || -> Result<Connection, StorageError> {
                Ok(Box::new(SqliteStore::open(&path)?))
            })
        }
        Backend::Postgres => Box::new(move || -> Result<Connection, StorageError> {
            Ok(Box::new(PgStore::connect(&address)?))
        }),
    };
    App::new(
        Connections::opened_by(open).unwrap(),
        RuleBook::builtin().unwrap(),
    )
}

fn principal(role: Role, employer: Option<&str>) -> Principal {
    Principal {
        username: format!("{}-user", role.as_str()),
        org: "fund-a".into(),
        role,
        person_id: (role == Role::Member).then(|| "P-ON".to_owned()),
        employer_id: employer.map(str::to_owned),
        party: None,
    }
}

fn opened(case: &str, name: &str, scheme: &str, employer: &str, start: &str) -> String {
    let employer = if employer.is_empty() {
        "null".to_owned()
    } else {
        format!(r#"{{"id":"{employer}","name":"Bakkerij Claes BV"}}"#)
    };
    format!(
        r#"{{"case":"{case}","type":"case_opened","date":"{start}","person":{{"id":"P-{case}","name":"{name}","birth_date":"1980-05-06","sex":"f","language":"nl","region":"flanders"}},"scheme":"{scheme}","employer":{employer},"regime":"full_time","work_type":"manual","sector":"C","condition":"mental","incapacity_start":"{start}"}}"#
    )
}

fn ev(case: &str, date: &str, rest: &str) -> String {
    format!(r#"{{"case":"{case}","date":"{date}","type":{rest}}}"#)
}

fn resumed(extent: &str, percent: u8) -> String {
    format!(
        r#""work_resumed","extent":"{extent}","percent":{percent},"same_employer":true,"same_job":true,"adaptations":false"#
    )
}

/// Employer E1's workers in fund A (and one of E1's in fund B), each a boundary of
/// the March 2026 list; the events of some also reach into May.
fn fill(app_db: &FreshDb) {
    let mut store = app_db.open();
    let book = RuleBook::builtin().unwrap();
    let a = [
        opened("ON", "An On", "employee", "E1", "2026-01-05"),
        ev("ON", "2026-03-10", r#""quick_scan_sent""#),
        ev("ON", "2026-04-10", r#""capacity_assessed","category":3"#),
        opened("EXACT", "Bo Exact", "employee", "E1", "2026-03-04"),
        opened("SHORT", "Cas Short", "employee", "E1", "2026-03-05"),
        opened("BEFORE", "Dirk Before", "employee", "E1", "2026-01-05"),
        ev("BEFORE", "2026-02-20", &resumed("full_time", 100)),
        ev("BEFORE", "2026-02-20", r#""incapacity_ended""#),
        opened("FIRSTDAY", "Els Firstday", "employee", "E1", "2026-01-05"),
        ev("FIRSTDAY", "2026-03-01", r#""incapacity_ended""#),
        opened("IN", "Fien In", "employee", "E1", "2026-01-10"),
        ev("IN", "2026-03-16", r#""incapacity_ended""#),
        // Back full time without the incapacity's end recorded.
        opened("FULL", "Gert Full", "employee", "E1", "2026-01-12"),
        ev("FULL", "2026-02-27", &resumed("full_time", 100)),
        // Part time within an authorised activity: still absent, partly.
        opened("PART", "Hanne Part", "employee", "E1", "2025-11-03"),
        ev(
            "PART",
            "2026-01-30",
            r#""authorised_activity","percent":50"#,
        ),
        ev("PART", "2026-02-01", &resumed("part_time", 50)),
        opened("AFTER", "Ilse After", "employee", "E1", "2026-04-01"),
        opened("OTHER", "Jan Other", "employee", "E2", "2026-01-05"),
        opened("JOBLESS", "Kim Jobless", "unemployed", "E1", "2026-01-05"),
        opened("SELF", "Lore Self", "self_employed", "", "2026-01-05"),
        // Ends after today: as of today it still runs.
        opened("LATER", "Mia Later", "employee", "E1", "2026-04-10"),
        ev("LATER", "2026-06-01", r#""incapacity_ended""#),
    ]
    .join("\n");
    let opts = |org: &str| ImportOptions {
        org: org.into(),
        source: "test".into(),
        ..Default::default()
    };
    let report = import_events(&mut *store, &book, a.as_bytes(), &opts("fund-a"), &|_| {}).unwrap();
    assert!(report.rejected.is_empty(), "{report:?}");
    let b = opened("B-ON", "Nina Elsewhere", "employee", "E1", "2026-01-05");
    import_events(&mut *store, &book, b.as_bytes(), &opts("fund-b"), &|_| {}).unwrap();
}

/// `name since last-day` per worker listed.
fn lines(app: &App, p: &Principal, m: &str, today: &str) -> Vec<String> {
    let list = app.employer_absences(p, month(m), d(today)).unwrap();
    list.workers
        .iter()
        .map(|w| {
            let end = w.last_day.map(|l| l.to_string()).unwrap_or_default();
            format!("{} {} {end}", w.name, w.absent_since)
                .trim_end()
                .to_owned()
        })
        .collect()
}

on_both_backends!(
    sync who_is_on_the_list_of_a_month,
    sync only_the_employer_reads_its_own_list,
    sync every_read_is_audited_naming_the_dossiers_listed,
    sync the_list_carries_nothing_else_of_the_dossiers,
    sync the_demo_employer_has_workers_on_this_months_list,
);

fn who_is_on_the_list_of_a_month(backend: Backend) {
    let db = FreshDb::new(backend);
    fill(&db);
    let app = app(&db);
    let employer = principal(Role::Employer, Some("E1"));
    assert_eq!(
        lines(&app, &employer, "2026-03", "2026-05-20"),
        [
            "Hanne Part 2025-11-03",
            "An On 2026-01-05",
            "Fien In 2026-01-10 2026-03-15",
            "Bo Exact 2026-03-04",
        ],
        "by first day: 28 days on the 31st (not 27), ended in March with its last day; \
         not ended on the 1st or before, back full time, started after, other employers, \
         other schemes, another fund"
    );
    // February: absent 28 days by the 28th, or ended in it.
    assert_eq!(
        lines(&app, &employer, "2026-02", "2026-05-20"),
        [
            "Hanne Part 2025-11-03",
            "An On 2026-01-05",
            "Dirk Before 2026-01-05 2026-02-19",
            "Els Firstday 2026-01-05 2026-02-28",
            "Fien In 2026-01-10",
            "Gert Full 2026-01-12 2026-02-26",
        ],
    );
    // The month that runs counts up to today only; an end after today is not known yet.
    assert_eq!(
        lines(&app, &employer, "2026-05", "2026-05-07"),
        [
            "Hanne Part 2025-11-03",
            "An On 2026-01-05",
            "Bo Exact 2026-03-04",
            "Cas Short 2026-03-05",
            "Ilse After 2026-04-01",
            "Mia Later 2026-04-10",
        ],
    );
    assert!(
        !lines(&app, &employer, "2026-05", "2026-05-06")
            .contains(&"Mia Later 2026-04-10".to_owned()),
        "27 days on the 6th"
    );
    let list = app
        .employer_absences(&employer, month("2026-05"), d("2026-05-07"))
        .unwrap();
    assert_eq!(list.counted_until, d("2026-05-07"));
    assert_eq!(list.month, "2026-05");
    assert_eq!(list.employer, "E1");
    // A month that has not begun is refused, and one long ago lists no one.
    match app.employer_absences(&employer, month("2026-06"), d("2026-05-20")) {
        Err(DossierError::BadRequest(m)) => assert!(m.contains("2026-06"), "{m}"),
        other => panic!("a month to come: {other:?}"),
    }
    assert!(lines(&app, &employer, "2024-01", "2026-05-20").is_empty());
    // Another employer of the fund sees only its own worker.
    assert_eq!(
        lines(
            &app,
            &principal(Role::Employer, Some("E2")),
            "2026-03",
            "2026-05-20"
        ),
        ["Jan Other 2026-01-05"]
    );
}

fn only_the_employer_reads_its_own_list(backend: Backend) {
    let db = FreshDb::new(backend);
    fill(&db);
    let app = app(&db);
    for role in Role::ALL.iter().filter(|r| **r != Role::Employer) {
        // Even an account carrying the employer's id, as occupational physicians do.
        let p = principal(*role, Some("E1"));
        match app.employer_absences(&p, month("2026-03"), d("2026-05-20")) {
            Err(DossierError::Forbidden(Refusal::EmployersOnly)) => {}
            other => panic!("{}: {other:?}", role.as_str()),
        }
    }
    match app.employer_absences(
        &principal(Role::Employer, None),
        month("2026-03"),
        d("2026-05-20"),
    ) {
        Err(DossierError::Forbidden(Refusal::NoEmployer)) => {}
        other => panic!("an employer account without its employer: {other:?}"),
    }
    assert!(
        lines(
            &app,
            &principal(Role::Employer, Some("E9")),
            "2026-03",
            "2026-05-20"
        )
        .is_empty(),
        "an employer without dossiers in the fund"
    );
}

fn every_read_is_audited_naming_the_dossiers_listed(backend: Backend) {
    let db = FreshDb::new(backend);
    fill(&db);
    let app = app(&db);
    let admin = principal(Role::Admin, None);
    let log = || app.audit_log(&admin, None, 100).unwrap();
    let before = log().len();
    // Refused reads read nothing, and write nothing.
    let _ = app.employer_absences(
        &principal(Role::Coordinator, None),
        month("2026-03"),
        d("2026-05-20"),
    );
    assert_eq!(log().len(), before);
    let employer = principal(Role::Employer, Some("E1"));
    app.employer_absences(&employer, month("2026-03"), d("2026-05-20"))
        .unwrap();
    app.employer_absences(
        &principal(Role::Employer, Some("E9")),
        month("2026-03"),
        d("2026-05-20"),
    )
    .unwrap();
    let after = log();
    assert_eq!(after.len(), before + 2, "one entry per list read");
    let (empty, march) = (&after[0], &after[1]);
    assert_eq!(march.case, None);
    assert_eq!(march.entry.username, "employer-user");
    assert_eq!(march.entry.role, "employer");
    assert_eq!(march.entry.action, "read");
    assert_eq!(march.entry.purpose, "re-integration");
    assert_eq!(
        march.entry.what,
        "absence list 2026-03 of employer E1: PART, ON, IN, EXACT"
    );
    assert_eq!(
        empty.entry.what,
        "absence list 2026-03 of employer E9: none"
    );
}

fn the_list_carries_nothing_else_of_the_dossiers(backend: Backend) {
    let db = FreshDb::new(backend);
    fill(&db);
    let app = app(&db);
    let list = app
        .employer_absences(
            &principal(Role::Employer, Some("E1")),
            month("2026-03"),
            d("2026-05-20"),
        )
        .unwrap();
    let json = serde_json::to_value(&list).unwrap();
    let keys = |v: &serde_json::Value| -> Vec<String> {
        let mut k: Vec<String> = v.as_object().unwrap().keys().cloned().collect();
        k.sort();
        k
    };
    assert_eq!(
        keys(&json),
        ["counted_until", "employer", "month", "workers"]
    );
    let workers = json["workers"].as_array().unwrap();
    assert_eq!(workers.len(), 4);
    for w in workers {
        assert_eq!(keys(w), ["absent_since", "last_day", "name"], "{w}");
    }
    let text = json.to_string();
    for word in [
        "category",
        "condition",
        "mental",
        "task",
        "quick_scan",
        "P-ON",
        "\"ON\"",
        "flanders",
        "1980-05-06",
        "Bakkerij",
    ] {
        assert!(!text.contains(word), "{word} in {text}");
    }
}

fn the_demo_employer_has_workers_on_this_months_list(backend: Backend) {
    let db = FreshDb::new(backend);
    let today = d("2026-11-22");
    assert!(tnw_app::demo::seed(
        &mut *db.open(),
        &RuleBook::builtin().unwrap(),
        "demo password 1",
        20,
        today
    )
    .unwrap());
    let app = app(&db);
    let employer = Principal {
        username: "employer".into(),
        org: "fund-a".into(),
        role: Role::Employer,
        person_id: None,
        employer_id: None,
        party: tnw_domain::party::Party::parse(&format!(
            "employer:{}",
            tnw_app::demo::PARTIES[0].employer
        ))
        .ok(),
    };
    let names = |m: Month, today: Date| -> Vec<String> {
        app.employer_absences(&employer, m, today)
            .unwrap()
            .workers
            .into_iter()
            .map(|w| format!("{} {}", w.name, w.last_day.is_some()))
            .collect()
    };
    assert_eq!(
        names(Month::of(today), today),
        [
            "Nadia El Amrani false",
            "Marc Wouters false",
            "Sofie Jacobs false",
            "Camille Lambert false",
            "Tom Maes true",
            "Els Wuyts false",
            "Luc Peeters false",
        ]
    );
    let b = Principal {
        org: "fund-b".into(),
        party: tnw_domain::party::Party::parse(&format!(
            "employer:{}",
            tnw_app::demo::PARTIES[1].employer
        ))
        .ok(),
        ..employer.clone()
    };
    let list = app.employer_absences(&b, Month::of(today), today).unwrap();
    assert_eq!(list.workers.len(), 7, "fund B's demo employer too");
}
