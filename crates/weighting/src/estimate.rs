//! Weighted estimates from a raked panel: the share of each category of a question (or its mean),
//! with the linearised standard error of the raked estimator and a 95 % interval.
//!
//! **Variance.** The estimate `θ = Σ wᵢyᵢ ÷ Σ wᵢ` (over the respondents who answered) is
//! linearised: `zᵢ = (yᵢ − θ) ÷ Σ w` for those who answered, 0 for the others. Raking is taken
//! into account by replacing `z` with its residual after projection on the raking variables'
//! categories: the projection is computed by back-fitting — subtracting, margin after margin,
//! each category's mean of `z` — until it no longer changes ([`Sweeps::Converged`]). R's
//! `survey` package (`svyrecvar` on a `rake()`d design) does the same with exactly 10 sweeps
//! ([`Sweeps::Fixed`]`(10)` reproduces it). The variance is then the with-replacement one of a
//! one-stage design, `n ÷ (n − 1) × Σ (wᵢeᵢ − mean)²`, as `svymean` reports for
//! `svydesign(ids = ~1)`. The interval is `θ ± 1.959964 × SE`, clipped to [0, 1] for shares.
//! For comparison, `se_kish` is the simple-random-sampling error at Kish's effective sample
//! size, `√(p(1 − p) ÷ n_eff)` (or `√(s²_w ÷ n_eff)` for a mean), which ignores what raking on
//! correlated variables gains.

use crate::{Error, design::Design, diagnostics::effective_sample_size, table::Table};

/// 97.5 % quantile of the standard normal distribution.
pub const Z_975: f64 = 1.959_963_984_540_054;

/// Shares of categories, or a mean of numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum EstimateKind {
    Shares,
    Mean,
}

/// How far the projection on the raking margins is carried.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sweeps {
    /// Until the residuals change by less than 1e-13 of their size (at most 10,000 sweeps).
    Converged,
    /// Exactly this many sweeps (R's `survey` does 10).
    Fixed(usize),
}

/// One category's share (or the mean, with `category` = "mean").
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct CategoryEstimate {
    pub category: String,
    pub respondents: usize,
    /// Unweighted share (or mean).
    pub unweighted: f64,
    /// Weighted share (or mean).
    pub estimate: f64,
    /// Linearised standard error of the raked estimator.
    pub se: f64,
    pub ci_low: f64,
    pub ci_high: f64,
    /// Standard error at Kish's effective sample size (for comparison).
    pub se_kish: f64,
}

/// The estimates for one variable of the panel.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Estimate {
    pub variable: String,
    pub kind: EstimateKind,
    /// Respondents who answered (a non-empty cell).
    pub respondents: usize,
    /// Respondents left out because their cell is empty.
    pub missing: usize,
    pub rows: Vec<CategoryEstimate>,
}

/// The residuals of `z` after projection on every margin's categories (unweighted means,
/// as for a design whose weights before raking are equal).
pub fn project(design: &Design, z: &[f64], sweeps: Sweeps) -> Vec<f64> {
    let mut u = z.to_vec();
    let scale = u.iter().fold(0.0f64, |a, x| a.max(x.abs()));
    if scale == 0.0 {
        return u;
    }
    let counts: Vec<Vec<usize>> = design.margins.iter().map(|m| m.counts()).collect();
    let limit = match sweeps {
        Sweeps::Converged => 10_000,
        Sweeps::Fixed(k) => k,
    };
    let mut sums = Vec::new();
    for _ in 0..limit {
        let mut change: f64 = 0.0;
        for (m, count) in design.margins.iter().zip(&counts) {
            sums.clear();
            sums.resize(m.categories.len(), 0.0);
            for (&c, &x) in m.codes.iter().zip(&u) {
                sums[c as usize] += x;
            }
            for (s, &k) in sums.iter_mut().zip(count) {
                *s /= k.max(1) as f64;
                change = change.max(s.abs());
            }
            for (&c, x) in m.codes.iter().zip(u.iter_mut()) {
                *x -= sums[c as usize];
            }
        }
        if sweeps == Sweeps::Converged && change <= 1e-13 * scale {
            break;
        }
    }
    u
}

/// Linearised standard error of a weighted estimate whose linearised values are `z`.
pub fn linearised_se(design: &Design, weights: &[f64], z: &[f64], sweeps: Sweeps) -> f64 {
    let e = project(design, z, sweeps);
    let n = weights.len();
    if n < 2 {
        return f64::NAN;
    }
    let x: Vec<f64> = e.iter().zip(weights).map(|(e, w)| e * w).collect();
    let mean = x.iter().sum::<f64>() / n as f64;
    let ss: f64 = x.iter().map(|v| (v - mean) * (v - mean)).sum();
    (ss * n as f64 / (n as f64 - 1.0)).sqrt()
}

/// The exact projection on the margins' categories (what back-fitting converges to), by least
/// squares on the normal equations: the categories' indicators, the first category of every
/// margin after the first left out (they would repeat the intercept). `XᵀX` is factorised once
/// per design; each figure then costs two passes over the respondents instead of a pass per
/// sweep. A design whose indicators are not of full rank gives `None` (use [`project`]).
pub struct Projector<'d> {
    design: &'d Design,
    /// Column of each (margin, category), or `usize::MAX` for a left-out category.
    columns: Vec<Vec<usize>>,
    /// The Cholesky factor (lower, row-major) of `XᵀX`.
    factor: Vec<f64>,
    k: usize,
}

impl<'d> Projector<'d> {
    pub fn new(design: &'d Design) -> Option<Projector<'d>> {
        let mut columns = Vec::new();
        let mut k = 0;
        for (m, margin) in design.margins.iter().enumerate() {
            let mut cols = Vec::new();
            for c in 0..margin.categories.len() {
                if m > 0 && c == 0 {
                    cols.push(usize::MAX);
                } else {
                    cols.push(k);
                    k += 1;
                }
            }
            columns.push(cols);
        }
        if k == 0 {
            return None;
        }
        // XᵀX: counts of respondents in each pair of columns.
        let mut xtx = vec![0.0f64; k * k];
        let mut row_cols = Vec::with_capacity(design.margins.len());
        for i in 0..design.n {
            row_cols.clear();
            for (m, margin) in design.margins.iter().enumerate() {
                let c = columns[m][margin.codes[i] as usize];
                if c != usize::MAX {
                    row_cols.push(c);
                }
            }
            for &a in &row_cols {
                for &b in &row_cols {
                    xtx[a * k + b] += 1.0;
                }
            }
        }
        // Cholesky, refusing a (near) singular matrix.
        let mut l = vec![0.0f64; k * k];
        for j in 0..k {
            let mut d = xtx[j * k + j];
            for p in 0..j {
                d -= l[j * k + p] * l[j * k + p];
            }
            if d <= 1e-9 * xtx[j * k + j].max(1.0) {
                return None;
            }
            let d = d.sqrt();
            l[j * k + j] = d;
            for i in j + 1..k {
                let mut s = xtx[i * k + j];
                for p in 0..j {
                    s -= l[i * k + p] * l[j * k + p];
                }
                l[i * k + j] = s / d;
            }
        }
        Some(Projector {
            design,
            columns,
            factor: l,
            k,
        })
    }

    /// The residuals of `z` after projection on the margins' categories.
    pub fn residuals(&self, z: &[f64]) -> Vec<f64> {
        let (k, l) = (self.k, &self.factor);
        let mut xtz = vec![0.0f64; k];
        for (m, margin) in self.design.margins.iter().enumerate() {
            for (&c, &x) in margin.codes.iter().zip(z) {
                let col = self.columns[m][c as usize];
                if col != usize::MAX {
                    xtz[col] += x;
                }
            }
        }
        // Solve L Lᵀ β = Xᵀz.
        let mut y = vec![0.0f64; k];
        for i in 0..k {
            let mut s = xtz[i];
            for p in 0..i {
                s -= l[i * k + p] * y[p];
            }
            y[i] = s / l[i * k + i];
        }
        let mut beta = vec![0.0f64; k];
        for i in (0..k).rev() {
            let mut s = y[i];
            for p in i + 1..k {
                s -= l[p * k + i] * beta[p];
            }
            beta[i] = s / l[i * k + i];
        }
        let mut e = z.to_vec();
        for (m, margin) in self.design.margins.iter().enumerate() {
            for (&c, x) in margin.codes.iter().zip(e.iter_mut()) {
                let col = self.columns[m][c as usize];
                if col != usize::MAX {
                    *x -= beta[col];
                }
            }
        }
        e
    }

    /// [`linearised_se`] with the exact projection.
    pub fn se(&self, weights: &[f64], z: &[f64]) -> f64 {
        let e = self.residuals(z);
        let n = weights.len();
        if n < 2 {
            return f64::NAN;
        }
        let x: Vec<f64> = e.iter().zip(weights).map(|(e, w)| e * w).collect();
        let mean = x.iter().sum::<f64>() / n as f64;
        let ss: f64 = x.iter().map(|v| (v - mean) * (v - mean)).sum();
        (ss * n as f64 / (n as f64 - 1.0)).sqrt()
    }
}

/// Weighted share of each category of `values` (or their mean), with standard errors.
/// `values[i]` is `None` for a respondent who did not answer.
pub fn estimate_values(
    design: &Design,
    weights: &[f64],
    variable: &str,
    values: &[Option<&str>],
    kind: EstimateKind,
    sweeps: Sweeps,
) -> Result<Estimate, Error> {
    if values.len() != weights.len() || weights.len() != design.n {
        return Err(Error::Estimate(format!(
            "{variable}: {} values and {} weights for {} respondents",
            values.len(),
            weights.len(),
            design.n
        )));
    }
    let answered: Vec<usize> = (0..values.len()).filter(|&i| values[i].is_some()).collect();
    let missing = values.len() - answered.len();
    if answered.is_empty() {
        return Err(Error::Estimate(format!(
            "{variable}: no respondent answered"
        )));
    }
    let wd: f64 = answered.iter().map(|&i| weights[i]).sum();
    let dw: Vec<f64> = answered.iter().map(|&i| weights[i]).collect();
    let neff = effective_sample_size(&dw);
    let mut rows = Vec::new();
    let mut row = |category: String, y: &dyn Fn(usize) -> f64, share: bool| {
        let est = answered.iter().map(|&i| weights[i] * y(i)).sum::<f64>() / wd;
        let unweighted = answered.iter().map(|&i| y(i)).sum::<f64>() / answered.len() as f64;
        let mut z = vec![0.0; values.len()];
        for &i in &answered {
            z[i] = (y(i) - est) / wd;
        }
        let se = linearised_se(design, weights, &z, sweeps);
        let se_kish = if share {
            (est * (1.0 - est) / neff).sqrt()
        } else {
            let var = answered
                .iter()
                .map(|&i| weights[i] * (y(i) - est) * (y(i) - est))
                .sum::<f64>()
                / wd;
            (var / neff).sqrt()
        };
        let (mut lo, mut hi) = (est - Z_975 * se, est + Z_975 * se);
        if share {
            lo = lo.max(0.0);
            hi = hi.min(1.0);
        }
        let respondents = answered.iter().filter(|&&i| y(i) != 0.0).count();
        rows.push(CategoryEstimate {
            category,
            respondents: if share { respondents } else { answered.len() },
            unweighted,
            estimate: est,
            se,
            ci_low: lo,
            ci_high: hi,
            se_kish,
        });
    };
    match kind {
        EstimateKind::Mean => {
            let mut numbers = vec![0.0; values.len()];
            for &i in &answered {
                let raw = values[i].unwrap_or("");
                numbers[i] = crate::margins::parse_number(raw).ok_or_else(|| {
                    Error::Estimate(format!(
                        "{variable}: {raw:?} is not a number (respondent {}): a mean needs numbers",
                        i + 1
                    ))
                })?;
            }
            row("mean".into(), &|i| numbers[i], false);
        }
        EstimateKind::Shares => {
            let mut labels: Vec<String> = Vec::new();
            let mut keys: Vec<String> = Vec::new();
            let mut code = vec![usize::MAX; values.len()];
            for &i in &answered {
                let v = values[i].unwrap_or("");
                let key = crate::label_key(v);
                code[i] = match keys.iter().position(|k| *k == key) {
                    Some(k) => k,
                    None => {
                        keys.push(key);
                        labels.push(v.trim().to_string());
                        keys.len() - 1
                    }
                };
            }
            let mut order: Vec<usize> = (0..labels.len()).collect();
            let numeric: Option<Vec<f64>> = labels
                .iter()
                .map(|l| crate::margins::parse_number(l))
                .collect();
            match &numeric {
                Some(x) => order.sort_by(|&a, &b| x[a].total_cmp(&x[b])),
                None => order.sort_by(|&a, &b| labels[a].cmp(&labels[b])),
            }
            for k in order {
                row(
                    labels[k].clone(),
                    &|i| if code[i] == k { 1.0 } else { 0.0 },
                    true,
                );
            }
        }
    }
    Ok(Estimate {
        variable: variable.to_string(),
        kind,
        respondents: answered.len(),
        missing,
        rows,
    })
}

/// [`estimate_values`] on a column of the panel the design was bound from.
pub fn estimate(
    panel: &Table,
    design: &Design,
    weights: &[f64],
    variable: &str,
    kind: EstimateKind,
    sweeps: Sweeps,
) -> Result<Estimate, Error> {
    let column = panel.column(variable).ok_or_else(|| {
        Error::Estimate(format!(
            "{variable:?} is not a column of the panel (its columns: {})",
            panel.headers.join(", ")
        ))
    })?;
    let values: Vec<Option<&str>> = (0..panel.len())
        .map(|r| {
            let v = panel.cell(r, column);
            (!v.is_empty()).then_some(v)
        })
        .collect();
    estimate_values(
        design,
        weights,
        &panel.headers[column],
        &values,
        kind,
        sweeps,
    )
}

impl Estimate {
    /// The estimate as lines of text for a terminal.
    pub fn lines(&self) -> Vec<String> {
        let mut out = vec![format!(
            "{} ({} respondents{}):",
            self.variable,
            self.respondents,
            if self.missing > 0 {
                format!(", {} without an answer left out", self.missing)
            } else {
                String::new()
            }
        )];
        let pct = self.kind == EstimateKind::Shares;
        for r in &self.rows {
            if pct {
                out.push(format!(
                    "  {:<24} {:>6.2} %  (SE {:.2}, 95 % CI {:.2}–{:.2}; unweighted {:.2} %)",
                    r.category,
                    100.0 * r.estimate,
                    100.0 * r.se,
                    100.0 * r.ci_low,
                    100.0 * r.ci_high,
                    100.0 * r.unweighted
                ));
            } else {
                out.push(format!(
                    "  mean {:.4}  (SE {:.4}, 95 % CI {:.4}–{:.4}; unweighted {:.4})",
                    r.estimate, r.se, r.ci_low, r.ci_high, r.unweighted
                ));
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_exact_projection_is_what_back_fitting_converges_to() {
        use crate::design::Margin;
        let design = Design::from_codes(vec![
            Margin {
                variable: "sexe".into(),
                categories: vec!["F".into(), "H".into()],
                targets: vec![6.0, 6.0],
                codes: vec![0, 0, 0, 0, 1, 1, 1, 0, 1, 0, 1, 1],
            },
            Margin {
                variable: "age".into(),
                categories: vec!["a".into(), "b".into(), "c".into()],
                targets: vec![4.0, 4.0, 4.0],
                codes: vec![0, 1, 2, 1, 0, 1, 2, 0, 2, 1, 0, 2],
            },
        ])
        .unwrap();
        let z: Vec<f64> = (0..12).map(|i| ((i * 7 % 5) as f64 - 2.0) / 10.0).collect();
        let p = super::Projector::new(&design).expect("full rank");
        let exact = p.residuals(&z);
        let fitted = project(&design, &z, Sweeps::Converged);
        for (a, b) in exact.iter().zip(&fitted) {
            assert!((a - b).abs() < 1e-12, "{a} {b}");
        }
        let w: Vec<f64> = (0..12).map(|i| 1.0 + i as f64 / 10.0).collect();
        let se = linearised_se(&design, &w, &z, Sweeps::Converged);
        assert!((p.se(&w, &z) - se).abs() < 1e-12 * se.max(1.0));
    }

    use super::*;
    use crate::design::Margin;

    #[test]
    fn post_stratification_matches_its_textbook_variance() {
        // One margin: raking is post-stratification, whose linearised variance is
        // n/(n-1) Σ_g Σ_{i∈g} (W_g (y_i − ȳ_g) / n_g)².
        let codes = vec![0, 0, 0, 0, 1, 1, 1, 1, 1, 1];
        let y = [1.0, 0.0, 1.0, 1.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0];
        let d = Design::from_codes(vec![Margin {
            variable: "g".into(),
            categories: vec!["a".into(), "b".into()],
            targets: vec![50.0, 50.0],
            codes: codes.clone(),
        }])
        .expect("design");
        let r = crate::rake(&d, None, &crate::RakeOptions::default()).expect("rake");
        let values: Vec<Option<&str>> = y
            .iter()
            .map(|&v| Some(if v == 1.0 { "oui" } else { "non" }))
            .collect();
        let e = estimate_values(
            &d,
            &r.weights,
            "q",
            &values,
            EstimateKind::Shares,
            Sweeps::Converged,
        )
        .expect("estimate");
        let oui = &e.rows[1];
        assert_eq!(oui.category, "oui");
        // ȳ_a = 3/4, ȳ_b = 1/6; p = (3/4 + 1/6) / 2
        assert!((oui.estimate - (0.75 + 1.0 / 6.0) / 2.0).abs() < 1e-12);
        let mut ss = 0.0;
        for (g, n_g, mean) in [(0u32, 4.0, 0.75), (1, 6.0, 1.0 / 6.0)] {
            for i in 0..10 {
                if codes[i] == g {
                    let x: f64 = 0.5 * (y[i] - mean) / n_g;
                    ss += x * x;
                }
            }
        }
        let expected = (ss * 10.0 / 9.0).sqrt();
        assert!(
            (oui.se - expected).abs() < 1e-12,
            "{} vs {expected}",
            oui.se
        );
        assert!(oui.ci_low < oui.estimate && oui.estimate < oui.ci_high);
        assert!((oui.ci_high - oui.estimate - Z_975 * oui.se).abs() < 1e-12);
        // Shares sum to 1 and share one standard error.
        assert!((e.rows[0].estimate + oui.estimate - 1.0).abs() < 1e-12);
        assert!((e.rows[0].se - oui.se).abs() < 1e-12);
    }

    #[test]
    fn means_missing_answers_and_bad_numbers() {
        let d = Design::from_codes(vec![Margin {
            variable: "g".into(),
            categories: vec!["a".into(), "b".into()],
            targets: vec![3.0, 1.0],
            codes: vec![0, 0, 1, 1],
        }])
        .expect("design");
        let w = [1.5, 1.5, 0.5, 0.5];
        let values = [Some("2"), Some("4"), None, Some("10")];
        let e = estimate_values(&d, &w, "n", &values, EstimateKind::Mean, Sweeps::Converged)
            .expect("mean");
        assert_eq!(e.missing, 1);
        assert_eq!(e.respondents, 3);
        assert!((e.rows[0].estimate - (3.0 + 6.0 + 5.0) / 3.5).abs() < 1e-12);
        assert!((e.rows[0].unweighted - 16.0 / 3.0).abs() < 1e-12);
        let bad = [Some("2"), Some("beaucoup"), None, Some("1")];
        let err = estimate_values(&d, &w, "n", &bad, EstimateKind::Mean, Sweeps::Converged)
            .expect_err("text");
        assert!(err.to_string().contains("not a number"), "{err}");
    }

    #[test]
    fn ten_sweeps_and_convergence_agree_closely_on_two_margins() {
        let a = vec![0, 0, 1, 1, 0, 1, 0, 1, 1, 0, 0, 1];
        let b = vec![0, 1, 0, 1, 1, 0, 2, 2, 1, 2, 0, 2];
        let d = Design::from_codes(vec![
            Margin {
                variable: "a".into(),
                categories: vec!["0".into(), "1".into()],
                targets: vec![5.0, 7.0],
                codes: a,
            },
            Margin {
                variable: "b".into(),
                categories: vec!["0".into(), "1".into(), "2".into()],
                targets: vec![4.0, 4.0, 4.0],
                codes: b,
            },
        ])
        .expect("design");
        let z: Vec<f64> = (0..12).map(|i| ((i * 7) % 5) as f64 - 2.0).collect();
        let full = project(&d, &z, Sweeps::Converged);
        let ten = project(&d, &z, Sweeps::Fixed(10));
        // The converged residual is orthogonal to every category.
        for m in &d.margins {
            for k in 0..m.categories.len() {
                let s: f64 = m
                    .codes
                    .iter()
                    .zip(&full)
                    .filter(|(c, _)| **c as usize == k)
                    .map(|(_, e)| e)
                    .sum();
                assert!(s.abs() < 1e-10, "{s}");
            }
        }
        let diff = full
            .iter()
            .zip(&ten)
            .map(|(a, b)| (a - b).abs())
            .fold(0.0, f64::max);
        assert!(diff < 1e-2, "{diff}");
    }
}
