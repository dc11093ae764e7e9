//! The public side of a debate: the home page and a debate's page, the contributions list and its
//! feed, contributing online and entering offline contributions, a contribution with its
//! discussion (comments, follows, supports, reports, moderation), search, organisations and their
//! collective contributions with scans. Each handler: check the policy, call the use case, build a
//! typed view, render.

pub mod contributions;
pub mod discussion;
pub mod find;
pub mod organisations;
pub mod public;

/// This crate's routes, merged by the web front under the shared middleware.
pub fn routes(settings: &webkit::Settings) -> axum::Router<webkit::AppState> {
    use axum::routing::{get, post};
    let uploads = axum::Router::new()
        .route(
            "/debats/{slug}/cahier",
            get(organisations::collective_page).post(organisations::collective_create),
        )
        .route("/contributions/{id}/scan", post(organisations::add_scan))
        .route(
            "/contributions/{id}/scans/{file}/publier",
            post(organisations::publish_scan),
        )
        .layer(webkit::upload::body_limit(settings));
    axum::Router::new()
        .route("/", get(public::home))
        .route("/debats/{slug}", get(public::debate))
        .route("/debats/{slug}/contributions", get(contributions::list))
        .route("/debats/{slug}/recherche", get(find::page))
        .route(
            "/debats/{slug}/contributions/flux",
            get(contributions::feed),
        )
        .route(
            "/debats/{slug}/contribuer",
            get(contributions::new_page).post(contributions::create),
        )
        .route("/contributions/{id}", get(discussion::show))
        .route(
            "/contributions/{id}/commentaires",
            post(discussion::comment),
        )
        .route("/contributions/{id}/suivre", post(discussion::follow))
        .route(
            "/contributions/{id}/modifier",
            get(discussion::edit_page).post(discussion::edit),
        )
        .route("/contributions/{id}/retirer", post(discussion::withdraw))
        .route("/contributions/{id}/historique", get(discussion::history))
        .route("/signaler", post(discussion::report))
        .route(
            "/organisations",
            get(organisations::mine).post(organisations::create),
        )
        .route("/organisations/{id}", get(organisations::show))
        .route(
            "/organisations/{id}/invitations",
            post(organisations::invite),
        )
        .route(
            "/invitations/{token}",
            get(organisations::invitation_page).post(organisations::accept),
        )
        .route("/moderation", post(discussion::moderate))
        .route("/contributions/{id}/soutien", post(contributions::support))
        .route(
            "/debats/{slug}/saisie",
            get(contributions::offline_page).post(contributions::offline_create),
        )
        .route("/fichiers/{id}", get(public::file))
        .route("/fichiers/{id}/{name}", get(public::file_named))
        .route("/mentions-legales", get(public::legal))
        .route("/confidentialite", get(public::privacy))
        .route("/accessibilite", get(public::accessibility))
        .merge(uploads)
}
