//! Debates and their timeline. A debate has phases; which one is open follows the clock.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DebateStatus {
    Draft,
    Published,
}

impl DebateStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            DebateStatus::Draft => "draft",
            DebateStatus::Published => "published",
        }
    }

    pub fn parse(s: &str) -> Option<DebateStatus> {
        match s {
            "draft" => Some(DebateStatus::Draft),
            "published" => Some(DebateStatus::Published),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Debate {
    pub id: i64,
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub body_md: String,
    pub status: DebateStatus,
    pub image_file_id: Option<i64>,
    pub image_alt: String,
    pub created_at: i64,
    pub updated_at: i64,
}

/// The kinds of phase of the city's debates, in their usual order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PhaseKind {
    Survey,
    Contributions,
    Workshops,
    Assises,
    Report,
    CallForProjects,
    Other,
}

impl PhaseKind {
    pub const ALL: [PhaseKind; 7] = [
        PhaseKind::Survey,
        PhaseKind::Contributions,
        PhaseKind::Workshops,
        PhaseKind::Assises,
        PhaseKind::Report,
        PhaseKind::CallForProjects,
        PhaseKind::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            PhaseKind::Survey => "survey",
            PhaseKind::Contributions => "contributions",
            PhaseKind::Workshops => "workshops",
            PhaseKind::Assises => "assises",
            PhaseKind::Report => "report",
            PhaseKind::CallForProjects => "call_for_projects",
            PhaseKind::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<PhaseKind> {
        PhaseKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Phase {
    pub id: i64,
    pub debate_id: i64,
    pub kind: PhaseKind,
    pub title: String,
    pub description: String,
    /// Unix seconds, inclusive.
    pub starts_at: i64,
    /// Unix seconds, exclusive.
    pub ends_at: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PhaseState {
    Past,
    Current,
    Upcoming,
}

impl PhaseState {
    pub fn as_str(self) -> &'static str {
        match self {
            PhaseState::Past => "past",
            PhaseState::Current => "current",
            PhaseState::Upcoming => "upcoming",
        }
    }
}

impl Phase {
    pub fn state_at(&self, now: i64) -> PhaseState {
        if now < self.starts_at {
            PhaseState::Upcoming
        } else if now >= self.ends_at {
            PhaseState::Past
        } else {
            PhaseState::Current
        }
    }
}

/// The phase open at `now`. Phases may overlap (workshops run during contributions); the one that
/// started last wins, so the most specific moment of the debate is shown.
pub fn current_phase(phases: &[Phase], now: i64) -> Option<&Phase> {
    phases
        .iter()
        .filter(|p| p.state_at(now) == PhaseState::Current)
        .max_by_key(|p| (p.starts_at, p.id))
}

/// The phase a "Participer" button leads to: the open phase where people can act, else the next one.
pub fn participation_target(phases: &[Phase], now: i64) -> Option<&Phase> {
    let open: Vec<&Phase> = phases
        .iter()
        .filter(|p| p.state_at(now) == PhaseState::Current)
        .collect();
    open.iter()
        .find(|p| p.kind == PhaseKind::Contributions)
        .or_else(|| open.iter().max_by_key(|p| (p.starts_at, p.id)))
        .copied()
        .or_else(|| {
            phases
                .iter()
                .filter(|p| p.state_at(now) == PhaseState::Upcoming)
                .min_by_key(|p| (p.starts_at, p.id))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn phase(id: i64, kind: PhaseKind, starts_at: i64, ends_at: i64) -> Phase {
        Phase {
            id,
            debate_id: 1,
            kind,
            title: format!("p{id}"),
            description: String::new(),
            starts_at,
            ends_at,
        }
    }

    #[test]
    fn the_clock_moves_the_current_phase() {
        let phases = vec![
            phase(1, PhaseKind::Survey, 0, 100),
            phase(2, PhaseKind::Contributions, 100, 300),
            phase(3, PhaseKind::Workshops, 150, 200),
            phase(4, PhaseKind::Report, 300, 400),
        ];
        assert_eq!(phases[0].state_at(99), PhaseState::Current);
        assert_eq!(phases[0].state_at(100), PhaseState::Past);
        assert_eq!(phases[1].state_at(99), PhaseState::Upcoming);
        assert_eq!(current_phase(&phases, 50).map(|p| p.id), Some(1));
        assert_eq!(current_phase(&phases, 120).map(|p| p.id), Some(2));
        assert_eq!(current_phase(&phases, 160).map(|p| p.id), Some(3));
        assert!(current_phase(&phases, 400).is_none());
        // Contributions win the call to action even while a workshop runs.
        assert_eq!(participation_target(&phases, 160).map(|p| p.id), Some(2));
        // Before anything opens, the button leads to what comes next.
        assert_eq!(participation_target(&phases, -10).map(|p| p.id), Some(1));
        assert!(participation_target(&phases, 500).is_none());
    }
}
