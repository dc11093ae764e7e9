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
}

#[derive(Template)]
#[template(path = "admin/moderation.html")]
pub struct QueueView {
    pub l: Layout,
    pub ok: bool,
    pub can_moderate: bool,
    pub reported: Vec<ItemView>,
    pub hidden: Vec<ItemView>,
}

#[derive(Deserialize, Default)]
pub struct QueueQuery {
    #[serde(default)]
    pub ok: String,
}

fn item_view(ctx: &Ctx, t: Target, item: Item) -> ItemView {
    let tr = &ctx.tr;
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
    }
}

pub async fn queue(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<QueueQuery>,
) -> AppResult<Response> {
    ctx.require(Action::ViewHidden)?;
    let tr = &ctx.tr;
    let reported = state
        .store
        .moderation_queue(200)
        .await?
        .into_iter()
        .map(|g| {
            let mut v = item_view(&ctx, g.target, g.item);
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
            v
        })
        .collect();
    let hidden = state
        .store
        .hidden_items(200)
        .await?
        .into_iter()
        .map(|(t, item)| item_view(&ctx, t, item))
        .collect();
    Ok(render(&QueueView {
        l: ctx.layout(&state, tr.t("admin-moderation")),
        ok: !q.ok.is_empty(),
        can_moderate: ctx.subject.may(Action::Moderate),
        reported,
        hidden,
    }))
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
