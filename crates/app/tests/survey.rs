//! The experience survey end to end on a real SQLite file: import through the real
//! path, then the report against the CM study's printed numbers ([S000] in docs/domain.md).

use std::collections::HashMap;
use tnw_app::survey;
use tnw_storage::prelude::*;
use tnw_storage_sqlite::SqliteStore;
use tnw_survey::{experience_survey, percent_tenths, study};

const EXPECTED: &str = include_str!("data/study-000-expected.csv");

/// Percentages the study prints that cannot come from the n and base it prints next
/// to them (docs/survey.md, "Discrepancies"): (question, option, printed, computed).
const STUDY_ERRATA: [(&str, &str, &str, &str); 7] = [
    ("employment_status", "other", "1.5", "1.4"),
    ("regime", "part_time", "41.2", "40.2"),
    ("condition", "other", "15.4", "15.5"),
    ("category", "none", "36.6", "36.7"),
    ("helped", "neutral", "32", "31"),
    ("results", "yes", "30", "31"),
    ("main_result", "motivation", "12", "11"),
];

struct Env {
    _dir: tempfile::TempDir,
    path: std::path::PathBuf,
    store: SqliteStore,
}

fn env() -> Env {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tnw.db");
    let store = SqliteStore::open(&path).unwrap();
    Env {
        _dir: dir,
        path,
        store,
    }
}

/// The study's 5,100 respondents as an import file, columns in reverse order (the
/// import is header-driven).
fn study_file() -> Vec<u8> {
    let i = experience_survey().unwrap();
    let people = study::respondents(i).unwrap();
    let csv = tnw_survey::responses::to_csv(i, &people);
    csv.lines()
        .map(|l| {
            let mut cells: Vec<&str> = l.split(',').collect();
            cells.reverse();
            cells.join(",") + "\n"
        })
        .collect::<String>()
        .into_bytes()
}

/// The report CSV read back: (question, option) → (n, base, percent).
fn parse_report(csv: &str) -> HashMap<(String, String), (u64, u64, String)> {
    let mut r = ::csv::Reader::from_reader(csv.as_bytes());
    assert_eq!(
        r.headers().unwrap().iter().collect::<Vec<_>>(),
        ["question", "option", "n", "base", "percent"]
    );
    r.records()
        .map(|rec| {
            let rec = rec.unwrap();
            (
                (rec[0].to_owned(), rec[1].to_owned()),
                (
                    rec[2].parse().unwrap(),
                    rec[3].parse().unwrap(),
                    rec[4].to_owned(),
                ),
            )
        })
        .collect()
}

/// round(100·n/base) with `decimals` decimals, half away from zero, as printed.
fn printed(n: u64, base: u64, decimals: usize) -> String {
    let tenths = percent_tenths(n, base).unwrap();
    if decimals == 1 {
        tnw_survey::format_tenths(tenths)
    } else {
        ((200 * n + base) / (2 * base)).to_string()
    }
}

#[test]
fn the_study_is_reproduced_number_for_number() {
    let mut e = env();
    let file = study_file();
    let imported = survey::import(&mut e.store, "fund-a", &file).unwrap();
    assert_eq!(imported.respondents, 5100);
    assert_eq!(imported.counts.new, 5100);
    // Re-importing the same file is a no-op.
    let again = survey::import(&mut e.store, "fund-a", &file).unwrap();
    assert_eq!(
        (
            again.counts.new,
            again.counts.updated,
            again.counts.unchanged
        ),
        (0, 0, 5100)
    );
    // Read back through a fresh connection: what is in the file is what is reported.
    drop(e.store);
    let mut store = SqliteStore::open(&e.path).unwrap();
    let report = survey::report(&mut store, "fund-a").unwrap();
    assert_eq!(report.respondents, 5100);
    let csv = survey::to_csv(&report, false);
    let rows = parse_report(&csv);

    let mut expected = ::csv::ReaderBuilder::new()
        .comment(Some(b'#'))
        .from_reader(EXPECTED.as_bytes());
    let (mut checked, mut matched) = (0, 0);
    let mut mismatches: Vec<(String, String, String, String)> = Vec::new();
    for rec in expected.records() {
        let rec = rec.unwrap();
        let (q, options, n, base, percent) = (&rec[0], &rec[1], &rec[2], &rec[3], &rec[4]);
        let mut sum = 0;
        let mut bases = Vec::new();
        for o in options.split('+') {
            let (n, b, _) = rows
                .get(&(q.to_owned(), o.to_owned()))
                .unwrap_or_else(|| panic!("the report has no row {q},{o}"));
            sum += n;
            bases.push(*b);
        }
        let b = bases[0];
        assert!(bases.iter().all(|x| *x == b), "{q}: one base");
        checked += 1;
        // Counts and bases the study prints must come out exactly.
        assert_eq!(b.to_string(), base, "{q},{options}: base");
        if !n.is_empty() {
            assert_eq!(sum.to_string(), n, "{q},{options}: n");
        }
        let mut ok = true;
        if !percent.is_empty() {
            let decimals = percent.split('.').nth(1).map_or(0, str::len);
            let got = printed(sum, b, decimals);
            if !options.contains('+') && decimals == 1 {
                // The report's own column, as written.
                assert_eq!(rows[&(q.to_owned(), options.to_owned())].2, got);
            }
            if got != percent {
                ok = false;
                mismatches.push((q.into(), options.into(), percent.into(), got));
            }
        }
        matched += usize::from(ok);
    }
    let errata: Vec<(String, String, String, String)> = STUDY_ERRATA
        .iter()
        .map(|(q, o, p, g)| ((*q).into(), (*o).into(), (*p).into(), (*g).into()))
        .collect();
    assert_eq!(
        mismatches, errata,
        "only the study's own inconsistencies differ"
    );
    assert_eq!(checked, 116, "every transcribed row is checked");
    assert_eq!(matched, checked - STUDY_ERRATA.len());
    // Headline numbers of docs/domain.md 6: 18% coached, 52% felt helped, 45% back at work,
    // 86% within an authorised activity, 55% needed adaptations; agreement 54–84%.
    let pct = |q: &str, o: &str| rows[&(q.to_owned(), o.to_owned())].2.clone();
    assert_eq!(pct("helped", "agree"), "52.3");
    assert_eq!(pct("authorised_activity", "yes"), "85.6");
    assert_eq!(pct("adaptations_needed", "yes"), "54.5");
    assert_eq!(pct("q_right_referral", "agree"), "54.4");
    assert_eq!(pct("q_good_conditions", "agree"), "83.5");
    // Routing: the contact-quality statements are over the 943 coached only.
    for (code, _) in study::TABLE_2 {
        assert_eq!(
            rows[&(code.to_owned(), "agree".to_owned())].1,
            943,
            "{code}"
        );
    }
    // Every option is a row, zero or not.
    assert_eq!(rows.len(), report.rows.len());
}

#[test]
fn a_file_with_bad_rows_stores_nothing_and_names_every_row() {
    let mut e = env();
    let csv = "respondent,coached,no_contact_reason,helped\n\
               R1,never,health,\n\
               R2,ongoing,health,4\n\
               R3,ongoing,,6\n";
    let err = survey::import(&mut e.store, "fund-a", csv.as_bytes()).unwrap_err();
    let survey::SurveyError::Import(survey::ImportError::Rows(rows)) = err else {
        panic!("{err}");
    };
    let text: Vec<String> = rows.iter().map(ToString::to_string).collect();
    assert_eq!(text.len(), 2, "{text:?}");
    assert!(
        text[0].starts_with("line 3 (data row 2), column `no_contact_reason`: answered `health`")
    );
    assert!(
        text[1].starts_with("line 4 (data row 3), column `helped`: `6` is not on the Likert scale")
    );
    let v = &experience_survey().unwrap().version;
    assert!(
        e.store.survey_responses("fund-a", v).unwrap().is_empty(),
        "all or nothing: the good row is not stored either"
    );
    // Fixed, the file goes in; funds stay apart.
    let fixed = "respondent,coached,no_contact_reason,helped\n\
                 R1,never,health,\n\
                 R2,ongoing,,4\n\
                 R3,ongoing,,5\n";
    let ok = survey::import(&mut e.store, "fund-a", fixed.as_bytes()).unwrap();
    assert_eq!(ok.counts.new, 3);
    let report = survey::report(&mut e.store, "fund-b").unwrap();
    assert_eq!(report.respondents, 0);
    let a = survey::report(&mut e.store, "fund-a").unwrap();
    let csv = survey::to_csv(&a, false);
    assert!(csv.contains("\nhelped,agree,2,2,100.0\n"), "{csv}");
    // Analysts: counts under 5 hidden, and the percentages over them.
    let csv = survey::to_csv(&a, true);
    assert!(csv.contains("\nhelped,agree,<5,<5,\n"), "{csv}");
    let t = survey::table(&a, true, "Survey");
    assert!(t
        .rows
        .iter()
        .any(|r| r[0] == tnw_app::export::Cell::text("helped")
            && r[2] == tnw_app::export::Cell::Small
            && r[4] == tnw_app::export::Cell::Empty));
    let xlsx = tnw_app::export::to_xlsx(&[t]).unwrap();
    assert_eq!(&xlsx[..2], b"PK");
}
