//! Input: the `Document` the engine analyses, and a tolerant JSON Lines reader.
//!
//! A bad line never aborts a file: it is recorded as an [`InputProblem`] with its line number,
//! and reading goes on. Only conditions that make the whole input unusable are errors.

use std::fmt;
use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

/// One contribution. Plain data; every field but `text` is optional.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Document {
    /// Stable identifier, echoed in the results.
    pub id: String,
    pub text: String,
    /// The guiding question the contribution answers.
    #[serde(default)]
    pub question: Option<String>,
    /// Participant category (resident, association, business, …).
    #[serde(default)]
    pub category: Option<String>,
    #[serde(default)]
    pub quartier: Option<String>,
    /// online, paper, workshop, survey, …
    #[serde(default)]
    pub channel: Option<String>,
    /// `Some(true)` for a collective contribution (on behalf of an organisation).
    #[serde(default)]
    pub collective: Option<bool>,
    /// Reference label for evaluation (NMI/ARI of the themes against it).
    #[serde(default)]
    pub label: Option<String>,
}

impl Document {
    /// A document with only an id and a text.
    pub fn new(id: impl Into<String>, text: impl Into<String>) -> Self {
        Document {
            id: id.into(),
            text: text.into(),
            ..Default::default()
        }
    }
}

/// A line of an input file that could not be used.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InputProblem {
    /// 1-based line number.
    pub line: usize,
    pub message: String,
}

/// Errors that stop an analysis.
#[derive(Debug)]
pub enum Error {
    NotFound(PathBuf),
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    /// The input holds no usable contribution.
    EmptyInput,
    InvalidSettings(String),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::NotFound(p) => write!(f, "input file not found: {}", p.display()),
            Error::Io { path, source } => write!(f, "cannot read {}: {source}", path.display()),
            Error::EmptyInput => write!(f, "the input holds no contribution with text to analyse"),
            Error::InvalidSettings(m) => write!(f, "invalid analysis settings: {m}"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}

/// Known fields; anything else on a line is tolerated and ignored.
#[derive(Deserialize)]
struct RawLine {
    #[serde(default)]
    id: Option<serde_json::Value>,
    #[serde(default)]
    text: Option<String>,
    #[serde(default)]
    question: Option<String>,
    #[serde(default)]
    category: Option<String>,
    #[serde(default)]
    quartier: Option<String>,
    #[serde(default)]
    channel: Option<String>,
    #[serde(default)]
    collective: Option<bool>,
    #[serde(default)]
    theme: Option<String>,
    #[serde(default)]
    label: Option<String>,
}

fn value_to_label(v: &serde_json::Value) -> Option<String> {
    match v {
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        serde_json::Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn parse_line(
    bytes: &[u8],
    line_no: usize,
    label_field: Option<&str>,
) -> Result<Option<Document>, InputProblem> {
    let problem = |message: String| InputProblem {
        line: line_no,
        message,
    };
    let text = std::str::from_utf8(bytes)
        .map_err(|e| problem(format!("invalid UTF-8 at byte {}", e.valid_up_to())))?;
    let text = text.trim_end_matches('\r');
    if text.trim().is_empty() {
        return Ok(None);
    }
    let raw: RawLine =
        serde_json::from_str(text).map_err(|e| problem(format!("invalid JSON: {e}")))?;
    let body = raw
        .text
        .ok_or_else(|| problem("no \"text\" field".to_string()))?;
    let id = match &raw.id {
        Some(serde_json::Value::String(s)) => s.clone(),
        Some(serde_json::Value::Number(n)) => n.to_string(),
        _ => format!("line-{line_no}"),
    };
    let label = match label_field {
        None => None,
        Some("question") => raw.question.clone(),
        Some("category") => raw.category.clone(),
        Some("quartier") => raw.quartier.clone(),
        Some("channel") => raw.channel.clone(),
        Some("theme") => raw.theme.clone(),
        Some("label") => raw.label.clone(),
        Some(field) => {
            // Rare path: an arbitrary field, parse the line again as a map.
            let v: serde_json::Value =
                serde_json::from_str(text).map_err(|e| problem(format!("invalid JSON: {e}")))?;
            v.get(field).and_then(value_to_label)
        }
    };
    Ok(Some(Document {
        id,
        text: body,
        question: raw.question,
        category: raw.category,
        quartier: raw.quartier,
        channel: raw.channel,
        collective: raw.collective,
        label,
    }))
}

/// Read contributions from a JSON Lines file, gzipped or not (detected by its magic bytes).
///
/// Each line is an object with at least `text`; `id`, `question`, `category`, `quartier`,
/// `channel`, `collective` are used when present, other fields are ignored. `label_field`
/// names the field copied into [`Document::label`] for evaluation. Blank lines are skipped;
/// broken lines are returned as problems (so a file of only broken lines is `Ok` with no
/// document and its problems). A file with no line at all is [`Error::EmptyInput`].
pub fn read_jsonl(
    path: &Path,
    label_field: Option<&str>,
) -> Result<(Vec<Document>, Vec<InputProblem>), Error> {
    let io_err = |source: std::io::Error| {
        if source.kind() == std::io::ErrorKind::NotFound {
            Error::NotFound(path.to_path_buf())
        } else {
            Error::Io {
                path: path.to_path_buf(),
                source,
            }
        }
    };
    let mut file = File::open(path).map_err(io_err)?;
    let mut magic = [0u8; 2];
    let n = read_up_to(&mut file, &mut magic).map_err(io_err)?;
    let file = File::open(path).map_err(io_err)?;
    let reader: Box<dyn Read> = if n == 2 && magic == [0x1f, 0x8b] {
        Box::new(flate2::read::MultiGzDecoder::new(file))
    } else {
        Box::new(file)
    };
    let (docs, problems) =
        read_jsonl_from(BufReader::with_capacity(1 << 20, reader), label_field).map_err(io_err)?;
    if docs.is_empty() && problems.is_empty() {
        return Err(Error::EmptyInput);
    }
    Ok((docs, problems))
}

/// Open a file for reading, gzipped or not (detected by its magic bytes).
pub fn open_text(path: &Path) -> Result<Box<dyn BufRead>, Error> {
    let io_err = |source: std::io::Error| {
        if source.kind() == std::io::ErrorKind::NotFound {
            Error::NotFound(path.to_path_buf())
        } else {
            Error::Io {
                path: path.to_path_buf(),
                source,
            }
        }
    };
    let mut file = File::open(path).map_err(io_err)?;
    let mut magic = [0u8; 2];
    let n = read_up_to(&mut file, &mut magic).map_err(io_err)?;
    let file = File::open(path).map_err(io_err)?;
    let reader: Box<dyn Read> = if n == 2 && magic == [0x1f, 0x8b] {
        Box::new(flate2::read::MultiGzDecoder::new(file))
    } else {
        Box::new(file)
    };
    Ok(Box::new(BufReader::with_capacity(1 << 20, reader)))
}

fn read_up_to(r: &mut impl Read, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match r.read(&mut buf[n..])? {
            0 => break,
            k => n += k,
        }
    }
    Ok(n)
}

/// Same as [`read_jsonl`] over any buffered reader (plain text).
pub fn read_jsonl_from(
    mut reader: impl BufRead,
    label_field: Option<&str>,
) -> Result<(Vec<Document>, Vec<InputProblem>), std::io::Error> {
    const BATCH: usize = 32_768;
    let mut docs = Vec::new();
    let mut problems = Vec::new();
    let mut line_no = 0usize;
    let mut batch: Vec<(usize, Vec<u8>)> = Vec::with_capacity(BATCH);
    loop {
        let mut line = Vec::new();
        let n = reader.read_until(b'\n', &mut line)?;
        if n > 0 {
            line_no += 1;
            if line.last() == Some(&b'\n') {
                line.pop();
            }
            batch.push((line_no, line));
        }
        if batch.len() == BATCH || (n == 0 && !batch.is_empty()) {
            let parsed: Vec<Result<Option<Document>, InputProblem>> = batch
                .par_iter()
                .map(|(no, bytes)| parse_line(bytes, *no, label_field))
                .collect();
            for r in parsed {
                match r {
                    Ok(Some(d)) => docs.push(d),
                    Ok(None) => {}
                    Err(p) => problems.push(p),
                }
            }
            batch.clear();
        }
        if n == 0 {
            break;
        }
    }
    Ok((docs, problems))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_good_and_bad_lines() {
        let mut data = Vec::new();
        data.extend_from_slice(
            br#"{"id": "a", "theme": "x", "question": "Q1", "text": "Bonjour"}"#,
        );
        data.extend_from_slice(b"\n{broken\n\n");
        data.extend_from_slice(b"{\"id\": 7, \"text\": \"caf\xff\"}\n");
        data.extend_from_slice(b"\xff\xfe\n");
        data.extend_from_slice(br#"{"id": "b", "question": "Q2"}"#);
        data.extend_from_slice(b"\n");
        data.extend_from_slice(br#"{"id": 9, "text": "Non", "extra": [1,2], "lab": 3}"#);
        let (docs, problems) = read_jsonl_from(&data[..], Some("question")).unwrap();
        assert_eq!(docs.len(), 2);
        assert_eq!(docs[0].id, "a");
        assert_eq!(docs[0].label.as_deref(), Some("Q1"));
        assert_eq!(docs[1].id, "9");
        let lines: Vec<usize> = problems.iter().map(|p| p.line).collect();
        assert_eq!(lines, vec![2, 4, 5, 6]);
        let (docs, _) = read_jsonl_from(&data[..], Some("lab")).unwrap();
        assert_eq!(docs[1].label.as_deref(), Some("3"));
    }

    #[test]
    fn missing_file_is_a_clear_error() {
        let err = read_jsonl(Path::new("/nonexistent/x.jsonl"), None).unwrap_err();
        assert!(matches!(err, Error::NotFound(_)));
        assert!(err.to_string().contains("not found"));
    }

    #[test]
    fn gzip_is_detected() {
        use std::io::Write;
        let dir = std::env::temp_dir().join(format!("analysis-gz-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("in.jsonl.gz");
        let mut enc =
            flate2::write::GzEncoder::new(File::create(&path).unwrap(), Default::default());
        enc.write_all(b"{\"id\":\"x\",\"text\":\"Les transports\"}\n")
            .unwrap();
        enc.finish().unwrap();
        let (docs, problems) = read_jsonl(&path, None).unwrap();
        assert_eq!(docs.len(), 1);
        assert!(problems.is_empty());
        std::fs::remove_dir_all(&dir).ok();
    }
}
