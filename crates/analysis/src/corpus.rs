//! Tokenised corpus: every text as a sequence of `u32` word ids in one flat array (CSR-like),
//! with a dictionary of distinct words analysed once (stop word, folded form, stem).
//!
//! Tokenisation runs in parallel over fixed-size chunks of documents; chunk dictionaries are
//! merged in chunk order, so word ids depend only on the input, not on thread scheduling.

use rayon::prelude::*;

use crate::text::{self, Token};
use crate::util::FxHashMap;

/// Marks punctuation between words in the token stream.
pub const BOUNDARY: u32 = u32::MAX;
/// Stem id of a word that carries no content (stop word, single letter, …).
pub const NO_STEM: u32 = u32::MAX;

const CHUNK: usize = 2048;

pub struct Corpus {
    /// Distinct lower-case words as written (accents kept).
    pub words: Vec<String>,
    /// Occurrences of each word over all documents.
    pub word_count: Vec<u32>,
    /// Accent-folded id of each word.
    pub word_folded: Vec<u32>,
    /// Stem id of each word, or `NO_STEM`.
    pub word_stem: Vec<u32>,
    /// Distinct folded stems.
    pub stems: Vec<String>,
    /// `tokens[offsets[d]..offsets[d + 1]]` are the tokens of document `d`.
    pub offsets: Vec<usize>,
    pub tokens: Vec<u32>,
}

struct ChunkOut {
    words: Vec<String>,
    tokens: Vec<u32>,
    lens: Vec<u32>,
}

fn tokenize_chunk(texts: &[&str]) -> ChunkOut {
    let mut dict: FxHashMap<String, u32> = FxHashMap::default();
    let mut words = Vec::new();
    let mut tokens = Vec::new();
    let mut lens = Vec::with_capacity(texts.len());
    let mut buf = String::new();
    for t in texts {
        let start = tokens.len();
        let mut last_was_boundary = true;
        let mut elided = String::new();
        text::tokenize(t, &mut buf, |tok| {
            let w: &str = match tok {
                Token::Boundary => {
                    if !last_was_boundary {
                        tokens.push(BOUNDARY);
                        last_was_boundary = true;
                    }
                    return;
                }
                Token::Word(w) => w,
                Token::Elision(e) => {
                    elided.clear();
                    elided.push_str(e);
                    elided.push('\'');
                    elided.as_str()
                }
            };
            let id = match dict.get(w) {
                Some(&id) => id,
                None => {
                    let id = words.len() as u32;
                    words.push(w.to_string());
                    dict.insert(w.to_string(), id);
                    id
                }
            };
            tokens.push(id);
            last_was_boundary = false;
        });
        if tokens.len() > start && tokens.last() == Some(&BOUNDARY) {
            tokens.pop();
        }
        lens.push((tokens.len() - start) as u32);
    }
    ChunkOut {
        words,
        tokens,
        lens,
    }
}

impl Corpus {
    pub fn build(texts: &[&str]) -> Corpus {
        let chunks: Vec<ChunkOut> = texts.par_chunks(CHUNK).map(tokenize_chunk).collect();

        // Merge dictionaries in chunk order.
        let mut dict: FxHashMap<String, u32> = FxHashMap::default();
        let mut words: Vec<String> = Vec::new();
        let mut maps: Vec<Vec<u32>> = Vec::with_capacity(chunks.len());
        let mut chunk_words: Vec<Vec<String>> = Vec::with_capacity(chunks.len());
        let mut chunk_tokens: Vec<(Vec<u32>, Vec<u32>)> = Vec::with_capacity(chunks.len());
        for c in chunks {
            chunk_words.push(c.words);
            chunk_tokens.push((c.tokens, c.lens));
        }
        for cw in chunk_words {
            let mut map = Vec::with_capacity(cw.len());
            for w in cw {
                let id = match dict.get(&w) {
                    Some(&id) => id,
                    None => {
                        let id = words.len() as u32;
                        dict.insert(w.clone(), id);
                        words.push(w);
                        id
                    }
                };
                map.push(id);
            }
            maps.push(map);
        }
        drop(dict);

        let remapped: Vec<(Vec<u32>, Vec<u32>)> = chunk_tokens
            .into_par_iter()
            .zip(maps.par_iter())
            .map(|((mut toks, lens), map)| {
                for t in toks.iter_mut() {
                    if *t != BOUNDARY {
                        *t = map[*t as usize];
                    }
                }
                (toks, lens)
            })
            .collect();
        let total: usize = remapped.iter().map(|(t, _)| t.len()).sum();
        let mut tokens = Vec::with_capacity(total);
        let mut offsets = Vec::with_capacity(texts.len() + 1);
        offsets.push(0);
        for (toks, lens) in remapped {
            let base = tokens.len();
            let mut acc = base;
            for l in lens {
                acc += l as usize;
                offsets.push(acc);
            }
            tokens.extend_from_slice(&toks);
        }

        let mut word_count = vec![0u32; words.len()];
        for &t in &tokens {
            if t != BOUNDARY {
                word_count[t as usize] = word_count[t as usize].saturating_add(1);
            }
        }

        // Analyse each distinct word once, in parallel; intern results in word order.
        let infos: Vec<text::WordInfo> = words
            .par_iter()
            .map_init(text::french_stemmer, |st, w| text::analyse_word(w, st))
            .collect();
        let mut folded_ids: FxHashMap<String, u32> = FxHashMap::default();
        let mut stem_ids: FxHashMap<String, u32> = FxHashMap::default();
        let mut stems = Vec::new();
        let mut word_folded = Vec::with_capacity(words.len());
        let mut word_stem = Vec::with_capacity(words.len());
        for info in infos {
            let n = folded_ids.len() as u32;
            word_folded.push(*folded_ids.entry(info.folded).or_insert(n));
            word_stem.push(match info.stem {
                None => NO_STEM,
                Some(s) => match stem_ids.get(&s) {
                    Some(&id) => id,
                    None => {
                        let id = stems.len() as u32;
                        stem_ids.insert(s.clone(), id);
                        stems.push(s);
                        id
                    }
                },
            });
        }

        Corpus {
            words,
            word_count,
            word_folded,
            word_stem,
            stems,
            offsets,
            tokens,
        }
    }

    pub fn len(&self) -> usize {
        self.offsets.len() - 1
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn doc_tokens(&self, d: usize) -> &[u32] {
        &self.tokens[self.offsets[d]..self.offsets[d + 1]]
    }

    /// Number of words (boundaries excluded) of a document.
    pub fn word_len(&self, d: usize) -> usize {
        self.doc_tokens(d)
            .iter()
            .filter(|&&t| t != BOUNDARY)
            .count()
    }

    /// Folded word ids of a document, boundaries dropped: the normalised text.
    pub fn folded_iter(&self, d: usize) -> impl Iterator<Item = u32> + '_ {
        self.doc_tokens(d)
            .iter()
            .filter(|&&t| t != BOUNDARY)
            .map(move |&t| self.word_folded[t as usize])
    }
}

/// Content terms of a token stream: calls `unigram(stem)` for each content word and
/// `bigram(stem_a, stem_b, span)` for two content words with at most two stop words and no
/// boundary between them; `span` is the slice of word ids from the first to the second.
pub fn for_each_term(
    corpus: &Corpus,
    toks: &[u32],
    bigrams: bool,
    mut unigram: impl FnMut(u32),
    mut bigram: impl FnMut(u32, u32, &[u32]),
) {
    let mut prev: Option<(u32, usize)> = None; // (stem, position)
    let mut gap = 0usize;
    for (i, &t) in toks.iter().enumerate() {
        if t == BOUNDARY {
            prev = None;
            continue;
        }
        let s = corpus.word_stem[t as usize];
        if s == NO_STEM {
            gap += 1;
            if gap > 2 {
                prev = None;
            }
            continue;
        }
        unigram(s);
        if bigrams {
            if let Some((ps, pi)) = prev {
                bigram(ps, s, &toks[pi..=i]);
            }
        }
        prev = Some((s, i));
        gap = 0;
    }
}
