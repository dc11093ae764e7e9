//! Uploads: multipart forms read with size limits, and files checked by their content (magic
//! bytes), not by their name, so an `.exe` renamed `.pdf` is refused.

use crate::error::AppError;
use axum::extract::Multipart;
use std::collections::HashMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Pdf,
    Png,
    Jpeg,
    Webp,
    Gif,
    OpenDocument,
    OfficeXml,
    Text,
}

impl FileKind {
    pub fn content_type(self, filename: &str) -> &'static str {
        let ext = extension(filename);
        match self {
            FileKind::Pdf => "application/pdf",
            FileKind::Png => "image/png",
            FileKind::Jpeg => "image/jpeg",
            FileKind::Webp => "image/webp",
            FileKind::Gif => "image/gif",
            FileKind::OpenDocument if ext == "ods" => {
                "application/vnd.oasis.opendocument.spreadsheet"
            }
            FileKind::OpenDocument => "application/vnd.oasis.opendocument.text",
            FileKind::OfficeXml if ext == "xlsx" => {
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
            FileKind::OfficeXml => {
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            }
            FileKind::Text if ext == "csv" => "text/csv; charset=utf-8",
            FileKind::Text => "text/plain; charset=utf-8",
        }
    }

    pub fn is_image(self) -> bool {
        matches!(
            self,
            FileKind::Png | FileKind::Jpeg | FileKind::Webp | FileKind::Gif
        )
    }
}

fn extension(filename: &str) -> String {
    filename
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default()
}

/// What the bytes are, checked against what the name claims. `None` means refused.
pub fn sniff(filename: &str, data: &[u8]) -> Option<FileKind> {
    let ext = extension(filename);
    let kind = if data.starts_with(b"%PDF-") {
        FileKind::Pdf
    } else if data.starts_with(b"\x89PNG\r\n\x1a\n") {
        FileKind::Png
    } else if data.starts_with(&[0xFF, 0xD8, 0xFF]) {
        FileKind::Jpeg
    } else if data.len() > 12 && &data[..4] == b"RIFF" && &data[8..12] == b"WEBP" {
        FileKind::Webp
    } else if data.starts_with(b"GIF87a") || data.starts_with(b"GIF89a") {
        FileKind::Gif
    } else if data.starts_with(b"PK\x03\x04") {
        // A zip is only an office file if it carries the marker of its format near the start.
        let head = &data[..data.len().min(4096)];
        let has = |needle: &[u8]| head.windows(needle.len()).any(|w| w == needle);
        match ext.as_str() {
            "odt" | "ods" if has(b"mimetypeapplication/vnd.oasis.opendocument") => {
                FileKind::OpenDocument
            }
            "docx" | "xlsx" if has(b"[Content_Types].xml") => FileKind::OfficeXml,
            _ => return None,
        }
    } else if matches!(ext.as_str(), "txt" | "csv")
        && !data.contains(&0)
        && std::str::from_utf8(data).is_ok()
    {
        FileKind::Text
    } else {
        return None;
    };
    let name_agrees = match kind {
        FileKind::Pdf => ext == "pdf",
        FileKind::Png => ext == "png",
        FileKind::Jpeg => ext == "jpg" || ext == "jpeg",
        FileKind::Webp => ext == "webp",
        FileKind::Gif => ext == "gif",
        FileKind::OpenDocument | FileKind::OfficeXml | FileKind::Text => true,
    };
    name_agrees.then_some(kind)
}

/// A file field as received.
pub struct Upload {
    pub field: String,
    pub filename: String,
    pub data: Vec<u8>,
    /// Set when the file went over its limit: the bytes were not kept.
    pub too_large: bool,
}

pub struct MultipartForm {
    pub fields: HashMap<String, String>,
    pub files: Vec<Upload>,
}

impl MultipartForm {
    pub fn text(&self, name: &str) -> &str {
        self.fields.get(name).map(String::as_str).unwrap_or("")
    }

    pub fn file(&self, name: &str) -> Option<&Upload> {
        self.files
            .iter()
            .find(|f| f.field == name && (!f.filename.is_empty() || f.too_large))
    }
}

const MAX_TEXT_FIELD: usize = 200_000;

/// Reads a whole multipart form, keeping at most `max_file` bytes per file, and checks its CSRF
/// token (multipart bodies are not seen by the CSRF middleware).
pub async fn read(
    mut mp: Multipart,
    max_file: usize,
    expected_csrf: &str,
) -> Result<MultipartForm, AppError> {
    let mut fields = HashMap::new();
    let mut files = Vec::new();
    loop {
        let field = match mp.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) => return Err(multipart_error(e)),
        };
        let name = field.name().unwrap_or("").to_string();
        match field.file_name().map(str::to_string) {
            Some(filename) => {
                let mut field = field;
                let mut data = Vec::new();
                let mut too_large = false;
                loop {
                    match field.chunk().await {
                        Ok(Some(chunk)) => {
                            if data.len() + chunk.len() > max_file {
                                too_large = true;
                                data = Vec::new();
                                // Drain the rest of this field without keeping it.
                                while let Ok(Some(_)) = field.chunk().await {}
                                break;
                            }
                            data.extend_from_slice(&chunk);
                        }
                        Ok(None) => break,
                        Err(e) => return Err(multipart_error(e)),
                    }
                }
                // A file input left empty is sent by browsers as a part with an empty filename
                // and no bytes: it is no file at all, not a file missing.
                if filename.trim().is_empty() && data.is_empty() && !too_large {
                    continue;
                }
                files.push(Upload {
                    field: name,
                    filename: sanitize_filename(&filename),
                    data,
                    too_large,
                });
            }
            None => {
                let text = field.text().await.map_err(multipart_error)?;
                if text.len() > MAX_TEXT_FIELD {
                    return Err(AppError::TooLarge);
                }
                fields.insert(name, text);
            }
        }
    }
    let token = fields.get("csrf").map(String::as_str).unwrap_or("");
    if !crate::csrf::same(token, expected_csrf) {
        return Err(AppError::Csrf);
    }
    Ok(MultipartForm { fields, files })
}

fn multipart_error(e: axum::extract::multipart::MultipartError) -> AppError {
    if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
        AppError::TooLarge
    } else {
        AppError::BadRequest("error-malformed-form")
    }
}

/// A file field checked: present, within `max_mb`, of a type `accept` takes (by content, see
/// [`sniff`]); the error is a translation key for the field.
pub fn check(
    up: Option<&Upload>,
    max_mb: usize,
    accept: impl Fn(FileKind) -> bool,
    type_error: &'static str,
) -> Result<(String, FileKind, Vec<u8>), &'static str> {
    let Some(up) = up else {
        return Err("error-file-missing");
    };
    if up.too_large || up.data.len() > max_mb * 1_000_000 {
        return Err("error-file-too-large");
    }
    if up.data.is_empty() {
        return Err("error-file-missing");
    }
    let kind = sniff(&up.filename, &up.data).ok_or("error-file-type")?;
    if !accept(kind) {
        return Err(type_error);
    }
    Ok((up.filename.clone(), kind, up.data.clone()))
}

/// Keeps the last path component and printable characters only: the name is shown and used in
/// `Content-Disposition`, never as a path. Bidirectional and zero-width characters go too (a
/// name shown reversed could pass `…fdp.png` for `…gnp.pdf`).
pub fn sanitize_filename(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or("");
    let cleaned: String = base
        .chars()
        .filter(|c| {
            !c.is_control()
                && !domain::validate::is_invisible(*c)
                && !matches!(c, '"' | ';' | '<' | '>')
        })
        .take(120)
        .collect();
    let cleaned = cleaned.trim().trim_start_matches('.').to_string();
    if cleaned.is_empty() {
        "fichier".into()
    } else {
        cleaned
    }
}

/// The body limit of the routes that take uploads: the largest file allowed plus room for the
/// form's other fields.
pub fn body_limit(settings: &crate::Settings) -> axum::extract::DefaultBodyLimit {
    let mb = settings.max_document_mb.max(settings.max_image_mb) + 2;
    axum::extract::DefaultBodyLimit::max(mb * 1_000_000)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_decides_not_the_name() {
        assert_eq!(sniff("a.pdf", b"%PDF-1.7 ..."), Some(FileKind::Pdf));
        assert_eq!(sniff("a.pdf", b"MZ\x90\x00 this is an exe"), None);
        assert_eq!(sniff("a.png", b"%PDF-1.7"), None);
        assert_eq!(
            sniff("photo.JPG", &[0xFF, 0xD8, 0xFF, 0xE0]),
            Some(FileKind::Jpeg)
        );
        assert_eq!(sniff("a.zip", b"PK\x03\x04rest"), None);
        assert_eq!(sniff("note.odt", b"PK\x03\x04rest"), None);
        assert_eq!(
            sniff(
                "note.odt",
                b"PK\x03\x04..mimetypeapplication/vnd.oasis.opendocument.text"
            ),
            Some(FileKind::OpenDocument)
        );
        assert_eq!(
            sniff("t.docx", b"PK\x03\x04..[Content_Types].xml"),
            Some(FileKind::OfficeXml)
        );
        assert_eq!(sniff("t.csv", b"a;b\n1;2\n"), Some(FileKind::Text));
        assert_eq!(sniff("t.txt", b"a\0b"), None);
        assert_eq!(sniff("x.svg", b"<svg onload=alert(1)>"), None);
    }

    #[test]
    fn filenames_are_tamed() {
        assert_eq!(sanitize_filename("../../etc/passwd"), "passwd");
        assert_eq!(
            sanitize_filename("C:\\docs\\délib \"x\".pdf"),
            "délib x.pdf"
        );
        assert_eq!(sanitize_filename(".."), "fichier");
        assert_eq!(sanitize_filename("rep\u{202E}fdp.png"), "repfdp.png");
        assert_eq!(sanitize_filename("\u{200B}\u{FEFF}"), "fichier");
    }
}
