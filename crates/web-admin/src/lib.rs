//! The staff area: debates, people and roles, the instance's lists, the audit log.

pub mod analyses;
pub mod debates;
pub mod jobs;
pub mod journal;
pub mod lists;
pub mod moderation;
pub mod people;

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use domain::Action;
use webkit::ctx::Ctx;
use webkit::error::AppResult;
use webkit::state::AppState;
use webkit::view::{Layout, render};

pub use webkit::form::FormMap;

pub struct Tile {
    pub href: &'static str,
    pub label: String,
    pub text: String,
    /// Links listed under the tile (the offline entry of each published debate).
    pub links: Vec<(String, String)>,
}

#[derive(Template)]
#[template(path = "admin/dashboard.html")]
pub struct DashboardView {
    pub l: Layout,
    pub tiles: Vec<Tile>,
}

pub async fn dashboard(State(state): State<AppState>, ctx: Ctx) -> AppResult<Response> {
    ctx.require(Action::EnterStaffArea)?;
    let tr = ctx.tr;
    let mut tiles = Vec::new();
    let mut tile = |href, key: &str| {
        tiles.push(Tile {
            href,
            label: tr.t(&format!("admin-{key}")),
            text: tr.t(&format!("admin-{key}-text")),
            links: Vec::new(),
        })
    };
    if ctx.subject.may(Action::ManageDebates) {
        tile("/admin/debats", "debates");
    }
    if ctx.subject.may(Action::ManageRoles) {
        tile("/admin/utilisateurs", "people");
    }
    if ctx.subject.may(Action::ManageSettings) {
        tile("/admin/listes", "lists");
        tile("/admin/taches", "jobs");
    }
    if ctx.subject.may(Action::ManageEvents) {
        tile("/admin/evenements", "events");
    }
    if ctx.subject.may(Action::ViewHidden) {
        tile("/admin/moderation", "moderation");
    }
    if ctx.subject.may(Action::ReadAnalyses) {
        tile("/admin/analyses", "analyses");
    }
    if ctx.subject.may(Action::ViewAuditLog) {
        tile("/admin/journal", "audit");
    }
    if let (true, Some(me)) = (
        ctx.subject.may(Action::EnterOfflineContributions),
        ctx.user_id(),
    ) {
        let links: Vec<(String, String)> = state
            .store
            .facilitated_events(me)
            .await?
            .into_iter()
            .map(|(id, title)| (format!("/evenements/{id}/presence"), title))
            .collect();
        if !links.is_empty() {
            tiles.push(Tile {
                href: "",
                label: tr.t("admin-my-events"),
                text: tr.t("admin-my-events-text"),
                links,
            });
        }
    }
    if ctx.subject.may(Action::EnterOfflineContributions) {
        let links: Vec<(String, String)> = state
            .store
            .debates(false)
            .await?
            .into_iter()
            .filter(|d| d.status == domain::DebateStatus::Published)
            .map(|d| (format!("/debats/{}/saisie", d.slug), d.title))
            .collect();
        tiles.push(Tile {
            href: "",
            label: tr.t("admin-offline"),
            text: if links.is_empty() {
                tr.t("admin-offline-none")
            } else {
                tr.t("admin-offline-text")
            },
            links,
        });
    }
    Ok(render(&DashboardView {
        l: ctx.layout(&state, tr.t("admin-title")),
        tiles,
    }))
}

/// This crate's routes, merged by the web front under the shared middleware.
pub fn routes(settings: &webkit::Settings) -> axum::Router<webkit::AppState> {
    use axum::routing::{get, post};
    let uploads = axum::Router::new()
        .route("/admin/debats/{id}/image", post(debates::upload_image))
        .route(
            "/admin/debats/{id}/documents",
            post(debates::upload_document),
        )
        .layer(webkit::upload::body_limit(settings));
    axum::Router::new()
        .route(
            "/admin/moderation",
            get(moderation::queue).post(moderation::decide),
        )
        .route("/admin/moderation/bloquer", post(moderation::block))
        .route("/admin", get(dashboard))
        .route("/admin/journal", get(journal::page))
        .route("/admin/taches", get(jobs::page))
        .route("/admin/taches/{id}/relancer", post(jobs::retry))
        .route("/admin/analyses", get(analyses::index))
        .route("/admin/analyses/debat/{id}", post(analyses::start))
        .route("/admin/analyses/{run}", get(analyses::show))
        .route("/admin/analyses/{run}/themes/{theme}", get(analyses::theme))
        .route(
            "/admin/analyses/{run}/pourquoi/{contribution}",
            get(analyses::why),
        )
        .route("/admin/debats", get(debates::list).post(debates::create))
        .route("/admin/debats/nouveau", get(debates::new_page))
        .route(
            "/admin/debats/{id}",
            get(debates::edit_page).post(debates::update),
        )
        .route(
            "/admin/debats/{id}/questions",
            get(debates::questions_page).post(debates::questions_save),
        )
        .route(
            "/admin/debats/{id}/phases",
            get(debates::phases_page).post(debates::phases_save),
        )
        .route(
            "/admin/debats/{id}/public",
            get(debates::audience_page).post(debates::audience_save),
        )
        .route("/admin/debats/{id}/fichiers", get(debates::files_page))
        .route(
            "/admin/debats/{id}/documents/{file_id}/supprimer",
            post(debates::delete_document),
        )
        .route("/admin/utilisateurs", get(people::list))
        .route("/admin/utilisateurs/{id}/roles", post(people::save_roles))
        .route("/admin/listes", get(lists::page).post(lists::save))
        .merge(uploads)
}
