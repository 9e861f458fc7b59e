//! A document's date: the day its article reports on (its dateline), so
//! that the events marked in it can be exported with ACLED's `event_date`.
//! Written as an ISO 8601 calendar date (`2025-03-14`) everywhere: in the
//! project file, the documents panel and the event table, so no reader has
//! to guess whether 03/04 is March or April.

use jiff::civil::Date;

/// Why a text is not a document date. The message says how to write one.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DateError {
    #[error("{0:?} is not a date: write it as year-month-day, e.g. 2025-03-14")]
    Shape(String),
    #[error("{text:?} is not a day of the calendar ({why})")]
    NoSuchDay { text: String, why: String },
}

/// Reads `YYYY-MM-DD` exactly (four-digit year, two-digit month and day)
/// and checks the day exists (no 2025-02-30). Surrounding spaces are
/// allowed, since the analyst types it.
pub fn parse_date(text: &str) -> Result<Date, DateError> {
    let t = text.trim();
    let b = t.as_bytes();
    let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    if b.len() != 10
        || b[4] != b'-'
        || b[7] != b'-'
        || !digits(0..4)
        || !digits(5..7)
        || !digits(8..10)
    {
        return Err(DateError::Shape(text.to_string()));
    }
    let num = |r: std::ops::Range<usize>| t[r].parse::<i16>().unwrap_or(0);
    let (year, month, day) = (num(0..4), num(5..7), num(8..10));
    Date::new(year, month as i8, day as i8).map_err(|e| DateError::NoSuchDay {
        text: t.to_string(),
        why: no_such_day_reason(year, month, &e),
    })
}

/// Says in words what is wrong with a date that has the right shape.
fn no_such_day_reason(year: i16, month: i16, e: &jiff::Error) -> String {
    if !(1..=12).contains(&month) {
        return format!("there is no month {month}");
    }
    match Date::new(year, month as i8, 1) {
        Ok(first) => format!(
            "{} {year} has {} days",
            MONTHS[usize::from(month as u8 - 1)],
            first.days_in_month()
        ),
        Err(_) => e.to_string(),
    }
}

/// How far into a text [`find_date`] looks: a dateline sits at the top.
const DATELINE_CHARS: usize = 3000;

/// The first date written near the top of `text`, to offer as the
/// document's date: `2025-03-14`, `14 March 2025`, `March 14, 2025` or
/// `Mar. 14 2025` (English month names, full or three letters). Only an
/// offer: the analyst confirms it. Numeric dates like 03/04/2025 are
/// skipped, as day and month cannot be told apart.
pub fn find_date(text: &str) -> Option<Date> {
    let head: String = text.chars().take(DATELINE_CHARS).collect();
    let words: Vec<&str> = head
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
        .filter(|w| !w.is_empty())
        .collect();
    let day = |w: &str| {
        let w = w
            .trim_end_matches("st")
            .trim_end_matches("nd")
            .trim_end_matches("rd")
            .trim_end_matches("th");
        (w.len() <= 2 && w.bytes().all(|b| b.is_ascii_digit()))
            .then(|| w.parse::<i8>().ok())
            .flatten()
    };
    let year = |w: &str| {
        (w.len() == 4 && w.bytes().all(|b| b.is_ascii_digit()))
            .then(|| w.parse::<i16>().ok())
            .flatten()
    };
    let month = |w: &str| {
        let w = w.to_ascii_lowercase();
        MONTHS.iter().position(|m| {
            let m = m.to_ascii_lowercase();
            w == m || (w.len() >= 3 && w.len() < m.len() && m.starts_with(&w) && w.len() <= 4)
        })
    };
    for (i, w) in words.iter().enumerate() {
        if let Ok(date) = parse_date(w) {
            return Some(date);
        }
        let at = |k: usize| words.get(i + k).copied().unwrap_or("");
        let found = match (day(w), month(w)) {
            (Some(d), _) => month(at(1)).zip(year(at(2))).map(|(m, y)| (y, m, d)),
            (None, Some(m)) => day(at(1)).zip(year(at(2))).map(|(d, y)| (y, m, d)),
            _ => None,
        };
        if let Some((y, m, d)) = found
            && let Ok(date) = Date::new(y, m as i8 + 1, d)
        {
            return Some(date);
        }
    }
    None
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_calendar_day() {
        assert_eq!(parse_date("2025-03-14").unwrap().to_string(), "2025-03-14");
        assert_eq!(
            parse_date(" 2024-02-29 ").unwrap().to_string(),
            "2024-02-29"
        );
    }

    #[test]
    fn finds_a_dateline_near_the_top() {
        let found = |t: &str| find_date(t).map(|d| d.to_string());
        assert_eq!(
            found("PESHAWAR, March 14, 2025: Police said"),
            Some("2025-03-14".into())
        );
        assert_eq!(
            found("Bannu (14th Mar. 2025) — “Four” 🙂"),
            Some("2025-03-14".into())
        );
        assert_eq!(found("بنوں 2025-03-14 کو"), Some("2025-03-14".into()));
        assert_eq!(found("Updated 3 Sept 2024"), Some("2024-09-03".into()));
        // Not a day, or no year: nothing offered.
        assert_eq!(
            found("On 31 February 2025 and May 2025, 15 militants"),
            None
        );
        assert_eq!(found("may 15 militants"), None);
        assert_eq!(found("03/04/2025"), None);
        let late = format!("{}14 March 2025", "x ".repeat(2000));
        assert_eq!(found(&late), None, "only the top of the text");
    }

    #[test]
    fn refuses_other_shapes_and_days_that_do_not_exist() {
        for bad in [
            "14/03/2025",
            "2025-3-14",
            "2025-03-14T00:00",
            "",
            "٢٠٢٥-٠٣-١٤",
        ] {
            assert!(matches!(parse_date(bad), Err(DateError::Shape(_))), "{bad}");
        }
        let e = parse_date("2025-02-29").unwrap_err().to_string();
        assert!(e.contains("February 2025 has 28 days"), "{e}");
        let e = parse_date("2025-13-01").unwrap_err().to_string();
        assert!(e.contains("no month 13"), "{e}");
    }
}
