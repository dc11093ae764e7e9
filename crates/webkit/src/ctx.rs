//! The request context: who is asking (session → user and roles), in which language, with which
//! CSRF token. One middleware computes it for every request, checks the CSRF token of every
//! urlencoded POST, renders error pages in the visitor's language, adds the security headers and
//! records metrics.

use crate::csrf;
use crate::error::{AppError, ErrorPage};
use crate::i18n::Tr;
use crate::state::AppState;
use crate::view::{ErrorView, Layout, render};
use axum::body::Body;
use axum::extract::{FromRequestParts, MatchedPath, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header, request::Parts};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use domain::policy::{Account, Subject};
use domain::{Action, Lang, Role};
use std::time::Instant;

pub const SESSION_COOKIE: &str = "cc_session";
pub const LANG_COOKIE: &str = "cc_lang";
/// Largest urlencoded form body read by the CSRF check.
const MAX_FORM_BODY: usize = 2 * 1024 * 1024;

#[derive(Debug, Clone)]
pub struct CurrentUser {
    pub id: i64,
    pub email: String,
    pub display_name: String,
    pub roles: Vec<Role>,
    pub confirmed: bool,
}

#[derive(Debug, Clone)]
pub struct Ctx {
    pub tr: Tr,
    pub user: Option<CurrentUser>,
    pub subject: Subject,
    pub csrf: String,
    /// Path and query of this request, for the language switch and login redirects.
    pub path: String,
    pub session_token: Option<String>,
    /// The client's address, for the login throttle and the limits on abuse.
    pub client_ip: String,
    /// Set by `limits::form` when a limit refused this request: seconds until a retry. The
    /// middleware then answers 429 with `Retry-After`, whatever page the handler re-rendered.
    pub refused: std::sync::Arc<std::sync::atomic::AtomicI64>,
}

impl Ctx {
    pub fn lang(&self) -> Lang {
        self.tr.lang
    }

    pub fn require(&self, action: Action) -> Result<(), AppError> {
        if self.subject.may(action) {
            Ok(())
        } else if self.user.is_none() {
            Err(AppError::LoginRequired)
        } else {
            Err(AppError::Forbidden)
        }
    }

    pub fn user_id(&self) -> Option<i64> {
        self.user.as_ref().map(|u| u.id)
    }

    pub fn layout(&self, state: &AppState, title: impl Into<String>) -> Layout {
        Layout::new(self, state, title.into())
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Ctx {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<Ctx>()
            .cloned()
            .ok_or_else(|| AppError::Internal("context middleware missing".into()))
    }
}

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

pub fn set_cookie(state: &AppState, name: &str, value: &str, max_age: i64) -> HeaderValue {
    let secure = if state.settings.secure_cookies() {
        "; Secure"
    } else {
        ""
    };
    let s = format!("{name}={value}; Path=/; Max-Age={max_age}; HttpOnly; SameSite=Lax{secure}");
    HeaderValue::from_str(&s).unwrap_or_else(|_| HeaderValue::from_static(""))
}

fn query_param(query: Option<&str>, name: &str) -> Option<String> {
    serde_urlencoded::from_str::<Vec<(String, String)>>(query?)
        .ok()?
        .into_iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v)
}

async fn load_user(state: &AppState, token: &str) -> Result<Option<CurrentUser>, AppError> {
    let Some(user_id) = state.store.session_user(token).await? else {
        return Ok(None);
    };
    // For the list of sessions and for retention (at most one write every five minutes).
    state.store.touch_session(token, user_id).await?;
    let Some(u) = state.store.user_by_id(user_id).await? else {
        return Ok(None);
    };
    if u.blocked_at.is_some() {
        return Ok(None);
    }
    Ok(Some(CurrentUser {
        id: u.id,
        email: u.email,
        display_name: u.display_name,
        roles: state.store.roles_of(u.id).await?,
        confirmed: u.confirmed_at.is_some(),
    }))
}

/// The visitor's address: the TCP peer, or — behind a proxy the settings trust — the last
/// address that proxy appended to `X-Forwarded-For`.
fn client_ip(state: &AppState, parts: &Parts) -> String {
    let peer = parts
        .extensions
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map(|c| c.0.ip().to_string())
        .unwrap_or_default();
    if !state.settings.trust_forwarded_for {
        return peer;
    }
    domain::limits::origin(
        true,
        &peer,
        parts
            .headers
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok()),
    )
}

pub async fn middleware(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = req.method().clone();
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map(|m| m.as_str().to_string())
        .unwrap_or_else(|| "unmatched".into());
    let mut res = match handle(&state, req, next).await {
        Ok(r) => r,
        Err(e) => e.into_response(),
    };
    security_headers(res.headers_mut());
    let seconds = started.elapsed().as_secs_f64();
    state
        .metrics
        .observe(method.as_str(), &route, res.status().as_u16(), seconds);
    tracing::info!(
        target: "concorde::http",
        method = %method,
        route = %route,
        status = res.status().as_u16(),
        ms = (seconds * 1000.0).round() as u64,
        "request"
    );
    res
}

async fn handle(state: &AppState, req: Request, next: Next) -> Result<Response, AppError> {
    let (mut parts, body) = req.into_parts();
    let path = parts
        .uri
        .path_and_query()
        .map(|p| p.as_str().to_string())
        .unwrap_or_else(|| "/".into());
    // Health and metrics need no visitor context.
    if parts.uri.path() == "/healthz" || parts.uri.path() == "/metrics" {
        return Ok(next.run(Request::from_parts(parts, body)).await);
    }

    // Only pages reached by a link are redirected to the login page; a POST without a session
    // gets the explanation instead (its body would be lost by a redirect anyway).
    let is_get = parts.method == Method::GET;
    let session_token = cookie(&parts.headers, SESSION_COOKIE).map(str::to_string);
    let user = match &session_token {
        Some(t) => load_user(state, t).await?,
        None => None,
    };

    let chosen_lang = query_param(parts.uri.query(), "lang").and_then(|l| Lang::parse(&l));
    let lang = chosen_lang
        .or_else(|| cookie(&parts.headers, LANG_COOKIE).and_then(Lang::parse))
        .or_else(|| {
            parts
                .headers
                .get(header::ACCEPT_LANGUAGE)
                .and_then(|v| v.to_str().ok())
                .and_then(Lang::from_accept_language)
        })
        .unwrap_or_default();

    let existing_csrf_cookie = cookie(&parts.headers, csrf::COOKIE)
        .filter(|v| {
            v.len() >= 32
                && v.len() <= 64
                && v.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        })
        .map(str::to_string);
    let new_csrf_cookie = existing_csrf_cookie
        .is_none()
        .then(|| storage::new_token().0);
    let csrf_cookie = existing_csrf_cookie
        .or(new_csrf_cookie.clone())
        .unwrap_or_default();
    // Bound to the browser's cookie and to its session, so that a pair fetched by someone else
    // is useless in another browser or another session.
    let csrf_token = csrf::token_for(
        &state.csrf_key,
        &format!("{csrf_cookie}|{}", session_token.as_deref().unwrap_or("")),
    );

    let subject = Subject {
        account: user.as_ref().map(|u| Account {
            user_id: u.id,
            roles: u.roles.clone(),
            confirmed: u.confirmed,
            blocked: false,
        }),
    };
    let ctx = Ctx {
        tr: Tr::new(lang),
        user,
        subject,
        csrf: csrf_token.clone(),
        path,
        session_token,
        client_ip: client_ip(state, &parts),
        refused: Default::default(),
    };
    parts.extensions.insert(ctx.clone());

    // CSRF: every state-changing request carries the token. Urlencoded bodies are checked here;
    // multipart bodies are checked by `upload::read`; anything else is refused.
    let body = if parts.method != Method::GET && parts.method != Method::HEAD {
        let content_type = parts
            .headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_ascii_lowercase();
        if content_type.starts_with("application/x-www-form-urlencoded") {
            let bytes = axum::body::to_bytes(body, MAX_FORM_BODY)
                .await
                .map_err(|_| AppError::TooLarge)?;
            let given = csrf::token_in_form(&bytes).unwrap_or_default();
            if !csrf::same(&given, &csrf_token) {
                return Ok(render_error(
                    state,
                    &ctx,
                    StatusCode::FORBIDDEN,
                    error_page(&AppError::Csrf),
                ));
            }
            Body::from(bytes)
        } else if content_type.starts_with("multipart/form-data") && takes_uploads(&parts) {
            body
        } else {
            return Ok(render_error(
                state,
                &ctx,
                StatusCode::FORBIDDEN,
                error_page(&AppError::Csrf),
            ));
        }
    } else {
        body
    };

    let referer_path = parts
        .headers
        .get(header::REFERER)
        .and_then(|v| v.to_str().ok())
        .and_then(|r| r.split_once("://").map(|(_, rest)| rest))
        .and_then(|rest| rest.find('/').map(|i| rest[i..].to_string()))
        .unwrap_or_else(|| "/".into());
    let mut res = next.run(Request::from_parts(parts, body)).await;

    // A form re-rendered because a limit refused it says so by its status and when to retry.
    let refused = ctx.refused.load(std::sync::atomic::Ordering::Relaxed);
    if refused > 0 && res.status().is_client_error() {
        *res.status_mut() = StatusCode::TOO_MANY_REQUESTS;
        if let Ok(v) = HeaderValue::from_str(&refused.to_string()) {
            res.headers_mut().insert(header::RETRY_AFTER, v);
        }
    }

    // Error responses become full pages in the visitor's language.
    if res.status() == StatusCode::SEE_OTHER && res.extensions().get::<ErrorPage>().is_some() {
        // Re-authentication: a page comes back to itself, a form to the page it was sent from.
        let back = if is_get {
            ctx.path.clone()
        } else {
            referer_path
        };
        let target = format!(
            "/confirmer-identite?{}",
            serde_urlencoded::to_string([("next", back.as_str())]).unwrap_or_default()
        );
        res = Redirect::to(&target).into_response();
    } else if res.status() == StatusCode::UNAUTHORIZED
        && res.extensions().get::<ErrorPage>().is_some()
        && is_get
    {
        let target = format!(
            "/connexion?next={}",
            serde_urlencoded::to_string([("n", ctx.path.as_str())])
                .unwrap_or_default()
                .trim_start_matches("n=")
        );
        res = Redirect::to(&target).into_response();
    } else if let Some(page) = res.extensions().get::<ErrorPage>().copied() {
        res = render_error(state, &ctx, res.status(), page);
    } else if (res.status().is_client_error() || res.status().is_server_error()) && !is_html(&res) {
        // Rejections from extractors (a malformed form, a bad path) arrive as plain text.
        let page = match res.status() {
            StatusCode::NOT_FOUND => error_page(&AppError::NotFound),
            StatusCode::PAYLOAD_TOO_LARGE => error_page(&AppError::TooLarge),
            s if s.is_server_error() => error_page(&AppError::Internal(String::new())),
            _ => error_page(&AppError::BadRequest("error-malformed-form")),
        };
        let status = res.status();
        res = render_error(state, &ctx, status, page);
    }

    // A response a shared cache may keep (`/static/…`, public files) is the same for everyone:
    // it never carries a cookie, or the cache would hand one visitor's cookie to the next.
    if is_public(&res) {
        res.headers_mut().remove(header::SET_COOKIE);
        return Ok(res);
    }
    if let Some(v) = new_csrf_cookie {
        res.headers_mut().append(
            header::SET_COOKIE,
            set_cookie(state, csrf::COOKIE, &v, 400 * 86_400),
        );
    }
    if let Some(l) = chosen_lang {
        res.headers_mut().append(
            header::SET_COOKIE,
            set_cookie(state, LANG_COOKIE, l.code(), 400 * 86_400),
        );
    }
    // What is rendered for a signed-in person (their profile, staff pages, histories) is theirs
    // alone: no cache, shared or not, keeps it.
    let cache = if ctx.user.is_some() {
        Some("private, no-store")
    } else if res.headers().contains_key(header::SET_COOKIE)
        && !res.headers().contains_key(header::CACHE_CONTROL)
    {
        Some("private")
    } else {
        None
    };
    if let Some(c) = cache {
        res.headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static(c));
    }
    Ok(res)
}

fn is_public(res: &Response) -> bool {
    res.headers()
        .get(header::CACHE_CONTROL)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.split(',')
                .any(|d| d.trim().eq_ignore_ascii_case("public"))
        })
}

/// The only routes that read multipart bodies, and check their token in `upload::read`.
fn takes_uploads(parts: &Parts) -> bool {
    parts
        .extensions
        .get::<MatchedPath>()
        .is_some_and(|m| crate::UPLOAD_ROUTES.contains(&m.as_str()))
}

fn is_html(res: &Response) -> bool {
    res.headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"))
}

fn error_page(e: &AppError) -> ErrorPage {
    e.page()
}

fn render_error(state: &AppState, ctx: &Ctx, status: StatusCode, page: ErrorPage) -> Response {
    let view = ErrorView {
        l: ctx.layout(state, ctx.tr.t(page.title_key)),
        message: ctx.tr.t(page.message_key),
        status: status.as_u16(),
    };
    let mut res = render(&view);
    *res.status_mut() = status;
    res
}

fn security_headers(h: &mut HeaderMap) {
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
             object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
        ),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        "permissions-policy",
        HeaderValue::from_static("camera=(), microphone=(), geolocation=(), interest-cohort=()"),
    );
}
