//! Dates as people in Kazakhstan read them: DD.MM.YYYY, Almaty time (UTC+5 since 2024).

use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Asia::Almaty;

/// The date in Kazakhstan at that moment.
pub fn local_date(at: DateTime<Utc>) -> NaiveDate {
    at.with_timezone(&Almaty).date_naive()
}

/// The moment a wall-clock time in Almaty names. `None` only for a time skipped or repeated
/// by a change of offset: Almaty has had none since 1 March 2024 (UTC+6 → UTC+5), which the
/// time-zone data knows, so dates around that day are answered correctly too.
pub fn from_local(at: NaiveDateTime) -> Option<DateTime<Utc>> {
    Almaty.from_local_datetime(&at).single().map(|t| t.with_timezone(&Utc))
}

/// The start of that day in Almaty.
pub fn start_of_day(day: NaiveDate) -> Option<DateTime<Utc>> {
    from_local(day.and_time(chrono::NaiveTime::MIN))
}

pub fn date(at: DateTime<Utc>) -> String {
    at.with_timezone(&Almaty).format("%d.%m.%Y").to_string()
}

/// A calendar date as people read it: DD.MM.YYYY.
pub fn day(day: NaiveDate) -> String {
    day.format("%d.%m.%Y").to_string()
}

/// From one date to another: "DD.MM.YYYY – DD.MM.YYYY".
pub fn span(from: NaiveDate, to: NaiveDate) -> String {
    format!("{} – {}", self::day(from), self::day(to))
}

pub fn date_time(at: DateTime<Utc>) -> String {
    at.with_timezone(&Almaty).format("%d.%m.%Y %H:%M").to_string()
}

pub fn time(at: DateTime<Utc>) -> String {
    at.with_timezone(&Almaty).format("%H:%M").to_string()
}

/// A duration in hours and minutes, "H:MM" (training hours: 90 minutes are "1:30").
pub fn hours(minutes: i64) -> String {
    format!("{}:{:02}", minutes / 60, minutes % 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn almaty_is_five_hours_ahead_of_utc() {
        let at: DateTime<Utc> = "2026-01-31T19:30:00Z".parse().unwrap();
        assert_eq!(date(at), "01.02.2026");
        assert_eq!(date_time(at), "01.02.2026 00:30");
    }

    #[test]
    fn almaty_was_six_hours_ahead_before_march_2024() {
        let day = NaiveDate::from_ymd_opt(2024, 2, 1).unwrap();
        assert_eq!(
            start_of_day(day).unwrap(),
            "2024-01-31T18:00:00Z".parse::<DateTime<Utc>>().unwrap()
        );
        let day = NaiveDate::from_ymd_opt(2024, 3, 2).unwrap();
        assert_eq!(
            start_of_day(day).unwrap(),
            "2024-03-01T19:00:00Z".parse::<DateTime<Utc>>().unwrap()
        );
    }
}
