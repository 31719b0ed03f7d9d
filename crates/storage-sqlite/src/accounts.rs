//! User accounts ([`AccountStore`]).

use crate::rows::{user_row, USER_SELECT};
use crate::{db, SqliteStore};
use rusqlite::{params, OptionalExtension};
use tnw_storage::{AccountStore, Result, StorageError, User};

impl AccountStore for SqliteStore {
    fn create_user(&mut self, org: &str, u: &User) -> Result<i64> {
        let mut w = self.writer()?;
        let org_id = w.org_id_created(org)?;
        w.conn()
            .execute(
                "INSERT INTO users (org_id, username, display_name, role, password_hash, language, person_id, employer_id, active, email, party)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
                params![org_id, u.username, u.display_name, u.role, u.password_hash, u.language, u.person_id, u.employer_id, u.active, u.email, u.party],
            )
            .map_err(|e| match e {
                rusqlite::Error::SqliteFailure(f, _) if f.code == rusqlite::ErrorCode::ConstraintViolation => {
                    StorageError::Invalid(format!("a user named {} already exists", u.username))
                }
                e => db(e),
            })?;
        Ok(w.conn().last_insert_rowid())
    }

    fn user_by_name(&mut self, username: &str) -> Result<Option<User>> {
        self.conn
            .prepare_cached(&format!("{USER_SELECT} WHERE u.username = ?1"))
            .map_err(db)?
            .query_row([username], user_row)
            .optional()
            .map_err(db)
    }

    fn users(&mut self, org: &str) -> Result<Vec<User>> {
        let mut stmt = self
            .conn
            .prepare_cached(&format!(
                "{USER_SELECT} WHERE o.code = ?1 ORDER BY u.username"
            ))
            .map_err(db)?;
        let rows = stmt.query_map([org], user_row).map_err(db)?;
        rows.map(|r| r.map_err(db)).collect()
    }

    fn update_user(&mut self, org: &str, u: &User) -> Result<bool> {
        let mut w = self.writer()?;
        let Some(org_id) = w.org_id(org, false)? else {
            return Ok(false);
        };
        let n = w
            .conn()
            .prepare_cached(
                "UPDATE users SET display_name = ?3, role = ?4, language = ?5, person_id = ?6,
                        employer_id = ?7, active = ?8, email = ?9, party = ?10
                 WHERE org_id = ?1 AND username = ?2",
            )
            .map_err(db)?
            .execute(params![
                org_id,
                u.username,
                u.display_name,
                u.role,
                u.language,
                u.person_id,
                u.employer_id,
                u.active,
                u.email,
                u.party
            ])
            .map_err(db)?;
        if n == 1 && !u.active {
            // A deactivated user's sessions end at once.
            w.conn()
                .prepare_cached(
                    "DELETE FROM sessions WHERE user_id = (SELECT id FROM users WHERE username = ?1)",
                )
                .map_err(db)?
                .execute([&u.username])
                .map_err(db)?;
        }
        Ok(n == 1)
    }
}
