//! Login sessions and failed logins ([`SessionStore`]).

use crate::rows::{user_row_at, USER_COLUMNS};
use crate::{db, SqliteStore};
use rusqlite::{params, OptionalExtension};
use tnw_storage::{Result, Session, SessionStore};

impl SessionStore for SqliteStore {
    fn create_session(
        &mut self,
        token_hash: &[u8],
        user_id: i64,
        csrf: &str,
        now: i64,
        expires_at: i64,
    ) -> Result<()> {
        let w = self.writer()?;
        w.conn()
            .execute(
                "INSERT INTO sessions (token_hash, user_id, csrf, created_at, last_seen, expires_at)
                 VALUES (?1, ?2, ?3, ?4, ?4, ?5)",
                params![token_hash, user_id, csrf, now, expires_at],
            )
            .map_err(db)?;
        Ok(())
    }

    fn touch_session(&mut self, token_hash: &[u8], now: i64) -> Result<Option<Session>> {
        let row = self
            .conn
            .prepare_cached(&format!(
                "SELECT s.csrf, s.created_at, s.last_seen, s.expires_at, {USER_COLUMNS}
                 FROM sessions s JOIN users u ON u.id = s.user_id JOIN orgs o ON o.id = u.org_id
                 WHERE s.token_hash = ?1"
            ))
            .map_err(db)?
            .query_row([token_hash], |r| {
                Ok(Session {
                    csrf: r.get(0)?,
                    created_at: r.get(1)?,
                    last_seen: r.get(2)?,
                    expires_at: r.get(3)?,
                    user: user_row_at(r, 4)?,
                })
            })
            .optional()
            .map_err(db)?;
        // Idle expiry is counted in minutes: refreshing last_seen once a minute spares a
        // write on almost every request.
        if row.as_ref().is_some_and(|s| now - s.last_seen >= 60) {
            let w = self.writer()?;
            w.conn()
                .prepare_cached("UPDATE sessions SET last_seen = ?2 WHERE token_hash = ?1")
                .map_err(db)?
                .execute(params![token_hash, now])
                .map_err(db)?;
        }
        Ok(row)
    }

    fn delete_session(&mut self, token_hash: &[u8]) -> Result<()> {
        let w = self.writer()?;
        w.conn()
            .execute("DELETE FROM sessions WHERE token_hash = ?1", [token_hash])
            .map_err(db)?;
        Ok(())
    }

    fn record_login_failure(&mut self, username: &str, now: i64) -> Result<()> {
        let w = self.writer()?;
        w.conn()
            .execute(
                "INSERT INTO login_failures (username, at) VALUES (?1, ?2)",
                params![username, now],
            )
            .map_err(db)?;
        Ok(())
    }

    fn login_failures_since(&mut self, username: &str, since: i64) -> Result<u32> {
        self.conn
            .query_row(
                "SELECT count(*) FROM login_failures WHERE username = ?1 AND at >= ?2",
                params![username, since],
                |r| r.get(0),
            )
            .map_err(db)
    }
}
