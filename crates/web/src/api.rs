//! The JSON API under `/api/v1`, documented at `/api/openapi.json`.

pub mod absences;

use crate::security::{clear_session_cookie, now, session_cookie, ApiSession};
use crate::AppState;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use serde_json::json;
use tnw_app::auth::AuthError;
use tnw_app::dossier::{DossierError, WorkFilter};

/// A JSON error body with a status.
pub fn error(status: StatusCode, message: &str) -> Response {
    (status, Json(json!({ "error": message }))).into_response()
}

fn unavailable() -> Response {
    error(StatusCode::SERVICE_UNAVAILABLE, "temporarily unavailable")
}

/// Maps a use-case error to its status. Internal details go to the log, not the client.
pub fn dossier_error(e: DossierError) -> Response {
    match e {
        DossierError::NotFound => error(StatusCode::NOT_FOUND, "no such dossier"),
        DossierError::Forbidden(r) => error(StatusCode::FORBIDDEN, &r.to_string()),
        DossierError::BadRequest(m) => error(StatusCode::BAD_REQUEST, &m),
        DossierError::Unprocessable(m) => error(StatusCode::UNPROCESSABLE_ENTITY, &m),
        DossierError::App(e) if e.is_conflict() => error(
            StatusCode::CONFLICT,
            "the dossier kept changing while this was recorded; nothing was stored, send it again",
        ),
        DossierError::App(tnw_app::AppError::Unavailable(e)) => {
            tracing::error!(error = %e, "database unavailable");
            error(StatusCode::SERVICE_UNAVAILABLE, "temporarily unavailable")
        }
        DossierError::App(e) => {
            tracing::error!(error = %e, "dossier use case failed");
            error(StatusCode::INTERNAL_SERVER_ERROR, "internal error")
        }
    }
}

#[derive(Deserialize)]
pub struct LoginBody {
    username: String,
    password: String,
}

/// `POST /api/v1/session`: log in; sets the session cookie.
pub async fn login(
    State(state): State<AppState>,
    body: Result<Json<LoginBody>, axum::extract::rejection::JsonRejection>,
) -> Response {
    let Ok(Json(body)) = body else {
        return error(
            StatusCode::BAD_REQUEST,
            "expected {\"username\": …, \"password\": …}",
        );
    };
    if body.username.len() > 200 || body.password.len() > 1000 {
        return error(StatusCode::BAD_REQUEST, "username or password too long");
    }
    let secure = state.secure_cookies();
    let res = state
        .run(move |app| app.login(&body.username, &body.password, now()))
        .await;
    match res {
        Ok(Ok(session)) => {
            let mut r = Json(json!({
                "username": session.principal.username,
                "role": session.principal.role,
                "org": session.principal.org,
                "csrf": session.csrf,
            }))
            .into_response();
            r.headers_mut()
                .insert(header::SET_COOKIE, session_cookie(&session.token, secure));
            r
        }
        Ok(Err(AuthError::BadCredentials)) => {
            error(StatusCode::UNAUTHORIZED, "unknown user or wrong password")
        }
        Ok(Err(AuthError::Throttled)) => error(
            StatusCode::TOO_MANY_REQUESTS,
            "too many failed attempts; try again later",
        ),
        Ok(Err(AuthError::App(e))) => {
            tracing::error!(error = %e, "login failed");
            error(StatusCode::INTERNAL_SERVER_ERROR, "internal error")
        }
        Err(_) => unavailable(),
    }
}

/// `DELETE /api/v1/session`: log out.
pub async fn logout(State(state): State<AppState>, ApiSession(s): ApiSession) -> Response {
    let secure = state.secure_cookies();
    let token = s.token.clone();
    state.forget_session(&token);
    match state.run(move |app| app.logout(&token)).await {
        Ok(Ok(())) => {
            let mut r = StatusCode::NO_CONTENT.into_response();
            r.headers_mut()
                .insert(header::SET_COOKIE, clear_session_cookie(secure));
            r
        }
        _ => unavailable(),
    }
}

/// Worklist filters. Numbers arrive as text: an HTML form sends empty fields as `x=`,
/// which mean "no filter".
#[derive(Deserialize, Default)]
pub struct WorklistParams {
    task: Option<String>,
    within: Option<String>,
    region: Option<String>,
    category: Option<String>,
    /// `mine=1` (or `true`): only the dossiers assigned to the caller.
    mine: Option<String>,
    limit: Option<String>,
}

fn number<T: std::str::FromStr>(v: &Option<String>, name: &str) -> Result<Option<T>, String> {
    match v.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(x) => x
            .parse()
            .map(Some)
            .map_err(|_| format!("`{name}` must be a number, not `{x}`")),
    }
}

impl WorklistParams {
    pub fn filter(&self) -> Result<WorkFilter, String> {
        let category: Option<u8> = number(&self.category, "category")?;
        if category.is_some_and(|c| !(1..=4).contains(&c)) {
            return Err("`category` must be 1–4".into());
        }
        Ok(WorkFilter {
            task: self.task.clone().filter(|t| !t.is_empty()),
            due_within_days: number(&self.within, "within")?,
            region: self.region.clone().filter(|r| !r.is_empty()),
            category,
            mine: match self.mine.as_deref().map(str::trim) {
                None | Some("" | "0" | "false") => false,
                Some("1" | "true" | "on") => true,
                Some(x) => return Err(format!("`mine` must be 1 or 0, not `{x}`")),
            },
            limit: number(&self.limit, "limit")?,
        })
    }
}

/// `GET /api/v1/worklist`: the caller's open and overdue tasks.
pub async fn worklist(
    State(state): State<AppState>,
    ApiSession(s): ApiSession,
    q: Result<Query<WorklistParams>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let Ok(Query(q)) = q else {
        return error(
            StatusCode::BAD_REQUEST,
            "bad filter: task, within (days), region, category (1–4), limit",
        );
    };
    let today = state.today();
    let f = match q.filter() {
        Ok(f) => f,
        Err(m) => return error(StatusCode::BAD_REQUEST, &m),
    };
    match state
        .run(move |app| app.worklist(&s.principal, &f, today))
        .await
    {
        Ok(Ok(items)) => Json(items).into_response(),
        Ok(Err(e)) => dossier_error(e),
        Err(_) => unavailable(),
    }
}

/// `GET /api/v1/cases/{id}`: the dossier as the caller may see it.
pub async fn case(
    State(state): State<AppState>,
    ApiSession(s): ApiSession,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    let today = state.today();
    let lang = crate::i18n::language(&headers, Some(&s.language));
    match state
        .run(move |app| app.view_case(&s.principal, &id, today, lang))
        .await
    {
        Ok(Ok(view)) => Json(view).into_response(),
        Ok(Err(e)) => dossier_error(e),
        Err(_) => unavailable(),
    }
}

/// `POST /api/v1/cases/{id}/events`: record an event (docs/domain.md 7.1).
pub async fn record(
    State(state): State<AppState>,
    ApiSession(s): ApiSession,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Response {
    // JSON only: a cross-site form cannot send it, which closes the CSRF hole of
    // cookie-authenticated APIs (with SameSite=Strict as a second lock).
    let json_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if !json_type {
        return error(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "send the event as application/json",
        );
    }
    if body.len() > 64 * 1024 {
        return error(StatusCode::PAYLOAD_TOO_LARGE, "an event is at most 64 KiB");
    }
    let value: serde_json::Value = match serde_json::from_slice(&body) {
        Ok(v) => v,
        Err(e) => return error(StatusCode::BAD_REQUEST, &format!("not valid JSON: {e}")),
    };
    let today = state.today();
    match state
        .run(move |app| app.record_event(&s.principal, &id, &value, today))
        .await
    {
        Ok(Ok(r)) if r.created => {
            (StatusCode::CREATED, Json(json!({ "created": true }))).into_response()
        }
        Ok(Ok(_)) => (
            StatusCode::OK,
            Json(json!({ "created": false, "note": "this event was already recorded" })),
        )
            .into_response(),
        Ok(Err(e)) => dossier_error(e),
        Err(_) => unavailable(),
    }
}

#[derive(Deserialize)]
pub struct AuditParams {
    case: Option<String>,
    limit: Option<u32>,
}

/// `GET /api/v1/audit?case=ID`: the audit log (admins only).
pub async fn audit(
    State(state): State<AppState>,
    ApiSession(s): ApiSession,
    Query(q): Query<AuditParams>,
) -> Response {
    let limit = q.limit.unwrap_or(200).min(5000);
    match state.run(move |app| app.audit_log(&s.principal, q.case.as_deref(), limit)).await {
        Ok(Ok(log)) => Json(
            log.iter()
                .map(|r| {
                    json!({
                        "id": r.id, "at": r.at, "case": r.case.as_ref().map(|k| k.display().into_owned()),
                        "user": r.entry.username, "role": r.entry.role, "action": r.entry.action,
                        "what": r.entry.what, "purpose": r.entry.purpose,
                    })
                })
                .collect::<Vec<_>>(),
        )
        .into_response(),
        Ok(Err(e)) => dossier_error(e),
        Err(_) => unavailable(),
    }
}

/// `GET /api/openapi.json`.
pub async fn openapi() -> Response {
    let mut r = Json(openapi_document()).into_response();
    r.headers_mut().insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static("public, max-age=300"),
    );
    r
}

/// The OpenAPI 3.1 description of the API, written to match the handlers above.
pub fn openapi_document() -> serde_json::Value {
    let event_types: Vec<&str> = tnw_domain::event::EventType::ALL
        .iter()
        .map(|t| t.as_str())
        .collect();
    let err = json!({ "description": "error", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } });
    json!({
        "openapi": "3.1.0",
        "info": { "title": "tnw API", "version": "1", "description": "Return-to-work coordination. Authenticate with POST /api/v1/session; the session cookie authenticates the other calls." },
        "servers": [{ "url": "/" }],
        "components": {
            "securitySchemes": { "session": { "type": "apiKey", "in": "cookie", "name": "tnw_session" } },
            "schemas": {
                "Error": { "type": "object", "required": ["error"], "properties": { "error": { "type": "string" } } },
                "Login": { "type": "object", "required": ["username", "password"], "properties": { "username": { "type": "string" }, "password": { "type": "string", "format": "password" } } },
                "WorkItem": { "type": "object", "required": ["case", "task", "due", "state"], "properties": {
                    "case": { "type": "string" }, "task": { "type": "string" }, "rule": { "type": "string" },
                    "due": { "type": "string", "format": "date" }, "state": { "enum": ["open", "overdue", "upcoming"], "description": "`upcoming`: a milestone of an actor outside the fund, shown until its day." },
                    "region": { "type": "string" }, "category": { "type": ["integer", "null"] },
                    "quick_scan_returned": { "type": "string", "format": "date" } } },
                "Dossier": { "type": "object", "required": ["case", "grant"], "description": "Parts the caller may not see are absent; `medical` only for medical roles.", "properties": {
                    "case": { "type": "string" }, "grant": { "type": "object", "description": "The parts of the dossier the caller may read (`parts`: identity, fund, category, coaching, reintegration, restrictions, socio_professional, return, consents, medical) and why (`purpose`); the flags `identity`, `category`, `coaching`, `consents`, `medical` say the same." }, "identity": { "type": "object" },
                    "category": { "type": "integer" }, "events": { "type": "array", "items": { "type": "object" } },
                    "timeline": { "type": "array", "items": { "type": "object" } }, "consents": { "type": "array", "items": { "type": "object", "properties": { "to": { "type": "string" }, "scope": { "type": "string" }, "party": { "type": "string" }, "until": { "type": "string", "format": "date" } } } },
                    "parties": { "type": "array", "description": "The parties involved in the dossier, whom a consent may name.", "items": { "type": "object", "properties": { "party": { "type": "string" }, "to": { "type": "string" }, "name": { "type": "string" } } } },
                    "coaching": { "type": "object", "description": "The coaching record (fund team and member only).", "properties": {
                        "assigned_to": { "type": "string" }, "contacts": { "type": "array", "items": { "type": "object" } },
                        "plan": { "type": "object" }, "referrals": { "type": "array", "items": { "type": "object" } },
                        "stopped": { "type": "array" }, "returned": { "type": "object" } } },
                    "medical": { "type": "object" },
                    "restrictions": { "type": "object", "description": "What the advisory doctor passed on in plain terms (restrictions, hours a day, until), while in force." },
                    "reintegration": { "type": "object", "description": "Codex decisions (reasons for the fund, the member and physicians) and plans with their content and answers." },
                    "socio_professional": { "type": "object", "description": "Hand-offs to the employment service, its reports and the result." },
                    "socio_eligibility": { "type": "object", "description": "Whether a socio-professional trajectory is open to the member (`eligible`, `ground`) and whether a running one is to be suspended for a codex trajectory (`suspend`); fund team and member only." },
                    "recordable": { "type": "array", "items": { "enum": event_types }, "description": "Event types the caller may record on this dossier today." } } },
                "Event": { "type": "object", "required": ["type", "date"], "description": "An event as in the v1 exchange format (docs/domain.md 7.1); `case` may be omitted.", "additionalProperties": true,
                    "properties": { "case": { "type": ["string", "integer"] }, "type": { "enum": event_types }, "date": { "type": "string", "format": "date" } } },
                "AuditEntry": { "type": "object", "properties": { "id": { "type": "integer" }, "at": { "type": "string" }, "case": { "type": ["string", "null"] }, "user": { "type": "string" }, "role": { "type": "string" }, "action": { "type": "string" }, "what": { "type": "string" }, "purpose": { "type": "string" } } },
                "AbsenceList": { "type": "object", "required": ["month", "employer", "counted_until", "workers"], "additionalProperties": false,
                    "description": "The employer's workers absent for at least 28 consecutive days on some day of the month up to `counted_until` (the month's last day, or today while it runs); nothing else of their dossiers.",
                    "properties": {
                        "month": { "type": "string", "pattern": "^[0-9]{4}-[0-9]{2}$" }, "employer": { "type": "string" },
                        "counted_until": { "type": "string", "format": "date" },
                        "workers": { "type": "array", "items": { "type": "object", "required": ["name", "absent_since", "last_day"], "additionalProperties": false, "properties": {
                            "name": { "type": "string" }, "absent_since": { "type": "string", "format": "date", "description": "the first day of absence" },
                            "last_day": { "type": ["string", "null"], "format": "date", "description": "the last day of absence, when it ended in the month" } } } } } }
            }
        },
        "security": [{ "session": [] }],
        "paths": {
            "/api/v1/session": {
                "post": { "summary": "Log in", "security": [], "requestBody": { "required": true, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Login" } } } },
                    "responses": { "200": { "description": "logged in; sets the tnw_session cookie" }, "400": err, "401": err, "429": err } },
                "delete": { "summary": "Log out", "responses": { "204": { "description": "logged out" }, "401": err } }
            },
            "/api/v1/worklist": { "get": { "summary": "The caller's open and overdue tasks",
                "parameters": [
                    { "name": "task", "in": "query", "schema": { "type": "string" } },
                    { "name": "within", "in": "query", "description": "due within this many days", "schema": { "type": "integer" } },
                    { "name": "region", "in": "query", "schema": { "type": "string" } },
                    { "name": "category", "in": "query", "schema": { "type": "integer", "minimum": 1, "maximum": 4 } },
                    { "name": "mine", "in": "query", "description": "1: only dossiers assigned to the caller", "schema": { "enum": ["0", "1"] } },
                    { "name": "limit", "in": "query", "schema": { "type": "integer", "maximum": 1000 } }],
                "responses": { "200": { "description": "tasks by due date", "content": { "application/json": { "schema": { "type": "array", "items": { "$ref": "#/components/schemas/WorkItem" } } } } }, "400": err, "401": err } } },
            "/api/v1/cases/{id}": { "get": { "summary": "A dossier as the caller may see it",
                "parameters": [{ "name": "id", "in": "path", "required": true, "schema": { "type": "string" } }],
                "responses": { "200": { "description": "the dossier", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Dossier" } } } }, "401": err, "403": err, "404": err } } },
            "/api/v1/cases/{id}/events": { "post": { "summary": "Record an event",
                "parameters": [{ "name": "id", "in": "path", "required": true, "schema": { "type": "string" } }],
                "requestBody": { "required": true, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Event" } } } },
                "responses": { "201": { "description": "recorded" }, "200": { "description": "already recorded; nothing added" }, "400": err, "401": err, "403": err, "404": err, "413": err, "415": err, "422": err } } },
            "/api/v1/employer/absences": { "get": { "summary": "The employer's workers absent for at least four weeks in a month (employers only; each read is audited)",
                "parameters": [
                    { "name": "month", "in": "query", "required": true, "schema": { "type": "string", "pattern": "^[0-9]{4}-[0-9]{2}$" }, "description": "YYYY-MM, a month that has begun" },
                    { "name": "format", "in": "query", "schema": { "enum": ["json", "csv"], "default": "json" } }],
                "responses": { "200": { "description": "the list; with format=csv a file (header row in the caller's language; name, first day, last day)", "content": {
                    "application/json": { "schema": { "$ref": "#/components/schemas/AbsenceList" } },
                    "text/csv": { "schema": { "type": "string" } } } }, "400": err, "401": err, "403": err } } },
            "/api/v1/audit": { "get": { "summary": "The audit log (admins only)",
                "parameters": [{ "name": "case", "in": "query", "schema": { "type": "string" } }, { "name": "limit", "in": "query", "schema": { "type": "integer" } }],
                "responses": { "200": { "description": "newest first", "content": { "application/json": { "schema": { "type": "array", "items": { "$ref": "#/components/schemas/AuditEntry" } } } } }, "401": err, "403": err } } }
        }
    })
}
