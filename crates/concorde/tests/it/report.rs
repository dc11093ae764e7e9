//! The final report: analysts assigned to a debate write it, citing contributions (with an
//! excerpt from their text), themes of a run and events; guarantors and other analysts read or
//! are refused; publication freezes a dated snapshot that later changes do not move; a frozen
//! version is never edited; a contribution hidden after publication shows as withdrawn; the
//! coverage audit and `concorde report coverage --require-full`.

use crate::helpers::{TestApp, concorde, demo, online, sign_in};
use domain::Role;
use reqwest::StatusCode;

pub(crate) const ANALYST: &str = "analyste@example.org";
pub(crate) const OTHER: &str = "autre-analyste@example.org";
pub(crate) const GUARANTOR: &str = "garante@example.org";
pub(crate) const ADMIN: &str = "admin@example.org";
pub(crate) const EDITOR: &str = "/admin/rapports/solidarites";

/// The demo debate with a few contributions (paper and online, two quartiers), its report's
/// analyst assigned by an administrator; the analyst is signed in at the end.
pub(crate) async fn setup(app: &mut TestApp) -> (i64, Vec<i64>) {
    let (debate, qs) = demo(app).await;
    let quartiers = app.store().quartiers().await.expect("quartiers");
    let texts = [
        (
            "Seule le dimanche",
            "Je vis seule depuis deux ans. Le dimanche, personne ne passe.",
            "paper",
        ),
        (
            "Épicerie solidaire",
            "L'épicerie solidaire du quartier nous a sauvés pendant la crise.",
            "online",
        ),
        (
            "Transports",
            "Le bus du soir ne passe plus : impossible d'aller aux ateliers.",
            "online",
        ),
        (
            "Voisins",
            "Un repas de voisins par mois suffirait à rompre l'isolement.",
            "paper",
        ),
    ];
    let mut ids = Vec::new();
    for (i, (title, body, channel)) in texts.iter().enumerate() {
        let id = app
            .store()
            .insert_contribution(&storage::NewContribution {
                channel,
                quartier_id: Some(quartiers[i % 2].id),
                ..online(debate, qs[i % 3].id, title, body)
            })
            .await
            .expect("insert");
        ids.push(id);
    }
    app.create_user(ANALYST, &[Role::Analyst]).await;
    app.create_user(OTHER, &[Role::Analyst]).await;
    sign_in(app, ADMIN, &[Role::Admin]).await;
    // Unknown addresses and accounts without the role are refused next to the field.
    for email in ["personne@example.org", GUARANTOR] {
        if email == GUARANTOR {
            app.create_user(GUARANTOR, &[Role::Guarantor]).await;
        }
        let page = app
            .post(&format!("{EDITOR}/analystes"), &[("email", email)])
            .await;
        assert_eq!(page.status, StatusCode::BAD_REQUEST, "{email}");
        page.assert_contains("f-email-error")
            .assert_contains(&format!("value=\"{email}\""));
    }
    let page = app
        .post(&format!("{EDITOR}/analystes"), &[("email", ANALYST)])
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    sign_in(app, ANALYST, &[]).await;
    (debate, ids)
}

pub(crate) fn section_id(location: &str) -> i64 {
    location
        .rsplit("#s-")
        .next()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no section in {location:?}"))
}

pub(crate) async fn add_section(app: &TestApp, kind: &str, title: &str, body: &str) -> i64 {
    let page = app
        .post(
            &format!("{EDITOR}/sections"),
            &[("kind", kind), ("title", title), ("body", body)],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    section_id(&page.location())
}

pub(crate) async fn cite(
    app: &TestApp,
    section: i64,
    contribution: i64,
    excerpt: &str,
) -> crate::helpers::Page {
    app.post(
        &format!("{EDITOR}/citer"),
        &[
            ("section", section.to_string().as_str()),
            ("contribution", contribution.to_string().as_str()),
            ("excerpt", excerpt),
        ],
    )
    .await
}

pub(crate) async fn publish(app: &TestApp) -> crate::helpers::Page {
    app.post(
        &format!("{EDITOR}/versions"),
        &[("publish", "1"), ("note", "")],
    )
    .await
}

#[tokio::test]
async fn analysts_of_the_debate_write_the_report_and_others_read_or_are_refused() {
    let mut app = TestApp::new().await;
    let (_, ids) = setup(&mut app).await;
    // Bad input: the message next to the field, and what was typed kept.
    let page = app
        .post(
            &format!("{EDITOR}/sections"),
            &[
                ("kind", "conclusion"),
                ("title", "  "),
                ("body", "Texte gardé **ici**"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST);
    page.assert_contains("f-title-error")
        .assert_contains("f-kind-error")
        .assert_contains("Texte gardé **ici**");
    let finding = add_section(
        &app,
        "finding",
        "L'isolement du dimanche",
        "Un constat **net**.",
    )
    .await;
    // The cite page is a plain form; a quotation must come from the text.
    let form = app
        .get(&format!("{EDITOR}/citer?contribution={}", ids[0]))
        .await;
    assert_eq!(form.status, StatusCode::OK);
    form.assert_contains("name=\"excerpt\"")
        .assert_contains("Seule le dimanche")
        .assert_contains("Je vis seule depuis deux ans.");
    let page = cite(&app, finding, ids[0], "tout va très bien").await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST);
    page.assert_contains("f-excerpt-error")
        .assert_contains("tout va très bien");
    let page = cite(&app, finding, ids[0], "le dimanche, personne ne passe").await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let editor = app.get(EDITOR).await;
    assert_eq!(editor.status, StatusCode::OK);
    editor
        .assert_contains("le dimanche, personne ne passe")
        .assert_contains(&format!("/contributions/{}", ids[0]));
    // A contribution's page offers "cite in the report" to this analyst.
    app.get(&format!("/contributions/{}", ids[1]))
        .await
        .assert_contains(&format!("{EDITOR}/citer?contribution={}", ids[1]));

    // An analyst of another debate: refused, and not offered the action.
    sign_in(&mut app, OTHER, &[]).await;
    assert_eq!(app.get(EDITOR).await.status, StatusCode::FORBIDDEN);
    let p = app
        .post(
            &format!("{EDITOR}/sections"),
            &[("kind", "finding"), ("title", "Intrus"), ("body", "")],
        )
        .await;
    assert_eq!(p.status, StatusCode::FORBIDDEN);
    assert_eq!(
        cite(&app, finding, ids[1], "").await.status,
        StatusCode::FORBIDDEN
    );
    let c = app.get(&format!("/contributions/{}", ids[1])).await;
    assert!(
        !c.body.contains("/citer?"),
        "offered to an analyst of another debate"
    );

    // The guarantor reads everything and changes nothing, but may leave a review comment (an
    // empty one is refused next to its field).
    sign_in(&mut app, GUARANTOR, &[Role::Guarantor]).await;
    let p = app
        .post(
            &format!("/admin/rapports/sections/{finding}/commentaires"),
            &[("comment", " ")],
        )
        .await;
    assert_eq!(p.status, StatusCode::BAD_REQUEST);
    p.assert_contains(&format!("f-comment-{finding}-error"));
    let p = app
        .post(
            &format!("/admin/rapports/sections/{finding}/commentaires"),
            &[("comment", "Citer aussi une contribution papier ?")],
        )
        .await;
    assert_eq!(p.status, StatusCode::SEE_OTHER, "{}", p.body);
    let g = app.get(EDITOR).await;
    assert_eq!(g.status, StatusCode::OK);
    g.assert_contains("sans pouvoir le modifier")
        .assert_contains("le dimanche, personne ne passe")
        .assert_contains("Citer aussi une contribution papier ?");
    assert!(
        !g.body.contains("/sections\""),
        "the guarantor sees the add form"
    );
    let p = app
        .post(
            &format!("/admin/rapports/sections/{finding}"),
            &[("kind", "finding"), ("title", "Réécrit"), ("body", "")],
        )
        .await;
    assert_eq!(p.status, StatusCode::FORBIDDEN);
    assert_eq!(publish(&app).await.status, StatusCode::FORBIDDEN);
    // A visitor: no draft at all.
    app.new_visitor();
    let v = app.get(EDITOR).await;
    assert!(
        v.status == StatusCode::SEE_OTHER || v.status == StatusCode::UNAUTHORIZED,
        "{}",
        v.status
    );
    assert_eq!(
        app.get("/debats/solidarites/rapport").await.status,
        StatusCode::NOT_FOUND
    );
    let title: String = sqlx::query_scalar("SELECT title FROM report_sections WHERE id = $1")
        .bind(finding)
        .fetch_one(app.store().pool())
        .await
        .expect("title");
    assert_eq!(title, "L'isolement du dimanche");
}

#[tokio::test]
async fn publication_freezes_a_snapshot_that_later_changes_do_not_move() {
    let mut app = TestApp::new().await;
    let (debate, ids) = setup(&mut app).await;
    let diagnosis = add_section(
        &app,
        "diagnosis",
        "Un isolement ordinaire",
        "Avant <script>alert('x')</script> après\n\n[lien](javascript:alert(1))",
    )
    .await;
    let finding = add_section(&app, "finding", "Le dimanche", "Le dimanche est long.").await;
    assert_eq!(
        cite(&app, finding, ids[0], "").await.status,
        StatusCode::SEE_OTHER
    );
    // An event of the debate with its attendance.
    let event: i64 = sqlx::query_scalar(
        "INSERT INTO events (debate_id, kind, title, starts_at, ends_at, published, minutes, \
         created_at, updated_at) VALUES ($1, 'workshop', 'Atelier Nord', 1, 2, 1, \
         'On a parlé des dimanches.', 1, 1) RETURNING id",
    )
    .bind(debate)
    .fetch_one(app.store().pool())
    .await
    .expect("event");
    sqlx::query("INSERT INTO event_walk_ins (event_id, created_at) VALUES ($1, 1)")
        .bind(event)
        .execute(app.store().pool())
        .await
        .expect("walk-in");
    let walk_ins_before: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM event_walk_ins WHERE event_id = $1")
            .bind(event)
            .fetch_one(app.store().pool())
            .await
            .expect("count");
    let p = app
        .post(
            &format!("/admin/rapports/sections/{finding}/evenement"),
            &[("event", event.to_string().as_str())],
        )
        .await;
    assert_eq!(p.status, StatusCode::SEE_OTHER, "{}", p.body);

    let p = publish(&app).await;
    assert_eq!(p.status, StatusCode::SEE_OTHER, "{}", p.body);
    assert!(
        p.location()
            .starts_with("/debats/solidarites/rapport/versions/1"),
        "{}",
        p.location()
    );
    app.new_visitor();
    let public = app.get("/debats/solidarites/rapport").await;
    assert_eq!(public.status, StatusCode::OK);
    public
        .assert_contains("Version 1, publiée le")
        .assert_contains(&format!("href=\"/contributions/{}\"", ids[0]))
        .assert_contains("Je vis seule depuis deux ans.")
        .assert_contains("Atelier Nord")
        .assert_contains(&format!("{walk_ins_before} sans inscription"))
        // Markdown is inert: the script shows as text, the link lost its target.
        .assert_contains("&lt;script&gt;");
    assert!(!public.body.contains("<script>alert"), "a script ran");
    assert!(
        !public.body.contains("javascript:"),
        "a javascript: link survived"
    );

    // Figures never drift: more walk-ins after publication change nothing published.
    for _ in 0..3 {
        sqlx::query("INSERT INTO event_walk_ins (event_id, created_at) VALUES ($1, 2)")
            .bind(event)
            .execute(app.store().pool())
            .await
            .expect("walk-in");
    }
    let again = app.get("/debats/solidarites/rapport/versions/1").await;
    again.assert_contains(&format!("{walk_ins_before} sans inscription"));

    // The published version's section cannot be edited: a clear refusal, the text kept.
    sign_in(&mut app, ANALYST, &[]).await;
    let p = app
        .post(
            &format!("/admin/rapports/sections/{diagnosis}"),
            &[
                ("kind", "diagnosis"),
                ("title", "Réécrit après coup"),
                ("body", "Mon texte tapé"),
            ],
        )
        .await;
    assert_eq!(p.status, StatusCode::CONFLICT, "{}", p.body);
    p.assert_contains("figée").assert_contains("Mon texte tapé");
    let frozen_title: String =
        sqlx::query_scalar("SELECT title FROM report_sections WHERE id = $1")
            .bind(diagnosis)
            .fetch_one(app.store().pool())
            .await
            .expect("title");
    assert_eq!(frozen_title, "Un isolement ordinaire");

    // The draft (version 2) goes on; a second publication leaves version 1 readable.
    let editor = app.get(EDITOR).await;
    editor.assert_contains("Brouillon en cours : version 2");
    let draft_section: i64 = sqlx::query_scalar(
        "SELECT s.id FROM report_sections s JOIN report_versions v ON v.id = s.version_id \
         WHERE v.state = 'draft' AND s.key = $1",
    )
    .bind(diagnosis)
    .fetch_one(app.store().pool())
    .await
    .expect("draft copy");
    let p = app
        .post(
            &format!("/admin/rapports/sections/{draft_section}"),
            &[
                ("kind", "diagnosis"),
                ("title", "Un isolement ordinaire, revu"),
                ("body", "Texte revu."),
            ],
        )
        .await;
    assert_eq!(p.status, StatusCode::SEE_OTHER, "{}", p.body);
    let diff = app.get(&format!("{EDITOR}/comparer?de=1&a=2")).await;
    assert_eq!(diff.status, StatusCode::OK);
    diff.assert_contains("Un isolement ordinaire, revu")
        .assert_contains("<ins>+ Texte revu.</ins>");
    assert_eq!(publish(&app).await.status, StatusCode::SEE_OTHER);
    app.new_visitor();
    app.get("/debats/solidarites/rapport")
        .await
        .assert_contains("Version 2, publiée le")
        .assert_contains("Un isolement ordinaire, revu");
    app.get("/debats/solidarites/rapport/versions/1")
        .await
        .assert_contains("Ce n’est pas la dernière version publiée")
        .assert_contains("Un isolement ordinaire</h2>");
    let states: Vec<String> = sqlx::query_scalar(
        "SELECT state FROM report_versions WHERE debate_id = $1 ORDER BY number",
    )
    .bind(debate)
    .fetch_all(app.store().pool())
    .await
    .expect("versions");
    assert_eq!(states, vec!["published", "published", "draft"]);
    let audited: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM audit_log WHERE action IN ('report.publish', 'report.section.edit')",
    )
    .fetch_one(app.store().pool())
    .await
    .expect("audit");
    assert_eq!(audited, 3);
}

#[tokio::test]
async fn hidden_contributions_are_refused_while_drafting_and_withdrawn_after_publication() {
    let mut app = TestApp::new().await;
    let (_, ids) = setup(&mut app).await;
    let finding = add_section(&app, "finding", "Mobilité du soir", "Le soir.").await;
    let hide = |id: i64| {
        let pool = app.store().pool().clone();
        async move {
            sqlx::query("UPDATE contributions SET status = 'hidden' WHERE id = $1")
                .bind(id)
                .execute(&pool)
                .await
                .expect("hide");
        }
    };
    hide(ids[3]).await;
    let p = cite(&app, finding, ids[3], "").await;
    assert_eq!(p.status, StatusCode::CONFLICT, "{}", p.body);
    p.assert_contains("masquée ou retirée");
    assert_eq!(
        cite(&app, finding, ids[2], "le bus du soir").await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(publish(&app).await.status, StatusCode::SEE_OTHER);
    // Hidden after publication: the published report says so and never shows the text.
    hide(ids[2]).await;
    app.new_visitor();
    let public = app.get("/debats/solidarites/rapport").await;
    public.assert_contains("Retirée par la modération.");
    assert!(!public.body.contains("le bus du soir"), "hidden text shown");
    assert!(
        !public.body.contains("Transports</a>"),
        "hidden title shown"
    );
    // A new publication with that citation is blocked, naming the section.
    sign_in(&mut app, ANALYST, &[]).await;
    let p = publish(&app).await;
    assert_eq!(p.status, StatusCode::CONFLICT, "{}", p.body);
    p.assert_contains("Section « Mobilité du soir » : une contribution citée a été masquée");
}

#[tokio::test]
async fn themes_count_for_coverage_and_the_command_line_requires_full_coverage() {
    let mut app = TestApp::new().await;
    let (debate, ids) = setup(&mut app).await;
    let (run, result) = app::synthesis::run_on_debate(
        app.store(),
        debate,
        concorde::analyze::settings(Some(2), Some(2), Some(7)),
        None,
    )
    .await
    .expect("run");
    let theme = &result.themes[0];
    let members: Vec<i64> = result
        .documents
        .ids
        .iter()
        .zip(&result.documents.theme)
        .filter(|(_, t)| **t == 0)
        .filter_map(|(id, _)| id.parse().ok())
        .collect();
    assert_eq!(members.len(), theme.size);
    let finding = add_section(&app, "finding", "Un thème", "Voir le thème.").await;
    // The theme's page offers "cite in the report"; the cite form takes it.
    app.get(&format!("/admin/analyses/{run}/themes/0"))
        .await
        .assert_contains(&format!("{EDITOR}/citer?run={run}&#38;theme=0"));
    let p = app
        .post(
            &format!("{EDITOR}/citer"),
            &[
                ("section", finding.to_string().as_str()),
                ("run", run.to_string().as_str()),
                ("theme", "0"),
            ],
        )
        .await;
    assert_eq!(p.status, StatusCode::SEE_OTHER, "{}", p.body);
    // A theme that does not exist is refused next to the field.
    let p = app
        .post(
            &format!("{EDITOR}/citer"),
            &[
                ("section", finding.to_string().as_str()),
                ("run", run.to_string().as_str()),
                ("theme", "99"),
            ],
        )
        .await;
    assert_eq!(p.status, StatusCode::NOT_FOUND);

    let out = concorde(
        &app,
        &[
            "report",
            "coverage",
            "--debate",
            "solidarites",
            "--require-full",
        ],
    )
    .await;
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    let total = ids.len();
    assert!(
        stdout.contains(&format!("covered: {} of {total}", members.len())),
        "{stdout}"
    );
    // The page says the same and lists the rest; an analyst marks them read, not retained.
    let page = app.get(&format!("{EDITOR}/couverture")).await;
    assert_eq!(page.status, StatusCode::OK);
    page.assert_contains("Couverture par Canal");
    let rest: Vec<i64> = ids
        .iter()
        .copied()
        .filter(|i| !members.contains(i))
        .collect();
    assert!(!rest.is_empty());
    let p = app
        .post(
            &format!("{EDITOR}/non-retenues"),
            &[
                ("contribution", rest[0].to_string().as_str()),
                ("reason", "  "),
            ],
        )
        .await;
    assert_eq!(p.status, StatusCode::BAD_REQUEST);
    p.assert_contains(&format!("f-reason-{}-error", rest[0]));
    for id in &rest {
        let p = app
            .post(
                &format!("{EDITOR}/non-retenues"),
                &[
                    ("contribution", id.to_string().as_str()),
                    ("reason", "Hors sujet du débat"),
                ],
            )
            .await;
        assert_eq!(p.status, StatusCode::SEE_OTHER, "{}", p.body);
    }
    let out = concorde(
        &app,
        &[
            "report",
            "coverage",
            "--debate",
            "solidarites",
            "--require-full",
        ],
    )
    .await;
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains(&format!(
            "covered: {total} of {total} published contributions (100.0 %)"
        )),
        "{stdout}"
    );
    app.get(&format!("{EDITOR}/couverture"))
        .await
        .assert_contains("toutes les contributions sont prises en compte");

    // A run deleted since its theme was cited blocks publication, with a clear message.
    sqlx::query("DELETE FROM analysis_runs WHERE id = $1")
        .bind(run)
        .execute(app.store().pool())
        .await
        .expect("delete run");
    let p = publish(&app).await;
    assert_eq!(p.status, StatusCode::CONFLICT);
    p.assert_contains("l’analyse dont un thème est cité a été supprimée");
}

#[tokio::test]
async fn guarantors_sign_off_sections_and_publish_their_opinion_beside_the_report() {
    let mut app = TestApp::new().await;
    let (_, ids) = setup(&mut app).await;
    let finding = add_section(&app, "finding", "Voisinage", "Les voisins comptent.").await;
    assert_eq!(
        cite(&app, finding, ids[3], "").await.status,
        StatusCode::SEE_OTHER
    );
    // Analysts do not sign for the guarantors.
    let p = app
        .post(
            &format!("/admin/rapports/sections/{finding}/signer"),
            &[("note", "")],
        )
        .await;
    assert_eq!(p.status, StatusCode::FORBIDDEN);
    sign_in(&mut app, GUARANTOR, &[Role::Guarantor]).await;
    let p = app
        .post(
            &format!("/admin/rapports/sections/{finding}/signer"),
            &[("note", "Vérifié sur pièces")],
        )
        .await;
    assert_eq!(p.status, StatusCode::SEE_OTHER, "{}", p.body);
    let p = app
        .post(
            &format!("{EDITOR}/avis"),
            &[("opinion", "   "), ("publish", "1")],
        )
        .await;
    assert_eq!(p.status, StatusCode::BAD_REQUEST);
    p.assert_contains("f-opinion-error");
    let p = app
        .post(
            &format!("{EDITOR}/avis"),
            &[
                (
                    "opinion",
                    "Le rapport rend compte <b>fidèlement</b> des contributions.",
                ),
                ("publish", "1"),
            ],
        )
        .await;
    assert_eq!(p.status, StatusCode::SEE_OTHER, "{}", p.body);
    sign_in(&mut app, ANALYST, &[]).await;
    assert_eq!(publish(&app).await.status, StatusCode::SEE_OTHER);
    app.new_visitor();
    let public = app.get("/debats/solidarites/rapport").await;
    public
        .assert_contains("Signée par garante (garant)")
        .assert_contains("Vérifié sur pièces")
        .assert_contains("Avis des garants")
        .assert_contains("fidèlement")
        .assert_contains("&lt;b&gt;");
    // The draft's copy is not signed: an edit there needs a new sign-off.
    sign_in(&mut app, ANALYST, &[]).await;
    let editor = app.get(EDITOR).await;
    assert!(
        !editor.body.contains("Vérifié sur pièces"),
        "a sign-off followed the copy"
    );
}

#[tokio::test]
async fn bad_addresses_and_forms_get_clear_answers_never_a_500() {
    let mut app = TestApp::new().await;
    let (_, ids) = setup(&mut app).await;
    // Nothing to publish yet: a clear refusal.
    assert_eq!(publish(&app).await.status, StatusCode::CONFLICT);
    let section = add_section(&app, "finding", "Un constat", "").await;
    for (path, expected) in [
        ("/admin/rapports/nexiste-pas", StatusCode::NOT_FOUND),
        (
            "/debats/solidarites/rapport/versions/99",
            StatusCode::NOT_FOUND,
        ),
        (
            "/debats/solidarites/rapport/versions/abc",
            StatusCode::BAD_REQUEST,
        ),
        ("/admin/rapports/solidarites/citer", StatusCode::BAD_REQUEST),
        (
            "/admin/rapports/solidarites/citer?contribution=abc",
            StatusCode::BAD_REQUEST,
        ),
        (
            "/admin/rapports/solidarites/citer?run=1&theme=-1",
            StatusCode::BAD_REQUEST,
        ),
        (
            "/admin/rapports/solidarites/citer?run=999&theme=0",
            StatusCode::NOT_FOUND,
        ),
        (
            "/admin/rapports/solidarites/citer?contribution=999999",
            StatusCode::NOT_FOUND,
        ),
        ("/admin/rapports/sections/999999", StatusCode::NOT_FOUND),
        (
            "/admin/rapports/solidarites/comparer?de=x&a=99",
            StatusCode::OK,
        ),
        (
            "/admin/rapports/solidarites/couverture?version=abc",
            StatusCode::OK,
        ),
        (
            "/admin/rapports/solidarites/couverture?version=42",
            StatusCode::NOT_FOUND,
        ),
        ("/engagements/999999", StatusCode::NOT_FOUND),
        ("/debats/solidarites/suites", StatusCode::NOT_FOUND),
        ("/api/v1/debates/nexiste-pas/report", StatusCode::NOT_FOUND),
        ("/api/v1/debates/solidarites/report", StatusCode::NOT_FOUND),
    ] {
        assert_eq!(app.get(path).await.status, expected, "{path}");
    }
    let cid = ids[0].to_string();
    let long = "t".repeat(201);
    for (path, form, expected) in [
        (
            format!("/admin/rapports/sections/{section}/evenement"),
            vec![("event", "abc")],
            StatusCode::BAD_REQUEST,
        ),
        (
            format!("/admin/rapports/sections/{section}/evenement"),
            vec![("event", "999999")],
            StatusCode::BAD_REQUEST,
        ),
        (
            "/admin/rapports/citations/999999/retirer".to_string(),
            vec![],
            StatusCode::NOT_FOUND,
        ),
        (
            format!("{EDITOR}/citer"),
            vec![("contribution", cid.as_str())],
            StatusCode::BAD_REQUEST,
        ),
        (
            format!("{EDITOR}/non-retenues"),
            vec![("contribution", "abc"), ("reason", "x")],
            StatusCode::BAD_REQUEST,
        ),
        (
            format!("{EDITOR}/non-retenues"),
            vec![("contribution", "999999"), ("reason", "x")],
            StatusCode::NOT_FOUND,
        ),
        (
            format!("/admin/rapports/sections/{section}"),
            vec![("kind", "finding"), ("title", long.as_str())],
            StatusCode::BAD_REQUEST,
        ),
    ] {
        let p = app.post(&path, &form).await;
        assert_eq!(
            p.status,
            expected,
            "{path} {form:?}: {}",
            &p.body[..p.body.len().min(400)]
        );
    }
}
