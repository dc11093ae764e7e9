//! `concorde export contributions|comments`: a debate's open data to a file or standard output,
//! in the formats and schemas of the public page's downloads (`web::opendata`,
//! `docs/open-data.md`). Rows stream from the database, so memory stays flat; XLSX goes
//! through a temporary file in the data folder.

use std::io::Write;
use std::path::PathBuf;
use storage::Store;
use tokio::sync::mpsc::Receiver;
use tokio::task::JoinHandle;
use web::Settings;
use web::opendata::{Dataset, Format, Record, xlsx};

pub struct Options {
    pub dataset: Dataset,
    pub debate: String,
    pub format: Format,
    /// Standard output when `None`.
    pub output: Option<PathBuf>,
}

/// `csv`, `jsonl` or `xlsx`, with a message naming them otherwise.
pub fn parse_format(s: &str) -> anyhow::Result<Format> {
    Format::parse(s).ok_or_else(|| anyhow::anyhow!("unknown format {s:?}: use csv, jsonl or xlsx"))
}

/// Writes the file and says how many rows it holds. A file named by `--output` is removed
/// if the export fails, so that no half-written file is left looking complete.
pub async fn run(store: &Store, settings: &Settings, opts: &Options) -> anyhow::Result<u64> {
    let slug = &opts.debate;
    let d = store
        .debate_by_slug(slug)
        .await?
        .ok_or_else(|| anyhow::anyhow!("no debate with the slug {slug:?}"))?;
    if opts.format == Format::Xlsx {
        let n = opts.dataset.count(store, d.id).await?;
        if !xlsx::fits(n) {
            anyhow::bail!(
                "{slug:?} has {n} {}, more than an Excel sheet holds ({} rows): use --format csv or jsonl",
                opts.dataset.name(),
                xlsx::MAX_ROWS
            );
        }
    }
    let key = store.pseudonym_key().await?;
    let out: Box<dyn Write + Send> = match &opts.output {
        Some(path) => Box::new(std::io::BufWriter::new(
            std::fs::File::create(path)
                .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display()))?,
        )),
        None => Box::new(std::io::BufWriter::new(std::io::stdout())),
    };
    let tempdir = settings.data_dir.clone();
    let written = match opts.dataset {
        Dataset::Contributions => {
            let (rx, task) = store.spawn_export(d.id);
            write(rx, task, opts.format, key, out, tempdir).await
        }
        Dataset::Comments => {
            let (rx, task) = store.spawn_comment_export(d.id);
            write(rx, task, opts.format, key, out, tempdir).await
        }
        Dataset::Events => {
            let (rx, task) = store.spawn_event_export(d.id);
            write(rx, task, opts.format, key, out, tempdir).await
        }
        Dataset::Attendance => {
            let (rx, task) = store.spawn_attendance_export(d.id);
            write(rx, task, opts.format, key, out, tempdir).await
        }
    };
    if written.is_err()
        && let Some(path) = &opts.output
    {
        let _ = std::fs::remove_file(path);
    }
    written
}

async fn write<R: Record>(
    mut rx: Receiver<R>,
    task: JoinHandle<storage::Result<u64>>,
    format: Format,
    key: String,
    mut out: Box<dyn Write + Send>,
    tempdir: PathBuf,
) -> anyhow::Result<u64> {
    let n = match format.lines() {
        Some(lines) => {
            out.write_all(lines.header(R::DATASET).as_bytes())?;
            let mut n = 0u64;
            while let Some(row) = rx.recv().await {
                out.write_all(lines.line(R::DATASET, &row.into_cells(&key)).as_bytes())?;
                n += 1;
            }
            task.await??;
            n
        }
        None => {
            let sheet =
                tokio::task::spawn_blocking(move || xlsx::fill(&mut rx, &key, &tempdir, &|| false))
                    .await??;
            // The database's word on the rows before the file is assembled.
            task.await??;
            let n = sheet.rows();
            out = tokio::task::spawn_blocking(move || {
                sheet.save(&mut out)?;
                Ok::<_, xlsx::SheetError>(out)
            })
            .await??;
            n
        }
    };
    out.flush()?;
    Ok(n)
}
