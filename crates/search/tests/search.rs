//! The index as the platform uses it: upsert, search, delete, rebuild, reopen.

use search::{Doc, Hits, Index, Kind, Query};

fn contribution<'a>(id: i64, title: &'a str, body: &'a str) -> Doc<'a> {
    Doc {
        kind: Kind::Contribution,
        id,
        debate_id: 1,
        contribution_id: id,
        title,
        body,
        created_at: 1_000 + id,
    }
}

fn comment(id: i64, on: i64, body: &str) -> Doc<'_> {
    Doc {
        kind: Kind::Comment,
        id,
        debate_id: 1,
        contribution_id: on,
        title: "",
        body,
        created_at: 2_000 + id,
    }
}

fn search(index: &Index, text: &str) -> Hits {
    index.search(&Query::new(1, text)).unwrap()
}

/// (kind, id) of the hits, in order.
fn ids(index: &Index, text: &str) -> Vec<(Kind, i64)> {
    search(index, text)
        .hits
        .iter()
        .map(|h| (h.kind, h.id))
        .collect()
}

fn sorted_ids(index: &Index, text: &str) -> Vec<i64> {
    let mut v: Vec<i64> = search(index, text).hits.iter().map(|h| h.id).collect();
    v.sort_unstable();
    v
}

fn city() -> Index {
    let index = Index::in_memory().unwrap();
    index
        .upsert(&[
            contribution(
                1,
                "Isolement des personnes âgées",
                "Trop de personnes vivent seules.",
            ),
            contribution(
                2,
                "Logements",
                "Les logements mal isolés coûtent cher en chauffage.",
            ),
            contribution(3, "Écoles", "Rénover les écoles du quartier nord."),
            contribution(4, "Cantine", "L'école primaire n'a pas de cantine bio."),
            contribution(5, "Transports", "Plus de bus le soir, qu'il pleuve ou non."),
            contribution(6, "Impôts", "Les impôts locaux sont trop élevés."),
            comment(7, 3, "D'accord, l'ECOLE Jules Ferry aussi."),
        ])
        .unwrap();
    index
}

#[test]
fn isolees_finds_isolement_and_isole() {
    let index = city();
    assert_eq!(sorted_ids(&index, "isolées"), [1, 2]);
    assert_eq!(sorted_ids(&index, "isolees"), [1, 2]);
    assert_eq!(sorted_ids(&index, "ISOLÉ"), [1, 2]);
}

#[test]
fn ecole_finds_ecoles_whatever_the_accents_case_and_elision() {
    let index = city();
    assert_eq!(sorted_ids(&index, "ecole"), [3, 4, 7]);
    assert_eq!(sorted_ids(&index, "L'École"), [3, 4, 7]);
    assert_eq!(sorted_ids(&index, "l’écoles"), [3, 4, 7]);
    assert_eq!(sorted_ids(&index, "impot"), [6]);
}

#[test]
fn all_words_are_required() {
    let index = city();
    assert_eq!(sorted_ids(&index, "école cantine"), [4]);
    assert_eq!(sorted_ids(&index, "école vélo"), Vec::<i64>::new());
    // "pas" is not a stop word: it is required too.
    assert_eq!(sorted_ids(&index, "école pas"), [4]);
}

#[test]
fn phrases_keep_word_order() {
    let index = city();
    assert_eq!(sorted_ids(&index, "\"personnes âgées\""), [1]);
    assert_eq!(sorted_ids(&index, "\"âgées personnes\""), Vec::<i64>::new());
    assert_eq!(sorted_ids(&index, "\"école primaire\""), [4]);
    // Stop words inside a phrase keep their place.
    assert_eq!(sorted_ids(&index, "\"rénover les écoles\""), [3]);
    assert_eq!(sorted_ids(&index, "\"rénover écoles\""), Vec::<i64>::new());
}

#[test]
fn user_syntax_never_fails() {
    let index = city();
    for q in [
        "l'école\" OR (",
        "\"",
        "((((",
        "a:b title:x",
        "école -cantine",
        "*",
        "\u{0}",
        "🙂 école 🙂",
        "NOT",
        "é\u{301}cole",
        "\"\"\"école\"\"",
        "qu'il",
        "[1 TO 5]",
        "école~2^3",
    ] {
        index.search(&Query::new(1, q)).unwrap();
    }
    assert_eq!(sorted_ids(&index, "l'école\" OR ("), [3, 4, 7]);
    assert_eq!(sorted_ids(&index, "🙂 école 🙂"), [3, 4, 7]);
}

#[test]
fn empty_or_stop_word_queries_have_no_hits() {
    let index = city();
    for q in ["", "   ", "le la les", "qu'il", "de l'", "!!!"] {
        let hits = search(&index, q);
        assert_eq!(hits.total, 0, "{q:?}");
        assert!(hits.hits.is_empty(), "{q:?}");
    }
}

#[test]
fn title_and_repetition_rank_higher() {
    let index = Index::in_memory().unwrap();
    index
        .upsert(&[
            contribution(
                1,
                "Divers",
                "Un mot sur le vélo parmi beaucoup d'autres choses à dire.",
            ),
            contribution(
                2,
                "Vélo",
                "Le vélo en ville : des pistes pour le vélo, des parkings vélo.",
            ),
            contribution(3, "Divers", "Rien à voir."),
        ])
        .unwrap();
    let hits = search(&index, "vélos");
    assert_eq!(hits.total, 2);
    assert_eq!(hits.hits[0].id, 2);
    assert_eq!(hits.hits[1].id, 1);
    assert!(hits.hits[0].score > hits.hits[1].score);
}

#[test]
fn ties_are_broken_by_newest_then_kind_then_id() {
    let index = Index::in_memory().unwrap();
    let doc = |kind, id, created_at| Doc {
        kind,
        id,
        debate_id: 1,
        contribution_id: 1,
        title: "",
        body: "même texte sur le bruit",
        created_at,
    };
    index
        .upsert(&[
            doc(Kind::Contribution, 10, 5),
            doc(Kind::Comment, 11, 9),
            doc(Kind::Comment, 10, 5),
            doc(Kind::Contribution, 12, 5),
        ])
        .unwrap();
    let expected = [
        (Kind::Comment, 11),
        (Kind::Contribution, 12),
        (Kind::Contribution, 10),
        (Kind::Comment, 10),
    ];
    assert_eq!(ids(&index, "bruit"), expected);
    // The same after more segments are written and deleted documents are involved.
    index.upsert(&[doc(Kind::Contribution, 99, 1)]).unwrap();
    index.delete(Kind::Contribution, 99).unwrap();
    assert_eq!(ids(&index, "bruit"), expected);
    // Pages follow the same order.
    let mut q = Query::new(1, "bruit");
    q.offset = 1;
    q.limit = 2;
    let page: Vec<_> = index
        .search(&q)
        .unwrap()
        .hits
        .iter()
        .map(|h| (h.kind, h.id))
        .collect();
    assert_eq!(page, expected[1..3]);
}

#[test]
fn delete_removes_and_upsert_replaces() {
    let index = city();
    index.delete(Kind::Contribution, 6).unwrap();
    assert!(sorted_ids(&index, "impôts").is_empty());
    // Deleting again, or something absent, is fine.
    index.delete(Kind::Contribution, 6).unwrap();
    index.delete(Kind::Comment, 12345).unwrap();

    index
        .upsert(&[contribution(
            5,
            "Tramway",
            "Prolonger le tramway jusqu'à la gare.",
        )])
        .unwrap();
    assert!(sorted_ids(&index, "bus").is_empty());
    assert_eq!(sorted_ids(&index, "tramway gare"), [5]);
    assert_eq!(search(&index, "tramway").total, 1);
    // A comment with the same id as a contribution is another document.
    index.upsert(&[comment(5, 3, "Le tramway, oui !")]).unwrap();
    assert_eq!(
        ids(&index, "tramway").len(),
        2,
        "contribution 5 and comment 5 are distinct"
    );
    assert_eq!(index.doc_count(), 7);
}

#[test]
fn upsert_of_the_same_item_twice_in_one_batch_keeps_the_last() {
    let index = Index::in_memory().unwrap();
    index
        .upsert(&[contribution(1, "", "vélo"), contribution(1, "", "voiture")])
        .unwrap();
    assert_eq!(index.doc_count(), 1);
    assert!(sorted_ids(&index, "vélo").is_empty());
    assert_eq!(sorted_ids(&index, "voiture"), [1]);
}

#[test]
fn debates_and_kinds_are_filtered() {
    let index = city();
    let mut other = contribution(100, "École", "Une école dans un autre débat.");
    other.debate_id = 2;
    index.upsert(&[other]).unwrap();
    assert_eq!(sorted_ids(&index, "école"), [3, 4, 7]);
    let in_two = index.search(&Query::new(2, "école")).unwrap();
    assert_eq!(in_two.total, 1);
    assert_eq!(in_two.hits[0].id, 100);
    assert_eq!(index.search(&Query::new(3, "école")).unwrap().total, 0);

    let mut q = Query::new(1, "école");
    q.kind = Some(Kind::Comment);
    let comments = index.search(&q).unwrap();
    assert_eq!(comments.total, 1);
    assert_eq!(
        (
            comments.hits[0].kind,
            comments.hits[0].id,
            comments.hits[0].contribution_id
        ),
        (Kind::Comment, 7, 3)
    );
    q.kind = Some(Kind::Contribution);
    assert_eq!(index.search(&q).unwrap().total, 2);
}

#[test]
fn total_counts_beyond_the_page_and_limit_zero_counts_only() {
    let index = Index::in_memory().unwrap();
    let bodies: Vec<String> = (0..50).map(|i| format!("le marché numéro {i}")).collect();
    let docs: Vec<Doc> = bodies
        .iter()
        .enumerate()
        .map(|(i, b)| contribution(i as i64, "", b))
        .collect();
    index.upsert(&docs).unwrap();
    let mut q = Query::new(1, "marchés");
    q.limit = 7;
    let hits = index.search(&q).unwrap();
    assert_eq!((hits.total, hits.hits.len()), (50, 7));
    q.limit = 0;
    let hits = index.search(&q).unwrap();
    assert_eq!((hits.total, hits.hits.len()), (50, 0));
    q.offset = 48;
    q.limit = 20;
    assert_eq!(index.search(&q).unwrap().hits.len(), 2);
    q.offset = usize::MAX;
    assert!(index.search(&q).unwrap().hits.is_empty());
}

#[test]
fn a_megabyte_text_and_odd_unicode_index_fine() {
    let index = Index::in_memory().unwrap();
    let mut big = String::new();
    while big.len() < 1_000_000 {
        big.push_str("Les pistes cyclables de la métropole 🚲 — ");
    }
    big.push_str("aiguillage");
    let one_word = "x".repeat(1_000_000);
    let odd = "\u{200b}\u{feff}Z̴̡a̸l̷g̶o \u{202e}droite\u{202c} 東京 👩‍👩‍👧 \u{0}\u{7f} Ελλάδα ﬁn";
    index
        .upsert(&[
            contribution(1, "Gros", &big),
            contribution(2, &one_word, &one_word),
            contribution(3, odd, odd),
        ])
        .unwrap();
    assert_eq!(sorted_ids(&index, "aiguillages"), [1]);
    assert_eq!(sorted_ids(&index, "cyclable métropole"), [1]);
    assert_eq!(sorted_ids(&index, "東京"), [3]);
    assert_eq!(sorted_ids(&index, "ελλαδα"), [3]);
    assert_eq!(sorted_ids(&index, "fin"), [3]);
    assert_eq!(sorted_ids(&index, "droite"), [3]);
    assert_eq!(index.doc_count(), 3);
}

#[test]
fn rebuild_replaces_everything_in_one_commit() {
    let index = city();
    assert!(index.needs_rebuild());
    let bodies = ["vélo", "voiture", "vélo et voiture"];
    let mut seen = Vec::new();
    let n = index
        .rebuild(
            bodies
                .iter()
                .enumerate()
                .map(|(i, b)| contribution(i as i64 + 100, "", b)),
            |done| seen.push(done),
        )
        .unwrap();
    assert_eq!(n, 3);
    assert_eq!(seen.last(), Some(&3));
    assert!(!index.needs_rebuild());
    assert_eq!(index.doc_count(), 3);
    assert!(sorted_ids(&index, "école").is_empty());
    assert_eq!(sorted_ids(&index, "vélo"), [100, 102]);
    // Updates work after a rebuild.
    index.upsert(&[contribution(1, "", "vélo")]).unwrap();
    assert_eq!(sorted_ids(&index, "vélo"), [1, 100, 102]);
}

#[test]
fn an_abandoned_rebuild_leaves_the_index_as_it_was() {
    let index = city();
    {
        let mut rebuild = index.begin_rebuild().unwrap();
        rebuild.add(&[contribution(100, "", "vélo")]).unwrap();
        assert_eq!(rebuild.added(), 1);
        // Searches still answer from the old content meanwhile.
        assert_eq!(sorted_ids(&index, "ecole"), [3, 4, 7]);
    }
    assert_eq!(sorted_ids(&index, "ecole"), [3, 4, 7]);
    assert!(sorted_ids(&index, "vélo").is_empty());
    index.upsert(&[contribution(8, "", "vélo")]).unwrap();
    assert_eq!(sorted_ids(&index, "vélo"), [8]);
}

#[test]
fn updates_during_a_rebuild_wait_and_apply_after_it() {
    let index = city();
    let mut rebuild = index.begin_rebuild().unwrap();
    rebuild.add(&[contribution(1, "", "vélo ancien")]).unwrap();
    let updater = {
        let index = index.clone();
        std::thread::spawn(move || {
            index
                .upsert(&[contribution(1, "", "vélo nouveau")])
                .unwrap()
        })
    };
    std::thread::sleep(std::time::Duration::from_millis(100));
    assert!(!updater.is_finished(), "the update waits for the rebuild");
    rebuild.commit().unwrap();
    updater.join().unwrap();
    assert_eq!(sorted_ids(&index, "nouveau"), [1]);
    assert!(sorted_ids(&index, "ancien").is_empty());
}

#[test]
fn on_disk_index_persists_and_reports_rebuilds() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("search");
    {
        let index = Index::open(&path).unwrap();
        assert!(index.needs_rebuild());
        index
            .rebuild([contribution(1, "Écoles", "Rénover les écoles.")], |_| {})
            .unwrap();
        index
            .upsert(&[contribution(2, "", "école maternelle")])
            .unwrap();
    }
    {
        let index = Index::open(&path).unwrap();
        assert!(!index.needs_rebuild());
        assert_eq!(sorted_ids(&index, "ecole"), [1, 2]);
    }
    // A different format version is wiped and reported.
    let meta = path.join("meta.json");
    let text = std::fs::read_to_string(&meta).unwrap();
    assert!(text.contains(search::FORMAT_VERSION));
    std::fs::write(
        &meta,
        text.replace(search::FORMAT_VERSION, "concorde-search/0"),
    )
    .unwrap();
    {
        let index = Index::open(&path).unwrap();
        assert!(index.needs_rebuild());
        assert_eq!(index.doc_count(), 0);
    }
    // A broken index too.
    std::fs::write(&meta, "not json").unwrap();
    {
        let index = Index::open(&path).unwrap();
        assert!(index.needs_rebuild());
        index.upsert(&[contribution(3, "", "vélo")]).unwrap();
    }
    // Updates without a rebuild leave it incomplete.
    assert!(Index::open(&path).unwrap().needs_rebuild());
}

#[test]
fn a_foreign_directory_is_not_wiped() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("precious.txt"), "keep me").unwrap();
    let err = Index::open(dir.path()).unwrap_err();
    assert!(matches!(err, search::Error::NotAnIndex(_)), "{err}");
    assert!(dir.path().join("precious.txt").exists());
}

#[test]
fn search_results_and_highlights_agree() {
    let index = city();
    for q in ["ecole", "isolées", "impots", "\"personnes âgées\""] {
        for hit in search(&index, q).hits {
            let texts = [
                "Isolement des personnes âgées Trop de personnes vivent seules.",
                "Logements Les logements mal isolés coûtent cher en chauffage.",
                "Écoles Rénover les écoles du quartier nord.",
                "Cantine L'école primaire n'a pas de cantine bio.",
                "Transports Plus de bus le soir, qu'il pleuve ou non.",
                "Impôts Les impôts locaux sont trop élevés.",
                "D'accord, l'ECOLE Jules Ferry aussi.",
            ];
            let text = texts[hit.id as usize - 1];
            assert!(
                search::highlight(text, q).iter().any(|(_, m)| *m),
                "{q:?} found {text:?} but marks nothing"
            );
        }
    }
}

#[test]
fn the_order_does_not_depend_on_how_documents_were_written() {
    let texts = [
        "Le bus de nuit, le bus du dimanche.",
        "Un bus.",
        "Les bus scolaires et les écoles.",
        "Bus, tram, vélo : les transports.",
        "Des écoles sans bus.",
        "Les écoles.",
    ];
    let docs: Vec<Doc> = texts
        .iter()
        .enumerate()
        .map(|(i, t)| Doc {
            created_at: 7,
            ..contribution(i as i64, "", t)
        })
        .collect();
    let one_batch = Index::in_memory().unwrap();
    one_batch.upsert(&docs).unwrap();
    let one_by_one = Index::in_memory().unwrap();
    for d in docs.iter().rev() {
        one_by_one.upsert(&[*d]).unwrap();
    }
    let rebuilt = Index::in_memory().unwrap();
    rebuilt.rebuild(docs.iter().copied(), |_| {}).unwrap();
    for q in ["bus", "écoles", "bus écoles", "transports"] {
        let expected = search(&one_batch, q);
        assert!(expected.total > 0, "{q}");
        assert_eq!(search(&one_by_one, q), expected, "{q}");
        assert_eq!(search(&rebuilt, q), expected, "{q}");
    }
}
