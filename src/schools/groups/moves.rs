//! Changes to a student's place: staff adding a student, withdrawals and transfers. Every old
//! row stays as history.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use uuid::Uuid;

use super::model::{EnrolmentStatus, GroupStatus, group_of, has_room, insert_enrolment};
use crate::db::schema::{enrolments, training_groups};

#[derive(Debug, PartialEq, Eq)]
pub enum Added {
    Done,
    GroupFull,
    AlreadyInCategory,
}

/// Staff add a registered student straight into a group (capacity checked under the group's
/// lock, like an acceptance).
pub fn add_accepted(
    conn: &mut PgConnection, school_id: Uuid, group_id: Uuid, student_id: Uuid, staff_id: Uuid,
    now: DateTime<Utc>,
) -> QueryResult<Added> {
    conn.transaction(|conn| {
        let group = group_of(conn, school_id, group_id)?;
        if !has_room(conn, group_id)? {
            return Ok(Added::GroupFull);
        }
        Ok(match insert_enrolment(conn, &group, student_id, Some((staff_id, now)))? {
            Some(_) => Added::Done,
            None => Added::AlreadyInCategory,
        })
    })
}

/// Withdraws an application or a place; the row stays as history.
pub fn withdraw(
    conn: &mut PgConnection, school_id: Uuid, enrolment_id: Uuid, staff_id: Uuid, reason: &str,
    now: DateTime<Utc>,
) -> QueryResult<bool> {
    let in_school = enrolments::table
        .inner_join(training_groups::table)
        .filter(enrolments::id.eq(enrolment_id))
        .filter(training_groups::school_id.eq(school_id))
        .filter(enrolments::status.eq_any([EnrolmentStatus::Applied, EnrolmentStatus::Accepted]))
        .count()
        .get_result::<i64>(conn)?;
    if in_school == 0 {
        return Ok(false);
    }
    // The status is checked again in the update: a transfer or a completion that commits
    // between the two statements must not be overwritten.
    let n =
        diesel::update(enrolments::table.find(enrolment_id).filter(
            enrolments::status.eq_any([EnrolmentStatus::Applied, EnrolmentStatus::Accepted]),
        ))
        .set((
            enrolments::status.eq(EnrolmentStatus::Withdrawn),
            enrolments::reason.eq(reason),
            enrolments::decided_by.eq(staff_id),
            enrolments::decided_at.eq(now),
        ))
        .execute(conn)?;
    Ok(n == 1)
}

#[derive(Debug, PartialEq, Eq)]
pub enum Transfer {
    Done,
    GroupFull,
    NotAllowed,
}

/// Moves an accepted student to another group of the same school and category: the old row is
/// kept as `transferred`, a new accepted row is made, in one transaction.
pub fn transfer(
    conn: &mut PgConnection, school_id: Uuid, enrolment_id: Uuid, target: Uuid, staff_id: Uuid,
    now: DateTime<Utc>,
) -> QueryResult<Transfer> {
    conn.transaction(|conn| {
        let row: Option<(Uuid, Uuid, String)> = enrolments::table
            .inner_join(training_groups::table)
            .filter(enrolments::id.eq(enrolment_id))
            .filter(training_groups::school_id.eq(school_id))
            .filter(enrolments::status.eq(EnrolmentStatus::Accepted))
            .select((enrolments::student_id, enrolments::group_id, enrolments::category))
            .for_update()
            .first(conn)
            .optional()?;
        let Some((student, from, category)) = row else {
            return Ok(Transfer::NotAllowed);
        };
        let Some(to) = group_of(conn, school_id, target).optional()? else {
            return Ok(Transfer::NotAllowed);
        };
        if to.id == from || to.category != category || to.status == GroupStatus::Finished {
            return Ok(Transfer::NotAllowed);
        }
        // Check the target's room first, under its lock, so a full group changes nothing.
        if !has_room(conn, to.id)? {
            return Ok(Transfer::GroupFull);
        }
        diesel::update(enrolments::table.find(enrolment_id))
            .set((
                enrolments::status.eq(EnrolmentStatus::Transferred),
                enrolments::decided_by.eq(staff_id),
                enrolments::decided_at.eq(now),
            ))
            .execute(conn)?;
        match add_accepted(conn, school_id, to.id, student, staff_id, now)? {
            Added::Done => Ok(Transfer::Done),
            // Cannot happen after the checks above; undo rather than leave half a transfer.
            Added::GroupFull | Added::AlreadyInCategory => {
                Err(diesel::result::Error::RollbackTransaction)
            }
        }
    })
}
