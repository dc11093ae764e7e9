//! Reading an import file: gzip by its magic bytes, the format by its first line (or as told),
//! then one `RawRow` per record with its line number, streamed. A record that cannot be read
//! (invalid UTF-8, broken JSON) becomes a reason instead of a row; only an unreadable file (I/O,
//! a damaged gzip stream, a CSV header without a body column) stops the reading.

use serde::{Deserialize, Deserializer};
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// One JSON object per line, in the documented schema (`docs/import.md`); the Grand Débat's
    /// `{id, theme, question, text}` is a case of it.
    Jsonl,
    /// Comma-separated, with a header line naming the same fields.
    Csv,
    /// Decidim's proposals export: `;`-separated, keys flattened like `title/fr`.
    Decidim,
}

impl Format {
    /// `auto` gives `None`: detect from the file.
    pub fn parse(s: &str) -> Result<Option<Format>, String> {
        match s {
            "auto" => Ok(None),
            "jsonl" => Ok(Some(Format::Jsonl)),
            "csv" => Ok(Some(Format::Csv)),
            "decidim" => Ok(Some(Format::Decidim)),
            _ => Err(format!(
                "unknown format {s:?}: use auto, jsonl, csv or decidim"
            )),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Format::Jsonl => "JSON Lines",
            Format::Csv => "CSV",
            Format::Decidim => "Decidim proposals (CSV)",
        }
    }
}

/// A record's fields, as text, before any checking. Empty and absent are the same.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct RawRow {
    #[serde(alias = "external_id", deserialize_with = "text")]
    pub id: Option<String>,
    #[serde(deserialize_with = "text")]
    pub question: Option<String>,
    #[serde(deserialize_with = "text")]
    pub question_number: Option<String>,
    #[serde(deserialize_with = "text")]
    pub title: Option<String>,
    #[serde(alias = "text", deserialize_with = "text")]
    pub body: Option<String>,
    #[serde(deserialize_with = "text")]
    pub category: Option<String>,
    #[serde(deserialize_with = "text")]
    pub quartier: Option<String>,
    #[serde(deserialize_with = "text")]
    pub channel: Option<String>,
    #[serde(deserialize_with = "text")]
    pub kind: Option<String>,
    #[serde(deserialize_with = "text")]
    pub created_at: Option<String>,
    #[serde(deserialize_with = "text")]
    pub place: Option<String>,
    #[serde(deserialize_with = "text")]
    pub received_at: Option<String>,
    /// The subject at the source (a Decidim category, the Grand Débat's theme): a theme tag.
    #[serde(deserialize_with = "text")]
    pub theme: Option<String>,
    /// Decidim only (not read from JSON Lines or CSV): state, withdrawal, supports, official
    /// answer, address and meeting links at the source.
    #[serde(skip)]
    pub state: Option<String>,
    #[serde(skip)]
    pub withdrawn: Option<String>,
    #[serde(skip)]
    pub supports: Option<String>,
    #[serde(skip)]
    pub answer: Option<String>,
    #[serde(skip)]
    pub url: Option<String>,
    #[serde(skip)]
    pub links: Option<String>,
    #[serde(skip)]
    pub group_name: Option<String>,
}

/// A JSON string, number or boolean as text; `null` as nothing; objects and arrays refused.
fn text<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    use serde_json::Value;
    match Value::deserialize(d)? {
        Value::Null => Ok(None),
        Value::String(s) => Ok(Some(s)),
        Value::Number(n) => Ok(Some(n.to_string())),
        Value::Bool(b) => Ok(Some(b.to_string())),
        _ => Err(serde::de::Error::custom(
            "expected text or a number, found an object or a list",
        )),
    }
}

pub struct Record {
    pub line: u64,
    pub row: Result<RawRow, String>,
}

/// The records of a file, in order. An `Err` item is a fatal reading error.
pub enum Records {
    Jsonl(JsonLines),
    Csv(Box<CsvRecords>),
}

impl Iterator for Records {
    type Item = anyhow::Result<Record>;
    fn next(&mut self) -> Option<Self::Item> {
        match self {
            Records::Jsonl(r) => r.next(),
            Records::Csv(r) => r.next(),
        }
    }
}

/// Opens `path` (through `wrap`, which sees the raw bytes: the progress bar counts them), undoes
/// gzip, and picks the format: `format` if given, else detected.
pub fn open(
    path: &Path,
    format: Option<Format>,
    lang: &str,
    wrap: impl FnOnce(std::fs::File) -> Box<dyn Read + Send>,
) -> anyhow::Result<(Format, Records)> {
    let file = std::fs::File::open(path)
        .map_err(|e| anyhow::anyhow!("cannot open {}: {e}", path.display()))?;
    let mut raw = BufReader::new(wrap(file));
    let gzipped = raw.fill_buf()?.starts_with(&[0x1f, 0x8b]);
    let mut input: Box<dyn BufRead + Send> = if gzipped {
        Box::new(BufReader::with_capacity(
            256 * 1024,
            flate2::read::MultiGzDecoder::new(raw),
        ))
    } else {
        Box::new(raw)
    };
    // The first line (at most 64 KiB of it) tells the format; it is read again from the start.
    let mut head = Vec::new();
    (&mut input).take(64 * 1024).read_until(b'\n', &mut head)?;
    let format = match format {
        Some(f) => f,
        None => detect(&head),
    };
    let input: Box<dyn BufRead + Send> = Box::new(std::io::Cursor::new(head).chain(input));
    let records = match format {
        Format::Jsonl => Records::Jsonl(JsonLines {
            input,
            line: 0,
            buf: Vec::new(),
        }),
        Format::Csv => Records::Csv(Box::new(CsvRecords::new(input, b',', false, lang)?)),
        Format::Decidim => Records::Csv(Box::new(CsvRecords::new(input, b';', true, lang)?)),
    };
    Ok((format, records))
}

const BOM: &[u8] = b"\xef\xbb\xbf";

/// JSON Lines when the first line starts with `{`; Decidim when it is a `;`-separated header
/// with an `id` and a title or body column; CSV otherwise.
fn detect(first_line: &[u8]) -> Format {
    let line = first_line.strip_prefix(BOM).unwrap_or(first_line);
    if line.trim_ascii_start().starts_with(b"{") {
        return Format::Jsonl;
    }
    let header = String::from_utf8_lossy(line);
    let names: Vec<String> = header
        .trim_end()
        .split(';')
        .map(|s| s.trim().trim_matches('"').to_ascii_lowercase())
        .collect();
    let named = |base: &str| {
        names
            .iter()
            .any(|n| n == base || n.starts_with(&format!("{base}/")))
    };
    if names.len() > 1 && names.iter().any(|n| n == "id") && (named("title") || named("body")) {
        Format::Decidim
    } else {
        Format::Csv
    }
}

pub struct JsonLines {
    input: Box<dyn BufRead + Send>,
    line: u64,
    buf: Vec<u8>,
}

impl JsonLines {
    fn next(&mut self) -> Option<anyhow::Result<Record>> {
        loop {
            self.buf.clear();
            match self.input.read_until(b'\n', &mut self.buf) {
                Ok(0) => return None,
                Ok(_) => {}
                Err(e) => {
                    return Some(Err(anyhow::anyhow!(
                        "cannot read the file after line {}: {e}",
                        self.line
                    )));
                }
            }
            self.line += 1;
            let mut bytes = self.buf.as_slice();
            if self.line == 1 {
                bytes = bytes.strip_prefix(BOM).unwrap_or(bytes);
            }
            let bytes = bytes.trim_ascii();
            if bytes.is_empty() {
                continue;
            }
            return Some(Ok(Record {
                line: self.line,
                row: json_row(bytes),
            }));
        }
    }
}

fn json_row(bytes: &[u8]) -> Result<RawRow, String> {
    let text = std::str::from_utf8(bytes)
        .map_err(|e| format!("invalid UTF-8 (byte {} of the line)", e.valid_up_to() + 1))?;
    if !text.starts_with('{') {
        return Err("not a JSON object".into());
    }
    serde_json::from_str(text).map_err(|e| {
        if e.is_eof() {
            format!(
                "truncated JSON: the line ends inside the object (column {})",
                e.column()
            )
        } else {
            format!("broken JSON: {e}")
        }
    })
}

/// Where each field of `RawRow` is in a CSV record. Decidim's translated fields list several
/// columns, best first (the instance's language, then untranslated, then the others).
#[derive(Default)]
pub struct Columns {
    pub count: usize,
    id: Vec<usize>,
    question: Vec<usize>,
    question_number: Vec<usize>,
    title: Vec<usize>,
    body: Vec<usize>,
    category: Vec<usize>,
    quartier: Vec<usize>,
    channel: Vec<usize>,
    kind: Vec<usize>,
    created_at: Vec<usize>,
    place: Vec<usize>,
    received_at: Vec<usize>,
    theme: Vec<usize>,
    state: Vec<usize>,
    withdrawn: Vec<usize>,
    supports: Vec<usize>,
    answer: Vec<usize>,
    url: Vec<usize>,
    links: Vec<usize>,
}

/// The columns of a Decidim translated field, best first: the instance's language, then the
/// untranslated column, then the other languages (machine translations, one level deeper, are
/// not read).
pub fn translated(names: &[String], base: &str, lang: &str) -> Vec<usize> {
    let preferred = format!("{base}/{lang}");
    let mut cols: Vec<usize> = names
        .iter()
        .position(|n| *n == preferred)
        .into_iter()
        .collect();
    cols.extend(names.iter().position(|n| n == base));
    let prefix = format!("{base}/");
    cols.extend(names.iter().enumerate().filter_map(|(i, n)| {
        let rest = n.strip_prefix(&prefix)?;
        (*n != preferred && !rest.contains('/') && rest != "id").then_some(i)
    }));
    cols
}

/// The first of `keys` that names a column, as a list of at most one.
pub fn first_of(names: &[String], keys: &[&str]) -> Vec<usize> {
    keys.iter()
        .filter_map(|k| names.iter().position(|n| n == k))
        .take(1)
        .collect()
}

impl Columns {
    fn documented(names: &[String]) -> Columns {
        let find = |keys: &[&str]| -> Vec<usize> {
            keys.iter()
                .filter_map(|k| names.iter().position(|n| n == k))
                .take(1)
                .collect()
        };
        Columns {
            count: names.len(),
            id: find(&["id", "external_id"]),
            question: find(&["question"]),
            question_number: find(&["question_number"]),
            title: find(&["title"]),
            body: find(&["body", "text"]),
            category: find(&["category"]),
            quartier: find(&["quartier"]),
            channel: find(&["channel"]),
            kind: find(&["kind"]),
            created_at: find(&["created_at"]),
            place: find(&["place"]),
            received_at: find(&["received_at"]),
            theme: find(&["theme"]),
            ..Columns::default()
        }
    }

    /// Decidim's proposals (every version since 0.23, `docs/import.md`): the category is a theme,
    /// the scope the quartier; authors are not read.
    pub fn decidim(names: &[String], lang: &str) -> Columns {
        let tr = |base: &str| translated(names, base, lang);
        let first = |keys: &[&str]| -> Vec<usize> {
            keys.iter()
                .filter_map(|k| names.iter().position(|n| n == k))
                .collect()
        };
        Columns {
            count: names.len(),
            id: first(&["id"]),
            title: tr("title"),
            body: tr("body"),
            theme: tr("category/name"),
            quartier: tr("scope/name"),
            created_at: first(&["created_at", "published_at"]),
            state: first(&["state"]),
            withdrawn: first(&["withdrawn"]),
            supports: first(&["votes", "supports"]),
            answer: tr("answer"),
            url: first(&["url"]),
            links: first(&["meeting_urls"]),
            ..Columns::default()
        }
    }

    /// The row of a record whose fields `field` gives (`None` past the end). Decidim's bodies
    /// and answers lose their HTML; our own CSV export's guard against spreadsheet formulas (a
    /// leading `'`) is taken off the others.
    pub fn row<'a>(&self, field: impl Fn(usize) -> Option<&'a str>, decidim: bool) -> RawRow {
        let get = |cols: &[usize]| -> Option<String> {
            cols.iter().find_map(|&i| {
                let v = field(i)?;
                if v.trim().is_empty() {
                    return None;
                }
                let v = match v.strip_prefix('\'') {
                    Some(rest) if !decidim && rest.starts_with(['=', '+', '-', '@']) => rest,
                    _ => v,
                };
                Some(v.to_string())
            })
        };
        let html = |v: Option<String>| {
            if decidim {
                v.map(|b| html_to_text(&b))
            } else {
                v
            }
        };
        RawRow {
            id: get(&self.id),
            question: get(&self.question),
            question_number: get(&self.question_number),
            title: html(get(&self.title)),
            body: html(get(&self.body)),
            category: get(&self.category),
            quartier: get(&self.quartier),
            channel: get(&self.channel),
            kind: get(&self.kind),
            created_at: get(&self.created_at),
            place: get(&self.place),
            received_at: get(&self.received_at),
            theme: get(&self.theme),
            state: get(&self.state),
            withdrawn: get(&self.withdrawn),
            supports: get(&self.supports),
            answer: html(get(&self.answer)),
            url: get(&self.url),
            links: get(&self.links),
            group_name: None,
        }
    }
}

pub struct CsvRecords {
    reader: csv::Reader<Box<dyn BufRead + Send>>,
    columns: Columns,
    record: csv::ByteRecord,
    decidim: bool,
}

impl CsvRecords {
    fn new(
        input: Box<dyn BufRead + Send>,
        delimiter: u8,
        decidim: bool,
        lang: &str,
    ) -> anyhow::Result<CsvRecords> {
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .has_headers(false)
            .flexible(true)
            .from_reader(input);
        let mut header = csv::ByteRecord::new();
        if !reader.read_byte_record(&mut header)? {
            anyhow::bail!("the file is empty: a CSV file starts with a header line");
        }
        let names: Vec<String> = header
            .iter()
            .enumerate()
            .map(|(i, f)| {
                let f = if i == 0 {
                    f.strip_prefix(BOM).unwrap_or(f)
                } else {
                    f
                };
                String::from_utf8_lossy(f).trim().to_ascii_lowercase()
            })
            .collect();
        if decidim
            && names.iter().any(|n| {
                n == "commentable_type"
                    || n == "commentable_id"
                    || n.starts_with("instructions")
                    || n == "start_time"
            })
        {
            anyhow::bail!(
                "a Decidim comments, debates or meetings export, not a proposals one: import the \
                 folder of the process's exports with `concorde import decidim DIR`"
            );
        }
        let columns = if decidim {
            Columns::decidim(&names, lang)
        } else {
            Columns::documented(&names)
        };
        if columns.body.is_empty() {
            anyhow::bail!(
                "the header line names no {} column (columns: {})",
                if decidim {
                    "body or body/LANG"
                } else {
                    "body (or text)"
                },
                names.join(", ")
            );
        }
        Ok(CsvRecords {
            reader,
            columns,
            record: csv::ByteRecord::new(),
            decidim,
        })
    }

    fn next(&mut self) -> Option<anyhow::Result<Record>> {
        match self.reader.read_byte_record(&mut self.record) {
            Ok(false) => None,
            Err(e) => Some(Err(anyhow::anyhow!("cannot read the file: {e}"))),
            Ok(true) => {
                let line = self.record.position().map_or(0, |p| p.line());
                Some(Ok(Record {
                    line,
                    row: self.row(),
                }))
            }
        }
    }

    fn row(&self) -> Result<RawRow, String> {
        let r = &self.record;
        if let Err(e) = std::str::from_utf8(r.as_slice()) {
            return Err(format!(
                "invalid UTF-8 (byte {} of the record)",
                e.valid_up_to() + 1
            ));
        }
        if r.len() != self.columns.count {
            return Err(format!(
                "{} fields where the header has {}",
                r.len(),
                self.columns.count
            ));
        }
        Ok(self
            .columns
            .row(|i| std::str::from_utf8(r.get(i)?).ok(), self.decidim))
    }
}

/// Decidim stores bodies as HTML from its rich-text editor: paragraphs and line breaks become
/// line breaks, other tags go, the common entities are decoded. Plain text passes unchanged.
pub fn html_to_text(s: &str) -> String {
    if !s.contains('<') && !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(start) = rest.find('<') {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        let is_tag = after.starts_with(|c: char| c.is_ascii_alphabetic() || c == '/' || c == '!');
        match after.find('>') {
            Some(end) if is_tag => {
                let name: String = after[..end]
                    .trim_start_matches('/')
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric())
                    .collect::<String>()
                    .to_ascii_lowercase();
                // Scripts and styles are code, not text: dropped with their content.
                if (name == "script" || name == "style") && !after.starts_with('/') {
                    let close = format!("</{name}");
                    let lower = after.to_ascii_lowercase();
                    rest = match lower.find(&close) {
                        Some(i) => match after[i..].find('>') {
                            Some(j) => &after[i + j + 1..],
                            None => "",
                        },
                        None => "",
                    };
                    continue;
                }
                if matches!(
                    name.as_str(),
                    "br" | "p"
                        | "div"
                        | "li"
                        | "ul"
                        | "ol"
                        | "h1"
                        | "h2"
                        | "h3"
                        | "h4"
                        | "h5"
                        | "h6"
                        | "blockquote"
                ) {
                    out.push('\n');
                }
                rest = &after[end + 1..];
            }
            _ => {
                out.push('<');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    let decoded = decode_entities(&out);
    // At most one empty line between paragraphs.
    let mut text = String::with_capacity(decoded.len());
    let mut newlines = 0;
    for c in decoded.trim().chars() {
        if c == '\n' {
            newlines += 1;
            if newlines <= 2 {
                text.push(c);
            }
        } else {
            newlines = 0;
            text.push(c);
        }
    }
    text
}

fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(start) = rest.find('&') {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        let decoded = after.find(';').filter(|&e| e <= 10).and_then(|end| {
            let name = &after[..end];
            let c = match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some(' '),
                _ => match name.strip_prefix('#') {
                    Some(hex) if hex.starts_with(['x', 'X']) => u32::from_str_radix(&hex[1..], 16)
                        .ok()
                        .and_then(char::from_u32),
                    Some(dec) => dec.parse().ok().and_then(char::from_u32),
                    None => None,
                },
            };
            c.map(|c| (c, end))
        });
        match decoded {
            Some((c, end)) => {
                out.push(c);
                rest = &after[end + 1..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_are_told_by_the_first_line() {
        assert_eq!(detect(b"{\"id\": \"1\", \"text\": \"x\"}\n"), Format::Jsonl);
        assert_eq!(detect(b"\xef\xbb\xbf  {\"text\": \"x\"}"), Format::Jsonl);
        assert_eq!(detect(b"id,question,title,body\r\n"), Format::Csv);
        assert_eq!(
            detect(b"id;category/id;category/name/fr;title/fr;body/fr;published_at\n"),
            Format::Decidim
        );
        assert_eq!(detect(b"id;title;body\n"), Format::Decidim);
        assert_eq!(detect(b"title;body\n"), Format::Csv, "no id: not Decidim");
    }

    #[test]
    fn json_lines_give_clear_reasons() {
        assert!(json_row(br#"{"id": 7, "text": "Plus de bus", "theme": "x"}"#).is_ok());
        let r = json_row(br#"{"id": 7, "text": "Plus de bus"#)
            .err()
            .unwrap_or_default();
        assert!(r.starts_with("truncated JSON"), "{r}");
        let r = json_row(b"{\"text\": \"caf\xe9\"}")
            .err()
            .unwrap_or_default();
        assert!(r.starts_with("invalid UTF-8 (byte 14"), "{r}");
        let r = json_row(b"[1, 2]").err().unwrap_or_default();
        assert_eq!(r, "not a JSON object");
        let r = json_row(br#"{"text": {"fr": "x"}}"#)
            .err()
            .unwrap_or_default();
        assert!(r.contains("expected text or a number"), "{r}");
        let row = json_row(br#"{"id": 12, "body": "b", "question_number": 2, "category": null}"#)
            .unwrap_or_default();
        assert_eq!(row.id.as_deref(), Some("12"));
        assert_eq!(row.question_number.as_deref(), Some("2"));
        assert_eq!(row.category, None);
    }

    #[test]
    fn decidim_bodies_lose_their_html() {
        assert_eq!(
            html_to_text("<p>Plus de bus&nbsp;!</p><p>Le soir &amp; le week-end.<br>Merci</p>"),
            "Plus de bus !\n\nLe soir & le week-end.\nMerci"
        );
        assert_eq!(html_to_text("3 < 4 & 5 > 2"), "3 < 4 & 5 > 2");
        assert_eq!(html_to_text("l&#39;école &#x2014; oui"), "l'école — oui");
        assert_eq!(
            html_to_text("<p>Oui</p><script>alert('x')</script><STYLE>p{}</STYLE><p>Non</p>"),
            "Oui\n\nNon"
        );
    }
}
