//! The open-data page of a debate and its downloads, streamed row by row.

use super::visible_debate;
use crate::ctx::Ctx;
use crate::error::{AppError, AppResult};
use crate::opendata::Format;
use crate::state::AppState;
use crate::view::{Layout, render};
use askama::Template;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};

#[derive(Template)]
#[template(path = "opendata.html")]
pub struct OpenDataView {
    pub l: Layout,
    pub slug: String,
    pub debate_title: String,
    pub count: String,
}

pub async fn page(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
) -> AppResult<Response> {
    let d = visible_debate(&state, &ctx, &slug).await?;
    let n = state
        .store
        .count_contributions(&storage::ContributionFilter {
            debate_id: d.id,
            ..Default::default()
        })
        .await?;
    Ok(render(&OpenDataView {
        l: ctx.layout(&state, ctx.tr.t1("opendata-title", "title", &d.title)),
        count: ctx.tr.count("contrib-count", n),
        slug: d.slug,
        debate_title: d.title,
    }))
}

pub async fn download(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((slug, file)): Path<(String, String)>,
) -> AppResult<Response> {
    let d = visible_debate(&state, &ctx, &slug).await?;
    let format = file
        .strip_prefix("contributions.")
        .and_then(Format::parse)
        .ok_or(AppError::NotFound)?;
    let key = state.store.pseudonym_key().await?;
    // A failed export ends the body early; the task logs why.
    let (rx, task) = state.store.spawn_export(d.id);
    tokio::spawn(async move {
        if let Ok(Err(e)) = task.await {
            tracing::error!(error = %e, "export failed");
        }
    });
    let header_line = futures_util::stream::once(async move {
        Ok::<_, std::convert::Infallible>(format.header().to_string())
    });
    let rows = futures_util::stream::unfold((rx, key), move |(mut rx, key)| async move {
        let row = rx.recv().await?;
        Some((
            Ok::<_, std::convert::Infallible>(format.row(&row, &key)),
            (rx, key),
        ))
    });
    use futures_util::StreamExt;
    let body = Body::from_stream(header_line.chain(rows));
    let filename = format!("{}-contributions.{}", d.slug, format.extension());
    Ok((
        [
            (header::CONTENT_TYPE, format.content_type().to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{filename}\""),
            ),
        ],
        body,
    )
        .into_response())
}
