//! Errors of the API as RFC 9457 problem documents (`application/problem+json`): a stable
//! `type` per kind of problem, a French-free English `title`, the HTTP `status`, a `detail`
//! for people, and for input errors the field that is wrong.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

/// A problem document (RFC 9457).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Problem {
    /// A URI naming the kind of problem (relative to the API: `/api/v1/problems/…`).
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub detail: String,
    /// For input that is wrong: which field, and why.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldProblem>,
    /// Seconds to wait, sent as `Retry-After` (a rate limit).
    #[serde(skip)]
    pub retry_after: Option<i64>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FieldProblem {
    /// A JSON pointer or a parameter name: `/body`, `cursor`…
    pub field: String,
    pub message: String,
}

impl Problem {
    pub fn new(status: StatusCode, kind: &str, title: &str, detail: impl Into<String>) -> Problem {
        Problem {
            kind: format!("/api/v1/problems/{kind}"),
            title: title.to_string(),
            status: status.as_u16(),
            detail: detail.into(),
            errors: Vec::new(),
            retry_after: None,
        }
    }

    pub fn field(mut self, field: &str, message: impl Into<String>) -> Problem {
        self.errors.push(FieldProblem {
            field: field.to_string(),
            message: message.into(),
        });
        self
    }

    pub fn not_found() -> Problem {
        Problem::new(StatusCode::NOT_FOUND, "not-found", "Not found", "")
    }

    pub fn unauthorized(detail: &str) -> Problem {
        Problem::new(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "A valid token is required",
            detail,
        )
    }

    pub fn forbidden(detail: &str) -> Problem {
        Problem::new(StatusCode::FORBIDDEN, "forbidden", "Not allowed", detail)
    }

    pub fn invalid(field: &str, message: impl Into<String>) -> Problem {
        let message = message.into();
        Problem::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid",
            "Invalid input",
            message.clone(),
        )
        .field(field, message)
    }

    pub fn conflict(kind: &str, detail: &str) -> Problem {
        Problem::new(StatusCode::CONFLICT, kind, "Conflict", detail)
    }

    pub fn too_many(detail: &str) -> Problem {
        Problem::new(
            StatusCode::TOO_MANY_REQUESTS,
            "rate-limited",
            "Too many requests",
            detail,
        )
    }

    /// Over a limit on abuse: 429 with `Retry-After`.
    pub fn rate_limited(retry_after: i64) -> Problem {
        let mut p = Problem::too_many(&format!(
            "Too many requests in a short time; try again in {retry_after} seconds."
        ));
        p.retry_after = Some(retry_after.max(1));
        p
    }

    pub fn internal() -> Problem {
        Problem::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "Internal error",
            "The error was logged; please try again later.",
        )
    }

    pub fn status(&self) -> StatusCode {
        StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }
}

impl From<storage::StoreError> for Problem {
    fn from(e: storage::StoreError) -> Problem {
        tracing::error!(error = %e, source = ?std::error::Error::source(&e), "API: storage error");
        Problem::internal()
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let status = self.status();
        let body = serde_json::to_vec(&self).unwrap_or_default();
        let mut res = (status, body).into_response();
        res.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        if let Some(secs) = self.retry_after
            && let Ok(v) = HeaderValue::from_str(&secs.to_string())
        {
            res.headers_mut().insert(header::RETRY_AFTER, v);
        }
        if status == StatusCode::UNAUTHORIZED {
            res.headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        res
    }
}

pub type ApiResult<T> = Result<T, Problem>;
