//! Errors with a home. Handlers return `AppError`; it becomes a status code plus a marker, and
//! the context middleware turns the marker into a full page in the visitor's language, with the
//! layout, so that a visitor never sees a bare "500" or a stack trace. Field-level problems are
//! not errors: handlers re-render their form with `FieldErrors` and a 400/422 status instead.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("not found")]
    NotFound,
    #[error("forbidden")]
    Forbidden,
    /// Not signed in: the middleware sends the visitor to the login page and back.
    #[error("login required")]
    LoginRequired,
    #[error("invalid or missing CSRF token")]
    Csrf,
    /// A request that cannot be understood; the key names a translated explanation.
    #[error("bad request: {0}")]
    BadRequest(&'static str),
    /// The request is understood but the item's state forbids it (closed phase, hidden item…).
    #[error("conflict: {0}")]
    Conflict(&'static str),
    #[error("payload too large")]
    TooLarge,
    #[error("too many requests")]
    TooMany,
    /// A sensitive act (granting roles, deleting a debate) and no password or code typed
    /// recently: the middleware sends the person to confirm who they are, then back.
    #[error("re-authentication required")]
    Reauth,
    #[error("internal error: {0}")]
    Internal(String),
}

/// Carried by an error response so the middleware can render the matching page.
#[derive(Debug, Clone, Copy)]
pub struct ErrorPage {
    pub title_key: &'static str,
    pub message_key: &'static str,
}

impl AppError {
    pub fn status(&self) -> StatusCode {
        match self {
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::Forbidden | AppError::Csrf => StatusCode::FORBIDDEN,
            AppError::LoginRequired => StatusCode::UNAUTHORIZED,
            AppError::Reauth => StatusCode::SEE_OTHER,
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::Conflict(_) => StatusCode::CONFLICT,
            AppError::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::TooMany => StatusCode::TOO_MANY_REQUESTS,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    pub fn page(&self) -> ErrorPage {
        let (title_key, message_key) = match self {
            AppError::NotFound => ("error-404-title", "error-404-text"),
            AppError::Forbidden => ("error-403-title", "error-403-text"),
            AppError::LoginRequired => ("error-401-title", "error-401-text"),
            AppError::Reauth => ("error-401-title", "error-401-text"),
            AppError::Csrf => ("error-csrf-title", "error-csrf-text"),
            AppError::BadRequest(key) => ("error-400-title", *key),
            AppError::Conflict(key) => ("error-409-title", *key),
            AppError::TooLarge => ("error-413-title", "error-413-text"),
            AppError::TooMany => ("error-429-title", "error-429-text"),
            AppError::Internal(_) => ("error-500-title", "error-500-text"),
        };
        ErrorPage {
            title_key,
            message_key,
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        if let AppError::Internal(msg) = &self {
            tracing::error!(error = %msg, "internal error");
        }
        let mut res = (self.status(), "").into_response();
        res.extensions_mut().insert(self.page());
        res
    }
}

impl From<storage::StoreError> for AppError {
    fn from(e: storage::StoreError) -> Self {
        match e {
            storage::StoreError::NotFound => AppError::NotFound,
            other => AppError::Internal(other.to_string()),
        }
    }
}

impl From<askama::Error> for AppError {
    fn from(e: askama::Error) -> Self {
        AppError::Internal(format!("template: {e}"))
    }
}

pub type AppResult<T> = Result<T, AppError>;
