//! Recording an event on a dossier: parsed, checked against the write policy and the
//! dossier's history, written with its audit entry, decided again when another writer
//! got there first.

use crate::access::{may_record, Principal, Role};
use crate::audit::{entry, Action, Actor};
use crate::dossier::reading::access_context;
use crate::dossier::{DossierError, Result};
use crate::import::{decide_case, Parsed};
use crate::AppError;
use serde::Serialize;
use std::sync::Mutex;
use tnw_domain::event::{parse_line, Event};
use tnw_domain::{CaseKey, Date, RuleBook};
use tnw_storage::{AccountStore, CaseStore};

/// What recording an event needs: the dossier, and the accounts (to check an
/// assignment).
pub trait RecordStore: CaseStore + AccountStore {}
impl<T: CaseStore + AccountStore + ?Sized> RecordStore for T {}

/// Serialises event writes to one dossier within this process: validation reads the
/// dossier, so two concurrent writes to it must not both validate against the same
/// state. Striped by dossier, so writes to different dossiers validate in parallel.
static WRITES: [Mutex<()>; 64] = [const { Mutex::new(()) }; 64];

fn write_lock(org: &str, id: &str) -> std::sync::MutexGuard<'static, ()> {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    (org, id).hash(&mut h);
    let slot = (h.finish() % WRITES.len() as u64) as usize;
    WRITES[slot].lock().unwrap_or_else(|e| e.into_inner())
}

/// The outcome of recording an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Recorded {
    /// False when the same event was already in the dossier (nothing was added).
    pub created: bool,
}

/// Records one event (docs/domain.md 7.1 JSON) on dossier `id` as `p`.
pub fn record_event<S: RecordStore + ?Sized>(
    store: &mut S,
    book: &RuleBook,
    p: &Principal,
    id: &str,
    body: &serde_json::Value,
    today: Date,
) -> Result<Recorded> {
    // The lock below only orders writers of this process. Another server or an import
    // may append to the dossier between our read and our write: the store then refuses
    // a write that does not continue the log it was decided on, and we decide again on
    // the new log (validation, tasks and all).
    let mut attempt = 1;
    loop {
        match record_event_once(store, book, p, id, body, today) {
            Err(DossierError::App(AppError::Storage(tnw_storage::StorageError::Conflict(_))))
                if attempt < WRITE_ATTEMPTS =>
            {
                // A random pause, growing with each try, so that the writers of two
                // processes stop meeting at the same moment (without it the one whose
                // queue is longer kept winning).
                let ceiling = 1u64 << attempt.min(6);
                let jitter = u64::from(
                    std::time::SystemTime::now()
                        .duration_since(std::time::UNIX_EPOCH)
                        .map_or(0, |d| d.subsec_nanos()),
                ) % (ceiling * 1000);
                std::thread::sleep(std::time::Duration::from_micros(jitter));
                attempt += 1;
            }
            other => return other,
        }
    }
}

/// Tries before a write that keeps meeting concurrent appends gives up (with a
/// conflict: the caller may send it again). With the pauses, about a second.
const WRITE_ATTEMPTS: u32 = 16;

fn record_event_once<S: RecordStore + ?Sized>(
    store: &mut S,
    book: &RuleBook,
    p: &Principal,
    id: &str,
    body: &serde_json::Value,
    today: Date,
) -> Result<Recorded> {
    let serde_json::Value::Object(map) = body else {
        return Err(DossierError::BadRequest(
            "the body must be a JSON object".into(),
        ));
    };
    // Keyed by the id as given: `C1` and its other spellings map to one dossier only
    // through `candidates`, which is deterministic, so one id always takes one stripe.
    let _guard = write_lock(&p.org, id);
    let keys = CaseKey::candidates(id);
    let stored = store
        .load_cases(&p.org, &keys)?
        .into_iter()
        .flatten()
        .next();
    let Some(stored) = stored else {
        return Err(DossierError::NotFound);
    };
    let mut map = map.clone();
    let token: serde_json::Value =
        serde_json::from_str(stored.key.token()).map_err(|e| AppError::Corrupt(e.to_string()))?;
    match map.get("case") {
        None => {
            map.insert("case".into(), token);
        }
        Some(v) if *v == token => {}
        Some(v) => {
            return Err(DossierError::Unprocessable(format!(
                "the body's case {v} is not dossier {id}"
            )))
        }
    }
    let line = serde_json::Value::Object(map).to_string();
    let parsed = parse_line(&line).map_err(|e| DossierError::BadRequest(e.0))?;
    if matches!(parsed.event, Event::CaseOpened(_)) {
        return Err(DossierError::Unprocessable(
            "dossiers are opened by the fund's import, not through this endpoint".into(),
        ));
    }
    // An event records what happened: one dated after today is a typo (or a plan, which
    // the action plan's steps hold), and would skew every deadline computed from it.
    if parsed.date > today {
        return Err(DossierError::Unprocessable(format!(
            "`date`: {} is after today ({today}); record events once they happened",
            parsed.date
        )));
    }
    // The policy needs only the opening and consent events; validation parses the rest.
    let ctx = access_context(&stored, today)?;
    let purpose = may_record(p, &ctx, &parsed.event)?;
    if let Event::CaseAssigned { to } = &parsed.event {
        // Only to someone of the fund's team who coaches dossiers.
        let takes = store
            .user_by_name(to)?
            .filter(|u| u.org == p.org && u.active)
            .and_then(|u| Role::parse(&u.role))
            .is_some_and(Role::takes_assignments);
        if !takes {
            return Err(DossierError::Unprocessable(format!(
                "`to`: {to} is not an active coordinator or paramedic of this fund"
            )));
        }
    }
    let kind = parsed.event.event_type();
    let new = Parsed {
        line: 1,
        case: stored.key.clone(),
        date: parsed.date,
        event: parsed.event,
    };
    let outcome = decide_case(book, &p.org, &stored.key, Some(&stored), &[&new])?;
    if let Some(r) = outcome.rejected.first() {
        return Err(DossierError::Unprocessable(r.reason.clone()));
    }
    let Some(write) = outcome.write else {
        return Ok(Recorded { created: false });
    };
    let entry = entry(Actor::Person(p), Action::Write, kind.as_str(), purpose);
    store.write_cases(&p.org, None, &[write], &[(Some(stored.key.clone()), entry)])?;
    Ok(Recorded { created: true })
}
