//! A respondent's answers, read from a page's form and checked against the questions it shows.
//!
//! Form fields: `q.CODE` for a question (repeated for a multiple choice), `q.CODE.ROW` for a
//! matrix row, `q.CODE.OPTION` (a rank, 1 = first) for a ranking. Errors are keyed the same way
//! as the question (`q.CODE`), so that the page puts each next to its question.

use crate::definition::{Definition, Kind, Question};
use domain::validate::FieldErrors;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

pub const MAX_SHORT_TEXT: usize = 300;
pub const MAX_LONG_TEXT: usize = 5000;

/// One answer. What it means depends on the question's kind: a code (single choice), codes
/// (multiple choice; a ranking, in order), a number (scale, number), a text, or a code per row
/// (matrix).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Value {
    Number(f64),
    Str(String),
    List(Vec<String>),
    Map(BTreeMap<String, String>),
}

impl Value {
    /// Whether the answer holds `code` (a condition's test).
    pub fn holds(&self, code: &str) -> bool {
        match self {
            Value::Str(s) => s == code,
            Value::List(l) => l.iter().any(|c| c == code),
            Value::Number(n) => code.parse::<f64>().is_ok_and(|c| c == *n),
            Value::Map(_) => false,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_number(&self) -> Option<f64> {
        match self {
            Value::Number(n) => Some(*n),
            _ => None,
        }
    }

    pub fn as_list(&self) -> &[String] {
        match self {
            Value::List(l) => l,
            _ => &[],
        }
    }
}

pub type Answers = BTreeMap<String, Value>;

pub fn field(q: &Question) -> String {
    format!("q.{}", q.code)
}

pub fn item_field(q: &Question, item: &str) -> String {
    format!("q.{}.{}", q.code, item)
}

/// Whether the question is shown, given the answers so far: all its conditions hold.
pub fn visible(q: &Question, answers: &Answers) -> bool {
    q.conditions.iter().all(|c| {
        answers
            .get(&c.question)
            .is_some_and(|v| c.any_of.iter().any(|code| v.holds(code)))
    })
}

/// Whether a section shows at least one question.
pub fn section_shown(def: &Definition, section: usize, answers: &Answers) -> bool {
    def.sections
        .get(section)
        .is_some_and(|s| s.questions.iter().any(|q| visible(q, answers)))
}

/// The first section after `after` (or the first of all, for `None`) that shows a question.
pub fn next_page(def: &Definition, after: Option<usize>, answers: &Answers) -> Option<usize> {
    let start = after.map(|a| a + 1).unwrap_or(0);
    (start..def.sections.len()).find(|&s| section_shown(def, s, answers))
}

/// The section before `page` that shows a question.
pub fn previous_page(def: &Definition, page: usize, answers: &Answers) -> Option<usize> {
    (0..page).rev().find(|&s| section_shown(def, s, answers))
}

/// (this page's number, pages shown in all), both counted over the sections that show a
/// question given the answers so far — a progress indicator that does not lie.
pub fn progress(def: &Definition, page: usize, answers: &Answers) -> (usize, usize) {
    let shown: Vec<usize> = (0..def.sections.len())
        .filter(|&s| section_shown(def, s, answers))
        .collect();
    let at = shown.iter().position(|&s| s == page).map(|p| p + 1);
    (at.unwrap_or(1), shown.len().max(1))
}

/// Drops the answers to questions that are no longer shown (an earlier answer changed).
pub fn prune(def: &Definition, answers: &mut Answers) {
    // In order: a question hidden now hides those that depend on it.
    for q in def.questions() {
        if !visible(q, answers) {
            answers.remove(&q.code);
        }
    }
    answers.retain(|code, _| def.question(code).is_some());
}

/// The first shown mandatory question left unanswered, with its section.
pub fn first_missing<'d>(def: &'d Definition, answers: &Answers) -> Option<(usize, &'d Question)> {
    def.sections.iter().enumerate().find_map(|(s, sec)| {
        sec.questions
            .iter()
            .find(|q| q.mandatory && visible(q, answers) && !answers.contains_key(&q.code))
            .map(|q| (s, q))
    })
}

fn clean_text(s: &str) -> String {
    domain::validate::strip_invisible(s).trim().to_string()
}

/// A number as people type it: `12`, `12,5`, `12.5`, `1 200`.
pub fn parse_number(s: &str) -> Option<f64> {
    let t: String = s
        .trim()
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{202f}')
        .map(|c| if c == ',' { '.' } else { c })
        .collect();
    t.parse::<f64>().ok().filter(|n| n.is_finite())
}

/// One question's answer from its form values; `Ok(None)` when left empty.
pub fn read_question(
    q: &Question,
    values: &dyn Fn(&str) -> Vec<String>,
) -> Result<Option<Value>, (&'static str, Option<i64>)> {
    let one = || {
        values(&field(q))
            .into_iter()
            .map(|v| v.trim().to_string())
            .find(|v| !v.is_empty())
    };
    match q.kind {
        Kind::Single => match one() {
            None => Ok(None),
            Some(v) => q
                .option(&v)
                .map(|o| Some(Value::Str(o.code.clone())))
                .ok_or(("survey-error-choice-unknown", None)),
        },
        Kind::Multiple => {
            let mut codes: Vec<String> = Vec::new();
            for v in values(&field(q)) {
                let v = v.trim();
                if v.is_empty() {
                    continue;
                }
                if q.option(v).is_none() {
                    return Err(("survey-error-choice-unknown", None));
                }
                if !codes.iter().any(|c| c == v) {
                    codes.push(v.to_string());
                }
            }
            if let Some(max) = q.max_choices
                && codes.len() > max as usize
            {
                return Err(("survey-error-max-choices-exceeded", Some(max as i64)));
            }
            // In the options' order, whatever the order of the form.
            codes.sort_by_key(|c| q.options.iter().position(|o| &o.code == c));
            Ok((!codes.is_empty()).then_some(Value::List(codes)))
        }
        Kind::Scale | Kind::Number => match one() {
            None => Ok(None),
            Some(v) => {
                let Some(n) = parse_number(&v) else {
                    return Err(("survey-error-not-a-number", None));
                };
                if q.kind == Kind::Scale && n.fract() != 0.0 {
                    return Err(("survey-error-out-of-range", None));
                }
                if q.min.is_some_and(|lo| n < lo) || q.max.is_some_and(|hi| n > hi) {
                    return Err(("survey-error-out-of-range", None));
                }
                Ok(Some(Value::Number(n)))
            }
        },
        Kind::ShortText | Kind::LongText => {
            let text = one().map(|v| clean_text(&v)).unwrap_or_default();
            let max = if q.kind == Kind::ShortText {
                MAX_SHORT_TEXT
            } else {
                MAX_LONG_TEXT
            };
            if text.chars().count() > max {
                return Err(("survey-error-text-too-long", Some(max as i64)));
            }
            Ok((!text.is_empty()).then_some(Value::Str(text)))
        }
        Kind::Matrix => {
            let mut map = BTreeMap::new();
            for row in &q.rows {
                let v = values(&item_field(q, &row.code))
                    .into_iter()
                    .map(|v| v.trim().to_string())
                    .find(|v| !v.is_empty());
                if let Some(v) = v {
                    if q.option(&v).is_none() {
                        return Err(("survey-error-choice-unknown", None));
                    }
                    map.insert(row.code.clone(), v);
                }
            }
            if q.mandatory && !map.is_empty() && map.len() < q.rows.len() {
                return Err(("survey-error-matrix-incomplete", None));
            }
            Ok((!map.is_empty()).then_some(Value::Map(map)))
        }
        Kind::Ranking => {
            let mut ranked: Vec<(i64, String)> = Vec::new();
            for o in &q.options {
                let v = values(&item_field(q, &o.code))
                    .into_iter()
                    .map(|v| v.trim().to_string())
                    .find(|v| !v.is_empty());
                if let Some(v) = v {
                    match v.parse::<i64>() {
                        Ok(r) if r >= 1 && r as usize <= q.options.len() => {
                            ranked.push((r, o.code.clone()))
                        }
                        _ => return Err(("survey-error-ranking-order", None)),
                    }
                }
            }
            ranked.sort();
            // Ranks 1, 2, … k, each once.
            if ranked
                .iter()
                .enumerate()
                .any(|(i, (r, _))| *r != i as i64 + 1)
            {
                return Err(("survey-error-ranking-order", None));
            }
            if q.mandatory && !ranked.is_empty() && ranked.len() < q.options.len() {
                return Err(("survey-error-ranking-incomplete", None));
            }
            Ok((!ranked.is_empty())
                .then_some(Value::List(ranked.into_iter().map(|(_, c)| c).collect())))
        }
    }
}

/// Reads the shown questions of `section` from a form into `answers` (replacing what they held
/// for this section). With `strict`, a shown mandatory question left empty is an error (going
/// on); without, only malformed answers are (saving to resume later). On error, the answers
/// that were valid are still taken, so that nothing typed is lost.
pub fn read_section(
    def: &Definition,
    section: usize,
    form: &[(String, String)],
    answers: &mut Answers,
    strict: bool,
) -> FieldErrors {
    let mut errors = FieldErrors::default();
    let Some(sec) = def.sections.get(section) else {
        return errors;
    };
    let values = |name: &str| -> Vec<String> {
        form.iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .collect()
    };
    for q in &sec.questions {
        if !visible(q, answers) {
            answers.remove(&q.code);
            continue;
        }
        match read_question(q, &values) {
            Ok(Some(v)) => {
                answers.insert(q.code.clone(), v);
            }
            Ok(None) => {
                answers.remove(&q.code);
                if strict && q.mandatory {
                    errors.add(field(q), "survey-error-mandatory");
                }
            }
            Err((key, n)) => match n {
                Some(n) => errors.add_n(field(q), key, n),
                None => errors.add(field(q), key),
            },
        }
    }
    prune(def, answers);
    errors
}

/// Checks answers that did not come from a form (the API, a panel): every answer matches its
/// question, hidden questions hold nothing, mandatory shown ones are answered. Returns the
/// problems as (question code, message key).
pub fn check(def: &Definition, answers: &Answers) -> Vec<(String, &'static str)> {
    let mut problems = Vec::new();
    for code in answers.keys() {
        if def.question(code).is_none() {
            problems.push((code.clone(), "survey-error-unknown-question"));
        }
    }
    for q in def.questions() {
        let Some(v) = answers.get(&q.code) else {
            if q.mandatory && visible(q, answers) {
                problems.push((q.code.clone(), "survey-error-mandatory"));
            }
            continue;
        };
        if !visible(q, answers) {
            problems.push((q.code.clone(), "survey-error-hidden-question"));
            continue;
        }
        // The same rules as a form: write the value as the form would send it.
        let form = to_form(q, v);
        let values = |name: &str| -> Vec<String> {
            form.iter()
                .filter(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
                .collect()
        };
        match read_question(q, &values) {
            Ok(Some(parsed)) if parsed == *v || same_number(&parsed, v) => {}
            Ok(_) => problems.push((q.code.clone(), "survey-error-malformed-answer")),
            Err((key, _)) => problems.push((q.code.clone(), key)),
        }
    }
    problems
}

fn same_number(a: &Value, b: &Value) -> bool {
    matches!((a, b), (Value::Number(x), Value::Number(y)) if x == y)
}

/// The form values that give this answer (to fill a page again, to check an answer).
pub fn to_form(q: &Question, v: &Value) -> Vec<(String, String)> {
    match (q.kind, v) {
        (Kind::Matrix, Value::Map(m)) => m
            .iter()
            .map(|(row, c)| (item_field(q, row), c.clone()))
            .collect(),
        (Kind::Ranking, Value::List(l)) => l
            .iter()
            .enumerate()
            .map(|(i, c)| (item_field(q, c), (i + 1).to_string()))
            .collect(),
        (_, Value::List(l)) => l.iter().map(|c| (field(q), c.clone())).collect(),
        (_, Value::Str(s)) => vec![(field(q), s.clone())],
        (_, Value::Number(n)) => vec![(field(q), format_number(*n))],
        (_, Value::Map(_)) => vec![],
    }
}

pub fn format_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::definition::{Choice, Condition, Section, Text};

    fn q(code: &str, kind: Kind, options: &[&str]) -> Question {
        Question {
            code: code.into(),
            kind,
            label: Text::new(code, ""),
            help: Text::default(),
            mandatory: false,
            options: options
                .iter()
                .map(|o| Choice {
                    code: o.to_string(),
                    label: Text::new(&o.to_uppercase(), ""),
                })
                .collect(),
            rows: vec![],
            max_choices: None,
            min: None,
            max: None,
            conditions: vec![],
        }
    }

    fn form(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn def() -> Definition {
        let mut aide = q("aide", Kind::Single, &["oui", "non"]);
        aide.mandatory = true;
        let mut formes = q("formes", Kind::Multiple, &["argent", "temps", "objets"]);
        formes.max_choices = Some(2);
        formes.conditions = vec![Condition {
            question: "aide".into(),
            any_of: vec!["oui".into()],
        }];
        formes.mandatory = true;
        let mut note = q("note", Kind::Scale, &[]);
        note.min = Some(0.0);
        note.max = Some(10.0);
        let mut m = q("m", Kind::Matrix, &["1", "2", "3"]);
        m.rows = vec![
            Choice {
                code: "a".into(),
                label: Text::new("A", ""),
            },
            Choice {
                code: "b".into(),
                label: Text::new("B", ""),
            },
        ];
        m.mandatory = true;
        let rank = q("rang", Kind::Ranking, &["x", "y", "z"]);
        Definition {
            sections: vec![
                Section {
                    title: Text::new("Un", ""),
                    intro: Text::default(),
                    questions: vec![aide],
                },
                Section {
                    title: Text::new("Deux", ""),
                    intro: Text::default(),
                    questions: vec![formes],
                },
                Section {
                    title: Text::new("Trois", ""),
                    intro: Text::default(),
                    questions: vec![note, m, rank, q("dire", Kind::LongText, &[])],
                },
            ],
        }
    }

    #[test]
    fn the_definition_of_the_tests_is_valid() {
        assert_eq!(def().validate(), Ok(()));
    }

    #[test]
    fn a_page_skipped_by_its_conditions_is_not_shown_nor_counted() {
        let d = def();
        let mut a = Answers::new();
        let e = read_section(&d, 0, &form(&[("q.aide", "non")]), &mut a, true);
        assert!(e.is_empty());
        assert_eq!(next_page(&d, Some(0), &a), Some(2));
        assert_eq!(progress(&d, 2, &a), (2, 2));
        let e = read_section(&d, 0, &form(&[("q.aide", "oui")]), &mut a, true);
        assert!(e.is_empty());
        assert_eq!(next_page(&d, Some(0), &a), Some(1));
        assert_eq!(progress(&d, 1, &a), (2, 3));
        assert_eq!(previous_page(&d, 2, &a), Some(1));
    }

    #[test]
    fn mandatory_questions_are_required_only_when_going_on() {
        let d = def();
        let mut a = Answers::new();
        let e = read_section(&d, 0, &[], &mut a, true);
        assert_eq!(e.get("q.aide"), Some("survey-error-mandatory"));
        let e = read_section(&d, 0, &[], &mut a, false);
        assert!(e.is_empty());
        assert_eq!(
            first_missing(&d, &a).map(|(s, q)| (s, q.code.as_str())),
            Some((0, "aide"))
        );
    }

    #[test]
    fn multiple_choices_respect_their_maximum_and_their_options() {
        let d = def();
        let mut a = Answers::new();
        read_section(&d, 0, &form(&[("q.aide", "oui")]), &mut a, true);
        let e = read_section(
            &d,
            1,
            &form(&[
                ("q.formes", "argent"),
                ("q.formes", "temps"),
                ("q.formes", "objets"),
            ]),
            &mut a,
            true,
        );
        assert_eq!(e.get("q.formes"), Some("survey-error-max-choices-exceeded"));
        assert_eq!(e.0[0].n, Some(2));
        let e = read_section(&d, 1, &form(&[("q.formes", "voiture")]), &mut a, true);
        assert_eq!(e.get("q.formes"), Some("survey-error-choice-unknown"));
        let e = read_section(
            &d,
            1,
            &form(&[
                ("q.formes", "temps"),
                ("q.formes", "argent"),
                ("q.formes", "temps"),
            ]),
            &mut a,
            true,
        );
        assert!(e.is_empty());
        assert_eq!(
            a["formes"],
            Value::List(vec!["argent".into(), "temps".into()])
        );
        // Changing the first answer drops what it no longer shows.
        read_section(&d, 0, &form(&[("q.aide", "non")]), &mut a, true);
        assert!(!a.contains_key("formes"));
    }

    #[test]
    fn scales_matrices_and_rankings_are_checked() {
        let d = def();
        let mut a = Answers::new();
        let e = read_section(
            &d,
            2,
            &form(&[
                ("q.note", "11"),
                ("q.m.a", "1"),
                ("q.rang.x", "2"),
                ("q.rang.y", "2"),
            ]),
            &mut a,
            true,
        );
        assert_eq!(e.get("q.note"), Some("survey-error-out-of-range"));
        assert_eq!(e.get("q.m"), Some("survey-error-matrix-incomplete"));
        assert_eq!(e.get("q.rang"), Some("survey-error-ranking-order"));
        let e = read_section(
            &d,
            2,
            &form(&[
                ("q.note", " 7 "),
                ("q.m.a", "1"),
                ("q.m.b", "3"),
                ("q.rang.z", "1"),
                ("q.rang.x", "2"),
                ("q.dire", "Plus de bancs\u{200b} "),
            ]),
            &mut a,
            true,
        );
        assert!(e.is_empty(), "{e:?}");
        assert_eq!(a["note"], Value::Number(7.0));
        assert_eq!(a["rang"], Value::List(vec!["z".into(), "x".into()]));
        assert_eq!(a["dire"], Value::Str("Plus de bancs".into()));
        let e = read_section(&d, 2, &form(&[("q.note", "sept")]), &mut a, true);
        assert_eq!(e.get("q.note"), Some("survey-error-not-a-number"));
    }

    #[test]
    fn answers_from_elsewhere_are_checked_with_the_same_rules() {
        let d = def();
        let mut a = Answers::new();
        a.insert("aide".into(), Value::Str("non".into()));
        a.insert("formes".into(), Value::List(vec!["argent".into()]));
        a.insert("note".into(), Value::Number(4.0));
        a.insert("zzz".into(), Value::Str("?".into()));
        let p = check(&d, &a);
        assert!(p.contains(&("formes".into(), "survey-error-hidden-question")));
        assert!(p.contains(&("zzz".into(), "survey-error-unknown-question")));
        a.remove("formes");
        a.remove("zzz");
        a.insert(
            "m".into(),
            Value::Map([("a".into(), "1".into()), ("b".into(), "2".into())].into()),
        );
        a.insert("note".into(), Value::Number(4.5));
        assert_eq!(
            check(&d, &a),
            vec![("note".into(), "survey-error-out-of-range")]
        );
        a.insert("note".into(), Value::Number(4.0));
        assert!(check(&d, &a).is_empty());
        // The stored form survives a round trip through JSON.
        let json = serde_json::to_string(&a).unwrap();
        let back: Answers = serde_json::from_str(&json).unwrap();
        assert_eq!(back, a);
    }

    #[test]
    fn numbers_are_read_as_people_type_them() {
        assert_eq!(parse_number("1 200,5"), Some(1200.5));
        assert_eq!(parse_number("12.5"), Some(12.5));
        assert_eq!(parse_number("NaN"), None);
        assert_eq!(parse_number("inf"), None);
    }
}
