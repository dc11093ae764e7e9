//! The search index kept in step with the database. The database is the truth; the index (in
//! `data_dir/search`, or in memory) is a cache of it that catches up on its own: new rows by id,
//! changed rows (edits, withdrawals, moderation) by `updated_at`, every few seconds and before
//! each search. Built from scratch when missing or of another format. Each app instance keeps
//! its own index, so several instances behind a load balancer all find the same things.

use search::{Doc, Index, Kind};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use storage::{SearchRow, Store};

/// How far the index has read the database.
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize)]
struct Watermark {
    contribution_id: i64,
    comment_id: i64,
    /// Rows changed at or after this second are read again.
    since: i64,
}

pub struct SearchIndex {
    pub index: Index,
    /// Where the watermark is saved, next to an on-disk index.
    watermark_file: Option<PathBuf>,
    watermark: Mutex<Watermark>,
    /// One pass at a time; holds when the last pass started.
    pass: tokio::sync::Mutex<Option<std::time::Instant>>,
    /// Set while the first build runs: searches then say results are incomplete.
    building: AtomicBool,
    /// The store's write count when the last pass started (`u64::MAX`: no pass yet).
    seen_writes: std::sync::atomic::AtomicU64,
    /// Bumped whenever the index changes: results remembered under an older one are stale.
    generation: std::sync::atomic::AtomicU64,
    /// Recent results pages, by (generation, debate, query, offset), kept `RESULTS_TTL`.
    results: Mutex<std::collections::HashMap<ResultsKey, Remembered>>,
}

type ResultsKey = (u64, i64, String, usize);
type Remembered = (std::time::Instant, Arc<dyn std::any::Any + Send + Sync>);

/// How long a results page is remembered (the index changing forgets it at once).
const RESULTS_TTL: std::time::Duration = std::time::Duration::from_secs(5);

/// Rows read per query while catching up.
const BATCH: i64 = 5_000;

/// Indexes opened by this process, by directory: tantivy allows one writer per directory, and
/// two app instances in one process (as in tests) share theirs.
static OPEN: std::sync::LazyLock<Mutex<std::collections::HashMap<PathBuf, Arc<SearchIndex>>>> =
    std::sync::LazyLock::new(Default::default);

impl SearchIndex {
    /// The index in `dir`, or in memory when that fails (another process holds it): search
    /// still works, built from the database.
    pub fn open(dir: &Path) -> Arc<SearchIndex> {
        let key = dir.to_path_buf();
        if let Ok(open) = OPEN.lock()
            && let Some(existing) = open.get(&key)
        {
            return existing.clone();
        }
        let this = match Index::open(dir) {
            Ok(index) => {
                let file = dir.join("concorde-watermark.json");
                let watermark = if index.needs_rebuild() {
                    Watermark::default()
                } else {
                    std::fs::read_to_string(&file)
                        .ok()
                        .and_then(|s| serde_json::from_str(&s).ok())
                        .unwrap_or_default()
                };
                Arc::new(SearchIndex::new(index, Some(file), watermark))
            }
            Err(e) => {
                tracing::warn!(error = %e, dir = %dir.display(), "search index kept in memory");
                return Self::in_memory();
            }
        };
        if let Ok(mut open) = OPEN.lock() {
            open.insert(key, this.clone());
        }
        this
    }

    pub fn in_memory() -> Arc<SearchIndex> {
        let index = Index::in_memory().expect("an in-memory index");
        Arc::new(SearchIndex::new(index, None, Watermark::default()))
    }

    fn new(index: Index, watermark_file: Option<PathBuf>, watermark: Watermark) -> SearchIndex {
        SearchIndex {
            index,
            watermark_file,
            watermark: Mutex::new(watermark),
            pass: tokio::sync::Mutex::new(None),
            building: AtomicBool::new(false),
            seen_writes: std::sync::atomic::AtomicU64::new(u64::MAX),
            generation: std::sync::atomic::AtomicU64::new(0),
            results: Mutex::new(std::collections::HashMap::new()),
        }
    }

    /// Whether nothing was written through this store since the last pass began (writes made
    /// through other instances arrive with the periodic pass).
    pub fn is_current(&self, store: &Store) -> bool {
        self.seen_writes.load(Ordering::Acquire) == store.writes()
    }

    /// A results page remembered for this query, if the index has not changed since.
    pub fn remembered<T: Send + Sync + 'static>(
        &self,
        debate: i64,
        query: &str,
        offset: usize,
    ) -> Option<Arc<T>> {
        let key = (
            self.generation.load(Ordering::Acquire),
            debate,
            query.to_string(),
            offset,
        );
        let map = self.results.lock().ok()?;
        let (at, v) = map.get(&key)?;
        if at.elapsed() > RESULTS_TTL {
            return None;
        }
        v.clone().downcast::<T>().ok()
    }

    pub fn remember<T: Send + Sync + 'static>(
        &self,
        debate: i64,
        query: &str,
        offset: usize,
        value: Arc<T>,
    ) {
        let generation = self.generation.load(Ordering::Acquire);
        if let Ok(mut map) = self.results.lock() {
            if map.len() >= 1_000 {
                map.retain(|k, (at, _)| k.0 == generation && at.elapsed() <= RESULTS_TTL);
                if map.len() >= 1_000 {
                    map.clear();
                }
            }
            map.insert(
                (generation, debate, query.to_string(), offset),
                (std::time::Instant::now(), value),
            );
        }
    }

    fn changed(&self) {
        self.generation.fetch_add(1, Ordering::AcqRel);
    }

    pub fn is_building(&self) -> bool {
        self.building.load(Ordering::Relaxed)
    }

    fn watermark(&self) -> Watermark {
        self.watermark.lock().map(|w| *w).unwrap_or_default()
    }

    /// Keeps the watermark, on disk too when the index changed (a restart then re-reads at most
    /// the rows changed since the last change).
    fn save(&self, w: Watermark, to_disk: bool) {
        if let Ok(mut cur) = self.watermark.lock() {
            *cur = w;
        }
        if to_disk
            && let Some(file) = &self.watermark_file
            && let Ok(json) = serde_json::to_string(&w)
            && let Err(e) = std::fs::write(file, json)
        {
            tracing::warn!(error = %e, "search watermark not saved");
        }
    }

    /// Reads what changed in the database since the last pass into the index; returns how many
    /// rows it looked at. Waits for a pass already running, then runs its own (cheap when
    /// nothing changed), so that a search right after a write finds it.
    pub async fn catch_up(&self, store: &Store) -> Result<usize, String> {
        let asked = std::time::Instant::now();
        let mut last_start = self.pass.lock().await;
        // A pass that started after this call was made has seen everything written before it:
        // under load, one pass serves every search that waited for it.
        if last_start.is_some_and(|t| t > asked) {
            return Ok(0);
        }
        *last_start = Some(std::time::Instant::now());
        self.seen_writes.store(store.writes(), Ordering::Release);
        let mut w = self.watermark();
        let started = storage::now();
        let first = w.contribution_id == 0 && w.comment_id == 0 && self.index.doc_count() == 0;
        if first {
            self.building.store(true, Ordering::Relaxed);
        }
        let result = self.pass(store, &mut w).await;
        self.building.store(false, Ordering::Relaxed);
        let seen = result?;
        // Rows changed during this second are read again next time.
        w.since = started - 1;
        self.save(w, seen > 0);
        Ok(seen)
    }

    async fn pass(&self, store: &Store, w: &mut Watermark) -> Result<usize, String> {
        if w.contribution_id == 0 && w.comment_id == 0 {
            return self.build(store, w).await;
        }
        let mut seen = 0;
        // Changed rows among those already read.
        if w.since > 0 {
            let rows = store
                .search_changed_contributions(w.since, w.contribution_id)
                .await
                .map_err(|e| e.to_string())?;
            seen += rows.len();
            self.apply(Kind::Contribution, &rows, true)?;
            let rows = store
                .search_changed_comments(w.since, w.comment_id)
                .await
                .map_err(|e| e.to_string())?;
            seen += rows.len();
            self.apply(Kind::Comment, &rows, true)?;
        }
        for kind in [Kind::Contribution, Kind::Comment] {
            while let Some(rows) = next_new_rows(store, kind, w).await? {
                seen += rows.len();
                self.apply(kind, &rows, false)?;
            }
        }
        Ok(seen)
    }

    /// The first pass: everything, in one bulk build (several threads, one commit).
    async fn build(&self, store: &Store, w: &mut Watermark) -> Result<usize, String> {
        let mut rebuild = self.index.begin_rebuild().map_err(|e| e.to_string())?;
        let mut seen = 0;
        for kind in [Kind::Contribution, Kind::Comment] {
            while let Some(rows) = next_new_rows(store, kind, w).await? {
                seen += rows.len();
                rebuild.add(&docs(kind, &rows)).map_err(|e| e.to_string())?;
            }
        }
        rebuild.commit().map_err(|e| e.to_string())?;
        self.changed();
        tracing::info!(documents = seen, "search index built");
        Ok(seen)
    }

    /// Findable rows go in (replacing what was there), the others out (`were_read`: rows new
    /// to the index have nothing to take out).
    fn apply(&self, kind: Kind, rows: &[SearchRow], were_read: bool) -> Result<(), String> {
        let docs = docs(kind, rows);
        if !docs.is_empty() {
            self.index.upsert(&docs).map_err(|e| e.to_string())?;
            self.changed();
        }
        for r in rows.iter().filter(|r| were_read && r.visible == 0) {
            self.index.delete(kind, r.id).map_err(|e| e.to_string())?;
            self.changed();
        }
        Ok(())
    }
}

/// The next batch of rows of this kind beyond the watermark, which moves past them; `None` when
/// there are no more.
async fn next_new_rows(
    store: &Store,
    kind: Kind,
    w: &mut Watermark,
) -> Result<Option<Vec<SearchRow>>, String> {
    let rows = match kind {
        Kind::Contribution => {
            store
                .search_new_contributions(w.contribution_id, BATCH)
                .await
        }
        Kind::Comment => store.search_new_comments(w.comment_id, BATCH).await,
    }
    .map_err(|e| e.to_string())?;
    let Some(last) = rows.last() else {
        return Ok(None);
    };
    match kind {
        Kind::Contribution => w.contribution_id = last.id,
        Kind::Comment => w.comment_id = last.id,
    }
    Ok(Some(rows))
}

/// The findable rows as the index takes them.
fn docs(kind: Kind, rows: &[SearchRow]) -> Vec<Doc<'_>> {
    rows.iter()
        .filter(|r| r.visible != 0)
        .map(|r| Doc {
            kind,
            id: r.id,
            debate_id: r.debate_id,
            contribution_id: r.contribution_id,
            title: &r.title,
            body: &r.body,
            created_at: r.created_at,
        })
        .collect()
}

/// Catches up every few seconds, so that the other instances' writes become findable too.
pub fn spawn_follower(index: Arc<SearchIndex>, store: Store) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        loop {
            if let Err(e) = index.catch_up(&store).await {
                tracing::warn!(error = %e, "search index not updated");
            }
            tokio::time::sleep(std::time::Duration::from_secs(3)).await;
        }
    })
}
