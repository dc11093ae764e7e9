//! A person's account: sign-up and confirmation, login and logout, password reset, the profile
//! and its personal access tokens for the API, changing one's password, downloading one's data
//! and deleting one's account.

pub mod account;
pub mod delete;
pub mod mydata;
pub mod password;
pub mod second_factor;
pub mod tokens;

pub use account::RESET_TTL;

/// This crate's routes, merged by the web front under the shared middleware.
pub fn routes(settings: &webkit::Settings) -> axum::Router<webkit::AppState> {
    use axum::routing::{get, post};
    let _ = settings;
    axum::Router::new()
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
            "/profil/mot-de-passe",
            get(password::page).post(password::change),
        )
        .route("/profil/donnees", get(mydata::page))
        .route("/profil/donnees/mes-donnees.zip", get(mydata::download))
        .route("/profil/supprimer", get(delete::page).post(delete::delete))
        .route("/profil/jetons", get(tokens::page).post(tokens::create))
        .route("/profil/jetons/{id}/revoquer", post(tokens::revoke))
        .route(
            "/connexion/code",
            get(second_factor::code_page).post(second_factor::code),
        )
        .route(
            "/connexion/second-facteur",
            get(second_factor::enrol_at_login_page).post(second_factor::enrol_at_login),
        )
        .route(
            "/profil/second-facteur",
            get(second_factor::enrol_page).post(second_factor::enrol),
        )
        .route(
            "/confirmer-identite",
            get(second_factor::reauth_page).post(second_factor::reauth),
        )
        .route("/profil/sessions", get(second_factor::sessions_page))
        .route(
            "/profil/sessions/{handle}/fin",
            post(second_factor::end_session),
        )
}
