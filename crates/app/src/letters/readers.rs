//! Who reads a member's questionnaire answers, as the access policy decides it. Texts
//! that tell the member who reads them (the quick-scan letter, the questionnaire's
//! introduction) are built from this, never written by hand.

use crate::access::{may_record, read_grant, CaseContext, Consent, Part, Principal, Role};
use tnw_domain::event::{ConsentScope, Event, Region};
use tnw_domain::party::Party;

/// A party acting in `role`, for asking the policy (any well-formed one will do).
fn some_party(role: Role) -> Option<Party> {
    let text = match role {
        Role::Employer => "employer:0202239951",
        Role::OccupationalPhysician => "occupational_health:0202239951",
        Role::TreatingPhysician => "physician:10000000001",
        Role::EmploymentService => "employment_service:vdab",
        _ => return None,
    };
    Party::parse(text).ok()
}

/// The readers of the answers, by what lets them read.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AnswerReaders {
    /// Who sees the medical part of the dossier without any consent.
    pub always: Vec<Role>,
    /// Who sees it once the member has consented.
    pub with_consent: Vec<Role>,
    /// Who may fill the questionnaire in with the member: they see the answers saved
    /// so far (the draft belongs to the dossier), not the ones sent.
    pub until_sent: Vec<Role>,
}

impl AnswerReaders {
    /// Every role named, in the order of the groups.
    pub fn all(&self) -> impl Iterator<Item = Role> + '_ {
        self.always
            .iter()
            .chain(&self.with_consent)
            .chain(&self.until_sent)
            .copied()
    }
}

/// Asks the policy, role by role, on a dossier of the fund that is assigned to the
/// one asking (a paramedic's condition) and, when `has_employer`, of their employer:
/// first without consents, then with every consent the member could give, naming the
/// party (only a named consent shares medical data). The member is left out: the
/// answers are theirs; so is an occupational physician where there is no employer.
pub fn answer_readers(has_employer: bool) -> AnswerReaders {
    const ME: &str = "reader";
    let employer = has_employer.then(|| "employer".to_owned());
    let bare = CaseContext {
        person_id: "member".into(),
        employer_id: employer.clone(),
        region: Some(Region::Flanders),
        consents: Vec::new(),
        assigned_to: Some(ME.into()),
    };
    let consented = CaseContext {
        consents: Role::ALL
            .iter()
            .filter_map(|r| Some((r.consent_role()?, some_party(*r)?)))
            .flat_map(|(to, party)| {
                ConsentScope::ALL.iter().map(move |scope| Consent {
                    to,
                    scope: *scope,
                    party: Some(party),
                    until: None,
                })
            })
            .collect::<Vec<Consent>>(),
        ..bare.clone()
    };
    let returned = Event::QuickScanReturned {
        answers: Default::default(),
    };
    let mut out = AnswerReaders::default();
    for &role in Role::ALL.iter().filter(|r| **r != Role::Member) {
        let p = Principal {
            username: ME.into(),
            org: "fund".into(),
            role,
            person_id: None,
            employer_id: employer.clone(),
            party: some_party(role),
        };
        let medical = |ctx: &CaseContext| read_grant(&p, ctx).is_ok_and(|g| g.sees(Part::Medical));
        let no_employer_to_serve = role == Role::OccupationalPhysician && !has_employer;
        if medical(&bare) {
            out.always.push(role);
        } else if !no_employer_to_serve && medical(&consented) {
            out.with_consent.push(role);
        } else if may_record(&p, &bare, &returned).is_ok() {
            out.until_sent.push(role);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_policy_says_who_reads_the_answers() {
        // What docs/access.md states: the advisory doctor always; the occupational
        // physician (of the member's employer) and the treating physician with
        // consent; the coordinator and the assigned paramedic while filling it in.
        let r = answer_readers(true);
        assert_eq!(r.always, vec![Role::AdvisoryDoctor]);
        assert_eq!(
            r.with_consent,
            vec![Role::OccupationalPhysician, Role::TreatingPhysician]
        );
        assert_eq!(r.until_sent, vec![Role::Coordinator, Role::Paramedic]);
        // Without an employer there is no occupational physician to consent to.
        let r = answer_readers(false);
        assert_eq!(r.with_consent, vec![Role::TreatingPhysician]);
        assert!(r.all().all(|x| x != Role::Employer && x != Role::Analyst));
    }
}
