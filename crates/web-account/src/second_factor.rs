//! The second factor on the pages: the code asked after the password, the enrolment (from the
//! profile, or at sign-in when the account's roles need one: a secret shown as text and as an
//! `otpauth://` link, confirmed by a code, then ten recovery codes shown once), the list of
//! one's sessions with a button to end each, and re-authentication before sensitive acts.

use crate::account::safe_next;
use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use domain::Action;
use domain::validate::FieldErrors;
use serde::Deserialize;
use webkit::ctx::Ctx;
use webkit::error::{AppError, AppResult};
use webkit::state::AppState;
use webkit::view::{Errors, Layout, render, render_invalid};

const CODE_WINDOW: i64 = 15 * 60;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct CodeForm {
    pub code: String,
    pub password: String,
    pub next: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct NextQuery {
    pub next: String,
}

/// The account of the visitor's session if it waits for `pending` (or is signed in, for 0).
async fn session_waiting(state: &AppState, ctx: &Ctx, pending: i64) -> AppResult<i64> {
    let token = ctx
        .session_token
        .as_deref()
        .ok_or(AppError::LoginRequired)?;
    match state.store.session_state(token).await? {
        Some((user_id, p)) if p == pending => Ok(user_id),
        _ => Err(AppError::LoginRequired),
    }
}

/// Codes are throttled like passwords: `login_attempts` wrong ones in 15 minutes, then a pause.
async fn throttled(state: &AppState, user_id: i64) -> AppResult<bool> {
    let since = storage::now() - CODE_WINDOW;
    Ok(state
        .store
        .login_failures_since(&format!("code:{user_id}"), since)
        .await?
        >= state.settings.login_attempts)
}

// ---- the code after the password ----

#[derive(Template)]
#[template(path = "code.html")]
pub struct CodeView {
    pub l: Layout,
    pub action: String,
    pub next: String,
    pub errs: Errors,
    /// Re-authentication also takes the password.
    pub with_password: bool,
    pub intro: String,
}

fn code_view(state: &AppState, ctx: &Ctx, reauth: bool, next: &str, fe: &FieldErrors) -> CodeView {
    let mut l = ctx.layout(
        state,
        ctx.tr.t(if reauth { "reauth-title" } else { "code-title" }),
    );
    l.has_errors = !fe.is_empty();
    CodeView {
        l,
        action: if reauth {
            "/confirmer-identite".into()
        } else {
            "/connexion/code".into()
        },
        next: safe_next(next),
        errs: Errors::from(&ctx.tr, fe),
        with_password: reauth,
        intro: ctx.tr.t(if reauth { "reauth-intro" } else { "code-intro" }),
    }
}

pub async fn code_page(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<NextQuery>,
) -> AppResult<Response> {
    session_waiting(&state, &ctx, storage::PENDING_CODE).await?;
    Ok(render(&code_view(
        &state,
        &ctx,
        false,
        &q.next,
        &FieldErrors::default(),
    )))
}

pub async fn code(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(form): Form<CodeForm>,
) -> AppResult<Response> {
    let user_id = session_waiting(&state, &ctx, storage::PENDING_CODE).await?;
    let token = ctx.session_token.clone().unwrap_or_default();
    let mut fe = FieldErrors::default();
    if throttled(&state, user_id).await? {
        fe.add("code", "error-login-throttled");
        let mut res = render_invalid(&code_view(&state, &ctx, false, &form.next, &fe));
        *res.status_mut() = StatusCode::TOO_MANY_REQUESTS;
        return Ok(res);
    }
    match app::second_factor::check_code(&state.store, user_id, &form.code, storage::now()).await {
        Ok(()) => {
            state.store.verify_session(&token).await?;
            state
                .store
                .clear_login_failures(&format!("code:{user_id}"))
                .await?;
            Ok(Redirect::to(&safe_next(&form.next)).into_response())
        }
        Err(app::second_factor::SecondFactorError::Store(e)) => Err(e.into()),
        Err(_) => {
            state
                .store
                .record_login_failure(&[&format!("code:{user_id}")])
                .await?;
            fe.add("code", "error-wrong-code");
            Ok(render_invalid(&code_view(
                &state, &ctx, false, &form.next, &fe,
            )))
        }
    }
}

// ---- re-authentication ----

pub async fn reauth_page(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<NextQuery>,
) -> AppResult<Response> {
    ctx.user.as_ref().ok_or(AppError::LoginRequired)?;
    Ok(render(&code_view(
        &state,
        &ctx,
        true,
        &q.next,
        &FieldErrors::default(),
    )))
}

/// The password or a code from the app: either proves who is there for `reauth_minutes`.
pub async fn reauth(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(form): Form<CodeForm>,
) -> AppResult<Response> {
    let user_id = ctx.user_id().ok_or(AppError::LoginRequired)?;
    let token = ctx.session_token.clone().unwrap_or_default();
    let mut fe = FieldErrors::default();
    if throttled(&state, user_id).await? {
        fe.add("password", "error-login-throttled");
        let mut res = render_invalid(&code_view(&state, &ctx, true, &form.next, &fe));
        *res.status_mut() = StatusCode::TOO_MANY_REQUESTS;
        return Ok(res);
    }
    let user = state
        .store
        .user_by_id(user_id)
        .await?
        .ok_or(AppError::LoginRequired)?;
    let ok = if !form.code.trim().is_empty() {
        match app::second_factor::check_code(&state.store, user_id, &form.code, storage::now())
            .await
        {
            Ok(()) => true,
            Err(app::second_factor::SecondFactorError::Store(e)) => return Err(e.into()),
            Err(_) => false,
        }
    } else {
        app::account::password_matches(&form.password, Some(&user.password_hash))
    };
    if !ok {
        state
            .store
            .record_login_failure(&[&format!("code:{user_id}")])
            .await?;
        fe.add("password", "error-reauth");
        return Ok(render_invalid(&code_view(
            &state, &ctx, true, &form.next, &fe,
        )));
    }
    state.store.verify_session(&token).await?;
    Ok(Redirect::to(&safe_next(&form.next)).into_response())
}

// ---- enrolment ----

#[derive(Template)]
#[template(path = "second_factor.html")]
pub struct EnrolView {
    pub l: Layout,
    pub action: String,
    pub next: String,
    pub enabled: bool,
    pub recovery_left: i64,
    pub secret: String,
    pub uri: String,
    pub errs: Errors,
    /// Shown once, right after the confirmation.
    pub recovery_codes: Vec<String>,
    pub required: bool,
}

async fn enrol_view(
    state: &AppState,
    ctx: &Ctx,
    user_id: i64,
    at_login: bool,
    next: &str,
    fe: &FieldErrors,
    recovery_codes: Vec<String>,
) -> AppResult<EnrolView> {
    let f = state.store.second_factor(user_id).await?;
    let user = state
        .store
        .user_by_id(user_id)
        .await?
        .ok_or(AppError::LoginRequired)?;
    let enabled = f.enabled_at.is_some();
    let secret = if enabled {
        String::new()
    } else {
        app::second_factor::start_enrolment(&state.store, user_id).await?
    };
    let uri = if enabled {
        String::new()
    } else {
        app::second_factor::otpauth_uri(&state.settings.instance_name, &user.email, &secret)
    };
    let roles = state.store.roles_of(user_id).await?;
    let mut l = ctx.layout(state, ctx.tr.t("second-factor-title"));
    l.has_errors = !fe.is_empty();
    Ok(EnrolView {
        l,
        action: if at_login {
            "/connexion/second-facteur".into()
        } else {
            "/profil/second-facteur".into()
        },
        next: safe_next(next),
        enabled,
        recovery_left: f.recovery_left,
        // Grouped by four, as people copy it.
        secret: secret
            .as_bytes()
            .chunks(4)
            .map(|c| String::from_utf8_lossy(c).into_owned())
            .collect::<Vec<_>>()
            .join(" "),
        uri,
        errs: Errors::from(&ctx.tr, fe),
        recovery_codes,
        required: state.settings.needs_second_factor(&roles),
    })
}

pub async fn enrol_at_login_page(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<NextQuery>,
) -> AppResult<Response> {
    let user_id = session_waiting(&state, &ctx, storage::PENDING_ENROLMENT).await?;
    let view = enrol_view(
        &state,
        &ctx,
        user_id,
        true,
        &q.next,
        &FieldErrors::default(),
        vec![],
    )
    .await?;
    Ok(render(&view))
}

pub async fn enrol_page(State(state): State<AppState>, ctx: Ctx) -> AppResult<Response> {
    ctx.require(Action::EditOwnProfile)?;
    let user_id = ctx.user_id().ok_or(AppError::LoginRequired)?;
    let view = enrol_view(
        &state,
        &ctx,
        user_id,
        false,
        "/profil",
        &FieldErrors::default(),
        vec![],
    )
    .await?;
    Ok(render(&view))
}

async fn confirm(
    state: &AppState,
    ctx: &Ctx,
    user_id: i64,
    at_login: bool,
    form: &CodeForm,
) -> AppResult<Response> {
    let mut fe = FieldErrors::default();
    if throttled(state, user_id).await? {
        fe.add("code", "error-login-throttled");
        let view = enrol_view(state, ctx, user_id, at_login, &form.next, &fe, vec![]).await?;
        let mut res = render_invalid(&view);
        *res.status_mut() = StatusCode::TOO_MANY_REQUESTS;
        return Ok(res);
    }
    match app::second_factor::confirm_enrolment(&state.store, user_id, &form.code, storage::now())
        .await
    {
        Ok(codes) => {
            if at_login && let Some(t) = &ctx.session_token {
                state.store.verify_session(t).await?;
            }
            let view = enrol_view(state, ctx, user_id, at_login, &form.next, &fe, codes).await?;
            Ok(render(&view))
        }
        Err(app::second_factor::SecondFactorError::Store(e)) => Err(e.into()),
        Err(_) => {
            state
                .store
                .record_login_failure(&[&format!("code:{user_id}")])
                .await?;
            fe.add("code", "error-wrong-code");
            let view = enrol_view(state, ctx, user_id, at_login, &form.next, &fe, vec![]).await?;
            Ok(render_invalid(&view))
        }
    }
}

pub async fn enrol_at_login(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(form): Form<CodeForm>,
) -> AppResult<Response> {
    let user_id = session_waiting(&state, &ctx, storage::PENDING_ENROLMENT).await?;
    confirm(&state, &ctx, user_id, true, &form).await
}

pub async fn enrol(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(form): Form<CodeForm>,
) -> AppResult<Response> {
    ctx.require(Action::EditOwnProfile)?;
    let user_id = ctx.user_id().ok_or(AppError::LoginRequired)?;
    confirm(&state, &ctx, user_id, false, &form).await
}

// ---- sessions ----

pub struct SessionLine {
    pub handle: String,
    pub device: String,
    pub created: String,
    pub last_used: String,
    pub current: bool,
}

#[derive(Template)]
#[template(path = "sessions.html")]
pub struct SessionsView {
    pub l: Layout,
    pub sessions: Vec<SessionLine>,
}

/// A device as people name it, from the User-Agent: "Firefox on Linux".
pub fn device(user_agent: &str, tr: &webkit::i18n::Tr) -> String {
    let ua = user_agent;
    let browser = [
        ("Edg/", "Edge"),
        ("OPR/", "Opera"),
        ("Firefox/", "Firefox"),
        ("Chrome/", "Chrome"),
        ("Safari/", "Safari"),
        ("curl/", "curl"),
    ]
    .iter()
    .find(|(k, _)| ua.contains(k))
    .map(|(_, n)| *n);
    let os = [
        ("Android", "Android"),
        ("iPhone", "iPhone"),
        ("iPad", "iPad"),
        ("Windows", "Windows"),
        ("Mac OS X", "macOS"),
        ("CrOS", "ChromeOS"),
        ("Linux", "Linux"),
    ]
    .iter()
    .find(|(k, _)| ua.contains(k))
    .map(|(_, n)| *n);
    match (browser, os) {
        (Some(b), Some(o)) => tr.t2("session-device", ("browser", b), ("os", o)),
        (Some(n), None) | (None, Some(n)) => n.to_string(),
        (None, None) => tr.t("session-device-unknown"),
    }
}

pub async fn sessions_page(State(state): State<AppState>, ctx: Ctx) -> AppResult<Response> {
    ctx.require(Action::EditOwnProfile)?;
    let user_id = ctx.user_id().ok_or(AppError::LoginRequired)?;
    let mine = ctx
        .session_token
        .as_deref()
        .map(storage::hash_token)
        .unwrap_or_default();
    let sessions = state
        .store
        .sessions_of(user_id)
        .await?
        .into_iter()
        .map(|s| SessionLine {
            device: device(&s.user_agent, &ctx.tr),
            created: ctx.tr.datetime(s.created_at, &state.tz),
            last_used: s
                .last_used_at
                .map(|t| ctx.tr.datetime(t, &state.tz))
                .unwrap_or_default(),
            current: s.token_hash == mine,
            handle: s.handle,
        })
        .collect();
    Ok(render(&SessionsView {
        l: ctx.layout(&state, ctx.tr.t("sessions-title")),
        sessions,
    }))
}

pub async fn end_session(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(handle): Path<String>,
) -> AppResult<Response> {
    ctx.require(Action::EditOwnProfile)?;
    let user_id = ctx.user_id().ok_or(AppError::LoginRequired)?;
    if !state.store.end_session(user_id, &handle).await? {
        return Err(AppError::NotFound);
    }
    state
        .store
        .audit(
            Some(user_id),
            "user.session_end",
            &format!("user:{user_id}"),
            "",
        )
        .await?;
    Ok(Redirect::to("/profil/sessions?ok=deleted").into_response())
}
