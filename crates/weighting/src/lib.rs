//! Survey weighting for Concorde: a polling firm's panel raked to population margins.
//!
//! Pure numbers, no database and no web: read a panel and a margins file ([`table`],
//! [`margins`]), bind them into a [`design::Design`] (every respondent's category on every
//! raking variable, with the clear refusals of bad margins), rake it ([`rake`]: iterative
//! proportional fitting, optional trimming followed by re-raking), describe the result
//! ([`diagnostics`]) and estimate shares or means with the linearised standard error of the
//! raked estimator ([`estimate`]). The formats, the stopping rule and the variance estimator
//! are described in `docs/weighting.md` at the repository's root.

pub mod design;
pub mod diagnostics;
pub mod estimate;
pub mod margins;
pub mod rake;
pub mod table;

pub use design::{Design, Margin, bind};
pub use diagnostics::{Diagnostics, MarginRow, diagnose};
pub use estimate::{CategoryEstimate, Estimate, EstimateKind, Sweeps, estimate};
pub use margins::{MarginSpec, Margins, parse_margins};
pub use rake::{RakeOptions, Raking, rake};
pub use table::{Table, read_table};

/// What went wrong, in words a survey analyst can act on.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum Error {
    /// The file cannot be read as a table (encoding, quoting, ragged rows, no header).
    #[error("{0}")]
    Table(String),
    /// The margins file is not `variable;modalite;effectif` or holds a bad value.
    #[error("margins, line {line}: {message}")]
    MarginsLine { line: u64, message: String },
    /// The margins file is readable but its content cannot be used.
    #[error("margins: {0}")]
    Margins(String),
    /// The margins and the panel disagree; every problem found is listed.
    #[error("{}", problems_text(.0))]
    Problems(Vec<Problem>),
    /// An option is out of its range (tolerance, iteration limit, trimming bounds…).
    #[error("{0}")]
    Options(String),
    /// A variable to estimate is missing, or a mean was asked of a non-numeric column.
    #[error("{0}")]
    Estimate(String),
}

fn problems_text(problems: &[Problem]) -> String {
    let mut s = if problems.len() == 1 {
        "the margins do not fit the panel: ".to_string()
    } else {
        format!(
            "the margins do not fit the panel ({} problems):",
            problems.len()
        )
    };
    for (i, p) in problems.iter().enumerate() {
        if problems.len() > 1 {
            s.push_str("\n  - ");
        } else if i > 0 {
            s.push(' ');
        }
        s.push_str(&p.to_string());
    }
    s
}

/// One disagreement between the margins and the panel.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Problem {
    /// A raking variable (from `--by`) has no margins.
    #[error("{variable:?} has no margins (the margins file has: {})", .available.join(", "))]
    NoMargins {
        variable: String,
        available: Vec<String>,
    },
    /// A raking variable is not a column of the panel.
    #[error("{variable:?} is not a column of the panel (its columns: {})", .columns.join(", "))]
    MissingVariable {
        variable: String,
        columns: Vec<String>,
    },
    /// A margin category no respondent belongs to: raking could never reach its target.
    #[error(
        "{variable} = {category:?} has a target of {target} but no respondent in the panel: raking can never reach it (merge it with a neighbouring category, or fix its label)"
    )]
    EmptyCategory {
        variable: String,
        category: String,
        target: f64,
    },
    /// Panel values that match no category of the margins.
    #[error(
        "{variable} = {label:?} ({rows} respondent{}, line{} {}) matches no category of the margins (expected one of: {})",
        if *.rows == 1 { "" } else { "s" },
        if .lines.len() == 1 { "" } else { "s" },
        lines_text(.lines, *.rows),
        .known.join(", ")
    )]
    UnknownLabel {
        variable: String,
        label: String,
        rows: usize,
        lines: Vec<u64>,
        known: Vec<String>,
    },
    /// Respondents with no value for a raking variable.
    #[error(
        "{variable} is empty for {rows} respondent{} (line{} {}): every respondent needs a category on every raking variable",
        if *.rows == 1 { "" } else { "s" },
        if .lines.len() == 1 { "" } else { "s" },
        lines_text(.lines, *.rows)
    )]
    MissingValue {
        variable: String,
        rows: usize,
        lines: Vec<u64>,
    },
}

fn lines_text(lines: &[u64], rows: usize) -> String {
    let mut s = lines
        .iter()
        .map(|l| l.to_string())
        .collect::<Vec<_>>()
        .join(", ");
    if rows > lines.len() {
        s.push_str(", …");
    }
    s
}

/// How labels are compared between the panel and the margins: trimmed, case-insensitive.
pub(crate) fn label_key(s: &str) -> String {
    s.trim().to_lowercase()
}
