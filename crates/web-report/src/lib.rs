//! The report's pages. For analysts: the editor of a debate's report (sections in Markdown,
//! evidence cited from a contribution, a theme or an event through plain forms, versions saved
//! and compared, publication). For guarantors: the coverage audit. For everyone: the published
//! report, each citation linking to the contribution it quotes, and its earlier versions.
//!
//! The strings of these pages live here (`locales/`), looked up before the shared ones.

pub mod cite;
pub mod coverage;
pub mod editor;
pub mod followup;
pub mod public;
pub mod versions;
pub mod view;

use app::report::ReportError;
use axum::Router;
use webkit::ctx::Ctx;
use webkit::error::AppError;
use webkit::i18n::Tr;
use webkit::state::AppState;

fluent_templates::static_loader! {
    static LOCALES = {
        locales: "./locales",
        fallback_language: "fr",
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

/// The shared translator with this crate's messages first.
pub fn tr(tr: Tr) -> Tr {
    tr.with(&*LOCALES)
}

/// The request's context, speaking this crate's messages too.
pub fn local(mut ctx: Ctx) -> Ctx {
    ctx.tr = tr(ctx.tr);
    ctx
}

pub const FR_SOURCE: &str = include_str!("../locales/fr/report.ftl");
pub const EN_SOURCE: &str = include_str!("../locales/en/report.ftl");

pub fn routes() -> Router<AppState> {
    use axum::routing::{get, post};
    Router::new()
        .route("/debats/{slug}/rapport", get(public::latest))
        .route("/debats/{slug}/rapport/versions/{n}", get(public::version))
        .route("/debats/{slug}/suites", get(followup::public))
        .route("/debats/{slug}/suites/{key}/suivre", post(followup::follow))
        .route("/engagements/{id}", get(followup::commitment))
        .route("/admin/rapports/{slug}/suites", get(followup::staff))
        .route(
            "/admin/rapports/{slug}/suites/{key}/reponse",
            post(followup::answer),
        )
        .route(
            "/admin/rapports/{slug}/suites/{key}/engagements",
            post(followup::add_commitment),
        )
        .route("/admin/engagements/{id}", post(followup::update_commitment))
        .route(
            "/admin/engagements/{id}/jalons",
            post(followup::add_milestone),
        )
        .route(
            "/admin/rapports/sections/{id}/constats",
            post(followup::links),
        )
        .route("/admin/rapports", get(editor::index))
        .route("/admin/rapports/{slug}", get(editor::page))
        .route("/admin/rapports/{slug}/sections", post(editor::add_section))
        .route("/admin/rapports/{slug}/versions", post(editor::freeze))
        .route(
            "/admin/rapports/{slug}/versions/{n}",
            get(versions::version),
        )
        .route("/admin/rapports/{slug}/comparer", get(versions::compare))
        .route("/admin/rapports/{slug}/analystes", post(editor::assign))
        .route(
            "/admin/rapports/{slug}/citer",
            get(cite::page).post(cite::save),
        )
        .route("/admin/rapports/{slug}/couverture", get(coverage::page))
        .route(
            "/admin/rapports/{slug}/non-retenues",
            post(coverage::not_retained),
        )
        .route(
            "/admin/rapports/sections/{id}",
            get(editor::section_page).post(editor::update_section),
        )
        .route(
            "/admin/rapports/sections/{id}/supprimer",
            post(editor::delete_section),
        )
        .route(
            "/admin/rapports/sections/{id}/evenement",
            post(editor::cite_event),
        )
        .route(
            "/admin/rapports/sections/{id}/signer",
            post(editor::sign_off),
        )
        .route("/admin/rapports/{slug}/avis", post(editor::opinion))
        .route(
            "/admin/rapports/sections/{id}/commentaires",
            post(editor::comment),
        )
        .route(
            "/admin/rapports/citations/{id}/retirer",
            post(editor::remove_citation),
        )
}

/// A use case's refusal as the page's error (field errors are re-rendered by the handler).
pub fn app_error(e: ReportError) -> AppError {
    match e {
        ReportError::NotFound => AppError::NotFound,
        ReportError::Forbidden => AppError::Forbidden,
        ReportError::LoginRequired => AppError::LoginRequired,
        ReportError::Frozen => AppError::Conflict("report-refused-frozen"),
        ReportError::Refused(key) => AppError::Conflict(key),
        ReportError::Blocked(_) => AppError::Conflict("report-blocked"),
        ReportError::Invalid(_) => AppError::BadRequest("error-malformed-form"),
        ReportError::Store(e) => e.into(),
    }
}

/// The debate named in the address, or 404.
pub async fn debate(state: &AppState, slug: &str) -> Result<domain::Debate, AppError> {
    state
        .store
        .debate_by_slug(slug)
        .await?
        .ok_or(AppError::NotFound)
}

/// An id typed or chosen in a form, or nothing (empty, not a number, not positive).
pub fn id_of(s: &str) -> Option<i64> {
    s.trim().parse::<i64>().ok().filter(|i| *i > 0)
}

#[cfg(test)]
mod tests {
    fn keys(s: &str) -> std::collections::BTreeSet<String> {
        s.lines()
            .filter(|l| !l.starts_with(' ') && !l.starts_with('#') && l.contains(" ="))
            .filter_map(|l| l.split(" =").next())
            .map(|k| k.trim().to_string())
            .collect()
    }

    #[test]
    fn messages_are_complete_and_unique() {
        let (fr, en) = (keys(super::FR_SOURCE), keys(super::EN_SOURCE));
        assert_eq!(
            fr.symmetric_difference(&en).collect::<Vec<_>>(),
            Vec::<&String>::new()
        );
        for src in [super::FR_SOURCE, super::EN_SOURCE] {
            let n = src
                .lines()
                .filter(|l| !l.starts_with(' ') && !l.starts_with('#') && l.contains(" ="))
                .count();
            assert_eq!(n, keys(src).len(), "a key is defined twice");
        }
    }
}
