//! The outbox of messages to send (reminders).

/// A message to enqueue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewMessage {
    /// Same key, same message: enqueued once.
    pub dedup_key: String,
    pub recipient: String,
    pub subject: String,
    pub body: String,
}

/// A claimed message, to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub id: i64,
    pub dedup_key: String,
    pub recipient: String,
    pub subject: String,
    pub body: String,
    /// Earlier attempts that failed.
    pub attempts: u32,
}

/// The outbox at a glance.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct OutboxCounts {
    pub pending: u64,
    pub sent: u64,
    /// Pending messages that failed at least once.
    pub failing: u64,
}
