//! Contributions: who may write one where and when, and what a valid one looks like.

use crate::debate::{Phase, PhaseKind, PhaseState};
use serde::{Deserialize, Serialize};

/// Where a contribution came from. Online ones are typed by their author; the others are typed
/// by a facilitator and keep their provenance.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    Online,
    Paper,
    Workshop,
    Mediation,
    /// Said at a session of a conference programme (a conference, a round table).
    Conference,
    Email,
    Phone,
    Import,
}

impl Channel {
    pub const ALL: [Channel; 8] = [
        Channel::Online,
        Channel::Paper,
        Channel::Workshop,
        Channel::Mediation,
        Channel::Conference,
        Channel::Email,
        Channel::Phone,
        Channel::Import,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Online => "online",
            Channel::Paper => "paper",
            Channel::Workshop => "workshop",
            Channel::Mediation => "mediation",
            Channel::Conference => "conference",
            Channel::Email => "email",
            Channel::Phone => "phone",
            Channel::Import => "import",
        }
    }

    pub fn parse(s: &str) -> Option<Channel> {
        Channel::ALL.into_iter().find(|c| c.as_str() == s)
    }
}

/// Whether contributions can be written now, and if not, why.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Window {
    /// Open until this time.
    Open { until: i64 },
    /// Opens at this time.
    NotYet { opens: i64 },
    /// Closed at this time.
    Closed { closed: i64 },
    /// The debate has no contributions phase.
    None,
}

/// The contributions window of a debate at `now`: the open contributions phase if any, else the
/// next one, else the last one that closed.
pub fn window(phases: &[Phase], now: i64) -> Window {
    let mut contributions: Vec<&Phase> = phases
        .iter()
        .filter(|p| p.kind == PhaseKind::Contributions)
        .collect();
    contributions.sort_by_key(|p| (p.starts_at, p.id));
    if let Some(p) = contributions
        .iter()
        .find(|p| p.state_at(now) == PhaseState::Current)
    {
        return Window::Open { until: p.ends_at };
    }
    if let Some(p) = contributions
        .iter()
        .find(|p| p.state_at(now) == PhaseState::Upcoming)
    {
        return Window::NotYet { opens: p.starts_at };
    }
    match contributions.last() {
        Some(p) => Window::Closed { closed: p.ends_at },
        None => Window::None,
    }
}

/// Default limit of an individual contribution's body, in characters.
pub const DEFAULT_MAX_BODY: usize = 3_000;

/// Reasons moderators pick from when hiding something (with their own words added or instead).
pub const MODERATION_PRESETS: [&str; 5] =
    ["insult", "personal-data", "spam", "off-topic", "illegal"];

#[cfg(test)]
mod tests {
    use super::*;

    fn phase(id: i64, kind: PhaseKind, s: i64, e: i64) -> Phase {
        Phase {
            id,
            debate_id: 1,
            kind,
            title: String::new(),
            description: String::new(),
            starts_at: s,
            ends_at: e,
        }
    }

    #[test]
    fn the_window_follows_the_clock() {
        let phases = [
            phase(1, PhaseKind::Survey, 0, 50),
            phase(2, PhaseKind::Contributions, 100, 200),
        ];
        assert_eq!(window(&phases, 10), Window::NotYet { opens: 100 });
        assert_eq!(window(&phases, 150), Window::Open { until: 200 });
        assert_eq!(window(&phases, 200), Window::Closed { closed: 200 });
        assert_eq!(window(&phases[..1], 150), Window::None);
        for c in Channel::ALL {
            assert_eq!(Channel::parse(c.as_str()), Some(c));
        }
    }
}
