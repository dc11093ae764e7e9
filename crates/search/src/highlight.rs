//! Highlighting: which words of a text match a query, by the same analysis as the index.
//!
//! Segments are plain text, not escaped: the web layer escapes each and wraps the matched ones
//! in `<mark>`. Joined, the segments of [`highlight`] give back the text exactly.

use std::ops::Range;

use crate::analyzer;
use crate::query;

/// The byte ranges of the words of `text` whose term is one of `terms` (sorted).
fn matched_ranges(text: &str, terms: &[String]) -> Vec<Range<usize>> {
    let mut ranges = Vec::new();
    if terms.is_empty() {
        return ranges;
    }
    analyzer::analyse(text, |a| {
        if terms.binary_search(&a.term).is_ok() {
            ranges.push(a.range);
        }
    });
    ranges
}

/// Cuts `text` into segments at the given (ordered, disjoint) ranges.
fn segments(text: &str, ranges: &[Range<usize>]) -> Vec<(String, bool)> {
    let mut out = Vec::with_capacity(ranges.len() * 2 + 1);
    let mut at = 0;
    for r in ranges {
        if r.start > at {
            out.push((text[at..r.start].to_string(), false));
        }
        out.push((text[r.clone()].to_string(), true));
        at = r.end;
    }
    if at < text.len() || out.is_empty() {
        out.push((text[at..].to_string(), false));
    }
    out
}

/// Splits `text` into segments, `true` for the words that match a word of `query` (after the
/// same analysis as searching: `écoles` is marked for the query `ecole`). Words of a quoted
/// phrase are marked wherever they occur, not only inside the phrase.
pub fn highlight(text: &str, query: &str) -> Vec<(String, bool)> {
    let terms = query::all_terms(query);
    segments(text, &matched_ranges(text, &terms))
}

/// The ellipsis put where [`snippet`] cuts the text.
pub const ELLIPSIS: &str = "…";

/// A passage of about `max_chars` characters of `text` around its first match, cut at word
/// boundaries (white space), highlighted like [`highlight`]. An [`ELLIPSIS`] segment (not
/// matched) marks each side where text was left out. Without a match, the passage is the
/// start of the text. White space inside the passage is kept as it is.
pub fn snippet(text: &str, query: &str, max_chars: usize) -> Vec<(String, bool)> {
    let terms = query::all_terms(query);
    let first = {
        let mut first = None;
        if !terms.is_empty() {
            analyzer::analyse(text, |a| {
                if first.is_none() && terms.binary_search(&a.term).is_ok() {
                    first = Some(a.range);
                }
            });
        }
        first
    };
    let window = window(text, first, max_chars.max(1));
    let part = &text[window.clone()];
    let mut out = segments(part, &matched_ranges(part, &terms));
    if window.start > 0 {
        out.insert(0, (ELLIPSIS.to_string(), false));
    }
    if window.end < text.len() {
        out.push((ELLIPSIS.to_string(), false));
    }
    out.retain(|(s, _)| !s.is_empty());
    out
}

/// Byte offset `n` characters after `from` (or the end).
fn chars_after(text: &str, from: usize, n: usize) -> usize {
    text[from..]
        .char_indices()
        .nth(n)
        .map_or(text.len(), |(i, _)| from + i)
}

/// Byte offset `n` characters before `to` (or the start).
fn chars_before(text: &str, to: usize, n: usize) -> usize {
    if n == 0 {
        return to;
    }
    text[..to]
        .char_indices()
        .rev()
        .nth(n - 1)
        .map_or(0, |(i, _)| i)
}

/// The byte range of the passage: a quarter of the budget before the match, the rest after,
/// then trimmed inwards to white space so no word is cut (unless a single word fills it).
fn window(text: &str, first: Option<Range<usize>>, max_chars: usize) -> Range<usize> {
    let anchor = first.as_ref().map_or(0, |r| r.start);
    let mut start = chars_before(text, anchor, max_chars / 4);
    let mut end = chars_after(text, start, max_chars);
    if end == text.len() {
        // Near the end: use the budget backwards too.
        start = chars_before(text, end, max_chars);
    }
    if start > 0 {
        // Start after the first white space, if that still keeps the match.
        if let Some(i) = text[start..anchor].find(char::is_whitespace) {
            let ws = text[start + i..].chars().next().map_or(1, char::len_utf8);
            start += i + ws;
        } else if text[..start].ends_with(char::is_whitespace) {
            // Already at a word start.
        } else {
            start = anchor;
            end = chars_after(text, start, max_chars);
        }
    }
    if end < text.len() && !text[end..].starts_with(char::is_whitespace) {
        let keep_to = first.as_ref().map_or(start, |r| r.end).max(start);
        if keep_to < end
            && let Some(i) = text[keep_to..end].rfind(char::is_whitespace)
        {
            end = keep_to + i;
        }
    }
    // No white space left at the edges.
    let trimmed = text[start..end].trim_end();
    end = start + trimmed.len();
    let trimmed = text[start..end].trim_start();
    start = end - trimmed.len();
    start..end
}

#[cfg(test)]
mod tests {
    use super::*;

    fn marked(segments: &[(String, bool)]) -> Vec<&str> {
        segments
            .iter()
            .filter(|(_, m)| *m)
            .map(|(s, _)| s.as_str())
            .collect()
    }

    fn joined(segments: &[(String, bool)]) -> String {
        segments.iter().map(|(s, _)| s.as_str()).collect()
    }

    #[test]
    fn highlight_marks_inflected_and_unaccented_forms() {
        let text = "Les écoles rurales et l'École de musique; une ECOLE.";
        let got = highlight(text, "ecole");
        assert_eq!(marked(&got), ["écoles", "École", "ECOLE"]);
        assert_eq!(joined(&got), text);
        let got = highlight("des logements isolés", "isolées");
        assert_eq!(marked(&got), ["isolés"]);
    }

    #[test]
    fn highlight_without_match_or_query_is_the_text() {
        assert_eq!(
            highlight("Bonjour", "vélo"),
            [("Bonjour".to_string(), false)]
        );
        assert_eq!(highlight("Bonjour", ""), [("Bonjour".to_string(), false)]);
        assert_eq!(highlight("", "vélo"), [(String::new(), false)]);
        // Stop words are never marked.
        assert!(marked(&highlight("le chat et le chien", "le et")).is_empty());
    }

    #[test]
    fn highlight_marks_phrase_words() {
        let got = highlight(
            "La piste cyclable et la piste de ski",
            "\"pistes cyclables\"",
        );
        assert_eq!(marked(&got), ["piste", "cyclable", "piste"]);
    }

    #[test]
    fn snippet_cuts_around_the_first_match_on_word_boundaries() {
        let before = "mot ".repeat(200);
        let after = " suite".repeat(200);
        let text = format!("{before}les transports en commun{after}");
        let got = snippet(&text, "transport", 60);
        assert_eq!(got.first().unwrap(), &(ELLIPSIS.to_string(), false));
        assert_eq!(got.last().unwrap(), &(ELLIPSIS.to_string(), false));
        assert_eq!(marked(&got), ["transports"]);
        let inner: String = got[1..got.len() - 1]
            .iter()
            .map(|(s, _)| s.as_str())
            .collect();
        assert!(inner.chars().count() <= 60, "{inner:?}");
        assert!(text.contains(&inner));
        // Whole words only.
        assert!(
            inner.starts_with("mot ") && inner.ends_with("suite"),
            "{inner:?}"
        );
    }

    #[test]
    fn snippet_without_match_is_the_start() {
        let text = "Un deux trois quatre cinq six sept huit neuf dix";
        let got = snippet(text, "vélo", 20);
        assert_eq!(joined(&got), format!("Un deux trois quatre{ELLIPSIS}"));
        let got = snippet(text, "vélo", 18);
        assert_eq!(joined(&got), format!("Un deux trois{ELLIPSIS}"));
        let got = snippet("court", "vélo", 240);
        assert_eq!(got, [("court".to_string(), false)]);
    }

    #[test]
    fn snippet_near_the_end_uses_the_budget_backwards() {
        let text = format!("{} dernier mot vélo", "avant ".repeat(50));
        let got = snippet(&text, "velo", 30);
        assert_eq!(got.last().unwrap(), &("vélo".to_string(), true));
        let inner: String = got[1..].iter().map(|(s, _)| s.as_str()).collect();
        assert!(
            inner.chars().count() <= 30 && inner.chars().count() > 20,
            "{inner:?}"
        );
    }

    #[test]
    fn snippet_of_one_huge_word_is_cut_inside_it() {
        let text = format!("{}vélo", "x".repeat(1000));
        let got = snippet(&text, "vélo", 50);
        let inner: String = got.iter().map(|(s, _)| s.as_str()).collect();
        assert!(inner.chars().count() <= 52);
    }
}
