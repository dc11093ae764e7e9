//! Versions of a report for staff: a frozen version as it was (saved versions are not public),
//! and two versions compared section by section (the draft included).

use crate::view::{self, SectionView};
use crate::{app_error, debate, id_of, local};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use domain::On;
use report::{Snapshot, VersionState};
use webkit::choices::Choice;
use webkit::ctx::Ctx;
use webkit::error::{AppError, AppResult};
use webkit::state::AppState;
use webkit::view::{Layout, render};

#[derive(Template)]
#[template(path = "version.html")]
pub struct VersionView {
    pub l: Layout,
    pub slug: String,
    pub debate_title: String,
    pub number: i64,
    pub status: String,
    pub note: String,
    pub sections: Vec<SectionView>,
    pub published: bool,
}

/// A frozen version as staff read it (saved versions are not public).
pub async fn version(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((slug, n)): Path<(String, i64)>,
) -> AppResult<Response> {
    let ctx = local(ctx);
    let d = debate(&state, &slug).await?;
    app::report::authorize(&state.store, &ctx.subject, d.id, On::ReadReportDraft, true)
        .await
        .map_err(app_error)?;
    let (v, json) = state
        .store
        .report_version(d.id, n)
        .await?
        .ok_or(AppError::NotFound)?;
    let st = VersionState::parse(&v.state);
    if !st.is_frozen() {
        return Ok(Redirect::to(&format!("/admin/rapports/{slug}")).into_response());
    }
    let snap = Snapshot::from_json(&json).map_err(|_| AppError::NotFound)?;
    let shown = app::report::cited_states(&state.store, &snap)
        .await
        .map_err(app_error)?;
    let tr = &ctx.tr;
    let when = tr.datetime(v.frozen_at.unwrap_or(v.created_at), &state.tz);
    let mut sections = view::sections(tr, &state.tz, &snap, &shown);
    let signoffs = state.store.report_signoffs(v.id).await?;
    view::add_signoffs(tr, &state.tz, &mut sections, &signoffs);
    Ok(render(&VersionView {
        l: ctx.layout(&state, tr.t1("report-version-title", "n", n)),
        status: tr.t2(
            &format!("report-version-{}", st.as_str()),
            ("n", n),
            ("when", when),
        ),
        note: v.note,
        sections,
        published: st == VersionState::Published,
        slug: d.slug,
        debate_title: d.title,
        number: n,
    }))
}

#[derive(serde::Deserialize, Default)]
pub struct CompareQuery {
    #[serde(default)]
    pub de: String,
    #[serde(default)]
    pub a: String,
}

pub struct Line {
    pub added: bool,
    pub removed: bool,
    pub text: String,
}

pub struct DiffView {
    pub title: String,
    pub kind_label: String,
    pub old_title: String,
    pub state: String,
    pub lines: Vec<Line>,
    pub added: Vec<String>,
    pub removed: Vec<String>,
}

#[derive(Template)]
#[template(path = "compare.html")]
pub struct CompareView {
    pub l: Layout,
    pub title: String,
    pub slug: String,
    pub from: i64,
    pub to: i64,
    pub versions: Vec<Choice>,
    pub versions_to: Vec<Choice>,
    pub diffs: Vec<DiffView>,
}

async fn snapshot_of(state: &AppState, debate_id: i64, n: i64) -> AppResult<Option<Snapshot>> {
    let Some((v, json)) = state.store.report_version(debate_id, n).await? else {
        return Ok(None);
    };
    if VersionState::parse(&v.state).is_frozen() {
        return Ok(Snapshot::from_json(&json).ok());
    }
    Ok(Some(
        app::report::build_snapshot(&state.store, &v, VersionState::Draft)
            .await
            .map_err(app_error)?,
    ))
}

/// Two versions side by side: what changed, section by section (the draft included).
pub async fn compare(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
    Query(q): Query<CompareQuery>,
) -> AppResult<Response> {
    let ctx = local(ctx);
    let d = debate(&state, &slug).await?;
    app::report::authorize(&state.store, &ctx.subject, d.id, On::ReadReportDraft, true)
        .await
        .map_err(app_error)?;
    let all = state.store.report_versions(d.id).await?;
    let newest = all.first().map(|v| v.number).unwrap_or(0);
    let to = id_of(&q.a).unwrap_or(newest);
    let from = id_of(&q.de).unwrap_or((to - 1).max(1));
    let tr = &ctx.tr;
    let choices = |current: i64| -> Vec<Choice> {
        all.iter()
            .map(|v| {
                Choice::new(
                    v.number,
                    tr.t1("report-version-short", "n", v.number),
                    &current.to_string(),
                )
            })
            .collect()
    };
    let mut diffs = Vec::new();
    if let (Some(a), Some(b)) = (
        snapshot_of(&state, d.id, from).await?,
        snapshot_of(&state, d.id, to).await?,
    ) {
        for s in report::diff(&a, &b).into_iter().filter(|s| s.changed()) {
            diffs.push(DiffView {
                kind_label: view::kind_label(tr, s.kind),
                old_title: s.old_title.clone().unwrap_or_default(),
                state: if s.added {
                    tr.t("report-diff-added")
                } else if s.removed {
                    tr.t("report-diff-removed")
                } else {
                    tr.t("report-diff-changed")
                },
                title: s.title,
                lines: s
                    .lines
                    .into_iter()
                    .map(|c| match c {
                        report::Change::Same(text) => Line {
                            added: false,
                            removed: false,
                            text,
                        },
                        report::Change::Added(text) => Line {
                            added: true,
                            removed: false,
                            text,
                        },
                        report::Change::Removed(text) => Line {
                            added: false,
                            removed: true,
                            text,
                        },
                    })
                    .collect(),
                added: s.citations_added,
                removed: s.citations_removed,
            });
        }
    }
    let title = tr.t2("report-compare-title", ("from", from), ("to", to));
    Ok(render(&CompareView {
        l: ctx.layout(&state, title.clone()),
        title,
        slug: d.slug,
        from,
        to,
        versions: choices(from),
        versions_to: choices(to),
        diffs,
    }))
}
