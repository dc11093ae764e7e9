//! Binding a panel to its margins: each respondent's category on each raking variable, checked
//! so that raking is well posed (every category has respondents, every respondent a category).

use std::collections::HashMap;

use crate::{
    Error, Problem,
    margins::{MarginSpec, Margins},
    table::Table,
};

/// One raking variable: its categories, their population targets, and each respondent's category.
#[derive(Debug, Clone, PartialEq)]
pub struct Margin {
    pub variable: String,
    pub categories: Vec<String>,
    /// Population targets, on the scale of [`Design::total`].
    pub targets: Vec<f64>,
    /// For each respondent, the index of their category in `categories`.
    pub codes: Vec<u32>,
}

impl Margin {
    /// Respondents per category.
    pub fn counts(&self) -> Vec<usize> {
        let mut c = vec![0; self.categories.len()];
        for &k in &self.codes {
            c[k as usize] += 1;
        }
        c
    }
}

/// What raking works on: `n` respondents and the margins they must meet.
#[derive(Debug, Clone, PartialEq)]
pub struct Design {
    pub n: usize,
    pub margins: Vec<Margin>,
    /// The sum the weights reach once raked.
    pub total: f64,
    /// Things the analyst should know that do not stop the weighting.
    pub warnings: Vec<String>,
}

const SHOWN_LINES: usize = 5;

impl Design {
    /// A design from codes already known (tests, benchmarks, callers with their own storage).
    /// Checks what [`bind`] checks: codes in range, every category with respondents, positive
    /// targets, one common total.
    pub fn from_codes(margins: Vec<Margin>) -> Result<Design, Error> {
        let n = margins.first().map(|m| m.codes.len()).unwrap_or(0);
        if n == 0 {
            return Err(Error::Options(
                "raking needs at least one respondent and one margin".into(),
            ));
        }
        let mut problems = Vec::new();
        for m in &margins {
            if m.codes.len() != n {
                return Err(Error::Options(format!(
                    "{} has {} codes for {n} respondents",
                    m.variable,
                    m.codes.len()
                )));
            }
            if m.targets.len() != m.categories.len() {
                return Err(Error::Options(format!(
                    "{} has {} targets for {} categories",
                    m.variable,
                    m.targets.len(),
                    m.categories.len()
                )));
            }
            if let Some(t) = m.targets.iter().find(|t| !(t.is_finite() && **t > 0.0)) {
                return Err(Error::Options(format!(
                    "{} has a target of {t}: targets must be positive",
                    m.variable
                )));
            }
            if m.codes.iter().any(|&c| c as usize >= m.categories.len()) {
                return Err(Error::Options(format!(
                    "{} has a code beyond its categories",
                    m.variable
                )));
            }
            empty_categories(m, &mut problems);
        }
        if !problems.is_empty() {
            return Err(Error::Problems(problems));
        }
        let total: f64 = margins[0].targets.iter().sum();
        for m in &margins[1..] {
            let t: f64 = m.targets.iter().sum();
            if ((t - total) / total).abs() > 1e-9 {
                return Err(Error::Options(format!(
                    "{} totals {t} where {} totals {total}: margins must share one total",
                    m.variable, margins[0].variable
                )));
            }
        }
        Ok(Design {
            n,
            margins,
            total,
            warnings: Vec::new(),
        })
    }
}

fn empty_categories(m: &Margin, problems: &mut Vec<Problem>) {
    for (k, count) in m.counts().into_iter().enumerate() {
        if count == 0 {
            problems.push(Problem::EmptyCategory {
                variable: m.variable.clone(),
                category: m.categories[k].clone(),
                target: m.targets[k],
            });
        }
    }
}

/// Binds the panel's columns `by` to their margins. Every problem found is reported at once:
/// a variable without margins or missing from the panel, a panel value matching no category,
/// an empty cell, a category without respondents. Labels match trimmed and ignoring case.
pub fn bind(panel: &Table, margins: &Margins, by: &[&str]) -> Result<Design, Error> {
    if by.is_empty() {
        return Err(Error::Options(
            "name at least one raking variable (--by sexe,age,quartier)".into(),
        ));
    }
    if panel.is_empty() {
        return Err(Error::Table("the panel has no respondent".into()));
    }
    let mut problems = Vec::new();
    let mut chosen: Vec<(&MarginSpec, usize)> = Vec::new();
    for (i, &name) in by.iter().enumerate() {
        if by[..i]
            .iter()
            .any(|o| crate::label_key(o) == crate::label_key(name))
        {
            return Err(Error::Options(format!(
                "{name:?} is named twice among the raking variables"
            )));
        }
        let spec = margins.get(name);
        let column = panel.column(name);
        if spec.is_none() {
            problems.push(Problem::NoMargins {
                variable: name.to_string(),
                available: margins
                    .variables
                    .iter()
                    .map(|s| s.variable.clone())
                    .collect(),
            });
        }
        if column.is_none() {
            problems.push(Problem::MissingVariable {
                variable: name.to_string(),
                columns: panel.headers.clone(),
            });
        }
        if let (Some(s), Some(c)) = (spec, column) {
            chosen.push((s, c));
        }
    }
    if !problems.is_empty() {
        return Err(Error::Problems(problems));
    }
    let specs: Vec<&MarginSpec> = chosen.iter().map(|(s, _)| *s).collect();
    let resolved = margins.resolve(&specs, panel.len());
    let mut warnings = resolved.warnings;
    let ignored: Vec<&str> = margins
        .variables
        .iter()
        .filter(|s| !specs.iter().any(|c| c.variable == s.variable))
        .map(|s| s.variable.as_str())
        .collect();
    if !ignored.is_empty() {
        warnings.push(format!(
            "margins not used (not among the raking variables): {}",
            ignored.join(", ")
        ));
    }
    let mut bound = Vec::new();
    for ((_, column), spec) in chosen.iter().zip(resolved.variables) {
        // Exact labels first (no allocation per cell), then trimmed and ignoring case.
        let exact: HashMap<&str, u32> = spec
            .categories
            .iter()
            .enumerate()
            .map(|(k, c)| (c.as_str(), k as u32))
            .collect();
        let keys: HashMap<String, u32> = spec
            .categories
            .iter()
            .enumerate()
            .map(|(k, c)| (crate::label_key(c), k as u32))
            .collect();
        let mut codes = Vec::with_capacity(panel.len());
        // label → (rows, first lines), in order of first appearance
        let mut unknown: Vec<(String, usize, Vec<u64>)> = Vec::new();
        let mut missing: (usize, Vec<u64>) = (0, Vec::new());
        for row in 0..panel.len() {
            let value = panel.cell(row, *column);
            let line = panel.lines[row];
            if value.is_empty() {
                missing.0 += 1;
                if missing.1.len() < SHOWN_LINES {
                    missing.1.push(line);
                }
                codes.push(0);
                continue;
            }
            if let Some(&k) = exact.get(value) {
                codes.push(k);
                continue;
            }
            let key = crate::label_key(value);
            match keys.get(&key) {
                Some(&k) => codes.push(k),
                None => {
                    match unknown
                        .iter_mut()
                        .find(|(l, _, _)| crate::label_key(l) == key)
                    {
                        Some(u) => {
                            u.1 += 1;
                            if u.2.len() < SHOWN_LINES {
                                u.2.push(line);
                            }
                        }
                        None => unknown.push((value.to_string(), 1, vec![line])),
                    }
                    codes.push(0);
                }
            }
        }
        for (label, rows, lines) in unknown {
            problems.push(Problem::UnknownLabel {
                variable: spec.variable.clone(),
                label,
                rows,
                lines,
                known: spec.categories.clone(),
            });
        }
        if missing.0 > 0 {
            problems.push(Problem::MissingValue {
                variable: spec.variable.clone(),
                rows: missing.0,
                lines: missing.1,
            });
        }
        let margin = Margin {
            variable: spec.variable,
            categories: spec.categories,
            targets: spec.targets,
            codes,
        };
        // Counts are only meaningful when every row found its category.
        if !problems
            .iter()
            .any(|p| problem_variable(p) == margin.variable)
        {
            empty_categories(&margin, &mut problems);
        }
        bound.push(margin);
    }
    if !problems.is_empty() {
        return Err(Error::Problems(problems));
    }
    Ok(Design {
        n: panel.len(),
        margins: bound,
        total: resolved.total,
        warnings,
    })
}

fn problem_variable(p: &Problem) -> &str {
    match p {
        Problem::NoMargins { variable, .. }
        | Problem::MissingVariable { variable, .. }
        | Problem::EmptyCategory { variable, .. }
        | Problem::UnknownLabel { variable, .. }
        | Problem::MissingValue { variable, .. } => variable,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{parse_margins, read_table};

    const MARGINS: &str =
        "variable;modalite;effectif\nsexe;Femme;520\nsexe;Homme;480\nage;18-39;400\nage;40+;600\n";

    fn bind_text(panel: &str, margins: &str, by: &[&str]) -> Result<Design, Error> {
        let p = read_table(panel.as_bytes(), "panel")?;
        let m = parse_margins(&read_table(margins.as_bytes(), "margins")?)?;
        bind(&p, &m, by)
    }

    #[test]
    fn binds_codes_ignoring_case_and_spaces() {
        let d = bind_text(
            "id;sexe;age\n1;femme;18-39\n2; HOMME ;40+\n3;Femme;40+\n",
            MARGINS,
            &["sexe", "age"],
        )
        .expect("design");
        assert_eq!(d.n, 3);
        assert_eq!(d.total, 1000.0);
        assert_eq!(d.margins[0].codes, [0, 1, 0]);
        assert_eq!(d.margins[1].codes, [0, 1, 1]);
    }

    #[test]
    fn every_problem_is_listed() {
        let e = bind_text(
            "id;sexe;age\n1;Femme;18-39\n2;Autre;40+\n3;;40+\n4;autre;40+\n",
            MARGINS,
            &["sexe", "age", "quartier"],
        )
        .expect_err("problems");
        let Error::Problems(problems) = &e else {
            panic!("{e}")
        };
        assert!(
            problems.iter().any(
                |p| matches!(p, Problem::NoMargins { variable, .. } if variable == "quartier")
            ),
            "{e}"
        );
        assert!(
            problems.iter().any(
                |p| matches!(p, Problem::MissingVariable { variable, .. } if variable == "quartier")
            ),
            "{e}"
        );
        // Problems of the variables themselves are reported before their values are read.
        assert_eq!(problems.len(), 2, "{e}");

        let e = bind_text(
            "id;sexe;age\n1;Femme;18-39\n2;Autre;40+\n3;;40+\n4;autre;40+\n",
            MARGINS,
            &["sexe", "age"],
        )
        .expect_err("problems");
        let Error::Problems(problems) = &e else {
            panic!("{e}")
        };
        assert!(
            problems.contains(&Problem::UnknownLabel {
                variable: "sexe".into(),
                label: "Autre".into(),
                rows: 2,
                lines: vec![3, 5],
                known: vec!["Femme".into(), "Homme".into()],
            }),
            "{e}"
        );
        assert!(
            problems.contains(&Problem::MissingValue {
                variable: "sexe".into(),
                rows: 1,
                lines: vec![4],
            }),
            "{e}"
        );
        assert!(e.to_string().contains("matches no category"), "{e}");
    }

    #[test]
    fn a_category_without_respondents_is_refused() {
        let e = bind_text(
            "id;sexe;age\n1;Femme;18-39\n2;Femme;40+\n",
            MARGINS,
            &["sexe", "age"],
        )
        .expect_err("empty");
        assert_eq!(
            e,
            Error::Problems(vec![Problem::EmptyCategory {
                variable: "sexe".into(),
                category: "Homme".into(),
                target: 480.0
            }])
        );
        assert!(e.to_string().contains("can never reach it"), "{e}");
    }

    #[test]
    fn unused_margins_and_differing_totals_warn() {
        let d = bind_text(
            "id;sexe\n1;Femme\n2;Homme\n",
            "variable;modalite;effectif\nsexe;Femme;52\nsexe;Homme;48\nage;jeune;10\n",
            &["sexe"],
        )
        .expect("design");
        assert!(d.warnings[0].contains("not used"), "{:?}", d.warnings);
        let d = bind_text(
            "id;sexe;age\n1;Femme;18-39\n2;Homme;40+\n",
            "variable;modalite;effectif\nsexe;Femme;520\nsexe;Homme;480\nage;18-39;400\nage;40+;700\n",
            &["sexe", "age"],
        )
        .expect("design");
        assert_eq!(d.total, 2.0);
        assert!(d.warnings[0].contains("totals differ"), "{:?}", d.warnings);
    }
}
