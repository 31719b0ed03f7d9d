//! Operator commands are use cases like the web's, and audited like them: an account
//! created at the command line is in the fund's audit log under the operator's name,
//! and checked by the same rules as one an admin creates in the web application.

mod common;

use common::{run, tnw};
use tnw_testkit::{on_both_backends, Backend, FreshDb};

on_both_backends!(sync user_add_is_audited_and_checked);

fn user_add_is_audited_and_checked(backend: Backend) {
    let fresh = FreshDb::new(backend);
    let db = fresh.address();
    let db = db.as_str();
    let open = || fresh.open();
    let out = run(
        db,
        &[
            "user",
            "add",
            "ann",
            "--role",
            "coordinator",
            "--org",
            "fund-o",
        ],
    );
    assert!(
        out.contains("user ann (coordinator) created in fund-o"),
        "{out}"
    );
    let log = open().audit_log("fund-o", None, 10).expect("the audit log");
    let entry = log
        .iter()
        .find(|r| r.entry.what == "account created: ann")
        .unwrap_or_else(|| panic!("no entry for the new account in {log:?}"));
    assert_eq!(entry.entry.action, "admin");
    assert_eq!(entry.entry.role, "operator");
    assert!(
        entry.entry.username.starts_with("cli:"),
        "{:?}",
        entry.entry
    );
    assert_eq!(entry.case, None);
    // The chain still verifies with the operator's entry in it.
    let verified = run(db, &["audit", "verify"]);
    assert!(verified.contains("audit chain intact"), "{verified}");

    // The admin page's rules: a short password, a bad username, a member without the
    // person it is are refused, and nothing is written.
    for (args, password, why) in [
        (
            vec!["user", "add", "bob", "--role", "coordinator"],
            "short",
            "password",
        ),
        (
            vec!["user", "add", "Bob Smith", "--role", "coordinator"],
            common::PASSWORD,
            "username",
        ),
        (
            vec!["user", "add", "mem", "--role", "member"],
            common::PASSWORD,
            "person",
        ),
        // An outside actor needs the party it acts for, of its own role, well formed.
        (
            vec!["user", "add", "gp", "--role", "treating_physician"],
            common::PASSWORD,
            "party",
        ),
        (
            vec![
                "user",
                "add",
                "gp",
                "--role",
                "treating_physician",
                "--party",
                "employer:0202239951",
            ],
            common::PASSWORD,
            "acts as employer",
        ),
        (
            vec![
                "user",
                "add",
                "hr",
                "--role",
                "employer",
                "--party",
                "employer:0202239952",
            ],
            common::PASSWORD,
            "check digits",
        ),
        (
            vec![
                "user",
                "add",
                "cc",
                "--role",
                "coordinator",
                "--party",
                "employment_service:vdab",
            ],
            common::PASSWORD,
            "only actors outside the fund",
        ),
    ] {
        let mut args = args.clone();
        args.extend(["--org", "fund-o"]);
        let out = tnw(db, &args)
            .env("TNW_PASSWORD", password)
            .output()
            .expect("tnw runs");
        assert!(!out.status.success(), "{args:?} was accepted");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(why), "{args:?}: {err}");
    }
    let users = run(db, &["user", "list", "--org", "fund-o"]);
    assert_eq!(users.lines().count(), 1, "{users}");
    let log = open().audit_log("fund-o", None, 10).expect("the audit log");
    assert_eq!(log.len(), 1, "{log:?}");
    // A party in any spelling is stored in its written form; an employer's is also the
    // employer its dossiers name.
    let out = run(
        db,
        &[
            "user",
            "add",
            "hr",
            "--role",
            "employer",
            "--party",
            "employer:0202.239.951",
            "--org",
            "fund-o",
        ],
    );
    assert!(out.contains("created"), "{out}");
    let hr = open().user_by_name("hr").expect("read").expect("hr");
    assert_eq!(hr.party.as_deref(), Some("employer:0202239951"));
    assert_eq!(hr.employer_id.as_deref(), Some("0202239951"));
    let users = run(db, &["user", "list", "--org", "fund-o"]);
    assert!(users.contains("(employer:0202239951)"), "{users}");
}
