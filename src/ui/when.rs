//! Times as an analyst reads them: local wall-clock time ("14:28"), and a
//! moment relative to today ("today 14:28", "yesterday 09:10",
//! "3 Nov 14:28"). Stored times stay RFC 3339 in UTC; this is display only.

use jiff::Timestamp;
use jiff::tz::TimeZone;

/// The system's time zone (UTC when it cannot be found).
pub fn local_zone() -> TimeZone {
    TimeZone::try_system().unwrap_or(TimeZone::UTC)
}

/// "14:28" in `zone`.
pub fn clock(at: Timestamp, zone: &TimeZone) -> String {
    at.to_zoned(zone.clone()).strftime("%H:%M").to_string()
}

/// `at` relative to `now`, in `zone`: "today 14:28", "yesterday 09:10",
/// "3 Nov 14:28", or "3 Nov 2025 14:28" in another year.
pub fn moment(at: Timestamp, now: Timestamp, zone: &TimeZone) -> String {
    let (at, now) = (at.to_zoned(zone.clone()), now.to_zoned(zone.clone()));
    let (day, today) = (at.date(), now.date());
    let time = at.strftime("%H:%M");
    if day == today {
        format!("today {time}")
    } else if today.yesterday().ok() == Some(day) {
        format!("yesterday {time}")
    } else if day.year() == today.year() {
        format!("{} {time}", at.strftime("%-d %b"))
    } else {
        format!("{} {time}", at.strftime("%-d %b %Y"))
    }
}

/// [`moment`] of an RFC 3339 time in the system's zone; the text as it is
/// when it is not one (a recovery file from an older version).
pub fn moment_of(rfc3339: &str) -> String {
    match rfc3339.parse::<Timestamp>() {
        Ok(at) => moment(at, Timestamp::now(), &local_zone()),
        Err(_) => rfc3339.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moments_read_relative_to_today_in_the_local_zone() {
        // Peshawar is UTC+5: 19:30 UTC is already the next day there.
        let pkt = TimeZone::fixed(jiff::tz::offset(5));
        let now: Timestamp = "2026-12-01T09:00:00Z".parse().unwrap();
        let at = |s: &str| s.parse::<Timestamp>().unwrap();
        assert_eq!(moment(at("2026-12-01T09:28:00Z"), now, &pkt), "today 14:28");
        assert_eq!(moment(at("2026-11-30T19:30:00Z"), now, &pkt), "today 00:30");
        assert_eq!(
            moment(at("2026-11-30T18:59:00Z"), now, &pkt),
            "yesterday 23:59"
        );
        assert_eq!(
            moment(at("2026-11-30T04:10:00Z"), now, &pkt),
            "yesterday 09:10"
        );
        assert_eq!(moment(at("2026-11-03T09:28:00Z"), now, &pkt), "3 Nov 14:28");
        assert_eq!(
            moment(at("2025-11-03T09:28:00Z"), now, &pkt),
            "3 Nov 2025 14:28"
        );
        assert_eq!(clock(at("2026-12-01T09:28:00Z"), &pkt), "14:28");
        assert_eq!(moment_of("not a time"), "not a time");
    }
}
