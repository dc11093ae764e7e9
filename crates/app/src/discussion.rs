//! Around a contribution: comment, support, report.

use crate::jobs::{NOTIFY_FOLLOWERS, NotifyFollowers, job};
use crate::visible_contribution;
use domain::{ContributionState, On, Resource, Subject};
use storage::{Store, StoreError, Target};

pub const MAX_COMMENT: usize = 2_000;
pub const MAX_REASON: usize = 1_000;
/// Comments per person in `FLOOD_WINDOW` seconds before they are slowed down.
pub const MAX_COMMENTS_PER_WINDOW: i64 = 20;
pub const FLOOD_WINDOW: i64 = 10 * 60;
pub const MAX_REPORTS_PER_HOUR: i64 = 30;
pub const REPORT_REASONS: [&str; 5] = ["spam", "abuse", "personal-data", "off-topic", "other"];

fn author(subject: &Subject) -> Option<i64> {
    subject.account.as_ref().map(|a| a.user_id)
}

#[derive(Debug, thiserror::Error)]
pub enum CommentError {
    #[error("sign in to comment")]
    LoginRequired,
    #[error("no such contribution")]
    NotFound,
    #[error("not allowed to comment")]
    Forbidden,
    #[error("the contribution is not published")]
    NotPublished,
    #[error("the comment is empty")]
    Empty,
    #[error("the comment is longer than {MAX_COMMENT} characters")]
    TooLong,
    #[error("too many comments in a short time")]
    Flood,
    #[error("replies stop at this depth")]
    TooDeep,
    #[error("the parent comment is not a comment of this contribution")]
    UnknownParent,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Writes a comment: the comment, its audit entry, the commenter's follow of the conversation
/// and the followers' notice (a job), in one transaction. Returns the comment's id.
pub async fn comment(
    store: &Store,
    subject: &Subject,
    contribution_id: i64,
    parent: Option<i64>,
    body: &str,
) -> Result<i64, CommentError> {
    let user_id = author(subject).ok_or(CommentError::LoginRequired)?;
    let (c, r) = visible_contribution(store, subject, contribution_id)
        .await?
        .ok_or(CommentError::NotFound)?;
    if !subject.may_on(On::Comment, r) {
        return Err(match r {
            Resource::Contribution { state, .. } if state != ContributionState::Published => {
                CommentError::NotPublished
            }
            _ => CommentError::Forbidden,
        });
    }
    let body = body.trim().replace("\r\n", "\n");
    if body.is_empty() {
        return Err(CommentError::Empty);
    }
    if body.chars().count() > MAX_COMMENT {
        return Err(CommentError::TooLong);
    }
    if store
        .comments_since(user_id, crate::now() - FLOOD_WINDOW)
        .await?
        >= MAX_COMMENTS_PER_WINDOW
    {
        return Err(CommentError::Flood);
    }
    let mut tx = store.begin().await?;
    let comment_id = match tx.add_comment(c.id, parent, user_id, &body).await {
        Ok(id) => id,
        Err(StoreError::NotFound) => return Err(CommentError::UnknownParent),
        Err(StoreError::Conflict(_)) => return Err(CommentError::TooDeep),
        Err(e) => return Err(e.into()),
    };
    tx.audit(
        Some(user_id),
        "comment.create",
        &format!("comment:{comment_id}"),
        &format!("contribution:{}", c.id),
    )
    .await?;
    tx.follow(c.id, user_id).await?;
    tx.enqueue(job(
        NOTIFY_FOLLOWERS,
        &NotifyFollowers {
            contribution_id: c.id,
            comment_id,
            author_id: user_id,
        },
    ))
    .await?;
    tx.commit().await?;
    Ok(comment_id)
}

#[derive(Debug, thiserror::Error)]
pub enum SupportError {
    #[error("sign in to support")]
    LoginRequired,
    #[error("no such contribution")]
    NotFound,
    #[error("one does not support one's own contribution")]
    Own,
    #[error("not allowed to support")]
    Forbidden,
    #[error("already supported")]
    Twice,
    #[error("there was no support to withdraw")]
    NoSupport,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Gives (`add`) or withdraws a support, with its audit entry.
pub async fn support(
    store: &Store,
    subject: &Subject,
    contribution_id: i64,
    add: bool,
) -> Result<(), SupportError> {
    let user_id = author(subject).ok_or(SupportError::LoginRequired)?;
    let (c, r) = visible_contribution(store, subject, contribution_id)
        .await?
        .ok_or(SupportError::NotFound)?;
    // Only a published contribution of a published debate takes supports; the others answer
    // as an unknown one would (no existence oracle).
    let live = matches!(
        r,
        Resource::Contribution {
            debate_published: true,
            state: ContributionState::Published,
            ..
        }
    );
    if !live {
        return Err(SupportError::NotFound);
    }
    if c.author_id == Some(user_id) {
        return Err(SupportError::Own);
    }
    if !subject.may_on(On::Support, r) {
        return Err(SupportError::Forbidden);
    }
    let mut tx = store.begin().await?;
    let result = if add {
        tx.add_support(c.id, user_id).await
    } else {
        tx.remove_support(c.id, user_id).await
    };
    match result {
        Ok(()) => {}
        Err(StoreError::Conflict(_)) => return Err(SupportError::Twice),
        Err(StoreError::NotFound) => return Err(SupportError::NoSupport),
        Err(e) => return Err(e.into()),
    }
    let action = if add { "support.add" } else { "support.remove" };
    tx.audit(Some(user_id), action, &format!("contribution:{}", c.id), "")
        .await?;
    tx.commit().await?;
    Ok(())
}

#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error("sign in to report")]
    LoginRequired,
    #[error("no such item")]
    NotFound,
    #[error("one does not report one's own contribution")]
    Own,
    #[error("not allowed to report")]
    Forbidden,
    #[error("choose a reason")]
    Reason,
    #[error("the details are longer than {MAX_REASON} characters")]
    TooLong,
    #[error("too many reports in an hour")]
    Flood,
    #[error("already reported")]
    Twice,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Files a report on a contribution or a comment, with its audit entry. Returns the item's
/// contribution id (where the reporter goes back to).
pub async fn report(
    store: &Store,
    subject: &Subject,
    target: Target,
    reason: &str,
    details: &str,
) -> Result<i64, ReportError> {
    let user_id = author(subject).ok_or(ReportError::LoginRequired)?;
    let item = store
        .moderation_item(target)
        .await?
        .ok_or(ReportError::NotFound)?;
    let debate = store
        .debate_by_id(item.debate_id)
        .await?
        .ok_or(ReportError::NotFound)?;
    let r = Resource::Contribution {
        debate_published: debate.status == domain::DebateStatus::Published,
        state: ContributionState::parse(&item.status),
        author_id: item.author_id,
    };
    // Unknown, of a draft debate, or no longer published: the same answer.
    if !subject.may_on(On::Read, r)
        || item.status != "published"
        || !matches!(
            r,
            Resource::Contribution {
                debate_published: true,
                ..
            }
        )
    {
        return Err(ReportError::NotFound);
    }
    if item.author_id == Some(user_id) {
        return Err(ReportError::Own);
    }
    if !subject.may_on(On::Report, r) {
        return Err(ReportError::Forbidden);
    }
    let reason = reason.trim();
    if !REPORT_REASONS.contains(&reason) {
        return Err(ReportError::Reason);
    }
    if details.chars().count() > MAX_REASON {
        return Err(ReportError::TooLong);
    }
    if store.reports_since(user_id, crate::now() - 3600).await? >= MAX_REPORTS_PER_HOUR {
        return Err(ReportError::Flood);
    }
    let mut tx = store.begin().await?;
    match tx.report(target, user_id, reason, details.trim()).await {
        Ok(_) => {}
        Err(StoreError::Conflict(_)) => return Err(ReportError::Twice),
        Err(StoreError::NotFound) => return Err(ReportError::NotFound),
        Err(e) => return Err(e.into()),
    }
    tx.audit(Some(user_id), "report.create", &target.to_string(), reason)
        .await?;
    tx.commit().await?;
    Ok(item.contribution_id)
}
