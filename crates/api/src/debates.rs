//! Debates: the list, and one debate with its phases, questions, lists and documents.

use crate::auth::Caller;
use crate::problem::{ApiResult, Problem};
use crate::{ApiState, json_read, time};
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use domain::{DebateStatus, On, Resource};
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct DebateSummary {
    pub slug: String,
    pub title: String,
    pub summary: String,
    /// `published`, or `draft` (seen only by those who may see drafts).
    pub status: String,
    pub url: String,
}

#[derive(Serialize, ToSchema)]
pub struct DebateList {
    pub items: Vec<DebateSummary>,
}

#[derive(Serialize, ToSchema)]
pub struct PhaseOut {
    /// survey, contributions, workshops, conference, report, call_for_projects…
    pub kind: String,
    pub title: String,
    pub description: String,
    pub starts_at: String,
    pub ends_at: String,
    /// past, current or upcoming, now.
    pub state: String,
}

#[derive(Serialize, ToSchema)]
pub struct QuestionOut {
    pub id: i64,
    pub position: i64,
    pub text: String,
}

#[derive(Serialize, ToSchema)]
pub struct ListItem {
    pub id: i64,
    pub name: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub name_en: String,
}

#[derive(Serialize, ToSchema)]
pub struct DocumentOut {
    pub id: i64,
    pub title: String,
    pub filename: String,
    pub content_type: String,
    pub size: i64,
    pub url: String,
}

#[derive(Serialize, ToSchema)]
pub struct DebateOut {
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub body_markdown: String,
    pub status: String,
    pub url: String,
    pub phases: Vec<PhaseOut>,
    pub questions: Vec<QuestionOut>,
    /// The participant categories this debate asks about.
    pub categories: Vec<ListItem>,
    pub quartiers: Vec<ListItem>,
    pub documents: Vec<DocumentOut>,
    /// Open data of the debate's published contributions.
    pub open_data: Vec<String>,
}

/// The debate with this slug, if the caller may see it (a draft is unknown to the others).
pub(crate) async fn visible(
    state: &ApiState,
    caller: &Caller,
    slug: &str,
) -> ApiResult<domain::Debate> {
    let d = state
        .store
        .debate_by_slug(slug)
        .await?
        .ok_or_else(Problem::not_found)?;
    let r = Resource::Debate {
        published: d.status == DebateStatus::Published,
    };
    if !caller.subject.may_on(On::Read, r) {
        return Err(Problem::not_found());
    }
    Ok(d)
}

/// The debates.
#[utoipa::path(get, path = "/debates", tag = "debates",
    responses((status = 200, body = DebateList), (status = 401, body = Problem)),
    security((), ("token" = [])))]
pub async fn list(
    State(state): State<ApiState>,
    caller: Caller,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let drafts = caller.subject.may(domain::Action::ViewDraftDebates);
    let items = state
        .store
        .debates(drafts)
        .await?
        .into_iter()
        .map(|d| DebateSummary {
            url: state.url(&format!("/debats/{}", d.slug)),
            status: d.status.as_str().to_string(),
            slug: d.slug,
            title: d.title,
            summary: d.summary,
        })
        .collect();
    Ok(json_read(&headers, &DebateList { items }))
}

/// One debate, with its phases, guiding questions, categories, quartiers and documents.
#[utoipa::path(get, path = "/debates/{slug}", tag = "debates",
    params(("slug" = String, Path, description = "The debate's slug, e.g. `solidarites`")),
    responses((status = 200, body = DebateOut), (status = 304, description = "Not modified"),
        (status = 404, body = Problem)),
    security((), ("token" = [])))]
pub async fn show(
    State(state): State<ApiState>,
    caller: Caller,
    headers: HeaderMap,
    Path(slug): Path<String>,
) -> ApiResult<Response> {
    let d = visible(&state, &caller, &slug).await?;
    let now = storage::now();
    let phases = state
        .store
        .phases(d.id)
        .await?
        .into_iter()
        .map(|p| PhaseOut {
            kind: p.kind.as_str().to_string(),
            state: p.state_at(now).as_str().to_string(),
            starts_at: time(p.starts_at),
            ends_at: time(p.ends_at),
            title: p.title,
            description: p.description,
        })
        .collect();
    let questions = state
        .store
        .questions(d.id)
        .await?
        .into_iter()
        .map(|q| QuestionOut {
            id: q.id,
            position: q.position,
            text: q.text,
        })
        .collect();
    let (categories, quartiers) = state.store.debate_lists(d.id).await?;
    let categories = categories
        .into_iter()
        .map(|c| ListItem {
            id: c.id,
            name: c.name,
            name_en: c.name_en,
        })
        .collect();
    let quartiers = quartiers
        .into_iter()
        .map(|q| ListItem {
            id: q.id,
            name: q.name,
            name_en: String::new(),
        })
        .collect();
    let documents = state
        .store
        .debate_files(d.id, "document")
        .await?
        .into_iter()
        .map(|f| DocumentOut {
            url: state.url(&format!("/fichiers/{}/{}", f.id, f.filename)),
            id: f.id,
            title: f.title,
            filename: f.filename,
            content_type: f.content_type,
            size: f.size,
        })
        .collect();
    let open_data = ["csv", "jsonl", "xlsx"]
        .iter()
        .map(|f| state.url(&format!("/debats/{}/donnees/contributions.{f}", d.slug)))
        .collect();
    let out = DebateOut {
        url: state.url(&format!("/debats/{}", d.slug)),
        status: d.status.as_str().to_string(),
        slug: d.slug,
        title: d.title,
        summary: d.summary,
        body_markdown: d.body_md,
        phases,
        questions,
        categories,
        quartiers,
        documents,
        open_data,
    };
    Ok(json_read(&headers, &out))
}
