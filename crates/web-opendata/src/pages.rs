//! The open-data page of a debate and its downloads: contributions and comments as CSV and
//! JSON Lines, streamed row by row, and as XLSX, written to a temporary file first (see
//! `opendata::xlsx` for why).

use crate::xlsx::{self, ChannelWriter, SheetError};
use crate::{Dataset, Format, Lines, Record};
use askama::Template;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use futures_util::StreamExt;
use std::convert::Infallible;
use tokio::sync::mpsc::Receiver;
use tokio::task::JoinHandle;
use webkit::access::visible_debate;
use webkit::ctx::Ctx;
use webkit::error::{AppError, AppResult};
use webkit::state::AppState;
use webkit::view::{Layout, render};

/// Why a too-large XLSX is refused (on the page and as the download's error page).
const XLSX_TOO_MANY: &str = "opendata-xlsx-too-many";

#[derive(Template)]
#[template(path = "opendata.html")]
pub struct OpenDataView {
    pub l: Layout,
    pub slug: String,
    pub debate_title: String,
    pub files: Vec<FileGroup>,
}

/// One dataset's part of the page: how many rows, its downloads, its columns.
pub struct FileGroup {
    pub heading: String,
    pub count: String,
    pub links: Vec<(String, String)>,
    /// Said instead of the XLSX link when the rows do not fit in a sheet.
    pub xlsx_refused: Option<String>,
    pub columns: String,
}

pub async fn page(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
) -> AppResult<Response> {
    let d = visible_debate(&state, &ctx, &slug).await?;
    let mut files = Vec::new();
    for dataset in Dataset::ALL {
        let n = dataset.count(&state.store, d.id).await?;
        let name = dataset.name();
        let links = Format::ALL
            .into_iter()
            .filter(|f| *f != Format::Xlsx || xlsx::fits(n))
            .map(|f| {
                (
                    format!("/debats/{}/donnees/{name}.{}", d.slug, f.extension()),
                    ctx.tr.t(&format!("opendata-{name}-{}", f.extension())),
                )
            })
            .collect();
        files.push(FileGroup {
            heading: ctx.tr.t(&format!("opendata-{name}-heading")),
            count: ctx.tr.count(&format!("opendata-{name}-count"), n),
            links,
            xlsx_refused: (!xlsx::fits(n)).then(|| ctx.tr.t(XLSX_TOO_MANY)),
            columns: ctx.tr.t(&format!("opendata-{name}-columns")),
        });
    }
    Ok(render(&OpenDataView {
        l: ctx.layout(&state, ctx.tr.t1("opendata-title", "title", &d.title)),
        slug: d.slug,
        debate_title: d.title,
        files,
    }))
}

pub async fn download(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((slug, file)): Path<(String, String)>,
) -> AppResult<Response> {
    let d = visible_debate(&state, &ctx, &slug).await?;
    let (dataset, format) = Dataset::parse_file(&file).ok_or(AppError::NotFound)?;
    // Refused before any work; `Sheet::push` also stops at the limit should rows arrive since.
    if format == Format::Xlsx && !xlsx::fits(dataset.count(&state.store, d.id).await?) {
        return Err(AppError::Conflict(XLSX_TOO_MANY));
    }
    let key = state.store.pseudonym_key().await?;
    let store = &state.store;
    let body = match format.lines() {
        Some(lines) => match dataset {
            Dataset::Contributions => lines_body(store.spawn_export(d.id), lines, key),
            Dataset::Comments => lines_body(store.spawn_comment_export(d.id), lines, key),
            Dataset::Events => lines_body(store.spawn_event_export(d.id), lines, key),
            Dataset::Attendance => lines_body(store.spawn_attendance_export(d.id), lines, key),
        },
        None => {
            // Taken before the rows are read, so that a download waiting its turn holds no
            // database connection.
            let xlsx = Xlsx {
                turn: XLSX_FILLS
                    .acquire()
                    .await
                    .map_err(|e| AppError::Internal(e.to_string()))?,
                tempdir: state.settings.data_dir.clone(),
                key,
            };
            match dataset {
                Dataset::Contributions => xlsx_body(store.spawn_export(d.id), xlsx).await?,
                Dataset::Comments => xlsx_body(store.spawn_comment_export(d.id), xlsx).await?,
                Dataset::Events => xlsx_body(store.spawn_event_export(d.id), xlsx).await?,
                Dataset::Attendance => xlsx_body(store.spawn_attendance_export(d.id), xlsx).await?,
            }
        }
    };
    let filename = format!("{}-{}.{}", d.slug, dataset.name(), format.extension());
    Ok((
        [
            (header::CONTENT_TYPE, format.content_type().to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{filename}\""),
            ),
        ],
        body,
    )
        .into_response())
}

/// CSV or JSON Lines, each row sent as soon as it is read. A failed export ends the body early;
/// the task logs why.
fn lines_body<R: Record>((rx, task): Export<R>, lines: Lines, key: String) -> Body {
    tokio::spawn(async move {
        if let Ok(Err(e)) = task.await {
            tracing::error!(error = %e, "export failed");
        }
    });
    let header = lines.header(R::DATASET);
    let header = futures_util::stream::once(async move { Ok::<_, Infallible>(header) });
    let rows = futures_util::stream::unfold((rx, key), move |(mut rx, key)| async move {
        let row = rx.recv().await?;
        let line = lines.line(R::DATASET, &row.into_cells(&key));
        Some((Ok::<_, Infallible>(line), (rx, key)))
    });
    Body::from_stream(header.chain(rows))
}

/// Rows as the store sends them, and the task that reads them.
type Export<R> = (Receiver<R>, JoinHandle<storage::Result<u64>>);

/// What an XLSX download needs: its turn, where its temporary file goes, the pseudonym key.
struct Xlsx {
    turn: tokio::sync::SemaphorePermit<'static>,
    tempdir: std::path::PathBuf,
    key: String,
}

/// XLSX files being filled at once: each takes a core and writes its rows to disk, so more
/// downloads wait their turn rather than share the machine with the pages.
static XLSX_FILLS: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(2);

/// XLSX: every row is written to the sheet's temporary file before the answer starts, so that a
/// failure still gets an error page; then the zip is compressed into the body as the client
/// reads it.
async fn xlsx_body<R: Record>(
    (mut rx, task): Export<R>,
    Xlsx { turn, tempdir, key }: Xlsx,
) -> AppResult<Body> {
    let (filled_tx, filled_rx) = tokio::sync::oneshot::channel::<AppResult<()>>();
    let (chunks_tx, chunks_rx) = tokio::sync::mpsc::channel::<Vec<u8>>(4);
    let runtime = tokio::runtime::Handle::current();
    tokio::task::spawn_blocking(move || {
        // The visitor went away (the handler, and the receiver with it, was dropped).
        let cancelled = || filled_tx.is_closed();
        let filled = match xlsx::fill(&mut rx, &key, &tempdir, &cancelled) {
            // The rows ended: was it the last one, or a failure of the database?
            Ok(sheet) => match runtime.block_on(task) {
                Ok(Ok(_)) => Ok(sheet),
                Ok(Err(e)) => Err(e.into()),
                Err(e) => Err(AppError::Internal(e.to_string())),
            },
            Err(SheetError::TooManyRows) => Err(AppError::Conflict(XLSX_TOO_MANY)),
            Err(e) => Err(AppError::Internal(e.to_string())),
        };
        drop(turn);
        let sheet = match filled {
            Ok(sheet) => sheet,
            Err(e) => {
                let _ = filled_tx.send(Err(e));
                return;
            }
        };
        if filled_tx.send(Ok(())).is_err() {
            return;
        }
        let out = std::io::BufWriter::with_capacity(64 * 1024, ChannelWriter(chunks_tx));
        if let Err(e) = sheet.save(out) {
            // Most often the visitor went away.
            tracing::info!(error = %e, "XLSX download not finished");
        }
    });
    filled_rx
        .await
        .map_err(|_| AppError::Internal("the XLSX writer stopped".into()))??;
    let chunks = futures_util::stream::unfold(chunks_rx, |mut rx| async move {
        let chunk = rx.recv().await?;
        Some((Ok::<_, Infallible>(chunk), rx))
    });
    Ok(Body::from_stream(chunks))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The page builds its keys from names; English has the same keys (checked in `i18n`).
    #[test]
    fn every_key_the_page_builds_exists() {
        let fr = webkit::i18n::FR_SOURCE;
        let formats = Format::ALL.map(Format::extension);
        for d in Dataset::ALL {
            for suffix in ["heading", "count", "columns"].iter().chain(&formats) {
                let key = format!("opendata-{}-{suffix} =", d.name());
                assert!(fr.lines().any(|l| l.starts_with(&key)), "{key}");
            }
        }
        assert!(fr.contains(&format!("\n{XLSX_TOO_MANY} =")));
    }
}
