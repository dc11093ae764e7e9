//! For analysts and guarantors with a token: a debate's analysis runs, and the audit log.

use crate::auth::Caller;
use crate::debates::visible;
use crate::problem::{ApiResult, Problem};
use crate::{ApiState, json_read, time};
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use domain::{Action, DebateStatus, On, Resource};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Serialize, ToSchema)]
pub struct RunOut {
    pub id: i64,
    pub created_at: String,
    pub created_by: Option<String>,
    /// running, done or failed
    pub status: String,
    pub documents: i64,
    pub themes: i64,
    pub engine_version: String,
    /// The analysis settings, as JSON.
    pub settings: serde_json::Value,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub error: String,
    pub url: String,
}

#[derive(Serialize, ToSchema)]
pub struct RunList {
    pub items: Vec<RunOut>,
}

/// The analysis runs of a debate (analysts, administrators, guarantors).
#[utoipa::path(get, path = "/debates/{slug}/analyses", tag = "staff",
    params(("slug" = String, Path, description = "The debate's slug")),
    responses((status = 200, body = RunList), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem)),
    security(("token" = [])))]
pub async fn runs(
    State(state): State<ApiState>,
    caller: Caller,
    headers: HeaderMap,
    Path(slug): Path<String>,
) -> ApiResult<Response> {
    if caller.scope.is_none() {
        return Err(Problem::unauthorized(
            "Analyses need a token of an analyst or a guarantor.",
        ));
    }
    let d = visible(&state, &caller, &slug).await?;
    let r = Resource::Debate {
        published: d.status == DebateStatus::Published,
    };
    if !caller.subject.may_on(On::Analyse, r) {
        return Err(Problem::forbidden(
            "Analyses are for analysts, administrators and guarantors.",
        ));
    }
    let items = state
        .store
        .runs(d.id)
        .await?
        .into_iter()
        .map(|r| RunOut {
            url: state.url(&format!("/admin/analyses/{}", r.id)),
            id: r.id,
            created_at: time(r.created_at),
            created_by: r.created_by_name,
            status: r.status,
            documents: r.documents,
            themes: r.themes,
            engine_version: r.engine_version,
            settings: serde_json::from_str(&r.settings).unwrap_or(serde_json::Value::Null),
            error: r.error,
        })
        .collect();
    Ok(json_read(&headers, &RunList { items }))
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    /// The `next_before` of the previous page.
    pub before: Option<i64>,
    /// Entries per page, 1 to 500 (default 100).
    pub limit: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct AuditOut {
    pub id: i64,
    pub at: String,
    pub actor: Option<String>,
    pub action: String,
    pub target: String,
    pub detail: String,
}

#[derive(Serialize, ToSchema)]
pub struct AuditPage {
    pub items: Vec<AuditOut>,
    pub next_before: Option<i64>,
}

/// The audit log, newest first (administrators and guarantors).
#[utoipa::path(get, path = "/audit", tag = "staff",
    params(AuditQuery),
    responses((status = 200, body = AuditPage), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 422, body = Problem)),
    security(("token" = [])))]
pub async fn audit(
    State(state): State<ApiState>,
    caller: Caller,
    headers: HeaderMap,
    query: Result<Query<AuditQuery>, axum::extract::rejection::QueryRejection>,
) -> ApiResult<Response> {
    if caller.scope.is_none() {
        return Err(Problem::unauthorized(
            "The audit log needs a token of a guarantor or an administrator.",
        ));
    }
    if !caller.subject.may(Action::ViewAuditLog) {
        return Err(Problem::forbidden(
            "The audit log is for guarantors and administrators.",
        ));
    }
    let Query(q) = query.map_err(|e| Problem::invalid("query", e.body_text()))?;
    let limit = q.limit.unwrap_or(100);
    if !(1..=500).contains(&limit) {
        return Err(Problem::invalid("limit", "between 1 and 500"));
    }
    let entries = state.store.audit_page(q.before, limit).await?;
    let next_before = (entries.len() as i64 == limit)
        .then(|| entries.last().map(|e| e.id))
        .flatten();
    let items = entries
        .into_iter()
        .map(|e| AuditOut {
            id: e.id,
            at: time(e.at),
            actor: e.actor_name,
            action: e.action,
            target: e.target,
            detail: e.detail,
        })
        .collect();
    Ok(json_read(&headers, &AuditPage { items, next_before }))
}
