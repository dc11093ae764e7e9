//! Assisted coding: learn the analysts' own codes from the contributions they coded by hand,
//! and suggest codes for the others, with a confidence and the terms that drove each suggestion.
//!
//! ## Method
//!
//! - **Vectors**: the engine's own French terms (folded Snowball stems and two-word phrases,
//!   see [`crate::features`]), sublinear TF × smoothed IDF learnt on the coded texts, rows
//!   L2-normalised, plus a constant bias feature.
//! - **One model per code** (one-vs-rest, so a contribution may get several codes): an
//!   L2-regularised linear SVM with squared hinge loss, solved by dual coordinate descent
//!   (Hsieh et al., 2008), the method behind LIBLINEAR. Coordinates are visited in a seeded
//!   order, so training is reproducible.
//! - **Confidence**: margins are turned into probabilities by Platt scaling, fitted on margins
//!   the models gave to texts *they were not trained on* (3-fold cross-validation on the coded
//!   texts): per code when it has at least 30 held-out positives, else pooled over codes.
//!   A confidence of 0.8 therefore means "about 8 in 10 such
//!   suggestions were right on held-out coded texts".
//! - **Suggestions**: the codes whose confidence is at least 0.5 (the best one if none is), kept
//!   when at least `min_confidence`; below, the engine abstains rather than guess.
//! - **Per question**: when coded lines carry `question`, a model is learnt per question that
//!   has enough coded texts ([`MIN_PER_QUESTION`]); other questions use the model of all texts.
//! - **Honesty**: a code with fewer than [`MIN_EXAMPLES`] coded texts is reported as too rare and
//!   never suggested; identical texts coded differently are reported as contradictions.

use std::collections::BTreeMap;
use std::fmt;
use std::io::BufRead;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::corpus::{for_each_term, Corpus};
use crate::input::InputProblem;
use crate::util::{mix64, round, FxHashMap, Rng};

/// A code needs this many coded texts to be learnt.
pub const MIN_EXAMPLES: usize = 3;
/// A question needs this many coded texts for a model of its own.
pub const MIN_PER_QUESTION: usize = 30;
/// Default threshold: suggestions below this confidence are withheld.
pub const DEFAULT_MIN_CONFIDENCE: f64 = 0.8;
const FOLDS: usize = 3;
/// Held-out positives a code needs for a calibration of its own.
const MIN_CALIBRATION: usize = 30;
const C: f64 = 1.0;
const TOP_TERMS: usize = 3;

/// A contribution coded by an analyst.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Coded {
    pub id: String,
    pub text: String,
    pub codes: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub question: Option<String>,
}

/// A contribution to code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Uncoded {
    pub id: String,
    pub text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub question: Option<String>,
}

/// One suggested code.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SuggestedCode {
    pub code: String,
    /// Calibrated probability that the code applies (3 decimals).
    pub confidence: f64,
    /// The contribution's terms that weighed most for this code.
    pub terms: Vec<String>,
}

/// Suggestions for one contribution (empty `codes`: the engine abstains).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Suggestion {
    pub id: String,
    pub codes: Vec<SuggestedCode>,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct CodingSettings {
    pub min_confidence: f64,
    pub seed: u64,
}

impl Default for CodingSettings {
    fn default() -> Self {
        CodingSettings {
            min_confidence: DEFAULT_MIN_CONFIDENCE,
            seed: 42,
        }
    }
}

/// What was learnt, and what could not be.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CodingReport {
    pub coded: usize,
    /// Coded texts per code.
    pub codes: BTreeMap<String, usize>,
    /// Codes with too few coded texts to be learnt (never suggested).
    pub too_rare: Vec<String>,
    /// Pairs of ids whose texts are identical but whose codes differ.
    pub contradictions: Vec<(String, String)>,
    /// Questions with a model of their own.
    pub question_models: Vec<String>,
    /// Platt parameters of the model of all texts: p = 1 / (1 + exp(a·margin + b)).
    pub calibration: (f64, f64),
    pub suggested: usize,
    pub abstained: usize,
}

#[derive(Debug)]
pub enum CodingError {
    /// No usable coded line.
    NoCodedExample,
    /// Coded lines exist but no code has enough examples.
    NothingToLearn(Vec<String>),
    InvalidSettings(String),
}

impl fmt::Display for CodingError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CodingError::NoCodedExample => write!(
                f,
                "no coded example: the training file needs lines with \"text\" and a \"codes\" list, e.g. {{\"id\": \"1\", \"text\": \"…\", \"codes\": [\"transport\"]}}"
            ),
            CodingError::NothingToLearn(codes) => write!(
                f,
                "no code has at least {MIN_EXAMPLES} coded texts (codes seen: {}); code a few more contributions first",
                codes.join(", ")
            ),
            CodingError::InvalidSettings(m) => write!(f, "invalid coding settings: {m}"),
        }
    }
}

impl std::error::Error for CodingError {}

fn id_of(v: Option<&serde_json::Value>, line: usize) -> String {
    match v {
        Some(serde_json::Value::String(s)) => s.clone(),
        Some(serde_json::Value::Number(n)) => n.to_string(),
        _ => format!("line-{line}"),
    }
}

fn parse_object(
    bytes: &[u8],
    line: usize,
) -> Result<Option<serde_json::Map<String, serde_json::Value>>, InputProblem> {
    let problem = |message: String| InputProblem { line, message };
    let s = std::str::from_utf8(bytes)
        .map_err(|e| problem(format!("invalid UTF-8 at byte {}", e.valid_up_to())))?;
    let s = s.trim();
    if s.is_empty() {
        return Ok(None);
    }
    match serde_json::from_str::<serde_json::Value>(s) {
        Ok(serde_json::Value::Object(m)) => Ok(Some(m)),
        Ok(_) => Err(problem("not a JSON object".into())),
        Err(e) => Err(problem(format!("invalid JSON: {e}"))),
    }
}

fn lines(reader: impl BufRead) -> std::io::Result<Vec<(usize, Vec<u8>)>> {
    let mut out = Vec::new();
    for (i, l) in reader.split(b'\n').enumerate() {
        out.push((i + 1, l?));
    }
    Ok(out)
}

/// Read coded contributions: `id`, `text`, `codes` (a list of strings), optional `question`.
/// Bad lines (broken JSON, no text, `codes` missing or not a list of strings) are returned as
/// problems with their line number; reading goes on.
pub fn read_coded(reader: impl BufRead) -> std::io::Result<(Vec<Coded>, Vec<InputProblem>)> {
    let mut out = Vec::new();
    let mut problems = Vec::new();
    for (line, bytes) in lines(reader)? {
        let m = match parse_object(&bytes, line) {
            Ok(Some(m)) => m,
            Ok(None) => continue,
            Err(p) => {
                problems.push(p);
                continue;
            }
        };
        let problem = |message: &str| InputProblem {
            line,
            message: message.to_string(),
        };
        let Some(text) = m.get("text").and_then(|v| v.as_str()) else {
            problems.push(problem("no \"text\" string"));
            continue;
        };
        let codes = match m.get("codes") {
            None => {
                problems.push(problem(
                    "no \"codes\" field: expected a list, e.g. [\"transport\"]",
                ));
                continue;
            }
            Some(serde_json::Value::Array(a)) => {
                let mut codes: Vec<String> = Vec::with_capacity(a.len());
                let mut ok = true;
                for c in a {
                    match c.as_str().map(str::trim) {
                        Some(c) if !c.is_empty() => codes.push(c.to_string()),
                        _ => ok = false,
                    }
                }
                if !ok {
                    problems.push(problem(
                        "\"codes\" must hold non-empty strings, e.g. [\"transport\", \"santé\"]",
                    ));
                    continue;
                }
                codes.sort();
                codes.dedup();
                codes
            }
            Some(other) => {
                let kind = match other {
                    serde_json::Value::String(_) => "a string",
                    serde_json::Value::Number(_) => "a number",
                    serde_json::Value::Object(_) => "an object",
                    serde_json::Value::Bool(_) => "a boolean",
                    _ => "null",
                };
                problems.push(InputProblem {
                    line,
                    message: format!(
                        "\"codes\" is {kind}, not a list: write [\"transport\"] even for one code"
                    ),
                });
                continue;
            }
        };
        out.push(Coded {
            id: id_of(m.get("id"), line),
            text: text.to_string(),
            codes,
            question: m.get("question").and_then(|v| v.as_str()).map(String::from),
        });
    }
    Ok((out, problems))
}

/// Read contributions to code: `id`, `text`, optional `question`.
pub fn read_uncoded(reader: impl BufRead) -> std::io::Result<(Vec<Uncoded>, Vec<InputProblem>)> {
    let mut out = Vec::new();
    let mut problems = Vec::new();
    for (line, bytes) in lines(reader)? {
        match parse_object(&bytes, line) {
            Ok(Some(m)) => match m.get("text").and_then(|v| v.as_str()) {
                Some(text) => out.push(Uncoded {
                    id: id_of(m.get("id"), line),
                    text: text.to_string(),
                    question: m.get("question").and_then(|v| v.as_str()).map(String::from),
                }),
                None => problems.push(InputProblem {
                    line,
                    message: "no \"text\" string".into(),
                }),
            },
            Ok(None) => {}
            Err(p) => problems.push(p),
        }
    }
    Ok((out, problems))
}

/// Sparse rows: (feature, weight), sorted by feature; the bias is implicit.
type Row = Vec<(u32, f32)>;

const UNI: u64 = 1 << 63;

/// Vocabulary and IDF learnt on the coded texts; vectors for any text of the same corpus.
struct Vectorizer {
    index: FxHashMap<u64, u32>,
    idf: Vec<f32>,
    names: Vec<String>,
}

fn term_keys(corpus: &Corpus, d: usize, out: &mut Vec<u64>, spans: &mut Vec<(u64, Vec<u32>)>) {
    out.clear();
    spans.clear();
    for_each_term(
        corpus,
        corpus.doc_tokens(d),
        true,
        |s| out.push(UNI | s as u64),
        |a, b, span| {
            if a != b {
                spans.push((((a as u64) << 32) | b as u64, span.to_vec()));
            }
        },
    );
    out.extend(spans.iter().map(|s| s.0));
}

fn render(corpus: &Corpus, span: &[u32]) -> String {
    let mut s = String::new();
    for &w in span {
        if !s.is_empty() && !s.ends_with('\'') {
            s.push(' ');
        }
        s.push_str(&corpus.words[w as usize]);
    }
    s
}

impl Vectorizer {
    fn learn(corpus: &Corpus, train: &[usize]) -> Vectorizer {
        let min_df = if train.len() >= 1000 { 2 } else { 1 };
        let mut df: BTreeMap<u64, u32> = BTreeMap::new();
        let mut first_span: FxHashMap<u64, Vec<u32>> = FxHashMap::default();
        let (mut keys, mut spans) = (Vec::new(), Vec::new());
        for &d in train {
            term_keys(corpus, d, &mut keys, &mut spans);
            keys.sort_unstable();
            keys.dedup();
            for &k in &keys {
                *df.entry(k).or_insert(0) += 1;
            }
            for (k, s) in spans.drain(..) {
                first_span.entry(k).or_insert(s);
            }
        }
        // Usual written form of each stem: its most frequent word.
        let mut word_of_stem: Vec<(u32, u32)> = vec![(0, u32::MAX); corpus.stems.len()];
        for (w, &s) in corpus.word_stem.iter().enumerate() {
            if s == crate::corpus::NO_STEM {
                continue;
            }
            let c = corpus.word_count[w];
            let cur = word_of_stem[s as usize];
            if cur.1 == u32::MAX || c > cur.0 {
                word_of_stem[s as usize] = (c, w as u32);
            }
        }
        let n = train.len() as f32;
        let mut index = FxHashMap::default();
        let mut idf = Vec::new();
        let mut names = Vec::new();
        for (&k, &c) in &df {
            if (c as usize) < min_df {
                continue;
            }
            index.insert(k, idf.len() as u32);
            idf.push(((1.0 + n) / (1.0 + c as f32)).ln() + 1.0);
            names.push(if k & UNI != 0 {
                let w = word_of_stem[(k & !UNI) as usize].1;
                corpus.words.get(w as usize).cloned().unwrap_or_default()
            } else {
                first_span
                    .get(&k)
                    .map(|s| render(corpus, s))
                    .unwrap_or_default()
            });
        }
        Vectorizer { index, idf, names }
    }

    fn vector(&self, corpus: &Corpus, d: usize) -> Row {
        let (mut keys, mut spans) = (Vec::new(), Vec::new());
        term_keys(corpus, d, &mut keys, &mut spans);
        let mut ids: Vec<u32> = keys
            .iter()
            .filter_map(|k| self.index.get(k).copied())
            .collect();
        ids.sort_unstable();
        let mut row: Row = Vec::new();
        let mut i = 0;
        while i < ids.len() {
            let mut j = i + 1;
            while j < ids.len() && ids[j] == ids[i] {
                j += 1;
            }
            let tf = (j - i) as f32;
            row.push((ids[i], (1.0 + tf.ln()) * self.idf[ids[i] as usize]));
            i = j;
        }
        let norm = row.iter().map(|(_, v)| v * v).sum::<f32>().sqrt();
        if norm > 0.0 {
            row.iter_mut().for_each(|(_, v)| *v /= norm);
        }
        row
    }
}

/// A linear model: weights per feature, then the bias.
struct Linear {
    w: Vec<f64>,
}

impl Linear {
    fn margin(&self, x: &Row) -> f64 {
        let nf = self.w.len() - 1;
        x.iter()
            .map(|&(f, v)| self.w[f as usize] * v as f64)
            .sum::<f64>()
            + self.w[nf]
    }
}

/// L2-regularised squared-hinge linear SVM, dual coordinate descent.
fn train_svm(xs: &[&Row], y: &[bool], nf: usize, seed: u64) -> Linear {
    let n = xs.len();
    let mut w = vec![0f64; nf + 1];
    let mut alpha = vec![0f64; n];
    let diag = 0.5 / C;
    let qii: Vec<f64> = xs
        .iter()
        .map(|x| x.iter().map(|&(_, v)| (v as f64) * (v as f64)).sum::<f64>() + 1.0 + diag)
        .collect();
    let mut order: Vec<usize> = (0..n).collect();
    let mut rng = Rng::new(seed);
    for _ in 0..200 {
        for i in (1..n).rev() {
            let j = rng.below(i + 1);
            order.swap(i, j);
        }
        let (mut pg_max, mut pg_min) = (f64::NEG_INFINITY, f64::INFINITY);
        for &i in &order {
            let yi = if y[i] { 1.0 } else { -1.0 };
            let x = xs[i];
            let wx = x
                .iter()
                .map(|&(f, v)| w[f as usize] * v as f64)
                .sum::<f64>()
                + w[nf];
            let g = yi * wx - 1.0 + diag * alpha[i];
            let pg = if alpha[i] == 0.0 { g.min(0.0) } else { g };
            pg_max = pg_max.max(pg);
            pg_min = pg_min.min(pg);
            if pg.abs() > 1e-12 {
                let old = alpha[i];
                alpha[i] = (alpha[i] - g / qii[i]).max(0.0);
                let step = (alpha[i] - old) * yi;
                for &(f, v) in x {
                    w[f as usize] += step * v as f64;
                }
                w[nf] += step;
            }
        }
        if pg_max - pg_min < 0.01 {
            break;
        }
    }
    Linear { w }
}

/// Platt scaling: fit p = 1 / (1 + exp(a·m + b)) to (margin, label) pairs by Newton's method
/// with Platt's smoothed targets.
fn platt(pairs: &[(f64, bool)]) -> (f64, f64) {
    let pos = pairs.iter().filter(|p| p.1).count() as f64;
    let neg = pairs.len() as f64 - pos;
    if pos == 0.0 || neg == 0.0 {
        return (-4.0, 0.0);
    }
    let hi = (pos + 1.0) / (pos + 2.0);
    let lo = 1.0 / (neg + 2.0);
    let (mut a, mut b) = (0.0f64, ((neg + 1.0) / (pos + 1.0)).ln());
    let loss = |a: f64, b: f64| -> f64 {
        pairs
            .iter()
            .map(|&(m, l)| {
                let t = if l { hi } else { lo };
                let f = a * m + b;
                // Numerically stable cross-entropy of t against sigmoid(-f).
                if f >= 0.0 {
                    t * f + (1.0 + (-f).exp()).ln()
                } else {
                    (t - 1.0) * f + (1.0 + f.exp()).ln()
                }
            })
            .sum()
    };
    let mut cur = loss(a, b);
    for _ in 0..100 {
        let (mut g1, mut g2, mut h11, mut h22, mut h21) = (0.0, 0.0, 1e-12, 1e-12, 0.0);
        for &(m, l) in pairs {
            let t = if l { hi } else { lo };
            let f = a * m + b;
            let (p, q) = if f >= 0.0 {
                let e = (-f).exp();
                (e / (1.0 + e), 1.0 / (1.0 + e))
            } else {
                let e = f.exp();
                (1.0 / (1.0 + e), e / (1.0 + e))
            };
            let d2 = p * q;
            h11 += m * m * d2;
            h22 += d2;
            h21 += m * d2;
            let d1 = t - p;
            g1 += m * d1;
            g2 += d1;
        }
        if g1.abs() < 1e-6 && g2.abs() < 1e-6 {
            break;
        }
        let det = h11 * h22 - h21 * h21;
        let da = -(h22 * g1 - h21 * g2) / det;
        let db = -(-h21 * g1 + h11 * g2) / det;
        let mut step = 1.0;
        loop {
            let (na, nb) = (a + step * da, b + step * db);
            let l = loss(na, nb);
            if l < cur + 1e-4 * step * (g1 * da + g2 * db) {
                a = na;
                b = nb;
                cur = l;
                break;
            }
            step /= 2.0;
            if step < 1e-10 {
                return (a, b);
            }
        }
    }
    (a, b)
}

/// Models for one set of coded texts: one linear model per learnable code, and a calibration.
struct CodeModels {
    codes: Vec<String>,
    models: Vec<Linear>,
    calibration: (f64, f64),
    per_code: Vec<(f64, f64)>,
}

fn fit_models(
    rows: &[Row],
    labels: &[Vec<u32>],
    code_names: &[String],
    learnable: &[u32],
    nf: usize,
    seed: u64,
) -> CodeModels {
    let n = rows.len();
    let xs: Vec<&Row> = rows.iter().collect();
    let train_code = |members: &[usize], c: u32, s: u64| {
        let x: Vec<&Row> = members.iter().map(|&i| xs[i]).collect();
        let y: Vec<bool> = members.iter().map(|&i| labels[i].contains(&c)).collect();
        train_svm(&x, &y, nf, s)
    };
    // Held-out margins for calibration: 3 folds in a seeded order.
    let mut perm: Vec<usize> = (0..n).collect();
    let mut rng = Rng::new(seed ^ 0xca1b);
    for i in (1..n).rev() {
        let j = rng.below(i + 1);
        perm.swap(i, j);
    }
    let folds = if n >= 2 * FOLDS { FOLDS } else { 0 };
    let pairs: Vec<(usize, f64, bool)> = (0..folds)
        .into_par_iter()
        .flat_map_iter(|f| {
            let test: Vec<usize> = perm.iter().copied().skip(f).step_by(FOLDS).collect();
            let mut in_test = vec![false; n];
            for &i in &test {
                in_test[i] = true;
            }
            let train: Vec<usize> = (0..n).filter(|&i| !in_test[i]).collect();
            let mut out = Vec::new();
            for (ci, &c) in learnable.iter().enumerate() {
                if !train.iter().any(|&i| labels[i].contains(&c)) {
                    continue;
                }
                let m = train_code(&train, c, seed ^ mix64(c as u64 ^ f as u64));
                for &i in &test {
                    out.push((ci, m.margin(xs[i]), labels[i].contains(&c)));
                }
            }
            out
        })
        .collect();
    let pooled: Vec<(f64, bool)> = pairs.iter().map(|p| (p.1, p.2)).collect();
    let calibration = if pooled.is_empty() {
        (-4.0, 0.0)
    } else {
        platt(&pooled)
    };
    // A code with enough held-out positives gets its own calibration; others use the pooled one.
    let per_code: Vec<(f64, f64)> = (0..learnable.len())
        .map(|ci| {
            let own: Vec<(f64, bool)> = pairs
                .iter()
                .filter(|p| p.0 == ci)
                .map(|p| (p.1, p.2))
                .collect();
            if own.iter().filter(|p| p.1).count() >= MIN_CALIBRATION {
                platt(&own)
            } else {
                calibration
            }
        })
        .collect();
    let all: Vec<usize> = (0..n).collect();
    let models: Vec<Linear> = learnable
        .par_iter()
        .map(|&c| train_code(&all, c, seed ^ mix64(c as u64)))
        .collect();
    CodeModels {
        codes: learnable
            .iter()
            .map(|&c| code_names[c as usize].clone())
            .collect(),
        models,
        calibration,
        per_code,
    }
}

impl CodeModels {
    fn suggest(&self, x: &Row, names: &[String], min_confidence: f64) -> Vec<SuggestedCode> {
        let mut scored: Vec<(f64, usize)> = self
            .models
            .iter()
            .enumerate()
            .map(|(i, m)| {
                let (a, b) = self.per_code[i];
                (1.0 / (1.0 + (a * m.margin(x) + b).exp()), i)
            })
            .collect();
        if x.is_empty() {
            return Vec::new();
        }
        scored.sort_by(|p, q| q.0.total_cmp(&p.0).then(p.1.cmp(&q.1)));
        let mut out = Vec::new();
        for (rank, &(p, i)) in scored.iter().enumerate() {
            if (p < 0.5 && rank > 0) || p < min_confidence {
                break;
            }
            let w = &self.models[i].w;
            let mut contrib: Vec<(f64, u32)> = x
                .iter()
                .map(|&(f, v)| (w[f as usize] * v as f64, f))
                .filter(|c| c.0 > 0.0)
                .collect();
            contrib.sort_by(|p, q| q.0.total_cmp(&p.0).then(p.1.cmp(&q.1)));
            out.push(SuggestedCode {
                code: self.codes[i].clone(),
                confidence: round(p, 3),
                terms: contrib
                    .iter()
                    .take(TOP_TERMS)
                    .map(|c| names[c.1 as usize].clone())
                    .collect(),
            });
        }
        out
    }
}

/// Learn from `coded` and suggest codes for `input`, in input order.
pub fn suggest(
    coded: &[Coded],
    input: &[Uncoded],
    settings: &CodingSettings,
) -> Result<(Vec<Suggestion>, CodingReport), CodingError> {
    if !(0.0..=1.0).contains(&settings.min_confidence) {
        return Err(CodingError::InvalidSettings(format!(
            "min_confidence must be between 0 and 1, got {}",
            settings.min_confidence
        )));
    }
    if coded.is_empty() {
        return Err(CodingError::NoCodedExample);
    }
    // Codes and their counts.
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for c in coded {
        for code in &c.codes {
            *counts.entry(code.clone()).or_insert(0) += 1;
        }
    }
    let code_names: Vec<String> = counts.keys().cloned().collect();
    let code_id: BTreeMap<&str, u32> = code_names
        .iter()
        .enumerate()
        .map(|(i, c)| (c.as_str(), i as u32))
        .collect();
    let too_rare: Vec<String> = counts
        .iter()
        .filter(|(_, &n)| n < MIN_EXAMPLES)
        .map(|(c, _)| c.clone())
        .collect();
    let learnable: Vec<u32> = code_names
        .iter()
        .enumerate()
        .filter(|(_, c)| counts[*c] >= MIN_EXAMPLES)
        .map(|(i, _)| i as u32)
        .collect();
    if learnable.is_empty() {
        return Err(CodingError::NothingToLearn(code_names));
    }
    let labels: Vec<Vec<u32>> = coded
        .iter()
        .map(|c| c.codes.iter().map(|s| code_id[s.as_str()]).collect())
        .collect();

    // One tokenised corpus for coded and uncoded texts (word ids only; IDF is learnt on the
    // coded texts).
    let texts: Vec<&str> = coded
        .iter()
        .map(|c| c.text.as_str())
        .chain(input.iter().map(|u| u.text.as_str()))
        .collect();
    let corpus = Corpus::build(&texts);
    drop(texts);
    let nc = coded.len();

    // Contradictions: identical normalised texts with different codes.
    let mut by_text: BTreeMap<Vec<u32>, usize> = BTreeMap::new();
    let mut contradictions = Vec::new();
    for (i, c) in coded.iter().enumerate() {
        let key: Vec<u32> = corpus.folded_iter(i).collect();
        if key.is_empty() {
            continue;
        }
        match by_text.get(&key) {
            Some(&j) if coded[j].codes != c.codes => {
                contradictions.push((coded[j].id.clone(), c.id.clone()))
            }
            Some(_) => {}
            None => {
                by_text.insert(key, i);
            }
        }
    }

    let train_docs: Vec<usize> = (0..nc).collect();
    let vec = Vectorizer::learn(&corpus, &train_docs);
    let nf = vec.idf.len();
    let rows: Vec<Row> = (0..nc)
        .into_par_iter()
        .map(|d| vec.vector(&corpus, d))
        .collect();
    let global = fit_models(&rows, &labels, &code_names, &learnable, nf, settings.seed);

    // Per-question models where there are enough coded texts.
    let mut by_question: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, c) in coded.iter().enumerate() {
        if let Some(q) = &c.question {
            by_question.entry(q.as_str()).or_default().push(i);
        }
    }
    let mut per_question: BTreeMap<String, CodeModels> = BTreeMap::new();
    for (q, members) in by_question {
        if members.len() < MIN_PER_QUESTION {
            continue;
        }
        let qrows: Vec<Row> = members.iter().map(|&i| rows[i].clone()).collect();
        let qlabels: Vec<Vec<u32>> = members.iter().map(|&i| labels[i].clone()).collect();
        let qlearn: Vec<u32> = learnable
            .iter()
            .copied()
            .filter(|&c| qlabels.iter().filter(|l| l.contains(&c)).count() >= MIN_EXAMPLES)
            .collect();
        if qlearn.len() < 2 {
            continue; // one code only: the question itself says it, keep the global model
        }
        let m = fit_models(&qrows, &qlabels, &code_names, &qlearn, nf, settings.seed);
        per_question.insert(q.to_string(), m);
    }

    let suggestions: Vec<Suggestion> = input
        .par_iter()
        .enumerate()
        .map(|(i, u)| {
            let x = vec.vector(&corpus, nc + i);
            let model = u
                .question
                .as_ref()
                .and_then(|q| per_question.get(q))
                .unwrap_or(&global);
            Suggestion {
                id: u.id.clone(),
                codes: model.suggest(&x, &vec.names, settings.min_confidence),
            }
        })
        .collect();
    let abstained = suggestions.iter().filter(|s| s.codes.is_empty()).count();
    let report = CodingReport {
        coded: nc,
        codes: counts,
        too_rare,
        contradictions,
        question_models: per_question.keys().cloned().collect(),
        calibration: (
            round(global.calibration.0, 4),
            round(global.calibration.1, 4),
        ),
        suggested: suggestions.len() - abstained,
        abstained,
    };
    Ok((suggestions, report))
}

/// What `concorde code suggest` prints: the report and the problems of both files.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RunSummary {
    pub report: CodingReport,
    pub train_problems: Vec<InputProblem>,
    pub input_problems: Vec<InputProblem>,
}

/// Read `train` and `input` (JSON Lines, gzipped or not), suggest, write `output` (one
/// [`Suggestion`] per line, in input order). Errors are messages for the command line.
pub fn run_files(
    train: &std::path::Path,
    input: &std::path::Path,
    output: &std::path::Path,
    settings: &CodingSettings,
) -> Result<RunSummary, String> {
    use std::io::Write;
    let (coded, train_problems) = crate::input::open_text(train)
        .map_err(|e| e.to_string())
        .and_then(|r| read_coded(r).map_err(|e| format!("{}: {e}", train.display())))?;
    if coded.is_empty() {
        let detail: Vec<String> = train_problems
            .iter()
            .take(5)
            .map(|p| format!("line {}: {}", p.line, p.message))
            .collect();
        let mut msg = format!("{}: {}", train.display(), CodingError::NoCodedExample);
        if !detail.is_empty() {
            msg.push_str(&format!(" ({})", detail.join("; ")));
        }
        return Err(msg);
    }
    let (uncoded, input_problems) = crate::input::open_text(input)
        .map_err(|e| e.to_string())
        .and_then(|r| read_uncoded(r).map_err(|e| format!("{}: {e}", input.display())))?;
    let (suggestions, report) = suggest(&coded, &uncoded, settings).map_err(|e| e.to_string())?;
    let file = std::fs::File::create(output).map_err(|e| format!("{}: {e}", output.display()))?;
    let mut w = std::io::BufWriter::new(file);
    for s in &suggestions {
        let line = serde_json::to_string(s).map_err(|e| e.to_string())?;
        writeln!(w, "{line}").map_err(|e| format!("{}: {e}", output.display()))?;
    }
    w.flush()
        .map_err(|e| format!("{}: {e}", output.display()))?;
    Ok(RunSummary {
        report,
        train_problems,
        input_problems,
    })
}
