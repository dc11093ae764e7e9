//! Reading an import file: a spreadsheet (xlsx, xls, ods) or gzip by its magic bytes, the format
//! by its first line or header row (or as told), the text's encoding as decided beforehand
//! (`encoding.rs`), then one `RawRow` per record with its line number, streamed (a spreadsheet is
//! read whole first: a sheet holds at most a million rows). A record that cannot be read (not in
//! the file's encoding, broken JSON) becomes a reason instead of a row; only an unreadable file
//! (I/O, a damaged gzip stream or workbook, a header without a body column) stops the reading.

use super::encoding::{self, Decoding};
pub use super::html::html_to_text;
use super::lf::Lf;
pub use super::lf::crlf_to_lf;
use super::sheet::{self, SheetRow};
use serde::{Deserialize, Deserializer};
use std::borrow::Cow;
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
    Sheet(Box<SheetRecords>),
}

impl Records {
    /// What the records read so far were, as UTF-8: where the first that is not was, and
    /// whether any holds accented UTF-8 text (what `--encoding auto` decides by).
    pub fn seen(&self) -> encoding::Sniff {
        match self {
            Records::Jsonl(r) => r.seen.clone(),
            Records::Csv(r) => r.seen.take_clone(),
            Records::Sheet(_) => encoding::Sniff::default(),
        }
    }
}

impl Iterator for Records {
    type Item = anyhow::Result<Record>;
    fn next(&mut self) -> Option<Self::Item> {
        match self {
            Records::Jsonl(r) => r.next(),
            Records::Csv(r) => r.next(),
            Records::Sheet(r) => r.next().map(Ok),
        }
    }
}

/// An opened file: its format, its records, and what was done to read it.
pub struct Opened {
    pub format: Format,
    /// The spreadsheet's kind ("Excel workbook (.xlsx)") when it is one.
    pub sheet: Option<&'static str>,
    pub records: Records,
    /// For the summary: the sheet read, the encoding when not UTF-8.
    pub notes: Vec<String>,
}

impl Opened {
    /// The format as the summary names it.
    pub fn label(&self) -> String {
        label(self.format, self.sheet)
    }
}

pub fn label(format: Format, sheet: Option<&str>) -> String {
    match (format, sheet) {
        (_, None) => format.as_str().to_string(),
        (Format::Decidim, Some(kind)) => format!("Decidim proposals ({kind})"),
        (_, Some(kind)) => format!("spreadsheet with the CSV columns ({kind})"),
    }
}

/// What must be known of a file before its passes: how its text is decoded (a spreadsheet's
/// needs nothing). With `--encoding auto`, UTF-8 until the checking pass has seen otherwise.
pub struct Inspected {
    pub decoding: Decoding,
    pub note: Option<String>,
    /// `--encoding auto` on a text file: the checking pass decides (`Records::seen`).
    pub auto: bool,
}

pub fn inspect(path: &Path, choice: encoding::Choice) -> anyhow::Result<Inspected> {
    let file = std::fs::File::open(path)
        .map_err(|e| anyhow::anyhow!("cannot open {}: {e}", path.display()))?;
    let mut input = decompressed(BufReader::new(Box::new(file) as Box<dyn Read + Send>))?;
    let head = input.fill_buf()?;
    if sheet::is_spreadsheet(head) {
        return Ok(Inspected {
            decoding: Decoding::Utf8 { mixed: false },
            auto: false,
            note: match choice {
                encoding::Choice::Auto => None,
                encoding::Choice::Declared(_) => {
                    Some("--encoding is not used for a spreadsheet (its text is Unicode)".into())
                }
            },
        });
    }
    encoding::refuse_utf16(head).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
    let (decoding, note) = encoding::resolve(choice, None);
    Ok(Inspected {
        decoding,
        note,
        auto: choice == encoding::Choice::Auto,
    })
}

/// The file's bytes, gzip undone when its magic bytes say so.
fn decompressed(
    mut raw: BufReader<Box<dyn Read + Send>>,
) -> anyhow::Result<Box<dyn BufRead + Send>> {
    let gzipped = raw.fill_buf()?.starts_with(&[0x1f, 0x8b]);
    Ok(if gzipped {
        Box::new(BufReader::with_capacity(
            256 * 1024,
            flate2::read::MultiGzDecoder::new(raw),
        ))
    } else {
        Box::new(raw)
    })
}

/// Opens `path` (through `wrap`, which sees the raw bytes: the progress bar counts them), undoes
/// gzip, and picks the format: `format` if given, else detected. Text is decoded as `decoding`.
pub fn open(
    path: &Path,
    format: Option<Format>,
    lang: &str,
    decoding: Decoding,
    wrap: impl FnOnce(std::fs::File) -> Box<dyn Read + Send>,
) -> anyhow::Result<Opened> {
    let file = std::fs::File::open(path)
        .map_err(|e| anyhow::anyhow!("cannot open {}: {e}", path.display()))?;
    let mut input = decompressed(BufReader::new(wrap(file)))?;
    if sheet::is_spreadsheet(input.fill_buf()?) {
        return open_sheet(path, input, format, lang);
    }
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
            decoding,
            seen: encoding::Sniff::default(),
        }),
        Format::Csv | Format::Decidim => {
            let lf: Box<dyn BufRead + Send> = Box::new(BufReader::new(Lf {
                inner: input,
                pending_cr: false,
            }));
            let (delimiter, decidim) = match format {
                Format::Decidim => (b';', true),
                _ => (b',', false),
            };
            Records::Csv(Box::new(CsvRecords::new(
                lf, delimiter, decidim, lang, decoding,
            )?))
        }
    };
    Ok(Opened {
        format,
        sheet: None,
        records,
        notes: Vec::new(),
    })
}

/// A spreadsheet: read whole, its first row the header, Decidim's proposals told by their
/// columns (flattened keys, votes or supports) unless the format is given.
fn open_sheet(
    path: &Path,
    mut input: Box<dyn BufRead + Send>,
    format: Option<Format>,
    lang: &str,
) -> anyhow::Result<Opened> {
    let name = path.display().to_string();
    let mut bytes = Vec::new();
    input
        .read_to_end(&mut bytes)
        .map_err(|e| anyhow::anyhow!("cannot read {name}: {e}"))?;
    let sheet = sheet::read(bytes, &name, open_data_header)?;
    let names: Vec<String> = sheet
        .header
        .iter()
        .map(|h| h.trim().to_lowercase())
        .collect();
    let format = match format {
        Some(Format::Jsonl) => anyhow::bail!(
            "{name}: a spreadsheet ({}), not JSON Lines: leave --format out",
            sheet.kind
        ),
        Some(f) => f,
        None if decidim_header(&names) => Format::Decidim,
        None => Format::Csv,
    };
    let decidim = format == Format::Decidim;
    let columns = columns_for(&names, decidim, lang)?;
    let mut records: Vec<(u64, Result<Vec<String>, String>)> = sheet
        .rows
        .into_iter()
        .map(|SheetRow { line, fields }| (line, Ok(fields)))
        .chain(sheet.bad.into_iter().map(|(line, r)| (line, Err(r))))
        .collect();
    records.sort_by_key(|(line, _)| *line);
    Ok(Opened {
        format,
        sheet: Some(sheet.kind),
        records: Records::Sheet(Box::new(SheetRecords {
            rows: records.into_iter(),
            columns,
            decidim,
        })),
        notes: sheet.notes,
    })
}

/// The header of Concorde's own open-data workbook (`docs/open-data.md`: its columns only ever
/// grow at the end), whose date cells are UTC.
fn open_data_header(names: &[String]) -> bool {
    names.starts_with(&[
        "id".to_string(),
        "question_id".to_string(),
        "question".to_string(),
        "kind".to_string(),
    ])
}

/// A header of Decidim's proposals export: an `id`, a title or body, and what only Decidim
/// writes (flattened keys, votes or supports, a publication date).
fn decidim_header(names: &[String]) -> bool {
    let named = |base: &str| {
        names
            .iter()
            .any(|n| n == base || n.starts_with(&format!("{base}/")))
    };
    names.iter().any(|n| n == "id")
        && (named("title") || named("body"))
        && names
            .iter()
            .any(|n| n.contains('/') || matches!(n.as_str(), "votes" | "supports" | "published_at"))
}

pub struct SheetRecords {
    rows: std::vec::IntoIter<(u64, Result<Vec<String>, String>)>,
    columns: Columns,
    decidim: bool,
}

impl SheetRecords {
    fn next(&mut self) -> Option<Record> {
        let (line, fields) = self.rows.next()?;
        let row = fields.and_then(|fields| {
            if let Some(reason) = fields.iter().find_map(|f| nul_cell(f)) {
                return Err(reason);
            }
            Ok(self
                .columns
                .row(|i| fields.get(i).map(String::as_str), self.decidim))
        });
        Some(Record { line, row })
    }
}

/// A cell with a NUL: no text has one (and no database stores it).
fn nul_cell(f: &str) -> Option<String> {
    f.contains('\0')
        .then(|| "a NUL character in a cell: not text".to_string())
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
    decoding: Decoding,
    seen: encoding::Sniff,
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
            self.seen.record(bytes, self.line);
            return Some(Ok(Record {
                line: self.line,
                row: json_row(bytes, self.decoding),
            }));
        }
    }
}

fn json_row(bytes: &[u8], decoding: Decoding) -> Result<RawRow, String> {
    let text = decoding.decode(bytes, "line")?;
    let text = text.as_ref();
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
    /// Decidim 0.30's taxonomies (which replace categories): the `taxonomies/ids` column, and
    /// each taxonomy's name columns (`taxonomies/ID/LANG`), best language first.
    taxonomy_ids: Vec<usize>,
    taxonomy_names: Vec<(String, Vec<usize>)>,
}

/// Decidim 0.30's `taxonomies/ID/LANG` columns, by taxonomy id, the instance's language first
/// (decidim/decidim#13857: `taxonomies: {ids: [7, 9], 7: {fr: …}, 9: {fr: …}}`, flattened).
fn taxonomy_columns(names: &[String], lang: &str) -> Vec<(String, Vec<usize>)> {
    let mut out: Vec<(String, Vec<usize>)> = Vec::new();
    for n in names {
        let Some(rest) = n.strip_prefix("taxonomies/") else {
            continue;
        };
        let Some((id, _)) = rest.split_once('/') else {
            continue;
        };
        if !out.iter().any(|(t, _)| t == id) {
            out.push((
                id.to_string(),
                translated(names, &format!("taxonomies/{id}"), lang),
            ));
        }
    }
    out
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
            taxonomy_ids: first(&["taxonomies/ids"]),
            taxonomy_names: taxonomy_columns(names, lang),
            ..Columns::default()
        }
    }

    /// The names of a row's taxonomies (Decidim 0.30: `taxonomies/ids` lists them, in order),
    /// joined: the theme tag when the row has no category.
    fn taxonomies<'a>(&self, field: &impl Fn(usize) -> Option<&'a str>) -> Option<String> {
        let ids = self.taxonomy_ids.first().and_then(|&i| field(i))?;
        let names: Vec<String> = ids
            .split(',')
            .map(str::trim)
            .filter(|id| !id.is_empty())
            .filter_map(|id| {
                let (_, cols) = self.taxonomy_names.iter().find(|(t, _)| t == id)?;
                cols.iter().find_map(|&i| {
                    let v = field(i)?.trim();
                    (!v.is_empty()).then(|| v.to_string())
                })
            })
            .collect();
        (!names.is_empty()).then(|| names.join(", "))
    }

    /// The row of a record whose fields `field` gives (`None` past the end). Decidim's bodies
    /// and answers lose their HTML; the guard against spreadsheet formulas (a leading `'`) that
    /// both our open data and Decidim's exporters put is taken off.
    pub fn row<'a>(&self, field: impl Fn(usize) -> Option<&'a str>, decidim: bool) -> RawRow {
        let get = |cols: &[usize]| -> Option<String> {
            cols.iter().find_map(|&i| {
                let v = field(i)?;
                if v.trim().is_empty() {
                    return None;
                }
                Some(sheet::unguard(v).to_string())
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
            theme: get(&self.theme).or_else(|| self.taxonomies(&field)),
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
    decoding: Decoding,
    seen: encoding::SeenCell,
}

/// The columns of a header (names trimmed, in lower case), with a message when the header is
/// that of another Decidim export or names no body.
fn columns_for(names: &[String], decidim: bool, lang: &str) -> anyhow::Result<Columns> {
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
        Columns::decidim(names, lang)
    } else {
        Columns::documented(names)
    };
    if columns.body.is_empty() && decidim {
        // A renamed column (another version, another language's export): say what is expected.
        let missing: Vec<&str> = [
            ("id", !columns.id.is_empty()),
            ("title*", !columns.title.is_empty()),
            ("body*", false),
        ]
        .into_iter()
        .filter(|(_, found)| !found)
        .map(|(name, _)| name)
        .collect();
        anyhow::bail!(
            "a Decidim proposals export of a version this one does not read: missing column{} {} \
             (expected id, title*, body*, and when present category/name/LANG, scope/name/LANG, \
             taxonomies/ids, state, withdrawn, votes or supports, answer/LANG, created_at or \
             published_at, url, meeting_urls; `x*` means x or x/LANG); columns found: {}",
            if missing.len() == 1 { "" } else { "s" },
            missing.join(", "),
            names.join(", ")
        );
    }
    if columns.body.is_empty() {
        anyhow::bail!(
            "the header line names no body (or text) column (columns: {})",
            names.join(", ")
        );
    }
    Ok(columns)
}

impl CsvRecords {
    fn new(
        input: Box<dyn BufRead + Send>,
        delimiter: u8,
        decidim: bool,
        lang: &str,
        decoding: Decoding,
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
        let seen = encoding::SeenCell::default();
        seen.record(header.as_slice(), 1);
        let names: Vec<String> = header
            .iter()
            .enumerate()
            .map(|(i, f)| {
                let f = if i == 0 {
                    f.strip_prefix(BOM).unwrap_or(f)
                } else {
                    f
                };
                let name = match decoding.decode(f, "header") {
                    Ok(t) => t.into_owned(),
                    Err(_) => String::from_utf8_lossy(f).into_owned(),
                };
                name.trim().to_lowercase()
            })
            .collect();
        let columns = columns_for(&names, decidim, lang)?;
        Ok(CsvRecords {
            reader,
            columns,
            record: csv::ByteRecord::new(),
            decidim,
            decoding,
            seen,
        })
    }

    fn next(&mut self) -> Option<anyhow::Result<Record>> {
        match self.reader.read_byte_record(&mut self.record) {
            Ok(false) => None,
            Err(e) => Some(Err(anyhow::anyhow!("cannot read the file: {e}"))),
            Ok(true) => {
                let line = self.record.position().map_or(0, |p| p.line());
                self.seen.record(self.record.as_slice(), line);
                Some(Ok(Record {
                    line,
                    row: self.row(),
                }))
            }
        }
    }

    fn row(&self) -> Result<RawRow, String> {
        let r = &self.record;
        // The whole record first: the reason names its byte.
        self.decoding.decode(r.as_slice(), "record")?;
        if r.len() != self.columns.count {
            return Err(format!(
                "{} fields where the header has {}",
                r.len(),
                self.columns.count
            ));
        }
        Ok(match self.decoding {
            Decoding::Utf8 { .. } => self
                .columns
                .row(|i| std::str::from_utf8(r.get(i)?).ok(), self.decidim),
            Decoding::Legacy(_) => {
                let fields: Vec<Cow<str>> = r
                    .iter()
                    .map(|f| self.decoding.decode(f, "field").unwrap_or_default())
                    .collect();
                self.columns
                    .row(|i| fields.get(i).map(|f| f.as_ref()), self.decidim)
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const UTF8: Decoding = Decoding::Utf8 { mixed: false };

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
        assert!(json_row(br#"{"id": 7, "text": "Plus de bus", "theme": "x"}"#, UTF8).is_ok());
        let r = json_row(br#"{"id": 7, "text": "Plus de bus"#, UTF8)
            .err()
            .unwrap_or_default();
        assert!(r.starts_with("truncated JSON"), "{r}");
        let r = json_row(b"{\"text\": \"caf\xe9\"}", UTF8)
            .err()
            .unwrap_or_default();
        assert!(r.starts_with("invalid UTF-8 (byte 14"), "{r}");
        let r = json_row(b"[1, 2]", UTF8).err().unwrap_or_default();
        assert_eq!(r, "not a JSON object");
        let r = json_row(br#"{"text": {"fr": "x"}}"#, UTF8)
            .err()
            .unwrap_or_default();
        assert!(r.contains("expected text or a number"), "{r}");
        let row = json_row(
            br#"{"id": 12, "body": "b", "question_number": 2, "category": null}"#,
            UTF8,
        )
        .unwrap_or_default();
        assert_eq!(row.id.as_deref(), Some("12"));
        assert_eq!(row.question_number.as_deref(), Some("2"));
        assert_eq!(row.category, None);
    }
}
