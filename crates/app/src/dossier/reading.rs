//! Reading a dossier: the policy decides on the stored dossier inside the audited
//! read, so the entry names exactly what was shown (or refused).

use crate::access::{may_read_dossiers, read_grant, CaseContext, Grant, Principal, Refusal};
use crate::audit::{entry, Action, Actor};
use crate::dossier::views::{build_view, parts, DossierView};
use crate::dossier::{DossierError, Result};
use crate::timeline::parse_events;
use crate::AppError;
use tnw_domain::event::{Event, EventType};
use tnw_domain::{CaseKey, Date, RuleBook};
use tnw_storage::{CaseStore, StoredCase};

/// What the policy needs of a stored dossier: only its opening and consent events are
/// parsed, because this runs inside the audited read's write transaction.
pub(crate) fn access_context(
    case: &StoredCase,
    today: Date,
) -> std::result::Result<CaseContext, AppError> {
    let mut relevant: Vec<&tnw_storage::StoredEvent> = case
        .events
        .iter()
        .filter(|e| {
            matches!(
                e.kind,
                EventType::CaseOpened
                    | EventType::ConsentGiven
                    | EventType::ConsentWithdrawn
                    | EventType::CaseAssigned
            )
        })
        .collect();
    relevant.sort_by_key(|e| (e.date, e.seq));
    let parsed = relevant
        .iter()
        .map(|e| {
            Event::from_body(&e.body)
                .map(|ev| (e.date, ev))
                .map_err(|err| AppError::Corrupt(format!("case {}: {err}", case.key)))
        })
        .collect::<std::result::Result<Vec<_>, _>>()?;
    Ok(CaseContext::from_events(
        parsed.iter().map(|(d, e)| (*d, e)),
        today,
    ))
}

/// Reads dossier `id` as `p` may see it, as of `today`; audits the read (or refusal).
pub fn view_case<S: CaseStore + ?Sized>(
    store: &mut S,
    book: &RuleBook,
    p: &Principal,
    id: &str,
    today: Date,
    lang: &str,
) -> Result<DossierView> {
    // Refused before the dossier is touched.
    may_read_dossiers(p)?;
    let mut decided: Option<std::result::Result<Grant, Refusal>> = None;
    let mut failure: Option<AppError> = None;
    let mut found = None;
    for key in CaseKey::candidates(id) {
        found = store.read_case_audited(&p.org, &key, &mut |case| {
            let ctx = match access_context(case, today) {
                Ok(c) => c,
                Err(e) => {
                    failure = Some(e);
                    return entry(
                        Actor::Person(p),
                        Action::Refused,
                        "unreadable dossier",
                        "coordination",
                    );
                }
            };
            let grant = read_grant(p, &ctx);
            let entry = match &grant {
                Ok(g) => entry(Actor::Person(p), Action::Read, parts(g), g.purpose),
                Err(r) => entry(Actor::Person(p), Action::Refused, r.to_string(), "none"),
            };
            decided = Some(grant);
            entry
        })?;
        if found.is_some() {
            break;
        }
    }
    if let Some(e) = failure {
        return Err(e.into());
    }
    let (Some(case), Some(grant)) = (found, decided) else {
        return Err(DossierError::NotFound);
    };
    let grant = grant?;
    let events = parse_events(&case)?;
    let mut view = build_view(book, &case.key, grant, &events, today, lang)?;
    let mut state = tnw_domain::validate::CaseState::default();
    for (d, _, e) in events.iter().filter(|(d, _, _)| *d <= today) {
        state
            .apply(*d, e)
            .map_err(|r| AppError::Corrupt(format!("case {}: {r}", case.key)))?;
    }
    view.recordable = p
        .role
        .recordable()
        .iter()
        .copied()
        .filter(|k| state.could_record(today, *k))
        .collect();
    Ok(view)
}
