//! "Delete my account": what happens is said first, plainly; the person chooses what becomes of
//! their contributions and types their password again.

use app::account::{DeleteError, DeletionMode};
use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use domain::Action;
use domain::validate::FieldErrors;
use serde::Deserialize;
use webkit::ctx::{Ctx, SESSION_COOKIE, set_cookie};
use webkit::error::{AppError, AppResult};
use webkit::state::AppState;
use webkit::view::{Errors, Layout, render, render_invalid};

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct DeleteForm {
    pub mode: String,
    pub password: String,
}

#[derive(Template)]
#[template(path = "delete.html")]
pub struct DeleteView {
    pub l: Layout,
    pub mode: String,
    pub errs: Errors,
    /// The choice's question, with how many contributions and comments it is about.
    pub legend: String,
}

async fn view(state: &AppState, ctx: &Ctx, mode: String, errs: Errors) -> AppResult<DeleteView> {
    let user_id = ctx.user_id().ok_or(AppError::LoginRequired)?;
    let (contributions, comments) = state.store.authored_counts(user_id).await?;
    let mut l = ctx.layout(state, ctx.tr.t("delete-title"));
    l.has_errors = !errs.is_empty();
    Ok(DeleteView {
        l,
        mode,
        errs,
        legend: ctx.tr.t2(
            "delete-mode-legend",
            ("contributions", contributions),
            ("comments", comments),
        ),
    })
}

pub async fn page(State(state): State<AppState>, ctx: Ctx) -> AppResult<Response> {
    ctx.require(Action::EditOwnProfile)?;
    Ok(render(
        &view(&state, &ctx, String::new(), Errors::none()).await?,
    ))
}

pub async fn delete(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(form): Form<DeleteForm>,
) -> AppResult<Response> {
    ctx.require(Action::EditOwnProfile)?;
    let user_id = ctx.user_id().ok_or(AppError::LoginRequired)?;
    let mode = DeletionMode::parse(&form.mode);
    match app::account::delete_account(&state.store, user_id, &form.password, mode).await {
        Ok(_) => {
            let mut res = Redirect::to("/?ok=account-deleted").into_response();
            res.headers_mut().append(
                header::SET_COOKIE,
                set_cookie(&state, SESSION_COOKIE, "", 0),
            );
            Ok(res)
        }
        Err(e @ (DeleteError::Invalid(..) | DeleteError::LastAdmin)) => {
            let mut fe = FieldErrors::default();
            match e {
                DeleteError::Invalid(field, key) => fe.add(field, key),
                _ => fe.add("mode", "error-last-admin-delete"),
            }
            let v = view(&state, &ctx, form.mode, Errors::from(&ctx.tr, &fe)).await?;
            let mut res = render_invalid(&v);
            if matches!(e, DeleteError::LastAdmin) {
                *res.status_mut() = StatusCode::CONFLICT;
            }
            Ok(res)
        }
        Err(DeleteError::Store(e)) => Err(e.into()),
    }
}
