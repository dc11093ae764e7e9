//! Pages, one module per area. Each handler: check the policy, load, build a typed view, render.

pub mod account;
pub mod admin;
pub mod choices;
pub mod contributions;
pub mod discussion;
pub mod find;
pub mod opendata;
pub mod organisations;
pub mod public;

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
