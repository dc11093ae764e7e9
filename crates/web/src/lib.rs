//! Concorde's web front assembled: the axum router over the feature crates (`web-*`, built on
//! `webkit`), and the handlers of the jobs the pages queue. Pages work without JavaScript;
//! nothing here talks SQL.

mod event_mail;
mod moderation_mail;
pub mod tasks;

// The shared kit and the feature crates, under the paths the binary and the API use.
pub use app::synthesis;
pub use web_opendata as opendata;
pub use webkit::{
    AppState, Settings, access, choices, csrf, ctx, error, hash_password, i18n, markdown, metrics,
    search_index, settings, state, upload, view,
};
pub mod pages {
    //! Pages, one feature crate per area.
    pub use web_account::{account, tokens};
    pub use web_admin as admin;
    pub use web_contributions::{contributions, discussion, find, organisations, public};
    pub use web_opendata::pages as opendata;
}
pub use webkit::UPLOAD_ROUTES;

use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Router, middleware};
use webkit::{FAVICON, RUN_STATUS_JS, STYLE};

pub fn router(state: AppState) -> Router {
    let s = &state.settings;
    Router::new()
        .merge(web_contributions::routes(s))
        .merge(web_account::routes(s))
        .merge(web_opendata::routes(s))
        .merge(web_admin::routes(s))
        .merge(web_events::routes(s))
        .merge(web_report::routes())
        .merge(web_surveys::routes(s))
        .route(
            "/static/style.css",
            get(|| async { static_file("text/css; charset=utf-8", STYLE) }),
        )
        .route(
            "/static/run-status.js",
            get(|| async { static_file("text/javascript; charset=utf-8", RUN_STATUS_JS) }),
        )
        .route(
            "/static/favicon.svg",
            get(|| async { static_file("image/svg+xml", FAVICON) }),
        )
        .route("/healthz", get(healthz))
        .route("/metrics", get(metrics))
        .fallback(web_contributions::public::not_found)
        .layer(middleware::from_fn_with_state(
            state.clone(),
            ctx::middleware,
        ))
        .with_state(state)
}

fn static_file(content_type: &'static str, body: &'static str) -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, content_type),
            (header::CACHE_CONTROL, "public, max-age=86400"),
        ],
        body,
    )
}

async fn healthz(State(state): State<AppState>) -> impl IntoResponse {
    match state.store.ping().await {
        Ok(()) => (StatusCode::OK, "ok\n"),
        Err(e) => {
            tracing::error!(error = %e, "health check failed");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable\n")
        }
    }
}

/// Prometheus' page, for whoever holds the `metrics_token` (route names and latencies say
/// what the instance serves and how busy it is: not for everyone).
async fn metrics(State(state): State<AppState>, headers: axum::http::HeaderMap) -> Response {
    let expected = &state.settings.metrics_token;
    if expected.is_empty() {
        return (StatusCode::NOT_FOUND, "not found\n").into_response();
    }
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or("");
    if !webkit::csrf::same(given.trim(), expected) {
        return (
            StatusCode::UNAUTHORIZED,
            [(header::WWW_AUTHENTICATE, "Bearer")],
            "a bearer token is needed\n",
        )
            .into_response();
    }
    (
        [
            (header::CONTENT_TYPE, "text/plain; version=0.0.4"),
            (header::CACHE_CONTROL, "private, no-store"),
        ],
        state.metrics.render(),
    )
        .into_response()
}

/// Serves the app until `shutdown` resolves. The listener is bound by the caller, so that tests
/// can bind port 0 and read the real port.
///
/// `extra` holds routes served beside the pages but outside their session, CSRF and page
/// middleware (the REST API, which authenticates by token).
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    extra: Router,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let app = extra
        .merge(router(state))
        .into_make_service_with_connect_info::<std::net::SocketAddr>();
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await
}
