//! The REST API (/api/v1): tokens made on the profile page as a person would, reads with
//! cursors and ETags, writes through the same use cases as the pages, precise problem documents
//! for bad input, and a leak test over roles × resources.

use crate::helpers::{TestApp, demo, online, sign_in};
use domain::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

struct Api<'a> {
    app: &'a TestApp,
    token: Option<String>,
}

impl Api<'_> {
    async fn send(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<&str>,
    ) -> (StatusCode, Value, reqwest::header::HeaderMap) {
        let mut req =
            reqwest::Client::new().request(method, format!("{}/api/v1{path}", self.app.base));
        if let Some(t) = &self.token {
            req = req.bearer_auth(t);
        }
        if let Some(b) = body {
            req = req
                .header("content-type", "application/json")
                .body(b.to_string());
        }
        let res = req.send().await.expect("API request");
        let status = res.status();
        let headers = res.headers().clone();
        let text = res.text().await.unwrap_or_default();
        let value = serde_json::from_str(&text).unwrap_or(Value::Null);
        (status, value, headers)
    }

    async fn get(&self, path: &str) -> (StatusCode, Value) {
        let (s, v, _) = self.send(reqwest::Method::GET, path, None).await;
        (s, v)
    }

    async fn post(&self, path: &str, body: &str) -> (StatusCode, Value) {
        let (s, v, _) = self.send(reqwest::Method::POST, path, Some(body)).await;
        (s, v)
    }
}

/// Creates a token on the profile page, as its owner would, and reads it off the page.
async fn token_from_profile(app: &TestApp, scope: &str) -> String {
    let page = app
        .post(
            "/profil/jetons",
            &[("name", "mon script"), ("scope", scope)],
        )
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let start = page
        .body
        .find("<code id=\"new-token\">")
        .expect("token shown")
        + 21;
    let end = page.body[start..].find("</code>").expect("end") + start;
    page.body[start..end].to_string()
}

#[tokio::test]
async fn tokens_are_shown_once_and_revoked_from_the_profile() {
    let mut app = TestApp::new().await;
    demo(&app).await;
    sign_in(&mut app, "dev@example.org", &[]).await;
    let bad = app
        .post("/profil/jetons", &[("name", "  "), ("scope", "read")])
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    bad.assert_contains("Ce champ est obligatoire");
    let token = token_from_profile(&app, "read").await;
    assert!(token.starts_with("cc_") && token.len() > 30, "{token}");
    // Shown once: the list names it but never shows it again; only a hash is stored.
    let list = app.get("/profil/jetons").await;
    list.assert_contains("mon script");
    assert!(!list.body.contains(&token));
    let stored: Vec<String> = sqlx::query_scalar("SELECT token_hash FROM api_tokens")
        .fetch_all(app.store().pool())
        .await
        .expect("tokens");
    assert_eq!(stored, vec![storage::hash_token(&token)]);

    let api = Api {
        app: &app,
        token: Some(token.clone()),
    };
    assert_eq!(api.get("/debates").await.0, StatusCode::OK);
    let id = app
        .store()
        .api_tokens_of(
            app.store()
                .user_by_email("dev@example.org")
                .await
                .expect("db")
                .expect("u")
                .id,
        )
        .await
        .expect("db")[0]
        .id;
    let revoked = app
        .post(&format!("/profil/jetons/{id}/revoquer"), &[])
        .await;
    assert_eq!(revoked.status, StatusCode::SEE_OTHER);
    let (status, problem) = api.get("/debates").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(problem["status"], 401);
    assert!(
        problem["detail"].as_str().unwrap_or("").contains("revoked"),
        "{problem}"
    );
    let audit = app.store().audit_page(None, 20).await.expect("audit");
    assert!(audit.iter().any(|e| e.action == "token.create"));
    assert!(audit.iter().any(|e| e.action == "token.revoke"));
}

#[tokio::test]
async fn reads_page_with_cursors_and_answer_304_to_a_known_etag() {
    let app = TestApp::new().await;
    let (debate, qs) = demo(&app).await;
    for i in 0..45 {
        app.store()
            .insert_contribution(&online(
                debate,
                qs[i % 2].id,
                &format!("Idée {i}"),
                &format!("Texte {i}"),
            ))
            .await
            .expect("insert");
    }
    let api = Api {
        app: &app,
        token: None,
    };
    let (s, d) = api.get("/debates/solidarites").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(d["questions"].as_array().map(Vec::len), Some(qs.len()));
    assert!(d["phases"].as_array().is_some_and(|p| !p.is_empty()));
    assert!(!d["quartiers"].as_array().expect("quartiers").is_empty());

    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    for _ in 0..5 {
        let path = match &cursor {
            Some(c) => format!("/debates/solidarites/contributions?limit=20&cursor={c}"),
            None => "/debates/solidarites/contributions?limit=20".into(),
        };
        let (s, page) = api.get(&path).await;
        assert_eq!(s, StatusCode::OK, "{page}");
        for c in page["items"].as_array().expect("items") {
            seen.push(c["id"].as_i64().expect("id"));
        }
        cursor = page["next_cursor"].as_str().map(str::to_string);
        if cursor.is_none() {
            break;
        }
    }
    assert_eq!(seen.len(), 45);
    let mut sorted = seen.clone();
    sorted.sort_unstable_by(|a, b| b.cmp(a));
    sorted.dedup();
    assert_eq!(sorted.len(), 45, "a contribution came twice");
    // Filtered by question: only that question's.
    let q = qs[0].id;
    let (_, page) = api
        .get(&format!(
            "/debates/solidarites/contributions?question={q}&limit=100"
        ))
        .await;
    let items = page["items"].as_array().expect("items");
    assert_eq!(items.len(), 23);
    assert!(items.iter().all(|c| c["question_id"] == q));

    // ETag: the same read again is a 304 with no body.
    let (_, _, headers) = api
        .send(reqwest::Method::GET, "/debates/solidarites", None)
        .await;
    let etag = headers
        .get("etag")
        .expect("etag")
        .to_str()
        .expect("ascii")
        .to_string();
    let res = reqwest::Client::new()
        .get(format!("{}/api/v1/debates/solidarites", app.base))
        .header("if-none-match", &etag)
        .send()
        .await
        .expect("get");
    assert_eq!(res.status(), StatusCode::NOT_MODIFIED);
    // A change makes a new tag.
    app.store()
        .insert_contribution(&online(debate, q, "Encore une", "Texte"))
        .await
        .expect("insert");
    let res = reqwest::Client::new()
        .get(format!(
            "{}/api/v1/debates/solidarites/contributions?limit=5",
            app.base
        ))
        .header("if-none-match", &etag)
        .send()
        .await
        .expect("get");
    assert_eq!(res.status(), StatusCode::OK);
}

#[tokio::test]
async fn writes_use_the_same_rules_as_the_pages_and_bad_input_gets_a_problem() {
    let mut app = TestApp::new().await;
    let (debate, qs) = demo(&app).await;
    let author = app.create_user("auteur@example.org", &[]).await;
    let id = app
        .store()
        .insert_contribution(&storage::NewContribution {
            author_id: Some(author),
            ..online(debate, qs[0].id, "Des bancs", "Il manque des bancs.")
        })
        .await
        .expect("insert");
    sign_in(&mut app, "dev@example.org", &[]).await;
    let write = token_from_profile(&app, "write").await;
    let read = token_from_profile(&app, "read").await;
    let w = Api {
        app: &app,
        token: Some(write),
    };
    let r = Api {
        app: &app,
        token: Some(read),
    };
    let anon = Api {
        app: &app,
        token: None,
    };
    let path = format!("/contributions/{id}/comments");

    // No token, a read-only token, a token of another shape.
    assert_eq!(
        anon.post(&path, r#"{"body":"x"}"#).await.0,
        StatusCode::UNAUTHORIZED
    );
    let (s, p) = r.post(&path, r#"{"body":"x"}"#).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    assert!(p["detail"].as_str().unwrap_or("").contains("read-only"));
    let garbage = Api {
        app: &app,
        token: Some("cc_nope".into()),
    };
    assert_eq!(
        garbage.post(&path, r#"{"body":"x"}"#).await.0,
        StatusCode::UNAUTHORIZED
    );

    // Malformed JSON, a wrong type, an unknown field, a missing field, an empty body.
    let (s, p) = w.post(&path, r#"{"body": "#).await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{p}");
    assert_eq!(p["type"], "/api/v1/problems/malformed-json");
    let (s, p) = w.post(&path, r#"{"body": 12}"#).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{p}");
    assert_eq!(p["errors"][0]["field"], "body", "{p}");
    let (s, p) = w.post(&path, r#"{"body": "ok", "colour": "red"}"#).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{p}");
    assert_eq!(p["errors"][0]["field"], "colour", "{p}");
    let (s, p) = w.post(&path, r#"{}"#).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{p}");
    assert_eq!(p["errors"][0]["field"], "body", "{p}");
    let (s, p) = w.post(&path, r#"{"body": "   "}"#).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{p}");
    assert_eq!(p["errors"][0]["field"], "/body");
    assert!(
        app.store().comments(id).await.expect("db").is_empty(),
        "nothing stored"
    );

    // A good comment: stored with its audit entry, the follower told through the queue.
    let (s, c) = w
        .post(&path, r#"{"body": "Oui, surtout près de l'arrêt de bus."}"#)
        .await;
    assert_eq!(s, StatusCode::CREATED, "{c}");
    assert_eq!(app.store().comments(id).await.expect("db").len(), 1);
    let audit = app.store().audit_page(None, 10).await.expect("audit");
    assert!(audit.iter().any(|e| e.action == "comment.create"));

    // Support: once, not twice; not one's own.
    let support = format!("/contributions/{id}/support");
    assert_eq!(
        w.send(reqwest::Method::PUT, &support, None).await.0,
        StatusCode::NO_CONTENT
    );
    let (s, p, h) = w.send(reqwest::Method::PUT, &support, None).await;
    assert_eq!(s, StatusCode::CONFLICT);
    assert_eq!(
        h.get("content-type").and_then(|v| v.to_str().ok()),
        Some("application/problem+json")
    );
    assert_eq!(p["type"], "/api/v1/problems/already-supported");
    assert_eq!(
        w.send(reqwest::Method::DELETE, &support, None).await.0,
        StatusCode::NO_CONTENT
    );

    // Report: a reason from the list.
    let (s, p) = w
        .post(
            "/reports",
            &json!({"kind": "contribution", "id": id, "reason": "nope"}).to_string(),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(p["errors"][0]["field"], "/reason");
    let (s, _) = w
        .post(
            "/reports",
            &json!({"kind": "contribution", "id": id, "reason": "spam"}).to_string(),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED);

    // An unknown contribution, a bad cursor, a bad order, an unknown query parameter.
    assert_eq!(
        w.post("/contributions/999999/comments", r#"{"body":"x"}"#)
            .await
            .0,
        StatusCode::NOT_FOUND
    );
    let (s, p) = anon
        .get("/debates/solidarites/contributions?cursor=zzz")
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_eq!(p["errors"][0]["field"], "cursor");
    let (s, p) = anon
        .get("/debates/solidarites/contributions?order=best")
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(p["errors"][0]["field"], "order");
    let (s, _) = anon
        .get("/debates/solidarites/contributions?colour=red")
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    let (s, p) = anon.get("/nowhere").await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    assert_eq!(p["status"], 404);
}

/// The OpenAPI document served is the one generated from the code, and the readable page
/// lists every path.
#[tokio::test]
async fn the_openapi_document_and_its_page_are_served() {
    let app = TestApp::new().await;
    let api = Api {
        app: &app,
        token: None,
    };
    let (s, doc) = api.get("/openapi.json").await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        doc["openapi"].as_str().unwrap_or("").starts_with("3.1"),
        "{}",
        doc["openapi"]
    );
    assert_eq!(doc, serde_json::to_value(api::openapi()).expect("json"));
    let page = app.get("/api/v1").await;
    assert_eq!(page.status, StatusCode::OK);
    for path in doc["paths"].as_object().expect("paths").keys() {
        assert!(
            page.body.contains(path.as_str()),
            "{path} missing from the page"
        );
    }
}

#[tokio::test]
async fn nothing_the_policy_withholds_appears_through_the_api() {
    let mut app = TestApp::new().await;
    let (debate, qs) = demo(&app).await;
    let author = app.create_user("auteur@example.org", &[]).await;
    let mk = |title: &'static str| storage::NewContribution {
        author_id: Some(author),
        ..online(debate, qs[0].id, title, "texte")
    };
    let hidden = app
        .store()
        .insert_contribution(&mk("TITRE-MASQUE"))
        .await
        .expect("c");
    let withdrawn = app
        .store()
        .insert_contribution(&mk("TITRE-RETIRE"))
        .await
        .expect("c");
    let public = app
        .store()
        .insert_contribution(&mk("TITRE-PUBLIC"))
        .await
        .expect("c");
    let moderator = app.create_user("mod@example.org", &[Role::Moderator]).await;
    app.store()
        .set_hidden(
            storage::Target::Contribution(hidden),
            true,
            "abus",
            moderator,
        )
        .await
        .expect("hide");
    app.store()
        .withdraw_contribution(withdrawn)
        .await
        .expect("withdraw");
    let comment = app
        .store()
        .add_comment(public, None, author, "COMMENTAIRE-MASQUE")
        .await
        .expect("comment");
    app.store()
        .set_hidden(storage::Target::Comment(comment), true, "abus", moderator)
        .await
        .expect("hide");
    // A second debate, in draft, with one contribution.
    let draft = app
        .store()
        .create_debate(&storage::DebateFields {
            slug: "brouillon".into(),
            title: "Débat en préparation".into(),
            summary: "Pas encore public".into(),
            body_md: String::new(),
            status: domain::DebateStatus::Draft,
            image_alt: String::new(),
        })
        .await
        .expect("draft");
    app.store()
        .save_questions(draft, &[(None, "Une question".into(), 1)], &[])
        .await
        .expect("questions");
    let dq = app.store().questions(draft).await.expect("q")[0].id;
    let in_draft = app
        .store()
        .insert_contribution(&online(draft, dq, "TITRE-BROUILLON", "texte"))
        .await
        .expect("c");

    // (role, sees drafts, reads hidden text)
    let roles: [(&str, &[Role], bool, bool); 5] = [
        ("anonymous", &[], false, false),
        ("participant", &[], false, false),
        ("author", &[], false, false),
        ("moderator", &[Role::Moderator], false, true),
        ("guarantor", &[Role::Guarantor], true, true),
    ];
    for (name, roles_of, drafts, hidden_text) in roles {
        let token = match name {
            "anonymous" => None,
            "author" => {
                app.new_visitor();
                let page = app
                    .login("auteur@example.org", crate::helpers::PASSWORD)
                    .await;
                assert_eq!(page.status, StatusCode::SEE_OTHER);
                Some(token_from_profile(&app, "read").await)
            }
            _ => {
                sign_in(&mut app, &format!("{name}@example.org"), roles_of).await;
                Some(token_from_profile(&app, "read").await)
            }
        };
        let api = Api { app: &app, token };
        let (_, list) = api.get("/debates").await;
        let listed = list.to_string().contains("brouillon");
        assert_eq!(listed, drafts, "{name}: draft debate in the list");
        assert_eq!(
            api.get("/debates/brouillon").await.0 == StatusCode::OK,
            drafts,
            "{name}: draft debate"
        );
        assert_eq!(
            api.get(&format!("/contributions/{in_draft}")).await.0 == StatusCode::OK,
            drafts,
            "{name}: a draft debate's contribution"
        );
        let (_, page) = api
            .get("/debates/solidarites/contributions?limit=100")
            .await;
        let text = page.to_string();
        assert!(text.contains("TITRE-PUBLIC"), "{name}");
        assert!(
            !text.contains("TITRE-MASQUE") && !text.contains("TITRE-RETIRE"),
            "{name}: list"
        );
        for id in [hidden, withdrawn] {
            let (s, c) = api.get(&format!("/contributions/{id}")).await;
            assert_eq!(s, StatusCode::OK, "{name}");
            let shows = c.to_string().contains("TITRE-");
            assert_eq!(shows, hidden_text, "{name}: text of contribution {id}");
        }
        let (_, c) = api.get(&format!("/contributions/{public}")).await;
        assert_eq!(
            c.to_string().contains("COMMENTAIRE-MASQUE"),
            hidden_text,
            "{name}: hidden comment"
        );
        // Staff data: never for those without the role.
        let (s, _) = api.get("/audit").await;
        assert_eq!(
            s == StatusCode::OK,
            name == "guarantor",
            "{name}: audit log"
        );
    }
}

#[tokio::test]
async fn participants_contribute_and_facilitators_enter_piles_of_paper_through_the_api() {
    let mut app = TestApp::new().await;
    let (_, qs) = demo(&app).await;
    let q = qs[0].id;
    sign_in(&mut app, "habitante@example.org", &[]).await;
    let w = Api {
        app: &app,
        token: Some(token_from_profile(&app, "write").await),
    };
    let (s, c) = w
        .post(
            "/debates/solidarites/contributions",
            &json!({"question_id": q, "title": "Une épicerie solidaire", "body": "Dans le quartier nord."}).to_string(),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{c}");
    let id = c["id"].as_i64().expect("id");
    let row = app
        .store()
        .contribution(id)
        .await
        .expect("db")
        .expect("row");
    assert_eq!(
        (row.channel.as_str(), row.title.as_str()),
        ("online", "Une épicerie solidaire")
    );
    // A question of no debate: the field is named, nothing stored.
    let (s, p) = w
        .post(
            "/debates/solidarites/contributions",
            &json!({"question_id": 999999, "title": "x", "body": "y"}).to_string(),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{p}");
    assert_eq!(p["errors"][0]["field"], "/question_id");
    // A participant is no facilitator.
    let batch = json!({"items": [{"question_id": q, "channel": "paper", "title": "Lettre", "body": "Texte"}]});
    let (s, _) = w
        .post(
            "/debates/solidarites/offline-contributions",
            &batch.to_string(),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);

    sign_in(&mut app, "animatrice@example.org", &[Role::Facilitator]).await;
    let f = Api {
        app: &app,
        token: Some(token_from_profile(&app, "write").await),
    };
    let before = app
        .store()
        .count_contributions(&storage::ContributionFilter {
            debate_id: row.debate_id,
            ..Default::default()
        })
        .await
        .expect("count");
    // One bad item in three: nothing stored, the item and field named.
    let bad = json!({"items": [
        {"question_id": q, "channel": "paper", "place": "Maison de quartier", "title": "Lettre 1", "body": "Texte 1"},
        {"question_id": q, "channel": "online", "title": "Lettre 2", "body": "Texte 2"},
        {"question_id": q, "channel": "workshop", "title": "Atelier", "body": "Texte 3"}
    ]});
    let (s, p) = f
        .post(
            "/debates/solidarites/offline-contributions",
            &bad.to_string(),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{p}");
    assert_eq!(p["errors"][0]["field"], "/items/1/channel", "{p}");
    let good = json!({"items": [
        {"question_id": q, "channel": "paper", "place": "Maison de quartier", "received_at": "2026-11-20T10:00:00Z", "title": "Lettre 1", "body": "Texte 1"},
        {"question_id": q, "channel": "mediation", "title": "Marché", "body": "Texte 2"},
        {"question_id": q, "channel": "workshop", "title": "Atelier", "body": "Texte 3"}
    ]});
    let (s, r) = f
        .post(
            "/debates/solidarites/offline-contributions",
            &good.to_string(),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{r}");
    let ids: Vec<i64> = r["ids"]
        .as_array()
        .expect("ids")
        .iter()
        .filter_map(Value::as_i64)
        .collect();
    assert_eq!(ids.len(), 3);
    let first = app
        .store()
        .contribution(ids[0])
        .await
        .expect("db")
        .expect("row");
    assert_eq!(
        (first.channel.as_str(), first.place.as_str()),
        ("paper", "Maison de quartier")
    );
    assert!(first.entered_by.is_some());
    let after = app
        .store()
        .count_contributions(&storage::ContributionFilter {
            debate_id: row.debate_id,
            ..Default::default()
        })
        .await
        .expect("count");
    assert_eq!(after, before + 3);
    let log = app.store().audit_page(None, 10).await.expect("audit");
    assert_eq!(
        log.iter()
            .filter(|e| e.action == "contribution.enter_offline")
            .count(),
        3
    );
}

#[tokio::test]
async fn events_are_read_and_registered_for_through_the_api() {
    let mut app = TestApp::new().await;
    concorde::demo::load_all(app.store(), storage::now())
        .await
        .expect("demo");
    let anonymous = Api {
        app: &app,
        token: None,
    };
    let (s, v) = anonymous
        .get("/events?debate=solidarites&kind=workshop")
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let items = v["items"].as_array().expect("items");
    assert_eq!(items.len(), 4, "{v}");
    let full = items
        .iter()
        .find(|e| {
            e["title"]
                .as_str()
                .is_some_and(|t| t.contains("isolement aujourd"))
        })
        .expect("the full workshop");
    assert_eq!(full["places_left"], json!(0));
    assert_eq!(full["waiting"], json!(3));
    assert!(
        full["calendar"]
            .as_str()
            .is_some_and(|c| c.ends_with("/calendrier.ics"))
    );
    let id = items[1]["id"].as_i64().expect("id");
    let (s, one) = anonymous.get(&format!("/events/{id}")).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(one["id"], json!(id));
    // Bad parameters get a precise problem, never a 500.
    for (path, field) in [
        ("/events?limit=0", "limit"),
        ("/events?kind=party", "kind"),
        ("/events?offset=-1", "offset"),
    ] {
        let (s, v) = anonymous.get(path).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{path}: {v}");
        assert_eq!(v["errors"][0]["field"], json!(field), "{path}");
    }
    assert_eq!(
        anonymous.get("/events/999999").await.0,
        StatusCode::NOT_FOUND
    );
    // A draft event exists for nobody outside staff.
    let debate = app
        .store()
        .debate_by_slug("solidarites")
        .await
        .expect("db")
        .expect("debate");
    let mut tx = app.store().begin().await.expect("tx");
    let draft = tx
        .insert_event(
            &storage::EventFields {
                debate_id: debate.id,
                kind: "workshop".into(),
                title: "Atelier encore en brouillon".into(),
                starts_at: storage::now() + 86_400,
                ends_at: storage::now() + 90_000,
                ..Default::default()
            },
            None,
        )
        .await
        .expect("draft");
    tx.commit().await.expect("commit");
    assert_eq!(
        anonymous.get(&format!("/events/{draft}")).await.0,
        StatusCode::NOT_FOUND
    );
    let (_, all) = anonymous.get("/events?limit=100").await;
    assert!(!all.to_string().contains("encore en brouillon"), "{all}");
    assert_eq!(
        anonymous.get("/events?debate=nope").await.0,
        StatusCode::NOT_FOUND
    );
    // Registering needs a token with the write scope.
    let (s, _) = anonymous
        .post(&format!("/events/{id}/registrations"), "{}")
        .await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    sign_in(&mut app, "api-user@example.org", &[]).await;
    let read = token_from_profile(&app, "read").await;
    let write = token_from_profile(&app, "write").await;
    let reader = Api {
        app: &app,
        token: Some(read),
    };
    assert_eq!(
        reader
            .post(&format!("/events/{id}/registrations"), "{}")
            .await
            .0,
        StatusCode::FORBIDDEN
    );
    let writer = Api {
        app: &app,
        token: Some(write),
    };
    for (body, status) in [
        ("{\"unknown\": 1}", StatusCode::UNPROCESSABLE_ENTITY),
        ("{\"category_id\": \"x\"}", StatusCode::UNPROCESSABLE_ENTITY),
        ("not json", StatusCode::BAD_REQUEST),
        (
            "{\"quartier_id\": 424242}",
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
    ] {
        let (s, v) = writer
            .post(&format!("/events/{id}/registrations"), body)
            .await;
        assert_eq!(s, status, "{body}: {v}");
        assert!(v["type"].as_str().is_some(), "{body}: {v}");
    }
    let (s, v) = writer
        .post(&format!("/events/{id}/registrations"), "{}")
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    assert_eq!(v["state"], json!("confirmed"));
    assert!(
        v["url"]
            .as_str()
            .is_some_and(|u| u.contains("/inscriptions/"))
    );
    let (s, v) = writer
        .post(&format!("/events/{id}/registrations"), "{}")
        .await;
    assert_eq!(s, StatusCode::CONFLICT, "{v}");
    // The full workshop puts the API's caller on its waiting list too.
    let full_id = full["id"].as_i64().expect("id");
    let (s, v) = writer
        .post(&format!("/events/{full_id}/registrations"), "{}")
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    assert_eq!(v["state"], json!("waiting"));
    assert_eq!(v["position"], json!(4));
    let mail = app
        .last_mail_to("api-user@example.org")
        .await
        .expect("mail");
    if !mail.contains("liste d’attente") {
        let jobs: Vec<(i64, String, String, i64, i64, String)> = sqlx::query_as(
            "SELECT id, kind, state, attempts, run_at, last_error FROM jobs ORDER BY id",
        )
        .fetch_all(app.store().pool())
        .await
        .expect("jobs");
        panic!("{jobs:?} now {}", storage::now());
    }
}

#[tokio::test]
async fn surveys_are_read_and_answered_through_the_api() {
    let mut app = TestApp::new().await;
    let (debate, _) = demo(&app).await;
    concorde::demo_survey::load(app.store(), debate)
        .await
        .expect("demo survey");
    let slug = concorde::demo_survey::SLUG;
    let visitor = Api {
        app: &app,
        token: None,
    };
    let (s, list) = visitor.get("/surveys").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(list["items"][0]["slug"], slug);
    let (_, one) = visitor.get(&format!("/surveys/{slug}")).await;
    assert_eq!(
        one["definition"]["sections"][0]["questions"][0]["code"],
        "aide"
    );
    let (s, r) = visitor.get(&format!("/surveys/{slug}/results")).await;
    assert_eq!(s, StatusCode::OK, "{r}");
    assert_eq!(r["panel_respondents"], 1100);
    let w = &r["weighted"][0]["shares"][0]["weighted"];
    assert!(w["low"].as_f64().expect("low") < w["estimate"].as_f64().expect("estimate"));
    // Answering needs a token with the write scope.
    let (s, _) = visitor
        .post(&format!("/surveys/{slug}/responses"), r#"{"answers":{}}"#)
        .await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    sign_in(&mut app, "sondee@example.org", &[]).await;
    let token = token_from_profile(&app, "write").await;
    let api = Api {
        app: &app,
        token: Some(token),
    };
    let path = format!("/surveys/{slug}/responses");
    // Answers breaking the questionnaire's rules: each named, nothing stored.
    let (s, p) = api
        .post(
            &path,
            r#"{"answers":{"aide":"non","formes":["temps"],"isolement":11,"inconnue":"x"}}"#,
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{p}");
    let fields: Vec<&str> = p["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .filter_map(|e| e["field"].as_str())
        .collect();
    for f in ["/answers/formes", "/answers/isolement", "/answers/inconnue"] {
        assert!(fields.contains(&f), "{f} in {p}");
    }
    let (s, p) = api
        .post(
            &path,
            r#"{"answers":{"aide":"oui","formes":["temps","argent"],"isolement":3}}"#,
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{p}");
    let (s, _) = api.post(&path, r#"{"answers":{"aide":"non"}}"#).await;
    assert_eq!(s, StatusCode::CONFLICT);
    let (_, r) = api.get(&format!("/surveys/{slug}/results")).await;
    assert_eq!(r["online_responses"], 301);
}
