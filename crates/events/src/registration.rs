//! Who gets a seat and when registering is allowed. The storage layer counts confirmed
//! registrations inside its transaction and asks these functions; the rules live here so
//! the page, the API and the offline entry all agree.

use jiff::Timestamp;
use serde::Serialize;

use crate::kind::{EventStatus, Publication};

/// Where a new registration lands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Placement {
    Confirmed,
    /// On the waiting list, promoted when a confirmed person cancels.
    Waiting,
}

impl Placement {
    pub fn as_str(self) -> &'static str {
        match self {
            Placement::Confirmed => "confirmed",
            Placement::Waiting => "waiting",
        }
    }

    pub fn parse(s: &str) -> Option<Placement> {
        match s {
            "confirmed" => Some(Placement::Confirmed),
            "waiting" => Some(Placement::Waiting),
            _ => None,
        }
    }
}

/// The next registration is confirmed while seats remain; `None` capacity is unlimited.
pub fn place(capacity: Option<u32>, confirmed_count: u32) -> Placement {
    match capacity {
        Some(cap) if confirmed_count >= cap => Placement::Waiting,
        _ => Placement::Confirmed,
    }
}

/// Seats still free; `None` when unlimited. Never negative, even when an organiser lowered
/// the capacity below the number already confirmed.
pub fn places_left(capacity: Option<u32>, confirmed_count: u32) -> Option<u32> {
    capacity.map(|cap| cap.saturating_sub(confirmed_count))
}

/// What decides whether registering is open, as stored for an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RegistrationWindow {
    pub publication: Publication,
    pub status: EventStatus,
    pub starts_at: Timestamp,
    /// `None`: open from publication.
    pub opens: Option<Timestamp>,
    /// `None`: open until the start.
    pub closes: Option<Timestamp>,
}

/// Why a registration is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum RegistrationRefusal {
    #[error("the event is not published")]
    NotPublished,
    #[error("the event is cancelled")]
    Cancelled,
    #[error("registration is not open yet")]
    NotYetOpen,
    #[error("registration is closed")]
    Closed,
    #[error("the event has taken place")]
    Held,
}

impl RegistrationRefusal {
    /// The Fluent message id that explains the refusal.
    pub fn key(self) -> &'static str {
        match self {
            RegistrationRefusal::NotPublished => "registration-refused-not-published",
            RegistrationRefusal::Cancelled => "registration-refused-cancelled",
            RegistrationRefusal::NotYetOpen => "registration-refused-not-yet-open",
            RegistrationRefusal::Closed => "registration-refused-closed",
            RegistrationRefusal::Held => "registration-refused-held",
        }
    }
}

/// Whether someone may register at `now`. Registration ends at `closes` or at the start,
/// whichever comes first: nobody registers for an event already under way.
pub fn registration_open(
    now: Timestamp,
    event: &RegistrationWindow,
) -> Result<(), RegistrationRefusal> {
    if event.publication != Publication::Published {
        return Err(RegistrationRefusal::NotPublished);
    }
    match event.status {
        EventStatus::Cancelled => return Err(RegistrationRefusal::Cancelled),
        EventStatus::Held => return Err(RegistrationRefusal::Held),
        EventStatus::Scheduled | EventStatus::Changed => {}
    }
    let closes = event
        .closes
        .map_or(event.starts_at, |c| c.min(event.starts_at));
    if now >= closes {
        return Err(RegistrationRefusal::Closed);
    }
    if event.opens.is_some_and(|opens| now < opens) {
        return Err(RegistrationRefusal::NotYetOpen);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placement_and_places_left() {
        let cases = [
            // capacity, confirmed, placement, places left
            (None, 0, Placement::Confirmed, None),
            (None, 10_000, Placement::Confirmed, None),
            (Some(1), 0, Placement::Confirmed, Some(1)),
            (Some(20), 19, Placement::Confirmed, Some(1)),
            (Some(20), 20, Placement::Waiting, Some(0)),
            (Some(20), 25, Placement::Waiting, Some(0)),
            (Some(0), 0, Placement::Waiting, Some(0)),
        ];
        for (cap, confirmed, placement, left) in cases {
            assert_eq!(place(cap, confirmed), placement, "{cap:?} {confirmed}");
            assert_eq!(places_left(cap, confirmed), left, "{cap:?} {confirmed}");
        }
        assert_eq!(
            Placement::parse(Placement::Waiting.as_str()),
            Some(Placement::Waiting)
        );
    }

    fn at(s: &str) -> Timestamp {
        s.parse().expect("test timestamp")
    }

    fn window() -> RegistrationWindow {
        RegistrationWindow {
            publication: Publication::Published,
            status: EventStatus::Scheduled,
            starts_at: at("2027-03-14T17:00:00Z"),
            opens: Some(at("2027-03-01T08:00:00Z")),
            closes: Some(at("2027-03-13T12:00:00Z")),
        }
    }

    #[test]
    fn registration_window_table() {
        use RegistrationRefusal::*;
        type Change = fn(&mut RegistrationWindow);
        let keep: Change = |_| {};
        let cases: &[(&str, &str, Change, Result<(), RegistrationRefusal>)] = &[
            ("open", "2027-03-05T10:00:00Z", keep, Ok(())),
            ("at opening", "2027-03-01T08:00:00Z", keep, Ok(())),
            (
                "before opening",
                "2027-02-28T10:00:00Z",
                keep,
                Err(NotYetOpen),
            ),
            ("at closing", "2027-03-13T12:00:00Z", keep, Err(Closed)),
            ("after closing", "2027-03-14T10:00:00Z", keep, Err(Closed)),
            (
                "changed stays open",
                "2027-03-05T10:00:00Z",
                |w| w.status = EventStatus::Changed,
                Ok(()),
            ),
            (
                "draft",
                "2027-03-05T10:00:00Z",
                |w| w.publication = Publication::Draft,
                Err(NotPublished),
            ),
            (
                "cancelled",
                "2027-03-05T10:00:00Z",
                |w| w.status = EventStatus::Cancelled,
                Err(Cancelled),
            ),
            (
                "held",
                "2027-03-15T10:00:00Z",
                |w| w.status = EventStatus::Held,
                Err(Held),
            ),
            (
                "no dates, before start",
                "2027-03-14T16:59:59Z",
                |w| {
                    w.opens = None;
                    w.closes = None;
                },
                Ok(()),
            ),
            (
                "no dates, at start",
                "2027-03-14T17:00:00Z",
                |w| {
                    w.opens = None;
                    w.closes = None;
                },
                Err(Closed),
            ),
            (
                "closing after the start still ends at the start",
                "2027-03-14T17:30:00Z",
                |w| {
                    w.closes = Some(at("2027-03-14T19:00:00Z"));
                },
                Err(Closed),
            ),
        ];
        for (name, now, change, expected) in cases {
            let mut w = window();
            change(&mut w);
            assert_eq!(registration_open(at(now), &w), *expected, "{name}");
        }
    }

    #[test]
    fn every_refusal_has_a_key() {
        use RegistrationRefusal::*;
        for r in [NotPublished, Cancelled, NotYetOpen, Closed, Held] {
            assert!(r.key().starts_with("registration-refused-"));
        }
    }
}
