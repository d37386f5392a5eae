//! Dates for forms, computed from the portal's clock: a test that types a date passes next
//! year as well as today.

use chrono::{Datelike, Duration, NaiveDate};

/// The time now, as a portal with an unmoved clock sees it.
pub fn now() -> chrono::DateTime<chrono::Utc> {
    avtomektep::clock::Clock::system().now()
}

/// Today in Kazakhstan, as the portal sees it.
pub fn today() -> NaiveDate {
    avtomektep::clock::Clock::system().today()
}

/// `n` days from today (negative: ago), as a date input sends it (YYYY-MM-DD).
pub fn days(n: i64) -> String {
    ymd(today() + Duration::days(n))
}

pub fn ymd(day: NaiveDate) -> String {
    day.format("%Y-%m-%d").to_string()
}

/// As the pages show a date: DD.MM.YYYY.
pub fn dmy(day: NaiveDate) -> String {
    day.format("%d.%m.%Y").to_string()
}

/// A birth date for someone who is `years` old today and will stay so for a while (half a
/// year past the birthday, so a test run around midnight in another zone cannot tip it).
pub fn born_aged(years: i32) -> String {
    let today = today();
    let birthday = today
        .with_year(today.year() - years)
        .or_else(|| (today - Duration::days(1)).with_year(today.year() - years))
        .expect("a date");
    ymd(birthday - Duration::days(180))
}
