//! Debates: creation and editing, drafts, questions, phases and the clock, audience, the demo.

use crate::helpers::TestApp;
use domain::Role;
use reqwest::StatusCode;

fn debate_form<'a>(title: &'a str, slug: &'a str, status: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("title", title),
        ("slug", slug),
        ("summary", "Un résumé."),
        (
            "body_md",
            "## Pourquoi\n\nParce que.\n\n<script>alert('x')</script><img src=x onerror=alert(1)>",
        ),
        ("status", status),
        ("image_alt", ""),
    ]
}

async fn create_debate(app: &TestApp, title: &str, slug: &str, status: &str) -> i64 {
    let page = app
        .post("/admin/debats", &debate_form(title, slug, status))
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let loc = page.location();
    loc.trim_start_matches("/admin/debats/")
        .split('?')
        .next()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("redirect to the new debate, got {loc}"))
}

#[tokio::test]
async fn create_edit_publish() {
    let mut app = TestApp::new().await;
    app.as_role(&[Role::Admin]).await;
    let id = create_debate(&app, "Le vélo à Nantes", "", "draft").await;
    let d = app
        .store()
        .debate_by_id(id)
        .await
        .expect("db")
        .expect("debate");
    assert_eq!(d.slug, "le-velo-a-nantes", "slug derived from the title");

    // A draft is invisible to visitors, visible to its editor.
    app.get("/debats/le-velo-a-nantes")
        .await
        .assert_contains("Brouillon");
    let mut visitor = app.sibling().await;
    visitor.new_visitor();
    assert_eq!(
        visitor.get("/debats/le-velo-a-nantes").await.status,
        StatusCode::NOT_FOUND
    );
    assert!(!visitor.get("/").await.body.contains("Le vélo à Nantes"));

    let page = app
        .post(
            &format!("/admin/debats/{id}"),
            &debate_form("Le vélo à Nantes", "velo", "published"),
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let public = visitor.get("/debats/velo").await;
    assert_eq!(public.status, StatusCode::OK);
    public.assert_contains("<h2>Pourquoi</h2>");
    assert!(!public.body.contains("<script>alert"), "no script survives");
    assert!(!public.body.contains("onerror"), "no handler survives");
    visitor.get("/").await.assert_contains("Le vélo à Nantes");
    // The old slug is gone: asked of an instance that never saw it (the visitor's instance
    // would answer from the "not found" it cached while the debate was a draft).
    let fresh = app.sibling().await;
    assert_eq!(
        fresh.get("/debats/velo").await.status,
        StatusCode::OK,
        "the fresh instance serves the new slug"
    );
    assert_eq!(
        fresh.get("/debats/le-velo-a-nantes").await.status,
        StatusCode::NOT_FOUND
    );

    let log = app.store().audit_page(None, 10).await.expect("db");
    assert!(
        log.iter()
            .any(|e| e.action == "debate.update" && e.detail == "status: draft → published")
    );
}

#[tokio::test]
async fn debate_form_errors() {
    let mut app = TestApp::new().await;
    app.as_role(&[Role::Admin]).await;
    create_debate(&app, "Premier", "premier", "published").await;
    // Empty title, bad slug, unknown status: messages beside the fields, nothing created.
    let page = app
        .post(
            "/admin/debats",
            &debate_form("  ", "Pas Un Slug", "archived"),
        )
        .await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST);
    page.assert_contains("Ce champ est obligatoire")
        .assert_contains("lettres minuscules")
        .assert_contains("est pas valable");
    // A slug already taken.
    let page = app
        .post("/admin/debats", &debate_form("Second", "premier", "draft"))
        .await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST);
    page.assert_contains("déjà utilisée par un autre débat");
    assert_eq!(app.store().debates(true).await.expect("db").len(), 1);
    // Unknown debate ids are 404, a non-numeric id is a 4xx page.
    assert_eq!(
        app.get("/admin/debats/999999").await.status,
        StatusCode::NOT_FOUND
    );
    let page = app.get("/admin/debats/abc").await;
    assert!(page.status.is_client_error(), "{}", page.status);
    page.assert_contains("<html");
}

#[tokio::test]
async fn questions_are_ordered_edited_and_deleted() {
    let mut app = TestApp::new().await;
    app.as_role(&[Role::Admin]).await;
    let id = create_debate(&app, "Questions", "questions", "published").await;
    let path = format!("/admin/debats/{id}/questions");
    let page = app
        .post(
            &path,
            &[
                ("text_new0", "Deuxième ?"),
                ("pos_new0", "2"),
                ("text_new1", "Première ?"),
                ("pos_new1", "1"),
                ("text_new2", ""),
                ("pos_new2", "3"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let qs = app.store().questions(id).await.expect("db");
    assert_eq!(
        qs.iter().map(|q| q.text.as_str()).collect::<Vec<_>>(),
        ["Première ?", "Deuxième ?"]
    );
    let body = app.get("/debats/questions").await.body;
    assert!(body.find("Première ?") < body.find("Deuxième ?"));

    let (a, b) = (qs[0].id.to_string(), qs[1].id.to_string());
    let page = app
        .post(
            &path,
            &[
                (&format!("text_{a}"), "Première, reformulée ?"),
                (&format!("pos_{a}"), "1"),
                (&format!("text_{b}"), "x"),
                (&format!("pos_{b}"), "2"),
                (&format!("del_{b}"), "on"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    let qs = app.store().questions(id).await.expect("db");
    assert_eq!(qs.len(), 1);
    assert_eq!(qs[0].text, "Première, reformulée ?");
    // Emptying a question is an error, not a deletion.
    let page = app
        .post(
            &path,
            &[(&format!("text_{a}"), ""), (&format!("pos_{a}"), "1")],
        )
        .await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        app.store().questions(id).await.expect("db")[0].text,
        "Première, reformulée ?"
    );
}

fn local(ts: i64) -> String {
    domain::validate::format_local_datetime(
        ts,
        &jiff::tz::TimeZone::get("Europe/Paris").expect("tz"),
    )
}

#[tokio::test]
async fn phases_follow_the_clock_and_bad_periods_are_refused() {
    let mut app = TestApp::new().await;
    app.as_role(&[Role::Admin]).await;
    let id = create_debate(&app, "Calendrier", "calendrier", "published").await;
    let path = format!("/admin/debats/{id}/phases");
    let now = storage::now();
    let day = 86_400;
    // End before start: refused beside the field, nothing saved.
    let (s, e) = (local(now + 10 * day), local(now + 5 * day));
    let page = app
        .post(
            &path,
            &[
                ("kind_new", "survey"),
                ("title_new", "Enquête"),
                ("desc_new", ""),
                ("start_new", &s),
                ("end_new", &e),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST);
    page.assert_contains("La fin doit être après le début")
        .assert_contains(&format!("value=\"{s}\""));
    assert!(app.store().phases(id).await.expect("db").is_empty());
    let page = app
        .post(
            &path,
            &[
                ("kind_new", "survey"),
                ("title_new", "Enquête"),
                ("start_new", "le 12 mai"),
                ("end_new", ""),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST);
    page.assert_contains("Saisissez une date");

    // Three phases: past, current, upcoming.
    for (kind, title, from, to) in [
        ("survey", "Passée", -20, -10),
        ("contributions", "Ouverte", -1, 30),
        ("report", "Future", 40, 50),
    ] {
        let (s, e) = (local(now + from * day), local(now + to * day));
        let page = app
            .post(
                &path,
                &[
                    ("kind_new", kind),
                    ("title_new", title),
                    ("desc_new", "Description **riche**"),
                    ("start_new", &s),
                    ("end_new", &e),
                ],
            )
            .await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    }
    let phases = app.store().phases(id).await.expect("db");
    assert_eq!(phases.len(), 3);
    let public = app.get("/debats/calendrier").await;
    public
        .assert_contains("En ce moment : Ouverte")
        .assert_contains("<strong>riche</strong>")
        .assert_contains("class=\"button\" href=\"/debats/calendrier/contribuer\"");
    let states: Vec<&str> = ["phase-past", "phase-current", "phase-upcoming"]
        .into_iter()
        .filter(|c| public.body.contains(c))
        .collect();
    assert_eq!(states.len(), 3);
    assert!(public.body.contains("aria-current=\"step\""));

    // Moving the open phase into the past moves the clock: the next one is now what comes.
    let key = phases[1].id.to_string();
    let (s, e) = (local(now - 9 * day), local(now - 2 * day));
    let page = app
        .post(
            &path,
            &[
                (&format!("kind_{key}"), "contributions"),
                (&format!("title_{key}"), "Ouverte"),
                (&format!("start_{key}"), &s),
                (&format!("end_{key}"), &e),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let public = app.get("/debats/calendrier").await;
    assert!(!public.body.contains("En ce moment"));
    public.assert_contains("Voir la prochaine étape");
}

#[tokio::test]
async fn audience_and_unknown_slugs() {
    let mut app = TestApp::new().await;
    app.as_role(&[Role::Admin]).await;
    let id = create_debate(&app, "Public", "public", "published").await;
    let cat = app
        .store()
        .add_category("Associations", "Associations")
        .await
        .expect("db");
    let q = app
        .store()
        .add_quartier("Île de Nantes", None, None)
        .await
        .expect("db");
    let page = app
        .post(
            &format!("/admin/debats/{id}/public"),
            &[("category", &cat.to_string()), ("quartier", &q.to_string())],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    app.get("/debats/public")
        .await
        .assert_contains("Associations")
        .assert_contains("Île de Nantes");
    let page = app
        .post(
            &format!("/admin/debats/{id}/public"),
            &[("category", "abc")],
        )
        .await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        app.store().debate_category_ids(id).await.expect("db"),
        vec![cat]
    );

    let page = app.get("/debats/nexiste-pas").await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    page.assert_contains("Page introuvable");
}

#[tokio::test]
async fn the_demo_debate() {
    let app = TestApp::new().await;
    let now = storage::now();
    assert_eq!(
        concorde::demo::load(app.store(), now).await.expect("demo"),
        concorde::demo::Outcome::Loaded
    );
    assert_eq!(
        concorde::demo::load(app.store(), now).await.expect("demo"),
        concorde::demo::Outcome::AlreadyThere
    );
    let page = app.get("/debats/solidarites").await;
    assert_eq!(page.status, StatusCode::OK);
    page.assert_contains("Nantes ouvre le dialogue sur les solidarités")
        .assert_contains("Qu’est-ce que la précarité aujourd’hui ?")
        .assert_contains("Comment s’engager en 2021 ?")
        .assert_contains("Sociologues, historiens et philosophes")
        .assert_contains("Doulon - Bottière")
        .assert_contains("Assises de la solidarité")
        .assert_contains("Participer");
    assert_eq!(page.body.matches("class=\"phase phase-").count(), 6);
    // The "Participer" button leads to the contribution form: the contributions phase is open today.
    let d = app
        .store()
        .debate_by_slug("solidarites")
        .await
        .expect("db")
        .expect("demo");
    let phases = app.store().phases(d.id).await.expect("db");
    let contributions = phases
        .iter()
        .find(|p| p.kind == domain::PhaseKind::Contributions)
        .expect("phase");
    assert_eq!(contributions.state_at(now), domain::PhaseState::Current);
    page.assert_contains("class=\"button\" href=\"/debats/solidarites/contribuer\"");
    // The deliberation downloads as a PDF, the image is served.
    let start = page.body.find("/fichiers/").expect("a file link");
    let href: String = page.body[start..]
        .chars()
        .take_while(|c| *c != '"')
        .collect();
    let files: Vec<&str> = page
        .body
        .match_indices("/fichiers/")
        .map(|(i, _)| &page.body[i..i + 12])
        .collect();
    assert!(files.len() >= 2, "image and document links");
    let doc_start = page
        .body
        .find("deliberation-2021-10-15.pdf")
        .expect("document link");
    let doc_href_start = page.body[..doc_start].rfind("/fichiers/").expect("href");
    let doc_href: String = page.body[doc_href_start..]
        .chars()
        .take_while(|c| *c != '"')
        .collect();
    let res = app
        .client
        .get(format!("{}{}", app.base, doc_href))
        .send()
        .await
        .expect("download");
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["content-type"], "application/pdf");
    assert!(
        res.headers()["content-disposition"]
            .to_str()
            .unwrap_or("")
            .starts_with("attachment")
    );
    assert!(res.bytes().await.expect("bytes").starts_with(b"%PDF-"));
    let res = app
        .client
        .get(format!("{}{}", app.base, href))
        .send()
        .await
        .expect("image");
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["content-type"], "image/png");
    // The home page shows it first, open.
    app.get("/").await.assert_contains("card card-open");
}

/// With the `caches` setting off, an instance reads every page from the database: a debate
/// published through another instance is seen at once, where a caching instance still answers
/// from the "not found" it kept.
#[tokio::test]
async fn with_caches_off_every_page_is_read_from_the_database() {
    let mut app = TestApp::new().await;
    app.as_role(&[Role::Admin]).await;
    let id = create_debate(&app, "Froid", "froid", "draft").await;
    let mut cold = app.sibling_with(|s| s.caches = false).await;
    cold.new_visitor();
    let mut warm = app.sibling().await;
    warm.new_visitor();
    for instance in [&cold, &warm] {
        assert_eq!(
            instance.get("/debats/froid").await.status,
            StatusCode::NOT_FOUND
        );
    }
    let page = app
        .post(
            &format!("/admin/debats/{id}"),
            &debate_form("Froid", "froid", "published"),
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    assert_eq!(
        cold.get("/debats/froid").await.status,
        StatusCode::OK,
        "no cache: the published debate at once"
    );
    assert_eq!(
        warm.get("/debats/froid").await.status,
        StatusCode::NOT_FOUND,
        "the caching instance still holds its \"not found\""
    );
}

/// What officers found: one phase per save. The form now offers three blank rows.
#[tokio::test]
async fn several_phases_are_added_in_one_save() {
    let mut app = TestApp::new().await;
    app.as_role(&[Role::Admin]).await;
    let id = create_debate(&app, "Trois phases", "trois-phases", "published").await;
    let path = format!("/admin/debats/{id}/phases");
    app.get(&path)
        .await
        .assert_contains("name=\"title_new2\"")
        .assert_contains("name=\"title_new3\"");
    let now = storage::now();
    let day = 86_400;
    let (a, b, c, d) = (
        local(now + day),
        local(now + 10 * day),
        local(now + 11 * day),
        local(now + 20 * day),
    );
    let page = app
        .post(
            &path,
            &[
                ("kind_new", "survey"),
                ("title_new", "Enquête"),
                ("desc_new", ""),
                ("start_new", &a),
                ("end_new", &b),
                ("kind_new2", "contributions"),
                ("title_new2", "Contributions"),
                ("desc_new2", ""),
                ("start_new2", &c),
                ("end_new2", &d),
                ("kind_new3", "report"),
                ("title_new3", ""),
                ("desc_new3", ""),
                ("start_new3", ""),
                ("end_new3", ""),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let phases = app.store().phases(id).await.expect("db");
    let titles: Vec<&str> = phases.iter().map(|p| p.title.as_str()).collect();
    assert_eq!(
        titles,
        ["Enquête", "Contributions"],
        "the empty third row is skipped"
    );
}
