//! The French analyzer: turns a text into index terms, the same way for documents, queries and
//! highlighting, so that whatever matches is also what gets highlighted.
//!
//! For each word (a run of letters and digits; apostrophes, hyphens and punctuation split):
//!
//! 1. lower case, then accents and ligatures folded to ASCII (`École` → `ecole`, `œuvre` →
//!    `oeuvre`), with Unicode compatibility decomposition (`ﬁ` → `fi`, full-width letters);
//! 2. an elided article or pronoun (`l`, `d`, `qu`, `j`, `n`, `s`, `c`, `m`, `t`, `jusqu`,
//!    `lorsqu`, `puisqu`, `quoiqu`) directly followed by an apostrophe (`'`, `’` or `ʼ`) is
//!    dropped and takes no position: `l'école` is the one word `école`;
//! 3. words longer than [`MAX_WORD_CHARS`] and the stop words of [`STOP_WORDS`] are dropped, but
//!    keep their position, so that a phrase query keeps its distances;
//! 4. the accents of a few suffixes are put back before stemming (`-ee(s)` → `-ée(s)`,
//!    `-ite(s)` → `-ité(s)`, `-iere(s)` → `-ière(s)`), because the Snowball stemmer needs them to
//!    recognise the suffix: `isolees` and `isolées` must both stem like `isolé`;
//! 5. Snowball French stemming (rust-stemmers), the result folded to ASCII again, and a final
//!    `s` after `a`, `i`, `o` or `u` dropped, which Snowball keeps: without this `vélos`,
//!    `élus`, `lois` and `emplois` would not find `vélo`, `élu`, `loi` and `emploi`.
//!
//! Steps 1 and 4 make the whole analysis a function of the folded word: two spellings that
//! differ only by accents or case always give the same term, whatever the stemmer does.

use std::borrow::Cow;
use std::ops::Range;

use rust_stemmers::{Algorithm, Stemmer};
use tantivy::tokenizer::{Token, TokenStream, Tokenizer};
use unicode_normalization::char::{decompose_compatible, is_combining_mark};

/// The name under which [`FrenchTokenizer`] is registered in the tantivy index.
pub(crate) const ANALYZER_NAME: &str = "concorde_fr";

/// Longer words (in characters, after folding) are not indexed: they are not French words but
/// identifiers, URLs without separators or noise, and tantivy limits the length of a term.
pub const MAX_WORD_CHARS: usize = 40;

/// Elided words, dropped when an apostrophe follows them.
const ELISIONS: [&str; 13] = [
    "c", "d", "j", "jusqu", "l", "lorsqu", "m", "n", "puisqu", "qu", "quoiqu", "s", "t",
];

/// Apostrophes that mark an elision: ASCII, typographic (U+2019) and modifier letter (U+02BC).
fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '\u{2019}' | '\u{2BC}')
}

/// French stop words, folded (no accents), sorted for binary search.
///
/// A short list on purpose: articles, pronouns, possessives, the commonest prepositions and
/// conjunctions, and forms of *être* and *avoir* used as auxiliaries. Words that carry meaning
/// in a debate are kept searchable although other lists drop them: negation and stance (`pas`,
/// `non`, `sans`, `pour`, `contre`, `plus`, `moins`), `tout`/`tous`, and words that are also
/// nouns (`été` the summer, `car` the coach, `sommes` the sums, `or` the gold).
pub const STOP_WORDS: &[&str] = &[
    "a", "ai", "aie", "aient", "aies", "ait", "as", "au", "aujourd", "aura", "aurai", "auraient",
    "aurais", "aurait", "auras", "aurez", "auriez", "aurions", "aurons", "auront", "aux",
    "avaient", "avais", "avait", "avec", "avez", "aviez", "avions", "avons", "ayant", "c", "ca",
    "ce", "ceci", "cela", "ces", "cet", "cette", "d", "dans", "de", "des", "donc", "dont", "du",
    "elle", "elles", "en", "es", "est", "et", "etaient", "etais", "etait", "etiez", "etions", "eu",
    "eux", "hui", "il", "ils", "j", "je", "l", "la", "le", "les", "leur", "leurs", "lui", "m",
    "ma", "mais", "me", "mes", "moi", "mon", "n", "ne", "ni", "nos", "notre", "nous", "on", "ont",
    "ou", "par", "qu", "que", "qui", "s", "sa", "se", "sera", "seront", "ses", "si", "soit", "son",
    "sont", "suis", "sur", "t", "ta", "te", "tes", "toi", "ton", "tu", "un", "une", "vos", "votre",
    "vous", "y",
];

pub(crate) fn is_stop_word(folded: &str) -> bool {
    STOP_WORDS.binary_search(&folded).is_ok()
}

/// Suffixes whose accent is put back before stemming (see the module documentation).
const RESTORED_SUFFIXES: [(&str, &str); 6] = [
    ("ieres", "ières"),
    ("iere", "ière"),
    ("ites", "ités"),
    ("ite", "ité"),
    ("ees", "ées"),
    ("ee", "ée"),
];

/// One analysed word of a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Analysed {
    /// Byte range of the word in the text (without an elided article before it).
    pub range: Range<usize>,
    /// Word position, counting stop words but not elisions.
    pub position: usize,
    /// The index term.
    pub term: String,
}

/// Lower-cases and folds `word` to ASCII where Unicode gives a decomposition, into `out`.
pub(crate) fn fold_into(word: &str, out: &mut String) {
    out.clear();
    for c in word.chars() {
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
            continue;
        }
        for lower in c.to_lowercase() {
            match lower {
                'œ' => out.push_str("oe"),
                'æ' => out.push_str("ae"),
                'ß' => out.push_str("ss"),
                'ø' => out.push('o'),
                'đ' | 'ð' => out.push('d'),
                'ł' => out.push('l'),
                'þ' => out.push_str("th"),
                'ı' => out.push('i'),
                _ => decompose_compatible(lower, |d| {
                    if !is_combining_mark(d) {
                        out.extend(d.to_lowercase());
                    }
                }),
            }
        }
    }
}

/// Stems a folded word, putting back a suffix accent first, and folds the stem.
fn stem_folded(stemmer: &Stemmer, folded: &str, out: &mut String) {
    if folded.bytes().all(|b| b.is_ascii_digit()) {
        out.clear();
        out.push_str(folded);
        return;
    }
    let mut restored = Cow::Borrowed(folded);
    for (plain, accented) in RESTORED_SUFFIXES {
        if let Some(base) = folded.strip_suffix(plain)
            && base.len() >= 2
        {
            restored = Cow::Owned(format!("{base}{accented}"));
            break;
        }
    }
    let stem = stemmer.stem(&restored);
    if stem.is_ascii() {
        out.clear();
        out.push_str(&stem);
    } else {
        fold_into(&stem, out);
    }
    // Snowball keeps a final `s` after a, i, o, u (`vélos`, `élus`, `lois`, `emplois` would
    // not find their singular); drop it from the stem.
    let b = out.as_bytes();
    if b.len() >= 3 && b[b.len() - 1] == b's' && matches!(b[b.len() - 2], b'a' | b'i' | b'o' | b'u')
    {
        out.pop();
    }
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || is_combining_mark(c)
}

/// Analyses `text`, calling `sink` with each term in order.
pub(crate) fn analyse(text: &str, mut sink: impl FnMut(Analysed)) {
    let stemmer = Stemmer::create(Algorithm::French);
    let mut folded = String::new();
    let mut term = String::new();
    let mut position = 0usize;
    let mut chars = text.char_indices().peekable();
    while let Some(&(start, c)) = chars.peek() {
        if !is_word_char(c) {
            chars.next();
            continue;
        }
        let mut end = start;
        while let Some(&(i, c)) = chars.peek() {
            if !is_word_char(c) {
                break;
            }
            end = i + c.len_utf8();
            chars.next();
        }
        let word = &text[start..end];
        fold_into(word, &mut folded);
        if folded.is_empty() {
            continue;
        }
        if ELISIONS.contains(&folded.as_str()) && elision_follows(&text[end..]) {
            continue;
        }
        let this_position = position;
        position += 1;
        if folded.chars().count() > MAX_WORD_CHARS || is_stop_word(&folded) {
            continue;
        }
        stem_folded(&stemmer, &folded, &mut term);
        if term.is_empty() {
            continue;
        }
        sink(Analysed {
            range: start..end,
            position: this_position,
            term: term.clone(),
        });
    }
}

/// Whether `rest` (the text after a word) starts with an apostrophe and then a word.
fn elision_follows(rest: &str) -> bool {
    let mut chars = rest.chars();
    matches!(chars.next(), Some(c) if is_apostrophe(c)) && chars.next().is_some_and(is_word_char)
}

/// [`analyse`] as a tantivy tokenizer.
#[derive(Clone, Default)]
pub(crate) struct FrenchTokenizer {
    tokens: Vec<Token>,
}

impl Tokenizer for FrenchTokenizer {
    type TokenStream<'a> = FrenchTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> FrenchTokenStream<'a> {
        self.tokens.clear();
        analyse(text, |a| {
            self.tokens.push(Token {
                offset_from: a.range.start,
                offset_to: a.range.end,
                position: a.position,
                text: a.term,
                position_length: 1,
            })
        });
        FrenchTokenStream {
            tokens: self.tokens.drain(..),
            current: Token::default(),
        }
    }
}

pub(crate) struct FrenchTokenStream<'a> {
    tokens: std::vec::Drain<'a, Token>,
    current: Token,
}

impl TokenStream for FrenchTokenStream<'_> {
    fn advance(&mut self) -> bool {
        match self.tokens.next() {
            Some(token) => {
                self.current = token;
                true
            }
            None => false,
        }
    }

    fn token(&self) -> &Token {
        &self.current
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.current
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The terms of `text`, in order.
    fn t(text: &str) -> Vec<String> {
        let mut out = Vec::new();
        analyse(text, |a| out.push(a.term));
        out
    }

    #[test]
    fn stop_words_are_sorted_folded_and_distinct() {
        let mut sorted = STOP_WORDS.to_vec();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted, STOP_WORDS.to_vec());
        for w in STOP_WORDS {
            let mut folded = String::new();
            fold_into(w, &mut folded);
            assert_eq!(&folded, w);
        }
    }

    #[test]
    fn words_that_carry_meaning_are_not_stop_words() {
        for w in [
            "pas", "non", "sans", "pour", "contre", "plus", "moins", "tous", "car", "or",
        ] {
            assert!(!is_stop_word(w), "{w}");
        }
    }

    #[test]
    fn case_and_accents_are_folded() {
        assert_eq!(t("École"), t("ecole"));
        assert_eq!(t("ÉCOLES"), t("écoles"));
        assert_eq!(t("Œuvre"), ["oeuvr"]);
        assert_eq!(t("ﬁnancement"), t("financement"));
        // Decomposed input (e + combining acute) is the same word as the precomposed one.
        assert_eq!(t("e\u{301}cole"), t("école"));
    }

    #[test]
    fn inflections_share_a_stem() {
        let isol = t("isolées");
        assert_eq!(isol, ["isol"]);
        for w in [
            "isolement",
            "isolé",
            "isolés",
            "isolee",
            "isolees",
            "isoler",
            "isolation",
        ] {
            assert_eq!(t(w), isol, "{w}");
        }
        assert_eq!(t("impôts"), t("impot"));
        assert_eq!(t("transports"), t("transport"));
        assert_eq!(t("sécurité"), t("securite"));
        assert_eq!(t("fiscalité"), t("fiscalite"));
        assert_eq!(t("première"), t("premiere"));
        assert_eq!(t("premiere"), t("premier"));
        for (plural, singular) in [
            ("vélos", "vélo"),
            ("élus", "élu"),
            ("lois", "loi"),
            ("emplois", "emploi"),
            ("délais", "délai"),
            ("chevaux", "cheval"),
        ] {
            assert_eq!(t(plural), t(singular), "{plural}");
        }
    }

    #[test]
    fn elisions_are_dropped_with_both_apostrophes() {
        assert_eq!(t("l'école"), ["ecol"]);
        assert_eq!(t("L’École"), ["ecol"]);
        assert_eq!(t("d'énergie"), t("énergie"));
        assert_eq!(t("jusqu'à présent"), t("présent"));
        assert_eq!(t("qu'il"), Vec::<String>::new());
        assert_eq!(t("lorsqu'on"), Vec::<String>::new());
        // A lone letter without an apostrophe is an ordinary (here: stop) word.
        assert_eq!(t("vitamine d"), ["vitamin"]);
        // An apostrophe with nothing after it elides nothing.
        assert_eq!(t("qu'"), Vec::<String>::new());
    }

    #[test]
    fn positions_count_stop_words_but_not_elisions() {
        let mut got = Vec::new();
        analyse("le prix de l'essence", |a| got.push((a.position, a.term)));
        assert_eq!(got, [(1, "prix".to_string()), (3, "essenc".to_string())]);
    }

    #[test]
    fn ranges_point_at_the_word_in_the_text() {
        let text = "Des écoles, l’école !";
        let mut got = Vec::new();
        analyse(text, |a| got.push(text[a.range].to_string()));
        assert_eq!(got, ["écoles", "école"]);
    }

    #[test]
    fn odd_input_is_harmless() {
        assert!(t("").is_empty());
        assert!(t("🙂🙂 — ''' \u{0} \u{200b}").is_empty());
        assert_eq!(t("vélo🚲vélo"), ["velo", "velo"]);
        assert_eq!(t("CO2 2019"), ["co2", "2019"]);
        assert_eq!(t("東京 Ελλάδα"), ["東京", "ελλαδα"]);
        let long = "a".repeat(MAX_WORD_CHARS + 1);
        assert!(t(&long).is_empty());
    }
}
