//! `concorde analyze`: the synthesis engine on a JSON Lines file, with a progress line on standard
//! error, the JSON result and an HTML summary written where asked.

use std::io::Write;
use std::path::PathBuf;

pub struct Options {
    pub input: PathBuf,
    pub output: Option<PathBuf>,
    pub html: Option<PathBuf>,
    pub label_field: Option<String>,
    pub min_themes: Option<usize>,
    pub max_themes: Option<usize>,
    pub seed: Option<u64>,
}

fn stage_name(stage: analysis::Stage) -> &'static str {
    use analysis::Stage::*;
    match stage {
        Tokenizing => "reading words",
        Duplicates => "finding duplicates",
        Vectorizing => "weighing terms",
        ChoosingThemes => "choosing the number of themes",
        Clustering => "grouping into themes",
        Describing => "describing themes",
        Done => "done",
    }
}

/// Runs the analysis; returns the lines to print on standard output.
pub fn run(opts: &Options) -> anyhow::Result<Vec<String>> {
    let (docs, problems) = analysis::read_jsonl(&opts.input, opts.label_field.as_deref())
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    for p in problems.iter().take(20) {
        eprintln!("line {}: {}", p.line, p.message);
    }
    if problems.len() > 20 {
        eprintln!("… and {} more rejected lines", problems.len() - 20);
    }
    if docs.is_empty() {
        anyhow::bail!(
            "no contribution could be read from {} ({} lines rejected)",
            opts.input.display(),
            problems.len()
        );
    }
    let settings = settings(opts.min_themes, opts.max_themes, opts.seed);
    let interactive = std::io::IsTerminal::is_terminal(&std::io::stderr());
    let progress = |stage: analysis::Stage, done: f32| {
        let pct = (done.clamp(0.0, 1.0) * 100.0).round();
        let width = 30usize;
        let filled = ((done.clamp(0.0, 1.0)) * width as f32) as usize;
        let bar = format!(
            "[{}{}] {pct:>3}% {}",
            "#".repeat(filled),
            " ".repeat(width - filled),
            stage_name(stage)
        );
        let mut err = std::io::stderr();
        if interactive {
            let _ = write!(err, "\r{bar:<70}");
            if stage == analysis::Stage::Done {
                let _ = writeln!(err);
            }
        } else if done == 0.0 || stage == analysis::Stage::Done {
            let _ = writeln!(err, "{bar}");
        }
    };
    let result =
        analysis::analyze(&docs, &settings, &progress).map_err(|e| anyhow::anyhow!("{e}"))?;
    let mut out = vec![format!(
        "{} contributions read ({} rejected lines)",
        docs.len(),
        problems.len()
    )];
    out.extend(report(
        &result,
        opts.output.as_deref(),
        opts.html.as_deref(),
        opts.label_field.as_deref(),
    )?);
    Ok(out)
}

/// The engine's settings with the analyst's overrides.
pub fn settings(
    min_themes: Option<usize>,
    max_themes: Option<usize>,
    seed: Option<u64>,
) -> analysis::Settings {
    let mut settings = analysis::Settings::default();
    if let Some(n) = min_themes {
        settings.min_themes = n;
    }
    if let Some(n) = max_themes {
        settings.max_themes = n;
    }
    if let Some(s) = seed {
        settings.seed = s;
    }
    settings
}

/// Writes the result where asked and says what it found.
pub fn report(
    result: &analysis::Analysis,
    output: Option<&std::path::Path>,
    html: Option<&std::path::Path>,
    label_field: Option<&str>,
) -> anyhow::Result<Vec<String>> {
    let mut out = vec![format!(
        "{} themes, {} outliers, {} duplicate groups",
        result.themes.len(),
        result.outliers.count,
        result.duplicates.len()
    )];
    if let Some(path) = output {
        std::fs::write(path, analysis::to_json(result))
            .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display()))?;
        out.push(format!("result: {}", path.display()));
    }
    if let Some(path) = html {
        std::fs::write(path, analysis::render_html(result))
            .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display()))?;
        out.push(format!("summary: {}", path.display()));
    }
    if output.is_none() && html.is_none() {
        for t in &result.themes {
            out.push(format!("{:>7}  {}", t.size, t.label));
        }
    }
    match (&result.evaluation, label_field) {
        (Some(e), _) => out.push(format!("evaluation: nmi {:.4}, ari {:.4}", e.nmi, e.ari)),
        (None, Some(f)) => out.push(format!(
            "evaluation: too few contributions carry the field {f:?}"
        )),
        (None, None) => {}
    }
    Ok(out)
}
