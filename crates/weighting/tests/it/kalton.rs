//! Kalton & Flores-Cervantes (2003), "Weighting methods", J. Official Statistics 19(2), table B:
//! a 4 × 3 sample of n = 1,000 raked to the margins of a population of N = 1,500 — the example
//! the R survey package keeps in `tests/kalton.R`, with the raking factors it prints (to 2 d.p.).

use concorde_weighting::{Design, Margin, RakeOptions, rake};

/// Cells in the order a = 1..4 within b = 1..3.
const SAMPLE: [usize; 12] = [20, 50, 100, 30, 40, 140, 50, 100, 40, 310, 50, 70];
const POPULATION: [f64; 12] = [
    80.0, 60.0, 170.0, 55.0, 40.0, 150.0, 60.0, 165.0, 55.0, 340.0, 200.0, 125.0,
];
/// Table B: raking factor of each cell, rows a = 1..4, columns b = 1..3.
const FACTORS: [[f64; 3]; 4] = [
    [1.81, 1.45, 2.02],
    [1.08, 0.87, 1.21],
    [2.20, 1.76, 2.45],
    [1.83, 1.47, 2.04],
];

fn kalton() -> (Design, Vec<usize>) {
    let mut a = Vec::new();
    let mut b = Vec::new();
    let mut cell = Vec::new();
    for (k, &count) in SAMPLE.iter().enumerate() {
        for _ in 0..count {
            a.push((k % 4) as u32);
            b.push((k / 4) as u32);
            cell.push(k);
        }
    }
    let mut ta = [0.0; 4];
    let mut tb = [0.0; 3];
    for (k, p) in POPULATION.iter().enumerate() {
        ta[k % 4] += p;
        tb[k / 4] += p;
    }
    let labels = |n: usize| (1..=n).map(|i| i.to_string()).collect::<Vec<_>>();
    let design = Design::from_codes(vec![
        Margin {
            variable: "a".into(),
            categories: labels(4),
            targets: ta.to_vec(),
            codes: a,
        },
        Margin {
            variable: "b".into(),
            categories: labels(3),
            targets: tb.to_vec(),
            codes: b,
        },
    ])
    .expect("design");
    (design, cell)
}

#[test]
fn raking_factors_of_table_b() {
    let (design, cell) = kalton();
    assert_eq!(design.n, 1000);
    assert_eq!(design.total, 1500.0);
    let r = rake(&design, None, &RakeOptions::default()).expect("rake");
    assert!(r.converged, "{:?}", r.warnings);
    assert!(r.largest_gap <= 1e-10);
    for (k, expected) in FACTORS
        .iter()
        .enumerate()
        .flat_map(|(a, row)| row.iter().enumerate().map(move |(b, f)| (b * 4 + a, *f)))
    {
        let weights: Vec<f64> = cell
            .iter()
            .zip(&r.weights)
            .filter(|(c, _)| **c == k)
            .map(|(_, w)| *w)
            .collect();
        // Every respondent of a cell gets the same factor, the cell's raking factor.
        assert!(weights.iter().all(|w| (w - weights[0]).abs() < 1e-9));
        let factor = weights[0];
        assert!(
            (factor - expected).abs() <= 0.005 + 1e-9,
            "cell a={} b={}: {factor:.4} where Kalton & Flores-Cervantes give {expected}",
            k % 4 + 1,
            k / 4 + 1
        );
    }
    assert!((r.weights.iter().sum::<f64>() - 1500.0).abs() < 1e-7);
}

#[test]
fn a_loose_tolerance_stops_earlier_and_says_so() {
    let (design, _) = kalton();
    let tight = rake(&design, None, &RakeOptions::default()).expect("rake");
    let loose = rake(
        &design,
        None,
        &RakeOptions {
            tolerance: 1e-2,
            ..RakeOptions::default()
        },
    )
    .expect("rake");
    assert!(loose.converged);
    assert!(loose.iterations < tight.iterations);
    assert!(loose.largest_gap <= 1e-2 && loose.largest_gap > 1e-10);
}
