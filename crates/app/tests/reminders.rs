//! Reminders through the outbox to a real SMTP server on loopback (a small sink that
//! speaks SMTP over TCP and keeps what it receives), on a real SQLite file.

use std::sync::{Arc, Mutex};
use tnw_app::reminders::{deliver, plan, Mailer, SmtpMailer};
use tnw_domain::{date::parse_date, RuleBook};
use tnw_storage::prelude::*;
use tnw_storage_sqlite::SqliteStore;
use tnw_testkit::Sink;

const PW: &str = "long enough password";

/// A fund with two dossiers whose first contact is overdue, assigned to `ann`; `bob`
/// has none; `doc` (advisory doctor) has no address.
fn fund(path: &std::path::Path) -> SqliteStore {
    let mut store = SqliteStore::open(path).unwrap();
    fund_into(&mut store);
    store
}

fn fund_into(store: &mut dyn Store) {
    let book = RuleBook::builtin().unwrap();
    let mut lines = Vec::new();
    for c in ["K1", "K2"] {
        lines.push(format!(r#"{{"case":"{c}","type":"case_opened","date":"2026-01-05","person":{{"id":"P-{c}","name":"Lotte Claes","birth_date":"1985-02-03","sex":"f","language":"nl","region":"flanders"}},"scheme":"unemployed","condition":"mental","incapacity_start":"2026-01-05"}}"#));
        lines.push(format!(r#"{{"case":"{c}","type":"referred_to_coordinator","date":"2026-03-01","initiative":"member"}}"#));
        lines.push(format!(
            r#"{{"case":"{c}","type":"case_assigned","date":"2026-03-01","to":"ann"}}"#
        ));
    }
    let opts = tnw_app::import::ImportOptions {
        org: "fund-r".into(),
        ..Default::default()
    };
    tnw_app::import::import_events(store, &book, lines.join("\n").as_bytes(), &opts, &|_| {})
        .unwrap();
    for (name, role, email) in [
        (
            "ann",
            tnw_app::access::Role::Coordinator,
            Some("ann@fund.example"),
        ),
        (
            "bob",
            tnw_app::access::Role::Coordinator,
            Some("bob@fund.example"),
        ),
        ("doc", tnw_app::access::Role::AdvisoryDoctor, None),
    ] {
        tnw_app::auth::create_user(store, "fund-r", name, name, role, PW, "fr", None, None)
            .unwrap();
        let mut u = store.user_by_name(name).unwrap().unwrap();
        u.email = email.map(str::to_owned);
        store.update_user("fund-r", &u).unwrap();
    }
}

#[test]
fn overdue_work_reaches_the_assignee_once_even_after_a_failure() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = fund(&dir.path().join("tnw.db"));
    let today = parse_date("2026-05-20").unwrap();
    assert_eq!(
        plan(&mut store, "fund-r", today, 1000).unwrap(),
        1,
        "ann only"
    );
    assert_eq!(
        plan(&mut store, "fund-r", today, 1001).unwrap(),
        0,
        "once a day"
    );
    let sink = Sink::start(1).unwrap();
    let mailer = SmtpMailer::new(
        &format!("smtp://127.0.0.1:{}", sink.port),
        "tnw@fund.example",
    )
    .unwrap();
    let first = deliver(&mut store, &mailer, 2000).unwrap();
    assert_eq!(
        (first.sent, first.failed),
        (0, 1),
        "the server said try later"
    );
    assert_eq!(
        deliver(&mut store, &mailer, 2001).unwrap().sent,
        0,
        "not before the back-off"
    );
    let second = deliver(&mut store, &mailer, 2060).unwrap();
    assert_eq!(second.sent, 1);
    let got = sink.messages();
    assert_eq!(got.len(), 1);
    let m = &got[0];
    assert!(m.contains("To: ann@fund.example"), "{m}");
    assert!(
        m.contains("Subject: tnw : 4 ") && m.contains("en retard"),
        "in the user's language: {m}"
    );
    assert!(m.contains("K1") && m.contains("first_contact"), "{m}");
    assert!(
        !m.contains("Lotte") && !m.contains("mental"),
        "no names, nothing medical: {m}"
    );
    assert!(
        m.contains("Message-ID: <reminder.fund-r.ann.2026-05-20@tnw>"),
        "{m}"
    );
    assert_eq!(
        deliver(&mut store, &mailer, 5000).unwrap().sent,
        0,
        "sent once"
    );
    // The next day brings a new reminder.
    assert_eq!(
        plan(
            &mut store,
            "fund-r",
            parse_date("2026-05-21").unwrap(),
            90_000
        )
        .unwrap(),
        1
    );
}

/// Two senders on one database (two processes, two connections) never send a message
/// twice: claiming is atomic.
#[test]
fn two_senders_share_the_work() {
    struct Counting(Mutex<Vec<String>>);
    impl Mailer for Counting {
        fn send(&self, to: &str, _: &str, _: &str, id: &str) -> Result<(), String> {
            std::thread::sleep(std::time::Duration::from_millis(2));
            self.0.lock().unwrap().push(format!("{to} {id}"));
            Ok(())
        }
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tnw.db");
    let mut store = fund(&path);
    let msgs: Vec<tnw_storage::NewMessage> = (0..200)
        .map(|i| tnw_storage::NewMessage {
            dedup_key: format!("k{i}"),
            recipient: format!("u{i}@fund.example"),
            subject: "s".into(),
            body: "b".into(),
        })
        .collect();
    assert_eq!(store.enqueue("fund-r", &msgs, 10).unwrap(), 200);
    let mailer = Arc::new(Counting(Mutex::new(Vec::new())));
    let handles: Vec<_> = (0..2)
        .map(|_| {
            let (path, mailer) = (path.clone(), mailer.clone());
            std::thread::spawn(move || {
                let mut s = SqliteStore::open(&path).unwrap();
                deliver(&mut s, mailer.as_ref(), 20).unwrap().sent
            })
        })
        .collect();
    let sent: u64 = handles.into_iter().map(|h| h.join().unwrap()).sum();
    assert_eq!(sent, 200);
    let mut ids = mailer.0.lock().unwrap().clone();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 200, "no message sent twice");
}

#[test]
fn smtp_urls() {
    use tnw_app::reminders::parse_smtp_url;
    assert_eq!(
        parse_smtp_url("smtp://mail.fund.example").unwrap(),
        ("mail.fund.example".into(), 25)
    );
    assert_eq!(
        parse_smtp_url("smtp://127.0.0.1:2525/").unwrap(),
        ("127.0.0.1".into(), 2525)
    );
    for bad in [
        "http://x",
        "smtp://",
        "smtp://host:port",
        "smtp://user@host",
    ] {
        assert!(parse_smtp_url(bad).is_err(), "{bad}");
    }
}

/// Four app instances on one PostgreSQL database, each planning and sending every day
/// at the same moments: each day's reminder reaches the SMTP server exactly once
/// (planning deduplicates, sending claims with SKIP LOCKED).
#[test]
fn instances_on_postgresql_plan_and_send_each_reminder_once() {
    use tnw_storage_postgres::{testing, PgStore};
    let cluster = testing::shared().unwrap();
    let url = cluster.fresh_database().unwrap();
    fund_into(&mut PgStore::connect(&url).unwrap());
    let sink = Sink::start(0).unwrap();
    let days = ["2026-05-20", "2026-05-21", "2026-05-22"];
    let barrier = Arc::new(std::sync::Barrier::new(4));
    let handles: Vec<_> = (0..4)
        .map(|_| {
            let (url, barrier) = (url.clone(), barrier.clone());
            let smtp = format!("smtp://127.0.0.1:{}", sink.port);
            std::thread::spawn(move || {
                let mut s = PgStore::connect(&url).unwrap();
                let mailer = SmtpMailer::new(&smtp, "tnw@fund.example").unwrap();
                let mut sent = 0;
                for (i, day) in days.iter().enumerate() {
                    let now = 100_000 * (i as i64 + 1);
                    barrier.wait();
                    plan(&mut s, "fund-r", parse_date(day).unwrap(), now).unwrap();
                    barrier.wait();
                    sent += deliver(&mut s, &mailer, now + 10).unwrap().sent;
                }
                sent
            })
        })
        .collect();
    let sent: u64 = handles.into_iter().map(|h| h.join().unwrap()).sum();
    let got = sink.messages();
    assert_eq!((sent, got.len()), (3, 3), "one reminder a day, sent once");
    for day in days {
        let id = format!("Message-ID: <reminder.fund-r.ann.{day}@tnw>");
        assert_eq!(got.iter().filter(|m| m.contains(&id)).count(), 1, "{id}");
    }
}
