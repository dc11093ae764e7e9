//! # Concorde search
//!
//! French full-text search over a debate's contributions and comments: no database, no web.
//! The index is a [tantivy](https://docs.rs/tantivy) index of its own, on disk
//! ([`Index::open`]) or in memory ([`Index::in_memory`]), so search behaves the same whichever
//! database the platform runs on. It stores ids and dates, not texts: the platform keeps it in
//! step with [`Index::upsert`] and [`Index::delete`], fills it with [`Index::rebuild`] when
//! [`Index::needs_rebuild`] says so, and loads the texts of the hits from its database.
//!
//! ## What matches what
//!
//! Titles and bodies go through one French analysis (module `analyzer`), and so do queries:
//!
//! | the text has | found by | because |
//! |---|---|---|
//! | `École`, `ÉCOLES`, `écoles` | `ecole`, `école`, `Ecoles` | case and accents are folded |
//! | `isolement`, `isolé`, `isolées`, `isolation` | `isolées` (and each other) | Snowball French stemming: all stem to `isol` |
//! | `l'école`, `L’École`, `d'énergie` | `école`, `énergie` | elided `l' d' qu' j' n' s' c' m' t' jusqu' lorsqu' puisqu' quoiqu'` are dropped, with `'` or `’` |
//! | `œuvre`, `ﬁnancement` | `oeuvre`, `financement` | ligatures and compatibility forms are folded |
//! | `impôts` | `impot`, `Impôt`, `IMPOTS` | folding, then stemming |
//! | `piste cyclable` (in that order) | `"pistes cyclables"` | quoted text is a phrase query |
//!
//! Several words are all required (AND), in any order and any field; a contribution's title
//! and body are searched together, a title match weighing double. Stop words (articles,
//! pronouns, common prepositions, auxiliaries: [`analyzer::STOP_WORDS`]) are ignored both in
//! texts and queries, so `les écoles de la ville` searches `écoles ville`. Negation and stance
//! words are **not** stop words and are required like any other: `pas`, `non`, `sans`, `pour`,
//! `contre`, `plus`, `moins`.
//!
//! Queries have no syntax that can fail: quotes (`"…"`, `“…”`, `«…»`) make phrases, an unclosed
//! quote is ignored, parentheses and other signs separate words, and the capitalised operators
//! `AND`, `OR`, `NOT` are dropped (so `vélo OR voiture` requires both words). A query with no
//! searchable word has no hits.
//!
//! Results ([`Index::search`]) are ranked by BM25, then by newest, contributions before
//! comments, then larger id, so the order is the same on every run; `total` counts every match.
//! [`highlight`] and [`snippet`] mark the words of a text that match a query, by the same
//! analysis.
//!
//! ## Known limits
//!
//! - No synonyms or spelling correction: `vélo` does not find `bicyclette`, a typo finds
//!   nothing, and there is no prefix or fuzzy search (`transp` does not find `transport`).
//! - Stemming over-matches: unrelated words can share a stem (`commune`, `commun` and
//!   `communication` all stem to `commun`; `part`, `partie`, `parti` and `partir` to `part`).
//! - Stemming under-matches: some related words keep distinct stems, e.g. `travail`/`travaux`,
//!   `jeune`/`jeunesse`, a past participle in `-ié` and its infinitive
//!   (`simplifié`/`simplifier`), irregular verbs (`va`/`aller`).
//! - Hyphenated words are two words (`Saint-Nazaire` is `saint nazaire`; quote it to require
//!   them together). Words over [`MAX_WORD_CHARS`] characters are not indexed.
//! - Phrases ignore stop words but keep their distance: `"prix de l'essence"` finds `prix de
//!   l'essence` and `prix à l'essence`, not `prix essence`. Highlighting marks the words of a
//!   phrase wherever they occur.
//! - One process at a time opens an on-disk index (tantivy holds a writer lock).
//!
//! The behaviour and its limits are described for users in `docs/search.md`.

pub mod analyzer;
mod collector;
mod highlight;
mod index;
mod query;

pub use analyzer::MAX_WORD_CHARS;
pub use highlight::{ELLIPSIS, highlight, snippet};
pub use index::{FORMAT_VERSION, Index, MAX_WINDOW, Rebuild};

use std::path::PathBuf;

/// What a document is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    Contribution,
    Comment,
}

impl Kind {
    /// Code stored in the index (and order of ties: contributions first).
    pub(crate) fn code(self) -> u64 {
        match self {
            Kind::Contribution => 0,
            Kind::Comment => 1,
        }
    }

    pub(crate) fn from_code(code: u64) -> Kind {
        if code == 1 {
            Kind::Comment
        } else {
            Kind::Contribution
        }
    }

    /// The unique key of a document in the index: `c42` is contribution 42, `m42` comment 42.
    pub(crate) fn key(self, id: i64) -> String {
        match self {
            Kind::Contribution => format!("c{id}"),
            Kind::Comment => format!("m{id}"),
        }
    }
}

/// A contribution or comment to index. (kind, id) identifies it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Doc<'a> {
    pub kind: Kind,
    pub id: i64,
    pub debate_id: i64,
    /// The contribution itself for a contribution, the commented contribution for a comment.
    pub contribution_id: i64,
    /// Empty for comments.
    pub title: &'a str,
    pub body: &'a str,
    /// Any increasing time (the platform uses Unix seconds); newer wins ties.
    pub created_at: i64,
}

/// A search in one debate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Query<'a> {
    pub debate_id: i64,
    /// What the resident typed; see the crate documentation. Never a syntax error.
    pub text: &'a str,
    /// Only contributions, or only comments; `None` for both.
    pub kind: Option<Kind>,
    /// Hits to skip; `offset + limit` is capped at [`MAX_WINDOW`].
    pub offset: usize,
    pub limit: usize,
}

impl<'a> Query<'a> {
    /// The first 20 hits of both kinds.
    pub fn new(debate_id: i64, text: &'a str) -> Query<'a> {
        Query {
            debate_id,
            text,
            kind: None,
            offset: 0,
            limit: 20,
        }
    }
}

/// One result.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Hit {
    pub kind: Kind,
    pub id: i64,
    pub contribution_id: i64,
    /// BM25 relevance; comparable within one search only.
    pub score: f32,
}

/// A page of results.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Hits {
    /// Number of matching documents in the debate (all pages).
    pub total: usize,
    pub hits: Vec<Hit>,
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("search index: {0}")]
    Index(#[from] tantivy::TantivyError),
    #[error("search index directory {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(
        "{0} is not empty and holds no search index: refusing to use it (give the index a directory of its own)"
    )]
    NotAnIndex(PathBuf),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
