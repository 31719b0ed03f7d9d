//! Deciding one case: which of its new lines are already stored, which the merged
//! history accepts, and the write (events, summary, open tasks) that stores the rest.

use super::{Parsed, Rejection};
use crate::{AppError, Result};
use std::collections::HashMap;
use tnw_domain::event::{fingerprint, Event};
use tnw_domain::validate::validate_sequence;
use tnw_domain::{CaseFacts, CaseKey, Date, RuleBook};
use tnw_storage::{CaseSummary, CaseWrite, OpenTask, StoredCase, StoredEvent};

/// What happens to one case's new lines.
#[derive(Default)]
pub(crate) struct CaseOutcome {
    pub(crate) write: Option<CaseWrite>,
    pub(crate) rejected: Vec<Rejection>,
    pub(crate) imported: u64,
    pub(crate) duplicates: u64,
}

/// One event in a case's merged history while deciding.
struct Slot<'a> {
    date: Date,
    seq: u32,
    event: &'a Event,
    /// Index into the new events, or `None` for a stored event.
    new: Option<usize>,
}

/// A stored event, decoded: date, sequence number, event, fingerprint.
type Decoded = (Date, u32, Event, u64);

/// The case being decided and what is known of it.
struct Case<'a> {
    org: &'a str,
    key: &'a CaseKey,
    stored: Option<&'a StoredCase>,
    history: Vec<Decoded>,
    new: &'a [&'a Parsed],
    /// The new lines' bodies and fingerprints, by index into `new`.
    bodies: Vec<String>,
    fingerprints: Vec<u64>,
    /// The sequence number the first stored new line gets.
    next_seq: u32,
}

pub(crate) fn decide_case(
    book: &RuleBook,
    org: &str,
    key: &CaseKey,
    stored: Option<&StoredCase>,
    new: &[&Parsed],
) -> Result<CaseOutcome> {
    let history = decode_history(org, key, stored)?;
    let bodies: Vec<String> = new.iter().map(|p| p.event.to_body()).collect();
    let fingerprints = new
        .iter()
        .zip(&bodies)
        .map(|(p, b)| fingerprint(p.date, b))
        .collect();
    let next_seq = history.iter().map(|e| e.1).max().unwrap_or(0) + 1;
    let mut case = Case {
        org,
        key,
        stored,
        history,
        new,
        bodies,
        fingerprints,
        next_seq,
    };
    let mut out = CaseOutcome::default();
    let mut candidates = case.not_yet_stored(&mut out.duplicates);
    // Validate the merged history; on failure drop the line to blame and try again.
    while !candidates.is_empty() {
        let slots = case.merged(&candidates);
        match validate_sequence(slots.iter().map(|s| (s.date, s.event))) {
            Ok(()) => {
                let facts = CaseFacts::from_events(slots.iter().map(|s| (s.date, s.event)))
                    .ok_or_else(|| {
                        AppError::Corrupt(format!("case {key} does not start with case_opened"))
                    })?;
                let owners = crate::projection::Owners::of(slots.iter().map(|s| (s.date, s.event)));
                let latest = slots
                    .iter()
                    .map(|s| s.date)
                    .max()
                    .unwrap_or(tnw_domain::date::MAX_DATE);
                let tasks = crate::projection::open_tasks(&facts, book, &owners, latest);
                let summary = summarise(&slots, facts)?;
                drop(slots);
                let write = case.write(&candidates, summary, tasks);
                out.imported = write.events.len() as u64;
                out.write = Some(write);
                return Ok(out);
            }
            Err((pos, reason)) => {
                let (blamed, reason) = case.blame(&slots, pos, reason)?;
                out.rejected.push(Rejection {
                    line: case.new[blamed].line,
                    reason: format!("case {key}: {reason}"),
                });
                candidates.retain(|&i| i != blamed);
            }
        }
    }
    Ok(out)
}

/// The case's stored events, decoded.
fn decode_history(org: &str, key: &CaseKey, stored: Option<&StoredCase>) -> Result<Vec<Decoded>> {
    let Some(s) = stored else {
        return Ok(Vec::new());
    };
    s.events
        .iter()
        .map(|e| {
            Event::from_body(&e.body)
                .map(|ev| (e.date, e.seq, ev, e.fingerprint))
                .map_err(|err| {
                    AppError::Corrupt(format!("event {} of case {key} in {org}: {err}", e.seq))
                })
        })
        .collect()
}

impl Case<'_> {
    /// The new lines not stored yet, counting the others in `duplicates`. The k-th copy
    /// of an event in this file is a duplicate if the case already holds k copies (so a
    /// file that really has two identical contacts on one day keeps both, and importing
    /// it again adds none).
    fn not_yet_stored(&self, duplicates: &mut u64) -> Vec<usize> {
        let mut seen: HashMap<u64, u32> = HashMap::new();
        let mut candidates = Vec::with_capacity(self.new.len());
        for (i, fp) in self.fingerprints.iter().enumerate() {
            let k = seen.entry(*fp).or_insert(0);
            *k += 1;
            let stored_copies = self.history.iter().filter(|e| e.3 == *fp).count() as u32;
            if *k <= stored_copies {
                *duplicates += 1;
            } else {
                candidates.push(i);
            }
        }
        candidates
    }

    /// The stored history with the `candidates` merged in, in date order.
    fn merged(&self, candidates: &[usize]) -> Vec<Slot<'_>> {
        let mut slots: Vec<Slot> = self
            .history
            .iter()
            .map(|(d, s, e, _)| Slot {
                date: *d,
                seq: *s,
                event: e,
                new: None,
            })
            .chain(candidates.iter().enumerate().map(|(j, &i)| Slot {
                date: self.new[i].date,
                seq: self.next_seq + j as u32,
                event: &self.new[i].event,
                new: Some(i),
            }))
            .collect();
        slots.sort_by_key(|s| (s.date, s.seq));
        slots
    }

    /// The new line to blame when the event at `pos` of the merged history is
    /// refused, and why.
    fn blame(&self, slots: &[Slot], pos: usize, reason: String) -> Result<(usize, String)> {
        if let Some(i) = slots[pos].new {
            return Ok((i, reason));
        }
        // A stored event became impossible: the newest line dated before it is to blame.
        let culprit = slots[..pos].iter().rev().find_map(|s| s.new);
        let Some(i) = culprit else {
            return Err(AppError::Corrupt(format!(
                "stored history of case {} in {} is not valid: {reason}",
                self.key, self.org
            )));
        };
        let s = &slots[pos];
        Ok((
            i,
            format!(
                "it would make the stored {} of {} impossible ({reason})",
                s.event.event_type(),
                s.date
            ),
        ))
    }

    /// The write storing the accepted `candidates`.
    fn write(
        &mut self,
        candidates: &[usize],
        summary: CaseSummary,
        tasks: Vec<OpenTask>,
    ) -> CaseWrite {
        let events = candidates
            .iter()
            .enumerate()
            .map(|(j, &i)| StoredEvent {
                seq: self.next_seq + j as u32,
                date: self.new[i].date,
                kind: self.new[i].event.event_type(),
                fingerprint: self.fingerprints[i],
                body: std::mem::take(&mut self.bodies[i]),
            })
            .collect();
        CaseWrite {
            key: self.key.clone(),
            existing_id: self.stored.map(|s| s.id),
            events,
            summary,
            tasks,
        }
    }
}

fn summarise(slots: &[Slot], facts: CaseFacts) -> Result<CaseSummary> {
    let Some(Event::CaseOpened(o)) = slots.first().map(|s| s.event) else {
        return Err(AppError::Corrupt(
            "history does not start with case_opened".into(),
        ));
    };
    let mut category = None;
    let mut ended = None;
    let mut assignee = None;
    let mut quick_scan_returned = None;
    for s in slots {
        match s.event {
            Event::CapacityAssessed { category: c } => category = Some(*c),
            Event::IncapacityEnded => ended = Some(s.date),
            Event::CaseAssigned { to } => assignee = Some(to.clone()),
            Event::QuickScanReturned { .. } => quick_scan_returned = Some(s.date),
            _ => {}
        }
    }
    Ok(CaseSummary {
        person_id: o.person.id.clone(),
        incapacity_start: o.incapacity_start,
        ended,
        scheme: o.scheme.as_str().into(),
        region: o.person.region.as_str().into(),
        language: o.person.language.as_str().into(),
        condition: o.condition.as_str().into(),
        category,
        assignee,
        quick_scan_returned,
        employer_id: o.employer.as_ref().map(|e| e.id.clone()),
        facts: facts.encode(),
    })
}
