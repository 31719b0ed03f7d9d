//! Messages to send, claimed by one sender at a time.

use crate::rows::{count, Col};
use crate::PgStore;
use tnw_storage::{Message, NewMessage, Outbox, OutboxCounts, Result, StorageError};

impl Outbox for PgStore {
    fn enqueue(&mut self, org: &str, messages: &[NewMessage], now: i64) -> Result<u64> {
        if messages.is_empty() {
            return Ok(0);
        }
        let org_id = self.org_id_created(org)?;
        let keys: Vec<&str> = messages.iter().map(|m| m.dedup_key.as_str()).collect();
        let to: Vec<&str> = messages.iter().map(|m| m.recipient.as_str()).collect();
        let subject: Vec<&str> = messages.iter().map(|m| m.subject.as_str()).collect();
        let body: Vec<&str> = messages.iter().map(|m| m.body.as_str()).collect();
        // One statement; a key met twice (already there, or earlier in the same call)
        // is skipped by ON CONFLICT, in the order given.
        self.execute(
            "INSERT INTO outbox (org_id, dedup_key, recipient, subject, body, created_at,
                                 next_attempt_at)
             SELECT $1, u.key, u.recipient, u.subject, u.body, $6, $6
             FROM unnest($2::text[], $3::text[], $4::text[], $5::text[])
                  WITH ORDINALITY AS u(key, recipient, subject, body, ord)
             ORDER BY u.ord
             ON CONFLICT (dedup_key) DO NOTHING",
            &[&org_id, &keys, &to, &subject, &body, &now],
        )
    }

    fn claim_messages(&mut self, now: i64, lease: i64, limit: u32) -> Result<Vec<Message>> {
        // One statement; SKIP LOCKED: a message another sender is claiming right now is
        // passed over instead of waited for, so two senders never get the same one.
        let rows = self.query(
            "UPDATE outbox SET claimed_until = $1 + $2
             WHERE id IN (SELECT id FROM outbox
                          WHERE sent_at IS NULL AND next_attempt_at <= $1
                            AND (claimed_until IS NULL OR claimed_until <= $1)
                          ORDER BY next_attempt_at, id LIMIT $3
                          FOR UPDATE SKIP LOCKED)
             RETURNING id, dedup_key, recipient, subject, body, attempts",
            &[&now, &lease, &i64::from(limit)],
        )?;
        let mut out: Vec<Message> = rows
            .into_iter()
            .map(|r| {
                Ok(Message {
                    id: r.col(0)?,
                    dedup_key: r.col(1)?,
                    recipient: r.col(2)?,
                    subject: r.col(3)?,
                    body: r.col(4)?,
                    attempts: u32::try_from(r.col::<i32>(5)?).unwrap_or(0),
                })
            })
            .collect::<Result<_>>()?;
        out.sort_by_key(|m| m.id);
        Ok(out)
    }

    fn mark_sent(&mut self, id: i64, now: i64) -> Result<()> {
        self.execute(
            "UPDATE outbox SET sent_at = $2, claimed_until = NULL, attempts = attempts + 1
             WHERE id = $1",
            &[&id, &now],
        )?;
        Ok(())
    }

    fn mark_failed(&mut self, id: i64, error: &str, retry_at: i64) -> Result<()> {
        self.execute(
            "UPDATE outbox SET attempts = attempts + 1, last_error = $2, next_attempt_at = $3,
                    claimed_until = NULL
             WHERE id = $1 AND sent_at IS NULL",
            &[&id, &error, &retry_at],
        )?;
        Ok(())
    }

    fn outbox_counts(&mut self, org: Option<&str>) -> Result<OutboxCounts> {
        let rows = self.query(
            "SELECT count(*) FILTER (WHERE sent_at IS NULL),
                    count(*) FILTER (WHERE sent_at IS NOT NULL),
                    count(*) FILTER (WHERE sent_at IS NULL AND attempts > 0)
             FROM outbox
             WHERE $1::text IS NULL OR org_id = (SELECT id FROM orgs WHERE code = $1)",
            &[&org],
        )?;
        let r = rows
            .first()
            .ok_or_else(|| StorageError::Backend("no counts returned".into()))?;
        Ok(OutboxCounts {
            pending: count(r.col(0)?),
            sent: count(r.col(1)?),
            failing: count(r.col(2)?),
        })
    }
}
