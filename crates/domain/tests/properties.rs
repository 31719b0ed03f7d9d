//! Property tests of the deadline engine on random valid histories.

use proptest::prelude::*;
use std::sync::LazyLock;
use tnw_domain::date::{add_days, parse_date};
use tnw_domain::engine::{evaluate, Item, Status};
use tnw_domain::event::*;
use tnw_domain::facts::CaseFacts;
use tnw_domain::rules::RuleBook;
use tnw_domain::validate::CaseState;
use tnw_domain::Date;

static BOOK: LazyLock<RuleBook> = LazyLock::new(|| RuleBook::builtin().unwrap());

fn opened(start: Date, scheme: Scheme) -> Event {
    Event::CaseOpened(Box::new(CaseOpened {
        person: Person {
            id: "P1".into(),
            name: "Test".into(),
            birth_date: Date::from_ymd_opt(1980, 1, 1).unwrap(),
            sex: Sex::F,
            language: Language::Nl,
            region: Region::Flanders,
        },
        scheme,
        employer: (scheme == Scheme::Employee).then(|| Employer {
            id: "E1".into(),
            name: "Acme".into(),
        }),
        regime: None,
        work_type: None,
        sector: None,
        condition: Condition::Mental,
        incapacity_start: start,
    }))
}

/// Turns a choice and a small number into an event of any type.
fn pick(choice: u8, n: u8) -> Event {
    match choice % 28 {
        0 => Event::QuickScanSent,
        1 => Event::QuickScanReturned {
            answers: Default::default(),
        },
        2 => Event::QuickScanReminder,
        3 => Event::CapacityAssessed {
            category: 1 + n % 4,
        },
        4 => Event::ReferredToCoordinator {
            initiative: Initiative::ALL[usize::from(n) % 2],
        },
        5 | 6 => Event::CoordinatorContact {
            mode: ContactMode::Phone,
            first: n.is_multiple_of(2),
            purpose: None,
            notes: None,
        },
        7 => Event::PartnerReferral {
            to: Partner::Psychologist,
        },
        8 => Event::CodexRequested {
            by: Requester::ALL[usize::from(n) % 4],
        },
        9 => Event::PreReturnVisit,
        10 | 11 => Event::CodexDecision {
            decision: Decision::ALL[usize::from(n) % 5],
            reasons: None,
        },
        12 => Event::plan_status(PlanStatus::ALL[usize::from(n) % 5]),
        13 => Event::SocioProfessionalStarted {
            service: Service::Vdab,
            activity: Activity::Training,
        },
        14 => Event::AuthorisedActivity {
            percent: 1 + n % 99,
        },
        15 => Event::WorkResumed {
            extent: Extent::ALL[usize::from(n) % 2],
            percent: (n % 2 == 1).then_some(50),
            same_employer: true,
            same_job: true,
            adaptations: false,
        },
        16 => Event::CoachingStopped {
            reason: StopReason::ALL[usize::from(n) % 6],
        },
        17 => Event::ActionPlan {
            goals: vec![],
            follow_up: None,
            steps: vec![],
        },
        18 => Event::IncapacityEnded,
        19 => Event::SocioProfessionalEnded { result: None },
        20 => Event::PartnerResult {
            to: Partner::Psychologist,
            result: PartnerOutcome::ALL[usize::from(n) % 6],
            note: None,
        },
        21 => Event::CaseAssigned {
            to: "coordinator".into(),
        },
        22 => Event::LetterSent {
            letter: LetterKind::QuickScanInvitation,
            task: None,
        },
        23 => Event::WorkRestrictions {
            restrictions: vec!["no lifting over 10 kg".into()],
            hours_per_day: Some(4),
            until: None,
        },
        24 => Event::SocioProfessionalReferred(Box::new(tnw_domain::event::HandOff {
            service: Service::ALL[usize::from(n) % 4],
            goals: vec![],
            restrictions: vec![],
            contact: None,
        })),
        25 => Event::SocioProfessionalReport {
            activity: Some(Activity::Training),
            note: None,
        },
        _ => Event::CapacityAssessed { category: 3 },
    }
}

prop_compose! {
    /// A valid history: candidate events are kept only if the validator accepts them.
    fn history()(start_day in 0i64..(365 * 5), scheme in 0usize..3,
                 steps in prop::collection::vec((0i64..60, any::<u8>(), any::<u8>()), 0..40))
                 -> (CaseFacts, Vec<(Date, Event)>) {
        let start = add_days(parse_date("2021-09-01").unwrap(), start_day);
        let scheme = Scheme::ALL[scheme];
        let mut state = CaseState::default();
        let first = opened(start, scheme);
        state.apply(start, &first).unwrap();
        let mut events = vec![(start, first)];
        let mut day = start;
        for (gap, choice, n) in steps {
            day = add_days(day, gap);
            let e = pick(choice, n);
            if state.apply(day, &e).is_ok() {
                events.push((day, e));
            }
        }
        let facts = CaseFacts::from_events(events.iter().map(|(d, e)| (*d, e))).unwrap();
        (facts, events)
    }
}

fn key(i: &Item) -> (String, Option<usize>) {
    (i.rule.key.clone(), i.anchor_pos)
}

fn summary(items: &[Item]) -> Vec<(String, Option<usize>, Date, Date, Status, String)> {
    items
        .iter()
        .map(|i| {
            (
                i.rule.key.clone(),
                i.anchor_pos,
                i.window_start,
                i.due,
                i.status,
                i.set.name.clone(),
            )
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn deterministic((facts, _) in history(), as_of_gap in 0i64..1500) {
        let book = &*BOOK;
        let as_of = add_days(facts.incapacity_start, as_of_gap);
        let (mut a, mut b) = (Vec::new(), Vec::new());
        evaluate(&facts, book, as_of, None, &mut a);
        evaluate(&facts, book, as_of, None, &mut b);
        prop_assert_eq!(summary(&a), summary(&b));
        // And through the storage encoding.
        let decoded = CaseFacts::decode(&facts.encode()).unwrap();
        let mut c = Vec::new();
        evaluate(&decoded, book, as_of, None, &mut c);
        prop_assert_eq!(summary(&a), summary(&c));
    }

    #[test]
    fn no_task_is_due_before_its_window_or_open_before_it((facts, _) in history(), as_of_gap in 0i64..1500) {
        let book = &*BOOK;
        let as_of = add_days(facts.incapacity_start, as_of_gap);
        for forced in [None, Some("tnw-2022"), Some("codex-2022-10"), Some("rtw-2026"), Some("tnw-self-employed-2023")] {
            let forced = forced.map(|n| book.get(n).unwrap());
            let mut items = Vec::new();
            evaluate(&facts, book, as_of, forced, &mut items);
            for i in &items {
                prop_assert!(i.window_start <= i.due, "{} window {} after due {}", i.rule.code, i.window_start, i.due);
                if matches!(i.status, Status::Open | Status::Overdue) {
                    prop_assert!(i.window_start <= as_of, "{} open before its window", i.rule.code);
                    prop_assert_eq!(i.status == Status::Overdue, i.due < as_of);
                }
            }
        }
    }

    #[test]
    fn done_tasks_never_reappear((facts, _) in history(), t1 in 0i64..1500, extra in 0i64..800) {
        let book = &*BOOK;
        let a1 = add_days(facts.incapacity_start, t1);
        let a2 = add_days(a1, extra);
        let (mut early, mut late) = (Vec::new(), Vec::new());
        evaluate(&facts, book, a1, None, &mut early);
        evaluate(&facts, book, a2, None, &mut late);
        for i in early.iter().filter(|i| matches!(i.status, Status::Done { .. })) {
            let later = late.iter().find(|j| key(j) == key(i));
            prop_assert!(later.is_some_and(|j| j.status == i.status),
                "{} done as of {a1} but {:?} as of {a2}", i.rule.code, later.map(|j| j.status));
        }
        // No item that was closed or done comes back as open.
        for i in early.iter().filter(|i| matches!(i.status, Status::Done { .. } | Status::Closed { .. })) {
            let later = late.iter().find(|j| key(j) == key(i));
            prop_assert!(!later.is_some_and(|j| matches!(j.status, Status::Open | Status::Overdue)));
        }
    }

    #[test]
    fn a_new_event_never_makes_a_done_task_reappear((facts, events) in history(), cut in 0usize..40, extra in 0i64..400) {
        // The history up to `cut` events, then the whole history: every task done
        // before the later events arrived is still done, with the same date.
        let book = &*BOOK;
        let cut = cut.min(events.len()).max(1);
        let before = CaseFacts::from_events(events[..cut].iter().map(|(d, e)| (*d, e))).unwrap();
        let as_of = add_days(events.last().map(|(d, _)| *d).unwrap(), extra);
        let (mut early, mut late) = (Vec::new(), Vec::new());
        evaluate(&before, book, as_of, None, &mut early);
        evaluate(&facts, book, as_of, None, &mut late);
        for i in early.iter().filter(|i| matches!(i.status, Status::Done { .. })) {
            let later = late.iter().find(|j| key(j) == key(i));
            prop_assert!(later.is_some_and(|j| j.status == i.status),
                "{} done before the new events but {:?} after", i.rule.code, later.map(|j| j.status));
        }
    }

    #[test]
    fn old_dossiers_keep_old_deadlines_when_a_rule_set_is_added((facts, events) in history(), as_of_gap in 0i64..1500) {
        let future = r#"
name = "future-2040"
title = "A reform nobody has seen yet"
effective_from = "2040-01-01"
extends = "rtw-2026"
remove = ["first_contact"]
[[rule]]
id = "X1"
task = "send_quick_scan"
actor = "fund"
anchor = "incapacity_start"
window = "7d"
due = "14d"
done_by = ["quick_scan_sent"]
done_scope = "any"
source = "test"
reason.en = "Much earlier questionnaire."
"#;
        let base = &*BOOK;
        let more = RuleBook::with_extra(vec![("future.toml".into(), future.into())]).unwrap();
        prop_assume!(events.iter().all(|(d, _)| *d < parse_date("2040-01-01").unwrap()));
        let as_of = add_days(facts.incapacity_start, as_of_gap);
        let (mut a, mut b) = (Vec::new(), Vec::new());
        evaluate(&facts, base, as_of, None, &mut a);
        evaluate(&facts, &more, as_of, None, &mut b);
        prop_assert_eq!(summary(&a), summary(&b));
    }

    #[test]
    fn nothing_is_open_after_the_incapacity_ended((facts, events) in history(), extra in 0i64..800) {
        let book = &*BOOK;
        if let Some((end, _)) = events.iter().find(|(_, e)| matches!(e, Event::IncapacityEnded)) {
            let mut items = Vec::new();
            evaluate(&facts, book, add_days(*end, extra), None, &mut items);
            prop_assert!(items.iter().all(|i| !matches!(i.status, Status::Open | Status::Overdue | Status::Upcoming) || i.rule.kind == tnw_domain::rules::RuleKind::Milestone));
        }
    }
}

/// An item that only an employee can have: the employer's or the occupational
/// physician's, or one of the codex trajectory.
fn employee_item(i: &Item) -> bool {
    use tnw_domain::rules::Anchor;
    let codex = [
        EventType::CodexRequested,
        EventType::PreReturnVisit,
        EventType::CodexDecision,
        EventType::ReintegrationPlan,
    ];
    ["employer", "occupational_physician"].contains(&i.rule.actor.as_str())
        || i.rule.if_employer
        || matches!(i.rule.anchor, Anchor::Event(e) if codex.contains(&e))
        || i.rule.done_by.iter().any(|e| codex.contains(e))
}

const ALL_FORCED: [Option<&str>; 5] = [
    None,
    Some("tnw-2022"),
    Some("codex-2022-10"),
    Some("rtw-2026"),
    Some("tnw-self-employed-2023"),
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn every_item_is_judged_by_a_set_of_the_dossiers_scheme((facts, _) in history(), as_of_gap in 0i64..1500) {
        let book = &*BOOK;
        let as_of = add_days(facts.incapacity_start, as_of_gap);
        for forced in ALL_FORCED {
            let forced = forced.map(|n| book.get(n).unwrap());
            let mut items = Vec::new();
            evaluate(&facts, book, as_of, forced, &mut items);
            for i in &items {
                prop_assert!(i.set.judges(facts.scheme), "{} judged by {} for {}", i.rule.code, i.set.name, facts.scheme);
            }
        }
    }

    #[test]
    fn the_self_employed_never_get_employee_items_nor_anything_before_2023((facts, _) in history(), as_of_gap in 0i64..1500) {
        prop_assume!(facts.scheme == Scheme::SelfEmployed);
        let book = &*BOOK;
        let as_of = add_days(facts.incapacity_start, as_of_gap);
        for forced in ALL_FORCED {
            let forced = forced.map(|n| book.get(n).unwrap());
            let mut items = Vec::new();
            evaluate(&facts, book, as_of, forced, &mut items);
            for i in &items {
                prop_assert!(!employee_item(i), "{} ({}) for a self-employed dossier", i.rule.code, i.rule.actor);
            }
            // Unless a what-if forces the self-employed set on every date.
            let what_if = forced.is_some_and(|f| f.judges(Scheme::SelfEmployed));
            if facts.incapacity_start < parse_date("2023-01-01").unwrap() && !what_if {
                prop_assert!(items.is_empty(), "{:?}", summary(&items));
            }
        }
    }

    #[test]
    fn a_set_for_one_scheme_changes_nothing_for_the_others((facts, _) in history(), as_of_gap in 0i64..1500) {
        // A reform of the self-employed clock leaves employees and the unemployed as
        // they were, and one of the employees' clock leaves the self-employed.
        let se = r#"
name = "se-2024"
title = "A reform of the self-employed clock"
effective_from = "2024-01-01"
extends = "tnw-self-employed-2023"
[[rule]]
id = "X1"
task = "send_quick_scan"
actor = "fund"
anchor = "incapacity_start"
window = "28d"
due = "35d"
done_by = ["quick_scan_sent"]
done_scope = "any"
source = "test"
reason.en = "Earlier questionnaire."
"#;
        let emp = se
            .replace("se-2024", "emp-2024")
            .replace("tnw-self-employed-2023", "codex-2022-10");
        let as_of = add_days(facts.incapacity_start, as_of_gap);
        let base = &*BOOK;
        let other = if facts.scheme == Scheme::SelfEmployed { emp } else { se.to_owned() };
        let more = RuleBook::with_extra(vec![("x.toml".into(), other)]).unwrap();
        let (mut a, mut b) = (Vec::new(), Vec::new());
        evaluate(&facts, base, as_of, None, &mut a);
        evaluate(&facts, &more, as_of, None, &mut b);
        prop_assert_eq!(summary(&a), summary(&b));
    }
}

proptest! {
    /// What a page offers is exactly what validation accepts: an offered type has a
    /// variant that applies, and a type not offered is rejected whatever its fields.
    #[test]
    fn offered_forms_match_validation((_facts, events) in history(), gap in 0i64..30) {
        let mut state = CaseState::default();
        for (d, e) in &events {
            state.apply(*d, e).unwrap();
        }
        let last = events.last().map(|(d, _)| *d).unwrap();
        let day = add_days(last, gap);
        for choice in 0..25u8 {
            for n in 0..8u8 {
                let e = pick(choice, n);
                if state.clone().apply(day, &e).is_ok() {
                    prop_assert!(state.could_record(day, e.event_type()), "{:?} applies but is not offered", e);
                }
            }
        }
    }
}
