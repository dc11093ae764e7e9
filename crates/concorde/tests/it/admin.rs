//! The staff area: who reaches what, role management, the audit log, the instance's lists.

use crate::helpers::TestApp;
use domain::Role;
use reqwest::StatusCode;

/// Every staff page for every kind of person: visitors are sent to the login page, people
/// without the right role get 403, the others 200.
#[tokio::test]
async fn role_matrix_over_http() {
    let mut app = TestApp::new().await;
    let pages = [
        "/admin",
        "/admin/debats",
        "/admin/debats/nouveau",
        "/admin/utilisateurs",
        "/admin/listes",
        "/admin/journal",
    ];
    // (who, expected status per page)
    let table: [(Option<Role>, [u16; 6]); 7] = [
        (None, [303, 303, 303, 303, 303, 303]),
        (Some(Role::Admin), [200, 200, 200, 200, 200, 200]),
        (Some(Role::Moderator), [200, 403, 403, 403, 403, 403]),
        (Some(Role::Analyst), [200, 403, 403, 403, 403, 403]),
        (Some(Role::Facilitator), [200, 403, 403, 403, 403, 403]),
        (Some(Role::Guarantor), [200, 403, 403, 403, 403, 200]),
        (Some(Role::Jury), [200, 403, 403, 403, 403, 403]),
    ];
    for (who, expected) in table {
        match who {
            None => app.new_visitor(),
            Some(r) => {
                app.as_role(&[r]).await;
            }
        }
        for (path, want) in pages.iter().zip(expected) {
            let page = app.get(path).await;
            assert_eq!(page.status.as_u16(), want, "{who:?} GET {path}");
        }
    }
    // A participant without any role has no staff area at all.
    app.as_role(&[]).await;
    assert_eq!(app.get("/admin").await.status, StatusCode::FORBIDDEN);
    app.get("/admin").await.assert_contains("Accès refusé");
}

#[tokio::test]
async fn admins_grant_and_revoke_roles_and_everything_is_logged() {
    let mut app = TestApp::new().await;
    let admin = app.as_role(&[Role::Admin]).await;
    let target = app.create_user("garante@example.org", &[]).await;
    let path = format!("/admin/utilisateurs/{target}/roles");
    let page = app
        .post(&path, &[("role", "guarantor"), ("role", "moderator")])
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert_eq!(
        app.store().roles_of(target).await.expect("db"),
        vec![Role::Guarantor, Role::Moderator]
    );
    let page = app.post(&path, &[("role", "guarantor")]).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert_eq!(
        app.store().roles_of(target).await.expect("db"),
        vec![Role::Guarantor]
    );
    // An unknown role is a bad request, not a silent success.
    assert_eq!(
        app.post(&path, &[("role", "emperor")]).await.status,
        StatusCode::BAD_REQUEST
    );

    let log = app.store().audit_page(None, 50).await.expect("db");
    let actions: Vec<(&str, &str)> = log
        .iter()
        .map(|e| (e.action.as_str(), e.detail.as_str()))
        .collect();
    assert!(actions.contains(&("role.grant", "guarantor")));
    assert!(actions.contains(&("role.revoke", "moderator")));
    assert!(
        log.iter()
            .all(|e| e.action.starts_with("role.") && e.actor_id == Some(admin))
    );

    // The guarantor reads the log in the interface.
    app.new_visitor();
    assert_eq!(
        app.login("garante@example.org", crate::helpers::PASSWORD)
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    app.get("/admin/journal")
        .await
        .assert_contains("role.revoke");

    // The last administrator cannot remove their own role, nor block themselves.
    let mut app2 = TestApp::new().await;
    let only = app2.as_role(&[Role::Admin]).await;
    let page = app2
        .post(&format!("/admin/utilisateurs/{only}/roles"), &[])
        .await;
    assert_eq!(page.location(), "/admin/utilisateurs?erreur=last-admin");
    assert_eq!(
        app2.store().roles_of(only).await.expect("db"),
        vec![Role::Admin]
    );
    app2.get("/admin/utilisateurs?erreur=last-admin")
        .await
        .assert_contains("au moins un·e administrateur·rice");
}

#[tokio::test]
async fn blocking_ends_sessions() {
    let mut app = TestApp::new().await;
    let mut victim = app.sibling().await;
    let victim_id = victim.as_role(&[]).await;
    assert_eq!(victim.get("/profil").await.status, StatusCode::OK);
    app.as_role(&[Role::Admin]).await;
    let page = app
        .post(
            &format!("/admin/utilisateurs/{victim_id}/roles"),
            &[("blocked", "on")],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert_eq!(victim.get("/profil").await.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn lists_of_categories_and_quartiers() {
    let mut app = TestApp::new().await;
    app.as_role(&[Role::Admin]).await;
    let page = app
        .post(
            "/admin/listes",
            &[
                ("cat_new", "Habitants"),
                ("caten_new", "Residents"),
                ("q_new", "Nantes Sud"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let cats = app.store().categories().await.expect("db");
    assert_eq!(cats.len(), 1);
    assert_eq!(cats[0].name_en, "Residents");
    let q = app.store().quartiers().await.expect("db");
    // Renaming an existing entry to empty is refused beside the field; a duplicate too.
    let key = format!("cat_{}", cats[0].id);
    let qkey = format!("q_{}", q[0].id);
    let page = app
        .post(
            "/admin/listes",
            &[(&key, " "), (&qkey, "Nantes Sud"), ("q_new", "nantes sud")],
        )
        .await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST);
    page.assert_contains("Ce champ est obligatoire")
        .assert_contains("Ce nom existe déjà");
    assert_eq!(
        app.store().categories().await.expect("db")[0].name,
        "Habitants"
    );
    assert_eq!(app.store().quartiers().await.expect("db").len(), 1);
}

#[tokio::test]
async fn a_blocked_administrator_does_not_count_as_the_last_one() {
    let mut app = TestApp::new().await;
    let only = app.as_role(&[Role::Admin]).await;
    let blocked = app.create_user("bloque@example.org", &[Role::Admin]).await;
    app.store().set_blocked(blocked, true).await.expect("block");
    let page = app
        .post(&format!("/admin/utilisateurs/{only}/roles"), &[])
        .await;
    assert_eq!(page.location(), "/admin/utilisateurs?erreur=last-admin");
    assert_eq!(
        app.store().roles_of(only).await.expect("db"),
        vec![Role::Admin]
    );
}

#[tokio::test]
async fn two_quartiers_can_swap_names() {
    let mut app = TestApp::new().await;
    app.as_role(&[Role::Admin]).await;
    let page = app.post("/admin/listes", &[("q_new", "Nantes Sud")]).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    app.post("/admin/listes", &[("q_new", "Nantes Nord")]).await;
    let q = app.store().quartiers().await.expect("db");
    let (a, b) = (format!("q_{}", q[0].id), format!("q_{}", q[1].id));
    let page = app
        .post("/admin/listes", &[(&a, "Nantes Nord"), (&b, "Nantes Sud")])
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let names: Vec<String> = app
        .store()
        .quartiers()
        .await
        .expect("db")
        .into_iter()
        .map(|q| q.name)
        .collect();
    assert_eq!(names, ["Nantes Nord", "Nantes Sud"]);
}

/// What guarantors found: the log showed raw codes and objects that were not links.
#[tokio::test]
async fn the_journal_reads_in_words_with_links_to_what_it_names() {
    let mut app = TestApp::new().await;
    let (_, qs) = crate::helpers::demo(&app).await;
    crate::helpers::sign_in(&mut app, "animateur@example.org", &[Role::Facilitator]).await;
    let q = qs[0].id.to_string();
    let page = app
        .post(
            "/debats/solidarites/saisie",
            &[
                ("channel", "paper"),
                ("question_id", q.as_str()),
                ("kind", "individual"),
                ("title", "Un banc"),
                ("body", "Un banc près de l'arrêt."),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let id = page
        .location()
        .trim_start_matches("/contributions/")
        .split('?')
        .next()
        .unwrap_or("")
        .to_string();
    crate::helpers::sign_in(&mut app, "garante@example.org", &[Role::Guarantor]).await;
    let journal = app.get("/admin/journal").await;
    journal
        .assert_contains("Contribution saisie hors ligne")
        .assert_contains(&format!(
            "<a href=\"/contributions/{id}\">contribution n° {id}</a>"
        ));
}
