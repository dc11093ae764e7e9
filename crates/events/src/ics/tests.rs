//! The writer's output is read back with the `ical` crate, a parser that shares no code
//! with it. That parser neither unescapes TEXT nor keeps a space that ends a folded line
//! segment, so texts are compared after our own unescaping, and long texts are checked
//! with our own unfolding instead.

use std::io::BufReader;

use ical::IcalParser;
use ical::parser::ical::component::{IcalCalendar, IcalTimeZoneTransitionType};
use ical::property::Property;
use jiff::civil::DateTime;

use super::line::tests::unfold;
use super::*;

fn paris() -> TimeZone {
    TimeZone::get("Europe/Paris").expect("bundled tzdb has Europe/Paris")
}

fn at(s: &str) -> Timestamp {
    s.parse().expect("test timestamp")
}

fn event(id: u32, start: &str, end: &str) -> IcsEvent {
    IcsEvent {
        uid: format!("event-{id}@concertation.example.fr"),
        sequence: 0,
        title: "Atelier mobilités, quartier Saint-Serge".into(),
        description: "Venez nombreux ; on parle vélo.\nGoûter offert".into(),
        location: "Salle Jean-Moulin, 12 rue de la Paix".into(),
        url: format!("https://concertation.example.fr/events/{id}"),
        start: at(start),
        end: at(end),
        status: EventStatus::Scheduled,
        last_modified: at("2027-01-10T09:00:00Z"),
    }
}

fn parse(s: &str) -> IcalCalendar {
    let mut parser = IcalParser::new(BufReader::new(s.as_bytes()));
    let cal = parser
        .next()
        .expect("one calendar")
        .unwrap_or_else(|e| panic!("the ical crate rejects our output: {e}\n{s}"));
    assert!(parser.next().is_none(), "a single VCALENDAR");
    cal
}

fn prop<'a>(props: &'a [Property], name: &str) -> &'a Property {
    props
        .iter()
        .find(|p| p.name == name)
        .unwrap_or_else(|| panic!("no {name}"))
}

fn value<'a>(props: &'a [Property], name: &str) -> &'a str {
    prop(props, name).value.as_deref().unwrap_or_default()
}

fn param<'a>(p: &'a Property, name: &str) -> Option<&'a str> {
    let params = p.params.as_ref()?;
    let (_, values) = params.iter().find(|(n, _)| n == name)?;
    values.first().map(String::as_str)
}

/// The reverse of `escape_text`, for comparing what the parser hands back.
fn unescape(s: &str) -> String {
    let mut out = String::new();
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        match (c, c == '\\') {
            (_, true) => match chars.next() {
                Some('n' | 'N') => out.push('\n'),
                Some(other) => out.push(other),
                None => {}
            },
            (c, false) => out.push(c),
        }
    }
    out
}

fn assert_lines_well_formed(ics: &str) {
    assert!(ics.ends_with("\r\n"));
    assert_eq!(
        ics.matches('\n').count(),
        ics.matches("\r\n").count(),
        "bare LF"
    );
    for line in ics.split("\r\n") {
        assert!(line.len() <= MAX_OCTETS, "{} octets: {line:?}", line.len());
    }
}

#[test]
fn a_calendar_reads_back_with_another_parser() {
    let mut second = event(13, "2027-03-20T09:00:00Z", "2027-03-20T11:00:00Z");
    second.sequence = 3;
    second.status = EventStatus::Changed;
    let events = [
        event(12, "2027-03-14T17:00:00Z", "2027-03-14T19:00:00Z"),
        second,
    ];
    let ics = calendar(
        "Assises de la ville",
        &events,
        &paris(),
        at("2027-03-01T12:00:00Z"),
    );
    assert_lines_well_formed(&ics);
    let cal = parse(&ics);

    assert_eq!(value(&cal.properties, "VERSION"), "2.0");
    assert_eq!(value(&cal.properties, "CALSCALE"), "GREGORIAN");
    assert_eq!(value(&cal.properties, "METHOD"), "PUBLISH");
    assert!(value(&cal.properties, "PRODID").contains("Concorde"));
    assert_eq!(
        value(&cal.properties, "X-WR-CALNAME"),
        "Assises de la ville"
    );
    assert_eq!(cal.timezones.len(), 1);
    assert_eq!(value(&cal.timezones[0].properties, "TZID"), "Europe/Paris");
    assert_eq!(cal.events.len(), 2);

    let first = &cal.events[0].properties;
    assert_eq!(
        unescape(value(first, "SUMMARY")),
        "Atelier mobilités, quartier Saint-Serge"
    );
    assert_eq!(
        value(first, "SUMMARY"),
        "Atelier mobilités\\, quartier Saint-Serge"
    );
    let dtstart = prop(first, "DTSTART");
    assert_eq!(param(dtstart, "TZID"), Some("Europe/Paris"));
    assert_eq!(dtstart.value.as_deref(), Some("20270314T180000"));
    assert_eq!(value(first, "DTEND"), "20270314T200000");
    assert_eq!(value(first, "UID"), "event-12@concertation.example.fr");
    assert_eq!(value(first, "DTSTAMP"), "20270301T120000Z");
    assert_eq!(value(first, "LAST-MODIFIED"), "20270110T090000Z");
    assert_eq!(value(first, "SEQUENCE"), "0");
    assert_eq!(value(first, "STATUS"), "CONFIRMED");
    assert_eq!(
        value(first, "URL"),
        "https://concertation.example.fr/events/12"
    );
    assert_eq!(
        unescape(value(first, "DESCRIPTION")),
        "Venez nombreux ; on parle vélo.\nGoûter offert"
    );
    assert_eq!(
        unescape(value(first, "LOCATION")),
        "Salle Jean-Moulin, 12 rue de la Paix"
    );

    let changed = &cal.events[1].properties;
    assert_eq!(value(changed, "SEQUENCE"), "3");
    assert_eq!(value(changed, "STATUS"), "CONFIRMED");
    assert_eq!(value(changed, "DTSTART"), "20270320T100000");
}

#[test]
fn a_cancelled_event_says_so() {
    let mut e = event(7, "2027-05-02T16:00:00Z", "2027-05-02T18:00:00Z");
    e.status = EventStatus::Cancelled;
    e.sequence = 2;
    let ics = event_file(&e, &paris(), at("2027-04-30T08:00:00Z"));
    let cal = parse(&ics);
    assert!(cal.properties.iter().all(|p| p.name != "X-WR-CALNAME"));
    let props = &cal.events[0].properties;
    assert_eq!(value(props, "STATUS"), "CANCELLED");
    assert_eq!(value(props, "SEQUENCE"), "2");
    assert_eq!(value(props, "UID"), "event-7@concertation.example.fr");
}

/// The offset a reader derives from our VTIMEZONE for a local time: the latest observance
/// that started at or before it. This is how a client without the tz database resolves it.
fn offset_from_vtimezone(cal: &IcalCalendar, local: &str) -> String {
    let local: DateTime = jiff::fmt::strtime::parse("%Y%m%dT%H%M%S", local)
        .and_then(|t| t.to_datetime())
        .expect("local time");
    let mut best: Option<(DateTime, String)> = None;
    for tr in &cal.timezones[0].transitions {
        let start: DateTime =
            jiff::fmt::strtime::parse("%Y%m%dT%H%M%S", value(&tr.properties, "DTSTART"))
                .and_then(|t| t.to_datetime())
                .expect("observance start");
        let newer = best.as_ref().is_none_or(|(b, _)| start > *b);
        if start <= local && newer {
            best = Some((start, value(&tr.properties, "TZOFFSETTO").to_string()));
        }
    }
    best.map(|(_, o)| o).expect("an observance covers the time")
}

#[test]
fn summer_and_winter_events_in_paris_get_their_offsets() {
    let winter = event(1, "2027-01-20T17:30:00Z", "2027-01-20T19:30:00Z");
    let summer = event(2, "2027-07-03T07:00:00Z", "2027-07-03T09:00:00Z");
    let ics = calendar(
        "Ateliers",
        &[winter, summer],
        &paris(),
        at("2027-01-01T00:00:00Z"),
    );
    let cal = parse(&ics);

    let tz = &cal.timezones[0];
    let daylight: Vec<_> = tz
        .transitions
        .iter()
        .filter(|t| matches!(t.transition, IcalTimeZoneTransitionType::DAYLIGHT))
        .collect();
    let standard: Vec<_> = tz
        .transitions
        .iter()
        .filter(|t| matches!(t.transition, IcalTimeZoneTransitionType::STANDARD))
        .collect();
    assert!(!daylight.is_empty() && !standard.is_empty());
    for d in &daylight {
        assert_eq!(value(&d.properties, "TZOFFSETFROM"), "+0100");
        assert_eq!(value(&d.properties, "TZOFFSETTO"), "+0200");
        assert_eq!(value(&d.properties, "TZNAME"), "CEST");
    }
    for s in &standard {
        assert_eq!(value(&s.properties, "TZOFFSETFROM"), "+0200");
        assert_eq!(value(&s.properties, "TZOFFSETTO"), "+0100");
        assert_eq!(value(&s.properties, "TZNAME"), "CET");
    }
    assert!(
        daylight
            .iter()
            .any(|d| value(&d.properties, "DTSTART") == "20270328T020000")
    );

    let winter_start = value(&cal.events[0].properties, "DTSTART");
    let summer_start = value(&cal.events[1].properties, "DTSTART");
    assert_eq!(winter_start, "20270120T183000");
    assert_eq!(summer_start, "20270703T090000");
    assert_eq!(offset_from_vtimezone(&cal, winter_start), "+0100");
    assert_eq!(offset_from_vtimezone(&cal, summer_start), "+0200");
}

#[test]
fn the_vtimezone_covers_every_year_of_the_events() {
    let early = event(1, "2026-11-05T17:00:00Z", "2026-11-05T19:00:00Z");
    let late = event(2, "2028-06-10T07:00:00Z", "2028-06-10T09:00:00Z");
    let cal = parse(&calendar(
        "x",
        &[early, late],
        &paris(),
        at("2026-10-01T00:00:00Z"),
    ));
    let starts: Vec<&str> = cal.timezones[0]
        .transitions
        .iter()
        .map(|t| value(&t.properties, "DTSTART"))
        .collect();
    for year in ["2026", "2027", "2028"] {
        let n = starts.iter().filter(|s| s.starts_with(year)).count();
        assert_eq!(n, 2, "{year}: {starts:?}");
    }
    assert_eq!(offset_from_vtimezone(&cal, "20261105T180000"), "+0100");
    assert_eq!(offset_from_vtimezone(&cal, "20280610T090000"), "+0200");
}

#[test]
fn utc_and_nameless_zones_write_utc_times_without_vtimezone() {
    let e = event(3, "2027-03-14T17:00:00Z", "2027-03-14T19:00:00Z");
    for tz in [TimeZone::UTC, TimeZone::fixed(jiff::tz::offset(1))] {
        let ics = event_file(&e, &tz, at("2027-03-01T12:00:00Z"));
        assert!(!ics.contains("VTIMEZONE"));
        assert!(!ics.contains("TZID"));
        let cal = parse(&ics);
        let props = &cal.events[0].properties;
        assert_eq!(value(props, "DTSTART"), "20270314T170000Z");
        assert_eq!(value(props, "DTEND"), "20270314T190000Z");
        assert!(prop(props, "DTSTART").params.is_none());
    }
}

#[test]
fn long_accented_texts_fold_at_75_octets_and_come_back_whole() {
    let mut e = event(4, "2027-03-14T17:00:00Z", "2027-03-14T19:00:00Z");
    e.title = "Réunion publique « Cœur de ville » : l’avenir du marché, des halles; et du tramway 🚋🌳 — élus & habitant·es".into();
    e.description = "Ligne 1 : présentation.\nLigne 2 : échanges, questions; réponses.\\\n"
        .repeat(6)
        + &"👩🏽‍🤝‍👨🏻".repeat(20);
    let ics = event_file(&e, &paris(), at("2027-03-01T12:00:00Z"));
    assert_lines_well_formed(&ics);
    assert!(
        ics.lines().any(|l| l.starts_with(' ')),
        "something was folded"
    );
    parse(&ics);

    let lines = unfold(&ics);
    let field = |name: &str| {
        lines
            .iter()
            .find_map(|l| l.strip_prefix(&format!("{name}:")))
            .map(unescape)
    };
    assert_eq!(field("SUMMARY"), Some(e.title.clone()));
    assert_eq!(field("DESCRIPTION"), Some(e.description.clone()));
}

#[test]
fn an_empty_calendar_is_still_valid() {
    let ics = calendar(
        "Rien pour l'instant",
        &[],
        &paris(),
        at("2027-03-01T12:00:00Z"),
    );
    let cal = parse(&ics);
    assert!(cal.events.is_empty());
    assert!(cal.timezones.is_empty());
}

#[test]
fn hostile_texts_stay_inside_their_property() {
    let mut e = event(5, "2027-03-14T17:00:00Z", "2027-03-14T19:00:00Z");
    e.title = "Fin\r\nEND:VEVENT\r\nBEGIN:VEVENT".into();
    e.url = "https://x.example/\nATTENDEE:mailto:a@b".into();
    e.uid = "event-5@x;y,z".into();
    let ics = event_file(&e, &paris(), at("2027-03-01T12:00:00Z"));
    let cal = parse(&ics);
    assert_eq!(cal.events.len(), 1);
    let props = &cal.events[0].properties;
    assert_eq!(
        unescape(value(props, "SUMMARY")),
        "Fin\nEND:VEVENT\nBEGIN:VEVENT"
    );
    assert!(props.iter().all(|p| p.name != "ATTENDEE"));
    assert_eq!(unescape(value(props, "UID")), "event-5@x;y,z");
}
