//! A resident's query string, read leniently: no syntax error is possible.
//!
//! Words outside quotes are each required (AND), after analysis; text inside double quotes
//! (`"…"`, `“…”`, `«…»`) is a phrase, its words required in that order at the same distances.
//! Everything else is ordinary text: parentheses, `+`, `-`, `*`, `:` are separators, an unclosed
//! quote is ignored, and the operators `AND`, `OR` and `NOT` written in capitals (a habit from
//! web search engines) are dropped rather than searched for.

use crate::analyzer::{self, Analysed};

/// One required part of a query, in analysed terms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Clause {
    /// A single term.
    Term(String),
    /// Terms with their positions relative to the first (at least two terms).
    Phrase(Vec<(usize, String)>),
}

const OPERATORS: [&str; 3] = ["AND", "OR", "NOT"];

fn is_opening_quote(c: char) -> bool {
    matches!(c, '"' | '“' | '«' | '„')
}

fn is_closing_quote(c: char) -> bool {
    matches!(c, '"' | '”' | '»' | '“')
}

/// Splits `text` into (segment, quoted) pieces. A quote without its closing quote is plain text.
fn split_quotes(text: &str) -> Vec<(&str, bool)> {
    let mut pieces = Vec::new();
    let mut rest = text;
    while let Some((open, quote)) = rest.char_indices().find(|&(_, c)| is_opening_quote(c)) {
        let inner = &rest[open + quote.len_utf8()..];
        let Some((close, quote)) = inner.char_indices().find(|&(_, c)| is_closing_quote(c)) else {
            break;
        };
        pieces.push((&rest[..open], false));
        pieces.push((&inner[..close], true));
        rest = &inner[close + quote.len_utf8()..];
    }
    pieces.push((rest, false));
    pieces.retain(|(s, _)| !s.is_empty());
    pieces
}

/// Parses a query string into required clauses (none: the query can match nothing).
pub(crate) fn parse(text: &str) -> Vec<Clause> {
    let mut clauses: Vec<Clause> = Vec::new();
    let mut push = |clause: Clause| {
        if !clauses.contains(&clause) {
            clauses.push(clause);
        }
    };
    for (piece, quoted) in split_quotes(text) {
        let mut analysed: Vec<Analysed> = Vec::new();
        analyzer::analyse(piece, |a| {
            if quoted || !OPERATORS.contains(&&piece[a.range.clone()]) {
                analysed.push(a)
            }
        });
        if quoted && analysed.len() > 1 {
            let first = analysed[0].position;
            push(Clause::Phrase(
                analysed
                    .into_iter()
                    .map(|a| (a.position - first, a.term))
                    .collect(),
            ));
        } else {
            for a in analysed {
                push(Clause::Term(a.term));
            }
        }
    }
    clauses
}

/// Every term of a query, phrases included, for highlighting.
pub(crate) fn all_terms(text: &str) -> Vec<String> {
    let mut terms: Vec<String> = Vec::new();
    for clause in parse(text) {
        match clause {
            Clause::Term(t) => terms.push(t),
            Clause::Phrase(p) => terms.extend(p.into_iter().map(|(_, t)| t)),
        }
    }
    terms.sort_unstable();
    terms.dedup();
    terms
}

#[cfg(test)]
mod tests {
    use super::*;

    fn term(t: &str) -> Clause {
        Clause::Term(t.to_string())
    }

    #[test]
    fn words_are_required_terms() {
        assert_eq!(parse("Les écoles isolées"), [term("ecol"), term("isol")]);
        assert_eq!(parse("école écoles"), [term("ecol")]);
    }

    #[test]
    fn quotes_make_phrases() {
        assert_eq!(
            parse("tram \"prix de l'essence\" nuit"),
            [
                term("tram"),
                Clause::Phrase(vec![(0, "prix".into()), (2, "essenc".into())]),
                term("nuit"),
            ]
        );
        assert_eq!(
            parse("«piste cyclable»"),
            [Clause::Phrase(vec![
                (0, "pist".into()),
                (1, "cyclabl".into())
            ])]
        );
        // A one-word phrase is a term.
        assert_eq!(parse("\"écoles\""), [term("ecol")]);
    }

    #[test]
    fn syntax_is_never_an_error() {
        assert_eq!(parse("l'école\" OR ("), [term("ecol")]);
        assert_eq!(parse("\"\"\"\""), []);
        assert_eq!(parse("((( -+*: )))"), []);
        assert_eq!(
            parse("vélo AND NOT voiture"),
            [term("velo"), term("voitur")]
        );
        // Lower-case "or" is a word (the metal); only the capitalised operators are dropped.
        assert_eq!(parse("or"), [term("or")]);
        assert_eq!(parse("\"NOT\""), [term("not")]);
    }

    #[test]
    fn stop_words_only_give_no_clause() {
        assert!(parse("").is_empty());
        assert!(parse("   ").is_empty());
        assert!(parse("le la les de qu'il").is_empty());
    }

    #[test]
    fn split_quotes_handles_several_and_unclosed_quotes() {
        assert_eq!(
            split_quotes("a \"b\" c \"d\" e \"f"),
            [
                ("a ", false),
                ("b", true),
                (" c ", false),
                ("d", true),
                (" e \"f", false)
            ]
        );
    }
}
