//! The synthesis engine on a debate: runs stored, read by analysts and guarantors.

use crate::helpers::TestApp;
use domain::Role;
use reqwest::StatusCode;

/// The run's page once the background job is done (it refreshes itself while running).
async fn finished(app: &TestApp, path: &str) -> crate::helpers::Page {
    for _ in 0..300 {
        let page = app.get(path).await;
        assert_eq!(page.status, StatusCode::OK, "{path}");
        if !page.body.contains("analyse est en cours") {
            return page;
        }
        page.assert_contains("run-status.js");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("the analysis at {path} did not finish in 30 s");
}

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
    let run = finished(&app, &run_path).await;
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

#[tokio::test]
async fn a_theme_lists_all_its_contributions_and_sub_themes() {
    let mut app = TestApp::new().await;
    let debate = demo_with_contributions(&app).await;
    // Small sub-themes so that 150 answers get some.
    let settings = analysis::Settings {
        subtheme_min_size: 20,
        ..analysis::Settings::default()
    };
    let (run, result) = web::synthesis::run_on_debate(app.store(), debate, settings, None)
        .await
        .expect("run");
    app.as_role(&[Role::Guarantor]).await;
    let page = app.get(&format!("/admin/analyses/{run}")).await;
    page.assert_contains(&format!("/admin/analyses/{run}/themes/0"));

    let theme = &result.themes[0];
    let base = format!("/admin/analyses/{run}/themes/0");
    let first = app.get(&base).await;
    assert_eq!(first.status, StatusCode::OK);
    first.assert_contains(&format!("1 à {} sur {}", theme.size.min(50), theme.size));
    // Every member of the theme appears on one of its pages, each once, with a "why" link.
    let members: Vec<&String> = result
        .documents
        .ids
        .iter()
        .zip(&result.documents.theme)
        .filter(|(_, t)| **t == 0)
        .map(|(id, _)| id)
        .collect();
    assert_eq!(members.len(), theme.size);
    let mut seen = 0;
    for p in 1..=theme.size.div_ceil(50) {
        let page = app.get(&format!("{base}?page={p}")).await;
        for id in &members {
            if page.body.contains(&format!("/pourquoi/{id}\"")) {
                seen += 1;
            }
        }
    }
    assert_eq!(seen, theme.size);
    // A page out of range shows the last one; junk is not an error.
    let on_page = |body: &str| -> Vec<&String> {
        members
            .iter()
            .copied()
            .filter(|id| body.contains(&format!("/pourquoi/{id}\"")))
            .collect()
    };
    let last = app
        .get(&format!("{base}?page={}", theme.size.div_ceil(50)))
        .await;
    let beyond = app.get(&format!("{base}?page=9999")).await;
    assert_eq!(beyond.status, StatusCode::OK);
    assert!(!on_page(&last.body).is_empty());
    assert_eq!(
        on_page(&beyond.body),
        on_page(&last.body),
        "a page out of range shows the last page's members"
    );
    assert_eq!(
        app.get(&format!("{base}?page=abc")).await.status,
        StatusCode::OK
    );

    // Sub-themes: listed, and one of them keeps only its members.
    let with_subs = result
        .themes
        .iter()
        .find(|t| !t.subthemes.is_empty())
        .expect("a theme with sub-themes");
    let sub = &with_subs.subthemes[0];
    let page = app
        .get(&format!(
            "/admin/analyses/{run}/themes/{}?sous_theme={}",
            with_subs.id, sub.id
        ))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    page.assert_contains("Sous-thèmes")
        .assert_contains(&format!("1 à {} sur {}", sub.size.min(50), sub.size))
        .assert_contains("aria-current=\"page\"");
    assert_eq!(
        app.get(&format!(
            "/admin/analyses/{run}/themes/{}?sous_theme=99",
            with_subs.id
        ))
        .await
        .status,
        StatusCode::NOT_FOUND
    );

    // Outliers, unknown themes.
    let outliers = app
        .get(&format!("/admin/analyses/{run}/themes/hors-theme"))
        .await;
    assert_eq!(outliers.status, StatusCode::OK);
    outliers.assert_contains(&format!("sur {}", result.outliers.count));
    for bad in ["99", "-1", "x"] {
        assert_eq!(
            app.get(&format!("/admin/analyses/{run}/themes/{bad}"))
                .await
                .status,
            StatusCode::NOT_FOUND,
            "{bad}"
        );
    }
    // Participants see none of it.
    app.as_role(&[]).await;
    assert_eq!(app.get(&base).await.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn runs_in_progress_and_interrupted_runs_say_so() {
    let mut app = TestApp::new().await;
    let debate = demo_with_contributions(&app).await;
    let run = web::synthesis::start(app.store(), debate, &analysis::Settings::default(), None)
        .await
        .expect("start");
    app.as_role(&[Role::Analyst]).await;
    let page = app.get(&format!("/admin/analyses/{run}")).await;
    page.assert_contains("analyse est en cours")
        .assert_contains("run-status.js");
    // The theme and "why" pages of a run in progress say the same, without failing.
    app.get(&format!("/admin/analyses/{run}/themes/0"))
        .await
        .assert_contains("analyse est en cours");
    // While it runs, starting another one leads to it rather than loading the machine twice.
    let again = app
        .post(&format!("/admin/analyses/debat/{debate}"), &[])
        .await;
    assert_eq!(again.status, StatusCode::SEE_OTHER);
    assert_eq!(again.location(), format!("/admin/analyses/{run}"));
    app.get("/admin/analyses").await.assert_contains("en cours");

    // A process that stopped mid-run leaves it failed at the next start, with the reason.
    assert_eq!(app.store().fail_interrupted_runs().await.expect("db"), 1);
    let page = app.get(&format!("/admin/analyses/{run}")).await;
    page.assert_contains("pas abouti")
        .assert_contains("interrupted");
    assert!(!page.body.contains("run-status.js"));
    app.get("/admin/analyses").await.assert_contains("échec");
}
