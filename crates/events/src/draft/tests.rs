use super::*;

fn paris() -> TimeZone {
    TimeZone::get("Europe/Paris").expect("bundled tzdb has Europe/Paris")
}

/// An edit to the good draft, for table tests.
type Change = fn(&mut EventDraft);

fn good() -> EventDraft {
    EventDraft {
        title: "Atelier du quartier des Capucins".into(),
        description: "On parle **mobilités**.".into(),
        kind: "workshop".into(),
        quartier: "Capucins".into(),
        address: "12 rue de la Paix, Angers".into(),
        access_notes: "Tram A, arrêt Capucins".into(),
        accessibility: "step_free,hearing_loop".into(),
        starts_at: "2027-03-14T18:00".into(),
        ends_at: "2027-03-14T20:00".into(),
        capacity: "30".into(),
        ..Default::default()
    }
}

fn with(change: impl FnOnce(&mut EventDraft)) -> EventDraft {
    let mut d = good();
    change(&mut d);
    d
}

/// The error on `field`, or `None` when the draft is valid or that field is fine.
fn error_on(d: &EventDraft, field: &str) -> Option<&'static str> {
    d.validate(&paris()).err().and_then(|e| e.get(field))
}

#[test]
fn a_good_draft_gives_typed_values() {
    let input = good().validate(&paris()).expect("valid");
    assert_eq!(input.title, "Atelier du quartier des Capucins");
    assert_eq!(input.kind, EventKind::Workshop);
    assert_eq!(input.starts_at.to_string(), "2027-03-14T17:00:00Z");
    assert_eq!(input.ends_at.to_string(), "2027-03-14T19:00:00Z");
    assert_eq!(input.capacity, Some(30));
    assert_eq!(input.reminder_hours, DEFAULT_REMINDER_HOURS);
    assert_eq!(input.online_link, None);
    assert_eq!(input.reminder_text, None);
    assert!(input.accessibility.step_free && input.accessibility.hearing_loop);
    assert_eq!(
        input.reminder_at().map(|t| t.to_string()),
        Some("2027-03-13T17:00:00Z".into())
    );
}

#[test]
fn each_bad_input_names_its_field_and_key() {
    let cases: &[(&str, Change, &str, &str)] = &[
        (
            "empty title",
            |d| d.title = "  ".into(),
            "title",
            "event-error-title-required",
        ),
        (
            "long title",
            |d| d.title = "é".repeat(201),
            "title",
            "event-error-title-too-long",
        ),
        (
            "unknown kind",
            |d| d.kind = "party".into(),
            "kind",
            "event-error-kind-invalid",
        ),
        (
            "end before start",
            |d| d.ends_at = "2027-03-14T17:00".into(),
            "ends_at",
            "event-error-end-before-start",
        ),
        (
            "end equals start",
            |d| d.ends_at = "2027-03-14T18:00".into(),
            "ends_at",
            "event-error-end-before-start",
        ),
        (
            "capacity zero",
            |d| d.capacity = "0".into(),
            "capacity",
            "event-error-capacity-positive",
        ),
        (
            "capacity negative",
            |d| d.capacity = "-5".into(),
            "capacity",
            "event-error-capacity-positive",
        ),
        (
            "capacity words",
            |d| d.capacity = "abc".into(),
            "capacity",
            "event-error-capacity-invalid",
        ),
        (
            "capacity decimal",
            |d| d.capacity = "2.5".into(),
            "capacity",
            "event-error-capacity-invalid",
        ),
        (
            "capacity huge",
            |d| d.capacity = "99999999999999999999999".into(),
            "capacity",
            "event-error-capacity-too-large",
        ),
        (
            "start missing",
            |d| d.starts_at = String::new(),
            "starts_at",
            "event-error-date-required",
        ),
        (
            "start nonsense",
            |d| d.starts_at = "tomorrow".into(),
            "starts_at",
            "event-error-date-invalid",
        ),
        (
            "start 30 February",
            |d| d.starts_at = "2027-02-30T18:00".into(),
            "starts_at",
            "event-error-date-invalid",
        ),
        (
            "start in year 27",
            |d| d.starts_at = "0027-03-14T18:00".into(),
            "starts_at",
            "event-error-date-invalid",
        ),
        (
            "end bad hour",
            |d| d.ends_at = "2027-03-14T25:00".into(),
            "ends_at",
            "event-error-date-invalid",
        ),
        (
            "link ftp",
            |d| d.online_link = "ftp://example.org/x".into(),
            "online_link",
            "event-error-link-invalid",
        ),
        (
            "link javascript",
            |d| d.online_link = "javascript:alert(1)".into(),
            "online_link",
            "event-error-link-invalid",
        ),
        (
            "link no host",
            |d| d.online_link = "https:///path".into(),
            "online_link",
            "event-error-link-invalid",
        ),
        (
            "link spaces",
            |d| d.online_link = "https://visio.example.org/my room".into(),
            "online_link",
            "event-error-link-invalid",
        ),
        (
            "link bare",
            |d| d.online_link = "visio.example.org".into(),
            "online_link",
            "event-error-link-invalid",
        ),
        (
            "closes after end",
            |d| d.registration_closes = "2027-03-14T21:00".into(),
            "registration_closes",
            "event-error-registration-closes-after-end",
        ),
        (
            "closes nonsense",
            |d| d.registration_closes = "soon".into(),
            "registration_closes",
            "event-error-date-invalid",
        ),
        (
            "opens after start",
            |d| d.registration_opens = "2027-03-14T19:00".into(),
            "registration_opens",
            "event-error-registration-opens-after-start",
        ),
        (
            "opens after closes",
            |d| {
                d.registration_opens = "2027-03-10T12:00".into();
                d.registration_closes = "2027-03-09T12:00".into();
            },
            "registration_opens",
            "event-error-registration-opens-after-closes",
        ),
        (
            "reminder too far",
            |d| d.reminder_hours = "721".into(),
            "reminder_hours",
            "event-error-reminder-range",
        ),
        (
            "reminder negative",
            |d| d.reminder_hours = "-1".into(),
            "reminder_hours",
            "event-error-reminder-range",
        ),
        (
            "reminder words",
            |d| d.reminder_hours = "a day".into(),
            "reminder_hours",
            "event-error-reminder-invalid",
        ),
        (
            "reminder text long",
            |d| d.reminder_text = "x".repeat(1_001),
            "reminder_text",
            "event-error-reminder-text-too-long",
        ),
        (
            "unknown arrangement",
            |d| d.accessibility = "lift".into(),
            "accessibility",
            "event-error-accessibility-invalid",
        ),
        (
            "nowhere",
            |d| d.address = " ".into(),
            "address",
            "event-error-place-required",
        ),
        (
            "long quartier",
            |d| d.quartier = "q".repeat(101),
            "quartier",
            "event-error-quartier-too-long",
        ),
    ];
    for (name, change, field, key) in cases {
        let d = with(*change);
        assert_eq!(error_on(&d, field), Some(*key), "{name}");
        assert!(
            ERROR_KEYS.contains(key),
            "{name}: {key} missing from ERROR_KEYS"
        );
    }
}

#[test]
fn edge_values_that_are_fine() {
    let cases: &[(&str, Change)] = &[
        ("title of exactly 200 chars", |d| d.title = "é".repeat(200)),
        ("unlimited capacity", |d| d.capacity = " ".into()),
        ("capacity with plus", |d| d.capacity = "+12".into()),
        ("reminder off", |d| d.reminder_hours = "0".into()),
        ("reminder 720 h", |d| d.reminder_hours = "720".into()),
        ("closes at the end", |d| {
            d.registration_closes = "2027-03-14T20:00".into()
        }),
        ("online only", |d| {
            d.address = String::new();
            d.online_link = "HTTPS://visio.example.org:8443/salle?id=3#x".into();
        }),
        ("link with user and ipv6", |d| {
            d.online_link = "http://guest@[::1]/".into()
        }),
        ("seconds sent by the browser", |d| {
            d.starts_at = "2027-03-14T18:00:00".into()
        }),
    ];
    for (name, change) in cases {
        let d = with(*change);
        assert!(
            d.validate(&paris()).is_ok(),
            "{name}: {:?}",
            d.validate(&paris()).err()
        );
    }
}

#[test]
fn all_errors_are_reported_at_once() {
    let d = EventDraft::default();
    let errors = d.validate(&paris()).expect_err("empty form");
    assert_eq!(errors.get("title"), Some("event-error-title-required"));
    assert_eq!(errors.get("kind"), Some("event-error-kind-invalid"));
    assert_eq!(errors.get("starts_at"), Some("event-error-date-required"));
    assert_eq!(errors.get("ends_at"), Some("event-error-date-required"));
    assert_eq!(errors.get("address"), Some("event-error-place-required"));
    assert_eq!(errors.get("capacity"), None);
}

#[test]
fn an_event_across_the_spring_change_keeps_its_real_length() {
    // 01:30 → 03:30 on the night clocks go forward is one hour, not two.
    let d = with(|d| {
        d.starts_at = "2027-03-28T01:30".into();
        d.ends_at = "2027-03-28T03:30".into();
    });
    let input = d.validate(&paris()).expect("valid");
    assert_eq!(input.ends_at.duration_since(input.starts_at).as_hours(), 1);
}

#[test]
fn a_time_in_the_gap_is_accepted_and_an_end_in_the_fold_is_compared_as_an_instant() {
    let d = with(|d| {
        d.starts_at = "2027-03-28T02:15".into();
        d.ends_at = "2027-03-28T03:00".into();
    });
    // 02:15 does not exist; it reads as 03:15, which is after 03:00.
    assert_eq!(
        error_on(&d, "ends_at"),
        Some("event-error-end-before-start")
    );
    assert_eq!(error_on(&d, "starts_at"), None);
}

#[test]
fn no_input_makes_it_panic() {
    let long = "9".repeat(400);
    let odd = [
        "",
        " ",
        "\u{0}",
        "-",
        "+",
        "--1",
        &long,
        "2027-03-14T18:00\u{202e}",
        "💥",
        "https://",
        "http://@",
        "https://[",
        "0",
        "-0",
        "-99999999999999999999",
        "9999-12-31T23:59",
        "0000-01-01T00:00",
        "2027-03-14T18:00:60",
    ]
    .map(String::from);
    for s in &odd {
        let d = EventDraft {
            title: s.clone(),
            kind: s.clone(),
            starts_at: s.clone(),
            ends_at: s.clone(),
            online_link: s.clone(),
            capacity: s.clone(),
            registration_opens: s.clone(),
            registration_closes: s.clone(),
            reminder_hours: s.clone(),
            accessibility: s.clone(),
            ..Default::default()
        };
        for tz in [
            paris(),
            TimeZone::UTC,
            TimeZone::fixed(jiff::tz::offset(-12)),
        ] {
            let _ = d.validate(&tz);
        }
    }
}

#[test]
fn an_input_shows_again_as_the_same_form() {
    let d = with(|d| {
        d.online_link = "https://visio.example.org/salle".into();
        d.registration_closes = "2027-03-13T12:00".into();
        d.reminder_hours = "48".into();
        d.reminder_text = "Apportez votre tasse".into();
    });
    let input = d.validate(&paris()).expect("valid");
    let again = EventDraft::from_input(&input, &paris());
    assert_eq!(again.validate(&paris()), Ok(input));
    assert_eq!(again.starts_at, "2027-03-14T18:00");
}
