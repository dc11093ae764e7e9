//! Organisations, invitations, collective contributions with attachments, and scans of paper
//! contributions.

use crate::helpers::{TestApp, demo, link_in, sign_in};
use domain::Role;
use reqwest::StatusCode;
use reqwest::multipart::{Form, Part};

const PDF: &[u8] = include_bytes!("../../demo/deliberation-2021-10-15.pdf");

async fn create_org(app: &TestApp, name: &str) -> i64 {
    let page = app
        .post(
            "/organisations",
            &[
                ("name", name),
                ("kind", "association"),
                ("description", "Entraide"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    page.location()
        .trim_start_matches("/organisations/")
        .parse()
        .expect("organisation id")
}

#[tokio::test]
async fn organisations_invite_members_who_file_collective_contributions() {
    let mut app = TestApp::new().await;
    let (debate, qs) = demo(&app).await;

    // Creating one: checked fields, a name taken twice (case aside) is refused.
    sign_in(&mut app, "presidente@example.org", &[]).await;
    let bad = app
        .post(
            "/organisations",
            &[("name", ""), ("kind", "club"), ("description", "")],
        )
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    bad.assert_contains("f-name-error")
        .assert_contains("f-kind-error");
    let org = create_org(&app, "Les Amis du Parc <b>").await;
    let dup = app
        .post(
            "/organisations",
            &[
                ("name", "les amis du parc <B>"),
                ("kind", "collective"),
                ("description", ""),
            ],
        )
        .await;
    assert_eq!(dup.status, StatusCode::BAD_REQUEST);
    dup.assert_contains("porte déjà ce nom");
    let page = app.get(&format!("/organisations/{org}")).await;
    page.assert_contains("Les Amis du Parc &#60;b&#62;")
        .assert_contains("1 membre")
        .assert_contains("Inviter un membre");

    // An invitation by mail; the link makes whoever opens it, signed in, a member, once.
    assert_eq!(
        app.post(
            &format!("/organisations/{org}/invitations"),
            &[("email", "nope")]
        )
        .await
        .status,
        StatusCode::BAD_REQUEST
    );
    let sent = app
        .post(
            &format!("/organisations/{org}/invitations"),
            &[("email", "membre@example.org")],
        )
        .await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER);
    let mail = app
        .last_mail_to("membre@example.org")
        .await
        .expect("invitation mail");
    let link = link_in(&mail, "/invitations/");
    let member = sign_in(&mut app, "membre@example.org", &[]).await;
    app.get(&link).await.assert_contains("Rejoindre l");
    let joined = app.post(&link, &[]).await;
    assert_eq!(joined.status, StatusCode::SEE_OTHER);
    assert_eq!(
        app.store().membership(org, member).await.expect("db"),
        Some(false)
    );
    assert_eq!(app.post(&link, &[]).await.status, StatusCode::NOT_FOUND);
    // Members do not invite; only the organisation's admins do.
    assert_eq!(
        app.post(
            &format!("/organisations/{org}/invitations"),
            &[("email", "x@example.org")]
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );

    // A collective contribution with a PDF attachment.
    let csrf = app.csrf().await;
    let form = |org: String, body: String, attachment: (&str, Vec<u8>)| {
        Form::new()
            .text("csrf", csrf.clone())
            .text("organisation_id", org)
            .text("question_id", qs[1].id.to_string())
            .text("title", "Cahier des Amis du Parc")
            .text("summary", "Trois propositions pour le parc.")
            .text("body", body)
            .text("quartier_id", "")
            .part(
                "attachment1",
                Part::bytes(attachment.1).file_name(attachment.0.to_string()),
            )
    };
    app.get("/debats/solidarites/cahier")
        .await
        .assert_contains("Les Amis du Parc");
    // Bad attachment, oversized body: 400, nothing stored.
    let page = app
        .post_multipart(
            "/debats/solidarites/cahier",
            form(
                org.to_string(),
                "Texte".into(),
                ("prog.pdf", b"MZ\x90\x00".to_vec()),
            ),
        )
        .await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST);
    page.assert_contains("f-attachment1-error");
    let page = app
        .post_multipart(
            "/debats/solidarites/cahier",
            form(org.to_string(), "x".repeat(10_001), ("a.pdf", PDF.to_vec())),
        )
        .await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST);
    page.assert_contains("f-body-error");
    // On behalf of an organisation one is not a member of: 403 with the reason.
    let other = app
        .store()
        .create_organisation("Autre", "company", "", member - 1)
        .await
        .expect("org");
    let page = app
        .post_multipart(
            "/debats/solidarites/cahier",
            form(other.to_string(), "Texte".into(), ("a.pdf", PDF.to_vec())),
        )
        .await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    page.assert_contains("pas membre de cette organisation");
    assert_eq!(
        app.store()
            .count_contributions(&storage::ContributionFilter {
                debate_id: debate,
                kind: "collective".into(),
                ..Default::default()
            })
            .await
            .expect("db"),
        0
    );

    let long_body = format!("{}\n\nFin.", "Un parc plus vert. ".repeat(300));
    let page = app
        .post_multipart(
            "/debats/solidarites/cahier",
            form(
                org.to_string(),
                long_body,
                ("propositions.pdf", PDF.to_vec()),
            ),
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let path = page.location();
    let path = path.split('?').next().unwrap_or_default().to_string();
    let shown = app.get(&path).await;
    shown
        .assert_contains("Contribution collective au nom de")
        .assert_contains(&format!("href=\"/organisations/{org}\""))
        .assert_contains("Trois propositions pour le parc.")
        .assert_contains("propositions.pdf (pièce jointe");
    let i = shown.body.find("/fichiers/").expect("file link");
    let href: String = shown.body[i..].chars().take_while(|c| *c != '"').collect();
    let file = app.get(&href).await;
    assert_eq!(file.status, StatusCode::OK);
    assert_eq!(
        file.headers
            .get("content-type")
            .and_then(|v| v.to_str().ok()),
        Some("application/pdf")
    );
    // Told apart in the list, in the filter, and on the organisation's page.
    let list = app
        .get("/debats/solidarites/contributions?type=collective")
        .await;
    list.assert_contains("1 contribution")
        .assert_contains("Les Amis du Parc &#60;b&#62; (par membre)")
        .assert_contains("Trois propositions");
    app.get(&format!("/organisations/{org}"))
        .await
        .assert_contains("Cahier des Amis du Parc");

    // Hidden: its attachment goes with it.
    let id: i64 = path
        .trim_start_matches("/contributions/")
        .parse()
        .expect("id");
    let mo = app.create_user("mo@example.org", &[Role::Moderator]).await;
    app.store()
        .set_hidden(storage::Target::Contribution(id), true, "test", mo)
        .await
        .expect("hide");
    app.new_visitor();
    assert_eq!(app.get(&href).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn facilitators_attach_scans_to_paper_contributions() {
    let mut app = TestApp::new().await;
    let (debate, qs) = demo(&app).await;
    let paper = app
        .store()
        .insert_contribution(&storage::NewContribution {
            channel: "paper",
            ..crate::helpers::online(debate, qs[0].id, "Sur papier", "Écrit à la main")
        })
        .await
        .expect("insert");
    let online = app
        .store()
        .insert_contribution(&crate::helpers::online(
            debate, qs[0].id, "En ligne", "Texte",
        ))
        .await
        .expect("insert");
    let scan = |csrf: String, bytes: Vec<u8>| {
        Form::new()
            .text("csrf", csrf)
            .part("scan", Part::bytes(bytes).file_name("scan.pdf"))
    };
    // Participants cannot.
    sign_in(&mut app, "p@example.org", &[]).await;
    let csrf = app.csrf().await;
    assert_eq!(
        app.post_multipart(
            &format!("/contributions/{paper}/scan"),
            scan(csrf, PDF.to_vec())
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );
    sign_in(&mut app, "f@example.org", &[Role::Facilitator]).await;
    app.get(&format!("/contributions/{paper}"))
        .await
        .assert_contains("Ajouter le scan");
    let csrf = app.csrf().await;
    let bad = app
        .post_multipart(
            &format!("/contributions/{paper}/scan"),
            scan(csrf.clone(), b"not a pdf".to_vec()),
        )
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    bad.assert_contains("f-scan-error");
    assert_eq!(
        app.post_multipart(
            &format!("/contributions/{online}/scan"),
            scan(csrf.clone(), PDF.to_vec())
        )
        .await
        .status,
        StatusCode::BAD_REQUEST
    );
    let ok = app
        .post_multipart(
            &format!("/contributions/{paper}/scan"),
            scan(csrf, PDF.to_vec()),
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
    let files = app.store().contribution_files(paper).await.expect("db");
    assert_eq!(files.len(), 1);
    assert_eq!(files[0].purpose, "scan");
    let href = format!("/fichiers/{}/scan.pdf", files[0].id);
    // Staff see it, told that it is private; anonymous visitors and participants get 404.
    let staff_page = app.get(&format!("/contributions/{paper}")).await;
    staff_page.assert_contains("visible que de l");
    assert_eq!(app.get(&href).await.status, StatusCode::OK);
    let facilitator = app.client.clone();
    app.new_visitor();
    let page = app.get(&format!("/contributions/{paper}")).await;
    assert!(
        !page.body.contains("scan de l&#39;original"),
        "{}",
        page.body
    );
    assert_eq!(app.get(&href).await.status, StatusCode::NOT_FOUND);
    sign_in(&mut app, "p2@example.org", &[]).await;
    assert_eq!(app.get(&href).await.status, StatusCode::NOT_FOUND);
    let csrf = app.csrf().await;
    let publish = format!("/contributions/{paper}/scans/{}/publier", files[0].id);
    assert_eq!(
        app.post(&publish, &[("csrf", &csrf)]).await.status,
        StatusCode::FORBIDDEN
    );
    // Published by a deliberate choice of the facilitator, audited.
    app.client = facilitator;
    let csrf = app.csrf().await;
    let done = app.post(&publish, &[("csrf", &csrf)]).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    let log = app.store().audit_page(None, 50).await.expect("audit");
    assert!(log.iter().any(|e| e.action == "contribution.scan_publish"));
    app.new_visitor();
    app.get(&format!("/contributions/{paper}"))
        .await
        .assert_contains("scan de l&#39;original");
    assert_eq!(app.get(&href).await.status, StatusCode::OK);
}

#[tokio::test]
async fn invitations_are_limited_per_day() {
    let mut app = TestApp::new().await;
    let admin = sign_in(&mut app, "presidente@example.org", &[]).await;
    let org = create_org(&app, "Beaucoup d'amis").await;
    for i in 0..web::pages::organisations::MAX_INVITATIONS_PER_DAY {
        app.store()
            .invite(org, &format!("ami{i}@example.org"), admin)
            .await
            .expect("invite");
    }
    let page = app
        .post(
            &format!("/organisations/{org}/invitations"),
            &[("email", "encore@example.org")],
        )
        .await;
    assert_eq!(page.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(app.mails_to("encore@example.org").await, 0);
}

/// A multipart body exactly as a browser sends it: every file input is a part, an empty one
/// with `filename=""` and no bytes.
fn browser_body(csrf: &str, org: i64, question: i64, files: &[(&str, &[u8])]) -> Vec<u8> {
    const B: &str = "----WebKitFormBoundary7MA4YWxkTrZu0gW";
    let mut body = Vec::new();
    let text = |name: &str, value: &str, body: &mut Vec<u8>| {
        body.extend_from_slice(
            format!("--{B}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n")
                .as_bytes(),
        );
    };
    text("csrf", csrf, &mut body);
    text("organisation_id", &org.to_string(), &mut body);
    text("question_id", &question.to_string(), &mut body);
    text("title", "Cahier du quartier", &mut body);
    text("summary", "Nos propositions.", &mut body);
    text(
        "body",
        "Un texte de plusieurs idées pour le quartier.",
        &mut body,
    );
    text("quartier_id", "", &mut body);
    for i in 0..3 {
        let (filename, data, ctype) = match files.get(i) {
            Some((name, data)) => (*name, *data, "application/pdf"),
            None => ("", &b""[..], "application/octet-stream"),
        };
        body.extend_from_slice(
            format!(
                "--{B}\r\nContent-Disposition: form-data; name=\"attachment{}\"; filename=\"{filename}\"\r\nContent-Type: {ctype}\r\n\r\n",
                i + 1
            )
            .as_bytes(),
        );
        body.extend_from_slice(data);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{B}--\r\n").as_bytes());
    body
}

#[tokio::test]
async fn collective_contributions_are_sent_as_browsers_send_them() {
    let mut app = TestApp::new().await;
    let (_, qs) = demo(&app).await;
    sign_in(&mut app, "asso@example.org", &[]).await;
    let org = create_org(&app, "Comité du quartier").await;
    let csrf = app.csrf().await;
    let ctype = "multipart/form-data; boundary=----WebKitFormBoundary7MA4YWxkTrZu0gW";
    for n in [0usize, 1, 3] {
        let names = ["un.pdf", "deux.pdf", "trois.pdf"];
        let files: Vec<(&str, &[u8])> = names[..n].iter().map(|f| (*f, PDF)).collect();
        let page = app
            .post_body(
                "/debats/solidarites/cahier",
                ctype,
                browser_body(&csrf, org, qs[1].id, &files),
            )
            .await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{n}: {}", page.body);
        let id: i64 = page
            .location()
            .trim_start_matches("/contributions/")
            .split('?')
            .next()
            .and_then(|s| s.parse().ok())
            .expect("id");
        let stored = app.store().contribution_files(id).await.expect("db");
        assert_eq!(stored.len(), n, "{n} attachments");
    }
    // After an error, the page says plainly that files must be chosen again.
    let mut bad = browser_body(&csrf, org, qs[1].id, &[("un.pdf", PDF)]);
    let needle = b"Cahier du quartier";
    let at = bad
        .windows(needle.len())
        .position(|w| w == needle)
        .expect("title");
    bad.splice(at..at + needle.len(), Vec::new());
    let page = app
        .post_body("/debats/solidarites/cahier", ctype, bad)
        .await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST);
    page.assert_contains("f-title-error")
        .assert_contains("choisissez-les de nouveau");
    assert!(!page.body.contains("f-attachment1-error"), "{}", page.body);
}
