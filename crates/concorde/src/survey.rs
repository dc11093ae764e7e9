//! `concorde survey weights`: a polling firm's panel raked to population margins, on files
//! alone (no database): weights to a CSV, diagnostics and estimates on standard output and in an
//! optional JSON report. The numbers are the weighting crate's; formats in docs/weighting.md.

use anyhow::Context;
use std::path::{Path, PathBuf};
use weighting::{EstimateKind, RakeOptions, Sweeps};

#[derive(clap::Subcommand)]
pub enum Command {
    /// Rake a panel to population margins: writes id;weight, prints the diagnostics
    /// (formats: docs/weighting.md).
    Weights(WeightsArgs),
    /// Import a polling firm's panel into a survey of the database (replacing its panel): every
    /// rejected row reported with its line, nothing imported unless all rows are good.
    ImportPanel {
        /// The survey's slug.
        #[arg(long)]
        survey: String,
        /// The panel's file (CSV, `;` or `,`, UTF-8 or Latin-1), one row per respondent.
        #[arg(long)]
        file: PathBuf,
        /// The column of the respondents' identifiers.
        #[arg(long, default_value = "id")]
        id_column: String,
    },
    /// Create a survey in a debate from a questionnaire written in JSON (docs/survey.md), or
    /// replace the questionnaire of an existing one; `--open` opens it.
    Define {
        /// The survey's slug (created if it does not exist).
        #[arg(long)]
        survey: String,
        /// The debate's slug (for a new survey).
        #[arg(long)]
        debate: Option<String>,
        /// The questionnaire: {"sections": [{"title": {"fr": …}, "questions": […]}]}.
        #[arg(long)]
        definition: PathBuf,
        /// The title of a new survey.
        #[arg(long)]
        title: Option<String>,
        #[arg(long)]
        open: bool,
        /// Anyone may read the results (and the open data of the responses).
        #[arg(long)]
        public_results: bool,
    },
    /// Weight a survey's panel to population margins (stored, and used by its results).
    Weigh {
        #[arg(long)]
        survey: String,
        #[arg(long)]
        margins: PathBuf,
        #[arg(long, value_delimiter = ',', required = true)]
        by: Vec<String>,
        /// LOW,HIGH relative to the mean weight, e.g. 0.3,3.
        #[arg(long, value_name = "LOW,HIGH")]
        trim: Option<String>,
    },
}

impl Command {
    /// Whether the command works on files alone (no database).
    pub fn files_only(&self) -> bool {
        matches!(self, Command::Weights(_))
    }
}

/// The commands on a survey of the database, run as the instance (a system subject).
pub async fn cli_store(store: &storage::Store, command: &Command) -> anyhow::Result<()> {
    use app::surveys;
    let system = domain::Subject {
        account: Some(domain::policy::Account {
            user_id: 0,
            roles: vec![domain::Role::Admin],
            confirmed: true,
            blocked: false,
        }),
    };
    let find = |slug: String| async move {
        store
            .survey_by_slug(&slug)
            .await?
            .with_context(|| format!("no survey {slug:?}"))
    };
    let explain = |e: surveys::SurveyError| -> anyhow::Error {
        match e {
            surveys::SurveyError::Rejected(rows) => {
                let mut s = format!("{} rows rejected, nothing imported:", rows.len());
                for r in rows.iter().take(50) {
                    s.push_str("\n  ");
                    s.push_str(&r.english());
                }
                anyhow::anyhow!(s)
            }
            surveys::SurveyError::File(m) => anyhow::anyhow!(m),
            surveys::SurveyError::Invalid(fe) => anyhow::anyhow!(
                "the questionnaire is refused: {}",
                fe.0.iter()
                    .map(|f| format!("{} ({})", f.field, f.key))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            e => anyhow::anyhow!("{e}"),
        }
    };
    match command {
        Command::Weights(_) => cli(command)?,
        Command::Define {
            survey,
            debate,
            definition,
            title,
            open,
            public_results,
        } => {
            let text = String::from_utf8(read_bytes(definition)?)
                .context("the questionnaire is not UTF-8 text")?;
            let def: ::survey::Definition = serde_json::from_str(&text)
                .with_context(|| format!("{} is not a questionnaire", definition.display()))?;
            let id = match store.survey_by_slug(survey).await? {
                Some(s) => s.id,
                None => {
                    let slug = debate.as_deref().context("a new survey needs --debate")?;
                    let d = store
                        .debate_by_slug(slug)
                        .await?
                        .with_context(|| format!("no debate {slug:?}"))?;
                    surveys::create(
                        store,
                        &system,
                        &surveys::SurveyDraft {
                            debate_id: d.id,
                            slug: survey.clone(),
                            title: title.clone().unwrap_or_else(|| survey.clone()),
                            results_public: *public_results,
                            ..Default::default()
                        },
                    )
                    .await
                    .map_err(explain)?
                }
            };
            surveys::set_definition(store, &system, id, &def)
                .await
                .map_err(explain)?;
            if *open {
                surveys::set_status(store, &system, id, ::survey::Status::Open)
                    .await
                    .map_err(explain)?;
            }
            println!("{survey}: {} questions", def.questions().count());
        }
        Command::ImportPanel {
            survey,
            file,
            id_column,
        } => {
            let s = find(survey.clone()).await?;
            let bytes = read_bytes(file)?;
            let n = surveys::import_panel(store, &system, s.id, &bytes, id_column)
                .await
                .map_err(explain)?;
            println!("{n} respondents imported into {}", s.slug);
        }
        Command::Weigh {
            survey,
            margins,
            by,
            trim,
        } => {
            let s = find(survey.clone()).await?;
            let bytes = read_bytes(margins)?;
            let trim = trim.as_deref().map(parse_trim).transpose()?;
            let d = surveys::weigh(
                store,
                &system,
                s.id,
                &bytes,
                &surveys::WeightingOptions {
                    by: by.clone(),
                    trim,
                },
            )
            .await
            .map_err(explain)?;
            for line in d.lines() {
                println!("{line}");
            }
        }
    }
    Ok(())
}

fn read_bytes(path: &Path) -> anyhow::Result<Vec<u8>> {
    std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))
}

#[derive(clap::Args, Clone)]
pub struct WeightsArgs {
    /// The panel: one row per respondent (CSV, `;` or `,`, UTF-8 or Latin-1).
    #[arg(long)]
    pub panel: PathBuf,
    /// The margins: variable;modalite;effectif (or variable;category;target), counts or shares.
    #[arg(long)]
    pub margins: PathBuf,
    /// Raking variables, comma-separated: columns of the panel with margins, e.g. sexe,age,quartier.
    #[arg(long, value_delimiter = ',', required = true)]
    pub by: Vec<String>,
    /// Column identifying respondents (default `id`; without one, rows are numbered from 1).
    #[arg(long)]
    pub id_column: Option<String>,
    /// Trim weights to LOW,HIGH times the mean weight, then rake again, e.g. 0.3,3.
    #[arg(long, value_name = "LOW,HIGH")]
    pub trim: Option<String>,
    /// Where to write the weights (id;weight).
    #[arg(long)]
    pub output: PathBuf,
    /// Where to write a JSON report: options, diagnostics, margins table, estimates.
    #[arg(long)]
    pub report: Option<PathBuf>,
    /// Variables to estimate, comma-separated: the weighted share of each category, or the mean
    /// with `NAME:mean`, each with its standard error and 95 % interval.
    #[arg(long, value_delimiter = ',')]
    pub estimate: Vec<String>,
    /// Largest relative gap to a target at which raking stops.
    #[arg(long, default_value_t = 1e-10)]
    pub tolerance: f64,
    /// Raking iterations (passes over every margin) at most.
    #[arg(long, default_value_t = 1000)]
    pub max_iterations: usize,
}

fn read(path: &Path, what: &str) -> anyhow::Result<weighting::Table> {
    let bytes = std::fs::read(path)
        .with_context(|| format!("cannot read the {what} {}", path.display()))?;
    weighting::read_table(&bytes, what).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))
}

fn parse_trim(s: &str) -> anyhow::Result<(f64, f64)> {
    let bad = || {
        anyhow::anyhow!(
            "--trim takes two numbers LOW,HIGH relative to the mean weight, e.g. 0.3,3; not {s:?}"
        )
    };
    let (lo, hi) = s.split_once(',').ok_or_else(bad)?;
    let lo: f64 = lo.trim().parse().map_err(|_| bad())?;
    let hi: f64 = hi.trim().parse().map_err(|_| bad())?;
    Ok((lo, hi))
}

fn parse_estimate(s: &str) -> anyhow::Result<(String, EstimateKind)> {
    match s.trim().rsplit_once(':') {
        Some((name, "mean")) => Ok((name.to_string(), EstimateKind::Mean)),
        Some((name, "shares" | "share")) => Ok((name.to_string(), EstimateKind::Shares)),
        Some((_, kind)) => anyhow::bail!(
            "--estimate {s:?}: unknown kind {kind:?}; write NAME for shares or NAME:mean for a mean"
        ),
        None => Ok((s.trim().to_string(), EstimateKind::Shares)),
    }
}

/// The ids of the respondents, checked unique.
fn ids(panel: &weighting::Table, column: Option<&str>) -> anyhow::Result<(Vec<String>, bool)> {
    let index = match column {
        Some(name) => Some(panel.column(name).ok_or_else(|| {
            anyhow::anyhow!(
                "--id-column {name:?} is not a column of the panel (its columns: {})",
                panel.headers.join(", ")
            )
        })?),
        None => panel.column("id"),
    };
    let Some(index) = index else {
        return Ok(((1..=panel.len()).map(|i| i.to_string()).collect(), true));
    };
    let mut seen = std::collections::HashMap::new();
    let mut out = Vec::with_capacity(panel.len());
    for row in 0..panel.len() {
        let id = panel.cell(row, index);
        let line = panel.lines[row];
        if id.is_empty() {
            anyhow::bail!("the panel, line {line}: the respondent has no id");
        }
        if let Some(first) = seen.insert(id.to_string(), line) {
            anyhow::bail!("the panel, line {line}: the id {id:?} is already on line {first}");
        }
        out.push(id.to_string());
    }
    Ok((out, false))
}

/// Runs `survey weights`; returns the lines to print.
pub fn weights(args: &WeightsArgs) -> anyhow::Result<Vec<String>> {
    let estimates: Vec<(String, EstimateKind)> = args
        .estimate
        .iter()
        .filter(|s| !s.trim().is_empty())
        .map(|s| parse_estimate(s))
        .collect::<Result<_, _>>()?;
    let opts = RakeOptions {
        tolerance: args.tolerance,
        max_iterations: args.max_iterations,
        trim: args.trim.as_deref().map(parse_trim).transpose()?,
        ..RakeOptions::default()
    };
    let panel = read(&args.panel, "panel")?;
    let margins_table = read(&args.margins, "margins")?;
    let margins = weighting::parse_margins(&margins_table)
        .map_err(|e| anyhow::anyhow!("{}: {e}", args.margins.display()))?;
    let (ids, numbered) = ids(&panel, args.id_column.as_deref())?;
    let by: Vec<&str> = args.by.iter().map(|s| s.trim()).collect();
    let design = weighting::bind(&panel, &margins, &by)?;
    let raking = weighting::rake(&design, None, &opts)?;
    let mut diagnostics = weighting::diagnose(&design, &raking, &opts);
    if numbered {
        diagnostics.warnings.push(
            "the panel has no id column: respondents are numbered from 1 in the order of the file"
                .into(),
        );
    }
    let mut lines = diagnostics.lines();
    if !raking.converged {
        anyhow::bail!(
            "{}\nraking did not converge: no weights written (check the margins, or raise --max-iterations)",
            lines.join("\n")
        );
    }
    let mut results = Vec::new();
    for (name, kind) in &estimates {
        let e = weighting::estimate(
            &panel,
            &design,
            &raking.weights,
            name,
            *kind,
            Sweeps::Converged,
        )?;
        lines.extend(e.lines());
        results.push(e);
    }
    write_weights(&args.output, &ids, &raking.weights)?;
    lines.push(format!(
        "{} weights written to {}",
        ids.len(),
        args.output.display()
    ));
    if let Some(path) = &args.report {
        let report = serde_json::json!({
            "panel": args.panel.display().to_string(),
            "margins": args.margins.display().to_string(),
            "by": design.margins.iter().map(|m| m.variable.clone()).collect::<Vec<_>>(),
            "options": opts,
            "diagnostics": diagnostics,
            "estimates": results,
            "variance": "linearised standard error of the raked estimator (residuals projected on every raking margin to convergence; with-replacement variance of a one-stage design); 95 % interval: estimate ± 1.959964 SE, clipped to [0, 1] for shares",
        });
        let text = serde_json::to_string_pretty(&report)?;
        std::fs::write(path, text + "\n")
            .with_context(|| format!("cannot write the report {}", path.display()))?;
        lines.push(format!("report written to {}", path.display()));
    }
    Ok(lines)
}

fn write_weights(path: &Path, ids: &[String], weights: &[f64]) -> anyhow::Result<()> {
    let file = std::fs::File::create(path)
        .with_context(|| format!("cannot write the weights {}", path.display()))?;
    let mut w = csv::WriterBuilder::new()
        .delimiter(b';')
        .from_writer(std::io::BufWriter::new(file));
    w.write_record(["id", "weight"])?;
    for (id, weight) in ids.iter().zip(weights) {
        w.write_record([id.as_str(), &weight.to_string()])?;
    }
    w.flush()
        .with_context(|| format!("cannot write the weights {}", path.display()))?;
    Ok(())
}

/// Runs a `survey` command and prints its lines.
pub fn cli(command: &Command) -> anyhow::Result<()> {
    match command {
        Command::Weights(args) => {
            for line in weights(args)? {
                println!("{line}");
            }
        }
        _ => anyhow::bail!("this command needs the database"),
    }
    Ok(())
}
