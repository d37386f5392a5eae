//! Training groups and enrolments in the database. Every query a staff page makes is filtered
//! by the staff member's own school.

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use uuid::Uuid;

use crate::db::schema::{completions, enrolments, schools, training_groups};
use crate::db::text_enum::text_enum;
use crate::schools::registry::model::School;

pub use super::moves::{Added, Transfer, add_accepted, transfer, withdraw};
pub use super::roster_model::{RosterRow, roster, roster_matching};

text_enum! {
    /// Where a training group stands (`training_groups.status`).
    pub enum GroupStatus {
        Recruiting = "recruiting",
        InTraining = "in_training",
        Finished = "finished",
    }
}

text_enum! {
    /// Where an enrolment stands (`enrolments.status`).
    pub enum EnrolmentStatus {
        Applied = "applied",
        Accepted = "accepted",
        Rejected = "rejected",
        Withdrawn = "withdrawn",
        Transferred = "transferred",
        Completed = "completed",
    }
}

/// Licence categories a group can train for.
pub const CATEGORIES: [&str; 13] =
    ["A1", "A", "B1", "B", "BE", "C1", "C", "CE", "D1", "D", "DE", "Tb", "Tm"];

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = training_groups)]
pub struct Group {
    pub id: Uuid,
    pub school_id: Uuid,
    pub category: String,
    pub language: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub theory_teacher_id: Option<Uuid>,
    pub capacity: i32,
    pub status: GroupStatus,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = training_groups)]
pub struct NewGroup {
    pub school_id: Uuid,
    pub category: String,
    pub language: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub theory_teacher_id: Option<Uuid>,
    pub capacity: i32,
}

pub fn insert_group(conn: &mut PgConnection, group: &NewGroup) -> QueryResult<Uuid> {
    diesel::insert_into(training_groups::table)
        .values(group)
        .returning(training_groups::id)
        .get_result(conn)
}

/// The groups of a school, soonest first.
pub fn groups(conn: &mut PgConnection, school_id: Uuid) -> QueryResult<Vec<Group>> {
    training_groups::table
        .filter(training_groups::school_id.eq(school_id))
        .order((training_groups::starts_on, training_groups::category))
        .select(Group::as_select())
        .load(conn)
}

/// Which of a school's groups a list shows.
#[derive(Debug, Default, Clone)]
pub struct GroupFilter {
    pub status: Option<String>,
    pub category: Option<String>,
}

fn filtered<'a>(
    school_id: Uuid, filter: &GroupFilter,
) -> training_groups::BoxedQuery<'a, diesel::pg::Pg> {
    let mut query =
        training_groups::table.filter(training_groups::school_id.eq(school_id)).into_boxed();
    if let Some(status) = &filter.status {
        query = query.filter(training_groups::status.eq(status.clone()));
    }
    if let Some(category) = &filter.category {
        query = query.filter(training_groups::category.eq(category.clone()));
    }
    query
}

pub fn count_groups(
    conn: &mut PgConnection, school_id: Uuid, filter: &GroupFilter,
) -> QueryResult<i64> {
    filtered(school_id, filter).count().get_result(conn)
}

/// One page of the school's groups: unfinished first, then soonest first.
pub fn groups_page(
    conn: &mut PgConnection, school_id: Uuid, filter: &GroupFilter, offset: i64, limit: i64,
) -> QueryResult<Vec<Group>> {
    filtered(school_id, filter)
        .order((
            training_groups::status.eq(GroupStatus::Finished),
            training_groups::starts_on,
            training_groups::category,
        ))
        .offset(offset)
        .limit(limit)
        .select(Group::as_select())
        .load(conn)
}

/// Unfinished groups of the same category a student can be moved to.
pub fn transfer_targets(
    conn: &mut PgConnection, school_id: Uuid, category: &str, from: Uuid,
) -> QueryResult<Vec<Group>> {
    training_groups::table
        .filter(training_groups::school_id.eq(school_id))
        .filter(training_groups::category.eq(category))
        .filter(training_groups::status.ne(GroupStatus::Finished))
        .filter(training_groups::id.ne(from))
        .order(training_groups::starts_on)
        .limit(50)
        .select(Group::as_select())
        .load(conn)
}

/// A group of this school; another school's group is simply not found.
pub fn group_of(conn: &mut PgConnection, school_id: Uuid, group_id: Uuid) -> QueryResult<Group> {
    training_groups::table
        .filter(training_groups::id.eq(group_id))
        .filter(training_groups::school_id.eq(school_id))
        .select(Group::as_select())
        .first(conn)
}

pub fn group(conn: &mut PgConnection, group_id: Uuid) -> QueryResult<Group> {
    training_groups::table.find(group_id).select(Group::as_select()).first(conn)
}

/// Accepted students per group, in one query for many groups.
pub fn accepted_counts(
    conn: &mut PgConnection, group_ids: &[Uuid],
) -> QueryResult<Vec<(Uuid, i64)>> {
    enrolments::table
        .filter(enrolments::group_id.eq_any(group_ids))
        .filter(enrolments::status.eq(EnrolmentStatus::Accepted))
        .group_by(enrolments::group_id)
        .select((enrolments::group_id, diesel::dsl::count_star()))
        .load(conn)
}

#[derive(Debug)]
pub enum Apply {
    Applied(Uuid),
    NotRecruiting,
    AlreadyInCategory,
}

pub fn apply(conn: &mut PgConnection, group_id: Uuid, student_id: Uuid) -> QueryResult<Apply> {
    let group = group(conn, group_id)?;
    if group.status != GroupStatus::Recruiting {
        return Ok(Apply::NotRecruiting);
    }
    Ok(match insert_enrolment(conn, &group, student_id, None)? {
        Some(id) => Apply::Applied(id),
        None => Apply::AlreadyInCategory,
    })
}

/// A new enrolment in `group`: applied, or accepted when staff decide at once (`decided`
/// names who and when). `None` when the student already holds one in the category: the
/// unique index refused it, and the caller's transaction goes on.
pub fn insert_enrolment(
    conn: &mut PgConnection, group: &Group, student_id: Uuid,
    decided: Option<(Uuid, DateTime<Utc>)>,
) -> QueryResult<Option<Uuid>> {
    let status =
        if decided.is_some() { EnrolmentStatus::Accepted } else { EnrolmentStatus::Applied };
    crate::db::unless_taken(conn, |conn| {
        diesel::insert_into(enrolments::table)
            .values((
                enrolments::group_id.eq(group.id),
                enrolments::student_id.eq(student_id),
                enrolments::category.eq(&group.category),
                enrolments::status.eq(status),
                enrolments::decided_by.eq(decided.map(|d| d.0)),
                enrolments::decided_at.eq(decided.map(|d| d.1)),
            ))
            .returning(enrolments::id)
            .get_result(conn)
    })
}

#[derive(Debug, PartialEq, Eq)]
pub enum Decision {
    Done,
    GroupFull,
    NotPending,
    /// The student has not consented to photo identification (or withdrew it), so the school
    /// cannot confirm who they are (policy §8).
    NoPhotoConsent,
}

/// Whether the student consents to photo identification, without which a school cannot
/// confirm who it enrols.
pub fn may_be_identified(conn: &mut PgConnection, student_id: Uuid) -> QueryResult<bool> {
    use crate::accounts::{consents, model::ConsentKind};
    consents::in_force(conn, student_id, ConsentKind::PhotoId, false)
}

/// Whether the group has a free place. Locks the group row first, so that concurrent
/// decisions about the same group are served one after the other.
pub fn has_room(conn: &mut PgConnection, group_id: Uuid) -> QueryResult<bool> {
    let capacity: i32 = training_groups::table
        .find(group_id)
        .select(training_groups::capacity)
        .for_update()
        .first(conn)?;
    let taken: i64 = enrolments::table
        .filter(enrolments::group_id.eq(group_id))
        .filter(enrolments::status.eq(EnrolmentStatus::Accepted))
        .count()
        .get_result(conn)?;
    Ok(taken < i64::from(capacity))
}

/// Accepts an application. The group row is locked first, so two staff accepting the last
/// place at once are served one after the other: one wins, the other sees the group full.
pub fn accept(
    conn: &mut PgConnection, school_id: Uuid, enrolment_id: Uuid, staff_id: Uuid,
    now: DateTime<Utc>,
) -> QueryResult<Decision> {
    conn.transaction(|conn| {
        let (group_id, student_id): (Uuid, Uuid) = enrolments::table
            .inner_join(training_groups::table)
            .filter(enrolments::id.eq(enrolment_id))
            .filter(training_groups::school_id.eq(school_id))
            .select((enrolments::group_id, enrolments::student_id))
            .first(conn)?;
        if !may_be_identified(conn, student_id)? {
            return Ok(Decision::NoPhotoConsent);
        }
        if !has_room(conn, group_id)? {
            return Ok(Decision::GroupFull);
        }
        decide(conn, enrolment_id, staff_id, EnrolmentStatus::Accepted, None, now)
    })
}

pub fn reject(
    conn: &mut PgConnection, school_id: Uuid, enrolment_id: Uuid, staff_id: Uuid, reason: &str,
    now: DateTime<Utc>,
) -> QueryResult<Decision> {
    let in_school: i64 = enrolments::table
        .inner_join(training_groups::table)
        .filter(enrolments::id.eq(enrolment_id))
        .filter(training_groups::school_id.eq(school_id))
        .count()
        .get_result(conn)?;
    if in_school == 0 {
        return Err(diesel::result::Error::NotFound);
    }
    decide(conn, enrolment_id, staff_id, EnrolmentStatus::Rejected, Some(reason), now)
}

fn decide(
    conn: &mut PgConnection, enrolment_id: Uuid, staff_id: Uuid, status: EnrolmentStatus,
    reason: Option<&str>, now: DateTime<Utc>,
) -> QueryResult<Decision> {
    let changed = diesel::update(
        enrolments::table
            .filter(enrolments::id.eq(enrolment_id))
            .filter(enrolments::status.eq(EnrolmentStatus::Applied)),
    )
    .set((
        enrolments::status.eq(status),
        enrolments::reason.eq(reason),
        enrolments::decided_by.eq(staff_id),
        enrolments::decided_at.eq(now),
    ))
    .execute(conn)?;
    Ok(if changed == 1 { Decision::Done } else { Decision::NotPending })
}

/// An enrolment's status, reason and certificate, with its group and school.
pub type Enrolled = (String, Option<String>, Option<Uuid>, Group, School);

/// A student's enrolments with their group and school.
pub fn enrolments_of(conn: &mut PgConnection, student_id: Uuid) -> QueryResult<Vec<Enrolled>> {
    enrolments::table
        .inner_join(training_groups::table.inner_join(schools::table))
        .left_join(completions::table)
        .filter(enrolments::student_id.eq(student_id))
        .order(enrolments::applied_at.desc())
        .select((
            enrolments::status,
            enrolments::reason,
            completions::id.nullable(),
            Group::as_select(),
            School::as_select(),
        ))
        .load(conn)
}

/// Moves the group from `from` to `to`; false when it no longer is `from` (a stale form, or
/// another manager was quicker).
pub fn set_group_status(
    conn: &mut PgConnection, group_id: Uuid, from: GroupStatus, to: GroupStatus,
) -> QueryResult<bool> {
    let n = diesel::update(
        training_groups::table.find(group_id).filter(training_groups::status.eq(from)),
    )
    .set(training_groups::status.eq(to))
    .execute(conn)?;
    Ok(n == 1)
}

/// How many of the school's enrolments are in each status (one query).
pub fn enrolments_by_status(
    conn: &mut PgConnection, school_id: Uuid,
) -> QueryResult<Vec<(String, i64)>> {
    enrolments::table
        .inner_join(training_groups::table)
        .filter(training_groups::school_id.eq(school_id))
        .group_by(enrolments::status)
        .select((enrolments::status, diesel::dsl::count_star()))
        .order(enrolments::status)
        .load(conn)
}

/// Enrolment statuses that make a student "at" a school: its staff may see their photos.
const AT_SCHOOL: [EnrolmentStatus; 3] =
    [EnrolmentStatus::Applied, EnrolmentStatus::Accepted, EnrolmentStatus::Completed];

/// Whether the student applied to or trains at the school this staff member works for.
pub fn staff_shares_school(
    conn: &mut PgConnection, staff_id: Uuid, student_id: Uuid,
) -> QueryResult<bool> {
    let Some(staff) = crate::schools::registry::model::membership(conn, staff_id)? else {
        return Ok(false);
    };
    let n: i64 = enrolments::table
        .inner_join(training_groups::table)
        .filter(training_groups::school_id.eq(staff.school_id))
        .filter(enrolments::student_id.eq(student_id))
        .filter(enrolments::status.eq_any(AT_SCHOOL))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

/// The students who applied to or train at the school this staff member works for.
pub fn students_of_staff(conn: &mut PgConnection, staff_id: Uuid) -> QueryResult<Vec<Uuid>> {
    let Some(staff) = crate::schools::registry::model::membership(conn, staff_id)? else {
        return Ok(Vec::new());
    };
    enrolments::table
        .inner_join(training_groups::table)
        .filter(training_groups::school_id.eq(staff.school_id))
        .filter(enrolments::status.eq_any(AT_SCHOOL))
        .select(enrolments::student_id)
        .distinct()
        .load(conn)
}
