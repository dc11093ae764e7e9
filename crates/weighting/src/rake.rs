//! Raking (iterative proportional fitting): the weights are multiplied, one margin after the
//! other, by target ÷ current weighted total of each respondent's category, until every margin
//! is met.
//!
//! **Stopping rule.** After each iteration (one pass over every margin) the largest relative gap
//! `max |weighted total − target| ÷ target` over every category of every margin is computed;
//! raking stops when it is at most `tolerance` (default 1e-10), or after `max_iterations`
//! iterations (default 1,000): then `converged` is false. Both figures are reported.
//!
//! **Trimming.** With bounds `(lo, hi)` relative to the mean weight (which raking fixes: the
//! total ÷ n), weights outside `[lo × mean, hi × mean]` are set to the bound and the design is
//! raked again from those weights; this alternates until the raked weights lie within the bounds
//! (to 1e-6 relative) or `max_trim_rounds` is reached, in which case the weights still meet the
//! margins and a warning says how far outside the bounds they remain.

use crate::{Error, design::Design};

/// How to rake.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct RakeOptions {
    /// Largest relative gap to the targets accepted (see the module's stopping rule).
    pub tolerance: f64,
    pub max_iterations: usize,
    /// Bounds relative to the mean weight, e.g. `(0.3, 3.0)`.
    pub trim: Option<(f64, f64)>,
    pub max_trim_rounds: usize,
}

impl Default for RakeOptions {
    fn default() -> Self {
        RakeOptions {
            tolerance: 1e-10,
            max_iterations: 1000,
            trim: None,
            max_trim_rounds: 100,
        }
    }
}

impl RakeOptions {
    fn check(&self) -> Result<(), Error> {
        if !(self.tolerance.is_finite() && self.tolerance > 0.0) {
            return Err(Error::Options(format!(
                "the tolerance must be a positive number, not {}",
                self.tolerance
            )));
        }
        if self.max_iterations == 0 {
            return Err(Error::Options(
                "the iteration limit must be at least 1".into(),
            ));
        }
        if let Some((lo, hi)) = self.trim
            && !(lo.is_finite() && hi.is_finite() && lo > 0.0 && lo < 1.0 && hi > 1.0)
        {
            return Err(Error::Options(format!(
                "trimming bounds are relative to the mean weight: the lower one between 0 and 1, the upper one above 1 (e.g. 0.3,3), not {lo},{hi}"
            )));
        }
        Ok(())
    }
}

/// Raked weights and how they were reached.
#[derive(Debug, Clone, PartialEq)]
pub struct Raking {
    pub weights: Vec<f64>,
    /// Iterations of the last raking (after the last trimming round when trimming).
    pub iterations: usize,
    /// Iterations over all raking runs (first raking and every re-raking).
    pub total_iterations: usize,
    /// The largest relative gap to the targets at the end.
    pub largest_gap: f64,
    pub converged: bool,
    /// Trimming rounds done (0 without trimming or when no weight was out of bounds).
    pub trim_rounds: usize,
    /// Weights at a bound in the last trimming round.
    pub trimmed: usize,
    pub warnings: Vec<String>,
}

struct Pass {
    iterations: usize,
    gap: f64,
    converged: bool,
}

/// Largest relative gap of the weights to the targets, over every margin.
pub fn largest_gap(design: &Design, weights: &[f64]) -> f64 {
    let mut gap: f64 = 0.0;
    let mut sums = Vec::new();
    for m in &design.margins {
        sums.clear();
        sums.resize(m.categories.len(), 0.0);
        for (&c, &w) in m.codes.iter().zip(weights) {
            sums[c as usize] += w;
        }
        for (s, t) in sums.iter().zip(&m.targets) {
            gap = gap.max((s - t).abs() / t);
        }
    }
    gap
}

fn rake_pass(design: &Design, w: &mut [f64], opts: &RakeOptions) -> Pass {
    let mut sums = Vec::new();
    let mut factors = Vec::new();
    let mut gap = largest_gap(design, w);
    if gap <= opts.tolerance {
        return Pass {
            iterations: 0,
            gap,
            converged: true,
        };
    }
    for iteration in 1..=opts.max_iterations {
        for m in &design.margins {
            sums.clear();
            sums.resize(m.categories.len(), 0.0);
            for (&c, &wi) in m.codes.iter().zip(w.iter()) {
                sums[c as usize] += wi;
            }
            factors.clear();
            factors.extend(m.targets.iter().zip(&sums).map(|(t, s)| t / s));
            for (&c, wi) in m.codes.iter().zip(w.iter_mut()) {
                *wi *= factors[c as usize];
            }
        }
        gap = largest_gap(design, w);
        if gap <= opts.tolerance {
            return Pass {
                iterations: iteration,
                gap,
                converged: true,
            };
        }
    }
    Pass {
        iterations: opts.max_iterations,
        gap,
        converged: false,
    }
}

/// Rakes the design from `base` weights (all 1 when `None`; they must be positive).
pub fn rake(design: &Design, base: Option<&[f64]>, opts: &RakeOptions) -> Result<Raking, Error> {
    opts.check()?;
    let mut w: Vec<f64> = match base {
        Some(b) => {
            if b.len() != design.n {
                return Err(Error::Options(format!(
                    "{} base weights for {} respondents",
                    b.len(),
                    design.n
                )));
            }
            if let Some(x) = b.iter().find(|x| !(x.is_finite() && **x > 0.0)) {
                return Err(Error::Options(format!(
                    "base weights must be positive, not {x}"
                )));
            }
            b.to_vec()
        }
        None => vec![1.0; design.n],
    };
    let mut warnings = Vec::new();
    let mut pass = rake_pass(design, &mut w, opts);
    let mut total_iterations = pass.iterations;
    let mut trim_rounds = 0;
    let mut trimmed = 0;
    if let Some((lo, hi)) = opts.trim {
        let mean = design.total / design.n as f64;
        let (low, high) = (lo * mean, hi * mean);
        let outside = |w: &[f64]| {
            w.iter()
                .map(|&x| {
                    if x < low {
                        (low - x) / low
                    } else if x > high {
                        (x - high) / high
                    } else {
                        0.0
                    }
                })
                .fold(0.0, f64::max)
        };
        while outside(&w) > 1e-6 && trim_rounds < opts.max_trim_rounds {
            trim_rounds += 1;
            trimmed = 0;
            for x in w.iter_mut() {
                if *x < low || *x > high {
                    *x = x.clamp(low, high);
                    trimmed += 1;
                }
            }
            pass = rake_pass(design, &mut w, opts);
            total_iterations += pass.iterations;
        }
        let left = outside(&w);
        if left > 1e-6 {
            let (min, max) = w
                .iter()
                .fold((f64::INFINITY, 0.0f64), |(a, b), &x| (a.min(x), b.max(x)));
            warnings.push(format!(
                "after {trim_rounds} trimming rounds the weights still range from {:.3} to {:.3} times the mean (bounds {lo} and {hi}): the margins cannot be met within these bounds; the weights meet the margins",
                min / mean,
                max / mean
            ));
        }
    }
    if !pass.converged {
        warnings.push(format!(
            "raking did not converge: after {} iterations the largest gap to a target is {:.3e} (tolerance {:.0e})",
            pass.iterations, pass.gap, opts.tolerance
        ));
    }
    Ok(Raking {
        weights: w,
        iterations: pass.iterations,
        total_iterations,
        largest_gap: pass.gap,
        converged: pass.converged,
        trim_rounds,
        trimmed,
        warnings,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::design::Margin;

    fn two_by_two() -> Design {
        Design::from_codes(vec![
            Margin {
                variable: "a".into(),
                categories: vec!["1".into(), "2".into()],
                targets: vec![60.0, 40.0],
                codes: vec![0, 0, 0, 1, 1, 0, 1, 1],
            },
            Margin {
                variable: "b".into(),
                categories: vec!["1".into(), "2".into()],
                targets: vec![30.0, 70.0],
                codes: vec![0, 1, 1, 0, 1, 0, 1, 1],
            },
        ])
        .expect("design")
    }

    #[test]
    fn meets_the_margins_and_reports_it() {
        let d = two_by_two();
        let r = rake(&d, None, &RakeOptions::default()).expect("rake");
        assert!(r.converged);
        assert!(r.iterations > 1);
        assert!(r.largest_gap <= 1e-10);
        assert!(largest_gap(&d, &r.weights) <= 1e-10);
        assert!((r.weights.iter().sum::<f64>() - 100.0).abs() < 1e-8);
    }

    #[test]
    fn the_iteration_limit_is_reported() {
        let d = two_by_two();
        let opts = RakeOptions {
            max_iterations: 1,
            ..RakeOptions::default()
        };
        let r = rake(&d, None, &opts).expect("rake");
        assert!(!r.converged);
        assert_eq!(r.iterations, 1);
        assert!(r.largest_gap > 1e-10);
        assert!(
            r.warnings[0].contains("did not converge"),
            "{:?}",
            r.warnings
        );
    }

    #[test]
    fn trimming_keeps_weights_within_bounds_and_margins_met() {
        let d = two_by_two();
        let free = rake(&d, None, &RakeOptions::default()).expect("rake");
        let mean = 100.0 / 8.0;
        let (min, max) = free
            .weights
            .iter()
            .fold((f64::INFINITY, 0.0f64), |(a, b), &x| (a.min(x), b.max(x)));
        assert!(max / mean > 1.3 || min / mean < 0.7, "needs spread weights");
        let opts = RakeOptions {
            trim: Some((0.7, 1.3)),
            ..RakeOptions::default()
        };
        let r = rake(&d, None, &opts).expect("rake");
        assert!(largest_gap(&d, &r.weights) <= 1e-9);
        if r.warnings.is_empty() {
            assert!(r.trim_rounds >= 1);
            for w in &r.weights {
                assert!(*w >= 0.7 * mean * (1.0 - 1e-6) && *w <= 1.3 * mean * (1.0 + 1e-6));
            }
        }
    }

    #[test]
    fn impossible_bounds_are_said() {
        // 1 respondent of 8 must carry 40 % of the total: 3.2 times the mean, beyond 2.
        let d = Design::from_codes(vec![Margin {
            variable: "a".into(),
            categories: vec!["rare".into(), "common".into()],
            targets: vec![40.0, 60.0],
            codes: vec![0, 1, 1, 1, 1, 1, 1, 1],
        }])
        .expect("design");
        let opts = RakeOptions {
            trim: Some((0.5, 2.0)),
            max_trim_rounds: 5,
            ..RakeOptions::default()
        };
        let r = rake(&d, None, &opts).expect("rake");
        assert_eq!(r.trim_rounds, 5);
        assert!(r.warnings[0].contains("cannot be met"), "{:?}", r.warnings);
        assert!((r.weights[0] - 40.0).abs() < 1e-8, "margins still met");
    }

    #[test]
    fn bad_options_are_refused() {
        let d = two_by_two();
        for opts in [
            RakeOptions {
                trim: Some((1.5, 3.0)),
                ..RakeOptions::default()
            },
            RakeOptions {
                tolerance: 0.0,
                ..RakeOptions::default()
            },
            RakeOptions {
                max_iterations: 0,
                ..RakeOptions::default()
            },
        ] {
            assert!(matches!(rake(&d, None, &opts), Err(Error::Options(_))));
        }
        assert!(rake(&d, Some(&[1.0; 3]), &RakeOptions::default()).is_err());
        assert!(rake(&d, Some(&[0.0; 8]), &RakeOptions::default()).is_err());
    }
}
