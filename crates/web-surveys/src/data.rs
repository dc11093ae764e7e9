//! The survey's data: the polling firm's panel (upload, a preview of how each column is read
//! and of the rejected rows, then the import), its weighting to the population's margins with
//! the diagnostics, and the exports — for staff with weights, for open data pseudonymised.

use crate::{app_error, local, number, percent};
use app::surveys::{self, SurveyError, WeightingOptions};
use askama::Template;
use axum::extract::{Form, Multipart, Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use domain::{FieldErrors, On};
use serde::Deserialize;
use std::collections::BTreeMap;
use storage::SurveyRow;
use survey::panel::Column;
use webkit::ctx::Ctx;
use webkit::error::{AppError, AppResult};
use webkit::state::AppState;
use webkit::upload;
use webkit::view::{Errors, Layout, render, render_invalid};

const MAX_PANEL_MB: usize = 50;

/// A file as polling firms and statistics offices send it: CSV text in UTF-8 or Latin-1 (the
/// reader decodes both, so not the shared upload check, which wants UTF-8 text), or a
/// spreadsheet (.xlsx, .xls, .ods). Any other binary file is refused by its content.
fn text_file(
    up: Option<&upload::Upload>,
    max_mb: usize,
) -> Result<(String, Vec<u8>), &'static str> {
    let Some(up) = up else {
        return Err("error-file-missing");
    };
    if up.too_large || up.data.len() > max_mb * 1_000_000 {
        return Err("error-file-too-large");
    }
    if up.data.is_empty() {
        return Err("error-file-missing");
    }
    if weighting::table::is_spreadsheet(&up.data) {
        return Ok((up.filename.clone(), up.data.clone()));
    }
    if up.data.contains(&0) || up.data.starts_with(b"PK") || up.data.starts_with(b"%PDF") {
        return Err("survey-error-panel-type");
    }
    Ok((up.filename.clone(), up.data.clone()))
}

use crate::staff_survey as load;

pub struct ColumnView {
    pub header: String,
    pub role: String,
}

pub struct RejectedView {
    pub line: u64,
    pub column: String,
    pub value: String,
    pub reason: String,
}

#[derive(Template)]
#[template(path = "panel.html")]
pub struct PanelView {
    pub l: Layout,
    pub id: i64,
    pub title: String,
    pub panel: i64,
    pub errs: Errors,
    pub id_column: String,
    pub file_error: String,
    /// After an upload: the file waiting, and how it reads.
    pub file_id: i64,
    pub filename: String,
    pub rows: usize,
    pub encoding: String,
    pub columns: Vec<ColumnView>,
    pub unmapped: Vec<String>,
    pub sample: Vec<Vec<String>>,
    pub rejected: Vec<RejectedView>,
    pub imported: String,
}

fn panel_view(state: &AppState, ctx: &Ctx, s: &SurveyRow, panel: i64) -> PanelView {
    PanelView {
        l: ctx.layout(
            state,
            format!("{} — {}", ctx.tr.t("survey-panel-title"), s.title),
        ),
        id: s.id,
        title: s.title.clone(),
        panel,
        errs: Errors::none(),
        id_column: "id".into(),
        file_error: String::new(),
        file_id: 0,
        filename: String::new(),
        rows: 0,
        encoding: String::new(),
        columns: vec![],
        unmapped: vec![],
        sample: vec![],
        rejected: vec![],
        imported: String::new(),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct OkQuery {
    pub ok: String,
    pub n: String,
}

pub async fn panel_page(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    axum::extract::Query(q): axum::extract::Query<OkQuery>,
) -> AppResult<Response> {
    let ctx = local(ctx);
    let s = load(&state, &ctx, id).await?;
    let (_, _, panel) = state.store.survey_counts(id).await?;
    let mut v = panel_view(&state, &ctx, &s, panel);
    if q.ok == "imported" {
        v.imported = ctx.tr.t1(
            "survey-panel-imported",
            "count",
            q.n.parse::<i64>().unwrap_or(panel),
        );
    }
    Ok(render(&v))
}

fn rejected_views(ctx: &Ctx, r: &[survey::panel::Rejected]) -> Vec<RejectedView> {
    r.iter()
        .take(200)
        .map(|r| RejectedView {
            line: r.line,
            column: r.column.clone(),
            value: r.value.clone(),
            reason: ctx.tr.t(r.key),
        })
        .collect()
}

/// Reads the file, keeps it for the import and shows how it reads.
pub async fn panel_upload(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    mp: Multipart,
) -> AppResult<Response> {
    let ctx = local(ctx);
    let s = load(&state, &ctx, id).await?;
    let form = upload::read(mp, MAX_PANEL_MB * 1_000_000, &ctx.csrf).await?;
    let (_, _, panel) = state.store.survey_counts(id).await?;
    let mut v = panel_view(&state, &ctx, &s, panel);
    v.id_column = form.text("id_column").trim().to_string();
    let mut fe = FieldErrors::default();
    let file = fe.check("file", text_file(form.file("file"), MAX_PANEL_MB));
    let Some((filename, data)) = file else {
        v.errs = Errors::from(&ctx.tr, &fe);
        v.l.has_errors = true;
        return Ok(render_invalid(&v));
    };
    match surveys::preview_panel(&state.store, &ctx.subject, id, &data, &v.id_column).await {
        Ok(p) => {
            v.filename = filename.clone();
            v.rows = p.rows;
            v.encoding = p.encoding.clone();
            v.columns = p
                .mapping
                .columns
                .iter()
                .map(|(h, c)| ColumnView {
                    header: h.clone(),
                    role: match c {
                        Column::Id => ctx.tr.t("survey-panel-role-id"),
                        Column::Question { question } => {
                            ctx.tr.t1("survey-panel-role-question", "code", question)
                        }
                        Column::Item { question, item } => {
                            ctx.tr
                                .t2("survey-panel-role-item", ("code", question), ("item", item))
                        }
                        Column::Profile { variable } => {
                            ctx.tr.t1("survey-panel-role-profile", "name", variable)
                        }
                    },
                })
                .collect();
            v.unmapped = p.unmapped.clone();
            v.sample = p.sample.clone();
            v.rejected = rejected_views(&ctx, &p.rejected);
            if p.mapping.id_column().is_none() {
                v.file_error = ctx.tr.t1(
                    "survey-panel-no-id-column",
                    "name",
                    if v.id_column.is_empty() {
                        "id"
                    } else {
                        &v.id_column
                    },
                );
            }
            if p.rejected.is_empty() && v.file_error.is_empty() {
                v.file_id = state
                    .store
                    .insert_file(storage::NewFile {
                        debate_id: Some(s.debate_id),
                        purpose: "survey-panel",
                        title: &filename,
                        filename: &filename,
                        content_type: "text/csv",
                        data: &data,
                        uploaded_by: ctx.user_id(),
                    })
                    .await?;
            }
            Ok(render(&v))
        }
        Err(SurveyError::File(msg)) => {
            v.file_error = msg;
            v.l.has_errors = true;
            Ok(render_invalid(&v))
        }
        Err(e) => Err(app_error(e)),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ImportForm {
    pub file_id: i64,
    pub id_column: String,
}

pub async fn panel_import(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(form): Form<ImportForm>,
) -> AppResult<Response> {
    let ctx = local(ctx);
    let s = load(&state, &ctx, id).await?;
    let f = state
        .store
        .file(form.file_id)
        .await?
        .ok_or(AppError::NotFound)?;
    if f.meta.purpose != "survey-panel" || f.meta.debate_id != Some(s.debate_id) {
        return Err(AppError::NotFound);
    }
    match surveys::import_panel(&state.store, &ctx.subject, id, &f.data, &form.id_column).await {
        Ok(n) => {
            state.store.delete_file(f.meta.id).await?;
            Ok(
                Redirect::to(&format!("/admin/enquetes/{id}/panel?ok=imported&n={n}"))
                    .into_response(),
            )
        }
        Err(SurveyError::Rejected(r)) => {
            let (_, _, panel) = state.store.survey_counts(id).await?;
            let mut v = panel_view(&state, &ctx, &s, panel);
            v.rejected = rejected_views(&ctx, &r);
            v.l.has_errors = true;
            Ok(render_invalid(&v))
        }
        Err(SurveyError::File(msg)) => {
            let (_, _, panel) = state.store.survey_counts(id).await?;
            let mut v = panel_view(&state, &ctx, &s, panel);
            v.file_error = msg;
            v.l.has_errors = true;
            Ok(render_invalid(&v))
        }
        Err(e) => Err(app_error(e)),
    }
}

pub struct MarginView {
    pub variable: String,
    pub category: String,
    pub respondents: usize,
    pub unweighted: String,
    pub weighted: String,
    pub target: String,
}

#[derive(Template)]
#[template(path = "weighting.html")]
pub struct WeightingView {
    pub l: Layout,
    pub id: i64,
    pub title: String,
    pub panel: i64,
    pub variables: Vec<(String, bool)>,
    pub trim_low: String,
    pub trim_high: String,
    pub errs: Errors,
    pub error: String,
    pub summary: Vec<(String, String)>,
    pub margins: Vec<MarginView>,
    pub warnings: Vec<String>,
}

async fn weighting_view(
    state: &AppState,
    ctx: &Ctx,
    s: &SurveyRow,
    chosen: &[String],
    diag: Option<&weighting::Diagnostics>,
) -> AppResult<WeightingView> {
    let lang = ctx.tr.code();
    let (_, _, panel) = state.store.survey_counts(s.id).await?;
    let profiles: Vec<BTreeMap<String, String>> = state
        .store
        .panel_profiles(s.id, 100)
        .await?
        .iter()
        .map(|p| serde_json::from_str(p).unwrap_or_default())
        .collect();
    let variables = surveys::profile_variables(profiles.iter());
    let last = match diag {
        Some(_) => None,
        None => state.store.latest_weighting(s.id).await?,
    };
    let stored: Option<serde_json::Value> = last
        .as_ref()
        .and_then(|w| serde_json::from_str(&w.diagnostics).ok());
    let chosen: Vec<String> = if chosen.is_empty() {
        last.as_ref()
            .map(|w| w.by_variables.split(',').map(str::to_string).collect())
            .unwrap_or_default()
    } else {
        chosen.to_vec()
    };
    let mut summary = Vec::new();
    let mut margins = Vec::new();
    let mut warnings = Vec::new();
    let d: Option<serde_json::Value> = match diag {
        Some(d) => serde_json::to_value(d).ok(),
        None => stored,
    };
    if let Some(d) = d {
        let f = |k: &str| d.get(k).and_then(|v| v.as_f64()).unwrap_or(f64::NAN);
        summary = vec![
            (
                ctx.tr.t("survey-diag-respondents"),
                number(lang, f("respondents"), 0),
            ),
            (
                ctx.tr.t("survey-diag-converged"),
                ctx.tr.t(
                    if d.get("converged")
                        .and_then(|v| v.as_bool())
                        .unwrap_or(false)
                    {
                        "survey-yes"
                    } else {
                        "survey-no"
                    },
                ),
            ),
            (
                ctx.tr.t("survey-diag-iterations"),
                number(lang, f("total_iterations"), 0),
            ),
            (
                ctx.tr.t("survey-diag-gap"),
                format!("{:.1e}", f("largest_gap")),
            ),
            (
                ctx.tr.t("survey-diag-neff"),
                number(lang, f("effective_sample_size"), 1),
            ),
            (
                ctx.tr.t("survey-diag-deff"),
                number(lang, f("design_effect"), 2),
            ),
            (ctx.tr.t("survey-diag-min"), number(lang, f("min_ratio"), 2)),
            (ctx.tr.t("survey-diag-max"), number(lang, f("max_ratio"), 2)),
        ];
        if let Some(ms) = d.get("margins").and_then(|m| m.as_array()) {
            for m in ms {
                let g = |k: &str| m.get(k).and_then(|v| v.as_f64()).unwrap_or(f64::NAN);
                margins.push(MarginView {
                    variable: m
                        .get("variable")
                        .and_then(|v| v.as_str())
                        .unwrap_or("")
                        .into(),
                    category: m
                        .get("category")
                        .and_then(|v| v.as_str())
                        .unwrap_or("")
                        .into(),
                    respondents: g("respondents") as usize,
                    unweighted: percent(lang, g("unweighted_share"), 1),
                    weighted: percent(lang, g("weighted_share"), 1),
                    target: percent(lang, g("target_share"), 1),
                });
            }
        }
        if let Some(ws) = d.get("warnings").and_then(|m| m.as_array()) {
            warnings = ws
                .iter()
                .filter_map(|w| w.as_str().map(str::to_string))
                .collect();
        }
    }
    Ok(WeightingView {
        l: ctx.layout(
            state,
            format!("{} — {}", ctx.tr.t("survey-weighting-title"), s.title),
        ),
        id: s.id,
        title: s.title.clone(),
        panel,
        variables: variables
            .iter()
            .map(|v| (v.clone(), chosen.contains(v)))
            .collect(),
        trim_low: String::new(),
        trim_high: String::new(),
        errs: Errors::none(),
        error: String::new(),
        summary,
        margins,
        warnings,
    })
}

pub async fn weighting_page(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let ctx = local(ctx);
    let s = load(&state, &ctx, id).await?;
    Ok(render(&weighting_view(&state, &ctx, &s, &[], None).await?))
}

pub async fn weigh(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    mp: Multipart,
) -> AppResult<Response> {
    let ctx = local(ctx);
    let s = load(&state, &ctx, id).await?;
    let form = upload::read(mp, 5_000_000, &ctx.csrf).await?;
    let by: Vec<String> = form
        .fields
        .iter()
        .filter(|(k, v)| k.starts_with("by_") && !v.is_empty())
        .map(|(k, _)| k.trim_start_matches("by_").to_string())
        .collect();
    // Keep the panel's order of variables, whatever the form's.
    let mut fe = FieldErrors::default();
    let file = fe.check("margins", text_file(form.file("margins"), 5));
    if by.is_empty() {
        fe.add("by", "survey-error-by-required");
    }
    let parse_bound = |s: &str| -> Result<Option<f64>, ()> {
        if s.trim().is_empty() {
            Ok(None)
        } else {
            survey::answers::parse_number(s).map(Some).ok_or(())
        }
    };
    let trim = match (
        parse_bound(form.text("trim_low")),
        parse_bound(form.text("trim_high")),
    ) {
        (Ok(Some(lo)), Ok(Some(hi))) => Some((lo, hi)),
        (Ok(None), Ok(None)) => None,
        _ => {
            fe.add("trim_low", "survey-error-trim");
            None
        }
    };
    let mut v = weighting_view(&state, &ctx, &s, &by, None).await?;
    v.trim_low = form.text("trim_low").to_string();
    v.trim_high = form.text("trim_high").to_string();
    let Some((_, data)) = file.filter(|_| fe.is_empty()) else {
        v.errs = Errors::from(&ctx.tr, &fe);
        v.l.has_errors = true;
        return Ok(render_invalid(&v));
    };
    let mut ordered: Vec<String> = v
        .variables
        .iter()
        .map(|(n, _)| n.clone())
        .filter(|n| by.contains(n))
        .collect();
    if ordered.is_empty() {
        ordered = by;
    }
    let opts = WeightingOptions {
        by: ordered.clone(),
        trim,
    };
    match surveys::weigh(&state.store, &ctx.subject, id, &data, &opts).await {
        Ok(d) => {
            let mut v = weighting_view(&state, &ctx, &s, &ordered, Some(&d)).await?;
            v.l.notice = Some(ctx.tr.t("survey-weighted-notice"));
            Ok(render(&v))
        }
        Err(SurveyError::File(msg)) => {
            v.error = msg;
            v.l.has_errors = true;
            Ok(render_invalid(&v))
        }
        Err(e) => Err(app_error(e)),
    }
}

/// What an export writes of each response.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Audience {
    /// Staff: database ids, the firm's identifiers, free texts.
    Staff,
    /// Open data: responses numbered in order, no identifier, no free text.
    Public,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Format {
    Csv,
    JsonLines,
}

/// The columns of an export: the profile variables (those of the first responses and of the
/// weighting) and one per question.
struct Columns {
    profile: Vec<String>,
    questions: Vec<survey::Question>,
}

async fn columns(state: &AppState, s: &SurveyRow) -> AppResult<Columns> {
    let mut profile: Vec<String> = Vec::new();
    if let Some(w) = state.store.latest_weighting(s.id).await? {
        profile.extend(
            w.by_variables
                .split(',')
                .filter(|v| !v.is_empty())
                .map(str::to_string),
        );
    }
    let first: Vec<BTreeMap<String, String>> = state
        .store
        .responses_after(s.id, 0, 2_000)
        .await?
        .iter()
        .map(|r| serde_json::from_str(&r.profile).unwrap_or_default())
        .collect();
    for k in surveys::profile_variables(first.iter()) {
        if !profile.contains(&k) {
            profile.push(k);
        }
    }
    Ok(Columns {
        profile,
        questions: surveys::definition(s).questions().cloned().collect(),
    })
}

impl Columns {
    fn header(&self, who: Audience) -> Vec<String> {
        let mut h = vec!["response".to_string(), "source".into()];
        if who == Audience::Staff {
            h.push("panel_ref".into());
        }
        h.push("weight".into());
        h.extend(self.profile.iter().cloned());
        h.extend(self.questions.iter().map(|q| q.code.clone()));
        h
    }

    fn row(&self, who: Audience, number: u64, r: &storage::ResponseRow) -> Vec<String> {
        let a: survey::Answers = serde_json::from_str(&r.answers).unwrap_or_default();
        let p: BTreeMap<String, String> = serde_json::from_str(&r.profile).unwrap_or_default();
        let mut line = vec![
            // Open data numbers responses in order; staff see the database's id.
            if who == Audience::Staff {
                r.id.to_string()
            } else {
                number.to_string()
            },
            r.source.clone(),
        ];
        if who == Audience::Staff {
            line.push(r.panel_ref.clone().unwrap_or_default());
        }
        line.push(r.weight.map(|w| format!("{w:.6}")).unwrap_or_default());
        for v in &self.profile {
            line.push(p.get(v).cloned().unwrap_or_default());
        }
        for q in &self.questions {
            line.push(match a.get(&q.code) {
                None => String::new(),
                // Free texts may name people: they stay with staff.
                Some(survey::Value::Str(_)) if q.kind.is_text() && who == Audience::Public => {
                    String::new()
                }
                Some(survey::Value::Str(s)) => s.clone(),
                Some(survey::Value::Number(n)) => survey::answers::format_number(*n),
                Some(survey::Value::List(l)) => l.join("|"),
                Some(survey::Value::Map(m)) => m
                    .iter()
                    .map(|(k, v)| format!("{k}={v}"))
                    .collect::<Vec<_>>()
                    .join("|"),
            });
        }
        line
    }

    fn json(&self, who: Audience, number: u64, r: &storage::ResponseRow) -> String {
        let mut answers: serde_json::Value = serde_json::from_str(&r.answers).unwrap_or_default();
        if who == Audience::Public
            && let Some(map) = answers.as_object_mut()
        {
            for q in self.questions.iter().filter(|q| q.kind.is_text()) {
                map.remove(&q.code);
            }
        }
        let v = serde_json::json!({
            "response": if who == Audience::Staff { r.id as u64 } else { number },
            "source": r.source,
            "panel_ref": if who == Audience::Staff { r.panel_ref.clone() } else { None },
            "weight": r.weight,
            "profile": serde_json::from_str::<serde_json::Value>(&r.profile).unwrap_or_default(),
            "answers": answers,
        });
        let mut s = v.to_string();
        s.push('\n');
        s
    }
}

const PAGE: i64 = 2_000;

/// The responses, read and written page by page as the client reads them: memory stays that
/// of one page whatever the number of responses.
async fn export(
    state: &AppState,
    s: &SurveyRow,
    who: Audience,
    format: Format,
    filename: String,
) -> AppResult<Response> {
    let cols = std::sync::Arc::new(columns(state, s).await?);
    let head = match format {
        Format::Csv => webkit::csv::line(&cols.header(who)),
        Format::JsonLines => String::new(),
    };
    let store = state.store.clone();
    let survey_id = s.id;
    let pages = futures_util::stream::unfold((0i64, 0u64, false), move |(after, number, done)| {
        let store = store.clone();
        let cols = cols.clone();
        async move {
            if done {
                return None;
            }
            let rows = match store.responses_after(survey_id, after, PAGE).await {
                Ok(r) => r,
                Err(e) => {
                    // The body ends early: the client sees a truncated file, the log why.
                    tracing::error!(error = %e, "survey export failed");
                    return None;
                }
            };
            if rows.is_empty() {
                return None;
            }
            let last = rows.last().map(|r| r.id).unwrap_or(after);
            let mut chunk = String::with_capacity(rows.len() * 160);
            let mut n = number;
            for r in &rows {
                n += 1;
                match format {
                    Format::Csv => chunk.push_str(&webkit::csv::line(&cols.row(who, n, r))),
                    Format::JsonLines => chunk.push_str(&cols.json(who, n, r)),
                }
            }
            let done = (rows.len() as i64) < PAGE;
            Some((Ok::<_, std::convert::Infallible>(chunk), (last, n, done)))
        }
    });
    let head = futures_util::stream::once(async move { Ok::<_, std::convert::Infallible>(head) });
    use futures_util::StreamExt;
    let body = axum::body::Body::from_stream(head.chain(pages));
    let content_type = match format {
        Format::Csv => "text/csv; charset=utf-8",
        Format::JsonLines => "application/x-ndjson; charset=utf-8",
    };
    let cache = if who == Audience::Staff {
        "private, no-store"
    } else {
        "public, max-age=300"
    };
    Ok((
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{filename}\""),
            ),
            (header::CACHE_CONTROL, cache.to_string()),
        ],
        body,
    )
        .into_response())
}

pub async fn export_csv(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let s = load(&state, &ctx, id).await?;
    export(
        &state,
        &s,
        Audience::Staff,
        Format::Csv,
        format!("enquete-{}.csv", s.slug),
    )
    .await
}

/// The staff's workbook: the same columns as the CSV, numbers as numbers, one sheet written in
/// constant memory (rows go to a temporary file in the data folder, then the zip is built).
pub async fn export_xlsx(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let s = load(&state, &ctx, id).await?;
    let cols = columns(&state, &s).await?;
    let header = cols.header(Audience::Staff);
    let store = state.store.clone();
    let tempdir = state.settings.data_dir.clone();
    let runtime = tokio::runtime::Handle::current();
    let bytes = tokio::task::spawn_blocking(move || -> Result<Vec<u8>, String> {
        let mut book = rust_xlsxwriter::Workbook::new();
        book.set_tempdir(&tempdir).map_err(|e| e.to_string())?;
        let sheet = book
            .add_worksheet_with_constant_memory()
            .map_err(|e| e.to_string())?;
        sheet.set_name("reponses").map_err(|e| e.to_string())?;
        for (c, h) in header.iter().enumerate() {
            sheet.write(0, c as u16, h).map_err(|e| e.to_string())?;
        }
        let (mut after, mut row) = (0i64, 1u32);
        loop {
            let page = runtime
                .block_on(store.responses_after(s.id, after, PAGE))
                .map_err(|e| e.to_string())?;
            for r in &page {
                for (c, cell) in cols.row(Audience::Staff, 0, r).iter().enumerate() {
                    match cell.parse::<f64>() {
                        Ok(n) if !cell.is_empty() && n.is_finite() => sheet.write(row, c as u16, n),
                        _ => sheet.write(row, c as u16, cell),
                    }
                    .map_err(|e| e.to_string())?;
                }
                row += 1;
            }
            match page.last() {
                Some(last) if page.len() as i64 == PAGE => after = last.id,
                _ => break,
            }
        }
        book.save_to_buffer().map_err(|e| e.to_string())
    })
    .await
    .map_err(|e| AppError::Internal(e.to_string()))?
    .map_err(AppError::Internal)?;
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_string(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"enquete-{}.xlsx\"", s.slug),
            ),
            (header::CACHE_CONTROL, "private, no-store".to_string()),
        ],
        bytes,
    )
        .into_response())
}

pub async fn export_jsonl(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let s = load(&state, &ctx, id).await?;
    export(
        &state,
        &s,
        Audience::Staff,
        Format::JsonLines,
        format!("enquete-{}.jsonl", s.slug),
    )
    .await
}

/// Open data: the responses of a survey whose results are public, numbered in order, without
/// identifiers, accounts or free texts.
pub async fn open_csv(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
) -> AppResult<Response> {
    let ctx = local(ctx);
    let s = surveys::visible(&state.store, &ctx.subject, &slug)
        .await
        .map_err(app_error)?;
    if !(s.results_are_public() && ctx.subject.may_on(On::ReadResults, surveys::resource(&s))) {
        return Err(AppError::NotFound);
    }
    export(
        &state,
        &s,
        Audience::Public,
        Format::Csv,
        format!("enquete-{}-reponses.csv", s.slug),
    )
    .await
}
