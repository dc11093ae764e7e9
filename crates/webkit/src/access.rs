//! Which debate and which item a visitor may reach: the policy asked with the facts of the object.

use crate::ctx::Ctx;
use crate::error::AppError;
use crate::state::AppState;
use domain::{Action, Debate, DebateStatus};

/// A debate by slug that this visitor may see: drafts only for those who may read drafts.
pub async fn visible_debate(state: &AppState, ctx: &Ctx, slug: &str) -> Result<Debate, AppError> {
    visible(ctx, state.store.debate_by_slug(slug).await?)
}

/// The same by id.
pub async fn visible_debate_by_id(
    state: &AppState,
    ctx: &Ctx,
    id: i64,
) -> Result<Debate, AppError> {
    visible(ctx, state.store.debate_by_id(id).await?)
}

/// The facts the policy needs about a contribution (or a comment: its own state and author) of
/// a debate.
pub fn item_resource(status: &str, author_id: Option<i64>, debate: &Debate) -> domain::Resource {
    domain::Resource::Contribution {
        debate_published: debate.status == DebateStatus::Published,
        state: domain::ContributionState::parse(status),
        author_id,
    }
}

/// Loads the debate of an item and asks the policy; `NotFound` when the subject may not even
/// see the item (a draft debate's), `Forbidden` when it may see but not do `action`.
pub async fn authorize_item(
    state: &AppState,
    ctx: &Ctx,
    status: &str,
    author_id: Option<i64>,
    debate_id: i64,
    action: domain::On,
) -> Result<Debate, AppError> {
    let debate = state
        .store
        .debate_by_id(debate_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let r = item_resource(status, author_id, &debate);
    if !ctx.subject.may_on(domain::On::Read, r) {
        return Err(AppError::NotFound);
    }
    if !ctx.subject.may_on(action, r) {
        return Err(AppError::Forbidden);
    }
    Ok(debate)
}

/// `authorize_item` where a refusal must not tell that the item exists: `NotFound` either way.
pub async fn authorize_item_or_404(
    state: &AppState,
    ctx: &Ctx,
    status: &str,
    author_id: Option<i64>,
    debate_id: i64,
    action: domain::On,
) -> Result<Debate, AppError> {
    authorize_item(state, ctx, status, author_id, debate_id, action)
        .await
        .map_err(|e| match e {
            AppError::Forbidden => AppError::NotFound,
            e => e,
        })
}

fn visible(ctx: &Ctx, d: Option<Debate>) -> Result<Debate, AppError> {
    let d = d.ok_or(AppError::NotFound)?;
    if d.status == DebateStatus::Draft && !ctx.subject.may(Action::ViewDraftDebates) {
        return Err(AppError::NotFound);
    }
    Ok(d)
}

/// "1,2 Mo" / "1.2 MB".
pub fn human_size(tr: &crate::i18n::Tr, bytes: i64) -> String {
    let (value, unit) = if bytes >= 1_000_000 {
        (bytes as f64 / 1_000_000.0, tr.t("unit-mb"))
    } else {
        ((bytes as f64 / 1_000.0).max(0.1), tr.t("unit-kb"))
    };
    let s = format!("{value:.1}");
    let s = if tr.lang == domain::Lang::Fr {
        s.replace('.', ",")
    } else {
        s
    };
    format!("{s} {unit}")
}

/// Before a sensitive act (granting roles, deleting a debate): the session's holder typed their
/// password or a code within `reauth_minutes`, or `AppError::Reauth` sends them to do so.
pub async fn recently_verified(state: &AppState, ctx: &Ctx) -> Result<(), AppError> {
    let token = ctx
        .session_token
        .as_deref()
        .ok_or(AppError::LoginRequired)?;
    let since = storage::now() - state.settings.reauth_minutes * 60;
    match state.store.session_verified_at(token).await? {
        Some(at) if at >= since => Ok(()),
        _ => Err(AppError::Reauth),
    }
}
