//! Login sessions and failed logins.

use crate::rows::{user_row_at, Col};
use crate::PgStore;
use tnw_storage::{Result, Session, SessionStore};

impl SessionStore for PgStore {
    fn create_session(
        &mut self,
        token_hash: &[u8],
        user_id: i64,
        csrf: &str,
        now: i64,
        expires_at: i64,
    ) -> Result<()> {
        self.execute(
            "INSERT INTO sessions (token_hash, user_id, csrf, created_at, last_seen, expires_at)
             VALUES ($1, $2, $3, $4, $4, $5)",
            &[&token_hash, &user_id, &csrf, &now, &expires_at],
        )?;
        Ok(())
    }

    fn touch_session(&mut self, token_hash: &[u8], now: i64) -> Result<Option<Session>> {
        let row = self.query_opt(
            "SELECT s.csrf, s.created_at, s.last_seen, s.expires_at,
                    u.id, o.code, u.username, u.display_name, u.role, u.password_hash,
                    u.language, u.person_id, u.employer_id, u.active, u.email, u.party
             FROM sessions s JOIN users u ON u.id = s.user_id JOIN orgs o ON o.id = u.org_id
             WHERE s.token_hash = $1",
            &[&token_hash],
        )?;
        let Some(r) = row else {
            return Ok(None);
        };
        let session = Session {
            csrf: r.col(0)?,
            created_at: r.col(1)?,
            last_seen: r.col(2)?,
            expires_at: r.col(3)?,
            user: user_row_at(&r, 4)?,
        };
        // Idle expiry is counted in minutes: refreshing last_seen once a minute spares a
        // write on almost every request.
        if now - session.last_seen >= 60 {
            self.execute(
                "UPDATE sessions SET last_seen = $2 WHERE token_hash = $1",
                &[&token_hash, &now],
            )?;
        }
        Ok(Some(session))
    }

    fn delete_session(&mut self, token_hash: &[u8]) -> Result<()> {
        self.execute("DELETE FROM sessions WHERE token_hash = $1", &[&token_hash])?;
        Ok(())
    }

    fn record_login_failure(&mut self, username: &str, now: i64) -> Result<()> {
        self.execute(
            "INSERT INTO login_failures (username, at) VALUES ($1, $2)",
            &[&username, &now],
        )?;
        Ok(())
    }

    fn login_failures_since(&mut self, username: &str, since: i64) -> Result<u32> {
        let n: i64 = self
            .query(
                "SELECT count(*) FROM login_failures WHERE username = $1 AND at >= $2",
                &[&username, &since],
            )?
            .first()
            .map(|r| r.col(0))
            .transpose()?
            .unwrap_or(0);
        Ok(u32::try_from(n).unwrap_or(u32::MAX))
    }
}
