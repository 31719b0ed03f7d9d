//! Bad input of every kind, against real SQLite files: the corpus under
//! `tests/corpus/` (kept as regression tests; add a file to add a case), inputs too big
//! to keep as files (generated here), and property-driven garbage and mutations. Every
//! bad record gets a clear error naming where and why, nothing panics, and the store is
//! left exactly as it was.

use proptest::prelude::*;
use std::path::Path;
use tnw_app::import::{import_events, ImportOptions, ImportReport};
use tnw_domain::CaseKey;
use tnw_domain::RuleBook;
use tnw_storage::prelude::*;
use tnw_storage_sqlite::SqliteStore;

static BOOK: std::sync::LazyLock<RuleBook> =
    std::sync::LazyLock::new(|| RuleBook::builtin().unwrap());

const GOOD: &str = r#"{"case":"C1","type":"case_opened","date":"2023-01-02","person":{"id":"P-C1","name":"Jan Janssens","birth_date":"1975-03-01","sex":"m","language":"nl","region":"flanders"},"scheme":"employee","employer":{"id":"E1","name":"Acme NV"},"regime":"full_time","work_type":"manual","sector":"C","condition":"musculoskeletal","incapacity_start":"2023-01-02"}
{"case":"C1","type":"quick_scan_sent","date":"2023-03-08"}
{"case":"C1","type":"quick_scan_returned","date":"2023-03-15","answers":{"health":"better"}}
{"case":"C1","type":"capacity_assessed","date":"2023-04-12","category":4}
"#;

const SURVEY_GOOD: &str =
    "respondent,coached,no_contact_reason,sex\nG1,never,health,f\nG2,ongoing,,m\n";

/// A store holding one good dossier and two survey responses.
fn seeded() -> (tempfile::TempDir, SqliteStore) {
    let dir = tempfile::tempdir().unwrap();
    let mut s = SqliteStore::open(&dir.path().join("tnw.db")).unwrap();
    let r = import_events(&mut s, &BOOK, GOOD.as_bytes(), &opts(false), &|_| {}).unwrap();
    assert_eq!((r.imported, r.rejected.len()), (4, 0), "{r:?}");
    tnw_app::survey::import(&mut s, "default", SURVEY_GOOD.as_bytes()).unwrap();
    (dir, s)
}

fn opts(strict: bool) -> ImportOptions {
    ImportOptions {
        strict,
        source: "nasty".into(),
        ..Default::default()
    }
}

/// Everything a bad input could have touched.
fn snapshot(s: &mut SqliteStore) -> String {
    let c = s.counts(None).unwrap();
    let cases = s
        .load_cases("default", &[CaseKey::from_str_id("C1")])
        .unwrap();
    let survey = s
        .survey_responses("default", "experience-survey-v1")
        .unwrap();
    format!(
        "{} cases, {} events, {:?}, {:?}",
        c.cases, c.events, cases, survey
    )
}

/// Imports `data` in both modes and checks that every line was refused with its line
/// number and a reason, and that the store did not change.
fn refused_entirely(data: &[u8], what: &str) {
    let (_dir, mut s) = seeded();
    let before = snapshot(&mut s);
    for strict in [false, true] {
        let r: ImportReport = import_events(&mut s, &BOOK, data, &opts(strict), &|_| {})
            .unwrap_or_else(|e| panic!("{what}: the import failed instead of rejecting: {e}"));
        assert_eq!(r.imported, 0, "{what}: {r:?}");
        assert!(!r.rejected.is_empty(), "{what}: nothing rejected");
        if !strict {
            assert_eq!(
                r.rejected.len() as u64,
                r.lines,
                "{what}: every line is rejected once: {r:?}"
            );
        }
        for rej in &r.rejected {
            assert!(
                rej.line >= 1 && !rej.reason.trim().is_empty(),
                "{what}: {rej:?}"
            );
            assert!(rej.reason.len() < 2_000, "{what}: a reason stays readable");
        }
        assert_eq!(snapshot(&mut s), before, "{what}: the store changed");
    }
}

fn corpus(kind: &str) -> Vec<(String, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/corpus")
        .join(kind);
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    assert!(files.len() >= 4, "corpus {dir:?}");
    files
        .into_iter()
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read(&p).unwrap())
        })
        .collect()
}

#[test]
fn every_event_line_of_the_corpus_is_refused_with_a_reason() {
    for (name, data) in corpus("events") {
        refused_entirely(&data, &name);
    }
}

#[test]
fn huge_and_deep_event_lines_are_refused() {
    // 16 MiB in one line, inside a string.
    let huge = format!(
        r#"{{"case":"C1","type":"quick_scan_sent","date":"2023-03-01","x":"{}"}}"#,
        "a".repeat(16 << 20)
    );
    refused_entirely(huge.as_bytes(), "16 MiB line");
    // 16 MiB without a newline and without structure.
    refused_entirely(&vec![b'{'; 16 << 20], "16 MiB of braces");
    // Nesting far beyond any parser's stack.
    let deep = format!(
        r#"{{"case":"C1","type":"quick_scan_sent","date":"2023-03-01","answers":{}{}}}"#,
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    refused_entirely(deep.as_bytes(), "deep JSON");
    // A million tiny lines of garbage.
    refused_entirely("x\n".repeat(1_000_000).as_bytes(), "a million bad lines");
}

#[test]
fn every_survey_file_of_the_corpus_is_refused_with_row_and_reason() {
    for (name, data) in corpus("survey") {
        let (_dir, mut s) = seeded();
        let before = snapshot(&mut s);
        let err = tnw_app::survey::import(&mut s, "default", &data)
            .err()
            .unwrap_or_else(|| panic!("{name}: accepted"));
        let msg = err.to_string();
        assert!(
            !msg.trim().is_empty() && msg.len() < 20_000,
            "{name}: {msg}"
        );
        // Data errors name where: a line, a row or a column.
        assert!(
            ["line", "row", "column", "header", "UTF-8", "utf-8"]
                .iter()
                .any(|w| msg.contains(w)),
            "{name}: {msg}"
        );
        assert_eq!(snapshot(&mut s), before, "{name}: the store changed");
    }
}

#[test]
fn a_huge_survey_cell_is_refused() {
    let (_dir, mut s) = seeded();
    let before = snapshot(&mut s);
    let data = format!("respondent,coached\nR1,{}\n", "n".repeat(8 << 20));
    assert!(tnw_app::survey::import(&mut s, "default", data.as_bytes()).is_err());
    assert_eq!(snapshot(&mut s), before);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// Arbitrary bytes: never a panic, never a stored event, every line accounted for.
    #[test]
    fn arbitrary_bytes_are_refused_line_by_line(data in proptest::collection::vec(any::<u8>(), 0..2_000)) {
        let (_dir, mut s) = seeded();
        let before = snapshot(&mut s);
        let r = import_events(&mut s, &BOOK, &data, &opts(false), &|_| {}).unwrap();
        prop_assert_eq!(r.imported, 0);
        prop_assert_eq!(r.rejected.len() as u64, r.lines);
        prop_assert_eq!(snapshot(&mut s), before);
    }

    /// A valid line with one byte changed: stored whole, or refused whole with a
    /// reason; the counts always add up and a refused line changes nothing.
    #[test]
    fn mutated_lines_are_stored_whole_or_refused(at in 0usize..60, byte in any::<u8>()) {
        let (_dir, mut s) = seeded();
        let before = snapshot(&mut s);
        let mut line = br#"{"case":"C1","type":"quick_scan_sent","date":"2023-05-02"}"#.to_vec();
        let at = at % line.len();
        line[at] = byte;
        let r = import_events(&mut s, &BOOK, &line, &opts(false), &|_| {}).unwrap();
        prop_assert_eq!(r.imported + r.duplicates + r.rejected.len() as u64, r.lines);
        if r.imported == 0 {
            prop_assert_eq!(snapshot(&mut s), before);
        }
        for rej in &r.rejected {
            prop_assert!(!rej.reason.trim().is_empty());
        }
    }

    /// Arbitrary survey files: an error or a clean import, never a panic; a refused file
    /// changes nothing.
    #[test]
    fn arbitrary_survey_files_never_half_import(body in "[a-z0-9,\"\n;=+@\\- ]{0,300}") {
        let (_dir, mut s) = seeded();
        let before = snapshot(&mut s);
        let data = format!("respondent,coached,sex\n{body}");
        if tnw_app::survey::import(&mut s, "default", data.as_bytes()).is_err() {
            prop_assert_eq!(snapshot(&mut s), before);
        }
    }
}
