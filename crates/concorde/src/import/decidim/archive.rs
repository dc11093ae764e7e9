//! The zip archive Decidim mails an export in ("Your export is ready": a `.zip` holding the CSV,
//! JSON or Excel file). An archive in the folder, or given as the folder itself, is read as the
//! files it holds (`export.zip/proposals.csv`); folders inside it are walked, hidden files and
//! macOS's `__MACOSX/` left out. An Excel or OpenDocument file is a zip too, told apart by its
//! package parts, and is not opened here.

use std::io::{Cursor, Read};

/// Most files one archive may hold, and most bytes one of them may unpack to (a zip bomb stops).
const MAX_ENTRIES: usize = 1000;
const MAX_ENTRY: u64 = 512 * 1024 * 1024;

pub use crate::import::sheet::is_archive;

/// The archive's files as (name, bytes), in name order; `name` is the archive's own.
pub fn files(name: &str, bytes: &[u8]) -> anyhow::Result<Vec<(String, Vec<u8>)>> {
    let fail = |e: &dyn std::fmt::Display| anyhow::anyhow!("{name}: a damaged zip archive ({e})");
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| fail(&e))?;
    if zip.len() > MAX_ENTRIES {
        anyhow::bail!(
            "{name}: {} files in the archive, more than a Decidim export holds (at most {MAX_ENTRIES})",
            zip.len()
        );
    }
    let mut out = Vec::new();
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).map_err(|e| fail(&e))?;
        let path = entry.name().map_err(|e| fail(&e))?.into_owned();
        let hidden = path
            .split('/')
            .any(|part| part.starts_with('.') || part == "__MACOSX");
        if entry.is_dir() || hidden {
            continue;
        }
        let mut data = Vec::new();
        (&mut entry)
            .take(MAX_ENTRY + 1)
            .read_to_end(&mut data)
            .map_err(|e| fail(&e))?;
        if data.len() as u64 > MAX_ENTRY {
            anyhow::bail!(
                "{name}/{path}: unpacks to more than a Decidim export holds (at most {MAX_ENTRY} bytes)"
            );
        }
        out.push((format!("{name}/{path}"), data));
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    if out.is_empty() {
        anyhow::bail!("{name}: the archive holds no file");
    }
    Ok(out)
}
