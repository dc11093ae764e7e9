//! The token's owner: what the platform holds about them (their access request, as in the
//! archive of "Download my data"), and the deletion of their account.

use crate::ApiState;
use crate::auth::Caller;
use crate::body::Body;
use crate::problem::{ApiResult, Problem};
use app::account::{DeleteError, DeletionMode};
use axum::extract::State;
use axum::http::StatusCode;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use utoipa::ToSchema;

/// Everything held about the token's owner: account, profile, contributions and their versions,
/// comments, supports, follows, reports, organisations, event registrations, API tokens (names
/// only), sessions, mailed links and the audit entries about them. One array per section under
/// `data`; times in Unix seconds.
#[utoipa::path(get, path = "/me/data", tag = "account",
    responses((status = 200, description = "The access request's document", content_type = "application/json",
        body = serde_json::Value), (status = 401, body = Problem)),
    security(("token" = [])))]
pub async fn data(State(state): State<ApiState>, caller: Caller) -> ApiResult<Response> {
    let Some(user_id) = caller.user_id().filter(|_| caller.scope.is_some()) else {
        return Err(Problem::unauthorized(
            "Your data needs a personal access token, created on your profile page.",
        ));
    };
    let sections = app::account::my_data(&state.store, user_id)
        .await
        .map_err(|e| {
            tracing::error!(error = %e, "API: personal data not read");
            Problem::internal()
        })?;
    let doc = app::account::data_document(&state.public_url, &sections);
    let mut res = axum::Json(doc).into_response();
    res.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    Ok(res)
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AccountDeletion {
    /// `anonymise`: contributions and comments stay, signed "Participant·e anonyme";
    /// `withdraw`: they are withdrawn and their texts erased.
    #[serde(default)]
    pub mode: Option<String>,
    /// The account's password, typed again.
    #[serde(default)]
    pub password: String,
}

/// Deletes the token's owner's account (write scope), as "Delete my account" on the profile:
/// supports, follows, registrations (the waiting list moves up), sessions, tokens, roles and
/// memberships go; the audit log keeps the account's number only. Problems: `invalid` (422) for
/// a missing or unknown `mode`, `wrong-password` (403), `last-administrator` (409).
#[utoipa::path(delete, path = "/me", tag = "account", request_body = AccountDeletion,
    responses((status = 204, description = "The account is deleted"), (status = 401, body = Problem),
        (status = 403, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)),
    security(("token" = [])))]
pub async fn delete(
    State(state): State<ApiState>,
    caller: Caller,
    Body(input): Body<AccountDeletion>,
) -> ApiResult<StatusCode> {
    caller.writer()?;
    let Some(user_id) = caller.user_id() else {
        return Err(Problem::unauthorized(
            "Deleting an account needs its token.",
        ));
    };
    let mode = match input.mode.as_deref() {
        None | Some("") => {
            return Err(Problem::invalid(
                "mode",
                "Choose what happens to your contributions: anonymise or withdraw.",
            ));
        }
        Some(m) => DeletionMode::parse(m).ok_or_else(|| {
            Problem::invalid(
                "mode",
                format!("Unknown mode {m:?}: anonymise or withdraw."),
            )
        })?,
    };
    match app::account::delete_account(&state.store, user_id, &input.password, Some(mode)).await {
        Ok(_) => Ok(StatusCode::NO_CONTENT),
        Err(DeleteError::Invalid("password", _)) => Err(Problem::new(
            StatusCode::FORBIDDEN,
            "wrong-password",
            "Wrong password",
            "The password is not this account's; nothing was deleted.",
        )
        .field("password", "The password is not this account's.")),
        Err(DeleteError::Invalid(field, _)) => {
            Err(Problem::invalid(field, "This field is required."))
        }
        Err(DeleteError::LastAdmin) => Err(Problem::conflict(
            "last-administrator",
            "The last administrator cannot delete their account: give the role to someone else first.",
        )),
        Err(DeleteError::Store(e)) => Err(e.into()),
    }
}
