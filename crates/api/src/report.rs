//! The final report, read: the published version (frozen figures; a contribution hidden since
//! publication is marked withdrawn, never shown), the coverage audit (staff with a token), and
//! the city's answers and commitments with their milestones.

use crate::auth::Caller;
use crate::debates::visible;
use crate::problem::{ApiResult, Problem};
use crate::{ApiState, json_read, time};
use app::report::{ReportError, Shown};
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use report::FrozenCitation;
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct CitationOut {
    /// contribution, theme or event
    pub kind: String,
    pub title: String,
    /// The excerpt quoted (contributions), or the minutes (events); absent when withdrawn.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub excerpt: Option<String>,
    /// `moderation` or `author` when the contribution may no longer be shown.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub withdrawn: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contribution_id: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub channel: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub run_id: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub theme: Option<i64>,
    /// Contributions in the theme, as frozen.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub size: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub event_id: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub present: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub walk_ins: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct SectionOut {
    /// Stable across versions.
    pub key: i64,
    /// diagnosis, finding or recommendation
    pub kind: String,
    pub title: String,
    pub body_markdown: String,
    pub citations: Vec<CitationOut>,
}

#[derive(Serialize, ToSchema)]
pub struct OpinionOut {
    pub author: Option<String>,
    pub published_at: Option<String>,
    pub body_markdown: String,
}

#[derive(Serialize, ToSchema)]
pub struct ReportOut {
    pub version: i64,
    pub published_at: String,
    pub sections: Vec<SectionOut>,
    pub opinions: Vec<OpinionOut>,
    pub url: String,
}

fn problem(e: ReportError) -> Problem {
    match e {
        ReportError::NotFound => Problem::not_found(),
        ReportError::Forbidden => Problem::forbidden(
            "The report's drafts and audit are for its analysts, administrators and guarantors.",
        ),
        ReportError::LoginRequired => Problem::unauthorized("A token is needed."),
        ReportError::Store(e) => e.into(),
        other => Problem::conflict("report", &other.to_string()),
    }
}

fn citation(
    state: &ApiState,
    c: &FrozenCitation,
    shown: &std::collections::HashMap<i64, Shown>,
) -> CitationOut {
    let mut o = CitationOut {
        kind: c.kind().as_str().into(),
        title: String::new(),
        excerpt: None,
        withdrawn: None,
        contribution_id: None,
        channel: None,
        run_id: None,
        theme: None,
        size: None,
        event_id: None,
        present: None,
        walk_ins: None,
        url: None,
    };
    match c {
        FrozenCitation::Contribution(x) => {
            o.contribution_id = Some(x.id);
            o.channel = Some(x.channel.clone());
            o.url = Some(state.url(&format!("/contributions/{}", x.id)));
            match shown.get(&x.id).copied().unwrap_or(Shown::Withdrawn) {
                Shown::Visible => {
                    o.title = x.title.clone();
                    o.excerpt = Some(x.excerpt.clone());
                }
                Shown::Moderated => o.withdrawn = Some("moderation".into()),
                Shown::Withdrawn => o.withdrawn = Some("author".into()),
            }
        }
        FrozenCitation::Theme(t) => {
            o.title = t.label.clone();
            o.run_id = Some(t.run_id);
            o.theme = Some(t.theme);
            o.size = Some(t.size);
        }
        FrozenCitation::Event(e) => {
            o.title = e.title.clone();
            o.event_id = Some(e.id);
            o.excerpt = Some(e.minutes.clone());
            o.present = Some(e.present);
            o.walk_ins = Some(e.walk_ins);
            o.url = Some(state.url(&format!("/evenements/{}", e.id)));
        }
    }
    o
}

/// The latest published version of a debate's final report.
#[utoipa::path(get, path = "/debates/{slug}/report", tag = "report",
    params(("slug" = String, Path, description = "The debate's slug")),
    responses((status = 200, body = ReportOut), (status = 404, body = Problem)),
    security((), ("token" = [])))]
pub async fn published(
    State(state): State<ApiState>,
    caller: Caller,
    headers: HeaderMap,
    Path(slug): Path<String>,
) -> ApiResult<Response> {
    let d = visible(&state, &caller, &slug).await?;
    let (v, snap, shown) = app::report::published(&state.store, &caller.subject, &d, None)
        .await
        .map_err(problem)?;
    let sections = snap
        .ordered()
        .into_iter()
        .map(|s| SectionOut {
            key: s.key,
            kind: s.kind.as_str().into(),
            title: s.title.clone(),
            body_markdown: s.body.clone(),
            citations: s
                .citations
                .iter()
                .map(|c| citation(&state, c, &shown))
                .collect(),
        })
        .collect();
    let opinions = state
        .store
        .report_opinions(d.id, true)
        .await?
        .into_iter()
        .map(|o| OpinionOut {
            author: o.author_name,
            published_at: o.published_at.map(time),
            body_markdown: o.body,
        })
        .collect();
    let out = ReportOut {
        version: v.number,
        published_at: time(v.frozen_at.unwrap_or(v.created_at)),
        sections,
        opinions,
        url: state.url(&format!("/debats/{}/rapport", d.slug)),
    };
    Ok(json_read(&headers, &out))
}

#[derive(Serialize, ToSchema)]
pub struct ShareOut {
    pub value: String,
    pub total: i64,
    pub covered: i64,
    pub percent: f64,
}

#[derive(Serialize, ToSchema)]
pub struct DimensionOut {
    /// channel, question, category or quartier
    pub name: String,
    pub shares: Vec<ShareOut>,
}

#[derive(Serialize, ToSchema)]
pub struct CoverageOut {
    /// The report's version audited (0: no report yet).
    pub version: i64,
    pub total: i64,
    pub cited: i64,
    pub in_cited_theme: i64,
    pub not_retained: i64,
    pub uncovered: i64,
    pub percent: f64,
    pub full: bool,
    pub dimensions: Vec<DimensionOut>,
    /// The first uncovered contributions' ids.
    pub uncovered_ids: Vec<i64>,
}

/// The coverage audit of the newest version of a debate's report (analysts of the debate,
/// administrators, guarantors).
#[utoipa::path(get, path = "/debates/{slug}/report/coverage", tag = "report",
    params(("slug" = String, Path, description = "The debate's slug")),
    responses((status = 200, body = CoverageOut), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem)),
    security(("token" = [])))]
pub async fn coverage(
    State(state): State<ApiState>,
    caller: Caller,
    headers: HeaderMap,
    Path(slug): Path<String>,
) -> ApiResult<Response> {
    if caller.scope.is_none() {
        return Err(Problem::unauthorized(
            "The coverage audit needs a token of staff.",
        ));
    }
    let d = visible(&state, &caller, &slug).await?;
    let a = app::report_coverage::audit(&state.store, &caller.subject, d.id, None, 100)
        .await
        .map_err(problem)?;
    let c = &a.coverage;
    let out = CoverageOut {
        version: a.version,
        total: c.total,
        cited: c.cited,
        in_cited_theme: c.in_cited_theme,
        not_retained: c.not_retained,
        uncovered: c.uncovered,
        percent: c.percent(),
        full: c.is_full(),
        dimensions: c
            .dimensions
            .iter()
            .map(|dim| DimensionOut {
                name: dim.name.into(),
                shares: dim
                    .shares
                    .iter()
                    .map(|s| ShareOut {
                        value: s.value.clone(),
                        total: s.total,
                        covered: s.covered,
                        percent: s.percent(),
                    })
                    .collect(),
            })
            .collect(),
        uncovered_ids: a.uncovered.iter().map(|u| u.id).collect(),
    };
    Ok(json_read(&headers, &out))
}

#[derive(Serialize, ToSchema)]
pub struct MilestoneOut {
    pub on: String,
    pub title: String,
    pub evidence: String,
}

#[derive(Serialize, ToSchema)]
pub struct CommitmentOut {
    pub id: i64,
    pub title: String,
    pub description: String,
    pub department: String,
    pub budget_euros: Option<i64>,
    pub quartier: Option<String>,
    pub starts_on: Option<String>,
    pub ends_on: Option<String>,
    /// planned, in_progress, done or abandoned
    pub status: String,
    /// 0 to 100
    pub progress: i64,
    pub milestones: Vec<MilestoneOut>,
    pub url: String,
}

#[derive(Serialize, ToSchema)]
pub struct RecommendationOut {
    pub key: i64,
    pub title: String,
    /// accepted, partly or not_retained; absent until the city answers
    pub answer: Option<String>,
    pub reasons: Option<String>,
    /// Keys of the findings it rests on.
    pub findings: Vec<i64>,
    pub commitments: Vec<CommitmentOut>,
}

#[derive(Serialize, ToSchema)]
pub struct FollowUpOut {
    pub items: Vec<RecommendationOut>,
    pub url: String,
}

/// The recommendations of the published report, the city's answers and its commitments.
#[utoipa::path(get, path = "/debates/{slug}/commitments", tag = "report",
    params(("slug" = String, Path, description = "The debate's slug")),
    responses((status = 200, body = FollowUpOut), (status = 404, body = Problem)),
    security((), ("token" = [])))]
pub async fn commitments(
    State(state): State<ApiState>,
    caller: Caller,
    headers: HeaderMap,
    Path(slug): Path<String>,
) -> ApiResult<Response> {
    let d = visible(&state, &caller, &slug).await?;
    let items = app::report_followup::followup(&state.store, d.id, None)
        .await
        .map_err(problem)?
        .into_iter()
        .map(|r| RecommendationOut {
            key: r.key,
            title: r.title,
            answer: r.answer.as_ref().map(|a| a.0.as_str().to_string()),
            reasons: r.answer.map(|a| a.1),
            findings: r.findings.iter().map(|f| f.0).collect(),
            commitments: r
                .commitments
                .into_iter()
                .map(|(k, ms)| CommitmentOut {
                    url: state.url(&format!("/engagements/{}", k.id)),
                    id: k.id,
                    title: k.title,
                    description: k.description,
                    department: k.department,
                    budget_euros: k.budget_euros,
                    quartier: k.quartier,
                    starts_on: k.starts_at.map(app::report_followup::day_text),
                    ends_on: k.ends_at.map(app::report_followup::day_text),
                    status: k.status,
                    progress: k.progress,
                    milestones: ms
                        .into_iter()
                        .map(|m| MilestoneOut {
                            on: app::report_followup::day_text(m.at),
                            title: m.title,
                            evidence: m.evidence,
                        })
                        .collect(),
                })
                .collect(),
        })
        .collect();
    let out = FollowUpOut {
        items,
        url: state.url(&format!("/debats/{}/suites", d.slug)),
    };
    Ok(json_read(&headers, &out))
}
