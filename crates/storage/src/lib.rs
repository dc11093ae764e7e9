//! Concorde's store: every read and write of the platform, in plain SQL that runs unchanged on
//! SQLite (the embedded default) and PostgreSQL (for several app instances), through `sqlx::Any`.
//! Portable on purpose: times are Unix seconds, flags are integers, ids come back through
//! `RETURNING`. Dialect-specific work (search, analytics) will get its own module per backend.

mod analysis_runs;
mod api_tokens;
mod audit;
mod cache;
mod contributions;
mod debates;
mod discussion;
mod events;
mod export;
mod files;
mod import_threads;
mod imports;
mod jobs;
mod lists;
mod moderation;
mod organisations;
mod personal;
mod rate;
mod report;
mod report_coverage;
mod report_followup;
mod retention;
mod search_feed;
mod second_factor;
mod sessions;
mod surveys;
mod tx;
mod users;

pub use analysis_runs::RunSummary;
pub use api_tokens::{ApiToken, TOKEN_PREFIX};
pub use audit::{AuditCheck, AuditEntry, AuditFilter, BreakReason, BrokenEntry, entry_hash};
pub use contributions::{
    ContributionFilter, ContributionRow, Cursor, Facets, ListOrder, NewContribution, shuffle,
};
pub use debates::{DebateFields, PhaseFields, Question};
pub use discussion::{CommentRow, MAX_COMMENT_DEPTH, Recipient, Version};
pub use events::{
    AgendaFilter, Attendance, EventFields, EventRow, NewRegistration, Placed, Programme,
    RegistrationRow, Speaker,
};
pub use export::{AttendanceExportRow, CommentExportRow, EventExportRow, ExportRow, pseudonym};
pub use files::{FileMeta, NewFile, StoredFile};
pub use import_threads::{ImportComment, ImportEvent};
pub use imports::{IMPORT_BATCH, Import, ImportExtra, ImportRow};
pub use jobs::{DEFAULT_ATTEMPTS, Job, JobCounts, NewJob};
pub use lists::{Category, ListChange, Quartier};
pub use moderation::{Item, QueueItem, Target};
pub use organisations::{Invitation, Member, Organisation};
pub use personal::{Deletion, Section};
pub use rate::Take;
pub use report::{CitationRow, NewCitation, OpinionRow, SectionRow, SignOffRow, VersionRow};
pub use report_coverage::{CoverageCount, Uncovered};
pub use report_followup::{
    AnswerRow, CommitmentFields, CommitmentRow, MilestoneRow, ReviewComment,
};
pub use retention::InactiveAccount;
pub use search_feed::SearchRow;
pub use second_factor::{PENDING_CODE, PENDING_ENROLMENT, SecondFactor, SessionRow};
pub use surveys::{
    ContributorProfile, PanelResponse, ResponseRow, SurveyFields, SurveyRow, WeightingRow,
};
pub use tx::Tx;
pub use users::{NewUser, ProfileFields, User, UserSummary};

use sqlx::any::{AnyPoolOptions, install_default_drivers};
use sqlx::{AnyPool, Executor};
use std::time::Duration;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Db(#[from] sqlx::Error),
    #[error("migration error: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// A uniqueness rule was broken; the string names the field for the form.
    #[error("already taken: {0}")]
    Conflict(&'static str),
    #[error("not found")]
    NotFound,
    #[error("unsupported database URL: {0}")]
    UnsupportedUrl(String),
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

#[derive(Clone)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
    /// Counts of the contributions list, by filter: counting a million rows on every page would
    /// cost more than the page itself. Fresh for `COUNT_TTL`, then served while recomputed in
    /// the background; a write in this instance drops its debate's counts at once.
    counts: std::sync::Arc<cache::Memo<(i64, String), i64>>,
    /// Per-value counts of the filter menus, by debate (see `Store::facets`).
    facets: std::sync::Arc<cache::Memo<i64, contributions::Facets>>,
    /// Pages of the contributions list, by debate and (filter, order, cursor): the first pages
    /// are read far more than they change. Fresh for `PAGE_TTL`; a write in this instance drops
    /// its debate's pages at once.
    pages: std::sync::Arc<cache::Memo<(i64, String), Vec<contributions::ContributionRow>>>,
    /// Debates, phases, questions and lists, read by every page (see `cache`).
    read_cache: std::sync::Arc<std::sync::Mutex<cache::ReadCache>>,
    /// Whether the caches above are used (on unless `set_caches(false)`: cold measurements).
    caches: std::sync::Arc<std::sync::atomic::AtomicBool>,
    /// Bumped by every write to contributions or comments through this store, so that readers
    /// that follow them (the search index) can tell when nothing changed here.
    writes: std::sync::Arc<std::sync::atomic::AtomicU64>,
    /// Woken when this store queues a job, so that this instance's worker need not poll.
    job_signal: std::sync::Arc<tokio::sync::Notify>,
}

pub(crate) const COUNT_TTL: Duration = Duration::from_secs(30);
pub(crate) const FACETS_TTL: Duration = Duration::from_secs(60);
pub(crate) const PAGE_TTL: Duration = Duration::from_secs(2);

impl Store {
    /// Reads from the in-memory cache of debates and lists (`None`: not there, or stale).
    pub(crate) fn cached<T>(
        &self,
        get: impl FnOnce(&mut cache::ReadCache) -> Option<T>,
    ) -> Option<T> {
        if !self.caches_on() {
            return None;
        }
        self.read_cache.lock().ok().and_then(|mut c| get(c.fresh()))
    }

    pub(crate) fn cache_put(&self, put: impl FnOnce(&mut cache::ReadCache)) {
        if !self.caches_on() {
            return;
        }
        if let Ok(mut c) = self.read_cache.lock() {
            put(c.fresh());
        }
    }

    /// Turns the in-memory caches (debates and lists, counts, facets, list pages) on or off. Off,
    /// every read goes to the database: what the `caches = false` setting is for (measuring the
    /// cold path). Turning them off also forgets what they held.
    pub fn set_caches(&self, on: bool) {
        self.caches.store(on, std::sync::atomic::Ordering::Relaxed);
        if !on {
            self.forget_cached();
            self.counts.forget(|_| true);
            self.facets.forget(|_| true);
            self.pages.forget(|_| true);
        }
    }

    pub fn caches_on(&self) -> bool {
        self.caches.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// After many rows were written at once: refreshes the planner's statistics (and, on
    /// PostgreSQL, the visibility map that index-only counts need). Failures are only logged.
    pub async fn after_bulk_write(&self) {
        let q = match self.backend {
            Backend::Postgres => "VACUUM (ANALYZE) contributions",
            Backend::Sqlite => "PRAGMA optimize",
        };
        if let Err(e) = sqlx::query(q).execute(&self.pool).await {
            tracing::warn!(error = %e, "statistics not refreshed after a bulk write");
        }
    }

    /// How many writes to contributions and comments this store has made (see `writes`).
    pub fn writes(&self) -> u64 {
        self.writes.load(std::sync::atomic::Ordering::Acquire)
    }

    /// Wakes this instance's job worker (after a job was queued).
    pub(crate) fn jobs_enqueued(&self) {
        self.job_signal.notify_one();
    }

    /// What the job worker waits on between polls.
    pub fn job_signal(&self) -> std::sync::Arc<tokio::sync::Notify> {
        self.job_signal.clone()
    }

    /// Drops the cached lists, counts and pages of one debate (after a write to its
    /// contributions or comments).
    pub(crate) fn forget_lists(&self, debate_id: i64) {
        self.forget_counts(debate_id);
    }

    pub(crate) fn wrote(&self) {
        self.writes
            .fetch_add(1, std::sync::atomic::Ordering::AcqRel);
    }

    /// Clears the cache when dropped, i.e. after the write of the function that holds it.
    pub(crate) fn forget_after(&self) -> ForgetGuard<'_> {
        ForgetGuard(self)
    }

    /// After a write to debates, phases, questions or lists (here, or by another process such as
    /// the command line, which the cache would otherwise show within `READ_TTL`).
    pub fn forget_cached(&self) {
        if let Ok(mut c) = self.read_cache.lock() {
            *c = cache::ReadCache::default();
        }
    }

    /// Opens the database at `url` (`sqlite://path?mode=rwc` or `postgres://…`). SQLite is put in
    /// WAL mode with foreign keys on and a busy timeout, so readers never block the writer.
    pub async fn connect(url: &str) -> Result<Store> {
        install_default_drivers();
        let backend = if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Backend::Postgres
        } else {
            return Err(StoreError::UnsupportedUrl(redact(url)));
        };
        let options = AnyPoolOptions::new().acquire_timeout(Duration::from_secs(10));
        let pool = match backend {
            Backend::Sqlite => {
                options
                    .max_connections(8)
                    .after_connect(|conn, _meta| {
                        Box::pin(async move {
                            conn.execute(
                                "PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; \
                                 PRAGMA busy_timeout = 10000; PRAGMA synchronous = NORMAL;",
                            )
                            .await?;
                            Ok(())
                        })
                    })
                    .connect(url)
                    .await?
            }
            Backend::Postgres => {
                options
                    .max_connections(16)
                    .after_connect(|conn, _meta| {
                        Box::pin(async move {
                            // Page queries are short: compiling them (JIT, when a skewed
                            // estimate makes one look costly) takes longer than running them.
                            conn.execute("SET jit = off").await?;
                            Ok(())
                        })
                    })
                    .connect(url)
                    .await?
            }
        };
        let caches = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(true));
        Ok(Store {
            pool,
            backend,
            counts: std::sync::Arc::new(cache::Memo::new(COUNT_TTL, 10_000, caches.clone())),
            facets: std::sync::Arc::new(cache::Memo::new(FACETS_TTL, 1_000, caches.clone())),
            pages: std::sync::Arc::new(cache::Memo::new(PAGE_TTL, 500, caches.clone())),
            read_cache: Default::default(),
            caches,
            writes: Default::default(),
            job_signal: Default::default(),
        })
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    pub async fn migrate(&self) -> Result<()> {
        match self.backend {
            Backend::Sqlite => {
                sqlx::migrate!("./migrations/sqlite")
                    .run(&self.pool)
                    .await?
            }
            Backend::Postgres => {
                sqlx::migrate!("./migrations/postgres")
                    .run(&self.pool)
                    .await?
            }
        }
        Ok(())
    }

    pub async fn ping(&self) -> Result<()> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }

    /// A per-instance value kept in the database (e.g. the secret that signs CSRF tokens), created
    /// once by whichever instance gets there first so that every instance shares it.
    pub async fn meta_get_or_init(&self, key: &str, init: &str) -> Result<String> {
        sqlx::query("INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING")
            .bind(key)
            .bind(init)
            .execute(&self.pool)
            .await?;
        let v: String = sqlx::query_scalar("SELECT value FROM meta WHERE key = $1")
            .bind(key)
            .fetch_one(&self.pool)
            .await?;
        Ok(v)
    }

    /// True when the instance holds no debate and no account yet.
    pub async fn is_empty(&self) -> Result<bool> {
        let n: i64 = sqlx::query_scalar(
            "SELECT (SELECT COUNT(*) FROM debates) + (SELECT COUNT(*) FROM users)",
        )
        .fetch_one(&self.pool)
        .await?;
        Ok(n == 0)
    }
}

/// Hides a password in a database URL before it reaches a log or an error page.
pub(crate) struct ForgetGuard<'a>(&'a Store);

impl Drop for ForgetGuard<'_> {
    fn drop(&mut self) {
        self.0.forget_cached();
    }
}

pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &url[s + 3..at];
            match creds.split_once(':') {
                Some((user, _)) => format!("{}{}:***{}", &url[..s + 3], user, &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

pub fn now() -> i64 {
    jiff::Timestamp::now().as_second()
}

/// Maps a unique-constraint violation to `Conflict(field)`, leaving other errors as they are.
pub(crate) fn conflict_as(field: &'static str) -> impl Fn(sqlx::Error) -> StoreError {
    move |e| match &e {
        sqlx::Error::Database(db) if db.is_unique_violation() => StoreError::Conflict(field),
        _ => StoreError::Db(e),
    }
}

/// Random token for sessions and e-mail links, and the hash under which it is stored: a stolen
/// database does not yield working session cookies or reset links.
pub fn new_token() -> (String, String) {
    use base64::Engine;
    use rand::RngCore;
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    let token = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes);
    let hash = hash_token(&token);
    (token, hash)
}

pub fn hash_token(token: &str) -> String {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(token.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_redacted() {
        assert_eq!(redact("postgres://u:secret@h/db"), "postgres://u:***@h/db");
        assert_eq!(redact("sqlite://x.db"), "sqlite://x.db");
    }

    #[test]
    fn tokens_hash_stably() {
        let (t, h) = new_token();
        assert_eq!(hash_token(&t), h);
        assert_eq!(h.len(), 64);
        assert_ne!(new_token().0, t);
    }
}
