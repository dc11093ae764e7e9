//! The analysts' editor of a debate's report: the draft's sections with their evidence, forms
//! to add, edit and remove them, to cite an event, to save a version or publish, the list of
//! versions and their comparison; administrators assign the analysts here. Guarantors and
//! administrators read it all and change nothing.

use crate::view::{self, SectionView};
use crate::{app_error, debate, id_of, local};
use app::report::ReportError;
use askama::Template;
use axum::extract::{Form, Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use domain::On;
use report::{SectionDraft, SectionKind, VersionState};
use webkit::choices::Choice;
use webkit::ctx::Ctx;
use webkit::error::{AppError, AppResult};
use webkit::form::FormMap;
use webkit::state::AppState;
use webkit::view::{Errors, Layout, render, render_invalid};

#[derive(Template)]
#[template(path = "index.html")]
pub struct IndexView {
    pub l: Layout,
    /// (slug, title, state of the report).
    pub debates: Vec<(String, String, String)>,
}

pub async fn index(State(state): State<AppState>, ctx: Ctx) -> AppResult<Response> {
    let ctx = local(ctx);
    let mut debates = Vec::new();
    for d in state.store.debates(true).await? {
        if app::report::authorize(&state.store, &ctx.subject, d.id, On::ReadReportDraft, false)
            .await
            .is_err()
        {
            continue;
        }
        let label = match state.store.latest_published(d.id).await? {
            Some(n) => ctx.tr.t1("report-index-published", "n", n),
            None => ctx.tr.t("report-index-draft"),
        };
        debates.push((d.slug, d.title, label));
    }
    if debates.is_empty() && ctx.user.is_none() {
        return Err(AppError::LoginRequired);
    }
    Ok(render(&IndexView {
        l: ctx.layout(&state, ctx.tr.t("report-index-title")),
        debates,
    }))
}

pub struct VersionLine {
    pub number: i64,
    pub label: String,
    pub published: bool,
    pub draft: bool,
}

#[derive(Template)]
#[template(path = "editor.html")]
pub struct EditorView {
    pub l: Layout,
    pub slug: String,
    pub debate_title: String,
    pub can_write: bool,
    pub can_assign: bool,
    pub draft_number: i64,
    pub sections: Vec<SectionView>,
    pub kinds: Vec<Choice>,
    pub errs: Errors,
    pub title: String,
    pub body: String,
    pub events: Vec<Choice>,
    pub versions: Vec<VersionLine>,
    pub analysts: Vec<String>,
    pub email: String,
    /// Why publication was refused, one line per problem.
    pub problems: Vec<String>,
    pub runs: Vec<(i64, String)>,
    pub can_sign: bool,
    /// The section whose review comment failed, what was typed and why.
    pub comment_for: i64,
    pub comment_text: String,
    pub comment_error: String,
    /// This guarantor's opinion as saved (or as typed when it failed).
    pub opinion: String,
    pub opinions: Vec<view::OpinionView>,
}

pub(crate) fn kinds(ctx: &Ctx, current: &str) -> Vec<Choice> {
    SectionKind::ALL
        .into_iter()
        .map(|k| Choice::new(k.as_str(), view::kind_label(&ctx.tr, k), current))
        .collect()
}

/// What a failed form brings back to the editor.
#[derive(Default)]
struct Again {
    errs: Option<domain::FieldErrors>,
    kind: String,
    title: String,
    body: String,
    email: String,
    problems: Vec<(String, &'static str)>,
    opinion: Option<String>,
    comment: Option<(i64, String, String)>,
}

async fn editor(state: &AppState, ctx: &Ctx, slug: &str, again: Again) -> AppResult<EditorView> {
    let d = debate(state, slug).await?;
    let (_, assigned) =
        app::report::authorize(&state.store, &ctx.subject, d.id, On::ReadReportDraft, false)
            .await
            .map_err(app_error)?;
    let facts = app::report::resource(&d, assigned, false);
    let can_write = ctx.subject.may_on(On::WriteReport, facts);
    let can_assign = ctx.subject.may_on(On::AssignAnalysts, facts);
    let tr = &ctx.tr;
    let draft = state.store.report_draft(d.id).await?;
    let mut sections = Vec::new();
    if let Some(v) = &draft {
        let citations = state.store.report_citations(v.id).await?;
        for s in state.store.report_sections(v.id).await? {
            let kind = SectionKind::parse(&s.kind).unwrap_or(SectionKind::Finding);
            sections.push(SectionView {
                id: s.id,
                key: s.key,
                kind: kind.as_str(),
                kind_label: view::kind_label(tr, kind),
                title: s.title.clone(),
                body_md: s.body.clone(),
                html: report::markdown::render(&s.body),
                citations: citations
                    .iter()
                    .filter(|c| c.section_id == s.id)
                    .map(|c| view::draft_citation(tr, &state.tz, c))
                    .collect(),
                signed: Vec::new(),
                comments: Vec::new(),
            });
        }
    }
    sections.sort_by_key(|s| SectionKind::parse(s.kind));
    if let Some(v) = &draft {
        let signoffs = state.store.report_signoffs(v.id).await?;
        view::add_signoffs(tr, &state.tz, &mut sections, &signoffs);
    }
    for c in state.store.review_comments(d.id).await? {
        if let Some(s) = sections.iter_mut().find(|s| s.key == c.section_key) {
            let who = format!(
                "{}, {}",
                c.author_name.unwrap_or_else(|| tr.t("author-deleted")),
                tr.datetime(c.created_at, &state.tz)
            );
            s.comments.push((who, c.body));
        }
    }
    let can_sign = ctx.subject.may_on(On::SignOff, facts);
    let opinion_rows = state.store.report_opinions(d.id, false).await?;
    let opinion = opinion_rows
        .iter()
        .find(|o| o.author_id.is_some() && o.author_id == ctx.user_id())
        .map(|o| o.body.clone())
        .unwrap_or_default();
    let opinions = view::opinions(tr, &state.tz, &opinion_rows);
    let events = state
        .store
        .agenda(&storage::AgendaFilter {
            debate_id: d.id,
            past: true,
            now: storage::now() + 366 * 86_400,
            include_drafts: false,
            limit: 200,
            ..Default::default()
        })
        .await?
        .0
        .into_iter()
        .map(|e| {
            let label = format!("{} ({})", e.title, tr.date(e.starts_at, &state.tz));
            Choice::new(e.id, label, "")
        })
        .collect();
    let versions = state
        .store
        .report_versions(d.id)
        .await?
        .into_iter()
        .map(|v| {
            let st = VersionState::parse(&v.state);
            let when = tr.datetime(v.frozen_at.unwrap_or(v.created_at), &state.tz);
            VersionLine {
                number: v.number,
                label: tr.t2(
                    &format!("report-version-{}", st.as_str()),
                    ("n", v.number),
                    ("when", when),
                ),
                published: st == VersionState::Published,
                draft: st == VersionState::Draft,
            }
        })
        .collect();
    let analysts = state
        .store
        .report_analysts(d.id)
        .await?
        .into_iter()
        .map(|(_, name, email)| format!("{name} <{email}>"))
        .collect();
    let runs = state
        .store
        .runs(d.id)
        .await?
        .into_iter()
        .filter(|r| r.status == "done")
        .map(|r| {
            (
                r.id,
                tr.t2(
                    "report-run-label",
                    ("n", r.id),
                    ("when", tr.datetime(r.created_at, &state.tz)),
                ),
            )
        })
        .collect();
    let errs = match &again.errs {
        Some(fe) => Errors::from(tr, fe),
        None => Errors::none(),
    };
    let mut l = ctx.layout(state, tr.t1("report-editor-title", "title", &d.title));
    l.has_errors = !errs.is_empty() || !again.problems.is_empty();
    Ok(EditorView {
        l,
        slug: d.slug,
        debate_title: d.title,
        can_write,
        can_assign,
        draft_number: draft.map(|v| v.number).unwrap_or(0),
        sections,
        kinds: kinds(
            ctx,
            if again.kind.is_empty() {
                "finding"
            } else {
                &again.kind
            },
        ),
        errs,
        title: again.title,
        body: again.body,
        events,
        versions,
        analysts,
        email: again.email,
        problems: again
            .problems
            .iter()
            .map(|(section, key)| {
                if section.is_empty() {
                    tr.t(key)
                } else {
                    tr.t1(key, "section", section)
                }
            })
            .collect(),
        runs,
        can_sign,
        comment_for: again.comment.as_ref().map(|c| c.0).unwrap_or(0),
        comment_text: again
            .comment
            .as_ref()
            .map(|c| c.1.clone())
            .unwrap_or_default(),
        comment_error: again
            .comment
            .as_ref()
            .map(|c| c.2.clone())
            .unwrap_or_default(),
        opinion: again.opinion.unwrap_or(opinion),
        opinions,
    })
}

pub async fn page(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
) -> AppResult<Response> {
    let ctx = local(ctx);
    Ok(render(
        &editor(&state, &ctx, &slug, Again::default()).await?,
    ))
}

fn to_editor(slug: &str, anchor: &str) -> Response {
    Redirect::to(&format!("/admin/rapports/{slug}?ok=saved{anchor}")).into_response()
}

pub async fn add_section(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
    Form(form): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let ctx = local(ctx);
    let d = debate(&state, &slug).await?;
    let f = FormMap(form);
    let draft = SectionDraft {
        kind: f.get("kind").to_string(),
        title: f.get("title").to_string(),
        body: f.get("body").to_string(),
    };
    match app::report::add_section(&state.store, &ctx.subject, d.id, &draft).await {
        Ok(id) => Ok(to_editor(&slug, &format!("#s-{id}"))),
        Err(ReportError::Invalid(fe)) => {
            let again = Again {
                errs: Some(fe),
                kind: draft.kind,
                title: draft.title,
                body: draft.body,
                ..Again::default()
            };
            Ok(render_invalid(&editor(&state, &ctx, &slug, again).await?))
        }
        Err(e) => Err(app_error(e)),
    }
}

#[derive(Template)]
#[template(path = "section.html")]
pub struct SectionEditView {
    pub l: Layout,
    pub slug: String,
    pub id: i64,
    pub kinds: Vec<Choice>,
    pub title: String,
    pub body: String,
    pub errs: Errors,
    /// Set when the section belongs to a frozen version: the form is refused, the text kept.
    pub frozen: bool,
    pub preview: String,
    /// For a recommendation: the findings of its version, and whether it rests on each.
    pub findings: Vec<(i64, String, bool)>,
    pub is_recommendation: bool,
}

async fn section_view(
    state: &AppState,
    ctx: &Ctx,
    id: i64,
    draft: Option<&SectionDraft>,
    errs: Errors,
) -> AppResult<SectionEditView> {
    let s = state
        .store
        .report_section(id)
        .await?
        .ok_or(AppError::NotFound)?;
    app::report::authorize(
        &state.store,
        &ctx.subject,
        s.debate_id,
        On::ReadReportDraft,
        false,
    )
    .await
    .map_err(app_error)?;
    let d = state
        .store
        .debate_by_id(s.debate_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let (kind, title, body) = match draft {
        Some(x) => (x.kind.clone(), x.title.clone(), x.body.clone()),
        None => (s.kind.clone(), s.title.clone(), s.body.clone()),
    };
    let mut l = ctx.layout(state, ctx.tr.t1("report-section-edit", "title", &s.title));
    l.has_errors = !errs.is_empty();
    let linked: Vec<i64> = state
        .store
        .section_links(s.version_id)
        .await?
        .into_iter()
        .filter(|(k, _)| *k == s.key)
        .map(|(_, f)| f)
        .collect();
    let findings = state
        .store
        .report_sections(s.version_id)
        .await?
        .into_iter()
        .filter(|x| x.kind == SectionKind::Finding.as_str())
        .map(|x| (x.key, x.title, linked.contains(&x.key)))
        .collect();
    Ok(SectionEditView {
        findings,
        is_recommendation: s.kind == SectionKind::Recommendation.as_str(),
        l,
        slug: d.slug,
        id,
        kinds: kinds(ctx, &kind),
        preview: report::markdown::render(&body),
        title,
        body,
        errs,
        frozen: VersionState::parse(&s.version_state).is_frozen(),
    })
}

pub async fn section_page(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let ctx = local(ctx);
    Ok(render(
        &section_view(&state, &ctx, id, None, Errors::none()).await?,
    ))
}

pub async fn update_section(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(form): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let ctx = local(ctx);
    let f = FormMap(form);
    let draft = SectionDraft {
        kind: f.get("kind").to_string(),
        title: f.get("title").to_string(),
        body: f.get("body").to_string(),
    };
    match app::report::update_section(&state.store, &ctx.subject, id, &draft).await {
        Ok(()) => {
            let s = state
                .store
                .report_section(id)
                .await?
                .ok_or(AppError::NotFound)?;
            let d = state
                .store
                .debate_by_id(s.debate_id)
                .await?
                .ok_or(AppError::NotFound)?;
            Ok(to_editor(&d.slug, &format!("#s-{id}")))
        }
        Err(ReportError::Invalid(fe)) => {
            let errs = Errors::from(&ctx.tr, &fe);
            Ok(render_invalid(
                &section_view(&state, &ctx, id, Some(&draft), errs).await?,
            ))
        }
        // The text typed is shown again under the refusal, so that nothing is lost.
        Err(ReportError::Frozen) => {
            let page = section_view(&state, &ctx, id, Some(&draft), Errors::none()).await?;
            let mut res = render(&page);
            *res.status_mut() = axum::http::StatusCode::CONFLICT;
            Ok(res)
        }
        Err(e) => Err(app_error(e)),
    }
}

pub async fn delete_section(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let debate_id = app::report::delete_section(&state.store, &ctx.subject, id)
        .await
        .map_err(app_error)?;
    let d = state
        .store
        .debate_by_id(debate_id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(to_editor(&d.slug, ""))
}

pub async fn cite_event(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(form): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let ctx = local(ctx);
    let f = FormMap(form);
    let s = state
        .store
        .report_section(id)
        .await?
        .ok_or(AppError::NotFound)?;
    let d = state
        .store
        .debate_by_id(s.debate_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let Some(event) = id_of(f.get("event")) else {
        return Err(AppError::BadRequest("report-error-event-unknown"));
    };
    match app::report::cite_event(&state.store, &ctx.subject, id, event).await {
        Ok(_) => Ok(to_editor(&d.slug, &format!("#s-{id}"))),
        Err(ReportError::Invalid(_)) => Err(AppError::BadRequest("report-error-event-unknown")),
        Err(e) => Err(app_error(e)),
    }
}

pub async fn remove_citation(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let debate_id = app::report::remove_citation(&state.store, &ctx.subject, id)
        .await
        .map_err(app_error)?;
    let d = state
        .store
        .debate_by_id(debate_id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(to_editor(&d.slug, ""))
}

pub async fn freeze(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
    Form(form): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let ctx = local(ctx);
    let d = debate(&state, &slug).await?;
    let f = FormMap(form);
    let publish = f.get("publish") == "1";
    match app::report::freeze(&state.store, &ctx.subject, d.id, publish, f.get("note")).await {
        Ok(n) if publish => Ok(Redirect::to(&format!(
            "/debats/{slug}/rapport/versions/{n}?ok=published"
        ))
        .into_response()),
        Ok(n) => Ok(Redirect::to(&format!("/admin/rapports/{slug}/versions/{n}")).into_response()),
        Err(ReportError::Blocked(problems)) => {
            let again = Again {
                problems,
                ..Again::default()
            };
            let page = editor(&state, &ctx, &slug, again).await?;
            let mut res = render(&page);
            *res.status_mut() = axum::http::StatusCode::CONFLICT;
            Ok(res)
        }
        Err(e) => Err(app_error(e)),
    }
}

pub async fn assign(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
    Form(form): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let ctx = local(ctx);
    let d = debate(&state, &slug).await?;
    let f = FormMap(form);
    match app::report::assign_analyst(&state.store, &ctx.subject, d.id, f.get("email")).await {
        Ok(_) => Ok(to_editor(&slug, "#analysts")),
        Err(ReportError::Invalid(fe)) => {
            let again = Again {
                errs: Some(fe),
                email: f.get("email").to_string(),
                ..Again::default()
            };
            Ok(render_invalid(&editor(&state, &ctx, &slug, again).await?))
        }
        Err(e) => Err(app_error(e)),
    }
}

pub async fn sign_off(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(form): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let f = FormMap(form);
    match app::report_oversight::sign_off(&state.store, &ctx.subject, id, f.get("note")).await {
        Ok(debate_id) => {
            let d = state
                .store
                .debate_by_id(debate_id)
                .await?
                .ok_or(AppError::NotFound)?;
            Ok(to_editor(&d.slug, &format!("#s-{id}")))
        }
        Err(ReportError::Invalid(_)) => Err(AppError::BadRequest("report-error-note-long")),
        Err(e) => Err(app_error(e)),
    }
}

pub async fn opinion(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
    Form(form): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let ctx = local(ctx);
    let d = debate(&state, &slug).await?;
    let f = FormMap(form);
    let publish = f.get("publish") == "1";
    match app::report_oversight::save_opinion(
        &state.store,
        &ctx.subject,
        d.id,
        f.get("opinion"),
        publish,
    )
    .await
    {
        Ok(_) => Ok(to_editor(&slug, "#opinion")),
        Err(ReportError::Invalid(fe)) => {
            let again = Again {
                errs: Some(fe),
                opinion: Some(f.get("opinion").to_string()),
                ..Again::default()
            };
            Ok(render_invalid(&editor(&state, &ctx, &slug, again).await?))
        }
        Err(e) => Err(app_error(e)),
    }
}

/// A review comment on a section of the draft.
pub async fn comment(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(form): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let ctx = local(ctx);
    let f = FormMap(form);
    let text = f.get("comment").to_string();
    match app::report_oversight::review_comment(&state.store, &ctx.subject, id, &text).await {
        Ok(debate_id) => Ok(to_editor(
            &state
                .store
                .debate_by_id(debate_id)
                .await?
                .ok_or(AppError::NotFound)?
                .slug,
            &format!("#s-{id}"),
        )),
        Err(ReportError::Invalid(fe)) => {
            let s = state
                .store
                .report_section(id)
                .await?
                .ok_or(AppError::NotFound)?;
            let slug = state
                .store
                .debate_by_id(s.debate_id)
                .await?
                .ok_or(AppError::NotFound)?
                .slug;
            let key = fe.get("comment").unwrap_or("error-malformed-form");
            let again = Again {
                comment: Some((id, text, ctx.tr.t(key))),
                ..Again::default()
            };
            let mut page = editor(&state, &ctx, &slug, again).await?;
            page.l.has_errors = true;
            Ok(render_invalid(&page))
        }
        Err(e) => Err(app_error(e)),
    }
}
