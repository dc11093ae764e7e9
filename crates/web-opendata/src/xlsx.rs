//! XLSX open data, written with rust_xlsxwriter in its constant-memory mode: each row goes to a
//! temporary file as soon as the next one starts (strings inline, no shared-string table), so
//! memory does not grow with the number of rows.
//!
//! An XLSX file is a zip whose sheet can only be compressed once its last row is known, so it
//! cannot leave row by row like CSV. `Sheet::save` compresses the temporary file straight into
//! any `Write` — a file, standard output, or a download's body through `ChannelWriter` — so no
//! second, compressed copy is ever kept. The temporary file is created without a name (it is
//! gone when the sheet is dropped, even if the process dies), in the folder the caller gives:
//! the data folder rather than `/tmp`, which is memory on many systems.
//!
//! Texts are written as strings, never formulas: a cell holding `=1+1` shows `=1+1`. Dates are
//! real Excel dates (UTC, shown as `yyyy-mm-dd hh:mm:ss`), so that a spreadsheet sorts and
//! filters them.

use super::{Cell, Dataset, Record};
use rust_xlsxwriter::{ExcelDateTime, Format as CellFormat, Workbook, Worksheet};
use std::borrow::Cow;
use std::path::Path;

/// Data rows an Excel sheet holds: 1,048,576 rows, less the header.
pub const MAX_ROWS: u64 = 1_048_575;

/// The longest text a cell holds, in UTF-16 code units; longer texts are cut (the CSV and JSON
/// Lines files keep them whole).
const MAX_TEXT: usize = 32_767;

/// Above this estimated size of the sheet's XML, the zip needs its 64-bit extension (ZIP64),
/// which every current spreadsheet reads; below it, the file stays plain zip.
const ZIP64_ABOVE: u64 = 4_000_000_000;

/// Whether that many data rows fit in a sheet.
pub fn fits(rows: i64) -> bool {
    u64::try_from(rows).is_ok_and(|n| n <= MAX_ROWS)
}

#[derive(Debug, thiserror::Error)]
pub enum SheetError {
    #[error(
        "more than {MAX_ROWS} rows, the most an Excel sheet holds: use CSV or JSON Lines instead"
    )]
    TooManyRows,
    #[error("the XLSX file is no longer wanted")]
    Cancelled,
    #[error("cannot write the XLSX file: {0}")]
    Xlsx(#[from] rust_xlsxwriter::XlsxError),
    #[error("cannot write the XLSX file: {0}")]
    Io(#[from] std::io::Error),
}

/// One sheet being filled, row by row.
pub struct Sheet {
    workbook: Workbook,
    date: CellFormat,
    rows: u64,
    /// An upper bound of the sheet's XML so far, in bytes (see `ZIP64_ABOVE`).
    xml_bytes: u64,
}

impl Sheet {
    /// A workbook with one sheet named after the dataset, its header row bold and frozen, its
    /// columns sized, and its temporary file in `tempdir` (created if missing).
    pub fn new(dataset: Dataset, tempdir: &Path) -> Result<Sheet, SheetError> {
        std::fs::create_dir_all(tempdir)?;
        let mut workbook = Workbook::new();
        workbook.set_tempdir(tempdir)?;
        let bold = CellFormat::new().set_bold();
        let sheet = workbook.add_worksheet_with_constant_memory()?;
        sheet.set_name(dataset.name())?;
        sheet.set_freeze_panes(1, 0)?;
        for (col, column) in (0..).zip(dataset.columns()) {
            sheet.set_column_width(col, column.width)?;
            sheet.write_string_with_format(0, col, column.name, &bold)?;
        }
        Ok(Sheet {
            workbook,
            date: CellFormat::new().set_num_format("yyyy-mm-dd hh:mm:ss"),
            rows: 0,
            xml_bytes: 0,
        })
    }

    /// Data rows written so far.
    pub fn rows(&self) -> u64 {
        self.rows
    }

    /// Adds a row under the others; `TooManyRows` past Excel's limit.
    pub fn push(&mut self, cells: &[Cell]) -> Result<(), SheetError> {
        if self.rows >= MAX_ROWS {
            return Err(SheetError::TooManyRows);
        }
        self.rows += 1;
        // MAX_ROWS fits: the header is row 0, data rows are 1 to 1,048,575.
        let row = self.rows as u32;
        let sheet: &mut Worksheet = self.workbook.worksheet_from_index(0)?;
        for (col, cell) in (0..).zip(cells) {
            // Room for the cell's markup, whatever its content.
            self.xml_bytes += 100;
            match cell {
                Cell::Int(n) => {
                    // Ids and depths stay far below 2^53, where f64 is exact.
                    sheet.write_number(row, col, *n as f64)?;
                }
                Cell::Text(s) => {
                    self.xml_bytes += xml_len(s);
                    sheet.write_string(row, col, clip(s))?;
                }
                Cell::Time(t) => match ExcelDateTime::from_timestamp(*t) {
                    Ok(when) => {
                        sheet.write_datetime_with_format(row, col, &when, &self.date)?;
                    }
                    // Outside Excel's years (1900–9999): the ISO text, as in the CSV.
                    Err(_) => {
                        sheet.write_string(row, col, super::iso(*t))?;
                    }
                },
                Cell::Empty => {}
            }
        }
        Ok(())
    }

    /// Assembles the file into `out`: the sheet's temporary file is compressed as it is read.
    pub fn save<W: std::io::Write + Send>(mut self, out: W) -> Result<(), SheetError> {
        if self.xml_bytes > ZIP64_ABOVE {
            self.workbook.use_zip_large_file(true);
        }
        self.workbook.save_to_writer(out)?;
        Ok(())
    }
}

/// Fills a sheet with the rows as they come until the sender is done, or until `cancelled`
/// says the file is no longer wanted (a download whose visitor went away). It blocks: call it
/// on a blocking thread (`tokio::task::spawn_blocking`).
pub fn fill<R: Record>(
    rows: &mut tokio::sync::mpsc::Receiver<R>,
    key: &str,
    tempdir: &Path,
    cancelled: &dyn Fn() -> bool,
) -> Result<Sheet, SheetError> {
    let mut sheet = Sheet::new(R::DATASET, tempdir)?;
    while let Some(row) = rows.blocking_recv() {
        if cancelled() {
            return Err(SheetError::Cancelled);
        }
        sheet.push(&row.into_cells(key))?;
    }
    Ok(sheet)
}

/// A `Write` that hands what it is given to an async consumer (a download's body), waiting
/// while the consumer is behind so that memory stays bounded by the channel. Wrap it in a
/// `BufWriter` so that chunks are not tiny. Use it from a blocking thread only.
pub struct ChannelWriter(pub tokio::sync::mpsc::Sender<Vec<u8>>);

impl std::io::Write for ChannelWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.blocking_send(buf.to_vec()).map_err(|_| {
            std::io::Error::new(std::io::ErrorKind::BrokenPipe, "the download was cancelled")
        })?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The text as Excel can hold it: cut, with an ellipsis, past `MAX_TEXT` UTF-16 units.
fn clip(s: &str) -> Cow<'_, str> {
    // A UTF-8 string is never shorter in bytes than in UTF-16 units.
    if s.len() <= MAX_TEXT {
        return Cow::Borrowed(s);
    }
    let mut units = 0;
    let mut end = 0;
    for (i, ch) in s.char_indices() {
        // One unit is kept for the ellipsis.
        if units + ch.len_utf16() > MAX_TEXT - 1 {
            break;
        }
        units += ch.len_utf16();
        end = i + ch.len_utf8();
    }
    if end == s.len() {
        Cow::Borrowed(s)
    } else {
        Cow::Owned(format!("{}…", &s[..end]))
    }
}

/// At most how many bytes the text takes in the sheet's XML, escapes included.
fn xml_len(s: &str) -> u64 {
    s.bytes()
        .map(|b| match b {
            b'&' => 5,
            b'<' | b'>' => 4,
            // `_xHHHH_` escapes: control characters, and a literal `_x` is escaped too.
            b'\t' | b'\n' => 1,
            b'_' | 0..=0x1f => 7,
            _ => 1,
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_texts_are_cut_to_what_a_cell_holds() {
        assert_eq!(clip("court"), "court");
        let exact = "é".repeat(MAX_TEXT);
        assert_eq!(clip(&exact).chars().count(), MAX_TEXT);
        let long = "é".repeat(MAX_TEXT + 10);
        let cut = clip(&long);
        assert_eq!(cut.encode_utf16().count(), MAX_TEXT);
        assert!(cut.ends_with('…'));
        // Characters outside the BMP count twice in UTF-16 and are never split.
        let emoji = "😀".repeat(MAX_TEXT);
        let cut = clip(&emoji);
        assert!(cut.encode_utf16().count() <= MAX_TEXT);
        assert!(cut.ends_with("😀…"));
    }

    #[test]
    fn every_kind_of_cell_saves_to_any_writer() {
        let dir = std::env::temp_dir();
        let mut sheet = Sheet::new(Dataset::Comments, &dir).expect("sheet");
        sheet
            .push(&[
                Cell::Int(1),
                Cell::Int(2),
                Cell::Empty,
                Cell::Int(0),
                Cell::Text("a-0011223344556677".into()),
                Cell::Text("=HYPERLINK(\"http://x\")".into()),
                Cell::Time(1_700_000_000),
            ])
            .expect("row");
        assert_eq!(sheet.rows(), 1);
        let mut out = Vec::new();
        sheet.save(&mut out).expect("save");
        assert!(out.starts_with(b"PK"), "a zip");
    }

    #[test]
    fn past_excel_s_limit_rows_are_refused() {
        let mut sheet = Sheet::new(Dataset::Comments, &std::env::temp_dir()).expect("sheet");
        sheet.rows = MAX_ROWS - 1;
        assert!(sheet.push(&[Cell::Int(1)]).is_ok());
        assert!(matches!(
            sheet.push(&[Cell::Int(2)]),
            Err(SheetError::TooManyRows)
        ));
    }
}
