//! Content lines of RFC 5545 §3.1: escaping of TEXT values and folding of long lines.

/// The longest a line may be, in octets, not counting its CRLF.
pub const MAX_OCTETS: usize = 75;

/// Writes the lines of an iCalendar object, each folded and ended by CRLF.
#[derive(Debug, Default)]
pub struct Writer {
    out: String,
}

impl Writer {
    /// A property whose value is written as given (numbers, dates, codes, URIs).
    pub fn raw(&mut self, name: &str, value: &str) {
        self.line(&format!("{name}:{}", strip_controls(value)));
    }

    /// A property of type TEXT, escaped.
    pub fn text(&mut self, name: &str, value: &str) {
        self.line(&format!("{name}:{}", escape_text(value)));
    }

    /// A property with one parameter, e.g. `DTSTART;TZID=Europe/Paris:20270314T180000`.
    pub fn with_param(&mut self, name: &str, param: &str, param_value: &str, value: &str) {
        let line = format!(
            "{name};{param}={}:{}",
            param_text(param_value),
            strip_controls(value)
        );
        self.line(&line);
    }

    pub fn begin(&mut self, component: &str) {
        self.raw("BEGIN", component);
    }

    pub fn end(&mut self, component: &str) {
        self.raw("END", component);
    }

    fn line(&mut self, line: &str) {
        fold_into(&mut self.out, line);
    }

    pub fn finish(self) -> String {
        self.out
    }
}

/// Appends `line` folded to `MAX_OCTETS` octets per physical line, each ended by CRLF.
/// Continuation lines start with one space, which counts in their length. A cut never
/// falls inside a UTF-8 sequence; it may fall between the characters of a grapheme
/// (an emoji with a skin tone), which unfolding puts back together.
pub fn fold_into(out: &mut String, line: &str) {
    let mut rest = line;
    let mut room = MAX_OCTETS;
    while rest.len() > room {
        let cut = floor_char_boundary(rest, room);
        out.push_str(&rest[..cut]);
        out.push_str("\r\n ");
        rest = &rest[cut..];
        room = MAX_OCTETS - 1;
    }
    out.push_str(rest);
    out.push_str("\r\n");
}

/// The largest char boundary of `s` at or below `at`; at least one character's worth,
/// since `at` is far longer than the longest UTF-8 sequence.
fn floor_char_boundary(s: &str, at: usize) -> usize {
    (0..=at).rev().find(|&i| s.is_char_boundary(i)).unwrap_or(0)
}

/// TEXT escaping (§3.3.11): backslash, semicolon, comma and newlines. Any line break
/// (CRLF, CR, LF) becomes `\n`; other control characters, which TEXT forbids, are dropped.
pub fn escape_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {
                chars.next_if_eq(&'\n');
                out.push_str("\\n");
            }
            '\t' => out.push('\t'),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// A parameter value (§3.2): quoted when it holds `;`, `:` or `,`; double quotes, which
/// cannot be escaped there, and control characters are dropped.
fn param_text(s: &str) -> String {
    let clean: String = s.chars().filter(|c| *c != '"' && !c.is_control()).collect();
    if clean.contains([';', ':', ',']) {
        format!("\"{clean}\"")
    } else {
        clean
    }
}

/// Values written raw must still not break the line structure.
fn strip_controls(s: &str) -> String {
    s.chars().filter(|c| !c.is_control()).collect()
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    /// Undoes folding as a reader does: a CRLF followed by one space or tab disappears.
    pub fn unfold(s: &str) -> Vec<String> {
        s.replace("\r\n ", "")
            .replace("\r\n\t", "")
            .split("\r\n")
            .filter(|l| !l.is_empty())
            .map(str::to_string)
            .collect()
    }

    fn folded(line: &str) -> String {
        let mut out = String::new();
        fold_into(&mut out, line);
        out
    }

    fn assert_well_folded(line: &str) {
        let out = folded(line);
        assert!(out.ends_with("\r\n"));
        for physical in out.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(
                physical.len() <= MAX_OCTETS,
                "{} octets: {physical:?}",
                physical.len()
            );
        }
        assert!(
            !out.contains('\n') || out.matches('\n').count() == out.matches("\r\n").count(),
            "bare LF"
        );
        assert_eq!(unfold(&out), vec![line.to_string()]);
    }

    #[test]
    fn short_lines_are_untouched() {
        assert_eq!(folded("VERSION:2.0"), "VERSION:2.0\r\n");
        let exactly = "X".repeat(75);
        assert_eq!(folded(&exactly), format!("{exactly}\r\n"));
    }

    #[test]
    fn the_76th_octet_goes_to_a_continuation_line() {
        let line = "X".repeat(76);
        assert_eq!(folded(&line), format!("{}\r\n X\r\n", "X".repeat(75)));
        let line = "X".repeat(75 + 74 + 1);
        let out = folded(&line);
        let physical: Vec<&str> = out.split("\r\n").collect();
        assert_eq!(physical[0].len(), 75);
        assert_eq!(physical[1].len(), 75);
        assert_eq!(physical[2], " X");
    }

    #[test]
    fn a_multibyte_character_is_never_split() {
        // "é" is 2 octets: 74 ASCII then "é" would end at octet 76, so it moves down whole.
        let line = format!("{}é", "X".repeat(74));
        assert_eq!(folded(&line), format!("{}\r\n é\r\n", "X".repeat(74)));
        // An emoji is 4 octets; offset it at every position around the boundary.
        for pad in 70..=76 {
            assert_well_folded(&format!("SUMMARY:{}🎉 Réunion", "x".repeat(pad - 8)));
        }
    }

    #[test]
    fn french_text_and_emoji_fold_and_unfold() {
        let lines = [
            format!(
                "DESCRIPTION:{}",
                "Atelier « Vivre ensemble » à l’école Jean-Moulin — ".repeat(8)
            ),
            format!("SUMMARY:{}", "é".repeat(300)),
            format!("SUMMARY:{}", "👩🏽‍🤝‍👨🏻".repeat(30)),
            format!("LOCATION:{}", "ü€𝄞".repeat(50)),
        ];
        for line in &lines {
            assert_well_folded(line);
        }
    }

    #[test]
    fn text_escaping() {
        let cases = [
            ("plain", "plain"),
            ("a,b;c", "a\\,b\\;c"),
            ("back\\slash", "back\\\\slash"),
            ("two\nlines", "two\\nlines"),
            ("windows\r\nbreak", "windows\\nbreak"),
            ("old mac\rbreak", "old mac\\nbreak"),
            ("bell\u{7}gone\ttab kept", "bellgone\ttab kept"),
            ("already \\n escaped", "already \\\\n escaped"),
            ("Salle: 2", "Salle: 2"),
        ];
        for (input, expected) in cases {
            assert_eq!(escape_text(input), expected, "{input:?}");
        }
    }

    #[test]
    fn parameter_values_are_quoted_when_needed() {
        assert_eq!(param_text("Europe/Paris"), "Europe/Paris");
        assert_eq!(param_text("Odd;Zone"), "\"Odd;Zone\"");
        assert_eq!(param_text("a\"b"), "ab");
    }

    #[test]
    fn raw_values_cannot_inject_lines() {
        let mut w = Writer::default();
        w.raw("URL", "https://example.org/\r\nATTENDEE:evil");
        assert_eq!(w.finish(), "URL:https://example.org/ATTENDEE:evil\r\n");
    }
}
