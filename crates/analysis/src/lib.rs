//! # Concorde synthesis engine
//!
//! Text in, themes out: no database, no web. Given contributions ([`Document`]), [`analyze`]
//! returns an [`Analysis`] (JSON schema in `SCHEMA.md`) with themes, outliers, duplicate groups
//! and campaigns, per-contribution assignments and, when labels are given, NMI/ARI against them.
//! [`render_html`] turns it into a standalone French summary page; [`explain`] says why a
//! contribution sits in its theme.
//!
//! ## Method
//!
//! 1. **Text** ([`text`]): NFKC, lower case, elisions (`l'`, `qu’`…) and French stop words
//!    (stopwords-iso) removed, Snowball French stems with accents folded. Each distinct word is
//!    analysed once; texts become `u32` word ids in one flat array.
//! 2. **Duplicates** ([`dedup`]): exact duplicates by normalised text (case, accents,
//!    punctuation ignored) are collapsed to one *distinct text*; near duplicates by MinHash/LSH
//!    on word 3-shingles, verified by exact Jaccard. Groups of at least `campaign_min_size`
//!    contributions with a substantive text are flagged as campaigns. Clustering runs on
//!    distinct texts, so a campaign weighs as one text in the themes' shape, while sizes count
//!    every contribution.
//! 3. **Vectors** ([`features`]): stems and two-word phrases, pruned by document frequency,
//!    sublinear TF-IDF, L2-normalised sparse rows. **Word vectors** ([`embed`]) learnt from the
//!    corpus itself (PPMI of co-occurrences, randomised truncated SVD) give each text a dense
//!    part, the TF-IDF-weighted sum of its words' vectors, appended to its sparse row for
//!    clustering: "vélo" and "bicyclette" meet, a short answer finds its theme through its
//!    words' neighbours. "Why here" still names the text's own terms.
//! 4. **Themes** ([`cluster`]): spherical k-means (cosine) with k-means++ on a seeded sample,
//!    Lloyd iterations on the sample then on all texts. The number of themes, within
//!    `[min_themes, max_themes]`, is the knee of the cohesion curve (mean cosine to the
//!    centroids against k) on a sample, capped at the largest k whose silhouette keeps 80 % of
//!    the best one. Themes too small are dissolved; texts with no term or too far from every
//!    theme are *outliers*, not forced. Large themes are split again the same way into
//!    sub-themes.
//! 5. **Description** ([`describe`], [`phrases`]): keyphrases are phrases as people wrote
//!    them ("taxer le kérosène", "pistes cyclables sécurisées"), scored by how much more often
//!    the theme's texts say them than the rest of the corpus; fillers and generic verbs never
//!    start or end one. The label is the best phrase of 3 to 8 words, extended when most of its
//!    speakers say more ("indexation des retraites sur l'inflation"). Representatives by
//!    maximal marginal relevance; breakdowns by question, category, quartier and channel.
//! 6. **Assisted coding** ([`coding`]): codes learnt from the analysts' coded contributions,
//!    suggested for the others with a calibrated confidence and the terms behind them.
//!
//! ## Reproducibility
//!
//! Fixed seeds, no process-random hashing, hash maps never iterated into results, parallel work
//! split into fixed chunks and reduced in order: the same input and settings give
//! byte-identical JSON, whatever the number of threads. Distinct texts and features are put in a
//! canonical order (content hash, term string), so reordering the input does not change themes.

pub mod cluster;
pub mod coding;
pub mod corpus;
pub mod dedup;
pub mod describe;
pub mod embed;
pub mod eval;
pub mod features;
mod html;
mod input;
mod model;
pub mod phrases;
mod pipeline;
pub mod text;
mod util;

pub use html::render_html;
pub use input::{open_text, read_jsonl, read_jsonl_from, Document, Error, InputProblem};
pub use model::*;
pub use pipeline::{analyze, explain};

/// Serialise an analysis as compact JSON (the stable on-disk form).
pub fn to_json(analysis: &Analysis) -> String {
    // Serialising plain data with string keys cannot fail.
    serde_json::to_string(analysis).unwrap_or_default()
}
