//! The coverage audit: every published contribution of a debate is accounted for — cited in the
//! report, in a theme the report cites, or marked by an analyst "read, not retained" with a
//! reason. The store counts contributions grouped by their facets and by how they are covered;
//! this module turns those plain rows into the shares the guarantors read ("paper: 97 %").

use serde::Serialize;
use std::collections::BTreeMap;

/// How a contribution is accounted for, strongest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Cover {
    Cited,
    InCitedTheme,
    NotRetained,
    Uncovered,
}

impl Cover {
    /// From the three facts the query gives, the strongest wins.
    pub fn of(cited: bool, in_theme: bool, not_retained: bool) -> Cover {
        if cited {
            Cover::Cited
        } else if in_theme {
            Cover::InCitedTheme
        } else if not_retained {
            Cover::NotRetained
        } else {
            Cover::Uncovered
        }
    }

    pub fn is_covered(self) -> bool {
        self != Cover::Uncovered
    }
}

/// A count of contributions sharing these facets and this cover.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CoverageRow {
    pub channel: String,
    pub question: String,
    pub category: Option<String>,
    pub quartier: Option<String>,
    pub cover: Cover,
    pub count: i64,
}

/// One value of a dimension: how many contributions, how many covered.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Share {
    pub value: String,
    pub total: i64,
    pub covered: i64,
}

impl Share {
    /// Covered share in per cent, rounded down to one decimal so that 99.96 % never reads 100 %.
    pub fn percent(&self) -> f64 {
        percent(self.covered, self.total)
    }
}

fn percent(covered: i64, total: i64) -> f64 {
    if total == 0 {
        return 100.0;
    }
    ((covered as f64 / total as f64) * 1000.0).floor() / 10.0
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Dimension {
    /// `channel`, `question`, `category` or `quartier`.
    pub name: &'static str,
    pub shares: Vec<Share>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Coverage {
    pub total: i64,
    pub cited: i64,
    pub in_cited_theme: i64,
    pub not_retained: i64,
    pub uncovered: i64,
    pub dimensions: Vec<Dimension>,
}

impl Coverage {
    pub fn covered(&self) -> i64 {
        self.total - self.uncovered
    }

    pub fn percent(&self) -> f64 {
        percent(self.covered(), self.total)
    }

    /// Nothing left unaccounted for.
    pub fn is_full(&self) -> bool {
        self.uncovered == 0
    }

    /// The figures from the grouped rows. `none` names the missing category or quartier.
    pub fn from_rows(rows: &[CoverageRow], none: &str) -> Coverage {
        let mut c = Coverage {
            total: 0,
            cited: 0,
            in_cited_theme: 0,
            not_retained: 0,
            uncovered: 0,
            dimensions: Vec::new(),
        };
        let mut dims: [BTreeMap<String, (i64, i64)>; 4] = Default::default();
        for r in rows {
            let n = r.count.max(0);
            c.total += n;
            match r.cover {
                Cover::Cited => c.cited += n,
                Cover::InCitedTheme => c.in_cited_theme += n,
                Cover::NotRetained => c.not_retained += n,
                Cover::Uncovered => c.uncovered += n,
            }
            let covered = if r.cover.is_covered() { n } else { 0 };
            let values = [
                r.channel.clone(),
                r.question.clone(),
                r.category.clone().unwrap_or_else(|| none.to_string()),
                r.quartier.clone().unwrap_or_else(|| none.to_string()),
            ];
            for (d, v) in dims.iter_mut().zip(values) {
                let e = d.entry(v).or_default();
                e.0 += n;
                e.1 += covered;
            }
        }
        let names = ["channel", "question", "category", "quartier"];
        c.dimensions = names
            .into_iter()
            .zip(dims)
            .map(|(name, d)| {
                let mut shares: Vec<Share> = d
                    .into_iter()
                    .map(|(value, (total, covered))| Share {
                        value,
                        total,
                        covered,
                    })
                    .collect();
                // The least covered first: that is where the guarantors look.
                shares.sort_by(|a, b| {
                    a.percent()
                        .total_cmp(&b.percent())
                        .then(b.total.cmp(&a.total))
                        .then(a.value.cmp(&b.value))
                });
                Dimension { name, shares }
            })
            .collect();
        c
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(channel: &str, quartier: Option<&str>, cover: Cover, count: i64) -> CoverageRow {
        CoverageRow {
            channel: channel.into(),
            question: "Q1".into(),
            category: None,
            quartier: quartier.map(Into::into),
            cover,
            count,
        }
    }

    #[test]
    fn the_strongest_cover_wins() {
        assert_eq!(Cover::of(true, true, true), Cover::Cited);
        assert_eq!(Cover::of(false, true, true), Cover::InCitedTheme);
        assert_eq!(Cover::of(false, false, true), Cover::NotRetained);
        assert_eq!(Cover::of(false, false, false), Cover::Uncovered);
    }

    #[test]
    fn shares_per_dimension_and_totals() {
        let rows = vec![
            row("paper", Some("Nord"), Cover::Cited, 60),
            row("paper", Some("Nord"), Cover::InCitedTheme, 37),
            row("paper", None, Cover::Uncovered, 3),
            row("online", Some("Nord"), Cover::NotRetained, 10),
        ];
        let c = Coverage::from_rows(&rows, "(none)");
        assert_eq!(c.total, 110);
        assert_eq!(
            (c.cited, c.in_cited_theme, c.not_retained, c.uncovered),
            (60, 37, 10, 3)
        );
        assert_eq!(c.covered(), 107);
        assert!(!c.is_full());
        let channel = &c.dimensions[0];
        assert_eq!(channel.name, "channel");
        assert_eq!(channel.shares[0].value, "paper");
        assert_eq!(channel.shares[0].percent(), 97.0);
        assert_eq!(channel.shares[1].percent(), 100.0);
        let quartier = &c.dimensions[3];
        assert_eq!(quartier.shares[0].value, "(none)");
        assert_eq!(quartier.shares[0].percent(), 0.0);
    }

    #[test]
    fn rounding_never_claims_full_coverage() {
        let rows = vec![
            row("online", None, Cover::Cited, 9_999),
            row("online", None, Cover::Uncovered, 1),
        ];
        let c = Coverage::from_rows(&rows, "-");
        assert_eq!(c.percent(), 99.9);
        assert!(!c.is_full());
        let empty = Coverage::from_rows(&[], "-");
        assert!(empty.is_full());
        assert_eq!(empty.percent(), 100.0);
    }
}
