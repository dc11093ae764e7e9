//! What holds on every page: CSRF, security headers, error pages, languages, health, metrics,
//! page weight.

use crate::helpers::{TestApp, extract_csrf};
use domain::Role;
use reqwest::StatusCode;

#[tokio::test]
async fn csrf_is_required_on_every_post() {
    let app = TestApp::new().await;
    app.create_user("a@example.org", &[]).await;
    // No token, a wrong token, a token of another visitor: 403 with a readable page.
    let page = app
        .post_raw(
            "/connexion",
            &[
                ("email", "a@example.org"),
                ("password", crate::helpers::PASSWORD),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    page.assert_contains("Formulaire expiré")
        .assert_contains("<html");
    let page = app
        .post_raw(
            "/connexion",
            &[("csrf", "0000"), ("email", "a@example.org")],
        )
        .await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    let mut other = app.sibling().await;
    other.new_visitor();
    let foreign = other.csrf().await;
    let page = app
        .post_raw(
            "/connexion",
            &[
                ("csrf", &foreign),
                ("email", "a@example.org"),
                ("password", crate::helpers::PASSWORD),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    // Other body types are refused too.
    let page = app
        .post_body(
            "/connexion",
            "application/json",
            b"{\"email\":\"a@example.org\"}".to_vec(),
        )
        .await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    // A multipart body is only read by upload routes: elsewhere it cannot skip the check.
    let form = reqwest::multipart::Form::new().text("x", "y");
    let res = app
        .client
        .post(format!("{}/deconnexion", app.base))
        .multipart(form)
        .send()
        .await
        .expect("post");
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    // After login the token changes with the session: an old page's token no longer works.
    let before = app.csrf().await;
    // With the visitor's own token it works.
    assert_eq!(
        app.login("a@example.org", crate::helpers::PASSWORD)
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    let page = app
        .post_raw(
            "/profil",
            &[("csrf", &before), ("display_name", "x"), ("lang", "fr")],
        )
        .await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    // Login never sends anyone off-site.
    app.post("/deconnexion", &[]).await;
    for next in [
        "//evil.example",
        "/\\evil.example",
        "/\t/evil.example",
        "https://evil.example",
        "/\n",
    ] {
        let page = app
            .post(
                "/connexion",
                &[
                    ("email", "a@example.org"),
                    ("password", crate::helpers::PASSWORD),
                    ("next", next),
                ],
            )
            .await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{next:?}");
        assert_eq!(page.location(), "/", "{next:?}");
        app.post("/deconnexion", &[]).await;
    }
    let page = app
        .post(
            "/connexion",
            &[
                ("email", "a@example.org"),
                ("password", crate::helpers::PASSWORD),
                ("next", "/profil"),
            ],
        )
        .await;
    assert_eq!(page.location(), "/profil");
}

#[tokio::test]
async fn malformed_bodies_get_a_4xx_page() {
    let app = TestApp::new().await;
    let token = app.csrf().await;
    // Invalid percent-encoding and invalid UTF-8 in a form body.
    let body = format!("csrf={token}&email=%ZZ%FF&password=\u{0}").into_bytes();
    let page = app
        .post_body("/connexion", "application/x-www-form-urlencoded", body)
        .await;
    assert!(page.status.is_client_error(), "{}", page.status);
    let mut body = format!("csrf={token}&display_name=").into_bytes();
    body.extend_from_slice(&[0xff, 0xfe, 0xfd]);
    let page = app
        .post_body("/inscription", "application/x-www-form-urlencoded", body)
        .await;
    assert!(page.status.is_client_error(), "{}", page.status);
    page.assert_contains("<html");
    // A truncated multipart body, sent by an administrator to a real debate with a valid
    // token, so that it is read (not refused before): a 4xx page, nothing stored.
    let mut app = app;
    app.as_role(&[Role::Admin]).await;
    let (debate, _) = crate::helpers::demo(&app).await;
    let token = app.csrf().await;
    let body = format!(
        "--XYZ\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{token}\r\n\
         --XYZ\r\nContent-Disposition: form-data; name=\"doc_title\"\r\n\r\nCoupé\r\n\
         --XYZ\r\nContent-Disposition: form-data; name=\"document\"; filename=\"d.pdf\"\r\n\
         Content-Type: application/pdf\r\n\r\n%PDF-1.4 truncated"
    );
    let before = app
        .store()
        .debate_files(debate, "document")
        .await
        .expect("db")
        .len();
    let page = app
        .post_body(
            &format!("/admin/debats/{debate}/documents"),
            "multipart/form-data; boundary=XYZ",
            body.into_bytes(),
        )
        .await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST, "{}", page.body);
    page.assert_contains("<html");
    assert_eq!(
        app.store()
            .debate_files(debate, "document")
            .await
            .expect("db")
            .len(),
        before,
        "nothing stored from a truncated body"
    );
}

#[tokio::test]
async fn security_headers_everywhere() {
    let app = TestApp::new().await;
    for path in [
        "/",
        "/connexion",
        "/nexiste-pas",
        "/static/style.css",
        "/admin",
    ] {
        let page = app.get(path).await;
        let h = &page.headers;
        let csp = h
            .get("content-security-policy")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        assert!(
            csp.contains("frame-ancestors 'none'")
                && csp.contains("script-src 'self'")
                && !csp.contains("unsafe-inline"),
            "{path}: {csp}"
        );
        assert_eq!(h["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(h["referrer-policy"], "same-origin", "{path}");
    }
    let page = app.get("/nexiste-pas").await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    page.assert_contains("Page introuvable");
}

#[tokio::test]
async fn languages() {
    let app = TestApp::new().await;
    app.get("/")
        .await
        .assert_contains("<html lang=\"fr\">")
        .assert_contains("Les grands débats");
    app.get_with("/", ("accept-language", "en-GB,en;q=0.9"))
        .await
        .assert_contains("<html lang=\"en\">")
        .assert_contains("Public debates");
    // The switch is a plain link that sets a cookie; later pages follow it.
    let page = app.get("/connexion?lang=en").await;
    page.assert_contains("Log in");
    app.get("/").await.assert_contains("Public debates");
    app.get("/?lang=fr")
        .await
        .assert_contains("Les grands débats");
    // Every page offers the switch.
    app.get("/inscription")
        .await
        .assert_contains("hreflang=\"en\"");
    // Legal pages exist in both languages.
    for (p, fr, en) in [
        (
            "/mentions-legales",
            "<h1>Mentions légales</h1>",
            "<h1>Legal notice</h1>",
        ),
        ("/confidentialite", "Ce que nous gardons", "What we keep"),
        ("/accessibilite", "État de conformité", "Compliance status"),
    ] {
        for (lang, text, other) in [("fr", fr, en), ("en", en, fr)] {
            let page = app.get(&format!("{p}?lang={lang}")).await;
            assert_eq!(page.status, StatusCode::OK, "{p} in {lang}");
            page.assert_contains(&format!("<html lang=\"{lang}\">"))
                .assert_contains(text);
            assert!(!page.body.contains(other), "{p} in {lang} holds {other:?}");
        }
    }
    app.get("/accessibilite").await.assert_contains("RGAA");
}

#[tokio::test]
async fn health_metrics_and_weight() {
    let app = TestApp::with(|s| s.metrics_token = "metrics-token-for-tests".into()).await;
    concorde::demo::load(app.store(), storage::now())
        .await
        .expect("demo");
    assert_eq!(app.get("/healthz").await.body, "ok\n");
    for p in [
        "/",
        "/debats/solidarites",
        "/inscription",
        "/connexion",
        "/static/style.css",
    ] {
        let page = app.get(p).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(
            page.body.len() < 100 * 1024,
            "{p} weighs {} bytes",
            page.body.len()
        );
    }
    let metrics = app
        .get_with(
            "/metrics",
            ("authorization", "Bearer metrics-token-for-tests"),
        )
        .await
        .body;
    assert!(
        metrics.contains(
            "concorde_http_requests_total{method=\"GET\",route=\"/debats/{slug}\",status=\"200\"} 1"
        ),
        "{metrics}"
    );
    assert!(metrics.contains("concorde_http_request_duration_seconds_bucket"));
    // Forms carry their token without JavaScript; no page ships a script.
    let signup = app.get("/inscription").await;
    assert!(!extract_csrf(&signup.body).is_empty());
    assert!(!signup.body.contains("<script"));
}

/// Every form of the site, the four upload routes included, refuses a POST without a valid
/// token with 403, for a signed-in administrator on real records, and changes nothing.
#[tokio::test]
async fn every_form_refuses_a_post_without_a_valid_token() {
    let mut app = TestApp::new().await;
    let user = app
        .as_role(&[Role::Admin, Role::Moderator, Role::Facilitator])
        .await;
    let (debate, qs) = crate::helpers::demo(&app).await;
    let contribution = app
        .store()
        .insert_contribution(&crate::helpers::online(debate, qs[0].id, "T", "Texte"))
        .await
        .expect("insert");
    // A scan goes with a contribution typed in from paper.
    let paper = app
        .store()
        .insert_contribution(&storage::NewContribution {
            channel: "paper",
            entered_by: Some(user),
            ..crate::helpers::online(debate, qs[0].id, "Papier", "Recopié du cahier")
        })
        .await
        .expect("insert");
    let posts = [
        "/connexion".to_string(),
        "/deconnexion".into(),
        "/inscription".into(),
        "/confirmer/abc".into(),
        "/mot-de-passe-oublie".into(),
        "/reinitialiser/abc".into(),
        "/profil".into(),
        "/profil/jetons".into(),
        "/profil/jetons/1/revoquer".into(),
        "/profil/mot-de-passe".into(),
        "/profil/supprimer".into(),
        "/profil/second-facteur".into(),
        "/profil/sessions/0123456789abcdef/fin".into(),
        "/connexion/code".into(),
        "/connexion/second-facteur".into(),
        "/confirmer-identite".into(),
        "/debats/solidarites/contribuer".into(),
        "/debats/solidarites/saisie".into(),
        format!("/contributions/{contribution}/commentaires"),
        format!("/contributions/{contribution}/suivre"),
        format!("/contributions/{contribution}/modifier"),
        format!("/contributions/{contribution}/retirer"),
        format!("/contributions/{contribution}/soutien"),
        "/signaler".into(),
        "/moderation".into(),
        "/admin/moderation".into(),
        "/admin/moderation/bloquer".into(),
        "/organisations".into(),
        "/organisations/1/invitations".into(),
        "/invitations/abc".into(),
        "/admin/taches/1/relancer".into(),
        format!("/admin/analyses/debat/{debate}"),
        "/admin/debats".into(),
        format!("/admin/debats/{debate}"),
        format!("/admin/debats/{debate}/questions"),
        format!("/admin/debats/{debate}/phases"),
        format!("/admin/debats/{debate}/public"),
        format!("/admin/debats/{debate}/documents/1/supprimer"),
        format!("/admin/utilisateurs/{user}/roles"),
        "/admin/listes".into(),
        format!("/admin/evenements?debat={debate}"),
        "/admin/evenements/1".into(),
        "/admin/evenements/1/publier".into(),
        "/admin/evenements/1/annuler".into(),
        "/admin/evenements/1/inscriptions".into(),
        "/admin/inscriptions/1/annuler".into(),
        "/evenements/1/inscription".into(),
        "/inscriptions/abc/annuler".into(),
        "/evenements/1/presence".into(),
        "/evenements/1/compte-rendu".into(),
        "/admin/programmes".into(),
    ];
    let before = crate::helpers::row_counts(&app).await;
    for path in &posts {
        for fields in [
            vec![("body", "x"), ("title", "x")],
            vec![("csrf", "0000"), ("body", "x"), ("title", "x")],
        ] {
            let page = app.post_raw(path, &fields).await;
            assert_eq!(page.status, StatusCode::FORBIDDEN, "{path} {fields:?}");
            page.assert_contains("Formulaire expiré");
        }
    }
    assert_eq!(
        crate::helpers::row_counts(&app).await,
        before,
        "nothing written"
    );
    // Still signed in: the logout was refused too.
    assert_eq!(app.get("/admin").await.status, StatusCode::OK);

    // The upload routes read their token from the multipart body: a form that would be
    // accepted with the right token is refused with a wrong or missing one.
    const PNG: &[u8] = include_bytes!("../../demo/solidarites.png");
    const PDF: &[u8] = include_bytes!("../../demo/deliberation-2021-10-15.pdf");
    let programme = {
        let mut tx = app.store().begin().await.expect("tx");
        let id = tx
            .insert_programme(debate, "assises-csrf", "Assises", "", true)
            .await
            .expect("programme");
        tx.commit().await.expect("commit");
        id
    };
    concorde::demo_survey::load(app.store(), debate)
        .await
        .expect("demo survey");
    let survey = app
        .store()
        .survey_by_slug(concorde::demo_survey::SLUG)
        .await
        .expect("db")
        .expect("survey")
        .id;
    let uploads = [
        (
            format!("/admin/debats/{debate}/image"),
            "image",
            "h.png",
            PNG,
        ),
        (
            format!("/admin/debats/{debate}/documents"),
            "document",
            "d.pdf",
            PDF,
        ),
        (
            "/debats/solidarites/cahier".to_string(),
            "scan",
            "s.pdf",
            PDF,
        ),
        (format!("/contributions/{paper}/scan"), "scan", "s.pdf", PDF),
        (
            format!("/admin/programmes/{programme}/intervenants"),
            "photo",
            "p.png",
            PNG,
        ),
        (
            format!("/admin/enquetes/{survey}/panel"),
            "file",
            "panel.csv",
            b"id;sexe\n1;F\n".as_slice(),
        ),
        (
            format!("/admin/enquetes/{survey}/ponderation"),
            "margins",
            "m.csv",
            b"variable;modalite;effectif\nsexe;F;1\n".as_slice(),
        ),
    ];
    for route in web::UPLOAD_ROUTES {
        let matches = |path: &str| {
            let (a, b): (Vec<&str>, Vec<&str>) =
                (route.split('/').collect(), path.split('/').collect());
            a.len() == b.len() && a.iter().zip(&b).all(|(r, p)| r.starts_with('{') || r == p)
        };
        assert!(
            uploads.iter().any(|(p, ..)| matches(p.as_str())),
            "{route} is checked here"
        );
    }
    let before = crate::helpers::row_counts(&app).await;
    for (path, field, name, bytes) in &uploads {
        for token in [None, Some("0000")] {
            let mut form = reqwest::multipart::Form::new()
                .text("doc_title", "Titre")
                .text("image_alt", "Une image")
                .text("title", "Cahier")
                .text("body", "Le texte du cahier")
                .text("question_id", qs[0].id.to_string())
                .part(
                    field.to_string(),
                    reqwest::multipart::Part::bytes(bytes.to_vec()).file_name(name.to_string()),
                );
            if let Some(t) = token {
                form = form.text("csrf", t);
            }
            let page = app.post_multipart(path, form).await;
            assert_eq!(page.status, StatusCode::FORBIDDEN, "{path} {token:?}");
            page.assert_contains("Formulaire expiré");
        }
    }
    assert_eq!(
        crate::helpers::row_counts(&app).await,
        before,
        "nothing stored"
    );
}
