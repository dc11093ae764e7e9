//! Vocabulary and TF-IDF vectors of the distinct texts.
//!
//! Terms are folded Snowball stems and pairs of stems ("bigrams": two content words with at most
//! two stop words and no punctuation between them, e.g. "impôt sur le revenu"). Document
//! frequencies are counted over distinct texts so that copy-paste campaigns do not shape the
//! vocabulary. Terms outside `[min_df, max_df]` are pruned. Weights are sublinear TF
//! (`1 + ln tf`) times smoothed IDF (`ln((1 + n) / (1 + df)) + 1`), rows L2-normalised.
//!
//! Feature ids are assigned by decreasing document frequency, then the terms' strings, so they
//! do not depend on input order.

use rayon::prelude::*;

use crate::corpus::{for_each_term, Corpus};
use crate::dedup::Distinct;
use crate::util::FxHashMap;

/// A term of the vocabulary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Term {
    Unigram(u32),
    Bigram(u32, u32),
}

/// Compressed sparse rows, f32 weights, u32 column ids.
#[derive(Debug, Clone, Default)]
pub struct Csr {
    pub indptr: Vec<usize>,
    pub indices: Vec<u32>,
    pub data: Vec<f32>,
    pub ncols: usize,
}

impl Csr {
    pub fn rows(&self) -> usize {
        self.indptr.len().saturating_sub(1)
    }
    #[inline]
    pub fn row(&self, r: usize) -> (&[u32], &[f32]) {
        let (a, b) = (self.indptr[r], self.indptr[r + 1]);
        (&self.indices[a..b], &self.data[a..b])
    }
    /// The given rows as a new matrix over only the columns they use (renumbered in increasing
    /// order). Returns the matrix and, for each new column, the original column.
    pub fn subset(&self, rows: &[u32]) -> (Csr, Vec<u32>) {
        let mut cols: Vec<u32> = rows
            .iter()
            .flat_map(|&r| self.row(r as usize).0.iter().copied())
            .collect();
        cols.sort_unstable();
        cols.dedup();
        let mut local = FxHashMap::default();
        for (i, &c) in cols.iter().enumerate() {
            local.insert(c, i as u32);
        }
        let mut m = Csr {
            indptr: Vec::with_capacity(rows.len() + 1),
            indices: Vec::new(),
            data: Vec::new(),
            ncols: cols.len(),
        };
        m.indptr.push(0);
        for &r in rows {
            let (idx, val) = self.row(r as usize);
            for (&f, &w) in idx.iter().zip(val) {
                m.indices.push(local.get(&f).copied().unwrap_or(0));
                m.data.push(w);
            }
            m.indptr.push(m.indices.len());
        }
        (m, cols)
    }

    /// Dot product of two rows (sorted indices).
    pub fn dot(&self, a: usize, b: usize) -> f32 {
        let (ia, da) = self.row(a);
        let (ib, db) = self.row(b);
        let (mut i, mut j, mut s) = (0, 0, 0f32);
        while i < ia.len() && j < ib.len() {
            match ia[i].cmp(&ib[j]) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    s += da[i] * db[j];
                    i += 1;
                    j += 1;
                }
            }
        }
        s
    }
}

pub struct Features {
    pub terms: Vec<Term>,
    pub df: Vec<u32>,
    /// One row per distinct text (canonical order); rows may be empty.
    pub matrix: Csr,
    pub min_df: usize,
}

const CHUNK: usize = 4096;

pub fn auto_min_df(n: usize) -> usize {
    match n {
        0..=99 => 1,
        100..=4_999 => 2,
        5_000..=24_999 => 3,
        _ => 5,
    }
}

fn pack(a: u32, b: u32) -> u64 {
    ((a as u64) << 32) | b as u64
}

pub fn build(
    corpus: &Corpus,
    distinct: &Distinct,
    min_df: usize,
    max_df: f64,
    bigrams: bool,
    max_vocabulary: usize,
) -> Features {
    let nu = distinct.rep.len();
    let ns = corpus.stems.len();
    let reps = &distinct.rep;
    let min_df = if min_df == 0 { auto_min_df(nu) } else { min_df };
    let max_count = ((max_df * nu as f64).floor() as usize).max(1);
    // With very few texts max_df would remove everything shared; keep it meaningful.
    let max_count = if nu < 20 { nu } else { max_count };

    // Unigram document frequencies.
    let stem_df: Vec<u32> = reps
        .par_chunks(CHUNK)
        .map(|chunk| {
            let mut df = vec![0u32; ns];
            let mut seen: Vec<u32> = Vec::new();
            for &d in chunk {
                seen.clear();
                for_each_term(
                    corpus,
                    corpus.doc_tokens(d as usize),
                    false,
                    |s| seen.push(s),
                    |_, _, _| {},
                );
                seen.sort_unstable();
                seen.dedup();
                for &s in &seen {
                    df[s as usize] += 1;
                }
            }
            df
        })
        .reduce(
            || vec![0u32; ns],
            |mut a, b| {
                for (x, y) in a.iter_mut().zip(b) {
                    *x += y;
                }
                a
            },
        );
    let frequent = |s: u32| stem_df[s as usize] as usize >= min_df;

    // Bigram document frequencies, only for pairs of frequent stems.
    // Each text contributes its distinct pairs; one parallel sort then counts them.
    let mut bigram_df: Vec<(u64, u32)> = Vec::new();
    if bigrams {
        let mut keys: Vec<u64> = reps
            .par_chunks(CHUNK)
            .flat_map_iter(|chunk| {
                let mut out: Vec<u64> = Vec::new();
                let mut seen: Vec<u64> = Vec::new();
                for &d in chunk {
                    seen.clear();
                    for_each_term(
                        corpus,
                        corpus.doc_tokens(d as usize),
                        true,
                        |_| {},
                        |a, b, _| {
                            if a != b && frequent(a) && frequent(b) {
                                seen.push(pack(a, b));
                            }
                        },
                    );
                    seen.sort_unstable();
                    seen.dedup();
                    out.extend_from_slice(&seen);
                }
                out
            })
            .collect();
        keys.par_sort_unstable();
        let mut i = 0;
        while i < keys.len() {
            let mut j = i + 1;
            while j < keys.len() && keys[j] == keys[i] {
                j += 1;
            }
            bigram_df.push((keys[i], (j - i) as u32));
            i = j;
        }
    }

    // Vocabulary, sorted by the terms' strings.
    let in_range = |df: usize| df >= min_df && df <= max_count;
    let mut vocab: Vec<(Term, u32)> = Vec::new();
    for s in 0..ns as u32 {
        if in_range(stem_df[s as usize] as usize) {
            vocab.push((Term::Unigram(s), stem_df[s as usize]));
        }
    }
    for &(k, df) in bigram_df.iter() {
        if in_range(df as usize) {
            vocab.push((Term::Bigram((k >> 32) as u32, k as u32), df));
        }
    }
    drop(bigram_df);
    let key = |t: &Term| -> (&str, &str) {
        match *t {
            Term::Unigram(s) => (corpus.stems[s as usize].as_str(), ""),
            Term::Bigram(a, b) => (
                corpus.stems[a as usize].as_str(),
                corpus.stems[b as usize].as_str(),
            ),
        }
    };
    // Frequent terms first: their centroid rows then share cache lines during k-means.
    vocab.sort_unstable_by(|x, y| y.1.cmp(&x.1).then_with(|| key(&x.0).cmp(&key(&y.0))));
    vocab.truncate(max_vocabulary);
    let terms: Vec<Term> = vocab.iter().map(|v| v.0).collect();
    let df: Vec<u32> = vocab.iter().map(|v| v.1).collect();
    let mut uni_id = vec![u32::MAX; ns];
    let mut bi_id: FxHashMap<u64, u32> = FxHashMap::default();
    for (i, t) in terms.iter().enumerate() {
        match *t {
            Term::Unigram(s) => uni_id[s as usize] = i as u32,
            Term::Bigram(a, b) => {
                bi_id.insert(pack(a, b), i as u32);
            }
        }
    }
    let idf: Vec<f32> = df
        .iter()
        .map(|&d| (((1 + nu) as f64 / (1 + d) as f64).ln() + 1.0) as f32)
        .collect();

    // TF-IDF rows.
    let parts: Vec<(Vec<u32>, Vec<u32>, Vec<f32>)> = reps
        .par_chunks(CHUNK)
        .map(|chunk| {
            let mut lens = Vec::with_capacity(chunk.len());
            let mut idx = Vec::new();
            let mut val = Vec::new();
            let mut feats: Vec<u32> = Vec::new();
            let mut feats_b: Vec<u32> = Vec::new();
            for &d in chunk {
                feats.clear();
                feats_b.clear();
                for_each_term(
                    corpus,
                    corpus.doc_tokens(d as usize),
                    bigrams,
                    |s| {
                        let f = uni_id[s as usize];
                        if f != u32::MAX {
                            feats.push(f);
                        }
                    },
                    |a, b, _| {
                        if let Some(&f) = bi_id.get(&pack(a, b)) {
                            feats_b.push(f);
                        }
                    },
                );
                feats.extend_from_slice(&feats_b);
                feats.sort_unstable();
                let start = idx.len();
                let mut i = 0;
                while i < feats.len() {
                    let mut j = i + 1;
                    while j < feats.len() && feats[j] == feats[i] {
                        j += 1;
                    }
                    let tf = (j - i) as f32;
                    idx.push(feats[i]);
                    val.push((1.0 + tf.ln()) * idf[feats[i] as usize]);
                    i = j;
                }
                let norm: f32 = val[start..].iter().map(|v| v * v).sum::<f32>().sqrt();
                if norm > 0.0 {
                    for v in &mut val[start..] {
                        *v /= norm;
                    }
                }
                lens.push((idx.len() - start) as u32);
            }
            (lens, idx, val)
        })
        .collect();
    let nnz: usize = parts.iter().map(|p| p.1.len()).sum();
    let mut matrix = Csr {
        indptr: Vec::with_capacity(nu + 1),
        indices: Vec::with_capacity(nnz),
        data: Vec::with_capacity(nnz),
        ncols: terms.len(),
    };
    matrix.indptr.push(0);
    for (lens, idx, val) in parts {
        let mut acc = matrix.indices.len();
        for l in lens {
            acc += l as usize;
            matrix.indptr.push(acc);
        }
        matrix.indices.extend_from_slice(&idx);
        matrix.data.extend_from_slice(&val);
    }
    Features {
        terms,
        df,
        matrix,
        min_df,
    }
}
