//! Spreadsheets and archives, for both import commands: Decidim's Excel exports of both shapes
//! (committed in `tests/fixtures/decidim/v027-xlsx/`, made by `decidim_workbook` below, and
//! `v023-xls/`), the zip archives Decidim mails, a workbook in the documented columns, the open
//! data's own workbook, a LibreOffice file. Run on SQLite and PostgreSQL. (Encodings:
//! `import_encodings.rs`.)

use crate::decidim::{
    Row, assert_ok, fixture, fixtures, folder, import_dir, no_personal_data, source_rows, stderr,
    stdout,
};
use crate::helpers::{TestApp, demo};
use crate::imports::{contributions, import, write};
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
use std::path::PathBuf;

/// The Decidim organisation's time zone in the fixtures (their offsets are Paris's).
const ZONE: &str = "Europe/Paris";

/// A CSV fixture of `v027/` as Decidim's `Decidim::Exporters::Excel` (rubyXL, 0.24 and later)
/// writes the same records: one sheet named `Sheet1`, the flattened keys on row 1 in bold,
/// integers as numbers, `true`/`false` as booleans, times as date cells formatted
/// `dd.mm.yyyy HH:MM:SS` in the organisation's wall time (a cell has no offset), and the other
/// values as text, with `'` before a text starting with `=`, `+`, `-` or `@` (its
/// `custom_sanitize`).
fn decidim_workbook(records: &[Vec<String>]) -> Vec<u8> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("Sheet1").expect("name");
    let bold = Format::new().set_bold();
    let date = Format::new().set_num_format("dd.mm.yyyy HH:MM:SS");
    let zone = jiff::tz::TimeZone::get(ZONE).expect("zone");
    for (r, record) in records.iter().enumerate() {
        for (c, value) in record.iter().enumerate() {
            let (row, col) = (r as u32, c as u16);
            let value = value.as_str();
            if r == 0 {
                sheet
                    .write_string_with_format(row, col, value, &bold)
                    .expect("header");
                continue;
            }
            if value.is_empty() {
                continue;
            }
            if let Ok(n) = value.parse::<i64>() {
                sheet.write_number(row, col, n as f64).expect("number");
            } else if value == "true" || value == "false" {
                sheet
                    .write_boolean(row, col, value == "true")
                    .expect("bool");
            } else if let Some(t) = concorde::import::parse_time(value, &zone).filter(|_| {
                let b = value.as_bytes();
                b.len() >= 19 && b[4] == b'-' && (b[10] == b' ' || b[10] == b'T')
            }) {
                let wall = jiff::Timestamp::from_second(t)
                    .expect("time")
                    .to_zoned(zone.clone())
                    .datetime();
                let cell = ExcelDateTime::from_ymd(
                    wall.year() as u16,
                    wall.month() as u8,
                    wall.day() as u8,
                )
                .and_then(|d| {
                    d.and_hms(
                        wall.hour() as u16,
                        wall.minute() as u8,
                        f64::from(wall.second()),
                    )
                })
                .expect("date");
                sheet
                    .write_datetime_with_format(row, col, &cell, &date)
                    .expect("date cell");
            } else {
                let guarded = if value.starts_with(['=', '+', '-', '@']) {
                    format!("'{value}")
                } else {
                    value.to_string()
                };
                sheet.write_string(row, col, guarded).expect("text");
            }
        }
    }
    book.save_to_buffer().expect("xlsx")
}

const EXCEL_FILES: [&str; 4] = ["comments", "debates", "meetings", "proposals"];

fn excel_dir() -> PathBuf {
    fixtures("v027-xlsx")
}

/// The records of a `v027/` fixture, header first: its CSV, or for the debates its JSON
/// flattened as Decidim's exporters flatten a serializer's hash (`title/fr`, lists joined).
fn v027_records(name: &str) -> Vec<Vec<String>> {
    if name == "debates" {
        let items: Vec<serde_json::Value> =
            serde_json::from_slice(&fixture("v027", "debates.json")).expect("json");
        let flat: Vec<Vec<(String, String)>> = items
            .iter()
            .map(|item| {
                let mut out = Vec::new();
                flatten(item, "", &mut out);
                out
            })
            .collect();
        let mut records = vec![flat[0].iter().map(|(k, _)| k.clone()).collect::<Vec<_>>()];
        for item in &flat {
            records.push(
                records[0]
                    .iter()
                    .map(|k| {
                        item.iter()
                            .find(|(key, _)| key == k)
                            .map(|(_, v)| v.clone())
                            .unwrap_or_default()
                    })
                    .collect(),
            );
        }
        return records;
    }
    let csv = fixture("v027", &format!("{name}.csv"));
    csv::ReaderBuilder::new()
        .delimiter(b';')
        .has_headers(false)
        .from_reader(csv.as_slice())
        .records()
        .map(|r| r.expect("csv").iter().map(str::to_string).collect())
        .collect()
}

fn flatten(v: &serde_json::Value, key: &str, out: &mut Vec<(String, String)>) {
    use serde_json::Value;
    let sub = |k: &str| {
        if key.is_empty() {
            k.to_string()
        } else {
            format!("{key}/{k}")
        }
    };
    match v {
        Value::Object(map) => map.iter().for_each(|(k, v)| flatten(v, &sub(k), out)),
        Value::Null => out.push((key.to_string(), String::new())),
        Value::String(s) => out.push((key.to_string(), s.clone())),
        other => out.push((key.to_string(), other.to_string())),
    }
}

/// Writes `tests/fixtures/decidim/v027-xlsx/` again from the fixtures of `v027/`. Run by hand:
/// `cargo nextest run -p concorde --test it --run-ignored only write_the_excel_fixtures`.
#[test]
#[ignore]
fn write_the_excel_fixtures() {
    std::fs::create_dir_all(excel_dir()).expect("mkdir");
    for name in EXCEL_FILES {
        std::fs::write(
            excel_dir().join(format!("{name}.xlsx")),
            decidim_workbook(&v027_records(name)),
        )
        .expect("write");
    }
}

/// Everything an imported proposal or answer carries, by reference.
type Full = (
    String,
    String,
    String,
    String,
    String,
    Option<i64>,
    i64,
    String,
    String,
);

async fn full_rows(app: &TestApp, debate: i64, source: &str) -> Vec<Full> {
    sqlx::query_as(
        "SELECT source_ref, status, kind, source_state, source_answer, imported_supports, \
         created_at, source_url, group_name FROM contributions WHERE debate_id = $1 \
         AND source = $2 ORDER BY source_ref",
    )
    .bind(debate)
    .bind(source)
    .fetch_all(app.store().pool())
    .await
    .expect("rows")
}

/// Comments with their place in the thread: (ref, parent's ref, contribution's ref, depth,
/// alignment, body, group).
type Thread = (String, Option<String>, String, i64, String, String, String);

async fn threads(app: &TestApp, source: &str) -> Vec<Thread> {
    sqlx::query_as(
        "SELECT m.source_ref, p.source_ref, c.source_ref, m.depth, m.alignment, m.body, \
         m.group_name FROM comments m JOIN contributions c ON c.id = m.contribution_id \
         LEFT JOIN comments p ON p.id = m.parent_id WHERE m.source = $1 ORDER BY m.source_ref",
    )
    .bind(source)
    .fetch_all(app.store().pool())
    .await
    .expect("comments")
}

#[tokio::test]
async fn decidim_excel_exports_arrive_as_the_csv_ones() {
    let app = TestApp::new().await;
    let (debate, _) = demo(&app).await;
    assert_ok(&import_dir(&app, &fixtures("v027"), &["--question", "1"]).await);

    let o = import_dir(
        &app,
        &excel_dir(),
        &["--question", "1", "--source", "excel"],
    )
    .await;
    assert_ok(&o);
    let out = stdout(&o);
    for line in [
        "comments.xlsx: Decidim comments, 7 rows",
        "debates.xlsx: Decidim debates, 2 rows",
        "meetings.xlsx: Decidim meetings, 2 rows",
        "proposals.xlsx: Decidim proposals, 4 rows (title/LANG, state and withdrawn",
        "Excel workbook (.xlsx), sheet \"Sheet1\"",
        "proposals: 4 imported, 0 already present",
        "contributions from debates' comments: 2 imported, 0 already present",
        "comments: 4 imported, 0 already present",
        "meetings (as events): 2 imported, 0 already present",
        "rejected: 0",
    ] {
        assert!(out.contains(line), "{line:?} missing in:\n{out}");
    }
    let csv: Vec<Row> = source_rows(&app, debate, "decidim").await;
    let xlsx: Vec<Row> = source_rows(&app, debate, "excel").await;
    assert_eq!(csv.len(), 6, "4 proposals and 2 answers");
    assert_eq!(xlsx, csv, "titles, bodies and themes");
    let csv_full = full_rows(&app, debate, "decidim").await;
    assert_eq!(
        full_rows(&app, debate, "excel").await,
        csv_full,
        "states, answers, votes, dates (from date cells), provenance, groups"
    );
    assert!(
        csv_full
            .iter()
            .any(|r| r.0 == "102" && r.1 == "withdrawn" && r.5 == Some(17)),
        "a withdrawn proposal with its votes: {csv_full:?}"
    );
    let events = |source: &'static str| {
        let app = &app;
        async move {
            let rows: Vec<(String, String, String, i64, i64, String, String)> = sqlx::query_as(
                "SELECT substr(source_ref, length($1) + 1), title, address, starts_at, ends_at, \
                 status, minutes FROM events WHERE debate_id = $2 AND source_ref LIKE $1 || '%' \
                 ORDER BY source_ref",
            )
            .bind(format!("{source}:meeting:"))
            .bind(debate)
            .fetch_all(app.store().pool())
            .await
            .expect("events");
            rows
        }
    };
    let csv_events = events("decidim").await;
    assert_eq!(csv_events.len(), 2);
    assert_eq!(
        events("excel").await,
        csv_events,
        "times read from date cells"
    );
    let thread = threads(&app, "decidim").await;
    assert_eq!(thread.len(), 4);
    assert_eq!(threads(&app, "excel").await, thread, "the same threads");
    no_personal_data(&app, debate).await;

    // The same workbooks again: nothing twice.
    let o = import_dir(
        &app,
        &excel_dir(),
        &["--question", "1", "--source", "excel"],
    )
    .await;
    assert_ok(&o);
    assert!(
        stdout(&o).contains("proposals: 0 imported, 4 already present"),
        "{}",
        stdout(&o)
    );
    assert_eq!(source_rows(&app, debate, "excel").await.len(), 6);
}

/// The committed workbooks are what `decidim_workbook` makes of the CSV fixtures: the fixture
/// and its description cannot drift apart.
#[test]
fn the_excel_fixtures_are_the_csv_ones_as_decidim_writes_them() {
    use calamine::{Data, Reader};
    for name in EXCEL_FILES {
        let read = |bytes: Vec<u8>| -> Vec<Vec<Data>> {
            let mut book =
                calamine::open_workbook_auto_from_rs(std::io::Cursor::new(bytes)).expect("book");
            assert_eq!(book.sheet_names(), ["Sheet1"], "{name}");
            let range = book.worksheet_range_at(0).expect("sheet").expect("range");
            range.rows().map(<[Data]>::to_vec).collect()
        };
        let committed =
            read(std::fs::read(excel_dir().join(format!("{name}.xlsx"))).expect("xlsx"));
        let made = read(decidim_workbook(&v027_records(name)));
        assert_eq!(committed, made, "{name}.xlsx");
        assert!(
            committed
                .iter()
                .skip(1)
                .flatten()
                .any(|c| matches!(c, Data::DateTime(_))),
            "{name}.xlsx has date cells"
        );
    }
}

/// A workbook in the documented columns, as a city's staff would fill one in.
fn staff_workbook() -> Vec<u8> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("Contributions").expect("name");
    let header = [
        "id",
        "question_number",
        "title",
        "body",
        "quartier",
        "channel",
        "created_at",
    ];
    for (c, h) in header.iter().enumerate() {
        sheet.write_string(0, c as u16, *h).expect("header");
    }
    let date = Format::new().set_num_format("dd/mm/yyyy hh:mm");
    let when = ExcelDateTime::from_ymd(2024, 3, 2)
        .and_then(|d| d.and_hms(9, 30, 0))
        .expect("date");
    // Row 2: a paper form, its date a date cell, its id a number.
    sheet.write_number(1, 0, 7.0).expect("id");
    sheet.write_number(1, 1, 1.0).expect("q");
    sheet
        .write_string(1, 2, "'-30 % de voitures")
        .expect("title");
    sheet
        .write_string(1, 3, "Moins de voitures en ville.\r\nPlus de vélos.")
        .expect("body");
    sheet.write_string(1, 4, "Centre-ville").expect("quartier");
    sheet.write_string(1, 5, "paper").expect("channel");
    sheet
        .write_datetime_with_format(1, 6, &when, &date)
        .expect("date");
    // Row 3 is left empty; row 4 has a value past the header.
    sheet.write_string(3, 0, "p-9").expect("id");
    sheet.write_number(3, 1, 1.0).expect("q");
    sheet.write_string(3, 3, "Un texte").expect("body");
    sheet.write_string(3, 8, "note en marge").expect("extra");
    // Row 5: an unknown channel.
    sheet.write_string(4, 0, "p-10").expect("id");
    sheet.write_number(4, 1, 2.0).expect("q");
    sheet.write_string(4, 3, "Des bancs").expect("body");
    sheet.write_string(4, 5, "pigeon").expect("channel");
    // Row 6: good.
    sheet.write_string(5, 0, "p-11").expect("id");
    sheet.write_number(5, 1, 2.0).expect("q");
    sheet
        .write_string(5, 3, "Un banc près de l'arrêt")
        .expect("body");
    let notes = book.add_worksheet();
    notes.set_name("Notes").expect("name");
    notes
        .write_string(0, 0, "saisi par l'accueil")
        .expect("note");
    book.save_to_buffer().expect("xlsx")
}

#[tokio::test]
async fn import_contributions_reads_spreadsheets() {
    let app = TestApp::new().await;
    let (debate, qs) = demo(&app).await;

    // Decidim's Excel export of proposals, on its own: the same rows as its CSV.
    let o = import(
        &app,
        &fixtures("v027").join("proposals.csv"),
        &["--question", "1"],
    )
    .await;
    assert_ok(&o);
    let o = import(
        &app,
        &excel_dir().join("proposals.xlsx"),
        &["--question", "1"],
    )
    .await;
    assert_ok(&o);
    let out = stdout(&o);
    assert!(
        out.contains("format: Decidim proposals (Excel workbook (.xlsx))"),
        "{out}"
    );
    assert!(out.contains("already present: 4"), "same ids: {out}");
    let o = import(
        &app,
        &excel_dir().join("proposals.xlsx"),
        &["--question", "1", "--source", "excel"],
    )
    .await;
    assert_ok(&o);
    assert_eq!(
        source_rows(&app, debate, "excel").await,
        source_rows(&app, debate, "decidim").await
    );

    // A workbook in the documented columns: every bad row by its number, nothing stored.
    let path = write(&app, "saisie.xlsx", &staff_workbook());
    let before = contributions(&app, debate).await;
    let o = import(&app, &path, &[]).await;
    assert!(!o.status.success());
    let err = stderr(&o);
    assert!(
        err.contains("line 4: a value in column I, past the header's 7 columns"),
        "{err}"
    );
    assert!(err.contains("line 5: unknown channel \"pigeon\""), "{err}");
    assert!(
        err.contains("2 lines rejected: nothing was imported"),
        "{err}"
    );
    let out = stdout(&o);
    assert!(
        out.contains("format: spreadsheet with the CSV columns (Excel workbook (.xlsx))"),
        "{out}"
    );
    assert!(
        out.contains("other sheets not read: \"Notes\""),
        "the second sheet is named: {out}"
    );
    assert_eq!(contributions(&app, debate).await, before);

    let o = import(&app, &path, &["--skip-invalid", "--source", "accueil"]).await;
    assert_ok(&o);
    assert!(stdout(&o).contains("imported: 2"), "{}", stdout(&o));
    let (title, body, channel, created_at, question): (String, String, String, i64, i64) =
        sqlx::query_as(
            "SELECT title, body, channel, created_at, question_id FROM contributions \
             WHERE debate_id = $1 AND source = 'accueil' AND source_ref = '7'",
        )
        .bind(debate)
        .fetch_one(app.store().pool())
        .await
        .expect("row 2, its number id read as 7");
    assert_eq!(title, "-30 % de voitures", "the formula guard taken off");
    assert_eq!(body, "Moins de voitures en ville.\nPlus de vélos.");
    assert_eq!((channel.as_str(), question), ("paper", qs[0].id));
    let paris = jiff::civil::date(2024, 3, 2)
        .at(9, 30, 0, 0)
        .in_tz(ZONE)
        .expect("zone")
        .timestamp()
        .as_second();
    assert_eq!(created_at, paris, "a date cell is the instance's wall time");

    // What is no workbook, or one cut short, says so.
    let fake = write(&app, "faux.xlsx", b"PK\x03\x04 pas un classeur");
    let o = import(&app, &fake, &[]).await;
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("faux.xlsx: not a spreadsheet that can be read"),
        "{}",
        stderr(&o)
    );
    let whole = staff_workbook();
    let cut = write(&app, "coupe.xlsx", &whole[..whole.len() / 2]);
    let o = import(&app, &cut, &[]).await;
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("coupe.xlsx: not a spreadsheet that can be read"),
        "{}",
        stderr(&o)
    );
    let o = import(&app, &path, &["--format", "jsonl"]).await;
    assert!(
        stderr(&o).contains("a spreadsheet (Excel workbook (.xlsx)), not JSON Lines"),
        "{}",
        stderr(&o)
    );
    // The archive Decidim mails is no spreadsheet: the message says what to do with it.
    let zipped = write(
        &app,
        "export.zip",
        &zip_of(&[("proposals.csv", fixture("v027", "proposals.csv"))]),
    );
    let o = import(&app, &zipped, &["--question", "1"]).await;
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("export.zip: a zip archive, not a spreadsheet: unzip it"),
        "{}",
        stderr(&o)
    );
    // Decidim's proposals of a version whose columns were renamed, in a workbook.
    let renamed = decidim_workbook(&[
        vec![
            "id".into(),
            "titre/fr".into(),
            "corps/fr".into(),
            "votes".into(),
        ],
        vec!["1".into(), "Un titre".into(), "Un texte".into(), "3".into()],
    ]);
    let o = import(
        &app,
        &write(&app, "renamed.xlsx", &renamed),
        &["--format", "decidim", "--question", "1"],
    )
    .await;
    assert!(!o.status.success());
    let err = stderr(&o);
    assert!(
        err.contains(
            "a Decidim proposals export of a version this one does not read: missing columns \
             title*, body* (expected id, title*, body*"
        ),
        "{err}"
    );
    assert!(
        err.contains("columns found: id, titre/fr, corps/fr, votes"),
        "{err}"
    );
    assert_eq!(contributions(&app, debate).await, before + 2);
}

/// Decidim 0.23 and earlier wrote Excel 97-2003 files (`tests/fixtures/decidim/v023-xls/`, made
/// from `v023/` by `make_v023_xls.py`): they read as their CSV twins.
#[tokio::test]
async fn decidim_023_excel_files_arrive_as_their_csv() {
    let app = TestApp::new().await;
    let (debate, _) = demo(&app).await;
    assert_ok(&import_dir(&app, &fixtures("v023"), &["--question", "1"]).await);
    let o = import_dir(
        &app,
        &fixtures("v023-xls"),
        &["--question", "1", "--source", "xls"],
    )
    .await;
    assert_ok(&o);
    let out = stdout(&o);
    for line in [
        "proposals.xls: Decidim proposals, 5 rows (plain title and body (Decidim 0.23 era))",
        "comments.xls: Decidim comments, 3 rows (plain body)",
        "Excel 97-2003 workbook (.xls), sheet \"Export\"",
        "proposals: 5 imported, 0 already present",
        "comments: 3 imported, 0 already present",
    ] {
        assert!(out.contains(line), "{line:?} missing in:\n{out}");
    }
    let csv = source_rows(&app, debate, "decidim").await;
    assert_eq!(csv.len(), 5);
    assert_eq!(source_rows(&app, debate, "xls").await, csv);
    assert_eq!(
        full_rows(&app, debate, "xls").await,
        full_rows(&app, debate, "decidim").await
    );
    let thread = threads(&app, "decidim").await;
    assert_eq!(thread.len(), 3);
    assert_eq!(threads(&app, "xls").await, thread);
    no_personal_data(&app, debate).await;
}

/// A zip archive of these files, as Decidim's export mail attaches one.
fn zip_of(files: &[(&str, Vec<u8>)]) -> Vec<u8> {
    use std::io::Write;
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default();
    for (name, bytes) in files {
        zip.start_file(*name, options).expect("entry");
        zip.write_all(bytes).expect("write");
    }
    zip.finish().expect("zip").into_inner()
}

#[tokio::test]
async fn the_archives_decidim_mails_are_read_as_their_files() {
    let app = TestApp::new().await;
    let (debate, _) = demo(&app).await;
    assert_ok(&import_dir(&app, &fixtures("v027"), &["--question", "1"]).await);
    let xlsx = |name: &str| std::fs::read(excel_dir().join(name)).expect("xlsx");
    // One archive per export, as each mail brings one; one of them holding a folder and the
    // macOS debris of a re-zipped archive; the debates as a plain file beside them.
    let dir = folder(
        &app,
        "mails",
        &[
            (
                "export-proposals.zip",
                zip_of(&[("proposals-2023-06-01.xlsx", xlsx("proposals.xlsx"))]),
            ),
            (
                "export-comments.zip",
                zip_of(&[
                    ("export/comments.csv", fixture("v027", "comments.csv")),
                    ("__MACOSX/export/._comments.csv", b"\0\x05\x16\x07".to_vec()),
                ]),
            ),
            ("debates.json", fixture("v027", "debates.json")),
            ("meetings.xlsx", xlsx("meetings.xlsx")),
        ],
    );
    let o = import_dir(&app, &dir, &["--question", "1", "--source", "zip"]).await;
    assert_ok(&o);
    let out = stdout(&o);
    for line in [
        "export-proposals.zip/proposals-2023-06-01.xlsx: Decidim proposals, 4 rows",
        "export-comments.zip/export/comments.csv: Decidim comments, 7 rows",
        "proposals: 4 imported, 0 already present",
        "comments: 4 imported, 0 already present",
    ] {
        assert!(out.contains(line), "{line:?} missing in:\n{out}");
    }
    assert!(!out.contains("__MACOSX"), "{out}");
    assert_eq!(
        source_rows(&app, debate, "zip").await,
        source_rows(&app, debate, "decidim").await
    );
    assert_eq!(threads(&app, "zip").await, threads(&app, "decidim").await);

    // The archive itself as the folder: the same records, nothing twice.
    let all = zip_of(&[
        ("proposals.csv", fixture("v027", "proposals.csv")),
        ("comments.xlsx", xlsx("comments.xlsx")),
        ("debates.json", fixture("v027", "debates.json")),
    ]);
    let path = write(&app, "process.zip", &all);
    let o = import_dir(&app, &path, &["--question", "1", "--source", "zip"]).await;
    assert_ok(&o);
    let out = stdout(&o);
    assert!(
        out.contains("proposals: 0 imported, 4 already present"),
        "{out}"
    );
    assert!(
        out.contains("comments: 0 imported, 4 already present"),
        "{out}"
    );

    // What is no archive, or holds what is no export, says so; nothing is stored.
    let count = contributions(&app, debate).await;
    let o = import_dir(
        &app,
        &fixtures("v027").join("proposals.csv"),
        &["--question", "1"],
    )
    .await;
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("neither a folder nor a zip archive"),
        "{}",
        stderr(&o)
    );
    let odd = write(
        &app,
        "odd.zip",
        &zip_of(&[
            ("proposals.csv", fixture("v027", "proposals.csv")),
            ("notes.txt", b"nom;adresse\nA;B\n".to_vec()),
        ]),
    );
    let o = import_dir(&app, &odd, &["--question", "1", "--source", "odd"]).await;
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("odd.zip/notes.txt: not a Decidim export"),
        "{}",
        stderr(&o)
    );
    assert_eq!(contributions(&app, debate).await, count);
}

/// The open data's Excel download of one debate imports into another as its CSV does.
#[tokio::test]
async fn the_open_data_workbook_imports_as_its_csv() {
    let app = TestApp::new().await;
    let (debate, qs) = demo(&app).await;
    app.store()
        .insert_contribution(&crate::helpers::online(
            debate,
            qs[0].id,
            "Formule",
            "-1 pour la formule",
        ))
        .await
        .expect("insert");
    app.store()
        .insert_contribution(&crate::helpers::online(
            debate,
            qs[1].id,
            "Des bancs",
            "Des bancs et un café : 1 € la tasse.\nEt le soir, « ouvert ».",
        ))
        .await
        .expect("insert");
    let mut copies = Vec::new();
    for format in ["csv", "xlsx"] {
        let file = app.data_dir.join(format!("export.{format}"));
        let o = crate::helpers::concorde(
            &app,
            &[
                "export",
                "contributions",
                "--debate",
                "solidarites",
                "--format",
                format,
                "--output",
                file.to_str().expect("utf-8"),
            ],
        )
        .await;
        assert_ok(&o);
        let slug = format!("copie-{format}");
        let id = app
            .store()
            .create_debate(&storage::DebateFields {
                slug: slug.clone(),
                title: "Copie".into(),
                summary: "Copie".into(),
                body_md: String::new(),
                status: domain::DebateStatus::Draft,
                image_alt: String::new(),
            })
            .await
            .expect("debate");
        let o = crate::helpers::concorde(
            &app,
            &[
                "import",
                "contributions",
                file.to_str().expect("utf-8"),
                "--debate",
                &slug,
                "--create-questions",
            ],
        )
        .await;
        assert_ok(&o);
        if format == "xlsx" {
            assert!(
                stdout(&o).contains("format: spreadsheet with the CSV columns (Excel workbook"),
                "{}",
                stdout(&o)
            );
        }
        copies.push(id);
    }
    app.store().forget_cached();
    type Copied = (String, String, String, String, String, i64, String);
    let rows = |id: i64| {
        let app = &app;
        async move {
            let rows: Vec<Copied> = sqlx::query_as(
                "SELECT q.text, c.title, c.body, c.channel, c.kind, c.created_at, c.theme \
                 FROM contributions c JOIN debate_questions q ON q.id = c.question_id \
                 WHERE c.debate_id = $1 ORDER BY c.source_ref",
            )
            .bind(id)
            .fetch_all(app.store().pool())
            .await
            .expect("rows");
            rows
        }
    };
    let csv = rows(copies[0]).await;
    assert_eq!(csv.len(), 2, "{csv:?}");
    assert!(csv.iter().any(|r| r.2 == "-1 pour la formule"), "{csv:?}");
    assert_eq!(rows(copies[1]).await, csv);
}

/// A LibreOffice spreadsheet, written here as the smallest OpenDocument package: its mimetype
/// first, a manifest, and the table in content.xml.
fn ods(rows: &[&[&str]]) -> Vec<u8> {
    let mut table = String::new();
    for row in rows {
        table.push_str("<table:table-row>");
        for cell in *row {
            table.push_str(&format!(
                "<table:table-cell office:value-type=\"string\"><text:p>{cell}</text:p></table:table-cell>"
            ));
        }
        table.push_str("</table:table-row>");
    }
    let content = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\
         <office:document-content xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" \
         xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\" \
         xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\" office:version=\"1.2\">\
         <office:body><office:spreadsheet><table:table table:name=\"Feuille1\">{table}\
         </table:table></office:spreadsheet></office:body></office:document-content>"
    );
    let manifest = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\
        <manifest:manifest xmlns:manifest=\"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0\" manifest:version=\"1.2\">\
        <manifest:file-entry manifest:full-path=\"/\" manifest:media-type=\"application/vnd.oasis.opendocument.spreadsheet\"/>\
        <manifest:file-entry manifest:full-path=\"content.xml\" manifest:media-type=\"text/xml\"/>\
        </manifest:manifest>";
    zip_of(&[
        (
            "mimetype",
            b"application/vnd.oasis.opendocument.spreadsheet".to_vec(),
        ),
        ("META-INF/manifest.xml", manifest.as_bytes().to_vec()),
        ("content.xml", content.into_bytes()),
    ])
}

#[tokio::test]
async fn a_libreoffice_spreadsheet_imports_too() {
    let app = TestApp::new().await;
    let (debate, _) = demo(&app).await;
    let book = ods(&[
        &["id", "question_number", "body"],
        &["o-1", "1", "Une épicerie solidaire au marché"],
        &["o-2", "2", "Des permanences le samedi"],
    ]);
    let o = import(
        &app,
        &write(&app, "saisie.ods", &book),
        &["--source", "ods"],
    )
    .await;
    assert_ok(&o);
    let out = stdout(&o);
    assert!(
        out.contains("format: spreadsheet with the CSV columns (OpenDocument spreadsheet (.ods))"),
        "{out}"
    );
    assert!(out.contains("sheet \"Feuille1\""), "{out}");
    assert!(out.contains("imported: 2"), "{out}");
    let body: String = sqlx::query_scalar(
        "SELECT body FROM contributions WHERE debate_id = $1 AND source = 'ods' AND source_ref = 'o-1'",
    )
    .bind(debate)
    .fetch_one(app.store().pool())
    .await
    .expect("row");
    assert_eq!(body, "Une épicerie solidaire au marché");
}
