//! The parties a member may choose from when consenting: the people already involved in
//! the dossier (its employer, the regional employment service, those named before),
//! so that the member names them without typing numbers.

use serde::Serialize;
use tnw_domain::event::{ConsentRole, Event};
use tnw_domain::party::{EnterpriseNumber, Party};
use tnw_domain::Date;

/// One party offered on the consent form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PartyChoice {
    pub party: Party,
    /// The role a consent to this party is given to.
    pub to: ConsentRole,
    /// How the dossier names it (the employer's name), when it does.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

/// The parties involved in a dossier, in a stable order: the employer (when the
/// dossier names it by a valid enterprise number), the employment service of the
/// member's region, the services of socio-professional trajectories, every party a
/// consent has named, and the other regional services (organisations, which a member
/// working or looking for work across a regional border may choose).
pub fn involved_parties<'a>(
    events: impl IntoIterator<Item = (Date, &'a Event)>,
) -> Vec<PartyChoice> {
    let mut out: Vec<PartyChoice> = Vec::new();
    let mut add = |party: Party, name: Option<String>| {
        if !out.iter().any(|c| c.party == party) {
            out.push(PartyChoice {
                party,
                to: party.role(),
                name,
            });
        }
    };
    for (_, e) in events {
        match e {
            Event::CaseOpened(o) => {
                if let Some(emp) = &o.employer {
                    if let Ok(n) = EnterpriseNumber::parse(&emp.id) {
                        add(Party::Employer(n), Some(emp.name.clone()));
                    }
                }
                if let Some(s) = crate::access::service_of_region(o.person.region) {
                    add(Party::EmploymentService(s), None);
                }
            }
            Event::SocioProfessionalStarted { service, .. } => {
                if let Some(s) = tnw_domain::party::EmploymentService::parse(service.as_str()) {
                    add(Party::EmploymentService(s), None);
                }
            }
            Event::ConsentGiven { party: Some(p), .. } => add(*p, None),
            _ => {}
        }
    }
    for s in tnw_domain::party::EmploymentService::ALL {
        add(Party::EmploymentService(s), None);
    }
    out
}
