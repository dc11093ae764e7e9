//! The guarantors' part of the report: they sign off its sections one by one (a sign-off lapses
//! when the section changes afterwards) and publish their opinion ("avis des garants") beside
//! it. They change nothing of the analysts' text; analysts cannot sign or speak for them.

use crate::report::{ReportError, authorize};
use domain::validate::FieldErrors;
use domain::{On, Subject};
use storage::Store;

pub const MAX_OPINION: usize = 50_000;
pub const MAX_NOTE: usize = 1_000;

fn user(subject: &Subject) -> Result<i64, ReportError> {
    subject
        .account
        .as_ref()
        .map(|a| a.user_id)
        .ok_or(ReportError::LoginRequired)
}

/// Signs off one section (of the draft or of a frozen version), with an optional note.
pub async fn sign_off(
    store: &Store,
    subject: &Subject,
    section_id: i64,
    note: &str,
) -> Result<i64, ReportError> {
    let s = store
        .report_section(section_id)
        .await?
        .ok_or(ReportError::NotFound)?;
    authorize(store, subject, s.debate_id, On::SignOff, false).await?;
    let note: String = note.split_whitespace().collect::<Vec<_>>().join(" ");
    if note.chars().count() > MAX_NOTE {
        let mut e = FieldErrors::default();
        e.add("note", "report-error-note-long");
        return Err(ReportError::Invalid(e));
    }
    let uid = user(subject)?;
    let mut tx = store.begin().await?;
    tx.sign_off_section(section_id, uid, &note).await?;
    tx.audit(
        Some(uid),
        "report.sign_off",
        &format!("report_section:{section_id}"),
        &note,
    )
    .await?;
    tx.commit().await?;
    Ok(s.debate_id)
}

/// Saves this guarantor's opinion on the debate's report; `publish` puts it beside the report.
pub async fn save_opinion(
    store: &Store,
    subject: &Subject,
    debate_id: i64,
    body: &str,
    publish: bool,
) -> Result<i64, ReportError> {
    authorize(store, subject, debate_id, On::SignOff, false).await?;
    let body = body.trim().replace("\r\n", "\n");
    let mut e = FieldErrors::default();
    if body.is_empty() {
        e.add("opinion", "report-error-opinion-empty");
    } else if body.chars().count() > MAX_OPINION {
        e.add("opinion", "report-error-opinion-long");
    }
    if !e.is_empty() {
        return Err(ReportError::Invalid(e));
    }
    let uid = user(subject)?;
    let mut tx = store.begin().await?;
    let id = tx.save_opinion(debate_id, uid, &body, publish).await?;
    tx.audit(
        Some(uid),
        if publish {
            "report.opinion.publish"
        } else {
            "report.opinion.save"
        },
        &format!("debate:{debate_id}"),
        "",
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// A review comment on a section of the draft, by anyone who reads the draft (the assigned
/// analysts, guarantors, administrators); never published.
pub async fn review_comment(
    store: &Store,
    subject: &Subject,
    section_id: i64,
    body: &str,
) -> Result<i64, ReportError> {
    let s = store
        .report_section(section_id)
        .await?
        .ok_or(ReportError::NotFound)?;
    authorize(store, subject, s.debate_id, On::ReadReportDraft, false).await?;
    let body = body.trim().replace("\r\n", "\n");
    let mut e = FieldErrors::default();
    if body.is_empty() {
        e.add("comment", "report-error-comment-empty");
    } else if body.chars().count() > MAX_NOTE * 5 {
        e.add("comment", "report-error-comment-long");
    }
    if !e.is_empty() {
        return Err(ReportError::Invalid(e));
    }
    let uid = user(subject)?;
    let mut tx = store.begin().await?;
    let id = tx
        .add_review_comment(s.debate_id, s.key, Some(uid), &body)
        .await?;
    tx.audit(
        Some(uid),
        "report.review_comment",
        &format!("report_section:{section_id}"),
        &format!("comment:{id}"),
    )
    .await?;
    tx.commit().await?;
    Ok(s.debate_id)
}
