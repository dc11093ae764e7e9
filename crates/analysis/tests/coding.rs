//! Assisted coding: learning the analysts' codes, honest confidence, and bad input.

use analysis::coding::{read_coded, suggest, Coded, CodingError, CodingSettings, Uncoded};
use analysis::read_jsonl;

fn sample() -> Vec<analysis::Document> {
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/gdn_sample.jsonl");
    read_jsonl(&path, Some("question")).expect("fixture").0
}

/// The fixture's answers, coded with their question: every third answer is left uncoded.
fn split() -> (Vec<Coded>, Vec<Uncoded>, Vec<String>) {
    let docs = sample();
    let mut coded = Vec::new();
    let mut uncoded = Vec::new();
    let mut truth = Vec::new();
    for (i, d) in docs.iter().enumerate() {
        let q = d.question.clone().unwrap_or_default();
        if i % 3 == 0 {
            uncoded.push(Uncoded {
                id: d.id.clone(),
                text: d.text.clone(),
                question: None,
            });
            truth.push(q);
        } else {
            coded.push(Coded {
                id: d.id.clone(),
                text: d.text.clone(),
                codes: vec![q],
                question: None,
            });
        }
    }
    (coded, uncoded, truth)
}

#[test]
fn learns_codes_and_is_right_when_confident() {
    let (coded, uncoded, truth) = split();
    let settings = CodingSettings {
        min_confidence: 0.0,
        ..Default::default()
    };
    let (out, report) = suggest(&coded, &uncoded, &settings).expect("suggest");
    assert_eq!(out.len(), uncoded.len());
    assert_eq!(report.codes.len(), 4);
    let top_right = out
        .iter()
        .zip(&truth)
        .filter(|(s, t)| s.codes.first().is_some_and(|c| &c.code == *t))
        .count();
    assert!(
        top_right as f64 >= 0.75 * out.len() as f64,
        "{top_right} / {}",
        out.len()
    );
    // Confident suggestions are mostly right, and each names the terms that drove it.
    let (mut n, mut right) = (0, 0);
    for (s, t) in out.iter().zip(&truth) {
        for c in s.codes.iter().filter(|c| c.confidence >= 0.8) {
            n += 1;
            right += usize::from(&c.code == t);
            assert!(!c.terms.is_empty(), "{c:?}");
        }
    }
    assert!(n > 0 && right as f64 >= 0.8 * n as f64, "{right} / {n}");
    // Confidences are sorted and within [0, 1].
    for s in &out {
        assert!(s
            .codes
            .windows(2)
            .all(|w| w[0].confidence >= w[1].confidence));
        assert!(s.codes.iter().all(|c| (0.0..=1.0).contains(&c.confidence)));
    }
    // The default threshold abstains more, never suggests below it.
    let (strict, report2) = suggest(&coded, &uncoded, &CodingSettings::default()).expect("suggest");
    assert!(report2.abstained > report.abstained);
    assert!(strict
        .iter()
        .all(|s| s.codes.iter().all(|c| c.confidence >= 0.8)));
}

#[test]
fn reproducible() {
    let (coded, uncoded, _) = split();
    let a = suggest(&coded, &uncoded, &CodingSettings::default()).expect("a");
    let b = suggest(&coded, &uncoded, &CodingSettings::default()).expect("b");
    assert_eq!(a.0, b.0);
}

#[test]
fn no_coded_example_is_an_error() {
    let (_, uncoded, _) = split();
    let e = suggest(&[], &uncoded, &CodingSettings::default()).unwrap_err();
    assert!(matches!(e, CodingError::NoCodedExample));
    assert!(e.to_string().contains("codes"), "{e}");
}

#[test]
fn a_code_seen_once_is_reported_and_never_suggested() {
    let (mut coded, uncoded, _) = split();
    coded[0].codes.push("rare".into());
    let settings = CodingSettings {
        min_confidence: 0.0,
        ..Default::default()
    };
    let (out, report) = suggest(&coded, &uncoded, &settings).expect("suggest");
    assert_eq!(report.too_rare, vec!["rare".to_string()]);
    assert!(out.iter().all(|s| s.codes.iter().all(|c| c.code != "rare")));
    // Only rare codes: nothing can be learnt, and the message says so.
    let only = vec![Coded {
        id: "1".into(),
        text: "Baisser la TVA".into(),
        codes: vec!["fiscalité".into()],
        question: None,
    }];
    let e = suggest(&only, &uncoded, &settings).unwrap_err();
    assert!(e.to_string().contains("fiscalité"), "{e}");
}

#[test]
fn contradictory_codes_are_reported() {
    let (mut coded, uncoded, _) = split();
    let mut twin = coded[0].clone();
    twin.id = "twin".into();
    twin.codes = vec![coded[1].codes[0].clone() + " (autre)"];
    twin.text = coded[0].text.to_uppercase();
    coded.push(twin);
    let (_, report) = suggest(&coded, &uncoded, &CodingSettings::default()).expect("suggest");
    assert_eq!(
        report.contradictions,
        vec![(coded[0].id.clone(), "twin".to_string())]
    );
}

#[test]
fn codes_that_are_not_a_list_are_line_problems() {
    let file = concat!(
        "{\"id\": \"a\", \"text\": \"Baisser la TVA\", \"codes\": [\"fiscalité\"]}\n",
        "{\"id\": \"b\", \"text\": \"Baisser la CSG\", \"codes\": \"fiscalité\"}\n",
        "{\"id\": \"c\", \"text\": \"Référendum\", \"codes\": [1, 2]}\n",
        "{\"id\": \"d\", \"text\": \"Vote blanc\"}\n",
        "not json\n",
        "\n",
        "{\"id\": \"e\", \"text\": \"Vote blanc\", \"codes\": [\"démocratie\", \"démocratie\"]}\n",
    );
    let (coded, problems) = read_coded(file.as_bytes()).expect("read");
    assert_eq!(coded.len(), 2);
    assert_eq!(coded[1].codes, vec!["démocratie".to_string()]);
    let lines: Vec<usize> = problems.iter().map(|p| p.line).collect();
    assert_eq!(lines, vec![2, 3, 4, 5]);
    assert!(
        problems[0].message.contains("not a list"),
        "{:?}",
        problems[0]
    );
}

#[test]
fn per_question_models() {
    // Within each question, codes follow one word; across questions the same word means a
    // different code. Only per-question models can get both right.
    let mut coded = Vec::new();
    for i in 0..40 {
        for (q, word, code) in [
            ("q1", "vélo", "mobilité"),
            ("q1", "impôt", "fiscalité"),
            ("q2", "vélo", "loisirs"),
            ("q2", "impôt", "budget"),
        ] {
            coded.push(Coded {
                id: format!("{q}-{word}-{i}"),
                text: format!(
                    "{word} réponse numéro {i} avec quelques mots variés {}",
                    i * 7 % 13
                ),
                codes: vec![code.into()],
                question: Some(q.into()),
            });
        }
    }
    let input = vec![
        Uncoded {
            id: "x".into(),
            text: "le vélo partout".into(),
            question: Some("q2".into()),
        },
        Uncoded {
            id: "y".into(),
            text: "un impôt juste".into(),
            question: Some("q1".into()),
        },
    ];
    let settings = CodingSettings {
        min_confidence: 0.0,
        ..Default::default()
    };
    let (out, report) = suggest(&coded, &input, &settings).expect("suggest");
    assert_eq!(
        report.question_models,
        vec!["q1".to_string(), "q2".to_string()]
    );
    assert_eq!(out[0].codes[0].code, "loisirs");
    assert_eq!(out[1].codes[0].code, "fiscalité");
    assert_eq!(out[0].codes[0].terms, vec!["vélo".to_string()]);
}
