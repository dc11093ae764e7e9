//! Word vectors learnt from the corpus itself, so that "vélo" and "bicyclette" meet without
//! any model to download, and short answers that share no word with their theme still find it.
//!
//! 1. **Co-occurrences**: the most frequent single-word terms (at most [`MAX_WORDS`]) are the
//!    vocabulary; two of them co-occur when they stand within [`WINDOW`] content words of each
//!    other in one clause-free stream of a distinct text (a sample of at most [`MAX_TEXTS`]).
//! 2. **PPMI**: positive pointwise mutual information, with context counts raised to 0.75
//!    (Levy, Goldberg & Dagan, 2015), in a dense symmetric matrix.
//! 3. **Truncated SVD** by a seeded randomised range finder (Halko, Martinsson & Tropp, 2011):
//!    one power iteration, Gram–Schmidt, then the eigen-decomposition of a small matrix by cyclic
//!    Jacobi rotations. Word vectors are `U·Σ^½`, normalised.
//! 4. **Text vectors**: the TF-IDF-weighted sum of its words' vectors, normalised. They are
//!    appended to the sparse TF-IDF row with a fixed weight, so clustering sees both the exact
//!    words (which "why here" names) and their neighbourhood.
//!
//! Everything is sequential or reduced in fixed order: the vectors are bit-identical across
//! runs and thread counts.

use rayon::prelude::*;

use crate::corpus::{Corpus, BOUNDARY, NO_STEM};
use crate::dedup::Distinct;
use crate::features::{Csr, Term};
use crate::util::Rng;

pub const MAX_WORDS: usize = 2000;
/// Below this many distinct texts, co-occurrences are too sparse to trust: TF-IDF alone (the
/// 825 long cahiers citoyens, for instance, were lumped into one theme of 522 with vectors).
pub const MIN_TEXTS: usize = 5_000;
pub const MAX_TEXTS: usize = 80_000;
pub const WINDOW: usize = 5;
const OVERSAMPLE: usize = 10;

/// Word vectors of the first unigram features: `vectors[slot * dim..]`, with `slot_of[f]` the
/// slot of feature `f` (or `u32::MAX`).
pub struct WordVectors {
    pub dim: usize,
    pub slot_of: Vec<u32>,
    pub vectors: Vec<f32>,
}

/// Learn word vectors of dimension `dim` from the distinct texts.
pub fn learn(
    corpus: &Corpus,
    distinct: &Distinct,
    terms: &[Term],
    dim: usize,
    seed: u64,
) -> Option<WordVectors> {
    // Vocabulary: unigram features in feature order (decreasing document frequency).
    let mut slot_of = vec![u32::MAX; terms.len()];
    let mut slot_of_stem = vec![u32::MAX; corpus.stems.len()];
    // Few texts teach few reliable neighbourhoods: at most one word per five distinct texts.
    let max_words = MAX_WORDS.min(distinct.rep.len() / 5);
    let mut v = 0usize;
    for (f, t) in terms.iter().enumerate() {
        if let Term::Unigram(s) = t {
            if v < max_words {
                slot_of[f] = v as u32;
                slot_of_stem[*s as usize] = v as u32;
                v += 1;
            }
        }
    }
    // Too few words for vectors of this dimension: TF-IDF alone.
    if v < 2 * dim || dim == 0 {
        return None;
    }
    let k = (dim + OVERSAMPLE).min(v);
    let dim = dim.min(k);
    // Co-occurrence counts, upper triangle in a dense matrix per chunk, reduced in order.
    let reps = &distinct.rep[..distinct.rep.len().min(MAX_TEXTS)];
    let counts: Vec<f32> = reps
        .par_chunks(8192)
        .map(|chunk| {
            let mut m = vec![0f32; v * v];
            let mut window: Vec<u32> = Vec::with_capacity(WINDOW);
            for &d in chunk {
                window.clear();
                for &t in corpus.doc_tokens(d as usize) {
                    if t == BOUNDARY {
                        window.clear();
                        continue;
                    }
                    let s = corpus.word_stem[t as usize];
                    if s == NO_STEM {
                        continue;
                    }
                    let slot = slot_of_stem[s as usize];
                    if slot == u32::MAX {
                        continue;
                    }
                    for &o in &window {
                        if o != slot {
                            let (a, b) = (o.min(slot) as usize, o.max(slot) as usize);
                            m[a * v + b] += 1.0;
                        }
                    }
                    if window.len() == WINDOW {
                        window.remove(0);
                    }
                    window.push(slot);
                }
            }
            m
        })
        .reduce(
            || vec![0f32; v * v],
            |mut a, b| {
                a.iter_mut().zip(b).for_each(|(x, y)| *x += y);
                a
            },
        );
    // Symmetrise, then PPMI with context smoothing.
    let mut m = counts;
    for a in 0..v {
        for b in a + 1..v {
            m[b * v + a] = m[a * v + b];
        }
    }
    let row: Vec<f64> = (0..v)
        .map(|a| m[a * v..(a + 1) * v].iter().map(|&x| x as f64).sum())
        .collect();
    let total: f64 = row.iter().sum();
    if total <= 0.0 {
        return None;
    }
    let ctx: Vec<f64> = row.iter().map(|&r| r.powf(0.75)).collect();
    let ctx_total: f64 = ctx.iter().sum();
    m.par_chunks_mut(v).enumerate().for_each(|(a, r)| {
        for (b, x) in r.iter_mut().enumerate() {
            let n = *x as f64;
            *x = if n > 0.0 && row[a] > 0.0 {
                let p = (n / total).ln() - (row[a] / total).ln() - (ctx[b] / ctx_total).ln();
                p.max(0.0) as f32
            } else {
                0.0
            };
        }
    });
    // Randomised range finder: Y = M Ω, one power iteration, orthonormal Q (v × k).
    let mut rng = Rng::new(seed ^ 0xe3b0_c442);
    let omega: Vec<f32> = (0..v * k)
        .map(|_| (rng.next_f64() * 2.0 - 1.0) as f32)
        .collect();
    let mul = |m: &[f32], x: &[f32]| -> Vec<f32> {
        // (v × v) · (v × k), row-major.
        let mut out = vec![0f32; v * k];
        out.par_chunks_mut(k).enumerate().for_each(|(a, o)| {
            let r = &m[a * v..(a + 1) * v];
            for (b, &w) in r.iter().enumerate() {
                if w != 0.0 {
                    let xb = &x[b * k..(b + 1) * k];
                    for (oo, &xx) in o.iter_mut().zip(xb) {
                        *oo += w * xx;
                    }
                }
            }
        });
        out
    };
    let mut q = mul(&m, &omega);
    orthonormalise(&mut q, v, k);
    q = mul(&m, &q);
    orthonormalise(&mut q, v, k);
    // Small symmetric matrix T = Qᵀ M Q (k × k); its eigenvectors rotate Q into U.
    let mq = mul(&m, &q);
    let mut t = vec![0f64; k * k];
    for i in 0..k {
        for j in 0..k {
            t[i * k + j] = (0..v)
                .map(|a| q[a * k + i] as f64 * mq[a * k + j] as f64)
                .sum();
        }
    }
    let (evals, evecs) = jacobi(&mut t, k);
    let mut order: Vec<usize> = (0..k).collect();
    order.sort_by(|&a, &b| evals[b].abs().total_cmp(&evals[a].abs()).then(a.cmp(&b)));
    let mut vectors = vec![0f32; v * dim];
    for a in 0..v {
        let out = &mut vectors[a * dim..(a + 1) * dim];
        for (c, &e) in order.iter().take(dim).enumerate() {
            let scale = evals[e].abs().sqrt();
            let u: f64 = (0..k).map(|i| q[a * k + i] as f64 * evecs[i * k + e]).sum();
            out[c] = (u * scale) as f32;
        }
        let n = out.iter().map(|x| x * x).sum::<f32>().sqrt();
        if n > 0.0 {
            out.iter_mut().for_each(|x| *x /= n);
        }
    }
    Some(WordVectors {
        dim,
        slot_of,
        vectors,
    })
}

/// Modified Gram–Schmidt on the `k` columns of a row-major `v × k` matrix.
fn orthonormalise(q: &mut [f32], v: usize, k: usize) {
    for j in 0..k {
        for i in 0..j {
            let dot: f64 = (0..v)
                .map(|a| q[a * k + i] as f64 * q[a * k + j] as f64)
                .sum();
            for a in 0..v {
                q[a * k + j] -= (dot as f32) * q[a * k + i];
            }
        }
        let n: f64 = (0..v)
            .map(|a| (q[a * k + j] as f64).powi(2))
            .sum::<f64>()
            .sqrt();
        if n > 1e-12 {
            for a in 0..v {
                q[a * k + j] = (q[a * k + j] as f64 / n) as f32;
            }
        }
    }
}

/// Eigen-decomposition of a symmetric `k × k` matrix by cyclic Jacobi rotations. Returns the
/// eigenvalues and the eigenvectors as columns of a row-major matrix.
fn jacobi(a: &mut [f64], k: usize) -> (Vec<f64>, Vec<f64>) {
    let mut vecs = vec![0f64; k * k];
    for i in 0..k {
        vecs[i * k + i] = 1.0;
    }
    for _ in 0..50 {
        let off: f64 = (0..k)
            .flat_map(|i| (0..k).filter(move |&j| j != i).map(move |j| (i, j)))
            .map(|(i, j)| a[i * k + j] * a[i * k + j])
            .sum();
        if off < 1e-18 {
            break;
        }
        for p in 0..k {
            for r in p + 1..k {
                let apr = a[p * k + r];
                if apr.abs() < 1e-300 {
                    continue;
                }
                let theta = (a[r * k + r] - a[p * k + p]) / (2.0 * apr);
                let t = theta.signum() / (theta.abs() + (theta * theta + 1.0).sqrt());
                let t = if theta == 0.0 { 1.0 } else { t };
                let c = 1.0 / (t * t + 1.0).sqrt();
                let s = t * c;
                for i in 0..k {
                    let aip = a[i * k + p];
                    let air = a[i * k + r];
                    a[i * k + p] = c * aip - s * air;
                    a[i * k + r] = s * aip + c * air;
                }
                for i in 0..k {
                    let api = a[p * k + i];
                    let ari = a[r * k + i];
                    a[p * k + i] = c * api - s * ari;
                    a[r * k + i] = s * api + c * ari;
                }
                for i in 0..k {
                    let vip = vecs[i * k + p];
                    let vir = vecs[i * k + r];
                    vecs[i * k + p] = c * vip - s * vir;
                    vecs[i * k + r] = s * vip + c * vir;
                }
            }
        }
    }
    ((0..k).map(|i| a[i * k + i]).collect(), vecs)
}

/// The rows of `x` with each text's vector appended (columns `x.ncols..x.ncols + dim`): the
/// sparse part is scaled by `sqrt(1 - weight)`, the dense part by `sqrt(weight)`, so rows stay
/// of unit norm. Rows with no known word keep only their sparse part.
pub fn augment(x: &Csr, wv: &WordVectors, weight: f32) -> Csr {
    let dim = wv.dim;
    let (ws, wd) = ((1.0 - weight).sqrt(), weight.sqrt());
    let parts: Vec<(Vec<u32>, Vec<u32>, Vec<f32>)> = (0..x.rows())
        .collect::<Vec<usize>>()
        .par_chunks(4096)
        .map(|chunk| {
            let mut lens = Vec::with_capacity(chunk.len());
            let mut idx = Vec::new();
            let mut val = Vec::new();
            let mut e = vec![0f32; dim];
            for &r in chunk {
                let (ri, rv) = x.row(r);
                e.iter_mut().for_each(|v| *v = 0.0);
                let mut any = false;
                for (&f, &w) in ri.iter().zip(rv) {
                    let s = wv.slot_of[f as usize];
                    if s != u32::MAX {
                        any = true;
                        let vec = &wv.vectors[s as usize * dim..(s as usize + 1) * dim];
                        e.iter_mut().zip(vec).for_each(|(a, &b)| *a += w * b);
                    }
                }
                let n = e.iter().map(|v| v * v).sum::<f32>().sqrt();
                let start = idx.len();
                let scale = if any && n > 0.0 { ws } else { 1.0 };
                for (&f, &w) in ri.iter().zip(rv) {
                    idx.push(f);
                    val.push(w * scale);
                }
                if any && n > 0.0 {
                    for (c, &v) in e.iter().enumerate() {
                        idx.push((x.ncols + c) as u32);
                        val.push(wd * v / n);
                    }
                }
                lens.push((idx.len() - start) as u32);
            }
            (lens, idx, val)
        })
        .collect();
    let nnz: usize = parts.iter().map(|p| p.1.len()).sum();
    let mut m = Csr {
        indptr: Vec::with_capacity(x.rows() + 1),
        indices: Vec::with_capacity(nnz),
        data: Vec::with_capacity(nnz),
        ncols: x.ncols + dim,
    };
    m.indptr.push(0);
    for (lens, idx, val) in parts {
        let mut acc = m.indices.len();
        for l in lens {
            acc += l as usize;
            m.indptr.push(acc);
        }
        m.indices.extend_from_slice(&idx);
        m.data.extend_from_slice(&val);
    }
    m
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cosine(wv: &WordVectors, a: usize, b: usize) -> f32 {
        let d = wv.dim;
        let (sa, sb) = (wv.slot_of[a] as usize, wv.slot_of[b] as usize);
        (0..d)
            .map(|i| wv.vectors[sa * d + i] * wv.vectors[sb * d + i])
            .sum()
    }

    #[test]
    fn words_used_alike_get_close_vectors() {
        // "vélo" and "bicyclette" never meet but share their neighbours; "impôt" lives elsewhere.
        let mut texts = Vec::new();
        let fillers = [
            "rue", "ville", "piste", "route", "casque", "trajet", "école", "travail",
        ];
        let taxes = [
            "revenu", "taxe", "foncier", "tranche", "barème", "niche", "fraude", "csg",
        ];
        for i in 0..400 {
            let (a, b) = (fillers[i % 8], fillers[(i / 8) % 8]);
            let (c, d) = (taxes[i % 8], taxes[(i / 8) % 8]);
            let w = if i % 2 == 0 { "vélo" } else { "bicyclette" };
            texts.push(format!("{w} {a} {b} {i}"));
            texts.push(format!("impôt {c} {d} {i}"));
        }
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        let corpus = Corpus::build(&refs);
        let distinct = crate::dedup::exact(&corpus);
        let feats = crate::features::build(&corpus, &distinct, 2, 0.9, false, 10_000);
        let wv = learn(&corpus, &distinct, &feats.terms, 4, 7).expect("vectors");
        let st = crate::text::french_stemmer();
        let f = |w: &str| {
            let stem = crate::text::analyse_word(w, &st)
                .stem
                .expect("content word");
            feats
                .terms
                .iter()
                .position(|t| matches!(t, Term::Unigram(s) if corpus.stems[*s as usize] == stem))
                .expect("in vocabulary")
        };
        let (velo, bicyclette, impot) = (f("vélo"), f("bicyclette"), f("impôt"));
        let near = cosine(&wv, velo, bicyclette);
        let far = cosine(&wv, velo, impot);
        assert!(near > far + 0.3, "near {near}, far {far}");
        // Reproducible.
        let again = learn(&corpus, &distinct, &feats.terms, 4, 7).expect("vectors");
        assert_eq!(wv.vectors, again.vectors);
    }

    #[test]
    fn jacobi_diagonalises() {
        let mut a = vec![4.0, 1.0, 0.0, 1.0, 3.0, 1.0, 0.0, 1.0, 2.0];
        let orig = a.clone();
        let (vals, vecs) = jacobi(&mut a, 3);
        for e in 0..3 {
            // A v = λ v
            for i in 0..3 {
                let av: f64 = (0..3).map(|j| orig[i * 3 + j] * vecs[j * 3 + e]).sum();
                assert!((av - vals[e] * vecs[i * 3 + e]).abs() < 1e-9);
            }
        }
        let trace: f64 = vals.iter().sum();
        assert!((trace - 9.0).abs() < 1e-9);
    }
}
