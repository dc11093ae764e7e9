//! The results: per question, the weighted panel (with its 95 % interval), the panel as it
//! came and the online respondents, as a chart and the same figures in a table; a
//! cross-tabulation by a profile variable; and "who spoke": the same comparison read as a
//! gap, with the profile of the debate's contributors against the population.

use crate::chart::{self, Bar};
use crate::{app_error, local, number, percent};
use app::surveys::{self, SurveyResults};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use survey::results::{QuestionResult, Share};
use webkit::ctx::Ctx;
use webkit::error::AppResult;
use webkit::state::AppState;
use webkit::view::{Layout, render};

/// One line of a results table.
pub struct Row {
    pub label: String,
    pub weighted: String,
    pub interval: String,
    pub panel: String,
    pub online: String,
    /// Online minus weighted panel, in points ("+12 pts").
    pub gap: String,
    pub big_gap: bool,
}

pub struct QBlock {
    pub code: String,
    pub label: String,
    pub kind: &'static str,
    pub answered_online: usize,
    pub answered_panel: usize,
    pub chart: String,
    pub table_id: String,
    pub rows: Vec<Row>,
    /// Matrix: one table per row of the matrix (its id, its row's label, its lines).
    pub sub: Vec<(String, String, Vec<Row>)>,
    /// The table's id on the "who spoke" page.
    pub who_id: String,
    pub text_only: bool,
}

fn share_text(lang: &str, s: Option<&Share>) -> String {
    s.map(|s| percent(lang, s.share, 0))
        .unwrap_or_else(|| "—".into())
}

fn rows_of(lang: &str, online: &[Share], panel: &[Share], weighted: Option<&[Share]>) -> Vec<Row> {
    online
        .iter()
        .enumerate()
        .map(|(i, o)| {
            let w = weighted.and_then(|w| w.get(i)).and_then(|s| s.weighted);
            let gap = w.map(|w| (o.share - w.estimate) * 100.0);
            Row {
                label: o.label.get(lang).to_string(),
                weighted: w
                    .map(|w| percent(lang, w.estimate, 0))
                    .unwrap_or_else(|| "—".into()),
                interval: w
                    .filter(|w| w.low.is_finite())
                    .map(|w| format!("{} – {}", percent(lang, w.low, 0), percent(lang, w.high, 0)))
                    .unwrap_or_default(),
                panel: share_text(lang, panel.get(i)),
                online: share_text(lang, Some(o)),
                gap: gap
                    .map(|g| {
                        let g = g.round();
                        let sign = if g > 0.0 { "+" } else { "" };
                        // −0 reads as 0.
                        format!(
                            "{sign}{} pts",
                            number(lang, if g == 0.0 { 0.0 } else { g }, 0)
                        )
                    })
                    .unwrap_or_default(),
                big_gap: gap.is_some_and(|g| g.abs() >= 10.0),
            }
        })
        .collect()
}

fn block(lang: &str, r: &SurveyResults, i: usize, tr: &webkit::i18n::Tr) -> QBlock {
    let o = &r.online[i];
    let p = &r.panel[i];
    let w: Option<&QuestionResult> = r.weighted.as_ref().map(|w| &w[i]);
    let table_id = format!("t-{}", o.code);
    let mut rows = rows_of(lang, &o.shares, &p.shares, w.map(|w| w.shares.as_slice()));
    if let Some(m) = &o.mean {
        let wm = w.and_then(|w| w.mean.as_ref()).and_then(|m| m.weighted);
        rows.push(Row {
            label: tr.t("survey-mean"),
            weighted: wm
                .map(|x| number(lang, x.estimate, 2))
                .unwrap_or_else(|| "—".into()),
            interval: wm
                .map(|x| format!("{} – {}", number(lang, x.low, 2), number(lang, x.high, 2)))
                .unwrap_or_default(),
            panel: p
                .mean
                .as_ref()
                .map(|m| number(lang, m.unweighted, 2))
                .unwrap_or_else(|| "—".into()),
            online: number(lang, m.unweighted, 2),
            gap: String::new(),
            big_gap: false,
        });
    } else if let Some(m) = w.and_then(|w| w.mean.as_ref()) {
        rows.push(Row {
            label: tr.t("survey-mean"),
            weighted: m
                .weighted
                .map(|x| number(lang, x.estimate, 2))
                .unwrap_or_else(|| "—".into()),
            interval: String::new(),
            panel: number(lang, m.unweighted, 2),
            online: "—".into(),
            gap: String::new(),
            big_gap: false,
        });
    }
    // The chart shows the most representative figures there are: the weighted panel, else
    // the online answers.
    let bars: Vec<Bar> = match w {
        Some(w) if !w.shares.is_empty() && w.answered > 0 => w
            .shares
            .iter()
            .map(|s| {
                let x = s.weighted.unwrap_or(survey::results::Interval {
                    estimate: 0.0,
                    se: 0.0,
                    low: 0.0,
                    high: 0.0,
                });
                Bar {
                    label: s.label.get(lang).to_string(),
                    value: x.estimate,
                    interval: Some((x.low, x.high)),
                    text: percent(lang, x.estimate, 0),
                }
            })
            .collect(),
        _ => o
            .shares
            .iter()
            .map(|s| Bar {
                label: s.label.get(lang).to_string(),
                value: s.share,
                interval: None,
                text: percent(lang, s.share, 0),
            })
            .collect(),
    };
    let chart = if bars.is_empty() {
        String::new()
    } else {
        chart::bars(&bars, o.label.get(lang), &table_id)
    };
    let sub = o
        .rows
        .iter()
        .enumerate()
        .map(|(k, (row, shares))| {
            let pw = w.and_then(|w| w.rows.get(k)).map(|(_, s)| s.as_slice());
            let pp = p.rows.get(k).map(|(_, s)| s.as_slice()).unwrap_or(&[]);
            (
                format!("{table_id}-{k}"),
                row.label.get(lang).to_string(),
                rows_of(lang, shares, pp, pw),
            )
        })
        .collect();
    QBlock {
        code: o.code.clone(),
        label: o.label.get(lang).to_string(),
        kind: o.kind.as_str(),
        answered_online: o.answered,
        answered_panel: p.answered,
        chart,
        who_id: format!("w{table_id}"),
        table_id,
        rows,
        sub,
        text_only: o.kind.is_text(),
    }
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct CrossQuery {
    pub question: String,
    pub par: String,
}

pub struct Cross {
    pub question: String,
    pub variable: String,
    pub headers: Vec<String>,
    pub lines: Vec<(String, usize, Vec<String>)>,
    pub weighted: bool,
}

#[derive(Template)]
#[template(path = "results.html")]
pub struct ResultsView {
    pub l: Layout,
    pub slug: String,
    pub title: String,
    pub online_count: usize,
    pub panel_count: usize,
    pub weighted: bool,
    pub neff: String,
    pub deff: String,
    pub weighting_problem: String,
    pub blocks: Vec<QBlock>,
    pub questions: Vec<(String, String, bool)>,
    pub variables: Vec<(String, bool)>,
    pub cross: Option<Cross>,
}

pub async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
    Query(q): Query<CrossQuery>,
) -> AppResult<Response> {
    let ctx = local(ctx);
    let s = surveys::visible(&state.store, &ctx.subject, &slug)
        .await
        .map_err(app_error)?;
    let r = surveys::results(&state.store, &ctx.subject, &s)
        .await
        .map_err(app_error)?;
    let lang = ctx.tr.code();
    let blocks: Vec<QBlock> = (0..r.online.len())
        .map(|i| block(lang, &r, i, &ctx.tr))
        .collect();
    let variables: Vec<String> = if r.panel_count > 0 {
        r.panel_variables.clone()
    } else {
        r.online_variables.clone()
    };
    let choice_questions: Vec<&survey::Question> = r
        .definition
        .questions()
        .filter(|x| {
            matches!(
                x.kind,
                survey::Kind::Single | survey::Kind::Multiple | survey::Kind::Scale
            )
        })
        .collect();
    let cross = match r.definition.question(&q.question) {
        Some(question) if variables.contains(&q.par) => {
            let panel = r.panel_count > 0;
            let table = surveys::crosstab(
                &state.store,
                &ctx.subject,
                &s,
                &question.code,
                &q.par,
                panel,
            )
            .await
            .map_err(app_error)?;
            let weighted = panel && r.weighted.is_some();
            let headers: Vec<String> = match question.kind {
                survey::Kind::Scale => question
                    .scale_points()
                    .iter()
                    .map(|p| p.to_string())
                    .collect(),
                _ => question
                    .options
                    .iter()
                    .map(|o| o.label.get(lang).to_string())
                    .collect(),
            };
            let lines = table
                .into_iter()
                .map(|(cat, res)| {
                    let cells = res
                        .shares
                        .iter()
                        .map(|s| match (weighted, s.weighted) {
                            (true, Some(w)) => percent(lang, w.estimate, 0),
                            _ => percent(lang, s.share, 0),
                        })
                        .collect();
                    (cat, res.answered, cells)
                })
                .collect();
            Some(Cross {
                question: question.label.get(lang).to_string(),
                variable: q.par.clone(),
                headers,
                lines,
                weighted,
            })
        }
        _ => None,
    };
    let (neff, deff) = r
        .diagnostics
        .as_ref()
        .map(|d| {
            (
                number(lang, d.effective_sample_size, 0),
                number(lang, d.design_effect, 2),
            )
        })
        .unwrap_or_default();
    Ok(render(&ResultsView {
        l: ctx.layout(
            &state,
            format!(
                "{} — {}",
                ctx.tr.t("survey-results-title"),
                crate::public::title_of(&s, lang)
            ),
        ),
        slug: s.slug.clone(),
        title: crate::public::title_of(&s, lang),
        online_count: r.online_count,
        panel_count: r.panel_count,
        weighted: r.weighted.is_some(),
        neff,
        deff,
        weighting_problem: r.weighting_problem.clone().unwrap_or_default(),
        blocks,
        questions: choice_questions
            .iter()
            .map(|x| {
                (
                    x.code.clone(),
                    x.label.get(lang).to_string(),
                    x.code == q.question,
                )
            })
            .collect(),
        variables: variables.iter().map(|v| (v.clone(), *v == q.par)).collect(),
        cross,
    }))
}

/// One fact of the contributors' profile against the population (where it is known).
pub struct ProfileRow {
    pub label: String,
    pub contributions: String,
    pub share: String,
    pub population: String,
    pub respondents: String,
}

pub struct ProfileTable {
    pub title: String,
    pub rows: Vec<ProfileRow>,
    pub has_population: bool,
}

#[derive(Template)]
#[template(path = "who.html")]
pub struct WhoView {
    pub l: Layout,
    pub slug: String,
    pub title: String,
    pub debate_title: String,
    pub online_count: usize,
    pub panel_count: usize,
    pub weighted: bool,
    pub blocks: Vec<QBlock>,
    pub contributors: i64,
    pub profiles: Vec<ProfileTable>,
}

pub async fn who_spoke(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
) -> AppResult<Response> {
    let ctx = local(ctx);
    let s = surveys::visible(&state.store, &ctx.subject, &slug)
        .await
        .map_err(app_error)?;
    let r = surveys::results(&state.store, &ctx.subject, &s)
        .await
        .map_err(app_error)?;
    let lang = ctx.tr.code();
    let blocks: Vec<QBlock> = (0..r.online.len())
        .filter(|&i| !r.online[i].shares.is_empty())
        .map(|i| block(lang, &r, i, &ctx.tr))
        .collect();
    let p = state.store.contributor_profile(s.debate_id).await?;
    let total = p.total.max(1) as f64;
    let unknown = ctx.tr.t("survey-unknown");
    let online_share = |var: &str, value: &str| -> String {
        if r.online_count == 0 {
            return "—".into();
        }
        let n = r
            .online_profile
            .get(var)
            .and_then(|m| m.get(value))
            .copied()
            .unwrap_or(0);
        percent(lang, n as f64 / r.online_count as f64, 0)
    };
    let quartiers = state.store.quartiers().await?;
    let population: i64 = quartiers.iter().filter_map(|q| q.population).sum();
    let table = |title: &str, rows: &[(String, i64)], pop: &dyn Fn(&str) -> String, var: &str| {
        ProfileTable {
            title: title.to_string(),
            has_population: !var.is_empty() && var == "quartier" && population > 0,
            rows: rows
                .iter()
                .map(|(v, n)| ProfileRow {
                    label: if v.is_empty() {
                        unknown.clone()
                    } else {
                        v.clone()
                    },
                    contributions: n.to_string(),
                    share: percent(lang, *n as f64 / total, 0),
                    population: pop(v),
                    respondents: if var.is_empty() || v.is_empty() {
                        "—".into()
                    } else {
                        online_share(var, v)
                    },
                })
                .collect(),
        }
    };
    let pop_of = |name: &str| -> String {
        quartiers
            .iter()
            .find(|q| q.name == name)
            .and_then(|q| q.population)
            .filter(|_| population > 0)
            .map(|n| percent(lang, n as f64 / population as f64, 0))
            .unwrap_or_else(|| "—".into())
    };
    let none = |_: &str| "—".to_string();
    let channels: Vec<(String, i64)> = p
        .channel
        .iter()
        .map(|(c, n)| {
            (
                ctx.tr
                    .try_t(&format!("channel-{c}"))
                    .unwrap_or_else(|| c.clone()),
                *n,
            )
        })
        .collect();
    let profiles = vec![
        table(
            &ctx.tr.t("survey-who-by-quartier"),
            &p.quartier,
            &pop_of,
            "quartier",
        ),
        table(
            &ctx.tr.t("survey-who-by-category"),
            &p.category,
            &none,
            "categorie",
        ),
        table(&ctx.tr.t("survey-who-by-age"), &p.age, &none, "age"),
        table(&ctx.tr.t("survey-who-by-channel"), &channels, &none, ""),
    ];
    Ok(render(&WhoView {
        l: ctx.layout(
            &state,
            format!(
                "{} — {}",
                ctx.tr.t("survey-who-title"),
                crate::public::title_of(&s, lang)
            ),
        ),
        slug: s.slug.clone(),
        title: crate::public::title_of(&s, lang),
        debate_title: s.debate_title.clone(),
        online_count: r.online_count,
        panel_count: r.panel_count,
        weighted: r.weighted.is_some(),
        blocks,
        contributors: p.total,
        profiles,
    }))
}
