//! French full-text search over a debate's contributions and comments: ranked by relevance, the
//! words found highlighted. The behaviour (accents, elisions, stemming) is in docs/search.md.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use serde::Deserialize;
use std::collections::HashMap;
use webkit::access::visible_debate;
use webkit::ctx::Ctx;
use webkit::error::{AppError, AppResult};
use webkit::state::AppState;
use webkit::view::{Layout, render};

const PAGE: usize = 20;
/// Longest query, in characters.
const MAX_QUERY: usize = 200;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct SearchQuery {
    pub q: String,
    pub page: String,
}

/// Text in pieces, the matching ones to be marked.
pub type Marked = Vec<(String, bool)>;

pub struct ResultView {
    pub href: String,
    pub title: Marked,
    pub snippet: Marked,
    /// "Commentaire sur « … »" for comments, the question for contributions.
    pub context: String,
    pub meta: String,
    pub collective: bool,
}

#[derive(Template)]
#[template(path = "search.html")]
pub struct SearchView {
    pub l: Layout,
    pub slug: String,
    pub debate_title: String,
    pub q: String,
    pub error: String,
    pub searched: bool,
    pub total_label: String,
    pub building: bool,
    pub results: Vec<ResultView>,
    pub prev_href: Option<String>,
    pub next_href: Option<String>,
}

pub async fn page(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
    Query(sq): Query<SearchQuery>,
) -> AppResult<Response> {
    let d = visible_debate(&state, &ctx, &slug).await?;
    let tr = &ctx.tr;
    let q = sq.q.trim().to_string();
    let mut view = SearchView {
        l: ctx.layout(&state, tr.t1("search-title", "title", &d.title)),
        slug: d.slug.clone(),
        debate_title: d.title.clone(),
        q: q.clone(),
        error: String::new(),
        searched: false,
        total_label: String::new(),
        building: state.search.is_building(),
        results: Vec::new(),
        prev_href: None,
        next_href: None,
    };
    if q.is_empty() {
        return Ok(render(&view));
    }
    if q.chars().count() > MAX_QUERY {
        view.error = tr.t("error-search-too-long");
        view.l.has_errors = true;
        let mut res = render(&view);
        *res.status_mut() = axum::http::StatusCode::BAD_REQUEST;
        return Ok(res);
    }
    let page = sq.page.trim().parse::<usize>().unwrap_or(1).max(1);
    let offset = (page - 1) * PAGE;
    if offset >= search::MAX_WINDOW {
        return Err(AppError::BadRequest("error-search-too-deep"));
    }
    // Whatever was written here up to now is findable (unless the index is being built).
    if !state.search.is_building()
        && !state.search.is_current(&state.store)
        && let Err(e) = state.search.catch_up(&state.store).await
    {
        tracing::warn!(error = %e, "search index not updated before a search");
    }
    let remembered = if state.settings.caches {
        state.search.remembered::<Found>(d.id, &q, offset)
    } else {
        None
    };
    let found = match remembered {
        Some(f) => f,
        None => {
            let f = std::sync::Arc::new(find(&state, d.id, &q, offset).await?);
            if state.settings.caches {
                state.search.remember(d.id, &q, offset, f.clone());
            }
            f
        }
    };
    for item in &found.items {
        let c = &item.contribution;
        view.results.push(match &item.comment {
            None => ResultView {
                href: format!("/contributions/{}", c.id),
                title: item.title.clone(),
                snippet: item.snippet.clone(),
                context: c.question.clone(),
                meta: super::contributions::meta_line(&ctx, &state, c),
                collective: c.kind == "collective",
            },
            Some(m) => ResultView {
                href: format!("/contributions/{}#commentaire-{}", c.id, m.id),
                title: item.title.clone(),
                snippet: item.snippet.clone(),
                context: tr.t("search-comment-on"),
                meta: format!(
                    "{} · {}",
                    m.author_name
                        .clone()
                        .unwrap_or_else(|| tr.t("author-deleted")),
                    tr.date(m.created_at, &state.tz)
                ),
                collective: false,
            },
        });
    }
    let total = found.total;
    let href = |p: usize| {
        format!(
            "/debats/{}/recherche?{}",
            d.slug,
            serde_urlencoded::to_string([("q", q.as_str()), ("page", &p.to_string())])
                .unwrap_or_default()
        )
    };
    view.searched = true;
    view.total_label = tr.count("search-count", total as i64);
    view.prev_href = (page > 1).then(|| href(page - 1));
    view.next_href = (offset + PAGE < total.min(search::MAX_WINDOW)).then(|| href(page + 1));
    Ok(render(&view))
}

/// A results page before it is put in words: the same for every visitor and language, so that
/// it can be remembered until the index changes.
pub struct Found {
    pub total: usize,
    pub items: Vec<FoundItem>,
}

pub struct FoundItem {
    pub contribution: storage::ContributionRow,
    /// Set when the hit is a comment of that contribution.
    pub comment: Option<storage::CommentRow>,
    pub title: Marked,
    pub snippet: Marked,
}

/// Runs the query on the index and loads the texts of its hits.
async fn find(state: &AppState, debate_id: i64, q: &str, offset: usize) -> AppResult<Found> {
    let mut query = search::Query::new(debate_id, q);
    query.offset = offset;
    query.limit = PAGE;
    let hits = state
        .search
        .index
        .search(&query)
        .map_err(|e| AppError::Internal(e.to_string()))?;
    let contribution_ids: Vec<i64> = hits.hits.iter().map(|h| h.contribution_id).collect();
    let comment_ids: Vec<i64> = hits
        .hits
        .iter()
        .filter(|h| h.kind == search::Kind::Comment)
        .map(|h| h.id)
        .collect();
    let contributions: HashMap<i64, storage::ContributionRow> = state
        .store
        .contributions_by_ids(&contribution_ids)
        .await?
        .into_iter()
        .map(|c| (c.id, c))
        .collect();
    let mut comments: HashMap<i64, storage::CommentRow> = state
        .store
        .comments_by_ids(&comment_ids)
        .await?
        .into_iter()
        .map(|c| (c.id, c))
        .collect();
    let mut items = Vec::with_capacity(hits.hits.len());
    for h in &hits.hits {
        let Some(c) = contributions.get(&h.contribution_id) else {
            continue;
        };
        let item = match h.kind {
            search::Kind::Contribution => FoundItem {
                title: search::highlight(&c.title, q),
                snippet: search::snippet(&format!("{} {}", c.summary, c.body), q, 240),
                contribution: c.clone(),
                comment: None,
            },
            search::Kind::Comment => {
                let Some(m) = comments.remove(&h.id) else {
                    continue;
                };
                FoundItem {
                    title: vec![(c.title.clone(), false)],
                    snippet: search::snippet(&m.body, q, 240),
                    contribution: c.clone(),
                    comment: Some(m),
                }
            }
        };
        items.push(item);
    }
    Ok(Found {
        total: hits.total,
        items,
    })
}
