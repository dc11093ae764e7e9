//! What holds on every page: CSRF, security headers, error pages, languages, health, metrics,
//! page weight.

use crate::helpers::{TestApp, extract_csrf};
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
    // A truncated multipart body.
    let page = app
        .post_body(
            "/admin/debats/1/documents",
            "multipart/form-data; boundary=XYZ",
            b"--XYZ\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\nabc".to_vec(),
        )
        .await;
    assert!(page.status.is_client_error(), "{}", page.status);
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
    for p in ["/mentions-legales", "/confidentialite", "/accessibilite"] {
        assert_eq!(app.get(p).await.status, StatusCode::OK, "{p}");
    }
    app.get("/accessibilite").await.assert_contains("RGAA");
    app.get("/confidentialite?lang=en")
        .await
        .assert_contains("What we keep");
}

#[tokio::test]
async fn health_metrics_and_weight() {
    let app = TestApp::new().await;
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
    let metrics = app.get("/metrics").await.body;
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
