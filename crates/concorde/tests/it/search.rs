//! French full-text search over contributions and comments, as the public page serves it: the
//! same results on SQLite and PostgreSQL (the suite runs on both), following every write.

use crate::helpers::{TestApp, card_ids, demo};
use reqwest::StatusCode;

#[tokio::test]
async fn french_search_folds_stems_ranks_and_follows_moderation() {
    let app = TestApp::new().await;
    let (debate, qs) = demo(&app).await;
    let add = |title: &'static str, body: &'static str| {
        let store = app.store().clone();
        let q = qs[0].id;
        async move {
            store
                .insert_contribution(&crate::helpers::online(debate, q, title, body))
                .await
                .expect("insert")
        }
    };
    let isolement = add("Rompre l'isolement", "L'isolement des personnes âgées.").await;
    let isole = add(
        "Un quartier isolé",
        "Le bus ne passe plus, le quartier est isolé.",
    )
    .await;
    let ecoles = add(
        "Ouvrir les écoles le soir",
        "Les ÉCOLES sont fermées après 17 h.",
    )
    .await;
    let other = add("Des bancs", "Il manque des bancs au parc.").await;
    let commenter = app.create_user("c@example.org", &[]).await;
    app.store()
        .add_comment(other, None, commenter, "Et près de l'école aussi !")
        .await
        .expect("comment");
    let base = "/debats/solidarites/recherche";

    // Stemming: "isolées" finds "isolement" and "isolé".
    let page = app.get(&format!("{base}?q=isol%C3%A9es")).await;
    assert_eq!(page.status, StatusCode::OK);
    let mut found = card_ids(&page.body);
    found.sort();
    assert_eq!(found, vec![isolement, isole]);
    page.assert_contains("<mark>isolement</mark>")
        .assert_contains("2 résultats");

    // Accents and case folded, elisions dropped; comments found with their contribution.
    let page = app.get(&format!("{base}?q=ecole")).await;
    let found = card_ids(&page.body);
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(found.contains(&ecoles) && found.contains(&other));
    page.assert_contains("<mark>écoles</mark>")
        .assert_contains("Commentaire");
    // The title match ranks first.
    assert_eq!(found[0], ecoles);

    // Every word is required.
    assert_eq!(
        card_ids(&app.get(&format!("{base}?q=quartier+bus")).await.body),
        vec![isole]
    );
    // Nothing found, said so.
    app.get(&format!("{base}?q=m%C3%A9thanisation"))
        .await
        .assert_contains("Aucun résultat");

    // Hidden: out of the results; restored: back.
    let mo = app
        .create_user("mo@example.org", &[domain::Role::Moderator])
        .await;
    app.store()
        .set_hidden(storage::Target::Contribution(isole), true, "test", mo)
        .await
        .expect("hide");
    assert_eq!(
        card_ids(&app.get(&format!("{base}?q=isol%C3%A9es")).await.body),
        vec![isolement]
    );
    app.store()
        .set_hidden(storage::Target::Contribution(isole), false, "", mo)
        .await
        .expect("restore");
    assert_eq!(
        card_ids(&app.get(&format!("{base}?q=isol%C3%A9es")).await.body).len(),
        2
    );
    // An edit is found under its new words.
    app.store()
        .edit_contribution(other, "Des bancs et des arbres", "Planter des platanes.")
        .await
        .expect("edit");
    assert_eq!(
        card_ids(&app.get(&format!("{base}?q=platane")).await.body),
        vec![other]
    );

    // A hidden contribution takes its comments out of the results, and so does a withdrawn one.
    assert_eq!(
        card_ids(&app.get(&format!("{base}?q=ecole")).await.body).len(),
        2
    );
    app.store()
        .set_hidden(storage::Target::Contribution(other), true, "test", mo)
        .await
        .expect("hide");
    assert_eq!(
        card_ids(&app.get(&format!("{base}?q=ecole")).await.body),
        vec![ecoles],
        "the comment of a hidden contribution is not found"
    );
    app.store()
        .set_hidden(storage::Target::Contribution(other), false, "", mo)
        .await
        .expect("restore");
    assert_eq!(
        card_ids(&app.get(&format!("{base}?q=ecole")).await.body).len(),
        2
    );
    app.store()
        .withdraw_contribution(other)
        .await
        .expect("withdraw");
    assert_eq!(
        card_ids(&app.get(&format!("{base}?q=ecole")).await.body),
        vec![ecoles],
        "the comment of a withdrawn contribution is not found"
    );

    // Hostile input: escaped, never an error; too long: a message; too deep: 400.
    let page = app
        .get(&format!(
            "{base}?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E+l'%C3%A9cole%22+OR+("
        ))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.body.contains("<script>alert"));
    page.assert_contains("&#60;script&#62;");
    let long = "a".repeat(201);
    let page = app.get(&format!("{base}?q={long}")).await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST);
    page.assert_contains("trop longue");
    assert_eq!(
        app.get(&format!("{base}?q=ecole&page=100000")).await.status,
        StatusCode::BAD_REQUEST
    );
    // The empty query shows the form; another debate finds nothing of this one.
    app.get(base).await.assert_contains("Mots recherchés");
    assert_eq!(
        app.get("/debats/inconnu/recherche?q=ecole").await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn results_page_by_relevance() {
    let app = TestApp::new().await;
    let (debate, qs) = demo(&app).await;
    let mut ids = Vec::new();
    for i in 0..25 {
        let body = format!("Transport numéro {i} : {}", "bus ".repeat(i % 5 + 1));
        ids.push(
            app.store()
                .insert_contribution(&crate::helpers::online(debate, qs[1].id, "Mobilité", &body))
                .await
                .expect("insert"),
        );
    }
    let first = app.get("/debats/solidarites/recherche?q=bus").await;
    first.assert_contains("25 résultats");
    let one = card_ids(&first.body);
    assert_eq!(one.len(), 20);
    let i = first.body.find("rel=\"next\"").expect("a next page");
    let href: String = first.body[..i]
        .rsplit("href=\"")
        .next()
        .unwrap_or_default()
        .chars()
        .take_while(|c| *c != '"')
        .collect();
    let second = app
        .get(&href.replace("&amp;", "&").replace("&#38;", "&"))
        .await;
    let two = card_ids(&second.body);
    assert_eq!(two.len(), 5);
    let mut all: Vec<i64> = one.into_iter().chain(two).collect();
    // By relevance: the more often "bus" occurs, the higher, across both pages.
    let times = |id: &i64| {
        let i = ids.iter().position(|x| x == id).expect("a known id");
        i % 5 + 1
    };
    let order: Vec<usize> = all.iter().map(times).collect();
    let mut sorted = order.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(order, sorted, "results by relevance: {all:?}");
    all.sort();
    ids.sort();
    assert_eq!(all, ids);
}

/// The same contributions and comments on SQLite and on PostgreSQL: every query finds the same
/// things in the same order.
#[tokio::test]
async fn sqlite_and_postgres_give_the_same_results_in_the_same_order() {
    let Some(pg) = crate::helpers::postgres_database().await else {
        eprintln!(
            "search parity needs PostgreSQL: it runs in the PostgreSQL pass of scripts/test \
             (CONCORDE_TEST_DATABASE_URL)"
        );
        return;
    };
    let sqlite = TestApp::on_database(crate::helpers::sqlite_database().await).await;
    let postgres = TestApp::on_database(pg).await;
    assert!(sqlite.database_url.starts_with("sqlite:"));
    assert!(postgres.database_url.starts_with("postgres"));
    let texts: Vec<(String, String)> = (0..30)
        .map(|i| {
            (
                format!("Proposition {i} : {}", ["école", "bus", "parc"][i % 3]),
                format!(
                    "Les écoles du quartier {i} {} ; le bus {} et le parc.",
                    "ferment tôt ".repeat(i % 4 + 1),
                    "passe rarement ".repeat(i % 3)
                ),
            )
        })
        .collect();
    // Each instance's own ids, in the order the texts were inserted.
    let mut ids = Vec::new();
    for app in [&sqlite, &postgres] {
        let (debate, qs) = demo(app).await;
        let commenter = app.create_user("c@example.org", &[]).await;
        let mut mine = Vec::new();
        for (i, (title, body)) in texts.iter().enumerate() {
            let id = app
                .store()
                .insert_contribution(&crate::helpers::online(debate, qs[0].id, title, body))
                .await
                .expect("insert");
            if i % 5 == 0 {
                app.store()
                    .add_comment(id, None, commenter, "Et la piscine municipale ?")
                    .await
                    .expect("comment");
            }
            mine.push(id);
        }
        ids.push(mine);
    }
    let mut compared = 0;
    for q in [
        "ecole",
        "bus",
        "parc",
        "ferment",
        "piscine",
        "bus+parc",
        "%C3%A9coles+quartier",
        "passe+rarement",
    ] {
        let mut found = Vec::new();
        for (app, mine) in [&sqlite, &postgres].into_iter().zip(&ids) {
            let mut positions = Vec::new();
            for page in 1..=2 {
                let body = app
                    .get(&format!("/debats/solidarites/recherche?q={q}&page={page}"))
                    .await
                    .body;
                positions.extend(card_ids(&body).iter().map(|id| {
                    mine.iter()
                        .position(|m| m == id)
                        .expect("one of the inserted contributions")
                }));
            }
            found.push(positions);
        }
        assert!(!found[0].is_empty(), "{q} finds something");
        assert_eq!(found[0], found[1], "{q}: SQLite left, PostgreSQL right");
        compared += found[0].len();
    }
    assert!(compared > 50, "{compared}");
}
