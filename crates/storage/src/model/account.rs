//! User accounts and their sessions.

/// A user account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub id: i64,
    pub org: String,
    pub username: String,
    pub display_name: String,
    pub role: String,
    pub password_hash: String,
    pub language: String,
    pub person_id: Option<String>,
    pub employer_id: Option<String>,
    /// Outside actors: the party they act for (`employer:<KBO>`, `physician:<RIZIV>` …),
    /// as the domain writes it; consents that name a party go to its accounts.
    pub party: Option<String>,
    pub active: bool,
    /// Where reminders go (staff).
    pub email: Option<String>,
}

/// A session row (the token itself is never stored).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub user: User,
    pub csrf: String,
    pub created_at: i64,
    pub last_seen: i64,
    pub expires_at: i64,
}
