//! Around a contribution: comments and their threads, following, reports, moderation (hide,
//! restore, keep, block) and the author's edits and withdrawal.

use crate::helpers::{PASSWORD, TestApp, demo, sign_in};
use domain::Role;
use reqwest::StatusCode;

/// The demo debate (contributions open) and one contribution by `author@example.org`.
async fn setup(app: &TestApp) -> (i64, i64) {
    let (debate, qs) = demo(app).await;
    let author = app.create_user("author@example.org", &[]).await;
    let id = app
        .store()
        .insert_contribution(&storage::NewContribution {
            author_id: Some(author),
            ..crate::helpers::online(
                debate,
                qs[0].id,
                "Des bancs dans le parc",
                "Il manque des bancs pour les personnes âgées.",
            )
        })
        .await
        .expect("insert");
    app.store().follow(id, author).await.expect("follow");
    (id, author)
}

fn comment_id(location: &str) -> i64 {
    location
        .rsplit("#commentaire-")
        .next()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no comment anchor in {location}"))
}

#[tokio::test]
async fn comments_thread_and_followers_are_told() {
    let mut app = TestApp::new().await;
    let (id, _) = setup(&app).await;
    let path = format!("/contributions/{id}");
    let post = format!("{path}/commentaires");
    // Visitors are invited to sign in; their POST stores nothing.
    app.get(&path)
        .await
        .assert_contains("Connectez-vous pour commenter");
    let anonymous = app.post(&post, &[("body", "Sans compte")]).await;
    assert_eq!(
        anonymous.status,
        StatusCode::UNAUTHORIZED,
        "{}",
        anonymous.body
    );
    assert!(app.store().comments(id).await.expect("db").is_empty());
    sign_in(&mut app, "bob@example.org", &[]).await;

    // Bad input: a clear message next to the field, the text kept, nothing stored.
    let empty = app.post(&post, &[("body", "   ")]).await;
    assert_eq!(empty.status, StatusCode::BAD_REQUEST);
    empty.assert_contains("Ce champ est obligatoire");
    let long = "a".repeat(2_001);
    let too_long = app.post(&post, &[("body", &long)]).await;
    assert_eq!(too_long.status, StatusCode::BAD_REQUEST);
    too_long.assert_contains("trop long").assert_contains(&long);
    assert!(app.store().comments(id).await.expect("db").is_empty());

    // A comment, escaped; the author (a follower) is told by mail, not the commenter.
    let page = app
        .post(&post, &[("body", "D'accord <script>alert(1)</script>")])
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let first = comment_id(&page.location());
    let shown = app.get(&path).await;
    shown
        .assert_contains("1 commentaire")
        .assert_contains("&#60;script&#62;alert(1)&#60;/script&#62;");
    assert!(!shown.body.contains("<script>alert"));
    let mail = app
        .last_mail_to("author@example.org")
        .await
        .expect("a mail");
    assert!(mail.contains("Nouveau commentaire"), "{mail}");
    assert!(mail.contains(&format!("/contributions/{id}#commentaire-{first}")));
    assert_eq!(app.mails_to("bob@example.org").await, 0);

    // Replies nest three levels deep, then a clear refusal.
    let mut parent = first;
    for depth in 1..=3 {
        let p = parent.to_string();
        let page = app
            .post(
                &post,
                &[("parent_id", &p), ("body", &format!("niveau {depth}"))],
            )
            .await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
        parent = comment_id(&page.location());
    }
    let p = parent.to_string();
    let deep = app
        .post(&post, &[("parent_id", &p), ("body", "trop loin")])
        .await;
    assert_eq!(deep.status, StatusCode::BAD_REQUEST);
    deep.assert_contains("répondez plus haut");
    // A parent from elsewhere, or nonsense: 404 / 400.
    assert_eq!(
        app.post(&post, &[("parent_id", "999999"), ("body", "x")])
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.post(&post, &[("parent_id", "abc"), ("body", "x")])
            .await
            .status,
        StatusCode::BAD_REQUEST
    );
    let comments = app.store().comments(id).await.expect("db");
    assert_eq!(comments.len(), 4);
    assert_eq!(
        comments.iter().map(|c| c.depth).collect::<Vec<_>>(),
        vec![0, 1, 2, 3]
    );
    let c = app
        .store()
        .contribution(id)
        .await
        .expect("db")
        .expect("row");
    assert_eq!(c.comments_count, 4);

    // Bob followed by commenting; he stops following and hears no more.
    app.get(&path).await.assert_contains("Ne plus suivre");
    let stop = app
        .post(&format!("{path}/suivre"), &[("action", "unfollow")])
        .await;
    assert_eq!(stop.status, StatusCode::SEE_OTHER);
    let author_mails = app.mails_to("author@example.org").await;
    sign_in(&mut app, "carol@example.org", &[]).await;
    let carol = app.post(&post, &[("body", "Et moi aussi")]).await;
    assert_eq!(carol.status, StatusCode::SEE_OTHER, "{}", carol.body);
    let comments = app.store().comments(id).await.expect("db");
    assert_eq!(comments.len(), 5);
    assert!(comments.iter().any(|c| c.body == "Et moi aussi"));
    // The author, still a follower, hears of Carol's comment; Bob no longer does.
    assert_eq!(
        app.mails_to("author@example.org").await,
        author_mails + 1,
        "the author is told of Carol's comment"
    );
    assert!(
        app.last_mail_to("author@example.org")
            .await
            .is_some_and(|m| m.contains(&format!("#commentaire-{}", comment_id(&carol.location())))),
        "the newest mail is about Carol's comment"
    );
    assert_eq!(app.mails_to("bob@example.org").await, 0);
    assert_eq!(
        app.post(&format!("{path}/suivre"), &[("action", "nope")])
            .await
            .status,
        StatusCode::BAD_REQUEST
    );
}

#[tokio::test]
async fn report_hide_restore_and_block() {
    let mut app = TestApp::new().await;
    let (id, author) = setup(&app).await;
    let path = format!("/contributions/{id}");
    let sid = id.to_string();

    // A participant reports it; twice is refused; a bad reason or an unknown item too.
    sign_in(&mut app, "rita@example.org", &[]).await;
    let fields = [
        ("kind", "contribution"),
        ("id", sid.as_str()),
        ("reason", "abuse"),
    ];
    let page = app.post("/signaler", &fields).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    app.get(&page.location())
        .await
        .assert_contains("signalement a été transmis");
    let twice = app.post("/signaler", &fields).await;
    assert_eq!(twice.status, StatusCode::CONFLICT);
    twice.assert_contains("déjà signalé");
    let bad = app
        .post(
            "/signaler",
            &[("kind", "contribution"), ("id", &sid), ("reason", "why")],
        )
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    bad.assert_contains("Choisissez une raison");
    for (kind, target) in [("contribution", "999999"), ("comment", "999999")] {
        assert_eq!(
            app.post(
                "/signaler",
                &[("kind", kind), ("id", target), ("reason", "spam")]
            )
            .await
            .status,
            StatusCode::NOT_FOUND
        );
    }
    assert_eq!(
        app.post(
            "/signaler",
            &[("kind", "user"), ("id", &sid), ("reason", "spam")]
        )
        .await
        .status,
        StatusCode::BAD_REQUEST
    );
    // Participants cannot moderate.
    assert_eq!(
        app.post(
            "/moderation",
            &[
                ("kind", "contribution"),
                ("id", &sid),
                ("decision", "hide"),
                ("reason", "x")
            ]
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.get("/admin/moderation").await.status,
        StatusCode::FORBIDDEN
    );

    // The moderator's queue shows it with its reason; hiding needs a reason.
    sign_in(&mut app, "mo@example.org", &[Role::Moderator]).await;
    app.get("/admin/moderation")
        .await
        .assert_contains("Propos injurieux")
        .assert_contains("Des bancs dans le parc");
    let no_reason = app
        .post(
            "/moderation",
            &[
                ("kind", "contribution"),
                ("id", &sid),
                ("decision", "hide"),
                ("reason", " "),
            ],
        )
        .await;
    assert_eq!(no_reason.status, StatusCode::BAD_REQUEST);
    no_reason.assert_contains("Indiquez le motif");
    let hide = app
        .post(
            "/moderation",
            &[
                ("kind", "contribution"),
                ("id", &sid),
                ("decision", "hide"),
                ("reason", "Propos insultants"),
            ],
        )
        .await;
    assert_eq!(hide.status, StatusCode::SEE_OTHER, "{}", hide.body);
    // Hiding twice: a clear conflict.
    assert_eq!(
        app.post(
            "/moderation",
            &[
                ("kind", "contribution"),
                ("id", &sid),
                ("decision", "hide"),
                ("reason", "x")
            ]
        )
        .await
        .status,
        StatusCode::CONFLICT
    );
    let mail = app
        .last_mail_to("author@example.org")
        .await
        .expect("author told");
    assert!(mail.contains("Propos insultants"), "{mail}");
    app.get("/admin/moderation")
        .await
        .assert_contains("Aucun signalement en attente")
        .assert_contains("Rétablir");

    // In public: a placeholder with the reason, not the text; out of the list and the feed.
    app.new_visitor();
    let public = app.get(&path).await;
    assert_eq!(public.status, StatusCode::OK);
    public
        .assert_contains("masqué par la modération")
        .assert_contains("Propos insultants");
    assert!(!public.body.contains("personnes âgées"));
    assert!(
        !app.get("/debats/solidarites/contributions")
            .await
            .body
            .contains("Des bancs")
    );
    // Guarantors still read it.
    sign_in(&mut app, "gina@example.org", &[Role::Guarantor]).await;
    app.get(&path)
        .await
        .assert_contains("personnes âgées")
        .assert_contains("Masquée");
    app.get("/admin/moderation")
        .await
        .assert_contains("Des bancs");
    let log = app.get("/admin/journal").await;
    log.assert_contains("moderation.hide")
        .assert_contains("Propos insultants")
        .assert_contains("report.create");

    // Restore: visible again, the author told.
    sign_in(&mut app, "mo@example.org", &[]).await;
    let restore = app
        .post(
            "/moderation",
            &[
                ("kind", "contribution"),
                ("id", &sid),
                ("decision", "restore"),
                ("back", "queue"),
            ],
        )
        .await;
    assert_eq!(restore.status, StatusCode::SEE_OTHER);
    assert_eq!(restore.location(), "/admin/moderation?ok=1");
    assert!(
        app.last_mail_to("author@example.org")
            .await
            .expect("mail")
            .contains("de nouveau visible")
    );
    app.new_visitor();
    app.get(&path).await.assert_contains("personnes âgées");

    // A comment reported and kept: the report closes, the comment stays.
    sign_in(&mut app, "rita@example.org", &[]).await;
    let page = app
        .post(
            &format!("{path}/commentaires"),
            &[("body", "Un commentaire limite")],
        )
        .await;
    let cid = comment_id(&page.location()).to_string();
    // Reported by someone else: nobody reports their own words.
    let own = app
        .post(
            "/signaler",
            &[("kind", "comment"), ("id", &cid), ("reason", "off-topic")],
        )
        .await;
    assert_eq!(own.status, StatusCode::CONFLICT);
    sign_in(&mut app, "sam@example.org", &[]).await;
    let page = app
        .post(
            "/signaler",
            &[("kind", "comment"), ("id", &cid), ("reason", "off-topic")],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    sign_in(&mut app, "mo@example.org", &[]).await;
    app.get("/admin/moderation")
        .await
        .assert_contains("Hors sujet");
    let keep = app
        .post(
            "/moderation",
            &[
                ("kind", "comment"),
                ("id", &cid),
                ("decision", "keep"),
                ("back", "queue"),
            ],
        )
        .await;
    assert_eq!(keep.status, StatusCode::SEE_OTHER);
    assert_eq!(app.store().open_reports().await.expect("db"), 0);
    // Keeping again: nothing to close.
    assert_eq!(
        app.post(
            "/moderation",
            &[("kind", "comment"), ("id", &cid), ("decision", "keep")]
        )
        .await
        .status,
        StatusCode::CONFLICT
    );
    // Hidden comment: a placeholder in the thread.
    app.post(
        "/moderation",
        &[
            ("kind", "comment"),
            ("id", &cid),
            ("decision", "hide"),
            ("reason", "Hors sujet"),
        ],
    )
    .await;
    app.new_visitor();
    let public = app.get(&path).await;
    public.assert_contains("Ce contenu a été masqué");
    assert!(!public.body.contains("Un commentaire limite"));

    // Blocking the author: refused without a reason and for staff, then done and logged.
    sign_in(&mut app, "mo@example.org", &[]).await;
    let a = author.to_string();
    assert_eq!(
        app.post(
            "/admin/moderation/bloquer",
            &[("user_id", &a), ("reason", "")]
        )
        .await
        .status,
        StatusCode::BAD_REQUEST
    );
    let guarantor = app
        .store()
        .user_by_email("gina@example.org")
        .await
        .expect("db")
        .expect("gina")
        .id
        .to_string();
    assert_eq!(
        app.post(
            "/admin/moderation/bloquer",
            &[("user_id", &guarantor), ("reason", "x")]
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );
    let block = app
        .post(
            "/admin/moderation/bloquer",
            &[("user_id", &a), ("reason", "Insultes répétées")],
        )
        .await;
    assert_eq!(block.status, StatusCode::SEE_OTHER);
    let u = app
        .store()
        .user_by_id(author)
        .await
        .expect("db")
        .expect("user");
    assert!(u.blocked_at.is_some());
    assert_eq!(
        app.post(
            "/admin/moderation/bloquer",
            &[("user_id", &a), ("reason", "x")]
        )
        .await
        .status,
        StatusCode::CONFLICT
    );
    // The blocked author can no longer sign in (so neither comment nor contribute).
    app.new_visitor();
    let login = app.login("author@example.org", PASSWORD).await;
    assert_eq!(login.status, StatusCode::BAD_REQUEST);
    login.assert_contains("Ce compte est bloqué");
}

#[tokio::test]
async fn authors_edit_with_history_and_withdraw() {
    let mut app = TestApp::new().await;
    let (id, _) = setup(&app).await;
    let path = format!("/contributions/{id}");
    // Someone else may not edit or withdraw.
    sign_in(&mut app, "other@example.org", &[]).await;
    assert_eq!(
        app.get(&format!("{path}/modifier")).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.post(&format!("{path}/retirer"), &[]).await.status,
        StatusCode::FORBIDDEN
    );

    sign_in(&mut app, "author@example.org", &[]).await;
    app.get(&path)
        .await
        .assert_contains("Modifier ma contribution");
    let form = app.get(&format!("{path}/modifier")).await;
    form.assert_contains("Des bancs dans le parc");
    let bad = app
        .post(&format!("{path}/modifier"), &[("title", ""), ("body", "")])
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    let ok = app
        .post(
            &format!("{path}/modifier"),
            &[
                ("title", "Des bancs et de l'ombre"),
                ("body", "Des bancs à l'ombre des arbres."),
            ],
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
    app.get(&path).await.assert_contains("Des bancs et de l");
    let versions = app.store().versions(id).await.expect("db");
    assert_eq!(versions.len(), 1);
    assert_eq!(versions[0].title, "Des bancs dans le parc");
    // The history is for moderators and guarantors.
    assert_eq!(
        app.get(&format!("{path}/historique")).await.status,
        StatusCode::FORBIDDEN
    );

    // Withdrawn: a placeholder, out of the list; no more edits, supports or comments.
    sign_in(&mut app, "author@example.org", &[]).await;
    let w = app.post(&format!("{path}/retirer"), &[]).await;
    assert_eq!(w.status, StatusCode::SEE_OTHER);
    app.new_visitor();
    let public = app.get(&path).await;
    public.assert_contains("retiré par son auteur");
    assert!(!public.body.contains("arbres"));
    assert!(
        !app.get("/debats/solidarites/contributions")
            .await
            .body
            .contains("Des bancs")
    );
    sign_in(&mut app, "author@example.org", &[]).await;
    assert_eq!(
        app.post(
            &format!("{path}/modifier"),
            &[("title", "x"), ("body", "y")]
        )
        .await
        .status,
        StatusCode::CONFLICT
    );
    assert_eq!(
        app.post(&format!("{path}/commentaires"), &[("body", "y")])
            .await
            .status,
        StatusCode::CONFLICT
    );
    assert_eq!(
        app.post(&format!("{path}/retirer"), &[]).await.status,
        StatusCode::CONFLICT
    );

    sign_in(&mut app, "gina@example.org", &[Role::Guarantor]).await;
    let history = app.get(&format!("{path}/historique")).await;
    assert_eq!(history.status, StatusCode::OK);
    history
        .assert_contains("Des bancs dans le parc")
        .assert_contains("Des bancs et de l");
    app.get(&path)
        .await
        .assert_contains("Historique des versions");
}

#[tokio::test]
async fn floods_of_comments_and_reports_are_slowed_down() {
    let mut app = TestApp::new().await;
    let (id, author) = setup(&app).await;
    let path = format!("/contributions/{id}");
    let bob = sign_in(&mut app, "bob@example.org", &[]).await;
    // Twenty comments in ten minutes is the most a person writes; the next waits, text kept.
    for i in 0..web::pages::discussion::MAX_COMMENTS_PER_WINDOW {
        app.store()
            .add_comment(id, None, bob, &format!("commentaire {i}"))
            .await
            .expect("comment");
    }
    let page = app
        .post(&format!("{path}/commentaires"), &[("body", "Encore un")])
        .await;
    assert_eq!(page.status, StatusCode::TOO_MANY_REQUESTS);
    page.assert_contains("patientez quelques minutes")
        .assert_contains("Encore un");
    assert_eq!(
        app.store().comments(id).await.expect("db").len() as i64,
        web::pages::discussion::MAX_COMMENTS_PER_WINDOW
    );
    // Thirty reports an hour.
    let ids: Vec<i64> = app
        .store()
        .comments(id)
        .await
        .expect("db")
        .iter()
        .map(|c| c.id)
        .collect();
    let rita = sign_in(&mut app, "rita@example.org", &[]).await;
    for (n, c) in ids.iter().enumerate() {
        app.store()
            .report(storage::Target::Comment(*c), rita, "spam", "")
            .await
            .expect("report");
        if n as i64 + 1 == web::pages::discussion::MAX_REPORTS_PER_HOUR {
            break;
        }
    }
    let c = app.store().contribution(id).await.expect("db").expect("c");
    let filed = ids
        .len()
        .min(web::pages::discussion::MAX_REPORTS_PER_HOUR as usize) as i64;
    for _ in filed..web::pages::discussion::MAX_REPORTS_PER_HOUR {
        let other = app
            .store()
            .insert_contribution(&storage::NewContribution {
                author_id: Some(author),
                ..crate::helpers::online(c.debate_id, c.question_id, "Autre", "Texte")
            })
            .await
            .expect("insert");
        app.store()
            .report(storage::Target::Contribution(other), rita, "spam", "")
            .await
            .expect("report");
    }
    let sid = id.to_string();
    let page = app
        .post(
            "/signaler",
            &[("kind", "contribution"), ("id", &sid), ("reason", "abuse")],
        )
        .await;
    assert_eq!(page.status, StatusCode::TOO_MANY_REQUESTS);
    page.assert_contains("beaucoup de signalements");
}

/// What residents found: the author was offered to support and report their own contribution;
/// cards gave no counts; an edited text was not marked, so comments answering the earlier one
/// read oddly.
#[tokio::test]
async fn authors_are_not_offered_their_own_support_and_edits_are_marked() {
    let mut app = TestApp::new().await;
    let (id, _) = setup(&app).await;
    let path = format!("/contributions/{id}");
    sign_in(&mut app, "author@example.org", &[]).await;
    let own = app.get(&path).await;
    assert!(
        !own.body
            .contains(&format!("action=\"/contributions/{id}/soutien\"")),
        "no support button for the author"
    );
    assert!(
        !own.body.contains("class=\"report\""),
        "no report form for the author"
    );
    assert!(own.body.contains("/suivre"), "the author may still follow");
    let edit = app
        .post(
            &format!("{path}/modifier"),
            &[
                ("title", "Des bancs et de l’ombre dans le parc"),
                (
                    "body",
                    "Il manque des bancs et des arbres pour les personnes âgées.",
                ),
            ],
        )
        .await;
    assert_eq!(edit.status, StatusCode::SEE_OTHER, "{}", edit.body);
    app.get(&path)
        .await
        .assert_contains("Modifiée par son auteur le");
    // Someone else: both buttons; the card counts supports and comments.
    sign_in(&mut app, "voisine@example.org", &[]).await;
    let other = app.get(&path).await;
    other
        .assert_contains(&format!("action=\"/contributions/{id}/soutien\""))
        .assert_contains("class=\"report\"");
    app.post(&format!("{path}/soutien"), &[("action", "add")])
        .await;
    let list = app.get("/debats/solidarites/contributions").await;
    list.assert_contains("1 soutien · aucun commentaire")
        .assert_contains("Modifiée par son auteur le");
    // The filters fold away on a phone, and open when one is in use.
    assert!(
        list.body.contains("<details class=\"filters-box\">"),
        "closed by default"
    );
    let filtered = app
        .get("/debats/solidarites/contributions?canal=online")
        .await;
    filtered.assert_contains("<details class=\"filters-box\" open>");
}

/// What moderators found: hiding without a reason from the queue gave a bare error page and lost
/// the form; there were no preset reasons, no debate named, no way to contest, and reporters never
/// heard back.
#[tokio::test]
async fn the_queue_explains_refusals_and_everyone_concerned_is_told() {
    let mut app = TestApp::new().await;
    let (id, _) = setup(&app).await;
    let id_s = id.to_string();
    sign_in(&mut app, "reporter@example.org", &[]).await;
    let page = app
        .post(
            "/signaler",
            &[
                ("kind", "contribution"),
                ("id", id_s.as_str()),
                ("reason", "abuse"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    sign_in(&mut app, "moderatrice@example.org", &[Role::Moderator]).await;
    let queue = app.get("/admin/moderation").await;
    queue
        .assert_contains("Nantes ouvre le dialogue sur les solidarités")
        .assert_contains("Propos injurieux ou haineux");
    // No reason at all: the queue again, the message next to this item's field.
    let refused = app
        .post(
            "/admin/moderation",
            &[
                ("kind", "contribution"),
                ("id", id_s.as_str()),
                ("decision", "hide"),
                ("reason", "  "),
            ],
        )
        .await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
    refused
        .assert_contains(&format!("f-reason-contribution-{id}-error"))
        .assert_contains("error-summary");
    assert_eq!(
        app.store()
            .contribution(id)
            .await
            .expect("db")
            .expect("c")
            .status,
        "published"
    );
    // A preset reason is enough.
    let done = app
        .post(
            "/admin/moderation",
            &[
                ("kind", "contribution"),
                ("id", id_s.as_str()),
                ("decision", "hide"),
                ("preset", "personal-data"),
                ("reason", "une adresse"),
            ],
        )
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    let c = app.store().contribution(id).await.expect("db").expect("c");
    assert_eq!(c.status, "hidden");
    assert_eq!(
        c.moderation_reason,
        "Données personnelles d'un tiers — une adresse"
    );
    let mail = app
        .last_mail_to("author@example.org")
        .await
        .expect("author told");
    assert!(
        mail.contains("votre contribution « Des bancs dans le parc » a été masquée"),
        "{mail}"
    );
    assert!(
        mail.contains("> Il manque des bancs"),
        "the text concerned is quoted: {mail}"
    );
    assert!(mail.contains("Données personnelles d'un tiers"), "{mail}");
    let told = app
        .last_mail_to("reporter@example.org")
        .await
        .expect("reporter told");
    assert!(told.contains("a été masqué"), "{told}");
    let logged: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'moderation.hide'")
            .fetch_one(app.store().pool())
            .await
            .expect("audit");
    assert_eq!(logged, 1);
}
