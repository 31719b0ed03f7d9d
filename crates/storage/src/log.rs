//! A dossier's event log as both backends store it: one text value per case, a JSON
//! array of compact entries `[seq, "date", "fingerprint", import, event]` (a national
//! database holds ten million of them), appended to without rewriting what is there.

use crate::{CaseWrite, StorageError, StoredEvent};
use chrono::Datelike;
use tnw_domain::date::parse_date;
use tnw_domain::event::EventType;
use tnw_domain::CaseKey;

type LogEntry<'a> = (u32, &'a str, &'a str, i64, &'a serde_json::value::RawValue);

fn corrupt(what: String) -> StorageError {
    StorageError::Corrupt(what)
}

/// The event type of a canonical body, which always starts with `{"type":"…"`.
fn body_type(body: &str) -> Option<EventType> {
    let rest = body.strip_prefix(r#"{"type":""#)?;
    EventType::parse(&rest[..rest.find('"')?])
}

/// The events of case `case_id`'s stored log.
pub fn parse(case_id: i64, log: &str) -> Result<Vec<StoredEvent>, StorageError> {
    let entries: Vec<LogEntry> = serde_json::from_str(log)
        .map_err(|e| corrupt(format!("event log of case {case_id}: {e}")))?;
    entries
        .into_iter()
        .map(|(seq, date, fp, _import, event)| {
            Ok(StoredEvent {
                seq,
                date: parse_date(date).map_err(|_| corrupt("event date".into()))?,
                kind: body_type(event.get()).ok_or_else(|| corrupt("event type".into()))?,
                fingerprint: u64::from_str_radix(fp, 16)
                    .map_err(|_| corrupt("fingerprint".into()))?,
                body: event.get().to_owned(),
            })
        })
        .collect()
}

/// The canonical body of the `case_opened` event in case `case_id`'s stored log: who
/// the dossier is about, without keeping the other bodies.
pub fn opening(case_id: i64, log: &str) -> Result<String, StorageError> {
    let entries: Vec<LogEntry> = serde_json::from_str(log)
        .map_err(|e| corrupt(format!("event log of case {case_id}: {e}")))?;
    entries
        .into_iter()
        .find(|e| body_type(e.4.get()) == Some(EventType::CaseOpened))
        .map(|e| e.4.get().to_owned())
        .ok_or_else(|| corrupt(format!("event log of case {case_id} has no case_opened")))
}

/// The events of case `case_id` from its stored log, if it has one yet (a dossier
/// opened without events has none).
pub fn parse_stored(case_id: i64, log: Option<&str>) -> Result<Vec<StoredEvent>, StorageError> {
    log.map_or_else(|| Ok(Vec::new()), |log| parse(case_id, log))
}

/// Appends the log entries of `events` to `out`, comma-separated.
pub fn write_entries(out: &mut String, events: &[StoredEvent], import_id: i64) {
    use std::fmt::Write;
    for (i, e) in events.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        // The body is canonical JSON produced by the domain; the other fields are ours.
        // Dates by hand: chrono's Display goes through a slow general formatter.
        let _ = write!(
            out,
            r#"[{},"{:04}-{:02}-{:02}","{:016x}",{},{}]"#,
            e.seq,
            e.date.year(),
            e.date.month(),
            e.date.day(),
            e.fingerprint,
            import_id,
            e.body
        );
    }
}

/// The length the stored log must have for `c`'s events to continue it (the first new
/// `seq` is the stored count plus one).
pub fn expected_len(c: &CaseWrite) -> u32 {
    c.events.first().map_or(0, |e| e.seq.saturating_sub(1))
}

/// Why an append to an existing case changed no log row: another writer appended
/// first (a conflict), or the case has no log at all.
pub fn append_refused(key: &CaseKey, has_log: bool) -> StorageError {
    if has_log {
        StorageError::Conflict(key.to_string())
    } else {
        StorageError::Invalid(format!("case {key} has no event log"))
    }
}
