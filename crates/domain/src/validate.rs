//! Parsing of what people type into forms. Each parser returns either a clean value or a
//! `FieldError` naming the field and a translation key, so that the page can put the message
//! next to the field in the visitor's language.

use crate::debate::{DebateStatus, PhaseKind};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: String,
    /// A key of the translation files (`error-…`).
    pub key: &'static str,
    /// A number the message says (`$count`: minutes to wait before retrying…).
    pub n: Option<i64>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldErrors(pub Vec<FieldError>);

impl FieldErrors {
    pub fn add(&mut self, field: impl Into<String>, key: &'static str) {
        self.0.push(FieldError {
            field: field.into(),
            key,
            n: None,
        });
    }
    /// An error whose message says a number (`$count` in the translation).
    pub fn add_n(&mut self, field: impl Into<String>, key: &'static str, n: i64) {
        self.0.push(FieldError {
            field: field.into(),
            key,
            n: Some(n),
        });
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    pub fn get(&self, field: &str) -> Option<&'static str> {
        self.0.iter().find(|e| e.field == field).map(|e| e.key)
    }
    /// Keeps the value if it parsed, records the error otherwise.
    pub fn check<T>(&mut self, field: &str, r: Result<T, &'static str>) -> Option<T> {
        match r {
            Ok(v) => Some(v),
            Err(key) => {
                self.add(field, key);
                None
            }
        }
    }
}

pub const MAX_TITLE: usize = 200;
pub const MAX_SUMMARY: usize = 1_000;
pub const MAX_BODY: usize = 50_000;
pub const MIN_PASSWORD: usize = 10;
pub const MAX_PASSWORD: usize = 200;

fn trimmed_len_between(s: &str, min: usize, max: usize) -> Result<String, &'static str> {
    let t = s.trim();
    let n = t.chars().count();
    if n < min {
        Err("error-required")
    } else if n > max {
        Err("error-too-long")
    } else {
        Ok(t.to_string())
    }
}

pub fn title(s: &str) -> Result<String, &'static str> {
    trimmed_len_between(s, 1, MAX_TITLE)
}

pub fn summary(s: &str) -> Result<String, &'static str> {
    trimmed_len_between(s, 1, MAX_SUMMARY)
}

pub fn optional_text(s: &str, max: usize) -> Result<String, &'static str> {
    trimmed_len_between(s, 0, max)
}

pub fn body(s: &str) -> Result<String, &'static str> {
    if s.chars().count() > MAX_BODY {
        Err("error-too-long")
    } else {
        Ok(s.replace("\r\n", "\n"))
    }
}

/// Lower-case ASCII letters, digits and single hyphens; 2 to 60 characters.
pub fn slug(s: &str) -> Result<String, &'static str> {
    let s = s.trim();
    if s.is_empty() {
        return Err("error-required");
    }
    let ok_chars = s
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if !ok_chars || s.starts_with('-') || s.ends_with('-') || s.contains("--") {
        return Err("error-slug");
    }
    if s.len() < 2 || s.len() > 60 {
        return Err("error-slug");
    }
    Ok(s.to_string())
}

/// Turns a title into a slug candidate: "Nantes, les solidarités !" → "nantes-les-solidarites".
pub fn slugify(title: &str) -> String {
    let mut out = String::new();
    for c in title.chars().flat_map(|c| c.to_lowercase()) {
        match c {
            'œ' => {
                out.push_str("oe");
                continue;
            }
            'æ' => {
                out.push_str("ae");
                continue;
            }
            _ => {}
        }
        let c = match c {
            'à' | 'â' | 'ä' | 'á' => 'a',
            'ç' => 'c',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'î' | 'ï' | 'í' => 'i',
            'ô' | 'ö' | 'ó' => 'o',
            'ù' | 'û' | 'ü' | 'ú' => 'u',
            'ÿ' => 'y',
            c => c,
        };
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let out = out.trim_end_matches('-');
    out.chars()
        .take(60)
        .collect::<String>()
        .trim_end_matches('-')
        .to_string()
}

/// A plausible e-mail address, lower-cased. Deliverability is proven by the confirmation mail.
pub fn email(s: &str) -> Result<String, &'static str> {
    let s = s.trim().to_lowercase();
    if s.is_empty() {
        return Err("error-required");
    }
    let Some((local, domain)) = s.split_once('@') else {
        return Err("error-email");
    };
    let valid = !local.is_empty()
        && local.len() <= 64
        && s.len() <= 254
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains('@')
        && !s
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || c == '<' || c == '>');
    if valid { Ok(s) } else { Err("error-email") }
}

pub fn password(s: &str) -> Result<String, &'static str> {
    let n = s.chars().count();
    if n < MIN_PASSWORD {
        Err("error-password-short")
    } else if n > MAX_PASSWORD {
        Err("error-too-long")
    } else {
        Ok(s.to_string())
    }
}

/// Characters that change how a text is shown without being seen: bidirectional controls
/// (embeddings, overrides and isolates, U+202A–U+202E and U+2066–U+2069; the marks U+200E,
/// U+200F and U+061C) and zero-width ones (U+200B–U+200D, the word joiner and invisible
/// operators U+2060–U+2064, U+FEFF). In a name they can make "Modération" out of something
/// else, or show `rep\u{202e}fdp.png` as `repgnp.pdf`.
pub fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{202A}'..='\u{202E}'
            | '\u{2066}'..='\u{2069}'
            | '\u{200E}'
            | '\u{200F}'
            | '\u{061C}'
            | '\u{200B}'..='\u{200D}'
            | '\u{2060}'..='\u{2064}'
            | '\u{FEFF}'
    )
}

/// The text without its invisible characters (for file names, which are cleaned, not refused).
pub fn strip_invisible(s: &str) -> String {
    s.chars().filter(|c| !is_invisible(*c)).collect()
}

/// A name shown to others: refused if it holds control or invisible characters, so that the
/// person sees why rather than a silently different name.
fn shown_name(s: &str, max: usize) -> Result<String, &'static str> {
    let v = trimmed_len_between(s, 1, max)?;
    if v.chars().any(is_invisible) {
        return Err("error-invisible-chars");
    }
    if v.chars().any(|c| c.is_control()) {
        return Err("error-invalid");
    }
    Ok(v)
}

pub fn display_name(s: &str) -> Result<String, &'static str> {
    shown_name(s, 80)
}

/// An organisation's name: shown on its page and in the subject of its invitations.
pub fn organisation_name(s: &str) -> Result<String, &'static str> {
    shown_name(s, MAX_TITLE)
}

pub fn debate_status(s: &str) -> Result<DebateStatus, &'static str> {
    DebateStatus::parse(s).ok_or("error-invalid")
}

pub fn phase_kind(s: &str) -> Result<PhaseKind, &'static str> {
    PhaseKind::parse(s).ok_or("error-invalid")
}

/// Parses the value of an `<input type="datetime-local">` (or a bare date) in the instance's
/// time zone into Unix seconds.
pub fn local_datetime(s: &str, tz: &jiff::tz::TimeZone) -> Result<i64, &'static str> {
    let s = s.trim();
    if s.is_empty() {
        return Err("error-required");
    }
    let dt: jiff::civil::DateTime = if s.len() == 10 {
        s.parse::<jiff::civil::Date>()
            .map_err(|_| "error-date")?
            .to_datetime(jiff::civil::Time::midnight())
    } else {
        s.parse().map_err(|_| "error-date")?
    };
    let zoned = dt.to_zoned(tz.clone()).map_err(|_| "error-date")?;
    Ok(zoned.timestamp().as_second())
}

/// The inverse of `local_datetime`, for pre-filling forms.
pub fn format_local_datetime(ts: i64, tz: &jiff::tz::TimeZone) -> String {
    match jiff::Timestamp::from_second(ts) {
        Ok(t) => t
            .to_zoned(tz.clone())
            .strftime("%Y-%m-%dT%H:%M")
            .to_string(),
        Err(_) => String::new(),
    }
}

/// A phase's period: the end must come after the start.
pub fn period(start: i64, end: i64) -> Result<(i64, i64), &'static str> {
    if end <= start {
        Err("error-end-before-start")
    } else {
        Ok((start, end))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        assert_eq!(slug("solidarites"), Ok("solidarites".into()));
        assert_eq!(slug("  a-b-1 "), Ok("a-b-1".into()));
        assert_eq!(slug("Solidarités"), Err("error-slug"));
        assert_eq!(slug("a--b"), Err("error-slug"));
        assert_eq!(slug("-ab"), Err("error-slug"));
        assert_eq!(slug(""), Err("error-required"));
        assert_eq!(
            slugify("Nantes, les solidarités !"),
            "nantes-les-solidarites"
        );
        assert_eq!(slugify("Œuvres d'été — 2026"), "oeuvres-d-ete-2026");
    }

    #[test]
    fn emails() {
        assert_eq!(email(" Anne@Example.org "), Ok("anne@example.org".into()));
        for bad in [
            "", "anne", "anne@", "@x.fr", "a@b", "a b@c.fr", "a@.fr", "<a@b.fr>",
        ] {
            assert!(email(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn titles_and_passwords() {
        assert_eq!(title("   "), Err("error-required"));
        assert_eq!(title(&"x".repeat(201)), Err("error-too-long"));
        assert_eq!(password("short"), Err("error-password-short"));
        assert!(password("correct horse battery").is_ok());
    }

    #[test]
    fn invisible_characters_are_refused_in_names_and_stripped_elsewhere() {
        for bad in [
            "Mod\u{202E}noitaré",
            "Anne\u{200B}",
            "\u{2066}Anne\u{2069}",
            "A\u{200D}B",
            "\u{FEFF}Anne",
            "Anne\u{200F}",
            "Anne\u{2060}Marie",
            "A\u{202A}B",
        ] {
            assert_eq!(display_name(bad), Err("error-invisible-chars"), "{bad:?}");
            assert_eq!(
                organisation_name(bad),
                Err("error-invisible-chars"),
                "{bad:?}"
            );
        }
        assert_eq!(display_name("Anne\u{7}"), Err("error-invalid"));
        // Accents, apostrophes, non-Latin scripts and the middle dot are names like any other.
        for good in [
            "Anne-Marie d’Aubigné",
            "Participant·e",
            "محمد",
            "李雷",
            "Zoë O'Brien",
        ] {
            assert_eq!(display_name(good), Ok(good.to_string()));
        }
        assert_eq!(
            organisation_name("  Les Amis du Jardin "),
            Ok("Les Amis du Jardin".into())
        );
        assert_eq!(strip_invisible("rep\u{202E}fdp.png"), "repfdp.png");
        assert_eq!(strip_invisible("a\u{200B}\u{FEFF}b\u{2067}c"), "abc");
        assert_eq!(strip_invisible("déjà vu"), "déjà vu");
    }

    #[test]
    fn dates_follow_the_instance_time_zone() {
        let tz = jiff::tz::TimeZone::get("Europe/Paris").expect("bundled tzdb");
        let ts = local_datetime("2022-01-10T09:30", &tz).expect("valid");
        assert_eq!(ts, 1_641_803_400); // 08:30 UTC in winter
        assert_eq!(format_local_datetime(ts, &tz), "2022-01-10T09:30");
        assert!(local_datetime("2022-01-10", &tz).is_ok());
        assert_eq!(local_datetime("10/01/2022", &tz), Err("error-date"));
        assert_eq!(local_datetime("", &tz), Err("error-required"));
        assert_eq!(period(10, 5), Err("error-end-before-start"));
        assert_eq!(period(10, 10), Err("error-end-before-start"));
    }
}
