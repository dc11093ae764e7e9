//! A polling firm's file read onto the survey's questions.
//!
//! One row per respondent. Columns are matched by header, ignoring case:
//! - the respondent's identifier (`id` unless told otherwise);
//! - a question's code (`aide`) or its French wording; a matrix row as `CODE.ROW`; a ranking's
//!   option as `CODE.OPTION` holding its rank; a multiple choice either in one column (codes or
//!   labels separated by `|`, or by `,`) or one column per option `CODE.OPTION` holding 1/0
//!   (also oui/non, x, yes/no);
//! - every other column is a socio-demographic variable of the respondent's profile (sexe, age,
//!   quartier, …), kept as written, for the weighting and the cross-tabulations.
//!
//! Cells hold an option's code or its wording (either language). A row with a value that
//! matches nothing is rejected with its line and reason; nothing of a file with rejected rows
//! is imported (the caller decides), so that a file is fixed and imported whole.

use crate::answers::{Answers, Value, parse_number, prune};
use crate::definition::{Definition, Kind, Question};
use std::collections::BTreeMap;
use weighting::Table;

/// What a column of the file is.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "role", rename_all = "snake_case")]
pub enum Column {
    Id,
    Question {
        question: String,
    },
    /// A matrix row, a ranking's option or a multiple choice's option.
    Item {
        question: String,
        item: String,
    },
    Profile {
        variable: String,
    },
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Mapping {
    /// One entry per column of the file, in order.
    pub columns: Vec<(String, Column)>,
}

impl Mapping {
    pub fn id_column(&self) -> Option<usize> {
        self.columns.iter().position(|(_, c)| *c == Column::Id)
    }

    /// The questions no column answers.
    pub fn unmapped<'d>(&self, def: &'d Definition) -> Vec<&'d Question> {
        def.questions()
            .filter(|q| {
                !self.columns.iter().any(|(_, c)| match c {
                    Column::Question { question } | Column::Item { question, .. } => {
                        *question == q.code
                    }
                    _ => false,
                })
            })
            .collect()
    }

    pub fn profile_variables(&self) -> Vec<&str> {
        self.columns
            .iter()
            .filter_map(|(_, c)| match c {
                Column::Profile { variable } => Some(variable.as_str()),
                _ => None,
            })
            .collect()
    }
}

fn key(s: &str) -> String {
    s.trim().to_lowercase()
}

/// Decides what each column is (see the module's rules).
pub fn map_columns(def: &Definition, table: &Table, id_column: &str) -> Mapping {
    let id_key = key(if id_column.trim().is_empty() {
        "id"
    } else {
        id_column
    });
    let columns = table
        .headers
        .iter()
        .map(|h| {
            let k = key(h);
            let role = if k == id_key {
                Column::Id
            } else if let Some(q) = def
                .questions()
                .find(|q| key(&q.code) == k || key(&q.label.fr) == k)
            {
                Column::Question {
                    question: q.code.clone(),
                }
            } else if let Some((q, item)) = item_column(def, &k) {
                Column::Item {
                    question: q.code.clone(),
                    item,
                }
            } else {
                Column::Profile {
                    variable: h.trim().to_string(),
                }
            };
            (h.trim().to_string(), role)
        })
        .collect();
    Mapping { columns }
}

/// `CODE.ITEM` or `CODE_ITEM` (codes may hold `_` themselves: every split is tried).
fn item_column<'d>(def: &'d Definition, k: &str) -> Option<(&'d Question, String)> {
    k.char_indices()
        .filter(|(_, c)| *c == '.' || *c == '_')
        .find_map(|(at, _)| {
            let (c, item) = (&k[..at], &k[at + 1..]);
            let q = def.questions().find(|q| key(&q.code) == c)?;
            let items = match q.kind {
                Kind::Matrix => &q.rows,
                Kind::Ranking | Kind::Multiple => &q.options,
                _ => return None,
            };
            let item = items.iter().find(|i| key(&i.code) == item)?;
            Some((q, item.code.clone()))
        })
}

/// One respondent of the panel.
#[derive(Debug, Clone, PartialEq)]
pub struct PanelRow {
    pub line: u64,
    pub reference: String,
    pub answers: Answers,
    pub profile: BTreeMap<String, String>,
}

/// A row refused, with why: `key` is a message (`survey-panel-…`) about `column` and `value`.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Rejected {
    pub line: u64,
    pub column: String,
    pub value: String,
    pub key: &'static str,
}

impl Rejected {
    /// In English, for the command line and logs.
    pub fn english(&self) -> String {
        let what = match self.key {
            "survey-panel-no-id" => "the respondent has no identifier",
            "survey-panel-duplicate-id" => "this identifier is already on an earlier line",
            "survey-panel-unknown-option" => "matches no option of the question",
            "survey-panel-not-a-number" => "is not a number",
            "survey-panel-out-of-range" => "is outside the question's range",
            "survey-panel-bad-rank" => "the ranks must be 1, 2, 3… each once",
            "survey-panel-too-many" => "more options than the question allows",
            "survey-panel-not-a-flag" => "should be 1 or 0 (oui/non)",
            _ => self.key,
        };
        format!(
            "line {}, column {} ({:?}): {}",
            self.line, self.column, self.value, what
        )
    }
}

fn flag(s: &str) -> Option<bool> {
    match key(s).as_str() {
        "1" | "x" | "oui" | "yes" | "vrai" | "true" => Some(true),
        "0" | "" | "non" | "no" | "faux" | "false" => Some(false),
        _ => None,
    }
}

/// Reads every row. Rejected rows are listed, the others returned, in the file's order.
pub fn read_rows(
    def: &Definition,
    table: &Table,
    mapping: &Mapping,
) -> (Vec<PanelRow>, Vec<Rejected>) {
    let mut rows = Vec::with_capacity(table.len());
    let mut rejected = Vec::new();
    let mut seen = std::collections::HashSet::new();
    let id = mapping.id_column();
    for r in 0..table.len() {
        let line = table.lines.get(r).copied().unwrap_or(r as u64 + 2);
        let reference = match id {
            Some(c) => table.cell(r, c).to_string(),
            None => format!("{}", r + 1),
        };
        let reject = |column: &str, value: &str, key: &'static str| Rejected {
            line,
            column: column.to_string(),
            value: value.to_string(),
            key,
        };
        if reference.is_empty() {
            rejected.push(reject("id", "", "survey-panel-no-id"));
            continue;
        }
        if !seen.insert(reference.clone()) {
            rejected.push(reject("id", &reference, "survey-panel-duplicate-id"));
            continue;
        }
        match read_row(def, table, mapping, r) {
            Ok((answers, profile)) => rows.push(PanelRow {
                line,
                reference,
                answers,
                profile,
            }),
            Err((column, value, key)) => rejected.push(reject(&column, &value, key)),
        }
    }
    (rows, rejected)
}

type RowError = (String, String, &'static str);

fn read_row(
    def: &Definition,
    table: &Table,
    mapping: &Mapping,
    r: usize,
) -> Result<(Answers, BTreeMap<String, String>), RowError> {
    let mut answers = Answers::new();
    let mut profile = BTreeMap::new();
    let mut items: BTreeMap<&str, Vec<(&str, &str, &str)>> = BTreeMap::new();
    for (c, (header, role)) in mapping.columns.iter().enumerate() {
        let cell = table.cell(r, c);
        let err = |k: &'static str| (header.clone(), cell.to_string(), k);
        match role {
            Column::Id => {}
            Column::Profile { variable } => {
                profile.insert(variable.clone(), cell.to_string());
            }
            Column::Item { question, item } => {
                items.entry(question.as_str()).or_default().push((
                    item.as_str(),
                    cell,
                    header.as_str(),
                ));
            }
            Column::Question { question } => {
                if cell.is_empty() {
                    continue;
                }
                let Some(q) = def.question(question) else {
                    continue;
                };
                let v = match q.kind {
                    Kind::Single => Value::Str(
                        q.option_code(cell)
                            .ok_or_else(|| err("survey-panel-unknown-option"))?
                            .to_string(),
                    ),
                    Kind::Multiple => {
                        let codes =
                            multiple(q, cell).ok_or_else(|| err("survey-panel-unknown-option"))?;
                        if q.max_choices.is_some_and(|m| codes.len() > m as usize) {
                            return Err(err("survey-panel-too-many"));
                        }
                        Value::List(codes)
                    }
                    Kind::Scale | Kind::Number => {
                        let n =
                            parse_number(cell).ok_or_else(|| err("survey-panel-not-a-number"))?;
                        if q.min.is_some_and(|lo| n < lo)
                            || q.max.is_some_and(|hi| n > hi)
                            || (q.kind == Kind::Scale && n.fract() != 0.0)
                        {
                            return Err(err("survey-panel-out-of-range"));
                        }
                        Value::Number(n)
                    }
                    Kind::ShortText | Kind::LongText => Value::Str(cell.to_string()),
                    Kind::Matrix | Kind::Ranking => continue,
                };
                answers.insert(q.code.clone(), v);
            }
        }
    }
    for (code, cells) in items {
        let Some(q) = def.question(code) else {
            continue;
        };
        match q.kind {
            Kind::Matrix => {
                let mut map = BTreeMap::new();
                for (row, cell, header) in cells {
                    if cell.is_empty() {
                        continue;
                    }
                    let c = q.option_code(cell).ok_or_else(|| {
                        (
                            header.to_string(),
                            cell.to_string(),
                            "survey-panel-unknown-option",
                        )
                    })?;
                    map.insert(row.to_string(), c.to_string());
                }
                if !map.is_empty() {
                    answers.insert(q.code.clone(), Value::Map(map));
                }
            }
            Kind::Ranking => {
                let mut ranked = Vec::new();
                for (option, cell, header) in &cells {
                    if cell.is_empty() {
                        continue;
                    }
                    let rank = cell
                        .parse::<usize>()
                        .ok()
                        .filter(|&n| n >= 1)
                        .ok_or_else(|| {
                            (
                                header.to_string(),
                                cell.to_string(),
                                "survey-panel-bad-rank",
                            )
                        })?;
                    ranked.push((rank, option.to_string()));
                }
                ranked.sort();
                if ranked.iter().enumerate().any(|(i, (r, _))| *r != i + 1) {
                    let header = cells.first().map(|c| c.2).unwrap_or(code);
                    return Err((header.to_string(), String::new(), "survey-panel-bad-rank"));
                }
                if !ranked.is_empty() {
                    answers.insert(
                        q.code.clone(),
                        Value::List(ranked.into_iter().map(|(_, o)| o).collect()),
                    );
                }
            }
            Kind::Multiple => {
                let mut codes = Vec::new();
                for (option, cell, header) in cells {
                    match flag(cell) {
                        Some(true) => codes.push(option.to_string()),
                        Some(false) => {}
                        None => {
                            return Err((
                                header.to_string(),
                                cell.to_string(),
                                "survey-panel-not-a-flag",
                            ));
                        }
                    }
                }
                if q.max_choices.is_some_and(|m| codes.len() > m as usize) {
                    return Err((q.code.clone(), String::new(), "survey-panel-too-many"));
                }
                codes.sort_by_key(|c| q.options.iter().position(|o| &o.code == c));
                if !codes.is_empty() {
                    answers.insert(q.code.clone(), Value::List(codes));
                }
            }
            _ => {}
        }
    }
    // A firm's routing may differ from ours: answers to questions our conditions hide go.
    prune(def, &mut answers);
    Ok((answers, profile))
}

/// A multiple choice's cell: one option (code or wording), or several separated by `|` or `,`.
fn multiple(q: &Question, cell: &str) -> Option<Vec<String>> {
    if let Some(c) = q.option_code(cell) {
        return Some(vec![c.to_string()]);
    }
    let sep = if cell.contains('|') { '|' } else { ',' };
    let mut codes: Vec<String> = Vec::new();
    for part in cell.split(sep).map(str::trim).filter(|p| !p.is_empty()) {
        let c = q.option_code(part)?.to_string();
        if !codes.contains(&c) {
            codes.push(c);
        }
    }
    codes.sort_by_key(|c| q.options.iter().position(|o| &o.code == c));
    (!codes.is_empty()).then_some(codes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::definition::{Choice, Section, Text};

    fn choice(code: &str, fr: &str) -> Choice {
        Choice {
            code: code.into(),
            label: Text::new(fr, ""),
        }
    }

    fn def() -> Definition {
        let base = |code: &str, kind: Kind, options: Vec<Choice>| Question {
            code: code.into(),
            kind,
            label: Text::new(&format!("Libellé {code}"), ""),
            help: Text::default(),
            mandatory: false,
            options,
            rows: vec![],
            max_choices: None,
            min: None,
            max: None,
            conditions: vec![],
        };
        let mut note = base("note", Kind::Scale, vec![]);
        note.min = Some(1.0);
        note.max = Some(5.0);
        let mut formes = base(
            "formes",
            Kind::Multiple,
            vec![choice("argent", "De l'argent"), choice("temps", "Du temps")],
        );
        formes.max_choices = Some(2);
        Definition {
            sections: vec![Section {
                title: Text::new("S", ""),
                intro: Text::default(),
                questions: vec![
                    base(
                        "aide",
                        Kind::Single,
                        vec![choice("1", "Oui"), choice("2", "Non")],
                    ),
                    formes,
                    note,
                    base(
                        "rang",
                        Kind::Ranking,
                        vec![choice("a", "A"), choice("b", "B")],
                    ),
                ],
            }],
        }
    }

    fn table(text: &str) -> Table {
        weighting::read_table(text.as_bytes(), "panel").unwrap()
    }

    #[test]
    fn columns_are_questions_items_or_profile() {
        let t = table("ID;Libellé aide;formes;note;rang.a;rang.b;sexe;quartier\n");
        let m = map_columns(&def(), &t, "id");
        assert_eq!(m.id_column(), Some(0));
        assert_eq!(
            m.columns[1].1,
            Column::Question {
                question: "aide".into()
            }
        );
        assert_eq!(
            m.columns[4].1,
            Column::Item {
                question: "rang".into(),
                item: "a".into()
            }
        );
        assert_eq!(m.profile_variables(), vec!["sexe", "quartier"]);
        assert!(m.unmapped(&def()).is_empty());
    }

    #[test]
    fn rows_are_read_by_code_or_label_and_bad_rows_reported_with_their_line() {
        let t = table(
            "id;aide;formes;note;rang.a;rang.b;sexe\n\
             r1;Oui;De l'argent|temps;4;2;1;F\n\
             r2;2;;;;;H\n\
             r3;Peut-être;;;;;F\n\
             r1;1;;;;;F\n\
             r5;1;;9;;;F\n\
             r6;1;;;1;1;H\n",
        );
        let d = def();
        let m = map_columns(&d, &t, "");
        let (rows, rejected) = read_rows(&d, &t, &m);
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].answers["aide"], Value::Str("1".into()));
        assert_eq!(
            rows[0].answers["formes"],
            Value::List(vec!["argent".into(), "temps".into()])
        );
        assert_eq!(
            rows[0].answers["rang"],
            Value::List(vec!["b".into(), "a".into()])
        );
        assert_eq!(rows[0].profile["sexe"], "F");
        assert!(!rows[1].answers.contains_key("note"));
        let got: Vec<(u64, &str)> = rejected.iter().map(|r| (r.line, r.key)).collect();
        assert_eq!(
            got,
            vec![
                (4, "survey-panel-unknown-option"),
                (5, "survey-panel-duplicate-id"),
                (6, "survey-panel-out-of-range"),
                (7, "survey-panel-bad-rank"),
            ]
        );
        assert!(rejected[0].english().contains("line 4, column aide"));
    }

    #[test]
    fn a_multiple_choice_may_come_as_one_flag_column_per_option() {
        let t = table("id,formes_argent,formes.temps\n1,1,0\n2,oui,x\n3,peut-être,0\n");
        let d = def();
        let (rows, rejected) = read_rows(&d, &t, &map_columns(&d, &t, "id"));
        assert_eq!(
            rows[0].answers["formes"],
            Value::List(vec!["argent".into()])
        );
        assert_eq!(rows[1].answers["formes"].as_list().len(), 2);
        assert_eq!(rejected.len(), 1);
        assert_eq!(rejected[0].key, "survey-panel-not-a-flag");
    }
}
