//! A batch's rows as arrays, one per column, for the statements that take them whole
//! (`unnest`) and for `COPY`.

use postgres::types::{ToSql, Type};
use std::collections::HashMap;
use tnw_domain::{CaseKey, Date};
use tnw_storage::CaseWrite;

/// The summary columns of a batch of cases as arrays, one per column, for the
/// `unnest` inserts and updates (the same eleven columns both ways, and the employer
/// on inserts).
pub(super) struct SummaryColumns<'a> {
    person: Vec<&'a str>,
    start: Vec<Date>,
    ended: Vec<Option<Date>>,
    scheme: Vec<&'a str>,
    region: Vec<&'a str>,
    language: Vec<&'a str>,
    condition: Vec<&'a str>,
    category: Vec<Option<i16>>,
    facts: Vec<&'a [u8]>,
    assignee: Vec<Option<&'a str>>,
    returned: Vec<Option<Date>>,
    /// Inserted only: a dossier's employer never changes.
    employer: Vec<Option<&'a str>>,
}

impl<'a> SummaryColumns<'a> {
    pub(super) fn of(cases: &[&'a CaseWrite]) -> SummaryColumns<'a> {
        SummaryColumns {
            person: cases.iter().map(|c| c.summary.person_id.as_str()).collect(),
            start: cases.iter().map(|c| c.summary.incapacity_start).collect(),
            ended: cases.iter().map(|c| c.summary.ended).collect(),
            scheme: cases.iter().map(|c| c.summary.scheme.as_str()).collect(),
            region: cases.iter().map(|c| c.summary.region.as_str()).collect(),
            language: cases.iter().map(|c| c.summary.language.as_str()).collect(),
            condition: cases.iter().map(|c| c.summary.condition.as_str()).collect(),
            category: cases
                .iter()
                .map(|c| c.summary.category.map(i16::from))
                .collect(),
            facts: cases.iter().map(|c| c.summary.facts.as_slice()).collect(),
            assignee: cases
                .iter()
                .map(|c| c.summary.assignee.as_deref())
                .collect(),
            returned: cases
                .iter()
                .map(|c| c.summary.quick_scan_returned)
                .collect(),
            employer: cases
                .iter()
                .map(|c| c.summary.employer_id.as_deref())
                .collect(),
        }
    }

    /// `$1` the fund, `$2` the keys or ids, `$3…$13` the columns.
    pub(super) fn params<'p>(
        &'p self,
        org_id: &'p i64,
        keys: &'p (dyn ToSql + Sync),
    ) -> [&'p (dyn ToSql + Sync); 13] {
        [
            org_id,
            keys,
            &self.person,
            &self.start,
            &self.ended,
            &self.scheme,
            &self.region,
            &self.language,
            &self.condition,
            &self.category,
            &self.facts,
            &self.assignee,
            &self.returned,
        ]
    }

    /// The insert's: [`Self::params`], then `$14` the employers.
    pub(super) fn insert_params<'p>(
        &'p self,
        org_id: &'p i64,
        keys: &'p (dyn ToSql + Sync),
    ) -> [&'p (dyn ToSql + Sync); 14] {
        let [a, b, c, d, e, f, g, h, i, j, k, l, m] = self.params(org_id, keys);
        [a, b, c, d, e, f, g, h, i, j, k, l, m, &self.employer]
    }
}

/// The columns of `COPY cases` (`write::COPY_CASES`).
pub(super) const CASE_TYPES: [Type; 15] = [
    Type::INT8,
    Type::INT8,
    Type::TEXT,
    Type::TEXT,
    Type::DATE,
    Type::DATE,
    Type::TEXT,
    Type::TEXT,
    Type::TEXT,
    Type::TEXT,
    Type::INT2,
    Type::BYTEA,
    Type::TEXT,
    Type::DATE,
    Type::TEXT,
];

/// The columns of `COPY case_logs` (`write::COPY_LOGS`).
pub(super) const LOG_TYPES: [Type; 4] = [Type::INT8, Type::INT8, Type::INT4, Type::TEXT];

/// The columns of `COPY tasks` (`write::COPY_TASKS`), the fund's id second.
pub(super) const TASK_TYPES: [Type; 11] = [
    Type::INT8,
    Type::INT8,
    Type::TEXT,
    Type::TEXT,
    Type::TEXT,
    Type::DATE,
    Type::DATE,
    Type::TEXT,
    Type::TEXT,
    Type::INT2,
    Type::DATE,
];

/// The open tasks of a batch as arrays, one per column, with the worklist's copies of
/// the dossier's columns (migration 13).
#[derive(Default)]
pub(super) struct TaskColumns<'a> {
    pub(super) case: Vec<i64>,
    code: Vec<&'a str>,
    actor: Vec<&'a str>,
    rule: Vec<&'a str>,
    window: Vec<Date>,
    due: Vec<Date>,
    key: Vec<&'a str>,
    region: Vec<&'a str>,
    category: Vec<Option<i16>>,
    returned: Vec<Option<Date>>,
}

impl<'a> TaskColumns<'a> {
    /// The tasks of `cases`, whose ids `ids` holds in the same order. A case written
    /// twice in one batch keeps the open tasks of its last write, as when each write
    /// replaces the previous one's.
    pub(super) fn of(cases: &'a [CaseWrite], ids: &[(&CaseKey, i64)]) -> TaskColumns<'a> {
        let mut t = TaskColumns::default();
        let last: HashMap<i64, usize> = ids
            .iter()
            .enumerate()
            .map(|(i, (_, id))| (*id, i))
            .collect();
        for (i, (c, (_, id))) in cases.iter().zip(ids).enumerate() {
            if last.get(id) != Some(&i) {
                continue;
            }
            for task in &c.tasks {
                t.case.push(*id);
                t.code.push(task.code.as_str());
                t.actor.push(task.actor.as_str());
                t.rule.push(task.rule.as_str());
                t.window.push(task.window_start);
                t.due.push(task.due);
                t.key.push(c.key.token());
                t.region.push(c.summary.region.as_str());
                t.category.push(c.summary.category.map(i16::from));
                t.returned.push(c.summary.quick_scan_returned);
            }
        }
        t
    }

    /// `$1` the dossiers whose tasks go, `$2` the fund, `$3…$12` the columns.
    pub(super) fn params<'p>(
        &'p self,
        replaced: &'p (dyn ToSql + Sync),
        org_id: &'p i64,
    ) -> [&'p (dyn ToSql + Sync); 12] {
        [
            replaced,
            org_id,
            &self.case,
            &self.code,
            &self.actor,
            &self.rule,
            &self.window,
            &self.due,
            &self.key,
            &self.region,
            &self.category,
            &self.returned,
        ]
    }

    /// Row `i` for `COPY tasks`.
    pub(super) fn row<'p>(&'p self, i: usize, org_id: &'p i64) -> [&'p (dyn ToSql + Sync); 11] {
        [
            &self.case[i],
            org_id,
            &self.code[i],
            &self.actor[i],
            &self.rule[i],
            &self.window[i],
            &self.due[i],
            &self.key[i],
            &self.region[i],
            &self.category[i],
            &self.returned[i],
        ]
    }
}
