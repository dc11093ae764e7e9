//! The small closed vocabularies of an event: what it is, where it stands, whether it is
//! public, and which access arrangements it offers. Each has a stable code for storage,
//! forms and the API; `parse` is the only way back from a code.

use serde::{Deserialize, Serialize};

/// What kind of gathering an event is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum EventKind {
    /// A neighbourhood workshop (atelier de quartier).
    #[serde(rename = "workshop")]
    Workshop,
    /// Outreach where facilitators go to people ("aller vers"): a market stall, a door-to-door round.
    #[serde(rename = "mediation")]
    Mediation,
    #[serde(rename = "conference")]
    Conference,
    #[serde(rename = "round_table")]
    RoundTable,
    /// A workshop that is one session of a conference programme (the Assises).
    #[serde(rename = "session_workshop")]
    ConferenceWorkshop,
}

impl EventKind {
    pub const ALL: [EventKind; 5] = [
        EventKind::Workshop,
        EventKind::Mediation,
        EventKind::Conference,
        EventKind::RoundTable,
        EventKind::ConferenceWorkshop,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::Workshop => "workshop",
            EventKind::Mediation => "mediation",
            EventKind::Conference => "conference",
            EventKind::RoundTable => "round_table",
            EventKind::ConferenceWorkshop => "session_workshop",
        }
    }

    pub fn parse(s: &str) -> Option<EventKind> {
        EventKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// Whether the event belongs to a conference programme rather than standing alone.
    pub fn is_programme_session(self) -> bool {
        matches!(self, EventKind::RoundTable | EventKind::ConferenceWorkshop)
    }
}

/// Where an event stands in its life. `Changed` keeps registrations open but tells
/// registered people that the time or place moved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventStatus {
    Scheduled,
    Changed,
    Cancelled,
    Held,
}

impl EventStatus {
    pub const ALL: [EventStatus; 4] = [
        EventStatus::Scheduled,
        EventStatus::Changed,
        EventStatus::Cancelled,
        EventStatus::Held,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EventStatus::Scheduled => "scheduled",
            EventStatus::Changed => "changed",
            EventStatus::Cancelled => "cancelled",
            EventStatus::Held => "held",
        }
    }

    pub fn parse(s: &str) -> Option<EventStatus> {
        EventStatus::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// Whether the public can see the event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Publication {
    #[default]
    Draft,
    Published,
}

impl Publication {
    pub fn as_str(self) -> &'static str {
        match self {
            Publication::Draft => "draft",
            Publication::Published => "published",
        }
    }

    pub fn parse(s: &str) -> Option<Publication> {
        match s {
            "draft" => Some(Publication::Draft),
            "published" => Some(Publication::Published),
            _ => None,
        }
    }
}

/// The access arrangements an event offers. Stored and sent in forms as a compact,
/// comma-separated list of codes in a fixed order, e.g. `"step_free,hearing_loop"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub struct Accessibility {
    pub step_free: bool,
    pub hearing_loop: bool,
    pub childcare: bool,
    pub interpreting: bool,
}

impl Accessibility {
    /// Every code, in the order `code()` writes them.
    pub const CODES: [&'static str; 4] = ["step_free", "hearing_loop", "childcare", "interpreting"];

    fn flags(&self) -> [bool; 4] {
        [
            self.step_free,
            self.hearing_loop,
            self.childcare,
            self.interpreting,
        ]
    }

    fn flag_mut(&mut self, code: &str) -> Option<&mut bool> {
        match code {
            "step_free" => Some(&mut self.step_free),
            "hearing_loop" => Some(&mut self.hearing_loop),
            "childcare" => Some(&mut self.childcare),
            "interpreting" => Some(&mut self.interpreting),
            _ => None,
        }
    }

    /// The codes of the arrangements offered, comma-separated; empty when none.
    pub fn code(&self) -> String {
        Self::CODES
            .iter()
            .zip(self.flags())
            .filter(|(_, on)| *on)
            .map(|(code, _)| *code)
            .collect::<Vec<_>>()
            .join(",")
    }

    /// Reads a code list in any order; blanks and repeats are tolerated, unknown codes are not.
    pub fn parse(s: &str) -> Option<Accessibility> {
        let mut a = Accessibility::default();
        for code in s.split(',').map(str::trim).filter(|c| !c.is_empty()) {
            *a.flag_mut(code)? = true;
        }
        Some(a)
    }

    /// The codes offered, for templates that show one line per arrangement.
    pub fn offered(&self) -> Vec<&'static str> {
        Self::CODES
            .iter()
            .zip(self.flags())
            .filter(|(_, on)| *on)
            .map(|(code, _)| *code)
            .collect()
    }

    pub fn is_empty(&self) -> bool {
        !self.flags().contains(&true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kind_codes_round_trip() {
        for k in EventKind::ALL {
            assert_eq!(EventKind::parse(k.as_str()), Some(k));
        }
        assert_eq!(EventKind::parse("Workshop"), None);
        assert!(EventKind::ConferenceWorkshop.is_programme_session());
        assert!(EventKind::RoundTable.is_programme_session());
        assert!(!EventKind::Workshop.is_programme_session());
        assert!(!EventKind::Mediation.is_programme_session());
    }

    #[test]
    fn status_and_publication_codes_round_trip() {
        for s in EventStatus::ALL {
            assert_eq!(EventStatus::parse(s.as_str()), Some(s));
        }
        for p in [Publication::Draft, Publication::Published] {
            assert_eq!(Publication::parse(p.as_str()), Some(p));
        }
        assert_eq!(EventStatus::parse(""), None);
    }

    #[test]
    fn accessibility_code_round_trips() {
        let cases = [
            ("", Accessibility::default()),
            (
                "step_free,hearing_loop",
                Accessibility {
                    step_free: true,
                    hearing_loop: true,
                    ..Default::default()
                },
            ),
            (
                "step_free,hearing_loop,childcare,interpreting",
                Accessibility {
                    step_free: true,
                    hearing_loop: true,
                    childcare: true,
                    interpreting: true,
                },
            ),
        ];
        for (code, flags) in cases {
            assert_eq!(flags.code(), code);
            assert_eq!(Accessibility::parse(code), Some(flags));
        }
    }

    #[test]
    fn accessibility_parse_is_tolerant_but_not_lax() {
        let a = Accessibility::parse(" childcare , step_free,,childcare ");
        assert_eq!(a.map(|a| a.code()), Some("step_free,childcare".to_string()));
        assert_eq!(Accessibility::parse("step_free,lift"), None);
        assert!(Accessibility::default().is_empty());
    }
}
