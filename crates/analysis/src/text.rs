//! French text handling: normalisation, tokenisation, stop words, accent folding and stemming.
//!
//! Text goes through NFKC normalisation and lower-casing; words are runs of letters and digits.
//! Elided articles and pronouns (`l'`, `d'`, `qu'`, … with the straight or typographic
//! apostrophe) are dropped, hyphenated words are split, and punctuation marks a *boundary*
//! so that bigrams never span two sentences or clauses. Emoji and symbols are separators.
//!
//! Each distinct word is mapped once to: its stop-word flag, its accent-folded form (used for
//! duplicate detection, so "Ecole" and "école" are the same word) and its Snowball French stem,
//! itself accent-folded so that spelling with or without accents meets in one term.

use std::collections::HashSet;
use std::sync::OnceLock;

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// stopwords-iso French list (MIT), see `data/README.md`.
const STOPWORDS_ISO_FR: &str = include_str!("../data/stopwords_iso_fr.txt");

/// Words of the stopwords-iso list that carry meaning in public debate and are kept as content
/// words ("l'État", "la droite", "prendre la parole", "les valeurs", "les personnes âgées").
const KEEP_AS_CONTENT: &[&str] = &["état", "etat", "droite", "parole", "valeur", "personnes"];

/// Elided forms dropped before an apostrophe.
const ELISIONS: &[&str] = &[
    "l", "d", "j", "n", "s", "c", "m", "t", "qu", "jusqu", "lorsqu", "puisqu", "quoiqu",
];

fn stopwords() -> &'static HashSet<String> {
    static SET: OnceLock<HashSet<String>> = OnceLock::new();
    SET.get_or_init(|| {
        let mut set = HashSet::new();
        for line in STOPWORDS_ISO_FR.lines() {
            let w = line.trim();
            if w.is_empty() || w.starts_with('#') || KEEP_AS_CONTENT.contains(&w) {
                continue;
            }
            let lower = w.to_lowercase();
            set.insert(fold_accents(&lower));
            set.insert(lower);
        }
        set
    })
}

/// Is this lower-case word a stop word (with or without its accents)?
pub fn is_stopword(word: &str) -> bool {
    let set = stopwords();
    set.contains(word) || set.contains(&fold_accents(word))
}

/// Remove diacritics and expand ligatures: "Œuvre" stays upper-case but becomes "OEuvre".
pub fn fold_accents(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.nfd() {
        match c {
            'œ' => out.push_str("oe"),
            'Œ' => out.push_str("OE"),
            'æ' => out.push_str("ae"),
            'Æ' => out.push_str("AE"),
            'ß' => out.push_str("ss"),
            c if is_combining_mark(c) => {}
            c => out.push(c),
        }
    }
    out
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '’' | 'ʼ' | '‘' | '`' | '´')
}

/// One token of a text: a lower-case word, or a boundary (punctuation, line break).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Token<'a> {
    Word(&'a str),
    /// An elided article or pronoun without its apostrophe ("d" of "d'habitation"): kept in the
    /// stream so phrases read naturally ("taxe d'habitation"), never a content word.
    Elision(&'a str),
    Boundary,
}

/// Tokenise `text`, calling `emit` for each word and boundary. `buf` is scratch space reused
/// across calls to avoid allocations.
pub fn tokenize(text: &str, buf: &mut String, mut emit: impl FnMut(Token<'_>)) {
    buf.clear();
    // NFKC then lower-case; most texts are already in NFKC and skip the normaliser.
    if text.is_ascii() {
        buf.push_str(text);
        buf.make_ascii_lowercase();
    } else if unicode_normalization::is_nfkc_quick(text.chars())
        == unicode_normalization::IsNormalized::Yes
    {
        for c in text.chars() {
            if c.is_ascii() {
                buf.push(c.to_ascii_lowercase());
            } else {
                buf.extend(c.to_lowercase());
            }
        }
    } else {
        for c in text.nfkc() {
            buf.extend(c.to_lowercase());
        }
    }
    let mut start: Option<usize> = None;
    let mut pending_boundary = false;
    let bytes_len = buf.len();
    let mut iter = buf.char_indices().peekable();
    while let Some((i, c)) = iter.next() {
        if c.is_alphanumeric() {
            if start.is_none() {
                if pending_boundary {
                    emit(Token::Boundary);
                    pending_boundary = false;
                }
                start = Some(i);
            }
            continue;
        }
        if let Some(s) = start {
            let word = &buf[s..i];
            if is_apostrophe(c) {
                // Elision: drop "l'" in "l'école"; keep "aujourd'hui" as one word.
                let next_is_letter = iter.peek().is_some_and(|&(_, n)| n.is_alphabetic());
                if next_is_letter {
                    if ELISIONS.contains(&word) {
                        emit(Token::Elision(word));
                        start = None;
                        continue;
                    }
                    if word == "aujourd" || word == "presqu" || word == "quelqu" {
                        continue; // keep the apostrophe inside the word
                    }
                }
            }
            emit(Token::Word(word));
            start = None;
        }
        if is_boundary_char(c) {
            pending_boundary = true;
        }
    }
    if let Some(s) = start {
        emit(Token::Word(&buf[s..bytes_len]));
    }
}

fn is_boundary_char(c: char) -> bool {
    matches!(
        c,
        '.' | ','
            | ';'
            | ':'
            | '!'
            | '?'
            | '('
            | ')'
            | '['
            | ']'
            | '{'
            | '}'
            | '"'
            | '«'
            | '»'
            | '\n'
            | '\r'
            | '\t'
            | '…'
            | '/'
            | '|'
            | '•'
            | '–'
            | '—'
            | '*'
            | '='
    )
}

/// Collect the words of a text (no boundaries); convenient for tests and explanations.
pub fn words(text: &str) -> Vec<String> {
    let mut buf = String::new();
    let mut out = Vec::new();
    tokenize(text, &mut buf, |t| {
        if let Token::Word(w) = t {
            out.push(w.to_string());
        }
    });
    out
}

/// Per-word facts computed once per distinct word.
#[derive(Debug, Clone)]
pub struct WordInfo {
    /// Accent-folded form, for duplicate detection.
    pub folded: String,
    /// Accent-folded Snowball stem; `None` for stop words and words too short to mean anything.
    pub stem: Option<String>,
}

/// Analyse one distinct lower-case word.
pub fn analyse_word(word: &str, stemmer: &rust_stemmers::Stemmer) -> WordInfo {
    let folded = fold_accents(word);
    let char_count = word.chars().count();
    let all_digits = word.chars().all(|c| c.is_numeric());
    let useless = char_count < 2
        || word.ends_with('\'')
        || is_stopword(word)
        || (all_digits && char_count > 4)
        || char_count > 40;
    let stem = if useless {
        None
    } else if all_digits {
        Some(folded.clone())
    } else {
        Some(fold_accents(&stemmer.stem(word)))
    };
    WordInfo { folded, stem }
}

/// The French Snowball stemmer.
pub fn french_stemmer() -> rust_stemmers::Stemmer {
    rust_stemmers::Stemmer::create(rust_stemmers::Algorithm::French)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn elisions_with_both_apostrophes() {
        assert_eq!(
            words("L'école d’aujourd'hui qu’il faut"),
            vec!["école", "aujourd'hui", "il", "faut"]
        );
        assert_eq!(
            words("J'ai n'est s'il c'est"),
            vec!["ai", "est", "il", "est"]
        );
    }

    #[test]
    fn capitals_emoji_and_nfkc() {
        assert_eq!(words("ÉCOLE 👍 Ｅcole"), vec!["école", "ecole"]);
        assert_eq!(words("ﬁnances"), vec!["finances"]);
        assert!(words("🙂🙂").is_empty());
    }

    #[test]
    fn boundaries_between_clauses() {
        let mut buf = String::new();
        let mut toks = Vec::new();
        tokenize("impôts. Justice d’État", &mut buf, |t| {
            toks.push(match t {
                Token::Word(w) => w.to_string(),
                Token::Elision(e) => format!("{e}'"),
                Token::Boundary => "|".into(),
            })
        });
        assert_eq!(toks, vec!["impôts", "|", "justice", "d'", "état"]);
    }

    #[test]
    fn stopwords_and_stems_fold_accents() {
        let st = french_stemmer();
        assert!(analyse_word("non", &st).stem.is_none());
        assert!(analyse_word("les", &st).stem.is_none());
        assert_eq!(analyse_word("état", &st).stem.as_deref(), Some("etat"));
        let a = analyse_word("écoles", &st).stem;
        let b = analyse_word("ecole", &st).stem;
        assert_eq!(a, b);
        assert_eq!(fold_accents("Œuvre où"), "OEuvre ou");
    }
}
