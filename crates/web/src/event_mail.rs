//! The mails of events, rendered in the person's language with the events' own messages:
//! confirmation (place or waiting list), a place freed from the waiting list, a change or a
//! cancellation, and the reminder. Every one carries the link that shows and cancels the
//! registration; they are transactional, so they go whatever the person's notification choices.

use app::events::{EventNotice, RegistrationMail};
use domain::Lang;
use jobs::JobError;
use storage::{EventRow, RegistrationRow};
use webkit::i18n::Tr;
use webkit::state::AppState;

async fn lang_of(state: &AppState, r: &RegistrationRow) -> Result<Lang, JobError> {
    Ok(match r.user_id {
        Some(u) => state
            .store
            .user_by_id(u)
            .await?
            .and_then(|u| Lang::parse(&u.lang))
            .unwrap_or_default(),
        None => Lang::Fr,
    })
}

fn details(state: &AppState, tr: &Tr, e: &EventRow, r: &RegistrationRow) -> String {
    let when = web_events::when(tr, &state.tz, e.starts_at, e.ends_at);
    let mut where_ = [e.address.as_str(), e.room.as_str()]
        .iter()
        .filter(|s| !s.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(", ");
    if where_.is_empty() {
        where_ = e.online_link.clone();
    }
    let base = state.settings.public_url.trim_end_matches('/');
    let token = app::events::registration_token(&state.csrf_key, r.id);
    format!(
        "{}\n{}\n\n{}\n{base}/inscriptions/{token}\n",
        tr.t1("mail-event-when", "when", when),
        tr.t1("mail-event-where", "where", where_),
        tr.t("mail-event-manage"),
    )
}

/// A confirmation (`promoted`: false) or the news that a place freed up for them.
pub async fn registration(
    state: &AppState,
    job_id: i64,
    m: RegistrationMail,
    promoted: bool,
) -> Result<(), JobError> {
    let Some(r) = state.store.registration(m.registration_id).await? else {
        return Ok(());
    };
    if r.email.is_empty() || r.state == "cancelled" {
        return Ok(());
    }
    let Some(e) = state.store.event(r.event_id).await? else {
        return Ok(());
    };
    let tr = web_events::tr(Tr::new(lang_of(state, &r).await?));
    let (subject, intro) = if promoted {
        (
            tr.t1("mail-event-promoted-subject", "title", &e.title),
            tr.t1("mail-event-promoted-body", "title", &e.title),
        )
    } else if r.state == "waiting" {
        (
            tr.t1("mail-event-registered-subject", "title", &e.title),
            tr.t1("mail-event-registered-waiting", "title", &e.title),
        )
    } else {
        (
            tr.t1("mail-event-registered-subject", "title", &e.title),
            tr.t1("mail-event-registered-confirmed", "title", &e.title),
        )
    };
    let body = format!("{intro}\n\n{}", details(state, &tr, &e, &r));
    let mut tx = state.store.begin().await?;
    crate::tasks::queue_mail(
        state,
        &mut tx,
        &r.email,
        subject,
        body,
        None,
        format!("event-mail-{job_id}"),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Everyone registered told of a change or a cancellation (`reminder`: false), or the people
/// with a place reminded before the event.
pub async fn notice(
    state: &AppState,
    job_id: i64,
    n: EventNotice,
    reminder: bool,
) -> Result<(), JobError> {
    let Some(e) = state.store.event(n.event_id).await? else {
        return Ok(());
    };
    let cancelled = e.status == "cancelled";
    // A reminder of an older version of the event, or of one cancelled or already started,
    // says nothing true any more: the current version queued its own.
    if reminder && (e.sequence != n.sequence || cancelled || e.starts_at <= storage::now()) {
        return Ok(());
    }
    if !e.is_published() {
        return Ok(());
    }
    let people = state.store.registrations(e.id).await?;
    let mut tx = state.store.begin().await?;
    for r in people.iter().filter(|r| !r.email.is_empty()) {
        let told = if reminder {
            r.state == "confirmed"
        } else {
            r.state != "cancelled"
        };
        if !told {
            continue;
        }
        let tr = web_events::tr(Tr::new(lang_of(state, r).await?));
        let (subject, intro) = if reminder {
            let mut body = tr.t1("mail-event-reminder-body", "title", &e.title);
            if !e.reminder_text.is_empty() {
                body = format!("{body}\n\n{}", e.reminder_text);
            }
            (
                tr.t1("mail-event-reminder-subject", "title", &e.title),
                body,
            )
        } else if cancelled {
            (
                tr.t1("mail-event-cancelled-subject", "title", &e.title),
                tr.t1("mail-event-cancelled-body", "title", &e.title),
            )
        } else {
            (
                tr.t1("mail-event-changed-subject", "title", &e.title),
                tr.t1("mail-event-changed-body", "title", &e.title),
            )
        };
        let body = format!("{intro}\n\n{}", details(state, &tr, &e, r));
        crate::tasks::queue_mail(
            state,
            &mut tx,
            &r.email,
            subject,
            body,
            None,
            format!("event-notice-{job_id}-to-{}", r.id),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}
