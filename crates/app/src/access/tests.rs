//! The access policy as tables: who, on which dossier, gets which parts (or which
//! refusal). One row per situation; a row that no longer holds names itself.

use super::*;
use tnw_domain::event::{ContactMode, Initiative, PlanStatus, Requester};
use tnw_domain::party::Party;
use tnw_domain::CaseKey;
use ConsentRole as CR;
use ConsentScope as CS;

pub(super) fn party(s: &str) -> Party {
    Party::parse(s).unwrap()
}

/// The employer of the test dossiers and the parties acting in them.
pub(super) const EMPLOYER: &str = "employer:0202239951";
pub(super) const OTHER_EMPLOYER: &str = "employer:0409536968";
pub(super) const SERVICE: &str = "occupational_health:0403170701";
pub(super) const GP: &str = "physician:10000000001";
pub(super) const OTHER_GP: &str = "physician:10000000002";

pub(super) fn who(role: Role) -> Principal {
    Principal {
        username: "u".into(),
        org: "fund-a".into(),
        role,
        person_id: (role == Role::Member).then(|| "P1".to_owned()),
        employer_id: (role == Role::OccupationalPhysician).then(|| "0202239951".to_owned()),
        party: match role {
            Role::Employer => Some(party(EMPLOYER)),
            Role::OccupationalPhysician => Some(party(SERVICE)),
            Role::EmploymentService => Some(party("employment_service:vdab")),
            Role::TreatingPhysician => Some(party(GP)),
            _ => None,
        },
    }
}

pub(super) fn consent(to: ConsentRole, scope: ConsentScope, named: Option<&str>) -> Consent {
    Consent {
        to,
        scope,
        party: named.map(party),
        until: None,
    }
}

/// A v1 consent: to a role, naming no party.
pub(super) fn v1(to: ConsentRole, scope: ConsentScope) -> Consent {
    consent(to, scope, None)
}

/// The party of the test principal of `role`.
pub(super) fn party_of(role: Role) -> &'static str {
    match role {
        Role::Employer => EMPLOYER,
        Role::OccupationalPhysician => SERVICE,
        Role::EmploymentService => "employment_service:vdab",
        _ => GP,
    }
}

/// Member P1's dossier in Flanders at employer 0202239951, assigned to `u`.
pub(super) fn case(consents: &[Consent]) -> CaseContext {
    CaseContext {
        person_id: "P1".into(),
        employer_id: Some("0202239951".into()),
        region: Some(Region::Flanders),
        consents: consents.to_vec(),
        assigned_to: Some("u".into()),
    }
}

/// What a grant shows, as a short string: one letter per part in [`Part::ALL`]'s
/// order (identity, fund, category, coaching, reintegration, restrictions (x),
/// socio-professional, return (w), consents (o), medical) and the purpose.
pub(super) fn parts(g: &Grant) -> String {
    let letters = ['i', 'f', 'k', 'c', 'r', 'x', 's', 'w', 'o', 'm'];
    let mut s: String = Part::ALL
        .iter()
        .zip(letters)
        .map(|(p, c)| if g.sees(*p) { c } else { '-' })
        .collect();
    s.push(' ');
    s.push_str(g.purpose);
    s
}

pub(super) fn read(p: &Principal, c: &CaseContext) -> Result<String, Refusal> {
    read_grant(p, c).map(|g| parts(&g))
}

#[test]
fn who_reads_which_parts_of_a_dossier() {
    let none: &[Consent] = &[];
    let fund_team = "ifkcrxswo- coordination";
    type Row<'a> = (&'a str, Principal, CaseContext, Result<&'a str, Refusal>);
    let mut other_member = who(Role::Member);
    other_member.person_id = Some("P2".into());
    let mut other_employer = who(Role::Employer);
    other_employer.party = Some(party(OTHER_EMPLOYER));
    let mut legacy_employer = who(Role::Employer);
    legacy_employer.party = None;
    legacy_employer.employer_id = Some("0202239951".into());
    let mut employer_without_id = who(Role::Employer);
    employer_without_id.party = None;
    let mut other_paramedic = who(Role::Paramedic);
    other_paramedic.username = "someone-else".into();
    let mut forem = who(Role::EmploymentService);
    forem.party = Some(party("employment_service:forem"));
    let mut other_gp = who(Role::TreatingPhysician);
    other_gp.party = Some(party(OTHER_GP));
    let mut other_service = who(Role::OccupationalPhysician);
    other_service.party = Some(party("occupational_health:0202239951"));
    other_service.employer_id = Some("0409536968".into());
    let rows: Vec<Row> = vec![
        (
            "member, own dossier",
            who(Role::Member),
            case(none),
            Ok("ifkcrxswo- own dossier"),
        ),
        (
            "member, another's dossier",
            other_member,
            case(none),
            Err(Refusal::NotYours),
        ),
        (
            "advisory doctor",
            who(Role::AdvisoryDoctor),
            case(none),
            Ok("ifkcrxswom medical assessment"),
        ),
        (
            "coordinator",
            who(Role::Coordinator),
            case(none),
            Ok(fund_team),
        ),
        (
            "paramedic, assigned",
            who(Role::Paramedic),
            case(none),
            Ok(fund_team),
        ),
        (
            "paramedic, not assigned",
            other_paramedic,
            case(none),
            Err(Refusal::NotAssigned),
        ),
        (
            "admin",
            who(Role::Admin),
            case(none),
            Err(Refusal::NoDossierAccess),
        ),
        (
            "analyst",
            who(Role::Analyst),
            case(none),
            Err(Refusal::NoDossierAccess),
        ),
        (
            "employer, no consent",
            who(Role::Employer),
            case(none),
            Err(Refusal::NoConsent),
        ),
        (
            "employer, consent given to the occupational physician",
            who(Role::Employer),
            case(&[v1(CR::OccupationalPhysician, CS::Dossier)]),
            Err(Refusal::NoConsent),
        ),
        (
            "employer, another employer's worker (v1 consent)",
            other_employer.clone(),
            case(&[v1(CR::Employer, CS::Dossier)]),
            Err(Refusal::NoConsent),
        ),
        (
            "employer, a consent naming another employer",
            who(Role::Employer),
            case(&[consent(CR::Employer, CS::Dossier, Some(OTHER_EMPLOYER))]),
            Err(Refusal::NoConsent),
        ),
        (
            "the other employer, named",
            other_employer,
            case(&[consent(
                CR::Employer,
                CS::ReintegrationPlan,
                Some(OTHER_EMPLOYER),
            )]),
            Ok("i---rx-w-- re-integration"),
        ),
        (
            "employer account made before parties, v1 consent",
            legacy_employer,
            case(&[v1(CR::Employer, CS::ReintegrationPlan)]),
            Ok("i---rx-w-- re-integration"),
        ),
        (
            "employer account without an employer",
            employer_without_id,
            case(&[v1(CR::Employer, CS::Dossier)]),
            Err(Refusal::NoConsent),
        ),
        (
            "employment service of another region, v1 consent",
            forem.clone(),
            case(&[v1(CR::EmploymentService, CS::SocioProfessional)]),
            Err(Refusal::NoConsent),
        ),
        (
            "employment service, a consent naming another service",
            forem,
            case(&[consent(
                CR::EmploymentService,
                CS::SocioProfessional,
                Some("employment_service:vdab"),
            )]),
            Err(Refusal::NoConsent),
        ),
        (
            "a treating physician the consent does not name",
            other_gp,
            case(&[consent(CR::TreatingPhysician, CS::Medical, Some(GP))]),
            Err(Refusal::NoConsent),
        ),
        (
            "an occupational health service the consent does not name",
            other_service,
            case(&[consent(
                CR::OccupationalPhysician,
                CS::Dossier,
                Some(SERVICE),
            )]),
            Err(Refusal::NoConsent),
        ),
        (
            "occupational physician, named dossier and medical consents",
            who(Role::OccupationalPhysician),
            case(&[
                consent(CR::OccupationalPhysician, CS::Dossier, Some(SERVICE)),
                consent(CR::OccupationalPhysician, CS::Medical, Some(SERVICE)),
            ]),
            Ok("i---rxsw-m re-integration"),
        ),
    ];
    let mut failures = Vec::new();
    for (name, p, c, want) in rows {
        let got = read(&p, &c);
        if got.as_deref().map_err(Clone::clone) != want {
            failures.push(format!("{name}: got {got:?}, want {want:?}"));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn a_withdrawn_consent_no_longer_opens_the_dossier() {
    let d = |s: &str| tnw_domain::date::parse_date(s).unwrap();
    let given = Event::ConsentGiven {
        to: CR::Employer,
        scope: CS::ReintegrationPlan,
        party: None,
        until: None,
    };
    let withdrawn = Event::ConsentWithdrawn {
        to: CR::Employer,
        scope: CS::ReintegrationPlan,
        party: None,
    };
    let events = [(d("2026-01-10"), &given), (d("2026-02-10"), &withdrawn)];
    let employer = who(Role::Employer);
    for (today, want) in [
        ("2026-01-09", Err(Refusal::NoConsent)),
        ("2026-01-10", Ok(())),
        ("2026-02-09", Ok(())),
        ("2026-02-10", Err(Refusal::NoConsent)),
    ] {
        let mut ctx = CaseContext::from_events(events.iter().copied(), d(today));
        ctx.person_id = "P1".into();
        ctx.employer_id = Some("0202239951".into());
        assert_eq!(
            read_grant(&employer, &ctx).map(|_| ()),
            want,
            "as of {today}"
        );
    }
}

#[test]
fn who_records_which_events() {
    let all = case(&[
        v1(CR::Employer, CS::Dossier),
        v1(CR::OccupationalPhysician, CS::Dossier),
        v1(CR::EmploymentService, CS::Dossier),
        consent(CR::TreatingPhysician, CS::Dossier, Some(GP)),
    ]);
    let contact = Event::CoordinatorContact {
        mode: ContactMode::Phone,
        first: true,
        purpose: None,
        notes: None,
    };
    let plan = Event::plan_status(PlanStatus::Drafted);
    let by = |by| Event::CodexRequested { by };
    let referral = |initiative| Event::ReferredToCoordinator { initiative };
    let no = |t| Err(Refusal::MayNotRecord(t));
    let inconsistent = |s: &str| Err(Refusal::Inconsistent(s.to_owned()));
    type Row<'a> = (Role, Event, Result<&'a str, Refusal>);
    let rows: Vec<Row> = vec![
        (Role::Coordinator, contact.clone(), Ok("coordination")),
        (Role::Paramedic, contact.clone(), Ok("coordination")),
        (
            Role::Employer,
            contact.clone(),
            no(EventType::CoordinatorContact),
        ),
        (
            Role::Member,
            contact.clone(),
            no(EventType::CoordinatorContact),
        ),
        (Role::Employer, plan.clone(), Ok("re-integration")),
        (
            Role::Coordinator,
            plan.clone(),
            no(EventType::ReintegrationPlan),
        ),
        (Role::Member, by(Requester::Worker), Ok("own dossier")),
        (
            Role::Member,
            by(Requester::Employer),
            inconsistent("a member cannot record a request by the employer"),
        ),
        (
            Role::Employer,
            by(Requester::Employer),
            Ok("re-integration"),
        ),
        (
            Role::TreatingPhysician,
            by(Requester::TreatingPhysician),
            Ok("treatment"),
        ),
        (
            Role::TreatingPhysician,
            by(Requester::Worker),
            inconsistent("a treating_physician cannot record a request by the worker"),
        ),
        (
            Role::AdvisoryDoctor,
            referral(Initiative::AdvisoryDoctor),
            Ok("medical assessment"),
        ),
        (
            Role::Member,
            referral(Initiative::Member),
            Ok("own dossier"),
        ),
        (
            Role::Coordinator,
            referral(Initiative::Member),
            Ok("coordination"),
        ),
        (
            Role::Coordinator,
            referral(Initiative::AdvisoryDoctor),
            inconsistent(
                "a coordinator cannot record a referral on the advisory_doctor's initiative",
            ),
        ),
        (Role::Admin, contact.clone(), Err(Refusal::NoDossierAccess)),
        (Role::Analyst, plan.clone(), Err(Refusal::NoDossierAccess)),
    ];
    let mut failures = Vec::new();
    for (role, event, want) in rows {
        let got = may_record(&who(role), &all, &event);
        if got != want {
            failures.push(format!(
                "{} recording {}: got {got:?}, want {want:?}",
                role.as_str(),
                event.event_type()
            ));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn recording_needs_read_access_first() {
    // An employer whose worker gave no consent may not record even the events of
    // their role.
    let plan = Event::plan_status(PlanStatus::Drafted);
    assert_eq!(
        may_record(&who(Role::Employer), &case(&[]), &plan),
        Err(Refusal::NoConsent)
    );
}

/// Which role passes each policy function (`true`) and which is refused.
#[test]
fn the_fund_wide_views_by_role() {
    type Check = fn(&Principal) -> bool;
    let checks: &[(&str, Check, &[Role])] = &[
        (
            "dossiers",
            |p| may_read_dossiers(p).is_ok(),
            &[
                Role::Member,
                Role::AdvisoryDoctor,
                Role::Coordinator,
                Role::Paramedic,
                Role::OccupationalPhysician,
                Role::Employer,
                Role::EmploymentService,
                Role::TreatingPhysician,
            ],
        ),
        (
            "figures",
            |p| figures_access(p).is_ok(),
            &[
                Role::AdvisoryDoctor,
                Role::Coordinator,
                Role::Analyst,
                Role::Admin,
            ],
        ),
        (
            "aggregate figures only",
            |p| figures_access(p).is_ok_and(|a| a.aggregate_only),
            &[Role::Analyst],
        ),
        (
            "caseloads",
            |p| may_see_caseloads(p).is_ok(),
            &[Role::Coordinator, Role::Paramedic, Role::Admin],
        ),
        (
            "doctor's queue",
            |p| may_see_doctor_queue(p).is_ok(),
            &[Role::AdvisoryDoctor],
        ),
        (
            "audit log",
            |p| may_read_audit_log(p).is_ok(),
            &[Role::Admin],
        ),
        (
            "accounts",
            |p| may_manage_accounts(p).is_ok(),
            &[Role::Admin],
        ),
        (
            "team",
            |p| may_see_team(p).is_ok(),
            &[Role::Coordinator, Role::Admin],
        ),
        (
            "fund worklist",
            |p| matches!(worklist_scope(p, false), WorklistScope::Fund { .. }),
            &[Role::AdvisoryDoctor, Role::Coordinator, Role::Paramedic],
        ),
        (
            "own tasks",
            |p| matches!(worklist_scope(p, false), WorklistScope::OwnTasks { .. }),
            &[Role::Member],
        ),
        (
            "own caseload filter",
            offers_own_caseload,
            &[Role::Coordinator],
        ),
        (
            "a party's worklist",
            |p| matches!(worklist_scope(p, false), WorklistScope::Party { actors } if !actors.is_empty()),
            &[
                Role::OccupationalPhysician,
                Role::Employer,
                Role::EmploymentService,
                Role::TreatingPhysician,
            ],
        ),
        (
            "category filter",
            offers_category_filter,
            &[Role::AdvisoryDoctor, Role::Coordinator, Role::Paramedic],
        ),
    ];
    let mut failures = Vec::new();
    for (name, check, allowed) in checks {
        for role in Role::ALL {
            let got = check(&who(*role));
            if got != allowed.contains(role) {
                failures.push(format!("{name}: {} got {got}", role.as_str()));
            }
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn lists_are_scoped_to_the_callers_dossiers() {
    let p = who(Role::Paramedic);
    // A paramedic's list is always their own dossiers; a coordinator's when asked.
    assert_eq!(
        worklist_scope(&p, false),
        WorklistScope::Fund {
            assignee: Some("u".into())
        }
    );
    let c = who(Role::Coordinator);
    assert_eq!(
        worklist_scope(&c, false),
        WorklistScope::Fund { assignee: None }
    );
    assert_eq!(
        worklist_scope(&c, true),
        WorklistScope::Fund {
            assignee: Some("u".into())
        }
    );
    let mut member_without_person = who(Role::Member);
    member_without_person.person_id = None;
    assert_eq!(
        worklist_scope(&member_without_person, false),
        WorklistScope::None
    );
    assert_eq!(own_person(&who(Role::Member)), Some("P1"));
    assert_eq!(own_person(&who(Role::Coordinator)), None);
}

#[test]
fn a_member_sees_who_opened_their_own_dossiers_only() {
    let mine = [CaseKey::from_str_id("C1")];
    let member = who(Role::Member);
    assert_eq!(may_see_access_log(&member, &mine, &mine[0]), Ok(()));
    assert_eq!(
        may_see_access_log(&member, &mine, &CaseKey::from_str_id("C2")),
        Err(Refusal::NotYours)
    );
    assert_eq!(
        may_see_access_log(&who(Role::Coordinator), &mine, &mine[0]),
        Err(Refusal::NotYours)
    );
}

#[test]
fn the_recording_forms_by_role() {
    let with_form = [
        EventType::ReferredToCoordinator,
        EventType::CoordinatorContact,
        EventType::CapacityAssessed,
        EventType::ReintegrationPlan,
    ];
    for (role, want) in [
        (
            Role::AdvisoryDoctor,
            &[
                EventType::ReferredToCoordinator,
                EventType::CapacityAssessed,
            ][..],
        ),
        // The coordinator records the member's own request for them.
        (
            Role::Coordinator,
            &[
                EventType::ReferredToCoordinator,
                EventType::CoordinatorContact,
            ][..],
        ),
        // The member records on their own page.
        (Role::Member, &[][..]),
        (Role::Employer, &[EventType::ReintegrationPlan][..]),
    ] {
        assert_eq!(recording_forms(role, &with_form), want, "{}", role.as_str());
    }
}

#[test]
fn an_admin_cannot_lock_themselves_out() {
    let admin = who(Role::Admin);
    assert!(locks_out_self(&admin, "u", false, "admin"));
    assert!(locks_out_self(&admin, "u", true, "coordinator"));
    assert!(!locks_out_self(&admin, "u", true, "admin"));
    assert!(!locks_out_self(&admin, "someone-else", false, "member"));
}

#[test]
fn every_role_lands_on_one_of_its_screens() {
    for role in Role::ALL {
        let screens = role.screens();
        if !screens.is_empty() {
            assert!(screens.contains(&role.home()), "{}", role.as_str());
        }
    }
    assert_eq!(Role::Member.home(), Screen::MyDossiers);
    assert_eq!(Role::Analyst.home(), Screen::Figures);
    assert!(Role::Analyst.figures_only());
    assert!(!Role::Admin.figures_only());
}

#[test]
fn account_links_and_reminders_by_role() {
    for role in Role::ALL {
        assert_eq!(
            role.needs_person(),
            *role == Role::Member,
            "{}",
            role.as_str()
        );
        assert_eq!(
            role.needs_party(),
            matches!(
                role,
                Role::Employer
                    | Role::OccupationalPhysician
                    | Role::EmploymentService
                    | Role::TreatingPhysician
            ),
            "{}",
            role.as_str()
        );
    }
    assert_eq!(Role::Coordinator.reminded_of_own_dossiers(), Some(true));
    assert_eq!(Role::Paramedic.reminded_of_own_dossiers(), Some(true));
    assert_eq!(Role::AdvisoryDoctor.reminded_of_own_dossiers(), Some(false));
    assert_eq!(Role::Employer.reminded_of_own_dossiers(), None);
}

#[test]
fn operators_are_audited_under_their_name() {
    let op = Operator { name: "ops".into() };
    assert_eq!(op.username(), "cli:ops");
    assert_eq!(OPERATOR_ROLE, "operator");
}

/// A consent in force until a date closes on that day; medical data shared with a
/// physician without an end date closes two years after it was given; withdrawing a
/// consent naming a party leaves the role's other consents in force.
#[test]
fn consents_end_on_their_date() {
    let d = |s: &str| tnw_domain::date::parse_date(s).unwrap();
    let party = |s: &str| Some(tnw_domain::party::Party::parse(s).unwrap());
    let until = Event::ConsentGiven {
        to: CR::Employer,
        scope: CS::ReintegrationPlan,
        party: party("employer:0202239951"),
        until: Some(d("2026-03-01")),
    };
    let medical = Event::ConsentGiven {
        to: CR::TreatingPhysician,
        scope: CS::Medical,
        party: None,
        until: None,
    };
    let other = Event::ConsentGiven {
        to: CR::Employer,
        scope: CS::ReintegrationPlan,
        party: party("employer:0409536968"),
        until: None,
    };
    let withdrawn = Event::ConsentWithdrawn {
        to: CR::Employer,
        scope: CS::ReintegrationPlan,
        party: party("employer:0409536968"),
    };
    let in_force = |events: &[(Date, &Event)], today: &str| {
        CaseContext::from_events(events.iter().copied(), d(today))
            .consents
            .iter()
            .map(|c| (c.to, c.scope))
            .collect::<Vec<_>>()
    };
    let one = [(d("2026-01-10"), &until)];
    assert_eq!(
        in_force(&one, "2026-02-28"),
        [(CR::Employer, CS::ReintegrationPlan)]
    );
    assert!(in_force(&one, "2026-03-01").is_empty());
    let doc = [(d("2026-01-10"), &medical)];
    assert_eq!(
        in_force(&doc, "2028-01-09"),
        [(CR::TreatingPhysician, CS::Medical)]
    );
    assert!(in_force(&doc, "2028-01-10").is_empty());
    // Two employers' consents; one withdrawn, the other still opens the role.
    let two = [
        (d("2026-01-10"), &until),
        (d("2026-01-11"), &other),
        (d("2026-01-12"), &withdrawn),
    ];
    assert_eq!(
        in_force(&two, "2026-02-01"),
        [(CR::Employer, CS::ReintegrationPlan)]
    );
    assert!(in_force(&two, "2026-03-02").is_empty());
}
