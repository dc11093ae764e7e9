//! Staff pages of events: the list, the form (create and edit), publishing and cancelling, the
//! registrations with the waiting list, registering someone who phoned, and the export.

use crate::{Card, app_error, local};
use app::events::{EventError, Placement, Registration};
use askama::Template;
use axum::extract::{Form, Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use domain::{Action, Role};
use serde::Deserialize;
use storage::EventRow;
use webkit::choices::{self, Choice};
use webkit::ctx::Ctx;
use webkit::error::{AppError, AppResult};
use webkit::form::FormMap;
use webkit::state::AppState;
use webkit::view::{Errors, Layout, render, render_invalid};

#[derive(Template)]
#[template(path = "staff_list.html")]
pub struct ListView {
    pub l: Layout,
    pub debates: Vec<(i64, String)>,
    pub cards: Vec<Card>,
}

pub async fn list(State(state): State<AppState>, ctx: Ctx) -> AppResult<Response> {
    let ctx = local(ctx);
    ctx.require(Action::ManageEvents)?;
    let debates = state.store.debates(true).await?;
    let mut cards = Vec::new();
    for d in &debates {
        for e in state.store.debate_events(d.id, true).await? {
            cards.push(Card::new(&ctx.tr, &state.tz, &e));
        }
    }
    let view = ListView {
        l: ctx.layout(&state, ctx.tr.t("staff-events-title")),
        debates: debates.iter().map(|d| (d.id, d.title.clone())).collect(),
        cards,
    };
    Ok(render(&view))
}

pub struct Check {
    pub value: String,
    pub label: String,
    pub checked: bool,
}

#[derive(Template)]
#[template(path = "staff_form.html")]
pub struct FormView {
    pub l: Layout,
    pub heading: String,
    pub action: String,
    pub debate_id: i64,
    pub debate_title: String,
    pub v: events::EventDraft,
    pub room: String,
    pub errs: Errors,
    pub kinds: Vec<Choice>,
    pub questions: Vec<Choice>,
    pub quartiers: Vec<Choice>,
    pub programmes: Vec<Choice>,
    pub access: Vec<Check>,
    pub facilitators: Vec<Check>,
    pub speakers: Vec<Check>,
    pub event: Option<Card>,
}

#[allow(clippy::too_many_arguments)]
async fn form_view(
    state: &AppState,
    ctx: &Ctx,
    debate_id: i64,
    event: Option<&EventRow>,
    v: events::EventDraft,
    placement: &Placement,
    errs: Errors,
) -> AppResult<FormView> {
    let tr = &ctx.tr;
    let d = state
        .store
        .debate_by_id(debate_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let access_ticked = events::Accessibility::parse(&v.accessibility).unwrap_or_default();
    let ticked = access_ticked.offered();
    let access = events::Accessibility::CODES
        .iter()
        .map(|c| Check {
            value: c.to_string(),
            label: tr.t(&format!("event-access-{c}")),
            checked: ticked.contains(c),
        })
        .collect();
    let facilitators = state
        .store
        .users_with_role(Role::Facilitator)
        .await?
        .into_iter()
        .map(|(id, name)| Check {
            value: id.to_string(),
            label: name,
            checked: placement.facilitators.contains(&id),
        })
        .collect();
    let speakers = state
        .store
        .debate_speakers(debate_id)
        .await?
        .into_iter()
        .map(|(s, programme)| Check {
            value: s.id.to_string(),
            label: format!("{} ({programme})", s.name),
            checked: placement.speakers.contains(&s.id),
        })
        .collect();
    let kinds = events::EventKind::ALL
        .iter()
        .map(|k| {
            Choice::new(
                k.as_str(),
                tr.t(&format!("event-kind-{}", k.as_str())),
                &v.kind,
            )
        })
        .collect();
    let q = placement
        .question_id
        .map(|i| i.to_string())
        .unwrap_or_default();
    let pr = placement
        .programme_id
        .map(|i| i.to_string())
        .unwrap_or_default();
    let programmes = state
        .store
        .debate_programmes(debate_id)
        .await?
        .into_iter()
        .map(|p| Choice::new(p.id, p.title, &pr))
        .collect();
    let (heading, action) = match event {
        Some(e) => (
            tr.t1("staff-event-edit", "title", &e.title),
            format!("/admin/evenements/{}", e.id),
        ),
        None => (
            tr.t("staff-event-new"),
            format!("/admin/evenements?debat={debate_id}"),
        ),
    };
    Ok(FormView {
        l: ctx.layout(state, heading.clone()),
        heading,
        action,
        debate_id,
        debate_title: d.title,
        room: placement.room.clone(),
        errs,
        kinds,
        questions: choices::questions(state, debate_id, &q).await?,
        quartiers: choices::quartiers(state, &v.quartier).await?,
        programmes,
        access,
        facilitators,
        speakers,
        event: event.map(|e| Card::new(tr, &state.tz, e)),
        v,
    })
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct DebateQuery {
    pub debat: String,
}

pub async fn new_page(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<DebateQuery>,
) -> AppResult<Response> {
    let ctx = local(ctx);
    ctx.require(Action::ManageEvents)?;
    let Some(debate_id) = q.debat.parse::<i64>().ok() else {
        return Ok(Redirect::to("/admin/evenements").into_response());
    };
    let v = events::EventDraft {
        reminder_hours: events::draft::DEFAULT_REMINDER_HOURS.to_string(),
        kind: "workshop".into(),
        ..Default::default()
    };
    let page = form_view(
        &state,
        &ctx,
        debate_id,
        None,
        v,
        &Placement::default(),
        Errors::none(),
    )
    .await?;
    Ok(render(&page))
}

/// The form as typed: the event's own fields, and where it belongs.
fn read_form(f: &FormMap, debate_id: i64) -> (events::EventDraft, Placement) {
    let draft = events::EventDraft {
        title: f.get("title").into(),
        description: f.get("description").into(),
        kind: f.get("kind").into(),
        quartier: f.get("quartier").into(),
        address: f.get("address").into(),
        access_notes: f.get("access_notes").into(),
        accessibility: f.all("accessibility").join(","),
        starts_at: f.get("starts_at").into(),
        ends_at: f.get("ends_at").into(),
        online_link: f.get("online_link").into(),
        capacity: f.get("capacity").into(),
        registration_opens: f.get("registration_opens").into(),
        registration_closes: f.get("registration_closes").into(),
        reminder_hours: f.get("reminder_hours").into(),
        reminder_text: f.get("reminder_text").into(),
    };
    let placement = Placement {
        debate_id,
        programme_id: f.get("programme").parse().ok().filter(|i: &i64| *i > 0),
        question_id: f.get("question").parse().ok().filter(|i: &i64| *i > 0),
        room: f.get("room").into(),
        facilitators: f
            .all("facilitators")
            .iter()
            .filter_map(|s| s.parse().ok())
            .collect(),
        speakers: f
            .all("speakers")
            .iter()
            .filter_map(|s| s.parse().ok())
            .collect(),
    };
    (draft, placement)
}

pub async fn create(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<DebateQuery>,
    Form(form): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let ctx = local(ctx);
    ctx.require(Action::ManageEvents)?;
    let debate_id = q.debat.parse::<i64>().map_err(|_| AppError::NotFound)?;
    let (draft, placement) = read_form(&FormMap(form), debate_id);
    match app::events::create(&state.store, &ctx.subject, &state.tz, &draft, &placement).await {
        Ok(id) => Ok(Redirect::to(&format!("/admin/evenements/{id}?ok=created")).into_response()),
        Err(EventError::Invalid(fe)) => {
            let errs = Errors::from(&ctx.tr, &fe);
            let mut page =
                form_view(&state, &ctx, debate_id, None, draft, &placement, errs).await?;
            page.l.has_errors = true;
            Ok(render_invalid(&page))
        }
        Err(e) => Err(app_error(e)),
    }
}

async fn managed(state: &AppState, ctx: &Ctx, id: i64) -> AppResult<EventRow> {
    ctx.require(Action::ManageEvents)?;
    let (e, _) = app::events::visible(&state.store, &ctx.subject, id)
        .await
        .map_err(app_error)?;
    Ok(e)
}

fn placement_of(e: &EventRow, facilitators: Vec<i64>, speakers: Vec<i64>) -> Placement {
    Placement {
        debate_id: e.debate_id,
        programme_id: e.programme_id,
        question_id: e.question_id,
        room: e.room.clone(),
        facilitators,
        speakers,
    }
}

fn draft_of(state: &AppState, e: &EventRow) -> events::EventDraft {
    let local = |s: i64| {
        jiff::Timestamp::from_second(s)
            .map(|t| events::local_time::format_datetime_local(t, &state.tz))
            .unwrap_or_default()
    };
    events::EventDraft {
        title: e.title.clone(),
        description: e.description.clone(),
        kind: e.kind.clone(),
        quartier: e.quartier_id.map(|i| i.to_string()).unwrap_or_default(),
        address: e.address.clone(),
        access_notes: e.access_notes.clone(),
        accessibility: e.accessibility.clone(),
        starts_at: local(e.starts_at),
        ends_at: local(e.ends_at),
        online_link: e.online_link.clone(),
        capacity: e.capacity.map(|c| c.to_string()).unwrap_or_default(),
        registration_opens: e.registration_opens.map(local).unwrap_or_default(),
        registration_closes: e.registration_closes.map(local).unwrap_or_default(),
        reminder_hours: e.reminder_hours.to_string(),
        reminder_text: e.reminder_text.clone(),
    }
}

pub async fn edit_page(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let ctx = local(ctx);
    let e = managed(&state, &ctx, id).await?;
    let facilitators = state
        .store
        .event_facilitators(id)
        .await?
        .into_iter()
        .map(|(i, _)| i)
        .collect();
    let speakers = state.store.event_speaker_ids(id).await?;
    let placement = placement_of(&e, facilitators, speakers);
    let draft = draft_of(&state, &e);
    let page = form_view(
        &state,
        &ctx,
        e.debate_id,
        Some(&e),
        draft,
        &placement,
        Errors::none(),
    )
    .await?;
    Ok(render(&page))
}

pub async fn update(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(form): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let ctx = local(ctx);
    let e = managed(&state, &ctx, id).await?;
    let (draft, placement) = read_form(&FormMap(form), e.debate_id);
    match app::events::update(
        &state.store,
        &ctx.subject,
        &state.tz,
        id,
        &draft,
        &placement,
    )
    .await
    {
        Ok(()) => Ok(Redirect::to(&format!("/admin/evenements/{id}?ok=saved")).into_response()),
        Err(EventError::Invalid(fe)) => {
            let errs = Errors::from(&ctx.tr, &fe);
            let mut page =
                form_view(&state, &ctx, e.debate_id, Some(&e), draft, &placement, errs).await?;
            page.l.has_errors = true;
            Ok(render_invalid(&page))
        }
        Err(e) => Err(app_error(e)),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct PublishForm {
    pub published: String,
}

pub async fn publish(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(f): Form<PublishForm>,
) -> AppResult<Response> {
    let on = f.published == "1";
    app::events::publish(&state.store, &ctx.subject, id, on)
        .await
        .map_err(app_error)?;
    let ok = if on { "published" } else { "saved" };
    Ok(Redirect::to(&format!("/admin/evenements/{id}?ok={ok}")).into_response())
}

pub async fn cancel(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    app::events::cancel(&state.store, &ctx.subject, id)
        .await
        .map_err(app_error)?;
    Ok(Redirect::to(&format!("/admin/evenements/{id}?ok=saved")).into_response())
}

pub struct RegRow {
    pub id: i64,
    pub name: String,
    pub contact: String,
    pub state: String,
    pub state_code: String,
    pub category: String,
    pub quartier: String,
    pub when: String,
    pub by_phone: bool,
}

#[derive(Template)]
#[template(path = "staff_registrations.html")]
pub struct RegistrationsView {
    pub l: Layout,
    pub c: Card,
    pub rows: Vec<RegRow>,
    pub form: crate::page::RegisterForm,
    pub errs: Errors,
    pub categories: Vec<Choice>,
    pub quartiers: Vec<Choice>,
    pub result: String,
}

async fn registrations_view(
    state: &AppState,
    ctx: &Ctx,
    e: &EventRow,
    form: crate::page::RegisterForm,
    errs: Errors,
    result: String,
) -> AppResult<RegistrationsView> {
    let tr = &ctx.tr;
    let rows = state
        .store
        .registrations(e.id)
        .await?
        .into_iter()
        .map(|r| RegRow {
            id: r.id,
            contact: [r.email.as_str(), r.phone.as_str()]
                .iter()
                .filter(|s| !s.is_empty())
                .copied()
                .collect::<Vec<_>>()
                .join(" · "),
            name: r.name,
            state: tr.t(&format!("registration-state-{}", r.state)),
            state_code: r.state,
            category: r.category.unwrap_or_default(),
            quartier: r.quartier.unwrap_or_default(),
            when: tr.datetime(r.created_at, &state.tz),
            by_phone: r.entered_by.is_some(),
        })
        .collect();
    Ok(RegistrationsView {
        l: ctx.layout(state, tr.t1("staff-registrations-title", "title", &e.title)),
        c: Card::new(tr, &state.tz, e),
        rows,
        categories: choices::categories(state, tr, &form.category).await?,
        quartiers: choices::quartiers(state, &form.quartier).await?,
        form,
        errs,
        result,
    })
}

pub async fn registrations(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let ctx = local(ctx);
    let e = managed(&state, &ctx, id).await?;
    let page = registrations_view(
        &state,
        &ctx,
        &e,
        Default::default(),
        Errors::none(),
        String::new(),
    )
    .await?;
    Ok(render(&page))
}

/// Someone phoned: staff type their name and number (or address), and they get a place or a
/// position on the waiting list like anyone else.
pub async fn register_by_phone(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(form): Form<crate::page::RegisterForm>,
) -> AppResult<Response> {
    let ctx = local(ctx);
    let e = managed(&state, &ctx, id).await?;
    let r = Registration {
        contact: events::ContactDraft {
            name: form.name.clone(),
            email: form.email.clone(),
            phone: form.phone.clone(),
        },
        category_id: crate::id_of(&form.category),
        quartier_id: crate::id_of(&form.quartier),
        on_behalf: true,
    };
    let outcome = app::events::register(&state.store, &ctx.subject, &state.csrf_key, id, &r).await;
    let mut fe = domain::FieldErrors::default();
    match outcome {
        Ok(done) => {
            let result = match done.placed {
                storage::Placed::Confirmed => ctx.tr.t1("staff-registered", "name", &form.name),
                storage::Placed::Waiting(n) => ctx.tr.t2(
                    "staff-registered-waiting",
                    ("name", &form.name),
                    ("position", n),
                ),
            };
            let e = managed(&state, &ctx, id).await?;
            let page =
                registrations_view(&state, &ctx, &e, Default::default(), Errors::none(), result)
                    .await?;
            return Ok(render(&page));
        }
        Err(EventError::Invalid(errors)) => fe = errors,
        Err(EventError::AlreadyRegistered) => fe.add("email", "registration-error-already"),
        Err(EventError::Refused(key)) => fe.add("name", key),
        Err(e) => return Err(app_error(e)),
    }
    let errs = Errors::from(&ctx.tr, &fe);
    let mut page = registrations_view(&state, &ctx, &e, form, errs, String::new()).await?;
    page.l.has_errors = true;
    Ok(render_invalid(&page))
}

pub async fn cancel_registration(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let r = state
        .store
        .registration(id)
        .await?
        .ok_or(AppError::NotFound)?;
    app::events::cancel_registration_by_staff(&state.store, &ctx.subject, id)
        .await
        .map_err(app_error)?;
    Ok(Redirect::to(&format!(
        "/admin/evenements/{}/inscriptions?ok=saved",
        r.event_id
    ))
    .into_response())
}

const EXPORT_COLUMNS: [&str; 9] = [
    "id",
    "state",
    "name",
    "email",
    "phone",
    "category",
    "quartier",
    "attended",
    "registered_at",
];

fn export_cells(r: storage::RegistrationRow) -> [String; 9] {
    [
        r.id.to_string(),
        r.state,
        r.name,
        r.email,
        r.phone,
        r.category.unwrap_or_default(),
        r.quartier.unwrap_or_default(),
        r.attended.to_string(),
        jiff::Timestamp::from_second(r.created_at)
            .map(|t| t.to_string())
            .unwrap_or_default(),
    ]
}

fn xlsx(rows: Vec<storage::RegistrationRow>) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let bold = rust_xlsxwriter::Format::new().set_bold();
    let sheet = book.add_worksheet();
    sheet.set_name("inscriptions")?;
    for (c, name) in EXPORT_COLUMNS.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, *name, &bold)?;
    }
    for (i, r) in rows.into_iter().enumerate() {
        for (c, v) in export_cells(r).iter().enumerate() {
            // Text cells: a name beginning with = stays a name, never a formula.
            sheet.write_string(i as u32 + 1, c as u16, v)?;
        }
    }
    book.save_to_buffer()
}

/// The registrations as CSV (UTF-8 with a BOM, for spreadsheets) or XLSX; each export is in the
/// audit log.
pub async fn export_csv(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    export(&state, &ctx, id, "csv").await
}

pub async fn export_xlsx(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    export(&state, &ctx, id, "xlsx").await
}

async fn export(state: &AppState, ctx: &Ctx, id: i64, format: &str) -> AppResult<Response> {
    let rows = app::events::registrations_for_export(&state.store, &ctx.subject, id)
        .await
        .map_err(app_error)?;
    let (content_type, body) = if format == "xlsx" {
        let bytes = tokio::task::spawn_blocking(move || xlsx(rows))
            .await
            .map_err(|e| AppError::Internal(e.to_string()))?
            .map_err(|e| AppError::Internal(e.to_string()))?;
        (
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            bytes,
        )
    } else {
        let mut out = String::from("\u{feff}");
        out.push_str(&webkit::csv::line(&EXPORT_COLUMNS));
        for r in rows {
            out.push_str(&webkit::csv::line(&export_cells(r)));
        }
        ("text/csv; charset=utf-8", out.into_bytes())
    };
    Ok((
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"inscriptions-{id}.{format}\""),
            ),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
        body,
    )
        .into_response())
}
