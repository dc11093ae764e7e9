//! The survey, as residents and staff see it: the list of surveys, answering page by page
//! (conditions applied on the server, so that it works without JavaScript; saved to resume
//! later), the builder, the polling firm's panel (upload, a preview of how its columns are
//! read, then the import) and its weighting, the results — the weighted panel with its margin
//! of error beside the unweighted panel and the online answers — and "who spoke".
//!
//! The strings of these pages live here (`locales/`), looked up before the shared ones.

pub mod chart;
pub mod data;
pub mod public;
pub mod results;
pub mod staff;

use app::surveys::SurveyError;
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

pub fn tr(tr: Tr) -> Tr {
    tr.with(&*LOCALES)
}

pub fn local(mut ctx: Ctx) -> Ctx {
    ctx.tr = tr(ctx.tr);
    ctx
}

pub const FR_SOURCE: &str = include_str!("../locales/fr/surveys.ftl");
pub const EN_SOURCE: &str = include_str!("../locales/en/surveys.ftl");

pub fn routes(settings: &webkit::Settings) -> Router<AppState> {
    use axum::routing::{get, post};
    let uploads = Router::new()
        .route("/admin/enquetes/{id}/panel", post(data::panel_upload))
        .route("/admin/enquetes/{id}/ponderation", post(data::weigh))
        .layer(webkit::upload::body_limit(settings));
    Router::new()
        .merge(uploads)
        .route("/enquetes", get(public::list))
        .route("/enquetes/{slug}", get(public::intro))
        .route(
            "/enquetes/{slug}/page/{n}",
            get(public::page).post(public::answer),
        )
        .route("/enquetes/{slug}/merci", get(public::thanks))
        .route("/enquetes/{slug}/resultats", get(results::show))
        .route("/enquetes/{slug}/qui-a-parle", get(results::who_spoke))
        .route("/admin/enquetes", get(staff::list).post(staff::create))
        .route(
            "/admin/enquetes/{id}",
            get(staff::builder).post(staff::update),
        )
        .route("/admin/enquetes/{id}/statut", post(staff::status))
        .route("/admin/enquetes/{id}/sections", post(staff::add_section))
        .route(
            "/admin/enquetes/{id}/sections/{n}",
            post(staff::edit_section),
        )
        .route(
            "/admin/enquetes/{id}/questions/nouvelle",
            get(staff::new_question).post(staff::create_question),
        )
        .route(
            "/admin/enquetes/{id}/questions/{code}",
            get(staff::edit_question).post(staff::update_question),
        )
        .route(
            "/admin/enquetes/{id}/questions/{code}/ordre",
            post(staff::arrange),
        )
        .route("/admin/enquetes/{id}/panel", get(data::panel_page))
        .route(
            "/admin/enquetes/{id}/panel/importer",
            post(data::panel_import),
        )
        .route(
            "/admin/enquetes/{id}/ponderation",
            get(data::weighting_page),
        )
        .route("/admin/enquetes/{id}/reponses.csv", get(data::export_csv))
        .route(
            "/admin/enquetes/{id}/reponses.jsonl",
            get(data::export_jsonl),
        )
        .route("/admin/enquetes/{id}/reponses.xlsx", get(data::export_xlsx))
        .route("/donnees/enquetes/{slug}/reponses.csv", get(data::open_csv))
}

/// A use case's refusal as the page's error (field errors are re-rendered by the handler).
pub fn app_error(e: SurveyError) -> AppError {
    match e {
        SurveyError::NotFound => AppError::NotFound,
        SurveyError::Forbidden => AppError::Forbidden,
        SurveyError::LoginRequired => AppError::LoginRequired,
        SurveyError::NotOpen => AppError::Conflict("survey-not-open"),
        SurveyError::AlreadyAnswered => AppError::Conflict("survey-already-answered"),
        SurveyError::Invalid(_) | SurveyError::File(_) | SurveyError::Rejected(_) => {
            AppError::BadRequest("error-malformed-form")
        }
        SurveyError::Store(e) => e.into(),
    }
}

/// A survey for the staff pages: survey managers only, then the survey or a 404.
pub async fn staff_survey(
    state: &AppState,
    ctx: &Ctx,
    id: i64,
) -> webkit::error::AppResult<storage::SurveyRow> {
    ctx.require(domain::Action::ManageSurveys)?;
    state.store.survey(id).await?.ok_or(AppError::NotFound)
}

/// Text for HTML, escaped (for the SVG charts built here).
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// "48 %" or "48,3 %" (French) / "48.3%" (English).
pub fn percent(lang: &str, x: f64, decimals: usize) -> String {
    if !x.is_finite() {
        return "—".into();
    }
    // An empty sum is −0 in Rust: adding 0 makes it 0.
    let s = format!("{:.*}", decimals, x * 100.0 + 0.0);
    if lang == "en" {
        format!("{s}%")
    } else {
        format!("{} %", s.replace('.', ","))
    }
}

pub fn number(lang: &str, x: f64, decimals: usize) -> String {
    if !x.is_finite() {
        return "—".into();
    }
    let s = format!("{:.*}", decimals, x + 0.0);
    if lang == "en" { s } else { s.replace('.', ",") }
}

#[cfg(test)]
mod tests {
    #[test]
    fn messages_are_complete() {
        let keys = |s: &str| -> std::collections::BTreeSet<String> {
            s.lines()
                .filter(|l| !l.starts_with(' ') && !l.starts_with('#') && l.contains(" ="))
                .filter_map(|l| l.split(" =").next())
                .map(|k| k.trim().to_string())
                .collect()
        };
        let (fr, en) = (keys(super::FR_SOURCE), keys(super::EN_SOURCE));
        assert_eq!(
            fr.symmetric_difference(&en).collect::<Vec<_>>(),
            Vec::<&String>::new()
        );
        // Every message key the survey's code can hand to a page.
        let sources = [
            include_str!("../../survey/src/definition.rs"),
            include_str!("../../survey/src/answers.rs"),
            include_str!("../../survey/src/panel.rs"),
            include_str!("../../app/src/surveys/mod.rs"),
            include_str!("../../app/src/surveys/builder.rs"),
            include_str!("../../app/src/surveys/answering.rs"),
            include_str!("../../app/src/surveys/panel.rs"),
            include_str!("../../app/src/surveys/figures.rs"),
        ];
        for src in sources {
            for part in src.split('"').skip(1).step_by(2) {
                if part.starts_with("survey-") && !part.ends_with('-') && !part.contains(' ') {
                    assert!(fr.contains(part), "{part} is not translated");
                }
            }
        }
        for k in survey::Kind::ALL {
            assert!(fr.contains(&format!("survey-kind-{}", k.as_str())));
        }
        for s in ["draft", "open", "closed"] {
            assert!(fr.contains(&format!("survey-status-{s}")));
        }
    }

    #[test]
    fn figures_are_written_in_each_language() {
        assert_eq!(super::percent("fr", 0.4832, 1), "48,3 %");
        assert_eq!(super::percent("en", 0.4832, 1), "48.3%");
        assert_eq!(super::percent("fr", f64::NAN, 0), "—");
        assert_eq!(super::number("fr", 2.5, 2), "2,50");
        assert_eq!(super::percent("fr", -0.0, 0), "0 %");
    }
}
