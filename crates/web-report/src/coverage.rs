//! The coverage audit for the guarantors (and the analysts who complete it): shares of the
//! debate's published contributions accounted for by the report, by channel, question,
//! category and quartier, and the list of what is not covered yet, where an analyst marks a
//! contribution "read, not retained" with a reason.

use crate::{app_error, debate, id_of, local};
use app::report::ReportError;
use askama::Template;
use axum::extract::{Form, Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use domain::On;
use webkit::ctx::Ctx;
use webkit::error::AppResult;
use webkit::form::FormMap;
use webkit::state::AppState;
use webkit::view::{Layout, render, render_invalid};

/// Uncovered contributions listed on the page.
const LISTED: i64 = 200;

pub struct ShareView {
    pub value: String,
    pub total: i64,
    pub covered: i64,
    pub percent: String,
    pub percent_value: f64,
}

pub struct DimensionView {
    pub name: String,
    pub shares: Vec<ShareView>,
}

pub struct UncoveredView {
    pub id: i64,
    pub title: String,
    pub meta: String,
}

#[derive(Template)]
#[template(path = "coverage.html")]
pub struct CoverageView {
    pub l: Layout,
    pub slug: String,
    pub debate_title: String,
    pub version: i64,
    pub summary: String,
    pub how: Vec<(String, i64)>,
    pub full: bool,
    pub dimensions: Vec<DimensionView>,
    pub uncovered: Vec<UncoveredView>,
    pub more: bool,
    pub can_write: bool,
    /// The contribution whose mark failed, and why.
    pub failed: i64,
    pub failed_reason: String,
    pub failed_error: String,
}

#[derive(serde::Deserialize, Default)]
pub struct CoverageQuery {
    #[serde(default)]
    pub version: String,
}

pub(crate) fn percent(tr: &webkit::i18n::Tr, p: f64) -> String {
    let s = format!("{p:.1}");
    let s = if tr.lang == domain::Lang::Fr {
        s.replace('.', ",")
    } else {
        s
    };
    format!("{s} %")
}

async fn coverage_view(
    state: &AppState,
    ctx: &Ctx,
    slug: &str,
    version: Option<i64>,
    failed: (i64, String, String),
) -> AppResult<CoverageView> {
    let d = debate(state, slug).await?;
    let (_, assigned) =
        app::report::authorize(&state.store, &ctx.subject, d.id, On::ReadReportDraft, false)
            .await
            .map_err(app_error)?;
    let can_write = ctx
        .subject
        .may_on(On::WriteReport, app::report::resource(&d, assigned, false));
    let a = app::report_coverage::audit(&state.store, &ctx.subject, d.id, version, LISTED + 1)
        .await
        .map_err(app_error)?;
    let tr = &ctx.tr;
    let c = &a.coverage;
    let dimensions = c
        .dimensions
        .iter()
        .map(|dim| DimensionView {
            name: tr.t(&format!("report-dim-{}", dim.name)),
            shares: dim
                .shares
                .iter()
                .map(|s| ShareView {
                    value: if dim.name == "channel" {
                        tr.t(&format!("channel-{}", s.value))
                    } else {
                        s.value.clone()
                    },
                    total: s.total,
                    covered: s.covered,
                    percent: percent(tr, s.percent()),
                    percent_value: s.percent(),
                })
                .collect(),
        })
        .collect();
    let more = a.uncovered.len() as i64 > LISTED;
    let uncovered = a
        .uncovered
        .iter()
        .take(LISTED as usize)
        .map(|u| UncoveredView {
            id: u.id,
            title: u.title.clone(),
            meta: crate::view::facets(tr, &u.channel, &u.question, u.quartier.as_deref()),
        })
        .collect();
    let mut l = ctx.layout(state, tr.t1("report-coverage-title", "title", &d.title));
    l.has_errors = failed.0 > 0;
    Ok(CoverageView {
        l,
        summary: tr.tn(
            "report-coverage-summary",
            &[
                ("covered", c.covered().into()),
                ("total", c.total.into()),
                ("percent", percent(tr, c.percent()).into()),
            ],
        ),
        how: vec![
            (tr.t("report-cover-cited"), c.cited),
            (tr.t("report-cover-theme"), c.in_cited_theme),
            (tr.t("report-cover-not-retained"), c.not_retained),
            (tr.t("report-cover-none"), c.uncovered),
        ],
        full: c.is_full(),
        dimensions,
        uncovered,
        more,
        can_write,
        version: a.version,
        slug: d.slug,
        debate_title: d.title,
        failed: failed.0,
        failed_reason: failed.1,
        failed_error: failed.2,
    })
}

pub async fn page(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
    Query(q): Query<CoverageQuery>,
) -> AppResult<Response> {
    let ctx = local(ctx);
    let v = coverage_view(
        &state,
        &ctx,
        &slug,
        id_of(&q.version),
        (0, String::new(), String::new()),
    )
    .await?;
    Ok(render(&v))
}

/// "Read, not retained", with a reason, from the list of uncovered contributions.
pub async fn not_retained(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
    Form(form): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let ctx = local(ctx);
    let f = FormMap(form);
    let Some(id) = id_of(f.get("contribution")) else {
        return Err(webkit::error::AppError::BadRequest("error-malformed-form"));
    };
    let reason = f.get("reason").to_string();
    match app::report::mark_not_retained(&state.store, &ctx.subject, id, &reason, false).await {
        Ok(_) => Ok(
            Redirect::to(&format!("/admin/rapports/{slug}/couverture?ok=saved")).into_response(),
        ),
        Err(ReportError::Invalid(fe)) => {
            let key = fe.get("reason").unwrap_or("error-malformed-form");
            let msg = ctx.tr.t(key);
            let v = coverage_view(&state, &ctx, &slug, None, (id, reason, msg)).await?;
            Ok(render_invalid(&v))
        }
        Err(e) => Err(app_error(e)),
    }
}
