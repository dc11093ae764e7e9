//! `concorde import decidim DIR`: a whole Decidim participatory process from the folder of its
//! exports, CSV, JSON or Excel (`docs/import.md`). Each file is told by its columns: proposals become contributions
//! (their category a theme tag, their votes an imported support count, their state kept),
//! debates become guiding questions whose comments are the contributions answering them, and
//! comments are attached, threaded, to what they answer. Meetings become events (held when past),
//! with their closing report as minutes and their attendee count as walk-ins; proposals keep
//! their links to them as text.
//!
//! As `import contributions`: everything is checked before anything is stored, rejected lines
//! stop the import (unless `--skip-invalid`), the rows go in one transaction, and every row is
//! keyed by its Decidim id so that importing the same process again adds nothing. Authors are
//! never read; a user group keeps its public name only.

mod archive;
mod kinds;
mod rows;
mod table;
mod threads;

use super::check::{self, NewQuestions, Rules};
use super::read::{Columns, RawRow, html_to_text, translated};
use kinds::Kind;
use rows::{comment_row, debate_row, meeting_row};
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use storage::{ImportComment, ImportRow, MAX_COMMENT_DEPTH, Store};
use table::Table;
use threads::{Placement, place_comments};
use web::Settings;

pub struct Options {
    pub dir: PathBuf,
    pub debate: String,
    /// 1-based: where every proposal goes (unless `category_as_question`).
    pub question: Option<usize>,
    pub create_questions: bool,
    pub category_as_question: bool,
    pub rejected_withdrawn: bool,
    pub skip_invalid: bool,
    pub source: String,
    /// The CSV files' encoding (`--encoding`).
    pub encoding: crate::import::encoding::Choice,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejection {
    pub file: String,
    pub line: u64,
    pub reason: String,
}

/// What was found in one file.
#[derive(Debug, Clone)]
pub struct FileSummary {
    pub name: String,
    pub kind: &'static str,
    pub version: &'static str,
    pub rows: usize,
    pub notes: Vec<String>,
}

#[derive(Debug, Default)]
pub struct Outcome {
    pub files: Vec<FileSummary>,
    pub proposals: Counts,
    pub questions: Counts,
    /// Debates' comments that became contributions.
    pub answers: Counts,
    pub comments: Counts,
    /// Meetings that became (past) events.
    pub meetings: Counts,
    /// Questions created from categories (`--category-as-question --create-questions`).
    pub category_questions: usize,
    pub rejected: Vec<Rejection>,
    /// Kept, with something to say (a reply whose parent is missing).
    pub warnings: Vec<Rejection>,
    /// Recognised but not imported (meetings, comments on other components).
    pub left_out: Vec<String>,
    pub stored: bool,
    pub elapsed: Duration,
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    pub imported: u64,
    pub already_present: u64,
}

impl Counts {
    fn add(&mut self, new: bool) {
        if new {
            self.imported += 1;
        } else {
            self.already_present += 1;
        }
    }
}

impl Outcome {
    pub fn summary(&self) -> Vec<String> {
        let mut out = Vec::new();
        for f in &self.files {
            out.push(format!(
                "{}: Decidim {}, {} rows ({})",
                f.name, f.kind, f.rows, f.version
            ));
            for n in &f.notes {
                out.push(format!("  {n}"));
            }
        }
        if self.stored {
            let line = |what: &str, c: Counts| {
                format!(
                    "{what}: {} imported, {} already present",
                    c.imported, c.already_present
                )
            };
            out.push(line("proposals", self.proposals));
            out.push(line("questions from debates", self.questions));
            out.push(line("contributions from debates' comments", self.answers));
            out.push(line("comments", self.comments));
            out.push(line("meetings (as events)", self.meetings));
            if self.category_questions > 0 {
                out.push(format!(
                    "questions created from categories: {}",
                    self.category_questions
                ));
            }
        } else {
            out.push("imported: 0 (nothing stored: some lines are rejected)".into());
        }
        for l in &self.left_out {
            out.push(format!("not imported: {l}"));
        }
        out.push(format!("rejected: {}", self.rejected.len()));
        out.push(format!("elapsed: {:.2} s", self.elapsed.as_secs_f64()));
        out
    }
}

/// The command: runs the import, prints rejected lines and warnings on standard error (and the
/// rejected ones to `report` as CSV), the summary on standard output.
pub async fn cli(
    store: &Store,
    settings: &Settings,
    opts: &Options,
    report: Option<&Path>,
) -> anyhow::Result<()> {
    let outcome = run(store, settings, opts).await?;
    for r in &outcome.rejected {
        eprintln!("{} {}: {}", r.file, r.line, r.reason);
    }
    for w in &outcome.warnings {
        eprintln!("{} {}: kept, but {}", w.file, w.line, w.reason);
    }
    if let Some(path) = report {
        write_report(path, &outcome.rejected)?;
    }
    for line in outcome.summary() {
        println!("{line}");
    }
    if !outcome.stored {
        anyhow::bail!(
            "{} lines rejected: nothing was imported (correct them, or import the other lines with --skip-invalid)",
            outcome.rejected.len()
        );
    }
    Ok(())
}

fn write_report(path: &Path, rejected: &[Rejection]) -> anyhow::Result<()> {
    let fail = |e: &dyn std::fmt::Display| anyhow::anyhow!("cannot write {}: {e}", path.display());
    let mut w = csv::Writer::from_path(path).map_err(|e| fail(&e))?;
    w.write_record(["file", "line", "reason"])
        .map_err(|e| fail(&e))?;
    for r in rejected {
        w.write_record([r.file.as_str(), &r.line.to_string(), r.reason.as_str()])
            .map_err(|e| fail(&e))?;
    }
    w.flush().map_err(|e| fail(&e))?;
    Ok(())
}

/// A proposal, checked.
struct Proposal {
    decidim_id: String,
    row: ImportRow,
}

/// A debate, checked: it becomes a question.
struct Debate {
    decidim_id: String,
    title: String,
    help: String,
}

/// What a comment answers, as Decidim says it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Target {
    Proposal(String),
    Debate(String),
    Comment(String),
    /// Another component's resource (a meeting, a budget project…): not imported.
    Other(String),
}

/// A comment, checked.
struct Comment {
    file: String,
    line: u64,
    decidim_id: String,
    target: Target,
    /// The proposal or debate of the thread, from `root_commentable_url`, when it says.
    root_hint: Option<Target>,
    body: String,
    alignment: &'static str,
    group_name: String,
    created_at: i64,
}

pub async fn run(store: &Store, settings: &Settings, opts: &Options) -> anyhow::Result<Outcome> {
    let started = Instant::now();
    let debate = store
        .debate_by_slug(&opts.debate)
        .await?
        .ok_or_else(|| anyhow::anyhow!("no debate with the slug {:?}", opts.debate))?;
    let questions = store.questions(debate.id).await?;
    let default_question = super::question_number(opts.question, &questions, &opts.debate)?;
    let mut rules = super::base_rules(store, settings, &questions, default_question).await?;
    rules.create_questions = opts.create_questions;
    rules.category_as_question = opts.category_as_question;
    rules.rejected_withdrawn = opts.rejected_withdrawn;
    rules.lenient_quartier = true;
    let lang = settings.content_language.clone();

    let tables = read_folder(&opts.dir, opts.encoding)?;
    let mut outcome = Outcome::default();
    let mut proposals: Vec<Proposal> = Vec::new();
    let mut debates: Vec<Debate> = Vec::new();
    let mut comments: Vec<Comment> = Vec::new();
    let mut new_questions = NewQuestions::default();
    let mut meetings: Vec<storage::ImportEvent> = Vec::new();
    for (kind, table) in &tables {
        let name = table.file_name();
        let reject = |outcome: &mut Outcome, line: u64, reason: String| {
            outcome.rejected.push(Rejection {
                file: name.clone(),
                line,
                reason,
            })
        };
        for (line, reason) in &table.bad {
            reject(&mut outcome, *line, reason.clone());
        }
        match kind {
            Kind::Proposals => {
                if !opts.category_as_question && default_question.is_none() {
                    anyhow::bail!(
                        "{name}: proposals need a question: give --question N (every proposal goes \
                         there, its category kept as a theme) or --category-as-question"
                    );
                }
                let columns = Columns::decidim(&table.names, &lang);
                for row in &table.rows {
                    let raw = columns.row(|i| row.get(i), true);
                    let id = raw.id.clone().unwrap_or_default();
                    if id.trim().is_empty() {
                        reject(&mut outcome, row.line, "missing id".into());
                        continue;
                    }
                    match check::check(&raw, &rules, &mut new_questions) {
                        Ok(row) => proposals.push(Proposal {
                            decidim_id: id.trim().to_string(),
                            row,
                        }),
                        Err(reason) => reject(&mut outcome, row.line, reason),
                    }
                }
            }
            Kind::Debates => {
                for row in &table.rows {
                    match debate_row(table, row, &lang) {
                        Ok(d) => debates.push(d),
                        Err(reason) => reject(&mut outcome, row.line, reason),
                    }
                }
            }
            Kind::Comments => {
                for row in &table.rows {
                    match comment_row(table, row, &lang, &rules) {
                        Ok(c) => comments.push(c),
                        Err(reason) => reject(&mut outcome, row.line, reason),
                    }
                }
            }
            Kind::Meetings => {
                for row in &table.rows {
                    match meeting_row(table, row, &lang, &rules) {
                        Ok(m) => meetings.push(m),
                        Err(reason) => reject(&mut outcome, row.line, reason),
                    }
                }
            }
        }
        let mut notes = table.notes.clone();
        if !table.bad.is_empty() {
            notes.push(format!("{} records unreadable", table.bad.len()));
        }
        outcome.files.push(FileSummary {
            name: name.clone(),
            kind: kind.name(),
            version: kinds::version_note(*kind, table),
            rows: table.rows.len() + table.bad.len(),
            notes,
        });
    }

    // What earlier imports of this source already hold: comments may answer those.
    let known_proposals: HashSet<String> = store
        .imported_refs(debate.id, &opts.source)
        .await?
        .into_iter()
        .collect();
    let known_debates: HashSet<String> = store
        .imported_question_refs(debate.id, &opts.source)
        .await?
        .into_iter()
        .filter_map(|r| r.strip_prefix("debate:").map(str::to_string))
        .collect();
    let proposal_ids: HashSet<&str> = proposals
        .iter()
        .map(|p| p.decidim_id.as_str())
        .chain(known_proposals.iter().map(String::as_str))
        .collect();
    let debate_ids: HashSet<&str> = debates
        .iter()
        .map(|d| d.decidim_id.as_str())
        .chain(known_debates.iter().map(String::as_str))
        .collect();

    // Threads: each comment's place, parents before children.
    let placed = place_comments(
        &comments,
        &proposal_ids,
        &debate_ids,
        &mut outcome,
        &rules,
        &mut new_questions,
    );
    let stored = outcome.rejected.is_empty() || opts.skip_invalid;
    outcome.stored = stored;
    if !stored {
        outcome.elapsed = started.elapsed();
        return Ok(outcome);
    }

    // One transaction for everything.
    let mut import = store
        .begin_import(debate.id, &opts.source, &new_questions.texts)
        .await?;
    let rules = rules.with_created(&new_questions, import.new_question_ids());
    outcome.category_questions = new_questions.texts.len();
    let mut question_of_debate: HashMap<String, i64> = HashMap::new();
    for d in &debates {
        let (id, new) = import
            .question_from_source(&format!("debate:{}", d.decidim_id), &d.title, &d.help)
            .await?;
        outcome.questions.add(new);
        question_of_debate.insert(d.decidim_id.clone(), id);
    }
    for d in &known_debates {
        if !question_of_debate.contains_key(d) {
            let (id, _) = import
                .question_from_source(&format!("debate:{d}"), "", "")
                .await?;
            question_of_debate.insert(d.clone(), id);
        }
    }
    let mut contribution_of: HashMap<String, i64> = HashMap::new();
    for p in &proposals {
        let mut row = p.row.clone();
        if row.question_id == 0 {
            // A question this import created (--category-as-question --create-questions).
            let raw = RawRow {
                question: Some(row.extra.theme.clone()),
                body: Some(row.body.clone()),
                ..RawRow::default()
            };
            row.question_id = check::check(&raw, &rules, &mut NewQuestions::default())
                .map(|r| r.question_id)
                .map_err(|e| anyhow::anyhow!("proposal {}: {e}", p.decidim_id))?;
        }
        let (id, new) = import.contribution(&row).await?;
        outcome.proposals.add(new);
        contribution_of.insert(p.decidim_id.clone(), id);
    }
    // Comments: parents come first in `placed`.
    let mut comment_of: HashMap<String, i64> = HashMap::new();
    for (c, place, answer_row) in &placed {
        match place {
            Placement::Answer { debate } => {
                let Some(row) = answer_row else { continue };
                let mut row = row.clone();
                row.question_id = *question_of_debate
                    .get(debate)
                    .ok_or_else(|| anyhow::anyhow!("debate {debate} vanished"))?;
                let (id, new) = import.contribution(&row).await?;
                outcome.answers.add(new);
                contribution_of.insert(format!("comment:{}", c.decidim_id), id);
            }
            Placement::OnProposal {
                proposal: root,
                parent,
                depth,
            }
            | Placement::OnAnswer {
                answer: root,
                parent,
                depth,
            } => {
                let key = match place {
                    Placement::OnAnswer { .. } => format!("comment:{root}"),
                    _ => root.clone(),
                };
                let contribution_id = match contribution_of.get(&key) {
                    Some(id) => *id,
                    None => match import.imported_contribution(&key).await? {
                        Some(id) => {
                            contribution_of.insert(key.clone(), id);
                            id
                        }
                        None => continue,
                    },
                };
                let parent_id = parent.as_ref().and_then(|p| comment_of.get(p)).copied();
                let (id, new) = import
                    .comment(&ImportComment {
                        contribution_id,
                        parent_id,
                        depth: if parent_id.is_some() { *depth } else { 0 },
                        body: c.body.clone(),
                        alignment: c.alignment,
                        group_name: c.group_name.clone(),
                        created_at: c.created_at,
                        source_ref: c.decidim_id.clone(),
                    })
                    .await?;
                outcome.comments.add(new);
                comment_of.insert(c.decidim_id.clone(), id);
            }
        }
    }
    for m in &meetings {
        let (_, new) = import.event(m).await?;
        outcome.meetings.add(new);
    }
    import.recount_comments().await?;
    import.commit().await?;
    outcome.elapsed = started.elapsed();
    store
        .audit(
            None,
            "contribution.import",
            &format!("debate:{}", debate.id),
            &format!(
                "Decidim process from {}: {} proposals, {} questions, {} answers, {} comments \
                 imported; {} rejected",
                opts.dir.display(),
                outcome.proposals.imported,
                outcome.questions.imported,
                outcome.answers.imported,
                outcome.comments.imported,
                outcome.rejected.len()
            ),
        )
        .await?;
    Ok(outcome)
}

/// The folder's files (hidden ones aside; the files of a zip archive among them, or of `dir`
/// itself when it is one), read and told apart; any file that is not a Decidim export this
/// version reads stops the import, so that nothing is silently left behind.
fn read_folder(
    dir: &Path,
    choice: crate::import::encoding::Choice,
) -> anyhow::Result<Vec<(Kind, Table)>> {
    let files = if dir.is_file() {
        let bytes = table::bytes(dir)?;
        let name = dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if !archive::is_archive(&bytes) {
            anyhow::bail!(
                "{}: neither a folder nor a zip archive (give the folder of the process's exports, \
                 or the archive Decidim mailed)",
                dir.display()
            );
        }
        archive::files(&name, &bytes)?
    } else {
        folder_files(dir)?
    };
    let mut out = Vec::new();
    let mut problems = Vec::new();
    for (name, bytes) in files {
        match table::read(&name, bytes, choice) {
            Ok(t) => match kinds::identify(&t) {
                Ok(kind) => out.push((kind, t)),
                Err(e) => problems.push(e),
            },
            Err(e) => problems.push(e.to_string()),
        }
    }
    if !problems.is_empty() {
        anyhow::bail!(
            "nothing was imported:\n{}",
            problems
                .iter()
                .map(|p| format!("- {p}"))
                .collect::<Vec<_>>()
                .join("\n")
        );
    }
    // Debates first (their questions), then proposals, then comments that answer both.
    out.sort_by_key(|(k, _)| *k);
    Ok(out)
}

/// The folder's files as (name, bytes), in name order, a zip archive's files in its place.
fn folder_files(dir: &Path) -> anyhow::Result<Vec<(String, Vec<u8>)>> {
    let entries = std::fs::read_dir(dir)
        .map_err(|e| anyhow::anyhow!("cannot read the folder {}: {e}", dir.display()))?;
    let mut paths: Vec<PathBuf> = entries
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| {
            p.is_file()
                && !p
                    .file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with('.'))
        })
        .collect();
    paths.sort();
    if paths.is_empty() {
        anyhow::bail!(
            "{}: no file (expected Decidim's exports of proposals, comments, debates, meetings)",
            dir.display()
        );
    }
    let mut out = Vec::new();
    for p in paths {
        let bytes = table::bytes(&p)?;
        let name = p
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if archive::is_archive(&bytes) {
            out.extend(archive::files(&name, &bytes)?);
        } else {
            out.push((name, bytes));
        }
    }
    Ok(out)
}
