//! iCalendar (RFC 5545) files for events: one file per event ("add to my calendar") and a
//! calendar of a debate's events to subscribe to. Times are written in the debate's time
//! zone with a VTIMEZONE, so that a client shows the hour printed on the poster.
//!
//! A changed or cancelled event keeps its UID and gets a higher SEQUENCE, which is how a
//! client that subscribed knows to update the entry it already has.

mod line;
mod vtimezone;

use jiff::tz::TimeZone;
use jiff::{Timestamp, Zoned};

use crate::kind::EventStatus;
use line::Writer;

pub use line::{MAX_OCTETS, escape_text};

const PRODID: &str = "-//Concorde//Concorde events//FR";

/// One event as it goes into a calendar file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IcsEvent {
    /// Stable across edits, unique across hosts, e.g. `event-12@concertation.angers.fr`.
    pub uid: String,
    /// Raised on each change a participant should see (time, place, cancellation).
    pub sequence: u32,
    pub title: String,
    /// Plain text; empty leaves the property out.
    pub description: String,
    /// Empty leaves the property out.
    pub location: String,
    /// The event's page; empty leaves the property out.
    pub url: String,
    pub start: Timestamp,
    pub end: Timestamp,
    pub status: EventStatus,
    pub last_modified: Timestamp,
}

/// A calendar of `events` named `name`, times in `tz`. `now` is the DTSTAMP.
pub fn calendar(name: &str, events: &[IcsEvent], tz: &TimeZone, now: Timestamp) -> String {
    write(Some(name), events, tz, now)
}

/// A file holding one event, for "add to my calendar". It has no calendar name, so that
/// clients add the event to a calendar the person already has rather than create one.
pub fn event_file(event: &IcsEvent, tz: &TimeZone, now: Timestamp) -> String {
    write(None, std::slice::from_ref(event), tz, now)
}

fn write(name: Option<&str>, events: &[IcsEvent], tz: &TimeZone, now: Timestamp) -> String {
    let mut w = Writer::default();
    w.begin("VCALENDAR");
    w.raw("VERSION", "2.0");
    w.text("PRODID", PRODID);
    w.raw("CALSCALE", "GREGORIAN");
    w.raw("METHOD", "PUBLISH");
    if let Some(name) = name {
        w.text("X-WR-CALNAME", name);
    }
    let tzid = vtimezone::tzid(tz);
    if let (Some(tzid), Some((first, last))) = (tzid, years(events, tz)) {
        w.text("X-WR-TIMEZONE", tzid);
        vtimezone::write(&mut w, tz, tzid, first, last);
    }
    for event in events {
        write_event(&mut w, event, tz, tzid, now);
    }
    w.end("VCALENDAR");
    w.finish()
}

/// The first and last local years any event touches.
fn years(events: &[IcsEvent], tz: &TimeZone) -> Option<(i16, i16)> {
    let years = events
        .iter()
        .flat_map(|e| [e.start, e.end])
        .map(|ts| Zoned::new(ts, tz.clone()).year());
    years.fold(None, |acc, y| match acc {
        None => Some((y, y)),
        Some((lo, hi)) => Some((lo.min(y), hi.max(y))),
    })
}

fn write_event(w: &mut Writer, e: &IcsEvent, tz: &TimeZone, tzid: Option<&str>, now: Timestamp) {
    w.begin("VEVENT");
    w.text("UID", &e.uid);
    w.raw("DTSTAMP", &utc(now));
    w.raw("LAST-MODIFIED", &utc(e.last_modified));
    w.raw("SEQUENCE", &e.sequence.to_string());
    w.text("SUMMARY", &e.title);
    write_time(w, "DTSTART", e.start, tz, tzid);
    write_time(w, "DTEND", e.end, tz, tzid);
    if !e.description.is_empty() {
        w.text("DESCRIPTION", &e.description);
    }
    if !e.location.is_empty() {
        w.text("LOCATION", &e.location);
    }
    if !e.url.is_empty() {
        w.raw("URL", &e.url);
    }
    w.raw("STATUS", status(e.status));
    w.raw("TRANSP", "OPAQUE");
    w.end("VEVENT");
}

fn status(s: EventStatus) -> &'static str {
    match s {
        EventStatus::Scheduled | EventStatus::Changed | EventStatus::Held => "CONFIRMED",
        EventStatus::Cancelled => "CANCELLED",
    }
}

fn write_time(w: &mut Writer, name: &str, ts: Timestamp, tz: &TimeZone, tzid: Option<&str>) {
    match tzid {
        Some(tzid) => {
            let local = Zoned::new(ts, tz.clone()).datetime();
            w.with_param(name, "TZID", tzid, &vtimezone::local(local));
        }
        None => w.raw(name, &utc(ts)),
    }
}

/// A UTC DATE-TIME value (§3.3.5, form 2), e.g. `20270314T170000Z`.
fn utc(ts: Timestamp) -> String {
    ts.strftime("%Y%m%dT%H%M%SZ").to_string()
}

#[cfg(test)]
mod tests;
