//! What an analyst checks before trusting weights: convergence, spread, effective sample size,
//! and each margin unweighted, weighted and targeted.

use crate::{design::Design, rake::Raking};

/// One category of one margin: the panel's share before and after weighting, and the target's.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct MarginRow {
    pub variable: String,
    pub category: String,
    pub respondents: usize,
    pub unweighted_share: f64,
    pub weighted_share: f64,
    pub target_share: f64,
    pub weighted_total: f64,
    pub target: f64,
}

/// The diagnostics of a raking.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Diagnostics {
    pub respondents: usize,
    pub converged: bool,
    pub iterations: usize,
    pub total_iterations: usize,
    /// Largest relative gap to a target, `max |weighted − target| ÷ target`.
    pub largest_gap: f64,
    pub tolerance: f64,
    pub max_iterations: usize,
    pub trim: Option<(f64, f64)>,
    pub trim_rounds: usize,
    pub trimmed: usize,
    pub sum_of_weights: f64,
    pub mean_weight: f64,
    pub min_weight: f64,
    pub max_weight: f64,
    /// Smallest and largest weight divided by the mean weight.
    pub min_ratio: f64,
    pub max_ratio: f64,
    /// Kish's effective sample size, `(Σw)² ÷ Σw²`.
    pub effective_sample_size: f64,
    /// Kish's design effect of weighting, `n ÷ effective sample size` (= 1 + CV² of the weights).
    pub design_effect: f64,
    pub margins: Vec<MarginRow>,
    pub warnings: Vec<String>,
}

/// Kish's effective sample size of a set of weights.
pub fn effective_sample_size(weights: &[f64]) -> f64 {
    let (s, s2) = weights
        .iter()
        .fold((0.0, 0.0), |(s, s2), &w| (s + w, s2 + w * w));
    if s2 > 0.0 { s * s / s2 } else { 0.0 }
}

/// Describes a raking of `design` done with `opts`.
pub fn diagnose(design: &Design, raking: &Raking, opts: &crate::RakeOptions) -> Diagnostics {
    let w = &raking.weights;
    let n = design.n;
    let sum: f64 = w.iter().sum();
    let (min, max) = w
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &x| {
            (a.min(x), b.max(x))
        });
    let mean = sum / n as f64;
    let neff = effective_sample_size(w);
    let mut margins = Vec::new();
    for m in &design.margins {
        let counts = m.counts();
        let mut sums = vec![0.0; m.categories.len()];
        for (&c, &x) in m.codes.iter().zip(w) {
            sums[c as usize] += x;
        }
        let total: f64 = m.targets.iter().sum();
        for k in 0..m.categories.len() {
            margins.push(MarginRow {
                variable: m.variable.clone(),
                category: m.categories[k].clone(),
                respondents: counts[k],
                unweighted_share: counts[k] as f64 / n as f64,
                weighted_share: sums[k] / sum,
                target_share: m.targets[k] / total,
                weighted_total: sums[k],
                target: m.targets[k],
            });
        }
    }
    let mut warnings = design.warnings.clone();
    warnings.extend(raking.warnings.iter().cloned());
    Diagnostics {
        respondents: n,
        converged: raking.converged,
        iterations: raking.iterations,
        total_iterations: raking.total_iterations,
        largest_gap: raking.largest_gap,
        tolerance: opts.tolerance,
        max_iterations: opts.max_iterations,
        trim: opts.trim,
        trim_rounds: raking.trim_rounds,
        trimmed: raking.trimmed,
        sum_of_weights: sum,
        mean_weight: mean,
        min_weight: min,
        max_weight: max,
        min_ratio: min / mean,
        max_ratio: max / mean,
        effective_sample_size: neff,
        design_effect: n as f64 / neff,
        margins,
        warnings,
    }
}

impl Diagnostics {
    /// The diagnostics as lines of text for a terminal.
    pub fn lines(&self) -> Vec<String> {
        let mut out = vec![format!(
            "raking: {} after {} iteration{} (largest gap to a target {:.2e}, tolerance {:.0e}, limit {})",
            if self.converged {
                "converged"
            } else {
                "NOT converged"
            },
            self.iterations,
            if self.iterations == 1 { "" } else { "s" },
            self.largest_gap,
            self.tolerance,
            self.max_iterations
        )];
        if let Some((lo, hi)) = self.trim {
            out.push(format!(
                "trimming to [{lo}, {hi}] × mean: {} round{}, {} weight{} at a bound in the last, {} iterations in all",
                self.trim_rounds,
                if self.trim_rounds == 1 { "" } else { "s" },
                self.trimmed,
                if self.trimmed == 1 { "" } else { "s" },
                self.total_iterations
            ));
        }
        out.push(format!(
            "respondents: {}, sum of weights {:.1}, mean {:.4}",
            self.respondents, self.sum_of_weights, self.mean_weight
        ));
        out.push(format!(
            "weights: smallest {:.4} ({:.3} × mean), largest {:.4} ({:.3} × mean)",
            self.min_weight, self.min_ratio, self.max_weight, self.max_ratio
        ));
        out.push(format!(
            "effective sample size (Kish): {:.1}, design effect {:.3}",
            self.effective_sample_size, self.design_effect
        ));
        let width = self
            .margins
            .iter()
            .map(|r| r.variable.chars().count() + r.category.chars().count() + 3)
            .max()
            .unwrap_or(10)
            .max(10);
        out.push(format!(
            "{:<width$}  {:>6}  {:>10}  {:>8}  {:>7}",
            "margin", "n", "unweighted", "weighted", "target"
        ));
        for r in &self.margins {
            let name = format!("{} = {}", r.variable, r.category);
            out.push(format!(
                "{:<width$}  {:>6}  {:>9.2} %  {:>6.2} %  {:>5.2} %",
                name,
                r.respondents,
                100.0 * r.unweighted_share,
                100.0 * r.weighted_share,
                100.0 * r.target_share
            ));
        }
        for w in &self.warnings {
            out.push(format!("warning: {w}"));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kish_figures() {
        assert!((effective_sample_size(&[1.0; 10]) - 10.0).abs() < 1e-12);
        // Two weights 1 and 3: (4)² / (1 + 9) = 1.6
        assert!((effective_sample_size(&[1.0, 3.0]) - 1.6).abs() < 1e-12);
        assert_eq!(effective_sample_size(&[]), 0.0);
    }
}
