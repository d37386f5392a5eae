//! Schools and their staff in the database.

use diesel::prelude::*;
use uuid::Uuid;

use crate::db::schema::{school_staff, schools, users};
use crate::db::text_enum::text_enum;
use crate::i18n::Lang;

text_enum! {
    /// A staff member's position at a school (`school_staff.position`).
    pub enum StaffPosition {
        Manager = "manager",
        TheoryTeacher = "theory_teacher",
        Instructor = "instructor",
    }
}

text_enum! {
    /// Where a school's registration stands (`schools.status`).
    pub enum SchoolStatus {
        Pending = "pending",
        Approved = "approved",
        Rejected = "rejected",
    }
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = schools)]
pub struct School {
    pub id: Uuid,
    pub bin: String,
    pub name_kk: String,
    pub name_ru: String,
    pub city: String,
    pub address: String,
    pub licence_number: String,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub status: SchoolStatus,
}

impl School {
    pub fn name(&self, lang: Lang) -> &str {
        lang.pick(&self.name_kk, &self.name_ru)
    }
}

#[derive(Debug, Insertable)]
#[diesel(table_name = schools)]
pub struct NewSchool {
    pub bin: String,
    pub name_kk: String,
    pub name_ru: String,
    pub city: String,
    pub address: String,
    pub licence_number: String,
    pub phone: Option<String>,
    pub email: Option<String>,
}

pub fn insert_school(conn: &mut PgConnection, school: &NewSchool) -> QueryResult<Uuid> {
    diesel::insert_into(schools::table).values(school).returning(schools::id).get_result(conn)
}

pub fn approved(conn: &mut PgConnection) -> QueryResult<Vec<School>> {
    schools::table
        .filter(schools::status.eq(SchoolStatus::Approved))
        .order((schools::city, schools::name_ru))
        .select(School::as_select())
        .load(conn)
}

pub fn school(conn: &mut PgConnection, id: Uuid) -> QueryResult<School> {
    schools::table.find(id).select(School::as_select()).first(conn)
}

/// Where a staff member works and as what.
#[derive(Debug, Clone, Copy)]
pub struct Membership {
    pub school_id: Uuid,
    pub manager: bool,
    pub instructor: bool,
}

pub fn membership(conn: &mut PgConnection, user_id: Uuid) -> QueryResult<Option<Membership>> {
    let row: Option<(Uuid, String)> = school_staff::table
        .find(user_id)
        .select((school_staff::school_id, school_staff::position))
        .first(conn)
        .optional()?;
    Ok(row.map(|(school_id, position)| Membership {
        school_id,
        manager: position == "manager",
        instructor: position == "instructor",
    }))
}

pub fn add_staff(
    conn: &mut PgConnection, school_id: Uuid, user_id: Uuid, position: &str,
) -> QueryResult<usize> {
    diesel::insert_into(school_staff::table)
        .values((
            school_staff::school_id.eq(school_id),
            school_staff::user_id.eq(user_id),
            school_staff::position.eq(position),
        ))
        .on_conflict(school_staff::user_id)
        .do_nothing()
        .execute(conn)
}

/// (user id, "Last First", position) of a school's staff.
pub fn staff(
    conn: &mut PgConnection, school_id: Uuid,
) -> QueryResult<Vec<(Uuid, String, String, String)>> {
    school_staff::table
        .inner_join(users::table)
        .filter(school_staff::school_id.eq(school_id))
        .order((school_staff::position, users::last_name))
        .select((users::id, users::last_name, users::first_name, school_staff::position))
        .load(conn)
}
