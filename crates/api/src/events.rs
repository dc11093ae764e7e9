//! Events: the agenda (across debates or of one), an event, and registering for it with a
//! token (the same use case as the page: waiting list, confirmation mail with its link).

use crate::auth::Caller;
use crate::problem::{ApiResult, Problem};
use crate::{ApiState, json_read, time};
use app::events::{EventError, Registration};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use storage::{AgendaFilter, EventRow, Placed};
use utoipa::{IntoParams, ToSchema};

#[derive(Serialize, ToSchema)]
pub struct EventOut {
    pub id: i64,
    pub debate: String,
    /// workshop, mediation, conference, round_table, session_workshop
    pub kind: String,
    pub title: String,
    pub description_markdown: String,
    pub starts_at: String,
    pub ends_at: String,
    pub address: String,
    pub room: String,
    pub access_notes: String,
    /// step_free, hearing_loop, childcare, interpreting
    pub accessibility: Vec<String>,
    pub online_link: String,
    pub quartier: Option<String>,
    pub question_id: Option<i64>,
    /// scheduled, changed, cancelled or held
    pub status: String,
    /// `null`: no limit.
    pub capacity: Option<i64>,
    /// Places left now (`null`: no limit); never below 0.
    pub places_left: Option<i64>,
    pub waiting: i64,
    /// Why registering is refused now, if it is (`registration-refused-…`).
    pub registration_refused: Option<String>,
    /// Raised on every change (the calendars' SEQUENCE).
    pub sequence: i64,
    pub url: String,
    pub calendar: String,
}

#[derive(Serialize, ToSchema)]
pub struct EventList {
    pub items: Vec<EventOut>,
    /// The next page's offset, if there is one.
    pub next_offset: Option<i64>,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AgendaParams {
    /// A debate's slug; all debates if absent.
    pub debate: Option<String>,
    /// A quartier's id.
    pub quartier: Option<i64>,
    pub kind: Option<String>,
    /// `true` for events that have ended, newest first.
    pub past: Option<bool>,
    /// 1 to 100 (default 30).
    pub limit: Option<i64>,
    pub offset: Option<i64>,
}

fn out(state: &ApiState, e: &EventRow) -> EventOut {
    let now = storage::now();
    EventOut {
        id: e.id,
        debate: e.debate_slug.clone(),
        kind: e.kind.clone(),
        title: e.title.clone(),
        description_markdown: e.description.clone(),
        starts_at: time(e.starts_at),
        ends_at: time(e.ends_at),
        address: e.address.clone(),
        room: e.room.clone(),
        access_notes: e.access_notes.clone(),
        accessibility: e
            .accessibility
            .split(',')
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect(),
        online_link: e.online_link.clone(),
        quartier: e.quartier.clone(),
        question_id: e.question_id,
        status: e.status.clone(),
        capacity: e.capacity,
        places_left: e.capacity.map(|c| (c - e.confirmed).max(0)),
        waiting: e.waiting,
        registration_refused: app::events::registration_refusal(e, now).map(str::to_string),
        sequence: e.sequence,
        url: state.url(&format!("/evenements/{}", e.id)),
        calendar: state.url(&format!("/evenements/{}/calendrier.ics", e.id)),
    }
}

/// The agenda: upcoming events soonest first (or past ones), of published debates.
#[utoipa::path(get, path = "/events", tag = "events", params(AgendaParams),
    responses((status = 200, body = EventList), (status = 401, body = Problem), (status = 404, body = Problem),
        (status = 422, body = Problem)),
    security((), ("token" = [])))]
pub async fn agenda(
    State(state): State<ApiState>,
    caller: Caller,
    headers: HeaderMap,
    Query(p): Query<AgendaParams>,
) -> ApiResult<Response> {
    let limit = p.limit.unwrap_or(30);
    if !(1..=100).contains(&limit) {
        return Err(Problem::invalid("limit", "between 1 and 100"));
    }
    let offset = p.offset.unwrap_or(0);
    if !(0..=1_000_000).contains(&offset) {
        return Err(Problem::invalid("offset", "between 0 and 1000000"));
    }
    let kind = match p.kind.as_deref() {
        None => String::new(),
        Some(k) => events::EventKind::parse(k)
            .ok_or_else(|| Problem::invalid("kind", "not a kind of event"))?
            .as_str()
            .to_string(),
    };
    let debate_id = match p.debate.as_deref() {
        None => 0,
        Some(slug) => crate::debates::visible(&state, &caller, slug).await?.id,
    };
    let filter = AgendaFilter {
        debate_id,
        quartier_id: p.quartier.unwrap_or(0),
        kind,
        past: p.past.unwrap_or(false),
        now: storage::now(),
        include_drafts: false,
        programme_id: None,
        limit,
        offset,
    };
    let (rows, more) = state.store.agenda(&filter).await?;
    let list = EventList {
        items: rows.iter().map(|e| out(&state, e)).collect(),
        next_offset: more.then_some(offset + limit),
    };
    Ok(json_read(&headers, &list))
}

async fn visible(state: &ApiState, caller: &Caller, id: i64) -> ApiResult<EventRow> {
    app::events::visible(&state.store, &caller.subject, id)
        .await
        .map(|(e, _)| e)
        .map_err(problem)
}

/// An event.
#[utoipa::path(get, path = "/events/{id}", tag = "events",
    params(("id" = i64, Path, description = "The event's id")),
    responses((status = 200, body = EventOut), (status = 401, body = Problem), (status = 404, body = Problem)),
    security((), ("token" = [])))]
pub async fn show(
    State(state): State<ApiState>,
    caller: Caller,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> ApiResult<Response> {
    let e = visible(&state, &caller, id).await?;
    Ok(json_read(&headers, &out(&state, &e)))
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct NewRegistration {
    /// Optional: the participant category of who registers.
    #[serde(default)]
    pub category_id: Option<i64>,
    #[serde(default)]
    pub quartier_id: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct Registered {
    pub id: i64,
    /// confirmed or waiting
    pub state: String,
    /// On the waiting list: 1 is next.
    pub position: Option<i64>,
    /// The page that shows and cancels the registration (also sent by mail).
    pub url: String,
}

fn message(key: &str) -> &'static str {
    match key {
        "registration-refused-not-published" => "the event is not published",
        "registration-refused-cancelled" => "the event is cancelled",
        "registration-refused-not-yet-open" => "registration is not open yet",
        "registration-refused-closed" => "registration is closed",
        "registration-refused-held" => "the event has taken place",
        _ => "registration is not possible",
    }
}

fn problem(e: EventError) -> Problem {
    match e {
        EventError::NotFound => Problem::not_found(),
        EventError::Forbidden => Problem::forbidden("Not allowed to register for this event."),
        EventError::LoginRequired => Problem::unauthorized(""),
        EventError::Refused(key) => Problem::conflict("registration-refused", message(key)),
        EventError::AlreadyRegistered => {
            Problem::conflict("already-registered", "This account is already registered.")
        }
        EventError::Invalid(fe) => {
            let mut p = Problem::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid",
                "Invalid input",
                "Some fields are wrong; nothing was stored.",
            );
            for f in fe.0 {
                p = p.field(&format!("/{}", f.field), f.key);
            }
            p
        }
        EventError::Store(e) => e.into(),
    }
}

/// Registers the token's owner (write scope): a place if one is left, the waiting list
/// otherwise; a confirmation mail carries the registration's link.
#[utoipa::path(post, path = "/events/{id}/registrations", tag = "events",
    params(("id" = i64, Path, description = "The event's id")),
    request_body = NewRegistration,
    responses((status = 201, body = Registered), (status = 400, body = Problem), (status = 401, body = Problem),
        (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem),
        (status = 422, body = Problem)),
    security(("token" = [])))]
pub async fn register(
    State(state): State<ApiState>,
    caller: Caller,
    Path(id): Path<i64>,
    crate::body::Body(input): crate::body::Body<NewRegistration>,
) -> ApiResult<Response> {
    caller.writer()?;
    let lists_ok = |v: Option<i64>| v.is_none_or(|i| i > 0);
    if !lists_ok(input.category_id) {
        return Err(Problem::invalid("/category_id", "not a category"));
    }
    if !lists_ok(input.quartier_id) {
        return Err(Problem::invalid("/quartier_id", "not a quartier"));
    }
    let r = Registration {
        category_id: input.category_id,
        quartier_id: input.quartier_id,
        ..Default::default()
    };
    let done = app::events::register(&state.store, &caller.subject, &state.key, id, &r)
        .await
        .map_err(problem)?;
    let (st, position) = match done.placed {
        Placed::Confirmed => ("confirmed", None),
        Placed::Waiting(n) => ("waiting", Some(n)),
    };
    Ok((
        StatusCode::CREATED,
        axum::Json(Registered {
            id: done.id,
            state: st.into(),
            position,
            url: state.url(&format!("/inscriptions/{}", done.token)),
        }),
    )
        .into_response())
}
