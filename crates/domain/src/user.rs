//! People: roles, languages and the optional profile fields a participant may declare.

use serde::{Deserialize, Serialize};

/// A role granted by an administrator on top of being a participant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Admin,
    Moderator,
    Analyst,
    Facilitator,
    Guarantor,
    Jury,
}

impl Role {
    pub const ALL: [Role; 6] = [
        Role::Admin,
        Role::Moderator,
        Role::Analyst,
        Role::Facilitator,
        Role::Guarantor,
        Role::Jury,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Moderator => "moderator",
            Role::Analyst => "analyst",
            Role::Facilitator => "facilitator",
            Role::Guarantor => "guarantor",
            Role::Jury => "jury",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

impl std::fmt::Display for Role {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Interface languages: French first, English second.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    Fr,
    En,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::Fr, Lang::En];

    pub fn code(self) -> &'static str {
        match self {
            Lang::Fr => "fr",
            Lang::En => "en",
        }
    }

    pub fn parse(s: &str) -> Option<Lang> {
        match s.trim().to_ascii_lowercase().as_str() {
            "fr" => Some(Lang::Fr),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// Picks the first supported language of an `Accept-Language` header, honouring q-values.
    pub fn from_accept_language(header: &str) -> Option<Lang> {
        let mut best: Option<(f32, Lang)> = None;
        for part in header.split(',') {
            let mut pieces = part.trim().split(';');
            let tag = pieces.next().unwrap_or("").trim();
            let q = pieces
                .find_map(|p| p.trim().strip_prefix("q="))
                .and_then(|q| q.parse::<f32>().ok())
                .unwrap_or(1.0);
            let primary = tag.split('-').next().unwrap_or("");
            if let Some(lang) = Lang::parse(primary)
                && q > 0.0
                && best.is_none_or(|(bq, _)| q > bq)
            {
                best = Some((q, lang));
            }
        }
        best.map(|(_, l)| l)
    }
}

/// Optional age bracket on a profile: coarse on purpose (data minimisation).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum AgeBracket {
    Under18,
    From18To24,
    From25To34,
    From35To49,
    From50To64,
    From65To79,
    Over80,
}

impl AgeBracket {
    pub const ALL: [AgeBracket; 7] = [
        AgeBracket::Under18,
        AgeBracket::From18To24,
        AgeBracket::From25To34,
        AgeBracket::From35To49,
        AgeBracket::From50To64,
        AgeBracket::From65To79,
        AgeBracket::Over80,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AgeBracket::Under18 => "under-18",
            AgeBracket::From18To24 => "18-24",
            AgeBracket::From25To34 => "25-34",
            AgeBracket::From35To49 => "35-49",
            AgeBracket::From50To64 => "50-64",
            AgeBracket::From65To79 => "65-79",
            AgeBracket::Over80 => "80-plus",
        }
    }

    pub fn parse(s: &str) -> Option<AgeBracket> {
        AgeBracket::ALL.into_iter().find(|a| a.as_str() == s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_language_honours_q_values() {
        assert_eq!(
            Lang::from_accept_language("en-GB,en;q=0.9,fr;q=0.8"),
            Some(Lang::En)
        );
        assert_eq!(
            Lang::from_accept_language("de,fr;q=0.5,en;q=0.4"),
            Some(Lang::Fr)
        );
        assert_eq!(Lang::from_accept_language("de, it"), None);
        assert_eq!(
            Lang::from_accept_language("fr;q=0,en;q=0.1"),
            Some(Lang::En)
        );
        assert_eq!(Lang::from_accept_language(""), None);
    }

    #[test]
    fn roles_round_trip() {
        for r in Role::ALL {
            assert_eq!(Role::parse(r.as_str()), Some(r));
        }
        assert_eq!(Role::parse("root"), None);
    }
}
