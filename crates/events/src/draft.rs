//! The event form as typed (`EventDraft`) and the checked values it becomes (`EventInput`).
//! Every field is checked, so a form shows all its mistakes at once; field names are the
//! form's input names and error keys are Fluent message ids.

use domain::FieldErrors;
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};
use serde::Deserialize;

use crate::kind::{Accessibility, EventKind};
use crate::local_time;

pub const MAX_TITLE: usize = 200;
pub const MAX_DESCRIPTION: usize = 50_000;
pub const MAX_QUARTIER: usize = 100;
pub const MAX_ADDRESS: usize = 300;
pub const MAX_ACCESS_NOTES: usize = 2_000;
pub const MAX_LINK: usize = 2_000;
pub const MAX_REMINDER_TEXT: usize = 1_000;
/// Larger than any hall a city hires; a bigger number is a typo.
pub const MAX_CAPACITY: u32 = 100_000;
/// Thirty days.
pub const MAX_REMINDER_HOURS: u32 = 720;
pub const DEFAULT_REMINDER_HOURS: u32 = 24;
/// Years outside this range are typos ("0027", "20277") rather than plans.
const YEARS: std::ops::RangeInclusive<i16> = 1970..=2199;

/// Every error key `EventDraft::validate` can return, for checking that each is translated.
pub const ERROR_KEYS: &[&str] = &[
    "event-error-title-required",
    "event-error-title-too-long",
    "event-error-description-too-long",
    "event-error-kind-invalid",
    "event-error-quartier-too-long",
    "event-error-address-too-long",
    "event-error-access-notes-too-long",
    "event-error-accessibility-invalid",
    "event-error-place-required",
    "event-error-date-required",
    "event-error-date-invalid",
    "event-error-end-before-start",
    "event-error-link-invalid",
    "event-error-capacity-invalid",
    "event-error-capacity-positive",
    "event-error-capacity-too-large",
    "event-error-registration-opens-after-closes",
    "event-error-registration-opens-after-start",
    "event-error-registration-closes-after-end",
    "event-error-reminder-invalid",
    "event-error-reminder-range",
    "event-error-reminder-text-too-long",
];

/// The event form, every field as the browser sent it. Absent fields read as empty.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct EventDraft {
    pub title: String,
    /// Markdown.
    pub description: String,
    /// An `EventKind` code.
    pub kind: String,
    pub quartier: String,
    pub address: String,
    /// How to get there: transport, entrance, floor.
    pub access_notes: String,
    /// An `Accessibility` code list; the page joins its ticked boxes' values with commas.
    pub accessibility: String,
    /// `datetime-local`, in the debate's time zone.
    pub starts_at: String,
    pub ends_at: String,
    pub online_link: String,
    /// Empty means unlimited.
    pub capacity: String,
    /// Empty means open from publication.
    pub registration_opens: String,
    /// Empty means open until the start.
    pub registration_closes: String,
    /// Empty means `DEFAULT_REMINDER_HOURS`; 0 means no reminder.
    pub reminder_hours: String,
    /// Added to the reminder mail, e.g. "bring your own cup".
    pub reminder_text: String,
}

/// A checked event. Optional texts are `None` rather than empty.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventInput {
    pub title: String,
    pub description: String,
    pub kind: EventKind,
    pub quartier: Option<String>,
    pub address: Option<String>,
    pub access_notes: Option<String>,
    pub accessibility: Accessibility,
    pub starts_at: Timestamp,
    pub ends_at: Timestamp,
    pub online_link: Option<String>,
    pub capacity: Option<u32>,
    pub registration_opens: Option<Timestamp>,
    pub registration_closes: Option<Timestamp>,
    pub reminder_hours: u32,
    pub reminder_text: Option<String>,
}

impl EventDraft {
    /// Checks every field and converts times from `tz`, the debate's time zone.
    pub fn validate(&self, tz: &TimeZone) -> Result<EventInput, FieldErrors> {
        let mut errors = FieldErrors::default();
        let e = &mut errors;
        let title = e.check("title", title(&self.title));
        let description = e.check(
            "description",
            optional(
                &self.description,
                MAX_DESCRIPTION,
                "event-error-description-too-long",
            ),
        );
        let kind = e.check(
            "kind",
            EventKind::parse(self.kind.trim()).ok_or("event-error-kind-invalid"),
        );
        let quartier = e.check(
            "quartier",
            optional(
                &self.quartier,
                MAX_QUARTIER,
                "event-error-quartier-too-long",
            ),
        );
        let address = e.check(
            "address",
            optional(&self.address, MAX_ADDRESS, "event-error-address-too-long"),
        );
        let access_notes = e.check(
            "access_notes",
            optional(
                &self.access_notes,
                MAX_ACCESS_NOTES,
                "event-error-access-notes-too-long",
            ),
        );
        let accessibility = e.check(
            "accessibility",
            Accessibility::parse(&self.accessibility).ok_or("event-error-accessibility-invalid"),
        );
        let online_link = e.check("online_link", link(&self.online_link));
        let starts_at = e.check("starts_at", required_time(&self.starts_at, tz));
        let ends_at = e.check("ends_at", required_time(&self.ends_at, tz));
        let capacity = e.check("capacity", capacity(&self.capacity));
        let opens = e.check(
            "registration_opens",
            optional_time(&self.registration_opens, tz),
        );
        let closes = e.check(
            "registration_closes",
            optional_time(&self.registration_closes, tz),
        );
        let reminder_hours = e.check("reminder_hours", reminder_hours(&self.reminder_hours));
        let reminder_text = e.check(
            "reminder_text",
            optional(
                &self.reminder_text,
                MAX_REMINDER_TEXT,
                "event-error-reminder-text-too-long",
            ),
        );

        if let (Some(None), Some(None)) = (&address, &online_link) {
            e.add("address", "event-error-place-required");
        }
        if let (Some(start), Some(end)) = (starts_at, ends_at) {
            check_order(e, start, end, opens.flatten(), closes.flatten());
        }

        let assemble = || {
            Some(EventInput {
                title: title?,
                description: description?.unwrap_or_default(),
                kind: kind?,
                quartier: quartier?,
                address: address?,
                access_notes: access_notes?,
                accessibility: accessibility?,
                starts_at: starts_at?,
                ends_at: ends_at?,
                online_link: online_link?,
                capacity: capacity?,
                registration_opens: opens?,
                registration_closes: closes?,
                reminder_hours: reminder_hours?,
                reminder_text: reminder_text?,
            })
        };
        match assemble() {
            Some(input) if errors.is_empty() => Ok(input),
            _ => Err(errors),
        }
    }

    /// The form that shows `input` again, for editing.
    pub fn from_input(input: &EventInput, tz: &TimeZone) -> EventDraft {
        let time = |ts: Timestamp| local_time::format_datetime_local(ts, tz);
        let text = |s: &Option<String>| s.clone().unwrap_or_default();
        EventDraft {
            title: input.title.clone(),
            description: input.description.clone(),
            kind: input.kind.as_str().to_string(),
            quartier: text(&input.quartier),
            address: text(&input.address),
            access_notes: text(&input.access_notes),
            accessibility: input.accessibility.code(),
            starts_at: time(input.starts_at),
            ends_at: time(input.ends_at),
            online_link: text(&input.online_link),
            capacity: input.capacity.map(|c| c.to_string()).unwrap_or_default(),
            registration_opens: input.registration_opens.map(time).unwrap_or_default(),
            registration_closes: input.registration_closes.map(time).unwrap_or_default(),
            reminder_hours: input.reminder_hours.to_string(),
            reminder_text: text(&input.reminder_text),
        }
    }
}

impl EventInput {
    /// When the reminder should go out; `None` when reminders are off (0 hours).
    pub fn reminder_at(&self) -> Option<Timestamp> {
        if self.reminder_hours == 0 {
            return None;
        }
        let before = SignedDuration::from_hours(i64::from(self.reminder_hours));
        self.starts_at.checked_sub(before).ok()
    }
}

/// The order checks between times that each parsed on their own.
fn check_order(
    e: &mut FieldErrors,
    start: Timestamp,
    end: Timestamp,
    opens: Option<Timestamp>,
    closes: Option<Timestamp>,
) {
    // An event that ends when it starts is as wrong as one that ends before.
    if end <= start {
        e.add("ends_at", "event-error-end-before-start");
    }
    if let Some(closes) = closes
        && closes > end
    {
        e.add(
            "registration_closes",
            "event-error-registration-closes-after-end",
        );
    }
    let Some(opens) = opens else { return };
    if opens >= start {
        e.add(
            "registration_opens",
            "event-error-registration-opens-after-start",
        );
    } else if closes.is_some_and(|closes| opens >= closes) {
        e.add(
            "registration_opens",
            "event-error-registration-opens-after-closes",
        );
    }
}

fn title(s: &str) -> Result<String, &'static str> {
    let t = s.trim();
    if t.is_empty() {
        Err("event-error-title-required")
    } else if t.chars().count() > MAX_TITLE {
        Err("event-error-title-too-long")
    } else {
        Ok(t.to_string())
    }
}

/// A trimmed optional text: `None` when blank.
fn optional(s: &str, max: usize, too_long: &'static str) -> Result<Option<String>, &'static str> {
    let t = s.trim();
    if t.chars().count() > max {
        Err(too_long)
    } else {
        Ok((!t.is_empty()).then(|| t.to_string()))
    }
}

fn required_time(s: &str, tz: &TimeZone) -> Result<Timestamp, &'static str> {
    if s.trim().is_empty() {
        return Err("event-error-date-required");
    }
    optional_time(s, tz)?.ok_or("event-error-date-invalid")
}

fn optional_time(s: &str, tz: &TimeZone) -> Result<Option<Timestamp>, &'static str> {
    if s.trim().is_empty() {
        return Ok(None);
    }
    local_time::parse_datetime_local(s)
        .filter(|dt| YEARS.contains(&dt.year()))
        .and_then(|dt| local_time::to_timestamp(dt, tz))
        .map(Some)
        .ok_or("event-error-date-invalid")
}

/// An `http` or `https` address with a host and no spaces; `None` when blank.
fn link(s: &str) -> Result<Option<String>, &'static str> {
    let t = s.trim();
    if t.is_empty() {
        return Ok(None);
    }
    let invalid = "event-error-link-invalid";
    if t.len() > MAX_LINK || t.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(invalid);
    }
    let (scheme, rest) = t.split_once("://").ok_or(invalid)?;
    if !scheme.eq_ignore_ascii_case("http") && !scheme.eq_ignore_ascii_case("https") {
        return Err(invalid);
    }
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host = authority.rsplit('@').next().unwrap_or_default();
    let host_ok = !host.is_empty()
        && !host.starts_with(['.', ':', '-'])
        && host
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'));
    if host_ok {
        Ok(Some(t.to_string()))
    } else {
        Err(invalid)
    }
}

fn capacity(s: &str) -> Result<Option<u32>, &'static str> {
    let t = s.trim();
    if t.is_empty() {
        return Ok(None);
    }
    let n: i64 = integer(t).ok_or("event-error-capacity-invalid")?;
    if n <= 0 {
        Err("event-error-capacity-positive")
    } else {
        u32::try_from(n)
            .ok()
            .filter(|n| *n <= MAX_CAPACITY)
            .map(Some)
            .ok_or("event-error-capacity-too-large")
    }
}

fn reminder_hours(s: &str) -> Result<u32, &'static str> {
    let t = s.trim();
    if t.is_empty() {
        return Ok(DEFAULT_REMINDER_HOURS);
    }
    let n = integer(t).ok_or("event-error-reminder-invalid")?;
    u32::try_from(n)
        .ok()
        .filter(|n| *n <= MAX_REMINDER_HOURS)
        .ok_or("event-error-reminder-range")
}

/// A whole number in ASCII digits with an optional sign; very long numbers saturate so
/// that they report as out of range rather than as not a number.
fn integer(s: &str) -> Option<i64> {
    let (negative, digits) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s.strip_prefix('+').unwrap_or(s)),
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let magnitude = digits.parse::<i64>().unwrap_or(i64::MAX);
    Some(if negative { -magnitude } else { magnitude })
}

#[cfg(test)]
mod tests;
