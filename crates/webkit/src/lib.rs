//! What every page of Concorde shares, whatever its feature crate: the request context (session →
//! user and roles, language, CSRF token) and its middleware, the layout and how a typed view is
//! rendered, errors and error pages, translations, uploads, settings and the shared state. Feature
//! crates (`web-*`) depend on this one and never on each other's pages; nothing here talks SQL.

pub mod access;
pub mod choices;
pub mod csrf;
pub mod csv;
pub mod ctx;
pub mod error;
pub mod form;
pub mod i18n;
pub mod limits;
pub mod markdown;
pub mod metrics;
pub mod search_index;
pub mod settings;
pub mod state;
pub mod upload;
pub mod view;

pub use settings::Settings;
pub use state::AppState;

/// Argon2id hash of a password, in PHC format.
pub fn hash_password(p: &str) -> String {
    password_auth::generate_hash(p)
}

/// Routes whose handlers read multipart bodies (and check their CSRF token themselves, in
/// `upload::read`); the middleware leaves their body alone.
pub const UPLOAD_ROUTES: [&str; 7] = [
    "/admin/debats/{id}/image",
    "/admin/debats/{id}/documents",
    "/debats/{slug}/cahier",
    "/contributions/{id}/scan",
    "/admin/programmes/{id}/intervenants",
    "/admin/enquetes/{id}/panel",
    "/admin/enquetes/{id}/ponderation",
];

pub const STYLE: &str = include_str!("../static/style.css");
pub const FAVICON: &str = include_str!("../static/favicon.svg");
pub const RUN_STATUS_JS: &str = include_str!("../static/run-status.js");
