//! `concorde survey weights` on files alone: the synthetic Nantes panel of the weighting crate's
//! fixtures raked to the quartiers, with its report and estimates; bad input refused in words.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../weighting/tests/fixtures")
}

fn temp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("concorde-survey-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).expect("temp dir");
    d
}

/// Runs `concorde survey weights` in `dir` (so that a data folder created by mistake shows).
fn weights(dir: &Path, extra: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_concorde"))
        .current_dir(dir)
        .args([
            "survey",
            "weights",
            "--by",
            "sexe,age,quartier",
            "--output",
            "w.csv",
        ])
        .args(extra)
        .env_remove("DATABASE_URL")
        .env_remove("CONCORDE_DATABASE_URL")
        .output()
        .expect("run concorde")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

#[test]
fn weights_report_and_estimates() {
    let d = temp("weights");
    let panel = fixtures().join("panel.csv");
    let margins = fixtures().join("margins.csv");
    let o = weights(
        &d,
        &[
            "--panel",
            panel.to_str().unwrap_or(""),
            "--margins",
            margins.to_str().unwrap_or(""),
            "--id-column",
            "id",
            "--trim",
            "0.3,3",
            "--report",
            "report.json",
            "--estimate",
            "aide,asso,isolement,proches:mean",
        ],
    );
    let out = text(&o.stdout);
    assert!(o.status.success(), "{}\n{out}", text(&o.stderr));
    assert!(out.contains("raking: converged after"), "{out}");
    assert!(out.contains("effective sample size (Kish)"), "{out}");
    assert!(out.contains("quartier = Nantes Nord"), "{out}");
    assert!(out.contains("trimming to [0.3, 3]"), "{out}");
    assert!(out.contains("aide (1100 respondents)"), "{out}");
    assert!(
        out.contains("without an answer left out"),
        "isolement has blanks: {out}"
    );
    assert!(out.contains("95 % CI"), "{out}");
    assert!(
        !d.join("concorde-data").exists(),
        "files alone: no data folder"
    );

    let w = std::fs::read_to_string(d.join("w.csv")).expect("weights");
    let mut lines = w.lines();
    assert_eq!(lines.next(), Some("id;weight"));
    let rows: Vec<(String, f64)> = lines
        .map(|l| {
            let (id, w) = l.split_once(';').expect("id;weight");
            (id.to_string(), w.parse().expect("a number"))
        })
        .collect();
    assert_eq!(rows.len(), 1100);
    assert_eq!(rows[0].0, "R0001");
    let sum: f64 = rows.iter().map(|r| r.1).sum();
    assert!((sum - 291_440.0).abs() < 1e-3, "{sum}");
    let mean = sum / 1100.0;
    assert!(
        rows.iter()
            .all(|r| r.1 >= 0.3 * mean * (1.0 - 1e-5) && r.1 <= 3.0 * mean * (1.0 + 1e-5))
    );

    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(d.join("report.json")).expect("report"))
            .expect("JSON");
    let diag = &report["diagnostics"];
    assert_eq!(diag["converged"], true);
    assert!(diag["largest_gap"].as_f64().unwrap_or(1.0) <= 1e-10);
    assert!(diag["design_effect"].as_f64().unwrap_or(0.0) > 1.0);
    assert_eq!(diag["margins"].as_array().map(|a| a.len()), Some(18));
    assert_eq!(report["options"]["trim"][1], 3.0);
    let estimates = report["estimates"].as_array().expect("estimates");
    assert_eq!(estimates.len(), 4);
    let aide = &estimates[0];
    assert_eq!(aide["variable"], "aide");
    let oui = &aide["rows"][1];
    assert_eq!(oui["category"], "oui");
    let (est, se) = (
        oui["estimate"].as_f64().unwrap_or(0.0),
        oui["se"].as_f64().unwrap_or(0.0),
    );
    assert!(se > 0.005 && se < 0.05, "{se}");
    assert!((oui["ci_high"].as_f64().unwrap_or(0.0) - (est + 1.959964 * se)).abs() < 1e-6);
    assert_eq!(estimates[3]["kind"], "mean");
}

#[test]
fn bad_input_is_refused_in_words() {
    let d = temp("bad");
    let panel = fixtures().join("panel.csv");
    let good = std::fs::read_to_string(fixtures().join("margins.csv")).expect("margins");
    let cases = [
        (
            good.replace("Nantes Sud", "Nantes-Sud"),
            vec![],
            "matches no category",
        ),
        (
            format!("{good}quartier;Saint-Joseph;100\n"),
            vec![],
            "no respondent in the panel",
        ),
        (good.replace("10532", "0"), vec![], "must be positive"),
        (
            good.clone(),
            vec!["--trim", "3,0.3"],
            "relative to the mean weight",
        ),
        (
            good.clone(),
            vec!["--estimate", "revenu"],
            "\"revenu\" is not a column",
        ),
        (
            good.clone(),
            vec!["--id-column", "numero"],
            "--id-column \"numero\"",
        ),
        (
            good.clone(),
            vec!["--max-iterations", "1"],
            "did not converge",
        ),
    ];
    for (i, (margins, extra, expected)) in cases.iter().enumerate() {
        let m = d.join(format!("margins{i}.csv"));
        std::fs::write(&m, margins).expect("write");
        let mut args = vec![
            "--panel",
            panel.to_str().unwrap_or(""),
            "--margins",
            m.to_str().unwrap_or(""),
        ];
        args.extend(extra.iter().copied());
        let o = weights(&d, &args);
        let err = text(&o.stderr);
        assert!(!o.status.success(), "case {i} should fail");
        assert!(err.contains(expected), "case {i}: {err}");
        assert!(!err.contains("panicked"), "case {i}: {err}");
    }
    assert!(!d.join("w.csv").exists(), "nothing written on failure");
    let o = weights(&d, &["--panel", "nowhere.csv", "--margins", "nowhere.csv"]);
    assert!(
        text(&o.stderr).contains("cannot read the panel nowhere.csv"),
        "{}",
        text(&o.stderr)
    );
}

#[test]
fn help_names_every_option() {
    let o = Command::new(env!("CARGO_BIN_EXE_concorde"))
        .args(["survey", "weights", "--help"])
        .output()
        .expect("run concorde");
    let out = text(&o.stdout);
    assert!(o.status.success(), "{}", text(&o.stderr));
    for option in [
        "--panel",
        "--margins",
        "--by",
        "--id-column",
        "--trim",
        "--output",
        "--report",
        "--estimate",
        "--tolerance",
        "--max-iterations",
    ] {
        assert!(out.contains(option), "{option}: {out}");
    }
}
