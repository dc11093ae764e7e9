//! The survey, without a database or a web page.
//!
//! - [`definition`]: a questionnaire is sections of questions (single and multiple choice, scales,
//!   numbers, short and long texts, matrices of single choices, rankings), each with its code,
//!   French and English wording, help, whether it is mandatory and when it is shown (display
//!   conditions on earlier answers). [`definition::Definition::validate`] refuses what could not
//!   be answered; [`definition::compatible`] refuses a change that would silently change the
//!   meaning of answers already given.
//! - [`answers`]: what a respondent gave, checked section by section from a form (works without
//!   JavaScript: conditions are applied here, on the server), and the pages left to answer.
//! - [`panel`]: a polling firm's file (one row per respondent) read onto the questions: codes or
//!   labels, socio-demographic columns kept as the respondent's profile, every bad row reported.
//! - [`results`]: per question, counts and shares; for a raked panel, weighted shares or means
//!   with the linearised standard error of the raked estimator (`weighting::estimate`).

pub mod answers;
pub mod definition;
pub mod panel;
pub mod results;

pub use answers::{Answers, Value};
pub use definition::{Choice, Condition, Definition, Kind, Question, Section, Text};

/// A survey's state: written in draft, answered while open, kept readable once closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Draft,
    Open,
    Closed,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Draft => "draft",
            Status::Open => "open",
            Status::Closed => "closed",
        }
    }

    /// The database's value; anything unknown is a draft (seen by staff only).
    pub fn parse(s: &str) -> Status {
        match s {
            "open" => Status::Open,
            "closed" => Status::Closed,
            _ => Status::Draft,
        }
    }
}

/// Where a response comes from: the open questionnaire, or the polling firm's panel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Source {
    Online,
    Panel,
}

impl Source {
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Online => "online",
            Source::Panel => "panel",
        }
    }

    pub fn parse(s: &str) -> Source {
        if s == "panel" {
            Source::Panel
        } else {
            Source::Online
        }
    }
}
