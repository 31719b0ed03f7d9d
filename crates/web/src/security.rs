//! Security plumbing: response headers, session cookies, the session extractors and
//! CSRF checks. Authorisation itself lives in `tnw_app::access`.

use crate::AppState;
use axum::extract::{FromRequestParts, Request};
use axum::http::header::{self, HeaderMap, HeaderValue};
use axum::http::request::Parts;
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use tnw_app::auth::{self, LoggedIn};

pub const SESSION_COOKIE: &str = "tnw_session";
pub const LANG_COOKIE: &str = "tnw_lang";

/// Headers on every response: no sniffing, no framing, no referrer, a strict content
/// security policy, and no caching of pages that hold personal data.
pub async fn headers(req: Request, next: Next) -> Response {
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    let set = |h: &mut HeaderMap, k: &'static str, v: &'static str| {
        h.insert(k, HeaderValue::from_static(v));
    };
    set(h, "x-content-type-options", "nosniff");
    set(h, "x-frame-options", "DENY");
    set(h, "referrer-policy", "no-referrer");
    set(
        h,
        "content-security-policy",
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    );
    set(
        h,
        "permissions-policy",
        "camera=(), microphone=(), geolocation=()",
    );
    set(h, "cross-origin-opener-policy", "same-origin");
    if !h.contains_key(header::CACHE_CONTROL) {
        set(h, "cache-control", "no-store");
    }
    res
}

pub fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

/// `Set-Cookie` for a new session: HttpOnly, SameSite=Strict, Secure (unless turned
/// off for plain-HTTP tests), expiring with the session's absolute lifetime.
pub fn session_cookie(token: &str, secure: bool) -> HeaderValue {
    let v = format!(
        "{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict; Max-Age={}{}",
        auth::ABSOLUTE_SECONDS,
        if secure { "; Secure" } else { "" }
    );
    HeaderValue::from_str(&v).unwrap_or_else(|_| HeaderValue::from_static(""))
}

pub fn clear_session_cookie(secure: bool) -> HeaderValue {
    if secure {
        HeaderValue::from_static(
            "tnw_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0; Secure",
        )
    } else {
        HeaderValue::from_static("tnw_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0")
    }
}

/// A cookie's value from the request headers.
pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

async fn session_of(parts: &Parts, state: &AppState) -> Result<Option<LoggedIn>, StatusCode> {
    let Some(token) = cookie(&parts.headers, SESSION_COOKIE).map(str::to_owned) else {
        return Ok(None);
    };
    // Tokens we issue are 43 base64url characters; anything else is not worth a lookup.
    if token.len() != 43
        || !token
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    {
        return Ok(None);
    }
    if let Some(s) = state.cached_session(&token) {
        return Ok(Some(s));
    }
    let t = token.clone();
    let found = state
        .run(move |app| app.authenticate(&t, now()))
        .await
        .map_err(|_| StatusCode::SERVICE_UNAVAILABLE)?
        .map_err(|_| StatusCode::INTERNAL_SERVER_ERROR)?;
    if let Some(s) = &found {
        state.cache_session(&token, s.clone());
    }
    Ok(found)
}

/// The session of an API call; 401 without one.
pub struct ApiSession(pub LoggedIn);

impl FromRequestParts<AppState> for ApiSession {
    type Rejection = Response;
    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        match session_of(parts, state).await {
            Ok(Some(s)) => Ok(ApiSession(s)),
            Ok(None) => Err(crate::api::error(StatusCode::UNAUTHORIZED, "log in first")),
            Err(code) => Err(crate::api::error(code, "session store unavailable")),
        }
    }
}

/// The session of a page; a redirect to the login page without one.
pub struct UiSession(pub LoggedIn);

impl FromRequestParts<AppState> for UiSession {
    type Rejection = Response;
    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        match session_of(parts, state).await {
            Ok(Some(s)) => Ok(UiSession(s)),
            Ok(None) => Err(Redirect::to("/login").into_response()),
            Err(code) => Err(code.into_response()),
        }
    }
}

/// Compares a submitted CSRF token with the session's in constant time.
pub fn csrf_ok(session: &LoggedIn, submitted: &str) -> bool {
    let a = session.csrf.as_bytes();
    let b = submitted.as_bytes();
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}
