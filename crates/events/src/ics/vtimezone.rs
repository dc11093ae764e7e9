//! A VTIMEZONE (RFC 5545 §3.6.5) built from jiff's transition data, so that a calendar
//! client that does not know the zone, or knows an older rule, still shows the right hour.
//! Transitions are written one by one for the years asked (no RRULE): explicit data cannot
//! disagree with the tz database the times were computed with.

use jiff::civil::{Date, DateTime};
use jiff::tz::{Offset, TimeZone};
use jiff::{SignedDuration, Timestamp};

use super::line::Writer;

/// One observance: from `start` (local time in the offset before it) the zone is `to`.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Observance {
    daylight: bool,
    name: String,
    from: Offset,
    to: Offset,
    start: DateTime,
}

/// The zone's IANA name when times should be written with TZID; `None` for UTC and for
/// zones without a name (fixed offsets, POSIX strings), whose times are written in UTC.
pub fn tzid(tz: &TimeZone) -> Option<&str> {
    let name = tz.iana_name()?;
    let always_utc = tz.to_offset(Timestamp::UNIX_EPOCH) == Offset::UTC
        && tz.preceding(Timestamp::MAX).next().is_none();
    (!always_utc).then_some(name)
}

/// Writes the VTIMEZONE for `tz` covering the whole years `first_year..=last_year`.
pub fn write(w: &mut Writer, tz: &TimeZone, tzid: &str, first_year: i16, last_year: i16) {
    let from = year_start(tz, first_year).unwrap_or(Timestamp::MIN);
    let until = last_year
        .checked_add(1)
        .and_then(|y| year_start(tz, y))
        .unwrap_or(Timestamp::MAX);
    w.begin("VTIMEZONE");
    w.raw("TZID", tzid);
    for o in observances(tz, from, until) {
        write_observance(w, &o);
    }
    w.end("VTIMEZONE");
}

/// Local midnight on 1 January of `year`.
fn year_start(tz: &TimeZone, year: i16) -> Option<Timestamp> {
    let dt = Date::new(year, 1, 1)
        .ok()?
        .to_datetime(jiff::civil::Time::midnight());
    tz.to_ambiguous_timestamp(dt).compatible().ok()
}

/// The observance in force at `from`, then every transition in `(from, until)`.
fn observances(tz: &TimeZone, from: Timestamp, until: Timestamp) -> Vec<Observance> {
    let mut list = vec![in_force(tz, from)];
    let mut before = list[0].to;
    for t in tz.following(from).take_while(|t| t.timestamp() < until) {
        list.push(Observance {
            daylight: t.dst().is_dst(),
            name: t.abbreviation().to_string(),
            from: before,
            to: t.offset(),
            start: before.to_datetime(t.timestamp()),
        });
        before = t.offset();
    }
    list
}

/// What applies at `at`: the last transition at or before it, or, for a zone that never
/// changed, an observance starting at the epoch.
fn in_force(tz: &TimeZone, at: Timestamp) -> Observance {
    let just_after = at.checked_add(SignedDuration::from_nanos(1)).unwrap_or(at);
    if let Some(t) = tz.preceding(just_after).next() {
        let ts = t.timestamp();
        let before = ts
            .checked_sub(SignedDuration::from_secs(1))
            .map_or(t.offset(), |b| tz.to_offset(b));
        return Observance {
            daylight: t.dst().is_dst(),
            name: t.abbreviation().to_string(),
            from: before,
            to: t.offset(),
            start: before.to_datetime(ts),
        };
    }
    let info = tz.to_offset_info(at);
    Observance {
        daylight: info.dst().is_dst(),
        name: info.abbreviation().to_string(),
        from: info.offset(),
        to: info.offset(),
        start: Offset::UTC.to_datetime(Timestamp::UNIX_EPOCH),
    }
}

fn write_observance(w: &mut Writer, o: &Observance) {
    let kind = if o.daylight { "DAYLIGHT" } else { "STANDARD" };
    w.begin(kind);
    w.raw("DTSTART", &local(o.start));
    w.raw("TZOFFSETFROM", &utc_offset(o.from));
    w.raw("TZOFFSETTO", &utc_offset(o.to));
    if !o.name.is_empty() {
        w.text("TZNAME", &o.name);
    }
    w.end(kind);
}

/// A local DATE-TIME value (§3.3.5, form 1), e.g. `20270314T180000`.
pub fn local(dt: DateTime) -> String {
    dt.strftime("%Y%m%dT%H%M%S").to_string()
}

/// A UTC-OFFSET value (§3.3.14): `+0200`, or `+000921` when seconds are not zero (old
/// local mean times). The RFC forbids `-0000`, so zero is `+0000`.
pub fn utc_offset(offset: Offset) -> String {
    let total = offset.seconds();
    let sign = if total < 0 { '-' } else { '+' };
    let abs = total.unsigned_abs();
    let (h, m, s) = (abs / 3600, abs / 60 % 60, abs % 60);
    if s == 0 {
        format!("{sign}{h:02}{m:02}")
    } else {
        format!("{sign}{h:02}{m:02}{s:02}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::tz::offset;

    #[test]
    fn offsets_are_written_as_the_rfc_says() {
        assert_eq!(utc_offset(offset(2)), "+0200");
        assert_eq!(utc_offset(offset(-5)), "-0500");
        assert_eq!(utc_offset(Offset::UTC), "+0000");
        let odd = Offset::from_seconds(-(3 * 3600 + 30 * 60)).expect("valid offset");
        assert_eq!(utc_offset(odd), "-0330");
        let lmt = Offset::from_seconds(561).expect("valid offset");
        assert_eq!(utc_offset(lmt), "+000921");
    }

    #[test]
    fn utc_and_nameless_zones_have_no_tzid() {
        assert_eq!(tzid(&TimeZone::UTC), None);
        assert_eq!(tzid(&TimeZone::fixed(offset(1))), None);
        let etc = TimeZone::get("Etc/UTC").expect("bundled");
        assert_eq!(tzid(&etc), None);
        let paris = TimeZone::get("Europe/Paris").expect("bundled");
        assert_eq!(tzid(&paris), Some("Europe/Paris"));
    }

    #[test]
    fn paris_2027_has_its_two_changes() {
        let paris = TimeZone::get("Europe/Paris").expect("bundled");
        let from = year_start(&paris, 2027).expect("in range");
        let until = year_start(&paris, 2028).expect("in range");
        let obs = observances(&paris, from, until);
        let summary: Vec<(bool, String, String, String)> = obs
            .iter()
            .map(|o| {
                (
                    o.daylight,
                    local(o.start),
                    utc_offset(o.from),
                    utc_offset(o.to),
                )
            })
            .collect();
        let expect = |d: bool, s: &str, f: &str, t: &str| (d, s.into(), f.into(), t.into());
        assert_eq!(
            summary,
            vec![
                expect(false, "20261025T030000", "+0200", "+0100"),
                expect(true, "20270328T020000", "+0100", "+0200"),
                expect(false, "20271031T030000", "+0200", "+0100"),
            ]
        );
        assert_eq!(obs[1].name, "CEST");
        assert_eq!(obs[2].name, "CET");
    }

    #[test]
    fn a_zone_without_dst_still_gets_one_observance() {
        let tz = TimeZone::get("Asia/Kolkata").expect("bundled");
        let from = year_start(&tz, 2027).expect("in range");
        let until = year_start(&tz, 2028).expect("in range");
        let obs = observances(&tz, from, until);
        assert_eq!(obs.len(), 1);
        assert_eq!(utc_offset(obs[0].to), "+0530");
        assert!(!obs[0].daylight);
    }
}
