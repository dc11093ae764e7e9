//! A questionnaire: sections of questions, each with a stable code that answers, exports and the
//! panel's columns refer to. Wording is in French and, optionally, English (an empty English text
//! falls back to the French one).
//!
//! Display conditions: a question with conditions is shown only when **all** of them hold; a
//! condition holds when the answer to an earlier question is one of the listed codes (for a
//! multiple choice: contains one of them; for a scale or a number: equals one of them). A
//! question hidden by its conditions is neither asked, nor required, nor kept.

use domain::validate::FieldErrors;
use serde::{Deserialize, Serialize};

/// French wording, and English where it was written.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Text {
    pub fr: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub en: String,
}

impl Text {
    pub fn new(fr: &str, en: &str) -> Text {
        Text {
            fr: fr.trim().to_string(),
            en: en.trim().to_string(),
        }
    }

    /// The wording in `lang` ("en" or anything else for French), French when not translated.
    pub fn get(&self, lang: &str) -> &str {
        if lang == "en" && !self.en.is_empty() {
            &self.en
        } else {
            &self.fr
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Single,
    Multiple,
    Scale,
    Number,
    ShortText,
    LongText,
    /// Rows, each answered with one of the options (columns).
    Matrix,
    /// The options put in order (1 = first).
    Ranking,
}

impl Kind {
    pub const ALL: [Kind; 8] = [
        Kind::Single,
        Kind::Multiple,
        Kind::Scale,
        Kind::Number,
        Kind::ShortText,
        Kind::LongText,
        Kind::Matrix,
        Kind::Ranking,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Single => "single",
            Kind::Multiple => "multiple",
            Kind::Scale => "scale",
            Kind::Number => "number",
            Kind::ShortText => "short_text",
            Kind::LongText => "long_text",
            Kind::Matrix => "matrix",
            Kind::Ranking => "ranking",
        }
    }

    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == s.trim())
    }

    /// Whether the question is answered by choosing among its options.
    pub fn has_options(self) -> bool {
        matches!(
            self,
            Kind::Single | Kind::Multiple | Kind::Matrix | Kind::Ranking
        )
    }

    /// Whether the answers are free text (never charted, never weighted).
    pub fn is_text(self) -> bool {
        matches!(self, Kind::ShortText | Kind::LongText)
    }
}

/// An option (or a matrix row): its code and its wording.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Choice {
    pub code: String,
    pub label: Text,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Condition {
    /// The code of an earlier question.
    pub question: String,
    /// The answers that show this question.
    pub any_of: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Question {
    pub code: String,
    pub kind: Kind,
    pub label: Text,
    #[serde(default)]
    pub help: Text,
    #[serde(default)]
    pub mandatory: bool,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<Choice>,
    /// The rows of a matrix.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rows: Vec<Choice>,
    /// At most this many options of a multiple choice.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_choices: Option<u32>,
    /// The bounds of a scale (1–5, 0–10) or of a number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<f64>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub conditions: Vec<Condition>,
}

impl Question {
    pub fn option(&self, code: &str) -> Option<&Choice> {
        self.options.iter().find(|o| o.code == code)
    }

    /// The code of the option whose code or wording (either language, ignoring case and
    /// accents' absence is not attempted) is `s`.
    pub fn option_code(&self, s: &str) -> Option<&str> {
        let s = s.trim();
        let key = s.to_lowercase();
        self.options
            .iter()
            .find(|o| o.code == s)
            .or_else(|| {
                self.options.iter().find(|o| {
                    o.code.to_lowercase() == key
                        || o.label.fr.to_lowercase() == key
                        || (!o.label.en.is_empty() && o.label.en.to_lowercase() == key)
                })
            })
            .map(|o| o.code.as_str())
    }

    /// A scale's points, in order.
    pub fn scale_points(&self) -> Vec<i64> {
        match (self.kind, self.min, self.max) {
            (Kind::Scale, Some(lo), Some(hi)) if lo <= hi => (lo as i64..=hi as i64).collect(),
            _ => Vec::new(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Section {
    pub title: Text,
    #[serde(default)]
    pub intro: Text,
    pub questions: Vec<Question>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Definition {
    pub sections: Vec<Section>,
}

pub const MAX_QUESTIONS: usize = 200;
pub const MAX_OPTIONS: usize = 60;
pub const MAX_CODE: usize = 32;
pub const MAX_LABEL: usize = 500;

/// A question's or an option's code: letters, digits, `_` and `-`, starting with a letter or a
/// digit, at most 32 characters — what a polling firm's column or cell can hold.
pub fn code(s: &str) -> Result<String, &'static str> {
    let s = s.trim();
    if s.is_empty() {
        return Err("survey-error-code-required");
    }
    if s.chars().count() > MAX_CODE
        || !s.chars().next().is_some_and(|c| c.is_ascii_alphanumeric())
        || !s
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    {
        return Err("survey-error-code-format");
    }
    Ok(s.to_string())
}

/// Options as typed in the builder, one per line: `code | libellé | English label`; a line
/// with only a label gets its position as code (`1`, `2`, …).
pub fn parse_choices(text: &str) -> Result<Vec<Choice>, &'static str> {
    let mut out: Vec<Choice> = Vec::new();
    for (i, line) in text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .enumerate()
    {
        let parts: Vec<&str> = line.split('|').map(str::trim).collect();
        let (c, fr, en) = match parts.as_slice() {
            [fr] => ((i + 1).to_string(), *fr, ""),
            [c, fr] => (c.to_string(), *fr, ""),
            [c, fr, en] => (c.to_string(), *fr, *en),
            _ => return Err("survey-error-choice-line"),
        };
        let c = code(&c).map_err(|_| "survey-error-choice-code")?;
        if fr.is_empty() {
            return Err("survey-error-choice-label");
        }
        if fr.chars().count() > MAX_LABEL || en.chars().count() > MAX_LABEL {
            return Err("survey-error-too-long");
        }
        if out.iter().any(|o| o.code == c) {
            return Err("survey-error-choice-duplicate");
        }
        out.push(Choice {
            code: c,
            label: Text::new(fr, en),
        });
    }
    if out.len() > MAX_OPTIONS {
        return Err("survey-error-too-many-choices");
    }
    Ok(out)
}

/// The builder's text of options (the inverse of [`parse_choices`]).
pub fn choices_text(choices: &[Choice]) -> String {
    choices
        .iter()
        .map(|c| {
            if c.label.en.is_empty() {
                format!("{} | {}", c.code, c.label.fr)
            } else {
                format!("{} | {} | {}", c.code, c.label.fr, c.label.en)
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Conditions as typed in the builder, one per line: `question = code, code` (all lines must
/// hold).
pub fn parse_conditions(text: &str) -> Result<Vec<Condition>, &'static str> {
    let mut out = Vec::new();
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let Some((q, values)) = line.split_once('=') else {
            return Err("survey-error-condition-line");
        };
        let q = code(q).map_err(|_| "survey-error-condition-line")?;
        let any_of: Vec<String> = values
            .split(',')
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_string)
            .collect();
        if any_of.is_empty() {
            return Err("survey-error-condition-line");
        }
        out.push(Condition {
            question: q,
            any_of,
        });
    }
    Ok(out)
}

pub fn conditions_text(conditions: &[Condition]) -> String {
    conditions
        .iter()
        .map(|c| format!("{} = {}", c.question, c.any_of.join(", ")))
        .collect::<Vec<_>>()
        .join("\n")
}

impl Definition {
    pub fn questions(&self) -> impl Iterator<Item = &Question> {
        self.sections.iter().flat_map(|s| s.questions.iter())
    }

    pub fn question(&self, code: &str) -> Option<&Question> {
        self.questions().find(|q| q.code == code)
    }

    /// The section and position of a question.
    pub fn position(&self, code: &str) -> Option<(usize, usize)> {
        self.sections.iter().enumerate().find_map(|(s, sec)| {
            sec.questions
                .iter()
                .position(|q| q.code == code)
                .map(|i| (s, i))
        })
    }

    /// Checks one question in its place (`before`: the questions of earlier sections). Errors
    /// are keyed by the builder's fields (`code`, `label_fr`, `options`, `rows`, `min`, `max`,
    /// `max_choices`, `conditions`).
    pub fn check_question(q: &Question, before: &[&Question], others: &[&Question]) -> FieldErrors {
        let mut e = FieldErrors::default();
        if let Err(k) = code(&q.code) {
            e.add("code", k);
        } else if others.iter().any(|o| o.code == q.code) {
            e.add("code", "survey-error-code-taken");
        }
        if q.label.fr.trim().is_empty() {
            e.add("label_fr", "survey-error-label-required");
        } else if q.label.fr.chars().count() > MAX_LABEL || q.label.en.chars().count() > MAX_LABEL {
            e.add("label_fr", "survey-error-too-long");
        }
        if q.help.fr.chars().count() > 2000 || q.help.en.chars().count() > 2000 {
            e.add("help_fr", "survey-error-too-long");
        }
        if q.kind.has_options() && q.options.len() < 2 {
            e.add("options", "survey-error-options-required");
        }
        if !q.kind.has_options() && !q.options.is_empty() {
            e.add("options", "survey-error-options-unused");
        }
        if q.kind == Kind::Matrix && q.rows.is_empty() {
            e.add("rows", "survey-error-rows-required");
        }
        if q.kind != Kind::Matrix && !q.rows.is_empty() {
            e.add("rows", "survey-error-rows-unused");
        }
        match q.kind {
            Kind::Scale => match (q.min, q.max) {
                (Some(lo), Some(hi))
                    if lo.fract() == 0.0 && hi.fract() == 0.0 && lo < hi && hi - lo <= 20.0 => {}
                _ => e.add("max", "survey-error-scale-bounds"),
            },
            Kind::Number => {
                if let (Some(lo), Some(hi)) = (q.min, q.max)
                    && lo > hi
                {
                    e.add("max", "survey-error-number-bounds");
                }
            }
            _ => {}
        }
        if let Some(m) = q.max_choices
            && (q.kind != Kind::Multiple || m == 0 || m as usize > q.options.len().max(1))
        {
            e.add("max_choices", "survey-error-max-choices");
        }
        for c in &q.conditions {
            let Some(target) = before.iter().find(|b| b.code == c.question) else {
                e.add("conditions", "survey-error-condition-unknown");
                break;
            };
            let ok = c.any_of.iter().all(|v| match target.kind {
                Kind::Single | Kind::Multiple => target.option(v).is_some(),
                Kind::Scale | Kind::Number => v.parse::<f64>().is_ok(),
                _ => false,
            });
            if !ok {
                e.add("conditions", "survey-error-condition-value");
                break;
            }
        }
        e
    }

    /// The questions of the sections before `section`: those a condition may refer to (a page
    /// is drawn on the server, so what it shows can only depend on pages already answered).
    pub fn before(&self, section: usize) -> Vec<&Question> {
        self.sections
            .iter()
            .take(section)
            .flat_map(|s| s.questions.iter())
            .collect()
    }

    /// Every question checked in its place; the first problem per question, with its code.
    pub fn validate(&self) -> Result<(), Vec<(String, &'static str)>> {
        let all: Vec<&Question> = self.questions().collect();
        let mut problems = Vec::new();
        if all.len() > MAX_QUESTIONS {
            problems.push((String::new(), "survey-error-too-many-questions"));
        }
        let mut i = 0;
        for (s, sec) in self.sections.iter().enumerate() {
            let before = self.before(s);
            for q in &sec.questions {
                let others: Vec<&Question> = all
                    .iter()
                    .enumerate()
                    .filter(|(j, _)| *j != i)
                    .map(|(_, q)| *q)
                    .collect();
                i += 1;
                let e = Self::check_question(q, &before, &others);
                if let Some(first) = e.0.first() {
                    problems.push((q.code.clone(), first.key));
                }
            }
        }
        for s in &self.sections {
            if s.title.fr.trim().is_empty() {
                problems.push((String::new(), "survey-error-section-title"));
            }
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(problems)
        }
    }
}

/// Whether `new` may replace `old` once answers to `old` exist: the kind stays, and every
/// option and row keeps its code and its wording (new ones may be added at the end). Changing
/// what an answer meant would silently change the results: make a new question instead.
pub fn compatible(old: &Question, new: &Question) -> Result<(), &'static str> {
    if old.kind != new.kind || old.code != new.code {
        return Err("survey-error-answered-kind");
    }
    let kept =
        |a: &[Choice], b: &[Choice]| a.len() <= b.len() && a.iter().zip(b).all(|(x, y)| x == y);
    if !kept(&old.options, &new.options) {
        return Err("survey-error-answered-options");
    }
    if !kept(&old.rows, &new.rows) {
        return Err("survey-error-answered-rows");
    }
    if old.kind == Kind::Scale && (old.min != new.min || old.max != new.max) {
        return Err("survey-error-answered-scale");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    pub fn single(code: &str, options: &[&str]) -> Question {
        Question {
            code: code.into(),
            kind: Kind::Single,
            label: Text::new(&format!("Question {code}"), ""),
            help: Text::default(),
            mandatory: false,
            options: options
                .iter()
                .map(|o| Choice {
                    code: o.to_string(),
                    label: Text::new(&format!("Option {o}"), ""),
                })
                .collect(),
            rows: vec![],
            max_choices: None,
            min: None,
            max: None,
            conditions: vec![],
        }
    }

    #[test]
    fn choices_are_read_from_lines_with_codes_or_positions() {
        let c = parse_choices("oui | Oui | Yes\nnon | Non\n\n  Ne sait pas  ").unwrap();
        assert_eq!(c.len(), 3);
        assert_eq!(c[0].code, "oui");
        assert_eq!(c[0].label.en, "Yes");
        assert_eq!(c[1].label.get("en"), "Non");
        assert_eq!(c[2].code, "3");
        assert_eq!(parse_choices(&choices_text(&c)).unwrap(), c);
        assert_eq!(
            parse_choices("a | A\na | B"),
            Err("survey-error-choice-duplicate")
        );
        assert_eq!(parse_choices("a b | A"), Err("survey-error-choice-code"));
        assert_eq!(parse_choices("a | "), Err("survey-error-choice-label"));
        assert_eq!(parse_choices("a|b|c|d"), Err("survey-error-choice-line"));
    }

    #[test]
    fn conditions_must_name_an_earlier_question_and_its_options() {
        let a = single("a", &["x", "y"]);
        let mut b = single("b", &["1", "2"]);
        b.conditions = parse_conditions("a = x").unwrap();
        assert!(Definition::check_question(&b, &[&a], &[&a]).is_empty());
        // The question shown depends on one that comes later: refused.
        assert_eq!(
            Definition::check_question(&b, &[], &[&a]).get("conditions"),
            Some("survey-error-condition-unknown")
        );
        b.conditions = parse_conditions("a = z").unwrap();
        assert_eq!(
            Definition::check_question(&b, &[&a], &[&a]).get("conditions"),
            Some("survey-error-condition-value")
        );
        assert_eq!(parse_conditions("a x"), Err("survey-error-condition-line"));
        assert_eq!(parse_conditions("a = "), Err("survey-error-condition-line"));
        assert_eq!(
            conditions_text(&parse_conditions("a = x, y\nb=1").unwrap()),
            "a = x, y\nb = 1"
        );
    }

    #[test]
    fn a_definition_with_bad_questions_lists_each() {
        let mut scale = single("note", &[]);
        scale.kind = Kind::Scale;
        scale.min = Some(1.0);
        scale.max = Some(1.0);
        let mut dup = single("a", &["x", "y"]);
        dup.label = Text::new("Encore a", "");
        let d = Definition {
            sections: vec![Section {
                title: Text::new("Vous", ""),
                intro: Text::default(),
                questions: vec![single("a", &["x", "y"]), dup, scale, single("c", &["x"])],
            }],
        };
        let problems = d.validate().unwrap_err();
        assert_eq!(
            problems,
            vec![
                ("a".to_string(), "survey-error-code-taken"),
                ("a".to_string(), "survey-error-code-taken"),
                ("note".to_string(), "survey-error-scale-bounds"),
                ("c".to_string(), "survey-error-options-required"),
            ]
        );
    }

    #[test]
    fn answered_questions_keep_their_options() {
        let old = single("a", &["x", "y"]);
        let mut added = old.clone();
        added.options.push(Choice {
            code: "z".into(),
            label: Text::new("Z", ""),
        });
        assert_eq!(compatible(&old, &added), Ok(()));
        let mut relabelled = old.clone();
        relabelled.options[0].label.fr = "Autre chose".into();
        assert_eq!(
            compatible(&old, &relabelled),
            Err("survey-error-answered-options")
        );
        let mut removed = old.clone();
        removed.options.pop();
        assert_eq!(
            compatible(&old, &removed),
            Err("survey-error-answered-options")
        );
        let mut kind = old.clone();
        kind.kind = Kind::Multiple;
        assert_eq!(compatible(&old, &kind), Err("survey-error-answered-kind"));
        // The question's own wording may be corrected.
        let mut wording = old.clone();
        wording.label.fr = "Question a, mieux dite".into();
        assert_eq!(compatible(&old, &wording), Ok(()));
    }

    #[test]
    fn options_are_found_by_code_or_wording() {
        let mut q = single("a", &["1", "2"]);
        q.options[1].label = Text::new("Plutôt d'accord", "Rather agree");
        assert_eq!(q.option_code("2"), Some("2"));
        assert_eq!(q.option_code(" plutôt d'accord "), Some("2"));
        assert_eq!(q.option_code("Rather agree"), Some("2"));
        assert_eq!(q.option_code("Pas du tout"), None);
    }
}
