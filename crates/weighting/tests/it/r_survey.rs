//! The reference: R's `survey::rake`, run to convergence by `bench/weighting/rake.R` on the
//! fixture panel, gives the same weights to within 1e-6 relative, and `svymean` on its raked
//! design the same shares and standard errors.
//!
//! Needs `Rscript` with the survey package (Debian: r-base-core, r-cran-survey). Without them
//! the test is skipped with a loud message, unless `CONCORDE_REQUIRE_R=1` (as in CI), where it
//! fails.

use concorde_weighting::{
    EstimateKind, RakeOptions, Sweeps, bind, estimate, parse_margins, rake, read_table,
};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Whether R and its survey package answer; when not, skip loudly or fail if R is required.
fn r_available() -> bool {
    let ok = Command::new("Rscript")
        .args(["-e", "suppressPackageStartupMessages(library(survey))"])
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    if !ok {
        let message = "Rscript with the survey package is missing (apt-get install r-base-core r-cran-survey): the comparison with R did not run";
        if std::env::var("CONCORDE_REQUIRE_R").as_deref() == Ok("1") {
            panic!("CONCORDE_REQUIRE_R=1: {message}");
        }
        eprintln!("\n!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!");
        eprintln!("!!! SKIPPED: {message}");
        eprintln!("!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n");
    }
    ok
}

fn read_csv(path: &Path) -> Vec<Vec<String>> {
    let text = std::fs::read_to_string(path).expect("R output");
    text.lines()
        .skip(1)
        .map(|l| l.split(';').map(str::to_string).collect())
        .collect()
}

#[test]
fn weights_and_standard_errors_equal_those_of_r_survey() {
    if !r_available() {
        return;
    }
    let fixtures = root().join("crates/weighting/tests/fixtures");
    let out = std::env::temp_dir().join(format!("concorde-weighting-r-{}", std::process::id()));
    std::fs::create_dir_all(&out).expect("temp dir");
    let (weights_out, estimates_out) = (out.join("weights.csv"), out.join("estimates.csv"));
    let o = Command::new("Rscript")
        .arg(root().join("bench/weighting/rake.R"))
        .arg(fixtures.join("panel.csv"))
        .arg(fixtures.join("margins.csv"))
        .arg("sexe,age,quartier")
        .arg(&weights_out)
        .arg("aide,asso,isolement")
        .arg(&estimates_out)
        .output()
        .expect("run Rscript");
    assert!(
        o.status.success(),
        "rake.R failed: {}",
        String::from_utf8_lossy(&o.stderr)
    );

    let panel = read_table(
        &std::fs::read(fixtures.join("panel.csv")).expect("panel"),
        "panel",
    )
    .expect("panel");
    let margins = parse_margins(
        &read_table(
            &std::fs::read(fixtures.join("margins.csv")).expect("margins"),
            "margins",
        )
        .expect("margins"),
    )
    .expect("margins");
    let design = bind(&panel, &margins, &["sexe", "age", "quartier"]).expect("design");
    let raked = rake(&design, None, &RakeOptions::default()).expect("rake");
    assert!(raked.converged);

    let r_weights: HashMap<String, f64> = read_csv(&weights_out)
        .into_iter()
        .map(|row| (row[0].clone(), row[1].parse::<f64>().expect("R weight")))
        .collect();
    assert_eq!(r_weights.len(), 1100);
    let id = panel.column("id").expect("id");
    let mut worst: f64 = 0.0;
    for (i, w) in raked.weights.iter().enumerate() {
        let r = r_weights[panel.cell(i, id)];
        worst = worst.max((w - r).abs() / r);
    }
    eprintln!("largest relative difference to R's weights: {worst:.2e}");
    assert!(
        worst <= 1e-6,
        "weights differ from R's by {worst:e} (relative)"
    );

    // isolement has empty answers: R's svymean sees them as a category of their own (""),
    // Concorde leaves them out, so only the complete variables are compared.
    let mut compared = 0;
    for row in read_csv(&estimates_out) {
        let (variable, category) = (&row[0], &row[1]);
        let (r_est, r_se): (f64, f64) = (row[2].parse().expect("est"), row[3].parse().expect("se"));
        if variable == "isolement" {
            continue;
        }
        let fixed = estimate(
            &panel,
            &design,
            &raked.weights,
            variable,
            EstimateKind::Shares,
            Sweeps::Fixed(10),
        )
        .expect("estimate");
        let full = estimate(
            &panel,
            &design,
            &raked.weights,
            variable,
            EstimateKind::Shares,
            Sweeps::Converged,
        )
        .expect("estimate");
        let a = fixed
            .rows
            .iter()
            .find(|r| &r.category == category)
            .expect("category");
        let b = full
            .rows
            .iter()
            .find(|r| &r.category == category)
            .expect("category");
        assert!(
            (a.estimate - r_est).abs() <= 1e-9,
            "{variable}={category}: {} vs R {r_est}",
            a.estimate
        );
        // With R's 10 sweeps of back-fitting the standard errors are R's.
        assert!(
            (a.se - r_se).abs() <= 1e-6 * r_se,
            "{variable}={category}: SE {} vs R {r_se}",
            a.se
        );
        // Carried to convergence, the projection moves them very little.
        assert!(
            (b.se - r_se).abs() <= 1e-3 * r_se,
            "{variable}={category}: SE {} vs R {r_se}",
            b.se
        );
        eprintln!(
            "{variable}={category}: {:.6} SE {:.6} (R {r_se:.6}; converged projection {:.6}; Kish {:.6})",
            a.estimate, a.se, b.se, a.se_kish
        );
        compared += 1;
    }
    assert_eq!(compared, 4);
    let _ = std::fs::remove_dir_all(&out);
}
