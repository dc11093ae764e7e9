//! Top hits and total count in one pass, in a fully deterministic order.
//!
//! tantivy's `TopDocs` breaks score ties by document address, which changes when segments are
//! merged. Here ties are broken by the item's own data, read from fast fields: newest first
//! (`created_at`), contributions before comments, then the larger id. The fast fields are read
//! only for documents whose score could enter the current top.

use std::cmp::{Ordering, Reverse};
use std::collections::BinaryHeap;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::Column;
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

use crate::{Hit, Hits, Kind};

/// A candidate hit with its full sort key.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Ranked {
    score: Score,
    created_at: i64,
    kind: Kind,
    id: i64,
    contribution_id: i64,
}

impl Ranked {
    /// The order of results: the greater comes first.
    fn key_cmp(&self, other: &Self) -> Ordering {
        self.score
            .total_cmp(&other.score)
            .then(self.created_at.cmp(&other.created_at))
            // Contributions (code 0) before comments (code 1).
            .then(other.kind.code().cmp(&self.kind.code()))
            .then(self.id.cmp(&other.id))
    }
}

impl PartialEq for Ranked {
    fn eq(&self, other: &Self) -> bool {
        self.key_cmp(other) == Ordering::Equal
    }
}
impl Eq for Ranked {}
impl PartialOrd for Ranked {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Ranked {
    fn cmp(&self, other: &Self) -> Ordering {
        self.key_cmp(other)
    }
}

/// Collects the best `offset + limit` hits and counts all matches.
pub(crate) struct TopHits {
    pub offset: usize,
    pub limit: usize,
}

pub(crate) struct SegmentTopHits {
    keep: usize,
    count: usize,
    /// Min-heap of the best `keep` so far.
    heap: BinaryHeap<Reverse<Ranked>>,
    created_at: Column<i64>,
    id: Column<i64>,
    kind: Column<u64>,
    contribution_id: Column<i64>,
}

impl Collector for TopHits {
    type Fruit = Hits;
    type Child = SegmentTopHits;

    fn for_segment(
        &self,
        _: SegmentOrdinal,
        segment: &SegmentReader,
    ) -> tantivy::Result<Self::Child> {
        let fast = segment.fast_fields();
        Ok(SegmentTopHits {
            keep: self.offset + self.limit,
            count: 0,
            heap: BinaryHeap::new(),
            created_at: fast.i64(crate::index::F_CREATED_AT)?,
            id: fast.i64(crate::index::F_ID)?,
            kind: fast.u64(crate::index::F_KIND)?,
            contribution_id: fast.i64(crate::index::F_CONTRIBUTION_ID)?,
        })
    }

    fn requires_scoring(&self) -> bool {
        true
    }

    fn merge_fruits(&self, fruits: Vec<(usize, Vec<Ranked>)>) -> tantivy::Result<Hits> {
        let total = fruits.iter().map(|(count, _)| count).sum();
        let mut all: Vec<Ranked> = fruits.into_iter().flat_map(|(_, top)| top).collect();
        all.sort_unstable_by(|a, b| b.cmp(a));
        let hits = all
            .into_iter()
            .skip(self.offset)
            .take(self.limit)
            .map(|r| Hit {
                kind: r.kind,
                id: r.id,
                contribution_id: r.contribution_id,
                score: r.score,
            })
            .collect();
        Ok(Hits { total, hits })
    }
}

impl SegmentCollector for SegmentTopHits {
    type Fruit = (usize, Vec<Ranked>);

    fn collect(&mut self, doc: DocId, score: Score) {
        self.count += 1;
        if self.keep == 0 {
            return;
        }
        let full = self.heap.len() >= self.keep;
        if full
            && self
                .heap
                .peek()
                .is_some_and(|Reverse(worst)| score < worst.score)
        {
            return;
        }
        let candidate = Ranked {
            score,
            created_at: self.created_at.first(doc).unwrap_or(0),
            kind: Kind::from_code(self.kind.first(doc).unwrap_or(0)),
            id: self.id.first(doc).unwrap_or(0),
            contribution_id: self.contribution_id.first(doc).unwrap_or(0),
        };
        if !full {
            self.heap.push(Reverse(candidate));
        } else if let Some(mut worst) = self.heap.peek_mut()
            && candidate > worst.0
        {
            *worst = Reverse(candidate);
        }
    }

    fn harvest(self) -> Self::Fruit {
        (
            self.count,
            self.heap.into_iter().map(|Reverse(r)| r).collect(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(score: f32, created_at: i64, kind: Kind, id: i64) -> Ranked {
        Ranked {
            score,
            created_at,
            kind,
            id,
            contribution_id: id,
        }
    }

    #[test]
    fn order_is_score_then_newest_then_contribution_then_id() {
        let mut v = [
            r(1.0, 5, Kind::Comment, 1),
            r(2.0, 1, Kind::Comment, 1),
            r(1.0, 9, Kind::Comment, 2),
            r(1.0, 5, Kind::Contribution, 1),
            r(1.0, 5, Kind::Contribution, 3),
        ];
        v.sort_unstable_by(|a, b| b.cmp(a));
        let got: Vec<_> = v
            .iter()
            .map(|r| (r.score, r.created_at, r.kind, r.id))
            .collect();
        assert_eq!(
            got,
            [
                (2.0, 1, Kind::Comment, 1),
                (1.0, 9, Kind::Comment, 2),
                (1.0, 5, Kind::Contribution, 3),
                (1.0, 5, Kind::Contribution, 1),
                (1.0, 5, Kind::Comment, 1),
            ]
        );
    }
}
