//! `serve --demo`: two funds with a few hundred generated dossiers each, and one user
//! per role named after it.

use tnw_app::access::Role;
use tnw_app::import::{import_events, ImportOptions};
use tnw_app::AppError;
use tnw_domain::RuleBook;
use tnw_storage::Store;

/// The funds of the demo: code and the suffix of their users' names.
pub const FUNDS: [(&str, &str); 2] = [("fund-a", ""), ("fund-b", ".b")];

/// Fills an empty database; returns false when it already held dossiers.
pub fn seed(
    store: &mut dyn Store,
    book: &RuleBook,
    password: &str,
    cases_per_fund: u64,
) -> Result<bool, AppError> {
    if store.counts(None)?.cases > 0 {
        return Ok(false);
    }
    for (i, (org, suffix)) in FUNDS.iter().enumerate() {
        let mut data = Vec::new();
        let opts = tnw_gen::GenOptions {
            cases: cases_per_fund,
            seed: 42 + i as u64,
            case_prefix: if i == 0 { "A".into() } else { "B".into() },
            ..Default::default()
        };
        tnw_gen::generate(&opts, &mut data).map_err(|e| AppError::Corrupt(e.to_string()))?;
        import_events(
            store,
            book,
            &data,
            &ImportOptions {
                org: (*org).into(),
                source: "demo".into(),
                ..Default::default()
            },
            &|_| {},
        )?;
        // The member and the external actors are tied to one generated dossier, so
        // that each has something to see (consents are given in the demo data).
        let text = String::from_utf8_lossy(&data);
        let first = text
            .lines()
            .find(|l| l.contains("\"case_opened\"") && l.contains("\"scheme\":\"employee\""));
        let person = first.and_then(|l| field(l, "\"person\":{\"id\":\""));
        let employer = first.and_then(|l| field(l, "\"employer\":{\"id\":\""));
        for role in Role::ALL {
            if *role == Role::TreatingPhysician {
                continue;
            }
            // The advisory doctor is `doctor`; everyone else is named after their role.
            let base = if *role == Role::AdvisoryDoctor {
                "doctor"
            } else {
                role.as_str()
            };
            let username = format!("{base}{suffix}");
            let display = format!("{} ({org})", role.as_str().replace('_', " "));
            let (person_id, employer_id) = match role {
                Role::Member => (person.as_deref(), None),
                Role::Employer | Role::OccupationalPhysician => (None, employer.as_deref()),
                _ => (None, None),
            };
            tnw_app::auth::create_user(
                store,
                org,
                &username,
                &display,
                *role,
                password,
                "nl",
                person_id,
                employer_id,
            )?;
        }
    }
    Ok(true)
}

fn field(line: &str, prefix: &str) -> Option<String> {
    let rest = &line[line.find(prefix)? + prefix.len()..];
    Some(rest[..rest.find('"')?].to_owned())
}
