//! Settings and the result schema (`Analysis`), serialised as JSON. See `SCHEMA.md`.
//!
//! Every collection is a `Vec` or a `BTreeMap`, so serialisation order is deterministic.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// Version of the JSON schema of [`Analysis`]; bumped on incompatible changes.
pub const SCHEMA_VERSION: u32 = 1;

/// Analyst-facing settings. Missing fields take their default when deserialised.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// Smallest number of themes the automatic choice may return.
    pub min_themes: usize,
    /// Largest number of themes; set `min_themes == max_themes` to fix it.
    pub max_themes: usize,
    /// Seed of every random choice (sampling, k-means++ initialisation).
    pub seed: u64,
    /// A term must occur in at least this many distinct texts; 0 = automatic
    /// (2 for small corpora, rising to 5 above 25,000 distinct texts).
    pub min_df: usize,
    /// A term occurring in more than this share of distinct texts is ignored.
    pub max_df: f64,
    /// Use two-word phrases as terms as well as single words.
    pub bigrams: bool,
    /// Keep at most this many terms (the most frequent), bounding memory and k-means time.
    pub max_vocabulary: usize,
    /// A contribution whose cosine similarity to its theme is below this is an outlier.
    pub min_similarity: f64,
    /// Themes with fewer distinct texts are dissolved; 0 = automatic (0.2 % of texts, at least 3).
    pub min_theme_size: usize,
    /// Jaccard similarity of word 3-shingles from which two texts are near duplicates.
    pub near_duplicate_threshold: f64,
    /// A duplicate group of at least this many contributions is flagged as a campaign...
    pub campaign_min_size: usize,
    /// ...if its text has at least this many words ("Non" repeated is not a campaign).
    pub campaign_min_words: usize,
    /// Keyphrases per theme.
    pub keyphrases: usize,
    /// Representative contributions per theme.
    pub representatives: usize,
    /// Split large themes into sub-themes.
    pub subthemes: bool,
    /// Themes with at least this many distinct texts get sub-themes.
    pub subtheme_min_size: usize,
    /// Largest number of sub-themes per theme.
    pub max_subthemes: usize,
    /// Upper bound on k-means iterations over the whole corpus.
    pub max_iterations: usize,
    /// Texts used to initialise k-means and choose the number of themes.
    pub sample_size: usize,
    /// Dimension of the word vectors learnt from the corpus (PPMI + truncated SVD) whose
    /// weighted sums join each text's TF-IDF row for clustering; 0 = TF-IDF alone.
    pub word_vectors: usize,
    /// Share of a row's squared norm given to its word-vector part, in [0, 1).
    pub vector_weight: f64,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            min_themes: 4,
            max_themes: 20,
            seed: 42,
            min_df: 0,
            max_df: 0.5,
            bigrams: true,
            max_vocabulary: 100_000,
            min_similarity: 0.05,
            min_theme_size: 0,
            near_duplicate_threshold: 0.7,
            campaign_min_size: 5,
            campaign_min_words: 8,
            keyphrases: 8,
            representatives: 5,
            subthemes: true,
            subtheme_min_size: 150,
            max_subthemes: 5,
            max_iterations: 5,
            sample_size: 20_000,
            word_vectors: 64,
            vector_weight: 0.4,
        }
    }
}

impl Settings {
    /// Check ranges; returns a message naming the faulty setting.
    pub fn validate(&self) -> Result<(), String> {
        if self.min_themes == 0 {
            return Err("min_themes must be at least 1".into());
        }
        if self.max_themes < self.min_themes {
            return Err(format!(
                "max_themes ({}) is smaller than min_themes ({})",
                self.max_themes, self.min_themes
            ));
        }
        if self.max_themes > 1000 {
            return Err("max_themes must be at most 1000".into());
        }
        if !(self.max_df > 0.0 && self.max_df <= 1.0) {
            return Err("max_df must be in (0, 1]".into());
        }
        if !(0.0..=1.0).contains(&self.min_similarity) {
            return Err("min_similarity must be in [0, 1]".into());
        }
        if !(self.near_duplicate_threshold > 0.0 && self.near_duplicate_threshold <= 1.0) {
            return Err("near_duplicate_threshold must be in (0, 1]".into());
        }
        if self.max_vocabulary == 0 {
            return Err("max_vocabulary must be at least 1".into());
        }
        if self.campaign_min_size < 2 {
            return Err("campaign_min_size must be at least 2".into());
        }
        if !(0.0..1.0).contains(&self.vector_weight) {
            return Err("vector_weight must be in [0, 1)".into());
        }
        if self.word_vectors > 512 {
            return Err("word_vectors must be at most 512".into());
        }
        if self.max_subthemes < 2 && self.subthemes {
            return Err("max_subthemes must be at least 2".into());
        }
        Ok(())
    }
}

/// Engine identification recorded in every result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Engine {
    pub name: String,
    pub version: String,
    pub schema_version: u32,
}

impl Engine {
    pub fn current() -> Self {
        Engine {
            name: env!("CARGO_PKG_NAME").to_string(),
            version: env!("CARGO_PKG_VERSION").to_string(),
            schema_version: SCHEMA_VERSION,
        }
    }
}

/// The result of [`crate::analyze`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Analysis {
    pub engine: Engine,
    pub settings: Settings,
    pub stats: Stats,
    pub themes: Vec<Theme>,
    pub outliers: Outliers,
    pub duplicates: Vec<DuplicateGroup>,
    /// Present when at least half of the contributions carry a label.
    pub evaluation: Option<Evaluation>,
    /// Surface forms referenced by `documents.top_terms`.
    pub terms: Vec<String>,
    /// Per-contribution assignment, as parallel arrays in input order.
    pub documents: Assignments,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Stats {
    pub documents: usize,
    /// Distinct texts after normalisation (exact duplicates collapsed).
    pub distinct_texts: usize,
    /// Independent voices: near-duplicate groups counted once.
    pub voices: usize,
    /// Contributions with no content word left after stop words ("Non", "RAS", emoji).
    pub empty: usize,
    pub vocabulary: usize,
    pub min_df: usize,
    /// Number of themes retained.
    pub themes: usize,
    /// How the number of themes was chosen: scores per candidate k (empty when fixed).
    pub selection: Vec<KScore>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KScore {
    pub k: usize,
    /// Mean cosine similarity of the sample to its centroids.
    pub cohesion: f64,
    /// Mean silhouette (cosine) on a probe of the sample.
    pub silhouette: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Keyphrase {
    /// As people wrote it (most frequent surface form), e.g. "impôt sur le revenu".
    pub text: String,
    /// c-TF-IDF score, higher is more specific to the theme.
    pub score: f64,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Breakdown {
    pub question: BTreeMap<String, usize>,
    pub category: BTreeMap<String, usize>,
    pub quartier: BTreeMap<String, usize>,
    pub channel: BTreeMap<String, usize>,
    /// "individual" / "collective" / "unknown".
    pub collective: BTreeMap<String, usize>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Theme {
    /// 0-based, themes sorted by decreasing size.
    pub id: usize,
    pub label: String,
    pub keyphrases: Vec<Keyphrase>,
    /// Contributions, duplicates included.
    pub size: usize,
    /// Distinct texts.
    pub distinct_texts: usize,
    /// Mean cosine similarity of its contributions to the theme centroid.
    pub cohesion: f64,
    /// Ids of the representative contributions (central and mutually diverse).
    pub representatives: Vec<String>,
    /// Excerpts of the representatives, same order.
    pub excerpts: Vec<String>,
    pub breakdown: Breakdown,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub subthemes: Vec<Subtheme>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Subtheme {
    pub id: usize,
    pub label: String,
    pub keyphrases: Vec<Keyphrase>,
    pub size: usize,
    pub representatives: Vec<String>,
    pub excerpts: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Outliers {
    pub count: usize,
    /// Of which: no content word at all.
    pub empty: usize,
    pub ids: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DuplicateKind {
    /// Identical after normalisation (case, accents, punctuation, spacing).
    Exact,
    /// Same text with small edits (Jaccard of word 3-shingles above the threshold).
    Near,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DuplicateGroup {
    pub id: usize,
    pub kind: DuplicateKind,
    /// Contributions in the group.
    pub size: usize,
    /// Distinct texts in the group (1 for exact groups).
    pub distinct_texts: usize,
    /// Large copy-paste group of a substantive text.
    pub campaign: bool,
    pub excerpt: String,
    pub ids: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Evaluation {
    /// Normalised mutual information (arithmetic normalisation, as scikit-learn's default).
    pub nmi: f64,
    /// Adjusted Rand index.
    pub ari: f64,
    pub labelled_documents: usize,
    pub labels: usize,
    /// Outliers count as one extra cluster.
    pub clusters: usize,
}

/// Per-contribution data, parallel arrays indexed like the input.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Assignments {
    pub ids: Vec<String>,
    /// Theme id, or -1 for an outlier.
    pub theme: Vec<i32>,
    /// Sub-theme id within the theme, or -1.
    pub subtheme: Vec<i32>,
    /// Cosine similarity to the theme centroid (3 decimals).
    pub similarity: Vec<f32>,
    /// Indices into `Analysis::terms`: the words that weigh most in the assignment.
    pub top_terms: Vec<Vec<u32>>,
    /// Index into `Analysis::duplicates` of its exact group, or -1.
    pub exact_group: Vec<i32>,
    /// Index into `Analysis::duplicates` of its near-duplicate group, or -1.
    pub near_group: Vec<i32>,
}

/// Why a contribution sits where it does.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Explanation {
    pub id: String,
    /// Theme id, `None` for an outlier.
    pub theme: Option<usize>,
    pub theme_label: Option<String>,
    pub subtheme: Option<usize>,
    pub similarity: f64,
    /// Its words that weigh most towards the theme.
    pub top_terms: Vec<String>,
    /// Theme keyphrases sharing a word with those terms.
    pub matching_keyphrases: Vec<String>,
    pub exact_group: Option<usize>,
    pub near_group: Option<usize>,
    /// Plain-French sentence summarising the above.
    pub summary: String,
}

/// Stages reported to the progress callback.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Stage {
    Tokenizing,
    Duplicates,
    Vectorizing,
    ChoosingThemes,
    Clustering,
    Describing,
    Done,
}
