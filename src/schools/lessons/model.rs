//! Lessons in the database. Overlaps are refused by PostgreSQL's exclusion constraints; here
//! they become plain answers.

use std::collections::Bound;

use chrono::{DateTime, Duration, Utc};
use diesel::prelude::*;
use diesel::result::{DatabaseErrorKind, Error};
use uuid::Uuid;

use crate::db::schema::{enrolments, lessons, training_groups, users};
use crate::db::text_enum::text_enum;
use crate::schools::groups::model::EnrolmentStatus;

text_enum! {
    /// Where a driving lesson stands (`lessons.status`).
    pub enum LessonStatus {
        Open = "open",
        Booked = "booked",
        Held = "held",
        Missed = "missed",
        Cancelled = "cancelled",
    }
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = lessons)]
pub struct Lesson {
    pub id: Uuid,
    pub school_id: Uuid,
    pub instructor_id: Uuid,
    pub student_id: Option<Uuid>,
    pub vehicle: String,
    pub during: (Bound<DateTime<Utc>>, Bound<DateTime<Utc>>),
    pub meeting_place: String,
    pub status: LessonStatus,
    pub note: Option<String>,
}

impl Lesson {
    pub fn starts(&self) -> DateTime<Utc> {
        match self.during.0 {
            Bound::Included(t) | Bound::Excluded(t) => t,
            Bound::Unbounded => DateTime::<Utc>::MIN_UTC,
        }
    }

    pub fn ends(&self) -> DateTime<Utc> {
        match self.during.1 {
            Bound::Included(t) | Bound::Excluded(t) => t,
            Bound::Unbounded => DateTime::<Utc>::MAX_UTC,
        }
    }

    pub fn minutes(&self) -> i64 {
        (self.ends() - self.starts()).num_minutes()
    }
}

/// Why a write was refused.
#[derive(Debug, PartialEq, Eq)]
pub enum Clash {
    /// The instructor, the student or the vehicle already has a lesson then.
    Overlap,
    /// The lesson is not in a state that allows this.
    NotAllowed,
}

fn overlap(e: Error) -> Result<Clash, Error> {
    match e {
        Error::DatabaseError(DatabaseErrorKind::Unknown, ref info)
            if info
                .constraint_name()
                .is_some_and(|c| c.starts_with("lessons_") && c.ends_with("_free")) =>
        {
            Ok(Clash::Overlap)
        }
        other => Err(other),
    }
}

pub struct NewSlot {
    pub school_id: Uuid,
    pub instructor_id: Uuid,
    pub starts: DateTime<Utc>,
    pub minutes: i64,
    pub vehicle: String,
    pub meeting_place: String,
}

pub fn publish(conn: &mut PgConnection, slot: &NewSlot) -> QueryResult<Result<Uuid, Clash>> {
    let during = (
        Bound::Included(slot.starts),
        Bound::Excluded(slot.starts + Duration::minutes(slot.minutes)),
    );
    // In a savepoint: a refused overlap must not abort the caller's transaction.
    let inserted = conn.transaction(|conn| {
        diesel::insert_into(lessons::table)
            .values((
                lessons::school_id.eq(slot.school_id),
                lessons::instructor_id.eq(slot.instructor_id),
                lessons::vehicle.eq(&slot.vehicle),
                lessons::during.eq(during),
                lessons::meeting_place.eq(&slot.meeting_place),
            ))
            .returning(lessons::id)
            .get_result(conn)
    });
    match inserted {
        Ok(id) => Ok(Ok(id)),
        Err(e) => overlap(e).map(Err),
    }
}

/// Whether the student is accepted in a group of this school (and so may book its lessons).
pub fn is_student_of(
    conn: &mut PgConnection, school_id: Uuid, student_id: Uuid,
) -> QueryResult<bool> {
    let n: i64 = enrolments::table
        .inner_join(training_groups::table)
        .filter(enrolments::student_id.eq(student_id))
        .filter(enrolments::status.eq(EnrolmentStatus::Accepted))
        .filter(training_groups::school_id.eq(school_id))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

/// The schools where the student is accepted.
pub fn schools_of_student(conn: &mut PgConnection, student_id: Uuid) -> QueryResult<Vec<Uuid>> {
    enrolments::table
        .inner_join(training_groups::table)
        .filter(enrolments::student_id.eq(student_id))
        .filter(enrolments::status.eq(EnrolmentStatus::Accepted))
        .select(training_groups::school_id)
        .distinct()
        .load(conn)
}

pub fn lesson(conn: &mut PgConnection, id: Uuid) -> QueryResult<Lesson> {
    lessons::table.find(id).select(Lesson::as_select()).first(conn)
}

/// Books an open, future slot. The student's own overlap is refused by the database.
pub fn book(
    conn: &mut PgConnection, id: Uuid, student_id: Uuid, now: DateTime<Utc>,
) -> QueryResult<Result<(), Clash>> {
    // In a savepoint: a refused overlap must not abort the caller's transaction.
    let booked = conn.transaction(|conn| {
        diesel::update(
            lessons::table
                .filter(lessons::id.eq(id))
                .filter(lessons::status.eq(LessonStatus::Open))
                .filter(
                    diesel::dsl::sql::<diesel::sql_types::Bool>("lower(during) > ")
                        .bind::<diesel::sql_types::Timestamptz, _>(now),
                ),
        )
        .set((lessons::student_id.eq(student_id), lessons::status.eq(LessonStatus::Booked)))
        .execute(conn)
    });
    match booked {
        Ok(1) => Ok(Ok(())),
        Ok(_) => Ok(Err(Clash::NotAllowed)),
        Err(e) => overlap(e).map(Err),
    }
}

/// The student gives the slot back, up to `cutoff` before it starts.
pub fn cancel_booking(
    conn: &mut PgConnection, id: Uuid, student_id: Uuid, cutoff: Duration, now: DateTime<Utc>,
) -> QueryResult<bool> {
    let latest = now + cutoff;
    let n = diesel::update(
        lessons::table
            .filter(lessons::id.eq(id))
            .filter(lessons::student_id.eq(student_id))
            .filter(lessons::status.eq(LessonStatus::Booked))
            .filter(
                diesel::dsl::sql::<diesel::sql_types::Bool>("lower(during) > ")
                    .bind::<diesel::sql_types::Timestamptz, _>(latest),
            ),
    )
    .set((lessons::student_id.eq(None::<Uuid>), lessons::status.eq(LessonStatus::Open)))
    .execute(conn)?;
    Ok(n == 1)
}

/// After the lesson (never during: recording while driving is unsafe), the instructor records
/// what happened.
pub fn record(
    conn: &mut PgConnection, id: Uuid, instructor_id: Uuid, outcome: &str, note: &str,
    now: DateTime<Utc>,
) -> QueryResult<bool> {
    let outcome = match LessonStatus::parse(outcome) {
        Some(o @ (LessonStatus::Held | LessonStatus::Missed | LessonStatus::Cancelled)) => o,
        _ => return Ok(false),
    };
    let n = diesel::update(
        lessons::table
            .filter(lessons::id.eq(id))
            .filter(lessons::instructor_id.eq(instructor_id))
            .filter(lessons::status.eq(LessonStatus::Booked))
            .filter(
                diesel::dsl::sql::<diesel::sql_types::Bool>("upper(during) <= ")
                    .bind::<diesel::sql_types::Timestamptz, _>(now),
            ),
    )
    .set((lessons::status.eq(outcome), lessons::note.eq(Some(note))))
    .execute(conn)?;
    Ok(n == 1)
}

/// The instructor's lessons from `from` on, with the student's name.
pub fn of_instructor(
    conn: &mut PgConnection, instructor_id: Uuid, from: DateTime<Utc>,
) -> QueryResult<Vec<(Lesson, Option<String>)>> {
    let rows: Vec<(Lesson, Option<(String, String)>)> = lessons::table
        .left_join(users::table.on(lessons::student_id.eq(users::id.nullable())))
        .filter(lessons::instructor_id.eq(instructor_id))
        .filter(
            diesel::dsl::sql::<diesel::sql_types::Bool>("upper(during) >= ")
                .bind::<diesel::sql_types::Timestamptz, _>(from),
        )
        .order(diesel::dsl::sql::<diesel::sql_types::Timestamptz>("lower(during)"))
        .select((Lesson::as_select(), (users::last_name, users::first_name).nullable()))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(l, name)| (l, name.map(|(last, first)| format!("{last} {first}"))))
        .collect())
}

/// Open future slots of these schools, and the student's own lessons.
pub fn for_student(
    conn: &mut PgConnection, schools: &[Uuid], student_id: Uuid, now: DateTime<Utc>,
) -> QueryResult<(Vec<Lesson>, Vec<Lesson>)> {
    let open = lessons::table
        .filter(lessons::school_id.eq_any(schools))
        .filter(lessons::status.eq(LessonStatus::Open))
        .filter(
            diesel::dsl::sql::<diesel::sql_types::Bool>("lower(during) > ")
                .bind::<diesel::sql_types::Timestamptz, _>(now),
        )
        .order(diesel::dsl::sql::<diesel::sql_types::Timestamptz>("lower(during)"))
        .select(Lesson::as_select())
        .limit(100)
        .load(conn)?;
    let mine = lessons::table
        .filter(lessons::student_id.eq(student_id))
        .order(diesel::dsl::sql::<diesel::sql_types::Timestamptz>("lower(during) DESC"))
        .select(Lesson::as_select())
        .load(conn)?;
    Ok((open, mine))
}

/// Minutes of lessons held with this student.
pub fn practice_minutes(conn: &mut PgConnection, student_id: Uuid) -> QueryResult<i64> {
    let held: Vec<Lesson> = lessons::table
        .filter(lessons::student_id.eq(student_id))
        .filter(lessons::status.eq(LessonStatus::Held))
        .select(Lesson::as_select())
        .load(conn)?;
    Ok(held.iter().map(Lesson::minutes).sum())
}

/// The school's next lessons with the instructor's name, soonest first.
pub fn upcoming_of_school(
    conn: &mut PgConnection, school_id: Uuid, limit: i64, now: DateTime<Utc>,
) -> QueryResult<Vec<(Lesson, String)>> {
    let rows: Vec<(Lesson, (String, String))> = lessons::table
        .inner_join(users::table.on(lessons::instructor_id.eq(users::id)))
        .filter(lessons::school_id.eq(school_id))
        .filter(lessons::status.eq_any([LessonStatus::Open, LessonStatus::Booked]))
        .filter(
            diesel::dsl::sql::<diesel::sql_types::Bool>("lower(during) > ")
                .bind::<diesel::sql_types::Timestamptz, _>(now),
        )
        .order(diesel::dsl::sql::<diesel::sql_types::Timestamptz>("lower(during)"))
        .limit(limit)
        .select((Lesson::as_select(), (users::last_name, users::first_name)))
        .load(conn)?;
    Ok(rows.into_iter().map(|(l, (last, first))| (l, format!("{last} {first}"))).collect())
}
