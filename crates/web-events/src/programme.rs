//! A conference programme (the Assises): its sessions by day and hour with their rooms and
//! speakers, each with its own registration; and the staff page that creates programmes and
//! their speakers.

use crate::{Card, local};
use askama::Template;
use axum::extract::{Form, Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use domain::Action;
use serde::Deserialize;
use storage::AgendaFilter;
use webkit::ctx::Ctx;
use webkit::error::{AppError, AppResult};
use webkit::state::AppState;
use webkit::view::{Errors, Layout, render, render_invalid};

pub struct SpeakerCard {
    pub id: i64,
    pub name: String,
    pub role: String,
    pub organisation: String,
    pub bio: String,
    pub photo: Option<i64>,
    /// Titles of their sessions, with the event's id.
    pub sessions: Vec<(i64, String)>,
}

pub struct Session {
    pub c: Card,
    pub hours: String,
    pub speakers: Vec<String>,
}

pub struct Day {
    pub label: String,
    pub sessions: Vec<Session>,
}

#[derive(Template)]
#[template(path = "programme.html")]
pub struct ProgrammeView {
    pub l: Layout,
    pub title: String,
    pub description_html: String,
    pub debate_slug: String,
    pub debate_title: String,
    pub days: Vec<Day>,
    pub speakers: Vec<SpeakerCard>,
}

pub async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
) -> AppResult<Response> {
    let ctx = local(ctx);
    let p = state
        .store
        .programme_by_slug(&slug)
        .await?
        .ok_or(AppError::NotFound)?;
    let d = webkit::access::visible_debate_by_id(&state, &ctx, p.debate_id).await?;
    let staff = ctx.subject.may(Action::ManageEvents);
    if p.published == 0 && !staff {
        return Err(AppError::NotFound);
    }
    let filter = AgendaFilter {
        programme_id: Some(p.id),
        past: false,
        now: i64::MIN / 2,
        include_drafts: staff,
        limit: 1_000,
        ..AgendaFilter::default()
    };
    let (sessions, _) = state.store.agenda(&filter).await?;
    let speakers = state.store.speakers(p.id).await?;
    let links = state.store.programme_session_speakers(p.id).await?;
    let name_of = |sid: i64| {
        speakers
            .iter()
            .find(|s| s.id == sid)
            .map(|s| s.name.clone())
            .unwrap_or_default()
    };
    let mut days: Vec<Day> = Vec::new();
    for e in &sessions {
        let label = ctx.tr.date(e.starts_at, &state.tz);
        let session = Session {
            c: Card::new(&ctx.tr, &state.tz, e),
            hours: format!(
                "{}–{}",
                crate::hour(&state.tz, e.starts_at),
                crate::hour(&state.tz, e.ends_at)
            ),
            speakers: links
                .iter()
                .filter(|(ev, _)| *ev == e.id)
                .map(|(_, s)| name_of(*s))
                .collect(),
        };
        match days.last_mut() {
            Some(d) if d.label == label => d.sessions.push(session),
            _ => days.push(Day {
                label,
                sessions: vec![session],
            }),
        }
    }
    let speakers = speakers
        .into_iter()
        .map(|s| SpeakerCard {
            sessions: links
                .iter()
                .filter(|(_, sp)| *sp == s.id)
                .filter_map(|(ev, _)| {
                    sessions
                        .iter()
                        .find(|e| e.id == *ev)
                        .map(|e| (e.id, e.title.clone()))
                })
                .collect(),
            id: s.id,
            name: s.name,
            role: s.role,
            organisation: s.organisation,
            bio: s.bio,
            photo: s.photo_file_id,
        })
        .collect();
    let view = ProgrammeView {
        l: ctx.layout(&state, p.title.clone()),
        title: p.title,
        description_html: webkit::markdown::render(&p.description),
        debate_slug: d.slug,
        debate_title: d.title,
        days,
        speakers,
    };
    Ok(render(&view))
}

pub struct ProgrammeRow {
    pub id: i64,
    pub slug: String,
    pub title: String,
    pub debate: String,
    pub published: bool,
    pub speakers: Vec<String>,
}

#[derive(Template)]
#[template(path = "staff_programmes.html")]
pub struct AdminView {
    pub l: Layout,
    pub programmes: Vec<ProgrammeRow>,
    pub debates: Vec<webkit::choices::Choice>,
    pub form: NewProgramme,
    pub errs: Errors,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct NewProgramme {
    pub debate: String,
    pub slug: String,
    pub title: String,
    pub description: String,
    pub published: String,
}

async fn admin_view(
    state: &AppState,
    ctx: &Ctx,
    form: NewProgramme,
    errs: Errors,
) -> AppResult<AdminView> {
    let debates = state.store.debates(true).await?;
    let mut programmes = Vec::new();
    for d in &debates {
        for p in state.store.debate_programmes(d.id).await? {
            programmes.push(ProgrammeRow {
                speakers: state
                    .store
                    .speakers(p.id)
                    .await?
                    .into_iter()
                    .map(|s| s.name)
                    .collect(),
                id: p.id,
                slug: p.slug,
                title: p.title,
                debate: d.title.clone(),
                published: p.published != 0,
            });
        }
    }
    Ok(AdminView {
        l: ctx.layout(state, ctx.tr.t("staff-programmes-title")),
        programmes,
        debates: debates
            .iter()
            .map(|d| webkit::choices::Choice::new(d.id, d.title.clone(), &form.debate))
            .collect(),
        form,
        errs,
    })
}

pub async fn admin_list(State(state): State<AppState>, ctx: Ctx) -> AppResult<Response> {
    let ctx = local(ctx);
    ctx.require(Action::ManageEvents)?;
    let page = admin_view(&state, &ctx, NewProgramme::default(), Errors::none()).await?;
    Ok(render(&page))
}

pub async fn admin_create(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(form): Form<NewProgramme>,
) -> AppResult<Response> {
    let ctx = local(ctx);
    ctx.require(Action::ManageEvents)?;
    let mut fe = domain::FieldErrors::default();
    let title = form.title.trim();
    if title.is_empty() || title.chars().count() > 200 {
        fe.add("title", "programme-error-title");
    }
    let slug = form.slug.trim().to_lowercase();
    if slug.is_empty()
        || slug.len() > 80
        || !slug
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    {
        fe.add("slug", "programme-error-slug");
    }
    let debate = form.debate.parse::<i64>().ok();
    let debate = match debate {
        Some(id) => state.store.debate_by_id(id).await?,
        None => None,
    };
    if debate.is_none() {
        fe.add("debate", "programme-error-debate");
    }
    if let (true, Some(d)) = (fe.is_empty(), debate) {
        let mut tx = state.store.begin().await?;
        match tx
            .insert_programme(
                d.id,
                &slug,
                title,
                form.description.trim(),
                form.published == "1",
            )
            .await
        {
            Ok(id) => {
                tx.audit(
                    ctx.user_id(),
                    "programme.create",
                    &format!("programme:{id}"),
                    title,
                )
                .await?;
                tx.commit().await?;
                return Ok(Redirect::to("/admin/programmes?ok=created").into_response());
            }
            Err(storage::StoreError::Conflict(_)) => fe.add("slug", "programme-error-slug-taken"),
            Err(e) => return Err(e.into()),
        }
    }
    let errs = Errors::from(&ctx.tr, &fe);
    let mut page = admin_view(&state, &ctx, form, errs).await?;
    page.l.has_errors = true;
    Ok(render_invalid(&page))
}

/// A speaker added to a programme, with an optional photo (an image within the instance's
/// limit, checked by its content).
pub async fn admin_add_speaker(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    mp: axum::extract::Multipart,
) -> AppResult<Response> {
    let ctx = local(ctx);
    ctx.require(Action::ManageEvents)?;
    let p = state.store.programme(id).await?.ok_or(AppError::NotFound)?;
    let max = state.settings.max_image_mb;
    let form = webkit::upload::read(mp, max * 1_000_000, &ctx.csrf).await?;
    let mut fe = domain::FieldErrors::default();
    let name = form.text("name").trim().to_string();
    let (role, organisation, bio) = (
        form.text("role").trim().to_string(),
        form.text("organisation").trim().to_string(),
        form.text("bio").trim().to_string(),
    );
    if name.is_empty() || name.chars().count() > 120 {
        fe.add(format!("speaker-name-{id}"), "programme-error-speaker");
    }
    if role.chars().count() > 200 || organisation.chars().count() > 200 {
        fe.add(format!("speaker-role-{id}"), "programme-error-speaker-text");
    }
    if bio.chars().count() > 2_000 {
        fe.add(format!("speaker-bio-{id}"), "programme-error-speaker-text");
    }
    let photo = match form.file("photo") {
        None => None,
        Some(up) => match webkit::upload::check(
            Some(up),
            max,
            webkit::upload::FileKind::is_image,
            "error-image-type",
        ) {
            Ok(ok) => Some(ok),
            Err(key) => {
                let key = if key == "error-file-too-large" {
                    "error-image-too-large"
                } else {
                    key
                };
                fe.add(format!("speaker-photo-{id}"), key);
                None
            }
        },
    };
    if !fe.is_empty() {
        let errs = Errors::from(&ctx.tr, &fe);
        let mut page = admin_view(&state, &ctx, NewProgramme::default(), errs).await?;
        page.l.has_errors = true;
        return Ok(render_invalid(&page));
    }
    let photo_file_id = match photo {
        Some((filename, kind, data)) => Some(
            state
                .store
                .insert_file(storage::NewFile {
                    debate_id: Some(p.debate_id),
                    purpose: "image",
                    title: &name,
                    filename: &filename,
                    content_type: kind.content_type(&filename),
                    data: &data,
                    uploaded_by: ctx.user_id(),
                })
                .await?,
        ),
        None => None,
    };
    let mut tx = state.store.begin().await?;
    let sid = tx
        .insert_speaker(&storage::Speaker {
            id: 0,
            programme_id: p.id,
            name: name.clone(),
            role,
            organisation,
            bio,
            photo_file_id,
        })
        .await?;
    tx.audit(
        ctx.user_id(),
        "speaker.create",
        &format!("speaker:{sid}"),
        &name,
    )
    .await?;
    tx.commit().await?;
    Ok(Redirect::to("/admin/programmes?ok=created").into_response())
}
