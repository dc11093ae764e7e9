//! Concorde's use cases. Each action of the platform is one function here, called alike by the
//! pages, the REST API and the command line: it checks its input, asks the policy
//! (`Subject::may_on`), writes in one transaction **with its audit entry inside it**, and queues
//! its side effects (mail, notices) as jobs in that same transaction. Nothing here knows HTTP or
//! HTML; each use case has its own error enum, which the pages turn into a message next to the
//! field and the API into a problem document.

pub mod account;
pub mod contributions;
pub mod discussion;
pub mod events;
pub mod jobs;
pub mod moderation;
pub mod report;
pub mod report_coverage;
pub mod report_followup;
pub mod report_oversight;
pub mod retention;
pub mod second_factor;
pub mod surveys;
pub mod synthesis;

pub use contributions::ContributeError;
pub use discussion::{CommentError, ReportError, SupportError};

use domain::{On, Resource, Subject};
use storage::{ContributionRow, Store, StoreError};

/// The contribution with the facts the policy needs, or `None` when the subject may not even
/// know it exists (unknown id, a draft debate's item for someone who does not see drafts).
pub async fn visible_contribution(
    store: &Store,
    subject: &Subject,
    id: i64,
) -> Result<Option<(ContributionRow, Resource)>, StoreError> {
    let Some(c) = store.contribution(id).await? else {
        return Ok(None);
    };
    let Some(d) = store.debate_by_id(c.debate_id).await? else {
        return Ok(None);
    };
    let r = Resource::Contribution {
        debate_published: d.status == domain::DebateStatus::Published,
        state: domain::ContributionState::parse(&c.status),
        author_id: c.author_id,
    };
    if !subject.may_on(On::Read, r) {
        return Ok(None);
    }
    Ok(Some((c, r)))
}

/// Unix seconds now (the store's clock).
pub fn now() -> i64 {
    storage::now()
}
