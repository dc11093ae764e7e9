//! Spherical k-means on sparse L2-normalised rows (cosine similarity), and the silhouette used
//! to choose the number of clusters.
//!
//! Initialisation is k-means++ (greedy, a few local trials per step) on a seeded sample, then
//! Lloyd iterations on the sample, then on all rows until fewer than 0.1 % change cluster.
//! Centroids are dense and stored feature-major (`c[f * k + j]`) so that scoring a sparse row
//! against all centroids reads `k` contiguous floats per non-zero. Assignment runs in parallel on
//! fixed chunks; centroid sums are accumulated sequentially in row order, so results are
//! bit-identical whatever the number of threads.

use rayon::prelude::*;

use crate::features::Csr;
use crate::util::Rng;

pub struct KMeans {
    pub k: usize,
    /// Feature-major dense centroids, each of unit norm (or zero when empty).
    pub centroids: Vec<f32>,
    /// Cluster of each row of the subset given to `fit`.
    pub assign: Vec<u32>,
    /// Cosine similarity of each row to its centroid.
    pub sim: Vec<f32>,
}

const CHUNK: usize = 2048;

/// Best centroid of one row. Ties go to the lowest index.
#[inline]
fn best(x: &Csr, row: usize, c: &[f32], k: usize, scores: &mut [f32]) -> (u32, f32) {
    scores.iter_mut().for_each(|s| *s = 0.0);
    let (idx, val) = x.row(row);
    for (&f, &w) in idx.iter().zip(val) {
        let base = f as usize * k;
        let cf = &c[base..base + k];
        for (s, &cv) in scores.iter_mut().zip(cf) {
            *s += w * cv;
        }
    }
    let mut bj = 0usize;
    let mut bs = f32::NEG_INFINITY;
    for (j, &s) in scores.iter().enumerate() {
        if s > bs {
            bs = s;
            bj = j;
        }
    }
    (bj as u32, bs)
}

/// Assign every row of `rows` to its best centroid, in parallel.
pub fn assign(x: &Csr, rows: &[u32], c: &[f32], k: usize) -> (Vec<u32>, Vec<f32>) {
    let parts: Vec<(Vec<u32>, Vec<f32>)> = rows
        .par_chunks(CHUNK)
        .map(|chunk| {
            let mut scores = vec![0f32; k];
            let mut a = Vec::with_capacity(chunk.len());
            let mut s = Vec::with_capacity(chunk.len());
            for &r in chunk {
                let (j, v) = best(x, r as usize, c, k, &mut scores);
                a.push(j);
                s.push(v);
            }
            (a, s)
        })
        .collect();
    let mut a = Vec::with_capacity(rows.len());
    let mut s = Vec::with_capacity(rows.len());
    for (pa, ps) in parts {
        a.extend(pa);
        s.extend(ps);
    }
    (a, s)
}

/// Similarity of every row to every centroid, for a few rows (used by MMR and explanations).
pub fn scores_of(x: &Csr, row: usize, c: &[f32], k: usize) -> Vec<f32> {
    let mut scores = vec![0f32; k];
    best(x, row, c, k, &mut scores);
    scores
}

/// Centroids from an assignment: sums in row order, then normalised. Returns the sizes.
fn update(x: &Csr, rows: &[u32], assign: &[u32], k: usize, c: &mut [f32]) -> Vec<usize> {
    c.iter_mut().for_each(|v| *v = 0.0);
    let mut sizes = vec![0usize; k];
    for (&r, &j) in rows.iter().zip(assign) {
        sizes[j as usize] += 1;
        let (idx, val) = x.row(r as usize);
        for (&f, &w) in idx.iter().zip(val) {
            c[f as usize * k + j as usize] += w;
        }
    }
    normalize(c, k);
    sizes
}

fn normalize(c: &mut [f32], k: usize) {
    let mut norms = vec![0f64; k];
    for chunk in c.chunks_exact(k) {
        for (n, &v) in norms.iter_mut().zip(chunk) {
            *n += (v as f64) * (v as f64);
        }
    }
    let inv: Vec<f32> = norms
        .iter()
        .map(|&n| {
            if n > 0.0 {
                (1.0 / n.sqrt()) as f32
            } else {
                0.0
            }
        })
        .collect();
    for chunk in c.chunks_exact_mut(k) {
        for (v, &i) in chunk.iter_mut().zip(&inv) {
            *v *= i;
        }
    }
}

fn set_centroid_to_row(x: &Csr, row: usize, j: usize, k: usize, c: &mut [f32]) {
    for chunk in c.chunks_exact_mut(k) {
        chunk[j] = 0.0;
    }
    let (idx, val) = x.row(row);
    for (&f, &w) in idx.iter().zip(val) {
        c[f as usize * k + j] = w;
    }
}

/// Greedy k-means++ on `rows` (cosine distance), returning dense feature-major centroids.
fn kmeanspp(x: &Csr, rows: &[u32], k: usize, rng: &mut Rng) -> Vec<f32> {
    let n = rows.len();
    let mut c = vec![0f32; x.ncols * k];
    if n == 0 {
        return c;
    }
    let trials = 2 + (k as f64).ln().floor() as usize;
    let mut dense = vec![0f32; x.ncols];
    let sims_to = |row: usize, dense: &mut Vec<f32>| -> Vec<f32> {
        let (idx, val) = x.row(row);
        for (&f, &w) in idx.iter().zip(val) {
            dense[f as usize] = w;
        }
        let out: Vec<f32> = rows
            .par_chunks(CHUNK)
            .flat_map_iter(|chunk| {
                chunk.iter().map(|&r| {
                    let (i2, v2) = x.row(r as usize);
                    i2.iter()
                        .zip(v2)
                        .map(|(&f, &w)| w * dense[f as usize])
                        .sum::<f32>()
                })
            })
            .collect();
        for &f in idx {
            dense[f as usize] = 0.0;
        }
        out
    };
    let first = rows[rng.below(n)] as usize;
    set_centroid_to_row(x, first, 0, k, &mut c);
    let mut best_sim = sims_to(first, &mut dense);
    for j in 1..k {
        // D(x) = 1 - max similarity, sampled proportionally to D^2.
        let d2: Vec<f64> = best_sim
            .iter()
            .map(|&s| {
                let d = (1.0 - s as f64).max(0.0);
                d * d
            })
            .collect();
        let total: f64 = d2.iter().sum();
        let mut best_choice: Option<(f64, usize, Vec<f32>)> = None;
        for _ in 0..trials {
            let pick = if total <= 0.0 {
                rng.below(n)
            } else {
                let mut t = rng.next_f64() * total;
                let mut p = n - 1;
                for (i, &v) in d2.iter().enumerate() {
                    if t < v {
                        p = i;
                        break;
                    }
                    t -= v;
                }
                p
            };
            let s = sims_to(rows[pick] as usize, &mut dense);
            let pot: f64 = best_sim
                .iter()
                .zip(&s)
                .map(|(&a, &b)| {
                    let d = (1.0 - a.max(b) as f64).max(0.0);
                    d * d
                })
                .sum();
            if best_choice.as_ref().is_none_or(|b| pot < b.0) {
                best_choice = Some((pot, pick, s));
            }
        }
        if let Some((_, pick, s)) = best_choice {
            set_centroid_to_row(x, rows[pick] as usize, j, k, &mut c);
            for (b, v) in best_sim.iter_mut().zip(s) {
                if v > *b {
                    *b = v;
                }
            }
        }
    }
    c
}

/// Lloyd iterations from the given centroids. Empty clusters are re-seeded with the rows least
/// similar to their centroid.
fn lloyd(x: &Csr, rows: &[u32], k: usize, mut c: Vec<f32>, max_iter: usize) -> KMeans {
    let (mut a, mut s) = assign(x, rows, &c, k);
    for _ in 0..max_iter {
        let sizes = update(x, rows, &a, k, &mut c);
        let empty: Vec<usize> = (0..k).filter(|&j| sizes[j] == 0).collect();
        if !empty.is_empty() {
            let mut order: Vec<usize> = (0..rows.len()).collect();
            order.sort_by(|&p, &q| s[p].total_cmp(&s[q]).then(p.cmp(&q)));
            for (j, &p) in empty.iter().zip(order.iter()) {
                set_centroid_to_row(x, rows[p] as usize, *j, k, &mut c);
            }
        }
        let (na, ns) = assign(x, rows, &c, k);
        let changed = na.iter().zip(&a).filter(|(p, q)| p != q).count();
        a = na;
        s = ns;

        if empty.is_empty() && (changed as f64) <= 0.002 * rows.len() as f64 {
            break;
        }
    }
    KMeans {
        k,
        centroids: c,
        assign: a,
        sim: s,
    }
}

/// Spherical k-means of `rows`. `sample` (a subset of `rows`) is used for initialisation:
/// k-means++ and `sample_iter` Lloyd iterations run on a compact copy of the sample (its rows
/// contiguous, its columns renumbered), then at most `max_iter` iterations on all rows.
pub fn fit(
    x: &Csr,
    rows: &[u32],
    sample: &[u32],
    k: usize,
    seed: u64,
    max_iter: usize,
    sample_iter: usize,
) -> KMeans {
    let k = k.max(1).min(rows.len().max(1));
    let mut rng = Rng::new(seed ^ (k as u64).wrapping_mul(0x9E37_79B9));
    let (xs, cols) = x.subset(sample);
    let srows: Vec<u32> = (0..sample.len() as u32).collect();
    let init = kmeanspp(&xs, &srows, k, &mut rng);
    let warm = lloyd(&xs, &srows, k, init, sample_iter.max(1));
    // Back to the full column space.
    let mut c = vec![0f32; x.ncols * k];
    for (lf, &gf) in cols.iter().enumerate() {
        c[gf as usize * k..(gf as usize + 1) * k]
            .copy_from_slice(&warm.centroids[lf * k..(lf + 1) * k]);
    }
    if sample.len() == rows.len() {
        return KMeans {
            k,
            centroids: c,
            assign: warm.assign,
            sim: warm.sim,
        };
    }
    lloyd(x, rows, k, c, max_iter.max(1))
}

/// Mean silhouette of a labelling of a few rows, with cosine distance from a Gram matrix.
pub fn silhouette(gram: &[f32], n: usize, labels: &[u32], k: usize) -> f64 {
    if n < 2 || k < 2 {
        return 0.0;
    }
    let mut sizes = vec![0usize; k];
    for &l in labels {
        sizes[l as usize] += 1;
    }
    let total: f64 = (0..n)
        .into_par_iter()
        .map(|i| {
            let mut sum = vec![0f64; k];
            let row = &gram[i * n..(i + 1) * n];
            for (j, &g) in row.iter().enumerate() {
                if j != i {
                    sum[labels[j] as usize] += 1.0 - g as f64;
                }
            }
            let li = labels[i] as usize;
            if sizes[li] <= 1 {
                return 0.0;
            }
            let a = sum[li] / (sizes[li] - 1) as f64;
            let b = (0..k)
                .filter(|&c| c != li && sizes[c] > 0)
                .map(|c| sum[c] / sizes[c] as f64)
                .fold(f64::INFINITY, f64::min);
            if !b.is_finite() {
                return 0.0;
            }
            let m = a.max(b);
            if m > 0.0 {
                (b - a) / m
            } else {
                0.0
            }
        })
        .collect::<Vec<f64>>()
        .iter()
        .sum();
    total / n as f64
}

/// Gram matrix (cosine similarities) of a few rows, via an inverted index over their terms.
pub fn gram(x: &Csr, rows: &[u32]) -> Vec<f32> {
    let n = rows.len();
    // Postings: feature -> (position, weight), features in increasing order.
    let mut postings: Vec<(u32, u32, f32)> = Vec::new();
    for (i, &r) in rows.iter().enumerate() {
        let (idx, val) = x.row(r as usize);
        for (&f, &w) in idx.iter().zip(val) {
            postings.push((f, i as u32, w));
        }
    }
    postings.sort_unstable_by_key(|p| (p.0, p.1));
    let mut starts: crate::util::FxHashMap<u32, (usize, usize)> = Default::default();
    let mut i = 0;
    while i < postings.len() {
        let mut j = i + 1;
        while j < postings.len() && postings[j].0 == postings[i].0 {
            j += 1;
        }
        starts.insert(postings[i].0, (i, j));
        i = j;
    }
    let out: Vec<Vec<f32>> = (0..n)
        .into_par_iter()
        .map(|a| {
            let mut row = vec![0f32; n];
            let (idx, val) = x.row(rows[a] as usize);
            for (&f, &w) in idx.iter().zip(val) {
                if let Some(&(s, e)) = starts.get(&f) {
                    for &(_, b, v) in &postings[s..e] {
                        row[b as usize] += w * v;
                    }
                }
            }
            row
        })
        .collect();
    out.concat()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toy() -> Csr {
        // Two obvious groups on features {0,1} and {2,3}.
        let rows: Vec<Vec<(u32, f32)>> = vec![
            vec![(0, 1.0)],
            vec![(0, 0.8), (1, 0.6)],
            vec![(1, 1.0)],
            vec![(2, 1.0)],
            vec![(2, 0.6), (3, 0.8)],
            vec![(3, 1.0)],
        ];
        let mut m = Csr {
            indptr: vec![0],
            ncols: 4,
            ..Default::default()
        };
        for r in rows {
            for (i, v) in r {
                m.indices.push(i);
                m.data.push(v);
            }
            m.indptr.push(m.indices.len());
        }
        m
    }

    #[test]
    fn separates_two_groups() {
        let x = toy();
        let rows: Vec<u32> = (0..6).collect();
        let km = fit(&x, &rows, &rows, 2, 7, 10, 10);
        assert_eq!(km.assign[0], km.assign[1]);
        assert_eq!(km.assign[1], km.assign[2]);
        assert_eq!(km.assign[3], km.assign[5]);
        assert_ne!(km.assign[0], km.assign[3]);
        let g = gram(&x, &rows);
        let s2 = silhouette(&g, 6, &km.assign, 2);
        assert!(s2 > 0.3, "{s2}");
        let bad = [0, 1, 0, 1, 0, 1];
        assert!(silhouette(&g, 6, &bad, 2) < s2);
    }
}
