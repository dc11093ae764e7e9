//! Changing one's password from the profile, with the current one: the other sessions of the
//! account end and mailed reset links stop working.

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use domain::Action;
use domain::validate::FieldErrors;
use serde::Deserialize;
use webkit::ctx::Ctx;
use webkit::error::{AppError, AppResult};
use webkit::state::AppState;
use webkit::view::{Errors, Layout, render, render_invalid};

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct PasswordForm {
    pub current_password: String,
    pub password: String,
}

#[derive(Template)]
#[template(path = "password.html")]
pub struct PasswordView {
    pub l: Layout,
    pub errs: Errors,
}

pub async fn page(State(state): State<AppState>, ctx: Ctx) -> AppResult<Response> {
    ctx.require(Action::EditOwnProfile)?;
    Ok(render(&PasswordView {
        l: ctx.layout(&state, ctx.tr.t("password-title")),
        errs: Errors::none(),
    }))
}

pub async fn change(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(form): Form<PasswordForm>,
) -> AppResult<Response> {
    ctx.require(Action::EditOwnProfile)?;
    let user_id = ctx.user_id().ok_or(AppError::LoginRequired)?;
    match app::account::change_password(
        &state.store,
        user_id,
        &form.current_password,
        &form.password,
        ctx.session_token.as_deref(),
    )
    .await
    {
        Ok(()) => Ok(Redirect::to("/profil?ok=password-changed-here").into_response()),
        Err(app::account::PasswordError::Invalid(field, key)) => {
            let mut fe = FieldErrors::default();
            fe.add(field, key);
            let mut l = ctx.layout(&state, ctx.tr.t("password-title"));
            l.has_errors = true;
            Ok(render_invalid(&PasswordView {
                l,
                errs: Errors::from(&ctx.tr, &fe),
            }))
        }
        Err(app::account::PasswordError::LinkInvalid) => Err(AppError::NotFound),
        Err(app::account::PasswordError::Store(e)) => Err(e.into()),
    }
}
