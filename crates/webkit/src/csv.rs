//! CSV as spreadsheets read it: UTF-8, comma-separated, quoted when needed.

/// Quotes a CSV field when needed, and defuses spreadsheet formulas (a cell starting with `=`,
/// `+`, `-` or `@` would run when the file is opened in a spreadsheet).
pub fn field(s: &str) -> String {
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

/// One line of fields, ended by CRLF (RFC 4180).
pub fn line<S: AsRef<str>>(fields: &[S]) -> String {
    let mut out = fields
        .iter()
        .map(|f| field(f.as_ref()))
        .collect::<Vec<_>>()
        .join(",");
    out.push_str("\r\n");
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn quotes_and_defuses() {
        assert_eq!(
            super::line(&["a", "b,c", "=1+1", "d\"e"]),
            "a,\"b,c\",'=1+1,\"d\"\"e\"\r\n"
        );
    }
}
