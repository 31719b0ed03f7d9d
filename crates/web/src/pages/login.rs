//! Signing in and out, and choosing the language of the pages.

use super::{render, tr, unavailable, Who};
use crate::i18n::Tr;
use crate::security::{clear_session_cookie, csrf_ok, now, session_cookie, UiSession, LANG_COOKIE};
use crate::AppState;
use askama::Template;
use axum::extract::{Form, Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use serde::Deserialize;
use tnw_app::auth::AuthError;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/login", get(login_page).post(login_form))
        .route("/logout", post(logout_form))
        .route("/lang/{code}", get(set_language))
}

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    t: Tr,
    title: String,
    message: Option<String>,
    user: Option<Who>,
    csrf: String,
}

async fn login_page(headers: HeaderMap) -> Response {
    let t = tr(&headers, None);
    render(&LoginPage {
        t,
        title: t.get("login").into(),
        message: None,
        user: None,
        csrf: String::new(),
    })
}

#[derive(Deserialize)]
struct LoginForm {
    username: String,
    password: String,
}

async fn login_form(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(f): Form<LoginForm>,
) -> Response {
    let t = tr(&headers, None);
    let page = |status: StatusCode, key: &str| {
        (
            status,
            render(&LoginPage {
                t,
                title: t.get("login").into(),
                message: Some(t.get(key).into()),
                user: None,
                csrf: String::new(),
            }),
        )
            .into_response()
    };
    if f.username.len() > 200 || f.password.len() > 1000 {
        return page(StatusCode::BAD_REQUEST, "login_failed");
    }
    let secure = state.secure_cookies();
    match state
        .run(move |app| app.login(&f.username, &f.password, now()))
        .await
    {
        Ok(Ok(s)) => {
            let mut r = Redirect::to("/").into_response();
            r.headers_mut()
                .insert(header::SET_COOKIE, session_cookie(&s.token, secure));
            r
        }
        Ok(Err(AuthError::Throttled)) => page(StatusCode::TOO_MANY_REQUESTS, "login_throttled"),
        Ok(Err(_)) => page(StatusCode::UNAUTHORIZED, "login_failed"),
        Err(_) => unavailable(),
    }
}

#[derive(Deserialize)]
struct CsrfForm {
    csrf: String,
}

async fn logout_form(
    State(state): State<AppState>,
    UiSession(s): UiSession,
    Form(f): Form<CsrfForm>,
) -> Response {
    if !csrf_ok(&s, &f.csrf) {
        return (StatusCode::FORBIDDEN, "invalid form token").into_response();
    }
    let secure = state.secure_cookies();
    let token = s.token.clone();
    state.forget_session(&token);
    let _ = state.run(move |app| app.logout(&token)).await;
    let mut r = Redirect::to("/login").into_response();
    r.headers_mut()
        .insert(header::SET_COOKIE, clear_session_cookie(secure));
    r
}

async fn set_language(Path(code): Path<String>) -> Response {
    let Some(lang) = crate::i18n::LANGUAGES.iter().find(|l| **l == code) else {
        return (StatusCode::NOT_FOUND, "unknown language").into_response();
    };
    let mut r = Redirect::to("/").into_response();
    let cookie = format!("{LANG_COOKIE}={lang}; Path=/; SameSite=Lax; Max-Age=31536000");
    if let Ok(v) = HeaderValue::from_str(&cookie) {
        r.headers_mut().insert(header::SET_COOKIE, v);
    }
    r
}
