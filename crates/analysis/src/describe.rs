//! Describing clusters to people: keyphrases, labels and representative contributions.
//!
//! - Keyphrases: class-based TF-IDF (c-TF-IDF, as in BERTopic) over document frequencies,
//!   `p(term | theme) * ln(1 + A / f(term))` with `A` the mean number of term occurrences per
//!   theme. A single word already contained in a chosen phrase is skipped. Every term is shown
//!   in its most frequent written form ("impôt sur le revenu", never the stem "impot revenu").
//! - Representatives: maximal marginal relevance over the texts closest to the centroid, so the
//!   picks are central *and* different from each other; near-identical texts are skipped.

use std::collections::BTreeMap;

use rayon::prelude::*;

use crate::corpus::{for_each_term, Corpus};
use crate::dedup::Distinct;
use crate::features::{Csr, Term};
use crate::model::Keyphrase;
use crate::util::{mix64, round, FxHashMap};

/// Scored candidate terms of each cluster, best first.
pub fn ctfidf(x: &Csr, clusters: &[Vec<u32>], top: usize) -> Vec<Vec<(u32, f64)>> {
    let counts: Vec<Vec<(u32, u32)>> = clusters
        .par_iter()
        .map(|rows| {
            let mut dense = vec![0u32; x.ncols];
            for &r in rows {
                for &f in x.row(r as usize).0 {
                    dense[f as usize] += 1;
                }
            }
            dense
                .iter()
                .enumerate()
                .filter(|(_, &c)| c > 0)
                .map(|(f, &c)| (f as u32, c))
                .collect()
        })
        .collect();
    let mut total = vec![0u64; x.ncols];
    let mut all = 0u64;
    for c in &counts {
        for &(f, n) in c {
            total[f as usize] += n as u64;
            all += n as u64;
        }
    }
    let avg = all as f64 / clusters.len().max(1) as f64;
    let n_rows: usize = clusters.iter().map(|c| c.len()).sum();
    counts
        .par_iter()
        .zip(clusters.par_iter())
        .map(|(c, rows)| {
            let sum: u64 = c.iter().map(|&(_, n)| n as u64).sum();
            // A phrase met once is anecdote, not a theme (unless the cluster is tiny).
            let floor = if rows.len() >= 20 { 2 } else { 1 };
            // Over-represented terms only (lift >= 1.5): "il faut" everywhere describes nothing.
            let lift = |f: u32, n: u32| {
                let p_c = n as f64 / rows.len().max(1) as f64;
                let p = total[f as usize] as f64 / n_rows.max(1) as f64;
                p_c / p.max(1e-12)
            };
            let single = clusters.len() < 2;
            let mut scored: Vec<(u32, f64)> = c
                .iter()
                .filter(|&&(f, n)| n >= floor && (single || lift(f, n) >= 1.5))
                .map(|&(f, n)| {
                    let p = n as f64 / sum.max(1) as f64;
                    (f, p * (1.0 + avg / total[f as usize] as f64).ln())
                })
                .collect();
            scored.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            scored.truncate(top);
            scored
        })
        .collect()
}

/// Pick keyphrases from scored terms: skip single words already inside a chosen phrase.
pub fn pick_keyphrases(
    scored: &[(u32, f64)],
    terms: &[Term],
    n: usize,
    surfaces: &Surfaces,
) -> Vec<Keyphrase> {
    let mut chosen: Vec<u32> = Vec::new();
    for &(f, _) in scored {
        if chosen.len() >= n {
            break;
        }
        let text = surfaces.of(f);
        // Same words but for a plural ("appliquer la loi" / "appliquer les lois"): said already.
        if text.is_empty()
            || chosen
                .iter()
                .any(|&c| loose(&surfaces.of(c)) == loose(&text))
        {
            continue;
        }
        match terms[f as usize] {
            Term::Unigram(s) => {
                // Already said by a chosen phrase.
                let covered = chosen.iter().any(|&c| match terms[c as usize] {
                    Term::Bigram(a, b) => a == s || b == s,
                    Term::Unigram(_) => false,
                });
                if !covered {
                    chosen.push(f);
                }
            }
            Term::Bigram(a, b) => {
                // The phrase replaces its single words chosen earlier, at the first one's place.
                let inside =
                    |c: &u32| matches!(terms[*c as usize], Term::Unigram(s) if s == a || s == b);
                match chosen.iter().position(inside) {
                    Some(p) => {
                        chosen[p] = f;
                        let mut i = p + 1;
                        while i < chosen.len() {
                            if inside(&chosen[i]) {
                                chosen.remove(i);
                            } else {
                                i += 1;
                            }
                        }
                    }
                    None => chosen.push(f),
                }
            }
        }
    }
    let max = scored.first().map(|s| s.1).unwrap_or(1.0).max(1e-12);
    chosen
        .iter()
        .map(|&f| {
            let score = scored.iter().find(|s| s.0 == f).map(|s| s.1).unwrap_or(0.0);
            Keyphrase {
                text: surfaces.of(f),
                score: round(score / max, 3),
            }
        })
        .collect()
}

/// Content-ish skeleton of a phrase for near-identity: long words, trailing s/x dropped.
fn loose(s: &str) -> Vec<String> {
    s.split(|c: char| c.is_whitespace() || c == '\'')
        .filter(|w| w.chars().count() > 3)
        .map(|w| w.trim_end_matches(['s', 'x']).to_string())
        .collect()
}

/// A short label from the first keyphrases: "Impôt sur le revenu, justice fiscale".
pub fn label(keyphrases: &[Keyphrase]) -> String {
    let mut out = String::new();
    for k in keyphrases.iter().take(3) {
        if !out.is_empty() && out.chars().count() + k.text.chars().count() > 50 {
            break;
        }
        if !out.is_empty() {
            out.push_str(", ");
        }
        out.push_str(&k.text);
    }
    if out.is_empty() {
        return "Sans mot-clé".to_string();
    }
    let mut chars = out.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().collect::<String>() + chars.as_str(),
        None => out,
    }
}

const SURFACE_SAMPLE: usize = 60_000;

/// Written forms of terms.
pub struct Surfaces {
    map: BTreeMap<u32, String>,
}

impl Surfaces {
    pub fn of(&self, f: u32) -> String {
        self.map.get(&f).cloned().unwrap_or_default()
    }

    /// Compute the most frequent written form of each feature in `needed`.
    pub fn build(
        corpus: &Corpus,
        distinct: &Distinct,
        terms: &[Term],
        needed: &[u32],
        bigrams: bool,
    ) -> Surfaces {
        // Single words: the most frequent word of each stem.
        let mut best_word: Vec<(u32, u32)> = vec![(0, u32::MAX); corpus.stems.len()];
        for (w, &s) in corpus.word_stem.iter().enumerate() {
            if s == crate::corpus::NO_STEM {
                continue;
            }
            let cur = best_word[s as usize];
            let cnt = corpus.word_count[w];
            let better = cur.1 == u32::MAX
                || cnt > cur.0
                || (cnt == cur.0 && corpus.words[w] < corpus.words[cur.1 as usize]);
            if better {
                best_word[s as usize] = (cnt, w as u32);
            }
        }
        let mut map = BTreeMap::new();
        let mut wanted: FxHashMap<u64, u32> = FxHashMap::default();
        for &f in needed {
            match terms[f as usize] {
                Term::Unigram(s) => {
                    let w = best_word[s as usize].1;
                    if w != u32::MAX {
                        map.insert(f, corpus.words[w as usize].clone());
                    }
                }
                Term::Bigram(a, b) => {
                    wanted.insert(((a as u64) << 32) | b as u64, f);
                }
            }
        }
        if bigrams && !wanted.is_empty() {
            // Phrases: count written spans (with their stop words) of the wanted bigrams.
            type Counts = FxHashMap<(u32, u64), (u32, Vec<u32>)>;
            // A large sample of distinct texts (canonical order is a hash order) is plenty to
            // find the most frequent form.
            let reps = &distinct.rep[..distinct.rep.len().min(SURFACE_SAMPLE)];
            let counts: Counts = reps
                .par_chunks(8192)
                .map(|chunk| {
                    let mut c: Counts = FxHashMap::default();
                    for &d in chunk {
                        for_each_term(
                            corpus,
                            corpus.doc_tokens(d as usize),
                            true,
                            |_| {},
                            |a, b, span| {
                                if let Some(&f) = wanted.get(&(((a as u64) << 32) | b as u64)) {
                                    let h = span.iter().fold(0u64, |h, &w| mix64(h ^ w as u64));
                                    c.entry((f, h)).or_insert_with(|| (0, span.to_vec())).0 += 1;
                                }
                            },
                        );
                    }
                    c
                })
                .reduce(FxHashMap::default, |mut a, b| {
                    for (k, v) in b {
                        a.entry(k).or_insert((0, v.1)).0 += v.0;
                    }
                    a
                });
            let mut best: BTreeMap<u32, (u32, String)> = BTreeMap::new();
            for ((f, _), (n, span)) in counts {
                let text = render_span(corpus, &span);
                let e = best.entry(f).or_insert((0, String::new()));
                if n > e.0 || (n == e.0 && text < e.1) {
                    *e = (n, text);
                }
            }
            for (f, (_, text)) in best {
                map.insert(f, text);
            }
            // Phrases not met in the sample: their words' usual forms.
            for (&key, &f) in wanted.iter() {
                if map.contains_key(&f) {
                    continue;
                }
                let (a, b) = ((key >> 32) as usize, (key & 0xffff_ffff) as usize);
                let (wa, wb) = (best_word[a].1, best_word[b].1);
                if wa != u32::MAX && wb != u32::MAX {
                    map.insert(
                        f,
                        format!(
                            "{} {}",
                            corpus.words[wa as usize], corpus.words[wb as usize]
                        ),
                    );
                }
            }
        }
        Surfaces { map }
    }
}

fn render_span(corpus: &Corpus, span: &[u32]) -> String {
    let mut out = String::new();
    for &w in span {
        let word = &corpus.words[w as usize];
        if !out.is_empty() && !out.ends_with('\'') {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// Maximal marginal relevance: `n` rows among `rows` (with similarity `sim` to the centroid),
/// trading centrality against redundancy; rows nearly identical to a pick are skipped.
pub fn mmr(
    x: &Csr,
    rows: &[u32],
    sim: &[f32],
    n: usize,
    long_enough: &dyn Fn(u32) -> bool,
) -> Vec<u32> {
    const LAMBDA: f32 = 0.6;
    const POOL: usize = 40;
    const TOO_SIMILAR: f32 = 0.85;
    let mut order: Vec<usize> = (0..rows.len()).collect();
    order.sort_by(|&a, &b| sim[b].total_cmp(&sim[a]).then(rows[a].cmp(&rows[b])));
    // Prefer texts with some substance when there are enough of them.
    let substantial: Vec<usize> = order
        .iter()
        .copied()
        .filter(|&i| long_enough(rows[i]))
        .take(POOL)
        .collect();
    let pool: Vec<usize> = if substantial.len() >= n.min(order.len()) {
        substantial
    } else {
        order.into_iter().take(POOL).collect()
    };
    let mut picked: Vec<usize> = Vec::new();
    let mut max_red = vec![0f32; pool.len()];
    let mut used = vec![false; pool.len()];
    while picked.len() < n {
        let mut best: Option<(f32, usize)> = None;
        for (p, &i) in pool.iter().enumerate() {
            if used[p] || max_red[p] > TOO_SIMILAR {
                continue;
            }
            let score = LAMBDA * sim[i] - (1.0 - LAMBDA) * max_red[p];
            if best.is_none_or(|b| score > b.0) {
                best = Some((score, p));
            }
        }
        let Some((_, p)) = best else { break };
        used[p] = true;
        let chosen = pool[p];
        picked.push(chosen);
        for (q, &i) in pool.iter().enumerate() {
            if !used[q] {
                let s = x.dot(rows[i] as usize, rows[chosen] as usize);
                if s > max_red[q] {
                    max_red[q] = s;
                }
            }
        }
    }
    picked.into_iter().map(|i| rows[i]).collect()
}
