//! The character encoding of an import file. Files are UTF-8 by default; a spreadsheet saved
//! "as CSV" on Windows writes Windows-1252 (the superset of Latin-1 every browser and
//! spreadsheet means by "Latin-1"), and older Macs write Mac Roman. `--encoding LABEL` declares
//! one (any WHATWG label: `utf-8`, `windows-1252`, `latin1`, `iso-8859-15`, `macintosh`…);
//! `auto` goes by the whole file (`import contributions` reads it as UTF-8 in its checking pass,
//! and checks it again in the decided encoding only when some record was not UTF-8):
//!
//! - valid UTF-8 throughout: UTF-8;
//! - not UTF-8, and no accented character written as UTF-8 anywhere: Windows-1252, said in the
//!   summary;
//! - both (a file pasted together from two sources): UTF-8, and each line that is not is
//!   rejected with its reason, so that nothing is read as mojibake.
//!
//! Whatever the encoding, a record holding a NUL is rejected: no text has one, and a file that
//! does is of another encoding (UTF-16, a binary file) or damaged; in a single-byte encoding, so
//! is a byte it does not define. The decoding is per record, so a bad line is reported by its
//! number.

use encoding_rs::Encoding;
use std::borrow::Cow;
use std::io::Read;

/// What the command line asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Choice {
    Auto,
    Declared(&'static Encoding),
}

impl Choice {
    /// `auto`, or a WHATWG label (case and spaces do not count).
    pub fn parse(s: &str) -> Result<Choice, String> {
        let s = s.trim();
        if s.eq_ignore_ascii_case("auto") {
            return Ok(Choice::Auto);
        }
        match Encoding::for_label_no_replacement(s.as_bytes()) {
            Some(e) if e == encoding_rs::UTF_16LE || e == encoding_rs::UTF_16BE => Err(format!(
                "--encoding {s}: UTF-16 files are not read; save the file as \"CSV UTF-8\""
            )),
            Some(e) => Ok(Choice::Declared(e)),
            None => Err(format!(
                "unknown encoding {s:?}: use auto, utf-8, windows-1252 (also called latin1 or \
                 iso-8859-1), iso-8859-15, macintosh, or another WHATWG label"
            )),
        }
    }
}

/// How the records of one file are decoded, once decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decoding {
    /// `mixed`: the file has UTF-8 text and lines that are not (the reason says so).
    Utf8 {
        mixed: bool,
    },
    Legacy(&'static Encoding),
}

impl Decoding {
    pub fn name(self) -> &'static str {
        match self {
            Decoding::Utf8 { .. } => "UTF-8",
            Decoding::Legacy(e) => e.name(),
        }
    }

    /// One record's bytes as text, or the reason it is rejected. `what` names the unit in
    /// the reason ("line", "record").
    pub fn decode<'a>(self, bytes: &'a [u8], what: &str) -> Result<Cow<'a, str>, String> {
        let text = match self {
            Decoding::Utf8 { mixed } => match std::str::from_utf8(bytes) {
                Ok(t) => Cow::Borrowed(t),
                Err(e) if mixed => {
                    return Err(format!(
                        "invalid UTF-8 (byte {} of the {what}), although the rest of the file is \
                         UTF-8: correct this line, or give --encoding if the whole file is in \
                         another encoding",
                        e.valid_up_to() + 1
                    ));
                }
                Err(e) => {
                    return Err(format!(
                        "invalid UTF-8 (byte {} of the {what})",
                        e.valid_up_to() + 1
                    ));
                }
            },
            Decoding::Legacy(enc) => enc.decode_without_bom_handling(bytes).0,
        };
        // A NUL is in no text. In a single-byte encoding a C1 control is a byte the encoding
        // does not define (0x81 in Windows-1252); in UTF-8 it is kept: real corpora have them
        // (the Grand Débat's answers hold U+0092, a Windows-1252 apostrophe decoded as Latin-1).
        let bad = |c: &char| match self {
            Decoding::Legacy(_) => *c == '\0' || ('\u{80}'..='\u{9f}').contains(c),
            Decoding::Utf8 { .. } => *c == '\0',
        };
        if let Some((at, c)) = text.char_indices().find(|(_, c)| bad(c)) {
            let byte = match self {
                // One byte per character in the single-byte encodings.
                Decoding::Legacy(_) => text[..at].chars().count() + 1,
                Decoding::Utf8 { .. } => at + 1,
            };
            return Err(match self {
                _ if c == '\0' => format!(
                    "a NUL byte (byte {byte} of the {what}): not text (a UTF-16 or binary file?)"
                ),
                Decoding::Legacy(enc) => format!(
                    "byte {byte} of the {what} (0x{:02X}) is no character in {}: the file is \
                     neither UTF-8 nor {}",
                    bytes.get(byte - 1).copied().unwrap_or(0),
                    enc.name(),
                    enc.name()
                ),
                Decoding::Utf8 { .. } => format!("a NUL byte (byte {byte} of the {what})"),
            });
        }
        Ok(text)
    }
}

/// What a look over the whole file found.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Sniff {
    /// The first byte that is not UTF-8: its line (1-based).
    pub first_invalid_line: Option<u64>,
    /// An accented (multi-byte) character written as UTF-8 was seen.
    pub utf8_text: bool,
}

impl Sniff {
    /// One record's bytes, at `line`, as UTF-8 sees them.
    pub fn record(&mut self, bytes: &[u8], line: u64) {
        if self.first_invalid_line.is_some() && self.utf8_text {
            return;
        }
        match std::str::from_utf8(bytes) {
            Ok(t) => self.utf8_text |= !t.is_ascii(),
            Err(_) => {
                self.first_invalid_line.get_or_insert(line);
            }
        }
    }
}

/// A `Sniff` kept by a reader whose records are borrowed while it is updated.
#[derive(Debug, Default)]
pub struct SeenCell(std::cell::RefCell<Sniff>);

impl SeenCell {
    pub fn record(&self, bytes: &[u8], line: u64) {
        self.0.borrow_mut().record(bytes, line);
    }

    pub fn take_clone(&self) -> Sniff {
        self.0.borrow().clone()
    }
}

/// Reads `input` to its end, checking UTF-8 across buffer boundaries.
pub fn sniff(input: impl Read) -> anyhow::Result<Sniff> {
    let mut line = 1u64;
    sniff_lines(input, &mut line)
        .map_err(|e| anyhow::anyhow!("cannot read the file after line {}: {e}", line - 1))
}

fn sniff_lines(mut input: impl Read, line: &mut u64) -> std::io::Result<Sniff> {
    let mut out = Sniff::default();
    let mut buf = vec![0u8; 256 * 1024];
    // Bytes of a character cut by the end of the previous buffer.
    let mut carry: Vec<u8> = Vec::new();
    loop {
        let n = input.read(&mut buf[carry.len().min(4)..])?;
        let start = carry.len().min(4);
        buf[..start].copy_from_slice(&carry[..start]);
        let chunk = &buf[..start + n];
        carry.clear();
        if n == 0 {
            if !chunk.is_empty() && out.first_invalid_line.is_none() {
                out.first_invalid_line = Some(*line);
            }
            return Ok(out);
        }
        let mut rest = chunk;
        while !rest.is_empty() {
            match std::str::from_utf8(rest) {
                Ok(valid) => {
                    note(valid, &mut out, line);
                    rest = &[];
                }
                Err(e) => {
                    let (valid, after) = rest.split_at(e.valid_up_to());
                    // The prefix is valid by construction.
                    note(
                        std::str::from_utf8(valid).unwrap_or_default(),
                        &mut out,
                        line,
                    );
                    match e.error_len() {
                        Some(len) => {
                            out.first_invalid_line.get_or_insert(*line);
                            rest = &after[len..];
                        }
                        None => {
                            // Cut at the end of the buffer: read on.
                            carry.extend_from_slice(after);
                            rest = &[];
                        }
                    }
                }
            }
        }
        if out.first_invalid_line.is_some() && out.utf8_text {
            // Mixed: nothing more to learn.
            return Ok(out);
        }
    }
}

fn note(valid: &str, out: &mut Sniff, line: &mut u64) {
    if !out.utf8_text && !valid.is_ascii() {
        out.utf8_text = true;
    }
    *line += valid.bytes().filter(|&b| b == b'\n').count() as u64;
}

/// The decoding of a file, and what to say about it in the summary.
pub fn resolve(choice: Choice, sniff: Option<&Sniff>) -> (Decoding, Option<String>) {
    match (choice, sniff) {
        (Choice::Declared(e), _) if e == encoding_rs::UTF_8 => {
            (Decoding::Utf8 { mixed: false }, None)
        }
        (Choice::Declared(e), _) => (
            Decoding::Legacy(e),
            Some(format!("read as {} (--encoding)", e.name())),
        ),
        (Choice::Auto, Some(s)) => match s.first_invalid_line {
            None => (Decoding::Utf8 { mixed: false }, None),
            Some(line) if !s.utf8_text => (
                Decoding::Legacy(encoding_rs::WINDOWS_1252),
                Some(format!(
                    "not UTF-8 (from line {line}): read as Windows-1252 (Latin-1), as \
                     spreadsheets save it; give --encoding to say otherwise"
                )),
            ),
            Some(line) => (
                Decoding::Utf8 { mixed: true },
                Some(format!(
                    "UTF-8, but not every line is (the first at line {line}): those lines are \
                     rejected"
                )),
            ),
        },
        (Choice::Auto, None) => (Decoding::Utf8 { mixed: false }, None),
    }
}

/// A whole-file refusal for UTF-16, which no per-line reason would explain.
pub fn refuse_utf16(head: &[u8]) -> Result<(), String> {
    if head.starts_with(b"\xff\xfe") || head.starts_with(b"\xfe\xff") {
        return Err(
            "the file is UTF-16 (it starts with UTF-16's byte-order mark), as Excel's \"Unicode \
             text\" saves it: save it as \"CSV UTF-8\" and import that"
                .into(),
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sniffed(bytes: &[u8]) -> Sniff {
        sniff(bytes).unwrap_or_default()
    }

    #[test]
    fn labels_are_whatwg_ones() {
        assert_eq!(Choice::parse("auto"), Ok(Choice::Auto));
        assert_eq!(
            Choice::parse("Latin1"),
            Ok(Choice::Declared(encoding_rs::WINDOWS_1252))
        );
        assert_eq!(
            Choice::parse("iso-8859-1"),
            Ok(Choice::Declared(encoding_rs::WINDOWS_1252))
        );
        assert_eq!(
            Choice::parse("UTF8"),
            Ok(Choice::Declared(encoding_rs::UTF_8))
        );
        assert!(
            Choice::parse("klingon")
                .err()
                .unwrap_or_default()
                .contains("unknown encoding")
        );
        assert!(
            Choice::parse("utf-16le")
                .err()
                .unwrap_or_default()
                .contains("UTF-16")
        );
    }

    #[test]
    fn the_whole_file_tells_its_encoding() {
        assert_eq!(sniffed(b"a\nb\n"), Sniff::default());
        let s = sniffed("a\ncafé\n".as_bytes());
        assert_eq!((s.first_invalid_line, s.utf8_text), (None, true));
        let s = sniffed(b"a\nb\ncaf\xe9\n");
        assert_eq!((s.first_invalid_line, s.utf8_text), (Some(3), false));
        let s = sniffed("caf\u{e9}\nb\n\u{e9}t\u{e9}\n".as_bytes());
        assert!(s.utf8_text);
        let mut mixed = "café\n".as_bytes().to_vec();
        mixed.extend_from_slice(b"\xe9t\xe9\n");
        let s = sniffed(&mixed);
        assert_eq!((s.first_invalid_line, s.utf8_text), (Some(2), true));
        // A character cut at the end: not UTF-8.
        let s = sniffed(b"ab\xc3");
        assert_eq!(s.first_invalid_line, Some(1));
    }

    #[test]
    fn a_character_across_buffers_is_still_utf8() {
        let mut big = vec![b'a'; 256 * 1024 - 1];
        big.extend_from_slice("é\nx\n".as_bytes());
        let s = sniffed(&big);
        assert_eq!((s.first_invalid_line, s.utf8_text), (None, true));
    }

    #[test]
    fn decoding_gives_reasons() {
        let w = Decoding::Legacy(encoding_rs::WINDOWS_1252);
        assert_eq!(
            w.decode(b"caf\xe9 \x80 \x92", "line").as_deref(),
            Ok("café € ’")
        );
        let r = w.decode(b"ab\x81", "line").err().unwrap_or_default();
        assert!(
            r.starts_with("byte 3 of the line (0x81) is no character in windows-1252"),
            "{r}"
        );
        let u = Decoding::Utf8 { mixed: false };
        assert_eq!(
            u.decode(b"caf\xe9", "record").err().as_deref(),
            Some("invalid UTF-8 (byte 4 of the record)")
        );
        let r = Decoding::Utf8 { mixed: true }
            .decode(b"caf\xe9", "line")
            .err()
            .unwrap_or_default();
        assert!(r.contains("although the rest of the file is UTF-8"), "{r}");
        let r = u.decode(b"a\0b", "line").err().unwrap_or_default();
        assert!(r.starts_with("a NUL byte (byte 2 of the line)"), "{r}");
        // A C1 control in UTF-8 is kept: real corpora hold them.
        assert_eq!(
            u.decode("l\u{92}eau".as_bytes(), "line").as_deref(),
            Ok("l\u{92}eau")
        );
        let (d, note) = resolve(Choice::Auto, Some(&sniffed(b"x\ncaf\xe9\n")));
        assert_eq!(d, Decoding::Legacy(encoding_rs::WINDOWS_1252));
        assert!(note.unwrap_or_default().contains("from line 2"));
        assert!(refuse_utf16(b"\xff\xfei\0d\0").is_err());
    }
}
