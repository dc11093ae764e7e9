//! The analysis pipeline, stage by stage. See the crate documentation for the method.

use std::collections::BTreeMap;

use crate::cluster::{self, KMeans};
use crate::corpus::Corpus;
use crate::dedup::{self, Distinct, NONE};
use crate::describe::{self, Surfaces};
use crate::embed;
use crate::eval;
use crate::features::{self, Features};
use crate::input::{Document, Error};
use crate::model::*;
use crate::phrases::{self, Generic};
use crate::util::{excerpt, round, sentence_excerpt, trace, FxHashMap, Rng};
use rayon::prelude::*;
use std::time::Instant;

const SILHOUETTE_SAMPLE: usize = 2000;
/// Texts on which each candidate number of themes is tried.
const K_SAMPLE: usize = 10_000;
/// Smaller probes for sub-themes: many themes, each a small problem.
const SUB_SILHOUETTE_SAMPLE: usize = 500;
const SUB_SAMPLE: usize = 1500;
const MAX_CANDIDATES: usize = 10;
const TOP_TERMS_PER_DOC: usize = 3;
const EXCERPT_CHARS: usize = 280;
const PHRASES_PER_THEME: usize = 80;

/// Analyse contributions. `progress` receives each stage with a completion fraction in [0, 1].
pub fn analyze(
    docs: &[Document],
    settings: &Settings,
    progress: &dyn Fn(Stage, f32),
) -> Result<Analysis, Error> {
    settings.validate().map_err(Error::InvalidSettings)?;
    if docs.is_empty() {
        return Err(Error::EmptyInput);
    }
    progress(Stage::Tokenizing, 0.0);
    let texts: Vec<&str> = docs.iter().map(|d| d.text.as_str()).collect();
    let t = Instant::now();
    let corpus = Corpus::build(&texts);
    trace("tokenize", t);
    drop(texts);

    progress(Stage::Duplicates, 0.1);
    let t = Instant::now();
    let distinct = dedup::exact(&corpus);
    trace("exact", t);
    let near = dedup::near(
        &corpus,
        &distinct,
        settings.near_duplicate_threshold,
        settings.seed,
    );
    trace("near", t);

    progress(Stage::Vectorizing, 0.25);
    let t = Instant::now();
    let feats = features::build(
        &corpus,
        &distinct,
        settings.min_df,
        settings.max_df,
        settings.bigrams,
        settings.max_vocabulary,
    );
    trace("features", t);
    if std::env::var_os("CONCORDE_ANALYSIS_TRACE").is_some() {
        eprintln!(
            "[analysis] rows {} vocabulary {} nnz {}",
            feats.matrix.rows(),
            feats.terms.len(),
            feats.matrix.indices.len()
        );
    }
    let x = &feats.matrix;
    // Clustering sees each row with its word-vector part when there is one.
    let t = Instant::now();
    let augmented = if settings.word_vectors > 0 && distinct.rep.len() >= embed::MIN_TEXTS {
        embed::learn(
            &corpus,
            &distinct,
            &feats.terms,
            settings.word_vectors,
            settings.seed,
        )
        .map(|wv| embed::augment(x, &wv, settings.vector_weight as f32))
    } else {
        None
    };
    let xc = augmented.as_ref().unwrap_or(x);
    trace("word vectors", t);
    // Rows (distinct texts) with at least one term take part in clustering.
    let rows: Vec<u32> = (0..x.rows() as u32)
        .filter(|&r| !x.row(r as usize).0.is_empty())
        .collect();

    progress(Stage::ChoosingThemes, 0.35);
    let mut rng = Rng::new(settings.seed);
    let sample: Vec<u32> = rng
        .sample_indices(rows.len(), settings.sample_size.max(100))
        .into_iter()
        .map(|i| rows[i])
        .collect();
    let t = Instant::now();
    // The choice of k runs one k-means per candidate: a part of the sample is enough (the
    // sample is in canonical, i.e. hash, order, so its prefix is itself a random sample).
    let (k, selection) = choose_k(
        xc,
        &rows,
        &sample[..sample.len().min(K_SAMPLE)],
        settings.min_themes,
        settings.max_themes,
        settings.seed,
        SILHOUETTE_SAMPLE,
    );

    trace("choose_k", t);
    progress(Stage::Clustering, 0.5);
    let t = Instant::now();
    let mut themes_of_row: Vec<i32> = vec![-1; x.rows()];
    let mut sim_of_row: Vec<f32> = vec![0.0; x.rows()];
    let mut km: Option<KMeans> = None;
    if !rows.is_empty() {
        let fitted = cluster::fit(
            xc,
            &rows,
            &sample,
            k,
            settings.seed,
            settings.max_iterations,
            30,
        );
        let min_size = if settings.min_theme_size == 0 {
            ((rows.len() as f64 * 0.001).ceil() as usize).max(3)
        } else {
            settings.min_theme_size
        };
        let fitted = dissolve_small(xc, &rows, fitted, min_size.min(rows.len()));
        for (i, &r) in rows.iter().enumerate() {
            sim_of_row[r as usize] = fitted.sim[i];
            if (fitted.sim[i] as f64) >= settings.min_similarity {
                themes_of_row[r as usize] = fitted.assign[i] as i32;
            }
        }
        km = Some(fitted);
    }

    trace("kmeans", t);
    // The word-vector part served clustering only: free it before describing.
    drop(augmented);
    progress(Stage::Describing, 0.75);
    Ok(describe_all(
        docs,
        settings,
        &corpus,
        &distinct,
        &near,
        &feats,
        km.as_ref(),
        &themes_of_row,
        &sim_of_row,
        selection,
        progress,
    ))
}

/// Candidate numbers of themes: all of a small range, else a geometric grid.
fn candidates(min: usize, max: usize) -> Vec<usize> {
    if max - min < MAX_CANDIDATES {
        return (min..=max).collect();
    }
    let mut out: Vec<usize> = (0..MAX_CANDIDATES)
        .map(|i| {
            let t = i as f64 / (MAX_CANDIDATES - 1) as f64;
            (min as f64 * (max as f64 / min as f64).powf(t)).round() as usize
        })
        .collect();
    out.dedup();
    out
}

/// Choose k within `[min, max]`. For each candidate k, spherical k-means runs on the sample and
/// records its cohesion (mean cosine similarity to the centroids, which always grows with k) and
/// its silhouette (cosine, on a probe of the sample; on sparse text it also tends to grow with k,
/// so it is reported, not maximised). The choice is the knee of the cohesion curve ("Kneedle":
/// the candidate farthest above the chord between the first and last candidates, both axes
/// normalised), i.e. the point after which more themes buy little extra cohesion.
#[allow(clippy::too_many_arguments)]
fn choose_k(
    x: &features::Csr,
    rows: &[u32],
    sample: &[u32],
    min: usize,
    max: usize,
    seed: u64,
    probe_size: usize,
) -> (usize, Vec<KScore>) {
    let n = rows.len();
    if n == 0 {
        return (0, Vec::new());
    }
    let max = max.min(n);
    let min = min.min(max);
    if min == max || n < 4 {
        return (max, Vec::new());
    }
    let mut rng = Rng::new(seed ^ 0x5111_0e77);
    let probe: Vec<usize> = rng.sample_indices(sample.len(), probe_size);
    let probe_rows: Vec<u32> = probe.iter().map(|&i| sample[i]).collect();
    let gram = cluster::gram(x, &probe_rows);
    let cands: Vec<usize> = candidates(min, max)
        .into_iter()
        .filter(|&k| k >= 1)
        .collect();
    let mut scores = Vec::new();
    for &k in &cands {
        let km = cluster::fit(x, sample, sample, k, seed, 15, 15);
        let labels: Vec<u32> = probe.iter().map(|&i| km.assign[i]).collect();
        let s = cluster::silhouette(&gram, probe_rows.len(), &labels, km.k);
        let cohesion = km.sim.iter().map(|&v| v as f64).sum::<f64>() / km.sim.len().max(1) as f64;
        scores.push(KScore {
            k,
            cohesion: round(cohesion, 4),
            silhouette: round(s, 4),
        });
    }
    (knee_within_separation(&scores), scores)
}

/// Share of the best silhouette a candidate must keep to be chosen.
const SEPARATION_KEPT: f64 = 0.8;

/// The knee of the cohesion curve, but never beyond the largest k whose silhouette is still
/// within [`SEPARATION_KEPT`] of the best one. With word vectors in the rows the silhouette is
/// informative (it falls as themes are split beyond what the texts separate), and this keeps a
/// corpus answering four questions from being cut into twenty themes, while a corpus with many
/// well-separated subjects keeps its knee.
fn knee_within_separation(scores: &[KScore]) -> usize {
    let k = knee(scores);
    let best = scores
        .iter()
        .map(|s| s.silhouette)
        .fold(f64::NEG_INFINITY, f64::max);
    if scores.len() < 3 || best <= 0.0 {
        return k;
    }
    let cap = scores
        .iter()
        .filter(|s| s.silhouette >= SEPARATION_KEPT * best)
        .map(|s| s.k)
        .max()
        .unwrap_or(k);
    k.min(cap)
}

/// Knee of an increasing curve of cohesion against k (ties: the smaller k).
fn knee(scores: &[KScore]) -> usize {
    let (Some(first), Some(last)) = (scores.first(), scores.last()) else {
        return 1;
    };
    if scores.len() < 3 || last.cohesion <= first.cohesion {
        // Too few points for a knee: the best silhouette.
        return scores
            .iter()
            .fold(first, |b, s| {
                if s.silhouette > b.silhouette + 1e-9 {
                    s
                } else {
                    b
                }
            })
            .k;
    }
    let (k0, k1) = (first.k as f64, last.k as f64);
    let (c0, c1) = (first.cohesion, last.cohesion);
    let mut best = (first.k, f64::NEG_INFINITY);
    for s in scores {
        let xn = (s.k as f64 - k0) / (k1 - k0);
        let yn = (s.cohesion - c0) / (c1 - c0);
        let d = yn - xn;
        if d > best.1 + 1e-9 {
            best = (s.k, d);
        }
    }
    best.0
}

/// Drop clusters with fewer than `min_size` rows and reassign their rows to the others.
fn dissolve_small(x: &features::Csr, rows: &[u32], km: KMeans, min_size: usize) -> KMeans {
    let k = km.k;
    let mut sizes = vec![0usize; k];
    for &a in &km.assign {
        sizes[a as usize] += 1;
    }
    let keep: Vec<usize> = (0..k).filter(|&j| sizes[j] >= min_size).collect();
    if keep.len() == k || keep.is_empty() {
        return km;
    }
    let nk = keep.len();
    let mut c = vec![0f32; x.ncols * nk];
    for f in 0..x.ncols {
        for (nj, &j) in keep.iter().enumerate() {
            c[f * nk + nj] = km.centroids[f * k + j];
        }
    }
    let (assign, sim) = cluster::assign(x, rows, &c, nk);
    KMeans {
        k: nk,
        centroids: c,
        assign,
        sim,
    }
}

/// Readable representatives: whole sentences, neither fragments nor pages.
fn word_count_ok<'a>(
    corpus: &'a Corpus,
    distinct: &'a Distinct,
    min_words: usize,
    max_words: usize,
) -> impl Fn(u32) -> bool + 'a {
    move |row| {
        let n = corpus.word_len(distinct.rep[row as usize] as usize);
        n >= min_words && n <= max_words
    }
}

#[allow(clippy::too_many_arguments)]
fn describe_all(
    docs: &[Document],
    settings: &Settings,
    corpus: &Corpus,
    distinct: &Distinct,
    near: &[Vec<u32>],
    feats: &Features,
    km: Option<&KMeans>,
    themes_of_row: &[i32],
    sim_of_row: &[f32],
    selection: Vec<KScore>,
    progress: &dyn Fn(Stage, f32),
) -> Analysis {
    let x = &feats.matrix;
    let n = docs.len();
    let k = km.map(|m| m.k).unwrap_or(0);

    // Rows and contribution counts per cluster.
    let mut members: Vec<Vec<u32>> = vec![Vec::new(); k];
    for (r, &t) in themes_of_row.iter().enumerate() {
        if t >= 0 {
            members[t as usize].push(r as u32);
        }
    }
    let mut doc_size = vec![0usize; k];
    for d in 0..n {
        let u = distinct.of_doc[d];
        if u != NONE && themes_of_row[u as usize] >= 0 {
            doc_size[themes_of_row[u as usize] as usize] += 1;
        }
    }

    // Keyphrase candidates, then order clusters by size (ties: best keyphrase id).
    let scored = describe::ctfidf(x, &members, 60);
    let mut order: Vec<usize> = (0..k).filter(|&j| !members[j].is_empty()).collect();
    order.sort_by(|&a, &b| {
        doc_size[b]
            .cmp(&doc_size[a])
            .then(members[b].len().cmp(&members[a].len()))
            .then(
                scored[a]
                    .first()
                    .map(|s| s.0)
                    .cmp(&scored[b].first().map(|s| s.0)),
            )
    });
    let mut new_id = vec![-1i32; k];
    for (i, &j) in order.iter().enumerate() {
        new_id[j] = i as i32;
    }

    let t = Instant::now();
    // Sub-themes of large themes.
    let mut sub_of_row: Vec<i32> = vec![-1; x.rows()];
    // Themes are independent: fit them in parallel (each fit is deterministic on its own).
    let subs: Vec<Option<SubFit>> = order
        .par_iter()
        .map(|&j| {
            if settings.subthemes && members[j].len() >= settings.subtheme_min_size.max(4) {
                Some(fit_subthemes(x, &members[j], settings))
            } else {
                None
            }
        })
        .collect();
    for (i, &j) in order.iter().enumerate() {
        if let Some(f) = &subs[i] {
            for (p, &r) in members[j].iter().enumerate() {
                sub_of_row[r as usize] = f.assign[p] as i32;
            }
        }
    }
    trace("subthemes", t);
    let t = Instant::now();
    // Per-row top terms (the features weighing most towards its theme).
    let mut top_feats: Vec<Vec<u32>> = vec![Vec::new(); x.rows()];
    if let Some(m) = km {
        for (r, &t) in themes_of_row.iter().enumerate() {
            if t < 0 {
                continue;
            }
            let (idx, val) = x.row(r);
            let mut contrib: Vec<(f32, u32)> = idx
                .iter()
                .zip(val)
                .map(|(&f, &w)| (w * m.centroids[f as usize * k + t as usize], f))
                .filter(|c| c.0 > 0.0)
                .collect();
            contrib.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
            top_feats[r] = contrib
                .iter()
                .take(TOP_TERMS_PER_DOC)
                .map(|c| c.1)
                .collect();
        }
    }

    // Surfaces of every feature we will show.
    let mut needed: Vec<u32> = Vec::new();
    for &j in &order {
        needed.extend(scored[j].iter().map(|s| s.0));
    }
    for s in subs.iter().flatten() {
        for sc in &s.scored {
            needed.extend(sc.iter().map(|s| s.0));
        }
    }
    for t in &top_feats {
        needed.extend(t);
    }
    needed.sort_unstable();
    needed.dedup();
    let surfaces = Surfaces::build(corpus, distinct, &feats.terms, &needed, settings.bigrams);
    trace("top terms + surfaces", t);
    let t = Instant::now();
    progress(Stage::Describing, 0.85);

    // Duplicate groups.
    let (duplicates, exact_group, near_group) =
        duplicate_groups(docs, corpus, distinct, near, settings);
    let near_group_of_row: Vec<i32> = {
        let mut g = vec![-1i32; x.rows()];
        for (i, comp) in near.iter().enumerate() {
            for &u in comp {
                g[u as usize] = i as i32;
            }
        }
        g
    };

    // Phrases of each theme, distinctive against the rest of the corpus.
    let generic = Generic::new(corpus);
    let central: Vec<Vec<u32>> = order
        .iter()
        .map(|&j| by_centrality(&members[j], sim_of_row))
        .collect();
    let universe: Vec<u32> = (0..x.rows() as u32)
        .filter(|&r| !x.row(r as usize).0.is_empty())
        .collect();
    let theme_of = |r: u32| {
        let t = themes_of_row[r as usize];
        if t >= 0 {
            new_id[t as usize]
        } else {
            -1
        }
    };
    let theme_phrases = phrases::score_groups(
        corpus,
        distinct,
        &generic,
        &central,
        &universe,
        &theme_of,
        PHRASES_PER_THEME,
    );
    trace("phrases", t);

    // Themes.
    let long_enough = word_count_ok(corpus, distinct, 8, 150);
    let mut themes: Vec<Theme> = Vec::with_capacity(order.len());
    let mut used_labels: Vec<String> = Vec::new();
    let mut breakdowns: Vec<Breakdown> =
        breakdowns(docs, distinct, themes_of_row, &new_id, order.len());
    for (i, &j) in order.iter().enumerate() {
        let rows = &members[j];
        let sims: Vec<f32> = rows.iter().map(|&r| sim_of_row[r as usize]).collect();
        let words =
            describe::pick_keyphrases(&scored[j], &feats.terms, settings.keyphrases, &surfaces);
        let keyphrases = phrases::keyphrases(
            &theme_phrases[i],
            &words,
            &|s| generic.filler_text(s),
            settings.keyphrases,
        );
        let reps = representatives(
            x,
            rows,
            &sims,
            settings.representatives,
            &long_enough,
            &near_group_of_row,
        );
        let cohesion = weighted_mean(rows, &sims, distinct);
        let subthemes = match &subs[i] {
            Some(s) => s.describe(
                x,
                corpus,
                &generic,
                rows,
                distinct,
                docs,
                settings,
                &surfaces,
                &feats.terms,
                &long_enough,
                &near_group_of_row,
            ),
            None => Vec::new(),
        };
        let label = phrases::label_avoiding(&theme_phrases[i], &keyphrases, &used_labels);
        used_labels.push(label.clone());
        themes.push(Theme {
            id: i,
            label,
            keyphrases,
            size: doc_size[j],
            distinct_texts: rows.len(),
            cohesion: round(cohesion, 3),
            representatives: reps
                .iter()
                .map(|&r| docs[distinct.rep[r] as usize].id.clone())
                .collect(),
            excerpts: reps
                .iter()
                .map(|&r| sentence_excerpt(&docs[distinct.rep[r] as usize].text, EXCERPT_CHARS))
                .collect(),
            breakdown: std::mem::take(&mut breakdowns[i]),
            subthemes,
        });
    }

    // Per-document arrays and the term table.
    let mut term_index: BTreeMap<u32, u32> = BTreeMap::new();
    for t in &top_feats {
        for &f in t {
            term_index.insert(f, 0);
        }
    }
    let mut terms = Vec::with_capacity(term_index.len());
    for (i, (f, idx)) in term_index.iter_mut().enumerate() {
        *idx = i as u32;
        terms.push(surfaces.of(*f));
    }
    let mut docs_out = Assignments {
        ids: Vec::with_capacity(n),
        theme: Vec::with_capacity(n),
        subtheme: Vec::with_capacity(n),
        similarity: Vec::with_capacity(n),
        top_terms: Vec::with_capacity(n),
        exact_group,
        near_group,
    };
    let mut outlier_ids = Vec::new();
    let mut empty = 0usize;
    for (d, doc) in docs.iter().enumerate() {
        docs_out.ids.push(doc.id.clone());
        let u = distinct.of_doc[d];
        let has_terms = u != NONE && !x.row(u as usize).0.is_empty();
        let t = if u == NONE {
            -1
        } else {
            themes_of_row[u as usize]
        };
        if !has_terms {
            empty += 1;
        }
        if t < 0 {
            outlier_ids.push(doc.id.clone());
            docs_out.theme.push(-1);
            docs_out.subtheme.push(-1);
            docs_out.similarity.push(if u == NONE {
                0.0
            } else {
                round(sim_of_row[u as usize] as f64, 3) as f32
            });
            docs_out.top_terms.push(Vec::new());
            continue;
        }
        docs_out.theme.push(new_id[t as usize]);
        docs_out.subtheme.push(sub_of_row[u as usize]);
        docs_out
            .similarity
            .push(round(sim_of_row[u as usize] as f64, 3) as f32);
        docs_out.top_terms.push(
            top_feats[u as usize]
                .iter()
                .map(|f| term_index.get(f).copied().unwrap_or(0))
                .collect(),
        );
    }

    trace("assemble", t);
    let evaluation = evaluate(docs, &docs_out.theme);
    let voices = distinct.rep.len() - near.iter().map(|c| c.len() - 1).sum::<usize>()
        + distinct.of_doc.iter().filter(|&&u| u == NONE).count();
    progress(Stage::Done, 1.0);
    Analysis {
        engine: Engine::current(),
        settings: settings.clone(),
        stats: Stats {
            documents: n,
            distinct_texts: distinct.rep.len(),
            voices,
            empty,
            vocabulary: feats.terms.len(),
            min_df: feats.min_df,
            themes: themes.len(),
            selection,
        },
        themes,
        outliers: Outliers {
            count: outlier_ids.len(),
            empty,
            ids: outlier_ids,
        },
        duplicates,
        evaluation,
        terms,
        documents: docs_out,
    }
}

/// Counts per theme of each field's values (hash maps while counting, sorted maps at the end).
fn breakdowns(
    docs: &[Document],
    distinct: &Distinct,
    themes_of_row: &[i32],
    new_id: &[i32],
    n_themes: usize,
) -> Vec<Breakdown> {
    type Counts<'a> = FxHashMap<&'a str, usize>;
    let mut acc: Vec<[Counts; 5]> = (0..n_themes).map(|_| Default::default()).collect();
    for (d, doc) in docs.iter().enumerate() {
        let u = distinct.of_doc[d];
        if u == NONE || themes_of_row[u as usize] < 0 {
            continue;
        }
        let t = new_id[themes_of_row[u as usize] as usize] as usize;
        let coll = match doc.collective {
            Some(true) => "collective",
            Some(false) => "individual",
            None => "unknown",
        };
        let fields = [
            doc.question.as_deref(),
            doc.category.as_deref(),
            doc.quartier.as_deref(),
            doc.channel.as_deref(),
            Some(coll),
        ];
        for (m, v) in acc[t].iter_mut().zip(fields) {
            if let Some(v) = v {
                *m.entry(v).or_insert(0) += 1;
            }
        }
    }
    let sorted = |m: &Counts| -> BTreeMap<String, usize> {
        m.iter().map(|(k, v)| (k.to_string(), *v)).collect()
    };
    acc.iter()
        .map(|a| Breakdown {
            question: sorted(&a[0]),
            category: sorted(&a[1]),
            quartier: sorted(&a[2]),
            channel: sorted(&a[3]),
            collective: sorted(&a[4]),
        })
        .collect()
}

fn weighted_mean(rows: &[u32], sims: &[f32], distinct: &Distinct) -> f64 {
    let mut s = 0f64;
    let mut w = 0f64;
    for (&r, &v) in rows.iter().zip(sims) {
        let wt = distinct.weight[r as usize] as f64;
        s += v as f64 * wt;
        w += wt;
    }
    if w > 0.0 {
        s / w
    } else {
        0.0
    }
}

/// Representative documents (first document of each picked distinct text).
fn representatives(
    x: &features::Csr,
    rows: &[u32],
    sims: &[f32],
    n: usize,
    long_enough: &dyn Fn(u32) -> bool,
    near_group_of_row: &[i32],
) -> Vec<usize> {
    // Pick more than needed, then drop a second member of the same near-duplicate group.
    let picked = describe::mmr(x, rows, sims, n * 2, long_enough);
    let mut groups = Vec::new();
    let mut out = Vec::new();
    for r in picked {
        let g = near_group_of_row[r as usize];
        if g >= 0 {
            if groups.contains(&g) {
                continue;
            }
            groups.push(g);
        }
        out.push(r);
        if out.len() == n {
            break;
        }
    }
    out.into_iter().map(|r| r as usize).collect::<Vec<usize>>()
}

/// Rows of a theme, most similar to its centre first (ties: row order).
fn by_centrality(rows: &[u32], sim_of_row: &[f32]) -> Vec<u32> {
    let sims: Vec<f32> = rows.iter().map(|&r| sim_of_row[r as usize]).collect();
    by_centrality_local(rows, &sims)
}

fn by_centrality_local(rows: &[u32], sims: &[f32]) -> Vec<u32> {
    let mut idx: Vec<usize> = (0..rows.len()).collect();
    idx.sort_by(|&a, &b| sims[b].total_cmp(&sims[a]).then(rows[a].cmp(&rows[b])));
    idx.into_iter().map(|i| rows[i]).collect()
}

struct SubFit {
    k: usize,
    assign: Vec<u32>,
    sim: Vec<f32>,
    scored: Vec<Vec<(u32, f64)>>,
}

fn fit_subthemes(x: &features::Csr, rows: &[u32], settings: &Settings) -> SubFit {
    // Work on the theme's own columns: dense centroids then stay small.
    let (local, cols) = x.subset(rows);
    let all: Vec<u32> = (0..rows.len() as u32).collect();
    let mut rng = Rng::new(settings.seed ^ rows.len() as u64 ^ rows[0] as u64);
    let sample: Vec<u32> = rng
        .sample_indices(rows.len(), SUB_SAMPLE)
        .into_iter()
        .map(|i| i as u32)
        .collect();
    let (k, _) = choose_k(
        &local,
        &all,
        &sample,
        2,
        settings.max_subthemes,
        settings.seed,
        SUB_SILHOUETTE_SAMPLE,
    );
    let km = cluster::fit(&local, &all, &sample, k.max(2), settings.seed, 3, 10);
    let mut members = vec![Vec::new(); km.k];
    for (i, &a) in km.assign.iter().enumerate() {
        members[a as usize].push(i as u32);
    }
    let scored = describe::ctfidf(&local, &members, 40)
        .into_iter()
        .map(|v| v.into_iter().map(|(f, s)| (cols[f as usize], s)).collect())
        .collect();
    SubFit {
        k: km.k,
        assign: km.assign,
        sim: km.sim,
        scored,
    }
}

impl SubFit {
    #[allow(clippy::too_many_arguments)]
    fn describe(
        &self,
        x: &features::Csr,
        corpus: &Corpus,
        generic: &Generic,
        rows: &[u32],
        distinct: &Distinct,
        docs: &[Document],
        settings: &Settings,
        surfaces: &Surfaces,
        terms: &[features::Term],
        long_enough: &dyn Fn(u32) -> bool,
        near_group_of_row: &[i32],
    ) -> Vec<Subtheme> {
        // Phrases of each sub-theme, distinctive against the rest of its theme.
        let mut local: FxHashMap<u32, i32> = FxHashMap::default();
        let mut groups: Vec<Vec<u32>> = vec![Vec::new(); self.k];
        let mut gsims: Vec<Vec<f32>> = vec![Vec::new(); self.k];
        for (i, &r) in rows.iter().enumerate() {
            local.insert(r, self.assign[i] as i32);
            groups[self.assign[i] as usize].push(r);
            gsims[self.assign[i] as usize].push(self.sim[i]);
        }
        let central: Vec<Vec<u32>> = groups
            .iter()
            .zip(&gsims)
            .map(|(g, s)| by_centrality_local(g, s))
            .collect();
        let group_of = |r: u32| local.get(&r).copied().unwrap_or(-1);
        let sub_phrases =
            phrases::score_groups(corpus, distinct, generic, &central, rows, &group_of, 40);
        let mut out = Vec::new();
        let mut used: Vec<String> = Vec::new();
        #[allow(clippy::needless_range_loop)]
        for j in 0..self.k {
            let idx: Vec<usize> = (0..rows.len())
                .filter(|&i| self.assign[i] == j as u32)
                .collect();
            if idx.is_empty() {
                continue;
            }
            let sub_rows: Vec<u32> = idx.iter().map(|&i| rows[i]).collect();
            let sims: Vec<f32> = idx.iter().map(|&i| self.sim[i]).collect();
            let words = describe::pick_keyphrases(
                &self.scored[j],
                terms,
                settings.keyphrases.min(5),
                surfaces,
            );
            let keyphrases = phrases::keyphrases(
                &sub_phrases[j],
                &words,
                &|s| generic.filler_text(s),
                settings.keyphrases.min(5),
            );
            let reps = representatives(x, &sub_rows, &sims, 3, long_enough, near_group_of_row);
            let size: usize = sub_rows
                .iter()
                .map(|&r| distinct.weight[r as usize] as usize)
                .sum();
            let label = phrases::label_avoiding(&sub_phrases[j], &keyphrases, &used);
            used.push(label.clone());
            out.push(Subtheme {
                id: j,
                label,
                keyphrases,
                size,
                representatives: reps
                    .iter()
                    .map(|&r| docs[distinct.rep[r] as usize].id.clone())
                    .collect(),
                excerpts: reps
                    .iter()
                    .map(|&r| sentence_excerpt(&docs[distinct.rep[r] as usize].text, EXCERPT_CHARS))
                    .collect(),
            });
        }
        out
    }
}

type Groups = (Vec<DuplicateGroup>, Vec<i32>, Vec<i32>);

fn duplicate_groups(
    docs: &[Document],
    corpus: &Corpus,
    distinct: &Distinct,
    near: &[Vec<u32>],
    settings: &Settings,
) -> Groups {
    let n = docs.len();
    let nu = distinct.rep.len();
    let mut docs_of: Vec<Vec<u32>> = vec![Vec::new(); nu];
    for d in 0..n {
        let u = distinct.of_doc[d];
        if u != NONE {
            docs_of[u as usize].push(d as u32);
        }
    }
    let mut groups = Vec::new();
    let mut exact_group = vec![-1i32; n];
    let mut near_group = vec![-1i32; n];
    let campaign = |size: usize, rep_doc: usize| {
        size >= settings.campaign_min_size
            && corpus.word_len(rep_doc) >= settings.campaign_min_words
    };
    // Exact groups, largest first (ties: first document).
    let mut exact: Vec<u32> = (0..nu as u32)
        .filter(|&u| docs_of[u as usize].len() >= 2)
        .collect();
    exact.sort_by_key(|&u| {
        (
            std::cmp::Reverse(docs_of[u as usize].len()),
            docs_of[u as usize][0],
        )
    });
    for u in exact {
        let ds = &docs_of[u as usize];
        let id = groups.len();
        for &d in ds {
            exact_group[d as usize] = id as i32;
        }
        let rep = ds[0] as usize;
        groups.push(DuplicateGroup {
            id,
            kind: DuplicateKind::Exact,
            size: ds.len(),
            distinct_texts: 1,
            campaign: campaign(ds.len(), rep),
            excerpt: excerpt(&docs[rep].text, 200),
            ids: ds.iter().map(|&d| docs[d as usize].id.clone()).collect(),
        });
    }
    let mut comps: Vec<(usize, u32, Vec<u32>)> = near
        .iter()
        .map(|c| {
            let mut ds: Vec<u32> = c
                .iter()
                .flat_map(|&u| docs_of[u as usize].iter().copied())
                .collect();
            ds.sort_unstable();
            (ds.len(), c.len() as u32, ds)
        })
        .collect();
    comps.sort_by(|a, b| b.0.cmp(&a.0).then(a.2[0].cmp(&b.2[0])));
    for (size, nd, ds) in comps {
        let id = groups.len();
        for &d in &ds {
            near_group[d as usize] = id as i32;
        }
        let rep = ds[0] as usize;
        groups.push(DuplicateGroup {
            id,
            kind: DuplicateKind::Near,
            size,
            distinct_texts: nd as usize,
            campaign: campaign(size, rep),
            excerpt: excerpt(&docs[rep].text, 200),
            ids: ds.iter().map(|&d| docs[d as usize].id.clone()).collect(),
        });
    }
    (groups, exact_group, near_group)
}

/// NMI and ARI of the themes (outliers as one more cluster) against the documents' labels.
fn evaluate(docs: &[Document], theme: &[i32]) -> Option<Evaluation> {
    let labelled: Vec<usize> = (0..docs.len())
        .filter(|&d| docs[d].label.is_some())
        .collect();
    if labelled.is_empty() || labelled.len() * 2 < docs.len() {
        return None;
    }
    let labels: Vec<&str> = labelled
        .iter()
        .map(|&d| docs[d].label.as_deref().unwrap_or(""))
        .collect();
    let a = eval::dense_ids_hashed(&labels);
    let clusters: Vec<i32> = labelled.iter().map(|&d| theme[d]).collect();
    let b = eval::dense_ids_hashed(&clusters);
    let n_labels = a.iter().map(|&v| v as usize + 1).max().unwrap_or(0);
    let n_clusters = b.iter().map(|&v| v as usize + 1).max().unwrap_or(0);
    Some(Evaluation {
        nmi: round(eval::nmi(&a, &b), 4),
        ari: round(eval::ari(&a, &b), 4),
        labelled_documents: labelled.len(),
        labels: n_labels,
        clusters: n_clusters,
    })
}

/// Why a contribution sits where it does, from a stored result alone.
pub fn explain(analysis: &Analysis, doc_index: usize) -> Option<Explanation> {
    let a = &analysis.documents;
    let id = a.ids.get(doc_index)?.clone();
    let t = *a.theme.get(doc_index)?;
    let similarity = *a.similarity.get(doc_index)? as f64;
    let top_terms: Vec<String> = a
        .top_terms
        .get(doc_index)
        .map(|v| {
            v.iter()
                .filter_map(|&i| analysis.terms.get(i as usize).cloned())
                .collect()
        })
        .unwrap_or_default();
    let theme = if t >= 0 {
        analysis.themes.get(t as usize)
    } else {
        None
    };
    let sub = a.subtheme.get(doc_index).copied().unwrap_or(-1);
    let matching: Vec<String> = theme
        .map(|th| {
            th.keyphrases
                .iter()
                .filter(|k| {
                    top_terms.iter().any(|t| {
                        k.text == *t
                            || k.text
                                .split_whitespace()
                                .any(|w| t.split_whitespace().any(|v| v == w))
                    })
                })
                .map(|k| k.text.clone())
                .collect()
        })
        .unwrap_or_default();
    let group = |v: &Vec<i32>| v.get(doc_index).and_then(|&g| usize::try_from(g).ok());
    let summary = match theme {
        Some(th) => format!(
            "Classée dans le thème « {} » (similarité {:.2} avec son centre) surtout pour : {}.",
            th.label,
            similarity,
            if top_terms.is_empty() {
                "des mots peu spécifiques".to_string()
            } else {
                top_terms.join(", ")
            }
        ),
        None if similarity == 0.0 => {
            "Hors thème : aucun mot significatif une fois les mots vides retirés.".to_string()
        }
        None => format!(
            "Hors thème : trop éloignée de tous les thèmes (similarité {:.2} au plus proche).",
            similarity
        ),
    };
    Some(Explanation {
        id,
        theme: theme.map(|th| th.id),
        theme_label: theme.map(|th| th.label.clone()),
        subtheme: usize::try_from(sub).ok(),
        similarity,
        top_terms,
        matching_keyphrases: matching,
        exact_group: group(&a.exact_group),
        near_group: group(&a.near_group),
        summary,
    })
}
