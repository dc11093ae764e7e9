//! One Decidim export file read into memory as a table of text: a header of flattened keys
//! (`title/fr`, `category/name/fr`, as Decidim's CSV exporter writes them) and one row per
//! record. CSV (`;` or `,`, found from the header) and JSON (Decidim's JSON export: an array of
//! nested objects, flattened here the same way) are read; Excel files are refused with a
//! message. What spreadsheets do to CSV files is undone: a byte-order mark, CRLF line ends, and
//! Windows-1252 (Latin-1) instead of UTF-8.
//!
//! Whole files are read at once: Decidim builds each export in memory before sending it, so
//! they stay small enough (a process of 10,000 proposals is a few megabytes).

use std::path::{Path, PathBuf};

/// Largest file read (Decidim's own exports are far smaller).
const MAX_FILE: u64 = 512 * 1024 * 1024;

pub struct Table {
    pub path: PathBuf,
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
        self.path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    }
}

pub fn read(path: &Path) -> anyhow::Result<Table> {
    let name = path.display();
    let size = std::fs::metadata(path)
        .map_err(|e| anyhow::anyhow!("cannot open {name}: {e}"))?
        .len();
    if size > MAX_FILE {
        anyhow::bail!(
            "{name}: {size} bytes, more than a Decidim export holds (at most {MAX_FILE})"
        );
    }
    let bytes = std::fs::read(path).map_err(|e| anyhow::anyhow!("cannot read {name}: {e}"))?;
    if bytes.starts_with(b"PK\x03\x04") {
        anyhow::bail!(
            "{name}: an Excel (or zip) file, which this version does not read: export the \
             process from Decidim as CSV or JSON, or unzip the archive Decidim mailed"
        );
    }
    let mut notes = Vec::new();
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(&bytes);
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t.to_string(),
        Err(e) => {
            notes.push(format!(
                "not UTF-8 (from byte {}): read as Windows-1252 (Latin-1), as spreadsheets save it",
                e.valid_up_to() + 1
            ));
            windows_1252(bytes)
        }
    };
    let start = text.trim_start();
    let mut table = if start.starts_with('[') || start.starts_with('{') {
        json_table(path, start)?
    } else {
        csv_table(path, &text)?
    };
    table.notes.extend(notes);
    Ok(table)
}

/// Decodes Windows-1252, the superset of Latin-1 that spreadsheets write: every byte is a
/// character, so nothing is lost.
pub fn windows_1252(bytes: &[u8]) -> String {
    const HIGH: [char; 32] = [
        '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8d}', 'Ž',
        '\u{8f}', '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9d}',
        'ž', 'Ÿ',
    ];
    bytes
        .iter()
        .map(|&b| match b {
            0x80..=0x9f => HIGH[(b - 0x80) as usize],
            _ => b as char,
        })
        .collect()
}

fn csv_table(path: &Path, text: &str) -> anyhow::Result<Table> {
    let header = text.lines().next().unwrap_or("");
    // Decidim writes `;` (its default `default_csv_col_sep`); an instance may have chosen `,`.
    let delimiter = if header.matches(';').count() >= header.matches(',').count() {
        b';'
    } else {
        b','
    };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut records = reader.records();
    let names: Vec<String> = match records.next() {
        Some(Ok(h)) => h.iter().map(|f| f.trim().to_lowercase()).collect(),
        Some(Err(e)) => anyhow::bail!("{}: cannot read the header line: {e}", path.display()),
        None => anyhow::bail!(
            "{}: the file is empty (a Decidim export starts with a header line)",
            path.display()
        ),
    };
    let mut rows = Vec::new();
    let mut bad = Vec::new();
    for record in records {
        let record = record.map_err(|e| anyhow::anyhow!("{}: cannot read: {e}", path.display()))?;
        let line = record.position().map_or(0, |p| p.line());
        if record.iter().all(|f| f.trim().is_empty()) {
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
            fields: record.iter().map(str::to_string).collect(),
        });
    }
    Ok(Table {
        path: path.to_path_buf(),
        names,
        rows,
        bad,
        notes: Vec::new(),
    })
}

fn json_table(path: &Path, text: &str) -> anyhow::Result<Table> {
    use serde_json::Value;
    let value: Value = serde_json::from_str(text)
        .map_err(|e| anyhow::anyhow!("{}: broken JSON: {e}", path.display()))?;
    let items = match value {
        Value::Array(items) => items,
        object @ Value::Object(_) => vec![object],
        _ => anyhow::bail!("{}: JSON but neither a list nor an object", path.display()),
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
        path: path.to_path_buf(),
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
    fn latin_1_and_windows_1252_are_decoded() {
        assert_eq!(windows_1252(b"caf\xe9 \x80 \x92"), "café € ’");
    }

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
