//! The survey through its pages: staff build and open it, a visitor answers page by page
//! without an account (conditions applied on the server, save and resume, one response per
//! browser), the polling firm's panel is imported whole or not at all and weighted to the
//! margins, and the results and "who spoke" pages show the weighted panel beside the online
//! answers.

use crate::helpers::{TestApp, demo, extract_csrf};
use domain::Role;
use reqwest::StatusCode;

async fn create_survey(app: &TestApp, debate: i64, title: &str) -> i64 {
    let page = app
        .post(
            "/admin/enquetes",
            &[("debate", &debate.to_string()), ("title", title)],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    page.location()
        .trim_start_matches("/admin/enquetes/")
        .split('?')
        .next()
        .and_then(|s| s.parse().ok())
        .expect("survey id")
}

async fn add_question(app: &TestApp, id: i64, fields: &[(&str, &str)]) {
    let page = app
        .post(&format!("/admin/enquetes/{id}/questions/nouvelle"), fields)
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
}

/// A survey of three pages: a mandatory yes/no, a multiple choice shown only after "oui", a
/// mandatory scale; open, answerable anonymously. Returns (id, slug).
async fn three_pages(app: &TestApp, debate: i64, anonymous: bool) -> (i64, String) {
    let id = create_survey(app, debate, "Enquête de quartier").await;
    let slug = "enquete-de-quartier".to_string();
    add_question(
        app,
        id,
        &[
            ("section", "0"),
            ("code", "aide"),
            ("kind", "single"),
            ("label_fr", "Avez-vous aidé quelqu'un ?"),
            ("mandatory", "1"),
            ("options", "oui | Oui | Yes\nnon | Non | No"),
        ],
    )
    .await;
    for title in ["Détails", "Pour finir"] {
        let p = app
            .post(
                &format!("/admin/enquetes/{id}/sections"),
                &[("section_title", title)],
            )
            .await;
        assert_eq!(p.status, StatusCode::SEE_OTHER, "{}", p.body);
    }
    add_question(
        app,
        id,
        &[
            ("section", "1"),
            ("code", "formes"),
            ("kind", "multiple"),
            ("label_fr", "Comment ?"),
            (
                "options",
                "temps | Du temps\nargent | De l'argent\ncourses | Des courses",
            ),
            ("max_choices", "2"),
            ("conditions", "aide = oui"),
        ],
    )
    .await;
    add_question(
        app,
        id,
        &[
            ("section", "2"),
            ("code", "note"),
            ("kind", "scale"),
            ("label_fr", "Votre note"),
            ("mandatory", "1"),
            ("min", "1"),
            ("max", "5"),
        ],
    )
    .await;
    let mut settings = vec![
        ("debate", debate.to_string()),
        ("title", "Enquête de quartier".to_string()),
        ("slug", slug.clone()),
        ("results_public", "1".to_string()),
    ];
    if anonymous {
        settings.push(("anonymous", "1".to_string()));
    }
    let fields: Vec<(&str, &str)> = settings.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let p = app.post(&format!("/admin/enquetes/{id}"), &fields).await;
    assert_eq!(p.status, StatusCode::SEE_OTHER, "{}", p.body);
    let p = app
        .post(
            &format!("/admin/enquetes/{id}/statut"),
            &[("status", "open")],
        )
        .await;
    assert_eq!(p.status, StatusCode::SEE_OTHER, "{}", p.body);
    (id, slug)
}

#[tokio::test]
async fn the_builder_refuses_bad_questions_next_to_their_fields() {
    let mut app = TestApp::new().await;
    let (debate, _) = demo(&app).await;
    app.as_role(&[Role::Admin]).await;
    let id = create_survey(&app, debate, "Une enquête").await;
    let page = app
        .post(
            &format!("/admin/enquetes/{id}/questions/nouvelle"),
            &[
                ("section", "0"),
                ("code", "a b"),
                ("kind", "single"),
                ("label_fr", ""),
                ("options", "seule | Une seule"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST);
    page.assert_contains("Le code ne peut contenir")
        .assert_contains("Écrivez l&#39;énoncé")
        .assert_contains("au moins deux propositions")
        // What was typed stays in the form.
        .assert_contains("seule | Une seule");
    // A condition on a question of the same page cannot be applied without JavaScript.
    add_question(
        &app,
        id,
        &[
            ("section", "0"),
            ("code", "aide"),
            ("kind", "single"),
            ("label_fr", "Aidé ?"),
            ("options", "oui\nnon"),
        ],
    )
    .await;
    let page = app
        .post(
            &format!("/admin/enquetes/{id}/questions/nouvelle"),
            &[
                ("section", "0"),
                ("code", "suite"),
                ("kind", "short_text"),
                ("label_fr", "Pourquoi ?"),
                ("conditions", "aide = 1"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST);
    page.assert_contains("page précédente");
    // An empty survey does not open.
    let other = create_survey(&app, debate, "Vide").await;
    let page = app
        .post(
            &format!("/admin/enquetes/{other}/statut"),
            &[("status", "open")],
        )
        .await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST);
    page.assert_contains("au moins une question");
    // Nobody but an administrator builds surveys.
    app.as_role(&[Role::Analyst]).await;
    let page = app.get(&format!("/admin/enquetes/{id}")).await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_visitor_answers_page_by_page_resumes_and_answers_once() {
    let mut app = TestApp::new().await;
    let (debate, _) = demo(&app).await;
    app.as_role(&[Role::Admin]).await;
    let (id, slug) = three_pages(&app, debate, true).await;
    let admin = app.client.clone();

    app.new_visitor();
    app.get(&format!("/enquetes/{slug}"))
        .await
        .assert_contains("Commencer");
    let page0 = format!("/enquetes/{slug}/page/0");
    let p = app.get(&page0).await;
    p.assert_contains("<legend>Avez-vous aidé quelqu&#39;un ?")
        // The page of the forms of help is not counted until "oui" shows it.
        .assert_contains("Page 1 sur 2");
    // Going on without the mandatory answer: the message is beside the question.
    let p = app.post(&page0, &[("move", "next")]).await;
    assert_eq!(p.status, StatusCode::BAD_REQUEST);
    p.assert_contains("id=\"f-q.aide-error\"")
        .assert_contains("elle est obligatoire");
    // "non" skips the page of the forms of help.
    let p = app
        .post(&page0, &[("q.aide", "non"), ("move", "next")])
        .await;
    assert_eq!(p.status, StatusCode::SEE_OTHER, "{}", p.body);
    assert_eq!(p.location(), format!("/enquetes/{slug}/page/2"));
    let p = app.get(&format!("/enquetes/{slug}/page/1")).await;
    assert_eq!(p.location(), format!("/enquetes/{slug}/page/2"));
    app.get(&format!("/enquetes/{slug}/page/2"))
        .await
        .assert_contains("Page 2 sur 2");
    // Saving an answer out of range keeps nothing wrong and says so.
    let page2 = format!("/enquetes/{slug}/page/2");
    let p = app.post(&page2, &[("q.note", "9"), ("move", "save")]).await;
    assert_eq!(p.status, StatusCode::BAD_REQUEST);
    p.assert_contains("en dehors des valeurs");
    let p = app.post(&page2, &[("q.note", "4"), ("move", "save")]).await;
    assert_eq!(p.location(), format!("{page2}?ok=saved"));
    // Back on the survey's page later: it offers to resume, with the answer kept.
    app.get(&format!("/enquetes/{slug}"))
        .await
        .assert_contains("Reprendre");
    app.get(&page2).await.assert_contains("value=\"4\" checked");
    // Back to page 1, change to "oui": the forms of help are asked now.
    let p = app.post(&page2, &[("q.note", "4"), ("move", "back")]).await;
    assert_eq!(p.location(), page0);
    let p = app
        .post(&page0, &[("q.aide", "oui"), ("move", "next")])
        .await;
    assert_eq!(p.location(), format!("/enquetes/{slug}/page/1"));
    let page1 = format!("/enquetes/{slug}/page/1");
    app.get(&page1).await.assert_contains("Page 2 sur 3");
    let p = app
        .post(
            &page1,
            &[
                ("q.formes", "temps"),
                ("q.formes", "argent"),
                ("q.formes", "courses"),
                ("move", "next"),
            ],
        )
        .await;
    assert_eq!(p.status, StatusCode::BAD_REQUEST);
    p.assert_contains("2 propositions au plus")
        // The boxes ticked stay ticked.
        .assert_contains("value=\"courses\" checked");
    let p = app
        .post(&page1, &[("q.formes", "temps"), ("move", "next")])
        .await;
    assert_eq!(p.location(), page2);
    let p = app.post(&page2, &[("q.note", "4"), ("move", "next")]).await;
    assert_eq!(p.location(), format!("/enquetes/{slug}/merci?ok=sent"));
    // Once sent, the same browser cannot answer again.
    app.get(&format!("/enquetes/{slug}"))
        .await
        .assert_contains("déjà répondu");
    let p = app
        .post(&page0, &[("q.aide", "non"), ("move", "next")])
        .await;
    assert_eq!(p.location(), format!("/enquetes/{slug}/merci"));
    let (online, writing, _) = app.store().survey_counts(id).await.expect("counts");
    assert_eq!((online, writing), (1, 0));
    let r = &app
        .store()
        .submitted_responses(id, "online")
        .await
        .expect("responses")[0];
    let a: serde_json::Value = serde_json::from_str(&r.answers).expect("json");
    assert_eq!(
        a,
        serde_json::json!({"aide": "oui", "formes": ["temps"], "note": 4.0})
    );

    // The answered question keeps its options; a new option at the end is fine.
    app.client = admin;
    let edit = format!("/admin/enquetes/{id}/questions/aide");
    let base = [
        ("code", "aide"),
        ("kind", "single"),
        ("label_fr", "Avez-vous aidé quelqu'un ?"),
        ("mandatory", "1"),
    ];
    let mut changed = base.to_vec();
    changed.push(("options", "oui | Oui | Yes\nnsp | Ne sait pas"));
    let p = app.post(&edit, &changed).await;
    assert_eq!(p.status, StatusCode::BAD_REQUEST);
    p.assert_contains("ne peuvent plus être changées");
    let mut added = base.to_vec();
    added.push((
        "options",
        "oui | Oui | Yes\nnon | Non | No\nnsp | Ne sait pas",
    ));
    let p = app.post(&edit, &added).await;
    assert_eq!(p.status, StatusCode::SEE_OTHER, "{}", p.body);
    // Someone answered: no going back to draft.
    let p = app
        .post(
            &format!("/admin/enquetes/{id}/statut"),
            &[("status", "draft")],
        )
        .await;
    assert_eq!(p.status, StatusCode::BAD_REQUEST);
    p.assert_contains("ne peut plus repasser en brouillon");
}

#[tokio::test]
async fn a_survey_for_accounts_only_sends_visitors_to_sign_in() {
    let mut app = TestApp::new().await;
    let (debate, _) = demo(&app).await;
    app.as_role(&[Role::Admin]).await;
    let (_, slug) = three_pages(&app, debate, false).await;
    app.new_visitor();
    app.get(&format!("/enquetes/{slug}"))
        .await
        .assert_contains("Connectez-vous pour répondre");
    let p = app
        .post(
            &format!("/enquetes/{slug}/page/0"),
            &[("q.aide", "oui"), ("move", "next")],
        )
        .await;
    assert_eq!(p.status, StatusCode::UNAUTHORIZED);
    p.assert_contains("/connexion");
    // A guarantor watches and does not answer.
    app.as_role(&[Role::Guarantor]).await;
    app.get(&format!("/enquetes/{slug}"))
        .await
        .assert_contains("les garants observent");
    // A participant answers with their account.
    app.as_role(&[]).await;
    let p = app
        .post(
            &format!("/enquetes/{slug}/page/0"),
            &[("q.aide", "non"), ("move", "next")],
        )
        .await;
    assert_eq!(p.location(), format!("/enquetes/{slug}/page/2"));
}

#[tokio::test]
async fn a_draft_survey_does_not_exist_for_visitors() {
    let mut app = TestApp::new().await;
    let (debate, _) = demo(&app).await;
    app.as_role(&[Role::Admin]).await;
    create_survey(&app, debate, "Brouillon secret").await;
    app.new_visitor();
    assert_eq!(
        app.get("/enquetes/brouillon-secret").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get("/enquetes/brouillon-secret/resultats").await.status,
        StatusCode::NOT_FOUND
    );
    let list = app.get("/enquetes").await;
    assert!(!list.body.contains("Brouillon secret"));
}

fn part(name: &str, bytes: Vec<u8>) -> reqwest::multipart::Part {
    reqwest::multipart::Part::bytes(bytes)
        .file_name(name.to_string())
        .mime_str("text/csv")
        .expect("mime")
}

#[tokio::test]
async fn the_panel_is_imported_whole_and_weighted_to_the_margins() {
    let mut app = TestApp::new().await;
    let (debate, _) = demo(&app).await;
    concorde::demo_survey::load(app.store(), debate)
        .await
        .expect("demo survey");
    let s = app
        .store()
        .survey_by_slug(concorde::demo_survey::SLUG)
        .await
        .expect("db")
        .expect("survey");
    // The demo's panel is raked: the weights meet every margin.
    let panel = app
        .store()
        .submitted_responses(s.id, "panel")
        .await
        .expect("panel");
    assert_eq!(panel.len(), 1100);
    let total: f64 = panel.iter().map(|r| r.weight.expect("weight")).sum();
    let women: f64 = panel
        .iter()
        .filter(|r| r.profile.contains("\"sexe\":\"F\""))
        .map(|r| r.weight.expect("weight"))
        .sum();
    assert!((women / total - 0.53).abs() < 1e-6, "{}", women / total);
    let raw_women = panel
        .iter()
        .filter(|r| r.profile.contains("\"sexe\":\"F\""))
        .count();
    assert!(raw_women as f64 / 1100.0 > 0.56, "the demo panel is biased");

    app.as_role(&[Role::Admin]).await;
    let url = format!("/admin/enquetes/{}/panel", s.id);
    let page = app.get(&url).await;
    let csrf = extract_csrf(&page.body);
    // A file with bad rows: every one reported with its line, nothing imported.
    let bad = "id;sexe;age;quartier;aide;asso\nA1;F;18-29;Nantes Nord;oui;non\nA2;H;30-44;Nantes Nord;peut-être;non\nA1;F;30-44;Nantes Nord;non;non\n";
    let form = reqwest::multipart::Form::new()
        .text("csrf", csrf.clone())
        .text("id_column", "id")
        .part("file", part("bad.csv", bad.as_bytes().to_vec()));
    let p = app.post_multipart(&url, form).await;
    assert_eq!(p.status, StatusCode::OK, "{}", p.body);
    p.assert_contains("2 lignes refusées")
        .assert_contains("<td>3</td><td>aide</td><td>peut-être</td>")
        .assert_contains("déjà sur une ligne précédente");
    assert!(!p.body.contains("/panel/importer"), "no import offered");
    // A good one, in Latin-1 with a BOM-less `,` separator: previewed, then imported.
    let good = "id,sexe,age,quartier,aide,asso\nB1,F,18-29,Île de Nantes,Oui,non\nB2,H,75+,Île de Nantes,non,benevole\nB3,F,75+,Nantes Nord,oui,membre\n";
    let latin1: Vec<u8> = good.chars().map(|c| c as u32 as u8).collect();
    let form = reqwest::multipart::Form::new()
        .text("csrf", csrf.clone())
        .text("id_column", "id")
        .part("file", part("good.csv", latin1));
    let p = app.post_multipart(&url, form).await;
    p.assert_contains("Importer les 3 répondants")
        .assert_contains("Variable du profil « quartier »")
        .assert_contains("Latin1");
    let file_id = p
        .body
        .split("name=\"file_id\" value=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("file id")
        .to_string();
    // The waiting file is not public.
    let admin = app.client.clone();
    app.new_visitor();
    assert_eq!(
        app.get(&format!("/fichiers/{file_id}")).await.status,
        StatusCode::NOT_FOUND
    );
    app.client = admin;
    let p = app
        .post(
            &format!("{url}/importer"),
            &[("file_id", &file_id), ("id_column", "id")],
        )
        .await;
    assert_eq!(p.status, StatusCode::SEE_OTHER, "{}", p.body);
    let panel = app
        .store()
        .submitted_responses(s.id, "panel")
        .await
        .expect("panel");
    assert_eq!(panel.len(), 3);
    assert!(
        panel.iter().all(|r| r.weight.is_none()),
        "a new panel has no weights"
    );
    assert!(panel[0].profile.contains("Île de Nantes"));

    // The same panel as a spreadsheet (how firms often deliver it) reads the same.
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (r, line) in good.lines().enumerate() {
        for (c, cell) in line.split(',').enumerate() {
            sheet.write(r as u32, c as u16, cell).expect("cell");
        }
    }
    let form = reqwest::multipart::Form::new()
        .text("csrf", csrf.clone())
        .text("id_column", "id")
        .part(
            "file",
            reqwest::multipart::Part::bytes(book.save_to_buffer().expect("xlsx"))
                .file_name("panel.xlsx".to_string()),
        );
    let p = app.post_multipart(&url, form).await;
    p.assert_contains("Importer les 3 répondants")
        .assert_contains("Spreadsheet");
    // Margins naming a category nobody of the panel is in: a clear refusal, nothing changed.
    let wurl = format!("/admin/enquetes/{}/ponderation", s.id);
    let margins = "variable;modalite;effectif\nsexe;F;52\nsexe;H;48\nage;18-29;30\nage;75+;20\nage;30-44;50\n";
    let form = reqwest::multipart::Form::new()
        .text("csrf", csrf.clone())
        .text("by_sexe", "1")
        .text("by_age", "1")
        .part("margins", part("m.csv", margins.as_bytes().to_vec()));
    let p = app.post_multipart(&wurl, form).await;
    assert_eq!(p.status, StatusCode::BAD_REQUEST, "{}", p.body);
    p.assert_contains("La pondération est refusée")
        .assert_contains("30-44");
    // Good margins: weighted, with the diagnostics.
    let margins = "variable;modalite;effectif\nsexe;F;52\nsexe;H;48\n";
    let form = reqwest::multipart::Form::new()
        .text("csrf", csrf)
        .text("by_sexe", "1")
        .part("margins", part("m.csv", margins.as_bytes().to_vec()));
    let p = app.post_multipart(&wurl, form).await;
    assert_eq!(p.status, StatusCode::OK, "{}", p.body);
    p.assert_contains("Taille d&#39;échantillon effective");
    let panel = app
        .store()
        .submitted_responses(s.id, "panel")
        .await
        .expect("panel");
    let w: Vec<f64> = panel.iter().map(|r| r.weight.expect("weight")).collect();
    // Two women share 52, one man 48.
    assert!(
        (w[0] - 26.0).abs() < 1e-6 && (w[1] - 48.0).abs() < 1e-6,
        "{w:?}"
    );

    // The public results show the weighted panel beside the online answers.
    app.new_visitor();
    let r = app
        .get(&format!(
            "/enquetes/{}/resultats",
            concorde::demo_survey::SLUG
        ))
        .await;
    assert_eq!(r.status, StatusCode::OK);
    r.assert_contains("Panel pondéré")
        .assert_contains("3 répondants du panel")
        .assert_contains("role=\"img\"");
    // Broken down by sex: both women answered "oui", the man "non".
    let x = app
        .get(&format!(
            "/enquetes/{}/resultats?question=aide&par=sexe",
            concorde::demo_survey::SLUG
        ))
        .await;
    x.assert_contains("id=\"crosstab\"")
        .assert_contains("<th scope=\"row\">F</th><td>2</td><td>100 %</td><td>0 %</td>")
        .assert_contains("<th scope=\"row\">H</th><td>1</td><td>0 %</td><td>100 %</td>");
    let who = app
        .get(&format!(
            "/enquetes/{}/qui-a-parle",
            concorde::demo_survey::SLUG
        ))
        .await;
    who.assert_contains("Qui a contribué au débat")
        .assert_contains("Par quartier");
    // The open data of the responses: every one, numbered, without the free texts.
    let csv = app
        .get(&format!(
            "/donnees/enquetes/{}/reponses.csv",
            concorde::demo_survey::SLUG
        ))
        .await;
    assert_eq!(csv.status, StatusCode::OK);
    let lines: Vec<&str> = csv.body.lines().collect();
    assert_eq!(lines.len(), 1 + 300 + 3, "{}", &csv.body[..300]);
    assert!(
        lines[0].starts_with("response,source,weight,"),
        "{}",
        lines[0]
    );
    assert!(!lines[0].contains("panel_ref"));
    assert!(lines[1].starts_with("1,online,"));
    assert!(
        !csv.body.contains("Un repas partagé"),
        "free texts stay with staff"
    );
}

#[tokio::test]
async fn the_command_line_imports_and_weights_a_survey_panel() {
    let app = TestApp::new().await;
    let (debate, _) = demo(&app).await;
    concorde::demo_survey::load(app.store(), debate)
        .await
        .expect("demo survey");
    let slug = concorde::demo_survey::SLUG;
    let dir = app.data_dir.join("cli-panel");
    std::fs::create_dir_all(&dir).expect("dir");
    let bad = dir.join("bad.csv");
    std::fs::write(&bad, "id;sexe;aide\nX1;F;oui\nX2;H;jamais\n").expect("write");
    let out = crate::helpers::concorde(
        &app,
        &[
            "survey",
            "import-panel",
            "--survey",
            slug,
            "--file",
            bad.to_str().expect("path"),
        ],
    )
    .await;
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("1 rows rejected") && err.contains("line 3, column aide"),
        "{err}"
    );
    assert_eq!(
        app.store()
            .survey_counts(
                app.store()
                    .survey_by_slug(slug)
                    .await
                    .expect("db")
                    .expect("s")
                    .id
            )
            .await
            .expect("counts")
            .2,
        1100,
        "nothing imported"
    );
    let good = dir.join("good.csv");
    std::fs::write(&good, "id;sexe;aide\nX1;F;oui\nX2;H;non\nX3;F;non\n").expect("write");
    let out = crate::helpers::concorde(
        &app,
        &[
            "survey",
            "import-panel",
            "--survey",
            slug,
            "--file",
            good.to_str().expect("path"),
        ],
    )
    .await;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("3 respondents imported"));
    let margins = dir.join("m.csv");
    std::fs::write(
        &margins,
        "variable;modalite;effectif\nsexe;F;0,5\nsexe;H;0,5\n",
    )
    .expect("write");
    let out = crate::helpers::concorde(
        &app,
        &[
            "survey",
            "weigh",
            "--survey",
            slug,
            "--margins",
            margins.to_str().expect("path"),
            "--by",
            "sexe",
        ],
    )
    .await;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("converged"),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let s = app
        .store()
        .survey_by_slug(slug)
        .await
        .expect("db")
        .expect("s");
    let w: Vec<f64> = app
        .store()
        .submitted_responses(s.id, "panel")
        .await
        .expect("panel")
        .iter()
        .map(|r| r.weight.expect("weight"))
        .collect();
    // Shares: the weights sum to the sample, the man weighs as much as the two women.
    assert!(
        (w[1] - 1.5).abs() < 1e-9 && (w[0] - 0.75).abs() < 1e-9,
        "{w:?}"
    );
}
