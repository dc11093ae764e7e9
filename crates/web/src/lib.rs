//! Concorde's web front: the axum router, typed page views rendered on the server, translations,
//! sessions and CSRF, uploads and mail. Pages work without JavaScript; nothing here talks SQL.

pub mod csrf;
pub mod ctx;
pub mod error;
pub mod i18n;
pub mod markdown;
pub mod metrics;
pub mod opendata;
pub mod pages;
pub mod search_index;
pub mod settings;
pub mod state;
pub mod synthesis;
pub mod tasks;
pub mod upload;
pub mod view;

pub use settings::Settings;

/// Argon2id hash of a password, in PHC format.
pub fn hash_password(p: &str) -> String {
    password_auth::generate_hash(p)
}
pub use state::AppState;

use axum::extract::{DefaultBodyLimit, State};
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::{get, post};
use axum::{Router, middleware};
use pages::{account, admin, public};

/// Routes whose handlers read multipart bodies (and check their CSRF token themselves).
pub const UPLOAD_ROUTES: [&str; 4] = [
    "/admin/debats/{id}/image",
    "/admin/debats/{id}/documents",
    "/debats/{slug}/cahier",
    "/contributions/{id}/scan",
];

const STYLE: &str = include_str!("../static/style.css");
const FAVICON: &str = include_str!("../static/favicon.svg");
const RUN_STATUS_JS: &str = include_str!("../static/run-status.js");

pub fn router(state: AppState) -> Router {
    let upload_limit = (state
        .settings
        .max_document_mb
        .max(state.settings.max_image_mb)
        + 2)
        * 1_000_000;
    let uploads = Router::new()
        .route(
            "/admin/debats/{id}/image",
            post(admin::debates::upload_image),
        )
        .route(
            "/admin/debats/{id}/documents",
            post(admin::debates::upload_document),
        )
        .route(
            "/debats/{slug}/cahier",
            get(pages::organisations::collective_page)
                .post(pages::organisations::collective_create),
        )
        .route(
            "/contributions/{id}/scan",
            post(pages::organisations::add_scan),
        )
        .route(
            "/contributions/{id}/scans/{file}/publier",
            post(pages::organisations::publish_scan),
        )
        .layer(DefaultBodyLimit::max(upload_limit));
    Router::new()
        .route("/", get(public::home))
        .route("/debats/{slug}", get(public::debate))
        .route(
            "/debats/{slug}/contributions",
            get(pages::contributions::list),
        )
        .route("/debats/{slug}/recherche", get(pages::find::page))
        .route(
            "/debats/{slug}/contributions/flux",
            get(pages::contributions::feed),
        )
        .route(
            "/debats/{slug}/contribuer",
            get(pages::contributions::new_page).post(pages::contributions::create),
        )
        .route("/contributions/{id}", get(pages::discussion::show))
        .route(
            "/contributions/{id}/commentaires",
            post(pages::discussion::comment),
        )
        .route(
            "/contributions/{id}/suivre",
            post(pages::discussion::follow),
        )
        .route(
            "/contributions/{id}/modifier",
            get(pages::discussion::edit_page).post(pages::discussion::edit),
        )
        .route(
            "/contributions/{id}/retirer",
            post(pages::discussion::withdraw),
        )
        .route(
            "/contributions/{id}/historique",
            get(pages::discussion::history),
        )
        .route("/signaler", post(pages::discussion::report))
        .route(
            "/organisations",
            get(pages::organisations::mine).post(pages::organisations::create),
        )
        .route("/organisations/{id}", get(pages::organisations::show))
        .route(
            "/organisations/{id}/invitations",
            post(pages::organisations::invite),
        )
        .route(
            "/invitations/{token}",
            get(pages::organisations::invitation_page).post(pages::organisations::accept),
        )
        .route("/moderation", post(pages::discussion::moderate))
        .route("/admin/moderation", get(admin::moderation::queue))
        .route("/admin/moderation/bloquer", post(admin::moderation::block))
        .route(
            "/contributions/{id}/soutien",
            post(pages::contributions::support),
        )
        .route(
            "/debats/{slug}/saisie",
            get(pages::contributions::offline_page).post(pages::contributions::offline_create),
        )
        .route("/fichiers/{id}", get(public::file))
        .route("/fichiers/{id}/{name}", get(public::file_named))
        .route("/mentions-legales", get(public::legal))
        .route("/confidentialite", get(public::privacy))
        .route("/accessibilite", get(public::accessibility))
        .route(
            "/inscription",
            get(account::signup_page).post(account::signup),
        )
        .route(
            "/confirmer/{token}",
            get(account::confirm_page).post(account::confirm),
        )
        .route("/connexion", get(account::login_page).post(account::login))
        .route("/deconnexion", post(account::logout))
        .route(
            "/mot-de-passe-oublie",
            get(account::forgot_page).post(account::forgot),
        )
        .route(
            "/reinitialiser/{token}",
            get(account::reset_page).post(account::reset),
        )
        .route("/profil", get(account::profile_page).post(account::profile))
        .route(
            "/profil/jetons",
            get(pages::tokens::page).post(pages::tokens::create),
        )
        .route("/profil/jetons/{id}/revoquer", post(pages::tokens::revoke))
        .route("/debats/{slug}/donnees", get(pages::opendata::page))
        .route(
            "/debats/{slug}/donnees/{file}",
            get(pages::opendata::download),
        )
        .route("/admin", get(admin::dashboard))
        .route("/admin/journal", get(admin::audit))
        .route("/admin/taches", get(admin::jobs::page))
        .route("/admin/taches/{id}/relancer", post(admin::jobs::retry))
        .route("/admin/analyses", get(admin::analyses::index))
        .route("/admin/analyses/debat/{id}", post(admin::analyses::start))
        .route("/admin/analyses/{run}", get(admin::analyses::show))
        .route(
            "/admin/analyses/{run}/themes/{theme}",
            get(admin::analyses::theme),
        )
        .route(
            "/admin/analyses/{run}/pourquoi/{contribution}",
            get(admin::analyses::why),
        )
        .route(
            "/admin/debats",
            get(admin::debates::list).post(admin::debates::create),
        )
        .route("/admin/debats/nouveau", get(admin::debates::new_page))
        .route(
            "/admin/debats/{id}",
            get(admin::debates::edit_page).post(admin::debates::update),
        )
        .route(
            "/admin/debats/{id}/questions",
            get(admin::debates::questions_page).post(admin::debates::questions_save),
        )
        .route(
            "/admin/debats/{id}/phases",
            get(admin::debates::phases_page).post(admin::debates::phases_save),
        )
        .route(
            "/admin/debats/{id}/public",
            get(admin::debates::audience_page).post(admin::debates::audience_save),
        )
        .route(
            "/admin/debats/{id}/fichiers",
            get(admin::debates::files_page),
        )
        .route(
            "/admin/debats/{id}/documents/{file_id}/supprimer",
            post(admin::debates::delete_document),
        )
        .route("/admin/utilisateurs", get(admin::people::list))
        .route(
            "/admin/utilisateurs/{id}/roles",
            post(admin::people::save_roles),
        )
        .route(
            "/admin/listes",
            get(admin::lists::page).post(admin::lists::save),
        )
        .merge(uploads)
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
        .fallback(public::not_found)
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

async fn metrics(State(state): State<AppState>) -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/plain; version=0.0.4")],
        state.metrics.render(),
    )
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
