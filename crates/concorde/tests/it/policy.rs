//! The object-aware policy, confirmed by requests: what a probe of the server found open before
//! (draft debates' items reachable, supports and reports as an existence oracle, moderators and
//! facilitators acting on drafts, analysts reading drafts and hidden text, guarantors taking
//! part), each closed.

use crate::helpers::{TestApp, demo, online, sign_in};
use domain::Role;
use reqwest::StatusCode;

/// The demo debate with a contribution by its author and a collective one of an organisation;
/// then the debate goes back to draft.
async fn draft_setup(app: &TestApp) -> (i64, i64, i64, i64) {
    let (debate, qs) = demo(app).await;
    let author = app.create_user("auteur@example.org", &[]).await;
    let id = app
        .store()
        .insert_contribution(&storage::NewContribution {
            author_id: Some(author),
            channel: "paper",
            ..online(
                debate,
                qs[0].id,
                "Titre brouillon secret",
                "Texte brouillon secret",
            )
        })
        .await
        .expect("insert");
    let org = app
        .store()
        .create_organisation("Collectif des Dervallières", "association", "", author)
        .await
        .expect("org");
    app.store()
        .insert_contribution(&storage::NewContribution {
            author_id: Some(author),
            kind: "collective",
            organisation_id: Some(org),
            summary: "Résumé collectif secret",
            ..online(
                debate,
                qs[0].id,
                "Cahier collectif secret",
                "Le texte du cahier.",
            )
        })
        .await
        .expect("collective");
    set_status(app, debate, "draft").await;
    (debate, id, org, author)
}

async fn set_status(app: &TestApp, debate: i64, status: &str) {
    sqlx::query("UPDATE debates SET status = $1 WHERE id = $2")
        .bind(status)
        .bind(debate)
        .execute(app.store().pool())
        .await
        .expect("status");
    app.store().forget_cached();
}

#[tokio::test]
async fn a_draft_debates_items_exist_for_nobody_but_admins_and_guarantors() {
    let mut app = TestApp::new().await;
    let (debate, id, org, _) = draft_setup(&app).await;
    let page = format!("/contributions/{id}");

    // Anonymous: the organisation's page names nothing of the draft debate.
    let o = app.get(&format!("/organisations/{org}")).await;
    assert_eq!(o.status, StatusCode::OK);
    assert!(!o.body.contains("Cahier collectif secret"), "title leaked");
    assert!(
        !o.body.contains("Résumé collectif secret"),
        "summary leaked"
    );
    assert_eq!(app.get(&page).await.status, StatusCode::NOT_FOUND);

    // A participant: support and report answer as for an unknown id (no existence oracle).
    sign_in(&mut app, "p@example.org", &[]).await;
    let support = app
        .post(&format!("{page}/soutien"), &[("action", "add")])
        .await;
    let unknown = app
        .post("/contributions/999999/soutien", &[("action", "add")])
        .await;
    assert_eq!(support.status, StatusCode::NOT_FOUND);
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    let idstr = id.to_string();
    let report = app
        .post(
            "/signaler",
            &[
                ("kind", "contribution"),
                ("id", &idstr),
                ("reason", "abuse"),
                ("details", ""),
            ],
        )
        .await;
    assert_eq!(report.status, StatusCode::NOT_FOUND);

    // A moderator neither reads its history nor hides it.
    sign_in(&mut app, "m@example.org", &[Role::Moderator]).await;
    assert_eq!(
        app.get(&format!("{page}/historique")).await.status,
        StatusCode::NOT_FOUND
    );
    let hide = app
        .post(
            "/moderation",
            &[
                ("kind", "contribution"),
                ("id", &idstr),
                ("decision", "hide"),
                ("reason", "x"),
            ],
        )
        .await;
    assert_eq!(hide.status, StatusCode::NOT_FOUND);

    // A facilitator attaches no scan to it.
    sign_in(&mut app, "f@example.org", &[Role::Facilitator]).await;
    let form = reqwest::multipart::Form::new()
        .text("csrf", app.csrf().await)
        .part(
            "scan",
            reqwest::multipart::Part::bytes(b"%PDF-1.4\n%%EOF\n".to_vec())
                .file_name("scan.pdf")
                .mime_str("application/pdf")
                .expect("mime"),
        );
    let scan = app.post_multipart(&format!("{page}/scan"), form).await;
    assert_eq!(scan.status, StatusCode::NOT_FOUND);

    // An analyst neither lists nor analyses it.
    sign_in(&mut app, "a@example.org", &[Role::Analyst]).await;
    let list = app.get("/admin/analyses").await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(
        !list
            .body
            .contains(&format!("/admin/analyses/debat/{debate}")),
        "the draft debate is offered to the analyst"
    );
    let start = app
        .post(&format!("/admin/analyses/debat/{debate}"), &[])
        .await;
    assert_eq!(start.status, StatusCode::NOT_FOUND);

    // The guarantor reads it (drafts included), the administrator too.
    sign_in(&mut app, "g@example.org", &[Role::Guarantor]).await;
    assert_eq!(app.get(&page).await.status, StatusCode::OK);
    assert_eq!(
        app.get(&format!("{page}/historique")).await.status,
        StatusCode::OK
    );
    // Nothing was stored by the refused requests.
    let c = app
        .store()
        .contribution(id)
        .await
        .expect("db")
        .expect("row");
    assert_eq!((c.supports_count, c.status.as_str()), (0, "published"));
    assert!(
        app.store()
            .moderation_queue(50)
            .await
            .expect("queue")
            .is_empty()
    );
}

#[tokio::test]
async fn guarantors_stay_out_and_authors_do_not_support_or_report_themselves() {
    let mut app = TestApp::new().await;
    let (debate, qs) = demo(&app).await;
    let author = sign_in(&mut app, "auteur@example.org", &[]).await;
    let id = app
        .store()
        .insert_contribution(&storage::NewContribution {
            author_id: Some(author),
            ..online(debate, qs[0].id, "Des bancs", "Il manque des bancs.")
        })
        .await
        .expect("insert");
    let page = format!("/contributions/{id}");
    let idstr = id.to_string();
    let own_support = app
        .post(&format!("{page}/soutien"), &[("action", "add")])
        .await;
    assert_eq!(own_support.status, StatusCode::CONFLICT);
    own_support.assert_contains("propre contribution");
    let own_report = app
        .post(
            "/signaler",
            &[
                ("kind", "contribution"),
                ("id", &idstr),
                ("reason", "abuse"),
                ("details", ""),
            ],
        )
        .await;
    assert_eq!(own_report.status, StatusCode::CONFLICT);

    // The guarantor watches: no support, no comment, no contribution.
    sign_in(&mut app, "garant@example.org", &[Role::Guarantor]).await;
    let support = app
        .post(&format!("{page}/soutien"), &[("action", "add")])
        .await;
    assert_eq!(support.status, StatusCode::FORBIDDEN);
    let comment = app
        .post(
            &format!("{page}/commentaires"),
            &[("body", "Un avis de garant")],
        )
        .await;
    assert_eq!(comment.status, StatusCode::FORBIDDEN);
    let q = qs[0].id.to_string();
    let contribute = app
        .post(
            "/debats/solidarites/contribuer",
            &[("question_id", &q), ("title", "Titre"), ("body", "Texte")],
        )
        .await;
    assert_eq!(contribute.status, StatusCode::FORBIDDEN);
    assert!(app.store().comments(id).await.expect("db").is_empty());
    let c = app
        .store()
        .contribution(id)
        .await
        .expect("db")
        .expect("row");
    assert_eq!(c.supports_count, 0);

    // Someone else supports it, as before.
    sign_in(&mut app, "voisine@example.org", &[]).await;
    let ok = app
        .post(&format!("{page}/soutien"), &[("action", "add")])
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn analysts_read_no_hidden_text_in_a_run_made_before_it_was_hidden() {
    let mut app = TestApp::new().await;
    let (debate, qs) = demo(&app).await;
    let mut ids = Vec::new();
    for i in 0..40 {
        let body = if i % 2 == 0 {
            format!("Il faut plus de pistes cyclables sécurisées dans le quartier numéro {i}.")
        } else {
            format!("Les personnes âgées isolées ont besoin de visites régulières, cas {i}.")
        };
        let id = app
            .store()
            .insert_contribution(&online(debate, qs[0].id, "Proposition", &body))
            .await
            .expect("insert");
        ids.push((id, body));
    }
    let (run, _) =
        web::synthesis::run_on_debate(app.store(), debate, analysis::Settings::default(), None)
            .await
            .expect("run");
    // Every contribution is hidden after the run.
    let moderator = app.create_user("mod@example.org", &[Role::Moderator]).await;
    for (id, _) in &ids {
        app.store()
            .set_hidden(storage::Target::Contribution(*id), true, "abus", moderator)
            .await
            .expect("hide");
    }
    sign_in(&mut app, "analyste@example.org", &[Role::Analyst]).await;
    let page = app.get(&format!("/admin/analyses/{run}")).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    for (_, body) in &ids {
        assert!(
            !page.body.contains(body.as_str()),
            "hidden text quoted: {body}"
        );
    }
    let theme = app.get(&format!("/admin/analyses/{run}/themes/1")).await;
    if theme.status == StatusCode::OK {
        for (_, body) in &ids {
            let start: String = body.chars().take(40).collect();
            assert!(!theme.body.contains(&start), "hidden text listed: {body}");
        }
    }
}
