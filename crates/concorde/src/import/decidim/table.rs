//! One Decidim export file read into memory as a table of text: a header of flattened keys
//! (`title/fr`, `category/name/fr`, as Decidim's CSV exporter writes them) and one row per
//! record. CSV (`;` or `,`, found from the header) and JSON (Decidim's JSON export: an array of
//! nested objects, flattened here the same way) and Excel (`.xlsx` since Decidim 0.24, `.xls`
//! before: `sheet.rs`) are read. What spreadsheets do to CSV files is undone: a byte-order mark,
//! CRLF line ends, and Windows-1252 (Latin-1) instead of UTF-8 (`encoding.rs`: a file that mixes
//! both has its non-UTF-8 lines rejected, not read as mojibake).
//!
//! Whole files are read at once: Decidim builds each export in memory before sending it, so
//! they stay small enough (a process of 10,000 proposals is a few megabytes).

use crate::import::encoding::{self, Choice, Decoding};
use crate::import::sheet;
use std::path::Path;

/// Largest file read (Decidim's own exports are far smaller).
const MAX_FILE: u64 = 512 * 1024 * 1024;

pub struct Table {
    /// The file's name (`export.zip/proposals.csv` inside an archive), for messages.
    pub name: String,
    /// Column names, trimmed and in lower case.
    pub names: Vec<String>,
    pub rows: Vec<Row>,
    /// Records that could not be read (a wrong number of fields), with their reasons.
    pub bad: Vec<(u64, String)>,
    /// What was done to read it (the encoding), for the summary.
    pub notes: Vec<String>,
}

pub struct Row {
    /// The CSV line where the record starts, or the JSON record's number (1-based).
    pub line: u64,
    pub fields: Vec<String>,
}

impl Row {
    pub fn get(&self, i: usize) -> Option<&str> {
        self.fields.get(i).map(String::as_str)
    }
}

impl Table {
    pub fn file_name(&self) -> String {
        self.name.clone()
    }
}

/// A file's bytes, its size checked first.
pub fn bytes(path: &Path) -> anyhow::Result<Vec<u8>> {
    let name = path.display();
    let size = std::fs::metadata(path)
        .map_err(|e| anyhow::anyhow!("cannot open {name}: {e}"))?
        .len();
    if size > MAX_FILE {
        anyhow::bail!(
            "{name}: {size} bytes, more than a Decidim export holds (at most {MAX_FILE})"
        );
    }
    std::fs::read(path).map_err(|e| anyhow::anyhow!("cannot read {name}: {e}"))
}

/// One export file, `name` being what messages call it.
pub fn read(name: &str, bytes: Vec<u8>, choice: Choice) -> anyhow::Result<Table> {
    let mut table = text_or_sheet(name, bytes, choice)?;
    // A NUL can come escaped in JSON (`\u0000`) or sit in a cell; no database stores it in text.
    let names = table.names.clone();
    table.rows.retain(|row| {
        let nul = row.fields.iter().position(|f| f.contains('\0'));
        if let Some(i) = nul {
            let column = names.get(i).map(String::as_str).unwrap_or("?");
            table
                .bad
                .push((row.line, format!("a NUL character in {column}: not text")));
        }
        nul.is_none()
    });
    table.bad.sort_by_key(|(line, _)| *line);
    Ok(table)
}

fn text_or_sheet(name: &str, bytes: Vec<u8>, choice: Choice) -> anyhow::Result<Table> {
    if sheet::is_spreadsheet(&bytes) {
        return sheet_table(name, bytes);
    }
    encoding::refuse_utf16(&bytes).map_err(|e| anyhow::anyhow!("{name}: {e}"))?;
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(&bytes);
    let sniffed = match choice {
        Choice::Auto => Some(encoding::sniff(bytes)?),
        Choice::Declared(_) => None,
    };
    let (decoding, note) = encoding::resolve(choice, sniffed.as_ref());
    let start = bytes.trim_ascii_start();
    let mut table = if start.starts_with(b"[") || start.starts_with(b"{") {
        // JSON has no lines to reject one by one: the whole file is refused.
        let text = decoding
            .decode(start, "file")
            .map_err(|e| anyhow::anyhow!("{name}: {e}"))?;
        json_table(name, &text)?
    } else {
        csv_table(name, bytes, decoding)?
    };
    table.notes.extend(note);
    Ok(table)
}

/// Decidim's Excel export (`sheet.rs`): the header row's keys are those of the CSV.
fn sheet_table(name: &str, bytes: Vec<u8>) -> anyhow::Result<Table> {
    // Decidim writes its times in the organisation's zone, without an offset.
    let s = sheet::read(bytes, name, |_| false)?;
    Ok(Table {
        name: name.to_string(),
        names: s.header.iter().map(|h| h.trim().to_lowercase()).collect(),
        rows: s
            .rows
            .into_iter()
            .map(|r| Row {
                line: r.line,
                fields: r.fields,
            })
            .collect(),
        bad: s.bad,
        notes: s.notes,
    })
}

fn csv_table(name: &str, bytes: &[u8], decoding: Decoding) -> anyhow::Result<Table> {
    // CRLF as LF: the CSV reader numbers the records of a CRLF file one line short.
    let lf = crate::import::read::crlf_to_lf(bytes);
    let bytes = lf.as_slice();
    let header = bytes.split(|&b| b == b'\n').next().unwrap_or_default();
    let count = |c: u8| header.iter().filter(|&&b| b == c).count();
    // Decidim writes `;` (its default `default_csv_col_sep`); an instance may have chosen `,`.
    let delimiter = if count(b';') >= count(b',') {
        b';'
    } else {
        b','
    };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    let mut records = reader.byte_records();
    let text = |f: &[u8]| match decoding.decode(f, "field") {
        Ok(t) => t.into_owned(),
        Err(_) => String::from_utf8_lossy(f).into_owned(),
    };
    let names: Vec<String> = match records.next() {
        Some(Ok(h)) => h.iter().map(|f| text(f).trim().to_lowercase()).collect(),
        Some(Err(e)) => anyhow::bail!("{name}: cannot read the header line: {e}"),
        None => {
            anyhow::bail!("{name}: the file is empty (a Decidim export starts with a header line)")
        }
    };
    let mut rows = Vec::new();
    let mut bad = Vec::new();
    for record in records {
        let record = record.map_err(|e| anyhow::anyhow!("{name}: cannot read: {e}"))?;
        let line = record.position().map_or(0, |p| p.line());
        if record.iter().all(|f| f.trim_ascii().is_empty()) {
            continue;
        }
        if let Err(reason) = decoding.decode(record.as_slice(), "record") {
            bad.push((line, reason));
            continue;
        }
        if record.len() != names.len() {
            bad.push((
                line,
                format!(
                    "{} fields where the header has {} (a {} in an unquoted text?)",
                    record.len(),
                    names.len(),
                    delimiter as char
                ),
            ));
            continue;
        }
        rows.push(Row {
            line,
            fields: record.iter().map(text).collect(),
        });
    }
    Ok(Table {
        name: name.to_string(),
        names,
        rows,
        bad,
        notes: Vec::new(),
    })
}

fn json_table(name: &str, text: &str) -> anyhow::Result<Table> {
    use serde_json::Value;
    let value: Value =
        serde_json::from_str(text).map_err(|e| anyhow::anyhow!("{name}: broken JSON: {e}"))?;
    let items = match value {
        Value::Array(items) => items,
        object @ Value::Object(_) => vec![object],
        _ => anyhow::bail!("{name}: JSON but neither a list nor an object"),
    };
    let mut names: Vec<String> = Vec::new();
    let mut index = std::collections::HashMap::new();
    let mut flat_items = Vec::with_capacity(items.len());
    let mut bad = Vec::new();
    for (i, item) in items.iter().enumerate() {
        if !item.is_object() {
            bad.push((i as u64 + 1, "not a JSON object".to_string()));
            flat_items.push(None);
            continue;
        }
        let mut flat = Vec::new();
        flatten(item, String::new(), &mut flat);
        for (k, _) in &flat {
            if !index.contains_key(k) {
                index.insert(k.clone(), names.len());
                names.push(k.clone());
            }
        }
        flat_items.push(Some(flat));
    }
    let rows = flat_items
        .into_iter()
        .enumerate()
        .filter_map(|(i, flat)| {
            let flat = flat?;
            let mut fields = vec![String::new(); names.len()];
            for (k, v) in flat {
                if let Some(&j) = index.get(&k) {
                    fields[j] = v;
                }
            }
            Some(Row {
                line: i as u64 + 1,
                fields,
            })
        })
        .collect();
    Ok(Table {
        name: name.to_string(),
        names,
        rows,
        bad,
        notes: Vec::new(),
    })
}

/// Nested objects become `a/b/c` keys and lists are joined with `, `, as Decidim's CSV
/// exporter does, so that one set of column names serves both formats.
fn flatten(v: &serde_json::Value, key: String, out: &mut Vec<(String, String)>) {
    use serde_json::Value;
    match v {
        Value::Object(map) => {
            for (k, v) in map {
                let sub = if key.is_empty() {
                    k.to_lowercase()
                } else {
                    format!("{key}/{}", k.to_lowercase())
                };
                flatten(v, sub, out);
            }
        }
        Value::Array(items) => {
            let parts: Vec<String> = items
                .iter()
                .map(|i| match i {
                    Value::String(s) => s.clone(),
                    Value::Null => String::new(),
                    other => other.to_string(),
                })
                .collect();
            out.push((key, parts.join(", ")));
        }
        Value::Null => out.push((key, String::new())),
        Value::String(s) => out.push((key, s.clone())),
        other => out.push((key, other.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_is_flattened_like_the_csv_export() {
        let v: serde_json::Value = serde_json::from_str(
            r#"{"id": 3, "title": {"fr": "Vélo", "machine_translations": {"en": "Bike"}},
                "meeting_urls": ["https://a/1", "https://a/2"], "votes": null}"#,
        )
        .unwrap_or_default();
        let mut out = Vec::new();
        flatten(&v, String::new(), &mut out);
        let get = |k: &str| out.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
        assert_eq!(get("id"), Some("3"));
        assert_eq!(get("title/fr"), Some("Vélo"));
        assert_eq!(get("title/machine_translations/en"), Some("Bike"));
        assert_eq!(get("meeting_urls"), Some("https://a/1, https://a/2"));
        assert_eq!(get("votes"), Some(""));
    }
}
