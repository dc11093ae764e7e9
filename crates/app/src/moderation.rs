//! Moderation decisions: hide (with a reason), restore, or keep what was reported. One
//! transaction holds the decision, the resolved reports and the audit entry; the author and the
//! people who reported it are told through the job queue.

use crate::jobs::job;
use domain::{On, Subject};
use serde::{Deserialize, Serialize};
use storage::{Store, StoreError, Target};

pub const MODERATION_NOTICE: &str = "moderation_notice";

/// Longest reason, in characters.
pub const MAX_REASON: usize = 1_000;

pub use domain::MODERATION_PRESETS as PRESET_REASONS;

/// A decision to tell the author and the reporters about.
#[derive(Debug, Serialize, Deserialize)]
pub struct ModerationNotice {
    /// `contribution` or `comment`.
    pub kind: String,
    pub id: i64,
    /// `hide`, `restore` or `keep`.
    pub decision: String,
    pub reason: String,
    pub reporters: Vec<i64>,
}

#[derive(Debug, thiserror::Error)]
pub enum ModerationError {
    #[error("not found")]
    NotFound,
    #[error("forbidden")]
    Forbidden,
    /// The reason is missing or too long: the key of the message for the field.
    #[error("invalid reason: {0}")]
    Reason(&'static str),
    /// Hiding what is not published, restoring what is not hidden.
    #[error("the item is not in a state for this decision")]
    WrongState,
    /// Keeping an item nobody reported.
    #[error("no open report")]
    NoReport,
    #[error("unknown decision")]
    Decision,
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl ModerationError {
    /// A refusal to say next to the reason field: its message key, and whether it is a conflict
    /// with the item's state (409) rather than a bad field (400).
    pub fn for_field(&self) -> Option<(&'static str, bool)> {
        match self {
            ModerationError::Reason(key) => Some((key, false)),
            ModerationError::WrongState => Some(("error-moderation-status", true)),
            ModerationError::NoReport => Some(("error-moderation-no-report", true)),
            _ => None,
        }
    }
}

/// The moderator's decision on `target`.
pub async fn decide(
    store: &Store,
    subject: &Subject,
    target: Target,
    decision: &str,
    reason: &str,
) -> Result<(), ModerationError> {
    if !matches!(decision, "hide" | "restore" | "keep") {
        return Err(ModerationError::Decision);
    }
    let item = store
        .moderation_item(target)
        .await?
        .ok_or(ModerationError::NotFound)?;
    let debate = store
        .debate_by_id(item.debate_id)
        .await?
        .ok_or(ModerationError::NotFound)?;
    let resource = domain::Resource::Contribution {
        debate_published: debate.status == domain::DebateStatus::Published,
        state: domain::ContributionState::parse(&item.status),
        author_id: item.author_id,
    };
    // Moderation acts on what the public can see: a draft debate's items are not its business.
    if !subject.may_on(On::Read, resource) {
        return Err(ModerationError::NotFound);
    }
    if !subject.may_on(On::Moderate, resource) {
        return Err(ModerationError::Forbidden);
    }
    let moderator = subject
        .account
        .as_ref()
        .map(|a| a.user_id)
        .ok_or(ModerationError::Forbidden)?;
    let reason = reason.trim();
    if decision == "hide" && reason.is_empty() {
        return Err(ModerationError::Reason("error-moderation-reason"));
    }
    if reason.chars().count() > MAX_REASON {
        return Err(ModerationError::Reason("error-too-long"));
    }
    let mut tx = store.begin().await?;
    let reporters = match tx.moderate(target, decision, reason, moderator).await {
        Err(StoreError::Conflict(_)) => return Err(ModerationError::WrongState),
        Err(StoreError::NotFound) => return Err(ModerationError::NoReport),
        r => r?,
    };
    tx.audit(
        Some(moderator),
        &format!("moderation.{decision}"),
        &target.to_string(),
        reason,
    )
    .await?;
    tx.enqueue(job(
        MODERATION_NOTICE,
        &ModerationNotice {
            kind: target.kind().to_string(),
            id: target.id(),
            decision: decision.to_string(),
            reason: reason.to_string(),
            reporters,
        },
    ))
    .await?;
    tx.commit().await?;
    Ok(())
}
