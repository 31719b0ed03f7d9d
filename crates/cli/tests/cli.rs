//! The `tnw` binary end to end on real SQLite files (and a PostgreSQL database).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

struct Env {
    dir: tempfile::TempDir,
}

impl Env {
    fn new() -> Env {
        Env {
            dir: tempfile::tempdir().unwrap(),
        }
    }
    fn db(&self) -> PathBuf {
        self.dir.path().join("tnw.db")
    }
    fn file(&self, name: &str, lines: &[String]) -> PathBuf {
        let p = self.dir.path().join(name);
        std::fs::write(&p, lines.join("\n") + "\n").unwrap();
        p
    }
    fn tnw(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_tnw"))
            .args(args)
            .env("TNW_DB", self.db())
            .env_remove("TNW_ORG")
            .env_remove("TNW_RULES_DIR")
            .current_dir(self.dir.path())
            .output()
            .unwrap()
    }
}

fn s(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn opened(case: &str, date: &str) -> String {
    format!(
        r#"{{"case":"{case}","type":"case_opened","date":"{date}","person":{{"id":"P-{case}","name":"Marie Dubois","birth_date":"1982-07-14","sex":"f","language":"fr","region":"wallonia"}},"scheme":"employee","employer":{{"id":"E7","name":"Boulangerie SA"}},"regime":"part_time","work_type":"manual","sector":"G","condition":"mental","incapacity_start":"{date}"}}"#
    )
}

fn ev(case: &str, date: &str, rest: &str) -> String {
    format!(r#"{{"case":"{case}","date":"{date}","type":{rest}}}"#)
}

fn demo_lines() -> Vec<String> {
    vec![
        opened("A1", "2023-01-02"),
        ev("A1", "2023-03-08", r#""quick_scan_sent""#),
        ev("A1", "2023-04-12", r#""capacity_assessed","category":4"#),
        ev(
            "A1",
            "2023-04-12",
            r#""referred_to_coordinator","initiative":"advisory_doctor""#,
        ),
        opened("A2", "2023-02-01"),
        opened("A3", "2023-01-31"),
        ev("A3", "2023-04-06", r#""quick_scan_sent""#),
        ev("A3", "2023-05-15", r#""capacity_assessed","category":1"#),
    ]
}

fn path(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn import_due_and_timeline() {
    let env = Env::new();
    let f = env.file("events.jsonl", &demo_lines());
    let out = env.tnw(&["import", "events", path(&f)]);
    assert!(out.status.success(), "{}", s(&out.stderr));
    assert!(
        s(&out.stdout)
            .contains("8 lines: 8 imported, 0 rejected, 0 already present (3 new dossiers"),
        "{}",
        s(&out.stdout)
    );
    assert!(
        env.db().exists(),
        "the database file is created on first use"
    );

    let out = env.tnw(&["due", "--as-of", "2023-05-13", "--json"]);
    assert!(out.status.success(), "{}", s(&out.stderr));
    assert_eq!(
        s(&out.stdout),
        concat!(
            "{\"case\":\"A1\",\"task\":\"first_contact\",\"due\":\"2023-05-12\",\"state\":\"overdue\"}\n",
            "{\"case\":\"A2\",\"task\":\"send_quick_scan\",\"due\":\"2023-04-11\",\"state\":\"overdue\"}\n",
            "{\"case\":\"A2\",\"task\":\"assess_capacity\",\"due\":\"2023-05-31\",\"state\":\"open\"}\n",
            // A3 is assessed on 15 May: as of 13 May month 4 (30 Apr … 30 May) is open.
            "{\"case\":\"A3\",\"task\":\"assess_capacity\",\"due\":\"2023-05-30\",\"state\":\"open\"}\n",
        )
    );
    // A3: assessed category 1, referral due at month 6 (31 July): not yet open.
    let out = env.tnw(&["due", "--as-of", "2023-07-31", "--json"]);
    assert!(s(&out.stdout).contains("{\"case\":\"A3\",\"task\":\"refer_to_coordinator\",\"due\":\"2023-07-31\",\"state\":\"open\"}"));

    let table = env.tnw(&["due", "--as-of", "2023-05-13"]);
    let text = s(&table.stdout);
    assert!(text.starts_with("CASE"), "{text}");
    assert!(text.contains("first_contact") && text.contains("overdue"));
    assert!(s(&table.stderr).contains("2 open, 2 overdue as of 2023-05-13"));

    let out = env.tnw(&["timeline", "A1", "--as-of", "2023-05-13", "--json"]);
    assert!(out.status.success(), "{}", s(&out.stderr));
    let t: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let ms = t["milestones"].as_array().unwrap();
    let fc = ms.iter().find(|m| m["code"] == "first_contact").unwrap();
    assert_eq!(fc["rule"], "R6");
    assert_eq!(fc["status"], "overdue");
    assert!(fc["reason"].as_str().unwrap().contains("first contact"));
    let qs = ms.iter().find(|m| m["code"] == "send_quick_scan").unwrap();
    assert_eq!(
        (qs["status"].as_str(), qs["done_on"].as_str()),
        (Some("done"), Some("2023-03-08"))
    );
    assert!(ms.iter().any(|m| m["code"] == "invalidity"
        && m["status"] == "upcoming"
        && m["due"] == "2024-01-02"));
    assert_eq!(t["events"].as_array().unwrap().len(), 4);

    let out = env.tnw(&["timeline", "A1", "--as-of", "2023-05-13", "--lang", "nl"]);
    let text = s(&out.stdout);
    assert!(text.contains("OVERDUE since 2023-05-12"), "{text}");
    assert!(
        text.contains("Binnen een maand na de doorverwijzing"),
        "{text}"
    );

    let out = env.tnw(&["timeline", "NOPE"]);
    assert!(!out.status.success());
    assert!(s(&out.stderr).contains("no case `NOPE`"));
}

#[test]
fn a_self_employed_dossier_from_an_event_file_runs_on_its_own_clock() {
    let env = Env::new();
    let file =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../domain/tests/data/self-employed.jsonl");
    let out = env.tnw(&["import", "events", path(&file)]);
    assert!(out.status.success(), "{}", s(&out.stderr));
    // Both referred on 15 May: the self-employed on their own set, the employee on the
    // codex set; the self-employed incapacity of 2022 has nothing.
    let out = env.tnw(&["due", "--as-of", "2023-05-20", "--json"]);
    let mut lines: Vec<String> = s(&out.stdout).lines().map(str::to_owned).collect();
    lines.sort();
    assert_eq!(
        lines,
        vec![
            "{\"case\":\"EMP-1\",\"task\":\"first_contact\",\"due\":\"2023-06-15\",\"state\":\"open\"}",
            "{\"case\":\"SE-1\",\"task\":\"first_contact\",\"due\":\"2023-06-15\",\"state\":\"open\"}",
        ]
    );
    let out = env.tnw(&["timeline", "SE-1", "--as-of", "2023-05-20", "--json"]);
    assert!(out.status.success(), "{}", s(&out.stderr));
    let t: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let ms = t["milestones"].as_array().unwrap();
    let codes: Vec<&str> = ms.iter().map(|m| m["code"].as_str().unwrap()).collect();
    assert_eq!(
        codes,
        [
            "send_quick_scan",
            "assess_capacity",
            "refer_to_coordinator",
            "first_contact",
            "invalidity"
        ]
    );
    assert!(ms.iter().all(|m| m["rule_set"] == "tnw-self-employed-2023"));
    let out = env.tnw(&["timeline", "EMP-1", "--as-of", "2023-05-20", "--json"]);
    let t: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(t["milestones"]
        .as_array()
        .unwrap()
        .iter()
        .any(|m| m["code"] == "codex_worker_may_request"));
    let out = env.tnw(&["timeline", "SE-OLD", "--as-of", "2023-05-20", "--json"]);
    let t: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(t["milestones"].as_array().unwrap().len(), 0);
    // A what-if with an employees' set leaves the self-employed out.
    let out = env.tnw(&[
        "due",
        "--as-of",
        "2023-05-20",
        "--json",
        "--rules",
        "tnw-2022",
    ]);
    assert!(!s(&out.stdout).contains("SE-"), "{}", s(&out.stdout));
}

#[test]
fn bad_lines_strict_and_reimport() {
    let env = Env::new();
    let mut lines = demo_lines();
    lines.insert(1, ev("A1", "2023-02-29", r#""quick_scan_sent""#)); // line 2
    lines.push(ev(
        "A2",
        "2023-03-01",
        r#""coordinator_contact","mode":"fax","first":true"#,
    )); // line 10
    let f = env.file("bad.jsonl", &lines);

    let out = env.tnw(&["import", "events", path(&f), "--strict"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        s(&out.stderr).contains("line 2: `date`: 2023-02-29 is not a real calendar date"),
        "{}",
        s(&out.stderr)
    );
    assert!(s(&out.stderr).contains("nothing was imported"));
    let st = env.tnw(&["status"]);
    assert!(s(&st.stdout).contains("events 0"), "{}", s(&st.stdout));

    let rejects = env.dir.path().join("rejects.jsonl");
    let out = env.tnw(&["import", "events", path(&f), "--rejects", path(&rejects)]);
    assert_eq!(out.status.code(), Some(3), "partly imported exits 3");
    let err = s(&out.stderr);
    assert!(err.contains("line 2: `date`: 2023-02-29"), "{err}");
    assert!(
        err.contains("line 10: `mode`: `fax` is not one of in_person, phone, video"),
        "{err}"
    );
    assert!(s(&out.stdout).contains("10 lines: 8 imported, 2 rejected"));
    let rj = std::fs::read_to_string(&rejects).unwrap();
    assert_eq!(rj.lines().count(), 2);
    assert!(rj.starts_with("{\"line\":2,"));

    let again = env.tnw(&["import", "events", path(&f), "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&again.stdout).unwrap();
    assert_eq!(
        (v["imported"].as_u64(), v["duplicates"].as_u64()),
        (Some(0), Some(8))
    );
    let st = env.tnw(&["status"]);
    assert!(s(&st.stdout).contains("events 8"));
}

#[test]
fn database_url_forms_and_rule_options() {
    let env = Env::new();
    let f = env.file("e.jsonl", &demo_lines());
    let other = env.dir.path().join("other.db");
    let url = format!("sqlite:{}", other.display());
    let out = env.tnw(&["--db", &url, "import", "events", path(&f)]);
    assert!(out.status.success(), "{}", s(&out.stderr));
    assert!(other.exists());
    assert!(!env.db().exists(), "--db wins over TNW_DB");

    let out = env.tnw(&[
        "--db",
        &url,
        "due",
        "--as-of",
        "2023-05-13",
        "--rules",
        "nope",
    ]);
    assert!(!out.status.success());
    assert!(
        s(&out.stderr)
            .contains("unknown rule set `nope` (known: tnw-2022, codex-2022-10, tnw-self-employed-2023, rtw-2026)"),
        "{}",
        s(&out.stderr)
    );

    // Port 1: nothing listens there; the error says what failed, without the URL.
    let out = env.tnw(&["--db", "postgres://nobody:secret@127.0.0.1:1/tnw", "status"]);
    assert!(!out.status.success());
    let err = s(&out.stderr);
    assert!(
        err.contains("connecting to the PostgreSQL database"),
        "{err}"
    );
    assert!(!err.contains("secret"), "{err}");

    let rules = env.tnw(&["rules"]);
    let text = s(&rules.stdout);
    assert!(
        text.contains("tnw-2022") && text.contains("codex-2022-10") && text.contains("rtw-2026")
    );
    let show = env.tnw(&["rules", "rtw-2026"]);
    assert!(s(&show.stdout).contains("decide_progressive_return"));
    assert!(s(&show.stdout).contains("judges: employee, unemployed"));
    assert!(s(&show.stdout).contains("sanction: 10% of the daily benefit after 2"));
    let show = env.tnw(&["rules", "tnw-self-employed-2023"]);
    assert!(s(&show.stdout).contains("judges: self_employed"));
    assert!(s(&show.stdout).contains("sanction: 2.5% of the daily benefit after 1"));
}

#[test]
fn a_rule_set_dropped_in_a_directory_applies_without_code_changes() {
    let env = Env::new();
    let f = env.file("e.jsonl", &[opened("N1", "2031-02-03")]);
    assert!(env.tnw(&["import", "events", path(&f)]).status.success());
    let dir = env.dir.path().join("rules");
    std::fs::create_dir(&dir).unwrap();
    std::fs::write(
        dir.join("tnw-2031.toml"),
        r#"name = "tnw-2031"
title = "Questionnaire in week 5"
effective_from = "2031-01-01"
extends = "rtw-2026"
[[rule]]
id = "R1"
task = "send_quick_scan"
actor = "fund"
anchor = "incapacity_start"
window = "28d"
due = "34d"
done_by = ["quick_scan_sent"]
done_scope = "any"
source = "test"
reason.en = "Week 5."
"#,
    )
    .unwrap();
    let before = env.tnw(&["due", "--as-of", "2031-03-04", "--json"]);
    assert_eq!(s(&before.stdout), "");
    let after = env.tnw(&[
        "--rules-dir",
        path(&dir),
        "due",
        "--as-of",
        "2031-03-04",
        "--json",
    ]);
    assert_eq!(
        s(&after.stdout),
        "{\"case\":\"N1\",\"task\":\"send_quick_scan\",\"due\":\"2031-03-09\",\"state\":\"open\"}\n"
    );
}

#[test]
fn generated_population_imports_without_a_single_rejection() {
    let env = Env::new();
    let file = env.dir.path().join("gen.jsonl");
    let out = env.tnw(&[
        "gen",
        "--cases",
        "3000",
        "--seed",
        "7",
        "--out",
        path(&file),
    ]);
    assert!(out.status.success(), "{}", s(&out.stderr));
    let again = env.dir.path().join("gen2.jsonl");
    env.tnw(&[
        "gen",
        "--cases",
        "3000",
        "--seed",
        "7",
        "--out",
        path(&again),
    ]);
    assert_eq!(
        std::fs::read(&file).unwrap(),
        std::fs::read(&again).unwrap(),
        "gen is deterministic"
    );
    let rejects = env.dir.path().join("rejects.jsonl");
    let out = env.tnw(&[
        "import",
        "events",
        path(&file),
        "--rejects",
        path(&rejects),
        "--json",
    ]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let rj = std::fs::read_to_string(&rejects).unwrap();
    assert_eq!(
        v["rejected"].as_array().unwrap().len(),
        0,
        "{}",
        rj.lines().take(5).collect::<Vec<_>>().join("\n")
    );
    assert!(v["cases_created"].as_u64().unwrap() >= 3000);
    let due = env.tnw(&["due", "--as-of", "2026-11-22", "--json"]);
    assert!(due.status.success());
    let n = s(&due.stdout).lines().count();
    assert!(n > 100, "a national mix has open tasks: {n}");
    let overdue = s(&due.stdout)
        .lines()
        .filter(|l| l.contains("\"overdue\""))
        .count();
    assert!(overdue > 0 && overdue < n);
}

#[test]
fn report_outcomes_and_operations() {
    let env = Env::new();
    // A coached member back after 100 days who relapses within the year; a member not
    // coached back after 150 days.
    let lines = vec![
        opened("R1", "2024-01-01"),
        ev(
            "R1",
            "2024-01-20",
            r#""referred_to_coordinator","initiative":"member""#,
        ),
        ev(
            "R1",
            "2024-02-01",
            r#""coordinator_contact","mode":"phone","first":true"#,
        ),
        ev(
            "R1",
            "2024-04-10",
            r#""work_resumed","extent":"full_time","same_employer":true,"same_job":true,"adaptations":false"#,
        ),
        ev("R1", "2024-04-10", r#""incapacity_ended""#),
        opened("R2", "2024-01-01"),
        ev(
            "R2",
            "2024-05-30",
            r#""work_resumed","extent":"full_time","same_employer":true,"same_job":true,"adaptations":false"#,
        ),
        // R1's member again (same person id P-R1 is per case here: use R1's id).
        opened("R3", "2024-09-01").replace("P-R3", "P-R1"),
    ];
    let file = env.file("r.jsonl", &lines);
    assert!(env.tnw(&["import", "events", path(&file)]).status.success());
    let out = env.tnw(&[
        "report",
        "outcomes",
        "--from",
        "2024-01-01",
        "--to",
        "2024-01-31",
        "--json",
    ]);
    assert!(out.status.success(), "{}", s(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["coached"]["n"], 1);
    assert_eq!(v["not_coached"]["n"], 1, "R3 started after the period");
    assert_eq!(v["coached"]["mean_days_to_return"], 100.0);
    assert_eq!(v["not_coached"]["mean_days_to_return"], 150.0);
    assert_eq!(v["days_sooner"], 50.0);
    assert_eq!(v["coached"]["relapse_rate"], 1.0);
    assert_eq!(v["not_coached"]["relapse_rate"], 0.0);
    assert!(
        v["relapse_reduction"].is_null(),
        "undefined without not-coached relapses"
    );
    let out = env.tnw(&[
        "report",
        "operations",
        "--as-of",
        "2024-12-31",
        "--json",
        "--region",
        "wallonia",
    ]);
    assert!(out.status.success(), "{}", s(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["dossiers"], 3);
    assert_eq!(v["first_contacts"]["within_month"], 1);
    assert_eq!(v["to_first_contact"]["median"], 31);
    let out = env.tnw(&["report", "operations", "--region", "flanders", "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["dossiers"], 0, "the filter applies");
    // By scheme: all three are employees.
    for (scheme, n) in [("employee", 3), ("self_employed", 0), ("unemployed", 0)] {
        let out = env.tnw(&["report", "operations", "--scheme", scheme, "--json"]);
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(v["dossiers"], n, "{scheme}");
    }
    let bad = env.tnw(&["report", "outcomes", "--scheme", "freelance"]);
    assert!(
        s(&bad.stderr).contains("`freelance` is not one of"),
        "{}",
        s(&bad.stderr)
    );
    let bad = env.tnw(&["report", "outcomes", "--region", "mars"]);
    assert!(!bad.status.success());
    assert!(
        s(&bad.stderr).contains("`mars` is not one of"),
        "{}",
        s(&bad.stderr)
    );
    let bad = env.tnw(&[
        "report",
        "outcomes",
        "--from",
        "2024-02-01",
        "--to",
        "2024-01-01",
    ]);
    assert!(s(&bad.stderr).contains("after --to"), "{}", s(&bad.stderr));
}

#[test]
fn survey_import_and_report() {
    let env = Env::new();
    // Columns in any order; one respondent coached, one not.
    let good = env.file(
        "survey.csv",
        &[
            "helped,coached,respondent,sex,no_contact_reason".into(),
            "4,ongoing,R1,f,".into(),
            ",never,R2,m,health".into(),
        ],
    );
    let out = env.tnw(&["survey", "import", path(&good), "--org", "fund-a"]);
    assert!(out.status.success(), "{}", s(&out.stderr));
    assert_eq!(
        s(&out.stdout),
        "2 respondents: 2 new, 0 updated, 0 unchanged (fund fund-a)\n"
    );
    let again = env.tnw(&["survey", "import", path(&good), "--org", "fund-a"]);
    assert!(s(&again.stdout).contains("0 new, 0 updated, 2 unchanged"));

    let bad = env.file(
        "bad.csv",
        &[
            "respondent,coached,helped".into(),
            "R3,never,5".into(),
            "R4,ongoing,9".into(),
            "R5,ongoing,3".into(),
        ],
    );
    let out = env.tnw(&["survey", "import", path(&bad), "--org", "fund-a"]);
    assert_eq!(out.status.code(), Some(1));
    let err = s(&out.stderr);
    assert!(
        err.contains("line 2 (data row 1), column `helped`: answered `5`, but it is asked only when `coached` is stopped_first or stopped_some or referred or ongoing (here `coached` is never)"),
        "{err}"
    );
    assert!(
        err.contains("line 3 (data row 2), column `helped`: `9` is not on the Likert scale 1–5"),
        "{err}"
    );
    assert!(err.contains("nothing imported: 2 error(s)"), "{err}");

    let out = env.tnw(&["survey", "report", "--format", "csv", "--org", "fund-a"]);
    assert!(out.status.success(), "{}", s(&out.stderr));
    let csv = s(&out.stdout);
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines[0], "question,option,n,base,percent");
    for row in [
        "sex,m,1,2,50.0",
        "coached,never,1,2,50.0",
        "coached,referred,0,2,0.0",
        "no_contact_reason,health,1,1,100.0",
        "helped,4,1,1,100.0",
        "helped,agree,1,1,100.0",
        "helped,disagree,0,1,0.0",
        "q_heard,agree,0,0,",
    ] {
        assert!(lines.contains(&row), "{row} in {csv}");
    }
    // R5 of the rejected file was not stored: still two respondents.
    assert!(lines.contains(&"coached,ongoing,1,2,50.0"), "{csv}");
    let out = env.tnw(&["survey", "report", "--org", "fund-a", "--aggregate-only"]);
    assert!(s(&out.stdout).contains("\ncoached,never,<5,<5,\n"));
    // Another fund has nothing; the HTML and XLSX forms are written to files.
    let out = env.tnw(&["survey", "report", "--org", "fund-b"]);
    assert!(s(&out.stdout).contains("\nsex,m,0,0,\n"));
    let html = env.dir.path().join("r.html");
    let out = env.tnw(&[
        "survey",
        "report",
        "--org",
        "fund-a",
        "--format",
        "html",
        "--lang",
        "fr",
        "--out",
        path(&html),
    ]);
    assert!(out.status.success(), "{}", s(&out.stderr));
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(
        page.contains("<svg") && page.contains("<html lang=\"fr\">") && page.contains("Répondants"),
        "{page}"
    );
    let xlsx = env.dir.path().join("r.xlsx");
    let out = env.tnw(&[
        "survey",
        "report",
        "--org",
        "fund-a",
        "--format",
        "xlsx",
        "--out",
        path(&xlsx),
    ]);
    assert!(out.status.success(), "{}", s(&out.stderr));
    assert_eq!(&std::fs::read(&xlsx).unwrap()[..2], b"PK");
}

/// The same commands on a PostgreSQL database (a throw-away cluster on loopback) give
/// the same answers as on a SQLite file.
#[test]
fn a_postgres_url_runs_the_same_commands_with_the_same_results() {
    let env = Env::new();
    let cluster = tnw_storage_postgres::testing::shared().unwrap();
    let url = cluster.fresh_database().unwrap();
    let f = env.file("e.jsonl", &demo_lines());
    let on = |db: &str, args: &[&str]| {
        let mut all = vec!["--db", db];
        all.extend_from_slice(args);
        let out = env.tnw(&all);
        assert!(out.status.success(), "{args:?} on {db}: {}", s(&out.stderr));
        s(&out.stdout)
    };
    let sqlite = format!("sqlite:{}", env.db().display());
    let migrated = on(&url, &["migrate"]);
    assert!(migrated.starts_with("schema version "), "{migrated}");
    for db in [&sqlite, &url] {
        on(db, &["import", "events", path(&f)]);
    }
    for db in [&sqlite, &url] {
        let again = on(db, &["import", "events", path(&f), "--json"]);
        let v: serde_json::Value = serde_json::from_str(&again).unwrap();
        assert_eq!(v["duplicates"].as_u64(), Some(8), "re-import recognised");
    }
    for args in [
        &["status"][..],
        &["due", "--as-of", "2023-05-13", "--json"],
        &["due", "--as-of", "2023-07-31"],
        &["timeline", "A1", "--as-of", "2023-05-13", "--json"],
    ] {
        let (a, b) = (on(&sqlite, args), on(&url, args));
        assert!(!a.is_empty());
        assert_eq!(a, b, "{args:?}");
    }
    assert!(on(&url, &["status"]).contains("events 8"));
    // The web server on the same database: a dossier read through the API.
    let user = std::process::Command::new(env!("CARGO_BIN_EXE_tnw"))
        .args([
            "--db",
            &url,
            "user",
            "add",
            "carla",
            "--role",
            "coordinator",
        ])
        .env("TNW_PASSWORD", "postgres web password")
        .env_remove("TNW_ORG")
        .output()
        .unwrap();
    assert!(user.status.success(), "{}", s(&user.stderr));
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut server = std::process::Command::new(env!("CARGO_BIN_EXE_tnw"))
        .args([
            "--db",
            &url,
            "serve",
            "--insecure-cookies",
            "--today",
            "2023-05-13",
        ])
        .args(["--addr", &format!("127.0.0.1:{port}")])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let request = |req: String| -> Option<String> {
        use std::io::{Read, Write};
        let mut c = std::net::TcpStream::connect(("127.0.0.1", port)).ok()?;
        c.write_all(req.as_bytes()).ok()?;
        let mut out = String::new();
        c.read_to_string(&mut out).ok()?;
        Some(out)
    };
    let mut up = false;
    for _ in 0..200 {
        if request("GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".into())
            .is_some_and(|r| r.starts_with("HTTP/1.1 200"))
        {
            up = true;
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let body = r#"{"username":"carla","password":"postgres web password"}"#;
    let login = request(format!(
        "POST /api/v1/session HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    ))
    .unwrap_or_default();
    let cookie = login
        .lines()
        .find(|l| l.to_ascii_lowercase().starts_with("set-cookie:"))
        .and_then(|l| l.split_once(':'))
        .map(|(_, v)| v.trim().split(';').next().unwrap_or("").to_owned())
        .unwrap_or_default();
    let dossier = request(format!(
        "GET /api/v1/cases/A1 HTTP/1.1\r\nHost: x\r\nConnection: close\r\nCookie: {cookie}\r\n\r\n"
    ))
    .unwrap_or_default();
    // A graceful stop (SIGTERM) closes the pooled connections and exits cleanly.
    let term = std::process::Command::new("kill")
        .args(["-TERM", &server.id().to_string()])
        .status()
        .unwrap();
    assert!(term.success());
    let stopped = server.wait().unwrap();
    assert!(up, "the server did not start on PostgreSQL");
    assert!(login.starts_with("HTTP/1.1 200"), "{login}");
    assert!(dossier.starts_with("HTTP/1.1 200"), "{dossier}");
    assert!(dossier.contains("\"case\":\"A1\""), "{dossier}");
    assert!(stopped.success(), "the server's exit on SIGTERM: {stopped}");
    // The read was audited, in the chain.
    let verify = on(&url, &["audit", "verify"]);
    assert!(verify.contains("audit chain intact"), "{verify}");
}
