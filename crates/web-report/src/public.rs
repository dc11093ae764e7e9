//! The published report as everyone reads it: the latest published version at
//! `/debats/{slug}/rapport`, earlier ones at `…/versions/{n}`, each a frozen snapshot. A citation
//! links to the contribution it quotes; a contribution hidden by moderation since shows as
//! withdrawn, never its text.

use crate::view::{self, SectionView};
use crate::{app_error, debate, local};
use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use webkit::ctx::Ctx;
use webkit::error::AppResult;
use webkit::state::AppState;
use webkit::view::{Layout, render};

#[derive(Template)]
#[template(path = "public.html")]
pub struct PublicView {
    pub l: Layout,
    pub slug: String,
    pub debate_title: String,
    pub number: i64,
    pub latest: i64,
    pub published_on: String,
    pub published_iso: String,
    /// Other published versions: (number, label).
    pub others: Vec<(i64, String)>,
    pub sections: Vec<SectionView>,
    pub opinions: Vec<view::OpinionView>,
}

async fn show(state: &AppState, ctx: Ctx, slug: &str, number: Option<i64>) -> AppResult<Response> {
    let ctx = local(ctx);
    let d = debate(state, slug).await?;
    let (v, snap, shown) = app::report::published(&state.store, &ctx.subject, &d, number)
        .await
        .map_err(app_error)?;
    let tr = &ctx.tr;
    let latest = state
        .store
        .latest_published(d.id)
        .await?
        .unwrap_or(v.number);
    let frozen = v.frozen_at.unwrap_or(v.created_at);
    let others = state
        .store
        .report_versions(d.id)
        .await?
        .into_iter()
        .filter(|o| o.state == "published" && o.number != v.number)
        .map(|o| {
            let when = tr.date(o.frozen_at.unwrap_or(o.created_at), &state.tz);
            (
                o.number,
                tr.t2("report-public-version", ("n", o.number), ("when", when)),
            )
        })
        .collect();
    let iso = jiff::Timestamp::from_second(frozen)
        .map(|t| t.to_string())
        .unwrap_or_default();
    let mut sections = view::sections(tr, &state.tz, &snap, &shown);
    let signoffs = state.store.report_signoffs(v.id).await?;
    view::add_signoffs(tr, &state.tz, &mut sections, &signoffs);
    let opinions = view::opinions(
        tr,
        &state.tz,
        &state.store.report_opinions(d.id, true).await?,
    );
    Ok(render(&PublicView {
        l: ctx.layout(state, tr.t1("report-public-title", "title", &d.title)),
        sections,
        opinions,
        published_on: tr.t2(
            "report-public-version",
            ("n", v.number),
            ("when", tr.date(frozen, &state.tz)),
        ),
        published_iso: iso,
        others,
        number: v.number,
        latest,
        slug: d.slug,
        debate_title: d.title,
    }))
}

pub async fn latest(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
) -> AppResult<Response> {
    show(&state, ctx, &slug, None).await
}

pub async fn version(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((slug, n)): Path<(String, i64)>,
) -> AppResult<Response> {
    show(&state, ctx, &slug, Some(n)).await
}
