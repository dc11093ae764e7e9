//! Integration tests of the synthesis engine: real sample, bad input, determinism, schema.
//!
//! One test binary for the whole crate (link time matters on two cores).

use std::path::{Path, PathBuf};

use analysis::{
    analyze, explain, read_jsonl, render_html, to_json, Analysis, Document, DuplicateKind, Error,
    Settings,
};
use proptest::prelude::*;

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/gdn_sample.jsonl")
}

fn quiet(_: analysis::Stage, _: f32) {}

fn run(docs: &[Document], settings: &Settings) -> Analysis {
    analyze(docs, settings, &quiet).expect("analysis")
}

fn sample_docs() -> Vec<Document> {
    let (docs, problems) = read_jsonl(&fixture(), Some("question")).expect("fixture");
    assert!(problems.is_empty(), "{problems:?}");
    docs
}

#[test]
fn sample_gives_non_trivial_themes_and_good_nmi() {
    let docs = sample_docs();
    assert_eq!(docs.len(), 480);
    let settings = Settings {
        min_themes: 4,
        max_themes: 4,
        subtheme_min_size: 60,
        ..Settings::default()
    };
    let a = run(&docs, &settings);
    assert_eq!(a.themes.len(), 4);
    let eval = a.evaluation.as_ref().expect("labels present");
    assert!(eval.nmi > 0.35, "NMI {}", eval.nmi);
    assert!(eval.ari > 0.2, "ARI {}", eval.ari);
    for t in &a.themes {
        assert!(t.size >= 10, "{t:?}");
        assert!(!t.keyphrases.is_empty());
        assert!(!t.label.is_empty());
        assert!(!t.representatives.is_empty() && t.representatives.len() <= 5);
        assert_eq!(t.representatives.len(), t.excerpts.len());
        let mut reps = t.representatives.clone();
        reps.sort();
        reps.dedup();
        assert_eq!(
            reps.len(),
            t.representatives.len(),
            "distinct representatives"
        );
        assert_eq!(t.breakdown.question.values().sum::<usize>(), t.size);
    }
    // Keyphrases read like French, not stems: "impôt" must appear somewhere as written.
    let all: Vec<&str> = a
        .themes
        .iter()
        .flat_map(|t| t.keyphrases.iter().map(|k| k.text.as_str()))
        .collect();
    assert!(
        all.iter().any(|k| k.contains("impôt") || k.contains("tva")),
        "{all:?}"
    );
    let total: usize = a.themes.iter().map(|t| t.size).sum::<usize>() + a.outliers.count;
    assert_eq!(total, docs.len());
    // Round trip.
    let json = to_json(&a);
    let back: Analysis = serde_json::from_str(&json).expect("parse back");
    assert_eq!(back, a);
    assert_eq!(to_json(&back), json);
}

#[test]
fn automatic_number_of_themes_stays_in_range() {
    let docs = sample_docs();
    let settings = Settings {
        min_themes: 2,
        max_themes: 8,
        ..Settings::default()
    };
    let a = run(&docs, &settings);
    assert!(!a.stats.selection.is_empty());
    let k = a.stats.themes;
    assert!((1..=8).contains(&k), "{k}");
}

#[test]
fn same_input_same_bytes_and_explanations() {
    let docs = sample_docs();
    let s = Settings::default();
    let a = to_json(&run(&docs, &s));
    let b = to_json(&run(&docs, &s));
    assert_eq!(a, b);
    let parsed: Analysis = serde_json::from_str(&a).unwrap();
    assert_eq!(parsed.engine.name, "concorde-analysis");
    for i in [0usize, 100, 479] {
        let e = explain(&parsed, i).expect("explanation");
        assert_eq!(e.id, docs[i].id);
        assert!(!e.summary.is_empty());
        if e.theme.is_some() {
            assert!(!e.top_terms.is_empty());
        }
    }
    assert!(explain(&parsed, docs.len()).is_none());
}

#[test]
fn input_order_does_not_change_the_themes() {
    let docs = sample_docs();
    let s = Settings {
        min_themes: 4,
        max_themes: 4,
        ..Settings::default()
    };
    let a = run(&docs, &s);
    let mut rev = docs.clone();
    rev.reverse();
    let b = run(&rev, &s);
    let groups = |x: &Analysis| {
        let mut g: Vec<Vec<String>> = (0..x.themes.len())
            .map(|t| {
                let mut ids: Vec<String> = x
                    .documents
                    .ids
                    .iter()
                    .zip(&x.documents.theme)
                    .filter(|(_, &th)| th == t as i32)
                    .map(|(id, _)| id.clone())
                    .collect();
                ids.sort();
                ids
            })
            .collect();
        g.sort();
        g
    };
    assert_eq!(groups(&a), groups(&b));
}

#[test]
fn duplicates_and_campaigns() {
    let mut docs: Vec<Document> = (0..30)
        .map(|i| {
            Document::new(
                format!("c{i}"),
                "Je demande la suppression de la taxe foncière pour les retraités modestes de la commune.",
            )
        })
        .collect();
    for i in 0..6 {
        docs.push(Document::new(
            format!("n{i}"),
            format!(
                "Je demande la suppression de la taxe foncière pour les retraités modestes de la commune numéro {i}."
            ),
        ));
    }
    for i in 0..10 {
        docs.push(Document::new(format!("non{i}"), "Non"));
    }
    docs.push(Document::new(
        "x",
        "Les transports en commun sont trop chers le soir.",
    ));
    let a = run(&docs, &Settings::default());
    let exact = a
        .duplicates
        .iter()
        .find(|g| g.kind == DuplicateKind::Exact && g.ids.contains(&"c0".to_string()))
        .expect("exact group");
    assert_eq!(exact.size, 30);
    assert!(exact.campaign);
    let non = a
        .duplicates
        .iter()
        .find(|g| g.ids.contains(&"non0".to_string()))
        .expect("group of Non");
    assert!(!non.campaign, "one-word answers are not a campaign");
    let near = a
        .duplicates
        .iter()
        .find(|g| g.kind == DuplicateKind::Near)
        .expect("near group");
    assert!(near.ids.contains(&"n3".to_string()) && near.ids.contains(&"c0".to_string()));
    assert_eq!(near.size, 36);
    assert!(a.stats.voices <= a.stats.distinct_texts);
    // "Non" is empty after stop words: an outlier, not a theme.
    let i = docs.iter().position(|d| d.id == "non0").unwrap();
    assert_eq!(a.documents.theme[i], -1);
}

#[test]
fn empty_input_is_an_error() {
    let err = analyze(&[], &Settings::default(), &quiet).unwrap_err();
    assert!(matches!(err, Error::EmptyInput));
    assert!(!err.to_string().is_empty());
}

#[test]
fn invalid_settings_are_an_error() {
    let s = Settings {
        min_themes: 10,
        max_themes: 3,
        ..Settings::default()
    };
    let err = analyze(&[Document::new("a", "texte")], &s, &quiet).unwrap_err();
    assert!(err.to_string().contains("max_themes"));
}

#[test]
fn single_contribution() {
    let a = run(
        &[Document::new(
            "a",
            "Baisser la TVA sur les produits de première nécessité",
        )],
        &Settings::default(),
    );
    assert_eq!(a.documents.ids.len(), 1);
    assert!(a.themes.len() <= 1);
    let html = render_html(&a);
    assert!(html.contains("<html lang=\"fr\">"));
}

#[test]
fn all_identical_texts() {
    let docs: Vec<Document> = (0..50)
        .map(|i| Document::new(format!("{i}"), "Plus de démocratie directe avec le RIC !"))
        .collect();
    let a = run(&docs, &Settings::default());
    assert_eq!(a.stats.distinct_texts, 1);
    assert_eq!(a.duplicates.len(), 1);
    assert_eq!(a.duplicates[0].size, 50);
    assert!(a.themes.len() <= 1);
}

#[test]
fn only_empty_texts() {
    let docs = vec![
        Document::new("a", ""),
        Document::new("b", "🙂👍"),
        Document::new("c", "Non."),
        Document::new("d", "RAS"),
    ];
    let a = run(&docs, &Settings::default());
    assert!(a.outliers.count >= 3);
    assert_eq!(a.documents.theme.len(), 4);
}

#[test]
fn other_language_and_huge_text() {
    let mut docs = sample_docs();
    docs.truncate(100);
    for i in 0..20 {
        docs.push(Document::new(
            format!("en{i}"),
            format!("The government should lower taxes and improve public transport number {i}"),
        ));
    }
    let big: String =
        "Les services publics de proximité ferment, il faut rouvrir des bureaux de poste. "
            .repeat(13_000);
    assert!(big.len() > 1_000_000);
    docs.push(Document::new("big", big));
    docs.push(Document::new("ar", "مرحبا بالعالم وشكرا"));
    docs.push(Document::new("zh", "你好世界，谢谢"));
    let a = run(&docs, &Settings::default());
    assert_eq!(a.documents.ids.len(), docs.len());
    let json = to_json(&a);
    assert!(serde_json::from_str::<Analysis>(&json).is_ok());
}

#[test]
fn reads_broken_files_without_panicking() {
    let dir = std::env::temp_dir().join(format!("analysis-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("broken.jsonl");
    let mut data =
        b"{\"id\":\"1\",\"text\":\"Bonjour \xC3\"}\n{\"id\":\"2\",\"text\":\"ok\"}\n{\"id\":"
            .to_vec();
    data.extend_from_slice(b"\n");
    std::fs::write(&path, &data).unwrap();
    let (docs, problems) = read_jsonl(&path, None).unwrap();
    assert_eq!(docs.len(), 1);
    assert_eq!(problems.len(), 2);
    assert_eq!(problems[0].line, 1);
    assert!(problems[0].message.contains("UTF-8"));
    assert_eq!(problems[1].line, 3);
    let empty = dir.join("empty.jsonl");
    std::fs::write(&empty, b"").unwrap();
    assert!(matches!(read_jsonl(&empty, None), Err(Error::EmptyInput)));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn html_is_escaped_and_standalone() {
    let docs = vec![
        Document::new(
            "<b>1</b>",
            "<script>alert('x')</script> les impôts sont trop élevés",
        ),
        Document::new("2", "les impôts sont trop élevés pour les classes moyennes"),
        Document::new("3", "baisser les impôts des classes moyennes"),
    ];
    let a = run(&docs, &Settings::default());
    let html = render_html(&a);
    assert!(!html.contains("<script"));
    assert!(!html.contains("<b>1</b>"));
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(!html.contains("http://") || html.contains("http://www.w3.org/2000/svg"));
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, .. ProptestConfig::default() })]

    #[test]
    fn determinism_on_random_corpora(
        texts in prop::collection::vec(
            prop::collection::vec(
                prop::sample::select(vec![
                    "impôts", "taxe", "retraite", "école", "enfants", "police", "sécurité",
                    "transports", "bus", "vélo", "santé", "hôpital", "médecins", "les", "de",
                    "il", "faut", "plus", "Non", "🙂", "l'État", "d’habitation", "élus",
                ]),
                0..12,
            ),
            1..60,
        ),
        seed in 0u64..1000,
    ) {
        let docs: Vec<Document> = texts
            .iter()
            .enumerate()
            .map(|(i, w)| Document::new(format!("d{i}"), w.join(" ")))
            .collect();
        let s = Settings { seed, min_themes: 2, max_themes: 5, ..Settings::default() };
        let a = to_json(&run(&docs, &s));
        let b = to_json(&run(&docs, &s));
        prop_assert_eq!(a, b);
    }
}
