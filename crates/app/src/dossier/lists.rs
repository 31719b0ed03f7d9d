//! The lists a person works from: the worklist, the advisory doctor's queue, the
//! team's caseloads, a member's own dossiers, the team to assign dossiers to.

use crate::access::{
    list_scope, may_see_caseloads, may_see_doctor_queue, may_see_team, own_person, worklist_scope,
    Principal, Role, WorklistScope,
};
use crate::dossier::Result;
use crate::timeline::{milestones, parse_events};
use serde::Serialize;
use tnw_domain::{Date, RuleBook};
use tnw_storage::{AccountStore, CaseStore, WorkQueries, WorklistQuery};

/// One row of a caller's worklist.
#[derive(Debug, Clone, Serialize)]
pub struct Work {
    pub case: String,
    pub task: String,
    pub rule: String,
    pub due: Date,
    pub state: &'static str,
    pub region: String,
    pub category: Option<u8>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub quick_scan_returned: Option<Date>,
}

fn work_rows(items: Vec<tnw_storage::WorkItem>, today: Date) -> Vec<Work> {
    items
        .into_iter()
        .map(|w| Work {
            case: w.case.display().into_owned(),
            task: w.task.code,
            rule: w.task.rule,
            due: w.task.due,
            state: if w.task.due < today {
                "overdue"
            } else {
                "open"
            },
            region: w.region,
            // The category is passed on to the fund's team; never medical detail.
            category: w.category,
            quick_scan_returned: w.quick_scan_returned,
        })
        .collect()
}

/// The advisory doctor's queue: returned quick scans waiting for an assessment (also
/// before the assessment window opens: the doctor may assess as soon as one comes
/// back), category-3 re-assessments due within four weeks, and progressive returns
/// to decide on.
#[derive(Debug, Clone, Serialize)]
pub struct DoctorQueue {
    pub to_assess: Vec<Work>,
    pub reassess: Vec<Work>,
    pub progressive: Vec<Work>,
}

pub fn doctor_queue<S: WorkQueries + ?Sized>(
    store: &mut S,
    p: &Principal,
    today: Date,
) -> Result<DoctorQueue> {
    may_see_doctor_queue(p)?;
    let base = WorklistQuery {
        actors: vec!["advisory_doctor".into()],
        limit: 200,
        ..Default::default()
    };
    let to_assess = WorklistQuery {
        task: Some("assess_capacity".into()),
        quick_scan_returned: true,
        ..base.clone()
    };
    let reassess = WorklistQuery {
        task: Some("reassess_capacity".into()),
        due_by: Some(tnw_domain::date::add_days(today, 28)),
        ..base.clone()
    };
    let progressive = WorklistQuery {
        task: Some("decide_progressive_return".into()),
        as_of: Some(today),
        ..base
    };
    Ok(DoctorQueue {
        to_assess: work_rows(store.worklist(&p.org, &to_assess)?, today),
        reassess: work_rows(store.worklist(&p.org, &reassess)?, today),
        progressive: work_rows(store.worklist(&p.org, &progressive)?, today),
    })
}

/// The team's caseloads and, for a coordinator or paramedic, their own dossiers.
#[derive(Debug, Clone, Serialize)]
pub struct Caseload {
    pub team: Vec<CaseloadLine>,
    pub mine: Vec<CaseloadEntry>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CaseloadLine {
    /// `None`: not yet assigned.
    pub assignee: Option<String>,
    pub dossiers: u64,
    pub open_tasks: u64,
    pub overdue_tasks: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct CaseloadEntry {
    pub case: String,
    pub incapacity_start: Date,
    pub region: String,
    pub category: Option<u8>,
    pub next_task: Option<String>,
    pub next_due: Option<Date>,
}

pub fn caseload<S: WorkQueries + ?Sized>(
    store: &mut S,
    p: &Principal,
    today: Date,
) -> Result<Caseload> {
    may_see_caseloads(p)?;
    let actors = Role::Coordinator.worklist_actors();
    let team = store
        .caseload(&p.org, actors, today)?
        .into_iter()
        .map(|r| CaseloadLine {
            assignee: r.assignee,
            dossiers: r.dossiers,
            open_tasks: r.open_tasks,
            overdue_tasks: r.overdue_tasks,
        })
        .collect();
    let mine = match list_scope(p, true) {
        Some(me) => store
            .assigned_cases(&p.org, &me, actors, 500)?
            .into_iter()
            .map(|c| CaseloadEntry {
                case: c.case.display().into_owned(),
                incapacity_start: c.incapacity_start,
                region: c.region,
                category: c.category,
                next_due: c.next_task.as_ref().map(|t| t.1),
                next_task: c.next_task.map(|t| t.0),
            })
            .collect(),
        None => Vec::new(),
    };
    Ok(Caseload { team, mine })
}

/// Filters a person can set on the worklist.
#[derive(Debug, Clone, Default)]
pub struct WorkFilter {
    pub task: Option<String>,
    pub due_within_days: Option<i64>,
    pub region: Option<String>,
    pub category: Option<u8>,
    /// A coordinator's own caseload only (a paramedic always sees only theirs).
    pub mine: bool,
    pub limit: Option<u32>,
}

/// The caller's open and overdue tasks on `today`.
pub fn worklist<S: CaseStore + WorkQueries + ?Sized>(
    store: &mut S,
    book: &RuleBook,
    p: &Principal,
    f: &WorkFilter,
    today: Date,
) -> Result<Vec<Work>> {
    let state = |due: Date| if due < today { "overdue" } else { "open" };
    match worklist_scope(p, f.mine) {
        WorklistScope::Fund { assignee } => {
            let q = WorklistQuery {
                actors: p
                    .role
                    .worklist_actors()
                    .iter()
                    .map(|a| a.to_string())
                    .collect(),
                as_of: Some(today),
                due_by: f
                    .due_within_days
                    .map(|n| tnw_domain::date::add_days(today, n)),
                task: f.task.clone(),
                region: f.region.clone(),
                category: f.category,
                assignee,
                quick_scan_returned: false,
                limit: f.limit.unwrap_or(200).min(1000),
            };
            Ok(work_rows(store.worklist(&p.org, &q)?, today))
        }
        WorklistScope::OwnTasks { person } => {
            let keys = store.cases_of_person(&p.org, &person)?;
            let mut out = Vec::new();
            for case in store.load_cases(&p.org, &keys)?.into_iter().flatten() {
                let events = parse_events(&case)?;
                let (_, ms) = milestones(&case.key, &events, book, today, None, "en")?;
                out.extend(
                    ms.into_iter()
                        .filter(|m| {
                            m.kind == "task"
                                && m.actor == "member"
                                && matches!(m.status, "open" | "overdue")
                        })
                        .map(|m| Work {
                            case: case.key.display().into_owned(),
                            task: m.code,
                            rule: m.rule,
                            due: m.due,
                            state: state(m.due),
                            region: String::new(),
                            category: None,
                            quick_scan_returned: None,
                        }),
                );
            }
            Ok(out)
        }
        WorklistScope::Party { actors } => {
            let q = WorklistQuery {
                actors,
                as_of: Some(today),
                due_by: f
                    .due_within_days
                    .map(|n| tnw_domain::date::add_days(today, n)),
                task: f.task.clone(),
                region: f.region.clone(),
                category: None,
                assignee: None,
                quick_scan_returned: false,
                limit: f.limit.unwrap_or(200).min(1000),
            };
            let items = store_items(store, p, &q)?;
            party_worklist(store, book, p, items, today)
        }
        WorklistScope::None => Ok(Vec::new()),
    }
}

fn store_items<S: WorkQueries + ?Sized>(
    store: &mut S,
    p: &Principal,
    q: &WorklistQuery,
) -> Result<Vec<tnw_storage::WorkItem>> {
    if q.actors.is_empty() {
        return Ok(Vec::new());
    }
    Ok(store.worklist(&p.org, q)?)
}

/// An outside actor's deadlines, on the dossiers they may read and in the parts their
/// grant holds; a milestone shows until its day (`upcoming`), a task until it is done.
fn party_worklist<S: CaseStore + ?Sized>(
    store: &mut S,
    book: &RuleBook,
    p: &Principal,
    items: Vec<tnw_storage::WorkItem>,
    today: Date,
) -> Result<Vec<Work>> {
    let mut keys: Vec<tnw_domain::CaseKey> = items.iter().map(|w| w.case.clone()).collect();
    keys.sort();
    keys.dedup();
    let mut grants = std::collections::HashMap::new();
    for case in store.load_cases(&p.org, &keys)?.into_iter().flatten() {
        let ctx = crate::dossier::reading::access_context(&case, today)?;
        if let Ok(g) = crate::access::read_grant(p, &ctx) {
            grants.insert(case.key.clone(), g);
        }
    }
    let mut out = Vec::new();
    for w in items {
        let (Some(g), Some(rule)) = (
            grants.get(&w.case),
            find_rule(book, &w.task.rule, &w.task.code),
        ) else {
            continue;
        };
        if !g.sees(crate::access::rule_part(rule)) {
            continue;
        }
        let state = match rule.kind {
            tnw_domain::rules::RuleKind::Milestone if w.task.due < today => continue,
            tnw_domain::rules::RuleKind::Milestone => "upcoming",
            tnw_domain::rules::RuleKind::Task if w.task.due < today => "overdue",
            tnw_domain::rules::RuleKind::Task => "open",
        };
        out.push(Work {
            case: w.case.display().into_owned(),
            task: w.task.code,
            rule: w.task.rule,
            due: w.task.due,
            state,
            region: w.region,
            category: None,
            quick_scan_returned: None,
        });
    }
    Ok(out)
}

/// The rule a stored task came from (by its id and code; a child set's rule of the
/// same id is the same deadline).
fn find_rule<'a>(book: &'a RuleBook, id: &str, code: &str) -> Option<&'a tnw_domain::rules::Rule> {
    book.sets()
        .iter()
        .flat_map(|s| s.rules.iter())
        .find(|r| r.id == id && r.code == code)
}

/// The member's own dossiers.
pub fn my_cases<S: CaseStore + ?Sized>(store: &mut S, p: &Principal) -> Result<Vec<String>> {
    match own_person(p) {
        Some(person) => Ok(store
            .cases_of_person(&p.org, person)?
            .iter()
            .map(|k| k.display().into_owned())
            .collect()),
        None => Ok(Vec::new()),
    }
}

/// The fund's active coordinators and paramedics (username, display name): for whoever
/// assigns dossiers.
pub fn team<S: AccountStore + ?Sized>(
    store: &mut S,
    p: &Principal,
) -> Result<Vec<(String, String)>> {
    may_see_team(p)?;
    Ok(store
        .users(&p.org)?
        .into_iter()
        .filter(|u| u.active && Role::parse(&u.role).is_some_and(Role::takes_assignments))
        .map(|u| (u.username, u.display_name))
        .collect())
}
