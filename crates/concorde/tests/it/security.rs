//! Account security: the limits on abuse (held in the database, so across instances), per
//! account, per address of origin and per mailbox; over one, a 429 that keeps what was typed and
//! says when to retry.

use crate::helpers::{PASSWORD, TestApp, demo, sign_in};
use reqwest::StatusCode;
use reqwest::multipart::{Form, Part};

fn limits(pairs: &[(&str, &str)]) -> impl FnOnce(&mut web::Settings) {
    let pairs: Vec<(String, String)> = pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    move |s| s.rate_limits.extend(pairs)
}

#[track_caller]
fn assert_limited(page: &crate::helpers::Page) {
    assert_eq!(page.status, StatusCode::TOO_MANY_REQUESTS, "{}", page.body);
    let retry: i64 = page
        .headers
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
        .expect("Retry-After");
    assert!(retry > 0 && retry <= 86_400, "{retry}");
    page.assert_contains("réessayez dans");
}

#[tokio::test]
async fn sign_ups_are_limited_per_address_of_origin_and_mails_per_mailbox() {
    let mut app = TestApp::with(limits(&[("signup.ip", "3/h")])).await;
    async fn signup(app: &TestApp, name: &str, email: &str) -> crate::helpers::Page {
        app.post(
            "/inscription",
            &[
                ("display_name", name),
                ("email", email),
                ("password", "un mot de passe solide"),
            ],
        )
        .await
    }
    // One mailbox gets at most three mails an hour, whether or not it has an account.
    for _ in 0..3 {
        let page = signup(&app, "Awa", "awa@example.org").await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    }
    // From this address, the fourth sign-up in the hour is refused: the form keeps what was
    // typed (but the password) and says when to retry.
    let page = signup(&app, "Bintou Diallo", "bintou@example.org").await;
    assert_limited(&page);
    page.assert_contains("value=\"Bintou Diallo\"")
        .assert_contains("value=\"bintou@example.org\"")
        .assert_contains("réessayez dans 60 minutes");
    assert!(!page.body.contains("un mot de passe solide"));
    app.drain_jobs().await;
    assert_eq!(app.mails_to("awa@example.org").await, 3);
    assert_eq!(app.mails_to("bintou@example.org").await, 0);
    assert!(
        app.store()
            .user_by_email("bintou@example.org")
            .await
            .expect("db")
            .is_none()
    );
    // The mailbox limit holds for every address of origin and every instance.
    let mut other = app.sibling_with(|s| s.trust_forwarded_for = true).await;
    other.new_visitor();
    let page = other
        .post_with_header(
            "/inscription",
            &[
                ("display_name", "Awa"),
                ("email", "awa@example.org"),
                ("password", "un mot de passe solide"),
            ],
            ("x-forwarded-for", "203.0.113.9"),
        )
        .await;
    assert_limited(&page);
    app.new_visitor();
}

#[tokio::test]
async fn reset_mails_are_limited_per_victim_and_per_address_of_origin() {
    let mut app = TestApp::with(limits(&[("reset.ip", "5/h")])).await;
    app.create_user("victime@example.org", &[]).await;
    // 17 resets for one victim in a second was possible: now three an hour reach them.
    let mut statuses = Vec::new();
    for _ in 0..4 {
        let page = app
            .post("/mot-de-passe-oublie", &[("email", "victime@example.org")])
            .await;
        statuses.push(page.status);
        if page.status == StatusCode::TOO_MANY_REQUESTS {
            assert_limited(&page);
            page.assert_contains("value=\"victime@example.org\"");
        }
    }
    assert_eq!(
        statuses,
        [
            StatusCode::OK,
            StatusCode::OK,
            StatusCode::OK,
            StatusCode::TOO_MANY_REQUESTS
        ]
    );
    app.drain_jobs().await;
    assert_eq!(app.mails_to("victime@example.org").await, 3);
    // An unknown address answers the same, and counts the same.
    for _ in 0..2 {
        let page = app
            .post("/mot-de-passe-oublie", &[("email", "personne@example.org")])
            .await;
        assert_eq!(page.status, StatusCode::OK);
    }
    // Five requests from this address in the hour: the sixth is refused whatever the mailbox.
    let page = app
        .post("/mot-de-passe-oublie", &[("email", "autre@example.org")])
        .await;
    assert_limited(&page);
    app.new_visitor();
}

#[tokio::test]
async fn contributions_are_limited_per_account_on_pages_and_api() {
    let mut app = TestApp::with(limits(&[("contribution.account", "2/h")])).await;
    let (debate, qs) = demo(&app).await;
    sign_in(&mut app, "prolixe@example.org", &[]).await;
    let question = qs[0].id.to_string();
    for i in 0..2 {
        let page = app
            .post(
                "/debats/solidarites/contribuer",
                &[
                    ("question_id", &question),
                    ("title", &format!("Idée {i}")),
                    ("body", "Une idée pour le quartier."),
                ],
            )
            .await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    }
    let page = app
        .post(
            "/debats/solidarites/contribuer",
            &[
                ("question_id", &question),
                ("title", "Une troisième idée"),
                ("body", "Un texte long que je ne veux pas perdre."),
            ],
        )
        .await;
    assert_limited(&page);
    page.assert_contains("Une troisième idée")
        .assert_contains("Un texte long que je ne veux pas perdre.");
    let stored: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM contributions WHERE debate_id = $1")
        .bind(debate)
        .fetch_one(app.store().pool())
        .await
        .expect("db");
    assert_eq!(stored, 2);

    // The API counts against the same limit, and answers a problem with Retry-After.
    let page = app
        .post("/profil/jetons", &[("name", "script"), ("scope", "write")])
        .await;
    let start = page.body.find("<code id=\"new-token\">").expect("token") + 21;
    let end = page.body[start..].find("</code>").expect("end") + start;
    let token = page.body[start..end].to_string();
    let res = app
        .client
        .post(format!(
            "{}/api/v1/debates/solidarites/contributions",
            app.base
        ))
        .bearer_auth(&token)
        .header("content-type", "application/json")
        .body(format!(
            r#"{{"question_id": {question}, "title": "Par l'API", "body": "Encore une."}}"#
        ))
        .send()
        .await
        .expect("POST");
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(res.headers().contains_key("retry-after"));
    assert_eq!(
        res.headers()["content-type"].to_str().expect("type"),
        "application/problem+json"
    );
    let body: serde_json::Value =
        serde_json::from_str(&res.text().await.expect("body")).expect("json");
    assert_eq!(body["type"], "/api/v1/problems/rate-limited");
    // Another account is not held back by this one.
    sign_in(&mut app, "autre@example.org", &[]).await;
    let page = app
        .post(
            "/debats/solidarites/contribuer",
            &[
                ("question_id", &question),
                ("title", "La mienne"),
                ("body", "Une autre idée."),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
}

#[tokio::test]
async fn organisations_invitations_and_tokens_are_limited() {
    let mut app = TestApp::with(limits(&[
        ("organisation.account", "1/d"),
        ("invitation.target", "1/d"),
        ("api_token.account", "2/d"),
    ]))
    .await;
    sign_in(&mut app, "fondatrice@example.org", &[]).await;
    let org = |name: &'static str| {
        [
            ("name", name),
            ("kind", "association"),
            ("description", "Entraide"),
        ]
    };
    let first = app.post("/organisations", &org("Les Amis du Parc")).await;
    assert_eq!(first.status, StatusCode::SEE_OTHER, "{}", first.body);
    let id = first
        .location()
        .trim_start_matches("/organisations/")
        .to_string();
    let second = app.post("/organisations", &org("Gagnez un iPhone")).await;
    assert_limited(&second);
    second.assert_contains("value=\"Gagnez un iPhone\"");

    // One invitation a day to one mailbox, whoever sends it.
    let invite = |email: &'static str| {
        let path = format!("/organisations/{id}/invitations");
        let app = &app;
        async move { app.post(&path, &[("email", email)]).await }
    };
    assert_eq!(
        invite("dehors@example.org").await.status,
        StatusCode::SEE_OTHER
    );
    let again = invite("dehors@example.org").await;
    assert_limited(&again);
    again.assert_contains("value=\"dehors@example.org\"");
    assert_eq!(
        invite("ailleurs@example.org").await.status,
        StatusCode::SEE_OTHER
    );
    app.drain_jobs().await;
    assert_eq!(app.mails_to("dehors@example.org").await, 1);

    // API tokens: two a day.
    for _ in 0..2 {
        let page = app
            .post("/profil/jetons", &[("name", "script"), ("scope", "read")])
            .await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    }
    let page = app
        .post(
            "/profil/jetons",
            &[("name", "un de trop"), ("scope", "read")],
        )
        .await;
    assert_eq!(page.status, StatusCode::TOO_MANY_REQUESTS);
    page.assert_contains("réessayez dans")
        .assert_contains("value=\"un de trop\"");
}

#[tokio::test]
async fn uploads_are_limited_in_number_and_daily_volume() {
    let mut app = TestApp::with(limits(&[("upload_mb.account", "1/d")])).await;
    let (_, qs) = demo(&app).await;
    sign_in(&mut app, "asso@example.org", &[]).await;
    let org = app
        .post(
            "/organisations",
            &[
                ("name", "Collectif"),
                ("kind", "association"),
                ("description", ""),
            ],
        )
        .await
        .location()
        .trim_start_matches("/organisations/")
        .to_string();
    // 600 kB of PDF each time: the second goes over one megabyte in the day.
    let mut pdf = b"%PDF-1.4\n".to_vec();
    pdf.resize(600_000, b' ');
    let csrf = app.csrf().await;
    let form = |title: &str| {
        Form::new()
            .text("csrf", csrf.clone())
            .text("organisation_id", org.clone())
            .text("question_id", qs[1].id.to_string())
            .text("title", title.to_string())
            .text("summary", "Trois propositions.")
            .text("body", "Le cahier du collectif.")
            .text("quartier_id", "")
            .part(
                "attachment1",
                Part::bytes(pdf.clone()).file_name("cahier.pdf"),
            )
    };
    let page = app
        .post_multipart("/debats/solidarites/cahier", form("Premier cahier"))
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let page = app
        .post_multipart("/debats/solidarites/cahier", form("Second cahier"))
        .await;
    assert_limited(&page);
    page.assert_contains("value=\"Second cahier\"");
    let files: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM files")
        .fetch_one(app.store().pool())
        .await
        .expect("db");
    assert!(files <= 3, "{files}");
}

#[tokio::test]
async fn limits_count_in_the_database_and_forget_old_events() {
    use domain::limits::{Count, Limits, Rule};
    let app = TestApp::new().await;
    let store = app.store();
    let l = Limits::from_overrides([("organisation.ip", "2/h")]).expect("limits");
    let c = [Count::ip(Rule::OrganisationIp, "198.51.100.7")];
    let t0 = storage::now();
    let take = |at: i64| {
        let takes: Vec<storage::Take> = c
            .iter()
            .map(|c| storage::Take {
                bucket: c.rule.name(),
                key: c.key.clone(),
                amount: 1,
                max: 2,
                window: 3600,
            })
            .collect();
        async move { store.rate_take(&takes, at).await.expect("take") }
    };
    assert_eq!(take(t0 - 1800).await, None);
    assert_eq!(take(t0 - 600).await, None);
    // Full: the wait is until the older of the two leaves the window.
    assert_eq!(take(t0).await, Some(1800));
    // An hour after the first, there is room again.
    assert_eq!(take(t0 + 1801).await, None);
    assert!(store.limit(&l, &c).await.expect("limit").is_some());
    assert!(store.purge_rate_events(t0 + 1).await.expect("purge") >= 2);
    assert_eq!(store.limit(&l, &c).await.expect("limit"), None);
}

fn between<'a>(body: &'a str, start: &str, end: &str) -> &'a str {
    let i = body
        .find(start)
        .unwrap_or_else(|| panic!("{start:?} in {body}"))
        + start.len();
    let j = body[i..].find(end).expect("end") + i;
    &body[i..j]
}

fn code_at(secret: &str, at: i64) -> String {
    let key = app::second_factor::base32_decode(secret).expect("base32");
    app::second_factor::totp(&key, at, 6)
}

#[tokio::test]
async fn staff_enrol_a_second_factor_and_sign_in_with_a_code_or_a_recovery_code() {
    let mut app = TestApp::with(|s| s.second_factor_roles = vec!["admin".into()]).await;
    let admin = app
        .create_user("admin@example.org", &[domain::Role::Admin])
        .await;
    let target = app.create_user("awa@example.org", &[]).await;
    app.new_visitor();
    // The password alone does not sign an administrator in: the enrolment comes first.
    let page = app.login("admin@example.org", PASSWORD).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert_eq!(page.location(), "/connexion/second-facteur?next=%2Fadmin");
    let admin_page = app.get("/admin").await;
    assert_eq!(
        admin_page.status,
        StatusCode::SEE_OTHER,
        "not signed in yet"
    );
    let enrol = app.get("/connexion/second-facteur?next=%2Fadmin").await;
    enrol
        .assert_contains("otpauth://totp/")
        .assert_contains("demande un second facteur");
    let secret = between(&enrol.body, "<code id=\"totp-secret\">", "</code>").replace(' ', "");
    assert_eq!(secret.len(), 32);
    enrol.assert_contains(&format!("secret={secret}"));
    let now = storage::now();
    let wrong = app
        .post(
            "/connexion/second-facteur",
            &[("code", "000000"), ("next", "/admin")],
        )
        .await;
    assert_eq!(wrong.status, StatusCode::BAD_REQUEST);
    wrong.assert_contains("Ce code ne convient pas");
    let done = app
        .post(
            "/connexion/second-facteur",
            &[("code", &code_at(&secret, now)), ("next", "/admin")],
        )
        .await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    done.assert_contains("Vos codes de secours");
    let codes: Vec<String> = between(&done.body, "id=\"recovery-codes\">", "</ul>")
        .split("<code>")
        .skip(1)
        .map(|c| c.split("</code>").next().unwrap_or("").to_string())
        .collect();
    assert_eq!(codes.len(), 10);
    let hashes: Vec<String> =
        sqlx::query_scalar("SELECT code_hash FROM recovery_codes WHERE user_id = $1")
            .bind(admin)
            .fetch_all(app.store().pool())
            .await
            .expect("db");
    assert_eq!(hashes.len(), 10);
    assert!(hashes.iter().all(|h| !codes.contains(h)), "hashed at rest");
    assert_eq!(app.get("/admin").await.status, StatusCode::OK);

    // Next sign-in: the password, then a code. The code already used is refused (replay).
    app.new_visitor();
    let page = app.login("admin@example.org", PASSWORD).await;
    assert!(
        page.location().starts_with("/connexion/code"),
        "{}",
        page.location()
    );
    let replay = app
        .post(
            "/connexion/code",
            &[("code", &code_at(&secret, now)), ("next", "/admin")],
        )
        .await;
    assert_eq!(replay.status, StatusCode::BAD_REQUEST);
    let ok = app
        .post(
            "/connexion/code",
            &[("code", &code_at(&secret, now + 30)), ("next", "/admin")],
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
    assert_eq!(ok.location(), "/admin");
    assert_eq!(app.get("/admin").await.status, StatusCode::OK);
    let phone = app.client.clone();

    // Without the phone: a recovery code, once.
    for expected in [StatusCode::SEE_OTHER, StatusCode::BAD_REQUEST] {
        app.new_visitor();
        app.login("admin@example.org", PASSWORD).await;
        let page = app
            .post(
                "/connexion/code",
                &[("code", &codes[3].to_uppercase()), ("next", "/")],
            )
            .await;
        assert_eq!(page.status, expected, "{}", page.body);
    }

    // The list of sessions, each with its device; one ended from another.
    app.new_visitor();
    app.login("admin@example.org", PASSWORD).await;
    app.post("/connexion/code", &[("code", &codes[0]), ("next", "/")])
        .await;
    let list = app.get("/profil/sessions").await;
    list.assert_contains("cet appareil");
    // Another device's session (not this one, marked as such).
    let rows: Vec<&str> = list.body.split("<tr>").skip(2).collect();
    assert_eq!(
        rows.len(),
        4,
        "the enrolment, the code and two recovery codes"
    );
    assert_eq!(
        rows.iter().filter(|r| r.contains("cet appareil")).count(),
        1
    );
    let other = rows
        .iter()
        .find(|r| !r.contains("cet appareil"))
        .map(|r| between(r, "action=\"/profil/sessions/", "/fin").to_string())
        .expect("another session");
    let ended = app
        .post(&format!("/profil/sessions/{other}/fin"), &[])
        .await;
    assert_eq!(ended.status, StatusCode::SEE_OTHER);
    assert_eq!(
        app.get("/profil/sessions")
            .await
            .body
            .matches("/fin\"")
            .count(),
        3
    );
    let _ = phone;

    // Granting a role asks for the password again once ten minutes have passed.
    let roles = format!("/admin/utilisateurs/{target}/roles");
    let granted = app.post(&roles, &[("role", "moderator")]).await;
    assert_eq!(granted.status, StatusCode::SEE_OTHER, "{}", granted.body);
    assert!(!granted.location().starts_with("/confirmer-identite"));
    sqlx::query("UPDATE sessions SET verified_at = verified_at - 660 WHERE user_id = $1")
        .bind(admin)
        .execute(app.store().pool())
        .await
        .expect("db");
    let asked = app.post(&roles, &[("role", "analyst")]).await;
    assert_eq!(asked.status, StatusCode::SEE_OTHER);
    assert!(
        asked.location().starts_with("/confirmer-identite?next="),
        "{}",
        asked.location()
    );
    assert_eq!(
        app.store().roles_of(target).await.expect("db"),
        [domain::Role::Moderator]
    );
    app.get(&asked.location())
        .await
        .assert_contains("Confirmez qu");
    let bad = app
        .post(
            "/confirmer-identite",
            &[("password", "pas le bon"), ("next", "/admin/utilisateurs")],
        )
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    let good = app
        .post(
            "/confirmer-identite",
            &[("password", PASSWORD), ("next", "/admin/utilisateurs")],
        )
        .await;
    assert_eq!(good.location(), "/admin/utilisateurs");
    let granted = app.post(&roles, &[("role", "analyst")]).await;
    assert!(!granted.location().starts_with("/confirmer-identite"));
    assert_eq!(
        app.store().roles_of(target).await.expect("db"),
        [domain::Role::Analyst]
    );
}
