//! Forms whose fields repeat or are only known at run time.

/// A form whose field names are only known at run time (row editors): `name → value`.
pub struct FormMap(pub Vec<(String, String)>);

impl FormMap {
    pub fn get(&self, key: &str) -> &str {
        self.0
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
            .unwrap_or("")
    }

    pub fn has(&self, key: &str) -> bool {
        self.0.iter().any(|(k, _)| k == key)
    }

    pub fn all(&self, key: &str) -> Vec<&str> {
        self.0
            .iter()
            .filter(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
            .collect()
    }
}

/// A moderator's decision as the forms send it (from a contribution's page or the queue).
#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct ModerationForm {
    pub kind: String,
    pub id: String,
    /// hide, restore, keep
    pub decision: String,
    /// One of `domain::MODERATION_PRESETS`, or empty.
    pub preset: String,
    /// The moderator's own words (enough alone, or added to the preset).
    pub reason: String,
    /// Where to go back: the contribution (default) or the queue.
    pub back: String,
}

impl ModerationForm {
    /// The reason as the author will read it: the chosen preset, then the moderator's words.
    pub fn reason_text(&self, tr: &crate::i18n::Tr) -> String {
        let own = self.reason.trim();
        match domain::MODERATION_PRESETS
            .iter()
            .find(|p| **p == self.preset)
        {
            Some(p) => {
                let label = tr.t(&format!("moderation-preset-{p}"));
                if own.is_empty() {
                    label
                } else {
                    format!("{label} — {own}")
                }
            }
            None => own.to_string(),
        }
    }
}
