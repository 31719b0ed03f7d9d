//! The deadline engine: a pure function from a case's facts, the rule book and an
//! "as of" date to the case's tasks and milestones.
//!
//! For every anchor (day 0 and each fact) and every rule code that can start there,
//! the rule set that judges the instance is the newest set of the dossier's scheme in
//! force on the instance's relevant date (see [`SelectBy`]); `--rules` forces one set
//! for every dossier of that set's schemes.

use crate::date::Date;
use crate::event::{EventType, Scheme};
use crate::facts::{CaseFacts, Fact};
use crate::rules::{Anchor, DoneScope, Rule, RuleBook, RuleKind, RuleSet, SelectBy};
use serde::Serialize;

/// Where a task or milestone stands on the as-of date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "status")]
pub enum Status {
    /// The window has not opened yet.
    Upcoming,
    /// The window is open and the due date has not passed.
    Open,
    /// Not done and the due date is before the as-of date.
    Overdue,
    /// Done by an event on this date.
    Done { on: Date, by: EventType },
    /// No longer required: superseded, cancelled or the incapacity ended.
    Closed { on: Date, by: EventType },
    /// A milestone whose date has come.
    Reached,
}

impl Status {
    /// The state string of the `due` output, for tasks that count there.
    pub fn due_state(&self) -> Option<&'static str> {
        match self {
            Status::Open => Some("open"),
            Status::Overdue => Some("overdue"),
            _ => None,
        }
    }
}

/// One task or milestone instance of a case.
#[derive(Debug, Clone, Copy)]
pub struct Item<'b> {
    pub rule: &'b Rule,
    pub set: &'b RuleSet,
    /// The date of the anchoring fact (or the first day of incapacity).
    pub anchor_date: Date,
    /// Position of the anchoring fact in the case's facts; `None` for day 0.
    pub anchor_pos: Option<usize>,
    pub window_start: Date,
    pub due: Date,
    pub status: Status,
}

/// Evaluates a case as of `as_of`. Appends every instance (done, open, upcoming …) to
/// `out` in a deterministic order: by due date, then rule code.
pub fn evaluate<'b>(
    case: &CaseFacts,
    book: &'b RuleBook,
    as_of: Date,
    forced: Option<&'b RuleSet>,
    out: &mut Vec<Item<'b>>,
) {
    let start_len = out.len();
    let facts = case.until(as_of);
    if facts.is_empty() {
        return;
    }
    let start = case.incapacity_start;
    let trajectory_start = facts
        .iter()
        .find(|f| f.kind == EventType::ReferredToCoordinator)
        .map(|f| f.date);
    if forced.is_some_and(|f| !f.judges(case.scheme)) {
        return;
    }
    let anchors = std::iter::once((None, Anchor::IncapacityStart, start)).chain(
        facts
            .iter()
            .enumerate()
            .map(|(i, f)| (Some(i), Anchor::Event(f.kind), f.date)),
    );
    for (pos, anchor, anchor_date) in anchors {
        for &code in book.codes_for(anchor) {
            let dates = Relevant {
                anchor: anchor_date,
                incapacity_start: start,
                trajectory_start,
            };
            let Some(set) = select(book, forced, code, case.scheme, dates) else {
                continue;
            };
            let Some(rule) = set.rule_by_code(code) else {
                continue;
            };
            if rule.anchor != anchor || !applies(rule, case, pos.map(|p| facts[p])) {
                continue;
            }
            let base = if rule.from_start { start } else { anchor_date };
            let window_start = rule.window.apply(base);
            let due = rule.due.apply(base);
            let status = match rule.kind {
                RuleKind::Task => task_status(rule, set, facts, pos, window_start, due, as_of),
                RuleKind::Milestone => milestone_status(rule, facts, pos, due, as_of),
            };
            out.push(Item {
                rule,
                set,
                anchor_date,
                anchor_pos: pos,
                window_start,
                due,
                status,
            });
        }
    }
    out[start_len..].sort_by(|a, b| {
        (a.due, a.window_start, &a.rule.code, a.anchor_pos).cmp(&(
            b.due,
            b.window_start,
            &b.rule.code,
            b.anchor_pos,
        ))
    });
}

/// The dates an instance of a rule may be judged by (see [`SelectBy`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Relevant {
    /// The date of the anchoring event (day 0 for rules counted from the start).
    pub anchor: Date,
    pub incapacity_start: Date,
    /// The first referral to the coordinator, if any.
    pub trajectory_start: Option<Date>,
}

/// The set that judges an instance of rule `code` in a dossier of `scheme`: the
/// newest set of that scheme in force on the instance's relevant date.
fn select<'b>(
    book: &'b RuleBook,
    forced: Option<&'b RuleSet>,
    code: usize,
    scheme: Scheme,
    dates: Relevant,
) -> Option<&'b RuleSet> {
    if let Some(f) = forced {
        return f.judges(scheme).then_some(f);
    }
    book.sets()
        .iter()
        .rev()
        .filter(|s| s.judges(scheme))
        .find(|set| {
            let by = set
                .rule_by_code(code)
                .map(|r| r.select_by)
                .unwrap_or_default();
            let relevant = match by {
                SelectBy::Anchor => dates.anchor,
                SelectBy::IncapacityStart => dates.incapacity_start,
                SelectBy::TrajectoryStart => dates.trajectory_start.unwrap_or(dates.anchor),
            };
            relevant >= set.effective_from
        })
}

/// The set and the rule that judge an instance of rule `key` in a dossier of
/// `scheme` with these dates: the choice [`evaluate`] makes, for texts that speak of
/// a deadline before its anchor exists (a letter announcing a questionnaire). `None`
/// when no set judges it or the judging set has no such rule. The rule's own
/// conditions (`when`, `if_employer`, `if_scheme`) are the caller's to check.
pub fn judge<'b>(
    book: &'b RuleBook,
    forced: Option<&'b RuleSet>,
    scheme: Scheme,
    key: &str,
    dates: Relevant,
) -> Option<(&'b RuleSet, &'b Rule)> {
    let code = book.keys().iter().position(|k| k == key)?;
    let set = select(book, forced, code, scheme, dates)?;
    set.rule_by_code(code).map(|r| (set, r))
}

fn applies(rule: &Rule, case: &CaseFacts, anchor: Option<Fact>) -> bool {
    if rule.if_employer && !case.has_employer {
        return false;
    }
    if let Some(schemes) = &rule.if_scheme {
        if !schemes.contains(&case.scheme) {
            return false;
        }
    }
    match (&rule.when, anchor) {
        (Some(c), Some(f)) => c.matches(f.attr),
        (Some(_), None) => false,
        (None, _) => true,
    }
}

fn task_status(
    rule: &Rule,
    set: &RuleSet,
    facts: &[Fact],
    pos: Option<usize>,
    window_start: Date,
    due: Date,
    as_of: Date,
) -> Status {
    let after = pos.map_or(0, |p| p + 1);
    let done_from = match rule.done_scope {
        DoneScope::AfterAnchor => after,
        DoneScope::Any => 0,
    };
    let done = facts.iter().enumerate().skip(done_from).find(|(_, f)| {
        rule.done_by.contains(&f.kind) && rule.done_when.as_ref().is_none_or(|c| c.matches(f.attr))
    });
    let anchor_kind = pos.map(|p| facts[p].kind);
    let closed = facts.iter().enumerate().find(|(j, f)| {
        set.ends_all_tasks_on.contains(&f.kind)
            || (*j >= after
                && (rule.cancelled_by.contains(&f.kind)
                    || (rule.supersede && Some(f.kind) == anchor_kind)))
    });
    match (done, closed) {
        (Some((d, f)), c) if c.is_none_or(|(c, _)| d <= c) => Status::Done {
            on: f.date,
            by: f.kind,
        },
        (_, Some((_, f))) => Status::Closed {
            on: f.date,
            by: f.kind,
        },
        _ if window_start > as_of => Status::Upcoming,
        _ if due < as_of => Status::Overdue,
        _ => Status::Open,
    }
}

fn milestone_status(
    rule: &Rule,
    facts: &[Fact],
    pos: Option<usize>,
    date: Date,
    as_of: Date,
) -> Status {
    let after = pos.map_or(0, |p| p + 1);
    let anchor_kind = pos.map(|p| facts[p].kind);
    let closed = facts.iter().skip(after).find(|f| {
        f.date < date
            && (rule.cancelled_by.contains(&f.kind)
                || (rule.supersede && Some(f.kind) == anchor_kind))
    });
    match closed {
        Some(f) => Status::Closed {
            on: f.date,
            by: f.kind,
        },
        None if date <= as_of => Status::Reached,
        None => Status::Upcoming,
    }
}
