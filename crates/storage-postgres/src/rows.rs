//! Reading rows: columns of the types the schema promises, and the row shapes more than
//! one module reads.

use postgres::Row;
use tnw_storage::{Result, StorageError, User};

pub(crate) fn corrupt(what: &str) -> StorageError {
    StorageError::Corrupt(what.to_owned())
}

/// Reading a column: a type the schema does not promise is corrupt data, not a panic
/// (`Row::get` panics).
pub(crate) trait Col {
    fn col<'a, T: postgres::types::FromSql<'a>>(&'a self, i: usize) -> Result<T>;
}

impl Col for Row {
    fn col<'a, T: postgres::types::FromSql<'a>>(&'a self, i: usize) -> Result<T> {
        self.try_get(i)
            .map_err(|e| StorageError::Corrupt(format!("column {i}: {e}")))
    }
}

/// The user columns read by [`user_row_at`], as a literal for `concat!`.
macro_rules! user_select {
    () => {
        "SELECT u.id, o.code, u.username, u.display_name, u.role, u.password_hash, u.language,
                u.person_id, u.employer_id, u.active, u.email, u.party
         FROM users u JOIN orgs o ON o.id = u.org_id"
    };
}
pub(crate) use user_select;

/// The user whose columns start at `at` (in [`user_select`]'s order).
pub(crate) fn user_row_at(r: &Row, at: usize) -> Result<User> {
    Ok(User {
        id: r.col(at)?,
        org: r.col(at + 1)?,
        username: r.col(at + 2)?,
        display_name: r.col(at + 3)?,
        role: r.col(at + 4)?,
        password_hash: r.col(at + 5)?,
        language: r.col(at + 6)?,
        person_id: r.col(at + 7)?,
        employer_id: r.col(at + 8)?,
        active: r.col(at + 9)?,
        email: r.col(at + 10)?,
        party: r.col(at + 11)?,
    })
}

pub(crate) fn category_out(v: Option<i16>) -> Result<Option<u8>> {
    v.map(|c| u8::try_from(c).map_err(|_| corrupt("category")))
        .transpose()
}

pub(crate) fn count(v: i64) -> u64 {
    u64::try_from(v).unwrap_or(0)
}
