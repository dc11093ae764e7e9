//! Events, as residents and staff see them: the agenda (per debate and across debates), an
//! event's page with its registration form (an account is not needed), the page of one's
//! registration with its cancellation, calendars (`.ics`), the staff forms, the attendance sheet,
//! the minutes whose points become contributions, and conference programmes.
//!
//! The strings of these pages live here (`locales/`), looked up before the shared ones.

pub mod agenda;
pub mod page;
pub mod programme;
pub mod sheet;
pub mod staff;

use app::events::EventError;
use axum::Router;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use storage::EventRow;
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

pub const FR_SOURCE: &str = include_str!("../locales/fr/events.ftl");
pub const EN_SOURCE: &str = include_str!("../locales/en/events.ftl");

pub fn routes(settings: &webkit::Settings) -> Router<AppState> {
    use axum::routing::{get, post};
    let uploads = Router::new()
        .route(
            "/admin/programmes/{id}/intervenants",
            post(programme::admin_add_speaker),
        )
        .layer(webkit::upload::body_limit(settings));
    Router::new()
        .merge(uploads)
        .route("/agenda", get(agenda::all))
        .route("/agenda.ics", get(agenda::feed_all))
        .route("/debats/{slug}/agenda", get(agenda::of_debate))
        .route("/debats/{slug}/agenda.ics", get(agenda::feed_of_debate))
        .route("/evenements/{id}", get(page::show))
        .route("/evenements/{id}/calendrier.ics", get(page::ics))
        .route("/evenements/{id}/inscription", post(page::register))
        .route("/inscriptions/{token}", get(page::registration))
        .route("/inscriptions/{token}/annuler", post(page::cancel))
        .route(
            "/inscriptions/{token}/calendrier.ics",
            get(page::registration_ics),
        )
        .route(
            "/evenements/{id}/presence",
            get(sheet::attendance_page).post(sheet::attendance_save),
        )
        .route(
            "/evenements/{id}/compte-rendu",
            get(sheet::minutes_page).post(sheet::minutes_save),
        )
        .route("/programmes/{slug}", get(programme::show))
        .route("/admin/evenements", get(staff::list).post(staff::create))
        .route("/admin/evenements/nouveau", get(staff::new_page))
        .route(
            "/admin/evenements/{id}",
            get(staff::edit_page).post(staff::update),
        )
        .route("/admin/evenements/{id}/publier", post(staff::publish))
        .route("/admin/evenements/{id}/annuler", post(staff::cancel))
        .route(
            "/admin/evenements/{id}/inscriptions",
            get(staff::registrations).post(staff::register_by_phone),
        )
        .route(
            "/admin/evenements/{id}/inscriptions.csv",
            get(staff::export_csv),
        )
        .route(
            "/admin/evenements/{id}/inscriptions.xlsx",
            get(staff::export_xlsx),
        )
        .route(
            "/admin/inscriptions/{id}/annuler",
            post(staff::cancel_registration),
        )
        .route(
            "/admin/programmes",
            get(programme::admin_list).post(programme::admin_create),
        )
}

/// An id chosen in a list, or nothing (empty, not a number, not positive).
pub fn id_of(s: &str) -> Option<i64> {
    s.trim().parse::<i64>().ok().filter(|i| *i > 0)
}

/// "18:30" in the instance's time zone.
pub fn hour(tz: &jiff::tz::TimeZone, s: i64) -> String {
    jiff::Timestamp::from_second(s)
        .map(|t| {
            let z = t.to_zoned(tz.clone());
            format!("{:02}:{:02}", z.hour(), z.minute())
        })
        .unwrap_or_default()
}

/// A use case's refusal as the page's error (field errors are re-rendered by the handler).
pub fn app_error(e: EventError) -> AppError {
    match e {
        EventError::NotFound => AppError::NotFound,
        EventError::Forbidden => AppError::Forbidden,
        EventError::LoginRequired => AppError::LoginRequired,
        EventError::Refused(_) => AppError::Conflict("error-409-text"),
        EventError::AlreadyRegistered => AppError::Conflict("error-409-text"),
        EventError::Invalid(_) => AppError::BadRequest("error-malformed-form"),
        EventError::Store(e) => e.into(),
    }
}

/// One event as the agenda and the pages show it.
pub struct Card {
    pub id: i64,
    pub title: String,
    pub kind: String,
    pub kind_code: String,
    /// "mardi 14 mars 2027, 18:00–20:00".
    pub when: String,
    /// Machine-readable start, for `<time datetime>`.
    pub when_iso: String,
    pub quartier: String,
    pub place: String,
    pub room: String,
    /// "12 places left", "Full: waiting list", "Free entry".
    pub places: String,
    pub full: bool,
    /// "Cancelled", "Changed", "Held", or empty.
    pub status: String,
    pub cancelled: bool,
    pub draft: bool,
    pub debate_title: String,
    pub debate_slug: String,
}

impl Card {
    pub fn new(tr: &Tr, tz: &jiff::tz::TimeZone, e: &EventRow) -> Card {
        let left = events::places_left(
            e.capacity.map(|c| c.clamp(0, i64::from(u32::MAX)) as u32),
            e.confirmed.clamp(0, i64::from(u32::MAX)) as u32,
        );
        let full = left == Some(0);
        let places = match left {
            None => tr.t("event-places-unlimited"),
            Some(0) if e.waiting > 0 => tr.count("event-places-full-waiting", e.waiting),
            Some(0) => tr.t("event-places-full"),
            Some(n) => tr.count("event-places-left", i64::from(n)),
        };
        let status = match e.status.as_str() {
            "scheduled" => String::new(),
            s => tr.t(&format!("event-status-{s}")),
        };
        Card {
            id: e.id,
            title: e.title.clone(),
            kind: tr.t(&format!("event-kind-{}", e.kind)),
            kind_code: e.kind.clone(),
            when: when(tr, tz, e.starts_at, e.ends_at),
            when_iso: jiff::Timestamp::from_second(e.starts_at)
                .map(|t| t.to_string())
                .unwrap_or_default(),
            quartier: e.quartier.clone().unwrap_or_default(),
            place: e.address.clone(),
            room: e.room.clone(),
            places,
            full,
            cancelled: e.status == "cancelled",
            status,
            draft: !e.is_published(),
            debate_title: e.debate_title.clone(),
            debate_slug: e.debate_slug.clone(),
        }
    }
}

/// "14 mars 2027, 18:00–20:00", or both dates when it spans days.
pub fn when(tr: &Tr, tz: &jiff::tz::TimeZone, start: i64, end: i64) -> String {
    let hm = |s: i64| hour(tz, s);
    let (d1, d2) = (tr.date(start, tz), tr.date(end, tz));
    if d1 == d2 {
        format!("{d1}, {}–{}", hm(start), hm(end))
    } else {
        format!("{d1} {} – {d2} {}", hm(start), hm(end))
    }
}

/// A calendar file as a response.
pub fn ics_response(body: String, filename: &str) -> Response {
    (
        StatusCode::OK,
        [
            (
                axum::http::header::CONTENT_TYPE,
                "text/calendar; charset=utf-8".to_string(),
            ),
            (
                axum::http::header::CONTENT_DISPOSITION,
                format!("inline; filename=\"{filename}\""),
            ),
        ],
        body,
    )
        .into_response()
}

/// An event as it goes into a calendar.
pub fn ics_event(state: &AppState, e: &EventRow) -> events::IcsEvent {
    let base = state.settings.public_url.trim_end_matches('/');
    let host = base
        .split("://")
        .nth(1)
        .unwrap_or("concorde")
        .split('/')
        .next()
        .unwrap_or("concorde")
        .to_string();
    let at = |s: i64| jiff::Timestamp::from_second(s).unwrap_or(jiff::Timestamp::UNIX_EPOCH);
    let location = [e.address.as_str(), e.room.as_str()]
        .iter()
        .filter(|s| !s.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(", ");
    events::IcsEvent {
        uid: format!("event-{}@{host}", e.id),
        sequence: e.sequence.clamp(0, i64::from(u32::MAX)) as u32,
        title: e.title.clone(),
        description: e.description.clone(),
        location: if location.is_empty() {
            e.online_link.clone()
        } else {
            location
        },
        url: format!("{base}/evenements/{}", e.id),
        start: at(e.starts_at),
        end: at(e.ends_at),
        status: events::EventStatus::parse(&e.status).unwrap_or(events::EventStatus::Scheduled),
        last_modified: at(e.updated_at),
    }
}

#[cfg(test)]
mod tests {
    /// Every key in French exists in English and the other way round, and every error key the
    /// events crate can return is translated.
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
        for k in events::draft::ERROR_KEYS
            .iter()
            .chain(events::contact::ERROR_KEYS)
        {
            assert!(fr.contains(*k), "{k} is not translated");
        }
        for k in events::EventKind::ALL {
            assert!(fr.contains(&format!("event-kind-{}", k.as_str())));
        }
    }
}
