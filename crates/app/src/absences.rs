//! The employer's monthly list of its workers absent for at least four weeks
//! (docs/absences.md): who, since when, and until when if it ended in that month;
//! nothing else of the dossiers. Reading it is audited: it names members to someone
//! outside the fund.

use crate::access::{absence_list_scope, Principal};
use crate::audit::{entry, Action, Actor};
use crate::dossier::{DossierError, Result};
use crate::handle::App;
use crate::AppError;
use serde::Serialize;
use tnw_domain::absence::{candidates, Absence, Month};
use tnw_domain::event::{Event, Scheme};
use tnw_domain::{CaseFacts, CaseKey, Date};
use tnw_storage::{AbsenceLists, AbsenceQuery, AbsenceRow};

/// Why the employer reads the list: its occupational health service takes up the
/// workers absent for long (docs/absences.md).
const PURPOSE: &str = "re-integration";

/// A month's list: the employer's workers absent for at least four weeks on some day
/// of the month up to `counted_until`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AbsenceList {
    /// `YYYY-MM`.
    pub month: String,
    /// The employer listed, as the account acts for it.
    pub employer: String,
    /// The last day counted: the month's last day, or today while the month runs.
    pub counted_until: Date,
    /// By first day of absence, then name.
    pub workers: Vec<AbsentWorker>,
}

/// One worker on the list, and only this: the employer knows them from its own sick
/// notes. No person id: the fund's is its own key of the member, and no dossier
/// records a number the employer uses.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AbsentWorker {
    pub name: String,
    /// The first day of absence.
    pub absent_since: Date,
    /// The last day of absence, when it ended in the month listed.
    pub last_day: Option<Date>,
}

/// `employer`'s list for `month` on `today` from the store's candidates: those on the
/// list as of today, each with its dossier key (for the audit entry).
fn listed(
    rows: &[AbsenceRow],
    employer: &str,
    month: Month,
    today: Date,
) -> std::result::Result<Vec<(CaseKey, AbsentWorker)>, AppError> {
    let corrupt = |key: &CaseKey, what: String| AppError::Corrupt(format!("case {key}: {what}"));
    let mut out = Vec::new();
    for r in rows {
        let facts = CaseFacts::decode(&r.facts).map_err(|e| corrupt(&r.case, e.to_string()))?;
        let Some(absence) = Absence::of(&facts, today) else {
            continue;
        };
        if !absence.on_list(month, today) {
            continue;
        }
        let Event::CaseOpened(o) =
            Event::from_body(&r.opened).map_err(|e| corrupt(&r.case, e.to_string()))?
        else {
            return Err(corrupt(&r.case, "its opening is not case_opened".into()));
        };
        // The store selected by the same opening; a dossier of another employer or
        // scheme never reaches the list, whatever a store returns.
        if o.scheme != Scheme::Employee
            || o.employer.as_ref().map(|e| e.id.as_str()) != Some(employer)
        {
            continue;
        }
        out.push((
            r.case.clone(),
            AbsentWorker {
                name: o.person.name.clone(),
                absent_since: absence.start,
                last_day: absence.ended_in(month),
            },
        ));
    }
    out.sort_by(|(ka, a), (kb, b)| {
        (a.absent_since, &a.name, ka).cmp(&(b.absent_since, &b.name, kb))
    });
    Ok(out)
}

/// `p`'s list of absent workers for `month`, as of `today`; the read is audited, one
/// entry naming the dossiers listed, in the transaction that read them.
pub fn employer_absences<S: AbsenceLists + ?Sized>(
    store: &mut S,
    p: &Principal,
    month: Month,
    today: Date,
) -> Result<AbsenceList> {
    let employer = absence_list_scope(p)?;
    let (Some((started_by, absent_on)), Some(counted_until)) =
        (candidates(month, today), month.counted_until(today))
    else {
        return Err(DossierError::BadRequest(format!(
            "the month {month} has not begun yet (today is {today})"
        )));
    };
    let q = AbsenceQuery {
        employer_id: employer.clone(),
        started_by,
        absent_on,
    };
    let mut decided = None;
    store.employer_absences(&p.org, &q, &mut |rows| {
        let list = listed(rows, &employer, month, today);
        let audit = match &list {
            Ok(l) => {
                let keys: Vec<String> = l.iter().map(|(k, _)| k.to_string()).collect();
                let named = if keys.is_empty() {
                    "none".to_owned()
                } else {
                    keys.join(", ")
                };
                entry(
                    Actor::Person(p),
                    Action::Read,
                    format!("absence list {month} of employer {employer}: {named}"),
                    PURPOSE,
                )
            }
            Err(_) => entry(
                Actor::Person(p),
                Action::Refused,
                format!("unreadable absence list {month}"),
                PURPOSE,
            ),
        };
        decided = Some(list);
        audit
    })?;
    // An unknown fund holds no dossier: nothing was read, nothing to list.
    let workers = decided.transpose()?.unwrap_or_default();
    Ok(AbsenceList {
        month: month.to_string(),
        employer,
        counted_until,
        workers: workers.into_iter().map(|(_, w)| w).collect(),
    })
}

impl App {
    /// `p`'s list of workers absent for four weeks or more in `month`, as of `today`;
    /// the read is audited.
    pub fn employer_absences(
        &self,
        p: &Principal,
        month: Month,
        today: Date,
    ) -> Result<AbsenceList> {
        self.primary_as(p, |st, _| employer_absences(st, p, month, today))
    }
}
