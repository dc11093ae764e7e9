//! The synthesis engine on a debate: runs stored, read by analysts and guarantors.

use crate::helpers::TestApp;
use domain::Role;
use reqwest::StatusCode;

/// Fills the demo debate with real answers of the Grand Débat National (the engine's fixture).
async fn demo_with_contributions(app: &TestApp) -> i64 {
    concorde::demo::load(app.store(), storage::now())
        .await
        .expect("demo");
    let d = app
        .store()
        .debate_by_slug("solidarites")
        .await
        .expect("db")
        .expect("demo");
    let qs = app.store().questions(d.id).await.expect("db");
    let sample = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../analysis/tests/fixtures/gdn_sample.jsonl"
    ))
    .expect("fixture");
    for (i, line) in sample.lines().take(150).enumerate() {
        let v: serde_json::Value = serde_json::from_str(line).expect("json");
        let text = v["text"].as_str().unwrap_or("");
        let title: String = text.chars().take(60).collect();
        app.store()
            .insert_contribution(&storage::NewContribution {
                channel: if i % 4 == 0 { "paper" } else { "online" },
                ..crate::helpers::online(d.id, qs[i % 3].id, &title, text)
            })
            .await
            .expect("insert");
    }
    d.id
}

#[tokio::test]
async fn analysts_run_and_everyone_allowed_reads() {
    let mut app = TestApp::new().await;
    let debate = demo_with_contributions(&app).await;
    // Not for participants; guarantors read but do not run.
    app.as_role(&[]).await;
    assert_eq!(
        app.get("/admin/analyses").await.status,
        StatusCode::FORBIDDEN
    );
    app.as_role(&[Role::Guarantor]).await;
    assert_eq!(app.get("/admin/analyses").await.status, StatusCode::OK);
    assert_eq!(
        app.post(&format!("/admin/analyses/debat/{debate}"), &[])
            .await
            .status,
        StatusCode::FORBIDDEN
    );

    app.as_role(&[Role::Analyst]).await;
    app.get("/admin/analyses")
        .await
        .assert_contains("150 contributions")
        .assert_contains("Lancer une analyse");
    let page = app
        .post(&format!("/admin/analyses/debat/{debate}"), &[])
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let run_path = page.location();
    let run = app.get(&run_path).await;
    run.assert_contains("Thèmes")
        .assert_contains("Contributions : 150")
        .assert_contains("pourquoi ici ?")
        .assert_contains("concorde-analysis")
        .assert_contains("<svg class=\"chart\"");
    // "Why here?" for the first quoted contribution.
    let i = run.body.find("/pourquoi/").expect("a why link");
    let href: String = run.body[..i]
        .rsplit('"')
        .next()
        .map(|s| s.to_string())
        .unwrap_or_default()
        + &run.body[i..]
            .chars()
            .take_while(|c| *c != '"')
            .collect::<String>();
    let why = app.get(&href).await;
    assert_eq!(why.status, StatusCode::OK, "{href}");
    why.assert_contains("Proximité avec le thème");
    assert_eq!(
        app.get(&format!("{run_path}/pourquoi/999999")).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get("/admin/analyses/999999").await.status,
        StatusCode::NOT_FOUND
    );
    let runs = app.store().runs(debate).await.expect("db");
    assert_eq!(runs.len(), 1);
    assert_eq!(runs[0].documents, 150);
    assert!(
        app.store()
            .audit_page(None, 5)
            .await
            .expect("db")
            .iter()
            .any(|e| e.action == "analysis.run")
    );

    // A debate with no contribution: a clear refusal, nothing stored.
    let mut admin = app.sibling().await;
    admin.as_role(&[Role::Admin]).await;
    admin
        .post(
            "/admin/debats",
            &[
                ("title", "Vide"),
                ("slug", "vide"),
                ("summary", "R"),
                ("body_md", ""),
                ("status", "published"),
                ("image_alt", ""),
            ],
        )
        .await;
    let empty = admin
        .store()
        .debate_by_slug("vide")
        .await
        .expect("db")
        .expect("d");
    let page = admin
        .post(&format!("/admin/analyses/debat/{}", empty.id), &[])
        .await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST);
    page.assert_contains("pas encore de contribution");
}

#[tokio::test]
async fn the_same_debate_gives_the_same_result() {
    let app = TestApp::new().await;
    let debate = demo_with_contributions(&app).await;
    let (a, first) =
        web::synthesis::run_on_debate(app.store(), debate, analysis::Settings::default(), None)
            .await
            .expect("run");
    let (b, second) =
        web::synthesis::run_on_debate(app.store(), debate, analysis::Settings::default(), None)
            .await
            .expect("run");
    assert_ne!(a, b);
    assert_eq!(analysis::to_json(&first), analysis::to_json(&second));
}
