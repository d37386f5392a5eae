//! Theory classes in the database: each class with the students present; attended minutes
//! become theory hours. The forms that assign a teacher and record a class are on the group's
//! page (`schools::theory_forms`).

use chrono::NaiveDate;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Date, Integer, Nullable, Text, Uuid as SqlUuid};
use uuid::Uuid;

use super::groups::model::Group;

#[derive(QueryableByName)]
pub struct SessionRow {
    #[diesel(sql_type = Date)]
    pub held_on: NaiveDate,
    #[diesel(sql_type = Integer)]
    pub minutes: i32,
    #[diesel(sql_type = Text)]
    pub topic: String,
    #[diesel(sql_type = Nullable<Text>)]
    pub teacher: Option<String>,
    #[diesel(sql_type = BigInt)]
    pub present: i64,
}

/// The group's classes, latest first, with the teacher's name and how many attended.
pub fn sessions(conn: &mut PgConnection, group_id: Uuid) -> QueryResult<Vec<SessionRow>> {
    diesel::sql_query(
        "SELECT s.held_on, s.minutes, s.topic, u.last_name || ' ' || u.first_name AS teacher, \
                (SELECT count(*) FROM theory_attendance a WHERE a.session_id = s.id) AS present \
         FROM theory_sessions s LEFT JOIN users u ON u.id = s.teacher_id \
         WHERE s.group_id = $1 ORDER BY s.held_on DESC, s.created_at DESC LIMIT 100",
    )
    .bind::<SqlUuid, _>(group_id)
    .load(conn)
}

#[derive(QueryableByName)]
struct Attended {
    #[diesel(sql_type = SqlUuid)]
    key: Uuid,
    #[diesel(sql_type = BigInt)]
    minutes: i64,
}

/// Theory minutes attended in this group, per enrolment (one query for the whole roster).
pub fn minutes_by_enrolment(
    conn: &mut PgConnection, group_id: Uuid,
) -> QueryResult<Vec<(Uuid, i64)>> {
    let rows: Vec<Attended> = diesel::sql_query(
        "SELECT e.id AS key, sum(s.minutes)::bigint AS minutes \
         FROM enrolments e \
         JOIN theory_attendance a ON a.student_id = e.student_id \
         JOIN theory_sessions s ON s.id = a.session_id AND s.group_id = e.group_id \
         WHERE e.group_id = $1 GROUP BY e.id",
    )
    .bind::<SqlUuid, _>(group_id)
    .load(conn)?;
    Ok(rows.into_iter().map(|r| (r.key, r.minutes)).collect())
}

/// Theory minutes a student attended, per group (one query for all their enrolments).
pub fn minutes_by_group(
    conn: &mut PgConnection, student_id: Uuid,
) -> QueryResult<Vec<(Uuid, i64)>> {
    let rows: Vec<Attended> = diesel::sql_query(
        "SELECT s.group_id AS key, sum(s.minutes)::bigint AS minutes \
         FROM theory_attendance a JOIN theory_sessions s ON s.id = a.session_id \
         WHERE a.student_id = $1 GROUP BY s.group_id",
    )
    .bind::<SqlUuid, _>(student_id)
    .load(conn)?;
    Ok(rows.into_iter().map(|r| (r.key, r.minutes)).collect())
}

/// The theory class form, as typed.
#[derive(Debug, Default, Clone)]
pub struct TheoryForm {
    pub held_on: String,
    pub minutes: String,
    pub topic: String,
    /// Enrolment ids of the students ticked present.
    pub present: Vec<String>,
}

impl TheoryForm {
    pub fn from_body(body: &[u8]) -> TheoryForm {
        let mut form = TheoryForm::default();
        for (name, value) in form_urlencoded::parse(body) {
            let value = value.into_owned();
            match name.as_ref() {
                "held_on" => form.held_on = value,
                "minutes" => form.minutes = value,
                "topic" => form.topic = value,
                "present" if form.present.len() < 500 => form.present.push(value),
                _ => {}
            }
        }
        form
    }
}

/// What the form asks for, checked; the message id of the first problem otherwise.
pub fn parse(
    form: &TheoryForm, group: &Group, today: NaiveDate,
) -> Result<(NaiveDate, i32, String), &'static str> {
    let held_on = NaiveDate::parse_from_str(form.held_on.trim(), "%Y-%m-%d")
        .map_err(|_| "date-error-invalid")?;
    if held_on > today || held_on < group.starts_on {
        return Err("theory-error-date");
    }
    let minutes = form
        .minutes
        .trim()
        .parse::<i32>()
        .ok()
        .filter(|m| (15..=480).contains(m))
        .ok_or("theory-error-minutes")?;
    let topic = form.topic.split_whitespace().collect::<Vec<_>>().join(" ");
    if topic.is_empty() || topic.chars().count() > 200 {
        return Err("theory-error-topic");
    }
    Ok((held_on, minutes, topic))
}
