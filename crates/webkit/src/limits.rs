//! The limits on abuse as a form asks them: count this request against its rules
//! (`domain::limits`, counted by `Store::limit` in the database); when one is over, the form gets
//! a message beside `field` saying in how many minutes to retry, and the response becomes a 429
//! with `Retry-After` (the context middleware does that), the typed text kept by the handler's
//! usual re-rendering of an invalid form.

use crate::ctx::Ctx;
use crate::error::AppResult;
use crate::state::AppState;
use domain::FieldErrors;
use domain::limits::{Count, Rule};

/// The counts of an action by whoever is asking: their account (if signed in) and their address.
pub fn mine(ctx: &Ctx, account: Rule, origin: Rule) -> Vec<Count> {
    domain::limits::of(ctx.user_id(), &ctx.client_ip, account, origin)
}

/// Counts `counts`; over a limit, nothing is counted and `Some(seconds)` comes back, the
/// request being marked for a 429.
pub async fn take(state: &AppState, ctx: &Ctx, counts: &[Count]) -> AppResult<Option<i64>> {
    let wait = state.store.limit(&state.limits, counts).await?;
    if let Some(w) = wait {
        ctx.refused
            .store(w.max(1), std::sync::atomic::Ordering::Relaxed);
        tracing::info!(
            rules = ?counts.iter().map(|c| c.rule.name()).collect::<Vec<_>>(),
            ip = %ctx.client_ip,
            "refused by a rate limit"
        );
    }
    Ok(wait)
}

/// For a form: counts `counts` unless the form already has errors; over a limit, adds the
/// "retry in N minutes" message on `field`.
pub async fn form(
    state: &AppState,
    ctx: &Ctx,
    fe: &mut FieldErrors,
    field: &str,
    counts: &[Count],
) -> AppResult<()> {
    if !fe.is_empty() {
        return Ok(());
    }
    if let Some(w) = take(state, ctx, counts).await? {
        fe.add_n(field, "error-rate-limited", domain::limits::minutes(w));
    }
    Ok(())
}
