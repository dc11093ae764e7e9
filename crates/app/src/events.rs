//! Events: staff create and publish them; residents register, with an account or without; a
//! full event puts newcomers on a waiting list that a cancellation moves at once; facilitators
//! take attendance and turn the minutes into contributions that name the event. Every write is one
//! transaction with its audit entry and the mail it queues.

use crate::jobs::job;
use domain::validate::FieldErrors;
use domain::{Action, Channel, On, Resource, Subject};
use events::{EventDraft, EventInput, EventKind, EventStatus, Publication, RegistrationWindow};
use serde::{Deserialize, Serialize};
use storage::{EventFields, EventRow, NewRegistration, Placed, RegistrationRow, Store, StoreError};

pub const EVENT_REGISTERED: &str = "event_registered";
pub const EVENT_PROMOTED: &str = "event_promoted";
pub const EVENT_CHANGED: &str = "event_changed";
pub const EVENT_REMINDER: &str = "event_reminder";

/// A mail about one registration (confirmation, or a place freed from the waiting list).
#[derive(Debug, Serialize, Deserialize)]
pub struct RegistrationMail {
    pub registration_id: i64,
}

/// Everyone registered for an event is told of a change or a cancellation (`sequence` is the
/// event's version the mail describes), or reminded before it.
#[derive(Debug, Serialize, Deserialize)]
pub struct EventNotice {
    pub event_id: i64,
    pub sequence: i64,
}

#[derive(Debug, thiserror::Error)]
pub enum EventError {
    #[error("invalid input")]
    Invalid(FieldErrors),
    #[error("not found")]
    NotFound,
    #[error("forbidden")]
    Forbidden,
    #[error("sign in first")]
    LoginRequired,
    /// Registration is not open: the key of the message that says why.
    #[error("registration refused: {0}")]
    Refused(&'static str),
    /// Already registered (with this account or this address).
    #[error("already registered")]
    AlreadyRegistered,
    #[error(transparent)]
    Store(#[from] StoreError),
}

fn invalid(field: &str, key: &'static str) -> EventError {
    let mut e = FieldErrors::default();
    e.add(field, key);
    EventError::Invalid(e)
}

fn ts(t: jiff::Timestamp) -> i64 {
    t.as_second()
}

fn at(s: i64) -> jiff::Timestamp {
    jiff::Timestamp::from_second(s).unwrap_or(jiff::Timestamp::UNIX_EPOCH)
}

/// The event's facts for the policy, for this subject, at `now`.
pub fn resource(e: &EventRow, facilitator: bool, now: i64) -> Resource {
    Resource::Event {
        debate_published: e.debate_status == "published",
        published: e.is_published(),
        cancelled: e.status == EventStatus::Cancelled.as_str(),
        registration_open: registration_refusal(e, now).is_none(),
        facilitator,
    }
}

/// Why registering for this event is refused at `now`, if it is.
pub fn registration_refusal(e: &EventRow, now: i64) -> Option<&'static str> {
    let window = RegistrationWindow {
        publication: if e.is_published() {
            Publication::Published
        } else {
            Publication::Draft
        },
        status: EventStatus::parse(&e.status).unwrap_or(EventStatus::Scheduled),
        starts_at: at(e.starts_at),
        opens: e.registration_opens.map(at),
        closes: e.registration_closes.map(at),
    };
    events::registration_open(at(now), &window)
        .err()
        .map(|r| r.key())
}

/// The event, if this subject may see it, with whether they are one of its facilitators.
pub async fn visible(
    store: &Store,
    subject: &Subject,
    id: i64,
) -> Result<(EventRow, bool), EventError> {
    let e = store.event(id).await?.ok_or(EventError::NotFound)?;
    let facilitator = match subject.account.as_ref() {
        Some(a) => store.is_event_facilitator(id, a.user_id).await?,
        None => false,
    };
    if !subject.may_on(On::Read, resource(&e, facilitator, storage::now())) {
        return Err(EventError::NotFound);
    }
    Ok((e, facilitator))
}

async fn authorize(
    store: &Store,
    subject: &Subject,
    id: i64,
    action: On,
) -> Result<EventRow, EventError> {
    let (e, facilitator) = visible(store, subject, id).await?;
    if !subject.may_on(action, resource(&e, facilitator, storage::now())) {
        return Err(if subject.account.is_none() {
            EventError::LoginRequired
        } else {
            EventError::Forbidden
        });
    }
    Ok(e)
}

/// What the staff form adds to the event's own fields: where it belongs.
#[derive(Debug, Clone, Default)]
pub struct Placement {
    pub debate_id: i64,
    pub programme_id: Option<i64>,
    pub question_id: Option<i64>,
    pub room: String,
    pub facilitators: Vec<i64>,
    /// Speakers of the session (of its programme).
    pub speakers: Vec<i64>,
}

/// The form's fields checked, with the quartier given by its id.
fn fields(
    draft: &EventDraft,
    tz: &jiff::tz::TimeZone,
    p: &Placement,
) -> Result<(EventInput, EventFields), EventError> {
    let mut errors = FieldErrors::default();
    let input = match draft.validate(tz) {
        Ok(i) => Some(i),
        Err(e) => {
            errors = e;
            None
        }
    };
    let quartier_id = match draft.quartier.trim() {
        "" => None,
        s => match s.parse::<i64>() {
            Ok(id) if id > 0 => Some(id),
            _ => {
                errors.add("quartier", "event-error-quartier-invalid");
                None
            }
        },
    };
    let Some(i) = input.filter(|_| errors.is_empty()) else {
        return Err(EventError::Invalid(errors));
    };
    let f = EventFields {
        debate_id: p.debate_id,
        programme_id: p.programme_id,
        kind: i.kind.as_str().to_string(),
        title: i.title.clone(),
        description: i.description.clone(),
        question_id: p.question_id,
        quartier_id,
        address: i.address.clone().unwrap_or_default(),
        access_notes: i.access_notes.clone().unwrap_or_default(),
        accessibility: i.accessibility.code(),
        room: p.room.trim().to_string(),
        starts_at: ts(i.starts_at),
        ends_at: ts(i.ends_at),
        online_link: i.online_link.clone().unwrap_or_default(),
        capacity: i.capacity.map(i64::from),
        registration_opens: i.registration_opens.map(ts),
        registration_closes: i.registration_closes.map(ts),
        reminder_hours: i64::from(i.reminder_hours),
        reminder_text: i.reminder_text.clone().unwrap_or_default(),
    };
    Ok((i, f))
}

async fn check_placement(store: &Store, p: &Placement) -> Result<(), EventError> {
    if store.debate_by_id(p.debate_id).await?.is_none() {
        return Err(invalid("debate", "event-error-debate-invalid"));
    }
    if let Some(q) = p.question_id {
        let questions = store.questions(p.debate_id).await?;
        if !questions.iter().any(|x| x.id == q) {
            return Err(invalid("question", "event-error-question-invalid"));
        }
    }
    if let Some(pr) = p.programme_id {
        match store.programme(pr).await? {
            Some(x) if x.debate_id == p.debate_id => {}
            _ => return Err(invalid("programme", "event-error-programme-invalid")),
        }
    }
    if !p.speakers.is_empty() {
        let Some(pr) = p.programme_id else {
            return Err(invalid("speakers", "event-error-speakers-programme"));
        };
        let known = store.speakers(pr).await?;
        if p.speakers.iter().any(|s| !known.iter().any(|k| k.id == *s)) {
            return Err(invalid("speakers", "event-error-speakers-programme"));
        }
    }
    let facilitators = store.users_with_role(domain::Role::Facilitator).await?;
    if p.facilitators
        .iter()
        .any(|f| !facilitators.iter().any(|(id, _)| id == f))
    {
        return Err(invalid("facilitators", "event-error-facilitator"));
    }
    Ok(())
}

/// The reminder of this version of the event, queued for its time (none if it is past or the
/// organiser turned reminders off). A later version queues its own; this one then does nothing.
fn reminder_job(id: i64, sequence: i64, f: &EventFields) -> Option<storage::NewJob<'static>> {
    if f.reminder_hours <= 0 {
        return None;
    }
    let run_at = f.starts_at - f.reminder_hours * 3600;
    if run_at <= storage::now() {
        return None;
    }
    let mut j = job(
        EVENT_REMINDER,
        &EventNotice {
            event_id: id,
            sequence,
        },
    );
    j.run_at = run_at;
    j.dedup_key = Some(format!("event-reminder-{id}-{sequence}"));
    Some(j)
}

/// Creates an event (a draft until published).
pub async fn create(
    store: &Store,
    subject: &Subject,
    tz: &jiff::tz::TimeZone,
    draft: &EventDraft,
    p: &Placement,
) -> Result<i64, EventError> {
    if !subject.may(Action::ManageEvents) {
        return Err(EventError::Forbidden);
    }
    let (_, f) = fields(draft, tz, p)?;
    check_placement(store, p).await?;
    let actor = subject.account.as_ref().map(|a| a.user_id);
    let mut tx = store.begin().await?;
    let id = tx.insert_event(&f, actor).await?;
    tx.set_event_facilitators(id, &p.facilitators).await?;
    tx.set_session_speakers(id, &p.speakers).await?;
    if let Some(j) = reminder_job(id, 0, &f) {
        tx.enqueue(j).await?;
    }
    tx.audit(actor, "event.create", &format!("event:{id}"), &f.title)
        .await?;
    tx.commit().await?;
    Ok(id)
}

/// Rewrites an event. A published event whose time or place changed becomes "changed" and
/// everyone registered is told; a raised capacity gives places to those waiting.
pub async fn update(
    store: &Store,
    subject: &Subject,
    tz: &jiff::tz::TimeZone,
    id: i64,
    draft: &EventDraft,
    p: &Placement,
) -> Result<(), EventError> {
    let before = authorize(store, subject, id, On::Manage).await?;
    let p = Placement {
        debate_id: before.debate_id,
        ..p.clone()
    };
    let (_, f) = fields(draft, tz, &p)?;
    check_placement(store, &p).await?;
    let moved = before.starts_at != f.starts_at
        || before.ends_at != f.ends_at
        || before.address != f.address
        || before.online_link != f.online_link
        || before.room != f.room;
    let actor = subject.account.as_ref().map(|a| a.user_id);
    let mut tx = store.begin().await?;
    tx.update_event(id, &f).await?;
    tx.set_event_facilitators(id, &p.facilitators).await?;
    tx.set_session_speakers(id, &p.speakers).await?;
    let sequence = before.sequence + 1;
    let mut sequence_now = sequence;
    if moved && before.is_published() && before.status == EventStatus::Scheduled.as_str() {
        tx.set_event_status(id, EventStatus::Changed.as_str())
            .await?;
        sequence_now += 1;
    }
    if moved && before.is_published() {
        tx.enqueue(job(
            EVENT_CHANGED,
            &EventNotice {
                event_id: id,
                sequence: sequence_now,
            },
        ))
        .await?;
    }
    for r in tx.fill_from_waiting(id).await? {
        tx.enqueue(job(
            EVENT_PROMOTED,
            &RegistrationMail {
                registration_id: r.id,
            },
        ))
        .await?;
    }
    if let Some(j) = reminder_job(id, sequence_now, &f) {
        tx.enqueue(j).await?;
    }
    tx.audit(actor, "event.update", &format!("event:{id}"), &f.title)
        .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn publish(
    store: &Store,
    subject: &Subject,
    id: i64,
    published: bool,
) -> Result<(), EventError> {
    authorize(store, subject, id, On::Manage).await?;
    let actor = subject.account.as_ref().map(|a| a.user_id);
    let mut tx = store.begin().await?;
    tx.set_event_published(id, published).await?;
    let action = if published {
        "event.publish"
    } else {
        "event.unpublish"
    };
    tx.audit(actor, action, &format!("event:{id}"), "").await?;
    tx.commit().await?;
    Ok(())
}

/// Cancels an event: everyone registered is told, calendars show it cancelled.
pub async fn cancel(store: &Store, subject: &Subject, id: i64) -> Result<(), EventError> {
    let e = authorize(store, subject, id, On::Manage).await?;
    if e.status == EventStatus::Cancelled.as_str() {
        return Ok(());
    }
    let actor = subject.account.as_ref().map(|a| a.user_id);
    let mut tx = store.begin().await?;
    tx.set_event_status(id, EventStatus::Cancelled.as_str())
        .await?;
    tx.enqueue(job(
        EVENT_CHANGED,
        &EventNotice {
            event_id: id,
            sequence: e.sequence + 1,
        },
    ))
    .await?;
    tx.audit(actor, "event.cancel", &format!("event:{id}"), &e.title)
        .await?;
    tx.commit().await?;
    Ok(())
}

/// Someone asking for a place. Signed in: their account gives name and address. Otherwise the
/// contact they typed (or staff typing for someone who phoned).
#[derive(Debug, Clone, Default)]
pub struct Registration {
    pub contact: events::ContactDraft,
    pub category_id: Option<i64>,
    pub quartier_id: Option<i64>,
    /// Staff registering someone else (by phone): the contact is theirs, not the account's.
    pub on_behalf: bool,
}

#[derive(Debug, Clone)]
pub struct Registered {
    pub id: i64,
    pub placed: Placed,
    /// The secret of the link that shows and cancels the registration.
    pub token: String,
}

/// The token of a registration's link: derived from the instance's key and the registration,
/// so that every mail about it can carry the same link; only its hash is stored.
pub fn registration_token(key: &[u8], registration_id: i64) -> String {
    use base64::Engine;
    use hmac::{Hmac, Mac};
    let mut mac = <Hmac<sha2::Sha256> as Mac>::new_from_slice(key)
        .unwrap_or_else(|_| <Hmac<sha2::Sha256> as Mac>::new_from_slice(b"k").expect("key"));
    mac.update(format!("registration:{registration_id}").as_bytes());
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes())
}

pub async fn register(
    store: &Store,
    subject: &Subject,
    key: &[u8],
    event_id: i64,
    r: &Registration,
) -> Result<Registered, EventError> {
    let (e, facilitator) = visible(store, subject, event_id).await?;
    let now = storage::now();
    if let Some(why) = registration_refusal(&e, now) {
        return Err(EventError::Refused(why));
    }
    if !subject.may_on(On::Register, resource(&e, facilitator, now)) {
        return Err(EventError::Forbidden);
    }
    if r.on_behalf && !subject.may(Action::ManageEvents) {
        return Err(EventError::Forbidden);
    }
    if let Some(c) = r.category_id
        && !store.categories().await?.iter().any(|x| x.id == c)
    {
        return Err(invalid("category", "registration-error-category"));
    }
    if let Some(q) = r.quartier_id
        && !store.quartiers().await?.iter().any(|x| x.id == q)
    {
        return Err(invalid("quartier", "registration-error-quartier"));
    }
    let account = subject.account.as_ref().filter(|_| !r.on_behalf);
    let (user_id, name, email, phone) = match account {
        Some(a) => {
            let u = store
                .user_by_id(a.user_id)
                .await?
                .ok_or(EventError::NotFound)?;
            (
                Some(u.id),
                u.display_name,
                u.email.to_lowercase(),
                String::new(),
            )
        }
        None => {
            let c = r.contact.validate().map_err(EventError::Invalid)?;
            (
                None,
                c.name,
                c.email.unwrap_or_default().to_lowercase(),
                c.phone.unwrap_or_default(),
            )
        }
    };
    let entered_by = if r.on_behalf {
        subject.account.as_ref().map(|a| a.user_id)
    } else {
        None
    };
    let mut tx = store.begin().await?;
    let new = NewRegistration {
        event_id,
        user_id,
        name,
        email: email.clone(),
        phone,
        category_id: r.category_id,
        quartier_id: r.quartier_id,
        // Replaced below, once the id that the token is derived from is known.
        token_hash: storage::new_token().1,
        entered_by,
    };
    let (id, placed) = match tx.register(&new).await {
        Err(StoreError::Conflict(_)) => return Err(EventError::AlreadyRegistered),
        r => r?,
    };
    let token = registration_token(key, id);
    tx.set_registration_token_hash(id, &storage::hash_token(&token))
        .await?;
    if !email.is_empty() {
        tx.enqueue(job(
            EVENT_REGISTERED,
            &RegistrationMail {
                registration_id: id,
            },
        ))
        .await?;
    }
    let placed_s = match placed {
        Placed::Confirmed => "confirmed",
        Placed::Waiting(_) => "waiting",
    };
    tx.audit(
        entered_by.or(user_id),
        "event.register",
        &format!("registration:{id}"),
        &format!("event:{event_id} {placed_s}"),
    )
    .await?;
    tx.commit().await?;
    Ok(Registered { id, placed, token })
}

/// Cancels a registration by its link's token (anyone holding the link) or, for staff, by id.
/// The first people waiting get the freed place and are told at once.
pub async fn cancel_registration(
    store: &Store,
    subject: &Subject,
    registration: &RegistrationRow,
) -> Result<Vec<RegistrationRow>, EventError> {
    let mut tx = store.begin().await?;
    let (before, promoted) = match tx.cancel_registration(registration.id).await {
        Err(StoreError::NotFound) => return Err(EventError::NotFound),
        r => r?,
    };
    for r in &promoted {
        tx.enqueue(job(
            EVENT_PROMOTED,
            &RegistrationMail {
                registration_id: r.id,
            },
        ))
        .await?;
    }
    let actor = subject.account.as_ref().map(|a| a.user_id);
    tx.audit(
        actor,
        "event.unregister",
        &format!("registration:{}", before.id),
        &format!("event:{} promoted {}", before.event_id, promoted.len()),
    )
    .await?;
    tx.commit().await?;
    Ok(promoted)
}

/// Staff cancel someone's registration (they phoned to say they cannot come).
pub async fn cancel_registration_by_staff(
    store: &Store,
    subject: &Subject,
    registration_id: i64,
) -> Result<Vec<RegistrationRow>, EventError> {
    let r = store
        .registration(registration_id)
        .await?
        .ok_or(EventError::NotFound)?;
    authorize(store, subject, r.event_id, On::Manage).await?;
    cancel_registration(store, subject, &r).await
}

/// The attendance sheet's save: who came among those registered, and walk-ins by category and
/// quartier.
pub async fn take_attendance(
    store: &Store,
    subject: &Subject,
    event_id: i64,
    present: &[i64],
    walk_ins: &[(Option<i64>, Option<i64>)],
) -> Result<(), EventError> {
    authorize(store, subject, event_id, On::TakeAttendance).await?;
    let registered = store.registrations(event_id).await?;
    if present
        .iter()
        .any(|id| !registered.iter().any(|r| r.id == *id))
    {
        return Err(invalid("present", "attendance-error-unknown"));
    }
    if walk_ins.len() > 1_000 {
        return Err(invalid("walk_ins", "attendance-error-too-many"));
    }
    let actor = subject.account.as_ref().map(|a| a.user_id);
    let mut tx = store.begin().await?;
    for r in registered.iter().filter(|r| r.state == "confirmed") {
        let came = present.contains(&r.id);
        if came != (r.attended != 0) {
            tx.set_attended(r.id, came).await?;
        }
    }
    for (c, q) in walk_ins {
        tx.add_walk_in(event_id, *c, *q).await?;
    }
    tx.audit(
        actor,
        "event.attendance",
        &format!("event:{event_id}"),
        &format!("present {} walk-ins +{}", present.len(), walk_ins.len()),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// One point raised at an event, as the facilitator types it.
#[derive(Debug, Clone, Default)]
pub struct Point {
    pub question_id: i64,
    pub title: String,
    pub body: String,
    pub category_id: Option<i64>,
}

/// The channel of what was said at an event of this kind.
pub fn channel_of(kind: &str) -> Channel {
    match EventKind::parse(kind) {
        Some(EventKind::Mediation) => Channel::Mediation,
        Some(EventKind::Workshop) | None => Channel::Workshop,
        Some(_) => Channel::Conference,
    }
}

/// Writes the minutes and enters each point raised as a contribution whose provenance is the
/// event (its place and date), its channel that of the event's kind. Returns the new ids.
pub async fn write_minutes(
    store: &Store,
    subject: &Subject,
    event_id: i64,
    minutes: &str,
    points: &[Point],
) -> Result<Vec<i64>, EventError> {
    let e = authorize(store, subject, event_id, On::WriteMinutes).await?;
    if minutes.chars().count() > 50_000 {
        return Err(invalid("minutes", "minutes-error-too-long"));
    }
    if points.len() > crate::contributions::MAX_BULK {
        return Err(invalid("points", "minutes-error-too-many"));
    }
    let questions = store.questions(e.debate_id).await?;
    let mut errors = FieldErrors::default();
    for (i, p) in points.iter().enumerate() {
        if !questions.iter().any(|q| q.id == p.question_id) {
            errors.add(format!("point-{i}-question"), "minutes-error-question");
        }
        let title = p.title.trim();
        if title.is_empty() || title.chars().count() > 200 {
            errors.add(format!("point-{i}-title"), "minutes-error-title");
        }
        if p.body.trim().is_empty() || p.body.chars().count() > 10_000 {
            errors.add(format!("point-{i}-body"), "minutes-error-body");
        }
    }
    if !errors.is_empty() {
        return Err(EventError::Invalid(errors));
    }
    let actor = subject.account.as_ref().map(|a| a.user_id);
    let channel = channel_of(&e.kind).as_str();
    let place = if e.address.is_empty() {
        e.title.clone()
    } else {
        format!("{} — {}", e.title, e.address)
    };
    let mut tx = store.begin().await?;
    tx.set_event_minutes(event_id, minutes.trim()).await?;
    let mut ids = Vec::with_capacity(points.len());
    for p in points {
        let id = tx
            .insert_contribution(&storage::NewContribution {
                debate_id: e.debate_id,
                question_id: p.question_id,
                author_id: None,
                kind: "individual",
                channel,
                title: p.title.trim(),
                body: p.body.trim(),
                category_id: p.category_id,
                quartier_id: e.quartier_id,
                place: &place,
                received_at: Some(e.starts_at),
                entered_by: actor,
                organisation_id: None,
                summary: "",
            })
            .await?;
        tx.set_contribution_event(id, event_id).await?;
        ids.push(id);
    }
    tx.touch(e.debate_id);
    tx.audit(
        actor,
        "event.minutes",
        &format!("event:{event_id}"),
        &format!("{} contributions", ids.len()),
    )
    .await?;
    tx.commit().await?;
    Ok(ids)
}

/// The registrations of an event, for its staff (names and contacts: personal data). Each read
/// for an export is in the audit log.
pub async fn registrations_for_export(
    store: &Store,
    subject: &Subject,
    event_id: i64,
) -> Result<Vec<RegistrationRow>, EventError> {
    authorize(store, subject, event_id, On::Manage).await?;
    if !subject.may(Action::ExportRegistrations) {
        return Err(EventError::Forbidden);
    }
    let rows = store.registrations(event_id).await?;
    let actor = subject.account.as_ref().map(|a| a.user_id);
    let mut tx = store.begin().await?;
    tx.audit(
        actor,
        "event.export_registrations",
        &format!("event:{event_id}"),
        &format!("{} rows", rows.len()),
    )
    .await?;
    tx.commit().await?;
    Ok(rows)
}
