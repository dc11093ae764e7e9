//! Phrases as people wrote them, for keyphrases and labels an analyst can put in a report.
//!
//! A *candidate* is a run of words inside one clause (no punctuation in it) that starts and ends
//! with a content word, holds 2 to 5 content words with at most two stop words between two of
//! them, and is at most 8 words long: "pistes cyclables sécurisées", "taxer le kérosène",
//! "aides financières pour changer de chauffage". Its key is the sequence of its stems, so
//! "taxe sur le kérosène" and "taxes du kérosène" are one candidate, shown in its most frequent
//! written form.
//!
//! Discourse fillers and generic verbs ("faire", "mettre en place", "changer", "proposer",
//! "information", "chose"…) never start or end a candidate, and a candidate needs at least two
//! content words that are not fillers: "mettre en place des solutions" is not a heading,
//! "mettre en place des pistes cyclables" yields "pistes cyclables".
//!
//! Scoring is distinctiveness against the rest of the corpus: with `p` the share of a group's
//! texts that contain the phrase and `q` the share of the other texts, the score is
//! `p · ln(p / q)` (a one-sided log-likelihood term), times a small bonus per extra content word
//! so that a specific three-word phrase beats its two-word head when both are as frequent.
//! Counting is over distinct texts, so a copy-paste campaign counts once.
//!
//! Work is bounded: candidates come from the most central texts of each group, and frequencies
//! are counted on at most [`UNIVERSE`] distinct texts (the canonical order of distinct texts is
//! a hash order, so its prefix is a fair sample).

use rayon::prelude::*;

use crate::corpus::{Corpus, BOUNDARY, NO_STEM};
use crate::dedup::Distinct;
use crate::model::Keyphrase;
use crate::text;
use crate::util::{mix64, round, FxHashMap};

/// Words that say nothing about a theme: generic verbs, fillers, hedges. Stemmed at run time
/// with the corpus' stemmer, so inflected forms ("fait", "mettons") are covered. They never
/// start or end a candidate and do not count as its content.
const FILLERS: &[&str] = &[
    "faire",
    "fait",
    "mettre",
    "mise",
    "place",
    "changement",
    "proposition",
    "information",
    "informer",
    "chose",
    "gens",
    "falloir",
    "faut",
    "pouvoir",
    "peut",
    "devoir",
    "doit",
    "aller",
    "donner",
    "prendre",
    "vouloir",
    "savoir",
    "voir",
    "dire",
    "besoin",
    "exemple",
    "niveau",
    "cas",
    "fois",
    "moyen",
    "manière",
    "façon",
    "sujet",
    "question",
    "problème",
    "réponse",
    "idée",
    "penser",
    "pense",
    "trouver",
    "rendre",
    "laisser",
    "mieux",
    "vraiment",
    "simplement",
    "aujourd'hui",
    "actuellement",
    "permettre",
    "concerner",
    "solution",
    "alternative",
    "oui",
    "non",
    "bien",
    "bon",
    "trop",
    "beaucoup",
    "rien",
    "tout",
    "plutôt",
    "ensemble",
    "certain",
    "pays",
    "part",
    "sens",
    "point",
    "type",
    "ainsi",
    "déjà",
    "toujours",
    "jamais",
    "vrai",
    "réel",
    "mal",
    "etc",
    "svp",
    "merci",
    "pourquoi",
    "lieu",
    "terme",
    "essayer",
    "aucun",
    "prise",
];

/// Verbs too general to name a theme alone but that head a verb phrase with its object
/// ("supprimer le Sénat", "changer de chauffage"): they may start a candidate, never end it,
/// and do not count as its content.
const WEAK_VERBS: &[&str] = &[
    "changer",
    "proposer",
    "demander",
    "arrêter",
    "continuer",
    "éviter",
    "utiliser",
    "améliorer",
    "développer",
    "favoriser",
    "augmenter",
    "diminuer",
    "réduire",
    "supprimer",
    "créer",
    "assurer",
    "garantir",
    "renforcer",
    "limiter",
    "simplifier",
    "rétablir",
    "instaurer",
    "interdire",
    "obliger",
    "encourager",
    "aider",
    "baisser",
    "revoir",
];

/// Frequencies are counted on at most this many distinct texts.
pub const UNIVERSE: usize = 80_000;
/// Candidates are gathered from at most this many central texts per group.
const CENTRAL: usize = 400;
const MAX_CONTENT: usize = 5;
const MAX_WORDS: usize = 8;
const MAX_GAP: usize = 2;

/// A scored phrase of one group.
#[derive(Debug, Clone)]
pub struct Phrase {
    pub text: String,
    /// Content stems in order.
    pub stems: Vec<u32>,
    /// Written words, stop words included.
    pub words: usize,
    /// Distinct texts of the group (in the counted sample) containing it.
    pub df: u32,
    pub score: f64,
}

/// Which stems are fillers or weak verbs, for one corpus.
pub struct Generic {
    /// 0 content, 1 weak verb, 2 filler.
    class: Vec<u8>,
    /// Stems (strings) of the fillers, to judge a written keyphrase.
    filler_stems: Vec<String>,
}

impl Generic {
    pub fn new(corpus: &Corpus) -> Generic {
        let st = text::french_stemmer();
        let mut index: FxHashMap<&str, u32> = FxHashMap::default();
        for (i, s) in corpus.stems.iter().enumerate() {
            index.insert(s.as_str(), i as u32);
        }
        let mut class = vec![0u8; corpus.stems.len()];
        let mut filler_stems = Vec::new();
        for (list, c) in [(WEAK_VERBS, 1u8), (FILLERS, 2u8)] {
            for w in list {
                if let Some(s) = text::analyse_word(w, &st).stem {
                    if let Some(&id) = index.get(s.as_str()) {
                        class[id as usize] = c;
                    }
                    if c == 2 {
                        filler_stems.push(s);
                    }
                }
            }
        }
        filler_stems.sort();
        filler_stems.dedup();
        Generic {
            class,
            filler_stems,
        }
    }

    /// Filler or weak verb.
    #[inline]
    pub fn is(&self, stem: u32) -> bool {
        self.class.get(stem as usize).copied().unwrap_or(0) > 0
    }

    #[inline]
    fn is_filler(&self, stem: u32) -> bool {
        self.class.get(stem as usize).copied().unwrap_or(0) == 2
    }

    /// Is a written keyphrase made only of fillers and stop words ("faire", "mettre en place")?
    pub fn filler_text(&self, s: &str) -> bool {
        let st = text::french_stemmer();
        let mut any = false;
        for w in text::words(s) {
            if let Some(stem) = text::analyse_word(&w, &st).stem {
                any = true;
                if self.filler_stems.binary_search(&stem).is_err() {
                    return false;
                }
            }
        }
        any
    }
}

type Emit<'e> = dyn FnMut(u64, &[u32], &[u32], bool) + 'e;

/// Call `emit(key, stems, span)` for every candidate phrase of a token stream.
fn for_each_phrase(
    corpus: &Corpus,
    generic: &Generic,
    toks: &[u32],
    mut emit: impl FnMut(u64, &[u32], &[u32], bool),
) {
    // Positions of content words in the current clause, with their stems.
    let mut starts: Vec<(usize, u32)> = Vec::new();
    let mut stems: Vec<u32> = Vec::with_capacity(MAX_CONTENT);
    let flush = |content: &[(usize, u32)], stems: &mut Vec<u32>, emit: &mut Emit| {
        for a in 0..content.len() {
            let (pa, sa) = content[a];
            if generic.is_filler(sa) {
                continue;
            }
            let verb_head = generic.is(sa);
            // Right after a content word ("dentaires" in "soins dentaires"): a fragment.
            let attached = a > 0 && content[a - 1].0 + 1 == pa && !generic.is(content[a - 1].1);
            stems.clear();
            stems.push(sa);
            let mut key = mix64(sa as u64 ^ 0xfeed);
            let mut non_generic = usize::from(!verb_head);
            for b in a + 1..content.len().min(a + MAX_CONTENT) {
                let (pb, sb) = content[b];
                let (pprev, _) = content[b - 1];
                if pb - pprev - 1 > MAX_GAP || pb - pa + 1 > MAX_WORDS {
                    break;
                }
                stems.push(sb);
                key = mix64(key ^ sb as u64);
                if generic.is(sb) {
                    continue;
                }
                non_generic += 1;
                // Two content words, or a verb with its object.
                if (non_generic >= 2 || verb_head) && sb != sa {
                    emit(key, stems, &toks[pa..=pb], attached);
                }
            }
        }
    };
    for (i, &t) in toks.iter().enumerate() {
        if t == BOUNDARY {
            flush(&starts, &mut stems, &mut emit);
            starts.clear();
            continue;
        }
        let s = corpus.word_stem[t as usize];
        if s != NO_STEM {
            starts.push((i, s));
        }
    }
    flush(&starts, &mut stems, &mut emit);
}

/// Written form of a span of word ids.
fn render(corpus: &Corpus, span: &[u32]) -> String {
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

/// Score candidate phrases of each group against the rest of `universe`.
///
/// `central[g]` are the group's rows, most central first; `group_of[row]` is the group of a row
/// of the universe (or -1). Rows are distinct texts. Returns, per group, phrases best first.
pub fn score_groups(
    corpus: &Corpus,
    distinct: &Distinct,
    generic: &Generic,
    central: &[Vec<u32>],
    universe: &[u32],
    group_of: &(dyn Fn(u32) -> i32 + Sync),
    top: usize,
) -> Vec<Vec<Phrase>> {
    let ng = central.len();
    let toks_of = |r: u32| corpus.doc_tokens(distinct.rep[r as usize] as usize);
    // 1. Candidates of each group, from its central texts; remember written forms.
    type Forms = FxHashMap<u64, (Vec<u32>, FxHashMap<u64, (u32, Vec<u32>)>)>;
    let per_group: Vec<Forms> = central
        .par_iter()
        .map(|rows| {
            let mut seen: FxHashMap<u64, u32> = FxHashMap::default();
            let mut attached: FxHashMap<u64, (u32, u32)> = FxHashMap::default();
            let mut forms: Forms = FxHashMap::default();
            let mut this: Vec<u64> = Vec::new();
            for &r in rows.iter().take(CENTRAL) {
                this.clear();
                for_each_phrase(corpus, generic, toks_of(r), |key, stems, span, att| {
                    this.push(key);
                    let a = attached.entry(key).or_insert((0, 0));
                    a.0 += 1;
                    a.1 += u32::from(att);
                    let e = forms
                        .entry(key)
                        .or_insert_with(|| (stems.to_vec(), FxHashMap::default()));
                    let h = span.iter().fold(0u64, |h, &w| mix64(h ^ w as u64));
                    e.1.entry(h).or_insert_with(|| (0, span.to_vec())).0 += 1;
                });
                this.sort_unstable();
                this.dedup();
                for &k in &this {
                    *seen.entry(k).or_insert(0) += 1;
                }
            }
            // Said at least twice, and mostly not as the tail of a longer phrase.
            forms.retain(|k, _| {
                let (n, att) = attached.get(k).copied().unwrap_or((0, 0));
                seen.get(k).copied().unwrap_or(0) >= 2 && att * 2 <= n
            });
            forms
        })
        .collect();
    let mut wanted: FxHashMap<u64, u32> = FxHashMap::default();
    let mut keys: Vec<u64> = per_group.iter().flat_map(|f| f.keys().copied()).collect();
    keys.sort_unstable();
    keys.dedup();
    for (i, &k) in keys.iter().enumerate() {
        wanted.insert(k, i as u32);
    }
    if keys.is_empty() {
        return vec![Vec::new(); ng];
    }
    // 2. Document frequencies of the wanted keys in the universe, overall and per group.
    let universe = &universe[..universe.len().min(UNIVERSE)];
    type Counts = (Vec<u32>, FxHashMap<(u32, u32), u32>, Vec<u32>);
    let (df_all, df_group, group_rows): Counts = universe
        .par_chunks(4096)
        .map(|chunk| {
            let mut all = vec![0u32; keys.len()];
            let mut by: FxHashMap<(u32, u32), u32> = FxHashMap::default();
            let mut rows = vec![0u32; ng];
            let mut this: Vec<u32> = Vec::new();
            for &r in chunk {
                this.clear();
                for_each_phrase(corpus, generic, toks_of(r), |key, _, _, _| {
                    if let Some(&i) = wanted.get(&key) {
                        this.push(i);
                    }
                });
                this.sort_unstable();
                this.dedup();
                let g = group_of(r);
                if g >= 0 {
                    rows[g as usize] += 1;
                }
                for &i in &this {
                    all[i as usize] += 1;
                    if g >= 0 {
                        *by.entry((g as u32, i)).or_insert(0) += 1;
                    }
                }
            }
            (all, by, rows)
        })
        .reduce(
            || (vec![0u32; keys.len()], FxHashMap::default(), vec![0u32; ng]),
            |mut a, b| {
                for (x, y) in a.0.iter_mut().zip(b.0) {
                    *x += y;
                }
                for (k, v) in b.1 {
                    *a.1.entry(k).or_insert(0) += v;
                }
                for (x, y) in a.2.iter_mut().zip(b.2) {
                    *x += y;
                }
                a
            },
        );
    let n_all = universe.len() as f64;
    // 3. Score per group.
    per_group
        .into_par_iter()
        .enumerate()
        .map(|(g, forms)| {
            let n_g = group_rows[g] as f64;
            let mut out: Vec<Phrase> = Vec::new();
            if n_g <= 0.0 {
                return out;
            }
            let floor = if n_g >= 50.0 { 3 } else { 2 };
            for (key, (stems, spans)) in forms {
                let i = wanted[&key];
                let df = df_group.get(&(g as u32, i)).copied().unwrap_or(0);
                if df < floor {
                    continue;
                }
                let other = (df_all[i as usize] - df) as f64;
                let p = df as f64 / n_g;
                let q = (other + 0.5) / (n_all - n_g + 1.0).max(1.0);
                if p / q < 2.0 {
                    continue;
                }
                let bonus = 1.0 + 0.15 * (stems.len() as f64 - 2.0);
                let score = p * (p / q).ln() * bonus;
                // Most frequent written form; ties by the text itself, for reproducibility.
                let mut best: Option<(u32, String)> = None;
                for (n, span) in spans.values() {
                    let t = render(corpus, span);
                    let better = match &best {
                        None => true,
                        Some((bn, bt)) => *n > *bn || (*n == *bn && t < *bt),
                    };
                    if better {
                        best = Some((*n, t));
                    }
                }
                let (_, text) = best.unwrap_or_default();
                let words = text.split([' ', '\'']).filter(|w| !w.is_empty()).count();
                out.push(Phrase {
                    text,
                    stems,
                    words,
                    df,
                    score,
                });
            }
            out.sort_by(|a, b| {
                b.score
                    .total_cmp(&a.score)
                    .then_with(|| a.text.cmp(&b.text))
            });
            out.truncate(top);
            out
        })
        .collect()
}

/// Drop a phrase whose stems are all in a better one, or that only adds words to a better one
/// while said by far fewer texts ("pistes cyclables" and "pistes cyclables sécurisées" are
/// both kept only when the longer is said by most of those who say the shorter).
fn distinct_phrases(phrases: &[Phrase], n: usize) -> Vec<&Phrase> {
    let mut kept: Vec<&Phrase> = Vec::new();
    for p in phrases {
        if kept.len() >= n {
            break;
        }
        let dup = kept.iter().any(|k| {
            let inside = p.stems.iter().all(|s| k.stems.contains(s));
            let covers = k.stems.iter().all(|s| p.stems.contains(s));
            inside || (covers && p.df * 10 < k.df * 7)
        });
        if !dup {
            kept.push(p);
        }
    }
    kept
}

/// Keyphrases of a group: its best phrases, then single words of `fallback` (c-TF-IDF
/// keyphrases) that are neither fillers nor already said by a phrase.
pub fn keyphrases(
    phrases: &[Phrase],
    fallback: &[Keyphrase],
    is_filler: &dyn Fn(&str) -> bool,
    n: usize,
) -> Vec<Keyphrase> {
    let mut out: Vec<Keyphrase> = Vec::new();
    let max = phrases.first().map(|p| p.score).unwrap_or(1.0).max(1e-12);
    for p in distinct_phrases(phrases, n) {
        out.push(Keyphrase {
            text: p.text.clone(),
            score: round(p.score / max, 3),
        });
    }
    // With no phrase at all, keep c-TF-IDF's scale; otherwise rank single words after phrases.
    let scale = if out.is_empty() { 1.0 } else { 0.5 };
    for k in fallback {
        if out.len() >= n {
            break;
        }
        let said = out.iter().any(|o| {
            let ow: Vec<String> = o.text.split_whitespace().map(text::fold_accents).collect();
            k.text
                .split_whitespace()
                .all(|w| ow.contains(&text::fold_accents(w)))
        });
        if said || is_filler(&k.text) {
            continue;
        }
        out.push(Keyphrase {
            text: k.text.clone(),
            score: round(k.score * scale, 3),
        });
    }
    out
}

/// A report heading of 3 to 8 words. Start from the best phrase and extend it while a longer
/// phrase holding all its words is still said by a good share of the texts that say it
/// ("retraites sur l'inflation" → "indexation des retraites sur l'inflation"); too short, take
/// the best phrase of 3 to 8 words; else join keyphrases ("Référendum et vote blanc").
pub fn label(phrases: &[Phrase], keyphrases: &[Keyphrase]) -> String {
    if let Some(first) = phrases.first() {
        let mut cur = first;
        loop {
            let ext = phrases
                .iter()
                .filter(|p| {
                    p.words > cur.words
                        && p.words <= MAX_WORDS
                        && p.df * 4 >= cur.df
                        && cur.stems.iter().all(|s| p.stems.contains(s))
                })
                .max_by(|a, b| a.df.cmp(&b.df).then_with(|| b.text.cmp(&a.text)));
            match ext {
                Some(p) => cur = p,
                None => break,
            }
        }
        if cur.words >= 3 {
            return capitalise(&cur.text);
        }
        let best = phrases
            .iter()
            .take(12)
            .find(|p| (3..=MAX_WORDS).contains(&p.words) && p.df * 4 >= cur.df);
        if let Some(p) = best {
            return capitalise(&p.text);
        }
    }
    let words = |s: &str| s.split([' ', '\'']).filter(|w| !w.is_empty()).count();
    let mut parts: Vec<&str> = Vec::new();
    let mut total = 0;
    let content = |s: &str| -> Vec<String> {
        s.split([' ', '\''])
            .filter(|w| w.chars().count() > 3)
            .map(|w| {
                text::fold_accents(w)
                    .trim_end_matches(['s', 'x'])
                    .to_string()
            })
            .collect()
    };
    for k in keyphrases {
        let w = words(&k.text);
        let kc = content(&k.text);
        let overlaps = parts
            .iter()
            .any(|p| content(p).iter().any(|c| kc.contains(c)));
        if total + w > MAX_WORDS || overlaps {
            continue;
        }
        parts.push(&k.text);
        total += w + 1;
        if total >= 4 || parts.len() == 3 {
            break;
        }
    }
    let text = match parts.len() {
        0 => return "Sans mot-clé".to_string(),
        1 if words(parts[0]) >= 3 => parts[0].to_string(),
        1 => format!("À propos de {}", parts[0]),
        _ => {
            let last = parts.pop().unwrap_or_default();
            format!("{} et {}", parts.join(", "), last)
        }
    };
    capitalise(&text)
}

/// [`label`], but never one of `used` (two themes, or two sub-themes of a theme, never share a
/// heading): the phrases that would give a used label are skipped.
pub fn label_avoiding(phrases: &[Phrase], keyphrases: &[Keyphrase], used: &[String]) -> String {
    let first = label(phrases, keyphrases);
    if !used.contains(&first) {
        return first;
    }
    let rest: Vec<Phrase> = phrases
        .iter()
        .filter(|p| !used.contains(&capitalise(&p.text)) && capitalise(&p.text) != first)
        .cloned()
        .collect();
    let second = label(&rest, &[]);
    if !used.contains(&second) && second != "Sans mot-clé" {
        return second;
    }
    let mut n = 2;
    loop {
        let numbered = format!("{first} ({n})");
        if !used.contains(&numbered) {
            return numbered;
        }
        n += 1;
    }
}

fn capitalise(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().collect::<String>() + chars.as_str(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn phrases_of(text: &str) -> Vec<String> {
        let corpus = Corpus::build(&[text]);
        let generic = Generic::new(&corpus);
        let mut out = Vec::new();
        for_each_phrase(&corpus, &generic, corpus.doc_tokens(0), |_, _, span, _| {
            out.push(render(&corpus, span))
        });
        out
    }

    #[test]
    fn candidates_stay_in_clauses_and_skip_fillers() {
        let p = phrases_of(
            "Il faut mettre en place des pistes cyclables sécurisées. Taxer le kérosène",
        );
        assert!(p.contains(&"pistes cyclables".to_string()), "{p:?}");
        assert!(
            p.contains(&"pistes cyclables sécurisées".to_string()),
            "{p:?}"
        );
        assert!(p.contains(&"taxer le kérosène".to_string()), "{p:?}");
        // Never across the full stop, never starting with a filler.
        assert!(!p.iter().any(|s| s.contains("sécurisées taxer")), "{p:?}");
        assert!(
            !p.iter()
                .any(|s| s.starts_with("mettre") || s.starts_with("place")),
            "{p:?}"
        );
    }

    #[test]
    fn label_has_three_to_eight_words() {
        let ph = |t: &str, w: usize, s: f64| Phrase {
            text: t.into(),
            stems: vec![],
            words: w,
            df: 5,
            score: s,
        };
        let l = label(
            &[
                ph("vote blanc", 2, 1.0),
                ph("reconnaissance du vote blanc", 4, 0.8),
            ],
            &[],
        );
        // A longer phrase holding the best one, said by as many texts.
        assert_eq!(l, "Reconnaissance du vote blanc");
        let mut a = ph("retraites sur l'inflation", 4, 1.0);
        a.stems = vec![1, 2];
        a.df = 10;
        let mut b = ph("indexation des retraites sur l'inflation", 6, 0.5);
        b.stems = vec![3, 1, 2];
        b.df = 8;
        let mut c = ph("indexation des petites retraites sur l'inflation", 7, 0.2);
        c.stems = vec![3, 4, 1, 2];
        c.df = 1;
        assert_eq!(
            label(&[a, b, c], &[]),
            "Indexation des retraites sur l'inflation"
        );
        let k = |t: &str| Keyphrase {
            text: t.into(),
            score: 1.0,
        };
        assert_eq!(
            label(&[], &[k("référendum"), k("vote blanc")]),
            "Référendum et vote blanc"
        );
        assert_eq!(label(&[], &[k("laïcité")]), "À propos de laïcité");
        // Never twice the same heading.
        let used = vec!["Reconnaissance du vote blanc".to_string()];
        let two = [
            ph("reconnaissance du vote blanc", 4, 1.0),
            ph("vote blanc obligatoire", 3, 0.5),
        ];
        assert_eq!(label_avoiding(&two, &[], &used), "Vote blanc obligatoire");
        let one = [ph("reconnaissance du vote blanc", 4, 1.0)];
        assert_eq!(
            label_avoiding(&one, &[], &used),
            "Reconnaissance du vote blanc (2)"
        );
    }
}
