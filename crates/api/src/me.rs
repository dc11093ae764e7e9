//! The token's owner: what the platform holds about them (their access request, as in the
//! archive of "Download my data").

use crate::ApiState;
use crate::auth::Caller;
use crate::problem::{ApiResult, Problem};
use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};

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
