//! Concorde's public REST API, `/api/v1`: JSON over the same use cases (`app`) and the same
//! policy (`Subject::may_on`) as the pages, so that nothing the pages protect is reachable here.
//! Reads are open (what a visitor sees) or widened by a token; writes need a personal access
//! token with the write scope. Errors are RFC 9457 problem documents; reads carry an `ETag` and
//! answer `304` to `If-None-Match`. The OpenAPI 3.1 document (`/api/v1/openapi.json`) is
//! generated from the handlers below, and `/api/v1` is its readable page, served by the binary.

pub mod auth;
mod body;
mod contributions;
mod debates;
mod docs;
mod events;
mod me;
pub mod problem;
mod report;
mod staff;
mod surveys;

use axum::Router;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use storage::Store;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub use problem::Problem;

/// What the API's handlers share.
#[derive(Clone)]
pub struct ApiState {
    pub store: Store,
    /// The public address, for the `url` of each resource.
    pub public_url: String,
    /// Longest individual contribution, in characters (the instance's setting).
    pub max_chars: usize,
    /// The instance's key, from which registration links are derived.
    pub key: Vec<u8>,
    /// The limits on abuse (the same as the pages').
    pub limits: domain::limits::Limits,
    /// Behind a trusted proxy: the caller's address is the last `X-Forwarded-For` entry.
    pub trust_forwarded_for: bool,
}

impl ApiState {
    /// Counts these against the limits on abuse; over one, a 429 problem with `Retry-After`.
    pub async fn limit(&self, counts: &[domain::limits::Count]) -> Result<(), Problem> {
        match self.store.limit(&self.limits, counts).await? {
            None => Ok(()),
            Some(wait) => Err(Problem::rate_limited(wait)),
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.public_url.trim_end_matches('/'))
    }
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Concorde API",
        description = "Debates, contributions and their discussion, events and their registration, surveys and their results, open data and, for staff, analyses and the audit log. Reads without a token see what a visitor sees; a personal access token (created on the profile page) sees what its owner sees, and with the write scope contributes, comments, supports and reports. Errors are RFC 9457 problem documents.",
        license(name = "AGPL-3.0-or-later")
    ),
    modifiers(&BearerAuth),
    tags(
        (name = "debates", description = "Debates, their phases, questions and lists"),
        (name = "contributions", description = "Contributions, their comments, supports and reports"),
        (name = "events", description = "The agenda, events and registration"),
        (name = "report", description = "The final report as published, its coverage audit, and the city's commitments"),
        (name = "surveys", description = "Surveys, their published results, and answering"),
        (name = "staff", description = "Analyses and the audit log, for analysts and guarantors"),
        (name = "account", description = "The token's owner and what the platform holds about them")
    )
)]
struct ApiDoc;

struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "token",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some("A personal access token, `cc_…`"))
                    .build(),
            ),
        );
    }
}

fn api_router() -> OpenApiRouter<ApiState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(debates::list))
        .routes(routes!(debates::show))
        .routes(routes!(contributions::list, contributions::contribute))
        .routes(routes!(contributions::enter_offline))
        .routes(routes!(contributions::show))
        .routes(routes!(contributions::comment))
        .routes(routes!(contributions::support, contributions::unsupport))
        .routes(routes!(contributions::report))
        .routes(routes!(events::agenda))
        .routes(routes!(events::show))
        .routes(routes!(events::register))
        .routes(routes!(report::published))
        .routes(routes!(report::coverage))
        .routes(routes!(report::commitments))
        .routes(routes!(surveys::list))
        .routes(routes!(surveys::show))
        .routes(routes!(surveys::results))
        .routes(routes!(surveys::answer))
        .routes(routes!(staff::runs))
        .routes(routes!(staff::audit))
        .routes(routes!(me::data))
        .routes(routes!(me::delete))
}

/// The OpenAPI document, as served at `/api/v1/openapi.json`.
pub fn openapi() -> utoipa::openapi::OpenApi {
    let (_, mut api) = api_router().split_for_parts();
    let mut server = utoipa::openapi::Server::new("/api/v1");
    server.description = Some("This instance".into());
    api.servers = Some(vec![server]);
    api
}

/// The API's routes, to be nested at `/api/v1`.
pub fn router(state: ApiState) -> Router {
    let (router, _) = api_router().split_for_parts();
    let doc = openapi();
    let json = serde_json::to_string_pretty(&doc).unwrap_or_default();
    let page = docs::page(&doc);
    router
        .route(
            "/openapi.json",
            axum::routing::get(move || {
                let json = json.clone();
                async move { ([(header::CONTENT_TYPE, "application/json")], json) }
            }),
        )
        .route(
            "/",
            axum::routing::get(move || {
                let page = page.clone();
                async move { axum::response::Html(page) }
            }),
        )
        .fallback(|| async { Problem::not_found() })
        .with_state(state)
}

/// A JSON read with its `ETag`; `304 Not Modified` when the client already has it.
pub fn json_read<T: Serialize>(headers: &HeaderMap, value: &T) -> Response {
    use sha2::{Digest, Sha256};
    let body = match serde_json::to_vec(value) {
        Ok(b) => b,
        Err(e) => {
            tracing::error!(error = %e, "API: response not serialised");
            return Problem::internal().into_response();
        }
    };
    let digest = Sha256::digest(&body);
    let tag: String = digest.iter().take(16).map(|b| format!("{b:02x}")).collect();
    let etag = format!("\"{tag}\"");
    let matches = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.split(',')
                .map(|t| t.trim().trim_start_matches("W/"))
                .any(|t| t == etag || t == "*")
        });
    let mut res = if matches {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        ([(header::CONTENT_TYPE, "application/json")], body).into_response()
    };
    let h = res.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&etag) {
        h.insert(header::ETAG, v);
    }
    // What a token sees differs from what a visitor sees.
    h.insert(header::VARY, HeaderValue::from_static("Authorization"));
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-cache"),
    );
    res
}

/// RFC 3339, UTC.
pub(crate) fn time(t: i64) -> String {
    jiff::Timestamp::from_second(t)
        .map(|t| t.to_string())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    /// The API's contract, committed as `crates/api/openapi.json`: a change to a route, a
    /// parameter or a schema shows in review as a change to that file. After a deliberate
    /// change, regenerate it with `UPDATE_OPENAPI=1 cargo test -p concorde-api`.
    #[test]
    fn openapi_document_matches_its_snapshot() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/openapi.json");
        let now = serde_json::to_string_pretty(&super::openapi()).expect("json") + "\n";
        if std::env::var("UPDATE_OPENAPI").is_ok_and(|v| v == "1") {
            std::fs::write(path, &now).expect("write the snapshot");
        }
        let committed = std::fs::read_to_string(path).unwrap_or_default();
        assert!(
            committed == now,
            "the OpenAPI document changed: review the change, then run \
             UPDATE_OPENAPI=1 cargo test -p concorde-api to update {path}"
        );
    }

    #[test]
    fn every_route_answers_problems_and_is_versioned() {
        let doc = super::openapi();
        assert!(doc.paths.paths.len() >= 9, "{:?}", doc.paths.paths.keys());
        for (path, item) in &doc.paths.paths {
            for op in [&item.get, &item.post, &item.put, &item.delete]
                .into_iter()
                .flatten()
            {
                let codes: Vec<&String> = op.responses.responses.keys().collect();
                assert!(
                    codes.iter().any(|c| c.starts_with('4')),
                    "{path} documents no error answer"
                );
            }
        }
        let servers = doc.servers.expect("servers");
        assert_eq!(servers[0].url, "/api/v1");
    }
}
