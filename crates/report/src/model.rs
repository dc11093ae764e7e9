//! What a report is made of. The working draft lives in rows (storage); a frozen version — saved
//! or published — is a [`Snapshot`]: the sections with every cited excerpt, count and attendance
//! copied at the moment of freezing, so that a published figure never changes afterwards.

use serde::{Deserialize, Serialize};

/// The three parts of a report, in reading order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SectionKind {
    Diagnosis,
    Finding,
    Recommendation,
}

impl SectionKind {
    pub const ALL: [SectionKind; 3] = [
        SectionKind::Diagnosis,
        SectionKind::Finding,
        SectionKind::Recommendation,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            SectionKind::Diagnosis => "diagnosis",
            SectionKind::Finding => "finding",
            SectionKind::Recommendation => "recommendation",
        }
    }

    pub fn parse(s: &str) -> Option<SectionKind> {
        SectionKind::ALL
            .into_iter()
            .find(|k| k.as_str() == s.trim())
    }
}

/// Where a version stands. Only the draft is edited; saved and published versions are frozen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VersionState {
    Draft,
    Saved,
    Published,
}

impl VersionState {
    pub fn as_str(self) -> &'static str {
        match self {
            VersionState::Draft => "draft",
            VersionState::Saved => "saved",
            VersionState::Published => "published",
        }
    }

    /// Unknown values count as frozen: nothing is edited by mistake.
    pub fn parse(s: &str) -> VersionState {
        match s {
            "draft" => VersionState::Draft,
            "published" => VersionState::Published,
            _ => VersionState::Saved,
        }
    }

    pub fn is_frozen(self) -> bool {
        self != VersionState::Draft
    }
}

/// The kinds of evidence a section can cite. A survey result (weighted share and interval) is
/// the next kind to come: a new variant here and in [`FrozenCitation`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CitationKind {
    Contribution,
    Theme,
    Event,
}

impl CitationKind {
    pub const ALL: [CitationKind; 3] = [
        CitationKind::Contribution,
        CitationKind::Theme,
        CitationKind::Event,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            CitationKind::Contribution => "contribution",
            CitationKind::Theme => "theme",
            CitationKind::Event => "event",
        }
    }

    pub fn parse(s: &str) -> Option<CitationKind> {
        CitationKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// A contribution as cited: the excerpt the analyst chose, with where it came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CitedContribution {
    pub id: i64,
    pub title: String,
    pub excerpt: String,
    pub channel: String,
    pub question: String,
    #[serde(default)]
    pub category: Option<String>,
    #[serde(default)]
    pub quartier: Option<String>,
}

/// Counts by value of one dimension, largest first.
pub type Counts = Vec<(String, i64)>;

/// A theme's counts and breakdowns as they were when frozen.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Figures {
    pub channel: Counts,
    pub question: Counts,
    pub category: Counts,
    pub quartier: Counts,
}

/// A theme of a synthesis run, with its size and breakdowns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CitedTheme {
    pub run_id: i64,
    pub theme: i64,
    pub label: String,
    pub size: i64,
    pub figures: Figures,
}

/// An event: its minutes and who came.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CitedEvent {
    pub id: i64,
    pub title: String,
    pub starts_at: i64,
    #[serde(default)]
    pub quartier: Option<String>,
    pub minutes: String,
    /// Registered people ticked present, and walk-ins.
    pub present: i64,
    pub walk_ins: i64,
}

/// One piece of evidence in a frozen version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum FrozenCitation {
    Contribution(CitedContribution),
    Theme(CitedTheme),
    Event(CitedEvent),
}

impl FrozenCitation {
    pub fn kind(&self) -> CitationKind {
        match self {
            FrozenCitation::Contribution(_) => CitationKind::Contribution,
            FrozenCitation::Theme(_) => CitationKind::Theme,
            FrozenCitation::Event(_) => CitationKind::Event,
        }
    }

    /// One line that names the evidence, for the diff between versions.
    pub fn summary(&self) -> String {
        match self {
            FrozenCitation::Contribution(c) => format!("contribution #{}: {}", c.id, c.excerpt),
            FrozenCitation::Theme(t) => {
                format!(
                    "theme {} of run {}: {} ({})",
                    t.theme, t.run_id, t.label, t.size
                )
            }
            FrozenCitation::Event(e) => format!("event #{}: {}", e.id, e.title),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FrozenSection {
    /// Stable across versions: the same section in two versions has the same key.
    pub key: i64,
    pub kind: SectionKind,
    pub title: String,
    /// Markdown as the analyst wrote it (rendered inert on display).
    pub body: String,
    pub citations: Vec<FrozenCitation>,
}

/// A whole version, frozen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Snapshot {
    pub number: i64,
    pub state: VersionState,
    /// Unix seconds.
    pub frozen_at: i64,
    pub sections: Vec<FrozenSection>,
}

impl Snapshot {
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    pub fn from_json(s: &str) -> Result<Snapshot, serde_json::Error> {
        serde_json::from_str(s)
    }

    /// Sections in reading order: diagnosis, findings, recommendations (stable within a kind).
    pub fn ordered(&self) -> Vec<&FrozenSection> {
        let mut v: Vec<&FrozenSection> = self.sections.iter().collect();
        v.sort_by_key(|s| s.kind);
        v
    }

    /// Every contribution cited anywhere in the version.
    pub fn cited_contributions(&self) -> Vec<i64> {
        let mut ids: Vec<i64> = self
            .sections
            .iter()
            .flat_map(|s| s.citations.iter())
            .filter_map(|c| match c {
                FrozenCitation::Contribution(c) => Some(c.id),
                _ => None,
            })
            .collect();
        ids.sort_unstable();
        ids.dedup();
        ids
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Snapshot {
        Snapshot {
            number: 2,
            state: VersionState::Published,
            frozen_at: 1_700_000_000,
            sections: vec![
                FrozenSection {
                    key: 9,
                    kind: SectionKind::Recommendation,
                    title: "Ouvrir".into(),
                    body: "Texte".into(),
                    citations: vec![],
                },
                FrozenSection {
                    key: 3,
                    kind: SectionKind::Finding,
                    title: "Isolement".into(),
                    body: "**Fort**".into(),
                    citations: vec![
                        FrozenCitation::Contribution(CitedContribution {
                            id: 12,
                            title: "T".into(),
                            excerpt: "seul".into(),
                            channel: "paper".into(),
                            question: "Q1".into(),
                            category: None,
                            quartier: Some("Nord".into()),
                        }),
                        FrozenCitation::Theme(CitedTheme {
                            run_id: 1,
                            theme: 0,
                            label: "isolement".into(),
                            size: 40,
                            figures: Figures::default(),
                        }),
                        FrozenCitation::Contribution(CitedContribution {
                            id: 12,
                            title: "T".into(),
                            excerpt: "autre".into(),
                            channel: "paper".into(),
                            question: "Q1".into(),
                            category: None,
                            quartier: None,
                        }),
                    ],
                },
            ],
        }
    }

    #[test]
    fn snapshots_round_trip_and_keep_their_kind_tags() {
        let s = sample();
        let json = s.to_json();
        assert!(json.contains("\"kind\":\"contribution\""), "{json}");
        assert!(json.contains("\"kind\":\"theme\""), "{json}");
        assert_eq!(Snapshot::from_json(&json).expect("parse"), s);
    }

    #[test]
    fn reading_order_and_cited_ids() {
        let s = sample();
        let kinds: Vec<SectionKind> = s.ordered().iter().map(|x| x.kind).collect();
        assert_eq!(
            kinds,
            vec![SectionKind::Finding, SectionKind::Recommendation]
        );
        assert_eq!(s.cited_contributions(), vec![12]);
    }

    #[test]
    fn unknown_states_are_frozen_and_kinds_parse() {
        assert!(VersionState::parse("???").is_frozen());
        assert!(!VersionState::parse("draft").is_frozen());
        assert_eq!(SectionKind::parse(" finding "), Some(SectionKind::Finding));
        assert_eq!(SectionKind::parse("conclusion"), None);
        assert_eq!(CitationKind::parse("event"), Some(CitationKind::Event));
        assert_eq!(CitationKind::parse("survey"), None);
    }
}
