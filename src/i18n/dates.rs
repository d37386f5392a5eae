//! Dates as people in Kazakhstan read them: DD.MM.YYYY, Almaty time (UTC+5 since 2024).

use chrono::{DateTime, Utc};
use chrono_tz::Asia::Almaty;

pub fn date(at: DateTime<Utc>) -> String {
    at.with_timezone(&Almaty).format("%d.%m.%Y").to_string()
}

pub fn date_time(at: DateTime<Utc>) -> String {
    at.with_timezone(&Almaty)
        .format("%d.%m.%Y %H:%M")
        .to_string()
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
}
