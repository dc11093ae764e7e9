//! What became of the report: the city answers recommendations and follows its commitments,
//! the chain from a contribution to a commitment and back; the demo's report and the API.

use crate::helpers::{TestApp, sign_in};
use crate::report::{ADMIN, EDITOR, GUARANTOR, add_section, cite, publish, setup};
use domain::Role;
use reqwest::StatusCode;

#[tokio::test]
async fn the_city_answers_recommendations_and_the_chain_shows_from_both_ends() {
    let mut app = TestApp::new().await;
    let (debate, ids) = setup(&mut app).await;
    let finding = add_section(&app, "finding", "Isolement dominical", "Constat.").await;
    assert_eq!(
        cite(&app, finding, ids[0], "personne ne passe")
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    let rec = add_section(
        &app,
        "recommendation",
        "Ouvrir les maisons de quartier le dimanche",
        "Préconisé.",
    )
    .await;
    let finding_key: i64 = sqlx::query_scalar("SELECT key FROM report_sections WHERE id = $1")
        .bind(finding)
        .fetch_one(app.store().pool())
        .await
        .expect("key");
    let p = app
        .post(
            &format!("/admin/rapports/sections/{rec}/constats"),
            &[("finding", finding_key.to_string().as_str())],
        )
        .await;
    assert_eq!(p.status, StatusCode::SEE_OTHER, "{}", p.body);
    assert_eq!(publish(&app).await.status, StatusCode::SEE_OTHER);
    let rec_key = rec;
    // Analysts do not answer for the city.
    let p = app
        .post(
            &format!("{EDITOR}/suites/{rec_key}/reponse"),
            &[("answer", "accepted"), ("reasons", "")],
        )
        .await;
    assert_eq!(p.status, StatusCode::FORBIDDEN);
    sign_in(&mut app, ADMIN, &[Role::Admin]).await;
    let p = app
        .post(
            &format!("{EDITOR}/suites/{rec_key}/reponse"),
            &[("answer", "partly"), ("reasons", " ")],
        )
        .await;
    assert_eq!(p.status, StatusCode::BAD_REQUEST);
    p.assert_contains(&format!("f-a{rec_key}-reasons-error"));
    let p = app
        .post(
            &format!("{EDITOR}/suites/{rec_key}/reponse"),
            &[
                ("answer", "partly"),
                ("reasons", "Deux maisons sur onze, à l'essai."),
            ],
        )
        .await;
    assert_eq!(p.status, StatusCode::SEE_OTHER, "{}", p.body);
    let quartier = app.store().quartiers().await.expect("q")[0].id.to_string();
    let mut form = vec![
        ("title", "Ouverture dominicale à Bellevue"),
        ("department", "Direction de la vie associative"),
        ("budget", "12,5"),
        ("starts_on", "2027-01-10"),
        ("ends_on", "2027-06-30"),
        ("status", "in_progress"),
        ("progress", "40"),
        ("quartier", quartier.as_str()),
        ("description", ""),
    ];
    let p = app
        .post(&format!("{EDITOR}/suites/{rec_key}/engagements"), &form)
        .await;
    assert_eq!(p.status, StatusCode::BAD_REQUEST);
    p.assert_contains(&format!("f-n{rec_key}-budget-error"))
        .assert_contains("value=\"Ouverture dominicale à Bellevue\"");
    form[2] = ("budget", "45 000");
    let p = app
        .post(&format!("{EDITOR}/suites/{rec_key}/engagements"), &form)
        .await;
    assert_eq!(p.status, StatusCode::SEE_OTHER, "{}", p.body);
    let commitment: i64 = p
        .location()
        .rsplit("#k-")
        .next()
        .and_then(|s| s.parse().ok())
        .expect("commitment id");
    let p = app
        .post(
            &format!("/admin/engagements/{commitment}/jalons"),
            &[
                ("milestone_on", "2027-02-01"),
                ("milestone_title", "Première ouverture"),
                ("milestone_evidence", "javascript:x"),
            ],
        )
        .await;
    assert_eq!(p.status, StatusCode::BAD_REQUEST);
    let p = app
        .post(
            &format!("/admin/engagements/{commitment}/jalons"),
            &[
                ("milestone_on", "2027-02-01"),
                ("milestone_title", "Première ouverture"),
                ("milestone_evidence", "https://nantes.fr/photo.jpg"),
            ],
        )
        .await;
    assert_eq!(p.status, StatusCode::SEE_OTHER, "{}", p.body);

    app.new_visitor();
    let page = app.get("/debats/solidarites/suites").await;
    assert_eq!(page.status, StatusCode::OK);
    page.assert_contains("Retenue en partie")
        .assert_contains("Deux maisons sur onze")
        .assert_contains("<progress max=\"100\" value=\"40\"")
        .assert_contains("45\u{202f}000 €")
        .assert_contains("Première ouverture")
        .assert_contains(&format!("#k-{finding_key}"));
    // Per quartier: another quartier has no commitment.
    let other = app.store().quartiers().await.expect("q")[1].id;
    let filtered = app
        .get(&format!("/debats/solidarites/suites?quartier={other}"))
        .await;
    assert!(
        !filtered.body.contains("Ouverture dominicale"),
        "quartier filter ignored"
    );
    // From the contribution to the commitment…
    app.get(&format!("/contributions/{}", ids[0]))
        .await
        .assert_contains("Citée dans le constat « Isolement dominical »")
        .assert_contains("préconisation « Ouvrir les maisons de quartier le dimanche »")
        .assert_contains(&format!("href=\"/engagements/{commitment}\""))
        .assert_contains("(en cours)");
    // …and from the commitment back to the finding and the contribution.
    app.get(&format!("/engagements/{commitment}"))
        .await
        .assert_contains("Isolement dominical")
        .assert_contains(&format!("href=\"/contributions/{}\"", ids[0]));
    // The author of the cited contribution follows the recommendation; someone else may not.
    let author = app.create_user("autrice@example.org", &[]).await;
    sqlx::query("UPDATE contributions SET author_id = $1 WHERE id = $2")
        .bind(author)
        .bind(ids[0])
        .execute(app.store().pool())
        .await
        .expect("author");
    sign_in(&mut app, "quelquun@example.org", &[]).await;
    let p = app
        .post(
            &format!("/debats/solidarites/suites/{rec_key}/suivre"),
            &[("on", "1")],
        )
        .await;
    assert_eq!(p.status, StatusCode::FORBIDDEN);
    sign_in(&mut app, "autrice@example.org", &[]).await;
    let page = app.get("/debats/solidarites/suites").await;
    page.assert_contains("Être prévenu·e des suites");
    let p = app
        .post(
            &format!("/debats/solidarites/suites/{rec_key}/suivre"),
            &[("on", "1")],
        )
        .await;
    assert_eq!(p.status, StatusCode::SEE_OTHER, "{}", p.body);
    app.get("/debats/solidarites/suites")
        .await
        .assert_contains("Ne plus être prévenu·e");
    // A change of status tells her, through the job queue; a change of progress alone does not.
    sign_in(&mut app, ADMIN, &[Role::Admin]).await;
    let mut done = form.clone();
    done[5] = ("status", "done");
    let p = app
        .post(&format!("/admin/engagements/{commitment}"), &done)
        .await;
    assert_eq!(p.status, StatusCode::SEE_OTHER, "{}", p.body);
    let p = app
        .post(&format!("/admin/engagements/{commitment}"), &done)
        .await;
    assert_eq!(p.status, StatusCode::SEE_OTHER, "{}", p.body);
    app.drain_jobs().await;
    assert_eq!(app.mails_to("autrice@example.org").await, 1);
    let mail = app.last_mail_to("autrice@example.org").await.expect("mail");
    assert!(mail.contains("Ouverture dominicale"), "{mail}");
    assert!(
        mail.contains(&format!("/engagements/{commitment}")),
        "{mail}"
    );
    assert_eq!(app.mails_to("quelquun@example.org").await, 0);
    let audited: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM audit_log WHERE action IN ('report.answer', 'commitment.create', 'commitment.milestone')",
    )
    .fetch_one(app.store().pool())
    .await
    .expect("audit");
    assert_eq!(audited, 3);
    let _ = debate;
}

#[tokio::test]
async fn the_demo_report_is_published_with_an_opinion_and_commitments_and_the_api_reads_it() {
    let mut app = TestApp::new().await;
    concorde::demo::load_all(app.store(), storage::now())
        .await
        .expect("demo");
    let public = app.get("/debats/solidarites/rapport").await;
    assert_eq!(public.status, StatusCode::OK);
    public
        .assert_contains("Une précarité qui change de visage")
        .assert_contains("L&#39;isolement du soir et du dimanche")
        .assert_contains("Avis des garants")
        .assert_contains("Signée par Claire Garnier")
        .assert_contains("Atelier")
        .assert_contains("evidence-theme");
    let follow = app.get("/debats/solidarites/suites").await;
    assert_eq!(follow.status, StatusCode::OK);
    follow
        .assert_contains("Retenue en partie")
        .assert_contains("Réalisé")
        .assert_contains("En cours")
        .assert_contains("Prévu")
        .assert_contains("<progress max=\"100\" value=\"60\"");
    // The API: the published report, the commitments; the audit needs a token.
    let r: serde_json::Value =
        serde_json::from_str(&app.get("/api/v1/debates/solidarites/report").await.body)
            .expect("json");
    assert_eq!(r["version"], 1);
    let sections = r["sections"].as_array().expect("sections");
    assert_eq!(sections.len(), 5);
    assert!(
        sections
            .iter()
            .flat_map(|s| s["citations"].as_array().cloned().unwrap_or_default())
            .any(|c| c["kind"] == "theme" && c["size"].as_i64().unwrap_or(0) > 0),
        "{r}"
    );
    let k: serde_json::Value = serde_json::from_str(
        &app.get("/api/v1/debates/solidarites/commitments")
            .await
            .body,
    )
    .expect("json");
    let items = k["items"].as_array().expect("items");
    assert_eq!(items.len(), 2);
    assert_eq!(items[0]["answer"], "accepted");
    assert_eq!(items[1]["answer"], "partly");
    let statuses: Vec<String> = items
        .iter()
        .flat_map(|i| i["commitments"].as_array().cloned().unwrap_or_default())
        .map(|c| c["status"].as_str().unwrap_or("").to_string())
        .collect();
    assert_eq!(statuses, vec!["in_progress", "done", "planned"]);
    assert_eq!(
        app.get("/api/v1/debates/solidarites/report/coverage")
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
    // Staff: the draft goes on (version 2), its diff with version 1 shows the reworded diagnosis.
    sign_in(&mut app, GUARANTOR, &[Role::Guarantor]).await;
    let diff = app.get(&format!("{EDITOR}/comparer?de=1&a=2")).await;
    assert_eq!(diff.status, StatusCode::OK);
    diff.assert_contains("Les ateliers de quartier ont confirmé");
    app.get(&format!("{EDITOR}/couverture"))
        .await
        .assert_contains("Couverture par Canal");
}
