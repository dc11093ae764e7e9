//! The agenda: upcoming or past events, across debates or of one, by quartier and kind, with the
//! places left; and the same as a subscribable calendar.

use crate::{Card, ics_response, local};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use domain::{Action, Debate};
use serde::Deserialize;
use storage::AgendaFilter;
use webkit::choices::{self, Choice};
use webkit::ctx::Ctx;
use webkit::error::{AppError, AppResult};
use webkit::state::AppState;
use webkit::view::{Layout, render};

const PAGE: i64 = 30;

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct AgendaQuery {
    pub quartier: String,
    #[serde(rename = "type")]
    pub kind: String,
    /// "passes" for past events.
    pub quand: String,
    pub page: String,
}

#[derive(Template)]
#[template(path = "agenda.html")]
pub struct AgendaView {
    pub l: Layout,
    pub heading: String,
    pub debate: Option<(String, String)>,
    pub cards: Vec<Card>,
    pub quartiers: Vec<Choice>,
    pub kinds: Vec<Choice>,
    pub past: bool,
    /// The path of this agenda, for its filters and tabs.
    pub base: String,
    pub query_keep: String,
    pub prev: Option<String>,
    pub next: Option<String>,
    pub feed: String,
    pub programmes: Vec<(String, String)>,
}

async fn agenda(
    state: &AppState,
    ctx: Ctx,
    debate: Option<Debate>,
    q: AgendaQuery,
) -> AppResult<Response> {
    let ctx = local(ctx);
    let past = q.quand == "passes";
    let page: i64 = q.page.parse().unwrap_or(1).clamp(1, 10_000);
    let kind = match events::EventKind::parse(&q.kind) {
        Some(k) => k.as_str().to_string(),
        None => String::new(),
    };
    let quartier_id = q.quartier.parse::<i64>().unwrap_or(0);
    let filter = AgendaFilter {
        debate_id: debate.as_ref().map_or(0, |d| d.id),
        quartier_id,
        kind: kind.clone(),
        past,
        now: storage::now(),
        include_drafts: ctx.subject.may(Action::ManageEvents),
        programme_id: None,
        limit: PAGE,
        offset: (page - 1) * PAGE,
    };
    let (rows, more) = state.store.agenda(&filter).await?;
    let cards = rows
        .iter()
        .map(|e| Card::new(&ctx.tr, &state.tz, e))
        .collect();
    let base = match &debate {
        Some(d) => format!("/debats/{}/agenda", d.slug),
        None => "/agenda".to_string(),
    };
    let keep = |p: i64| {
        let mut pairs = vec![];
        if quartier_id != 0 {
            pairs.push(("quartier", quartier_id.to_string()));
        }
        if !kind.is_empty() {
            pairs.push(("type", kind.clone()));
        }
        if past {
            pairs.push(("quand", "passes".to_string()));
        }
        if p > 1 {
            pairs.push(("page", p.to_string()));
        }
        pairs
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("&amp;")
    };
    let link = |p: i64| format!("{base}?{}", keep(p));
    let kinds = events::EventKind::ALL
        .iter()
        .map(|k| {
            Choice::new(
                k.as_str(),
                ctx.tr.t(&format!("event-kind-{}", k.as_str())),
                &kind,
            )
        })
        .collect();
    let programmes = match &debate {
        Some(d) => state
            .store
            .debate_programmes(d.id)
            .await?
            .into_iter()
            .filter(|p| p.published != 0)
            .map(|p| (p.slug, p.title))
            .collect(),
        None => Vec::new(),
    };
    let heading = match &debate {
        Some(d) => ctx.tr.t1("agenda-of-debate", "title", &d.title),
        None => ctx.tr.t("agenda-title"),
    };
    let view = AgendaView {
        l: ctx.layout(state, heading.clone()),
        heading,
        debate: debate.as_ref().map(|d| (d.slug.clone(), d.title.clone())),
        cards,
        quartiers: choices::quartiers(state, &q.quartier).await?,
        kinds,
        past,
        query_keep: keep(1),
        prev: (page > 1).then(|| link(page - 1)),
        next: more.then(|| link(page + 1)),
        feed: format!("{base}.ics"),
        base,
        programmes,
    };
    Ok(render(&view))
}

pub async fn all(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<AgendaQuery>,
) -> AppResult<Response> {
    agenda(&state, ctx, None, q).await
}

pub async fn of_debate(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
    Query(q): Query<AgendaQuery>,
) -> AppResult<Response> {
    let d = webkit::access::visible_debate(&state, &ctx, &slug).await?;
    agenda(&state, ctx, Some(d), q).await
}

/// Published events of published debates that have not ended more than a year ago.
async fn feed(state: &AppState, debate: Option<&Debate>) -> AppResult<Response> {
    let filter = AgendaFilter {
        debate_id: debate.map_or(0, |d| d.id),
        past: false,
        now: storage::now() - 365 * 86_400,
        limit: 2_000,
        ..AgendaFilter::default()
    };
    let (rows, _) = state.store.agenda(&filter).await?;
    let events: Vec<events::IcsEvent> = rows.iter().map(|e| crate::ics_event(state, e)).collect();
    let name = match debate {
        Some(d) => format!("{} — {}", state.settings.instance_name, d.title),
        None => state.settings.instance_name.clone(),
    };
    let body = events::ics::calendar(&name, &events, &state.tz, jiff::Timestamp::now());
    Ok(ics_response(body, "agenda.ics"))
}

pub async fn feed_all(State(state): State<AppState>) -> AppResult<Response> {
    feed(&state, None).await
}

pub async fn feed_of_debate(
    State(state): State<AppState>,
    Path(slug): Path<String>,
) -> AppResult<Response> {
    let slug = slug.strip_suffix(".ics").unwrap_or(&slug);
    let d = state
        .store
        .debate_by_slug(slug)
        .await?
        .filter(|d| d.status == domain::DebateStatus::Published)
        .ok_or(AppError::NotFound)?;
    feed(&state, Some(&d)).await
}
