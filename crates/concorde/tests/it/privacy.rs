//! Personal data and account security (issue 14): the chained audit log and its reading page,
//! sessions and reset links revoked by a new password, invisible characters in names, what
//! caches and `/metrics` may see, "download my data" and "delete my account".

use crate::helpers::{PASSWORD, TestApp, concorde, sign_in};
use domain::Role;
use reqwest::StatusCode;

async fn exec(app: &TestApp, sql: &str) {
    sqlx::query(sqlx::AssertSqlSafe(sql.to_string()))
        .execute(app.store().pool())
        .await
        .expect(sql);
}

async fn scalar(app: &TestApp, sql: &str) -> i64 {
    sqlx::query_scalar(sqlx::AssertSqlSafe(sql.to_string()))
        .fetch_one(app.store().pool())
        .await
        .expect(sql)
}

/// A few audited writes, through the store as the use cases make them.
async fn some_entries(app: &TestApp, n: usize) {
    for i in 0..n {
        app.store()
            .audit(None, "test.entry", &format!("thing:{i}"), "detail")
            .await
            .expect("audit");
    }
}

async fn verify(app: &TestApp) -> (bool, String) {
    let o = concorde(app, &["audit", "verify"]).await;
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    (o.status.success(), text)
}

#[tokio::test]
async fn an_edited_audit_entry_is_detected_and_named() {
    let app = TestApp::new().await;
    some_entries(&app, 5).await;
    let (ok, text) = verify(&app).await;
    assert!(ok, "{text}");
    assert!(text.contains("intact: 5 entries"), "{text}");
    assert!(text.contains("head of the chain"), "{text}");

    let third = scalar(
        &app,
        "SELECT id FROM audit_log ORDER BY id LIMIT 1 OFFSET 2",
    )
    .await;
    exec(
        &app,
        &format!("UPDATE audit_log SET detail = 'nothing happened' WHERE id = {third}"),
    )
    .await;
    let (ok, text) = verify(&app).await;
    assert!(!ok, "a tampered log must fail: {text}");
    assert!(text.contains(&format!("entry #{third}")), "{text}");
    assert!(text.contains("edited"), "{text}");

    // Rewriting the hash too only moves the break to the next entry.
    let hash: String = sqlx::query_scalar("SELECT hash FROM audit_log WHERE id = $1")
        .bind(third)
        .fetch_one(app.store().pool())
        .await
        .expect("hash");
    exec(
        &app,
        &format!(
            "UPDATE audit_log SET hash = '{}' WHERE id = {third}",
            "0".repeat(64)
        ),
    )
    .await;
    let (ok, text) = verify(&app).await;
    assert!(!ok);
    assert!(text.contains(&format!("entry #{third}")), "{text}");
    assert_ne!(hash, "0".repeat(64));
}

#[tokio::test]
async fn a_deleted_audit_entry_is_detected_and_named() {
    let app = TestApp::new().await;
    some_entries(&app, 4).await;
    let ids: Vec<i64> = sqlx::query_scalar("SELECT id FROM audit_log ORDER BY id")
        .fetch_all(app.store().pool())
        .await
        .expect("ids");
    exec(
        &app,
        &format!("DELETE FROM audit_log WHERE id = {}", ids[1]),
    )
    .await;
    let (ok, text) = verify(&app).await;
    assert!(!ok, "{text}");
    assert!(text.contains(&format!("entry #{}", ids[2])), "{text}");
    assert!(text.contains("deleted"), "{text}");
    // New entries still chain on; the break stays where it was.
    some_entries(&app, 1).await;
    let check = app.store().verify_audit().await.expect("verify");
    assert_eq!(check.broken.map(|b| b.id), Some(ids[2]));
}

#[tokio::test]
async fn entries_from_before_the_chain_are_chained_at_the_next_write() {
    let app = TestApp::new().await;
    // What a database migrated from an older version holds: entries without a hash.
    for i in 0..3 {
        exec(
            &app,
            &format!(
                "INSERT INTO audit_log (at, actor_id, action, target, detail) \
                 VALUES ({}, NULL, 'old.entry', 'x:{i}', '')",
                1_700_000_000 + i
            ),
        )
        .await;
    }
    let check = app.store().verify_audit().await.expect("verify");
    assert_eq!((check.entries, check.unchained), (3, 3));
    assert!(check.broken.is_none());
    some_entries(&app, 1).await;
    let check = app.store().verify_audit().await.expect("verify");
    assert_eq!((check.entries, check.unchained), (4, 0));
    assert!(check.broken.is_none(), "{:?}", check.broken);
    // Wiping a hash once the chain exists is a break, not a reset.
    let first = scalar(&app, "SELECT MIN(id) FROM audit_log").await;
    exec(
        &app,
        &format!("UPDATE audit_log SET hash = NULL, prev_hash = NULL WHERE id = {first}"),
    )
    .await;
    let check = app.store().verify_audit().await.expect("verify");
    assert_eq!(check.broken.map(|b| b.id), Some(first));
}

/// Two instances writing at once still make one chain (on PostgreSQL, the advisory lock).
#[tokio::test]
async fn concurrent_writes_on_two_instances_make_one_chain() {
    let app = TestApp::new().await;
    let other = app.sibling().await;
    let mut tasks = Vec::new();
    for i in 0..40 {
        let store = if i % 2 == 0 {
            app.store().clone()
        } else {
            other.store().clone()
        };
        tasks.push(tokio::spawn(async move {
            store
                .audit(None, "test.concurrent", &format!("n:{i}"), "")
                .await
        }));
    }
    for t in tasks {
        t.await.expect("join").expect("audit");
    }
    let check = app.store().verify_audit().await.expect("verify");
    assert_eq!(check.entries, 40);
    assert!(check.broken.is_none(), "{:?}", check.broken);
}

#[tokio::test]
async fn guarantors_filter_and_export_the_log() {
    let mut app = TestApp::new().await;
    let anne = app.create_user("anne@example.org", &[]).await;
    app.store()
        .audit(Some(anne), "user.profile", &format!("user:{anne}"), "")
        .await
        .expect("audit");
    app.store()
        .audit(None, "role.grant", "user:99", "moderator")
        .await
        .expect("audit");

    sign_in(&mut app, "garante@example.org", &[Role::Guarantor]).await;
    let page = app.get("/admin/journal?action=role.grant").await;
    assert_eq!(page.status, StatusCode::OK);
    page.assert_contains("compte n° 99");
    assert!(!page.body.contains("user.profile"), "filtered out");
    let page = app.get("/admin/journal?action=user.&qui=ann").await;
    page.assert_contains("user.profile");
    assert!(!page.body.contains("compte n° 99"));
    let page = app.get(&format!("/admin/journal?qui=%23{anne}")).await;
    page.assert_contains("user.profile");

    let today = jiff::Zoned::now()
        .with_time_zone(app.running.state.tz.clone())
        .date()
        .to_string();
    let page = app
        .get(&format!("/admin/journal?du={today}&au={today}"))
        .await;
    page.assert_contains("compte n° 99");
    let page = app.get("/admin/journal?au=2001-01-01").await;
    assert!(!page.body.contains("compte n° 99"), "nothing that old");

    // Bad dates are explained next to their field.
    let page = app.get("/admin/journal?du=31/12/2025&au=2026-01-01").await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST);
    page.assert_contains("f-du-error");
    page.assert_contains("aaaa-mm-jj");
    let page = app.get("/admin/journal?du=2026-02-01&au=2026-01-01").await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST);
    page.assert_contains("f-au-error");

    let page = app.get("/admin/journal?action=role.grant&format=csv").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.headers["content-type"]
            .to_str()
            .unwrap_or("")
            .starts_with("text/csv"),
    );
    let mut lines = page.body.trim_start_matches('\u{feff}').lines();
    assert_eq!(
        lines.next(),
        Some("id,at,actor_id,actor,action,target,detail,hash")
    );
    let rows: Vec<&str> = lines.collect();
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert!(
        rows[0].contains("role.grant,user:99,moderator,"),
        "{}",
        rows[0]
    );
    // The export is in the log too.
    assert_eq!(
        scalar(
            &app,
            "SELECT COUNT(*) FROM audit_log WHERE action = 'audit.export'"
        )
        .await,
        1
    );

    // A participant reads none of it.
    sign_in(&mut app, "anne@example.org", &[]).await;
    assert_eq!(
        app.get("/admin/journal?format=csv").await.status,
        StatusCode::FORBIDDEN
    );
}

/// Two reset links mailed to one address.
async fn two_reset_links(app: &TestApp, email: &str) -> (String, String) {
    let mut visitor = app.sibling().await;
    visitor.new_visitor();
    for _ in 0..2 {
        let page = visitor
            .post("/mot-de-passe-oublie", &[("email", email)])
            .await;
        assert_eq!(page.status, StatusCode::OK);
    }
    let mails = app.mails(email).await;
    assert_eq!(mails.len(), 2);
    (
        crate::helpers::link_in(&mails[0], "/reinitialiser/"),
        crate::helpers::link_in(&mails[1], "/reinitialiser/"),
    )
}

async fn signed_in(app: &TestApp) -> bool {
    app.get("/profil").await.status == StatusCode::OK
}

#[tokio::test]
async fn a_reset_ends_every_session_and_every_other_link() {
    let mut app = TestApp::new().await;
    sign_in(&mut app, "reset@example.org", &[]).await;
    let mut phone = app.sibling().await;
    sign_in(&mut phone, "reset@example.org", &[]).await;
    assert!(signed_in(&app).await && signed_in(&phone).await);
    let (first, second) = two_reset_links(&app, "reset@example.org").await;

    let mut visitor = app.sibling().await;
    visitor.new_visitor();
    let page = visitor
        .post(&second, &[("password", "un tout nouveau secret")])
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    assert!(!signed_in(&app).await, "the laptop's session ended");
    assert!(!signed_in(&phone).await, "the phone's session ended");
    // The older link, still within its hour, is void too.
    visitor.get(&first).await.assert_contains("plus valable");
    let page = visitor
        .post(&first, &[("password", "celui de l'attaquant")])
        .await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        visitor
            .login("reset@example.org", "un tout nouveau secret")
            .await
            .status,
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn a_password_change_keeps_this_session_only() {
    let mut app = TestApp::new().await;
    sign_in(&mut app, "change@example.org", &[]).await;
    let mut phone = app.sibling().await;
    sign_in(&mut phone, "change@example.org", &[]).await;
    let (link, _) = two_reset_links(&app, "change@example.org").await;

    app.get("/profil")
        .await
        .assert_contains("/profil/mot-de-passe");
    let page = app
        .post(
            "/profil/mot-de-passe",
            &[
                ("current_password", "pas le bon"),
                ("password", "un tout nouveau secret"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST);
    page.assert_contains("f-current_password-error");
    let page = app
        .post(
            "/profil/mot-de-passe",
            &[("current_password", PASSWORD), ("password", "court")],
        )
        .await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST);
    page.assert_contains("f-password-error");
    assert!(signed_in(&phone).await, "nothing changed yet");

    let page = app
        .post(
            "/profil/mot-de-passe",
            &[
                ("current_password", PASSWORD),
                ("password", "un tout nouveau secret"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    assert!(signed_in(&app).await, "the session that changed it stays");
    assert!(!signed_in(&phone).await, "the other one ended");
    let page = phone
        .post(&link, &[("password", "celui de l'attaquant")])
        .await;
    assert_eq!(
        page.status,
        StatusCode::BAD_REQUEST,
        "the mailed link is void"
    );
    assert_eq!(
        scalar(
            &app,
            "SELECT COUNT(*) FROM audit_log WHERE action = 'user.password_change'"
        )
        .await,
        1
    );
}

#[tokio::test]
async fn invisible_characters_are_refused_in_names_and_stripped_from_file_names() {
    let mut app = TestApp::new().await;
    // "Modération" spelt with a right-to-left override, then a zero-width space.
    for name in ["Mod\u{202E}noitaré", "Anne\u{200B}", "\u{2066}Anne\u{2069}"] {
        let page = app
            .post(
                "/inscription",
                &[
                    ("display_name", name),
                    ("email", "bidi@example.org"),
                    ("password", PASSWORD),
                ],
            )
            .await;
        assert_eq!(page.status, StatusCode::BAD_REQUEST, "{name:?}");
        page.assert_contains("f-display_name-error")
            .assert_contains("caractères invisibles");
    }
    assert!(
        app.store()
            .user_by_email("bidi@example.org")
            .await
            .expect("db")
            .is_none()
    );

    sign_in(&mut app, "anne@example.org", &[]).await;
    let page = app
        .post(
            "/profil",
            &[
                ("display_name", "Anne\u{FEFF}"),
                ("category_id", ""),
                ("quartier_id", ""),
                ("age_bracket", ""),
                ("lang", "fr"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST);
    page.assert_contains("f-display_name-error");

    let page = app
        .post(
            "/organisations",
            &[
                ("name", "Service client\u{200D} officiel"),
                ("kind", "association"),
                ("description", ""),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST);
    page.assert_contains("f-name-error")
        .assert_contains("caractères invisibles");
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM organisations").await, 0);

    // A file name is cleaned rather than refused.
    sign_in(&mut app, "admin@example.org", &[Role::Admin]).await;
    let page = app
        .post(
            "/admin/debats",
            &[
                ("title", "Fichiers"),
                ("slug", "fichiers"),
                ("summary", "R"),
                ("body_md", ""),
                ("status", "published"),
                ("image_alt", ""),
            ],
        )
        .await;
    let id: i64 = page
        .location()
        .trim_start_matches("/admin/debats/")
        .split('?')
        .next()
        .and_then(|s| s.parse().ok())
        .expect("debate id");
    let pdf: &[u8] = include_bytes!("../../demo/deliberation-2021-10-15.pdf");
    let form = reqwest::multipart::Form::new()
        .text("csrf", app.csrf().await)
        .text("doc_title", "Délibération")
        .part(
            "document",
            reqwest::multipart::Part::bytes(pdf.to_vec()).file_name("rep\u{202E}fdp.\u{200B}pdf"),
        );
    let page = app
        .post_multipart(&format!("/admin/debats/{id}/documents"), form)
        .await;
    assert!(page.status.is_redirection(), "{}", page.body);
    let name: String = sqlx::query_scalar("SELECT filename FROM files WHERE debate_id = $1")
        .bind(id)
        .fetch_one(app.store().pool())
        .await
        .expect("file");
    assert_eq!(name, "repfdp.pdf");
}

#[tokio::test]
async fn metrics_need_their_token() {
    let app = TestApp::new().await;
    assert_eq!(app.get("/metrics").await.status, StatusCode::NOT_FOUND);
    let app = TestApp::with(|s| s.metrics_token = "a-long-metrics-token".into()).await;
    assert_eq!(app.get("/metrics").await.status, StatusCode::UNAUTHORIZED);
    for wrong in [
        "Bearer nope",
        "Bearer a-long-metrics-tokeX",
        "a-long-metrics-token",
    ] {
        let page = app.get_with("/metrics", ("authorization", wrong)).await;
        assert_eq!(page.status, StatusCode::UNAUTHORIZED, "{wrong}");
        assert!(!page.body.contains("concorde_http"));
    }
    let page = app
        .get_with("/metrics", ("authorization", "Bearer a-long-metrics-token"))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    page.assert_contains("concorde_http_requests_total");

    // The setting comes from the environment too, and a short token is refused.
    let env = |k: &str| (k == "CONCORDE_METRICS_TOKEN").then(|| "from-the-environment".to_string());
    let s = concorde::config::load(None, &env).expect("settings");
    assert_eq!(s.metrics_token, "from-the-environment");
    let short = |k: &str| (k == "CONCORDE_METRICS_TOKEN").then(|| "short".to_string());
    assert!(concorde::config::load(None, &short).is_err());
}

fn header(page: &crate::helpers::Page, name: &str) -> String {
    page.headers
        .get_all(name)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect::<Vec<_>>()
        .join(" | ")
}

#[tokio::test]
async fn personal_pages_are_not_cached_and_cacheable_ones_set_no_cookie() {
    let mut app = TestApp::new().await;
    crate::helpers::demo(&app).await;
    let image = app
        .store()
        .debate_by_slug("solidarites")
        .await
        .expect("db")
        .and_then(|d| d.image_file_id)
        .expect("the demo debate has an image");

    // A first visit to cacheable responses: no cookie rides along.
    for path in [
        "/static/style.css".to_string(),
        "/static/favicon.svg".to_string(),
        format!("/fichiers/{image}"),
    ] {
        app.new_visitor();
        let page = app.get(&path).await;
        assert_eq!(page.status, StatusCode::OK, "{path}");
        assert!(header(&page, "cache-control").contains("public"), "{path}");
        assert_eq!(header(&page, "set-cookie"), "", "{path}");
    }
    // A page with a form sets its cookie, and is kept by no shared cache.
    app.new_visitor();
    let page = app.get("/connexion").await;
    assert!(header(&page, "set-cookie").contains("cc_csrf"));
    assert!(header(&page, "cache-control").contains("private"));

    sign_in(&mut app, "anne@example.org", &[]).await;
    for path in ["/profil", "/", "/debats/solidarites", "/profil/jetons"] {
        let page = app.get(path).await;
        assert_eq!(page.status, StatusCode::OK, "{path}");
        assert_eq!(
            header(&page, "cache-control"),
            "private, no-store",
            "{path}"
        );
    }
    sign_in(&mut app, "admin@example.org", &[Role::Admin]).await;
    for path in ["/admin/utilisateurs", "/admin/journal"] {
        let page = app.get(path).await;
        assert_eq!(
            header(&page, "cache-control"),
            "private, no-store",
            "{path}"
        );
    }
    // A signed-in person's static files stay cacheable, still without a cookie.
    let page = app.get("/static/style.css?lang=en").await;
    assert!(header(&page, "cache-control").contains("public"));
    assert_eq!(header(&page, "set-cookie"), "");
}

/// Someone who took part in every way: a contribution with an earlier version, a comment, a
/// support, a follow, an organisation, an API token and a confirmed place at a full workshop
/// (people are waiting). Returns (user, contribution, other contribution, registration, token).
async fn participant(app: &mut TestApp, email: &str) -> (i64, i64, i64, i64, String) {
    concorde::demo::load_all(app.store(), storage::now())
        .await
        .expect("demo");
    let user = sign_in(app, email, &[]).await;
    let (debate, questions) = crate::helpers::demo(app).await;
    let qs = questions[0].id;
    let store = app.store().clone();
    let mine = store
        .insert_contribution(&storage::NewContribution {
            author_id: Some(user),
            ..crate::helpers::online(debate, qs, "Des bancs au square Daviais", "Pour s'asseoir")
        })
        .await
        .expect("contribution");
    exec(
        app,
        &format!(
            "INSERT INTO contribution_versions (contribution_id, title, body, written_at, replaced_at) \
             VALUES ({mine}, 'Des bancs', 'Premier jet du texte', 1700000000, 1700000100)"
        ),
    )
    .await;
    let other = store
        .insert_contribution(&crate::helpers::online(
            debate,
            qs,
            "Un autre avis",
            "Texte",
        ))
        .await
        .expect("contribution");
    store
        .add_comment(other, None, user, "Je soutiens cette proposition")
        .await
        .expect("comment");
    store.add_support(other, user).await.expect("support");
    store.follow(other, user).await.expect("follow");
    let page = app
        .post(
            "/organisations",
            &[
                ("name", "Les Amis du Square"),
                ("kind", "association"),
                ("description", ""),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let (_, token) = store
        .create_api_token(user, "Mon script", "read")
        .await
        .expect("token");
    // A confirmed place at the demo's full workshop becomes theirs.
    let event = scalar(
        app,
        "SELECT event_id FROM registrations WHERE state = 'waiting' ORDER BY id LIMIT 1",
    )
    .await;
    let registration = scalar(
        app,
        &format!(
            "SELECT MIN(id) FROM registrations WHERE event_id = {event} AND state = 'confirmed'"
        ),
    )
    .await;
    exec(
        app,
        &format!(
            "UPDATE registrations SET user_id = {user}, name = 'Léa', email = '{email}' \
             WHERE id = {registration}"
        ),
    )
    .await;
    (user, mine, other, registration, token)
}

fn unzip(bytes: &[u8], dir: &std::path::Path) -> (String, serde_json::Value) {
    let path = dir.join("mes-donnees.zip");
    std::fs::write(&path, bytes).expect("write the archive");
    // The system's own tool opens it…
    let test = std::process::Command::new("unzip")
        .arg("-t")
        .arg(&path)
        .output()
        .expect("run unzip");
    assert!(
        test.status.success(),
        "unzip -t: {}",
        String::from_utf8_lossy(&test.stdout)
    );
    let out = dir.join("extrait");
    let x = std::process::Command::new("unzip")
        .arg("-o")
        .arg(&path)
        .arg("-d")
        .arg(&out)
        .output()
        .expect("run unzip");
    assert!(x.status.success());
    let index = std::fs::read_to_string(out.join("index.html")).expect("index.html");
    let data: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("data.json")).expect("data.json"))
            .expect("JSON");
    // …and so does a library: two entries, compressed.
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).expect("zip");
    assert_eq!(z.len(), 2);
    assert_eq!(
        z.by_name("data.json").expect("entry").compression(),
        zip::CompressionMethod::Deflated
    );
    (index, data)
}

#[tokio::test]
async fn my_data_downloads_as_a_standard_zip_with_everything() {
    let mut app = TestApp::new().await;
    let (user, mine, other, registration, token) = participant(&mut app, "lea@example.org").await;

    app.get("/profil").await.assert_contains("/profil/donnees");
    app.get("/profil/donnees")
        .await
        .assert_contains("/profil/donnees/mes-donnees.zip");
    let res = app
        .client
        .get(format!("{}/profil/donnees/mes-donnees.zip", app.base))
        .send()
        .await
        .expect("GET");
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["content-type"], "application/zip");
    assert_eq!(res.headers()["cache-control"], "private, no-store");
    let bytes = res.bytes().await.expect("body");
    let (index, data) = unzip(&bytes, &app.data_dir);

    let d = &data["data"];
    assert_eq!(d["account"][0]["email"], "lea@example.org");
    assert_eq!(d["account"][0]["id"], user);
    assert!(d["account"][0].get("password_hash").is_none());
    assert_eq!(d["contributions"][0]["id"], mine);
    assert_eq!(
        d["contributions"][0]["title"],
        "Des bancs au square Daviais"
    );
    assert_eq!(
        d["contribution_versions"][0]["body"],
        "Premier jet du texte"
    );
    assert_eq!(d["comments"][0]["body"], "Je soutiens cette proposition");
    assert_eq!(d["supports"][0]["contribution_id"], other);
    assert_eq!(d["follows"][0]["contribution_id"], other);
    assert_eq!(d["organisations"][0]["name"], "Les Amis du Square");
    assert_eq!(d["event_registrations"][0]["id"], registration);
    assert_eq!(d["api_tokens"][0]["name"], "Mon script");
    assert!(d["sessions"].as_array().is_some_and(|s| !s.is_empty()));
    assert!(d["audit_entries"].as_array().is_some());
    let text = data.to_string();
    assert!(!text.contains(&token), "no token secret");
    assert!(!text.contains("argon2"), "no password hash");

    for needle in [
        "<html lang=\"fr\">",
        "Mes données sur",
        "Des bancs au square Daviais",
        "Premier jet du texte",
        "Les Amis du Square",
        "Mon script",
        "Inscriptions aux rencontres",
    ] {
        assert!(index.contains(needle), "{needle:?} in index.html");
    }
    assert!(!index.contains(&token));
    // The request is in the log, and the export of the next one lists it.
    assert_eq!(
        scalar(
            &app,
            "SELECT COUNT(*) FROM audit_log WHERE action = 'user.data_export'"
        )
        .await,
        1
    );

    // The same through the API, with a token.
    let api = format!("{}/api/v1/me/data", app.base);
    let res = reqwest::Client::new()
        .get(&api)
        .bearer_auth(&token)
        .send()
        .await
        .expect("GET");
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["cache-control"], "private, no-store");
    let json: serde_json::Value =
        serde_json::from_slice(&res.bytes().await.expect("body")).expect("json");
    assert_eq!(json["data"]["contributions"][0]["id"], mine);
    let actions: Vec<&str> = json["data"]["audit_entries"]
        .as_array()
        .map(|a| a.iter().filter_map(|e| e["action"].as_str()).collect())
        .unwrap_or_default();
    assert!(actions.contains(&"organisation.create"), "{actions:?}");
    assert!(actions.contains(&"user.data_export"), "{actions:?}");
    let res = reqwest::Client::new().get(&api).send().await.expect("GET");
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);

    // Somebody else's archive holds none of it.
    sign_in(&mut app, "autre@example.org", &[]).await;
    let bytes = app
        .client
        .get(format!("{}/profil/donnees/mes-donnees.zip", app.base))
        .send()
        .await
        .expect("GET")
        .bytes()
        .await
        .expect("body");
    let dir = app.data_dir.join("autre");
    std::fs::create_dir_all(&dir).expect("dir");
    let (index, data) = unzip(&bytes, &dir);
    assert!(!index.contains("Des bancs"));
    assert_eq!(data["data"]["contributions"], serde_json::json!([]));
}

async fn delete_account(app: &TestApp, mode: &str, password: &str) -> crate::helpers::Page {
    app.post(
        "/profil/supprimer",
        &[("mode", mode), ("password", password)],
    )
    .await
}

#[tokio::test]
async fn deleting_an_account_keeps_contributions_anonymised() {
    let mut app = TestApp::new().await;
    let (user, mine, other, registration, token) = participant(&mut app, "lea@example.org").await;
    let event = scalar(
        &app,
        &format!("SELECT event_id FROM registrations WHERE id = {registration}"),
    )
    .await;
    let waiting = scalar(
        &app,
        &format!(
            "SELECT COUNT(*) FROM registrations WHERE event_id = {event} AND state = 'waiting'"
        ),
    )
    .await;
    let supports = scalar(
        &app,
        &format!("SELECT supports_count FROM contributions WHERE id = {other}"),
    )
    .await;

    app.get("/profil")
        .await
        .assert_contains("/profil/supprimer");
    let page = app.get("/profil/supprimer").await;
    page.assert_contains("définitive")
        .assert_contains("Participant·e anonyme")
        .assert_contains("1 contributions et 1 commentaires")
        .assert_contains("liste d’attente");

    // A choice and the password are needed, each said beside its field.
    let page = delete_account(&app, "", PASSWORD).await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST);
    page.assert_contains("f-mode-error");
    let page = delete_account(&app, "anonymise", "pas le bon").await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST);
    page.assert_contains("f-password-error");
    page.assert_contains("checked");
    assert!(app.store().user_by_id(user).await.expect("db").is_some());

    let page = delete_account(&app, "anonymise", PASSWORD).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    assert_eq!(page.location(), "/?ok=account-deleted");
    assert!(header(&page, "set-cookie").contains("cc_session=;"));
    assert!(!signed_in(&app).await);
    assert!(app.store().user_by_id(user).await.expect("db").is_none());
    assert_eq!(
        app.login("lea@example.org", PASSWORD).await.status,
        StatusCode::BAD_REQUEST
    );

    // The contribution stays, signed by nobody.
    let c = app
        .store()
        .contribution(mine)
        .await
        .expect("db")
        .expect("kept");
    assert_eq!((c.status.as_str(), c.author_id), ("published", None));
    app.new_visitor();
    app.get(&format!("/contributions/{mine}"))
        .await
        .assert_contains("Des bancs au square Daviais")
        .assert_contains("Participant·e anonyme");
    app.get(&format!("/contributions/{other}"))
        .await
        .assert_contains("Je soutiens cette proposition");
    assert_eq!(
        scalar(
            &app,
            &format!("SELECT supports_count FROM contributions WHERE id = {other}")
        )
        .await,
        supports - 1
    );
    // What was the person's goes with the account.
    for table in [
        "sessions",
        "api_tokens",
        "follows",
        "supports",
        "organisation_members",
        "user_tokens",
    ] {
        assert_eq!(
            scalar(
                &app,
                &format!("SELECT COUNT(*) FROM {table} WHERE user_id = {user}")
            )
            .await,
            0,
            "{table}"
        );
    }
    assert_eq!(
        scalar(
            &app,
            &format!("SELECT COUNT(*) FROM registrations WHERE id = {registration}")
        )
        .await,
        0
    );
    assert_eq!(
        scalar(
            &app,
            "SELECT COUNT(*) FROM registrations WHERE email = 'lea@example.org'"
        )
        .await,
        0
    );
    // Their place went to the first person waiting, who is told.
    assert_eq!(
        scalar(
            &app,
            &format!(
                "SELECT COUNT(*) FROM registrations WHERE event_id = {event} AND state = 'waiting'"
            ),
        )
        .await,
        waiting - 1
    );
    assert_eq!(
        scalar(
            &app,
            "SELECT COUNT(*) FROM jobs WHERE kind = 'event_promoted'"
        )
        .await,
        1
    );
    let res = reqwest::Client::new()
        .get(format!("{}/api/v1/me/data", app.base))
        .bearer_auth(&token)
        .send()
        .await
        .expect("GET");
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);

    // The audit log keeps a trace under the number only, and still holds together.
    let detail: String = sqlx::query_scalar(
        "SELECT detail FROM audit_log WHERE action = 'user.delete' AND target = $1",
    )
    .bind(format!("user:{user}"))
    .fetch_one(app.store().pool())
    .await
    .expect("trace");
    assert!(
        detail.starts_with("anonymise contributions=1 comments=1"),
        "{detail}"
    );
    assert!(!detail.contains("lea"));
    let check = app.store().verify_audit().await.expect("verify");
    assert!(check.broken.is_none());
    // The address is free again.
    app.create_user("lea@example.org", &[]).await;
    app.drain_jobs().await;
}

#[tokio::test]
async fn deleting_an_account_can_withdraw_its_contributions() {
    let mut app = TestApp::new().await;
    let (user, mine, other, _, _) = participant(&mut app, "lea@example.org").await;
    let page = delete_account(&app, "withdraw", PASSWORD).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    assert!(app.store().user_by_id(user).await.expect("db").is_none());
    let c = app
        .store()
        .contribution(mine)
        .await
        .expect("db")
        .expect("row");
    assert_eq!(c.status, "withdrawn");
    assert_eq!(
        (c.title.as_str(), c.body.as_str(), c.author_id),
        ("", "", None)
    );
    assert_eq!(
        scalar(
            &app,
            &format!("SELECT COUNT(*) FROM contribution_versions WHERE contribution_id = {mine}")
        )
        .await,
        0
    );
    assert_eq!(
        scalar(
            &app,
            &format!(
                "SELECT COUNT(*) FROM comments WHERE contribution_id = {other} AND status = 'withdrawn' AND body = '' AND author_id IS NULL"
            )
        )
        .await,
        1
    );
    app.new_visitor();
    let page = app.get("/debats/solidarites/contributions").await;
    assert!(!page.body.contains("Des bancs au square Daviais"));
    let page = app.get(&format!("/contributions/{other}")).await;
    assert!(!page.body.contains("Je soutiens cette proposition"));
    let page = app.get(&format!("/contributions/{mine}")).await;
    assert_eq!(page.status, StatusCode::OK);
    page.assert_contains("retiré");
    app.drain_jobs().await;
}

#[tokio::test]
async fn the_last_administrator_cannot_delete_their_account() {
    let mut app = TestApp::new().await;
    let admin = sign_in(&mut app, "seule@example.org", &[Role::Admin]).await;
    let page = delete_account(&app, "anonymise", PASSWORD).await;
    assert_eq!(page.status, StatusCode::CONFLICT);
    page.assert_contains("dernier administrateur");
    assert!(app.store().user_by_id(admin).await.expect("db").is_some());
}

const DAY: i64 = 86_400;

/// Runs the retention job now, as if its night had come: the one queued is made due (or, when
/// none waits, the one `start` queues), then the queue is drained.
async fn run_retention(app: &TestApp) {
    if !app
        .store()
        .job_queued(app::retention::RETENTION)
        .await
        .expect("db")
    {
        web::tasks::schedule(&app.running.state)
            .await
            .expect("queue");
    }
    exec(
        app,
        &format!(
            "UPDATE jobs SET run_at = {} WHERE kind = 'retention' AND state = 'queued'",
            storage::now()
        ),
    )
    .await;
    app.drain_jobs().await;
}

#[tokio::test]
async fn the_retention_run_is_queued_at_start_for_the_night_and_requeues_itself() {
    let app = TestApp::new().await;
    // A second instance started on the same database queues it once, for the coming night.
    let mut settings = app.running.state.settings.clone();
    settings.listen = "127.0.0.1:0".into();
    let other = concorde::start(settings.clone(), app.store().clone())
        .await
        .expect("start");
    other.stop().await;
    let again = concorde::start(settings, app.store().clone())
        .await
        .expect("start");
    again.stop().await;
    let queued: Vec<(i64, String)> = sqlx::query_as(
        "SELECT run_at, dedup_key FROM jobs WHERE kind = 'retention' AND state = 'queued'",
    )
    .fetch_all(app.store().pool())
    .await
    .expect("jobs");
    assert_eq!(queued.len(), 1, "{queued:?}");
    let (run_at, key) = queued[0].clone();
    let now = storage::now();
    assert!(run_at > now && run_at <= now + DAY, "{run_at} {now}");
    assert!(key.starts_with("retention-20"), "{key}");
    // Run now, it queues the next night's under another day's key.
    run_retention(&app).await;
    let next: Vec<(i64, String)> = sqlx::query_as(
        "SELECT run_at, dedup_key FROM jobs WHERE kind = 'retention' AND state = 'queued'",
    )
    .fetch_all(app.store().pool())
    .await
    .expect("jobs");
    assert_eq!(next.len(), 1, "{next:?}");
    assert!(
        next[0].0 > run_at && next[0].1 != key,
        "{next:?} after {key}"
    );
    assert_eq!(
        scalar(
            &app,
            "SELECT COUNT(*) FROM jobs WHERE kind = 'retention' AND state = 'done'"
        )
        .await,
        1
    );
}

#[tokio::test]
async fn inactive_accounts_are_warned_then_deleted_and_staff_accounts_only_warned() {
    let mut app = TestApp::new().await;
    concorde::demo::load_all(app.store(), storage::now())
        .await
        .expect("demo");
    let (debate, questions) = crate::helpers::demo(&app).await;
    let old = app.create_user("ancien@example.org", &[]).await;
    let mine = app
        .store()
        .insert_contribution(&storage::NewContribution {
            author_id: Some(old),
            ..crate::helpers::online(debate, questions[0].id, "Un banc rue Crébillon", "Texte")
        })
        .await
        .expect("contribution");
    let staff = app
        .create_user("moderatrice@example.org", &[Role::Moderator])
        .await;
    let back = app.create_user("revenue@example.org", &[]).await;
    let recent = app.create_user("recente@example.org", &[]).await;
    let now = storage::now();
    exec(
        &app,
        &format!(
            "UPDATE users SET last_seen_at = {} WHERE id IN ({old}, {staff}, {back})",
            now - 731 * DAY
        ),
    )
    .await;
    // An account never seen counts from its creation.
    exec(
        &app,
        &format!(
            "UPDATE users SET created_at = {} WHERE id = {recent}",
            now - 700 * DAY
        ),
    )
    .await;

    run_retention(&app).await;
    let warned = |id: i64| {
        format!("SELECT COUNT(*) FROM users WHERE id = {id} AND inactivity_warned_at IS NOT NULL")
    };
    for id in [old, staff, back] {
        assert_eq!(scalar(&app, &warned(id)).await, 1, "user {id}");
    }
    assert_eq!(scalar(&app, &warned(recent)).await, 0);
    let mail = app
        .last_mail_to("ancien@example.org")
        .await
        .expect("warning");
    assert!(mail.contains("supprimé dans 30 jours"), "{mail}");
    assert!(mail.contains("http://concorde.test/connexion"), "{mail}");
    assert!(mail.contains("Participant·e anonyme"), "{mail}");
    assert!(mail.contains("24 mois"), "{mail}");
    let mail = app
        .last_mail_to("moderatrice@example.org")
        .await
        .expect("warning");
    assert!(mail.contains("pas supprimé automatiquement"), "{mail}");
    assert_eq!(app.mails_to("recente@example.org").await, 0);

    // The next night: nobody is warned twice, nobody deleted before 30 days.
    run_retention(&app).await;
    assert_eq!(app.mails_to("ancien@example.org").await, 1);
    assert!(app.store().user_by_id(old).await.expect("db").is_some());

    // One of them signs in: the warning is lifted.
    app.new_visitor();
    let page = app.login("revenue@example.org", PASSWORD).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    app.get("/profil").await;
    assert_eq!(scalar(&app, &warned(back)).await, 0);

    // 31 days after the warning.
    exec(
        &app,
        &format!(
            "UPDATE users SET inactivity_warned_at = inactivity_warned_at - {} \
             WHERE inactivity_warned_at IS NOT NULL",
            31 * DAY
        ),
    )
    .await;
    run_retention(&app).await;
    assert!(app.store().user_by_id(old).await.expect("db").is_none());
    assert!(app.store().user_by_id(staff).await.expect("db").is_some());
    assert!(app.store().user_by_id(back).await.expect("db").is_some());
    assert!(app.store().user_by_id(recent).await.expect("db").is_some());
    // Deleted as "delete my account" does in the anonymise mode.
    let c = app
        .store()
        .contribution(mine)
        .await
        .expect("db")
        .expect("kept");
    assert_eq!((c.status.as_str(), c.author_id), ("published", None));
    let detail: String = sqlx::query_scalar(
        "SELECT detail FROM audit_log WHERE action = 'user.delete_inactive' AND target = $1 \
         AND actor_id IS NULL",
    )
    .bind(format!("user:{old}"))
    .fetch_one(app.store().pool())
    .await
    .expect("trace");
    assert!(detail.starts_with("anonymise contributions=1"), "{detail}");
    assert!(
        app.store()
            .verify_audit()
            .await
            .expect("verify")
            .broken
            .is_none()
    );
    assert_eq!(
        app.login("ancien@example.org", PASSWORD).await.status,
        StatusCode::BAD_REQUEST
    );
}

#[tokio::test]
async fn registrations_without_an_account_go_after_their_event() {
    let app = TestApp::new().await;
    concorde::demo::load_all(app.store(), storage::now())
        .await
        .expect("demo");
    let user = app.create_user("inscrite@example.org", &[]).await;
    // The two events with the most registrations without an account.
    let events: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT event_id, COUNT(*) AS n FROM registrations WHERE user_id IS NULL \
         GROUP BY event_id ORDER BY n DESC, event_id LIMIT 2",
    )
    .fetch_all(app.store().pool())
    .await
    .expect("events");
    assert_eq!(events.len(), 2, "the demo has guests at two events");
    let ((old, old_n), (recent, recent_n)) = (events[0], events[1]);
    assert!(old_n >= 2);
    let now = storage::now();
    let end = |id: i64, days: i64| {
        format!(
            "UPDATE events SET starts_at = {s}, ends_at = {e} WHERE id = {id}",
            s = now - days * DAY - 7200,
            e = now - days * DAY
        )
    };
    exec(&app, &end(old, 184)).await;
    exec(&app, &end(recent, 182)).await;
    // A person with an account keeps theirs (it goes with the account).
    exec(
        &app,
        &format!(
            "UPDATE registrations SET user_id = {user} WHERE id = \
             (SELECT MIN(id) FROM registrations WHERE event_id = {old} AND user_id IS NULL)"
        ),
    )
    .await;
    let count = |id: i64| format!("SELECT COUNT(*) FROM registrations WHERE event_id = {id}");
    let before_recent = scalar(&app, &count(recent)).await;
    run_retention(&app).await;
    assert_eq!(scalar(&app, &count(old)).await, 1);
    assert_eq!(
        scalar(
            &app,
            &format!(
                "SELECT COUNT(*) FROM registrations WHERE event_id = {old} AND user_id = {user}"
            )
        )
        .await,
        1
    );
    assert_eq!(scalar(&app, &count(recent)).await, before_recent);
    assert!(before_recent >= recent_n);
    let detail: String = sqlx::query_scalar(
        "SELECT detail FROM audit_log WHERE action = 'registration.delete_expired'",
    )
    .fetch_one(app.store().pool())
    .await
    .expect("trace");
    assert!(detail.starts_with("count="), "{detail}");
}

#[tokio::test]
async fn the_privacy_page_states_the_real_delays() {
    let app = TestApp::with(|s| {
        s.inactive_account_days = 365;
        s.registration_retention_days = 90;
        s.session_days = 14;
    })
    .await;
    let page = app.get("/confidentialite").await;
    assert_eq!(page.status, StatusCode::OK);
    page.assert_contains("sans connexion depuis 365 jours (environ 12 mois)")
        .assert_contains("dans les 30 jours qui suivent")
        .assert_contains("jamais supprimés automatiquement")
        .assert_contains("supprimées 90 jours après la fin")
        .assert_contains("Une connexion dure 14 jours")
        .assert_contains("CNIL");
    assert!(!page.body.contains("trois ans"));
    let page = TestApp::new().await.get("/confidentialite").await;
    page.assert_contains("730 jours")
        .assert_contains("183 jours");
}

async fn delete_me(
    app: &TestApp,
    token: &str,
    body: serde_json::Value,
) -> (StatusCode, serde_json::Value) {
    let res = reqwest::Client::new()
        .delete(format!("{}/api/v1/me", app.base))
        .bearer_auth(token)
        .header("content-type", "application/json")
        .body(body.to_string())
        .send()
        .await
        .expect("DELETE");
    let status = res.status();
    let text = res.text().await.expect("body");
    (
        status,
        serde_json::from_str(&text).unwrap_or(serde_json::Value::Null),
    )
}

#[tokio::test]
async fn the_api_deletes_the_tokens_owner_with_precise_problems() {
    let mut app = TestApp::new().await;
    let (user, mine, _, _, read) = participant(&mut app, "lea@example.org").await;
    let (_, write) = app
        .store()
        .create_api_token(user, "Suppression", "write")
        .await
        .expect("token");
    let body = serde_json::json!({"mode": "anonymise", "password": PASSWORD});
    let (status, p) = delete_me(&app, &read, body.clone()).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{p}");
    assert_eq!(p["type"], "/api/v1/problems/forbidden");
    let (status, p) = delete_me(&app, &write, serde_json::json!({"password": PASSWORD})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{p}");
    assert_eq!(p["errors"][0]["field"], "mode");
    let (status, p) = delete_me(
        &app,
        &write,
        serde_json::json!({"mode": "oublier", "password": PASSWORD}),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{p}");
    assert_eq!(p["errors"][0]["field"], "mode");
    let (status, p) = delete_me(
        &app,
        &write,
        serde_json::json!({"mode": "withdraw", "password": "pas le bon"}),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{p}");
    assert_eq!(p["type"], "/api/v1/problems/wrong-password");
    assert_eq!(p["errors"][0]["field"], "password");
    assert!(app.store().user_by_id(user).await.expect("db").is_some());

    let (status, _) = delete_me(&app, &write, body).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert!(app.store().user_by_id(user).await.expect("db").is_none());
    let c = app
        .store()
        .contribution(mine)
        .await
        .expect("db")
        .expect("kept");
    assert_eq!((c.status.as_str(), c.author_id), ("published", None));
    assert_eq!(
        scalar(
            &app,
            "SELECT COUNT(*) FROM audit_log WHERE action = 'user.delete'"
        )
        .await,
        1
    );
    // The token went with the account.
    let (status, _) = delete_me(
        &app,
        &write,
        serde_json::json!({"mode": "anonymise", "password": PASSWORD}),
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);

    // The last administrator is refused.
    let admin = sign_in(&mut app, "seule@example.org", &[Role::Admin]).await;
    let (_, token) = app
        .store()
        .create_api_token(admin, "Admin", "write")
        .await
        .expect("token");
    let (status, p) = delete_me(
        &app,
        &token,
        serde_json::json!({"mode": "anonymise", "password": PASSWORD}),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "{p}");
    assert_eq!(p["type"], "/api/v1/problems/last-administrator");
    assert!(app.store().user_by_id(admin).await.expect("db").is_some());
    app.drain_jobs().await;
}
