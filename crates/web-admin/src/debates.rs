//! Administrators' debate editor: the debate itself, its guiding questions, its phases, who it
//! addresses, its image and documents. Each sub-page is one plain form that works without
//! JavaScript; a form with an error is shown again as typed, with the message beside the field,
//! and nothing of it is saved.

use super::FormMap;
use askama::Template;
use axum::Form;
use axum::extract::{Multipart, Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use domain::validate::{self, FieldErrors};
use domain::{Action, Debate, DebateStatus, Lang, PhaseKind};
use serde::Deserialize;
use storage::{DebateFields, PhaseFields};
use webkit::access::human_size;
use webkit::choices::Choice;
use webkit::ctx::Ctx;
use webkit::error::{AppError, AppResult};
use webkit::state::AppState;
use webkit::upload;
use webkit::view::{Errors, Layout, render, render_invalid};

async fn load(state: &AppState, ctx: &Ctx, id: i64) -> AppResult<Debate> {
    ctx.require(Action::ManageDebates)?;
    state
        .store
        .debate_by_id(id)
        .await?
        .ok_or(AppError::NotFound)
}

/// The tabs of the editor.
pub struct Tab {
    pub href: String,
    pub label: String,
    pub current: bool,
}

fn tabs(ctx: &Ctx, id: i64, current: &str) -> Vec<Tab> {
    ["general", "questions", "phases", "audience", "files"]
        .iter()
        .map(|t| Tab {
            href: if *t == "general" {
                format!("/admin/debats/{id}")
            } else {
                format!("/admin/debats/{id}/{}", tab_path(t))
            },
            label: ctx.tr.t(&format!("editor-tab-{t}")),
            current: *t == current,
        })
        .collect()
}

fn tab_path(t: &str) -> &'static str {
    match t {
        "questions" => "questions",
        "phases" => "phases",
        "audience" => "public",
        _ => "fichiers",
    }
}

// ---- list ----

pub struct DebateLine {
    pub id: i64,
    pub slug: String,
    pub title: String,
    pub status: String,
}

#[derive(Template)]
#[template(path = "admin/debates.html")]
pub struct DebatesView {
    pub l: Layout,
    pub debates: Vec<DebateLine>,
}

pub async fn list(State(state): State<AppState>, ctx: Ctx) -> AppResult<Response> {
    ctx.require(Action::ManageDebates)?;
    let debates = state
        .store
        .debates(true)
        .await?
        .into_iter()
        .map(|d| DebateLine {
            id: d.id,
            status: ctx.tr.t(&format!("status-{}", d.status.as_str())),
            slug: d.slug,
            title: d.title,
        })
        .collect();
    Ok(render(&DebatesView {
        l: ctx.layout(&state, ctx.tr.t("admin-debates")),
        debates,
    }))
}

// ---- general fields ----

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct DebateForm {
    pub title: String,
    pub slug: String,
    pub summary: String,
    pub body_md: String,
    pub status: String,
    pub image_alt: String,
}

#[derive(Template)]
#[template(path = "admin/debate_edit.html")]
pub struct DebateEditView {
    pub l: Layout,
    /// None while creating.
    pub id: Option<i64>,
    pub tabs: Vec<Tab>,
    pub form: DebateForm,
    pub statuses: Vec<Choice>,
    pub errs: Errors,
    pub public_href: Option<String>,
}

fn status_choices(ctx: &Ctx, current: &str) -> Vec<Choice> {
    [DebateStatus::Draft, DebateStatus::Published]
        .iter()
        .map(|s| Choice {
            value: s.as_str().into(),
            label: ctx.tr.t(&format!("status-{}", s.as_str())),
            selected: s.as_str() == current,
        })
        .collect()
}

fn edit_view(
    state: &AppState,
    ctx: &Ctx,
    id: Option<i64>,
    form: DebateForm,
    fe: &FieldErrors,
) -> DebateEditView {
    let title = match id {
        Some(_) => ctx.tr.t1("editor-title", "title", &form.title),
        None => ctx.tr.t("editor-new"),
    };
    let mut l = ctx.layout(state, title);
    l.has_errors = !fe.is_empty();
    DebateEditView {
        l,
        id,
        tabs: id.map(|i| tabs(ctx, i, "general")).unwrap_or_default(),
        statuses: status_choices(ctx, &form.status),
        public_href: id.map(|_| format!("/debats/{}", form.slug)),
        form,
        errs: Errors::from(&ctx.tr, fe),
    }
}

fn parse_debate(form: &DebateForm) -> Result<DebateFields, FieldErrors> {
    let mut fe = FieldErrors::default();
    let title = fe.check("title", validate::title(&form.title));
    let slug_input = if form.slug.trim().is_empty() {
        validate::slugify(&form.title)
    } else {
        form.slug.clone()
    };
    // Left empty, the slug comes from the title: a missing title is said once, on the title.
    let slug = if form.slug.trim().is_empty() && title.is_none() {
        None
    } else {
        fe.check("slug", validate::slug(&slug_input))
    };
    let summary = fe.check("summary", validate::summary(&form.summary));
    let body = fe.check("body_md", validate::body(&form.body_md));
    let status = fe.check("status", validate::debate_status(&form.status));
    let alt = fe.check("image_alt", validate::optional_text(&form.image_alt, 300));
    match (title, slug, summary, body, status, alt) {
        (Some(title), Some(slug), Some(summary), Some(body_md), Some(status), Some(image_alt)) => {
            Ok(DebateFields {
                slug,
                title,
                summary,
                body_md,
                status,
                image_alt,
            })
        }
        _ => Err(fe),
    }
}

pub async fn new_page(State(state): State<AppState>, ctx: Ctx) -> AppResult<Response> {
    ctx.require(Action::ManageDebates)?;
    let form = DebateForm {
        status: "draft".into(),
        ..Default::default()
    };
    Ok(render(&edit_view(
        &state,
        &ctx,
        None,
        form,
        &FieldErrors::default(),
    )))
}

pub async fn create(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(form): Form<DebateForm>,
) -> AppResult<Response> {
    ctx.require(Action::ManageDebates)?;
    let fields = match parse_debate(&form) {
        Ok(f) => f,
        Err(fe) => return Ok(render_invalid(&edit_view(&state, &ctx, None, form, &fe))),
    };
    match state.store.create_debate(&fields).await {
        Ok(id) => {
            state
                .store
                .audit(
                    ctx.user_id(),
                    "debate.create",
                    &format!("debate:{id}"),
                    &fields.slug,
                )
                .await?;
            Ok(Redirect::to(&format!("/admin/debats/{id}?ok=created")).into_response())
        }
        Err(storage::StoreError::Conflict(_)) => {
            let mut fe = FieldErrors::default();
            fe.add("slug", "error-slug-taken");
            Ok(render_invalid(&edit_view(&state, &ctx, None, form, &fe)))
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn edit_page(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let d = load(&state, &ctx, id).await?;
    let form = DebateForm {
        title: d.title,
        slug: d.slug,
        summary: d.summary,
        body_md: d.body_md,
        status: d.status.as_str().into(),
        image_alt: d.image_alt,
    };
    Ok(render(&edit_view(
        &state,
        &ctx,
        Some(id),
        form,
        &FieldErrors::default(),
    )))
}

pub async fn update(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(form): Form<DebateForm>,
) -> AppResult<Response> {
    let before = load(&state, &ctx, id).await?;
    let fields = match parse_debate(&form) {
        Ok(f) => f,
        Err(fe) => {
            return Ok(render_invalid(&edit_view(
                &state,
                &ctx,
                Some(id),
                form,
                &fe,
            )));
        }
    };
    match state.store.update_debate(id, &fields).await {
        Ok(()) => {
            let detail = if before.status != fields.status {
                format!(
                    "status: {} → {}",
                    before.status.as_str(),
                    fields.status.as_str()
                )
            } else {
                String::new()
            };
            state
                .store
                .audit(
                    ctx.user_id(),
                    "debate.update",
                    &format!("debate:{id}"),
                    &detail,
                )
                .await?;
            Ok(Redirect::to(&format!("/admin/debats/{id}?ok=saved")).into_response())
        }
        Err(storage::StoreError::Conflict(_)) => {
            let mut fe = FieldErrors::default();
            fe.add("slug", "error-slug-taken");
            Ok(render_invalid(&edit_view(
                &state,
                &ctx,
                Some(id),
                form,
                &fe,
            )))
        }
        Err(e) => Err(e.into()),
    }
}

// ---- guiding questions ----

pub struct QuestionRow {
    pub key: String,
    pub text: String,
    pub position: String,
    pub error: String,
    pub pos_error: String,
}

#[derive(Template)]
#[template(path = "admin/questions.html")]
pub struct QuestionsView {
    pub l: Layout,
    pub id: i64,
    pub tabs: Vec<Tab>,
    pub rows: Vec<QuestionRow>,
    pub errs: Errors,
}

const NEW_QUESTION_ROWS: usize = 3;

pub async fn questions_page(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let d = load(&state, &ctx, id).await?;
    let mut rows: Vec<QuestionRow> = state
        .store
        .questions(id)
        .await?
        .into_iter()
        .map(|q| QuestionRow {
            key: q.id.to_string(),
            text: q.text,
            position: q.position.to_string(),
            error: String::new(),
            pos_error: String::new(),
        })
        .collect();
    let next = rows.len();
    for i in 0..NEW_QUESTION_ROWS {
        rows.push(QuestionRow {
            key: format!("new{i}"),
            text: String::new(),
            position: (next + i + 1).to_string(),
            error: String::new(),
            pos_error: String::new(),
        });
    }
    Ok(render(&QuestionsView {
        l: ctx.layout(&state, ctx.tr.t1("editor-title", "title", &d.title)),
        id,
        tabs: tabs(&ctx, id, "questions"),
        rows,
        errs: Errors::none(),
    }))
}

pub async fn questions_save(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let d = load(&state, &ctx, id).await?;
    let form = FormMap(pairs);
    let existing = state.store.questions(id).await?;
    let mut keys: Vec<(Option<i64>, String)> = existing
        .iter()
        .map(|q| (Some(q.id), q.id.to_string()))
        .collect();
    keys.extend((0..NEW_QUESTION_ROWS).map(|i| (None, format!("new{i}"))));
    let mut fe = FieldErrors::default();
    let mut save = Vec::new();
    let mut delete = Vec::new();
    let mut rows = Vec::new();
    for (qid, key) in &keys {
        // A row the form does not mention keeps its stored text.
        let stored = existing
            .iter()
            .find(|q| Some(q.id) == *qid)
            .map(|q| q.text.as_str());
        let text = match stored {
            Some(t) if !form.has(&format!("text_{key}")) => t,
            _ => form.get(&format!("text_{key}")),
        };
        let pos_raw = form.get(&format!("pos_{key}"));
        let mut error = "";
        let mut pos_error = "";
        if let Some(qid) = qid
            && form.has(&format!("del_{key}"))
        {
            if state.store.question_has_contributions(*qid).await? {
                error = "error-question-has-contributions";
                fe.add(format!("text_{key}"), error);
            } else {
                delete.push(*qid);
            }
        } else if qid.is_some() && !form.has(&format!("text_{key}")) {
            // Not in the form: left as it is.
        } else if qid.is_some() || !text.trim().is_empty() {
            let position = pos_raw.trim().parse::<i64>();
            match (validate::optional_text(text, 500), position) {
                (Ok(t), Ok(p)) if !t.is_empty() => save.push((*qid, t, p)),
                (Ok(_), Ok(_)) => error = "error-required",
                (Err(k), _) => error = k,
                (_, Err(_)) => pos_error = "error-number",
            }
            if !error.is_empty() {
                fe.add(format!("text_{key}"), error);
            }
            if !pos_error.is_empty() {
                fe.add(format!("pos_{key}"), pos_error);
            }
        }
        rows.push(QuestionRow {
            key: key.clone(),
            text: text.to_string(),
            position: pos_raw.to_string(),
            error: if error.is_empty() {
                String::new()
            } else {
                ctx.tr.t(error)
            },
            pos_error: if pos_error.is_empty() {
                String::new()
            } else {
                ctx.tr.t(pos_error)
            },
        });
    }
    if !fe.is_empty() {
        let mut l = ctx.layout(&state, ctx.tr.t1("editor-title", "title", &d.title));
        l.has_errors = true;
        return Ok(render_invalid(&QuestionsView {
            l,
            id,
            tabs: tabs(&ctx, id, "questions"),
            rows,
            errs: Errors::from(&ctx.tr, &fe),
        }));
    }
    match state.store.save_questions(id, &save, &delete).await {
        Err(storage::StoreError::Conflict(_)) => {
            // A contribution arrived between the check and the deletion.
            return Err(AppError::BadRequest("error-question-has-contributions"));
        }
        other => other?,
    }
    state
        .store
        .audit(
            ctx.user_id(),
            "debate.questions",
            &format!("debate:{id}"),
            &format!("{} saved, {} deleted", save.len(), delete.len()),
        )
        .await?;
    Ok(Redirect::to(&format!("/admin/debats/{id}/questions?ok=saved")).into_response())
}

// ---- phases ----

pub struct PhaseRow {
    pub key: String,
    pub kinds: Vec<Choice>,
    pub title: String,
    pub description: String,
    pub start: String,
    pub end: String,
    pub err_kind: String,
    pub err_title: String,
    pub err_desc: String,
    pub err_start: String,
    pub err_end: String,
    pub is_new: bool,
}

#[derive(Template)]
#[template(path = "admin/phases.html")]
pub struct PhasesView {
    pub l: Layout,
    pub id: i64,
    pub tabs: Vec<Tab>,
    pub rows: Vec<PhaseRow>,
    pub errs: Errors,
    pub timezone: String,
}

fn kind_choices(ctx: &Ctx, current: &str) -> Vec<Choice> {
    PhaseKind::ALL
        .iter()
        .map(|k| Choice {
            value: k.as_str().into(),
            label: ctx.tr.t(&format!("phase-kind-{}", k.as_str())),
            selected: k.as_str() == current,
        })
        .collect()
}

/// The keys of the blank rows the phases form offers: several phases can be added in one save.
const NEW_PHASE_KEYS: [&str; 3] = ["new", "new2", "new3"];

fn blank_phase_row(ctx: &Ctx, key: &str) -> PhaseRow {
    PhaseRow {
        key: key.into(),
        kinds: kind_choices(ctx, "contributions"),
        title: String::new(),
        description: String::new(),
        start: String::new(),
        end: String::new(),
        err_kind: String::new(),
        err_title: String::new(),
        err_desc: String::new(),
        err_start: String::new(),
        err_end: String::new(),
        is_new: true,
    }
}

pub async fn phases_page(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let d = load(&state, &ctx, id).await?;
    let mut rows: Vec<PhaseRow> = state
        .store
        .phases(id)
        .await?
        .into_iter()
        .map(|p| PhaseRow {
            key: p.id.to_string(),
            kinds: kind_choices(&ctx, p.kind.as_str()),
            title: p.title,
            description: p.description,
            start: validate::format_local_datetime(p.starts_at, &state.tz),
            end: validate::format_local_datetime(p.ends_at, &state.tz),
            err_kind: String::new(),
            err_title: String::new(),
            err_desc: String::new(),
            err_start: String::new(),
            err_end: String::new(),
            is_new: false,
        })
        .collect();
    for key in NEW_PHASE_KEYS {
        rows.push(blank_phase_row(&ctx, key));
    }
    Ok(render(&PhasesView {
        l: ctx.layout(&state, ctx.tr.t1("editor-title", "title", &d.title)),
        id,
        tabs: tabs(&ctx, id, "phases"),
        rows,
        errs: Errors::none(),
        timezone: state.settings.timezone.clone(),
    }))
}

pub async fn phases_save(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let d = load(&state, &ctx, id).await?;
    let form = FormMap(pairs);
    let existing = state.store.phases(id).await?;
    let mut keys: Vec<(Option<i64>, String)> = existing
        .iter()
        .map(|p| (Some(p.id), p.id.to_string()))
        .collect();
    keys.extend(NEW_PHASE_KEYS.iter().map(|k| (None, k.to_string())));
    let mut fe = FieldErrors::default();
    let (mut save, mut delete, mut rows) = (Vec::new(), Vec::new(), Vec::new());
    for (pid, key) in &keys {
        let f = |name: &str| form.get(&format!("{name}_{key}")).to_string();
        let (kind_s, title_s, desc_s, start_s, end_s) =
            (f("kind"), f("title"), f("desc"), f("start"), f("end"));
        let mut row = PhaseRow {
            key: key.clone(),
            kinds: kind_choices(&ctx, &kind_s),
            title: title_s.clone(),
            description: desc_s.clone(),
            start: start_s.clone(),
            end: end_s.clone(),
            err_kind: String::new(),
            err_title: String::new(),
            err_desc: String::new(),
            err_start: String::new(),
            err_end: String::new(),
            is_new: pid.is_none(),
        };
        if let Some(pid) = pid
            && form.has(&format!("del_{key}"))
        {
            delete.push(*pid);
            rows.push(row);
            continue;
        }
        // A row the form does not mention at all is left as it is.
        if pid.is_some() && !form.has(&format!("title_{key}")) {
            if let Some(p) = existing.iter().find(|p| Some(p.id) == *pid) {
                row.kinds = kind_choices(&ctx, p.kind.as_str());
                row.title = p.title.clone();
                row.description = p.description.clone();
                row.start = validate::format_local_datetime(p.starts_at, &state.tz);
                row.end = validate::format_local_datetime(p.ends_at, &state.tz);
            }
            rows.push(row);
            continue;
        }
        let untouched_new = pid.is_none()
            && title_s.trim().is_empty()
            && start_s.trim().is_empty()
            && end_s.trim().is_empty();
        if untouched_new {
            rows.push(row);
            continue;
        }
        let mut row_fe = FieldErrors::default();
        let kind = row_fe.check(&format!("kind_{key}"), validate::phase_kind(&kind_s));
        let title = row_fe.check(&format!("title_{key}"), validate::title(&title_s));
        let desc = row_fe.check(
            &format!("desc_{key}"),
            validate::optional_text(&desc_s, 5_000),
        );
        let start = row_fe.check(
            &format!("start_{key}"),
            validate::local_datetime(&start_s, &state.tz),
        );
        let end = row_fe.check(
            &format!("end_{key}"),
            validate::local_datetime(&end_s, &state.tz),
        );
        let period = match (start, end) {
            (Some(s), Some(e)) => row_fe.check(&format!("end_{key}"), validate::period(s, e)),
            _ => None,
        };
        let msg = |name: &str| {
            row_fe
                .get(&format!("{name}_{key}"))
                .map(|k| ctx.tr.t(k))
                .unwrap_or_default()
        };
        row.err_kind = msg("kind");
        row.err_desc = msg("desc");
        row.err_title = msg("title");
        row.err_start = msg("start");
        row.err_end = msg("end");
        if let (Some(kind), Some(title), Some(description), Some((starts_at, ends_at))) =
            (kind, title, desc, period)
        {
            save.push((
                *pid,
                PhaseFields {
                    kind,
                    title,
                    description,
                    starts_at,
                    ends_at,
                },
            ));
        }
        fe.0.extend(row_fe.0);
        rows.push(row);
    }
    if !fe.is_empty() {
        let mut l = ctx.layout(&state, ctx.tr.t1("editor-title", "title", &d.title));
        l.has_errors = true;
        return Ok(render_invalid(&PhasesView {
            l,
            id,
            tabs: tabs(&ctx, id, "phases"),
            rows,
            errs: Errors::from(&ctx.tr, &fe),
            timezone: state.settings.timezone.clone(),
        }));
    }
    state.store.save_phases(id, &save, &delete).await?;
    state
        .store
        .audit(
            ctx.user_id(),
            "debate.phases",
            &format!("debate:{id}"),
            &format!("{} saved, {} deleted", save.len(), delete.len()),
        )
        .await?;
    Ok(Redirect::to(&format!("/admin/debats/{id}/phases?ok=saved")).into_response())
}

// ---- audience: categories and quartiers ----

pub struct Check {
    pub value: i64,
    pub label: String,
    pub checked: bool,
}

#[derive(Template)]
#[template(path = "admin/audience.html")]
pub struct AudienceView {
    pub l: Layout,
    pub id: i64,
    pub tabs: Vec<Tab>,
    pub categories: Vec<Check>,
    pub quartiers: Vec<Check>,
}

pub async fn audience_page(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let d = load(&state, &ctx, id).await?;
    let cat_ids = state.store.debate_category_ids(id).await?;
    let q_ids = state.store.debate_quartier_ids(id).await?;
    let categories = state
        .store
        .categories()
        .await?
        .into_iter()
        .map(|c| Check {
            checked: cat_ids.contains(&c.id),
            value: c.id,
            label: if ctx.lang() == Lang::En && !c.name_en.is_empty() {
                c.name_en
            } else {
                c.name
            },
        })
        .collect();
    let quartiers = state
        .store
        .quartiers()
        .await?
        .into_iter()
        .map(|q| Check {
            checked: q_ids.contains(&q.id),
            value: q.id,
            label: q.name,
        })
        .collect();
    Ok(render(&AudienceView {
        l: ctx.layout(&state, ctx.tr.t1("editor-title", "title", &d.title)),
        id,
        tabs: tabs(&ctx, id, "audience"),
        categories,
        quartiers,
    }))
}

pub async fn audience_save(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    load(&state, &ctx, id).await?;
    let form = FormMap(pairs);
    let ids = |name: &str| -> Result<Vec<i64>, AppError> {
        form.all(name)
            .into_iter()
            .map(|v| {
                v.parse::<i64>()
                    .map_err(|_| AppError::BadRequest("error-malformed-form"))
            })
            .collect()
    };
    let (cats, quartiers) = (ids("category")?, ids("quartier")?);
    state
        .store
        .set_debate_audience(id, &cats, &quartiers)
        .await?;
    state
        .store
        .audit(
            ctx.user_id(),
            "debate.audience",
            &format!("debate:{id}"),
            &format!("{} categories, {} quartiers", cats.len(), quartiers.len()),
        )
        .await?;
    Ok(Redirect::to(&format!("/admin/debats/{id}/public?ok=saved")).into_response())
}

// ---- image and documents ----

pub struct FileLine {
    pub id: i64,
    pub title: String,
    pub href: String,
    pub meta: String,
}

#[derive(Template)]
#[template(path = "admin/files.html")]
pub struct FilesView {
    pub l: Layout,
    pub id: i64,
    pub tabs: Vec<Tab>,
    pub image_url: Option<String>,
    pub image_alt: String,
    pub documents: Vec<FileLine>,
    pub doc_title: String,
    pub errs: Errors,
    pub max_image_mb: usize,
    pub max_document_mb: usize,
}

async fn files_view(
    state: &AppState,
    ctx: &Ctx,
    d: &Debate,
    doc_title: String,
    fe: &FieldErrors,
) -> AppResult<FilesView> {
    let documents = state
        .store
        .debate_files(d.id, "document")
        .await?
        .into_iter()
        .map(|f| FileLine {
            id: f.id,
            href: format!("/fichiers/{}/{}", f.id, f.filename),
            meta: format!("{}, {}", f.filename, human_size(&ctx.tr, f.size)),
            title: f.title,
        })
        .collect();
    let mut l = ctx.layout(state, ctx.tr.t1("editor-title", "title", &d.title));
    l.has_errors = !fe.is_empty();
    Ok(FilesView {
        l,
        id: d.id,
        tabs: tabs(ctx, d.id, "files"),
        image_url: d.image_file_id.map(|f| format!("/fichiers/{f}")),
        image_alt: d.image_alt.clone(),
        documents,
        doc_title,
        errs: Errors::from(&ctx.tr, fe),
        max_image_mb: state.settings.max_image_mb,
        max_document_mb: state.settings.max_document_mb,
    })
}

pub async fn files_page(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let d = load(&state, &ctx, id).await?;
    Ok(render(
        &files_view(&state, &ctx, &d, String::new(), &FieldErrors::default()).await?,
    ))
}

/// Checks an uploaded file; the error key goes next to the field.
fn check_upload(
    up: Option<&upload::Upload>,
    max_mb: usize,
    image_only: bool,
) -> Result<(String, upload::FileKind, Vec<u8>), &'static str> {
    if image_only {
        upload::check(up, max_mb, upload::FileKind::is_image, "error-image-type").map_err(|e| {
            match e {
                "error-file-too-large" => "error-image-too-large",
                e => e,
            }
        })
    } else {
        upload::check(up, max_mb, |_| true, "error-file-type")
    }
}

pub async fn upload_image(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    mp: Multipart,
) -> AppResult<Response> {
    let d = load(&state, &ctx, id).await?;
    let max = state.settings.max_image_mb;
    let form = upload::read(mp, max * 1_000_000, &ctx.csrf).await?;
    let mut fe = FieldErrors::default();
    let alt = fe.check(
        "image_alt",
        validate::optional_text(form.text("image_alt"), 300),
    );
    let file = fe.check("image", check_upload(form.file("image"), max, true));
    let (Some(alt), Some((filename, kind, data))) = (alt, file) else {
        return Ok(render_invalid(
            &files_view(&state, &ctx, &d, String::new(), &fe).await?,
        ));
    };
    let file_id = state
        .store
        .insert_file(storage::NewFile {
            debate_id: Some(id),
            purpose: "image",
            title: &alt,
            filename: &filename,
            content_type: kind.content_type(&filename),
            data: &data,
            uploaded_by: ctx.user_id(),
        })
        .await?;
    state
        .store
        .set_debate_image(id, Some(file_id), &alt)
        .await?;
    state
        .store
        .audit(
            ctx.user_id(),
            "debate.image",
            &format!("debate:{id}"),
            &filename,
        )
        .await?;
    Ok(Redirect::to(&format!("/admin/debats/{id}/fichiers?ok=uploaded")).into_response())
}

pub async fn upload_document(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    mp: Multipart,
) -> AppResult<Response> {
    let d = load(&state, &ctx, id).await?;
    let max = state.settings.max_document_mb;
    let form = upload::read(mp, max * 1_000_000, &ctx.csrf).await?;
    let mut fe = FieldErrors::default();
    let title = fe.check("doc_title", validate::title(form.text("doc_title")));
    let file = fe.check("document", check_upload(form.file("document"), max, false));
    let (Some(title), Some((filename, kind, data))) = (title, file) else {
        let t = form.text("doc_title").to_string();
        return Ok(render_invalid(&files_view(&state, &ctx, &d, t, &fe).await?));
    };
    let file_id = state
        .store
        .insert_file(storage::NewFile {
            debate_id: Some(id),
            purpose: "document",
            title: &title,
            filename: &filename,
            content_type: kind.content_type(&filename),
            data: &data,
            uploaded_by: ctx.user_id(),
        })
        .await?;
    state
        .store
        .audit(
            ctx.user_id(),
            "debate.document.add",
            &format!("file:{file_id}"),
            &filename,
        )
        .await?;
    Ok(Redirect::to(&format!("/admin/debats/{id}/fichiers?ok=uploaded")).into_response())
}

pub async fn delete_document(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((id, file_id)): Path<(i64, i64)>,
) -> AppResult<Response> {
    load(&state, &ctx, id).await?;
    let meta = state
        .store
        .file_meta(file_id)
        .await?
        .ok_or(AppError::NotFound)?;
    if meta.debate_id != Some(id) || meta.purpose != "document" {
        return Err(AppError::NotFound);
    }
    state.store.delete_file(file_id).await?;
    state
        .store
        .audit(
            ctx.user_id(),
            "debate.document.delete",
            &format!("file:{file_id}"),
            &meta.filename,
        )
        .await?;
    Ok(Redirect::to(&format!("/admin/debats/{id}/fichiers?ok=deleted")).into_response())
}
