//! Contributions on the public side: the debate's list (filters, keyset pagination), one
//! contribution's page, and the form to write one while the contributions phase is open.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use domain::contribution::{Window, window};
use domain::validate::{self, FieldErrors};
use domain::{Action, Channel, Debate};
use serde::Deserialize;
use storage::{ContributionFilter, ContributionRow};
use webkit::access::visible_debate;
use webkit::choices::{self, Choice};
use webkit::ctx::Ctx;
use webkit::error::{AppError, AppResult};
use webkit::state::AppState;
use webkit::view::{Errors, Layout, render, render_invalid};

const PAGE: i64 = 20;

/// What the page says about the contributions window, and whether the form is open.
pub(crate) fn window_text(ctx: &Ctx, state: &AppState, w: Window) -> (bool, String) {
    let tr = ctx.tr;
    match w {
        Window::Open { until } => (
            true,
            tr.t1("contrib-open-until", "date", tr.date(until - 1, &state.tz)),
        ),
        Window::NotYet { opens } => (
            false,
            tr.t1("contrib-opens-on", "date", tr.date(opens, &state.tz)),
        ),
        Window::Closed { closed } => (
            false,
            tr.t1("contrib-closed-on", "date", tr.date(closed - 1, &state.tz)),
        ),
        Window::None => (false, tr.t("contrib-none")),
    }
}

pub struct ContributionCard {
    pub id: i64,
    pub title: String,
    pub excerpt: String,
    pub meta: String,
    pub collective: bool,
    pub channel_label: Option<String>,
    /// "3 soutiens · 2 commentaires".
    pub counts: String,
    /// "Modifiée le …", when its author edited it.
    pub edited: Option<String>,
}

pub(crate) fn meta_line(ctx: &Ctx, state: &AppState, c: &ContributionRow) -> String {
    // An imported contribution has no account; a user group keeps its public name.
    let author = c.author_name.clone().unwrap_or_else(|| {
        if c.group_name.is_empty() {
            ctx.tr.t("contrib-anonymous")
        } else {
            c.group_name.clone()
        }
    });
    // A collective contribution speaks for its organisation; its member signs it.
    let by = match &c.organisation_name {
        Some(org) => ctx
            .tr
            .t2("contrib-by-org", ("org", org), ("author", &author)),
        None => author,
    };
    let mut parts = vec![by, ctx.tr.date(c.created_at, &state.tz)];
    // The participant category is never shown next to a person: it only counts in aggregate
    // figures, as the profile promises.
    parts.extend(c.quartier.clone());
    if !c.theme.is_empty() {
        parts.push(ctx.tr.t1("contrib-theme", "theme", &c.theme));
    }
    parts.join(" · ")
}

fn card(ctx: &Ctx, state: &AppState, c: &ContributionRow) -> ContributionCard {
    ContributionCard {
        id: c.id,
        title: c.title.clone(),
        excerpt: webkit::view::excerpt(
            if c.summary.is_empty() {
                &c.body
            } else {
                &c.summary
            },
            280,
        ),
        meta: meta_line(ctx, state, c),
        collective: c.kind == "collective",
        channel_label: (c.channel != "online").then(|| ctx.tr.t(&format!("channel-{}", c.channel))),
        counts: format!(
            "{} · {}",
            ctx.tr.count(
                "card-supports",
                c.supports_count + c.imported_supports.unwrap_or(0)
            ),
            ctx.tr.count("card-comments", c.comments_count)
        ),
        edited: c.edited_at.map(|t| {
            ctx.tr
                .t1("contrib-edited-on", "date", ctx.tr.date(t, &state.tz))
        }),
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ListQuery {
    pub question: String,
    pub categorie: String,
    pub quartier: String,
    pub canal: String,
    #[serde(rename = "type")]
    pub kind: String,
    /// A theme tag (imported contributions).
    pub theme: String,
    /// recent (default), soutiens, commentaires, hasard.
    pub tri: String,
    pub apres: String,
}

/// The list's orders as the `tri` parameter names them.
const ORDERS: [&str; 4] = ["recent", "soutiens", "commentaires", "hasard"];

/// The visitor's starting point in the random order: derived from their CSRF token, so stable
/// while they browse, different from one visitor to the next, and never stored.
fn visitor_seed(ctx: &Ctx) -> i64 {
    use sha2::{Digest, Sha256};
    let d = Sha256::digest(ctx.csrf.as_bytes());
    i64::from(u32::from_be_bytes([d[0], d[1], d[2], d[3]]))
}

/// "key-id" or "key-id-1" (past the end of the random ring).
fn parse_cursor(s: &str) -> Result<Option<storage::Cursor>, AppError> {
    if s.is_empty() {
        return Ok(None);
    }
    let bad = || AppError::BadRequest("error-malformed-filter");
    let parts: Vec<&str> = s.split('-').collect();
    let (key, id, wrapped) = match parts.as_slice() {
        [k, i] => (k, i, false),
        [k, i, "1"] => (k, i, true),
        _ => return Err(bad()),
    };
    Ok(Some(storage::Cursor {
        key: key.parse().map_err(|_| bad())?,
        id: id.parse().map_err(|_| bad())?,
        wrapped,
    }))
}

/// Appends "(n)" to each choice: how many contributions it would show.
fn with_counts<K: std::hash::Hash + Eq>(
    choices: Vec<Choice>,
    counts: &std::collections::HashMap<K, i64>,
    key: impl Fn(&str) -> Option<K>,
) -> Vec<Choice> {
    choices
        .into_iter()
        .map(|mut c| {
            let n = key(&c.value)
                .and_then(|k| counts.get(&k).copied())
                .unwrap_or(0);
            c.label = format!("{} ({n})", c.label);
            c
        })
        .collect()
}

#[derive(Template)]
#[template(path = "contributions.html")]
pub struct ListView {
    pub l: Layout,
    pub slug: String,
    pub debate_title: String,
    pub total: i64,
    pub total_label: String,
    pub items: Vec<ContributionCard>,
    pub next_href: Option<String>,
    pub questions: Vec<Choice>,
    pub categories: Vec<Choice>,
    pub quartiers: Vec<Choice>,
    pub channels: Vec<Choice>,
    pub kinds: Vec<Choice>,
    /// Theme tags with their counts; empty when no contribution has one (no menu then).
    pub themes: Vec<Choice>,
    pub orders: Vec<Choice>,
    pub open: bool,
    pub window_text: String,
    /// Filters have no error of their own; the select macro wants an error list.
    pub errs_none: Errors,
    /// A filter other than the order is in use: the filters show open.
    pub filtered: bool,
}

/// Parses an id filter: empty is "any"; anything else must be a number.
fn id_filter(v: &str) -> Result<i64, AppError> {
    if v.is_empty() {
        Ok(0)
    } else {
        v.parse::<i64>()
            .map_err(|_| AppError::BadRequest("error-malformed-filter"))
    }
}

pub async fn list(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
    Query(q): Query<ListQuery>,
) -> AppResult<Response> {
    let d = visible_debate(&state, &ctx, &slug).await?;
    let channel = if q.canal.is_empty() || Channel::parse(&q.canal).is_some() {
        q.canal.clone()
    } else {
        return Err(AppError::BadRequest("error-malformed-filter"));
    };
    if !matches!(q.kind.as_str(), "" | "individual" | "collective") {
        return Err(AppError::BadRequest("error-malformed-filter"));
    }
    let filter = ContributionFilter {
        debate_id: d.id,
        question_id: id_filter(&q.question)?,
        category_id: id_filter(&q.categorie)?,
        quartier_id: id_filter(&q.quartier)?,
        channel,
        kind: q.kind.clone(),
        theme: q.theme.trim().to_string(),
    };
    let tri = if q.tri.is_empty() {
        "recent"
    } else {
        q.tri.as_str()
    };
    let order = match tri {
        "recent" => storage::ListOrder::Newest,
        "soutiens" => storage::ListOrder::MostSupported,
        "commentaires" => storage::ListOrder::MostCommented,
        "hasard" => storage::ListOrder::Random {
            seed: visitor_seed(&ctx),
        },
        _ => return Err(AppError::BadRequest("error-malformed-filter")),
    };
    let after = parse_cursor(&q.apres)?;
    let rows = state
        .store
        .list_contributions(&filter, order, after, PAGE + 1)
        .await?;
    let total = state.store.count_contributions(&filter).await?;
    let has_more = rows.len() as i64 > PAGE;
    let rows = &rows[..rows.len().min(PAGE as usize)];
    let next_href = match (has_more, rows.last()) {
        (true, Some(last)) => {
            let mut pairs: Vec<(&str, String)> = vec![
                ("question", q.question.clone()),
                ("categorie", q.categorie.clone()),
                ("quartier", q.quartier.clone()),
                ("canal", q.canal.clone()),
                ("type", q.kind.clone()),
                ("theme", q.theme.clone()),
                ("tri", q.tri.clone()),
            ];
            pairs.retain(|(_, v)| !v.is_empty());
            let c = order.cursor(last, after);
            let wrapped = if c.wrapped { "-1" } else { "" };
            pairs.push(("apres", format!("{}-{}{wrapped}", c.key, c.id)));
            Some(format!(
                "/debats/{}/contributions?{}",
                d.slug,
                serde_urlencoded::to_string(&pairs).unwrap_or_default()
            ))
        }
        _ => None,
    };
    let tr = ctx.tr;
    let facets = state.store.facets(d.id).await?;
    let id_key = |v: &str| v.parse::<i64>().ok();
    let text_key = |v: &str| Some(v.to_string());
    let questions = with_counts(
        choices::questions(&state, d.id, &q.question).await?,
        &facets.question,
        id_key,
    );
    let categories = with_counts(
        choices::categories(&state, &tr, &q.categorie).await?,
        &facets.category,
        id_key,
    );
    let quartiers = with_counts(
        choices::quartiers(&state, &q.quartier).await?,
        &facets.quartier,
        id_key,
    );
    let channels = with_counts(
        choices::channels(&tr, &Channel::ALL, &q.canal),
        &facets.channel,
        text_key,
    );
    let kinds = with_counts(choices::kinds(&tr, &q.kind), &facets.kind, text_key);
    let mut theme_names: Vec<&String> = facets.theme.keys().collect();
    theme_names.sort();
    let themes = theme_names
        .into_iter()
        .map(|t| Choice::new(t, format!("{t} ({})", facets.theme[t]), &q.theme))
        .collect();
    let orders = ORDERS
        .iter()
        .map(|o| Choice::new(o, tr.t(&format!("order-{o}")), tri))
        .collect();
    let phases = state.store.phases(d.id).await?;
    let (open, window_text) = window_text(&ctx, &state, window(&phases, storage::now()));
    let items = rows.iter().map(|c| card(&ctx, &state, c)).collect();
    let filtered = [
        &q.question,
        &q.categorie,
        &q.quartier,
        &q.canal,
        &q.kind,
        &q.theme,
    ]
    .iter()
    .any(|v| !v.trim().is_empty());
    Ok(render(&ListView {
        l: ctx.layout(&state, tr.t1("contrib-list-title", "title", &d.title)),
        total_label: tr.count("contrib-count", total),
        slug: d.slug,
        debate_title: d.title,
        total,
        items,
        next_href,
        questions,
        categories,
        quartiers,
        channels,
        kinds,
        themes,
        orders,
        open,
        window_text,
        errs_none: Errors::none(),
        filtered,
    }))
}

/// Decidim's states that have a translation (`source-state-…`); others are shown as they are.
const KNOWN_SOURCE_STATES: [&str; 4] = ["accepted", "rejected", "evaluating", "withdrawn"];

/// "Papier · reçue le 12 mars 2026 · Maison de quartier Malakoff · saisie par Camille": where a
/// contribution typed in by a facilitator came from. Never lost, shown to everyone.
pub(crate) fn provenance(ctx: &Ctx, state: &AppState, c: &ContributionRow) -> Option<String> {
    if c.channel == Channel::Online.as_str() {
        return None;
    }
    let mut parts = vec![ctx.tr.t(&format!("channel-{}", c.channel))];
    if let Some(at) = c.received_at {
        parts.push(
            ctx.tr
                .t1("provenance-received", "date", ctx.tr.date(at, &state.tz)),
        );
    }
    if !c.place.is_empty() {
        parts.push(c.place.clone());
    }
    if let Some(name) = &c.entered_by_name {
        parts.push(ctx.tr.t1("provenance-entered-by", "name", name));
    }
    // Imported from another platform: its state and answer there, its links there, as text.
    if !c.source_state.is_empty() {
        let key = format!("source-state-{}", c.source_state);
        let label = if KNOWN_SOURCE_STATES.contains(&c.source_state.as_str()) {
            ctx.tr.t(&key)
        } else {
            c.source_state.clone()
        };
        parts.push(ctx.tr.t1("provenance-source-state", "state", label));
    }
    if !c.source_answer.is_empty() {
        parts.push(
            ctx.tr
                .t1("provenance-source-answer", "answer", &c.source_answer),
        );
    }
    if !c.source_url.is_empty() {
        parts.push(c.source_url.clone());
    }
    if !c.source_links.is_empty() {
        parts.push(
            ctx.tr
                .t1("provenance-source-links", "links", &c.source_links),
        );
    }
    Some(parts.join(" · "))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ContributeForm {
    pub question_id: String,
    pub title: String,
    pub body: String,
    pub quartier_id: String,
}

#[derive(Template)]
#[template(path = "contribute.html")]
pub struct ContributeView {
    pub l: Layout,
    pub slug: String,
    pub debate_title: String,
    pub open: bool,
    pub window_text: String,
    pub signed_in: bool,
    pub may_contribute: bool,
    pub questions: Vec<Choice>,
    pub quartiers: Vec<Choice>,
    pub form: ContributeForm,
    pub errs: Errors,
    pub max_body: usize,
}

async fn contribute_view(
    state: &AppState,
    ctx: &Ctx,
    d: &Debate,
    form: ContributeForm,
    fe: &FieldErrors,
) -> AppResult<ContributeView> {
    let phases = state.store.phases(d.id).await?;
    let (open, window_text) = window_text(ctx, state, window(&phases, storage::now()));
    let questions = choices::questions(state, d.id, &form.question_id).await?;
    let quartiers = choices::quartiers(state, &form.quartier_id).await?;
    let mut l = ctx.layout(state, ctx.tr.t1("contrib-new-title", "title", &d.title));
    l.has_errors = !fe.is_empty();
    Ok(ContributeView {
        l,
        slug: d.slug.clone(),
        debate_title: d.title.clone(),
        open,
        window_text,
        signed_in: ctx.user.is_some(),
        may_contribute: ctx.subject.may(Action::Contribute),
        questions,
        quartiers,
        form,
        errs: Errors::from(&ctx.tr, fe),
        max_body: state.settings.contribution_max_chars,
    })
}

pub async fn new_page(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
) -> AppResult<Response> {
    let d = visible_debate(&state, &ctx, &slug).await?;
    // The quartier is pre-filled from the profile.
    let quartier_id = match ctx.user_id() {
        Some(id) => state
            .store
            .user_by_id(id)
            .await?
            .and_then(|u| u.quartier_id)
            .map(|q| q.to_string())
            .unwrap_or_default(),
        None => String::new(),
    };
    let form = ContributeForm {
        quartier_id,
        ..Default::default()
    };
    Ok(render(
        &contribute_view(&state, &ctx, &d, form, &FieldErrors::default()).await?,
    ))
}

pub async fn create(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
    Form(form): Form<ContributeForm>,
) -> AppResult<Response> {
    let d = visible_debate(&state, &ctx, &slug).await?;
    ctx.require(Action::Contribute)?;
    // Ids as typed: a value that is not a number is reported like an unknown one.
    let mut fe = FieldErrors::default();
    let question_id = typed_id(
        &form.question_id,
        "question_id",
        "error-question-other-debate",
        &mut fe,
    );
    let quartier_id = typed_id(&form.quartier_id, "quartier_id", "error-invalid", &mut fe);
    let input = app::contributions::OnlineInput {
        question_id,
        title: form.title.clone(),
        body: form.body.clone(),
        quartier_id,
    };
    use app::ContributeError as E;
    webkit::limits::form(
        &state,
        &ctx,
        &mut fe,
        "title",
        &webkit::limits::mine(
            &ctx,
            domain::limits::Rule::ContributionAccount,
            domain::limits::Rule::ContributionIp,
        ),
    )
    .await?;
    let result = if fe.is_empty() {
        app::contributions::contribute(
            &state.store,
            &ctx.subject,
            &d,
            &input,
            state.settings.contribution_max_chars,
        )
        .await
    } else {
        Err(E::Invalid(FieldErrors::default()))
    };
    match result {
        Ok(id) => Ok(Redirect::to(&format!("/contributions/{id}?ok=published")).into_response()),
        Err(E::Invalid(mut errors)) => {
            errors.0.retain(|e| fe.get(&e.field).is_none());
            errors.0.extend(fe.0);
            Ok(render_invalid(
                &contribute_view(&state, &ctx, &d, form, &errors).await?,
            ))
        }
        // The form explains when contributions open or that they have closed; nothing is stored.
        Err(E::Closed(_)) => {
            let mut res =
                render(&contribute_view(&state, &ctx, &d, form, &FieldErrors::default()).await?);
            *res.status_mut() = axum::http::StatusCode::CONFLICT;
            Ok(res)
        }
        Err(E::LoginRequired) => Err(AppError::LoginRequired),
        Err(E::NotFound) => Err(AppError::NotFound),
        Err(E::Forbidden) => Err(AppError::Forbidden),
        Err(E::Store(e)) => Err(e.into()),
    }
}

/// An id typed in a form: empty is none; anything else must be a number (else `key` on `field`).
fn typed_id(v: &str, field: &str, key: &'static str, fe: &mut FieldErrors) -> Option<i64> {
    let v = v.trim();
    if v.is_empty() {
        return None;
    }
    match v.parse::<i64>() {
        Ok(id) => Some(id),
        Err(_) => {
            fe.add(field, key);
            None
        }
    }
}

// ---- contributions received offline, typed in by a facilitator ----

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct OfflineForm {
    pub question_id: String,
    pub channel: String,
    pub place: String,
    pub received_on: String,
    pub quartier_id: String,
    pub category_id: String,
    pub kind: String,
    pub title: String,
    pub body: String,
    /// "1": keep the provenance and show an empty form for the next paper.
    pub next: String,
}

/// What the next entry keeps from the one just saved (query of `/saisie`).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct OfflineNext {
    pub canal: String,
    pub lieu: String,
    pub date: String,
    pub question: String,
    pub quartier: String,
    /// The contribution just saved.
    pub saisie: String,
}

#[derive(Template)]
#[template(path = "offline.html")]
pub struct OfflineView {
    pub l: Layout,
    pub slug: String,
    pub debate_title: String,
    pub questions: Vec<Choice>,
    pub channels: Vec<Choice>,
    pub quartiers: Vec<Choice>,
    pub categories: Vec<Choice>,
    pub kinds: Vec<Choice>,
    pub form: OfflineForm,
    pub errs: Errors,
    /// The contribution just saved, when entering a pile one after another.
    pub saved: Option<i64>,
}

use app::contributions::OFFLINE_CHANNELS;

async fn offline_view(
    state: &AppState,
    ctx: &Ctx,
    d: &Debate,
    form: OfflineForm,
    fe: &FieldErrors,
) -> AppResult<OfflineView> {
    let tr = ctx.tr;
    let questions = choices::questions(state, d.id, &form.question_id).await?;
    let channels = choices::channels(&tr, &OFFLINE_CHANNELS, &form.channel);
    let quartiers = choices::quartiers(state, &form.quartier_id).await?;
    let categories = choices::categories(state, &tr, &form.category_id).await?;
    let kinds = choices::kinds(&tr, &form.kind);
    let mut l = ctx.layout(state, tr.t1("offline-title", "title", &d.title));
    l.has_errors = !fe.is_empty();
    Ok(OfflineView {
        l,
        slug: d.slug.clone(),
        debate_title: d.title.clone(),
        questions,
        channels,
        quartiers,
        categories,
        kinds,
        form,
        errs: Errors::from(&tr, fe),
        saved: None,
    })
}

pub async fn offline_page(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
    Query(next): Query<OfflineNext>,
) -> AppResult<Response> {
    ctx.require(Action::EnterOfflineContributions)?;
    let d = visible_debate(&state, &ctx, &slug).await?;
    // The provenance of a pile stays from one form to the next.
    let form = OfflineForm {
        channel: if next.canal.is_empty() {
            "paper".into()
        } else {
            next.canal.clone()
        },
        place: next.lieu.clone(),
        received_on: next.date.clone(),
        question_id: next.question.clone(),
        quartier_id: next.quartier.clone(),
        kind: "individual".into(),
        ..Default::default()
    };
    let mut page = offline_view(&state, &ctx, &d, form, &FieldErrors::default()).await?;
    page.saved = next.saisie.parse().ok();
    Ok(render(&page))
}

/// An id chosen in a list, or nothing.
fn optional_id(v: &str, ids: &[i64]) -> Result<Option<i64>, &'static str> {
    if v.is_empty() {
        return Ok(None);
    }
    v.parse::<i64>()
        .ok()
        .filter(|id| ids.contains(id))
        .map(Some)
        .ok_or("error-invalid")
}

/// A contribution's text: required, at most `max` characters, line ends normalised.
pub(crate) fn contribution_text(s: &str, max: usize) -> Result<String, &'static str> {
    app::contributions::text(s, max)
}

/// The question a form names: required, and one of this debate's.
pub(crate) async fn question_field(
    state: &AppState,
    debate_id: i64,
    v: &str,
) -> AppResult<Result<i64, &'static str>> {
    let ids: Vec<i64> = state
        .store
        .questions(debate_id)
        .await?
        .iter()
        .map(|q| q.id)
        .collect();
    Ok(match optional_id(v, &ids) {
        Ok(Some(id)) => Ok(id),
        Ok(None) => Err("error-required"),
        Err(_) => Err("error-question-other-debate"),
    })
}

/// An optional quartier of the instance's list.
pub(crate) async fn quartier_field(
    state: &AppState,
    v: &str,
) -> AppResult<Result<Option<i64>, &'static str>> {
    let ids: Vec<i64> = state
        .store
        .quartiers()
        .await?
        .iter()
        .map(|q| q.id)
        .collect();
    Ok(optional_id(v, &ids))
}

pub async fn offline_create(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
    Form(form): Form<OfflineForm>,
) -> AppResult<Response> {
    ctx.require(Action::EnterOfflineContributions)?;
    let d = visible_debate(&state, &ctx, &slug).await?;
    let mut fe = FieldErrors::default();
    let received_at = if form.received_on.trim().is_empty() {
        None
    } else {
        match validate::local_datetime(&form.received_on, &state.tz) {
            Ok(ts) => Some(ts),
            Err(k) => {
                fe.add("received_on", k);
                None
            }
        }
    };
    let input = app::contributions::OfflineInput {
        question_id: typed_id(
            &form.question_id,
            "question_id",
            "error-question-other-debate",
            &mut fe,
        ),
        channel: form.channel.clone(),
        place: form.place.clone(),
        received_at,
        quartier_id: typed_id(&form.quartier_id, "quartier_id", "error-invalid", &mut fe),
        category_id: typed_id(&form.category_id, "category_id", "error-invalid", &mut fe),
        kind: form.kind.clone(),
        title: form.title.clone(),
        body: form.body.clone(),
    };
    use app::ContributeError as E;
    let result = if fe.is_empty() {
        app::contributions::enter_offline(
            &state.store,
            &ctx.subject,
            &d,
            std::slice::from_ref(&input),
            state.settings.contribution_max_chars,
        )
        .await
    } else {
        Err(E::Invalid(FieldErrors::default()))
    };
    match result {
        Ok(ids) => {
            let id = ids.first().copied().unwrap_or(0);
            if form.next == "1" {
                let keep = serde_urlencoded::to_string([
                    ("canal", form.channel.as_str()),
                    ("lieu", form.place.as_str()),
                    ("date", form.received_on.as_str()),
                    ("question", form.question_id.as_str()),
                    ("quartier", form.quartier_id.as_str()),
                    ("saisie", id.to_string().as_str()),
                ])
                .unwrap_or_default();
                return Ok(
                    Redirect::to(&format!("/debats/{}/saisie?{keep}", d.slug)).into_response()
                );
            }
            Ok(Redirect::to(&format!("/contributions/{id}?ok=published")).into_response())
        }
        Err(E::Invalid(mut errors)) => {
            errors.0.retain(|e| fe.get(&e.field).is_none());
            errors.0.extend(fe.0);
            Ok(render_invalid(
                &offline_view(&state, &ctx, &d, form, &errors).await?,
            ))
        }
        Err(E::Closed(_)) => Err(AppError::Conflict("error-not-published")),
        Err(E::LoginRequired) => Err(AppError::LoginRequired),
        Err(E::NotFound) => Err(AppError::NotFound),
        Err(E::Forbidden) => Err(AppError::Forbidden),
        Err(E::Store(e)) => Err(e.into()),
    }
}

// ---- Atom feed ----

fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Characters XML 1.0 forbids are dropped rather than breaking the feed.
            c if (c as u32) < 0x20 && !matches!(c, '\n' | '\r' | '\t') => {}
            c => out.push(c),
        }
    }
    out
}

fn rfc3339(ts: i64) -> String {
    jiff::Timestamp::from_second(ts)
        .map(|t| t.to_string())
        .unwrap_or_default()
}

/// The 50 newest contributions of a debate as an Atom feed.
pub async fn feed(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
) -> AppResult<Response> {
    let d = visible_debate(&state, &ctx, &slug).await?;
    let filter = ContributionFilter {
        debate_id: d.id,
        ..Default::default()
    };
    let rows = state
        .store
        .list_contributions(&filter, storage::ListOrder::Newest, None, 50)
        .await?;
    let base = state.settings.public_url.trim_end_matches('/');
    let updated = rows.first().map(|c| c.created_at).unwrap_or(d.updated_at);
    let mut xml = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">\n\
         <title>{}</title>\n<id>{base}/debats/{}/contributions</id>\n\
         <link rel=\"alternate\" href=\"{base}/debats/{}/contributions\"/>\n\
         <link rel=\"self\" href=\"{base}/debats/{}/contributions/flux\"/>\n<updated>{}</updated>\n",
        xml_escape(&state.settings.content_language),
        xml_escape(&ctx.tr.t1("contrib-list-title", "title", &d.title)),
        d.slug,
        d.slug,
        d.slug,
        rfc3339(updated),
    );
    for c in &rows {
        xml.push_str(&format!(
            "<entry>\n<title>{}</title>\n<id>{base}/contributions/{}</id>\n\
             <link rel=\"alternate\" href=\"{base}/contributions/{}\"/>\n<updated>{}</updated>\n\
             <author><name>{}</name></author>\n<category term=\"{}\"/>\n<content type=\"text\">{}</content>\n</entry>\n",
            xml_escape(&c.title),
            c.id,
            c.id,
            rfc3339(c.created_at),
            xml_escape(&c.author_name.clone().unwrap_or_else(|| ctx.tr.t("contrib-anonymous"))),
            xml_escape(&c.channel),
            xml_escape(&c.body),
        ));
    }
    xml.push_str("</feed>\n");
    Ok((
        [(
            axum::http::header::CONTENT_TYPE,
            "application/atom+xml; charset=utf-8",
        )],
        xml,
    )
        .into_response())
}

// ---- supports ----

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct SupportForm {
    /// "add" or "remove": what the person meant, so that a double click does not undo it.
    pub action: String,
}

/// Gives or withdraws a support. A support given twice, or withdrawn when there was none, is a
/// 409 with the explanation on the contribution's page; nothing changes.
pub async fn support(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(form): Form<SupportForm>,
) -> AppResult<Response> {
    ctx.require(Action::Contribute)?;
    let add = match form.action.as_str() {
        "add" => true,
        "remove" => false,
        _ => return Err(AppError::BadRequest("error-malformed-form")),
    };
    use app::SupportError as E;
    let error_key = match app::discussion::support(&state.store, &ctx.subject, id, add).await {
        Ok(()) => return Ok(Redirect::to(&format!("/contributions/{id}")).into_response()),
        Err(E::LoginRequired) => return Err(AppError::LoginRequired),
        Err(E::NotFound) => return Err(AppError::NotFound),
        Err(E::Forbidden) => return Err(AppError::Forbidden),
        Err(E::Own) => return Err(AppError::Conflict("error-support-own")),
        Err(E::Store(e)) => return Err(e.into()),
        Err(E::Twice) => "error-support-twice",
        Err(E::NoSupport) => "error-support-none",
    };
    let mut res = super::discussion::show_page(
        &state,
        &ctx,
        id,
        super::discussion::Notice {
            support_error: error_key.to_string(),
            ..Default::default()
        },
    )
    .await?;
    *res.status_mut() = axum::http::StatusCode::CONFLICT;
    Ok(res)
}
