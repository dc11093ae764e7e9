//! Benchmark driver: read a JSON Lines corpus, keep texts of at least `--min-chars` characters,
//! analyse them and print one JSON line of figures (time per stage, themes, NMI, ARI).
//!
//! `analysis-bench --input FILE [--min-chars 40] [--label-field question]
//!  [--themes K | --themes-from-labels | --min-themes A --max-themes B] [--seed N]
//!  [--output RESULT.json] [--html SUMMARY.html] [--no-subthemes] [--max-iterations N]`

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use analysis::{analyze, read_jsonl, render_html, to_json, Settings};

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), String> {
    let mut input: Option<PathBuf> = None;
    let mut output: Option<PathBuf> = None;
    let mut html: Option<PathBuf> = None;
    let mut min_chars = 0usize;
    let mut label_field: Option<String> = None;
    let mut settings = Settings::default();
    let mut themes_from_labels = false;
    let mut args = std::env::args().skip(1);
    let num = |v: Option<String>, name: &str| -> Result<usize, String> {
        v.ok_or(format!("{name} needs a value"))?
            .parse::<usize>()
            .map_err(|e| format!("{name}: {e}"))
    };
    while let Some(a) = args.next() {
        match a.as_str() {
            "--input" => input = args.next().map(PathBuf::from),
            "--output" => output = args.next().map(PathBuf::from),
            "--html" => html = args.next().map(PathBuf::from),
            "--min-chars" => min_chars = num(args.next(), "--min-chars")?,
            "--label-field" => label_field = args.next(),
            "--themes" => {
                let k = num(args.next(), "--themes")?;
                settings.min_themes = k;
                settings.max_themes = k;
            }
            "--min-themes" => settings.min_themes = num(args.next(), "--min-themes")?,
            "--max-themes" => settings.max_themes = num(args.next(), "--max-themes")?,
            "--seed" => settings.seed = num(args.next(), "--seed")? as u64,
            "--themes-from-labels" => themes_from_labels = true,
            "--no-subthemes" => settings.subthemes = false,
            "--max-iterations" => settings.max_iterations = num(args.next(), "--max-iterations")?,
            "--sample-size" => settings.sample_size = num(args.next(), "--sample-size")?,
            "--word-vectors" => settings.word_vectors = num(args.next(), "--word-vectors")?,
            "--vector-weight" => {
                settings.vector_weight = num(args.next(), "--vector-weight")? as f64 / 100.0
            }
            other => return Err(format!("unknown argument {other}")),
        }
    }
    let input = input.ok_or("--input is required")?;
    let t0 = Instant::now();
    let (mut docs, problems) =
        read_jsonl(&input, label_field.as_deref()).map_err(|e| e.to_string())?;
    docs.retain(|d| d.text.chars().count() >= min_chars);
    if themes_from_labels {
        // Like-for-like with the peer: as many themes as distinct labels.
        let labels: std::collections::BTreeSet<&str> =
            docs.iter().filter_map(|d| d.label.as_deref()).collect();
        settings.min_themes = labels.len().max(1);
        settings.max_themes = labels.len().max(1);
    }
    let t_read = t0.elapsed().as_secs_f64();
    let stages = std::cell::RefCell::new(Vec::<(String, f64)>::new());
    let t1 = Instant::now();
    let result = analyze(&docs, &settings, &|stage, _| {
        stages
            .borrow_mut()
            .push((format!("{stage:?}"), t1.elapsed().as_secs_f64()));
    })
    .map_err(|e| e.to_string())?;
    let t_analyze = t1.elapsed().as_secs_f64();
    let t2 = Instant::now();
    if let Some(p) = &output {
        std::fs::write(p, to_json(&result)).map_err(|e| format!("{}: {e}", p.display()))?;
    }
    if let Some(p) = &html {
        std::fs::write(p, render_html(&result)).map_err(|e| format!("{}: {e}", p.display()))?;
    }
    let t_write = t2.elapsed().as_secs_f64();
    let (nmi, ari) = result
        .evaluation
        .as_ref()
        .map(|e| (e.nmi, e.ari))
        .unwrap_or((f64::NAN, f64::NAN));
    let stage_list: Vec<String> = stages
        .borrow()
        .iter()
        .map(|(s, t)| format!("\"{s}\":{t:.2}"))
        .collect();
    println!(
        "{{\"engine\":\"concorde\",\"documents\":{},\"problems\":{},\"themes\":{},\"outliers\":{},\"duplicate_groups\":{},\"campaigns\":{},\"selection\":{},\"nmi\":{:.4},\"ari\":{:.4},\"read_s\":{:.2},\"analyze_s\":{:.2},\"write_s\":{:.2},\"total_s\":{:.2},\"stages\":{{{}}}}}",
        docs.len(),
        problems.len(),
        result.themes.len(),
        result.outliers.count,
        result.duplicates.len(),
        result.duplicates.iter().filter(|g| g.campaign).count(),
        serde_json::to_string(&result.stats.selection).unwrap_or_default(),
        nmi,
        ari,
        t_read,
        t_analyze,
        t_write,
        t0.elapsed().as_secs_f64(),
        stage_list.join(",")
    );
    for t in result.themes.iter().take(60) {
        eprintln!("{:>3} {:>7} {}", t.id, t.size, t.label);
    }
    Ok(())
}
