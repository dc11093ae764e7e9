//! Spreadsheet files read as a table of text: Excel workbooks (`.xlsx`, which Decidim's
//! "Export as Excel" writes since 0.24 through rubyXL; `.xls`, which it wrote before through the
//! `spreadsheet` gem) and OpenDocument (`.ods`, LibreOffice). Decidim's Excel exporter is its CSV
//! exporter's sibling: the same serializers, the same flattened keys (`title/fr`) on the first
//! row, one record a row, dates as date cells, and the same guard against formulas (a `'` before
//! a text starting with `=`, `+`, `-` or `@`), so the rest of the import reads a sheet exactly as
//! it reads the CSV.
//!
//! The first sheet that holds anything is read (Decidim writes one); other non-empty sheets are
//! named in the notes, so that nothing is left behind unsaid. Numbers lose Excel's `.0`, dates
//! become `YYYY-MM-DD HH:MM:SS` without an offset (a sheet has no time zone: the instance's is
//! meant), or with `UTC` after it when the caller says the sheet's dates are UTC (Concorde's own
//! open data writes them so); booleans `true`/`false`. A cell holding an Excel error (`#REF!`)
//! rejects its row.

use calamine::{Data, Range, Reader};
use std::io::Cursor;

/// The first bytes of a zip container (xlsx, ods) or of an OLE2 compound file (xls).
pub fn is_spreadsheet(head: &[u8]) -> bool {
    head.starts_with(b"PK\x03\x04") || head.starts_with(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")
}

/// A zip archive that is not a spreadsheet's package (those hold `[Content_Types].xml`, or
/// OpenDocument's `mimetype`): the archive Decidim mails an export in.
pub fn is_archive(bytes: &[u8]) -> bool {
    if !bytes.starts_with(b"PK\x03\x04") {
        return false;
    }
    match zip::ZipArchive::new(Cursor::new(bytes)) {
        Ok(z) => {
            z.index_for_name("[Content_Types].xml").is_none()
                && z.index_for_name("mimetype").is_none()
        }
        Err(_) => false,
    }
}

pub struct Sheet {
    /// "Excel workbook (.xlsx)", for the summary.
    pub kind: &'static str,
    pub name: String,
    /// The first row's cells, as written.
    pub header: Vec<String>,
    pub rows: Vec<SheetRow>,
    /// Rows that cannot be read, with their reasons.
    pub bad: Vec<(u64, String)>,
    pub notes: Vec<String>,
}

pub struct SheetRow {
    /// The row's number in the spreadsheet (the header is row 1 in Decidim's files).
    pub line: u64,
    pub fields: Vec<String>,
}

/// Reads the workbook in `bytes`; `name` is the file's, for messages. `utc` tells, from the
/// header's names (trimmed, in lower case), whether the date cells are UTC.
pub fn read(bytes: Vec<u8>, name: &str, utc: fn(&[String]) -> bool) -> anyhow::Result<Sheet> {
    if is_archive(&bytes) {
        anyhow::bail!(
            "{name}: a zip archive, not a spreadsheet: unzip it and import the file it holds \
             (the archive Decidim mails goes whole to `concorde import decidim ARCHIVE.zip`)"
        );
    }
    // A parser that panics on a damaged file must not take the import down with it.
    let opened = std::panic::catch_unwind(move || first_sheet(bytes)).unwrap_or_else(|_| {
        Err("the spreadsheet reader failed on it (a damaged file?)".to_string())
    });
    let (kind, sheet_name, range, others) = opened.map_err(|e| {
        anyhow::anyhow!(
            "{name}: not a spreadsheet that can be read ({e}); export it again, or save it as \
             CSV UTF-8"
        )
    })?;
    let mut sheet = table(&range, utc);
    sheet.kind = kind;
    sheet.name = sheet_name.clone();
    sheet.notes.push(format!("{kind}, sheet \"{sheet_name}\""));
    if !others.is_empty() {
        sheet.notes.push(format!(
            "other sheets not read: {} (import them as files of their own)",
            others
                .iter()
                .map(|s| format!("\"{s}\""))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    if sheet.header.iter().all(|h| h.trim().is_empty()) {
        anyhow::bail!("{name}: the spreadsheet is empty (it should start with a header row)");
    }
    Ok(sheet)
}

type Opened = (&'static str, String, Range<Data>, Vec<String>);

fn first_sheet(bytes: Vec<u8>) -> Result<Opened, String> {
    let mut book = calamine::open_workbook_auto_from_rs(Cursor::new(bytes))
        .map_err(|_| "neither .xlsx, .xls nor .ods".to_string())?;
    let kind = match &book {
        calamine::Sheets::Xlsx(_) => "Excel workbook (.xlsx)",
        calamine::Sheets::Xls(_) => "Excel 97-2003 workbook (.xls)",
        calamine::Sheets::Xlsb(_) => "Excel binary workbook (.xlsb)",
        calamine::Sheets::Ods(_) => "OpenDocument spreadsheet (.ods)",
    };
    let names = book.sheet_names();
    let mut found: Option<(String, Range<Data>)> = None;
    let mut others = Vec::new();
    for (i, sheet) in names.iter().enumerate() {
        let range = match book.worksheet_range_at(i) {
            Some(Ok(r)) => r,
            Some(Err(e)) => return Err(format!("sheet \"{sheet}\": {e}")),
            None => continue,
        };
        let empty = range.used_cells().all(|(_, _, c)| cell_is_blank(c));
        if empty {
            continue;
        }
        if found.is_none() {
            found = Some((sheet.clone(), range));
        } else {
            others.push(sheet.clone());
        }
    }
    match found {
        Some((name, range)) => Ok((kind, name, range, others)),
        None => Ok((
            kind,
            names.first().cloned().unwrap_or_default(),
            Range::default(),
            others,
        )),
    }
}

fn cell_is_blank(c: &Data) -> bool {
    match c {
        Data::Empty => true,
        Data::String(s) => s.trim().is_empty(),
        _ => false,
    }
}

/// The range as rows of text: the first row is the header.
fn table(range: &Range<Data>, utc: fn(&[String]) -> bool) -> Sheet {
    let (top, left) = range.start().unwrap_or((0, 0));
    let mut sheet = Sheet {
        kind: "",
        name: String::new(),
        header: Vec::new(),
        rows: Vec::new(),
        bad: Vec::new(),
        notes: Vec::new(),
    };
    if left > 0 {
        // Cells before the first used column are empty: the columns still start at A.
        sheet.notes.push(format!(
            "the table starts in column {}",
            column_name(left as usize)
        ));
    }
    let mut rows = range.rows();
    let Some(first) = rows.next() else {
        return sheet;
    };
    sheet.header = first
        .iter()
        .map(|c| text(c, false).unwrap_or_default())
        .collect();
    while sheet.header.last().is_some_and(|h| h.trim().is_empty()) {
        sheet.header.pop();
    }
    let names: Vec<String> = sheet
        .header
        .iter()
        .map(|h| h.trim().to_lowercase())
        .collect();
    let utc = utc(&names);
    let width = sheet.header.len();
    for (i, cells) in rows.enumerate() {
        // The header's row is `top`; rows are numbered from 1 as the spreadsheet shows them.
        let line = u64::from(top) + i as u64 + 2;
        if cells.iter().all(cell_is_blank) {
            continue;
        }
        if let Some(extra) = cells
            .iter()
            .enumerate()
            .skip(width)
            .find(|(_, c)| !cell_is_blank(c))
        {
            sheet.bad.push((
                line,
                format!(
                    "a value in column {}, past the header's {width} columns",
                    column_name(left as usize + extra.0)
                ),
            ));
            continue;
        }
        let mut fields = Vec::with_capacity(width);
        let mut error = None;
        for (j, c) in cells.iter().take(width).enumerate() {
            match text(c, utc) {
                Ok(t) => fields.push(t),
                Err(e) => {
                    error = Some(format!(
                        "column {} ({}) holds Excel's error {e} instead of a value",
                        column_name(left as usize + j),
                        sheet.header[j]
                    ));
                    break;
                }
            }
        }
        match error {
            Some(reason) => sheet.bad.push((line, reason)),
            None => {
                fields.resize(width, String::new());
                sheet.rows.push(SheetRow { line, fields });
            }
        }
    }
    sheet
}

/// A cell as the text a CSV export would have held, or the error it holds; a date cell in UTC
/// when `utc`, else without an offset.
fn text(c: &Data, utc: bool) -> Result<String, String> {
    Ok(match c {
        Data::Empty => String::new(),
        Data::String(s) => s.replace("\r\n", "\n"),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => number(*f),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(d) if d.is_datetime() => {
            let (y, mo, day, h, mi, s, _) = d.to_ymd_hms_milli();
            if utc {
                format!("{y:04}-{mo:02}-{day:02} {h:02}:{mi:02}:{s:02} UTC")
            } else if (h, mi, s) == (0, 0, 0) && d.as_f64().fract() == 0.0 {
                format!("{y:04}-{mo:02}-{day:02}")
            } else {
                format!("{y:04}-{mo:02}-{day:02} {h:02}:{mi:02}:{s:02}")
            }
        }
        Data::DateTime(d) => number(d.as_f64()),
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Error(e) => return Err(e.to_string()),
    })
}

/// Whole numbers without `.0` (ids, votes), others as Rust writes them.
fn number(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{}", f as i64)
    } else {
        f.to_string()
    }
}

/// `A`, `B`, … `Z`, `AA`: a 0-based column as spreadsheets name it.
pub fn column_name(mut i: usize) -> String {
    let mut out = Vec::new();
    loop {
        out.push(b'A' + (i % 26) as u8);
        if i < 26 {
            break;
        }
        i = i / 26 - 1;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

/// Decidim's guard against spreadsheet formulas: a `'` put before a text that starts with `=`,
/// `+`, `-` or `@` (its exporters' `custom_sanitize`), taken off again.
pub fn unguard(v: &str) -> &str {
    match v.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@']) => rest,
        _ => v,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_are_named_as_spreadsheets_do() {
        assert_eq!(column_name(0), "A");
        assert_eq!(column_name(25), "Z");
        assert_eq!(column_name(26), "AA");
        assert_eq!(column_name(27), "AB");
        assert_eq!(column_name(701), "ZZ");
        assert_eq!(column_name(702), "AAA");
    }

    #[test]
    fn cells_read_as_the_csv_would() {
        assert_eq!(text(&Data::Float(42.0), false).as_deref(), Ok("42"));
        assert_eq!(text(&Data::Float(2.5), false).as_deref(), Ok("2.5"));
        assert_eq!(text(&Data::Bool(true), false).as_deref(), Ok("true"));
        assert_eq!(
            text(&Data::String("a\r\nb".into()), false).as_deref(),
            Ok("a\nb")
        );
        let d = calamine::ExcelDateTime::new(
            45_050.416_666_666_664,
            calamine::ExcelDateTimeType::DateTime,
            false,
        );
        assert_eq!(
            text(&Data::DateTime(d), false).as_deref(),
            Ok("2023-05-04 10:00:00")
        );
        assert_eq!(
            text(&Data::DateTime(d), true).as_deref(),
            Ok("2023-05-04 10:00:00 UTC")
        );
        assert!(text(&Data::Error(calamine::CellErrorType::Ref), false).is_err());
        assert_eq!(unguard("'=1+1"), "=1+1");
        assert_eq!(unguard("'- un point"), "- un point");
        assert_eq!(unguard("'bonjour"), "'bonjour");
    }

    #[test]
    fn rows_are_numbered_and_bad_ones_have_reasons() {
        let mut r: Range<Data> = Range::new((0, 0), (5, 3));
        r.set_value((0, 0), Data::String("id".into()));
        r.set_value((0, 1), Data::String("body".into()));
        r.set_value((1, 0), Data::Float(7.0));
        r.set_value((1, 1), Data::String("Plus de bus".into()));
        // Row 3 empty; row 4 an error; row 5 a value past the header; row 6 good.
        r.set_value((3, 0), Data::Int(8));
        r.set_value((3, 1), Data::Error(calamine::CellErrorType::Ref));
        r.set_value((4, 0), Data::Int(9));
        r.set_value((4, 3), Data::String("en marge".into()));
        r.set_value((5, 0), Data::Int(10));
        r.set_value((5, 1), Data::Bool(false));
        let t = table(&r, |_| false);
        assert_eq!(t.header, ["id", "body"]);
        let rows: Vec<(u64, Vec<String>)> =
            t.rows.into_iter().map(|r| (r.line, r.fields)).collect();
        assert_eq!(
            rows,
            [
                (2, vec!["7".to_string(), "Plus de bus".to_string()]),
                (6, vec!["10".to_string(), "false".to_string()]),
            ]
        );
        assert_eq!(
            t.bad,
            [
                (
                    4,
                    "column B (body) holds Excel's error #REF! instead of a value".to_string()
                ),
                (
                    5,
                    "a value in column D, past the header's 2 columns".to_string()
                ),
            ]
        );
    }

    /// The smallest workbook with the cell types writers use for text: rubyXL's `str` (a
    /// formula's text result, which its `add_cell` writes for strings), `inlineStr`, and a
    /// number; no styles part, no shared strings.
    fn hand_made_workbook() -> Vec<u8> {
        use std::io::Write;
        let parts = [
            (
                "[Content_Types].xml",
                r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#,
            ),
            (
                "_rels/.rels",
                r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#,
            ),
            (
                "xl/workbook.xml",
                r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>"#,
            ),
            (
                "xl/_rels/workbook.xml.rels",
                r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#,
            ),
            (
                "xl/worksheets/sheet1.xml",
                r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="str"><v>id</v></c><c r="B1" t="inlineStr"><is><t>body</t></is></c></row><row r="2"><c r="A2"><v>5</v></c><c r="B2" t="str"><v>Une cantine ouverte le soir</v></c></row><row r="3"><c r="A3" t="inlineStr"><is><t>p-6</t></is></c><c r="B3" t="inlineStr"><is><t>'=SOMME(A1)</t></is></c></row></sheetData></worksheet>"#,
            ),
        ];
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for (name, xml) in parts {
            zip.start_file(name, zip::write::SimpleFileOptions::default())
                .expect("entry");
            zip.write_all(xml.as_bytes()).expect("write");
        }
        zip.finish().expect("zip").into_inner()
    }

    #[test]
    fn text_cells_of_every_kind_are_read() {
        let bytes = hand_made_workbook();
        assert!(is_spreadsheet(&bytes) && !is_archive(&bytes));
        let sheet = read(bytes, "h.xlsx", |_| false).expect("workbook");
        assert_eq!(sheet.header, ["id", "body"]);
        let rows: Vec<(u64, Vec<String>)> =
            sheet.rows.into_iter().map(|r| (r.line, r.fields)).collect();
        assert_eq!(
            rows,
            [
                (
                    2,
                    vec!["5".to_string(), "Une cantine ouverte le soir".to_string()]
                ),
                (3, vec!["p-6".to_string(), "'=SOMME(A1)".to_string()]),
            ]
        );
        assert_eq!(unguard("'=SOMME(A1)"), "=SOMME(A1)");
    }

    #[test]
    fn a_file_that_is_no_workbook_gets_a_message() {
        let e = read(b"PK\x03\x04rest".to_vec(), "p.xlsx", |_| false)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(
            e.starts_with("p.xlsx: not a spreadsheet that can be read"),
            "{e}"
        );
    }
}
