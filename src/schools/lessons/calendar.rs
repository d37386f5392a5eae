//! The instructor's week: every lesson of one instructor from Monday to Sunday, by day.
//! An instructor sees their own week; the school's managers and teachers choose an instructor.

use actix_web::web;
use askama::Template;
use askama_web::WebTemplate;
use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, Utc};
use diesel::prelude::*;
use serde::Deserialize;
use uuid::Uuid;

use super::model::{Lesson, LessonStatus};
use crate::db;
use crate::db::schema::{lessons, users};
use crate::error::AppError;
use crate::i18n::dates;
use crate::schools::registry::model as schools;
use crate::state::AppState;
use crate::web::PageCtx;
use crate::web::auth::CurrentUser;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct WeekQuery {
    /// Any day of the week wanted (YYYY-MM-DD); this week when absent or unreadable.
    pub week: String,
    pub instructor: String,
}

pub struct Slot {
    pub time: String,
    pub vehicle: String,
    pub student: Option<String>,
    pub status: String,
    pub status_code: String,
}

pub struct Day {
    pub weekday: String,
    pub date: String,
    pub today: bool,
    pub slots: Vec<Slot>,
}

#[derive(Template, WebTemplate)]
#[template(path = "schools/lessons/calendar.html")]
pub struct CalendarPage {
    pub ctx: PageCtx,
    pub title: String,
    pub days: Vec<Day>,
    pub previous: String,
    pub next: String,
    /// (id, name, chosen) of the school's instructors, for staff who may choose.
    pub instructors: Vec<(String, String, bool)>,
    pub held_minutes: i64,
}

/// Monday of the week that holds `day`.
pub fn monday(day: NaiveDate) -> NaiveDate {
    day - Duration::days(i64::from(day.weekday().num_days_from_monday()))
}

/// Where a week's day starts in Almaty. Midnight names one moment on every day the time-zone
/// data knows (the 2024 change of offset moved the clocks at midnight but skipped and repeated
/// no midnight); should a future change make one ambiguous or skip it, the week is bounded at
/// that day's UTC midnight — a few hours off at worst — rather than failing the page.
fn almaty_midnight(day: NaiveDate) -> DateTime<Utc> {
    dates::start_of_day(day).unwrap_or_else(|| {
        tracing::warn!(%day, "no single midnight in Almaty on this day; using UTC midnight");
        day.and_time(NaiveTime::MIN).and_utc()
    })
}

/// (last name, first name) of a lesson's student.
type Name = (String, String);

/// The instructor's lessons in the week from `monday`, with the student's name (one query).
pub fn week_of(
    conn: &mut PgConnection, school_id: Uuid, instructor_id: Uuid, monday: NaiveDate,
) -> QueryResult<Vec<(Lesson, Option<Name>)>> {
    let from = almaty_midnight(monday);
    let to = almaty_midnight(monday + Duration::days(7));
    lessons::table
        .left_join(users::table.on(lessons::student_id.eq(users::id.nullable())))
        .filter(lessons::school_id.eq(school_id))
        .filter(lessons::instructor_id.eq(instructor_id))
        .filter(
            diesel::dsl::sql::<diesel::sql_types::Bool>("lower(during) >= ")
                .bind::<diesel::sql_types::Timestamptz, _>(from)
                .sql(" AND lower(during) < ")
                .bind::<diesel::sql_types::Timestamptz, _>(to),
        )
        .order(diesel::dsl::sql::<diesel::sql_types::Timestamptz>("lower(during)"))
        .select((Lesson::as_select(), (users::last_name, users::first_name).nullable()))
        .load(conn)
}

pub async fn week(
    ctx: PageCtx, user: CurrentUser, state: web::Data<AppState>, query: web::Query<WeekQuery>,
) -> Result<CalendarPage, AppError> {
    let m = crate::schools::registry::access::member(&state, &user).await?;
    let today = state.clock.today();
    let day = NaiveDate::parse_from_str(query.week.trim(), "%Y-%m-%d").unwrap_or(today);
    let monday = monday(day);
    let asked = Uuid::parse_str(query.instructor.trim()).ok();
    let (instructors, rows) = db::read(&state.pool, move |conn| {
        // An instructor sees their own week only; other staff choose among the instructors.
        let instructors: Vec<(Uuid, String)> = if m.instructor {
            Vec::new()
        } else {
            schools::staff(conn, m.school_id)?
                .into_iter()
                .filter(|(_, _, _, position)| position == "instructor")
                .map(|(id, last, first, _)| (id, format!("{last} {first}")))
                .collect()
        };
        let shown = if m.instructor {
            Some(user.id)
        } else {
            asked
                .filter(|id| instructors.iter().any(|(i, _)| i == id))
                .or_else(|| instructors.first().map(|(id, _)| *id))
        };
        let rows = match shown {
            Some(id) => week_of(conn, m.school_id, id, monday)?,
            None => Vec::new(),
        };
        Ok((
            instructors
                .into_iter()
                .map(|(id, name)| (id, name, shown == Some(id)))
                .collect::<Vec<_>>(),
            rows,
        ))
    })
    .await?;
    let mut days: Vec<Day> = (0..7)
        .map(|n| {
            let date = monday + Duration::days(n);
            Day {
                weekday: ctx.t(&format!("weekday-{}", n + 1)),
                date: date.format("%d.%m").to_string(),
                today: date == today,
                slots: Vec::new(),
            }
        })
        .collect();
    let mut held_minutes = 0;
    for (lesson, student) in rows {
        let starts = lesson.starts();
        let index = (dates::local_date(starts) - monday).num_days();
        if lesson.status == LessonStatus::Held {
            held_minutes += lesson.minutes();
        }
        if let Some(day) = usize::try_from(index).ok().and_then(|i| days.get_mut(i)) {
            day.slots.push(Slot {
                time: format!("{}–{}", dates::time(starts), dates::time(lesson.ends())),
                vehicle: lesson.vehicle.clone(),
                student: student.map(|(last, first)| format!("{last} {first}")),
                status: ctx.t(&format!("lesson-status-{}", lesson.status.as_str())),
                status_code: lesson.status.as_str().to_owned(),
            });
        }
    }
    let chosen = instructors
        .iter()
        .find(|(_, _, c)| *c)
        .map(|(id, _, _)| id.to_string())
        .unwrap_or_default();
    let link = |d: NaiveDate| {
        let mut url = format!("/school/calendar?week={}", d.format("%Y-%m-%d"));
        if !chosen.is_empty() {
            url.push_str("&instructor=");
            url.push_str(&chosen);
        }
        url
    };
    Ok(CalendarPage {
        title: ctx.lang.t_args(
            "calendar-title",
            &[
                ("from", dates::day(monday).into()),
                ("to", dates::day(monday + Duration::days(6)).into()),
            ],
        ),
        previous: link(monday - Duration::days(7)),
        next: link(monday + Duration::days(7)),
        instructors: instructors
            .into_iter()
            .map(|(id, name, c)| (id.to_string(), name, c))
            .collect(),
        held_minutes,
        days,
        ctx,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_week_starts_on_monday() {
        let sunday = NaiveDate::from_ymd_opt(2026, 11, 29).unwrap();
        let monday_ = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        assert_eq!(monday(sunday), monday_);
        assert_eq!(monday(monday_), monday_);
    }

    #[test]
    fn the_week_begins_at_midnight_in_almaty() {
        let day = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        assert_eq!(almaty_midnight(day).to_rfc3339(), "2026-11-22T19:00:00+00:00");
    }

    #[test]
    fn the_week_of_the_2024_offset_change_is_bounded_by_almaty_midnights() {
        // Almaty went from UTC+6 to UTC+5 at midnight on 1 March 2024.
        let day = NaiveDate::from_ymd_opt(2024, 3, 1).unwrap();
        assert!(dates::start_of_day(day).is_some());
        assert_eq!(almaty_midnight(monday(day)).to_rfc3339(), "2024-02-25T18:00:00+00:00");
        assert_eq!(
            almaty_midnight(monday(day) + Duration::days(7)).to_rfc3339(),
            "2024-03-03T19:00:00+00:00"
        );
    }
}
