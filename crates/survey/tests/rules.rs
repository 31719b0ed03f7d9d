//! The survey's rules: import checks and routing, the report's bases and rounding.

use proptest::prelude::*;
use tnw_survey::report::{shown, to_csv, CSV_HEADER};
use tnw_survey::responses::to_csv as responses_csv;
use tnw_survey::{
    experience_survey, format_tenths, parse_csv, percent_tenths, report, study, ImportError,
    Instrument, Response, RowError,
};

fn survey() -> &'static Instrument {
    experience_survey().unwrap()
}

fn rows_err(csv: &str) -> Vec<RowError> {
    match parse_csv(survey(), csv.as_bytes()) {
        Err(ImportError::Rows(e)) => e,
        other => panic!("expected row errors, got {other:?}"),
    }
}

fn row<'a>(rows: &'a [tnw_survey::ReportRow], q: &str, o: &str) -> &'a tnw_survey::ReportRow {
    rows.iter()
        .find(|r| r.question == q && r.option == o)
        .unwrap_or_else(|| panic!("no row {q},{o}"))
}

#[test]
fn rounding_is_half_away_from_zero_at_the_boundaries() {
    // 1/8 = 12.5% exactly; 1/16 = 6.25% → 6.3; 1/32 = 3.125% → 3.1.
    assert_eq!(percent_tenths(1, 8), Some(125));
    assert_eq!(percent_tenths(1, 16), Some(63));
    assert_eq!(percent_tenths(1, 32), Some(31));
    // x.x5 exactly: 1/2000 = 0.05% → 0.1; 3/2000 = 0.15% → 0.2 (floats give 0.1).
    assert_eq!(percent_tenths(1, 2000), Some(1));
    assert_eq!(percent_tenths(3, 2000), Some(2));
    assert_eq!(percent_tenths(29, 2000), Some(15), "1.45% → 1.5");
    assert_eq!(percent_tenths(1, 2001), Some(0), "0.04998% → 0.0");
    assert_eq!(percent_tenths(0, 7), Some(0));
    assert_eq!(percent_tenths(7, 7), Some(1000));
    assert_eq!(percent_tenths(2, 3), Some(667));
    assert_eq!(percent_tenths(1, 3), Some(333));
    assert_eq!(percent_tenths(0, 0), None, "no percentage over nobody");
    assert_eq!(percent_tenths(u64::MAX, u64::MAX), Some(1000));
    assert_eq!(format_tenths(803), "80.3");
    assert_eq!(format_tenths(1000), "100.0");
    assert_eq!(format_tenths(0), "0.0");
    assert_eq!(format_tenths(5), "0.5");
    // The study's own boundary case: 36 of 288 is exactly 12.5%.
    assert_eq!(percent_tenths(36, 288), Some(125));
}

/// The study's respondents, generated once for the property tests.
static STUDY: std::sync::LazyLock<Vec<Response>> =
    std::sync::LazyLock::new(|| study::respondents(survey()).unwrap());

proptest! {
    /// The integer rounding equals exact rational rounding, half away from zero.
    #[test]
    fn rounding_matches_exact_arithmetic(base in 1u64..1_000_000, frac in 0.0f64..=1.0) {
        let n = ((base as f64) * frac).floor() as u64;
        let t = percent_tenths(n, base).unwrap();
        // |1000n − t·base| ≤ base/2, and on a tie the larger t is taken.
        let exact = 1000 * n as i128;
        let got = t as i128 * base as i128;
        let diff2 = 2 * (exact - got);
        prop_assert!(diff2 <= base as i128 && diff2 > -(base as i128),
            "n {n} base {base} → {t}");
    }

    /// Whatever the column order, a file reads back the same responses.
    #[test]
    fn any_column_order_reads_the_same(seed in any::<u64>(), take in 1usize..60) {
        let i = survey();
        let people: Vec<Response> = STUDY[..take].to_vec();
        let csv = responses_csv(i, &people);
        let mut cols: Vec<usize> = (0..=i.questions.len()).collect();
        let mut s = seed | 1;
        for k in (1..cols.len()).rev() {
            s ^= s << 13; s ^= s >> 7; s ^= s << 17;
            cols.swap(k, (s % (k as u64 + 1)) as usize);
        }
        let shuffled: String = csv
            .lines()
            .map(|l| {
                let cells: Vec<&str> = l.split(',').collect();
                cols.iter().map(|&c| cells[c]).collect::<Vec<_>>().join(",") + "\n"
            })
            .collect();
        let back = parse_csv(i, shuffled.as_bytes()).unwrap();
        prop_assert_eq!(back, people);
    }
}

#[test]
fn routing_decides_the_base_and_unrouted_answers_are_rejected() {
    let csv = "respondent,coached,no_contact_reason,helped,q_heard\n\
               A,never,health,,\n\
               B,ongoing,,4,5\n\
               C,referred,,2,\n\
               D,never,,,\n";
    let people = parse_csv(survey(), csv.as_bytes()).unwrap();
    let rows = report(survey(), &people);
    // Only the never-coached who answered are the base of the reason.
    assert_eq!(row(&rows, "no_contact_reason", "health").base, 1);
    assert_eq!(row(&rows, "no_contact_reason", "health").n, 1);
    assert_eq!(row(&rows, "helped", "agree").base, 2);
    assert_eq!(row(&rows, "helped", "agree").n, 1);
    assert_eq!(row(&rows, "helped", "disagree").n, 1);
    assert_eq!(row(&rows, "helped", "neutral").n, 0);
    assert_eq!(
        row(&rows, "q_heard", "5").base,
        1,
        "an empty cell is not in the base"
    );
    assert_eq!(row(&rows, "coached", "never").base, 4);
    // A question nobody was asked: base 0, no percentage.
    let r = row(&rows, "refusal_reason", "other");
    assert_eq!((r.n, r.base, r.percent_tenths()), (0, 0, None));
    assert_eq!(shown(r, None), ["0".to_owned(), "0".into(), String::new()]);

    let errors = rows_err(
        "respondent,coached,no_contact_reason,helped\n\
         A,ongoing,health,4\n\
         B,never,,3\n\
         C,,on_own,\n",
    );
    let text: Vec<String> = errors.iter().map(ToString::to_string).collect();
    assert_eq!(
        text,
        [
            "line 2 (data row 1), column `no_contact_reason`: answered `health`, but it is asked only when `coached` is never (here `coached` is ongoing)",
            "line 3 (data row 2), column `helped`: answered `3`, but it is asked only when `coached` is stopped_first or stopped_some or referred or ongoing (here `coached` is never)",
            "line 4 (data row 3), column `no_contact_reason`: answered `on_own`, but it is asked only when `coached` is never (here `coached` is empty)",
        ]
    );
    // A chain: the reason for feeling helped needs `helped` 4–5.
    let errors = rows_err("respondent,coached,helped,helped_reason\nA,ongoing,3,listened\n");
    assert_eq!(errors[0].column.as_deref(), Some("helped_reason"));
    assert!(
        errors[0].reason.contains("`helped` is 4 or 5"),
        "{}",
        errors[0]
    );
}

#[test]
fn every_bad_row_is_reported_with_line_column_and_reason() {
    let csv = "respondent,coached,helped,contacts,sex\n\
               R1,ongoing,4,3,f\n\
               R2,sometimes,,,m\n\
               R3,ongoing,7,2,m\n\
               R4,ongoing,4,three,f\n\
               R5,ongoing,4,-1,f\n\
               ,never,,,f\n\
               R1,never,,,m\n\
               R8,never,,,m,extra\n\
               R9,ongoing,4,1000,x\n\
               \"R10\nwith a break\",never,,,f\n\
               R11,ongoing,4.0,1.5,F\n";
    let errors = rows_err(csv);
    let text: Vec<String> = errors.iter().map(ToString::to_string).collect();
    let expected = [
        "line 3 (data row 2), column `coached`: `sometimes` is not an option (expected one of never, stopped_first, stopped_some, referred, ongoing)",
        "line 4 (data row 3), column `helped`: `7` is not on the Likert scale 1–5",
        "line 5 (data row 4), column `contacts`: `three` is not a whole number",
        "line 6 (data row 5), column `contacts`: `-1` is not a whole number",
        "line 7 (data row 6), column `respondent`: no respondent id",
        "line 8 (data row 7), column `respondent`: respondent `R1` appears again (first on line 2)",
        "line 9 (data row 8): has 6 cells, the header has 5",
        "line 10 (data row 9), column `contacts`: 1000 is outside 0–999",
        "line 10 (data row 9), column `sex`: `x` is not an option (expected one of m, f)",
        "line 11 (data row 10), column `respondent`: a respondent id has at most 100 characters and no control characters",
        "line 13 (data row 11), column `helped`: `4.0` is not on the Likert scale 1–5",
        "line 13 (data row 11), column `contacts`: `1.5` is not a whole number",
        "line 13 (data row 11), column `sex`: `F` is not an option (expected one of m, f)",
    ];
    assert_eq!(text, expected);
    let whole = parse_csv(survey(), csv.as_bytes()).unwrap_err().to_string();
    assert!(
        whole.starts_with("13 row error(s), nothing imported; first: line 3"),
        "{whole}"
    );
}

#[test]
fn header_errors_name_the_column() {
    let e = parse_csv(
        survey(),
        b"respondent,coached,colour,coached,\nA,never,red,never,\n",
    )
    .unwrap_err();
    assert_eq!(
        e.to_string(),
        "header (line 1): unknown column `colour` (column 3): not a question code of experience-survey-v1; \
         column `coached` appears twice (columns 2 and 4); column 5 has no name"
    );
    let e = parse_csv(survey(), b"coached\nnever\n").unwrap_err();
    assert_eq!(
        e,
        ImportError::Header(vec!["no `respondent` column (the respondent's id)".into()])
    );
    assert_eq!(parse_csv(survey(), b"").unwrap_err(), ImportError::Empty);
}

#[test]
fn spreadsheet_exports_read_as_well() {
    // A byte-order mark, semicolons, CRLF, spaces around cells and trailing empty rows.
    let csv =
        "\u{feff}sex;respondent;coached;helped\r\n f ; R1 ;ongoing; 5\r\nm;R2;never;\r\n;;;\r\n";
    let people = parse_csv(survey(), csv.as_bytes()).unwrap();
    assert_eq!(people.len(), 2);
    assert_eq!(people[0].respondent, "R1");
    assert_eq!(people[0].get("helped"), Some("5"));
    assert_eq!(people[0].get("sex"), Some("f"));
    assert_eq!(people[1].get("helped"), None);
    let bad = b"respondent,sex\nR1,\xff\n";
    match parse_csv(survey(), bad) {
        Err(ImportError::Rows(e)) => assert!(e[0].reason.contains("UTF-8"), "{e:?}"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn the_report_has_every_option_and_the_likert_groups() {
    let people = parse_csv(
        survey(),
        b"respondent,coached,helped,contacts\nA,ongoing,1,1\nB,ongoing,2,4\nC,ongoing,5,12\n",
    )
    .unwrap();
    let rows = report(survey(), &people);
    let helped: Vec<(&str, u64)> = rows
        .iter()
        .filter(|r| r.question == "helped")
        .map(|r| (r.option.as_str(), r.n))
        .collect();
    assert_eq!(
        helped,
        [
            ("1", 1),
            ("2", 1),
            ("3", 0),
            ("4", 0),
            ("5", 1),
            ("disagree", 2),
            ("neutral", 0),
            ("agree", 1)
        ]
    );
    let contacts: Vec<(&str, u64)> = rows
        .iter()
        .filter(|r| r.question == "contacts")
        .map(|r| (r.option.as_str(), r.n))
        .collect();
    assert_eq!(
        contacts,
        [
            ("0", 0),
            ("1", 1),
            ("2", 0),
            ("3", 0),
            ("4_5", 1),
            ("6_10", 0),
            ("11_plus", 1)
        ]
    );
    assert_eq!(
        tnw_survey::report::mean(&people, "contacts"),
        Some(17.0 / 3.0)
    );
    let csv = to_csv(&rows, None);
    let mut lines = csv.lines();
    assert_eq!(lines.next(), Some(CSV_HEADER));
    assert!(csv.contains("\nhelped,disagree,2,3,66.7\n"), "{csv}");
    assert!(csv.contains("\nhelped,agree,1,3,33.3\n"));
    assert!(csv.contains("\nhelped,3,0,3,0.0\n"));
    assert!(
        csv.contains("\nsex,m,0,0,\n"),
        "nobody answered: empty percent"
    );
    assert_eq!(lines.count(), rows.len());
    // Every option of every question is a row, even at zero.
    let expected_rows: usize = survey()
        .questions
        .iter()
        .map(|q| match q.kind {
            tnw_survey::Kind::Likert => 8,
            _ => survey().option_codes(q).len(),
        })
        .sum();
    assert_eq!(rows.len(), expected_rows);
}

#[test]
fn small_counts_are_hidden_for_aggregate_viewers() {
    let people: Vec<Response> = parse_csv(
        survey(),
        b"respondent,coached\nA,never\nB,never\nC,never\nD,never\nE,never\nF,ongoing\n",
    )
    .unwrap();
    let rows = report(survey(), &people);
    let csv = to_csv(&rows, Some(5));
    assert!(csv.contains("\ncoached,never,5,6,83.3\n"), "{csv}");
    assert!(csv.contains("\ncoached,ongoing,<5,6,\n"), "{csv}");
    assert!(
        csv.contains("\ncoached,referred,0,6,0.0\n"),
        "zero is not disclosive: {csv}"
    );
    // A small base hides the percentages computed over it.
    assert!(csv.contains("\nhelped,agree,0,0,\n"));
    let few = parse_csv(
        survey(),
        b"respondent,coached,helped\nA,ongoing,4\nB,ongoing,4\n",
    )
    .unwrap();
    let csv = to_csv(&report(survey(), &few), Some(5));
    assert!(csv.contains("\nhelped,agree,<5,<5,\n"), "{csv}");
    assert!(csv.contains("\nhelped,disagree,0,<5,\n"), "{csv}");
    assert!(!to_csv(&report(survey(), &few), None).contains('<'));
}

#[test]
fn the_study_sample_is_consistent_with_the_routing() {
    let i = survey();
    let people = study::respondents(i).unwrap();
    assert_eq!(people.len(), study::RESPONDENTS);
    for p in &people {
        let problems = tnw_survey::responses::check_response(i, p);
        assert!(problems.is_empty(), "{}: {problems:?}", p.respondent);
    }
    // Deterministic: the same respondents on every run.
    assert_eq!(study::respondents(i).unwrap(), people);
    let sample = study::sample(i, 300, "A-").unwrap();
    assert_eq!(sample.len(), 300);
    assert_eq!(sample[0].respondent, "A-S0001");
    // The sample is mixed: some coached, some not.
    let coached = sample
        .iter()
        .filter(|r| r.get("coached") != Some("never"))
        .count();
    assert!((20..120).contains(&coached), "{coached}");
    let mean = tnw_survey::report::mean(&people, "contacts").unwrap();
    assert!(
        (2.5..3.5).contains(&mean),
        "the study: about three contacts, {mean}"
    );
}
