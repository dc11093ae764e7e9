//! What every public page reads and almost nothing writes — a debate by its slug, its phases and
//! questions, the instance's categories and quartiers — kept in memory for `READ_TTL`. A write
//! through this store clears it at once; other app instances see a change within the TTL.

use crate::{Category, FileMeta, Quartier, Question};
use domain::{Debate, Phase};
use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
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
    /// Off (see `Store::set_caches`): every read computes its value, nothing is kept.
    on: Arc<AtomicBool>,
    /// Past this many values, the memo starts over.
    cap: usize,
    map: std::sync::Mutex<HashMap<K, (V, Instant)>>,
    refreshing: std::sync::Mutex<std::collections::HashSet<K>>,
    cold: tokio::sync::Mutex<()>,
}

impl<K, V> Memo<K, V>
where
    K: std::hash::Hash + Eq + Clone + Send + Sync + 'static,
    V: Clone + Send + Sync + 'static,
{
    pub fn new(ttl: Duration, cap: usize, on: Arc<AtomicBool>) -> Self {
        Memo {
            ttl,
            on,
            cap,
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
            if m.len() >= self.cap {
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
        if !self.on.load(Ordering::Relaxed) {
            return compute().await;
        }
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[tokio::test]
    async fn a_cold_value_is_computed_once_and_a_stale_one_served_while_refreshed() {
        let memo: Arc<Memo<&'static str, usize>> = Arc::new(Memo::new(
            Duration::from_millis(50),
            10,
            Arc::new(AtomicBool::new(true)),
        ));
        let calls = Arc::new(AtomicUsize::new(0));
        let compute = |calls: Arc<AtomicUsize>| {
            move || async move {
                tokio::time::sleep(Duration::from_millis(20)).await;
                Ok(calls.fetch_add(1, Ordering::SeqCst) + 1)
            }
        };
        // Ten readers at once: one computes, the others wait for its value.
        let mut tasks = Vec::new();
        for _ in 0..10 {
            let (m, c) = (memo.clone(), calls.clone());
            tasks.push(tokio::spawn(async move { m.get("k", compute(c)).await }));
        }
        for t in tasks {
            assert_eq!(t.await.expect("task").expect("value"), 1);
        }
        assert_eq!(calls.load(Ordering::SeqCst), 1);
        // Stale: the old value comes back at once, and one refresh runs in the background.
        tokio::time::sleep(Duration::from_millis(60)).await;
        for _ in 0..5 {
            assert_eq!(memo.get("k", compute(calls.clone())).await.expect("v"), 1);
        }
        tokio::time::sleep(Duration::from_millis(60)).await;
        assert_eq!(calls.load(Ordering::SeqCst), 2);
        assert_eq!(memo.peek(&"k").map(|(v, _)| v), Some(2));
        // Forgotten: computed again on the next read.
        memo.forget(|k| *k == "k");
        assert_eq!(memo.get("k", compute(calls.clone())).await.expect("v"), 3);
    }
}
