//! The canonical body of an event and the content fingerprint taken over it.

use super::model::{Event, EventLine};
use crate::date::Date;

impl Event {
    /// The canonical JSON body (type and fields, without case and date).
    pub fn to_body(&self) -> String {
        // Serialising our own types to a String cannot fail (no maps with non-string keys).
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Reads back a stored canonical body.
    pub fn from_body(body: &str) -> Result<Event, serde_json::Error> {
        serde_json::from_str(body)
    }
}

impl EventLine {
    /// A content hash of the canonical form, used to recognise an event imported twice.
    pub fn fingerprint(&self, body: &str) -> u64 {
        fingerprint(self.date, body)
    }
}

/// The content hash of a canonical event body on its date.
pub fn fingerprint(date: Date, body: &str) -> u64 {
    use chrono::Datelike;
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    h.update(&date.num_days_from_ce().to_le_bytes());
    h.update(body.as_bytes());
    h.digest()
}
