//! Comment threads: each imported comment followed up to the proposal or debate it belongs to,
//! and placed where Concorde keeps it (a comment of a contribution, threaded, or a debate's
//! answer as a contribution of its own), parents before children.

use super::*;

/// Where a comment lands, once its thread is followed to its root.
#[derive(Debug, Clone)]
pub(super) enum Placement {
    /// A comment on the proposal, under `parent` (a Decidim comment id) or at the top.
    OnProposal {
        proposal: String,
        parent: Option<String>,
        depth: i64,
    },
    /// A debate's top-level comment: a contribution answering the debate's question.
    Answer { debate: String },
    /// A reply within a debate's thread: a comment on the contribution made from `answer`.
    OnAnswer {
        answer: String,
        parent: Option<String>,
        depth: i64,
    },
}

pub(super) type Placed<'a> = (&'a Comment, Placement, Option<ImportRow>);

/// Follows each comment's thread to its root and decides where it lands; gives them parents
/// first. A comment on something missing is rejected; a reply whose parent is missing is kept
/// at the top of its thread when the root is known, with a warning.
pub(super) fn place_comments<'a>(
    comments: &'a [Comment],
    proposals: &HashSet<&str>,
    debates: &HashSet<&str>,
    outcome: &mut Outcome,
    rules: &Rules,
    new: &mut NewQuestions,
) -> Vec<Placed<'a>> {
    let by_id: HashMap<&str, &Comment> = comments
        .iter()
        .map(|c| (c.decidim_id.as_str(), c))
        .collect();
    let mut other: HashMap<String, usize> = HashMap::new();
    let mut placed: Vec<(usize, Placed<'a>)> = Vec::new();
    for c in comments {
        // Up the thread: the chain of ancestors, nearest first.
        let mut chain: Vec<&Comment> = Vec::new();
        let mut at = c;
        let root: Option<Target>;
        let mut broken: Option<String> = None;
        loop {
            match &at.target {
                Target::Comment(parent) => match by_id.get(parent.as_str()) {
                    Some(p) if chain.len() < 100 && !std::ptr::eq(*p, c) => {
                        chain.push(p);
                        at = p;
                    }
                    _ => {
                        broken = Some(parent.clone());
                        root = c.root_hint.clone();
                        break;
                    }
                },
                t => {
                    root = Some(t.clone());
                    break;
                }
            }
        }
        if broken.is_some() {
            // The ancestors found are not used: the thread is cut above them.
            chain.clear();
        }
        let reject = |outcome: &mut Outcome, reason: String| {
            outcome.rejected.push(Rejection {
                file: c.file.clone(),
                line: c.line,
                reason,
            })
        };
        // Decidim's depth, and the parent at a depth Concorde keeps (deeper replies are attached
        // to the deepest ancestor allowed).
        let depth = chain.len();
        let max = MAX_COMMENT_DEPTH as usize;
        let under = |d: usize, skip_top: bool| -> (Option<String>, i64) {
            let d = if skip_top { d - 1 } else { d };
            if d == 0 {
                return (None, 0);
            }
            let i = d.saturating_sub(max);
            (Some(chain[i].decidim_id.clone()), d.min(max) as i64)
        };
        let place = match (&root, &broken) {
            (Some(Target::Other(kind)), _) => {
                *other.entry(kind.clone()).or_default() += 1;
                continue;
            }
            (None, Some(parent)) => {
                reject(
                    outcome,
                    format!(
                        "comment {} answers comment {parent}, which is not in the files, and \
                         names no proposal or debate it belongs to",
                        c.decidim_id
                    ),
                );
                continue;
            }
            (None, None) => continue,
            (Some(Target::Proposal(p)), _) => {
                if !proposals.contains(p.as_str()) {
                    reject(
                        outcome,
                        format!(
                            "comment {} is on proposal {p}, which is not in the files (nor \
                             imported before)",
                            c.decidim_id
                        ),
                    );
                    continue;
                }
                let (parent, depth) = under(depth, false);
                Placement::OnProposal {
                    proposal: p.clone(),
                    parent,
                    depth,
                }
            }
            (Some(Target::Debate(d)), _) => {
                if !debates.contains(d.as_str()) {
                    reject(
                        outcome,
                        format!(
                            "comment {} is on debate {d}, which is not in the files (nor \
                             imported before)",
                            c.decidim_id
                        ),
                    );
                    continue;
                }
                if broken.is_some() {
                    // A reply cut from its thread answers the debate itself.
                    Placement::Answer { debate: d.clone() }
                } else if let Some(top) = chain.last() {
                    let (parent, depth) = under(depth, true);
                    Placement::OnAnswer {
                        answer: top.decidim_id.clone(),
                        parent,
                        depth,
                    }
                } else {
                    Placement::Answer { debate: d.clone() }
                }
            }
            (Some(Target::Comment(_)), _) => continue,
        };
        if let Some(parent) = &broken {
            outcome.warnings.push(Rejection {
                file: c.file.clone(),
                line: c.line,
                reason: format!(
                    "comment {} answers comment {parent}, which is not in the files: it is \
                     placed at the top of its thread",
                    c.decidim_id
                ),
            });
        }
        // A debate's answer is a contribution: checked as one.
        let answer_row = match &place {
            Placement::Answer { .. } => {
                let raw = RawRow {
                    id: Some(format!("comment:{}", c.decidim_id)),
                    body: Some(c.body.clone()),
                    kind: Some(
                        if c.group_name.is_empty() {
                            "individual"
                        } else {
                            "collective"
                        }
                        .into(),
                    ),
                    group_name: Some(c.group_name.clone()),
                    ..RawRow::default()
                };
                let answer_rules = Rules {
                    default_question: Some(0),
                    category_as_question: false,
                    ..rules.clone()
                };
                match check::check(&raw, &answer_rules, new) {
                    Ok(mut row) => {
                        row.created_at = c.created_at;
                        Some(row)
                    }
                    Err(reason) => {
                        reject(outcome, reason);
                        continue;
                    }
                }
            }
            _ => None,
        };
        let order = match &place {
            Placement::Answer { .. } => 0,
            Placement::OnProposal { depth, .. } => *depth + 1,
            Placement::OnAnswer { depth, .. } => *depth + 1,
        };
        placed.push((order as usize, (c, place, answer_row)));
    }
    // A reply whose parent or answer was rejected would lose its thread: rejected too.
    loop {
        let ids: HashSet<&str> = placed
            .iter()
            .map(|(_, (c, _, _))| c.decidim_id.as_str())
            .collect();
        let orphan = placed.iter().position(|(_, (_, place, _))| match place {
            Placement::Answer { .. } => false,
            Placement::OnProposal { parent, .. } => {
                parent.as_ref().is_some_and(|p| !ids.contains(p.as_str()))
            }
            Placement::OnAnswer { answer, parent, .. } => {
                !ids.contains(answer.as_str())
                    || parent.as_ref().is_some_and(|p| !ids.contains(p.as_str()))
            }
        });
        let Some(i) = orphan else { break };
        let (_, (c, _, _)) = placed.remove(i);
        outcome.rejected.push(Rejection {
            file: c.file.clone(),
            line: c.line,
            reason: format!(
                "comment {} answers a comment that is rejected",
                c.decidim_id
            ),
        });
    }
    let mut kinds: Vec<_> = other.into_iter().collect();
    kinds.sort();
    for (kind, n) in kinds {
        outcome.left_out.push(format!(
            "{n} comments on {kind} (only proposals' and debates' comments are imported)"
        ));
    }
    placed.sort_by_key(|(order, _)| *order);
    placed.into_iter().map(|(_, p)| p).collect()
}
