//! Open data files of a debate — its contributions and its comments — as CSV (UTF-8,
//! comma-separated, a header line), JSON Lines or XLSX, with the stable schemas documented in
//! `docs/open-data.md`. A row becomes typed cells once; each format writes the cells its own
//! way. CSV and JSON Lines give one line per row, so that they stream whatever their size; XLSX
//! is assembled by `xlsx` from a temporary file.

pub mod pages;
pub mod xlsx;

use storage::{CommentExportRow, ExportRow};

/// Which file: its rows and columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dataset {
    Contributions,
    Comments,
    /// Events with their aggregates (places, registered, present): never a name.
    Events,
    /// Who came to each event, by participant category and quartier.
    Attendance,
}

impl Dataset {
    pub const ALL: [Dataset; 4] = [
        Dataset::Contributions,
        Dataset::Comments,
        Dataset::Events,
        Dataset::Attendance,
    ];

    /// The name in file names (`contributions.csv`) and the XLSX sheet's name.
    pub fn name(self) -> &'static str {
        match self {
            Dataset::Contributions => "contributions",
            Dataset::Comments => "comments",
            Dataset::Events => "events",
            Dataset::Attendance => "attendance",
        }
    }

    pub fn columns(self) -> &'static [Column] {
        match self {
            Dataset::Contributions => &CONTRIBUTION_COLUMNS,
            Dataset::Comments => &COMMENT_COLUMNS,
            Dataset::Events => &EVENT_COLUMNS,
            Dataset::Attendance => &ATTENDANCE_COLUMNS,
        }
    }

    /// How many rows the debate's file has (contributions: a count at most 30 seconds old).
    pub async fn count(self, store: &storage::Store, debate_id: i64) -> storage::Result<i64> {
        match self {
            Dataset::Contributions => {
                store
                    .count_contributions(&storage::ContributionFilter {
                        debate_id,
                        ..Default::default()
                    })
                    .await
            }
            Dataset::Comments => store.count_exported_comments(debate_id).await,
            Dataset::Events => store.count_exported_events(debate_id).await,
            Dataset::Attendance => store.count_exported_attendance(debate_id).await,
        }
    }

    /// A download's file name without the debate: `comments.xlsx` → (comments, XLSX).
    pub fn parse_file(file: &str) -> Option<(Dataset, Format)> {
        let (name, extension) = file.split_once('.')?;
        let dataset = Dataset::ALL.into_iter().find(|d| d.name() == name)?;
        Some((dataset, Format::parse(extension)?))
    }
}

/// A column: its name (the CSV header, the JSON key) and its width in an XLSX sheet, in
/// characters.
#[derive(Debug)]
pub struct Column {
    pub name: &'static str,
    pub width: f64,
}

const fn col(name: &'static str, width: f64) -> Column {
    Column { name, width }
}

/// The contributions' columns, in this order; new ones only ever go at the end.
pub const CONTRIBUTION_COLUMNS: [Column; 15] = [
    col("id", 9.0),
    col("question_id", 12.0),
    col("question", 40.0),
    col("kind", 11.0),
    col("channel", 10.0),
    col("title", 40.0),
    col("body", 80.0),
    col("author", 20.0),
    col("category", 22.0),
    col("quartier", 22.0),
    col("place", 22.0),
    col("received_at", 20.0),
    col("created_at", 20.0),
    col("theme", 22.0),
    col("imported_supports", 12.0),
];

/// The comments' columns, in this order; new ones only ever go at the end.
pub const COMMENT_COLUMNS: [Column; 8] = [
    col("id", 9.0),
    col("contribution_id", 15.0),
    col("parent_id", 10.0),
    col("depth", 7.0),
    col("author", 20.0),
    col("body", 80.0),
    col("created_at", 20.0),
    col("alignment", 10.0),
];

/// The events' columns, in this order; new ones only ever go at the end.
pub const EVENT_COLUMNS: [Column; 14] = [
    col("id", 9.0),
    col("kind", 14.0),
    col("title", 40.0),
    col("quartier", 22.0),
    col("address", 30.0),
    col("starts_at", 20.0),
    col("ends_at", 20.0),
    col("status", 11.0),
    col("capacity", 9.0),
    col("registered", 11.0),
    col("waiting", 9.0),
    col("present", 9.0),
    col("walk_ins", 9.0),
    col("contributions", 13.0),
];

/// Attendance's columns, in this order; new ones only ever go at the end.
pub const ATTENDANCE_COLUMNS: [Column; 4] = [
    col("event_id", 9.0),
    col("category", 30.0),
    col("quartier", 22.0),
    col("people", 9.0),
];

/// One value of a row, typed so that each format writes it its own way.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Int(i64),
    Text(String),
    /// Seconds since 1970 (UTC).
    Time(i64),
    /// Nothing to say: an empty CSV field, a JSON `null`, an empty XLSX cell.
    Empty,
}

/// A row of an open-data file.
pub trait Record: Send + 'static {
    const DATASET: Dataset;
    /// The row's values in the order of `DATASET.columns()`; authors leave as pseudonyms made
    /// with `key`.
    fn into_cells(self, key: &str) -> Vec<Cell>;
}

fn author(key: &str, id: Option<i64>) -> Cell {
    id.map_or(Cell::Empty, |id| Cell::Text(storage::pseudonym(key, id)))
}

fn text_or_empty(s: Option<String>) -> Cell {
    s.map_or(Cell::Empty, Cell::Text)
}

impl Record for ExportRow {
    const DATASET: Dataset = Dataset::Contributions;

    fn into_cells(self, key: &str) -> Vec<Cell> {
        vec![
            Cell::Int(self.id),
            Cell::Int(self.question_id),
            Cell::Text(self.question),
            Cell::Text(self.kind),
            Cell::Text(self.channel),
            Cell::Text(self.title),
            Cell::Text(self.body),
            author(key, self.author_id),
            text_or_empty(self.category),
            text_or_empty(self.quartier),
            Cell::Text(self.place),
            self.received_at.map_or(Cell::Empty, Cell::Time),
            Cell::Time(self.created_at),
            if self.theme.is_empty() {
                Cell::Empty
            } else {
                Cell::Text(self.theme)
            },
            self.imported_supports.map_or(Cell::Empty, Cell::Int),
        ]
    }
}

impl Record for storage::EventExportRow {
    const DATASET: Dataset = Dataset::Events;

    fn into_cells(self, _key: &str) -> Vec<Cell> {
        vec![
            Cell::Int(self.id),
            Cell::Text(self.kind),
            Cell::Text(self.title),
            text_or_empty(self.quartier),
            Cell::Text(self.address),
            Cell::Time(self.starts_at),
            Cell::Time(self.ends_at),
            Cell::Text(self.status),
            self.capacity.map_or(Cell::Empty, Cell::Int),
            Cell::Int(self.registered),
            Cell::Int(self.waiting),
            Cell::Int(self.present),
            Cell::Int(self.walk_ins),
            Cell::Int(self.contributions),
        ]
    }
}

impl Record for storage::AttendanceExportRow {
    const DATASET: Dataset = Dataset::Attendance;

    fn into_cells(self, _key: &str) -> Vec<Cell> {
        vec![
            Cell::Int(self.event_id),
            text_or_empty(self.category),
            text_or_empty(self.quartier),
            Cell::Int(self.people),
        ]
    }
}

impl Record for CommentExportRow {
    const DATASET: Dataset = Dataset::Comments;

    fn into_cells(self, key: &str) -> Vec<Cell> {
        vec![
            Cell::Int(self.id),
            Cell::Int(self.contribution_id),
            self.parent_id.map_or(Cell::Empty, Cell::Int),
            Cell::Int(self.depth),
            author(key, self.author_id),
            Cell::Text(self.body),
            Cell::Time(self.created_at),
            if self.alignment.is_empty() {
                Cell::Empty
            } else {
                Cell::Text(self.alignment)
            },
        ]
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Jsonl,
    Xlsx,
}

impl Format {
    pub const ALL: [Format; 3] = [Format::Csv, Format::Jsonl, Format::Xlsx];

    pub fn parse(s: &str) -> Option<Format> {
        Format::ALL.into_iter().find(|f| f.extension() == s)
    }

    pub fn content_type(self) -> &'static str {
        match self {
            Format::Csv => "text/csv; charset=utf-8",
            Format::Jsonl => "application/jsonl; charset=utf-8",
            Format::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Jsonl => "jsonl",
            Format::Xlsx => "xlsx",
        }
    }

    /// The formats written one line per row; XLSX is not one of them (see `xlsx`).
    pub fn lines(self) -> Option<Lines> {
        match self {
            Format::Csv => Some(Lines::Csv),
            Format::Jsonl => Some(Lines::Jsonl),
            Format::Xlsx => None,
        }
    }
}

/// CSV or JSON Lines: a header (CSV only), then one line per row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lines {
    Csv,
    Jsonl,
}

impl Lines {
    /// What comes before the first row.
    pub fn header(self, dataset: Dataset) -> String {
        match self {
            Lines::Csv => {
                let names: Vec<&str> = dataset.columns().iter().map(|c| c.name).collect();
                format!("{}\r\n", names.join(","))
            }
            Lines::Jsonl => String::new(),
        }
    }

    pub fn line(self, dataset: Dataset, cells: &[Cell]) -> String {
        match self {
            Lines::Csv => {
                let mut line = cells
                    .iter()
                    .map(|cell| match cell {
                        Cell::Int(n) => n.to_string(),
                        Cell::Text(s) => webkit::csv::field(s),
                        Cell::Time(t) => iso(*t),
                        Cell::Empty => String::new(),
                    })
                    .collect::<Vec<_>>()
                    .join(",");
                line.push_str("\r\n");
                line
            }
            Lines::Jsonl => {
                let object: serde_json::Map<String, serde_json::Value> = dataset
                    .columns()
                    .iter()
                    .zip(cells)
                    .map(|(column, cell)| {
                        let value = match cell {
                            Cell::Int(n) => (*n).into(),
                            Cell::Text(s) => s.as_str().into(),
                            Cell::Time(t) => iso(*t).into(),
                            Cell::Empty => serde_json::Value::Null,
                        };
                        (column.name.to_string(), value)
                    })
                    .collect();
                format!("{}\n", serde_json::Value::Object(object))
            }
        }
    }
}

/// ISO 8601 in UTC, e.g. `2026-11-29T00:52:00Z`.
fn iso(ts: i64) -> String {
    jiff::Timestamp::from_second(ts)
        .map(|t| t.to_string())
        .unwrap_or_default()
}

/// This crate's routes, merged by the web front under the shared middleware.
pub fn routes(settings: &webkit::Settings) -> axum::Router<webkit::AppState> {
    use axum::routing::get;
    let _ = settings;
    axum::Router::new()
        .route("/debats/{slug}/donnees", get(pages::page))
        .route("/debats/{slug}/donnees/{file}", get(pages::download))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row() -> ExportRow {
        ExportRow {
            id: 7,
            question_id: 2,
            question: "Comment s'engager ?".into(),
            kind: "individual".into(),
            channel: "paper".into(),
            title: "=HYPERLINK(\"x\")".into(),
            body: "Ligne 1\nLigne 2, avec \"guillemets\"".into(),
            author_id: Some(3),
            category: None,
            quartier: Some("Nantes Nord".into()),
            place: String::new(),
            received_at: None,
            created_at: 0,
            theme: "Mobilité".into(),
            imported_supports: Some(12),
        }
    }

    fn line(lines: Lines, r: impl Record) -> String {
        lines.line(Dataset::Contributions, &r.into_cells("k"))
    }

    #[test]
    fn csv_quotes_and_defuses_formulas() {
        let line = line(Lines::Csv, row());
        assert!(line.starts_with("7,2,Comment s'engager ?,individual,paper,"));
        assert!(line.contains("\"'=HYPERLINK(\"\"x\"\")\""));
        assert!(line.contains("\"Ligne 1\nLigne 2, avec \"\"guillemets\"\"\""));
        assert!(line.contains(&storage::pseudonym("k", 3)));
        assert!(line.ends_with(",1970-01-01T00:00:00Z,Mobilité,12\r\n"));
        assert_eq!(
            Lines::Csv
                .header(Dataset::Contributions)
                .matches(',')
                .count(),
            // One comma sits inside the quoted body.
            line.matches(',').count() - 1
        );
    }

    #[test]
    fn jsonl_is_one_object_per_line() {
        let line = line(Lines::Jsonl, row());
        assert_eq!(line.matches('\n').count(), 1);
        let v: serde_json::Value = serde_json::from_str(&line).expect("json");
        assert_eq!(v["author"], storage::pseudonym("k", 3));
        assert!(v["category"].is_null());
        assert!(v["received_at"].is_null());
        assert_eq!(v["place"], "");
        assert_eq!(v["id"], 7);
        assert_eq!(v["body"], "Ligne 1\nLigne 2, avec \"guillemets\"");
    }

    #[test]
    fn comments_have_their_own_columns() {
        let c = CommentExportRow {
            id: 5,
            contribution_id: 7,
            parent_id: None,
            depth: 0,
            author_id: Some(3),
            body: "-1, pas d'accord".into(),
            created_at: 60,
            alignment: "against".into(),
        };
        let cells = c.clone().into_cells("k");
        assert_eq!(cells.len(), Dataset::Comments.columns().len());
        assert_eq!(
            Lines::Csv.header(Dataset::Comments),
            "id,contribution_id,parent_id,depth,author,body,created_at,alignment\r\n"
        );
        assert_eq!(
            Lines::Csv.line(Dataset::Comments, &cells),
            format!(
                "5,7,,0,{},\"'-1, pas d'accord\",1970-01-01T00:01:00Z,against\r\n",
                storage::pseudonym("k", 3)
            )
        );
        let v: serde_json::Value =
            serde_json::from_str(&Lines::Jsonl.line(Dataset::Comments, &cells)).expect("json");
        assert!(v["parent_id"].is_null());
        assert_eq!(v["contribution_id"], 7);
    }

    #[test]
    fn file_names() {
        assert_eq!(
            Dataset::parse_file("comments.xlsx"),
            Some((Dataset::Comments, Format::Xlsx))
        );
        assert_eq!(
            Dataset::parse_file("contributions.csv"),
            Some((Dataset::Contributions, Format::Csv))
        );
        for bad in ["contributions.exe", "users.csv", "contributions", ".csv"] {
            assert_eq!(Dataset::parse_file(bad), None, "{bad}");
        }
        assert_eq!(
            CONTRIBUTION_COLUMNS.len(),
            row().into_cells("k").len(),
            "one cell per column"
        );
    }
}
