//! The analysts' pages: runs of the synthesis engine per debate, a run's themes with their
//! keyphrases, quotes and breakdowns, duplicate groups and campaigns, and why a contribution sits
//! in its theme. Guarantors read them too.

use crate::ctx::Ctx;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::view::{Layout, render};
use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use domain::Action;

pub struct RunLine {
    pub id: i64,
    pub when: String,
    pub by: String,
    pub documents: i64,
    pub themes: i64,
}

pub struct DebateRuns {
    pub id: i64,
    pub title: String,
    pub contributions: i64,
    pub count_label: String,
    pub runs: Vec<RunLine>,
}

#[derive(Template)]
#[template(path = "admin/analyses.html")]
pub struct AnalysesView {
    pub l: Layout,
    pub debates: Vec<DebateRuns>,
    pub can_run: bool,
}

pub async fn index(State(state): State<AppState>, ctx: Ctx) -> AppResult<Response> {
    ctx.require(Action::ReadAnalyses)?;
    let mut debates = Vec::new();
    for d in state.store.debates(true).await? {
        let filter = storage::ContributionFilter {
            debate_id: d.id,
            ..Default::default()
        };
        let runs = state
            .store
            .runs(d.id)
            .await?
            .into_iter()
            .map(|r| RunLine {
                id: r.id,
                when: ctx.tr.datetime(r.created_at, &state.tz),
                by: r
                    .created_by_name
                    .unwrap_or_else(|| ctx.tr.t("audit-system")),
                documents: r.documents,
                themes: r.themes,
            })
            .collect();
        let contributions = state.store.count_contributions(&filter).await?;
        debates.push(DebateRuns {
            id: d.id,
            count_label: ctx.tr.count("contrib-count", contributions),
            contributions,
            title: d.title,
            runs,
        });
    }
    Ok(render(&AnalysesView {
        l: ctx.layout(&state, ctx.tr.t("admin-analyses")),
        debates,
        can_run: ctx.subject.may(Action::RunAnalysis),
    }))
}

pub async fn start(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(debate_id): Path<i64>,
) -> AppResult<Response> {
    ctx.require(Action::RunAnalysis)?;
    let d = state
        .store
        .debate_by_id(debate_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let filter = storage::ContributionFilter {
        debate_id: d.id,
        ..Default::default()
    };
    if state.store.count_contributions(&filter).await? == 0 {
        return Err(AppError::BadRequest("error-analysis-empty"));
    }
    let (run, _) = crate::synthesis::run_on_debate(
        &state.store,
        d.id,
        analysis::Settings::default(),
        ctx.user_id(),
    )
    .await
    .map_err(|e| AppError::Internal(e.to_string()))?;
    state
        .store
        .audit(
            ctx.user_id(),
            "analysis.run",
            &format!("run:{run}"),
            &format!("debate:{}", d.id),
        )
        .await?;
    Ok(Redirect::to(&format!("/admin/analyses/{run}")).into_response())
}

pub struct Bar {
    pub label: String,
    pub count: usize,
    /// Bar length in the chart, in SVG units (0–200), relative to the largest value.
    pub width: usize,
    /// Vertical position of the bar in the chart.
    pub y: usize,
}

pub struct ThemeView {
    pub id: usize,
    pub label: String,
    pub size: usize,
    pub share: String,
    pub keyphrases: String,
    pub quotes: Vec<(String, String)>,
    /// (caption, counts): by question, category, channel.
    pub breakdowns: Vec<(String, Vec<Bar>)>,
}

pub struct GroupView {
    pub size: usize,
    pub kind: String,
    pub campaign: bool,
    pub excerpt: String,
    pub first_ids: Vec<String>,
}

#[derive(Template)]
#[template(path = "admin/analysis_run.html")]
pub struct RunView {
    pub l: Layout,
    pub run_id: i64,
    pub debate_title: String,
    pub meta: String,
    pub documents: usize,
    pub voices: usize,
    pub outliers: usize,
    pub themes: Vec<ThemeView>,
    pub groups: Vec<GroupView>,
    pub settings: String,
}

fn bars(map: &std::collections::BTreeMap<String, usize>) -> Vec<Bar> {
    let mut v: Vec<(&String, &usize)> = map.iter().collect();
    v.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    let max = v.first().map(|(_, n)| **n).unwrap_or(1).max(1);
    v.into_iter()
        .take(8)
        .enumerate()
        .map(|(i, (label, n))| Bar {
            label: label.clone(),
            count: *n,
            width: (n * 200).div_ceil(max),
            y: i * 22,
        })
        .collect()
}

async fn load_run(
    state: &AppState,
    ctx: &Ctx,
    run_id: i64,
) -> AppResult<(storage::RunSummary, analysis::Analysis)> {
    ctx.require(Action::ReadAnalyses)?;
    let (summary, json) = state.store.run(run_id).await?.ok_or(AppError::NotFound)?;
    let result: analysis::Analysis = serde_json::from_str(&json)
        .map_err(|e| AppError::Internal(format!("stored run {run_id}: {e}")))?;
    Ok((summary, result))
}

pub async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(run_id): Path<i64>,
) -> AppResult<Response> {
    let (summary, a) = load_run(&state, &ctx, run_id).await?;
    let d = state
        .store
        .debate_by_id(summary.debate_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let total = a.stats.documents.max(1);
    let themes = a
        .themes
        .iter()
        .map(|t| ThemeView {
            id: t.id,
            label: t.label.clone(),
            size: t.size,
            share: format!("{:.1} %", t.size as f64 * 100.0 / total as f64),
            keyphrases: t
                .keyphrases
                .iter()
                .map(|k| k.text.as_str())
                .collect::<Vec<_>>()
                .join(", "),
            quotes: t
                .representatives
                .iter()
                .cloned()
                .zip(t.excerpts.iter().cloned())
                .collect(),
            breakdowns: vec![
                (ctx.tr.t("field-question"), bars(&t.breakdown.question)),
                (
                    ctx.tr.t("field-category-short"),
                    bars(&t.breakdown.category),
                ),
                (ctx.tr.t("field-channel"), bars(&t.breakdown.channel)),
            ],
        })
        .collect();
    let groups = a
        .duplicates
        .iter()
        .filter(|g| g.size > 1)
        .take(50)
        .map(|g| GroupView {
            size: g.size,
            kind: ctx.tr.t(match g.kind {
                analysis::DuplicateKind::Exact => "analysis-dup-exact",
                analysis::DuplicateKind::Near => "analysis-dup-near",
            }),
            campaign: g.campaign,
            excerpt: g.excerpt.clone(),
            first_ids: g.ids.iter().take(5).cloned().collect(),
        })
        .collect();
    Ok(render(&RunView {
        l: ctx.layout(&state, ctx.tr.t1("analysis-run-title", "id", run_id)),
        run_id,
        meta: format!(
            "{} · {} · {} {}",
            ctx.tr.datetime(summary.created_at, &state.tz),
            summary
                .created_by_name
                .unwrap_or_else(|| ctx.tr.t("audit-system")),
            a.engine.name,
            a.engine.version
        ),
        debate_title: d.title,
        documents: a.stats.documents,
        voices: a.stats.voices,
        outliers: a.outliers.count,
        themes,
        groups,
        settings: summary.settings,
    }))
}

#[derive(Template)]
#[template(path = "admin/analysis_why.html")]
pub struct WhyView {
    pub l: Layout,
    pub run_id: i64,
    pub contribution_id: String,
    pub title: String,
    pub theme: String,
    pub similarity: String,
    pub terms: String,
    pub keyphrases: String,
    pub summary: String,
}

/// Why a contribution sits in its theme, from the stored run alone.
pub async fn why(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((run_id, contribution_id)): Path<(i64, String)>,
) -> AppResult<Response> {
    let (_, a) = load_run(&state, &ctx, run_id).await?;
    let index = a
        .documents
        .ids
        .iter()
        .position(|id| *id == contribution_id)
        .ok_or(AppError::NotFound)?;
    let e = analysis::explain(&a, index).ok_or(AppError::NotFound)?;
    let title = match contribution_id.parse::<i64>() {
        Ok(id) => state
            .store
            .contribution(id)
            .await?
            .map(|c| c.title)
            .unwrap_or_default(),
        Err(_) => String::new(),
    };
    Ok(render(&WhyView {
        l: ctx.layout(&state, ctx.tr.t("analysis-why-title")),
        run_id,
        contribution_id,
        title,
        theme: e
            .theme_label
            .unwrap_or_else(|| ctx.tr.t("analysis-outlier")),
        similarity: format!("{:.3}", e.similarity),
        terms: e.top_terms.join(", "),
        keyphrases: e.matching_keyphrases.join(", "),
        summary: e.summary,
    }))
}
