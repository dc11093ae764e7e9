//! The moderators' queue: reported items grouped, oldest first, to hide (with a reason) or keep;
//! hidden items to restore; the author of an abusive item can be blocked. Guarantors read the
//! queue; every decision is in the audit log.

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use domain::Action;
use serde::Deserialize;
use storage::{Item, Target};
use webkit::ctx::Ctx;
use webkit::error::{AppError, AppResult};
use webkit::state::AppState;
use webkit::view::{Layout, excerpt, render};

pub struct ItemView {
    pub kind: &'static str,
    pub id: i64,
    pub href: String,
    pub kind_label: String,
    pub title: String,
    pub excerpt: String,
    pub author: String,
    pub author_id: i64,
    pub status: String,
    pub moderation_reason: String,
    /// Filled for reported items.
    pub reports: String,
    pub reasons: String,
    pub details: Vec<String>,
    /// The debate it belongs to.
    pub debate: String,
    /// A refused decision on this item, said next to its reason field.
    pub error: String,
    /// What the moderator typed, kept when the decision was refused.
    pub reason_typed: String,
}

#[derive(Template)]
#[template(path = "admin/moderation.html")]
pub struct QueueView {
    pub l: Layout,
    pub ok: bool,
    pub can_moderate: bool,
    pub reported: Vec<ItemView>,
    pub hidden: Vec<ItemView>,
    /// (value, label) of the preset reasons.
    pub presets: Vec<(String, String)>,
}

#[derive(Deserialize, Default)]
pub struct QueueQuery {
    #[serde(default)]
    pub ok: String,
}

fn item_view(ctx: &Ctx, debates: &[(i64, String)], t: Target, item: Item) -> ItemView {
    let tr = &ctx.tr;
    let debate = debates
        .iter()
        .find(|(id, _)| *id == item.debate_id)
        .map(|(_, t)| t.clone())
        .unwrap_or_default();
    let href = match t {
        Target::Contribution(id) => format!("/contributions/{id}"),
        Target::Comment(id) => format!("/contributions/{}#commentaire-{id}", item.contribution_id),
    };
    ItemView {
        kind: t.kind(),
        id: t.id(),
        href,
        kind_label: tr.t(&format!("moderation-kind-{}", t.kind())),
        title: item.title,
        excerpt: excerpt(&item.body, 400),
        author: item.author_name.unwrap_or_else(|| tr.t("author-none")),
        author_id: item.author_id.unwrap_or(0),
        status: tr.t(&format!("status-{}", item.status)),
        moderation_reason: item.moderation_reason,
        reports: String::new(),
        reasons: String::new(),
        details: Vec::new(),
        debate,
        error: String::new(),
        reason_typed: String::new(),
    }
}

pub async fn queue(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<QueueQuery>,
) -> AppResult<Response> {
    ctx.require(Action::ViewHidden)?;
    Ok(render(
        &queue_view(&state, &ctx, !q.ok.is_empty(), None).await?,
    ))
}

/// The queue, with a refused decision's message next to the item it was about.
async fn queue_view(
    state: &AppState,
    ctx: &Ctx,
    ok: bool,
    refused: Option<(Target, String, String)>,
) -> AppResult<QueueView> {
    let tr = &ctx.tr;
    let debates: Vec<(i64, String)> = state
        .store
        .debates(true)
        .await?
        .into_iter()
        .map(|d| (d.id, d.title))
        .collect();
    let mark = |mut v: ItemView, t: Target| {
        if let Some((rt, msg, typed)) = &refused
            && *rt == t
        {
            v.error = msg.clone();
            v.reason_typed = typed.clone();
        }
        v
    };
    let reported = state
        .store
        .moderation_queue(200)
        .await?
        .into_iter()
        .map(|g| {
            let target = g.target;
            let mut v = item_view(ctx, &debates, g.target, g.item);
            v.reports = tr.t2(
                "moderation-reports",
                ("count", g.reports),
                ("date", tr.datetime(g.first_at, &state.tz)),
            );
            v.reasons = g
                .reasons
                .iter()
                .map(|r| tr.t(&format!("report-reason-{r}")))
                .collect::<Vec<_>>()
                .join(", ");
            v.details = g.details;
            mark(v, target)
        })
        .collect();
    let hidden = state
        .store
        .hidden_items(200)
        .await?
        .into_iter()
        .map(|(t, item)| mark(item_view(ctx, &debates, t, item), t))
        .collect();
    Ok(QueueView {
        l: ctx.layout(state, tr.t("admin-moderation")),
        ok,
        can_moderate: ctx.subject.may(Action::Moderate),
        reported,
        hidden,
        presets: app::moderation::PRESET_REASONS
            .iter()
            .map(|p| (p.to_string(), tr.t(&format!("moderation-preset-{p}"))))
            .collect(),
    })
}

/// A decision taken from the queue: refused, the queue comes back with the message next to
/// the item's reason field and what was typed kept.
pub async fn decide(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(form): Form<webkit::form::ModerationForm>,
) -> AppResult<Response> {
    ctx.require(Action::Moderate)?;
    let target = form
        .id
        .trim()
        .parse::<i64>()
        .ok()
        .and_then(|id| Target::parse(&form.kind, id))
        .ok_or(AppError::BadRequest("error-malformed-form"))?;
    let reason = form.reason_text(&ctx.tr);
    match app::moderation::decide(&state.store, &ctx.subject, target, &form.decision, &reason).await
    {
        Ok(()) => Ok(Redirect::to("/admin/moderation?ok=1").into_response()),
        Err(e) => {
            let Some((key, conflict)) = e.for_field() else {
                return Err(match e {
                    app::moderation::ModerationError::NotFound => AppError::NotFound,
                    app::moderation::ModerationError::Store(e) => e.into(),
                    app::moderation::ModerationError::Decision => {
                        AppError::BadRequest("error-malformed-form")
                    }
                    _ => AppError::Forbidden,
                });
            };
            let status = if conflict {
                axum::http::StatusCode::CONFLICT
            } else {
                axum::http::StatusCode::BAD_REQUEST
            };
            let mut page = queue_view(
                &state,
                &ctx,
                false,
                Some((target, ctx.tr.t(key), form.reason.clone())),
            )
            .await?;
            page.l.has_errors = true;
            let mut res = render(&page);
            *res.status_mut() = status;
            Ok(res)
        }
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct BlockForm {
    pub user_id: String,
    pub reason: String,
}

/// Blocks the author of an abusive item. Staff accounts are the administrators' business.
pub async fn block(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(form): Form<BlockForm>,
) -> AppResult<Response> {
    ctx.require(Action::Moderate)?;
    let user_id: i64 = form
        .user_id
        .trim()
        .parse()
        .map_err(|_| AppError::BadRequest("error-malformed-form"))?;
    let reason = form.reason.trim();
    if reason.is_empty() {
        return Err(AppError::BadRequest("error-moderation-reason"));
    }
    let target = state
        .store
        .user_by_id(user_id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !state.store.roles_of(user_id).await?.is_empty() || Some(user_id) == ctx.user_id() {
        return Err(AppError::Forbidden);
    }
    if target.blocked_at.is_some() {
        return Err(AppError::Conflict("error-already-blocked"));
    }
    state.store.set_blocked(user_id, true).await?;
    state
        .store
        .audit(
            ctx.user_id(),
            "user.block",
            &format!("user:{user_id}"),
            reason,
        )
        .await?;
    Ok(Redirect::to("/admin/moderation?ok=1").into_response())
}
