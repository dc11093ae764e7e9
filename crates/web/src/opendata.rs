//! Open data formats of contributions: CSV (UTF-8, comma-separated, a header line) and JSON
//! Lines, with the stable schema documented in `docs/open-data.md`. One row in, one line out, so
//! that exports stream whatever their size.

use storage::ExportRow;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Jsonl,
}

impl Format {
    pub fn parse(s: &str) -> Option<Format> {
        match s {
            "csv" => Some(Format::Csv),
            "jsonl" => Some(Format::Jsonl),
            _ => None,
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            Format::Csv => "text/csv; charset=utf-8",
            Format::Jsonl => "application/jsonl; charset=utf-8",
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Jsonl => "jsonl",
        }
    }

    /// What comes before the first row.
    pub fn header(self) -> &'static str {
        match self {
            Format::Csv => {
                "id,question_id,question,kind,channel,title,body,author,category,quartier,place,received_at,created_at\r\n"
            }
            Format::Jsonl => "",
        }
    }

    pub fn row(self, r: &ExportRow, key: &str) -> String {
        let author = r
            .author_id
            .map(|id| storage::pseudonym(key, id))
            .unwrap_or_default();
        let received = r.received_at.map(iso).unwrap_or_default();
        match self {
            Format::Csv => {
                let fields = [
                    r.id.to_string(),
                    r.question_id.to_string(),
                    r.question.clone(),
                    r.kind.clone(),
                    r.channel.clone(),
                    r.title.clone(),
                    r.body.clone(),
                    author,
                    r.category.clone().unwrap_or_default(),
                    r.quartier.clone().unwrap_or_default(),
                    r.place.clone(),
                    received,
                    iso(r.created_at),
                ];
                let mut line = fields
                    .iter()
                    .map(|f| csv_field(f))
                    .collect::<Vec<_>>()
                    .join(",");
                line.push_str("\r\n");
                line
            }
            Format::Jsonl => {
                let v = serde_json::json!({
                    "id": r.id,
                    "question_id": r.question_id,
                    "question": r.question,
                    "kind": r.kind,
                    "channel": r.channel,
                    "title": r.title,
                    "body": r.body,
                    "author": if author.is_empty() { serde_json::Value::Null } else { author.into() },
                    "category": r.category,
                    "quartier": r.quartier,
                    "place": r.place,
                    "received_at": if received.is_empty() { serde_json::Value::Null } else { received.into() },
                    "created_at": iso(r.created_at),
                });
                format!("{v}\n")
            }
        }
    }
}

fn iso(ts: i64) -> String {
    jiff::Timestamp::from_second(ts)
        .map(|t| t.to_string())
        .unwrap_or_default()
}

/// Quotes a CSV field when needed, and defuses spreadsheet formulas (a cell starting with `=`,
/// `+`, `-` or `@` would run when the file is opened in a spreadsheet).
fn csv_field(s: &str) -> String {
    let s = if s.starts_with(['=', '+', '-', '@']) {
        format!("'{s}")
    } else {
        s.to_string()
    };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
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
        }
    }

    #[test]
    fn csv_quotes_and_defuses_formulas() {
        let line = Format::Csv.row(&row(), "k");
        assert!(line.starts_with("7,2,Comment s'engager ?,individual,paper,"));
        assert!(line.contains("\"'=HYPERLINK(\"\"x\"\")\""));
        assert!(line.contains("\"Ligne 1\nLigne 2, avec \"\"guillemets\"\"\""));
        assert!(line.contains(&storage::pseudonym("k", 3)));
        assert!(line.ends_with(",1970-01-01T00:00:00Z\r\n"));
        assert_eq!(
            Format::Csv.header().matches(',').count(),
            // One comma sits inside the quoted body.
            line.matches(',').count() - 1
        );
    }

    #[test]
    fn jsonl_is_one_object_per_line() {
        let line = Format::Jsonl.row(&row(), "k");
        assert_eq!(line.matches('\n').count(), 1);
        let v: serde_json::Value = serde_json::from_str(&line).expect("json");
        assert_eq!(v["author"], storage::pseudonym("k", 3));
        assert!(v["category"].is_null());
        assert_eq!(v["body"], "Ligne 1\nLigne 2, avec \"guillemets\"");
    }
}
