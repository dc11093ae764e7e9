//! Reading the CSV files polling firms and statistics offices deliver: `;` or `,` (or tab)
//! separated, UTF-8 with or without a byte-order mark, or Latin-1 (read as Windows-1252, its
//! superset, so that `œ`, `€` and curly quotes survive). The separator is the one of these three
//! that occurs most often in the header line (`;` on a tie).

use crate::Error;

/// The encoding a file turned out to be in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Encoding {
    Utf8,
    Utf8Bom,
    /// Not valid UTF-8: read as Windows-1252 (Latin-1 and its usual superset).
    Latin1,
    /// A spreadsheet (.xlsx, .xls, .ods): its first sheet with cells.
    Spreadsheet,
}

/// A table: trimmed header names, and rows of trimmed cells with their line in the file.
#[derive(Debug, Clone)]
pub struct Table {
    pub headers: Vec<String>,
    pub rows: Vec<csv::StringRecord>,
    /// The file's line (1-based, the header being line 1) where each row starts.
    pub lines: Vec<u64>,
    pub encoding: Encoding,
    pub delimiter: u8,
}

impl Table {
    /// The index of a column: its exact name, else the only one equal ignoring case and spaces.
    pub fn column(&self, name: &str) -> Option<usize> {
        let name = name.trim();
        if let Some(i) = self.headers.iter().position(|h| h == name) {
            return Some(i);
        }
        let key = crate::label_key(name);
        let mut found = self
            .headers
            .iter()
            .enumerate()
            .filter(|(_, h)| crate::label_key(h) == key);
        match (found.next(), found.next()) {
            (Some((i, _)), None) => Some(i),
            _ => None,
        }
    }

    /// The trimmed cell of a row (empty when the row is short).
    pub fn cell(&self, row: usize, column: usize) -> &str {
        self.rows
            .get(row)
            .and_then(|r| r.get(column))
            .unwrap_or("")
            .trim()
    }

    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }
}

/// Decodes bytes as UTF-8 (a BOM dropped) or, when they are not valid UTF-8, as Windows-1252.
pub fn decode(bytes: &[u8]) -> (String, Encoding) {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return (
            String::from_utf8_lossy(rest).into_owned(),
            Encoding::Utf8Bom,
        );
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => (s.to_string(), Encoding::Utf8),
        Err(_) => (bytes.iter().map(|&b| cp1252(b)).collect(), Encoding::Latin1),
    }
}

/// One Windows-1252 byte as a character: Latin-1 except the 0x80–0x9F block.
fn cp1252(b: u8) -> char {
    const HIGH: [char; 32] = [
        '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8D}', 'Ž',
        '\u{8F}', '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9D}',
        'ž', 'Ÿ',
    ];
    if (0x80..0xA0).contains(&b) {
        HIGH[(b - 0x80) as usize]
    } else {
        b as char
    }
}

fn sniff_delimiter(text: &str) -> u8 {
    let header = text.lines().next().unwrap_or("");
    let count = |c: char| header.chars().filter(|&x| x == c).count();
    let (semi, comma, tab) = (count(';'), count(','), count('\t'));
    if tab > semi && tab > comma {
        b'\t'
    } else if comma > semi {
        b','
    } else {
        b';'
    }
}

/// Whether the bytes are a spreadsheet: a zip (.xlsx, .ods) or an OLE file (.xls).
pub fn is_spreadsheet(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04")
        || bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1])
}

fn check_headers(headers: &[String], what: &str) -> Result<(), Error> {
    for (i, h) in headers.iter().enumerate() {
        if h.is_empty() {
            return Err(Error::Table(format!(
                "the {what} file's header has an empty column name (column {})",
                i + 1
            )));
        }
        if headers[..i].iter().any(|o| o == h) {
            return Err(Error::Table(format!(
                "the {what} file's header names the column {h:?} twice"
            )));
        }
    }
    Ok(())
}

/// A cell as the CSV export of the same sheet would write it: whole numbers without `.0`.
fn cell_text(c: &calamine::Data) -> String {
    use calamine::Data;
    match c {
        Data::Empty => String::new(),
        Data::String(s) => s.trim().to_string(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(d) => {
            let (y, mo, day, h, mi, sec, _) = d.to_ymd_hms_milli();
            if (h, mi, sec) == (0, 0, 0) {
                format!("{y:04}-{mo:02}-{day:02}")
            } else {
                format!("{y:04}-{mo:02}-{day:02} {h:02}:{mi:02}:{sec:02}")
            }
        }
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Error(e) => format!("#{e}"),
    }
}

/// The first sheet with cells of a workbook, its first row the header; the line of a row is
/// its row number in the sheet.
fn read_sheet(bytes: &[u8], what: &str) -> Result<Table, Error> {
    use calamine::Reader;
    let mut book = calamine::open_workbook_auto_from_rs(std::io::Cursor::new(bytes.to_vec()))
        .map_err(|e| {
            Error::Table(format!(
                "the {what} file is not a readable spreadsheet (.xlsx, .xls or .ods): {e}"
            ))
        })?;
    let count = book.sheet_names().len();
    let mut range = None;
    for i in 0..count {
        match book.worksheet_range_at(i) {
            Some(Ok(r)) if r.used_cells().any(|(_, _, c)| !cell_text(c).is_empty()) => {
                range = Some(r);
                break;
            }
            Some(Err(e)) => {
                return Err(Error::Table(format!(
                    "the {what} file's sheet {}: {e}",
                    i + 1
                )));
            }
            _ => {}
        }
    }
    let Some(range) = range else {
        return Err(Error::Table(format!("the {what} file is empty")));
    };
    let start_row = range.start().map(|(r, _)| r as u64).unwrap_or(0);
    let mut rows_iter = range.rows();
    let headers: Vec<String> = rows_iter
        .next()
        .map(|r| r.iter().map(cell_text).collect())
        .unwrap_or_default();
    // Trailing empty header cells are the sheet's width, not columns.
    let width = headers
        .iter()
        .rposition(|h| !h.is_empty())
        .map(|i| i + 1)
        .unwrap_or(0);
    let headers: Vec<String> = headers.into_iter().take(width).collect();
    check_headers(&headers, what)?;
    let mut rows = Vec::new();
    let mut lines = Vec::new();
    for (i, r) in rows_iter.enumerate() {
        let cells: Vec<String> = r.iter().take(width).map(cell_text).collect();
        if cells.iter().all(|c| c.is_empty()) {
            continue;
        }
        let line = start_row + i as u64 + 2;
        if r.iter().skip(width).any(|c| !cell_text(c).is_empty()) {
            return Err(Error::Table(format!(
                "the {what} file, row {line}: a cell beyond the header's {width} columns"
            )));
        }
        rows.push(csv::StringRecord::from(cells));
        lines.push(line);
    }
    Ok(Table {
        headers,
        rows,
        lines,
        encoding: Encoding::Spreadsheet,
        delimiter: b',',
    })
}

/// Reads a whole CSV file, or the first sheet of a spreadsheet. `what` names it in messages
/// ("panel", "margins").
pub fn read_table(bytes: &[u8], what: &str) -> Result<Table, Error> {
    if is_spreadsheet(bytes) {
        return read_sheet(bytes, what);
    }
    let (text, encoding) = decode(bytes);
    if text.trim().is_empty() {
        return Err(Error::Table(format!("the {what} file is empty")));
    }
    let delimiter = sniff_delimiter(&text);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(true)
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| Error::Table(format!("the {what} file's header cannot be read: {e}")))?
        .iter()
        .map(|h| h.trim().to_string())
        .collect();
    check_headers(&headers, what)?;
    let mut rows = Vec::new();
    let mut lines = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| {
            let line = e.position().map(|p| p.line()).unwrap_or(0);
            Error::Table(format!("the {what} file, line {line}: {e}"))
        })?;
        let line = record.position().map(|p| p.line()).unwrap_or(0);
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        if record.len() != headers.len() {
            return Err(Error::Table(format!(
                "the {what} file, line {line}: {} fields where the header has {}",
                record.len(),
                headers.len()
            )));
        }
        rows.push(record);
        lines.push(line);
    }
    Ok(Table {
        headers,
        rows,
        lines,
        encoding,
        delimiter,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_spreadsheet_reads_as_its_first_sheet() {
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        sheet.write(0, 0, "id").unwrap();
        sheet.write(0, 1, "sexe").unwrap();
        sheet.write(0, 2, "age").unwrap();
        sheet.write(1, 0, 101).unwrap();
        sheet.write(1, 1, "F").unwrap();
        sheet.write(1, 2, 34.5).unwrap();
        sheet.write(3, 0, 102).unwrap();
        sheet.write(3, 1, " H ").unwrap();
        let bytes = book.save_to_buffer().unwrap();
        assert!(is_spreadsheet(&bytes));
        let t = read_table(&bytes, "panel").expect("sheet");
        assert_eq!(t.encoding, Encoding::Spreadsheet);
        assert_eq!(t.headers, ["id", "sexe", "age"]);
        assert_eq!(t.len(), 2, "the empty row is skipped");
        assert_eq!((t.cell(0, 0), t.cell(0, 2)), ("101", "34.5"));
        assert_eq!((t.cell(1, 1), t.lines[1]), ("H", 4));
        assert!(read_table(b"PK\x03\x04 not really", "panel").is_err());
    }

    #[test]
    fn semicolons_with_a_bom() {
        let t =
            read_table("\u{FEFF}id;sexe\n1;Femme\n2; Homme \n".as_bytes(), "panel").expect("table");
        assert_eq!(t.encoding, Encoding::Utf8Bom);
        assert_eq!(t.delimiter, b';');
        assert_eq!(t.headers, ["id", "sexe"]);
        assert_eq!(t.cell(1, 1), "Homme");
        assert_eq!(t.lines, [2, 3]);
    }

    #[test]
    fn commas_and_quotes() {
        let t = read_table(b"id,quartier\n1,\"Bellevue, Chantenay\"\n", "panel").expect("table");
        assert_eq!(t.delimiter, b',');
        assert_eq!(t.cell(0, 1), "Bellevue, Chantenay");
        assert_eq!(t.column("QUARTIER"), Some(1));
    }

    #[test]
    fn latin1_is_decoded() {
        let bytes = b"id;quartier\n1;Doulon - Botti\xe8re\n2;C\x9cur\n";
        let t = read_table(bytes, "panel").expect("table");
        assert_eq!(t.encoding, Encoding::Latin1);
        assert_eq!(t.cell(0, 1), "Doulon - Bottière");
        assert_eq!(t.cell(1, 1), "Cœur");
    }

    #[test]
    fn ragged_rows_and_bad_headers_are_refused() {
        let e = read_table(b"id;sexe\n1;Femme;extra\n", "panel").expect_err("ragged");
        assert!(e.to_string().contains("line 2"), "{e}");
        let e = read_table(b"id;id\n1;2\n", "panel").expect_err("twice");
        assert!(e.to_string().contains("twice"), "{e}");
        let e = read_table(b"  \n", "panel").expect_err("empty");
        assert!(e.to_string().contains("empty"), "{e}");
    }

    #[test]
    fn blank_lines_are_skipped() {
        let t = read_table(b"id;sexe\n1;F\n;\n2;H\n", "panel").expect("table");
        assert_eq!(t.len(), 2);
        assert_eq!(t.lines, [2, 4]);
    }
}
