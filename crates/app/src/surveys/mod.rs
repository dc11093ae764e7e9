//! The survey's use cases: staff build the questionnaire and open it; residents answer it page
//! by page (signed in, or anonymously where allowed: one response per browser token) and may
//! stop and resume; staff import the polling firm's panel and weight it to the population's
//! margins; everyone allowed reads the results, computed once per revision of the survey.

pub mod answering;
pub mod builder;
pub mod figures;
pub mod panel;

pub use answering::*;
pub use builder::*;
pub use figures::*;
pub use panel::*;

use domain::validate::FieldErrors;
use domain::{Action, On, Resource, Subject};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};
use storage::{
    PanelResponse, ResponseRow, Store, StoreError, SurveyFields, SurveyRow, WeightingRow,
};
use survey::answers::{self, Answers};
use survey::definition::{self, Definition, Kind, Question, Section, Text};
use survey::results::{self, Group, QuestionResult, Weighted};
use survey::{Source, Status};

#[derive(Debug, thiserror::Error)]
pub enum SurveyError {
    #[error("invalid input")]
    Invalid(FieldErrors),
    #[error("not found")]
    NotFound,
    #[error("forbidden")]
    Forbidden,
    #[error("sign in first")]
    LoginRequired,
    /// Not taking answers (a draft, closed, or a debate not public).
    #[error("the survey is not open")]
    NotOpen,
    /// This account or browser already sent its response.
    #[error("already answered")]
    AlreadyAnswered,
    /// The panel's file or the margins cannot be used: every problem, for the page.
    #[error("{0}")]
    File(String),
    /// Rows of the panel's file refused (nothing imported).
    #[error("{} rows rejected", .0.len())]
    Rejected(Vec<survey::panel::Rejected>),
    #[error(transparent)]
    Store(#[from] StoreError),
}

fn invalid(field: &str, key: &'static str) -> SurveyError {
    let mut e = FieldErrors::default();
    e.add(field, key);
    SurveyError::Invalid(e)
}

/// The survey's facts for the policy.
pub fn resource(s: &SurveyRow) -> Resource {
    let status = Status::parse(&s.status);
    Resource::Survey {
        debate_published: s.debate_status == "published",
        published: status != Status::Draft,
        open: status == Status::Open,
        anonymous: s.is_anonymous(),
        results_public: s.results_are_public(),
    }
}

/// The questionnaire (an unreadable one reads as empty, and staff see it so).
pub fn definition(s: &SurveyRow) -> Definition {
    serde_json::from_str(&s.definition).unwrap_or_default()
}

fn answers_of(r: &ResponseRow) -> Answers {
    serde_json::from_str(&r.answers).unwrap_or_default()
}

fn profile_of(r: &ResponseRow) -> BTreeMap<String, String> {
    serde_json::from_str(&r.profile).unwrap_or_default()
}

fn json<T: Serialize>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_else(|_| "{}".into())
}

/// The survey, if this subject may know it exists.
pub async fn visible(
    store: &Store,
    subject: &Subject,
    slug: &str,
) -> Result<SurveyRow, SurveyError> {
    let s = store
        .survey_by_slug(slug)
        .await?
        .ok_or(SurveyError::NotFound)?;
    if !subject.may_on(On::Read, resource(&s)) {
        return Err(SurveyError::NotFound);
    }
    Ok(s)
}

fn refuse(subject: &Subject) -> SurveyError {
    if subject.account.is_none() {
        SurveyError::LoginRequired
    } else {
        SurveyError::Forbidden
    }
}

async fn managed(store: &Store, subject: &Subject, id: i64) -> Result<SurveyRow, SurveyError> {
    let s = store.survey(id).await?.ok_or(SurveyError::NotFound)?;
    if !subject.may_on(On::Manage, resource(&s)) {
        return Err(if subject.may_on(On::Read, resource(&s)) {
            refuse(subject)
        } else {
            SurveyError::NotFound
        });
    }
    Ok(s)
}

/// The account acting; the command line and the demo act as a system subject (id 0), which
/// has no account row.
fn actor(subject: &Subject) -> Option<i64> {
    subject
        .account
        .as_ref()
        .map(|a| a.user_id)
        .filter(|id| *id > 0)
}
