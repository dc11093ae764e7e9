//! `concorde import contributions`: brings a file of contributions (JSON Lines, CSV in the
//! documented schema, or Decidim's proposals export — `docs/import.md`) into a debate.
//!
//! Two passes over the file, both streamed: the first checks every line and keeps only the
//! report (and the names of questions to create); if any line is rejected nothing is stored,
//! unless `--skip-invalid`. The second reads the file again and stores the valid rows in one
//! transaction of multi-row INSERTs, while a reading thread parses ahead. Rows carry their
//! origin (`source`, `source_ref`), so a second import of the same file adds nothing.

mod check;
pub mod decidim;
pub mod encoding;
mod html;
mod lf;
mod read;
mod sheet;

pub use check::{parse_time, title_from_body};
pub use read::Format;

use check::{NewQuestions, Rules};
use indicatif::{HumanCount, ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::collections::HashMap;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::time::{Duration, Instant};
use storage::{IMPORT_BATCH, ImportRow, Store};
use web::Settings;

pub struct Options {
    pub file: PathBuf,
    pub debate: String,
    /// `None`: detect.
    pub format: Option<Format>,
    /// 1-based: where rows that name no question go.
    pub question: Option<usize>,
    pub create_questions: bool,
    /// Decidim: the category names the question (by default it is only a theme tag).
    pub category_as_question: bool,
    /// Decidim: what was rejected there is stored withdrawn (by default, published with its state).
    pub rejected_withdrawn: bool,
    pub skip_invalid: bool,
    /// Origin label; by default `decidim` for Decidim files and `file` for the others.
    pub source: Option<String>,
    /// The text's encoding (`--encoding`); spreadsheets have none to give.
    pub encoding: encoding::Choice,
    /// Show a progress bar (when standard error is a terminal).
    pub progress: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejection {
    pub line: u64,
    pub reason: String,
}

#[derive(Debug)]
pub struct Outcome {
    pub format: Format,
    /// The format as the summary names it (with the spreadsheet's kind).
    pub label: String,
    /// How the file was read: the sheet, the encoding when not UTF-8.
    pub notes: Vec<String>,
    /// Records read (valid or not).
    pub rows: u64,
    pub imported: u64,
    pub already_present: u64,
    pub rejected: Vec<Rejection>,
    pub questions_created: usize,
    /// False when rejected lines stopped the import.
    pub stored: bool,
    pub elapsed: Duration,
}

impl Outcome {
    pub fn summary(&self) -> Vec<String> {
        let secs = self.elapsed.as_secs_f64();
        let rate = if secs > 0.0 {
            self.rows as f64 / secs
        } else {
            0.0
        };
        let mut out = vec![format!("format: {}", self.label)];
        for n in &self.notes {
            out.push(format!("  {n}"));
        }
        if self.stored {
            out.push(format!("imported: {}", self.imported));
            out.push(format!("already present: {}", self.already_present));
            if self.questions_created > 0 {
                out.push(format!("questions created: {}", self.questions_created));
            }
        } else {
            out.push("imported: 0 (nothing stored: some lines are rejected)".into());
        }
        out.push(format!("rejected: {}", self.rejected.len()));
        out.push(format!(
            "elapsed: {secs:.2} s ({} rows/s)",
            HumanCount(rate.round() as u64)
        ));
        out
    }
}

/// The command: runs the import, prints the rejected lines on standard error (and writes them
/// to `report` as CSV), the summary on standard output; fails when lines stopped the import.
pub async fn cli(
    store: &Store,
    settings: &Settings,
    opts: &Options,
    report: Option<&std::path::Path>,
) -> anyhow::Result<()> {
    let outcome = run(store, settings, opts).await?;
    for r in &outcome.rejected {
        eprintln!("line {}: {}", r.line, r.reason);
    }
    if let Some(path) = report {
        write_report(path, &outcome.rejected)?;
    }
    for line in outcome.summary() {
        println!("{line}");
    }
    if !outcome.stored {
        let not_utf8 = outcome
            .rejected
            .iter()
            .filter(|r| r.reason.starts_with("invalid UTF-8"))
            .count();
        let hint = if not_utf8 > 0 && opts.encoding != encoding::Choice::Auto {
            format!(
                "; {not_utf8} of them are not UTF-8: if the file is in another encoding, name it \
                 (--encoding windows-1252) or let --encoding auto find it"
            )
        } else {
            String::new()
        };
        anyhow::bail!(
            "{} lines rejected: nothing was imported (correct them, or import the other lines with --skip-invalid){hint}",
            outcome.rejected.len()
        );
    }
    Ok(())
}

/// The report as CSV: `line,reason`.
pub fn write_report(path: &std::path::Path, rejected: &[Rejection]) -> anyhow::Result<()> {
    let fail = |e: &dyn std::fmt::Display| anyhow::anyhow!("cannot write {}: {e}", path.display());
    let mut w = csv::Writer::from_path(path).map_err(|e| fail(&e))?;
    w.write_record(["line", "reason"]).map_err(|e| fail(&e))?;
    for r in rejected {
        w.write_record([r.line.to_string().as_str(), r.reason.as_str()])
            .map_err(|e| fail(&e))?;
    }
    w.flush().map_err(|e| fail(&e))?;
    Ok(())
}

/// Checks the file, then stores it (see the module's comment). Errors are about the whole run
/// (no such debate, unreadable file, database failure); rejected lines are in the outcome.
pub async fn run(store: &Store, settings: &Settings, opts: &Options) -> anyhow::Result<Outcome> {
    let started = Instant::now();
    let debate = store
        .debate_by_slug(&opts.debate)
        .await?
        .ok_or_else(|| anyhow::anyhow!("no debate with the slug {:?}", opts.debate))?;
    let questions = store.questions(debate.id).await?;
    let default_question = question_number(opts.question, &questions, &opts.debate)?;
    let mut rules = base_rules(store, settings, &questions, default_question).await?;
    rules.create_questions = opts.create_questions;
    rules.category_as_question = opts.category_as_question;
    rules.rejected_withdrawn = opts.rejected_withdrawn;
    let lang = settings.content_language.clone();
    let size = std::fs::metadata(&opts.file)
        .map_err(|e| anyhow::anyhow!("cannot open {}: {e}", opts.file.display()))?
        .len();
    let bar = progress_bar(opts.progress, size);

    // The encoding (`auto` starts as UTF-8), then the format.
    let inspected = {
        let (path, choice) = (opts.file.clone(), opts.encoding);
        tokio::task::spawn_blocking(move || read::inspect(&path, choice)).await??
    };
    let decoding = inspected.decoding;
    let (format, label, mut notes) = {
        let (path, format, lang) = (opts.file.clone(), opts.format, lang.clone());
        tokio::task::spawn_blocking(move || {
            read::open(&path, format, &lang, decoding, |f| {
                Box::new(f) as Box<dyn std::io::Read + Send>
            })
            .map(|o| (o.format, o.label(), o.notes))
        })
        .await??
    };
    notes.extend(inspected.note);
    rules.lenient_quartier = format == Format::Decidim;

    // Pass 1: check every line. With `--encoding auto`, a file that turns out not to be UTF-8 is
    // checked again in the encoding its bytes tell (the rare case pays the extra pass).
    bar.set_message("checking");
    let mut file = File {
        path: opts.file.clone(),
        format,
        lang: lang.clone(),
        decoding,
    };
    let (mut checked, mut new_questions, mut rules) = check_pass(&file, rules, &bar).await?;
    if inspected.auto && checked.seen.first_invalid_line.is_some() {
        let (decided, note) = encoding::resolve(encoding::Choice::Auto, Some(&checked.seen));
        file.decoding = decided;
        notes.extend(note);
        bar.reset();
        (checked, new_questions, rules) = check_pass(&file, rules, &bar).await?;
    }
    let decoding = file.decoding;
    let stored = checked.rejected.is_empty() || opts.skip_invalid;
    let mut outcome = Outcome {
        format,
        label,
        notes,
        rows: checked.rows,
        imported: 0,
        already_present: 0,
        rejected: checked.rejected,
        questions_created: 0,
        stored,
        elapsed: Duration::ZERO,
    };
    if !stored || checked.valid == 0 {
        bar.finish_and_clear();
        outcome.elapsed = started.elapsed();
        return Ok(outcome);
    }

    // Pass 2: store the valid rows in one transaction, parsing ahead in a thread.
    let source = opts.source.clone().unwrap_or_else(|| {
        match format {
            Format::Decidim => "decidim",
            _ => "file",
        }
        .to_string()
    });
    let mut import = store
        .begin_import(debate.id, &source, &new_questions.texts)
        .await?;
    let rules = rules.with_created(&new_questions, import.new_question_ids());
    bar.reset();
    bar.set_message("importing");
    let (tx, mut rx) = tokio::sync::mpsc::channel::<Vec<ImportRow>>(4);
    let producer = {
        let file = File {
            path: opts.file.clone(),
            format,
            lang,
            decoding,
        };
        let bar = bar.clone();
        let expected_rejections = outcome.rejected.len();
        tokio::task::spawn_blocking(move || -> anyhow::Result<()> {
            let mut batch = Vec::with_capacity(IMPORT_BATCH);
            let mut new = NewQuestions::default();
            let again = scan(&file, &rules, &mut new, &bar, |row| {
                batch.push(row);
                if batch.len() < IMPORT_BATCH {
                    return true;
                }
                let full = std::mem::replace(&mut batch, Vec::with_capacity(IMPORT_BATCH));
                // A closed channel: the receiver stopped on a database error, which it reports.
                tx.blocking_send(full).is_ok()
            })?;
            if again.rejected.len() != expected_rejections {
                anyhow::bail!("the file changed while it was imported: nothing was imported");
            }
            if !batch.is_empty() {
                let _ = tx.blocking_send(batch);
            }
            Ok(())
        })
    };
    while let Some(batch) = rx.recv().await {
        let n = import.insert(&batch).await?;
        outcome.imported += n;
        outcome.already_present += batch.len() as u64 - n;
    }
    producer.await??;
    import.commit().await?;
    bar.finish_and_clear();
    outcome.questions_created = new_questions.texts.len();
    outcome.elapsed = started.elapsed();
    store
        .audit(
            None,
            "contribution.import",
            &format!("debate:{}", debate.id),
            &format!(
                "{} imported, {} already present, {} rejected, from {}",
                outcome.imported,
                outcome.already_present,
                outcome.rejected.len(),
                opts.file.display()
            ),
        )
        .await?;
    Ok(outcome)
}

/// The id of the debate's N-th question (`--question N`), with a clear message when out of range.
fn question_number(
    n: Option<usize>,
    questions: &[storage::Question],
    slug: &str,
) -> anyhow::Result<Option<i64>> {
    match n {
        None => Ok(None),
        Some(n) if (1..=questions.len()).contains(&n) => Ok(Some(questions[n - 1].id)),
        Some(n) if questions.is_empty() => anyhow::bail!(
            "--question {n}: the debate {slug:?} has no question yet (add them, or use --create-questions)"
        ),
        Some(n) => anyhow::bail!(
            "--question {n}: the debate {slug:?} has {} question{} (give 1 to {})",
            questions.len(),
            if questions.len() == 1 { "" } else { "s" },
            questions.len()
        ),
    }
}

/// The rules rows are checked by: the debate's questions, the instance's lists and limits; no
/// question created, Decidim's categories as themes, rejected proposals published.
async fn base_rules(
    store: &Store,
    settings: &Settings,
    questions: &[storage::Question],
    default_question: Option<i64>,
) -> anyhow::Result<Rules> {
    let mut categories = HashMap::new();
    for c in store.categories().await? {
        for name in [&c.name_en, &c.name] {
            if !name.trim().is_empty() {
                categories.insert(check::key(name), c.id);
            }
        }
    }
    let quartiers = store
        .quartiers()
        .await?
        .into_iter()
        .map(|q| (check::key(&q.name), q.id))
        .collect();
    Ok(Rules {
        questions: questions
            .iter()
            .map(|q| (check::key(&q.text), q.id))
            .collect(),
        question_ids: questions.iter().map(|q| q.id).collect(),
        categories,
        quartiers,
        default_question,
        create_questions: false,
        category_as_question: false,
        rejected_withdrawn: false,
        lenient_quartier: false,
        max_body: settings.contribution_max_chars,
        time_zone: settings.time_zone(),
        now: storage::now(),
        latest: storage::now() + 86_400,
    })
}

fn progress_bar(wanted: bool, size: u64) -> ProgressBar {
    if !wanted || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(size), ProgressDrawTarget::stderr());
    if let Ok(style) = ProgressStyle::with_template(
        "{msg:>10} [{bar:30}] {percent:>3}%  {binary_bytes}/{binary_total_bytes}  {elapsed} (eta {eta})",
    ) {
        bar.set_style(style.progress_chars("=> "));
    }
    bar
}

/// What a pass over the file saw.
struct Scan {
    rows: u64,
    valid: u64,
    rejected: Vec<Rejection>,
    /// The records as UTF-8 saw them (for `--encoding auto`).
    seen: encoding::Sniff,
}

/// The checking pass, in a thread: its report, the questions to create, the rules back.
async fn check_pass(
    file: &File,
    rules: Rules,
    bar: &ProgressBar,
) -> anyhow::Result<(Scan, NewQuestions, Rules)> {
    let (file, bar) = (file.clone(), bar.clone());
    tokio::task::spawn_blocking(move || {
        let mut new = NewQuestions::default();
        scan(&file, &rules, &mut new, &bar, |_| true).map(|checked| (checked, new, rules))
    })
    .await?
}

/// The file as both passes read it.
#[derive(Clone)]
struct File {
    path: PathBuf,
    format: Format,
    /// The instance's content language (Decidim's translated columns).
    lang: String,
    decoding: encoding::Decoding,
}

/// One pass over the file, streamed: each record is checked, a valid row goes to `valid` (which
/// returns false to stop), a rejected one to the report; nothing else is kept.
fn scan(
    file: &File,
    rules: &Rules,
    new: &mut NewQuestions,
    bar: &ProgressBar,
    mut valid: impl FnMut(ImportRow) -> bool,
) -> anyhow::Result<Scan> {
    let wrap = |f: std::fs::File| -> Box<dyn std::io::Read + Send> { Box::new(bar.wrap_read(f)) };
    let records = read::open(
        &file.path,
        Some(file.format),
        &file.lang,
        file.decoding,
        wrap,
    )?
    .records;
    let mut out = Scan {
        rows: 0,
        valid: 0,
        rejected: Vec::new(),
        seen: encoding::Sniff::default(),
    };
    let mut records = records;
    for record in records.by_ref() {
        let record = record?;
        out.rows += 1;
        match record.row.and_then(|raw| check::check(&raw, rules, new)) {
            Ok(row) => {
                out.valid += 1;
                if !valid(row) {
                    break;
                }
            }
            Err(reason) => out.rejected.push(Rejection {
                line: record.line,
                reason,
            }),
        }
    }
    out.seen = records.seen();
    Ok(out)
}
