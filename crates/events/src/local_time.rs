//! The wall-clock times people type (HTML `datetime-local`: `YYYY-MM-DDTHH:MM`) and the
//! instants we store. The conversion goes through the debate's time zone, so it has to say
//! what a time means on the nights the clocks change.

use jiff::civil::DateTime;
use jiff::tz::{Disambiguation, TimeZone};
use jiff::{Timestamp, Zoned};

/// Reads `YYYY-MM-DDTHH:MM`, also with `:SS` (browsers send seconds when a step asks for
/// them) or a space instead of the `T`. Rejects anything else, including impossible dates.
pub fn parse_datetime_local(s: &str) -> Option<DateTime> {
    let s = s.trim();
    let (date, time) = s.split_once(['T', ' '])?;
    let [year, month, day] = split_numbers::<3>(date, '-', &[4, 2, 2])?;
    let [hour, minute, second] = match split_numbers::<2>(time, ':', &[2, 2]) {
        Some([h, m]) => [h, m, 0],
        None => split_numbers::<3>(time, ':', &[2, 2, 2])?,
    };
    DateTime::new(
        i16::try_from(year).ok()?,
        i8::try_from(month).ok()?,
        i8::try_from(day).ok()?,
        i8::try_from(hour).ok()?,
        i8::try_from(minute).ok()?,
        i8::try_from(second).ok()?,
        0,
    )
    .ok()
}

/// Splits `s` on `sep` into exactly `N` runs of ASCII digits of the given widths.
fn split_numbers<const N: usize>(s: &str, sep: char, widths: &[usize; N]) -> Option<[u32; N]> {
    let mut out = [0; N];
    let mut parts = s.split(sep);
    for (slot, width) in out.iter_mut().zip(widths) {
        let part = parts.next()?;
        if part.len() != *width || !part.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        *slot = part.parse().ok()?;
    }
    parts.next().is_none().then_some(out)
}

/// The instant a wall-clock time names in `tz`.
///
/// In a gap (the hour skipped in spring) the time is moved forward by the gap's length, as a
/// clock that was not changed would read: 02:30 becomes 03:30 in Paris. In a fold (the hour
/// repeated in autumn) the earlier of the two instants is taken, so an event is never
/// announced later than people expect. This is jiff's "compatible" choice, the same as RFC
/// 5545 and most calendar software make.
pub fn to_timestamp(dt: DateTime, tz: &TimeZone) -> Option<Timestamp> {
    tz.to_ambiguous_timestamp(dt)
        .disambiguate(Disambiguation::Compatible)
        .ok()
}

/// Parses a `datetime-local` value and places it in `tz`.
pub fn parse_in(s: &str, tz: &TimeZone) -> Option<Timestamp> {
    to_timestamp(parse_datetime_local(s)?, tz)
}

/// The `datetime-local` value that shows `ts` in `tz`, for filling an edit form.
pub fn format_datetime_local(ts: Timestamp, tz: &TimeZone) -> String {
    Zoned::new(ts, tz.clone())
        .datetime()
        .strftime("%Y-%m-%dT%H:%M")
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paris() -> TimeZone {
        TimeZone::get("Europe/Paris").expect("bundled tzdb has Europe/Paris")
    }

    #[test]
    fn accepts_the_shapes_browsers_send() {
        for s in [
            "2027-03-14T18:00",
            "2027-03-14T18:00:00",
            " 2027-03-14 18:00 ",
        ] {
            let dt = parse_datetime_local(s);
            assert_eq!(
                dt.map(|d| d.to_string()),
                Some("2027-03-14T18:00:00".into()),
                "{s}"
            );
        }
    }

    #[test]
    fn rejects_everything_else_without_panicking() {
        for s in [
            "",
            "2027-03-14",
            "18:00",
            "2027-02-30T10:00",
            "2027-13-01T10:00",
            "2027-03-14T24:00",
            "2027-03-14T18:60",
            "27-03-14T18:00",
            "2027-3-14T18:00",
            "+2027-03-14T18:00",
            "2027-03-14T18:00Z",
            "2027-03-14T18:00+01:00",
            "2027-03-14T18:00:00:00",
            "２０２７-03-14T18:00",
            "2027-03-14T1８:00",
            "abcd-ef-ghTij:kl",
            "\u{0}",
        ] {
            assert_eq!(parse_datetime_local(s), None, "{s:?}");
        }
    }

    #[test]
    fn a_time_in_the_spring_gap_moves_forward() {
        let ts = parse_in("2027-03-28T02:30", &paris()).expect("gap resolves");
        assert_eq!(ts.to_string(), "2027-03-28T01:30:00Z");
        assert_eq!(format_datetime_local(ts, &paris()), "2027-03-28T03:30");
    }

    #[test]
    fn a_time_in_the_autumn_fold_takes_the_earlier_instant() {
        let ts = parse_in("2027-10-31T02:30", &paris()).expect("fold resolves");
        assert_eq!(ts.to_string(), "2027-10-31T00:30:00Z");
    }

    #[test]
    fn format_and_parse_round_trip() {
        let ts = parse_in("2027-07-01T09:15", &paris()).expect("valid");
        assert_eq!(ts.to_string(), "2027-07-01T07:15:00Z");
        assert_eq!(format_datetime_local(ts, &paris()), "2027-07-01T09:15");
    }
}
