//! Applications from schools' representatives in the database: filing, the pending list, and
//! the decision.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use uuid::Uuid;

use crate::db::schema::{schools, users};
use crate::schools::registry::model::{NewSchool, School, SchoolStatus};

/// A pending application: the school, when it was filed, and the applicant's last and first
/// name (none when the account has since been deleted).
pub type Application = (School, DateTime<Utc>, Option<String>, Option<String>);

pub fn pending_applications(conn: &mut PgConnection) -> QueryResult<Vec<Application>> {
    schools::table
        .left_join(users::table.on(schools::applicant_id.eq(users::id.nullable())))
        .filter(schools::status.eq(SchoolStatus::Pending))
        .order(schools::created_at)
        .select((
            School::as_select(),
            schools::created_at,
            users::last_name.nullable(),
            users::first_name.nullable(),
        ))
        .load(conn)
}

/// Whether this user has an application still waiting for a decision.
pub fn has_pending_application(conn: &mut PgConnection, user_id: Uuid) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        schools::table
            .filter(schools::applicant_id.eq(user_id))
            .filter(schools::status.eq(SchoolStatus::Pending)),
    ))
    .get_result(conn)
}

/// Files an application as a pending school. A rejected application's BIN may be filed again
/// (the BIN is unique, and a refusal must not lock the school out for good); `None` when the
/// BIN belongs to a pending or approved school.
pub fn insert_application(
    conn: &mut PgConnection, school: &NewSchool, applicant: Uuid, now: DateTime<Utc>,
) -> QueryResult<Option<Uuid>> {
    let again = diesel::update(
        schools::table
            .filter(schools::bin.eq(&school.bin))
            .filter(schools::status.eq(SchoolStatus::Rejected)),
    )
    .set((
        schools::name_kk.eq(&school.name_kk),
        schools::name_ru.eq(&school.name_ru),
        schools::city.eq(&school.city),
        schools::address.eq(&school.address),
        schools::licence_number.eq(&school.licence_number),
        schools::phone.eq(&school.phone),
        schools::email.eq(&school.email),
        schools::status.eq(SchoolStatus::Pending),
        schools::applicant_id.eq(applicant),
        schools::created_at.eq(now),
    ))
    .returning(schools::id)
    .get_result(conn)
    .optional()?;
    if again.is_some() {
        return Ok(again);
    }
    // A duplicate BIN answers `None` without aborting the caller's transaction.
    crate::db::unless_taken(conn, |conn| {
        diesel::insert_into(schools::table)
            .values((
                school,
                schools::status.eq(SchoolStatus::Pending),
                schools::applicant_id.eq(applicant),
            ))
            .returning(schools::id)
            .get_result(conn)
    })
}

/// A pending application and its applicant, locked so that two administrators deciding at
/// once are served one after the other.
pub fn pending_application(
    conn: &mut PgConnection, school_id: Uuid,
) -> QueryResult<Option<(School, Option<Uuid>)>> {
    schools::table
        .find(school_id)
        .filter(schools::status.eq(SchoolStatus::Pending))
        .select((School::as_select(), schools::applicant_id))
        .for_update()
        .first(conn)
        .optional()
}

pub fn set_school_status(
    conn: &mut PgConnection, school_id: Uuid, status: SchoolStatus,
) -> QueryResult<usize> {
    diesel::update(schools::table.find(school_id)).set(schools::status.eq(status)).execute(conn)
}
