//! `concorde code suggest`: assisted coding from files, no database. The learning lives in
//! `analysis::coding`; this module only turns its summary into lines for the terminal.

use std::path::PathBuf;

use analysis::coding::{CodingSettings, DEFAULT_MIN_CONFIDENCE, run_files};

pub struct Options {
    pub train: PathBuf,
    pub input: PathBuf,
    pub output: PathBuf,
    pub min_confidence: Option<f64>,
}

/// Run the suggestion and return what to print.
pub fn suggest(o: &Options) -> anyhow::Result<Vec<String>> {
    let settings = CodingSettings {
        min_confidence: o.min_confidence.unwrap_or(DEFAULT_MIN_CONFIDENCE),
        ..Default::default()
    };
    let s = run_files(&o.train, &o.input, &o.output, &settings).map_err(anyhow::Error::msg)?;
    let r = &s.report;
    let mut out = Vec::new();
    for (file, problems) in [(&o.train, &s.train_problems), (&o.input, &s.input_problems)] {
        for p in problems.iter().take(20) {
            out.push(format!(
                "{}: line {}: {}",
                file.display(),
                p.line,
                p.message
            ));
        }
        if problems.len() > 20 {
            out.push(format!(
                "{}: {} more lines skipped",
                file.display(),
                problems.len() - 20
            ));
        }
    }
    out.push(format!(
        "learnt {} codes from {} coded contributions{}",
        r.codes.len() - r.too_rare.len(),
        r.coded,
        if r.question_models.is_empty() {
            String::new()
        } else {
            format!(
                " ({} questions with a model of their own)",
                r.question_models.len()
            )
        }
    ));
    if !r.too_rare.is_empty() {
        out.push(format!(
            "too few coded examples to learn (never suggested): {}",
            r.too_rare.join(", ")
        ));
    }
    for (a, b) in r.contradictions.iter().take(10) {
        out.push(format!(
            "contradictory codes: {a} and {b} have the same text"
        ));
    }
    out.push(format!(
        "{} contributions with suggestions at confidence >= {}, {} left for the analyst: {}",
        r.suggested,
        settings.min_confidence,
        r.abstained,
        o.output.display()
    ));
    Ok(out)
}
