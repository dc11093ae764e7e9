//! Contributions: writing one while the phase is open, bad input, the list and its pages.

use crate::helpers::{TestApp, card_ids, demo};
use domain::Role;
use reqwest::StatusCode;

#[tokio::test]
async fn contribute_read_and_keep_the_category_of_the_time() {
    let mut app = TestApp::new().await;
    let (debate, qs) = demo(&app).await;
    // A visitor is invited to log in; a POST without an account stores nothing.
    app.get("/debats/solidarites/contribuer")
        .await
        .assert_contains("connectez-vous");
    let question = qs[0].id.to_string();
    let anonymous = app
        .post(
            "/debats/solidarites/contribuer",
            &[
                ("question_id", &question),
                ("title", "Sans compte"),
                ("body", "Une contribution sans compte."),
            ],
        )
        .await;
    assert_eq!(
        anonymous.status,
        StatusCode::UNAUTHORIZED,
        "{}",
        anonymous.body
    );
    let stored: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM contributions WHERE debate_id = $1")
        .bind(debate)
        .fetch_one(app.store().pool())
        .await
        .expect("db");
    assert_eq!(stored, 0, "nothing stored without an account");
    let user = app.as_role(&[]).await;
    let cats = app.store().categories().await.expect("db");
    let quartiers = app.store().quartiers().await.expect("db");
    let (c0, q0) = (cats[0].id.to_string(), quartiers[3].id.to_string());
    app.post(
        "/profil",
        &[
            ("display_name", "Awa"),
            ("category_id", &c0),
            ("quartier_id", &q0),
            ("age_bracket", ""),
            ("lang", "fr"),
        ],
    )
    .await;
    // The quartier is pre-filled from the profile.
    let form = app.get("/debats/solidarites/contribuer").await;
    form.assert_contains(&format!("<option value=\"{q0}\" selected>"));
    // The call to action of the debate leads here.
    app.get("/debats/solidarites")
        .await
        .assert_contains("class=\"button\" href=\"/debats/solidarites/contribuer\"");

    let page = app
        .post(
            "/debats/solidarites/contribuer",
            &[
                ("question_id", &question),
                ("title", "Des repas partagés <b>"),
                (
                    "body",
                    "Ouvrir les cantines le soir.\n\n<script>alert(1)</script>",
                ),
                ("quartier_id", &q0),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let id: i64 = page
        .location()
        .trim_start_matches("/contributions/")
        .split('?')
        .next()
        .and_then(|s| s.parse().ok())
        .expect("id");
    let shown = app.get(&format!("/contributions/{id}?ok=published")).await;
    shown
        .assert_contains("Votre contribution est publiée")
        .assert_contains("Des repas partagés &#60;b&#62;")
        .assert_contains("&#60;script&#62;alert(1)&#60;/script&#62;")
        .assert_contains(&quartiers[3].name)
        .assert_contains("Qu’est-ce que la précarité aujourd’hui ?");
    assert!(!shown.body.contains("<script>alert"));
    // The success notice appears once, not twice.
    assert_eq!(
        shown.body.matches("role=\"status\"").count(),
        1,
        "{}",
        shown.body
    );
    // The author's category is not shown next to their name, here or in the list.
    assert!(!shown.body.contains(&cats[0].name), "{}", shown.body);
    let list = app.get("/debats/solidarites/contributions").await;
    assert!(
        !list.body.contains(&format!("· {} ·", cats[0].name)),
        "{}",
        list.body
    );

    // Changing the profile later does not rewrite the contribution.
    let c1 = cats[1].id.to_string();
    let changed = app
        .post(
            "/profil",
            &[
                ("display_name", "Awa"),
                ("category_id", &c1),
                ("quartier_id", ""),
                ("age_bracket", ""),
                ("lang", "fr"),
            ],
        )
        .await;
    assert_eq!(changed.status, StatusCode::SEE_OTHER, "{}", changed.body);
    let profile = app
        .store()
        .user_by_id(user)
        .await
        .expect("db")
        .expect("user");
    assert_eq!(
        (profile.category_id, profile.quartier_id),
        (Some(cats[1].id), None),
        "the profile did change"
    );
    let row = app
        .store()
        .contribution(id)
        .await
        .expect("db")
        .expect("row");
    assert_eq!(
        (
            row.category_id,
            row.author_id,
            row.debate_id,
            row.channel.as_str()
        ),
        (Some(cats[0].id), Some(user), debate, "online")
    );

    // It is in the list, which a visitor can read.
    app.new_visitor();
    let list = app.get("/debats/solidarites/contributions").await;
    list.assert_contains("1 contribution")
        .assert_contains(&format!("/contributions/{id}"));
    app.get("/debats/solidarites")
        .await
        .assert_contains("Lire la contribution");
}

#[tokio::test]
async fn bad_contributions_are_explained_and_not_stored() {
    let mut app = TestApp::new().await;
    let (_, qs) = demo(&app).await;
    app.as_role(&[]).await;
    let question = qs[1].id.to_string();
    let too_long = "é".repeat(3_001);
    let cases: [(&str, &str, &str, &str, &str); 4] = [
        ("", "Titre", "Texte", "", "Ce champ est obligatoire"),
        (&question, "", "Texte", "", "Ce champ est obligatoire"),
        (
            &question,
            "Titre",
            &too_long,
            "",
            "dépasse la longueur autorisée",
        ),
        (&question, "Titre", "   ", "", "Ce champ est obligatoire"),
    ];
    for (q, title, body, quartier, message) in cases {
        let page = app
            .post(
                "/debats/solidarites/contribuer",
                &[
                    ("question_id", q),
                    ("title", title),
                    ("body", body),
                    ("quartier_id", quartier),
                ],
            )
            .await;
        assert_eq!(page.status, StatusCode::BAD_REQUEST, "{message}");
        page.assert_contains(message)
            .assert_contains("aria-invalid=\"true\"");
    }
    // A question of another debate.
    let mut admin = app.sibling().await;
    admin.as_role(&[Role::Admin]).await;
    admin
        .post(
            "/admin/debats",
            &[
                ("title", "Autre"),
                ("slug", "autre"),
                ("summary", "R"),
                ("body_md", ""),
                ("status", "published"),
                ("image_alt", ""),
            ],
        )
        .await;
    let other = admin
        .store()
        .debate_by_slug("autre")
        .await
        .expect("db")
        .expect("other");
    admin
        .store()
        .save_questions(other.id, &[(None, "Ailleurs ?".into(), 1)], &[])
        .await
        .expect("q");
    let foreign = admin.store().questions(other.id).await.expect("db")[0]
        .id
        .to_string();
    let page = app
        .post(
            "/debats/solidarites/contribuer",
            &[
                ("question_id", &foreign),
                ("title", "T"),
                ("body", "B"),
                ("quartier_id", ""),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST);
    page.assert_contains("une des questions de ce débat");
    // A closed phase: the form says so, nothing is stored.
    let now = storage::now();
    let d = admin
        .store()
        .debate_by_slug("autre")
        .await
        .expect("db")
        .expect("d");
    admin
        .store()
        .save_phases(
            d.id,
            &[(
                None,
                storage::PhaseFields {
                    kind: domain::PhaseKind::Contributions,
                    title: "Fini".into(),
                    description: String::new(),
                    starts_at: now - 1_000_000,
                    ends_at: now - 86_400,
                },
            )],
            &[],
        )
        .await
        .expect("phase");
    let page = app
        .post(
            "/debats/autre/contribuer",
            &[
                ("question_id", &foreign),
                ("title", "T"),
                ("body", "B"),
                ("quartier_id", ""),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::CONFLICT);
    page.assert_contains("sont closes depuis le");
    let filter = storage::ContributionFilter {
        debate_id: 0,
        ..Default::default()
    };
    for id in [
        d.id,
        app.store()
            .debate_by_slug("solidarites")
            .await
            .expect("db")
            .expect("d")
            .id,
    ] {
        assert_eq!(
            app.store()
                .count_contributions(&storage::ContributionFilter {
                    debate_id: id,
                    ..filter.clone()
                })
                .await
                .expect("db"),
            0
        );
    }
    // Without an account, a POST is refused.
    app.new_visitor();
    let page = app
        .post(
            "/debats/solidarites/contribuer",
            &[("question_id", &question), ("title", "T"), ("body", "B")],
        )
        .await;
    assert_eq!(page.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn the_list_filters_and_pages_with_keysets() {
    let app = TestApp::new().await;
    let (debate, qs) = demo(&app).await;
    let author = app.create_user("auteur@example.org", &[]).await;
    for i in 0..45 {
        let q = &qs[i % 3];
        app.store()
            .insert_contribution(&storage::NewContribution {
                author_id: Some(author),
                kind: if i % 5 == 0 {
                    "collective"
                } else {
                    "individual"
                },
                channel: if i % 9 == 0 { "paper" } else { "online" },
                ..crate::helpers::online(debate, q.id, &format!("Contribution {i:02}"), "Texte")
            })
            .await
            .expect("insert");
    }
    let page1 = app.get("/debats/solidarites/contributions").await;
    page1.assert_contains("45 contributions");
    assert_eq!(
        page1.body.matches("class=\"contribution-card\"").count(),
        20
    );
    let next = |body: &str| -> Option<String> {
        let marker = "class=\"next\" href=\"";
        let i = body.find(marker)? + marker.len();
        let href: String = body[i..].chars().take_while(|c| *c != '"').collect();
        Some(href.replace("&amp;", "&"))
    };
    let href2 = next(&page1.body).expect("a next page");
    let page2 = app.get(&href2).await;
    assert_eq!(
        page2.body.matches("class=\"contribution-card\"").count(),
        20
    );
    let page3 = app.get(&next(&page2.body).expect("a third page")).await;
    assert_eq!(page3.body.matches("class=\"contribution-card\"").count(), 5);
    assert!(next(&page3.body).is_none());
    // No contribution shows twice across pages.
    let mut seen = std::collections::HashSet::new();
    for body in [&page1.body, &page2.body, &page3.body] {
        for (i, _) in body.match_indices("Contribution ") {
            if let Some(t) = body.get(i..i + 15) {
                assert!(seen.insert(t.to_string()), "{t} twice");
            }
        }
    }
    assert_eq!(seen.len(), 45);

    let q0 = qs[0].id;
    app.get(&format!("/debats/solidarites/contributions?question={q0}"))
        .await
        .assert_contains("15 contributions");
    app.get("/debats/solidarites/contributions?canal=paper")
        .await
        .assert_contains("5 contributions");
    app.get("/debats/solidarites/contributions?type=collective")
        .await
        .assert_contains("9 contributions");
    app.get(&format!(
        "/debats/solidarites/contributions?question={q0}&type=collective&canal=paper"
    ))
    .await
    .assert_contains("1 contribution ·");
    for bad in [
        "?question=abc",
        "?canal=pigeon",
        "?type=x",
        "?apres=12",
        "?apres=a-b",
        "?apres=1-2-3",
        "?tri=meilleures",
    ] {
        let page = app
            .get(&format!("/debats/solidarites/contributions{bad}"))
            .await;
        assert_eq!(page.status, StatusCode::BAD_REQUEST, "{bad}");
        page.assert_contains("Ce filtre n");
    }
    assert_eq!(
        app.get("/contributions/99999999").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get("/contributions/abc").await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn questions_with_contributions_are_kept() {
    let mut app = TestApp::new().await;
    let (debate, qs) = demo(&app).await;
    let author = app.create_user("a@example.org", &[]).await;
    app.store()
        .insert_contribution(&storage::NewContribution {
            author_id: Some(author),
            ..crate::helpers::online(debate, qs[0].id, "T", "B")
        })
        .await
        .expect("insert");
    app.as_role(&[Role::Admin]).await;
    let key = qs[0].id.to_string();
    let page = app
        .post(
            &format!("/admin/debats/{debate}/questions"),
            &[
                (&format!("text_{key}"), qs[0].text.as_str()),
                (&format!("pos_{key}"), "1"),
                (&format!("del_{key}"), "on"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST);
    page.assert_contains("a déjà des contributions");
    assert_eq!(app.store().questions(debate).await.expect("db").len(), 3);
}

#[tokio::test]
async fn facilitators_type_in_paper_contributions_with_their_provenance() {
    let mut app = TestApp::new().await;
    let (debate, qs) = demo(&app).await;
    // Only facilitators (and administrators) may type in.
    app.as_role(&[]).await;
    assert_eq!(
        app.get("/debats/solidarites/saisie").await.status,
        StatusCode::FORBIDDEN
    );
    assert!(
        !app.get("/debats/solidarites")
            .await
            .body
            .contains("/debats/solidarites/saisie")
    );
    app.as_role(&[Role::Facilitator]).await;
    // Their way in: a tile on /admin listing the published debates, and the debate page.
    let admin = app.get("/admin").await;
    admin
        .assert_contains("Saisie des contributions papier")
        .assert_contains("href=\"/debats/solidarites/saisie\"");
    assert!(!admin.body.contains("Aucun espace ne correspond"));
    app.get("/debats/solidarites")
        .await
        .assert_contains("href=\"/debats/solidarites/saisie\"");
    app.get("/debats/solidarites/saisie")
        .await
        .assert_contains("Saisir une contribution reçue hors ligne");
    let cats = app.store().categories().await.expect("db");
    let quartiers = app.store().quartiers().await.expect("db");
    let (q, cat, quartier) = (
        qs[2].id.to_string(),
        cats[4].id.to_string(),
        quartiers[0].id.to_string(),
    );
    // Bad input: an online channel, a date in the future, an unknown category.
    let page = app
        .post(
            "/debats/solidarites/saisie",
            &[
                ("question_id", &q),
                ("channel", "online"),
                ("place", "Mairie"),
                ("received_on", "2999-01-01"),
                ("category_id", "999999"),
                ("quartier_id", ""),
                ("kind", "individual"),
                ("title", "T"),
                ("body", "B"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST);
    page.assert_contains("Cette date est dans le futur")
        .assert_contains("est pas valable");
    let filter = storage::ContributionFilter {
        debate_id: debate,
        ..Default::default()
    };
    assert_eq!(
        app.store().count_contributions(&filter).await.expect("db"),
        0
    );

    let page = app
        .post(
            "/debats/solidarites/saisie",
            &[
                ("question_id", &q),
                ("channel", "paper"),
                ("place", "Maison de quartier Malakoff"),
                ("received_on", "2026-03-12"),
                ("category_id", &cat),
                ("quartier_id", &quartier),
                ("kind", "collective"),
                ("title", "Un lieu d'accueil de nuit"),
                ("body", "Écrit à la main sur le cahier."),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let shown = app.get(&page.location()).await;
    shown
        .assert_contains(
            "Papier · reçue le 12 mars 2026 · Maison de quartier Malakoff · saisie par",
        )
        .assert_contains("Collective");
    // It appears like any other contribution, marked with its channel.
    app.new_visitor();
    app.get("/debats/solidarites/contributions?canal=paper")
        .await
        .assert_contains(
            "Un lieu d&#x27;accueil de nuit"
                .split("&#x27;")
                .next()
                .unwrap_or(""),
        );
    let log = app.store().audit_page(None, 5).await.expect("db");
    assert!(
        log.iter()
            .any(|e| e.action == "contribution.enter_offline" && e.detail == "paper")
    );
}

#[tokio::test]
async fn atom_feed_of_new_contributions() {
    let app = TestApp::new().await;
    let (debate, qs) = demo(&app).await;
    let author = app.create_user("plume@example.org", &[]).await;
    app.store()
        .insert_contribution(&storage::NewContribution {
            author_id: Some(author),
            ..crate::helpers::online(
                debate,
                qs[0].id,
                "Cafés <suspendus> & repas",
                "Payer un café d'avance\u{1}.",
            )
        })
        .await
        .expect("insert");
    let res = app
        .client
        .get(format!(
            "{}/debats/solidarites/contributions/flux",
            app.base
        ))
        .send()
        .await
        .expect("feed");
    assert_eq!(res.status(), StatusCode::OK);
    assert!(
        res.headers()["content-type"]
            .to_str()
            .unwrap_or("")
            .starts_with("application/atom+xml")
    );
    let xml = res.text().await.expect("body");
    assert!(xml.starts_with("<?xml"));
    assert!(
        xml.contains("<title>Cafés &lt;suspendus&gt; &amp; repas</title>"),
        "{xml}"
    );
    assert!(xml.contains("<name>plume</name>"));
    assert!(!xml.contains('\u{1}'));
    assert_eq!(xml.matches("<entry>").count(), 1);
    assert_eq!(
        app.get("/debats/nexiste-pas/contributions/flux")
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn open_data_is_pseudonymised_and_streams() {
    let app = TestApp::new().await;
    let (debate, qs) = demo(&app).await;
    let author = app.create_user("secret.person@example.org", &[]).await;
    for (title, body) in [("=1+1", "Un, deux\n\"trois\""), ("Simple", "Texte")] {
        app.store()
            .insert_contribution(&storage::NewContribution {
                author_id: Some(author),
                ..crate::helpers::online(debate, qs[0].id, title, body)
            })
            .await
            .expect("insert");
    }
    app.get("/debats/solidarites/donnees")
        .await
        .assert_contains("2 contributions")
        .assert_contains("contributions.csv");
    let res = app
        .client
        .get(format!(
            "{}/debats/solidarites/donnees/contributions.csv",
            app.base
        ))
        .send()
        .await
        .expect("csv");
    assert_eq!(res.status(), StatusCode::OK);
    assert!(
        res.headers()["content-disposition"]
            .to_str()
            .unwrap_or("")
            .contains("solidarites-contributions.csv")
    );
    let csv = res.text().await.expect("body");
    let mut lines = csv.split("\r\n");
    assert_eq!(
        lines.next(),
        Some(
            "id,question_id,question,kind,channel,title,body,author,category,quartier,place,received_at,created_at,theme,imported_supports"
        )
    );
    assert!(csv.contains(",'=1+1,\"Un, deux\n\"\"trois\"\"\","), "{csv}");
    assert!(!csv.contains("secret.person"), "no name or address leaves");
    let key = app.store().pseudonym_key().await.expect("key");
    assert_eq!(csv.matches(&storage::pseudonym(&key, author)).count(), 2);

    let jsonl = app
        .client
        .get(format!(
            "{}/debats/solidarites/donnees/contributions.jsonl",
            app.base
        ))
        .send()
        .await
        .expect("jsonl")
        .text()
        .await
        .expect("body");
    let rows: Vec<serde_json::Value> = jsonl
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON object per line"))
        .collect();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[1]["title"], "Simple");
    assert_eq!(
        app.get("/debats/solidarites/donnees/contributions.exe")
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get("/debats/nexiste-pas/donnees/contributions.csv")
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn supports_one_per_person_withdrawable() {
    let mut app = TestApp::new().await;
    let (debate, qs) = demo(&app).await;
    let id = app
        .store()
        .insert_contribution(&crate::helpers::online(
            debate,
            qs[0].id,
            "Un jardin partagé",
            "Au pied des tours.",
        ))
        .await
        .expect("insert");
    let path = format!("/contributions/{id}");
    // Visitors are invited to log in; a POST without an account changes nothing.
    app.get(&path)
        .await
        .assert_contains("Personne ne soutient encore")
        .assert_contains("Connectez-vous pour soutenir");
    assert_eq!(
        app.post(&format!("{path}/soutien"), &[("action", "add")])
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
    app.as_role(&[]).await;
    let page = app
        .post(&format!("{path}/soutien"), &[("action", "add")])
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    app.get(&path)
        .await
        .assert_contains("1 personne soutient")
        .assert_contains("Retirer mon soutien");
    // Twice: a clear message and a 4xx, still one support.
    let page = app
        .post(&format!("{path}/soutien"), &[("action", "add")])
        .await;
    assert_eq!(page.status, StatusCode::CONFLICT);
    page.assert_contains("Vous soutenez déjà cette contribution")
        .assert_contains("1 personne soutient");
    let mut other = app.sibling().await;
    other.as_role(&[]).await;
    other
        .post(&format!("{path}/soutien"), &[("action", "add")])
        .await;
    app.get(&path)
        .await
        .assert_contains("2 personnes soutiennent");
    // Withdrawn, then withdrawn again.
    assert_eq!(
        app.post(&format!("{path}/soutien"), &[("action", "remove")])
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    let page = app
        .post(&format!("{path}/soutien"), &[("action", "remove")])
        .await;
    assert_eq!(page.status, StatusCode::CONFLICT);
    page.assert_contains("Vous ne souteniez pas");
    assert_eq!(app.store().supports(id, None).await.expect("db").0, 1);
    // Nonsense actions and unknown contributions.
    assert_eq!(
        app.post(&format!("{path}/soutien"), &[("action", "both")])
            .await
            .status,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        app.post("/contributions/999999/soutien", &[("action", "add")])
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

/// Every id of a list, following its "next" links.
async fn all_pages(app: &TestApp, first: &str) -> Vec<i64> {
    let mut ids = Vec::new();
    let mut href = Some(first.to_string());
    while let Some(h) = href {
        let page = app.get(&h).await;
        assert_eq!(page.status, StatusCode::OK, "{h}");
        ids.extend(card_ids(&page.body));
        let marker = "class=\"next\" href=\"";
        href = page.body.find(marker).map(|i| {
            page.body[i + marker.len()..]
                .chars()
                .take_while(|c| *c != '"')
                .collect::<String>()
                .replace("&amp;", "&")
                .replace("&#38;", "&")
        });
        assert!(ids.len() < 1_000, "endless pages: {href:?}");
    }
    ids
}

#[tokio::test]
async fn orders_most_supported_commented_and_random_per_visitor() {
    let mut app = TestApp::new().await;
    let (debate, qs) = demo(&app).await;
    let mut ids = Vec::new();
    for i in 0..50 {
        let id = app
            .store()
            .insert_contribution(&storage::NewContribution {
                channel: if i % 10 == 0 { "paper" } else { "online" },
                ..crate::helpers::online(debate, qs[i % 2].id, &format!("Idée {i:02}"), "Texte")
            })
            .await
            .expect("insert");
        ids.push(id);
    }
    // ids[7] gets three supports, ids[3] two, ids[40] one; ids[12] two comments, ids[5] one.
    for (n, target) in [(3, ids[7]), (2, ids[3]), (1, ids[40])] {
        for k in 0..n {
            let u = app
                .create_user(&format!("s{target}-{k}@example.org"), &[])
                .await;
            app.store().add_support(target, u).await.expect("support");
        }
    }
    let commenter = app.create_user("c@example.org", &[]).await;
    for (n, target) in [(2, ids[12]), (1, ids[5])] {
        for _ in 0..n {
            app.store()
                .add_comment(target, None, commenter, "Oui")
                .await
                .expect("comment");
        }
    }
    let base = "/debats/solidarites/contributions";
    let supported = all_pages(&app, &format!("{base}?tri=soutiens")).await;
    assert_eq!(&supported[..3], &[ids[7], ids[3], ids[40]]);
    let commented = all_pages(&app, &format!("{base}?tri=commentaires")).await;
    assert_eq!(&commented[..2], &[ids[12], ids[5]]);
    let newest = all_pages(&app, base).await;
    // Same creation second: newest id first.
    assert_eq!(newest[0], ids[49]);

    // Random: every contribution exactly once over the pages, the same order for one visitor,
    // different starting points for different visitors.
    let mut sorted_all = ids.clone();
    sorted_all.sort();
    let mut firsts = std::collections::HashSet::new();
    for _ in 0..5 {
        app.new_visitor();
        let once = all_pages(&app, &format!("{base}?tri=hasard")).await;
        let mut sorted = once.clone();
        sorted.sort();
        assert_eq!(sorted, sorted_all, "each contribution once");
        let again = all_pages(&app, &format!("{base}?tri=hasard")).await;
        assert_eq!(once, again, "stable for one visitor");
        firsts.insert(once[0]);
    }
    assert!(
        firsts.len() > 1,
        "five visitors, one starting point: {firsts:?}"
    );
    // Every order pages through everything, filtered too.
    for order in ["soutiens", "commentaires", "recent"] {
        let mut got = all_pages(&app, &format!("{base}?tri={order}")).await;
        got.sort();
        assert_eq!(got, sorted_all, "{order}");
    }
    let paper = all_pages(&app, &format!("{base}?tri=hasard&canal=paper")).await;
    assert_eq!(paper.len(), 5);

    // The menus count what each choice would show.
    let page = app.get(base).await;
    page.assert_contains("Papier (5)")
        .assert_contains(&format!("{} (25)", qs[0].text))
        .assert_contains("Au hasard");
}

/// What facilitators found entering a pile of paper forms: every save left the form, so the
/// channel, place and date had to be chosen again; a form without a title could not be saved.
#[tokio::test]
async fn a_pile_of_paper_forms_is_entered_one_after_another() {
    let mut app = TestApp::new().await;
    let (_, qs) = demo(&app).await;
    crate::helpers::sign_in(&mut app, "animatrice@example.org", &[Role::Facilitator]).await;
    let q = qs[1].id.to_string();
    let page = app
        .post(
            "/debats/solidarites/saisie",
            &[
                ("channel", "paper"),
                ("place", "Marché de Talensac"),
                ("received_on", "2026-11-20"),
                ("question_id", q.as_str()),
                ("kind", "individual"),
                ("title", ""),
                (
                    "body",
                    "• • • Un banc près de l'arrêt de bus\nsur la place.",
                ),
                ("next", "1"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let next = page.location();
    assert!(next.starts_with("/debats/solidarites/saisie?"), "{next}");
    let form = app.get(&next).await;
    form.assert_contains("id=\"offline-saved\"")
        .assert_contains("value=\"Marché de Talensac\"")
        .assert_contains("value=\"2026-11-20\"")
        .assert_contains(&format!("<option value=\"{q}\" selected"));
    let saved: i64 = next
        .rsplit("saisie=")
        .next()
        .and_then(|s| s.parse().ok())
        .expect("saved id");
    let c = app
        .store()
        .contribution(saved)
        .await
        .expect("db")
        .expect("c");
    assert_eq!(c.title, "Un banc près de l'arrêt de bus");
    assert_eq!(c.place, "Marché de Talensac");
    assert_eq!(c.channel, "paper");
}
