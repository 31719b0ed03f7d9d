//! The employer's monthly list of its absent workers (docs/absences.md): who reads it,
//! and for which employer.

use super::{Principal, Refusal, Role};

/// The employer an account acts for, the one place that says so: the enterprise
/// number of the party it acts for (docs/consent.md), else the employer id the fund
/// registered on an account made before parties. Dossiers name their employer as the
/// fund's data has it; the enterprise number is matched in its canonical digits.
pub fn acting_employer(p: &Principal) -> Option<String> {
    match p.party {
        Some(tnw_domain::party::Party::Employer(n)) if p.role == Role::Employer => {
            Some(n.to_string())
        }
        _ => p
            .employer_id
            .as_deref()
            .filter(|id| !id.trim().is_empty())
            .map(str::to_owned),
    }
}

/// Whose absent workers `p` may list: an employer's account, its own employer's. The
/// list needs no consent: it holds what the employer already knows from its workers'
/// sick notes (docs/access.md).
pub fn absence_list_scope(p: &Principal) -> Result<String, Refusal> {
    if p.role != Role::Employer {
        return Err(Refusal::EmployersOnly);
    }
    acting_employer(p).ok_or(Refusal::NoEmployer)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn who(role: Role, employer: Option<&str>) -> Principal {
        Principal {
            username: "u".into(),
            org: "fund-a".into(),
            role,
            person_id: (role == Role::Member).then(|| "P1".to_owned()),
            employer_id: employer.map(str::to_owned),
            party: None,
        }
    }

    #[test]
    fn only_an_employer_lists_its_own_absent_workers() {
        for role in Role::ALL {
            let got = absence_list_scope(&who(*role, Some("E1")));
            let want = if *role == Role::Employer {
                Ok("E1".to_owned())
            } else {
                Err(Refusal::EmployersOnly)
            };
            assert_eq!(got, want, "{}", role.as_str());
        }
        // The party's enterprise number comes first.
        let mut named = who(Role::Employer, Some("legacy-id"));
        named.party = tnw_domain::party::Party::parse("employer:0202.239.951").ok();
        assert_eq!(absence_list_scope(&named), Ok("0202239951".to_owned()));
        for none in [None, Some(""), Some("  ")] {
            assert_eq!(
                absence_list_scope(&who(Role::Employer, none)),
                Err(Refusal::NoEmployer),
                "{none:?}"
            );
        }
    }
}
