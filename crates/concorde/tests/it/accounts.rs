//! Sign-up, confirmation, login, logout, throttle, password reset, profile, shared sessions.

use crate::helpers::{PASSWORD, TestApp, link_in};
use reqwest::StatusCode;

#[tokio::test]
async fn signup_confirm_login_logout() {
    let app = TestApp::new().await;
    let page = app
        .post(
            "/inscription",
            &[
                ("display_name", "Anne"),
                ("email", "Anne@Example.org"),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::OK);
    page.assert_contains("anne@example.org");

    // Not confirmed yet: login is refused with an explanation, and the link is sent again.
    let page = app.login("anne@example.org", PASSWORD).await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST);
    page.assert_contains("pas encore confirmée");
    assert!(app.mails_to("anne@example.org").await >= 2);

    let mail = app
        .last_mail_to("anne@example.org")
        .await
        .expect("a confirmation mail");
    let link = link_in(&mail, "/confirmer/");
    // Opening the link only shows a button (mail scanners must not confirm by prefetching).
    app.get(&link)
        .await
        .assert_contains("Confirmer mon adresse");
    let page = app.post(&link, &[]).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert_eq!(
        page.location(),
        "/connexion?ok=confirmed&email=anne%40example.org"
    );
    // The login page greets the person with their address already typed.
    app.get(&page.location())
        .await
        .assert_contains("value=\"anne@example.org\"");
    // A used link is refused.
    assert_eq!(app.post(&link, &[]).await.status, StatusCode::BAD_REQUEST);

    let page = app.login("anne@example.org", PASSWORD).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let cookie = page
        .headers
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("cc_session="))
        .expect("a session cookie")
        .to_string();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    assert!(
        !cookie.contains("Secure"),
        "plain http must not set Secure: {cookie}"
    );
    app.get("/profil").await.assert_contains("anne@example.org");

    let page = app.post("/deconnexion", &[]).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    let page = app.get("/profil").await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert!(
        page.location().starts_with("/connexion?next="),
        "{}",
        page.location()
    );
}

#[tokio::test]
async fn signup_bad_input_is_explained_and_stores_nothing() {
    let app = TestApp::new().await;
    let page = app
        .post(
            "/inscription",
            &[
                ("display_name", ""),
                ("email", "pas-une-adresse"),
                ("password", "court"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST);
    page.assert_contains("Ce champ est obligatoire")
        .assert_contains("adresse électronique valide")
        .assert_contains("au moins 10 caractères")
        .assert_contains("aria-invalid=\"true\"")
        .assert_contains("role=\"alert\"")
        .assert_contains("value=\"pas-une-adresse\"");
    assert!(
        app.store()
            .user_by_email("pas-une-adresse")
            .await
            .expect("db")
            .is_none()
    );

    // A second sign-up with a known address answers the same way and creates nothing.
    app.create_user("known@example.org", &[]).await;
    let page = app
        .post(
            "/inscription",
            &[
                ("display_name", "X"),
                ("email", "known@example.org"),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::OK);
    page.assert_contains("known@example.org");
    assert!(
        app.last_mail_to("known@example.org")
            .await
            .expect("a mail")
            .contains("/mot-de-passe-oublie")
    );
    assert_eq!(
        app.store().list_users("known", 10).await.expect("db").len(),
        1
    );
}

#[tokio::test]
async fn login_throttle_holds_across_instances() {
    let app = TestApp::new().await;
    app.create_user("cible@example.org", &[]).await;
    for _ in 0..5 {
        let page = app.login("cible@example.org", "mauvais mot de passe").await;
        assert_eq!(page.status, StatusCode::BAD_REQUEST);
        page.assert_contains("Adresse ou mot de passe incorrect");
    }
    // Even the right password is refused now, on this instance and on another one.
    let page = app.login("cible@example.org", PASSWORD).await;
    assert_eq!(page.status, StatusCode::TOO_MANY_REQUESTS);
    page.assert_contains("Trop de tentatives");
    let other = app.sibling().await;
    assert_eq!(
        other.login("cible@example.org", PASSWORD).await.status,
        StatusCode::TOO_MANY_REQUESTS
    );
}

#[tokio::test]
async fn password_reset() {
    let mut app = TestApp::new().await;
    app.create_user("oubli@example.org", &[]).await;
    let page = app
        .post("/mot-de-passe-oublie", &[("email", "oubli@example.org")])
        .await;
    assert_eq!(page.status, StatusCode::OK);
    // The same answer for an unknown address, and no mail.
    let unknown = app
        .post("/mot-de-passe-oublie", &[("email", "personne@example.org")])
        .await;
    assert_eq!(unknown.status, StatusCode::OK);
    assert_eq!(
        unknown.body, page.body,
        "the same answer for a known and an unknown address"
    );
    assert_eq!(app.mails_to("personne@example.org").await, 0);

    let link = link_in(
        &app.last_mail_to("oubli@example.org").await.expect("mail"),
        "/reinitialiser/",
    );
    let short = app.post(&link, &[("password", "court")]).await;
    assert_eq!(short.status, StatusCode::BAD_REQUEST);
    short.assert_contains("au moins 10 caractères");
    let page = app
        .post(&link, &[("password", "un tout nouveau secret")])
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    app.new_visitor();
    assert_eq!(
        app.login("oubli@example.org", PASSWORD).await.status,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        app.login("oubli@example.org", "un tout nouveau secret")
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    // The link works once.
    assert_eq!(
        app.post(&link, &[("password", "encore un autre secret")])
            .await
            .status,
        StatusCode::BAD_REQUEST
    );
}

#[tokio::test]
async fn profile_saves_known_choices_only() {
    let mut app = TestApp::new().await;
    let cat = app
        .store()
        .add_category("Habitants", "Residents")
        .await
        .expect("cat");
    let q = app
        .store()
        .add_quartier("Nantes Nord", Some(24833), None)
        .await
        .expect("q");
    let user = app.as_role(&[]).await;
    let (cat_s, q_s) = (cat.to_string(), q.to_string());
    let page = app
        .post(
            "/profil",
            &[
                ("display_name", "Awa"),
                ("category_id", &cat_s),
                ("quartier_id", &q_s),
                ("age_bracket", "25-34"),
                ("lang", "en"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let u = app
        .store()
        .user_by_id(user)
        .await
        .expect("db")
        .expect("user");
    assert_eq!(
        (
            u.display_name.as_str(),
            u.category_id,
            u.quartier_id,
            u.age_bracket.as_deref(),
            u.lang.as_str()
        ),
        ("Awa", Some(cat), Some(q), Some("25-34"), "en")
    );
    // The interface now follows the chosen language.
    app.get("/profil").await.assert_contains("My profile");

    let page = app
        .post(
            "/profil",
            &[
                ("display_name", "Awa"),
                ("category_id", "999999"),
                ("quartier_id", ""),
                ("age_bracket", "200-300"),
                ("lang", "en"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST);
    page.assert_contains("This value is not valid");
    let u = app
        .store()
        .user_by_id(user)
        .await
        .expect("db")
        .expect("user");
    assert_eq!(
        u.category_id,
        Some(cat),
        "nothing saved from an invalid form"
    );
}

#[tokio::test]
async fn sessions_are_shared_by_instances_on_one_database() {
    let mut app = TestApp::new().await;
    app.as_role(&[]).await;
    let mut other = app.sibling().await;
    other.client = app.client.clone();
    let page = other.get("/profil").await;
    assert_eq!(
        page.status,
        StatusCode::OK,
        "the second instance knows the session"
    );
}

/// Logs in through the login form with an `X-Forwarded-For` header.
async fn login_from(app: &TestApp, forwarded: &str, email: &str, password: &str) -> StatusCode {
    let token = app.csrf().await;
    app.client
        .post(format!("{}/connexion", app.base))
        .header("x-forwarded-for", forwarded)
        .form(&[
            ("csrf", token.as_str()),
            ("email", email),
            ("password", password),
            ("next", "/"),
        ])
        .send()
        .await
        .expect("POST")
        .status()
}

#[tokio::test]
async fn login_throttle_per_address_behind_a_trusted_proxy() {
    let mut app = TestApp::with(|s| {
        s.trust_forwarded_for = true;
        s.login_attempts = 2;
    })
    .await;
    app.create_user("juste@example.org", &[]).await;
    // One address fails on many accounts, never twice on the same one: the per-address limit
    // (4 × login_attempts) stops it, even for a right password.
    let proxy = "198.51.100.1, 203.0.113.7";
    for i in 0..7 {
        let email = format!("inconnu{i}@example.org");
        assert_eq!(
            login_from(&app, proxy, &email, "mauvais").await,
            StatusCode::BAD_REQUEST
        );
    }
    // Seven failures: under the limit of eight, a right password still works.
    assert_eq!(
        login_from(&app, proxy, "juste@example.org", PASSWORD).await,
        StatusCode::SEE_OTHER
    );
    app.new_visitor();
    assert_eq!(
        login_from(&app, proxy, "autre@example.org", "mauvais").await,
        StatusCode::BAD_REQUEST
    );
    app.new_visitor();
    assert_eq!(
        login_from(&app, proxy, "juste@example.org", PASSWORD).await,
        StatusCode::TOO_MANY_REQUESTS,
        "eight failures from one address"
    );
    // The last address the proxy appended is the visitor's: another one is not slowed down,
    // and what the visitor put before it does not count.
    app.new_visitor();
    assert_eq!(
        login_from(
            &app,
            "203.0.113.7, 203.0.113.8",
            "juste@example.org",
            PASSWORD
        )
        .await,
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn forwarded_for_is_ignored_unless_trusted() {
    let mut app = TestApp::with(|s| s.login_attempts = 2).await;
    app.create_user("juste@example.org", &[]).await;
    // Each failure claims another address; untrusted, they all count against the real peer.
    for i in 0..8 {
        let email = format!("inconnu{i}@example.org");
        assert_eq!(
            login_from(&app, &format!("203.0.113.{i}"), &email, "mauvais").await,
            StatusCode::BAD_REQUEST
        );
    }
    app.new_visitor();
    assert_eq!(
        login_from(&app, "203.0.113.200", "juste@example.org", PASSWORD).await,
        StatusCode::TOO_MANY_REQUESTS
    );
}

#[tokio::test]
async fn an_https_public_url_makes_cookies_secure() {
    for (url, secure) in [
        ("https://concertation.example.org", true),
        ("http://concorde.test", false),
    ] {
        let app = TestApp::with(|s| s.public_url = url.into()).await;
        app.create_user("c@example.org", &[]).await;
        // A client without a cookie store (it would not send Secure cookies back over the
        // test's plain HTTP): the cookies are read and sent by hand.
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client");
        let set_cookies = |res: &reqwest::Response| -> Vec<String> {
            res.headers()
                .get_all("set-cookie")
                .iter()
                .filter_map(|v| v.to_str().ok().map(str::to_string))
                .collect()
        };
        let first = client
            .get(format!("{}/connexion", app.base))
            .send()
            .await
            .expect("GET");
        let mut cookies = set_cookies(&first);
        let jar: Vec<String> = cookies
            .iter()
            .filter_map(|c| c.split(';').next().map(str::to_string))
            .collect();
        let token = crate::helpers::extract_csrf(&first.text().await.expect("body"));
        let res = client
            .post(format!("{}/connexion", app.base))
            .header("cookie", jar.join("; "))
            .form(&[
                ("csrf", token.as_str()),
                ("email", "c@example.org"),
                ("password", PASSWORD),
                ("next", "/"),
            ])
            .send()
            .await
            .expect("POST");
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "{url}");
        let session = set_cookies(&res);
        assert!(!session.is_empty(), "the login sets the session cookie");
        cookies.extend(session);
        for c in &cookies {
            assert_eq!(c.contains("; Secure"), secure, "{url}: {c}");
            assert!(c.contains("HttpOnly"), "{c}");
        }
    }
}

/// Staff who sign in from the login page land on the staff area, residents on the home page;
/// a page to go back to wins for both.
#[tokio::test]
async fn staff_land_where_their_work_is() {
    let app = TestApp::new().await;
    app.create_user("moderatrice@example.org", &[domain::Role::Moderator])
        .await;
    app.create_user("habitante@example.org", &[]).await;
    let staff = app.login("moderatrice@example.org", PASSWORD).await;
    assert_eq!(staff.location(), "/admin");
    let mut app = app;
    app.new_visitor();
    let resident = app.login("habitante@example.org", PASSWORD).await;
    assert_eq!(resident.location(), "/");
    app.new_visitor();
    let page = app
        .post(
            "/connexion",
            &[
                ("email", "moderatrice@example.org"),
                ("password", PASSWORD),
                ("next", "/contributions/1"),
            ],
        )
        .await;
    assert_eq!(page.location(), "/contributions/1");
}
