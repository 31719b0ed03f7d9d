//! Accounts and sessions: argon2id password hashes, opaque session tokens of which
//! only the SHA-256 is stored, idle and absolute expiry, login throttling.
//!
//! These functions block (argon2 is deliberately slow): call them off the async
//! runtime.

use crate::access::{Principal, Role};
use crate::handle::App;
use crate::AppError;
use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::Argon2;
use base64::Engine;
use rand::RngCore;
use sha2::{Digest, Sha256};
use std::sync::LazyLock;
use tnw_storage::{AccountStore, SessionStore, User};

/// What signing in needs: the accounts and their sessions.
pub trait AuthStore: AccountStore + SessionStore {}
impl<T: AccountStore + SessionStore + ?Sized> AuthStore for T {}

/// A session ends after this long without a request…
pub const IDLE_SECONDS: i64 = 30 * 60;
/// …and in any case this long after login.
pub const ABSOLUTE_SECONDS: i64 = 12 * 60 * 60;
/// Failed logins allowed per username in the throttling window.
pub const MAX_FAILURES: u32 = 5;
pub const FAILURE_WINDOW_SECONDS: i64 = 15 * 60;

#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    #[error("unknown user or wrong password")]
    BadCredentials,
    #[error("too many failed attempts; try again later")]
    Throttled,
    #[error(transparent)]
    App(#[from] AppError),
}

impl From<tnw_storage::StorageError> for AuthError {
    fn from(e: tnw_storage::StorageError) -> Self {
        AuthError::App(AppError::Storage(e))
    }
}

/// An argon2id hash (PHC string) of `password`.
pub fn hash_password(password: &str) -> Result<String, AppError> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| AppError::Corrupt(format!("password hashing failed: {e}")))
}

/// Verified against for unknown users, so that they take as long as known ones.
static DUMMY_HASH: LazyLock<String> =
    LazyLock::new(|| hash_password("tnw-dummy-password").unwrap_or_default());

fn verify(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .map(|h| {
            Argon2::default()
                .verify_password(password.as_bytes(), &h)
                .is_ok()
        })
        .unwrap_or(false)
}

fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// SHA-256 of a session token: what the database keeps.
pub fn token_hash(token: &str) -> [u8; 32] {
    Sha256::digest(token.as_bytes()).into()
}

/// A logged-in session.
#[derive(Debug, Clone)]
pub struct LoggedIn {
    pub token: String,
    pub csrf: String,
    pub principal: Principal,
    pub language: String,
    pub display_name: String,
}

pub fn principal_of(u: &User) -> Result<Principal, AppError> {
    Ok(Principal {
        username: u.username.clone(),
        org: u.org.clone(),
        role: Role::parse(&u.role).ok_or_else(|| {
            AppError::Corrupt(format!("user {} has unknown role {}", u.username, u.role))
        })?,
        person_id: u.person_id.clone(),
        employer_id: u.employer_id.clone(),
        party: u
            .party
            .as_deref()
            .map(tnw_domain::party::Party::parse)
            .transpose()
            .map_err(|e| AppError::Corrupt(format!("user {}: {e}", u.username)))?,
    })
}

/// Checks the password and opens a session.
pub fn login<S: AuthStore + ?Sized>(
    store: &mut S,
    username: &str,
    password: &str,
    now: i64,
) -> Result<LoggedIn, AuthError> {
    if store.login_failures_since(username, now - FAILURE_WINDOW_SECONDS)? >= MAX_FAILURES {
        return Err(AuthError::Throttled);
    }
    let user = store.user_by_name(username)?;
    let ok = match &user {
        Some(u) if u.active => verify(password, &u.password_hash),
        _ => {
            verify(password, &DUMMY_HASH);
            false
        }
    };
    let Some(user) = user.filter(|_| ok) else {
        store.record_login_failure(username, now)?;
        return Err(AuthError::BadCredentials);
    };
    let token = random_token();
    let csrf = random_token();
    store.create_session(
        &token_hash(&token),
        user.id,
        &csrf,
        now,
        now + ABSOLUTE_SECONDS,
    )?;
    Ok(LoggedIn {
        token,
        csrf,
        principal: principal_of(&user)?,
        language: user.language.clone(),
        display_name: user.display_name.clone(),
    })
}

/// The session of a cookie token, if it is valid now.
pub fn authenticate<S: SessionStore + ?Sized>(
    store: &mut S,
    token: &str,
    now: i64,
) -> Result<Option<LoggedIn>, AppError> {
    let hash = token_hash(token);
    let Some(s) = store.touch_session(&hash, now)? else {
        return Ok(None);
    };
    if now - s.last_seen > IDLE_SECONDS || now >= s.expires_at || !s.user.active {
        store.delete_session(&hash)?;
        return Ok(None);
    }
    Ok(Some(LoggedIn {
        token: token.to_owned(),
        csrf: s.csrf,
        principal: principal_of(&s.user)?,
        language: s.user.language.clone(),
        display_name: s.user.display_name.clone(),
    }))
}

pub fn logout<S: SessionStore + ?Sized>(store: &mut S, token: &str) -> Result<(), AppError> {
    Ok(store.delete_session(&token_hash(token))?)
}

/// Creates a user with a hashed password.
#[allow(clippy::too_many_arguments)]
pub fn create_user<S: AccountStore + ?Sized>(
    store: &mut S,
    org: &str,
    username: &str,
    display_name: &str,
    role: Role,
    password: &str,
    language: &str,
    person_id: Option<&str>,
    employer_id: Option<&str>,
) -> Result<i64, AppError> {
    let user = User {
        id: 0,
        org: org.into(),
        username: username.into(),
        display_name: display_name.into(),
        role: role.as_str().into(),
        password_hash: hash_password(password)?,
        language: language.into(),
        person_id: person_id.map(Into::into),
        employer_id: employer_id.map(Into::into),
        party: None,
        active: true,
        email: None,
    };
    Ok(store.create_user(org, &user)?)
}

impl App {
    /// Checks the password and opens a session.
    pub fn login(&self, username: &str, password: &str, now: i64) -> Result<LoggedIn, AuthError> {
        self.primary(|st, _| login(st, username, password, now))
    }

    /// The session of a cookie token, if it is valid now.
    pub fn authenticate(&self, token: &str, now: i64) -> Result<Option<LoggedIn>, AppError> {
        self.primary(|st, _| authenticate(st, token, now))
    }

    /// Ends the session of `token`.
    pub fn logout(&self, token: &str) -> Result<(), AppError> {
        self.primary(|st, _| logout(st, token))
    }
}
