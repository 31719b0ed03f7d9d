//! The policy for the actors outside the fund, as tables: every role × scope, named
//! or not; that nothing lets them infer the category; who records which plan answer,
//! which service's trajectory and which hand-off.

use super::tests::{case, consent, parts, party, party_of, v1, who};
use super::*;
use tnw_domain::event::PlanStatus;
use ConsentRole as CR;
use ConsentScope as CS;

/// The matrix of docs/access.md, whole: every outside role × every scope, with a
/// consent naming the role's party and with a v1 consent naming none. Never the fund's
/// steps, the category, the working file or the consents; medical data only to a
/// physician named.
#[test]
fn the_outside_actors_matrix() {
    let outside = [
        Role::Employer,
        Role::OccupationalPhysician,
        Role::EmploymentService,
        Role::TreatingPhysician,
    ];
    let want = |role: Role, scope: ConsentScope, named: bool| -> Option<&'static str> {
        use ConsentScope as S;
        let physician = matches!(role, Role::OccupationalPhysician | Role::TreatingPhysician);
        // v1 consents reach no treating physician: only a name identifies one.
        if !named && role == Role::TreatingPhysician {
            return None;
        }
        match scope {
            S::Dossier => Some("i---rxsw--"),
            S::ReintegrationPlan => Some("i---rx-w--"),
            S::SocioProfessional => Some("i----xsw--"),
            S::Medical | S::QuickScan if physician && named => Some("i----x---m"),
            S::Medical | S::QuickScan => None,
        }
    };
    let mut failures = Vec::new();
    let mut cells = 0;
    for role in outside {
        let to = role.consent_role().unwrap();
        for scope in ConsentScope::ALL {
            for named in [true, false] {
                let c = if named {
                    consent(to, *scope, Some(party_of(role)))
                } else {
                    v1(to, *scope)
                };
                let got = read_grant(&who(role), &case(&[c]))
                    .ok()
                    .map(|g| parts(&g)[..10].to_owned());
                cells += 1;
                if got.as_deref() != want(role, *scope, named) {
                    failures.push(format!(
                        "{} × {scope} × {}: got {got:?}, want {:?}",
                        role.as_str(),
                        if named { "named" } else { "v1" },
                        want(role, *scope, named)
                    ));
                }
                if let Ok(g) = read_grant(&who(role), &case(&[v1(to, *scope)])) {
                    for hidden in [Part::Fund, Part::Category, Part::Coaching, Part::Consents] {
                        assert!(
                            !g.sees(hidden),
                            "{} sees {}",
                            role.as_str(),
                            hidden.as_str()
                        );
                    }
                }
            }
        }
    }
    assert_eq!(cells, 4 * ConsentScope::ALL.len() * 2);
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

/// No event or milestone of the category's part reaches anyone outside the fund's team
/// and the member: checked on the rule sets themselves, so that a new rule depending on
/// the category cannot slip into an outside actor's view.
#[test]
fn no_outside_actor_can_infer_the_category() {
    let book = tnw_domain::RuleBook::builtin().unwrap();
    let mut checked = 0;
    for set in book.sets() {
        for rule in &set.rules {
            let on_category = rule.when.as_ref().is_some_and(|c| c.field == "category")
                || rule.anchor == tnw_domain::rules::Anchor::Event(EventType::CapacityAssessed);
            if on_category {
                assert_eq!(
                    rule_part(rule),
                    Part::Category,
                    "{} {}",
                    set.name,
                    rule.code
                );
                checked += 1;
            }
        }
    }
    assert!(
        checked >= 4,
        "the rule sets have category-specific rules: {checked}"
    );
    assert_eq!(event_part(EventType::CapacityAssessed), Part::Category);
    for scope in ConsentScope::ALL {
        for p in [
            Role::Employer,
            Role::OccupationalPhysician,
            Role::EmploymentService,
            Role::TreatingPhysician,
        ] {
            assert!(!scope_parts(p, *scope, true).contains(Part::Category));
        }
    }
}

/// Who may record which plan answer, which service's trajectory, and a hand-off only to
/// a service the member consented to.
#[test]
fn plans_trajectories_and_hand_offs_name_the_right_actor() {
    use tnw_domain::event::{Activity, Service};
    let all = case(&[
        v1(CR::Employer, CS::Dossier),
        v1(CR::OccupationalPhysician, CS::Dossier),
        consent(
            CR::EmploymentService,
            CS::SocioProfessional,
            Some("employment_service:vdab"),
        ),
    ]);
    let plan = Event::plan_status;
    let started = |service| Event::SocioProfessionalStarted {
        service,
        activity: Activity::Training,
    };
    let referred = |service| {
        Event::SocioProfessionalReferred(Box::new(tnw_domain::event::HandOff {
            service,
            goals: vec![],
            restrictions: vec![],
            contact: None,
        }))
    };
    let mut forem = who(Role::EmploymentService);
    forem.party = Some(party("employment_service:forem"));
    let rows: Vec<(Principal, Event, bool)> = vec![
        (who(Role::Member), plan(PlanStatus::Accepted), true),
        (who(Role::Member), plan(PlanStatus::RefusedByWorker), true),
        (who(Role::Member), plan(PlanStatus::Drafted), false),
        (who(Role::Employer), plan(PlanStatus::Drafted), true),
        (
            who(Role::Employer),
            plan(PlanStatus::RefusedByWorker),
            false,
        ),
        (
            who(Role::OccupationalPhysician),
            plan(PlanStatus::Drafted),
            true,
        ),
        (
            who(Role::OccupationalPhysician),
            plan(PlanStatus::RefusedByEmployer),
            false,
        ),
        (who(Role::EmploymentService), started(Service::Vdab), true),
        (who(Role::EmploymentService), started(Service::Forem), false),
        // Forem reads nothing here: the consent names VDAB.
        (forem, started(Service::Forem), false),
        (who(Role::Coordinator), referred(Service::Vdab), true),
        (who(Role::Coordinator), referred(Service::Actiris), false),
        (who(Role::EmploymentService), referred(Service::Vdab), false),
    ];
    let mut failures = Vec::new();
    for (p, e, want) in rows {
        let got = may_record(&p, &all, &e);
        if got.is_ok() != want {
            failures.push(format!("{} recording {e:?}: got {got:?}", p.role.as_str()));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
    // Without the member's consent to the service, no hand-off at all.
    assert!(matches!(
        may_record(
            &who(Role::Coordinator),
            &case(&[]),
            &referred(Service::Vdab)
        ),
        Err(Refusal::Inconsistent(_))
    ));
}
