//! Events: staff publish them, residents register with an account or without, a full event
//! fills a waiting list in arrival order that a cancellation moves at once (also under
//! concurrency, on two instances), calendars, reminders, attendance and minutes that become
//! contributions.

use crate::helpers::{TestApp, demo, link_in, sign_in};
use domain::Role;
use reqwest::StatusCode;

/// A local time `days` from now at `hour`:00, as the form's datetime-local field takes it.
fn local(days: i64, hour: i8) -> String {
    let tz = jiff::tz::TimeZone::get("Europe/Paris").expect("tz");
    let d = jiff::Timestamp::now()
        .to_zoned(tz)
        .date()
        .checked_add(jiff::Span::new().days(days))
        .expect("date");
    format!("{d}T{hour:02}:00")
}

fn event_form<'a>(
    title: &'a str,
    starts: &'a str,
    ends: &'a str,
    capacity: &'a str,
) -> Vec<(&'a str, &'a str)> {
    vec![
        ("title", title),
        ("kind", "workshop"),
        ("description", "Un atelier **ouvert**."),
        ("address", "Maison de quartier, 1 rue de la Paix"),
        ("accessibility", "step_free"),
        ("accessibility", "childcare"),
        ("starts_at", starts),
        ("ends_at", ends),
        ("capacity", capacity),
        ("reminder_hours", "24"),
        ("reminder_text", "Apportez vos idées."),
    ]
}

/// Creates and publishes an event as the signed-in administrator; returns its id.
async fn publish_event(app: &TestApp, debate: i64, title: &str, capacity: &str) -> i64 {
    let (s, e) = (local(10, 18), local(10, 20));
    let page = app
        .post(
            &format!("/admin/evenements?debat={debate}"),
            &event_form(title, &s, &e, capacity),
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let id: i64 = page
        .location()
        .trim_start_matches("/admin/evenements/")
        .split('?')
        .next()
        .and_then(|s| s.parse().ok())
        .expect("event id");
    let p = app
        .post(
            &format!("/admin/evenements/{id}/publier"),
            &[("published", "1")],
        )
        .await;
    assert_eq!(p.status, StatusCode::SEE_OTHER, "{}", p.body);
    id
}

fn token_of(location: &str) -> String {
    location
        .trim_start_matches("/inscriptions/")
        .split('?')
        .next()
        .expect("token")
        .to_string()
}

#[tokio::test]
async fn bad_event_forms_say_what_is_wrong_and_keep_what_was_typed() {
    let mut app = TestApp::new().await;
    let (debate, _) = demo(&app).await;
    sign_in(&mut app, "admin@example.org", &[Role::Admin]).await;
    let (s, e) = (local(5, 18), local(5, 16));
    let page = app
        .post(
            &format!("/admin/evenements?debat={debate}"),
            &[
                ("title", "Un titre gardé"),
                ("kind", "workshop"),
                ("address", "Ici"),
                ("starts_at", s.as_str()),
                ("ends_at", e.as_str()),
                ("capacity", "0"),
                ("online_link", "javascript:alert(1)"),
                ("reminder_hours", "24"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST);
    page.assert_contains("f-ends_at-error")
        .assert_contains("f-capacity-error")
        .assert_contains("f-online_link-error")
        .assert_contains("value=\"Un titre gardé\"");
    for (field, value) in [
        ("capacity", "-3"),
        ("capacity", "abc"),
        ("starts_at", "demain"),
    ] {
        let mut form = event_form("T", &s, &s, "10");
        form.retain(|(k, _)| *k != field);
        form.push((field, value));
        let page = app
            .post(&format!("/admin/evenements?debat={debate}"), &form)
            .await;
        assert_eq!(page.status, StatusCode::BAD_REQUEST, "{field}={value}");
        page.assert_contains(&format!("f-{field}-error"));
    }
    // Nothing was created.
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM events WHERE title = 'Un titre gardé'")
        .fetch_one(app.store().pool())
        .await
        .expect("count");
    assert_eq!(n, 0);
    // Not an administrator: no form at all.
    sign_in(&mut app, "habitant@example.org", &[]).await;
    let page = app
        .get(&format!("/admin/evenements/nouveau?debat={debate}"))
        .await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn residents_register_with_or_without_an_account_and_the_waiting_list_moves() {
    let mut app = TestApp::new().await;
    let (debate, _) = demo(&app).await;
    sign_in(&mut app, "admin@example.org", &[Role::Admin]).await;
    // A draft is nobody's business but staff's.
    let (s, e) = (local(10, 18), local(10, 20));
    let draft = app
        .post(
            &format!("/admin/evenements?debat={debate}"),
            &event_form("Brouillon", &s, &e, "5"),
        )
        .await;
    let draft_id = draft
        .location()
        .trim_start_matches("/admin/evenements/")
        .split('?')
        .next()
        .unwrap_or("")
        .to_string();
    let id = publish_event(&app, debate, "Atelier à deux places", "2").await;

    app.new_visitor();
    assert_eq!(
        app.get(&format!("/evenements/{draft_id}")).await.status,
        StatusCode::NOT_FOUND
    );
    let agenda = app.get("/agenda").await;
    agenda.assert_contains("Atelier à deux places");
    assert!(!agenda.body.contains("Brouillon"));
    app.get(&format!("/evenements/{id}"))
        .await
        .assert_contains("2 places restantes");

    // Without an account: a contact is needed, and checked.
    let bad = app
        .post(
            &format!("/evenements/{id}/inscription"),
            &[("name", ""), ("email", "pas-un-courriel"), ("phone", "")],
        )
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    bad.assert_contains("f-name-error")
        .assert_contains("f-email-error")
        .assert_contains("value=\"pas-un-courriel\"");
    let first = app
        .post(
            &format!("/evenements/{id}/inscription"),
            &[
                ("name", "Aïcha"),
                ("email", "aicha@example.org"),
                ("phone", ""),
            ],
        )
        .await;
    assert_eq!(first.status, StatusCode::SEE_OTHER, "{}", first.body);
    assert!(
        first.location().ends_with("?inscrit=confirmed"),
        "{}",
        first.location()
    );
    let aicha = token_of(&first.location());
    let mail = app
        .last_mail_to("aicha@example.org")
        .await
        .expect("confirmation");
    assert!(mail.contains("Votre place est confirm"), "{mail}");
    assert_eq!(token_of(&link_in(&mail, "/inscriptions/")), aicha);
    // The same address twice: refused, said next to the field.
    app.new_visitor();
    let twice = app
        .post(
            &format!("/evenements/{id}/inscription"),
            &[("name", "Aïcha bis"), ("email", "AICHA@example.org")],
        )
        .await;
    assert_eq!(twice.status, StatusCode::BAD_REQUEST);
    twice.assert_contains("déjà inscrit");

    // With an account: one button, the account's name and address.
    sign_in(&mut app, "bernard@example.org", &[]).await;
    let second = app
        .post(&format!("/evenements/{id}/inscription"), &[])
        .await;
    assert_eq!(second.status, StatusCode::SEE_OTHER, "{}", second.body);
    assert!(second.location().ends_with("?inscrit=confirmed"));
    let again = app
        .post(&format!("/evenements/{id}/inscription"), &[])
        .await;
    assert_eq!(again.status, StatusCode::BAD_REQUEST);
    app.get(&format!("/evenements/{id}"))
        .await
        .assert_contains("Voir ou annuler mon inscription");

    // Full: never "1 place left", and the next ones wait in arrival order.
    app.new_visitor();
    let page = app.get(&format!("/evenements/{id}")).await;
    page.assert_contains("Complet")
        .assert_contains("liste d’attente");
    assert!(!page.body.contains("1 place restante"));
    let third = app
        .post(
            &format!("/evenements/{id}/inscription"),
            &[("name", "Chloé"), ("phone", "06 12 34 56 78")],
        )
        .await;
    assert!(
        third.location().ends_with("?inscrit=waiting"),
        "{}",
        third.location()
    );
    let chloe = token_of(&third.location());
    let fourth = app
        .post(
            &format!("/evenements/{id}/inscription"),
            &[("name", "Djibril"), ("email", "djibril@example.org")],
        )
        .await;
    let djibril = token_of(&fourth.location());
    app.get(&format!("/inscriptions/{djibril}"))
        .await
        .assert_contains("position 2 sur la liste d’attente");

    // A guessed link finds nothing; the real one cancels, and the first waiting gets the place.
    assert_eq!(
        app.get("/inscriptions/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.post("/inscriptions/devine/annuler", &[]).await.status,
        StatusCode::NOT_FOUND
    );
    let cancel = app
        .post(&format!("/inscriptions/{aicha}/annuler"), &[])
        .await;
    assert_eq!(cancel.status, StatusCode::SEE_OTHER);
    app.get(&format!("/inscriptions/{aicha}"))
        .await
        .assert_contains("Annulée");
    app.get(&format!("/inscriptions/{chloe}"))
        .await
        .assert_contains("Place confirmée");
    app.get(&format!("/inscriptions/{djibril}"))
        .await
        .assert_contains("position 1 sur la liste d’attente");
    // Chloé gave no address: nobody to mail. Djibril is still waiting: no "place freed" mail.
    assert!(
        !app.mails("djibril@example.org")
            .await
            .iter()
            .any(|m| m.contains("place s’est libérée"))
    );
    // Cancelling twice changes nothing more.
    let again = app
        .post(&format!("/inscriptions/{aicha}/annuler"), &[])
        .await;
    assert_eq!(again.status, StatusCode::SEE_OTHER);
    app.get(&format!("/inscriptions/{djibril}"))
        .await
        .assert_contains("position 1 sur la liste d’attente");

    // Staff cancel Bernard (he phoned): Djibril gets the place and is told.
    sign_in(&mut app, "admin@example.org", &[Role::Admin]).await;
    let regs = app.store().registrations(id).await.expect("registrations");
    let bernard = regs
        .iter()
        .find(|r| r.email == "bernard@example.org")
        .expect("bernard");
    let page = app
        .post(&format!("/admin/inscriptions/{}/annuler", bernard.id), &[])
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let mail = app.last_mail_to("djibril@example.org").await.expect("mail");
    assert!(mail.contains("libérée"), "{mail}");
    assert_eq!(token_of(&link_in(&mail, "/inscriptions/")), djibril);
    // The export is staff's, in the audit log.
    let csv = app
        .get(&format!("/admin/evenements/{id}/inscriptions.csv"))
        .await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(
        csv.body.contains("Djibril,djibril@example.org"),
        "{}",
        csv.body
    );
    let logged: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM audit_log WHERE action = 'event.export_registrations'",
    )
    .fetch_one(app.store().pool())
    .await
    .expect("audit");
    assert_eq!(logged, 1);
    let sheet = app
        .get(&format!("/admin/evenements/{id}/inscriptions.xlsx"))
        .await;
    assert_eq!(sheet.status, StatusCode::OK);
    assert!(sheet.body.as_bytes().starts_with(b"PK"), "an XLSX is a zip");
    sign_in(&mut app, "bernard@example.org", &[]).await;
    let page = app
        .get(&format!("/admin/evenements/{id}/inscriptions.csv"))
        .await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn registration_is_refused_when_closed_cancelled_or_in_a_draft_debate() {
    let mut app = TestApp::new().await;
    let (debate, _) = demo(&app).await;
    sign_in(&mut app, "admin@example.org", &[Role::Admin]).await;
    let id = publish_event(&app, debate, "Bientôt annulé", "").await;
    let page = app
        .post(&format!("/admin/evenements/{id}/annuler"), &[])
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    app.new_visitor();
    let page = app
        .post(
            &format!("/evenements/{id}/inscription"),
            &[("name", "Élise"), ("email", "elise@example.org")],
        )
        .await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST);
    page.assert_contains("Cet événement est annulé");
    // Registration closed yesterday.
    sign_in(&mut app, "admin@example.org", &[Role::Admin]).await;
    let (s, e, closes) = (local(3, 18), local(3, 20), local(-1, 10));
    let mut form = event_form("Clos", &s, &e, "");
    form.push(("registration_closes", closes.as_str()));
    let created = app
        .post(&format!("/admin/evenements?debat={debate}"), &form)
        .await;
    let closed: i64 = created
        .location()
        .trim_start_matches("/admin/evenements/")
        .split('?')
        .next()
        .and_then(|s| s.parse().ok())
        .expect("id");
    app.post(
        &format!("/admin/evenements/{closed}/publier"),
        &[("published", "1")],
    )
    .await;
    app.new_visitor();
    let page = app
        .post(
            &format!("/evenements/{closed}/inscription"),
            &[("name", "Fabien"), ("email", "fabien@example.org")],
        )
        .await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST);
    page.assert_contains("Les inscriptions sont closes");
    // A draft debate's event does not exist for visitors.
    sign_in(&mut app, "admin@example.org", &[Role::Admin]).await;
    let open = publish_event(&app, debate, "Débat repassé en brouillon", "").await;
    sqlx::query("UPDATE debates SET status = 'draft' WHERE id = $1")
        .bind(debate)
        .execute(app.store().pool())
        .await
        .expect("draft");
    app.store().forget_cached();
    app.new_visitor();
    let page = app
        .post(
            &format!("/evenements/{open}/inscription"),
            &[("name", "Gaëlle"), ("email", "gaelle@example.org")],
        )
        .await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM registrations WHERE email LIKE '%@example.org' AND event_id IN ($1, $2, $3)")
        .bind(id)
        .bind(closed)
        .bind(open)
        .fetch_one(app.store().pool())
        .await
        .expect("count");
    assert_eq!(n, 0);
}

/// 1,000 people at once for 30 places, through two instances: exactly 30 places, 970 waiting in
/// arrival order, nobody twice; then 10 cancellations promote exactly the next 10.
#[tokio::test]
async fn capacity_holds_under_a_thousand_simultaneous_registrations() {
    let mut app = TestApp::new().await;
    let other = app.sibling().await;
    let (debate, _) = demo(&app).await;
    sign_in(&mut app, "admin@example.org", &[Role::Admin]).await;
    let id = publish_event(&app, debate, "Très demandé", "30").await;
    let key = app.running.state.csrf_key.clone();
    let visitor = domain::Subject::visitor();
    let mut tasks = Vec::new();
    for i in 0..1000 {
        let store = if i % 2 == 0 {
            app.store().clone()
        } else {
            other.store().clone()
        };
        let (key, visitor) = (key.clone(), visitor.clone());
        tasks.push(tokio::spawn(async move {
            let r = app::events::Registration {
                contact: events::ContactDraft {
                    name: format!("Personne {i}"),
                    email: format!("p{i}@example.org"),
                    phone: String::new(),
                },
                ..Default::default()
            };
            app::events::register(&store, &visitor, &key, id, &r)
                .await
                .map(|r| r.placed)
        }));
    }
    let mut confirmed = 0;
    for t in tasks {
        match t.await.expect("task").expect("registered") {
            storage::Placed::Confirmed => confirmed += 1,
            storage::Placed::Waiting(_) => {}
        }
    }
    assert_eq!(confirmed, 30);
    let regs = app.store().registrations(id).await.expect("registrations");
    assert_eq!(regs.len(), 1000);
    let mut emails: Vec<&str> = regs.iter().map(|r| r.email.as_str()).collect();
    emails.sort();
    emails.dedup();
    assert_eq!(emails.len(), 1000, "nobody twice");
    let waiting: Vec<i64> = regs
        .iter()
        .filter(|r| r.state == "waiting")
        .map(|r| r.id)
        .collect();
    assert_eq!(waiting.len(), 970);
    // Every confirmed registration arrived before every waiting one.
    let last_confirmed = regs
        .iter()
        .filter(|r| r.state == "confirmed")
        .map(|r| r.id)
        .max()
        .expect("confirmed");
    assert!(waiting.iter().all(|w| *w > last_confirmed));
    // Ten cancellations at once, on both instances: the next ten in line get the places.
    let cancelled: Vec<_> = regs
        .iter()
        .filter(|r| r.state == "confirmed")
        .take(10)
        .cloned()
        .collect();
    let mut tasks = Vec::new();
    for (i, r) in cancelled.into_iter().enumerate() {
        let store = if i % 2 == 0 {
            app.store().clone()
        } else {
            other.store().clone()
        };
        let visitor = visitor.clone();
        tasks.push(tokio::spawn(async move {
            app::events::cancel_registration(&store, &visitor, &r).await
        }));
    }
    for t in tasks {
        t.await.expect("task").expect("cancelled");
    }
    let after = app.store().registrations(id).await.expect("registrations");
    let now_confirmed: Vec<i64> = after
        .iter()
        .filter(|r| r.state == "confirmed")
        .map(|r| r.id)
        .collect();
    assert_eq!(now_confirmed.len(), 30);
    let mut promoted: Vec<i64> = now_confirmed
        .iter()
        .filter(|c| waiting.contains(c))
        .copied()
        .collect();
    promoted.sort();
    assert_eq!(promoted, waiting[..10].to_vec());
}

#[tokio::test]
async fn calendars_carry_the_time_zone_the_version_and_the_cancellation() {
    let mut app = TestApp::new().await;
    let (debate, _) = demo(&app).await;
    sign_in(&mut app, "admin@example.org", &[Role::Admin]).await;
    let id = publish_event(&app, debate, "Atelier au calendrier", "").await;
    let ics = app.get(&format!("/evenements/{id}/calendrier.ics")).await;
    assert_eq!(ics.status, StatusCode::OK);
    assert!(
        ics.headers["content-type"]
            .to_str()
            .unwrap_or("")
            .starts_with("text/calendar")
    );
    let body = &ics.body;
    assert!(
        body.contains("BEGIN:VTIMEZONE\r\nTZID:Europe/Paris\r\n"),
        "{body}"
    );
    assert!(body.contains("DTSTART;TZID=Europe/Paris:"), "{body}");
    assert!(body.contains("SEQUENCE:0\r\n"), "{body}");
    assert!(body.lines().all(|l| l.len() <= 75), "{body}");
    // A change of hour raises the version, and those registered are told.
    app.new_visitor();
    app.post(
        &format!("/evenements/{id}/inscription"),
        &[("name", "Hugo"), ("email", "hugo@example.org")],
    )
    .await;
    sign_in(&mut app, "admin@example.org", &[Role::Admin]).await;
    let (s, e) = (local(10, 17), local(10, 19));
    let page = app
        .post(
            &format!("/admin/evenements/{id}"),
            &event_form("Atelier au calendrier", &s, &e, ""),
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let body = app
        .get(&format!("/evenements/{id}/calendrier.ics"))
        .await
        .body;
    assert!(!body.contains("SEQUENCE:0\r\n"), "{body}");
    assert!(body.contains("T170000\r\n"), "{body}");
    let mail = app.last_mail_to("hugo@example.org").await.expect("mail");
    assert!(mail.contains("Changement"), "{mail}");
    app.post(&format!("/admin/evenements/{id}/annuler"), &[])
        .await;
    let body = app.get("/debats/solidarites/agenda.ics").await.body;
    assert!(body.contains("STATUS:CANCELLED"), "{body}");
    assert!(body.contains("Atelier au calendrier"));
    let mail = app.last_mail_to("hugo@example.org").await.expect("mail");
    assert!(mail.contains("est annulé"), "{mail}");
}

#[tokio::test]
async fn reminders_go_at_their_time_with_the_organisers_text_and_only_for_the_current_version() {
    let mut app = TestApp::new().await;
    let (debate, _) = demo(&app).await;
    sign_in(&mut app, "admin@example.org", &[Role::Admin]).await;
    let id = publish_event(&app, debate, "Atelier avec rappel", "").await;
    app.new_visitor();
    app.post(
        &format!("/evenements/{id}/inscription"),
        &[("name", "Inès"), ("email", "ines@example.org")],
    )
    .await;
    app.drain_jobs().await;
    let reminder = |seq: i64| format!("event-reminder-{id}-{seq}");
    let run_at: i64 = sqlx::query_scalar("SELECT run_at FROM jobs WHERE dedup_key = $1")
        .bind(reminder(0))
        .fetch_one(app.store().pool())
        .await
        .expect("reminder queued");
    let e = app.store().event(id).await.expect("db").expect("event");
    assert_eq!(run_at, e.starts_at - 24 * 3600);
    // Its time comes: Inès is reminded, with the organiser's text.
    sqlx::query("UPDATE jobs SET run_at = $1 WHERE dedup_key = $2")
        .bind(storage::now())
        .bind(reminder(0))
        .execute(app.store().pool())
        .await
        .expect("due");
    let mail = app.last_mail_to("ines@example.org").await.expect("mail");
    assert!(mail.contains("Rappel"), "{mail}");
    assert!(mail.contains("Apportez vos id"), "{mail}");
    let before = app.mails_to("ines@example.org").await;
    // After a change, the old version's reminder says nothing; the new one is queued.
    sign_in(&mut app, "admin@example.org", &[Role::Admin]).await;
    let (s, e2) = (local(12, 18), local(12, 20));
    app.post(
        &format!("/admin/evenements/{id}"),
        &event_form("Atelier avec rappel", &s, &e2, ""),
    )
    .await;
    let queued: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM jobs WHERE kind = 'event_reminder' AND state = 'queued' AND payload LIKE $1",
    )
    .bind(format!("%\"event_id\":{id},%"))
    .fetch_one(app.store().pool())
    .await
    .expect("jobs");
    assert_eq!(queued, 1);
    let changed = app.mails_to("ines@example.org").await;
    assert_eq!(
        changed,
        before + 1,
        "one mail for the change, no reminder yet"
    );
}

#[tokio::test]
async fn facilitators_take_attendance_and_turn_minutes_into_contributions() {
    let mut app = TestApp::new().await;
    let (debate, qs) = demo(&app).await;
    let fac = app
        .create_user("animatrice@example.org", &[Role::Facilitator])
        .await;
    app.create_user("autre@example.org", &[Role::Facilitator])
        .await;
    sign_in(&mut app, "admin@example.org", &[Role::Admin]).await;
    let id = publish_event(&app, debate, "Atelier animé", "").await;
    // Assign the facilitator through the form.
    let (s, e) = (local(10, 18), local(10, 20));
    let fac_s = fac.to_string();
    let mut form = event_form("Atelier animé", &s, &e, "");
    form.push(("facilitators", fac_s.as_str()));
    let page = app.post(&format!("/admin/evenements/{id}"), &form).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    app.new_visitor();
    app.post(
        &format!("/evenements/{id}/inscription"),
        &[("name", "Jean"), ("email", "jean@example.org")],
    )
    .await;
    let jean = app.store().registrations(id).await.expect("db")[0].id;

    // Another facilitator may not; a visitor must sign in.
    assert_eq!(
        app.get(&format!("/evenements/{id}/presence")).await.status,
        StatusCode::SEE_OTHER
    );
    sign_in(&mut app, "autre@example.org", &[Role::Facilitator]).await;
    assert_eq!(
        app.get(&format!("/evenements/{id}/presence")).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.post(
            &format!("/evenements/{id}/compte-rendu"),
            &[("minutes", "x")]
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );

    sign_in(&mut app, "animatrice@example.org", &[Role::Facilitator]).await;
    let sheet = app.get(&format!("/evenements/{id}/presence")).await;
    sheet.assert_contains("Jean");
    let jean_s = jean.to_string();
    let cat = app.store().categories().await.expect("db")[0]
        .id
        .to_string();
    let bad = app
        .post(
            &format!("/evenements/{id}/presence"),
            &[
                ("present", jean_s.as_str()),
                ("walk_in_count", "-2"),
                ("add_walk_ins", "1"),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    bad.assert_contains("f-walk_in_count-error");
    let ok = app
        .post(
            &format!("/evenements/{id}/presence"),
            &[
                ("present", jean_s.as_str()),
                ("walk_in_count", "3"),
                ("walk_in_category", cat.as_str()),
                ("add_walk_ins", "1"),
            ],
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
    let a = app.store().attendance(id).await.expect("db");
    assert_eq!((a.registered_present, a.walk_ins), (1, 3));

    // Minutes: a bad point is named on its own row and nothing is stored.
    let q = qs[0].id.to_string();
    let bad = app
        .post(
            &format!("/evenements/{id}/compte-rendu"),
            &[
                ("minutes", "Résumé"),
                ("point-0-question", q.as_str()),
                ("point-0-title", "Un lieu ouvert le soir"),
                ("point-0-body", "Il manque un lieu chauffé le soir."),
                ("point-1-question", q.as_str()),
                ("point-1-title", ""),
                ("point-1-body", ""),
                ("point-2-question", "999999"),
                ("point-2-title", "Titre"),
                ("point-2-body", "Texte"),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    bad.assert_contains("f-point-2-question")
        .assert_contains("value=\"Un lieu ouvert le soir\"");
    assert!(
        app.store()
            .event_contribution_ids(id)
            .await
            .expect("db")
            .is_empty()
    );
    let ok = app
        .post(
            &format!("/evenements/{id}/compte-rendu"),
            &[
                ("minutes", "Huit personnes ; trois idées."),
                ("point-0-question", q.as_str()),
                ("point-0-title", "Un lieu ouvert le soir"),
                ("point-0-body", "Il manque un lieu chauffé le soir."),
                ("point-0-category", cat.as_str()),
            ],
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
    let ids = app.store().event_contribution_ids(id).await.expect("db");
    assert_eq!(ids.len(), 1);
    let c = app
        .store()
        .contribution(ids[0])
        .await
        .expect("db")
        .expect("c");
    assert_eq!(c.channel, "workshop");
    assert_eq!(c.event_id, Some(id));
    assert!(c.place.contains("Maison de quartier"), "{}", c.place);
    assert_eq!(
        c.received_at,
        Some(
            app.store()
                .event(id)
                .await
                .expect("db")
                .expect("e")
                .starts_at
        )
    );
    assert_eq!(c.entered_by, Some(fac));
    // Both ways: the event shows what was said, the contribution says where.
    app.new_visitor();
    app.get(&format!("/evenements/{id}"))
        .await
        .assert_contains("Ce qui s’est dit ici")
        .assert_contains(&format!("/contributions/{}", ids[0]));
    app.get(&format!("/contributions/{}", ids[0]))
        .await
        .assert_contains("Dit lors de")
        .assert_contains(&format!("href=\"/evenements/{id}\""));
}

#[tokio::test]
async fn the_demo_has_workshops_a_full_one_with_a_waiting_list_and_the_assises() {
    let app = TestApp::new().await;
    concorde::demo::load_all(app.store(), storage::now())
        .await
        .expect("demo");
    let agenda = app.get("/debats/solidarites/agenda").await;
    agenda
        .assert_contains("Atelier : la précarité et l’isolement aujourd’hui")
        .assert_contains("Complet : 3 personnes en liste d’attente")
        .assert_contains("Stand de la solidarité au marché de Talensac")
        .assert_contains("/programmes/assises-de-la-solidarite");
    let programme = app.get("/programmes/assises-de-la-solidarite").await;
    programme
        .assert_contains("Table ronde : s’engager autrement")
        .assert_contains("Claire Dubois")
        .assert_contains("Grand auditorium");
    let past = app.get("/agenda?quand=passes").await;
    past.assert_contains("Nantes Nord");
    // The debate's page counts its events and who came.
    app.get("/debats/solidarites")
        .await
        .assert_contains("11 à venir · 8 personnes venues à 1 événement");
}

#[tokio::test]
async fn open_data_has_the_events_and_their_attendance_without_a_name() {
    let app = TestApp::new().await;
    concorde::demo::load_all(app.store(), storage::now())
        .await
        .expect("demo");
    let page = app.get("/debats/solidarites/donnees").await;
    page.assert_contains("/debats/solidarites/donnees/events.csv")
        .assert_contains("/debats/solidarites/donnees/attendance.jsonl");
    let events = app.get("/debats/solidarites/donnees/events.csv").await;
    assert_eq!(events.status, StatusCode::OK);
    let mut lines = events.body.lines();
    assert_eq!(
        lines.next(),
        Some(
            "id,kind,title,quartier,address,starts_at,ends_at,status,capacity,registered,waiting,present,walk_ins,contributions"
        )
    );
    let held = events
        .body
        .lines()
        .find(|l| l.contains("Nantes Nord"))
        .expect("the held workshop");
    // 6 registered, 5 present, 3 walk-ins, 3 contributions from its minutes.
    assert!(held.ends_with(",held,20,6,0,5,3,3"), "{held}");
    let attendance = app
        .get("/debats/solidarites/donnees/attendance.jsonl")
        .await;
    assert_eq!(attendance.status, StatusCode::OK);
    let people: i64 = attendance
        .body
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).expect("json")["people"]
                .as_i64()
                .expect("people")
        })
        .sum();
    assert_eq!(people, 8);
    // Names and addresses of those registered never leave.
    for file in [
        "events.csv",
        "attendance.csv",
        "events.xlsx",
        "attendance.jsonl",
    ] {
        let body = app
            .get(&format!("/debats/solidarites/donnees/{file}"))
            .await
            .body;
        assert!(
            !body.contains("example.org") && !body.contains("Aïcha"),
            "{file}"
        );
    }
}

#[tokio::test]
async fn programmes_have_speakers_with_photos_linked_to_their_sessions() {
    use reqwest::multipart::{Form, Part};
    const PNG: &[u8] = include_bytes!("../../demo/solidarites.png");
    let mut app = TestApp::new().await;
    let (debate, _) = demo(&app).await;
    sign_in(&mut app, "admin@example.org", &[Role::Admin]).await;
    let debate_s = debate.to_string();
    let bad = app
        .post(
            "/admin/programmes",
            &[
                ("debate", debate_s.as_str()),
                ("title", ""),
                ("slug", "Pas bon!"),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    bad.assert_contains("f-title-error")
        .assert_contains("f-slug-error");
    let ok = app
        .post(
            "/admin/programmes",
            &[
                ("debate", debate_s.as_str()),
                ("title", "Assises 2027"),
                ("slug", "assises-2027"),
                ("published", "1"),
            ],
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
    let p = app
        .store()
        .programme_by_slug("assises-2027")
        .await
        .expect("db")
        .expect("programme");
    let speaker = |name: &str, photo: Option<(Vec<u8>, &str)>, csrf: String| {
        let mut form = Form::new()
            .text("csrf", csrf)
            .text("name", name.to_string())
            .text("role", "Sociologue");
        if let Some((bytes, filename)) = photo {
            form = form.part("photo", Part::bytes(bytes).file_name(filename.to_string()));
        }
        form
    };
    let path = format!("/admin/programmes/{}/intervenants", p.id);
    // A 10 MB photo, a text file named .png: refused next to the field, nothing stored.
    let mut huge = PNG.to_vec();
    huge.resize(10_000_000, 0);
    for (bytes, name, message) in [
        (huge, "grande.png", "trop lourde"),
        (b"pas une image".to_vec(), "faux.png", "image"),
    ] {
        let csrf = app.csrf().await;
        let page = app
            .post_multipart(&path, speaker("Claire", Some((bytes, name)), csrf))
            .await;
        assert_eq!(page.status, StatusCode::BAD_REQUEST, "{name}");
        page.assert_contains(&format!("f-speaker-photo-{}-error", p.id))
            .assert_contains(message);
    }
    assert!(app.store().speakers(p.id).await.expect("db").is_empty());
    let csrf = app.csrf().await;
    let page = app
        .post_multipart(
            &path,
            speaker("Claire Dubois", Some((PNG.to_vec(), "claire.png")), csrf),
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let claire = app.store().speakers(p.id).await.expect("db").remove(0);
    let photo = claire.photo_file_id.expect("photo kept");
    // A session of the programme, with its speaker, chosen on the event form.
    let (s, e) = (local(40, 10), local(40, 12));
    let claire_s = claire.id.to_string();
    let programme_s = p.id.to_string();
    let mut form = event_form("Conférence d’ouverture", &s, &e, "");
    form.push(("speakers", claire_s.as_str()));
    let refused = app
        .post(&format!("/admin/evenements?debat={debate}"), &form)
        .await;
    assert_eq!(
        refused.status,
        StatusCode::BAD_REQUEST,
        "speakers need the programme"
    );
    refused.assert_contains("id=\"f-speakers\"");
    form.push(("programme", programme_s.as_str()));
    let created = app
        .post(&format!("/admin/evenements?debat={debate}"), &form)
        .await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
    let id: i64 = created
        .location()
        .trim_start_matches("/admin/evenements/")
        .split('?')
        .next()
        .and_then(|s| s.parse().ok())
        .expect("id");
    app.post(
        &format!("/admin/evenements/{id}/publier"),
        &[("published", "1")],
    )
    .await;
    app.new_visitor();
    let page = app.get("/programmes/assises-2027").await;
    page.assert_contains("Conférence d’ouverture")
        .assert_contains("Claire Dubois")
        .assert_contains(&format!("src=\"/fichiers/{photo}\""))
        .assert_contains(&format!("href=\"/evenements/{id}\""));
    assert_eq!(
        app.get(&format!("/fichiers/{photo}")).await.status,
        StatusCode::OK
    );
}
