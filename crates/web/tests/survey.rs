//! The survey report page and its downloads on a real server over a real SQLite file
//! and over a PostgreSQL database: the fund's staff see the counts, analysts see `<5`,
//! other roles nothing.

mod common;

use tnw_testkit::on_both_backends;

use common::{Backend, Db, Server};
use reqwest::StatusCode;
use tnw_app::access::Role;
use tnw_domain::RuleBook;

const PW: &str = "correct horse battery";

async fn start(backend: Backend) -> Server {
    let db = Db::new(backend);
    db.with_store(|store| {
        // 7 never coached (a count of 5 or more), 3 coached (fewer than 5).
        let mut csv = String::from("respondent,coached,helped,sex\n");
        for k in 0..7 {
            csv.push_str(&format!("N{k},never,,f\n"));
        }
        for k in 0..3 {
            csv.push_str(&format!("C{k},ongoing,4,m\n"));
        }
        tnw_app::survey::import(store, "fund-a", csv.as_bytes()).unwrap();
        tnw_app::survey::import(store, "fund-b", b"respondent,coached\nB1,referred\n").unwrap();
        for role in [
            Role::Admin,
            Role::Analyst,
            Role::Coordinator,
            Role::Employer,
        ] {
            tnw_app::auth::create_user(
                store,
                "fund-a",
                role.as_str(),
                role.as_str(),
                role,
                PW,
                "en",
                None,
                (role == Role::Employer).then_some("E1"),
            )
            .unwrap();
        }
    });
    Server::start(db, None).await
}

on_both_backends!(survey_page_and_exports_with_suppression_for_analysts);
on_both_backends!(sync the_demo_seeds_survey_responses_per_fund);

async fn survey_page_and_exports_with_suppression_for_analysts(backend: Backend) {
    let s = start(backend).await;
    let admin = s.login_as("admin", PW).await;
    let (st, reports) = s.get(&admin, "/reports").await;
    assert_eq!(st, StatusCode::OK);
    assert!(
        reports.contains("href=\"/reports/survey\""),
        "linked from /reports"
    );
    let (st, page) = s.get(&admin, "/reports/survey").await;
    assert_eq!(st, StatusCode::OK);
    assert!(page.contains("<h1>Experience survey</h1>"), "{page}");
    assert!(
        page.contains("id=\"survey-respondents\">10<"),
        "only fund-a's ten"
    );
    assert!(page.contains("<svg") && page.contains("id=\"survey-coached\""));
    // Staff see exact counts: 3 coached of 10.
    assert!(
        page.contains(
            "<td>coaching ongoing <code>ongoing</code></td><td>3</td><td>10</td><td>30.0</td>"
        ),
        "{page}"
    );
    assert!(!page.contains("&#60;5") && !page.contains("id=\"aggregate-note\""));
    let (st, csv) = s.get(&admin, "/reports/survey.csv").await;
    assert_eq!(st, StatusCode::OK);
    assert!(csv.starts_with("question,option,n,base,percent\n"), "{csv}");
    assert!(csv.contains("\ncoached,ongoing,3,10,30.0\n"), "{csv}");
    assert!(csv.contains("\nhelped,agree,3,3,100.0\n"), "{csv}");
    // The page in French: question texts from the instrument, page texts from i18n.
    let r = s
        .client
        .get(format!("{}/reports/survey", s.base))
        .header("cookie", &admin)
        .header("cookie", "tnw_lang=fr")
        .send()
        .await
        .unwrap();
    let fr = r.text().await.unwrap();
    assert!(
        fr.contains("<html lang=\"fr\">") && fr.contains("Répondants"),
        "{fr}"
    );
    assert!(fr.contains("jamais accompagné"), "option labels in French");

    let analyst = s.login_as("analyst", PW).await;
    let (st, page) = s.get(&analyst, "/reports/survey").await;
    assert_eq!(st, StatusCode::OK);
    assert!(page.contains("id=\"aggregate-note\""));
    assert!(
        page.contains(
            "<td>coaching ongoing <code>ongoing</code></td><td>&#60;5</td><td>10</td><td></td>"
        ),
        "{page}"
    );
    assert!(
        page.contains(
            "<td>never coached <code>never</code></td><td>7</td><td>10</td><td>70.0</td>"
        ),
        "{page}"
    );
    let (_, csv) = s.get(&analyst, "/reports/survey.csv").await;
    assert!(csv.contains("\ncoached,ongoing,<5,10,\n"), "{csv}");
    assert!(csv.contains("\ncoached,never,7,10,70.0\n"), "{csv}");
    assert!(csv.contains("\nhelped,agree,<5,<5,\n"), "{csv}");
    assert!(
        csv.lines().all(|l| l
            .split(',')
            .skip(2)
            .all(|c| !matches!(c, "1" | "2" | "3" | "4"))),
        "no count from 1 to 4 leaks: {csv}"
    );
    let r = s
        .client
        .get(format!("{}/reports/survey.xlsx", s.base))
        .header("cookie", &analyst)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(&r.bytes().await.unwrap()[..2], b"PK");

    let coordinator = s.login_as("coordinator", PW).await;
    assert_eq!(
        s.get(&coordinator, "/reports/survey").await.0,
        StatusCode::OK
    );
    let employer = s.login_as("employer", PW).await;
    assert_eq!(
        s.get(&employer, "/reports/survey").await.0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        s.get(&employer, "/reports/survey.csv").await.0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        s.get(&admin, "/reports/survey.pdf").await.0,
        StatusCode::NOT_FOUND
    );
    // Downloads are in the fund's audit log.
    let (_, log) = s.get(&admin, "/api/v1/audit").await;
    assert!(
        log.contains("survey.csv experience-survey-v1") && log.contains("survey.xlsx"),
        "{log}"
    );
}

/// `serve --demo` gives each demo fund its own few hundred survey responses.
fn the_demo_seeds_survey_responses_per_fund(backend: Backend) {
    let db = Db::new(backend);
    let mut store = db.open();
    let book = RuleBook::builtin().unwrap();
    let today = tnw_domain::date::parse_date("2026-05-20").unwrap();
    assert!(tnw_app::demo::seed(&mut *store, &book, PW, 20, today).unwrap());
    let v = &tnw_app::survey::instrument().unwrap().version;
    let a = store.survey_responses("fund-a", v).unwrap();
    let b = store.survey_responses("fund-b", v).unwrap();
    assert_eq!((a.len(), b.len()), (400, 400));
    assert_ne!(
        a[0].respondent, b[0].respondent,
        "each fund its own respondents"
    );
    let report = tnw_app::survey::report(&mut *store, "fund-a").unwrap();
    let coached = report
        .rows
        .iter()
        .find(|r| r.question == "coached" && r.option == "never")
        .unwrap();
    assert!(coached.n > 250 && coached.n < 400, "{coached:?}");
}
