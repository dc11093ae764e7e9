//! Exact and near duplicates.
//!
//! *Exact*: same sequence of folded words (case, accents, punctuation and spacing ignored),
//! found by hashing and verified word by word. Distinct texts are then put in a canonical
//! order (by content hash), which makes everything downstream insensitive to input order.
//!
//! *Near*: MinHash over word 3-shingles (32 hash functions, 8 bands of 4 rows, LSH), every
//! candidate pair verified with the exact Jaccard similarity of the shingle sets, merged with a
//! union-find. Within an LSH bucket each text is compared with at most a few "leaders", which
//! bounds the work on large copy-paste campaigns.

use rayon::prelude::*;

use crate::corpus::Corpus;
use crate::util::{mix64, FxHashMap};

/// Distinct texts of a corpus.
pub struct Distinct {
    /// Distinct text of each document, or `u32::MAX` for a document without any word.
    pub of_doc: Vec<u32>,
    /// First document of each distinct text (canonical order).
    pub rep: Vec<u32>,
    /// Number of documents of each distinct text.
    pub weight: Vec<u32>,
}

pub const NONE: u32 = u32::MAX;

/// The content hash must not depend on dictionary ids (which follow input order): hash the
/// folded strings instead, computed once per folded id.
fn folded_string_hashes(corpus: &Corpus) -> Vec<u64> {
    let n = corpus
        .word_folded
        .iter()
        .map(|&f| f as usize + 1)
        .max()
        .unwrap_or(0);
    let mut out = vec![0u64; n];
    for (w, &f) in corpus.word_folded.iter().enumerate() {
        let folded = crate::text::fold_accents(&corpus.words[w]);
        let mut h = 0xcbf2_9ce4_8422_2325u64;
        for b in folded.bytes() {
            h = (h ^ b as u64).wrapping_mul(0x100_0000_01b3);
        }
        out[f as usize] = h;
    }
    out
}

pub fn exact(corpus: &Corpus) -> Distinct {
    let n = corpus.len();
    let fh = folded_string_hashes(corpus);
    let hashes: Vec<u64> = (0..n)
        .into_par_iter()
        .map(|d| {
            let mut h = 0x1234_5678_9abc_def0u64;
            let mut any = false;
            for f in corpus.folded_iter(d) {
                h = mix64(h ^ fh[f as usize]);
                any = true;
            }
            if any {
                h
            } else {
                0
            }
        })
        .collect();
    let mut of_doc = vec![NONE; n];
    let mut rep: Vec<u32> = Vec::new();
    let mut weight: Vec<u32> = Vec::new();
    let mut hash_of: Vec<u64> = Vec::new();
    let mut by_hash: FxHashMap<u64, Vec<u32>> = FxHashMap::default();
    for d in 0..n {
        if corpus.word_len(d) == 0 {
            continue;
        }
        let h = hashes[d];
        let bucket = by_hash.entry(h).or_default();
        let mut found = None;
        for &u in bucket.iter() {
            if corpus
                .folded_iter(rep[u as usize] as usize)
                .eq(corpus.folded_iter(d))
            {
                found = Some(u);
                break;
            }
        }
        let u = match found {
            Some(u) => u,
            None => {
                let u = rep.len() as u32;
                rep.push(d as u32);
                weight.push(0);
                hash_of.push(h);
                bucket.push(u);
                u
            }
        };
        weight[u as usize] += 1;
        of_doc[d] = u;
    }
    // Canonical order: by content hash, then first occurrence (only matters on collision).
    let mut order: Vec<u32> = (0..rep.len() as u32).collect();
    order.sort_by_key(|&u| (hash_of[u as usize], rep[u as usize]));
    let mut new_id = vec![0u32; rep.len()];
    for (new, &old) in order.iter().enumerate() {
        new_id[old as usize] = new as u32;
    }
    for u in of_doc.iter_mut() {
        if *u != NONE {
            *u = new_id[*u as usize];
        }
    }
    Distinct {
        of_doc,
        rep: order.iter().map(|&u| rep[u as usize]).collect(),
        weight: order.iter().map(|&u| weight[u as usize]).collect(),
    }
}

const BANDS: usize = 8;
const ROWS: usize = 4;
const HASHES: usize = BANDS * ROWS;
const MIN_WORDS: usize = 5;
const MAX_LEADERS: usize = 8;

fn shingles(corpus: &Corpus, fh: &[u64], d: usize) -> Vec<u64> {
    let w: Vec<u64> = corpus.folded_iter(d).map(|f| fh[f as usize]).collect();
    let mut out: Vec<u64> = w
        .windows(3)
        .map(|s| mix64(s[0] ^ mix64(s[1] ^ mix64(s[2]))))
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

fn jaccard(a: &[u64], b: &[u64]) -> f64 {
    let (mut i, mut j, mut inter) = (0, 0, 0usize);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                inter += 1;
                i += 1;
                j += 1;
            }
        }
    }
    let union = a.len() + b.len() - inter;
    if union == 0 {
        1.0
    } else {
        inter as f64 / union as f64
    }
}

struct UnionFind(Vec<u32>);

impl UnionFind {
    fn find(&mut self, mut x: u32) -> u32 {
        while self.0[x as usize] != x {
            let p = self.0[x as usize];
            self.0[x as usize] = self.0[p as usize];
            x = p;
        }
        x
    }
    fn union(&mut self, a: u32, b: u32) {
        let (ra, rb) = (self.find(a), self.find(b));
        // The smaller id becomes the root: deterministic.
        if ra < rb {
            self.0[rb as usize] = ra;
        } else if rb < ra {
            self.0[ra as usize] = rb;
        }
    }
}

/// Near-duplicate components over distinct texts: each a sorted list of ≥ 2 distinct ids.
pub fn near(corpus: &Corpus, distinct: &Distinct, threshold: f64, seed: u64) -> Vec<Vec<u32>> {
    let t0 = std::time::Instant::now();
    let nu = distinct.rep.len();
    let fh = folded_string_hashes(corpus);
    crate::util::trace("  folded hashes", t0);
    let t0 = std::time::Instant::now();
    let mut coef = [(0u64, 0u64); HASHES];
    for (i, c) in coef.iter_mut().enumerate() {
        *c = (
            mix64(seed ^ (i as u64) << 1) | 1,
            mix64(seed.wrapping_add(0x55) ^ i as u64),
        );
    }
    // Band keys per distinct text; 0 marks "too short to compare".
    let keys: Vec<[u64; BANDS]> = (0..nu)
        .into_par_iter()
        .map(|u| {
            let d = distinct.rep[u] as usize;
            let sh = shingles(corpus, &fh, d);
            if sh.len() + 2 < MIN_WORDS {
                return [0u64; BANDS];
            }
            let mut sig = [u64::MAX; HASHES];
            for &s in &sh {
                for (m, &(a, b)) in sig.iter_mut().zip(coef.iter()) {
                    let v = s.wrapping_mul(a).wrapping_add(b);
                    if v < *m {
                        *m = v;
                    }
                }
            }
            let mut out = [0u64; BANDS];
            for (band, o) in out.iter_mut().enumerate() {
                let mut h = mix64(band as u64 + 1);
                for r in 0..ROWS {
                    h = mix64(h ^ sig[band * ROWS + r]);
                }
                *o = h | 1;
            }
            out
        })
        .collect();

    crate::util::trace("  minhash", t0);
    let t0 = std::time::Instant::now();
    let mut verified = 0usize;
    let mut uf = UnionFind((0..nu as u32).collect());
    let mut cache: FxHashMap<u32, Vec<u64>> = FxHashMap::default();
    for band in 0..BANDS {
        let mut pairs: Vec<(u64, u32)> = keys
            .iter()
            .enumerate()
            .filter(|(_, k)| k[band] != 0)
            .map(|(u, k)| (k[band], u as u32))
            .collect();
        pairs.par_sort_unstable();
        let mut i = 0;
        while i < pairs.len() {
            let mut j = i + 1;
            while j < pairs.len() && pairs[j].0 == pairs[i].0 {
                j += 1;
            }
            if j - i >= 2 {
                let mut leaders: Vec<u32> = Vec::new();
                for &(_, u) in &pairs[i..j] {
                    let mut matched = false;
                    for &l in &leaders {
                        if uf.find(l) == uf.find(u) {
                            matched = true;
                            break;
                        }
                    }
                    if !matched {
                        let su = cache
                            .entry(u)
                            .or_insert_with(|| {
                                shingles(corpus, &fh, distinct.rep[u as usize] as usize)
                            })
                            .clone();
                        for &l in &leaders {
                            let sl = cache.entry(l).or_insert_with(|| {
                                shingles(corpus, &fh, distinct.rep[l as usize] as usize)
                            });
                            verified += 1;
                            if jaccard(&su, sl) >= threshold {
                                uf.union(l, u);
                                matched = true;
                                break;
                            }
                        }
                    }
                    if !matched && leaders.len() < MAX_LEADERS {
                        leaders.push(u);
                    }
                }
            }
            i = j;
        }
        if cache.len() > 200_000 {
            cache.clear();
        }
    }
    crate::util::trace(&format!("  lsh verify ({verified} pairs)"), t0);
    let mut comps: FxHashMap<u32, Vec<u32>> = FxHashMap::default();
    for u in 0..nu as u32 {
        let r = uf.find(u);
        comps.entry(r).or_default().push(u);
    }
    let mut out: Vec<Vec<u32>> = comps.into_values().filter(|c| c.len() >= 2).collect();
    for c in out.iter_mut() {
        c.sort_unstable();
    }
    out.sort_unstable_by_key(|c| c[0]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jaccard_small() {
        assert_eq!(jaccard(&[1, 2, 3], &[2, 3, 4]), 0.5);
        assert_eq!(jaccard(&[], &[]), 1.0);
    }

    #[test]
    fn exact_and_near_groups() {
        let texts = [
            "Il faut baisser la TVA sur les produits de première nécessité.",
            "il faut baisser la tva sur les produits de premiere necessite",
            "Il faut baisser la TVA sur les produits de première nécessité et l'énergie.",
            "Rien à voir avec le reste, parlons des transports en commun.",
            "👍",
        ];
        let corpus = Corpus::build(&texts);
        let d = exact(&corpus);
        assert_eq!(d.rep.len(), 3);
        assert_eq!(d.of_doc[0], d.of_doc[1]);
        assert_eq!(d.of_doc[4], NONE);
        let groups = near(&corpus, &d, 0.7, 1);
        assert_eq!(groups.len(), 1);
        let mut g = groups[0].clone();
        g.sort();
        let mut want = vec![d.of_doc[0], d.of_doc[2]];
        want.sort();
        assert_eq!(g, want);
    }
}
