//! The coverage audit of a debate's report, read the same way by the guarantors' page, the API
//! and `concorde report coverage`: which published contributions a version accounts for (cited,
//! in a cited theme, or read and not retained), by channel, question, category and quartier.

use crate::report::{ReportError, authorize};
use domain::{On, Subject};
use report::{Cover, Coverage, CoverageRow};
use std::collections::HashMap;
use storage::{Store, Uncovered};

/// The audit of one version, with the first uncovered contributions.
pub struct Audit {
    pub version: i64,
    pub coverage: Coverage,
    pub uncovered: Vec<Uncovered>,
}

/// The version a coverage audit reads when none is named: the newest one (the draft when there
/// is one: after a publication it starts as the published text).
pub async fn default_version(store: &Store, debate_id: i64) -> Result<Option<i64>, ReportError> {
    Ok(store
        .report_versions(debate_id)
        .await?
        .first()
        .map(|v| v.number))
}

/// The audit, for someone who may read the report's drafts (or the command line, with
/// `Subject` of an administrator's rights: see `concorde report coverage`).
pub async fn audit(
    store: &Store,
    subject: &Subject,
    debate_id: i64,
    number: Option<i64>,
    limit: i64,
) -> Result<Audit, ReportError> {
    authorize(store, subject, debate_id, On::ReadReportDraft, false).await?;
    audit_unchecked(store, debate_id, number, limit).await
}

/// The audit without a policy check: for the command line, which runs with the server's rights.
pub async fn audit_unchecked(
    store: &Store,
    debate_id: i64,
    number: Option<i64>,
    limit: i64,
) -> Result<Audit, ReportError> {
    let number = match number {
        Some(n) => Some(n),
        None => default_version(store, debate_id).await?,
    };
    let version_id = match number {
        Some(n) => Some(
            store
                .report_version(debate_id, n)
                .await?
                .ok_or(ReportError::NotFound)?
                .0
                .id,
        ),
        None => None,
    };
    // No report yet: nothing is cited, a version id that matches nothing says so.
    let vid = version_id.unwrap_or(0);
    let counts = store.coverage_counts(debate_id, vid).await?;
    let questions: HashMap<i64, String> = store
        .questions(debate_id)
        .await?
        .into_iter()
        .map(|q| (q.id, q.text))
        .collect();
    let categories: HashMap<i64, String> = store
        .categories()
        .await?
        .into_iter()
        .map(|c| (c.id, c.name))
        .collect();
    let quartiers: HashMap<i64, String> = store
        .quartiers()
        .await?
        .into_iter()
        .map(|q| (q.id, q.name))
        .collect();
    let rows: Vec<CoverageRow> = counts
        .into_iter()
        .map(|c| CoverageRow {
            channel: c.channel,
            question: questions.get(&c.question_id).cloned().unwrap_or_default(),
            category: c.category_id.and_then(|i| categories.get(&i).cloned()),
            quartier: c.quartier_id.and_then(|i| quartiers.get(&i).cloned()),
            cover: Cover::of(c.cited != 0, c.in_theme != 0, c.not_retained != 0),
            count: c.n,
        })
        .collect();
    let uncovered = if limit > 0 {
        store.uncovered(debate_id, vid, limit).await?
    } else {
        Vec::new()
    };
    Ok(Audit {
        version: number.unwrap_or(0),
        coverage: Coverage::from_rows(&rows, "—"),
        uncovered,
    })
}
