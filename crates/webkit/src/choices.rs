//! Options of the select menus that many pages share: a debate's questions, the instance's
//! participant categories and quartiers, channels, kinds of contribution.

use crate::error::AppResult;
use crate::i18n::Tr;
use crate::state::AppState;
use domain::{Channel, Lang};

pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

impl Choice {
    pub fn new(value: impl ToString, label: String, current: &str) -> Choice {
        let value = value.to_string();
        Choice {
            selected: value == current,
            value,
            label,
        }
    }
}

pub async fn questions(state: &AppState, debate_id: i64, current: &str) -> AppResult<Vec<Choice>> {
    Ok(state
        .store
        .questions(debate_id)
        .await?
        .into_iter()
        .map(|q| Choice::new(q.id, q.text, current))
        .collect())
}

/// Categories in the visitor's language when an English name was given.
pub async fn categories(state: &AppState, tr: &Tr, current: &str) -> AppResult<Vec<Choice>> {
    Ok(state
        .store
        .categories()
        .await?
        .into_iter()
        .map(|c| {
            let label = if tr.lang == Lang::En && !c.name_en.is_empty() {
                c.name_en
            } else {
                c.name
            };
            Choice::new(c.id, label, current)
        })
        .collect())
}

pub async fn quartiers(state: &AppState, current: &str) -> AppResult<Vec<Choice>> {
    Ok(state
        .store
        .quartiers()
        .await?
        .into_iter()
        .map(|q| Choice::new(q.id, q.name, current))
        .collect())
}

pub fn channels(tr: &Tr, list: &[Channel], current: &str) -> Vec<Choice> {
    list.iter()
        .map(|c| {
            Choice::new(
                c.as_str(),
                tr.t(&format!("channel-{}", c.as_str())),
                current,
            )
        })
        .collect()
}

pub fn kinds(tr: &Tr, current: &str) -> Vec<Choice> {
    ["individual", "collective"]
        .iter()
        .map(|k| Choice::new(k, tr.t(&format!("kind-{k}")), current))
        .collect()
}
