//! Personal access tokens for the REST API, on the profile: create one (read or write scope,
//! shown once), see when each was last used, revoke.

use askama::Template;
use axum::extract::{Form, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use domain::Action;
use domain::limits::{Count, Rule};
use serde::Deserialize;
use webkit::ctx::Ctx;
use webkit::error::{AppError, AppResult};
use webkit::state::AppState;
use webkit::view::{Layout, render};

/// Live tokens per account: enough for a few scripts, not a way to fill the table.
pub const MAX_TOKENS: usize = 20;

pub struct TokenRow {
    pub id: i64,
    pub name: String,
    pub scope: String,
    pub created: String,
    pub used: String,
    pub revoked: bool,
}

#[derive(Template)]
#[template(path = "tokens.html")]
pub struct TokensView {
    pub l: Layout,
    pub tokens: Vec<TokenRow>,
    /// The token just created, shown this once.
    pub created: Option<String>,
    pub name: String,
    pub name_error: String,
}

async fn view(
    state: &AppState,
    ctx: &Ctx,
    user_id: i64,
    created: Option<String>,
    name: String,
    name_error: String,
) -> AppResult<TokensView> {
    let tokens = state
        .store
        .api_tokens_of(user_id)
        .await?
        .into_iter()
        .map(|t| TokenRow {
            id: t.id,
            name: t.name,
            scope: ctx.tr.t(&format!("token-scope-{}", t.scope)),
            created: ctx.tr.datetime(t.created_at, &state.tz),
            used: t
                .last_used_at
                .map(|u| ctx.tr.datetime(u, &state.tz))
                .unwrap_or_else(|| ctx.tr.t("token-never-used")),
            revoked: t.revoked_at.is_some(),
        })
        .collect();
    Ok(TokensView {
        l: ctx.layout(state, ctx.tr.t("tokens-title")),
        tokens,
        created,
        name,
        name_error,
    })
}

pub async fn page(State(state): State<AppState>, ctx: Ctx) -> AppResult<Response> {
    ctx.require(Action::EditOwnProfile)?;
    let user_id = ctx.user_id().ok_or(AppError::LoginRequired)?;
    Ok(render(
        &view(&state, &ctx, user_id, None, String::new(), String::new()).await?,
    ))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct NewToken {
    pub name: String,
    pub scope: String,
}

pub async fn create(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(form): Form<NewToken>,
) -> AppResult<Response> {
    ctx.require(Action::EditOwnProfile)?;
    let user_id = ctx.user_id().ok_or(AppError::LoginRequired)?;
    let name = form.name.trim().to_string();
    let scope = match form.scope.as_str() {
        "read" | "write" => form.scope.clone(),
        _ => return Err(AppError::BadRequest("error-malformed-form")),
    };
    let problem = if name.is_empty() {
        Some("error-required")
    } else if name.chars().count() > 80 {
        Some("error-too-long")
    } else {
        let live = state
            .store
            .api_tokens_of(user_id)
            .await?
            .iter()
            .filter(|t| t.revoked_at.is_none())
            .count();
        (live >= MAX_TOKENS).then_some("error-too-many-tokens")
    };
    if let Some(key) = problem {
        let page = view(&state, &ctx, user_id, None, name, ctx.tr.t(key)).await?;
        return Ok((StatusCode::BAD_REQUEST, render(&page)).into_response());
    }
    let counts = [Count::account(Rule::ApiTokenAccount, user_id)];
    if let Some(wait) = webkit::limits::take(&state, &ctx, &counts).await? {
        let message = ctx
            .tr
            .count("error-rate-limited", domain::limits::minutes(wait));
        let page = view(&state, &ctx, user_id, None, name, message).await?;
        return Ok((StatusCode::TOO_MANY_REQUESTS, render(&page)).into_response());
    }
    let (id, token) = state.store.create_api_token(user_id, &name, &scope).await?;
    state
        .store
        .audit(
            Some(user_id),
            "token.create",
            &format!("token:{id}"),
            &scope,
        )
        .await?;
    Ok(render(
        &view(
            &state,
            &ctx,
            user_id,
            Some(token),
            String::new(),
            String::new(),
        )
        .await?,
    ))
}

pub async fn revoke(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    ctx.require(Action::EditOwnProfile)?;
    let user_id = ctx.user_id().ok_or(AppError::LoginRequired)?;
    if !state.store.revoke_api_token(user_id, id).await? {
        return Err(AppError::NotFound);
    }
    state
        .store
        .audit(Some(user_id), "token.revoke", &format!("token:{id}"), "")
        .await?;
    Ok(Redirect::to("/profil/jetons?ok=revoked").into_response())
}
