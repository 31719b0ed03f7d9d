//! Messages to send ([`Outbox`]).

use crate::{db, SqliteStore};
use rusqlite::params;
use tnw_storage::{Message, NewMessage, Outbox, OutboxCounts, Result};

impl Outbox for SqliteStore {
    fn enqueue(&mut self, org: &str, messages: &[NewMessage], now: i64) -> Result<u64> {
        let mut w = self.writer()?;
        let org_id = w.org_id_created(org)?;
        let tx = w.begin()?;
        let mut added = 0;
        {
            let mut insert = tx
                .prepare_cached(
                    "INSERT INTO outbox (org_id, dedup_key, recipient, subject, body, created_at, next_attempt_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)
                     ON CONFLICT (dedup_key) DO NOTHING",
                )
                .map_err(db)?;
            for m in messages {
                added += insert
                    .execute(params![
                        org_id,
                        m.dedup_key,
                        m.recipient,
                        m.subject,
                        m.body,
                        now
                    ])
                    .map_err(db)? as u64;
            }
        }
        tx.commit().map_err(db)?;
        Ok(added)
    }

    fn claim_messages(&mut self, now: i64, lease: i64, limit: u32) -> Result<Vec<Message>> {
        let w = self.writer()?;
        // One statement: claiming is atomic, so two senders never get the same message.
        let mut stmt = w
            .conn()
            .prepare_cached(
                "UPDATE outbox SET claimed_until = ?1 + ?2
                 WHERE id IN (SELECT id FROM outbox
                              WHERE sent_at IS NULL AND next_attempt_at <= ?1
                                AND (claimed_until IS NULL OR claimed_until <= ?1)
                              ORDER BY next_attempt_at, id LIMIT ?3)
                 RETURNING id, dedup_key, recipient, subject, body, attempts",
            )
            .map_err(db)?;
        let rows = stmt
            .query_map(params![now, lease, limit], |r| {
                Ok(Message {
                    id: r.get(0)?,
                    dedup_key: r.get(1)?,
                    recipient: r.get(2)?,
                    subject: r.get(3)?,
                    body: r.get(4)?,
                    attempts: r.get(5)?,
                })
            })
            .map_err(db)?;
        let mut out: Vec<Message> = rows.map(|r| r.map_err(db)).collect::<Result<_>>()?;
        out.sort_by_key(|m| m.id);
        Ok(out)
    }

    fn mark_sent(&mut self, id: i64, now: i64) -> Result<()> {
        let w = self.writer()?;
        w.conn()
            .prepare_cached(
                "UPDATE outbox SET sent_at = ?2, claimed_until = NULL, attempts = attempts + 1 WHERE id = ?1",
            )
            .map_err(db)?
            .execute(params![id, now])
            .map_err(db)?;
        Ok(())
    }

    fn mark_failed(&mut self, id: i64, error: &str, retry_at: i64) -> Result<()> {
        let w = self.writer()?;
        w.conn()
            .prepare_cached(
                "UPDATE outbox SET attempts = attempts + 1, last_error = ?2, next_attempt_at = ?3,
                        claimed_until = NULL
                 WHERE id = ?1 AND sent_at IS NULL",
            )
            .map_err(db)?
            .execute(params![id, error, retry_at])
            .map_err(db)?;
        Ok(())
    }

    fn outbox_counts(&mut self, org: Option<&str>) -> Result<OutboxCounts> {
        self.conn
            .prepare_cached(
                "SELECT COALESCE(SUM(sent_at IS NULL), 0), COALESCE(SUM(sent_at IS NOT NULL), 0),
                        COALESCE(SUM(sent_at IS NULL AND attempts > 0), 0)
                 FROM outbox
                 WHERE ?1 IS NULL OR org_id = (SELECT id FROM orgs WHERE code = ?1)",
            )
            .map_err(db)?
            .query_row(params![org], |r| {
                Ok(OutboxCounts {
                    pending: r.get::<_, i64>(0)? as u64,
                    sent: r.get::<_, i64>(1)? as u64,
                    failing: r.get::<_, i64>(2)? as u64,
                })
            })
            .map_err(db)
    }
}
