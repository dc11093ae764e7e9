//! What a report looks like on a page, shared by the editor, the staff's reading of a frozen
//! version and the public report: sections with their rendered text and their evidence.

use app::report::Shown;
use report::{FrozenCitation, SectionKind, Snapshot};
use std::collections::HashMap;
use webkit::i18n::Tr;

/// One piece of evidence as shown.
pub struct CitationView {
    /// The citation's row (0 in a frozen version: nothing to remove there).
    pub id: i64,
    pub kind: &'static str,
    /// "Contribution", "Thème", "Événement".
    pub kind_label: String,
    pub href: String,
    pub title: String,
    /// The quoted words; empty when the contribution may no longer be shown.
    pub excerpt: String,
    /// "Papier · Question 1 · Nord", "42 contributions", "12 présents".
    pub meta: String,
    /// Shown instead of the excerpt: "withdrawn by moderation"…
    pub withdrawn: String,
    /// A theme's breakdowns: (dimension, "value: n, …").
    pub figures: Vec<(String, String)>,
}

pub struct SectionView {
    pub id: i64,
    pub key: i64,
    pub kind: &'static str,
    pub kind_label: String,
    pub title: String,
    pub body_md: String,
    pub html: String,
    pub citations: Vec<CitationView>,
    /// Guarantors' sign-offs that still hold: "Signée par … le …".
    pub signed: Vec<String>,
    /// Review comments (staff only): (who and when, text).
    pub comments: Vec<(String, String)>,
}

pub fn kind_label(tr: &Tr, kind: SectionKind) -> String {
    tr.t(&format!("report-kind-{}", kind.as_str()))
}

fn join_counts(tr: &Tr, dim: &str, counts: &[(String, i64)]) -> String {
    counts
        .iter()
        .take(12)
        .map(|(v, n)| {
            let v = if dim == "channel" {
                tr.t(&format!("channel-{v}"))
            } else {
                v.clone()
            };
            format!("{v} : {n}")
        })
        .collect::<Vec<_>>()
        .join(", ")
}

pub fn facets(tr: &Tr, channel: &str, question: &str, quartier: Option<&str>) -> String {
    let mut parts = vec![tr.t(&format!("channel-{channel}"))];
    if !question.is_empty() {
        parts.push(question.to_string());
    }
    if let Some(q) = quartier.filter(|q| !q.is_empty()) {
        parts.push(q.to_string());
    }
    parts.join(" · ")
}

/// A frozen citation as shown, given whether its contribution may still be shown.
pub fn frozen_citation(
    tr: &Tr,
    tz: &jiff::tz::TimeZone,
    c: &FrozenCitation,
    shown: &HashMap<i64, Shown>,
) -> CitationView {
    match c {
        FrozenCitation::Contribution(x) => {
            let state = shown.get(&x.id).copied().unwrap_or(Shown::Withdrawn);
            let visible = state == Shown::Visible;
            CitationView {
                id: 0,
                kind: "contribution",
                kind_label: tr.t("report-cite-kind-contribution"),
                href: format!("/contributions/{}", x.id),
                title: if visible {
                    x.title.clone()
                } else {
                    tr.t1("report-contribution-number", "id", x.id)
                },
                excerpt: if visible {
                    x.excerpt.clone()
                } else {
                    String::new()
                },
                meta: facets(tr, &x.channel, &x.question, x.quartier.as_deref()),
                withdrawn: match state {
                    Shown::Visible => String::new(),
                    Shown::Moderated => tr.t("report-withdrawn-moderation"),
                    Shown::Withdrawn => tr.t("report-withdrawn-author"),
                },
                figures: Vec::new(),
            }
        }
        FrozenCitation::Theme(t) => CitationView {
            id: 0,
            kind: "theme",
            kind_label: tr.t("report-cite-kind-theme"),
            href: String::new(),
            title: t.label.clone(),
            excerpt: String::new(),
            meta: tr.count("report-theme-size", t.size),
            withdrawn: String::new(),
            figures: [
                ("channel", &t.figures.channel),
                ("question", &t.figures.question),
                ("category", &t.figures.category),
                ("quartier", &t.figures.quartier),
            ]
            .into_iter()
            .filter(|(_, v)| !v.is_empty())
            .map(|(d, v)| (tr.t(&format!("report-dim-{d}")), join_counts(tr, d, v)))
            .collect(),
        },
        FrozenCitation::Event(e) => CitationView {
            id: 0,
            kind: "event",
            kind_label: tr.t("report-cite-kind-event"),
            href: format!("/evenements/{}", e.id),
            title: e.title.clone(),
            excerpt: webkit::view::excerpt(&e.minutes, 400),
            meta: {
                let mut m = vec![tr.date(e.starts_at, tz)];
                if let Some(q) = e.quartier.as_deref().filter(|q| !q.is_empty()) {
                    m.push(q.to_string());
                }
                m.push(tr.t2(
                    "report-event-attendance",
                    ("present", e.present),
                    ("walkins", e.walk_ins),
                ));
                m.join(" · ")
            },
            withdrawn: String::new(),
            figures: Vec::new(),
        },
    }
}

/// A frozen version's sections in reading order.
pub fn sections(
    tr: &Tr,
    tz: &jiff::tz::TimeZone,
    snap: &Snapshot,
    shown: &HashMap<i64, Shown>,
) -> Vec<SectionView> {
    snap.ordered()
        .into_iter()
        .map(|s| SectionView {
            id: 0,
            key: s.key,
            kind: s.kind.as_str(),
            kind_label: kind_label(tr, s.kind),
            title: s.title.clone(),
            body_md: s.body.clone(),
            html: report::markdown::render(&s.body),
            citations: s
                .citations
                .iter()
                .map(|c| frozen_citation(tr, tz, c, shown))
                .collect(),
            signed: Vec::new(),
            comments: Vec::new(),
        })
        .collect()
}

/// Puts the sign-offs that still hold under their sections (matched by key).
pub fn add_signoffs(
    tr: &Tr,
    tz: &jiff::tz::TimeZone,
    sections: &mut [SectionView],
    signoffs: &[storage::SignOffRow],
) {
    for g in signoffs.iter().filter(|g| g.stale == 0) {
        if let Some(s) = sections.iter_mut().find(|s| s.key == g.section_key) {
            let mut line = tr.t2(
                "report-signed-by",
                ("name", &g.name),
                ("when", tr.date(g.signed_at, tz)),
            );
            if !g.note.is_empty() {
                line = format!("{line} — {}", g.note);
            }
            s.signed.push(line);
        }
    }
}

/// A published opinion of the guarantors, as shown beside the report.
pub struct OpinionView {
    pub author: String,
    pub when: String,
    /// "Opinion of …, published …".
    pub by: String,
    pub html: String,
    pub published: bool,
}

pub fn opinions(
    tr: &Tr,
    tz: &jiff::tz::TimeZone,
    rows: &[storage::OpinionRow],
) -> Vec<OpinionView> {
    rows.iter()
        .map(|o| OpinionView {
            author: o
                .author_name
                .clone()
                .unwrap_or_else(|| tr.t("author-deleted")),
            when: tr.date(o.published_at.unwrap_or(o.updated_at), tz),
            by: tr.t2(
                "report-opinion-by",
                ("name", o.author_name.clone().unwrap_or_default()),
                ("when", tr.date(o.published_at.unwrap_or(o.updated_at), tz)),
            ),
            html: report::markdown::render(&o.body),
            published: o.published_at.is_some(),
        })
        .collect()
}

/// A citation of the draft as the editor shows it (read now, with its id for removal).
pub fn draft_citation(tr: &Tr, tz: &jiff::tz::TimeZone, c: &storage::CitationRow) -> CitationView {
    let frozen = match report::CitationKind::parse(&c.kind) {
        Some(report::CitationKind::Contribution) => {
            FrozenCitation::Contribution(report::CitedContribution {
                id: c.contribution_id.unwrap_or(0),
                title: c.contribution_title.clone().unwrap_or_default(),
                excerpt: c.excerpt.clone(),
                channel: c.channel.clone().unwrap_or_default(),
                question: c.question.clone().unwrap_or_default(),
                category: c.category.clone(),
                quartier: c.quartier.clone(),
            })
        }
        Some(report::CitationKind::Theme) => {
            let (label, size) = app::report::theme_label(c);
            FrozenCitation::Theme(report::CitedTheme {
                run_id: c.run_id.unwrap_or(0),
                theme: c.theme.unwrap_or(0),
                label,
                size,
                figures: serde_json_figures(&c.figures),
            })
        }
        _ => FrozenCitation::Event(report::CitedEvent {
            id: c.event_id.unwrap_or(0),
            title: c.event_title.clone().unwrap_or_default(),
            starts_at: c.event_starts_at.unwrap_or(0),
            quartier: c.event_quartier.clone(),
            minutes: c.event_minutes.clone().unwrap_or_default(),
            present: 0,
            walk_ins: 0,
        }),
    };
    let mut shown = HashMap::new();
    if let Some(id) = c.contribution_id {
        shown.insert(
            id,
            match c.contribution_status.as_deref() {
                Some("published") => Shown::Visible,
                Some("hidden") => Shown::Moderated,
                _ => Shown::Withdrawn,
            },
        );
    }
    let mut v = frozen_citation(tr, tz, &frozen, &shown);
    v.id = c.id;
    if v.kind == "event" {
        // Attendance is counted when the version is frozen.
        v.meta = tr.date(c.event_starts_at.unwrap_or(0), tz);
    }
    if !v.withdrawn.is_empty() {
        v.withdrawn = format!("{} {}", v.withdrawn, tr.t("report-draft-blocks"));
    }
    v
}

fn serde_json_figures(s: &str) -> report::Figures {
    serde_json::from_str(s).unwrap_or_default()
}
