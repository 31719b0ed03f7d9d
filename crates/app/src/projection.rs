//! The open-task projection stored with each case: what the worklist reads.

use tnw_domain::date::MAX_DATE;
use tnw_domain::engine::Status;
use tnw_domain::rules::RuleKind;
use tnw_domain::{evaluate, CaseFacts, RuleBook};
use tnw_storage::OpenTask;

/// Every task instance of the case not yet done or closed, whatever its window: the
/// worklist query filters on the window with its own date.
pub fn open_tasks(facts: &CaseFacts, book: &RuleBook) -> Vec<OpenTask> {
    let mut items = Vec::new();
    evaluate(facts, book, MAX_DATE, None, &mut items);
    items
        .iter()
        .filter(|i| {
            i.rule.kind == RuleKind::Task
                && matches!(i.status, Status::Open | Status::Overdue | Status::Upcoming)
        })
        .map(|i| OpenTask {
            code: i.rule.code.clone(),
            actor: i.rule.actor.clone(),
            rule: i.rule.id.clone(),
            window_start: i.window_start,
            due: i.due,
        })
        .collect()
}
