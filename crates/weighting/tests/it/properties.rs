//! Properties of raking on random designs whose margins are reachable (they are the totals of
//! some positive weights): margins met, weights positive, the result independent of row order,
//! trimmed weights within their bounds.

use concorde_weighting::{Design, Margin, RakeOptions, rake, rake::largest_gap};
use proptest::prelude::*;

#[derive(Debug, Clone)]
struct Case {
    /// codes[m][i]: respondent i's category on margin m.
    codes: Vec<Vec<u32>>,
    sizes: Vec<usize>,
    /// The positive weights whose totals are the targets.
    truth: Vec<f64>,
}

fn case() -> impl Strategy<Value = Case> {
    (prop::collection::vec(2usize..6, 1..4), 12usize..150).prop_flat_map(|(sizes, n)| {
        let codes = sizes
            .iter()
            .map(|&k| prop::collection::vec(0..k as u32, n))
            .collect::<Vec<_>>();
        let truth = prop::collection::vec(0.2f64..5.0, n);
        (Just(sizes), codes, truth).prop_map(|(sizes, mut codes, truth)| {
            // Every category gets at least one respondent.
            for (m, &k) in sizes.iter().enumerate() {
                for (c, code) in codes[m].iter_mut().take(k).enumerate() {
                    *code = c as u32;
                }
            }
            Case {
                codes,
                sizes,
                truth,
            }
        })
    })
}

fn design(case: &Case, order: &[usize]) -> Design {
    let margins = case
        .codes
        .iter()
        .zip(&case.sizes)
        .enumerate()
        .map(|(m, (codes, &k))| {
            let mut targets = vec![0.0; k];
            for (&c, &w) in codes.iter().zip(&case.truth) {
                targets[c as usize] += w;
            }
            Margin {
                variable: format!("v{m}"),
                categories: (0..k).map(|c| c.to_string()).collect(),
                targets,
                codes: order.iter().map(|&i| codes[i]).collect(),
            }
        })
        .collect();
    Design::from_codes(margins).expect("design")
}

fn options() -> RakeOptions {
    RakeOptions {
        tolerance: 1e-11,
        max_iterations: 200_000,
        ..RakeOptions::default()
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn margins_are_met_and_weights_positive(case in case()) {
        let n = case.truth.len();
        let order: Vec<usize> = (0..n).collect();
        let d = design(&case, &order);
        let r = rake(&d, None, &options()).expect("rake");
        prop_assert!(r.converged, "{:?}", r.warnings);
        prop_assert!(largest_gap(&d, &r.weights) <= 1e-11);
        prop_assert!(r.weights.iter().all(|w| w.is_finite() && *w > 0.0));
        let sum: f64 = r.weights.iter().sum();
        prop_assert!((sum - d.total).abs() <= 1e-9 * d.total);
        // Raking raked weights again changes nothing.
        let again = rake(&d, Some(&r.weights), &options()).expect("rake");
        prop_assert_eq!(again.iterations, 0);
    }

    #[test]
    fn row_order_does_not_matter(case in case(), seed in any::<u64>()) {
        let n = case.truth.len();
        let order: Vec<usize> = (0..n).collect();
        // A permutation from the seed (Fisher–Yates with a small LCG).
        let mut shuffled = order.clone();
        let mut s = seed | 1;
        for i in (1..n).rev() {
            s = s.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            shuffled.swap(i, (s >> 33) as usize % (i + 1));
        }
        let a = rake(&design(&case, &order), None, &options()).expect("rake");
        let b = rake(&design(&case, &shuffled), None, &options()).expect("rake");
        for (j, &i) in shuffled.iter().enumerate() {
            let (x, y) = (a.weights[i], b.weights[j]);
            prop_assert!((x - y).abs() <= 1e-8 * x.abs().max(y.abs()), "respondent {i}: {x} vs {y}");
        }
    }

    #[test]
    fn trimmed_weights_stay_within_bounds(case in case()) {
        let n = case.truth.len();
        let order: Vec<usize> = (0..n).collect();
        let d = design(&case, &order);
        let opts = RakeOptions { trim: Some((0.5, 2.0)), ..options() };
        let r = rake(&d, None, &opts).expect("rake");
        prop_assert!(largest_gap(&d, &r.weights) <= 1e-9);
        if r.warnings.is_empty() {
            let mean = d.total / n as f64;
            prop_assert!(r.weights.iter().all(|w| *w >= 0.5 * mean * (1.0 - 1e-5) && *w <= 2.0 * mean * (1.0 + 1e-5)));
        } else {
            prop_assert!(r.warnings.iter().any(|w| w.contains("cannot be met")), "{:?}", r.warnings);
        }
    }
}
