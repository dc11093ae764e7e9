//! The synthetic Nantes panel (`tests/fixtures`, written by `bench/weighting/gen_panel.py`):
//! read in every encoding and separator, raked, diagnosed, estimated; and every kind of bad
//! margins refused with its reason.

use concorde_weighting::{
    Error, EstimateKind, Problem, RakeOptions, Sweeps, bind, diagnose, estimate, parse_margins,
    rake, read_table, table::Encoding,
};

pub const PANEL: &str = include_str!("../fixtures/panel.csv");
pub const MARGINS: &str = include_str!("../fixtures/margins.csv");
const BY: [&str; 3] = ["sexe", "age", "quartier"];

fn weights_of(panel: &[u8], margins: &[u8]) -> Result<Vec<f64>, Error> {
    let p = read_table(panel, "panel")?;
    let m = parse_margins(&read_table(margins, "margins")?)?;
    let d = bind(&p, &m, &BY)?;
    Ok(rake(&d, None, &RakeOptions::default())?.weights)
}

#[test]
fn the_panel_is_weighted_to_the_quartiers() {
    let p = read_table(PANEL.as_bytes(), "panel").expect("panel");
    assert_eq!(p.len(), 1100);
    let m = parse_margins(&read_table(MARGINS.as_bytes(), "margins").expect("m")).expect("m");
    let d = bind(&p, &m, &BY).expect("design");
    assert!(d.warnings.is_empty(), "{:?}", d.warnings);
    let opts = RakeOptions::default();
    let r = rake(&d, None, &opts).expect("rake");
    let diag = diagnose(&d, &r, &opts);
    assert!(diag.converged && diag.largest_gap <= 1e-10);
    assert!(diag.iterations > 2);
    assert_eq!(diag.margins.len(), 2 + 5 + 11);
    for row in &diag.margins {
        assert!(
            (row.weighted_share - row.target_share).abs() < 1e-9,
            "{row:?}"
        );
    }
    // The panel is biased: Nantes Nord is under-represented before weighting.
    let nord = diag
        .margins
        .iter()
        .find(|r| r.category == "Nantes Nord")
        .expect("Nantes Nord");
    assert!(nord.unweighted_share < 0.6 * nord.target_share, "{nord:?}");
    assert!(
        diag.design_effect > 1.05 && diag.design_effect < 3.0,
        "{}",
        diag.design_effect
    );
    assert!((diag.effective_sample_size * diag.design_effect - 1100.0).abs() < 1e-6);
    assert!(diag.min_weight > 0.0 && diag.max_ratio > 1.5);
    assert!((diag.sum_of_weights - 291_440.0).abs() < 1e-4);
    let text = diag.lines().join("\n");
    assert!(text.contains("converged after"), "{text}");
    assert!(text.contains("quartier = Nantes Nord"), "{text}");

    // Weighting moves the estimates: fewer helpers once women are brought back to 52.5 %.
    let e = estimate(
        &p,
        &d,
        &r.weights,
        "aide",
        EstimateKind::Shares,
        Sweeps::Converged,
    )
    .expect("aide");
    let oui = e.rows.iter().find(|r| r.category == "oui").expect("oui");
    assert!(oui.estimate < oui.unweighted);
    assert!(oui.se > 0.005 && oui.se < 0.05);
    assert!(oui.ci_low < oui.estimate && oui.ci_high > oui.estimate);
    let iso = estimate(
        &p,
        &d,
        &r.weights,
        "isolement",
        EstimateKind::Shares,
        Sweeps::Converged,
    )
    .expect("isolement");
    assert!(iso.missing > 0 && iso.respondents + iso.missing == 1100);
    assert_eq!(iso.rows.len(), 3);
    assert!((iso.rows.iter().map(|r| r.estimate).sum::<f64>() - 1.0).abs() < 1e-12);
    let mean = estimate(
        &p,
        &d,
        &r.weights,
        "proches",
        EstimateKind::Mean,
        Sweeps::Converged,
    )
    .expect("proches");
    assert!(mean.rows[0].estimate > 2.0 && mean.rows[0].estimate < 7.0);
    let e = estimate(
        &p,
        &d,
        &r.weights,
        "quartier",
        EstimateKind::Mean,
        Sweeps::Converged,
    )
    .expect_err("text");
    assert!(e.to_string().contains("not a number"), "{e}");
    let e = estimate(
        &p,
        &d,
        &r.weights,
        "revenu",
        EstimateKind::Shares,
        Sweeps::Converged,
    )
    .expect_err("no column");
    assert!(e.to_string().contains("not a column"), "{e}");
}

fn latin1(s: &str) -> Vec<u8> {
    s.chars()
        .map(|c| u8::try_from(c as u32).expect("latin-1"))
        .collect()
}

#[test]
fn encodings_and_separators_give_the_same_weights() {
    let reference = weights_of(PANEL.as_bytes(), MARGINS.as_bytes()).expect("utf-8");
    let mut bom = b"\xEF\xBB\xBF".to_vec();
    bom.extend_from_slice(PANEL.as_bytes());
    let latin = latin1(PANEL);
    let t = read_table(&latin, "panel").expect("latin-1");
    assert_eq!(t.encoding, Encoding::Latin1);
    let commas = PANEL.replace(';', ",");
    let margins_en = MARGINS
        .replace("variable;modalite;effectif", "Variable;Category;Target")
        .replace(';', ",");
    for (panel, margins) in [
        (bom, MARGINS.as_bytes().to_vec()),
        (latin, latin1(MARGINS)),
        (commas.into_bytes(), margins_en.into_bytes()),
    ] {
        let w = weights_of(&panel, &margins).expect("weights");
        for (a, b) in w.iter().zip(&reference) {
            assert!((a - b).abs() <= 1e-12 * b, "{a} vs {b}");
        }
    }
}

fn problems(margins: &str) -> Vec<Problem> {
    match weights_of(PANEL.as_bytes(), margins.as_bytes()) {
        Err(Error::Problems(p)) => p,
        other => panic!("expected problems, got {other:?}"),
    }
}

#[test]
fn bad_margins_are_refused_with_their_reason() {
    // A category nobody in the panel belongs to.
    let p = problems(&format!(
        "{MARGINS}quartier;Saint-Joseph de Porterie;9000\n"
    ));
    assert!(
        matches!(&p[..], [Problem::EmptyCategory { category, .. }] if category == "Saint-Joseph de Porterie"),
        "{p:?}"
    );
    // A label that matches nothing: the panel's "Nantes Sud" is spelt otherwise.
    let p = problems(&MARGINS.replace("Nantes Sud", "Nantes-Sud"));
    assert!(
        p.iter().any(
            |x| matches!(x, Problem::UnknownLabel { label, rows: 49, .. } if label == "Nantes Sud")
        ),
        "{p:?}"
    );
    // A variable the panel does not have.
    let p = problems(&MARGINS.replace("sexe;", "genre;"));
    assert!(
        p.iter()
            .any(|x| matches!(x, Problem::NoMargins { variable, .. } if variable == "sexe")),
        "{p:?}"
    );
    let e = weights_of(
        PANEL.replace("sexe", "genre").as_bytes(),
        MARGINS.as_bytes(),
    )
    .expect_err("missing column");
    assert!(
        e.to_string()
            .contains("\"sexe\" is not a column of the panel"),
        "{e}"
    );
    // A zero or negative target.
    for bad in ["0", "-12"] {
        let e = weights_of(PANEL.as_bytes(), MARGINS.replace("10532", bad).as_bytes())
            .expect_err("target");
        assert!(
            matches!(e, Error::MarginsLine { line: 19, .. }) && e.to_string().contains("positive"),
            "{e}"
        );
    }
}

#[test]
fn differing_totals_are_normalised_with_a_warning() {
    let p = read_table(PANEL.as_bytes(), "panel").expect("panel");
    let m = parse_margins(
        &read_table(MARGINS.replace("153006", "160000").as_bytes(), "margins").expect("m"),
    )
    .expect("m");
    let d = bind(&p, &m, &BY).expect("design");
    assert_eq!(d.total, 1100.0);
    assert!(
        d.warnings.iter().any(|w| w.contains("totals differ")),
        "{:?}",
        d.warnings
    );
    let r = rake(&d, None, &RakeOptions::default()).expect("rake");
    assert!(r.converged);
    let mean = r.weights.iter().sum::<f64>() / 1100.0;
    assert!((mean - 1.0).abs() < 1e-9);
}

#[test]
fn trimming_then_reraking() {
    let p = read_table(PANEL.as_bytes(), "panel").expect("panel");
    let m = parse_margins(&read_table(MARGINS.as_bytes(), "margins").expect("m")).expect("m");
    let d = bind(&p, &m, &BY).expect("design");
    let free = rake(&d, None, &RakeOptions::default()).expect("rake");
    let opts = RakeOptions {
        trim: Some((0.4, 3.0)),
        ..RakeOptions::default()
    };
    let r = rake(&d, None, &opts).expect("rake");
    let before = diagnose(&d, &free, &RakeOptions::default());
    let after = diagnose(&d, &r, &opts);
    eprintln!(
        "weights from {} to {} × mean",
        before.min_ratio, before.max_ratio
    );
    assert!(
        before.max_ratio > 3.0,
        "the fixture needs weights to trim: {}",
        before.max_ratio
    );
    assert!(after.trim_rounds >= 1, "{after:?}");
    assert!(after.warnings.is_empty(), "{:?}", after.warnings);
    assert!(after.max_ratio <= 3.0 * (1.0 + 1e-6) && after.min_ratio >= 0.4 * (1.0 - 1e-6));
    assert!(after.converged && after.largest_gap <= 1e-10);
    assert!(after.design_effect < before.design_effect);
}
