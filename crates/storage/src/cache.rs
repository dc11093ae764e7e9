//! What every public page reads and almost nothing writes — a debate by its slug, its phases and
//! questions, the instance's categories and quartiers — kept in memory for `READ_TTL`. A write
//! through this store clears it at once; other app instances see a change within the TTL.

use crate::{Category, FileMeta, Quartier, Question};
use domain::{Debate, Phase};
use std::collections::HashMap;
use std::time::{Duration, Instant};

pub(crate) const READ_TTL: Duration = Duration::from_secs(5);
/// Past this many entries of one kind (e.g. a crawler trying slugs), the cache starts over.
const MAX_ENTRIES: usize = 1_000;

pub(crate) struct ReadCache {
    born: Instant,
    pub debates: HashMap<String, Option<Debate>>,
    pub phases: HashMap<i64, Vec<Phase>>,
    pub questions: HashMap<i64, Vec<Question>>,
    pub categories: Option<Vec<Category>>,
    pub quartiers: Option<Vec<Quartier>>,
    /// A debate's audience: (category ids, quartier ids).
    pub audience: HashMap<i64, (Vec<i64>, Vec<i64>)>,
    /// A debate's files by purpose.
    pub files: HashMap<(i64, String), Vec<FileMeta>>,
}

impl Default for ReadCache {
    fn default() -> Self {
        ReadCache {
            born: Instant::now(),
            debates: HashMap::new(),
            phases: HashMap::new(),
            questions: HashMap::new(),
            categories: None,
            quartiers: None,
            audience: HashMap::new(),
            files: HashMap::new(),
        }
    }
}

impl ReadCache {
    /// Starts over when too old or too big.
    pub fn fresh(&mut self) -> &mut Self {
        if self.born.elapsed() > READ_TTL
            || self.debates.len() > MAX_ENTRIES
            || self.phases.len() > MAX_ENTRIES
            || self.questions.len() > MAX_ENTRIES
            || self.files.len() > MAX_ENTRIES
        {
            *self = ReadCache::default();
        }
        self
    }
}

/// Values that are slow to compute and may be a little late (counts over a million rows): a
/// fresh value is served for `ttl`; after that the old value is still served while one
/// background task computes the new one, so that no request waits and no herd of requests
/// recomputes the same thing. A missing value is computed by one request while the others wait
/// for it.
pub(crate) struct Memo<K, V> {
    ttl: Duration,
    map: std::sync::Mutex<HashMap<K, (V, Instant)>>,
    refreshing: std::sync::Mutex<std::collections::HashSet<K>>,
    cold: tokio::sync::Mutex<()>,
}

impl<K, V> Memo<K, V>
where
    K: std::hash::Hash + Eq + Clone + Send + Sync + 'static,
    V: Clone + Send + Sync + 'static,
{
    pub fn new(ttl: Duration) -> Self {
        Memo {
            ttl,
            map: Default::default(),
            refreshing: Default::default(),
            cold: tokio::sync::Mutex::new(()),
        }
    }

    fn peek(&self, key: &K) -> Option<(V, Instant)> {
        self.map.lock().ok().and_then(|m| m.get(key).cloned())
    }

    fn put(&self, key: K, value: V) {
        if let Ok(mut m) = self.map.lock() {
            if m.len() > MAX_ENTRIES * 10 {
                m.clear();
            }
            m.insert(key, (value, Instant::now()));
        }
    }

    /// Forgets the keys `drop` selects (after a write that changes them): the next read
    /// computes them again.
    pub fn forget(&self, drop: impl Fn(&K) -> bool) {
        if let Ok(mut m) = self.map.lock() {
            m.retain(|k, _| !drop(k));
        }
    }

    pub async fn get<F, Fut>(self: &std::sync::Arc<Self>, key: K, compute: F) -> crate::Result<V>
    where
        F: FnOnce() -> Fut + Send + 'static,
        Fut: std::future::Future<Output = crate::Result<V>> + Send + 'static,
    {
        if let Some((v, at)) = self.peek(&key) {
            if at.elapsed() >= self.ttl
                && self
                    .refreshing
                    .lock()
                    .map(|mut r| r.insert(key.clone()))
                    .unwrap_or(false)
            {
                let me = self.clone();
                tokio::spawn(async move {
                    match compute().await {
                        Ok(v) => me.put(key.clone(), v),
                        Err(e) => tracing::warn!(error = %e, "cached value not refreshed"),
                    }
                    if let Ok(mut r) = me.refreshing.lock() {
                        r.remove(&key);
                    }
                });
            }
            return Ok(v);
        }
        let _one = self.cold.lock().await;
        if let Some((v, _)) = self.peek(&key) {
            return Ok(v);
        }
        let v = compute().await?;
        self.put(key, v.clone());
        Ok(v)
    }
}
