//! On the day and after, for the event's facilitators: the attendance sheet (tick who came, add
//! walk-ins by category and quartier, print it for paper use), and the minutes, whose points
//! become contributions that name the event.

use crate::{Card, app_error, local};
use app::events::{EventError, Point};
use askama::Template;
use axum::extract::{Form, Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use domain::On;
use storage::EventRow;
use webkit::choices::{self, Choice};
use webkit::ctx::Ctx;
use webkit::error::{AppError, AppResult};
use webkit::form::FormMap;
use webkit::state::AppState;
use webkit::view::{Errors, Layout, render, render_invalid};

/// Blank point rows on the minutes form; more after saving.
const POINT_ROWS: usize = 5;
/// Most walk-ins added in one go.
const MAX_WALK_INS: i64 = 500;

async fn allowed(state: &AppState, ctx: &Ctx, id: i64, action: On) -> AppResult<EventRow> {
    let (e, facilitator) = app::events::visible(&state.store, &ctx.subject, id)
        .await
        .map_err(app_error)?;
    let r = app::events::resource(&e, facilitator, storage::now());
    if !ctx.subject.may_on(action, r) {
        return Err(if ctx.user.is_none() {
            AppError::LoginRequired
        } else {
            AppError::Forbidden
        });
    }
    Ok(e)
}

pub struct Present {
    pub id: i64,
    pub name: String,
    pub category: String,
    pub quartier: String,
    pub attended: bool,
}

#[derive(Template)]
#[template(path = "attendance.html")]
pub struct AttendanceView {
    pub l: Layout,
    pub c: Card,
    pub people: Vec<Present>,
    pub categories: Vec<Choice>,
    pub quartiers: Vec<Choice>,
    pub present: i64,
    pub walk_ins: i64,
    pub groups: Vec<(String, String, i64)>,
    pub errs: Errors,
    pub count: String,
    pub summary: String,
}

async fn attendance_view(
    state: &AppState,
    ctx: &Ctx,
    e: &EventRow,
    errs: Errors,
    count: String,
) -> AppResult<AttendanceView> {
    let tr = &ctx.tr;
    let people = state
        .store
        .registrations(e.id)
        .await?
        .into_iter()
        .filter(|r| r.state == "confirmed")
        .map(|r| Present {
            id: r.id,
            name: r.name,
            category: r.category.unwrap_or_default(),
            quartier: r.quartier.unwrap_or_default(),
            attended: r.attended != 0,
        })
        .collect();
    let a = state.store.attendance(e.id).await?;
    Ok(AttendanceView {
        l: ctx.layout(state, tr.t1("attendance-title", "title", &e.title)),
        c: Card::new(tr, &state.tz, e),
        people,
        categories: choices::categories(state, tr, "").await?,
        quartiers: choices::quartiers(state, "").await?,
        present: a.registered_present,
        walk_ins: a.walk_ins,
        groups: a.groups,
        errs,
        count,
        summary: tr.t2(
            "attendance-summary",
            ("present", a.registered_present),
            ("walkins", a.walk_ins),
        ),
    })
}

pub async fn attendance_page(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let ctx = local(ctx);
    let e = allowed(&state, &ctx, id, On::TakeAttendance).await?;
    let page = attendance_view(&state, &ctx, &e, Errors::none(), "1".into()).await?;
    Ok(render(&page))
}

pub async fn attendance_save(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(form): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let ctx = local(ctx);
    let e = allowed(&state, &ctx, id, On::TakeAttendance).await?;
    let f = FormMap(form);
    let present: Vec<i64> = f
        .all("present")
        .iter()
        .filter_map(|s| s.parse().ok())
        .collect();
    let raw = f.get("walk_in_count").trim();
    let n = if raw.is_empty() {
        Some(0)
    } else {
        raw.parse::<i64>()
            .ok()
            .filter(|n| (0..=MAX_WALK_INS).contains(n))
    };
    let Some(n) = n else {
        let mut fe = domain::FieldErrors::default();
        fe.add("walk_in_count", "attendance-error-count");
        let mut page = attendance_view(
            &state,
            &ctx,
            &e,
            Errors::from(&ctx.tr, &fe),
            raw.to_string(),
        )
        .await?;
        page.l.has_errors = true;
        return Ok(render_invalid(&page));
    };
    // Walk-ins are added only when the person taking attendance asked for it.
    let n = if f.has("add_walk_ins") { n } else { 0 };
    let group = (
        crate::id_of(f.get("walk_in_category")),
        crate::id_of(f.get("walk_in_quartier")),
    );
    let walk_ins = vec![group; n as usize];
    match app::events::take_attendance(&state.store, &ctx.subject, id, &present, &walk_ins).await {
        Ok(()) => Ok(Redirect::to(&format!("/evenements/{id}/presence?ok=saved")).into_response()),
        Err(EventError::Invalid(fe)) => {
            let mut page = attendance_view(
                &state,
                &ctx,
                &e,
                Errors::from(&ctx.tr, &fe),
                raw.to_string(),
            )
            .await?;
            page.l.has_errors = true;
            Ok(render_invalid(&page))
        }
        Err(e) => Err(app_error(e)),
    }
}

pub struct PointRow {
    pub i: usize,
    pub questions: Vec<Choice>,
    pub categories: Vec<Choice>,
    pub title: String,
    pub body: String,
}

#[derive(Template)]
#[template(path = "minutes.html")]
pub struct MinutesView {
    pub l: Layout,
    pub c: Card,
    pub minutes: String,
    pub rows: Vec<PointRow>,
    pub errs: Errors,
    pub said: Vec<crate::page::Said>,
    pub added: usize,
    pub added_text: String,
}

async fn minutes_view(
    state: &AppState,
    ctx: &Ctx,
    e: &EventRow,
    minutes: String,
    typed: Vec<(String, String, String, String)>,
    errs: Errors,
    added: usize,
) -> AppResult<MinutesView> {
    let tr = &ctx.tr;
    let default_q = e.question_id.map(|q| q.to_string()).unwrap_or_default();
    let mut rows = Vec::new();
    let n = typed.len().max(POINT_ROWS);
    for i in 0..n {
        let (q, cat, title, body) = typed.get(i).cloned().unwrap_or_else(|| {
            (
                default_q.clone(),
                String::new(),
                String::new(),
                String::new(),
            )
        });
        rows.push(PointRow {
            i,
            questions: choices::questions(state, e.debate_id, &q).await?,
            categories: choices::categories(state, tr, &cat).await?,
            title,
            body,
        });
    }
    let ids = state.store.event_contribution_ids(e.id).await?;
    let said = state
        .store
        .contributions_by_ids(&ids)
        .await?
        .into_iter()
        .map(|c| crate::page::Said {
            id: c.id,
            title: c.title,
            question: c.question,
        })
        .collect();
    Ok(MinutesView {
        l: ctx.layout(state, tr.t1("minutes-title", "title", &e.title)),
        c: Card::new(tr, &state.tz, e),
        minutes,
        rows,
        errs,
        said,
        added,
        added_text: tr.count("minutes-added", added as i64),
    })
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct AddedQuery {
    pub ajoutes: String,
}

pub async fn minutes_page(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    axum::extract::Query(q): axum::extract::Query<AddedQuery>,
) -> AppResult<Response> {
    let ctx = local(ctx);
    let e = allowed(&state, &ctx, id, On::WriteMinutes).await?;
    let added = q.ajoutes.parse::<usize>().unwrap_or(0);
    let minutes = e.minutes.clone();
    let page = minutes_view(&state, &ctx, &e, minutes, Vec::new(), Errors::none(), added).await?;
    Ok(render(&page))
}

pub async fn minutes_save(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(form): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let ctx = local(ctx);
    let e = allowed(&state, &ctx, id, On::WriteMinutes).await?;
    let f = FormMap(form);
    let mut typed = Vec::new();
    let mut points = Vec::new();
    // Rows are numbered; an empty row (no title, no text) is skipped.
    for i in 0..app::contributions::MAX_BULK {
        let key = |k: &str| format!("point-{i}-{k}");
        if !f.has(&key("title")) && !f.has(&key("body")) {
            break;
        }
        let row = (
            f.get(&key("question")).to_string(),
            f.get(&key("category")).to_string(),
            f.get(&key("title")).to_string(),
            f.get(&key("body")).to_string(),
        );
        typed.push(row.clone());
        if row.2.trim().is_empty() && row.3.trim().is_empty() {
            continue;
        }
        points.push((
            i,
            Point {
                question_id: row.0.parse().unwrap_or(0),
                title: row.2,
                body: row.3,
                category_id: row.1.parse().ok().filter(|c: &i64| *c > 0),
            },
        ));
    }
    let minutes = f.get("minutes").to_string();
    let only: Vec<Point> = points.iter().map(|(_, p)| p.clone()).collect();
    match app::events::write_minutes(&state.store, &ctx.subject, id, &minutes, &only).await {
        Ok(ids) => Ok(Redirect::to(&format!(
            "/evenements/{id}/compte-rendu?ok=saved&ajoutes={}",
            ids.len()
        ))
        .into_response()),
        Err(EventError::Invalid(fe)) => {
            // Errors name the point by its position among the non-empty rows: put them back on
            // the row the facilitator typed.
            let mut mapped = domain::FieldErrors::default();
            for err in &fe.0 {
                let field = match err
                    .field
                    .strip_prefix("point-")
                    .and_then(|r| r.split_once('-'))
                {
                    Some((n, rest)) => match n.parse::<usize>().ok().and_then(|n| points.get(n)) {
                        Some((row, _)) => format!("point-{row}-{rest}"),
                        None => err.field.clone(),
                    },
                    None => err.field.clone(),
                };
                mapped.add(field, err.key);
            }
            let errs = Errors::from(&ctx.tr, &mapped);
            let mut page = minutes_view(&state, &ctx, &e, minutes, typed, errs, 0).await?;
            page.l.has_errors = true;
            Ok(render_invalid(&page))
        }
        Err(e) => Err(app_error(e)),
    }
}
