//! The index itself: schema, versioning on disk, the single writer, searching.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};

use tantivy::query::{BooleanQuery, BoostQuery, ConstScoreQuery, Occur, PhraseQuery, TermQuery};
use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STRING, Schema, TextFieldIndexing, TextOptions,
};
use tantivy::tokenizer::{TextAnalyzer, TokenizerManager};
use tantivy::{IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term};

use crate::analyzer::{ANALYZER_NAME, FrenchTokenizer};
use crate::collector::TopHits;
use crate::query::{self, Clause};
use crate::{Doc, Error, Hits, Kind, Query, Result};

/// Version of the schema and of the analysis. Any change to either (a field, a stop word, the
/// stemmer, the folding) must bump it: an index written by another version is wiped on
/// [`Index::open`] and reported by [`Index::needs_rebuild`].
pub const FORMAT_VERSION: &str = "concorde-search/1";

/// Commit payload once a [`Rebuild`] has completed: the index holds every item.
const COMPLETE: &str = "complete";

/// Writer memory for ordinary updates (one thread).
const UPDATE_MEMORY: usize = 50_000_000;
/// Writer memory per thread during a rebuild.
const REBUILD_MEMORY_PER_THREAD: usize = 128_000_000;
/// At most this many indexing threads during a rebuild.
const REBUILD_MAX_THREADS: usize = 4;

/// Title matches weigh this much more than body matches.
const TITLE_BOOST: f32 = 2.0;

/// Deepest result asked for (`offset + limit`); deeper pages are cut to it.
pub const MAX_WINDOW: usize = 10_000;

pub(crate) const F_KEY: &str = "key";
pub(crate) const F_KIND: &str = "kind";
pub(crate) const F_ID: &str = "id";
pub(crate) const F_CONTRIBUTION_ID: &str = "contribution_id";
pub(crate) const F_DEBATE_ID: &str = "debate_id";
pub(crate) const F_CREATED_AT: &str = "created_at";
pub(crate) const F_TITLE: &str = "title";
pub(crate) const F_BODY: &str = "body";

#[derive(Clone, Copy)]
struct Fields {
    key: Field,
    kind: Field,
    id: Field,
    contribution_id: Field,
    debate_id: Field,
    created_at: Field,
    title: Field,
    body: Field,
}

fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let text = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(ANALYZER_NAME)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    // Nothing is stored: the platform's database holds the texts; hits carry ids only.
    let fields = Fields {
        key: b.add_text_field(F_KEY, STRING),
        kind: b.add_u64_field(F_KIND, INDEXED | FAST),
        id: b.add_i64_field(F_ID, FAST),
        contribution_id: b.add_i64_field(F_CONTRIBUTION_ID, FAST),
        debate_id: b.add_i64_field(F_DEBATE_ID, INDEXED),
        created_at: b.add_i64_field(F_CREATED_AT, FAST),
        title: b.add_text_field(F_TITLE, text.clone()),
        body: b.add_text_field(F_BODY, text),
    };
    (b.build(), fields)
}

fn tokenizers() -> TokenizerManager {
    let manager = TokenizerManager::default();
    manager.register(
        ANALYZER_NAME,
        TextAnalyzer::from(FrenchTokenizer::default()),
    );
    manager
}

/// What the writer slot holds: the writer, nothing while a rebuild has it, or nothing after a
/// failure (the next writer is then created on demand).
enum Slot {
    Ready(Box<IndexWriter>),
    Rebuilding,
    Empty,
}

struct Inner {
    index: tantivy::Index,
    reader: IndexReader,
    fields: Fields,
    slot: Mutex<Slot>,
    slot_changed: Condvar,
    needs_rebuild: AtomicBool,
}

/// A French full-text index of contributions and comments. See the crate documentation.
///
/// `Send + Sync`; cloning is cheap and shares the same index.
#[derive(Clone)]
pub struct Index {
    inner: Arc<Inner>,
}

impl std::fmt::Debug for Index {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Index")
            .field("docs", &self.doc_count())
            .field("needs_rebuild", &self.needs_rebuild())
            .finish()
    }
}

fn io_error(path: &Path) -> impl FnOnce(std::io::Error) -> Error + '_ {
    move |source| Error::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Whether an existing index at `dir` can be used as it is, and whether it is complete.
fn usable(index: &tantivy::Index, expected: &Schema) -> Option<bool> {
    let payload = index.load_metas().ok()?.payload?;
    let mut parts = payload.split(' ');
    if parts.next() != Some(FORMAT_VERSION) {
        return None;
    }
    let same_schema =
        serde_json::to_string(&index.schema()).ok()? == serde_json::to_string(expected).ok()?;
    same_schema.then(|| parts.next() == Some(COMPLETE))
}

/// Empties `dir`, which holds a tantivy index of another version (or a broken one).
fn wipe(dir: &Path) -> Result<()> {
    for entry in std::fs::read_dir(dir).map_err(io_error(dir))? {
        let path: PathBuf = entry.map_err(io_error(dir))?.path();
        if path.is_dir() {
            std::fs::remove_dir_all(&path).map_err(io_error(&path))?;
        } else {
            std::fs::remove_file(&path).map_err(io_error(&path))?;
        }
    }
    Ok(())
}

impl Index {
    /// Opens the index in `dir`, creating the directory and the index if missing.
    ///
    /// An index written by another [`FORMAT_VERSION`], with another schema, or that cannot be
    /// opened is wiped and created anew; [`needs_rebuild`](Self::needs_rebuild) then says so, as
    /// it does for a new index or one whose last [`rebuild`](Self::rebuild) never completed.
    /// The directory belongs to the index: a non-empty directory without an index in it is
    /// refused ([`Error::NotAnIndex`]) rather than wiped. One process at a time may open it.
    pub fn open(dir: &Path) -> Result<Index> {
        std::fs::create_dir_all(dir).map_err(io_error(dir))?;
        let (schema, fields) = schema();
        if dir.join("meta.json").exists() {
            if let Ok(mut index) = tantivy::Index::open_in_dir(dir)
                && let Some(complete) = usable(&index, &schema)
            {
                index.set_tokenizers(tokenizers());
                return Self::with_index(index, fields, !complete);
            }
            wipe(dir)?;
        } else {
            let mut entries = std::fs::read_dir(dir).map_err(io_error(dir))?;
            let foreign = entries.any(|e| {
                e.map(|e| !e.file_name().to_string_lossy().starts_with('.'))
                    .unwrap_or(true)
            });
            if foreign {
                return Err(Error::NotAnIndex(dir.to_path_buf()));
            }
        }
        let index = tantivy::Index::builder()
            .schema(schema)
            .tokenizers(tokenizers())
            .create_in_dir(dir)?;
        let index = Self::with_index(index, fields, true)?;
        // Records the format version at once, so that a crash before the first rebuild is
        // still recognised as this version (and as incomplete).
        index.write(|_| Ok(()))?;
        Ok(index)
    }

    /// A new, empty index in memory (tests, or a platform without a data directory, which then
    /// rebuilds it at start).
    pub fn in_memory() -> Result<Index> {
        let (schema, fields) = schema();
        let index = tantivy::Index::builder()
            .schema(schema)
            .tokenizers(tokenizers())
            .create_in_ram()?;
        Self::with_index(index, fields, true)
    }

    fn with_index(index: tantivy::Index, fields: Fields, needs_rebuild: bool) -> Result<Index> {
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        let writer = index.writer_with_num_threads(1, UPDATE_MEMORY)?;
        Ok(Index {
            inner: Arc::new(Inner {
                index,
                reader,
                fields,
                slot: Mutex::new(Slot::Ready(Box::new(writer))),
                slot_changed: Condvar::new(),
                needs_rebuild: AtomicBool::new(needs_rebuild),
            }),
        })
    }

    /// True when the index was just created or wiped, or a rebuild never completed: the caller
    /// should [`rebuild`](Self::rebuild) it from the database.
    pub fn needs_rebuild(&self) -> bool {
        self.inner.needs_rebuild.load(Ordering::SeqCst)
    }

    /// Number of documents searchable now.
    pub fn doc_count(&self) -> u64 {
        self.inner.reader.searcher().num_docs()
    }

    /// Waits for the writer (a rebuild may hold it) and returns the slot locked, ready.
    fn lock_writer(&self) -> Result<MutexGuard<'_, Slot>> {
        let mut slot = self.inner.slot.lock().unwrap_or_else(|e| e.into_inner());
        loop {
            match &*slot {
                Slot::Ready(_) => return Ok(slot),
                Slot::Rebuilding => {
                    slot = self
                        .inner
                        .slot_changed
                        .wait(slot)
                        .unwrap_or_else(|e| e.into_inner());
                }
                Slot::Empty => {
                    let writer = self.inner.index.writer_with_num_threads(1, UPDATE_MEMORY)?;
                    *slot = Slot::Ready(Box::new(writer));
                }
            }
        }
    }

    fn payload(&self) -> String {
        if self.needs_rebuild() {
            FORMAT_VERSION.to_string()
        } else {
            format!("{FORMAT_VERSION} {COMPLETE}")
        }
    }

    /// Commits with the version payload and makes the result visible to searches.
    fn commit(&self, writer: &mut IndexWriter) -> Result<()> {
        let mut prepared = writer.prepare_commit()?;
        prepared.set_payload(&self.payload());
        prepared.commit()?;
        self.inner.reader.reload()?;
        Ok(())
    }

    /// Runs `apply` on the writer and commits; on failure, discards what `apply` added.
    fn write(&self, apply: impl FnOnce(&IndexWriter) -> Result<()>) -> Result<()> {
        let mut slot = self.lock_writer()?;
        let Slot::Ready(writer) = &mut *slot else {
            unreachable!("lock_writer returns a ready writer")
        };
        let result = apply(writer).and_then(|()| self.commit(writer));
        if result.is_err() && writer.rollback().is_err() {
            *slot = Slot::Empty;
        }
        result
    }

    fn key(&self, kind: Kind, id: i64) -> Term {
        Term::from_field_text(self.inner.fields.key, &kind.key(id))
    }

    fn document(&self, doc: &Doc<'_>) -> TantivyDocument {
        let f = &self.inner.fields;
        let mut d = TantivyDocument::new();
        d.add_text(f.key, doc.kind.key(doc.id));
        d.add_u64(f.kind, doc.kind.code());
        d.add_i64(f.id, doc.id);
        d.add_i64(f.contribution_id, doc.contribution_id);
        d.add_i64(f.debate_id, doc.debate_id);
        d.add_i64(f.created_at, doc.created_at);
        d.add_text(f.title, doc.title);
        d.add_text(f.body, doc.body);
        d
    }

    /// Adds `docs`, replacing any document with the same kind and id, and commits: a search
    /// started after this returns sees them. Waits while a [`Rebuild`] is under way (and is then
    /// applied after it, so the update is not lost).
    pub fn upsert(&self, docs: &[Doc<'_>]) -> Result<()> {
        self.write(|writer| {
            for doc in docs {
                writer.delete_term(self.key(doc.kind, doc.id));
                writer.add_document(self.document(doc))?;
            }
            Ok(())
        })
    }

    /// Removes one item (withdrawn, hidden, deleted) and commits. Removing an absent item is
    /// not an error.
    pub fn delete(&self, kind: Kind, id: i64) -> Result<()> {
        self.write(|writer| {
            writer.delete_term(self.key(kind, id));
            Ok(())
        })
    }

    /// Starts replacing the whole content of the index: see [`Rebuild`]. Searches go on
    /// answering from the previous content until [`Rebuild::commit`].
    pub fn begin_rebuild(&self) -> Result<Rebuild> {
        let mut slot = self.lock_writer()?;
        if let Slot::Ready(writer) = std::mem::replace(&mut *slot, Slot::Rebuilding) {
            // Only one writer may exist at a time: the update writer goes first.
            let _ = (*writer).wait_merging_threads();
        }
        drop(slot);
        let threads = std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .min(REBUILD_MAX_THREADS);
        let writer = self
            .inner
            .index
            .writer_with_num_threads(threads, threads * REBUILD_MEMORY_PER_THREAD)
            .and_then(|writer| writer.delete_all_documents().map(|_| writer));
        match writer {
            Ok(writer) => Ok(Rebuild {
                index: self.clone(),
                writer: Some(writer),
                added: 0,
            }),
            Err(e) => {
                self.release_slot(Slot::Empty);
                Err(e.into())
            }
        }
    }

    /// Replaces the whole content of the index with `docs`, in one commit; `progress` is called
    /// with the number of documents added so far every 10,000 documents and at the end.
    /// Returns the number of documents indexed. See [`Rebuild`] for feeding it in batches.
    pub fn rebuild<'a>(
        &self,
        docs: impl IntoIterator<Item = Doc<'a>>,
        mut progress: impl FnMut(usize),
    ) -> Result<usize> {
        let mut rebuild = self.begin_rebuild()?;
        for doc in docs {
            rebuild.add(&[doc])?;
            if rebuild.added() % 10_000 == 0 {
                progress(rebuild.added());
            }
        }
        if rebuild.added() % 10_000 != 0 || rebuild.added() == 0 {
            progress(rebuild.added());
        }
        rebuild.commit()
    }

    fn release_slot(&self, slot: Slot) {
        *self.inner.slot.lock().unwrap_or_else(|e| e.into_inner()) = slot;
        self.inner.slot_changed.notify_all();
    }

    /// Searches one debate. See the crate documentation for what matches what.
    ///
    /// Results are ranked by BM25 relevance (title matches count double), ties broken by the
    /// newest `created_at`, contributions before comments, then the larger id. `total` counts
    /// every match. A query with no searchable word (empty, stop words only, punctuation) has
    /// no hits; no query string is an error.
    pub fn search(&self, q: &Query<'_>) -> Result<Hits> {
        let clauses = query::parse(q.text);
        if clauses.is_empty() {
            return Ok(Hits::default());
        }
        let offset = q.offset.min(MAX_WINDOW);
        let limit = q.limit.min(MAX_WINDOW - offset);
        let tantivy_query = self.build_query(q, &clauses);
        let searcher = self.inner.reader.searcher();
        Ok(searcher.search(&tantivy_query, &TopHits { offset, limit })?)
    }

    fn build_query(&self, q: &Query<'_>, clauses: &[Clause]) -> BooleanQuery {
        let f = &self.inner.fields;
        let filter = |term: Term| -> Box<dyn tantivy::query::Query> {
            Box::new(ConstScoreQuery::new(
                Box::new(TermQuery::new(term, IndexRecordOption::Basic)),
                0.0,
            ))
        };
        let mut must = vec![(
            Occur::Must,
            filter(Term::from_field_i64(f.debate_id, q.debate_id)),
        )];
        if let Some(kind) = q.kind {
            must.push((
                Occur::Must,
                filter(Term::from_field_u64(f.kind, kind.code())),
            ));
        }
        for clause in clauses {
            let per_field = [(f.title, TITLE_BOOST), (f.body, 1.0)].map(|(field, boost)| {
                let inner: Box<dyn tantivy::query::Query> = match clause {
                    Clause::Term(t) => Box::new(TermQuery::new(
                        Term::from_field_text(field, t),
                        IndexRecordOption::WithFreqs,
                    )),
                    Clause::Phrase(terms) => Box::new(PhraseQuery::new_with_offset(
                        terms
                            .iter()
                            .map(|(pos, t)| (*pos, Term::from_field_text(field, t)))
                            .collect(),
                    )),
                };
                if boost == 1.0 {
                    inner
                } else {
                    Box::new(BoostQuery::new(inner, boost))
                }
            });
            must.push((Occur::Must, Box::new(BooleanQuery::union(per_field.into()))));
        }
        BooleanQuery::new(must)
    }
}

/// A rebuild under way: the index's content is replaced, in one commit, by what is added.
///
/// Meant for feeding from a database page by page (it is `Send`, so it can move between
/// blocking tasks). While it exists, [`Index::upsert`] and [`Index::delete`] wait for it, then
/// apply on top of the new content. Dropping it without [`commit`](Self::commit) leaves the
/// index as it was. Writes with several threads and more memory than ordinary updates, and
/// merges the result into one segment before returning. The thread that holds a `Rebuild` must
/// not call `upsert` or `delete` before committing or dropping it: it would wait for itself.
pub struct Rebuild {
    index: Index,
    writer: Option<IndexWriter>,
    added: usize,
}

impl Rebuild {
    /// Adds documents (their (kind, id) should be distinct across the whole rebuild).
    pub fn add(&mut self, docs: &[Doc<'_>]) -> Result<()> {
        let writer = self
            .writer
            .as_ref()
            .expect("writer present until commit or drop");
        for doc in docs {
            writer.add_document(self.index.document(doc))?;
        }
        self.added += docs.len();
        Ok(())
    }

    /// Documents added so far.
    pub fn added(&self) -> usize {
        self.added
    }

    /// Commits the new content, merges it, and makes it searchable; returns the number of
    /// documents added.
    pub fn commit(mut self) -> Result<usize> {
        let mut writer = self
            .writer
            .take()
            .expect("writer present until commit or drop");
        let inner = &self.index.inner;
        let was = inner.needs_rebuild.swap(false, Ordering::SeqCst);
        if let Err(e) = self.index.commit(&mut writer) {
            inner.needs_rebuild.store(was, Ordering::SeqCst);
            let _ = writer.rollback();
            let _ = writer.wait_merging_threads();
            self.index.release_slot(Slot::Empty);
            return Err(e);
        }
        // One segment searches fastest. The content is committed already: a failed merge only
        // leaves more segments, which later merges reduce.
        if let Ok(segments) = inner.index.searchable_segment_ids()
            && segments.len() > 1
        {
            let _ = writer.merge(&segments).wait();
        }
        let _ = writer.wait_merging_threads();
        self.index.release_slot(Slot::Empty);
        inner.reader.reload()?;
        Ok(self.added)
    }
}

impl Drop for Rebuild {
    fn drop(&mut self) {
        if let Some(mut writer) = self.writer.take() {
            let _ = writer.rollback();
            let _ = writer.wait_merging_threads();
            self.index.release_slot(Slot::Empty);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn index_and_rebuild_are_send_and_sync() {
        fn send_sync<T: Send + Sync>() {}
        fn send<T: Send>() {}
        send_sync::<Index>();
        send::<Rebuild>();
    }
}
