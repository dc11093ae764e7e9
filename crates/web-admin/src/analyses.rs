//! The analysts' pages: runs of the synthesis engine per debate, a run's themes with their
//! keyphrases, quotes and breakdowns, duplicate groups and campaigns, and why a contribution sits
//! in its theme. Guarantors read them too.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use domain::Action;
use webkit::ctx::Ctx;
use webkit::error::{AppError, AppResult};
use webkit::state::AppState;
use webkit::view::{Layout, render};

pub struct RunLine {
    pub id: i64,
    pub when: String,
    pub by: String,
    pub documents: i64,
    pub themes: i64,
    /// "In progress" or "failed", empty when done.
    pub status: String,
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
        // Analysts see the debates the public sees; drafts only for those who see drafts.
        let r = domain::Resource::Debate {
            published: d.status == domain::DebateStatus::Published,
        };
        if !ctx.subject.may_on(domain::On::Analyse, r) {
            continue;
        }
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
                status: match r.status.as_str() {
                    "running" => ctx.tr.t("analysis-running"),
                    "failed" => ctx.tr.t("analysis-failed"),
                    _ => String::new(),
                },
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
    let r = domain::Resource::Debate {
        published: d.status == domain::DebateStatus::Published,
    };
    if !ctx.subject.may_on(domain::On::Analyse, r) {
        return Err(AppError::NotFound);
    }
    let filter = storage::ContributionFilter {
        debate_id: d.id,
        ..Default::default()
    };
    if state.store.count_contributions(&filter).await? == 0 {
        return Err(AppError::BadRequest("error-analysis-empty"));
    }
    // One run at a time: the engine uses the machine's cores.
    if let Some(running) = state.store.running_run().await? {
        return Ok(Redirect::to(&format!("/admin/analyses/{running}")).into_response());
    }
    let settings = analysis::Settings::default();
    let run = app::synthesis::start(&state.store, d.id, &settings, ctx.user_id())
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?;
    // The run itself is a job: its failures are stored with the run and shown on its page.
    let mut tx = state.store.begin().await?;
    let mut job = app::jobs::job(
        app::jobs::ANALYSIS_RUN,
        &app::jobs::AnalysisRun {
            run,
            debate_id: d.id,
            settings,
        },
    );
    // A run cut off by a stopped process is marked failed at the next start; the analyst starts
    // another one rather than the queue repeating a long computation unasked.
    job.max_attempts = 1;
    tx.enqueue(job).await?;
    tx.audit(
        ctx.user_id(),
        "analysis.run",
        &format!("run:{run}"),
        &format!("debate:{}", d.id),
    )
    .await?;
    tx.commit().await?;
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
    pub subthemes: usize,
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

/// A stored run: its result once done, or the page saying it is in progress or failed.
enum Loaded {
    Done(Box<(storage::RunSummary, analysis::Analysis)>),
    Pending(Response),
}

/// Of these contribution ids (as a run keeps them), those whose text this visitor may no longer
/// read: a run keeps the texts it read, and what moderation hid or authors withdrew since then
/// is not quoted to those who may not read hidden text.
async fn withheld(
    state: &AppState,
    ctx: &Ctx,
    ids: Vec<&String>,
) -> AppResult<std::collections::HashSet<String>> {
    if ctx.subject.may(Action::ViewHidden) {
        return Ok(Default::default());
    }
    let ids: Vec<i64> = ids.into_iter().filter_map(|id| id.parse().ok()).collect();
    let mut out = std::collections::HashSet::new();
    for chunk in ids.chunks(500) {
        for r in state.store.contributions_by_ids(chunk).await? {
            if r.status != "published" {
                out.insert(r.id.to_string());
            }
        }
    }
    Ok(out)
}

async fn load_run(state: &AppState, ctx: &Ctx, run_id: i64) -> AppResult<Loaded> {
    ctx.require(Action::ReadAnalyses)?;
    let (summary, json) = state.store.run(run_id).await?.ok_or(AppError::NotFound)?;
    let debate = state
        .store
        .debate_by_id(summary.debate_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let r = domain::Resource::Debate {
        published: debate.status == domain::DebateStatus::Published,
    };
    if !ctx.subject.may_on(domain::On::Analyse, r) {
        return Err(AppError::NotFound);
    }
    if summary.is_running() || summary.is_failed() {
        return Ok(Loaded::Pending(pending(state, ctx, &summary).await?));
    }
    let result: analysis::Analysis = serde_json::from_str(&json)
        .map_err(|e| AppError::Internal(format!("stored run {run_id}: {e}")))?;
    Ok(Loaded::Done(Box::new((summary, result))))
}

/// Loads a finished run or returns early with the "in progress / failed" page.
macro_rules! finished_run {
    ($state:expr, $ctx:expr, $run_id:expr) => {
        match load_run(&$state, &$ctx, $run_id).await? {
            Loaded::Done(b) => *b,
            Loaded::Pending(page) => return Ok(page),
        }
    };
}

#[derive(Template)]
#[template(path = "admin/analysis_pending.html")]
pub struct PendingView {
    pub l: Layout,
    pub run_id: i64,
    pub debate_title: String,
    pub meta: String,
    pub running: bool,
    pub error: String,
}

async fn pending(state: &AppState, ctx: &Ctx, r: &storage::RunSummary) -> AppResult<Response> {
    let debate_title = state
        .store
        .debate_by_id(r.debate_id)
        .await?
        .map(|d| d.title)
        .unwrap_or_default();
    Ok(render(&PendingView {
        run_id: r.id,
        l: ctx.layout(state, ctx.tr.t1("analysis-run-title", "id", r.id)),
        debate_title,
        meta: run_meta(state, ctx, r),
        running: r.is_running(),
        error: r.error.clone(),
    }))
}

fn run_meta(state: &AppState, ctx: &Ctx, r: &storage::RunSummary) -> String {
    format!(
        "{} · {} · concorde-analysis {}",
        ctx.tr.datetime(r.created_at, &state.tz),
        r.created_by_name
            .clone()
            .unwrap_or_else(|| ctx.tr.t("audit-system")),
        r.engine_version
    )
}

pub async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(run_id): Path<i64>,
) -> AppResult<Response> {
    let (summary, a) = finished_run!(state, ctx, run_id);
    let d = state
        .store
        .debate_by_id(summary.debate_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let total = a.stats.documents.max(1);
    let mut quoted: Vec<&String> = a
        .themes
        .iter()
        .flat_map(|t| t.representatives.iter())
        .collect();
    quoted.extend(a.duplicates.iter().flat_map(|g| g.ids.iter()));
    let withheld = withheld(&state, &ctx, quoted).await?;
    let placeholder = ctx.tr.t("analysis-quote-withheld");
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
            subthemes: t.subthemes.len(),
            quotes: t
                .representatives
                .iter()
                .cloned()
                .zip(t.excerpts.iter().cloned())
                .map(|(id, text)| {
                    if withheld.contains(&id) {
                        (id, placeholder.clone())
                    } else {
                        (id, text)
                    }
                })
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
            excerpt: if g.ids.iter().any(|id| withheld.contains(id)) {
                placeholder.clone()
            } else {
                g.excerpt.clone()
            },
            first_ids: g.ids.iter().take(5).cloned().collect(),
        })
        .collect();
    Ok(render(&RunView {
        l: ctx.layout(&state, ctx.tr.t1("analysis-run-title", "id", run_id)),
        run_id,
        meta: run_meta(&state, &ctx, &summary),
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
    let (_, a) = finished_run!(state, ctx, run_id);
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

#[derive(serde::Deserialize, Default)]
pub struct ThemeQuery {
    #[serde(default)]
    pub sous_theme: String,
    #[serde(default)]
    pub page: String,
}

pub struct SubthemeView {
    pub id: usize,
    pub label: String,
    pub size: usize,
    pub keyphrases: String,
    pub quotes: Vec<(String, String)>,
    pub current: bool,
}

pub struct MemberView {
    pub id: String,
    /// Its row in the database: missing when the contribution was deleted since the run.
    pub title: Option<String>,
    pub excerpt: String,
    pub details: String,
    pub similarity: String,
    pub subtheme: String,
}

#[derive(Template)]
#[template(path = "admin/analysis_theme.html")]
pub struct ThemePageView {
    pub l: Layout,
    pub run_id: i64,
    pub theme_path: String,
    pub debate_title: String,
    pub size: usize,
    pub keyphrases: String,
    pub subthemes: Vec<SubthemeView>,
    pub subtheme_label: Option<String>,
    pub members: Vec<MemberView>,
    pub range: String,
    pub prev_href: Option<String>,
    pub next_href: Option<String>,
    /// "Cite this theme in the report", for an analyst assigned to the debate's report.
    pub cite_href: Option<String>,
}

const THEME_PAGE: usize = 50;

fn joined(k: &[analysis::Keyphrase]) -> String {
    k.iter()
        .map(|k| k.text.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// A theme's contributions (or those that fit no theme, `hors-theme`), closest to the theme
/// first, with its sub-themes; `?sous_theme=N` keeps one sub-theme.
pub async fn theme(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((run_id, theme_path)): Path<(i64, String)>,
    axum::extract::Query(q): axum::extract::Query<ThemeQuery>,
) -> AppResult<Response> {
    let (summary, a) = finished_run!(state, ctx, run_id);
    let theme: Option<&analysis::Theme> = if theme_path == "hors-theme" {
        None
    } else {
        let id: usize = theme_path.parse().map_err(|_| AppError::NotFound)?;
        Some(a.themes.get(id).ok_or(AppError::NotFound)?)
    };
    let wanted_theme = theme.map(|t| t.id as i32).unwrap_or(-1);
    let sub: Option<&analysis::Subtheme> = match (theme, q.sous_theme.trim()) {
        (_, "") | (None, _) => None,
        (Some(t), s) => Some(
            s.parse::<usize>()
                .ok()
                .and_then(|i| t.subthemes.iter().find(|x| x.id == i))
                .ok_or(AppError::NotFound)?,
        ),
    };
    let docs = &a.documents;
    let mut members: Vec<usize> = (0..docs.ids.len())
        .filter(|&i| docs.theme.get(i) == Some(&wanted_theme))
        .filter(|&i| sub.is_none_or(|s| docs.subtheme.get(i) == Some(&(s.id as i32))))
        .collect();
    members.sort_by(|&x, &y| {
        let sx = docs.similarity.get(x).copied().unwrap_or(0.0);
        let sy = docs.similarity.get(y).copied().unwrap_or(0.0);
        sy.total_cmp(&sx).then(x.cmp(&y))
    });
    let total = members.len();
    let pages = total.div_ceil(THEME_PAGE).max(1);
    let page = q.page.trim().parse::<usize>().unwrap_or(1).clamp(1, pages);
    let shown = &members[(page - 1) * THEME_PAGE..(page * THEME_PAGE).min(total)];
    let ids: Vec<i64> = shown
        .iter()
        .filter_map(|&i| docs.ids[i].parse().ok())
        .collect();
    let rows: std::collections::HashMap<i64, storage::ContributionRow> = state
        .store
        .contributions_by_ids(&ids)
        .await?
        .into_iter()
        .map(|r| (r.id, r))
        .collect();
    let subtheme_label = |i: usize| -> String {
        let s = docs.subtheme.get(i).copied().unwrap_or(-1);
        theme
            .and_then(|t| t.subthemes.iter().find(|x| x.id as i32 == s))
            .map(|x| x.label.clone())
            .unwrap_or_default()
    };
    let members = shown
        .iter()
        .map(|&i| {
            let id = docs.ids[i].clone();
            let row = id.parse::<i64>().ok().and_then(|n| rows.get(&n));
            let mut details = Vec::new();
            if let Some(r) = row {
                details.push(r.question.clone());
                details.push(ctx.tr.t(&format!("channel-{}", r.channel)));
                if let Some(q) = &r.quartier {
                    details.push(q.clone());
                }
                if r.status != "published" {
                    details.push(ctx.tr.t(&format!("status-{}", r.status)));
                }
            }
            MemberView {
                title: row.map(|r| r.title.clone()),
                excerpt: row
                    .map(|r| {
                        if r.status == "published" || ctx.subject.may(Action::ViewHidden) {
                            webkit::view::excerpt(&r.body, 280)
                        } else {
                            ctx.tr.t("analysis-quote-withheld")
                        }
                    })
                    .unwrap_or_default(),
                details: details.join(" · "),
                similarity: format!("{:.2}", docs.similarity.get(i).copied().unwrap_or(0.0)),
                subtheme: subtheme_label(i),
                id,
            }
        })
        .collect();
    let base = format!("/admin/analyses/{run_id}/themes/{theme_path}");
    let href = |p: usize| match sub {
        Some(s) => format!("{base}?sous_theme={}&page={p}", s.id),
        None => format!("{base}?page={p}"),
    };
    let title = match (theme, sub) {
        (Some(t), _) => ctx.tr.t1("analysis-theme-title", "label", &t.label),
        (None, _) => ctx.tr.t("analysis-outliers-title"),
    };
    let d = state.store.debate_by_id(summary.debate_id).await?;
    let cite_href = match (&d, theme) {
        (Some(d), Some(t)) => {
            let assigned = app::report::assigned(&state.store, &ctx.subject, d.id).await?;
            ctx.subject
                .may_on(
                    domain::On::WriteReport,
                    app::report::resource(d, assigned, false),
                )
                .then(|| {
                    format!(
                        "/admin/rapports/{}/citer?run={run_id}&theme={}",
                        d.slug, t.id
                    )
                })
        }
        _ => None,
    };
    let sub_withheld = withheld(
        &state,
        &ctx,
        theme
            .map(|t| {
                t.subthemes
                    .iter()
                    .flat_map(|s| s.representatives.iter())
                    .collect()
            })
            .unwrap_or_default(),
    )
    .await?;
    let placeholder = ctx.tr.t("analysis-quote-withheld");
    Ok(render(&ThemePageView {
        l: ctx.layout(&state, title),
        run_id,
        debate_title: d.map(|d| d.title).unwrap_or_default(),
        size: theme.map(|t| t.size).unwrap_or(a.outliers.count),
        keyphrases: theme.map(|t| joined(&t.keyphrases)).unwrap_or_default(),
        subthemes: theme
            .map(|t| {
                t.subthemes
                    .iter()
                    .map(|s| SubthemeView {
                        id: s.id,
                        label: s.label.clone(),
                        size: s.size,
                        keyphrases: joined(&s.keyphrases),
                        quotes: s
                            .representatives
                            .iter()
                            .cloned()
                            .zip(s.excerpts.iter().cloned())
                            .map(|(id, text)| {
                                if sub_withheld.contains(&id) {
                                    (id, placeholder.clone())
                                } else {
                                    (id, text)
                                }
                            })
                            .collect(),
                        current: sub.is_some_and(|x| x.id == s.id),
                    })
                    .collect()
            })
            .unwrap_or_default(),
        subtheme_label: sub.map(|s| s.label.clone()),
        members,
        range: ctx.tr.tn(
            "analysis-members-range",
            &[
                ("from", ((page - 1) * THEME_PAGE + 1).min(total).into()),
                ("to", (page * THEME_PAGE).min(total).into()),
                ("total", total.into()),
            ],
        ),
        prev_href: (page > 1).then(|| href(page - 1)),
        next_href: (page < pages).then(|| href(page + 1)),
        theme_path,
        cite_href,
    }))
}
