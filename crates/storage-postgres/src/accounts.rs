//! User accounts.

use crate::connection::{db, is_unique_violation};
use crate::rows::{user_row_at, user_select, Col};
use crate::PgStore;
use tnw_storage::{AccountStore, Result, StorageError, User};

impl AccountStore for PgStore {
    fn create_user(&mut self, org: &str, u: &User) -> Result<i64> {
        let org_id = self.org_id_created(org)?;
        let stmt = self.prep(
            "INSERT INTO users (org_id, username, display_name, role, password_hash, language,
                                person_id, employer_id, active, email, party)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
        )?;
        let row = self
            .client
            .query_one(
                &stmt,
                &[
                    &org_id,
                    &u.username,
                    &u.display_name,
                    &u.role,
                    &u.password_hash,
                    &u.language,
                    &u.person_id,
                    &u.employer_id,
                    &u.active,
                    &u.email,
                    &u.party,
                ],
            )
            .map_err(|e| {
                if is_unique_violation(&e) {
                    StorageError::Invalid(format!("a user named {} already exists", u.username))
                } else {
                    db(e)
                }
            })?;
        row.col(0)
    }

    fn user_by_name(&mut self, username: &str) -> Result<Option<User>> {
        const SQL: &str = concat!(user_select!(), " WHERE u.username = $1");
        self.query_opt(SQL, &[&username])?
            .map(|r| user_row_at(&r, 0))
            .transpose()
    }

    fn users(&mut self, org: &str) -> Result<Vec<User>> {
        const SQL: &str = concat!(
            user_select!(),
            " WHERE o.code = $1 ORDER BY u.username COLLATE \"C\""
        );
        self.query(SQL, &[&org])?
            .iter()
            .map(|r| user_row_at(r, 0))
            .collect()
    }

    fn update_user(&mut self, org: &str, u: &User) -> Result<bool> {
        let Some(org_id) = self.org_id(org, false)? else {
            return Ok(false);
        };
        let update = self.prep(
            "UPDATE users SET display_name = $3, role = $4, language = $5, person_id = $6,
                    employer_id = $7, active = $8, email = $9, party = $10
             WHERE org_id = $1 AND username = $2
             RETURNING id",
        )?;
        let end_sessions = self.prep("DELETE FROM sessions WHERE user_id = $1")?;
        let mut tx = self.client.transaction().map_err(db)?;
        let row = tx
            .query_opt(
                &update,
                &[
                    &org_id,
                    &u.username,
                    &u.display_name,
                    &u.role,
                    &u.language,
                    &u.person_id,
                    &u.employer_id,
                    &u.active,
                    &u.email,
                    &u.party,
                ],
            )
            .map_err(db)?;
        let Some(row) = row else {
            return Ok(false);
        };
        if !u.active {
            // A deactivated user's sessions end at once, with the deactivation.
            let id: i64 = row.col(0)?;
            tx.execute(&end_sessions, &[&id]).map_err(db)?;
        }
        tx.commit().map_err(db)?;
        Ok(true)
    }
}
