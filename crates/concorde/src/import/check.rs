//! Checking one imported row against the debate: every rule that can reject a line lives here,
//! and gives the reason in words. The same function serves the checking pass and the storing
//! pass, so both agree on which lines are valid.

use super::read::RawRow;
use domain::contribution::Channel;
use std::collections::HashMap;
use storage::{ImportExtra, ImportRow};

/// Longest title given in a file (the forms' limit); derived titles are shorter.
const MAX_TITLE: usize = domain::validate::MAX_TITLE;
/// Longest derived title.
const DERIVED_TITLE: usize = 80;
const MAX_PLACE: usize = 200;
const MAX_ID: usize = 200;
const MAX_THEME: usize = 200;
const MAX_LINK: usize = 4000;

/// What a row is checked against: the debate's questions, the instance's lists, the limits.
#[derive(Clone)]
pub struct Rules {
    /// Existing questions by normalised text, and in order (for `question_number`).
    pub questions: HashMap<String, i64>,
    pub question_ids: Vec<i64>,
    /// Categories by normalised French or English name, quartiers by normalised name.
    pub categories: HashMap<String, i64>,
    pub quartiers: HashMap<String, i64>,
    /// Where rows that name no question go (`--question N`).
    pub default_question: Option<i64>,
    pub create_questions: bool,
    /// `--category-as-question`: a row's theme (a Decidim category) names its question.
    pub category_as_question: bool,
    /// `--rejected-as withdrawn`: what the source rejected is stored withdrawn, not published.
    pub rejected_withdrawn: bool,
    /// Decidim's scopes are not always quartiers: an unknown one is left out, not rejected.
    pub lenient_quartier: bool,
    pub max_body: usize,
    pub time_zone: jiff::tz::TimeZone,
    /// The time of the import: the date of rows that have none.
    pub now: i64,
    /// Dates after this (now plus a day) are refused.
    pub latest: i64,
}

impl Rules {
    /// The rules of the storing pass: the questions this import created are the debate's now.
    pub fn with_created(&self, new: &NewQuestions, ids: &[i64]) -> Rules {
        let mut rules = self.clone();
        for (key, id) in new.keys.iter().zip(ids) {
            rules.questions.insert(key.clone(), *id);
        }
        rules.create_questions = false;
        rules
    }
}

/// Questions this import creates, in order of first appearance, with the keys they match by.
#[derive(Debug, Default)]
pub struct NewQuestions {
    pub texts: Vec<String>,
    keys: Vec<String>,
    index: HashMap<String, usize>,
}

impl NewQuestions {
    fn add(&mut self, key: String, text: &str) {
        if !self.index.contains_key(&key) {
            self.index.insert(key.clone(), self.texts.len());
            self.keys.push(key);
            self.texts.push(text.to_string());
        }
    }
}

/// The key under which names are compared: trimmed, lower case.
pub fn key(s: &str) -> String {
    s.trim().to_lowercase()
}

fn nonempty(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// Checks a row and makes it ready to store. A question the debate lacks is added to `new` (with
/// `--create-questions`) only once every other field is valid, so that a rejected line creates
/// nothing; the row's `question_id` is then 0, which only the checking pass sees (the storing
/// pass checks with `Rules::with_created`).
pub fn check(raw: &RawRow, rules: &Rules, new: &mut NewQuestions) -> Result<ImportRow, String> {
    // A NUL can come escaped in JSON (`\u0000`); no database stores it in text, nor should it.
    for (name, value) in [
        ("id", &raw.id),
        ("question", &raw.question),
        ("title", &raw.title),
        ("body", &raw.body),
        ("place", &raw.place),
        ("theme", &raw.theme),
        ("answer", &raw.answer),
        ("state", &raw.state),
        ("url", &raw.url),
        ("links", &raw.links),
    ] {
        if value.as_deref().is_some_and(|v| v.contains('\0')) {
            return Err(format!("a NUL character in the {name}: not text"));
        }
    }
    let kind = match nonempty(&raw.kind).map(str::to_ascii_lowercase).as_deref() {
        None | Some("individual") => "individual",
        Some("collective") => "collective",
        Some(other) => {
            return Err(format!("unknown kind {other:?} (individual or collective)"));
        }
    };
    let body = nonempty(&raw.body)
        .ok_or("missing body")?
        .replace("\r\n", "\n");
    // Collective contributions (an organisation's notebook) may be longer, as on the offline form.
    let max = if kind == "collective" {
        10 * rules.max_body
    } else {
        rules.max_body
    };
    let len = body.chars().count();
    if len > max {
        return Err(format!(
            "body too long: {len} characters (at most {max} for an {kind} contribution)"
        ));
    }
    let given_title = nonempty(&raw.title);
    let title = match given_title {
        Some(t) => {
            let n = t.chars().count();
            if n > MAX_TITLE {
                return Err(format!(
                    "title too long: {n} characters (at most {MAX_TITLE})"
                ));
            }
            t.to_string()
        }
        None => title_from_body(&body),
    };
    let channel = match nonempty(&raw.channel) {
        None => Channel::Import,
        Some(c) => Channel::parse(&c.to_ascii_lowercase()).ok_or_else(|| {
            format!(
                "unknown channel {c:?} ({})",
                Channel::ALL.map(Channel::as_str).join(", ")
            )
        })?,
    };
    let category_id = match nonempty(&raw.category) {
        None => None,
        Some(c) => Some(
            *rules
                .categories
                .get(&key(c))
                .ok_or_else(|| format!("unknown category {c:?}"))?,
        ),
    };
    let quartier_id = match nonempty(&raw.quartier) {
        None => None,
        Some(q) => match rules.quartiers.get(&key(q)) {
            Some(id) => Some(*id),
            None if rules.lenient_quartier => None,
            None => return Err(format!("unknown quartier {q:?}")),
        },
    };
    let place = nonempty(&raw.place).unwrap_or("").to_string();
    if place.chars().count() > MAX_PLACE {
        return Err(format!("place too long (at most {MAX_PLACE} characters)"));
    }
    let created_at = date("created_at", &raw.created_at, rules)?;
    let received_at = date("received_at", &raw.received_at, rules)?;
    let id = nonempty(&raw.id);
    if id.is_some_and(|id| id.len() > MAX_ID) {
        return Err(format!("id too long (at most {MAX_ID} bytes)"));
    }

    let theme = nonempty(&raw.theme).unwrap_or("").to_string();
    if theme.chars().count() > MAX_THEME {
        return Err(format!("theme too long (at most {MAX_THEME} characters)"));
    }
    let (status, extra) = source_fields(raw, rules, theme)?;

    // The question last: a new one is only recorded for an otherwise valid row.
    let number = nonempty(&raw.question_number);
    let text = nonempty(&raw.question).or(if rules.category_as_question {
        nonempty(&raw.theme)
    } else {
        None
    });
    let (question_id, question_key) = if let Some(n) = number {
        let count = rules.question_ids.len();
        let id = n
            .parse::<usize>()
            .ok()
            .filter(|i| (1..=count).contains(i))
            .map(|i| rules.question_ids[i - 1])
            .ok_or_else(|| format!("question_number {n:?} is not between 1 and {count}"))?;
        (id, format!("#{n}"))
    } else if let Some(t) = text {
        let k = key(t);
        match rules.questions.get(&k) {
            Some(id) => (*id, k),
            None if rules.create_questions => {
                new.add(k.clone(), t);
                (0, k)
            }
            None => {
                return Err(format!(
                    "unknown question {t:?} (--create-questions adds the questions the debate lacks)"
                ));
            }
        }
    } else {
        match rules.default_question {
            Some(id) => (id, String::new()),
            None => {
                return Err(
                    "names no question (give a question or question_number, or --question N)"
                        .into(),
                );
            }
        }
    };
    let source_ref = match id {
        Some(id) => id.to_string(),
        None => content_hash(&question_key, given_title.unwrap_or(""), &body, created_at),
    };
    Ok(ImportRow {
        question_id,
        status,
        kind,
        channel: channel.as_str(),
        title,
        body,
        category_id,
        quartier_id,
        place,
        received_at,
        created_at: created_at.unwrap_or(rules.now),
        source_ref,
        extra,
    })
}

/// What the source says beyond the text: its state (which decides the status here), supports,
/// answer, address and links.
fn source_fields(
    raw: &RawRow,
    rules: &Rules,
    theme: String,
) -> Result<(&'static str, ImportExtra), String> {
    let mut state = nonempty(&raw.state).unwrap_or("").to_lowercase();
    if state == "not_answered" {
        state.clear();
    }
    let withdrawn_flag = nonempty(&raw.withdrawn)
        .is_some_and(|w| matches!(w.to_ascii_lowercase().as_str(), "true" | "1" | "yes" | "t"));
    if withdrawn_flag {
        state = "withdrawn".into();
    }
    let status = match state.as_str() {
        "withdrawn" => "withdrawn",
        "rejected" if rules.rejected_withdrawn => "withdrawn",
        _ => "published",
    };
    let imported_supports = match nonempty(&raw.supports) {
        None => None,
        Some(n) => Some(
            n.parse::<i64>()
                .ok()
                .filter(|n| *n >= 0)
                .ok_or_else(|| format!("supports {n:?} is not a number"))?,
        ),
    };
    let url = nonempty(&raw.url).unwrap_or("").to_string();
    let links = nonempty(&raw.links).unwrap_or("").to_string();
    if url.len() > MAX_LINK || links.len() > MAX_LINK {
        return Err(format!("url or links too long (at most {MAX_LINK} bytes)"));
    }
    let group_name = nonempty(&raw.group_name).unwrap_or("").to_string();
    if group_name.chars().count() > MAX_THEME {
        return Err(format!(
            "user group name too long (at most {MAX_THEME} characters)"
        ));
    }
    Ok((
        status,
        ImportExtra {
            theme,
            imported_supports,
            source_state: state,
            source_answer: nonempty(&raw.answer).unwrap_or("").to_string(),
            source_url: url,
            source_links: links,
            group_name,
        },
    ))
}

fn date(field: &str, v: &Option<String>, rules: &Rules) -> Result<Option<i64>, String> {
    let Some(s) = nonempty(v) else {
        return Ok(None);
    };
    let t = parse_time(s, &rules.time_zone).ok_or_else(|| {
        format!("{field} {s:?} is not a date (RFC 3339, YYYY-MM-DD or Unix seconds)")
    })?;
    if t > rules.latest {
        return Err(format!("{field} {s:?} is in the future"));
    }
    Ok(Some(t))
}

/// Reads a time: Unix seconds (or milliseconds, from 12 digits on), RFC 3339, Ruby's
/// `2021-03-15 10:23:45 +0100` or `… UTC` (Decidim), or a date and time without offset (taken in
/// the instance's time zone), or a date alone (its midnight there).
pub fn parse_time(s: &str, tz: &jiff::tz::TimeZone) -> Option<i64> {
    let s = s.trim();
    if let Ok(n) = s.parse::<i64>() {
        return Some(if n.abs() >= 100_000_000_000 {
            n / 1000
        } else {
            n
        });
    }
    if let Ok(t) = s.parse::<jiff::Timestamp>() {
        return Some(t.as_second());
    }
    let parts: Vec<&str> = s.split(' ').filter(|p| !p.is_empty()).collect();
    if let [date, time, zone] = parts[..] {
        let offset = match zone {
            "UTC" | "GMT" | "Z" => "Z".to_string(),
            z if z.len() == 5 && z.starts_with(['+', '-']) => format!("{}:{}", &z[..3], &z[3..]),
            z => z.to_string(),
        };
        if let Ok(t) = format!("{date}T{time}{offset}").parse::<jiff::Timestamp>() {
            return Some(t.as_second());
        }
    }
    if let Ok(dt) = s.parse::<jiff::civil::DateTime>() {
        return tz.to_timestamp(dt).ok().map(|t| t.as_second());
    }
    None
}

/// What identifies a row that has no id: its question, title, body and date, whitespace aside.
fn content_hash(question: &str, title: &str, body: &str, created_at: Option<i64>) -> String {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    for part in [question, title, body] {
        for (i, word) in part.split_whitespace().enumerate() {
            if i > 0 {
                h.update(b" ");
            }
            h.update(word.as_bytes());
        }
        h.update([0x1f]);
    }
    if let Some(t) = created_at {
        h.update(t.to_string().as_bytes());
    }
    let digest = h.finalize();
    let mut out = String::from("sha256:");
    for b in &digest[..16] {
        out.push_str(&format!("{b:02x}"));
    }
    out
}

/// A title for a row that has none: the body's first words, on a word boundary, at most 80
/// characters (with an ellipsis when cut).
pub fn title_from_body(body: &str) -> String {
    let words: Vec<&str> = body.split_whitespace().collect();
    let full_len =
        words.iter().map(|w| w.chars().count()).sum::<usize>() + words.len().saturating_sub(1);
    if full_len <= DERIVED_TITLE {
        return words.join(" ");
    }
    let mut out = String::new();
    let mut len = 0;
    for w in &words {
        let n = w.chars().count() + usize::from(!out.is_empty());
        if len + n > DERIVED_TITLE - 1 {
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
        len += n;
    }
    if out.is_empty() {
        // One word longer than the limit: cut it.
        out = words[0].chars().take(DERIVED_TITLE - 1).collect();
    }
    let trimmed = out
        .trim_end_matches([',', ';', ':', '.', '-', '–', '('])
        .trim_end();
    let mut t = trimmed.to_string();
    t.push('…');
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules() -> Rules {
        Rules {
            questions: HashMap::from([("comment mieux se déplacer ?".to_string(), 10)]),
            question_ids: vec![10, 11],
            categories: HashMap::from([("habitants".to_string(), 3), ("residents".to_string(), 3)]),
            quartiers: HashMap::from([("centre-ville".to_string(), 5)]),
            default_question: None,
            create_questions: false,
            category_as_question: false,
            rejected_withdrawn: false,
            lenient_quartier: false,
            max_body: 100,
            time_zone: jiff::tz::TimeZone::get("Europe/Paris").unwrap_or(jiff::tz::TimeZone::UTC),
            now: 1_900_000_000,
            latest: 2_000_000_000,
        }
    }

    fn raw(body: &str) -> RawRow {
        RawRow {
            body: Some(body.into()),
            question: Some("  Comment MIEUX se déplacer ? ".into()),
            ..RawRow::default()
        }
    }

    #[test]
    fn derived_titles_stop_on_a_word() {
        assert_eq!(
            title_from_body("  Plus de bus\nle soir  "),
            "Plus de bus le soir"
        );
        let long = "Il faudrait que les transports en commun circulent plus tard le soir, \
                    surtout le week-end, pour les jeunes et les travailleurs de nuit.";
        let t = title_from_body(long);
        assert!(t.chars().count() <= 80, "{t}");
        assert!(t.ends_with('…'));
        assert!(long.starts_with(t.trim_end_matches('…')));
        assert_eq!(title_from_body(&"a".repeat(200)).chars().count(), 80);
    }

    #[test]
    fn times_in_every_accepted_shape() {
        let tz = jiff::tz::TimeZone::get("Europe/Paris").unwrap_or(jiff::tz::TimeZone::UTC);
        let t = 1_615_800_225; // 2021-03-15T09:23:45Z
        assert_eq!(parse_time("1615800225", &tz), Some(t));
        assert_eq!(parse_time("1615800225000", &tz), Some(t));
        assert_eq!(parse_time("2021-03-15T09:23:45Z", &tz), Some(t));
        assert_eq!(parse_time("2021-03-15T10:23:45+01:00", &tz), Some(t));
        assert_eq!(parse_time("2021-03-15 09:23:45 UTC", &tz), Some(t));
        assert_eq!(parse_time("2021-03-15 10:23:45 +0100", &tz), Some(t));
        assert_eq!(parse_time("2021-03-15 10:23:45", &tz), Some(t));
        assert_eq!(
            parse_time("2021-03-15", &tz),
            Some(t - 9 * 3600 - 23 * 60 - 45 - 3600)
        );
        assert_eq!(parse_time("le 15 mars", &tz), None);
    }

    #[test]
    fn rows_are_checked_field_by_field() {
        let r = rules();
        let mut new = NewQuestions::default();
        let ok = check(&raw("Plus de bus"), &r, &mut new).expect("valid");
        assert_eq!((ok.question_id, ok.created_at), (10, 1_900_000_000));
        assert_eq!(
            (ok.channel, ok.kind, ok.title.as_str()),
            ("import", "individual", "Plus de bus")
        );
        assert!(ok.source_ref.starts_with("sha256:"));
        // The same content, spaced differently, has the same reference.
        let again = check(&raw(" Plus  de\nbus "), &r, &mut new).expect("valid");
        assert_eq!(again.source_ref, ok.source_ref);

        let reject = |row: RawRow| {
            check(&row, &r, &mut NewQuestions::default())
                .err()
                .unwrap_or_default()
        };
        assert_eq!(reject(raw("  ")), "missing body");
        assert!(reject(raw(&"x".repeat(101))).starts_with("body too long: 101 characters"));
        assert!(
            reject(RawRow {
                channel: Some("fax".into()),
                ..raw("b")
            })
            .starts_with("unknown channel \"fax\"")
        );
        assert_eq!(
            reject(RawRow {
                category: Some("Élus".into()),
                ..raw("b")
            }),
            "unknown category \"Élus\""
        );
        assert_eq!(
            reject(RawRow {
                quartier: Some("Nulle part".into()),
                ..raw("b")
            }),
            "unknown quartier \"Nulle part\""
        );
        assert!(
            reject(RawRow {
                question: Some("Autre ?".into()),
                ..raw("b")
            })
            .starts_with("unknown question \"Autre ?\"")
        );
        assert!(
            reject(RawRow {
                question: None,
                ..raw("b")
            })
            .starts_with("names no question")
        );
        assert!(
            reject(RawRow {
                question_number: Some("3".into()),
                ..raw("b")
            })
            .contains("not between 1 and 2")
        );
        assert!(
            reject(RawRow {
                created_at: Some("hier".into()),
                ..raw("b")
            })
            .contains("is not a date")
        );
        assert!(
            reject(RawRow {
                created_at: Some("2100-01-01".into()),
                ..raw("b")
            })
            .contains("in the future")
        );

        let ok = check(
            &RawRow {
                id: Some(" 42 ".into()),
                category: Some("RESIDENTS".into()),
                quartier: Some("centre-ville".into()),
                kind: Some("collective".into()),
                channel: Some("Paper".into()),
                question_number: Some("2".into()),
                ..raw(&"y".repeat(300))
            },
            &r,
            &mut new,
        )
        .expect("valid");
        assert_eq!(ok.question_id, 11);
        assert_eq!((ok.category_id, ok.quartier_id), (Some(3), Some(5)));
        assert_eq!(
            (ok.kind, ok.channel, ok.source_ref.as_str()),
            ("collective", "paper", "42")
        );
    }

    #[test]
    fn states_decide_the_status_and_are_kept() {
        let r = rules();
        let mut new = NewQuestions::default();
        let with = |state: Option<&str>, withdrawn: Option<&str>, supports: Option<&str>| RawRow {
            state: state.map(str::to_string),
            withdrawn: withdrawn.map(str::to_string),
            supports: supports.map(str::to_string),
            theme: Some(" Mobilité ".into()),
            ..raw("Plus de bus")
        };
        let row = |raw: RawRow, rules: &Rules, new: &mut NewQuestions| {
            check(&raw, rules, new).map(|r| {
                (
                    r.status,
                    r.extra.source_state,
                    r.extra.imported_supports,
                    r.extra.theme,
                )
            })
        };
        assert_eq!(
            row(with(Some("accepted"), None, Some("42")), &r, &mut new),
            Ok(("published", "accepted".into(), Some(42), "Mobilité".into()))
        );
        assert_eq!(
            row(with(Some("withdrawn"), None, None), &r, &mut new).map(|t| t.0),
            Ok("withdrawn"),
            "before 0.27, in the state"
        );
        assert_eq!(
            row(with(Some("rejected"), Some("true"), None), &r, &mut new).map(|t| (t.0, t.1)),
            Ok(("withdrawn", "withdrawn".into())),
            "since 0.27, a column of its own"
        );
        assert_eq!(
            row(
                with(Some("not_answered"), Some("false"), None),
                &r,
                &mut new
            )
            .map(|t| t.1),
            Ok(String::new())
        );
        assert_eq!(
            row(with(Some("rejected"), None, None), &r, &mut new).map(|t| t.0),
            Ok("published")
        );
        let strict = Rules {
            rejected_withdrawn: true,
            ..rules()
        };
        assert_eq!(
            row(with(Some("rejected"), None, None), &strict, &mut new).map(|t| t.0),
            Ok("withdrawn")
        );
        assert_eq!(
            row(with(None, None, Some("beaucoup")), &r, &mut new),
            Err("supports \"beaucoup\" is not a number".into())
        );
        // The theme names the question only when asked.
        let by_theme = Rules {
            category_as_question: true,
            create_questions: true,
            ..rules()
        };
        let mut created = NewQuestions::default();
        let themed = RawRow {
            question: None,
            ..with(None, None, None)
        };
        assert!(check(&themed, &r, &mut created).is_err(), "no question");
        assert!(check(&themed, &by_theme, &mut created).is_ok());
        assert_eq!(created.texts, ["Mobilité"]);
    }

    #[test]
    fn new_questions_are_created_once_and_only_for_valid_rows() {
        let r = Rules {
            create_questions: true,
            ..rules()
        };
        let mut new = NewQuestions::default();
        let q = |t: &str, body: &str| RawRow {
            question: Some(t.into()),
            ..raw(body)
        };
        assert!(check(&q("Et le logement ?", ""), &r, &mut new).is_err());
        assert!(new.texts.is_empty(), "a rejected row creates nothing");
        let a = check(&q("Et le logement ?", "b"), &r, &mut new).expect("valid");
        let b = check(&q("et le LOGEMENT ?", "c"), &r, &mut new).expect("valid");
        let c = check(&q("Et l'école ?", "d"), &r, &mut new).expect("valid");
        assert_eq!((a.question_id, b.question_id, c.question_id), (0, 0, 0));
        assert_eq!(new.texts, ["Et le logement ?", "Et l'école ?"]);
        // Once created, the storing pass finds them.
        let stored = r.with_created(&new, &[20, 21]);
        let b = check(&q("et le LOGEMENT ?", "c"), &stored, &mut new).expect("valid");
        assert_eq!(b.question_id, 20);
        let e = check(&q("Et la santé ?", "e"), &stored, &mut new);
        assert!(e.is_err(), "no new question in the storing pass");
    }
}
