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
