//! The jobs the use cases queue, by name and payload; their handlers live with the front that
//! renders their texts (`web::jobs`).

use serde::{Deserialize, Serialize};
use storage::NewJob;

pub const NOTIFY_FOLLOWERS: &str = "notify_followers";

/// A new comment to tell the contribution's followers about.
#[derive(Debug, Serialize, Deserialize)]
pub struct NotifyFollowers {
    pub contribution_id: i64,
    pub comment_id: i64,
    /// The commenter, who is not told of their own comment.
    pub author_id: i64,
}

pub fn job<T: Serialize>(kind: &'static str, payload: &T) -> NewJob<'static> {
    NewJob::now(
        kind,
        serde_json::to_string(payload).unwrap_or_else(|_| "{}".into()),
    )
}

pub const PASSWORD_RESET: &str = "password_reset";
pub const ANALYSIS_RUN: &str = "analysis_run";

/// A run of the synthesis engine on a debate, stored as `running` when it was asked for.
#[derive(Debug, Serialize, Deserialize)]
pub struct AnalysisRun {
    pub run: i64,
    pub debate_id: i64,
    pub settings: analysis::Settings,
}

/// Someone asked for a reset link for this address.
#[derive(Debug, Serialize, Deserialize)]
pub struct PasswordReset {
    pub email: String,
}
