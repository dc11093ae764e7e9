//! What changed between two versions of a report, section by section (sections are matched by
//! their stable key): added, removed, retitled, lines of text added and removed, evidence added
//! and removed.

use crate::model::{FrozenSection, SectionKind, Snapshot};

/// One line of a section's text in a diff.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    Same(String),
    Added(String),
    Removed(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SectionDiff {
    pub key: i64,
    pub kind: SectionKind,
    /// The newer title (the older one for a removed section).
    pub title: String,
    /// The older title when it changed.
    pub old_title: Option<String>,
    pub added: bool,
    pub removed: bool,
    pub lines: Vec<Change>,
    pub citations_added: Vec<String>,
    pub citations_removed: Vec<String>,
}

impl SectionDiff {
    pub fn changed(&self) -> bool {
        self.added
            || self.removed
            || self.old_title.is_some()
            || !self.citations_added.is_empty()
            || !self.citations_removed.is_empty()
            || self.lines.iter().any(|l| !matches!(l, Change::Same(_)))
    }
}

/// Beyond this many line pairs, a changed text is shown as removed then added whole.
const MAX_CELLS: usize = 4_000_000;

/// The lines of `a` and `b` as a longest-common-subsequence diff.
pub fn lines(a: &str, b: &str) -> Vec<Change> {
    let a: Vec<&str> = a.lines().collect();
    let b: Vec<&str> = b.lines().collect();
    let (n, m) = (a.len(), b.len());
    if n.saturating_mul(m) > MAX_CELLS {
        return a
            .iter()
            .map(|l| Change::Removed(l.to_string()))
            .chain(b.iter().map(|l| Change::Added(l.to_string())))
            .collect();
    }
    // lcs[i][j]: length of the common subsequence of a[i..] and b[j..].
    let mut lcs = vec![vec![0u32; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[i][j] = if a[i] == b[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    let mut out = Vec::new();
    while i < n || j < m {
        if i < n && j < m && a[i] == b[j] {
            out.push(Change::Same(a[i].to_string()));
            i += 1;
            j += 1;
        } else if j < m && (i == n || lcs[i][j + 1] >= lcs[i + 1][j]) {
            out.push(Change::Added(b[j].to_string()));
            j += 1;
        } else {
            out.push(Change::Removed(a[i].to_string()));
            i += 1;
        }
    }
    out
}

fn summaries(s: &FrozenSection) -> Vec<String> {
    s.citations.iter().map(|c| c.summary()).collect()
}

/// Section by section, in the newer version's reading order, then the sections it removed.
pub fn diff(old: &Snapshot, new: &Snapshot) -> Vec<SectionDiff> {
    let mut out = Vec::new();
    for s in new.ordered() {
        match old.sections.iter().find(|o| o.key == s.key) {
            Some(o) => {
                let (before, after) = (summaries(o), summaries(s));
                out.push(SectionDiff {
                    key: s.key,
                    kind: s.kind,
                    title: s.title.clone(),
                    old_title: (o.title != s.title).then(|| o.title.clone()),
                    added: false,
                    removed: false,
                    lines: lines(&o.body, &s.body),
                    citations_added: after
                        .iter()
                        .filter(|c| !before.contains(c))
                        .cloned()
                        .collect(),
                    citations_removed: before
                        .iter()
                        .filter(|c| !after.contains(c))
                        .cloned()
                        .collect(),
                });
            }
            None => out.push(SectionDiff {
                key: s.key,
                kind: s.kind,
                title: s.title.clone(),
                old_title: None,
                added: true,
                removed: false,
                lines: s
                    .body
                    .lines()
                    .map(|l| Change::Added(l.to_string()))
                    .collect(),
                citations_added: summaries(s),
                citations_removed: Vec::new(),
            }),
        }
    }
    for o in old.ordered() {
        if !new.sections.iter().any(|s| s.key == o.key) {
            out.push(SectionDiff {
                key: o.key,
                kind: o.kind,
                title: o.title.clone(),
                old_title: None,
                added: false,
                removed: true,
                lines: o
                    .body
                    .lines()
                    .map(|l| Change::Removed(l.to_string()))
                    .collect(),
                citations_added: Vec::new(),
                citations_removed: summaries(o),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{CitedContribution, FrozenCitation, VersionState};

    fn section(key: i64, title: &str, body: &str, cited: &[i64]) -> FrozenSection {
        FrozenSection {
            key,
            kind: SectionKind::Finding,
            title: title.into(),
            body: body.into(),
            citations: cited
                .iter()
                .map(|id| {
                    FrozenCitation::Contribution(CitedContribution {
                        id: *id,
                        title: String::new(),
                        excerpt: format!("extrait {id}"),
                        channel: "online".into(),
                        question: String::new(),
                        category: None,
                        quartier: None,
                    })
                })
                .collect(),
        }
    }

    fn snap(sections: Vec<FrozenSection>) -> Snapshot {
        Snapshot {
            number: 1,
            state: VersionState::Saved,
            frozen_at: 0,
            sections,
        }
    }

    #[test]
    fn line_diff_keeps_common_lines() {
        let d = lines("a\nb\nc", "a\nx\nc\nd");
        assert_eq!(
            d,
            vec![
                Change::Same("a".into()),
                Change::Added("x".into()),
                Change::Removed("b".into()),
                Change::Same("c".into()),
                Change::Added("d".into()),
            ]
        );
        assert!(
            lines("same", "same")
                .iter()
                .all(|c| matches!(c, Change::Same(_)))
        );
    }

    #[test]
    fn sections_added_removed_retitled_and_recited() {
        let old = snap(vec![
            section(1, "Isolement", "Un\nDeux", &[10, 11]),
            section(2, "Supprimée", "Texte", &[]),
        ]);
        let new = snap(vec![
            section(1, "L'isolement", "Un\nTrois", &[11, 12]),
            section(3, "Nouvelle", "Neuve", &[]),
        ]);
        let d = diff(&old, &new);
        assert_eq!(d.len(), 3);
        let first = &d[0];
        assert_eq!(first.old_title.as_deref(), Some("Isolement"));
        assert_eq!(
            first.citations_added,
            vec!["contribution #12: extrait 12".to_string()]
        );
        assert_eq!(
            first.citations_removed,
            vec!["contribution #10: extrait 10".to_string()]
        );
        assert!(first.lines.contains(&Change::Removed("Deux".into())));
        assert!(d[1].added && d[1].key == 3);
        assert!(d[2].removed && d[2].key == 2);
        assert!(d.iter().all(SectionDiff::changed));
        let same = diff(&old, &old);
        assert!(same.iter().all(|s| !s.changed()));
    }
}
