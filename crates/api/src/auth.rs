//! Who calls: anonymous, or the owner of a personal access token (`Authorization: Bearer cc_…`)
//! with its scope. The subject is the same `domain::Subject` the pages build from a session, so
//! the same policy answers.

use crate::ApiState;
use crate::problem::Problem;
use axum::extract::FromRequestParts;
use axum::http::header;
use axum::http::request::Parts;
use domain::policy::{Account, Subject};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Read,
    Write,
}

impl Scope {
    pub fn parse(s: &str) -> Option<Scope> {
        match s {
            "read" => Some(Scope::Read),
            "write" => Some(Scope::Write),
            _ => None,
        }
    }
}

/// The caller of a request.
#[derive(Debug, Clone)]
pub struct Caller {
    pub subject: Subject,
    /// `None` for an anonymous caller.
    pub scope: Option<Scope>,
    /// The caller's address (the limits on abuse count by it).
    pub ip: String,
}

impl Caller {
    pub fn user_id(&self) -> Option<i64> {
        self.subject.account.as_ref().map(|a| a.user_id)
    }

    /// For writes: a token with the write scope.
    pub fn writer(&self) -> Result<(), Problem> {
        match self.scope {
            None => Err(Problem::unauthorized(
                "Writing needs a personal access token.",
            )),
            Some(Scope::Read) => Err(Problem::forbidden(
                "This token is read-only: create a token with the write scope on your profile page.",
            )),
            Some(Scope::Write) => Ok(()),
        }
    }
}

impl FromRequestParts<ApiState> for Caller {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, state: &ApiState) -> Result<Caller, Problem> {
        let peer = parts
            .extensions
            .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
            .map(|c| c.0.ip().to_string())
            .unwrap_or_default();
        let ip = domain::limits::origin(
            state.trust_forwarded_for,
            &peer,
            parts
                .headers
                .get("x-forwarded-for")
                .and_then(|v| v.to_str().ok()),
        );
        let Some(value) = parts.headers.get(header::AUTHORIZATION) else {
            return Ok(Caller {
                subject: Subject::visitor(),
                scope: None,
                ip,
            });
        };
        let value = value
            .to_str()
            .map_err(|_| Problem::unauthorized("The Authorization header is not readable."))?;
        let token = value
            .strip_prefix("Bearer ")
            .map(str::trim)
            .filter(|t| t.starts_with(storage::TOKEN_PREFIX))
            .ok_or_else(|| {
                Problem::unauthorized(
                    "Expected `Authorization: Bearer cc_…` with a personal access token.",
                )
            })?;
        let t = state
            .store
            .api_token(token)
            .await?
            .ok_or_else(|| Problem::unauthorized("This token is unknown or was revoked."))?;
        let user = state
            .store
            .user_by_id(t.user_id)
            .await?
            .ok_or_else(|| Problem::unauthorized("This token's account no longer exists."))?;
        let roles = state.store.roles_of(user.id).await?;
        let scope = Scope::parse(&t.scope).unwrap_or(Scope::Read);
        Ok(Caller {
            subject: Subject {
                account: Some(Account {
                    user_id: user.id,
                    roles,
                    confirmed: user.confirmed_at.is_some(),
                    blocked: user.blocked_at.is_some(),
                }),
            },
            scope: Some(scope),
            ip,
        })
    }
}
