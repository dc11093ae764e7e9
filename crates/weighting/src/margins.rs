//! The population margins: a CSV `variable;modalite;effectif`, one row per category.
//!
//! Header names are matched ignoring case and accents; accepted names:
//! - variable: `variable`, `var`
//! - category: `modalite` (`modalité`), `categorie`, `category`, `level`, `value`, `valeur`
//! - target: `effectif`, `target`, `count`, `population`, `total`, `share`, `part`,
//!   `proportion`, `freq`
//!
//! A target is a positive number: `28485`, `28 485` (spaces as thousands separators), `0.48`,
//! `0,48` (decimal comma) or `48 %` (a percentage). Each variable's targets are either counts or
//! shares; how the totals are reconciled is decided in [`Margins::resolve`].

use crate::{Error, table::Table};

/// The margins of one variable as given in the file, in the file's order.
#[derive(Debug, Clone, PartialEq)]
pub struct MarginSpec {
    pub variable: String,
    pub categories: Vec<String>,
    pub targets: Vec<f64>,
}

impl MarginSpec {
    pub fn total(&self) -> f64 {
        self.targets.iter().sum()
    }
}

/// All the margins of a file, variables in order of first appearance.
#[derive(Debug, Clone, PartialEq)]
pub struct Margins {
    pub variables: Vec<MarginSpec>,
}

/// The margins of the chosen variables, brought to one common total.
#[derive(Debug, Clone, PartialEq)]
pub struct Resolved {
    pub variables: Vec<MarginSpec>,
    /// What the weights will sum to: the population total when the counts agree, the sample size
    /// when the margins are shares or their totals differ.
    pub total: f64,
    pub warnings: Vec<String>,
}

const VARIABLE: &[&str] = &["variable", "var"];
const CATEGORY: &[&str] = &[
    "modalite",
    "categorie",
    "category",
    "level",
    "value",
    "valeur",
];
const TARGET: &[&str] = &[
    "effectif",
    "target",
    "count",
    "population",
    "total",
    "share",
    "part",
    "proportion",
    "freq",
];

fn fold(s: &str) -> String {
    s.trim()
        .to_lowercase()
        .chars()
        .map(|c| match c {
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'à' | 'â' => 'a',
            'î' | 'ï' => 'i',
            'ô' => 'o',
            'û' | 'ù' => 'u',
            'ç' => 'c',
            c => c,
        })
        .collect()
}

fn find(table: &Table, names: &[&str], role: &str) -> Result<usize, Error> {
    table
        .headers
        .iter()
        .position(|h| names.contains(&fold(h).as_str()))
        .ok_or_else(|| {
            Error::Margins(format!(
                "no {role} column: the header is {:?}, expected variable;modalite;effectif (or variable;category;target); accepted names for the {role}: {}",
                table.headers.join(";"),
                names.join(", ")
            ))
        })
}

/// Parses a target: spaces as thousands separators, a decimal comma, a trailing `%`.
pub fn parse_number(raw: &str) -> Option<f64> {
    let mut s: String = raw
        .chars()
        .filter(|c| !matches!(c, ' ' | '\u{A0}' | '\u{202F}' | '\''))
        .collect();
    let percent = s.ends_with('%');
    if percent {
        s.pop();
    }
    if s.contains(',') {
        if s.contains('.') {
            return None;
        }
        s = s.replace(',', ".");
    }
    let v: f64 = s.parse().ok()?;
    if !v.is_finite() {
        return None;
    }
    Some(if percent { v / 100.0 } else { v })
}

/// Reads the margins from a table already decoded by [`crate::read_table`].
pub fn parse_margins(table: &Table) -> Result<Margins, Error> {
    let v = find(table, VARIABLE, "variable")?;
    let c = find(table, CATEGORY, "category")?;
    let t = find(table, TARGET, "target")?;
    let mut variables: Vec<MarginSpec> = Vec::new();
    for row in 0..table.len() {
        let line = table.lines[row];
        let variable = table.cell(row, v);
        let category = table.cell(row, c);
        let raw = table.cell(row, t);
        if variable.is_empty() || category.is_empty() {
            return Err(Error::MarginsLine {
                line,
                message: "the variable or the category is empty".into(),
            });
        }
        let target = parse_number(raw).ok_or_else(|| Error::MarginsLine {
            line,
            message: format!("the target {raw:?} of {variable} = {category:?} is not a number"),
        })?;
        if target <= 0.0 {
            return Err(Error::MarginsLine {
                line,
                message: format!(
                    "the target of {variable} = {category:?} is {raw}: a target must be positive (drop the category from both files, or merge it with another)"
                ),
            });
        }
        let key = crate::label_key(variable);
        let spec = match variables
            .iter_mut()
            .position(|s| crate::label_key(&s.variable) == key)
        {
            Some(i) => &mut variables[i],
            None => {
                variables.push(MarginSpec {
                    variable: variable.to_string(),
                    categories: Vec::new(),
                    targets: Vec::new(),
                });
                let last = variables.len() - 1;
                &mut variables[last]
            }
        };
        let ckey = crate::label_key(category);
        if spec.categories.iter().any(|o| crate::label_key(o) == ckey) {
            return Err(Error::MarginsLine {
                line,
                message: format!("{variable} = {category:?} is given twice"),
            });
        }
        spec.categories.push(category.to_string());
        spec.targets.push(target);
    }
    if variables.is_empty() {
        return Err(Error::Margins("the file has no margin rows".into()));
    }
    Ok(Margins { variables })
}

fn is_share_total(t: f64) -> bool {
    (t - 1.0).abs() <= 0.02
}

impl Margins {
    /// The variable named so (ignoring case and surrounding spaces).
    pub fn get(&self, name: &str) -> Option<&MarginSpec> {
        let key = crate::label_key(name);
        self.variables
            .iter()
            .find(|s| crate::label_key(&s.variable) == key)
    }

    /// Brings the chosen variables to one total. Counts whose totals agree (to 1e-9, relative)
    /// are kept: the weights then sum to the population. Otherwise — shares (every total within
    /// 0.02 of 1; percentages are written with `%`), or counts whose totals differ — each variable becomes shares scaled to
    /// `sample_size`, so that the weights average 1; a warning says so when totals differed.
    pub fn resolve(&self, chosen: &[&MarginSpec], sample_size: usize) -> Resolved {
        let mut warnings = Vec::new();
        let totals: Vec<f64> = chosen.iter().map(|s| s.total()).collect();
        let first = totals.first().copied().unwrap_or(1.0);
        let agree = totals.iter().all(|t| ((t - first) / first).abs() <= 1e-9);
        let shares = totals.iter().all(|&t| is_share_total(t));
        if agree && !shares {
            return Resolved {
                variables: chosen.iter().map(|s| (*s).clone()).collect(),
                total: first,
                warnings,
            };
        }
        if !agree {
            let listed = chosen
                .iter()
                .zip(&totals)
                .map(|(s, t)| format!("{} {}", s.variable, format_total(*t)))
                .collect::<Vec<_>>()
                .join(", ");
            if shares {
                warnings.push(format!(
                    "the shares do not sum to the same total ({listed}): each variable is normalised to sum to 1"
                ));
            } else {
                warnings.push(format!(
                    "the margins' totals differ ({listed}): each variable is normalised to shares, and the weights sum to the sample size ({sample_size})"
                ));
            }
        }
        let n = sample_size as f64;
        Resolved {
            variables: chosen
                .iter()
                .zip(&totals)
                .map(|(s, t)| MarginSpec {
                    variable: s.variable.clone(),
                    categories: s.categories.clone(),
                    targets: s.targets.iter().map(|x| x / t * n).collect(),
                })
                .collect(),
            total: n,
            warnings,
        }
    }
}

fn format_total(t: f64) -> String {
    if t.fract() == 0.0 && t.abs() < 1e15 {
        format!("{t:.0}")
    } else {
        format!("{t}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read_table;

    fn margins(text: &str) -> Result<Margins, Error> {
        parse_margins(&read_table(text.as_bytes(), "margins")?)
    }

    #[test]
    fn french_and_english_headers() {
        let m = margins("variable;modalité;effectif\nsexe;Femme;52\nsexe;Homme;48\n").expect("fr");
        assert_eq!(m.variables[0].categories, ["Femme", "Homme"]);
        let m = margins("Variable,Category,Target\nsex,F,0.52\nsex,M,0.48\n").expect("en");
        assert_eq!(m.variables[0].targets, [0.52, 0.48]);
        let e = margins("a;b;c\nx;y;1\n").expect_err("unknown header");
        assert!(
            e.to_string()
                .contains("expected variable;modalite;effectif"),
            "{e}"
        );
    }

    #[test]
    fn numbers_in_the_french_way() {
        assert_eq!(parse_number("28 485"), Some(28485.0));
        assert_eq!(parse_number("28\u{202F}485"), Some(28485.0));
        assert_eq!(parse_number("0,48"), Some(0.48));
        assert_eq!(parse_number("48 %"), Some(0.48));
        assert_eq!(parse_number("1.234,5"), None);
        assert_eq!(parse_number("beaucoup"), None);
        assert_eq!(parse_number("inf"), None);
    }

    #[test]
    fn zero_negative_and_duplicate_targets_are_refused() {
        let e = margins("variable;modalite;effectif\nsexe;Femme;0\n").expect_err("zero");
        assert!(
            matches!(e, Error::MarginsLine { line: 2, .. }) && e.to_string().contains("positive"),
            "{e}"
        );
        let e = margins("variable;modalite;effectif\nsexe;Femme;-3\n").expect_err("negative");
        assert!(e.to_string().contains("positive"), "{e}");
        let e = margins("variable;modalite;effectif\nsexe;F;1\nsexe;f;2\n").expect_err("twice");
        assert!(matches!(e, Error::MarginsLine { line: 3, .. }), "{e}");
        let e = margins("variable;modalite;effectif\nsexe;F;beaucoup\n").expect_err("text");
        assert!(e.to_string().contains("not a number"), "{e}");
    }

    #[test]
    fn totals_agree_differ_or_are_shares() {
        let m = margins("variable;modalite;effectif\ns;F;60\ns;H;40\na;J;30\na;V;70\n")
            .expect("margins");
        let chosen: Vec<&MarginSpec> = m.variables.iter().collect();
        let r = m.resolve(&chosen, 10);
        assert_eq!(r.total, 100.0);
        assert!(r.warnings.is_empty());

        let m = margins("variable;modalite;effectif\ns;F;60\ns;H;40\na;J;30\na;V;90\n")
            .expect("margins");
        let chosen: Vec<&MarginSpec> = m.variables.iter().collect();
        let r = m.resolve(&chosen, 10);
        assert_eq!(r.total, 10.0);
        assert_eq!(r.warnings.len(), 1);
        assert!(r.warnings[0].contains("totals differ"), "{:?}", r.warnings);
        assert!((r.variables[1].targets[0] - 2.5).abs() < 1e-12);

        let m = margins("variable;modalite;effectif\ns;F;0,6\ns;H;0,4\na;J;30 %\na;V;70 %\n")
            .expect("margins");
        let chosen: Vec<&MarginSpec> = m.variables.iter().collect();
        let r = m.resolve(&chosen, 200);
        assert_eq!(r.total, 200.0);
        assert!(r.warnings.is_empty(), "{:?}", r.warnings);
        assert!((r.variables[0].targets[0] - 120.0).abs() < 1e-9);
    }
}
